//! ESRI shapefiles: a `.shp` with its `.dbf` (attributes), `.prj` (CRS) and `.cpg` (text
//! encoding), or a `.zip` holding one or more of them.
//!
//! - Read by hand (the format is small): the `.shp` is streamed record by record through one
//!   reused buffer, the `.dbf` alongside it row by row, so memory is the features only.
//!   The `.shx` index is not needed to read every record in order and is not read.
//! - Geometry: Point, MultiPoint, PolyLine and Polygon and their Z and M forms (Z and M are
//!   dropped). A polygon's clockwise rings are outer rings and its counter-clockwise ones
//!   holes, each given to the smallest outer ring that contains it. A null shape is a
//!   feature without geometry; a shape that cannot be read is a warning naming its record,
//!   and its feature keeps its attributes without geometry.
//! - Attributes are typed by the `.dbf` field type: `C` text, `N`/`F` numbers (an integer
//!   unless written with a decimal point), `L` booleans, `D` dates (`YYYY-MM-DD`, so the
//!   time reader dates them), `@`/`T` timestamps (ISO 8601 without offset); a blank value
//!   (or `*****`, an overflow) is null, as in shapelib. Rows are kept as their cells
//!   ([`Properties::Row`]).
//! - Text is decoded in the encoding the `.cpg` names (`UTF-8`, `1251`, `CP1251`,
//!   `windows-1251`, `866`, `ISO-8859-1`, ...). Without a `.cpg`, a value that is valid UTF-8
//!   is read as UTF-8, any other in the code page of the `.dbf`'s language driver byte (GDAL's
//!   table: `0xC9` CP1251, `0x26`/`0x65` CP866, `0x57` ISO-8859-1, `0x03` CP1252, ...), or
//!   ISO-8859-1 when it names none.
//! - The CRS comes from the `.prj` ([`Crs::from_wkt`]); an unknown one refuses the layer.
//!   Without a `.prj` the coordinates are taken as WGS84 longitude/latitude, and a layer
//!   with any coordinate outside ±180/±90 is refused as projected.
//! - Hostile input: every declared size (record length, part and point counts, the `.dbf`'s
//!   record count and length) is checked against the bytes there are before anything is
//!   allocated; a `.zip` member is inflated as a stream and refused past
//!   [`MAX_INFLATE_RATIO`] times its compressed size (at least [`MIN_INFLATE_LIMIT`], at
//!   most [`MAX_INFLATE`]), whatever its header says.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use encoding_rs::Encoding;
use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use serde_json::{Map, Value};

use crate::io::common::{self, Place};
use crate::io::crs::{Crs, for_each_coord};
use crate::io::file_error;
use crate::io::timefields::TimeReader;
use crate::model::{Feature, Layer, Problem, Properties, Row, Severity, Shape, Table};

/// The most a zip member may inflate to, as a multiple of its compressed size: a `.dbf` of
/// padded text deflates far more than most files, but beyond this it is a zip bomb.
pub const MAX_INFLATE_RATIO: u64 = 200;
/// Inflating up to this much is always allowed, whatever the ratio (small members).
pub const MIN_INFLATE_LIMIT: u64 = 8 << 20;
/// The most any zip member may inflate to.
pub const MAX_INFLATE: u64 = 2 << 30;

/// The `.shp` file code, in its first 4 bytes (big-endian).
const FILE_CODE: i32 = 9994;
/// The length of the `.shp` header.
const HEADER_LEN: usize = 100;

/// Reads the shapefile whose `.shp` is at `path` (streamed from `shp`), with the `.dbf`,
/// `.prj` and `.cpg` beside it. Problems are collected in the layer; the read never panics.
pub fn read_shp<R: Read>(shp: R, path: &Path, time: &TimeReader) -> Layer {
    let mut layer = common::new_layer(path, time);
    let shp_len = std::fs::metadata(path).ok().map(|m| m.len());
    let mut notes = Vec::new();
    let dbf = sibling(path, "dbf").and_then(|p| {
        let len = std::fs::metadata(&p).ok()?.len();
        match File::open(&p) {
            Ok(f) => Some((
                Box::new(BufReader::with_capacity(1 << 16, f)) as Box<dyn Read>,
                len,
            )),
            Err(e) => {
                notes.push(format!("cannot open {}: {e}", p.display()));
                None
            }
        }
    });
    let text = |ext: &str| {
        let p = sibling(path, ext)?;
        let mut bytes = Vec::new();
        File::open(&p)
            .ok()?
            .take(1 << 20)
            .read_to_end(&mut bytes)
            .ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    };
    let source = Source {
        path,
        member: None,
        prj: text("prj"),
        cpg: text("cpg"),
    };
    for note in notes {
        common::push_problem(&mut layer, path, Severity::Warning, Place::default(), note);
    }
    read_shapefile(
        &mut layer,
        BufReader::with_capacity(1 << 20, shp),
        shp_len,
        dbf,
        &source,
        time,
    );
    common::limit_problems(&mut layer, path);
    layer
}

/// Reads every shapefile of the zip archive at `path`: one layer per `.shp` member (with the
/// `.dbf`, `.prj` and `.cpg` of the same name in the same folder), `part` its file stem.
/// `Err` when the archive cannot be read or holds no `.shp`.
pub fn read_zip<R: Read + Seek>(
    reader: R,
    path: &Path,
    time: &TimeReader,
) -> Result<Vec<Layer>, Problem> {
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| file_error(path, format!("not a readable zip archive: {e}")))?;
    let names: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| Some((i, archive.name_for_index(i)?.ok()?.into_owned())))
        .filter(|(_, n)| !n.ends_with('/') && !n.starts_with("__MACOSX/"))
        .collect();
    let shps: Vec<&(usize, String)> = names
        .iter()
        .filter(|(_, n)| n.to_ascii_lowercase().ends_with(".shp"))
        .collect();
    if shps.is_empty() {
        let held: Vec<&str> = names.iter().map(|(_, n)| n.as_str()).collect();
        return Err(file_error(
            path,
            format!(
                "the zip archive holds no shapefile (.shp); it holds {}",
                if held.is_empty() {
                    "nothing".to_string()
                } else {
                    common::shorten(&held.join(", "), 200)
                }
            ),
        ));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut layers = Vec::with_capacity(shps.len());
    for (index, member) in shps {
        let base = &member[..member.len() - 4];
        let stem = base.rsplit('/').next().unwrap_or(base).to_string();
        let mut layer = common::new_layer(path, time);
        layer.name = format!("{file_name} — {stem}");
        layer.part = Some(stem);
        let find = |ext: &str| {
            names
                .iter()
                .find(|(_, n)| {
                    // `get`: a name may cut a character where the base ends (found by
                    // fuzzing: `ab.shp` beside `aé` + `dbf`).
                    n.len() == base.len() + 4
                        && n.get(..base.len()) == Some(base)
                        && n.get(base.len()..)
                            .is_some_and(|e| e.eq_ignore_ascii_case(&format!(".{ext}")))
                })
                .map(|(i, _)| *i)
        };
        let mut inflate = |i: usize| inflate_member(&mut archive, i, path);
        let dbf = match find("dbf").map(&mut inflate) {
            None => None,
            Some(Ok(bytes)) => Some(bytes),
            Some(Err(message)) => {
                refuse(&mut layer, path, message);
                layers.push(layer);
                continue;
            }
        };
        let mut text = |ext: &str| match find(ext).map(&mut inflate) {
            Some(Ok(bytes)) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => None,
        };
        let source = Source {
            path,
            member: Some(member.clone()),
            prj: text("prj"),
            cpg: text("cpg"),
        };
        let file = match archive.by_index(*index) {
            Ok(file) => file,
            Err(e) => {
                refuse(&mut layer, path, format!("{member}: cannot read it: {e}"));
                layers.push(layer);
                continue;
            }
        };
        let limit = inflate_limit(file.compressed_size());
        if file.size() > limit {
            let message = bomb(member, file.compressed_size(), limit);
            refuse(&mut layer, path, message);
            layers.push(layer);
            continue;
        }
        let bomb_message = bomb(member, file.compressed_size(), limit);
        let dbf = dbf.map(|bytes| {
            let len = bytes.len() as u64;
            (Box::new(std::io::Cursor::new(bytes)) as Box<dyn Read>, len)
        });
        let capped = Capped {
            inner: file,
            left: limit,
            message: bomb_message.clone(),
        };
        read_shapefile(
            &mut layer,
            BufReader::with_capacity(1 << 20, capped),
            None,
            dbf,
            &source,
            time,
        );
        if layer
            .problems
            .iter()
            .any(|p| p.message.contains(&bomb_message))
        {
            refuse(&mut layer, path, bomb_message);
        }
        common::limit_problems(&mut layer, path);
        layers.push(layer);
    }
    Ok(layers)
}

