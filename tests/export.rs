//! Exports whose pixels are checked: the size asked, a picture that changes with the time, a
//! magenta layer magenta where it lies, the legend and the date label in their corners, the
//! frames of an animation, and the window's export agreeing with the headless one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bordermap::app::App;
use bordermap::command::{Command as UiCommand, ExportOrder, ExportSize};
use bordermap::export::cli::{ExportArgs, run};
use bordermap::model::geom::mercator;
use bordermap::time::{DisplayZone, TimeCommand};
use egui_kittest::Harness;
use image::RgbaImage;

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("export-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn export(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bordermap"))
        .arg("export")
        .args(args)
        // The furniture's words follow the system's locale: English here.
        .env("LC_ALL", "C")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run bordermap export")
}

fn ok(out: &Output) {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn load(path: &Path) -> RgbaImage {
    image::open(path).expect("a PNG").to_rgba8()
}

/// Pixel of a lon/lat in an export of `size` centred on `center` at `zoom`.
fn pixel_of(lon: f64, lat: f64, center: (f64, f64), zoom: f64, size: (u32, u32)) -> (u32, u32) {
    let m = mercator(lon, lat);
    let c = mercator(center.0, center.1);
    let scale = 256.0 * 2f64.powf(zoom);
    let x = size.0 as f64 / 2.0 + (m[0] - c[0]) * scale;
    let y = size.1 as f64 / 2.0 + (m[1] - c[1]) * scale;
    (x.round() as u32, y.round() as u32)
}

#[test]
fn headless_export_has_the_size_asked_and_creates_the_folder() {
    let dir = tmp("size");
    let out = dir.join("missing/sub/map.png");
    let o = export(&["--out", out.to_str().unwrap(), "--size", "480x320"]);
    ok(&o);
    let img = load(&out);
    assert_eq!((img.width(), img.height()), (480, 320));
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left");
}

#[test]
fn the_picture_changes_with_the_time() {
    let dir = tmp("time");
    let a = dir.join("2021.png");
    let b = dir.join("2022.png");
    ok(&export(&[
        "--out",
        a.to_str().unwrap(),
        "--size",
        "640x400",
        "--at",
        "2021-01-01",
    ]));
    ok(&export(&[
        "--out",
        b.to_str().unwrap(),
        "--size",
        "640x400",
        "--at",
        "2022-09-16T12:00:00+06:00",
    ]));
    let (a, b) = (load(&a), load(&b));
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0.iter().zip(q.0.iter()).any(|(x, y)| x.abs_diff(*y) > 40));
    assert!(
        differing.count() > 500,
        "sites and the date label must differ"
    );
}

#[test]
fn a_magenta_layer_is_magenta_where_it_lies() {
    let dir = tmp("magenta");
    std::fs::create_dir_all(&dir).unwrap();
    let layer = dir.join("magenta.geojson");
    std::fs::write(
        &layer,
        r##"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"fill":"#ff00ff","fill-opacity":1,"stroke":"#ff00ff"},
        "geometry":{"type":"Polygon","coordinates":[[[70.9,39.6],[71.2,39.6],[71.2,39.8],[70.9,39.8],[70.9,39.6]]]}}]}"##,
    )
    .unwrap();
    let out = dir.join("map.png");
    ok(&export(&[
        "--out",
        out.to_str().unwrap(),
        "--size",
        "800x600",
        "--center",
        "71.0,39.9",
        "--zoom",
        "9",
        "--layer",
        layer.to_str().unwrap(),
    ]));
    let img = load(&out);
    let (x, y) = pixel_of(71.05, 39.7, (71.0, 39.9), 9.0, (800, 600));
    let p = img.get_pixel(x, y).0;
    assert!(
        p[0] > 230 && p[1] < 30 && p[2] > 230,
        "magenta expected at {x},{y}, got {p:?}"
    );
    let (x, y) = pixel_of(70.7, 40.2, (71.0, 39.9), 9.0, (800, 600));
    let q = img.get_pixel(x, y).0;
    assert!(
        !(q[0] > 230 && q[1] < 30 && q[2] > 230),
        "not magenta outside the layer: {q:?}"
    );
}

/// Share of near-white pixels (legend and label backgrounds, not the pastel basemap).
fn whiteish(img: &RgbaImage, x0: u32, y0: u32, w: u32, h: u32) -> f64 {
    let mut n = 0;
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            let p = img.get_pixel(x, y).0;
            if p[0] > 238 && p[1] > 238 && p[2] > 238 {
                n += 1;
            }
        }
    }
    n as f64 / (w * h) as f64
}

fn darkish(img: &RgbaImage, x0: u32, y0: u32, w: u32, h: u32) -> usize {
    (y0..y0 + h)
        .flat_map(|y| (x0..x0 + w).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0[..3].iter().all(|c| *c < 90))
        .count()
}

#[test]
fn legend_and_date_label_are_in_their_corners() {
    let dir = tmp("corners");
    let out = dir.join("map.png");
    ok(&export(&[
        "--out",
        out.to_str().unwrap(),
        "--size",
        "1200x800",
        "--at",
        "2022-09-16T12:00:00+06:00",
        "--zone",
        "Asia/Bishkek",
        "--title",
        "Test title",
    ]));
    let img = load(&out);
    // Legend: below the title, top left.
    assert!(whiteish(&img, 12, 70, 180, 250) > 0.5, "legend background");
    assert!(darkish(&img, 12, 70, 180, 250) > 200, "legend text");
    // Date label: top right.
    assert!(
        whiteish(&img, 1200 - 150, 12, 130, 20) > 0.4,
        "date label background"
    );
    assert!(
        darkish(&img, 1200 - 150, 12, 130, 20) > 40,
        "date label text"
    );
    // Title: top left.
    assert!(darkish(&img, 14, 14, 100, 24) > 40, "title text");
}

