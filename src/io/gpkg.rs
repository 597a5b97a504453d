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
use crate::model::{Feature, Layer, Problem, Properties, Row, Severity, Shape, Table};

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
            // `3.0`, not `3`: a real stays a real, as in a row kept as JSON.
            let _ = write!(cell, "{f:?}");
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

    layer
        .features
        .reserve(expected_rows(conn, path, name, fid.as_deref()));
    let expand_kinds: Vec<Kind> = columns.iter().map(|c| c.kind).collect();
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
        if index.is_multiple_of(256) && progress.is_some_and(|p| p.cancel.load(Ordering::Relaxed)) {
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
                    Err(GeometryProblem::Header(e)) => {
                        common::push_problem(
                            layer,
                            path,
                            Severity::Error,
                            place,
                            format!(
                                "{}: invalid GeoPackage geometry: {e}; feature kept without \
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
            given_id: id.map(Into::into),
            shape: geometry.map(Shape::from),
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
    if layer.features.capacity() > layer.features.len() + layer.features.len() / 8 + 16 {
        layer.features.shrink_to_fit();
    }
    crate::model::share_rows(&mut layer.features);
}

/// How many rows the table probably has, to reserve room for its features at once (a
/// growing list of features would take up to twice their memory while it is copied): the
/// count GDAL keeps in `gpkg_ogr_contents`, else the largest fid; never more than one per
/// 128 bytes of the file, so a false count allocates no more than the file's size.
fn expected_rows(conn: &Connection, path: &Path, table: &str, fid: Option<&str>) -> usize {
    let counted: Option<i64> = conn
        .query_row(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?1)",
            [table],
            |r| r.get(0),
        )
        .ok()
        .flatten();
    let counted = counted.or_else(|| {
        let sql = format!(
            "SELECT max({}) FROM {}",
            fid.map_or("rowid".to_string(), quote),
            quote(table)
        );
        conn.query_row(&sql, [], |r| r.get::<_, Option<i64>>(0))
            .ok()
            .flatten()
    });
    let cap = std::fs::metadata(path).map_or(0, |m| m.len() / 128);
    usize::try_from(
        counted
            .unwrap_or(0)
            .clamp(0, i64::try_from(cap).unwrap_or(i64::MAX)),
    )
    .unwrap_or(0)
}

/// Why a geometry blob gave no geometry.
#[derive(Debug, PartialEq)]
enum GeometryProblem {
    /// Empty (by the header's flag, or an empty WKB geometry).
    Empty,
    /// The GeoPackage header is broken: what is wrong.
    Header(String),
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
    let wkb = match geometry_wkb(blob)? {
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
fn geometry_wkb(blob: &[u8]) -> Result<Option<&[u8]>, GeometryProblem> {
    let invalid = GeometryProblem::Header;
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err(invalid("no 'GP' header".to_string()));
    }
    let (version, flags) = (blob[2], blob[3]);
    if version != 0 {
        return Err(invalid(format!(
            "GeoPackage geometry version {version} (expected 0)"
        )));
    }
    if flags & 0b0010_0000 != 0 {
        return Err(GeometryProblem::Wkb(WkbError::Unsupported(
            "extended GeoPackage (non-standard type)".into(),
        )));
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// `tests/data/two-tables.gpkg` (61 KB) was made with GDAL 3.6 from the bundled events:
    ///
    /// ```text
    /// ogr2ogr -f GPKG two-tables.gpkg assets/events.geojson -nln events \
    ///     -select id,kind,start,end,estimated -lco SPATIAL_INDEX=NO
    /// ogr2ogr -update two-tables.gpkg assets/events.geojson -nln events_utm42n \
    ///     -t_srs EPSG:32642 -select id,start,end -lco SPATIAL_INDEX=NO
    /// python3 -c "import sqlite3; c = sqlite3.connect('two-tables.gpkg'); \
    ///     c.execute('PRAGMA page_size=512'); c.execute('VACUUM')"
    /// ```
    ///
    /// (a few columns and small pages keep it small).
    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/two-tables.gpkg")
    }

    /// A fresh temporary folder for one test.
    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("bordermap-gpkg-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn read(path: &Path) -> Result<Vec<Layer>, Problem> {
        read_gpkg(path, &TimeReader::default(), None)
    }

    /// The problems as printed, the file named without its folder.
    fn messages(layer: &Layer) -> Vec<String> {
        layer
            .problems
            .iter()
            .map(|p| {
                let folder = p.path.parent().map(|d| format!("{}/", d.display()));
                let text = p.to_string();
                match folder {
                    Some(f) if !f.is_empty() && f != "/" => text.replacen(&f, "", 1),
                    _ => text,
                }
            })
            .collect()
    }

    /// Every coordinate of a geometry, in order.
    fn coords(g: &Geometry<f64>) -> Vec<geo::Coord<f64>> {
        use geo::CoordsIter;
        g.coords_iter().collect()
    }

    /// Asserts that two geometries are within `metres` of each other, point by point.
    fn near(a: &Geometry<f64>, b: &Geometry<f64>, metres: f64) {
        let (a, b) = (coords(a), coords(b));
        assert_eq!(a.len(), b.len());
        for (p, q) in a.iter().zip(&b) {
            let d = (((p.x - q.x) * 111_320.0 * q.y.to_radians().cos()).powi(2)
                + ((p.y - q.y) * 110_574.0).powi(2))
            .sqrt();
            assert!(d < metres, "{p:?} is {d} m from {q:?}");
        }
    }

    #[test]
    fn the_committed_fixture_reads_two_tables_with_times_types_and_utm_coordinates() {
        let layers =
            crate::io::read_layers(&fixture(), &crate::io::ReadOptions::default()).unwrap();
        assert_eq!(layers.len(), 2);
        let (events, utm) = (&layers[0], &layers[1]);
        assert_eq!(events.name, "two-tables.gpkg — events");
        assert_eq!(events.part.as_deref(), Some("events"));
        assert_eq!(utm.name, "two-tables.gpkg — events_utm42n");
        assert_eq!(utm.part.as_deref(), Some("events_utm42n"));
        let summary = crate::io::summary::summary(utm);
        assert!(
            summary.starts_with(&format!("{} — events_utm42n\n", fixture().display())),
            "{summary}"
        );
        for layer in &layers {
            assert!(layer.problems.is_empty(), "{:?}", messages(layer));
            assert_eq!(layer.features.len(), 32);
            assert_eq!(layer.dated_count(), 32);
            assert_eq!(
                layer.time_source.fields,
                vec![("start/end".to_string(), 32)]
            );
        }
        let first = &events.features[0];
        assert_eq!(first.id(), Some("1"));
        assert!(matches!(first.properties, Some(Properties::Row(_))));
        let props = first.properties_map();
        assert_eq!(props["id"], "e2021-camera-dispute");
        assert_eq!(props["kind"], "clash");
        assert_eq!(props["estimated"], true);
        assert_eq!(props["start"], "2021-04-28T11:30:00.000+06:00");
        assert!(!props.contains_key("fid") && !props.contains_key("geom"));
        assert_eq!(events.features[1].properties_map()["estimated"], false);
        let span = first.span.unwrap();
        assert_eq!(span.start().to_string(), "2021-04-28T05:30:00Z");
        assert_eq!(span.end().to_string(), "2021-04-28T17:59:59Z");
        // The UTM table comes back within a metre of the WGS84 original, feature by feature.
        let mut kinds = std::collections::BTreeSet::new();
        for (a, b) in events.features.iter().zip(&utm.features) {
            assert_eq!(a.id(), b.id());
            assert_eq!(a.span, b.span);
            let (ga, gb) = (a.geometry().unwrap(), b.geometry().unwrap());
            let (ga, gb) = (&*ga, &*gb);
            kinds.insert(crate::model::geometry_type_name(ga));
            near(gb, ga, 1.0);
        }
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["MultiPoint", "MultiPolygon", "Point"]
        );
        // The first one checked by hand: Golovnoi at 70.536 E 39.95 N.
        let geometry = utm.features[0].geometry();
        let Some(Geometry::MultiPoint(mp)) = geometry.as_deref() else {
            panic!("{:?}", utm.features[0].shape);
        };
        assert!((mp.0[0].x() - 70.536).abs() < 1e-6 && (mp.0[0].y() - 39.95).abs() < 1e-6);
    }

    #[test]
    fn the_file_is_not_changed_nor_anything_made_next_to_it() {
        let dir = temp("unchanged");
        let path = dir.join("two-tables.gpkg");
        std::fs::copy(fixture(), &path).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let before = std::fs::read(&path).unwrap();
        let listing = || {
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            names
        };
        let names = listing();
        let layers = read(&path).unwrap();
        assert_eq!(layers.len(), 2);
        // While the layers are held and after: same bytes, same mtime, no -wal, -shm, -journal.
        assert_eq!(listing(), names);
        drop(layers);
        assert_eq!(listing(), names);
        assert!(
            std::fs::read(&path).unwrap() == before,
            "the file's bytes changed"
        );
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A GeoPackage geometry blob: `envelope` indicator, header byte order, empty flag, WKB.
    fn blob(envelope: u8, little: bool, empty: bool, wkb: &[u8]) -> Vec<u8> {
        let flags = u8::from(little) | (envelope << 1) | (u8::from(empty) << 4);
        let mut out = vec![b'G', b'P', 0, flags];
        let srs: i32 = 4326;
        out.extend(if little {
            srs.to_le_bytes()
        } else {
            srs.to_be_bytes()
        });
        let size = [0, 32, 48, 48, 64, 0, 0, 0][usize::from(envelope)];
        out.extend(std::iter::repeat_n(0x7f, size));
        out.extend_from_slice(wkb);
        out
    }

    /// WKB of a point, in either byte order.
    fn wkb_point(little: bool, x: f64, y: f64) -> Vec<u8> {
        let mut out = vec![u8::from(little)];
        if little {
            out.extend(1u32.to_le_bytes());
            out.extend(x.to_le_bytes());
            out.extend(y.to_le_bytes());
        } else {
            out.extend(1u32.to_be_bytes());
            out.extend(x.to_be_bytes());
            out.extend(y.to_be_bytes());
        }
        out
    }

    #[test]
    fn every_envelope_both_byte_orders_and_empty_geometries() {
        let point = Geometry::Point(geo::Point::new(70.5, 40.25));
        for envelope in 0..=4 {
            for little in [true, false] {
                for wkb_little in [true, false] {
                    let b = blob(envelope, little, false, &wkb_point(wkb_little, 70.5, 40.25));
                    assert_eq!(
                        read_geometry(&b, None),
                        Ok(Some(point.clone())),
                        "envelope {envelope} little {little}/{wkb_little}"
                    );
                }
                // The empty flag, whatever follows.
                let b = blob(envelope, little, true, &wkb_point(true, 1.0, 2.0));
                assert_eq!(read_geometry(&b, None), Err(GeometryProblem::Empty));
            }
        }
        // POINT EMPTY as NaN coordinates, and an empty line string.
        let b = blob(1, true, false, &wkb_point(true, f64::NAN, f64::NAN));
        assert_eq!(read_geometry(&b, None), Err(GeometryProblem::Empty));
        let b = blob(0, true, false, &[1, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(read_geometry(&b, None), Err(GeometryProblem::Empty));
        // Envelope indicators 5 to 7, a truncated envelope, no magic, another version, the
        // extended form.
        for envelope in 5..=7 {
            let b = blob(envelope, true, false, &wkb_point(true, 1.0, 2.0));
            let e = read_geometry(&b, None).unwrap_err();
            assert!(format!("{e:?}").contains("envelope indicator"), "{e:?}");
        }
        let b = blob(4, true, false, &[]);
        assert_eq!(
            read_geometry(&b[..40], None),
            Err(GeometryProblem::Header(
                "geometry of 40 bytes ends inside its 64-byte envelope".into()
            ))
        );
        let mut b = blob(0, true, false, &wkb_point(true, 1.0, 2.0));
        b[0] = b'X';
        assert!(read_geometry(&b, None).is_err());
        b[0] = b'G';
        b[2] = 1;
        assert!(read_geometry(&b, None).is_err());
        b[2] = 0;
        b[3] |= 0b0010_0000;
        assert!(matches!(
            read_geometry(&b, None),
            Err(GeometryProblem::Wkb(WkbError::Unsupported(_)))
        ));
        // Reprojected from Web Mercator.
        let merc = Crs::WebMercator.to_wgs84();
        let b = blob(
            0,
            true,
            false,
            &wkb_point(true, 7_881_419.948_2, 4_874_665.150_5),
        );
        let g = read_geometry(&b, merc.as_ref()).unwrap().unwrap();
        near(&g, &Geometry::Point(geo::Point::new(70.8, 40.06)), 0.01);
    }

    #[test]
    fn a_hostile_blob_is_refused_fast() {
        // 2^31 points declared in 20 bytes of WKB.
        let mut wkb = vec![1u8];
        wkb.extend(2u32.to_le_bytes());
        wkb.extend((1u32 << 31).to_le_bytes());
        wkb.extend([0u8; 11]);
        assert_eq!(wkb.len(), 20);
        let started = std::time::Instant::now();
        let e = read_geometry(&blob(1, true, false, &wkb), None).unwrap_err();
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
        assert!(
            format!("{e:?}").contains("2147483648 points declared but only 11 bytes left"),
            "{e:?}"
        );
    }

    /// Opens `path` for writing (only test files are ever written).
    fn write(path: &Path) -> Connection {
        Connection::open(path).unwrap()
    }

    /// A minimal GeoPackage at `path` with a feature table `things` in `srs_id` holding
    /// `rows` of (geometry blob or NULL, integer column `n`), plus whatever `extra` SQL does.
    fn minimal(path: &Path, srs_id: i64, extra: &str) -> Connection {
        let conn = write(path);
        conn.execute_batch(&format!(
            "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY, \
               organization TEXT, organization_coordsys_id INTEGER, definition TEXT);
             INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, ''),
               ('undefined geographic', 0, 'NONE', 0, 'undefined'),
               ('RGF93 v1 / Lambert-93', 2154, 'EPSG', 2154, 'PROJCS[\"RGF93 v1 / Lambert-93\"]');
             CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT, srs_id INTEGER);
             CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT, \
               geometry_type_name TEXT, srs_id INTEGER, z TINYINT, m TINYINT);
             CREATE TABLE gpkg_data_columns (table_name TEXT, column_name TEXT, mime_type TEXT);
             CREATE TABLE things (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY, n INTEGER);
             INSERT INTO gpkg_contents VALUES ('things', 'features', {srs_id});
             INSERT INTO gpkg_geometry_columns VALUES ('things', 'geom', 'GEOMETRY', {srs_id}, 0, 0);
             {extra}"
        ))
        .unwrap();
        conn
    }

    fn insert(conn: &Connection, geometry: Option<Vec<u8>>, n: i64) {
        conn.execute(
            "INSERT INTO things (geom, n) VALUES (?1, ?2)",
            rusqlite::params![geometry, n],
        )
        .unwrap();
    }

    #[test]
    fn empty_curved_broken_and_hostile_geometries_are_named_by_table_and_fid() {
        let dir = temp("geometries");
        let path = dir.join("g.gpkg");
        let conn = minimal(&path, 4326, "");
        insert(
            &conn,
            Some(blob(1, true, false, &wkb_point(true, 70.5, 40.0))),
            1,
        );
        insert(
            &conn,
            Some(blob(0, true, true, &wkb_point(true, 0.0, 0.0))),
            2,
        );
        insert(
            &conn,
            Some(blob(0, false, false, &wkb_point(false, f64::NAN, f64::NAN))),
            3,
        );
        // A CircularString of no points.
        insert(
            &conn,
            Some(blob(0, true, false, &[1, 8, 0, 0, 0, 0, 0, 0, 0])),
            4,
        );
        insert(&conn, None, 5);
        let mut hostile = vec![1u8];
        hostile.extend(2u32.to_le_bytes());
        hostile.extend((1u32 << 31).to_le_bytes());
        hostile.extend([0u8; 11]);
        insert(&conn, Some(blob(0, true, false, &hostile)), 6);
        insert(&conn, Some(b"not a geometry".to_vec()), 7);
        drop(conn);
        let layers = read(&path).unwrap();
        let layer = &layers[0];
        assert_eq!(layer.name, "g.gpkg — things");
        // Every row is a feature; only the first has a geometry.
        assert_eq!(layer.features.len(), 7);
        let with: Vec<_> = layer.features.iter().map(|f| f.shape.is_some()).collect();
        assert_eq!(with, [true, false, false, false, false, false, false]);
        let all = messages(layer);
        let expect = [
            "g.gpkg: warning: feature 2: table 'things', fid 2: empty geometry; feature kept \
             without one",
            "g.gpkg: warning: feature 3: table 'things', fid 3: empty geometry; feature kept \
             without one",
            "g.gpkg: warning: feature 4: table 'things', fid 4: CircularString geometry not \
             supported; feature kept without geometry",
            "g.gpkg: error: feature 6: table 'things', fid 6: invalid WKB at byte 5: \
             2147483648 points declared but only 11 bytes left (each takes at least 16); \
             feature kept without geometry",
            "g.gpkg: error: feature 7: table 'things', fid 7: invalid GeoPackage geometry: no \
             'GP' header; feature kept without geometry",
        ];
        assert_eq!(all, expect);
        // A null geometry is no problem.
        assert_eq!(layer.features[4].properties_map()["n"], 5);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn attributes_keep_their_types_and_odd_rows_are_kept_as_json() {
        let dir = temp("attributes");
        let path = dir.join("a.gpkg");
        let conn = minimal(
            &path,
            4326,
            "ALTER TABLE things ADD COLUMN r REAL;
             ALTER TABLE things ADD COLUMN t TEXT(20);
             ALTER TABLE things ADD COLUMN b BOOLEAN;
             ALTER TABLE things ADD COLUMN date DATE;
             ALTER TABLE things ADD COLUMN dt DATETIME;
             ALTER TABLE things ADD COLUMN bin BLOB;
             ALTER TABLE things ADD COLUMN j TEXT;
             INSERT INTO gpkg_data_columns VALUES ('things', 'j', 'application/json');
             CREATE TABLE notes (id INTEGER PRIMARY KEY, note TEXT);
             INSERT INTO gpkg_contents VALUES ('notes', 'attributes', 0);",
        );
        let p = blob(0, true, false, &wkb_point(true, 70.0, 40.0));
        conn.execute(
            "INSERT INTO things (geom, n, r, t, b, date, dt, bin, j) VALUES \
             (?1, 7, 2.5, 'Osh', 1, '2022-09-14', '2022-09-14T12:30:00.000Z', x'00ff', '[1, {\"a\": null}]'),
             (?1, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL),
             (?1, 'seven', 3, '', NULL, NULL, NULL, NULL, 'not json'),
             (?1, 8, 1.5, '', 1, NULL, NULL, NULL, NULL)",
            [&p],
        )
        .unwrap();
        drop(conn);
        let layers = read(&path).unwrap();
        assert_eq!(layers.len(), 1, "the attribute table is no layer");
        let layer = &layers[0];
        assert_eq!(
            messages(layer),
            [
                "a.gpkg: warning: table 'things': column 'bin' (BLOB) skipped: binary or \
                 geometry values are not read as properties",
                "a.gpkg: warning: attribute table without geometry not read: 'notes'",
            ]
        );
        let f = &layer.features;
        assert!(matches!(f[0].properties, Some(Properties::Row(_))));
        assert_eq!(
            Value::Object(f[0].properties_map()),
            serde_json::json!({"n": 7, "r": 2.5, "t": "Osh", "b": true, "date": "2022-09-14",
                "dt": "2022-09-14T12:30:00.000Z", "j": [1, {"a": null}]})
        );
        assert_eq!(
            f[0].properties.as_ref().unwrap().text_of("t").as_deref(),
            Some("Osh")
        );
        // Dated from its `date` column (`dt` is no time name).
        assert_eq!(layer.time_source.fields, vec![("date".to_string(), 1)]);
        assert_eq!(
            Value::Object(f[1].properties_map()),
            serde_json::json!({"n": null, "r": null, "t": null, "b": false, "date": null,
                "dt": null, "j": null})
        );
        // Text in an INTEGER column and an empty text: kept exactly, as JSON.
        assert!(matches!(f[2].properties, Some(Properties::Json(_))));
        assert_eq!(
            Value::Object(f[2].properties_map()),
            serde_json::json!({"n": "seven", "r": 3.0, "t": "", "b": null, "date": null,
                "dt": null, "j": "not json"})
        );
        // An empty text alone is enough: a cell could not tell it from null.
        assert!(matches!(f[3].properties, Some(Properties::Json(_))));
        assert_eq!(f[3].properties_map()["t"], "");
        assert_eq!(f[0].id(), Some("1"));
        // A whole real in a row of cells stays a real.
        let conn = write(&path);
        conn.execute("UPDATE things SET r = 4 WHERE fid = 2", [])
            .unwrap();
        drop(conn);
        let layers = read(&path).unwrap();
        let f = &layers[0].features[1];
        assert!(matches!(f.properties, Some(Properties::Row(_))));
        assert_eq!(f.properties_map()["r"], serde_json::json!(4.0));
        assert!(f.properties_map()["r"].is_f64());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn crs_unknown_refuses_its_table_only_and_undefined_is_wgs84_with_a_warning() {
        let dir = temp("crs");
        // The fixture with its UTM table said to be in Lambert-93.
        let path = dir.join("lambert.gpkg");
        std::fs::copy(fixture(), &path).unwrap();
        let conn = write(&path);
        conn.execute_batch(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('RGF93 v1 / Lambert-93', 2154, 'EPSG', \
               2154, 'PROJCS[\"RGF93 v1 / Lambert-93\"]', NULL);
             UPDATE gpkg_geometry_columns SET srs_id = 2154 WHERE table_name = 'events_utm42n';
             UPDATE gpkg_contents SET srs_id = 2154 WHERE table_name = 'events_utm42n';",
        )
        .unwrap();
        drop(conn);
        let layers = read(&path).unwrap();
        assert_eq!(layers[0].features.len(), 32);
        assert!(layers[0].problems.is_empty());
        let utm = &layers[1];
        assert!(utm.features.is_empty());
        assert_eq!(utm.problems.len(), 1);
        let text = &messages(utm)[0];
        assert!(
            text.starts_with("lambert.gpkg: error: table 'events_utm42n': coordinate system EPSG:2154 is not supported"),
            "{text}"
        );
        // Another organisation: its WKT decides, and names it.
        let conn = write(&path);
        conn.execute_batch(
            "UPDATE gpkg_spatial_ref_sys SET organization = 'IGNF', organization_coordsys_id = 7 \
             WHERE srs_id = 2154;",
        )
        .unwrap();
        drop(conn);
        let layers = read(&path).unwrap();
        let text = layers[1].problems[0].to_string();
        assert!(text.contains("RGF93 v1 / Lambert-93 (IGNF:7)"), "{text}");
        // srs_id 0: read as WGS84, with a warning.
        let path = dir.join("undefined.gpkg");
        let conn = minimal(&path, 0, "");
        insert(
            &conn,
            Some(blob(0, true, false, &wkb_point(true, 70.5, 40.0))),
            1,
        );
        drop(conn);
        let layers = read(&path).unwrap();
        assert_eq!(layers[0].features.len(), 1);
        assert_eq!(
            messages(&layers[0]),
            [
                "undefined.gpkg: warning: table 'things': coordinate system undefined (srs_id 0): \
              read as WGS84 longitude/latitude"
            ]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn no_feature_table_or_no_geopackage_is_an_error() {
        let dir = temp("none");
        let path = dir.join("tiles.gpkg");
        let conn = minimal(
            &path,
            4326,
            "DELETE FROM gpkg_contents; DELETE FROM gpkg_geometry_columns;
             INSERT INTO gpkg_contents VALUES ('basemap', 'tiles', 3857), ('notes', 'attributes', 0);",
        );
        drop(conn);
        let e = read(&path).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: error: GeoPackage: no feature table to read, only 'basemap' (tiles), \
                 'notes' (attributes)",
                path.display()
            )
        );
        let path = dir.join("plain.gpkg");
        write(&path).execute_batch("CREATE TABLE t (a);").unwrap();
        let e = read(&path).unwrap_err();
        assert!(
            e.message.contains("without a readable gpkg_contents"),
            "{e}"
        );
        let path = dir.join("text.gpkg");
        std::fs::write(&path, "{\"type\": \"FeatureCollection\", \"features\": []}").unwrap();
        let e = read(&path).unwrap_err();
        assert!(e.message.contains("not an SQLite database"), "{e}");
        // Through read_layers, by extension.
        let e = crate::io::read_layers(&path, &crate::io::ReadOptions::default()).unwrap_err();
        assert!(e.message.contains("not a GeoPackage"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn names_with_uri_characters_open() {
        let dir = temp("uri");
        let path = dir.join("a ?b#c%20 — Ош.gpkg");
        std::fs::copy(fixture(), &path).unwrap();
        let layers = read(&path).unwrap();
        assert_eq!(layers.len(), 2);
        assert_eq!(layers[0].name, "a ?b#c%20 — Ош.gpkg — events");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn cancelling_stops_between_rows() {
        let progress = Progress::default();
        progress.cancel.store(true, Ordering::Relaxed);
        let layers = read_gpkg(&fixture(), &TimeReader::default(), Some(&progress)).unwrap();
        assert!(layers.iter().all(|l| l.features.is_empty()));
    }

    /// The whole events layer converted by the installed ogr2ogr (every column, the JSON
    /// ones included) and again in UTM 42N. Skipped, saying so, where GDAL is not installed.
    #[test]
    fn ogr2ogr_events_and_their_utm_copy() {
        let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/events.geojson");
        let dir = temp("ogr");
        let path = dir.join("events.gpkg");
        let run = |args: &[&str]| std::process::Command::new("ogr2ogr").args(args).status();
        let source = events.to_str().unwrap();
        let out = path.to_str().unwrap();
        match run(&["-f", "GPKG", out, source, "-nln", "events"]) {
            Ok(s) => assert!(s.success()),
            Err(_) => {
                eprintln!("ogr2ogr not installed: test skipped");
                return;
            }
        }
        let s = run(&[
            "-update",
            out,
            source,
            "-nln",
            "utm",
            "-t_srs",
            "EPSG:32642",
        ])
        .unwrap();
        assert!(s.success());
        let layers = read(&path).unwrap();
        assert_eq!(layers.len(), 2);
        let original = crate::io::read_path(&events, &crate::io::ReadOptions::default()).unwrap();
        for layer in &layers {
            assert!(layer.problems.is_empty(), "{:?}", messages(layer));
            assert_eq!(layer.features.len(), 32);
            assert_eq!(layer.dated_count(), 32);
            for (f, o) in layer.features.iter().zip(&original.features) {
                assert_eq!(f.span, o.span);
                near(
                    f.geometry().as_deref().unwrap(),
                    o.geometry().as_deref().unwrap(),
                    1.0,
                );
                let (fp, op) = (f.properties_map(), o.properties_map());
                // Arrays and objects come back as JSON, not as text.
                assert_eq!(fp["claims"], op["claims"]);
                assert_eq!(fp["id"], op["id"]);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
