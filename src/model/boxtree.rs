//! A static packed R-tree of bounding boxes, for culling and hit-testing a layer's features:
//! built once (sort-tile-recursive, 16 boxes a node), never changed, in two flat arrays.
//!
//! A box costs 20 bytes (four `f32`s, rounded outward so the tree never misses a box, and
//! its item), and the nodes above add a fifteenth of that; a tree of points only keeps each
//! as two `f32`s (12 bytes with its item): a million points take 13 MB, where `rstar`'s tree
//! of `f64` rectangles took about 76 MB (each of its leaves is as big as a node). A query
//! may return a box that misses the query by less than an `f32`'s rounding (about 10 cm on
//! the ground at 40° N); the callers draw or test what it returns.

/// Boxes per node.
const NODE: usize = 16;

/// A static R-tree of `[min x, min y, max x, max y]` boxes, each with its item.
#[derive(Clone, Debug, Default)]
pub struct BoxTree {
    /// The boxes of the leaves (positions `0..size`).
    leaves: Leaves,
    /// The boxes of each level of nodes above, up to the root (positions from `size` on).
    nodes: Vec<[f32; 4]>,
    /// For a leaf, its item; for a node, the position of its first child.
    index: Vec<u32>,
    /// Where each level starts, leaves first, and the end of the last.
    levels: Vec<usize>,
    /// The exact extent of every box.
    extent: Option<[f64; 4]>,
}

/// The leaves' boxes: as boxes rounded outward, or, when every one is a point, as the
/// nearest `f32` points (a point within a query is, so, within the query rounded outward).
#[derive(Clone, Debug)]
enum Leaves {
    Boxes(Vec<[f32; 4]>),
    Points(Vec<[f32; 2]>),
}

impl Default for Leaves {
    fn default() -> Self {
        Self::Boxes(Vec::new())
    }
}

impl BoxTree {
    /// The tree of `items` (a box and its item each), read twice (once to see whether they
    /// are all points) and never held in `f64`: a million points are built from 12 MB of
    /// leaves, where a vector of them as `f64` boxes took 40 MB more while the layer loaded.
    pub fn new<I>(items: I) -> Self
    where
        I: IntoIterator<Item = ([f64; 4], u32)>,
        I::IntoIter: Clone,
    {
        let items = items.into_iter();
        let mut extent: Option<[f64; 4]> = None;
        let mut points = true;
        for (b, _) in items.clone() {
            points &= b[0] == b[2] && b[1] == b[3];
            extent = Some(match extent {
                None => b,
                Some(a) => [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ],
            });
        }
        if points {
            // The nearest `f32` of a point in a query lies in the query rounded outward.
            let leaves = items
                .map(|(b, i)| ([b[0] as f32, b[1] as f32], i))
                .collect();
            let bounds = |p: &[f32; 2]| [p[0], p[1], p[0], p[1]];
            Self::packed(leaves, bounds, Leaves::Points, extent)
        } else {
            let leaves = items.map(|(b, i)| (outward(b), i)).collect();
            Self::packed(leaves, |b: &[f32; 4]| *b, Leaves::Boxes, extent)
        }
    }

