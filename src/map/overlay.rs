//! The map overlay, a walkers [`Plugin`]: place labels, then in this order evacuation zones
//! and other fills, the border lines, event sites, labels of enclaves, and the selection on
//! top. It also finds what is under the pointer (R-tree candidates, then exact tests in
//! screen space) for the tooltip and for clicks.

use std::sync::Arc;

use egui::{Align2, Color32, FontId, Mesh, Pos2, Rect, Response, Shape, Stroke, Ui, pos2, vec2};
use walkers::{MapMemory, Plugin, Projector};

use super::clusters::{Clusters, Wake, cell_size};
use super::layer_tiles::{LayerTiles, Piece, TileState, TileTime, detail_zoom, points_in_tiles};
use super::paint::{
    FillPaint, custom, extent, faded, fill_paint, layer_color, line_paint, point_paint,
};
use super::style::{self, SELECTION};
pub use super::view::View;
use super::view::ViewPreset;
use crate::model::dataset::{Dataset, LayerEntry, LayerId, LayerRole};
use crate::model::geom;
use crate::model::prepared::{Parts, PreparedFeature};
use crate::time::{DisplayZone, FeatureRef};

/// A place name of the basemap, with its label priority (1 = capital).
#[derive(Clone, Debug)]
pub struct PlaceLabel {
    /// Name as drawn.
    pub name: String,
    /// Mercator position.
    pub at: [f64; 2],
    /// 1 capitals, 2 regional centres, 3 valley towns, 4 others.
    pub rank: u8,
}

/// What the overlay tells the app after a frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OverlayOutput {
    /// Feature under the pointer.
    pub hovered: Option<FeatureRef>,
    /// `Some(selection)` when the map was clicked (`Some(None)`: clicked on nothing).
    pub clicked: Option<Option<FeatureRef>>,
    /// Screen positions of the drawn sites, for tests and hit-testing: (feature, centre).
    pub drawn_sites: Vec<(FeatureRef, Pos2)>,
    /// Features drawn this frame.
    pub drawn: Vec<FeatureRef>,
    /// A view button of the legend was pressed.
    pub go_to: Option<ViewPreset>,
    /// Where the map was drawn (screen points).
    pub map_rect: Option<Rect>,
    /// Clusters drawn for dense point layers.
    pub clusters: Vec<Cluster>,
    /// A cluster was clicked: the mercator box to show, `[min x, min y, max x, max y]`.
    pub zoom_to: Option<[f64; 4]>,
    /// The pointer over the map, `[lon, lat]`.
    pub pointer: Option<[f64; 2]>,
    /// Where the map was clicked, `[lon, lat]` (the measure tool takes it).
    pub clicked_at: Option<[f64; 2]>,
    /// A choice of the map's right-click menu.
    pub menu: Option<MapMenu>,
    /// The legend's "Precision areas" box was ticked or cleared.
    pub toggle_precision: bool,
}

/// What the map's right-click menu asks for, at a `[lon, lat]`.
#[derive(Clone, Debug, PartialEq)]
pub enum MapMenu {
    /// Copy this text (the position in one of its forms).
    Copy(String),
    /// Start a measurement here.
    MeasureFrom([f64; 2]),
    /// Put range rings here.
    RingsAt([f64; 2]),
}

pub use super::clusters::{CLUSTER_CELL, DENSE_POINTS, FEW_POINTS};

pub use super::paint::DETAILED_SITES;

/// A cluster drawn for a dense point layer: the shown points of one cell of the layer's grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Index of the layer.
    pub layer: u32,
    /// Points in it.
    pub count: usize,
    /// Where it is drawn (the mean of its points), on screen.
    at: Pos2,
    /// Their mercator bounding box.
    pub bbox: [f64; 4],
}

impl Cluster {
    /// Where it is drawn: the mean of its points.
    pub fn center(&self) -> Pos2 {
        self.at
    }

    /// Its radius in points, growing with the logarithm of the count.
    pub fn radius(&self) -> f32 {
        (7.0 + 4.0 * (self.count.max(1) as f32).log10()).min(CLUSTER_CELL / 2.0)
    }
}

/// A count in a few characters: 950, 9.5k, 95k, 1.2M.
pub fn short_count(n: usize) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1e3),
        10_000..=999_999 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// How visible a feature is now: `None` hidden, else its opacity (1 = current).
pub type ShownFn<'a> = &'a dyn Fn(FeatureRef) -> Option<f32>;

/// The overlay of one frame.
pub struct Overlay<'a> {
    /// Layers to draw.
    pub dataset: &'a Dataset,
    /// Visibility at the time cursor.
    pub shown: ShownFn<'a>,
    /// Selected feature.
    pub selection: Option<FeatureRef>,
    /// Basemap place names.
    pub places: &'a [PlaceLabel],
    /// Zone for times in tooltips.
    pub zone: DisplayZone,
    /// What is shown at the time cursor, for the clusters and tiles of big layers.
    pub time: TileTime,
    /// The view's drawing caches of big layers.
    pub caches: &'a mut DrawCaches,
    /// Where to put the results.
    pub out: &'a mut OverlayOutput,
}