/// Empties `layer` of features and records `message` as an error: the layer is refused.
fn refuse(layer: &mut Layer, path: &Path, message: String) {
    layer.features = Vec::new();
    layer.problems.retain(|p| !p.message.contains(&message));
    common::push_problem(layer, path, Severity::Error, Place::default(), message);
}

/// The most a member of `compressed` bytes may inflate to.
fn inflate_limit(compressed: u64) -> u64 {
    compressed
        .saturating_mul(MAX_INFLATE_RATIO)
        .clamp(MIN_INFLATE_LIMIT, MAX_INFLATE)
}

/// The error of a member of `compressed` bytes that inflates past `limit`.
fn bomb(member: &str, compressed: u64, limit: u64) -> String {
    format!(
        "{member} inflates to more than the limit of {} ({MAX_INFLATE_RATIO} times its {} \
         compressed, at least {}, at most {}): refused as a possible zip bomb",
        bytes_text(limit),
        bytes_text(compressed),
        bytes_text(MIN_INFLATE_LIMIT),
        bytes_text(MAX_INFLATE),
    )
}

/// Bytes as `12.3 MB` (or `2.0 GB`), for messages.
fn bytes_text(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / (1u64 << 30) as f64)
    } else {
        format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
    }
}

/// The whole of zip member `index`, inflated as a stream up to its limit.
fn inflate_member<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    index: usize,
    path: &Path,
) -> Result<Vec<u8>, String> {
    let file = archive
        .by_index(index)
        .map_err(|e| format!("{}: cannot read member {index}: {e}", path.display()))?;
    let name = file
        .name()
        .map(|n| n.into_owned())
        .unwrap_or_else(|_| format!("member {index}"));
    let compressed = file.compressed_size();
    let limit = inflate_limit(compressed);
    if file.size() > limit {
        return Err(bomb(&name, compressed, limit));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: cannot inflate it: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(bomb(&name, compressed, limit));
    }
    Ok(bytes)
}

/// A reader that fails with `message` once more than `left` bytes have passed.
struct Capped<R> {
    inner: R,
    left: u64,
    message: String,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(self.message.clone()));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// The file beside `path` with extension `ext` (in either case), if there is one.
fn sibling(path: &Path, ext: &str) -> Option<PathBuf> {
    for e in [ext.to_string(), ext.to_ascii_uppercase()] {
        let p = path.with_extension(e);
        if p.is_file() {
            return Some(p);
        }
    }
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let entries = std::fs::read_dir(dir.unwrap_or(Path::new("."))).ok()?;
    entries.filter_map(Result::ok).map(|e| e.path()).find(|p| {
        p.file_stem().is_some_and(|s| s.to_string_lossy() == stem)
            && p.extension()
                .is_some_and(|x| x.to_string_lossy().eq_ignore_ascii_case(ext))
            && p.is_file()
    })
}

/// Where a shapefile comes from and its small side files.
struct Source<'a> {
    /// The file read (the `.shp`, or the `.zip`).
    path: &'a Path,
    /// The `.shp` member of a zip, named in messages.
    member: Option<String>,
    /// The `.prj` text.
    prj: Option<String>,
    /// The `.cpg` text.
    cpg: Option<String>,
}

impl Source<'_> {
    /// `message`, prefixed with the zip member it is about.
    fn say(&self, message: impl std::fmt::Display) -> String {
        match &self.member {
            Some(m) => format!("{m}: {message}"),
            None => message.to_string(),
        }
    }

    /// Records a problem about the whole layer.
    fn push(&self, layer: &mut Layer, severity: Severity, message: impl std::fmt::Display) {
        let message = self.say(message);
        common::push_problem(layer, self.path, severity, Place::default(), message);
    }

    /// Records a problem about record `number` (1-based), feature `index`.
    fn push_at(
        &self,
        layer: &mut Layer,
        severity: Severity,
        index: usize,
        number: u64,
        message: impl std::fmt::Display,
    ) {
        let message = self.say(format_args!("record {number}: {message}"));
        let place = Place {
            feature: Some(index),
            ..Place::default()
        };
        common::push_problem(layer, self.path, severity, place, message);
    }
}

