//! Geometry for the events layer: evacuation zones (buffers in a local metric projection,
//! clipped to a country and with other countries' territory cut out) and GeoJSON output.

use geo::algorithm::buffer::{BufferStyle, LineCap};
use geo::orient::{Direction, Orient};
use geo::{
    Area, BooleanOps, Buffer, Coord, LineString, MapCoords, MultiPoint, MultiPolygon, Point,
    Polygon,
};
use serde::Serialize;
use serde_json::{Value, json};

/// Kilometres per degree (of latitude; of longitude at the equator).
pub const KM_PER_DEG: f64 = 111.32;
/// Reference latitude of the equirectangular projection (the Fergana valley).
pub const REF_LAT: f64 = 40.0;
/// Parts of a clipped zone smaller than this (km²) are slivers and are dropped.
const MIN_PART_KM2: f64 = 0.01;
/// Segments of a buffer circle.
const CIRCLE_SEGMENTS: f64 = 64.0;

fn kx() -> f64 {
    KM_PER_DEG * REF_LAT.to_radians().cos()
}

/// lon/lat (degrees) → local km.
pub fn project(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: c.x * kx(),
        y: c.y * KM_PER_DEG,
    }
}

/// local km → lon/lat (degrees).
pub fn unproject(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: c.x / kx(),
        y: c.y / KM_PER_DEG,
    }
}

/// Rounds to 5 decimals (about 1 m).
pub fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// Union of `radius_km` discs around `points` (lon, lat), intersected with `clip` and with
/// each of `cut` removed. Inputs and output are lon/lat; the work is done in km.
pub fn buffer_and_clip(
    points: &[(f64, f64)],
    radius_km: f64,
    clip: &MultiPolygon<f64>,
    cut: &[&MultiPolygon<f64>],
) -> MultiPolygon<f64> {
    let centres: MultiPoint<f64> = points
        .iter()
        .map(|&(lon, lat)| Point::from(project(Coord { x: lon, y: lat })))
        .collect();
    let style = BufferStyle::new(radius_km)
        .line_cap(LineCap::Round(2.0 * std::f64::consts::PI / CIRCLE_SEGMENTS));
    let discs = centres.buffer_with_style(style);
    let mut zone = discs.intersection(&clip.map_coords(project));
    for other in cut {
        zone = zone.difference(&other.map_coords(project));
    }
    let kept: Vec<Polygon<f64>> = zone
        .into_iter()
        .filter(|p| p.unsigned_area() >= MIN_PART_KM2)
        .map(|p| p.orient(Direction::Default))
        .collect();
    MultiPolygon::new(kept).map_coords(unproject)
}

/// Area in km² of a lon/lat multipolygon, in the same local projection.
pub fn area_km2(mp: &MultiPolygon<f64>) -> f64 {
    mp.map_coords(project).unsigned_area()
}

/// Reads the (Multi)Polygon of the feature with `iso_a3 == iso` from a countries
/// FeatureCollection.
pub fn country(collection: &Value, iso: &str, file: &str) -> Result<MultiPolygon<f64>, String> {
    let features = collection
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{file}: not a FeatureCollection (no \"features\" array)"))?;
    let feature = features
        .iter()
        .find(|f| f.pointer("/properties/iso_a3").and_then(Value::as_str) == Some(iso))
        .ok_or_else(|| format!("{file}: no feature with iso_a3 = {iso}"))?;
    let geometry = feature
        .get("geometry")
        .ok_or_else(|| format!("{file}: {iso} has no geometry"))?;
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = geometry
        .get("coordinates")
        .ok_or_else(|| format!("{file}: {iso} geometry has no coordinates"))?;
    let polys: Vec<&Value> = match kind {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords
            .as_array()
            .ok_or_else(|| format!("{file}: {iso} MultiPolygon coordinates are not an array"))?
            .iter()
            .collect(),
        other => {
            return Err(format!(
                "{file}: {iso} geometry is {other:?}, expected a (Multi)Polygon"
            ));
        }
    };
    let mut out = Vec::with_capacity(polys.len());
    for poly in polys {
        let rings = poly
            .as_array()
            .ok_or_else(|| format!("{file}: {iso}: polygon is not an array of rings"))?;
        let mut parsed = Vec::with_capacity(rings.len());
        for ring in rings {
            parsed.push(ring_from_json(ring).map_err(|e| format!("{file}: {iso}: {e}"))?);
        }
        let mut it = parsed.into_iter();
        let Some(exterior) = it.next() else { continue };
        out.push(Polygon::new(exterior, it.collect()));
    }
    Ok(MultiPolygon::new(out))
}

fn ring_from_json(ring: &Value) -> Result<LineString<f64>, String> {
    let points = ring.as_array().ok_or("ring is not an array")?;
    let mut coords = Vec::with_capacity(points.len());
    for p in points {
        let x = p.get(0).and_then(Value::as_f64);
        let y = p.get(1).and_then(Value::as_f64);
        match (x, y) {
            (Some(x), Some(y)) => coords.push(Coord { x, y }),
            _ => return Err(format!("bad position {p}")),
        }
    }
    Ok(LineString::new(coords))
}

/// A GeoJSON geometry with `type` written first.
#[derive(Debug, Clone, Serialize)]
pub struct GeometryOut {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub coordinates: Value,
}

/// `[lon, lat]` rounded to 5 decimals.
pub fn position(lon: f64, lat: f64) -> Value {
    json!([round5(lon), round5(lat)])
}

