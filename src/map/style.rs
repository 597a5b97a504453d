//! How things look on screen: colours per event kind, the border and selection colours, and
//! the egui colours of the model's plain RGBA styles (see `model::style`).

use egui::Color32;

use crate::model::event::EventKind;
use crate::model::style::Rgba;

/// The colour of an event kind, on the map, in the list and in the histogram.
pub fn kind_color(kind: EventKind) -> Color32 {
    match kind {
        EventKind::Clash => Color32::from_rgb(0xd7, 0x26, 0x1e),
        EventKind::Shelling => Color32::from_rgb(0xf0, 0x7c, 0x12),
        EventKind::DroneStrike => Color32::from_rgb(0x8e, 0x1b, 0x7c),
        EventKind::Evacuation => Color32::from_rgb(0x1f, 0x78, 0xb4),
        EventKind::Ceasefire => Color32::from_rgb(0x2e, 0x9e, 0x4f),
        EventKind::CasualtyReport => Color32::from_rgb(0x44, 0x44, 0x44),
        EventKind::Diplomacy => Color32::from_rgb(0x00, 0x8b, 0x8b),
        EventKind::Mourning => Color32::from_rgb(0x22, 0x22, 0x22),
        EventKind::Agreement => Color32::from_rgb(0x3a, 0x5f, 0xcd),
        EventKind::Other => Color32::from_rgb(0x6a, 0x3d, 0x9a),
    }
}

/// A one-character symbol drawn inside a site marker of this kind.
pub fn kind_symbol(kind: EventKind) -> &'static str {
    // Only glyphs of egui's default fonts (Latin-1 and common punctuation).
    match kind {
        EventKind::Clash => "×",
        EventKind::Shelling => "*",
        EventKind::DroneStrike => "v",
        EventKind::Evacuation => ">",
        EventKind::Ceasefire => "=",
        EventKind::CasualtyReport => "+",
        EventKind::Diplomacy => "D",
        EventKind::Mourning => "M",
        EventKind::Agreement => "§",
        EventKind::Other => "·",
    }
}

/// The Kyrgyz–Tajik border line.
pub const BORDER_KG_TJ: Color32 = Color32::from_rgb(0xc0, 0x39, 0x2b);
/// Other borders of the valley.
pub const BORDER_OTHER: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);
/// Selection highlight.
pub const SELECTION: Color32 = Color32::from_rgb(0x00, 0xb4, 0xff);

/// The egui colour of a plain RGBA colour of the model.
pub fn color(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// The egui colour of an opaque RGB colour (a layer's colour).
pub fn rgb(c: [u8; 3]) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_colours_become_egui_colours() {
        assert_eq!(color([255, 0, 255, 255]), Color32::from_rgb(255, 0, 255));
        assert_eq!(
            color([10, 20, 30, 128]),
            Color32::from_rgba_unmultiplied(10, 20, 30, 128)
        );
        assert_eq!(rgb([1, 2, 3]), Color32::from_rgb(1, 2, 3));
    }
}
