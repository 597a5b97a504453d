//! Reading time spans out of feature properties: which properties hold times
//! (DESIGN.md's recognised names, case-insensitive, or a per-layer override) and how their
//! values (RFC 3339 / ISO 8601, date only, Unix seconds or milliseconds) become UTC instants.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::model::TimeSpan;

/// Start/end property pairs, in order of preference.
pub const PAIRS: [(&str, &str); 3] = [
    ("start", "end"),
    ("begin", "end"),
    ("start_time", "end_time"),
];
/// Single-instant properties, in order of preference.
pub const SINGLES: [&str; 5] = ["time", "timestamp", "datetime", "date", "event_date"];

/// Which properties to read a layer's times from, when the user overrides detection.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct TimeFields {
    /// Property holding the start (or the only instant); matched case-insensitively.
    pub start: String,
    /// Property holding the end, if any.
    pub end: Option<String>,
}

/// What one feature's properties gave: a span, and what went wrong or was assumed.
#[derive(Debug, Default, PartialEq)]
pub struct TimeReading {
    /// The span read, if any.
    pub span: Option<TimeSpan>,
    /// Which fields were used, e.g. `"start/end"` or `"date"`.
    pub fields: Option<String>,
    /// Values read without an offset, in the layer's zone.
    pub without_offset: usize,
    /// Problems with the values, as warnings for this feature.
    pub warnings: Vec<String>,
}

/// The values of the candidate time properties of one feature, keyed by lowercase name.
#[derive(Debug, Default)]
struct Candidates(Vec<(String, Value)>);

impl Candidates {
    fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Collects only the properties whose lowercase name is wanted, skipping the rest unparsed.
struct CandidateVisitor<'a> {
    wanted: &'a [String],
}

impl<'de> Visitor<'de> for CandidateVisitor<'_> {
    type Value = Candidates;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a properties object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Candidates, A::Error> {
        let mut found = Candidates::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let lower = key.to_ascii_lowercase();
            if self.wanted.contains(&lower) && found.get(&lower).is_none() {
                found.0.push((lower, map.next_value::<Value>()?));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
    fn visit_unit<E>(self) -> Result<Candidates, E> {
        Ok(Candidates::default())
    }
}

struct CandidateSeed<'a>(&'a [String]);

impl<'de> serde::de::DeserializeSeed<'de> for CandidateSeed<'_> {
    type Value = Candidates;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Candidates, D::Error> {
        d.deserialize_any(CandidateVisitor { wanted: self.0 })
    }
}

/// Reads time spans with a fixed zone for offset-less values and an optional override.
#[derive(Clone, Debug)]
pub struct TimeReader {
    zone: TimeZone,
    fields: Option<TimeFields>,
    wanted: Vec<String>,
}

impl Default for TimeReader {
    fn default() -> Self {
        Self::new(TimeZone::UTC, None)
    }
}

impl TimeReader {
    /// A reader that reads offset-less values in `zone` and uses `fields` if given,
    /// else the recognised property names.
    pub fn new(zone: TimeZone, fields: Option<TimeFields>) -> Self {
        let wanted = match &fields {
            Some(f) => std::iter::once(f.start.to_ascii_lowercase())
                .chain(f.end.iter().map(|e| e.to_ascii_lowercase()))
                .collect(),
            None => PAIRS
                .iter()
                .flat_map(|(a, b)| [a.to_string(), b.to_string()])
                .chain(SINGLES.iter().map(|s| s.to_string()))
                .collect(),
        };
        Self {
            zone,
            fields,
            wanted,
        }
    }

    /// The name of the zone used for values without an offset.
    pub fn zone_name(&self) -> String {
        self.zone.iana_name().unwrap_or("UTC").to_string()
    }

    /// True when a property of this lowercase name may hold a time.
    pub fn wants(&self, lowercase: &str) -> bool {
        self.wanted.iter().any(|w| w == lowercase)
    }

