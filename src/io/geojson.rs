//! Streaming GeoJSON (RFC 7946) reader.
//!
//! A small iterative scanner walks the top-level object and cuts each member of `features`
//! out of a bounded buffer; each feature is then parsed on its own with serde_json. So a
//! feature with an error is skipped while the rest of the file loads, memory stays in
//! proportion to the largest feature, a `bbox` or foreign member anywhere is harmless, deep
//! nesting cannot overflow the stack (the scanner keeps a counter, serde_json a recursion
//! limit), and every error carries the line and column where it was found.
//!
//! A legacy (2008) `crs` member naming a CRS that [`Crs`] knows (EPSG:3857, the WGS84 UTM
//! zones) has the coordinates reprojected to WGS84. One naming any other CRS refuses the
//! file as soon as a coordinate would be read in it; a file without coordinates (all
//! geometries null) reads with a warning. A `crs` after `features` cannot be applied to what
//! was already read: it refuses the file unless nothing was read in it.

use std::borrow::Cow;
use std::io::{self, Read};
use std::ops::Range;
use std::path::Path;

use geo::{Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint};
use geo::{MultiPolygon, Point, Polygon};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::io::common::{self, Place};
use crate::io::crs::{Crs, Reproject, UnknownCrs};
use crate::io::timefields::TimeReader;
use crate::model::{Feature, Layer, Problem, Properties, Severity, Shape};

/// How many bytes to read from the file at a time.
const CHUNK: usize = 1 << 18;
/// Largest top-level foreign member kept for the inspector (e.g. `name`, `attribution`).
const MAX_FOREIGN: usize = 64 * 1024;

/// Reads a GeoJSON document (FeatureCollection, Feature or bare Geometry) from `reader`.
/// Problems are collected in the layer, each naming `path`; the read never panics.
pub fn read_geojson<R: Read>(reader: R, path: &Path, time: &TimeReader) -> Layer {
    let mut state = Reader {
        scan: Scanner::new(reader),
        layer: common::new_layer(path, time),
        path,
        time,
        feature_index: 0,
        crs: DocCrs::Wgs84,
        crs_at: None,
        refuse_geometry: None,
        refused: false,
    };
    if let Err(err) = state.document() {
        if state.refused {
            state.layer.features.clear();
        }
        state.error_at(err.at, None, err.message);
    }
    state.layer
}

/// The coordinate system a document's legacy `crs` member names.
enum DocCrs {
    /// None, or WGS84 longitude/latitude: coordinates are checked as such.
    Wgs84,
    /// A projected CRS bordermap reprojects.
    Known(Crs, Reproject),
    /// One it cannot: no coordinate may be read in it.
    Unknown(UnknownCrs),
}

impl DocCrs {
    /// The CRS a `crs` member's JSON names (`{"type":"name","properties":{"name":...}}`, a
    /// `link`'s `href`, or the 2008 draft's `{"type":"EPSG","properties":{"code":n}}`), and
    /// its name as the file writes it.
    fn of(bytes: &[u8]) -> Result<(Self, String), String> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("bad \"crs\": {e}"))?;
        if value.is_null() {
            return Ok((Self::Wgs84, "null".into()));
        }
        let props = value.get("properties");
        let name = props
            .and_then(|p| p.get("name").or_else(|| p.get("href")))
            .and_then(Value::as_str);
        let code = props
            .and_then(|p| p.get("code"))
            .and_then(Value::as_u64)
            .and_then(|c| u32::try_from(c).ok());
        let (crs, written) = match (name, code) {
            (Some(name), _) => (Crs::from_name(name), name.to_string()),
            (None, Some(code)) => (Crs::from_epsg(code), format!("EPSG:{code}")),
            (None, None) => {
                let shown = common::shorten(&value.to_string(), 80);
                (Err(UnknownCrs(shown.clone())), shown)
            }
        };
        let crs = match crs {
            Ok(Crs::Wgs84) => Self::Wgs84,
            Ok(crs) => match crs.to_wgs84() {
                Some(r) => Self::Known(crs, r),
                None => Self::Unknown(UnknownCrs(crs.name())),
            },
            Err(e) => Self::Unknown(e),
        };
        Ok((crs, written))
    }

    /// Reprojects a feature's geometry to WGS84; the warning when it cannot be (the
    /// geometry is then dropped).
    fn reproject(&self, geometry: &mut Option<Geometry<f64>>) -> Option<String> {
        let Self::Known(crs, r) = self else {
            return None;
        };
        let Some(g) = geometry else {
            return None;
        };
        match r.geometry(g) {
            Ok(()) => None,
            Err((x, y)) => {
                *geometry = None;
                Some(format!(
                    "coordinate ({x}, {y}) in {} cannot be reprojected to WGS84; geometry \
                     dropped",
                    crs.name()
                ))
            }
        }
    }
}

/// A position in the file: 1-based line and byte column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct At {
    line: u64,
    column: u64,
}

/// A problem that stops the reading of the document.
struct Fatal {
    at: Option<At>,
    message: String,
}

impl Fatal {
    fn new(at: At, message: impl Into<String>) -> Self {
        Self {
            at: Some(at),
            message: message.into(),
        }
    }
}

/// A top-level member kept as raw bytes for a single Feature or bare Geometry document.
struct Member {
    key: String,
    bytes: Vec<u8>,
    at: At,
}

struct Reader<'a, R> {
    scan: Scanner<R>,
    layer: Layer,
    path: &'a Path,
    time: &'a TimeReader,
    feature_index: usize,
    /// What the `crs` member names, and where it is.
    crs: DocCrs,
    crs_at: Option<At>,
    /// The unknown CRS the `crs` names: a feature with a geometry refuses the file.
    refuse_geometry: Option<UnknownCrs>,
    /// A coordinate was found in an unknown CRS: the file is refused.
    refused: bool,
}

