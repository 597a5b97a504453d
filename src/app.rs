//! The viewer: [`App`] owns the state and runs one frame in a fixed order — input, time,
//! the visible set (computed once and handed to the list and the map alike), panels, map —
//! then applies the commands the panels pushed.

use std::sync::Arc;

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};
use walkers::{Map, MapMemory, lon_lat};

use crate::dataset::{Dataset, bundled, read_bundled};
use crate::map::basemap::OfflineTiles;
use crate::map::overlay::{Overlay, OverlayOutput, PlaceLabel};
use crate::map::prepared::{mercator, unmercator};
use crate::map::raster::BasemapData;
use crate::model::Layer;
use crate::time::{FeatureRef, TimeCommand, TimeControl, Visible, age_fraction};
use crate::ui::{Command, ViewPreset, furniture, inspector};

/// First wait before failed online tiles are asked for again; doubles up to the maximum.
pub const TILE_RETRY_FIRST_SECS: f64 = 15.0;
/// Longest wait between retries of failed online tiles.
pub const TILE_RETRY_MAX_SECS: f64 = 600.0;

/// The deepest zoom offered.
pub const MAX_ZOOM: f64 = 17.0;

/// What survives a restart (eframe storage).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Persisted {
    /// Map centre, longitude.
    pub lon: f64,
    /// Map centre, latitude.
    pub lat: f64,
    /// Map zoom.
    pub zoom: f64,
    /// Cursor, mode, zone, speed, window.
    pub time: TimeControl,
    /// The user's layers: files and settings, reopened at the next start.
    pub layers: Vec<SavedLayer>,
    /// The basemap picked (`None`: the offline one).
    pub basemap: Option<crate::map::online::BasemapSpec>,
}

/// A user layer as saved with the session.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedLayer {
    /// The file.
    pub path: std::path::PathBuf,
    /// Shown.
    pub visible: bool,
    /// Colour, opacity, widths.
    pub style: crate::dataset::LayerStyle,
    /// Overridden start (or only) time property; empty for automatic.
    pub time_start: String,
    /// Overridden end time property.
    pub time_end: String,
    /// Zone for times without an offset ("UTC" or an IANA name).
    pub zone: String,
}

impl SavedLayer {
    /// How to read the file.
    pub fn read_options(&self) -> Result<crate::io::ReadOptions, String> {
        let zone = match self.zone.trim() {
            "" | "UTC" | "utc" => jiff::tz::TimeZone::UTC,
            name => {
                jiff::tz::TimeZone::get(name).map_err(|_| format!("unknown time zone '{name}'"))?
            }
        };
        let fields =
            (!self.time_start.trim().is_empty()).then(|| crate::io::timefields::TimeFields {
                start: self.time_start.trim().to_string(),
                end: Some(self.time_end.trim().to_string()).filter(|e| !e.is_empty()),
            });
        Ok(crate::io::ReadOptions {
            time: crate::io::timefields::TimeReader::new(zone, fields),
        })
    }
}

/// A short message over the map that goes away by itself.
#[derive(Clone, Debug)]
pub struct Toast {
    /// What happened.
    pub text: String,
    /// An error (red) or news (green).
    pub error: bool,
    /// When it goes (egui time in seconds).
    pub until: f64,
}

impl Default for Persisted {
    fn default() -> Self {
        let (lon, lat, zoom) = ViewPreset::ConflictArea.view();
        Self {
            lon,
            lat,
            zoom,
            time: TimeControl::default(),
            layers: Vec::new(),
            basemap: None,
        }
    }
}

/// The basemap: its tiles and its place names.
pub struct Basemap {
    /// Rendered tiles.
    pub tiles: OfflineTiles,
    /// Place labels, by rank.
    pub places: Vec<PlaceLabel>,
}

impl Basemap {
    /// The bundled offline basemap.
    pub fn bundled(ctx: &egui::Context) -> Self {
        let countries = read_bundled(bundled::COUNTRIES, "assets/basemap/countries.geojson");
        let lakes = read_bundled(bundled::LAKES, "assets/basemap/lakes.geojson");
        let provinces = read_bundled(bundled::PROVINCES, "assets/basemap/provinces.geojson");
        let places = read_bundled(bundled::PLACES, "assets/basemap/places.geojson");
        let data = basemap_data(&countries, &lakes, &provinces);
        Self {
            tiles: OfflineTiles::new(ctx, Arc::new(data)),
            places: place_labels(&places),
        }
    }
}

/// The raster basemap's geometry from the bundled layers.
pub fn basemap_data(countries: &Layer, lakes: &Layer, provinces: &Layer) -> BasemapData {
    use geo::{Geometry, MultiPolygon};
    let countries = countries
        .features
        .iter()
        .filter_map(|f| {
            let iso = f.property_text("iso_a3").unwrap_or_default();
            match f.geometry.as_ref()? {
                Geometry::Polygon(p) => Some((iso, MultiPolygon(vec![p.clone()]))),
                Geometry::MultiPolygon(mp) => Some((iso, mp.clone())),
                _ => None,
            }
        })
        .collect();
    let lakes = lakes
        .features
        .iter()
        .flat_map(|f| match &f.geometry {
            Some(Geometry::Polygon(p)) => vec![p.clone()],
            Some(Geometry::MultiPolygon(mp)) => mp.0.clone(),
            _ => Vec::new(),
        })
        .collect();
    let provinces = provinces
        .features
        .iter()
        .flat_map(|f| match &f.geometry {
            Some(Geometry::LineString(l)) => vec![l.clone()],
            Some(Geometry::MultiLineString(ml)) => ml.0.clone(),
            _ => Vec::new(),
        })
        .collect();
    BasemapData::new(countries, lakes, provinces)
}

