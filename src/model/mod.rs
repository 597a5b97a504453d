//! Pure data, no GUI types: layers of features with geometry, verbatim properties and time
//! spans, the problems found while reading them, events and their claims, the dataset of
//! loaded layers with their prepared geometry, and styles as plain RGBA.

pub mod boxtree;
pub mod claims;
pub mod dataset;
pub mod event;
pub mod filter;
pub mod geom;
pub mod packed;
pub mod prepared;
pub mod style;

pub use crate::time::TimeSpan;

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use geo::Geometry;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// An id given with a feature, behind one thin pointer: most features of big layers have
/// none (a table row's is read from its cells), and a feature is 8 bytes smaller for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenId(Box<Box<str>>);

impl std::ops::Deref for GivenId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<Box<str>> for GivenId {
    fn from(id: Box<str>) -> Self {
        Self(Box::new(id))
    }
}

impl From<String> for GivenId {
    fn from(id: String) -> Self {
        Self::from(id.into_boxed_str())
    }
}

impl From<&str> for GivenId {
    fn from(id: &str) -> Self {
        Self::from(Box::<str>::from(id))
    }
}

/// A feature's properties, kept compact until asked for: the JSON text as read, or the cells
/// of a table row (CSV), which become a JSON object only when someone reads them.
#[derive(Clone, Debug)]
pub enum Properties {
    /// A `properties` object, verbatim.
    Json(Box<RawValue>),
    /// A row of a table: its cells, and how cells become properties.
    Row(Row),
}

/// The cells of one table row, separated by [`Row::SEPARATOR`], with the table they belong to:
/// a slice of a text shared by the rows read together ([`share_rows`]), 16 bytes a row.
#[derive(Clone, Debug)]
pub struct Row {
    text: Arc<RowText>,
    start: u32,
    len: u32,
}

/// The text of one or more rows of a table, one after the other.
#[derive(Debug)]
struct RowText {
    table: Arc<Table>,
    text: Box<str>,
}

/// The most bytes of rows one shared text holds.
const ROW_TEXT_BYTES: usize = 1 << 22;

/// Puts the text of consecutive rows of one table into one shared text (at most
/// [`ROW_TEXT_BYTES`] each): a row's own string took a 16-byte pointer and its allocator's
/// rounding (about 10 bytes a row of 80) besides, and its table pointer 8 more. Rows read
/// the same after.
pub fn share_rows(features: &mut [Feature]) {
    let mut rows = features.iter_mut().filter_map(|f| match &mut f.properties {
        Some(Properties::Row(row)) => Some(row),
        _ => None,
    });
    let mut run: Vec<&mut Row> = Vec::new();
    let mut bytes = 0;
    loop {
        let next = rows.next();
        let ends = next.as_ref().is_none_or(|r| {
            run.first()
                .is_some_and(|f| !Arc::ptr_eq(&f.text.table, &r.text.table))
                || bytes + r.len as usize > ROW_TEXT_BYTES
        });
        if ends && run.len() > 1 {
            let mut text = String::with_capacity(bytes);
            for row in &run {
                text.push_str(row.text());
            }
            let shared = Arc::new(RowText {
                table: Arc::clone(&run[0].text.table),
                text: text.into_boxed_str(),
            });
            let mut start = 0u32;
            for row in run.iter_mut() {
                row.text = Arc::clone(&shared);
                row.start = start;
                start += row.len;
            }
        }
        if ends {
            run.clear();
            bytes = 0;
        }
        let Some(row) = next else { break };
        bytes += row.len as usize;
        run.push(row);
    }
}

/// Makes a row's properties from its cells.
type Expand = dyn Fn(&[&str]) -> Map<String, Value> + Send + Sync;

/// What some of a row's properties depend on, from its cells: rows of one key have the same.
type Key = dyn Fn(&[&str]) -> String + Send + Sync;

/// What the rows of one table share: how a row's cells become its properties.
pub struct Table {
    expand: Box<Expand>,
    facts: Box<Expand>,
    /// The properties that name a row (for the place search), when fewer than all.
    names: Option<Box<Expand>>,
    /// The cells `facts` reads, ascending, when known: rows alike in them have the same facts.
    fact_columns: Vec<usize>,
    /// What the `name`, `title` and `alt_names` of `names` depend on in a row's cells, when
    /// the table knows: rows of one key have the same.
    name_key: Option<Box<Key>>,
    /// The column names, when known: a single property is then read from its cell.
    columns: Vec<String>,
    /// The columns a row's id is read from: the first of them with a value.
    id_columns: Vec<usize>,
    /// Per column, the few values a row's cell is stored as a code for (see
    /// [`Table::with_dictionary`]); empty for a column without.
    dictionary: Vec<Dictionary>,
}

