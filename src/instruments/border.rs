//! Where a point lies against the Kyrgyz–Tajik line: the geodesic distance to the line's
//! nearest point, and the country (and enclave) it lies in on the bundled border data.
//!
//! Built once from the bundled GeoJSON (the border layer's `KGZ-TJK` line and enclave
//! polygons, the basemap's countries); a query is a nearest-segment search in an R-tree and
//! point-in-polygon tests over the edges of one horizontal band of each country: a couple of
//! microseconds, so the inspector asks for the feature it shows.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line};
use serde_json::Value;

use super::geodesy;

/// A point's place against the border.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// Geodesic distance to the nearest point of the Kyrgyz–Tajik line, metres.
    pub metres: f64,
    /// That nearest point, `[lon, lat]`.
    pub nearest: [f64; 2],
    /// The country it lies in (its name), if any of the bundled ones.
    pub country: Option<String>,
    /// The enclave it lies in, with the country the enclave belongs to.
    pub enclave: Option<(String, String)>,
}

impl Placement {
    /// "Tajikistan — Vorukh enclave" / "Kyrgyzstan" / "outside the bundled countries".
    pub fn side(&self) -> String {
        match (&self.country, &self.enclave) {
            (_, Some((enclave, owner))) => format!("{owner} — {enclave} enclave"),
            (Some(country), None) => country.clone(),
            (None, None) => "outside the bundled countries".into(),
        }
    }
}

/// A polygon (with holes and parts) for fast point-in-polygon tests.
struct Region {
    name: String,
    /// For an enclave: the name of the country it belongs to.
    owner: Option<String>,
    bbox: [f64; 4],
    band_height: f64,
    /// Edges `[x1, y1, x2, y2]` by horizontal band of the bounding box.
    bands: Vec<Vec<[f64; 4]>>,
}

const BANDS: usize = 256;

impl Region {
    fn new(name: String, owner: Option<String>, rings: Vec<Vec<[f64; 2]>>) -> Option<Self> {
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for p in rings.iter().flatten() {
            bbox = [
                bbox[0].min(p[0]),
                bbox[1].min(p[1]),
                bbox[2].max(p[0]),
                bbox[3].max(p[1]),
            ];
        }
        if bbox[0] > bbox[2] {
            return None;
        }
        let band_height = ((bbox[3] - bbox[1]) / BANDS as f64).max(1e-9);
        let mut bands = vec![Vec::new(); BANDS];
        let band_of = |y: f64| (((y - bbox[1]) / band_height) as usize).min(BANDS - 1);
        for ring in &rings {
            for w in ring.windows(2) {
                let edge = [w[0][0], w[0][1], w[1][0], w[1][1]];
                let (lo, hi) = (band_of(edge[1].min(edge[3])), band_of(edge[1].max(edge[3])));
                for band in &mut bands[lo..=hi] {
                    band.push(edge);
                }
            }
        }
        Some(Self {
            name,
            owner,
            bbox,
            band_height,
            bands,
        })
    }

    /// Even-odd crossing test over the edges of the point's band.
    fn contains(&self, [x, y]: [f64; 2]) -> bool {
        let b = self.bbox;
        if x < b[0] || x > b[2] || y < b[1] || y > b[3] {
            return false;
        }
        let band = (((y - b[1]) / self.band_height) as usize).min(BANDS - 1);
        let mut inside = false;
        for &[x1, y1, x2, y2] in &self.bands[band] {
            if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
                inside = !inside;
            }
        }
        inside
    }
}

/// The line's segments (in degrees, x scaled by the cosine of 40°, for the nearest search)
/// and the countries and enclaves.
pub struct BorderIndex {
    segments: RTree<GeomWithData<Line<[f64; 2]>, usize>>,
    lines: Vec<[[f64; 2]; 2]>,
    countries: Vec<Region>,
    enclaves: Vec<Region>,
}

/// Longitude scale of the search space: the cosine of 40° N, the valley's latitude.
const X_SCALE: f64 = 0.766_044_443;

