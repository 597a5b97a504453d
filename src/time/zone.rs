//! Display zones, and reading and writing times and durations as people type them.
//!
//! Instants are stored as UTC; a [`DisplayZone`] only changes how they are shown and how
//! text without an offset is read.

use std::fmt::Write as _;
use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

/// The zone times are shown in. It never changes an instant, only how it is written.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum DisplayZone {
    /// Coordinated Universal Time.
    #[default]
    Utc,
    /// Asia/Bishkek, Kyrgyzstan (UTC+6 all year).
    Bishkek,
    /// Asia/Dushanbe, Tajikistan (UTC+5 all year).
    Dushanbe,
    /// The system's zone (UTC when it cannot be determined).
    Local,
}

impl DisplayZone {
    /// Every zone, in the order a picker offers them.
    pub const ALL: [DisplayZone; 4] = [
        DisplayZone::Utc,
        DisplayZone::Bishkek,
        DisplayZone::Dushanbe,
        DisplayZone::Local,
    ];

    /// The name a view file and `--zone` use: `UTC`, `Asia/Bishkek`, `Asia/Dushanbe`, `local`.
    pub fn name(self) -> &'static str {
        match self {
            DisplayZone::Utc => "UTC",
            DisplayZone::Bishkek => "Asia/Bishkek",
            DisplayZone::Dushanbe => "Asia/Dushanbe",
            DisplayZone::Local => "local",
        }
    }

    /// Reads a zone as typed (`--zone`, a view file): its [`name`](Self::name), or
    /// `Bishkek`, `KG`, `+06:00`, `UTC+6` and the like, in any case.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "utc" | "z" | "gmt" => Ok(DisplayZone::Utc),
            "asia/bishkek" | "bishkek" | "kg" | "+06:00" | "utc+6" | "utc+06" => {
                Ok(DisplayZone::Bishkek)
            }
            "asia/dushanbe" | "dushanbe" | "tj" | "+05:00" | "utc+5" | "utc+05" => {
                Ok(DisplayZone::Dushanbe)
            }
            "local" => Ok(DisplayZone::Local),
            other => Err(format!(
                "unknown zone '{other}': use UTC, Asia/Bishkek, Asia/Dushanbe or local"
            )),
        }
    }

    /// The name shown in a picker, e.g. `"Asia/Bishkek (UTC+6)"` or `"Local (Europe/Berlin)"`.
    pub fn label(self) -> String {
        match self {
            DisplayZone::Utc => "UTC".to_owned(),
            DisplayZone::Bishkek => "Asia/Bishkek (UTC+6)".to_owned(),
            DisplayZone::Dushanbe => "Asia/Dushanbe (UTC+5)".to_owned(),
            DisplayZone::Local => {
                let tz = self.tz();
                let name = match tz.iana_name() {
                    Some(name) => name.to_owned(),
                    // A zone read from a TZif file without a name: say its offset now.
                    None => offset_label(tz.to_offset(Timestamp::now())),
                };
                crate::tr!("timeline-zone-local", name = name)
            }
        }
    }

    /// The zone itself, from the bundled tz database (the system's for `Local`).
    pub fn tz(self) -> TimeZone {
        /// Looked up once: the bundled database never changes while the app runs.
        fn cached(cell: &'static OnceLock<TimeZone>, name: &str, hours: i8) -> TimeZone {
            cell.get_or_init(|| {
                // The database is bundled, so the lookup only fails if the build is broken;
                // the fixed offset is what these zones have used since 2005 and 1991.
                TimeZone::get(name).unwrap_or_else(|_| TimeZone::fixed(Offset::constant(hours)))
            })
            .clone()
        }
        static BISHKEK: OnceLock<TimeZone> = OnceLock::new();
        static DUSHANBE: OnceLock<TimeZone> = OnceLock::new();
        match self {
            DisplayZone::Utc => TimeZone::UTC,
            DisplayZone::Bishkek => cached(&BISHKEK, "Asia/Bishkek", 6),
            DisplayZone::Dushanbe => cached(&DUSHANBE, "Asia/Dushanbe", 5),
            // jiff caches the system zone itself and notices when it changes.
            DisplayZone::Local => TimeZone::try_system().unwrap_or(TimeZone::UTC),
        }
    }

    /// Date and time to the minute, naming the offset: `"2022-09-16 12:00 UTC+06"`,
    /// `"2022-09-16 06:00 UTC"`.
    pub fn format(self, t: Timestamp) -> String {
        let tz = self.tz();
        let dt = tz.to_datetime(t);
        let mut out = String::with_capacity(24);
        write_date(&mut out, dt);
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            " {:02}:{:02} {}",
            dt.hour(),
            dt.minute(),
            offset_label(tz.to_offset(t))
        );
        out
    }

    /// The calendar date, the clock (`"12:00"`) and the offset's name (`"UTC+06"`) of `t` in
    /// this zone, for a time said in words.
    pub fn parts(self, t: Timestamp) -> (jiff::civil::Date, String, String) {
        let tz = self.tz();
        let dt = tz.to_datetime(t);
        (
            dt.date(),
            format!("{:02}:{:02}", dt.hour(), dt.minute()),
            offset_label(tz.to_offset(t)),
        )
    }

    /// The calendar date in this zone: `"2022-09-16"`.
    pub fn format_date(self, t: Timestamp) -> String {
        let mut out = String::with_capacity(10);
        write_date(&mut out, self.tz().to_datetime(t));
        out
    }
}