/// The values of one column that rows store as a two-byte code, [`Row::CODE`] and the
/// value's position as a character from `@`: the column of a million rows holding a few
/// kinds, countries or sources keeps each of them once.
#[derive(Default)]
struct Dictionary {
    values: Vec<Box<str>>,
}

impl Dictionary {
    /// The code of `cell`, when it is one of the values (a few dozen at most, compared
    /// length first: quicker than hashing every cell of a million rows).
    fn code(&self, cell: &str) -> Option<char> {
        let at = self
            .values
            .iter()
            .position(|v| v.len() == cell.len() && **v == *cell)?;
        Some(char::from(b'@' + at as u8))
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Table")
    }
}

impl Table {
    /// A table whose rows become properties through `expand` (given the row's cells), and
    /// the properties the map draws with (kind, toll, estimate, style) through `facts`.
    pub fn new(
        expand: impl Fn(&[&str]) -> Map<String, Value> + Send + Sync + 'static,
        facts: impl Fn(&[&str]) -> Map<String, Value> + Send + Sync + 'static,
    ) -> Self {
        Self {
            expand: Box::new(expand),
            facts: Box::new(facts),
            names: None,
            fact_columns: Vec::new(),
            name_key: None,
            columns: Vec::new(),
            id_columns: Vec::new(),
            dictionary: Vec::new(),
        }
    }

    /// The most values a column's dictionary holds.
    pub const DICTIONARY_VALUES: usize = 64;

    /// The same table, its rows storing a cell of column `i` that is one of `values[i]` as
    /// a code (at most [`Table::DICTIONARY_VALUES`] values a column; the rest are ignored,
    /// as are values holding [`Row::SEPARATOR`] or [`Row::CODE`]). Rows read the same.
    pub fn with_dictionary(mut self, values: Vec<Vec<String>>) -> Self {
        self.dictionary = values
            .into_iter()
            .map(|column| {
                let mut d = Dictionary::default();
                for value in column {
                    if d.values.len() >= Self::DICTIONARY_VALUES
                        || value.contains([Row::SEPARATOR, Row::CODE])
                        || d.code(&value).is_some()
                    {
                        continue;
                    }
                    d.values.push(value.into_boxed_str());
                }
                d
            })
            .collect();
        self
    }

    /// A stored cell of column `i` as its value.
    fn decode<'a>(&'a self, i: usize, cell: &'a str) -> &'a str {
        let Some(code) = cell.strip_prefix(Row::CODE) else {
            return cell;
        };
        let at = code
            .bytes()
            .next()
            .map_or(0, |b| b.wrapping_sub(b'@') as usize);
        self.dictionary
            .get(i)
            .and_then(|d| d.values.get(at))
            .map_or(cell, |v| v)
    }

    /// The same table, knowing which cells (by position) its `facts` reads: nothing else
    /// of a row may change them.
    pub fn with_fact_columns(mut self, mut columns: Vec<usize>) -> Self {
        columns.sort_unstable();
        self.fact_columns = columns;
        self
    }

    /// The same table, reading a row's names (`name`, `title`, `alt_names`) through `names`
    /// rather than all of its properties; `key` gives, from a row's cells, what its names
    /// depend on (two rows of one key have the same names).
    pub fn with_names(
        mut self,
        names: impl Fn(&[&str]) -> Map<String, Value> + Send + Sync + 'static,
        key: impl Fn(&[&str]) -> String + Send + Sync + 'static,
    ) -> Self {
        self.names = Some(Box::new(names));
        self.name_key = Some(Box::new(key));
        self
    }

    /// The same table, reading a row's id from the first of `columns` (by position) that
    /// has a value: the id is then not kept beside the row, a second time.
    pub fn with_id_columns(mut self, columns: Vec<usize>) -> Self {
        self.id_columns = columns;
        self
    }

    /// The same table, knowing its column names (in cell order).
    pub fn with_columns(mut self, columns: Vec<String>) -> Self {
        self.columns = columns;
        self
    }

    /// The properties of a row given as its cells.
    pub fn expand(&self, cells: &[&str]) -> Map<String, Value> {
        (self.expand)(cells)
    }
}

