//! Claims over time, as data for a chart: each claimed figure (dead, injured, evacuated,
//! displaced) placed at the date the claim was made, one series per claimant (the Kyrgyz
//! side, the Tajik side, independent bodies, media), with its qualifier and its source; and,
//! for a user layer, a numeric property summed by day or week. Pure data, no GUI: the
//! window's chart and `bordermap export --chart claims` draw the same [`ClaimsChart`].
//!
//! Only what the dataset shows goes in: visible layers, features that pass the filter, and
//! of their claims those the filter's side and claimant conditions pick.

use jiff::civil::Date;
use jiff::{Span, Timestamp, ToSpan};

use crate::model::dataset::{Dataset, LayerRole};
use crate::model::event::{Claim, EventRecord, Figure, Qualifier};
use crate::time::FeatureRef;

/// What the chart plots from: the events' claims, or a user layer's numeric property.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ChartSource {
    /// The events' claims.
    #[default]
    Claims,
    /// A user layer's property, summed.
    Layer {
        /// The layer.
        id: crate::model::dataset::LayerId,
        /// The property.
        property: String,
    },
}

/// Which figure the chart plots.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tally {
    /// Dead.
    #[default]
    Killed,
    /// Injured.
    Injured,
    /// Evacuated.
    Evacuated,
    /// Displaced.
    Displaced,
}

impl Tally {
    /// Every figure, in the order the chart offers them.
    pub const ALL: [Tally; 4] = [
        Tally::Killed,
        Tally::Injured,
        Tally::Evacuated,
        Tally::Displaced,
    ];

    /// "Killed", "Injured", ...
    pub fn label(self) -> &'static str {
        match self {
            Tally::Killed => "Killed",
            Tally::Injured => "Injured",
            Tally::Evacuated => "Evacuated",
            Tally::Displaced => "Displaced",
        }
    }

    /// The word after a number: "dead", "injured", ...
    pub fn word(self) -> &'static str {
        match self {
            Tally::Killed => "dead",
            Tally::Injured => "injured",
            Tally::Evacuated => "evacuated",
            Tally::Displaced => "displaced",
        }
    }

    /// Reads `killed`, `dead`, `injured`, `wounded`, `evacuated`, `displaced`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "killed" | "dead" | "deaths" => Some(Tally::Killed),
            "injured" | "wounded" => Some(Tally::Injured),
            "evacuated" => Some(Tally::Evacuated),
            "displaced" => Some(Tally::Displaced),
            _ => None,
        }
    }

    fn of(self, claim: &Claim) -> Option<&Figure> {
        match self {
            Tally::Killed => claim.killed.as_ref(),
            Tally::Injured => claim.injured.as_ref(),
            Tally::Evacuated => claim.evacuated.as_ref(),
            Tally::Displaced => claim.displaced.as_ref(),
        }
    }
}

/// Who makes a claim: one series each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Claimant {
    /// Kyrgyz authorities (claims with side `KG`).
    Kyrgyz,
    /// Tajik authorities (side `TJ`).
    Tajik,
    /// Independent bodies (Human Rights Watch, the Red Crescent, ...).
    Independent,
    /// Media reports.
    Media,
    /// No side given.
    Unattributed,
}

impl Claimant {
    /// Every claimant, in the legend's order.
    pub const ALL: [Claimant; 5] = [
        Claimant::Kyrgyz,
        Claimant::Tajik,
        Claimant::Independent,
        Claimant::Media,
        Claimant::Unattributed,
    ];

    /// The series of a claim's `side`.
    pub fn of(side: &str) -> Self {
        match side.trim().to_ascii_lowercase().as_str() {
            "kg" => Claimant::Kyrgyz,
            "tj" => Claimant::Tajik,
            "independent" => Claimant::Independent,
            "media" => Claimant::Media,
            _ => Claimant::Unattributed,
        }
    }

