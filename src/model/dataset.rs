//! Everything loaded: the layers, each read and prepared once and shared behind an `Arc` by
//! the window and every export, the dated events read from them, and the time index that
//! answers "what is visible now" once per frame for both the list and the map. Plain data:
//! colours are RGBA, drawing caches belong to each view (see `map::overlay`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::event::{Event, EventKind, EventRecord};
use crate::model::filter::Filter;
use crate::model::prepared::{Parts, PreparedLayer};
use crate::model::style::{ByProperty, LayerStyle, PALETTE, SimpleStyle, site_radius, style_by};
use crate::model::{Feature, Layer, Properties};
use crate::positions::Positions;
use crate::time::{FeatureRef, TimeIndex};

/// What a layer is, which decides its default style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerRole {
    /// The bundled events (sites, evacuation zones).
    Events,
    /// The bundled border lines and enclaves.
    Border,
    /// A layer the user opened.
    Custom,
}

/// Facts about one feature the map needs every frame, read once. 16 bytes: what most
/// features of a big layer have (a kind, a radius, flags) inline, and what few have (their
/// own style, a label, a name) behind one pointer that is null for the rest.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeatureDraw {
    /// Event kind, for dated features (`Some` exactly for them).
    pub kind: Option<EventKind>,
    /// The largest toll claimed, for dated features (see [`Event::toll`]).
    pub toll: f32,
    /// The location is estimated.
    pub estimated: bool,
    /// True for the Kyrgyz–Tajik border line.
    pub kg_tj: bool,
    /// A dated feature known only to the day (or days): see [`Event::day_only`].
    pub day_only: bool,
    /// Style, label and name, for the features that have any.
    extra: Option<Box<DrawExtra>>,
}

/// Gives back the room a vector grew beyond its length, when that is more than an eighth of
/// it: readers push features one by one, and a vector that doubled holds up to twice their
/// memory (the 100 MB benchmark layer: 23 MB for 14 MB of features). An allocator may keep a
/// block that shrinks by less than half where it is (mimalloc did), so the features are moved
/// to a new one.
fn exact<T>(v: &mut Vec<T>) {
    if v.capacity() - v.len() > v.len() / 8 {
        let mut fitted = Vec::with_capacity(v.len());
        fitted.append(v);
        *v = fitted;
    }
}

/// The drawing facts few features have.
#[derive(Clone, Debug, Default, PartialEq)]
struct DrawExtra {
    style: SimpleStyle,
    label: Option<String>,
    name: Option<String>,
}

impl FeatureDraw {
    /// Marker radius in points (0: the layer's point size): an event's grows with its
    /// toll when it is violence or a casualty report.
    pub fn radius(&self) -> f32 {
        match self.kind {
            Some(k) if k.is_violent() || k == EventKind::CasualtyReport => {
                site_radius(self.toll.into())
            }
            Some(_) => 6.0,
            None => 0.0,
        }
    }

    /// simplestyle overrides.
    pub fn style(&self) -> &SimpleStyle {
        static NONE: SimpleStyle = SimpleStyle {
            stroke: None,
            stroke_width: None,
            fill: None,
            marker_color: None,
            marker_radius: None,
        };
        self.extra.as_ref().map_or(&NONE, |e| &e.style)
    }

    /// Text drawn on the map (enclave names).
    pub fn label(&self) -> Option<&str> {
        self.extra.as_ref()?.label.as_deref()
    }

    /// Short name for tooltips of timeless features (events have their record).
    pub fn name(&self) -> Option<&str> {
        self.extra.as_ref()?.name.as_deref()
    }

    /// Sets the style, label and name (kept only when one of them is there).
    fn set_extra(&mut self, style: SimpleStyle, label: Option<String>, name: Option<String>) {
        let extra = DrawExtra { style, label, name };
        self.extra = (extra != DrawExtra::default()).then(|| Box::new(extra));
    }
}

/// Which features of each layer pass a filter, by layer (`None`: all of them).
pub type Judged = Vec<(LayerId, Option<Arc<Vec<bool>>>)>;

/// A stable name for a loaded layer: it keeps it while layers move, so drawing caches and
/// saved settings never confuse two layers that took turns at one position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LayerId(pub u64);

