//! Online (XYZ) and PMTiles basemaps.