    /// The series' name in the legend.
    pub fn label(self) -> &'static str {
        match self {
            Claimant::Kyrgyz => "Kyrgyz side",
            Claimant::Tajik => "Tajik side",
            Claimant::Independent => "Independent",
            Claimant::Media => "Media",
            Claimant::Unattributed => "Unattributed",
        }
    }

    /// The series' colour (RGBA): the Kyrgyz and Tajik colours of the map's legend.
    pub fn rgba(self) -> [u8; 4] {
        match self {
            Claimant::Kyrgyz => [0xd0, 0x21, 0x2a, 0xff],
            Claimant::Tajik => [0x1f, 0x6f, 0x3c, 0xff],
            Claimant::Independent => [0x2b, 0x5c, 0xb8, 0xff],
            Claimant::Media => [0x8a, 0x5a, 0x00, 0xff],
            Claimant::Unattributed => [0x70, 0x70, 0x70, 0xff],
        }
    }
}

/// One claimed figure, placed at the date the claim was made.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimPoint {
    /// The event the claim is about.
    pub event: FeatureRef,
    /// The event's title.
    pub event_title: String,
    /// Position of the claim in the event's claims.
    pub claim: usize,
    /// The series.
    pub claimant: Claimant,
    /// Who claims it, as written ("Kyrgyz health ministry").
    pub by: String,
    /// Whose losses it counts (`KG`, `TJ`, `both`, or empty).
    pub about: String,
    /// Where it is plotted: the number as stated; a breakdown at the sum of its groups.
    pub value: f64,
    /// The number is not a plain exact figure ("at least", "about", a breakdown): an open
    /// marker.
    pub open: bool,
    /// The figure as stated: "59", "≥ 10", "2 servicemen and 3 civilians".
    pub figure: String,
    /// The earliest the claim can have been made (the start of its day, UTC).
    pub from: Timestamp,
    /// The latest (the end of its day, month or year, or of `reported_latest`).
    pub to: Timestamp,
    /// When it was reported, as the data gives it ("2022-09-18", "2021").
    pub reported: String,
    /// Its source: "S43 — title" (or the claimant's words when no source is named).
    pub source: String,
    /// Any note on the claim ("third figure of the day").
    pub note: String,
}

impl ClaimPoint {
    /// The whole claim in one line: "Kyrgyz health ministry: 59 dead (KG), reported
    /// 2022-09-18 — S43 …".
    pub fn describe(&self, tally: Tally) -> String {
        let about = match self.about.as_str() {
            "" => String::new(),
            "both" => " (both sides)".into(),
            a => format!(" ({a})"),
        };
        let mut out = format!(
            "{}: {} {}{}, reported {}",
            self.by,
            self.figure,
            tally.word(),
            about,
            self.reported
        );
        if !self.source.is_empty() {
            out.push_str(" — ");
            out.push_str(&self.source);
        }
        out
    }

    /// The plotted time: the middle of the span the claim can have been made in.
    pub fn at(&self) -> Timestamp {
        let half = self.to.duration_since(self.from).as_secs() / 2;
        self.from
            .checked_add(jiff::SignedDuration::from_secs(half))
            .unwrap_or(self.from)
    }

    /// The claim's date is known only to a span longer than a day.
    pub fn is_spread(&self) -> bool {
        self.to.duration_since(self.from).as_secs() > 86_400
    }
}

/// The claims chart's data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClaimsChart {
    /// Which figure.
    pub tally: Tally,
    /// Every point, by claimant then time.
    pub points: Vec<ClaimPoint>,
    /// Claims stating this figure but no date they were made (left off the chart).
    pub undated: usize,
    /// The sources cited by the points, as "S43 Title" (once each, in order).
    pub sources: Vec<String>,
}