    /// The tree of `items` (leaves, each with the box its nodes must hold, and its item).
    fn packed<L: Copy>(
        mut items: Vec<(L, u32)>,
        bounds: impl Fn(&L) -> [f32; 4],
        leaves_of: impl FnOnce(Vec<L>) -> Leaves,
        extent: Option<[f64; 4]>,
    ) -> Self {
        let n = items.len();
        // Sort-tile-recursive: vertical slices by centre x, each sorted by centre y, so
        // that each run of 16 boxes is a compact tile.
        let centre = |l: &L, axis: usize| {
            let b = bounds(l);
            b[axis] + b[axis + 2]
        };
        items.sort_unstable_by(|a, b| centre(&a.0, 0).total_cmp(&centre(&b.0, 0)));
        let leaf_nodes = n.div_ceil(NODE);
        let slices = (leaf_nodes as f64).sqrt().ceil().max(1.0) as usize;
        let slice = slices * NODE;
        for part in items.chunks_mut(slice.max(1)) {
            part.sort_unstable_by(|a, b| centre(&a.0, 1).total_cmp(&centre(&b.0, 1)));
        }
        let mut index: Vec<u32> = Vec::with_capacity(n + n / (NODE - 1) + 1);
        index.extend(items.iter().map(|(_, i)| *i));
        let leaves: Vec<L> = items.iter().map(|(l, _)| *l).collect();
        drop(items);
        let mut nodes: Vec<[f32; 4]> = Vec::with_capacity(n / (NODE - 1) + 1);
        let mut levels = vec![0, n];
        // Each level of nodes holds the union of each 16 boxes of the level below.
        while levels[levels.len() - 1] - levels[levels.len() - 2] > 1 {
            let (start, end) = (levels[levels.len() - 2], levels[levels.len() - 1]);
            let mut first = start;
            while first < end {
                let last = (first + NODE).min(end);
                let union = (first..last)
                    .map(|p| match p.checked_sub(n) {
                        None => bounds(&leaves[p]),
                        Some(node) => nodes[node],
                    })
                    .reduce(|a, b| {
                        [
                            a[0].min(b[0]),
                            a[1].min(b[1]),
                            a[2].max(b[2]),
                            a[3].max(b[3]),
                        ]
                    })
                    .unwrap_or([0.0; 4]);
                nodes.push(union);
                index.push(first as u32);
                first = last;
            }
            levels.push(n + nodes.len());
        }
        nodes.shrink_to_fit();
        index.shrink_to_fit();
        Self {
            leaves: leaves_of(leaves),
            nodes,
            index,
            levels,
            extent,
        }
    }

    /// The box at a position (a leaf's, then the nodes').
    fn box_at(&self, position: usize) -> Option<[f32; 4]> {
        let size = self.size();
        if position >= size {
            return self.nodes.get(position - size).copied();
        }
        match &self.leaves {
            Leaves::Boxes(b) => b.get(position).copied(),
            Leaves::Points(p) => p.get(position).map(|p| [p[0], p[1], p[0], p[1]]),
        }
    }

    /// Number of boxes.
    pub fn size(&self) -> usize {
        self.levels.get(1).copied().unwrap_or(0)
    }

    /// The exact extent of every box; `None` for an empty tree.
    pub fn extent(&self) -> Option<[f64; 4]> {
        self.extent
    }

    /// The items whose boxes meet `[min, max]` (edges included), in no particular order,
    /// found as they are taken (taking a few of a million costs a few).
    pub fn query(&self, min: [f64; 2], max: [f64; 2]) -> Query<'_> {
        let root = match (
            self.size(),
            self.levels.last().and_then(|l| l.checked_sub(1)),
        ) {
            (1.., Some(root)) => Some((root, self.levels.len() - 2)),
            _ => None,
        };
        let q = outward([min[0], min[1], max[0], max[1]]);
        let meets = |b: &[f32; 4]| b[0] <= q[2] && b[2] >= q[0] && b[1] <= q[3] && b[3] >= q[1];
        Query {
            tree: self,
            q,
            stack: root
                .filter(|&(root, _)| self.box_at(root).is_some_and(|b| meets(&b)))
                .into_iter()
                .collect(),
        }
    }

    /// Approximate heap memory, in bytes.
    pub fn memory_bytes(&self) -> usize {
        let leaves = match &self.leaves {
            Leaves::Boxes(b) => b.capacity() * 16,
            Leaves::Points(p) => p.capacity() * 8,
        };
        leaves + self.nodes.capacity() * 16 + self.index.capacity() * 4 + self.levels.capacity() * 8
    }
}

/// The items of a [`BoxTree::query`].
pub struct Query<'a> {
    tree: &'a BoxTree,
    /// The query box, rounded outward.
    q: [f32; 4],
    /// (position, level) of the boxes met and not yet looked into.
    stack: Vec<(usize, usize)>,
}

impl Iterator for Query<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let q = self.q;
        let meets = |b: &[f32; 4]| b[0] <= q[2] && b[2] >= q[0] && b[1] <= q[3] && b[3] >= q[1];
        while let Some((node, level)) = self.stack.pop() {
            if level == 0 {
                return self.tree.index.get(node).copied();
            }
            let first = self.tree.index.get(node).copied().unwrap_or(0) as usize;
            let end = (first + NODE).min(self.tree.levels.get(level).copied().unwrap_or(0));
            for child in first..end {
                if self.tree.box_at(child).is_some_and(|b| meets(&b)) {
                    self.stack.push((child, level - 1));
                }
            }
        }
        None
    }
}

