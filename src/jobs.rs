//! Work the window does in the background: layers loading (with the settings each is read
//! with, so a restored or re-read layer keeps them) and exports of the window's view. The app
//! polls both at the start of a frame; nothing here blocks the window.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::command::ExportSize;
use crate::export::{ExportError, Exporter, Request, render_to_file};
use crate::io::loader::{Finished, Job, Loader};
use crate::model::dataset::{Dataset, LayerEntry, LayerRole};
use crate::model::{Problem, Severity};
use crate::session::SavedLayer;

/// What a finished load means for the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// A short notice.
    pub text: String,
    /// An error (red) or news.
    pub error: bool,
    /// Problems for the Problems window.
    pub problems: Vec<Problem>,
    /// A layer was replaced (a re-read): positions moved, the selection is stale.
    pub replaced: bool,
}

/// Layers being loaded, and the settings of every user layer (by file).
pub struct Loads {
    loader: Loader<LayerEntry>,
    /// Settings of files still loading.
    waiting: Vec<SavedLayer>,
    /// Settings each loaded file was read with (time fields, zone).
    read_with: Vec<SavedLayer>,
}

impl Default for Loads {
    fn default() -> Self {
        Self {
            loader: Loader::new(|layer| LayerEntry::new(layer, LayerRole::Custom)),
            waiting: Vec::new(),
            read_with: Vec::new(),
        }
    }
}

impl Loads {
    /// Starts loading a file with its settings; `wake` is called when it is done.
    pub fn open(
        &mut self,
        saved: SavedLayer,
        wake: impl Fn() + Send + 'static,
    ) -> Result<(), Problem> {
        let options = saved
            .read_options()
            .map_err(|e| crate::io::file_error(&saved.path, e.to_string()))?;
        // The layers of one file (a GeoPackage's tables) come from one read: a second
        // layer of a file already loading only waits for it with its settings.
        let loading = self.waiting.iter().any(|w| w.path == saved.path)
            && self.loader.jobs.iter().any(|j| j.path == saved.path);
        if !loading {
            self.loader.load(&saved.path, options, wake);
        }
        self.waiting.push(saved);
        Ok(())
    }

