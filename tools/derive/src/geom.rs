//! Geometry helpers shared by the border and basemap derivations: reading the source
//! countries, great-circle lengths, exact segment keys, enclave detection and writing
//! GeoJSON FeatureCollections with a fixed member order.
use std::collections::HashSet;
use std::path::Path;

use geo::orient::{Direction, Orient};
use geo::{Area, BoundingRect, Contains, Coord, GeodesicArea, LineString, Polygon};
use serde_json::Value;

/// Mean earth radius (IUGG) used for every great-circle length in the derived layers.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Attribution of the OpenStreetMap-derived country polygons.
pub const OSM_ATTRIBUTION: &str = "© OpenStreetMap contributors, ODbL 1.0";
/// Attribution of the Natural Earth layers.
pub const NE_ATTRIBUTION: &str = "Natural Earth (public domain)";
/// Attribution of the GeoNames places.
pub const GEONAMES_ATTRIBUTION: &str = "GeoNames, CC BY 4.0";

/// The source countries file inside the input folder.
pub const COUNTRIES_FILE: &str = "countries-central-asia.geojson";

/// A lon/lat box (inclusive bounds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    pub fn contains(&self, c: Coord) -> bool {
        c.x >= self.min_lon && c.x <= self.max_lon && c.y >= self.min_lat && c.y <= self.max_lat
    }

    /// "lon 68.5–74.0, lat 39.4–41.8"
    pub fn describe(&self) -> String {
        format!(
            "lon {:.1}–{:.1}, lat {:.1}–{:.1}",
            self.min_lon, self.max_lon, self.min_lat, self.max_lat
        )
    }
}

/// The Fergana Valley area: the KGZ–UZB and TJK–UZB lines and the enclaves are taken here.
pub const FERGANA: BBox = BBox {
    min_lon: 68.5,
    min_lat: 39.4,
    max_lon: 74.0,
    max_lat: 41.8,
};

/// Great-circle (haversine) distance in km on a sphere of radius [`EARTH_RADIUS_KM`].
/// Coordinates are `x = lon, y = lat` in degrees.
pub fn haversine_km(a: Coord, b: Coord) -> f64 {
    let (lat1, lat2) = (a.y.to_radians(), b.y.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x - a.x).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Rounds to `decimals` decimal places (the result prints with at most that many).
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// An exact, hashable key of a vertex (the bits of its coordinates): "shared" means
/// bit-identical coordinates, as the source's neighbours share exact vertices.
pub type Key = (u64, u64);

pub fn key(c: Coord) -> Key {
    // +0.0 normalises -0.0 so both zeros give one key.
    ((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
}

/// An undirected segment key (the two vertex keys in sorted order).
pub fn seg_key(a: Coord, b: Coord) -> (Key, Key) {
    let (ka, kb) = (key(a), key(b));
    (ka.min(kb), ka.max(kb))
}

/// One country of the source file.
#[derive(Clone, Debug)]
pub struct Country {
    pub iso: String,
    pub name: String,
    /// The polygons of its (Multi)Polygon, in source order.
    pub parts: Vec<Polygon<f64>>,
}

impl Country {
    /// Every ring (exteriors and holes) of every part.
    pub fn rings(&self) -> impl Iterator<Item = &LineString<f64>> {
        self.parts
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors().iter()))
    }

    /// Undirected keys of all its ring segments.
    pub fn segment_set(&self) -> HashSet<(Key, Key)> {
        self.rings()
            .flat_map(|r| r.lines().map(|l| seg_key(l.start, l.end)))
            .collect()
    }

    pub fn vertex_count(&self) -> usize {
        self.rings().map(|r| r.0.len()).sum()
    }
}

pub fn read_json(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}: not valid JSON at line {}, column {}: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })
}

