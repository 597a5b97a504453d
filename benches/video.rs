//! The MP4 export's target: 1280x720, 10 s at 30 fps (300 frames) written in 30 s or less on
//! the reference machine. Runs the release binary as an analyst would and prints its time
//! (and peak memory when /usr/bin/time is installed).

use std::process::Command;
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let _ = std::fs::create_dir_all(&dir);
    let out = dir.join("video-300-frames.mp4");
    let args = [
        "export",
        "--video",
        out.to_str().unwrap_or("video.mp4"),
        "--from",
        "2022-09-13",
        "--to",
        "2022-09-20",
        "--size",
        "1280x720",
        "--fps",
        "30",
        "--duration",
        "10",
        "--zone",
        "Asia/Bishkek",
        "--title",
        "13-20 September 2022",
    ];
    let timed = std::path::Path::new("/usr/bin/time").exists();
    let start = Instant::now();
    let output = if timed {
        Command::new("/usr/bin/time")
            .args(["-f", "peak %M KB"])
            .arg(env!("CARGO_BIN_EXE_bordermap"))
            .args(args)
            .output()
    } else {
        Command::new(env!("CARGO_BIN_EXE_bordermap"))
            .args(args)
            .output()
    };
    let elapsed = start.elapsed().as_secs_f64();
    match output {
        Ok(o) if o.status.success() => {
            let stderr = String::from_utf8_lossy(&o.stderr);
            let peak = stderr.lines().find(|l| l.starts_with("peak")).unwrap_or("");
            let size = std::fs::metadata(&out).map_or(0, |m| m.len());
            println!(
                "video 1280x720, 300 frames (10 s at 30 fps): {elapsed:.1} s (target <= 30 s), \
                 {} KB file, {peak}",
                size / 1024
            );
        }
        Ok(o) => eprintln!("the export failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => eprintln!("cannot run bordermap: {e}"),
    }
}
