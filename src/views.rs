//! Saved views: a place, a moment and what was shown, kept with the session (`views.json`
//! beside `session.json`), exported to and imported from view files, and taken by the command
//! line (`bordermap --view FILE`, `bordermap export --view FILE`).
//!
//! The view file is a contract analysts script against (README, "View files"):
//! `{"bordermap_view": 1, "name": "...", "center": [lon, lat], "zoom": Z, "time": "RFC 3339",
//! "mode": "cumulative"|"window", "window": "6h", "zone": "Asia/Bishkek", "basemap":
//! "offline", "layers": [...], "selected": "event id or null"}`. Unknown members are ignored,
//! missing ones take their defaults, and a member of the wrong kind is an error that names it.
//! `"filters": ["kind=clash", ...]` (the filter's expressions) extends the contract.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde_json::{Map, Value, json};

use crate::map::online::BasemapSpec;
use crate::map::view::{MAX_ZOOM, MIN_ZOOM, ViewPreset};
use crate::model::{Problem, Severity};
use crate::session::write_atomically;
use crate::time::{DisplayZone, TimeMode, format_duration, parse_duration};

/// The version written in `bordermap_view`.
pub const VERSION: u64 = 1;

/// Largest view file read (a view is a few hundred bytes).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// A saved view. `None` members leave that part of the app as it is (and take the
/// command line's defaults in an export).
#[derive(Clone, Debug, PartialEq)]
pub struct SavedView {
    /// Its name in the Views panel.
    pub name: String,
    /// Map centre, `[lon, lat]`.
    pub center: [f64; 2],
    /// Map zoom.
    pub zoom: f64,
    /// The time cursor.
    pub time: Option<Timestamp>,
    /// Cumulative, or a window with its width.
    pub mode: Option<TimeMode>,
    /// The zone times are shown in.
    pub zone: Option<DisplayZone>,
    /// The basemap.
    pub basemap: Option<BasemapSpec>,
    /// The layers shown: the bundled ones by asset path (`assets/events.geojson`), the
    /// user's by file path, measurements as `measurements`. Layers not listed are hidden.
    pub layers: Option<Vec<String>>,
    /// The selected event's id.
    pub selected: Option<String>,
    /// The filter's expressions (`kind=clash`, `killed>=10`); `[]` for none.
    pub filters: Option<Vec<String>>,
}

impl Default for SavedView {
    fn default() -> Self {
        let (lon, lat, zoom) = ViewPreset::ConflictArea.view();
        Self {
            name: String::new(),
            center: [lon, lat],
            zoom,
            time: None,
            mode: None,
            zone: None,
            basemap: None,
            layers: None,
            selected: None,
            filters: None,
        }
    }
}

/// A view that cannot be read: which member, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ViewError(pub String);