/// Place labels from the places layer, best rank first.
pub fn place_labels(places: &Layer) -> Vec<PlaceLabel> {
    let mut labels: Vec<PlaceLabel> = places
        .features
        .iter()
        .filter_map(|f| {
            let Some(geo::Geometry::Point(p)) = &f.geometry else {
                return None;
            };
            Some(PlaceLabel {
                name: f.property_text("name")?,
                at: mercator(p.x(), p.y()),
                rank: f
                    .property_text("rank")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(4),
            })
        })
        .collect();
    labels.sort_by_key(|l| l.rank);
    labels
}

/// The viewer's state.
pub struct App {
    /// Layers, events and the time index.
    pub dataset: Dataset,
    /// The time cursor and playback.
    pub time: TimeControl,
    /// Selected feature.
    pub selection: Option<FeatureRef>,
    /// The map's position and zoom.
    pub map_memory: MapMemory,
    /// The offline basemap, made on the first frame (it needs the egui context).
    pub basemap: Option<Basemap>,
    /// What is visible at the cursor: computed once per frame, shared by list and map.
    pub visible: Visible,
    /// What the overlay drew and found under the pointer last frame.
    pub overlay: OverlayOutput,
    /// Set when the list should scroll to the selected row.
    pub scroll_to_selection: bool,
    /// UI state of the event list (filters, search).
    pub list: crate::ui::events::ListState,
    /// The span shown on the timeline's axis.
    pub timeline_view: (jiff::Timestamp, jiff::Timestamp),
    /// The Export dialog.
    pub export: crate::ui::export_dialog::ExportDialog,
    /// The offscreen renderer, made on the first export.
    pub exporter: Option<crate::export::Exporter>,
    /// Size of the map area in points, last frame.
    pub map_size: egui::Vec2,
    /// Files being read in the background.
    pub loader: crate::io::loader::Loader<crate::dataset::LayerEntry>,
    /// Settings waiting for their layer to finish loading (session restore, re-read).
    pub pending: Vec<SavedLayer>,
    /// Messages over the map.
    pub toasts: Vec<Toast>,
    /// The Open dialog's typed path, when open.
    pub open_path: Option<String>,
    /// The problems window is shown.
    pub show_problems: bool,
    /// A saved state that could not be read, to be kept aside at the next save.
    pub corrupt_state: Option<String>,
    /// The egui context, once known, to wake the window when a load ends.
    pub ctx: Option<egui::Context>,
    /// The basemap picked.
    pub basemap_spec: crate::map::online::BasemapSpec,
    /// Its tiles, when it is not the offline one (nothing online exists until picked).
    pub online: Option<Box<dyn walkers::Tiles>>,
    /// A basemap to switch to on the first frame (saved, or from the command line).
    pub pending_basemap: Option<crate::map::online::BasemapSpec>,
    /// The export running in the background.
    pub export_job: Option<std::sync::mpsc::Receiver<Result<String, String>>>,
    /// A native file dialog that is open.
    pub file_dialog: Option<crate::ui::file_dialog::Asked>,
    /// The custom basemap dialog's text, when open.
    pub custom_basemap: Option<String>,
    /// Retry of failed online tiles: failures seen at the last retry, when the next is due
    /// (egui seconds) and the current back-off.
    pub tile_retry: (u64, f64, f64),
    commands: Vec<Command>,
}

impl App {
    /// The viewer on the bundled data, restored from `persisted`.
    pub fn new(persisted: Option<Persisted>) -> Self {
        let persisted = persisted.unwrap_or_default();
        let dataset = Dataset::bundled();
        let mut time = persisted.time;
        time.set_range(time_range(&dataset));
        let mut map_memory = MapMemory::default();
        map_memory.center_at(lon_lat(persisted.lon, persisted.lat));
        if map_memory
            .set_zoom(persisted.zoom.clamp(2.0, 18.0))
            .is_err()
        {
            let _ = map_memory.set_zoom(9.0);
        }
        let visible = dataset.index.visible(&time);
        let saved_layers = persisted.layers.clone();
        let mut app = Self {
            dataset,
            time,
            selection: None,
            map_memory,
            basemap: None,
            visible,
            overlay: OverlayOutput::default(),
            scroll_to_selection: false,
            list: Default::default(),
            timeline_view: crate::ui::timeline::september_2022(),
            export: Default::default(),
            exporter: None,
            map_size: egui::vec2(1000.0, 700.0),
            loader: crate::io::loader::Loader::new(|layer| {
                crate::dataset::LayerEntry::new(layer, crate::dataset::LayerRole::Custom)
            }),
            pending: Vec::new(),
            toasts: Vec::new(),
            open_path: None,
            show_problems: false,
            corrupt_state: None,
            ctx: None,
            basemap_spec: crate::map::online::BasemapSpec::Offline,
            online: None,
            pending_basemap: persisted.basemap.clone(),
            custom_basemap: None,
            file_dialog: None,
            export_job: None,
            tile_retry: (0, 0.0, TILE_RETRY_FIRST_SECS),
            commands: Vec::new(),
        };
        // The user's layers of the last session load in the background.
        for saved in saved_layers {
            app.open_with(saved, || {});
        }
        app
    }