/// Reads a shapefile into `layer`: the `.shp` from `shp` (`shp_len` bytes when known), the
/// `.dbf` from `dbf` (with its length), the side files from `source`.
fn read_shapefile(
    layer: &mut Layer,
    mut shp: impl Read,
    shp_len: Option<u64>,
    dbf: Option<(Box<dyn Read>, u64)>,
    source: &Source,
    time: &TimeReader,
) {
    // The CRS first: an unknown one refuses the layer before anything is read.
    let (reproject, assumed_wgs84) = match source.prj.as_deref().map(str::trim) {
        Some(prj) if !prj.is_empty() => match Crs::from_wkt(prj) {
            Ok(crs) => (crs.to_wgs84(), false),
            Err(e) => {
                source.push(
                    layer,
                    Severity::Error,
                    format_args!(
                        "the .prj names a CRS bordermap cannot reproject ({e}): layer refused"
                    ),
                );
                return;
            }
        },
        _ => (None, true),
    };
    let mut header = [0u8; HEADER_LEN];
    if let Err(e) = shp.read_exact(&mut header) {
        let why = if e.kind() == std::io::ErrorKind::UnexpectedEof {
            "not a shapefile: shorter than the 100-byte .shp header".to_string()
        } else {
            format!("read error: {e}")
        };
        source.push(layer, Severity::Error, why);
        return;
    }
    let code = be_i32(&header, 0);
    if code != FILE_CODE {
        source.push(
            layer,
            Severity::Error,
            format_args!("not a shapefile: file code {code}, expected {FILE_CODE}"),
        );
        return;
    }
    let declared = u64::from(be_i32(&header, 24).max(0) as u32) * 2;
    if let Some(len) = shp_len
        && declared > len
    {
        source.push(
            layer,
            Severity::Warning,
            format_args!(
                "the .shp header says {declared} bytes, the file has {len}: it may be truncated"
            ),
        );
    }
    if assumed_wgs84 {
        let bbox = [
            le_f64(&header, 36),
            le_f64(&header, 44),
            le_f64(&header, 52),
            le_f64(&header, 60),
        ];
        // An empty file's header box may be all zeros or NaN: only finite boxes count.
        if bbox.iter().all(|v| v.is_finite())
            && !(in_lon_lat(bbox[0], bbox[1]) && in_lon_lat(bbox[2], bbox[3]))
        {
            source.push(
                layer,
                Severity::Error,
                projected_without_prj(bbox[0], bbox[1]),
            );
            return;
        }
    }

    let mut attributes = match dbf {
        Some((reader, len)) => match Dbf::open(reader, len, source.cpg.as_deref()) {
            Ok((dbf, warnings)) => {
                for w in warnings {
                    source.push(layer, Severity::Warning, w);
                }
                Some(dbf)
            }
            Err(message) => {
                source.push(
                    layer,
                    Severity::Error,
                    format_args!(
                        "the .dbf cannot be read ({message}): features have no attributes"
                    ),
                );
                None
            }
        },
        None => {
            source.push(
                layer,
                Severity::Warning,
                "no .dbf beside the .shp: features have no attributes",
            );
            None
        }
    };
    let table = attributes.as_ref().map(|dbf| Arc::new(dbf.table()));
    let time_columns: Vec<(usize, String, u8)> = attributes
        .as_ref()
        .map(|dbf| {
            dbf.fields
                .iter()
                .enumerate()
                .map(|(i, f)| (i, f.name.to_lowercase(), f.kind))
                .filter(|(_, n, _)| time.wants(n))
                .collect()
        })
        .unwrap_or_default();
    let id_column = attributes.as_ref().and_then(|dbf| {
        dbf.fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case("id"))
    });

    let mut offset = HEADER_LEN as u64;
    let mut buf = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut index = 0usize;
    let mut record = 0u64;
    let mut deleted = 0usize;
    let mut outside: Option<(f64, f64)> = None;
    loop {
        let mut head = [0u8; 8];
        match read_full(&mut shp, &mut head) {
            Ok(0) => break,
            Ok(8) => {}
            Ok(_) => {
                source.push(
                    layer,
                    Severity::Error,
                    format_args!(
                        "record {}: the file ends inside its 8-byte header: truncated",
                        record + 1
                    ),
                );
                break;
            }
            Err(e) => {
                source.push(layer, Severity::Error, format_args!("read error: {e}"));
                break;
            }
        }
        record += 1;
        let number = record;
        let words = be_i32(&head, 4);
        let len = u64::from(words.max(0) as u32) * 2;
        let left = shp_len.map(|l| l.saturating_sub(offset + 8));
        if words < 2 || left.is_some_and(|left| len > left) {
            let what = match left {
                Some(left) if words >= 2 => format!(
                    "its length ({len} bytes) goes beyond the end of the file ({left} bytes left)"
                ),
                _ => format!("its length ({words} words) is impossible"),
            };
            source.push_at(
                layer,
                Severity::Error,
                index,
                number,
                format_args!("{what}: the file is truncated or damaged, reading stopped"),
            );
            break;
        }
        buf.clear();
        // `take` + `read_to_end` grows the buffer only as bytes arrive: a length that lies
        // cannot allocate more than the stream holds.
        match (&mut shp).take(len).read_to_end(&mut buf) {
            Ok(n) if n as u64 == len => {}
            Ok(n) => {
                source.push_at(
                    layer,
                    Severity::Error,
                    index,
                    number,
                    format_args!(
                        "the file ends {n} bytes into its {len}: truncated, reading stopped"
                    ),
                );
                break;
            }
            Err(e) => {
                source.push(layer, Severity::Error, format_args!("read error: {e}"));
                break;
            }
        }
        offset += 8 + len;

        let mut geometry = match shape(&buf) {
            Ok(g) => g,
            Err(message) => {
                source.push_at(
                    layer,
                    Severity::Warning,
                    index,
                    number,
                    format_args!("{message}; the feature has no geometry"),
                );
                None
            }
        };
        if let Some(g) = geometry.as_mut() {
            if assumed_wgs84 && outside.is_none() {
                for_each_coord(g, &mut |c| {
                    if outside.is_none() && !in_lon_lat(c.x, c.y) {
                        outside = Some((c.x, c.y));
                    }
                });
            }
            if let Some(reproject) = &reproject
                && let Err((x, y)) = reproject.geometry(g)
            {
                source.push_at(
                    layer,
                    Severity::Warning,
                    index,
                    number,
                    format_args!(
                        "the coordinate ({x}, {y}) cannot be reprojected to WGS84; the feature \
                         has no geometry"
                    ),
                );
                geometry = None;
            }
        }

        let mut properties = None;
        let mut values = Vec::new();
        let mut id = None;
        if let Some(dbf) = attributes.as_mut() {
            match dbf.next(&mut cells) {
                Ok(Some(is_deleted)) => {
                    if is_deleted {
                        deleted += 1;
                        continue;
                    }
                    for (i, name, kind) in &time_columns {
                        if let Some(cell) = cells.get(*i).filter(|c| !c.is_empty())
                            && !values.iter().any(|(n, _)| n == name)
                        {
                            values.push((name.clone(), typed(*kind, cell)));
                        }
                    }
                    id = id_column
                        .and_then(|i| cells.get(i))
                        .filter(|c| !c.is_empty())
                        .cloned();
                    if let Some(table) = &table {
                        properties = match Row::new(table, cells.iter().map(String::as_str)) {
                            Some(row) => Some(Properties::Row(row)),
                            None => common::raw_properties(
                                table.expand(&cells.iter().map(String::as_str).collect::<Vec<_>>()),
                            ),
                        };
                    }
                }
                Ok(None) => {
                    source.push_at(
                        layer,
                        Severity::Warning,
                        index,
                        number,
                        "the .dbf has no row for this record (nor the ones after it): no attributes",
                    );
                    attributes = None;
                }
                Err(e) => {
                    source.push_at(
                        layer,
                        Severity::Error,
                        index,
                        number,
                        format_args!(
                            "the .dbf row cannot be read ({e}): no attributes from here on"
                        ),
                    );
                    attributes = None;
                }
            }
        }
        let place = Place {
            feature: Some(index),
            ..Place::default()
        };
        let (reading, problems) = common::warnings_at(time.read_values(values), source.path, place);
        let feature = Feature {
            given_id: id.map(Into::into),
            shape: geometry.map(Shape::from),
            properties,
            span: None,
            line: 0,
        };
        common::push_read(layer, feature, reading, problems);
        index += 1;
    }
    crate::model::share_rows(&mut layer.features);
    if let Some((x, y)) = outside {
        layer.features = Vec::new();
        source.push(layer, Severity::Error, projected_without_prj(x, y));
        return;
    }
    if deleted > 0 {
        source.push(
            layer,
            Severity::Warning,
            format_args!("{deleted} records marked deleted in the .dbf were left out"),
        );
    }
    if let Some(dbf) = attributes
        && dbf.read < dbf.records
    {
        source.push(
            layer,
            Severity::Warning,
            format_args!(
                "the .dbf has {} rows, the .shp {} records: the last rows were not used",
                dbf.records, dbf.read
            ),
        );
    }
}

/// The error of a layer without `.prj` whose coordinates are not longitude/latitude.
fn projected_without_prj(x: f64, y: f64) -> String {
    format!(
        "coordinates such as ({x}, {y}) are outside longitude/latitude and there is no .prj \
         naming the CRS: the layer seems projected; layer refused"
    )
}

fn in_lon_lat(x: f64, y: f64) -> bool {
    (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)
}

/// Reads until `buf` is full or the stream ends; the number of bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn be_i32(b: &[u8], at: usize) -> i32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, i32::from_be_bytes)
}

fn le_i32(b: &[u8], at: usize) -> i32 {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map_or(0, i32::from_le_bytes)
}

fn le_f64(b: &[u8], at: usize) -> f64 {
    b.get(at..at + 8)
        .and_then(|s| s.try_into().ok())
        .map_or(f64::NAN, f64::from_le_bytes)
}

// ---------------------------------------------------------------------------------------
// Shapes

/// The geometry of one record's content; `Ok(None)` for a null shape.
fn shape(b: &[u8]) -> Result<Option<Geometry<f64>>, String> {
    if b.len() < 4 {
        return Err(format!("a record of {} bytes has no shape type", b.len()));
    }
    let kind = le_i32(b, 0);
    match kind {
        0 => Ok(None),
        1 | 11 | 21 => {
            if b.len() < 20 {
                return Err(format!("a point record of {} bytes (at least 20)", b.len()));
            }
            let c = coord(b, 4)?;
            Ok(Some(Geometry::Point(Point(c))))
        }
        8 | 18 | 28 => {
            let n = count(b, 36, "points")?;
            if 40 + 16 * n > b.len() as u64 {
                return Err(format!(
                    "{n} points do not fit in a record of {} bytes",
                    b.len()
                ));
            }
            let points = (0..n as usize)
                .map(|i| coord(b, 40 + 16 * i).map(Point))
                .collect::<Result<Vec<_>, _>>()?;
            if points.is_empty() {
                return Err("a multipoint without points".into());
            }
            Ok(Some(Geometry::MultiPoint(MultiPoint(points))))
        }
        3 | 13 | 23 | 5 | 15 | 25 => {
            let parts = parts(b)?;
            let polygon = matches!(kind, 5 | 15 | 25);
            if parts.is_empty() {
                let what = if polygon { "polygon" } else { "polyline" };
                return Err(format!("a {what} without points"));
            }
            if polygon {
                Ok(Some(polygon_from_rings(parts)))
            } else if parts.len() == 1 {
                Ok(parts.into_iter().next().map(Geometry::LineString))
            } else {
                Ok(Some(Geometry::MultiLineString(MultiLineString(parts))))
            }
        }
        31 => Err("a multipatch shape (3D surfaces) is not read".into()),
        other => Err(format!("unknown shape type {other}")),
    }
}

