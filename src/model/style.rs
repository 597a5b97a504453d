//! How things look, as plain data (no GUI types): simplestyle properties (`stroke`, `fill`,
//! `marker-color`, ...) read once per feature, a user layer's style, styling by a property,
//! and the size of a site marker. Colours are unmultiplied sRGB with alpha, `[r, g, b, a]`.

use serde_json::{Map, Value};

/// An unmultiplied sRGB colour with alpha.
pub type Rgba = [u8; 4];

/// simplestyle-spec properties of one feature; `None` means "use the default".
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SimpleStyle {
    /// `stroke` with `stroke-opacity`.
    pub stroke: Option<Rgba>,
    /// `stroke-width` in points.
    pub stroke_width: Option<f32>,
    /// `fill` with `fill-opacity`.
    pub fill: Option<Rgba>,
    /// `marker-color`.
    pub marker_color: Option<Rgba>,
    /// `marker-size`: small, medium, large.
    pub marker_radius: Option<f32>,
}

/// Parses `#rgb` / `#rrggbb` (with or without `#`), opaque.
pub fn parse_color(text: &str) -> Option<Rgba> {
    let hex = text.trim().trim_start_matches('#');
    let expand = |c: u8| (c << 4) | c;
    let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
    let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match hex.len() {
        3 => Some([expand(digit(0)?), expand(digit(1)?), expand(digit(2)?), 255]),
        6 => Some([pair(0)?, pair(2)?, pair(4)?, 255]),
        _ => None,
    }
}

fn opacity(map: &Map<String, Value>, key: &str) -> Option<f32> {
    map.get(key)?.as_f64().map(|v| v.clamp(0.0, 1.0) as f32)
}

fn with_opacity(color: Rgba, alpha: Option<f32>) -> Rgba {
    match alpha {
        Some(a) => [color[0], color[1], color[2], (a * 255.0).round() as u8],
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
pub fn style_by(layer: &crate::model::Layer, key: &str, point_size: f32) -> ByProperty {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_and_opacity() {
        assert_eq!(parse_color("#ff00ff"), Some([255, 0, 255, 255]));
        assert_eq!(parse_color("f0f"), Some([255, 0, 255, 255]));
        assert_eq!(parse_color("#zzz"), None);
        let p: Map<String, Value> = serde_json::from_str(
            r##"{"fill":"#ff00ff","fill-opacity":1,"stroke":"#000","stroke-width":3,"stroke-opacity":0.5}"##,
        )
        .unwrap();
        let s = SimpleStyle::from_properties(&p);
        assert_eq!(s.fill, Some([255, 0, 255, 255]));
        assert_eq!(s.stroke, Some([0, 0, 0, 128]));
        assert_eq!(s.stroke_width, Some(3.0));
    }

    #[test]
    fn bigger_tolls_make_bigger_sites() {
        assert!(site_radius(100.0) > site_radius(10.0));
        assert!(site_radius(1e9) <= 26.0);
    }

    fn layer(props: &[&str]) -> crate::model::Layer {
        let features: Vec<String> = props
            .iter()
            .map(|p| format!(r#"{{"type":"Feature","properties":{p},"geometry":{{"type":"Point","coordinates":[70,40]}}}}"#))
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        let mut layer = crate::model::Layer::default();
        for f in serde_json::from_str::<Value>(&text).unwrap()["features"]
            .as_array()
            .unwrap()
        {
            layer.features.push(crate::model::Feature {
                shape: None,
                properties: Some(
                    serde_json::value::RawValue::from_string(f["properties"].to_string())
                        .unwrap()
                        .into(),
                ),
                span: None,
                given_id: None,
                line: 0,
            });
        }
        layer
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
}
