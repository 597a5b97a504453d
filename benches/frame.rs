//! CPU time of one frame of the real viewer on the bundled data, driven headless through
//! egui_kittest: panning, zooming and scrubbing the timeline. Each measured frame is the
//! app's UI pass plus egui's tessellation of what it drew (the CPU side of a real frame);
//! basemap tiles render on their own thread and are not counted.
//!
//! `cargo bench --bench frame`

use std::time::{Duration, Instant};

use bordermap::app::App;
use bordermap::command::Command;
use bordermap::time::TimeCommand;
use egui::{pos2, vec2};
use egui_kittest::Harness;

fn harness() -> Harness<'static, App> {
    // A session file, as the viewer has: each frame checks whether it changed.
    let dir = std::env::temp_dir().join(format!("bordermap-bench-frame-{}", std::process::id()));
    let store = bordermap::session::SessionStore::at(dir.join("session.json"));
    Harness::builder()
        .with_size(vec2(1600.0, 1000.0))
        .with_accessibility_check(false)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(Some(store)))
}

fn settle(h: &mut Harness<'static, App>) {
    for _ in 0..600 {
        h.step();
        if h.state().tiles_pending() == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    h.run_steps(3);
}

/// One measured frame: the UI pass and the tessellation of its shapes.
fn frame(h: &mut Harness<'static, App>) -> Duration {
    let start = Instant::now();
    h.step();
    let out = h.output();
    let _ = h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point);
    start.elapsed()
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let n = times.len().max(1);
    let mean = times.iter().sum::<Duration>().as_secs_f64() * 1000.0 / n as f64;
    let pct = |p: f64| times[((n as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!(
        "{name:<34} frames {n:>4}   mean {mean:>6.3} ms   median {:>6.3} ms   p95 {:>6.3} ms   max {:>6.3} ms",
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
}

fn main() {
    let mut h = harness();
    h.state_mut().push(Command::Time(TimeCommand::End));
    settle(&mut h);
    for _ in 0..30 {
        frame(&mut h);
    }

    // Idle: nothing changes.
    let idle: Vec<Duration> = (0..200).map(|_| frame(&mut h)).collect();
    report("idle (all events shown)", idle);

    // Panning: drag the map 4 points per frame.
    let start = pos2(1000.0, 400.0);
    h.hover_at(start);
    h.step();
    h.drag_at(start);
    h.step();
    let mut pan = Vec::new();
    for i in 0..300 {
        let dx = if (i / 75) % 2 == 0 { -4.0 } else { 4.0 };
        h.hover_at(start + vec2(dx * (i % 75) as f32, 0.0));
        pan.push(frame(&mut h));
    }
    h.drop_at(start);
    h.step();
    report("panning", pan);

    // Zooming: wheel in and out over the map.
    let mut zoom = Vec::new();
    for i in 0..200 {
        h.hover_at(start);
        let dy = if (i / 50) % 2 == 0 { 40.0 } else { -40.0 };
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: vec2(0.0, dy),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        zoom.push(frame(&mut h));
    }
    report("zooming", zoom);

    // Scrubbing: move the cursor across September 2022, one hour per frame.
    let from: jiff::Timestamp = "2022-09-13T00:00:00+06:00"
        .parse()
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let mut scrub = Vec::new();
    for i in 0..200 {
        let t = from
            .checked_add(jiff::SignedDuration::from_hours(i))
            .unwrap_or(from);
        h.state_mut().push(Command::Time(TimeCommand::SetTime(t)));
        scrub.push(frame(&mut h));
    }
    report("scrubbing Sept 2022 (1 h/frame)", scrub);
}
