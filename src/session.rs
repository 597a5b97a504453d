//! What survives a restart: the map view, the time control, the user's layers with their
//! settings, the basemap and the filter. The session is written to its own file (`session.json` in the
//! app's data folder) within a second of any change, atomically (a temporary file, then a
//! rename), so a crash or a killed process loses nothing older than that — eframe's own
//! storage is written only on exit or every 30 s of drawn frames. A file that cannot be read
//! is kept aside under a new name, never overwritten, and the app starts from defaults.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::io::ReadOptions;
use crate::io::timefields::{TimeFields, TimeReader};
use crate::map::online::BasemapSpec;
use crate::map::view::ViewPreset;
use crate::model::style::LayerStyle;
use crate::model::{Problem, Severity};
use crate::time::TimeControl;

/// The longest a change waits before it is written.
pub const SAVE_WITHIN: Duration = Duration::from_millis(500);

/// What survives a restart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    /// Map centre, longitude.
    pub lon: f64,
    /// Map centre, latitude.
    pub lat: f64,
    /// Map zoom.
    pub zoom: f64,
    /// Cursor, mode, zone, speed, window.
    pub time: TimeControl,
    /// The user's layers: files and settings, reopened at the next start.
    pub layers: Vec<SavedLayer>,
    /// The basemap picked (`None`: the offline one).
    pub basemap: Option<BasemapSpec>,
    /// The filter's expressions (`kind=clash`, `killed>=10`).
    pub filters: Vec<String>,
    /// The interface's language picked (`en`, `ru`); absent: the system's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Default for Session {
    fn default() -> Self {
        let (lon, lat, zoom) = ViewPreset::ConflictArea.view();
        Self {
            lon,
            lat,
            zoom,
            time: TimeControl::default(),
            layers: Vec::new(),
            basemap: None,
            filters: Vec::new(),
            lang: None,
        }
    }
}

/// A user layer as saved with the session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedLayer {
    /// The file.
    pub path: PathBuf,
    /// Which layer of a file of several (a GeoPackage's table); absent for a file that is
    /// one layer. Opening the file opens all its layers, each with its own settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Shown.
    pub visible: bool,
    /// Colour, opacity, widths.
    pub style: LayerStyle,
    /// Overridden start (or only) time property; empty for automatic.
    pub time_start: String,
    /// Overridden end time property.
    pub time_end: String,
    /// Zone for times without an offset ("UTC" or an IANA name).
    pub zone: String,
}

/// A saved layer's settings that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The zone for times without an offset is not known.
    #[error("unknown time zone '{0}'")]
    UnknownZone(String),
}

impl SavedLayer {
    /// A file opened with automatic settings, shown. The path is made absolute, so the
    /// session does not depend on the folder the viewer was started in.
    pub fn open(path: PathBuf) -> Self {
        Self {
            path: std::path::absolute(&path).unwrap_or(path),
            visible: true,
            ..Self::default()
        }
    }

    /// How to read the file.
    pub fn read_options(&self) -> Result<ReadOptions, SettingsError> {
        let zone = match self.zone.trim() {
            "" | "UTC" | "utc" => jiff::tz::TimeZone::UTC,
            name => jiff::tz::TimeZone::get(name)
                .map_err(|_| SettingsError::UnknownZone(name.to_string()))?,
        };
        let fields = (!self.time_start.trim().is_empty()).then(|| TimeFields {
            start: self.time_start.trim().to_string(),
            end: Some(self.time_end.trim().to_string()).filter(|e| !e.is_empty()),
        });
        Ok(ReadOptions {
            time: TimeReader::new(zone, fields),
        })
    }
}

/// A session read back, and what went wrong reading it.
#[derive(Debug, Default)]
pub struct Restored {
    /// The session (defaults when there was none or it could not be read).
    pub session: Session,
    /// Why the saved session was not used, and where it was kept.
    pub problem: Option<Problem>,
}

/// Where the session lives, and what was last written there.
#[derive(Debug)]
pub struct SessionStore {
    path: PathBuf,
    /// The session as last written (compared each frame: cheaper than writing it out).
    written: Option<Session>,
    last_write: Option<Instant>,
}

