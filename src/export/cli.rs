//! `bordermap export`: one picture (`--out`) or one per step of an animation (`--out-dir`,
//! optionally `--gif`). Arguments are validated into an [`ExportPlan`] before any work, so a
//! bad time, size or zone is a usage error (exit 2) and an unreadable layer a read error
//! (exit 1), as DESIGN.md says.

use std::path::PathBuf;
use std::time::Instant;

use jiff::Timestamp;

use super::{ExportError, Exporter, MapView, Request, write_png};
use crate::io::{ReadOptions, read_layers};
use crate::map::view::{MAX_ZOOM, MIN_ZOOM, ViewPreset};
use crate::model::dataset::{Dataset, LayerRole};
use crate::model::filter::Filter;
use crate::time::{
    DisplayZone, TimeCommand, TimeControl, TimeIndex, TimeMode, parse_duration, parse_user_time,
};
use crate::views::SavedView;

/// The options of `bordermap export`, as typed.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ExportArgs {
    /// Write one picture to this PNG file.
    #[arg(long, conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,
    /// Write one numbered picture per step (frame-0001.png ...) into this folder.
    #[arg(long, requires_all = ["from", "to", "step"])]
    pub out_dir: Option<PathBuf>,
    /// First time of the animation (RFC 3339 or a date).
    #[arg(long)]
    pub from: Option<String>,
    /// Last time of the animation, included.
    #[arg(long)]
    pub to: Option<String>,
    /// Time between frames, e.g. 6h, 1d, 2w.
    #[arg(long)]
    pub step: Option<String>,
    /// Write an MP4 video (H.264) from --from to --to, time moving smoothly between frames.
    #[arg(long, requires_all = ["from", "to"], conflicts_with_all = ["out", "out_dir"])]
    pub video: Option<PathBuf>,
    /// Length of the video in seconds (default 10; or give --step for one frame per step).
    #[arg(long, requires = "video", conflicts_with = "step")]
    pub duration: Option<f64>,
    /// Frames per second of the video (default 30).
    #[arg(long, requires = "video")]
    pub fps: Option<u32>,
    /// Also write the animation as an animated GIF.
    #[arg(long, requires = "out_dir")]
    pub gif: Option<PathBuf>,
    /// Picture size in pixels, WIDTHxHEIGHT.
    #[arg(long, default_value = "1600x1000")]
    pub size: String,
    /// A view file (from the window's Views or Export): its centre, zoom, time, mode, zone,
    /// basemap, layers and selection; the flags given as well override its values.
    #[arg(long)]
    pub view: Option<PathBuf>,
    /// The time shown (RFC 3339 or a date); default: the last bundled event.
    #[arg(long)]
    pub at: Option<String>,
    /// Two moments side by side, A,B (RFC 3339 or dates): the left half at A, the right at B,
    /// the same place in both, each with its time burned in (with --out).
    #[arg(long, requires = "out", conflicts_with = "at")]
    pub compare: Option<String>,
    /// Map centre: LON,LAT (70.82,40.06), 40°03′36″N 70°49′12″E, 40.06N 70.82E, MGRS
    /// (42TXK5522336003) or a place name (Vorukh, Ворух); default: Batken–Isfara.
    #[arg(long, allow_hyphen_values = true)]
    pub center: Option<String>,
    /// Zoom level (1–17); default 9.
    #[arg(long)]
    pub zoom: Option<f64>,
    /// An extra layer (GeoJSON), drawn with its own simplestyle colours; repeatable.
    #[arg(long = "layer")]
    pub layers: Vec<PathBuf>,
    /// The basemap: offline (bundled, the default), osm, topo, imagery, an XYZ template or a .pmtiles file.
    #[arg(long)]
    pub basemap: Option<String>,
    /// cumulative (everything up to the time; the default) or window (only the last --window).
    #[arg(long)]
    pub mode: Option<String>,
    /// Window length for --mode window, e.g. 6h, 1d, 2w (default 7d).
    #[arg(long)]
    pub window: Option<String>,
    /// Zone for the times shown and for times typed without an offset: UTC (default), Asia/Bishkek, Asia/Dushanbe, local.
    #[arg(long)]
    pub zone: Option<String>,
    /// Draw this event (its id) as selected.
    #[arg(long)]
    pub selected: Option<String>,
    /// Draw each site known only to a village, district or region as its precision area.
    #[arg(long)]
    pub precision_areas: bool,
    /// Show only what passes; repeatable, all must hold: kind=clash,shelling, killed>=10,
    /// killed.KG>=10, side=KG, precision!=estimated, prop:NAME=VALUE, prop:NAME>=N.
    #[arg(long = "filter", allow_hyphen_values = true)]
    pub filters: Vec<String>,
    /// Title drawn over the map.
    #[arg(long)]
    pub title: Option<String>,
    /// A chart instead of the map (with --out): claims (each side's claimed dead, injured
    /// and evacuated by the date claimed), claims:killed (or injured, evacuated, displaced),
    /// or prop:NAME (a user layer's number summed by day or week).
    #[arg(long, requires = "out", conflicts_with = "compare")]
    pub chart: Option<String>,
    /// For --chart prop:NAME: sum by day (the default) or week.
    #[arg(long, requires = "chart")]
    pub bucket: Option<String>,
    /// The language of the legend, scale, attribution and time labels: en or ru (default:
    /// the system's).
    #[arg(long)]
    pub lang: Option<String>,
}

