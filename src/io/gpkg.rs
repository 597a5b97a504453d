//! GeoPackage (`.gpkg`, QGIS's default format): an SQLite database read through `rusqlite`
//! (SQLite built in, no system library).
//!
//! - The file is opened read-only and `immutable` (no lock, no `-wal` or `-shm` file made
//!   next to it), and is never changed. When a `-wal` file is already there (QGIS has the
//!   file open for editing), it is opened read-only but not immutable, so that the edits in
//!   the write-ahead log are seen.
//! - Every feature table (`gpkg_contents.data_type = 'features'`, its geometry column from
//!   `gpkg_geometry_columns`) is a layer named `"file.gpkg — table"`, `part` = the table.
//!   Attribute-only tables are skipped with a warning naming them; a file with no feature
//!   table at all is an error saying what it has instead.
//! - Geometries: the GeoPackage binary header (`GP`, version, flags: envelope of 0, 32, 48 or
//!   64 bytes, empty flag, byte order), then WKB read by [`super::wkb`]. An empty geometry, a
//!   curve, or one that cannot be reprojected leaves the feature without geometry, with a
//!   warning naming the table and fid; a broken blob is an error, the feature is kept.
//! - The table's `srs_id` gives the CRS through `gpkg_spatial_ref_sys`: EPSG codes through
//!   [`Crs::from_epsg`], other organisations through their WKT `definition`; srs_id 0 and -1
//!   (undefined) are read as WGS84 with a warning. A CRS bordermap cannot reproject makes
//!   that table's layer one error naming the CRS and no features; the other tables still read.
//! - Attributes keep their types: INTEGER and REAL as numbers, TEXT (and DATE, DATETIME) as
//!   text, BOOLEAN as booleans, a column registered as JSON in `gpkg_data_columns` (what
//!   GDAL writes for GeoJSON's arrays and objects) as JSON, NULL as null. BLOB columns are
//!   skipped with one warning per column. The `fid` is the feature's id (and not a property).
//! - A row is kept as its cells ([`Properties::Row`]) when each cell is of its column's type
//!   (a text value in an INTEGER column, an empty text: the row is kept as JSON instead);
//!   its time is read from its time columns as the row is read.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use geo::Geometry;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value};

use super::common::{self, Place};
use super::crs::{Crs, Reproject};
use super::file_error;
use super::loader::Progress;
use super::timefields::TimeReader;
use super::wkb::{self, WkbError};
use crate::model::{Feature, Layer, Problem, Properties, Row, Severity, Table};

