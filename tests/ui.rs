//! The viewer driven headless through egui_kittest: the real `App`, the bundled data, clicks
//! and keys as a user gives them, and snapshot images rendered through Mesa.

use bordermap::app::App;
use bordermap::command::{Command, ViewPreset};
use bordermap::model::event::EventKind;
use bordermap::time::{DisplayZone, FeatureRef, TimeCommand};
use egui::{Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use jiff::Timestamp;

fn ts(s: &str) -> Timestamp {
    s.parse().expect("test timestamp")
}

fn harness() -> Harness<'static, App> {
    Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(None))
}

/// Steps until the basemap has rendered every tile in view.
fn settle(h: &mut Harness<'static, App>) {
    for _ in 0..400 {
        h.step();
        if h.state().tiles_pending() == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(3);
}

fn command(h: &mut Harness<'static, App>, c: Command) {
    h.state_mut().push(c);
    h.state_mut().apply();
    h.run_steps(2);
}

fn event_ref(app: &App, id: &str) -> FeatureRef {
    let ds = app.dataset();
    let e = ds
        .events
        .iter()
        .find(|e| ds.record(e).is_some_and(|r| r.id == id))
        .unwrap_or_else(|| panic!("no event {id}"));
    FeatureRef {
        layer: e.layer,
        feature: e.feature,
    }
}

/// The filter bar's box (`filter`), or the event list's search box (the first without a
/// label).
fn text_input<'a>(h: &'a Harness<'static, App>, filter: bool) -> egui_kittest::Node<'a> {
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| {
            let label = n.accesskit_node().label();
            if filter {
                label.as_deref() == Some("Filter")
            } else {
                label.is_none()
            }
        })
        .expect("the text box")
}

fn click_at(h: &mut Harness<'static, App>, pos: Pos2) {
    h.hover_at(pos);
    h.step();
    h.drag_at(pos);
    h.step();
    h.drop_at(pos);
    h.run_steps(3);
}

/// A drawn violent site with no other site within 30 points, so a click on it is unambiguous.
fn lonely_site(app: &App) -> (FeatureRef, Pos2) {
    let sites = &app.overlay().drawn_sites;
    sites
        .iter()
        .copied()
        .filter(|(r, _)| {
            app.dataset()
                .event_of(*r)
                .is_some_and(|e| e.kind.is_violent())
        })
        .find(|(r, p)| sites.iter().all(|(o, q)| o == r || q.distance(*p) > 30.0))
        .expect("a lone violent site in view")
}

#[test]
fn starts_on_the_bundled_layers_with_sites_drawn() {
    let mut h = harness();
    command(&mut h, Command::Time(TimeCommand::End));
    settle(&mut h);
    let app = h.state();
    assert!(app.dataset().events.len() >= 32);
    assert!(
        app.dataset()
            .layers
            .iter()
            .any(|l| l.layer.name == "border.geojson")
    );
    assert!(
        app.overlay().drawn_sites.len() >= 10,
        "{}",
        app.overlay().drawn_sites.len()
    );
    assert!(h.query_by_label("Conflict area").is_some());
    assert!(h.query_by_label("Kyrgyz–Tajik border").is_some(), "legend");
}

#[test]
fn a_click_on_a_clash_site_selects_it_and_shows_its_claims() {
    let mut h = harness();
    command(&mut h, Command::Time(TimeCommand::End));
    // Karakenja, away from the clustered sites around Vorukh.
    let away = event_ref(h.state(), "e2022-09-17-osh-lakhsh");
    command(&mut h, Command::CenterOn(away));
    settle(&mut h);
    let (r, pos) = lonely_site(h.state());
    click_at(&mut h, pos);
    assert_eq!(h.state().selection(), Some(r));
    let title = h
        .state()
        .dataset()
        .record_of(r)
        .map(|e| e.title)
        .unwrap_or_default();
    assert!(
        h.query_all_by_label(&title).count() >= 1,
        "inspector shows {title}"
    );
    assert!(h.query_by_label("Details").is_some());
    assert!(h.query_by_label_contains("Where:").is_some());
    // And the list scrolled to its row: the row (a selectable label) is there.
    assert!(
        h.query_all_by_label(&title).count() >= 2,
        "row and inspector both show {title}"
    );
}

