//! Writing features as GeoJSON (RFC 7946) with the `geojson` crate's streaming
//! [`FeatureWriter`]: a layer (or any features) out to a file that bordermap, QGIS and GDAL
//! read back. Properties are written as they were read; time spans stay in the properties
//! they came from. The file is written whole or not at all (a temporary file, then a rename).

use std::io::Write;
use std::path::Path;

use geojson::{Feature as GeoJsonFeature, FeatureWriter, Geometry, GeometryValue, JsonObject};

use crate::model::Feature;

/// Why features could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file could not be created, written or renamed into place.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A feature could not be encoded.
    #[error("cannot write {path}: {source}")]
    Encode {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: geojson::Error,
    },
}

/// A feature of ours as the `geojson` crate's feature (geometry through its `geo` conversion).
pub fn to_geojson(feature: &Feature) -> GeoJsonFeature {
    let properties: Option<JsonObject> = feature
        .properties
        .as_ref()
        .map(crate::model::Properties::map);
    GeoJsonFeature {
        bbox: None,
        geometry: feature
            .geometry()
            .as_deref()
            .map(|g| Geometry::new(GeometryValue::from(g))),
        id: feature
            .id()
            .map(|id| geojson::feature::Id::String(id.to_owned())),
        properties: Some(properties.unwrap_or_default()),
        foreign_members: None,
    }
}

/// Writes `features` as a FeatureCollection to `out`, one at a time.
pub fn write_features<'a, W: Write>(
    out: W,
    features: impl IntoIterator<Item = &'a Feature>,
) -> Result<(), geojson::Error> {
    let mut writer = FeatureWriter::from_writer(out);
    for f in features {
        writer.write_feature(&to_geojson(f))?;
    }
    writer.finish()
}

/// Writes `features` to the file at `path`, whole or not at all.
pub fn write_file<'a>(
    path: &Path,
    features: impl IntoIterator<Item = &'a Feature>,
) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "layer".into());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .map_err(io)
        .and_then(|file| {
            let mut out = std::io::BufWriter::new(file);
            write_features(&mut out, features).map_err(|source| WriteError::Encode {
                path: path.to_path_buf(),
                source,
            })?;
            out.flush().map_err(io)
        })
        .and_then(|()| std::fs::rename(&tmp, path).map_err(io));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `features` as CSV to the file at `path`, whole or not at all: one row per feature