/// Reads every feature table of the GeoPackage at `path` as a layer. `Err` when the file is
/// not a GeoPackage or has no feature table. `progress` (if any) counts the bytes of the rows
/// read, and a set `cancel` stops the reading between rows.
pub fn read_gpkg(
    path: &Path,
    time: &TimeReader,
    progress: Option<&Progress>,
) -> Result<Vec<Layer>, Problem> {
    let conn = open(path).map_err(|m| file_error(path, m))?;
    let contents = contents(&conn).map_err(|m| file_error(path, m))?;
    let features: Vec<&Contents> = contents
        .iter()
        .filter(|c| c.data_type.eq_ignore_ascii_case("features"))
        .collect();
    if features.is_empty() {
        let others = contents
            .iter()
            .map(|c| format!("'{}' ({})", c.table, c.data_type))
            .collect::<Vec<_>>();
        return Err(file_error(
            path,
            if others.is_empty() {
                "GeoPackage: no table at all in gpkg_contents, so no feature table to read".into()
            } else {
                format!(
                    "GeoPackage: no feature table to read, only {}",
                    common::shorten(&others.join(", "), 300)
                )
            },
        ));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut layers = Vec::with_capacity(features.len());
    for table in features {
        if progress.is_some_and(|p| p.cancel.load(Ordering::Relaxed)) {
            break;
        }
        let mut layer = common::new_layer(path, time);
        layer.name = format!("{file_name} — {}", table.table);
        layer.part = Some(table.table.clone());
        read_table(&conn, path, table, time, progress, &mut layer);
        common::limit_problems(&mut layer, path);
        layers.push(layer);
    }
    let attributes: Vec<String> = contents
        .iter()
        .filter(|c| c.data_type.eq_ignore_ascii_case("attributes"))
        .map(|c| format!("'{}'", c.table))
        .collect();
    if !attributes.is_empty()
        && let Some(first) = layers.first_mut()
    {
        common::push_problem(
            first,
            path,
            Severity::Warning,
            Place::default(),
            format!(
                "attribute table{} without geometry not read: {}",
                if attributes.len() == 1 { "" } else { "s" },
                common::shorten(&attributes.join(", "), 300)
            ),
        );
    }
    if let Some(p) = progress {
        p.read
            .store(p.total.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    Ok(layers)
}

/// Opens the file read-only, immutable unless a write-ahead log is next to it.
fn open(path: &Path) -> Result<Connection, String> {
    let mut head = [0u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(path).map_err(|e| e.to_string().to_lowercase())?;
        file.read_exact(&mut head)
            .map_err(|_| "not a GeoPackage: too short to be an SQLite database".to_string())?;
    }
    if &head != b"SQLite format 3\0" {
        return Err("not a GeoPackage: not an SQLite database".into());
    }
    let absolute = std::fs::canonicalize(path).map_err(|e| e.to_string().to_lowercase())?;
    let mut wal = absolute.clone().into_os_string();
    wal.push("-wal");
    let immutable = !Path::new(&wal).exists();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(uri(&absolute, immutable), flags)
        .map_err(|e| format!("GeoPackage: cannot open the database: {e}"))?;
    Ok(conn)
}

/// The `file:` URI of `path`, read-only (and immutable): every byte but the unreserved
/// ones percent-encoded, so that `?`, `#` and `%` in a name are not read as URI syntax.
fn uri(path: &Path, immutable: bool) -> String {
    let mut text = String::from("file:");
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            text.push(char::from(b));
        } else {
            let _ = write!(text, "%{b:02X}");
        }
    }
    text.push_str("?mode=ro");
    if immutable {
        text.push_str("&immutable=1");
    }
    text
}

/// A row of `gpkg_contents` with its geometry column, when it has one.
#[derive(Debug)]
struct Contents {
    table: String,
    data_type: String,
    geometry: Option<String>,
    srs_id: Option<i64>,
}

/// The tables the GeoPackage lists.
fn contents(conn: &Connection) -> Result<Vec<Contents>, String> {
    let not_gpkg = |e: rusqlite::Error| {
        format!("not a GeoPackage: an SQLite database without a readable gpkg_contents ({e})")
    };
    let has_columns_table: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') \
             AND name = 'gpkg_geometry_columns'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(not_gpkg)?
        > 0;
    let sql = if has_columns_table {
        "SELECT c.table_name, c.data_type, g.column_name, coalesce(g.srs_id, c.srs_id) \
         FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g ON g.table_name = c.table_name"
    } else {
        "SELECT table_name, data_type, NULL, srs_id FROM gpkg_contents"
    };
    let mut stmt = conn.prepare(sql).map_err(not_gpkg)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Contents {
                table: r.get(0)?,
                data_type: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                geometry: r.get(2)?,
                srs_id: r.get(3)?,
            })
        })
        .map_err(not_gpkg)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(not_gpkg)
}

