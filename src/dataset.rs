//! Everything loaded: the layers, each with its prepared geometry and per-feature drawing
//! facts, the dated events read from them, and the time index that answers "what is
//! visible now" once per frame for both the list and the map.

use std::path::Path;

use crate::io::timefields::TimeReader;
use crate::map::prepared::PreparedLayer;
use crate::map::style::{SimpleStyle, site_radius};
use crate::model::event::{Event, EventKind};
use crate::model::{Layer, Problem};
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

/// Facts about one feature the map needs every frame, read once.
#[derive(Clone, Debug, Default)]
pub struct FeatureDraw {
    /// Event kind, for dated features.
    pub kind: Option<EventKind>,
    /// simplestyle overrides.
    pub style: SimpleStyle,
    /// Marker radius in points.
    pub radius: f32,
    /// The location is estimated.
    pub estimated: bool,
    /// Text drawn on the map (enclave names).
    pub label: Option<String>,
    /// Short name for tooltips of timeless features.
    pub name: Option<String>,
    /// True for the Kyrgyz–Tajik border line.
    pub kg_tj: bool,
    /// Index into [`Dataset::events`], for dated features.
    pub event: Option<usize>,
}

/// How a layer is drawn; the user sets it in the layer panel and it is saved with the session.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LayerStyle {
    /// Colour of features without their own (simplestyle) colour, sRGB.
    pub color: [u8; 3],
    /// Opacity of the whole layer, 0..=1.
    pub opacity: f32,
    /// Line width in points.
    pub line_width: f32,
    /// Point radius in points.
    pub point_size: f32,
}

impl Default for LayerStyle {
    fn default() -> Self {
        Self {
            color: PALETTE[0],
            opacity: 1.0,
            line_width: 2.0,
            point_size: 5.0,
        }
    }
}

/// Distinct colours for user layers, in the order layers are added.
pub const PALETTE: [[u8; 3]; 8] = [
    [0x6a, 0x3d, 0x9a],
    [0xe7, 0x29, 0x8a],
    [0x1b, 0x9e, 0x77],
    [0xd9, 0x5f, 0x02],
    [0x75, 0x70, 0xb3],
    [0x66, 0xa6, 0x1e],
    [0xa6, 0x76, 0x1d],
    [0x1f, 0x78, 0xb4],
];

/// A layer with what was prepared from it.
#[derive(Clone)]
pub struct LayerEntry {
    /// The features as read.
    pub layer: Layer,
    /// Bundled events, bundled border, or custom.
    pub role: LayerRole,
    /// Projected and tessellated geometry.
    pub prepared: PreparedLayer,
    /// Per-feature drawing facts, in feature order.
    pub draw: Vec<FeatureDraw>,
    /// The layer's dated features as events (their `layer` index is set by the dataset).
    pub events: Vec<Event>,
    /// Drawn or not.
    pub visible: bool,
    /// How it is drawn.
    pub style: LayerStyle,
}

impl LayerEntry {
    /// Prepares a layer for drawing: projection, tessellation, styles, events. Heavy for big
    /// layers, so the loader runs it on its thread.
    pub fn new(layer: Layer, role: LayerRole) -> Self {
        let prepared = PreparedLayer::new(&layer);
        let mut events = Vec::new();
        let draw = layer
            .features
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                // Parse the properties only when they hold something the map draws with.
                let relevant = f.properties.as_ref().is_some_and(|raw| {
                    let t = raw.get();
                    ["stroke", "fill", "marker", "title", "name", "kind", "pair"]
                        .iter()
                        .any(|k| t.contains(k))
                });
                let p = if relevant {
                    f.properties_map()
                } else {
                    serde_json::Map::new()
                };
                let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
                if let Some(e) = Event::from_feature(0, fi as u32, f) {
                    events.push(e);
                }
                FeatureDraw {
                    style: SimpleStyle::from_properties(&p),
                    label: (text("kind").as_deref() == Some("enclave"))
                        .then(|| text("name"))
                        .flatten(),
                    name: text("title").or_else(|| text("name")),
                    kg_tj: text("pair").as_deref() == Some("KGZ-TJK"),
                    ..FeatureDraw::default()
                }
            })
            .collect();
        Self {
            layer,
            role,
            prepared,
            draw,
            events,
            visible: true,
            style: LayerStyle::default(),
        }
    }
}