#[test]
fn an_animation_writes_one_frame_per_step_inclusive_and_a_gif() {
    let dir = tmp("frames");
    let gif = dir.join("anim.gif");
    ok(&export(&[
        "--out-dir",
        dir.to_str().unwrap(),
        "--from",
        "2022-09-14",
        "--to",
        "2022-09-17",
        "--step",
        "1d",
        "--size",
        "320x200",
        "--gif",
        gif.to_str().unwrap(),
    ]));
    let mut frames: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("frame-") && n.ends_with(".png"))
        .collect();
    frames.sort();
    assert_eq!(
        frames,
        [
            "frame-0001.png",
            "frame-0002.png",
            "frame-0003.png",
            "frame-0004.png"
        ]
    );
    let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(
        std::fs::File::open(&gif).unwrap(),
    ))
    .unwrap();
    use image::AnimationDecoder;
    assert_eq!(decoder.into_frames().count(), 4);
}

/// An animation draws the basemap and the static layers once and each frame's events over
/// them: every frame must be, pixel for pixel, the picture of its moment exported alone.
#[test]
fn each_frame_of_an_animation_is_its_moment_exported_alone() {
    let dir = tmp("frames-alone");
    // Big enough for the legend to fit: a legend taller than the picture is laid out anew
    // with each pass, and how many passes a picture takes depends on when its tiles come.
    let common = [
        "--size",
        "800x560",
        "--zoom",
        "10",
        "--center",
        "70.6,39.95",
        "--title",
        "Frames",
    ];
    let frames = dir.join("frames");
    let mut args = vec![
        "--out-dir",
        frames.to_str().unwrap(),
        "--from",
        "2022-09-14",
        "--to",
        "2022-09-17",
        "--step",
        "1d",
    ];
    args.extend(common);
    ok(&export(&args));
    let mut changed = 0;
    let mut before: Option<RgbaImage> = None;
    for (i, day) in ["2022-09-14", "2022-09-15", "2022-09-16", "2022-09-17"]
        .iter()
        .enumerate()
    {
        let alone = dir.join(format!("{day}.png"));
        let mut args = vec!["--out", alone.to_str().unwrap(), "--at", day];
        args.extend(common);
        ok(&export(&args));
        let frame = load(&frames.join(format!("frame-{:04}.png", i + 1)));
        let alone = load(&alone);
        let differ = frame
            .pixels()
            .zip(alone.pixels())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differ, 0, "frame {} differs from {day} alone", i + 1);
        if before.as_ref().is_some_and(|b| b != &frame) {
            changed += 1;
        }
        before = Some(frame);
    }
    // The moments differ (the events and the time label), so reusing a frame shows.
    assert_eq!(changed, 3);
}

