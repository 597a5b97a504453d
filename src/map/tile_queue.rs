//! The requests of a tile painter that runs on a worker thread (the offline basemap, the
//! tiles of big layers): newest first, each tile once, and the ones a frame no longer wants
//! forgotten before they start.

use std::collections::{HashSet, VecDeque};
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Tiles a painter makes into textures in one frame, at most; the rest wait for the next
/// frames. Each is uploaded through a staging buffer of its size that the renderer keeps
/// until the frame is drawn: after a zoom, 72 at once took 18 MB more, and a software
/// renderer keeps every page it has touched.
pub const UPLOADS_PER_FRAME: usize = 8;

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

/// Tile textures a cache keeps at least.
pub const MIN_KEPT: usize = 32;

/// How many tile textures a cache keeps when a frame draws `drawn` tiles: twice as many,
/// for the zoom level before (stand-ins while zooming) and room to pan back, and at least
/// [`MIN_KEPT`]. A fixed number was too many for a small window (128 basemap tiles and 96
/// for each big layer: 56 MB of textures at 256 pixels, four times that at 512) or too few
/// for a big screen.
pub fn kept(drawn: usize) -> usize {
    (2 * drawn).max(MIN_KEPT)
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
    fn a_cache_keeps_twice_the_tiles_drawn_and_drops_the_least_recently_drawn() {
        assert_eq!(kept(0), MIN_KEPT);
        assert_eq!(kept(30), 60);
        assert_eq!(kept(200), 400);
        let mut order: VecDeque<u32> = (0..5).collect();
        touch(&mut order, &1);
        touch(&mut order, &4);
        touch(&mut order, &9);
        assert_eq!(order, [0, 2, 3, 1, 4]);
        // What is dropped first: not a tile drawn just now.
        assert_eq!(order.front(), Some(&0));
    }
}