#[test]
fn hovering_a_site_shows_title_time_and_place() {
    let mut h = harness();
    command(&mut h, Command::Time(TimeCommand::End));
    // Karakenja, away from the clustered sites around Vorukh.
    let away = event_ref(h.state(), "e2022-09-17-osh-lakhsh");
    command(&mut h, Command::CenterOn(away));
    settle(&mut h);
    let (r, pos) = lonely_site(h.state());
    h.hover_at(pos);
    h.run_steps(4);
    let app = h.state();
    assert_eq!(app.overlay().hovered, Some(r));
    let e = app.dataset().event_of(r).expect("event");
    let when = format!(
        "{} · {}",
        e.kind.label(),
        app.time().zone().format(e.span.start())
    );
    assert!(h.query_by_label(&when).is_some(), "tooltip line {when}");
}

#[test]
fn clicking_an_event_row_moves_cursor_selection_and_map() {
    let mut h = harness();
    settle(&mut h);
    let first = h.state().dataset().events.get(0).expect("an event");
    let title = h.state().dataset().record(&first).expect("record").title;
    h.get_by_label(&title).click();
    h.run_steps(3);
    let app = h.state();
    let r = FeatureRef {
        layer: first.layer,
        feature: first.feature,
    };
    assert_eq!(app.selection(), Some(r));
    assert_eq!(app.time().cursor(), first.span.start());
    let (lon, lat, _) = app.view();
    let c = app
        .dataset()
        .center_of(r)
        .map(bordermap::model::geom::unmercator)
        .expect("centre");
    assert!(
        (lon - c.0).abs() < 1e-6 && (lat - c.1).abs() < 1e-6,
        "map centred on the event"
    );
}

#[test]
fn the_time_decides_what_both_the_list_and_the_map_show() {
    let mut h = harness();
    command(&mut h, Command::GoTo(ViewPreset::CentralAsia));
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(ts("2021-01-01T00:00:00Z"))),
    );
    settle(&mut h);
    assert!(
        h.state().visible().items().is_empty(),
        "nothing before the conflict"
    );
    let dated_drawn = |app: &App| -> Vec<FeatureRef> {
        let mut v: Vec<FeatureRef> = app
            .overlay()
            .drawn
            .iter()
            .copied()
            .filter(|r| app.dataset().event_of(*r).is_some())
            .collect();
        v.sort();
        v.dedup();
        v
    };
    assert!(dated_drawn(h.state()).is_empty());
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(ts("2022-09-16T12:00:00+06:00"))),
    );
    h.run_steps(2);
    let app = h.state();
    // What should show, worked out here from the events' own spans (cumulative mode:
    // everything that has begun by the cursor), not from the index the app asks.
    let cursor = ts("2022-09-16T12:00:00+06:00");
    assert_eq!(app.time().cursor(), cursor);
    let moscow = event_ref(app, "e2022-09-18-putin");
    let mut expected: Vec<FeatureRef> = app
        .dataset()
        .events
        .iter()
        .filter(|e| e.span.start() <= cursor)
        .map(|e| FeatureRef {
            layer: e.layer,
            feature: e.feature,
        })
        .filter(|r| *r != moscow)
        .collect();
    expected.sort();
    assert_eq!(dated_drawn(app), expected, "the map draws what has begun");
    assert!(expected.contains(&event_ref(app, "e2022-09-14-first")));
    assert!(!expected.contains(&event_ref(app, "e2022-09-18-tolls")));
    // The list shows the same moment: the rows that have begun are the ones not dimmed.
    let view = bordermap::ui::events::ListView {
        filter: &app.dataset().filter,
        dataset: app.dataset(),
        time: app.time(),
        visible: app.visible(),
        selection: None,
    };
    let mut listed: Vec<FeatureRef> = app
        .dataset()
        .events
        .iter()
        .filter(|e| {
            bordermap::ui::events::row_state(e, &view) != bordermap::ui::events::RowState::Hidden
        })
        .map(|e| FeatureRef {
            layer: e.layer,
            feature: e.feature,
        })
        .filter(|r| *r != moscow)
        .collect();
    listed.sort();
    assert_eq!(listed, expected, "the list shows the same moment");
}