/// `name` as an SQL identifier.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The CRS of `srs_id`, with a warning for an undefined one; `Err` names the CRS.
fn table_crs(conn: &Connection, srs_id: Option<i64>) -> Result<(Crs, Option<String>), String> {
    let Some(srs_id) = srs_id.filter(|&id| id != 0 && id != -1) else {
        return Ok((
            Crs::Wgs84,
            Some(format!(
                "coordinate system undefined (srs_id {}): read as WGS84 longitude/latitude",
                srs_id.map_or("none".into(), |i| i.to_string())
            )),
        ));
    };
    let row = conn.query_row(
        "SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys \
         WHERE srs_id = ?1",
        [srs_id],
        |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            ))
        },
    );
    let (organization, code, definition) = match row {
        Ok(row) => row,
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            return Err(format!(
                "srs_id {srs_id} is not in gpkg_spatial_ref_sys: coordinate system unknown"
            ));
        }
        Err(e) => return Err(format!("cannot read gpkg_spatial_ref_sys: {e}")),
    };
    let crs = match (organization.eq_ignore_ascii_case("EPSG"), code) {
        (true, Some(code)) => u32::try_from(code)
            .map_err(|_| super::crs::UnknownCrs(format!("EPSG:{code}")))
            .and_then(Crs::from_epsg),
        _ => Crs::from_wkt(&definition).map_err(|e| {
            if organization.is_empty() || organization.eq_ignore_ascii_case("NONE") {
                e
            } else {
                super::crs::UnknownCrs(format!(
                    "{} ({organization}:{})",
                    e.0,
                    code.map_or("?".into(), |c| c.to_string())
                ))
            }
        }),
    };
    crs.map(|c| (c, None)).map_err(|e| e.to_string())
}

/// How a column's cells become property values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// INTEGER, REAL and their kin: JSON numbers.
    Number,
    /// BOOLEAN: stored as 0 or 1.
    Bool,
    /// TEXT, DATE, DATETIME: strings.
    Text,
    /// TEXT registered as `application/json`: parsed JSON.
    Json,
}

/// The kind of a declared column type; `None` for BLOB and geometry columns (skipped).
fn kind_of(declared: &str) -> Option<Kind> {
    let upper = declared.trim().to_ascii_uppercase();
    let base = upper.split('(').next().unwrap_or("").trim();
    match base {
        "BOOLEAN" | "BOOL" => Some(Kind::Bool),
        "TEXT" | "DATE" | "DATETIME" => Some(Kind::Text),
        "BLOB" | "" => None,
        "GEOMETRY" | "POINT" | "LINESTRING" | "POLYGON" | "MULTIPOINT" | "MULTILINESTRING"
        | "MULTIPOLYGON" | "GEOMETRYCOLLECTION" | "CIRCULARSTRING" | "COMPOUNDCURVE"
        | "CURVEPOLYGON" | "MULTICURVE" | "MULTISURFACE" | "CURVE" | "SURFACE" => None,
        // SQLite's affinity rules for the rest.
        _ if base.contains("INT") => Some(Kind::Number),
        _ if base.contains("CHAR") || base.contains("CLOB") || base.contains("TEXT") => {
            Some(Kind::Text)
        }
        _ if base.contains("BLOB") => None,
        _ => Some(Kind::Number),
    }
}

/// An attribute column read as a property.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    kind: Kind,
    /// Its lowercase name may hold a time.
    time: bool,
}

/// The value of a cell of `kind` kept as `cell` text.
fn cell_value(kind: Kind, cell: &str) -> Value {
    if cell.is_empty() {
        return Value::Null;
    }
    match kind {
        Kind::Number => serde_json::from_str::<serde_json::Number>(cell)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(cell.to_string())),
        Kind::Bool => Value::Bool(cell == "true"),
        Kind::Text => Value::String(cell.to_string()),
        Kind::Json => serde_json::from_str(cell).unwrap_or_else(|_| Value::String(cell.into())),
    }
}

/// The value of an SQLite value in a column of `kind` (for rows kept as JSON and times).
fn sql_value(kind: Kind, value: ValueRef<'_>) -> Option<Value> {
    Some(match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) if kind == Kind::Bool => Value::Bool(i != 0),
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => {
            let text = String::from_utf8_lossy(t);
            if kind == Kind::Json {
                serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
            } else {
                Value::String(text.into_owned())
            }
        }
        ValueRef::Blob(_) => return None,
    })
}