#[test]
fn bad_arguments_exit_2_and_unreadable_layers_exit_1() {
    let dir = tmp("errors");
    let out = dir.join("x.png");
    let out = out.to_str().unwrap();
    for args in [
        vec!["--out", out, "--size", "big"],
        vec!["--out", out, "--at", "someday"],
        vec!["--out", out, "--zone", "Mars/Base"],
        vec!["--out", out, "--window", "forever", "--mode", "window"],
        vec![],
    ] {
        let o = export(&args);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let o = export(&["--out", out, "--layer", "tests/data/nope.geojson"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nope.geojson"));
    assert!(!Path::new(out).exists(), "nothing written on failure");
}

/// Share of pixels of `a` and `b` (same size) that differ by more than `tol` in a channel,
/// outside the rectangles `skip` (x0, y0, x1, y1).
fn differing(a: &RgbaImage, b: &RgbaImage, tol: u8, skip: &[(u32, u32, u32, u32)]) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let (mut far, mut total) = (0u64, 0u64);
    for (x, y, p) in a.enumerate_pixels() {
        if skip
            .iter()
            .any(|&(x0, y0, x1, y1)| x >= x0 && x < x1 && y >= y0 && y < y1)
        {
            continue;
        }
        total += 1;
        let q = b.get_pixel(x, y);
        if p.0
            .iter()
            .zip(q.0.iter())
            .any(|(u, v)| u.abs_diff(*v) > tol)
        {
            far += 1;
        }
    }
    far as f64 / total.max(1) as f64
}

#[test]
fn the_window_shows_what_its_export_and_the_headless_export_draw() {
    // The real window, at a time and a view.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(None));
    let at: jiff::Timestamp = "2022-09-16T12:00:00+06:00".parse().unwrap();
    for c in [
        UiCommand::Time(TimeCommand::SetZone(DisplayZone::Utc)),
        UiCommand::Time(TimeCommand::SetTime(at)),
        UiCommand::SetView {
            lon: 70.6,
            lat: 40.0,
            zoom: 9.0,
        },
    ] {
        h.state_mut().push(c);
    }
    h.state_mut().apply();
    for _ in 0..400 {
        h.step();
        if h.state().tiles_pending() == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(3);
    let screen = h.render().expect("render the window");
    let rect = h.state().overlay().map_rect.expect("the map was drawn");
    let (x0, y0) = (rect.min.x.round() as u32, rect.min.y.round() as u32);
    let (w, h_px) = (rect.width().round() as u32, rect.height().round() as u32);
    let shown = image::imageops::crop_imm(&screen, x0, y0, w, h_px).to_image();
    let dir = tmp("agree");
    std::fs::create_dir_all(&dir).unwrap();
    // Kept beside the exports, to look at when the comparison fails.
    shown.save(dir.join("window-screen.png")).unwrap();

    // The window's own Export (x1), written by its background job.
    let from_window = dir.join("window.png");
    h.state_mut().push(UiCommand::Export(ExportOrder {
        path: from_window.clone(),
        size: ExportSize::Scale(1),
        custom: [0, 0],
        title: None,
        with_view: true,
    }));
    h.state_mut().apply();
    for _ in 0..600 {
        h.step();
        if !h.state().exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let exported = load(&from_window);
    assert_eq!(exported.dimensions(), (w, h_px));

    // And `bordermap export` with the same view, size and time.
    let from_cli = dir.join("cli.png");
    let args = ExportArgs {
        out: Some(from_cli.clone()),
        size: format!("{w}x{h_px}"),
        at: Some("2022-09-16T12:00:00+06:00".into()),
        center: Some("70.6,40.0".into()),
        zoom: Some(9.0),
        basemap: Some("offline".into()),
        mode: Some("cumulative".into()),
        window: Some("7d".into()),
        zone: Some("UTC".into()),
        ..ExportArgs::default()
    };
    run(&args.plan().unwrap())
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let headless = load(&from_cli);

    // The window's legend has view buttons a picture has not: leave its corner out.
    let legend = [(0, 0, 280, 400)];
    let window_vs_export = differing(&shown, &exported, 24, &legend);
    assert!(
        window_vs_export < 0.01,
        "the window's export differs from the window in {:.2}% of pixels",
        window_vs_export * 100.0
    );
    let export_vs_cli = differing(&exported, &headless, 0, &[]);
    assert!(
        export_vs_cli == 0.0,
        "the window's export and the headless one differ in {:.3}% of pixels",
        export_vs_cli * 100.0
    );

    // The window wrote its view beside the picture; `bordermap export --view` of it draws
    // the same pixels as the flags above.
    let view_file = dir.join("window.view.json");
    let view = bordermap::views::SavedView::read(&view_file).expect("the view file");
    assert!((view.center[0] - 70.6).abs() < 1e-9 && (view.center[1] - 40.0).abs() < 1e-9);
    assert_eq!((view.zoom, view.time), (9.0, Some(at)));
    let from_view = dir.join("view.png");
    let args = ExportArgs {
        out: Some(from_view.clone()),
        size: format!("{w}x{h_px}"),
        view: Some(view_file),
        ..ExportArgs::default()
    };
    run(&args.plan().unwrap())
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let view_vs_flags = differing(&load(&from_view), &headless, 0, &[]);
    assert!(
        view_vs_flags == 0.0,
        "--view and the same view as flags differ in {:.3}% of pixels",
        view_vs_flags * 100.0
    );
}

#[test]
fn a_hundred_thousand_points_export_without_overflowing_the_gpu() {
    // Drawn one by one (circle, outline, symbol), 100,000 points needed more than the GPU's
    // largest buffer and the export panicked; a dense layer draws them as squares.
    let dir = tmp("dense");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("points.csv");
    let mut text = String::from("event_date,event_type,latitude,longitude,fatalities\n");
    for i in 0..100_000u32 {
        let (lat, lon) = (
            38.0 + (i % 400) as f64 * 0.01,
            66.0 + (i / 400) as f64 * 0.03,
        );
        text.push_str(&format!(
            "2022-09-{:02},Battles,{lat:.3},{lon:.3},{}\n",
            1 + i % 28,
            i % 5
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let out = dir.join("dense.png");
    let o = export(&[
        "--out",
        out.to_str().unwrap(),
        "--size",
        "800x600",
        "--center",
        "70,40",
        "--zoom",
        "5",
        "--layer",
        csv.to_str().unwrap(),
    ]);
    ok(&o);
    let img = load(&out);
    // The points fill a block from 66°E, 38°N: drawn as clusters in the layer's purple.
    let (x0, y1) = pixel_of(66.0, 38.0, (70.0, 40.0), 5.0, (800, 600));
    let (x1, y0) = pixel_of(73.5, 42.0, (70.0, 40.0), 5.0, (800, 600));
    let purple = (y0..y1.min(600))
        .flat_map(|y| (x0..x1.min(800)).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = img.get_pixel(x, y).0;
            p[2] as i32 > p[1] as i32 + 40 && p[0] as i32 > p[1] as i32 + 10
        })
        .count();
    let area = ((x1 - x0) * (y1 - y0)) as usize;
    assert!(
        purple * 5 > area,
        "clusters cover the block: {purple} of {area} pixels"
    );
}

#[test]
fn a_picture_drawn_in_many_batches_keeps_every_batch() {
    // 6,000 squares of 40 vertices each: far more vertices than one batch of the exporter
    // holds, so the picture is drawn in several passes; each must add to the last, not
    // clear it. And a layer that big is drawn from tiles in the window: the export must
    // still draw every square, at once.
    let dir = tmp("batches");
    std::fs::create_dir_all(&dir).unwrap();
    let layer = dir.join("squares.geojson");
    let (cols, rows) = (100, 60);
    let mut centres = Vec::new();
    let mut features = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            let (x0, y0) = (69.9 + c as f64 * 0.022, 39.3 + r as f64 * 0.02);
            let (x1, y1) = (x0 + 0.018, y0 + 0.015);
            let mut ring = Vec::new();
            for i in 0..10 {
                ring.push(format!("[{},{y0}]", x0 + (x1 - x0) * i as f64 / 10.0));
            }
            for i in 0..10 {
                ring.push(format!("[{x1},{}]", y0 + (y1 - y0) * i as f64 / 10.0));
            }
            for i in 0..10 {
                ring.push(format!("[{},{y1}]", x1 - (x1 - x0) * i as f64 / 10.0));
            }
            for i in 0..10 {
                ring.push(format!("[{x0},{}]", y1 - (y1 - y0) * i as f64 / 10.0));
            }
            ring.push(format!("[{x0},{y0}]"));
            features.push(format!(
                r##"{{"type":"Feature","properties":{{"fill":"#ff00ff","fill-opacity":1,"stroke":"#ff00ff"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"##,
                ring.join(",")
            ));
            centres.push(((x0 + x1) / 2.0, (y0 + y1) / 2.0));
        }
    }
    std::fs::write(
        &layer,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",\n")
        ),
    )
    .unwrap();
    let out = dir.join("map.png");
    ok(&export(&[
        "--out",
        out.to_str().unwrap(),
        "--size",
        "800x600",
        "--center",
        "71.0,39.9",
        "--zoom",
        "9",
        "--layer",
        layer.to_str().unwrap(),
    ]));
    let img = load(&out);
    // Squares in the picture, away from the legend, the date label and the attribution.
    let seen: Vec<(u32, u32)> = centres
        .iter()
        .map(|&(lon, lat)| pixel_of(lon, lat, (71.0, 39.9), 9.0, (800, 600)))
        .filter(|&(x, y)| x < 800 && (30..540).contains(&y) && !(x < 260 && y < 380))
        .collect();
    assert!(seen.len() > 1000, "{} squares in view", seen.len());
    let missing: Vec<_> = seen
        .iter()
        .filter(|&&(x, y)| {
            let p = img.get_pixel(x, y).0;
            !(p[0] > 230 && p[1] < 30 && p[2] > 230)
        })
        .collect();
    // The borders and towns drawn over the layer cover some (about 6%); with a batch
    // clearing the last, all but the last batch's would be missing.
    assert!(
        missing.len() * 10 < seen.len(),
        "{} of {} squares are not magenta, e.g. {:?}",
        missing.len(),
        seen.len(),
        &missing[..missing.len().min(5)]
    );
}

#[test]
fn a_place_name_or_mgrs_centres_the_export_and_a_bad_one_is_exit_2() {
    let dir = tmp("center-forms");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let common = ["--size", "400x300", "--zoom", "11"];
    // Vorukh (the village in the bundled places) by its Cyrillic name, and by its position.
    let by_name = path("by-name.png");
    let mut args = vec!["--out", &by_name, "--center", "Ворух"];
    args.extend(common);
    ok(&export(&args));
    let by_position = path("by-position.png");
    let mut args = vec!["--out", &by_position, "--center", "70.58012,39.85125"];
    args.extend(common);
    ok(&export(&args));
    assert_eq!(
        differing(
            &load(Path::new(&by_name)),
            &load(Path::new(&by_position)),
            0,
            &[]
        ),
        0.0,
        "--center Ворух is Vorukh"
    );
    let by_dms = path("by-dms.png");
    let mut args = vec!["--out", &by_dms, "--center", "40°03'36\"N 70°49'12\"E"];
    args.extend(common);
    ok(&export(&args));
    for (center, says) in [
        ("Karavan", "ambiguous"),
        ("Qwxyzzy", "no place"),
        ("42TXK552233600", "MGRS"),
        ("95N 70E", "latitude"),
    ] {
        let o = export(&["--out", &path("bad.png"), "--center", center]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{center}: {stderr}");
        assert!(stderr.contains(says), "{center}: {stderr}");
    }
    assert!(
        String::from_utf8_lossy(
            &export(&["--out", &path("bad.png"), "--center", "Karavan"]).stderr
        )
        .matches("Karavan (")
        .count()
            >= 2,
        "the ambiguous name lists its matches"
    );
}

#[test]
fn a_view_file_with_a_wrong_member_is_exit_2_naming_it_and_a_missing_one_exit_1() {
    let dir = tmp("bad-view");
    std::fs::create_dir_all(&dir).unwrap();
    let view = dir.join("v.json");
    std::fs::write(&view, r#"{"bordermap_view": 1, "zoom": "close"}"#).unwrap();
    let out = dir.join("x.png");
    let o = export(&[
        "--out",
        out.to_str().unwrap(),
        "--view",
        view.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("'zoom'"));
    let o = export(&[
        "--out",
        out.to_str().unwrap(),
        "--view",
        "tests/data/no-view.json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-view.json"));
    assert!(!out.exists());
}

#[test]
fn measurements_are_drawn_in_the_export() {
    use bordermap::export::{Exporter, MapView, Request};
    use bordermap::instruments::measure::{Measure, MeasureCommand, Tool};
    let ds = bordermap::io::bundled::dataset();
    let mut time = bordermap::time::TimeControl::default();
    time.set_range(ds.cursor_range());
    let mut measure = Measure::default();
    measure.apply(MeasureCommand::Use(Some(Tool::Path)));
    // A north-south path west of the sites, across the middle of the picture.
    let (a, b) = ([70.3, 39.6], [70.3, 40.2]);
    measure.apply(MeasureCommand::Click(a));
    measure.apply(MeasureCommand::Click(b));
    measure.apply(MeasureCommand::Finish { closed: false });
    let view = MapView {
        lon: 70.5,
        lat: 39.9,
        zoom: 9.0,
    };
    let mut exporter = Exporter::new().expect("an exporter");
    let mut render = |measure: Option<&Measure>| {
        let request = Request {
            dataset: &ds,
            time: &time,
            view,
            size_px: [800, 600],
            pixels_per_point: 1.0,
            title: None,
            tile_timeout: bordermap::map::scene::TILE_WAIT,
            basemap: bordermap::map::online::BasemapSpec::Offline,
            selection: None,
            measure,
            marker: None,
            precision_areas: false,
        };
        exporter.render(&request).expect("rendered").image
    };
    let with = render(Some(&measure));
    let without = render(None);
    // The measure ink (orange) along the path, a third of the way down it.
    let (x, y) = pixel_of(70.3, 39.8, (view.lon, view.lat), view.zoom, (800, 600));
    let orange = |img: &RgbaImage| {
        (x.saturating_sub(3)..=x + 3).any(|px| {
            let p = img.get_pixel(px, y);
            p[0] > 180 && (60..120).contains(&p[1]) && p[2] < 60
        })
    };
    assert!(orange(&with), "the path is drawn at x={x}, y={y}");
    assert!(!orange(&without), "and only when measurements are given");
    // Its length is written on the map: the pictures differ beyond the line.
    assert!(differing(&with, &without, 8, &[]) > 0.001);
}

#[test]
fn a_filter_hides_what_fails_it_in_the_picture_and_a_bad_one_is_exit_2() {
    let dir = tmp("filter");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let view = [
        "--size",
        "600x400",
        "--center",
        "70.5358,39.9497",
        "--zoom",
        "12",
    ];
    let shoot = |name: &str, extra: &[&str]| {
        let out = path(name);
        let mut args = vec!["--out", out.as_str()];
        args.extend(view);
        args.extend(extra);
        ok(&export(&args));
        load(Path::new(&out))
    };
    let all = shoot("all.png", &[]);
    let filtered = shoot("diplomacy.png", &["--filter", "kind=diplomacy"]);
    let none = shoot("before.png", &["--at", "2020-01-01"]);
    // Kok-Tash's clash site, at the centre: drawn without the filter, gone with it (the
    // picture there is the one from before any event).
    let (x, y) = (300, 200);
    let at = |img: &RgbaImage| *img.get_pixel(x, y);
    assert_ne!(at(&all), at(&none), "the site is drawn");
    assert_eq!(
        at(&filtered),
        at(&none),
        "kind=diplomacy hides the clash site"
    );
    // Two conditions must both hold; a condition no event meets leaves the map empty too.
    let strict = shoot(
        "strict.png",
        &["--filter", "kind=clash", "--filter", "killed>=100000"],
    );
    assert_eq!(at(&strict), at(&none));
    for (expr, says) in [
        ("kind=picnic", "unknown kind"),
        ("killed>=lots", "not a number"),
    ] {
        let o = export(&["--out", &path("bad.png"), "--filter", expr]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{expr}: {stderr}");
        assert!(
            stderr.contains(says) && stderr.contains(expr),
            "{expr}: {stderr}"
        );
    }
}

#[test]
fn extract_writes_what_the_same_options_show_as_geojson_or_csv() {
    let dir = tmp("extract");
    std::fs::create_dir_all(&dir).unwrap();
    let extract = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_bordermap"))
            .arg("extract")
            .args(args)
            .output()
            .expect("run bordermap extract")
    };
    // What the library shows with the same filter and time.
    let mut ds = bordermap::io::bundled::dataset();
    ds.set_filter(bordermap::model::filter::Filter::parse_all(&["kind=clash,shelling"]).unwrap());
    let mut time = bordermap::time::TimeControl::default();
    time.set_range(ds.cursor_range());
    let at: jiff::Timestamp = "2022-09-16T12:00:00Z".parse().unwrap();
    time.apply(TimeCommand::SetTime(at), &ds.index);
    let expected = ds.shown_features(&ds.index.visible(&time)).len();
    assert!(expected > 0);

    let json = dir.join("shown.geojson");
    let o = extract(&[
        "--out",
        json.to_str().unwrap(),
        "--filter",
        "kind=clash,shelling",
        "--at",
        "2022-09-16T12:00:00Z",
    ]);
    ok(&o);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert_eq!(features.len(), expected);
    for f in features {
        let kind = f["properties"]["kind"].as_str().unwrap();
        assert!(kind == "clash" || kind == "shelling", "{kind}");
        assert!(f["properties"]["claims"].is_array(), "claims kept");
    }

    let csv = dir.join("shown.csv");
    ok(&extract(&[
        "--out",
        csv.to_str().unwrap(),
        "--filter",
        "kind=clash,shelling",
        "--at",
        "2022-09-16T12:00:00Z",
    ]));
    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        &header.iter().take(7).collect::<Vec<_>>(),
        &["layer", "id", "start", "end", "lon", "lat", "wkt"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|r| r[6].starts_with("MULTIPOINT")
        || r[6].starts_with("POINT")
        || r[6].starts_with("POLYGON")));

    for (args, code) in [
        (vec!["--out", "x.txt"], 2),
        (vec!["--out", "x.csv", "--filter", "kind=picnic"], 2),
        (
            vec!["--out", "x.csv", "--layer", "tests/data/nope.geojson"],
            1,
        ),
    ] {
        let o = extract(&args);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn compare_puts_two_moments_side_by_side_each_as_its_own_export() {
    let dir = tmp("compare");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let view = [
        "--center",
        "70.62,39.95",
        "--zoom",
        "10",
        "--zone",
        "Asia/Bishkek",
    ];
    let both = path("both.png");
    let mut args = vec!["--out", &both, "--size", "800x400"];
    args.extend(["--compare", "2022-09-14T12:00+06:00,2022-09-17T12:00+06:00"]);
    args.extend(view);
    ok(&export(&args));
    let both = load(Path::new(&both));
    assert_eq!(both.dimensions(), (800, 400));
    for (name, at, title, x0) in [
        ("a.png", "2022-09-14T12:00+06:00", "A", 0u32),
        ("b.png", "2022-09-17T12:00+06:00", "B", 400),
    ] {
        let one = path(name);
        let mut args = vec![
            "--out", &one, "--size", "400x400", "--at", at, "--title", title,
        ];
        args.extend(view);
        ok(&export(&args));
        let one = load(Path::new(&one));
        let half = image::imageops::crop_imm(&both, x0, 0, 400, 400).to_image();
        // All but the seam (the two columns where the halves meet).
        let seam = if x0 == 0 {
            (399, 0, 400, 400)
        } else {
            (0, 0, 1, 400)
        };
        assert_eq!(
            differing(&half, &one, 0, &[seam]),
            0.0,
            "half {title} is the export at {at}"
        );
    }
    let differ = differing(
        &image::imageops::crop_imm(&both, 0, 0, 400, 400).to_image(),
        &image::imageops::crop_imm(&both, 400, 0, 400, 400).to_image(),
        8,
        &[],
    );
    assert!(differ > 0.005, "the two moments differ: {differ}");
    let o = export(&["--out", &path("bad.png"), "--compare", "2022-09-14"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--compare"));
}

#[test]
fn precision_areas_are_drawn_around_sites_known_only_to_a_village() {
    // Kök-Tash's site: a village, so its precision area has a 2 km radius (about 70 pixels
    // at zoom 12). The ring is drawn with --precision-areas, not without.
    let dir = tmp("precision");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let shoot = |name: &str, extra: &[&str]| {
        let out = path(name);
        let mut args = vec!["--out", out.as_str(), "--size", "600x400"];
        args.extend(["--center", "70.5358,39.9497", "--zoom", "12"]);
        args.extend(extra);
        ok(&export(&args));
        load(Path::new(&out))
    };
    let plain = shoot("plain.png", &[]);
    let areas = shoot("areas.png", &["--precision-areas"]);
    // A 2 km ring at 39.95° N, zoom 12: 2000 m / (156543 m × cos(lat) / 2^12) px.
    let px_per_m = 4096.0 / (156_543.034 * 39.9497f64.to_radians().cos());
    let r = (2000.0 * px_per_m).round() as u32;
    let ring_changed = (0..360).step_by(10).any(|deg| {
        let a = (deg as f64).to_radians();
        let (x, y) = (300.0 + r as f64 * a.cos(), 200.0 + r as f64 * a.sin());
        let (x, y) = (x.round() as u32, y.round() as u32);
        (x.saturating_sub(1)..=x + 1).any(|x| plain.get_pixel(x, y) != areas.get_pixel(x, y))
    });
    assert!(ring_changed, "a ring of radius {r} px around the site");
}

/// Pixels close to an RGB colour.
fn count_near(img: &RgbaImage, rgb: [u8; 3], tol: i32) -> usize {
    img.pixels()
        .filter(|p| (0..3).all(|i| (i32::from(p[i]) - i32::from(rgb[i])).abs() <= tol))
        .count()
}

#[test]
fn the_claims_chart_exports_each_sides_series_and_follows_the_filter() {
    let dir = tmp("chart");
    std::fs::create_dir_all(&dir).unwrap();
    let path = |n: &str| dir.join(n).to_str().unwrap().to_string();
    let kyrgyz = [0xd0, 0x21, 0x2a];
    let tajik = [0x1f, 0x6f, 0x3c];
    let shoot = |name: &str, extra: &[&str]| {
        let out = path(name);
        let mut args = vec![
            "--out",
            out.as_str(),
            "--size",
            "1200x900",
            "--at",
            "2022-09-20",
        ];
        args.extend(extra);
        ok(&export(&args));
        load(Path::new(&out))
    };
    let all = shoot("claims.png", &["--chart", "claims"]);
    assert_eq!(all.dimensions(), (1200, 900));
    // Both sides' markers (and their legend swatches) are drawn in their colours.
    let (kg, tj) = (count_near(&all, kyrgyz, 12), count_near(&all, tajik, 12));
    assert!(kg > 200 && tj > 200, "Kyrgyz {kg} px, Tajik {tj} px");
    // The time cursor is an orange line across the plots.
    assert!(count_near(&all, [0xe0, 0x40, 0x10], 10) > 300);
    // side=TJ keeps only the Tajik side's claims: no Kyrgyz red is left.
    let tj_only = shoot("tajik.png", &["--chart", "claims", "--filter", "side=TJ"]);
    assert!(count_near(&tj_only, kyrgyz, 12) < 5, "Kyrgyz markers left");
    assert!(count_near(&tj_only, tajik, 12) > 100);
    // One figure only: one plot (the legend swatch and markers of the dead only).
    let killed = shoot("killed.png", &["--chart", "claims:killed"]);
    assert!(count_near(&killed, kyrgyz, 12) > 100);
    let o = export(&["--out", &path("bad.png"), "--chart", "pie"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad --chart 'pie'"));
    let o = export(&["--out", &path("bad.png"), "--chart", "prop:fatalities"]);
    assert_eq!(o.status.code(), Some(2), "no layer has the property");
}

#[test]
fn the_world_is_drawn_around_the_valley_and_the_region_looks_as_before() {
    let dir = tmp("world");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("zoom3.png");
    ok(&export(&[
        "--out",
        out.to_str().unwrap(),
        "--size",
        "800x500",
        "--zoom",
        "3",
        "--center",
        "60,40",
    ]));
    let img = load(&out);
    // No pixel has the "no data" colour: land is a country, the rest is sea.
    let no_data = count_near(&img, [226, 231, 236], 0);
    assert_eq!(no_data, 0, "{no_data} pixels of no data");
    // Arabia, Siberia, China and India are land (a country's fill), the Indian Ocean water.
    for (lon, lat) in [(45.0, 24.0), (90.0, 60.0), (105.0, 35.0), (78.0, 22.0)] {
        let (x, y) = pixel_of(lon, lat, (60.0, 40.0), 3.0, (800, 500));
        assert_eq!(
            img.get_pixel(x, y).0,
            [235, 232, 225, 255],
            "land at {lon},{lat}"
        );
    }
    let (x, y) = pixel_of(65.0, 15.0, (60.0, 40.0), 3.0, (800, 500));
    assert_eq!(img.get_pixel(x, y).0, [173, 204, 226, 255], "sea");
    // The conflict area is drawn by the regional data alone, exactly as before the world.
    let here = dir.join("conflict-area.png");
    ok(&export(&[
        "--out",
        here.to_str().unwrap(),
        "--size",
        "800x500",
        "--at",
        "2022-09-20",
    ]));
    let before = load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/conflict-area-regional-only.png"
    )));
    assert_eq!(differing(&load(&here), &before, 2, &[]), 0.0);
}

#[test]
fn a_video_is_h264_in_mp4_with_the_frames_asked_and_its_pixels_are_the_map() {
    let dir = tmp("video");
    let path = dir.join("sept.mp4");
    let out = export(&[
        "--video",
        path.to_str().unwrap(),
        "--from",
        "2022-09-14",
        "--to",
        "2022-09-18",
        "--duration",
        "1",
        "--fps",
        "10",
        "--size",
        "320x240",
    ]);
    ok(&out);
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("10 frames"), "{said}");
    let file = std::fs::File::open(&path).expect("written");
    let mut mp4 = mp4::read_mp4(file).expect("an MP4");
    let (sps, pps, count) = {
        let track = mp4.tracks().get(&1).expect("a video track");
        assert_eq!(track.media_type().ok(), Some(mp4::MediaType::H264));
        assert_eq!((track.width(), track.height()), (320, 240));
        (
            track.sequence_parameter_set().expect("sps").to_vec(),
            track.picture_parameter_set().expect("pps").to_vec(),
            track.sample_count(),
        )
    };
    assert_eq!(count, 10);
    assert_eq!(mp4.duration().as_millis(), 1000);
    // Decode the first frame (Annex B: start codes before the parameter sets and each NAL).
    let sample = mp4.read_sample(1, 1).expect("read").expect("a sample");
    let mut annex_b = Vec::new();
    for nal in [&sps[..], &pps[..]] {
        annex_b.extend_from_slice(&[0, 0, 0, 1]);
        annex_b.extend_from_slice(nal);
    }
    let mut rest = &sample.bytes[..];
    while rest.len() > 4 {
        let n = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        annex_b.extend_from_slice(&[0, 0, 0, 1]);
        annex_b.extend_from_slice(&rest[4..4 + n]);
        rest = &rest[4 + n..];
    }
    let mut decoder = openh264::decoder::Decoder::new().expect("decoder");
    let yuv = decoder
        .decode(&annex_b)
        .expect("decodes")
        .expect("a picture");
    let mut rgb = vec![0u8; 320 * 240 * 3];
    yuv.write_rgb8(&mut rgb);
    // The frame is the map of the conflict area: Kyrgyz sand and Tajik green both there
    // (H.264 shifts colours a little).
    let near = |c: [u8; 3]| {
        rgb.chunks_exact(3)
            .filter(|p| (0..3).all(|i| (i32::from(p[i]) - i32::from(c[i])).abs() <= 10))
            .count()
    };
    let (sand, green) = (near([243, 227, 194]), near([211, 232, 200]));
    assert!(sand > 2000 && green > 300, "sand {sand}, green {green}");
    // A bad frame rate is exit 2.
    let o = export(&[
        "--video",
        path.to_str().unwrap(),
        "--from",
        "2022-09-14",
        "--to",
        "2022-09-18",
        "--fps",
        "500",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// The export's renderer, for a kittest harness: the same frame drawn on the CPU.
struct Cpu {
    offscreen: bordermap::export::render::Offscreen,
    size_px: [u32; 2],
}

impl egui_kittest::TestRenderer for Cpu {
    fn handle_delta(&mut self, delta: &mut egui::TexturesDelta) {
        self.offscreen.textures(delta);
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<RgbaImage, String> {
        self.offscreen
            .render(ctx, output, self.size_px)
            .map_err(|e| e.to_string())
    }
}

#[test]
fn the_export_renderer_draws_what_egui_wgpu_draws() {
    // Text at three sizes, a filled and outlined circle, thin and thick lines at odd angles,
    // a translucent polygon and an image scaled up (mixed) and shown nearest, at 1.25 pixels
    // a point: drawn by egui_wgpu (the window's renderer) and by the export's.
    let image = egui::ColorImage::new(
        [16, 8],
        (0..128)
            .map(|i| egui::Color32::from_rgb((i * 16 % 256) as u8, (i * 2) as u8, 90))
            .collect(),
    );
    type Textures = Option<[egui::TextureHandle; 2]>;
    let ui = move |ui: &mut egui::Ui, textures: &mut Textures| {
        let [linear, nearest] = textures.get_or_insert_with(|| {
            let ctx = ui.ctx();
            [
                ctx.load_texture("mixed", image.clone(), egui::TextureOptions::LINEAR),
                ctx.load_texture("nearest", image.clone(), egui::TextureOptions::NEAREST),
            ]
        });
        ui.painter().rect_filled(
            egui::Rect::from_min_max(egui::pos2(-10.0, -10.0), egui::pos2(1000.0, 1000.0)),
            0.0,
            egui::Color32::WHITE,
        );
        ui.heading("Ворух / Vorukh");
        ui.label("Clash reported 2022-09-14, 05:00 UTC (KG and TJ claims differ)");
        ui.small("small text");
        let p = ui.painter();
        p.circle(
            egui::pos2(80.0, 130.0),
            30.0,
            egui::Color32::from_rgba_unmultiplied(200, 40, 40, 180),
            egui::Stroke::new(2.5, egui::Color32::BLACK),
        );
        for i in 0..12 {
            let t = i as f32 * 0.53;
            let from = egui::pos2(200.0, 130.0);
            let to = from + 60.0 * egui::vec2(t.cos(), t.sin());
            p.line_segment(
                [from, to],
                egui::Stroke::new(0.4 + i as f32 * 0.4, egui::Color32::DARK_BLUE),
            );
        }
        p.add(egui::Shape::convex_polygon(
            vec![
                egui::pos2(20.0, 200.0),
                egui::pos2(150.0, 190.0),
                egui::pos2(170.0, 260.0),
                egui::pos2(40.0, 280.0),
            ],
            egui::Color32::from_rgba_unmultiplied(60, 160, 60, 120),
            egui::Stroke::new(1.0, egui::Color32::DARK_GREEN),
        ));
        let uv = egui::Rect::from_min_max(egui::Pos2::ZERO, egui::pos2(1.0, 1.0));
        p.image(
            linear.id(),
            egui::Rect::from_min_size(egui::pos2(280.0, 100.0), egui::vec2(53.0, 27.0)),
            uv,
            egui::Color32::WHITE,
        );
        p.image(
            nearest.id(),
            egui::Rect::from_min_size(egui::pos2(280.0, 160.0), egui::vec2(53.0, 27.0)),
            uv,
            egui::Color32::WHITE,
        );
    };
    let (size, ppp) = (egui::vec2(400.0, 300.0), 1.25);
    let mut gpu = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(ppp)
        .with_theme(egui::Theme::Light)
        .wgpu()
        .build_ui_state(ui.clone(), None);
    let mut cpu = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(ppp)
        .with_theme(egui::Theme::Light)
        .renderer(Cpu {
            offscreen: Default::default(),
            size_px: [500, 375],
        })
        .build_ui_state(ui, None);
    gpu.run_steps(2);
    cpu.run_steps(2);
    let a = gpu.render().expect("egui_wgpu");
    let b = cpu.render().expect("the export's renderer");
    assert_eq!(a.dimensions(), (500, 375));
    let dir = tmp("renderers");
    std::fs::create_dir_all(&dir).unwrap();
    a.save(dir.join("egui_wgpu.png")).unwrap();
    b.save(dir.join("export.png")).unwrap();
    // The same picture: no pixel off by more than a few levels, hardly any off at all.
    let rgb = |img: &RgbaImage| {
        let mut img = img.clone();
        img.pixels_mut().for_each(|p| p.0[3] = 255);
        img
    };
    let (a, b) = (rgb(&a), rgb(&b));
    assert_eq!(differing(&a, &b, 4, &[]), 0.0, "pixels off by more than 4");
    let off = differing(&a, &b, 1, &[]);
    assert!(off < 0.002, "{:.3}% of pixels off by 2 or 3", off * 100.0);
    // And there was something to draw: text, shapes and both images.
    let drawn = b.pixels().filter(|p| p.0 != [255, 255, 255, 255]).count();
    assert!(drawn > 20_000, "{drawn} pixels drawn");
}