impl LayerId {
    /// A new id, never given before in this process.
    pub fn fresh() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What a layer is, read and prepared once: shared by the window and every export.
#[derive(Debug)]
pub struct LayerData {
    /// The features as read.
    pub layer: Layer,
    /// Each feature's box and points, in an R-tree ([`PreparedLayer`]).
    pub prepared: PreparedLayer,
    /// Per-feature drawing facts, in feature order.
    pub draw: Vec<FeatureDraw>,
    /// The dated features (the layer's events), in feature order. Their events are made
    /// from the feature's span and its drawing facts when asked for, not kept (48 bytes
    /// each, a second time beside the dataset's list).
    pub dated: Positions,
    /// Positions in `dated` by start (then feature): the layer's own time order.
    pub by_start: Vec<u32>,
}

impl LayerData {
    /// Feature `fi`'s geometry in mercator, its polygons triangulated when `triangles`
    /// (empty for a feature that is not there).
    pub fn parts(&self, fi: u32, triangles: bool) -> Parts {
        self.layer
            .features
            .get(fi as usize)
            .map(|f| Parts::of(f, triangles))
            .unwrap_or_default()
    }

    /// The event of the `i`th dated feature (`layer` is 0 here; the dataset's copies carry
    /// the layer's position).
    pub fn event(&self, i: usize) -> Option<Event> {
        let fi = self.dated.get(i)?;
        let draw = self.draw.get(fi as usize)?;
        Some(Event {
            layer: 0,
            feature: fi,
            kind: draw.kind?,
            estimated: draw.estimated,
            span: self.layer.features.get(fi as usize)?.span?,
            toll: draw.toll,
            day_only: draw.day_only,
        })
    }

    /// The feature and span of the `i`th dated feature: what a time query needs of its
    /// event.
    pub fn dated_span(&self, i: usize) -> Option<(u32, crate::time::TimeSpan)> {
        let fi = self.dated.get(i)?;
        Some((fi, self.layer.features.get(fi as usize)?.span?))
    }

    /// The layer's events, in feature order.
    pub fn events(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.dated.len()).filter_map(|i| self.event(i))
    }
}

/// The dataset's events: the dated features of its visible layers that pass the filter, by
/// start, then layer and feature (the time index's entries). Each is made when asked for from
/// its entry and its layer's drawing facts: kept as 48-byte events besides the index, a
/// million of them took 48 MB more.
#[derive(Clone, Debug, Default)]
pub struct Events {
    index: Arc<TimeIndex>,
    /// Each layer's data (its drawing facts), by its position in the dataset.
    layers: Vec<Arc<LayerData>>,
}

impl Events {
    /// How many there are.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The `i`th event.
    pub fn get(&self, i: usize) -> Option<Event> {
        let &(r, span) = self.index.entries().get(i)?;
        let draw = self
            .layers
            .get(r.layer as usize)?
            .draw
            .get(r.feature as usize)?;
        Some(Event {
            layer: r.layer,
            feature: r.feature,
            kind: draw.kind?,
            estimated: draw.estimated,
            span,
            toll: draw.toll,
            day_only: draw.day_only,
        })
    }

    /// Every event, in order.
    pub fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The events of positions `range`, in order.
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = Event> + '_ {
        range.filter_map(|i| self.get(i))
    }

    /// The position of a feature's event, when it is one of them.
    pub fn position(&self, r: FeatureRef) -> Option<usize> {
        self.index.position(r)
    }

    /// True when both are the same list (one rebuild of the dataset).
    pub fn same(a: &Self, b: &Self) -> bool {
        Arc::ptr_eq(&a.index, &b.index)
    }
}

/// A layer in the dataset: its shared data and how this session shows it. Cloning it (as an
/// export does) copies the settings and shares the data.
#[derive(Clone, Debug)]
pub struct LayerEntry {
    /// Stable while the layer is loaded.
    pub id: LayerId,
    /// Bundled events, bundled border, or custom.
    pub role: LayerRole,
    /// Features, prepared geometry, drawing facts, events.
    pub data: Arc<LayerData>,
    /// Drawn or not.
    pub visible: bool,
    /// How it is drawn.
    pub style: LayerStyle,
    /// The result of styling by a property, when one is chosen.
    pub by_property: Option<Arc<ByProperty>>,
    /// Which features pass the dataset's filter (`None`: all of them).
    pub passes: Option<Arc<Vec<bool>>>,
}

impl std::ops::Deref for LayerEntry {
    type Target = LayerData;

    fn deref(&self) -> &LayerData {
        &self.data
    }
}

