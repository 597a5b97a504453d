//! FlatGeobuf (`.fgb`), read as a stream.
//!
//! The file is the magic bytes, a size-prefixed FlatBuffers header (name, geometry type,
//! columns, CRS, feature count), an optional packed R-tree index, then size-prefixed
//! FlatBuffers features. The `flatgeobuf` crate gives the schema's generated accessors and
//! their verification; the framing, the geometries and the properties are read here, with
//! every size the file declares checked against what is left of it (a hostile header or
//! feature size is an error, not an allocation, and no input panics).
//!
//! - The index is skipped (read through, so progress and cancelling work on any reader).
//! - Columns keep their types: integers and reals as JSON numbers, booleans as booleans,
//!   strings and DateTime values (ISO 8601 text) as strings, JSON columns as JSON; a column
//!   a feature leaves out is null. Time fields (`start`, `end`, `date`, ...) are found in
//!   them as in every other format.
//! - Geometries: points, lines, polygons, their multi forms and collections; Z and M values
//!   are dropped. Curves, surfaces and TINs are not read: the geometry is dropped with a
//!   warning naming the feature, as is an empty one.
//! - The CRS of the header (`org` EPSG and `code`, else its WKT) is reprojected to WGS84
//!   when [`Crs`] knows it; any other CRS refuses the layer with an error naming it. No CRS
//!   is WGS84.

use std::io::{self, Read};
use std::path::Path;

use flatgeobuf as fgb;
use geo::{Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint};
use geo::{MultiPolygon, Point, Polygon};
use serde_json::{Map, Value};

use crate::io::common::{self, Place};
use crate::io::crs::{Crs, Reproject, UnknownCrs, for_each_coord};
use crate::io::timefields::TimeReader;
use crate::model::{Feature, Layer, Severity, Shape};

/// The largest header read (as the `flatgeobuf` crate's own limit).
pub const MAX_HEADER: u64 = 10 << 20;
/// The largest single feature read.
pub const MAX_FEATURE: u64 = 256 << 20;
/// Deepest nesting of geometry collections read.
const MAX_DEPTH: u8 = 16;
/// Bytes of one node of the packed R-tree index.
const NODE_ITEM: u64 = 40;

/// Reads a FlatGeobuf file from `reader`, which holds `file_len` bytes when known (sizes
/// declared in the file are checked against it). Problems are collected in the layer, each
/// naming `path`; the read never panics.
pub fn read_fgb<R: Read>(
    reader: R,
    path: &Path,
    time: &TimeReader,
    file_len: Option<u64>,
) -> Layer {
    let mut layer = common::new_layer(path, time);
    let mut input = Input {
        inner: io::BufReader::with_capacity(1 << 16, reader),
        read: 0,
        len: file_len,
    };
    if let Err(message) = read_all(&mut input, &mut layer, path, time) {
        common::push_problem(&mut layer, path, Severity::Error, Place::default(), message);
    }
    layer
}

/// The file being read, with how much of it has passed.
struct Input<R> {
    inner: R,
    read: u64,
    len: Option<u64>,
}

impl<R: Read> Input<R> {
    /// Bytes left in the file, when its length is known.
    fn left(&self) -> Option<u64> {
        self.len.map(|len| len.saturating_sub(self.read))
    }

