//! What a claim holds: figures with the qualifier the source gave them ("more than 100"),
//! a breakdown by group where the source gave no total, an account in words, and the date
//! the claim was reported. Pure functions, tested on small inputs.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// How a figure was stated. `exact` is a plain number; the others keep the source's words.
pub const QUALIFIERS: [&str; 5] = ["exact", "at_least", "more_than", "about", "up_to"];

/// Words in a claim's note that qualify a number: the number must then carry a qualifier
/// (or the note must not use the word).
const QUALIFYING_WORDS: [&str; 6] = [
    "at least",
    "more than",
    "about ",
    "up to",
    "lower bound",
    "over ",
];

/// A figure in `events.json`: a plain number (exact), `{ "value", "qualifier" }`, or
/// `{ "breakdown": [{ "group", "value", "qualifier"? }, ...] }` when the source gave only parts.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum FigureIn {
    Exact(u64),
    Stated(StatedIn),
    Breakdown(BreakdownIn),
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct StatedIn {
    pub value: u64,
    pub qualifier: String,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct BreakdownIn {
    pub breakdown: Vec<PartIn>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct PartIn {
    pub group: String,
    pub value: u64,
    #[serde(default)]
    pub qualifier: Option<String>,
}

/// A figure in `events.geojson`: always with its qualifier; a breakdown has no total.
#[derive(Debug, Serialize, Clone, PartialEq)]
#[serde(untagged)]
pub enum FigureOut {
    Stated { value: u64, qualifier: String },
    Breakdown { breakdown: Vec<PartOut> },
}

#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct PartOut {
    pub group: String,
    pub value: u64,
    pub qualifier: String,
}

fn qualifier(q: Option<&str>) -> Result<String, String> {
    let q = q.unwrap_or("exact");
    if QUALIFIERS.contains(&q) {
        Ok(q.to_string())
    } else {
        Err(format!(
            "qualifier {q:?} is not one of {}",
            QUALIFIERS.join(", ")
        ))
    }
}

/// Checks and writes a figure.
pub fn figure(f: &FigureIn) -> Result<FigureOut, String> {
    match f {
        FigureIn::Exact(v) => Ok(FigureOut::Stated {
            value: *v,
            qualifier: "exact".into(),
        }),
        FigureIn::Stated(s) => Ok(FigureOut::Stated {
            value: s.value,
            qualifier: qualifier(Some(&s.qualifier))?,
        }),
        FigureIn::Breakdown(b) => {
            if b.breakdown.len() < 2 {
                return Err("a breakdown needs at least two groups".into());
            }
            let mut parts = Vec::with_capacity(b.breakdown.len());
            for p in &b.breakdown {
                if p.group.trim().is_empty() {
                    return Err("a breakdown group has no name".into());
                }
                if parts.iter().any(|o: &PartOut| o.group == p.group) {
                    return Err(format!("breakdown group {:?} appears twice", p.group));
                }
                parts.push(PartOut {
                    group: p.group.clone(),
                    value: p.value,
                    qualifier: qualifier(p.qualifier.as_deref())?,
                });
            }
            Ok(FigureOut::Breakdown { breakdown: parts })
        }
    }
}

impl FigureOut {
    /// True when every number in it is exact.
    pub fn is_exact(&self) -> bool {
        match self {
            Self::Stated { qualifier, .. } => qualifier == "exact",
            Self::Breakdown { breakdown } => breakdown.iter().all(|p| p.qualifier == "exact"),
        }
    }
}

/// A note that qualifies a number ("more than 200", "the 200 is a lower bound") while every
/// figure of the claim is exact: the qualifier was lost. Returns the word found.
pub fn lost_qualifier<'a>(
    note: &str,
    figures: impl IntoIterator<Item = &'a FigureOut>,
) -> Option<&'static str> {
    let lower = note.to_lowercase();
    let word = QUALIFYING_WORDS.iter().find(|w| lower.contains(*w))?;
    let figures: Vec<&FigureOut> = figures.into_iter().collect();
    (!figures.is_empty() && figures.iter().all(|f| f.is_exact())).then_some(*word)
}

// ---------------------------------------------------------------------------------------
// Dates

