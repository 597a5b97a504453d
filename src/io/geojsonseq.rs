//! GeoJSON text sequences: RFC 8142 (each Feature preceded by the record separator 0x1E)
//! and newline-delimited GeoJSON (`.geojsonl`, `.geojsons`, `.ndjson`, `.jsonl`: one Feature
//! per line).
//!
//! The file is read record by record, so memory stays in proportion to the largest feature.
//! Each record is parsed by the GeoJSON reader's own feature parser, so geometry is checked
//! the same way; a bad record is an error naming its line and column and the rest loads.
//! Blank lines and empty records are ignored. A file whose first byte (after an optional
//! byte order mark and whitespace) is 0x1E is read as RFC 8142, where a record may span
//! lines; any other file is read one line at a time (a stray 0x1E at a line's start is
//! tolerated).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::io::common::{self, Place};
use crate::io::geojson::parse_feature_at;
use crate::io::timefields::TimeReader;
use crate::model::{Layer, Severity};

/// The record separator of RFC 7464 / RFC 8142.
const RS: u8 = 0x1E;

/// Reads a GeoJSON text sequence from `reader`; problems are collected in the layer, each
/// naming `path`. Never panics.
pub fn read_geojsonseq<R: Read>(reader: R, path: &Path, time: &TimeReader) -> Layer {
    let mut layer = common::new_layer(path, time);
    let mut input = BufReader::with_capacity(1 << 16, common::LineCap::new(reader));
    // A byte order mark is skipped and not counted as a column, as in the GeoJSON reader.
    let mut separator = b'\n';
    match input.fill_buf() {
        Ok(buf) => {
            let bom = if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                3
            } else {
                0
            };
            if buf.get(skip_ws(buf, bom)) == Some(&RS) {
                separator = RS;
            }
            input.consume(bom);
        }
        Err(e) => {
            common::push_problem(
                &mut layer,
                path,
                Severity::Error,
                Place::at(1, 1),
                format!("read error: {e}"),
            );
            return layer;
        }
    }
    let mut record = Vec::new();
    // Line and column of the next byte to read.
    let (mut line, mut column) = (1u64, 1u64);
    let mut index = 0usize;
    let mut saw_text = false;
    loop {
        record.clear();
        match input.read_until(separator, &mut record) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                common::push_problem(
                    &mut layer,
                    path,
                    Severity::Error,
                    Place::at(line, column),
                    format!("read error: {e}"),
                );
                break;
            }
        }
        let mut body: &[u8] = record.strip_suffix(&[separator]).unwrap_or(&record);
        let mut body_column = column;
        if separator == b'\n' && body.first() == Some(&RS) {
            // A separator at the start of a line (RFC 8142 texts one per line) is allowed.
            body = &body[1..];
            body_column += 1;
        }
        if !is_blank(body) {
            saw_text = true;
            handle_record(body, line, body_column, &mut index, path, time, &mut layer);
        }
        // Advance past the whole record, separator included.
        match record.iter().rposition(|&b| b == b'\n') {
            Some(p) => {
                line += count_newlines(&record);
                column = (record.len() - p) as u64;
            }
            None => column += record.len() as u64,
        }
    }
    if !saw_text && !layer.has_errors() {
        common::push_problem(
            &mut layer,
            path,
            Severity::Error,
            Place::at(1, 1),
            "empty file: no GeoJSON texts",
        );
    }
    common::limit_problems(&mut layer, path);
    layer
}

