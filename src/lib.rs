//! bordermap: a desktop map viewer for analysts of the Kyrgyz–Tajik border conflict.
//!
//! Data flows one way, from the bottom of this list to the top:
//! - [`time`]: time spans, the time control and the time index (pure logic, no GUI types).
//! - [`i18n`]: the interface's language (Fluent messages in English and Russian, per thread).
//! - [`instruments`]: geodesic measures, distance to the border, coordinates (decimal, DMS,
//!   MGRS) and the place search in Latin and Cyrillic (pure logic, no GUI types).
//! - [`model`]: layers, features, events and their claims, problems; the dataset of loaded
//!   layers with their prepared geometry (shared behind `Arc`); styles as plain RGBA.
//! - [`io`]: reading layers (GeoJSON, GeoJSON sequences, KML/KMZ, CSV), time fields, the
//!   background loader, the bundled layers, the `check` summary.
//! - [`map`]: the scene that the window and every export draw: basemaps (offline, online,
//!   PMTiles), the overlay with hit-testing and per-view drawing caches, the legend.
//! - [`export`]: the scene as PNG (and animations), offscreen, for the window and the CLI.
//! - [`command`]: everything a panel may ask the app to do.
//! - [`ui`]: panels as functions that read state and push commands.
//! - [`session`]: what survives a restart, written within a second of a change.
//! - [`views`]: saved views (place, moment, layers), their file format and their list.
//! - [`jobs`]: loads and exports running in the background.
//! - [`app`]: the viewer, which owns the state, runs each frame and applies commands.
//!
//! `map` and the modules above it need the `gui` feature (on by default); without it the
//! library is `time`, `model` and `io` only, which is what the fuzz targets in `fuzz/` build.
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "gui")]
pub mod allocator;
#[cfg(feature = "gui")]
pub mod app;
#[cfg(feature = "gui")]
pub mod command;
#[cfg(feature = "gui")]
pub mod export;
pub mod i18n;
pub mod instruments;
pub mod io;
#[cfg(feature = "gui")]
pub mod jobs;
#[cfg(feature = "gui")]
pub mod map;
pub mod model;
pub mod positions;
#[cfg(feature = "gui")]
pub mod session;
pub mod time;
#[cfg(feature = "gui")]
pub mod ui;
#[cfg(feature = "gui")]
pub mod views;