impl LayerEntry {
    /// Sets the style, restyling by property when that choice changed.
    pub fn set_style(&mut self, style: LayerStyle) {
        let restyle = style.by_property != self.style.by_property
            || (style.by_property.is_some() && style.point_size != self.style.point_size)
            || (style.by_property.is_some() && self.by_property.is_none());
        self.style = style;
        if restyle {
            self.by_property = self
                .style
                .by_property
                .as_deref()
                .map(|key| Arc::new(style_by(&self.data.layer, key, self.style.point_size)));
        }
    }

    /// Whether feature `fi` passes the filter.
    pub fn passes(&self, fi: u32) -> bool {
        self.passes
            .as_ref()
            .is_none_or(|m| m.get(fi as usize).copied().unwrap_or(true))
    }

    /// Which features pass `filter` (`None` when all do, or there is no filter). Big layers
    /// are judged on every core.
    pub fn judge(&self, filter: &Filter) -> Option<Arc<Vec<bool>>> {
        if filter.is_empty() {
            return None;
        }
        let custom = self.role == LayerRole::Custom;
        let features = &self.data.layer.features;
        // The kind read at load, by feature.
        let draw = &self.data.draw;
        let kind_of = |fi: u32| draw.get(fi as usize).and_then(|d| d.kind);
        let judge_part = |part: &[Feature], first: usize| -> Vec<bool> {
            part.iter()
                .enumerate()
                .map(|(i, f)| {
                    let fi = (first + i) as u32;
                    filter.passes_known(f, 0, fi, custom, f.span.and_then(|_| kind_of(fi)))
                })
                .collect()
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let mask: Vec<bool> = if features.len() < 20_000 || threads < 2 {
            judge_part(features, 0)
        } else {
            let chunk = features.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = features
                    .chunks(chunk)
                    .enumerate()
                    .map(|(i, part)| scope.spawn(move || judge_part(part, i * chunk)))
                    .collect();
                handles
                    .into_iter()
                    .zip(features.chunks(chunk))
                    .flat_map(|(h, part)| h.join().unwrap_or_else(|_| vec![true; part.len()]))
                    .collect()
            })
        };
        (!mask.iter().all(|&p| p)).then(|| Arc::new(mask))
    }

    /// Property names found in the first features, for the style-by picker.
    pub fn property_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for f in self.layer.features.iter().take(200) {
            for k in f.properties_map().keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
        names.sort();
        names
    }

    /// Prepares a layer for drawing: projection, tessellation, styles, events. Heavy for big
    /// layers, so the loader runs it on its thread, and big layers use every core.
    pub fn new(mut layer: Layer, role: LayerRole) -> Self {
        exact(&mut layer.features);
        let prepared = PreparedLayer::new(&layer);
        let draw = draw_of(&layer.features);
        let dated = Positions::new(
            (0..draw.len() as u32)
                .filter(|&fi| draw[fi as usize].kind.is_some())
                .collect(),
        );
        // Sorted on keys read once, not through `dated` and the feature at each comparison.
        let mut keyed: Vec<(Option<jiff::Timestamp>, u32)> = dated
            .iter()
            .enumerate()
            .map(|(i, fi)| {
                let start = layer.features.get(fi as usize).and_then(|f| f.span);
                (start.map(|s| s.start()), i as u32)
            })
            .collect();
        keyed.sort_unstable();
        let by_start: Vec<u32> = keyed.into_iter().map(|(_, i)| i).collect();
        Self {
            id: LayerId::fresh(),
            role,
            data: Arc::new(LayerData {
                layer,
                prepared,
                draw,
                dated,
                by_start,
            }),
            visible: true,
            style: LayerStyle::default(),
            by_property: None,
            passes: None,
        }
    }
}

/// The drawing facts of every feature (with the kind, toll and estimate of the dated ones'
/// events), in feature order, reading each feature's properties once. Big layers are split
/// over the cores.
fn draw_of(features: &[Feature]) -> Vec<FeatureDraw> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if features.len() < 20_000 || threads < 2 {
        return draw_part(features, 0, true);
    }
    let chunk = features.len().div_ceil(threads);
    let parts: Vec<Vec<FeatureDraw>> = std::thread::scope(|scope| {
        let handles: Vec<_> = features
            .chunks(chunk)
            .enumerate()
            .map(|(i, part)| scope.spawn(move || draw_part(part, i * chunk, true)))
            .collect();
        handles
            .into_iter()
            .zip(features.chunks(chunk))
            .map(|(h, part)| {
                h.join()
                    .unwrap_or_else(|_| vec![FeatureDraw::default(); part.len()])
            })
            .collect()
    });
    let mut draw = Vec::with_capacity(features.len());
    for d in parts {
        draw.extend(d);
    }
    draw
}