/// A time as a source reported it (RFC 3339 with its own offset), in the form every other
/// time is shown, on the source's own clock: `"2022-09-16 04:50 UTC+05"`; only the date when
/// it is known to the day (`precision` `day` or `days`): `"2022-09-16 (UTC+06)"`. Text that
/// is not such a time is returned as it is.
pub fn format_reported(text: &str, precision: &str) -> String {
    let text = text.trim();
    let Ok(t) = text.parse::<Timestamp>() else {
        return text.to_owned();
    };
    let offset = reported_offset(text).unwrap_or(Offset::UTC);
    let dt = offset.to_datetime(t);
    let mut out = String::with_capacity(24);
    write_date(&mut out, dt);
    // Writing to a String cannot fail.
    let _ = if matches!(precision.trim(), "day" | "days") {
        write!(out, " ({})", offset_label(offset))
    } else {
        write!(
            out,
            " {:02}:{:02} {}",
            dt.hour(),
            dt.minute(),
            offset_label(offset)
        )
    };
    out
}

/// The days of an event known only to the day, on its source's clock: `"2022-09-18
/// (UTC+06)"`, or `"2022-09-15 to 2022-09-17 (UTC+06)"` when it spans several; `start_text`
/// is its start as written (RFC 3339 with its offset), `end` its last instant. `None` when
/// the start cannot be read.
pub fn format_day_span(start_text: &str, end: Timestamp) -> Option<String> {
    let text = start_text.trim();
    let start = text.parse::<Timestamp>().ok()?;
    let offset = reported_offset(text).unwrap_or(Offset::UTC);
    let (a, b) = (
        offset.to_datetime(start),
        offset.to_datetime(end.max(start)),
    );
    let mut out = String::with_capacity(32);
    write_date(&mut out, a);
    if b.date() != a.date() {
        let mut to = String::with_capacity(10);
        write_date(&mut to, b);
        out = crate::tr!("events-date-range", from = out, to = to);
    }
    let _ = write!(out, " ({})", offset_label(offset));
    Some(out)
}

/// The offset at the end of an RFC 3339 time: `Z`, `+06:00`, `-0330`.
fn reported_offset(text: &str) -> Option<Offset> {
    if text.ends_with(['Z', 'z']) {
        return Some(Offset::UTC);
    }
    // `tail` is a prefix of `text`, so its length is a character boundary.
    let tail = text.trim_end_matches(|c: char| c.is_ascii_digit() || c == ':');
    let digits: String = text[tail.len()..].chars().filter(|c| *c != ':').collect();
    let sign = match tail.chars().last()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    if digits.len() != 4 {
        return None;
    }
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..)?.parse().ok()?;
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// `YYYY-MM-DD`.
fn write_date(out: &mut String, dt: DateTime) {
    // Writing to a String cannot fail.
    let _ = write!(out, "{:04}-{:02}-{:02}", dt.year(), dt.month(), dt.day());
}

