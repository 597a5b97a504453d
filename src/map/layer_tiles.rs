//! Big user layers drawn as raster tiles in the window, as QGIS keeps a rendered image of
//! each layer: a layer with thousands of features is painted once per tile (256 points
//! square, on the Web Mercator grid) by a worker thread with `tiny-skia`, with the same paint
//! rules as the overlay ([`super::paint`]); a frame then draws a few dozen textures instead
//! of tessellating millions of vertices, and panning or zooming costs the same over any
//! layer size.
//!
//! What a tile shows depends on the layer's style and, for a dated layer, on the time cursor
//! and mode ([`TileState`]). When that state changes every tile is stale; until the tiles of
//! the view are painted again the overlay draws the layer directly, so the map always shows
//! the moment of the cursor. While zooming or panning at one state, a missing tile shows a
//! piece of a painted tile one level up, or its four painted children, or nothing for the
//! moment it takes to paint it, as map tiles do. Exports draw layers directly.
//!
//! Points of these layers are in the tiles only at the zooms where a view would hold more
//! than [`DETAILED_SITES`] of them (then they are plain discs anyway, see
//! [`points_in_tiles`]); closer in, and when clustered, the overlay draws them.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use egui::{Color32, ColorImage, Context, Rect, TextureHandle, pos2};
use jiff::Timestamp;
use tiny_skia::{
    FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform,
};

use super::clusters::DENSE_POINTS;
use super::clusters::Shown;
use super::paint::{DETAILED_SITES, extent, faded, fill_paint, line_paint, point_paint};
use super::tile_queue::{
    Painted, Requests, Solids, kept, lock, may_paint, take_uploads, touch, trim,
};
use super::view::View;
use crate::model::dataset::LayerEntry;
use crate::model::prepared::{Has, Parts};
use crate::time::{TimeMode, age_at};

/// A painted tile: its texture, or `None` when nothing is on it.
type Tile = Option<TextureHandle>;

/// Side of a tile in points.
const TILE: f64 = 256.0;
/// Requests waiting beyond this are dropped, oldest first.
const MAX_QUEUE: usize = 256;
/// Deepest zoom of layer tiles.
const MAX_ZOOM: u8 = 22;

/// The time a dated layer's tiles show: what is shown, and the cursor and mode its fading
/// is measured with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TileTime {
    /// Which features are shown.
    pub shown: Shown,
    /// The time cursor.
    pub cursor: Timestamp,
    /// Cumulative or window.
    pub mode: TimeMode,
}

/// Everything a layer's tiles depend on besides the tile: when it changes, they are stale.
#[derive(Clone, Debug)]
pub struct TileState {
    /// The layer, its data and style (shared, not copied).
    entry: LayerEntry,
    /// `None` for a layer without dates.
    time: Option<TileTime>,
}

impl TileState {
    /// The state of `entry` at `time` (ignored when the layer has no dated features).
    pub fn new(entry: &LayerEntry, time: TileTime) -> Self {
        Self {
            entry: entry.clone(),
            time: (!entry.dated.is_empty()).then_some(time),
        }
    }

    fn same(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.entry.data, &other.entry.data)
            && self.entry.style == other.entry.style
            && match (&self.entry.passes, &other.entry.passes) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
            && match (&self.entry.by_property, &other.entry.by_property) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
            && self.time == other.time
    }
}

/// Map size in points that the density of a layer's points is judged by.
const VIEW_AREA: f64 = 1600.0 * 1000.0;

/// The zoom from which a layer's points are drawn by the overlay rather than painted in its
/// tiles: the first at which a view of [`VIEW_AREA`] over the layer holds no more than
/// [`DETAILED_SITES`] of them on average. 0 (never in tiles) for a layer with few points,
/// or with so many that they are clustered.
pub fn detail_zoom(entry: &LayerEntry) -> u8 {
    let n = entry.prepared.point_features.len();
    if n <= DETAILED_SITES || n > DENSE_POINTS {
        return 0;
    }
    let [lo_x, lo_y, hi_x, hi_y] = entry.prepared.tree.extent().unwrap_or_default();
    let (w, h) = ((hi_x - lo_x).max(0.0), (hi_y - lo_y).max(0.0));
    (0..=MAX_ZOOM)
        .find(|&z| {
            let scale = TILE * f64::from(1u32 << z);
            let area = (w * scale).max(1.0) * (h * scale).max(1.0);
            n as f64 * (VIEW_AREA / area).min(1.0) <= DETAILED_SITES as f64
        })
        .unwrap_or(MAX_ZOOM)
}

