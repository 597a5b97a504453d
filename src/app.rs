//! The viewer: [`App`] owns the state and runs one frame in a fixed order — background work,
//! time, the visible set (computed once and handed to the list and the map alike), panels,
//! map — then applies the commands the panels pushed, and saves the session when it changed.
//! Nothing else happens here: panels live in `ui`, the scene in `map::scene`, background
//! work in `jobs`, what survives a restart in `session`.

use std::time::{Duration, Instant};

use egui::Ui;

use crate::command::{Command, LayerAction, Purpose};
use crate::instruments::measure::{Measure, MeasureCommand, Tool};
use crate::jobs::{ExportJob, ExportTask, Loads};
use crate::map::marks::{Marker, Marks};
use crate::map::online::BasemapSpec;
use crate::map::overlay::MapMenu;
use crate::map::window::WindowMap;
use crate::model::Problem;
use crate::model::dataset::Dataset;
use crate::session::{SavedLayer, Session, SessionStore};
use crate::time::{FeatureRef, TimeCommand, TimeControl, Visible};
use crate::ui::windows::{self, Toast};
use crate::ui::{Panels, file_dialog};
use crate::views::{SavedView, ViewsStore};

/// Layers holding more features than this are filtered on a worker thread.
pub const FILTER_ON_A_THREAD: usize = 100_000;

/// The viewer's state.
pub struct App {
    dataset: Dataset,
    problems: Vec<Problem>,
    time: TimeControl,
    selection: Option<FeatureRef>,
    visible: Visible,
    map: WindowMap,
    panels: Panels,
    loads: Loads,
    export_job: Option<ExportJob>,
    file_dialog: Option<file_dialog::Asked>,
    toasts: Vec<Toast>,
    store: Option<SessionStore>,
    /// A basemap to switch to on the first frame (saved, or from the command line).
    pending_basemap: Option<BasemapSpec>,
    /// The interface's language picked in the window (`None`: the system's).
    lang_choice: Option<crate::i18n::Lang>,
    ctx: Option<egui::Context>,
    commands: Vec<Command>,
    /// The measure tool and the measurements.
    measure: Measure,
    /// The Go to marker.
    marker: Option<Marker>,
    /// Saved views, and where they are kept.
    views: Vec<SavedView>,
    views_store: Option<ViewsStore>,
    /// The place search's names.
    names: tools::Names,
    /// Each site's precision area is drawn.
    precision_areas: bool,
    /// A second moment beside the first.
    compare: Option<compare::Compare>,
    /// A chart being written.
    chart_job: Option<ExportJob>,
    /// A filter being judged on a worker thread (big layers).
    filter_job: Option<crate::jobs::FilterJob>,
    /// An MP4 being written.
    video_job: Option<crate::jobs::VideoJob>,
    /// When freed memory is next given back to the system.
    given_back: GiveBack,
}

/// Seconds after loads and exports end, or the layers change, that freed memory is given back.
const GIVE_BACK_AFTER: f64 = 1.0;

/// What [`App::give_back_freed_memory`] watches.
#[derive(Debug, Default)]
struct GiveBack {
    /// The dataset's generation last seen.
    generation: u64,
    /// Whether a load or an export ran last frame.
    busy: bool,
    /// When to give memory back (egui's time), if something was freed.
    at: Option<f64>,
}

/// What to do about freed memory this frame.
#[derive(Debug, PartialEq)]
enum GiveBackNow {
    /// Nothing.
    No,
    /// Give it back in so many seconds: a frame is needed then. Asked for every frame until
    /// then, as egui forgets a repaint asked for by a frame once the next one is drawn (a
    /// load's last tiles are painted within the second after it).
    Later(f64),
    /// Give it back now.
    Yes,
}