fn ring_json(ring: &LineString<f64>) -> Option<Value> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(ring.0.len());
    for c in &ring.0 {
        let p = (round5(c.x), round5(c.y));
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    if out.first() != out.last() {
        let first = *out.first()?;
        out.push(first);
    }
    if out.len() < 4 {
        return None;
    }
    Some(Value::Array(
        out.into_iter().map(|(x, y)| json!([x, y])).collect(),
    ))
}

fn polygon_json(p: &Polygon<f64>) -> Option<Value> {
    let exterior = ring_json(p.exterior())?;
    let mut rings = vec![exterior];
    rings.extend(p.interiors().iter().filter_map(ring_json));
    Some(Value::Array(rings))
}

/// GeoJSON geometry for a (lon/lat) multipolygon: a Polygon when it has one part.
pub fn multipolygon_json(mp: &MultiPolygon<f64>) -> Option<GeometryOut> {
    let mut parts: Vec<Value> = mp.0.iter().filter_map(polygon_json).collect();
    match parts.len() {
        0 => None,
        1 => parts.pop().map(|p| GeometryOut {
            kind: "Polygon",
            coordinates: p,
        }),
        _ => Some(GeometryOut {
            kind: "MultiPolygon",
            coordinates: Value::Array(parts),
        }),
    }
}

/// GeoJSON geometry for points (lon, lat): a Point for one, a MultiPoint for several.
pub fn points_json(points: &[(f64, f64)]) -> Option<GeometryOut> {
    match points {
        [] => None,
        [(lon, lat)] => Some(GeometryOut {
            kind: "Point",
            coordinates: position(*lon, *lat),
        }),
        many => Some(GeometryOut {
            kind: "MultiPoint",
            coordinates: Value::Array(many.iter().map(|&(lon, lat)| position(lon, lat)).collect()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lon/lat square of `half` degrees around (lon, lat).
    fn square(lon: f64, lat: f64, half: f64) -> MultiPolygon<f64> {
        let ring = LineString::from(vec![
            (lon - half, lat - half),
            (lon + half, lat - half),
            (lon + half, lat + half),
            (lon - half, lat + half),
            (lon - half, lat - half),
        ]);
        MultiPolygon::new(vec![Polygon::new(ring, vec![])])
    }

    fn circle_km2(r: f64) -> f64 {
        // area of the inscribed 64-gon
        0.5 * CIRCLE_SEGMENTS * r * r * (2.0 * std::f64::consts::PI / CIRCLE_SEGMENTS).sin()
    }

    #[test]
    fn disc_inside_the_clip_is_whole_and_round_in_km() {
        let clip = square(70.0, 40.0, 0.2); // about ±17 km by ±22 km
        let zone = buffer_and_clip(&[(70.0, 40.0)], 4.0, &clip, &[]);
        assert_eq!(zone.0.len(), 1);
        let a = area_km2(&zone);
        assert!((a - circle_km2(4.0)).abs() < 0.01, "area {a}");
        // Round in km: 4 km east is 4 / (111.32 cos 40°) degrees of longitude.
        let max_lon = zone.0[0]
            .exterior()
            .0
            .iter()
            .map(|c| c.x)
            .fold(f64::MIN, f64::max);
        let expected = 70.0 + 4.0 / (KM_PER_DEG * 40f64.to_radians().cos());
        assert!((max_lon - expected).abs() < 1e-6, "{max_lon} vs {expected}");
    }

    #[test]
    fn disc_on_a_corner_is_clipped_to_a_quarter() {
        let clip = square(70.1, 40.1, 0.1); // corner at (70.0, 40.0)
        let zone = buffer_and_clip(&[(70.0, 40.0)], 4.0, &clip, &[]);
        let a = area_km2(&zone);
        assert!((a - circle_km2(4.0) / 4.0).abs() < 0.05, "area {a}");
    }

    #[test]
    fn enclave_is_cut_out_and_overlaps_are_merged() {
        let clip = square(70.0, 40.0, 0.5);
        let enclave = square(70.0, 40.0, 0.01); // about 1.7 km by 2.2 km
        let zone = buffer_and_clip(&[(70.0, 40.0), (70.02, 40.0)], 4.0, &clip, &[&enclave]);
        assert_eq!(zone.0.len(), 1, "overlapping discs merge into one part");
        assert_eq!(zone.0[0].interiors().len(), 1, "the enclave is a hole");
        let whole = buffer_and_clip(&[(70.0, 40.0), (70.02, 40.0)], 4.0, &clip, &[]);
        let hole = area_km2(&enclave);
        assert!((area_km2(&whole) - area_km2(&zone) - hole).abs() < 0.01);
        // RFC 7946 winding: exterior counter-clockwise, holes clockwise.
        use geo::Winding;
        assert!(zone.0[0].exterior().is_ccw());
        assert!(zone.0[0].interiors()[0].is_cw());
        let geo = multipolygon_json(&zone).expect("geometry");
        assert_eq!(geo.kind, "Polygon");
    }

    #[test]
    fn point_geometry_kinds() {
        assert_eq!(points_json(&[(70.5, 40.0)]).expect("p").kind, "Point");
        let mp = points_json(&[(70.5, 40.0), (70.123456789, 39.9)]).expect("mp");
        assert_eq!(mp.kind, "MultiPoint");
        assert_eq!(mp.coordinates[1][0], 70.12346);
        assert!(points_json(&[]).is_none());
    }
}