impl Plugin for Overlay<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let view = View::of(projector);
        let painter = ui.painter_at(view.rect);
        let (min, max) = view.mercator_box(40.0);
        let clip = view.rect.expand(20.0);
        let ds = self.dataset;
        let mut out = OverlayOutput::default();

        draw_places(&painter, &view, self.places);

        // Big point layers: their clusters around the view, kept between frames. A layer
        // of more than DENSE_POINTS points, with more than FEW_POINTS in view (or more than
        // DENSE_POINTS around it), is drawn as clusters (at any time: early on, most cells
        // hold one point, drawn as one).
        let view_box = [min[0], min[1], max[0], max[1]];
        let mut dense = vec![false; ds.layers.len()];
        for (li, entry) in ds.layers.iter().enumerate() {
            if entry.visible && custom(entry) && entry.prepared.point_features.len() > DENSE_POINTS
            {
                let wake = self.caches.enabled.then(|| {
                    let ctx = ui.ctx().clone();
                    Arc::new(move || ctx.request_repaint()) as Wake
                });
                let clusters = self.caches.grids.entry(entry.id).or_default();
                clusters.update(
                    entry,
                    ds.generation,
                    view.zoom,
                    view_box,
                    self.time.shown,
                    wake.as_ref(),
                );
                dense[li] = clusters.dense();
            }
        }

        // Gather what is in view and shown, per layer.
        let mut in_view: Vec<(FeatureRef, f32)> = Vec::new();
        let mut tiled: Vec<Vec<Piece>> = Vec::new();
        for (li, entry) in ds.layers.iter().enumerate() {
            if !entry.visible {
                continue;
            }
            // A clustered layer of points only: nothing to gather one by one.
            if dense[li] && entry.prepared.point_features.len() == entry.prepared.features.len() {
                continue;
            }
            let opacity = entry.style.opacity.clamp(0.0, 1.0);
            // A layer without dated features shows everything: no per-feature time check.
            let timeless = entry.dated.is_empty();
            // A big user layer's fills and lines come from its tiles, once they are painted
            // for this moment and style; only its points are drawn per frame.
            let pieces = (self.caches.enabled
                && entry.role == LayerRole::Custom
                && entry.prepared.features.len() >= CACHE_MIN_FEATURES
                // Only points, never in tiles (they are clustered): nothing to tile.
                && (entry.prepared.point_features.len() < entry.prepared.features.len()
                    || detail_zoom(entry) > 0))
                .then(|| {
                    self.caches
                        .tiles
                        .entry(entry.id)
                        .or_insert_with(|| LayerTiles::new(ui.ctx()))
                        .pieces(TileState::new(entry, self.time), &view, || {
                            entry.prepared.in_box(min, max).take(DIRECT_MAX + 1).count()
                                <= DIRECT_MAX
                        })
                })
                .flatten();
            let ids: Vec<u32> = if let Some(pieces) = pieces {
                tiled.push(pieces);
                if points_in_tiles(entry, &view) {
                    // Thousands of plain points: painted in the tiles too.
                    continue;
                }
                entry
                    .prepared
                    .point_features
                    .iter()
                    .filter(|&fi| {
                        entry.prepared.features[fi as usize]
                            .bbox()
                            .is_some_and(|b| {
                                b[2] >= min[0] && b[0] <= max[0] && b[3] >= min[1] && b[1] <= max[1]
                            })
                    })
                    .collect()
            } else {
                entry.prepared.in_view(min, max)
            };
            in_view.reserve(ids.len());
            for fi in ids {
                let r = FeatureRef {
                    layer: li as u32,
                    feature: fi,
                };
                let alpha = if timeless {
                    entry.passes(fi).then_some(1.0)
                } else {
                    (self.shown)(r)
                };
                if let Some(alpha) = alpha {
                    in_view.push((r, alpha * opacity));
                }
            }
        }

        // 1. Fills (evacuation zones, enclaves, custom polygons), one mesh.
        let mut mesh = Mesh::default();
        let mut outlines: Vec<Shape> = Vec::new();
        for &(r, alpha) in &in_view {
            let entry = &ds.layers[r.layer as usize];
            let pf = &entry.prepared.features[r.feature as usize];
            if !pf.has_fills() {
                continue;
            }
            let paint = fill_paint(entry, r.feature, alpha);
            let parts = || self.caches.parts(entry, r.feature);
            draw_fill(pf, parts, &paint, &view, clip, &mut mesh, &mut outlines);
            out.drawn.push(r);
            // Meshes of bounded size, so an export can draw them in batches.
            if mesh.vertices.len() >= MESH_VERTICES {
                painter.add(Shape::mesh(std::mem::take(&mut mesh)));
            }
        }
        painter.add(Shape::mesh(mesh));
        painter.extend(outlines);

        // Big user layers: their fills and lines, painted in tiles.
        for piece in tiled.iter().flatten() {
            painter.image(piece.texture, piece.rect, piece.uv, Color32::WHITE);
        }

        // 2. Lines (borders, custom lines).
        let mut lines: Vec<Shape> = Vec::new();
        for &(r, alpha) in &in_view {
            let entry = &ds.layers[r.layer as usize];
            let pf = &entry.prepared.features[r.feature as usize];
            if !pf.has_lines() {
                continue;
            }
            let stroke = line_paint(entry, r.feature, alpha);
            let casing = entry.draw[r.feature as usize].kg_tj;
            let parts = || self.caches.parts(entry, r.feature);
            draw_lines(
                pf,
                parts,
                stroke,
                casing,
                custom(entry),
                &view,
                clip,
                &mut lines,
            );
            out.drawn.push(r);
        }
        painter.extend(lines);

        // 3. Sites: biggest first so small ones stay clickable on top. A user layer with more
        // than DENSE_POINTS points (FEW_POINTS in view) draws them as clusters with counts, in
        // cells of the screen: a circle, an outline and a symbol each would be too much to draw (and
        // to hand the GPU) for hundreds of thousands of points, and unreadable anyway.
        // (feature, opacity, where, its toll's radius for the order)
        let mut sites: Vec<(FeatureRef, f32, Pos2, f32)> = Vec::new();
        for &(r, alpha) in &in_view {
            let entry = &ds.layers[r.layer as usize];
            let pf = &entry.prepared.features[r.feature as usize];
            if pf.points().is_empty() || dense[r.layer as usize] {
                continue;
            }
            let radius = entry
                .draw
                .get(r.feature as usize)
                .map_or(0.0, |d| d.radius());
            for p in pf.points() {
                sites.push((r, alpha, view.to_screen(*p), radius));
            }
        }
        // Every cell with a point on screen has its mean within a cell of the screen.
        let pad = cell_size(view.zoom.floor() as i32);
        let around = [
            view_box[0] - pad,
            view_box[1] - pad,
            view_box[2] + pad,
            view_box[3] + pad,
        ];
        let mut clusters: Vec<Cluster> = Vec::new();
        for (li, entry) in ds.layers.iter().enumerate() {
            let Some(Clusters {
                grid: Some(grid), ..
            }) = self.caches.grids.get(&entry.id)
            else {
                continue;
            };
            if !dense[li] {
                continue;
            }
            clusters.extend(grid.cells_in(around).map(|c| Cluster {
                layer: li as u32,
                count: c.count as usize,
                at: view.to_screen(c.center()),
                bbox: c.bbox,
            }));
        }
        // Big first, so the small ones on top keep their counts readable.
        clusters.sort_by_key(|c| (c.layer, std::cmp::Reverse(c.count)));
        // Their discs in shared meshes (hundreds of tessellated circles took more than the
        // rest of a frame), then their counts on top.
        let mut rings = Mesh::default();
        for c in &clusters {
            let entry = &ds.layers[c.layer as usize];
            let color =
                layer_color(entry).gamma_multiply(0.85 * entry.style.opacity.clamp(0.0, 1.0));
            // A lone point: drawn as a point (clicking it still zooms in).
            let (radius, width) = match c.count {
                1 => (4.0, 1.0),
                _ => (c.radius(), 1.5),
            };
            add_ringed_disc(&mut rings, c.center(), radius, color, width, Color32::WHITE);
            if rings.vertices.len() >= MESH_VERTICES {
                painter.add(Shape::mesh(std::mem::take(&mut rings)));
            }
        }
        if !rings.is_empty() {
            painter.add(Shape::mesh(rings));
        }
        for c in clusters.iter().filter(|c| c.count > 1) {
            halo_text(
                &painter,
                c.center(),
                &short_count(c.count),
                FontId::proportional(11.0),
                Color32::BLACK,
            );
        }
        sites.sort_by(|a, b| b.3.total_cmp(&a.3));
        // Thousands of sites: plain circles (a ring and a symbol each would cost more than
        // the map, and overlap into noise).
        let detailed = sites.len() <= DETAILED_SITES;
        // Beyond DETAILED_SITES, sites are plain discs (a quad each, or a few vertices in
        // shared meshes when too big for egui's rasterised ones): a tessellated circle is
        // about a hundred.
        let mut discs = Mesh::default();
        let ppp = ui.ctx().pixels_per_point();
        // Detailed sites: a ringed disc and, for an estimated location, a dashed ring, then
        // the site's symbol: one after another, so a smaller site on top hides the symbol
        // under it. A small site's disc and ring are two of the discs egui keeps rasterised
        // in its font texture, a quad each; a bigger one's a mesh (as shapes, a few hundred
        // feathered triangles each to tessellate). Triangles count twice over: a software
        // renderer holds each triangle of a frame (about 250 bytes: for 1,400 ringed meshes,
        // 34 MB).
        for &(r, alpha, at, _) in &sites {
            let Some(draw) = ds.draw(r) else { continue };
            let entry = &ds.layers[r.layer as usize];
            let (color, radius) = point_paint(entry, r.feature);
            // A detailed site's fill is opaque (a small one's sits on the white disc of its
            // ring, and a bigger one looks the same): 85% of its colour over land, as its
            // translucent fill over the map looked.
            let fill = match detailed {
                true => faded(over_land(color, 0.85), alpha),
                false => faded(color.gamma_multiply(0.85), alpha),
            };
            let ring = faded(Color32::WHITE, alpha);
            // Detailed: a circle of `radius` with a 1.5-point outline outside it, as
            // `Painter::circle` draws it; else a plain disc with a thinner rim.
            let (outer, inner) = match detailed {
                true => (radius + 1.5, radius),
                false => (radius + 0.75, (radius - 0.75).max(1.0)),
            };
            let mut site = Mesh::default();
            if prerasterized(outer, ppp) {
                if !discs.is_empty() {
                    // Bigger sites before, drawn under.
                    painter.add(Shape::mesh(std::mem::take(&mut discs)));
                }
                painter.add(Shape::circle_filled(at, outer, ring));
                painter.add(Shape::circle_filled(at, inner, fill));
            } else if detailed {
                add_ringed_disc(&mut site, at, radius + 0.75, fill, 1.5, ring);
            } else {
                add_disc(&mut discs, at, outer, ring);
                add_disc(&mut discs, at, inner, fill);
                if discs.vertices.len() >= MESH_VERTICES {
                    painter.add(Shape::mesh(std::mem::take(&mut discs)));
                }
            }
            if draw.estimated && detailed {
                // A dashed ring: the location is estimated.
                add_dashed_ring(&mut site, at, radius + 4.0, 1.5, faded(color, alpha));
            }
            if !site.is_empty() {
                painter.add(Shape::mesh(site));
            }
            if let Some(kind) = draw.kind.filter(|_| detailed) {
                painter.text(
                    at,
                    Align2::CENTER_CENTER,
                    style::kind_symbol(kind),
                    FontId::proportional((radius * 1.1).clamp(8.0, 16.0)),
                    faded(Color32::WHITE, alpha),
                );
            }
            if view.rect.contains(at) {
                out.drawn_sites.push((r, at));
                out.drawn.push(r);
            }
        }
        if !discs.is_empty() {
            painter.add(Shape::mesh(discs));
        }

        // 4. Enclave names.
        for &(r, _) in &in_view {
            let Some(label) = ds.draw(r).and_then(|d| d.label()) else {
                continue;
            };
            if view.zoom < 8.0 || self.places.iter().any(|p| p.name == label) {
                // A town of the same name is labelled already.
                continue;
            }
            if let Some(c) = ds.center_of(r) {
                halo_text(
                    &painter,
                    view.to_screen(c),
                    label,
                    FontId::proportional(12.0),
                    Color32::from_rgb(0x7b, 0x1e, 0x16),
                );
            }
        }

        // 5. The selection on top.
        if let Some(sel) = self.selection
            && let Some(entry) = ds.layers.get(sel.layer as usize)
            && let Some(pf) = entry.prepared.features.get(sel.feature as usize)
        {
            let stroke = Stroke::new(3.0, SELECTION);
            let parts = entry.parts(sel.feature, false);
            let rings = parts.fills.iter().flat_map(|f| {
                f.rings()
                    .map(move |ring| ring.iter().map(|p| f.world(*p)).collect::<Vec<_>>())
            });
            let lines = parts.lines.iter().map(|l| l.iter().collect::<Vec<_>>());
            for line in rings.chain(lines) {
                let pts = line.iter().map(|p| view.to_screen(*p));
                for run in clip_polyline(pts, clip) {
                    painter.add(Shape::line(run, stroke));
                }
            }
            let radius = ds.draw(sel).map_or(6.0, |d| d.radius().max(5.0));
            for p in pf.points() {
                painter.circle_stroke(view.to_screen(*p), radius + 5.0, stroke);
            }
        }

        // Hover and click: a cluster first (a click zooms into it), then a feature.
        let on_cluster = response.hover_pos().and_then(|pos| {
            clusters
                .iter()
                .rev()
                .find(|c| c.center().distance(pos) <= c.radius() + 2.0)
        });
        if let Some(c) = on_cluster {
            let name = &ds.layers[c.layer as usize].layer.name;
            let text = format!("{} points of {name}; click to zoom in", c.count);
            response.clone().on_hover_ui_at_pointer(|ui| {
                ui.label(text);
            });
            if response.clicked() {
                out.zoom_to = Some(c.bbox);
            }
        }
        // Points of a clustered layer are not drawn one by one: they are not hit one by one.
        let hovered = response
            .hover_pos()
            .filter(|_| on_cluster.is_none())
            .and_then(|pos| {
                let candidates = near(ds, &view, self.shown, &dense, pos);
                hit(ds, &view, &candidates, pos)
            });
        out.hovered = hovered;
        if response.clicked() && on_cluster.is_none() {
            out.clicked = Some(hovered);
        }
        out.clusters = clusters;
        if let Some(r) = hovered {
            let tip = tooltip_lines(ds, r, self.zone);
            response.clone().on_hover_ui_at_pointer(|ui| {
                ui.set_max_width(320.0);
                for (i, line) in tip.iter().enumerate() {
                    if i == 0 {
                        ui.strong(line);
                    } else {
                        ui.label(line);
                    }
                }
            });
        }
        out.map_rect = Some(view.rect);
        *self.out = out;
    }
}

