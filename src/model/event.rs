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

    /// The label in the interface's language ([`label`](Self::label) stays English: filter
    /// expressions and files use it).
    pub fn label_tr(self) -> String {
        match self {
            Self::Clash => crate::tr!("events-kind-clash"),
            Self::Shelling => crate::tr!("events-kind-shelling"),
            Self::DroneStrike => crate::tr!("events-kind-drone-strike"),
            Self::Evacuation => crate::tr!("events-kind-evacuation"),
            Self::Ceasefire => crate::tr!("events-kind-ceasefire"),
            Self::CasualtyReport => crate::tr!("events-kind-casualty-report"),
            Self::Diplomacy => crate::tr!("events-kind-diplomacy"),
            Self::Mourning => crate::tr!("events-kind-mourning"),
            Self::Agreement => crate::tr!("events-kind-agreement"),
            Self::Other => crate::tr!("events-kind-other"),
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

/// How a figure was stated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Qualifier {
    /// A plain number.
    #[default]
    Exact,
    /// "at least 10": shown "≥ 10".
    AtLeast,
    /// "more than 100": shown "> 100".
    MoreThan,
    /// "about 50": shown "≈ 50".
    About,
    /// "up to 50": shown "≤ 50"; its lower bound is 0.
    UpTo,
}

impl Qualifier {
    /// Reads `exact`, `at_least`, `more_than`, `about`, `up_to` (spaces, hyphens and the
    /// signs ≥ > ≈ ~ ≤ also accepted); unknown text is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "" | "exact" | "=" => Some(Self::Exact),
            "at_least" | ">=" | "≥" | "min" | "minimum" => Some(Self::AtLeast),
            "more_than" | "over" | ">" => Some(Self::MoreThan),
            "about" | "approximately" | "~" | "≈" | "around" => Some(Self::About),
            "up_to" | "<=" | "≤" | "at_most" => Some(Self::UpTo),
            _ => None,
        }
    }

    /// The sign put before the number ("" for exact).
    pub fn sign(self) -> &'static str {
        match self {
            Self::Exact => "",
            Self::AtLeast => "≥ ",
            Self::MoreThan => "> ",
            Self::About => "≈ ",
            Self::UpTo => "≤ ",
        }
    }

    /// The lower bound of a figure stated with this qualifier.
    pub fn lower_bound(self, value: f64) -> f64 {
        match self {
            Self::UpTo => 0.0,
            _ => value,
        }
    }
}

/// One group of a breakdown: "2 servicemen".
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// Who the number counts, e.g. "servicemen".
    pub group: String,
    /// The number as stated.
    pub value: f64,
    /// How it was stated.
    pub qualifier: Qualifier,
}

/// A figure as its source stated it: a number with its qualifier, or a breakdown by group
/// where the source gave no total (no total is made up for it).
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// A number and how it was stated.
    Value {
        /// The number as stated.
        value: f64,
        /// How it was stated.
        qualifier: Qualifier,
    },
    /// Numbers by group, never summed for display.
    Breakdown(Vec<Part>),
}

impl Figure {
    /// An exact number.
    pub fn exact(value: f64) -> Self {
        Self::Value {
            value,
            qualifier: Qualifier::Exact,
        }
    }

    /// Reads a figure: a number or numeric string (exact: old-style data such as
    /// `"killed": 5`), a string with a sign (">100", "≥ 10", "~50"),
    /// `{"value": 100, "qualifier": "more_than"}` or `{"breakdown": [{"group", "value",
    /// "qualifier"}, ...]}`. `None` for null or anything unreadable.
    pub fn parse(value: &Value) -> Option<Self> {
        match value {
            Value::Number(n) => n.as_f64().map(Self::exact),
            Value::String(s) => {
                let t = s.trim();
                let split = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
                let (sign, number) = t.split_at(split);
                let qualifier = Qualifier::parse(sign)?;
                let value: f64 = number.trim().replace(',', "").parse().ok()?;
                Some(Self::Value { value, qualifier })
            }
            Value::Object(o) => {
                if let Some(parts) = o.get("breakdown").and_then(Value::as_array) {
                    let parts: Vec<Part> = parts
                        .iter()
                        .filter_map(Value::as_object)
                        .filter_map(|p| {
                            Some(Part {
                                group: text(p, "group"),
                                value: number(p.get("value"))?,
                                qualifier: Qualifier::parse(&text(p, "qualifier"))
                                    .unwrap_or_default(),
                            })
                        })
                        .collect();
                    return (!parts.is_empty()).then_some(Self::Breakdown(parts));
                }
                Some(Self::Value {
                    value: number(o.get("value"))?,
                    qualifier: Qualifier::parse(&text(o, "qualifier"))?,
                })
            }
            _ => None,
        }
    }

