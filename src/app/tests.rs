//! Command application, without a window: each command changes what it says and nothing
//! else.

use super::*;
use crate::command::{ViewPreset, Window};
use crate::model::dataset::LayerRole;

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn run(app: &mut App, commands: impl IntoIterator<Item = Command>) {
    for c in commands {
        app.push(c);
    }
    app.apply();
}

/// Takes in the loads once they end, as the frame does.
fn finish_loads(app: &mut App) {
    let ctx = egui::Context::default();
    for _ in 0..2000 {
        app.background_work(&ctx, 0.0);
        if app.loading() == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Opens `name` and takes it in once loaded.
fn open(app: &mut App, name: &str) -> crate::model::dataset::LayerId {
    run(app, [Command::Open(vec![data(name)])]);
    finish_loads(app);
    let layer = app.dataset().layers.last().expect("a layer");
    assert_eq!(layer.role, LayerRole::Custom);
    layer.id
}

fn event(app: &App, id: &str) -> FeatureRef {
    let ds = app.dataset();
    let e = ds
        .events
        .iter()
        .find(|e| ds.record(e).unwrap().id == id)
        .unwrap();
    FeatureRef {
        layer: e.layer,
        feature: e.feature,
    }
}

#[test]
fn focus_moves_the_cursor_centres_the_map_and_selects() {
    let mut app = App::new(None);
    let r = event(&app, "e2022-09-17-osh-lakhsh");
    run(&mut app, [Command::Focus(r)]);
    let e = app.dataset().event_of(r).unwrap();
    assert_eq!(app.time().cursor(), e.span.start());
    assert_eq!(app.selection(), Some(r));
    let (lon, lat) = crate::model::geom::unmercator(app.dataset().center_of(r).unwrap());
    let (vlon, vlat, _) = app.view();
    assert!((vlon - lon).abs() < 1e-9 && (vlat - lat).abs() < 1e-9);
    run(&mut app, [Command::Select(None)]);
    assert_eq!(app.selection(), None);
    assert_eq!(app.time().cursor(), e.span.start(), "selection only");
}

#[test]
fn a_pick_on_the_map_selects_and_scrolls_the_list() {
    let mut app = App::new(None);
    let r = event(&app, "e2022-09-14-first");
    run(&mut app, [Command::Select(Some(r))]);
    assert!(
        !app.panels.scroll_to_selection,
        "a plain selection does not scroll"
    );
    run(&mut app, [Command::Pick(Some(r))]);
    assert_eq!(app.selection(), Some(r));
    assert!(app.panels.scroll_to_selection);
}

#[test]
fn views_are_set_and_kept_in_the_zoom_range() {
    let mut app = App::new(None);
    run(&mut app, [Command::GoTo(ViewPreset::CentralAsia)]);
    assert_eq!(app.view(), ViewPreset::CentralAsia.view());
    run(
        &mut app,
        [Command::SetView {
            lon: 70.6,
            lat: 39.9,
            zoom: 30.0,
        }],
    );
    assert_eq!(app.view(), (70.6, 39.9, crate::map::view::MAX_ZOOM));
}

#[test]
fn windows_problems_and_notices() {
    let mut app = App::new(None);
    run(&mut app, [Command::Toggle(Window::Problems)]);
    assert!(app.panels.show_problems);
    run(&mut app, [Command::Toggle(Window::Problems)]);
    assert!(!app.panels.show_problems);
    run(&mut app, [Command::Toggle(Window::Export)]);
    assert!(app.panels.export.open);
    run(&mut app, [Command::Toggle(Window::Open)]);
    assert_eq!(app.panels.open_path.as_deref(), Some(""));
    run(
        &mut app,
        [Command::Open(vec![data("no-such-file.geojson")])],
    );
    finish_loads(&mut app);
    assert_eq!(app.problems().len(), 1, "a missing file is a problem");
    assert!(app.toasts().iter().any(|t| t.error), "and an error notice");
    run(&mut app, [Command::ClearProblems]);
    assert!(app.problems().is_empty());
    run(
        &mut app,
        [Command::Notify {
            text: "hello".into(),
            error: false,
        }],
    );
    assert!(app.toasts().iter().any(|t| t.text == "hello" && !t.error));
    let out = std::path::PathBuf::from("/tmp/somewhere/map.png");
    run(&mut app, [Command::SetExportPath(out.clone())]);
    assert_eq!(app.panels.export.path, out.display().to_string());
}

#[test]
fn layer_commands_follow_the_layer_by_its_id() {
    let mut app = App::new(None);
    let kml = open(&mut app, "sample.kml");
    let csv = open(&mut app, "acled-sample.csv");
    let position = |app: &App, id| app.dataset().position(id).unwrap();
    assert_eq!((position(&app, kml), position(&app, csv)), (2, 3));
    let events = app.dataset().events.len();
    let csv_events = app.dataset().layers[3].dated.len();
    assert!(csv_events > 0);

    // Moving the CSV down swaps positions; a command naming the KML still finds it.
    run(&mut app, [Command::Layer(csv, LayerAction::MoveDown)]);
    assert_eq!((position(&app, kml), position(&app, csv)), (3, 2));
    run(
        &mut app,
        [Command::Layer(kml, LayerAction::SetVisible(false))],
    );
    assert!(!app.dataset().layers[3].visible);
    assert!(app.dataset().layers[2].visible);

    // Hiding the CSV takes its events out of the list.
    run(
        &mut app,
        [Command::Layer(csv, LayerAction::SetVisible(false))],
    );
    let kml_events = app.dataset().layers[3].dated.len();
    assert_eq!(app.dataset().events.len(), events - csv_events - kml_events);

    // Its style changes only it; zooming to it moves the map; removing it forgets it.
    let mut style = app.dataset().layers[2].style.clone();
    style.color = [9, 8, 7];
    run(
        &mut app,
        [Command::Layer(csv, LayerAction::SetStyle(style))],
    );
    assert_eq!(app.dataset().layers[2].style.color, [9, 8, 7]);
    assert_ne!(app.dataset().layers[3].style.color, [9, 8, 7]);
    let before = app.view();
    run(&mut app, [Command::Layer(csv, LayerAction::ZoomTo)]);
    assert_ne!(app.view(), before);
    run(&mut app, [Command::Layer(csv, LayerAction::Remove)]);
    assert_eq!(app.dataset().position(csv), None);
    assert_eq!(position(&app, kml), 2);
    // A command for a layer that is gone does nothing.
    run(&mut app, [Command::Layer(csv, LayerAction::MoveUp)]);
    assert_eq!(app.dataset().layers.len(), 3);

    // The session keeps the remaining layer with its settings.
    let session = app.session();
    assert_eq!(session.layers.len(), 1);
    assert_eq!(session.layers[0].path, data("sample.kml"));
    assert!(!session.layers[0].visible);
}

#[test]
fn time_commands_change_the_cursor_and_the_visible_set() {
    let mut app = App::new(None);
    run(&mut app, [Command::Time(TimeCommand::Home)]);
    assert!(app.visible().items().is_empty(), "before the first event");
    run(&mut app, [Command::Time(TimeCommand::End)]);
    assert_eq!(app.visible().items().len(), app.dataset().events.len());
}

#[test]
fn a_big_layer_is_filtered_on_a_thread_and_the_last_filter_asked_wins() {
    let dir = std::env::temp_dir().join(format!("bordermap-filter-job-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.csv");
    let mut text = String::from("event_date,event_type,latitude,longitude,fatalities\n");
    for i in 0..crate::app::FILTER_ON_A_THREAD {
        let kind = if i % 4 == 0 { "Battles" } else { "Protests" };
        text.push_str(&format!(
            "2022-09-{:02},{kind},39.9,70.6,{}\n",
            14 + i % 5,
            i % 3
        ));
    }
    std::fs::write(&path, text).unwrap();
    let mut app = App::new(None);
    run(&mut app, [Command::Open(vec![path.clone()])]);
    finish_loads(&mut app);
    let all = app.dataset().events.len();
    assert!(all > crate::app::FILTER_ON_A_THREAD);
    let filter = |e: &str| crate::model::filter::Filter::parse_all(&[e]).unwrap();
    // Two filters asked in a row: the window goes on with the old one meanwhile, the last wins.
    run(&mut app, [Command::SetFilter(filter("prop:fatalities>=1"))]);
    run(&mut app, [Command::SetFilter(filter("kind=clash"))]);
    assert!(app.filtering(), "judged on a thread");
    assert!(app.dataset().filter.is_empty(), "the old filter meanwhile");
    let ctx = egui::Context::default();
    for _ in 0..5000 {
        app.background_work(&ctx, 0.0);
        if !app.filtering() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(!app.filtering());
    assert_eq!(app.dataset().filter.exprs(), vec!["kind=clash".to_string()]);
    let battles = crate::app::FILTER_ON_A_THREAD / 4;
    let clashes = app.dataset().events.len();
    assert!(
        clashes >= battles && clashes < all,
        "{clashes} clashes of {all} (battles {battles})"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn freed_memory_is_given_back_once_a_second_after_the_layers_change() {
    let mut g = GiveBack::default();
    // A layer removed (the generation moves): a frame is asked for a second later, and
    // again by every frame until then.
    assert_eq!(g.follow(1, false, 10.0), GiveBackNow::Later(1.0));
    assert_eq!(g.follow(1, false, 10.5), GiveBackNow::Later(0.5));
    // Another change meanwhile: a second after that one.
    assert_eq!(g.follow(2, false, 10.75), GiveBackNow::Later(1.0));
    assert_eq!(g.follow(2, false, 11.5), GiveBackNow::Later(0.25));
    assert_eq!(g.follow(2, false, 11.75), GiveBackNow::Yes);
    // Once.
    assert_eq!(g.follow(2, false, 13.0), GiveBackNow::No);
    assert_eq!(g.follow(2, false, 20.0), GiveBackNow::No);
}

#[test]
fn freed_memory_is_not_given_back_while_a_load_runs_but_a_second_after_it_ends() {
    let mut g = GiveBack::default();
    assert_eq!(g.follow(0, true, 1.0), GiveBackNow::No);
    // The layer arrives (a new generation) while the next load still runs: not yet, not
    // even when the second has passed.
    assert_eq!(g.follow(1, true, 2.0), GiveBackNow::Later(1.0));
    assert_eq!(g.follow(1, true, 3.5), GiveBackNow::Later(1.0));
    // The last load ends: a second later.
    assert_eq!(g.follow(1, false, 4.0), GiveBackNow::Later(1.0));
    assert_eq!(g.follow(1, false, 4.5), GiveBackNow::Later(0.5));
    assert_eq!(g.follow(1, false, 5.0), GiveBackNow::Yes);
    assert_eq!(g.follow(1, false, 6.0), GiveBackNow::No);
}