    /// Reads the span from the values at hand of the properties it [`wants`](Self::wants),
    /// by lowercase name (the first of a name counts), without any JSON text.
    pub fn read_values(&self, values: Vec<(String, Value)>) -> TimeReading {
        self.read_candidates(&Candidates(values))
    }

    /// Reads the span of a feature from its raw `properties` JSON text.
    pub fn read(&self, properties: &str) -> TimeReading {
        let mut de = serde_json::Deserializer::from_str(properties);
        let candidates =
            match serde::de::DeserializeSeed::deserialize(CandidateSeed(&self.wanted), &mut de) {
                Ok(c) => c,
                Err(_) => return TimeReading::default(),
            };
        self.read_candidates(&candidates)
    }

    fn read_candidates(&self, c: &Candidates) -> TimeReading {
        let mut reading = TimeReading::default();
        let choice: Option<(String, Option<String>)> = match &self.fields {
            Some(f) => Some((
                f.start.to_ascii_lowercase(),
                f.end.as_ref().map(|e| e.to_ascii_lowercase()),
            )),
            None => PAIRS
                .iter()
                .find(|(s, _)| c.get(s).is_some_and(|v| !v.is_null()))
                .map(|(s, e)| (s.to_string(), Some(e.to_string())))
                .or_else(|| {
                    SINGLES
                        .iter()
                        .find(|s| c.get(s).is_some_and(|v| !v.is_null()))
                        .map(|s| (s.to_string(), None))
                }),
        };
        let Some((start_key, end_key)) = choice else {
            return reading;
        };
        let Some(start_value) = c.get(&start_key).filter(|v| !v.is_null()) else {
            return reading;
        };
        let start = match self.parse_value(start_value) {
            Ok(p) => p,
            Err(e) => {
                reading.warnings.push(format!(
                    "cannot read time {} in property '{start_key}': {e}",
                    short(start_value)
                ));
                return reading;
            }
        };
        reading.without_offset += usize::from(!start.had_offset);
        let end_value = end_key
            .as_deref()
            .and_then(|k| c.get(k))
            .filter(|v| !v.is_null());
        let mut fields = start_key.clone();
        let span = match (end_value, &end_key) {
            (Some(value), Some(key)) => match self.parse_value(value) {
                Ok(end) => {
                    reading.without_offset += usize::from(!end.had_offset);
                    fields = format!("{start_key}/{key}");
                    match TimeSpan::new(start.start, end.end) {
                        Some(span) => span,
                        None => {
                            reading.warnings.push(format!(
                                "end {} in property '{key}' precedes start {}; end ignored",
                                end.end, start.start
                            ));
                            TimeSpan::instant(start.start)
                        }
                    }
                }
                Err(e) => {
                    reading.warnings.push(format!(
                        "cannot read time {} in property '{key}': {e}; end ignored",
                        short(value)
                    ));
                    TimeSpan::new(start.start, start.end).unwrap_or(TimeSpan::instant(start.start))
                }
            },
            _ => TimeSpan::new(start.start, start.end).unwrap_or(TimeSpan::instant(start.start)),
        };
        reading.span = Some(span);
        reading.fields = Some(fields);
        reading
    }

    /// Parses one value; a date-only value covers its whole day in the layer's zone.
    fn parse_value(&self, value: &Value) -> Result<Parsed, String> {
        match value {
            Value::Number(n) => {
                let number = n.as_f64().ok_or("not a finite number")?;
                unix(number).map(Parsed::at)
            }
            Value::String(s) => self.parse_text(s.trim()),
            other => Err(format!(
                "expected a string or a number, found {}",
                kind(other)
            )),
        }
    }