/// The `features` array of a FeatureCollection.
pub fn features_of<'a>(doc: &'a Value, path: &Path) -> Result<&'a Vec<Value>, String> {
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(format!(
            "{}: not a GeoJSON FeatureCollection",
            path.display()
        ));
    }
    doc.get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            format!(
                "{}: FeatureCollection without a features array",
                path.display()
            )
        })
}

fn parse_position(v: &Value) -> Option<Coord> {
    let a = v.as_array()?;
    if a.len() < 2 {
        return None;
    }
    let (x, y) = (a[0].as_f64()?, a[1].as_f64()?);
    (x.is_finite() && y.is_finite()).then_some(Coord { x, y })
}

fn parse_ring(v: &Value, what: &str) -> Result<LineString<f64>, String> {
    let arr = v
        .as_array()
        .ok_or_else(|| format!("{what}: a ring is not an array of positions"))?;
    let coords = arr
        .iter()
        .enumerate()
        .map(|(i, p)| {
            parse_position(p).ok_or_else(|| format!("{what}: position {i} is not [lon, lat]"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if coords.len() < 4 || coords.first() != coords.last() {
        return Err(format!(
            "{what}: a ring must be closed with at least 4 positions (has {})",
            coords.len()
        ));
    }
    Ok(LineString::new(coords))
}

fn parse_polygon(v: &Value, what: &str) -> Result<Polygon<f64>, String> {
    let rings = v
        .as_array()
        .ok_or_else(|| format!("{what}: polygon coordinates are not an array of rings"))?;
    let mut parsed = rings
        .iter()
        .enumerate()
        .map(|(i, r)| parse_ring(r, &format!("{what}, ring {i}")))
        .collect::<Result<Vec<_>, _>>()?;
    if parsed.is_empty() {
        return Err(format!("{what}: polygon without rings"));
    }
    let exterior = parsed.remove(0);
    Ok(Polygon::new(exterior, parsed))
}

/// Reads the polygons of a Polygon or MultiPolygon geometry object.
pub fn parse_polygons(geometry: &Value, what: &str) -> Result<Vec<Polygon<f64>>, String> {
    let kind = geometry.get("type").and_then(Value::as_str);
    let coords = geometry
        .get("coordinates")
        .ok_or_else(|| format!("{what}: geometry without coordinates"))?;
    match kind {
        Some("Polygon") => Ok(vec![parse_polygon(coords, what)?]),
        Some("MultiPolygon") => coords
            .as_array()
            .ok_or_else(|| format!("{what}: MultiPolygon coordinates are not an array"))?
            .iter()
            .enumerate()
            .map(|(i, p)| parse_polygon(p, &format!("{what}, polygon {i}")))
            .collect(),
        other => Err(format!(
            "{what}: expected a Polygon or MultiPolygon, found {other:?}"
        )),
    }
}

/// Reads the source countries file (properties `iso_a3`, `name`; (Multi)Polygon geometry).
pub fn read_countries(path: &Path) -> Result<Vec<Country>, String> {
    let doc = read_json(path)?;
    let mut out = Vec::new();
    for (i, f) in features_of(&doc, path)?.iter().enumerate() {
        let what = format!("{}: feature {i}", path.display());
        let props = f.get("properties");
        let prop = |k: &str| {
            props
                .and_then(|p| p.get(k))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("{what}: missing string property {k:?}"))
        };
        let (iso, name) = (prop("iso_a3")?, prop("name")?);
        let geometry = f
            .get("geometry")
            .ok_or_else(|| format!("{what} ({iso}): no geometry"))?;
        let parts = parse_polygons(geometry, &format!("{what} ({iso})"))?;
        out.push(Country { iso, name, parts });
    }
    Ok(out)
}

/// Finds a country by its ISO code.
pub fn country<'a>(
    countries: &'a [Country],
    iso: &str,
    path: &Path,
) -> Result<&'a Country, String> {
    countries
        .iter()
        .find(|c| c.iso == iso)
        .ok_or_else(|| format!("{}: no feature with iso_a3 {iso:?}", path.display()))
}

fn position_json(c: Coord) -> Value {
    serde_json::json!([round_to(c.x, 5), round_to(c.y, 5)])
}

pub fn line_json(coords: &[Coord]) -> Value {
    Value::Array(coords.iter().map(|c| position_json(*c)).collect())
}

pub fn polygon_json(p: &Polygon<f64>) -> Value {
    let mut rings = vec![line_json(&p.exterior().0)];
    rings.extend(p.interiors().iter().map(|r| line_json(&r.0)));
    Value::Array(rings)
}

/// A Polygon geometry for one part, a MultiPolygon for several.
pub fn polygons_geometry(parts: &[Polygon<f64>]) -> Value {
    match parts {
        [one] => serde_json::json!({"type": "Polygon", "coordinates": polygon_json(one)}),
        _ => serde_json::json!({
            "type": "MultiPolygon",
            "coordinates": parts.iter().map(polygon_json).collect::<Vec<_>>()
        }),
    }
}

/// Rounds every number inside a GeoJSON `coordinates` value to 5 decimals.
pub fn round_coordinates(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(round_coordinates).collect()),
        Value::Number(n) => match n.as_f64() {
            Some(x) => serde_json::json!(round_to(x, 5)),
            None => v.clone(),
        },
        other => other.clone(),
    }
}