/// A box in `f32`, each side rounded outward: it holds the `f64` box.
pub fn outward(b: [f64; 4]) -> [f32; 4] {
    let down = |v: f64| {
        let f = v as f32;
        if f64::from(f) > v { f.next_down() } else { f }
    };
    let up = |v: f64| {
        let f = v as f32;
        if f64::from(f) < v { f.next_up() } else { f }
    };
    [down(b[0]), down(b[1]), up(b[2]), up(b[3])]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random numbers in `0..1`.
    fn numbers(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn brute(items: &[([f64; 4], u32)], min: [f64; 2], max: [f64; 2]) -> Vec<u32> {
        let mut v: Vec<u32> = items
            .iter()
            .filter(|(b, _)| b[0] <= max[0] && b[2] >= min[0] && b[1] <= max[1] && b[3] >= min[1])
            .map(|(_, i)| *i)
            .collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn every_query_finds_what_a_scan_finds() {
        let mut r = numbers(7);
        let sizes = [0usize, 1, 15, 16, 17, 255, 256, 257, 5000];
        for (n, only_points) in sizes.iter().flat_map(|&n| [(n, false), (n, true)]) {
            // Points (zero-size boxes) and boxes of every size, in mercator's 0..1; or
            // points only (kept as `f32` points).
            let items: Vec<([f64; 4], u32)> = (0..n)
                .map(|i| {
                    let (x, y) = (r(), r());
                    let (w, h) = if only_points || i % 3 == 0 {
                        (0.0, 0.0)
                    } else {
                        (r() * 0.01, r() * 0.01)
                    };
                    ([x, y, x + w, y + h], i as u32)
                })
                .collect();
            let tree = BoxTree::new(items.clone());
            assert_eq!(tree.size(), n);
            for _ in 0..200 {
                let (x, y, s) = (r(), r(), r() * 0.2);
                let (min, max) = ([x, y], [x + s, y + s * 0.5]);
                let mut got: Vec<u32> = tree.query(min, max).collect();
                got.sort_unstable();
                assert_eq!(got, brute(&items, min, max), "n {n}, query {min:?} {max:?}");
            }
            // Queries exactly on points find them.
            for (b, i) in items.iter().step_by(97) {
                assert!(tree.query([b[0], b[1]], [b[0], b[1]]).any(|j| j == *i));
            }
        }
    }

    #[test]
    fn a_point_on_the_edge_of_the_query_is_found_and_the_extent_is_exact() {
        let p = 0.123_456_789_012_345_f64;
        let tree = BoxTree::new(vec![([p, p, p, p], 9), ([0.5, 0.5, 0.75, 0.6], 3)]);
        assert_eq!(tree.query([0.0, 0.0], [p, p]).collect::<Vec<_>>(), vec![9]);
        assert_eq!(tree.query([p, p], [1.0, 1.0]).count(), 2);
        assert_eq!(tree.query([0.8, 0.8], [0.9, 0.9]).count(), 0);
        assert_eq!(tree.extent(), Some([p, p, 0.75, 0.6]));
        assert_eq!(BoxTree::default().extent(), None);
        assert_eq!(
            BoxTree::new(Vec::new())
                .query([0.0, 0.0], [1.0, 1.0])
                .count(),
            0
        );
    }

    #[test]
    fn a_million_points_take_about_13_mb() {
        let mut r = numbers(3);
        let items: Vec<([f64; 4], u32)> = (0..1_000_000u32)
            .map(|i| {
                let (x, y) = (r(), r());
                ([x, y, x, y], i)
            })
            .collect();
        let tree = BoxTree::new(items);
        assert!(tree.memory_bytes() < 14_000_000, "{}", tree.memory_bytes());
        // Boxes, though few are wider than a point, take 16 bytes each.
        let mut items: Vec<([f64; 4], u32)> = (0..1000u32)
            .map(|i| {
                let (x, y) = (r(), r());
                ([x, y, x, y], i)
            })
            .collect();
        items[7].0[2] += 0.001;
        assert!(BoxTree::new(items).memory_bytes() > 20_000);
    }
}