impl Row {
    /// Separates the cells (ASCII unit separator): a row with it in a cell cannot be a `Row`.
    pub const SEPARATOR: char = '\u{1f}';

    /// Starts a cell stored as a code of its column's dictionary (ASCII record separator):
    /// a row with it in a cell cannot be a `Row` either.
    pub const CODE: char = '\u{1e}';

    /// A row of `table`; `None` when a cell holds the separator or the code mark.
    pub fn new<'a, I>(table: &Arc<Table>, cells: I) -> Option<Self>
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: Clone,
    {
        let cells = cells.into_iter();
        let code = |i: usize, cell: &str| table.dictionary.get(i).and_then(|d| d.code(cell));
        // Sized once: growing it cell by cell was a few reallocations a row.
        let len = cells
            .clone()
            .enumerate()
            .map(|(i, c)| code(i, c).map_or(c.len(), |_| 2) + 1)
            .sum::<usize>();
        let mut text = String::with_capacity(len.saturating_sub(1));
        for (i, cell) in cells.enumerate() {
            if cell.contains([Self::SEPARATOR, Self::CODE]) {
                return None;
            }
            if i > 0 {
                text.push(Self::SEPARATOR);
            }
            match code(i, cell) {
                Some(c) => {
                    text.push(Self::CODE);
                    text.push(c);
                }
                None => text.push_str(cell),
            }
        }
        let len = u32::try_from(text.len()).ok()?;
        Some(Self {
            text: Arc::new(RowText {
                table: Arc::clone(table),
                text: text.into_boxed_str(),
            }),
            start: 0,
            len,
        })
    }

    /// The row's stored text: its cells, separated, a dictionary's values as codes.
    fn text(&self) -> &str {
        let (start, len) = (self.start as usize, self.len as usize);
        self.text.text.get(start..start + len).unwrap_or_default()
    }

    /// The table the row belongs to.
    fn table(&self) -> &Arc<Table> {
        &self.text.table
    }

    /// Bytes of text the row keeps (its cells, a dictionary's values as codes).
    pub fn text_len(&self) -> usize {
        self.len as usize
    }

    /// The cells, in column order.
    pub fn cells(&self) -> Vec<&str> {
        self.text()
            .split(Self::SEPARATOR)
            .enumerate()
            .map(|(i, c)| self.table().decode(i, c))
            .collect()
    }

    /// The row's id: the first of its table's id columns with a value.
    pub fn id(&self) -> Option<&str> {
        let ids = &self.table().id_columns;
        let last = *ids.iter().max()?;
        self.text()
            .split(Self::SEPARATOR)
            .take(last + 1)
            .enumerate()
            .map(|(i, c)| (i, self.table().decode(i, c)))
            .filter(|&(i, c)| !c.is_empty() && ids.contains(&i))
            // In the order the columns are given, not the order of the cells.
            .min_by_key(|&(i, _)| ids.iter().position(|&c| c == i))
            .map(|(_, c)| c)
    }
}

impl Properties {
    /// The properties as a JSON object (empty when they are not one).
    pub fn map(&self) -> Map<String, Value> {
        match self {
            Self::Json(raw) => serde_json::from_str(raw.get()).unwrap_or_default(),
            Self::Row(row) => (row.table().expand)(&row.cells()),
        }
    }

    /// The properties the map draws with (kind, claims, estimate, style, name): all of them
    /// for JSON, the columns that give them for a row (quicker for a million rows).
    pub fn facts(&self) -> Map<String, Value> {
        match self {
            Self::Json(_) => self.map(),
            Self::Row(row) => (row.table().facts)(&row.cells()),
        }
    }

    /// The properties that name the feature (`name`, `title`, `alt_names`, among others):
    /// all of them for JSON, the columns that give them for a row whose table knows them.
    pub fn names(&self) -> Map<String, Value> {
        match self {
            Self::Row(row) if row.table().names.is_some() => row
                .table()
                .names
                .as_ref()
                .map(|names| names(&row.cells()))
                .unwrap_or_default(),
            _ => self.map(),
        }
    }