/// What to produce, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportPlan {
    /// Single picture or animation.
    pub output: Output,
    /// Pixels.
    pub size_px: [u32; 2],
    /// `None`: the last event.
    pub at: Option<Timestamp>,
    /// Centre and zoom.
    pub view: MapView,
    /// Extra layers.
    pub layers: Vec<PathBuf>,
    /// Cumulative or window.
    pub mode: TimeMode,
    /// Display zone.
    pub zone: DisplayZone,
    /// Title.
    pub title: Option<String>,
    /// Basemap.
    pub basemap: crate::map::online::BasemapSpec,
    /// A place name to centre on, resolved once the layers are read.
    pub center_name: Option<String>,
    /// The layers shown (a view's list: bundled asset paths and files); `None`: all.
    pub shown: Option<Vec<String>>,
    /// The selected event's id.
    pub selected: Option<String>,
    /// What must hold for a feature to be drawn.
    pub filter: Filter,
    /// Two moments side by side (`--compare A,B`).
    pub compare: Option<(Timestamp, Timestamp)>,
    /// Draw each site's precision area.
    pub precision_areas: bool,
    /// A chart instead of the map.
    pub chart: Option<super::chart::ChartSpec>,
}

/// Where the pictures go.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// One file.
    File(PathBuf),
    /// An MP4 video from `from` to `to` (both included), `frames` frames at `fps`.
    Video {
        /// The file.
        path: PathBuf,
        /// First time.
        from: Timestamp,
        /// Last time.
        to: Timestamp,
        /// How many frames.
        frames: i64,
        /// Frames per second.
        fps: u32,
    },
    /// Numbered frames from `from` to `to` (inclusive) every `step_secs`.
    Frames {
        /// Folder.
        dir: PathBuf,
        /// First time.
        from: Timestamp,
        /// Last time.
        to: Timestamp,
        /// Step in seconds.
        step_secs: i64,
        /// Animated GIF too.
        gif: Option<PathBuf>,
    },
}

/// Most frames one animation may have.
pub const MAX_FRAMES: i64 = 2000;
/// Most frames one video may have (10 minutes at 30 frames a second).
pub const MAX_VIDEO_FRAMES: i64 = 18_000;

/// Reads a zone name as typed.
pub fn parse_zone(text: &str) -> Result<DisplayZone, String> {
    DisplayZone::parse(text)
}