#[test]
fn space_plays_and_playback_stops_or_loops_at_the_end() {
    let mut h = harness();
    settle(&mut h);
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(ts("2022-09-14T00:00:00Z"))),
    );
    let before = h.state().time().cursor();
    h.key_press(egui::Key::Space);
    h.run_steps(5);
    assert!(h.state().time().is_playing());
    assert!(
        h.state().time().cursor() > before,
        "playing moves the cursor"
    );
    let end = h.state().dataset().index.range().expect("range").1;
    command(&mut h, Command::Time(TimeCommand::SetSpeed(7 * 86_400)));
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(
            end.checked_sub(jiff::SignedDuration::from_secs(60))
                .expect("t"),
        )),
    );
    h.run_steps(20);
    assert!(!h.state().time().is_playing(), "stops at the end");
    assert_eq!(h.state().time().cursor(), end);
    command(&mut h, Command::Time(TimeCommand::SetLoop(true)));
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(
            end.checked_sub(jiff::SignedDuration::from_secs(60))
                .expect("t"),
        )),
    );
    command(&mut h, Command::Time(TimeCommand::Play));
    h.run_steps(20);
    assert!(h.state().time().is_playing(), "loops on");
    assert!(
        h.state().time().cursor()
            < end
                .checked_sub(jiff::SignedDuration::from_hours(24))
                .expect("t"),
        "wrapped to the start"
    );
}

#[test]
fn kind_filter_and_search_hide_rows() {
    let mut h = harness();
    settle(&mut h);
    let clash = h
        .state()
        .dataset()
        .events
        .iter()
        .find(|e| e.kind == EventKind::Clash)
        .and_then(|e| h.state().dataset().record(&e))
        .expect("a clash");
    assert!(h.query_by_label(&clash.title).is_some());
    h.get_by_label("× Clash").click();
    h.run_steps(3);
    assert!(h.query_by_label(&clash.title).is_none(), "clashes hidden");
    // One filter: the chip is a condition of the dataset's, and the map hides them too.
    assert_eq!(h.state().dataset().filter.exprs(), vec!["kind!=clash"]);
    assert!(
        h.query_by_label("kind!=clash ×").is_some(),
        "shown as a chip"
    );
    assert!(h.state().overlay().drawn_sites.iter().all(|(r, _)| {
        let ds = h.state().dataset();
        let timeless = ds.feature(*r).is_some_and(|f| f.span.is_none());
        timeless || ds.event_of(*r).is_some_and(|e| e.kind != EventKind::Clash)
    }));
    h.get_by_label("× Clash").click();
    h.run_steps(3);
    assert!(h.query_by_label(&clash.title).is_some(), "clashes back");
    let search = text_input(&h, false);
    search.focus();
    search.type_text("Ovchi");
    h.run_steps(3);
    let ovchi = h
        .state()
        .dataset()
        .events
        .iter()
        .filter_map(|e| h.state().dataset().record(&e))
        .find(|e| e.id == "e2022-09-16-ovchi-kalacha")
        .expect("ovchi");
    assert!(h.query_by_label(&ovchi.title).is_some());
    assert!(
        h.query_by_label(&clash.title).is_none(),
        "search hides the rest"
    );
}

#[test]
fn a_click_on_the_map_scrolls_the_list_to_the_row() {
    let mut h = harness();
    command(&mut h, Command::GoTo(ViewPreset::CentralAsia));
    command(&mut h, Command::Time(TimeCommand::End));
    settle(&mut h);
    let target = event_ref(h.state(), "e2022-09-17-osh-lakhsh");
    let title = h
        .state()
        .dataset()
        .record_of(target)
        .map(|e| e.title)
        .expect("title");
    assert!(h.query_by_label(&title).is_none(), "row starts out of view");
    let pos = h
        .state()
        .overlay()
        .drawn_sites
        .iter()
        .find(|(r, _)| *r == target)
        .map(|(_, p)| *p)
        .expect("drawn");
    click_at(&mut h, pos);
    assert_eq!(h.state().selection(), Some(target));
    h.run_steps(3);
    // The title is also in the tooltip and the details pane: look for it left of the map,
    // where the list is, above the timeline.
    let map = h.state().overlay().map_rect.expect("the map was drawn");
    let rows: Vec<egui::Rect> = h
        .query_all_by_label(&title)
        .map(|n| n.rect())
        .filter(|r| r.max.x <= map.min.x && r.max.y <= map.max.y)
        .collect();
    assert_eq!(rows.len(), 1, "the list scrolled to the row: {rows:?}");
}