/// A non-negative count at `at`.
fn count(b: &[u8], at: usize, what: &str) -> Result<u64, String> {
    if b.len() < at + 4 {
        return Err(format!(
            "a record of {} bytes ends before its number of {what}",
            b.len()
        ));
    }
    let n = le_i32(b, at);
    u64::try_from(n).map_err(|_| format!("a negative number of {what} ({n})"))
}

/// The finite x/y at `at`.
fn coord(b: &[u8], at: usize) -> Result<Coord<f64>, String> {
    let (x, y) = (le_f64(b, at), le_f64(b, at + 8));
    if x.is_finite() && y.is_finite() {
        Ok(Coord { x, y })
    } else {
        Err(format!("a coordinate is not a finite number ({x}, {y})"))
    }
}

/// The parts of a PolyLine or Polygon record (empty parts left out), checked against its
/// length before anything is allocated.
fn parts(b: &[u8]) -> Result<Vec<LineString<f64>>, String> {
    let n_parts = count(b, 36, "parts")?;
    let n_points = count(b, 40, "points")?;
    let points_at = 44 + 4 * n_parts;
    if points_at + 16 * n_points > b.len() as u64 {
        return Err(format!(
            "{n_parts} parts and {n_points} points do not fit in a record of {} bytes",
            b.len()
        ));
    }
    let (n_parts, n_points, points_at) = (n_parts as usize, n_points as usize, points_at as usize);
    let mut lines = Vec::with_capacity(n_parts);
    for p in 0..n_parts {
        let start = le_i32(b, 44 + 4 * p);
        let end = if p + 1 < n_parts {
            le_i32(b, 48 + 4 * p)
        } else {
            n_points as i32
        };
        let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else {
            return Err(format!("part {} starts at a negative index", p + 1));
        };
        if start > end || end > n_points {
            return Err(format!(
                "part {} runs from point {start} to {end} of {n_points}",
                p + 1
            ));
        }
        if start == end {
            continue;
        }
        let coords = (start..end)
            .map(|i| coord(b, points_at + 16 * i))
            .collect::<Result<Vec<_>, _>>()?;
        lines.push(LineString(coords));
    }
    Ok(lines)
}

/// Twice the signed area of a ring (positive when counter-clockwise, with y up).
fn signed_area2(ring: &LineString<f64>) -> f64 {
    let c = &ring.0;
    if c.len() < 3 {
        return 0.0;
    }
    let mut sum = 0.0;
    for i in 0..c.len() {
        let a = c[i];
        let b = c[(i + 1) % c.len()];
        sum += a.x * b.y - b.x * a.y;
    }
    sum
}

/// `(min x, min y, max x, max y)` of a ring.
fn ring_box(ring: &LineString<f64>) -> [f64; 4] {
    ring.0.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |[a, b, c, d], p| [a.min(p.x), b.min(p.y), c.max(p.x), d.max(p.y)],
    )
}

/// True when `p` is inside `ring` (even-odd rule).
fn ring_contains(ring: &LineString<f64>, p: Coord<f64>) -> bool {
    let c = &ring.0;
    let mut inside = false;
    let mut j = c.len().saturating_sub(1);
    for i in 0..c.len() {
        let (a, b) = (c[i], c[j]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// A polygon (or multipolygon) from a shapefile's rings: clockwise rings are outer rings,
/// counter-clockwise ones holes, each hole given to the smallest outer ring containing it
/// (a hole inside none becomes a polygon of its own). Rings all counter-clockwise (a writer
/// that ignored the rule) are all outer rings.
fn polygon_from_rings(rings: Vec<LineString<f64>>) -> Geometry<f64> {
    if rings.len() == 1 {
        let mut rings = rings;
        let ring = rings.pop().unwrap_or_else(|| LineString(Vec::new()));
        return Geometry::Polygon(Polygon::new(ring, Vec::new()));
    }
    let areas: Vec<f64> = rings.iter().map(signed_area2).collect();
    let any_outer = areas.iter().any(|&a| a < 0.0);
    // Each outer ring with its area, its box and the holes given to it.
    type Outer = (LineString<f64>, f64, [f64; 4], Vec<LineString<f64>>);
    let mut outers: Vec<Outer> = Vec::new();
    let mut holes = Vec::new();
    for (ring, area) in rings.into_iter().zip(areas) {
        if area < 0.0 || !any_outer {
            let bbox = ring_box(&ring);
            outers.push((ring, area.abs(), bbox, Vec::new()));
        } else {
            holes.push(ring);
        }
    }
    if outers.len() == 1 {
        let (ring, _, _, _) = outers.remove(0);
        return Geometry::Polygon(Polygon::new(ring, holes));
    }
    let mut lone = Vec::new();
    for hole in holes {
        let hb = ring_box(&hole);
        let probe = hole.0.first().copied();
        let best = outers
            .iter()
            .enumerate()
            .filter(|(_, (ring, _, b, _))| {
                b[0] <= hb[0]
                    && b[1] <= hb[1]
                    && b[2] >= hb[2]
                    && b[3] >= hb[3]
                    && probe.is_some_and(|p| ring_contains(ring, p))
            })
            .min_by(|a, b| a.1.1.total_cmp(&b.1.1))
            .map(|(i, _)| i);
        match best {
            Some(i) => outers[i].3.push(hole),
            None => lone.push(hole),
        }
    }
    let mut polygons: Vec<Polygon<f64>> = outers
        .into_iter()
        .map(|(ring, _, _, holes)| Polygon::new(ring, holes))
        .collect();
    polygons.extend(lone.into_iter().map(|r| Polygon::new(r, Vec::new())));
    if polygons.len() == 1 {
        polygons.pop().map_or(
            Geometry::MultiPolygon(MultiPolygon(Vec::new())),
            Geometry::Polygon,
        )
    } else {
        Geometry::MultiPolygon(MultiPolygon(polygons))
    }
}

// ---------------------------------------------------------------------------------------
// The .dbf

/// One field of a `.dbf`.
#[derive(Clone, Debug)]
struct Field {
    /// The property name (unique, never empty).
    name: String,
    /// The dBASE type letter: `C`, `N`, `F`, `L`, `D`, `@`, `T`, `I`, `O`, ...
    kind: u8,
    /// Where its bytes start in a row (after the deletion flag) and how many there are.
    offset: usize,
    len: usize,
}

/// A `.dbf` read row by row.
struct Dbf {
    reader: Box<dyn Read>,
    fields: Vec<Field>,
    /// The rows there are (the header's count, or fewer when the file is shorter).
    records: u64,
    /// The rows read so far.
    read: u64,
    row: Vec<u8>,
    text: Text,
}

impl Dbf {
    /// Reads the header of the `.dbf` from `reader` (`len` bytes long), decoding text as
    /// `cpg` names; the warnings it raised.
    fn open(
        mut reader: Box<dyn Read>,
        len: u64,
        cpg: Option<&str>,
    ) -> Result<(Self, Vec<String>), String> {
        let mut warnings = Vec::new();
        let mut head = [0u8; 32];
        reader
            .read_exact(&mut head)
            .map_err(|_| "shorter than its 32-byte header".to_string())?;
        let records = u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]]));
        let header_len = usize::from(u16::from_le_bytes([head[8], head[9]]));
        let record_len = usize::from(u16::from_le_bytes([head[10], head[11]]));
        let ldid = head[29];
        if header_len < 33 || header_len as u64 > len {
            return Err(format!("a header length of {header_len} bytes"));
        }
        if record_len == 0 {
            return Err("a row length of 0".into());
        }
        let mut descriptors = vec![0u8; header_len - 32];
        reader
            .read_exact(&mut descriptors)
            .map_err(|_| "the file ends inside its header".to_string())?;
        let text = Text::new(cpg, ldid, &mut warnings);
        let mut fields: Vec<Field> = Vec::new();
        let mut offset = 1usize;
        for d in descriptors.chunks_exact(32) {
            if d[0] == 0x0D {
                break;
            }
            let raw = &d[..11];
            let raw = &raw[..raw.iter().position(|&b| b == 0).unwrap_or(raw.len())];
            let base = text.decode(raw).trim().to_string();
            let base = if base.is_empty() {
                format!("field_{}", fields.len() + 1)
            } else {
                base
            };
            let mut name = base.clone();
            let mut n = 2;
            while fields.iter().any(|f| f.name == name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            let field_len = usize::from(d[16]);
            fields.push(Field {
                name,
                kind: d[11].to_ascii_uppercase(),
                offset,
                len: field_len,
            });
            offset += field_len;
        }
        if offset > record_len {
            return Err(format!(
                "its fields take {offset} bytes a row, the header says rows are {record_len}"
            ));
        }
        let room = (len - header_len as u64) / record_len as u64;
        let records = if records > room {
            warnings.push(format!(
                "the .dbf header says {records} rows, the file holds {room}: it is truncated"
            ));
            room
        } else {
            records
        };
        Ok((
            Self {
                reader,
                fields,
                records,
                read: 0,
                row: vec![0; record_len],
                text,
            },
            warnings,
        ))
    }

    /// The table the rows of this `.dbf` belong to: cells become typed values.
    fn table(&self) -> Table {
        let kinds: Vec<(String, u8)> = self
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.kind))
            .collect();
        let names = self.fields.iter().map(|f| f.name.clone()).collect();
        let facts = kinds.clone();
        Table::new(
            move |cells| expand(&kinds, cells),
            move |cells| expand(&facts, cells),
        )
        .with_columns(names)
    }

    /// Reads the next row into `cells` (one text per field, empty for null); `Some(true)`
    /// when the row is marked deleted, `None` after the last row.
    fn next(&mut self, cells: &mut Vec<String>) -> Result<Option<bool>, String> {
        if self.read >= self.records {
            return Ok(None);
        }
        self.reader
            .read_exact(&mut self.row)
            .map_err(|e| format!("read error: {e}"))?;
        self.read += 1;
        let deleted = self.row.first() == Some(&b'*');
        cells.clear();
        for f in &self.fields {
            let bytes = self.row.get(f.offset..f.offset + f.len).unwrap_or(&[]);
            cells.push(cell(f.kind, bytes, &self.text));
        }
        Ok(Some(deleted))
    }
}