/// A big layer is drawn directly, not from tiles of an earlier moment, while its tiles are
/// painted, when the view holds at most this many of its features.
const DIRECT_MAX: usize = 2_000;

/// User layers with at least this many features are drawn from tiles in the window.
pub const CACHE_MIN_FEATURES: usize = 5_000;

/// One view's drawing caches (the window has its own, each export its own), by layer id.
pub struct DrawCaches {
    /// Tiles of big user layers.
    tiles: std::collections::HashMap<LayerId, LayerTiles>,
    /// Clusters of big point layers.
    grids: std::collections::HashMap<LayerId, Clusters>,
    /// Lines and polygons drawn one by one, made ready from their geometry (projected,
    /// triangulated), with the frame that last drew each: see [`DrawCaches::parts`].
    parts: std::collections::HashMap<(LayerId, u32), (Arc<Parts>, u64)>,
    /// Vertices in `parts`.
    parts_vertices: usize,
    /// Frames drawn (counted by [`DrawCaches::retain_layers`], called once a frame).
    frame: u64,
    /// The last frame whose features were forgotten to make room.
    evicted: u64,
    /// Whether `parts` keeps what it makes (not for a single export: it draws once).
    keep_parts: bool,
    enabled: bool,
}

/// Vertices of features' parts a view keeps ready to draw (about 6 MB) beyond what its last
/// frame drew: a view draws lines and polygons one by one only while it holds at most
/// [`DIRECT_MAX`] features of a big layer, besides the small layers' few.
const PARTS_VERTICES: usize = 400_000;