    /// Parses a time written as text.
    pub fn parse_text(&self, text: &str) -> Result<Parsed, String> {
        if text.is_empty() {
            return Err("empty".into());
        }
        let numeric = text
            .strip_prefix('-')
            .unwrap_or(text)
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
        if numeric && text.len() > 8 {
            // Eight digits is a basic-form date (20220916); longer is Unix time.
            let number: f64 = text.parse().map_err(|_| "not a number".to_string())?;
            return unix(number).map(Parsed::at);
        }
        // A plain date (ACLED's every row): read as one at once, without the failed tries
        // as a timestamp and a zoned time first (each made an error: two allocations a row).
        if let [_, _, _, _, b'-', _, _, b'-', _, _] = text.as_bytes()
            && let Ok(date) = text.parse::<Date>()
        {
            return self.whole_day(date);
        }
        if let Ok(ts) = text.parse::<Timestamp>() {
            return Ok(Parsed::at(ts));
        }
        if let Ok(zoned) = text.parse::<jiff::ZonedDateTime>() {
            return Ok(Parsed::at(zoned.timestamp()));
        }
        if let Ok(dt) = text.parse::<DateTime>() {
            // A date alone also parses as a DateTime at midnight: tell them apart by length.
            if let Ok(date) = text.parse::<Date>()
                && !text.contains(['T', 't', ' '])
            {
                return self.whole_day(date);
            }
            let ts = self
                .zone
                .to_timestamp(dt)
                .map_err(|e| format!("not a valid time in the layer's zone: {e}"))?;
            return Ok(Parsed {
                start: ts,
                end: ts,
                had_offset: false,
            });
        }
        if let Ok(date) = text.parse::<Date>() {
            return self.whole_day(date);
        }
        if let Some(iso) = gdal_to_iso(text) {
            return self.parse_text(&iso);
        }
        Err("not RFC 3339 / ISO 8601, GDAL's YYYY/MM/DD HH:MM:SS+HH or Unix time".into())
    }

    fn whole_day(&self, date: Date) -> Result<Parsed, String> {
        let start = self
            .zone
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .map_err(|e| e.to_string())?;
        let end = start
            .checked_add(24.hours())
            .and_then(|t| t.checked_sub(1.nanosecond()))
            .map_err(|e| e.to_string())?;
        Ok(Parsed {
            start,
            end,
            had_offset: false,
        })
    }
}

/// GDAL's and QGIS's datetime form as ISO 8601: `YYYY/MM/DD`, `YYYY/MM/DD HH:MM[:SS[.sss]]`,
/// with an offset `+HH`, `+HHMM` or `+HH:MM` (or `-`), or none: `2021/04/28 11:30:00+06` is
/// `2021-04-28 11:30:00+06:00`. `None` when the text is not in that form.
fn gdal_to_iso(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'/')
        && digits(5..7)
        && b.get(7) == Some(&b'/')
        && digits(8..10))
    {
        return None;
    }
    let mut iso = format!("{}-{}-{}", &text[0..4], &text[5..7], &text[8..10]);
    let rest = &text[10..];
    if rest.is_empty() {
        return Some(iso);
    }
    let rest = rest.strip_prefix([' ', 'T'])?;
    // The time, then an offset if any.
    let split = rest.find(['+', '-', 'Z', 'z']).unwrap_or(rest.len());
    let (time, offset) = rest.split_at(split);
    if time.is_empty()
        || !time
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b':' || c == b'.')
    {
        return None;
    }
    // An offset is ASCII: anything else is not this form (and would not be cut at a byte).
    if !offset.is_ascii() {
        return None;
    }
    iso.push('T');
    iso.push_str(time);
    match offset.len() {
        0 => {}
        1 if offset.eq_ignore_ascii_case("z") => iso.push('Z'),
        // +HH
        3 => {
            iso.push_str(offset);
            iso.push_str(":00");
        }
        // +HHMM
        5 if !offset.contains(':') => {
            iso.push_str(&offset[..3]);
            iso.push(':');
            iso.push_str(&offset[3..]);
        }
        // +HH:MM
        6 => iso.push_str(offset),
        _ => return None,
    }
    Some(iso)
}

/// A parsed value: an instant, or a whole day for a date-only value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Parsed {
    /// First instant the value denotes.
    pub start: Timestamp,
    /// Last instant it denotes (the end of the day for a date).
    pub end: Timestamp,
    /// False when the value carried no offset and was read in the layer's zone.
    pub had_offset: bool,
}