/// [`draw_of`] the features from position `first` on. With `memo`, the dated rows of a table
/// whose facts come from known cells are read once per distinct set of those cells.
fn draw_part(features: &[Feature], first: usize, memo: bool) -> Vec<FeatureDraw> {
    let mut known: std::collections::HashMap<(usize, String), FeatureDraw> =
        std::collections::HashMap::new();
    features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let fi = (first + i) as u32;
            let key = f
                .properties
                .as_ref()
                .filter(|_| memo && f.span.is_some())
                .and_then(Properties::fact_key);
            if let Some(draw) = key.as_ref().and_then(|k| known.get(k)) {
                return draw.clone();
            }
            let draw = draw_one(f, fi);
            if let Some(key) = key
                && known.len() < MEMO_KEYS
            {
                known.insert(key, draw.clone());
            }
            draw
        })
        .collect()
}

/// Most distinct sets of fact cells remembered by one [`draw_part`].
const MEMO_KEYS: usize = 100_000;

/// The drawing facts of one feature, read from its properties.
fn draw_one(f: &Feature, fi: u32) -> FeatureDraw {
    // Parse the properties only when they hold something the map draws with.
    let relevant = f.span.is_some()
        || f.properties.as_ref().is_some_and(|p| {
            ["stroke", "fill", "marker", "title", "name", "kind", "pair"]
                .iter()
                .any(|k| p.may_contain(k))
        });
    let p = if f.span.is_some() {
        // An event: its kind, toll, estimate and style (its text waits until shown).
        f.properties
            .as_ref()
            .map(Properties::facts)
            .unwrap_or_default()
    } else if relevant {
        f.properties_map()
    } else {
        serde_json::Map::new()
    };
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let style = SimpleStyle::from_properties(&p);
    let label = matches!(text("kind").as_deref(), Some("enclave" | "enclave_point"))
        .then(|| text("name"))
        .flatten();
    let mut draw = FeatureDraw {
        kg_tj: text("pair").as_deref() == Some("KGZ-TJK"),
        ..FeatureDraw::default()
    };
    let mut name = None;
    match Event::from_properties(0, fi, f, &p) {
        Some(e) => {
            draw.kind = Some(e.kind);
            draw.estimated = e.estimated;
            draw.day_only = e.day_only;
            draw.toll = e.toll;
        }
        // Tooltips name timeless features; events have their record.
        None => name = text("title").or_else(|| text("name")),
    }
    draw.set_extra(style, label, name);
    draw
}

/// All layers, the events in time order, and the time index over them. Cheap to clone: the
/// layers' data, the events and the index are shared.
#[derive(Clone, Default)]
pub struct Dataset {
    /// In drawing order (first drawn first).
    pub layers: Vec<LayerEntry>,
    /// Dated features of the visible layers that pass the filter, sorted by start, then
    /// layer and feature.
    pub events: Events,
    /// Index of the dated features by time.
    pub index: Arc<TimeIndex>,
    /// Counts the rebuilds of `events`, so views can keep what they derive from them.
    pub generation: u64,
    /// What must hold for a feature to be shown (the list, the map, the timeline and every
    /// export alike).
    pub filter: Filter,
    /// Dated features of the visible layers before the filter (`events.len()` after it).
    pub unfiltered: usize,
    /// Their time range before the filter: the time cursor ranges over it, so a filter
    /// never takes a moment out of reach.
    pub unfiltered_range: Option<(jiff::Timestamp, jiff::Timestamp)>,
}

impl Dataset {
    /// Adds a layer on top and rebuilds the events and the time index.
    pub fn push(&mut self, layer: Layer, role: LayerRole) {
        self.push_entry(LayerEntry::new(layer, role));
    }

    /// Adds a prepared layer on top; a user layer gets the next colour of the palette.
    pub fn push_entry(&mut self, mut entry: LayerEntry) {
        if entry.role == LayerRole::Custom && entry.style == LayerStyle::default() {
            let n = self
                .layers
                .iter()
                .filter(|l| l.role == LayerRole::Custom)
                .count();
            entry.style.color = PALETTE[n % PALETTE.len()];
        }
        entry.passes = entry.judge(&self.filter);
        self.layers.push(entry);
        self.rebuild();
    }

    /// Features in all layers.
    pub fn feature_count(&self) -> usize {
        self.layers.iter().map(|l| l.layer.features.len()).sum()
    }