    /// What [`Properties::facts`] depends on, when it is known to be less than the whole
    /// properties: the table and the cells its facts are read from. Two rows of one key have
    /// the same facts, so a million rows are read for a few thousand keys.
    pub fn fact_key(&self) -> Option<(usize, String)> {
        let Self::Row(row) = self else { return None };
        let columns = &row.table().fact_columns;
        if columns.is_empty() {
            return None;
        }
        let mut key = String::new();
        for (i, cell) in row.text().split(Row::SEPARATOR).enumerate() {
            if columns.binary_search(&i).is_ok() {
                key.push_str(cell);
                key.push(Row::SEPARATOR);
            }
        }
        Some((Arc::as_ptr(row.table()) as usize, key))
    }

    /// What the `name`, `title` and `alt_names` of [`Properties::names`] depend on, when
    /// the table knows: the table and a key made of the cells they are read from. Two rows
    /// of one key have the same names, so a million rows named in a few thousand ways are
    /// read a few thousand times.
    pub fn name_key(&self) -> Option<(usize, String)> {
        let Self::Row(row) = self else { return None };
        let key = row.table().name_key.as_ref()?;
        Some((Arc::as_ptr(row.table()) as usize, key(&row.cells())))
    }

    /// One property as text (a string as it is, anything else as JSON), without building
    /// the whole map for a table row whose columns are known: what a filter on one property
    /// over a million rows needs. `None` when it is missing or null.
    pub fn text_of(&self, key: &str) -> Option<Cow<'_, str>> {
        if let Self::Row(row) = self
            && !row.table().columns.is_empty()
        {
            let i = row
                .table()
                .columns
                .iter()
                .position(|c| c.eq_ignore_ascii_case(key))?;
            let cell = row
                .table()
                .decode(i, row.text().split(Row::SEPARATOR).nth(i)?)
                .trim();
            return (!cell.is_empty()).then_some(Cow::Borrowed(cell));
        }
        let map = self.map();
        let (_, v) = map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
        match v {
            Value::Null => None,
            Value::String(s) => Some(Cow::Owned(s.trim().to_string())),
            other => Some(Cow::Owned(other.to_string())),
        }
    }

    /// The properties as JSON text.
    pub fn json_text(&self) -> Cow<'_, str> {
        match self {
            Self::Json(raw) => Cow::Borrowed(raw.get()),
            Self::Row(_) => Cow::Owned(Value::Object(self.map()).to_string()),
        }
    }

    /// True when the text of the properties may mention `word` (a cheap test before parsing:
    /// never false when a key or value holds it).
    pub fn may_contain(&self, word: &str) -> bool {
        match self {
            Self::Json(raw) => raw.get().contains(word),
            Self::Row(_) => true,
        }
    }
}

impl From<Box<RawValue>> for Properties {
    fn from(raw: Box<RawValue>) -> Self {
        Self::Json(raw)
    }
}

/// A feature's geometry, kept small: a point, the common case of big layers, inline in 24
/// bytes; anything else packed into bytes ([`packed`]), exactly. A `Geometry` is 56 bytes
/// whatever it holds: a million points kept as geometries took 32 MB more; the 100 MB
/// benchmark layer's polygons and lines took 90 MB as geometries and take 20 MB packed.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// One point.
    Point(geo::Point<f64>),
    /// Any other geometry.
    Other(packed::Packed),
}

impl Shape {
    /// The geometry, made (unpacked) when asked for.
    pub fn geometry(&self) -> Cow<'_, Geometry<f64>> {
        Cow::Owned(self.to_geometry())
    }

    /// The geometry, made.
    pub fn to_geometry(&self) -> Geometry<f64> {
        match self {
            Self::Point(p) => Geometry::Point(*p),
            Self::Other(g) => g.unpack(),
        }
    }

    /// The geometry, taken.
    pub fn into_geometry(self) -> Geometry<f64> {
        self.to_geometry()
    }
}

impl From<Geometry<f64>> for Shape {
    fn from(g: Geometry<f64>) -> Self {
        match g {
            Geometry::Point(p) => Self::Point(p),
            g => Self::Other(packed::Packed::pack(&g)),
        }
    }
}

/// One feature of a layer: geometry, the properties exactly as read, and its time span.
#[derive(Clone, Debug)]
pub struct Feature {
    /// The id given apart from the properties (GeoJSON's `id`, a number kept as its text; a
    /// placemark's), if any. A table row's id is read from its cells when asked for: read
    /// either with [`Feature::id`].
    pub given_id: Option<GivenId>,
    /// Geometry in WGS84, `x = lon`, `y = lat`; `None` for a null geometry. Read it with
    /// [`Feature::geometry`]; make it with `Shape::from`.
    pub shape: Option<Shape>,
    /// The `properties` object as read (unknown members included), or `None`.
    pub properties: Option<Properties>,
    /// When the feature happened; `None` for a timeless feature (always shown).
    pub span: Option<TimeSpan>,
    /// 1-based line where the feature starts in its file (0 when unknown).
    pub line: u64,
}

