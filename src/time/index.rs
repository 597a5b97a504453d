//! The time index: every dated feature's span, sorted by start, answering "what is visible
//! at the cursor" by binary search. The app asks it once per frame and hands the one
//! [`Visible`] answer to both the event list and the map, so they can never disagree.

use std::sync::Arc;

use jiff::Timestamp;

use crate::positions::Positions;

use super::{TimeControl, TimeMode, TimeSpan, age_at, nanos, shift};

/// How many kinds [`TimeIndex::histogram`] counts apart; a larger kind index is counted in
/// the last one (`KINDS - 1`, "other").
pub const KINDS: usize = 16;

/// Identifies a feature: (layer index, feature index) in the app's dataset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    /// Index of the layer in the dataset.
    pub layer: u32,
    /// Index of the feature in its layer.
    pub feature: u32,
}

impl FeatureRef {
    /// The feature `feature` of layer `layer`.
    pub fn new(layer: u32, feature: u32) -> Self {
        Self { layer, feature }
    }
}

/// The dated features of a dataset, sorted by start, for per-frame visibility queries,
/// stepping and the timeline's histogram. Build it again when the dataset changes.
#[derive(Clone, Debug, Default)]
pub struct TimeIndex {
    /// Every entry, sorted by (start, feature): the order of [`Visible::items`].
    entries: Arc<Vec<(FeatureRef, TimeSpan)>>,
    /// The latest end of any entry.
    max_end: Option<Timestamp>,
    /// Entries grouped by how long they last, so one long span (a year-long evacuation)
    /// does not make every window query scan a year of short events.
    classes: Vec<DurationClass>,
    /// From a feature to its position in `entries`, shared with every [`Visible`].
    table: Arc<RefTable>,
}

/// Entries whose durations lie within a factor of four of each other.
#[derive(Clone, Debug)]
struct DurationClass {
    /// The longest duration in the class, in nanoseconds.
    max_duration_nanos: i128,
    /// Positions in `TimeIndex::entries`, ascending (so also sorted by start): a count when
    /// the class is every entry (a layer of events that each last a day).
    positions: Positions,
}

/// Finds a feature's position in the index.
#[derive(Clone, Debug)]
enum RefTable {
    /// `positions[layer][feature]`, `u32::MAX` for a feature without a span: for feature
    /// indices that are positions in the dataset's vectors, as the app's are.
    Dense(Vec<Vec<u32>>),
    /// Sorted by feature, searched: for wildly sparse indices, to bound memory.
    Sparse(Vec<(FeatureRef, u32)>),
}

impl Default for RefTable {
    fn default() -> Self {
        RefTable::Dense(Vec::new())
    }
}

impl RefTable {
    /// Builds the table from the entries sorted by feature (one entry per feature).
    fn new(by_feature: &[(FeatureRef, u32)]) -> Self {
        // Each layer's last feature, i.e. its highest index.
        let layer_lasts = || {
            by_feature.iter().enumerate().filter_map(|(i, &(r, _))| {
                let next = by_feature.get(i + 1);
                next.is_none_or(|(n, _)| n.layer != r.layer).then_some(r)
            })
        };
        // A dense table costs 4 bytes a slot: allow a small multiple of the entries.
        let layers = by_feature.last().map_or(0, |(r, _)| r.layer as usize + 1);
        let slots = layer_lasts().fold(layers, |sum, r| sum.saturating_add(r.feature as usize + 1));
        if slots > 4 * by_feature.len() + 65_536 {
            return RefTable::Sparse(by_feature.to_vec());
        }
        let mut table = vec![Vec::new(); layers];
        for r in layer_lasts() {
            table[r.layer as usize] = vec![u32::MAX; r.feature as usize + 1];
        }
        for &(r, position) in by_feature {
            table[r.layer as usize][r.feature as usize] = position;
        }
        RefTable::Dense(table)
    }

    /// The position of `r` in the index, if it has one.
    fn position(&self, r: FeatureRef) -> Option<u32> {
        match self {
            RefTable::Dense(layers) => {
                let p = *layers.get(r.layer as usize)?.get(r.feature as usize)?;
                (p != u32::MAX).then_some(p)
            }
            RefTable::Sparse(sorted) => sorted
                .binary_search_by_key(&r, |&(f, _)| f)
                .ok()
                .map(|i| sorted[i].1),
        }
    }
}