/// True when the view's tiles of this layer hold its points.
pub fn points_in_tiles(entry: &LayerEntry, view: &View) -> bool {
    tile_zoom(view) < detail_zoom(entry)
}

/// The zoom of the tiles that draw a view.
fn tile_zoom(view: &View) -> u8 {
    view.zoom.round().clamp(0.0, f64::from(MAX_ZOOM)) as u8
}

/// A tile of the Web Mercator grid: zoom, x, y.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileId {
    /// Zoom level.
    pub z: u8,
    /// Column.
    pub x: u32,
    /// Row.
    pub y: u32,
}

impl TileId {
    /// Its mercator box `[min x, min y, max x, max y]`.
    fn bounds(self) -> [f64; 4] {
        let n = f64::from(1u32 << self.z);
        [
            f64::from(self.x) / n,
            f64::from(self.y) / n,
            f64::from(self.x + 1) / n,
            f64::from(self.y + 1) / n,
        ]
    }
}

/// A texture and the part of it to draw where.
pub struct Piece {
    /// The texture.
    pub texture: egui::TextureId,
    /// Where, on screen.
    pub rect: Rect,
    /// Which part of the texture.
    pub uv: Rect,
}

#[derive(Default)]
struct Queue {
    /// The state tiles are painted for, and its number.
    job: Option<(u64, Arc<TileState>)>,
    /// Tiles to paint.
    requests: Requests<TileId>,
    /// Painted, with the state number they were painted for (`None`: nothing to see).
    done: Vec<(u64, TileId, Option<Painted>)>,
    shutdown: bool,
    /// Tiles painted so far.
    #[cfg(test)]
    paints: usize,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

/// One layer's tiles in one view: the textures painted, and the worker that paints them.
pub struct LayerTiles {
    ctx: Context,
    shared: Arc<Shared>,
    /// The state the cached textures show, and its number.
    state: Option<Arc<TileState>>,
    epoch: u64,
    cache: HashMap<TileId, Tile>,
    /// The textures of tiles of one colour.
    solids: Solids,
    /// Least recently drawn first.
    order: VecDeque<TileId>,
    /// Tiles of the last view drawn: the cache keeps [`kept`] of them.
    drawn: usize,
    /// The textures of the state before, standing in while a view of many features is
    /// painted again (see [`Self::pieces`]).
    stale: HashMap<TileId, Tile>,
    /// Every tile of a view has been painted at this state once.
    complete: bool,
    last_pass: u64,
}

impl LayerTiles {
    /// Starts the worker thread of a layer's tiles.
    pub fn new(ctx: &Context) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
        });
        let pixels = (TILE as f32 * ctx.pixels_per_point()).round().max(1.0) as u32;
        let worker_shared = Arc::clone(&shared);
        let worker_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("layer tiles".into())
            .spawn(move || worker(&worker_shared, &worker_ctx, pixels));
        if let Err(e) = spawned {
            // Without a worker no tile is ever painted: the overlay draws the layer directly.
            log::error!("cannot start a layer-tile thread: {e}");
        }
        Self {
            ctx: ctx.clone(),
            shared,
            state: None,
            epoch: 0,
            cache: HashMap::new(),
            solids: Solids::default(),
            order: VecDeque::new(),
            drawn: 0,
            stale: HashMap::new(),
            complete: false,
            last_pass: u64::MAX,
        }
    }

    /// Tiles still to paint or to make into textures.
    pub fn in_progress(&self) -> usize {
        let queue = lock(&self.shared.queue);
        queue.requests.len() + queue.done.len()
    }

    /// The pieces that draw the layer over `view` at `state`, requesting the tiles missing.
    ///
    /// After the state changed (a new moment or style), until every tile of a view has been
    /// painted for it: `None` when `few` says the view holds few enough features to draw
    /// directly (the caller then does, exactly); else the tiles of the state before stand in
    /// where the new ones are missing, so that a view of a hundred thousand polygons is never
    /// drawn polygon by polygon (which took seconds and gigabytes at zoom 7).
    pub fn pieces(
        &mut self,
        state: TileState,
        view: &View,
        few: impl FnOnce() -> bool,
    ) -> Option<Vec<Piece>> {
        let fresh = self.state.as_ref().is_none_or(|s| !s.same(&state));
        if fresh {
            self.epoch += 1;
            if !self.cache.is_empty() {
                self.stale = std::mem::take(&mut self.cache);
            }
            self.order.clear();
            self.complete = false;
            let state = Arc::new(state);
            self.state = Some(Arc::clone(&state));
            let mut q = lock(&self.shared.queue);
            q.job = Some((self.epoch, state));
            q.requests.clear();
            q.done.clear();
        }
        self.new_frame();
        self.collect_done();
        let z = tile_zoom(view);
        let n = 1u32 << z;
        let (min, max) = view.mercator_box(0.0);
        let tile_of = |m: f64| (m * f64::from(n)).floor().clamp(0.0, f64::from(n - 1)) as u32;
        let (x0, x1) = (tile_of(min[0]), tile_of(max[0]));
        let (y0, y1) = (tile_of(min[1]), tile_of(max[1]));
        let full = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        let mut pieces = Vec::new();
        let mut stand_ins = Vec::new();
        let mut holes = false;
        // Centre tiles first, so they are painted first.
        let mut tiles: Vec<TileId> = (y0..=y1)
            .flat_map(|y| (x0..=x1).map(move |x| TileId { z, x, y }))
            .collect();
        let mid = view.to_mercator(view.rect.center());
        let dist = |t: &TileId| {
            let b = t.bounds();
            let c = [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0];
            (c[0] - mid[0]).powi(2) + (c[1] - mid[1]).powi(2)
        };
        tiles.sort_by(|a, b| dist(b).total_cmp(&dist(a)));
        self.drawn = tiles.len();
        // A painted tile's piece, none when nothing is on it.
        let whole = |tile: TileId, painted: &Tile| {
            painted.as_ref().map(|texture| Piece {
                texture: texture.id(),
                rect: screen_rect(view, tile.bounds()),
                uv: full,
            })
        };
        for &tile in &tiles {
            if let Some(painted) = self.cache.get(&tile) {
                pieces.extend(whole(tile, painted));
                touch(&mut self.order, &tile);
                continue;
            }
            self.request(tile);
            if !cover(&self.cache, tile, view, &mut pieces) {
                holes = true;
                if let Some(painted) = self.stale.get(&tile) {
                    stand_ins.extend(whole(tile, painted));
                } else {
                    cover(&self.stale, tile, view, &mut stand_ins);
                }
            }
        }
        trim(&mut self.cache, &mut self.order, kept(self.drawn));
        if !holes {
            self.complete = true;
            self.stale.clear();
        }
        if !self.complete && few() {
            return None;
        }
        // Stand-ins first, so the new tiles are on top.
        stand_ins.extend(pieces);
        Some(stand_ins)
    }

    fn request(&mut self, tile: TileId) {
        let mut queue = lock(&self.shared.queue);
        let epoch = self.epoch;
        if queue.done.iter().any(|(e, t, _)| *e == epoch && *t == tile) {
            return; // Painted, waiting for its upload.
        }
        if queue.requests.request(tile, MAX_QUEUE) {
            self.shared.wake.notify_one();
        }
    }

    /// Forgets the requests of earlier frames that have not started: the view moved on.
    fn new_frame(&mut self) {
        let pass = self.ctx.cumulative_pass_nr();
        if pass != self.last_pass {
            self.last_pass = pass;
            lock(&self.shared.queue).requests.forget_waiting();
        }
    }

    fn collect_done(&mut self) {
        let done = {
            let mut queue = lock(&self.shared.queue);
            // Tiles of an earlier state go first: they are never uploaded.
            let epoch = self.epoch;
            let waiting = queue.done.len();
            queue.done.retain(|(e, _, _)| *e == epoch);
            let done = take_uploads(&mut queue.done, &self.ctx);
            if queue.done.len() < waiting {
                self.shared.wake.notify_one(); // The painter may go on.
            }
            done
        };
        for (epoch, tile, image) in done {
            if epoch != self.epoch {
                continue;
            }
            let name = format!("layer tile {}/{}/{}", tile.z, tile.x, tile.y);
            let texture = image.map(|painted| painted.texture(&self.ctx, name, &mut self.solids));
            if self.cache.insert(tile, texture).is_none() {
                self.order.push_back(tile);
            }
            trim(&mut self.cache, &mut self.order, kept(self.drawn));
        }
    }
}

