//! Big point layers as clusters, kept between frames: the layer's points around the view are
//! counted in cells of a grid fixed to the world at each whole zoom level, so panning and
//! zooming within a level only move the circles, and moving the time cursor forward or back
//! (cumulative mode: playing) only adds or takes away the points that start in between. A
//! frame then costs the cells on screen, not the million points behind them.
//!
//! The grid is rebuilt when the zoom level, the layers or the region change (a region three
//! views wide, so panning rarely leaves it), and recounted in window mode when the time moves.
//! In the window, a layer of [`BACKGROUND_POINTS`] points or more bins its points for a new
//! level or region on a worker thread ([`Clusters`]), the grid before standing in, so that
//! zooming through the levels of a million points never stops a frame.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use jiff::Timestamp;

use crate::model::dataset::LayerEntry;
use crate::time::TimeSpan;

/// A fast hasher for cell positions (a multiply and a rotate per word; the keys are not
/// chosen by anyone who could make them collide on purpose — they are grid positions).
#[derive(Default)]
struct CellHasher(u64);

impl Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_i32(&mut self, v: i32) {
        self.write_u64(v as u32 as u64);
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Cells = HashMap<(i32, i32), Cell, BuildHasherDefault<CellHasher>>;

/// Side of a cluster's cell at its zoom level, in screen points.
pub const CLUSTER_CELL: f32 = 56.0;

/// A layer of more points than this is drawn as clusters where it is dense.
pub const DENSE_POINTS: usize = 20_000;

/// In view, a clustered layer's points are drawn one by one when there are no more than
/// this (and no more than [`DENSE_POINTS`] around it): as many as the overlay draws within a
/// frame's budget (20,000 drawn one by one took 40-55 ms a frame).
pub const FEW_POINTS: usize = super::paint::DETAILED_SITES;

/// What the counts of a grid reflect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Everything that has begun by this instant (cumulative mode).
    Begun(Timestamp),
    /// Everything that overlaps this interval (window mode).
    Overlapping(Timestamp, Timestamp),
}

impl Shown {
    /// True when a feature of this span is shown.
    pub fn shows(self, span: TimeSpan) -> bool {
        match self {
            Self::Begun(to) => span.start() <= to,
            Self::Overlapping(from, to) => span.start() <= to && span.end() >= from,
        }
    }
}

/// The points of one cell: how many are shown, the sum of their positions (for the centre)
/// and the box of every point that has been in it (for zooming in).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    /// Points shown.
    pub count: u32,
    /// Sum of their mercator positions.
    sum: [f64; 2],
    /// Mercator box `[min x, min y, max x, max y]` of its points.
    pub bbox: [f64; 4],
}

impl Default for Cell {
    fn default() -> Self {
        Self {
            count: 0,
            sum: [0.0, 0.0],
            bbox: [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
        }
    }
}

impl Cell {
    fn add(&mut self, p: [f64; 2]) {
        self.count += 1;
        self.sum[0] += p[0];
        self.sum[1] += p[1];
        self.bbox = [
            self.bbox[0].min(p[0]),
            self.bbox[1].min(p[1]),
            self.bbox[2].max(p[0]),
            self.bbox[3].max(p[1]),
        ];
    }

    fn remove(&mut self, p: [f64; 2]) {
        self.count = self.count.saturating_sub(1);
        self.sum[0] -= p[0];
        self.sum[1] -= p[1];
    }

