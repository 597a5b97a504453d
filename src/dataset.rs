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
    /// Style by this property: text values get distinct colours, numbers scale the points.
    pub by_property: Option<String>,
}

impl Default for LayerStyle {
    fn default() -> Self {
        Self {
            color: PALETTE[0],
            opacity: 1.0,
            line_width: 2.0,
            point_size: 5.0,
            by_property: None,
        }
    }
}

/// Colours for the categories of a property, most frequent first; the rest are grey.
pub const CATEGORY_COLORS: [[u8; 3]; 10] = [
    [0x1f, 0x77, 0xb4],
    [0xff, 0x7f, 0x0e],
    [0x2c, 0xa0, 0x2c],
    [0xd6, 0x27, 0x28],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x17, 0xbe, 0xcf],
    [0xbc, 0xbd, 0x22],
    [0x7f, 0x7f, 0x7f],
];

/// What styling by a property gave: per feature a colour or a radius, and the legend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ByProperty {
    /// Per feature: colour (categories) and radius (numbers).
    pub per_feature: Vec<(Option<[u8; 3]>, Option<f32>)>,
    /// Legend: value and colour, most frequent first ("other" last).
    pub categories: Vec<(String, [u8; 3])>,
    /// Legend for numbers: smallest and largest value.
    pub range: Option<(f64, f64)>,
}

/// Styles the features of `layer` by the property `key`.
pub fn style_by(layer: &Layer, key: &str, point_size: f32) -> ByProperty {
    use serde_json::Value;
    let values: Vec<Option<Value>> = layer
        .features
        .iter()
        .map(|f| f.properties_map().remove(key).filter(|v| !v.is_null()))
        .collect();
    let numbers: Vec<Option<f64>> = values
        .iter()
        .map(|v| v.as_ref().and_then(Value::as_f64))
        .collect();
    let present = values.iter().filter(|v| v.is_some()).count();
    if present > 0 && numbers.iter().filter(|n| n.is_some()).count() == present {
        let (lo, hi) = numbers
            .iter()
            .flatten()
            .fold((f64::MAX, f64::MIN), |(a, b), &n| (a.min(n), b.max(n)));
        let span = (hi - lo).max(1e-12);
        let per_feature = numbers
            .iter()
            .map(|n| {
                (
                    None,
                    n.map(|n| {
                        (point_size * 0.6 + ((n - lo) / span).sqrt() as f32 * point_size * 2.4)
                            .clamp(2.0, 30.0)
                    }),
                )
            })
            .collect();
        return ByProperty {
            per_feature,
            categories: Vec::new(),
            range: Some((lo, hi)),
        };
    }
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut counts: Vec<(String, usize)> = Vec::new();
    for v in values.iter().flatten() {
        let t = text(v);
        if let Some(i) = counts.iter().position(|(k, _)| *k == t) {
            counts[i].1 += 1;
        } else if counts.len() < 10_000 {
            counts.push((t, 1));
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let named = CATEGORY_COLORS.len() - 1;
    let mut categories: Vec<(String, [u8; 3])> = counts
        .iter()
        .take(named)
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), CATEGORY_COLORS[i]))
        .collect();
    if counts.len() > named {
        categories.push(("other".into(), CATEGORY_COLORS[named]));
    }
    let per_feature = values
        .iter()
        .map(|v| {
            let color = v.as_ref().map(|v| {
                let t = text(v);
                categories
                    .iter()
                    .take(named)
                    .find(|(k, _)| *k == t)
                    .map_or(CATEGORY_COLORS[named], |(_, c)| *c)
            });
            (color, None)
        })
        .collect();
    ByProperty {
        per_feature,
        categories,
        range: None,
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
    /// The result of styling by a property, when one is chosen.
    pub by_property: Option<ByProperty>,
    /// Drawn geometry of a big layer, reused while panning (see `map::overlay::LayerCache`).
    pub cache: std::sync::Arc<std::sync::Mutex<Option<crate::map::overlay::LayerCache>>>,
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
                .map(|key| style_by(&self.layer, key, self.style.point_size));
        }
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
            by_property: None,
            cache: Default::default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(props: &[&str]) -> Layer {
        let features: Vec<String> = props
            .iter()
            .map(|p| format!(r#"{{"type":"Feature","properties":{p},"geometry":{{"type":"Point","coordinates":[70,40]}}}}"#))
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        read_bundled(text.as_bytes(), "t.geojson")
    }

    #[test]
    fn categories_get_distinct_colours_most_frequent_first() {
        let l = layer(&[r#"{"t":"b"}"#, r#"{"t":"a"}"#, r#"{"t":"b"}"#, r#"{}"#]);
        let by = style_by(&l, "t", 5.0);
        assert_eq!(by.categories[0].0, "b");
        assert_eq!(by.categories[1].0, "a");
        assert_ne!(by.categories[0].1, by.categories[1].1);
        assert_eq!(by.per_feature[0].0, Some(by.categories[0].1));
        assert_eq!(
            by.per_feature[3],
            (None, None),
            "no value: the layer colour"
        );
    }

    #[test]
    fn numbers_scale_the_points() {
        let l = layer(&[r#"{"n":0}"#, r#"{"n":100}"#, r#"{"n":25}"#]);
        let by = style_by(&l, "n", 5.0);
        assert_eq!(by.range, Some((0.0, 100.0)));
        let sizes: Vec<f32> = by
            .per_feature
            .iter()
            .map(|(_, s)| s.unwrap_or(0.0))
            .collect();
        assert!(sizes[0] < sizes[2] && sizes[2] < sizes[1], "{sizes:?}");
    }

    #[test]
    fn layers_move_hide_and_go() {
        let mut ds = Dataset::bundled();
        let n = ds.events.len();
        ds.push(layer(&[r#"{"date":"2022-09-16"}"#]), LayerRole::Custom);
        assert_eq!(ds.events.len(), n + 1);
        ds.set_visible(2, false);
        assert_eq!(ds.events.len(), n, "hidden layers leave the list");
        ds.move_layer(2, false);
        assert_eq!(ds.layers[1].role, LayerRole::Custom);
        assert!(ds.remove(1).is_some());
        assert_eq!(ds.layers.len(), 2);
    }
}
