//! CSV (and TSV) with coordinates, including ACLED's exports.
//!
//! - The delimiter is `,`, or `;` or a tab when the header line has more of them (a `.tsv`
//!   file is always tab-separated). A byte order mark is skipped; quoted fields may hold
//!   delimiters and newlines.
//! - Coordinates come from the columns named (case-insensitively) `latitude`/`lat`/`y` and
//!   `longitude`/`lon`/`lng`/`long`/`x`, or from a `wkt`/`geometry`/`geom`/`the_geom` column
//!   holding WKT, read by the georust `wkt` crate: `POINT`, `LINESTRING`, `POLYGON`, their
//!   `MULTI` forms and `GEOMETRYCOLLECTION`, with Z, M or ZM values (dropped: 2D is kept)
//!   and an optional `SRID=4326;` prefix; an `EMPTY` geometry gives a feature without
//!   geometry and a warning naming its row. The WKT column wins when both are given and it
//!   is not empty. With a `;` or tab delimiter, a decimal comma is read too.
//! - Every other column becomes a property: a JSON number when the cell is written as one,
//!   else text; empty cells are left out. A column `id` (or ACLED's `event_id_cnty`) is also
//!   the feature's id. Dates written as "16 September 2022" in the time columns are
//!   rewritten as ISO dates, so the layer's `TimeReader` reads them.
//! - ACLED exports (columns `event_date` and `event_type`) are also mapped onto the app's
//!   schema: `kind`, `title`, `summary`, `place`, `claims`, `sources`,
//!   `location_precision`/`estimated` from `geo_precision`, and `time_precision` from ACLED's
//!   number (kept as `acled_time_precision`). ACLED's `timestamp` column (when the row was
//!   uploaded, not when the event happened) is kept as `acled_timestamp`, so that the time
//!   comes from `event_date`.
//! - A row without usable coordinates is an error naming its line; the row is skipped and
//!   the rest loads. Nothing panics on any input.
//! - A row is kept as its cells ([`Properties::Row`]): its properties (and the ACLED
//!   mapping) are made only when something reads them, and its time is read straight from
//!   its time columns. A million rows take about the memory of their text.
//! - A file of more than one batch ([`BATCH_ROWS`] rows) is read on two threads: the calling
//!   thread tokenizes the records (csv's reader) and finds their lines, a second thread reads
//!   the rows of the batches into features and problems, and the calling thread reads a
//!   batch itself when [`QUEUED_BATCHES`] already wait for the second. The batches are added
//!   to the layer in file order, so the layer is the one a single thread reads. A million
//!   ACLED rows: 3.4 -> 2.0 s; at most [`PENDING_BATCHES`] batches are in flight, a few MB.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use geo::{Geometry, LineString, Point, Polygon};
use serde_json::{Map, Value, json};

use crate::io::common::{self, Place, insert_absent, json_scalar};
use crate::io::timefields::{PAIRS, SINGLES, TimeReader};
use crate::model::{Feature, Layer, Problem, Properties, Row, Severity, Shape, Table};

const LAT_NAMES: [&str; 3] = ["latitude", "lat", "y"];
const LON_NAMES: [&str; 5] = ["longitude", "lon", "lng", "long", "x"];
const WKT_NAMES: [&str; 4] = ["wkt", "geometry", "geom", "the_geom"];

/// Reads a CSV table from `reader`. `delimiter` forces one (a tab for `.tsv`); `None`
/// sniffs `,`, `;` or a tab from the header line. Problems are collected in the layer, each
/// naming `path`; the read never panics.
pub fn read_csv<R: Read>(
    reader: R,
    path: &Path,
    time: &TimeReader,
    delimiter: Option<u8>,
) -> Layer {
    read_csv_in(
        reader,
        path,
        time,
        delimiter,
        BATCH_ROWS,
        Some(QUEUED_BATCHES),
    )
}

/// Rows (and unreadable records) per batch of records handed from the tokenizer to the
/// threads reading the rows.
const BATCH_ROWS: usize = 1024;

/// Full batches that may wait for the second thread: when it has that many, the calling
/// thread reads the next batch itself.
const QUEUED_BATCHES: usize = 2;

/// Batches read (or being read) but not yet added to the layer, at most: beyond, the calling
/// thread waits for the second one. With the one being filled and one spare, a few more
/// batches of records exist than this (a few MB of ACLED's rows).
const PENDING_BATCHES: usize = 4;

/// [`read_csv`], handing the records over in batches of `batch_rows`. With `queued` and more
/// than one batch, a second thread reads the rows of the batches while this one tokenizes
/// the next, and reads one itself when `queued` batches wait for the second thread; the
/// batches are added to the layer in file order, so it is the same either way. `None`: one
/// thread.
fn read_csv_in<R: Read>(
    reader: R,
    path: &Path,
    time: &TimeReader,
    delimiter: Option<u8>,
    batch_rows: usize,
    queued: Option<usize>,
) -> Layer {
    let mut layer = common::new_layer(path, time);
    let fatal = |layer: &mut Layer, place: Place, message: String| {
        common::push_problem(layer, path, Severity::Error, place, message);
    };
    // Read up to the first non-blank line, to skip a byte order mark and sniff the delimiter.
    let mut input = BufReader::with_capacity(1 << 16, common::LineCap::new(reader));
    let mut head = Vec::new();
    loop {
        let before = head.len();
        match input.read_until(b'\n', &mut head) {
            Ok(0) => break,
            Ok(_) => {
                if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
                    head.drain(..3);
                }
                if !is_blank(&head[before.min(head.len())..]) {
                    break;
                }
            }
            Err(e) => {
                fatal(&mut layer, Place::at(1, 1), format!("read error: {e}"));
                return layer;
            }
        }
    }
    if is_blank(&head) {
        fatal(
            &mut layer,
            Place::at(1, 1),
            "empty file: no header line naming the columns".into(),
        );
        return layer;
    }
    let header_line = head
        .rsplit(|&b| b == b'\n')
        .find(|l| !is_blank(l))
        .unwrap_or(&head);
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(header_line));
    let mut table = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(LineCounter {
            inner: Cursor::new(head).chain(input),
            offset: 0,
            pending: VecDeque::new(),
            passed: 0,
            last_was_cr: false,
        });

    let headers = match table.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let line = table
                .get_mut()
                .line_at(e.position().map_or(0, |p| p.byte()));
            fatal(
                &mut layer,
                Place::at(line, 1),
                format!("cannot read the header line: {}", describe(&e)),
            );
            return layer;
        }
    };
    let header_line_no = table
        .get_mut()
        .line_at(headers.position().map_or(0, |p| p.byte()));
    let columns = Columns::new(&headers);
    if columns.wkt.is_none() && (columns.lat.is_none() || columns.lon.is_none()) {
        let names: Vec<&str> = headers.iter().collect();
        let hint = match (columns.lat, columns.lon) {
            (Some(_), None) => "a latitude column but no longitude column",
            (None, Some(_)) => "a longitude column but no latitude column",
            _ => "no coordinate columns",
        };
        fatal(
            &mut layer,
            Place::at(header_line_no, 1),
            format!(
                "{hint}: expected latitude/lat/y and longitude/lon/lng/long/x, or wkt/geometry \
                 (columns found, split at '{}': {})",
                show_delimiter(delimiter),
                common::shorten(&names.join(", "), 200)
            ),
        );
        return layer;
    }
    let acled = columns.names.iter().any(|n| n == "event_date")
        && columns.names.iter().any(|n| n == "event_type");
    let reading = Reading::new(&columns, acled, time);
    let facts = columns.clone();
    let named = columns.clone();
    // The cells the facts read: the fact columns but the coordinates (never read as facts).
    let fact_columns: Vec<usize> = (0..columns.names.len())
        .filter(|&i| columns.fact.get(i).copied().unwrap_or(false))
        .filter(|&i| ![columns.lat, columns.lon, columns.wkt].contains(&Some(i)))
        .collect();
    let name_key = NameKey::new(&columns, acled);
    let names = columns.names.clone();
    let mut tokens = Tokenizer {
        table,
        path,
        index: 0,
        done: false,
    };
    let mut batch = Batch::default();
    tokens.fill(&mut batch, batch_rows);
    let rows_read = batch
        .items
        .iter()
        .filter(|i| matches!(i, Item::Row { .. }))
        .count();
    let dictionary = dictionary(
        batch.records.get(..rows_read).unwrap_or_default(),
        names.len(),
        &[columns.lat, columns.lon, columns.wkt],
    );
    let id_columns = reading.id.clone();
    let rows = Arc::new(
        Table::new(
            move |cells| expand_row(&columns, acled, cells, None),
            move |cells| expand_row(&facts, acled, cells, Some(&facts.fact)),
        )
        .with_names(
            move |cells| expand_row(&named, acled, cells, Some(&named.named)),
            move |cells| name_key.of(cells),
        )
        .with_fact_columns(fact_columns)
        .with_columns(names)
        .with_id_columns(id_columns)
        .with_dictionary(dictionary),
    );

    let reader = RowReader {
        rows,
        reading,
        delimiter,
        path,
        time,
    };
    let queued = queued.filter(|_| !tokens.done);
    if let Some(queued) = queued {
        std::thread::scope(|scope| {
            let (to_worker, worker_in) = std::sync::mpsc::sync_channel::<Batch>(queued);
            let (worker_out, from_worker) = std::sync::mpsc::channel::<Batch>();
            let reader = &reader;
            #[cfg(test)]
            tests::count(|c| c.workers += 1);
            let worker = scope.spawn(move || {
                for mut batch in worker_in {
                    reader.read_batch(&mut batch);
                    if worker_out.send(batch).is_err() {
                        break;
                    }
                }
            });
            let mut merging = Merging {
                order: VecDeque::new(),
                spare: Vec::new(),
                from_worker,
            };
            loop {
                // To the worker, or read here when it has enough waiting already.
                match to_worker.try_send(batch) {
                    Ok(()) => {
                        #[cfg(test)]
                        tests::count(|c| c.sent += 1);
                        merging.order.push_back(None);
                    }
                    Err(std::sync::mpsc::TrySendError::Full(mut batch)) => {
                        #[cfg(test)]
                        tests::count(|c| c.here += 1);
                        reader.read_batch(&mut batch);
                        merging.order.push_back(Some(batch));
                    }
                    // The worker has panicked: joining it says so.
                    Err(std::sync::mpsc::TrySendError::Disconnected(_)) => break,
                }
                if !merging.merge(&mut layer, PENDING_BATCHES) || tokens.done {
                    break;
                }
                batch = merging.spare.pop().unwrap_or_default();
                tokens.fill(&mut batch, batch_rows);
            }
            drop(to_worker);
            merging.merge(&mut layer, 0);
            if let Err(panic) = worker.join() {
                std::panic::resume_unwind(panic);
            }
        });
    } else {
        // One batch (or no second thread wanted): no thread to start.
        loop {
            reader.read(&batch.records, &mut batch.items, &mut layer);
            if tokens.done {
                break;
            }
            tokens.fill(&mut batch, batch_rows);
        }
    }
    let index = tokens.index;
    if index == 0 {
        common::push_problem(
            &mut layer,
            path,
            Severity::Warning,
            Place::at(header_line_no, 1),
            "no rows after the header line",
        );
    }
    common::limit_problems(&mut layer, path);
    layer
}

