//! What the benchmarks that run commands share: a deterministic generator for their inputs
//! and the wall time and peak memory of a command (via /usr/bin/time -v).

#![allow(dead_code)]

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