    /// Fills `buf`; `Ok(false)` at the end of the file before any byte.
    fn exact_or_end(&mut self, buf: &mut [u8], what: &str) -> Result<bool, String> {
        let mut filled = 0;
        while filled < buf.len() {
            match self.inner.read(&mut buf[filled..]) {
                Ok(0) if filled == 0 => return Ok(false),
                Ok(0) => {
                    return Err(format!(
                        "the file ends inside {what} (truncated?): {filled} of {} bytes",
                        buf.len()
                    ));
                }
                Ok(n) => {
                    filled += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(format!("read error: {e}")),
            }
        }
        Ok(true)
    }

    /// Fills `buf`; the end of the file is an error naming `what`.
    fn exact(&mut self, buf: &mut [u8], what: &str) -> Result<(), String> {
        if self.exact_or_end(buf, what)? {
            Ok(())
        } else {
            Err(format!("the file ends before {what} (truncated?)"))
        }
    }

    /// Reads `n` bytes after the 4 already in `buf` (its size prefix); they must be there.
    fn append(&mut self, buf: &mut Vec<u8>, n: u64, what: &str) -> Result<(), String> {
        buf.truncate(4);
        let got = (&mut self.inner)
            .take(n)
            .read_to_end(buf)
            .map_err(|e| format!("read error: {e}"))?;
        self.read += got as u64;
        if (got as u64) < n {
            return Err(format!(
                "the file ends inside {what} (truncated?): {got} of {n} bytes"
            ));
        }
        Ok(())
    }

    /// Reads past `n` bytes.
    fn skip(&mut self, n: u64, what: &str) -> Result<(), String> {
        let got = io::copy(&mut (&mut self.inner).take(n), &mut io::sink())
            .map_err(|e| format!("read error: {e}"))?;
        self.read += got;
        if got < n {
            return Err(format!(
                "the file ends inside {what} (truncated?): {got} of {n} bytes"
            ));
        }
        Ok(())
    }
}

/// A column of the table: its name and type.
struct Column {
    name: String,
    kind: fgb::ColumnType,
}

/// Reads the whole file into `layer`; `Err` for what stops the reading.
fn read_all<R: Read>(
    input: &mut Input<R>,
    layer: &mut Layer,
    path: &Path,
    time: &TimeReader,
) -> Result<(), String> {
    let mut magic = [0u8; 8];
    input.exact(&mut magic, "the magic bytes")?;
    if &magic[0..3] != b"fgb" || &magic[4..7] != b"fgb" {
        return Err("not a FlatGeobuf file: it does not start with the bytes 'fgb'".into());
    }
    if magic[3] > fgb::VERSION {
        return Err(format!(
            "FlatGeobuf version {} is newer than the version {} read",
            magic[3],
            fgb::VERSION
        ));
    }
    let mut size = [0u8; 4];
    input.exact(&mut size, "the header")?;
    let header_size = u64::from(u32::from_le_bytes(size));
    if !(8..=MAX_HEADER).contains(&header_size) {
        return Err(format!(
            "the header declares {header_size} bytes: not a FlatGeobuf header (8 to {} MB)",
            MAX_HEADER >> 20
        ));
    }
    check_left(input, header_size, "the header")?;
    let mut header_buf = size.to_vec();
    input.append(&mut header_buf, header_size, "the header")?;
    let header = fgb::size_prefixed_root_as_header(&header_buf)
        .map_err(|e| format!("the header is not valid FlatGeobuf: {e}"))?;

    let crs = crs_of(&header).map_err(|e| format!("{e}; no features read"))?;
    let reproject = crs.to_wgs84();
    if crs != Crs::Wgs84 && reproject.is_none() {
        return Err(format!(
            "coordinate system {} could not be set up; no features read",
            crs.name()
        ));
    }
    let columns: Vec<Column> = header
        .columns()
        .map(|c| {
            c.iter()
                .map(|c| Column {
                    name: c.name().to_string(),
                    kind: c.type_(),
                })
                .collect()
        })
        .unwrap_or_default();
    let geometry_type = header.geometry_type();
    let declared = header.features_count();
    let node_size = header.index_node_size();
    if node_size > 0 && declared > 0 {
        let index = index_size(declared, node_size).ok_or_else(|| {
            format!(
                "the header declares {declared} features indexed by nodes of {node_size}: \
                 not a usable index size"
            )
        })?;
        check_left(input, index, &format!("the index of {declared} features"))?;
        input.skip(index, "the spatial index")?;
    }

    let mut buf: Vec<u8> = Vec::new();
    let mut index = 0usize;
    loop {
        let mut size = [0u8; 4];
        let what = format!("feature {}", index + 1);
        if !input.exact_or_end(&mut size, &what)? {
            break;
        }
        let feature_size = u64::from(u32::from_le_bytes(size));
        if feature_size > MAX_FEATURE {
            return Err(format!(
                "feature {} declares {feature_size} bytes, more than the {} MB read for one \
                 feature: a broken file",
                index + 1,
                MAX_FEATURE >> 20
            ));
        }
        check_left(input, feature_size, &what)?;
        buf.clear();
        buf.extend_from_slice(&size);
        input.append(&mut buf, feature_size, &what)?;
        read_feature(
            &buf,
            index,
            &columns,
            geometry_type,
            crs,
            reproject.as_ref(),
            path,
            time,
            layer,
        );
        index += 1;
    }
    if declared > 0 && declared != index as u64 {
        common::push_problem(
            layer,
            path,
            Severity::Warning,
            Place::default(),
            format!("the header declares {declared} features, the file holds {index}"),
        );
    }
    Ok(())
}

/// An error when fewer than `n` bytes are left in a file of known length.
fn check_left<R: Read>(input: &Input<R>, n: u64, what: &str) -> Result<(), String> {
    match input.left() {
        Some(left) if left < n => Err(format!(
            "{what} declares {n} bytes and only {left} are left in the file (truncated?)"
        )),
        _ => Ok(()),
    }
}

/// Bytes of the packed R-tree of `count` features with nodes of `node_size` (as the
/// FlatGeobuf writers lay it out); `None` when it overflows or the node size is unusable.
fn index_size(count: u64, node_size: u16) -> Option<u64> {
    if node_size < 2 {
        return None;
    }
    let node_size = u64::from(node_size);
    let mut n = count;
    let mut nodes = count;
    loop {
        n = n.div_ceil(node_size);
        nodes = nodes.checked_add(n)?;
        if n <= 1 {
            break;
        }
    }
    nodes.checked_mul(NODE_ITEM)
}

/// The CRS the header names: WGS84 when it names none.
fn crs_of(header: &fgb::Header) -> Result<Crs, UnknownCrs> {
    let Some(crs) = header.crs() else {
        return Ok(Crs::Wgs84);
    };
    let org = crs.org().filter(|o| !o.trim().is_empty()).unwrap_or("EPSG");
    let wkt = crs.wkt().filter(|w| !w.trim().is_empty());
    let code = crs.code();
    if code > 0 && org.eq_ignore_ascii_case("EPSG") {
        return match (Crs::from_epsg(code.unsigned_abs()), wkt) {
            (Err(_), Some(wkt)) => Crs::from_wkt(wkt),
            (result, _) => result,
        };
    }
    if let Some(wkt) = wkt {
        return Crs::from_wkt(wkt);
    }
    if let Some(text) = crs.code_string().filter(|s| !s.trim().is_empty()) {
        return Crs::from_name(&format!("{org}:{text}"));
    }
    if code > 0 {
        return Err(UnknownCrs(format!("{org}:{code}")));
    }
    match crs.name().filter(|n| !n.trim().is_empty()) {
        Some(name) => Crs::from_name(name),
        None => Ok(Crs::Wgs84),
    }
}

/// Reads one verified feature (`buf`, size prefix included) into the layer.
#[allow(clippy::too_many_arguments)]
fn read_feature(
    buf: &[u8],
    index: usize,
    columns: &[Column],
    geometry_type: fgb::GeometryType,
    crs: Crs,
    reproject: Option<&Reproject>,
    path: &Path,
    time: &TimeReader,
    layer: &mut Layer,
) {
    let place = Place {
        feature: Some(index),
        ..Place::default()
    };
    let feature = match fgb::size_prefixed_root_as_feature(buf) {
        Ok(f) => f,
        Err(e) => {
            common::push_problem(
                layer,
                path,
                Severity::Error,
                place,
                format!("not a valid FlatGeobuf feature ({e}); feature skipped"),
            );
            return;
        }
    };
    // A feature may carry its own columns (rare); else the header's.
    let own: Option<Vec<Column>> = feature.columns().map(|c| {
        c.iter()
            .map(|c| Column {
                name: c.name().to_string(),
                kind: c.type_(),
            })
            .collect()
    });
    let columns = own.as_deref().unwrap_or(columns);
    let properties = match feature.properties() {
        Some(bytes) => properties(bytes.bytes(), columns),
        None => Ok(Map::new()),
    };
    let map = match properties {
        Ok(map) => map,
        Err(message) => {
            common::push_problem(
                layer,
                path,
                Severity::Error,
                place,
                format!("properties: {message}; feature skipped"),
            );
            return;
        }
    };
    let id = ["id", "fid"].iter().find_map(|k| match map.get(*k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    });
    let named = match &id {
        Some(id) => format!("(id {id}) "),
        None => String::new(),
    };
    let warn = |layer: &mut Layer, message: String| {
        common::push_problem(
            layer,
            path,
            Severity::Warning,
            place,
            format!("{named}{message}"),
        );
    };
    let geometry = match feature.geometry() {
        None => None,
        Some(g) => {
            let kind = if geometry_type == fgb::GeometryType::Unknown {
                g.type_()
            } else {
                geometry_type
            };
            match read_geometry(&g, kind, 0) {
                Ok(Some(geometry)) => Some(geometry),
                Ok(None) => {
                    warn(layer, format!("empty {kind:?} geometry; no geometry"));
                    None
                }
                Err(message) => {
                    warn(layer, format!("{message}; geometry dropped"));
                    None
                }
            }
        }
    };
    let geometry = geometry.and_then(|mut g| match reproject {
        Some(r) => match r.geometry(&mut g) {
            Ok(()) => Some(g),
            Err((x, y)) => {
                warn(
                    layer,
                    format!(
                        "coordinate ({x}, {y}) in {} cannot be reprojected to WGS84; geometry \
                         dropped",
                        crs.name()
                    ),
                );
                None
            }
        },
        None => match outside_wgs84(&mut g) {
            None => Some(g),
            Some((x, y)) => {
                warn(
                    layer,
                    format!(
                        "coordinate ({x}, {y}) is outside longitude -180..180, latitude \
                         -90..90; geometry dropped"
                    ),
                );
                None
            }
        },
    });
    let feature = Feature {
        given_id: id.map(Into::into),
        shape: geometry.map(Shape::from),
        properties: common::raw_properties(map),
        span: None,
        line: 0,
    };
    let text = feature
        .properties
        .as_ref()
        .map(crate::model::Properties::json_text);
    let (reading, problems) = common::read_time(time, text.as_deref(), path, place);
    drop(text);
    common::push_read(layer, feature, reading, problems);
}

/// The first coordinate outside WGS84's longitude and latitude ranges, if any.
fn outside_wgs84(geometry: &mut Geometry<f64>) -> Option<(f64, f64)> {
    let mut bad = None;
    for_each_coord(geometry, &mut |c| {
        if !((-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)) {
            bad.get_or_insert((c.x, c.y));
        }
    });
    bad
}

/// The positions of a geometry's `xy` (its Z and M values are left).
fn coords(g: &fgb::Geometry) -> Result<Vec<Coord<f64>>, String> {
    let Some(xy) = g.xy() else {
        return Ok(Vec::new());
    };
    if xy.len() % 2 != 0 {
        return Err(format!("an odd number ({}) of x, y values", xy.len()));
    }
    let mut out = Vec::with_capacity(xy.len() / 2);
    let mut values = xy.iter();
    while let (Some(x), Some(y)) = (values.next(), values.next()) {
        if !x.is_finite() || !y.is_finite() {
            return Err(format!("coordinate ({x}, {y}) is not a finite number"));
        }
        out.push(Coord { x, y });
    }
    Ok(out)
}

/// The positions split at `ends` (the number of positions up to the end of each part);
/// one part when there are no ends.
fn split(coords: Vec<Coord<f64>>, g: &fgb::Geometry) -> Result<Vec<Vec<Coord<f64>>>, String> {
    let Some(ends) = g.ends().filter(|e| !e.is_empty()) else {
        return Ok(if coords.is_empty() {
            Vec::new()
        } else {
            vec![coords]
        });
    };
    let mut parts = Vec::with_capacity(ends.len());
    let mut start = 0usize;
    for end in ends.iter() {
        let end = end as usize;
        if end < start || end > coords.len() {
            return Err(format!(
                "part ends at position {end}, outside {start}..{}",
                coords.len()
            ));
        }
        parts.push(coords[start..end].to_vec());
        start = end;
    }
    Ok(parts)
}

fn line(coords: Vec<Coord<f64>>) -> Result<LineString<f64>, String> {
    if coords.len() < 2 {
        return Err(format!(
            "a line needs at least 2 positions, found {}",
            coords.len()
        ));
    }
    Ok(LineString::new(coords))
}

fn polygon(rings: Vec<Vec<Coord<f64>>>) -> Result<Option<Polygon<f64>>, String> {
    let mut rings = rings.into_iter();
    let Some(exterior) = rings.next() else {
        return Ok(None);
    };
    let ring = |coords: Vec<Coord<f64>>| {
        if coords.len() < 3 {
            return Err(format!(
                "a polygon ring needs at least 3 positions, found {}",
                coords.len()
            ));
        }
        Ok(LineString::new(coords))
    };
    let exterior = ring(exterior)?;
    let interiors = rings.map(ring).collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Polygon::new(exterior, interiors)))
}

