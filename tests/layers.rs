//! Custom layers in the real app, driven through egui_kittest: a dropped KML and an ACLED CSV
//! are drawn and their dated features join the event list; a broken file lands in the
//! problems window while the app keeps working; the session (layers and their settings)
//! reaches disk within a second and comes back through the same restore path the viewer
//! uses; a big layer drawn from the panned cache looks as when drawn directly.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bordermap::app::App;
use bordermap::command::{Command, LayerAction, ViewPreset};
use bordermap::model::dataset::LayerRole;
use bordermap::session::{SavedLayer, Session, SessionStore};
use bordermap::time::TimeCommand;
use egui::vec2;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

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
        if h.state().loading() == 0 && h.state().tiles_pending() == 0 {
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
        .dataset()
        .layers
        .iter()
        .filter(|l| l.role == LayerRole::Custom)
        .map(|l| l.layer.name.clone())
        .collect();
    assert_eq!(customs, ["sample.kml", "acled-sample.csv"]);
    // Their dated features join the events, in time order with the bundled ones.
    let acled_layer = h.state().dataset().layers.len() as u32 - 1;
    let acled: Vec<_> = h
        .state()
        .dataset()
        .events
        .iter()
        .filter(|e| e.layer == acled_layer)
        .collect();
    assert!(!acled.is_empty());
    // Show everything and look at the region: the CSV's sites are drawn.
    h.state_mut().push(Command::GoTo(ViewPreset::CentralAsia));
    h.state_mut().push(Command::Time(TimeCommand::End));
    h.state_mut().apply();
    h.run_steps(3);
    let drawn = &h.state().overlay().drawn;
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
    let title = h.state().dataset().record(&acled[0]).expect("record").title;
    // The event list's search box (the filter bar's boxes are labelled).
    let search = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.accesskit_node().label().is_none())
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
    let problems: Vec<String> = h.state().problems().iter().map(|p| p.to_string()).collect();
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
    let first = h.state().dataset().events.get(0).expect("an event");
    let title = h.state().dataset().record(&first).expect("record").title;
    h.get_by_label(&title).click();
    h.run_steps(3);
    assert_eq!(h.state().time().cursor(), first.span.start());
}

fn session_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("session.json")
}

/// Steps the app (as an idle window would not: only as long as frames come) until `done`.
fn step_until(h: &mut Harness<'static, App>, done: impl Fn() -> bool) -> bool {
    for _ in 0..300 {
        h.step();
        if done() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

#[test]
fn the_session_reaches_disk_within_a_second_and_comes_back_through_the_restore_path() {
    let path = session_path("session-roundtrip");
    let mut h = harness(App::new(Some(SessionStore::at(&path))));
    h.run_steps(2);
    drop_files(&mut h, &[data("sample.geojsonl")]);
    wait_loads(&mut h);
    let layer = h.state().dataset().layers.last().expect("layer").clone();
    let mut style = layer.style.clone();
    style.color = [1, 2, 3];
    style.opacity = 0.5;
    let picked: jiff::Timestamp = "2022-09-15T06:00:00Z".parse().unwrap();
    h.state_mut()
        .push(Command::Layer(layer.id, LayerAction::SetStyle(style)));
    h.state_mut()
        .push(Command::Time(TimeCommand::SetTime(picked)));
    h.state_mut().apply();
    let changed = std::time::Instant::now();
    // Nothing but frames: no exit, no eframe save. The process could be killed now.
    let on_disk = |p: &Path| -> Option<Session> {
        serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
    };
    let written = step_until(&mut h, || {
        on_disk(&path).is_some_and(|s| {
            s.time.cursor() == picked
                && s.layers.first().is_some_and(|l| l.style.color == [1, 2, 3])
        })
    });
    assert!(written, "the change reached {}", path.display());
    assert!(
        changed.elapsed() < std::time::Duration::from_secs(1),
        "within a second: {:?}",
        changed.elapsed()
    );
    drop(h);

    // A new viewer on the same file, as `bordermap` starts: the layer and its settings
    // come back, and so does the time.
    let mut h2 = harness(App::new(Some(SessionStore::at(&path))));
    wait_loads(&mut h2);
    let layer = h2
        .state()
        .dataset()
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Custom)
        .expect("layer restored")
        .clone();
    assert_eq!(layer.layer.name, "sample.geojsonl");
    assert_eq!(layer.style.color, [1, 2, 3]);
    assert_eq!(layer.style.opacity, 0.5);
    assert_eq!(h2.state().time().cursor(), picked);
    assert!(
        h2.state().problems().is_empty(),
        "{:?}",
        h2.state().problems()
    );
}

#[test]
fn a_saved_layer_gone_missing_is_a_problem_not_a_failure_of_the_others() {
    let path = session_path("session-missing");
    let mut session = Session::default();
    session
        .layers
        .push(SavedLayer::open(data("sample.geojsonl")));
    session
        .layers
        .push(SavedLayer::open(data("no-longer-here.geojson")));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_string(&session).unwrap()).unwrap();
    let mut h = harness(App::new(Some(SessionStore::at(&path))));
    wait_loads(&mut h);
    assert!(
        h.state()
            .dataset()
            .layers
            .iter()
            .any(|l| l.layer.name == "sample.geojsonl")
    );
    assert!(
        h.state()
            .problems()
            .iter()
            .any(|p| p.to_string().contains("no-longer-here.geojson")),
        "{:?}",
        h.state().problems()
    );
}

