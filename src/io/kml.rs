//! KML 2.2 reader (`.kml`, and `.kmz`: the first `.kml` file of the zip, `doc.kml` first,
//! and the `.kml` files of the archive its `NetworkLink`s name: see [`read_kmz`]).
//!
//! The XML is streamed with quick-xml. Each `Placemark` (at any depth of Document/Folder
//! nesting), `Style` and `StyleMap` is collected as a small element tree and read when it
//! closes, so memory stays in proportion to the largest placemark plus the features read.
//! What a placemark becomes:
//! - geometry: `Point`, `LineString`, `LinearRing`, `Polygon` (outer and inner rings),
//!   `MultiGeometry` (`MultiPoint`/`MultiLineString`/`MultiPolygon` when all parts are of one
//!   type, else a `GeometryCollection`), the `MultiPoint`, `MultiLineString` and
//!   `MultiPolygon` elements real tools write outside KML 2.2 (parts bare or in GML-style
//!   `pointMember`/`lineStringMember`/`polygonMember`), `gx:Track` (a line, or a point for
//!   one `gx:coord`) and `gx:MultiTrack`; `<coordinates>` hold `lon,lat[,alt]` tuples
//!   separated by whitespace.
//! - properties: `name`, `description` (CDATA or escaped HTML kept as text), every
//!   `ExtendedData` `Data`/`value` and `SchemaData`/`SimpleData` (numbers as JSON numbers, JSON
//!   arrays and objects parsed), `folder` (the names of the enclosing folders),
//!   `TimeStamp`/`when` as `timestamp`, `TimeSpan` `begin`/`end` as `begin`/`end` (a year or a
//!   year-month is expanded to its first day, or its last for an end, and `time_precision`
//!   says so), and the placemark's resolved style (`styleUrl` to a `Style` or a `StyleMap`'s
//!   normal style, plus any inline `Style`) as simplestyle `stroke`, `stroke-opacity`,
//!   `stroke-width`, `fill`, `fill-opacity` and `marker-color`; values already present (e.g.
//!   simplestyle keys in ExtendedData) are not overwritten.
//! - the time span is then read from those properties by the layer's `TimeReader`, exactly as
//!   for GeoJSON; a track's first and last `when` give `begin`/`end` when nothing else does.
//!
//! Malformed XML stops the reading with an error at its line and column (the placemarks
//! before it are kept). A placemark with bad coordinates (out of range, too few, not numbers)
//! is an error naming the line and column of its `<coordinates>` and is skipped; the rest
//! loads. A geometry whose `<coordinates>` hold only whitespace is left out with a warning
//! and its placemark kept; no geometry is dropped without a warning at its line (an element
//! holding positions that is no known geometry, a part or ring left out, an empty multi
//! geometry or track). Nothing panics on any input.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::rc::Rc;

use geo::{Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint};
use geo::{MultiPolygon, Point, Polygon};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use serde_json::{Map, Value};

use crate::io::common::{self, Place, insert_absent, json_scalar};
use crate::io::timefields::TimeReader;
use crate::model::{Feature, Layer, Severity, Shape};

/// Deepest element nesting read inside a placemark or style.
const MAX_DEPTH: usize = 64;
/// Longest chain of `StyleMap`s followed to reach a `Style`.
const MAX_STYLE_HOPS: usize = 8;

/// Reads a KML document from `reader`. Problems are collected in the layer, each naming
/// `path`; the read never panics.
pub fn read_kml<R: Read>(reader: R, path: &Path, time: &TimeReader) -> Layer {
    let mut layer = common::new_layer(path, time);
    let mut state = State::new();
    state.parse(reader);
    state.finish(&mut layer, path, time);
    common::limit_problems(&mut layer, path);
    layer
}

/// The most a KMZ's KML may inflate to, as a multiple of its compressed size: KML deflates
/// 3–15 times; far beyond that is a zip bomb, refused. The limit holds for each entry (times
/// its compressed size) and for all the entries read together (times the archive's size), so
/// a 3 MB archive never has more than 60 MB inflated, whatever its headers say. Inflating is
/// streamed into the parser, so memory stays small even up to the limit.
pub const MAX_INFLATE_RATIO: u64 = 20;
/// Inflating up to this much is always allowed, whatever the ratio (small entries).
pub const MIN_INFLATE_LIMIT: u64 = 8 << 20;
/// The longest run of text or of one tag without `<` or `>`: a longer one is an error, not
/// an allocation.
pub const MAX_RUN: u64 = 8 << 20;
/// The most entries of a KMZ looked at (for its document and the members its links name).
pub const MAX_ENTRIES: usize = 10_000;
/// The most KML files of a KMZ read: its document and the members network links name.
pub const MAX_LINKED_FILES: usize = 256;
/// The longest chain of network links followed from a KMZ's document.
pub const MAX_LINK_DEPTH: usize = 8;

/// Reads a KMZ archive: its `doc.kml`, or else its first `.kml` file, and the `.kml` members
/// its `NetworkLink`s name (as GDAL's LIBKML driver writes: `<href>layers/x.kml</href>`),
/// each once, up to [`MAX_LINK_DEPTH`] links deep; their features join the one layer, and
/// their problems name the member. Links to anything outside the archive (URLs, absolute
/// paths, missing members) are warnings naming them. Entries are inflated as streams and
/// refused once past [`MAX_INFLATE_RATIO`] times their compressed size (at least
/// [`MIN_INFLATE_LIMIT`]), or all together past that many times the archive's size, whatever
/// their headers say.
pub fn read_kmz<R: Read + Seek>(mut reader: R, path: &Path, time: &TimeReader) -> Layer {
    let fail = |message: String| {
        let mut layer = common::new_layer(path, time);
        common::push_problem(&mut layer, path, Severity::Error, Place::default(), message);
        layer
    };
    let archive_len = match reader.seek(SeekFrom::End(0)) {
        Ok(len) => len,
        Err(e) => return fail(format!("KMZ: cannot read the archive: {e}")),
    };
    let mut archive = match zip::ZipArchive::new(reader) {
        Ok(archive) => archive,
        Err(e) => return fail(format!("KMZ: not a readable zip archive: {e}")),
    };
    let mut state = State::new();
    state.follow_links = true;
    let entries = archive.len();
    if entries > MAX_ENTRIES {
        state.problem(
            Place::default(),
            Severity::Warning,
            format!(
                "KMZ: the archive has {entries} entries; only the first {MAX_ENTRIES} are looked at"
            ),
        );
    }
    let names: Vec<(usize, String)> = (0..entries.min(MAX_ENTRIES))
        .filter_map(|i| Some((i, archive.name_for_index(i)?.ok()?.into_owned())))
        .collect();
    let chosen = names
        .iter()
        .find(|(_, n)| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| {
            names
                .iter()
                .find(|(_, n)| n.to_ascii_lowercase().ends_with(".kml"))
        });
    let Some((root, root_name)) = chosen else {
        return fail("KMZ: the archive holds no .kml file".into());
    };
    let mut inflate = Inflate {
        archive_len,
        total_limit: archive_len
            .saturating_mul(MAX_INFLATE_RATIO)
            .max(MIN_INFLATE_LIMIT),
        inflated: 0,
    };
    let mut read: Vec<usize> = vec![*root];
    let mut queue = VecDeque::from([(*root, root_name.clone(), 0usize)]);
    while let Some((index, name, depth)) = queue.pop_front() {
        state.begin_document((depth > 0).then_some(name.as_str()));
        if let Err(refused) = inflate.read_entry(&mut archive, index, &name, &mut state) {
            if let Some(message) = refused.message {
                state.member = None;
                state.problem(Place::default(), Severity::Error, message);
            }
            if refused.bomb {
                break;
            }
            continue;
        }
        let base = name.rsplit_once('/').map_or("", |(folder, _)| folder);
        for link in std::mem::take(&mut state.links) {
            let target = resolve_href(base, &link.href).and_then(|target| {
                names
                    .iter()
                    .find(|(_, n)| *n == target)
                    .or_else(|| names.iter().find(|(_, n)| n.eq_ignore_ascii_case(&target)))
                    .ok_or_else(|| format!("{target} is not in the archive"))
            });
            let why = match target {
                Err(why) => why,
                Ok((i, _)) if read.contains(i) => "that file is already read".into(),
                Ok((_, n)) if !n.to_ascii_lowercase().ends_with(".kml") => {
                    format!("{n} is not a .kml file")
                }
                Ok(_) if depth >= MAX_LINK_DEPTH => {
                    format!("links are followed {MAX_LINK_DEPTH} deep at most")
                }
                Ok(_) if read.len() >= MAX_LINKED_FILES => {
                    format!("at most {MAX_LINKED_FILES} files of a KMZ are read")
                }
                Ok((i, n)) => {
                    read.push(*i);
                    queue.push_back((*i, n.clone(), depth + 1));
                    continue;
                }
            };
            let message = format!(
                "network link to \"{}\" not followed: {why}",
                common::shorten(&link.href, 100)
            );
            state.problem(link.place, Severity::Warning, message);
        }
    }
    let mut layer = common::new_layer(path, time);
    state.finish(&mut layer, path, time);
    common::limit_problems(&mut layer, path);
    layer
}

/// Why an entry of a KMZ was not read: a message, and whether it was refused as a bomb (then
/// nothing more of the archive is read).
struct Refused {
    /// `None` when the problem is already recorded.
    message: Option<String>,
    bomb: bool,
}

/// What may still be inflated from a KMZ.
struct Inflate {
    /// The archive's length: no entry's compressed size is taken as larger.
    archive_len: u64,
    /// The most all the entries read may inflate to.
    total_limit: u64,
    /// Bytes inflated so far.
    inflated: u64,
}

impl Inflate {
    /// Streams entry `index` (named `name`) into the parser, cut off at its limit.
    fn read_entry<R: Read + Seek>(
        &mut self,
        archive: &mut zip::ZipArchive<R>,
        index: usize,
        name: &str,
        state: &mut State,
    ) -> Result<(), Refused> {
        let file = archive.by_index(index).map_err(|e| Refused {
            message: Some(format!("KMZ: cannot read {name}: {e}")),
            bomb: false,
        })?;
        // Headers can lie: the compressed size is bounded by the archive, and the inflated
        // size is counted as it streams.
        let compressed = file.compressed_size().min(self.archive_len);
        let own = compressed
            .saturating_mul(MAX_INFLATE_RATIO)
            .max(MIN_INFLATE_LIMIT);
        let left = self.total_limit.saturating_sub(self.inflated);
        let limit = own.min(left);
        let bomb = |size: u64| Refused {
            message: Some(format!(
                "KMZ: {name} would inflate to more than {}, past its limit of {} \
                 ({MAX_INFLATE_RATIO} times its {} compressed, at least {} MB, and all the KML \
                 of the archive at most {MAX_INFLATE_RATIO} times its {}): refused as a \
                 possible zip bomb",
                file_mb(size),
                file_mb(limit),
                file_mb(compressed),
                MIN_INFLATE_LIMIT >> 20,
                file_mb(self.archive_len),
            )),
            bomb: true,
        };
        if file.size() > limit {
            return Err(bomb(file.size()));
        }
        let file_size = file.size();
        let mut capped = Capped::new(file, limit);
        state.parse(&mut capped);
        self.inflated = self.inflated.saturating_add(capped.passed);
        if state.replace_problem(ZIP_OVERRUN, &overrun(name, file_size)) {
            return Err(Refused {
                message: None,
                bomb: true,
            });
        }
        if capped.hit {
            // The stream stopped at the limit: say so instead of "malformed XML".
            let refused = bomb(limit);
            if let Some(message) = &refused.message
                && state.replace_problem(CAPPED, message)
            {
                return Err(Refused {
                    message: None,
                    bomb: true,
                });
            }
            return Err(refused);
        }
        Ok(())
    }
}