    /// The mean of its points, in mercator.
    pub fn center(&self) -> [f64; 2] {
        let n = f64::from(self.count.max(1));
        [self.sum[0] / n, self.sum[1] / n]
    }
}

/// One dense layer's clusters around the view.
#[derive(Debug)]
pub struct ClusterGrid {
    /// Whole zoom level of the grid.
    level: i32,
    /// The dataset generation it was built for.
    generation: u64,
    /// Mercator box it covers.
    region: [f64; 4],
    /// False when the region holds too few points to cluster: they are drawn one by one.
    pub dense: bool,
    /// What the counts reflect.
    shown: Shown,
    /// Cells by position in the grid.
    cells: Cells,
    /// The region's dated points by start: (feature, point), the feature's span read from
    /// the layer (24 bytes a point; copying the span too took 40, and a grid standing in
    /// while the next is made holds its list too: 56 MB of a zoom session over a million
    /// points). Empty when the grid covers the whole layer: its events are then read in
    /// place, in the layer's own time order.
    dated: Vec<(u32, [f64; 2])>,
    /// The grid covers the whole layer.
    whole: bool,
    /// The region's timeless points.
    timeless: Vec<[f64; 2]>,
    /// The cells of other levels at the same region and time, kept for zooming back: a
    /// level is then found again, or made from a finer one by merging its cells, without
    /// binning every point again.
    kept: Vec<(i32, Cells)>,
}

/// The span of feature `fi` (a grid's own dated points are of features that have one).
fn span_of(entry: &LayerEntry, fi: u32) -> Option<TimeSpan> {
    entry.layer.features.get(fi as usize).and_then(|f| f.span)
}

/// A grid's dated points in start order: its own list, or the whole layer's events.
enum Dated<'a> {
    Own(&'a [(u32, [f64; 2])], &'a LayerEntry),
    Layer(&'a LayerEntry),
}

impl Dated<'_> {
    fn of<'a>(whole: bool, own: &'a [(u32, [f64; 2])], entry: &'a LayerEntry) -> Dated<'a> {
        if whole {
            Dated::Layer(entry)
        } else {
            Dated::Own(own, entry)
        }
    }

    /// How many of them (events for a layer, points for a list) start by `t`.
    fn begun(&self, t: Timestamp) -> usize {
        match self {
            Dated::Own(d, e) => {
                d.partition_point(|d| span_of(e, d.0).is_some_and(|s| s.start() <= t))
            }
            Dated::Layer(e) => e.by_start.partition_point(|&i| {
                e.dated_span(i as usize)
                    .is_some_and(|(_, span)| span.start() <= t)
            }),
        }
    }

    fn len(&self) -> usize {
        match self {
            Dated::Own(d, _) => d.len(),
            Dated::Layer(e) => e.by_start.len(),
        }
    }

    /// Each point of the positions `range`, with its span.
    fn each(&self, range: std::ops::Range<usize>, mut f: impl FnMut(TimeSpan, [f64; 2])) {
        match self {
            Dated::Own(d, e) => {
                for &(fi, p) in d.get(range).unwrap_or_default() {
                    if let Some(span) = span_of(e, fi) {
                        f(span, p);
                    }
                }
            }
            Dated::Layer(e) => {
                for &i in e.by_start.get(range).unwrap_or_default() {
                    let Some((fi, span)) = e.dated_span(i as usize).filter(|(fi, _)| e.passes(*fi))
                    else {
                        continue;
                    };
                    if let Some(pf) = e.prepared.features.get(fi as usize) {
                        for &p in pf.points() {
                            f(span, p);
                        }
                    }
                }
            }
        }
    }
}

/// Levels whose cells a grid keeps.
const KEPT_LEVELS: usize = 24;

/// The cells of `level` made from those of a finer level: a cell's four quarters one level
/// down are its children (the grid is fixed to the world and halves at each level).
fn merged(finer: &Cells, finer_level: i32, level: i32) -> Cells {
    let k = finer_level - level;
    let mut cells = Cells::default();
    for (&(x, y), c) in finer {
        let into = cells.entry((x >> k, y >> k)).or_default();
        into.count += c.count;
        into.sum[0] += c.sum[0];
        into.sum[1] += c.sum[1];
        into.bbox = [
            into.bbox[0].min(c.bbox[0]),
            into.bbox[1].min(c.bbox[1]),
            into.bbox[2].max(c.bbox[2]),
            into.bbox[3].max(c.bbox[3]),
        ];
    }
    cells
}

/// The region a grid covers for a view: three views wide, within the layer's extent.
fn region_of(entry: &LayerEntry, view: [f64; 4]) -> [f64; 4] {
    let (w, h) = (view[2] - view[0], view[3] - view[1]);
    within(
        [view[0] - w, view[1] - h, view[2] + w, view[3] + h],
        extent(entry),
    )
}

