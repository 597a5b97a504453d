//! The window's map: where it looks, its size, its basemap and the one picked over it, its
//! own drawing caches, and what it drew and found under the pointer last frame. The app
//! hands it the frame's data; it draws the scene that exports draw too.

use walkers::{MapMemory, lon_lat};

use super::choice::BasemapChoice;
use super::marks::Marks;
use super::overlay::{DrawCaches, OverlayOutput};
use super::scene::{Basemap, MapScene, map_scene_ui};
use super::view::{self, ViewPreset};
use crate::model::dataset::Dataset;
use crate::model::geom::unmercator;
use crate::time::{FeatureRef, TimeControl, Visible};

/// The map of the window.
pub struct WindowMap {
    memory: MapMemory,
    size: egui::Vec2,
    basemap: Option<Basemap>,
    /// The basemap picked, drawn over the offline one.
    pub choice: BasemapChoice,
    caches: DrawCaches,
    overlay: OverlayOutput,
    /// The second moment's drawing caches (its features differ from the first's).
    caches_b: DrawCaches,
    /// Where the swipe line is, as a fraction of the map's width.
    pub swipe_at: f32,
}

/// One of two moments to draw.
pub struct Moment<'a> {
    /// What is visible then.
    pub visible: &'a Visible,
    /// Its time control.
    pub time: &'a TimeControl,
}

impl WindowMap {
    /// A map looking at `lon`, `lat` at `zoom`.
    pub fn new(lon: f64, lat: f64, zoom: f64) -> Self {
        Self {
            memory: view::memory_at(lon, lat, zoom),
            size: egui::vec2(1000.0, 700.0),
            basemap: None,
            choice: BasemapChoice::default(),
            caches: DrawCaches::default(),
            overlay: OverlayOutput::default(),
            caches_b: DrawCaches::default(),
            swipe_at: 0.5,
        }
    }