    /// The least the figure can mean, for sizing markers: the value, 0 for "up to", and for
    /// a breakdown the sum of its groups' lower bounds (groups are disjoint; this sum is
    /// never shown as a figure).
    pub fn lower_bound(&self) -> f64 {
        match self {
            Self::Value { value, qualifier } => qualifier.lower_bound(*value),
            Self::Breakdown(parts) => parts.iter().map(|p| p.qualifier.lower_bound(p.value)).sum(),
        }
    }

    /// True for a plain number.
    pub fn is_exact(&self) -> bool {
        match self {
            Self::Value { qualifier, .. } => *qualifier == Qualifier::Exact,
            Self::Breakdown(parts) => parts.iter().all(|p| p.qualifier == Qualifier::Exact),
        }
    }
}

/// "137000" → "137,000"; fractions are kept ("2.5").
fn format_number(v: f64) -> String {
    if v.fract() != 0.0 || v.abs() >= 1e15 {
        return format!("{v}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 {
        out.insert(0, '-');
    }
    out
}

impl std::fmt::Display for Figure {
    /// "59", "≥ 10", "> 100", "≈ 50", "2 servicemen and 3 civilians".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Value { value, qualifier } => {
                write!(f, "{}{}", qualifier.sign(), format_number(*value))
            }
            Self::Breakdown(parts) => {
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if i + 1 == parts.len() { " and " } else { ", " })?;
                    }
                    write!(
                        f,
                        "{}{} {}",
                        p.qualifier.sign(),
                        format_number(p.value),
                        p.group
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// One side's (or an independent body's) claim, never merged with another's: figures, an
/// account in words, or both.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claim {
    /// Who claims it, e.g. "Kyrgyz health ministry".
    pub by: String,
    /// `KG`, `TJ`, `independent`, `media`, or empty: who makes the claim.
    pub side: String,
    /// Who relayed it, when the claimant did not publish it itself (a source id), or empty.
    pub via: String,
    /// Whose losses it counts: `KG`, `TJ`, `both`, or empty.
    pub about: String,
    /// Dead, as claimed.
    pub killed: Option<Figure>,
    /// Injured, as claimed.
    pub injured: Option<Figure>,
    /// Evacuated, as claimed.
    pub evacuated: Option<Figure>,
    /// Displaced, as claimed.
    pub displaced: Option<Figure>,
    /// The claim in words, when it is not (only) a number.
    pub account: String,
    /// When it was reported (ISO 8601 at its precision: "2022-09-18", "2022-09", "2021"),
    /// or empty.
    pub reported: String,
    /// When the claim's source is not pinned down: the latest date it can have been
    /// reported (`reported` is then the earliest), or empty.
    pub reported_latest: String,
    /// Anything else about it ("third figure of the day").
    pub note: String,
    /// Address of the source, if known.
    pub source_url: Option<String>,
    /// Source key in the fact sheet (e.g. "S43").
    pub source_id: String,
}

impl Claim {
    /// The figures as "59 dead, > 100 injured" (empty if it has none), in the interface's
    /// language.
    pub fn figures_text(&self) -> String {
        let mut figures = Vec::new();
        for (i, f) in [
            &self.killed,
            &self.injured,
            &self.evacuated,
            &self.displaced,
        ]
        .into_iter()
        .enumerate()
        {
            let Some(f) = f else { continue };
            // The number the words agree with (Russian: "1 погибший", "5 погибших").
            let n = match f {
                Figure::Value { value, .. } => *value,
                Figure::Breakdown(_) => 0.0,
            };
            let figure = f.to_string();
            figures.push(match i {
                0 => crate::tr!("events-figure-killed", figure = figure, n = n),
                1 => crate::tr!("events-figure-injured", figure = figure, n = n),
                2 => crate::tr!("events-figure-evacuated", figure = figure, n = n),
                _ => crate::tr!("events-figure-displaced", figure = figure, n = n),
            });
        }
        figures.join(", ")
    }

