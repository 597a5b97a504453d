//! bordermap: a desktop map viewer for analysts of the Kyrgyz–Tajik border conflict.
//!
//! - [`model`]: layers, features, time spans and problems (pure data, no egui).
//! - [`io`]: reading layers (GeoJSON), time-field detection, the `check` summary.
#![warn(clippy::unwrap_used, clippy::expect_used)]

pub mod io;
pub mod model;