/// The mercator box `view` seen at `zoom` as it is at the whole zoom below (as wide as it
/// gets at that level), about the same centre.
fn widest(view: [f64; 4], zoom: f64) -> [f64; 4] {
    let k = 2f64.powf((zoom - zoom.floor()).clamp(0.0, 1.0)) / 2.0;
    let (cx, cy) = ((view[0] + view[2]) / 2.0, (view[1] + view[3]) / 2.0);
    let (hw, hh) = ((view[2] - view[0]) * k, (view[3] - view[1]) * k);
    [cx - hw, cy - hh, cx + hw, cy + hh]
}

/// The mercator box of the layer's features (everything when it has none).
fn extent(entry: &LayerEntry) -> [f64; 4] {
    entry
        .prepared
        .tree
        .extent()
        .unwrap_or([f64::MIN, f64::MIN, f64::MAX, f64::MAX])
}

/// The part of box `a` within box `b` (empty: min above max).
fn within(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// Mercator size of a cell at a zoom level.
pub fn cell_size(level: i32) -> f64 {
    f64::from(CLUSTER_CELL) / (256.0 * 2f64.powi(level))
}

/// The cell of a mercator point at a zoom level.
pub fn cell_of(p: [f64; 2], level: i32) -> (i32, i32) {
    let size = cell_size(level);
    ((p[0] / size).floor() as i32, (p[1] / size).floor() as i32)
}

/// Point layers with at least this many points make their grids on a worker thread in the
/// window: binning them takes longer than a frame. (Smaller ones, and every export, make
/// them at once.)
pub const BACKGROUND_POINTS: usize = 100_000;

/// What a grid needs for a new view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// The same level and region: only the time, if it moved.
    Show,
    /// The same points at another level, whose cells are kept or merged from finer ones.
    Merge,
    /// The same points at another level, binned again.
    Rebin,
    /// Other points: the tree is asked for those of the new region.
    Build,
}

/// A layer's clusters in one view: the grid drawn and, for a layer of at least
/// [`BACKGROUND_POINTS`] points in the window, the grid being made on a worker thread for a
/// new level or region, while the one before stands in (as a tile of another level stands
/// in while its own is painted).
#[derive(Debug, Default)]
pub struct Clusters {
    /// The grid drawn (possibly of another level or region while a new one is made).
    pub grid: Option<ClusterGrid>,
    /// The grid being made.
    making: Option<Receiver<ClusterGrid>>,
    /// The grid standing in is sparse and of a finer level than the view: its points are
    /// not drawn one by one over a view that much wider (zoomed out fast from a few points
    /// to a million) until the new grid is made.
    hidden: bool,
}

/// Called by a worker when a grid is made (the window repaints).
pub type Wake = Arc<dyn Fn() + Send + Sync>;

