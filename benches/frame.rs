//! CPU time of one frame of the real viewer on the bundled data, driven headless through
//! egui_kittest: panning, zooming and scrubbing the timeline. Each measured frame is the
//! app's UI pass plus egui's tessellation of what it drew (the CPU side of a real frame);
//! basemap tiles render on their own thread and are not counted.
//!
//! Then the same with a million dated points (an ACLED-style CSV, generated on first use):
//! the time from opening the file to seeing it, and frames while idle, panning, zooming
//! from 3 to 14 and playing (target: <= 8 ms CPU per frame).
//!
//! `cargo bench --bench frame`

mod support;

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

/// One measured frame: its wall time, and the CPU time of the thread that ran it (what
/// the targets count: on two cores, the clusters' and tiles' workers may take the core
/// from it for a moment, which shows in the wall time only).
#[derive(Clone, Copy)]
struct Frame {
    wall: Duration,
    cpu: Duration,
}

/// CPU time used by this thread so far.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to write.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// One measured frame: the UI pass and the tessellation of its shapes.
fn frame(h: &mut Harness<'static, App>) -> Frame {
    let (start, cpu) = (Instant::now(), thread_cpu());
    h.step();
    let out = h.output();
    let _ = h.ctx.tessellate(out.shapes.clone(), out.pixels_per_point);
    Frame {
        wall: start.elapsed(),
        cpu: thread_cpu().saturating_sub(cpu),
    }
}

fn report(name: &str, frames: Vec<Frame>) {
    let line = |what: &str, mut times: Vec<Duration>| {
        times.sort();
        let n = times.len().max(1);
        let mean = times.iter().sum::<Duration>().as_secs_f64() * 1000.0 / n as f64;
        let pct = |p: f64| times[((n as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
        println!(
            "{name:<34} {what} frames {n:>4}   mean {mean:>6.3} ms   median {:>6.3} ms   p95 {:>6.3} ms   max {:>6.3} ms",
            pct(0.5),
            pct(0.95),
            pct(1.0)
        );
    };
    line("CPU ", frames.iter().map(|f| f.cpu).collect());
    line("wall", frames.iter().map(|f| f.wall).collect());
}

fn main() {
    bordermap::allocator::set_up();
    bundled();
    million();
}

/// Panning with the mouse, `n` frames.
fn pan(h: &mut Harness<'static, App>, n: usize) -> Vec<Frame> {
    let start = pos2(1000.0, 400.0);
    h.hover_at(start);
    h.step();
    h.drag_at(start);
    h.step();
    let mut times = Vec::new();
    for i in 0..n {
        let dx = if (i / 75) % 2 == 0 { -4.0 } else { 4.0 };
        h.hover_at(start + vec2(dx * (i % 75) as f32, 0.0));
        times.push(frame(h));
    }
    h.drop_at(start);
    h.step();
    times
}

/// The viewer with a million dated points.
fn million() {
    let csv = match support::acled_file(1_000_000) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("cannot write the million-point CSV: {e}");
            return;
        }
    };
    let size = std::fs::metadata(&csv).map_or(0, |m| m.len());
    println!(
        "\n{} ({:.0} MB, 1,000,000 dated points)",
        csv.display(),
        size as f64 / 1e6
    );
    let mut h = harness();
    settle(&mut h);
    let start = Instant::now();
    h.state_mut().push(Command::Open(vec![csv]));
    h.step();
    // Stepped as the window repaints while a file loads (every 100 ms, and when the loader
    // wakes it): stepping every 5 ms took a core's 40% from the loader's two threads.
    while h.state().loading() > 0 && start.elapsed() < Duration::from_secs(300) {
        h.step();
        std::thread::sleep(Duration::from_millis(100));
    }
    h.step();
    let loaded = start.elapsed();
    // Then its first clusters, made on a worker (with the basemap's tiles) as the window
    // repaints when they are done.
    while h.state().tiles_pending() > 0 && start.elapsed() < Duration::from_secs(300) {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    h.step();
    println!(
        "{:<34} {:.2} s (loaded in {:.2} s; target <= 5 s)",
        "file to visible",
        start.elapsed().as_secs_f64(),
        loaded.as_secs_f64()
    );
    h.state_mut().push(Command::SetView {
        lon: 70.0,
        lat: 40.0,
        zoom: 4.0,
    });
    h.state_mut().push(Command::Time(TimeCommand::End));
    settle(&mut h);
    for _ in 0..10 {
        frame(&mut h);
    }
    let idle: Vec<Frame> = (0..100).map(|_| frame(&mut h)).collect();
    report("1M: idle at zoom 4", idle);
    report("1M: panning at zoom 4", pan(&mut h, 150));
    let mut zoom = Vec::new();
    for i in 0..220 {
        // From zoom 3 to 14 and back, a tenth of a level per frame, around Fergana.
        let z = if i < 110 {
            3.0 + i as f64 / 10.0
        } else {
            14.0 - (i - 110) as f64 / 10.0
        };
        h.state_mut().push(Command::SetView {
            lon: 71.0,
            lat: 40.3,
            zoom: z,
        });
        let t = frame(&mut h);
        if std::env::var_os("BORDERMAP_BENCH_TRACE").is_some() {
            eprintln!(
                "zoom {z:.1}: {:.1} ms, CPU {:.1} ms",
                t.wall.as_secs_f64() * 1000.0,
                t.cpu.as_secs_f64() * 1000.0
            );
        }
        zoom.push(t);
    }
    report("1M: zooming 3..14", zoom);
    h.state_mut().push(Command::SetView {
        lon: 70.0,
        lat: 40.0,
        zoom: 5.0,
    });
    h.state_mut().push(Command::Time(TimeCommand::Home));
    h.state_mut().push(Command::Time(TimeCommand::Play));
    settle(&mut h);
    let play: Vec<Frame> = (0..150).map(|_| frame(&mut h)).collect();
    report("1M: playing at zoom 5", play);
}

/// The viewer on its bundled data.
fn bundled() {
    let mut h = harness();
    h.state_mut().push(Command::Time(TimeCommand::End));
    settle(&mut h);
    for _ in 0..30 {
        frame(&mut h);
    }

    // Idle: nothing changes.
    let idle: Vec<Frame> = (0..200).map(|_| frame(&mut h)).collect();
    report("idle (all events shown)", idle);

    // Panning: drag the map 4 points per frame.
    report("panning", pan(&mut h, 300));
    let start = pos2(1000.0, 400.0);

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
