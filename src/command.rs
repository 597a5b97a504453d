//! Everything a panel (or a key, a dropped file, a test) may ask the app to do. Panels read
//! state and push commands; the app applies them once per frame, in order, in one place
//! (`App::apply`), so every change of state has one path a reader can follow.

use std::path::PathBuf;

pub use crate::map::view::ViewPreset;

use crate::instruments::measure::MeasureCommand;
use crate::map::marks::Marker;
use crate::map::online::BasemapSpec;
use crate::model::dataset::LayerId;
use crate::model::filter::Filter;
use crate::model::style::LayerStyle;
use crate::time::{FeatureRef, TimeCommand};
use crate::views::SavedView;

/// A request to the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select a feature (or clear the selection) without moving anything.
    Select(Option<FeatureRef>),
    /// Select a feature from the map: select it and scroll the list to its row.
    Pick(Option<FeatureRef>),
    /// Select a feature from the list: move the cursor to its start, centre the map, select.
    Focus(FeatureRef),
    /// Centre the map on a feature.
    CenterOn(FeatureRef),
    /// Move the map to a preset view.
    GoTo(ViewPreset),
    /// Move the map to a centre and zoom.
    SetView {
        /// Longitude of the centre.
        lon: f64,
        /// Latitude of the centre.
        lat: f64,
        /// Zoom level (kept within the offered range).
        zoom: f64,
    },
    /// Show a mercator box `[min x, min y, max x, max y]` (a cluster that was clicked).
    Fit([f64; 4]),
    /// Change the time control.
    Time(TimeCommand),
    /// Change a layer.
    Layer(LayerId, LayerAction),
    /// Open files as new layers.
    Open(Vec<PathBuf>),
    /// Stop loading a file.
    CancelLoad(PathBuf),
    /// Show this span on the timeline's axis.
    TimelineView(jiff::Timestamp, jiff::Timestamp),
    /// Switch the basemap (a bad one is a problem, and the old one stays).
    SetBasemap(BasemapSpec),
    /// Forget the problems listed so far.
    ClearProblems,
    /// Show the interface in this language (kept with the session).
    SetLanguage(crate::i18n::Lang),
    /// Show or hide a window.
    Toggle(Window),
    /// Export the map as the window shows it, in the background.
    Export(ExportOrder),
    /// Ask the system for a file (its answer comes back as a command).
    Browse(Purpose),
    /// Put the export's file path in the dialog (the system's file dialog answered).
    SetExportPath(PathBuf),
    /// Show a short message over the map.
    Notify {
        /// What to say.
        text: String,
        /// An error (red) or news (green).
        error: bool,
    },
    /// Change the measurements or the measure tool.
    Measure(MeasureCommand),
    /// Write the measurements as GeoJSON.
    SaveMeasurements(PathBuf),
    /// Put text on the clipboard.
    Copy(String),
    /// Go to a place found or typed: centre there (at least at `zoom`) with a marker.
    GoToPlace {
        /// Where, and what to write by the marker.
        marker: Marker,
        /// The zoom to show it at, at least.
        zoom: f64,
    },
    /// Remove the Go to marker.
    ClearMarker,
    /// Saved views.
    View(ViewCommand),
    /// Filter the dataset (the list, the map, the timeline and exports) with this filter.
    SetFilter(Filter),
    /// Show or hide each site's precision area.
    TogglePrecisionAreas,
    /// Write the features shown now (bundled events and user layers) as GeoJSON or CSV, by
    /// the file's extension; an existing file is left alone.
    SaveShown(PathBuf),
    /// Two moments side by side.
    Compare(CompareCommand),
    /// Write an MP4 of the window's view, time moving from one moment to another.
    Animation(AnimationOrder),
    /// Stop the MP4 being written (nothing is left behind).
    CancelAnimation,
    /// Write the chart as the chart window shows it (its figure, or a layer's sums) to a
    /// PNG; an existing file is left alone.
    SaveChart {
        /// The PNG.
        path: PathBuf,
        /// Claims or a layer's property.
        source: crate::model::claims::ChartSource,
        /// Which figure of the claims.
        tally: crate::model::claims::Tally,
        /// Day or week, for a layer's sums.
        bucket: crate::model::claims::Bucket,
    },
}

/// What the compare bar asks: two maps sharing one camera, A at the timeline's cursor and B
/// at its own.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareCommand {
    /// Start comparing (B at the end of the data), or stop.
    Toggle,
    /// Move B's cursor.
    Time(TimeCommand),
    /// Side by side (`false`) or one map with a swipe line (`true`).
    Swipe(bool),
    /// A takes B's time and B takes A's.
    Swap,
}

/// What the Views panel (or a key, or the command line) asks of the saved views.
#[derive(Clone, Debug, PartialEq)]
pub enum ViewCommand {
    /// Save the current view under this name (empty: a name is made up).
    Save(String),
    /// Go to the saved view at this position.
    Restore(usize),
    /// Go to a view read from a file (`bordermap --view`, Import).
    Apply(Box<SavedView>),
    /// Rename one.
    Rename(usize, String),
    /// Move one up (`true`) or down the list.
    Move(usize, bool),
    /// Delete one.
    Delete(usize),
    /// Write one to a view file.
    Export(usize, PathBuf),
    /// Read a view file into the list.
    Import(PathBuf),
}

/// Windows that can be shown or hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// The Export dialog.
    Export,
    /// The Problems list.
    Problems,
    /// The Open dialog (typed paths).
    Open,
    /// The Measure window (and the tool).
    Measure,
    /// Go to (coordinates or a place).
    GoTo,
    /// The place search.
    Search,
    /// The Views panel.
    Views,
    /// The claims chart.
    Chart,
    /// The Animation (MP4) dialog.
    Animation,
}

/// What the Animation dialog asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationOrder {
    /// The MP4 to write.
    pub path: PathBuf,
    /// First moment.
    pub from: jiff::Timestamp,
    /// Last moment.
    pub to: jiff::Timestamp,
    /// How many frames.
    pub frames: u32,
    /// Frames per second.
    pub fps: u32,
    /// Width and height (even).
    pub size: [u32; 2],
    /// Title over every frame.
    pub title: Option<String>,
}

/// What the Export dialog asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportOrder {
    /// The PNG to write.
    pub path: PathBuf,
    /// The map's size times 1–3, or a custom size.
    pub size: ExportSize,
    /// Custom width and height in pixels.
    pub custom: [u32; 2],
    /// Title over the map.
    pub title: Option<String>,
    /// Also write the view file beside the PNG (`x.png` → `x.view.json`).
    pub with_view: bool,
}

/// What a layer row can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerAction {
    /// Show or hide.
    SetVisible(bool),
    /// New style.
    SetStyle(LayerStyle),
    /// Draw later (on top).
    MoveUp,
    /// Draw earlier.
    MoveDown,
    /// Fit the map to the layer.
    ZoomTo,
    /// Remove the layer.
    Remove,
    /// Read the file again with these time fields (`start`, optional `end`) and zone.
    Reread {
        /// Start (or only) time property; empty for automatic detection.
        start: String,
        /// End property.
        end: String,
        /// Zone for times without an offset.
        zone: String,
    },
}

/// Export size choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportSize {
    /// The map's size on screen times 1, 2 or 3.
    Scale(u8),
    /// Width x height in pixels.
    Custom,
}

/// What a system file dialog was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Pick layers to open.
    OpenLayers,
    /// Pick where to write an export.
    SaveExport,
}