/// The duration class of a span: 0 for an instant, else one per factor of four in seconds.
fn duration_class(span: TimeSpan) -> usize {
    let secs = span
        .end()
        .as_second()
        .saturating_sub(span.start().as_second());
    if span.start() == span.end() {
        0
    } else {
        1 + (u64::BITS - secs.unsigned_abs().leading_zeros()) as usize / 2
    }
}

impl TimeIndex {
    /// Indexes the spans of the dated features. A feature given twice gets the hull of its
    /// spans. At most `u32::MAX` features are kept.
    pub fn new(items: impl IntoIterator<Item = (FeatureRef, TimeSpan)>) -> Self {
        Self::of(items.into_iter().take(u32::MAX as usize).collect())
    }

    /// [`TimeIndex::new`] of the items of a vector, kept in it (no second copy).
    pub fn of(mut by_feature: Vec<(FeatureRef, TimeSpan)>) -> Self {
        by_feature.truncate(u32::MAX as usize);
        by_feature.sort_unstable_by_key(|&(r, _)| r);
        by_feature.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 = kept.1.hull(later.1);
            }
            same
        });

        let mut entries = by_feature;
        entries.sort_unstable_by_key(|&(r, span)| (span.start(), r));
        let max_end = entries.iter().map(|(_, s)| s.end()).max();

        // Per class: its longest duration and its positions.
        let mut classes: Vec<Option<(i128, Vec<u32>)>> = Vec::new();
        let mut lookup: Vec<(FeatureRef, u32)> = Vec::with_capacity(entries.len());
        // `entries` holds at most u32::MAX items (taken above), so positions fit in u32.
        for (position, &(r, span)) in (0u32..).zip(entries.iter()) {
            let c = duration_class(span);
            if classes.len() <= c {
                classes.resize(c + 1, None);
            }
            let (longest, positions) = classes[c].get_or_insert_with(Default::default);
            let duration = nanos(span.end()) - nanos(span.start());
            *longest = (*longest).max(duration);
            positions.push(position);
            lookup.push((r, position));
        }
        lookup.sort_unstable_by_key(|&(r, _)| r);

        Self {
            // Shared as it is (made into an `Arc<[_]>`, a million entries were copied).
            entries: Arc::new(entries),
            max_end,
            classes: classes
                .into_iter()
                .flatten()
                .map(|(max_duration_nanos, positions)| DurationClass {
                    max_duration_nanos,
                    positions: Positions::new(positions),
                })
                .collect(),
            table: Arc::new(RefTable::new(&lookup)),
        }
    }

    /// How many dated features there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no feature is dated.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The earliest start and the latest end, or `None` when empty; pass it to
    /// [`TimeControl::set_range`].
    pub fn range(&self) -> Option<(Timestamp, Timestamp)> {
        Some((self.entries.first()?.1.start(), self.max_end?))
    }

    /// Every entry, sorted by start, then feature.
    pub fn entries(&self) -> &[(FeatureRef, TimeSpan)] {
        &self.entries
    }

    /// The position of a feature's entry in [`TimeIndex::entries`], or `None` for a
    /// timeless or unknown one.
    pub fn position(&self, r: FeatureRef) -> Option<usize> {
        self.table.position(r).map(|p| p as usize)
    }

    /// The span of a feature, or `None` for a timeless or unknown one.
    pub fn span_of(&self, r: FeatureRef) -> Option<TimeSpan> {
        let p = self.table.position(r)?;
        self.entries.get(p as usize).map(|&(_, span)| span)
    }

    /// Every start, sorted (repeated when several features start together).
    pub fn starts(&self) -> impl Iterator<Item = Timestamp> + '_ {
        self.entries.iter().map(|(_, span)| span.start())
    }

    /// The first start strictly after `t`.
    pub fn next_start_after(&self, t: Timestamp) -> Option<Timestamp> {
        let i = self.entries.partition_point(|(_, s)| s.start() <= t);
        self.entries.get(i).map(|(_, s)| s.start())
    }

    /// The last start strictly before `t`.
    pub fn prev_start_before(&self, t: Timestamp) -> Option<Timestamp> {
        let i = self.entries.partition_point(|(_, s)| s.start() < t);
        i.checked_sub(1).map(|i| self.entries[i].1.start())
    }

    /// Everything visible at the control's state, in time order (by start, then feature):
    /// cumulative, every entry that started at or before the cursor; window, every entry
    /// that overlaps [`TimeControl::shown_interval`]. Binary search per duration class, no
    /// scan of all entries. Timeless features are not in the index: always show them.
    pub fn visible(&self, control: &TimeControl) -> Visible {
        let mut out = Visible::default();
        self.visible_into(control, &mut out);
        out
    }

    /// [`visible`](Self::visible), reusing the allocations of last frame's answer.
    pub fn visible_into(&self, control: &TimeControl, out: &mut Visible) {
        let (from, to) = control.shown_interval();
        out.cursor = control.cursor();
        out.mode = control.mode();
        out.interval = (from, to);
        if !Arc::ptr_eq(&out.table, &self.table) {
            out.table = Arc::clone(&self.table);
        }
        out.items.clear();
        out.bits.clear();
        out.scratch.clear();
        match control.mode() {
            TimeMode::Cumulative => {
                // The visible ones are a prefix of the entries: shared, not copied.
                let end = self.entries.partition_point(|(_, s)| s.start() <= to);
                if !Arc::ptr_eq(&out.entries, &self.entries) {
                    out.entries = Arc::clone(&self.entries);
                }
                out.prefix_len = Some(end);
            }
            TimeMode::Window { .. } => {
                for class in &self.classes {
                    // Nothing in the class that starts before this can reach `from`.
                    let earliest = shift(from, -class.max_duration_nanos);
                    let entry = |p: u32| self.entries[p as usize].1;
                    let lo = class
                        .positions
                        .partition_point(|p| entry(p).start() < earliest);
                    let hi = class.positions.partition_point(|p| entry(p).start() <= to);
                    out.scratch.extend(
                        class
                            .positions
                            .range(lo..hi)
                            .filter(|&p| entry(p).end() >= from),
                    );
                }
                if self.classes.len() > 1 {
                    out.scratch.sort_unstable();
                }
                out.bits.resize(self.entries.len().div_ceil(64), 0);
                for &p in &out.scratch {
                    out.bits[p as usize / 64] |= 1 << (p % 64);
                    out.items.push(self.entries[p as usize]);
                }
                out.prefix_len = None;
            }
        }
    }

    /// Counts of starts in `buckets` equal buckets over `[from, to]` (see [`Buckets`]), by a
    /// kind the caller gives each entry (`kind_of`, `0..KINDS`; larger counts as
    /// `KINDS - 1`, and `usize::MAX` is not counted). For a stacked histogram, draw each bucket's kinds one on another;
    /// [`stacked_max`] gives the tallest stack. Visits only the entries starting in
    /// `[from, to]`; cache the answer while `from`, `to` and the data stay the same.
    pub fn histogram(
        &self,
        from: Timestamp,
        to: Timestamp,
        buckets: usize,
        kind_of: impl Fn(FeatureRef) -> usize,
    ) -> Vec<[u32; KINDS]> {
        let mut counts = vec![[0u32; KINDS]; buckets];
        if buckets == 0 {
            return counts;
        }
        let geometry = Buckets::new(from, to, buckets);
        let lo = self
            .entries
            .partition_point(|(_, s)| s.start() < geometry.from);
        let hi = self
            .entries
            .partition_point(|(_, s)| s.start() <= geometry.to);
        // One walk over the sorted starts, moving to the next bucket at its boundary
        // (no division per entry).
        // Over a single instant every bucket starts there: count all in the first.
        let instant = geometry.from == geometry.to;
        let mut bucket = 0;
        let mut next_boundary = geometry.start(1);
        for &(r, span) in &self.entries[lo..hi] {
            while !instant && bucket + 1 < buckets && span.start() >= next_boundary {
                bucket += 1;
                next_boundary = geometry.start(bucket + 1);
            }
            let kind = kind_of(r);
            if kind == usize::MAX {
                continue;
            }
            let kind = kind.min(KINDS - 1);
            counts[bucket][kind] = counts[bucket][kind].saturating_add(1);
        }
        counts
    }
}