impl Clusters {
    /// Takes a grid made since, then follows the view and the time: at once when that is
    /// cheap or when `wake` is `None` (exports), else on a worker thread that calls `wake`
    /// when done (one at a time: a view that moved on is served by the next).
    pub fn update(
        &mut self,
        entry: &LayerEntry,
        generation: u64,
        zoom: f64,
        view: [f64; 4],
        shown: Shown,
        wake: Option<&Wake>,
    ) {
        if let Some(making) = &self.making {
            match making.try_recv() {
                Ok(grid) => {
                    self.making = None;
                    if grid.generation == generation {
                        self.grid = Some(grid);
                    }
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.making = None,
            }
        }
        let level = zoom.floor() as i32;
        // The grid serves the whole level: judged (few points in view or not) and its region
        // chosen for the view zoomed out to the level's whole zoom, up to twice as wide, so
        // that zooming out within the level never finds four times the points in view.
        let view = widest(view, zoom);
        let wake = wake.filter(|_| entry.prepared.point_features.len() >= BACKGROUND_POINTS);
        let step = ClusterGrid::step(self.grid.as_ref(), entry, generation, level, view);
        let Some(wake) = wake.filter(|_| matches!(step, Step::Rebin | Step::Build)) else {
            self.hidden = false;
            ClusterGrid::update(&mut self.grid, entry, generation, zoom, view, shown);
            return;
        };
        if self.making.is_none() {
            let (tx, rx) = std::sync::mpsc::channel();
            let (owned, wake) = (entry.clone(), Arc::clone(wake));
            let spawned = std::thread::Builder::new()
                .name("clusters".into())
                .spawn(move || {
                    let _ = tx.send(ClusterGrid::build(&owned, generation, level, view, shown));
                    wake();
                });
            match spawned {
                Ok(_) => self.making = Some(rx),
                // No thread to be had: made here.
                Err(_) => {
                    self.hidden = false;
                    ClusterGrid::update(&mut self.grid, entry, generation, zoom, view, shown);
                    return;
                }
            }
        }
        // The grid standing in follows the time (a stale one is drawn as it is), and a finer
        // one is merged to the view's level from its cells (cheap), so that zooming out does
        // not draw a circle for each of its small cells meanwhile.
        self.hidden = false;
        if let Some(g) = self.grid.as_mut().filter(|g| g.generation == generation) {
            g.show(entry, shown);
            if g.level > level {
                if !g.dense {
                    self.hidden = true;
                } else if !g.cells.is_empty() {
                    g.rebin(entry, level);
                }
            }
        }
    }

    /// True while a grid is being made.
    pub fn making(&self) -> bool {
        self.making.is_some()
    }

    /// True when the layer is drawn as clusters: its grid is dense, or it has none yet while
    /// one is made, or none that serves so wide a view (its points are then not drawn one by
    /// one meanwhile).
    pub fn dense(&self) -> bool {
        match &self.grid {
            Some(g) => g.dense || self.hidden,
            None => self.making.is_some(),
        }
    }
}

impl ClusterGrid {
    /// What `grid` needs to serve a view at `level` seeing the mercator box `view`.
    fn step(
        grid: Option<&ClusterGrid>,
        entry: &LayerEntry,
        generation: u64,
        level: i32,
        view: [f64; 4],
    ) -> Step {
        let Some(g) = grid.filter(|g| g.generation == generation) else {
            return Step::Build;
        };
        // The part of the view where the layer has points must be in the grid's region.
        let need = within(view, extent(entry));
        let covers = need[0] > need[2]
            || need[1] > need[3]
            || (g.region[0] <= need[0]
                && g.region[1] <= need[1]
                && g.region[2] >= need[2]
                && g.region[3] >= need[3]);
        if covers && g.level == level {
            Step::Show
        } else if covers && g.region == region_of(entry, view) {
            if !g.dense || g.kept.iter().any(|(l, _)| *l >= level) {
                Step::Merge
            } else {
                Step::Rebin
            }
        } else {
            Step::Build
        }
    }

    /// The grid of `entry` (at `generation` of the dataset) for a view at `zoom` seeing the
    /// mercator box `view`, at `shown`: kept when it still serves, else updated or rebuilt.
    pub fn update(
        grid: &mut Option<ClusterGrid>,
        entry: &LayerEntry,
        generation: u64,
        zoom: f64,
        view: [f64; 4],
        shown: Shown,
    ) {
        let level = zoom.floor() as i32;
        match (
            Self::step(grid.as_ref(), entry, generation, level, view),
            grid,
        ) {
            (Step::Show, Some(g)) => g.show(entry, shown),
            // Zoomed out or in over the same points (the whole layer, say): the points are
            // kept, only the cells are made again.
            (Step::Merge | Step::Rebin, Some(g)) => {
                g.show(entry, shown);
                g.rebin(entry, level);
            }
            (_, grid) => *grid = Some(Self::build(entry, generation, level, view, shown)),
        }
    }

