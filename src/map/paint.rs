//! How a user or bundled feature is painted, the one rule for every way the map draws it:
//! the overlay's meshes, the window's layer tiles and every export. Colours, widths, dashes,
//! and the level of detail of user layers.

use egui::{Color32, Stroke};

use super::style::{self, BORDER_KG_TJ, BORDER_OTHER, rgb};
use crate::model::dataset::{FeatureDraw, LayerEntry, LayerRole};
use crate::model::event::EventKind;
use crate::model::prepared::PreparedFeature;

/// More sites than this in view are drawn plainly: a disc each, without symbol or ring.
pub const DETAILED_SITES: usize = 3_000;

pub fn faded(c: Color32, alpha: f32) -> Color32 {
    c.gamma_multiply(alpha.clamp(0.0, 1.0))
}

/// A user layer's feature: drawn in the layer's colours, with level of detail.
pub fn custom(entry: &LayerEntry) -> bool {
    entry.role == LayerRole::Custom
}

/// True for a feature drawn in its layer's colours rather than its event kind's.
pub fn plain(entry: &LayerEntry, draw: &FeatureDraw) -> bool {
    custom(entry) && matches!(draw.kind, None | Some(EventKind::Other))
}

/// How a polygon is painted: fill, outline, and whether the outline is dashed. The one rule
/// for the direct and the cached path alike.
pub struct FillPaint {
    /// Fill colour.
    pub fill: Color32,
    /// Outline.
    pub stroke: Stroke,
    /// Dashed outline (evacuation zones).
    pub dashed: bool,
    /// Level of detail applies (user layers).
    pub lod: bool,
}

pub fn fill_paint(entry: &LayerEntry, feature: u32, alpha: f32) -> FillPaint {
    let draw = &entry.draw[feature as usize];
    let (fill, stroke, dashed) = match (entry.role, draw.kind) {
        _ if plain(entry, draw) => {
            let color = by_color(entry, feature).unwrap_or_else(|| layer_color(entry));
            (
                color.gamma_multiply(0.35),
                Stroke::new(entry.style.line_width.min(4.0), color),
                false,
            )
        }
        (_, Some(kind)) => {
            let c = style::kind_color(kind);
            (
                c.gamma_multiply(0.28),
                Stroke::new(1.5, c),
                kind == EventKind::Evacuation,
            )
        }
        (LayerRole::Border, None) => (
            Color32::from_rgba_unmultiplied(0xc0, 0x39, 0x2b, 40),
            Stroke::new(1.5, BORDER_KG_TJ),
            false,
        ),
        _ => (
            Color32::from_rgba_unmultiplied(0x6a, 0x3d, 0x9a, 90),
            Stroke::new(1.2, Color32::from_rgb(0x6a, 0x3d, 0x9a)),
            false,
        ),
    };
    FillPaint {
        fill: faded(draw.style().fill.map_or(fill, style::color), alpha),
        stroke: Stroke::new(
            draw.style().stroke_width.unwrap_or(stroke.width),
            faded(
                draw.style().stroke.map_or(stroke.color, style::color),
                alpha,
            ),
        ),
        dashed,
        lod: custom(entry),
    }
}

/// The colour and radius of a point: simplestyle first, then the property styling or the
/// layer's colour and point size for plain user points, else the event kind's colour and the
/// site size of its toll.
pub fn point_paint(entry: &LayerEntry, feature: u32) -> (Color32, f32) {
    let draw = &entry.draw[feature as usize];
    let plain = plain(entry, draw);
    let color = draw
        .style()
        .marker_color
        .map(style::color)
        .unwrap_or_else(|| {
            if plain {
                by_color(entry, feature).unwrap_or_else(|| layer_color(entry))
            } else {
                draw.kind.map_or(layer_color(entry), style::kind_color)
            }
        });
    let by_size = entry
        .by_property
        .as_ref()
        .and_then(|b| b.per_feature.get(feature as usize))
        .and_then(|(_, size)| *size);
    let radius = draw.style().marker_radius.unwrap_or(if plain {
        by_size.unwrap_or(entry.style.point_size)
    } else if draw.radius() > 0.0 {
        draw.radius()
    } else {
        entry.style.point_size
    });
    (color, radius)
}

/// How a line is painted. The one rule for the direct and the cached path alike.
pub fn line_paint(entry: &LayerEntry, feature: u32, alpha: f32) -> Stroke {
    let draw = &entry.draw[feature as usize];
    let (color, width) = match (entry.role, draw.kg_tj) {
        (LayerRole::Border, true) => (BORDER_KG_TJ, 3.0),
        (LayerRole::Border, false) => (BORDER_OTHER, 1.8),
        _ if plain(entry, draw) => (
            by_color(entry, feature).unwrap_or_else(|| layer_color(entry)),
            entry.style.line_width,
        ),
        _ => (
            draw.kind
                .map_or(Color32::from_rgb(0x6a, 0x3d, 0x9a), style::kind_color),
            2.0,
        ),
    };
    Stroke::new(
        draw.style().stroke_width.unwrap_or(width),
        faded(draw.style().stroke.map_or(color, style::color), alpha),
    )
}

/// The size of a feature on screen, in points.
pub fn extent(pf: &PreparedFeature, scale: f64) -> f32 {
    pf.bbox()
        .map_or(0.0, |b| ((b[2] - b[0]).max(b[3] - b[1]) * scale) as f32)
}

/// The colour of a feature's category when the layer is styled by a property.
pub fn by_color(entry: &LayerEntry, feature: u32) -> Option<Color32> {
    let (color, _) = entry
        .by_property
        .as_ref()?
        .per_feature
        .get(feature as usize)?;
    color.map(rgb)
}

/// The colour the user chose for a layer.
pub fn layer_color(entry: &LayerEntry) -> Color32 {
    rgb(entry.style.color)
}