/// The tallest stack of a [`TimeIndex::histogram`]: the largest sum over kinds of a bucket.
pub fn stacked_max(counts: &[[u32; KINDS]]) -> u32 {
    counts
        .iter()
        .map(|kinds| kinds.iter().fold(0u32, |sum, &n| sum.saturating_add(n)))
        .max()
        .unwrap_or(0)
}

/// `count` equal buckets over `[from, to]`: bucket `i` holds `[start(i), start(i + 1))`, the
/// last one also `to`. The histogram and the UI (hover, labels) share this arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buckets {
    /// Start of the first bucket.
    pub from: Timestamp,
    /// End of the last bucket (inclusive).
    pub to: Timestamp,
    /// How many buckets.
    pub count: usize,
}

impl Buckets {
    /// `count` buckets over `[from, to]` (read the other way round when `to < from`).
    pub fn new(from: Timestamp, to: Timestamp, count: usize) -> Self {
        Self {
            from: from.min(to),
            to: from.max(to),
            count,
        }
    }

    /// The bucket holding `t`, or `None` outside `[from, to]` or when there are none. When
    /// `from == to` everything at that instant is in bucket 0.
    pub fn index_of(&self, t: Timestamp) -> Option<usize> {
        if self.count == 0 || t < self.from || t > self.to {
            return None;
        }
        let width = nanos(self.to) - nanos(self.from);
        if width == 0 {
            return Some(0);
        }
        // Both factors are below 2^70 and 2^64, so the product fits in i128.
        let i = (nanos(t) - nanos(self.from)) * self.count as i128 / width;
        Some((i as usize).min(self.count - 1))
    }