    /// Counts the shown points again in the cells of another level: cells kept from an
    /// earlier visit of the level, else merged from a finer level's, else binned point by
    /// point.
    fn rebin(&mut self, entry: &LayerEntry, level: i32) {
        let old = std::mem::take(&mut self.cells);
        if self.dense && level != self.level && !old.is_empty() {
            self.kept.retain(|(l, _)| *l != self.level);
            self.kept.push((self.level, old));
            if self.kept.len() > KEPT_LEVELS {
                self.kept.remove(0);
            }
        }
        self.level = level;
        if !self.dense {
            return;
        }
        if let Some(i) = self.kept.iter().position(|(l, _)| *l == level) {
            self.cells = self.kept.remove(i).1;
            return;
        }
        if let Some((finer, cells)) = self
            .kept
            .iter()
            .filter(|(l, _)| *l > level)
            .min_by_key(|(l, _)| *l)
        {
            self.cells = merged(cells, *finer, level);
            return;
        }
        for &p in &self.timeless {
            self.cells.entry(cell_of(p, level)).or_default().add(p);
        }
        let shown = self.shown;
        let dated = Dated::of(self.whole, &self.dated, entry);
        let cells = &mut self.cells;
        dated.each(0..dated.len(), |span, p| {
            if shown.shows(span) {
                cells.entry(cell_of(p, level)).or_default().add(p);
            }
        });
    }

    fn build(
        entry: &LayerEntry,
        generation: u64,
        level: i32,
        view: [f64; 4],
        shown: Shown,
    ) -> Self {
        let region = region_of(entry, view);
        let mut grid = Self {
            level,
            generation,
            region,
            dense: false,
            shown,
            cells: Cells::default(),
            dated: Vec::new(),
            whole: false,
            timeless: Vec::new(),
            kept: Vec::new(),
        };
        let prepared = &entry.prepared;
        let inside = |p: &[f64; 2]| {
            (region[0]..=region[2]).contains(&p[0]) && (region[1]..=region[3]).contains(&p[1])
        };
        let points = |fi: u32| {
            prepared
                .features
                .get(fi as usize)
                .map_or(&[][..], |f| f.points())
        };
        let all = extent(entry);
        let features = &entry.layer.features;
        let mut dated_points = 0;
        let seen = |p: &[f64; 2]| {
            (view[0]..=view[2]).contains(&p[0]) && (view[1]..=view[3]).contains(&p[1])
        };
        let mut in_view = 0;
        if region == all {
            // The whole layer: read in place, in its own time order.
            grid.whole = true;
            for fi in prepared.point_features.iter() {
                if !entry.passes(fi) {
                    continue;
                }
                in_view += points(fi).iter().filter(|p| seen(p)).count();
                if features.get(fi as usize).is_some_and(|f| f.span.is_none()) {
                    grid.timeless.extend(points(fi));
                } else {
                    // A feature's points count as one here: enough to judge the density.
                    dated_points += 1;
                }
            }
        } else {
            // Part of it: what the tree finds there, sorted by start.
            for fi in prepared.in_box([region[0], region[1]], [region[2], region[3]]) {
                if !entry.passes(fi) {
                    continue;
                }
                let dated = features.get(fi as usize).is_some_and(|f| f.span.is_some());
                for p in points(fi).iter().filter(|p| inside(p)) {
                    in_view += usize::from(seen(p));
                    if dated {
                        grid.dated.push((fi, *p));
                    } else {
                        grid.timeless.push(*p);
                    }
                }
            }
            grid.dated
                .sort_unstable_by_key(|d| span_of(entry, d.0).map(|s| s.start()));
            dated_points = grid.dated.len();
        }
        if dated_points + grid.timeless.len() <= DENSE_POINTS && in_view <= FEW_POINTS {
            grid.dated = Vec::new();
            grid.timeless = Vec::new();
            return grid;
        }
        grid.dense = true;
        grid.rebin(entry, level);
        grid
    }

    /// Counts what is shown at `shown`: in cumulative mode only the points that start
    /// between the last time and this one change; in window mode all dated points are
    /// counted again.
    fn show(&mut self, entry: &LayerEntry, shown: Shown) {
        if shown == self.shown || !self.dense {
            self.shown = shown;
            return;
        }
        // Other levels' cells count what was shown before.
        self.kept.clear();
        let level = self.level;
        match (self.shown, shown) {
            (Shown::Begun(old), Shown::Begun(new)) => {
                let dated = Dated::of(self.whole, &self.dated, entry);
                let (a, b) = (dated.begun(old), dated.begun(new));
                let cells = &mut self.cells;
                if b > a {
                    dated.each(a..b, |_, p| {
                        cells.entry(cell_of(p, level)).or_default().add(p)
                    });
                } else {
                    dated.each(b..a, |_, p| {
                        if let Some(c) = cells.get_mut(&cell_of(p, level)) {
                            c.remove(p);
                        }
                    });
                }
            }
            _ => {
                self.shown = shown;
                self.rebin(entry, level);
            }
        }
        self.shown = shown;
    }

