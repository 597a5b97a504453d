//! Invariants of the bundled layers under `assets/`: every event sourced and dated
//! (start <= end), each side's claims attributed, coordinates in the region, the border's
//! derived length, the enclaves named.

use std::path::Path;

use bordermap::io::{ReadOptions, read_path};
use bordermap::model::Layer;
use geo::{BoundingRect, Geometry};
use serde_json::Value;

fn layer(path: &str) -> Layer {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let layer = read_path(&full, &ReadOptions::default()).expect("bundled layer opens");
    assert!(layer.problems.is_empty(), "{path}: {:?}", layer.problems);
    layer
}

/// The region the bundled data covers: 60–82 E, 34–46 N (Moscow is the one exception).
fn in_region(geometry: &Geometry<f64>) -> bool {
    geometry.bounding_rect().is_some_and(|r| {
        r.min().x >= 60.0 && r.max().x <= 82.0 && r.min().y >= 34.0 && r.max().y <= 46.0
    })
}

const KINDS: [&str; 9] = [
    "clash",
    "shelling",
    "drone_strike",
    "evacuation",
    "ceasefire",
    "casualty_report",
    "diplomacy",
    "mourning",
    "agreement",
];

#[test]
fn every_event_is_dated_sourced_and_placed() {
    let events = layer("assets/events.geojson");
    assert!(events.features.len() >= 32, "{}", events.features.len());
    for f in &events.features {
        let p = f.properties_map();
        let id = p["id"].as_str().unwrap_or("?").to_string();
        let span = f.span.unwrap_or_else(|| panic!("{id} is not dated"));
        assert!(span.start <= span.end, "{id}");
        for key in ["start", "end"] {
            let text = p[key].as_str().unwrap_or("");
            assert!(
                text.ends_with("+06:00") || text.ends_with("+05:00") || text.ends_with("+03:00"),
                "{id}: {key} {text} has no offset"
            );
        }
        assert!(KINDS.contains(&p["kind"].as_str().unwrap_or("")), "{id}");
        let sources = p["sources"]
            .as_array()
            .unwrap_or_else(|| panic!("{id} has no sources"));
        assert!(!sources.is_empty(), "{id} has no sources");
        for s in sources {
            assert!(s["title"].is_string(), "{id}: {s}");
        }
        for claim in p["claims"].as_array().into_iter().flatten() {
            assert!(
                claim["by"].as_str().is_some_and(|b| !b.is_empty()),
                "{id}: unattributed claim {claim}"
            );
            assert!(
                ["KG", "TJ", "independent", "media"]
                    .contains(&claim["side"].as_str().unwrap_or("")),
                "{id}: {claim}"
            );
        }
        let geometry = f
            .geometry
            .as_ref()
            .unwrap_or_else(|| panic!("{id} has no geometry"));
        if id != "e2022-09-18-putin" {
            assert!(in_region(geometry), "{id} lies outside the region");
        }
        if p["kind"] == "evacuation" {
            assert!(
                matches!(geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_)),
                "{id}"
            );
            assert_eq!(p["approximate"], Value::Bool(true), "{id}");
            assert!(p["drawn_how"].is_string(), "{id}");
        }
        if p["estimated"] == Value::Bool(true) {
            assert!(
                p["location_note"].is_string(),
                "{id}: estimated without a note"
            );
        }
    }
}

#[test]
fn the_18_september_report_and_the_health_ministry_are_both_shown() {
    let events = layer("assets/events.geojson");
    let claims_of = |id: &str| -> Vec<Value> {
        events
            .features
            .iter()
            .map(|f| f.properties_map())
            .find(|p| p["id"] == id)
            .and_then(|p| p["claims"].as_array().cloned())
            .unwrap_or_default()
    };
    let report = claims_of("e2022-09-18-report");
    assert!(
        report
            .iter()
            .any(|c| c["killed"] == 59 && c["injured"] == 102),
        "{report:?}"
    );
    assert!(report.iter().any(|c| c["killed"] == 35), "{report:?}");
    let tolls = claims_of("e2022-09-18-tolls");
    assert!(
        tolls
            .iter()
            .any(|c| c["killed"] == 59 && c["injured"] == 144),
        "{tolls:?}"
    );
}

#[test]
fn border_length_and_enclaves() {
    let border = layer("assets/border.geojson");
    let mut kgz_tjk_km = 0.0;
    let mut enclaves = Vec::new();
    for f in &border.features {
        let p = f.properties_map();
        assert!(in_region(f.geometry.as_ref().expect("geometry")), "{p:?}");
        assert!(
            p["status"].as_str().is_some_and(|s| s.contains("2025")),
            "{p:?}"
        );
        match p["kind"].as_str() {
            Some("border") if p["pair"] == "KGZ-TJK" => {
                use geo::{Distance, Haversine};
                let Some(Geometry::MultiLineString(lines)) = &f.geometry else {
                    panic!("border is not lines")
                };
                for line in lines {
                    for seg in line.lines() {
                        kgz_tjk_km += Haversine.distance(seg.start.into(), seg.end.into()) / 1000.0;
                    }
                }
                assert_eq!(p["official_length_km"], 1006.84);
            }
            Some("enclave") => enclaves.push(p["name"].as_str().unwrap_or("").to_string()),
            _ => {}
        }
    }
    // The 2017 10 m data is generalised in the mountains: the README measures 893 km.
    assert!(
        (880.0..=905.0).contains(&kgz_tjk_km),
        "KGZ–TJK {kgz_tjk_km} km"
    );
    for name in ["Vorukh", "Sokh", "Shakhimardan", "Barak"] {
        assert!(
            enclaves.iter().any(|e| e == name),
            "{name} missing from {enclaves:?}"
        );
    }
}

#[test]
fn basemap_layers_are_attributed() {
    for path in [
        "assets/basemap/countries.geojson",
        "assets/basemap/lakes.geojson",
        "assets/basemap/provinces.geojson",
        "assets/basemap/places.geojson",
    ] {
        let l = layer(path);
        assert!(!l.features.is_empty(), "{path}");
        assert!(
            l.foreign.get("attribution").is_some_and(Value::is_string),
            "{path}"
        );
    }
    let places = layer("assets/basemap/places.geojson");
    assert_eq!(places.features.len(), 752);
}