    /// Switches the basemap. A missing or corrupt PMTiles file (or a bad template) is a
    /// problem, and the previous basemap stays.
    pub fn set_basemap(&mut self, spec: crate::map::online::BasemapSpec, ctx: &egui::Context) {
        match crate::map::online::make_tiles(&spec, ctx) {
            Ok(tiles) => {
                self.online = tiles;
                self.basemap_spec = spec;
                self.tile_retry = (
                    crate::map::online::tile_failures().total,
                    0.0,
                    TILE_RETRY_FIRST_SECS,
                );
            }
            Err(e) => {
                let now = ctx.input(|i| i.time);
                self.toasts.push(Toast {
                    text: e.clone(),
                    error: true,
                    until: now + 8.0,
                });
                self.dataset
                    .problems
                    .push(crate::io::file_error(std::path::Path::new("basemap"), e));
            }
        }
    }

    /// Starts loading a file with its settings.
    pub fn open_with(&mut self, saved: SavedLayer, wake: impl Fn() + Send + 'static) {
        match saved.read_options() {
            Ok(options) => {
                self.loader.load(&saved.path, options, wake);
                self.pending.push(saved);
            }
            Err(e) => self
                .dataset
                .problems
                .push(crate::io::file_error(&saved.path, e)),
        }
    }

    /// Takes in what the loader finished: layers join the map, list and timeline; problems
    /// go to the problems window and a short notice.
    pub fn collect_loads(&mut self, now: f64) {
        use crate::io::loader::Finished;
        for finished in self.loader.poll() {
            match finished {
                Finished::Loaded(entry) => {
                    let mut entry = *entry;
                    let path = entry.layer.path.clone().unwrap_or_default();
                    let errors = entry
                        .layer
                        .problems
                        .iter()
                        .filter(|p| p.severity == crate::model::Severity::Error)
                        .count();
                    let name = entry.layer.name.clone();
                    let settings = self
                        .pending
                        .iter()
                        .position(|p| p.path == path)
                        .map(|i| self.pending.remove(i));
                    // A re-read replaces the layer it was read for.
                    let existing = self.dataset.layers.iter().position(|l| {
                        l.role == crate::dataset::LayerRole::Custom
                            && l.layer.path.as_deref() == Some(path.as_path())
                    });
                    if let Some(i) = existing {
                        self.dataset.remove(i);
                        self.selection = None;
                    }
                    let features = entry.layer.features.len();
                    let dated = entry.layer.dated_count();
                    if let Some(s) = settings {
                        // A restored or re-read layer keeps its settings.
                        entry.visible = s.visible;
                        entry.set_style(s.style);
                        self.dataset.push_entry(entry);
                    } else {
                        self.dataset.push_entry(entry);
                    }
                    self.time.set_range(time_range(&self.dataset));
                    let text = if errors > 0 {
                        format!("{name}: {features} features read, {errors} errors (see Problems)")
                    } else {
                        format!("{name}: {features} features, {dated} dated")
                    };
                    self.toasts.push(Toast {
                        text,
                        error: errors > 0,
                        until: now + 6.0,
                    });
                }
                Finished::Failed(problem) => {
                    self.pending.retain(|p| p.path != problem.path);
                    self.toasts.push(Toast {
                        text: problem.to_string(),
                        error: true,
                        until: now + 8.0,
                    });
                    self.dataset.problems.push(problem);
                }
                Finished::Cancelled(path) => {
                    self.pending.retain(|p| p.path != path);
                    self.toasts.push(Toast {
                        text: format!("{}: loading cancelled", path.display()),
                        error: false,
                        until: now + 4.0,
                    });
                }
            }
        }
    }

    /// The state to save.
    pub fn persisted(&self) -> Persisted {
        let (lon, lat) = self.center();
        let mut layers: Vec<SavedLayer> = self
            .dataset
            .layers
            .iter()
            .filter(|l| l.role == crate::dataset::LayerRole::Custom)
            .filter_map(|l| {
                let path = l.layer.path.clone()?;
                let old = self.pending.iter().find(|p| p.path == path);
                Some(SavedLayer {
                    path,
                    visible: l.visible,
                    style: l.style.clone(),
                    time_start: old.map(|o| o.time_start.clone()).unwrap_or_default(),
                    time_end: old.map(|o| o.time_end.clone()).unwrap_or_default(),
                    zone: l.layer.zone_name.clone(),
                })
            })
            .collect();
        // Files still loading are kept too, so nothing of the session is lost.
        let still_loading: Vec<SavedLayer> = self
            .pending
            .iter()
            .filter(|p| !layers.iter().any(|l| l.path == p.path))
            .cloned()
            .collect();
        layers.extend(still_loading);
        Persisted {
            lon,
            lat,
            zoom: self.map_memory.zoom(),
            time: self.time.clone(),
            layers,
            basemap: Some(self.basemap_spec.clone()),
        }
    }

    /// The map centre (lon, lat).
    pub fn center(&self) -> (f64, f64) {
        match self.map_memory.detached() {
            Some(p) => (p.x(), p.y()),
            None => {
                let (lon, lat, _) = ViewPreset::ConflictArea.view();
                (lon, lat)
            }
        }
    }