impl Parsed {
    fn at(ts: Timestamp) -> Self {
        Self {
            start: ts,
            end: ts,
            had_offset: true,
        }
    }
}

/// Unix seconds, or milliseconds when the magnitude is 1e11 or more (year 5138 in seconds).
fn unix(number: f64) -> Result<Timestamp, String> {
    if !number.is_finite() {
        return Err("not a finite number".into());
    }
    let millis = if number.abs() >= 1e11 {
        number
    } else {
        number * 1000.0
    };
    if millis.abs() > 8.0e15 {
        return Err("outside the years -9999..9999".into());
    }
    Timestamp::from_millisecond(millis.round() as i64).map_err(|e| e.to_string())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value quoted for a message, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gdal_time_whose_offset_is_not_ascii_is_not_read_and_does_not_panic() {
        // Found by the `kml` fuzz target: five bytes of offset, cut at the third.
        assert_eq!(gdal_to_iso("2021/04/28 11:30+0\u{20ac}"), None);
        assert_eq!(gdal_to_iso("2021/04/28 11:30-\u{e9}1"), None);
        assert_eq!(
            gdal_to_iso("2021/04/28 11:30+0600").as_deref(),
            Some("2021-04-28T11:30+06:00")
        );
    }

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn gdal_and_qgis_datetimes_are_read() {
        let r = TimeReader::default();
        for (text, at) in [
            ("2021/04/28 11:30:00+06", "2021-04-28T05:30:00Z"),
            ("2021/04/28 11:30:00+0600", "2021-04-28T05:30:00Z"),
            ("2021/04/28 11:30:00+06:00", "2021-04-28T05:30:00Z"),
            ("2021/04/28 11:30:00-0330", "2021-04-28T15:00:00Z"),
            ("2021/04/28 11:30+06", "2021-04-28T05:30:00Z"),
            ("2021/04/28 11:30:00.250+00", "2021-04-28T11:30:00.25Z"),
            ("2021/04/28 11:30:00", "2021-04-28T11:30:00Z"),
        ] {
            let p = r.parse_text(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.start, utc(at), "{text}");
        }
        // A date alone is the whole day.
        let day = r.parse_text("2021/04/28").expect("a date");
        assert_eq!(day.start, utc("2021-04-28T00:00:00Z"));
        assert_eq!(day.end, utc("2021-04-28T23:59:59.999999999Z"));
        for bad in [
            "2021/4/28",
            "2021/04/28 noon",
            "2021/04/28 11:30:00+6",
            "28/04/2021",
        ] {
            assert!(r.parse_text(bad).is_err(), "{bad}");
        }
    }

    fn read(props: &str) -> TimeReading {
        TimeReader::default().read(props)
    }

    #[test]
    fn rfc3339_with_offset_is_stored_as_utc() {
        let r = read(r#"{"start":"2022-09-16T04:50:00+05:00","end":"2022-09-16T20:00:00+05:00"}"#);
        let span = r.span.unwrap();
        assert_eq!(span.start(), utc("2022-09-15T23:50:00Z"));
        assert_eq!(span.end(), utc("2022-09-16T15:00:00Z"));
        assert_eq!(r.fields.as_deref(), Some("start/end"));
        assert_eq!(r.without_offset, 0);
    }

    #[test]
    fn z_suffix_space_separator_and_minutes_only() {
        for (text, want) in [
            ("2022-09-16T04:50:00Z", "2022-09-16T04:50:00Z"),
            ("2022-09-16 04:50:00+06:00", "2022-09-15T22:50:00Z"),
            ("2022-09-16T04:50+05:00", "2022-09-15T23:50:00Z"),
            (
                "2022-09-16T04:50:00+05:00[Asia/Dushanbe]",
                "2022-09-15T23:50:00Z",
            ),
            ("20220916T045000Z", "2022-09-16T04:50:00Z"),
        ] {
            let p = TimeReader::default().parse_text(text).unwrap();
            assert_eq!(p.start, utc(want), "{text}");
            assert!(p.had_offset, "{text}");
        }
    }

    #[test]
    fn value_without_offset_is_read_in_layer_zone() {
        let zone = TimeZone::get("Asia/Bishkek").unwrap();
        let r = TimeReader::new(zone, None).read(r#"{"time":"2022-09-16T06:00:00"}"#);
        assert_eq!(r.span.unwrap().start(), utc("2022-09-16T00:00:00Z"));
        assert_eq!(r.without_offset, 1);
    }

    #[test]
    fn date_only_covers_the_whole_day() {
        let r = read(r#"{"date":"2022-09-16"}"#);
        let span = r.span.unwrap();
        assert_eq!(span.start(), utc("2022-09-16T00:00:00Z"));
        assert!(
            span.end() > utc("2022-09-16T23:59:59Z") && span.end() < utc("2022-09-17T00:00:00Z")
        );
        assert_eq!(r.fields.as_deref(), Some("date"));
    }

    #[test]
    fn unix_seconds_and_milliseconds() {
        let s = read(r#"{"timestamp":1663304400}"#).span.unwrap();
        let ms = read(r#"{"timestamp":1663304400000}"#).span.unwrap();
        let text = read(r#"{"timestamp":"1663304400"}"#).span.unwrap();
        assert_eq!(s.start(), utc("2022-09-16T05:00:00Z"));
        assert_eq!(ms, s);
        assert_eq!(text, s);
    }

    #[test]
    fn names_are_case_insensitive_and_pairs_win() {
        let r = read(
            r#"{"Date":"2020-01-01","BEGIN":"2022-09-16T00:00:00Z","End":"2022-09-17T00:00:00Z"}"#,
        );
        assert_eq!(r.fields.as_deref(), Some("begin/end"));
        assert_eq!(r.span.unwrap().start(), utc("2022-09-16T00:00:00Z"));
        let r = read(r#"{"START_TIME":"2022-09-16T00:00:00Z","end_time":"2022-09-18T00:00:00Z"}"#);
        assert_eq!(r.fields.as_deref(), Some("start_time/end_time"));
        let r = read(r#"{"event_date":"2021-04-29"}"#);
        assert_eq!(r.fields.as_deref(), Some("event_date"));
    }

    #[test]
    fn end_before_start_is_a_warning_and_keeps_the_start() {
        let r = read(r#"{"start":"2022-09-17T00:00:00Z","end":"2022-09-16T00:00:00Z"}"#);
        assert_eq!(r.span, Some(TimeSpan::instant(utc("2022-09-17T00:00:00Z"))));
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains("precedes"), "{:?}", r.warnings);
    }

    #[test]
    fn unreadable_value_is_a_warning_and_no_span() {
        let r = read(r#"{"date":"last tuesday"}"#);
        assert_eq!(r.span, None);
        assert!(r.warnings[0].contains("'date'"), "{:?}", r.warnings);
        let r = read(r#"{"time":true}"#);
        assert!(r.warnings[0].contains("boolean"));
        let r = read(r#"{"time":1e300}"#);
        assert_eq!(r.span, None);
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn override_picks_other_fields() {
        let reader = TimeReader::new(
            TimeZone::UTC,
            Some(TimeFields {
                start: "Reported".into(),
                end: None,
            }),
        );
        let r = reader.read(r#"{"date":"2020-01-01","reported":"2022-09-16T10:00:00Z"}"#);
        assert_eq!(r.span.unwrap().start(), utc("2022-09-16T10:00:00Z"));
        assert_eq!(r.fields.as_deref(), Some("reported"));
    }

    #[test]
    fn no_time_properties_means_timeless() {
        assert_eq!(read(r#"{"name":"x"}"#), TimeReading::default());
        assert_eq!(read("null"), TimeReading::default());
    }
}
