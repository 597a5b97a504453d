//! Reading layers from files: format by extension (or content), GeoJSON streaming reader,
//! GeoJSON text sequences, KML/KMZ, CSV, GeoPackage, shapefile (.shp, .zip) and FlatGeobuf
//! readers, time-field detection, the bundled layers, the `check` summary of what was read,
//! and writing features as GeoJSON.

pub mod budget;
pub mod bundled;
pub(crate) mod common;
pub mod crs;
pub mod csv;
pub mod fgb;
pub mod geojson;
pub mod geojsonseq;
pub mod gpkg;
pub mod kml;
pub mod loader;
pub mod shp;
pub mod summary;
#[cfg(test)]
pub(crate) mod testutil;
pub mod timefields;
pub mod wkb;
pub mod write;

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::model::{Layer, Problem, Severity};
use timefields::TimeReader;

/// Options for reading a layer.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    /// How times are read (fields, zone for values without an offset).
    pub time: TimeReader,
}

/// A file-level error: the file could not be opened or is of no known format.
pub fn file_error(path: &Path, message: impl Into<String>) -> Problem {
    Problem {
        severity: Severity::Error,
        path: path.to_path_buf(),
        line: None,
        column: None,
        feature: None,
        message: message.into(),
    }
}

/// Reads the layer at `path`. `Err` when nothing could be read at all (missing file,
/// directory, unknown format); otherwise the layer, with any problems inside it. A file of
/// several layers (a GeoPackage of several tables) gives its first: see [`read_layers`].
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Layer, Problem> {
    let mut layers = read_layers(path, options)?;
    if layers.is_empty() {
        return Err(file_error(path, "no layer in the file"));
    }
    Ok(layers.swap_remove(0))
}

/// Every layer of the file at `path`: one for most formats, one per feature table of a
/// GeoPackage. `Err` when nothing could be read at all.
pub fn read_layers(path: &Path, options: &ReadOptions) -> Result<Vec<Layer>, Problem> {
    read_layers_from(path, options, None)
}

/// [`read_layers`], counting bytes into `progress` and stopping when it is cancelled.
pub fn read_layers_from(
    path: &Path,
    options: &ReadOptions,
    progress: Option<std::sync::Arc<loader::Progress>>,
) -> Result<Vec<Layer>, Problem> {
    let meta = std::fs::metadata(path).map_err(|e| file_error(path, describe_io(&e)))?;
    if meta.is_dir() {
        return Err(file_error(path, "is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(file_error(path, "is not a regular file"));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "geojson" | "json" => Format::GeoJson,
        "geojsons" | "geojsonl" | "geojsonseq" | "ndjson" | "jsonl" => Format::GeoJsonSeq,
        "kml" => Format::Kml,
        "kmz" => Format::Kmz,
        "csv" => Format::Csv,
        "tsv" => Format::Tsv,
        "shp" => Format::Shp,
        "zip" => Format::Zip,
        "fgb" => Format::Fgb,
        "gpkg" => Format::Gpkg,
        _ => {
            return Err(file_error(
                path,
                format!(
                    "unsupported file type '{}': bordermap reads {SUPPORTED}",
                    if ext.is_empty() {
                        "(none)".to_string()
                    } else {
                        format!(".{ext}")
                    }
                ),
            ));
        }
    };
    budget::check(path, format, meta.len(), budget::available())?;
    let progress = progress.unwrap_or_default();
    progress
        .total
        .store(meta.len(), std::sync::atomic::Ordering::Relaxed);
    if format == Format::Gpkg {
        // Read through SQLite, not a byte stream: progress counts the rows' bytes.
        return gpkg::read_gpkg(path, &options.time, Some(&progress));
    }
    let file = File::open(path).map_err(|e| file_error(path, describe_io(&e)))?;
    let file = loader::Counting::new(file, progress);
    let time = &options.time;
    Ok(match format {
        Format::GeoJson => vec![geojson::read_geojson(
            BufReader::with_capacity(1 << 16, file),
            path,
            time,
        )],
        Format::GeoJsonSeq => vec![geojsonseq::read_geojsonseq(file, path, time)],
        Format::Kml => vec![kml::read_kml(file, path, time)],
        Format::Kmz => vec![kml::read_kmz(BufReader::new(file), path, time)],
        Format::Csv => vec![csv::read_csv(file, path, time, None)],
        Format::Tsv => vec![csv::read_csv(file, path, time, Some(b'\t'))],
        Format::Shp => vec![shp::read_shp(file, path, time)],
        Format::Zip => shp::read_zip(BufReader::new(file), path, time)?,
        Format::Fgb => vec![fgb::read_fgb(file, path, time, Some(meta.len()))],
        // Read through SQLite before the file is opened here.
        Format::Gpkg => return Err(file_error(path, "a GeoPackage is read through SQLite")),
    })
}

/// The formats `read_path` knows, for messages.
pub const SUPPORTED: &str = "GeoJSON (.geojson, .json), GeoJSON text sequences (.geojsons, \
     .geojsonl, .geojsonseq, .ndjson, .jsonl), KML (.kml, .kmz), CSV with coordinates \
     (.csv, .tsv), GeoPackage (.gpkg), shapefiles (.shp, or .zip of shapefiles) and FlatGeobuf
     (.fgb)";

/// A file format, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    GeoJson,
    GeoJsonSeq,
    Kml,
    Kmz,
    Csv,
    Tsv,
    Shp,
    Zip,
    Fgb,
    Gpkg,
}

impl Format {
    /// Its name, for messages.
    fn name(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON",
            Self::GeoJsonSeq => "GeoJSON sequence",
            Self::Kml => "KML",
            Self::Kmz => "KMZ",
            Self::Csv => "CSV",
            Self::Tsv => "TSV",
            Self::Shp => "shapefile",
            Self::Zip => "zipped shapefile",
            Self::Fgb => "FlatGeobuf",
            Self::Gpkg => "GeoPackage",
        }
    }
}