/// Rows read before a table's dictionary is chosen from them: fewer, and it has none.
const DICTIONARY_ROWS: usize = 256;

/// The values of each column that the rows store as codes ([`Table::with_dictionary`]),
/// judged from the first `records`: a column (not a coordinate in `skip`) of a few values
/// (the country, the kind of event, the source) longer than a code. A value first seen
/// later is stored as it is.
fn dictionary(
    records: &[csv::StringRecord],
    columns: usize,
    skip: &[Option<usize>],
) -> Vec<Vec<String>> {
    if records.len() < DICTIONARY_ROWS {
        return Vec::new();
    }
    (0..columns)
        .map(|i| {
            if skip.contains(&Some(i)) {
                return Vec::new();
            }
            let mut values: Vec<&str> = Vec::new();
            let mut bytes = 0;
            for cell in records.iter().filter_map(|r| r.get(i)) {
                bytes += cell.len();
                if !values.contains(&cell) {
                    if values.len() == Table::DICTIONARY_VALUES {
                        return Vec::new();
                    }
                    values.push(cell);
                }
            }
            // A code takes two bytes.
            if bytes < 3 * records.len() {
                return Vec::new();
            }
            values.into_iter().map(str::to_string).collect()
        })
        .collect()
}

/// Records read by the [`Tokenizer`], in file order, for the [`RowReader`].
#[derive(Default)]
struct Batch {
    /// The records of the batch's [`Item::Row`]s, in order; only the first as many as there
    /// are rows count (the rest are kept for the next filling).
    records: Vec<csv::StringRecord>,
    /// The rows and the records csv could not read, in file order.
    items: Vec<Item>,
    /// With two threads, what the rows gave (features, problems, times), to be added to the
    /// layer in turn.
    read: Layer,
}

enum Item {
    /// The next record of the batch: the row at `line`, feature `index`.
    Row { line: u64, index: usize },
    /// A record that could not be read.
    Problem(Box<Problem>),
}

/// The first stage of the reading: csv's tokenizer, and where each record starts.
struct Tokenizer<'a, R> {
    table: csv::Reader<LineCounter<R>>,
    path: &'a Path,
    /// Rows so far, read or not: the index of the next feature.
    index: usize,
    /// The input has ended, or cannot be read any further.
    done: bool,
}

impl<R: Read> Tokenizer<'_, R> {
    /// Fills `batch`, emptied of items, with up to `rows` rows and unreadable records.
    fn fill(&mut self, batch: &mut Batch, rows: usize) {
        let mut used = 0;
        while !self.done && batch.items.len() < rows.max(1) {
            if batch.records.len() <= used {
                batch.records.push(csv::StringRecord::new());
            }
            let Some(record) = batch.records.get_mut(used) else {
                break;
            };
            match self.table.read_record(record) {
                Ok(false) => self.done = true,
                Ok(true) if record.iter().all(str::is_empty) => {}
                Ok(true) => {
                    // csv's own line numbers do not count blank lines: count them from the
                    // bytes.
                    let byte = record.position().map_or(0, |p| p.byte());
                    let line = self.table.get_mut().line_at(byte);
                    batch.items.push(Item::Row {
                        line,
                        index: self.index,
                    });
                    used += 1;
                    self.index += 1;
                }
                Err(e) => {
                    let line = e.position().map(|p| self.table.get_mut().line_at(p.byte()));
                    let place = Place {
                        line,
                        column: None,
                        feature: Some(self.index),
                    };
                    let recoverable = matches!(e.kind(), csv::ErrorKind::Utf8 { .. });
                    let message = if recoverable {
                        format!("{}; row skipped", describe(&e))
                    } else {
                        describe(&e)
                    };
                    let problem = common::problem(self.path, Severity::Error, place, message);
                    batch.items.push(Item::Problem(Box::new(problem)));
                    self.index += 1;
                    self.done = !recoverable;
                }
            }
        }
    }
}

/// The second stage of the reading: the rows of a batch into features and problems.
struct RowReader<'a> {
    rows: Arc<Table>,
    reading: Reading,
    delimiter: u8,
    path: &'a Path,
    time: &'a TimeReader,
}

impl RowReader<'_> {
    /// Reads the `items` (their rows in `records`) into `layer`, in order, and empties them.
    fn read(&self, records: &[csv::StringRecord], items: &mut Vec<Item>, layer: &mut Layer) {
        let first = layer.features.len();
        let mut records = records.iter();
        for item in items.drain(..) {
            match item {
                Item::Row { line, index } => {
                    let Some(record) = records.next() else {
                        continue;
                    };
                    read_row(
                        record,
                        &self.rows,
                        &self.reading,
                        RowContext {
                            line,
                            index,
                            delimiter: self.delimiter,
                            path: self.path,
                            time: self.time,
                        },
                        layer,
                    );
                }
                Item::Problem(problem) => layer.problems.push(*problem),
            }
        }
        // The batch's rows in one text.
        crate::model::share_rows(layer.features.get_mut(first..).unwrap_or_default());
    }

    /// Reads the batch into its own `read`.
    fn read_batch(&self, batch: &mut Batch) {
        self.read(&batch.records, &mut batch.items, &mut batch.read);
    }
}

/// The batches read by either thread on their way into the layer, in file order.
struct Merging {
    /// The batches handed out and not yet added, in file order: `None` when at the second
    /// thread (which sends them back in the order it got them), else read here.
    order: VecDeque<Option<Batch>>,
    /// Batches added, to be filled again.
    spare: Vec<Batch>,
    from_worker: std::sync::mpsc::Receiver<Batch>,
}

impl Merging {
    /// Adds to `layer` the batches read, in order, until the next is still being read: waits
    /// for it while more than `pending` are left. False when the second thread is gone (it
    /// panicked).
    fn merge(&mut self, layer: &mut Layer, pending: usize) -> bool {
        loop {
            let wait = self.order.len() > pending;
            let batch = match self.order.front_mut() {
                None => return true,
                Some(here @ Some(_)) => here.take(),
                Some(None) if wait => match self.from_worker.recv() {
                    Ok(batch) => Some(batch),
                    Err(_) => return false,
                },
                Some(None) => match self.from_worker.try_recv() {
                    Ok(batch) => Some(batch),
                    Err(std::sync::mpsc::TryRecvError::Empty) => return true,
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => return false,
                },
            };
            self.order.pop_front();
            if let Some(mut batch) = batch {
                add_read(layer, &mut batch.read);
                self.spare.push(batch);
            }
        }
    }
}

/// Moves what a batch's rows gave onto the end of `layer`: features and problems in order,
/// and the time fields counted as if its rows had been read into it.
fn add_read(layer: &mut Layer, read: &mut Layer) {
    layer.features.append(&mut read.features);
    layer.problems.append(&mut read.problems);
    for (fields, n) in read.time_source.fields.drain(..) {
        match layer
            .time_source
            .fields
            .iter_mut()
            .find(|(k, _)| *k == fields)
        {
            Some((_, count)) => *count += n,
            None => layer.time_source.fields.push((fields, n)),
        }
    }
    layer.time_source.without_offset += std::mem::take(&mut read.time_source.without_offset);
}

/// Passes bytes through while counting lines, so that the byte offsets of records (which
/// only grow) can be turned into line numbers.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    /// Line ends read but not yet passed by a query: where the `\r\n` or `\n` starts, and
    /// where its `\n` is.
    pending: VecDeque<(u64, u64)>,
    /// Newlines before the last offset asked about.
    passed: u64,
    last_was_cr: bool,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n.min(buf.len())];
        for (i, &b) in read.iter().enumerate() {
            let at = self.offset + i as u64;
            if b == b'\n' {
                let start = if self.last_was_cr { at - 1 } else { at };
                self.pending.push_back((start, at));
            }
            self.last_was_cr = b == b'\r';
        }
        self.offset += read.len() as u64;
        Ok(n)
    }
}