#[test]
fn the_zone_picker_changes_shown_times_not_instants() {
    let mut h = harness();
    settle(&mut h);
    let r = event_ref(h.state(), "e2022-09-16-ceasefire");
    command(&mut h, Command::Focus(r));
    let cursor = h.state().time().cursor();
    let start = h.state().dataset().event_of(r).expect("event").span.start();
    let bishkek = DisplayZone::Bishkek.format(start);
    let dushanbe = DisplayZone::Dushanbe.format(start);
    assert_ne!(bishkek, dushanbe);
    command(
        &mut h,
        Command::Time(TimeCommand::SetZone(DisplayZone::Bishkek)),
    );
    // The list row, and the details' "as reported" (the source's own clock, UTC+06).
    let before = h.query_all_by_label_contains(&bishkek).count();
    assert!(before >= 2, "{bishkek}: {before}");
    h.get_by_label("Zone").click();
    h.run_steps(2);
    h.get_by_label(&DisplayZone::Dushanbe.label()).click();
    h.run_steps(3);
    assert_eq!(h.state().time().zone(), DisplayZone::Dushanbe);
    assert_eq!(
        h.state().time().cursor(),
        cursor,
        "the instant is unchanged"
    );
    assert!(h.query_by_label_contains(&dushanbe).is_some(), "{dushanbe}");
    // Only the time as the source reported it keeps its own clock.
    assert_eq!(h.query_all_by_label_contains(&bishkek).count(), before - 1);
}

