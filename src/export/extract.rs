//! `bordermap extract`: the features that the same options would show — the bundled events
//! and the user's layers, at a time, in a mode, through a filter — written as GeoJSON
//! (RFC 7946, properties and claims as read) or CSV (one row per feature, with lon/lat and
//! WKT). The window's "Save shown features" writes the same from what the list shows.

use std::path::{Path, PathBuf};

use super::cli::{Failure, dataset_with, parse_zone};
use crate::io::write::{WriteError, write_csv_file, write_file};
use crate::model::dataset::Dataset;
use crate::model::filter::Filter;
use crate::time::{
    DisplayZone, TimeCommand, TimeControl, TimeMode, Visible, parse_duration, parse_user_time,
};

/// The options of `bordermap extract`, as typed.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ExtractArgs {
    /// The file to write: .geojson (or .json) or .csv.
    #[arg(long)]
    pub out: PathBuf,
    /// Only what passes; repeatable, all must hold (as `export --filter`).
    #[arg(long = "filter", allow_hyphen_values = true)]
    pub filters: Vec<String>,
    /// The time (RFC 3339 or a date); default: the last event.
    #[arg(long)]
    pub at: Option<String>,
    /// cumulative (everything up to the time; the default) or window (only the last --window).
    #[arg(long, default_value = "cumulative")]
    pub mode: String,
    /// Window length for --mode window, e.g. 6h, 1d, 2w.
    #[arg(long, default_value = "7d")]
    pub window: String,
    /// Zone for times typed without an offset: UTC (default), Asia/Bishkek, Asia/Dushanbe, local.
    #[arg(long, default_value = "UTC")]
    pub zone: String,
    /// An extra layer; repeatable.
    #[arg(long = "layer")]
    pub layers: Vec<PathBuf>,
}

/// The format of the file written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON FeatureCollection.
    GeoJson,
    /// CSV, one row per feature.
    Csv,
}

impl Format {
    /// By the file's extension.
    pub fn of(path: &Path) -> Result<Self, String> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("geojson" | "json") => Ok(Format::GeoJson),
            Some("csv") => Ok(Format::Csv),
            _ => Err(format!(
                "cannot tell the format of {}: name it .geojson or .csv",
                path.display()
            )),
        }
    }
}

/// Writes the features of `ds` shown at `visible` to `path`; says what was written.
pub fn write_shown(ds: &Dataset, visible: &Visible, path: &Path) -> Result<String, String> {
    let format = Format::of(path)?;
    let shown = ds.shown_features(visible);
    let rows: Vec<(&str, &crate::model::Feature)> = shown
        .iter()
        .filter_map(|r| {
            let entry = ds.layers.get(r.layer as usize)?;
            Some((entry.layer.name.as_str(), ds.feature(*r)?))
        })
        .collect();
    let written = match format {
        Format::GeoJson => write_file(path, rows.iter().map(|(_, f)| *f)),
        Format::Csv => write_csv_file(path, rows.iter().copied()),
    };
    written.map_err(|e: WriteError| e.to_string())?;
    Ok(format!(
        "wrote {} features to {}",
        rows.len(),
        path.display()
    ))
}

/// Runs `bordermap extract`: 0 written, 1 a layer unreadable or the file not written, 2 bad
/// arguments.
pub fn run(args: &ExtractArgs) -> Result<String, Failure> {
    Format::of(&args.out).map_err(Failure::Usage)?;
    let zone: DisplayZone = parse_zone(&args.zone).map_err(Failure::Usage)?;
    let filter = Filter::parse_all(&args.filters)
        .map_err(|e| Failure::Usage(format!("bad --filter: {e}")))?;
    let mode = match args.mode.trim().to_ascii_lowercase().as_str() {
        "cumulative" => TimeMode::Cumulative,
        "window" => TimeMode::Window {
            width_secs: parse_duration(&args.window)
                .map_err(|e| Failure::Usage(format!("bad --window: {e}")))?,
        },
        other => {
            return Err(Failure::Usage(format!(
                "unknown mode '{other}': use cumulative or window"
            )));
        }
    };
    let at = args
        .at
        .as_deref()
        .map(|t| parse_user_time(t, zone).map_err(|e| Failure::Usage(format!("bad --at: {e}"))))
        .transpose()?;
    let (mut ds, _warnings) = dataset_with(&args.layers)?;
    ds.set_filter(filter);
    let asked: Vec<_> = at.into_iter().collect();
    let mut time = TimeControl::default();
    time.set_range(crate::time::cursor_range(ds.unfiltered_range, &asked));
    time.apply(TimeCommand::SetMode(mode), &ds.index);
    match at {
        Some(t) => time.apply(TimeCommand::SetTime(t), &ds.index),
        None => time.apply(TimeCommand::End, &ds.index),
    }
    let visible = ds.index.visible(&time);
    write_shown(&ds, &visible, &args.out).map_err(Failure::Read)
}