impl SavedView {
    /// Reads a view from its JSON text.
    pub fn parse(text: &str) -> Result<Self, ViewError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ViewError(format!("not JSON (line {}: {e})", e.line())))?;
        Self::from_value(&value)
    }

    /// Reads a view from a JSON object.
    pub fn from_value(value: &Value) -> Result<Self, ViewError> {
        let object = value
            .as_object()
            .ok_or_else(|| ViewError("a view is a JSON object { ... }".into()))?;
        let wrong = |member: &str, expected: &str| {
            let got = object.get(member).map(short).unwrap_or_default();
            ViewError(format!("member '{member}' is {got}: expected {expected}"))
        };
        let given = |member: &str| object.get(member).filter(|v| !v.is_null());
        match given("bordermap_view") {
            None => {
                return Err(ViewError(
                    "not a view file: it has no member 'bordermap_view'".into(),
                ));
            }
            Some(v) if v.as_u64() == Some(VERSION) => {}
            Some(_) => return Err(wrong("bordermap_view", "1 (the only version there is)")),
        }
        let mut view = SavedView::default();
        if let Some(v) = given("name") {
            view.name = v
                .as_str()
                .ok_or_else(|| wrong("name", "a text"))?
                .to_string();
        }
        if let Some(v) = given("center") {
            let pair = v
                .as_array()
                .filter(|a| a.len() == 2)
                .and_then(|a| Some([a[0].as_f64()?, a[1].as_f64()?]))
                .filter(|[lon, lat]| {
                    (-180.0..=180.0).contains(lon) && (-85.0..=85.0).contains(lat)
                });
            view.center = pair.ok_or_else(|| {
                wrong(
                    "center",
                    "[longitude, latitude] in degrees, e.g. [70.58, 39.85]",
                )
            })?;
        }
        if let Some(v) = given("zoom") {
            view.zoom = v
                .as_f64()
                .filter(|z| (MIN_ZOOM..=MAX_ZOOM).contains(z))
                .ok_or_else(|| wrong("zoom", &format!("a number from {MIN_ZOOM} to {MAX_ZOOM}")))?;
        }
        if let Some(v) = given("time") {
            view.time = Some(
                v.as_str()
                    .and_then(|t| t.parse::<Timestamp>().ok())
                    .ok_or_else(|| {
                        wrong(
                            "time",
                            "an RFC 3339 time, e.g. \"2022-09-16T10:00:00+06:00\"",
                        )
                    })?,
            );
        }
        let width =
            match given("window") {
                None => None,
                Some(v) => Some(v.as_str().and_then(|w| parse_duration(w).ok()).ok_or_else(
                    || wrong("window", "a duration such as \"6h\", \"1d\" or \"2w\""),
                )?),
            };
        if let Some(v) = given("mode") {
            view.mode = Some(match v.as_str() {
                Some("cumulative") => TimeMode::Cumulative,
                Some("window") => width.map_or_else(TimeMode::default_window, |width_secs| {
                    TimeMode::Window { width_secs }
                }),
                _ => return Err(wrong("mode", "\"cumulative\" or \"window\"")),
            });
        }
        if let Some(v) = given("zone") {
            view.zone = Some(
                v.as_str()
                    .and_then(|z| DisplayZone::parse(z).ok())
                    .ok_or_else(|| wrong("zone", "UTC, Asia/Bishkek, Asia/Dushanbe or local"))?,
            );
        }
        if let Some(v) = given("basemap") {
            let text = v.as_str().ok_or_else(|| wrong("basemap", "a text"))?;
            view.basemap = Some(
                BasemapSpec::parse(text)
                    .map_err(|e| ViewError(format!("member 'basemap' cannot be used: {e}")))?,
            );
        }
        if let Some(v) = given("layers") {
            let layers = v
                .as_array()
                .and_then(|a| a.iter().map(|l| l.as_str().map(str::to_string)).collect());
            view.layers = Some(layers.ok_or_else(|| wrong("layers", "a list of texts"))?);
        }
        if let Some(v) = given("filters") {
            let exprs: Option<Vec<String>> = v
                .as_array()
                .and_then(|a| a.iter().map(|l| l.as_str().map(str::to_string)).collect());
            let exprs = exprs.ok_or_else(|| {
                wrong(
                    "filters",
                    "a list of filter expressions such as \"kind=clash\"",
                )
            })?;
            crate::model::filter::Filter::parse_all(&exprs)
                .map_err(|e| ViewError(format!("member 'filters': {e}")))?;
            view.filters = Some(exprs);
        }
        if let Some(v) = given("selected") {
            view.selected = Some(
                v.as_str()
                    .ok_or_else(|| wrong("selected", "an event id (a text) or null"))?
                    .to_string(),
            );
        }
        Ok(view)
    }

    /// The view as a JSON object (serde_json writes its members in alphabetical order).
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("bordermap_view".into(), json!(VERSION));
        m.insert("name".into(), json!(self.name));
        m.insert("center".into(), json!(self.center));
        m.insert("zoom".into(), json!(self.zoom));
        if let Some(t) = self.time {
            m.insert("time".into(), json!(t.to_string()));
        }
        match self.mode {
            Some(TimeMode::Cumulative) => {
                m.insert("mode".into(), json!("cumulative"));
            }
            Some(TimeMode::Window { width_secs }) => {
                m.insert("mode".into(), json!("window"));
                m.insert("window".into(), json!(format_duration(width_secs)));
            }
            None => {}
        }
        if let Some(z) = self.zone {
            m.insert("zone".into(), json!(z.name()));
        }
        if let Some(b) = &self.basemap {
            m.insert("basemap".into(), json!(b.to_string()));
        }
        if let Some(l) = &self.layers {
            m.insert("layers".into(), json!(l));
        }
        m.insert("selected".into(), json!(self.selected));
        if let Some(f) = &self.filters {
            m.insert("filters".into(), json!(f));
        }
        Value::Object(m)
    }

    /// The view file's text.
    pub fn to_json(&self) -> String {
        // A map of JSON values always serializes.
        serde_json::to_string_pretty(&self.to_value()).unwrap_or_default() + "\n"
    }

    /// Reads a view file; the error names the file.
    pub fn read(path: &Path) -> Result<Self, String> {
        let err = |why: String| format!("{}: {why}", path.display());
        let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(err(format!(
                "{} bytes is too big for a view file (at most {MAX_FILE_BYTES})",
                meta.len()
            )));
        }
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Self::parse(&text).map_err(|e| err(e.0))
    }

    /// Writes the view file whole or not at all.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        write_atomically(path, self.to_json().as_bytes())
    }
}

/// A short description of a JSON value for error messages.
fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The Views panel's list, kept in `views.json` beside the session. The user's work: written
/// atomically on every change, and a file that cannot be read is kept aside and reported,
/// never overwritten.
#[derive(Debug)]
pub struct ViewsStore {
    path: PathBuf,
    written: Vec<SavedView>,
}