/// with `layer`, `id`, `start`, `end` (UTC, RFC 3339), `lon`, `lat` (a point, or the centre
/// of the bounding box) and `wkt`, then every property met (in the order first met; objects
/// and lists as JSON text).
pub fn write_csv_file<'a>(
    path: &Path,
    rows: impl IntoIterator<Item = (&'a str, &'a Feature)> + Clone,
) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut keys: Vec<String> = Vec::new();
    for (_, f) in rows.clone() {
        for k in f.properties_map().keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "features".into());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let csv_err = |e: csv::Error| io(std::io::Error::other(e));
    let result = (|| -> Result<(), WriteError> {
        let mut w = csv::Writer::from_path(&tmp).map_err(csv_err)?;
        let mut header: Vec<String> = ["layer", "id", "start", "end", "lon", "lat", "wkt"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // A property named like a fixed column keeps its value under a prefixed name.
        header.extend(keys.iter().map(|k| {
            if ["layer", "id", "start", "end", "lon", "lat", "wkt"].contains(&k.as_str()) {
                format!("property:{k}")
            } else {
                k.clone()
            }
        }));
        w.write_record(&header).map_err(csv_err)?;
        for (layer, f) in rows {
            let props = f.properties_map();
            let (start, end) = f.span.map_or((String::new(), String::new()), |s| {
                (s.start().to_string(), s.end().to_string())
            });
            let at = f.geometry().as_deref().and_then(representative_point);
            let mut record = vec![
                layer.to_string(),
                f.id().unwrap_or_default().to_owned(),
                start,
                end,
                at.map(|p| format!("{:.6}", p[0])).unwrap_or_default(),
                at.map(|p| format!("{:.6}", p[1])).unwrap_or_default(),
                f.geometry().as_deref().map(wkt).unwrap_or_default(),
            ];
            record.extend(keys.iter().map(|k| match props.get(k) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            }));
            w.write_record(&record).map_err(csv_err)?;
        }
        w.flush().map_err(io)?;
        drop(w);
        std::fs::rename(&tmp, path).map_err(io)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A point for a geometry: itself, or the centre of its bounding box.
fn representative_point(g: &geo::Geometry<f64>) -> Option<[f64; 2]> {
    use geo::BoundingRect;
    if let geo::Geometry::Point(p) = g {
        return Some([p.x(), p.y()]);
    }
    let r = g.bounding_rect()?;
    let c = r.center();
    Some([c.x, c.y])
}

/// Well-known text of a geometry (OGC simple features), coordinates as read.
pub fn wkt(g: &geo::Geometry<f64>) -> String {
    use geo::Geometry as G;
    fn coords(points: impl Iterator<Item = geo::Coord<f64>>) -> String {
        points
            .map(|c| format!("{} {}", c.x, c.y))
            .collect::<Vec<_>>()
            .join(", ")
    }
    fn ring(l: &geo::LineString<f64>) -> String {
        format!("({})", coords(l.coords().copied()))
    }
    fn polygon(p: &geo::Polygon<f64>) -> String {
        let rings: Vec<String> = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(ring)
            .collect();
        format!("({})", rings.join(", "))
    }
    match g {
        G::Point(p) => format!("POINT ({} {})", p.x(), p.y()),
        G::Line(l) => format!("LINESTRING ({})", coords([l.start, l.end].into_iter())),
        G::LineString(l) => format!("LINESTRING {}", ring(l)),
        G::Polygon(p) => format!("POLYGON {}", polygon(p)),
        G::MultiPoint(m) => format!(
            "MULTIPOINT ({})",
            m.iter()
                .map(|p| format!("({} {})", p.x(), p.y()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        G::MultiLineString(m) => format!(
            "MULTILINESTRING ({})",
            m.iter().map(ring).collect::<Vec<_>>().join(", ")
        ),
        G::MultiPolygon(m) => format!(
            "MULTIPOLYGON ({})",
            m.iter().map(polygon).collect::<Vec<_>>().join(", ")
        ),
        G::GeometryCollection(c) => format!(
            "GEOMETRYCOLLECTION ({})",
            c.iter().map(wkt).collect::<Vec<_>>().join(", ")
        ),
        G::Rect(r) => format!("POLYGON {}", polygon(&r.to_polygon())),
        G::Triangle(t) => format!("POLYGON {}", polygon(&t.to_polygon())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::timefields::TimeReader;

    #[test]
    fn what_is_written_reads_back_the_same() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":"a","properties":{"date":"2022-09-16","name":"Vorukh"},
             "geometry":{"type":"Point","coordinates":[70.58,39.85]}},
            {"type":"Feature","properties":{"n":1.5},
             "geometry":{"type":"Polygon","coordinates":[[[70,40],[71,40],[71,41],[70,40]],[[70.2,40.1],[70.8,40.1],[70.8,40.5],[70.2,40.1]]]}},
            {"type":"Feature","properties":null,"geometry":null}
        ]}"#;
        let path = Path::new("t.geojson");
        let layer = crate::io::geojson::read_geojson(text.as_bytes(), path, &TimeReader::default());
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let mut bytes = Vec::new();
        write_features(&mut bytes, &layer.features).unwrap();
        let again = crate::io::geojson::read_geojson(&bytes[..], path, &TimeReader::default());
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(again.features.len(), 3);
        for (a, b) in layer.features.iter().zip(&again.features) {
            assert_eq!(a.shape, b.shape);
            assert_eq!(a.span, b.span);
            assert_eq!(a.id(), b.id());
            assert_eq!(a.properties_map(), b.properties_map());
        }
    }

    #[test]
    fn a_file_is_written_whole_into_a_new_folder() {
        let dir = std::env::temp_dir().join(format!("bordermap-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("deep").join("out.geojson");
        let feature = Feature {
            given_id: None,
            shape: Some(crate::model::Shape::Point(geo::Point::new(70.0, 40.0))),
            properties: None,
            span: None,
            line: 0,
        };
        write_file(&path, [&feature]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("FeatureCollection") && text.contains("Point"),
            "{text}"
        );
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left");
    }

    #[test]
    fn geometries_are_written_as_well_known_text() {
        use geo::{LineString, Polygon, point};
        assert_eq!(wkt(&point!(x: 70.5, y: 39.8).into()), "POINT (70.5 39.8)");
        let outer = LineString::from(vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 0.0)]);
        let hole = LineString::from(vec![(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)]);
        let p = Polygon::new(outer, vec![hole]);
        assert_eq!(
            wkt(&p.into()),
            "POLYGON ((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2, 1 1))"
        );
    }
}
