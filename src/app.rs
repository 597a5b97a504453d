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
}

impl Default for Persisted {
    fn default() -> Self {
        let (lon, lat, zoom) = ViewPreset::ConflictArea.view();
        Self {
            lon,
            lat,
            zoom,
            time: TimeControl::default(),
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
        Self {
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
            commands: Vec::new(),
        }
    }

    /// Adds a layer (e.g. from the command line) and refits the time range.
    pub fn add_layer(&mut self, layer: Layer) {
        self.dataset.push(layer, crate::dataset::LayerRole::Custom);
        self.time.set_range(time_range(&self.dataset));
    }

    /// The state to save.
    pub fn persisted(&self) -> Persisted {
        let (lon, lat) = self.center();
        Persisted {
            lon,
            lat,
            zoom: self.map_memory.zoom(),
            time: self.time.clone(),
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
        self.keyboard(ui);
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
                });
            });
        });
        self.export_ui(ui);
        egui::Panel::left("events")
            .default_size(360.0)
            .min_size(260.0)
            .show(ui, |ui| {
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
        let started = std::time::Instant::now();
        let mut exporter = self.exporter.take().ok_or("no exporter")?;
        let result = exporter.render(&self.export_request(size, custom, title));
        self.exporter = Some(exporter);
        let picture = result.map_err(|e| e.to_string())?;
        crate::export::write_png(path, &picture.image).map_err(|e| e.to_string())?;
        let mut msg = format!(
            "Wrote {} ({}×{}) in {:.1} s",
            path.display(),
            picture.image.width(),
            picture.image.height(),
            started.elapsed().as_secs_f64()
        );
        for w in picture.warnings {
            msg.push_str(&format!("\n{w}"));
        }
        Ok(msg)
    }

    fn export_ui(&mut self, ui: &mut Ui) {
        if ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::E)) {
            self.export.open = !self.export.open;
        }
        if self.export.pending > 0 {
            self.export.pending -= 1;
            ui.ctx().request_repaint();
            if self.export.pending == 0 {
                let d = self.export.clone();
                let title = Some(d.title.trim().to_string()).filter(|t| !t.is_empty());
                let path = std::path::PathBuf::from(d.path.trim());
                self.export.status =
                    Some(self.export_to(&path, d.size, [d.width, d.height], title));
                self.export.overwrite = false;
            }
        }
        if self.export.open
            && crate::ui::export_dialog::export_dialog_ui(&mut self.export, self.map_size, ui.ctx())
        {
            self.export.pending = 2;
            self.export.status = None;
            ui.ctx().request_repaint();
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
            }
        }
        self.visible = self.dataset.index.visible(&self.time);
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
    let mut map = Map::new(Some(tiles), memory, lon_lat(lon, lat))
        .with_plugin(overlay)
        .zoom_with_ctrl(false);
    if !interactive {
        map = map
            .zoom_gesture(false)
            .panning(false)
            .double_click_to_zoom(false);
    }
    map.show(ui, |ui, _response, projector, _memory| {
        let rect = projector.clip_rect();
        furniture::scale_bar(ui, projector, rect);
        furniture::attribution(ui, rect);
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
                furniture::legend_ui(ui, commands, interactive)
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
        eframe::set_value(storage, eframe::APP_KEY, &self.persisted());
    }
}
