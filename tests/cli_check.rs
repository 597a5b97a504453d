//! `bordermap check`: its summary and its exit codes (0 read, 1 a file had an error, 2 usage).

use std::process::{Command, Output};

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .arg("check")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run bordermap")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn every_bundled_layer_reads_without_error() {
    let out = check(&[
        "assets/events.geojson",
        "assets/border.geojson",
        "assets/basemap/countries.geojson",
        "assets/basemap/lakes.geojson",
        "assets/basemap/provinces.geojson",
        "assets/basemap/places.geojson",
    ]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("errors: 0, warnings: 0"), "{shown}");
    assert!(shown.contains("read from start/end"), "{shown}");
}

#[test]
fn summary_names_types_dates_range_and_bbox() {
    let out = check(&["tests/data/good.geojson"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("features: 2 (Point 1, Polygon 1)"),
        "{shown}"
    );
    assert!(
        shown.contains("dated: 1, read from start/end (1)"),
        "{shown}"
    );
    assert!(
        shown.contains("time range (UTC): 2022-09-15T23:50:00Z .. 2022-09-16T15:00:00Z"),
        "{shown}"
    );
    assert!(
        shown.contains("bbox (lon, lat): 69.68300, 39.50000 .. 71.00000, 40.50000"),
        "{shown}"
    );
}

#[test]
fn a_feature_error_exits_1_and_names_file_line_and_feature() {
    let out = check(&["tests/data/mixed.geojson", "tests/data/good.geojson"]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("tests/data/mixed.geojson:3:"), "{shown}");
    assert!(
        shown.contains("feature 2: longitude 270.58 is outside -180..180"),
        "{shown}"
    );
    assert!(
        shown.contains("warning: feature 3: cannot read time"),
        "{shown}"
    );
    assert!(shown.contains("features: 2 (Point 2)"), "{shown}");
    assert!(
        shown.contains("tests/data/good.geojson"),
        "the other file is still read: {shown}"
    );
}

#[test]
fn missing_file_directory_and_unknown_type_exit_1_naming_the_path() {
    for (path, expected) in [
        (
            "tests/data/nope.geojson",
            "tests/data/nope.geojson: error: no such file",
        ),
        ("tests/data", "tests/data: error: is a directory"),
        (
            "Cargo.toml",
            "Cargo.toml: error: unsupported file type '.toml'",
        ),
    ] {
        let out = check(&[path]);
        assert_eq!(out.status.code(), Some(1), "{path}");
        assert!(text(&out).contains(expected), "{path}: {}", text(&out));
    }
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(check(&[]).status.code(), Some(2));
    assert_eq!(
        check(&["--no-such-flag", "a.geojson"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_layer_that_would_not_fit_in_memory_is_refused_before_reading() {
    // A machine with 1 KB free: the sample CSV would take more, so nothing of it is read.
    let out = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args([
            "check",
            "tests/data/acled-sample.csv",
            "tests/data/good.geojson",
        ])
        .env("BORDERMAP_MEMORY_AVAILABLE", "1K")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run bordermap");
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("acled-sample.csv") && shown.contains("would not fit in memory"),
        "{shown}"
    );
    // With room, the same file reads.
    let out = Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .args(["check", "tests/data/acled-sample.csv"])
        .env("BORDERMAP_MEMORY_AVAILABLE", "1G")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run bordermap");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}
