//! What the benchmarks that run commands share: a deterministic generator for their inputs
//! and the wall time and peak memory of a command (via /usr/bin/time -v).

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A small deterministic generator (no dependency on a random crate).
pub struct Lcg(pub u64);

impl Lcg {
    /// The next number in `[0, 1)`.
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Exit status, wall seconds, peak resident memory (KiB) and output (standard output, then
/// standard error) of a command that may fail (a refusal is what some benchmarks measure).
/// `None` when it cannot run.
pub fn measure_any(program: &str, args: &[&str]) -> Option<(bool, f64, u64, String)> {
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(program)
        .args(args)
        .output()
        .ok()?;
    let wall = start.elapsed().as_secs_f64();
    let stderr =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let rss = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())?;
    Some((out.status.success(), wall, rss, stderr))
}

/// The Python that has PyQGIS (the system's, where Debian's python3-qgis lives, not a
/// virtualenv's), or `None` when QGIS is not installed.
pub fn qgis_python() -> Option<&'static str> {
    let python = if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    Command::new(python)
        .args(["-c", "import qgis.core"])
        .output()
        .is_ok_and(|o| o.status.success())
        .then_some(python)
}

/// Wall seconds and peak resident memory (KiB) of a command that should succeed.
pub fn measure(program: &str, args: &[&str]) -> Option<(f64, u64)> {
    let (ok, wall, rss, stderr) = measure_any(program, args)?;
    if !ok {
        let head: Vec<&str> = stderr.lines().take(5).collect();
        eprintln!("{program} failed: {}", head.join("\n"));
        return None;
    }
    Some((wall, rss))
}

/// `n` dated points with ACLED's columns, across Central Asia, 2018–2024.
pub fn acled_csv(path: &Path, n: usize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities"
    )?;
    let types = [
        ("Battles", "Armed clash"),
        (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
        ),
        ("Protests", "Peaceful protest"),
        ("Riots", "Violent demonstration"),
        ("Violence against civilians", "Attack"),
    ];
    let countries = ["Kyrgyzstan", "Tajikistan", "Uzbekistan", "Kazakhstan"];
    let mut rng = Lcg(7);
    for i in 0..n {
        let (t, sub) = types[i % types.len()];
        let day = (rng.next() * 2555.0) as i64;
        let date = jiff::civil::date(2018, 1, 1)
            .checked_add(jiff::Span::new().days(day))
            .unwrap_or(jiff::civil::date(2018, 1, 1));
        writeln!(
            out,
            "CA{i},{date},{},{t},{sub},Forces of {c},{c},R{},P{},{:.4},{:.4},{},Media,Incident {i},{}",
            date.year(),
            i % 17,
            i % 997,
            36.0 + rng.next() * 9.0,
            60.0 + rng.next() * 20.0,
            1 + i % 3,
            (rng.next() * 4.0) as u32,
            c = countries[i % countries.len()],
        )?;
    }
    out.flush()
}

/// The CSV of `n` ACLED-style points in `target/bench-data`, written on first use.
pub fn acled_file(n: usize) -> std::io::Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir)?;
    let name = if n.is_multiple_of(1_000_000) {
        format!("acled-{}m.csv", n / 1_000_000)
    } else {
        format!("acled-{}k.csv", n / 1000)
    };
    let path = dir.join(name);
    if !path.exists() {
        let t = Instant::now();
        acled_csv(&path, n)?;
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    Ok(path)
}

/// Writes a FeatureCollection of about `mb` megabytes: polygons, lines and dated points
/// with a few properties each, like a real analyst's layer.
pub fn layer_geojson(path: &Path, mb: usize) -> std::io::Result<()> {
    use std::fmt::Write as _;
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

/// The GeoJSON layer of about `mb` MB in `target/bench-data`, written on first use.
pub fn layer_file(mb: usize) -> std::io::Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("bench-{mb}mb.geojson"));
    if !path.exists() {
        let t = Instant::now();
        layer_geojson(&path, mb)?;
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    Ok(path)
}