impl Feature {
    /// The feature's id: the one given, or its row's (a million ACLED rows' ids kept again
    /// beside their rows took 32 MB).
    pub fn id(&self) -> Option<&str> {
        match (&self.given_id, &self.properties) {
            (Some(id), _) => Some(&**id),
            (None, Some(Properties::Row(row))) => row.id(),
            _ => None,
        }
    }

    /// The geometry, `None` for a null geometry (a point's is made when asked for).
    pub fn geometry(&self) -> Option<Cow<'_, Geometry<f64>>> {
        self.shape.as_ref().map(Shape::geometry)
    }

    /// Sets the geometry.
    pub fn set_geometry(&mut self, geometry: Option<Geometry<f64>>) {
        self.shape = geometry.map(Shape::from);
    }

    /// The properties parsed as a JSON object (empty when there are none).
    pub fn properties_map(&self) -> Map<String, Value> {
        self.properties
            .as_ref()
            .map(Properties::map)
            .unwrap_or_default()
    }

    /// A property as text: strings as they are, numbers and booleans printed, else `None`.
    pub fn property_text(&self, key: &str) -> Option<String> {
        match self.properties_map().get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// How serious a problem is: an error drops something, a warning only informs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something could not be read and was left out.
    Error,
    /// Something was read, but not as written (e.g. an unreadable time).
    Warning,
}

/// A problem found while reading a file, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The file it was found in.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column (in bytes), when known.
    pub column: Option<u64>,
    /// 0-based index of the feature in the file, when it concerns one feature.
    pub feature: Option<usize>,
    /// What is wrong, short and lowercase.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {label}: ")?;
        if let Some(index) = self.feature {
            write!(f, "feature {}: ", index + 1)?;
        }
        write!(f, "{}", self.message)
    }
}

/// Which properties the time spans of a layer were read from, and how often.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeSource {
    /// `"start/end"`, `"date"` ... with the number of features read from each.
    pub fields: Vec<(String, usize)>,
    /// Values that carried no UTC offset and were read in the layer's zone.
    pub without_offset: usize,
}

impl TimeSource {
    /// Counts one feature read from `fields` (if dated) with `without_offset` offset-less values.
    pub fn count(&mut self, fields: Option<String>, without_offset: usize) {
        if let Some(fields) = fields {
            match self.fields.iter_mut().find(|(k, _)| *k == fields) {
                Some((_, n)) => *n += 1,
                None => self.fields.push((fields, 1)),
            }
        }
        self.without_offset += without_offset;
    }
}

/// A file read into memory: its features and what went wrong along the way.
#[derive(Clone, Debug, Default)]
pub struct Layer {
    /// Display name (the file name for files).
    pub name: String,
    /// Where it was read from, if from a file.
    pub path: Option<PathBuf>,
    /// Which part of a file of several layers it is (a GeoPackage's table, a shapefile in a
    /// zip); `None` for a file that is one layer.
    pub part: Option<String>,
    /// The features that could be read, in file order.
    pub features: Vec<Feature>,
    /// Everything that went wrong, in file order.
    pub problems: Vec<Problem>,
    /// Which properties gave the time spans.
    pub time_source: TimeSource,
    /// The zone used for times without an offset (IANA name or "UTC").
    pub zone_name: String,
    /// Top-level foreign members kept aside (e.g. `attribution`, `name`), verbatim.
    pub foreign: serde_json::Map<String, serde_json::Value>,
}

impl Layer {
    /// True when any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Number of features with a time span.
    pub fn dated_count(&self) -> usize {
        self.features.iter().filter(|f| f.span.is_some()).count()
    }

    /// Earliest start and latest end of the dated features.
    pub fn time_range(&self) -> Option<TimeSpan> {
        let mut spans = self.features.iter().filter_map(|f| f.span);
        let first = spans.next()?;
        Some(spans.fold(first, TimeSpan::hull))
    }

    /// Bounding box `(min lon, min lat, max lon, max lat)` of all geometry.
    pub fn bbox(&self) -> Option<geo::Rect<f64>> {
        use geo::BoundingRect;
        self.features
            .iter()
            .filter_map(|f| f.geometry()?.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            })
    }
}

