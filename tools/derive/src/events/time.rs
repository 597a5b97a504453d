//! RFC 3339 instants with the offset the source used.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

/// An instant as written in the output, plus its value for comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Instant {
    /// `YYYY-MM-DDTHH:MM:SS±HH:MM`
    pub text: String,
    pub timestamp: Timestamp,
}

/// Reads `±HH:MM` (no `Z`: every value must say which clock it is in).
pub fn parse_offset(s: &str) -> Result<Offset, String> {
    let b = s.as_bytes();
    let ok = b.len() == 6
        && (b[0] == b'+' || b[0] == b'-')
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && b[3] == b':'
        && b[4].is_ascii_digit()
        && b[5].is_ascii_digit();
    if !ok {
        return Err(format!("offset {s:?} is not of the form +HH:MM"));
    }
    let hours = i32::from(b[1] - b'0') * 10 + i32::from(b[2] - b'0');
    let minutes = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    if hours > 14 || minutes > 59 {
        return Err(format!("offset {s:?} is out of range"));
    }
    let sign = if b[0] == b'-' { -1 } else { 1 };
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60))
        .map_err(|e| format!("offset {s:?}: {e}"))
}

fn format_offset(offset: Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.abs();
    format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60)
}

/// Parses a start or end value of `events.json`:
/// - `YYYY-MM-DD` (day only): 00:00:00 for a start, 23:59:59 for an end, in `clock`;
/// - `YYYY-MM-DDTHH:MM[:SS]±HH:MM`: kept in its own offset.
pub fn parse_instant(value: &str, is_end: bool, clock: Option<&str>) -> Result<Instant, String> {
    let value = value.trim();
    let (dt, offset) = if value.len() == 10 {
        let date: Date = value
            .parse()
            .map_err(|e| format!("bad date {value:?}: {e}"))?;
        let clock = clock.ok_or_else(|| {
            format!("{value:?} has no time and the event gives no \"clock\" (e.g. \"+06:00\")")
        })?;
        let time = if is_end {
            Time::constant(23, 59, 59, 0)
        } else {
            Time::midnight()
        };
        (date.to_datetime(time), parse_offset(clock)?)
    } else {
        if value.len() < 22 || !value.is_char_boundary(value.len() - 6) {
            return Err(format!(
                "{value:?} is neither a date nor a date-time with an offset (YYYY-MM-DDTHH:MM+06:00)"
            ));
        }
        let (dt_s, off_s) = value.split_at(value.len() - 6);
        if !dt_s.contains('T') {
            return Err(format!("{value:?}: expected a 'T' between date and time"));
        }
        let dt: DateTime = dt_s
            .parse()
            .map_err(|e| format!("bad date-time {value:?}: {e}"))?;
        (
            dt,
            parse_offset(off_s).map_err(|e| format!("{value:?}: {e}"))?,
        )
    };
    let timestamp = offset
        .to_timestamp(dt)
        .map_err(|e| format!("{value:?}: {e}"))?;
    let text = format!(
        "{}{}",
        dt.strftime("%Y-%m-%dT%H:%M:%S"),
        format_offset(offset)
    );
    Ok(Instant { text, timestamp })
}

/// Start and end of an event; an error when the end is before the start.
pub fn parse_span(
    start: &str,
    end: &str,
    clock: Option<&str>,
) -> Result<(Instant, Instant), String> {
    let s = parse_instant(start, false, clock).map_err(|e| format!("start: {e}"))?;
    let e = parse_instant(end, true, clock).map_err(|e| format!("end: {e}"))?;
    check_order(&s, &e)?;
    Ok((s, e))
}

/// The output invariant end >= start (as instants, whatever the offsets).
pub fn check_order(start: &Instant, end: &Instant) -> Result<(), String> {
    if end.timestamp < start.timestamp {
        return Err(format!("end {} is before start {}", end.text, start.text));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_values_expand_in_the_clock() {
        let (s, e) = parse_span("2021-05-01", "2021-05-01", Some("+06:00")).expect("ok");
        assert_eq!(s.text, "2021-05-01T00:00:00+06:00");
        assert_eq!(e.text, "2021-05-01T23:59:59+06:00");
    }

    #[test]
    fn offsets_are_kept_and_compared_as_instants() {
        let s = parse_instant("2022-09-16T04:50+05:00", false, None).expect("ok");
        assert_eq!(s.text, "2022-09-16T04:50:00+05:00");
        // 11:50+05:00 (06:50Z) to 19:00+06:00 (13:00Z): fine.
        assert!(parse_span("2022-09-17T11:50+05:00", "2022-09-17T19:00+06:00", None).is_ok());
        // 05:00+05:00 is 00:00Z; 05:30+06:00 is 23:30Z of the day before.
        let err = parse_span("2022-09-16T05:00+05:00", "2022-09-16T05:30+06:00", None).unwrap_err();
        assert!(err.contains("before"), "{err}");
    }

    #[test]
    fn end_before_start_is_rejected() {
        assert!(parse_span("2022-03-11T03:10+06:00", "2022-03-11T02:50+06:00", None).is_err());
        assert!(parse_span("2021-05-04", "2021-04-29", Some("+06:00")).is_err());
    }

    #[test]
    fn values_without_offset_are_rejected() {
        assert!(parse_instant("2022-09-16T04:50", false, None).is_err());
        assert!(parse_instant("2022-09-16T04:50Z", false, None).is_err());
        assert!(parse_instant("2022-09-16", false, None).is_err());
        assert!(parse_offset("+6:00").is_err());
    }
}