#[test]
fn snapshots_of_the_window() {
    // Every snapshot is compared before the test fails, so one run reports every mismatch.
    let mut failures: Vec<String> = Vec::new();
    let mut h = harness();
    command(
        &mut h,
        Command::Time(TimeCommand::SetZone(DisplayZone::Bishkek)),
    );
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(ts("2022-09-16T12:00:00+06:00"))),
    );
    settle(&mut h);
    if let Err(e) = h.try_snapshot("window_2022-09-16_1200_bishkek") {
        failures.push(e.to_string());
    }

    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(ts("2021-01-01T00:00:00+06:00"))),
    );
    settle(&mut h);
    if let Err(e) = h.try_snapshot("window_before_the_conflict") {
        failures.push(e.to_string());
    }

    command(&mut h, Command::Time(TimeCommand::End));
    command(
        &mut h,
        Command::SetView {
            lon: 70.58,
            lat: 39.85,
            zoom: 12.0,
        },
    );
    settle(&mut h);
    if let Err(e) = h.try_snapshot("window_zoom12_vorukh") {
        failures.push(e.to_string());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_failing_tile_server_leaves_the_offline_map_visible() {
    let mut offline = harness();
    settle(&mut offline);
    let base = offline.render().expect("render offline");

    let mut h = harness();
    settle(&mut h);
    // Nothing listens on port 9 of this machine: every tile request fails.
    let spec = bordermap::map::online::BasemapSpec::parse("http://127.0.0.1:9/{z}/{x}/{y}.png")
        .expect("template");
    command(&mut h, Command::SetBasemap(spec.clone()));
    assert_eq!(h.state().basemap(), &spec, "the online source is picked");
    for _ in 0..50 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    settle(&mut h);
    let img = h.render().expect("render");
    // The map area (right of the list, above the timeline) looks like the offline map.
    let (x0, y0, x1, y1) = (500u32, 150u32, 1300u32, 600u32);
    let mut same = 0u32;
    let mut total = 0u32;
    for y in (y0..y1).step_by(7) {
        for x in (x0..x1).step_by(7) {
            total += 1;
            let (p, q) = (img.get_pixel(x, y).0, base.get_pixel(x, y).0);
            if p.iter().zip(q.iter()).all(|(a, b)| a.abs_diff(*b) < 24) {
                same += 1;
            }
        }
    }
    assert!(
        same as f32 / total as f32 > 0.9,
        "{same} of {total} pixels match the offline map"
    );
}

#[test]
fn the_window_exports_in_the_background_with_ctrl_e() {
    let mut h = harness();
    settle(&mut h);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("window-export");
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("from-window.png");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(2);
    assert!(
        h.query_by_label("Export map").is_some(),
        "Ctrl+E opens the dialog"
    );
    command(&mut h, Command::SetExportPath(out.clone()));
    h.get_by_label("Export").click();
    h.run_steps(2);
    assert!(h.state().exporting(), "the export runs in the background");
    assert!(h.query_by_label("Exporting…").is_some());
    for _ in 0..600 {
        h.step();
        if !h.state().exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Wrote ").is_some(),
        "the dialog says what was written"
    );
    let img = image::open(&out).expect("written").to_rgba8();
    let size = h.state().map_size();
    assert_eq!(
        (img.width(), img.height()),
        (size.x.round() as u32, size.y.round() as u32)
    );
}

#[test]
fn the_timeline_follows_a_jump_to_a_2021_event_and_reported_times_read_plainly() {
    let mut h = harness();
    settle(&mut h);
    let (from, to) = h.state().timeline_view();
    let early = h
        .state()
        .dataset()
        .events
        .iter()
        .find(|e| e.span.start() < from)
        .map(|e| FeatureRef::new(e.layer, e.feature))
        .expect("an event before the timeline's span");
    let row = h
        .state()
        .dataset()
        .record_of(early)
        .expect("its record")
        .title;
    h.get_by_label(&row).click();
    h.run_steps(3);
    let cursor = h.state().time().cursor();
    let (a, b) = h.state().timeline_view();
    assert!(cursor < from, "the cursor jumped back");
    assert!(
        (a..=b).contains(&cursor),
        "the axis follows: {a}..{b} holds {cursor}"
    );
    assert_eq!(
        b.duration_since(a),
        to.duration_since(from),
        "the axis keeps its width"
    );
    // "As reported" in the form of every other time, not raw RFC 3339.
    assert!(h.query_by_label_contains("As reported:").is_some());
    assert!(
        h.query_by_label_contains("T00:00:00").is_none()
            && h.query_by_label_contains(":00+0").is_none(),
        "no raw RFC 3339 in the details"
    );
}

#[test]
fn a_filter_typed_in_the_bar_filters_the_list_and_the_map_and_its_chip_clears_it() {
    let mut h = harness();
    settle(&mut h);
    let total = h.state().dataset().events.len();
    let clashes = h
        .state()
        .dataset()
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Clash)
        .count();
    let shelling = h
        .state()
        .dataset()
        .events
        .iter()
        .find(|e| e.kind != EventKind::Clash)
        .map(|e| {
            let r = FeatureRef::new(e.layer, e.feature);
            h.state().dataset().record_of(r).unwrap().title
        })
        .expect("an early event that is not a clash");
    assert!(h.query_by_label(&shelling).is_some(), "listed before");
    let field = text_input(&h, true);
    field.focus();
    field.type_text("kind=clash");
    h.run_steps(2);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().dataset().events.len(),
        clashes,
        "only clashes pass"
    );
    assert!(
        h.query_by_label(&shelling).is_none(),
        "the list hides the rest"
    );
    assert!(
        h.state().overlay().drawn_sites.iter().all(|(r, _)| {
            let ds = h.state().dataset();
            // Sites of events are clashes; the border layer's enclave point stays.
            ds.event_of(*r)
                .map_or(ds.feature(*r).is_some_and(|f| f.span.is_none()), |e| {
                    e.kind == EventKind::Clash
                })
        }),
        "the map draws only clash sites"
    );
    assert!(
        h.query_by_label(&format!("{clashes} of {total}")).is_some(),
        "the count"
    );
    // "Save shown" writes what the list and the map show.
    let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shown-clashes.geojson");
    let _ = std::fs::remove_file(&out);
    let path_box = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.accesskit_node().label().as_deref() == Some("Shown to"))
        .expect("the save box");
    path_box.focus();
    path_box.type_text(out.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Save").click();
    h.run_steps(3);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).unwrap();
    let kinds: Vec<&str> = written["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["kind"].as_str())
        .collect();
    let shown_now = h.state().visible().len();
    assert_eq!(kinds.len(), shown_now, "every event shown at the cursor");
    assert!(kinds.iter().all(|k| *k == "clash"), "{kinds:?}");
    h.get_by_label("kind=clash ×").click();
    h.run_steps(3);
    assert_eq!(
        h.state().dataset().events.len(),
        total,
        "the chip clears it"
    );
    assert!(h.query_by_label(&shelling).is_some());
}