impl<R: Read> Reader<'_, R> {
    fn problem(
        &mut self,
        severity: Severity,
        at: Option<At>,
        feature: Option<usize>,
        message: String,
    ) {
        self.layer
            .problems
            .push(problem(self.path, severity, at, feature, message));
    }

    fn error_at(&mut self, at: Option<At>, feature: Option<usize>, message: String) {
        self.problem(Severity::Error, at, feature, message);
    }

    /// The whole document: one JSON object whose members are scanned one by one.
    fn document(&mut self) -> Result<(), Fatal> {
        self.scan.skip_bom();
        match self.scan.peek_nonws()? {
            None => {
                return Err(Fatal::new(
                    self.scan.at(self.scan.pos),
                    "empty file: no GeoJSON object",
                ));
            }
            Some(b'{') => self.scan.pos += 1,
            Some(b) => {
                return Err(Fatal::new(
                    self.scan.at(self.scan.pos),
                    format!(
                        "expected a GeoJSON object starting with '{{', found {}",
                        show(b)
                    ),
                ));
            }
        }
        let mut doc_type: Option<(String, At)> = None;
        let mut members: Vec<Member> = Vec::new();
        let mut saw_features = false;
        let mut first = true;
        loop {
            match self.scan.peek_nonws()? {
                Some(b'}') => {
                    self.scan.pos += 1;
                    break;
                }
                Some(b',') if !first => {
                    self.scan.pos += 1;
                    self.scan.peek_nonws()?;
                }
                Some(_) if first => {}
                Some(b) => {
                    return Err(Fatal::new(
                        self.scan.at(self.scan.pos),
                        format!("expected ',' or '}}' between members, found {}", show(b)),
                    ));
                }
                None => return Err(self.scan.eof_error()),
            }
            first = false;

            let key = self.key()?;
            match self.scan.peek_nonws()? {
                Some(b':') => self.scan.pos += 1,
                Some(b) => {
                    return Err(Fatal::new(
                        self.scan.at(self.scan.pos),
                        format!("expected ':' after \"{key}\", found {}", show(b)),
                    ));
                }
                None => return Err(self.scan.eof_error()),
            }
            if self.scan.peek_nonws()?.is_none() {
                return Err(self.scan.eof_error());
            }
            if key == "features" {
                saw_features = true;
                self.features()?;
                continue;
            }
            let range = self.scan.scan_value()?;
            let at = self.scan.at(range.start);
            let bytes = &self.scan.buf[range];
            match key.as_str() {
                "type" => match parse_at::<String>(bytes, at) {
                    Ok(t) => doc_type = Some((t, at)),
                    Err((at, msg)) => return Err(Fatal::new(at, format!("bad \"type\": {msg}"))),
                },
                "crs" => {
                    let (crs, name) = DocCrs::of(bytes).map_err(|m| Fatal::new(at, m))?;
                    if saw_features && !matches!(crs, DocCrs::Wgs84) {
                        let read_some = self.layer.features.iter().any(|f| f.shape.is_some())
                            || self.layer.has_errors();
                        if read_some {
                            self.layer.features.clear();
                            return Err(Fatal::new(
                                at,
                                format!(
                                    "the \"crs\" member names {name} but comes after \
                                     \"features\", whose coordinates were read as WGS84 \
                                     longitude/latitude: put \"crs\" first (as ogr2ogr writes \
                                     it) or reproject the file (e.g. ogr2ogr -t_srs EPSG:4326); \
                                     no features read"
                                ),
                            ));
                        }
                    }
                    self.refuse_geometry = match &crs {
                        DocCrs::Unknown(e) => Some(e.clone()),
                        _ => None,
                    };
                    self.crs = crs;
                    self.crs_at = Some(at);
                }
                "bbox" => {}
                "geometry" | "properties" | "id" | "coordinates" | "geometries" => {
                    members.push(Member {
                        key,
                        bytes: bytes.to_vec(),
                        at,
                    });
                }
                _ => {
                    if bytes.len() <= MAX_FOREIGN
                        && let Ok(value) = serde_json::from_slice::<Value>(bytes)
                    {
                        self.layer.foreign.insert(key, value);
                    }
                }
            }
        }
        if let Some(b) = self.scan.peek_nonws()? {
            return Err(Fatal::new(
                self.scan.at(self.scan.pos),
                format!("unexpected {} after the end of the GeoJSON object", show(b)),
            ));
        }
        let Some((doc_type, type_at)) = doc_type else {
            return Err(Fatal::new(
                At { line: 1, column: 1 },
                "the object has no \"type\" member",
            ));
        };
        set_projected(!matches!(self.crs, DocCrs::Wgs84));
        let result = match doc_type.as_str() {
            "FeatureCollection" => {
                if !saw_features {
                    return Err(Fatal::new(
                        type_at,
                        "a FeatureCollection needs a \"features\" array",
                    ));
                }
                Ok(())
            }
            "Feature" => {
                self.single_feature(&members, type_at);
                Ok(())
            }
            t if GEOMETRY_TYPES.contains(&t) => {
                self.bare_geometry(t, &members, type_at);
                Ok(())
            }
            other => Err(Fatal::new(
                type_at,
                format!(
                    "unknown GeoJSON type \"{other}\" (expected FeatureCollection, Feature or a geometry type)"
                ),
            )),
        };
        if self.refused {
            return Err(self.refusal());
        }
        if let DocCrs::Unknown(UnknownCrs(name)) = &self.crs {
            let message = format!(
                "coordinate system {name} is not supported, but no feature has coordinates in \
                 it: the features are read without geometry"
            );
            self.problem(Severity::Warning, self.crs_at, None, message);
        }
        result
    }

    /// The error refusing a file with coordinates in an unknown CRS.
    fn refusal(&mut self) -> Fatal {
        self.refused = true;
        let message = match &self.refuse_geometry {
            Some(e) => format!("{e}; no features read"),
            None => "no features read".into(),
        };
        Fatal {
            at: self.crs_at,
            message,
        }
    }

    /// A member name: a JSON string, decoded.
    fn key(&mut self) -> Result<String, Fatal> {
        let at = self.scan.at(self.scan.pos);
        if self.scan.peek()? != Some(b'"') {
            let found = self
                .scan
                .peek()?
                .map(show)
                .unwrap_or_else(|| "end of file".into());
            return Err(Fatal::new(
                at,
                format!("expected a member name in quotes, found {found}"),
            ));
        }
        let range = self.scan.scan_value()?;
        parse_at::<String>(&self.scan.buf[range], at).map_err(|(at, msg)| Fatal::new(at, msg))
    }

    /// The `features` array, each element parsed on its own. Past the first few megabytes
    /// the parsing moves to worker threads, batch by batch, while this thread scans on; the
    /// results are merged in file order.
    fn features(&mut self) -> Result<(), Fatal> {
        match self.scan.peek()? {
            Some(b'[') => self.scan.pos += 1,
            Some(b) => {
                return Err(Fatal::new(
                    self.scan.at(self.scan.pos),
                    format!("\"features\" must be an array, found {}", show(b)),
                ));
            }
            None => return Err(self.scan.eof_error()),
        }
        let (time, path) = (self.time, self.path);
        // Lent to the parsers for the array's length, and given back.
        let lent = std::mem::replace(&mut self.crs, DocCrs::Wgs84);
        let crs = &lent;
        let result = std::thread::scope(|scope| {
            let mut pool: Option<Pool> = None;
            let mut batch = Batch::default();
            let mut inline_bytes = 0usize;
            let result = self.scan_features(|reader, bytes, at, index| {
                if pool.is_none() && inline_bytes < PARALLEL_AFTER {
                    inline_bytes += bytes.len();
                    let outcome = parse_one(bytes, at, index, path, time, crs);
                    reader.merge(outcome);
                    return;
                }
                let pool = pool.get_or_insert_with(|| Pool::start(scope, time, path, crs));
                batch.push(bytes, at, index);
                if batch.bytes.len() >= BATCH_BYTES {
                    pool.send(std::mem::take(&mut batch));
                    pool.merge_ready(reader, false);
                }
            });
            if let Some(mut pool) = pool {
                if !batch.items.is_empty() {
                    pool.send(batch);
                }
                pool.finish(self);
            }
            result
        });
        self.crs = lent;
        result
    }

    /// Walks the array, handing each feature's bytes to `each`.
    fn scan_features(
        &mut self,
        mut each: impl FnMut(&mut Self, &[u8], At, usize),
    ) -> Result<(), Fatal> {
        let mut first = true;
        loop {
            if self.refused {
                return Err(self.refusal());
            }
            match self.scan.peek_nonws()? {
                Some(b']') => {
                    self.scan.pos += 1;
                    return Ok(());
                }
                Some(b',') if !first => {
                    self.scan.pos += 1;
                    if self.scan.peek_nonws()?.is_none() {
                        return Err(self.scan.eof_error());
                    }
                }
                Some(_) if first => {}
                Some(b) => {
                    return Err(Fatal::new(
                        self.scan.at(self.scan.pos),
                        format!("expected ',' or ']' after a feature, found {}", show(b)),
                    ));
                }
                None => return Err(self.scan.eof_error()),
            }
            first = false;
            self.scan.compact();
            let range = self.scan.scan_value()?;
            let at = self.scan.at(range.start);
            let index = self.feature_index;
            self.feature_index += 1;
            let bytes = std::mem::take(&mut self.scan.buf);
            each(self, &bytes[range], at, index);
            self.scan.buf = bytes;
        }
    }

    /// Adds what parsing one feature gave to the layer.
    fn merge(&mut self, outcome: Outcome) {
        if let Some(feature) = outcome.feature {
            if self.refuse_geometry.is_some() && feature.shape.is_some() {
                self.refused = true;
                return;
            }
            self.layer.features.push(feature);
        }
        self.layer.problems.extend(outcome.problems);
        self.layer
            .time_source
            .count(outcome.fields, outcome.without_offset);
    }

    /// A document that is one Feature.
    fn single_feature(&mut self, members: &[Member], type_at: At) {
        let mut feature = FeatureIn {
            kind: Some("Feature".into()),
            ..FeatureIn::default()
        };
        for m in members {
            let result: Result<(), (At, String)> = match m.key.as_str() {
                "geometry" => parse_at::<Option<GeomIn>>(&m.bytes, m.at)
                    .map(|g| feature.geometry = g.map(|g| g.0)),
                "properties" => {
                    parse_at::<PropertiesIn>(&m.bytes, m.at).map(|p| feature.properties = p.0)
                }
                "id" => parse_at::<IdIn>(&m.bytes, m.at).map(|id| feature.id = id.0),
                _ => Ok(()),
            };
            if let Err((at, msg)) = result {
                self.error_at(Some(at), Some(0), format!("{msg}; feature skipped"));
                return;
            }
        }
        self.feature_index = 1;
        let outcome = outcome_of(feature, 0, type_at, self.path, self.time, &self.crs);
        self.merge(outcome);
    }

    /// A document that is one bare Geometry: a timeless feature without properties.
    fn bare_geometry(&mut self, kind: &str, members: &[Member], type_at: At) {
        let mut coords = None;
        let mut geometries = None;
        for m in members {
            let result = match m.key.as_str() {
                "coordinates" => parse_at::<Coords>(&m.bytes, m.at).map(|c| coords = Some(c)),
                "geometries" => {
                    parse_at::<Vec<GeomIn>>(&m.bytes, m.at).map(|g| geometries = Some(g))
                }
                _ => Ok(()),
            };
            if let Err((at, msg)) = result {
                self.error_at(Some(at), Some(0), format!("{msg}; geometry skipped"));
                return;
            }
        }
        match build_geometry(kind, coords, geometries) {
            Ok(_) if self.refuse_geometry.is_some() => self.refused = true,
            Ok(geometry) => {
                let mut geometry = Some(geometry);
                if let Some(warning) = self.crs.reproject(&mut geometry) {
                    self.problem(Severity::Warning, Some(type_at), Some(0), warning);
                }
                self.layer.features.push(Feature {
                    given_id: None,
                    shape: geometry.map(Shape::from),
                    properties: None,
                    span: None,
                    line: type_at.line,
                });
            }
            Err(msg) => self.error_at(Some(type_at), Some(0), format!("{msg}; geometry skipped")),
        }
    }
}

