//! The scene that the window and every export draw: the basemap with its place names, the
//! overlay of the dataset at the time cursor, the legend, scale bar, attribution, time and
//! title. One function draws it ([`map_scene_ui`]), so an export is exactly what the window
//! shows; one zoom policy and one tile wait serve both.

use std::sync::Arc;
use std::time::Duration;

use egui::Ui;
use walkers::{Map, MapMemory, lon_lat};

use super::basemap::OfflineTiles;
use super::clusters::Shown;
use super::furniture;
use super::layer_tiles::TileTime;
use super::marks::{self, Marks};
use super::overlay::{DrawCaches, Overlay, OverlayOutput, PlaceLabel};
use super::raster::BasemapData;
use super::style::rgb;
use super::view::ViewPreset;
use crate::io::bundled;
use crate::model::Layer;
use crate::model::dataset::{Dataset, LayerRole};
use crate::model::geom::mercator;
use crate::time::{FeatureRef, TimeControl, TimeMode, Visible, age_fraction};

/// How long an export waits for basemap tiles before it draws a coarser basemap there.
pub const TILE_WAIT: Duration = Duration::from_secs(20);

/// The basemap: its tiles and its place names.
pub struct Basemap {
    /// Rendered tiles.
    pub tiles: OfflineTiles,
    /// Place labels, by rank.
    pub places: Vec<PlaceLabel>,
}

impl Basemap {
    /// The bundled offline basemap.
    pub fn bundled(ctx: &egui::Context) -> Self {
        Self {
            tiles: OfflineTiles::new(ctx, Arc::new(bundled_basemap_data())),
            places: place_labels(bundled::places()),
        }
    }
}

/// The raster basemap's geometry from the bundled countries, lakes, provinces and world.
pub fn bundled_basemap_data() -> BasemapData {
    let countries = bundled::read_bundled(bundled::COUNTRIES, "assets/basemap/countries.geojson");
    let lakes = bundled::read_bundled(bundled::LAKES, "assets/basemap/lakes.geojson");
    let provinces = bundled::read_bundled(bundled::PROVINCES, "assets/basemap/provinces.geojson");
    let world = bundled::read_bundled(bundled::WORLD, "assets/basemap/world.geojson");
    basemap_data(&countries, &lakes, &provinces).with_world(basemap_data(
        &world,
        &Layer::default(),
        &Layer::default(),
    ))
}

/// The raster basemap's geometry from the bundled layers.
pub fn basemap_data(countries: &Layer, lakes: &Layer, provinces: &Layer) -> BasemapData {
    use geo::{Geometry, MultiPolygon};
    let countries = countries
        .features
        .iter()
        .filter_map(|f| {
            let iso = f.property_text("iso_a3").unwrap_or_default();
            match f.geometry().as_deref()? {
                Geometry::Polygon(p) => Some((iso, MultiPolygon(vec![p.clone()]))),
                Geometry::MultiPolygon(mp) => Some((iso, mp.clone())),
                _ => None,
            }
        })
        .collect();
    let lakes = lakes
        .features
        .iter()
        .flat_map(|f| match f.geometry().as_deref() {
            Some(Geometry::Polygon(p)) => vec![p.clone()],
            Some(Geometry::MultiPolygon(mp)) => mp.0.clone(),
            _ => Vec::new(),
        })
        .collect();
    let provinces = provinces
        .features
        .iter()
        .flat_map(|f| match f.geometry().as_deref() {
            Some(Geometry::LineString(l)) => vec![l.clone()],
            Some(Geometry::MultiLineString(ml)) => ml.0.clone(),
            _ => Vec::new(),
        })
        .collect();
    BasemapData::new(countries, lakes, provinces)
}

/// Place labels from the places layer, best rank first.
pub fn place_labels(places: &Layer) -> Vec<PlaceLabel> {
    let mut labels: Vec<PlaceLabel> = places
        .features
        .iter()
        .filter_map(|f| {
            let geometry = f.geometry();
            let Some(geo::Geometry::Point(p)) = geometry.as_deref() else {
                return None;
            };
            Some(PlaceLabel {
                name: f.property_text("name")?,
                at: mercator(p.x(), p.y()),
                rank: f
                    .property_text("rank")
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(4),
            })
        })
        .collect();
    labels.sort_by_key(|l| l.rank);
    labels
}

/// Everything the map view draws: used by the window and by the export alike, so an export
/// is exactly what the window shows.
pub struct MapScene<'a> {
    /// Layers and events.
    pub dataset: &'a Dataset,
    /// This frame's visible set.
    pub visible: &'a Visible,
    /// The time control (cursor, zone).
    pub time: &'a TimeControl,
    /// Selected feature.
    pub selection: Option<FeatureRef>,
    /// Basemap tiles and place names.
    pub basemap: &'a mut Basemap,
    /// Map position and zoom.
    pub memory: &'a mut MapMemory,
    /// This view's drawing caches (each view owns its own).
    pub caches: &'a mut DrawCaches,
    /// A title drawn over the map (exports).
    pub title: Option<&'a str>,
    /// An online or PMTiles basemap drawn over the offline one (which shows where it has
    /// no tile), with its attribution.
    pub online: Option<(&'a mut dyn walkers::Tiles, String)>,
    /// Window (buttons, hover, clicks) or picture (none of them).
    pub interactive: bool,
    /// Measurements and the Go to marker.
    pub marks: Marks<'a>,
    /// Draw each site's precision area.
    pub precision_areas: bool,
}