/// A field's bytes as the text of its cell: empty for null.
fn cell(kind: u8, bytes: &[u8], text: &Text) -> String {
    let trimmed = |b: &[u8]| {
        let start = b
            .iter()
            .position(|&c| c != b' ' && c != 0)
            .unwrap_or(b.len());
        let end = b
            .iter()
            .rposition(|&c| c != b' ' && c != 0)
            .map_or(start, |e| e + 1);
        (start, end)
    };
    match kind {
        b'N' | b'F' => {
            let (s, e) = trimmed(bytes);
            let b = &bytes[s..e];
            if b.is_empty() || b[0] == b'*' {
                String::new()
            } else {
                text.decode(b).into_owned()
            }
        }
        b'L' => match bytes.iter().find(|&&c| c != b' ') {
            Some(b'T' | b't' | b'Y' | b'y') => "true".into(),
            Some(b'F' | b'f' | b'N' | b'n') => "false".into(),
            _ => String::new(),
        },
        b'D' => {
            let (s, e) = trimmed(bytes);
            let b = &bytes[s..e];
            if b.is_empty() || b.iter().all(|&c| c == b'0') {
                String::new()
            } else if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
                let d = String::from_utf8_lossy(b);
                format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
            } else {
                text.decode(b).into_owned()
            }
        }
        b'@' | b'T' if bytes.len() == 8 => {
            let (day, ms) = if kind == b'@' {
                (be_i32(bytes, 0), be_i32(bytes, 4))
            } else {
                (le_i32(bytes, 0), le_i32(bytes, 4))
            };
            timestamp(day, ms).unwrap_or_default()
        }
        b'I' if bytes.len() == 4 => le_i32(bytes, 0).to_string(),
        b'O' if bytes.len() == 8 => {
            let v = le_f64(bytes, 0);
            if v.is_finite() {
                v.to_string()
            } else {
                String::new()
            }
        }
        _ => {
            // Text: leading spaces are part of it, trailing ones are padding.
            let end = bytes
                .iter()
                .rposition(|&c| c != b' ' && c != 0)
                .map_or(0, |e| e + 1);
            text.decode(&bytes[..end]).into_owned()
        }
    }
}

/// A Julian day number and milliseconds since midnight as an ISO 8601 date and time
/// without offset; `None` for zero (null) or a day out of range.
fn timestamp(day: i32, ms: i32) -> Option<String> {
    if day == 0 || !(0..86_400_000).contains(&ms) {
        return None;
    }
    // Julian day 2440588 is 1970-01-01.
    let date = jiff::civil::Date::new(1970, 1, 1)
        .ok()?
        .checked_add(
            jiff::Span::new()
                .try_days(i64::from(day) - 2_440_588)
                .ok()?,
        )
        .ok()?;
    let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    Some(if milli == 0 {
        format!("{date}T{h:02}:{m:02}:{s:02}")
    } else {
        format!("{date}T{h:02}:{m:02}:{s:02}.{milli:03}")
    })
}

/// A row's cells as properties, typed by their field.
fn expand(fields: &[(String, u8)], cells: &[&str]) -> Map<String, Value> {
    let mut map = Map::with_capacity(fields.len());
    for ((name, kind), cell) in fields.iter().zip(cells) {
        map.insert(name.clone(), typed(*kind, cell));
    }
    map
}

/// A cell of a field of type `kind` as its JSON value: null when empty.
fn typed(kind: u8, cell: &str) -> Value {
    if cell.is_empty() {
        return Value::Null;
    }
    match kind {
        b'N' | b'F' | b'I' | b'O' => number(cell),
        b'L' => Value::Bool(cell == "true"),
        _ => Value::String(cell.to_string()),
    }
}

/// A numeric cell as a JSON number: an integer unless written with a decimal point or
/// exponent (or too big), else a real; text it is not a number.
fn number(cell: &str) -> Value {
    if !cell.contains(['.', 'e', 'E'])
        && let Ok(i) = cell.trim_start_matches('+').parse::<i64>()
    {
        return Value::from(i);
    }
    match cell
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
    {
        Some(n) => Value::Number(n),
        None => Value::String(cell.to_string()),
    }
}

/// How the `.dbf`'s text is decoded.
#[derive(Clone, Copy, Debug)]
struct Text {
    /// The encoding the `.cpg` or the language driver names (windows-1252 for ISO-8859-1).
    encoding: &'static Encoding,
    /// True when no `.cpg` named it: a value that is valid UTF-8 is read as UTF-8 first.
    utf8_first: bool,
}

impl Text {
    /// From the `.cpg` text, else the language driver id `ldid`.
    fn new(cpg: Option<&str>, ldid: u8, warnings: &mut Vec<String>) -> Self {
        if let Some(cpg) = cpg.map(str::trim).filter(|c| !c.is_empty()) {
            match cpg_encoding(cpg) {
                Some(encoding) => {
                    return Self {
                        encoding,
                        utf8_first: false,
                    };
                }
                None => warnings.push(format!(
                    "the .cpg names an unknown encoding '{}': text read as UTF-8 when valid, \
                     else by the .dbf's language driver",
                    common::shorten(cpg, 40)
                )),
            }
        }
        Self {
            encoding: ldid_encoding(ldid).unwrap_or(encoding_rs::WINDOWS_1252),
            utf8_first: true,
        }
    }

    /// `bytes` as text.
    fn decode<'a>(&self, bytes: &'a [u8]) -> Cow<'a, str> {
        if self.encoding == encoding_rs::UTF_8 || self.utf8_first {
            match std::str::from_utf8(bytes) {
                Ok(s) => return Cow::Borrowed(s),
                // A value cut inside its last character by the field's width.
                Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
                    if let Ok(s) = std::str::from_utf8(&bytes[..e.valid_up_to()]) {
                        return Cow::Borrowed(s);
                    }
                }
                Err(_) if self.encoding == encoding_rs::UTF_8 => {
                    return String::from_utf8_lossy(bytes);
                }
                Err(_) => {}
            }
        }
        self.encoding.decode_without_bom_handling(bytes).0
    }
}