#[test]
fn a_claim_is_read_off_the_chart_and_a_click_on_it_selects_its_event() {
    let mut h = harness();
    settle(&mut h);
    h.get_by_label("Claims chart").click();
    h.run_steps(4);
    // Each point of the chart is a widget named by its claim: the Kyrgyz health ministry's
    // 59 dead of 18 September 2022, from source S43, and its 46 of the same day (S42).
    let claim = "Kyrgyz health ministry: 59 dead (KG), reported 2022-09-18 — S43";
    assert!(
        h.query_by_label_contains("Kyrgyz health ministry: 46 dead (KG)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Tajik foreign ministry: 35 dead (TJ)")
            .is_some(),
        "the other side's claim of the same day, kept apart"
    );
    h.get_by_label_contains(claim).hover();
    h.run_steps(4);
    // Hovering shows the claim's event and its source in a tooltip.
    assert!(
        h.query_by_label("Death tolls rise through the day")
            .is_some(),
        "the event's title in the tooltip"
    );
    let found: Vec<String> = h
        .query_all_by_label_contains("59 dead")
        .map(|n| format!("{:?}", n.accesskit_node().label()))
        .collect();
    assert!(
        found.len() >= 2,
        "the point and its tooltip both read the claim: {found:?}"
    );
    // Injured: 102 or 144 depending on the source, both plotted.
    h.get_by_label("Injured").click();
    h.run_steps(4);
    assert!(
        h.query_by_label_contains("Kyrgyzstan: 102 injured (KG)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Kyrgyz health ministry: 144 injured (KG)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Human Rights Watch: ≥ 121 injured")
            .is_some()
    );
    // A click on a point selects its event and moves the cursor to it.
    h.get_by_label_contains("Kyrgyz health ministry: 144 injured (KG)")
        .click();
    h.run_steps(4);
    let tolls = event_ref(h.state(), "e2022-09-18-tolls");
    assert_eq!(h.state().selection(), Some(tolls));
    let start = h.state().dataset().event_of(tolls).unwrap().span.start();
    assert_eq!(h.state().time().cursor(), start);
    // Save PNG writes the chart as shown (the injured), with both sides' colours.
    let png = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chart-injured.png");
    let _ = std::fs::remove_file(&png);
    let path_box = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.accesskit_node().label().as_deref() == Some("Chart to"))
        .expect("the chart's save box");
    path_box.focus();
    path_box.type_text(png.to_str().unwrap());
    h.run_steps(2);
    h.get_by_label("Save PNG").click();
    h.run_steps(2);
    for _ in 0..600 {
        h.step();
        if !h.state().exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let img = image::open(&png).expect("the chart written").to_rgba8();
    assert_eq!(img.dimensions(), (1400, 800));
    let near = |rgb: [u8; 3]| {
        img.pixels()
            .filter(|p| (0..3).all(|i| (i32::from(p[i]) - i32::from(rgb[i])).abs() <= 12))
            .count()
    };
    assert!(near([0xd0, 0x21, 0x2a]) > 100 && near([0x1f, 0x6f, 0x3c]) > 100);
    // A filter on the side leaves only that side's claims on the chart.
    command(
        &mut h,
        Command::SetFilter(bordermap::model::filter::Filter::parse_all(&["side=TJ"]).unwrap()),
    );
    h.run_steps(2);
    assert_eq!(
        h.query_all_by_label_contains("Kyrgyz health ministry: 144 injured (KG)")
            .count(),
        0
    );
    assert!(
        h.query_by_label_contains("Tajik foreign ministry: ≈ 30 injured (TJ)")
            .is_some()
    );
}

