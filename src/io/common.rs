//! Helpers shared by the readers of every format: a new layer, recording a problem, adding a
//! feature with its time span read the same way for all formats, and JSON values from text.

use std::path::Path;

use serde_json::{Map, Value};

use crate::io::timefields::{TimeReader, TimeReading};
use crate::model::{Feature, Layer, Problem, Properties, Severity};

/// The longest line a reader of lines (CSV, GeoJSON sequences) takes: a longer one is an
/// error, not an allocation.
pub const MAX_LINE: u64 = 64 << 20;

/// A reader that fails once more than [`MAX_LINE`] bytes pass without a newline, so a file
/// of one absurd line cannot make a reader hold it whole.
pub(crate) struct LineCap<R> {
    inner: R,
    run: u64,
}

impl<R> LineCap<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, run: 0 }
    }
}

impl<R: std::io::Read> std::io::Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n.min(buf.len())];
        self.run = match read.iter().rposition(|&b| b == b'\n') {
            Some(p) => (read.len() - p - 1) as u64,
            None => self.run + read.len() as u64,
        };
        if self.run > MAX_LINE {
            return Err(std::io::Error::other(format!(
                "a line of more than {} MB: refused",
                MAX_LINE >> 20
            )));
        }
        Ok(n)
    }
}

/// An empty layer for the file at `path`, named after the file.
pub(crate) fn new_layer(path: &Path, time: &TimeReader) -> Layer {
    Layer {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string()),
        path: Some(path.to_path_buf()),
        zone_name: time.zone_name(),
        ..Layer::default()
    }
}

/// Where a problem is: 1-based line and column (when known) and the feature's index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub feature: Option<usize>,
}

impl Place {
    /// A line and column, about no feature in particular.
    pub fn at(line: u64, column: u64) -> Self {
        Self {
            line: Some(line),
            column: Some(column),
            feature: None,
        }
    }

    /// A line (column unknown) in feature `index`.
    pub fn line_of(line: u64, index: usize) -> Self {
        Self {
            line: Some(line),
            column: None,
            feature: Some(index),
        }
    }

    /// The same place, in feature `index`.
    pub fn feature(self, index: usize) -> Self {
        Self {
            feature: Some(index),
            ..self
        }
    }
}

/// A problem at `place` in the file at `path`.
pub(crate) fn problem(
    path: &Path,
    severity: Severity,
    place: Place,
    message: impl Into<String>,
) -> Problem {
    Problem {
        severity,
        path: path.to_path_buf(),
        line: place.line,
        column: place.line.and(place.column),
        feature: place.feature,
        message: message.into(),
    }
}

/// Records a problem at `place` in the file at `path`.
pub(crate) fn push_problem(
    layer: &mut Layer,
    path: &Path,
    severity: Severity,
    place: Place,
    message: impl Into<String>,
) {
    layer.problems.push(problem(path, severity, place, message));
}

/// Reads a feature's time span from its properties with `time`: the one time-reading path of
/// every format (on any thread). Its warnings come back as problems at `place`.
pub(crate) fn read_time(
    time: &TimeReader,
    properties: Option<&str>,
    path: &Path,
    place: Place,
) -> (TimeReading, Vec<Problem>) {
    let Some(props) = properties else {
        return (TimeReading::default(), Vec::new());
    };
    warnings_at(time.read(props), path, place)
}

/// The reading with its warnings taken out as problems at `place`.
pub(crate) fn warnings_at(
    mut reading: TimeReading,
    path: &Path,
    place: Place,
) -> (TimeReading, Vec<Problem>) {
    let problems = std::mem::take(&mut reading.warnings)
        .into_iter()
        .map(|w| problem(path, Severity::Warning, place, w))
        .collect();
    (reading, problems)
}

/// Adds `feature` (its `span` is ignored) to the layer, reading its time span from its
/// properties with `time`: warnings name `feature.line`, `column` and `index`, and the fields
/// used and the values without an offset are counted in `layer.time_source`.
pub(crate) fn push_feature(
    layer: &mut Layer,
    path: &Path,
    time: &TimeReader,
    feature: Feature,
    column: u64,
    index: usize,
) {
    let place = Place::at(feature.line, column).feature(index);
    let text = feature.properties.as_ref().map(Properties::json_text);
    let (reading, problems) = read_time(time, text.as_deref(), path, place);
    drop(text);
    push_read(layer, feature, reading, problems);
}

/// Adds `feature` with the time span `reading` gave (and the problems reading it raised).
pub(crate) fn push_read(
    layer: &mut Layer,
    mut feature: Feature,
    reading: TimeReading,
    problems: Vec<Problem>,
) {
    layer.problems.extend(problems);
    if feature.properties.is_some() {
        layer
            .time_source
            .count(reading.fields, reading.without_offset);
    }
    feature.span = reading.span;
    layer.features.push(feature);
}

/// Most problems of one severity listed for a file read by rows; the rest are counted.
pub(crate) const MAX_LISTED: usize = 100;

/// Keeps the first [`MAX_LISTED`] errors and warnings of `layer` and replaces the rest of each
/// with one problem saying how many more there were and from which line to which: a file that
/// is not what its name says (say a pretty-printed GeoJSON named `.geojsonl`) should not list
/// a million problems.
pub(crate) fn limit_problems(layer: &mut Layer, path: &Path) {
    for severity in [Severity::Error, Severity::Warning] {
        let total = layer
            .problems
            .iter()
            .filter(|p| p.severity == severity)
            .count();
        if total <= MAX_LISTED {
            continue;
        }
        let mut seen = 0;
        let mut lines: Option<(u64, u64)> = None;
        layer.problems.retain(|p| {
            if p.severity != severity {
                return true;
            }
            seen += 1;
            if seen <= MAX_LISTED {
                return true;
            }
            if let Some(line) = p.line {
                lines = Some(lines.map_or((line, line), |(a, b)| (a.min(line), b.max(line))));
            }
            false
        });
        let word = match severity {
            Severity::Error => "errors",
            Severity::Warning => "warnings",
        };
        let range = lines
            .map(|(a, b)| format!(" on lines {a}..{b}"))
            .unwrap_or_default();
        push_problem(
            layer,
            path,
            severity,
            Place::default(),
            format!("{} more {word}{range} not listed", total - MAX_LISTED),
        );
    }
}