/// A FlatGeobuf geometry of type `kind` as a WGS84-ready geometry; `Ok(None)` when empty.
fn read_geometry(
    g: &fgb::Geometry,
    kind: fgb::GeometryType,
    depth: u8,
) -> Result<Option<Geometry<f64>>, String> {
    use fgb::GeometryType as T;
    if depth > MAX_DEPTH {
        return Err("geometry collections nested too deeply".into());
    }
    Ok(match kind {
        T::Point => coords(g)?.first().map(|c| Geometry::Point(Point(*c))),
        T::MultiPoint => {
            let c = coords(g)?;
            (!c.is_empty())
                .then(|| Geometry::MultiPoint(MultiPoint(c.into_iter().map(Point).collect())))
        }
        T::LineString => {
            let c = coords(g)?;
            if c.is_empty() {
                None
            } else {
                Some(Geometry::LineString(line(c)?))
            }
        }
        T::MultiLineString => {
            let parts = split(coords(g)?, g)?;
            if parts.is_empty() {
                None
            } else {
                let lines = parts.into_iter().map(line).collect::<Result<Vec<_>, _>>()?;
                Some(Geometry::MultiLineString(MultiLineString(lines)))
            }
        }
        T::Polygon => polygon(split(coords(g)?, g)?)?.map(Geometry::Polygon),
        T::MultiPolygon => {
            let mut polygons = Vec::new();
            match g.parts() {
                Some(parts) => {
                    for part in parts.iter() {
                        if let Some(p) = polygon(split(coords(&part)?, &part)?)? {
                            polygons.push(p);
                        }
                    }
                }
                // A writer may put a one-polygon multipolygon in the geometry itself.
                None => polygons.extend(polygon(split(coords(g)?, g)?)?),
            }
            (!polygons.is_empty()).then_some(Geometry::MultiPolygon(MultiPolygon(polygons)))
        }
        T::GeometryCollection => {
            let mut members = Vec::new();
            for part in g.parts().iter().flat_map(|p| p.iter()) {
                if let Some(member) = read_geometry(&part, part.type_(), depth + 1)? {
                    members.push(member);
                }
            }
            (!members.is_empty())
                .then_some(Geometry::GeometryCollection(GeometryCollection(members)))
        }
        other => {
            return Err(format!(
                "geometry type {other:?} is not read (curves, surfaces and TINs are not \
                 supported)"
            ));
        }
    })
}

