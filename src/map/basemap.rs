//! The offline basemap: the bundled countries, lakes and province lines rendered into map
//! tiles by [`super::raster`] on a worker thread, served to walkers as a [`Tiles`] source.
//! It opens no network connection. While a tile renders, a piece of a cached tile of a
//! lower zoom stands in for it, so the map never shows holes while panning or zooming.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use egui::{Color32, ColorImage, Context, Rect, TextureHandle, TextureOptions, pos2};
use walkers::sources::Attribution;
use walkers::{Tile, TileId, TilePiece, Tiles};

use super::raster::{BasemapData, render_tile};
use super::tile_queue::{Requests, kept, lock, take_uploads, touch};

/// Attribution of the bundled basemap data.
pub const ATTRIBUTION: &str =
    "Basemap: © OpenStreetMap contributors (ODbL) · Natural Earth · GeoNames (CC BY 4.0)";

/// Pending requests beyond this are dropped, oldest first.
const MAX_QUEUE: usize = 256;

#[derive(Default)]
struct Queue {
    /// Tiles to render.
    requests: Requests<TileId>,
    /// Rendered, not yet uploaded.
    done: Vec<(TileId, ColorImage)>,
    shutdown: bool,
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

    fn insert(&mut self, tile: TileId, image: ColorImage) {
        let name = format!("basemap/{}/{}/{}", tile.zoom, tile.x, tile.y);
        let texture = self.ctx.load_texture(name, image, TextureOptions::LINEAR);
        if self.cache.insert(tile, texture).is_none() {
            self.order.push_back(tile);
        }
        while self.order.len() > kept(self.drawn.max(self.drawn_before)) {
            if let Some(old) = self.order.pop_front() {
                self.cache.remove(&old);
            }
        }
    }

    fn collect_done(&mut self) {
        let done = take_uploads(&mut lock(&self.shared.queue).done, &self.ctx);
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
        self.collect_done();
        self.drawn += 1;
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
                if let Some(tile) = q.requests.take_next() {
                    break tile;
                }
                q = shared.wake.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let image = to_image(render_tile(data, tile.zoom, tile.x, tile.y, pixels), pixels);
        let mut q = lock(&shared.queue);
        if q.requests.finish(tile) {
            q.done.push((tile, image));
        }
        drop(q);
        ctx.request_repaint();
    }
}