impl SessionStore {
    /// A store at `path` (created with its folder on the first save).
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            written: None,
            last_write: None,
        }
    }

    /// The usual place: `$BORDERMAP_SESSION`, else `session.json` in the app's data folder
    /// (`~/.local/share/bordermap` on Linux). `None` when there is no home folder.
    pub fn default_location() -> Option<Self> {
        if let Some(path) = std::env::var_os("BORDERMAP_SESSION").filter(|p| !p.is_empty()) {
            return Some(Self::at(PathBuf::from(path)));
        }
        eframe::storage_dir("bordermap").map(|dir| Self::at(dir.join("session.json")))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the saved session. No file: defaults. A file that cannot be read: defaults,
    /// and the file is renamed aside (never overwritten) with a problem that says where.
    pub fn load(&mut self) -> Restored {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Restored::default(),
            Err(e) => return self.keep_aside(&e.to_string()),
        };
        match serde_json::from_str::<Session>(&text) {
            Ok(session) => {
                self.written = Some(session.clone());
                Restored {
                    session,
                    problem: None,
                }
            }
            Err(e) => self.keep_aside(&e.to_string()),
        }
    }

    fn keep_aside(&mut self, why: &str) -> Restored {
        let stamp = jiff::Timestamp::now().as_second();
        let aside = self.path.with_extension(format!("unreadable-{stamp}.json"));
        let kept = match std::fs::rename(&self.path, &aside) {
            Ok(()) => format!("kept it as {}", aside.display()),
            Err(e) => format!("could not keep it aside ({e}); it is left as it was"),
        };
        Restored {
            session: Session::default(),
            problem: Some(Problem {
                path: self.path.clone(),
                line: None,
                column: None,
                feature: None,
                severity: Severity::Warning,
                message: format!(
                    "the saved session could not be read ({why}); started with defaults and {kept}"
                ),
            }),
        }
    }

    /// Writes `session` now if it differs from what was last written (on exit).
    pub fn flush(&mut self, session: &Session) -> std::io::Result<()> {
        self.last_write = None;
        self.save(session, Instant::now()).map(|_| ())
    }

    /// Writes `session` when it changed, at most once per [`SAVE_WITHIN`]. Returns how long
    /// to wait before calling again when a change is waiting (so the caller can ask for a
    /// frame then), or `None` when everything is written.
    pub fn save(&mut self, session: &Session, now: Instant) -> std::io::Result<Option<Duration>> {
        if self.written.as_ref() == Some(session) {
            return Ok(None);
        }
        if let Some(last) = self.last_write {
            let since = now.saturating_duration_since(last);
            if since < SAVE_WITHIN {
                return Ok(Some(SAVE_WITHIN - since));
            }
        }
        self.last_write = Some(now);
        let text = serde_json::to_string_pretty(session).map_err(std::io::Error::other)?;
        write_atomically(&self.path, text.as_bytes())?;
        self.written = Some(session.clone());
        Ok(None)
    }
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".into());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("bordermap-session-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn no_file_is_a_fresh_start() {
        let mut store = SessionStore::at(dir("none").join("session.json"));
        let restored = store.load();
        assert_eq!(restored.session, Session::default());
        assert!(restored.problem.is_none());
    }

    #[test]
    fn a_session_comes_back_as_it_was_saved() {
        let path = dir("roundtrip").join("deep").join("session.json");
        let mut session = Session {
            lon: 70.6,
            lat: 39.9,
            zoom: 12.0,
            ..Session::default()
        };
        session.layers.push(SavedLayer {
            zone: "Asia/Bishkek".into(),
            ..SavedLayer::open("/data/a.geojson".into())
        });
        let mut store = SessionStore::at(&path);
        assert_eq!(store.save(&session, Instant::now()).unwrap(), None);
        let restored = SessionStore::at(&path).load();
        assert_eq!(restored.session, session);
        assert!(restored.problem.is_none());
    }

    #[test]
    fn changes_are_written_at_most_twice_a_second_and_none_is_lost() {
        let path = dir("throttle").join("session.json");
        let mut store = SessionStore::at(&path);
        let t0 = Instant::now();
        let mut session = Session::default();
        assert_eq!(store.save(&session, t0).unwrap(), None);
        session.zoom = 11.0;
        let wait = store
            .save(&session, t0 + Duration::from_millis(100))
            .unwrap();
        assert_eq!(wait, Some(Duration::from_millis(400)), "too soon: wait");
        assert_eq!(SessionStore::at(&path).load().session.zoom, 9.0);
        let later = t0 + Duration::from_millis(500);
        assert_eq!(store.save(&session, later).unwrap(), None);
        assert_eq!(SessionStore::at(&path).load().session.zoom, 11.0);
        assert_eq!(
            store.save(&session, later).unwrap(),
            None,
            "unchanged: no write"
        );
    }

    #[test]
    fn an_unreadable_session_is_kept_aside_not_overwritten() {
        let d = dir("corrupt");
        std::fs::create_dir_all(&d).unwrap();
        let path = d.join("session.json");
        std::fs::write(&path, "{ not json").unwrap();
        let mut store = SessionStore::at(&path);
        let restored = store.load();
        assert_eq!(restored.session, Session::default());
        let problem = restored.problem.expect("a problem");
        assert!(problem.message.contains("kept it as"), "{problem}");
        let aside: Vec<PathBuf> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("unreadable"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), "{ not json");
        // The next save writes a fresh file and leaves the old text where it was kept.
        store.save(&Session::default(), Instant::now()).unwrap();
        assert_eq!(std::fs::read_to_string(&aside[0]).unwrap(), "{ not json");
    }

    #[test]
    fn a_bad_zone_is_a_typed_error() {
        let saved = SavedLayer {
            zone: "Mars/Olympus".into(),
            ..SavedLayer::open("a.csv".into())
        };
        assert_eq!(
            saved.read_options().unwrap_err(),
            SettingsError::UnknownZone("Mars/Olympus".into())
        );
    }
}