impl ViewsStore {
    /// A store at `path`.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            written: Vec::new(),
        }
    }

    /// The views file beside a session file: `session.json` → `views.json`,
    /// `x.json` → `x.views.json`.
    pub fn beside(session: &Path) -> Self {
        let name = match session.file_stem().and_then(|s| s.to_str()) {
            Some("session") | None => "views.json".to_string(),
            Some(stem) => format!("{stem}.views.json"),
        };
        Self::at(session.with_file_name(name))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved views (none when there is no file). A file that cannot be read is renamed
    /// aside, with a problem that says where; so is one whose views cannot all be read.
    pub fn load(&mut self) -> (Vec<SavedView>, Option<Problem>) {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
            Err(e) => return (Vec::new(), Some(self.keep_aside(&e.to_string()))),
        };
        match parse_list(&text) {
            Ok(views) => {
                self.written = views.clone();
                (views, None)
            }
            Err(why) => (Vec::new(), Some(self.keep_aside(&why))),
        }
    }

    fn keep_aside(&mut self, why: &str) -> Problem {
        let stamp = Timestamp::now().as_second();
        let aside = self.path.with_extension(format!("unreadable-{stamp}.json"));
        let kept = match std::fs::rename(&self.path, &aside) {
            Ok(()) => format!("kept it as {}", aside.display()),
            // It stays where it is; saving then fails rather than overwrite it.
            Err(e) => format!("could not keep it aside ({e})"),
        };
        Problem {
            path: self.path.clone(),
            line: None,
            column: None,
            feature: None,
            severity: Severity::Warning,
            message: format!("the saved views could not be read ({why}); {kept}"),
        }
    }

    /// Writes `views` if they changed since the last write.
    pub fn save(&mut self, views: &[SavedView]) -> std::io::Result<()> {
        if self.written == views {
            return Ok(());
        }
        if self.written.is_empty() && self.path.exists() {
            // A file that was never read here (kept aside earlier and put back, or written
            // by another window): never overwrite what could not be read.
            if parse_list(&std::fs::read_to_string(&self.path)?).is_err() {
                return Err(std::io::Error::other(format!(
                    "{} could not be read, so it is left as it is",
                    self.path.display()
                )));
            }
        }
        let list: Vec<Value> = views.iter().map(SavedView::to_value).collect();
        let text = serde_json::to_string_pretty(&json!({ "bordermap_views": 1, "views": list }))
            .map_err(std::io::Error::other)?;
        write_atomically(&self.path, text.as_bytes())?;
        self.written = views.to_vec();
        Ok(())
    }
}

/// Reads the `views.json` list.
fn parse_list(text: &str) -> Result<Vec<SavedView>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let list = value
        .get("views")
        .and_then(Value::as_array)
        .ok_or("no 'views' list")?;
    list.iter()
        .enumerate()
        .map(|(i, v)| SavedView::from_value(v).map_err(|e| format!("view {}: {e}", i + 1)))
        .collect()
}

