//! Coordinate systems of layers that are not in WGS84 longitude/latitude: which CRS a file
//! names (an EPSG code, a URN, an OGC URL, a WKT definition such as a `.prj` or a
//! GeoPackage's `definition`), and reprojecting its coordinates to WGS84. Known: EPSG:4326
//! (and OGC CRS84), Web Mercator (EPSG:3857 and its aliases) and the WGS84 UTM zones
//! (EPSG:326xx north, 327xx south). Any other CRS is an error that names it: a layer is
//! never drawn in the wrong place.

use geo::{Coord, Geometry, LineString, Polygon};
use proj4rs::Proj;

/// A coordinate system bordermap reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crs {
    /// WGS84 longitude, latitude (EPSG:4326, OGC CRS84): nothing to do.
    Wgs84,
    /// Spherical ("Web") Mercator, metres (EPSG:3857).
    WebMercator,
    /// A WGS84 UTM zone, metres (EPSG:32601–32660 north, 32701–32760 south).
    Utm {
        /// 1..=60.
        zone: u8,
        /// The southern hemisphere (false northing 10,000 km).
        south: bool,
    },
}

/// Why a CRS cannot be used: its name as the file gave it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "coordinate system {0} is not supported: bordermap reprojects EPSG:4326, EPSG:3857 and the \
     WGS84 UTM zones (EPSG:326xx, 327xx); reproject the layer to one of them (e.g. with QGIS \
     or ogr2ogr -t_srs EPSG:4326)"
)]
pub struct UnknownCrs(pub String);

/// The radius of the sphere of Web Mercator, metres.
const WEB_MERCATOR_R: f64 = 6_378_137.0;

impl Crs {
    /// The CRS of an EPSG code.
    pub fn from_epsg(code: u32) -> Result<Self, UnknownCrs> {
        match code {
            4326 | 4979 | 4030 => Ok(Self::Wgs84),
            3857 | 900913 | 3785 | 102100 | 102113 | 3587 => Ok(Self::WebMercator),
            32601..=32660 => Ok(Self::Utm {
                zone: (code - 32600) as u8,
                south: false,
            }),
            32701..=32760 => Ok(Self::Utm {
                zone: (code - 32700) as u8,
                south: true,
            }),
            _ => Err(UnknownCrs(format!("EPSG:{code}"))),
        }
    }

    /// The CRS a name gives: `EPSG:3857`, `urn:ogc:def:crs:EPSG::32642`,
    /// `urn:ogc:def:crs:OGC:1.3:CRS84`, `http://www.opengis.net/def/crs/EPSG/0/4326`, or a
    /// WKT definition.
    pub fn from_name(name: &str) -> Result<Self, UnknownCrs> {
        let name = name.trim();
        let upper = name.to_ascii_uppercase();
        if upper.ends_with("CRS84") || upper.ends_with("CRS:84") || upper == "WGS84" {
            return Ok(Self::Wgs84);
        }
        if upper.starts_with("GEOGCS")
            || upper.starts_with("PROJCS")
            || upper.starts_with("GEOGCRS")
            || upper.starts_with("PROJCRS")
            || upper.starts_with("GEODCRS")
        {
            return Self::from_wkt(name);
        }
        if upper.contains("EPSG") {
            let digits: String = upper
                .rsplit(|c: char| !c.is_ascii_digit())
                .find(|s| !s.is_empty())
                .unwrap_or_default()
                .to_string();
            if let Ok(code) = digits.parse::<u32>() {
                return Self::from_epsg(code).map_err(|_| UnknownCrs(name.to_string()));
            }
        }
        Err(UnknownCrs(name.to_string()))
    }