/// All layers, the events in time order, and the time index over them.
#[derive(Clone, Default)]
pub struct Dataset {
    /// In drawing order (first drawn first).
    pub layers: Vec<LayerEntry>,
    /// Dated features of all layers, sorted by start then id.
    pub events: Vec<Event>,
    /// Index of the dated features by time.
    pub index: TimeIndex,
    /// Problems met while loading.
    pub problems: Vec<Problem>,
}

/// The bundled layers, compiled into the binary so the viewer needs no set-up.
pub mod bundled {
    /// `assets/events.geojson`.
    pub const EVENTS: &[u8] = include_bytes!("../assets/events.geojson");
    /// `assets/border.geojson`.
    pub const BORDER: &[u8] = include_bytes!("../assets/border.geojson");
    /// `assets/basemap/countries.geojson`.
    pub const COUNTRIES: &[u8] = include_bytes!("../assets/basemap/countries.geojson");
    /// `assets/basemap/lakes.geojson`.
    pub const LAKES: &[u8] = include_bytes!("../assets/basemap/lakes.geojson");
    /// `assets/basemap/provinces.geojson`.
    pub const PROVINCES: &[u8] = include_bytes!("../assets/basemap/provinces.geojson");
    /// `assets/basemap/places.geojson`.
    pub const PLACES: &[u8] = include_bytes!("../assets/basemap/places.geojson");
}

/// Reads a bundled layer from its bytes, naming it by its asset path.
pub fn read_bundled(bytes: &[u8], path: &str) -> Layer {
    crate::io::geojson::read_geojson(bytes, Path::new(path), &TimeReader::default())
}

impl Dataset {
    /// The bundled border and events.
    pub fn bundled() -> Self {
        let mut dataset = Self::default();
        dataset.push(
            read_bundled(bundled::BORDER, "assets/border.geojson"),
            LayerRole::Border,
        );
        dataset.push(
            read_bundled(bundled::EVENTS, "assets/events.geojson"),
            LayerRole::Events,
        );
        dataset
    }

    /// Adds a layer on top and rebuilds the events and the time index.
    pub fn push(&mut self, layer: Layer, role: LayerRole) {
        self.push_entry(LayerEntry::new(layer, role));
    }

    /// Adds a prepared layer on top; a user layer gets the next colour of the palette.
    pub fn push_entry(&mut self, mut entry: LayerEntry) {
        self.problems.extend(entry.layer.problems.iter().cloned());
        if entry.role == LayerRole::Custom && entry.style == LayerStyle::default() {
            let n = self
                .layers
                .iter()
                .filter(|l| l.role == LayerRole::Custom)
                .count();
            entry.style.color = PALETTE[n % PALETTE.len()];
        }
        self.layers.push(entry);
        self.rebuild();
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

    /// Rebuilds the event list and the time index from the visible layers.
    pub fn rebuild(&mut self) {
        let mut events = Vec::new();
        for (li, entry) in self.layers.iter_mut().enumerate() {
            for d in &mut entry.draw {
                d.kind = None;
                d.estimated = false;
                d.radius = 0.0;
                d.event = None;
            }
            for e in &mut entry.events {
                e.layer = li as u32;
            }
            if entry.visible {
                events.extend(entry.events.iter().cloned());
            }
        }
        events.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then_with(|| a.id.cmp(&b.id))
        });
        for (i, e) in events.iter().enumerate() {
            if let Some(d) = self
                .layers
                .get_mut(e.layer as usize)
                .and_then(|l| l.draw.get_mut(e.feature as usize))
            {
                d.kind = Some(e.kind);
                d.estimated = e.estimated;
                d.radius = if e.kind.is_violent() || e.kind == EventKind::CasualtyReport {
                    site_radius(e.max_toll())
                } else {
                    6.0
                };
                d.event = Some(i);
            }
        }
        self.index = TimeIndex::new(events.iter().map(|e| {
            (
                FeatureRef {
                    layer: e.layer,
                    feature: e.feature,
                },
                e.span,
            )
        }));
        self.events = events;
    }

    /// The event of a feature, if it is dated.
    pub fn event_of(&self, r: FeatureRef) -> Option<&Event> {
        let i = self.draw(r)?.event?;
        self.events.get(i)
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
}