pub fn feature(geometry: Value, properties: Value) -> Value {
    serde_json::json!({"type": "Feature", "properties": properties, "geometry": geometry})
}

/// Writes a FeatureCollection as `type`, `features` (one feature a line), then the extra
/// top-level (foreign) members, so that a streaming reader meets `features` first.
/// Returns the number of bytes written.
pub fn write_feature_collection(
    path: &Path,
    features: &[Value],
    members: &[(&str, Value)],
) -> Result<u64, String> {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, f) in features.iter().enumerate() {
        if i > 0 {
            s.push_str(",\n");
        }
        s.push_str(&f.to_string());
    }
    s.push_str("\n]");
    for (k, v) in members {
        s.push(',');
        s.push_str(&Value::String((*k).to_owned()).to_string());
        s.push(':');
        s.push_str(&v.to_string());
    }
    s.push_str("}\n");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, &s).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(s.len() as u64)
}

/// Geodesic area in km² (WGS84 ellipsoid). The rings are first wound the standard way
/// (exterior counter-clockwise), as geo's geodesic area reads a clockwise exterior as
/// "the rest of the earth".
pub fn area_km2(p: &Polygon<f64>) -> f64 {
    p.orient(Direction::Default).geodesic_area_unsigned() / 1e6
}

/// A part of one country that lies wholly inside another country's territory.
#[derive(Clone, Debug, PartialEq)]
pub struct Enclave {
    /// Index of the enclave's country in the countries slice.
    pub country: usize,
    /// Index of the part (polygon) of that country.
    pub part: usize,
    /// Index of the surrounding country.
    pub within: usize,
    /// Index of the surrounding country's part.
    pub within_part: usize,
    /// True when every segment of the enclave's outline is also a segment of the host's
    /// rings (the host has a matching hole); false when the host's polygon simply contains
    /// the enclave (the host has no hole there and overlaps it).
    pub shares_boundary: bool,
    pub area_km2: f64,
}

