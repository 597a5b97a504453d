//! The map: the offline basemap (rasterised tiles), geometry prepared for drawing, the
//! overlay plugin with hit-testing, and the style.

pub mod basemap;
pub mod overlay;
pub mod prepared;
pub mod raster;
pub mod style;
