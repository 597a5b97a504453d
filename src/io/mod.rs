//! Reading layers from files: format by extension (or content), GeoJSON streaming reader,
//! time-field detection, and the `check` summary of what was read.

pub mod geojson;
pub mod summary;
pub mod timefields;

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
/// directory, unknown format); otherwise the layer, with any problems inside it.
pub fn read_path(path: &Path, options: &ReadOptions) -> Result<Layer, Problem> {
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
    match ext.as_str() {
        "geojson" | "json" => {}
        _ => {
            return Err(file_error(
                path,
                format!(
                    "unsupported file type '{}': bordermap reads GeoJSON (.geojson, .json)",
                    if ext.is_empty() {
                        "(none)".to_string()
                    } else {
                        format!(".{ext}")
                    }
                ),
            ));
        }
    }
    let file = File::open(path).map_err(|e| file_error(path, describe_io(&e)))?;
    Ok(geojson::read_geojson(
        BufReader::with_capacity(1 << 16, file),
        path,
        &options.time,
    ))
}

/// A short, lowercase description of an I/O error.
fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string().to_lowercase(),
    }
}
