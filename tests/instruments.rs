//! The analyst's instruments driven as a user drives them: measure two points and read the
//! distance, Go to an MGRS reference, search "Ворух" and land on Vorukh, save a view, move
//! away, press 1 and be back at the same place and time.

use bordermap::app::App;
use bordermap::command::Command;
use bordermap::instruments::geodesy;
use bordermap::time::TimeCommand;
use egui::accesskit::Role;
use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness() -> Harness<'static, App> {
    Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), App::new(None))
}

fn click_at(h: &mut Harness<'static, App>, pos: Pos2) {
    h.hover_at(pos);
    h.step();
    h.drag_at(pos);
    h.step();
    h.drop_at(pos);
    h.run_steps(3);
}

/// Types into the text field that has the keyboard focus.
fn type_into_focused(h: &mut Harness<'static, App>, text: &str) {
    h.run_steps(2);
    let field = h
        .get_all_by_role(Role::TextInput)
        .find(|n| n.is_focused())
        .expect("a focused text field");
    field.type_text(text);
    h.run_steps(2);
}

#[test]
fn measuring_two_points_reads_their_geodesic_distance() {
    let mut h = harness();
    h.run_steps(3);
    let rect = h.state().overlay().map_rect.expect("the map");
    h.key_press(Key::M);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Click points on the map")
            .is_some(),
        "M opens the Measure window"
    );
    assert!(h.state().measure().tool.is_some(), "and turns the tool on");
    let a = rect.center() + vec2(-150.0, 60.0);
    let b = rect.center() + vec2(150.0, 60.0);
    click_at(&mut h, a);
    click_at(&mut h, b);
    let points = h.state().measure().drawing.clone();
    assert_eq!(points.len(), 2, "two clicks, two points: {points:?}");
    assert_eq!(
        h.state().selection(),
        None,
        "measuring clicks select nothing"
    );
    let metres = geodesy::distance(points[0], points[1]);
    // 300 points across at zoom 9 and 40° N: about 300 × 234 m.
    assert!((60_000.0..80_000.0).contains(&metres), "{metres}");
    let total = format!("Total: {}", geodesy::format_distance(metres));
    assert!(
        h.query_by_label(&total).is_some(),
        "the window shows '{total}'"
    );
    assert!(
        h.query_by_label_contains("090° E").is_some(),
        "and the bearing"
    );
    // Enter keeps the path; it is listed and stays on the map.
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert_eq!(h.state().measure().items.len(), 1);
    assert!(h.query_by_label_contains("Path: 1 leg").is_some());
}

#[test]
fn go_to_an_mgrs_reference_centres_there_with_a_marker() {
    let mut h = harness();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    h.run_steps(2);
    assert!(
        h.query_by_label_contains("Coordinates (decimal").is_some(),
        "Ctrl+G opens Go to"
    );
    type_into_focused(&mut h, "42TXK 55223 36003");
    h.key_press(Key::Enter);
    h.run_steps(3);
    let (lon, lat, zoom) = h.state().view();
    assert!(
        (lon - 70.82).abs() < 1e-4 && (lat - 40.06).abs() < 1e-4,
        "{lon},{lat}"
    );
    assert!(zoom >= 12.0);
    assert_eq!(h.state().marker().map(|m| m.at), Some([lon, lat]));

    // A wrong reference says what was expected, inline, and the map stays.
    h.key_press_modifiers(Modifiers::COMMAND, Key::G);
    type_into_focused(&mut h, "42TXK552233600");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("expected").is_some(),
        "an inline message"
    );
    assert_eq!(h.state().view().0, lon);
}

#[test]
fn searching_vorukh_in_cyrillic_lands_on_vorukh() {
    let mut h = harness();
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run_steps(2);
    type_into_focused(&mut h, "Ворух");
    assert!(
        h.query_by_label_contains("Vorukh — place").is_some(),
        "the answer is listed as the name is typed"
    );
    h.key_press(Key::Enter);
    h.run_steps(3);
    let (lon, lat, _) = h.state().view();
    // The Vorukh enclave's bounding box.
    assert!(
        (70.52..70.75).contains(&lon) && (39.77..39.90).contains(&lat),
        "{lon},{lat}"
    );
    assert!(
        h.query_by_label("Search places").is_none(),
        "the search closes"
    );
}