/// A properties object as verbatim JSON text.
pub(crate) fn raw_properties(map: Map<String, Value>) -> Option<Properties> {
    serde_json::value::to_raw_value(&Value::Object(map))
        .ok()
        .map(Properties::Json)
}

/// A cell of text as a JSON value: a number when it is written as a JSON number that keeps
/// its value (finite, no leading zeros or `+`, integers within 64 bits), else the text.
pub(crate) fn json_scalar(text: &str) -> Value {
    let trimmed = text.trim();
    if is_json_number(trimmed)
        && let Ok(number) = serde_json::from_str::<serde_json::Number>(trimmed)
    {
        let integer_text = !trimmed.contains(['.', 'e', 'E']);
        if !(integer_text && number.is_f64()) {
            return Value::Number(number);
        }
    }
    Value::String(text.to_string())
}

/// True when `text` is a JSON number: `-`? digits (no leading zero), then `.digits`?, then an
/// exponent? (A date is text without asking serde_json, whose error was an allocation.)
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    let first = i;
    if !digits(&mut i) || (b[first] == b'0' && i - first > 1) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// Inserts `key: value` unless the map already has `key`.
pub(crate) fn insert_absent(map: &mut Map<String, Value>, key: &str, value: Value) {
    if !map.contains_key(key) {
        map.insert(key.to_string(), value);
    }
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        format!("{}…", text.chars().take(max).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_scalar_keeps_numbers_and_text() {
        assert_eq!(json_scalar("12"), Value::from(12));
        assert_eq!(json_scalar("-1.5"), Value::from(-1.5));
        assert_eq!(json_scalar(" 3e2 "), Value::from(300.0));
        for text in [
            "007",
            "+5",
            "NaN",
            "inf",
            "1e400",
            "12345678901234567890123",
            "1,5",
            "",
        ] {
            assert_eq!(json_scalar(text), Value::String(text.into()), "{text}");
        }
    }

    #[test]
    fn a_json_number_is_told_as_serde_json_tells_it() {
        for text in [
            "0",
            "-0",
            "7",
            "-12",
            "0.5",
            "-0.25",
            "1e5",
            "1E+5",
            "2.5e-3",
            "2021-06-14",
            "01",
            "-01",
            "1.",
            ".5",
            "-",
            "",
            "1e",
            "1e+",
            "+1",
            "1.2.3",
            "12a",
            "0x10",
            "--1",
            "1-",
            "44.6009",
            "2021",
        ] {
            let serde = serde_json::from_str::<serde_json::Number>(text).is_ok();
            assert_eq!(is_json_number(text), serde, "{text:?}");
        }
    }

    #[test]
    fn long_problem_lists_are_cut() {
        let path = Path::new("t.csv");
        let mut layer = Layer::default();
        for line in 1..=250 {
            push_problem(&mut layer, path, Severity::Error, Place::at(line, 1), "bad");
        }
        push_problem(&mut layer, path, Severity::Warning, Place::at(7, 1), "odd");
        limit_problems(&mut layer, path);
        assert_eq!(layer.problems.len(), MAX_LISTED + 2);
        assert_eq!(layer.problems[MAX_LISTED].severity, Severity::Warning);
        let last = layer.problems[MAX_LISTED + 1].to_string();
        assert_eq!(
            last,
            "t.csv: error: 150 more errors on lines 101..250 not listed"
        );
    }

    #[test]
    fn shorten_counts_characters() {
        assert_eq!(shorten("Ошский", 3), "Ошс…");
        assert_eq!(shorten("Osh", 3), "Osh");
    }

    #[test]
    fn an_absurd_line_is_an_error_not_an_allocation() {
        use std::io::Read;
        let long = vec![b'x'; (MAX_LINE + 1) as usize];
        let mut capped = LineCap::new(&long[..]);
        let mut sink = Vec::new();
        let err = capped.read_to_end(&mut sink).unwrap_err();
        assert!(
            err.to_string().contains("a line of more than 64 MB"),
            "{err}"
        );
        // Lines of any number, each short, pass.
        let many = b"abc\n".repeat(1 << 20);
        let mut capped = LineCap::new(&many[..]);
        let mut all = Vec::new();
        capped.read_to_end(&mut all).unwrap();
        assert_eq!(all.len(), many.len());
        // Through the readers: the file is named with the error, and nothing is held whole.
        let mut text = b"lat,lon,name\n40,70,a\n40,70,".to_vec();
        text.extend(std::iter::repeat_n(b'y', (MAX_LINE + 10) as usize));
        let layer = crate::io::csv::read_csv(
            &text[..],
            Path::new("long.csv"),
            &TimeReader::default(),
            None,
        );
        assert!(
            layer
                .problems
                .iter()
                .any(|p| p.to_string().contains("long.csv") && p.message.contains("64 MB")),
            "{:?}",
            layer.problems
        );
        let layer = crate::io::geojsonseq::read_geojsonseq(
            &text[..],
            Path::new("long.geojsonl"),
            &TimeReader::default(),
        );
        assert!(
            layer.problems.iter().any(|p| p.message.contains("64 MB")),
            "{:?}",
            layer.problems
        );
    }
}