impl GiveBack {
    /// Follows the dataset's generation and whether jobs run, at time `now`: memory is
    /// given back [`GIVE_BACK_AFTER`] seconds after the last change or the last job's end,
    /// once, and never while a job runs.
    fn follow(&mut self, generation: u64, busy: bool, now: f64) -> GiveBackNow {
        let changed = generation != self.generation || (self.busy && !busy);
        self.generation = generation;
        self.busy = busy;
        if changed {
            self.at = Some(now + GIVE_BACK_AFTER);
        }
        match self.at {
            None => GiveBackNow::No,
            Some(at) if now < at => GiveBackNow::Later(at - now),
            // Due, but a job runs: its end moves the time on.
            Some(_) if busy => GiveBackNow::Later(GIVE_BACK_AFTER),
            Some(_) => {
                self.at = None;
                GiveBackNow::Yes
            }
        }
    }
}

impl App {
    /// The viewer on the bundled data, restored from the session in `store` (defaults and
    /// nothing saved when `None`). The user's layers of the last session load in the
    /// background.
    pub fn new(mut store: Option<SessionStore>) -> Self {
        let restored = store.as_mut().map(SessionStore::load).unwrap_or_default();
        let mut views_store = store.as_ref().map(|s| ViewsStore::beside(s.path()));
        let (views, views_problem) = views_store
            .as_mut()
            .map(ViewsStore::load)
            .unwrap_or_default();
        let Session {
            lon,
            lat,
            zoom,
            time,
            layers,
            basemap,
            filters,
            lang,
        } = restored.session;
        // The language picked and kept with the session, else the one `main` chose from
        // `--lang` or the system's locale.
        let lang_choice = lang.as_deref().and_then(crate::i18n::Lang::parse);
        crate::i18n::set_lang(lang_choice.unwrap_or_else(crate::i18n::default_lang));
        let mut dataset = crate::io::bundled::dataset();
        let mut filter_problem = None;
        match crate::model::filter::Filter::parse_all(&filters) {
            Ok(filter) => dataset.set_filter(filter),
            Err(e) => {
                let path = store
                    .as_ref()
                    .map(|s| s.path().to_path_buf())
                    .unwrap_or_default();
                filter_problem = Some(crate::io::file_error(
                    &path,
                    crate::tr!("windows-saved-filters-unused", error = e.to_string()),
                ));
            }
        }
        let mut app = Self {
            visible: dataset.index.visible(&time),
            dataset,
            problems: restored
                .problem
                .into_iter()
                .chain(views_problem)
                .chain(filter_problem)
                .collect(),
            time,
            selection: None,
            map: WindowMap::new(lon, lat, zoom),
            panels: Panels::default(),
            loads: Loads::default(),
            export_job: None,
            file_dialog: None,
            toasts: Vec::new(),
            store,
            pending_basemap: basemap,
            lang_choice,
            ctx: None,
            commands: Vec::new(),
            measure: Measure::default(),
            marker: None,
            views,
            views_store,
            names: tools::Names::default(),
            precision_areas: false,
            compare: None,
            chart_job: None,
            filter_job: None,
            video_job: None,
            given_back: GiveBack::default(),
        };
        app.time.set_range(app.dataset.cursor_range());
        for saved in layers {
            app.open(saved);
        }
        app
    }

    /// Switches to `spec` on the first frame (the command line's `--basemap`).
    pub fn with_basemap(mut self, spec: BasemapSpec) -> Self {
        self.pending_basemap = Some(spec);
        self
    }

    /// Queues a command, as a panel would (tests drive the app this way too).
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// One frame of the whole UI.
    pub fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if ctx.options(|o| o.theme_preference) != egui::ThemePreference::Light {
            // The map, its legend and the list are designed for a light theme.
            ctx.set_theme(egui::Theme::Light);
        }
        self.ctx.get_or_insert_with(|| ctx.clone());
        if let Some(spec) = self.pending_basemap.take() {
            self.commands.push(Command::SetBasemap(spec));
        }
        let now = ui.input(|i| i.time);
        self.background_work(&ctx, now);
        self.give_back_freed_memory(&ctx, now);
        if self.time.tick(ui.input(|i| i.stable_dt) as f64) {
            ctx.request_repaint();
        }
        // Last frame's answer reused (a million dated features in window mode: megabytes).
        self.dataset
            .index
            .visible_into(&self.time, &mut self.visible);
        self.sync_compare();
        self.toasts.retain(|t| t.until > now);