    /// Takes a filter whose layers were judged elsewhere (a worker thread, with clones of
    /// the layers: see [`LayerEntry::judge`]), by layer id; a layer opened since is judged
    /// here. Rebuilds the events and the time index.
    pub fn set_filter_judged(&mut self, filter: Filter, judged: Judged) {
        self.filter = filter;
        for entry in &mut self.layers {
            entry.passes = match judged.iter().find(|(id, _)| *id == entry.id) {
                Some((_, mask)) => mask.clone(),
                None => entry.judge(&self.filter),
            };
        }
        self.rebuild();
    }

    /// Filters every layer with `filter` (each feature is judged once, here) and rebuilds the
    /// events and the time index from what passes.
    pub fn set_filter(&mut self, filter: Filter) {
        self.filter = filter;
        for entry in &mut self.layers {
            entry.passes = entry.judge(&self.filter);
        }
        self.rebuild();
    }

    /// What the map shows of the bundled events and the user's layers at the cursor of
    /// `visible`, in layer and feature order: their timeless features that pass the filter,
    /// and their dated features that are visible (the visible set is filtered already).
    pub fn shown_features(&self, visible: &crate::time::Visible) -> Vec<FeatureRef> {
        let mut out = Vec::new();
        for (li, entry) in self.layers.iter().enumerate() {
            if !entry.visible || entry.role == LayerRole::Border {
                continue;
            }
            for (fi, f) in entry.layer.features.iter().enumerate() {
                let r = FeatureRef::new(li as u32, fi as u32);
                let shown = match f.span {
                    None => entry.passes(fi as u32),
                    Some(_) => visible.contains(r),
                };
                if shown {
                    out.push(r);
                }
            }
        }
        out
    }

    /// The shown event with this id (its record's id: the `id` property, else the feature's).
    pub fn event_by_id(&self, id: &str) -> Option<FeatureRef> {
        self.events.iter().find_map(|e| {
            let record = self.record(&e)?;
            (record.id == id).then(|| FeatureRef::new(e.layer, e.feature))
        })
    }

    /// Whether a feature passes the filter.
    pub fn passes(&self, r: FeatureRef) -> bool {
        self.layers
            .get(r.layer as usize)
            .is_none_or(|l| l.passes(r.feature))
    }

    /// Shows or hides a layer (its events leave the list and the timeline too).
    pub fn set_visible(&mut self, index: usize, visible: bool) {
        if let Some(l) = self.layers.get_mut(index) {
            l.visible = visible;
            self.rebuild();
        }
    }

    /// Moves a layer one step up (drawn later) or down.
    pub fn move_layer(&mut self, index: usize, up: bool) {
        let other = if up { index + 1 } else { index.wrapping_sub(1) };
        if index < self.layers.len() && other < self.layers.len() {
            self.layers.swap(index, other);
            self.rebuild();
        }
    }

    /// Removes a layer.
    pub fn remove(&mut self, index: usize) -> Option<LayerEntry> {
        if index >= self.layers.len() {
            return None;
        }
        let entry = self.layers.remove(index);
        self.rebuild();
        Some(entry)
    }

    /// The position of a layer.
    pub fn position(&self, id: LayerId) -> Option<usize> {
        self.layers.iter().position(|l| l.id == id)
    }

    /// Rebuilds the event list and the time index from the visible layers.
    pub fn rebuild(&mut self) {
        let mut unfiltered = 0;
        let mut shown = 0;
        let mut range: Option<(jiff::Timestamp, jiff::Timestamp)> = None;
        for entry in self.layers.iter().filter(|e| e.visible) {
            unfiltered += entry.dated.len();
            for i in 0..entry.dated.len() {
                let Some((fi, span)) = entry.dated_span(i) else {
                    continue;
                };
                range = Some(match range {
                    None => (span.start(), span.end()),
                    Some((a, b)) => (a.min(span.start()), b.max(span.end())),
                });
                shown += usize::from(entry.passes(fi));
            }
        }
        // Sized once: a million entries grown by doubling held room for half a million more.
        let mut entries = Vec::with_capacity(shown);
        for (li, entry) in self.layers.iter().enumerate() {
            if entry.visible {
                entries.extend(
                    entry
                        .events()
                        .filter(|e| entry.passes(e.feature))
                        .map(|e| (FeatureRef::new(li as u32, e.feature), e.span)),
                );
            }
        }
        self.unfiltered = unfiltered;
        self.unfiltered_range = range;
        self.index = Arc::new(TimeIndex::of(entries));
        self.events = Events {
            index: Arc::clone(&self.index),
            layers: self.layers.iter().map(|e| Arc::clone(&e.data)).collect(),
        };
        self.generation += 1;
    }