    /// The cells with shown points whose centre is in the mercator box `view`.
    pub fn cells_in(&self, view: [f64; 4]) -> impl Iterator<Item = &Cell> {
        self.cells.values().filter(move |c| {
            let m = c.center();
            c.count > 0 && m[0] >= view[0] && m[0] <= view[2] && m[1] >= view[1] && m[1] <= view[3]
        })
    }

    /// Points shown in the whole grid.
    pub fn total(&self) -> usize {
        self.cells.values().map(|c| c.count as usize).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dataset::LayerRole;
    use crate::model::{Feature, Layer};

    /// `n` points around (70, 40), each dated a day after the one before from 2022-01-01.
    fn entry(n: usize) -> LayerEntry {
        let day0: Timestamp = "2022-01-01T00:00:00Z".parse().unwrap();
        let features = (0..n)
            .map(|i| {
                let t = day0 + jiff::SignedDuration::from_hours(24 * (i % 365) as i64);
                Feature {
                    given_id: None,
                    shape: Some(crate::model::Shape::Point(geo::Point::new(
                        69.0 + (i % 200) as f64 * 0.01,
                        39.0 + (i / 200) as f64 * 0.01,
                    ))),
                    properties: None,
                    span: (i % 10 != 0).then(|| TimeSpan::instant(t)),
                    line: 0,
                }
            })
            .collect();
        LayerEntry::new(
            Layer {
                features,
                ..Layer::default()
            },
            LayerRole::Custom,
        )
    }

    fn counts(grid: &ClusterGrid) -> Vec<((i32, i32), u32)> {
        let mut v: Vec<_> = grid
            .cells
            .iter()
            .filter(|(_, c)| c.count > 0)
            .map(|(k, c)| (*k, c.count))
            .collect();
        v.sort();
        v
    }

    fn at(day: &str) -> Timestamp {
        format!("{day}T12:00:00Z").parse().unwrap()
    }

    #[test]
    fn moving_the_cursor_counts_what_a_new_grid_counts() {
        let e = entry(30_000);
        let view = {
            let a = crate::model::geom::mercator(68.0, 42.0);
            let b = crate::model::geom::mercator(72.0, 38.0);
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[0].max(b[0]),
                a[1].max(b[1]),
            ]
        };
        let mut grid = None;
        ClusterGrid::update(&mut grid, &e, 1, 6.5, view, Shown::Begun(at("2022-03-01")));
        let g = grid.as_ref().unwrap();
        assert!(g.dense);
        // Timeless points (every tenth) and those begun by 1 March.
        let begun = (0..30_000)
            .filter(|i| i % 10 == 0 || (i % 365) <= 59)
            .count();
        assert_eq!(g.total(), begun);
        for shown in [
            Shown::Begun(at("2022-09-01")),
            Shown::Begun(at("2022-02-01")),
            Shown::Overlapping(at("2022-04-01"), at("2022-05-01")),
            Shown::Begun(at("2022-06-01")),
        ] {
            ClusterGrid::update(&mut grid, &e, 1, 6.9, view, shown);
            let fresh = ClusterGrid::build(&e, 1, 6, view, shown);
            let g = grid.as_ref().unwrap();
            assert_eq!(counts(g), counts(&fresh), "{shown:?}");
            assert_eq!(g.level, 6, "the same level: kept");
        }
        // Another level: rebuilt, the same points in fewer cells.
        let before = grid.as_ref().unwrap().cells.len();
        ClusterGrid::update(&mut grid, &e, 1, 4.2, view, Shown::Begun(at("2022-06-01")));
        let g = grid.as_ref().unwrap();
        assert_eq!(g.level, 4);
        assert!(g.cells.len() < before);
        assert_eq!(
            g.total(),
            ClusterGrid::build(&e, 1, 6, view, Shown::Begun(at("2022-06-01"))).total()
        );
    }