impl<R> LineCounter<R> {
    /// The 1-based line of the record csv says starts at byte `pos`; offsets must be asked
    /// for in increasing order. csv puts blank lines before a record into it: they are
    /// skipped, as a record cannot start with a line end.
    fn line_at(&mut self, mut pos: u64) -> u64 {
        while let Some(&(start, newline)) = self.pending.front() {
            if newline < pos {
                self.passed += 1;
            } else if start == pos {
                self.passed += 1;
                pos = newline + 1;
            } else {
                break;
            }
            self.pending.pop_front();
        }
        self.passed + 1
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace())
}

/// `,`, unless the header line has more `;` or tabs (outside quotes).
fn sniff_delimiter(line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[1] > counts[0] && counts[1] >= counts[2] {
        b';'
    } else if counts[2] > counts[0] && counts[2] > counts[1] {
        b'\t'
    } else {
        b','
    }
}

fn show_delimiter(d: u8) -> String {
    match d {
        b'\t' => "tab".into(),
        d => (d as char).to_string(),
    }
}

/// A csv error, short and lowercase, without the position (the problem carries it).
fn describe(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("invalid UTF-8 in field {}", err.field() + 1)
        }
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => e.to_string(),
    }
}

/// Which columns hold what, and the property name of each.
#[derive(Clone)]
struct Columns {
    lat: Option<usize>,
    lon: Option<usize>,
    wkt: Option<usize>,
    /// Lowercase, trimmed header names.
    names: Vec<String>,
    /// Property names: the headers as written, made unique, never empty.
    keys: Vec<String>,
    /// Per column: read for an event's facts (a [`FACT_COLUMNS`] or style column).
    fact: Vec<bool>,
    /// Per column: read for the feature's names (a [`NAME_COLUMNS`] column).
    named: Vec<bool>,
}

impl Columns {
    fn new(headers: &csv::StringRecord) -> Self {
        let names: Vec<String> = headers.iter().map(|h| h.trim().to_lowercase()).collect();
        let find = |candidates: &[&str]| {
            candidates
                .iter()
                .find_map(|c| names.iter().position(|n| n == c))
        };
        let mut keys: Vec<String> = Vec::with_capacity(names.len());
        for (i, h) in headers.iter().enumerate() {
            let base = if h.trim().is_empty() {
                format!("column_{}", i + 1)
            } else {
                h.trim().to_string()
            };
            let mut key = base.clone();
            let mut n = 2;
            while keys.contains(&key) {
                key = format!("{base}_{n}");
                n += 1;
            }
            keys.push(key);
        }
        let fact = names
            .iter()
            .map(|name| {
                FACT_COLUMNS.contains(&name.as_str())
                    || ["stroke", "fill", "marker"]
                        .iter()
                        .any(|s| name.starts_with(s))
            })
            .collect();
        let named = names
            .iter()
            .map(|name| NAME_COLUMNS.contains(&name.as_str()))
            .collect();
        Self {
            lat: find(&LAT_NAMES),
            lon: find(&LON_NAMES),
            wkt: find(&WKT_NAMES),
            names,
            keys,
            fact,
            named,
        }
    }
}

/// Where a row is and how the file is read.
struct RowContext<'a> {
    line: u64,
    index: usize,
    delimiter: u8,
    path: &'a Path,
    time: &'a TimeReader,
}

/// What is read of every row as it is read: its coordinates, id and time. (The rest waits
/// in its cells until asked for.)
struct Reading {
    lat: Option<usize>,
    lon: Option<usize>,
    wkt: Option<usize>,
    /// Lowercase names of the columns, for messages and times.
    names: Vec<String>,
    /// Property names of the coordinate columns, for messages.
    lat_key: String,
    lon_key: String,
    wkt_key: String,
    /// Columns that give the feature's id, in column order.
    id: Vec<usize>,
    /// Columns that may hold the time, in column order.
    time: Vec<usize>,
}

impl Reading {
    fn new(columns: &Columns, acled: bool, time: &TimeReader) -> Self {
        let coordinate =
            |i: usize| Some(i) == columns.lat || Some(i) == columns.lon || Some(i) == columns.wkt;
        let n = columns.names.len();
        Self {
            lat: columns.lat,
            lon: columns.lon,
            wkt: columns.wkt,
            names: columns.names.clone(),
            lat_key: columns
                .lat
                .map(|i| columns.keys[i].clone())
                .unwrap_or_default(),
            lon_key: columns
                .lon
                .map(|i| columns.keys[i].clone())
                .unwrap_or_default(),
            wkt_key: columns
                .wkt
                .map(|i| columns.keys[i].clone())
                .unwrap_or_default(),
            id: (0..n)
                .filter(|&i| !coordinate(i))
                .filter(|&i| {
                    columns.names[i] == "id" || (acled && columns.names[i] == "event_id_cnty")
                })
                .collect(),
            // ACLED's `timestamp` is when the row was uploaded: it is kept, not read.
            time: (0..n)
                .filter(|&i| !coordinate(i))
                .filter(|&i| !(acled && columns.names[i] == "timestamp"))
                .filter(|&i| time.wants(&columns.names[i]))
                .collect(),
        }
    }
}

/// A cell as the JSON value of its property: a time column's written date as an ISO date,
/// a number as a number, else text.
fn cell_value(name: &str, value: &str) -> Value {
    let is_time_column =
        SINGLES.contains(&name) || PAIRS.iter().any(|(s, e)| *s == name || *e == name);
    match is_time_column.then(|| written_date(value)).flatten() {
        Some(iso) => Value::String(iso),
        None => json_scalar(value),
    }
}

/// Columns that give what the map draws with: the kind, claims and toll, the estimate, the
/// style and the name (see `model::dataset::FeatureDraw`), ACLED's included.
const FACT_COLUMNS: [&str; 13] = [
    "kind",
    "event_type",
    "sub_event_type",
    "type",
    "estimated",
    "location_precision",
    "geo_precision",
    "claims",
    "fatalities",
    "time_precision",
    "title",
    "name",
    "pair",
];

/// Columns that name a row (its `name` and `title`, ACLED's title from its place and what
/// happened), for the place search.
const NAME_COLUMNS: [&str; 7] = [
    "name",
    "title",
    "alt_names",
    "location",
    "event_type",
    "sub_event_type",
    "notes",
];

/// What a row's `name`, `title` and `alt_names` (what the place search reads) depend on:
/// its name cells, but ACLED's notes only where there is no location (they give the title
/// then).
struct NameKey {
    /// The name columns, in cell order.
    named: Vec<usize>,
    /// ACLED's `notes` and `location` columns.
    notes: Option<usize>,
    location: Option<usize>,
}

impl NameKey {
    fn new(columns: &Columns, acled: bool) -> Self {
        let find = |name: &str| columns.names.iter().position(|n| n == name);
        let notes = find("notes").filter(|_| acled);
        Self {
            named: (0..columns.names.len())
                .filter(|&i| columns.named.get(i).copied().unwrap_or(false))
                .collect(),
            notes,
            location: notes.and(find("location")),
        }
    }

    /// The key of a row of `cells`: the cells the names come from.
    fn of(&self, cells: &[&str]) -> String {
        let cell = |i: usize| cells.get(i).copied().unwrap_or_default();
        let has_location = self.location.is_some_and(|i| !cell(i).is_empty());
        let mut key = String::new();
        for &i in &self.named {
            if !(has_location && Some(i) == self.notes) {
                key.push_str(cell(i));
            }
            key.push(Row::SEPARATOR);
        }
        key
    }
}

/// A row's properties from its cells: every non-empty cell but the coordinates, and the
/// app's schema for ACLED's columns. With `only`, only the columns it flags: the
/// [`FACT_COLUMNS`] and the style columns give the same kind, toll, estimate and style
/// without the text; the [`NAME_COLUMNS`] give the same names.
fn expand_row(
    columns: &Columns,
    acled: bool,
    cells: &[&str],
    only: Option<&[bool]>,
) -> Map<String, Value> {
    let mut props = Map::new();
    for (i, value) in cells.iter().enumerate() {
        if Some(i) == columns.lat || Some(i) == columns.lon || Some(i) == columns.wkt {
            continue;
        }
        let (Some(name), Some(key)) = (columns.names.get(i), columns.keys.get(i)) else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        // A flag per column, found once: a comparison with every fact column per cell was a
        // tenth of loading a million rows.
        if only.is_some_and(|only| !only.get(i).copied().unwrap_or(false)) {
            continue;
        }
        let key = if acled && name == "timestamp" {
            "acled_timestamp".to_string()
        } else {
            key.clone()
        };
        props.insert(key, cell_value(name, value));
    }
    if acled {
        acled_schema(&mut props);
    }
    props
}