    /// The position in [`Dataset::events`] of a feature's event, if it is dated and shown.
    pub fn event_position(&self, r: FeatureRef) -> Option<usize> {
        self.events.position(r)
    }

    /// The event of a feature, if it is dated and shown.
    pub fn event_of(&self, r: FeatureRef) -> Option<Event> {
        self.events.get(self.event_position(r)?)
    }

    /// The text of an event (headline, place, claims, sources), read from its feature.
    pub fn record(&self, e: &Event) -> Option<EventRecord> {
        let r = FeatureRef {
            layer: e.layer,
            feature: e.feature,
        };
        EventRecord::from_feature(e.layer, e.feature, self.feature(r)?)
    }

    /// A feature as read.
    pub fn feature(&self, r: FeatureRef) -> Option<&Feature> {
        self.layers
            .get(r.layer as usize)?
            .layer
            .features
            .get(r.feature as usize)
    }

    /// The text of a feature's event, if it is dated and shown.
    pub fn record_of(&self, r: FeatureRef) -> Option<EventRecord> {
        self.record(&self.event_of(r)?)
    }

    /// Drawing facts of a feature.
    pub fn draw(&self, r: FeatureRef) -> Option<&FeatureDraw> {
        self.layers
            .get(r.layer as usize)?
            .draw
            .get(r.feature as usize)
    }

    /// The mercator centre of a feature.
    pub fn center_of(&self, r: FeatureRef) -> Option<[f64; 2]> {
        self.layers
            .get(r.layer as usize)?
            .prepared
            .features
            .get(r.feature as usize)?
            .center()
    }

    /// The range the time cursor may take (see [`crate::time::cursor_range`]).
    pub fn cursor_range(&self) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
        crate::time::cursor_range(self.unfiltered_range, &[])
    }
}

#[cfg(test)]
mod tests {
    /// A layer keeps no events: made again from its features and drawing facts, they are
    /// the events its properties give, each dated feature's once.
    #[test]
    fn a_layers_events_made_on_demand_are_those_its_properties_give() {
        let ds = crate::io::bundled::dataset();
        let mut checked = 0;
        for entry in &ds.layers {
            let made: Vec<Event> = entry.events().collect();
            let dated: Vec<Event> = entry
                .layer
                .features
                .iter()
                .enumerate()
                .filter_map(|(fi, f)| Event::from_properties(0, fi as u32, f, &f.properties_map()))
                .collect();
            assert_eq!(made.len(), dated.len(), "{}", entry.layer.name);
            for (a, b) in made.iter().zip(&dated) {
                assert_eq!(
                    (a.feature, a.kind, a.span, a.estimated),
                    (b.feature, b.kind, b.span, b.estimated)
                );
                assert_eq!((a.toll, a.day_only), (b.toll, b.day_only));
                let radius = entry.draw[a.feature as usize].radius();
                if a.kind.is_violent() {
                    assert_eq!(radius, site_radius(a.toll.into()));
                }
            }
            checked += made.len();
        }
        assert!(checked > 20, "{checked}");
        // The dataset's list holds each of them once, with its layer.
        assert_eq!(ds.events.len(), checked);
    }

    /// The dataset's events, made when asked for from the time index and the layers'
    /// drawing facts, are the visible layers' events that pass the filter, by start, then
    /// layer and feature, each found again at its position.
    #[test]
    fn the_events_are_the_shown_layers_events_in_time_order() {
        let mut ds = crate::io::bundled::dataset();
        let mut text = String::from("event_date,event_type,latitude,longitude\n");
        for i in 0..37 {
            text.push_str(&format!("2022-09-{:02},Battles,39.9,70.{i}\n", 1 + i % 28));
        }
        let layer = crate::io::csv::read_csv(
            text.as_bytes(),
            std::path::Path::new("few.csv"),
            &crate::io::timefields::TimeReader::default(),
            None,
        );
        let bundled = ds.events.len();
        ds.push(layer, LayerRole::Custom);
        assert_eq!(ds.events.len(), bundled + 37);
        let filter = Filter::parse_all(&["kind=clash"]).expect("a filter");
        for (hidden, filter) in [(None, Filter::default()), (Some(0), filter)] {
            ds.set_filter(filter);
            if let Some(i) = hidden {
                ds.set_visible(i, false);
            }
            let mut want: Vec<Event> = ds
                .layers
                .iter()
                .enumerate()
                .filter(|(_, entry)| entry.visible)
                .flat_map(|(li, entry)| {
                    entry
                        .events()
                        .filter(|e| entry.passes(e.feature))
                        .map(move |e| Event {
                            layer: li as u32,
                            ..e
                        })
                })
                .collect();
            want.sort_by_key(|e| (e.span.start(), e.layer, e.feature));
            let made: Vec<Event> = ds.events.iter().collect();
            assert_eq!(made, want);
            assert!(made.len() > 30, "{}", made.len());
            for (i, e) in made.iter().enumerate() {
                let r = FeatureRef::new(e.layer, e.feature);
                assert_eq!(ds.event_position(r), Some(i));
                assert_eq!(ds.event_of(r).as_ref(), Some(e));
            }
        }
    }