impl Default for DrawCaches {
    fn default() -> Self {
        Self {
            tiles: Default::default(),
            grids: Default::default(),
            parts: Default::default(),
            parts_vertices: 0,
            frame: 0,
            evicted: 0,
            keep_parts: true,
            enabled: true,
        }
    }
}

impl DrawCaches {
    /// Caches that cache nothing: every layer is drawn directly, at once (exports; tests that
    /// compare the two paths).
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            keep_parts: false,
            ..Self::default()
        }
    }

    /// Keeps the lines and polygons made ready to draw from one picture to the next, as the
    /// window does: for the frames of an animation.
    pub fn keep_parts(&mut self) {
        self.keep_parts = true;
    }

    /// Forgets the caches of layers that are gone, and the tiles of hidden ones; called once a
    /// frame, it counts the frames.
    pub fn retain_layers(&mut self, ds: &Dataset) {
        self.frame += 1;
        if self.parts_vertices > PARTS_VERTICES {
            // Past the budget: keep what the last frame drew.
            let last = self.frame - 1;
            self.parts.retain(|_, (_, drawn)| *drawn >= last);
            self.parts_vertices = self.parts.values().map(|(p, _)| p.vertices()).sum();
        }
        // A hidden layer's tiles go too: their textures are the biggest part of them.
        if !self.tiles.is_empty() {
            self.tiles
                .retain(|id, _| ds.layers.iter().any(|l| l.id == *id && l.visible));
        }
        if !self.grids.is_empty() {
            self.grids
                .retain(|id, _| ds.layers.iter().any(|l| l.id == *id));
        }
        let before = self.parts.len();
        self.parts
            .retain(|(id, _), _| ds.layers.iter().any(|l| l.id == *id));
        if self.parts.len() != before {
            self.parts_vertices = self.parts.values().map(|(p, _)| p.vertices()).sum();
        }
    }

    /// Feature `fi` of `entry`, made ready to draw directly: kept from an earlier frame, or
    /// made from its geometry and kept (unless the caches draw one picture). When the kept ones would
    /// pass [`PARTS_VERTICES`], those no frame has drawn since the last one are forgotten
    /// first (once a frame); what the frame draws is kept whatever its size, so a view of
    /// a few huge polygons is not triangulated again every frame.
    pub fn parts(&mut self, entry: &LayerEntry, fi: u32) -> Arc<Parts> {
        let frame = self.frame;
        if let Some((parts, drawn)) = self.parts.get_mut(&(entry.id, fi)) {
            *drawn = frame;
            return parts.clone();
        }
        let parts = Arc::new(entry.parts(fi, true));
        if self.keep_parts {
            let n = parts.vertices();
            if self.parts_vertices + n > PARTS_VERTICES && self.evicted != frame {
                self.evicted = frame;
                self.parts.retain(|_, (_, drawn)| *drawn + 1 >= frame);
                self.parts_vertices = self.parts.values().map(|(p, _)| p.vertices()).sum();
            }
            self.parts_vertices += n;
            self.parts.insert((entry.id, fi), (parts.clone(), frame));
        }
        parts
    }

    /// Vertices of the features kept ready to draw (for tests).
    pub fn parts_vertices(&self) -> usize {
        self.parts_vertices
    }

    /// Number of layers with a cache (for tests).
    pub fn len(&self) -> usize {
        self.tiles.len()
    }

    /// Tiles of big layers still to paint, and their cluster grids being made.
    pub fn tiles_in_progress(&self) -> usize {
        self.tiles
            .values()
            .map(LayerTiles::in_progress)
            .sum::<usize>()
            + self.grids.values().filter(|c| c.making()).count()
    }

    /// True when no layer has a cache.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The fills of a frame are split into meshes of about this many vertices.
const MESH_VERTICES: usize = 1 << 16;

/// Adds a feature's polygons to `mesh` and their outlines to `shapes`. Level of detail for
/// user layers: a polygon a few points wide is a dot; its outline shows only when it is big
/// enough to read.
#[allow(clippy::too_many_arguments)]
fn draw_fill(
    pf: &PreparedFeature,
    parts: impl FnOnce() -> Arc<Parts>,
    paint: &FillPaint,
    view: &View,
    clip: Rect,
    mesh: &mut Mesh,
    shapes: &mut Vec<Shape>,
) {
    let extent = extent(pf, view.scale);
    if paint.lod && extent < 3.0 {
        if let Some(c) = pf.center() {
            let at = view.to_screen(c);
            mesh.add_colored_rect(
                Rect::from_center_size(at, vec2(2.5, 2.5)),
                paint.stroke.color,
            );
        }
        return;
    }
    let outline = !paint.lod || extent >= 24.0;
    for f in &parts().fills {
        let base = mesh.vertices.len() as u32;
        for v in &f.vertices {
            mesh.colored_vertex(view.to_screen(f.world(*v)), paint.fill);
        }
        mesh.indices.extend(f.indices.iter().map(|i| base + i));
        for ring in f.rings().filter(|_| outline) {
            for run in clip_polyline(ring.iter().map(|p| view.to_screen(f.world(*p))), clip) {
                if paint.dashed {
                    shapes.extend(Shape::dashed_line(&run, paint.stroke, 6.0, 4.0));
                } else {
                    shapes.push(Shape::line(run, paint.stroke));
                }
            }
        }
    }
}

