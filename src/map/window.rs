//! The window's map: where it looks, its size, its basemap and the one picked over it, its
//! own drawing caches, and what it drew and found under the pointer last frame. The app
//! hands it the frame's data; it draws the scene that exports draw too.

use walkers::{MapMemory, lon_lat};

use super::choice::BasemapChoice;
use super::marks::Marks;
use super::overlay::{DrawCaches, OverlayOutput};
use super::scene::{Basemap, MapScene, map_scene_ui};
use super::view::{self, ViewPreset};
use crate::model::dataset::Dataset;
use crate::model::geom::unmercator;
use crate::time::{FeatureRef, TimeControl, Visible};

/// The map of the window.
pub struct WindowMap {
    memory: MapMemory,
    size: egui::Vec2,
    basemap: Option<Basemap>,
    /// The basemap picked, drawn over the offline one.
    pub choice: BasemapChoice,
    caches: DrawCaches,
    overlay: OverlayOutput,
}

impl WindowMap {
    /// A map looking at `lon`, `lat` at `zoom`.
    pub fn new(lon: f64, lat: f64, zoom: f64) -> Self {
        Self {
            memory: view::memory_at(lon, lat, zoom),
            size: egui::vec2(1000.0, 700.0),
            basemap: None,
            choice: BasemapChoice::default(),
            caches: DrawCaches::default(),
            overlay: OverlayOutput::default(),
        }
    }

    /// Draws the map with the frame's data; returns what was clicked, hovered and drawn.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        visible: &Visible,
        time: &TimeControl,
        selection: Option<FeatureRef>,
        marks: Marks,
    ) -> &OverlayOutput {
        self.size = ui.available_size();
        let basemap = self
            .basemap
            .get_or_insert_with(|| Basemap::bundled(ui.ctx()));
        let scene = MapScene {
            dataset,
            visible,
            time,
            selection,
            basemap,
            memory: &mut self.memory,
            caches: &mut self.caches,
            title: None,
            online: self.choice.online(),
            interactive: true,
            precision_areas: marks.precision_areas,
            marks,
        };
        self.overlay = map_scene_ui(ui, scene);
        if self.memory.zoom() > view::MAX_ZOOM {
            let _ = self.memory.set_zoom(view::MAX_ZOOM);
        }
        &self.overlay
    }

    /// What the map drew and found under the pointer last frame.
    pub fn overlay(&self) -> &OverlayOutput {
        &self.overlay
    }

    /// The size of the map on screen, last frame, in points.
    pub fn size(&self) -> egui::Vec2 {
        self.size
    }

    /// Basemap and layer tiles still rendering (1 before the first frame made the basemap).
    pub fn tiles_pending(&self) -> usize {
        self.basemap.as_ref().map_or(1, |b| b.tiles.in_progress()) + self.caches.tiles_in_progress()
    }

    /// The centre (lon, lat) and zoom.
    pub fn view(&self) -> (f64, f64, f64) {
        let (lon, lat) = match self.memory.detached() {
            Some(p) => (p.x(), p.y()),
            None => {
                let (lon, lat, _) = ViewPreset::ConflictArea.view();
                (lon, lat)
            }
        };
        (lon, lat, self.memory.zoom())
    }

    /// Looks at `lon`, `lat` at `zoom` (kept within the offered range).
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.memory = view::memory_at(lon, lat, zoom);
    }

    /// Centres on a mercator point, keeping the zoom.
    pub fn center_on(&mut self, mercator: [f64; 2]) {
        let (lon, lat) = unmercator(mercator);
        self.memory.center_at(lon_lat(lon, lat));
    }

    /// Shows a mercator box `[min x, min y, max x, max y]`.
    pub fn fit(&mut self, bbox: [f64; 4]) {
        let (lon, lat, zoom) = view::fit(bbox, self.size);
        self.set_view(lon, lat, zoom);
    }
}
