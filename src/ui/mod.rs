//! Panels as functions `*_ui(state, ui, commands)`: they read state and push [`Command`]s,
//! which the app applies once per frame.

pub mod events;
pub mod export_dialog;
pub mod file_dialog;
pub mod furniture;
pub mod inspector;
pub mod layers;
pub mod timeline;

use crate::time::{FeatureRef, TimeCommand};

/// Everything a panel can ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select a feature (or clear the selection) without moving anything.
    Select(Option<FeatureRef>),
    /// Select a feature from the list: move the cursor to its start, centre the map, select.
    Focus(FeatureRef),
    /// Centre the map on a feature.
    CenterOn(FeatureRef),
    /// Move the map to a preset view.
    GoTo(ViewPreset),
    /// Change the time control.
    Time(TimeCommand),
    /// Change a layer (by index in the dataset).
    Layer(usize, layers::LayerAction),
    /// Open files as new layers.
    Open(Vec<std::path::PathBuf>),
    /// Show this span on the timeline's axis.
    TimelineView(jiff::Timestamp, jiff::Timestamp),
}

/// Named map views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewPreset {
    /// Batken–Isfara: the conflict area.
    ConflictArea,
    /// All of Central Asia.
    CentralAsia,
}

impl ViewPreset {
    /// Centre (lon, lat) and zoom.
    pub fn view(self) -> (f64, f64, f64) {
        match self {
            ViewPreset::ConflictArea => (70.45, 40.0, 9.0),
            ViewPreset::CentralAsia => (68.5, 40.5, 5.0),
        }
    }
}
