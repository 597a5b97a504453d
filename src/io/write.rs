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
            .geometry
            .as_ref()
            .map(|g| Geometry::new(GeometryValue::from(g))),
        id: feature.id.clone().map(geojson::feature::Id::String),
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
            assert_eq!(a.geometry, b.geometry);
            assert_eq!(a.span, b.span);
            assert_eq!(a.id, b.id);
            assert_eq!(a.properties_map(), b.properties_map());
        }
    }

    #[test]
    fn a_file_is_written_whole_into_a_new_folder() {
        let dir = std::env::temp_dir().join(format!("bordermap-write-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("deep").join("out.geojson");
        let feature = Feature {
            id: None,
            geometry: Some(geo::Geometry::Point(geo::Point::new(70.0, 40.0))),
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
}
