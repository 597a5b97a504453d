//! Reading every feature of the 100 MB benchmark layer converted by GDAL's `ogr2ogr` into the
//! formats QGIS users exchange — GeoPackage, shapefile (its polygons: a shapefile holds one
//! geometry type), FlatGeobuf and CSV with WKT — with `bordermap check`, side by side with
//! GDAL reading the same file whole into memory (`ogr2ogr -f Memory /vsimem/x FILE`): wall
//! time and peak memory of each, via /usr/bin/time -v. Needs ogr2ogr (gdal-bin).
//!
//! `cargo bench --bench read_formats` (set `BORDERMAP_BENCH_MB` for another size). Target
//! (issue 16): a 100 MB GeoPackage or shapefile in ≤ 1 s and ≤ 1.5x the file.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{layer_file, measure};

/// The size of a file, or of a shapefile with its .dbf, in KiB.
fn size_kib(path: &Path) -> u64 {
    let one = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut bytes = one(path);
    if path.extension().is_some_and(|e| e == "shp") {
        bytes += one(&path.with_extension("dbf"));
    }
    bytes / 1024
}

/// Converts `source` with ogr2ogr unless `out` exists already.
fn convert(source: &Path, out: &Path, args: &[&str]) -> Result<(), String> {
    if out.exists() {
        return Ok(());
    }
    // GDAL warns of every ring the generator leaves open (it closes them): not our news.
    let status = Command::new("ogr2ogr")
        .args(args)
        .arg(out)
        .arg(source)
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("ogr2ogr: {e} (apt-get install gdal-bin)"))?;
    if status.success() {
        Ok(())
    } else {
        let _ = std::fs::remove_file(out);
        Err(format!("ogr2ogr {args:?} failed"))
    }
}

fn main() {
    let mb: usize = std::env::var("BORDERMAP_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let source = match layer_file(mb) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot write the {mb} MB layer: {e}");
            std::process::exit(1);
        }
    };
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("/usr/bin/time is missing (apt-get install time); cannot measure peak memory");
        std::process::exit(1);
    }
    let dir = source.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = |ext: &str| -> PathBuf { dir.join(format!("bench-{mb}mb.{ext}")) };
    let cases: [(&str, PathBuf, Vec<&str>); 4] = [
        ("GeoPackage", name("gpkg"), vec!["-f", "GPKG"]),
        (
            "shapefile (polygons)",
            name("shp"),
            vec![
                "-f",
                "ESRI Shapefile",
                "-nlt",
                "PROMOTE_TO_MULTI",
                "-where",
                "OGR_GEOMETRY='POLYGON' OR OGR_GEOMETRY='MULTIPOLYGON'",
            ],
        ),
        ("FlatGeobuf", name("fgb"), vec!["-f", "FlatGeobuf"]),
        (
            "CSV (WKT)",
            name("csv"),
            vec!["-f", "CSV", "-lco", "GEOMETRY=AS_WKT"],
        ),
    ];
    println!("source: {} (converted with ogr2ogr)", source.display());
    for (format, path, args) in &cases {
        if let Err(e) = convert(&source, path, args) {
            println!("{format:<22} not measured: {e}");
            continue;
        }
        let file = path.to_string_lossy().into_owned();
        let kib = size_kib(path);
        // Warm the page cache so both readers start equal.
        let _ = std::fs::read(path);
        let ours = measure(env!("CARGO_BIN_EXE_bordermap"), &["check", &file]);
        let gdal = measure("ogr2ogr", &["-f", "Memory", "/vsimem/x", &file]);
        println!("{format} ({:.1} MB):", kib as f64 / 1024.0);
        let show = |who: &str, m: Option<(f64, u64)>| match m {
            Some((wall, rss)) => println!(
                "  {who:<34} {wall:>6.2} s wall   peak {:>7.1} MB ({:.2}x file)",
                rss as f64 / 1024.0,
                rss as f64 / kib.max(1) as f64
            ),
            None => println!("  {who:<34} not measured"),
        };
        show("bordermap check", ours);
        show("ogr2ogr -f Memory (GDAL)", gdal);
    }
}
