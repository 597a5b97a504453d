//! The requests of a tile painter that runs on a worker thread (the offline basemap, the
//! tiles of big layers): newest first, each tile once, and the ones a frame no longer wants
//! forgotten before they start. And what bounds the memory of its tiles: a few made into
//! textures a frame, the painter waiting while a few painted ones wait for that, tiles of one
//! colour drawn from one shared pixel, and a cache that keeps half as many again as a view
//! draws, least recently drawn out first.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

use egui::TextureHandle;

/// Tiles a cache makes into textures in one frame, at most; the rest wait for the next
/// frames. Each is uploaded through a staging buffer of its size that the renderer keeps
/// until the frame is drawn: after a zoom, 72 at once took 18 MB more, and a software
/// renderer keeps every page it has touched. 2 a frame fill a view of 30 tiles in 1.5 s at
/// the 10 frames a second of this machine's software renderer while zooming (a piece of a
/// tile of the zoom before stands in meanwhile), and in a quarter of a second at 60 frames a
/// second; over a session of wheel zooming, 4 took 2–5 MB more and 8 took 8–15 MB more.
pub const UPLOADS_PER_FRAME: usize = 2;

/// The first [`UPLOADS_PER_FRAME`] of `done`, taken out; asks for another frame when more
/// are left. (A tile waiting here must not be asked for again: see the painters' `request`.)
pub fn take_uploads<T>(done: &mut Vec<T>, ctx: &egui::Context) -> Vec<T> {
    let n = done.len().min(UPLOADS_PER_FRAME);
    let now: Vec<T> = done.drain(..n).collect();
    if !done.is_empty() {
        ctx.request_repaint();
    }
    now
}

/// Painted tiles that may wait for their upload: a painter stops while this many wait, so
/// that it does not run ahead of the uploads (over a session of wheel zooming, 48 painted
/// tiles waited at times, 12 MB) and paints only what a frame still wants when it goes on.
/// A cache wakes its painter when it takes some ([`take_uploads`] says so).
pub const MAX_WAITING: usize = 2 * UPLOADS_PER_FRAME;

/// True when a painter may paint another tile with `waiting` painted tiles not yet uploaded.
pub fn may_paint(waiting: usize) -> bool {
    waiting < MAX_WAITING
}

/// A painted tile as it waits for its upload: its pixels, or the one colour of a tile that
/// has one (land or a polygon's inside at a deep zoom: from zoom 13 every basemap tile of
/// the conflict area). Such a tile is drawn with a one-pixel texture shared by every tile
/// of its colour ([`Solids`]), as Chromium's compositor draws solid-colour tiles: a tile of
/// 256 pixels is 256 KB of texture and as much of staging buffer otherwise.
pub enum Painted {
    /// Its pixels.
    Pixels(egui::ColorImage),
    /// Its one colour.
    Solid(egui::Color32),
}

impl Painted {
    /// `image`, or its colour when every pixel has that one.
    pub fn new(image: egui::ColorImage) -> Self {
        match image.pixels.split_first() {
            Some((first, rest)) if rest.iter().all(|p| p == first) => Self::Solid(*first),
            _ => Self::Pixels(image),
        }
    }

    /// Its texture: made from its pixels, or the shared one of its colour.
    pub fn texture(self, ctx: &egui::Context, name: String, solids: &mut Solids) -> TextureHandle {
        match self {
            Self::Pixels(image) => ctx.load_texture(name, image, egui::TextureOptions::LINEAR),
            Self::Solid(colour) => solids.texture(ctx, colour),
        }
    }
}

/// The one-pixel textures of tiles of one colour, one per colour. A tile holds a handle of
/// its colour's texture; the texture goes when the last tile of that colour has gone and
/// the table has been cleared (past [`Solids::MAX`] colours, a layer styled by a property).
#[derive(Default)]
pub struct Solids {
    textures: HashMap<egui::Color32, TextureHandle>,
}

impl Solids {
    /// Colours remembered at most.
    const MAX: usize = 64;

    /// The texture of `colour`.
    pub fn texture(&mut self, ctx: &egui::Context, colour: egui::Color32) -> TextureHandle {
        if !self.textures.contains_key(&colour) && self.textures.len() >= Self::MAX {
            self.textures.clear();
        }
        self.textures
            .entry(colour)
            .or_insert_with(|| {
                let [r, g, b, a] = colour.to_array();
                ctx.load_texture(
                    format!("solid tile {r:02x}{g:02x}{b:02x}{a:02x}"),
                    egui::ColorImage::new([1, 1], vec![colour]),
                    egui::TextureOptions::LINEAR,
                )
            })
            .clone()
    }
}

/// Tile textures a cache keeps at least.
pub const MIN_KEPT: usize = 16;

/// How many tile textures a cache keeps when a frame draws `drawn` tiles: half as many
/// again, for the zoom level before (stand-ins while zooming) and room to pan back, and at
/// least [`MIN_KEPT`]. A fixed number was too many for a small window (128 basemap tiles and
/// 96 for each big layer: 56 MB of textures at 256 pixels, four times that at 512) or too
/// few for a big screen; twice the view held 121 textures (31 MB) over a session of wheel
/// zooming, which a software renderer keeps resident.
pub fn kept(drawn: usize) -> usize {
    (drawn + drawn / 2).max(MIN_KEPT)
}

