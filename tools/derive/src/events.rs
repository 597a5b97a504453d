//! The bundled EVENTS layer, `assets/events.geojson`.
//!
//! Inputs:
//! - `INPUT/events-factsheet.md`: the only fact source. The tool reads its gazetteer (key →
//!   coordinates, precision, estimated / not sourced, source), its W references, its source
//!   list (S id → URL, date) and its event headings (id, kind, the S ids and [Key]s each
//!   event's block mentions);
//! - `tools/derive/data/events.json`: a hand-made structured transcription of the fact
//!   sheet's events (titles, times, claims, which gazetteer keys to draw), checked here against
//!   the fact sheet: every event id, its kind, its source ids and its [Key]s must agree;
//! - `INPUT/places-central-asia.csv` (GeoNames) for cities, and
//!   `INPUT/countries-central-asia.geojson` to clip evacuation zones to Kyrgyzstan.
//!
//! Output: one GeoJSON Feature per event (Point / MultiPoint at its sites; evacuation zones as
//! (Multi)Polygons), properties as in DESIGN.md "the schema of a dated event".

mod claims;
mod factsheet;
mod geom;
mod sites;
mod time;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use geo::{Contains, MultiPolygon, Point};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use factsheet::{Coords, FactSheet, Place};

/// The event kinds the app knows.
pub const KINDS: [&str; 9] = [
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
const TIME_PRECISIONS: [&str; 4] = ["minute", "hour", "day", "days"];
const LOCATION_PRECISIONS: [&str; 5] = ["site", "settlement", "district", "region", "estimated"];
const CLAIM_SIDES: [&str; 4] = ["KG", "TJ", "independent", "media"];
const CLAIM_ABOUT: [&str; 3] = ["KG", "TJ", "both"];
/// The source data's box: every coordinate must be inside it unless marked otherwise.
const BOX_LON: (f64, f64) = (60.0, 82.0);
const BOX_LAT: (f64, f64) = (34.0, 46.0);

/// The fact sheet's kind text → the app's kind: the first kind it gives
/// ("clash/shelling" → clash, "shelling (Kyrgyz claim)" → shelling,
/// "casualty report" → casualty_report).
pub fn map_kind(text: &str) -> Result<&'static str, String> {
    let lower = text.to_lowercase();
    let first = lower
        .split(['/', '('])
        .next()
        .unwrap_or("")
        .trim()
        .replace([' ', '-'], "_");
    KINDS
        .iter()
        .copied()
        .find(|k| *k == first)
        .ok_or_else(|| format!("unknown event kind {text:?} (known: {})", KINDS.join(", ")))
}

// ---------------------------------------------------------------------------------------
// events.json

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    #[serde(default)]
    extra_sources: Vec<ExtraSource>,
    /// Gazetteer key → why the place is drawn in another country than the one the data
    /// states for it (applied wherever the key is drawn).
    #[serde(default)]
    side_notes: BTreeMap<String, String>,
    events: Vec<EventIn>,
}

