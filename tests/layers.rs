//! Custom layers in the real app, driven through egui_kittest: a dropped KML and an ACLED CSV
//! are drawn and their dated features join the event list; a broken file lands in the
//! problems window while the app keeps working; the session (layers and their settings)
//! round-trips.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bordermap::app::{App, Persisted};
use bordermap::dataset::LayerRole;
use bordermap::time::TimeCommand;
use bordermap::ui::{Command, ViewPreset};
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), app)
}

/// Steps until no load is under way (bounded).
fn wait_loads(h: &mut Harness<'static, App>) {
    for _ in 0..500 {
        h.step();
        if h.state().loader.jobs.is_empty() && h.state().basemap.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(3);
}

fn drop_files(h: &mut Harness<'static, App>, paths: &[PathBuf]) {
    for p in paths {
        h.input_mut()
            .dropped_files
            .push(Arc::new(Dropped(p.clone())));
    }
    h.step();
}

#[test]
fn dropped_kml_and_acled_csv_are_drawn_and_listed() {
    let mut h = harness(App::new(None));
    h.run_steps(2);
    drop_files(&mut h, &[data("sample.kml"), data("acled-sample.csv")]);
    wait_loads(&mut h);
    let customs: Vec<String> = h
        .state()
        .dataset
        .layers
        .iter()
        .filter(|l| l.role == LayerRole::Custom)
        .map(|l| l.layer.name.clone())
        .collect();
    assert_eq!(customs, ["sample.kml", "acled-sample.csv"]);
    // Their dated features join the events, in time order with the bundled ones.
    let acled_layer = h.state().dataset.layers.len() as u32 - 1;
    let acled: Vec<_> = h
        .state()
        .dataset
        .events
        .iter()
        .filter(|e| e.layer == acled_layer)
        .cloned()
        .collect();
    assert!(!acled.is_empty());
    // Show everything and look at the region: the CSV's sites are drawn.
    h.state_mut().push(Command::GoTo(ViewPreset::CentralAsia));
    h.state_mut().push(Command::Time(TimeCommand::End));
    h.state_mut().apply();
    h.run_steps(3);
    let drawn = &h.state().overlay.drawn;
    assert!(
        drawn.iter().any(|r| r.layer == acled_layer),
        "CSV features drawn"
    );
    let kml_layer = acled_layer - 1;
    assert!(
        drawn.iter().any(|r| r.layer == kml_layer),
        "KML features drawn"
    );
    // And the list can find a CSV event by its title.
    let title = acled[0].title.clone();
    let search = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .next()
        .expect("search");
    search.focus();
    search.type_text(&title);
    h.run_steps(3);
    assert!(h.query_all_by_label(&title).count() >= 1, "row for {title}");
    assert!(
        h.query_all_by_label("sample.kml").count() >= 2,
        "the layer panel and the map legend list the layer"
    );
}

#[test]
fn a_broken_file_lands_in_the_problems_window_and_the_app_goes_on() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layers-broken");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.geojson");
    std::fs::write(
        &broken,
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",",
    )
    .unwrap();
    let missing = dir.join("missing.kml");
    let mut h = harness(App::new(None));
    h.run_steps(2);
    drop_files(&mut h, &[broken.clone(), missing.clone()]);
    wait_loads(&mut h);
    let problems: Vec<String> = h
        .state()
        .dataset
        .problems
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("broken.geojson:1:") && p.contains("truncated")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("missing.kml") && p.contains("no such file")),
        "{problems:?}"
    );
    h.get_by_label_contains("Problems (").click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("truncated").is_some(),
        "problems window lists it"
    );
    // The app keeps working: the bundled events are all there and a row still focuses.
    let first = h.state().dataset.events[0].clone();
    h.get_by_label(&first.title).click();
    h.run_steps(3);
    assert_eq!(h.state().time.cursor(), first.span.start);
}