impl ClaimsChart {
    /// The figure `tally` of every claim the dataset shows.
    pub fn build(dataset: &Dataset, tally: Tally) -> Self {
        let mut chart = ClaimsChart {
            tally,
            ..Default::default()
        };
        for e in dataset.events.iter() {
            let Some(entry) = dataset.layers.get(e.layer as usize) else {
                continue;
            };
            // User layers carry claims only when they follow the event schema; reading a
            // record for each row of a million-row table to find none would be waste.
            if entry.role != LayerRole::Events && !has_claims(dataset, e.layer, e.feature) {
                continue;
            }
            let Some(record) = dataset.record(&e) else {
                continue;
            };
            chart.add(&record, dataset);
        }
        chart.points.sort_by(|a, b| {
            (a.claimant, a.from, a.value.total_cmp(&b.value).reverse()).cmp(&(
                b.claimant,
                b.from,
                std::cmp::Ordering::Equal,
            ))
        });
        chart
    }

    fn add(&mut self, record: &EventRecord, dataset: &Dataset) {
        let event = FeatureRef::new(record.layer, record.feature);
        let event_start = record.span.start();
        for (i, claim) in record.claims.iter().enumerate() {
            if !dataset.filter.claim_passes(claim) {
                continue;
            }
            let Some(figure) = self.tally.of(claim) else {
                continue;
            };
            let Some((from, to)) = reported_span(claim, event_start) else {
                self.undated += 1;
                continue;
            };
            let (value, open) = match figure {
                Figure::Value { value, qualifier } => (*value, *qualifier != Qualifier::Exact),
                Figure::Breakdown(parts) => (parts.iter().map(|p| p.value).sum(), true),
            };
            let source = record
                .sources
                .iter()
                .find(|s| !claim.source_id.is_empty() && s.id == claim.source_id);
            let source_text = match source {
                Some(s) => format!("{} {}", s.id, s.title),
                None if !claim.source_id.is_empty() => claim.source_id.clone(),
                None => claim.source_url.clone().unwrap_or_default(),
            };
            if !source_text.is_empty() && !self.sources.contains(&source_text) {
                self.sources.push(source_text.clone());
            }
            self.points.push(ClaimPoint {
                event,
                event_title: record.title.clone(),
                claim: i,
                claimant: Claimant::of(&claim.side),
                by: claim.by.clone(),
                about: claim.about.clone(),
                value,
                open,
                figure: figure.to_string(),
                from,
                to,
                reported: claim.reported_text(),
                source: source_text,
                note: claim.note.clone(),
            });
        }
    }

    /// The claimants that have points, in legend order.
    pub fn claimants(&self) -> Vec<Claimant> {
        Claimant::ALL
            .into_iter()
            .filter(|c| self.points.iter().any(|p| p.claimant == *c))
            .collect()
    }

    /// The span of time the points cover, if any.
    pub fn time_span(&self) -> Option<(Timestamp, Timestamp)> {
        let from = self.points.iter().map(|p| p.from).min()?;
        let to = self.points.iter().map(|p| p.to).max()?;
        Some((from, to))
    }

    /// Runs of one claimant's revisions of one event (two or more points), in time order:
    /// the lines the chart draws between them (never between different events).
    pub fn revisions(&self) -> Vec<Vec<usize>> {
        let mut runs: Vec<((Claimant, FeatureRef, String), Vec<usize>)> = Vec::new();
        for (i, p) in self.points.iter().enumerate() {
            let key = (p.claimant, p.event, p.about.clone());
            match runs.iter_mut().find(|(k, _)| *k == key) {
                Some((_, run)) => run.push(i),
                None => runs.push((key, vec![i])),
            }
        }
        runs.into_iter()
            .map(|(_, mut run)| {
                run.sort_by_key(|&i| self.points[i].from);
                run
            })
            .filter(|run| run.len() > 1)
            .collect()
    }
}

fn has_claims(dataset: &Dataset, layer: u32, feature: u32) -> bool {
    dataset
        .feature(FeatureRef::new(layer, feature))
        .and_then(|f| f.properties.as_ref())
        .is_some_and(|p| p.may_contain("\"claims\"") && p.text_of("claims").is_some())
}