    /// Opacity of a feature at the cursor, `None` when hidden: timeless features always show,
    /// dated ones when in the visible set, faded with age in cumulative mode.
    pub fn shown(&self, r: FeatureRef) -> Option<f32> {
        shown_in(&self.dataset, &self.visible, &self.time, r)
    }

    /// Tiles still rendering (0 when the map is complete).
    pub fn tiles_pending(&self) -> usize {
        self.basemap.as_ref().map_or(1, |b| b.tiles.in_progress())
    }

    /// Queues a command, as a panel would (tests drive the app this way too).
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// One frame of the whole UI.
    pub fn frame(&mut self, ui: &mut Ui) {
        if ui.ctx().options(|o| o.theme_preference) != egui::ThemePreference::Light {
            // The map, its legend and the list are designed for a light theme.
            ui.ctx().set_theme(egui::Theme::Light);
        }
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
        }
        if let Some(spec) = self.pending_basemap.take() {
            self.set_basemap(spec, &ui.ctx().clone());
        }
        self.keyboard(ui);
        let now = ui.input(|i| i.time);
        self.collect_loads(now);
        self.dropped_files(ui);
        if !self.loader.jobs.is_empty() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        let dt = ui.input(|i| i.stable_dt) as f64;
        if self.time.tick(dt) {
            ui.ctx().request_repaint();
        }
        self.visible = self.dataset.index.visible(&self.time);