#[test]
fn a_corrupt_saved_session_is_kept_aside_and_the_app_starts_on_defaults() {
    let path = session_path("session-corrupt");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "{\"layers\": [ not json").unwrap();
    let mut h = harness(App::new(Some(SessionStore::at(&path))));
    wait_loads(&mut h);
    assert!(
        h.state()
            .dataset()
            .layers
            .iter()
            .all(|l| l.role != LayerRole::Custom)
    );
    let problem = h
        .state()
        .problems()
        .iter()
        .map(|p| p.to_string())
        .find(|p| p.contains("could not be read"))
        .expect("a problem names the unreadable session");
    assert!(problem.contains("kept it as"), "{problem}");
    // The old text survives under its new name, and the fresh session is written beside it.
    let kept: Vec<PathBuf> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("unreadable"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        "{\"layers\": [ not json"
    );
    assert!(
        step_until(&mut h, || path.exists()),
        "a fresh session is saved"
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

/// The map scene alone, with its own drawing caches.
struct SceneView {
    dataset: bordermap::model::dataset::Dataset,
    time: bordermap::time::TimeControl,
    basemap: Option<bordermap::map::scene::Basemap>,
    memory: walkers::MapMemory,
    caches: bordermap::map::overlay::DrawCaches,
}

fn scene_harness(
    path: &Path,
    caches: bordermap::map::overlay::DrawCaches,
) -> Harness<'static, SceneView> {
    let mut dataset = bordermap::io::bundled::dataset();
    let layer = bordermap::io::read_path(path, &Default::default()).expect("big layer");
    dataset.push(layer, LayerRole::Custom);
    let view = SceneView {
        dataset,
        time: Default::default(),
        basemap: None,
        memory: bordermap::map::view::memory_at(70.5, 40.2, 10.0),
        caches,
    };
    Harness::builder()
        .with_size(vec2(1000.0, 700.0))
        .with_theme(egui::Theme::Light)
        .build_ui_state(
            |ui, v: &mut SceneView| {
                let basemap = v
                    .basemap
                    .get_or_insert_with(|| bordermap::map::scene::Basemap::bundled(ui.ctx()));
                let visible = v.dataset.index.visible(&v.time);
                let scene = bordermap::map::scene::MapScene {
                    dataset: &v.dataset,
                    visible: &visible,
                    time: &v.time,
                    selection: None,
                    basemap,
                    memory: &mut v.memory,
                    caches: &mut v.caches,
                    title: None,
                    online: None,
                    interactive: false,
                    marks: Default::default(),
                    precision_areas: false,
                };
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    bordermap::map::scene::map_scene_ui(ui, scene);
                });
            },
            view,
        )
}