/// A source the fact sheet does not list (the 18 Sep 2022 report).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtraSource {
    id: String,
    title: String,
    url: Option<String>,
    published: String,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    id: String,
    /// Set only for events that are not in the fact sheet: why the event exists.
    #[serde(default)]
    not_in_factsheet: Option<String>,
    title: String,
    kind: String,
    start: String,
    end: String,
    /// Offset (e.g. "+06:00") for day-only start/end values.
    #[serde(default)]
    clock: Option<String>,
    time_precision: String,
    /// The end's precision, where it differs from the start's.
    #[serde(default)]
    time_precision_end: Option<String>,
    time_note: String,
    #[serde(default)]
    side_of_account: Option<String>,
    place: String,
    location_precision: String,
    location_note: String,
    /// Forces `estimated: true` (e.g. the drawn site stands for an unlocated one).
    #[serde(default)]
    estimated: bool,
    sites: Vec<SiteIn>,
    #[serde(default)]
    not_drawn: Vec<NotDrawn>,
    #[serde(default)]
    evacuation: Option<EvacuationIn>,
    summary: String,
    claims: Vec<ClaimIn>,
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SiteIn {
    /// A gazetteer key with coordinates.
    Key(String),
    Spec(Box<SiteSpec>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSpec {
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    at: Option<At>,
    /// The site's own coordinates are unknown; `at` stands in for it.
    #[serde(default)]
    stand_in: bool,
    #[serde(default)]
    why: Option<String>,
    /// The country the data states for the named place ("KG", "TJ"), where the gazetteer
    /// row does not say (e.g. "the Kyrgyz Bulak-Bashy post").
    #[serde(default)]
    country: Option<String>,
    /// For a stand-in: what bounds the distance to the place it names.
    #[serde(default)]
    bound: Option<sites::BoundIn>,
    /// Why the site is drawn in another country than `country`.
    #[serde(default)]
    side_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum At {
    Gazetteer {
        gazetteer: String,
    },
    City {
        city: String,
        country: String,
    },
    Literal {
        lat: f64,
        lon: f64,
        source: String,
        #[serde(default)]
        outside_box: bool,
    },
}

#[derive(Debug, Deserialize, Serialize, Clone)]
#[serde(deny_unknown_fields)]
struct NotDrawn {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvacuationIn {
    buffer_km: f64,
    note: String,
    #[serde(default)]
    evacuated_to: Vec<SiteIn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimIn {
    by: String,
    side: String,
    /// Who relayed the claim when the claimant did not publish it itself (e.g. "R1").
    #[serde(default)]
    via: Option<String>,
    #[serde(default)]
    about: Option<String>,
    #[serde(default)]
    killed: Option<claims::FigureIn>,
    #[serde(default)]
    injured: Option<claims::FigureIn>,
    #[serde(default)]
    evacuated: Option<claims::FigureIn>,
    #[serde(default)]
    displaced: Option<claims::FigureIn>,
    /// The claim in words, when it is not (only) a number.
    #[serde(default)]
    account: Option<String>,
    /// The statement's date (YYYY-MM-DD) where the fact sheet gives it.
    #[serde(default)]
    statement_date: Option<String>,
    /// When `source_id` is unknown: the sources that may carry the claim (default: the
    /// event's sources).
    #[serde(default)]
    candidate_sources: Option<Vec<String>>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    source_id: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Output

#[derive(Debug, Serialize, Clone)]
struct SiteOut {
    name: String,
    key: Option<String>,
    lat: f64,
    lon: f64,
    precision: String,
    estimated: bool,
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_url: Option<String>,
    /// For a stand-in: the place whose coordinates are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    placed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// The country the data states for the named place ("KG", "TJ"), if it states one.
    country: Option<String>,
    /// The country whose 2017 polygon the drawn point lies in (null outside the data).
    drawn_in: Option<String>,
    /// Why `drawn_in` differs from `country`.
    #[serde(skip_serializing_if = "Option::is_none")]
    side_note: Option<String>,
    /// exact, village, town, city, district, region, country or none (see PROVENANCE.md).
    precision_class: String,
    /// The class's radius: the named place lies within it of the drawn point.
    radius_km: Option<f64>,
    /// The largest distance between the drawn point and the named place the data allows.
    offset_km: Option<f64>,
    /// How `offset_km` was found.
    offset_how: String,
    #[serde(skip)]
    outside_box: bool,
}

#[derive(Debug, Serialize, Clone)]
struct ClaimOut {
    by: String,
    side: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<String>,
    about: Option<String>,
    killed: Option<claims::FigureOut>,
    injured: Option<claims::FigureOut>,
    evacuated: Option<claims::FigureOut>,
    displaced: Option<claims::FigureOut>,
    account: Option<String>,
    reported: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reported_latest: Option<String>,
    reported_basis: String,
    note: Option<String>,
    source: Option<String>,
    source_id: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
struct SourceOut {
    id: String,
    title: String,
    url: Option<String>,
    published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
struct Props {
    id: String,
    title: String,
    kind: String,
    start: String,
    end: String,
    time_precision: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_precision_end: Option<String>,
    time_note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    side_of_account: Option<String>,
    place: String,
    location_precision: String,
    location_note: String,
    estimated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    approximate: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    drawn_how: Option<String>,
    sites: Vec<SiteOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evacuated_to: Vec<SiteOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    places_not_drawn: Vec<NotDrawn>,
    summary: String,
    claims: Vec<ClaimOut>,
    sources: Vec<SourceOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_in_factsheet: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
struct FeatureOut {
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    geometry: geom::GeometryOut,
    properties: Props,
}

#[derive(Debug, Serialize)]
struct CollectionOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: &'a [FeatureOut],
    /// After `features`, so streaming readers that start at the first `[` still work.
    attribution: &'static str,
}

/// The events layer's own attribution: its coordinates and its zones' clip polygons.
pub const ATTRIBUTION: &str = "Events: coordinates from GeoNames (CC BY 4.0) via the fact sheet's gazetteer and places-central-asia.csv, and from Wikipedia mirrors and airportsdata as the gazetteer names; evacuation zones clipped to © OpenStreetMap contributors (ODbL 1.0) 2017 polygons; each event's and claim's sources listed with it";

/// Clip polygons for evacuation zones: the country and the territory to cut out of it.
struct Clip {
    country: MultiPolygon<f64>,
    cut: Vec<MultiPolygon<f64>>,
    /// KGZ, TJK and UZB as polygons, to say which side of the 2017 line a site is drawn on.
    countries: sites::Countries,
}

// ---------------------------------------------------------------------------------------

/// Derives this module's layers from `input` into `output`; returns its PROVENANCE.md section.
pub fn run(input: &Path, output: &Path) -> Result<String, String> {
    let sheet_path = input.join("events-factsheet.md");
    let sheet_text = read(&sheet_path)?;
    let sheet = factsheet::parse_factsheet(&sheet_text, &sheet_path.display().to_string())?;

    let places_path = input.join("places-central-asia.csv");
    let places = factsheet::parse_places(&read(&places_path)?, &places_path.display().to_string())?;

    let countries_path = input.join("countries-central-asia.geojson");
    let countries_name = countries_path.display().to_string();
    let countries: Value = serde_json::from_str(&read(&countries_path)?)
        .map_err(|e| format!("{countries_name}: {e}"))?;
    let kgz = geom::country(&countries, "KGZ", &countries_name)?;
    let tjk = geom::country(&countries, "TJK", &countries_name)?;
    let uzb = geom::country(&countries, "UZB", &countries_name)?;
    let clip = Clip {
        countries: sites::Countries::new(&[("KG", &kgz), ("TJ", &tjk), ("UZ", &uzb)]),
        country: kgz.clone(),
        cut: vec![tjk.clone(), uzb.clone()],
    };

    let events_path = events_json_path();
    let events_name = events_path.display().to_string();
    let events: EventsFile =
        serde_json::from_str(&read(&events_path)?).map_err(|e| format!("{events_name}: {e}"))?;

    let features = derive(&sheet, &places, &clip, &events, &events_name)?;
    for f in &features {
        check_feature(f).map_err(|e| format!("refusing to write events.geojson: {e}"))?;
    }

    let collection = CollectionOut {
        kind: "FeatureCollection",
        features: &features,
        attribution: ATTRIBUTION,
    };
    let text = serde_json::to_string_pretty(&collection)
        .map_err(|e| format!("cannot serialise events.geojson: {e}"))?;
    std::fs::create_dir_all(output)
        .map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let out_path = output.join("events.geojson");
    std::fs::write(&out_path, text + "\n")
        .map_err(|e| format!("cannot write {}: {e}", out_path.display()))?;

    Ok(provenance(&features, &sheet))
}

fn events_json_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("events.json")
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// All sources an event may cite: the fact sheet's and events.json's extra ones.
fn source_table(
    sheet: &FactSheet,
    events: &EventsFile,
    file: &str,
) -> Result<BTreeMap<String, SourceOut>, String> {
    let mut table = BTreeMap::new();
    for s in sheet.sources.values() {
        table.insert(
            s.id.clone(),
            SourceOut {
                id: s.id.clone(),
                title: format!("{}, {}", domain(&s.url), s.published),
                url: Some(s.url.clone()),
                published: s.published.clone(),
                note: None,
            },
        );
    }
    for s in &events.extra_sources {
        if table.contains_key(&s.id) {
            return Err(format!(
                "{file}: extra source {} clashes with a fact-sheet source id",
                s.id
            ));
        }
        let note = match (&s.url, &s.note) {
            (Some(_), note) => note.clone(),
            (None, Some(note)) if note.contains("no address known") => Some(note.clone()),
            (None, _) => {
                return Err(format!(
                    "{file}: extra source {} has no url: its note must say \"no address known\"",
                    s.id
                ));
            }
        };
        table.insert(
            s.id.clone(),
            SourceOut {
                id: s.id.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
                published: s.published.clone(),
                note,
            },
        );
    }
    Ok(table)
}

/// "https://www.tass.com/world/1" → "tass.com".
fn domain(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// Builds and checks every feature. `file` names events.json in messages.
fn derive(
    sheet: &FactSheet,
    places: &[Place],
    clip: &Clip,
    events: &EventsFile,
    file: &str,
) -> Result<Vec<FeatureOut>, String> {
    let sources = source_table(sheet, events, file)?;
    let fact_events: BTreeMap<&str, &factsheet::FactEvent> =
        sheet.events.iter().map(|e| (e.id.as_str(), e)).collect();
    let extra: BTreeSet<&str> = events.extra_sources.iter().map(|s| s.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(events.events.len());
    for ev in &events.events {
        if !seen.insert(ev.id.as_str()) {
            return Err(format!("{file}: event {} appears twice", ev.id));
        }
        let feature = derive_event(ev, sheet, places, clip, &sources, &events.side_notes)
            .map_err(|e| format!("{file}: event {}: {e}", ev.id))?;
        match (fact_events.get(ev.id.as_str()), &ev.not_in_factsheet) {
            (Some(fe), None) => cross_check(ev, fe, &feature, &extra).map_err(|e| {
                format!(
                    "{file}: event {} disagrees with the fact sheet (line {}): {e}",
                    ev.id, fe.line
                )
            })?,
            (Some(_), Some(_)) => {
                return Err(format!(
                    "{file}: event {} is in the fact sheet but marked not_in_factsheet",
                    ev.id
                ));
            }
            (None, None) => {
                return Err(format!(
                    "{file}: event {} is not in the fact sheet (mark it \"not_in_factsheet\" with the reason if it is meant)",
                    ev.id
                ));
            }
            (None, Some(_)) => {}
        }
        out.push(feature);
    }
    let missing: Vec<&str> = sheet
        .events
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| !seen.contains(id))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{file}: fact-sheet events missing: {}",
            missing.join(", ")
        ));
    }
    Ok(out)
}

/// events.json must agree with the fact sheet's heading and block for the event.
fn cross_check(
    ev: &EventIn,
    fe: &factsheet::FactEvent,
    feature: &FeatureOut,
    extra: &BTreeSet<&str>,
) -> Result<(), String> {
    let kind = map_kind(&fe.kind_text)?;
    if kind != ev.kind {
        return Err(format!(
            "kind is {:?}, the fact sheet's {:?} maps to {kind:?}",
            ev.kind, fe.kind_text
        ));
    }
    // Sources that are not the fact sheet's (the 18 Sep 2022 report) are checked elsewhere.
    let ours: BTreeSet<String> = ev
        .sources
        .iter()
        .filter(|id| !extra.contains(id.as_str()))
        .cloned()
        .collect();
    if ours != fe.source_ids {
        let extra: Vec<&String> = ours.difference(&fe.source_ids).collect();
        let missing: Vec<&String> = fe.source_ids.difference(&ours).collect();
        return Err(format!(
            "sources differ: not in the fact sheet's block {extra:?}, missing {missing:?}"
        ));
    }
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    let props = &feature.properties;
    for s in props.sites.iter().chain(props.evacuated_to.iter()) {
        if let Some(k) = &s.key {
            keys.insert(k);
        }
    }
    for n in &props.places_not_drawn {
        if let Some(k) = &n.key {
            keys.insert(k);
        }
    }
    let missing: Vec<&String> = fe
        .keys
        .iter()
        .filter(|k| !keys.contains(k.as_str()))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the fact sheet names {missing:?} for this event; list them in sites, evacuated_to or not_drawn"
        ));
    }
    Ok(())
}

fn derive_event(
    ev: &EventIn,
    sheet: &FactSheet,
    places: &[Place],
    clip: &Clip,
    sources: &BTreeMap<String, SourceOut>,
    side_notes: &BTreeMap<String, String>,
) -> Result<FeatureOut, String> {
    if !KINDS.contains(&ev.kind.as_str()) {
        return Err(format!(
            "unknown kind {:?} (known: {})",
            ev.kind,
            KINDS.join(", ")
        ));
    }
    let (start, end) = time::parse_span(&ev.start, &ev.end, ev.clock.as_deref())?;
    // The start's date in its own clock: no claim may be reported before it.
    let start_date: jiff::civil::Date = start.text[..10]
        .parse()
        .map_err(|e| format!("start {}: {e}", start.text))?;
    if !TIME_PRECISIONS.contains(&ev.time_precision.as_str()) {
        return Err(format!(
            "time_precision {:?} is not one of {}",
            ev.time_precision,
            TIME_PRECISIONS.join(", ")
        ));
    }
    // A day-only end after a start with an hour: the end's precision is its own.
    let end_day_only = ev.end.trim().len() == 10;
    let start_has_time = matches!(ev.time_precision.as_str(), "minute" | "hour");
    match &ev.time_precision_end {
        None if end_day_only && start_has_time => {
            return Err(format!(
                "the end {:?} is a day but time_precision is {:?}: give time_precision_end",
                ev.end, ev.time_precision
            ));
        }
        None => {}
        Some(p) if !TIME_PRECISIONS.contains(&p.as_str()) => {
            return Err(format!(
                "time_precision_end {p:?} is not one of {}",
                TIME_PRECISIONS.join(", ")
            ));
        }
        Some(p) if *p == ev.time_precision => {
            return Err(format!(
                "time_precision_end {p:?} equals time_precision: leave it out"
            ));
        }
        Some(_) => {}
    }
    if !LOCATION_PRECISIONS.contains(&ev.location_precision.as_str()) {
        return Err(format!(
            "location_precision {:?} is not one of {}",
            ev.location_precision,
            LOCATION_PRECISIONS.join(", ")
        ));
    }
    if let Some(side) = &ev.side_of_account
        && side != "KG"
        && side != "TJ"
    {
        return Err(format!("side_of_account {side:?} is not KG or TJ"));
    }
    for (name, text) in [
        ("title", &ev.title),
        ("summary", &ev.summary),
        ("place", &ev.place),
    ] {
        if text.trim().is_empty() {
            return Err(format!("empty {name}"));
        }
    }

    // Sources
    if ev.sources.is_empty() {
        return Err("no sources".into());
    }
    let mut source_out = Vec::with_capacity(ev.sources.len());
    for id in &ev.sources {
        let s = sources.get(id).ok_or_else(|| {
            format!("source id {id} is not in the fact sheet's source list (nor in extra_sources)")
        })?;
        if source_out.iter().any(|o: &SourceOut| &o.id == id) {
            return Err(format!("source {id} listed twice"));
        }
        source_out.push(s.clone());
    }

    // Claims
    let mut claims = Vec::with_capacity(ev.claims.len());
    for (i, c) in ev.claims.iter().enumerate() {
        let n = i + 1;
        if !CLAIM_SIDES.contains(&c.side.as_str()) {
            return Err(format!(
                "claim {n}: side {:?} is not one of {}",
                c.side,
                CLAIM_SIDES.join(", ")
            ));
        }
        if let Some(a) = &c.about
            && !CLAIM_ABOUT.contains(&a.as_str())
        {
            return Err(format!(
                "claim {n}: about {a:?} is not one of {}",
                CLAIM_ABOUT.join(", ")
            ));
        }
        let fig = |name: &str, f: &Option<claims::FigureIn>| {
            f.as_ref()
                .map(claims::figure)
                .transpose()
                .map_err(|e| format!("claim {n} ({}): {name}: {e}", c.by))
        };
        let killed = fig("killed", &c.killed)?;
        let injured = fig("injured", &c.injured)?;
        let evacuated = fig("evacuated", &c.evacuated)?;
        let displaced = fig("displaced", &c.displaced)?;
        let figures: Vec<&claims::FigureOut> = [&killed, &injured, &evacuated, &displaced]
            .into_iter()
            .flatten()
            .collect();
        let account = c
            .account
            .as_ref()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        if figures.is_empty() && account.is_none() {
            return Err(format!(
                "claim {n} ({}) has no figure and no account: a note is not a claim",
                c.by
            ));
        }
        if let Some(note) = &c.note
            && let Some(word) = claims::lost_qualifier(note, figures.iter().copied())
        {
            return Err(format!(
                "claim {n} ({}): the note says {word:?} but every figure is exact; give the figure its qualifier",
                c.by
            ));
        }
        if let Some(v) = &c.via
            && !sources.contains_key(v)
        {
            return Err(format!("claim {n}: via {v} is not a known source id"));
        }
        let source = match &c.source_id {
            None => None,
            Some(id) => {
                let s = sources.get(id).ok_or_else(|| {
                    format!("claim {n}: source id {id} is not in the fact sheet's source list")
                })?;
                if !ev.sources.contains(id) {
                    return Err(format!(
                        "claim {n}: source {id} is not among the event's sources"
                    ));
                }
                Some(s)
            }
        };
        if c.source_id.is_some() && c.candidate_sources.is_some() {
            return Err(format!(
                "claim {n}: candidate_sources is for claims without a source_id"
            ));
        }
        let candidate_ids: Vec<&String> = match &c.candidate_sources {
            Some(ids) => ids.iter().collect(),
            None => ev.sources.iter().collect(),
        };
        let mut candidates = Vec::with_capacity(candidate_ids.len());
        for id in candidate_ids {
            if !ev.sources.contains(id) {
                return Err(format!(
                    "claim {n}: candidate source {id} is not among the event's sources"
                ));
            }
            let s = sources
                .get(id)
                .ok_or_else(|| format!("claim {n}: candidate source {id} is unknown"))?;
            candidates.push((s.id.as_str(), s.published.as_str()));
        }
        let rep = claims::reported(
            c.statement_date.as_deref(),
            source.map(|s| (s.id.as_str(), s.published.as_str())),
            &candidates,
            start_date,
        )
        .map_err(|e| format!("claim {n} ({}): {e}", c.by))?;
        claims.push(ClaimOut {
            by: c.by.clone(),
            side: c.side.clone(),
            via: c.via.clone(),
            about: c.about.clone(),
            killed,
            injured,
            evacuated,
            displaced,
            account,
            reported: rep.reported,
            reported_latest: rep.latest,
            reported_basis: rep.basis.to_string(),
            note: c.note.clone(),
            source: source.and_then(|s| s.url.clone()),
            source_id: c.source_id.clone(),
        });
    }

    // Places
    if ev.sites.is_empty() {
        return Err("no sites: every event needs a place to be drawn".into());
    }
    let place = |s: &SiteIn| -> Result<SiteOut, String> {
        let mut out = resolve_site(s, sheet, places)?;
        place_site(&mut out, s, sheet, clip, side_notes)?;
        Ok(out)
    };
    let sites = ev.sites.iter().map(place).collect::<Result<Vec<_>, _>>()?;
    for s in &sites {
        let finest = sites::finest_label(&s.precision_class);
        if sites::label_rank(&ev.location_precision) < sites::label_rank(finest) {
            return Err(format!(
                "location_precision {:?} claims more than site {} allows: it is drawn {} (class {}), so the event can be at best {finest:?}",
                ev.location_precision,
                s.name,
                s.offset_km
                    .map_or("with no bound on where it is".to_string(), |d| format!(
                        "up to {d} km from it"
                    )),
                s.precision_class
            ));
        }
    }
    let evacuated_to = match &ev.evacuation {
        Some(e) => e
            .evacuated_to
            .iter()
            .map(place)
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    for n in &ev.not_drawn {
        if let Some(k) = &n.key
            && !sheet.gazetteer.contains_key(k)
        {
            return Err(format!(
                "not_drawn key {k} is not in the fact sheet's gazetteer"
            ));
        }
    }

    // Geometry
    let points: Vec<(f64, f64)> = sites.iter().map(|s| (s.lon, s.lat)).collect();
    let (geometry, approximate, drawn_how) = match (&ev.evacuation, ev.kind.as_str()) {
        (Some(e), "evacuation") => {
            if !(e.buffer_km > 0.0 && e.buffer_km <= 50.0) {
                return Err(format!(
                    "evacuation buffer_km {} is not in (0, 50]",
                    e.buffer_km
                ));
            }
            let cut: Vec<&MultiPolygon<f64>> = clip.cut.iter().collect();
            let zone = geom::buffer_and_clip(&points, e.buffer_km, &clip.country, &cut);
            let geometry = geom::multipolygon_json(&zone)
                .ok_or("the evacuation zone is empty after clipping to Kyrgyzstan")?;
            let outside: Vec<&str> = sites
                .iter()
                .filter(|s| !zone.contains(&Point::new(s.lon, s.lat)))
                .map(|s| s.name.as_str())
                .collect();
            let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
            let mut how = format!(
                "union of {} km buffers around the Kyrgyz villages/towns {}, clipped to Kyrgyzstan (2017 OSM line) with Tajik and Uzbek territory (the enclaves) cut out; about {:.0} km². {}",
                e.buffer_km,
                names.join(", "),
                geom::area_km2(&zone),
                e.note
            );
            if !outside.is_empty() {
                how.push_str(&format!(
                    " {} lies outside Kyrgyzstan on the 2017 line, so only the part of its buffer inside Kyrgyzstan is kept.",
                    outside.join(", ")
                ));
            }
            (geometry, Some(true), Some(how))
        }
        (Some(_), other) => return Err(format!("an evacuation block on a {other} event")),
        (None, "evacuation") => {
            return Err("an evacuation event needs an evacuation block (buffer_km, note)".into());
        }
        (None, _) => (geom::points_json(&points).ok_or("no points")?, None, None),
    };

    let estimated = ev.estimated || approximate.is_some() || sites.iter().any(|s| s.estimated);

    Ok(FeatureOut {
        kind: "Feature",
        id: ev.id.clone(),
        geometry,
        properties: Props {
            id: ev.id.clone(),
            title: ev.title.clone(),
            kind: ev.kind.clone(),
            start: start.text,
            end: end.text,
            time_precision: ev.time_precision.clone(),
            time_precision_end: ev.time_precision_end.clone(),
            time_note: ev.time_note.clone(),
            side_of_account: ev.side_of_account.clone(),
            place: ev.place.clone(),
            location_precision: ev.location_precision.clone(),
            location_note: ev.location_note.clone(),
            estimated,
            approximate,
            drawn_how,
            sites,
            evacuated_to,
            places_not_drawn: ev.not_drawn.clone(),
            summary: ev.summary.clone(),
            claims,
            sources: source_out,
            not_in_factsheet: ev.not_in_factsheet.clone(),
        },
    })
}

fn gaz_source_url(sheet: &FactSheet, source: &str) -> Option<String> {
    let first = source.split_whitespace().next()?;
    sheet.wrefs.get(first).cloned()
}

/// A gazetteer entry with coordinates → a site (estimated when the fact sheet says so).
fn gazetteer_site(sheet: &FactSheet, key: &str) -> Result<SiteOut, String> {
    let g = sheet
        .gazetteer
        .get(key)
        .ok_or_else(|| format!("gazetteer key {key} is not in the fact sheet's gazetteer"))?;
    let (lat, lon, estimated, note) = match &g.coords {
        Coords::Sourced { lat, lon } => (*lat, *lon, false, None),
        Coords::Estimated { lat, lon, note } => {
            (*lat, *lon, true, Some(format!("estimated: {note}")))
        }
        Coords::NotSourced { .. } => {
            return Err(format!(
                "gazetteer key {key} has no sourced coordinates (fact sheet line {}); give the site an \"at\" stand-in",
                g.line
            ));
        }
    };
    Ok(SiteOut {
        name: g.name.clone(),
        key: Some(key.to_string()),
        lat,
        lon,
        precision: g.precision.clone(),
        estimated,
        source: g.source.clone(),
        source_url: gaz_source_url(sheet, &g.source),
        placed_at: None,
        note,
        country: g.country.clone(),
        drawn_in: None,
        side_note: None,
        precision_class: String::new(),
        radius_km: None,
        offset_km: None,
        offset_how: String::new(),
        outside_box: false,
    })
}

fn resolve_site(site: &SiteIn, sheet: &FactSheet, places: &[Place]) -> Result<SiteOut, String> {
    let out = match site {
        SiteIn::Key(key) => gazetteer_site(sheet, key)?,
        SiteIn::Spec(spec) => {
            if let Some(k) = &spec.key
                && !sheet.gazetteer.contains_key(k)
            {
                return Err(format!(
                    "gazetteer key {k} is not in the fact sheet's gazetteer"
                ));
            }
            match &spec.at {
                None => {
                    let key = spec
                        .key
                        .as_deref()
                        .ok_or("a site needs a gazetteer key or \"at\"")?;
                    if spec.stand_in {
                        return Err(format!("site {key}: stand_in without \"at\""));
                    }
                    let mut s = gazetteer_site(sheet, key)?;
                    if let Some(n) = &spec.name {
                        s.name = n.clone();
                    }
                    if spec.country.is_some() {
                        s.country = spec.country.clone();
                    }
                    s
                }
                Some(at) => {
                    if let Some(k) = &spec.key {
                        if !spec.stand_in {
                            return Err(format!(
                                "site {k}: a gazetteer key with \"at\" must be a stand_in"
                            ));
                        }
                        if let Some(g) = sheet.gazetteer.get(k)
                            && matches!(g.coords, Coords::Sourced { .. })
                        {
                            return Err(format!(
                                "site {k} has sourced coordinates; do not give it a stand-in"
                            ));
                        }
                    }
                    let mut s = resolve_at(at, sheet, places)?;
                    let at_name = s.name.clone();
                    s.key = spec.key.clone();
                    if let Some(n) = &spec.name {
                        s.name = n.clone();
                    } else if let Some(k) = &spec.key
                        && let Some(g) = sheet.gazetteer.get(k)
                    {
                        s.name = g.name.clone();
                    }
                    if spec.stand_in {
                        let why = spec
                            .why
                            .as_deref()
                            .filter(|w| !w.trim().is_empty())
                            .ok_or_else(|| format!("stand-in site {} needs a \"why\"", s.name))?;
                        s.estimated = true;
                        s.precision = "estimated".into();
                        s.placed_at = Some(at_name);
                        s.note = Some(why.to_string());
                        // The named place's country, not the stand-in's.
                        s.country = spec.country.clone().or_else(|| {
                            spec.key
                                .as_ref()
                                .and_then(|k| sheet.gazetteer.get(k))
                                .and_then(|g| g.country.clone())
                        });
                    } else if let Some(w) = &spec.why {
                        s.note = Some(w.clone());
                    }
                    s
                }
            }
        }
    };
    if !out.outside_box && !in_box(out.lon, out.lat) {
        return Err(format!(
            "site {} at ({}, {}) is outside the data box 60–82 E, 34–46 N",
            out.name, out.lat, out.lon
        ));
    }
    Ok(out)
}

/// Says which country's 2017 polygon the site is drawn in (a note is needed where that is
/// not the country the data states for it), and its precision class: how far the drawn
/// point can be from the place it names.
fn place_site(
    s: &mut SiteOut,
    input: &SiteIn,
    sheet: &FactSheet,
    clip: &Clip,
    side_notes: &BTreeMap<String, String>,
) -> Result<(), String> {
    let spec = match input {
        SiteIn::Spec(spec) => Some(spec.as_ref()),
        SiteIn::Key(_) => None,
    };
    let here = geo::Coord { x: s.lon, y: s.lat };

    // Side of the 2017 line.
    let drawn = clip.countries.at(s.lon, s.lat);
    s.drawn_in = drawn.map(|(iso, _)| iso.to_string());
    let given_note = spec.and_then(|sp| sp.side_note.clone()).or_else(|| {
        s.key
            .as_ref()
            .filter(|_| spec.is_none_or(|sp| !sp.stand_in))
            .and_then(|k| side_notes.get(k).cloned())
    });
    match (&s.country, drawn) {
        (Some(stated), Some((iso, poly))) if stated != iso => {
            let note = given_note.ok_or_else(|| {
                format!(
                    "site {} is stated to be in {stated} but is drawn in {iso} on the 2017 line: add a side note saying why",
                    s.name
                )
            })?;
            let km = sites::km_to_outline(poly, here);
            s.side_note = Some(format!(
                "{note} Drawn {km:.2} km inside {} on the 2017 line.",
                sites::country_name(iso)
            ));
        }
        _ => {
            if given_note.is_some() && spec.is_some_and(|sp| sp.side_note.is_some()) {
                return Err(format!(
                    "site {} has a side note but is drawn in the country stated for it",
                    s.name
                ));
            }
        }
    }

    // Precision class.
    let stand_in = spec.is_some_and(|sp| sp.stand_in);
    let (class, radius, offset, how): (String, Option<f64>, Option<f64>, String) = if stand_in {
        let bound = spec.and_then(|sp| sp.bound.as_ref()).ok_or_else(|| {
            format!(
                "stand-in site {} needs a \"bound\": how far can it be from the place it names?",
                s.name
            )
        })?;
        match bound {
            sites::BoundIn::None { none } => ("none".into(), None, None, none.clone()),
            sites::BoundIn::Farthest { farthest_of, why } => {
                let mut d = 0.0_f64;
                let mut names = Vec::new();
                for k in farthest_of {
                    let g = gazetteer_site(sheet, k)?;
                    d = d.max(sites::haversine_km(here, geo::Coord { x: g.lon, y: g.lat }));
                    names.push(g.name);
                }
                let d = geom_round2(d);
                let (class, r) = sites::class_for(d).ok_or_else(|| {
                    format!("site {}: {d} km is beyond every class radius", s.name)
                })?;
                (
                    class.into(),
                    Some(r),
                    Some(d),
                    format!(
                        "{why}; at most {d} km, the distance to {}",
                        names.join(", ")
                    ),
                )
            }
            sites::BoundIn::Polygon { polygon_at, why } => {
                let g = gazetteer_site(sheet, polygon_at)?;
                let (iso, poly) = clip.countries.at(g.lon, g.lat).ok_or_else(|| {
                    format!("site {}: {polygon_at} lies in no country polygon", s.name)
                })?;
                let d = geom_round2(sites::farthest_km(poly, here));
                let (class, r) = sites::class_for(d).ok_or_else(|| {
                    format!("site {}: {d} km is beyond every class radius", s.name)
                })?;
                (
                    class.into(),
                    Some(r),
                    Some(d),
                    format!(
                        "{why}; at most {d} km, the farthest point of the {} polygon around {} (2017 line)",
                        sites::country_name(iso),
                        g.name
                    ),
                )
            }
            sites::BoundIn::Country { country, why } => {
                let d = clip
                    .countries
                    .farthest_km(country, here)
                    .ok_or_else(|| format!("site {}: no polygon for {country}", s.name))?;
                let d = geom_round2(d);
                (
                    "country".into(),
                    Some(d.ceil()),
                    Some(d),
                    format!(
                        "{why}; at most {d} km, the farthest point of {} (2017 polygons)",
                        sites::country_name(country)
                    ),
                )
            }
        }
    } else if let Some(km) = sites::plus_minus_km(&s.precision) {
        let (class, r) = sites::class_for(km)
            .ok_or_else(|| format!("site {}: ±{km} km is beyond every class", s.name))?;
        (
            class.into(),
            Some(r),
            Some(km),
            format!("estimated: the fact sheet gives ±{km} km"),
        )
    } else {
        let class = sites::own_class(&s.precision).ok_or_else(|| {
            format!(
                "site {}: precision {:?} has no precision class",
                s.name, s.precision
            )
        })?;
        (
            class.into(),
            sites::radius_of(class),
            Some(0.0),
            format!(
                "drawn at its own coordinates ({}); the radius is the extent of a {}",
                s.source, s.precision
            ),
        )
    };
    if let (Some(o), Some(r)) = (offset, radius)
        && o > r
    {
        return Err(format!(
            "site {}: {o} km exceeds its class {class} ({r} km)",
            s.name
        ));
    }
    s.precision_class = class;
    s.radius_km = radius;
    s.offset_km = offset;
    s.offset_how = how;
    Ok(())
}

fn geom_round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn resolve_at(at: &At, sheet: &FactSheet, places: &[Place]) -> Result<SiteOut, String> {
    match at {
        At::Gazetteer { gazetteer } => gazetteer_site(sheet, gazetteer),
        At::City { city, country } => {
            let found: Vec<&Place> = places
                .iter()
                .filter(|p| &p.name == city && &p.country == country)
                .collect();
            let p = match found.as_slice() {
                [one] => *one,
                [] => {
                    return Err(format!(
                        "city {city} ({country}) is not in places-central-asia.csv"
                    ));
                }
                _ => {
                    return Err(format!(
                        "city {city} ({country}) is ambiguous in places-central-asia.csv"
                    ));
                }
            };
            let admin = if p.admin1.is_empty() {
                String::new()
            } else {
                format!(", {}", p.admin1)
            };
            Ok(SiteOut {
                name: p.name.clone(),
                key: None,
                lat: p.lat,
                lon: p.lon,
                precision: "city".into(),
                estimated: false,
                source: format!(
                    "GeoNames cities1000 via places-central-asia.csv ({}{admin}, {})",
                    p.name, p.country
                ),
                source_url: None,
                placed_at: None,
                note: None,
                country: Some(p.country.clone()),
                drawn_in: None,
                side_note: None,
                precision_class: String::new(),
                radius_km: None,
                offset_km: None,
                offset_how: String::new(),
                outside_box: false,
            })
        }
        At::Literal {
            lat,
            lon,
            source,
            outside_box,
        } => {
            if !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon) {
                return Err(format!("coordinates ({lat}, {lon}) out of range"));
            }
            Ok(SiteOut {
                name: source.clone(),
                key: None,
                lat: *lat,
                lon: *lon,
                precision: "city centre".into(),
                estimated: false,
                source: source.clone(),
                source_url: None,
                placed_at: None,
                note: None,
                country: None,
                drawn_in: None,
                side_note: None,
                precision_class: String::new(),
                radius_km: None,
                offset_km: None,
                offset_how: String::new(),
                outside_box: *outside_box,
            })
        }
    }
}

/// The last gate before writing: every feature has sources, a known kind, end >= start,
/// a geometry and coordinates in the data box (unless a site is explicitly outside it).
fn check_feature(f: &FeatureOut) -> Result<(), String> {
    let p = &f.properties;
    if p.sources.is_empty() {
        return Err(format!("event {} has no sources", p.id));
    }
    if !KINDS.contains(&p.kind.as_str()) {
        return Err(format!("event {} has unknown kind {:?}", p.id, p.kind));
    }
    let start = time::parse_instant(&p.start, false, None)
        .map_err(|e| format!("event {}: start: {e}", p.id))?;
    let end =
        time::parse_instant(&p.end, true, None).map_err(|e| format!("event {}: end: {e}", p.id))?;
    time::check_order(&start, &end).map_err(|e| format!("event {}: {e}", p.id))?;
    let outside_ok = p.sites.iter().any(|s| s.outside_box);
    let mut coords = Vec::new();
    collect_positions(&f.geometry.coordinates, &mut coords);
    if coords.is_empty() {
        return Err(format!("event {} has no geometry", p.id));
    }
    for (lon, lat) in coords {
        let inside = in_box(lon, lat);
        if !inside && !outside_ok {
            return Err(format!(
                "event {}: position [{lon}, {lat}] is outside 60–82 E, 34–46 N",
                p.id
            ));
        }
    }
    Ok(())
}

fn in_box(lon: f64, lat: f64) -> bool {
    (BOX_LON.0..=BOX_LON.1).contains(&lon) && (BOX_LAT.0..=BOX_LAT.1).contains(&lat)
}

fn collect_positions(v: &Value, out: &mut Vec<(f64, f64)>) {
    if let Some(arr) = v.as_array() {
        if let [Value::Number(x), Value::Number(y), ..] = arr.as_slice()
            && let (Some(x), Some(y)) = (x.as_f64(), y.as_f64())
        {
            out.push((x, y));
            return;
        }
        for item in arr {
            collect_positions(item, out);
        }
    }
}

/// The claim schema, as PROVENANCE.md documents it.
const CLAIM_SCHEMA: &str = "\n### What a claim holds\n\n\
Each body's claim is kept separate, in the order given, never merged or summed. A claim holds figures, \
an account in words, or both; a note alone is not a claim (the tool refuses one).\n\n\
| member | what |\n\
| --- | --- |\n\
| `by` | who makes the claim, as named (\"Kyrgyz health ministry\", \"Kyrgyzstan\") |\n\
| `side` | `KG`, `TJ`, `independent` or `media`: the claimant's side. A country's claim relayed by a report is the country's |\n\
| `via` | optional: the source id of whoever relayed the claim (`R1` for the 18 Sep 2022 report, `S44` for the BBC via republicworld) |\n\
| `about` | whose losses it counts: `KG`, `TJ`, `both` or null |\n\
| `killed`, `injured`, `evacuated`, `displaced` | a figure or null. A figure is `{\"value\": 100, \"qualifier\": \"more_than\"}` with qualifier `exact`, `at_least` (≥), `more_than` (>), `about` (≈) or `up_to` (≤); or, where the source gave only parts, `{\"breakdown\": [{\"group\": \"servicemen\", \"value\": 2, \"qualifier\": \"exact\"}, ...]}` with no total. The app sizes markers by the lower bound (the value; 0 for `up_to`; a breakdown's disjoint groups together) and never shows a sum as a figure |\n\
| `account` | the claim in words, or null (\"wounded on both sides\", \"Tajik forces fired on civilians' cars.\") |\n\
| `reported` | when the claim was reported, ISO 8601 at the precision known (`2022-09-18`, `2022-09`, `2021`) |\n\
| `reported_latest` | only when the claim's source is not pinned down and its candidate sources' dates differ: the latest; `reported` is then the earliest |\n\
| `reported_basis` | `statement` (the statement's date, where the fact sheet gives it), `published` (its source's publication date) or `candidates` (the sources the fact sheet cites for the event, or those listed for the claim, when it does not say which carries it) |\n\
| `note` | anything else, in words; a note may not qualify an exact figure (the tool refuses \"more than\", \"at least\", \"about\", \"up to\", \"lower bound\", \"over\" in the note of a claim whose figures are all exact) |\n\
| `source`, `source_id` | the source's address and id; `source` is null when the fact sheet does not say which source carries the claim, or when the source has no known address (R1: its headline and date are in the event's `sources`, with `note` \"no address known\") |\n\n\
No claim is reported before its event starts (the last day of `reported`'s period is on or after the start's date in the event's clock); a statement's date is never after its source's publication. Old-style files with plain numbers (`\"killed\": 5`) are read by the app as exact figures.\n\n";

/// The sites part of PROVENANCE.md: precision classes and the sides of the 2017 line.
fn site_section(features: &[FeatureOut]) -> String {
    let mut s = String::from("### Where each site is drawn\n\n");
    s.push_str(
        "Every site (and `evacuated_to` place) carries `country` (the country the data states for the place it \
         names: the gazetteer's \"(KG)\"/\"(TJ)\", the CSV's country code, or the event's words for a stand-in; \
         null when the data states none), `drawn_in` (the country whose 2017 polygon in \
         `countries-central-asia.geojson` contains the drawn point; the smallest polygon wins, since an enclave's \
         host has no hole for it; null outside the data), and where they differ a `side_note` saying why, with the \
         distance inside the other country. The tool refuses a difference without a note. The 2017 10 m line is \
         generalised, so a true position can fall on the wrong side of it.\n\n",
    );
    let mut seen = BTreeSet::new();
    for f in features {
        for site in &f.properties.sites {
            if let Some(n) = &site.side_note
                && seen.insert(site.name.clone())
            {
                s.push_str(&format!("- {}: {n}\n", site.name));
            }
        }
    }
    s.push_str(
        "\nPrecision classes: `precision_class` and `radius_km` say within what distance of the drawn point the \
         named place lies; `offset_km` is the largest distance between the drawn point and the named place that \
         the data allows, and `offset_how` how it was found. The tool refuses a site whose `offset_km` exceeds its \
         radius, and an event whose `location_precision` is finer than its sites' classes allow (exact → site; \
         village, town, city → settlement; district → district; region → region; country, none → estimated).\n\n\
         | class | radius | used for |\n\
         | --- | ---: | --- |\n\
         | exact | 0.5 km | a site drawn at its own coordinates (the airport) |\n\
         | village | 2 km | a village drawn at its own sourced coordinates (its extent) |\n\
         | town | 5 km | a town or jamoat drawn at its centre; an estimate of ±3 to ±5 km |\n\
         | city | 15 km | a city drawn at its GeoNames point; any bound up to 15 km (the Vorukh exclave's farthest point) |\n\
         | district | 25 km | a bound up to 25 km |\n\
         | region | 150 km | a bound up to 150 km (Eki-Tash, somewhere on the road from Batken to Isfana) |\n\
         | country | computed | only the country is known: the distance to its farthest vertex (rounded up) |\n\
         | none | — | the point stands for no place (a report, a phone call, a ceasefire along the border) |\n\n\
         A stand-in must say in events.json what bounds it (`bound`: the farthest of some gazetteer places, the \
         polygon around a gazetteer place, a country, or none).\n\n",
    );
    let mut rows = String::new();
    for f in features {
        for site in &f.properties.sites {
            if site.placed_at.is_some() || site.precision_class != "village" {
                rows.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} |\n",
                    f.properties.id,
                    site.name,
                    site.precision_class,
                    site.radius_km.map_or("—".into(), |r| format!("{r} km")),
                    site.offset_km.map_or("—".into(), |o| format!("{o} km")),
                ));
            }
        }
    }
    s.push_str("Sites other than villages drawn at their own coordinates:\n\n| event | site | class | radius | offset |\n| --- | --- | --- | ---: | ---: |\n");
    s.push_str(&rows);
    s.push('\n');
    s
}

