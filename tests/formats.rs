//! The bundled events written by GDAL's `ogr2ogr` (the engine inside QGIS) in every format
//! analysts exchange, then read back by bordermap: the same 32 events, each at the same time
//! and the same place as in the original. Needs `ogr2ogr` (Debian's `gdal-bin`, which
//! `.ci/run` installs); without it, the test fails on CI and says so elsewhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use bordermap::io::{ReadOptions, read_layers};
use bordermap::model::{Feature, Layer};

/// An event as compared: its start and end, and its coordinates in order.
#[derive(Debug, PartialEq)]
struct Seen {
    span: Option<(i64, i64)>,
    coords: Vec<(f64, f64)>,
}

fn events_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/events.geojson")
}

fn seen(feature: &Feature) -> Seen {
    let mut coords = Vec::new();
    if let Some(g) = feature.geometry().as_deref() {
        let mut g = g.clone();
        bordermap::io::crs::for_each_coord(&mut g, &mut |c| coords.push((c.x, c.y)));
    }
    Seen {
        span: feature
            .span
            .map(|s| (s.start().as_second(), s.end().as_second())),
        coords,
    }
}

/// Each event of `layers` by its `id` property.
fn by_id(layers: &[Layer]) -> BTreeMap<String, Seen> {
    let mut out = BTreeMap::new();
    for layer in layers {
        for f in &layer.features {
            // GDAL moves an `id` property to the feature's own id in some formats.
            let id = f
                .property_text("id")
                .or_else(|| f.id().map(str::to_owned))
                .unwrap_or_default();
            assert!(
                out.insert(id.clone(), seen(f)).is_none(),
                "{}: event {id} read twice",
                layer.name
            );
        }
    }
    out
}

fn ogr2ogr_here() -> bool {
    let found = Command::new("ogr2ogr").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "ogr2ogr is missing on CI: .ci/run installs gdal-bin"
        );
        eprintln!("ogr2ogr is not installed (apt-get install gdal-bin): round trips not run");
    }
    found
}