    /// The CRS of a WKT definition (WKT1 as in a `.prj` or ESRI's form, or WKT2): its
    /// outermost `AUTHORITY["EPSG", code]` / `ID["EPSG", code]` when it has one, else its name
    /// (`WGS 84 / UTM zone 42N`, `WGS_1984_UTM_Zone_42N`, `WGS_1984_Web_Mercator_Auxiliary_Sphere`,
    /// `GCS_WGS_1984`).
    pub fn from_wkt(wkt: &str) -> Result<Self, UnknownCrs> {
        let text = wkt.trim();
        let upper = text.to_ascii_uppercase();
        let shown = || {
            let name = wkt_name(text).unwrap_or_else(|| text.chars().take(80).collect());
            UnknownCrs(name)
        };
        if let Some(code) = outer_authority(&upper) {
            return Self::from_epsg(code).map_err(|_| {
                let UnknownCrs(name) = shown();
                UnknownCrs(format!("{name} (EPSG:{code})"))
            });
        }
        let name = wkt_name(text).unwrap_or_default();
        let key: String = name
            .to_ascii_uppercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let key = key.replace("__", "_");
        let is_projected = upper.starts_with("PROJCS") || upper.starts_with("PROJCRS");
        if !is_projected {
            // A geographic CRS on the WGS84 datum, in degrees.
            if (upper.contains("WGS_1984") || upper.contains("WGS 84") || upper.contains("WGS84"))
                && upper.contains("DEGREE")
            {
                return Ok(Self::Wgs84);
            }
            return Err(shown());
        }
        if key.contains("WEB_MERCATOR")
            || key.contains("PSEUDO_MERCATOR")
            || key.contains("POPULAR_VISUALISATION")
        {
            return Ok(Self::WebMercator);
        }
        if (key.starts_with("WGS_84_UTM_ZONE_") || key.starts_with("WGS_1984_UTM_ZONE_"))
            && let Some(rest) = key.rsplit("ZONE_").next()
        {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let hemisphere = rest[digits.len()..].chars().next();
            if let (Ok(zone @ 1..=60), Some(h @ ('N' | 'S'))) = (digits.parse::<u8>(), hemisphere) {
                return Ok(Self::Utm {
                    zone,
                    south: h == 'S',
                });
            }
        }
        Err(shown())
    }

    /// Its EPSG name, for messages.
    pub fn name(self) -> String {
        match self {
            Self::Wgs84 => "EPSG:4326".into(),
            Self::WebMercator => "EPSG:3857".into(),
            Self::Utm { zone, south } => {
                format!(
                    "EPSG:{}",
                    if south { 32700 } else { 32600 } + u32::from(zone)
                )
            }
        }
    }

    /// What turns its coordinates into WGS84 longitude/latitude; `None` for WGS84 itself.
    pub fn to_wgs84(self) -> Option<Reproject> {
        match self {
            Self::Wgs84 => None,
            Self::WebMercator => Some(Reproject::WebMercator),
            Self::Utm { zone, south } => {
                let def = format!(
                    "+proj=utm +zone={zone}{} +datum=WGS84 +units=m +no_defs",
                    if south { " +south" } else { "" }
                );
                let from = Proj::from_proj_string(&def).ok()?;
                let to = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").ok()?;
                Some(Reproject::Proj(Box::new((from, to))))
            }
        }
    }
}

/// Turns a layer's coordinates into WGS84 longitude/latitude.
pub enum Reproject {
    /// The spherical Mercator's inverse, exact.
    WebMercator,
    /// Through proj4rs (pure Rust): the source and WGS84.
    Proj(Box<(Proj, Proj)>),
}

impl std::fmt::Debug for Reproject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::WebMercator => f.write_str("Reproject::WebMercator"),
            Self::Proj(_) => f.write_str("Reproject::Proj"),
        }
    }
}

impl Reproject {
    /// `(x, y)` in the source CRS as `(longitude, latitude)` in degrees; `None` when it is
    /// outside what the projection covers.
    pub fn point(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        match self {
            Self::WebMercator => {
                let lon = (x / WEB_MERCATOR_R).to_degrees();
                let lat = (y / WEB_MERCATOR_R).sinh().atan().to_degrees();
                (lon.abs() <= 180.0 + 1e-9).then_some((lon.clamp(-180.0, 180.0), lat))
            }
            Self::Proj(p) => {
                let (from, to) = &**p;
                let (lon, lat) = proj4rs::adaptors::transform_xy(from, to, x, y).ok()?;
                let (lon, lat) = (lon.to_degrees(), lat.to_degrees());
                (lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0).then_some((lon, lat))
            }
        }
    }