impl Drop for LayerTiles {
    fn drop(&mut self) {
        lock(&self.shared.queue).shutdown = true;
        self.shared.wake.notify_all();
    }
}

/// Adds the pieces of other zooms that stand in for `tile`: a piece of a painted
/// ancestor, else its four painted children. False when there are none.
fn cover(
    cache: &HashMap<TileId, Tile>,
    tile: TileId,
    view: &View,
    pieces: &mut Vec<Piece>,
) -> bool {
    for up in 1..=tile.z.min(4) {
        let parent = TileId {
            z: tile.z - up,
            x: tile.x >> up,
            y: tile.y >> up,
        };
        if let Some(painted) = cache.get(&parent) {
            let Some(texture) = painted else {
                // Nothing in the parent: nothing in this part of it either.
                return true;
            };
            let k = (1u32 << up) as f32;
            let (dx, dy) = (
                (tile.x - (parent.x << up)) as f32,
                (tile.y - (parent.y << up)) as f32,
            );
            pieces.push(Piece {
                texture: texture.id(),
                rect: screen_rect(view, tile.bounds()),
                uv: Rect::from_min_max(pos2(dx / k, dy / k), pos2((dx + 1.0) / k, (dy + 1.0) / k)),
            });
            return true;
        }
    }
    if tile.z >= MAX_ZOOM {
        return false;
    }
    let children: Vec<TileId> = (0..4)
        .map(|i| TileId {
            z: tile.z + 1,
            x: tile.x * 2 + (i & 1),
            y: tile.y * 2 + (i >> 1),
        })
        .collect();
    let painted: Vec<&Tile> = children.iter().filter_map(|c| cache.get(c)).collect();
    if painted.len() < 4 {
        return false;
    }
    for (child, texture) in children
        .iter()
        .zip(painted)
        .filter_map(|(c, t)| Some((c, t.as_ref()?)))
    {
        pieces.push(Piece {
            texture: texture.id(),
            rect: screen_rect(view, child.bounds()),
            uv: Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
        });
    }
    true
}