    #[test]
    fn zooming_out_and_back_counts_what_a_new_grid_counts() {
        let e = entry(30_000);
        // The whole layer in view: every level shares the region.
        let view = [0.0, 0.0, 1.0, 1.0];
        let shown = Shown::Begun(at("2022-06-01"));
        let mut grid = None;
        ClusterGrid::update(&mut grid, &e, 1, 9.0, view, shown);
        // Out to 8, 6 and 3 (merged from kept finer cells), in to 7 (binned), back to 9
        // (kept): each the same as a grid built there.
        for level in [8, 6, 3, 7, 9, 4] {
            ClusterGrid::update(&mut grid, &e, 1, f64::from(level) + 0.5, view, shown);
            let g = grid.as_ref().unwrap();
            assert_eq!(g.level, level);
            let fresh = ClusterGrid::build(&e, 1, level, view, shown);
            assert_eq!(counts(g), counts(&fresh), "level {level}");
        }
        // A new time: the kept levels are forgotten, counts follow the time.
        let later = Shown::Begun(at("2022-09-01"));
        ClusterGrid::update(&mut grid, &e, 1, 4.5, view, later);
        ClusterGrid::update(&mut grid, &e, 1, 9.5, view, later);
        let g = grid.as_ref().unwrap();
        assert_eq!(
            counts(g),
            counts(&ClusterGrid::build(&e, 1, 9, view, later))
        );
    }

    #[test]
    fn a_big_layer_makes_its_grids_on_a_worker_while_the_one_before_stands_in() {
        let e = entry(BACKGROUND_POINTS + 20_000);
        let (tx, rx) = std::sync::mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        let wake: Wake = Arc::new(move || {
            let _ = tx.lock().map(|tx| tx.send(()));
        });
        let wait = || {
            rx.recv_timeout(std::time::Duration::from_secs(60))
                .expect("the worker wakes the window");
        };
        let wide = [0.0, 0.0, 1.0, 1.0];
        let march = Shown::Begun(at("2022-03-01"));
        let mut c = Clusters::default();
        c.update(&e, 1, 6.5, wide, march, Some(&wake));
        // Nothing yet: the layer counts as clustered, so its points are not drawn one by one.
        assert!(c.grid.is_none() && c.making() && c.dense());
        wait();
        c.update(&e, 1, 6.5, wide, march, Some(&wake));
        assert!(!c.making());
        let g = c.grid.as_ref().expect("the grid made");
        assert_eq!(
            counts(g),
            counts(&ClusterGrid::build(&e, 1, 6, wide, march))
        );

        // Closer in, over fewer points, at a later moment: made on the worker; meanwhile the
        // grid of level 6 (made in March) stands in, following the time. Asked in the call
        // that starts the worker: a later call may already find the new grid (it did, once,
        // with the machine loaded).
        let close = {
            let a = crate::model::geom::mercator(69.5, 40.5);
            let b = crate::model::geom::mercator(70.5, 39.5);
            [a[0], a[1], b[0], b[1]]
        };
        let june = Shown::Begun(at("2022-06-01"));
        c.update(&e, 1, 9.2, close, june, Some(&wake));
        assert!(c.making());
        let g = c.grid.as_ref().expect("standing in");
        assert_eq!(g.level, 6);
        assert_eq!(counts(g), counts(&ClusterGrid::build(&e, 1, 6, wide, june)));
        wait();
        c.update(&e, 1, 9.2, close, june, Some(&wake));
        let g = c.grid.as_ref().expect("the new grid");
        assert_eq!(g.level, 9);
        // Made for the view as wide as it gets at level 9.
        let close_9 = widest(close, 9.2);
        assert_eq!(
            counts(g),
            counts(&ClusterGrid::build(&e, 1, 9, close_9, june))
        );

        // Without a window to wake (an export), the same grids are made at once.
        let mut now = Clusters::default();
        now.update(&e, 1, 9.2, close, june, None);
        assert!(!now.making());
        assert_eq!(counts(now.grid.as_ref().expect("made")), counts(g));

        // Zoomed out past its region: the level-9 grid stands in merged to level 4 (not a
        // circle for each of its small cells), counting what a level-4 grid of its region
        // counts.
        let farther = {
            let a = crate::model::geom::mercator(60.0, 45.0);
            let b = crate::model::geom::mercator(62.0, 44.0);
            [a[0], a[1], b[0], b[1]]
        };
        c.update(&e, 1, 4.5, farther, june, Some(&wake));
        assert!(c.making() && c.dense());
        let g = c.grid.as_ref().expect("standing in");
        assert_eq!(g.level, 4);
        assert_eq!(
            counts(g),
            counts(&ClusterGrid::build(&e, 1, 4, close_9, june))
        );
        wait();

        // A sparse grid (a few points, drawn one by one) standing in for a view much wider
        // draws nothing meanwhile, rather than a million points one by one.
        let tiny = {
            let a = crate::model::geom::mercator(70.0, 40.0);
            let b = crate::model::geom::mercator(70.001, 39.999);
            [a[0], a[1], b[0], b[1]]
        };
        let mut sparse = Clusters::default();
        sparse.update(&e, 1, 16.0, tiny, june, None);
        assert!(!sparse.dense());
        sparse.update(&e, 1, 5.0, wide, june, Some(&wake));
        assert!(sparse.making() && sparse.dense());
        assert_eq!(
            sparse.grid.as_ref().map(|g| g.cells_in(wide).count()),
            Some(0)
        );
        wait();
        sparse.update(&e, 1, 5.0, wide, june, Some(&wake));
        assert!(sparse.dense() && !sparse.making());
        assert!(
            sparse
                .grid
                .as_ref()
                .is_some_and(|g| g.level == 5 && g.total() > 0)
        );
    }