#[test]
fn two_moments_side_by_side_share_one_camera_and_export_as_shown() {
    let mut h = harness();
    settle(&mut h);
    command(
        &mut h,
        Command::Time(TimeCommand::SetTime(ts("2022-09-14T12:00:00Z"))),
    );
    h.get_by_label("Compare").click();
    h.run_steps(4);
    let end = h.state().time().range().expect("a range").1;
    assert_eq!(
        h.state().compare().map(|c| c.time.cursor()),
        Some(end),
        "B starts at the end"
    );
    // B's own time, typed; A stays at the timeline's cursor.
    let field = h
        .get_all_by_role(egui::accesskit::Role::TextInput)
        .find(|n| n.accesskit_node().label().as_deref() == Some("B at"))
        .expect("B's time box");
    field.focus();
    field.type_text("2022-09-17");
    h.run_steps(2);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let b = h.state().compare().expect("comparing");
    assert_eq!(b.time.cursor(), ts("2022-09-17T00:00:00Z"));
    assert_eq!(h.state().time().cursor(), ts("2022-09-14T12:00:00Z"));
    // Each side labelled with its date; B shows what happened since A.
    assert!(h.query_by_label("A: 2022-09-14 12:00 UTC").is_some());
    assert!(h.query_by_label("B: 2022-09-17 00:00 UTC").is_some());
    let (a_len, b_len) = (h.state().visible().len(), b.visible.len());
    assert!(b_len > a_len, "B shows more events: {b_len} vs {a_len}");
    // One camera: a change of view moves both maps (there is one view).
    command(
        &mut h,
        Command::SetView {
            lon: 70.6,
            lat: 39.95,
            zoom: 11.0,
        },
    );
    assert_eq!(h.state().view().2, 11.0);
    // Swap exchanges the two times.
    h.get_by_label("Swap A and B").click();
    h.run_steps(3);
    assert_eq!(h.state().time().cursor(), ts("2022-09-17T00:00:00Z"));
    assert_eq!(
        h.state().compare().map(|c| c.time.cursor()),
        Some(ts("2022-09-14T12:00:00Z"))
    );
    // Swipe: one map, a line to drag.
    h.get_by_label("Swipe").click();
    h.run_steps(3);
    assert!(h.state().compare().is_some_and(|c| c.swipe));
    let line = h.get_by_label("Swipe line").rect();
    let from = line.center();
    let to = from + vec2(-200.0, 0.0);
    h.hover_at(from);
    h.step();
    h.drag_at(from);
    h.step();
    h.hover_at(to);
    h.step();
    h.drop_at(to);
    h.run_steps(3);
    let at = h.state().swipe_at();
    assert!(at < 0.45, "the line moved left: {at}");
    // The window's Export writes what the split view shows: A left of the line, B right.
    h.get_by_label("Side by side").click();
    h.run_steps(3);
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("compare-export");
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("split.png");
    command(
        &mut h,
        Command::Export(bordermap::command::ExportOrder {
            path: out.clone(),
            size: bordermap::command::ExportSize::Custom,
            custom: [800, 400],
            title: None,
            with_view: false,
        }),
    );
    for _ in 0..600 {
        h.step();
        if !h.state().exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let img = image::open(&out).expect("written").to_rgba8();
    assert_eq!(img.dimensions(), (800, 400));
    // The seam between the halves, and two different halves (two moments).
    assert!((0..400).all(|y| img.get_pixel(399, y).0 == [40, 40, 40, 255]));
    let differing = (0..400)
        .flat_map(|y| (0..398).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y) != img.get_pixel(x + 401, y))
        .count();
    assert!(differing > 1000, "the halves differ: {differing} pixels");
    h.get_by_label("Close compare").click();
    h.run_steps(2);
    assert!(h.state().compare().is_none());
}

#[test]
fn an_event_known_only_to_the_day_shows_its_day_not_a_made_up_hour() {
    let mut h = harness();
    settle(&mut h);
    let tolls = event_ref(h.state(), "e2022-09-18-tolls");
    command(&mut h, Command::Focus(tolls));
    h.run_steps(3);
    assert!(
        h.query_by_label("2022-09-18 (UTC+06), known only to the day")
            .is_some(),
        "the details give the day on the source's clock"
    );
    assert!(h.query_by_label_contains("18:00 UTC").is_none());
    let e = h.state().dataset().event_of(tolls).expect("event");
    assert!(e.day_only, "the timeline draws it as the whole day");
}

