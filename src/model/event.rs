//! Dated events in the schema of DESIGN.md (kind, title, place, claims, sources), read once
//! from a feature's properties so the list, tooltips and inspector need not re-parse JSON.

use serde_json::{Map, Value};

use super::{Feature, TimeSpan};

/// What happened, as DESIGN.md's `kind` values; custom data may have others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// Armed clash between forces.
    Clash,
    /// Artillery, mortar or rocket fire.
    Shelling,
    /// A strike by a drone.
    DroneStrike,
    /// People moved out of an area.
    Evacuation,
    /// A ceasefire agreed or announced.
    Ceasefire,
    /// A report of the dead and injured.
    CasualtyReport,
    /// Talks, calls, statements.
    Diplomacy,
    /// A day of mourning.
    Mourning,
    /// A protocol or treaty signed.
    Agreement,
    /// Any other or no kind (custom layers).
    Other,
}

impl EventKind {
    /// Every kind, in legend order.
    pub const ALL: [EventKind; 10] = [
        EventKind::Clash,
        EventKind::Shelling,
        EventKind::DroneStrike,
        EventKind::Evacuation,
        EventKind::Ceasefire,
        EventKind::CasualtyReport,
        EventKind::Diplomacy,
        EventKind::Mourning,
        EventKind::Agreement,
        EventKind::Other,
    ];

    /// Reads a `kind` value; unknown values are `Other`.
    pub fn parse(text: &str) -> Self {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "clash" => Self::Clash,
            "shelling" => Self::Shelling,
            "drone_strike" => Self::DroneStrike,
            "evacuation" => Self::Evacuation,
            "ceasefire" => Self::Ceasefire,
            "casualty_report" => Self::CasualtyReport,
            "diplomacy" => Self::Diplomacy,
            "mourning" => Self::Mourning,
            "agreement" => Self::Agreement,
            _ => Self::Other,
        }
    }

    /// A short human label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Clash => "Clash",
            Self::Shelling => "Shelling",
            Self::DroneStrike => "Drone strike",
            Self::Evacuation => "Evacuation",
            Self::Ceasefire => "Ceasefire",
            Self::CasualtyReport => "Casualty report",
            Self::Diplomacy => "Diplomacy",
            Self::Mourning => "Mourning",
            Self::Agreement => "Agreement",
            Self::Other => "Other",
        }
    }

    /// Index in [`EventKind::ALL`].
    pub fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or(Self::ALL.len() - 1)
    }

    /// Violent kinds are drawn as sites sized by their toll.
    pub fn is_violent(self) -> bool {
        matches!(self, Self::Clash | Self::Shelling | Self::DroneStrike)
    }
}

/// One side's (or an independent body's) figures, never merged with another's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claim {
    /// Who claims it, e.g. "Kyrgyz health ministry".
    pub by: String,
    /// `KG`, `TJ`, `independent`, `media`, or empty.
    pub side: String,
    /// Dead, as claimed.
    pub killed: Option<f64>,
    /// Injured, as claimed.
    pub injured: Option<f64>,
    /// Evacuated, as claimed.
    pub evacuated: Option<f64>,
    /// Qualifiers ("at least", "third figure of the day").
    pub note: String,
    /// Address of the source, if known.
    pub source_url: Option<String>,
    /// Source key in the fact sheet (e.g. "S43").
    pub source_id: String,
}

/// A source of an event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Source {
    /// Key in the fact sheet, e.g. "S23".
    pub id: String,
    /// Readable title.
    pub title: String,
    /// Address, if known.
    pub url: Option<String>,
    /// When it was published, as given.
    pub published: String,
}

/// A dated feature read as an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Index of the layer in the dataset.
    pub layer: u32,
    /// Index of the feature in its layer.
    pub feature: u32,
    /// The event's id (or the feature id, or its number).
    pub id: String,
    /// Headline (`title`, `name` or the id).
    pub title: String,
    /// What happened.
    pub kind: EventKind,
    /// When (UTC).
    pub span: TimeSpan,
    /// `start` as written in the data (with its original offset), if any.
    pub start_text: String,
    /// `time_precision`: minute, hour, day, days.
    pub time_precision: String,
    /// Notes on the clock and alternatives.
    pub time_note: String,
    /// Place names as reported.
    pub place: String,
    /// `location_precision`: site, settlement, district, region, estimated.
    pub location_precision: String,
    /// True when the coordinates are estimated or an area stands in for a spot.
    pub estimated: bool,
    /// How the coordinates were chosen.
    pub location_note: String,
    /// One or two sentences.
    pub summary: String,
    /// Each side's figures.
    pub claims: Vec<Claim>,
    /// Where it comes from.
    pub sources: Vec<Source>,
    /// For evacuation zones: how the polygon was drawn.
    pub drawn_how: String,
}