    /// Asks the load of `path` to stop.
    pub fn cancel(&self, path: &Path) {
        for job in self.loader.jobs.iter().filter(|j| j.path == path) {
            job.progress
                .cancel
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    /// The loads under way, with their progress.
    pub fn jobs(&self) -> &[Job<LayerEntry>] {
        &self.loader.jobs
    }

    /// Settings of files still loading (the session keeps them, so nothing is lost).
    pub fn waiting(&self) -> &[SavedLayer] {
        &self.waiting
    }

    /// The user's layers as the session saves them: each loaded layer with its settings and
    /// the time fields it was read with, then the files still loading.
    pub fn saved_layers(&self, ds: &Dataset) -> Vec<SavedLayer> {
        let mut layers: Vec<SavedLayer> = ds
            .layers
            .iter()
            .filter(|l| l.role == LayerRole::Custom)
            .filter_map(|l| {
                let path = l.layer.path.clone()?;
                let read = self.read_with(&path);
                Some(SavedLayer {
                    visible: l.visible,
                    style: l.style.clone(),
                    time_start: read.map(|r| r.time_start.clone()).unwrap_or_default(),
                    time_end: read.map(|r| r.time_end.clone()).unwrap_or_default(),
                    zone: l.layer.zone_name.clone(),
                    part: l.layer.part.clone(),
                    path,
                })
            })
            .collect();
        for waiting in &self.waiting {
            if !layers
                .iter()
                .any(|l| l.path == waiting.path && l.part == waiting.part)
            {
                layers.push(waiting.clone());
            }
        }
        layers
    }

    /// The time fields and zone a loaded file was read with.
    pub fn read_with(&self, path: &Path) -> Option<&SavedLayer> {
        self.read_with.iter().rev().find(|s| s.path == path)
    }

    /// Takes in what finished: layers join the dataset (a re-read replaces the layer it was
    /// read for and keeps its settings); each load gives a report.
    pub fn finish(&mut self, ds: &mut Dataset) -> Vec<Report> {
        let mut reports = Vec::new();
        for finished in self.loader.poll() {
            let report = match finished {
                Finished::Loaded(entries) => {
                    let path = entries.first().and_then(|e| e.layer.path.clone());
                    for entry in entries {
                        reports.push(self.merge(entry, ds));
                    }
                    if let Some(path) = path {
                        self.waiting.retain(|p| p.path != path);
                    }
                    continue;
                }
                Finished::Failed(problem) => {
                    self.waiting.retain(|p| p.path != problem.path);
                    Report {
                        text: problem.to_string(),
                        error: true,
                        problems: vec![problem],
                        replaced: false,
                    }
                }
                Finished::Cancelled(path) => {
                    self.waiting.retain(|p| p.path != path);
                    Report {
                        text: crate::tr!("load-cancelled", file = path.display().to_string()),
                        error: false,
                        problems: Vec::new(),
                        replaced: false,
                    }
                }
            };
            reports.push(report);
        }
        reports
    }

    fn merge(&mut self, mut entry: LayerEntry, ds: &mut Dataset) -> Report {
        let path = entry.layer.path.clone().unwrap_or_default();
        let errors = entry
            .layer
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        let (name, features, dated) = (
            entry.layer.name.clone(),
            entry.layer.features.len(),
            entry.layer.dated_count(),
        );
        let part = entry.layer.part.clone();
        let existing = ds.layers.iter().position(|l| {
            l.role == LayerRole::Custom
                && l.layer.path.as_deref() == Some(&path)
                && l.layer.part == part
        });
        // Its own settings; else, for another layer of the same file, the settings it was
        // opened with, unless the layer is already shown (it keeps its own look).
        let settings = match self
            .waiting
            .iter()
            .position(|p| p.path == path && p.part == part)
        {
            Some(i) => Some(self.waiting.remove(i)),
            None => self
                .waiting
                .iter()
                .find(|p| p.path == path)
                .map(|p| SavedLayer {
                    part: part.clone(),
                    ..p.clone()
                })
                .map(|mut s| {
                    if let Some(old) = existing.map(|i| &ds.layers[i]) {
                        s.visible = old.visible;
                        s.style = old.style.clone();
                    }
                    s
                }),
        };
        if let Some(i) = existing {
            ds.remove(i);
        }
        if let Some(s) = settings {
            // A restored or re-read layer keeps its settings.
            entry.visible = s.visible;
            entry.set_style(s.style.clone());
            self.read_with.retain(|r| r.path != path);
            self.read_with.push(s);
        }
        let problems = entry.layer.problems.clone();
        ds.push_entry(entry);
        let text = if errors > 0 {
            crate::tr!(
                "load-errors",
                name = name.as_str(),
                features = features,
                errors = errors
            )
        } else {
            crate::tr!(
                "load-read",
                name = name.as_str(),
                features = features,
                dated = dated
            )
        };
        Report {
            text,
            error: errors > 0,
            problems,
            replaced: existing.is_some(),
        }
    }
}

/// An export of the window's view, running on its own thread with its own renderer and
/// drawing caches; the dataset it draws is shared with the window, not copied.
pub struct ExportJob {
    result: Receiver<Result<String, ExportError>>,
}

/// Everything an export needs, owned, so it can leave the UI thread.
pub struct ExportTask {
    /// Layers and events (a cheap clone: the layers' data is shared).
    pub dataset: Dataset,
    /// Cursor, mode, zone.
    pub time: crate::time::TimeControl,
    /// Where the map looks.
    pub view: crate::export::MapView,
    /// Pixels.
    pub size_px: [u32; 2],
    /// Pixels per point.
    pub pixels_per_point: f32,
    /// Title over the map.
    pub title: Option<String>,
    /// Basemap.
    pub basemap: crate::map::online::BasemapSpec,
    /// The PNG to write.
    pub path: PathBuf,
    /// The selected feature.
    pub selection: Option<crate::time::FeatureRef>,
    /// Measurements to draw.
    pub measure: Option<crate::instruments::measure::Measure>,
    /// The Go to marker.
    pub marker: Option<crate::map::marks::Marker>,
    /// A view file to write beside the PNG (`x.png` → `x.view.json`) once it is written.
    pub view_file: Option<crate::views::SavedView>,
    /// Draw each site's precision area.
    pub precision_areas: bool,
    /// A second moment, as the window compares it: B's time, and the swipe line's place as
    /// a fraction of the width (`None`: side by side).
    pub compare: Option<(crate::time::TimeControl, Option<f32>)>,
}

impl ExportTask {
    /// The task for what the Export dialog asked, of the window's view: the map's size on
    /// screen times 1–3 (drawn at that density) or a custom size.
    pub fn new(
        order: crate::command::ExportOrder,
        dataset: Dataset,
        time: crate::time::TimeControl,
        view: crate::export::MapView,
        map_size: egui::Vec2,
        basemap: crate::map::online::BasemapSpec,
    ) -> Self {
        let (size_px, pixels_per_point) = match order.size {
            ExportSize::Scale(k) => {
                let k = f32::from(k.max(1));
                let px = |v: f32| (v * k).round() as u32;
                ([px(map_size.x), px(map_size.y)], k)
            }
            ExportSize::Custom => (order.custom, 1.0),
        };
        Self {
            dataset,
            time,
            view,
            size_px,
            pixels_per_point,
            title: order.title,
            basemap,
            path: order.path,
            selection: None,
            measure: None,
            marker: None,
            view_file: None,
            precision_areas: false,
            compare: None,
        }
    }
}

/// Renders A (the request's time) and B as the window shows them, side by side (each half
/// with its letter) or swiped at the line, and writes the picture.
fn render_compare(
    exporter: &mut Exporter,
    request: &Request,
    b: &crate::time::TimeControl,
    swipe: Option<f32>,
    path: &Path,
) -> Result<String, ExportError> {
    let started = std::time::Instant::now();
    let [w, h] = request.size_px;
    let stamp =
        |t: &crate::time::TimeControl| crate::map::furniture::time_text(t.zone(), t.cursor());
    let titled = |letter: &str| match &request.title {
        Some(t) => format!("{letter} · {t}"),
        None => letter.to_string(),
    };
    let (image, mut warnings) = match swipe {
        None => {
            let half = w / 2;
            let a = exporter.render(&Request {
                size_px: [half, h],
                title: Some(titled("A")),
                ..request.clone()
            })?;
            let b = exporter.render(&Request {
                size_px: [w - half, h],
                title: Some(titled("B")),
                time: b,
                ..request.clone()
            })?;
            let image = crate::export::side_by_side(&a.image, &b.image);
            (image, [a.warnings, b.warnings].concat())
        }
        Some(at) => {
            // One title for both halves, so the seam does not cut it.
            let title = crate::tr!("compare-swipe-title", a = stamp(request.time), b = stamp(b));
            let title = Some(match &request.title {
                Some(t) => format!("{t} · {title}"),
                None => title,
            });
            let a = exporter.render(&Request {
                title: title.clone(),
                ..request.clone()
            })?;
            let b = exporter.render(&Request {
                title,
                time: b,
                ..request.clone()
            })?;
            let x = (w as f32 * at.clamp(0.0, 1.0)).round() as u32;
            (
                crate::export::swiped(&a.image, &b.image, x),
                [a.warnings, b.warnings].concat(),
            )
        }
    };
    crate::export::write_png(path, &image)?;
    let mut msg = format!(
        "Wrote {} ({w}×{h}: A {} | B {}) in {:.1} s",
        path.display(),
        stamp(request.time),
        stamp(b),
        started.elapsed().as_secs_f64()
    );
    for w in warnings.drain(..) {
        msg.push('\n');
        msg.push_str(&w);
    }
    Ok(msg)
}

impl ExportTask {
    /// The picture to draw at `time` (the task's own time, or a frame's).
    pub fn request<'a>(&'a self, time: &'a crate::time::TimeControl) -> Request<'a> {
        Request {
            dataset: &self.dataset,
            time,
            view: self.view,
            size_px: self.size_px,
            pixels_per_point: self.pixels_per_point,
            title: self.title.clone(),
            tile_timeout: crate::map::scene::TILE_WAIT,
            basemap: self.basemap.clone(),
            selection: self.selection,
            measure: self.measure.as_ref(),
            marker: self.marker.as_ref(),
            precision_areas: self.precision_areas,
        }
    }
}

/// An MP4 of the window's view on a thread, time moving from `from` to `to`: how far it
/// is, and a way to stop it (a stopped video leaves no file).
pub struct VideoJob {
    result: Receiver<Result<String, String>>,
    /// Frames written so far.
    pub done: std::sync::Arc<std::sync::atomic::AtomicU32>,
    /// Frames in all.
    pub frames: u32,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl VideoJob {
    /// Starts writing `frames` frames at `fps` of `task` (its size, view, layers, marks)
    /// from `from` to `to` into `task.path`.
    pub fn start(
        task: ExportTask,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
        frames: u32,
        fps: u32,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        use std::sync::atomic::Ordering;
        let (tx, result) = std::sync::mpsc::channel();
        let done = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (done_t, cancel_t) = (done.clone(), cancel.clone());
        let frames = frames.max(2);
        // The thread draws labels in the window's language.
        let lang = crate::i18n::lang();
        std::thread::Builder::new()
            .name("video".into())
            .spawn(move || {
                crate::i18n::set_lang(lang);
                let started = std::time::Instant::now();
                let outcome = (|| -> Result<String, String> {
                    let mut exporter = Exporter::new().map_err(|e| e.to_string())?;
                    exporter.reuse_frames();
                    let writer =
                        crate::export::video::VideoWriter::create(&task.path, task.size_px, fps)
                            .map_err(|e| e.to_string())?;
                    let video = crate::export::video::VideoThread::start(writer)
                        .map_err(|e| e.to_string())?;
                    let mut time = task.time.clone();
                    for i in 0..frames {
                        if cancel_t.load(Ordering::Relaxed) {
                            // Dropping the encoder's thread ends it; its file is removed.
                            drop(video);
                            return Err("the video was cancelled; nothing was written".into());
                        }
                        let t = crate::export::video::frame_time(
                            from,
                            to,
                            i64::from(i),
                            i64::from(frames),
                        );
                        time.apply(crate::time::TimeCommand::SetTime(t), &task.dataset.index);
                        let picture = exporter
                            .render(&task.request(&time))
                            .map_err(|e| e.to_string())?;
                        if !video.push(picture.image) {
                            break;
                        }
                        done_t.store(i + 1, Ordering::Relaxed);
                    }
                    let path = video.finish()?;
                    Ok(format!(
                        "Wrote {} ({frames} frames, {}x{}, {fps} fps) in {:.1} s",
                        path.display(),
                        task.size_px[0],
                        task.size_px[1],
                        started.elapsed().as_secs_f64()
                    ))
                })();
                let _ = tx.send(outcome);
                wake();
            })?;
        Ok(Self {
            result,
            done,
            frames,
            cancel,
        })
    }

    /// Asks the video to stop.
    pub fn cancel(&self) {
        self.cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Frames written so far.
    pub fn progress(&self) -> (u32, u32) {
        (
            self.done.load(std::sync::atomic::Ordering::Relaxed),
            self.frames,
        )
    }

    /// `Some(outcome)` once the video has ended.
    pub fn poll(&self) -> Option<Result<String, String>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the video stopped unexpectedly".into())),
        }
    }
}

impl ExportJob {
    /// Starts the export; `wake` is called when it is done.
    pub fn start(order: ExportTask, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let (tx, result) = std::sync::mpsc::channel();
        // The thread draws labels in the window's language.
        let lang = crate::i18n::lang();
        std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                crate::i18n::set_lang(lang);
                let outcome = Exporter::new().and_then(|mut exporter| {
                    let request = order.request(&order.time);
                    let written = match &order.compare {
                        None => render_to_file(&mut exporter, &request, &order.path)?,
                        Some((b, swipe)) => {
                            render_compare(&mut exporter, &request, b, *swipe, &order.path)?
                        }
                    };
                    match &order.view_file {
                        Some(view) => {
                            let path = crate::views::view_file_beside(&order.path);
                            view.write(&path).map_err(|e| ExportError::Write {
                                path: path.clone(),
                                message: e.to_string(),
                            })?;
                            Ok(format!("{written}; view in {}", path.display()))
                        }
                        None => Ok(written),
                    }
                });
                let _ = tx.send(outcome);
                wake();
            })?;
        Ok(Self { result })
    }

