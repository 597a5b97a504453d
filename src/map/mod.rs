//! The map: the scene that the window and every export draw ([`scene`]), the offline
//! basemap (rasterised tiles), online and PMTiles basemaps and the one picked, the overlay
//! plugin with hit-testing and per-view drawing caches, the legend and other furniture, the
//! analyst's marks (measurements, the Go to marker), and the colours of things on screen.

pub mod basemap;
pub mod choice;
pub mod clusters;
pub mod furniture;
pub mod layer_tiles;
pub mod marks;
pub mod online;
pub mod overlay;
pub mod paint;
pub mod raster;
pub mod scene;
pub mod style;
pub mod tile_queue;
pub mod view;
pub mod window;
