//! The measure tool's state: the path being clicked, the measurements kept (paths, closed
//! shapes, range rings) and their GeoJSON. Changed only through [`MeasureCommand`]s; the map
//! draws it (window and exports alike) and the Measure window reads it.

use serde_json::{Value, json};

use super::geodesy::{self, Figures};

/// Default range ring radii, kilometres.
pub const DEFAULT_RADII_KM: [f64; 3] = [5.0, 10.0, 20.0];

/// Points on a ring's circle.
pub const RING_SEGMENTS: usize = 128;

/// What a click on the map does while the tool is on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Adds a point to the path.
    #[default]
    Path,
    /// Puts range rings around the point.
    Rings,
}

/// A measurement kept.
#[derive(Clone, Debug, PartialEq)]
pub enum Measurement {
    /// A path of `[lon, lat]` points, or the shape it closes.
    Path {
        /// The points clicked.
        points: Vec<[f64; 2]>,
        /// Closed into a shape (area and perimeter).
        closed: bool,
    },
    /// Range rings around a point.
    Rings {
        /// Centre, `[lon, lat]`.
        center: [f64; 2],
        /// Radii in metres.
        radii: Vec<f64>,
    },
}

impl Measurement {
    /// Legs, length and area of a path; nothing for rings.
    pub fn figures(&self) -> Figures {
        match self {
            Measurement::Path { points, closed } => geodesy::figures(points, *closed),
            Measurement::Rings { .. } => Figures::default(),
        }
    }

    /// One line for a list: "Path: 3 legs, 12.4 km", "Shape: 4.1 km², perimeter 8.2 km",
    /// "Rings: 5, 10, 20 km".
    pub fn summary(&self) -> String {
        match self {
            Measurement::Path { points, closed } => {
                let f = geodesy::figures(points, *closed);
                match f.area {
                    Some(area) => format!(
                        "Shape: {}, perimeter {}",
                        geodesy::format_area(area),
                        geodesy::format_distance(f.total)
                    ),
                    None => format!(
                        "Path: {} leg{}, {}",
                        f.legs.len(),
                        if f.legs.len() == 1 { "" } else { "s" },
                        geodesy::format_distance(f.total)
                    ),
                }
            }
            Measurement::Rings { radii, .. } => format!("Rings: {}", radii_text(radii)),
        }
    }

    /// As GeoJSON features: a LineString (or Polygon) with its figures, or one Polygon per
    /// ring with its radius.
    pub fn features(&self) -> Vec<Value> {
        match self {
            Measurement::Path { points, closed } => {
                let f = geodesy::figures(points, *closed);
                let legs: Vec<Value> = f
                    .legs
                    .iter()
                    .map(
                        |l| json!({ "metres": round(l.metres, 3), "bearing": round(l.bearing, 2) }),
                    )
                    .collect();
                let (geometry, area) = match f.area {
                    Some(area) => {
                        let mut ring = points.clone();
                        ring.extend(points.first().copied());
                        (
                            json!({ "type": "Polygon", "coordinates": [ring] }),
                            Some(area),
                        )
                    }
                    None => (json!({ "type": "LineString", "coordinates": points }), None),
                };
                vec![json!({
                    "type": "Feature",
                    "geometry": geometry,
                    "properties": {
                        "measure": if area.is_some() { "shape" } else { "path" },
                        "title": self.summary(),
                        "length_m": round(f.total, 3),
                        "area_m2": area.map(|a| round(a, 1)),
                        "legs": legs,
                    },
                })]
            }
            Measurement::Rings { center, radii } => radii
                .iter()
                .map(|&r| {
                    json!({
                        "type": "Feature",
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [geodesy::ring(*center, r, RING_SEGMENTS)],
                        },
                        "properties": {
                            "measure": "range_ring",
                            "title": geodesy::format_distance(r),
                            "center": center,
                            "radius_m": r,
                        },
                    })
                })
                .collect(),
        }
    }
}