/// The span a claim can have been made in: from the start of `reported` to the end of
/// `reported_latest` (or of `reported` itself: its day, month or year), never before the
/// event began. `None` when no report date is given or it cannot be read.
pub fn reported_span(claim: &Claim, event_start: Timestamp) -> Option<(Timestamp, Timestamp)> {
    let (from, mut to) = partial_date(&claim.reported)?;
    if let Some((_, latest)) = partial_date(&claim.reported_latest) {
        to = to.max(latest);
    }
    let event_day = Bucket::Day.start(event_start);
    let from = from.max(event_day.min(to));
    Some((from, to.max(from)))
}

/// "2022-09-18" → that day; "2022-09" → that month; "2021" → that year (UTC). A full time
/// is its day.
fn partial_date(text: &str) -> Option<(Timestamp, Timestamp)> {
    let text = text.trim();
    let parts: Vec<&str> = text.get(..10.min(text.len()))?.split('-').collect();
    let number = |s: &str| s.parse::<i16>().ok();
    let year = number(parts.first()?)?;
    let (start, length): (Date, Span) = match parts.as_slice() {
        [_] => (Date::new(year, 1, 1).ok()?, 1.year()),
        [_, m] => (Date::new(year, number(m)? as i8, 1).ok()?, 1.month()),
        [_, m, d] => (
            Date::new(year, number(m)? as i8, number(d)? as i8).ok()?,
            1.day(),
        ),
        _ => return None,
    };
    let end = start.checked_add(length).ok()?;
    let utc = |d: Date| {
        d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    };
    Some((utc(start)?, utc(end)?))
}

/// How a user layer's property is summed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Per day (UTC).
    #[default]
    Day,
    /// Per week, from Monday (UTC).
    Week,
}

impl Bucket {
    /// "day", "week".
    pub fn label(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
        }
    }

    /// The start of the bucket holding `t`.
    pub fn start(self, t: Timestamp) -> Timestamp {
        let day = t.as_second().div_euclid(86_400);
        let day = match self {
            Bucket::Day => day,
            // 1970-01-01 was a Thursday: Monday-based weeks start 3 days before it.
            Bucket::Week => (day + 3).div_euclid(7) * 7 - 3,
        };
        Timestamp::from_second(day * 86_400).unwrap_or(t)
    }

    /// Its length in seconds.
    pub fn seconds(self) -> i64 {
        match self {
            Bucket::Day => 86_400,
            Bucket::Week => 7 * 86_400,
        }
    }
}

/// A numeric property of a user layer summed by day or week.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sums {
    /// The property.
    pub property: String,
    /// Day or week.
    pub bucket: Bucket,
    /// (bucket start, sum, features counted), in time order, empty buckets left out.
    pub bars: Vec<(Timestamp, f64, usize)>,
    /// Dated features that passed but had no number in the property.
    pub missing: usize,
}

impl Sums {
    /// Sums `property` over layer `layer`'s dated features that pass the filter, by the day
    /// or week each starts in.
    pub fn build(dataset: &Dataset, layer: usize, property: &str, bucket: Bucket) -> Self {
        let mut sums = Sums {
            property: property.to_string(),
            bucket,
            ..Default::default()
        };
        let Some(entry) = dataset.layers.get(layer) else {
            return sums;
        };
        let mut by_bucket: std::collections::BTreeMap<Timestamp, (f64, usize)> = Default::default();
        for e in entry.events() {
            if !entry.passes(e.feature) {
                continue;
            }
            let Some(f) = entry.layer.features.get(e.feature as usize) else {
                continue;
            };
            let number = f
                .properties
                .as_ref()
                .and_then(|p| p.text_of(property))
                .and_then(|t| t.trim().trim_matches('"').parse::<f64>().ok())
                .filter(|v| v.is_finite());
            match number {
                Some(v) => {
                    let slot = by_bucket.entry(bucket.start(e.span.start())).or_default();
                    slot.0 += v;
                    slot.1 += 1;
                }
                None => sums.missing += 1,
            }
        }
        sums.bars = by_bucket.into_iter().map(|(t, (s, n))| (t, s, n)).collect();
        sums
    }