/// Writes `value` as the text of a cell of `kind` into `cell`; false when the value is not
/// of the column's kind (or is an empty text, which a cell cannot tell from null).
fn write_cell(kind: Kind, value: ValueRef<'_>, cell: &mut String) -> bool {
    cell.clear();
    match (value, kind) {
        (ValueRef::Null, _) => true,
        (ValueRef::Integer(i), Kind::Number) => {
            let _ = write!(cell, "{i}");
            true
        }
        (ValueRef::Integer(i), Kind::Bool) => {
            cell.push_str(if i != 0 { "true" } else { "false" });
            true
        }
        (ValueRef::Real(f), Kind::Number) if f.is_finite() => {
            let _ = write!(cell, "{f}");
            true
        }
        (ValueRef::Text(t), Kind::Text | Kind::Json) if !t.is_empty() => {
            match std::str::from_utf8(t) {
                Ok(s) => {
                    cell.push_str(s);
                    true
                }
                Err(_) => false,
            }
        }
        _ => false,
    }
}

/// Reads one feature table into `layer`.
fn read_table(
    conn: &Connection,
    path: &Path,
    table: &Contents,
    time: &TimeReader,
    progress: Option<&Progress>,
    layer: &mut Layer,
) {
    let name = &table.table;
    let error = |layer: &mut Layer, message: String| {
        common::push_problem(
            layer,
            path,
            Severity::Error,
            Place::default(),
            format!("table '{name}': {message}"),
        );
    };
    let Some(geometry_column) = &table.geometry else {
        return error(
            layer,
            "no geometry column in gpkg_geometry_columns; table not read".into(),
        );
    };
    let crs = match table_crs(conn, table.srs_id) {
        Ok((crs, warning)) => {
            if let Some(w) = warning {
                common::push_problem(
                    layer,
                    path,
                    Severity::Warning,
                    Place::default(),
                    format!("table '{name}': {w}"),
                );
            }
            crs
        }
        Err(message) => return error(layer, format!("{message}; no feature read")),
    };
    let reproject = crs.to_wgs84();
    if reproject.is_none() && crs != Crs::Wgs84 {
        return error(
            layer,
            format!("cannot reproject {} to WGS84; no feature read", crs.name()),
        );
    }

    // The columns: the fid (INTEGER PRIMARY KEY), the geometry and the attributes.
    let info: Result<Vec<(String, String, i64)>, _> = conn
        .prepare("SELECT name, type, pk FROM pragma_table_info(?1)")
        .and_then(|mut s| {
            s.query_map([name], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect()
        });
    let info = match info {
        Ok(info) if !info.is_empty() => info,
        Ok(_) => return error(layer, "the table does not exist".into()),
        Err(e) => return error(layer, format!("cannot read its columns: {e}")),
    };
    let json_columns: Vec<String> = conn
        .prepare(
            "SELECT column_name FROM gpkg_data_columns WHERE table_name = ?1 \
             AND lower(mime_type) = 'application/json'",
        )
        .and_then(|mut s| s.query_map([name], |r| r.get::<_, String>(0))?.collect())
        .unwrap_or_default();
    let fid = info
        .iter()
        .find(|(_, ty, pk)| *pk == 1 && ty.eq_ignore_ascii_case("INTEGER"))
        .map(|(n, _, _)| n.clone());
    let mut columns = Vec::new();
    for (column, declared, _) in &info {
        if Some(column) == fid.as_ref() || column == geometry_column {
            continue;
        }
        match kind_of(declared) {
            Some(kind) => {
                let kind = if kind == Kind::Text && json_columns.contains(column) {
                    Kind::Json
                } else {
                    kind
                };
                columns.push(Column {
                    name: column.clone(),
                    kind,
                    time: time.wants(&column.to_ascii_lowercase()),
                });
            }
            None => common::push_problem(
                layer,
                path,
                Severity::Warning,
                Place::default(),
                format!(
                    "table '{name}': column '{column}' ({}) skipped: binary or geometry values \
                     are not read as properties",
                    if declared.is_empty() {
                        "no type"
                    } else {
                        declared
                    }
                ),
            ),
        }
    }
    let select = std::iter::once(fid.as_deref().map_or("rowid".to_string(), quote))
        .chain(std::iter::once(quote(geometry_column)))
        .chain(columns.iter().map(|c| quote(&c.name)))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {select} FROM {}", quote(name));
    let mut stmt = match conn.prepare(&sql) {
        Ok(s) => s,
        Err(e) => return error(layer, format!("cannot read it: {e}")),
    };
    let mut rows = match stmt.query([]) {
        Ok(r) => r,
        Err(e) => return error(layer, format!("cannot read it: {e}")),
    };

    let kinds: Vec<Kind> = columns.iter().map(|c| c.kind).collect();
    let expand_kinds = kinds.clone();
    let expand_names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let expand = move |cells: &[&str]| -> Map<String, Value> {
        expand_names
            .iter()
            .zip(&expand_kinds)
            .zip(cells)
            .map(|((n, &k), c)| (n.clone(), cell_value(k, c)))
            .collect()
    };
    let facts = expand.clone();
    let row_table = Arc::new(
        Table::new(expand, facts).with_columns(columns.iter().map(|c| c.name.clone()).collect()),
    );

    let mut cells: Vec<String> = vec![String::new(); columns.len()];
    let mut blob_warned = vec![false; columns.len()];
    let mut index = 0usize;
    loop {
        if index % 256 == 0 && progress.is_some_and(|p| p.cancel.load(Ordering::Relaxed)) {
            break;
        }
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => {
                error(layer, format!("reading stopped after {index} rows: {e}"));
                break;
            }
        };
        let id = match row.get_ref(0) {
            Ok(ValueRef::Integer(i)) => Some(i.to_string()),
            Ok(v) => sql_value(Kind::Text, v).and_then(|v| match v {
                Value::String(s) => Some(s),
                Value::Null => None,
                other => Some(other.to_string()),
            }),
            Err(_) => None,
        };
        let place = Place::default().feature(index);
        let shown = |id: &Option<String>| {
            format!("table '{name}', fid {}", id.as_deref().unwrap_or("(none)"))
        };
        let mut bytes = 0usize;
        let geometry = match row.get_ref(1) {
            Ok(ValueRef::Null) => None,
            Ok(ValueRef::Blob(blob)) => {
                bytes += blob.len();
                match read_geometry(blob, reproject.as_ref()) {
                    Ok(g) => g,
                    Err(GeometryProblem::Empty) => {
                        common::push_problem(
                            layer,
                            path,
                            Severity::Warning,
                            place,
                            format!("{}: empty geometry; feature kept without one", shown(&id)),
                        );
                        None
                    }
                    Err(GeometryProblem::Wkb(WkbError::Unsupported(what))) => {
                        common::push_problem(
                            layer,
                            path,
                            Severity::Warning,
                            place,
                            format!(
                                "{}: {what} geometry not supported; feature kept without \
                                 geometry",
                                shown(&id)
                            ),
                        );
                        None
                    }
                    Err(GeometryProblem::Wkb(e)) => {
                        common::push_problem(
                            layer,
                            path,
                            Severity::Error,
                            place,
                            format!("{}: {e}; feature kept without geometry", shown(&id)),
                        );
                        None
                    }
                    Err(GeometryProblem::Reproject(x, y)) => {
                        common::push_problem(
                            layer,
                            path,
                            Severity::Warning,
                            place,
                            format!(
                                "{}: coordinate ({x}, {y}) cannot be reprojected from {} to \
                                 WGS84; feature kept without geometry",
                                shown(&id),
                                crs.name()
                            ),
                        );
                        None
                    }
                }
            }
            Ok(_) => {
                common::push_problem(
                    layer,
                    path,
                    Severity::Error,
                    place,
                    format!(
                        "{}: the geometry is not a binary value; feature kept without geometry",
                        shown(&id)
                    ),
                );
                None
            }
            Err(e) => {
                error(layer, format!("cannot read row {}: {e}", index + 1));
                None
            }
        };
        let mut as_row = true;
        let mut times: Vec<(String, Value)> = Vec::new();
        for (i, column) in columns.iter().enumerate() {
            let value = row.get_ref(i + 2).unwrap_or(ValueRef::Null);
            if let ValueRef::Blob(_) = value {
                if !blob_warned[i] {
                    blob_warned[i] = true;
                    common::push_problem(
                        layer,
                        path,
                        Severity::Warning,
                        place,
                        format!(
                            "{}: binary value in column '{}' skipped (and in any later row)",
                            shown(&id),
                            column.name
                        ),
                    );
                }
                cells[i].clear();
                continue;
            }
            if let ValueRef::Text(t) = value {
                bytes += t.len();
            }
            as_row &= write_cell(column.kind, value, &mut cells[i]);
            if column.time
                && !matches!(value, ValueRef::Null)
                && let Some(v) = sql_value(column.kind, value)
            {
                times.push((column.name.to_ascii_lowercase(), v));
            }
        }
        let properties = if columns.is_empty() {
            None
        } else if let Some(row_cells) = as_row
            .then(|| Row::new(&row_table, cells.iter().map(String::as_str)))
            .flatten()
        {
            Some(Properties::Row(row_cells))
        } else {
            let map: Map<String, Value> = columns
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    let v = sql_value(c.kind, row.get_ref(i + 2).ok()?)?;
                    Some((c.name.clone(), v))
                })
                .collect();
            common::raw_properties(map)
        };
        let (reading, problems) = common::warnings_at(time.read_values(times), path, place);
        let feature = Feature {
            id,
            geometry,
            properties,
            span: None,
            line: 0,
        };
        common::push_read(layer, feature, reading, problems);
        if let Some(p) = progress {
            p.read.fetch_add(bytes as u64, Ordering::Relaxed);
        }
        index += 1;
    }
}