/// Drops the tiles of `cache` drawn longest ago (the front of `order`) past `keep`.
pub fn trim<T: Eq + Hash, V>(cache: &mut HashMap<T, V>, order: &mut VecDeque<T>, keep: usize) {
    while order.len() > keep {
        if let Some(old) = order.pop_front() {
            cache.remove(&old);
        }
    }
}

/// Marks `tile` as drawn now: it moves to the back of `order`, dropped last.
pub fn touch<T: PartialEq>(order: &mut VecDeque<T>, tile: &T) {
    if order.back() != Some(tile)
        && let Some(i) = order.iter().position(|t| t == tile)
        && let Some(t) = order.remove(i)
    {
        order.push_back(t);
    }
}

/// Tiles wanted, and those wanted or painting.
#[derive(Debug)]
pub struct Requests<T> {
    /// Not yet started, newest last (painted first).
    wanted: Vec<T>,
    /// Wanted or painting.
    pending: HashSet<T>,
}

impl<T> Default for Requests<T> {
    fn default() -> Self {
        Self {
            wanted: Vec::new(),
            pending: HashSet::new(),
        }
    }
}

impl<T: Copy + Eq + Hash> Requests<T> {
    /// Asks for `tile`; past `max` requests waiting, the oldest is dropped. True when it was
    /// not asked for already (the worker should wake).
    pub fn request(&mut self, tile: T, max: usize) -> bool {
        if !self.pending.insert(tile) {
            return false;
        }
        self.wanted.push(tile);
        if self.wanted.len() > max {
            let stale = self.wanted.remove(0);
            self.pending.remove(&stale);
        }
        true
    }

    /// Forgets the requests not yet started: the view has moved on.
    pub fn forget_waiting(&mut self) {
        for tile in std::mem::take(&mut self.wanted) {
            self.pending.remove(&tile);
        }
    }

    /// Forgets every request, started or not.
    pub fn clear(&mut self) {
        self.wanted.clear();
        self.pending.clear();
    }

    /// The next tile to paint, the newest asked for.
    pub fn take_next(&mut self) -> Option<T> {
        self.wanted.pop()
    }

    /// Marks `tile` painted; false when it was forgotten meanwhile (its picture is not wanted).
    pub fn finish(&mut self, tile: T) -> bool {
        self.pending.remove(&tile)
    }

    /// Tiles wanted or painting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// True when nothing is wanted or painting.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

/// Locks a queue shared with a worker. A panic in the worker cannot leave it half-updated
/// (each change is made under one lock): take it as it is.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_once_each_and_forgotten_when_the_view_moves() {
        let mut r = Requests::default();
        assert!(r.request(1, 3));
        assert!(!r.request(1, 3), "asked once");
        assert!(r.request(2, 3));
        assert_eq!(r.take_next(), Some(2), "newest first");
        assert!(r.request(3, 3) && r.request(4, 3) && r.request(5, 3));
        // Four waiting with room for three: the oldest (1) is dropped.
        assert_eq!(r.len(), 4, "2 painting, 3, 4 and 5 waiting");
        r.forget_waiting();
        assert_eq!(r.take_next(), None);
        assert!(r.finish(2), "the one painting is still wanted");
        assert!(!r.finish(4), "forgotten");
        assert!(r.is_empty());
    }

    #[test]
    fn a_cache_keeps_half_again_the_tiles_drawn_and_drops_the_least_recently_drawn() {
        assert_eq!(kept(0), MIN_KEPT);
        assert_eq!(kept(30), 45);
        assert_eq!(kept(200), 300);
        let mut order: VecDeque<u32> = (0..5).collect();
        touch(&mut order, &1);
        touch(&mut order, &4);
        touch(&mut order, &9);
        assert_eq!(order, [0, 2, 3, 1, 4]);
        // What is dropped first: not a tile drawn just now.
        assert_eq!(order.front(), Some(&0));
    }

    #[test]
    fn a_tile_of_one_colour_is_one_pixel_shared_by_every_tile_of_that_colour() {
        use egui::{Color32, ColorImage};
        let ctx = egui::Context::default();
        let mut solids = Solids::default();
        let land = Color32::from_rgb(240, 230, 200);
        let field = ColorImage::new([256, 256], vec![land; 256 * 256]);
        assert!(matches!(Painted::new(field.clone()), Painted::Solid(c) if c == land));
        let mut marked = field.clone();
        marked.pixels[256 * 256 - 1] = Color32::WHITE;
        assert!(
            matches!(Painted::new(marked.clone()), Painted::Pixels(_)),
            "one pixel differs"
        );
        let a = Painted::new(field.clone()).texture(&ctx, "a".into(), &mut solids);
        let b = Painted::new(field).texture(&ctx, "b".into(), &mut solids);
        assert_eq!(a.size(), [1, 1]);
        assert_eq!(a.id(), b.id(), "one texture for both");
        let c = Painted::new(marked).texture(&ctx, "c".into(), &mut solids);
        assert_eq!(c.size(), [256, 256]);
        assert_ne!(c.id(), a.id());
        let water = Painted::Solid(Color32::BLUE).texture(&ctx, "d".into(), &mut solids);
        assert_ne!(water.id(), a.id(), "one texture a colour");
    }
}