/// A short, lowercase description of an I/O error.
fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string().to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn data(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name)
    }

    /// A copy of a sample under another name, in a fresh temporary folder.
    fn copy_as(sample: &str, name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "bordermap-io-{}-{}",
            std::process::id(),
            name.replace('.', "-")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::copy(data(sample), &path).unwrap();
        path
    }

    #[test]
    fn samples_read_by_extension() {
        let options = ReadOptions::default();
        for (name, features, dated) in [
            ("sample.kml", 4, 3),
            ("acled-sample.csv", 3, 3),
            ("sample.geojsonl", 3, 2),
        ] {
            let layer = read_path(&data(name), &options).unwrap();
            assert!(layer.problems.is_empty(), "{name}: {:?}", layer.problems);
            assert_eq!(layer.features.len(), features, "{name}");
            assert_eq!(layer.dated_count(), dated, "{name}");
            assert!(summary::summary(&layer).contains(&format!("features: {features}")));
        }
        for (sample, name) in [
            ("sample.geojsonl", "s.GEOJSONS"),
            ("sample.geojsonl", "s.ndjson"),
            ("sample.geojsonl", "s.jsonl"),
            ("sample.geojsonl", "s.geojsonseq"),
            ("acled-sample.csv", "s.tsv"),
        ] {
            let path = copy_as(sample, name);
            let layer = read_path(&path, &options).unwrap();
            if name.ends_with(".tsv") {
                // A .tsv is split at tabs only: these commas make no coordinate columns.
                assert!(layer.has_errors(), "{name}");
            } else {
                assert_eq!(layer.features.len(), 3, "{name}: {:?}", layer.problems);
            }
            let _ = std::fs::remove_dir_all(path.parent().unwrap());
        }
    }

    #[test]
    fn kmz_by_extension_and_unsupported_types() {
        let path = copy_as("sample.kml", "s.kmz");
        let layer = read_path(&path, &ReadOptions::default()).unwrap();
        assert!(
            layer.problems[0]
                .message
                .contains("KMZ: not a readable zip archive")
        );
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
        // A .dbf alone is a shapefile's attributes, not a layer.
        let path = copy_as("sample.kml", "s.dbf");
        let err = read_path(&path, &ReadOptions::default()).unwrap_err();
        assert!(
            err.message.starts_with("unsupported file type '.dbf'"),
            "{err}"
        );
        for format in [
            ".geojsonl",
            ".ndjson",
            ".kml",
            ".kmz",
            ".csv",
            ".tsv",
            ".shp",
            ".zip",
            ".fgb",
        ] {
            assert!(err.message.contains(format), "{format} in {err}");
        }
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }
}
