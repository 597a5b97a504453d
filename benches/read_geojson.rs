//! Reading a 100 MB GeoJSON: `bordermap check` against GDAL's `ogrinfo -ro -al -so`, side by
//! side on the same generated file, wall time and peak memory of each (via /usr/bin/time -v).
//!
//! `cargo bench --bench read_geojson` (set `BORDERMAP_BENCH_MB` for another size).

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use support::{Lcg, measure};

/// Writes a FeatureCollection of about `mb` megabytes: polygons, lines and dated points
/// with a few properties each, like a real analyst's layer.
fn generate(path: &Path, mb: usize) -> std::io::Result<()> {
    use std::io::Write;
    let target = mb * 1_000_000;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut rng = Lcg(42);
    let mut written = 0usize;
    let mut n = 0usize;
    out.write_all(b"{\"type\":\"FeatureCollection\",\"name\":\"bench\",\"features\":[\n")?;
    let mut line = String::new();
    while written < target {
        line.clear();
        if n > 0 {
            line.push_str(",\n");
        }
        let lon = 60.0 + rng.next() * 20.0;
        let lat = 35.0 + rng.next() * 10.0;
        let day = 1 + (n % 28);
        let _ = write!(
            line,
            "{{\"type\":\"Feature\",\"id\":{n},\"properties\":{{\"name\":\"feature {n}\",\"kind\":\"k{}\",\"value\":{:.3},\"date\":\"2022-09-{day:02}T12:00:00+06:00\"}},\"geometry\":",
            n % 7,
            rng.next() * 100.0
        );
        match n % 10 {
            0..=5 => {
                line.push_str("{\"type\":\"Polygon\",\"coordinates\":[[");
                let k = 12 + (n % 20);
                for i in 0..k {
                    let a = i as f64 / k as f64 * std::f64::consts::TAU;
                    let r = 0.01 + rng.next() * 0.02;
                    let _ = write!(line, "[{:.6},{:.6}],", lon + r * a.cos(), lat + r * a.sin());
                }
                let _ = write!(line, "[{:.6},{:.6}]]]}}}}", lon + 0.01, lat);
            }
            6..=8 => {
                line.push_str("{\"type\":\"LineString\",\"coordinates\":[");
                let k = 10 + (n % 30);
                for i in 0..k {
                    if i > 0 {
                        line.push(',');
                    }
                    let _ = write!(
                        line,
                        "[{:.6},{:.6}]",
                        lon + i as f64 * 0.001,
                        lat + rng.next() * 0.01
                    );
                }
                line.push_str("]}}");
            }
            _ => {
                let _ = write!(
                    line,
                    "{{\"type\":\"Point\",\"coordinates\":[{lon:.6},{lat:.6}]}}}}"
                );
            }
        }
        out.write_all(line.as_bytes())?;
        written += line.len();
        n += 1;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()
}

fn main() {
    let mb: usize = std::env::var("BORDERMAP_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("bench-{mb}mb.geojson"));
    if !path.exists() {
        let t = Instant::now();
        if let Err(e) = generate(&path, mb) {
            eprintln!("cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
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
