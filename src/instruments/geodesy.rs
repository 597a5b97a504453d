//! Distances, bearings and areas on the WGS84 ellipsoid (Karney's geodesics, through the
//! `geo` crate), for the measure tool and range rings, and how they are written.

use geo::{Bearing, Destination, Distance, Geodesic, GeodesicArea, LineString, Point, Polygon};

/// One leg of a measured path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leg {
    /// Geodesic length in metres.
    pub metres: f64,
    /// Initial bearing in degrees clockwise from true north, 0..360.
    pub bearing: f64,
}

/// The figures of a measured path (`[lon, lat]` points), or of the shape it closes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Each leg, in order (for a closed shape, the last one goes back to the start).
    pub legs: Vec<Leg>,
    /// Sum of the legs, metres.
    pub total: f64,
    /// Area in square metres, for a closed shape of three points or more.
    pub area: Option<f64>,
}

/// Geodesic distance between two `[lon, lat]` points, in metres.
pub fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    Geodesic.distance(point(a), point(b))
}

/// Initial bearing from `a` to `b`, degrees clockwise from true north, 0..360.
pub fn bearing(a: [f64; 2], b: [f64; 2]) -> f64 {
    Geodesic.bearing(point(a), point(b))
}

/// The point `metres` from `from` along the initial `bearing` (degrees).
pub fn destination(from: [f64; 2], bearing: f64, metres: f64) -> [f64; 2] {
    let p = Geodesic.destination(point(from), bearing, metres);
    [p.x(), p.y()]
}

/// Legs, total length and (when `closed` and there are three points or more) the area.
pub fn figures(points: &[[f64; 2]], closed: bool) -> Figures {
    let mut legs: Vec<Leg> = points
        .windows(2)
        .map(|w| Leg {
            metres: distance(w[0], w[1]),
            bearing: bearing(w[0], w[1]),
        })
        .collect();
    let closes = closed && points.len() >= 3;
    if let (true, Some(&first), Some(&last)) = (closes, points.first(), points.last()) {
        legs.push(Leg {
            metres: distance(last, first),
            bearing: bearing(last, first),
        });
    }
    let total = legs.iter().map(|l| l.metres).sum();
    let area = closes.then(|| {
        let ring: LineString<f64> = points.iter().map(|&[x, y]| (x, y)).collect();
        // Signed (either winding) and taken whole: a measured shape is never half the Earth.
        Polygon::new(ring, Vec::new()).geodesic_area_signed().abs()
    });
    Figures { legs, total, area }
}

/// A circle of `metres` around `center` as a closed ring of `segments` points (the first
/// repeated at the end), each at that geodesic distance.
pub fn ring(center: [f64; 2], metres: f64, segments: usize) -> Vec<[f64; 2]> {
    let n = segments.max(8);
    let mut ring: Vec<[f64; 2]> = (0..n)
        .map(|i| destination(center, 360.0 * i as f64 / n as f64, metres))
        .collect();
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    ring
}

/// "850 m", "12.4 km", "1,240 km": metres under a kilometre, then three significant figures.
pub fn format_distance(metres: f64) -> String {
    if !metres.is_finite() {
        return "—".into();
    }
    let m = metres.abs();
    if m < 1000.0 {
        crate::tr!("tools-distance-m", value = format!("{m:.0}"))
    } else if m < 10_000.0 {
        crate::tr!("tools-distance-km", value = format!("{:.2}", m / 1000.0))
    } else if m < 100_000.0 {
        crate::tr!("tools-distance-km", value = format!("{:.1}", m / 1000.0))
    } else {
        crate::tr!(
            "tools-distance-km",
            value = thousands((m / 1000.0).round() as u64)
        )
    }
}

/// "3,400 m²" under a tenth of a square kilometre, else "12.3 km²" (or "1,234 km²").
pub fn format_area(square_metres: f64) -> String {
    if !square_metres.is_finite() {
        return "—".into();
    }
    let a = square_metres.abs();
    if a < 100_000.0 {
        crate::tr!("tools-area-m2", value = thousands(a.round() as u64))
    } else if a < 100_000_000.0 {
        crate::tr!("tools-area-km2", value = format!("{:.2}", a / 1e6))
    } else {
        crate::tr!(
            "tools-area-km2",
            value = thousands((a / 1e6).round() as u64)
        )
    }
}

