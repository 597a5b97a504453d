//! The bundled layers, compiled into the binary so the viewer needs no set-up: read from
//! their bytes with the same GeoJSON reader as any file, named by their asset paths.

use std::path::Path;

use crate::io::timefields::TimeReader;
use crate::model::Layer;
use crate::model::dataset::{Dataset, LayerRole};

/// `assets/events.geojson`.
pub const EVENTS: &[u8] = include_bytes!("../../assets/events.geojson");
/// `assets/border.geojson`.
pub const BORDER: &[u8] = include_bytes!("../../assets/border.geojson");
/// `assets/basemap/countries.geojson`.
pub const COUNTRIES: &[u8] = include_bytes!("../../assets/basemap/countries.geojson");
/// `assets/basemap/lakes.geojson`.
pub const LAKES: &[u8] = include_bytes!("../../assets/basemap/lakes.geojson");
/// `assets/basemap/provinces.geojson`.
pub const PROVINCES: &[u8] = include_bytes!("../../assets/basemap/provinces.geojson");
/// `assets/basemap/world.geojson`: the world's countries at 1:50m, for low zooms and beyond
/// the regional data's box.
pub const WORLD: &[u8] = include_bytes!("../../assets/basemap/world.geojson");
/// `assets/basemap/places.geojson`.
pub const PLACES: &[u8] = include_bytes!("../../assets/basemap/places.geojson");

/// Reads a bundled layer from its bytes, naming it by its asset path.
pub fn read_bundled(bytes: &[u8], path: &str) -> Layer {
    crate::io::geojson::read_geojson(bytes, Path::new(path), &TimeReader::default())
}

/// The bundled border and events, prepared: what the viewer and every export start from.
pub fn dataset() -> Dataset {
    let mut dataset = Dataset::default();
    dataset.push(
        read_bundled(BORDER, "assets/border.geojson"),
        LayerRole::Border,
    );
    dataset.push(
        read_bundled(EVENTS, "assets/events.geojson"),
        LayerRole::Events,
    );
    dataset
}

/// The bundled places (`assets/basemap/places.geojson`), read once: the basemap's labels and
/// the place search's names.
pub fn places() -> &'static Layer {
    static PLACES_LAYER: std::sync::OnceLock<Layer> = std::sync::OnceLock::new();
    PLACES_LAYER.get_or_init(|| read_bundled(PLACES, "assets/basemap/places.geojson"))
}

/// Where points lie against the Kyrgyz–Tajik line, from the bundled border and countries
/// (built on first use: a few milliseconds).
pub fn border_index() -> Option<&'static crate::instruments::border::BorderIndex> {
    static INDEX: std::sync::OnceLock<Option<crate::instruments::border::BorderIndex>> =
        std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            crate::instruments::border::BorderIndex::from_geojson(BORDER, COUNTRIES).ok()
        })
        .as_ref()
}