    /// The first instant of bucket `i` (`to`'s successor region for `i >= count`).
    pub fn start(&self, i: usize) -> Timestamp {
        if self.count == 0 {
            return self.from;
        }
        let width = nanos(self.to) - nanos(self.from);
        let i = i.min(self.count) as i128;
        let count = self.count as i128;
        // The ceiling, so that `index_of(start(i)) == i` exactly.
        let offset = (width * i + count - 1) / count;
        shift(self.from, offset)
    }

    /// The instants of bucket `i`: `[start, end)`, the last one closed at `to`.
    pub fn interval(&self, i: usize) -> (Timestamp, Timestamp) {
        (self.start(i), self.start(i + 1))
    }
}

/// What is visible at one moment: the answer of [`TimeIndex::visible`], given to the event
/// list and the map alike. Timeless features are not in it: they are always shown.
#[derive(Clone, Debug, Default)]
pub struct Visible {
    /// Window mode: the visible dated features in time order (by start, then feature).
    items: Vec<(FeatureRef, TimeSpan)>,
    /// Cumulative mode: the index's entries, of which the first `prefix_len` are visible.
    entries: Arc<Vec<(FeatureRef, TimeSpan)>>,
    /// The cursor this answer is for.
    pub cursor: Timestamp,
    /// The mode it was computed in.
    pub mode: TimeMode,
    /// The interval shown, [`TimeControl::shown_interval`].
    pub interval: (Timestamp, Timestamp),
    /// Cumulative mode: the visible positions are `0..prefix_len`.
    prefix_len: Option<usize>,
    /// Window mode: one bit per position in the index.
    bits: Vec<u64>,
    /// Window mode: the visible positions, reused between frames.
    scratch: Vec<u32>,
    /// The index's feature → position table.
    table: Arc<RefTable>,
}

impl Visible {
    /// True when the dated feature `r` is visible (constant time for the app's dense
    /// feature indices). False for a timeless feature: those are always shown.
    pub fn contains(&self, r: FeatureRef) -> bool {
        let Some(p) = self.table.position(r) else {
            return false;
        };
        match self.prefix_len {
            Some(len) => (p as usize) < len,
            None => self
                .bits
                .get(p as usize / 64)
                .is_some_and(|word| word >> (p % 64) & 1 == 1),
        }
    }

    /// How many features are visible.
    pub fn len(&self) -> usize {
        self.items().len()
    }

    /// True when nothing dated is visible.
    pub fn is_empty(&self) -> bool {
        self.items().is_empty()
    }

    /// The visible dated features in time order (by start, then feature).
    pub fn items(&self) -> &[(FeatureRef, TimeSpan)] {
        match self.prefix_len {
            Some(len) => self.entries.get(..len).unwrap_or_default(),
            None => &self.items,
        }
    }