        let mut commands = std::mem::take(&mut self.commands);
        let queued = commands.len();
        crate::ui::shortcuts(ui, &mut commands);
        let measuring = self.measure.tool.is_some();
        crate::ui::tools::tool_shortcuts(ui, measuring, self.views.len(), &mut commands);
        if self.panels.search.is_some() || self.panels.go_to.is_some() {
            let wake = self.waker();
            self.names.refresh(&self.dataset, wake);
        }
        windows::dropped_files_ui(ui, &mut commands);
        self.panels_ui(ui, &mut commands);
        egui::CentralPanel::no_frame().show(ui, |ui| self.map_ui(ui, &mut commands));
        if ctx.will_discard() {
            // egui runs this pass again with the same input (a tooltip or a window sizing
            // itself): what the panels asked is asked again then, so a click that toggles
            // something is applied once, not twice.
            commands.truncate(queued);
            self.commands = commands;
            return;
        }
        self.commands = commands;
        self.apply();
        self.save_session(&ctx);
    }

    /// A second after loads and exports end, or after the layers change (a layer removed,
    /// hidden, filtered), gives the memory they freed back to the system
    /// ([`crate::allocator::give_back`]): by then the painters and workers have let go of
    /// what they held.
    fn give_back_freed_memory(&mut self, ctx: &egui::Context, now: f64) {
        let busy = !self.loads.jobs().is_empty()
            || self.export_job.is_some()
            || self.chart_job.is_some()
            || self.video_job.is_some()
            || self.filter_job.is_some();
        match self.given_back.follow(self.dataset.generation, busy, now) {
            GiveBackNow::No => {}
            GiveBackNow::Later(seconds) => {
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(seconds));
            }
            GiveBackNow::Yes => {
                let start = std::time::Instant::now();
                crate::allocator::give_back();
                log::debug!("freed memory given back in {:?}", start.elapsed());
            }
        }
    }

    /// Loads and exports that finished, the system's file dialog, the basemap's retries.
    fn background_work(&mut self, ctx: &egui::Context, now: f64) {
        for report in self.loads.finish(&mut self.dataset) {
            if report.replaced {
                self.selection = None;
            }
            self.problems.extend(report.problems);
            self.notify(report.text, report.error, now);
            self.time.set_range(self.dataset.cursor_range());
        }
        if !self.loads.jobs().is_empty() || self.export_job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(outcome) = self.export_job.as_ref().and_then(ExportJob::poll) {
            self.panels.export.status = Some(outcome);
            self.panels.export.pending = 0;
            self.panels.export.overwrite = false;
            self.export_job = None;
        }
        self.finish_filter();
        if let Some(outcome) = self
            .video_job
            .as_ref()
            .and_then(crate::jobs::VideoJob::poll)
        {
            self.video_job = None;
            self.panels.animation.status = Some(outcome);
        }
        if self.video_job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.filter_job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(outcome) = self.chart_job.as_ref().and_then(ExportJob::poll) {
            self.chart_job = None;
            match outcome {
                Ok(text) => self.notify(text, false, now),
                Err(e) => self.notify(e, true, now),
            }
        }
        if self.chart_job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(paths) = self.file_dialog.as_ref().and_then(file_dialog::Asked::poll) {
            let purpose = self.file_dialog.take().map(|a| a.purpose);
            match (purpose, paths.first()) {
                (Some(Purpose::OpenLayers), Some(_)) => {
                    self.panels.open_path = None;
                    self.commands.push(Command::Open(paths));
                }
                (Some(Purpose::SaveExport), Some(p)) => {
                    self.commands.push(Command::SetExportPath(p.clone()));
                }
                _ => {}
            }
        }
        self.map.choice.retry_failed(now, ctx);
    }

    fn panels_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let view = crate::ui::FrameView {
            dataset: &self.dataset,
            time: &self.time,
            visible: &self.visible,
            selection: self.selection,
            problems: &self.problems,
            toasts: &self.toasts,
            loading: self.loads.jobs(),
            basemap: self.map.choice.spec(),
            tiles_loading: self.map.choice.loading(),
            map_size: self.map.size(),
            browsing: self.file_dialog.is_some(),
            measure: &self.measure,
            views: &self.views,
            names: self.names.get().map(|g| g.as_ref()),
            names_building: self.names.building(),
            compare: self.compare.as_ref().map(|c| (&c.time, c.swipe)),
            filter: self
                .filter_job
                .as_ref()
                .map_or(&self.dataset.filter, |j| &j.filter),
            filter_pending: self.filter_job.is_some(),
            animation: self.video_job.as_ref().map(crate::jobs::VideoJob::progress),
        };
        crate::ui::panels_ui(&view, &mut self.panels, ui, commands);
    }

    fn map_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let (ds, visible, time) = (&self.dataset, &self.visible, &self.time);
        let marks = Marks {
            measure: Some(&self.measure),
            marker: self.marker.as_ref(),
            pointer: None,
            precision_areas: self.precision_areas,
        };
        let out = match &self.compare {
            Some(c) => {
                let a = crate::map::window::Moment { visible, time };
                let b = crate::map::window::Moment {
                    visible: &c.visible,
                    time: &c.time,
                };
                self.map
                    .show_compare(ui, ds, a, b, c.swipe, self.selection, marks)
            }
            None => self.map.show(ui, ds, visible, time, self.selection, marks),
        };
        if out.toggle_precision {
            commands.push(Command::TogglePrecisionAreas);
        }
        if self.measure.tool.is_some() {
            // Measuring: a click is a point, not a pick.
            commands.extend(
                out.clicked_at
                    .map(|p| Command::Measure(MeasureCommand::Click(p))),
            );
        } else {
            commands.extend(out.clicked.map(Command::Pick));
        }
        match out.menu.clone() {
            Some(MapMenu::Copy(text)) => commands.push(Command::Copy(text)),
            Some(MapMenu::MeasureFrom(p)) => {
                commands.push(Command::Measure(MeasureCommand::Use(Some(Tool::Path))));
                commands.push(Command::Measure(MeasureCommand::Click(p)));
            }
            Some(MapMenu::RingsAt(p)) => {
                commands.push(Command::Measure(MeasureCommand::Use(Some(Tool::Rings))));
                commands.push(Command::Measure(MeasureCommand::Click(p)));
                commands.push(Command::Measure(MeasureCommand::Use(None)));
            }
            None => {}
        }
        if self.measure.tool.is_some() {
            let out = self.map.overlay();
            if out.pointer.is_some() {
                ui.ctx().request_repaint();
            }
        }
        let out = self.map.overlay();
        commands.extend(out.go_to.map(Command::GoTo));
        commands.extend(out.zoom_to.map(Command::Fit));
    }

    /// Applies the queued commands in order.
    pub fn apply(&mut self) {
        let now = self.ctx.as_ref().map_or(0.0, |c| c.input(|i| i.time));
        let cursor_before = self.time.cursor();
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::Select(r) => self.selection = r,
                Command::Pick(r) => {
                    self.selection = r;
                    self.panels.scroll_to_selection |= r.is_some();
                }
                Command::Focus(r) => {
                    if let Some(start) = self.dataset.event_of(r).map(|e| e.span.start()) {
                        self.time
                            .apply(TimeCommand::SetTime(start), &self.dataset.index);
                    }
                    self.center_on(r);
                    self.selection = Some(r);
                }
                Command::CenterOn(r) => self.center_on(r),
                Command::GoTo(preset) => {
                    let (lon, lat, zoom) = preset.view();
                    self.map.set_view(lon, lat, zoom);
                }
                Command::SetView { lon, lat, zoom } => self.map.set_view(lon, lat, zoom),
                Command::Fit(bbox) => self.map.fit(bbox),
                Command::Time(t) => self.time.apply(t, &self.dataset.index),
                Command::TimelineView(from, to) => self.panels.timeline_view = (from, to),
                Command::Layer(id, action) => self.layer_action(id, action),
                Command::Open(paths) => paths
                    .into_iter()
                    .for_each(|p| self.open(SavedLayer::open(p))),
                Command::CancelLoad(path) => self.loads.cancel(&path),
                Command::SetBasemap(spec) => {
                    if let Some(ctx) = self.ctx.clone()
                        && let Err(e) = self.map.choice.set(spec, &ctx)
                    {
                        self.notify(e.to_string(), true, now);
                        let basemap = std::path::Path::new("basemap");
                        self.problems
                            .push(crate::io::file_error(basemap, e.to_string()));
                    }
                }
                Command::ClearProblems => self.problems.clear(),
                Command::SetLanguage(lang) => {
                    self.lang_choice = Some(lang);
                    crate::i18n::set_lang(lang);
                }
                Command::Toggle(window) => {
                    self.panels.toggle(window);
                    if window == crate::command::Window::Measure {
                        let tool = self.panels.measure.open.then_some(Tool::Path);
                        self.measure.apply(MeasureCommand::Use(tool));
                    }
                }
                Command::Export(order) => self.start_export(order),
                Command::Browse(purpose) => {
                    if self.file_dialog.is_none() {
                        let wake = self.waker();
                        self.file_dialog = Some(file_dialog::Asked::new(purpose, wake));
                    }
                }
                Command::SetExportPath(p) => self.panels.export.path = p.display().to_string(),
                Command::Notify { text, error } => self.notify(text, error, now),
                Command::Measure(m) => {
                    if let MeasureCommand::Use(Some(_)) = m {
                        self.panels.measure.open = true;
                    }
                    self.measure.apply(m);
                }
                Command::SaveMeasurements(path) => {
                    let text = self.measure.to_geojson();
                    match crate::session::write_atomically(&path, text.as_bytes()) {
                        Ok(()) => self.notify(wrote(&path), false, now),
                        Err(e) => self.notify(cannot_write(&path, &e), true, now),
                    }
                }
                Command::Copy(text) => {
                    if let Some(ctx) = &self.ctx {
                        ctx.copy_text(text.clone());
                    }
                    self.notify(crate::tr!("windows-copied", text = text), false, now);
                }
                Command::GoToPlace { marker, zoom } => self.go_to_marker(marker, zoom),
                Command::ClearMarker => self.marker = None,
                Command::View(v) => self.view_command(v, now),
                Command::SetFilter(filter) => self.set_filter(filter),
                Command::TogglePrecisionAreas => self.precision_areas = !self.precision_areas,
                Command::Compare(c) => self.compare_command(c),
                Command::Animation(order) => self.start_video(order),
                Command::CancelAnimation => {
                    if let Some(job) = &self.video_job {
                        job.cancel();
                    }
                }
                Command::SaveChart {
                    path,
                    source,
                    tally,
                    bucket,
                } => {
                    let chart = crate::ui::chart::build(&self.dataset, &source, tally, bucket);
                    let (cursor, zone) = (self.time.cursor(), self.time.zone());
                    let wake = self.waker();
                    match ExportJob::start_chart(vec![chart], cursor, zone, [1400, 800], path, wake)
                    {
                        Ok(job) => self.chart_job = Some(job),
                        Err(e) => self.notify(
                            crate::tr!("windows-cannot-write-chart", error = e.to_string()),
                            true,
                            now,
                        ),
                    }
                }
                Command::SaveShown(path) => {
                    let outcome = if path.exists() {
                        Err(exists(&path))
                    } else {
                        crate::export::extract::write_shown(&self.dataset, &self.visible, &path)
                    };
                    match outcome {
                        Ok(text) => self.notify(text, false, now),
                        Err(e) => self.notify(e, true, now),
                    }
                }
            }
        }
        self.visible = self.dataset.index.visible(&self.time);
        self.sync_compare();
        if self.time.cursor() != cursor_before {
            self.keep_cursor_in_sight();
        }
    }

    /// Filters the dataset; a selection the filter hides is cleared. Layers of more than
    /// [`FILTER_ON_A_THREAD`] features are judged on a worker thread while the window goes
    /// on showing the previous filter (the filter bar says so); a newer filter replaces one
    /// still being judged.
    fn set_filter(&mut self, filter: crate::model::filter::Filter) {
        if self.dataset.feature_count() < FILTER_ON_A_THREAD {
            self.filter_job = None;
            self.dataset.set_filter(filter);
            self.after_filter();
            return;
        }
        let wake = self.waker();
        let layers = self.dataset.layers.clone();
        match crate::jobs::FilterJob::start(layers, filter.clone(), wake) {
            Ok(job) => self.filter_job = Some(job),
            Err(_) => {
                self.filter_job = None;
                self.dataset.set_filter(filter);
                self.after_filter();
            }
        }
    }

    /// Takes in a filter judged on the worker thread.
    fn finish_filter(&mut self) {
        let Some(judged) = self.filter_job.as_ref().and_then(|j| j.poll()) else {
            return;
        };
        let Some(job) = self.filter_job.take() else {
            return;
        };
        match judged {
            Ok(judged) => self.dataset.set_filter_judged(job.filter, judged),
            Err(()) => self.dataset.set_filter(job.filter),
        }
        self.after_filter();
    }

    fn after_filter(&mut self) {
        if self.selection.is_some_and(|r| !self.dataset.passes(r)) {
            self.selection = None;
        }
        self.visible = self.dataset.index.visible(&self.time);
    }

    /// The filter the window shows, or the one being judged for it.
    pub fn filter_asked(&self) -> &crate::model::filter::Filter {
        self.filter_job
            .as_ref()
            .map_or(&self.dataset.filter, |j| &j.filter)
    }

    /// After a jump (an event picked in the list, a saved view, a typed date), the timeline's
    /// axis follows the cursor when it left the span shown, keeping the span's width.
    fn keep_cursor_in_sight(&mut self) {
        let (from, to) = self.panels.timeline_view;
        let t = self.time.cursor();
        if (from..=to).contains(&t) || to <= from {
            return;
        }
        let half = jiff::SignedDuration::from_nanos(to.duration_since(from).as_nanos() as i64 / 2);
        if let (Ok(a), Ok(b)) = (t.checked_sub(half), t.checked_add(half)) {
            self.panels.timeline_view = (a, b);
        }
    }

    fn layer_action(&mut self, id: crate::model::dataset::LayerId, action: LayerAction) {
        let Some(index) = self.dataset.position(id) else {
            return;
        };
        match action {
            LayerAction::SetVisible(v) => {
                self.dataset.set_visible(index, v);
                self.selection = None;
            }
            LayerAction::SetStyle(style) => self.dataset.layers[index].set_style(style),
            LayerAction::MoveUp | LayerAction::MoveDown => {
                self.dataset
                    .move_layer(index, action == LayerAction::MoveUp);
                self.selection = None;
            }
            LayerAction::Remove => {
                self.dataset.remove(index);
                self.selection = None;
                self.time.set_range(self.dataset.cursor_range());
            }
            LayerAction::ZoomTo => {
                if let Some(b) = self.dataset.layers[index].prepared.bbox() {
                    self.map.fit(b);
                }
            }
            LayerAction::Reread { start, end, zone } => {
                let entry = &self.dataset.layers[index];
                if let Some(path) = entry.layer.path.clone() {
                    self.open(SavedLayer {
                        path,
                        part: entry.layer.part.clone(),
                        visible: entry.visible,
                        style: entry.style.clone(),
                        time_start: start,
                        time_end: end,
                        zone,
                    });
                }
            }
        }
    }

    /// Starts loading a file with its settings; a setting that cannot be used is a problem.
    fn open(&mut self, saved: SavedLayer) {
        let wake = self.waker();
        if let Err(problem) = self.loads.open(saved, wake) {
            self.problems.push(problem);
        }
    }

    /// Exports the view as the window shows it, on a background thread that shares the
    /// dataset (no copy) and has its own renderer and caches.
    fn start_export(&mut self, order: crate::command::ExportOrder) {
        let view_file = order.with_view.then(|| {
            let name = order
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.current_view(&name)
        });
        let mut job = self.window_task(order);
        job.view_file = view_file;
        job.compare = self
            .compare
            .as_ref()
            .map(|c| (c.time.clone(), c.swipe.then_some(self.map.swipe_at)));
        match ExportJob::start(job, self.waker()) {
            Ok(job) => {
                self.panels.export.pending = 1;
                self.panels.export.status = None;
                self.export_job = Some(job);
            }
            Err(e) => {
                self.panels.export.status = Some(Err(crate::tr!(
                    "windows-cannot-start-export",
                    error = e.to_string()
                )))
            }
        }
    }

    /// A picture of the view as the window shows it: its layers and filter (shared, not
    /// copied), time, place, basemap, selection, measurements, marker and precision areas.
    fn window_task(&self, order: crate::command::ExportOrder) -> ExportTask {
        let (lon, lat, zoom) = self.view();
        let mut task = ExportTask::new(
            order,
            self.dataset.clone(),
            self.time.clone(),
            crate::export::MapView { lon, lat, zoom },
            self.map.size(),
            self.map.choice.spec().clone(),
        );
        task.selection = self.selection;
        task.measure = self.measure.visible.then(|| self.measure.clone());
        task.marker = self.marker.clone();
        task.precision_areas = self.precision_areas;
        task
    }

    /// Writes an MP4 of the view as the window shows it (layers, filter, marks, basemap),
    /// on a thread.
    fn start_video(&mut self, order: crate::command::AnimationOrder) {
        if self.video_job.is_some() {
            return;
        }
        let export = crate::command::ExportOrder {
            path: order.path.clone(),
            size: crate::command::ExportSize::Custom,
            custom: order.size,
            title: order.title.clone(),
            with_view: false,
        };
        let task = self.window_task(export);
        let wake = self.waker();
        match crate::jobs::VideoJob::start(
            task,
            order.from,
            order.to,
            order.frames,
            order.fps,
            wake,
        ) {
            Ok(job) => self.video_job = Some(job),
            Err(e) => {
                self.panels.animation.status = Some(Err(crate::tr!(
                    "windows-cannot-start-video",
                    error = e.to_string()
                )))
            }
        }
    }

    fn center_on(&mut self, r: FeatureRef) {
        if let Some(c) = self.dataset.center_of(r) {
            self.map.center_on(c);
        }
    }

    fn notify(&mut self, text: String, error: bool, now: f64) {
        let until = now + if error { 8.0 } else { 6.0 };
        self.toasts.push(Toast { text, error, until });
    }

    /// A callback that asks for a frame, for work that ends on another thread.
    fn waker(&self) -> impl Fn() + Send + 'static {
        let ctx = self.ctx.clone();
        move || {
            if let Some(c) = &ctx {
                c.request_repaint();
            }
        }
    }

    /// Writes the session when it changed (at most twice a second; a frame is asked for
    /// when a change waits), so a crash or a kill loses nothing older than that.
    fn save_session(&mut self, ctx: &egui::Context) {
        if self.store.is_none() {
            return;
        }
        let session = self.session();
        let Some(store) = self.store.as_mut() else {
            return;
        };
        match store.save(&session, Instant::now()) {
            Ok(Some(wait)) => ctx.request_repaint_after(wait),
            Ok(None) => {}
            Err(e) => log::warn!("cannot save the session to {}: {e}", store.path().display()),
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, _storage: &mut dyn eframe::Storage) {
        // The session has its own file, written as it changes; on exit, write what waits.
        let session = self.session();
        if let Some(store) = self.store.as_mut()
            && let Err(e) = store.flush(&session)
        {
            log::warn!("cannot save the session to {}: {e}", store.path().display());
        }
    }
}

/// "wrote PATH", in the window's language.
fn wrote(path: &std::path::Path) -> String {
    crate::tr!("windows-wrote", path = path.display().to_string())
}

/// "cannot write PATH: ERROR", in the window's language.
fn cannot_write(path: &std::path::Path, e: &impl std::fmt::Display) -> String {
    crate::tr!(
        "windows-cannot-write",
        path = path.display().to_string(),
        error = e.to_string()
    )
}

/// "PATH exists: pick another name", in the window's language.
fn exists(path: &std::path::Path) -> String {
    crate::tr!("windows-exists", path = path.display().to_string())
}

pub mod compare;
mod state;
#[cfg(test)]
mod tests;
mod tools;
