//! Reading a 100 MB GeoJSON: `bordermap check` against GDAL's `ogrinfo -ro -al -so`, side by
//! side on the same generated file, wall time and peak memory of each (via /usr/bin/time -v).
//! Then the headless 1920x1080 export of it at zoom 5 against QGIS rendering the same view
//! (when python3-qgis is installed).
//!
//! `cargo bench --bench read_geojson` (set `BORDERMAP_BENCH_MB` for another size).

mod support;

use std::path::Path;

use support::{layer_file, measure, measure_any, qgis_python};

fn main() {
    let mb: usize = std::env::var("BORDERMAP_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let path = match layer_file(mb) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot write the {mb} MB layer: {e}");
            std::process::exit(1);
        }
    };
    let size_kib = std::fs::metadata(&path)
        .map(|m| m.len() / 1024)
        .unwrap_or(0);
    let file = path.to_string_lossy().into_owned();
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("/usr/bin/time is missing (apt-get install time); cannot measure peak memory");
        std::process::exit(1);
    }
    // Warm the page cache so both readers start equal.
    let _ = std::fs::read(&path);
    let ours = measure(env!("CARGO_BIN_EXE_bordermap"), &["check", &file]);
    let gdal = measure("ogrinfo", &["-ro", "-al", "-so", &file]);
    println!("file: {file} ({:.1} MB)", size_kib as f64 / 1024.0);
    let show = |name: &str, m: Option<(f64, u64)>| match m {
        Some((wall, rss)) => println!(
            "{name:<28} {wall:>7.2} s wall   peak {:>7.1} MB ({:.2}x file)",
            rss as f64 / 1024.0,
            rss as f64 / size_kib.max(1) as f64
        ),
        None => println!("{name:<28} not measured (is it installed? apt-get install gdal-bin)"),
    };
    show("bordermap check", ours);
    show("ogrinfo -ro -al -so (GDAL)", gdal);
    if let (Some((a, _)), Some((b, _))) = (ours, gdal) {
        println!("bordermap is {:.1}x faster than GDAL", b / a);
    }

    // The export, and QGIS on the same view.
    let dir = path.parent().unwrap_or(Path::new("."));
    let png = dir.join(format!("bench-{mb}mb-zoom5.png"));
    let export = measure(
        env!("CARGO_BIN_EXE_bordermap"),
        &[
            "export",
            "--size",
            "1920x1080",
            "--center",
            "71,40",
            "--zoom",
            "5",
            "--layer",
            &file,
            "--out",
            &png.to_string_lossy(),
        ],
    );
    show("bordermap export, zoom 5", export);
    let Some(python) = qgis_python() else {
        println!("QGIS not measured: PyQGIS is not installed (apt-get install qgis python3-qgis)");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/qgis_render.py");
    let qgis_png = dir.join(format!("bench-{mb}mb-zoom5-qgis.png"));
    let _ = std::fs::remove_file(&qgis_png);
    // QGIS 3.22 may crash on its way out (signal 11) after writing the picture: the
    // picture is what counts.
    let qgis = measure_any(
        python,
        &[
            &script.to_string_lossy(),
            "geojson",
            &file,
            "71,40",
            "5",
            "1920x1080",
            &qgis_png.to_string_lossy(),
        ],
    )
    .filter(|_| qgis_png.exists())
    .map(|(_, wall, rss, _)| (wall, rss));
    show("QGIS (PyQGIS), same view and size", qgis);
    if let (Some((a, _)), Some((b, _))) = (export, qgis) {
        println!(
            "bordermap's export takes {:.2}x QGIS's time (target <= 0.3x)",
            a / b
        );
    }
}
