//! How things look: colours per event kind, the border and enclave style, and simplestyle
//! properties (`stroke`, `fill`, `marker-color`, ...) that override the defaults.

use egui::Color32;
use serde_json::{Map, Value};

use crate::model::event::EventKind;

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

/// simplestyle-spec properties of one feature; `None` means "use the default".
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SimpleStyle {
    /// `stroke` with `stroke-opacity`.
    pub stroke: Option<Color32>,
    /// `stroke-width` in points.
    pub stroke_width: Option<f32>,
    /// `fill` with `fill-opacity`.
    pub fill: Option<Color32>,
    /// `marker-color`.
    pub marker_color: Option<Color32>,
    /// `marker-size`: small, medium, large.
    pub marker_radius: Option<f32>,
}

/// Parses `#rgb` / `#rrggbb` (with or without `#`).
pub fn parse_color(text: &str) -> Option<Color32> {
    let hex = text.trim().trim_start_matches('#');
    let expand = |c: u8| (c << 4) | c;
    let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
    let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match hex.len() {
        3 => Some(Color32::from_rgb(
            expand(digit(0)?),
            expand(digit(1)?),
            expand(digit(2)?),
        )),
        6 => Some(Color32::from_rgb(pair(0)?, pair(2)?, pair(4)?)),
        _ => None,
    }
}

fn opacity(map: &Map<String, Value>, key: &str) -> Option<f32> {
    map.get(key)?.as_f64().map(|v| v.clamp(0.0, 1.0) as f32)
}

fn with_opacity(color: Color32, alpha: Option<f32>) -> Color32 {
    match alpha {
        Some(a) => Color32::from_rgba_unmultiplied(
            color.r(),
            color.g(),
            color.b(),
            (a * 255.0).round() as u8,
        ),
        None => color,
    }
}

impl SimpleStyle {
    /// Reads the simplestyle properties of a feature's properties.
    pub fn from_properties(p: &Map<String, Value>) -> Self {
        let color = |key: &str| p.get(key).and_then(Value::as_str).and_then(parse_color);
        Self {
            stroke: color("stroke").map(|c| with_opacity(c, opacity(p, "stroke-opacity"))),
            stroke_width: p
                .get("stroke-width")
                .and_then(Value::as_f64)
                .map(|w| w.clamp(0.0, 50.0) as f32),
            // simplestyle's default fill-opacity is 0.6.
            fill: color("fill").map(|c| with_opacity(c, opacity(p, "fill-opacity").or(Some(0.6)))),
            marker_color: color("marker-color"),
            marker_radius: p
                .get("marker-size")
                .and_then(Value::as_str)
                .map(|s| match s {
                    "small" => 4.0,
                    "large" => 9.0,
                    _ => 6.0,
                }),
        }
    }
}

/// Radius in points of a site marker for a toll (dead + injured claimed by one side).
pub fn site_radius(toll: f64) -> f32 {
    (5.0 + 2.2 * toll.max(0.0).sqrt()).min(26.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_and_opacity() {
        assert_eq!(parse_color("#ff00ff"), Some(Color32::from_rgb(255, 0, 255)));
        assert_eq!(parse_color("f0f"), Some(Color32::from_rgb(255, 0, 255)));
        assert_eq!(parse_color("#zzz"), None);
        let p: Map<String, Value> = serde_json::from_str(
            r##"{"fill":"#ff00ff","fill-opacity":1,"stroke":"#000","stroke-width":3}"##,
        )
        .unwrap();
        let s = SimpleStyle::from_properties(&p);
        assert_eq!(s.fill, Some(Color32::from_rgb(255, 0, 255)));
        assert_eq!(s.stroke, Some(Color32::BLACK));
        assert_eq!(s.stroke_width, Some(3.0));
    }

    #[test]
    fn bigger_tolls_make_bigger_sites() {
        assert!(site_radius(100.0) > site_radius(10.0));
        assert!(site_radius(1e9) <= 26.0);
    }
}