    #[test]
    fn a_grid_over_part_of_a_layer_counts_the_points_of_its_region_shown_at_the_cursor() {
        let e = entry(60_000);
        // A view over part of the layer (69-71° E, 39-42° N): the grid keeps its region's
        // points, not the layer's.
        let view = {
            let a = crate::model::geom::mercator(69.6, 40.8);
            let b = crate::model::geom::mercator(70.4, 40.2);
            [a[0], a[1], b[0], b[1]]
        };
        // Counted here from the layer itself: the points in the region, timeless or begun.
        let expected = |g: &ClusterGrid, t: Timestamp| {
            let r = g.region;
            (0..e.layer.features.len())
                .filter(|&i| {
                    let span = e.layer.features[i].span;
                    span.is_none_or(|s| s.start() <= t)
                })
                .flat_map(|i| e.prepared.features[i].points().iter().copied())
                .filter(|p| (r[0]..=r[2]).contains(&p[0]) && (r[1]..=r[3]).contains(&p[1]))
                .count()
        };
        let mut grid = None;
        let march = at("2022-03-01");
        ClusterGrid::update(&mut grid, &e, 1, 8.5, view, Shown::Begun(march));
        let g = grid.as_ref().unwrap();
        assert!(g.dense && !g.whole, "a dense grid of part of the layer");
        let in_march = expected(g, march);
        assert!(in_march > 0 && in_march < 60_000, "{in_march}");
        assert_eq!(g.total(), in_march);
        // The cursor moves on and back: the grid's own points are counted again.
        for day in ["2022-09-01", "2022-02-01", "2022-06-01"] {
            ClusterGrid::update(&mut grid, &e, 1, 8.5, view, Shown::Begun(at(day)));
            let g = grid.as_ref().unwrap();
            assert_eq!(g.total(), expected(g, at(day)), "{day}");
        }
    }

    #[test]
    fn few_points_are_not_clustered() {
        let e = entry(1000);
        let mut grid = None;
        let view = [0.0, 0.0, 1.0, 1.0];
        ClusterGrid::update(&mut grid, &e, 1, 5.0, view, Shown::Begun(at("2023-01-01")));
        assert!(!grid.unwrap().dense);
    }
}