    /// Reprojects every coordinate of `geometry` in place; `Err` with the first coordinate
    /// that could not be reprojected (the geometry is then left partly changed: drop it).
    pub fn geometry(&self, geometry: &mut Geometry<f64>) -> Result<(), (f64, f64)> {
        let mut bad = None;
        for_each_coord(geometry, &mut |c| match self.point(c.x, c.y) {
            Some((x, y)) => *c = geo::Coord { x, y },
            None => {
                bad.get_or_insert((c.x, c.y));
            }
        });
        match bad {
            None => Ok(()),
            Some(at) => Err(at),
        }
    }
}

/// Calls `f` on every coordinate of `geometry` (a collection's members in turn, without
/// monomorphising per depth).
pub fn for_each_coord(geometry: &mut Geometry<f64>, f: &mut dyn FnMut(&mut Coord<f64>)) {
    fn line(l: &mut LineString<f64>, f: &mut dyn FnMut(&mut Coord<f64>)) {
        l.0.iter_mut().for_each(f);
    }
    fn polygon(p: &mut Polygon<f64>, f: &mut dyn FnMut(&mut Coord<f64>)) {
        p.exterior_mut(|l| line(l, f));
        p.interiors_mut(|rings| rings.iter_mut().for_each(|l| line(l, f)));
    }
    match geometry {
        Geometry::Point(p) => f(&mut p.0),
        Geometry::Line(l) => {
            f(&mut l.start);
            f(&mut l.end);
        }
        Geometry::LineString(l) => line(l, f),
        Geometry::Polygon(p) => polygon(p, f),
        Geometry::MultiPoint(m) => m.0.iter_mut().for_each(|p| f(&mut p.0)),
        Geometry::MultiLineString(m) => m.0.iter_mut().for_each(|l| line(l, f)),
        Geometry::MultiPolygon(m) => m.0.iter_mut().for_each(|p| polygon(p, f)),
        Geometry::GeometryCollection(c) => c.0.iter_mut().for_each(|g| for_each_coord(g, f)),
        Geometry::Rect(r) => {
            let (mut a, mut b) = (r.min(), r.max());
            f(&mut a);
            f(&mut b);
            *r = geo::Rect::new(a, b);
        }
        Geometry::Triangle(t) => {
            let [mut a, mut b, mut c] = t.to_array();
            f(&mut a);
            f(&mut b);
            f(&mut c);
            *t = geo::Triangle::new(a, b, c);
        }
    }
}

/// The code of the outermost `AUTHORITY["EPSG","n"]` (WKT1) or `ID["EPSG",n]` (WKT2) of an
/// uppercased WKT: the one at bracket depth 1, which names the whole CRS (inner ones name
/// its datum, units, ...).
fn outer_authority(upper: &str) -> Option<u32> {
    let bytes = upper.as_bytes();
    let mut depth = 0usize;
    let mut found = None;
    let mut in_quote = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quote = !in_quote,
            b'[' | b'(' if !in_quote => {
                depth += 1;
                if depth == 2 {
                    let head = &upper[..i];
                    let word_start = head
                        .rfind(|c: char| !c.is_ascii_alphabetic())
                        .map_or(0, |p| p + 1);
                    let word = &head[word_start..];
                    if word == "AUTHORITY" || word == "ID" {
                        let rest = &upper[i + 1..];
                        let end = rest.find([']', ')']).unwrap_or(rest.len());
                        let mut parts = rest[..end].split(',');
                        let auth = parts.next().unwrap_or("").trim().trim_matches('"');
                        let code = parts.next().unwrap_or("").trim().trim_matches('"');
                        if auth == "EPSG" {
                            found = code.parse().ok();
                        }
                    }
                }
            }
            b']' | b')' if !in_quote => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    found
}