impl BorderIndex {
    /// From the border layer's GeoJSON (features with `"pair": "KGZ-TJK"` are the line, with
    /// the outlines of Kyrgyz enclaves in Tajikistan and Tajik ones in Kyrgyzstan; `"kind":
    /// "enclave"` polygons are the enclaves, with their `"country"` and `"within"`) and the countries'
    /// (polygons with `name` and `iso_a3`). Anything else in them is ignored.
    pub fn from_geojson(border: &[u8], countries: &[u8]) -> Result<Self, serde_json::Error> {
        let border: Value = serde_json::from_slice(border)?;
        let countries: Value = serde_json::from_slice(countries)?;
        let mut names = std::collections::HashMap::new();
        let mut regions = Vec::new();
        for f in features(&countries) {
            let name = text(f, "name").unwrap_or("?").to_string();
            if let Some(iso) = text(f, "iso_a3") {
                names.insert(iso.to_string(), name.clone());
            }
            regions.extend(Region::new(name, None, polygon_rings(f)));
        }
        let mut lines = Vec::new();
        let mut enclaves = Vec::new();
        for f in features(&border) {
            if text(f, "pair") == Some("KGZ-TJK") {
                for line in line_parts(f) {
                    lines.extend(line.windows(2).map(|w| [w[0], w[1]]));
                }
            } else if text(f, "kind") == Some("enclave") {
                // A Tajik enclave in Kyrgyzstan (Vorukh), or the other way round: its
                // outline is the Kyrgyz–Tajik line too.
                let pair = [text(f, "country"), text(f, "within")];
                if pair == [Some("TJK"), Some("KGZ")] || pair == [Some("KGZ"), Some("TJK")] {
                    for ring in polygon_rings(f) {
                        lines.extend(ring.windows(2).map(|w| [w[0], w[1]]));
                    }
                }
                let name = text(f, "name").unwrap_or("?").to_string();
                let owner = text(f, "country").map(|c| names.get(c).cloned().unwrap_or(c.into()));
                enclaves.extend(Region::new(name, owner, polygon_rings(f)));
            }
        }
        let segments = RTree::bulk_load(
            lines
                .iter()
                .enumerate()
                .map(|(i, [a, b])| GeomWithData::new(Line::new(scaled(*a), scaled(*b)), i))
                .collect(),
        );
        Ok(Self {
            segments,
            lines,
            countries: regions,
            enclaves,
        })
    }

    /// The sites (name, `[lon, lat]`, precision radius in metres) whose precision area
    /// reaches across the Kyrgyz–Tajik line: on this border, which side a shell landed on
    /// is itself the claim, so such an event's side is uncertain.
    pub fn straddling<'a>(
        &self,
        sites: impl IntoIterator<Item = (&'a str, [f64; 2], f64)>,
    ) -> Vec<(&'a str, f64)> {
        sites
            .into_iter()
            .filter(|(_, _, r)| *r > 0.0)
            .filter_map(|(name, at, r)| {
                let placed = self.place(at)?;
                (placed.metres <= r).then_some((name, placed.metres))
            })
            .collect()
    }

    /// How far `[lon, lat]` is from the line, and on which side. `None` when there is no line.
    pub fn place(&self, p: [f64; 2]) -> Option<Placement> {
        if !(p[0].is_finite() && p[1].is_finite()) {
            return None;
        }
        // The nearest few segments in the scaled search space; the true nearest (on the
        // ellipsoid) is among them.
        let mut best: Option<(f64, [f64; 2])> = None;
        for candidate in self.segments.nearest_neighbor_iter(&scaled(p)).take(8) {
            let [a, b] = self.lines[candidate.data];
            let q = closest_on_segment(p, a, b);
            let d = geodesy::distance(p, q);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, q));
            }
        }
        let (metres, nearest) = best?;
        let country = self
            .countries
            .iter()
            .find(|c| c.contains(p))
            .map(|c| c.name.clone());
        let enclave = self
            .enclaves
            .iter()
            .find(|e| e.contains(p))
            .map(|e| (e.name.clone(), e.owner.clone().unwrap_or_default()));
        Some(Placement {
            metres,
            nearest,
            country,
            enclave,
        })
    }
}

fn scaled([lon, lat]: [f64; 2]) -> [f64; 2] {
    [lon * X_SCALE, lat]
}

/// The point of segment `a`–`b` nearest to `p`, in a plane tangent at `p` (metres east and
/// north are proportional to longitude times the cosine of the latitude, and latitude).
fn closest_on_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2]) -> [f64; 2] {
    let k = p[1].to_radians().cos();
    let (ax, ay) = ((a[0] - p[0]) * k, a[1] - p[1]);
    let (bx, by) = ((b[0] - p[0]) * k, b[1] - p[1]);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
}

fn features(collection: &Value) -> impl Iterator<Item = &Value> {
    collection
        .get("features")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn text<'a>(feature: &'a Value, key: &str) -> Option<&'a str> {
    feature.get("properties")?.get(key)?.as_str()
}

fn position(v: &Value) -> Option<[f64; 2]> {
    let a = v.as_array()?;
    Some([a.first()?.as_f64()?, a.get(1)?.as_f64()?])
}

fn ring(v: &Value) -> Vec<[f64; 2]> {
    v.as_array()
        .map(|a| a.iter().filter_map(position).collect())
        .unwrap_or_default()
}