    /// Draws the map with the frame's data; returns what was clicked, hovered and drawn.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        visible: &Visible,
        time: &TimeControl,
        selection: Option<FeatureRef>,
        marks: Marks,
    ) -> &OverlayOutput {
        self.size = ui.available_size();
        let basemap = self
            .basemap
            .get_or_insert_with(|| Basemap::bundled(ui.ctx()));
        let scene = MapScene {
            dataset,
            visible,
            time,
            selection,
            basemap,
            memory: &mut self.memory,
            caches: &mut self.caches,
            title: None,
            online: self.choice.online(),
            interactive: true,
            precision_areas: marks.precision_areas,
            marks,
        };
        self.overlay = map_scene_ui(ui, scene);
        if self.memory.zoom() > view::MAX_ZOOM {
            let _ = self.memory.set_zoom(view::MAX_ZOOM);
        }
        &self.overlay
    }

    /// Two moments with one camera: side by side (each half its own map, A left), or with
    /// `swipe` one map whose left of a draggable line is A and right is B. What the pointer
    /// is over answers hover and click; the legend's buttons work in either.
    #[allow(clippy::too_many_arguments)]
    pub fn show_compare(
        &mut self,
        ui: &mut egui::Ui,
        dataset: &Dataset,
        a: Moment,
        b: Moment,
        swipe: bool,
        selection: Option<FeatureRef>,
        marks: Marks,
    ) -> &OverlayOutput {
        use egui::{Align2, Color32, FontId, Rect, Sense, Stroke, UiBuilder, pos2};
        let rect = ui.available_rect_before_wrap();
        self.size = rect.size();
        let x = if swipe {
            rect.left() + rect.width() * self.swipe_at.clamp(0.02, 0.98)
        } else {
            rect.center().x
        };
        let (rect_a, rect_b) = if swipe {
            (rect, rect)
        } else {
            (rect.with_max_x(x - 1.0), rect.with_min_x(x + 1.0))
        };
        let (clip_a, clip_b) = (rect.with_max_x(x - 1.0), rect.with_min_x(x + 1.0));
        let basemap = self
            .basemap
            .get_or_insert_with(|| Basemap::bundled(ui.ctx()));
        let mut outs = Vec::with_capacity(2);
        for (moment, r, clip, caches) in [
            (&a, rect_a, clip_a, &mut self.caches),
            (&b, rect_b, clip_b, &mut self.caches_b),
        ] {
            let mut child = ui.new_child(UiBuilder::new().max_rect(r));
            child.set_clip_rect(clip.intersect(ui.clip_rect()));
            let scene = MapScene {
                dataset,
                visible: moment.visible,
                time: moment.time,
                selection,
                basemap: &mut *basemap,
                memory: &mut self.memory,
                caches,
                title: None,
                online: self.choice.online(),
                interactive: true,
                precision_areas: marks.precision_areas,
                marks,
            };
            outs.push(map_scene_ui(&mut child, scene));
        }
        let painter = ui.painter_at(rect);
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.bottom())],
            Stroke::new(2.0, Color32::from_gray(40)),
        );
        if swipe {
            let handle = Rect::from_center_size(pos2(x, rect.center().y), egui::vec2(12.0, 44.0));
            let grip = ui.interact(
                Rect::from_x_y_ranges(x - 5.0..=x + 5.0, rect.y_range()),
                ui.scope_id().with("swipe line"),
                Sense::drag(),
            );
            grip.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Splitter, true, "Swipe line")
            });
            if let Some(p) = grip.interact_pointer_pos().filter(|_| grip.dragged()) {
                self.swipe_at = ((p.x - rect.left()) / rect.width()).clamp(0.02, 0.98);
            }
            if grip.hovered() || grip.dragged() {
                ui.ctx().set_cursor_icon(egui::CursorIcon::ResizeHorizontal);
            }
            painter.rect_filled(handle, 4.0, Color32::from_gray(40));
        }
        // Each side's letter and time, where its map shows.
        let badge = |at: egui::Pos2, align: Align2, text: String| {
            let galley = painter.layout_no_wrap(text, FontId::proportional(15.0), Color32::WHITE);
            let r = align.anchor_size(at, galley.size());
            painter.rect_filled(r.expand(5.0), 4.0, Color32::from_black_alpha(180));
            painter.galley(r.min, galley, Color32::WHITE);
        };
        // Low on the map, clear of the legend (a window of its own, over the map) and above
        // the scale bar and the attribution.
        let y = rect.bottom() - 84.0;
        let label = |m: &Moment, letter: &str| {
            format!(
                "{letter} · {}",
                super::furniture::time_text(m.time.zone(), m.time.cursor())
            )
        };
        let (at_a, align_a, at_b, align_b) = if swipe {
            (
                pos2(x - 10.0, y),
                Align2::RIGHT_BOTTOM,
                pos2(x + 10.0, y),
                Align2::LEFT_BOTTOM,
            )
        } else {
            (
                pos2(rect_a.center().x, y),
                Align2::CENTER_BOTTOM,
                pos2(rect_b.center().x, y),
                Align2::CENTER_BOTTOM,
            )
        };
        badge(at_a, align_a, label(&a, "A"));
        badge(at_b, align_b, label(&b, "B"));
        let [out_a, out_b]: [OverlayOutput; 2] = match outs.try_into() {
            Ok(both) => both,
            Err(_) => return &self.overlay,
        };
        let over_b = out_b.pointer.is_some() || out_b.clicked.is_some();
        let (mut out, other) = if over_b {
            (out_b, out_a)
        } else {
            (out_a, out_b)
        };
        out.go_to = out.go_to.or(other.go_to);
        out.zoom_to = out.zoom_to.or(other.zoom_to);
        out.menu = out.menu.take().or(other.menu);
        out.toggle_precision |= other.toggle_precision;
        self.overlay = out;
        if self.memory.zoom() > view::MAX_ZOOM {
            let _ = self.memory.set_zoom(view::MAX_ZOOM);
        }
        &self.overlay
    }

    /// What the map drew and found under the pointer last frame.
    pub fn overlay(&self) -> &OverlayOutput {
        &self.overlay
    }

    /// The size of the map on screen, last frame, in points.
    pub fn size(&self) -> egui::Vec2 {
        self.size
    }

    /// Basemap and layer tiles still rendering (1 before the first frame made the basemap).
    pub fn tiles_pending(&self) -> usize {
        self.basemap.as_ref().map_or(1, |b| b.tiles.in_progress())
            + self.caches.tiles_in_progress()
            + self.caches_b.tiles_in_progress()
    }

    /// The centre (lon, lat) and zoom.
    pub fn view(&self) -> (f64, f64, f64) {
        let (lon, lat) = match self.memory.detached() {
            Some(p) => (p.x(), p.y()),
            None => {
                let (lon, lat, _) = ViewPreset::ConflictArea.view();
                (lon, lat)
            }
        };
        (lon, lat, self.memory.zoom())
    }

    /// Looks at `lon`, `lat` at `zoom` (kept within the offered range).
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.memory = view::memory_at(lon, lat, zoom);
    }

    /// Centres on a mercator point, keeping the zoom.
    pub fn center_on(&mut self, mercator: [f64; 2]) {
        let (lon, lat) = unmercator(mercator);
        self.memory.center_at(lon_lat(lon, lat));
    }

    /// Shows a mercator box `[min x, min y, max x, max y]`.
    pub fn fit(&mut self, bbox: [f64; 4]) {
        let (lon, lat, zoom) = view::fit(bbox, self.size);
        self.set_view(lon, lat, zoom);
    }
}