/// Parses one record (a line, or the text between two separators) as a Feature; `text`
/// starts at `line`:`column` of the file.
fn handle_record(
    text: &[u8],
    line: u64,
    column: u64,
    index: &mut usize,
    path: &Path,
    time: &TimeReader,
    layer: &mut Layer,
) {
    let lead = skip_ws(text, 0);
    let end = text.len() - text.iter().rev().take_while(|b| is_ws(**b)).count();
    if lead >= end {
        return;
    }
    let before = &text[..lead];
    let feature_line = line + count_newlines(before);
    let feature_column = match before.iter().rposition(|&b| b == b'\n') {
        Some(p) => (lead - p) as u64,
        None => column + lead as u64,
    };
    parse_feature_at(
        &text[lead..end],
        feature_line,
        feature_column,
        *index,
        path,
        time,
        layer,
    );
    *index += 1;
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_blank(text: &[u8]) -> bool {
    text.iter().all(|&b| is_ws(b) || b == RS)
}

fn skip_ws(text: &[u8], from: usize) -> usize {
    from + text[from.min(text.len())..]
        .iter()
        .take_while(|b| is_ws(**b))
        .count()
}

fn count_newlines(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| b == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Geometry;

    fn read(text: &[u8]) -> Layer {
        read_geojsonseq(text, Path::new("t.geojsonl"), &TimeReader::default())
    }

    use crate::io::testutil::errors;

    const A: &str = r#"{"type":"Feature","properties":{"date":"2022-09-16"},"geometry":{"type":"Point","coordinates":[70.5,39.8]}}"#;
    const B: &str = r#"{"type":"Feature","id":"b","properties":{"name":"line"},"geometry":{"type":"LineString","coordinates":[[70.5,39.8],[70.6,39.9]]}}"#;

    #[test]
    fn newline_delimited_with_blank_lines_and_crlf() {
        let text = format!("{A}\r\n\r\n   \n{B}\n");
        let layer = read(text.as_bytes());
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 2);
        assert_eq!(layer.features[0].line, 1);
        assert_eq!(layer.features[1].line, 4);
        assert_eq!(layer.features[1].id(), Some("b"));
        assert!(layer.features[0].span.is_some());
        assert_eq!(layer.time_source.fields, vec![("date".to_string(), 1)]);
        assert!(matches!(
            layer.features[1].geometry().as_deref(),
            Some(Geometry::LineString(_))
        ));
    }

    #[test]
    fn last_line_without_newline_and_bom() {
        let text = format!("\u{feff}{A}\n{B}");
        let layer = read(text.as_bytes());
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 2);
    }

    #[test]
    fn rfc8142_record_separators_and_multiline_records() {
        let pretty = B.replace(",\"geometry\"", ",\n  \"geometry\"");
        let text = format!("\x1e{A}\n\x1e{pretty}\n\x1e\n\x1e{A}\n");
        let layer = read(text.as_bytes());
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 3);
        let lines: Vec<u64> = layer.features.iter().map(|f| f.line).collect();
        assert_eq!(lines, [1, 2, 5]);
    }

    #[test]
    fn rfc8142_error_names_line_and_column() {
        let bad = B
            .replace("70.6", "270.6")
            .replace(",\"geometry\"", ",\n\"geometry\"");
        let text = format!("\x1e{A}\n\x1e{bad}\n\x1e{A}\n");
        let layer = read(text.as_bytes());
        assert_eq!(layer.features.len(), 2);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("t.geojsonl:3:"), "{errs:?}");
        assert!(errs[0].contains("feature 2: longitude 270.6"), "{errs:?}");
    }

    #[test]
    fn a_bad_line_is_skipped_and_named() {
        let text = format!("{A}\n{{\"type\":\"Feature\",,}}\n\n{B}\n[1,2]\nnot json\n{A}\n");
        let layer = read(text.as_bytes());
        assert_eq!(layer.features.len(), 3, "{:?}", layer.problems);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(
            errs[0].starts_with("t.geojsonl:2:19: error: feature 2:"),
            "{errs:?}"
        );
        assert!(errs[1].starts_with("t.geojsonl:5:1:"), "{errs:?}");
        assert!(errs[2].starts_with("t.geojsonl:6:"), "{errs:?}");
        assert!(errs[1].contains("feature 4:"), "{errs:?}");
    }

    #[test]
    fn a_pretty_printed_collection_lists_few_errors() {
        let mut text = String::from("{\n\"type\": \"FeatureCollection\",\n\"features\": [\n");
        for _ in 0..300 {
            text.push_str(
                "  {\"type\": \"Feature\",\n   \"geometry\": null, \"properties\": {}},\n",
            );
        }
        text.push_str("]}\n");
        let layer = read(text.as_bytes());
        let errs = errors(&layer);
        assert_eq!(errs.len(), 101, "{:?}", &errs[..3]);
        assert!(
            errs[100].ends_with("more errors on lines 101..604 not listed"),
            "{}",
            errs[100]
        );
    }

    #[test]
    fn other_geojson_types_on_a_line_are_errors() {
        let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[]}}\n{A}\n");
        let layer = read(text.as_bytes());
        assert_eq!(layer.features.len(), 1);
        assert!(errors(&layer)[0].contains("\"FeatureCollection\""));
    }

    #[test]
    fn empty_and_blank_files_are_errors() {
        for text in ["", "\n\n  \n", "\u{feff}", "\x1e\n\x1e"] {
            let errs = errors(&read(text.as_bytes()));
            assert_eq!(errs.len(), 1, "{text:?}");
            assert!(errs[0].contains("empty file"), "{errs:?}");
        }
    }

    #[test]
    fn garbage_and_truncation_never_panic() {
        let text = format!("\x1e{A}\n\x1e{B}\n");
        for cut in 0..text.len() {
            let _ = read(&text.as_bytes()[..cut]);
        }
        let text = format!("{A}\n{B}\n");
        for cut in 1..text.len() {
            let layer = read(&text.as_bytes()[..cut]);
            let complete = usize::from(cut >= A.len()) + usize::from(cut >= A.len() + 1 + B.len());
            assert_eq!(layer.features.len(), complete, "cut {cut}");
        }
        let bytes: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let _ = read(&bytes);
        let mut invalid = A.as_bytes().to_vec();
        invalid[40] = 0xff;
        assert_eq!(errors(&read(&invalid)).len(), 1);
    }
}