/// The archive member a network link's `href` names, relative to `base` (the folder of the
/// linking file, `""` at the top of the archive): `%XX` escapes decoded, `.` and `..`
/// resolved, a `#fragment` or `?query` dropped, `\` read as `/`. `Err` says why it names
/// nothing inside the archive (a URL, an absolute path, a path above the archive's top).
fn resolve_href(base: &str, href: &str) -> Result<String, String> {
    let href = href.trim();
    if let Some((scheme, _)) = href.split_once(':')
        && !scheme.is_empty()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return Err(if scheme.len() == 1 {
            "it is an absolute path outside the archive".into()
        } else {
            "it is a URL, not a file of the archive".into()
        });
    }
    let file = href.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_decode(file).replace('\\', "/");
    if decoded.starts_with('/') {
        return Err("it is an absolute path outside the archive".into());
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it leads out of the archive".into());
                }
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return Err("it names no file".into());
    }
    Ok(parts.join("/"))
}

/// `text` with its `%XX` escapes decoded (a `%` not followed by two hex digits is kept).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A size for messages: kB below a megabyte, else MB with one decimal.
fn file_mb(bytes: u64) -> String {
    if bytes < 1 << 20 {
        format!("{} kB", bytes.div_ceil(1 << 10))
    } else {
        format!("{:.1} MB", bytes as f64 / (1 << 20) as f64)
    }
}

/// The error text of the zip crate when an entry inflates past the size its header declares
/// (it stops there).
const ZIP_OVERRUN: &str = "larger than its declared uncompressed size";

/// The message for an entry that inflated past its declared size.
fn overrun(name: &str, declared: u64) -> String {
    format!(
        "KMZ: {name} inflates past the {declared} bytes its header declares: refused as a \
         damaged archive or a possible zip bomb"
    )
}

/// The error text of a [`Capped`] reader at its limit.
const CAPPED: &str = "inflated past its limit";

/// A reader that fails once more than `limit` bytes have passed.
struct Capped<R> {
    inner: R,
    left: u64,
    /// Bytes passed so far.
    passed: u64,
    /// Whether it stopped at its limit.
    hit: bool,
}

impl<R> Capped<R> {
    fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            passed: 0,
            hit: false,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte past the limit is enough to know it is passed.
        let want = buf
            .len()
            .min(usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.hit = true;
            return Err(std::io::Error::other(CAPPED));
        }
        self.left -= n as u64;
        self.passed += n as u64;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------
// Positions

/// Passes bytes through while noting where lines end, so that the byte offsets quick-xml
/// reports (which only grow) can be turned into lines and columns.
struct Lines<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Offsets of the newlines not yet passed by a query, counted after any byte order mark
    /// (quick-xml skips it uncounted).
    pending: VecDeque<u64>,
    /// Newlines passed, and the offset of the last of them.
    passed: u64,
    last_newline: Option<u64>,
    /// 3 once a byte order mark was read at the start.
    bom: u64,
    /// Bytes since the last `<` or `>` (see [`MAX_RUN`]).
    run: u64,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            offset: 0,
            pending: VecDeque::new(),
            passed: 0,
            last_newline: None,
            bom: 0,
            run: 0,
        }
    }

    /// 1-based line and byte column of quick-xml's byte offset `pos`; offsets are asked for
    /// in increasing order.
    fn at(&mut self, pos: u64) -> (u64, u64) {
        while let Some(&newline) = self.pending.front().filter(|&&p| p < pos) {
            self.pending.pop_front();
            self.passed += 1;
            self.last_newline = Some(newline);
        }
        let column = match self.last_newline {
            Some(newline) => pos.saturating_sub(newline).max(1),
            None => pos + 1,
        };
        (self.passed + 1, column)
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n.min(buf.len())];
        if self.offset == 0 && read.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.bom = 3;
        }
        for (i, &b) in read.iter().enumerate() {
            match b {
                b'\n' => self
                    .pending
                    .push_back((self.offset + i as u64).saturating_sub(self.bom)),
                b'<' | b'>' => self.run = 0,
                _ => {}
            }
            self.run += 1;
            if self.run > MAX_RUN {
                return Err(std::io::Error::other(format!(
                    "more than {} MB of text or of one tag without markup",
                    MAX_RUN >> 20
                )));
            }
        }
        self.offset += read.len() as u64;
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------
// Element trees

/// An element read inside a placemark or style: local name, attributes, text, children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
    line: u64,
    column: u64,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text of a child element, trimmed; `None` when absent or empty.
    fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    fn place(&self) -> Place {
        Place::at(self.line, self.column)
    }
}

/// What went wrong with a placemark, and where.
struct Bad {
    place: Place,
    message: String,
}