/// The name of a WKT definition: its first quoted string.
fn wkt_name(wkt: &str) -> Option<String> {
    let start = wkt.find('"')? + 1;
    let end = start + wkt[start..].find('"')?;
    Some(wkt[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTM42N_PRJ: &str = r#"PROJCS["WGS_1984_UTM_Zone_42N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",69.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const UTM43N_OGC: &str = r#"PROJCS["WGS 84 / UTM zone 43N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",75],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","32643"]]"#;
    const GCS_WGS84: &str = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
    const PULKOVO: &str = r#"PROJCS["Pulkovo 1942 / Gauss-Kruger zone 12",GEOGCS["Pulkovo 1942",DATUM["Pulkovo_1942",SPHEROID["Krassowsky 1940",6378245,298.3]]],PROJECTION["Transverse_Mercator"],AUTHORITY["EPSG","28412"]]"#;

    #[test]
    fn names_and_codes() {
        assert_eq!(Crs::from_epsg(4326), Ok(Crs::Wgs84));
        assert_eq!(Crs::from_name("EPSG:3857"), Ok(Crs::WebMercator));
        assert_eq!(
            Crs::from_name("urn:ogc:def:crs:EPSG::32642"),
            Ok(Crs::Utm {
                zone: 42,
                south: false
            })
        );
        assert_eq!(
            Crs::from_name("urn:ogc:def:crs:OGC:1.3:CRS84"),
            Ok(Crs::Wgs84)
        );
        assert_eq!(
            Crs::from_name("http://www.opengis.net/def/crs/EPSG/0/32743"),
            Ok(Crs::Utm {
                zone: 43,
                south: true
            })
        );
        let err = Crs::from_name("EPSG:2154").unwrap_err();
        assert!(err.to_string().contains("EPSG:2154"), "{err}");
    }

    #[test]
    fn wkt_definitions() {
        assert_eq!(
            Crs::from_wkt(UTM42N_PRJ),
            Ok(Crs::Utm {
                zone: 42,
                south: false
            })
        );
        assert_eq!(
            Crs::from_wkt(UTM43N_OGC),
            Ok(Crs::Utm {
                zone: 43,
                south: false
            })
        );
        assert_eq!(Crs::from_wkt(GCS_WGS84), Ok(Crs::Wgs84));
        let err = Crs::from_wkt(PULKOVO).unwrap_err();
        assert!(err.to_string().contains("Pulkovo 1942"), "{err}");
        assert!(err.to_string().contains("EPSG:28412"), "{err}");
    }

    #[test]
    fn utm_and_mercator_come_back_to_wgs84() {
        // Reference values from PROJ 9 (pyproj, always_xy): 70.8153 E 40.0627 N is
        // 654,816.143 E 4,436,295.135 N in UTM 42N; 75.5 E 20.25 S is 552,220.054 E
        // 7,760,774.434 N in UTM 43S; 70.8 E 40.06 N is 7,881,419.948, 4,874,665.151 in
        // EPSG:3857.
        let near = |(lon, lat): (f64, f64), (elon, elat): (f64, f64)| {
            let metres = (((lon - elon) * 111_320.0 * elat.to_radians().cos()).powi(2)
                + ((lat - elat) * 110_574.0).powi(2))
            .sqrt();
            assert!(
                metres < 0.01,
                "{lon} {lat} is {metres} m from {elon} {elat}"
            );
        };
        let utm = Crs::from_epsg(32642).unwrap().to_wgs84().unwrap();
        near(
            utm.point(654_816.142_8, 4_436_295.134_7).unwrap(),
            (70.8153, 40.0627),
        );
        let south = Crs::from_epsg(32743).unwrap().to_wgs84().unwrap();
        near(
            south.point(552_220.053_9, 7_760_774.434_3).unwrap(),
            (75.5, -20.25),
        );
        let merc = Crs::WebMercator.to_wgs84().unwrap();
        near(
            merc.point(7_881_419.948_2, 4_874_665.150_5).unwrap(),
            (70.8, 40.06),
        );
        assert!(merc.point(f64::NAN, 0.0).is_none());
        assert!(Crs::Wgs84.to_wgs84().is_none());
        let mut g = Geometry::Point(geo::Point::new(654_816.142_8, 4_436_295.134_7));
        utm.geometry(&mut g).unwrap();
        let Geometry::Point(p) = g else { panic!() };
        near((p.x(), p.y()), (70.8153, 40.0627));
    }
}