/// Reads WIDTHxHEIGHT.
pub fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let bad =
        || format!("bad size '{text}': expected WIDTHxHEIGHT, e.g. 1600x1000 (16 to 8192 each)");
    let (w, h) = text.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if !(16..=8192).contains(&w) || !(16..=8192).contains(&h) {
        return Err(bad());
    }
    Ok([w, h])
}

/// Reads a centre in any form Go to takes: `Ok(Some)` coordinates, `Ok(None)` a place name
/// (resolved once the layers are read), `Err` coordinates that are wrong.
pub fn parse_center(text: &str) -> Result<Option<(f64, f64)>, String> {
    match crate::instruments::coords::parse(text) {
        Some(Ok(p)) if (-85.0..=85.0).contains(&p.lat) => Ok(Some((p.lon, p.lat))),
        Some(Ok(p)) => Err(format!(
            "bad centre '{text}': latitude {} is beyond the map (±85°)",
            p.lat
        )),
        Some(Err(e)) => Err(format!("bad centre '{text}': {e}")),
        None => Ok(None),
    }
}

impl ExportArgs {
    /// Reads the `--view` file, if any: `Failure::Read` when it cannot be read (exit 1),
    /// `Failure::Usage` when a member is wrong (exit 2, naming it).
    pub fn view_file(&self) -> Result<Option<SavedView>, Failure> {
        let Some(path) = &self.view else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Read(format!("{}: {e}", path.display())))?;
        SavedView::parse(&text)
            .map(Some)
            .map_err(|e| Failure::Usage(format!("bad --view {}: {e}", path.display())))
    }

    /// Validates the arguments, reading `--view` if given; `Err` is a usage error (exit 2).
    pub fn plan(&self) -> Result<ExportPlan, String> {
        let view = self.view_file().map_err(|f| match f {
            Failure::Read(m) | Failure::Usage(m) => m,
        })?;
        self.plan_with(view.as_ref())
    }

    /// Validates the arguments over a view's values (flags win); `Err` is a usage error.
    pub fn plan_with(&self, view: Option<&SavedView>) -> Result<ExportPlan, String> {
        let zone = match (&self.zone, view.and_then(|v| v.zone)) {
            (Some(z), _) => parse_zone(z)?,
            (None, Some(z)) => z,
            (None, None) => DisplayZone::Utc,
        };
        let time = |what: &str, t: &str| {
            parse_user_time(t, zone).map_err(|e| format!("bad --{what}: {e}"))
        };
        let output = match (&self.out, &self.out_dir) {
            (None, None) if self.video.is_some() => {
                let path = self.video.clone().unwrap_or_default();
                let from = time("from", self.from.as_deref().unwrap_or_default())?;
                let to = time("to", self.to.as_deref().unwrap_or_default())?;
                if to < from {
                    return Err("--to is before --from".into());
                }
                let fps = self.fps.unwrap_or(30);
                if !(1..=60).contains(&fps) {
                    return Err(format!("bad --fps {fps}: use 1 to 60"));
                }
                let frames = match (&self.step, self.duration) {
                    (Some(step), _) => {
                        let step = parse_duration(step).map_err(|e| format!("bad --step: {e}"))?;
                        (to.as_second() - from.as_second()) / step + 1
                    }
                    (None, duration) => {
                        let d = duration.unwrap_or(10.0);
                        if !(d.is_finite() && d > 0.0) {
                            return Err(format!("bad --duration {d}: give seconds, more than 0"));
                        }
                        ((d * f64::from(fps)).round() as i64).max(2)
                    }
                };
                if frames > MAX_VIDEO_FRAMES {
                    return Err(format!(
                        "{frames} frames is too many for a video (at most {MAX_VIDEO_FRAMES}); \
                         use a shorter --duration, a lower --fps or a longer --step"
                    ));
                }
                Output::Video {
                    path,
                    from,
                    to,
                    frames,
                    fps,
                }
            }
            (Some(out), None) => Output::File(out.clone()),
            (None, Some(dir)) => {
                let from = time("from", self.from.as_deref().unwrap_or_default())?;
                let to = time("to", self.to.as_deref().unwrap_or_default())?;
                let step_secs = parse_duration(self.step.as_deref().unwrap_or_default())
                    .map_err(|e| format!("bad --step: {e}"))?;
                if to < from {
                    return Err("--to is before --from".into());
                }
                let frames = (to.as_second() - from.as_second()) / step_secs + 1;
                if frames > MAX_FRAMES {
                    return Err(format!(
                        "{frames} frames is too many (at most {MAX_FRAMES}); use a longer --step"
                    ));
                }
                Output::Frames {
                    dir: dir.clone(),
                    from,
                    to,
                    step_secs,
                    gif: self.gif.clone(),
                }
            }
            _ => {
                return Err(
                    "give --out FILE.png, --out-dir DIR with --from, --to and --step, or \
                     --video FILE.mp4 with --from and --to"
                        .into(),
                );
            }
        };
        let basemap = match (&self.basemap, view.and_then(|v| v.basemap.clone())) {
            (Some(b), _) => crate::map::online::BasemapSpec::parse(b).map_err(|e| e.to_string())?,
            (None, Some(b)) => b,
            (None, None) => crate::map::online::BasemapSpec::Offline,
        };
        let view_mode = view.and_then(|v| v.mode);
        let width = |default: i64| -> Result<i64, String> {
            match &self.window {
                Some(w) => parse_duration(w).map_err(|e| format!("bad --window: {e}")),
                None => Ok(default),
            }
        };
        let view_width = match view_mode {
            Some(TimeMode::Window { width_secs }) => width_secs,
            _ => crate::time::DEFAULT_WINDOW_SECS,
        };
        let mode = match self.mode.as_deref().map(|m| m.trim().to_ascii_lowercase()) {
            Some(m) if m == "cumulative" => TimeMode::Cumulative,
            Some(m) if m == "window" => TimeMode::Window {
                width_secs: width(view_width)?,
            },
            Some(other) => {
                return Err(format!("unknown mode '{other}': use cumulative or window"));
            }
            None => match view_mode {
                Some(TimeMode::Window { width_secs }) => TimeMode::Window {
                    width_secs: width(width_secs)?,
                },
                Some(TimeMode::Cumulative) | None => TimeMode::Cumulative,
            },
        };
        let (dlon, dlat, dzoom) = ViewPreset::ConflictArea.view();
        let view_center = view.map(|v| (v.center[0], v.center[1]));
        let (center, center_name) = match &self.center {
            Some(c) => match parse_center(c)? {
                Some(p) => (p, None),
                None => ((dlon, dlat), Some(c.trim().to_string())),
            },
            None => (view_center.unwrap_or((dlon, dlat)), None),
        };
        let (lon, lat) = center;
        let zoom = self.zoom.or(view.map(|v| v.zoom)).unwrap_or(dzoom);
        if !(MIN_ZOOM..=MAX_ZOOM).contains(&zoom) {
            return Err(format!("bad --zoom {zoom}: use {MIN_ZOOM} to {MAX_ZOOM}"));
        }
        let bucket = match self.bucket.as_deref().map(str::trim) {
            None | Some("day") => crate::model::claims::Bucket::Day,
            Some("week") => crate::model::claims::Bucket::Week,
            Some(other) => return Err(format!("bad --bucket '{other}': use day or week")),
        };
        Ok(ExportPlan {
            chart: self
                .chart
                .as_deref()
                .map(|c| super::chart::ChartSpec::parse(c, bucket))
                .transpose()?,
            output,
            size_px: parse_size(&self.size)?,
            precision_areas: self.precision_areas,
            compare: match &self.compare {
                Some(text) => {
                    let (a, b) = text.split_once(',').ok_or_else(|| {
                        format!("bad --compare '{text}': expected two times A,B, e.g. 2022-09-14,2022-09-17")
                    })?;
                    Some((time("compare", a)?, time("compare", b)?))
                }
                None => None,
            },
            at: match &self.at {
                Some(t) => Some(time("at", t)?),
                None => view.and_then(|v| v.time),
            },
            view: MapView { lon, lat, zoom },
            layers: self.layers.clone(),
            mode,
            zone,
            title: self.title.clone(),
            basemap,
            center_name,
            shown: view.and_then(|v| v.layers.clone()),
            selected: self
                .selected
                .clone()
                .or_else(|| view.and_then(|v| v.selected.clone())),
            filter: match (
                self.filters.is_empty(),
                view.and_then(|v| v.filters.as_ref()),
            ) {
                (false, _) => {
                    Filter::parse_all(&self.filters).map_err(|e| format!("bad --filter: {e}"))?
                }
                (true, Some(exprs)) => Filter::parse_all(exprs)?,
                (true, None) => Filter::default(),
            },
        })
    }
}

