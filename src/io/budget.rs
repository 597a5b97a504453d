//! Refusing a layer that would not fit in memory, before any of it is read, so the machine
//! never swaps on a file too big for it. The memory a layer takes once loaded (its features,
//! their drawing geometry, events and index) is estimated from the file's size with factors
//! measured on the benchmark files (README, Benchmarks), and compared with the memory the
//! system says is available (`MemAvailable` of `/proc/meminfo`). `BORDERMAP_MEMORY_AVAILABLE`
//! (bytes, or with K, M or G) overrides the system's figure: a cap for a shared machine, and
//! how the tests make a small machine.

use std::path::Path;

use super::{Format, file_error};
use crate::model::Problem;

/// Memory a loaded layer takes per byte of its file.
fn factor(format: Format) -> u64 {
    match format {
        // A million ACLED rows of 134 MB took 0.95 GB in the viewer: about 7 times.
        Format::Csv | Format::Tsv => 8,
        // The 100 MB GeoJSON took 0.38 GB: about 4 times. KML is wordier per feature.
        Format::GeoJson | Format::GeoJsonSeq | Format::Kml => 4,
        // Binary coordinates (16 bytes a position) become geo's of the same size, and its
        // properties JSON text a little longer than their binary form: taken as GeoJSON's
        // factor with a margin (not measured on a big file yet).
        Format::Fgb => 6,
        // At most what its entries may inflate to (see `kml::read_kmz`), read as KML.
        Format::Kmz => 4 * super::kml::MAX_INFLATE_RATIO,
        // Its features take about the .shp's coordinates (16 bytes a point) and the .dbf's
        // text: twice the .shp covers a .dbf as big as half of it.
        Format::Shp => 2,
        // A zip of shapefiles deflates about 2-5 times: read as a .shp.
        Format::Zip => 10,
        // Its coordinates are as big in WKB as in memory, and its index is not read.
        Format::Gpkg => 2,
    }
}

/// The memory the layer of a `bytes`-long file is expected to take once loaded.
fn expected(format: Format, bytes: u64) -> u64 {
    let bytes = match format {
        Format::Kmz => bytes.max(super::kml::MIN_INFLATE_LIMIT / super::kml::MAX_INFLATE_RATIO),
        _ => bytes,
    };
    bytes.saturating_mul(factor(format))
}

/// The memory available to a new layer: `BORDERMAP_MEMORY_AVAILABLE`, else the system's
/// `MemAvailable`; `None` when neither is known (nothing is refused then).
pub fn available() -> Option<u64> {
    if let Ok(v) = std::env::var("BORDERMAP_MEMORY_AVAILABLE") {
        match parse_size(&v) {
            Some(n) => return Some(n),
            None => log::warn!("BORDERMAP_MEMORY_AVAILABLE={v:?} is not a size (e.g. 2G); ignored"),
        }
    }
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// `1234`, `500K`, `300M`, `2G` (powers of 1024), `1.5G`.
fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_uppercase()),
        _ => (t, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        'T' => 40,
        _ => return None,
    };
    let n: f64 = number.trim().parse().ok()?;
    (n.is_finite() && n >= 0.0).then(|| (n * (1u64 << shift) as f64) as u64)
}

/// Megabytes or gigabytes, for messages.
fn human(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{} MB", bytes.div_ceil(1 << 20))
    }
}

/// An error when the layer of `path` (`bytes` long) would take more than `available`.
pub(super) fn check(
    path: &Path,
    format: Format,
    bytes: u64,
    available: Option<u64>,
) -> Result<(), Problem> {
    let Some(available) = available else {
        return Ok(());
    };
    let need = expected(format, bytes);
    if need <= available {
        return Ok(());
    }
    Err(file_error(
        path,
        format!(
            "would not fit in memory: a {} file of {} takes about {} once loaded ({} times its \
             size) and {} is available; refused before reading, so the machine does not swap. \
             Close other layers or programs, or open a part of the file",
            format.name(),
            human(bytes),
            human(need),
            factor(format),
            human(available),
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_with_their_unit() {
        assert_eq!(parse_size("1234"), Some(1234));
        assert_eq!(parse_size("500K"), Some(500 << 10));
        assert_eq!(parse_size("300m"), Some(300 << 20));
        assert_eq!(parse_size(" 2G "), Some(2 << 30));
        assert_eq!(parse_size("1.5G"), Some(3 << 29));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("-1G"), None);
        assert_eq!(parse_size(""), None);
    }

    #[test]
    fn a_layer_bigger_than_the_memory_available_is_refused_naming_the_file() {
        let path = Path::new("acled.csv");
        // 100 MB of CSV takes about 800 MB.
        let e = check(path, Format::Csv, 100 << 20, Some(512 << 20)).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("acled.csv"), "{text}");
        assert!(text.contains("would not fit in memory"), "{text}");
        assert!(text.contains("800 MB") && text.contains("512 MB"), "{text}");
        assert!(check(path, Format::Csv, 60 << 20, Some(512 << 20)).is_ok());
        // GeoJSON takes half as much per byte.
        assert!(
            check(
                Path::new("a.geojson"),
                Format::GeoJson,
                100 << 20,
                Some(512 << 20)
            )
            .is_ok()
        );
        // Unknown memory: nothing is refused.
        assert!(check(path, Format::Csv, 100 << 30, None).is_ok());
    }
}