/// Features are parsed on this thread until this many bytes, then on workers.
const PARALLEL_AFTER: usize = 4 << 20;
/// Bytes of features handed to a worker at a time.
const BATCH_BYTES: usize = 1 << 20;

/// What parsing one feature gave.
struct Outcome {
    feature: Option<Feature>,
    problems: Vec<Problem>,
    fields: Option<String>,
    without_offset: usize,
}

/// Parses one feature's bytes (found at `at`), reading its time span.
/// Coordinates are read in `crs`: checked as longitude/latitude for WGS84, reprojected for
/// a known CRS.
fn parse_one(
    bytes: &[u8],
    at: At,
    index: usize,
    path: &Path,
    time: &TimeReader,
    crs: &DocCrs,
) -> Outcome {
    set_projected(!matches!(crs, DocCrs::Wgs84));
    match parse_at::<FeatureIn>(bytes, at) {
        Ok(feature) => outcome_of(feature, index, at, path, time, crs),
        Err((at, msg)) => Outcome {
            feature: None,
            problems: vec![problem(
                path,
                Severity::Error,
                Some(at),
                Some(index),
                format!("{msg}; feature skipped"),
            )],
            fields: None,
            without_offset: 0,
        },
    }
}

/// Parses one Feature object from `bytes`, which start at `line`:`column` of the file at
/// `path`, and adds it to `layer` as feature `index` with its time span read by `time`.
/// A feature that cannot be read becomes an error naming its place, and is skipped.
/// Used by the reader of GeoJSON text sequences.
pub(crate) fn parse_feature_at(
    bytes: &[u8],
    line: u64,
    column: u64,
    index: usize,
    path: &Path,
    time: &TimeReader,
    layer: &mut Layer,
) {
    let outcome = parse_one(
        bytes,
        At { line, column },
        index,
        path,
        time,
        &DocCrs::Wgs84,
    );
    if let Some(feature) = outcome.feature {
        layer.features.push(feature);
    }
    layer.problems.extend(outcome.problems);
    layer
        .time_source
        .count(outcome.fields, outcome.without_offset);
}

/// A problem at a place of the scanner, through io's one constructor.
fn problem(
    path: &Path,
    severity: Severity,
    at: Option<At>,
    feature: Option<usize>,
    message: String,
) -> Problem {
    let place = Place {
        line: at.map(|a| a.line),
        column: at.map(|a| a.column),
        feature,
    };
    common::problem(path, severity, place, message)
}

/// Checks a parsed feature's type, reprojects its geometry from `crs` and reads its time span.
fn outcome_of(
    f: FeatureIn,
    index: usize,
    at: At,
    path: &Path,
    time: &TimeReader,
    crs: &DocCrs,
) -> Outcome {
    let mut out = Outcome {
        feature: None,
        problems: Vec::new(),
        fields: None,
        without_offset: 0,
    };
    if f.kind.as_deref() != Some("Feature") {
        let found = f
            .kind
            .as_deref()
            .map(|k| format!("\"{k}\""))
            .unwrap_or("nothing".into());
        out.problems.push(problem(
            path,
            Severity::Error,
            Some(at),
            Some(index),
            format!("expected \"type\": \"Feature\", found {found}; feature skipped"),
        ));
        return out;
    }
    let place = Place::at(at.line, at.column).feature(index);
    let (reading, problems) = common::read_time(
        time,
        f.properties.as_deref().map(RawValue::get),
        path,
        place,
    );
    out.problems = problems;
    let mut geometry = f.geometry;
    if let Some(warning) = crs.reproject(&mut geometry) {
        out.problems.push(problem(
            path,
            Severity::Warning,
            Some(at),
            Some(index),
            warning,
        ));
    }
    out.fields = reading.fields;
    out.without_offset = reading.without_offset;
    out.feature = Some(Feature {
        given_id: f.id.map(Into::into),
        shape: geometry.map(Shape::from),
        properties: f.properties.map(Properties::Json),
        span: reading.span,
        line: at.line,
    });
    out
}

/// Features' bytes, copied out of the scanner for a worker.
#[derive(Default)]
struct Batch {
    seq: u64,
    bytes: Vec<u8>,
    items: Vec<(std::ops::Range<usize>, At, usize)>,
}

impl Batch {
    fn push(&mut self, bytes: &[u8], at: At, index: usize) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(bytes);
        self.items.push((start..self.bytes.len(), at, index));
    }
}

/// Worker threads parsing batches, and the results waiting to be merged in order.
struct Pool {
    jobs: Option<std::sync::mpsc::SyncSender<Batch>>,
    results: std::sync::mpsc::Receiver<(u64, Vec<Outcome>)>,
    waiting: std::collections::BTreeMap<u64, Vec<Outcome>>,
    sent: u64,
    merged: u64,
}