/// Every ring of a Polygon or MultiPolygon feature.
fn polygon_rings(feature: &Value) -> Vec<Vec<[f64; 2]>> {
    let Some(g) = feature.get("geometry") else {
        return Vec::new();
    };
    let coords = g.get("coordinates").and_then(Value::as_array);
    let rings_of = |polygon: &Value| -> Vec<Vec<[f64; 2]>> {
        polygon
            .as_array()
            .map(|rs| rs.iter().map(ring).collect())
            .unwrap_or_default()
    };
    match (g.get("type").and_then(Value::as_str), coords) {
        (Some("Polygon"), Some(c)) => c.iter().map(ring).collect(),
        (Some("MultiPolygon"), Some(c)) => c.iter().flat_map(rings_of).collect(),
        _ => Vec::new(),
    }
}

/// Every part of a LineString or MultiLineString feature.
fn line_parts(feature: &Value) -> Vec<Vec<[f64; 2]>> {
    let Some(g) = feature.get("geometry") else {
        return Vec::new();
    };
    let coords = g.get("coordinates").and_then(Value::as_array);
    match (g.get("type").and_then(Value::as_str), coords) {
        (Some("LineString"), Some(_)) => g.get("coordinates").map(ring).into_iter().collect(),
        (Some("MultiLineString"), Some(c)) => c.iter().map(ring).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BORDER: &[u8] = include_bytes!("../../assets/border.geojson");
    const COUNTRIES: &[u8] = include_bytes!("../../assets/basemap/countries.geojson");

    fn index() -> BorderIndex {
        BorderIndex::from_geojson(BORDER, COUNTRIES).unwrap()
    }

    #[test]
    fn towns_on_either_side_are_placed_in_their_country() {
        let ix = index();
        // Batken (KG) and Isfara (TJ), each some kilometres from the line.
        let batken = ix.place([70.819, 40.063]).unwrap();
        assert_eq!(batken.side(), "Kyrgyzstan");
        assert!((1_000.0..30_000.0).contains(&batken.metres), "{batken:?}");
        let isfara = ix.place([70.625, 40.126]).unwrap();
        assert_eq!(isfara.side(), "Tajikistan");
        assert!(isfara.metres < 15_000.0, "{isfara:?}");
        // Far away, far from the line.
        let bishkek = ix.place([74.5698, 42.8746]).unwrap();
        assert_eq!(bishkek.side(), "Kyrgyzstan");
        assert!(bishkek.metres > 150_000.0, "{bishkek:?}");
    }

    #[test]
    fn a_point_in_vorukh_is_in_the_tajik_enclave_inside_kyrgyzstan() {
        let ix = index();
        let vorukh = ix.place([70.58, 39.85]).unwrap();
        assert_eq!(vorukh.side(), "Tajikistan — Vorukh enclave", "{vorukh:?}");
        // The enclave's edge is the line: the village is a few kilometres from it.
        assert!(vorukh.metres < 10_000.0, "{vorukh:?}");
    }

    #[test]
    fn the_nearest_point_is_on_the_line_and_the_distance_is_to_it() {
        let ix = index();
        let p = [70.7, 40.0];
        let placed = ix.place(p).unwrap();
        let d = geodesy::distance(p, placed.nearest);
        assert!((d - placed.metres).abs() < 1e-6);
        // No vertex of the line is nearer than the nearest point found.
        let nearest_vertex = ix
            .lines
            .iter()
            .flat_map(|s| s.iter())
            .map(|q| geodesy::distance(p, *q))
            .fold(f64::MAX, f64::min);
        assert!(placed.metres <= nearest_vertex + 1e-6);
        assert!(nearest_vertex - placed.metres < 5_000.0);
    }

    #[test]
    fn a_precision_area_across_the_line_makes_the_side_uncertain() {
        let ix = index();
        let near = [70.58, 39.85]; // Vorukh, a few km from the enclave's outline
        let d = ix.place(near).unwrap().metres;
        let straddling = ix.straddling([("near", near, d + 500.0), ("tight", near, d - 500.0)]);
        assert_eq!(straddling.len(), 1);
        assert_eq!(straddling[0].0, "near");
        assert!(ix.straddling([("exact", near, 0.0)]).is_empty());
    }

    #[test]
    fn nonsense_positions_are_not_placed() {
        let ix = index();
        assert_eq!(ix.place([f64::NAN, 40.0]), None);
        let empty = BorderIndex::from_geojson(br#"{"features":[]}"#, b"{}").unwrap();
        assert_eq!(empty.place([70.0, 40.0]), None);
    }
}