/// Where a mercator box is on screen.
fn screen_rect(view: &View, b: [f64; 4]) -> Rect {
    Rect::from_min_max(view.to_screen([b[0], b[1]]), view.to_screen([b[2], b[3]]))
}

fn worker(shared: &Shared, ctx: &Context, pixels: u32) {
    loop {
        let (epoch, state, tile) = {
            let mut q = lock(&shared.queue);
            loop {
                if q.shutdown {
                    return;
                }
                if let Some((epoch, state)) = q.job.clone()
                    && may_paint(q.done.len())
                    && let Some(tile) = q.requests.take_next()
                {
                    break (epoch, state, tile);
                }
                q = shared.wake.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let image = seen(render(&state, tile, pixels)).map(Painted::new);
        let mut q = lock(&shared.queue);
        #[cfg(test)]
        {
            q.paints += 1;
        }
        let current = q.job.as_ref().is_some_and(|(e, _)| *e == epoch);
        if current && q.requests.finish(tile) {
            q.done.push((epoch, tile, image));
        }
        drop(q);
        ctx.request_repaint();
    }
}

/// A painted tile, unless nothing is on it: such a tile is no texture (a layer over a small
/// part of a view leaves most of its tiles empty; the 100 MB benchmark layer at zoom 5,
/// three quarters of them).
fn seen(image: ColorImage) -> Option<ColorImage> {
    image.pixels.iter().any(|p| p.a() > 0).then_some(image)
}

/// Paints the fills and lines of a layer's features over one tile, as the overlay would draw
/// them at the tile's zoom: fills, then outlines, then lines, in feature order.
pub fn render(state: &TileState, tile: TileId, pixels: u32) -> ColorImage {
    let side = pixels as usize;
    let blank = || ColorImage::new([side, side], vec![Color32::TRANSPARENT; side * side]);
    let Some(mut pixmap) = Pixmap::new(pixels, pixels) else {
        return blank();
    };
    let entry = &state.entry;
    let density = pixels as f32 / TILE as f32;
    let scale = TILE * f64::from(1u32 << tile.z);
    let px_per_unit = f64::from(pixels) * f64::from(1u32 << tile.z);
    let b = tile.bounds();
    let to_px = |p: &[f64; 2]| -> (f32, f32) {
        (
            ((p[0] - b[0]) * px_per_unit) as f32,
            ((p[1] - b[1]) * px_per_unit) as f32,
        )
    };
    // Wide enough for the widest stroke and the biggest site.
    let margin = 32.0 / scale;
    let mut ids: Vec<u32> = entry
        .prepared
        .in_box(
            [b[0] - margin, b[1] - margin],
            [b[2] + margin, b[3] + margin],
        )
        .collect();
    ids.sort_unstable();
    let opacity = entry.style.opacity.clamp(0.0, 1.0);
    let points = tile.z < detail_zoom(entry);
    let shown: Vec<(u32, f32)> = ids
        .into_iter()
        .filter_map(|fi| {
            let pf = entry.prepared.features.get(fi as usize)?;
            if pf.has() == Has::default() && (!points || pf.points().is_empty()) {
                return None;
            }
            if !entry.passes(fi) {
                return None;
            }
            let feature = entry.layer.features.get(fi as usize)?;
            let alpha = match (feature.span, state.time) {
                (Some(span), Some(t)) => {
                    if !t.shown.shows(span) {
                        return None;
                    }
                    1.0 - 0.6 * age_at(span, t.cursor, t.mode)
                }
                _ => 1.0,
            };
            Some((fi, alpha * opacity))
        })
        .collect();

    // 1. Fills, and small polygons as dots. Each feature's rings are made from its geometry
    // once for the tile, and kept for its outline.
    let mut outlines: Vec<(u32, f32, Parts)> = Vec::new();
    for &(fi, alpha) in &shown {
        let pf = &entry.prepared.features[fi as usize];
        if !pf.has_fills() {
            continue;
        }
        let paint = fill_paint(entry, fi, alpha);
        let size = extent(pf, scale);
        if paint.lod && size < 3.0 {
            if let Some(c) = pf.center() {
                let (x, y) = to_px(&c);
                let h = 1.25 * density;
                if let Some(r) = tiny_skia::Rect::from_ltrb(x - h, y - h, x + h, y + h) {
                    pixmap.fill_rect(
                        r,
                        &skia_paint(paint.stroke.color),
                        Transform::identity(),
                        None,
                    );
                }
            }
            continue;
        }
        let parts = entry.parts(fi, false);
        for fill in &parts.fills {
            let mut path = PathBuilder::new();
            for ring in fill.rings() {
                add_ring(&mut path, ring, &|p| to_px(&fill.world(*p)), true);
            }
            if let Some(path) = path.finish() {
                pixmap.fill_path(
                    &path,
                    &skia_paint(paint.fill),
                    FillRule::EvenOdd,
                    Transform::identity(),
                    None,
                );
            }
        }
        if !paint.lod || size >= 24.0 {
            outlines.push((fi, alpha, parts));
        }
    }
    // 2. Their outlines.
    for (fi, alpha, parts) in &outlines {
        let (fi, alpha) = (*fi, *alpha);
        let paint = fill_paint(entry, fi, alpha);
        let mut stroke = line_stroke(paint.stroke.width * density);
        if paint.dashed {
            stroke.dash = StrokeDash::new(vec![6.0 * density, 4.0 * density], 0.0);
        }
        for fill in &parts.fills {
            let mut path = PathBuilder::new();
            for ring in fill.rings() {
                add_ring(&mut path, ring, &|p| to_px(&fill.world(*p)), false);
            }
            if let Some(path) = path.finish() {
                pixmap.stroke_path(
                    &path,
                    &skia_paint(paint.stroke.color),
                    &stroke,
                    Transform::identity(),
                    None,
                );
            }
        }
    }
    // 3. Lines, the disputed border with a white casing.
    for &(fi, alpha) in &shown {
        let pf = &entry.prepared.features[fi as usize];
        if !pf.has_lines() || extent(pf, scale) < 1.5 {
            continue;
        }
        let color = line_paint(entry, fi, alpha);
        let casing = entry.draw.get(fi as usize).is_some_and(|d| d.kg_tj);
        let mut path = PathBuilder::new();
        for line in &entry.parts(fi, false).lines {
            add_ring(&mut path, &line.points, &|p| to_px(&line.world(*p)), false);
        }
        let Some(path) = path.finish() else {
            continue;
        };
        if casing {
            pixmap.stroke_path(
                &path,
                &skia_paint(Color32::from_white_alpha(200)),
                &line_stroke((color.width + 2.5) * density),
                Transform::identity(),
                None,
            );
        }
        pixmap.stroke_path(
            &path,
            &skia_paint(color.color),
            &line_stroke(color.width * density),
            Transform::identity(),
            None,
        );
    }
    // 4. Points, at the zooms where they are thousands: plain discs with a white rim, the
    // biggest first, as the overlay draws them.
    if points {
        let mut sites: Vec<(u32, f32, f32)> = shown
            .iter()
            .filter(|(fi, _)| !entry.prepared.features[*fi as usize].points().is_empty())
            .map(|&(fi, alpha)| {
                let radius = entry.draw.get(fi as usize).map_or(0.0, |d| d.radius());
                (fi, alpha, radius)
            })
            .collect();
        sites.sort_by(|a, b| b.2.total_cmp(&a.2));
        for (fi, alpha, _) in sites {
            let (color, radius) = point_paint(entry, fi);
            for p in entry.prepared.features[fi as usize].points() {
                let (x, y) = to_px(p);
                for (r, c) in [
                    (radius + 0.75, Color32::WHITE),
                    ((radius - 0.75).max(1.0), color.gamma_multiply(0.85)),
                ] {
                    if let Some(path) = PathBuilder::from_circle(x, y, r * density) {
                        pixmap.fill_path(
                            &path,
                            &skia_paint(faded(c, alpha)),
                            FillRule::Winding,
                            Transform::identity(),
                            None,
                        );
                    }
                }
            }
        }
    }
    ColorImage::from_rgba_premultiplied([side, side], pixmap.data())
}

/// Adds a ring or line to `path`, dropping points less than half a pixel from the last.
fn add_ring<P>(
    path: &mut PathBuilder,
    points: &[P],
    to_px: &impl Fn(&P) -> (f32, f32),
    close: bool,
) {
    let mut last: Option<(f32, f32)> = None;
    for (i, p) in points.iter().enumerate() {
        let (x, y) = to_px(p);
        match last {
            None => path.move_to(x, y),
            Some((lx, ly)) => {
                let end = i + 1 == points.len();
                if !end && (x - lx).powi(2) + (y - ly).powi(2) < 0.25 {
                    continue;
                }
                path.line_to(x, y);
            }
        }
        last = Some((x, y));
    }
    if close && last.is_some() {
        path.close();
    }
}

fn line_stroke(width: f32) -> Stroke {
    Stroke {
        width: width.max(0.1),
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }
}

/// A tiny-skia paint of an egui colour (which is premultiplied).
fn skia_paint(c: Color32) -> Paint<'static> {
    let [r, g, b, a] = c.to_srgba_unmultiplied();
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, a);
    paint.anti_alias = true;
    paint
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::geojson::read_geojson;
    use crate::map::tile_queue::{MAX_WAITING, MIN_KEPT, UPLOADS_PER_FRAME};
    use crate::model::dataset::{Dataset, LayerRole};

    /// A layer of one magenta square dated 16 September 2022, over tile 7/89/48.
    fn square() -> LayerEntry {
        let text = r##"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"date":"2022-09-16","fill":"#ff00ff","fill-opacity":1,"stroke":"#ff00ff"},
            "geometry":{"type":"Polygon","coordinates":[[[70.5,39.5],[71.5,39.5],[71.5,40.5],[70.5,40.5],[70.5,39.5]]]}}]}"##;
        let layer = read_geojson(
            text.as_bytes(),
            std::path::Path::new("square.geojson"),
            &Default::default(),
        );
        let mut ds = Dataset::default();
        ds.push(layer, LayerRole::Custom);
        ds.layers.remove(0)
    }

    fn at(t: &str) -> TileTime {
        let cursor: Timestamp = t.parse().unwrap();
        TileTime {
            shown: Shown::Begun(cursor),
            cursor,
            mode: TimeMode::Cumulative,
        }
    }

    /// The tile of zoom 7 that holds 71°E, 40°N.
    fn tile() -> TileId {
        let m = crate::model::geom::mercator(71.0, 40.0);
        TileId {
            z: 7,
            x: (m[0] * 128.0) as u32,
            y: (m[1] * 128.0) as u32,
        }
    }

    /// The pixel of the tile where 71°E, 40°N lies.
    fn centre_pixel(image: &ColorImage) -> Color32 {
        let m = crate::model::geom::mercator(71.0, 40.0);
        let b = tile().bounds();
        let side = image.size[0];
        let x = ((m[0] - b[0]) / (b[2] - b[0]) * side as f64) as usize;
        let y = ((m[1] - b[1]) / (b[3] - b[1]) * side as f64) as usize;
        image.pixels[y * side + x]
    }

    #[test]
    fn a_tile_paints_what_is_shown_at_its_moment() {
        let entry = square();
        let after = render(
            &TileState::new(&entry, at("2022-09-16T12:00:00Z")),
            tile(),
            256,
        );
        let c = centre_pixel(&after);
        assert!(
            c.r() > 230 && c.g() < 30 && c.b() > 230 && c.a() > 230,
            "magenta on the day: {c:?}"
        );
        let before = render(
            &TileState::new(&entry, at("2022-09-01T00:00:00Z")),
            tile(),
            256,
        );
        assert!(
            before.pixels.iter().all(|p| p.a() == 0),
            "nothing before the square's date"
        );
        // Long after, it is faded (60% at most), not gone.
        let later = render(
            &TileState::new(&entry, at("2023-01-01T00:00:00Z")),
            tile(),
            256,
        );
        let c = centre_pixel(&later);
        assert!(c.a() > 60 && c.a() < 160, "faded: {c:?}");
    }

    #[test]
    fn thousands_of_points_are_painted_in_the_tiles_until_a_view_holds_few() {
        // 4,000 points over 1° x 1°: a view of 1600 x 1000 points holds no more than 3,000
        // of them from zoom 11 on.
        let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
        for i in 0..4000 {
            let (lon, lat) = (70.5 + (i % 64) as f64 / 64.0, 39.5 + (i / 64) as f64 / 63.0);
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!(
                r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}"#
            ));
        }
        text.push_str("]}");
        let layer = read_geojson(
            text.as_bytes(),
            std::path::Path::new("points.geojson"),
            &Default::default(),
        );
        let mut ds = Dataset::default();
        ds.push(layer, LayerRole::Custom);
        let entry = ds.layers.remove(0);
        assert_eq!(detail_zoom(&entry), 11);
        let painted = |z: u8| {
            let m = crate::model::geom::mercator(71.0, 40.0);
            let n = f64::from(1u32 << z);
            let tile = TileId {
                z,
                x: (m[0] * n) as u32,
                y: (m[1] * n) as u32,
            };
            let image = render(
                &TileState::new(&entry, at("2022-09-16T12:00:00Z")),
                tile,
                256,
            );
            image.pixels.iter().filter(|p| p.a() > 0).count()
        };
        assert!(painted(9) > 5_000, "points in the tile at zoom 9");
        assert_eq!(painted(11), 0, "the overlay draws them at zoom 11");
        // Few points stay with the overlay at every zoom.
        assert_eq!(detail_zoom(&square()), 0);
    }

    #[test]
    fn after_a_new_moment_the_old_tiles_stand_in_unless_the_view_is_small() {
        let entry = square();
        let ctx = Context::default();
        let mut tiles = LayerTiles::new(&ctx);
        let view = View {
            rect: Rect::from_min_max(pos2(0.0, 0.0), pos2(512.0, 512.0)),
            center: crate::model::geom::mercator(71.0, 40.0),
            scale: TILE * 128.0,
            zoom: 7.0,
        };
        let a = || TileState::new(&entry, at("2022-09-16T12:00:00Z"));
        // Many features in view: no direct drawing; the tiles come from the worker.
        let start = std::time::Instant::now();
        let painted = loop {
            let pieces = tiles
                .pieces(a(), &view, || false)
                .expect("tiles, not direct");
            if tiles.in_progress() == 0 && !pieces.is_empty() {
                break pieces;
            }
            assert!(start.elapsed().as_secs() < 10, "tiles never painted");
            std::thread::sleep(std::time::Duration::from_millis(5));
        };
        let b = || TileState::new(&entry, at("2022-09-20T12:00:00Z"));
        // A new moment: the tiles of the old one stand in while the new ones are painted...
        let stand_ins = tiles.pieces(b(), &view, || false).expect("stand-ins");
        assert_eq!(stand_ins.len(), painted.len());
        // ...unless the view holds few features: then it is drawn directly, exactly.
        assert!(tiles.pieces(b(), &view, || true).is_none());
    }

    /// A square view `side` points wide at zoom 7, `dx` tiles east of 71°E, 40°N.
    fn view_7(side: f32, dx: f64) -> View {
        let home = crate::model::geom::mercator(71.0, 40.0);
        View {
            rect: Rect::from_min_max(pos2(0.0, 0.0), pos2(side, side)),
            center: [home[0] + dx / 128.0, home[1]],
            scale: TILE * 128.0,
            zoom: 7.0,
        }
    }

    /// Asks for `view` frame after frame until every tile of it is a texture.
    fn paint_all(tiles: &mut LayerTiles, state: impl Fn() -> TileState, view: &View) {
        let start = std::time::Instant::now();
        loop {
            let _ = tiles.pieces(state(), view, || false);
            if tiles.in_progress() == 0 {
                break;
            }
            assert!(start.elapsed().as_secs() < 10, "tiles never painted");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    #[test]
    fn the_cache_keeps_half_again_the_view_and_drops_the_tiles_drawn_longest_ago() {
        let entry = square();
        let ctx = Context::default();
        let mut tiles = LayerTiles::new(&ctx);
        let state = || TileState::new(&entry, at("2022-09-16T12:00:00Z"));
        let view_at = |dx: f64| view_7(1024.0, dx);
        // A pan of 30 tiles east (short of the antimeridian), one tile at a time, looking
        // back one tile each time.
        paint_all(&mut tiles, state, &view_at(0.0));
        for step in 1..=30 {
            paint_all(&mut tiles, state, &view_at(step as f64));
            let _ = tiles.pieces(state(), &view_at(step as f64), || false);
            assert!(
                kept(tiles.drawn) > MIN_KEPT,
                "{} tiles in view",
                tiles.drawn
            );
            assert!(
                tiles.cache.len() <= kept(tiles.drawn),
                "{} tiles kept for views of {}",
                tiles.cache.len(),
                tiles.drawn
            );
            // The view before, drawn a frame ago, is all there: nothing to paint again.
            let _ = tiles.pieces(state(), &view_at(step as f64 - 1.0), || false);
            assert_eq!(
                tiles.in_progress(),
                0,
                "step {step}: the view before painted again"
            );
        }
        // The view 30 tiles back is gone: the cache follows the view.
        let _ = tiles.pieces(state(), &view_at(0.0), || false);
        assert!(
            tiles.in_progress() > 0,
            "a view drawn long ago is still kept"
        );
    }

    #[test]
    fn painted_tiles_become_textures_a_few_a_frame_and_the_painter_waits_for_them() {
        let entry = square();
        let ctx = Context::default();
        let mut tiles = LayerTiles::new(&ctx);
        let state = || TileState::new(&entry, at("2022-09-16T12:00:00Z"));
        let view = view_7(2048.0, 0.0);
        let _ = tiles.pieces(state(), &view, || false);
        let in_view = tiles.drawn;
        assert!(in_view > 4 * MAX_WAITING, "{in_view} tiles in view");
        // The painter stops when MAX_WAITING painted tiles wait for their upload.
        let start = std::time::Instant::now();
        while lock(&tiles.shared.queue).done.len() < MAX_WAITING {
            assert!(start.elapsed().as_secs() < 10, "tiles never painted");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        {
            let q = lock(&tiles.shared.queue);
            assert_eq!(q.done.len(), MAX_WAITING, "the painter ran ahead");
            assert_eq!(
                q.requests.len(),
                in_view - MAX_WAITING,
                "the rest still wanted"
            );
        }
        // Each frame makes a few into textures, and the painter goes on.
        let mut frames = 0;
        while tiles.in_progress() > 0 {
            let before = tiles.cache.len();
            let _ = tiles.pieces(state(), &view, || false);
            assert!(tiles.cache.len() - before <= UPLOADS_PER_FRAME);
            frames += 1;
            assert!(frames < 10_000, "tiles never painted");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(tiles.cache.len(), in_view, "every tile of the view");
        assert_eq!(
            lock(&tiles.shared.queue).paints,
            in_view,
            "each painted once"
        );
    }

    #[test]
    fn a_tile_with_nothing_on_it_is_no_texture() {
        let entry = square();
        let state = TileState::new(&entry, at("2022-09-20T00:00:00Z"));
        assert!(
            seen(render(&state, tile(), 64)).is_some(),
            "the square's tile"
        );
        let away = TileId {
            x: tile().x + 3,
            ..tile()
        };
        assert!(seen(render(&state, away, 64)).is_none(), "a tile beside it");
    }

    #[test]
    fn a_new_moment_or_style_makes_the_tiles_stale() {
        let entry = square();
        let a = TileState::new(&entry, at("2022-09-16T12:00:00Z"));
        assert!(a.same(&TileState::new(&entry, at("2022-09-16T12:00:00Z"))));
        assert!(!a.same(&TileState::new(&entry, at("2022-09-17T12:00:00Z"))));
        let mut restyled = entry.clone();
        restyled.style.opacity = 0.5;
        assert!(!a.same(&TileState::new(&restyled, at("2022-09-16T12:00:00Z"))));
    }
}