    /// When it was reported: "2022-09-18", or "2022-09-14 to 2022-09-16" when only the
    /// range of its possible sources is known; empty if unknown.
    pub fn reported_text(&self) -> String {
        match (self.reported.is_empty(), self.reported_latest.is_empty()) {
            (true, _) => String::new(),
            (false, true) => self.reported.clone(),
            (false, false) => crate::tr!(
                "events-date-range",
                from = self.reported.as_str(),
                to = self.reported_latest.as_str()
            ),
        }
    }
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
    /// About the source, e.g. "no address known: ...".
    pub note: String,
}

/// A dated feature as the list, the map and the time index need it every frame: where it is,
/// what happened, when, and how big. Small (no text), so a million of them fit; the text is
/// in its [`EventRecord`], read from the feature's properties when it is shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// Index of the layer in the dataset.
    pub layer: u32,
    /// Index of the feature in its layer.
    pub feature: u32,
    /// What happened.
    pub kind: EventKind,
    /// True when the coordinates are estimated or an area stands in for a spot.
    pub estimated: bool,
    /// When (UTC).
    pub span: TimeSpan,
    /// The largest toll claimed (see [`EventRecord::max_toll`]), for sizing the site.
    pub toll: f32,
    /// Known only to the day (or days, a week, a month): its span is whole days, and no
    /// hour of it is the event's.
    pub day_only: bool,
}

/// True for a `time_precision` coarser than an hour: `day`, `days`, `week`, `month`, ...
pub fn is_day_only(time_precision: &str) -> bool {
    matches!(
        time_precision.trim().to_ascii_lowercase().as_str(),
        "day" | "days" | "week" | "weeks" | "month" | "months" | "year"
    )
}

impl Event {
    /// The event of a dated feature whose properties `p` were already parsed, without its
    /// text (the same kind, estimate and toll as its [`EventRecord`]); `None` when timeless.
    pub fn from_properties(
        layer: u32,
        feature: u32,
        f: &Feature,
        p: &Map<String, Value>,
    ) -> Option<Self> {
        let span = f.span?;
        let low = |v: Option<&Value>| v.and_then(Figure::parse).map_or(0.0, |f| f.lower_bound());
        let toll = p
            .get("claims")
            .and_then(Value::as_array)
            .map_or(0.0, |claims| {
                claims
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|c| low(c.get("killed")) + low(c.get("injured")))
                    .fold(0.0, f64::max)
            });
        Some(Self {
            layer,
            feature,
            kind: kind_in(p),
            estimated: estimated_in(p),
            span,
            toll: toll as f32,
            day_only: is_day_only(&text(p, "time_precision")),
        })
    }

    /// The event of a record.
    pub fn of(record: &EventRecord) -> Self {
        Self {
            layer: record.layer,
            feature: record.feature,
            kind: record.kind,
            estimated: record.estimated,
            span: record.span,
            toll: record.max_toll() as f32,
            day_only: is_day_only(&record.time_precision),
        }
    }
}

/// A dated feature read as an event, with all its text: the headline, place, claims and
/// sources.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
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
    /// The places it happened at, each with how precisely it is known.
    pub sites: Vec<Site>,
}

/// A place an event happened at (`sites` in the bundled schema).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Site {
    /// Its name.
    pub name: String,
    /// `[lon, lat]`.
    pub at: [f64; 2],
    /// The radius of its precision area, kilometres (0: exact).
    pub radius_km: f64,
    /// Its precision class (`site`, `village`, `district`, ...).
    pub precision: String,
}

