//! Peak memory of the real window (the release binary, under Xvfb, drawn by Mesa's software
//! renderer) with a big layer open: held still at a few zoom levels, and over a session of
//! wheel zooming (14 steps in from zoom 5 and 14 out, one every 0.7 s, driven by `xdotool`).
//! The peak is the process's VmHWM, in MB of 2^20 bytes.
//!
//! 1. The 100 MB GeoJSON of `read_geojson` (target: at most 3 times the file).
//! 2. The CSV of 1,000,000 ACLED-style dated points (target: at most twice the file + 250 MB).
//!
//! Needs `Xvfb` and `xdotool` (`apt-get install -y xvfb xdotool mesa-vulkan-drivers`), and
//! says so when they are missing. About 5 minutes. `cargo bench --bench window_memory`

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The binary under test, built by `cargo bench` in its release profile.
const BIN: &str = env!("CARGO_BIN_EXE_bordermap");

/// How long a window is left to open its file and paint its view before it is measured.
const SETTLE: Duration = Duration::from_secs(15);

/// Held still: measured this long after opening.
const STILL: Duration = Duration::from_secs(30);

/// Wheel steps each way in a zoom session, and the time between them.
const STEPS: usize = 14;
const STEP_GAP: Duration = Duration::from_millis(700);

fn main() {
    let missing: Vec<&str> = ["Xvfb", "xdotool"]
        .into_iter()
        .filter(|p| !on_path(p))
        .collect();
    if !missing.is_empty() {
        println!(
            "window memory: not measured, {} not installed (apt-get install -y xvfb xdotool)",
            missing.join(" and ")
        );
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/window-memory");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot make {}: {e}", dir.display());
        std::process::exit(1);
    }
    let Some(display) = Display::start() else {
        eprintln!("window memory: Xvfb did not start");
        std::process::exit(1);
    };
    println!(
        "window 1440x900 under Xvfb {}, peak resident memory (VmHWM)",
        display.name
    );
    match support::layer_file(100) {
        Ok(path) => {
            let target = 3.0 * file_mb(&path);
            println!(
                "-- {} ({:.1} MB; target <= 3x the file = {target:.1} MB)",
                path.display(),
                file_mb(&path)
            );
            for zoom in [5, 7, 9, 12] {
                still(&display, &dir, &path, zoom, target);
            }
            session(&display, &dir, &path, target);
        }
        Err(e) => eprintln!("cannot write the 100 MB layer: {e}"),
    }
    match support::acled_file(1_000_000) {
        Ok(path) => {
            let target = 2.0 * file_mb(&path) + 250.0;
            println!(
                "-- {} ({:.1} MB; target <= 2x the file + 250 MB = {target:.1} MB)",
                path.display(),
                file_mb(&path)
            );
            for zoom in [4, 12] {
                still(&display, &dir, &path, zoom, target);
            }
            session(&display, &dir, &path, target);
        }
        Err(e) => eprintln!("cannot write the million points: {e}"),
    }
}

/// The window opened on `file` at `zoom`, measured after [`STILL`].
fn still(display: &Display, dir: &Path, file: &Path, zoom: u8, target: f64) {
    let Some(mut viewer) = Viewer::open(display, dir, file, zoom) else {
        return;
    };
    std::thread::sleep(STILL);
    let peak = viewer.peak_mb();
    viewer.close();
    report(
        &format!("held still at zoom {zoom}, {} s", STILL.as_secs()),
        peak,
        target,
    );
}

/// The window opened on `file` at zoom 5, wheeled in [`STEPS`] steps and out as many.
fn session(display: &Display, dir: &Path, file: &Path, target: f64) {
    let Some(mut viewer) = Viewer::open(display, dir, file, 5) else {
        return;
    };
    std::thread::sleep(SETTLE);
    let before = viewer.peak_mb();
    display.xdotool(&["mousemove", "1000", "450"]);
    for button in ["4", "5"] {
        for _ in 0..STEPS {
            display.xdotool(&["click", button]);
            std::thread::sleep(STEP_GAP);
        }
        std::thread::sleep(Duration::from_secs(3));
    }
    let peak = viewer.peak_mb();
    viewer.close();
    report(
        &format!("opened at zoom 5, {} s", SETTLE.as_secs()),
        before,
        target,
    );
    report(
        &format!("a session of wheel zooming, {STEPS} steps in and out"),
        peak,
        target,
    );
}

fn report(case: &str, peak: Option<f64>, target: f64) {
    match peak {
        Some(mb) => println!(
            "{case:<48} peak {mb:6.1} MB  ({})",
            if mb <= target {
                "met"
            } else {
                "over the target"
            }
        ),
        None => println!("{case:<48} not measured (the window closed early)"),
    }
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / f64::from(1u32 << 20))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// An Xvfb server of its own, stopped when dropped.
struct Display {
    name: String,
    server: Child,
}

impl Display {
    /// Xvfb on the first free display from :90, 1600x1000 at 24 bits.
    fn start() -> Option<Self> {
        let n = (90..120).find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())?;
        let name = format!(":{n}");
        let server = Command::new("Xvfb")
            .args([name.as_str(), "-screen", "0", "1600x1000x24"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let display = Self { name, server };
        for _ in 0..50 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                return Some(display);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    fn xdotool(&self, args: &[&str]) {
        let _ = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.name)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for Display {
    /// Asks the server to end (so that it removes its socket), else kills it.
    fn drop(&mut self) {
        let asked = i32::try_from(self.server.id())
            // SAFETY: sends a signal to the server this bench started; no pointer is passed.
            .is_ok_and(|pid| unsafe { libc::kill(pid, libc::SIGTERM) } == 0);
        if !asked {
            let _ = self.server.kill();
        }
        let _ = self.server.wait();
    }
}

/// The viewer's window on one file, with a session of its own (the view at 70° E 40° N and
/// `zoom`, no other layers) and a fresh data folder (its default size, 1440x900).
struct Viewer {
    child: Child,
}

impl Viewer {
    fn open(display: &Display, dir: &Path, file: &Path, zoom: u8) -> Option<Self> {
        let session = dir.join("session.json");
        let data = dir.join("data");
        let _ = std::fs::remove_dir_all(&data);
        let written = std::fs::write(
            &session,
            format!(r#"{{"lon":70.0,"lat":40.0,"zoom":{zoom},"layers":[]}}"#),
        );
        if let Err(e) = written.and(std::fs::create_dir_all(&data)) {
            eprintln!("cannot write {}: {e}", session.display());
            return None;
        }
        let child = Command::new(BIN)
            .arg(file)
            .env("DISPLAY", &display.name)
            .env("BORDERMAP_SESSION", &session)
            .env("XDG_DATA_HOME", &data)
            .env("XDG_RUNTIME_DIR", dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match child {
            Ok(child) => Some(Self { child }),
            Err(e) => {
                eprintln!("cannot run {BIN}: {e}");
                None
            }
        }
    }

    /// VmHWM so far, in MB; `None` once the process has ended.
    fn peak_mb(&mut self) -> Option<f64> {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return None;
        }
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024.0)
    }

    fn close(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