    /// Rows alike in the cells their facts come from are read once: what they are drawn
    /// with is what reading each would give.
    #[test]
    fn rows_read_once_per_distinct_fact_cells_are_drawn_as_each_read_alone() {
        let mut text = String::from(
            "event_id_cnty,event_date,event_type,sub_event_type,location,latitude,longitude,geo_precision,notes,fatalities,marker-color\n",
        );
        let kinds = [
            ("Battles", "Armed clash"),
            (
                "Explosions/Remote violence",
                "Shelling/artillery/missile attack",
            ),
            ("Protests", "Peaceful protest"),
            ("Strategic developments", "Agreement"),
        ];
        for i in 0..400 {
            let (event, sub) = kinds[i % 4];
            let color = if i % 7 == 0 { "#ff0000" } else { "" };
            text.push_str(&format!(
                "K{i},2022-09-{:02},{event},{sub},P{},{},70.5,{},note {i},{},{color}\n",
                1 + i % 28,
                i % 9,
                39.0 + i as f64 / 1000.0,
                1 + i % 3,
                i % 5,
            ));
        }
        let layer = crate::io::csv::read_csv(
            text.as_bytes(),
            std::path::Path::new("acled.csv"),
            &crate::io::timefields::TimeReader::default(),
            None,
        );
        assert_eq!(layer.features.len(), 400, "{:?}", layer.problems);
        let alone = draw_part(&layer.features, 0, false);
        let memo = draw_part(&layer.features, 0, true);
        let differ = memo.iter().zip(&alone).filter(|(a, b)| a != b).count();
        assert_eq!(
            (memo.len(), differ),
            (alone.len(), 0),
            "rows drawn otherwise"
        );
        // The facts differ from row to row: kinds, tolls, estimates and colours.
        assert!(alone.iter().any(|d| d.style().marker_color.is_some()));
        assert!(alone.iter().any(|d| d.estimated) && alone.iter().any(|d| !d.estimated));
        assert!(alone.iter().map(|d| d.toll as u32).max() >= Some(4));
        let keys: std::collections::HashSet<_> = layer
            .features
            .iter()
            .filter_map(|f| f.properties.as_ref()?.fact_key())
            .collect();
        assert!(keys.len() < 400 && keys.len() > 20, "{}", keys.len());
    }

    #[test]
    fn a_features_drawing_facts_take_16_bytes() {
        // A million points: 16 MB, not the 88 MB a style, a label and a name inline took.
        assert_eq!(std::mem::size_of::<FeatureDraw>(), 16);
    }

    use super::*;
    use crate::model::{Feature, TimeSpan};

    /// A layer of points at (70, 40), dated where a day is given.
    fn layer(days: &[Option<&str>]) -> Layer {
        let features = days
            .iter()
            .enumerate()
            .map(|(i, day)| {
                let span = day.map(|d| {
                    let t: jiff::Timestamp = format!("{d}T00:00:00Z").parse().unwrap();
                    TimeSpan::instant(t)
                });
                Feature {
                    given_id: Some(format!("f{i}").into()),
                    shape: Some(crate::model::Shape::Point(geo::Point::new(70.0, 40.0))),
                    properties: None,
                    span,
                    line: 0,
                }
            })
            .collect();
        Layer {
            name: "t".into(),
            features,
            ..Layer::default()
        }
    }