/// Adds a feature's lines to `shapes`, with a white casing for the disputed border. Level of
/// detail for user layers: a line too small to be a line at this zoom is not drawn.
#[allow(clippy::too_many_arguments)]
fn draw_lines(
    pf: &PreparedFeature,
    parts: impl FnOnce() -> Arc<Parts>,
    stroke: Stroke,
    casing: bool,
    lod: bool,
    view: &View,
    clip: Rect,
    shapes: &mut Vec<Shape>,
) {
    if lod && extent(pf, view.scale) < 1.5 {
        return;
    }
    for line in &parts().lines {
        for run in clip_polyline(line.iter().map(|p| view.to_screen(p)), clip) {
            if casing {
                // A white casing keeps the disputed line readable over any basemap.
                shapes.push(Shape::line(
                    run.clone(),
                    Stroke::new(stroke.width + 2.5, Color32::from_white_alpha(200)),
                ));
            }
            shapes.push(Shape::line(run, stroke));
        }
    }
}

/// Title, time and place of a feature, for the tooltip.
pub fn tooltip_lines(ds: &Dataset, r: FeatureRef, zone: DisplayZone) -> Vec<String> {
    if let Some(e) = ds.record_of(r) {
        let mut lines = vec![
            e.title.clone(),
            format!("{} · {}", e.kind.label_tr(), zone.format(e.span.start())),
        ];
        if !e.place.is_empty() {
            lines.push(e.place.clone());
        }
        if e.estimated {
            lines.push(crate::tr!("tooltip-estimated"));
        }
        lines
    } else {
        let name = ds
            .draw(r)
            .and_then(|d| d.name().map(str::to_string))
            .unwrap_or_else(|| crate::tr!("tooltip-feature", n = r.feature + 1));
        let layer = ds
            .layers
            .get(r.layer as usize)
            .map(|l| l.layer.name.clone())
            .unwrap_or_default();
        vec![name, layer]
    }
}

/// The shown features whose bounding box is within 30 points of `pos` (R-tree query), in
/// drawing order: the candidates for [`hit`], so hovering costs the same over any layer size.
/// Layers flagged in `clustered` are skipped.
pub fn near(
    ds: &Dataset,
    view: &View,
    shown: ShownFn,
    clustered: &[bool],
    pos: Pos2,
) -> Vec<(FeatureRef, f32)> {
    let m = view.to_mercator(pos);
    let d = 30.0 / view.scale;
    let mut out = Vec::new();
    for (li, entry) in ds.layers.iter().enumerate() {
        if !entry.visible || clustered.get(li).copied().unwrap_or(false) {
            continue;
        }
        let mut ids: Vec<u32> = entry
            .prepared
            .in_box([m[0] - d, m[1] - d], [m[0] + d, m[1] + d])
            .collect();
        ids.sort_unstable();
        for fi in ids {
            let r = FeatureRef {
                layer: li as u32,
                feature: fi,
            };
            if let Some(alpha) = shown(r) {
                out.push((r, alpha));
            }
        }
    }
    out
}

/// The feature under `pos`: the nearest site within its radius (+4 pt), else a line within
/// 5 pt, else the top-most polygon containing the point.
pub fn hit(
    ds: &Dataset,
    view: &View,
    shown: &[(FeatureRef, f32)],
    pos: Pos2,
) -> Option<FeatureRef> {
    let mut best: Option<(f32, FeatureRef)> = None;
    for &(r, _) in shown {
        let pf = &ds.layers[r.layer as usize].prepared.features[r.feature as usize];
        let radius = ds.draw(r).map_or(5.0, |d| d.radius().max(5.0)) + 4.0;
        for p in pf.points() {
            let d = view.to_screen(*p).distance(pos);
            if d <= radius && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, r));
            }
        }
    }
    if let Some((_, r)) = best {
        return Some(r);
    }
    // Lines and polygons are unpacked only for the few whose box holds the pointer (the
    // candidates are every feature within 30 points: thousands zoomed out).
    let m = view.to_mercator(pos);
    let holds = |b: Option<[f64; 4]>, margin: f64| {
        b.is_some_and(|b| {
            m[0] >= b[0] - margin
                && m[0] <= b[2] + margin
                && m[1] >= b[1] - margin
                && m[1] <= b[3] + margin
        })
    };
    let margin = 5.0 / view.scale;
    for &(r, _) in shown.iter().rev() {
        let entry = &ds.layers[r.layer as usize];
        let pf = &entry.prepared.features[r.feature as usize];
        if !pf.has_lines() || !holds(pf.bbox(), margin) {
            continue;
        }
        for line in &entry.parts(r.feature, false).lines {
            for seg in line.points.windows(2) {
                let [a, b] = [seg[0], seg[1]].map(|p| view.to_screen(line.world(p)));
                if segment_distance(pos, a, b) <= 5.0 {
                    return Some(r);
                }
            }
        }
    }
    for &(r, _) in shown.iter().rev() {
        let entry = &ds.layers[r.layer as usize];
        let pf = &entry.prepared.features[r.feature as usize];
        if !pf.has_fills() || !holds(pf.bbox(), 0.0) {
            continue;
        }
        if entry.parts(r.feature, false).fills.iter().any(|f| {
            let m = f.local(m);
            f.rings().filter(|ring| contains(ring, m)).count() % 2 == 1
        }) {
            return Some(r);
        }
    }
    None
}