    /// Draws a chart offscreen and writes it as a PNG (an existing file is left alone).
    pub fn start_chart(
        charts: Vec<crate::ui::chart::Chart>,
        cursor: jiff::Timestamp,
        zone: crate::time::DisplayZone,
        size_px: [u32; 2],
        path: PathBuf,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, result) = std::sync::mpsc::channel();
        // The thread draws labels in the window's language.
        let lang = crate::i18n::lang();
        std::thread::Builder::new()
            .name("chart export".into())
            .spawn(move || {
                crate::i18n::set_lang(lang);
                let outcome = if path.exists() {
                    Err(ExportError::Write {
                        path: path.clone(),
                        message: "it exists: pick another name".into(),
                    })
                } else {
                    Exporter::new().and_then(|mut exporter| {
                        let request = crate::export::chart::ChartRequest {
                            charts: &charts,
                            cursor,
                            zone,
                            size_px,
                            title: crate::tr!("chart-claims-title"),
                            subtitle: None,
                        };
                        let image = exporter.render_chart(&request)?;
                        crate::export::write_png(&path, &image)?;
                        Ok(format!("wrote {}", path.display()))
                    })
                };
                let _ = tx.send(outcome);
                wake();
            })?;
        Ok(Self { result })
    }

    /// `Some(outcome)` once the export has ended.
    pub fn poll(&self) -> Option<Result<String, String>> {
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome.map_err(|e| e.to_string())),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the export stopped unexpectedly".into())),
        }
    }
}

/// A filter judged on a worker thread, for layers too big to judge between two frames; the
/// window keeps showing the previous filter until it is done.
pub struct FilterJob {
    /// The filter being judged.
    pub filter: crate::model::filter::Filter,
    result: Receiver<crate::model::dataset::Judged>,
}

impl FilterJob {
    /// Judges `layers` (clones sharing the data) by `filter`; `wake` is called when done.
    pub fn start(
        layers: Vec<LayerEntry>,
        filter: crate::model::filter::Filter,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, result) = std::sync::mpsc::channel();
        let judging = filter.clone();
        std::thread::Builder::new()
            .name("filter".into())
            .spawn(move || {
                let judged = layers.iter().map(|l| (l.id, l.judge(&judging))).collect();
                // The window may have asked for another filter meanwhile: then nobody listens.
                let _ = tx.send(judged);
                wake();
            })?;
        Ok(Self { filter, result })
    }

    /// The masks by layer, once judged (`Err` when the thread is gone).
    pub fn poll(&self) -> Option<Result<crate::model::dataset::Judged, ()>> {
        match self.result.try_recv() {
            Ok(judged) => Some(Ok(judged)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(())),
        }
    }
}