/// Why an export failed, with its exit code.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1: a file could not be read or written.
    Read(String),
    /// Exit 2: bad arguments.
    Usage(String),
}

/// The dataset of an export: the bundled layers plus `--layer` files.
pub fn dataset_with(layers: &[PathBuf]) -> Result<(Dataset, Vec<String>), Failure> {
    let mut ds = crate::io::bundled::dataset();
    let mut warnings = Vec::new();
    for path in layers {
        let layers =
            read_layers(path, &ReadOptions::default()).map_err(|p| Failure::Read(p.to_string()))?;
        for layer in layers {
            if layer.has_errors() {
                let errors: Vec<String> = layer.problems.iter().map(|p| p.to_string()).collect();
                return Err(Failure::Read(errors.join("\n")));
            }
            warnings.extend(layer.problems.iter().map(|p| p.to_string()));
            ds.push(layer, LayerRole::Custom);
        }
    }
    Ok((ds, warnings))
}

/// The time control for a plan at `at` (or the last event).
pub fn time_at(
    index: &TimeIndex,
    range: Option<(Timestamp, Timestamp)>,
    plan: &ExportPlan,
    at: Option<Timestamp>,
) -> TimeControl {
    let mut time = TimeControl::default();
    time.set_range(range);
    time.apply(TimeCommand::SetZone(plan.zone), index);
    time.apply(TimeCommand::SetMode(plan.mode), index);
    match at {
        Some(t) => time.apply(TimeCommand::SetTime(t), index),
        None => time.apply(TimeCommand::End, index),
    }
    time
}