/// Finds enclaves: parts of the `candidates` countries other than each one's largest part,
/// smaller than `max_area_km2`, whose bounding box centre lies in `region`, and that are
/// either wholly bounded by one other country (every outline segment shared with it) or
/// wholly contained in one of its polygons.
pub fn find_enclaves(
    countries: &[Country],
    candidates: &[&str],
    region: BBox,
    max_area_km2: f64,
) -> Vec<Enclave> {
    let segment_sets: Vec<HashSet<(Key, Key)>> =
        countries.iter().map(Country::segment_set).collect();
    let mut out = Vec::new();
    for (ci, c) in countries.iter().enumerate() {
        if !candidates.contains(&c.iso.as_str()) {
            continue;
        }
        let largest = c
            .parts
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.unsigned_area().total_cmp(&b.1.unsigned_area()))
            .map(|(i, _)| i);
        for (pi, part) in c.parts.iter().enumerate() {
            if Some(pi) == largest {
                continue;
            }
            let Some(bb) = part.bounding_rect() else {
                continue;
            };
            if !region.contains(bb.center()) {
                continue;
            }
            let area = area_km2(part);
            if area > max_area_km2 {
                continue;
            }
            let outline: Vec<(Key, Key)> = part
                .exterior()
                .lines()
                .map(|l| seg_key(l.start, l.end))
                .collect();
            'hosts: for (hi, host) in countries.iter().enumerate() {
                if hi == ci {
                    continue;
                }
                let shares =
                    !outline.is_empty() && outline.iter().all(|s| segment_sets[hi].contains(s));
                for (hpi, hp) in host.parts.iter().enumerate() {
                    let Some(hbb) = hp.bounding_rect() else {
                        continue;
                    };
                    let inside_box = hbb.min().x <= bb.min().x
                        && hbb.min().y <= bb.min().y
                        && hbb.max().x >= bb.max().x
                        && hbb.max().y >= bb.max().y;
                    if !inside_box {
                        continue;
                    }
                    let bounded = shares
                        && hp.interiors().iter().any(|h| {
                            let hs: HashSet<(Key, Key)> =
                                h.lines().map(|l| seg_key(l.start, l.end)).collect();
                            outline.iter().all(|s| hs.contains(s))
                        });
                    if bounded || hp.contains(part) {
                        out.push(Enclave {
                            country: ci,
                            part: pi,
                            within: hi,
                            within_part: hpi,
                            shares_boundary: bounded,
                            area_km2: area,
                        });
                        break 'hosts;
                    }
                }
            }
        }
    }
    out
}

/// Planar-approximate distance in km from a point to a polygon's outline (0 if inside).
pub fn distance_to_polygon_km(p: &Polygon<f64>, pt: Coord) -> f64 {
    if p.contains(&pt) {
        return 0.0;
    }
    km_to_outline(p, pt)
}

/// Distance in km from a point to a polygon's exterior ring (inside or out), in a local
/// equirectangular frame (good to a few metres at these distances).
pub fn km_to_outline(p: &Polygon<f64>, pt: Coord) -> f64 {
    let kx = pt.y.to_radians().cos();
    let mut best = f64::INFINITY;
    for l in p.exterior().lines() {
        // Project onto the segment in the local frame.
        let (ax, ay) = ((l.start.x - pt.x) * kx, l.start.y - pt.y);
        let (bx, by) = ((l.end.x - pt.x) * kx, l.end.y - pt.y);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (cx, cy) = (ax + t * dx, ay + t * dy);
        best = best.min((cx * cx + cy * cy).sqrt());
    }
    best * EARTH_RADIUS_KM.to_radians()
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use geo::polygon;

    pub fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)]
    }

    #[test]
    fn haversine_one_degree_of_meridian() {
        let d = haversine_km(Coord { x: 70.0, y: 40.0 }, Coord { x: 70.0, y: 41.0 });
        assert!((d - 111.195).abs() < 0.001, "{d}");
    }

    #[test]
    fn area_does_not_depend_on_winding() {
        let ccw = square(70.0, 40.0, 70.1, 40.1);
        let cw = Polygon::new(
            LineString::new(ccw.exterior().0.iter().rev().copied().collect()),
            vec![],
        );
        let (a, b) = (area_km2(&ccw), area_km2(&cw));
        assert!((a - b).abs() < 1e-9 && a > 90.0 && a < 100.0, "{a} {b}");
    }

    #[test]
    fn rounding_prints_five_decimals() {
        assert_eq!(
            serde_json::json!(round_to(70.123456789, 5)).to_string(),
            "70.12346"
        );
    }
}