/// Draws the map with its overlays, legend, scale bar, attribution and time label; says what
/// was hovered, clicked and drawn, and which view button was pressed.
pub fn map_scene_ui(ui: &mut Ui, scene: MapScene) -> OverlayOutput {
    let mut out = OverlayOutput::default();
    let MapScene {
        dataset,
        visible,
        time,
        selection,
        basemap,
        memory,
        caches,
        title,
        online,
        interactive,
        marks,
        precision_areas,
    } = scene;
    let Basemap { tiles, places } = basemap;
    let shown = |r: FeatureRef| shown_in(dataset, visible, time, r);
    caches.retain_layers(dataset);
    let overlay = Overlay {
        dataset,
        shown: &shown,
        selection,
        places,
        zone: time.zone(),
        time: TileTime {
            shown: match time.mode() {
                TimeMode::Cumulative => Shown::Begun(time.shown_interval().1),
                TimeMode::Window { .. } => {
                    let (from, to) = time.shown_interval();
                    Shown::Overlapping(from, to)
                }
            },
            cursor: time.cursor(),
            mode: time.mode(),
        },
        caches,
        out: &mut out,
    };
    let (lon, lat, _) = ViewPreset::ConflictArea.view();
    let time_text = furniture::time_text(time.zone(), time.cursor());
    let attribution_text = online.as_ref().map(|(_, a)| a.clone());
    // A legend entry per user layer.
    let user_layers: Vec<(String, egui::Color32)> = dataset
        .layers
        .iter()
        .filter(|l| l.visible && l.role == LayerRole::Custom)
        .map(|l| (l.layer.name.clone(), rgb(l.style.color)))
        .collect();
    let mut map = Map::new(Some(tiles), memory, lon_lat(lon, lat));
    if let Some((layer, _)) = online {
        map = map.with_layer(layer, 1.0);
    }
    let mut map = map.with_plugin(overlay).zoom_with_ctrl(false);
    let measuring = marks.measure.is_some_and(|m| m.tool.is_some());
    if !interactive {
        map = map
            .zoom_gesture(false)
            .panning(false)
            .double_click_to_zoom(false);
    } else if measuring {
        // A quick second click adds a point; it does not zoom.
        map = map.double_click_to_zoom(false);
    }
    let mut go_to = None;
    let mut toggle_precision = false;
    let (mut pointer, mut clicked_at, mut menu) = (None, None, None);
    map.show(ui, |ui, response, projector, _memory| {
        let rect = projector.clip_rect();
        let lon_lat_at = |p: egui::Pos2| {
            let q = projector.unproject(p.to_vec2());
            [q.x(), q.y()]
        };
        if interactive {
            pointer = response.hover_pos().map(lon_lat_at);
            if response.clicked() {
                clicked_at = response.interact_pointer_pos().map(lon_lat_at);
            }
            menu = marks::map_menu(response, lon_lat_at);
        }
        let marks = Marks { pointer, ..marks };
        if precision_areas {
            marks::precision_areas(&ui.painter_at(rect), projector, dataset, &shown);
        }
        marks::draw(&ui.painter_at(rect), projector, &marks);
        if let Some(p) = pointer {
            marks::pointer_readout(ui, rect, p);
        }
        furniture::scale_bar(ui, projector, rect);
        furniture::attribution(ui, rect, attribution_text.as_deref());
        furniture::time_label(ui, rect, &time_text);
        if let Some(title) = title {
            furniture::title_label(ui, rect, title);
        }
        let legend_top = if title.is_some() { 52.0 } else { 8.0 };
        egui::Area::new(egui::Id::unique("legend"))
            .fixed_pos(rect.left_top() + egui::vec2(8.0, legend_top))
            .order(egui::Order::Middle)
            .interactable(interactive)
            .show(ui.ctx(), |ui| {
                (go_to, toggle_precision) =
                    furniture::legend_ui(ui, interactive, &user_layers, precision_areas);
            });
    });
    out.go_to = go_to;
    out.toggle_precision = toggle_precision;
    out.pointer = pointer;
    out.clicked_at = clicked_at;
    out.menu = menu;
    out
}

/// Opacity of a feature at the cursor, `None` when hidden (or filtered out): timeless features always show,
/// dated ones when in the visible set, faded with age in cumulative mode.
pub fn shown_in(ds: &Dataset, visible: &Visible, time: &TimeControl, r: FeatureRef) -> Option<f32> {
    if !ds.passes(r) {
        return None;
    }
    match ds.feature(r)?.span {
        None => Some(1.0),
        Some(span) => visible
            .contains(r)
            .then(|| 1.0 - 0.6 * age_fraction(span, time)),
    }
}
