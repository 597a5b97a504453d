//! Checks shared by the fuzz targets: what must hold of any layer a reader returns,
//! whatever the bytes it was given.

use std::path::Path;

use bordermap::model::Layer;

/// Most problems a reader that limits them (`limit_problems`: 100 of each severity, plus
/// one line counting the rest) may return.
pub const MAX_PROBLEMS_LIMITED: usize = 2 * (100 + 1);

/// What the checks know of the read.
pub struct Read<'a> {
    /// The path given to the reader.
    pub path: &'a Path,
    /// The most features the input can hold (each takes at least one byte of the text).
    pub max_features: usize,
    /// Whether the reader limits its problems to [`MAX_PROBLEMS_LIMITED`].
    pub limited: bool,
}

/// Asserts the invariants of a layer read from untrusted bytes, and runs what the viewer
/// runs on every layer it loads (the summary, the extent, projection) and draws (unpacking,
/// tessellation).
pub fn check(layer: &Layer, read: &Read) {
    assert_eq!(layer.path.as_deref(), Some(read.path), "layer path");
    assert!(!layer.name.is_empty(), "layer name");
    for p in &layer.problems {
        assert_eq!(p.path, read.path, "problem path: {p:?}");
        assert!(
            p.column.is_none() || p.line.is_some(),
            "column without line: {p:?}"
        );
        assert!(p.line != Some(0), "lines are 1-based: {p:?}");
        assert!(p.column != Some(0), "columns are 1-based: {p:?}");
        assert!(!p.message.is_empty(), "empty message: {p:?}");
    }
    if read.limited {
        assert!(
            layer.problems.len() <= MAX_PROBLEMS_LIMITED,
            "{} problems",
            layer.problems.len()
        );
    }
    assert!(
        layer.features.len() <= read.max_features,
        "{} features from at most {}",
        layer.features.len(),
        read.max_features
    );
    for f in &layer.features {
        if let Some(span) = f.span {
            assert!(
                span.start() <= span.end(),
                "span ends before it starts: {span:?}"
            );
        }
        let _ = f.properties_map();
    }
    let _ = layer.bbox();
    let _ = layer.time_range();
    let _ = layer.dated_count();
    let _ = bordermap::io::summary::summary(layer);
    let prepared = bordermap::model::prepared::PreparedLayer::new(layer);
    assert_eq!(
        prepared.features.len(),
        layer.features.len(),
        "prepared features"
    );
    let _ = prepared.bbox();
    // What drawing makes of each feature: its packed geometry unpacked (and packed again the
    // same), projected, polygons triangulated.
    for (f, pf) in layer.features.iter().zip(&prepared.features) {
        if let Some(shape) = &f.shape {
            let again = bordermap::model::Shape::from(shape.to_geometry());
            assert!(again == *shape, "geometry packed twice differs");
        }
        let parts = bordermap::model::prepared::Parts::of(f, true);
        assert_eq!(!parts.fills.is_empty(), pf.has_fills(), "fills");
        assert_eq!(!parts.lines.is_empty(), pf.has_lines(), "lines");
    }
}