        let mut commands = std::mem::take(&mut self.commands);
        egui::Panel::top("top bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("bordermap").strong());
                ui.label(RichText::new("Kyrgyz–Tajik border: events 2021–2025").weak());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.button("Export… (Ctrl+E)").clicked() {
                        self.export.open = !self.export.open;
                    }
                    let n = self.dataset.problems.len();
                    let label = RichText::new(format!("Problems ({n})"));
                    let label = if n > 0 {
                        label.color(egui::Color32::from_rgb(0xc0, 0x20, 0x20))
                    } else {
                        label
                    };
                    if ui.button(label).clicked() {
                        self.show_problems = !self.show_problems;
                    }
                    self.basemap_ui(ui);
                    if ui
                        .button("Open… (Ctrl+O)")
                        .on_hover_text(
                            "Open GeoJSON, KML/KMZ, CSV layers; or drop files on the window",
                        )
                        .clicked()
                    {
                        self.open_path = Some(self.open_path.take().unwrap_or_default());
                    }
                });
            });
        });
        self.export_ui(ui);
        self.windows_ui(ui, &mut commands);
        egui::Panel::left("events")
            .default_size(360.0)
            .min_size(260.0)
            .show(ui, |ui| {
                egui::CollapsingHeader::new(RichText::new("Layers").strong())
                    .default_open(true)
                    .show(ui, |ui| {
                        crate::ui::layers::layers_ui(&self.dataset, &self.loader, ui, &mut commands)
                    });
                let view = crate::ui::events::ListView {
                    dataset: &self.dataset,
                    time: &self.time,
                    visible: &self.visible,
                    selection: self.selection,
                };
                crate::ui::events::event_list_ui(
                    &view,
                    &mut self.list,
                    &mut self.scroll_to_selection,
                    ui,
                    &mut commands,
                );
            });
        egui::Panel::bottom("timeline")
            .resizable(true)
            .default_size(150.0)
            .min_size(110.0)
            .show(ui, |ui| {
                let input = crate::ui::timeline::TimelineInput {
                    dataset: &self.dataset,
                    time: &self.time,
                    visible: &self.visible,
                    view: self.timeline_view,
                };
                crate::ui::timeline::timeline_ui(&input, ui, &mut commands);
            });
        if let Some(sel) = self.selection {
            egui::Panel::right("inspector")
                .default_size(380.0)
                .min_size(260.0)
                .show(ui, |ui| {
                    inspector::inspector_ui(
                        &self.dataset,
                        sel,
                        self.time.zone(),
                        ui,
                        &mut commands,
                    );
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.map_ui(ui, &mut commands));
        self.commands = commands;
        self.apply();
    }

    fn map_ui(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        self.map_size = ui.available_size();
        let basemap = self
            .basemap
            .get_or_insert_with(|| Basemap::bundled(ui.ctx()));
        let scene = MapScene {
            dataset: &self.dataset,
            visible: &self.visible,
            time: &self.time,
            selection: self.selection,
            basemap,
            memory: &mut self.map_memory,
            title: None,
            online: self.online.as_mut().map(|t| {
                (
                    t.as_mut() as &mut dyn walkers::Tiles,
                    self.basemap_spec.attribution(),
                )
            }),
            interactive: true,
        };
        let out = map_scene_ui(ui, scene, commands);
        if self.map_memory.zoom() > MAX_ZOOM {
            // Beyond this the 10 m source data has nothing more to show.
            let _ = self.map_memory.set_zoom(MAX_ZOOM);
        }
        if let Some(clicked) = out.clicked {
            commands.push(Command::Select(clicked));
            if clicked.is_some() {
                self.scroll_to_selection = true;
            }
        }
        self.overlay = out;
    }

    /// The picture the window shows, as an export request of `size` choice.
    pub fn export_request(
        &self,
        size: crate::ui::export_dialog::ExportSize,
        custom: [u32; 2],
        title: Option<String>,
    ) -> crate::export::Request<'_> {
        use crate::ui::export_dialog::ExportSize;
        let (lon, lat) = self.center();
        let (size_px, pixels_per_point) = match size {
            ExportSize::Scale(k) => {
                let k = f32::from(k.max(1));
                (
                    [
                        (self.map_size.x * k).round() as u32,
                        (self.map_size.y * k).round() as u32,
                    ],
                    k,
                )
            }
            ExportSize::Custom => (custom, 1.0),
        };
        crate::export::Request {
            dataset: &self.dataset,
            time: &self.time,
            view: crate::export::MapView {
                lon,
                lat,
                zoom: self.map_memory.zoom(),
            },
            size_px,
            pixels_per_point,
            title,
            tile_timeout: std::time::Duration::from_secs(20),
            basemap: self.basemap_spec.clone(),
        }
    }

    /// Runs an export of the current view to `path` (the window's Export).
    pub fn export_to(
        &mut self,
        path: &std::path::Path,
        size: crate::ui::export_dialog::ExportSize,
        custom: [u32; 2],
        title: Option<String>,
    ) -> Result<String, String> {
        if self.exporter.is_none() {
            self.exporter = Some(crate::export::Exporter::new().map_err(|e| e.to_string())?);
        }
        let mut exporter = self.exporter.take().ok_or("no exporter")?;
        let request = self.export_request(size, custom, title);
        let result = crate::export::render_to_file(&mut exporter, &request, path);
        self.exporter = Some(exporter);
        result
    }

    fn export_ui(&mut self, ui: &mut Ui) {
        if ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::E)) {
            self.export.open = !self.export.open;
        }
        if let Some(job) = &self.export_job {
            match job.try_recv() {
                Ok(result) => {
                    self.export.status = Some(result);
                    self.export.pending = 0;
                    self.export.overwrite = false;
                    self.export_job = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.export.status = Some(Err("the export stopped unexpectedly".into()));
                    self.export.pending = 0;
                    self.export_job = None;
                }
            }
        }
        if std::mem::take(&mut self.export.browse) && self.file_dialog.is_none() {
            let c = ui.ctx().clone();
            self.file_dialog = Some(crate::ui::file_dialog::Asked::new(
                crate::ui::file_dialog::Purpose::SaveExport,
                move || c.request_repaint(),
            ));
        }
        if self.export.open
            && crate::ui::export_dialog::export_dialog_ui(&mut self.export, self.map_size, ui.ctx())
        {
            self.start_export(ui.ctx());
        }
    }

    /// Exports the current view on a background thread: the window goes on drawing and the
    /// dialog shows a spinner until the file is written.
    pub fn start_export(&mut self, ctx: &egui::Context) {
        let d = self.export.clone();
        let title = Some(d.title.trim().to_string()).filter(|t| !t.is_empty());
        let path = std::path::PathBuf::from(d.path.trim());
        let request = self.export_request(d.size, [d.width, d.height], title);
        let (view, size_px, ppp, title, basemap) = (
            request.view,
            request.size_px,
            request.pixels_per_point,
            request.title.clone(),
            request.basemap.clone(),
        );
        let dataset = self.dataset.clone();
        let time = self.time.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let wake = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let result = crate::export::Exporter::new()
                    .map_err(|e| e.to_string())
                    .and_then(|mut exporter| {
                        let request = crate::export::Request {
                            dataset: &dataset,
                            time: &time,
                            view,
                            size_px,
                            pixels_per_point: ppp,
                            title,
                            tile_timeout: std::time::Duration::from_secs(20),
                            basemap,
                        };
                        crate::export::render_to_file(&mut exporter, &request, &path)
                    });
                let _ = tx.send(result);
                wake.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.export.pending = 1;
                self.export.status = None;
                self.export_job = Some(rx);
            }
            Err(e) => self.export.status = Some(Err(format!("cannot start the export: {e}"))),
        }
    }

    fn keyboard(&mut self, ui: &mut Ui) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let pressed = |k: egui::Key| ui.input(|i| i.key_pressed(k) && i.modifiers.is_none());
        let mut cmds = Vec::new();
        if pressed(egui::Key::Space) {
            cmds.push(Command::Time(TimeCommand::TogglePlayPause));
        }
        if pressed(egui::Key::ArrowRight) {
            cmds.push(Command::Time(TimeCommand::StepNext));
        }
        if pressed(egui::Key::ArrowLeft) {
            cmds.push(Command::Time(TimeCommand::StepPrev));
        }
        if pressed(egui::Key::Home) {
            cmds.push(Command::Time(TimeCommand::Home));
        }
        if pressed(egui::Key::End) {
            cmds.push(Command::Time(TimeCommand::End));
        }
        if pressed(egui::Key::Escape) {
            cmds.push(Command::Select(None));
        }
        self.commands.extend(cmds);
    }

    /// Applies the queued commands in order.
    pub fn apply(&mut self) {
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::Select(r) => self.selection = r,
                Command::Focus(r) => {
                    if let Some(e) = self.dataset.event_of(r) {
                        let start = e.span.start;
                        self.time
                            .apply(TimeCommand::SetTime(start), &self.dataset.index);
                    }
                    self.center_on(r);
                    self.selection = Some(r);
                }
                Command::CenterOn(r) => self.center_on(r),
                Command::GoTo(preset) => {
                    let (lon, lat, zoom) = preset.view();
                    self.map_memory.center_at(lon_lat(lon, lat));
                    let _ = self.map_memory.set_zoom(zoom);
                }
                Command::Time(t) => self.time.apply(t, &self.dataset.index),
                Command::TimelineView(from, to) => self.timeline_view = (from, to),
                Command::Layer(index, action) => self.layer_action(index, action),
                Command::Open(paths) => {
                    for path in paths {
                        let saved = SavedLayer {
                            path,
                            visible: true,
                            ..SavedLayer::default()
                        };
                        let ctx = self.ctx.clone();
                        self.open_with(saved, move || {
                            if let Some(c) = &ctx {
                                c.request_repaint();
                            }
                        });
                    }
                }
            }
        }
        self.visible = self.dataset.index.visible(&self.time);
    }

    fn layer_action(&mut self, index: usize, action: crate::ui::layers::LayerAction) {
        use crate::ui::layers::LayerAction;
        match action {
            LayerAction::SetVisible(v) => {
                self.dataset.set_visible(index, v);
                self.selection = None;
            }
            LayerAction::SetStyle(style) => {
                if let Some(l) = self.dataset.layers.get_mut(index) {
                    l.set_style(style);
                }
            }
            LayerAction::MoveUp | LayerAction::MoveDown => {
                self.dataset
                    .move_layer(index, action == LayerAction::MoveUp);
                self.selection = None;
            }
            LayerAction::Remove => {
                self.dataset.remove(index);
                self.selection = None;
                self.time.set_range(time_range(&self.dataset));
            }
            LayerAction::ZoomTo => self.zoom_to_layer(index),
            LayerAction::Reread { start, end, zone } => {
                let Some(entry) = self.dataset.layers.get(index) else {
                    return;
                };
                let Some(path) = entry.layer.path.clone() else {
                    return;
                };
                let saved = SavedLayer {
                    path,
                    visible: entry.visible,
                    style: entry.style.clone(),
                    time_start: start,
                    time_end: end,
                    zone,
                };
                let ctx = self.ctx.clone();
                self.open_with(saved, move || {
                    if let Some(c) = &ctx {
                        c.request_repaint();
                    }
                });
            }
        }
    }

    /// Fits the map to a layer's extent.
    pub fn zoom_to_layer(&mut self, index: usize) {
        let Some(entry) = self.dataset.layers.get(index) else {
            return;
        };
        let mut b: Option<[f64; 4]> = None;
        for f in &entry.prepared.features {
            if let Some(fb) = f.bbox {
                b = Some(match b {
                    None => fb,
                    Some(b) => [
                        b[0].min(fb[0]),
                        b[1].min(fb[1]),
                        b[2].max(fb[2]),
                        b[3].max(fb[3]),
                    ],
                });
            }
        }
        let Some(b) = b else { return };
        let (lon, lat) = unmercator([(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0]);
        self.map_memory.center_at(lon_lat(lon, lat));
        let (w, h) = ((b[2] - b[0]).max(1e-9), (b[3] - b[1]).max(1e-9));
        let zoom = ((self.map_size.x as f64 * 0.9 / (w * 256.0))
            .min(self.map_size.y as f64 * 0.9 / (h * 256.0)))
        .log2();
        let _ = self.map_memory.set_zoom(zoom.clamp(2.0, 15.0));
    }

    fn dropped_files(&mut self, ui: &Ui) {
        let dropped: Vec<std::path::PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.commands.push(Command::Open(dropped));
        }
        let hovering = ui.input(|i| !i.raw.hovered_files.is_empty());
        if hovering {
            let rect = ui.ctx().content_rect();
            let painter = ui.ctx().layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop"),
            ));
            painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(120));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Drop to open as layers",
                egui::FontId::proportional(28.0),
                egui::Color32::WHITE,
            );
        }
    }

    fn basemap_ui(&mut self, ui: &mut Ui) {
        use crate::map::online::BasemapSpec;
        let ctx = ui.ctx().clone();
        let mut picked: Option<BasemapSpec> = None;
        egui::ComboBox::from_label("Basemap")
            .selected_text(self.basemap_spec.label())
            .show_ui(ui, |ui| {
                for spec in BasemapSpec::PRESETS {
                    let label = if spec.is_online() {
                        format!("{} (online)", spec.label())
                    } else {
                        spec.label()
                    };
                    if ui
                        .selectable_label(self.basemap_spec == spec, label)
                        .clicked()
                    {
                        picked = Some(spec.clone());
                    }
                }
                if ui
                    .selectable_label(false, "Custom XYZ or PMTiles…")
                    .clicked()
                {
                    self.custom_basemap = Some(String::new());
                }
            });
        if self.online.is_some() {
            let loading = self.online.as_ref().map_or(0, |t| t.stats().in_progress);
            let failures = crate::map::online::tile_failures();
            // walkers remembers a failed tile as missing; new failures since the last retry
            // make a fresh source (good tiles come back from the disk cache) after a wait
            // that doubles each time, so a failing server is not hammered.
            let now = ui.input(|i| i.time);
            let (seen, due, wait) = self.tile_retry;
            if failures.total > seen {
                if due == 0.0 {
                    self.tile_retry = (seen, now + wait, wait);
                } else if now >= due {
                    if let Ok(Some(tiles)) =
                        crate::map::online::make_tiles(&self.basemap_spec, &ctx)
                    {
                        self.online = Some(tiles);
                    }
                    self.tile_retry = (failures.total, 0.0, (wait * 2.0).min(TILE_RETRY_MAX_SECS));
                }
                ctx.request_repaint_after(std::time::Duration::from_secs(1));
            }
            let text = if failures.total > 0 {
                format!("tiles: {loading} loading, {} failed", failures.total)
            } else {
                format!("tiles: {loading} loading")
            };
            let r = ui.label(RichText::new(text).small());
            if !failures.recent.is_empty() {
                r.on_hover_text(failures.recent.join("\n"));
            }
        }
        if let Some(mut text) = self.custom_basemap.take() {
            let mut open = true;
            let mut go = false;
            egui::Window::new("Custom basemap").open(&mut open).collapsible(false).show(&ctx, |ui| {
                ui.label("An XYZ template with {z}, {x}, {y} (and optional {s}), or the path of a .pmtiles file. Online tiles tell the server where you look.");
                ui.add(egui::TextEdit::singleline(&mut text).desired_width(420.0).hint_text("https://tile.example.org/{z}/{x}/{y}.png"));
                if ui.button("Use").clicked() {
                    go = true;
                }
            });
            if go {
                match BasemapSpec::parse(&text) {
                    Ok(spec) => picked = Some(spec),
                    Err(e) => {
                        let now = ctx.input(|i| i.time);
                        self.toasts.push(Toast {
                            text: e,
                            error: true,
                            until: now + 8.0,
                        });
                        self.custom_basemap = Some(text);
                    }
                }
            } else if open {
                self.custom_basemap = Some(text);
            }
        }
        if let Some(spec) = picked {
            self.set_basemap(spec, &ctx);
        }
    }

    fn windows_ui(&mut self, ui: &Ui, commands: &mut Vec<Command>) {
        let ctx = ui.ctx().clone();
        if let Some(asked) = &self.file_dialog
            && let Some(paths) = asked.poll()
        {
            use crate::ui::file_dialog::Purpose;
            match asked.purpose {
                Purpose::OpenLayers if !paths.is_empty() => {
                    self.open_path = None;
                    commands.push(Command::Open(paths));
                }
                Purpose::SaveExport => {
                    if let Some(p) = paths.first() {
                        self.export.path = p.display().to_string();
                    }
                }
                Purpose::OpenLayers => {}
            }
            self.file_dialog = None;
        }
        if ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::O)) {
            self.open_path = Some(self.open_path.take().unwrap_or_default());
        }
        if let Some(mut path) = self.open_path.take() {
            let mut open = true;
            let mut go = false;
            egui::Window::new("Open layers").open(&mut open).collapsible(false).show(&ctx, |ui| {
                ui.label("Path of a GeoJSON, GeoJSON sequence, KML/KMZ or CSV file (several: separate with ;). You can also drop files on the window.");
                let edit = ui.add(egui::TextEdit::singleline(&mut path).desired_width(380.0).hint_text("/path/to/layer.geojson"));
                if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                ui.horizontal(|ui| {
                    if ui.button("Open").clicked() {
                        go = true;
                    }
                    if ui
                        .add_enabled(self.file_dialog.is_none(), egui::Button::new("Browse…"))
                        .on_hover_text("The system's file dialog; if none appears, type the path")
                        .clicked()
                    {
                        let c = ctx.clone();
                        self.file_dialog = Some(crate::ui::file_dialog::Asked::new(
                            crate::ui::file_dialog::Purpose::OpenLayers,
                            move || c.request_repaint(),
                        ));
                    }
                });
            });
            if go {
                let paths: Vec<std::path::PathBuf> = path
                    .split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(std::path::PathBuf::from)
                    .collect();
                commands.push(Command::Open(paths));
            } else if open {
                self.open_path = Some(path);
            }
        }
        if self.show_problems {
            let mut open = true;
            let mut clear = false;
            egui::Window::new("Problems")
                .open(&mut open)
                .default_size([560.0, 300.0])
                .show(&ctx, |ui| {
                    if self.dataset.problems.is_empty() {
                        ui.label("No problems.");
                    }
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        for p in &self.dataset.problems {
                            let color = match p.severity {
                                crate::model::Severity::Error => {
                                    egui::Color32::from_rgb(0xc0, 0x20, 0x20)
                                }
                                crate::model::Severity::Warning => {
                                    egui::Color32::from_rgb(0xa0, 0x60, 0x00)
                                }
                            };
                            ui.label(RichText::new(p.to_string()).color(color).monospace());
                        }
                    });
                    if !self.dataset.problems.is_empty() && ui.button("Clear").clicked() {
                        clear = true;
                    }
                });
            if clear {
                self.dataset.problems.clear();
            }
            self.show_problems = open;
        }
        let now = ui.input(|i| i.time);
        self.toasts.retain(|t| t.until > now);
        if !self.toasts.is_empty() {
            ctx.request_repaint_after(std::time::Duration::from_millis(250));
            egui::Area::new(egui::Id::unique("toasts"))
                .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -170.0))
                .order(egui::Order::Foreground)
                .show(&ctx, |ui| {
                    for t in &self.toasts {
                        let fill = if t.error {
                            egui::Color32::from_rgb(0xfd, 0xe2, 0xe1)
                        } else {
                            egui::Color32::from_rgb(0xe3, 0xf6, 0xe5)
                        };
                        egui::Frame::popup(ui.style()).fill(fill).show(ui, |ui| {
                            ui.set_max_width(420.0);
                            ui.label(&t.text);
                        });
                    }
                });
        }
    }

    fn center_on(&mut self, r: FeatureRef) {
        if let Some(c) = self.dataset.center_of(r) {
            let (lon, lat) = unmercator(c);
            self.map_memory.center_at(lon_lat(lon, lat));
        }
    }
}