fn go(h: &mut Harness<'static, SceneView>, lon: f64) {
    h.state_mut().memory = bordermap::map::view::memory_at(lon, 40.2, 10.0);
    for _ in 0..400 {
        h.step();
        if h.state()
            .basemap
            .as_ref()
            .is_some_and(|b| b.tiles.in_progress() == 0)
            && h.state().caches.tiles_in_progress() == 0
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    h.run_steps(2);
}

#[test]
fn a_big_layer_drawn_from_its_tiles_looks_as_drawn_directly() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layers-cache");
    std::fs::create_dir_all(&dir).unwrap();
    let path = big_layer(&dir);
    // Tiled: painted at 70.5, then panned to 70.9 and 71.1 (new tiles beside the first).
    let mut cached = scene_harness(&path, Default::default());
    go(&mut cached, 70.5);
    go(&mut cached, 70.9);
    go(&mut cached, 71.1);
    assert_eq!(
        cached.state().caches.len(),
        1,
        "the layer was drawn from tiles"
    );
    let a = cached.render().expect("render");
    // Direct: no cache at all, straight to 71.1.
    let mut direct = scene_harness(&path, bordermap::map::overlay::DrawCaches::disabled());
    go(&mut direct, 71.1);
    assert!(direct.state().caches.is_empty());
    let b = direct.render().expect("render");
    assert_eq!(a.dimensions(), b.dimensions());
    // Colours must not differ: the purple tint of the layer over the whole picture is the same.
    let tint = |img: &image::RgbaImage| -> f64 {
        img.pixels()
            .map(|p| (p.0[0] as f64 + p.0[2] as f64) / 2.0 - p.0[1] as f64)
            .sum::<f64>()
            / (img.width() * img.height()) as f64
    };
    // Kept for a look when this fails.
    let _ = a.save(dir.join("tiled.png"));
    let _ = b.save(dir.join("direct.png"));
    let (ta, tb) = (tint(&a), tint(&b));
    assert!(tb > 3.0, "the layer tints the picture: {tb}");
    // The tiles are painted by tiny-skia, anti-aliased, the direct path by the GPU without:
    // edges differ a little.
    assert!(
        (ta - tb).abs() / tb < 0.08,
        "cached tint {ta:.2}, direct tint {tb:.2}"
    );
    let mut differ = 0u32;
    let mut total = 0u32;
    for y in (0..a.height()).step_by(2) {
        for x in (0..a.width()).step_by(2) {
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

/// A CSV of `n` dated points in a block of Central Asia, one day apart in September 2022.
fn dense_csv(dir: &Path, n: u32) -> PathBuf {
    let mut text = String::from("event_date,event_type,latitude,longitude\n");
    for i in 0..n {
        let (lat, lon) = (
            38.0 + (i % 200) as f64 * 0.02,
            66.0 + (i / 200) as f64 * 0.05,
        );
        text.push_str(&format!(
            "2022-09-{:02},Protests,{lat:.3},{lon:.3}\n",
            1 + i % 28
        ));
    }
    let path = dir.join("dense.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_dense_layer_draws_clusters_whose_counts_add_up_to_the_points_shown() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layers-dense");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dense_csv(&dir, 30_000);
    let mut h = harness(App::new(None));
    h.run_steps(2);
    drop_files(&mut h, std::slice::from_ref(&path));
    wait_loads(&mut h);
    let layer = h.state().dataset().layers.len() as u32 - 1;
    let (lon, lat, zoom) = (69.0, 40.0, 6.0);
    h.state_mut().push(Command::SetView { lon, lat, zoom });
    h.state_mut().apply();

    // The points of the layer begun by the cursor (cumulative mode) within `margin` points
    // of the map, worked out from the file's own coordinates and dates.
    let expected_within = |h: &Harness<'static, App>, margin: f32| -> usize {
        let app = h.state();
        let rect = app.overlay().map_rect.expect("map drawn").expand(margin);
        let cursor = app.time().cursor();
        let c = bordermap::model::geom::mercator(lon, lat);
        let scale = 256.0 * 2f64.powf(zoom);
        app.dataset().layers[layer as usize]
            .layer
            .features
            .iter()
            .filter(|f| f.span.is_some_and(|s| s.start() <= cursor))
            .filter_map(|f| match f.geometry().as_deref() {
                Some(geo::Geometry::Point(p)) => {
                    Some(bordermap::model::geom::mercator(p.x(), p.y()))
                }
                _ => None,
            })
            .filter(|m| {
                let x = rect.center().x as f64 + (m[0] - c[0]) * scale;
                let y = rect.center().y as f64 + (m[1] - c[1]) * scale;
                rect.contains(egui::pos2(x as f32, y as f32))
            })
            .count()
    };
    // Clustered points plus points drawn one by one.
    let counted = |h: &Harness<'static, App>| -> (usize, usize) {
        let out = h.state().overlay();
        let clustered = out
            .clusters
            .iter()
            .filter(|c| c.layer == layer)
            .map(|c| c.count)
            .sum();
        let single = out
            .drawn_sites
            .iter()
            .filter(|(r, _)| r.layer == layer)
            .count();
        (clustered, single)
    };
    // Late in the month many points are shown, early few; either way the layer (more than
    // DENSE_POINTS points around the view) is drawn as clusters, whose counts add up.
    for (day, many) in [
        ("2022-09-28T12:00:00Z", true),
        ("2022-09-10T12:00:00Z", false),
    ] {
        let t: jiff::Timestamp = day.parse().unwrap();
        h.state_mut().push(Command::Time(TimeCommand::SetTime(t)));
        h.state_mut().apply();
        h.run_steps(3);
        let want = expected_within(&h, 0.0);
        let (in_clusters, single) = counted(&h);
        // Clusters are cells of a grid fixed to the world (56 points wide at zoom 6), drawn
        // where the mean of their points is: every point on the map is in one, and none is
        // further than two cells from it (the margin of the map is 40 points).
        let cell = bordermap::map::overlay::CLUSTER_CELL;
        let around = expected_within(&h, 2.0 * cell + 40.0);
        assert!(
            (want..=around).contains(&in_clusters),
            "at {day}: {in_clusters} clustered, {want} on the map, {around} around it"
        );
        assert_eq!(single, 0, "no point drawn one by one");
        assert_eq!(want > bordermap::map::overlay::DENSE_POINTS, many, "{want}");
        assert!(h.state().overlay().clusters.len() > 10);
    }
    let t: jiff::Timestamp = "2022-09-28T12:00:00Z".parse().unwrap();
    h.state_mut().push(Command::Time(TimeCommand::SetTime(t)));
    h.state_mut().apply();
    h.run_steps(3);

    // A click on a cluster zooms into it.
    let biggest = h
        .state()
        .overlay()
        .clusters
        .iter()
        .max_by_key(|c| c.count)
        .expect("a cluster")
        .center();
    h.hover_at(biggest);
    h.step();
    h.drag_at(biggest);
    h.step();
    h.drop_at(biggest);
    h.run_steps(3);
    let (_, _, after) = h.state().view();
    assert!(after > zoom + 1.0, "zoomed in: {after}");
}

#[test]
fn a_hidden_big_layer_lets_go_of_its_tiles() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layers-hidden");
    std::fs::create_dir_all(&dir).unwrap();
    let path = big_layer(&dir);
    let mut h = scene_harness(&path, Default::default());
    go(&mut h, 70.5);
    assert_eq!(h.state().caches.len(), 1, "drawn from tiles");
    if let Some(layer) = h.state_mut().dataset.layers.last_mut() {
        layer.visible = false;
    }
    h.run_steps(2);
    assert_eq!(
        h.state().caches.len(),
        0,
        "the hidden layer's tiles are dropped"
    );
}