/// The encoding a `.cpg` names: `UTF-8`, `1251`, `CP1251`, `windows-1251`, `ANSI 1251`,
/// `866`, `ISO-8859-1`, `88591`, `KOI8-R`...
fn cpg_encoding(cpg: &str) -> Option<&'static Encoding> {
    if let Some(e) = Encoding::for_label(cpg.as_bytes()) {
        return Some(e);
    }
    let key: String = cpg
        .to_ascii_uppercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let digits = key
        .trim_start_matches("ANSI")
        .trim_start_matches("WINDOWS")
        .trim_start_matches("CP")
        .trim_start_matches("OEM")
        .trim_start_matches("IBM");
    if let Some(part) = digits
        .strip_prefix("ISO8859")
        .or_else(|| digits.strip_prefix("8859"))
    {
        return Encoding::for_label(format!("iso-8859-{part}").as_bytes());
    }
    code_page(digits.parse().ok()?)
}

/// The encoding of a Windows or DOS code page number.
fn code_page(page: u32) -> Option<&'static Encoding> {
    let label = match page {
        1250..=1258 | 874 => format!("windows-{page}"),
        866 => "ibm866".into(),
        65001 => "utf-8".into(),
        20866 => "koi8-r".into(),
        21866 => "koi8-u".into(),
        28591..=28605 => format!("iso-8859-{}", page - 28590),
        932 => "shift_jis".into(),
        936 => "gbk".into(),
        949 => "euc-kr".into(),
        950 => "big5".into(),
        // 437, 850 and the other DOS Latin pages: their letters as ISO-8859-1 would be
        // wrong in the upper half, but encoding_rs has none of them; windows-1252 keeps
        // ASCII right.
        437 | 850 | 852 | 865 => "windows-1252".into(),
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// The code page of a `.dbf`'s language driver id, after GDAL's table; `None` for 0.
fn ldid_encoding(ldid: u8) -> Option<&'static Encoding> {
    let page = match ldid {
        0x00 => return None,
        0x01 | 0x0B | 0x0D | 0x0F | 0x11 | 0x15 | 0x18 | 0x19 | 0x1B => 437,
        0x02 | 0x0A | 0x0E | 0x10 | 0x12 | 0x14 | 0x16 | 0x1A | 0x1D | 0x25 | 0x37 => 850,
        0x03 | 0x58 | 0x59 => 1252,
        0x57 => 28591,
        0x26 | 0x65 => 866,
        0x1F | 0x22 | 0x23 | 0x40 | 0x64 => 852,
        0x4D | 0x7A => 936,
        0x4E | 0x79 => 949,
        0x4F | 0x78 => 950,
        0x50 | 0x7C => 874,
        0x13 | 0x7B => 932,
        0xC8 => 1250,
        0xC9 => 1251,
        0xCA => 1254,
        0xCB => 1253,
        0xCC => 1257,
        _ => return None,
    };
    code_page(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{ReadOptions, read_layers};
    use std::io::Write;
    use std::process::Command;
    use std::time::{Duration, Instant};

    fn data(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name)
    }

    /// A fresh temporary folder for one test.
    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("bordermap-shp-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Runs ogr2ogr with `args`; false (and a note) when GDAL is not installed.
    fn ogr2ogr(args: &[&str]) -> bool {
        match Command::new("ogr2ogr").args(args).output() {
            Ok(out) => {
                assert!(
                    out.status.success(),
                    "ogr2ogr {args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                true
            }
            Err(e) => {
                eprintln!("ogr2ogr not available ({e}): test skipped");
                false
            }
        }
    }

    fn events() -> String {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/events.geojson")
            .display()
            .to_string()
    }

    /// The events layer as two shapefiles in `dir`: its 30 points (and multipoints) in
    /// `points.shp`, its 2 multipolygons in `areas.shp`, each with `extra` arguments.
    fn events_shapefiles(dir: &Path, extra: &[&str]) -> bool {
        for (name, filter) in [
            (
                "points",
                "OGR_GEOMETRY='POINT' OR OGR_GEOMETRY='MULTIPOINT'",
            ),
            ("areas", "OGR_GEOMETRY='MULTIPOLYGON'"),
        ] {
            let out = dir.join(format!("{name}.shp")).display().to_string();
            let mut args = vec![
                "-f",
                "ESRI Shapefile",
                "-lco",
                "ENCODING=UTF-8",
                "-nlt",
                "PROMOTE_TO_MULTI",
                "-where",
                filter,
            ];
            args.extend_from_slice(extra);
            let source = events();
            args.extend_from_slice(&[out.as_str(), source.as_str()]);
            if !ogr2ogr(&args) {
                return false;
            }
        }
        true
    }

    /// Zips `files` (path in the zip, bytes) into `path`.
    fn zip_files(path: &Path, files: &[(String, Vec<u8>)]) {
        let mut w = zip::ZipWriter::new(File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            w.start_file(name.as_str(), options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
    }

    use crate::io::testutil::errors;

    #[test]
    fn events_as_shapefiles_keep_their_features_and_dates() {
        let dir = temp_dir("events");
        if !events_shapefiles(&dir, &[]) {
            return;
        }
        let options = ReadOptions::default();
        let points = read_layers(&dir.join("points.shp"), &options).unwrap();
        let areas = read_layers(&dir.join("areas.shp"), &options).unwrap();
        let (points, areas) = (&points[0], &areas[0]);
        assert_eq!(points.part, None);
        assert_eq!(points.name, "points.shp");
        assert!(errors(points).is_empty(), "{:?}", points.problems);
        assert_eq!(points.features.len() + areas.features.len(), 32);
        // Every event is dated, from its DBF date fields `start` and `end`.
        assert_eq!(points.dated_count() + areas.dated_count(), 32);
        assert_eq!(
            points.time_source.fields,
            vec![("start/end".to_string(), 30)]
        );
        let first = points.features[0].properties_map();
        assert_eq!(first["start"], Value::from("2021-04-28"), "{first:?}");
        assert_eq!(first["estimated"], Value::from(1), "{first:?}");
        assert!(areas.features.iter().all(|f| matches!(
            f.geometry().as_deref(),
            Some(Geometry::MultiPolygon(_) | Geometry::Polygon(_))
        )));
        // Written as text (GDAL's "YYYY/MM/DD HH:MM:SS+HH"), the times keep their hour.
        let text_dir = temp_dir("events-text");
        if !events_shapefiles(&text_dir, &["-mapFieldType", "DateTime=String"]) {
            return;
        }
        let points = read_layers(&text_dir.join("points.shp"), &options).unwrap();
        let first = &points[0].features[0];
        let span = first.span.expect("dated");
        assert_eq!(span.start().to_string(), "2021-04-28T05:30:00Z");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&text_dir);
    }

    #[test]
    fn a_zip_of_two_shapefiles_is_two_layers() {
        let dir = temp_dir("two");
        if !events_shapefiles(&dir, &[]) {
            return;
        }
        let mut files = Vec::new();
        for stem in ["points", "areas"] {
            for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
                let bytes = std::fs::read(dir.join(format!("{stem}.{ext}"))).unwrap();
                files.push((format!("events/{stem}.{ext}"), bytes));
            }
        }
        let zip = dir.join("events.zip");
        zip_files(&zip, &files);
        let layers = read_layers(&zip, &ReadOptions::default()).unwrap();
        assert_eq!(layers.len(), 2);
        assert_eq!(layers[0].part.as_deref(), Some("points"));
        assert_eq!(layers[0].name, "events.zip — points");
        assert_eq!(layers[1].part.as_deref(), Some("areas"));
        assert_eq!(layers[0].features.len(), 30);
        assert_eq!(layers[1].features.len(), 2);
        assert_eq!(layers[0].dated_count() + layers[1].dated_count(), 32);
        // A zip without a shapefile is refused, saying what it holds.
        let other = dir.join("other.zip");
        zip_files(&other, &[("notes.txt".into(), b"hello".to_vec())]);
        let err = read_layers(&other, &ReadOptions::default()).unwrap_err();
        assert!(
            err.message.contains("no shapefile") && err.message.contains("notes.txt"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn cyrillic_text_in_cp1251_is_read_by_the_cpg() {
        let layers = read_layers(&data("cyrillic-1251.zip"), &ReadOptions::default()).unwrap();
        assert_eq!(layers.len(), 1);
        let layer = &layers[0];
        // One shapefile in a zip still names its part.
        assert_eq!(layer.part.as_deref(), Some("villages"));
        assert_eq!(layer.name, "cyrillic-1251.zip — villages");
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 2);
        let first = layer.features[0].properties_map();
        assert_eq!(first["name"], Value::from("Ворух"));
        assert_eq!(first["place"], Value::from("Исфара"));
        assert_eq!(first["deaths"], Value::from(3));
        assert_eq!(first["score"], Value::from(1.5));
        assert_eq!(first["date"], Value::from("2021-04-29"));
        let second = layer.features[1].properties_map();
        assert_eq!(second["name"], Value::from("Кок-Таш"));
        assert_eq!(second["deaths"], Value::Null);
        assert_eq!(second["score"], Value::Null);
        assert_eq!(layer.dated_count(), 2);
        let Some(Shape::Point(p)) = layer.features[0].shape else {
            panic!("a point")
        };
        assert_eq!((p.x(), p.y()), (70.58, 39.85));
    }

    #[test]
    fn encodings_from_cpg_and_language_driver() {
        let mut w = Vec::new();
        let cp1251 = [0xC2, 0xEE, 0xF0, 0xF3, 0xF5]; // "Ворух"
        for cpg in ["1251", "CP1251", "windows-1251", "ANSI 1251"] {
            let text = Text::new(Some(cpg), 0, &mut w);
            assert_eq!(text.decode(&cp1251), "Ворух", "{cpg}");
        }
        assert_eq!(Text::new(None, 0xC9, &mut w).decode(&cp1251), "Ворух");
        // CP866: "Ош".
        assert_eq!(
            Text::new(Some("866"), 0, &mut w).decode(&[0x8E, 0xE8]),
            "Ош"
        );
        assert_eq!(Text::new(None, 0x26, &mut w).decode(&[0x8E, 0xE8]), "Ош");
        // No .cpg: valid UTF-8 is UTF-8, else the driver's page or ISO-8859-1.
        let none = Text::new(None, 0x57, &mut w);
        assert_eq!(none.decode("Ворух".as_bytes()), "Ворух");
        assert_eq!(none.decode(&[0x4B, 0xF6, 0x6B]), "Kök");
        // UTF-8 cut inside its last character by the field width.
        let utf8 = Text::new(Some("UTF-8"), 0, &mut w);
        assert_eq!(utf8.decode(&"Ош".as_bytes()[..3]), "О");
        assert!(w.is_empty(), "{w:?}");
        Text::new(Some("klingon"), 0, &mut w);
        assert!(w[0].contains("klingon"), "{w:?}");
    }

    #[test]
    fn utm_42n_comes_back_within_a_metre() {
        let dir = temp_dir("utm");
        if !events_shapefiles(&dir, &[]) {
            return;
        }
        let utm = dir.join("utm.shp").display().to_string();
        let points = dir.join("points.shp").display().to_string();
        if !ogr2ogr(&[
            "-f",
            "ESRI Shapefile",
            "-t_srs",
            "EPSG:32642",
            &utm,
            &points,
        ]) {
            return;
        }
        let prj = std::fs::read_to_string(dir.join("utm.prj")).unwrap();
        assert!(prj.contains("UTM"), "{prj}");
        let options = ReadOptions::default();
        let a = &read_layers(&dir.join("points.shp"), &options).unwrap()[0];
        let b = &read_layers(&dir.join("utm.shp"), &options).unwrap()[0];
        assert!(errors(b).is_empty(), "{:?}", b.problems);
        assert_eq!(a.features.len(), b.features.len());
        let mut compared = 0;
        for (fa, fb) in a.features.iter().zip(&b.features) {
            let (ga, gb) = (fa.geometry(), fb.geometry());
            let (Some(Geometry::MultiPoint(pa)), Some(Geometry::MultiPoint(pb))) =
                (ga.as_deref(), gb.as_deref())
            else {
                panic!("multipoints: {:?} {:?}", fa.shape, fb.shape);
            };
            for (p, q) in pa.0.iter().zip(&pb.0) {
                let metres = (((p.x() - q.x()) * 111_320.0 * p.y().to_radians().cos()).powi(2)
                    + ((p.y() - q.y()) * 110_574.0).powi(2))
                .sqrt();
                assert!(metres < 1.0, "{p:?} vs {q:?}: {metres} m");
                compared += 1;
            }
        }
        assert!(compared >= 30);
        // Without its .prj the same file is refused as projected.
        std::fs::remove_file(dir.join("utm.prj")).unwrap();
        let c = &read_layers(&dir.join("utm.shp"), &options).unwrap()[0];
        assert!(c.features.is_empty());
        assert!(errors(c)[0].contains("seems projected"), "{:?}", c.problems);
        // An unknown CRS is refused, naming it.
        std::fs::write(
            dir.join("utm.prj"),
            r#"PROJCS["Pulkovo 1942 / Gauss-Kruger zone 12",GEOGCS["Pulkovo 1942"],AUTHORITY["EPSG","28412"]]"#,
        )
        .unwrap();
        let d = &read_layers(&dir.join("utm.shp"), &options).unwrap()[0];
        assert!(d.features.is_empty());
        assert!(errors(d)[0].contains("Pulkovo 1942"), "{:?}", d.problems);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A `.shp` header for `len` bytes of shape `kind` and bounding box `bbox`.
    fn shp_header(len: usize, kind: i32, bbox: [f64; 4]) -> Vec<u8> {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&FILE_CODE.to_be_bytes());
        h[24..28].copy_from_slice(&((len / 2) as i32).to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&kind.to_le_bytes());
        for (i, v) in bbox.iter().enumerate() {
            h[36 + 8 * i..44 + 8 * i].copy_from_slice(&v.to_le_bytes());
        }
        h
    }

    /// A record of `content` (its number `n`).
    fn record(n: i32, content: &[u8]) -> Vec<u8> {
        let mut r = n.to_be_bytes().to_vec();
        r.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
        r.extend_from_slice(content);
        r
    }

    fn point(x: f64, y: f64) -> Vec<u8> {
        let mut c = 1i32.to_le_bytes().to_vec();
        c.extend_from_slice(&x.to_le_bytes());
        c.extend_from_slice(&y.to_le_bytes());
        c
    }

    fn read_bytes(dir: &Path, name: &str, bytes: &[u8]) -> Layer {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        read_layers(&path, &ReadOptions::default())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn hostile_and_truncated_shp_are_refused_fast() {
        let dir = temp_dir("hostile");
        let bbox = [70.0, 39.0, 71.0, 40.0];
        let good = [record(1, &point(70.5, 39.5)), record(2, &point(70.6, 39.6))].concat();
        let file = [shp_header(100 + good.len(), 1, bbox), good.clone()].concat();
        let layer = read_bytes(&dir, "good.shp", &file);
        assert_eq!(layer.features.len(), 2);
        // No .dbf: a warning, the points still load.
        assert!(
            layer.problems[0].message.contains("no .dbf"),
            "{:?}",
            layer.problems
        );

        let started = Instant::now();
        // A record claiming 4 GB.
        let mut huge = record(3, &point(70.7, 39.7));
        huge[4..8].copy_from_slice(&i32::MAX.to_be_bytes());
        let file = [shp_header(100 + good.len(), 1, bbox), good.clone(), huge].concat();
        let layer = read_bytes(&dir, "huge.shp", &file);
        assert_eq!(layer.features.len(), 2);
        let e = errors(&layer);
        assert!(
            e[0].contains("record 3") && e[0].contains("beyond the end"),
            "{e:?}"
        );
        // Cut inside its second record.
        let file = [shp_header(100 + good.len(), 1, bbox), good[..40].to_vec()].concat();
        let layer = read_bytes(&dir, "cut.shp", &file);
        assert_eq!(layer.features.len(), 1);
        assert!(
            errors(&layer)[0].contains("record 2"),
            "{:?}",
            layer.problems
        );
        // A polyline claiming two billion parts in 48 bytes: a warning naming it, no geometry.
        let mut line = 3i32.to_le_bytes().to_vec();
        line.extend_from_slice(&[0u8; 32]);
        line.extend_from_slice(&i32::MAX.to_le_bytes());
        line.extend_from_slice(&1i32.to_le_bytes());
        line.extend_from_slice(&[0u8; 4]);
        let body = record(1, &line);
        let layer = read_bytes(
            &dir,
            "parts.shp",
            &[shp_header(100 + body.len(), 3, bbox), body].concat(),
        );
        assert_eq!(layer.features.len(), 1);
        assert!(layer.features[0].shape.is_none());
        let warning = &layer.problems.last().unwrap().message;
        assert!(
            warning.contains("record 1") && warning.contains("do not fit"),
            "{warning}"
        );
        // Not a shapefile at all, and too short for a header.
        assert!(errors(&read_bytes(&dir, "text.shp", &[b'x'; 200]))[0].contains("file code"));
        assert!(errors(&read_bytes(&dir, "short.shp", b"abc"))[0].contains("100-byte"));
        assert!(started.elapsed() < Duration::from_secs(1));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_dbf_whose_header_lies_is_checked_against_its_size() {
        let dir = temp_dir("dbf");
        let bbox = [70.0, 39.0, 71.0, 40.0];
        let body = record(1, &point(70.5, 39.5));
        std::fs::write(
            dir.join("a.shp"),
            [shp_header(100 + body.len(), 1, bbox), body].concat(),
        )
        .unwrap();
        // One C(5) field, a header saying a billion rows, one row there.
        let mut dbf = vec![0u8; 32];
        dbf[0] = 3;
        dbf[4..8].copy_from_slice(&1_000_000_000u32.to_le_bytes());
        dbf[8..10].copy_from_slice(&65u16.to_le_bytes());
        dbf[10..12].copy_from_slice(&6u16.to_le_bytes());
        let mut field = vec![0u8; 32];
        field[..4].copy_from_slice(b"name");
        field[11] = b'C';
        field[16] = 5;
        dbf.extend_from_slice(&field);
        dbf.push(0x0D);
        dbf.extend_from_slice(b" Osh  ");
        std::fs::write(dir.join("a.dbf"), &dbf).unwrap();
        let layer = read_layers(&dir.join("a.shp"), &ReadOptions::default())
            .unwrap()
            .remove(0);
        assert_eq!(layer.features.len(), 1);
        assert_eq!(
            layer.features[0].properties_map()["name"],
            Value::from("Osh")
        );
        // The header's count is cut to the rows the file holds: a warning, no read error.
        assert!(errors(&layer).is_empty(), "{:?}", layer.problems);
        assert!(
            layer
                .problems
                .iter()
                .any(|p| p.message.contains("says 1000000000 rows, the file holds 1")),
            "{:?}",
            layer.problems
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Found by the `shp` fuzz target (fuzz/artifacts/shp/crash-6e99bb79…): a member whose
    /// name is cut inside a character where a `.shp`'s base name ends panicked.
    #[test]
    fn member_names_cut_inside_a_character_are_not_siblings() {
        let dir = temp_dir("utf8-names");
        let zip = dir.join("names.zip");
        let shp = shp_header(100, 1, [70.0, 39.0, 71.0, 40.0]);
        zip_files(
            &zip,
            &[
                ("ab.shp".into(), shp),
                ("a\u{e9}dbf".into(), b"not a dbf".to_vec()),
            ],
        );
        let layers = read_layers(&zip, &ReadOptions::default()).unwrap();
        assert_eq!(layers.len(), 1);
        assert_eq!(layers[0].part.as_deref(), Some("ab"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_zip_bomb_member_is_refused_naming_member_and_limit() {
        let dir = temp_dir("bomb");
        let zip = dir.join("bomb.zip");
        // 64 MB of zeros deflate to about 64 KB: far beyond 200 times that.
        let mut shp = shp_header(64 << 20, 1, [70.0, 39.0, 71.0, 40.0]);
        shp.resize(64 << 20, 0);
        zip_files(&zip, &[("big/bomb.shp".into(), shp)]);
        let started = Instant::now();
        let layers = read_layers(&zip, &ReadOptions::default()).unwrap();
        assert!(started.elapsed() < Duration::from_secs(2));
        let e = errors(&layers[0]);
        assert!(layers[0].features.is_empty());
        assert!(
            e[0].contains("bomb.zip")
                && e[0].contains("big/bomb.shp")
                && e[0].contains("limit of")
                && e[0].contains("zip bomb"),
            "{e:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn holes_go_to_the_outer_ring_that_contains_them() {
        let ring = |pts: &[(f64, f64)]| LineString::from(pts.to_vec());
        // Two clockwise squares, a counter-clockwise hole inside the second.
        let a = ring(&[(0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0)]);
        let b = ring(&[(2.0, 0.0), (2.0, 3.0), (5.0, 3.0), (5.0, 0.0), (2.0, 0.0)]);
        let hole = ring(&[(3.0, 1.0), (4.0, 1.0), (4.0, 2.0), (3.0, 2.0), (3.0, 1.0)]);
        let Geometry::MultiPolygon(m) = polygon_from_rings(vec![a.clone(), hole.clone(), b]) else {
            panic!("a multipolygon");
        };
        assert_eq!(m.0.len(), 2);
        assert!(m.0[0].interiors().is_empty());
        assert_eq!(m.0[1].interiors().len(), 1);
        // One outer ring and its hole: a polygon.
        let big = ring(&[(0.0, 0.0), (0.0, 9.0), (9.0, 9.0), (9.0, 0.0), (0.0, 0.0)]);
        let Geometry::Polygon(p) = polygon_from_rings(vec![big, hole]) else {
            panic!("a polygon");
        };
        assert_eq!(p.interiors().len(), 1);
        // A polygon record through `shape`: its part indices checked.
        let mut content = 5i32.to_le_bytes().to_vec();
        content.extend_from_slice(&[0u8; 32]);
        content.extend_from_slice(&1i32.to_le_bytes());
        content.extend_from_slice(&5i32.to_le_bytes());
        content.extend_from_slice(&0i32.to_le_bytes());
        for c in &a.0 {
            content.extend_from_slice(&c.x.to_le_bytes());
            content.extend_from_slice(&c.y.to_le_bytes());
        }
        assert!(matches!(shape(&content), Ok(Some(Geometry::Polygon(_)))));
        content[44..48].copy_from_slice(&7i32.to_le_bytes());
        assert!(shape(&content).unwrap_err().contains("part 1"));
    }

    #[test]
    fn dbf_values_are_typed() {
        let text = Text::new(Some("UTF-8"), 0, &mut Vec::new());
        assert_eq!(cell(b'N', b"   42", &text), "42");
        assert_eq!(cell(b'N', b"     ", &text), "");
        assert_eq!(cell(b'N', b"*****", &text), "");
        assert_eq!(cell(b'L', b"T", &text), "true");
        assert_eq!(cell(b'L', b"?", &text), "");
        assert_eq!(cell(b'D', b"20210428", &text), "2021-04-28");
        assert_eq!(cell(b'D', b"00000000", &text), "");
        assert_eq!(cell(b'C', b" a b  ", &text), " a b");
        // Julian day 2459333 is 2021-04-28; 11:30 in milliseconds.
        let mut ts = 2_459_333i32.to_le_bytes().to_vec();
        ts.extend_from_slice(&41_400_000i32.to_le_bytes());
        assert_eq!(cell(b'T', &ts, &text), "2021-04-28T11:30:00");
        assert_eq!(typed(b'N', "42"), Value::from(42));
        assert_eq!(typed(b'N', "4.50"), Value::from(4.5));
        assert_eq!(typed(b'F', "1e3"), Value::from(1000.0));
        assert_eq!(typed(b'L', "false"), Value::from(false));
        assert_eq!(typed(b'C', ""), Value::Null);
    }
}