/// The parts of a polyline inside `rect` (see [`geom::clip_polyline`]), in screen points.
///
/// A point less than [`MIN_STEP`] from the last one kept is dropped (the last point of the
/// line always stays), and then each run keeps only the points it needs to stay within
/// [`TOLERANCE`] of itself (Douglas–Peucker): on screen it changes nothing, and it spares
/// most of a line's vertices (a detailed border at zoom 9 has about one a point). A
/// feathered stroke is 6 triangles a point, and a software renderer keeps each triangle of a
/// frame: at zoom 9 the valley's borders were 11 MB of the window's memory.
pub fn clip_polyline(points: impl IntoIterator<Item = Pos2>, rect: Rect) -> Vec<Vec<Pos2>> {
    let mut runs = Vec::new();
    let mut points = points.into_iter().peekable();
    let mut last: Option<Pos2> = None;
    let thinned = std::iter::from_fn(|| {
        loop {
            let p = points.next()?;
            let end = points.peek().is_none();
            if end || last.is_none_or(|l| (p - l).length_sq() >= MIN_STEP * MIN_STEP) {
                last = Some(p);
                return Some(p);
            }
        }
    });
    geom::clip_polyline(
        thinned.map(|p| [p.x, p.y]),
        [rect.min.x, rect.min.y, rect.max.x, rect.max.y],
        &mut runs,
    );
    runs.into_iter()
        .map(|run| {
            if run.pts.len() > SIMPLIFIED_RUN {
                // Douglas–Peucker can take quadratic time: a scribble this long stays thinned.
                return run.pts.iter().map(|p| pos2(p[0], p[1])).collect();
            }
            geom::douglas_peucker(&run.pts, TOLERANCE)
                .into_iter()
                .map(|i| pos2(run.pts[i][0], run.pts[i][1]))
                .collect()
        })
        .collect()
}

/// How far (screen points) a line drawn may stray from the line: a quarter of a pixel at
/// 1x, unseen under a stroke's smoothed edge.
const TOLERANCE: f32 = 0.25;

/// The longest run (points) that is simplified.
const SIMPLIFIED_RUN: usize = 20_000;

/// `color` at `share` over the land of other countries, opaque.
fn over_land(color: Color32, share: f32) -> Color32 {
    let land = super::raster::OTHER_LAND;
    let mix = |c: u8, l: u8| (c as f32 * share + l as f32 * (1.0 - share)).round() as u8;
    Color32::from_rgb(
        mix(color.r(), land[0]),
        mix(color.g(), land[1]),
        mix(color.b(), land[2]),
    )
}

/// Whether egui draws a filled circle of `radius` points as one of the discs it keeps
/// rasterised in its font texture (a quad, two triangles) rather than as a tessellated path.
/// `epaint::Tessellator::tessellate_circle` picks the first of them (radii up to 8 texels)
/// whose radius is at least 2^0.25 times the circle's in pixels.
fn prerasterized(radius: f32, pixels_per_point: f32) -> bool {
    const LARGEST: f32 = 8.0;
    radius > 0.0 && radius * pixels_per_point * 2f32.powf(0.25) <= LARGEST
}

/// Adds a filled disc of eight sides to `mesh` (a site among thousands: no outline, no
/// anti-aliasing).
fn add_disc(mesh: &mut Mesh, at: Pos2, radius: f32, color: Color32) {
    const SIDES: u32 = 8;
    const H: f32 = std::f32::consts::FRAC_1_SQRT_2;
    const UNIT: [(f32, f32); SIDES as usize] = [
        (1.0, 0.0),
        (H, H),
        (0.0, 1.0),
        (-H, H),
        (-1.0, 0.0),
        (-H, -H),
        (0.0, -1.0),
        (H, -H),
    ];
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(at, color);
    for (x, y) in UNIT {
        mesh.colored_vertex(at + vec2(x, y) * radius, color);
    }
    for i in 0..SIDES {
        mesh.add_triangle(base, base + 1 + i, base + 1 + (i + 1) % SIDES);
    }
}

/// A disc of `fill` with a ring of `ring` (`width` wide, centred on its edge, as a circle's
/// stroke is), its edges smoothed over a point: what `Painter::circle` draws, in a shared
/// mesh.
fn add_ringed_disc(
    mesh: &mut Mesh,
    at: Pos2,
    radius: f32,
    fill: Color32,
    width: f32,
    ring: Color32,
) {
    let sides = ((radius * 1.5) as u32).clamp(12, 64);
    let (inner, outer) = ((radius - width / 2.0).max(0.0), radius + width / 2.0);
    // Rings of vertices, from the centre out: fill, fill to ring, ring, ring to nothing.
    let rings = [
        ((inner - 0.5).max(0.0), fill),
        (inner + 0.5, ring),
        ((outer - 0.5).max(inner + 0.5), ring),
        (outer + 0.5, Color32::TRANSPARENT),
    ];
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(at, fill);
    for (r, color) in rings {
        for i in 0..sides {
            let a = std::f32::consts::TAU * i as f32 / sides as f32;
            mesh.colored_vertex(at + vec2(a.cos(), a.sin()) * r, color);
        }
    }
    let v = |ring: u32, i: u32| base + 1 + ring * sides + i % sides;
    for i in 0..sides {
        mesh.add_triangle(base, v(0, i), v(0, i + 1));
        for k in 0..3 {
            mesh.add_triangle(v(k, i), v(k + 1, i), v(k + 1, i + 1));
            mesh.add_triangle(v(k, i), v(k + 1, i + 1), v(k, i + 1));
        }
    }
}

/// A ring of `radius` drawn in dashes of 3 points with gaps of 3, `width` wide, its edges
/// smoothed over a point: what a dashed line around the circle draws, in a shared mesh.
fn add_dashed_ring(mesh: &mut Mesh, at: Pos2, radius: f32, width: f32, color: Color32) {
    const DASH: f32 = 3.0;
    // At most 512 dashes (a ring of 500 points): the radius is a site's, never that big.
    let dashes = ((std::f32::consts::TAU * radius) / (2.0 * DASH))
        .floor()
        .clamp(1.0, 512.0) as u32;
    let step = std::f32::consts::TAU / dashes as f32;
    let span = DASH / radius.max(DASH);
    let half = width / 2.0;
    // Across the dash, from outside in: nothing, colour, colour, nothing.
    let rows = [
        (radius + half + 0.5, Color32::TRANSPARENT),
        (radius + (half - 0.5).max(0.0), color),
        (radius - (half - 0.5).max(0.0), color),
        (radius - half - 0.5, Color32::TRANSPARENT),
    ];
    for d in 0..dashes {
        let a0 = d as f32 * step;
        let base = mesh.vertices.len() as u32;
        for a in [a0, a0 + span] {
            let dir = vec2(a.cos(), a.sin());
            for (r, c) in rows {
                mesh.colored_vertex(at + dir * r, c);
            }
        }
        for k in 0..3 {
            let (i, j) = (base + k, base + 4 + k);
            mesh.add_triangle(i, j, j + 1);
            mesh.add_triangle(i, j + 1, i + 1);
        }
    }
}

/// Points closer than this to the last one drawn are dropped from a polyline (screen points).
const MIN_STEP: f32 = 0.5;

fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a + ab * t).distance(p)
}