#[test]
fn a_layer_is_filtered_by_picking_a_propertys_values_and_the_chart_sums_another() {
    let mut h = harness(App::new(None));
    h.run_steps(2);
    drop_files(&mut h, &[data("acled-sample.csv")]);
    wait_loads(&mut h);
    let acled = h
        .state()
        .dataset()
        .layers
        .iter()
        .position(|l| l.role == LayerRole::Custom)
        .expect("the CSV layer");
    let count = |h: &Harness<'static, App>| {
        h.state()
            .dataset()
            .events
            .iter()
            .filter(|e| e.layer as usize == acled)
            .count()
    };
    let before = count(&h);
    assert_eq!(before, 3, "the sample's dated rows");
    h.get_by_label("Filter a layer by a property").click();
    h.run_steps(3);
    h.get_by_label("Property").click();
    h.run_steps(3);
    h.get_by_label("event_type").click_accesskit();
    h.run_steps(3);
    // The few values of event_type, each with its count, to pick from.
    h.get_by_label_contains("Battles (").click();
    h.run_steps(2);
    h.get_by_label("Keep these values").click();
    h.run_steps(3);
    assert_eq!(
        h.state().dataset().filter.exprs(),
        vec!["prop:event_type=Battles".to_string()]
    );
    let battles = count(&h);
    assert!(battles >= 1 && battles < before, "{battles} of {before}");
    assert!(
        h.query_by_label("prop:event_type=Battles ×").is_some(),
        "the chip"
    );
    // The claims chart offers the layer's numbers summed by day.
    h.get_by_label("Claims chart").click();
    h.run_steps(4);
    h.get_by_label("Chart of").click();
    h.run_steps(3);
    h.get_by_label_contains(": fatalities").click_accesskit();
    h.run_steps(4);
    assert!(
        h.query_by_label_contains(&format!("{battles} features summed into"))
            .is_some(),
        "the sums count what the filter keeps"
    );
}