fn text(map: &Map<String, Value>, key: &str) -> String {
    match map.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Event {
    /// Reads the event of a dated feature; `None` for a timeless one.
    pub fn from_feature(layer: u32, feature: u32, f: &Feature) -> Option<Self> {
        let span = f.span?;
        let p = f.properties_map();
        let id = [text(&p, "id"), f.id.clone().unwrap_or_default()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| format!("#{}", feature + 1));
        let title = ["title", "name", "event_type", "notes"]
            .iter()
            .map(|k| text(&p, k))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| id.clone());
        let kind_text = ["kind", "event_type", "type"]
            .iter()
            .map(|k| text(&p, k))
            .find(|s| !s.is_empty())
            .unwrap_or_default();
        let claims = p
            .get("claims")
            .and_then(Value::as_array)
            .map(|claims| {
                claims
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|c| Claim {
                        by: text(c, "by"),
                        side: text(c, "side"),
                        killed: number(c.get("killed")),
                        injured: number(c.get("injured")),
                        evacuated: number(c.get("evacuated")),
                        note: text(c, "note"),
                        source_url: Some(text(c, "source")).filter(|s| !s.is_empty()),
                        source_id: text(c, "source_id"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let sources = p
            .get("sources")
            .and_then(Value::as_array)
            .map(|sources| {
                sources
                    .iter()
                    .filter_map(|s| match s {
                        Value::Object(o) => Some(Source {
                            id: text(o, "id"),
                            title: text(o, "title"),
                            url: Some(text(o, "url")).filter(|s| !s.is_empty()),
                            published: text(o, "published"),
                        }),
                        Value::String(s) => Some(Source {
                            title: s.clone(),
                            url: s.starts_with("http").then(|| s.clone()),
                            ..Source::default()
                        }),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            layer,
            feature,
            id,
            title,
            kind: EventKind::parse(&kind_text),
            span,
            start_text: text(&p, "start"),
            time_precision: text(&p, "time_precision"),
            time_note: text(&p, "time_note"),
            place: text(&p, "place"),
            location_precision: text(&p, "location_precision"),
            estimated: p.get("estimated") == Some(&Value::Bool(true))
                || text(&p, "location_precision") == "estimated",
            location_note: text(&p, "location_note"),
            summary: text(&p, "summary"),
            claims,
            sources,
            drawn_how: text(&p, "drawn_how"),
        })
    }

    /// The largest number of dead claimed by anyone, for sizing the site.
    pub fn max_killed(&self) -> f64 {
        self.claims
            .iter()
            .filter_map(|c| c.killed)
            .fold(0.0, f64::max)
    }

    /// The largest toll (dead plus injured) claimed by any one claimant.
    pub fn max_toll(&self) -> f64 {
        self.claims
            .iter()
            .map(|c| c.killed.unwrap_or(0.0) + c.injured.unwrap_or(0.0))
            .fold(0.0, f64::max)
    }

    /// A one-line summary of the claims for the list: "KG 59 dead · TJ 35 dead".
    pub fn claims_line(&self) -> String {
        let mut parts = Vec::new();
        for c in &self.claims {
            let mut figures = Vec::new();
            if let Some(k) = c.killed {
                figures.push(format!("{k} dead"));
            }
            if let Some(i) = c.injured {
                figures.push(format!("{i} injured"));
            }
            if let Some(e) = c.evacuated {
                figures.push(format!("{e} evacuated"));
            }
            if figures.is_empty() {
                continue;
            }
            let who = if c.side.is_empty() || c.side == "media" || c.side == "independent" {
                c.by.clone()
            } else {
                c.side.clone()
            };
            parts.push(format!("{who}: {}", figures.join(", ")));
        }
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::timefields::TimeReader;

    fn feature(props: &str) -> Feature {
        let raw = serde_json::value::RawValue::from_string(props.to_string()).unwrap();
        let span = TimeReader::default().read(props).span;
        Feature {
            id: None,
            geometry: None,
            properties: Some(raw),
            span,
            line: 1,
        }
    }

    #[test]
    fn reads_the_bundled_schema() {
        let f = feature(
            r#"{"id":"e1","title":"T","kind":"drone_strike","start":"2022-09-16T00:00:00+05:00","end":"2022-09-16T23:59:59+05:00",
            "estimated":true,"claims":[{"by":"HRW","side":"independent","killed":10,"injured":null,"note":"at least"},
            {"by":"Kyrgyz health ministry","side":"KG","killed":"59","injured":144}],
            "sources":[{"id":"S29","title":"hrw.org","url":"http://hrw.org/x","published":"2 May 2023"}]}"#,
        );
        let e = Event::from_feature(0, 3, &f).unwrap();
        assert_eq!(e.kind, EventKind::DroneStrike);
        assert!(e.estimated);
        assert_eq!(e.claims.len(), 2);
        assert_eq!(e.claims[1].killed, Some(59.0));
        assert_eq!(e.max_killed(), 59.0);
        assert_eq!(e.max_toll(), 203.0);
        assert_eq!(e.sources[0].url.as_deref(), Some("http://hrw.org/x"));
        assert_eq!(e.claims_line(), "HRW: 10 dead · KG: 59 dead, 144 injured");
    }

    #[test]
    fn custom_features_fall_back_to_name_and_other() {
        let e = Event::from_feature(1, 0, &feature(r#"{"name":"N","date":"2022-01-01"}"#)).unwrap();
        assert_eq!(e.title, "N");
        assert_eq!(e.kind, EventKind::Other);
        assert_eq!(e.id, "#1");
        assert!(Event::from_feature(1, 0, &feature(r#"{"name":"N"}"#)).is_none());
    }
}