#[test]
fn the_session_round_trips_layers_and_their_settings() {
    let mut h = harness(App::new(None));
    h.run_steps(2);
    drop_files(&mut h, &[data("sample.geojsonl")]);
    wait_loads(&mut h);
    let index = h.state().dataset.layers.len() - 1;
    {
        let app = h.state_mut();
        app.dataset.layers[index].style.color = [1, 2, 3];
        app.dataset.layers[index].style.opacity = 0.5;
    }
    let saved: Persisted = h.state().persisted();
    let text = serde_json::to_string(&saved).unwrap();
    let restored: Persisted = serde_json::from_str(&text).unwrap();
    assert_eq!(restored.layers.len(), 1);
    let mut h2 = harness(App::new(Some(restored)));
    wait_loads(&mut h2);
    let layer = h2
        .state()
        .dataset
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Custom)
        .expect("layer restored");
    assert_eq!(layer.layer.name, "sample.geojsonl");
    assert_eq!(layer.style.color, [1, 2, 3]);
    assert_eq!(layer.style.opacity, 0.5);

    // A file gone missing is a problem, not a failure of the others.
    let mut gone = saved.clone();
    gone.layers.push(bordermap::app::SavedLayer {
        path: data("no-longer-here.geojson"),
        visible: true,
        ..Default::default()
    });
    let mut h3 = harness(App::new(Some(gone)));
    wait_loads(&mut h3);
    assert!(
        h3.state()
            .dataset
            .layers
            .iter()
            .any(|l| l.layer.name == "sample.geojsonl")
    );
    assert!(
        h3.state()
            .dataset
            .problems
            .iter()
            .any(|p| p.to_string().contains("no-longer-here.geojson"))
    );
}

#[test]
fn a_corrupt_saved_state_is_not_read_as_layers() {
    // What eframe hands the app for garbage: nothing. The app starts on defaults.
    let parsed: Result<Persisted, _> = serde_json::from_str("{not json");
    assert!(parsed.is_err());
    let app = App::new(None);
    assert!(
        app.dataset
            .layers
            .iter()
            .all(|l| l.role != LayerRole::Custom)
    );
}

/// A user layer big enough to be cached (no dates, 6,000 polygons).
fn big_layer(dir: &Path) -> PathBuf {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    for i in 0..6000 {
        if i > 0 {
            s.push(',');
        }
        let (lon, lat) = (69.5 + (i % 80) as f64 * 0.03, 39.6 + (i / 80) as f64 * 0.02);
        s.push_str(&format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{lat}]]]}}}}",
            lon + 0.02,
            lon + 0.02,
            lat + 0.012
        ));
    }
    s.push_str("]}");
    let path = dir.join("big.geojson");
    std::fs::write(&path, s).unwrap();
    path
}

#[test]
fn a_cached_big_layer_draws_what_a_fresh_view_draws_after_panning() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layers-cache");
    std::fs::create_dir_all(&dir).unwrap();
    let path = big_layer(&dir);
    let view = |h: &mut Harness<'static, App>, lon: f64| {
        h.state_mut()
            .map_memory
            .center_at(walkers::lon_lat(lon, 40.2));
        let _ = h.state_mut().map_memory.set_zoom(10.0);
        h.run_steps(3);
    };
    // Panned: the cache is built at 70.5 and reused (moved) at 70.56.
    let mut panned = harness(App::new(None));
    drop_files(&mut panned, std::slice::from_ref(&path));
    wait_loads(&mut panned);
    view(&mut panned, 70.5);
    view(&mut panned, 70.5);
    view(&mut panned, 70.56);
    let a = panned.render().expect("render");
    // Fresh: straight to 70.56.
    let mut fresh = harness(App::new(None));
    drop_files(&mut fresh, std::slice::from_ref(&path));
    wait_loads(&mut fresh);
    view(&mut fresh, 70.56);
    let b = fresh.render().expect("render");
    let (x0, y0, x1, y1) = (420u32, 120u32, 1350u32, 650u32);
    let mut differ = 0u32;
    let mut total = 0u32;
    for y in (y0..y1).step_by(3) {
        for x in (x0..x1).step_by(3) {
            total += 1;
            let (p, q) = (a.get_pixel(x, y).0, b.get_pixel(x, y).0);
            if p.iter().zip(q.iter()).any(|(u, v)| u.abs_diff(*v) > 40) {
                differ += 1;
            }
        }
    }
    assert!(
        (differ as f32) / (total as f32) < 0.01,
        "{differ} of {total} pixels differ"
    );
}