impl Pool {
    fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        time: &'scope TimeReader,
        path: &'scope Path,
        crs: &'scope DocCrs,
    ) -> Self {
        let workers = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4);
        let (jobs, job_rx) = std::sync::mpsc::sync_channel::<Batch>(workers * 2);
        let job_rx = std::sync::Arc::new(std::sync::Mutex::new(job_rx));
        let (done, results) = std::sync::mpsc::channel();
        for _ in 0..workers {
            let job_rx = std::sync::Arc::clone(&job_rx);
            let done = done.clone();
            scope.spawn(move || {
                loop {
                    let job = job_rx
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .recv();
                    let Ok(batch) = job else { break };
                    let outcomes = batch
                        .items
                        .iter()
                        .map(|(range, at, index)| {
                            parse_one(&batch.bytes[range.clone()], *at, *index, path, time, crs)
                        })
                        .collect();
                    if done.send((batch.seq, outcomes)).is_err() {
                        break;
                    }
                }
            });
        }
        Self {
            jobs: Some(jobs),
            results,
            waiting: std::collections::BTreeMap::new(),
            sent: 0,
            merged: 0,
        }
    }

    fn send(&mut self, mut batch: Batch) {
        batch.seq = self.sent;
        self.sent += 1;
        if let Some(jobs) = &self.jobs
            && jobs.send(batch).is_err()
        {
            log::error!("a GeoJSON worker stopped; some features are missing");
        }
    }

    /// Merges the results that are in, in order; with `wait`, all of them.
    fn merge_ready<R: Read>(&mut self, reader: &mut Reader<'_, R>, wait: bool) {
        loop {
            let next = if wait && self.merged < self.sent {
                match self.results.recv() {
                    Ok(r) => Some(r),
                    Err(_) => break,
                }
            } else {
                self.results.try_recv().ok()
            };
            match next {
                Some((seq, outcomes)) => {
                    self.waiting.insert(seq, outcomes);
                }
                None if !wait || self.merged >= self.sent => break,
                None => {}
            }
            while let Some(outcomes) = self.waiting.remove(&self.merged) {
                for outcome in outcomes {
                    reader.merge(outcome);
                }
                self.merged += 1;
            }
            if wait && self.merged >= self.sent {
                break;
            }
        }
    }

    /// Waits for every batch and merges the rest.
    fn finish<R: Read>(&mut self, reader: &mut Reader<'_, R>) {
        self.jobs = None;
        self.merge_ready(reader, true);
    }
}

/// Parses `bytes` as `T`, moving serde_json's positions (relative to `bytes`) to the file's.
fn parse_at<'a, T: Deserialize<'a>>(bytes: &'a [u8], at: At) -> Result<T, (At, String)> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = T::deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let pos = if e.line() == 0 {
            at
        } else if e.line() == 1 {
            At {
                line: at.line,
                column: at.column + (e.column() as u64).saturating_sub(1),
            }
        } else {
            At {
                line: at.line + e.line() as u64 - 1,
                column: (e.column() as u64).max(1),
            }
        };
        let text = e.to_string();
        let message = match text.rsplit_once(" at line ") {
            Some((m, _)) => m.to_string(),
            None => text,
        };
        let message = if e.is_eof() {
            format!("unexpected end of data (truncated?): {message}")
        } else {
            message
        };
        (pos, message)
    })
}

fn show(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

// ---------------------------------------------------------------------------------------
// The scanner

/// Reads the file in chunks into a buffer and finds where JSON values end, iteratively.
struct Scanner<R> {
    reader: R,
    buf: Vec<u8>,
    /// Next byte to look at.
    pos: usize,
    eof: bool,
    io_error: Option<String>,
    /// Index in `buf` up to which `line`/`column` are counted.
    counted: usize,
    line: u64,
    column: u64,
}

impl<R: Read> Scanner<R> {
    fn new(reader: R) -> Self {
        Self {
            reader,
            buf: Vec::with_capacity(CHUNK),
            pos: 0,
            eof: false,
            io_error: None,
            counted: 0,
            line: 1,
            column: 1,
        }
    }

    /// Reads more bytes; false at end of file (or on a read error, which is kept).
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        loop {
            match self.reader.read(&mut self.buf[old..]) {
                Ok(0) => {
                    self.buf.truncate(old);
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.buf.truncate(old + n);
                    return true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(old);
                    self.eof = true;
                    self.io_error = Some(e.to_string());
                    return false;
                }
            }
        }
    }

    /// Drops consumed bytes from the buffer once they are many, keeping positions right.
    fn compact(&mut self) {
        if self.pos < CHUNK {
            return;
        }
        self.advance_count(self.pos);
        self.buf.drain(..self.pos);
        self.counted = 0;
        self.pos = 0;
    }

    /// Counts lines and columns up to `index` (which must not be behind `counted`).
    fn advance_count(&mut self, index: usize) {
        if index <= self.counted {
            return;
        }
        let bytes = &self.buf[self.counted..index];
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        if newlines > 0 {
            self.line += newlines;
            let after = bytes
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| bytes.len() - p - 1);
            self.column = 1 + after as u64;
        } else {
            self.column += bytes.len() as u64;
        }
        self.counted = index;
    }

    /// Line and column of buffer index `index` (monotonic use only).
    fn at(&mut self, index: usize) -> At {
        self.advance_count(index);
        At {
            line: self.line,
            column: self.column,
        }
    }

    fn eof_error(&mut self) -> Fatal {
        let at = self.at(self.buf.len());
        match &self.io_error {
            Some(e) => Fatal::new(at, format!("read error: {e}")),
            None => Fatal::new(at, "unexpected end of file (truncated?)"),
        }
    }

    fn skip_bom(&mut self) {
        while self.buf.len() < 3 && self.fill() {}
        if self.buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.pos = 3;
            self.counted = 3;
        }
    }

    fn peek(&mut self) -> Result<Option<u8>, Fatal> {
        if self.pos >= self.buf.len() && !self.fill() {
            if self.io_error.is_some() {
                return Err(self.eof_error());
            }
            return Ok(None);
        }
        Ok(self.buf.get(self.pos).copied())
    }

    /// Skips whitespace and returns the next byte, if any.
    fn peek_nonws(&mut self) -> Result<Option<u8>, Fatal> {
        loop {
            match self.peek()? {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                other => return Ok(other),
            }
        }
    }

    /// Finds the end of the JSON value starting at `pos`; returns its byte range.
    fn scan_value(&mut self) -> Result<Range<usize>, Fatal> {
        let start = self.pos;
        let Some(first) = self.peek()? else {
            return Err(self.eof_error());
        };
        let mut i = start;
        if first == b'{' || first == b'[' || first == b'"' {
            let mut depth: u64 = 0;
            let mut in_string = false;
            let mut escaped = false;
            loop {
                if i >= self.buf.len() {
                    if !self.fill() {
                        return Err(self.eof_error());
                    }
                    continue;
                }
                let chunk = &self.buf[i..];
                let mut done = None;
                for (k, &b) in chunk.iter().enumerate() {
                    if in_string {
                        if escaped {
                            escaped = false;
                        } else if b == b'\\' {
                            escaped = true;
                        } else if b == b'"' {
                            in_string = false;
                            if depth == 0 {
                                done = Some(k + 1);
                                break;
                            }
                        }
                    } else {
                        match b {
                            b'"' => in_string = true,
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                if depth == 0 {
                                    let at = self.at(i + k);
                                    return Err(Fatal::new(at, format!("unexpected {}", show(b))));
                                }
                                depth -= 1;
                                if depth == 0 {
                                    done = Some(k + 1);
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                match done {
                    Some(len) => {
                        i += len;
                        break;
                    }
                    None => i = self.buf.len(),
                }
            }
        } else {
            // A scalar: runs to the next delimiter.
            loop {
                if i >= self.buf.len() && !self.fill() {
                    break;
                }
                match self.buf[i] {
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' => break,
                    _ => i += 1,
                }
            }
            if i == start {
                let at = self.at(start);
                return Err(Fatal::new(
                    at,
                    format!("expected a value, found {}", show(first)),
                ));
            }
        }
        self.pos = i;
        Ok(start..i)
    }
}

// ---------------------------------------------------------------------------------------
// Feature, properties, id and geometry deserialisation

/// One feature as parsed: foreign members are skipped unparsed.
#[derive(Default)]
struct FeatureIn {
    kind: Option<String>,
    geometry: Option<Geometry<f64>>,
    properties: Option<Box<RawValue>>,
    id: Option<String>,
}

impl<'de> Deserialize<'de> for FeatureIn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FeatureIn;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a GeoJSON Feature object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FeatureIn, A::Error> {
                reset_flat();
                let mut out = FeatureIn::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => out.kind = Some(map.next_value()?),
                        "geometry" => {
                            out.geometry = map.next_value::<Option<GeomIn>>()?.map(|g| g.0)
                        }
                        "properties" => out.properties = map.next_value::<PropertiesIn>()?.0,
                        "id" => out.id = map.next_value::<IdIn>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// `properties`: an object kept verbatim, or null.
struct PropertiesIn(Option<Box<RawValue>>);

impl<'de> Deserialize<'de> for PropertiesIn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw: &'de RawValue = Deserialize::deserialize(d)?;
        match raw.get().as_bytes().first() {
            Some(b'{') => Ok(Self(Some(raw.to_owned()))),
            Some(b'n') => Ok(Self(None)),
            _ => Err(de::Error::custom(
                "\"properties\" must be an object or null",
            )),
        }
    }
}

/// `id`: a string or a number, kept as text.
struct IdIn(Option<String>);

impl<'de> Deserialize<'de> for IdIn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(Self(Some(s))),
            Value::Number(n) => Ok(Self(Some(n.to_string()))),
            Value::Null => Ok(Self(None)),
            _ => Err(de::Error::custom("\"id\" must be a string or a number")),
        }
    }
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// A geometry object, validated while it is parsed.
struct GeomIn(Geometry<f64>);