    #[test]
    fn the_filter_judges_each_feature_once_and_the_events_follow() {
        let mut ds = two_layers();
        // The custom layer's features get properties: a number each (0 and 5).
        let mut custom = layer(&[Some("2022-09-15"), None]);
        for (i, f) in custom.features.iter_mut().enumerate() {
            let raw = serde_json::value::to_raw_value(&serde_json::json!({"n": i * 5})).unwrap();
            f.properties = Some(Properties::Json(raw));
        }
        ds.push(custom, LayerRole::Custom);
        assert_eq!((ds.events.len(), ds.unfiltered), (5, 5));
        let range = ds.cursor_range();
        ds.set_filter(Filter::parse_all(&["prop:n>=5"]).unwrap());
        assert_eq!(
            ds.cursor_range(),
            range,
            "a filter takes no moment out of reach"
        );
        let mut none = ds.clone();
        none.set_filter(Filter::parse_all(&["text=no such words"]).unwrap());
        assert_eq!((none.events.len(), none.index.range()), (0, None));
        assert_eq!(none.cursor_range(), range, "even when nothing passes");
        // The bundled layer passes prop conditions (its 2 events stay); the first user layer
        // has no n (its 2 events go); in the new one only the timeless feature with n = 5
        // passes, and its dated one (n = 0) leaves the events.
        assert_eq!((ds.events.len(), ds.unfiltered), (2, 5));
        assert!(!ds.passes(FeatureRef::new(2, 0)));
        assert!(ds.passes(FeatureRef::new(2, 1)));
        // A layer opened later is judged as it joins.
        ds.push(layer(&[Some("2022-09-17")]), LayerRole::Custom);
        assert!(!ds.passes(FeatureRef::new(3, 0)), "no n: fails prop:n>=5");
        ds.set_filter(Filter::default());
        assert_eq!(ds.events.len(), ds.unfiltered);
        assert!(ds.layers.iter().all(|l| l.passes.is_none()));
    }

    fn two_layers() -> Dataset {
        let mut ds = Dataset::default();
        ds.push(
            layer(&[Some("2022-09-14"), None, Some("2022-09-16")]),
            LayerRole::Events,
        );
        ds.push(
            layer(&[Some("2022-09-15"), Some("2022-09-14")]),
            LayerRole::Custom,
        );
        ds
    }

    #[test]
    fn layers_move_hide_and_go() {
        let mut ds = two_layers();
        assert_eq!(ds.events.len(), 4);
        ds.push(layer(&[Some("2022-09-16")]), LayerRole::Custom);
        assert_eq!(ds.events.len(), 5);
        ds.set_visible(2, false);
        assert_eq!(ds.events.len(), 4, "hidden layers leave the list");
        ds.move_layer(2, false);
        assert_eq!(ds.layers[1].role, LayerRole::Custom);
        assert!(!ds.layers[1].visible);
        assert!(ds.remove(1).is_some());
        assert_eq!(ds.layers.len(), 2);
    }

    #[test]
    fn events_are_in_time_order_and_found_from_their_feature() {
        let ds = two_layers();
        let starts: Vec<_> = ds.events.iter().map(|e| e.span.start()).collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
        for (i, e) in ds.events.iter().enumerate() {
            let r = FeatureRef {
                layer: e.layer,
                feature: e.feature,
            };
            assert_eq!(ds.event_position(r), Some(i), "{e:?}");
        }
        let timeless = FeatureRef {
            layer: 0,
            feature: 1,
        };
        assert_eq!(ds.event_position(timeless), None);
    }

    #[test]
    fn the_small_events_agree_with_their_records() {
        let ds = crate::io::bundled::dataset();
        assert!(ds.events.len() > 30);
        for e in ds.events.iter() {
            let record = ds.record(&e).unwrap();
            assert_eq!(Event::of(&record), e, "{}", record.id);
        }
        assert!(ds.events.iter().any(|e| e.toll > 100.0 && e.estimated));
    }

    #[test]
    fn a_clone_shares_the_layers_and_the_events() {
        let ds = two_layers();
        let copy = ds.clone();
        for (a, b) in ds.layers.iter().zip(&copy.layers) {
            assert!(Arc::ptr_eq(&a.data, &b.data), "layer data is shared");
            assert_eq!(a.id, b.id);
        }
        assert!(Events::same(&ds.events, &copy.events));
        assert!(Arc::ptr_eq(&ds.index, &copy.index));
    }

    #[test]
    fn ids_are_stable_when_layers_move() {
        let mut ds = two_layers();
        let ids: Vec<LayerId> = ds.layers.iter().map(|l| l.id).collect();
        assert_ne!(ids[0], ids[1]);
        ds.move_layer(0, true);
        assert_eq!(ds.position(ids[0]), Some(1));
        assert_eq!(ds.position(ids[1]), Some(0));
    }
}
