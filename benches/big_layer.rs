//! Big user layers in the viewer: time from file to visible (read + prepare on the loader
//! thread + first frame), then CPU per frame (frame and tessellation) while panning and
//! zooming over them, with the vertices a frame hands the GPU and the process's peak memory.
//!
//! 1. 1 million vertices: 100,000 polygons of 10 vertices over the Fergana Valley.
//! 2. The 100 MB GeoJSON of `read_geojson` (polygons, lines and dated points over 20° x 10°).
//!
//! `cargo bench --bench big_layer`

mod support;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use bordermap::app::App;
use bordermap::command::{Command, LayerAction};
use egui::{pos2, vec2};
use egui_kittest::Harness;

fn generate(path: &std::path::Path) -> std::io::Result<()> {
    let mut s = String::with_capacity(40 << 20);
    s.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let mut seed = 7u64;
    let mut rnd = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..100_000 {
        if i > 0 {
            s.push_str(",\n");
        }
        let (lon, lat) = (68.5 + rnd() * 5.0, 39.4 + rnd() * 2.4);
        let _ = write!(
            s,
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":{i},\"cat\":\"c{}\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[",
            i % 5
        );
        for k in 0..9 {
            let a = k as f64 / 9.0 * std::f64::consts::TAU;
            let r = 0.004 + rnd() * 0.006;
            let _ = write!(s, "[{:.5},{:.5}],", lon + r * a.cos(), lat + r * a.sin());
        }
        let _ = write!(s, "[{:.5},{:.5}]]]}}}}", lon + 0.004, lat);
    }
    s.push_str("\n]}\n");
    std::fs::write(path, s)
}

fn main() {
    bordermap::allocator::set_up();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("big-layer-1m-vertices.geojson");
    if !path.exists()
        && let Err(e) = generate(&path)
    {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    one_million_vertices(&path);
    match support::layer_file(100) {
        Ok(path) => hundred_megabytes(&path),
        Err(e) => eprintln!("cannot write the 100 MB layer: {e}"),
    }
    println!("peak memory of this process: {:.0} MB", peak_mb());
}

/// A harness with the app, its bundled layers loaded, and `path` opened; prints the time
/// from opening to visible.
fn open(path: &std::path::Path) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_accessibility_check(false)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(None));
    h.run_steps(3);
    let start = Instant::now();
    h.state_mut().push(Command::Open(vec![path.to_path_buf()]));
    let mut steps = 0;
    while steps < 100_000 {
        h.step();
        steps += 1;
        let app = h.state();
        if app.loading() == 0 && app.dataset().layers.len() == 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let load = start.elapsed();
    let vertices: usize = h.state().dataset().layers.last().map_or(0, |l| {
        (0..l.layer.features.len() as u32)
            .map(|fi| l.parts(fi, false).vertices())
            .sum()
    });
    println!(
        "file to visible: {:.2} s ({} vertices, {:.1} MB file)",
        load.as_secs_f64(),
        vertices,
        std::fs::metadata(path).map_or(0, |m| m.len()) as f64 / 1e6
    );
    h
}

/// One frame's CPU: the frame and the tessellation of what it drew; and its vertices.
fn timed_step(h: &mut Harness<'static, App>) -> (Duration, usize) {
    let t = Instant::now();
    h.step();
    let out = h.output();
    let triangles = h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point);
    let took = t.elapsed();
    let vertices = triangles
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum();
    (took, vertices)
}

fn report(name: &str, mut times: Vec<Duration>, vertices: usize) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().sum::<Duration>().as_secs_f64() * 1000.0 / times.len() as f64;
    println!(
        "{name:<40} mean {mean:.2} ms  median {:.2} ms  p95 {:.2} ms  max {:.1} ms  ({} vertices)",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
        vertices
    );
}