/// "5, 10, 20 km".
pub fn radii_text(radii: &[f64]) -> String {
    let km: Vec<String> = radii.iter().map(|r| format!("{}", r / 1000.0)).collect();
    format!("{} km", km.join(", "))
}

/// Reads "5, 10, 20" (kilometres) into metres; positive numbers up to 20,000 km only.
pub fn parse_radii(text: &str) -> Result<Vec<f64>, String> {
    let radii: Result<Vec<f64>, String> = text
        .split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            let s = s.trim().trim_end_matches("km").trim();
            match s.parse::<f64>() {
                Ok(km) if km > 0.0 && km <= 20_000.0 => Ok(km * 1000.0),
                _ => Err(format!(
                    "'{s}' is not a radius: expected kilometres, e.g. 5, 10, 20"
                )),
            }
        })
        .take(16)
        .collect();
    match radii {
        Ok(r) if r.is_empty() => Err("no radius given: expected kilometres, e.g. 5, 10, 20".into()),
        other => other,
    }
}

fn round(x: f64, decimals: i32) -> f64 {
    let k = 10f64.powi(decimals);
    (x * k).round() / k
}

/// A change to the measurements.
#[derive(Clone, Debug, PartialEq)]
pub enum MeasureCommand {
    /// Turns the tool on with this click action, or off (`None`: the path being clicked is
    /// kept if it has two points or more).
    Use(Option<Tool>),
    /// A click on the map at `[lon, lat]`.
    Click([f64; 2]),
    /// Removes the last point of the path being clicked.
    Undo,
    /// Keeps the path being clicked (closed into a shape, or open) and starts a new one.
    Finish {
        /// Close it into a shape.
        closed: bool,
    },
    /// Sets the range rings' radii (metres).
    SetRadii(Vec<f64>),
    /// Removes one measurement.
    Remove(usize),
    /// Removes every measurement.
    Clear,
    /// Shows or hides the measurements.
    SetVisible(bool),
}

/// The tool and the measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// The tool, when on.
    pub tool: Option<Tool>,
    /// The path being clicked.
    pub drawing: Vec<[f64; 2]>,
    /// Measurements kept.
    pub items: Vec<Measurement>,
    /// Shown on the map and in exports.
    pub visible: bool,
    /// Range ring radii, metres.
    pub radii: Vec<f64>,
}

impl Default for Measure {
    fn default() -> Self {
        Self {
            tool: None,
            drawing: Vec::new(),
            items: Vec::new(),
            visible: true,
            radii: DEFAULT_RADII_KM.iter().map(|km| km * 1000.0).collect(),
        }
    }
}

impl Measure {
    /// Applies a command.
    pub fn apply(&mut self, command: MeasureCommand) {
        match command {
            MeasureCommand::Use(tool) => {
                if tool.is_none() {
                    self.finish(false);
                }
                self.tool = tool;
            }
            MeasureCommand::Click(p) if p[0].is_finite() && p[1].is_finite() => match self.tool {
                Some(Tool::Path) => self.drawing.push(p),
                Some(Tool::Rings) => {
                    self.items.push(Measurement::Rings {
                        center: p,
                        radii: self.radii.clone(),
                    });
                    self.visible = true;
                }
                None => {}
            },
            MeasureCommand::Click(_) => {}
            MeasureCommand::Undo => {
                self.drawing.pop();
            }
            MeasureCommand::Finish { closed } => self.finish(closed),
            MeasureCommand::SetRadii(radii) => {
                if !radii.is_empty() {
                    self.radii = radii;
                }
            }
            MeasureCommand::Remove(i) => {
                if i < self.items.len() {
                    self.items.remove(i);
                }
            }
            MeasureCommand::Clear => {
                self.items.clear();
                self.drawing.clear();
            }
            MeasureCommand::SetVisible(v) => self.visible = v,
        }
    }