/// Runs an export plan; returns lines to print.
pub fn run(plan: &ExportPlan) -> Result<Vec<String>, Failure> {
    let started = Instant::now();
    // A view's own files come after the --layer ones.
    let mut files = plan.layers.clone();
    for key in plan.shown.iter().flatten() {
        let path = PathBuf::from(key);
        let bundled = key.starts_with("assets/") || key == "measurements";
        if !bundled && !files.contains(&path) {
            files.push(path);
        }
    }
    let (mut ds, mut messages) = dataset_with(&files)?;
    if let Some(shown) = &plan.shown {
        // Layers the view does not list are hidden; --layer files always show.
        for i in 0..ds.layers.len() {
            let key = ds.layers[i]
                .layer
                .path
                .as_ref()
                .map(|p| p.display().to_string());
            let flagged = ds.layers[i]
                .layer
                .path
                .as_ref()
                .is_some_and(|p| plan.layers.contains(p));
            let visible = flagged || key.is_some_and(|k| shown.contains(&k));
            if ds.layers[i].visible != visible {
                ds.set_visible(i, visible);
            }
        }
    }
    ds.set_filter(plan.filter.clone());
    let mut plan = plan.clone();
    if let Some(name) = &plan.center_name {
        let places = crate::io::bundled::places();
        let names = crate::instruments::gazetteer::Gazetteer::build(places, &ds);
        let found = names
            .resolve(&ds, name)
            .map_err(|e| Failure::Usage(format!("bad --center: {e}")))?;
        plan.view.lon = found.at[0];
        plan.view.lat = found.at[1];
    }
    let selection = match &plan.selected {
        Some(id) => Some(ds.event_by_id(id).ok_or_else(|| {
            Failure::Usage(format!("bad --selected: no event has the id '{id}'"))
        })?),
        None => None,
    };
    let plan = &plan;
    // Times outside the data are allowed: the range takes in every time asked for.
    let asked: Vec<Timestamp> = match &plan.output {
        Output::Frames { from, to, .. } | Output::Video { from, to, .. } => vec![*from, *to],
        Output::File(_) => match plan.compare {
            Some((a, b)) => vec![a, b],
            None => plan.at.into_iter().collect(),
        },
    };
    let range = crate::time::cursor_range(ds.unfiltered_range, &asked);
    let mut exporter = Exporter::new().map_err(|e| Failure::Read(e.to_string()))?;
    if matches!(plan.output, Output::Video { .. } | Output::Frames { .. }) {
        exporter.reuse_frames();
    }
    let mut render_sized = |at: Option<Timestamp>,
                            size_px: [u32; 2],
                            title: Option<String>|
     -> Result<super::Picture, Failure> {
        let time = time_at(
            &ds.index,
            range,
            plan,
            at.or_else(|| ds.unfiltered_range.map(|r| r.1)),
        );
        let request = Request {
            dataset: &ds,
            time: &time,
            view: plan.view,
            size_px,
            pixels_per_point: 1.0,
            title,
            tile_timeout: crate::map::scene::TILE_WAIT,
            basemap: plan.basemap.clone(),
            selection,
            measure: None,
            marker: None,
            precision_areas: plan.precision_areas,
        };
        exporter
            .render(&request)
            .map_err(|e| Failure::Read(e.to_string()))
    };
    let mut render = |at: Option<Timestamp>| render_sized(at, plan.size_px, plan.title.clone());
    let write = |path: &PathBuf, image: &image::RgbaImage| {
        write_png(path, image).map_err(|e: ExportError| Failure::Read(e.to_string()))
    };
    match &plan.output {
        Output::File(path) if plan.chart.is_some() => {
            let spec = plan
                .chart
                .clone()
                .unwrap_or(super::chart::ChartSpec::Claims(vec![]));
            let charts = charts_of(&ds, &spec)?;
            let time = time_at(
                &ds.index,
                range,
                plan,
                plan.at.or_else(|| ds.unfiltered_range.map(|r| r.1)),
            );
            let filters = ds.filter.exprs();
            let request = super::chart::ChartRequest {
                charts: &charts,
                cursor: time.cursor(),
                zone: plan.zone,
                size_px: plan.size_px,
                title: plan.title.clone().unwrap_or_else(|| match &spec {
                    super::chart::ChartSpec::Claims(_) => crate::tr!("chart-claims-title"),
                    super::chart::ChartSpec::Prop { name, .. } => {
                        crate::tr!("chart-prop-title", name = name.as_str())
                    }
                }),
                subtitle: (!filters.is_empty())
                    .then(|| crate::tr!("chart-filter-subtitle", filters = filters.join(" · "))),
            };
            let image = exporter
                .render_chart(&request)
                .map_err(|e| Failure::Read(e.to_string()))?;
            write(path, &image)?;
            messages.push(format!(
                "wrote {} ({}x{} chart) in {:.2} s",
                path.display(),
                plan.size_px[0],
                plan.size_px[1],
                started.elapsed().as_secs_f64()
            ));
        }
        Output::File(path) if plan.compare.is_some() => {
            let Some((a, b)) = plan.compare else {
                return Err(Failure::Usage("--compare needs two times".into()));
            };
            let [w, h] = plan.size_px;
            let half = w / 2;
            let titled = |side: &str| {
                Some(match &plan.title {
                    Some(t) => format!("{side} · {t}"),
                    None => side.to_string(),
                })
            };
            let left = render_sized(Some(a), [half, h], titled("A"))?;
            let right = render_sized(Some(b), [w - half, h], titled("B"))?;
            let image = super::side_by_side(&left.image, &right.image);
            write(path, &image)?;
            messages.extend(left.warnings);
            messages.extend(right.warnings);
            messages.push(format!(
                "wrote {} ({w}x{h}: A {} | B {}) in {:.2} s",
                path.display(),
                plan.zone.format(a),
                plan.zone.format(b),
                started.elapsed().as_secs_f64()
            ));
        }
        Output::File(path) => {
            let picture = render(plan.at)?;
            write(path, &picture.image)?;
            messages.extend(picture.warnings);
            messages.push(format!(
                "wrote {} ({}x{}) in {:.2} s",
                path.display(),
                plan.size_px[0],
                plan.size_px[1],
                started.elapsed().as_secs_f64()
            ));
        }
        Output::Video {
            path,
            from,
            to,
            frames,
            fps,
        } => {
            let video = super::video::VideoWriter::create(path, plan.size_px, *fps)
                .map_err(|e| Failure::Read(e.to_string()))?;
            let video = super::video::VideoThread::start(video)
                .map_err(|e| Failure::Read(format!("cannot start the encoder: {e}")))?;
            for i in 0..*frames {
                let t = super::video::frame_time(*from, *to, i, *frames);
                let picture = render(Some(t))?;
                for w in picture.warnings {
                    if !messages.contains(&w) {
                        messages.push(w);
                    }
                }
                if !video.push(picture.image) {
                    break;
                }
            }
            let written = video.finish().map_err(Failure::Read)?;
            messages.push(format!(
                "wrote {} ({frames} frames, {}x{}, {fps} fps, {:.1} s of video) in {:.2} s",
                written.display(),
                plan.size_px[0],
                plan.size_px[1],
                *frames as f64 / f64::from(*fps),
                started.elapsed().as_secs_f64()
            ));
        }
        Output::Frames {
            dir,
            from,
            to,
            step_secs,
            gif,
        } => {
            let mut frames = Vec::new();
            let mut t = *from;
            let mut n = 0;
            while t <= *to {
                n += 1;
                let picture = render(Some(t))?;
                let path = dir.join(format!("frame-{n:04}.png"));
                write(&path, &picture.image)?;
                messages.extend(picture.warnings);
                if gif.is_some() {
                    frames.push(picture.image);
                }
                t = match t.checked_add(jiff::SignedDuration::from_secs(*step_secs)) {
                    Ok(next) => next,
                    Err(_) => break,
                };
            }
            if let Some(gif) = gif {
                write_gif(gif, frames).map_err(Failure::Read)?;
                messages.push(format!("wrote {}", gif.display()));
            }
            messages.push(format!(
                "wrote {n} frames to {} in {:.2} s",
                dir.display(),
                started.elapsed().as_secs_f64()
            ));
        }
    }
    Ok(messages)
}