    /// The numeric properties of a layer (those of its first features that read as numbers).
    pub fn numeric_properties(dataset: &Dataset, layer: usize) -> Vec<String> {
        let Some(entry) = dataset.layers.get(layer) else {
            return Vec::new();
        };
        let mut names: Vec<String> = Vec::new();
        for f in entry.layer.features.iter().take(200) {
            for (k, v) in f.properties_map() {
                let numeric = match &v {
                    serde_json::Value::Number(_) => true,
                    serde_json::Value::String(s) => s.trim().parse::<f64>().is_ok(),
                    _ => false,
                };
                if numeric && !names.contains(&k) {
                    names.push(k);
                }
            }
        }
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    fn bundled_chart(tally: Tally) -> ClaimsChart {
        ClaimsChart::build(&crate::io::bundled::dataset(), tally)
    }

    #[test]
    fn partial_dates_are_their_day_month_or_year() {
        assert_eq!(
            partial_date("2022-09-18"),
            Some((ts("2022-09-18T00:00:00Z"), ts("2022-09-19T00:00:00Z")))
        );
        assert_eq!(
            partial_date("2022-01"),
            Some((ts("2022-01-01T00:00:00Z"), ts("2022-02-01T00:00:00Z")))
        );
        assert_eq!(
            partial_date("2021"),
            Some((ts("2021-01-01T00:00:00Z"), ts("2022-01-01T00:00:00Z")))
        );
        assert_eq!(partial_date(""), None);
        assert_eq!(partial_date("soon"), None);
        assert_eq!(partial_date("2022-13-01"), None);
    }

    #[test]
    fn a_claim_is_never_placed_before_its_event() {
        let claim = Claim {
            reported: "2021".into(),
            ..Default::default()
        };
        let (from, to) = reported_span(&claim, ts("2021-04-29T06:00:00Z")).expect("span");
        assert_eq!(from, ts("2021-04-29T00:00:00Z"));
        assert_eq!(to, ts("2022-01-01T00:00:00Z"));
        let claim = Claim {
            reported: "2022-09-14".into(),
            reported_latest: "2022-09-16".into(),
            ..Default::default()
        };
        let (from, to) = reported_span(&claim, ts("2022-09-14T05:00:00Z")).expect("span");
        assert_eq!(
            (from, to),
            (ts("2022-09-14T00:00:00Z"), ts("2022-09-17T00:00:00Z"))
        );
    }

    #[test]
    fn the_kyrgyz_toll_of_18_september_rises_46_then_59() {
        let chart = bundled_chart(Tally::Killed);
        let day = ts("2022-09-18T00:00:00Z");
        let kyrgyz: Vec<f64> = chart
            .points
            .iter()
            .filter(|p| p.claimant == Claimant::Kyrgyz && p.from == day)
            .map(|p| p.value)
            .collect();
        for v in [36.0, 46.0, 59.0] {
            assert!(kyrgyz.contains(&v), "{v} missing from {kyrgyz:?}");
        }
        let tajik: Vec<f64> = chart
            .points
            .iter()
            .filter(|p| p.claimant == Claimant::Tajik)
            .map(|p| p.value)
            .collect();
        assert!(tajik.contains(&35.0) && tajik.contains(&41.0), "{tajik:?}");
        // Revisions are joined only within one event.
        let runs = chart.revisions();
        assert!(runs.iter().all(|run| {
            run.iter()
                .all(|&i| chart.points[i].event == chart.points[run[0]].event)
        }));
        assert!(!chart.sources.is_empty());
    }

    #[test]
    fn injured_shows_both_sources_and_open_markers_for_at_least() {
        let chart = bundled_chart(Tally::Injured);
        let sept: Vec<&ClaimPoint> = chart
            .points
            .iter()
            .filter(|p| p.from == ts("2022-09-18T00:00:00Z") && p.claimant == Claimant::Kyrgyz)
            .collect();
        assert!(sept.iter().any(|p| p.value == 102.0), "{sept:?}");
        assert!(sept.iter().any(|p| p.value == 144.0), "{sept:?}");
        let hrw = chart
            .points
            .iter()
            .find(|p| p.by.contains("Human Rights Watch"))
            .expect("HRW's injured figure");
        assert!(hrw.open, "'at least 121' is an open marker");
        assert_eq!(hrw.figure, "≥ 121");
        assert!(hrw.describe(Tally::Injured).contains("S29"));
        let exact = chart.points.iter().find(|p| p.value == 144.0).expect("144");
        assert!(!exact.open);
        // The breakdown is plotted at its sum, as an open marker.
        let breakdown = chart
            .points
            .iter()
            .find(|p| p.figure.contains("servicemen"))
            .expect("the breakdown of 14 September");
        assert_eq!(breakdown.value, 5.0);
        assert!(breakdown.open && breakdown.is_spread());
    }

    #[test]
    fn the_filter_picks_claims_and_events() {
        let mut ds = crate::io::bundled::dataset();
        let all = ClaimsChart::build(&ds, Tally::Killed).points.len();
        ds.set_filter(crate::model::filter::Filter::parse_all(&["side=TJ"]).expect("filter"));
        let tajik = ClaimsChart::build(&ds, Tally::Killed);
        assert!(!tajik.points.is_empty() && tajik.points.len() < all);
        assert!(tajik.points.iter().all(|p| p.claimant == Claimant::Tajik));
        ds.set_filter(crate::model::filter::Filter::parse_all(&["kind=ceasefire"]).expect("f"));
        let none = ClaimsChart::build(&ds, Tally::Killed);
        assert!(none.points.len() < all);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2022-09-18 was a Sunday.
        assert_eq!(
            Bucket::Week.start(ts("2022-09-18T23:00:00Z")),
            ts("2022-09-12T00:00:00Z")
        );
        assert_eq!(
            Bucket::Week.start(ts("2022-09-19T01:00:00Z")),
            ts("2022-09-19T00:00:00Z")
        );
        assert_eq!(
            Bucket::Day.start(ts("2022-09-19T13:00:00Z")),
            ts("2022-09-19T00:00:00Z")
        );
    }

    #[test]
    fn sums_add_a_property_by_day() {
        use crate::model::dataset::{Dataset, LayerRole};
        let text = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[70,40]},"properties":{"time":"2022-09-14T05:00:00Z","fatalities":3}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[70,40]},"properties":{"time":"2022-09-14T20:00:00Z","fatalities":"4"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[70,40]},"properties":{"time":"2022-09-16T08:00:00Z","fatalities":10}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[70,40]},"properties":{"time":"2022-09-16T09:00:00Z","fatalities":"n/a"}}]}"#;
        let layer = crate::io::geojson::read_geojson(
            text.as_bytes(),
            std::path::Path::new("acled.geojson"),
            &crate::io::timefields::TimeReader::default(),
        );
        let mut ds = Dataset::default();
        ds.push(layer, LayerRole::Custom);
        let sums = Sums::build(&ds, 0, "fatalities", Bucket::Day);
        assert_eq!(
            sums.bars,
            vec![
                (ts("2022-09-14T00:00:00Z"), 7.0, 2),
                (ts("2022-09-16T00:00:00Z"), 10.0, 1)
            ]
        );
        assert_eq!(sums.missing, 1);
        assert_eq!(
            Sums::numeric_properties(&ds, 0),
            vec!["fatalities".to_string()]
        );
        ds.set_filter(crate::model::filter::Filter::parse_all(&["prop:fatalities>=4"]).expect("f"));
        let sums = Sums::build(&ds, 0, "fatalities", Bucket::Week);
        assert_eq!(sums.bars, vec![(ts("2022-09-12T00:00:00Z"), 14.0, 2)]);
    }
}