/// The events section of assets/PROVENANCE.md.
fn provenance(features: &[FeatureOut], sheet: &FactSheet) -> String {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for f in features {
        *by_kind.entry(f.properties.kind.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = KINDS
        .iter()
        .filter_map(|k| by_kind.get(k).map(|n| format!("{k} {n}")))
        .collect();
    let mut s = String::new();
    s.push_str("## Events: `events.geojson`\n\n");
    s.push_str(&format!(
        "{} dated events of the Kyrgyz–Tajik border conflict, 2021–2025: {}.\n\n",
        features.len(),
        counts.join(", ")
    ));
    s.push_str(&format!(
        "- **Source**: `events-factsheet.md` ({} events, {} sources S1–S{}, compiled from public news and reports; \
         cite the sources each event names), transcribed by hand into `tools/derive/data/events.json`. \
         The tool checks that transcription against the fact sheet (every event id, its kind, the source ids \
         and gazetteer keys its block mentions) and takes coordinates and source addresses from the fact sheet itself.\n",
        sheet.events.len(),
        sheet.sources.len(),
        sheet.sources.len()
    ));
    s.push_str(
        "- One extra event, `e2022-09-18-report`, holds the figures of the report the project starts from \
         (\"Kyrgyzstan-Tajikistan border conflict: Putin calls for de-escalation as death toll nears 100\", \
         18 Sep 2022, quoted in `data/README.md`; no URL known). Its 102 injured differs from the Kyrgyz \
         health ministry's 144 in the fact sheet and was not found elsewhere.\n",
    );
    s.push_str(
        "- **Coordinates**: the fact sheet's gazetteer (GeoNames, CC BY 4.0; Wikipedia and mirrors; \
         airportsdata), cities from `places-central-asia.csv` (GeoNames cities1000, CC BY 4.0), and Moscow's \
         city centre (not in the source data). Evacuation zones are clipped to the 2017 country polygons \
         of `countries-central-asia.geojson` (© OpenStreetMap contributors, ODbL 1.0).\n",
    );
    s.push_str(
        "- **Times**: RFC 3339 with the offset the source used (KG +06:00, TJ +05:00, Moscow +03:00, \
         Samarkand +05:00). Day-only events run from 00:00:00 to 23:59:59 local time; `time_note` says \
         which clock and account. `time_precision` is that of the start; where the end is known less \
         precisely (a day-only end after a start with an hour, or \"about 16:00\"), `time_precision_end` \
         gives the end's own. The tool refuses a day-only end after a start with an hour without it.\n",
    );
    s.push_str(&format!(
        "- **Attribution**: the file carries a top-level `attribution` member (after `features`): \"{ATTRIBUTION}\".\n"
    ));
    s.push_str(CLAIM_SCHEMA);
    s.push_str(&site_section(features));
    s.push_str("Evacuation zones (approximate):\n\n");
    for f in features
        .iter()
        .filter(|f| f.properties.approximate == Some(true))
    {
        s.push_str(&format!(
            "- `{}`: {}\n",
            f.properties.id,
            f.properties.drawn_how.as_deref().unwrap_or("")
        ));
    }
    s.push_str("\nEvents not drawn at a sourced spot (`estimated: true`):\n\n");
    for f in features
        .iter()
        .filter(|f| f.properties.estimated && f.properties.approximate.is_none())
    {
        s.push_str(&format!(
            "- `{}`: {}\n",
            f.properties.id, f.properties.location_note
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "## G. Gazetteer\n\n\
| key | names / variants | lat, lon | precision | source |\n\
|---|---|---|---|---|\n\
| Batken | Batken, Batkent (KG) | 40.0604, 70.8193 | town | GN 1528735 |\n\
| Golovnoi | Golovnoi intake | **estimated** 39.950, 70.536 (taken from KokTash) | ±3 km | S1 |\n\
| BulakBashy | Bulak-Bashy | **not sourced** | — | two villages share the name |\n\
\n## 1. Events\n\n\
**e1** — clash/shelling.\n\
- Where: [Golovnoi].\n\
- Sources: S1, S2.\n\n\
**e2** — ceasefire.\n\
- Source: S2.\n\n\
## S. Sources\n\n\
- S1 https://www.example.org/a — 2021\n\
- S2 https://example.com/b — 1 May 2021\n";

    fn sheet() -> FactSheet {
        factsheet::parse_factsheet(SHEET, "sheet.md").expect("sample sheet parses")
    }

    fn empty_clip() -> Clip {
        Clip {
            country: MultiPolygon::new(vec![]),
            cut: vec![],
            countries: sites::Countries::new(&[]),
        }
    }

    fn places() -> Vec<Place> {
        factsheet::parse_places(
            "name,lat,lon,admin1,country_code\nBishkek,42.87,74.59,Chuy,KG\n",
            "p.csv",
        )
        .expect("places parse")
    }

    fn events_json(e1_sources: &str, e1_sites: &str, extra: &str) -> String {
        format!(
            r#"{{ "events": [
            {{ "id": "e1", "title": "t", "kind": "clash", "start": "2021-04-29T20:00+06:00",
               "end": "2021-04-30", "clock": "+06:00", "time_precision": "minute", "time_precision_end": "day", "time_note": "n",
               "place": "p", "location_precision": "estimated", "location_note": "l",
               "sites": {e1_sites}, "summary": "s",
               "claims": [{{ "by": "b", "side": "KG", "killed": 1, "source_id": "S1" }}],
               "sources": {e1_sources} }},
            {{ "id": "e2", "title": "t", "kind": "ceasefire", "start": "2021-05-01", "end": "2021-05-01",
               "clock": "+06:00", "time_precision": "day", "time_note": "n", "place": "p",
               "location_precision": "estimated", "location_note": "l",
               "sites": [{{ "name": "x", "at": {{ "city": "Bishkek", "country": "KG" }}, "stand_in": true, "why": "w", "bound": {{ "none": "n" }} }}],
               "summary": "s", "claims": [], "sources": ["S2"] }}
            {extra}
        ] }}"#
        )
    }

    fn run_derive(json: &str) -> Result<Vec<FeatureOut>, String> {
        let events: EventsFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
        derive(&sheet(), &places(), &empty_clip(), &events, "events.json")
    }

    #[test]
    fn kind_mapping_takes_the_first_kind() {
        assert_eq!(map_kind("clash/shelling"), Ok("clash"));
        assert_eq!(map_kind("clash/occupation"), Ok("clash"));
        assert_eq!(map_kind("clash (civilians)"), Ok("clash"));
        assert_eq!(map_kind("shelling (Kyrgyz claim)"), Ok("shelling"));
        assert_eq!(map_kind("diplomacy (statement)"), Ok("diplomacy"));
        assert_eq!(map_kind("casualty report"), Ok("casualty_report"));
        assert_eq!(map_kind("drone strike"), Ok("drone_strike"));
        assert!(map_kind("parade").is_err());
    }

    #[test]
    fn a_valid_file_derives() {
        let f = run_derive(&events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, "")).expect("derives");
        assert_eq!(f.len(), 2);
        let p = &f[0].properties;
        assert_eq!(p.start, "2021-04-29T20:00:00+06:00");
        assert_eq!(p.end, "2021-04-30T23:59:59+06:00");
        assert!(p.estimated, "Golovnoi is estimated");
        assert_eq!(f[0].geometry.kind, "Point");
        assert_eq!(f[0].geometry.coordinates[0], 70.536);
        assert_eq!(
            p.claims[0].source.as_deref(),
            Some("https://www.example.org/a")
        );
        assert_eq!(p.sources[0].title, "example.org, 2021");
        let p2 = &f[1].properties;
        assert!(p2.estimated, "a stand-in is estimated");
        assert_eq!(p2.sites[0].placed_at.as_deref(), Some("Bishkek"));
        for feature in &f {
            check_feature(feature).expect("passes the output check");
        }
    }

    #[test]
    fn unknown_source_id_is_an_error() {
        let err = run_derive(&events_json(r#"["S1","S99"]"#, r#"["Golovnoi"]"#, "")).unwrap_err();
        assert!(err.contains("S99") && err.contains("e1"), "{err}");
    }

    #[test]
    fn sources_must_match_the_fact_sheet_block() {
        let err = run_derive(&events_json(r#"["S1"]"#, r#"["Golovnoi"]"#, "")).unwrap_err();
        assert!(
            err.contains("sources differ") && err.contains("S2"),
            "{err}"
        );
    }

    #[test]
    fn unknown_gazetteer_key_is_an_error() {
        let err = run_derive(&events_json(
            r#"["S1","S2"]"#,
            r#"["Golovnoi","Atlantis"]"#,
            "",
        ))
        .unwrap_err();
        assert!(err.contains("Atlantis"), "{err}");
    }

    #[test]
    fn not_sourced_key_needs_a_stand_in() {
        let err = run_derive(&events_json(
            r#"["S1","S2"]"#,
            r#"["Golovnoi","BulakBashy"]"#,
            "",
        ))
        .unwrap_err();
        assert!(
            err.contains("BulakBashy") && err.contains("stand-in"),
            "{err}"
        );
    }

    #[test]
    fn bracketed_keys_must_be_used() {
        let sites = r#"[{ "name": "x", "at": { "gazetteer": "Batken" }, "stand_in": true, "why": "w", "bound": { "none": "n" } }]"#;
        let err = run_derive(&events_json(r#"["S1","S2"]"#, sites, "")).unwrap_err();
        assert!(err.contains("Golovnoi"), "{err}");
    }

    #[test]
    fn missing_and_unknown_events_are_errors() {
        let one = r#"{ "events": [] }"#;
        let err = run_derive(one).unwrap_err();
        assert!(err.contains("missing") && err.contains("e1"), "{err}");
        let extra = r#", { "id": "e9", "title": "t", "kind": "mourning", "start": "2021-05-01",
            "end": "2021-05-01", "clock": "+06:00", "time_precision": "day", "time_note": "n",
            "place": "p", "location_precision": "region", "location_note": "l", "sites": ["Batken"],
            "summary": "s", "claims": [], "sources": ["S2"] }"#;
        let err = run_derive(&events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, extra)).unwrap_err();
        assert!(
            err.contains("e9") && err.contains("not_in_factsheet"),
            "{err}"
        );
        let marked = extra.replace(
            r#""id": "e9","#,
            r#""id": "e9", "not_in_factsheet": "why","#,
        );
        assert!(run_derive(&events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, &marked)).is_ok());
    }

    const E9: &str = r#", { "id": "e9", "not_in_factsheet": "why", "title": "t", "kind": "mourning",
        "start": "2021-05-01", "end": "2021-05-01", "clock": "+06:00", "time_precision": "day",
        "time_note": "n", "place": "p", "location_precision": "region", "location_note": "l",
        "sites": ["Batken"], "summary": "s", "claims": [], "sources": ["S2"] }"#;

    #[test]
    fn a_site_drawn_in_another_country_needs_a_side_note() {
        let tj = MultiPolygon::new(vec![crate::geom::tests::square(70.0, 39.5, 71.0, 40.5)]);
        let clip = Clip {
            countries: sites::Countries::new(&[("TJ", &tj)]),
            ..empty_clip()
        };
        let json = events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, E9);
        let mut events: EventsFile = serde_json::from_str(&json).unwrap();
        let err = derive(&sheet(), &places(), &clip, &events, "events.json").unwrap_err();
        assert!(err.contains("Batken") && err.contains("side note"), "{err}");
        events.side_notes.insert("Batken".into(), "Because.".into());
        let out = derive(&sheet(), &places(), &clip, &events, "events.json").unwrap();
        let site = &out[2].properties.sites[0];
        assert_eq!(site.drawn_in.as_deref(), Some("TJ"));
        let note = site.side_note.as_deref().unwrap_or("");
        assert!(
            note.starts_with("Because.") && note.contains("inside Tajikistan"),
            "{note}"
        );
    }

    #[test]
    fn an_event_label_may_not_claim_more_than_its_sites() {
        let extra = E9.replace(
            r#""location_precision": "region""#,
            r#""location_precision": "site""#,
        );
        let err =
            run_derive(&events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, &extra)).unwrap_err();
        assert!(
            err.contains("claims more than") && err.contains("town"),
            "{err}"
        );
        // A stand-in needs a bound.
        let json = events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, "")
            .replace(r#", "bound": { "none": "n" }"#, "");
        let err = run_derive(&json).unwrap_err();
        assert!(err.contains("bound"), "{err}");
    }

    #[test]
    fn claims_need_a_figure_or_an_account_and_keep_their_qualifiers() {
        let base = events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, "");
        let claim = r#"{ "by": "b", "side": "KG", "killed": 1, "source_id": "S1" }"#;
        assert!(base.contains(claim));
        let note_only = base.replace(
            claim,
            r#"{ "by": "b", "side": "KG", "note": "many", "source_id": "S1" }"#,
        );
        assert!(
            run_derive(&note_only)
                .unwrap_err()
                .contains("no figure and no account")
        );
        let lost = base.replace(
            claim,
            r#"{ "by": "b", "side": "KG", "killed": 1, "note": "more than 1", "source_id": "S1" }"#,
        );
        assert!(run_derive(&lost).unwrap_err().contains("qualifier"));
        let account = base.replace(
            claim,
            r#"{ "by": "b", "side": "KG", "account": "houses burned", "source_id": "S1" }"#,
        );
        let out = run_derive(&account).expect("an account is a claim");
        let c = &out[0].properties.claims[0];
        assert_eq!(c.account.as_deref(), Some("houses burned"));
        assert_eq!(
            (c.reported.as_str(), c.reported_basis.as_str()),
            ("2021", "published")
        );
        let early = base.replace(claim, r#"{ "by": "b", "side": "KG", "killed": 1, "statement_date": "2021-04-01", "source_id": "S1" }"#);
        assert!(run_derive(&early).unwrap_err().contains("before the event"));
    }

    #[test]
    fn wrong_kind_and_reversed_time_are_errors() {
        let json = events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, "");
        let err = run_derive(&json.replacen(r#""kind": "clash""#, r#""kind": "shelling""#, 1))
            .unwrap_err();
        assert!(err.contains("clash/shelling"), "{err}");
        let err =
            run_derive(&json.replacen(r#""kind": "clash""#, r#""kind": "riot""#, 1)).unwrap_err();
        assert!(err.contains("unknown kind"), "{err}");
        let err = run_derive(&json.replacen(r#""end": "2021-04-30""#, r#""end": "2021-04-28""#, 1))
            .unwrap_err();
        assert!(err.contains("before"), "{err}");
    }

    #[test]
    fn output_check_refuses_bad_features() {
        let good =
            run_derive(&events_json(r#"["S1","S2"]"#, r#"["Golovnoi"]"#, "")).expect("derives");
        let mut f = good[0].clone();
        f.properties.sources.clear();
        assert!(check_feature(&f).unwrap_err().contains("no sources"));
        let mut f = good[0].clone();
        f.properties.kind = "parade".into();
        assert!(check_feature(&f).unwrap_err().contains("unknown kind"));
        let mut f = good[0].clone();
        f.properties.end = "2021-04-29T19:59:59+06:00".into();
        assert!(check_feature(&f).unwrap_err().contains("before"));
        let mut f = good[0].clone();
        f.geometry = geom::points_json(&[(37.6, 55.7)]).expect("point");
        assert!(check_feature(&f).unwrap_err().contains("outside"));
    }
}