/// A calendar date at the precision known: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl Period {
    /// A fact-sheet publication date: "2021", "Apr 2021", "1 May 2021".
    pub fn parse_published(text: &str) -> Result<Self, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let bad =
            || format!("publication date {text:?} is not \"YYYY\", \"Mon YYYY\" or \"D Mon YYYY\"");
        let year = |w: &str| -> Result<i16, String> {
            w.parse::<i16>()
                .ok()
                .filter(|y| (1900..=2100).contains(y))
                .ok_or_else(bad)
        };
        let month = |w: &str| -> Result<i8, String> {
            let lower = w.to_lowercase();
            MONTHS
                .iter()
                .position(|m| lower.starts_with(m))
                .map(|i| i as i8 + 1)
                .ok_or_else(bad)
        };
        let p = match words.as_slice() {
            [y] => Self {
                year: year(y)?,
                month: None,
                day: None,
            },
            [m, y] => Self {
                year: year(y)?,
                month: Some(month(m)?),
                day: None,
            },
            [d, m, y] => Self {
                year: year(y)?,
                month: Some(month(m)?),
                day: Some(d.parse::<i8>().map_err(|_| bad())?),
            },
            _ => return Err(bad()),
        };
        p.first_day()?;
        Ok(p)
    }

    /// ISO 8601 at its precision: "2022", "2022-09", "2022-09-17".
    pub fn parse_iso(text: &str) -> Result<Self, String> {
        let bad = || format!("date {text:?} is not YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = text.split('-').collect();
        let num = |s: &str, len: usize| -> Result<i32, String> {
            if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<i32>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let p = match parts.as_slice() {
            [y] => Self {
                year: num(y, 4)? as i16,
                month: None,
                day: None,
            },
            [y, m] => Self {
                year: num(y, 4)? as i16,
                month: Some(num(m, 2)? as i8),
                day: None,
            },
            [y, m, d] => Self {
                year: num(y, 4)? as i16,
                month: Some(num(m, 2)? as i8),
                day: Some(num(d, 2)? as i8),
            },
            _ => return Err(bad()),
        };
        p.first_day()?;
        Ok(p)
    }

    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    pub fn first_day(&self) -> Result<Date, String> {
        Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .map_err(|e| format!("bad date {}: {e}", self.iso()))
    }

    pub fn last_day(&self) -> Result<Date, String> {
        match (self.month, self.day) {
            (Some(_), Some(_)) => self.first_day(),
            (Some(_), None) => Ok(self.first_day()?.last_of_month()),
            _ => Date::new(self.year, 12, 31).map_err(|e| e.to_string()),
        }
    }
}

/// When a claim was reported, and on what basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// The date (or the earliest possible one), ISO 8601 at its precision.
    pub reported: String,
    /// When the claim's source is not pinned down and its candidates' dates differ: the
    /// latest of them.
    pub latest: Option<String>,
    /// "statement" (the date the fact sheet gives for the statement), "published" (its
    /// source's publication date) or "candidates" (the sources that may carry it).
    pub basis: &'static str,
}

