//! Reading a 100 MB GeoJSON: `bordermap check` against GDAL's `ogrinfo -ro -al -so`, side by
//! side on the same generated file, wall time and peak memory of each (via /usr/bin/time -v).
//!
//! `cargo bench --bench read_geojson` (set `BORDERMAP_BENCH_MB` for another size).

mod support;

use std::path::Path;

use support::{layer_file, measure};

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
}