impl Bad {
    fn new(node: &Node, message: impl Into<String>) -> Self {
        Self {
            place: node.place(),
            message: message.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Styles

/// A KML colour as simplestyle: `#rrggbb` and an opacity.
#[derive(Clone, Debug, PartialEq)]
struct Color {
    rgb: String,
    opacity: f64,
}

/// Parses KML's `aabbggrr` hex (an optional leading `#` is allowed).
fn parse_color(text: &str) -> Option<Color> {
    let hex = text.trim().trim_start_matches('#');
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    let (a, b, g, r) = (byte(0)?, byte(2)?, byte(4)?, byte(6)?);
    Some(Color {
        rgb: format!("#{r:02x}{g:02x}{b:02x}"),
        opacity: (f64::from(a) / 255.0 * 1000.0).round() / 1000.0,
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "1" | "true" => Some(true),
        "0" | "false" => Some(false),
        _ => None,
    }
}

/// The parts of a KML `Style` that become simplestyle properties.
#[derive(Clone, Debug, Default, PartialEq)]
struct StyleDef {
    line_color: Option<Color>,
    line_width: Option<f64>,
    poly_color: Option<Color>,
    fill: Option<bool>,
    outline: Option<bool>,
    icon_color: Option<Color>,
}

impl StyleDef {
    fn from_node(style: &Node) -> Self {
        let line = style.child("LineStyle");
        let poly = style.child("PolyStyle");
        let icon = style.child("IconStyle");
        Self {
            line_color: line
                .and_then(|n| n.child_text("color"))
                .and_then(parse_color),
            line_width: line
                .and_then(|n| n.child_text("width"))
                .and_then(|w| w.parse::<f64>().ok())
                .filter(|w| w.is_finite() && *w >= 0.0),
            poly_color: poly
                .and_then(|n| n.child_text("color"))
                .and_then(parse_color),
            fill: poly.and_then(|n| n.child_text("fill")).and_then(parse_bool),
            outline: poly
                .and_then(|n| n.child_text("outline"))
                .and_then(parse_bool),
            icon_color: icon
                .and_then(|n| n.child_text("color"))
                .and_then(parse_color),
        }
    }

    /// This style with the values `other` sets put over it.
    fn overlaid(mut self, other: &StyleDef) -> Self {
        macro_rules! over {
            ($($field:ident),*) => {$(
                if other.$field.is_some() {
                    self.$field = other.$field.clone();
                }
            )*};
        }
        over!(
            line_color, line_width, poly_color, fill, outline, icon_color
        );
        self
    }

    /// Adds the simplestyle properties this style gives, keeping any already present.
    fn apply(&self, props: &mut Map<String, Value>, polygonal: bool) {
        let mut out: Vec<(&str, Value)> = Vec::new();
        if let Some(c) = &self.line_color {
            out.push(("stroke", Value::from(c.rgb.clone())));
            out.push(("stroke-opacity", Value::from(c.opacity)));
        }
        if let Some(w) = self.line_width {
            out.push(("stroke-width", Value::from(w)));
        }
        if polygonal && self.outline == Some(false) {
            out.retain(|(k, _)| *k != "stroke-opacity");
            out.push(("stroke-opacity", Value::from(0.0)));
        }
        if let Some(c) = &self.poly_color {
            out.push(("fill", Value::from(c.rgb.clone())));
            out.push(("fill-opacity", Value::from(c.opacity)));
        }
        if self.fill == Some(false) {
            out.retain(|(k, _)| *k != "fill-opacity");
            out.push(("fill-opacity", Value::from(0.0)));
        }
        if let Some(c) = &self.icon_color {
            out.push(("marker-color", Value::from(c.rgb.clone())));
        }
        for (key, value) in out {
            insert_absent(props, key, value);
        }
    }
}

/// A shared style by id: a `Style`, or a `StyleMap` whose normal style is a URL or inline.
#[derive(Debug)]
enum StyleEntry {
    Style(StyleDef),
    Map {
        url: Option<String>,
        inline: Option<StyleDef>,
    },
}

/// The id a `styleUrl` points to: its fragment (`#id`, `doc.kml#id`), or the whole text.
fn style_id(url: &str) -> &str {
    let url = url.trim();
    match url.rsplit_once('#') {
        Some((_, id)) => id,
        None => url,
    }
}

fn resolve_style(styles: &HashMap<String, StyleEntry>, url: &str) -> Option<StyleDef> {
    let mut id = style_id(url).to_string();
    for _ in 0..MAX_STYLE_HOPS {
        match styles.get(&id)? {
            StyleEntry::Style(s) => return Some(s.clone()),
            StyleEntry::Map { url, inline } => {
                if let Some(s) = inline {
                    return Some(s.clone());
                }
                id = style_id(url.as_deref()?).to_string();
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------
// Geometry

/// Reads a `<coordinates>` text: `lon,lat[,alt]` tuples separated by whitespace (spaces
/// next to a comma are tolerated).
fn parse_coordinates(text: &str) -> Result<Vec<Coord<f64>>, String> {
    // Join the pieces of a tuple that spaces around its commas split apart.
    let mut tuples: Vec<String> = Vec::new();
    for token in text.split_whitespace() {
        match tuples.last_mut() {
            Some(last) if last.ends_with(',') || token.starts_with(',') => last.push_str(token),
            _ => tuples.push(token.to_string()),
        }
    }
    let mut coords = Vec::with_capacity(tuples.len());
    for tuple in &tuples {
        let parts: Vec<&str> = tuple.trim_end_matches(',').split(',').collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err(format!(
                "coordinate tuple \"{}\" is not lon,lat[,alt]",
                common::shorten(tuple, 40)
            ));
        }
        let number = |s: &str| -> Result<f64, String> {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    format!(
                        "\"{}\" in coordinate tuple \"{}\" is not a number",
                        common::shorten(s, 20),
                        common::shorten(tuple, 40)
                    )
                })
        };
        let (x, y) = (number(parts[0])?, number(parts[1])?);
        if let Some(alt) = parts.get(2) {
            number(alt)?;
        }
        if !(-180.0..=180.0).contains(&x) {
            return Err(format!("longitude {x} is outside -180..180"));
        }
        if !(-90.0..=90.0).contains(&y) {
            return Err(format!("latitude {y} is outside -90..90"));
        }
        coords.push(Coord { x, y });
    }
    Ok(coords)
}

/// Warnings about one placemark: where, and what.
type Warnings = Vec<(Place, String)>;

/// The positions of a geometry element's `<coordinates>`; `Ok(None)` when they hold only
/// whitespace (the caller says what is left out, with the place of [`coordinates_place`]).
fn coordinates_of(node: &Node) -> Result<Option<Vec<Coord<f64>>>, Bad> {
    let coords = node
        .child("coordinates")
        .ok_or_else(|| Bad::new(node, format!("the {} has no <coordinates>", node.name)))?;
    if coords.text.trim().is_empty() {
        return Ok(None);
    }
    parse_coordinates(&coords.text)
        .map(Some)
        .map_err(|m| Bad::new(coords, m))
}

/// Where the `<coordinates>` of a geometry element are (the element itself without them).
fn coordinates_place(node: &Node) -> Place {
    node.child("coordinates").unwrap_or(node).place()
}

/// The warning for a geometry element whose `<coordinates>` are empty.
fn empty_coordinates(node: &Node, warnings: &mut Warnings) {
    warnings.push((
        coordinates_place(node),
        format!("the {} has empty <coordinates>: it is left out", node.name),
    ));
}

/// A closed ring; `Ok(None)` when its `<coordinates>` are empty (no warning: the caller
/// says what is left out).
fn linear_ring(node: &Node) -> Result<Option<LineString<f64>>, Bad> {
    let Some(mut coords) = coordinates_of(node)? else {
        return Ok(None);
    };
    if let (Some(first), Some(last)) = (coords.first().copied(), coords.last())
        && first != *last
    {
        coords.push(first);
    }
    if coords.len() < 4 {
        let at = node.child("coordinates").unwrap_or(node);
        return Err(Bad::new(
            at,
            format!(
                "a LinearRing needs at least 3 distinct positions, found {}",
                coords.len().saturating_sub(1)
            ),
        ));
    }
    Ok(Some(LineString::new(coords)))
}

/// A polygon; `Ok(None)`, with a warning, when its outer ring's `<coordinates>` are empty.
/// An inner ring with empty `<coordinates>` is left out with a warning.
fn polygon(node: &Node, warnings: &mut Warnings) -> Result<Option<Polygon<f64>>, Bad> {
    let outer = node
        .child("outerBoundaryIs")
        .ok_or_else(|| Bad::new(node, "the Polygon has no <outerBoundaryIs>"))?;
    let mut outer_rings = outer.children_named("LinearRing");
    let ring = outer_rings
        .next()
        .ok_or_else(|| Bad::new(outer, "the outerBoundaryIs has no <LinearRing>".to_string()))?;
    for extra in outer_rings {
        warnings.push((
            extra.place(),
            "a second LinearRing in the outerBoundaryIs is left out (a Polygon has one outer \
             ring)"
                .into(),
        ));
    }
    let Some(exterior) = linear_ring(ring)? else {
        warnings.push((
            coordinates_place(ring),
            "the Polygon's outer LinearRing has empty <coordinates>: the Polygon is left out"
                .into(),
        ));
        return Ok(None);
    };
    let mut interiors = Vec::new();
    for inner in node.children_named("innerBoundaryIs") {
        // KML 2.2 allows several LinearRings in one innerBoundaryIs.
        let rings: Vec<&Node> = inner.children_named("LinearRing").collect();
        if rings.is_empty() {
            return Err(Bad::new(inner, "the innerBoundaryIs has no <LinearRing>"));
        }
        for ring in rings {
            match linear_ring(ring)? {
                Some(r) => interiors.push(r),
                None => warnings.push((
                    coordinates_place(ring),
                    "an inner LinearRing has empty <coordinates>: the hole is left out".into(),
                )),
            }
        }
    }
    Ok(Some(Polygon::new(exterior, interiors)))
}

/// Times of a track: its first and last `<when>`, as written.
type TrackTimes = Option<(String, String)>;

/// A track as a line (a point for one position); `Ok(None)`, with a warning, when it has no
/// `gx:coord`.
fn track(
    node: &Node,
    times: &mut TrackTimes,
    warnings: &mut Warnings,
) -> Result<Option<Geometry<f64>>, Bad> {
    let mut coords = Vec::new();
    for c in node.children_named("coord") {
        let parts: Vec<&str> = c.text.split_whitespace().collect();
        if parts.len() < 2 || parts.len() > 3 {
            return Err(Bad::new(c, "a gx:coord needs \"lon lat [alt]\""));
        }
        let tuple = parts.join(",");
        let parsed = parse_coordinates(&tuple).map_err(|m| Bad::new(c, m))?;
        coords.extend(parsed);
    }
    let whens: Vec<&str> = node
        .children_named("when")
        .map(|w| w.text.trim())
        .filter(|w| !w.is_empty())
        .collect();
    if let (Some(first), Some(last)) = (whens.first(), whens.last()) {
        match times {
            Some((_, end)) => *end = last.to_string(),
            None => *times = Some((first.to_string(), last.to_string())),
        }
    }
    Ok(match coords.len() {
        0 => {
            warnings.push((
                node.place(),
                "the gx:Track has no <gx:coord>: it is left out".into(),
            ));
            None
        }
        1 => Some(Geometry::Point(Point(coords[0]))),
        _ => Some(Geometry::LineString(LineString::new(coords))),
    })
}

/// Names of the elements that are geometry. `MultiPoint`, `MultiLineString` and
/// `MultiPolygon` are not KML 2.2, but real tools write them (GDAL reads them).
const GEOMETRY_ELEMENTS: [&str; 11] = [
    "Point",
    "LineString",
    "LinearRing",
    "Polygon",
    "MultiGeometry",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "Track",
    "MultiTrack",
    "Model",
];

/// GML-style wrappers of the parts of a multi geometry (`<polygonMember><Polygon>…`).
const MEMBER_ELEMENTS: [&str; 8] = [
    "pointMember",
    "pointMembers",
    "lineStringMember",
    "lineStringMembers",
    "polygonMember",
    "polygonMembers",
    "geometryMember",
    "geometryMembers",
];

/// Whether an element holds positions somewhere inside: an element that does and is not
/// read as geometry is a geometry dropped, which is said.
fn has_positions(node: &Node) -> bool {
    matches!(
        node.name.as_str(),
        "coordinates" | "coord" | "pos" | "posList"
    ) || node.children.iter().any(has_positions)
}

/// The warning for an element that holds positions but is no geometry this reader knows.
fn not_geometry(node: &Node, within: &str, warnings: &mut Warnings) {
    warnings.push((
        node.place(),
        format!(
            "<{}> in the {within} holds positions but is not a KML geometry: it is left out",
            node.name
        ),
    ));
}

/// Reads a geometry element; `Ok(None)` for one that has nothing to draw, always with a
/// warning saying so.
fn geometry(
    node: &Node,
    times: &mut TrackTimes,
    warnings: &mut Warnings,
) -> Result<Option<Geometry<f64>>, Bad> {
    Ok(Some(match node.name.as_str() {
        "Point" => {
            let Some(coords) = coordinates_of(node)? else {
                empty_coordinates(node, warnings);
                return Ok(None);
            };
            match coords.as_slice() {
                [c] => Geometry::Point(Point(*c)),
                _ => {
                    let at = node.child("coordinates").unwrap_or(node);
                    return Err(Bad::new(
                        at,
                        format!("a Point needs one position, found {}", coords.len()),
                    ));
                }
            }
        }
        "LineString" => {
            let Some(coords) = coordinates_of(node)? else {
                empty_coordinates(node, warnings);
                return Ok(None);
            };
            if coords.len() < 2 {
                let at = node.child("coordinates").unwrap_or(node);
                return Err(Bad::new(
                    at,
                    format!(
                        "a LineString needs at least 2 positions, found {}",
                        coords.len()
                    ),
                ));
            }
            Geometry::LineString(LineString::new(coords))
        }
        "LinearRing" => match linear_ring(node)? {
            Some(ring) => Geometry::LineString(ring),
            None => {
                empty_coordinates(node, warnings);
                return Ok(None);
            }
        },
        "Polygon" => return Ok(polygon(node, warnings)?.map(Geometry::Polygon)),
        "Track" => return track(node, times, warnings),
        "MultiTrack" => {
            let mut parts = Vec::new();
            for t in node.children_named("Track") {
                parts.extend(track(t, times, warnings)?);
            }
            return Ok(parts_of(node, parts, warnings));
        }
        "MultiGeometry" | "MultiPoint" | "MultiLineString" | "MultiPolygon" => {
            let mut parts = Vec::new();
            for child in &node.children {
                let name = child.name.as_str();
                if MEMBER_ELEMENTS.contains(&name) {
                    for member in &child.children {
                        if GEOMETRY_ELEMENTS.contains(&member.name.as_str()) {
                            parts.extend(geometry(member, times, warnings)?);
                        } else if has_positions(member) {
                            not_geometry(member, &node.name, warnings);
                        }
                    }
                } else if GEOMETRY_ELEMENTS.contains(&name) {
                    parts.extend(geometry(child, times, warnings)?);
                } else if has_positions(child) {
                    not_geometry(child, &node.name, warnings);
                }
            }
            return Ok(parts_of(node, parts, warnings));
        }
        "Model" => {
            warnings.push((node.place(), "3D Model not shown".into()));
            return Ok(None);
        }
        other => {
            warnings.push((
                node.place(),
                format!("<{other}> is not a geometry this reader knows: it is left out"),
            ));
            return Ok(None);
        }
    }))
}

/// The parts of a multi geometry element as one geometry, or `None` with a warning when it
/// has none left.
fn parts_of(
    node: &Node,
    parts: Vec<Geometry<f64>>,
    warnings: &mut Warnings,
) -> Option<Geometry<f64>> {
    let combined = combine(parts);
    if combined.is_none() {
        warnings.push((
            node.place(),
            format!("the {} has no parts to draw: no geometry", node.name),
        ));
    }
    combined
}

/// Parts of a MultiGeometry as one geometry: a Multi* when all are of one simple type.
fn combine(parts: Vec<Geometry<f64>>) -> Option<Geometry<f64>> {
    if parts.is_empty() {
        return None;
    }
    if parts.iter().all(|g| matches!(g, Geometry::Point(_))) {
        let points = parts
            .into_iter()
            .filter_map(|g| match g {
                Geometry::Point(p) => Some(p),
                _ => None,
            })
            .collect();
        return Some(Geometry::MultiPoint(MultiPoint(points)));
    }
    if parts.iter().all(|g| matches!(g, Geometry::LineString(_))) {
        let lines = parts
            .into_iter()
            .filter_map(|g| match g {
                Geometry::LineString(l) => Some(l),
                _ => None,
            })
            .collect();
        return Some(Geometry::MultiLineString(MultiLineString(lines)));
    }
    if parts.iter().all(|g| matches!(g, Geometry::Polygon(_))) {
        let polygons = parts
            .into_iter()
            .filter_map(|g| match g {
                Geometry::Polygon(p) => Some(p),
                _ => None,
            })
            .collect();
        return Some(Geometry::MultiPolygon(MultiPolygon(polygons)));
    }
    Some(Geometry::GeometryCollection(GeometryCollection(parts)))
}

fn is_polygonal(geometry: Option<&Geometry<f64>>) -> bool {
    match geometry {
        Some(Geometry::Polygon(_) | Geometry::MultiPolygon(_)) => true,
        Some(Geometry::GeometryCollection(gc)) => gc.0.iter().any(|g| is_polygonal(Some(g))),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Times

/// A KML time as TimeReader reads it: a year or a year-month becomes its first day (its last
/// for an end), with the precision it had.
fn expand_time(text: &str, end: bool) -> (String, Option<&'static str>) {
    let text = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if text.len() == 4 && digits(text) {
        let day = if end { "12-31" } else { "01-01" };
        return (format!("{text}-{day}"), Some("year"));
    }
    if let Some((y, m)) = text.split_once('-')
        && y.len() == 4
        && m.len() == 2
        && digits(y)
        && digits(m)
        && let (Ok(year), Ok(month)) = (y.parse::<i16>(), m.parse::<i8>())
        && let Ok(first) = jiff::civil::Date::new(year, month, 1)
    {
        let day = if end { first.last_of_month() } else { first };
        return (day.to_string(), Some("month"));
    }
    (text.to_string(), None)
}

/// Sets `key` to the KML time `text`, noting a coarser precision.
fn set_time(props: &mut Map<String, Value>, key: &str, text: &str, end: bool) {
    let (value, precision) = expand_time(text, end);
    props.insert(key.to_string(), Value::String(value));
    if let Some(p) = precision {
        insert_absent(props, "time_precision", Value::from(p));
    }
}

// ---------------------------------------------------------------------------------------
// Placemarks

/// A placemark read, waiting for the styles (which may come later in the file).
struct Pending {
    index: usize,
    line: u64,
    column: u64,
    id: Option<String>,
    geometry: Option<Geometry<f64>>,
    props: Map<String, Value>,
    style_url: Option<String>,
    inline_style: Option<StyleDef>,
    warnings: Warnings,
    /// The KMZ member it was read from, when not the main document.
    member: Option<Rc<str>>,
}

/// A value of ExtendedData: JSON arrays and objects parsed, numbers as numbers, else text.
fn data_value(text: &str) -> Value {
    let trimmed = text.trim();
    if (trimmed.starts_with('[') || trimmed.starts_with('{'))
        && let Ok(value) = serde_json::from_str::<Value>(trimmed)
    {
        return value;
    }
    json_scalar(text)
}

fn read_placemark(node: &Node, index: usize, folders: &[String]) -> Result<Pending, Bad> {
    let mut props = Map::new();
    if let Some(name) = node.child_text("name") {
        props.insert("name".into(), Value::from(name));
    }
    if let Some(description) = node.child_text("description") {
        props.insert("description".into(), Value::from(description));
    }
    if let Some(extended) = node.child("ExtendedData") {
        for data in extended.children_named("Data") {
            if let Some(key) = data.attr("name").filter(|k| !k.is_empty()) {
                let text = data.child("value").map_or("", |v| v.text.as_str());
                insert_absent(&mut props, key, data_value(text));
            }
        }
        for schema in extended.children_named("SchemaData") {
            for data in schema.children_named("SimpleData") {
                if let Some(key) = data.attr("name").filter(|k| !k.is_empty()) {
                    insert_absent(&mut props, key, data_value(&data.text));
                }
            }
        }
    }
    if !folders.is_empty() {
        insert_absent(&mut props, "folder", Value::from(folders.join(" / ")));
    }
    let mut has_time = false;
    if let Some(stamp) = node.child("TimeStamp")
        && let Some(when) = stamp.child_text("when")
    {
        set_time(&mut props, "timestamp", when, false);
        has_time = true;
    }
    if let Some(span) = node.child("TimeSpan") {
        if let Some(begin) = span.child_text("begin") {
            set_time(&mut props, "begin", begin, false);
            has_time = true;
        }
        if let Some(end) = span.child_text("end") {
            set_time(&mut props, "end", end, true);
            has_time = true;
        }
    }
    let mut warnings = Vec::new();
    let mut times: TrackTimes = None;
    let mut geometry_node = None;
    for child in &node.children {
        if GEOMETRY_ELEMENTS.contains(&child.name.as_str()) {
            if geometry_node.is_some() {
                warnings.push((
                    child.place(),
                    format!(
                        "a second geometry <{}> in the Placemark ignored",
                        child.name
                    ),
                ));
            } else {
                geometry_node = Some(child);
            }
        } else if has_positions(child) {
            not_geometry(child, "Placemark", &mut warnings);
        }
    }
    let geometry = match geometry_node {
        Some(g) => geometry(g, &mut times, &mut warnings)?,
        None => None,
    };
    if !has_time && let Some((first, last)) = times {
        set_time(&mut props, "begin", &first, false);
        set_time(&mut props, "end", &last, true);
    }
    Ok(Pending {
        index,
        line: node.line,
        column: node.column,
        id: node.attr("id").map(str::to_string),
        geometry,
        props,
        style_url: node.child_text("styleUrl").map(str::to_string),
        inline_style: node.child("Style").map(StyleDef::from_node),
        warnings,
        member: None,
    })
}

// ---------------------------------------------------------------------------------------
// The streaming parser

/// Something found in file order: a problem, or a placemark to finish.
enum Item {
    Problem(Place, Severity, String),
    Placemark(Box<Pending>),
}

/// An element open outside the collected trees.
struct Open {
    name: String,
    line: u64,
}

struct State {
    items: Vec<Item>,
    styles: HashMap<String, StyleEntry>,
    outer: Vec<Open>,
    folders: Vec<Option<String>>,
    /// The tree being collected, innermost element last.
    capture: Vec<Node>,
    /// Elements open below `MAX_DEPTH` inside the collected tree, which are dropped.
    overflow: usize,
    too_deep: bool,
    /// Elements open inside a `description`, kept as text.
    raw_depth: usize,
    placemarks: usize,
    doc_name: Option<String>,
    root_seen: bool,
    noted: Vec<&'static str>,
    /// The archive member being read, named in its problems (`None` for a KML file and for
    /// the main document of a KMZ).
    member: Option<Rc<str>>,
    /// Network links of the document being read, to follow (see `follow_links`).
    links: Vec<LinkRef>,
    /// Whether network links are collected to be followed (a KMZ), or each is a warning.
    follow_links: bool,
}

/// A network link found in a document: its `href`, and where.
struct LinkRef {
    href: String,
    place: Place,
}

impl State {
    fn new() -> Self {
        Self {
            items: Vec::new(),
            styles: HashMap::new(),
            outer: Vec::new(),
            folders: Vec::new(),
            capture: Vec::new(),
            overflow: 0,
            too_deep: false,
            raw_depth: 0,
            placemarks: 0,
            doc_name: None,
            root_seen: false,
            noted: Vec::new(),
            member: None,
            links: Vec::new(),
            follow_links: false,
        }
    }

    /// Starts reading another document (a KMZ member a network link names) into the same
    /// layer: the placemark count, the styles and the items read so far are kept.
    fn begin_document(&mut self, member: Option<&str>) {
        self.outer.clear();
        self.folders.clear();
        self.capture.clear();
        self.overflow = 0;
        self.too_deep = false;
        self.raw_depth = 0;
        self.root_seen = false;
        self.links.clear();
        self.member = member.map(Rc::from);
    }

    /// Replaces the message of the last problem whose message contains `needle`, and drops
    /// its line and column; `false` when there is none.
    fn replace_problem(&mut self, needle: &str, message: &str) -> bool {
        for item in self.items.iter_mut().rev() {
            if let Item::Problem(place, _, text) = item
                && text.contains(needle)
            {
                *text = message.to_string();
                *place = Place {
                    line: None,
                    column: None,
                    ..*place
                };
                return true;
            }
        }
        false
    }

    /// Records a problem in file order; one in a linked KMZ member names the member.
    fn problem(&mut self, place: Place, severity: Severity, message: impl Into<String>) {
        let message = match &self.member {
            Some(member) => format!("in {member}: {}", message.into()),
            None => message.into(),
        };
        self.items.push(Item::Problem(place, severity, message));
    }

    /// Reads the whole document, stopping at the first XML error.
    fn parse<R: Read>(&mut self, reader: R) {
        let lines = Lines::new(reader);
        let mut xml = Reader::from_reader(BufReader::with_capacity(1 << 16, lines));
        let config = xml.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        let mut buf = Vec::new();
        loop {
            let pos = xml.buffer_position();
            buf.clear();
            let event = match xml.read_event_into(&mut buf) {
                Ok(event) => event,
                Err(e) => {
                    let at = xml.error_position();
                    let (line, column) = xml.get_mut().get_mut().at(at);
                    self.problem(
                        Place::at(line, column),
                        Severity::Error,
                        format!("malformed XML: {e}"),
                    );
                    return;
                }
            };
            let (line, column) = xml.get_mut().get_mut().at(pos);
            let result = match event {
                Event::Start(e) => self.start(&e, line, column),
                Event::End(e) => {
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    self.end(&name);
                    Ok(())
                }
                Event::Empty(_) => Ok(()),
                Event::Text(t) => {
                    let text = t
                        .xml10_content()
                        .map(Cow::into_owned)
                        .unwrap_or_else(|_| String::from_utf8_lossy(&t).into_owned());
                    self.text(&text, line, column)
                }
                Event::CData(t) => {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    self.text(&text, line, column)
                }
                Event::GeneralRef(r) => {
                    let text = resolve_reference(&r);
                    self.text(&text, line, column)
                }
                Event::Eof => {
                    let at = xml.buffer_position();
                    let (line, column) = xml.get_mut().get_mut().at(at);
                    self.eof(line, column);
                    return;
                }
                Event::Decl(d) => {
                    if let Some(Ok(encoding)) = d.encoding() {
                        let encoding = String::from_utf8_lossy(&encoding).to_ascii_lowercase();
                        if encoding != "utf-8" && encoding != "utf8" {
                            self.problem(
                                Place::at(line, column),
                                Severity::Warning,
                                format!(
                                    "the file declares encoding {encoding}: it is read as UTF-8, \
                                     so other characters may be garbled; convert it to UTF-8"
                                ),
                            );
                        }
                    }
                    Ok(())
                }
                Event::Comment(_) | Event::PI(_) | Event::DocType(_) => Ok(()),
            };
            if let Err(bad) = result {
                self.problem(bad.place, Severity::Error, bad.message);
                return;
            }
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, line: u64, column: u64) -> Result<(), Bad> {
        if !self.capture.is_empty() {
            if self.raw_depth > 0 || self.capture.last().is_some_and(|n| n.name == "description") {
                // HTML written unescaped inside a description: kept as text.
                self.raw_depth += 1;
                if let Some(node) = self.capture.last_mut() {
                    node.text.push('<');
                    node.text.push_str(&String::from_utf8_lossy(e));
                    node.text.push('>');
                }
            } else if self.capture.len() >= MAX_DEPTH || self.overflow > 0 {
                self.overflow += 1;
                self.too_deep = true;
            } else {
                self.capture.push(node_of(e, line, column));
            }
            return Ok(());
        }
        let name = local_name(e);
        if !self.root_seen {
            self.root_seen = true;
            if name != "kml" {
                self.problem(
                    Place::at(line, column),
                    Severity::Warning,
                    format!("the root element is <{name}>, not <kml>; read as KML anyway"),
                );
            }
        } else if self.outer.is_empty() {
            return Err(Bad {
                place: Place::at(line, column),
                message: format!("malformed XML: a second root element <{name}>"),
            });
        }
        let parent = self.outer.last().map(|o| o.name.as_str());
        let collect = matches!(
            name.as_str(),
            "Placemark" | "Style" | "StyleMap" | "NetworkLink"
        ) || (name == "name" && matches!(parent, Some("Folder" | "Document")));
        if collect {
            self.capture.push(node_of(e, line, column));
            return Ok(());
        }
        match name.as_str() {
            "Folder" => self.folders.push(None),
            "GroundOverlay" | "ScreenOverlay" | "PhotoOverlay" => {
                self.note_once(line, column, "overlay", "image overlays are not shown")
            }
            _ => {}
        }
        self.outer.push(Open { name, line });
        Ok(())
    }

    fn note_once(&mut self, line: u64, column: u64, key: &'static str, message: &str) {
        if !self.noted.contains(&key) {
            self.noted.push(key);
            self.problem(Place::at(line, column), Severity::Warning, message);
        }
    }

    fn end(&mut self, name: &str) {
        if self.raw_depth > 0 {
            self.raw_depth -= 1;
            if let Some(node) = self.capture.last_mut() {
                node.text.push_str("</");
                node.text.push_str(name);
                node.text.push('>');
            }
            return;
        }
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        if let Some(node) = self.capture.pop() {
            match self.capture.last_mut() {
                Some(parent) => parent.children.push(node),
                None => self.complete(node),
            }
            return;
        }
        if let Some(open) = self.outer.pop()
            && open.name == "Folder"
        {
            self.folders.pop();
        }
    }

    fn text(&mut self, text: &str, line: u64, column: u64) -> Result<(), Bad> {
        if let Some(node) = self.capture.last_mut() {
            node.text.push_str(text);
            return Ok(());
        }
        if self.outer.is_empty() && !text.trim().is_empty() {
            let what = if self.root_seen {
                "after the root element"
            } else {
                "before the first element: not an XML document?"
            };
            return Err(Bad {
                place: Place::at(line, column),
                message: format!(
                    "malformed XML: text \"{}\" {what}",
                    common::shorten(text.trim(), 20)
                ),
            });
        }
        Ok(())
    }

    fn eof(&mut self, line: u64, column: u64) {
        let open = self
            .capture
            .first()
            .map(|n| (n.name.clone(), n.line))
            .or_else(|| self.outer.last().map(|o| (o.name.clone(), o.line)));
        if let Some((name, opened)) = open {
            self.problem(
                Place::at(line, column),
                Severity::Error,
                format!(
                    "unexpected end of file (truncated?): <{name}> opened on line {opened} is not closed"
                ),
            );
        } else if !self.root_seen {
            self.problem(
                Place::at(1, 1),
                Severity::Error,
                "empty file: no KML elements",
            );
        }
    }

    /// A collected tree is complete: a placemark, a style or a folder's name.
    fn complete(&mut self, node: Node) {
        let too_deep = std::mem::take(&mut self.too_deep);
        match node.name.as_str() {
            "Placemark" => {
                let index = self.placemarks;
                self.placemarks += 1;
                for style in node
                    .children_named("Style")
                    .chain(node.children_named("StyleMap"))
                {
                    self.register_style(style);
                }
                if too_deep {
                    self.problem(
                        node.place().feature(index),
                        Severity::Error,
                        format!("elements nested deeper than {MAX_DEPTH}; feature skipped"),
                    );
                    return;
                }
                let folders: Vec<String> = self.folders.iter().flatten().cloned().collect();
                match read_placemark(&node, index, &folders) {
                    Ok(mut p) => {
                        p.member = self.member.clone();
                        self.items.push(Item::Placemark(Box::new(p)));
                    }
                    Err(bad) => self.problem(
                        bad.place.feature(index),
                        Severity::Error,
                        format!("{}; feature skipped", bad.message),
                    ),
                }
            }
            "Style" | "StyleMap" => self.register_style(&node),
            "NetworkLink" => self.network_link(&node),
            "name" => {
                let text = node.text.trim().to_string();
                match self.outer.last().map(|o| o.name.as_str()) {
                    Some("Folder") => {
                        if let Some(last) = self.folders.last_mut()
                            && !text.is_empty()
                        {
                            *last = Some(text);
                        }
                    }
                    Some("Document") if self.doc_name.is_none() && !text.is_empty() => {
                        self.doc_name = Some(text);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// A network link: kept to be followed in a KMZ, else a warning naming it.
    fn network_link(&mut self, node: &Node) {
        let link = node.child("Link").or_else(|| node.child("Url"));
        let href = link.and_then(|l| l.child("href"));
        match href
            .map(|h| (h, h.text.trim()))
            .filter(|(_, t)| !t.is_empty())
        {
            None => self.problem(
                node.place(),
                Severity::Warning,
                "a NetworkLink without <Link><href>: nothing to follow",
            ),
            Some((h, text)) if self.follow_links => self.links.push(LinkRef {
                href: text.to_string(),
                place: h.place(),
            }),
            Some((h, text)) => {
                let message = format!(
                    "network link to \"{}\" not followed: only links from a KMZ to the files \
                     inside it are read",
                    common::shorten(text, 100)
                );
                self.problem(h.place(), Severity::Warning, message);
            }
        }
    }

    fn register_style(&mut self, node: &Node) {
        let Some(id) = node.attr("id").filter(|id| !id.is_empty()) else {
            return;
        };
        let entry = if node.name == "StyleMap" {
            let normal = node
                .children_named("Pair")
                .find(|p| p.child_text("key") == Some("normal"));
            StyleEntry::Map {
                url: normal
                    .and_then(|p| p.child_text("styleUrl"))
                    .map(str::to_string),
                inline: normal
                    .and_then(|p| p.child("Style"))
                    .map(StyleDef::from_node),
            }
        } else {
            StyleEntry::Style(StyleDef::from_node(node))
        };
        self.styles.insert(id.to_string(), entry);
    }

    /// Puts everything read into the layer, in file order, styles resolved.
    fn finish(self, layer: &mut Layer, path: &Path, time: &TimeReader) {
        if let Some(name) = self.doc_name {
            layer.foreign.insert("name".into(), Value::from(name));
        }
        for item in self.items {
            match item {
                Item::Problem(place, severity, message) => {
                    common::push_problem(layer, path, severity, place, message)
                }
                Item::Placemark(p) => {
                    let p = *p;
                    let first_problem = layer.problems.len();
                    for (place, warning) in p.warnings {
                        common::push_problem(
                            layer,
                            path,
                            Severity::Warning,
                            place.feature(p.index),
                            warning,
                        );
                    }
                    let shared = p
                        .style_url
                        .as_deref()
                        .and_then(|url| resolve_style(&self.styles, url));
                    let style = match (shared, &p.inline_style) {
                        (Some(s), Some(inline)) => Some(s.overlaid(inline)),
                        (Some(s), None) => Some(s),
                        (None, inline) => inline.clone(),
                    };
                    let mut props = p.props;
                    if let Some(style) = style {
                        style.apply(&mut props, is_polygonal(p.geometry.as_ref()));
                    }
                    let feature = Feature {
                        given_id: p.id.map(Into::into),
                        shape: p.geometry.map(Shape::from),
                        properties: common::raw_properties(props),
                        span: None,
                        line: p.line,
                    };
                    common::push_feature(layer, path, time, feature, p.column, p.index);
                    if let Some(member) = &p.member {
                        for problem in &mut layer.problems[first_problem..] {
                            problem.message = format!("in {member}: {}", problem.message);
                        }
                    }
                }
            }
        }
    }
}

fn local_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// A tree node for a start tag: local name and attributes (by local name), no children yet.
fn node_of(e: &BytesStart<'_>, line: u64, column: u64) -> Node {
    let attrs = e
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(Cow::into_owned)
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (key, value)
        })
        .collect();
    Node {
        name: local_name(e),
        attrs,
        line,
        column,
        ..Node::default()
    }
}

/// The text an entity or character reference stands for; unknown ones are kept as written.
fn resolve_reference(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = String::from_utf8_lossy(r);
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(text) => text.to_string(),
        None => format!("&{name};"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn read(text: &str) -> Layer {
        read_kml(text.as_bytes(), Path::new("t.kml"), &TimeReader::default())
    }

    use crate::io::testutil::errors;

    fn doc(body: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\" xmlns:gx=\"http://www.google.com/kml/ext/2.2\">\n<Document>\n{body}\n</Document>\n</kml>\n"
        )
    }

    fn utc(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn every_geometry_type() {
        let layer = read(&doc(r#"
<Placemark><name>point</name><Point><coordinates>70.5,39.8,1200</coordinates></Point></Placemark>
<Placemark><name>line</name><LineString><coordinates>
    70.5,39.8 70.6,39.9
    70.7,40.0
</coordinates></LineString></Placemark>
<Placemark><name>polygon</name><Polygon>
  <outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></outerBoundaryIs>
  <innerBoundaryIs><LinearRing><coordinates>70.5,39.2 70.8,39.2 70.8,39.5 70.5,39.2</coordinates></LinearRing></innerBoundaryIs>
  <innerBoundaryIs><LinearRing><coordinates>70.1,39.1 70.2,39.1 70.2,39.15</coordinates></LinearRing></innerBoundaryIs>
</Polygon></Placemark>
<Placemark><name>points</name><MultiGeometry><Point><coordinates>70,39</coordinates></Point><Point><coordinates>71,40</coordinates></Point></MultiGeometry></Placemark>
<Placemark><name>lines</name><MultiGeometry><LineString><coordinates>70,39 71,40</coordinates></LineString><LineString><coordinates>70,40 71,39</coordinates></LineString></MultiGeometry></Placemark>
<Placemark><name>polygons</name><MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>
<Placemark><name>mixed</name><MultiGeometry><Point><coordinates>70,39</coordinates></Point><LineString><coordinates>70,39 71,40</coordinates></LineString><MultiGeometry><Point><coordinates>70,39</coordinates></Point></MultiGeometry></MultiGeometry></Placemark>
<Placemark><name>ring</name><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></Placemark>
<Placemark><name>track</name><gx:Track><when>2022-09-16T04:50:00Z</when><when>2022-09-16T05:10:00Z</when><gx:coord>70.5 39.8 0</gx:coord><gx:coord>70.6 39.9 0</gx:coord></gx:Track></Placemark>
<Placemark><name>no geometry</name></Placemark>
"#));
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
                "LineString",
                "Polygon",
                "MultiPoint",
                "MultiLineString",
                "MultiPolygon",
                "GeometryCollection",
                "LineString",
                "LineString",
                "null"
            ]
        );
        let geometry = layer.features[0].geometry();
        let Some(Geometry::Point(p)) = geometry.as_deref() else {
            panic!("point expected")
        };
        assert_eq!((p.x(), p.y()), (70.5, 39.8));
        let geometry = layer.features[1].geometry();
        let Some(Geometry::LineString(l)) = geometry.as_deref() else {
            panic!("line expected")
        };
        assert_eq!(l.0.len(), 3);
        let geometry = layer.features[2].geometry();
        let Some(Geometry::Polygon(poly)) = geometry.as_deref() else {
            panic!("polygon expected")
        };
        assert_eq!(poly.interiors().len(), 2);
        assert_eq!(poly.interiors()[1].0.len(), 4, "an open ring is closed");
        let geometry = layer.features[6].geometry();
        let Some(Geometry::GeometryCollection(gc)) = geometry.as_deref() else {
            panic!("collection expected")
        };
        assert_eq!(gc.0.len(), 3);
        assert!(matches!(gc.0[2], Geometry::MultiPoint(_)));
        let track = &layer.features[8];
        let span = track.span.expect("a track is dated by its whens");
        assert_eq!(span.start(), utc("2022-09-16T04:50:00Z"));
        assert_eq!(span.end(), utc("2022-09-16T05:10:00Z"));
        assert_eq!(layer.features[2].line, 10);
        assert_eq!(
            layer.features[0].property_text("name").as_deref(),
            Some("point")
        );
    }

    #[test]
    fn timestamp_and_timespan_become_spans() {
        let layer = read(&doc(r#"
<Placemark><TimeStamp><when>2022-09-16T04:50:00+05:00</when></TimeStamp><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><TimeSpan><begin>2022-09-14</begin><end>2022-09-17</end></TimeSpan><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><TimeStamp><when>2022</when></TimeStamp><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><TimeSpan><begin>2022-09</begin><end>2022-10</end></TimeSpan><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><TimeSpan><begin>2021-04-28T10:00:00</begin></TimeSpan><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><TimeStamp><when>soon</when></TimeStamp><Point><coordinates>70,39</coordinates></Point></Placemark>
"#));
        let spans: Vec<_> = layer.features.iter().map(|f| f.span).collect();
        let s0 = spans[0].expect("timestamp");
        assert_eq!(s0.start(), utc("2022-09-15T23:50:00Z"));
        assert_eq!(s0.start(), s0.end());
        let s1 = spans[1].expect("timespan");
        assert_eq!(s1.start(), utc("2022-09-14T00:00:00Z"));
        assert!(s1.end() > utc("2022-09-17T23:59:59Z") && s1.end() < utc("2022-09-18T00:00:00Z"));
        let s2 = spans[2].expect("year");
        assert_eq!(s2.start(), utc("2022-01-01T00:00:00Z"));
        assert_eq!(
            layer.features[2].property_text("time_precision").as_deref(),
            Some("year")
        );
        let s3 = spans[3].expect("months");
        assert_eq!(s3.start(), utc("2022-09-01T00:00:00Z"));
        assert!(s3.end() > utc("2022-10-31T23:59:59Z") && s3.end() < utc("2022-11-01T00:00:00Z"));
        assert_eq!(
            spans[4].expect("open end").start(),
            utc("2021-04-28T10:00:00Z")
        );
        assert_eq!(spans[5], None);
        assert_eq!(
            layer.time_source.fields,
            vec![
                ("timestamp".to_string(), 2),
                ("begin/end".to_string(), 2),
                ("begin".to_string(), 1)
            ]
        );
        assert_eq!(layer.time_source.without_offset, 6);
        let warnings: Vec<String> = layer.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("warning: feature 6: cannot read time \"soon\""),
            "{warnings:?}"
        );
    }

    #[test]
    fn styles_become_simplestyle_properties() {
        let layer = read(&doc(r##"
<Placemark><name>before its style</name><styleUrl>#line</styleUrl><LineString><coordinates>70,39 71,40</coordinates></LineString></Placemark>
<Style id="line"><LineStyle><color>ff0000ff</color><width>3</width></LineStyle></Style>
<Style id="area-n"><LineStyle><color>80ff0000</color></LineStyle><PolyStyle><color>7f00ff00</color><outline>0</outline></PolyStyle></Style>
<Style id="area-h"><PolyStyle><color>ffffffff</color></PolyStyle></Style>
<StyleMap id="area"><Pair><key>normal</key><styleUrl>#area-n</styleUrl></Pair><Pair><key>highlight</key><styleUrl>#area-h</styleUrl></Pair></StyleMap>
<Style id="pin"><IconStyle><color>ff1400ff</color></IconStyle></Style>
<Placemark><styleUrl>#area</styleUrl><Polygon><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><styleUrl>#pin</styleUrl><Style><IconStyle><color>ff00ff00</color></IconStyle></Style><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><styleUrl>#line</styleUrl><ExtendedData><Data name="stroke"><value>#123456</value></Data></ExtendedData><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><styleUrl>#missing</styleUrl><Point><coordinates>70,39</coordinates></Point></Placemark>
"##));
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let p0 = layer.features[0].properties_map();
        assert_eq!(p0["stroke"], "#ff0000");
        assert_eq!(p0["stroke-opacity"], 1.0);
        assert_eq!(p0["stroke-width"], 3.0);
        let p1 = layer.features[1].properties_map();
        assert_eq!(p1["fill"], "#00ff00");
        assert_eq!(p1["fill-opacity"], 0.498);
        assert_eq!(p1["stroke"], "#0000ff");
        assert_eq!(p1["stroke-opacity"], 0.0, "outline 0 hides the outline");
        let p2 = layer.features[2].properties_map();
        assert_eq!(p2["marker-color"], "#00ff00", "the inline style wins");
        let p3 = layer.features[3].properties_map();
        assert_eq!(p3["stroke"], "#123456", "ExtendedData wins over the style");
        assert_eq!(p3["stroke-width"], 3.0);
        let p4 = layer.features[4].properties_map();
        assert!(!p4.contains_key("stroke"));
    }

    #[test]
    fn color_conversion() {
        let c = parse_color("7f1400ff").expect("color");
        assert_eq!(c.rgb, "#ff0014");
        assert_eq!(c.opacity, 0.498);
        assert_eq!(
            parse_color("#ff000000").map(|c| c.rgb),
            Some("#000000".into())
        );
        assert_eq!(parse_color("red"), None);
        assert_eq!(parse_color("ff00ff"), None);
        assert_eq!(parse_color("ffé0000"), None);
    }

    #[test]
    fn names_descriptions_extended_data_and_folders_are_kept() {
        let layer = read(&doc(r##"
<name>Border layer</name>
<Folder><name>Batken</name><Folder><name>2022</name>
<Placemark id="pm-1">
  <name>Kok-Tash &amp; Kulundu</name>
  <description><![CDATA[<p>Shelling of <b>Kok-Tash</b></p>]]></description>
  <ExtendedData>
    <Data name="killed"><displayName>Killed</displayName><value>12</value></Data>
    <Data name="code"><value>007</value></Data>
    <Data name="claims"><value>[{"by":"KG","killed":59}]</value></Data>
    <Data name="name"><value>not the name</value></Data>
    <SchemaData schemaUrl="#s"><SimpleData name="source">24.kg</SimpleData></SchemaData>
  </ExtendedData>
  <Point><coordinates>70.5,39.8</coordinates></Point>
</Placemark>
</Folder></Folder>
<Placemark><description>&lt;i&gt;escaped&lt;/i&gt; &#x41;&#66; &nbsp;</description><Point><coordinates>70,39</coordinates></Point></Placemark>
<Placemark><description>raw <b class="x">html</b> tail</description><Point><coordinates>70,39</coordinates></Point></Placemark>
"##));
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.foreign["name"], "Border layer");
        let f = &layer.features[0];
        assert_eq!(f.id(), Some("pm-1"));
        let p = f.properties_map();
        assert_eq!(p["name"], "Kok-Tash & Kulundu");
        assert_eq!(p["description"], "<p>Shelling of <b>Kok-Tash</b></p>");
        assert_eq!(p["killed"], 12);
        assert_eq!(p["code"], "007");
        assert_eq!(p["claims"][0]["killed"], 59);
        assert_eq!(p["source"], "24.kg");
        assert_eq!(p["folder"], "Batken / 2022");
        let p = layer.features[1].properties_map();
        assert_eq!(p["description"], "<i>escaped</i> AB &nbsp;");
        assert!(!p.contains_key("folder"));
        let p = layer.features[2].properties_map();
        assert_eq!(p["description"], "raw <b class=\"x\">html</b> tail");
    }

    #[test]
    fn bad_placemarks_are_skipped_and_the_rest_loads() {
        let good = "<Placemark><Point><coordinates>70,39</coordinates></Point></Placemark>";
        let cases = [
            (
                "<Point><coordinates>200,39</coordinates></Point>",
                "longitude 200",
            ),
            (
                "<Point><coordinates>70,-91</coordinates></Point>",
                "latitude -91",
            ),
            (
                "<Point><coordinates>70</coordinates></Point>",
                "not lon,lat[,alt]",
            ),
            (
                "<Point><coordinates>70,abc</coordinates></Point>",
                "\"abc\"",
            ),
            (
                "<Point><coordinates>1,2 3,4</coordinates></Point>",
                "one position, found 2",
            ),
            ("<Point></Point>", "has no <coordinates>"),
            (
                "<LineString><coordinates>70,39</coordinates></LineString>",
                "at least 2 positions",
            ),
            (
                "<Polygon><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 70,39</coordinates></LinearRing></outerBoundaryIs></Polygon>",
                "at least 3 distinct",
            ),
            ("<Polygon></Polygon>", "no <outerBoundaryIs>"),
            (
                "<gx:Track><gx:coord>70 95 0</gx:coord></gx:Track>",
                "latitude 95",
            ),
            (
                "<Point><coordinates>1,2,3,4</coordinates></Point>",
                "not lon,lat[,alt]",
            ),
            (
                "<Point><coordinates>NaN,2</coordinates></Point>",
                "not a number",
            ),
        ];
        for (geometry, expected) in cases {
            let text = doc(&format!(
                "{good}\n<Placemark>\n{geometry}</Placemark>\n{good}"
            ));
            let layer = read(&text);
            assert_eq!(layer.features.len(), 2, "{geometry}");
            let errs = errors(&layer);
            assert_eq!(errs.len(), 1, "{geometry}: {errs:?}");
            assert!(errs[0].contains(expected), "{geometry}: {errs:?}");
            assert!(errs[0].starts_with("t.kml:6:"), "{geometry}: {errs:?}");
            assert!(errs[0].contains("feature 2: "), "{errs:?}");
            assert!(errs[0].ends_with("; feature skipped"), "{errs:?}");
        }
    }

    #[test]
    fn spaces_around_commas_are_tolerated() {
        let layer = read(&doc(
            "<Placemark><LineString><coordinates>70.5, 39.8 ,100\n 70.6 ,39.9</coordinates></LineString></Placemark>",
        ));
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let geometry = layer.features[0].geometry();
        let Some(Geometry::LineString(l)) = geometry.as_deref() else {
            panic!("line expected")
        };
        assert_eq!(
            l.0,
            vec![Coord { x: 70.5, y: 39.8 }, Coord { x: 70.6, y: 39.9 }]
        );
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let text = "<kml>\n<Document>\n  <Placemark><Point><coordinates>70,39</coordinates></Point></Placemark>\n  <Placemark><name>x</nme></Placemark>\n</Document></kml>";
        let layer = read(text);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("t.kml:4:21: error: malformed XML"),
            "{errs:?}"
        );
        assert_eq!(
            layer.features.len(),
            1,
            "placemarks before the error are kept"
        );

        let errs = errors(&read("<kml>\n<Document>\n<Placemark></Document></kml>"));
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("t.kml:3:12: error: malformed XML"),
            "{errs:?}"
        );
        let errs = errors(&read(
            "<kml>\n<Document><!-- open comment\n</Document></kml>",
        ));
        assert!(
            errs[0].starts_with("t.kml:2:11: error: malformed XML"),
            "{errs:?}"
        );

        let errs = errors(&read("<kml>\n<Document><Placemark>"));
        assert!(errs[0].contains("truncated"), "{errs:?}");
        assert!(errs[0].contains("<Placemark> opened on line 2"), "{errs:?}");

        let errs = errors(&read("{\"type\":\"FeatureCollection\"}"));
        assert!(
            errs[0].starts_with("t.kml:1:1: error: malformed XML: text"),
            "{errs:?}"
        );
        assert!(errors(&read(""))[0].contains("empty file"));
        assert!(errors(&read("  \n "))[0].contains("empty file"));
        let errs = errors(&read("<kml></kml><kml></kml>"));
        assert!(errs[0].contains("second root"), "{errs:?}");
    }

    #[test]
    fn a_bom_is_not_counted_as_columns() {
        let text = "\u{feff}<kml><Placemark><Point><coordinates>700,39</coordinates></Point></Placemark></kml>";
        let errs = errors(&read(text));
        assert!(errs[0].starts_with("t.kml:1:24:"), "{errs:?}");
        let text = "\u{feff}<kml>\n<Placemark><Point>\n<coordinates>700,39</coordinates></Point></Placemark></kml>";
        let errs = errors(&read(text));
        assert!(errs[0].starts_with("t.kml:3:1:"), "{errs:?}");
    }

    #[test]
    fn other_roots_and_unsupported_elements_are_warnings() {
        let layer = read(
            "<Document><NetworkLink/><NetworkLink><Link><href>http://example.com/a.kml</href></Link></NetworkLink><GroundOverlay/><Placemark><Model/></Placemark></Document>",
        );
        assert!(!layer.has_errors(), "{:?}", layer.problems);
        let texts: Vec<String> = layer.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(texts.len(), 5, "{texts:?}");
        assert!(texts[0].contains("root element is <Document>"));
        assert!(texts[1].contains("NetworkLink without <Link><href>"));
        assert!(
            texts[2].contains("network link to \"http://example.com/a.kml\" not followed"),
            "{texts:?}"
        );
        assert!(texts[3].contains("overlays"));
        assert!(texts[4].contains("feature 1: 3D Model"));
        assert_eq!(layer.features.len(), 1);
    }

    #[test]
    fn other_encodings_are_named() {
        let text = b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<kml><Placemark><name>\xce\xf8</name></Placemark></kml>";
        let layer = read_kml(&text[..], Path::new("t.kml"), &TimeReader::default());
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.problems.len(), 1, "{:?}", layer.problems);
        assert!(
            layer.problems[0]
                .to_string()
                .starts_with("t.kml:1:1: warning: the file declares encoding windows-1251")
        );
        assert!(read(&doc("")).problems.is_empty(), "UTF-8 is not named");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!(
            "<kml><Placemark>{}{}</Placemark><Placemark><Point><coordinates>1,2</coordinates></Point></Placemark></kml>",
            "<MultiGeometry>".repeat(10_000),
            "</MultiGeometry>".repeat(10_000)
        );
        let layer = read(&deep);
        assert_eq!(errors(&layer).len(), 1, "{:?}", layer.problems);
        assert!(errors(&layer)[0].contains("nested deeper"));
        assert_eq!(layer.features.len(), 1);
        let outer = format!("{}<Placemark/>", "<Folder>".repeat(100_000));
        assert!(read(&outer).has_errors());
    }

    #[test]
    fn truncated_and_garbage_input_never_panics() {
        let full = doc(
            r##"<Style id="s"><LineStyle><color>ff0000ff</color></LineStyle></Style>
<Placemark id="a"><name>A &amp; B</name><styleUrl>#s</styleUrl><description><![CDATA[<b>x</b>]]></description>
<TimeSpan><begin>2022-09</begin></TimeSpan><ExtendedData><Data name="k"><value>1</value></Data></ExtendedData>
<MultiGeometry><Point><coordinates>70,39</coordinates></Point><Polygon><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>"##,
        );
        assert!(read(&full).problems.is_empty());
        for cut in 0..full.trim_end().len() {
            if full.is_char_boundary(cut) {
                let layer = read(&full[..cut]);
                assert!(
                    layer.features.is_empty() || cut > full.len() - 30,
                    "cut {cut}"
                );
                assert!(
                    layer.has_errors(),
                    "cut at {cut} read without error: {:?}",
                    &full[cut.saturating_sub(30)..cut]
                );
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let alphabet = b"<>/=\"' \n&;#![]-CDATAkmlPlacemarkPointcoordinates0123456789.,x";
        for _ in 0..300 {
            let len = (seed % 400) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let _ = read_kml(&bytes[..], Path::new("f.kml"), &TimeReader::default());
        }
        let mut bytes = full.clone().into_bytes();
        for i in (0..bytes.len()).step_by(7) {
            bytes[i] = 0xff;
            let _ = read_kml(&bytes[..], Path::new("f.kml"), &TimeReader::default());
        }
    }

    fn kmz(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn kmz_reads_doc_kml_or_the_first_kml() {
        let text = doc("<Placemark><Point><coordinates>70,39</coordinates></Point></Placemark>");
        let read_kmz_bytes = |bytes: Vec<u8>| {
            read_kmz(
                Cursor::new(bytes),
                Path::new("t.kmz"),
                &TimeReader::default(),
            )
        };
        let layer = read_kmz_bytes(kmz(&[("files/icon.png", "png"), ("doc.kml", &text)]));
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 1);
        let layer = read_kmz_bytes(kmz(&[("a/other.KML", &text)]));
        assert_eq!(layer.features.len(), 1);
        let layer = read_kmz_bytes(kmz(&[("readme.txt", "hi")]));
        assert!(errors(&layer)[0].contains("no .kml file"));
        let layer = read_kmz_bytes(b"not a zip".to_vec());
        assert!(
            errors(&layer)[0].contains("KMZ: not a readable zip"),
            "{:?}",
            layer.problems
        );
    }

    #[test]
    fn a_kmz_bomb_is_refused_before_it_is_inflated() {
        // 40 MB of spaces in a description deflate to about 40 kB: a thousand times.
        let padding = " ".repeat(40 << 20);
        let text = format!(
            "<kml><Document><Placemark><description>{padding}</description>\
             <Point><coordinates>70,40</coordinates></Point></Placemark></Document></kml>"
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("doc.kml", options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        drop(text);
        assert!(bytes.len() < 1 << 20, "{}", bytes.len());
        let started = std::time::Instant::now();
        let layer = read_kmz(
            Cursor::new(bytes),
            Path::new("bomb.kmz"),
            &TimeReader::default(),
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let e = errors(&layer);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].contains("bomb.kmz"), "names the file: {}", e[0]);
        assert!(e[0].contains("doc.kml"), "names the entry: {}", e[0]);
        assert!(e[0].contains("20 times"), "says the limit: {}", e[0]);
        assert!(layer.features.is_empty());
    }

    #[test]
    fn an_entry_whose_header_lies_stops_at_the_limit() {
        let mut capped = Capped::new(&[b'a'; 100][..], 60);
        let mut buf = [0u8; 40];
        assert_eq!(capped.read(&mut buf).unwrap(), 40);
        let err = capped.read(&mut buf).unwrap_err();
        assert!(err.to_string().contains(CAPPED));
        // Through the KML reader, the stop is an error, and nothing past it is read.
        let text = "<kml><Document><Placemark><name>a</name></Placemark>".to_string()
            + &"<Placemark><name>b</name></Placemark>".repeat(1000);
        let layer = read_kml(
            Capped::new(text.as_bytes(), 200),
            Path::new("t.kml"),
            &TimeReader::default(),
        );
        assert!(layer.features.len() < 10);
        assert!(errors(&layer).iter().any(|e| e.contains(CAPPED)));
    }

    #[test]
    fn an_absurdly_long_text_is_an_error_not_an_allocation() {
        let text = format!(
            "<kml><Document><Placemark><description>{}</description></Placemark></Document></kml>",
            "x".repeat((MAX_RUN + 10) as usize)
        );
        let layer = read_kml(
            text.as_bytes(),
            Path::new("long.kml"),
            &TimeReader::default(),
        );
        let e = errors(&layer);
        assert!(
            e.iter().any(|m| m.contains("MB of text or of one tag")),
            "{e:?}"
        );
    }

    fn warnings(layer: &Layer) -> Vec<String> {
        layer
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .map(|p| p.to_string())
            .collect()
    }

    fn kinds(layer: &Layer) -> Vec<&'static str> {
        layer
            .features
            .iter()
            .map(|f| {
                f.geometry()
                    .map_or("null", |g| crate::model::geometry_type_name(&g))
            })
            .collect()
    }

    #[test]
    fn multi_elements_outside_multigeometry_are_read() {
        let ring = |x: f64| {
            format!(
                "<Polygon><outerBoundaryIs><LinearRing><coordinates>{x},39 {},39 {},40 {x},39</coordinates></LinearRing></outerBoundaryIs></Polygon>",
                x + 1.0,
                x + 1.0
            )
        };
        let layer = read(&doc(&format!(
            r#"<Placemark><name>mp</name><MultiPolygon><polygonMember>{}</polygonMember>{}</MultiPolygon></Placemark>
<Placemark><name>ml</name><MultiLineString><LineString><coordinates>70,39 71,40</coordinates></LineString><lineStringMember><LineString><coordinates>70,40 71,39</coordinates></LineString></lineStringMember></MultiLineString></Placemark>
<Placemark><name>mpt</name><MultiPoint><Point><coordinates>70,39</coordinates></Point><pointMember><Point><coordinates>71,40</coordinates></Point></pointMember></MultiPoint></Placemark>
<Placemark><name>one</name><MultiPolygon>{}</MultiPolygon></Placemark>
<Placemark><name>nested</name><MultiGeometry><MultiPoint><Point><coordinates>70,39</coordinates></Point></MultiPoint><Point><coordinates>71,39</coordinates></Point></MultiGeometry></Placemark>"#,
            ring(70.0),
            ring(72.0),
            ring(74.0)
        )));
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(
            kinds(&layer),
            [
                "MultiPolygon",
                "MultiLineString",
                "MultiPoint",
                "MultiPolygon",
                "GeometryCollection"
            ]
        );
        let geometry = layer.features[0].geometry();
        let Some(Geometry::MultiPolygon(mp)) = geometry.as_deref() else {
            panic!("multipolygon expected")
        };
        assert_eq!(mp.0.len(), 2, "the member-wrapped and the bare polygon");
        assert_eq!(mp.0[1].exterior().0[0], Coord { x: 72.0, y: 39.0 });
        let geometry = layer.features[1].geometry();
        let Some(Geometry::MultiLineString(ml)) = geometry.as_deref() else {
            panic!("multilinestring expected")
        };
        assert_eq!(ml.0.len(), 2);
        let geometry = layer.features[2].geometry();
        let Some(Geometry::MultiPoint(points)) = geometry.as_deref() else {
            panic!("multipoint expected")
        };
        assert_eq!(
            points.0,
            vec![Point::new(70.0, 39.0), Point::new(71.0, 40.0)]
        );
    }

    #[test]
    fn whitespace_coordinates_keep_the_placemark_with_a_warning() {
        let layer = read(&doc(
            "<Placemark><name>kept</name><ExtendedData><Data name=\"k\"><value>7</value></Data></ExtendedData>\n<Point><coordinates>  \n\t </coordinates></Point></Placemark>\n\
             <Placemark><name>line</name><LineString><coordinates> </coordinates></LineString></Placemark>\n\
             <Placemark><name>polygon</name><Polygon><outerBoundaryIs><LinearRing><coordinates>\n</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n\
             <Placemark><name>part</name><MultiGeometry><Point><coordinates>70,39</coordinates></Point><Point><coordinates> </coordinates></Point></MultiGeometry></Placemark>\n\
             <Placemark><name>hole</name><Polygon><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></outerBoundaryIs><innerBoundaryIs><LinearRing><coordinates> </coordinates></LinearRing></innerBoundaryIs></Polygon></Placemark>",
        ));
        assert!(!layer.has_errors(), "{:?}", layer.problems);
        assert_eq!(
            kinds(&layer),
            ["null", "null", "null", "MultiPoint", "Polygon"]
        );
        let p = layer.features[0].properties_map();
        assert_eq!(p["name"], "kept");
        assert_eq!(p["k"], 7);
        let w = warnings(&layer);
        assert_eq!(w.len(), 5, "{w:?}");
        // The empty coordinates of the first and third hold a newline.
        assert!(
            w[0].starts_with("t.kml:5:8: warning: feature 1: the Point has empty <coordinates>"),
            "{w:?}"
        );
        assert!(
            w[1].starts_with("t.kml:7:") && w[1].contains("feature 2: the LineString"),
            "{w:?}"
        );
        assert!(
            w[2].starts_with("t.kml:8:") && w[2].contains("the Polygon is left out"),
            "{w:?}"
        );
        assert!(
            w[3].starts_with("t.kml:10:") && w[3].contains("feature 4: the Point"),
            "{w:?}"
        );
        assert!(
            w[4].starts_with("t.kml:11:") && w[4].contains("the hole is left out"),
            "{w:?}"
        );
    }

    #[test]
    fn no_geometry_is_dropped_without_a_warning() {
        let layer = read(&doc(
            "<Placemark><name>typo</name><Polygn><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing></outerBoundaryIs></Polygn></Placemark>\n\
             <Placemark><MultiGeometry><Point><coordinates>70,39</coordinates></Point><Curve><coordinates>70,39 71,40</coordinates></Curve></MultiGeometry></Placemark>\n\
             <Placemark><MultiGeometry></MultiGeometry></Placemark>\n\
             <Placemark><gx:Track><when>2022-01-01</when></gx:Track></Placemark>\n\
             <Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>70,39 71,39 71,40 70,39</coordinates></LinearRing><LinearRing><coordinates>72,39 73,39 73,40 72,39</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n\
             <Placemark><gx:MultiTrack></gx:MultiTrack></Placemark>\n\
             <Placemark><Point><coordinates>70,39</coordinates></Point><LineString><coordinates>70,39 71,40</coordinates></LineString></Placemark>",
        ));
        assert!(!layer.has_errors(), "{:?}", layer.problems);
        assert_eq!(
            kinds(&layer),
            [
                "null",
                "MultiPoint",
                "null",
                "null",
                "Polygon",
                "null",
                "Point"
            ]
        );
        let w = warnings(&layer);
        let expected = [
            (
                4,
                "feature 1: <Polygn> in the Placemark holds positions but is not a KML geometry",
            ),
            (5, "feature 2: <Curve> in the MultiGeometry"),
            (6, "feature 3: the MultiGeometry has no parts"),
            (7, "feature 4: the gx:Track has no <gx:coord>"),
            (
                8,
                "feature 5: a second LinearRing in the outerBoundaryIs is left out",
            ),
            (9, "feature 6: the MultiTrack has no parts"),
            (
                10,
                "feature 7: a second geometry <LineString> in the Placemark ignored",
            ),
        ];
        assert_eq!(w.len(), expected.len(), "{w:?}");
        for (text, (line, what)) in w.iter().zip(expected) {
            assert!(
                text.starts_with(&format!("t.kml:{line}:")) && text.contains(what),
                "{what}: {w:?}"
            );
        }
    }

    #[test]
    fn hrefs_resolve_inside_the_archive_only() {
        assert_eq!(
            resolve_href("", "layers/events.kml").as_deref(),
            Ok("layers/events.kml")
        );
        assert_eq!(
            resolve_href("a/b", "./../c/d%20e.kml#x?y").as_deref(),
            Ok("a/c/d e.kml")
        );
        assert_eq!(resolve_href("a", "..\\f.kml").as_deref(), Ok("f.kml"));
        assert_eq!(
            resolve_href("", "%D0%9E%D1%88.kml").as_deref(),
            Ok("Ош.kml")
        );
        assert_eq!(resolve_href("", "100%.kml").as_deref(), Ok("100%.kml"));
        for (href, why) in [
            ("http://example.com/a.kml", "URL"),
            ("file:///tmp/a.kml", "URL"),
            ("/etc/a.kml", "absolute"),
            ("C:\\a.kml", "absolute"),
            ("../a.kml", "out of the archive"),
            ("", "no file"),
            ("#frag", "no file"),
        ] {
            let err = resolve_href("", href).unwrap_err();
            assert!(err.contains(why), "{href}: {err}");
        }
    }

    fn read_kmz_bytes(bytes: Vec<u8>) -> Layer {
        read_kmz(
            Cursor::new(bytes),
            Path::new("t.kmz"),
            &TimeReader::default(),
        )
    }

    fn link(href: &str) -> String {
        format!("<NetworkLink><Link><href>{href}</href></Link></NetworkLink>")
    }

    fn placemark(name: &str) -> String {
        format!(
            "<Placemark><name>{name}</name><Point><coordinates>70,39</coordinates></Point></Placemark>"
        )
    }

    #[test]
    fn kmz_network_links_inside_the_archive_are_followed() {
        let outside = [
            "http://example.com/x.kml",
            "/etc/x.kml",
            "C:\\x.kml",
            "missing.kml",
            "../out.kml",
            "files/icon.png",
            "doc.kml",
        ];
        let mut root = placemark("root") + &link("layers/a%20b.kml");
        for href in outside {
            root += &link(href);
        }
        let a = placemark("a") + &link("./../layers/c.kml#frag") + &link("c.kml");
        let c = format!(
            "{}\n<Placemark><Point><coordinates>200,39</coordinates></Point></Placemark>",
            placemark("c")
        );
        let layer = read_kmz_bytes(kmz(&[
            ("doc.kml", &doc(&root)),
            ("files/icon.png", "png"),
            ("layers/a b.kml", &doc(&a)),
            ("layers/c.kml", &doc(&c)),
        ]));
        let names: Vec<String> = layer
            .features
            .iter()
            .filter_map(|f| f.property_text("name"))
            .collect();
        assert_eq!(names, ["root", "a", "c"]);
        let e = errors(&layer);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("t.kmz:5:")
                && e[0].contains("feature 4: in layers/c.kml: longitude 200"),
            "{e:?}"
        );
        let w = warnings(&layer);
        assert_eq!(w.len(), outside.len() + 1, "{w:?}");
        for (text, href) in w.iter().zip(outside) {
            assert!(
                text.contains(&format!("network link to \"{href}\" not followed")),
                "{href}: {w:?}"
            );
        }
        assert!(w[5].contains("not a .kml file"), "{w:?}");
        assert!(w[6].contains("already read"), "{w:?}");
        assert!(
            w[7].contains("in layers/a b.kml: network link to \"c.kml\"")
                && w[7].contains("already read"),
            "{w:?}"
        );
    }

    #[test]
    fn kmz_links_stop_at_the_depth_limit() {
        let files: Vec<(String, String)> = (0..=MAX_LINK_DEPTH + 2)
            .map(|i| {
                let name = if i == 0 {
                    "doc.kml".to_string()
                } else {
                    format!("l{i}.kml")
                };
                let body = placemark(&format!("p{i}")) + &link(&format!("l{}.kml", i + 1));
                (name, doc(&body))
            })
            .collect();
        let entries: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let layer = read_kmz_bytes(kmz(&entries));
        assert_eq!(layer.features.len(), MAX_LINK_DEPTH + 1);
        let w = warnings(&layer);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains(&format!(
                "in l{MAX_LINK_DEPTH}.kml: network link to \"l9.kml\""
            )) && w[0].contains("8 deep at most"),
            "{w:?}"
        );
    }

    /// A KMZ of `entries`, each `(name, head, bytes of comments (at least), tail)`, deflated
    /// and written as a stream (the padding is never whole in memory).
    fn padded_kmz(entries: &[(&str, &str, usize, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let comment = b"<!-- padding, padding, padding -->\n";
        let chunk = comment.repeat((1 << 20) / comment.len());
        for (name, head, padding, tail) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(head.as_bytes()).unwrap();
            for _ in 0..padding.div_ceil(chunk.len()) {
                zip.write_all(&chunk).unwrap();
            }
            zip.write_all(tail.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// Makes every header of `zip` claim its entries inflate to 1000 bytes.
    fn lie_about_sizes(zip: &mut [u8]) {
        let mut i = 0;
        while i + 30 <= zip.len() {
            let at = match &zip[i..i + 4] {
                b"PK\x03\x04" => Some(i + 22),
                b"PK\x01\x02" => Some(i + 24),
                _ => None,
            };
            if let Some(at) = at {
                zip[at..at + 4].copy_from_slice(&1000u32.to_le_bytes());
            }
            i += 1;
        }
    }

    #[test]
    fn a_kmz_bomb_whose_headers_lie_is_cut_off_at_their_size() {
        // 300 MB of comments deflate to about 1 MB; the headers then say 1000 bytes.
        let head = format!("<kml><Document>{}", placemark("before"));
        let mut bytes = padded_kmz(&[("doc.kml", &head, 300 << 20, "</Document></kml>")]);
        lie_about_sizes(&mut bytes);
        assert!(bytes.len() < 2 << 20, "{}", bytes.len());
        let started = std::time::Instant::now();
        let layer = read_kmz(
            Cursor::new(bytes),
            Path::new("bomb.kmz"),
            &TimeReader::default(),
        );
        let elapsed = started.elapsed();
        assert!(elapsed < std::time::Duration::from_secs(2), "{elapsed:?}");
        let e = errors(&layer);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "bomb.kmz: error: KMZ: doc.kml inflates past the 1000 bytes its header declares"
            ),
            "{e:?}"
        );
        assert!(e[0].contains("possible zip bomb"), "{e:?}");
        // The first 64 kB read already passes the declared size: nothing is parsed.
        assert!(layer.features.is_empty());
    }

    #[test]
    fn the_inflate_limit_holds_across_linked_entries() {
        // Each entry inflates to 5 MB, under its own limit (8 MB); together they pass the
        // archive's (8 MB for a small archive).
        let head = format!("<kml><Document>{}{}", placemark("a"), link("b.kml"));
        let bytes = padded_kmz(&[
            ("doc.kml", &head, 5 << 20, "</Document></kml>"),
            (
                "b.kml",
                &format!("<kml><Document>{}", placemark("b")),
                5 << 20,
                "</Document></kml>",
            ),
        ]);
        assert!(bytes.len() < 100 << 10, "{}", bytes.len());
        let layer = read_kmz_bytes(bytes);
        let e = errors(&layer);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("KMZ: b.kml would inflate to more than 6.0 MB, past its limit of 2.0 MB"),
            "{e:?}"
        );
        assert!(e[0].contains("possible zip bomb"), "{e:?}");
        assert_eq!(layer.features.len(), 1);
    }

    #[test]
    fn gdal_kml_and_libkml_kmz_read_whole_and_dated() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = crate::io::ReadOptions::default();
        let original = crate::io::read_path(&root.join("assets/events.geojson"), &options)
            .expect("the bundled events");
        assert_eq!(original.features.len(), 32);
        for name in ["events-gdal.kml", "events-libkml.kmz"] {
            let layers =
                crate::io::read_layers(&root.join("tests/data").join(name), &options).expect(name);
            assert_eq!(layers.len(), 1, "{name}: one layer");
            let layer = &layers[0];
            assert_eq!(layer.part, None, "{name}");
            assert!(!layer.has_errors(), "{name}: {:?}", layer.problems);
            assert_eq!(layer.features.len(), 32, "{name}");
            assert_eq!(layer.dated_count(), 32, "{name}");
            for (read, orig) in layer.features.iter().zip(&original.features) {
                let id = orig.property_text("id");
                assert_eq!(read.property_text("id"), id, "{name}");
                assert_eq!(
                    read.span.map(|s| s.start()),
                    orig.span.map(|s| s.start()),
                    "{name} {id:?}"
                );
                let (ra, ob) = (read.geometry(), orig.geometry());
                let (Some(a), Some(b)) = (ra.as_deref(), ob.as_deref()) else {
                    panic!("{name} {id:?}: no geometry")
                };
                assert_eq!(
                    crate::model::geometry_type_name(a),
                    crate::model::geometry_type_name(b),
                    "{name} {id:?}"
                );
                use geo::CoordsIter;
                let (ca, cb): (Vec<_>, Vec<_>) =
                    (a.coords_iter().collect(), b.coords_iter().collect());
                assert_eq!(ca.len(), cb.len(), "{name} {id:?}");
                for (p, q) in ca.iter().zip(&cb) {
                    assert!(
                        (p.x - q.x).abs() < 1e-9 && (p.y - q.y).abs() < 1e-9,
                        "{name} {id:?}: {p:?} {q:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_kmz_of_too_many_entries_is_looked_at_in_part() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let text = doc(&placemark("p"));
        zip.start_file("doc.kml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        for i in 0..MAX_ENTRIES {
            zip.start_file(
                format!("f/{i}.png"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        }
        let layer = read_kmz_bytes(zip.finish().unwrap().into_inner());
        assert_eq!(layer.features.len(), 1);
        let w = warnings(&layer);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].contains(&format!(
                "{} entries; only the first {MAX_ENTRIES}",
                MAX_ENTRIES + 1
            )),
            "{w:?}"
        );
    }
}
