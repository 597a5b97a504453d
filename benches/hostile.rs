//! Hostile and huge inputs, generated here: a KMZ whose `doc.kml` inflates to 3 GB from about
//! 3 MB, and a CSV of 1,000,000 dated points with ACLED's columns (about 140 MB). Prints the
//! wall time and peak memory of `bordermap check` on each (and GDAL's `ogrinfo` on the CSV
//! when it is installed), and of the headless export of the million points at zoom 4 (and
//! QGIS rendering the same CSV to the same size, when PyQGIS is installed), with the targets.
//!
//! `cargo bench --bench hostile`

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use support::{acled_csv, measure, measure_any, qgis_python};

/// A KMZ whose one entry inflates to `gb` gigabytes of spaces inside a description.
fn kmz_bomb(path: &Path, gb: usize) -> std::io::Result<()> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("doc.kml", options)?;
    zip.write_all(b"<kml><Document><Placemark><description>")?;
    let chunk = vec![b' '; 1 << 24];
    for _ in 0..gb * 64 {
        zip.write_all(&chunk)?;
    }
    zip.write_all(
        b"</description><Point><coordinates>70,40</coordinates></Point></Placemark></Document></kml>",
    )?;
    zip.finish()?.flush()
}

fn show(name: &str, size_kib: u64, m: Option<(f64, u64)>) {
    match m {
        Some((wall, rss)) => println!(
            "{name:<40} {wall:>7.2} s wall   peak {:>8.1} MB ({:.2}x file)",
            rss as f64 / 1024.0,
            rss as f64 / size_kib.max(1) as f64
        ),
        None => println!("{name:<40} not measured (not installed, or it failed)"),
    }
}

fn main() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("/usr/bin/time is missing (apt-get install time); cannot measure peak memory");
        std::process::exit(1);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let bordermap = env!("CARGO_BIN_EXE_bordermap");

    let bomb = dir.join("bomb-3gb.kmz");
    if !bomb.exists() {
        let t = Instant::now();
        if let Err(e) = kmz_bomb(&bomb, 3) {
            eprintln!("cannot write {}: {e}", bomb.display());
            std::process::exit(1);
        }
        eprintln!(
            "generated {} in {:.1} s",
            bomb.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&bomb).map_or(0, |m| m.len());
    println!(
        "KMZ bomb: {} ({:.1} MB, doc.kml inflates to 3 GB)",
        bomb.display(),
        size as f64 / 1e6
    );
    match measure_any(bordermap, &["check", &bomb.to_string_lossy()]) {
        Some((ok, wall, rss, stderr)) => {
            let refused = !ok && stderr.contains("zip bomb");
            println!(
                "{:<40} {wall:>7.2} s wall   peak {:>8.1} MB   {}",
                "bordermap check (target: error, <= 1 s, <= 100 MB)",
                rss as f64 / 1024.0,
                if refused { "refused" } else { "NOT refused" }
            );
        }
        None => println!("bordermap check: could not run"),
    }

    let csv = dir.join("acled-1m.csv");
    if !csv.exists() {
        let t = Instant::now();
        if let Err(e) = acled_csv(&csv, 1_000_000) {
            eprintln!("cannot write {}: {e}", csv.display());
            std::process::exit(1);
        }
        eprintln!(
            "generated {} in {:.1} s",
            csv.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let size_kib = std::fs::metadata(&csv).map_or(0, |m| m.len() / 1024);
    let file = csv.to_string_lossy().into_owned();
    println!(
        "ACLED-style CSV: {file} (1,000,000 dated points, {:.1} MB)",
        size_kib as f64 / 1024.0
    );
    let _ = std::fs::read(&csv);
    show(
        "bordermap check",
        size_kib,
        measure(bordermap, &["check", &file]),
    );
    let png = dir.join("acled-1m-zoom4.png");
    let export = measure(
        bordermap,
        &[
            "export",
            "--size",
            "1600x1000",
            "--center",
            "70,40",
            "--zoom",
            "4",
            "--layer",
            &file,
            "--out",
            &png.to_string_lossy(),
        ],
    );
    show("bordermap export, zoom 4, 1600x1000", size_kib, export);
    if let Some((wall, rss)) = export {
        let limit_kib = 2 * size_kib + 250 * 1024;
        println!(
            "{:<40} {} (<= 10 s: {:.2} s; <= 2x file + 250 MB = {:.0} MB: {:.0} MB)",
            "  target",
            if wall <= 10.0 && rss <= limit_kib {
                "met"
            } else {
                "NOT met"
            },
            wall,
            limit_kib as f64 / 1024.0,
            rss as f64 / 1024.0
        );
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/qgis_render.py");
    let qgis_png = dir.join("acled-1m-zoom4-qgis.png");
    if let Some(python) = qgis_python() {
        show(
            "QGIS (PyQGIS), same view and size",
            size_kib,
            measure(
                python,
                &[
                    &script.to_string_lossy(),
                    "csv",
                    &file,
                    "70,40",
                    "4",
                    "1600x1000",
                    &qgis_png.to_string_lossy(),
                ],
            ),
        );
    } else {
        println!(
            "{:<40} not measured: PyQGIS is not installed (apt-get install qgis python3-qgis)",
            "QGIS"
        );
    }
    show(
        "ogrinfo -ro -al -so (GDAL)",
        size_kib,
        measure(
            "ogrinfo",
            &[
                "-ro",
                "-al",
                "-so",
                "-oo",
                "X_POSSIBLE_NAMES=longitude",
                "-oo",
                "Y_POSSIBLE_NAMES=latitude",
                &file,
            ],
        ),
    );
}