    /// The visible features in time order.
    pub fn iter(&self) -> impl Iterator<Item = (FeatureRef, TimeSpan)> + '_ {
        self.items().iter().copied()
    }

    /// True when `span` is happening at the cursor (`start <= cursor <= end`): draw it
    /// highlighted.
    pub fn is_active(&self, span: TimeSpan) -> bool {
        span.start() <= self.cursor && self.cursor <= span.end()
    }

    /// [`age_fraction`](super::age_fraction) at this answer's cursor and mode.
    pub fn age_fraction(&self, span: TimeSpan) -> f32 {
        age_at(span, self.cursor, self.mode)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::time::TimeCommand;

    const DAY: i64 = 86_400;

    fn t(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).unwrap()
    }

    fn span(start: i64, end: i64) -> TimeSpan {
        TimeSpan::new(t(start), t(end)).unwrap()
    }

    fn r(feature: u32) -> FeatureRef {
        FeatureRef::new(0, feature)
    }

    /// A small deterministic generator (no dependency on a random crate).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 11
        }
        fn below(&mut self, n: i64) -> i64 {
            (self.next() % n as u64) as i64
        }
    }

    fn control_at(index: &TimeIndex, cursor: i64, mode: TimeMode) -> TimeControl {
        let mut control = TimeControl::default();
        control.set_range(index.range());
        control.apply(TimeCommand::SetMode(mode), index);
        control.apply(TimeCommand::SetTime(t(cursor)), index);
        control
    }

    fn refs(v: &Visible) -> Vec<u32> {
        v.items().iter().map(|(r, _)| r.feature).collect()
    }

    /// Five features over ten days: points on day 1, 3 and 5, a 2-day span from day 2 and
    /// a long span over days 0..=9.
    fn tiny() -> TimeIndex {
        TimeIndex::new([
            (r(1), span(DAY, DAY)),
            (r(3), span(3 * DAY, 3 * DAY)),
            (r(5), span(5 * DAY, 5 * DAY)),
            (r(2), span(2 * DAY, 4 * DAY)),
            (r(9), span(0, 9 * DAY)),
        ])
    }

    #[test]
    fn sorted_by_start_with_range() {
        let index = tiny();
        assert_eq!(index.len(), 5);
        assert_eq!(index.range(), Some((t(0), t(9 * DAY))));
        let starts: Vec<i64> = index.starts().map(|s| s.as_second() / DAY).collect();
        assert_eq!(starts, [0, 1, 2, 3, 5]);
        assert_eq!(index.span_of(r(2)), Some(span(2 * DAY, 4 * DAY)));
        assert_eq!(index.span_of(r(7)), None);
        assert!(TimeIndex::new([]).is_empty());
        assert_eq!(TimeIndex::new([]).range(), None);
    }

    #[test]
    fn next_and_prev_start() {
        let index = tiny();
        assert_eq!(index.next_start_after(t(DAY)), Some(t(2 * DAY)));
        assert_eq!(index.next_start_after(t(DAY - 1)), Some(t(DAY)));
        assert_eq!(index.next_start_after(t(5 * DAY)), None);
        assert_eq!(index.prev_start_before(t(DAY)), Some(t(0)));
        assert_eq!(index.prev_start_before(t(DAY + 1)), Some(t(DAY)));
        assert_eq!(index.prev_start_before(t(0)), None);
    }

    #[test]
    fn cumulative_shows_everything_started() {
        let index = tiny();
        let v = index.visible(&control_at(&index, 3 * DAY, TimeMode::Cumulative));
        assert_eq!(refs(&v), [9, 1, 2, 3]);
        assert!(v.contains(r(3)) && v.contains(r(9)) && !v.contains(r(5)));
        assert!(!v.contains(r(42)) && !v.contains(FeatureRef::new(7, 0)));
        let before = index.visible(&control_at(&index, -DAY, TimeMode::Cumulative));
        // The cursor is clamped to the range start: only what starts there.
        assert_eq!(refs(&before), [9]);
    }

    #[test]
    fn window_shows_what_overlaps() {
        let index = tiny();
        let day = TimeMode::Window { width_secs: DAY };
        // [day 3.5, day 4.5]: the 2-day span (ends day 4) and the long one.
        let v = index.visible(&control_at(&index, 4 * DAY + DAY / 2, day));
        assert_eq!(refs(&v), [9, 2]);
        assert!(v.contains(r(2)) && !v.contains(r(3)) && !v.contains(r(1)));
        // [day 2, day 3] closed: point on day 3, the span from day 2, the long one.
        let v = index.visible(&control_at(&index, 3 * DAY, day));
        assert_eq!(refs(&v), [9, 2, 3]);
        assert_eq!(v.interval, (t(2 * DAY), t(3 * DAY)));
        // A zero-width window: only what is happening at the cursor.
        let v = index.visible(&control_at(
            &index,
            5 * DAY,
            TimeMode::Window { width_secs: 0 },
        ));
        assert_eq!(refs(&v), [9, 5]);
        assert!(v.is_active(span(5 * DAY, 5 * DAY)) && !v.is_active(span(DAY, DAY)));
    }

    #[test]
    fn duplicate_features_get_the_hull_and_reversed_spans_are_fixed() {
        let reversed = TimeSpan::ordered(t(5 * DAY), t(4 * DAY));
        let index = TimeIndex::new([
            (r(1), span(DAY, DAY)),
            (r(1), span(3 * DAY, 3 * DAY)),
            (r(2), reversed),
        ]);
        assert_eq!(index.len(), 2);
        assert_eq!(index.span_of(r(1)), Some(span(DAY, 3 * DAY)));
        assert_eq!(index.span_of(r(2)), Some(span(4 * DAY, 5 * DAY)));
    }

    #[test]
    fn sparse_feature_indices_still_work() {
        let far = FeatureRef::new(3, u32::MAX - 1);
        let farther = FeatureRef::new(u32::MAX, 0);
        let index = TimeIndex::new([
            (far, span(DAY, DAY)),
            (r(0), span(2 * DAY, 2 * DAY)),
            (farther, span(0, 0)),
        ]);
        assert!(matches!(*index.table, RefTable::Sparse(_)));
        let v = index.visible(&control_at(&index, DAY, TimeMode::Cumulative));
        assert!(v.contains(far) && !v.contains(r(0)));
        let v = index.visible(&control_at(
            &index,
            DAY,
            TimeMode::Window { width_secs: DAY },
        ));
        assert!(v.contains(far) && !v.contains(r(0)));
    }

    /// The rule `visible` implements, checked entry by entry.
    fn brute_force(
        items: &[(FeatureRef, TimeSpan)],
        control: &TimeControl,
    ) -> Vec<(FeatureRef, TimeSpan)> {
        let (from, to) = control.shown_interval();
        let mut out: Vec<_> = items
            .iter()
            .filter(|(_, s)| match control.mode() {
                TimeMode::Cumulative => s.start() <= to,
                TimeMode::Window { .. } => s.overlaps(from, to),
            })
            .copied()
            .collect();
        out.sort_by_key(|&(r, s)| (s.start(), r));
        out
    }

    #[test]
    fn visible_agrees_with_a_brute_force_scan() {
        let mut rng = Lcg(7);
        let origin = 1_609_459_200; // 2021-01-01
        let years = 5 * 365 * DAY;
        let items: Vec<(FeatureRef, TimeSpan)> = (0..10_000u32)
            .map(|i| {
                let start = origin + rng.below(years);
                // Mostly points, some hours, some days, a few months-long.
                let duration = match rng.below(10) {
                    0..=5 => 0,
                    6 | 7 => rng.below(DAY),
                    8 => rng.below(30 * DAY),
                    _ => rng.below(400 * DAY),
                };
                (FeatureRef::new(i % 7, i / 7), span(start, start + duration))
            })
            .collect();
        let index = TimeIndex::new(items.iter().copied());
        assert!(index.classes.len() > 5, "spans of many lengths");
        assert!(matches!(*index.table, RefTable::Dense(_)));
        let mut reused = Visible::default();
        for round in 0..300 {
            let cursor = origin - 30 * DAY + rng.below(years + 60 * DAY);
            let mode = match round % 4 {
                0 => TimeMode::Cumulative,
                1 => TimeMode::Window {
                    width_secs: rng.below(6 * 3600),
                },
                2 => TimeMode::Window {
                    width_secs: rng.below(30 * DAY),
                },
                _ => TimeMode::Window {
                    width_secs: rng.below(3 * years),
                },
            };
            let control = control_at(&index, cursor, mode);
            let expected = brute_force(&items, &control);
            let v = index.visible(&control);
            assert_eq!(v.items(), expected, "round {round}, {mode:?}");
            index.visible_into(&control, &mut reused);
            assert_eq!(reused.items(), expected, "reused, round {round}");
            let shown_set: std::collections::HashSet<FeatureRef> =
                expected.iter().map(|&(r, _)| r).collect();
            for (i, &(feature, _)) in items.iter().enumerate().step_by(7) {
                let shown = shown_set.contains(&feature);
                assert_eq!(v.contains(feature), shown, "round {round}, item {i}");
                assert_eq!(
                    reused.contains(feature),
                    shown,
                    "reused, round {round}, item {i}"
                );
            }
        }
    }

    #[test]
    fn histogram_counts_starts_by_kind() {
        let index = tiny();
        let kind = |r: FeatureRef| {
            if r.feature == 9 {
                99
            } else {
                r.feature as usize % 2
            }
        };
        let h = index.histogram(t(0), t(5 * DAY), 5, kind);
        assert_eq!(h.len(), 5);
        let totals: Vec<u32> = h.iter().map(|k| k.iter().sum()).collect();
        // Starts on days 0 (long), 1, 2, 3 and 5; day 5 is `to`, in the last bucket.
        assert_eq!(totals, [1, 1, 1, 1, 1]);
        assert_eq!(h[0][KINDS - 1], 1, "kind 99 counts as other");
        let skipped = index.histogram(t(0), t(5 * DAY), 5, |r| {
            if r.feature == 9 { usize::MAX } else { 0 }
        });
        assert_eq!(
            skipped[0].iter().sum::<u32>(),
            0,
            "usize::MAX is not counted"
        );
        assert_eq!(h[1][1], 1);
        assert_eq!(h[2][0], 1);
        assert_eq!(stacked_max(&h), 1);
        let all = index.histogram(t(0), t(9 * DAY), 1, |_| 0);
        assert_eq!(
            all,
            vec![{
                let mut k = [0; KINDS];
                k[0] = 5;
                k
            }]
        );
        assert!(index.histogram(t(0), t(DAY), 0, |_| 0).is_empty());
        assert_eq!(
            stacked_max(&index.histogram(t(10 * DAY), t(20 * DAY), 3, |_| 0)),
            0
        );
    }

    #[test]
    fn histogram_agrees_with_bucket_index_of() {
        let mut rng = Lcg(3);
        let items: Vec<_> = (0..5_000u32)
            .map(|i| {
                let start = rng.below(1_000 * DAY);
                (r(i), span(start, start + rng.below(3) * DAY))
            })
            .collect();
        let index = TimeIndex::new(items.iter().copied());
        let first = items[0].1.start().as_second();
        let cases = [
            (0, 1_000 * DAY, 7),
            (100 * DAY, 101 * DAY, 24),
            (-5, 17, 3),
            (first, first, 4),
        ];
        for (from, to, n) in cases {
            let geometry = Buckets::new(t(from), t(to), n);
            let mut expected = vec![[0u32; KINDS]; n];
            for &(feature, s) in &items {
                if let Some(i) = geometry.index_of(s.start()) {
                    expected[i][feature.feature as usize % KINDS] += 1;
                }
            }
            let kind = |r: FeatureRef| r.feature as usize % KINDS;
            assert_eq!(
                index.histogram(t(from), t(to), n, kind),
                expected,
                "{from} {to} {n}"
            );
        }
    }

    #[test]
    fn bucket_boundaries_are_exact() {
        let b = Buckets::new(t(0), t(10), 3);
        for i in 0..3 {
            let (start, end) = b.interval(i);
            assert_eq!(b.index_of(start), Some(i));
            if i < 2 {
                assert_eq!(b.index_of(shift(end, -1)), Some(i));
                assert_eq!(b.index_of(end), Some(i + 1));
            }
        }
        assert_eq!(b.interval(2).1, t(10));
        assert_eq!(b.index_of(t(10)), Some(2));
        assert_eq!(b.index_of(t(11)), None);
        assert_eq!(b.index_of(t(-1)), None);
        assert_eq!(Buckets::new(t(5), t(5), 4).index_of(t(5)), Some(0));
    }
}