/// "047°" and the nearest of the 16 compass points: "047° NE".
pub fn format_bearing(degrees: f64) -> String {
    const POINTS: [&str; 16] = [
        "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW",
        "NW", "NNW",
    ];
    let d = degrees.rem_euclid(360.0);
    let whole = (d.round() as i64).rem_euclid(360);
    let point = ((d / 22.5).round() as usize) % 16;
    crate::tr!(
        "tools-bearing",
        degrees = format!("{whole:03}"),
        point = POINTS[point]
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn point([lon, lat]: [f64; 2]) -> Point<f64> {
    Point::new(lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    /// Bishkek (42.8746 N, 74.5698 E) to Dushanbe (38.5598 N, 68.7870 E): 684,015.057 m at
    /// an initial azimuth of -132.5207° (227.4793°), as GeographicLib 2.0 (Karney's reference
    /// implementation, Python) computes it: `Geodesic.WGS84.Inverse(42.8746, 74.5698,
    /// 38.5598, 68.7870)`.
    #[test]
    fn bishkek_to_dushanbe_matches_geographiclib() {
        let bishkek = [74.5698, 42.8746];
        let dushanbe = [68.7870, 38.5598];
        let d = distance(bishkek, dushanbe);
        assert!(close(d, 684_015.057, 0.01), "{d}");
        let b = bearing(bishkek, dushanbe);
        assert!(close(b, 227.4793, 1e-3), "{b}");
        assert_eq!(format_distance(d), "684 km");
        assert_eq!(format_bearing(b), "227° SW");
    }

    /// A 0.001° step at 40° N: 111.035 m along the meridian and 85.394 m along the parallel
    /// (the lengths of a degree of latitude and longitude at 40°, 111.035 km and 85.394 km,
    /// as tabulated from the WGS84 formulas, e.g. in Wikipedia's "Latitude" article; the
    /// digits further are GeographicLib's: 111.0346 m and 85.3939 m).
    #[test]
    fn a_thousandth_of_a_degree_at_40_north() {
        let north = distance([70.0, 40.0], [70.0, 40.001]);
        let east = distance([70.0, 40.0], [70.001, 40.0]);
        assert!(close(north, 111.0346, 1e-3), "{north}");
        assert!(close(east, 85.3939, 1e-3), "{east}");
        assert!(close(bearing([70.0, 40.0], [70.0, 40.001]), 0.0, 1e-9));
        assert!(close(bearing([70.0, 40.0], [70.001, 40.0]), 90.0, 1e-3));
    }

    /// A 0.01° square at 40° N, 70° E: 948,099 m² and a perimeter of 3,928.447 m
    /// (GeographicLib 2.0's `PolygonArea`).
    #[test]
    fn a_closed_shape_has_its_area_and_perimeter() {
        let square = [[70.0, 40.0], [70.01, 40.0], [70.01, 40.01], [70.0, 40.01]];
        let f = figures(&square, true);
        assert_eq!(f.legs.len(), 4);
        assert!(close(f.total, 3_928.447, 1e-2), "{}", f.total);
        let area = f.area.unwrap();
        assert!(close(area, 948_099.2, 1.0), "{area}");
        assert_eq!(format_area(area), "0.95 km²");
        // Either winding gives the same area; an open path has none.
        let mut reversed = square;
        reversed.reverse();
        assert!(close(figures(&reversed, true).area.unwrap(), area, 1e-3));
        let open = figures(&square, false);
        assert_eq!((open.legs.len(), open.area), (3, None));
    }

    #[test]
    fn a_ring_lies_at_its_radius_all_round() {
        let center = [70.6, 39.9];
        let r = ring(center, 10_000.0, 64);
        assert_eq!(r.len(), 65);
        assert_eq!(r.first(), r.last());
        for p in &r {
            assert!(close(distance(center, *p), 10_000.0, 1e-3));
        }
    }

    #[test]
    fn figures_are_written_for_people() {
        assert_eq!(format_distance(849.6), "850 m");
        assert_eq!(format_distance(1_234.0), "1.23 km");
        assert_eq!(format_distance(12_345.0), "12.3 km");
        assert_eq!(format_distance(1_240_000.0), "1,240 km");
        assert_eq!(format_distance(f64::NAN), "—");
        assert_eq!(format_area(3_400.0), "3,400 m²");
        assert_eq!(format_area(1_234_000_000.0), "1,234 km²");
        assert_eq!(format_bearing(359.7), "000° N");
        assert_eq!(format_bearing(-90.0), "270° W");
        assert_eq!(format_bearing(47.0), "047° NE");
    }

    #[test]
    fn one_point_or_none_measures_nothing() {
        assert_eq!(figures(&[], true), Figures::default());
        let one = figures(&[[70.0, 40.0]], true);
        assert_eq!((one.legs.len(), one.total, one.area), (0, 0.0, None));
    }
}
