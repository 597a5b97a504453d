//! The text `bordermap check` prints for a layer: features by geometry type, dated count,
//! time range and its fields, bounding box, and every problem with its place.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::{Layer, Severity, geometry_type_name};

/// A multi-line summary of `layer`, ending with its problems.
pub fn summary(layer: &Layer) -> String {
    let mut out = String::new();
    let name = layer
        .path
        .as_ref()
        .map(|p| match &layer.part {
            // One table of a GeoPackage: the file, then the table.
            Some(part) => format!("{} — {part}", p.display()),
            None => p.display().to_string(),
        })
        .unwrap_or_else(|| layer.name.clone());
    let _ = writeln!(out, "{name}");
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &layer.features {
        let key = f
            .geometry()
            .as_deref()
            .map_or("null geometry", geometry_type_name);
        *by_type.entry(key).or_default() += 1;
    }
    let types: Vec<String> = by_type.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(
        out,
        "  features: {}{}",
        layer.features.len(),
        if types.is_empty() {
            String::new()
        } else {
            format!(" ({})", types.join(", "))
        }
    );
    let dated = layer.dated_count();
    let _ = write!(out, "  dated: {dated}");
    if !layer.time_source.fields.is_empty() {
        let fields: Vec<String> = layer
            .time_source
            .fields
            .iter()
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        let _ = write!(out, ", read from {}", fields.join(", "));
    }
    let _ = writeln!(out);
    if let Some(range) = layer.time_range() {
        let _ = writeln!(
            out,
            "  time range (UTC): {} .. {}",
            range.start(),
            range.end()
        );
    }
    if layer.time_source.without_offset > 0 {
        let _ = writeln!(
            out,
            "  times without an offset: {} (read as {})",
            layer.time_source.without_offset, layer.zone_name
        );
    }
    if let Some(bbox) = layer.bbox() {
        let _ = writeln!(
            out,
            "  bbox (lon, lat): {:.5}, {:.5} .. {:.5}, {:.5}",
            bbox.min().x,
            bbox.min().y,
            bbox.max().x,
            bbox.max().y
        );
    }
    let errors = layer
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = layer.problems.len() - errors;
    let _ = writeln!(out, "  errors: {errors}, warnings: {warnings}");
    for p in &layer.problems {
        let _ = writeln!(out, "  {p}");
    }
    out
}