/// Reads little-endian values from a feature's property bytes, never past their end.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "a value of {n} bytes at byte {} runs past their end ({} bytes)",
                    self.at,
                    self.bytes.len()
                )
            })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A `u32` length, then that many bytes of UTF-8 text.
    fn text(&mut self, column: &str) -> Result<&'a str, String> {
        let len = u32::from_le_bytes(self.array()?) as usize;
        std::str::from_utf8(self.take(len)?)
            .map_err(|_| format!("column '{column}' holds invalid UTF-8"))
    }
}

/// A real as a JSON number (null when it is not finite).
fn real(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// The properties of a feature: each value is its column's index (`u16`) and the value in
/// the column's binary form. Every column is a key; those the feature leaves out are null.
fn properties(bytes: &[u8], columns: &[Column]) -> Result<Map<String, Value>, String> {
    use fgb::ColumnType as C;
    let mut values = vec![Value::Null; columns.len()];
    let mut cur = Cursor { bytes, at: 0 };
    // Some writers leave one byte after the last value: it is no value.
    while bytes.len() - cur.at >= 2 {
        let i = usize::from(u16::from_le_bytes(cur.array()?));
        let column = columns.get(i).ok_or_else(|| {
            format!(
                "a value for column {i} and the table has {} columns",
                columns.len()
            )
        })?;
        let value = match column.kind {
            C::Byte => Value::from(i8::from_le_bytes(cur.array()?)),
            C::UByte => Value::from(u8::from_le_bytes(cur.array()?)),
            C::Bool => Value::Bool(cur.array::<1>()?[0] != 0),
            C::Short => Value::from(i16::from_le_bytes(cur.array()?)),
            C::UShort => Value::from(u16::from_le_bytes(cur.array()?)),
            C::Int => Value::from(i32::from_le_bytes(cur.array()?)),
            C::UInt => Value::from(u32::from_le_bytes(cur.array()?)),
            C::Long => Value::from(i64::from_le_bytes(cur.array()?)),
            C::ULong => Value::from(u64::from_le_bytes(cur.array()?)),
            C::Float => real(f64::from(f32::from_le_bytes(cur.array()?))),
            C::Double => real(f64::from_le_bytes(cur.array()?)),
            C::String | C::DateTime => Value::String(cur.text(&column.name)?.to_string()),
            C::Json => {
                let text = cur.text(&column.name)?;
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
            }
            C::Binary => {
                let len = u32::from_le_bytes(cur.array()?) as usize;
                let data = cur.take(len)?;
                Value::String(data.iter().map(|b| format!("{b:02x}")).collect())
            }
            other => {
                return Err(format!(
                    "column '{}' has the unknown type {}",
                    column.name, other.0
                ));
            }
        };
        values[i] = value;
    }
    Ok(columns
        .iter()
        .zip(values)
        .map(|(c, v)| (c.name.clone(), v))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::testutil::{self, events, same_as_events};

    /// `assets/events.geojson` as FlatGeobuf, converted by ogr2ogr with `args`.
    fn ogr2ogr(name: &str, args: &[&str]) -> std::path::PathBuf {
        testutil::ogr2ogr("FlatGeobuf", name, args)
    }

    fn read_file(path: &Path) -> Layer {
        let bytes = std::fs::read(path).unwrap();
        read_fgb(
            &bytes[..],
            path,
            &TimeReader::default(),
            Some(bytes.len() as u64),
        )
    }

    fn read_bytes(bytes: &[u8]) -> Layer {
        read_fgb(
            bytes,
            Path::new("t.fgb"),
            &TimeReader::default(),
            Some(bytes.len() as u64),
        )
    }

    use crate::io::testutil::errors;

    #[test]
    fn events_written_by_ogr2ogr_read_back_the_same() {
        let path = ogr2ogr("events.fgb", &[]);
        let layer = read_file(&path);
        same_as_events(&layer, 1e-6);
        // Typed columns: text, booleans, DateTime as ISO text.
        let f = layer
            .features
            .iter()
            .find(|f| f.id() == Some("e2021-camera-dispute"))
            .unwrap();
        let p = f.properties_map();
        assert_eq!(p["kind"], "clash");
        assert_eq!(p["estimated"], true);
        assert_eq!(p["start"], "2021-04-28T11:30:00+06:00");
        assert!(matches!(
            f.geometry().as_deref(),
            Some(Geometry::MultiPoint(_))
        ));
        // Through the dispatcher and its counting reader.
        let layer = crate::io::read_path(&path, &crate::io::ReadOptions::default()).unwrap();
        assert_eq!(layer.features.len(), 32);
        testutil::remove(&path);
    }

    #[test]
    fn utm_42n_is_reprojected_within_a_metre() {
        let path = ogr2ogr("utm.fgb", &["-t_srs", "EPSG:32642"]);
        let layer = read_file(&path);
        same_as_events(&layer, 1.0);
        testutil::remove(&path);
    }

    #[test]
    fn an_unknown_crs_refuses_the_layer_naming_it() {
        let path = ogr2ogr("lambert.fgb", &["-t_srs", "EPSG:2154"]);
        let layer = read_file(&path);
        assert!(layer.features.is_empty());
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].contains("EPSG:2154"), "{errs:?}");
        testutil::remove(&path);
    }

    #[test]
    fn the_committed_sample_reads_without_gdal() {
        // tests/data/events.fgb: ogr2ogr -f FlatGeobuf -lco SPATIAL_INDEX=NO -simplify 0.01
        //   -select id,kind,start,end events.fgb assets/events.geojson
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/events.fgb");
        let layer = read_file(&path);
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 32);
        assert_eq!(layer.dated_count(), 32);
        let kinds: Vec<&str> = layer
            .features
            .iter()
            .filter_map(|f| f.geometry())
            .map(|g| crate::model::geometry_type_name(&g))
            .collect();
        assert_eq!(kinds.iter().filter(|k| **k == "Point").count(), 24);
        assert_eq!(kinds.iter().filter(|k| **k == "MultiPoint").count(), 6);
        assert_eq!(kinds.iter().filter(|k| **k == "MultiPolygon").count(), 2);
        let originals = events();
        for f in &layer.features {
            let o = originals.iter().find(|o| o.id() == f.id()).unwrap();
            assert_eq!(f.span, o.span, "{:?}", f.id());
        }
        let first = &layer.features[0];
        assert_eq!(first.id(), Some("e2021-camera-dispute"));
        let geometry = first.geometry();
        let Some(Geometry::MultiPoint(mp)) = geometry.as_deref() else {
            panic!("{:?}", first.shape)
        };
        assert_eq!(mp.0[0], Point::new(70.536, 39.95));
    }

    #[test]
    fn a_truncated_file_is_a_clear_error() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/events.fgb");
        let bytes = std::fs::read(path).unwrap();
        // Cut inside the last feature: the others are read, the cut one is named.
        let layer = read_bytes(&bytes[..bytes.len() - 10]);
        assert_eq!(layer.features.len(), 31);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].contains("feature 32") && errs[0].contains("truncated"),
            "{errs:?}"
        );
        // Cut inside the header: nothing read, the header named.
        let layer = read_bytes(&bytes[..100]);
        assert!(layer.features.is_empty());
        let errs = errors(&layer);
        assert!(
            errs[0].contains("the header") && errs[0].contains("truncated"),
            "{errs:?}"
        );
        // The same without knowing the file's length (a pipe).
        let layer = read_fgb(
            &bytes[..100],
            Path::new("t.fgb"),
            &TimeReader::default(),
            None,
        );
        assert!(
            errors(&layer)[0].contains("truncated"),
            "{:?}",
            layer.problems
        );
        // Every cut never panics.
        for cut in 0..bytes.len() {
            let _ = read_bytes(&bytes[..cut]);
        }
    }

    #[test]
    fn absurd_declared_sizes_are_errors_not_allocations() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/events.fgb");
        let bytes = std::fs::read(path).unwrap();
        // A header of 4 GB.
        let mut huge = bytes.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        let errs = errors(&read_bytes(&huge));
        assert!(errs[0].contains("4294967295 bytes"), "{errs:?}");
        // The first feature declares 4 GB (without the file length: still refused).
        let header = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
        let first = 12 + header;
        let mut huge = bytes.clone();
        huge[first..first + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        for layer in [
            read_bytes(&huge),
            read_fgb(&huge[..], Path::new("t.fgb"), &TimeReader::default(), None),
        ] {
            let errs = errors(&layer);
            assert!(
                errs[0].contains("feature 1 declares 4294967295 bytes"),
                "{errs:?}"
            );
        }
        // A feature declaring more than the file holds.
        huge[first..first + 4].copy_from_slice(&(10u32 << 20).to_le_bytes());
        let errs = errors(&read_bytes(&huge));
        assert!(
            errs[0].contains("only") && errs[0].contains("left"),
            "{errs:?}"
        );
        // Index sizes that overflow or cannot be.
        assert_eq!(index_size(u64::MAX, 16), None);
        assert_eq!(index_size(10, 1), None);
        assert_eq!(index_size(1, 16), Some(2 * NODE_ITEM));
        assert_eq!(index_size(32, 16), Some((32 + 2 + 1) * NODE_ITEM));
        // Not FlatGeobuf at all.
        let errs = errors(&read_bytes(b"{\"type\":\"FeatureCollection\"}"));
        assert!(errs[0].contains("not a FlatGeobuf file"), "{errs:?}");
    }

    #[test]
    fn broken_property_bytes_skip_the_feature_only() {
        let columns = vec![
            Column {
                name: "name".into(),
                kind: fgb::ColumnType::String,
            },
            Column {
                name: "n".into(),
                kind: fgb::ColumnType::Int,
            },
        ];
        let mut good = vec![0, 0, 3, 0, 0, 0];
        good.extend_from_slice(b"Osh");
        good.extend_from_slice(&[1, 0, 7, 0, 0, 0]);
        let map = properties(&good, &columns).unwrap();
        assert_eq!(map["name"], "Osh");
        assert_eq!(map["n"], 7);
        assert!(
            properties(&good[..6], &columns)
                .unwrap_err()
                .contains("past")
        );
        assert!(
            properties(&[5, 0, 1], &columns)
                .unwrap_err()
                .contains("column 5")
        );
        let missing = properties(&good[..9], &columns).unwrap();
        assert_eq!(missing["n"], Value::Null);
    }
}