fn read_row(
    record: &csv::StringRecord,
    table: &Arc<Table>,
    columns: &Reading,
    cx: RowContext,
    layer: &mut Layer,
) {
    let place = Place::line_of(cx.line, cx.index);
    let error = |layer: &mut Layer, message: String| {
        common::push_problem(
            layer,
            cx.path,
            Severity::Error,
            place,
            format!("{message}; row skipped"),
        );
    };
    if record.len() != columns.names.len() {
        common::push_problem(
            layer,
            cx.path,
            Severity::Warning,
            place,
            format!(
                "the row has {} fields, the header {}",
                record.len(),
                columns.names.len()
            ),
        );
    }
    let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
    let wkt = cell(columns.wkt);
    let geometry = if !wkt.is_empty() {
        match parse_wkt(wkt) {
            Ok(Some(g)) => Some(g),
            Ok(None) => {
                common::push_problem(
                    layer,
                    cx.path,
                    Severity::Warning,
                    place,
                    format!(
                        "column '{}': {} is empty; the row has no geometry",
                        columns.wkt_key,
                        common::shorten(wkt, 40)
                    ),
                );
                None
            }
            Err(m) => return error(layer, format!("column '{}': {m}", columns.wkt_key)),
        }
    } else if columns.lat.is_some() && columns.lon.is_some() {
        let lat_name = &columns.lat_key;
        let lon_name = &columns.lon_key;
        let lat = match coordinate(cell(columns.lat), lat_name, "latitude", 90.0, cx.delimiter) {
            Ok(v) => v,
            Err(m) => return error(layer, m),
        };
        let lon = match coordinate(
            cell(columns.lon),
            lon_name,
            "longitude",
            180.0,
            cx.delimiter,
        ) {
            Ok(v) => v,
            Err(m) => return error(layer, m),
        };
        Some(Geometry::Point(Point::new(lon, lat)))
    } else {
        return error(layer, "no coordinates: the geometry column is empty".into());
    };

    let mut values: Vec<(String, Value)> = Vec::new();
    for &i in &columns.time {
        let (Some(name), Some(value)) = (columns.names.get(i), record.get(i)) else {
            continue;
        };
        if !value.is_empty() && !values.iter().any(|(n, _)| n == name) {
            values.push((name.clone(), cell_value(name, value)));
        }
    }
    let place = Place::at(cx.line, 1).feature(cx.index);
    let (reading, problems) = common::warnings_at(cx.time.read_values(values), cx.path, place);
    // A row's id is read from its cells when asked for (the table knows the id columns).
    let (properties, id) = match Row::new(table, record.iter()) {
        Some(row) => (Some(Properties::Row(row)), None),
        // A cell holding the separator: kept as JSON, the id beside it.
        None => (
            common::raw_properties(table_map(table, record)),
            columns
                .id
                .iter()
                .filter_map(|&i| record.get(i))
                .find(|v| !v.is_empty())
                .map(Into::into),
        ),
    };
    let feature = Feature {
        given_id: id,
        shape: geometry.map(Shape::from),
        properties,
        span: None,
        line: cx.line,
    };
    common::push_read(layer, feature, reading, problems);
}

/// The properties of a row that cannot be kept as a [`Row`].
fn table_map(table: &Table, record: &csv::StringRecord) -> Map<String, Value> {
    table.expand(&record.iter().collect::<Vec<_>>())
}

/// One coordinate cell: a finite number within `-limit..=limit`.
fn coordinate(
    text: &str,
    column: &str,
    what: &str,
    limit: f64,
    delimiter: u8,
) -> Result<f64, String> {
    if text.is_empty() {
        return Err(format!("no {what}: column '{column}' is empty"));
    }
    let decimal_comma;
    let normal = if delimiter != b',' && text.contains(',') && !text.contains('.') {
        decimal_comma = text.replace(',', ".");
        decimal_comma.as_str()
    } else {
        text
    };
    let value = normal
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            format!(
                "{what} \"{}\" in column '{column}' is not a number",
                common::shorten(text, 30)
            )
        })?;
    if !(-limit..=limit).contains(&value) {
        return Err(format!("{what} {value} is outside -{limit}..{limit}"));
    }
    Ok(value)
}

// ---------------------------------------------------------------------------------------
// Dates as ACLED writes them

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// "16 September 2022", "16-Sep-2022" as an ISO date; `None` for anything else.
fn written_date(text: &str) -> Option<String> {
    let parts: Vec<&str> = text
        .split([' ', '-', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let month = month.trim_end_matches('.').to_lowercase();
    if month.len() < 3 || !month.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let number = MONTHS.iter().position(|m| m.starts_with(&month))? + 1;
    if year.len() != 4 || day.len() > 2 {
        return None;
    }
    let date = jiff::civil::Date::new(year.parse().ok()?, number as i8, day.parse().ok()?).ok()?;
    Some(date.to_string())
}

// ---------------------------------------------------------------------------------------
// ACLED onto the app's schema

fn text_of(props: &Map<String, Value>, key: &str) -> String {
    match props.get(key) {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// DESIGN.md's `kind` for ACLED's event type and sub-event type.
fn acled_kind(event_type: &str, sub_event_type: &str) -> &'static str {
    let event = event_type.trim().to_lowercase();
    let sub = sub_event_type.trim().to_lowercase();
    if sub == "air/drone strike" {
        return "drone_strike";
    }
    if sub == "agreement" {
        return "agreement";
    }
    match event.as_str() {
        "battles" | "violence against civilians" => "clash",
        "explosions/remote violence" => "shelling",
        "strategic developments" => "diplomacy",
        _ => "other",
    }
}

/// Adds the app's schema properties that ACLED's columns give, keeping any present.
fn acled_schema(props: &mut Map<String, Value>) {
    let event_type = text_of(props, "event_type");
    let sub_event_type = text_of(props, "sub_event_type");
    let location = text_of(props, "location");
    let notes = text_of(props, "notes");
    let source = text_of(props, "source");
    if !event_type.is_empty() || !sub_event_type.is_empty() {
        insert_absent(
            props,
            "kind",
            Value::from(acled_kind(&event_type, &sub_event_type)),
        );
    }
    let what = if sub_event_type.is_empty() {
        &event_type
    } else {
        &sub_event_type
    };
    let title = match (location.is_empty(), what.is_empty()) {
        (false, false) => format!("{location}: {what}"),
        (false, true) => location.clone(),
        (true, _) if !notes.is_empty() => {
            let first = notes.split(". ").next().unwrap_or(&notes);
            common::shorten(first.trim_end_matches('.'), 80)
        }
        (true, _) => what.clone(),
    };
    if !title.is_empty() {
        insert_absent(props, "title", Value::from(title));
    }
    if !notes.is_empty() {
        insert_absent(props, "summary", Value::from(notes));
    }
    let mut place: Vec<String> = Vec::new();
    for key in ["location", "admin2", "admin1"] {
        let part = text_of(props, key);
        if !part.is_empty() && !place.contains(&part) {
            place.push(part);
        }
    }
    if !place.is_empty() {
        insert_absent(props, "place", Value::from(place.join(", ")));
    }
    if let Some(Value::Number(killed)) = props.get("fatalities").cloned() {
        let by = if source.is_empty() {
            "ACLED".to_string()
        } else {
            source.clone()
        };
        insert_absent(props, "claims", json!([{ "by": by, "killed": killed }]));
    }
    let sources: Vec<Value> = source
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| json!({ "title": s }))
        .collect();
    if !sources.is_empty() {
        insert_absent(props, "sources", Value::Array(sources));
    }
    let (precision, estimated) = match text_of(props, "geo_precision").as_str() {
        "1" => ("site", false),
        "2" => ("district", true),
        "3" => ("region", true),
        _ => ("", false),
    };
    if !precision.is_empty() {
        insert_absent(props, "location_precision", Value::from(precision));
        if estimated {
            insert_absent(props, "estimated", Value::Bool(true));
        }
    }
    if let Some(Value::Number(n)) = props.get("time_precision").cloned() {
        let text = match n.as_u64() {
            Some(1) => Some("day"),
            Some(2) => Some("days"),
            Some(3) => Some("month"),
            _ => None,
        };
        if let Some(text) = text {
            props.insert("acled_time_precision".into(), Value::Number(n));
            props.insert("time_precision".into(), Value::from(text));
        }
    }
}

// ---------------------------------------------------------------------------------------
// WKT

/// The WKT types read (`LINEARRING` is read as a line).
const WKT_TYPES: [&str; 8] = [
    "POINT",
    "LINESTRING",
    "LINEARRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
];

/// Deepest nesting of parentheses read: a collection of collections of multipolygons is 5.
const MAX_WKT_DEPTH: usize = 16;

/// Reads a WKT geometry with the `wkt` crate (`SRID=4326;` prefix, Z/M/ZM values allowed
/// and dropped); `Ok(None)` for an `EMPTY` one. Before the crate sees it, the text's type is
/// checked and its parentheses counted (no deep nesting reaches the parser, no text follows
/// the geometry); after, every position is checked as WGS84 longitude/latitude and lines
/// and rings for their number of positions.
fn parse_wkt(text: &str) -> Result<Option<Geometry<f64>>, String> {
    let mut body = text.trim();
    if let Some(after) = body
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("SRID="))
        .and_then(|_| body.get(5..))
    {
        let (srid, rest) = after.split_once(';').ok_or("WKT: SRID= without ';'")?;
        if srid.trim() != "4326" {
            return Err(format!(
                "WKT SRID={}: only WGS84 longitude/latitude (4326) is read",
                common::shorten(srid.trim(), 12)
            ));
        }
        body = rest.trim();
    }
    let word: String = body
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_uppercase();
    if word.is_empty() {
        return Err(format!(
            "WKT: \"{}\" does not start with a geometry type",
            common::shorten(text, 30)
        ));
    }
    let base = ["ZM", "Z", "M"]
        .iter()
        .find_map(|d| word.strip_suffix(d).filter(|b| WKT_TYPES.contains(b)))
        .unwrap_or(&word);
    if !WKT_TYPES.contains(&base) {
        return Err(format!(
            "WKT type {} is not read",
            common::shorten(&word, 30)
        ));
    }
    wkt_structure(body)?;
    let parsed: wkt::Wkt<f64> = body
        .parse()
        .map_err(|e: &str| format!("WKT: {}", e.to_lowercase()))?;
    let mut geometry = Geometry::try_from(parsed).map_err(|e| format!("WKT: {e}"))?;
    shrink(&mut geometry);
    wkt_checked(geometry)
}

/// Gives back the room the conversion left in the geometry's vectors: the crate's 48-byte
/// coordinates are collected in place into geo's 16-byte ones, which keeps three times the
/// memory a layer of a million rows needs.
fn shrink(geometry: &mut Geometry<f64>) {
    fn line(l: &mut LineString<f64>) {
        l.0.shrink_to_fit();
    }
    fn polygon(p: &mut Polygon<f64>) {
        p.exterior_mut(line);
        p.interiors_mut(|rings| rings.iter_mut().for_each(line));
    }
    match geometry {
        Geometry::LineString(l) => line(l),
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPoint(m) => m.0.shrink_to_fit(),
        Geometry::MultiLineString(m) => {
            m.0.shrink_to_fit();
            m.0.iter_mut().for_each(line);
        }
        Geometry::MultiPolygon(m) => {
            m.0.shrink_to_fit();
            m.0.iter_mut().for_each(polygon);
        }
        Geometry::GeometryCollection(c) => {
            c.0.shrink_to_fit();
            c.0.iter_mut().for_each(shrink);
        }
        Geometry::Point(_) | Geometry::Line(_) | Geometry::Rect(_) | Geometry::Triangle(_) => {}
    }
}

/// Checks the parentheses of a WKT text: balanced, at most [`MAX_WKT_DEPTH`] deep, and
/// nothing after the one that closes the geometry.
fn wkt_structure(body: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut closed = false;
    for (i, b) in body.bytes().enumerate() {
        if closed && !b.is_ascii_whitespace() {
            return Err(format!(
                "WKT: unexpected text after the geometry at character {}",
                i + 1
            ));
        }
        match b {
            b'(' => {
                depth += 1;
                if depth > MAX_WKT_DEPTH {
                    return Err("WKT: too deeply nested".into());
                }
            }
            b')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| format!("WKT: unexpected ')' at character {}", i + 1))?;
                closed = depth == 0;
            }
            _ => {}
        }
    }
    if depth > 0 {
        return Err("WKT: expected ')', found the end".into());
    }
    Ok(())
}

