//! The offline basemap: the bundled countries, lakes and province lines rendered into map
//! tiles by [`super::raster`] on a worker thread, served to walkers as a [`Tiles`] source.
//! It opens no network connection. While a tile renders, a piece of a cached tile of a
//! lower zoom stands in for it, so the map never shows holes while panning or zooming.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use egui::{Color32, ColorImage, Context, Rect, TextureHandle, pos2};
use walkers::sources::Attribution;
use walkers::{Tile, TileId, TilePiece, Tiles};

use super::raster::{BasemapData, render_tile};
use super::tile_queue::{
    Painted, Requests, Solids, kept, lock, may_paint, take_uploads, touch, trim,
};

/// Attribution of the bundled basemap data.
pub const ATTRIBUTION: &str =
    "Basemap: © OpenStreetMap contributors (ODbL) · Natural Earth · GeoNames (CC BY 4.0)";

/// Pending requests beyond this are dropped, oldest first.
const MAX_QUEUE: usize = 256;

/// Zooms above the view whose tiles the cache keeps while they are there (see
/// [`OfflineTiles::touch_ancestors`]).
const KEPT_LEVELS_UP: u8 = 2;

#[derive(Default)]
struct Queue {
    /// Tiles to render.
    requests: Requests<TileId>,
    /// Rendered, not yet uploaded.
    done: Vec<(TileId, Painted)>,
    shutdown: bool,
    /// Tiles painted so far.
    #[cfg(test)]
    paints: usize,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

/// A [`Tiles`] source drawing the bundled basemap locally.
pub struct OfflineTiles {
    ctx: Context,
    shared: Arc<Shared>,
    cache: HashMap<TileId, TextureHandle>,
    /// The textures of tiles of one colour.
    solids: Solids,
    /// Least recently drawn first.
    order: VecDeque<TileId>,
    /// The egui pass in which `at` was last called, to drop requests of earlier frames.
    last_pass: u64,
    /// Tiles asked for in that pass, and in the one before: the cache keeps [`kept`] of them.
    drawn: usize,
    drawn_before: usize,
}

impl OfflineTiles {
    /// Starts the renderer thread for `data`.
    pub fn new(ctx: &Context, data: Arc<BasemapData>) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            wake: Condvar::new(),
        });
        let pixels = if ctx.pixels_per_point() > 1.0 {
            512
        } else {
            256
        };
        let worker_shared = Arc::clone(&shared);
        let worker_data = data;
        let worker_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("basemap tiles".into())
            .spawn(move || worker(&worker_shared, &worker_data, &worker_ctx, pixels));
        if let Err(e) = spawned {
            log::error!("cannot start the basemap thread: {e}; tiles render on the UI thread");
        }
        Self {
            ctx: ctx.clone(),
            shared,
            cache: HashMap::new(),
            solids: Solids::default(),
            order: VecDeque::new(),
            last_pass: u64::MAX,
            drawn: 0,
            drawn_before: 0,
        }
    }

    /// Number of tiles still to render or to make into textures.
    pub fn in_progress(&self) -> usize {
        let queue = lock(&self.shared.queue);
        queue.requests.len() + queue.done.len()
    }

    fn insert(&mut self, tile: TileId, painted: Painted) {
        let name = format!("basemap/{}/{}/{}", tile.zoom, tile.x, tile.y);
        let texture = painted.texture(&self.ctx, name, &mut self.solids);
        if self.cache.insert(tile, texture).is_none() {
            self.order.push_back(tile);
        }
        let keep = kept(self.drawn.max(self.drawn_before));
        trim(&mut self.cache, &mut self.order, keep);
    }

    fn collect_done(&mut self) {
        let done = take_uploads(&mut lock(&self.shared.queue).done, &self.ctx);
        if !done.is_empty() {
            self.shared.wake.notify_one(); // The painter may go on.
        }
        for (tile, image) in done {
            self.insert(tile, image);
        }
    }

    fn request(&mut self, tile: TileId) {
        let mut queue = lock(&self.shared.queue);
        if queue.done.iter().any(|(t, _)| *t == tile) {
            return; // Painted, waiting for its upload.
        }
        if queue.requests.request(tile, MAX_QUEUE) {
            self.shared.wake.notify_one();
        }
    }

    /// Forgets requests of earlier frames that have not started: the view has moved on.
    fn new_frame(&mut self) {
        let pass = self.ctx.cumulative_pass_nr();
        if pass != self.last_pass {
            self.last_pass = pass;
            self.drawn_before = std::mem::take(&mut self.drawn);
            lock(&self.shared.queue).requests.forget_waiting();
            if self.drawn_before > 0 {
                trim(&mut self.cache, &mut self.order, kept(self.drawn_before));
            }
            self.collect_done();
        }
    }

    /// Marks the cached tiles of the [`KEPT_LEVELS_UP`] zooms above `tile` as drawn: they
    /// are what stands in for the tiles of the view while zooming in, and the tiles of the
    /// view itself after zooming out, so the cache keeps them rather than the ones left
    /// behind by a pan (a quarter of the view a level: the cache's half again has room).
    fn touch_ancestors(&mut self, tile: TileId) {
        for up in 1..=tile.zoom.min(KEPT_LEVELS_UP) {
            let parent = TileId {
                x: tile.x >> up,
                y: tile.y >> up,
                zoom: tile.zoom - up,
            };
            if self.cache.contains_key(&parent) {
                touch(&mut self.order, &parent);
            }
        }
    }

    /// A piece of a cached tile of a lower zoom that covers `tile`.
    fn fallback(&self, tile: TileId) -> Option<TilePiece> {
        for up in 1..=tile.zoom.min(8) {
            let parent = TileId {
                x: tile.x >> up,
                y: tile.y >> up,
                zoom: tile.zoom - up,
            };
            if let Some(texture) = self.cache.get(&parent) {
                let n = (1u32 << up) as f32;
                let (dx, dy) = (
                    (tile.x - (parent.x << up)) as f32,
                    (tile.y - (parent.y << up)) as f32,
                );
                let uv =
                    Rect::from_min_max(pos2(dx / n, dy / n), pos2((dx + 1.0) / n, (dy + 1.0) / n));
                return Some(TilePiece::new(Tile::Raster(texture.clone()), uv));
            }
        }
        None
    }
}