/// Peak resident memory of this process (VmHWM), in MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Pans at zooms 5, 7, 9 and 12, then zooms 5 -> 12 -> 5 by wheel, over the 100 MB layer.
fn hundred_megabytes(path: &std::path::Path) {
    println!("-- the 100 MB GeoJSON layer");
    let mut h = open(path);
    for zoom in [5.0, 7.0, 9.0, 12.0] {
        h.state_mut().push(Command::SetView {
            lon: 70.0,
            lat: 40.0,
            zoom,
        });
        h.state_mut().apply();
        // The first frames, while the layer's tiles for the view are painted.
        let start = Instant::now();
        let mut first = Vec::new();
        loop {
            first.push(timed_step(&mut h).0);
            if h.state().tiles_pending() == 0 || start.elapsed() > Duration::from_secs(10) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let worst = first.iter().max().copied().unwrap_or_default();
        println!(
            "zoom {zoom}: tiles painted in {:.2} s ({} frames meanwhile, the slowest {:.1} ms)",
            start.elapsed().as_secs_f64(),
            first.len(),
            worst.as_secs_f64() * 1000.0
        );
        h.run_steps(2);
        let p = pos2(1000.0, 500.0);
        h.hover_at(p);
        h.step();
        h.drag_at(p);
        h.step();
        let mut times = Vec::new();
        let mut most = 0;
        for i in 0..90 {
            let dx = if (i / 30) % 2 == 0 { -4.0 } else { 4.0 };
            h.hover_at(p + vec2(dx * (i % 30) as f32, 0.0));
            let (t, v) = timed_step(&mut h);
            times.push(t);
            most = most.max(v);
        }
        h.drop_at(p);
        h.step();
        report(&format!("panning, zoom {zoom}"), times, most);
    }
    // From zoom 5 to 12 and back, a tenth of a level per frame.
    let mut times = Vec::new();
    let mut most = 0;
    for i in 0..=140 {
        let zoom = 5.0 + if i <= 70 { i } else { 140 - i } as f64 / 10.0;
        h.state_mut().push(Command::SetView {
            lon: 70.0,
            lat: 40.0,
            zoom,
        });
        let (t, v) = timed_step(&mut h);
        times.push(t);
        most = most.max(v);
    }
    report("zooming 5 -> 12 -> 5", times, most);
}

/// Pans over the 1-million-vertex layer at zoom 7 and 10.
fn one_million_vertices(path: &std::path::Path) {
    println!("-- 100,000 polygons, 1 million vertices, no dates");
    let mut h = open(path);

    // What the window's Export takes with it to its thread: the dataset, shared, not copied.
    let start = Instant::now();
    let snapshot = h.state().dataset().clone();
    let took = start.elapsed();
    let shared = snapshot
        .layers
        .iter()
        .zip(&h.state().dataset().layers)
        .all(|(a, b)| std::sync::Arc::ptr_eq(&a.data, &b.data));
    println!(
        "export snapshot of the dataset: {:.1} µs (layer data shared, not copied: {shared})",
        took.as_secs_f64() * 1e6
    );
    drop(snapshot);

    for (name, zoom, shown) in [
        ("panning, zoom 7 (whole layer in view)", 7.0, true),
        ("panning, zoom 10", 10.0, true),
        ("panning, zoom 10, layer hidden (base)", 10.0, false),
    ] {
        if let Some(id) = h.state().dataset().layers.last().map(|l| l.id) {
            h.state_mut()
                .push(Command::Layer(id, LayerAction::SetVisible(shown)));
        }
        h.state_mut().push(Command::SetView {
            lon: 71.0,
            lat: 40.6,
            zoom,
        });
        h.state_mut().apply();
        h.run_steps(5);
        let p = pos2(1000.0, 500.0);
        h.hover_at(p);
        h.step();
        h.drag_at(p);
        h.step();
        let mut times = Vec::new();
        for i in 0..120 {
            let dx = if (i / 30) % 2 == 0 { -3.0 } else { 3.0 };
            h.hover_at(p + vec2(dx * (i % 30) as f32, 0.0));
            let t = Instant::now();
            h.step();
            let out = h.output();
            let _ = h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point);
            times.push(t.elapsed());
        }
        h.drop_at(p);
        h.step();
        times.sort();
        let mean = times.iter().sum::<Duration>().as_secs_f64() * 1000.0 / times.len() as f64;
        println!(
            "{name:<40} mean {mean:.2} ms  median {:.2} ms  p95 {:.2} ms",
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() * 95 / 100].as_secs_f64() * 1000.0
        );
    }
}