impl<'de> Deserialize<'de> for GeomIn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GeomIn;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a GeoJSON geometry object or null")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GeomIn, A::Error> {
                let mut kind: Option<String> = None;
                let mut coords: Option<Coords> = None;
                let mut geometries: Option<Vec<GeomIn>> = None;
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = Some(map.next_value()?),
                        "coordinates" => coords = map.next_value()?,
                        "geometries" => geometries = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| de::Error::custom("the geometry has no \"type\""))?;
                build_geometry(&kind, coords, geometries)
                    .map(GeomIn)
                    .map_err(de::Error::custom)
            }
        }
        d.deserialize_map(V)
    }
}

/// Coordinates of the geometry being read, flat: every position in order, and where each
/// nested array closed. Kept per thread and reused, so reading a feature allocates only the
/// geometry it keeps.
#[derive(Default)]
struct Flat {
    coords: Vec<Coord<f64>>,
    /// `(depth, number of coordinates when it closed)` for every array that is not a position.
    marks: Vec<(u8, u32)>,
    /// Depth of the positions of the coordinates being read.
    leaf_depth: Option<u8>,
    /// The coordinates are in a projected CRS (metres): not checked as longitude/latitude.
    projected: bool,
}

thread_local! {
    static FLAT: std::cell::RefCell<Flat> = std::cell::RefCell::new(Flat::default());
}

/// Whether the coordinates this thread reads next are projected (see [`Flat::projected`]).
fn set_projected(on: bool) {
    FLAT.with_borrow_mut(|f| f.projected = on);
}

/// Empties the per-thread coordinate buffer (before each feature), letting go of the
/// memory a very large feature needed.
fn reset_flat() {
    FLAT.with_borrow_mut(|f| {
        if f.coords.capacity() > 1 << 20 {
            *f = Flat::default();
        }
        f.coords.clear();
        f.marks.clear();
    });
}

/// A `coordinates` member, read into [`FLAT`] from these offsets on.
#[derive(Debug)]
struct Coords {
    coords_from: usize,
    marks_from: usize,
    leaf_depth: Option<u8>,
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (coords_from, marks_from) = FLAT.with_borrow_mut(|f| {
            f.leaf_depth = None;
            (f.coords.len(), f.marks.len())
        });
        d.deserialize_seq(ArrayVisitor { depth: 0 })?;
        Ok(Self {
            coords_from,
            marks_from,
            leaf_depth: FLAT.with_borrow(|f| f.leaf_depth),
        })
    }
}

/// What an array element was.
enum Element {
    Number(f64),
    Array,
}

/// Reads one array at `depth` below the `coordinates` root.
struct ArrayVisitor {
    depth: u8,
}

impl<'de> Visitor<'de> for ArrayVisitor {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of coordinates")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut numbers = 0usize;
        let mut xy = [0.0f64; 2];
        let mut arrays = 0usize;
        let depth = self.depth.saturating_add(1);
        while let Some(e) = seq.next_element_seed(ElementSeed { depth })? {
            match e {
                Element::Number(v) => {
                    if arrays > 0 {
                        return Err(de::Error::custom(
                            "coordinates mix numbers and arrays at the same level",
                        ));
                    }
                    if numbers < 2 {
                        xy[numbers] = v;
                    }
                    numbers += 1;
                }
                Element::Array => {
                    if numbers > 0 {
                        return Err(de::Error::custom(
                            "coordinates mix numbers and arrays at the same level",
                        ));
                    }
                    arrays += 1;
                }
            }
        }
        if numbers > 0 {
            // A third number (altitude) and beyond are ignored, as RFC 7946 allows.
            if numbers < 2 {
                return Err(de::Error::custom(
                    "a position needs at least two numbers: longitude and latitude",
                ));
            }
            let [x, y] = xy;
            FLAT.with_borrow_mut(|f| {
                if !f.projected {
                    if !(-180.0..=180.0).contains(&x) {
                        return Err(de::Error::custom(format!(
                            "longitude {x} is outside -180..180"
                        )));
                    }
                    if !(-90.0..=90.0).contains(&y) {
                        return Err(de::Error::custom(format!(
                            "latitude {y} is outside -90..90"
                        )));
                    }
                }
                match f.leaf_depth {
                    Some(d) if d != self.depth => Err(de::Error::custom(
                        "positions are nested at different depths",
                    )),
                    _ => {
                        f.leaf_depth = Some(self.depth);
                        f.coords.push(Coord { x, y });
                        Ok(())
                    }
                }
            })
        } else {
            FLAT.with_borrow_mut(|f| {
                let n = f.coords.len() as u32;
                f.marks.push((self.depth, n));
            });
            Ok(())
        }
    }
}