#[test]
fn a_saved_view_comes_back_with_key_1() {
    let mut h = harness();
    h.run_steps(3);
    let at: jiff::Timestamp = "2022-09-16T10:00:00Z".parse().unwrap();
    h.state_mut().push(Command::Time(TimeCommand::SetTime(at)));
    h.state_mut().push(Command::SetView {
        lon: 70.58,
        lat: 39.85,
        zoom: 12.0,
    });
    h.state_mut().apply();
    h.run_steps(2);
    h.get_by_label("Views").click();
    h.run_steps(4);
    assert!(
        h.query_by_label_contains("No saved views").is_some(),
        "the Views panel opens"
    );
    h.get_by_label("Save current view").click();
    h.run_steps(2);
    assert_eq!(h.state().views().len(), 1);
    // Move away in place and time.
    h.state_mut().push(Command::SetView {
        lon: 72.0,
        lat: 41.0,
        zoom: 7.0,
    });
    h.state_mut().push(Command::Time(TimeCommand::SetTime(
        "2021-04-29T00:00:00Z".parse().unwrap(),
    )));
    h.state_mut().apply();
    h.run_steps(2);
    assert_ne!(h.state().time().cursor(), at);
    h.key_press(Key::Num1);
    h.run_steps(2);
    let (lon, lat, zoom) = h.state().view();
    assert!(
        (lon - 70.58).abs() < 1e-9 && (lat - 39.85).abs() < 1e-9,
        "{lon},{lat}"
    );
    assert_eq!(zoom, 12.0);
    assert_eq!(h.state().time().cursor(), at);
}

#[test]
fn the_details_say_how_far_a_site_is_from_the_line_and_on_which_side() {
    let mut h = harness();
    h.run_steps(3);
    let ds = h.state().dataset();
    let e = ds
        .events
        .iter()
        .find(|e| {
            ds.record(e)
                .is_some_and(|r| r.id == "e2022-09-16-ovchi-kalacha")
        })
        .expect("the Ovchi-Kalacha event");
    let r = bordermap::time::FeatureRef::new(e.layer, e.feature);
    h.state_mut().push(Command::Select(Some(r)));
    h.state_mut().apply();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("from the line · in Tajikistan")
            .is_some(),
        "Ovchi-Kalacha lies in Tajikistan, near the line"
    );
}

#[test]
fn an_event_whose_precision_area_crosses_the_line_is_flagged_side_uncertain() {
    let mut h = harness();
    h.run_steps(3);
    let ds = h.state().dataset();
    let index = bordermap::io::bundled::border_index().expect("the border");
    let (mut uncertain, mut certain) = (Vec::new(), Vec::new());
    for e in ds.events.iter() {
        let record = ds.record(&e).expect("a record");
        let r = bordermap::time::FeatureRef::new(e.layer, e.feature);
        if index.straddling(record.site_areas()).is_empty() {
            if !record.sites.is_empty() {
                certain.push(r);
            }
        } else {
            uncertain.push(r);
        }
    }
    assert!(
        !uncertain.is_empty(),
        "some sites lie within their precision of the line"
    );
    assert!(!certain.is_empty(), "and some do not");
    for (r, flagged) in [(uncertain[0], true), (certain[0], false)] {
        h.state_mut().push(Command::Select(Some(r)));
        h.state_mut().apply();
        h.run_steps(3);
        assert_eq!(
            h.query_by_label("Side uncertain").is_some(),
            flagged,
            "{r:?}"
        );
    }
}

#[test]
fn the_legend_toggles_precision_areas() {
    let mut h = harness();
    h.run_steps(3);
    assert!(!h.state().precision_areas());
    h.get_by_label("Precision areas").click();
    h.run_steps(3);
    assert!(h.state().precision_areas(), "ticked in the legend");
    h.get_by_label("Precision areas").click();
    h.run_steps(3);
    assert!(!h.state().precision_areas());
}