    fn finish(&mut self, closed: bool) {
        let points = std::mem::take(&mut self.drawing);
        if points.len() >= 2 {
            self.items.push(Measurement::Path {
                closed: closed && points.len() >= 3,
                points,
            });
            self.visible = true;
        }
    }

    /// Figures of the path being clicked.
    pub fn drawing_figures(&self) -> Figures {
        geodesy::figures(&self.drawing, false)
    }

    /// Every measurement kept as a GeoJSON FeatureCollection.
    pub fn to_geojson(&self) -> String {
        let features: Vec<Value> = self.items.iter().flat_map(Measurement::features).collect();
        let collection = json!({
            "type": "FeatureCollection",
            "name": "bordermap measurements",
            "features": features,
        });
        serde_json::to_string_pretty(&collection).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_make_a_path_and_finishing_keeps_it() {
        let mut m = Measure::default();
        m.apply(MeasureCommand::Click([70.0, 40.0]));
        assert!(
            m.drawing.is_empty(),
            "the tool is off: a click measures nothing"
        );
        m.apply(MeasureCommand::Use(Some(Tool::Path)));
        for p in [[70.0, 40.0], [70.0, 40.001], [70.001, 40.001], [9.0, 9.0]] {
            m.apply(MeasureCommand::Click(p));
        }
        m.apply(MeasureCommand::Undo);
        let f = m.drawing_figures();
        assert_eq!(f.legs.len(), 2);
        assert!((f.total - (111.0346 + 85.39)).abs() < 0.1, "{}", f.total);
        m.apply(MeasureCommand::Finish { closed: true });
        assert!(m.drawing.is_empty());
        assert_eq!(m.items.len(), 1);
        assert!(
            m.items[0].summary().starts_with("Shape: "),
            "{}",
            m.items[0].summary()
        );
        // One point is not a measurement.
        m.apply(MeasureCommand::Click([70.0, 40.0]));
        m.apply(MeasureCommand::Use(None));
        assert_eq!((m.items.len(), m.tool), (1, None));
    }

    #[test]
    fn rings_go_where_clicked_with_the_radii_set() {
        let mut m = Measure::default();
        m.apply(MeasureCommand::Use(Some(Tool::Rings)));
        m.apply(MeasureCommand::SetRadii(parse_radii("1, 2.5").unwrap()));
        m.apply(MeasureCommand::Click([70.6, 39.9]));
        assert_eq!(m.items[0].summary(), "Rings: 1, 2.5 km");
        let features = m.items[0].features();
        assert_eq!(features.len(), 2);
        assert_eq!(features[1]["properties"]["radius_m"], 2500.0);
        m.apply(MeasureCommand::Remove(0));
        assert!(m.items.is_empty());
    }

    #[test]
    fn measurements_are_saved_as_geojson_with_their_figures() {
        let mut m = Measure::default();
        m.apply(MeasureCommand::Use(Some(Tool::Path)));
        m.apply(MeasureCommand::Click([70.0, 40.0]));
        m.apply(MeasureCommand::Click([70.0, 40.001]));
        m.apply(MeasureCommand::Finish { closed: false });
        let v: Value = serde_json::from_str(&m.to_geojson()).unwrap();
        let f = &v["features"][0];
        assert_eq!(f["geometry"]["type"], "LineString");
        assert_eq!(f["properties"]["length_m"], 111.035);
        assert_eq!(f["properties"]["legs"][0]["bearing"], 0.0);
    }

    #[test]
    fn radii_are_read_with_clear_errors() {
        assert_eq!(parse_radii("5, 10, 20").unwrap(), vec![5e3, 1e4, 2e4]);
        assert_eq!(parse_radii("3km;7").unwrap(), vec![3e3, 7e3]);
        assert!(parse_radii("5, -1").unwrap_err().contains("'-1'"));
        assert!(parse_radii("  ").unwrap_err().contains("no radius"));
        assert!(parse_radii("nan").is_err());
    }
}