struct ElementSeed {
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for ElementSeed {
    type Value = Element;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Element, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed {
    type Value = Element;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a number or an array of coordinates")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Element, E> {
        Ok(Element::Number(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Element, E> {
        Ok(Element::Number(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Element, A::Error> {
        ArrayVisitor { depth: self.depth }
            .visit_seq(seq)
            .map(|()| Element::Array)
    }
}

/// Depth of the positions for a geometry type.
fn leaf_depth_of(kind: &str) -> u8 {
    match kind {
        "Point" => 0,
        "MultiPoint" | "LineString" => 1,
        "MultiLineString" | "Polygon" => 2,
        _ => 3,
    }
}

/// Splits positions into the arrays that closed at `depth` (lines or rings).
fn split_at_depth(
    coords: &[Coord<f64>],
    marks: &[(u8, u32)],
    base: usize,
    depth: u8,
) -> Vec<Vec<Coord<f64>>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for &(d, end) in marks {
        if d == depth {
            let end = (end as usize).saturating_sub(base).min(coords.len());
            out.push(coords[start.min(end)..end].to_vec());
            start = end;
        }
    }
    out
}

fn line_string(coords: Vec<Coord<f64>>) -> Result<LineString<f64>, String> {
    if coords.len() < 2 {
        return Err(format!(
            "a LineString needs at least 2 positions, found {}",
            coords.len()
        ));
    }
    Ok(LineString::new(coords))
}

fn polygon(rings: Vec<Vec<Coord<f64>>>) -> Result<Polygon<f64>, String> {
    let mut checked = Vec::with_capacity(rings.len());
    for mut ring in rings {
        if ring.len() < 4 {
            return Err(format!(
                "a linear ring needs at least 4 positions, found {}",
                ring.len()
            ));
        }
        // Close an open ring here, growing by exactly one: geo would double the capacity.
        if ring.first() != ring.last()
            && let Some(&first) = ring.first()
        {
            ring.reserve_exact(1);
            ring.push(first);
        }
        checked.push(LineString::new(ring));
    }
    let mut rings = checked.into_iter();
    let exterior = rings
        .next()
        .ok_or("a Polygon needs at least one linear ring")?;
    // geo closes a ring whose last position differs from its first.
    Ok(Polygon::new(exterior, rings.collect()))
}

/// Builds a geometry of type `kind` from its coordinates, checking their shape, and drops
/// those coordinates from the per-thread buffer.
fn build_geometry(
    kind: &str,
    coords: Option<Coords>,
    geometries: Option<Vec<GeomIn>>,
) -> Result<Geometry<f64>, String> {
    let result = build_inner(kind, coords.as_ref(), geometries);
    if let Some(c) = coords {
        FLAT.with_borrow_mut(|f| {
            f.coords.truncate(c.coords_from);
            f.marks.truncate(c.marks_from);
        });
    }
    result
}

fn build_inner(
    kind: &str,
    coords: Option<&Coords>,
    geometries: Option<Vec<GeomIn>>,
) -> Result<Geometry<f64>, String> {
    if kind == "GeometryCollection" {
        let geometries = geometries.ok_or("a GeometryCollection needs a \"geometries\" array")?;
        return Ok(Geometry::GeometryCollection(GeometryCollection(
            geometries.into_iter().map(|g| g.0).collect(),
        )));
    }
    if !GEOMETRY_TYPES.contains(&kind) {
        return Err(format!("unknown geometry type \"{kind}\""));
    }
    let c = coords.ok_or_else(|| format!("the {kind} has no \"coordinates\""))?;
    let want = leaf_depth_of(kind);
    match c.leaf_depth {
        Some(d) if d > want => {
            return Err("expected a position [longitude, latitude], found nested arrays".into());
        }
        Some(d) if d < want => {
            let what = match kind {
                "MultiPoint" | "LineString" => "positions",
                "MultiLineString" => "LineStrings",
                "Polygon" => "linear rings",
                _ => "Polygons",
            };
            return Err(format!(
                "expected an array of {what}, found a single position"
            ));
        }
        _ => {}
    }
    FLAT.with_borrow(|f| {
        let all = f.coords.get(c.coords_from..).unwrap_or_default();
        let marks = f.marks.get(c.marks_from..).unwrap_or_default();
        let base = c.coords_from;
        Ok(match kind {
            "Point" => match all.first() {
                Some(p) => Geometry::Point(Point(*p)),
                None => {
                    return Err(
                        "a position needs at least two numbers: longitude and latitude".into(),
                    );
                }
            },
            "MultiPoint" => {
                Geometry::MultiPoint(MultiPoint(all.iter().map(|p| Point(*p)).collect()))
            }
            "LineString" => Geometry::LineString(line_string(all.to_vec())?),
            "MultiLineString" => Geometry::MultiLineString(MultiLineString(
                split_at_depth(all, marks, base, 1)
                    .into_iter()
                    .map(line_string)
                    .collect::<Result<_, _>>()?,
            )),
            "Polygon" => Geometry::Polygon(polygon(split_at_depth(all, marks, base, 1))?),
            _ => {
                let mut polygons = Vec::new();
                let mut rings: Vec<Vec<Coord<f64>>> = Vec::new();
                let mut start = 0usize;
                for &(d, end) in marks {
                    let end = (end as usize).saturating_sub(base).min(all.len());
                    match d {
                        2 => {
                            rings.push(all[start.min(end)..end].to_vec());
                            start = end;
                        }
                        1 => polygons.push(polygon(std::mem::take(&mut rings))?),
                        _ => {}
                    }
                }
                Geometry::MultiPolygon(MultiPolygon(polygons))
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Layer {
        read_geojson(
            text.as_bytes(),
            Path::new("test.geojson"),
            &TimeReader::default(),
        )
    }

    use crate::io::testutil::errors;

    fn fc(features: &[&str]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        )
    }

    fn feature(geometry: &str) -> String {
        format!(r#"{{"type":"Feature","properties":{{"name":"x"}},"geometry":{geometry}}}"#)
    }

    #[test]
    fn all_seven_geometry_types_and_null() {
        let layer = read(&fc(&[
            &feature(r#"{"type":"Point","coordinates":[70.5,39.8]}"#),
            &feature(r#"{"type":"MultiPoint","coordinates":[[70.5,39.8],[70.6,39.9]]}"#),
            &feature(r#"{"type":"LineString","coordinates":[[70.5,39.8],[70.6,39.9]]}"#),
            &feature(r#"{"type":"MultiLineString","coordinates":[[[70.5,39.8],[70.6,39.9]]]}"#),
            &feature(
                r#"{"type":"Polygon","coordinates":[[[70,39],[71,39],[71,40],[70,39]],[[70.5,39.2],[70.8,39.2],[70.8,39.5],[70.5,39.2]]]}"#,
            ),
            &feature(
                r#"{"type":"MultiPolygon","coordinates":[[[[70,39],[71,39],[71,40],[70,39]]]]}"#,
            ),
            &feature(
                r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"GeometryCollection","geometries":[{"type":"LineString","coordinates":[[1,2],[3,4]]}]}]}"#,
            ),
            &feature("null"),
        ]));
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let kinds: Vec<&str> = layer
            .features
            .iter()
            .map(|f| {
                f.geometry()
                    .map_or("null", |g| crate::model::geometry_type_name(&g))
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "Point",
                "MultiPoint",
                "LineString",
                "MultiLineString",
                "Polygon",
                "MultiPolygon",
                "GeometryCollection",
                "null"
            ]
        );
        let geometry = layer.features[4].geometry();
        let Some(Geometry::Polygon(p)) = geometry.as_deref() else {
            panic!("polygon expected");
        };
        assert_eq!(p.interiors().len(), 1);
        let geometry = layer.features[6].geometry();
        let Some(Geometry::GeometryCollection(gc)) = geometry.as_deref() else {
            panic!("collection expected");
        };
        assert!(matches!(gc.0[1], Geometry::GeometryCollection(_)));
    }

    #[test]
    fn single_feature_and_bare_geometry_documents() {
        let layer = read(
            r#"{"type":"Feature","id":7,"properties":{"date":"2022-09-16"},"geometry":{"type":"Point","coordinates":[70.5,39.8]}}"#,
        );
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.features[0].id(), Some("7"));
        assert!(layer.features[0].span.is_some());
        let layer = read(r#"{"coordinates":[[70.5,39.8],[70.6,39.9]],"type":"LineString"}"#);
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert!(matches!(
            layer.features[0].geometry().as_deref(),
            Some(Geometry::LineString(_))
        ));
    }

    #[test]
    fn third_coordinate_is_ignored_and_foreign_members_kept_aside() {
        let layer = read(
            r#"{"bbox":[1,2,3,4],"type":"FeatureCollection","name":"mine","features":[
            {"type":"Feature","extra":{"deep":[1,2]},"properties":null,"geometry":{"type":"Point","coordinates":[70.5,39.8,1200.5]}}]}"#,
        );
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let Some(Shape::Point(p)) = layer.features[0].shape else {
            panic!("point expected")
        };
        assert_eq!((p.x(), p.y()), (70.5, 39.8));
        assert_eq!(
            layer.foreign.get("name"),
            Some(&Value::String("mine".into()))
        );
    }

    #[test]
    fn unknown_properties_survive_verbatim() {
        let layer = read(&fc(&[
            r#"{"type":"Feature","geometry":null,"properties":{"ü":{"nested":[1,"two"]},"n":1.5}}"#,
        ]));
        let props = layer.features[0].properties_map();
        assert_eq!(props["ü"]["nested"][1], "two");
        assert_eq!(props["n"], 1.5);
    }

    #[test]
    fn bad_feature_is_skipped_and_the_rest_loads() {
        let good = feature(r#"{"type":"Point","coordinates":[70.5,39.8]}"#);
        let cases = [
            (
                r#"{"type":"Point","coordinates":[200,39.8]}"#,
                "longitude 200",
            ),
            (r#"{"type":"Point","coordinates":[70,-91]}"#, "latitude -91"),
            (
                r#"{"type":"LineString","coordinates":[[70,39]]}"#,
                "at least 2 positions",
            ),
            (
                r#"{"type":"Polygon","coordinates":[[[70,39],[71,39],[70,39]]]}"#,
                "at least 4 positions",
            ),
            (
                r#"{"type":"Point","coordinates":[[70,39]]}"#,
                "expected a position",
            ),
            (
                r#"{"type":"Point","coordinates":[70]}"#,
                "at least two numbers",
            ),
            (
                r#"{"type":"Point","coordinates":[70,"39"]}"#,
                "invalid type",
            ),
            (
                r#"{"type":"Circle","coordinates":[70,39]}"#,
                "unknown geometry type \"Circle\"",
            ),
            (r#"{"coordinates":[70,39]}"#, "no \"type\""),
            (
                r#"{"type":"Polygon","coordinates":[70,39]}"#,
                "found a single position",
            ),
            (
                r#"{"type":"MultiPoint","coordinates":[[70,39],7]}"#,
                "mix numbers and arrays",
            ),
        ];
        for (geometry, expected) in cases {
            let bad = feature(geometry);
            let layer = read(&fc(&[&good, &bad, &good]));
            assert_eq!(layer.features.len(), 2, "{geometry}");
            let errs = errors(&layer);
            assert_eq!(errs.len(), 1, "{geometry}: {errs:?}");
            assert!(errs[0].contains(expected), "{geometry}: {errs:?}");
            assert!(errs[0].starts_with("test.geojson:1:"), "{errs:?}");
            assert!(errs[0].contains("feature 2"), "{errs:?}");
        }
    }

    #[test]
    fn wrong_feature_type_and_bad_properties_are_errors() {
        let layer = read(&fc(&[
            r#"{"type":"Feture","geometry":null,"properties":{}}"#,
        ]));
        assert!(errors(&layer)[0].contains("\"Feture\""));
        let layer = read(&fc(&[
            r#"{"type":"Feature","geometry":null,"properties":[1]}"#,
        ]));
        assert!(errors(&layer)[0].contains("must be an object"));
        let layer = read(r#"{"type":"Topology","objects":{}}"#);
        assert!(errors(&layer)[0].contains("unknown GeoJSON type \"Topology\""));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let text = "{\"type\":\"FeatureCollection\",\"features\":[\n  {\"type\":\"Feature\",\"properties\":{},\n   \"geometry\":{\"type\":\"Point\",\"coordinates\":[70.5,,39]}}\n]}";
        let errs = errors(&read(text));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("test.geojson:3:51:"), "{errs:?}");
    }

    #[test]
    fn not_json_truncated_and_empty() {
        assert!(errors(&read("hello"))[0].contains("expected a GeoJSON object"));
        assert!(errors(&read(""))[0].contains("empty file"));
        let full = fc(&[&feature(r#"{"type":"Point","coordinates":[70.5,39.8]}"#)]);
        for cut in 1..full.len() {
            let layer = read(&full[..cut]);
            assert!(layer.has_errors(), "cut at {cut} read without error");
        }
        let errs = errors(&read(&full[..full.len() - 10]));
        assert!(errs[0].contains("truncated"), "{errs:?}");
    }

    #[test]
    fn invalid_utf8_is_an_error_not_a_panic() {
        let mut bytes =
            fc(&[r#"{"type":"Feature","geometry":null,"properties":{"name":"XX"}}"#]).into_bytes();
        let at = bytes.iter().position(|&b| b == b'X').unwrap_or(0);
        bytes[at] = 0xff;
        bytes[at + 1] = 0xfe;
        let layer = read_geojson(&bytes[..], Path::new("t.geojson"), &TimeReader::default());
        assert_eq!(errors(&layer).len(), 1, "{:?}", layer.problems);
        assert!(layer.features.is_empty());
    }

    #[test]
    fn nan_and_infinite_numbers_are_errors() {
        for coords in ["[NaN,39]", "[1e400,39]", "[-Infinity,39]"] {
            let layer = read(&fc(&[&feature(&format!(
                r#"{{"type":"Point","coordinates":{coords}}}"#
            ))]));
            assert_eq!(errors(&layer).len(), 1, "{coords}: {:?}", layer.problems);
        }
    }

    /// A FeatureCollection whose legacy `crs` names `name`, before `features`.
    fn with_crs(name: &str, features: &[&str]) -> String {
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{name}"}}}},"features":[{}]}}"#,
            features.join(",")
        )
    }

    #[test]
    fn legacy_crs_wgs84_reads_and_after_the_features_refuses_a_projected_one() {
        let point = feature(r#"{"type":"Point","coordinates":[70.5,39.8]}"#);
        let ok = with_crs("urn:ogc:def:crs:OGC:1.3:CRS84", &[&point]);
        assert!(read(&ok).problems.is_empty());
        // After the features, a projected CRS comes too late for what was read.
        let bad = format!(
            r#"{{"type":"FeatureCollection","features":[{point}],"crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::3857"}}}}}}"#
        );
        let layer = read(&bad);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("EPSG::3857"), "{errs:?}");
        assert!(errs[0].contains("comes after"), "{errs:?}");
        assert!(layer.features.is_empty());
    }

    #[test]
    fn legacy_crs_3857_written_by_ogr2ogr_is_reprojected() {
        use crate::io::testutil;
        let path = testutil::ogr2ogr(
            "GeoJSON",
            "events-3857.geojson",
            &["-t_srs", "EPSG:3857", "-lco", "RFC7946=NO"],
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("EPSG::3857"), "the file names its CRS");
        let layer = read(&text);
        testutil::same_as_events(&layer, 0.01);
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        testutil::remove(&path);
    }

    #[test]
    fn legacy_crs_utm_written_by_ogr2ogr_is_reprojected() {
        use crate::io::testutil;
        let path = testutil::ogr2ogr(
            "GeoJSON",
            "events-utm.geojson",
            &["-t_srs", "EPSG:32642", "-lco", "RFC7946=NO"],
        );
        let layer = read(&std::fs::read_to_string(&path).unwrap());
        testutil::same_as_events(&layer, 1.0);
        testutil::remove(&path);
    }

    #[test]
    fn legacy_crs_projected_single_feature_and_bare_geometry() {
        // 70.8 E 40.06 N is 7,881,419.948, 4,874,665.151 in EPSG:3857 (PROJ).
        let geometry = r#"{"type":"Point","coordinates":[7881419.9482,4874665.1505]}"#;
        let crs = r#""crs":{"type":"name","properties":{"name":"EPSG:3857"}}"#;
        for text in [
            format!(r#"{{"type":"Feature",{crs},"properties":null,"geometry":{geometry}}}"#),
            format!(r#"{{"type":"Point",{crs},"coordinates":[7881419.9482,4874665.1505]}}"#),
        ] {
            let layer = read(&text);
            assert!(layer.problems.is_empty(), "{text}: {:?}", layer.problems);
            let geometry = layer.features[0].geometry();
            let Some(Geometry::Point(p)) = geometry.as_deref() else {
                panic!("{text}: a point")
            };
            assert!(
                (p.x() - 70.8).abs() < 1e-7 && (p.y() - 40.06).abs() < 1e-7,
                "{p:?}"
            );
        }
        // A coordinate the projection cannot take: that geometry is dropped, with a warning.
        let layer = read(&with_crs(
            "EPSG:3857",
            &[&feature(r#"{"type":"Point","coordinates":[1e300,0]}"#)],
        ));
        assert_eq!(layer.features.len(), 1);
        assert!(layer.features[0].shape.is_none());
        assert_eq!(layer.problems.len(), 1, "{:?}", layer.problems);
        assert_eq!(layer.problems[0].severity, Severity::Warning);
        assert!(layer.problems[0].message.contains("geometry dropped"));
        assert_eq!(layer.problems[0].feature, Some(0));
    }

    #[test]
    fn legacy_crs_unknown_reads_without_coordinates_and_refuses_them() {
        let null = r#"{"type":"Feature","properties":{"start":"2022-09-16"},"geometry":null}"#;
        let layer = read(&with_crs("EPSG:2154", &[null, null]));
        assert!(!layer.has_errors(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 2);
        assert_eq!(layer.dated_count(), 2);
        assert_eq!(layer.problems.len(), 1, "{:?}", layer.problems);
        assert_eq!(layer.problems[0].severity, Severity::Warning);
        assert!(layer.problems[0].message.contains("EPSG:2154"));
        // One coordinate in it refuses the file, naming the CRS.
        let point = feature(r#"{"type":"Point","coordinates":[652000,6862000]}"#);
        let layer = read(&with_crs(
            "urn:ogc:def:crs:EPSG::2154",
            &[null, &point, null],
        ));
        assert!(layer.features.is_empty());
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("EPSG::2154"), "{errs:?}");
        assert!(errs[0].contains("not supported"), "{errs:?}");
        // Past the first megabytes (features parsed on worker threads) too.
        let many: Vec<&str> = std::iter::repeat_n(null, 60_000)
            .chain([point.as_str()])
            .collect();
        let layer = read(&with_crs("EPSG:2154", &many));
        assert!(layer.features.is_empty());
        assert_eq!(errors(&layer).len(), 1, "{:?}", errors(&layer));
        // A bare geometry in it too.
        let layer = read(
            r#"{"type":"Point","crs":{"type":"name","properties":{"name":"EPSG:2154"}},"coordinates":[1,2]}"#,
        );
        assert!(layer.features.is_empty());
        assert!(errors(&layer)[0].contains("EPSG:2154"));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let deep = "[".repeat(200_000);
        let layer = read(&format!(
            r#"{{"type":"FeatureCollection","features":[{deep}"#
        ));
        assert!(layer.has_errors());
        let closed = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
        let layer = read(&fc(&[&feature(&format!(
            r#"{{"type":"Point","coordinates":{closed}}}"#
        ))]));
        assert_eq!(errors(&layer).len(), 1, "{:?}", layer.problems);
        let layer = read(&deep);
        assert!(layer.has_errors());
    }

    #[test]
    fn time_warnings_keep_the_feature() {
        let layer = read(&fc(&[
            r#"{"type":"Feature","geometry":null,"properties":{"start":"2022-09-17","end":"2022-09-16"}}"#,
        ]));
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.problems.len(), 1);
        assert_eq!(layer.problems[0].severity, Severity::Warning);
        assert_eq!(layer.time_source.fields, vec![("start/end".to_string(), 1)]);
    }

    #[test]
    fn features_spanning_many_chunks_read_whole() {
        let coords: Vec<String> = (0..100_000)
            .map(|i| format!("[{}.5,{}.25]", i % 170, i % 80))
            .collect();
        let big = feature(&format!(
            r#"{{"type":"LineString","coordinates":[{}]}}"#,
            coords.join(",")
        ));
        let small = feature(r#"{"type":"Point","coordinates":[70.5,39.8]}"#);
        let many: Vec<&str> = std::iter::repeat_n(small.as_str(), 30_000)
            .chain([big.as_str()])
            .collect();
        let text = fc(&many).replace("},{", "},\n{");
        let layer = read(&text);
        assert!(layer.problems.is_empty(), "{:?}", &layer.problems[..1]);
        assert_eq!(layer.features.len(), 30_001);
        assert_eq!(layer.features[30_000].line, 30_001);
        let geometry = layer.features[30_000].geometry();
        let Some(Geometry::LineString(ls)) = geometry.as_deref() else {
            panic!("line expected")
        };
        assert_eq!(ls.0.len(), 100_000);
    }

    #[test]
    fn parallel_parsing_keeps_file_order_and_every_error() {
        let good = |i: usize| {
            format!(
                r#"{{"type":"Feature","properties":{{"n":{i},"date":"2022-09-16"}},"geometry":{{"type":"LineString","coordinates":[[70.1,39.1],[70.2,39.2],[70.3,39.3]]}}}}"#
            )
        };
        let bad = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[500,1]}}"#;
        let items: Vec<String> = (0..60_000)
            .map(|i| {
                if i % 1000 == 999 {
                    bad.to_string()
                } else {
                    good(i)
                }
            })
            .collect();
        let text = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}",
            items.join(",\n")
        );
        assert!(
            text.len() > 2 * PARALLEL_AFTER,
            "the test must reach the workers"
        );
        let layer = read(&text);
        assert_eq!(layer.features.len(), 60_000 - 60);
        let errors: Vec<usize> = layer.problems.iter().filter_map(|p| p.feature).collect();
        assert_eq!(errors, (0..60).map(|k| k * 1000 + 999).collect::<Vec<_>>());
        assert!(
            layer
                .problems
                .iter()
                .all(|p| p.line == Some(p.feature.unwrap_or(0) as u64 + 2))
        );
        let ns: Vec<i64> = layer
            .features
            .iter()
            .map(|f| f.properties_map()["n"].as_i64().unwrap_or(-1))
            .collect();
        assert!(ns.windows(2).all(|w| w[0] < w[1]), "features in file order");
        assert_eq!(
            layer.time_source.fields,
            vec![("date".to_string(), 60_000 - 60)]
        );
    }

    #[test]
    fn a_bom_is_skipped() {
        let text = format!("\u{feff}{}", fc(&[]));
        assert!(read(&text).problems.is_empty());
    }
}