/// Everything the map view draws: used by the window and by the export alike, so an export
/// is exactly what the window shows.
pub struct MapScene<'a> {
    /// Layers and events.
    pub dataset: &'a Dataset,
    /// This frame's visible set.
    pub visible: &'a Visible,
    /// The time control (cursor, zone).
    pub time: &'a TimeControl,
    /// Selected feature.
    pub selection: Option<FeatureRef>,
    /// Basemap tiles and place names.
    pub basemap: &'a mut Basemap,
    /// Map position and zoom.
    pub memory: &'a mut MapMemory,
    /// A title drawn over the map (exports).
    pub title: Option<&'a str>,
    /// An online or PMTiles basemap drawn over the offline one (which shows where it has
    /// no tile), with its attribution.
    pub online: Option<(&'a mut dyn walkers::Tiles, String)>,
    /// Window (buttons, hover, clicks) or picture (none of them).
    pub interactive: bool,
}

/// Draws the map with its overlays, legend, scale bar, attribution and time label.
pub fn map_scene_ui(ui: &mut Ui, scene: MapScene, commands: &mut Vec<Command>) -> OverlayOutput {
    let mut out = OverlayOutput::default();
    let MapScene {
        dataset,
        visible,
        time,
        selection,
        basemap,
        memory,
        title,
        online,
        interactive,
    } = scene;
    let Basemap { tiles, places } = basemap;
    let shown = |r: FeatureRef| shown_in(dataset, visible, time, r);
    let overlay = Overlay {
        dataset,
        shown: &shown,
        selection,
        places,
        zone: time.zone(),
        out: &mut out,
    };
    let (lon, lat, _) = ViewPreset::ConflictArea.view();
    let time_text = time.zone().format(time.cursor());
    let attribution_text = online.as_ref().map(|(_, a)| a.clone());
    // A legend entry per user layer.
    let user_layers: Vec<(String, egui::Color32)> = dataset
        .layers
        .iter()
        .filter(|l| l.visible && l.role == crate::dataset::LayerRole::Custom)
        .map(|l| {
            let [r, g, b] = l.style.color;
            (l.layer.name.clone(), egui::Color32::from_rgb(r, g, b))
        })
        .collect();
    let mut map = Map::new(Some(tiles), memory, lon_lat(lon, lat));
    if let Some((layer, _)) = online {
        map = map.with_layer(layer, 1.0);
    }
    let mut map = map.with_plugin(overlay).zoom_with_ctrl(false);
    if !interactive {
        map = map
            .zoom_gesture(false)
            .panning(false)
            .double_click_to_zoom(false);
    }
    map.show(ui, |ui, _response, projector, _memory| {
        let rect = projector.clip_rect();
        furniture::scale_bar(ui, projector, rect);
        furniture::attribution(ui, rect, attribution_text.as_deref());
        furniture::time_label(ui, rect, &time_text);
        if let Some(title) = title {
            furniture::title_label(ui, rect, title);
        }
        let legend_top = if title.is_some() { 52.0 } else { 8.0 };
        egui::Area::new(egui::Id::unique("legend"))
            .fixed_pos(rect.left_top() + egui::vec2(8.0, legend_top))
            .order(egui::Order::Middle)
            .interactable(interactive)
            .show(ui.ctx(), |ui| {
                furniture::legend_ui(ui, commands, interactive, &user_layers)
            });
    });
    out
}

/// The range the cursor may take: the data's, from a month before its first event so the
/// map can show the time before it began.
pub fn time_range(ds: &Dataset) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
    let (from, to) = ds.index.range()?;
    let before = from
        .checked_sub(jiff::SignedDuration::from_hours(24 * 30))
        .unwrap_or(from);
    Some((before, to))
}

/// Opacity of a feature at the cursor, `None` when hidden (see [`App::shown`]).
pub fn shown_in(ds: &Dataset, visible: &Visible, time: &TimeControl, r: FeatureRef) -> Option<f32> {
    let f = ds
        .layers
        .get(r.layer as usize)?
        .layer
        .features
        .get(r.feature as usize)?;
    match f.span {
        None => Some(1.0),
        Some(span) => visible
            .contains(r)
            .then(|| 1.0 - 0.6 * age_fraction(span, time)),
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(raw) = self.corrupt_state.take() {
            // Never overwrite what could not be read: keep it under its own key.
            let key = format!(
                "{}-unreadable-{}",
                eframe::APP_KEY,
                jiff::Timestamp::now().as_second()
            );
            storage.set_string(&key, raw);
        }
        eframe::set_value(storage, eframe::APP_KEY, &self.persisted());
    }
}