/// `"UTC"` for a zero offset, else `"UTC+06"`, `"UTC-03:30"`.
fn offset_label(offset: Offset) -> String {
    let secs = offset.seconds();
    if secs == 0 {
        return "UTC".to_owned();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    let (hours, minutes) = (abs / 3600, abs % 3600 / 60);
    if minutes == 0 {
        format!("UTC{sign}{hours:02}")
    } else {
        format!("UTC{sign}{hours:02}:{minutes:02}")
    }
}

/// Examples for error messages: what [`parse_user_time`] accepts.
/// Examples of times as [`parse_user_time`] reads them, in the interface's language.
fn time_examples() -> String {
    crate::tr!("timeline-examples")
}

/// Reads a time typed by the user ("jump to"). Text with an offset (`Z`, `+05:00`, or a
/// trailing `UTC`, `UTC+06` as [`DisplayZone::format`] writes it) or a bracketed zone
/// (`[Asia/Dushanbe]`) is exact; text without one is read in `zone`. A date alone means its
/// midnight. Accepted: `2022-09-16`, `2022-09-16 18:00`, `2022-09-16T18:00:30`,
/// `2022-09-16T18:00+05:00`, `2022-09-16T12:00Z`, `2022-09-16 12:00 UTC+06`, `16.09.2022`,
/// `16.09.2022 18:00`.
pub fn parse_user_time(text: &str, zone: DisplayZone) -> Result<Timestamp, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::tr!(
            "timeline-error-empty",
            examples = time_examples()
        ));
    }
    // A separate trailing offset, as `DisplayZone::format` writes it.
    if let Some((rest, token)) = text.rsplit_once(char::is_whitespace)
        && let Some(offset) = parse_offset(token)
    {
        let civil = parse_civil(rest.trim_end(), text)?;
        return offset
            .to_timestamp(civil)
            .map_err(|e| crate::tr!("timeline-error-range", text = text, error = e.to_string()));
    }
    if parse_dotted(text).is_none() {
        if let Ok(t) = text.parse::<Timestamp>() {
            return Ok(t);
        }
        if let Ok(zoned) = text.parse::<jiff::ZonedDateTime>() {
            return Ok(zoned.timestamp());
        }
    }
    let civil = parse_civil(text, text)?;
    zone.tz().to_timestamp(civil).map_err(|e| {
        crate::tr!(
            "timeline-error-range-zone",
            text = text,
            zone = zone.label(),
            error = e.to_string()
        )
    })
}

/// A date and time without offset: ISO (`2022-09-16 18:00`) or dotted (`16.09.2022`).
/// `whole` is the user's full text, for the message.
fn parse_civil(text: &str, whole: &str) -> Result<DateTime, String> {
    if let Some(dotted) = parse_dotted(text) {
        return dotted;
    }
    text.parse::<DateTime>().map_err(|e| {
        // Say what jiff found wrong only when the text looks like an ISO date at all.
        let b = text.as_bytes();
        let iso_like = b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
        if iso_like {
            crate::tr!(
                "timeline-error-unreadable-why",
                text = whole,
                error = e.to_string(),
                examples = time_examples()
            )
        } else {
            crate::tr!(
                "timeline-error-unreadable",
                text = whole,
                examples = time_examples()
            )
        }
    })
}

