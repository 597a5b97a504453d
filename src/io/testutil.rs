//! Helpers of the readers' tests: fixtures made by GDAL's ogr2ogr from the bundled events
//! layer, and comparing what a reader gives with what the GeoJSON reader gives for it.

use std::path::{Path, PathBuf};
use std::process::Command;

use geo::{Coord, Geometry};

use crate::io::crs::for_each_coord;
use crate::model::{Feature, Layer, Severity, geometry_type_name};

/// `assets/events.geojson` converted by `ogr2ogr -f driver` with `args` into `name`, in a
/// fresh folder of its own (remove it with [`remove`]).
pub(crate) fn ogr2ogr(driver: &str, name: &str, args: &[&str]) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!(
        "bordermap-ogr-{}-{}",
        std::process::id(),
        name.replace('.', "-")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let out = dir.join(name);
    let status = Command::new("ogr2ogr")
        .args(["-f", driver])
        .args(args)
        .arg(&out)
        .arg(root.join("assets/events.geojson"))
        .status()
        .expect("ogr2ogr (GDAL) runs");
    assert!(status.success(), "ogr2ogr -f {driver} {args:?}");
    out
}

/// The errors of a layer, as they are printed.
pub(crate) fn errors(layer: &Layer) -> Vec<String> {
    layer
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| p.to_string())
        .collect()
}

/// Removes the folder [`ogr2ogr`] made for `path`.
pub(crate) fn remove(path: &Path) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The 32 events of the bundled GeoJSON, as its reader gives them.
pub(crate) fn events() -> Vec<Feature> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/events.geojson");
    let layer = crate::io::read_path(&path, &crate::io::ReadOptions::default())
        .expect("the bundled events");
    assert_eq!(layer.features.len(), 32);
    layer.features
}

/// Every coordinate of a geometry, in order.
pub(crate) fn all_coords(g: &Geometry<f64>) -> Vec<Coord<f64>> {
    let mut g = g.clone();
    let mut out = Vec::new();
    for_each_coord(&mut g, &mut |c| out.push(*c));
    out
}

/// Checks that `layer` holds the 32 events without errors, each (found by its id) with the
/// time span, geometry type and coordinates (within `metres`) the GeoJSON gives.
pub(crate) fn same_as_events(layer: &Layer, metres: f64) {
    assert!(!layer.has_errors(), "{:?}", layer.problems);
    assert_eq!(layer.features.len(), 32, "{:?}", layer.problems);
    assert_eq!(layer.dated_count(), 32);
    let originals = events();
    let mut worst = 0.0f64;
    for f in &layer.features {
        let id = f.id().expect("an id");
        let original = originals
            .iter()
            .find(|o| o.id() == Some(id))
            .unwrap_or_else(|| panic!("{id} in the GeoJSON"));
        assert_eq!(f.span, original.span, "{id}");
        let (g, o) = (
            f.geometry().expect("a geometry"),
            original.geometry().expect("a geometry"),
        );
        assert_eq!(geometry_type_name(&g), geometry_type_name(&o), "{id}");
        let (a, b) = (all_coords(&g), all_coords(&o));
        assert_eq!(a.len(), b.len(), "{id}");
        for (p, q) in a.iter().zip(&b) {
            let d = (((p.x - q.x) * 111_320.0 * q.y.to_radians().cos()).powi(2)
                + ((p.y - q.y) * 110_574.0).powi(2))
            .sqrt();
            worst = worst.max(d);
        }
    }
    assert!(worst <= metres, "{worst} m off");
}
