//! Where a site is drawn against what it names: which country's 2017 polygon the drawn
//! point lies in (to compare with the country the data states for the place), and how far
//! the drawn point can be from the place it names (its precision class).

use geo::{Area, Contains, Coord, MultiPolygon, Point, Polygon};
use serde::Deserialize;

/// Precision classes, finest first: the radius (km) within which the named place lies of
/// the drawn point. `country` has a radius computed per site (the farthest point of the
/// country); `none` has none (the point stands for no place: a report, a call, a ceasefire
/// along the whole border).
pub const CLASSES: [(&str, Option<f64>); 8] = [
    ("exact", Some(0.5)),
    ("village", Some(2.0)),
    ("town", Some(5.0)),
    ("city", Some(15.0)),
    ("district", Some(25.0)),
    ("region", Some(150.0)),
    ("country", None),
    ("none", None),
];

/// The event `location_precision` labels, finest first.
pub const LABELS: [&str; 5] = ["site", "settlement", "district", "region", "estimated"];

/// The finest event label a site of this class allows.
pub fn finest_label(class: &str) -> &'static str {
    match class {
        "exact" => "site",
        "village" | "town" | "city" => "settlement",
        "district" => "district",
        "region" => "region",
        _ => "estimated",
    }
}

pub fn label_rank(label: &str) -> usize {
    LABELS
        .iter()
        .position(|l| *l == label)
        .unwrap_or(LABELS.len())
}

/// The extent of a place drawn at its own coordinates, by the gazetteer's precision word
/// (or "city" for a GeoNames city point): the class radius that holds its named place.
pub fn own_class(precision: &str) -> Option<&'static str> {
    match precision {
        "site" => Some("exact"),
        "village" => Some("village"),
        // A jamoat's point is its centre; a jamoat is a few villages.
        "town" | "jamoat" => Some("town"),
        "city" | "city centre" => Some("city"),
        _ => None,
    }
}

/// The smallest fixed-radius class whose radius holds `km`.
pub fn class_for(km: f64) -> Option<(&'static str, f64)> {
    CLASSES
        .iter()
        .find_map(|(name, r)| r.filter(|r| km <= *r).map(|r| (*name, r)))
}

pub fn radius_of(class: &str) -> Option<f64> {
    CLASSES
        .iter()
        .find(|(name, _)| *name == class)
        .and_then(|(_, r)| *r)
}

/// What bounds the distance between a stand-in's drawn point and the place it names.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum BoundIn {
    /// The named place lies between the drawn point and these gazetteer places (e.g. on the
    /// road to them): at most as far as the farthest of them.
    Farthest {
        farthest_of: Vec<String>,
        why: String,
    },
    /// The named place lies within the country polygon that contains this gazetteer place
    /// (the smallest, so an exclave): at most as far as that polygon's farthest vertex.
    Polygon { polygon_at: String, why: String },
    /// Only the country is known ("KG", "TJ"): at most as far as its farthest vertex.
    Country { country: String, why: String },
    /// The point stands for no place.
    None { none: String },
}

/// The KGZ, TJK and UZB polygons of the 2017 data, each part with its country.
pub struct Countries {
    parts: Vec<(&'static str, Polygon<f64>, f64)>,
}

impl Countries {
    pub fn new(countries: &[(&'static str, &MultiPolygon<f64>)]) -> Self {
        let mut parts = Vec::new();
        for (iso2, mp) in countries {
            for p in &mp.0 {
                parts.push((*iso2, p.clone(), p.unsigned_area()));
            }
        }
        Self { parts }
    }

    /// The country whose polygon contains the point; where polygons overlap (in this data an
    /// enclave's polygon lies on its host's land, which has no hole for it) the smallest wins.
    pub fn at(&self, lon: f64, lat: f64) -> Option<(&'static str, &Polygon<f64>)> {
        let pt = Point::new(lon, lat);
        self.parts
            .iter()
            .filter(|(_, p, _)| p.contains(&pt))
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(iso, p, _)| (*iso, p))
    }

    /// The farthest vertex of any of the country's polygons from a point, km.
    pub fn farthest_km(&self, iso2: &str, from: Coord) -> Option<f64> {
        self.parts
            .iter()
            .filter(|(iso, _, _)| *iso == iso2)
            .map(|(_, p, _)| farthest_km(p, from))
            .reduce(f64::max)
    }
}

pub fn country_name(iso2: &str) -> &'static str {
    match iso2 {
        "KG" => "Kyrgyzstan",
        "TJ" => "Tajikistan",
        "UZ" => "Uzbekistan",
        _ => "another country",
    }
}

/// Great-circle distance in km.
pub fn haversine_km(a: Coord, b: Coord) -> f64 {
    crate::geom::haversine_km(a, b)
}

/// The farthest exterior vertex of a polygon from a point, km.
pub fn farthest_km(p: &Polygon<f64>, from: Coord) -> f64 {
    p.exterior()
        .coords()
        .map(|c| haversine_km(from, *c))
        .fold(0.0, f64::max)
}

pub use crate::geom::km_to_outline;

/// "±3 km" → 3.
pub fn plus_minus_km(precision: &str) -> Option<f64> {
    precision
        .trim()
        .strip_prefix('±')?
        .trim()
        .strip_suffix("km")?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::tests::square;

    #[test]
    fn classes_are_ordered_and_pick_the_smallest() {
        assert_eq!(class_for(0.0), Some(("exact", 0.5)));
        assert_eq!(class_for(3.0), Some(("town", 5.0)));
        assert_eq!(class_for(22.0), Some(("district", 25.0)));
        assert_eq!(class_for(112.0), Some(("region", 150.0)));
        assert_eq!(class_for(400.0), None);
        assert_eq!(finest_label("town"), "settlement");
        assert!(label_rank("district") < label_rank("region"));
        assert_eq!(plus_minus_km("±3 km"), Some(3.0));
        assert_eq!(plus_minus_km("village"), None);
    }

    #[test]
    fn the_smallest_polygon_wins_and_distances() {
        let host = MultiPolygon::new(vec![square(0.0, 0.0, 1.0, 1.0)]);
        let enclave = MultiPolygon::new(vec![square(0.4, 0.4, 0.6, 0.6)]);
        let c = Countries::new(&[("KG", &host), ("TJ", &enclave)]);
        assert_eq!(c.at(0.5, 0.5).map(|x| x.0), Some("TJ"));
        assert_eq!(c.at(0.1, 0.1).map(|x| x.0), Some("KG"));
        assert!(c.at(2.0, 2.0).is_none());
        let (_, p) = c.at(0.5, 0.5).unwrap();
        // 0.1° of latitude is about 11.1 km.
        let d = km_to_outline(p, Coord { x: 0.5, y: 0.5 });
        assert!((d - 11.12).abs() < 0.1, "{d}");
        let far = c.farthest_km("KG", Coord { x: 0.0, y: 0.0 }).unwrap();
        assert!((far - 157.2).abs() < 0.5, "{far}");
    }
}