/// The GeoJSON name of a geometry's type.
pub fn geometry_type_name(geometry: &Geometry<f64>) -> &'static str {
    match geometry {
        Geometry::Point(_) => "Point",
        Geometry::MultiPoint(_) => "MultiPoint",
        Geometry::LineString(_) => "LineString",
        Geometry::MultiLineString(_) => "MultiLineString",
        Geometry::Polygon(_) => "Polygon",
        Geometry::MultiPolygon(_) => "MultiPolygon",
        Geometry::GeometryCollection(_) => "GeometryCollection",
        Geometry::Line(_) => "Line",
        Geometry::Rect(_) => "Rect",
        Geometry::Triangle(_) => "Triangle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Point, Polygon};

    #[test]
    fn rows_read_together_share_one_text_and_read_the_same() {
        let table = || {
            Arc::new(
                Table::new(
                    |cells| {
                        let mut m = Map::new();
                        m.insert("a".into(), Value::from(cells.join("|")));
                        m
                    },
                    |_| Map::new(),
                )
                .with_id_columns(vec![1]),
            )
        };
        let (one, two) = (table(), table());
        let row = |t: &Arc<Table>, cells: &[&str]| Feature {
            given_id: None,
            shape: None,
            properties: Row::new(t, cells.iter().copied()).map(Properties::Row),
            span: None,
            line: 0,
        };
        let json = Feature {
            properties: Some(Properties::Json(
                RawValue::from_string("{\"b\":1}".into()).unwrap(),
            )),
            ..row(&one, &[])
        };
        let mut features = vec![
            row(&one, &["x", "id-1"]),
            row(&one, &["yy", ""]),
            json,
            row(&one, &["zzz", "id-3", "more"]),
            row(&two, &["w", "id-4"]),
            row(&two, &["v", "id-5"]),
        ];
        let before: Vec<_> = features
            .iter()
            .map(|f| (f.properties_map(), f.id().map(str::to_owned)))
            .collect();
        share_rows(&mut features);
        let after: Vec<_> = features
            .iter()
            .map(|f| (f.properties_map(), f.id().map(str::to_owned)))
            .collect();
        assert_eq!(before, after);
        let text = |i: usize| match &features[i].properties {
            Some(Properties::Row(r)) => Arc::clone(&r.text),
            _ => panic!("feature {i} is not a row"),
        };
        // One text for the rows of the first table (the JSON between them is left as it
        // is), another for the second table's.
        assert!(Arc::ptr_eq(&text(0), &text(1)) && Arc::ptr_eq(&text(1), &text(3)));
        assert!(Arc::ptr_eq(&text(4), &text(5)) && !Arc::ptr_eq(&text(3), &text(4)));
        assert_eq!(&*text(0).text, "x\u{1f}id-1yy\u{1f}zzz\u{1f}id-3\u{1f}more");
    }

    #[test]
    fn a_feature_keeps_a_point_inline_and_other_geometries_as_they_were() {
        // What a million points cost: 96 bytes each (a packed span, a thin id), where a
        // `Geometry`, a `String` id and two `Timestamp`s made it 160.
        assert!(std::mem::size_of::<Feature>() <= 88);
        assert_eq!(std::mem::size_of::<Option<Properties>>(), 24);
        assert_eq!(std::mem::size_of::<Option<Shape>>(), 24);
        let point = Geometry::Point(Point::new(70.5, 39.8));
        let ring = LineString::from(vec![(70.0, 39.0), (71.0, 39.0), (70.5, 40.0), (70.0, 39.0)]);
        let polygon = Geometry::Polygon(Polygon::new(ring, vec![]));
        let mut f = Feature {
            given_id: Some("a".into()),
            shape: None,
            properties: None,
            span: None,
            line: 1,
        };
        assert!(f.geometry().is_none());
        f.set_geometry(Some(point.clone()));
        assert!(matches!(f.shape, Some(Shape::Point(_))));
        assert_eq!(f.geometry().as_deref(), Some(&point));
        f.set_geometry(Some(polygon.clone()));
        assert!(matches!(f.shape, Some(Shape::Other(_))));
        assert_eq!(f.geometry().as_deref(), Some(&polygon));
        assert_eq!(f.shape.map(Shape::into_geometry), Some(polygon));
    }
}
