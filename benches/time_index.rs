//! `TimeIndex::visible` on 100,000 dated points over 2021–2025: mean time per call for
//! 1,000 cursors, in cumulative mode and in windows of several widths; then the same with
//! a tenth of the features lasting hours to months, and the histogram.
//!
//! `cargo bench --bench time_index` (set `BORDERMAP_BENCH_POINTS` for another size).

use std::hint::black_box;
use std::time::Instant;

use bordermap::model::TimeSpan;
use bordermap::time::{FeatureRef, TimeCommand, TimeControl, TimeIndex, TimeMode, Visible};
use jiff::Timestamp;

const DAY: i64 = 86_400;
/// 2021-01-01T00:00:00Z.
const ORIGIN: i64 = 1_609_459_200;
/// 2021 to 2025, five years.
const YEARS_SECS: i64 = 5 * 365 * DAY;
const CURSORS: usize = 1_000;

/// A small deterministic generator (no dependency on a random crate).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) % n as u64) as i64
    }
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// `n` features in 16 layers; `durations` picks each one's length from the generator.
fn dataset(n: u32, mut durations: impl FnMut(&mut Lcg) -> i64) -> Vec<(FeatureRef, TimeSpan)> {
    let mut rng = Lcg(2022);
    (0..n)
        .map(|i| {
            let start = ORIGIN + rng.below(YEARS_SECS);
            let end = start + durations(&mut rng);
            let span = TimeSpan::new(at(start), at(end)).unwrap_or(TimeSpan::instant(at(start)));
            (FeatureRef::new(i % 16, i / 16), span)
        })
        .collect()
}

/// Mean microseconds of `visible_into` (reused buffers) and of `visible` (fresh) over
/// `CURSORS` cursors spread over the range, and the mean number of items shown.
fn measure(index: &TimeIndex, mode: TimeMode) -> (f64, f64, f64) {
    let mut rng = Lcg(9);
    let controls: Vec<TimeControl> = (0..CURSORS)
        .map(|_| {
            let mut c = TimeControl::default();
            c.set_range(index.range());
            c.apply(TimeCommand::SetMode(mode), index);
            c.apply(
                TimeCommand::SetTime(at(ORIGIN + rng.below(YEARS_SECS))),
                index,
            );
            c
        })
        .collect();
    let mut reused = Visible::default();
    let mut shown = 0usize;
    let started = Instant::now();
    for c in &controls {
        index.visible_into(c, &mut reused);
        shown += black_box(&reused).len();
    }
    let reused_us = started.elapsed().as_secs_f64() * 1e6 / CURSORS as f64;
    let started = Instant::now();
    for c in &controls {
        black_box(index.visible(c));
    }
    let fresh_us = started.elapsed().as_secs_f64() * 1e6 / CURSORS as f64;
    (reused_us, fresh_us, shown as f64 / CURSORS as f64)
}

fn report(title: &str, index: &TimeIndex) {
    println!("{title}");
    println!(
        "  {:<22} {:>12} {:>12} {:>12}",
        "mode", "reused µs", "fresh µs", "mean shown"
    );
    let modes = [
        TimeMode::Cumulative,
        TimeMode::Window {
            width_secs: 6 * 3600,
        },
        TimeMode::Window { width_secs: DAY },
        TimeMode::Window {
            width_secs: 7 * DAY,
        },
        TimeMode::Window {
            width_secs: 30 * DAY,
        },
    ];
    for mode in modes {
        let (reused, fresh, shown) = measure(index, mode);
        println!(
            "  {:<22} {reused:>12.2} {fresh:>12.2} {shown:>12.0}",
            mode.label()
        );
    }
}

fn main() {
    let n: u32 = std::env::var("BORDERMAP_BENCH_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);

    let started = Instant::now();
    let points = TimeIndex::new(dataset(n, |_| 0));
    let build_ms = started.elapsed().as_secs_f64() * 1e3;
    report(
        &format!("{n} dated points, 2021–2025 (index built in {build_ms:.1} ms)"),
        &points,
    );

    let mixed = TimeIndex::new(dataset(n, |rng| match rng.below(10) {
        0 => rng.below(90 * DAY),
        1 => rng.below(DAY),
        _ => 0,
    }));
    report(
        &format!("{n} features, a tenth lasting up to 90 days, a tenth up to a day"),
        &mixed,
    );

    // What the map does per frame: ask about every feature.
    let all: Vec<FeatureRef> = points.entries().iter().map(|&(r, _)| r).collect();
    for mode in [
        TimeMode::Cumulative,
        TimeMode::Window {
            width_secs: 7 * DAY,
        },
    ] {
        let mut c = TimeControl::default();
        c.set_range(points.range());
        c.apply(TimeCommand::SetMode(mode), &points);
        c.apply(TimeCommand::SetTime(at(ORIGIN + YEARS_SECS / 2)), &points);
        let visible = points.visible(&c);
        let rounds = 100;
        let started = Instant::now();
        let mut hits = 0usize;
        for _ in 0..rounds {
            hits += all
                .iter()
                .filter(|&&r| black_box(&visible).contains(r))
                .count();
        }
        let us = started.elapsed().as_secs_f64() * 1e6 / rounds as f64;
        let label = mode.label();
        println!(
            "contains() for all {n} features, {label}: {us:.1} µs ({} shown)",
            hits / rounds
        );
    }

    let (from, to) = points
        .range()
        .unwrap_or((at(ORIGIN), at(ORIGIN + YEARS_SECS)));
    let started = Instant::now();
    let rounds = 100;
    for _ in 0..rounds {
        black_box(points.histogram(from, to, 400, |r| r.layer as usize));
    }
    let hist_us = started.elapsed().as_secs_f64() * 1e6 / rounds as f64;
    println!("histogram of all {n} starts into 400 buckets × 16 kinds: {hist_us:.1} µs");
}