/// Even-odd point in ring.
fn contains(ring: &[[f32; 2]], p: [f64; 2]) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    let at = |i: usize| ring.get(i).map_or([0.0; 2], |q| q.map(f64::from));
    for i in 0..ring.len() {
        let (a, b) = (at(i), at(j));
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Text with a light halo, readable over any fill.
pub fn halo_text(
    painter: &egui::Painter,
    at: Pos2,
    text: &str,
    font: FontId,
    color: Color32,
) -> Rect {
    let galley = painter.layout_no_wrap(text.to_string(), font, color);
    let rect = Align2::CENTER_CENTER.anchor_size(at, galley.size());
    let halo = Color32::from_white_alpha(210);
    for d in [
        vec2(-1.0, 0.0),
        vec2(1.0, 0.0),
        vec2(0.0, -1.0),
        vec2(0.0, 1.0),
    ] {
        painter.galley_with_override_text_color(rect.min + d, galley.clone(), halo);
    }
    painter.galley(rect.min, galley, color);
    rect
}

/// Place names by rank, skipping any that would collide with one already placed.
fn draw_places(painter: &egui::Painter, view: &View, places: &[PlaceLabel]) {
    let max_rank = match view.zoom {
        z if z < 5.0 => 1,
        z if z < 6.5 => 2,
        z if z < 8.5 => 3,
        _ => 4,
    };
    let mut placed: Vec<Rect> = Vec::new();
    let bounds = view.rect.shrink(4.0);
    for place in places.iter().filter(|p| p.rank <= max_rank) {
        let at = view.to_screen(place.at);
        if !bounds.contains(at) {
            continue;
        }
        let size = match place.rank {
            1 => 14.0,
            2 => 12.5,
            _ => 11.5,
        };
        let font = FontId::proportional(size);
        let galley = painter.layout_no_wrap(place.name.clone(), font.clone(), Color32::BLACK);
        let rect = Align2::LEFT_CENTER
            .anchor_size(at + vec2(5.0, 0.0), galley.size())
            .expand(2.0);
        if placed.iter().any(|r| r.intersects(rect)) || !bounds.contains_rect(rect) {
            continue;
        }
        placed.push(rect);
        painter.circle_filled(
            at,
            if place.rank == 1 { 3.5 } else { 2.5 },
            Color32::from_gray(60),
        );
        let color = if place.rank <= 2 {
            Color32::from_gray(25)
        } else {
            Color32::from_gray(60)
        };
        halo_text(painter, rect.center(), &place.name, font, color);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layer of `n` polygons of `sides` vertices each, side by side.
    fn polygons(n: usize, sides: usize) -> LayerEntry {
        let features: Vec<String> = (0..n)
            .map(|i| {
                let (cx, cy) = (60.0 + (i % 100) as f64 * 0.2, 35.0 + (i / 100) as f64 * 0.2);
                let mut ring: Vec<String> = (0..sides)
                    .map(|k| {
                        let t = k as f64 / sides as f64 * std::f64::consts::TAU;
                        format!("[{:.6},{:.6}]", cx + 0.05 * t.cos(), cy + 0.05 * t.sin())
                    })
                    .collect();
                ring.push(ring[0].clone());
                format!(
                    r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                    ring.join(",")
                )
            })
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let layer = crate::io::geojson::read_geojson(
            text.as_bytes(),
            std::path::Path::new("polygons.geojson"),
            &Default::default(),
        );
        let mut ds = Dataset::default();
        ds.push(layer, LayerRole::Custom);
        ds.layers.remove(0)
    }

    #[test]
    fn the_pointer_hits_a_polygon_inside_not_in_its_hole_and_a_line_near_it() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[
                [[70.0,39.0],[71.0,39.0],[71.0,40.0],[70.0,40.0],[70.0,39.0]],
                [[70.4,39.4],[70.6,39.4],[70.6,39.6],[70.4,39.6],[70.4,39.4]]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[
                [72.0,39.0],[72.0,40.0]]}}]}"#;
        let layer = crate::io::geojson::read_geojson(
            text.as_bytes(),
            std::path::Path::new("shapes.geojson"),
            &Default::default(),
        );
        let mut ds = Dataset::default();
        ds.push(layer, LayerRole::Custom);
        let li = ds.layers.len() as u32 - 1;
        let view = View {
            rect: Rect::from_min_max(pos2(0.0, 0.0), pos2(800.0, 600.0)),
            center: crate::model::geom::mercator(71.0, 39.5),
            scale: 256.0 * 256.0,
            zoom: 8.0,
        };
        let all = |_: FeatureRef| Some(1.0);
        let at = |lon: f64, lat: f64| {
            let pos = view.to_screen(crate::model::geom::mercator(lon, lat));
            let near = near(&ds, &view, &all, &[], pos);
            hit(&ds, &view, &near, pos)
        };
        let polygon = Some(FeatureRef::new(li, 0));
        let line = Some(FeatureRef::new(li, 1));
        assert_eq!(at(70.2, 39.8), polygon, "inside");
        assert_eq!(at(70.5, 39.5), None, "in the hole");
        assert_eq!(at(72.0, 39.5), line, "on the line");
        assert_eq!(at(72.01, 39.5), line, "a few points off it");
        assert_eq!(at(72.2, 39.5), None, "far from it");
    }

    #[test]
    fn features_drawn_one_by_one_are_made_once_and_kept_within_the_budget() {
        let entry = polygons(300, 2_000);
        assert!(entry.prepared.features[0].has_fills());
        let mut ds = Dataset::default();
        ds.layers.push(entry.clone());
        let mut caches = DrawCaches::default();
        caches.retain_layers(&ds);
        let first = caches.parts(&entry, 7);
        assert_eq!(first.fills.len(), 1);
        assert!(!first.fills[0].indices.is_empty(), "triangulated to draw");
        assert!(Arc::ptr_eq(&first, &caches.parts(&entry, 7)), "kept");
        assert_eq!(caches.parts_vertices(), first.vertices());
        // A frame that draws 600,000 vertices keeps them all: none is made twice.
        let drawn: Vec<Arc<Parts>> = (0..300).map(|fi| caches.parts(&entry, fi)).collect();
        assert!(caches.parts_vertices() > PARTS_VERTICES);
        for (fi, parts) in drawn.iter().enumerate() {
            assert!(Arc::ptr_eq(parts, &caches.parts(&entry, fi as u32)));
        }
        // The next frame draws a third of them: then only they are kept.
        caches.retain_layers(&ds);
        assert!(caches.parts_vertices() > PARTS_VERTICES, "the last frame's");
        for fi in 0..100 {
            caches.parts(&entry, fi);
        }
        caches.retain_layers(&ds);
        let vertices = caches.parts_vertices();
        assert!(
            (100 * 2_000..=PARTS_VERTICES).contains(&vertices),
            "{vertices}"
        );
        assert!(
            Arc::ptr_eq(&drawn[5], &caches.parts(&entry, 5)),
            "drawn: kept"
        );
        assert!(
            !Arc::ptr_eq(&drawn[200], &caches.parts(&entry, 200)),
            "forgotten"
        );
        // A layer that is gone takes its parts with it.
        caches.retain_layers(&Dataset::default());
        assert_eq!(caches.parts_vertices(), 0);
        // An export's caches keep nothing.
        let mut off = DrawCaches::disabled();
        let made = off.parts(&entry, 7);
        assert!(!Arc::ptr_eq(&made, &off.parts(&entry, 7)));
        assert_eq!(off.parts_vertices(), 0);
        // An animation's do, from frame to frame.
        off.keep_parts();
        let made = off.parts(&entry, 7);
        assert!(Arc::ptr_eq(&made, &off.parts(&entry, 7)));
    }

    #[test]
    fn a_dashed_ring_is_dashes_of_three_points_around_the_site() {
        let mut mesh = Mesh::default();
        let at = pos2(100.0, 50.0);
        let color = Color32::from_rgb(200, 40, 40);
        add_dashed_ring(&mut mesh, at, 12.0, 1.5, color);
        // 2 pi 12 / (3 + 3): 12 dashes of 8 vertices and 6 triangles each.
        assert_eq!(mesh.vertices.len(), 12 * 8);
        assert_eq!(mesh.indices.len(), 12 * 6 * 3);
        assert!(mesh.is_valid());
        for v in &mesh.vertices {
            let d = (v.pos - at).length();
            if v.color == color {
                // The solid band: 1.5 wide less the half-point feather each side.
                assert!((d - 12.0).abs() <= 0.26, "solid at {d}");
            } else {
                assert_eq!(v.color, Color32::TRANSPARENT);
                assert!(
                    (d - 12.0).abs() > 1.2 && (d - 12.0).abs() < 1.3,
                    "edge at {d}"
                );
            }
        }
        // Each dash spans 3 points of arc, then a gap: the first dash from angle 0.
        let first_end = mesh.vertices[4].pos - at;
        let arc = first_end.y.atan2(first_end.x) * (first_end.length());
        assert!(
            (arc - 3.0 * first_end.length() / 12.0).abs() < 0.05,
            "{arc}"
        );
        // Every triangle has area: none folded onto itself.
        for t in mesh.indices.chunks(3) {
            let [a, b, c] = [0, 1, 2].map(|k| mesh.vertices[t[k] as usize].pos);
            assert!((b - a).x * (c - a).y - (c - a).x * (b - a).y != 0.0);
        }
    }

    #[test]
    fn a_polyline_keeps_only_the_points_that_change_what_is_seen() {
        let rect = Rect::from_min_max(pos2(-100.0, -100.0), pos2(1000.0, 100.0));
        // A border-like line: a point a pixel, wobbling by a tenth of one, then zigzags of 3.
        let mut points: Vec<Pos2> = (0..400)
            .map(|i| pos2(i as f32, if i % 2 == 0 { 0.1 } else { 0.0 }))
            .collect();
        points.extend((0..100).map(|i| pos2(400.0 + i as f32 * 4.0, (i % 2) as f32 * 3.0)));
        let runs = clip_polyline(points.clone(), rect);
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        // The wobble is one segment; each zigzag corner stays.
        assert!(run.len() <= 103, "{} of 500 points kept", run.len());
        assert!(run.len() >= 100, "{} of 500 points kept", run.len());
        // Every point of the line is within the tolerance of what is drawn.
        for p in &points {
            let d = run
                .windows(2)
                .map(|w| segment_distance(*p, w[0], w[1]))
                .fold(f32::INFINITY, f32::min);
            assert!(d <= TOLERANCE + 1e-4, "{p:?} is {d} from the line drawn");
        }
    }

    #[test]
    fn a_polyline_drops_points_closer_than_half_a_point_but_keeps_its_ends() {
        let rect = Rect::from_min_max(pos2(-100.0, -100.0), pos2(100.0, 100.0));
        // 1,001 points 0.01 apart along 10 points, then a corner.
        let mut points: Vec<Pos2> = (0..=1000).map(|i| pos2(i as f32 * 0.01, 0.0)).collect();
        points.push(pos2(10.0, 5.0));
        let runs = clip_polyline(points, rect);
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert!(run.len() <= 25, "{} points kept", run.len());
        assert_eq!(run.first(), Some(&pos2(0.0, 0.0)));
        assert_eq!(run.last(), Some(&pos2(10.0, 5.0)));
        assert!(run.windows(2).all(|w| (w[1] - w[0]).length() >= MIN_STEP));
        // A line shorter than the step still keeps both ends.
        let short = clip_polyline([pos2(1.0, 1.0), pos2(1.1, 1.0)], rect);
        assert_eq!(short, vec![vec![pos2(1.0, 1.0), pos2(1.1, 1.0)]]);
    }

    #[test]
    fn even_odd_point_in_ring() {
        let ring = [[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]];
        assert!(contains(&ring, [2.0, 2.0]));
        assert!(!contains(&ring, [5.0, 2.0]));
    }

    /// `prerasterized` says which circles egui draws as a quad of its font texture: the
    /// sites it says yes to cost 2 triangles each, not dozens. Checked against egui's own
    /// tessellator and atlas, so an egui that changes its rule fails here.
    #[test]
    fn small_sites_are_quads_of_the_font_texture_as_egui_draws_them() {
        let atlas = egui::epaint::TextureAtlas::new([1024, 64], Default::default());
        for ppp in [1.0, 1.25, 1.5, 2.0] {
            let mut tessellator = egui::epaint::Tessellator::new(
                ppp,
                Default::default(),
                atlas.size(),
                atlas.prepared_discs(),
            );
            let mut quads = 0;
            for step in 1..=48 {
                let radius = step as f32 * 0.25;
                let mut mesh = Mesh::default();
                tessellator.tessellate_circle(
                    egui::epaint::CircleShape::filled(Pos2::ZERO, radius, Color32::RED),
                    &mut mesh,
                );
                let quad = mesh.vertices.len() == 4 && mesh.indices.len() == 6;
                assert_eq!(
                    prerasterized(radius, ppp),
                    quad,
                    "radius {radius} at {ppp}x"
                );
                quads += usize::from(quad);
            }
            assert!(quads >= 8, "at {ppp}x only {quads} radii are quads");
        }
        // The default site (5 points, ringed: 6.5) at 1x is one.
        assert!(prerasterized(5.0 + 1.5, 1.0));
    }

    #[test]
    fn counts_are_short() {
        assert_eq!(short_count(950), "950");
        assert_eq!(short_count(9_500), "9.5k");
        assert_eq!(short_count(95_000), "95k");
        assert_eq!(short_count(1_200_000), "1.2M");
    }
}