#[test]
fn the_animation_dialog_writes_an_mp4_shows_progress_and_cancels_leaving_nothing() {
    let mut h = harness();
    settle(&mut h);
    h.get_by_label("Animation…").click();
    h.run_steps(4);
    assert!(
        h.query_by_label("Write MP4").is_some(),
        "the dialog is open"
    );
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("animation");
    let _ = std::fs::remove_dir_all(&dir);
    let wait = |h: &mut Harness<'static, App>| {
        for _ in 0..3000 {
            h.step();
            if h.state().animating().is_none() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        h.run_steps(2);
    };
    // A long one, cancelled while it runs: the bar shows the frames, Cancel stops it and no
    // file (nor a temporary one) is left.
    let long = dir.join("long.mp4");
    command(
        &mut h,
        Command::Animation(bordermap::command::AnimationOrder {
            path: long.clone(),
            from: ts("2022-09-13T00:00:00Z"),
            to: ts("2022-09-20T00:00:00Z"),
            frames: 2000,
            fps: 30,
            size: [320, 240],
            title: None,
        }),
    );
    for _ in 0..2000 {
        h.step();
        if h.state().animating().is_some_and(|(done, _)| done >= 2) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.run_steps(2);
    assert!(
        h.query_by_label_contains(" / 2000 frames").is_some(),
        "the progress"
    );
    h.get_by_label("Cancel").click();
    wait(&mut h);
    assert!(h.query_by_label_contains("cancelled").is_some());
    assert!(!long.exists());
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "nothing left behind: {left:?}");
    // A short one, written whole.
    let short = dir.join("short.mp4");
    command(
        &mut h,
        Command::Animation(bordermap::command::AnimationOrder {
            path: short.clone(),
            from: ts("2022-09-14T00:00:00Z"),
            to: ts("2022-09-18T00:00:00Z"),
            frames: 4,
            fps: 4,
            size: [160, 120],
            title: Some("14-18 September".into()),
        }),
    );
    wait(&mut h);
    assert!(h.query_by_label_contains("Wrote ").is_some());
    let mp4 = mp4::read_mp4(std::fs::File::open(&short).expect("written")).expect("an MP4");
    assert_eq!(mp4.tracks().get(&1).map(|t| t.sample_count()), Some(4));
}

#[test]
fn the_timeline_ticks_are_kept_while_the_axis_stays_and_made_again_when_it_moves() {
    // The ticks are one mesh in the timeline (the panel lowest down), kept between
    // frames; moving the axis makes it again, at the new places.
    fn ticks(h: &Harness<'static, App>) -> (std::sync::Arc<egui::epaint::Mesh>, egui::Rect) {
        h.output()
            .shapes
            .iter()
            .filter_map(|c| match &c.shape {
                egui::Shape::Mesh(m) => Some((m.clone(), c.clip_rect)),
                _ => None,
            })
            // The timeline is the panel lowest down.
            .max_by(|a, b| a.1.min.y.total_cmp(&b.1.min.y))
            .expect("the timeline's ticks")
    }
    let mut h = harness();
    command(
        &mut h,
        Command::TimelineView(ts("2022-09-13T00:00:00Z"), ts("2022-09-21T00:00:00Z")),
    );
    settle(&mut h);
    let (week, clip) = ticks(&h);
    h.run_steps(2);
    let (again, _) = ticks(&h);
    assert!(
        std::sync::Arc::ptr_eq(&week, &again),
        "kept, not made again, while the axis stays"
    );
    command(
        &mut h,
        Command::TimelineView(ts("2022-09-15T00:00:00Z"), ts("2022-09-17T00:00:00Z")),
    );
    h.run_steps(2);
    let (days, _) = ticks(&h);
    assert!(!days.vertices.is_empty() && !week.vertices.is_empty());
    assert_ne!(
        days.vertices.iter().map(|v| v.pos).collect::<Vec<_>>(),
        week.vertices.iter().map(|v| v.pos).collect::<Vec<_>>(),
        "made again for the new axis"
    );
    // Four times as wide a scale: the ticks spread over the chart, within it.
    let span = |m: &egui::epaint::Mesh| {
        let xs = m.vertices.iter().map(|v| v.pos.x);
        let (lo, hi) = xs.fold((f32::MAX, f32::MIN), |(a, b), x| (a.min(x), b.max(x)));
        (lo, hi)
    };
    let (lo, hi) = span(&days);
    assert!(
        lo >= clip.left() - 5.0 && hi <= clip.right() + 5.0,
        "{lo}..{hi} in {clip:?}"
    );
}