/// The date a claim was reported:
/// - `statement`: the statement's date where the fact sheet gives it (a day, YYYY-MM-DD);
///   it may not be after its source's publication;
/// - else the publication date of its `source` (id, published text);
/// - else the range of its candidate sources' publication dates.
///
/// None may end before `event_start` (the event's start date in its own clock).
pub fn reported(
    statement: Option<&str>,
    source: Option<(&str, &str)>,
    candidates: &[(&str, &str)],
    event_start: Date,
) -> Result<Reported, String> {
    let out = if let Some(s) = statement {
        let p = Period::parse_iso(s)?;
        if p.day.is_none() {
            return Err(format!("statement date {s:?} must be a day (YYYY-MM-DD)"));
        }
        if let Some((id, published)) = source {
            let pp = Period::parse_published(published).map_err(|e| format!("{id}: {e}"))?;
            if p.first_day()? > pp.last_day()? {
                return Err(format!(
                    "statement date {s} is after its source {id} was published ({published})"
                ));
            }
        }
        (p, None, "statement")
    } else if let Some((id, published)) = source {
        let p = Period::parse_published(published).map_err(|e| format!("{id}: {e}"))?;
        (p, None, "published")
    } else {
        if candidates.is_empty() {
            return Err("no source, no statement date and no candidate sources".into());
        }
        let mut parsed = Vec::with_capacity(candidates.len());
        for (id, published) in candidates {
            parsed.push(Period::parse_published(published).map_err(|e| format!("{id}: {e}"))?);
        }
        let mut earliest = parsed[0];
        let mut latest = parsed[0];
        for p in &parsed[1..] {
            if p.first_day()? < earliest.first_day()? {
                earliest = *p;
            }
            if p.last_day()? > latest.last_day()? {
                latest = *p;
            }
        }
        let latest = (latest != earliest).then_some(latest);
        (earliest, latest, "candidates")
    };
    let (p, latest, basis) = out;
    if p.last_day()? < event_start {
        return Err(format!(
            "reported {} is before the event starts ({event_start})",
            p.iso()
        ));
    }
    Ok(Reported {
        reported: p.iso(),
        latest: latest.map(|l| l.iso()),
        basis,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_keep_their_qualifier() {
        let f: FigureIn = serde_json::from_str("5").unwrap();
        assert_eq!(
            figure(&f).unwrap(),
            FigureOut::Stated {
                value: 5,
                qualifier: "exact".into()
            }
        );
        let f: FigureIn = serde_json::from_str(r#"{"value":100,"qualifier":"more_than"}"#).unwrap();
        assert!(!figure(&f).unwrap().is_exact());
        let f: FigureIn = serde_json::from_str(r#"{"value":100,"qualifier":"over"}"#).unwrap();
        assert!(figure(&f).unwrap_err().contains("over"));
        let f: FigureIn = serde_json::from_str(
            r#"{"breakdown":[{"group":"servicemen","value":2},{"group":"civilians","value":3}]}"#,
        )
        .unwrap();
        let out = serde_json::to_value(figure(&f).unwrap()).unwrap();
        assert!(
            out.get("value").is_none(),
            "a breakdown has no total: {out}"
        );
        assert_eq!(out["breakdown"][1]["qualifier"], "exact");
        let f: FigureIn =
            serde_json::from_str(r#"{"breakdown":[{"group":"a","value":2}]}"#).unwrap();
        assert!(figure(&f).is_err());
    }

    #[test]
    fn a_qualifying_note_needs_a_qualified_figure() {
        let exact = FigureOut::Stated {
            value: 100,
            qualifier: "exact".into(),
        };
        let more = FigureOut::Stated {
            value: 100,
            qualifier: "more_than".into(),
        };
        assert_eq!(
            lost_qualifier("'more than 100' injured", [&exact]),
            Some("more than")
        );
        assert_eq!(lost_qualifier("'more than 100' injured", [&more]), None);
        assert_eq!(lost_qualifier("third figure of the day", [&exact]), None);
    }

    #[test]
    fn publication_dates() {
        assert_eq!(Period::parse_published("2021").unwrap().iso(), "2021");
        assert_eq!(
            Period::parse_published("Apr 2021").unwrap().iso(),
            "2021-04"
        );
        assert_eq!(
            Period::parse_published("1 May 2021").unwrap().iso(),
            "2021-05-01"
        );
        assert!(Period::parse_published("May 32 2021").is_err());
        assert!(Period::parse_published("31 Feb 2021").is_err());
        assert_eq!(
            Period::parse_iso("2022-09").unwrap().last_day().unwrap(),
            Date::constant(2022, 9, 30)
        );
    }

    #[test]
    fn reported_dates() {
        let start = Date::constant(2022, 9, 16);
        let r = reported(None, Some(("S29", "2 May 2023")), &[], start).unwrap();
        assert_eq!((r.reported.as_str(), r.basis), ("2023-05-02", "published"));
        let r = reported(Some("2022-09-17"), Some(("R1", "18 Sep 2022")), &[], start).unwrap();
        assert_eq!((r.reported.as_str(), r.basis), ("2022-09-17", "statement"));
        assert!(reported(Some("2022-09-19"), Some(("R1", "18 Sep 2022")), &[], start).is_err());
        let r = reported(
            None,
            None,
            &[("S29", "2 May 2023"), ("S30", "17 Sep 2022")],
            start,
        )
        .unwrap();
        assert_eq!(r.reported, "2022-09-17");
        assert_eq!(r.latest.as_deref(), Some("2023-05-02"));
        assert_eq!(r.basis, "candidates");
        let err = reported(None, Some(("S1", "15 Sep 2022")), &[], start).unwrap_err();
        assert!(err.contains("before the event"), "{err}");
        // A month that contains the start is not before it.
        assert!(reported(None, Some(("S33", "Sep 2022")), &[], start).is_ok());
        assert!(reported(None, None, &[], start).is_err());
    }
}