/// Why a geometry blob gave no geometry.
#[derive(Debug, PartialEq)]
enum GeometryProblem {
    /// Empty (by the header's flag, or an empty WKB geometry).
    Empty,
    /// Not readable, or a type not drawn.
    Wkb(WkbError),
    /// A coordinate outside what the CRS's projection covers.
    Reproject(f64, f64),
}

/// The geometry of a GeoPackage geometry blob, reprojected to WGS84.
fn read_geometry(
    blob: &[u8],
    reproject: Option<&Reproject>,
) -> Result<Option<Geometry<f64>>, GeometryProblem> {
    let wkb = match geometry_wkb(blob).map_err(GeometryProblem::Wkb)? {
        Some(wkb) => wkb,
        None => return Err(GeometryProblem::Empty),
    };
    let mut geometry = wkb::read_wkb(wkb)
        .map_err(GeometryProblem::Wkb)?
        .ok_or(GeometryProblem::Empty)?;
    if let Some(r) = reproject {
        r.geometry(&mut geometry)
            .map_err(|(x, y)| GeometryProblem::Reproject(x, y))?;
    }
    Ok(Some(geometry))
}

/// The WKB of a GeoPackage geometry blob after its header; `None` when the header says the
/// geometry is empty.
fn geometry_wkb(blob: &[u8]) -> Result<Option<&[u8]>, WkbError> {
    let invalid = |message: String| WkbError::Invalid { at: 0, message };
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err(invalid(
            "not a GeoPackage geometry (no 'GP' header)".to_string(),
        ));
    }
    let (version, flags) = (blob[2], blob[3]);
    if version != 0 {
        return Err(invalid(format!(
            "GeoPackage geometry version {version} (expected 0)"
        )));
    }
    if flags & 0b0010_0000 != 0 {
        return Err(WkbError::Unsupported(
            "extended GeoPackage (non-standard type)".into(),
        ));
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        other => {
            return Err(invalid(format!(
                "envelope indicator {other} (expected 0 to 4)"
            )));
        }
    };
    if flags & 0b0001_0000 != 0 {
        return Ok(None);
    }
    let start = 8 + envelope;
    match blob.get(start..) {
        Some(wkb) if !wkb.is_empty() => Ok(Some(wkb)),
        _ => Err(invalid(format!(
            "geometry of {} bytes ends inside its {envelope}-byte envelope",
            blob.len()
        ))),
    }
}
