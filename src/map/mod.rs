//! The map: the offline basemap (rasterised tiles), online and PMTiles basemaps, geometry
//! prepared for drawing, the overlay plugin with hit-testing, and the style.

pub mod basemap;
pub mod online;
pub mod overlay;
pub mod prepared;
pub mod raster;
pub mod style;