/// The plots a chart spec asks for; a property no shown layer has is a usage error.
fn charts_of(
    ds: &Dataset,
    spec: &super::chart::ChartSpec,
) -> Result<Vec<crate::ui::chart::Chart>, Failure> {
    use crate::model::claims::{ClaimsChart, Sums};
    use crate::ui::chart::Chart;
    match spec {
        super::chart::ChartSpec::Claims(tallies) => Ok(tallies
            .iter()
            .map(|t| Chart::Claims(ClaimsChart::build(ds, *t)))
            .collect()),
        super::chart::ChartSpec::Prop { name, bucket } => {
            let layer = (0..ds.layers.len())
                .filter(|&i| ds.layers[i].visible && ds.layers[i].role == LayerRole::Custom)
                .find(|&i| {
                    Sums::numeric_properties(ds, i)
                        .iter()
                        .any(|p| p.eq_ignore_ascii_case(name))
                })
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "bad --chart prop:{name}: no --layer has a numeric property '{name}'"
                    ))
                })?;
            let sums = Sums::build(ds, layer, name, *bucket);
            Ok(vec![Chart::Sums(sums, ds.layers[layer].layer.name.clone())])
        }
    }
}

/// Writes an animated GIF (half a second a frame, looping), whole or not at all.
fn write_gif(path: &PathBuf, frames: Vec<image::RgbaImage>) -> Result<(), String> {
    use image::codecs::gif::{GifEncoder, Repeat};
    let err = |e: String| format!("cannot write {}: {e}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    }
    let tmp = path.with_extension(format!("gif.{}.tmp", std::process::id()));
    let result = (|| -> Result<(), String> {
        let file = std::fs::File::create(&tmp).map_err(|e| e.to_string())?;
        let mut encoder = GifEncoder::new_with_speed(std::io::BufWriter::new(file), 20);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| e.to_string())?;
        for image in frames {
            let frame =
                image::Frame::from_parts(image, 0, 0, image::Delay::from_numer_denom_ms(500, 1));
            encoder.encode_frame(frame).map_err(|e| e.to_string())?;
        }
        drop(encoder);
        std::fs::rename(&tmp, path).map_err(|e| e.to_string())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> ExportArgs {
        ExportArgs {
            out: Some("x.png".into()),
            size: "1600x1000".into(),
            ..ExportArgs::default()
        }
    }

    #[test]
    fn defaults_and_good_values() {
        let plan = args().plan().unwrap();
        assert_eq!(plan.size_px, [1600, 1000]);
        assert_eq!(plan.at, None);
        assert_eq!(plan.view.zoom, 9.0);
        let mut a = args();
        a.at = Some("2022-09-16T12:00:00+06:00".into());
        a.center = Some("-70.5, 39.8".into());
        a.zone = Some("Asia/Bishkek".into());
        a.mode = Some("window".into());
        a.window = Some("1d".into());
        let plan = a.plan().unwrap();
        assert_eq!(plan.at, Some("2022-09-16T06:00:00Z".parse().unwrap()));
        assert_eq!(plan.view.lon, -70.5);
        assert_eq!(plan.zone, DisplayZone::Bishkek);
        assert_eq!(plan.mode, TimeMode::Window { width_secs: 86_400 });
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for (field, value, expected) in [
            ("size", "100", "bad size"),
            ("size", "0x10", "bad size"),
            ("at", "yesterday", "bad --at"),
            ("zone", "Mars/Olympus", "unknown zone"),
            ("mode", "sometimes", "unknown mode"),
            ("center", "200,40", "bad centre"),
            ("basemap", "nonsense", "nonsense"),
        ] {
            let mut a = args();
            match field {
                "size" => a.size = value.into(),
                "at" => a.at = Some(value.into()),
                "zone" => a.zone = Some(value.into()),
                "mode" => a.mode = Some(value.into()),
                "center" => a.center = Some(value.into()),
                _ => a.basemap = Some(value.into()),
            }
            let err = a.plan().unwrap_err();
            assert!(err.contains(expected), "{field}={value}: {err}");
        }
    }

    #[test]
    fn animation_frames_are_counted_inclusively() {
        let mut a = args();
        a.out = None;
        a.out_dir = Some("frames".into());
        a.from = Some("2022-09-14".into());
        a.to = Some("2022-09-20".into());
        a.step = Some("1d".into());
        let Output::Frames {
            from,
            to,
            step_secs,
            ..
        } = a.plan().unwrap().output
        else {
            panic!("frames expected")
        };
        assert_eq!((to.as_second() - from.as_second()) / step_secs + 1, 7);
        a.step = Some("1m".into());
        a.to = Some("2025-01-01".into());
        assert!(a.plan().unwrap_err().contains("too many"));
    }
}
