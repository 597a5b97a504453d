//! bordermap: a desktop map viewer for analysts of the Kyrgyz–Tajik border conflict.
//!
//! - [`model`]: layers, features, time spans, events and problems (pure data, no egui).
//! - [`time`]: the time control and the time index (pure logic, no egui).
//! - [`io`]: reading layers (GeoJSON), time-field detection, the `check` summary.
//! - [`dataset`]: the loaded layers with their prepared geometry and events.
//! - [`map`]: the offline basemap, the overlay plugin, geometry preparation, style.
//! - [`ui`]: panels as functions that read state and push commands.
//! - [`app`]: the viewer, which owns the state and runs each frame.
//! - [`export`]: the map as PNG (and animations), offscreen, for the window and the CLI.
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod app;
pub mod dataset;
pub mod export;
pub mod io;
pub mod map;
pub mod model;
pub mod time;
pub mod ui;