/// An offset written on its own: `Z`, `UTC`, `UTC+06`, `UTC-03:30`, `+05:00`, `+0530`.
fn parse_offset(token: &str) -> Option<Offset> {
    let upper = token.to_ascii_uppercase();
    let signed = match upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
    {
        Some("") => return Some(Offset::UTC),
        Some(rest) => rest,
        None if upper == "Z" => return Some(Offset::UTC),
        None => upper.as_str(),
    };
    let (sign, digits) = match signed.as_bytes().first()? {
        b'+' => (1, &signed[1..]),
        b'-' => (-1, &signed[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let number = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (hours, minutes) = (number(hours, 2)?, number(minutes, 2)?);
    if minutes >= 60 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

/// `DD.MM.YYYY` with an optional time after a space or `T`: `None` when the text is not
/// in that form at all, `Some(Err)` when it is but names no real date or time.
fn parse_dotted(text: &str) -> Option<Result<DateTime, String>> {
    let (date_part, time_part) = match text.split_once([' ', 'T', 't']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text, None),
    };
    let mut fields = date_part.split('.');
    let (day, month, year) = (fields.next()?, fields.next()?, fields.next()?);
    let digits =
        |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if fields.next().is_some() || !digits(day, &[1, 2]) || !digits(month, &[1, 2]) {
        return None;
    }
    if !digits(year, &[4]) {
        return Some(Err(crate::tr!("timeline-error-year", text = text)));
    }
    // All three are short runs of ASCII digits, so they fit.
    let (Ok(day), Ok(month), Ok(year)) = (day.parse(), month.parse(), year.parse()) else {
        return None;
    };
    let date = match Date::new(year, month, day) {
        Ok(date) => date,
        Err(e) => {
            return Some(Err(crate::tr!(
                "timeline-error-not-date",
                text = text,
                error = e.to_string()
            )));
        }
    };
    let time = match time_part {
        None | Some("") => Time::midnight(),
        Some(time) => match time.parse::<Time>() {
            Ok(time) => time,
            Err(e) => {
                return Some(Err(crate::tr!(
                    "timeline-error-time",
                    text = text,
                    error = e.to_string()
                )));
            }
        },
    };
    Some(Ok(date.to_datetime(time)))
}

/// Units [`parse_duration`] accepts, with their length in seconds.
const DURATION_UNITS: [(char, i64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// Reads a duration such as `"6h"`, `"1d"`, `"2w"`, `"90m"`, `"1d12h"` or `"1d 12h"` into
/// seconds. Units: `w`eeks, `d`ays, `h`ours, `m`inutes, `s`econds (case-insensitive).
/// The result is always greater than zero.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("no duration given; type e.g. 6h, 1d, 2w, 90m or 1d12h".to_owned());
    }
    let mut total: i64 = 0;
    let mut number: Option<i64> = None;
    for c in trimmed.chars() {
        if let Some(digit) = c.to_digit(10) {
            let n = number
                .unwrap_or(0)
                .checked_mul(10)
                .and_then(|n| n.checked_add(i64::from(digit)))
                .ok_or_else(|| format!("duration \"{trimmed}\" is too long"))?;
            number = Some(n);
        } else if c.is_whitespace() {
            if number.is_some() {
                return Err(format!(
                    "missing a unit right after {} in \"{trimmed}\"; use w, d, h, m or s",
                    number.unwrap_or(0)
                ));
            }
        } else {
            let lower = c.to_ascii_lowercase();
            let Some(&(_, unit_secs)) = DURATION_UNITS.iter().find(|(u, _)| *u == lower) else {
                return Err(format!(
                    "unknown unit '{c}' in \"{trimmed}\"; use w, d, h, m or s (e.g. 1d12h)"
                ));
            };
            let Some(n) = number.take() else {
                return Err(format!("a number must come before '{c}' in \"{trimmed}\""));
            };
            total = n
                .checked_mul(unit_secs)
                .and_then(|secs| total.checked_add(secs))
                .ok_or_else(|| format!("duration \"{trimmed}\" is too long"))?;
        }
    }
    if let Some(n) = number {
        return Err(format!(
            "missing a unit after {n} in \"{trimmed}\"; use w, d, h, m or s (e.g. {n}h)"
        ));
    }
    if total == 0 {
        return Err(format!("duration \"{trimmed}\" must be longer than zero"));
    }
    Ok(total)
}

/// Writes seconds the way [`parse_duration`] reads them, largest units first: `"1d12h"`,
/// `"2w"`, `"30d"` (weeks only when whole), `"1m30s"`; zero and less is `"0s"`.
pub fn format_duration(secs: i64) -> String {
    if secs <= 0 {
        return "0s".to_owned();
    }
    let mut rest = secs;
    let mut out = String::new();
    // Weeks only when they are whole ("2w"), else days ("10d", "30d").
    let units = if secs % DURATION_UNITS[0].1 == 0 {
        &DURATION_UNITS[..1]
    } else {
        &DURATION_UNITS[1..]
    };
    for &(unit, unit_secs) in units {
        let n = rest / unit_secs;
        if n > 0 {
            // Writing to a String cannot fail.
            let _ = write!(out, "{n}{unit}");
            rest %= unit_secs;
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_day_known_event_reads_as_its_days_on_its_own_clock() {
        // 00:00 in Bishkek is 18:00 UTC the day before: the made-up hour is never shown.
        assert_eq!(
            format_day_span("2022-09-18T00:00:00+06:00", utc("2022-09-18T17:59:59Z")).as_deref(),
            Some("2022-09-18 (UTC+06)")
        );
        assert_eq!(
            format_day_span("2021-04-29T00:00:00+06:00", utc("2021-04-30T17:59:59Z")).as_deref(),
            Some("2021-04-29 to 2021-04-30 (UTC+06)")
        );
        assert_eq!(format_day_span("soon", utc("2021-04-30T17:59:59Z")), None);
    }

    #[test]
    fn one_instant_in_three_zones() {
        let t = utc("2022-09-16T06:00:00Z");
        assert_eq!(DisplayZone::Bishkek.format(t), "2022-09-16 12:00 UTC+06");
        assert_eq!(DisplayZone::Dushanbe.format(t), "2022-09-16 11:00 UTC+05");
        assert_eq!(DisplayZone::Utc.format(t), "2022-09-16 06:00 UTC");
    }

    #[test]
    fn format_date_follows_the_zone() {
        let t = utc("2022-09-16T20:00:00Z");
        assert_eq!(DisplayZone::Utc.format_date(t), "2022-09-16");
        assert_eq!(DisplayZone::Bishkek.format_date(t), "2022-09-17");
    }

    #[test]
    fn labels_name_the_zone() {
        assert_eq!(DisplayZone::Utc.label(), "UTC");
        assert_eq!(DisplayZone::Bishkek.label(), "Asia/Bishkek (UTC+6)");
        assert_eq!(DisplayZone::Dushanbe.label(), "Asia/Dushanbe (UTC+5)");
        assert!(DisplayZone::Local.label().starts_with("Local ("));
        assert_eq!(DisplayZone::Bishkek.tz().iana_name(), Some("Asia/Bishkek"));
        assert_eq!(
            DisplayZone::Dushanbe.tz().iana_name(),
            Some("Asia/Dushanbe")
        );
    }

    #[test]
    fn offsets_with_minutes_and_negative() {
        assert_eq!(
            offset_label(Offset::from_seconds(5 * 3600 + 1800).unwrap()),
            "UTC+05:30"
        );
        assert_eq!(offset_label(Offset::constant(-3)), "UTC-03");
    }

    #[test]
    fn parse_user_time_without_offset_reads_in_the_zone() {
        let b = DisplayZone::Bishkek;
        assert_eq!(
            parse_user_time("2022-09-16", b),
            Ok(utc("2022-09-15T18:00Z"))
        );
        assert_eq!(
            parse_user_time("2022-09-16 18:00", b),
            Ok(utc("2022-09-16T12:00Z"))
        );
        assert_eq!(
            parse_user_time("2022-09-16T18:00:30", b),
            Ok(utc("2022-09-16T12:00:30Z"))
        );
        assert_eq!(
            parse_user_time("16.09.2022", b),
            Ok(utc("2022-09-15T18:00Z"))
        );
        assert_eq!(
            parse_user_time("  16.09.2022 18:00 ", b),
            Ok(utc("2022-09-16T12:00Z"))
        );
        assert_eq!(
            parse_user_time("1.9.2022", DisplayZone::Utc),
            Ok(utc("2022-09-01T00:00Z"))
        );
        assert_eq!(
            parse_user_time("2022-09-16", DisplayZone::Utc),
            Ok(utc("2022-09-16T00:00Z"))
        );
    }

    #[test]
    fn parse_user_time_with_offset_ignores_the_zone() {
        for zone in DisplayZone::ALL {
            assert_eq!(
                parse_user_time("2022-09-16T18:00+05:00", zone),
                Ok(utc("2022-09-16T13:00Z"))
            );
            assert_eq!(
                parse_user_time("2022-09-16T18:00Z", zone),
                Ok(utc("2022-09-16T18:00Z"))
            );
            assert_eq!(
                parse_user_time("2022-09-16T18:00[Asia/Dushanbe]", zone),
                Ok(utc("2022-09-16T13:00Z"))
            );
        }
    }

    #[test]
    fn parse_user_time_reads_what_format_writes() {
        let t = utc("2022-09-16T06:00:00Z");
        for shown in DisplayZone::ALL {
            for typed_in in DisplayZone::ALL {
                assert_eq!(
                    parse_user_time(&shown.format(t), typed_in),
                    Ok(t),
                    "{shown:?}"
                );
            }
        }
        let z = DisplayZone::Utc;
        assert_eq!(
            parse_user_time("2022-09-16 18:00 +05:00", z),
            Ok(utc("2022-09-16T13:00Z"))
        );
        assert_eq!(
            parse_user_time("16.09.2022 18:00 UTC+0530", z),
            Ok(utc("2022-09-16T12:30Z"))
        );
        assert_eq!(parse_user_time("2022-09-16 06:00 Z", z), Ok(t));
        assert_eq!(
            parse_user_time("2022-09-16 utc-3", z),
            Ok(utc("2022-09-16T03:00Z"))
        );
    }

    #[test]
    fn parse_user_time_rejects_garbage_clearly() {
        let z = DisplayZone::Utc;
        for bad in [
            "",
            "   ",
            "yesterday",
            "2022-13-01",
            "2022-02-30",
            "31.02.2022",
            "16.09.22",
            "16.09.2022 25:00",
            "12:00",
            "2022-09-16 18:00 UTC+99",
            "2022-09-16 18:00 UTC+5:75",
            "UTC",
        ] {
            let err = parse_user_time(bad, z).expect_err(bad);
            assert!(!err.is_empty(), "{bad}");
        }
        let err = parse_user_time("yesterday", z).unwrap_err();
        assert!(
            err.contains("\"yesterday\"") && err.contains("2022-09-16"),
            "{err}"
        );
        assert!(
            parse_user_time("31.02.2022", z)
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(
            parse_user_time("16.09.22", z)
                .unwrap_err()
                .contains("four digits")
        );
    }

    #[test]
    fn parse_duration_good() {
        assert_eq!(parse_duration("6h"), Ok(6 * 3600));
        assert_eq!(parse_duration("1d"), Ok(86_400));
        assert_eq!(parse_duration("2w"), Ok(14 * 86_400));
        assert_eq!(parse_duration("90m"), Ok(5_400));
        assert_eq!(parse_duration("1d12h"), Ok(36 * 3600));
        assert_eq!(parse_duration(" 1d 12h "), Ok(36 * 3600));
        assert_eq!(parse_duration("45s"), Ok(45));
        assert_eq!(parse_duration("6H"), Ok(6 * 3600));
    }

    #[test]
    fn parse_duration_bad() {
        for bad in [
            "",
            "6",
            "h",
            "6x",
            "1 d",
            "0h",
            "-1d",
            "1.5d",
            "99999999999999999999w",
        ] {
            let err = parse_duration(bad).expect_err(bad);
            assert!(!err.is_empty(), "{bad}");
        }
        assert!(parse_duration("6").unwrap_err().contains("missing a unit"));
        assert!(
            parse_duration("6x")
                .unwrap_err()
                .contains("unknown unit 'x'")
        );
        assert!(
            parse_duration("0h")
                .unwrap_err()
                .contains("longer than zero")
        );
        assert!(
            parse_duration("99999999999999999999w")
                .unwrap_err()
                .contains("too long")
        );
    }

    #[test]
    fn reported_times_are_shown_on_their_own_clock_in_the_usual_form() {
        assert_eq!(
            format_reported("2022-09-16T04:50:00+05:00", "minute"),
            "2022-09-16 04:50 UTC+05"
        );
        assert_eq!(
            format_reported("2022-09-16T00:00:00+06:00", "days"),
            "2022-09-16 (UTC+06)"
        );
        assert_eq!(
            format_reported("2021-04-28T13:30:00Z", "hour"),
            "2021-04-28 13:30 UTC"
        );
        assert_eq!(
            format_reported("2021-04-28T13:30:00-03:30", "minute"),
            "2021-04-28 13:30 UTC-03:30"
        );
        assert_eq!(format_reported("not stated", "day"), "not stated");
        assert_eq!(format_reported("Ворух 2022", "day"), "Ворух 2022");
    }

    #[test]
    fn format_duration_round_trips() {
        for secs in [
            1,
            59,
            60,
            90,
            3600,
            5400,
            86_400,
            36 * 3600,
            14 * 86_400,
            1_000_003,
        ] {
            assert_eq!(parse_duration(&format_duration(secs)), Ok(secs));
        }
        assert_eq!(format_duration(36 * 3600), "1d12h");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(14 * 86_400), "2w");
        assert_eq!(format_duration(30 * 86_400), "30d");
        assert_eq!(format_duration(90), "1m30s");
    }
}