/// The geometry with its positions checked; `None` when it has none (`EMPTY`). Empty
/// members of a collection are left out.
fn wkt_checked(geometry: Geometry<f64>) -> Result<Option<Geometry<f64>>, String> {
    fn position(c: geo::Coord<f64>) -> Result<(), String> {
        if !(-180.0..=180.0).contains(&c.x) {
            return Err(format!("longitude {} is outside -180..180", c.x));
        }
        if !(-90.0..=90.0).contains(&c.y) {
            return Err(format!("latitude {} is outside -90..90", c.y));
        }
        Ok(())
    }
    fn line(l: &LineString<f64>) -> Result<(), String> {
        if l.0.len() < 2 {
            return Err(format!(
                "WKT: a LINESTRING needs at least 2 positions, found {}",
                l.0.len()
            ));
        }
        l.0.iter().try_for_each(|c| position(*c))
    }
    fn polygon(p: &Polygon<f64>) -> Result<(), String> {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            // geo closes a ring: 3 distinct positions make 4.
            if ring.0.len() < 4 {
                return Err("WKT: a polygon ring needs at least 3 distinct positions".into());
            }
            ring.0.iter().try_for_each(|c| position(*c))?;
        }
        Ok(())
    }
    Ok(match geometry {
        Geometry::Point(p) => {
            position(p.0)?;
            Some(Geometry::Point(p))
        }
        Geometry::LineString(l) if l.0.is_empty() => None,
        Geometry::LineString(l) => {
            line(&l)?;
            Some(Geometry::LineString(l))
        }
        Geometry::Polygon(p) if p.exterior().0.is_empty() => None,
        Geometry::Polygon(p) => {
            polygon(&p)?;
            Some(Geometry::Polygon(p))
        }
        Geometry::MultiPoint(m) if m.0.is_empty() => None,
        Geometry::MultiPoint(m) => {
            m.0.iter().try_for_each(|p| position(p.0))?;
            Some(Geometry::MultiPoint(m))
        }
        Geometry::MultiLineString(m) if m.0.is_empty() => None,
        Geometry::MultiLineString(m) => {
            m.0.iter().try_for_each(line)?;
            Some(Geometry::MultiLineString(m))
        }
        Geometry::MultiPolygon(m) if m.0.is_empty() => None,
        Geometry::MultiPolygon(m) => {
            m.0.iter().try_for_each(polygon)?;
            Some(Geometry::MultiPolygon(m))
        }
        Geometry::GeometryCollection(c) => {
            let mut members = Vec::with_capacity(c.0.len());
            for member in c.0 {
                members.extend(wkt_checked(member)?);
            }
            (!members.is_empty()).then_some(Geometry::GeometryCollection(geo::GeometryCollection(
                members,
            )))
        }
        // The crate makes none of these.
        other @ (Geometry::Line(_) | Geometry::Rect(_) | Geometry::Triangle(_)) => Some(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `read_csv_in` did on this (the test's) thread: second threads started, batches
    /// handed to them, and batches read here while one ran.
    #[derive(Clone, Copy, Debug, Default)]
    pub(super) struct Counts {
        pub workers: usize,
        pub sent: usize,
        pub here: usize,
    }

    thread_local! {
        static COUNTS: std::cell::Cell<Counts> = std::cell::Cell::new(Counts::default());
    }

    pub(super) fn count(f: impl FnOnce(&mut Counts)) {
        COUNTS.with(|counts| {
            let mut now = counts.get();
            f(&mut now);
            counts.set(now);
        });
    }

    fn counts() -> Counts {
        COUNTS.with(std::cell::Cell::get)
    }

    /// Three rows in the layout of an ACLED export (made-up values, not ACLED's data).
    pub(crate) const ACLED: &str = "\
event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp
KGZ1001,16 September 2022,2022,1,Political violence,Battles,Armed clash,Military Forces of Kyrgyzstan (2021-),Border Service of Kyrgyzstan,1,Military Forces of Tajikistan (1994-),,1,11,,417,Central Asia,Kyrgyzstan,Batken,Batken,,Ak-Sai,39.9187,70.6142,1,Sample Source A; Sample Source B,National,\"On 16 September 2022, Kyrgyz and Tajik forces exchanged fire near Ak-Sai (Batken, Batken). Casualties on both sides (sample row).\",3,,1663900000
TJK1002,2022-09-16,2022,1,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Kyrgyzstan (2021-),,1,Civilians (Tajikistan),,7,17,Civilian targeting,762,Central Asia,Tajikistan,Sughd,Isfara,,Vorukh,39.8553,70.5781,2,Sample Source C,National,\"Kyrgyz forces shelled Vorukh enclave (Isfara, Sughd); houses damaged.
Two civilians reported killed (sample row).\",2,,1663900100
KGZ1003,17 September 2022,2022,2,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Tajikistan (1994-),,1,Military Forces of Kyrgyzstan (2021-),,1,11,,417,Central Asia,Kyrgyzstan,Batken,Leilek,,Kulundu,40.0569,69.8936,3,Sample Source D,National,A drone strike was reported in Leilek district (sample row).,0,,1663900200
";

    fn read(text: &str) -> Layer {
        read_csv(
            text.as_bytes(),
            Path::new("t.csv"),
            &TimeReader::default(),
            None,
        )
    }

    use crate::io::testutil::errors;

    fn point(f: &Feature) -> (f64, f64) {
        match f.geometry().as_deref() {
            Some(Geometry::Point(p)) => (p.x(), p.y()),
            other => panic!("point expected, found {other:?}"),
        }
    }

    fn utc(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn coordinate_columns_by_several_names() {
        for header in [
            "name,latitude,longitude",
            "name,Lat,Lng",
            "name,LAT,LON",
            "name,y,x",
            "name, Lat , Long ",
        ] {
            let layer = read(&format!("{header}\nOsh,40.5283,72.7985\n"));
            assert!(layer.problems.is_empty(), "{header}: {:?}", layer.problems);
            assert_eq!(point(&layer.features[0]), (72.7985, 40.5283), "{header}");
            let props = layer.features[0].properties_map();
            assert_eq!(props.len(), 1, "{header}: coordinates are not properties");
            assert_eq!(props["name"], "Osh");
        }
        let layer = read("lon,lat,name\n72.7985,40.5283,Osh\n");
        assert_eq!(point(&layer.features[0]), (72.7985, 40.5283));
    }

    #[test]
    fn other_columns_are_properties_numbers_as_numbers() {
        let layer =
            read("id,lat,lon,killed,code,note,empty\nv-1,40,70,12,007,\"quoted, with comma\",\n");
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let f = &layer.features[0];
        assert_eq!(f.id(), Some("v-1"));
        // Read from the row's cells, not kept beside them a second time.
        assert!(f.given_id.is_none());
        // Only the id column gives ids (`event_id_cnty` does in ACLED files only).
        let ids = read("lat,lon,id,event_id_cnty\n40,70,,X-2\n40,70,x-1,X-3\n40,70,,\n");
        let ids: Vec<_> = ids.features.iter().map(|f| f.id()).collect();
        assert_eq!(ids, [None, Some("x-1"), None]);
        let p = f.properties_map();
        assert_eq!(p["killed"], 12);
        assert_eq!(p["code"], "007");
        assert_eq!(p["note"], "quoted, with comma");
        assert!(!p.contains_key("empty"));
        assert_eq!(f.line, 2);
    }

    #[test]
    fn rows_are_kept_as_their_cells_until_read() {
        let layer = read(
            "id,lat,lon,date,note\na,40,70,16 September 2022,x\nb,40,70,2022-09-17,\"x\u{1f}y\"\n",
        );
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        let [a, b] = &layer.features[..] else {
            panic!("two features")
        };
        assert!(
            matches!(a.properties, Some(Properties::Row(_))),
            "kept as cells"
        );
        // The time was read from the cells, the written date rewritten.
        assert_eq!(a.span.unwrap().start(), utc("2022-09-16T00:00:00Z"));
        assert_eq!(a.properties_map()["date"], "2022-09-16");
        assert_eq!(a.properties_map()["note"], "x");
        // A cell holding the separator cannot be a row: kept as JSON, read the same.
        assert!(matches!(b.properties, Some(Properties::Json(_))));
        assert_eq!(b.properties_map()["note"], "x\u{1f}y");
        assert_eq!(b.span.unwrap().start(), utc("2022-09-17T00:00:00Z"));
    }

    #[test]
    fn the_facts_of_a_row_give_the_event_its_whole_properties_give() {
        use crate::model::event::{Event, EventRecord};
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/acled-sample.csv");
        let file = std::fs::File::open(&path).unwrap();
        let layer = read_csv(file, &path, &TimeReader::default(), None);
        assert!(layer.features.len() >= 3, "{:?}", layer.problems);
        for (i, f) in layer.features.iter().enumerate() {
            let facts = f.properties.as_ref().unwrap().facts();
            assert!(facts.len() < f.properties_map().len(), "fewer: {facts:?}");
            let small = Event::from_properties(0, i as u32, f, &facts);
            let full = EventRecord::from_feature(0, i as u32, f).map(|r| Event::of(&r));
            assert_eq!(small, full, "row {}", i + 1);
        }
        assert!(layer.features.iter().enumerate().any(|(i, f)| {
            Event::from_properties(0, i as u32, f, &f.properties.as_ref().unwrap().facts())
                .is_some_and(|e| e.toll > 0.0 && e.estimated)
        }));
    }

    #[test]
    fn acled_rows_map_onto_the_schema() {
        let layer = read(ACLED);
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 3);
        assert_eq!(
            layer.time_source.fields,
            vec![("event_date".to_string(), 3)]
        );
        let lines: Vec<u64> = layer.features.iter().map(|f| f.line).collect();
        assert_eq!(lines, [2, 3, 5], "a quoted newline moves the next row down");

        let f = &layer.features[0];
        assert_eq!(f.id(), Some("KGZ1001"));
        assert_eq!(point(f), (70.6142, 39.9187));
        let span = f.span.expect("dated");
        assert_eq!(span.start(), utc("2022-09-16T00:00:00Z"));
        assert!(span.end() > utc("2022-09-16T23:59:59Z"));
        let p = f.properties_map();
        assert_eq!(p["event_date"], "2022-09-16");
        assert_eq!(p["kind"], "clash");
        assert_eq!(p["title"], "Ak-Sai: Armed clash");
        assert_eq!(p["place"], "Ak-Sai, Batken");
        assert_eq!(
            p["claims"],
            json!([{ "by": "Sample Source A; Sample Source B", "killed": 3 }])
        );
        assert_eq!(
            p["sources"],
            json!([{ "title": "Sample Source A" }, { "title": "Sample Source B" }])
        );
        assert_eq!(p["location_precision"], "site");
        assert!(!p.contains_key("estimated"));
        assert!(
            p["summary"]
                .as_str()
                .unwrap_or("")
                .starts_with("On 16 September")
        );
        assert_eq!(p["time_precision"], "day");
        assert_eq!(p["acled_time_precision"], 1);
        assert_eq!(p["acled_timestamp"], 1_663_900_000);
        assert!(!p.contains_key("timestamp"));
        assert_eq!(p["fatalities"], 3);
        assert_eq!(p["actor2"], "Military Forces of Tajikistan (1994-)");

        let p = layer.features[1].properties_map();
        assert_eq!(p["kind"], "shelling");
        assert_eq!(p["location_precision"], "district");
        assert_eq!(p["estimated"], true);
        assert!(
            p["notes"]
                .as_str()
                .unwrap_or("")
                .contains("damaged.\nTwo civilians")
        );

        let f = &layer.features[2];
        let p = f.properties_map();
        assert_eq!(p["kind"], "drone_strike");
        assert_eq!(p["location_precision"], "region");
        assert_eq!(p["estimated"], true);
        assert_eq!(p["claims"][0]["killed"], 0);
        assert_eq!(p["time_precision"], "days");
        assert_eq!(f.span.expect("dated").start(), utc("2022-09-17T00:00:00Z"));

        let event = crate::model::event::EventRecord::from_feature(0, 0, &layer.features[0])
            .expect("an event");
        assert_eq!(event.kind, crate::model::event::EventKind::Clash);
        assert_eq!(event.max_killed(), 3.0);
        assert_eq!(event.title, "Ak-Sai: Armed clash");
    }

    #[test]
    fn acled_kinds() {
        for (event, sub, kind) in [
            ("Battles", "Armed clash", "clash"),
            (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
                "shelling",
            ),
            (
                "Explosions/Remote violence",
                "Air/drone strike",
                "drone_strike",
            ),
            ("Violence against civilians", "Attack", "clash"),
            ("Protests", "Peaceful protest", "other"),
            ("Riots", "Mob violence", "other"),
            ("Strategic developments", "Other", "diplomacy"),
            ("Strategic developments", "Agreement", "agreement"),
            ("Something new", "", "other"),
        ] {
            assert_eq!(acled_kind(event, sub), kind, "{event} / {sub}");
        }
    }

    #[test]
    fn acled_title_falls_back_to_the_notes() {
        let layer = read(
            "event_date,event_type,latitude,longitude,notes\n2022-09-19,,39.9,70.6,Ceasefire protocol signed in Batken. More text.\n",
        );
        let p = layer.features[0].properties_map();
        assert_eq!(p["title"], "Ceasefire protocol signed in Batken");
        assert!(!p.contains_key("kind"));
    }

    #[test]
    fn columns_of_few_values_are_kept_once_and_rows_read_as_they_were() {
        let kinds = [
            "Battles",
            "Explosions/Remote violence",
            "Riots",
            "Strategic developments",
        ];
        let countries = ["Kyrgyzstan", "Tajikistan", "Кыргызстан"];
        let mut text = String::from("event_id_cnty,event_type,country,latitude,longitude,notes\n");
        let mut want: Vec<Vec<String>> = Vec::new();
        for i in 0..1000 {
            // A kind first seen after the rows the dictionary is chosen from, and a cell
            // holding the code mark: both kept as they are.
            let kind = if i >= 600 && i % 10 == 0 {
                "Protests"
            } else {
                kinds[i % 4]
            };
            let notes = if i == 700 {
                "Marked \u{1e}A".to_string()
            } else {
                format!("Note {i}, with a comma")
            };
            let cells = vec![
                format!("KG{i}"),
                kind.to_string(),
                countries[i % 3].to_string(),
                format!("{:.4}", 39.0 + i as f64 * 0.001),
                "70.5".to_string(),
                notes,
            ];
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| {
                    if c.contains(',') {
                        format!("\"{c}\"")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            text.push_str(&quoted.join(","));
            text.push('\n');
            want.push(cells);
        }
        let layer = read(&text);
        assert_eq!(layer.features.len(), 1000, "{:?}", errors(&layer));
        let (mut kept, mut plain) = (0, 0);
        for (i, (f, want)) in layer.features.iter().zip(&want).enumerate() {
            let p = f.properties.as_ref().expect("properties");
            assert_eq!(
                p.text_of("country").as_deref(),
                Some(want[2].as_str()),
                "row {i}"
            );
            assert_eq!(
                p.text_of("event_type").as_deref(),
                Some(want[1].as_str()),
                "row {i}"
            );
            assert_eq!(p.map()["notes"], want[5].as_str(), "row {i}");
            let Properties::Row(row) = p else {
                assert_eq!(i, 700, "only the row with the mark is kept as JSON");
                continue;
            };
            assert_eq!(
                row.cells(),
                want.iter().map(String::as_str).collect::<Vec<_>>()
            );
            kept += row.text_len();
            plain += want.iter().map(|c| c.len() + 1).sum::<usize>() - 1;
        }
        // The kinds, countries and the one longitude are kept once, as codes in the rows.
        assert!(
            kept * 4 < plain * 3,
            "{kept} bytes kept for {plain} of cells"
        );
    }

    #[test]
    fn rows_of_one_name_key_have_the_same_names() {
        // Locations, types and notes varied, the location sometimes empty (the title then
        // comes from the notes) and a name column beside ACLED's.
        let mut text = String::from(
            "event_date,event_type,sub_event_type,location,notes,name,latitude,longitude\n",
        );
        let locations = ["Ak-Sai", "", "Vorukh", ""];
        let types = ["Battles", "Protests", ""];
        for i in 0..120 {
            let name = if i % 5 == 0 { "Post 7" } else { "" };
            text.push_str(&format!(
                "2022-09-{:02},{},Armed clash,{},Note {}. Rest.,{name},39.9,70.6\n",
                1 + i % 28,
                types[i % 3],
                locations[i % 4],
                i % 7,
            ));
        }
        let layer = read(&text);
        assert_eq!(layer.features.len(), 120, "{:?}", errors(&layer));
        let mut by_key: std::collections::HashMap<_, Vec<Map<String, Value>>> =
            std::collections::HashMap::new();
        for f in &layer.features {
            let p = f.properties.as_ref().expect("a row");
            let key = p.name_key().expect("a table that knows its names' cells");
            let names = p.names();
            let searched = ["name", "title", "alt_names"]
                .into_iter()
                .filter_map(|k| Some((k.to_string(), names.get(k)?.clone())))
                .collect();
            by_key.entry(key).or_default().push(searched);
        }
        for (key, names) in &by_key {
            assert!(
                names.iter().all(|n| n == &names[0]),
                "rows of key {key:?} have different names: {names:?}"
            );
        }
        // Rows with a location share keys whatever their notes: far fewer keys than rows.
        assert!(by_key.len() < 60, "{} keys", by_key.len());
    }

    #[test]
    fn written_dates() {
        assert_eq!(
            written_date("16 September 2022").as_deref(),
            Some("2022-09-16")
        );
        assert_eq!(written_date("1 Sep 2022").as_deref(), Some("2022-09-01"));
        assert_eq!(written_date("29-April-2021").as_deref(), Some("2021-04-29"));
        assert_eq!(written_date("31 February 2022"), None);
        assert_eq!(written_date("2022-09-16"), None);
        assert_eq!(written_date("16 Ma 2022"), None);
        assert_eq!(written_date("16 September 22"), None);
    }

    #[test]
    fn bad_rows_name_their_line_and_are_skipped() {
        let text = "name,lat,lon\n\
                    a,40,70\n\
                    \"multi\nline\",40,70\n\
                    b,,70\n\
                    c,forty,70\n\
                    d,40,190\n\
                    e,-91,70\n\
                    f,inf,70\n\
                    g,40\n\
                    h,40.5,70.5\n";
        let layer = read(text);
        assert_eq!(layer.features.len(), 3, "{:?}", layer.problems);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 6, "{errs:?}");
        for (err, (line, what)) in errs.iter().zip([
            (5, "no latitude: column 'lat' is empty"),
            (6, "latitude \"forty\" in column 'lat' is not a number"),
            (7, "longitude 190 is outside -180..180"),
            (8, "latitude -91 is outside -90..90"),
            (9, "\"inf\""),
            (10, "no longitude"),
        ]) {
            assert!(
                err.starts_with(&format!("t.csv:{line}: error: feature")),
                "{err}"
            );
            assert!(err.contains(what), "{err}");
            assert!(err.ends_with("; row skipped"), "{err}");
        }
        let warnings: Vec<&str> = layer
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(warnings, ["the row has 2 fields, the header 3"]);
        assert_eq!(layer.features[2].line, 11);
    }

    #[test]
    fn semicolons_and_decimal_commas() {
        let layer = read(
            "Name;Latitude;Longitude;Killed\r\nVorukh;39,8553;70,5781;2,5\r\nOsh;40.5;72.8;3\r\n",
        );
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(point(&layer.features[0]), (70.5781, 39.8553));
        assert_eq!(point(&layer.features[1]), (72.8, 40.5));
        let p = layer.features[0].properties_map();
        assert_eq!(p["Name"], "Vorukh");
        assert_eq!(p["Killed"], "2,5");
        // With ',' as the delimiter, a decimal comma cannot be told apart: it is an error.
        assert_eq!(sniff_delimiter(b"a;b,c;d"), b';');
        assert_eq!(sniff_delimiter(b"a,b;c,d"), b',');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",x,y"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
    }

    #[test]
    fn tsv_with_forced_tabs() {
        let text = "name\tlat\tlon\nA, B\t40\t70\n";
        let layer = read_csv(
            text.as_bytes(),
            Path::new("t.tsv"),
            &TimeReader::default(),
            Some(b'\t'),
        );
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features[0].properties_map()["name"], "A, B");
    }

    #[test]
    fn bom_blank_lines_and_empty_files() {
        let layer = read("\u{feff}lat,lon\n40,70\n\n41,71\n");
        assert!(layer.problems.is_empty(), "{:?}", layer.problems);
        assert_eq!(layer.features.len(), 2);
        assert_eq!(layer.features[1].line, 4);
        for text in ["", "\n\n", "\u{feff}", "  \r\n"] {
            let errs = errors(&read(text));
            assert_eq!(errs.len(), 1, "{text:?}");
            assert!(errs[0].contains("empty file"), "{errs:?}");
        }
        let layer = read("lat,lon\n");
        assert!(!layer.has_errors());
        assert!(layer.problems[0].message.contains("no rows"));
        let errs = errors(&read("name,value\na,1\n"));
        assert!(
            errs[0].starts_with("t.csv:1:1: error: no coordinate columns"),
            "{errs:?}"
        );
        assert!(errs[0].contains("name, value"), "{errs:?}");
        let errs = errors(&read("name,latitude\na,1\n"));
        assert!(errs[0].contains("no longitude column"), "{errs:?}");
    }

    #[test]
    fn invalid_utf8_skips_the_row_only() {
        let mut bytes = b"name,lat,lon\nXX,40,70\nok,41,71\n".to_vec();
        bytes[13] = 0xff;
        let layer = read_csv(&bytes[..], Path::new("t.csv"), &TimeReader::default(), None);
        assert_eq!(layer.features.len(), 1);
        let errs = errors(&layer);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("t.csv:2: error: feature 1: invalid UTF-8"),
            "{errs:?}"
        );
    }

    #[test]
    fn wkt_geometry_column() {
        let text = "name,WKT\n\
            p,POINT (70.5 39.8)\n\
            l,\"LINESTRING(70 39, 71 40)\"\n\
            a,\"POLYGON ((70 39, 71 39, 71 40, 70 39), (70.2 39.1, 70.4 39.1, 70.4 39.3))\"\n\
            mp,\"MULTIPOINT ((70 39), (71 40))\"\n\
            mp2,\"MULTIPOINT Z (70 39 1, 71 40 2)\"\n\
            ml,\"MULTILINESTRING ((70 39, 71 40), (70 40, 71 39))\"\n\
            ma,\"SRID=4326;MULTIPOLYGON (((70 39, 71 39, 71 40, 70 39)))\"\n\
            gc,\"GEOMETRYCOLLECTION (POINT (70 39), LINESTRING (70 39, 71 40), POINT EMPTY)\"\n\
            pz,POINT Z (70.5 39.8 812)\n\
            lm,\"LINESTRING M (70 39 1, 71 40 2)\"\n\
            pzm,\"POLYGON ZM ((70 39 1 2, 71 39 1 2, 71 40 1 2, 70 39 1 2))\"\n\
            bad,\"POINT (200 39)\"\n\
            bad2,\"LINESTRING (70 39)\"\n\
            empty,POINT EMPTY\n\
            empty2,POLYGON EMPTY\n\
            bad4,\"SRID=3857;POINT (1 2)\"\n\
            bad5,\"CIRCLE (1 2)\"\n\
            bad6,\"POINT (1 2\"\n\
            bad7,\"POINT (1 2) x\"\n\
            bad8,\"POLYGON ((1 2, 3 4))\"\n\
            bad9,ТОЧКА (1 2)\n\
            bad10,\"POINT (1 2, 3)\"\n";
        let layer = read(text);
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
                "MultiPoint",
                "MultiLineString",
                "MultiPolygon",
                "GeometryCollection",
                "Point",
                "LineString",
                "Polygon",
                "null",
                "null"
            ]
        );
        let geometry = layer.features[2].geometry();
        let Some(Geometry::Polygon(poly)) = geometry.as_deref() else {
            panic!("polygon expected")
        };
        assert_eq!(poly.interiors().len(), 1);
        let geometry = layer.features[7].geometry();
        let Some(Geometry::GeometryCollection(gc)) = geometry.as_deref() else {
            panic!("collection expected")
        };
        assert_eq!(gc.0.len(), 2, "the empty member is left out");
        assert_eq!(point(&layer.features[8]), (70.5, 39.8), "Z dropped");
        let geometry = layer.features[9].geometry();
        let Some(Geometry::LineString(lm)) = geometry.as_deref() else {
            panic!("line expected")
        };
        assert_eq!(lm.0[1], geo::coord! { x: 71.0, y: 40.0 }, "M dropped");
        // EMPTY: a feature without geometry and a warning naming its row and column.
        let warnings: Vec<String> = layer
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
            .map(|p| p.to_string())
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].starts_with("t.csv:15: warning: feature 14: column 'WKT': POINT EMPTY"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("POLYGON EMPTY is empty"),
            "{warnings:?}"
        );
        assert_eq!(layer.features[11].properties_map()["name"], "empty");
        let errs = errors(&layer);
        assert_eq!(errs.len(), 9, "{errs:?}");
        for (err, (line, what)) in errs.iter().zip([
            (13, "longitude 200"),
            (14, "at least 2 positions"),
            (17, "SRID=3857"),
            (18, "CIRCLE"),
            (19, "expected ')'"),
            (20, "unexpected text"),
            (21, "at least 3 distinct"),
            (22, "does not start with a geometry type"),
            (23, "WKT: "),
        ]) {
            assert!(
                err.starts_with(&format!("t.csv:{line}: error: feature")),
                "{line}: {err}"
            );
            assert!(err.contains("column 'WKT'"), "{err}");
            assert!(err.contains(what), "{what}: {err}");
        }
        assert!(!layer.features[0].properties_map().contains_key("WKT"));
    }

    #[test]
    fn events_written_by_ogr2ogr_as_wkt_read_back_the_same() {
        use crate::io::testutil;
        let path = testutil::ogr2ogr("CSV", "events.csv", &["-lco", "GEOMETRY=AS_WKT"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("2021/04/28 11:30:00+06"),
            "GDAL's datetime form"
        );
        assert!(text.contains("\"MULTIPOLYGON ((("), "WKT");
        let layer = read_csv(text.as_bytes(), &path, &TimeReader::default(), None);
        testutil::same_as_events(&layer, 1e-6);
        testutil::remove(&path);
    }

    #[test]
    fn truncated_and_garbage_input_never_panics() {
        for cut in 0..ACLED.len() {
            if ACLED.is_char_boundary(cut) {
                let _ = read(&ACLED[..cut]);
            }
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let alphabet = b"lat,lon;\t\"\n\r0123456789.-eE POINT()LINESTRING";
        for _ in 0..300 {
            let len = (seed % 300) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            let text = [b"lat,lon,wkt\n".as_slice(), &bytes].concat();
            let _ = read_csv(&text[..], Path::new("f.csv"), &TimeReader::default(), None);
        }
        let deep = format!("wkt\n\"POINT {}\"\n", "(".repeat(10_000));
        assert!(read(&deep).has_errors());
        // Deep collections are refused before the crate's recursive parser sees them.
        let deep = format!(
            "wkt\n\"{}POINT (1 2){}\"\n",
            "GEOMETRYCOLLECTION (".repeat(100_000),
            ")".repeat(100_000)
        );
        let errs = errors(&read(&deep));
        assert!(errs[0].contains("too deeply nested"), "{errs:?}");
    }

    /// Reads `bytes` with batches of `batch_rows` rows, on one thread (`queued` `None`) or
    /// two, and says whether a second thread was started.
    fn read_in(bytes: &[u8], batch_rows: usize, queued: Option<usize>) -> (Layer, bool) {
        let before = counts().workers;
        let layer = read_csv_in(
            bytes,
            Path::new("t.csv"),
            &TimeReader::default(),
            None,
            batch_rows,
            queued,
        );
        (layer, counts().workers > before)
    }

    /// The two layers are the same: features (geometry, span, id, line, properties) and
    /// problems in the same order, and the same time source.
    fn assert_same(a: &Layer, b: &Layer) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.path, b.path);
        assert_eq!(a.zone_name, b.zone_name);
        assert_eq!(a.time_source, b.time_source);
        assert_eq!(a.problems, b.problems);
        assert_eq!(a.features.len(), b.features.len());
        for (i, (f, g)) in a.features.iter().zip(&b.features).enumerate() {
            assert_eq!(f.line, g.line, "feature {i}");
            assert_eq!(f.id(), g.id(), "feature {i}");
            assert_eq!(f.shape, g.shape, "feature {i}");
            assert_eq!(f.span, g.span, "feature {i}");
            assert_eq!(
                f.properties.as_ref().map(|p| p.json_text().into_owned()),
                g.properties.as_ref().map(|p| p.json_text().into_owned()),
                "feature {i}"
            );
            assert_eq!(
                matches!(f.properties, Some(Properties::Row(_))),
                matches!(g.properties, Some(Properties::Row(_))),
                "feature {i}"
            );
        }
    }

    /// `rows` rows in ACLED's columns, of every kind a reader meets: quoted cells with
    /// newlines and delimiters, blank lines, CRLF, written dates, bad coordinates, short
    /// rows, unreadable dates, a cell with the row separator and invalid UTF-8.
    fn varied_acled(rows: usize) -> Vec<u8> {
        let mut out = b"event_id_cnty,event_date,year,event_type,sub_event_type,location,\
                        latitude,longitude,geo_precision,notes,fatalities,timestamp\n"
            .to_vec();
        for i in 0..rows {
            let (lat, lon) = if i % 401 == 7 {
                ("forty".to_string(), "70.1".to_string())
            } else if i % 907 == 11 {
                ("-91".to_string(), "70.1".to_string())
            } else {
                (
                    format!("{:.4}", 36.0 + (i % 997) as f64 * 0.007),
                    format!("{:.4}", 61.0 + (i % 991) as f64 * 0.013),
                )
            };
            let date = match i % 1009 {
                5 => "yesterday".to_string(),
                _ if i % 3 == 0 => format!("{} September 2022", 1 + i % 28),
                _ => format!("2022-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            };
            let (event, sub) = match i % 4 {
                0 => ("Battles", "Armed clash"),
                1 => ("Explosions/Remote violence", "Air/drone strike"),
                2 => ("Protests", "Peaceful protest"),
                _ => ("Strategic developments", "Agreement"),
            };
            let notes = match i % 7 {
                0 => format!("\"Shelling near P{i}, Batken;\nsecond line, \"\"quoted\"\"\""),
                1 => format!("Incident {i}"),
                2 => String::new(),
                3 => format!("\"a\u{1f}b {i}\""),
                _ => format!("\"{i}, with a comma\""),
            };
            if i % 509 == 3 {
                out.extend(
                    format!("CA{i},{date},2022,{event},{sub},P{i},{lat},{lon}\n").as_bytes(),
                );
                continue;
            }
            if i % 211 == 0 {
                out.extend(b"\n  \n");
            }
            let row = format!(
                "CA{i},{date},2022,{event},{sub},P{i},{lat},{lon},{},{notes},{},{}",
                1 + i % 3,
                i % 5,
                1_663_900_000 + i
            );
            out.extend(row.as_bytes());
            if i == 4321 || i == 15_003 {
                out.extend(b",\xff\xfe");
            }
            out.extend(if i % 13 == 0 { &b"\r\n"[..] } else { b"\n" });
        }
        out
    }

    #[test]
    fn two_threads_read_what_one_reads() {
        let bytes = varied_acled(20_000);
        let (one, threaded) = read_in(&bytes, BATCH_ROWS, None);
        assert!(!threaded);
        // The file is what it should be: every kind of row is there.
        assert!(one.features.len() > 19_700, "{}", one.features.len());
        let errs = errors(&one);
        assert!(errs.iter().any(|e| e.contains("\"forty\"")), "{errs:?}");
        assert!(
            errs.iter().any(|e| e.contains("-91 is outside")),
            "{errs:?}"
        );
        let utf8: Vec<&String> = errs.iter().filter(|e| e.contains("UTF-8")).collect();
        assert_eq!(utf8.len(), 2, "{utf8:?}");
        assert!(
            errs.len() < common::MAX_LISTED,
            "all listed: {}",
            errs.len()
        );
        let warnings = one.problems.len() - errs.len();
        assert!(warnings > 20 && warnings < common::MAX_LISTED, "{warnings}");
        assert!(
            one.features
                .iter()
                .any(|f| matches!(f.properties, Some(Properties::Json(_))))
        );
        assert!(one.dated_count() > 19_000, "{}", one.dated_count());
        assert!(one.time_source.fields.len() == 1 && one.time_source.fields[0].1 > 19_000);

        // As read_csv reads it, and with other batches and queues: with none (a rendezvous),
        // this thread reads about every other batch itself.
        let before = counts();
        for (batch_rows, queued) in [
            (BATCH_ROWS, QUEUED_BATCHES),
            (1, 0),
            (7, 0),
            (3000, 1),
            (100, 1000),
        ] {
            let (two, threaded) = read_in(&bytes, batch_rows, Some(queued));
            assert!(threaded, "{batch_rows} rows a batch");
            assert_same(&one, &two);
        }
        let after = counts();
        assert!(after.sent > before.sent, "{after:?}");
        assert!(after.here > before.here, "{after:?}");
        let read = read_csv(&bytes[..], Path::new("t.csv"), &TimeReader::default(), None);
        assert_same(&one, &read);
    }

    #[test]
    fn small_files_stay_on_one_thread_and_read_the_same_on_two() {
        let (layer, threaded) = read_in(ACLED.as_bytes(), BATCH_ROWS, Some(QUEUED_BATCHES));
        assert!(!threaded, "one batch: no second thread");
        assert_eq!(layer.features.len(), 3);
        let mut inputs: Vec<Vec<u8>> = vec![
            ACLED.as_bytes().to_vec(),
            b"name,lat,lon\nXX,40,70\n\n\nok,41,71\nb,,70\n".to_vec(),
            b"lat,lon\n".to_vec(),
            b"".to_vec(),
        ];
        inputs[1][13] = 0xff;
        for cut in (0..ACLED.len()).step_by(97) {
            inputs.push(ACLED.as_bytes()[..cut].to_vec());
        }
        for bytes in &inputs {
            let (one, _) = read_in(bytes, BATCH_ROWS, None);
            for queued in [0, 1] {
                let (two, _) = read_in(bytes, 1, Some(queued));
                assert_same(&one, &two);
            }
        }
    }

    /// A reader whose input breaks off with an error after `data`.
    struct BreaksOff<'a>(&'a [u8]);

    impl Read for BreaksOff<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0.is_empty() {
                return Err(std::io::Error::other("the disk is gone"));
            }
            let n = self.0.read(buf)?;
            Ok(n)
        }
    }

    #[test]
    fn a_read_error_stops_both_paths_at_the_same_row() {
        let bytes = varied_acled(10_000);
        let cut = bytes.len() * 2 / 3;
        let read = |batch_rows, queued| {
            read_csv_in(
                BreaksOff(&bytes[..cut]),
                Path::new("t.csv"),
                &TimeReader::default(),
                None,
                batch_rows,
                queued,
            )
        };
        let one = read(BATCH_ROWS, None);
        let last = one.problems.last().map(|p| p.message.as_str());
        assert_eq!(last, Some("read error: the disk is gone"));
        assert!(one.features.len() > 6_000 && one.features.len() < 7_000);
        for (batch_rows, queued) in [(BATCH_ROWS, QUEUED_BATCHES), (7, 0)] {
            assert_same(&one, &read(batch_rows, Some(queued)));
        }
    }
}
