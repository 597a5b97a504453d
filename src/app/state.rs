//! What the app shows, read-only: for the command line, the tests and the benchmarks, which
//! drive the app through commands and look at it through these.

use super::App;
use crate::map::online::BasemapSpec;
use crate::map::overlay::OverlayOutput;
use crate::model::Problem;
use crate::model::dataset::Dataset;
use crate::session::Session;
use crate::time::{FeatureRef, TimeControl, Visible};
use crate::ui::windows::Toast;

impl App {
    /// Layers and events.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The time control.
    pub fn time(&self) -> &TimeControl {
        &self.time
    }

    /// The selected feature.
    pub fn selection(&self) -> Option<FeatureRef> {
        self.selection
    }

    /// What is visible at the cursor this frame (the list and the map share it).
    pub fn visible(&self) -> &Visible {
        &self.visible
    }

    /// What the map drew and found under the pointer last frame.
    pub fn overlay(&self) -> &OverlayOutput {
        self.map.overlay()
    }

    /// Problems met so far (files, basemaps, the saved session).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The notices shown now.
    pub fn toasts(&self) -> &[Toast] {
        &self.toasts
    }

    /// The basemap picked.
    pub fn basemap(&self) -> &BasemapSpec {
        self.map.choice.spec()
    }

    /// An export of the window is running.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some() || self.chart_job.is_some()
    }

    /// Files still loading.
    pub fn loading(&self) -> usize {
        self.loads.jobs().len()
    }

    /// Basemap tiles still rendering (1 before the first frame made the basemap).
    pub fn tiles_pending(&self) -> usize {
        self.map.tiles_pending()
    }

    /// The size of the map on screen, last frame, in points.
    pub fn map_size(&self) -> egui::Vec2 {
        self.map.size()
    }

    /// The map centre (lon, lat) and zoom.
    pub fn view(&self) -> (f64, f64, f64) {
        self.map.view()
    }

    /// The measure tool and the measurements.
    pub fn measure(&self) -> &crate::instruments::measure::Measure {
        &self.measure
    }

    /// The Go to marker.
    pub fn marker(&self) -> Option<&crate::map::marks::Marker> {
        self.marker.as_ref()
    }

    /// The span the timeline's axis shows.
    pub fn timeline_view(&self) -> (jiff::Timestamp, jiff::Timestamp) {
        self.panels.timeline_view
    }

    /// Each site's precision area is drawn.
    pub fn precision_areas(&self) -> bool {
        self.precision_areas
    }

    /// An MP4 is being written: frames done, in all.
    pub fn animating(&self) -> Option<(u32, u32)> {
        self.video_job.as_ref().map(crate::jobs::VideoJob::progress)
    }

    /// A filter is being judged on a worker thread.
    pub fn filtering(&self) -> bool {
        self.filter_job.is_some()
    }

    /// The second moment, when two are compared.
    pub fn compare(&self) -> Option<&super::compare::Compare> {
        self.compare.as_ref()
    }

    /// Where the swipe line is, as a fraction of the map's width.
    pub fn swipe_at(&self) -> f32 {
        self.map.swipe_at
    }

    /// The saved views.
    pub fn views(&self) -> &[crate::views::SavedView] {
        &self.views
    }

    /// What survives a restart, as it stands now.
    pub fn session(&self) -> Session {
        let (lon, lat, zoom) = self.view();
        let layers = self.loads.saved_layers(&self.dataset);
        Session {
            lon,
            lat,
            zoom,
            time: self.time.clone(),
            layers,
            basemap: Some(self.map.choice.spec().clone()),
            filters: self.dataset.filter.exprs(),
            lang: self.lang_choice.map(|l| l.code().to_string()),
        }
    }
}