fn text(map: &Map<String, Value>, key: &str) -> String {
    match map.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// What happened: the first of `kind`, `event_type`, `type` given (`Other` when none).
fn kind_in(p: &Map<String, Value>) -> EventKind {
    let kind_text = ["kind", "event_type", "type"]
        .iter()
        .map(|k| text(p, k))
        .find(|s| !s.is_empty())
        .unwrap_or_default();
    EventKind::parse(&kind_text)
}

/// True when the coordinates are marked estimated.
fn estimated_in(p: &Map<String, Value>) -> bool {
    p.get("estimated") == Some(&Value::Bool(true)) || text(p, "location_precision") == "estimated"
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl EventRecord {
    /// The sites of a clash, shelling or drone strike as (name, `[lon, lat]`, precision
    /// radius in metres): where which side of the line it happened on matters. Other kinds
    /// (an agreement signed "in Kyrgyzstan", an evacuated district) have none here.
    pub fn site_areas(&self) -> impl Iterator<Item = (&str, [f64; 2], f64)> {
        let violent = self.kind.is_violent();
        self.sites
            .iter()
            .filter(move |_| violent)
            .map(|s| (s.name.as_str(), s.at, s.radius_km * 1000.0))
    }

    /// Reads the event of a dated feature; `None` for a timeless one.
    pub fn from_feature(layer: u32, feature: u32, f: &Feature) -> Option<Self> {
        Self::from_properties(layer, feature, f, &f.properties_map())
    }

    /// Reads the event of a dated feature whose properties `p` were already parsed.
    pub fn from_properties(
        layer: u32,
        feature: u32,
        f: &Feature,
        p: &Map<String, Value>,
    ) -> Option<Self> {
        let span = f.span?;
        let id = [text(p, "id"), f.id().unwrap_or_default().to_owned()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| format!("#{}", feature + 1));
        let title = ["title", "name", "event_type", "notes"]
            .iter()
            .map(|k| text(p, k))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| id.clone());
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
                        via: text(c, "via"),
                        about: text(c, "about"),
                        killed: c.get("killed").and_then(Figure::parse),
                        injured: c.get("injured").and_then(Figure::parse),
                        evacuated: c.get("evacuated").and_then(Figure::parse),
                        displaced: c.get("displaced").and_then(Figure::parse),
                        account: text(c, "account"),
                        reported: text(c, "reported"),
                        reported_latest: text(c, "reported_latest"),
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
                            note: text(o, "note"),
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
            kind: kind_in(p),
            span,
            start_text: text(p, "start"),
            time_precision: text(p, "time_precision"),
            time_note: text(p, "time_note"),
            place: text(p, "place"),
            location_precision: text(p, "location_precision"),
            estimated: estimated_in(p),
            location_note: text(p, "location_note"),
            summary: text(p, "summary"),
            claims,
            sources,
            drawn_how: text(p, "drawn_how"),
            sites: p
                .get("sites")
                .and_then(Value::as_array)
                .map(|sites| {
                    sites
                        .iter()
                        .filter_map(Value::as_object)
                        .filter_map(|o| {
                            Some(Site {
                                name: text(o, "name"),
                                at: [number(o.get("lon"))?, number(o.get("lat"))?],
                                radius_km: number(o.get("radius_km")).unwrap_or(0.0).max(0.0),
                                precision: [text(o, "precision_class"), text(o, "precision")]
                                    .into_iter()
                                    .find(|s| !s.is_empty())
                                    .unwrap_or_default(),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// The largest number of dead claimed by anyone, at its lower bound, for sizing the site.
    pub fn max_killed(&self) -> f64 {
        self.claims
            .iter()
            .filter_map(|c| c.killed.as_ref().map(Figure::lower_bound))
            .fold(0.0, f64::max)
    }

    /// The largest toll (dead plus injured) claimed by any one claimant, each figure at its
    /// lower bound ("> 100" counts 100, "up to 50" counts 0), for sizing the site.
    pub fn max_toll(&self) -> f64 {
        let low = |f: &Option<Figure>| f.as_ref().map_or(0.0, Figure::lower_bound);
        self.claims
            .iter()
            .map(|c| low(&c.killed) + low(&c.injured))
            .fold(0.0, f64::max)
    }

    /// A one-line summary of the claims for the list, with qualifiers, accounts and report
    /// dates: "KG 2022-09-18: 59 dead, 144 injured · BBC (via S44) 2022-09-19: 59 dead,
    /// > 100 injured".
    pub fn claims_line(&self) -> String {
        let mut parts = Vec::new();
        for c in &self.claims {
            let figures = c.figures_text();
            let what = match (figures.is_empty(), c.account.is_empty()) {
                (true, true) => continue,
                (false, _) => figures,
                (true, false) => format!("“{}”", c.account),
            };
            let mut who = if c.side.is_empty() || c.side == "media" || c.side == "independent" {
                c.by.clone()
            } else {
                c.side.clone()
            };
            if !c.via.is_empty() {
                who = crate::tr!("events-claims-who-via", who = who, via = c.via.as_str());
            }
            if !c.reported.is_empty() {
                who.push_str(&format!(" {}", c.reported));
            }
            parts.push(format!("{who}: {what}"));
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
            given_id: None,
            shape: None,
            properties: Some(raw.into()),
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
        let e = EventRecord::from_feature(0, 3, &f).unwrap();
        assert_eq!(e.kind, EventKind::DroneStrike);
        assert!(e.estimated);
        assert_eq!(e.claims.len(), 2);
        assert_eq!(e.claims[1].killed, Some(Figure::exact(59.0)));
        assert_eq!(e.max_killed(), 59.0);
        assert_eq!(e.max_toll(), 203.0);
        assert_eq!(e.sources[0].url.as_deref(), Some("http://hrw.org/x"));
        assert_eq!(e.claims_line(), "HRW: 10 dead · KG: 59 dead, 144 injured");
    }

    #[test]
    fn reads_qualified_figures_breakdowns_accounts_and_dates() {
        let f = feature(
            r#"{"id":"e1","kind":"casualty_report","start":"2022-09-18T00:00:00+06:00",
            "claims":[
              {"by":"BBC","side":"media","via":"S44","killed":{"value":59,"qualifier":"exact"},
               "injured":{"value":100,"qualifier":"more_than"},"reported":"2022-09-19"},
              {"by":"HRW","side":"independent","killed":{"value":50,"qualifier":"about"},
               "injured":{"value":121,"qualifier":"at_least"},"displaced":{"value":130000,"qualifier":"more_than"}},
              {"by":"Kyrgyz side","side":"KG","injured":{"breakdown":[{"group":"servicemen","value":2,"qualifier":"exact"},
               {"group":"civilians","value":3,"qualifier":"exact"}]},"reported":"2022-09-14","reported_latest":"2022-09-16"},
              {"by":"Kyrgyz side","side":"KG","account":"villages entered and burned","reported":"2022"},
              {"by":"X","side":"TJ","killed":{"value":50,"qualifier":"up_to"},"injured":">7"}
            ],
            "sources":[{"id":"R1","title":"Headline","url":null,"published":"18 Sep 2022","note":"no address known"}]}"#,
        );
        let e = EventRecord::from_feature(0, 0, &f).unwrap();
        let c = &e.claims;
        assert_eq!(c[0].injured.as_ref().unwrap().to_string(), "> 100");
        assert_eq!(c[0].via, "S44");
        assert_eq!(c[1].killed.as_ref().unwrap().to_string(), "≈ 50");
        assert_eq!(c[1].injured.as_ref().unwrap().to_string(), "≥ 121");
        assert_eq!(
            c[1].figures_text(),
            "≈ 50 dead, ≥ 121 injured, > 130,000 displaced"
        );
        assert_eq!(
            c[2].injured.as_ref().unwrap().to_string(),
            "2 servicemen and 3 civilians"
        );
        assert_eq!(c[2].reported_text(), "2022-09-14 to 2022-09-16");
        assert_eq!(c[3].account, "villages entered and burned");
        assert_eq!(c[4].killed.as_ref().unwrap().to_string(), "≤ 50");
        assert_eq!(
            c[4].injured,
            Some(Figure::Value {
                value: 7.0,
                qualifier: Qualifier::MoreThan
            })
        );
        // Sizes use lower bounds: BBC 59 + 100, HRW 50 + 121 = 171, the breakdown 5,
        // "up to 50" 0 + 7.
        assert_eq!(e.max_toll(), 171.0);
        assert_eq!(e.max_killed(), 59.0);
        assert_eq!(e.sources[0].note, "no address known");
        assert_eq!(
            e.claims_line(),
            "BBC via S44 2022-09-19: 59 dead, > 100 injured · HRW: ≈ 50 dead, ≥ 121 injured, \
             > 130,000 displaced · KG 2022-09-14: 2 servicemen and 3 civilians injured · \
             KG 2022: “villages entered and burned” · TJ: ≤ 50 dead, > 7 injured"
        );
    }

    #[test]
    fn old_style_plain_numbers_still_read() {
        for v in [
            serde_json::json!(5),
            serde_json::json!("5"),
            serde_json::json!({"value": 5}),
        ] {
            let f = Figure::parse(&v);
            assert!(
                f.as_ref().is_some_and(|f| f.lower_bound() == 5.0),
                "{v}: {f:?}"
            );
        }
        assert_eq!(Figure::parse(&serde_json::json!(null)), None);
        assert_eq!(Figure::parse(&serde_json::json!("many")), None);
        assert_eq!(Figure::exact(137000.0).to_string(), "137,000");
    }

    #[test]
    fn custom_features_fall_back_to_name_and_other() {
        let e = EventRecord::from_feature(1, 0, &feature(r#"{"name":"N","date":"2022-01-01"}"#))
            .unwrap();
        assert_eq!(e.title, "N");
        assert_eq!(e.kind, EventKind::Other);
        assert_eq!(e.id, "#1");
        assert!(EventRecord::from_feature(1, 0, &feature(r#"{"name":"N"}"#)).is_none());
    }
}