/// The view file written beside an export: `x.png` → `x.view.json`.
pub fn view_file_beside(png: &std::path::Path) -> std::path::PathBuf {
    png.with_extension("view.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> SavedView {
        SavedView {
            name: "Vorukh, 16 September".into(),
            center: [70.58, 39.85],
            zoom: 12.5,
            time: Some("2022-09-16T04:50:00Z".parse().unwrap()),
            mode: Some(TimeMode::Window {
                width_secs: 6 * 3600,
            }),
            zone: Some(DisplayZone::Bishkek),
            basemap: Some(BasemapSpec::Topo),
            layers: Some(vec![
                "assets/events.geojson".into(),
                "/data/acled.csv".into(),
            ]),
            selected: Some("e2022-09-16-ovchi-kalacha".into()),
            filters: Some(vec!["kind=clash,shelling".into(), "killed>=10".into()]),
        }
    }

    #[test]
    fn a_view_file_round_trips() {
        let view = full();
        let text = view.to_json();
        assert_eq!(SavedView::parse(&text).unwrap(), view);
        // The contract's members and spellings.
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["bordermap_view"], 1);
        assert_eq!(v["center"], json!([70.58, 39.85]));
        assert_eq!(v["mode"], "window");
        assert_eq!(v["window"], "6h");
        assert_eq!(v["zone"], "Asia/Bishkek");
        assert_eq!(v["basemap"], "topo");
        assert_eq!(v["time"], "2022-09-16T04:50:00Z");
        let path = std::env::temp_dir().join(format!("bordermap-view-{}.json", std::process::id()));
        view.write(&path).unwrap();
        assert_eq!(SavedView::read(&path).unwrap(), view);
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn the_issue_example_reads_and_unknown_members_are_ignored() {
        let text = r#"{"bordermap_view": 1, "name": "Vorukh", "center": [70.58, 39.85],
            "zoom": 12, "time": "2022-09-16T10:00:00+06:00", "mode": "window", "window": "6h",
            "zone": "Asia/Bishkek", "basemap": "offline", "layers": [], "selected": null,
            "made_by": "someone", "notes": {"x": 1}}"#;
        let v = SavedView::parse(text).unwrap();
        assert_eq!(v.time, Some("2022-09-16T04:00:00Z".parse().unwrap()));
        assert_eq!(v.mode, Some(TimeMode::Window { width_secs: 21_600 }));
        assert_eq!(v.basemap, Some(BasemapSpec::Offline));
        assert_eq!(v.selected, None);
    }

    #[test]
    fn missing_members_take_their_defaults() {
        let v = SavedView::parse(r#"{"bordermap_view": 1}"#).unwrap();
        assert_eq!(v, SavedView::default());
        let only_mode = SavedView::parse(r#"{"bordermap_view": 1, "mode": "window"}"#).unwrap();
        assert_eq!(only_mode.mode, Some(TimeMode::default_window()));
    }

    #[test]
    fn a_wrong_member_is_an_error_that_names_it() {
        let cases = [
            (r#"{"bordermap_view": 1, "zoom": "near"}"#, "'zoom'"),
            (r#"{"bordermap_view": 1, "zoom": 40}"#, "'zoom'"),
            (r#"{"bordermap_view": 1, "center": [200, 40]}"#, "'center'"),
            (r#"{"bordermap_view": 1, "center": "70,40"}"#, "'center'"),
            (r#"{"bordermap_view": 1, "time": "yesterday"}"#, "'time'"),
            (r#"{"bordermap_view": 1, "mode": "all"}"#, "'mode'"),
            (
                r#"{"bordermap_view": 1, "window": "6 parsecs"}"#,
                "'window'",
            ),
            (r#"{"bordermap_view": 1, "zone": "Mars"}"#, "'zone'"),
            (
                r#"{"bordermap_view": 1, "basemap": "ftp://x"}"#,
                "'basemap'",
            ),
            (r#"{"bordermap_view": 1, "layers": [1, 2]}"#, "'layers'"),
            (r#"{"bordermap_view": 1, "selected": 7}"#, "'selected'"),
            (
                r#"{"bordermap_view": 1, "filters": "kind=clash"}"#,
                "'filters'",
            ),
            (
                r#"{"bordermap_view": 1, "filters": ["kind=picnic"]}"#,
                "'filters'",
            ),
            (r#"{"bordermap_view": 2}"#, "'bordermap_view'"),
            (r#"{"name": "x"}"#, "'bordermap_view'"),
        ];
        for (text, member) in cases {
            let e = SavedView::parse(text).unwrap_err();
            assert!(e.0.contains(member), "{text}: {e}");
        }
        assert!(SavedView::parse("[1,").unwrap_err().0.contains("not JSON"));
    }

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bordermap-views-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn the_views_list_is_kept_beside_the_session() {
        let d = dir("list");
        assert_eq!(
            ViewsStore::beside(&d.join("session.json")).path(),
            d.join("views.json")
        );
        assert_eq!(
            ViewsStore::beside(&d.join("s103.json")).path(),
            d.join("s103.views.json")
        );
        let mut store = ViewsStore::beside(&d.join("session.json"));
        assert_eq!(store.load(), (Vec::new(), None));
        let views = vec![full(), SavedView::default()];
        store.save(&views).unwrap();
        let (back, problem) = ViewsStore::beside(&d.join("session.json")).load();
        assert_eq!((back, problem), (views, None));
    }

    #[test]
    fn an_unreadable_views_file_is_kept_aside_and_never_overwritten() {
        let d = dir("corrupt");
        let path = d.join("views.json");
        std::fs::write(&path, r#"{"views": [{"bordermap_view": 1, "zoom": "x"}]}"#).unwrap();
        let mut store = ViewsStore::at(&path);
        let (views, problem) = store.load();
        assert!(views.is_empty());
        let problem = problem.expect("reported");
        assert!(problem.message.contains("view 1"), "{problem}");
        assert!(problem.message.contains("kept it as"), "{problem}");
        assert!(!path.exists());
        let aside: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(aside.len(), 1);
        store.save(&[full()]).unwrap();
        assert!(
            std::fs::read_to_string(&aside[0])
                .unwrap()
                .contains("\"zoom\": \"x\"")
        );
        // A bad file put back where the list lives is not overwritten by the next save.
        std::fs::write(&path, "{ broken").unwrap();
        let mut other = ViewsStore::at(&path);
        assert!(other.save(&[full()]).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ broken");
    }
}