impl Drop for OfflineTiles {
    fn drop(&mut self) {
        lock(&self.shared.queue).shutdown = true;
        self.shared.wake.notify_all();
    }
}

impl Tiles for OfflineTiles {
    fn at(&mut self, tile: TileId) -> Option<TilePiece> {
        self.new_frame();
        self.drawn += 1;
        self.touch_ancestors(tile);
        if let Some(texture) = self.cache.get(&tile) {
            touch(&mut self.order, &tile);
            let full = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
            return Some(TilePiece::new(Tile::Raster(texture.clone()), full));
        }
        self.request(tile);
        self.fallback(tile)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: ATTRIBUTION,
            url: "https://www.openstreetmap.org/copyright",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.in_progress(),
        }
    }
}

fn to_image(rgba: Vec<u8>, pixels: u32) -> ColorImage {
    let side = pixels as usize;
    if rgba.len() == side * side * 4 {
        ColorImage::from_rgba_unmultiplied([side, side], &rgba)
    } else {
        ColorImage::new([side, side], vec![Color32::from_gray(200); side * side])
    }
}

fn worker(shared: &Shared, data: &BasemapData, ctx: &Context, pixels: u32) {
    loop {
        let tile = {
            let mut q = lock(&shared.queue);
            loop {
                if q.shutdown {
                    return;
                }
                if may_paint(q.done.len())
                    && let Some(tile) = q.requests.take_next()
                {
                    break tile;
                }
                q = shared.wake.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let image = to_image(render_tile(data, tile.zoom, tile.x, tile.y, pixels), pixels);
        let painted = Painted::new(image);
        let mut q = lock(&shared.queue);
        #[cfg(test)]
        {
            q.paints += 1;
        }
        if q.requests.finish(tile) {
            q.done.push((tile, painted));
        }
        drop(q);
        ctx.request_repaint();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::scene::Basemap;
    use crate::map::tile_queue::{MAX_WAITING, UPLOADS_PER_FRAME};

    /// A new egui pass, as a frame begins.
    fn next_frame(ctx: &Context) {
        let _ = ctx.run_ui(egui::RawInput::default(), |_| {});
    }

    /// The tiles of zoom `z` in a `side` by `side` square around 72°E, 40.5°N.
    fn square(z: u8, side: u32) -> Vec<TileId> {
        let m = crate::model::geom::mercator(72.0, 40.5);
        let n = f64::from(1u32 << z);
        let (cx, cy) = ((m[0] * n) as u32, (m[1] * n) as u32);
        (0..side * side)
            .map(|i| TileId {
                x: cx + i % side - side / 2,
                y: cy + i / side - side / 2,
                zoom: z,
            })
            .collect()
    }

    #[test]
    fn a_frame_makes_a_few_painted_tiles_into_textures_and_the_painter_waits_for_them() {
        let ctx = Context::default();
        let mut tiles = Basemap::bundled(&ctx).tiles;
        let view = square(7, 6);
        next_frame(&ctx);
        for &tile in &view {
            assert!(tiles.at(tile).is_none(), "nothing painted yet");
        }
        let start = std::time::Instant::now();
        while lock(&tiles.shared.queue).done.len() < MAX_WAITING {
            assert!(start.elapsed().as_secs() < 20, "tiles never painted");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert_eq!(
            lock(&tiles.shared.queue).done.len(),
            MAX_WAITING,
            "the painter ran ahead of the uploads"
        );
        // A frame asks for every tile of the view, and makes a few of them textures.
        let mut frames = 0;
        while tiles.cache.len() < view.len() {
            next_frame(&ctx);
            let before = tiles.cache.len();
            for &tile in &view {
                let _ = tiles.at(tile);
            }
            assert!(
                tiles.cache.len() - before <= UPLOADS_PER_FRAME,
                "{} textures made in one frame",
                tiles.cache.len() - before
            );
            frames += 1;
            assert!(frames < 10_000, "tiles never painted");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert_eq!(
            lock(&tiles.shared.queue).paints,
            view.len(),
            "each painted once"
        );
    }

    #[test]
    fn a_tile_of_one_colour_is_a_texture_of_one_pixel() {
        let ctx = Context::default();
        let mut tiles = Basemap::bundled(&ctx).tiles;
        // Zoom 14 in the Fergana valley: mostly fields of one colour; zoom 5: a map.
        let deep = square(14, 4);
        let wide = square(5, 1);
        let want: Vec<TileId> = deep.iter().chain(&wide).copied().collect();
        let start = std::time::Instant::now();
        while tiles.cache.len() < want.len() {
            assert!(start.elapsed().as_secs() < 20, "tiles never painted");
            next_frame(&ctx);
            for &tile in &want {
                let _ = tiles.at(tile);
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        let texture = |tile: &TileId| tiles.cache[tile].clone();
        assert_eq!(
            texture(&wide[0]).size(),
            [256, 256],
            "a map of many colours"
        );
        let solid: Vec<_> = deep
            .iter()
            .filter(|t| {
                let rgba = render_tile(&tiles_data(), t.zoom, t.x, t.y, 256);
                rgba.chunks(4).all(|p| p == &rgba[..4])
            })
            .collect();
        assert!(
            solid.len() >= 8,
            "{} of 16 tiles of one colour",
            solid.len()
        );
        for tile in &deep {
            let one_colour = solid.contains(&tile);
            let size = texture(tile).size();
            assert_eq!(size == [1, 1], one_colour, "{tile:?}: {size:?}");
        }
    }

    /// Draws `view` frame after frame until every tile of it is a texture.
    fn paint_all(tiles: &mut OfflineTiles, ctx: &Context, view: &[TileId]) {
        let start = std::time::Instant::now();
        while !view.iter().all(|t| tiles.cache.contains_key(t)) {
            assert!(start.elapsed().as_secs() < 20, "tiles never painted");
            next_frame(ctx);
            for &tile in view {
                let _ = tiles.at(tile);
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    #[test]
    fn the_tiles_a_zoom_above_the_view_are_kept_to_stand_in_and_to_zoom_out_to() {
        let ctx = Context::default();
        let mut tiles = Basemap::bundled(&ctx).tiles;
        let above = square(6, 2);
        let elsewhere: Vec<TileId> = square(6, 4)
            .into_iter()
            .map(|t| TileId { x: t.x + 8, ..t })
            .collect();
        let view: Vec<TileId> = above
            .iter()
            .flat_map(|t| {
                (0..4).map(move |i| TileId {
                    x: t.x * 2 + i % 2,
                    y: t.y * 2 + i / 2,
                    zoom: 7,
                })
            })
            .collect();
        paint_all(&mut tiles, &ctx, &above);
        paint_all(&mut tiles, &ctx, &elsewhere);
        // Zoomed in: the view's 16 tiles are drawn after the 20 of zoom 6; 24 are kept.
        paint_all(&mut tiles, &ctx, &view);
        next_frame(&ctx);
        assert_eq!(tiles.cache.len(), kept(view.len()));
        for tile in &above {
            assert!(tiles.cache.contains_key(tile), "{tile:?} dropped");
        }
    }

    /// The bundled basemap's data, as [`Basemap::bundled`] makes it.
    fn tiles_data() -> BasemapData {
        crate::map::scene::bundled_basemap_data()
    }
}