fn ogr2ogr(args: &[&str]) {
    let out = Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("run ogr2ogr");
    assert!(
        out.status.success(),
        "ogr2ogr {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bordermap-formats-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Reads every layer of `paths`, with no error in any of them.
fn read_all(paths: &[PathBuf]) -> Vec<Layer> {
    let mut layers = Vec::new();
    for path in paths {
        let read = read_layers(path, &ReadOptions::default())
            .unwrap_or_else(|p| panic!("{}: {p}", path.display()));
        for layer in &read {
            assert!(!layer.has_errors(), "{}: {:?}", layer.name, layer.problems);
        }
        layers.extend(read);
    }
    layers
}

/// The events as `got` has them are the original's, to `tolerance` degrees.
fn same_events(format: &str, got: &BTreeMap<String, Seen>, tolerance: f64) {
    let original = by_id(&read_all(&[events_path()]));
    assert_eq!(original.len(), 32);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>(),
        "{format}: the events"
    );
    for (id, want) in &original {
        let have = &got[id];
        assert!(want.span.is_some(), "{id} is dated in the original");
        assert_eq!(have.span, want.span, "{format}: the time of {id}");
        let mut a = have.coords.clone();
        let mut b = want.coords.clone();
        a.sort_by(|p, q| p.partial_cmp(q).unwrap());
        b.sort_by(|p, q| p.partial_cmp(q).unwrap());
        // KML closes nothing new, but a format may repeat a ring's closing point: compare
        // the sets of places.
        a.dedup();
        b.dedup();
        assert_eq!(a.len(), b.len(), "{format}: the places of {id}");
        for (p, q) in a.iter().zip(&b) {
            assert!(
                (p.0 - q.0).abs() <= tolerance && (p.1 - q.1).abs() <= tolerance,
                "{format}: {id} at {p:?}, not {q:?}"
            );
        }
    }
}

#[test]
fn the_bundled_events_survive_every_format_gdal_writes() {
    if !ogr2ogr_here() {
        return;
    }
    let src = events_path();
    let src = src.to_str().unwrap();
    let dir = fresh_dir("roundtrip");
    let d = |name: &str| dir.join(name);
    let s = |p: &PathBuf| p.to_str().unwrap().to_string();
    // One file per format, as an analyst would get it from QGIS or ogr2ogr.
    let single: Vec<(&str, PathBuf, Vec<&str>)> = vec![
        ("GeoJSON", d("ev.geojson"), vec!["-f", "GeoJSON"]),
        ("GeoJSONSeq", d("ev.geojsonl"), vec!["-f", "GeoJSONSeq"]),
        (
            "CSV",
            d("ev.csv"),
            vec!["-f", "CSV", "-lco", "GEOMETRY=AS_WKT"],
        ),
        ("KML", d("ev.kml"), vec!["-f", "KML"]),
        ("LIBKML", d("ev.kmz"), vec!["-f", "LIBKML"]),
        ("GPKG", d("ev.gpkg"), vec!["-f", "GPKG"]),
        ("FlatGeobuf", d("ev.fgb"), vec!["-f", "FlatGeobuf"]),
    ];
    for (format, path, args) in &single {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.push(s(path));
        all.push(src.to_string());
        ogr2ogr(&all.iter().map(String::as_str).collect::<Vec<_>>());
        let layers = read_all(std::slice::from_ref(path));
        assert_eq!(layers.len(), 1, "{format}: one layer");
        // KML keeps 6 decimals at most; the others are exact.
        let tolerance = if format.contains("KML") { 1e-6 } else { 1e-9 };
        same_events(format, &by_id(&layers), tolerance);
    }
    // A shapefile holds one geometry type: GDAL writes one per type, zipped together here.
    // Its DBF has dates but no date-times: GDAL would cut each time to its day, so times are
    // written as text (GDAL's own form, `2021/04/28 11:30:00+06`), as QGIS users do to keep
    // them.
    let shp = fresh_dir("shp");
    let mut zip_members = Vec::new();
    for (ty, name) in [
        ("Point", "ev_point"),
        ("MultiPoint", "ev_multipoint"),
        ("MultiPolygon", "ev_polygon"),
    ] {
        let out = shp.join(format!("{name}.shp"));
        ogr2ogr(&[
            "-f",
            "ESRI Shapefile",
            "-mapFieldType",
            "DateTime=String",
            "-where",
            &format!("OGR_GEOMETRY='{}'", ty.to_uppercase()),
            &s(&out),
            src,
        ]);
        zip_members.push(name);
    }
    let shp_paths: Vec<PathBuf> = zip_members
        .iter()
        .map(|n| shp.join(format!("{n}.shp")))
        .collect();
    same_events("Shapefile", &by_id(&read_all(&shp_paths)), 1e-9);
    let zipped = d("ev.zip");
    {
        let file = std::fs::File::create(&zipped).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        for entry in std::fs::read_dir(&shp).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            zip.start_file(
                format!("layers/{name}"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            std::io::copy(&mut std::fs::File::open(&path).unwrap(), &mut zip).unwrap();
        }
        zip.finish().unwrap();
    }
    let layers = read_all(std::slice::from_ref(&zipped));
    assert_eq!(layers.len(), 3, "one layer per shapefile in the zip");
    same_events("zipped shapefiles", &by_id(&layers), 1e-9);
    // UTM 42N, as local data often is: back within a metre (1e-5 degrees) of the original.
    for (format, name, args) in [
        ("GPKG UTM", "utm.gpkg", vec!["-f", "GPKG"]),
        ("FlatGeobuf UTM", "utm.fgb", vec!["-f", "FlatGeobuf"]),
        (
            "GeoJSON UTM",
            "utm.geojson",
            vec!["-f", "GeoJSON", "-lco", "RFC7946=NO"],
        ),
    ] {
        let path = d(name);
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(["-t_srs".into(), "EPSG:32642".into(), s(&path), src.into()]);
        ogr2ogr(&all.iter().map(String::as_str).collect::<Vec<_>>());
        same_events(format, &by_id(&read_all(&[path])), 1e-5);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&shp);
}
