//! Well-known binary (WKB) geometry, as a GeoPackage stores it after its header: ISO WKB in
//! either byte order, the seven simple types (Point to GeometryCollection) in 2D and with Z
//! (1000+), M (2000+) or both (3000+), and PostGIS's extended form (EWKB: Z, M and SRID as
//! high bits of the type). Z and M values are read and dropped: the map is 2D.
//!
//! The parser is pure and bounded: every count is checked against the bytes left before
//! anything is allocated (a count of 2^31 points in 20 bytes is an error, not 32 GB), and
//! nesting (collections of collections) stops at [`MAX_DEPTH`]. Empty geometries (a count of
//! zero, a point of NaN coordinates) read as `None`; curves and surfaces (CircularString,
//! CompoundCurve, CurvePolygon, ...) are [`WkbError::Unsupported`], which a reader reports
//! as a warning rather than a broken file.

use geo::{
    Coord, Geometry, GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon,
    Point, Polygon,
};

/// How deeply collections may nest.
pub const MAX_DEPTH: usize = 32;

/// Why a WKB geometry could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WkbError {
    /// A geometry type bordermap does not draw (curves, surfaces, TINs): its name.
    #[error("{0} geometry is not supported (only Point to GeometryCollection)")]
    Unsupported(String),
    /// The bytes are not valid WKB: what is wrong, and at which byte.
    #[error("invalid WKB at byte {at}: {message}")]
    Invalid {
        /// Offset in the WKB.
        at: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads one WKB geometry from `bytes`; `Ok(None)` for an empty geometry. Bytes after the
/// geometry are ignored.
pub fn read_wkb(bytes: &[u8]) -> Result<Option<Geometry<f64>>, WkbError> {
    let mut reader = Reader { bytes, pos: 0 };
    reader.geometry(0)
}

/// The WKB type code's name, for messages.
fn type_name(base: u32) -> &'static str {
    match base {
        1 => "Point",
        2 => "LineString",
        3 => "Polygon",
        4 => "MultiPoint",
        5 => "MultiLineString",
        6 => "MultiPolygon",
        7 => "GeometryCollection",
        8 => "CircularString",
        9 => "CompoundCurve",
        10 => "CurvePolygon",
        11 => "MultiCurve",
        12 => "MultiSurface",
        13 => "Curve",
        14 => "Surface",
        15 => "PolyhedralSurface",
        16 => "TIN",
        17 => "Triangle",
        _ => "unknown",
    }
}

/// The smallest a WKB geometry can be: byte order, type and a zero count.
const MIN_GEOMETRY: usize = 1 + 4 + 4;

/// A cursor over WKB bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

/// The head of one geometry: byte order, base type (1..=17) and coordinate size.
#[derive(Clone, Copy)]
struct Head {
    little: bool,
    base: u32,
    /// Values per coordinate: 2, 3 or 4.
    dims: usize,
}

impl<'a> Reader<'a> {
    fn invalid(&self, message: impl Into<String>) -> WkbError {
        WkbError::Invalid {
            at: self.pos,
            message: message.into(),
        }
    }

    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], WkbError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| self.invalid(format!("truncated: {n} more bytes expected")))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn u32(&mut self, little: bool) -> Result<u32, WkbError> {
        let b = self.take(4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Ok(if little {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    }

    fn head(&mut self) -> Result<Head, WkbError> {
        let little = match self.take(1)?[0] {
            0 => false,
            1 => true,
            b => return Err(self.invalid(format!("byte order {b} (expected 0 or 1)"))),
        };
        let code = self.u32(little)?;
        // EWKB: Z, M and SRID as high bits.
        let (ewkb_z, ewkb_m, srid) = (
            code & 0x8000_0000 != 0,
            code & 0x4000_0000 != 0,
            code & 0x2000_0000 != 0,
        );
        let iso = code & 0x0fff_ffff;
        let (base, iso_z, iso_m) = match iso / 1000 {
            0 => (iso, false, false),
            1 => (iso % 1000, true, false),
            2 => (iso % 1000, false, true),
            3 => (iso % 1000, true, true),
            _ => return Err(self.invalid(format!("unknown geometry type {code}"))),
        };
        if srid {
            self.take(4)?;
        }
        match base {
            1..=7 => {}
            8..=17 => return Err(WkbError::Unsupported(type_name(base).to_string())),
            _ => return Err(self.invalid(format!("unknown geometry type {code}"))),
        }
        let dims = 2 + usize::from(ewkb_z || iso_z) + usize::from(ewkb_m || iso_m);
        Ok(Head { little, base, dims })
    }

    /// A count of items at least `item` bytes each, checked against the bytes left.
    fn count(&mut self, little: bool, item: usize, what: &str) -> Result<usize, WkbError> {
        let at = self.pos;
        let n = self.u32(little)? as usize;
        if n.saturating_mul(item) > self.left() {
            return Err(WkbError::Invalid {
                at,
                message: format!(
                    "{n} {what} declared but only {} bytes left (each takes at least {item})",
                    self.left()
                ),
            });
        }
        Ok(n)
    }

    fn coord(&mut self, head: Head) -> Result<Coord<f64>, WkbError> {
        let b = self.take(head.dims * 8)?;
        let f = |i: usize| {
            let a = [
                b[i],
                b[i + 1],
                b[i + 2],
                b[i + 3],
                b[i + 4],
                b[i + 5],
                b[i + 6],
                b[i + 7],
            ];
            if head.little {
                f64::from_le_bytes(a)
            } else {
                f64::from_be_bytes(a)
            }
        };
        Ok(Coord { x: f(0), y: f(8) })
    }

    /// Points, with room for `spare` more (a ring left open is closed by one more point:
    /// without the room, closing it would double the memory of its points).
    fn points(&mut self, head: Head, spare: usize) -> Result<Vec<Coord<f64>>, WkbError> {
        let n = self.count(head.little, head.dims * 8, "points")?;
        let mut out = Vec::with_capacity(n + spare);
        for _ in 0..n {
            out.push(self.coord(head)?);
        }
        Ok(out)
    }

    /// A ring, closed.
    fn ring(&mut self, head: Head) -> Result<LineString<f64>, WkbError> {
        let mut ring = LineString(self.points(head, 1)?);
        ring.close();
        Ok(ring)
    }

    fn polygon(&mut self, head: Head) -> Result<Option<Polygon<f64>>, WkbError> {
        let n = self.count(head.little, 4, "rings")?;
        if n == 0 {
            return Ok(None);
        }
        let exterior = self.ring(head)?;
        let mut interiors = Vec::with_capacity(n - 1);
        for _ in 1..n {
            let ring = self.ring(head)?;
            // An empty hole adds nothing.
            if !ring.0.is_empty() {
                interiors.push(ring);
            }
        }
        // An empty exterior makes the polygon empty.
        Ok((!exterior.0.is_empty()).then(|| Polygon::new(exterior, interiors)))
    }

    /// A member of a multi-geometry: a whole WKB geometry of type `want`.
    fn member(&mut self, want: u32, depth: usize) -> Result<Option<Geometry<f64>>, WkbError> {
        let at = self.pos;
        let geometry = self.geometry(depth + 1)?;
        let base = match &geometry {
            None => return Ok(None),
            Some(Geometry::Point(_)) => 1,
            Some(Geometry::LineString(_)) => 2,
            Some(Geometry::Polygon(_)) => 3,
            Some(_) => 0,
        };
        if base != want {
            return Err(WkbError::Invalid {
                at,
                message: format!(
                    "a Multi{} holds a geometry of another type",
                    type_name(want)
                ),
            });
        }
        Ok(geometry)
    }

    fn geometry(&mut self, depth: usize) -> Result<Option<Geometry<f64>>, WkbError> {
        if depth > MAX_DEPTH {
            return Err(self.invalid(format!("nested more than {MAX_DEPTH} deep")));
        }
        let head = self.head()?;
        let little = head.little;
        Ok(match head.base {
            1 => {
                let c = self.coord(head)?;
                (!(c.x.is_nan() && c.y.is_nan())).then_some(Geometry::Point(Point(c)))
            }
            2 => {
                let points = self.points(head, 0)?;
                (!points.is_empty()).then_some(Geometry::LineString(LineString(points)))
            }
            3 => self.polygon(head)?.map(Geometry::Polygon),
            4 => {
                let n = self.count(little, MIN_GEOMETRY, "points")?;
                let mut points = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Some(Geometry::Point(p)) = self.member(1, depth)? {
                        points.push(p);
                    }
                }
                (!points.is_empty()).then_some(Geometry::MultiPoint(MultiPoint(points)))
            }
            5 => {
                let n = self.count(little, MIN_GEOMETRY, "line strings")?;
                let mut lines = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Some(Geometry::LineString(l)) = self.member(2, depth)? {
                        lines.push(l);
                    }
                }
                (!lines.is_empty()).then_some(Geometry::MultiLineString(MultiLineString(lines)))
            }
            6 => {
                let n = self.count(little, MIN_GEOMETRY, "polygons")?;
                let mut polygons = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Some(Geometry::Polygon(p)) = self.member(3, depth)? {
                        polygons.push(p);
                    }
                }
                (!polygons.is_empty()).then_some(Geometry::MultiPolygon(MultiPolygon(polygons)))
            }
            _ => {
                let n = self.count(little, MIN_GEOMETRY, "geometries")?;
                let mut members = Vec::with_capacity(n);
                for _ in 0..n {
                    if let Some(g) = self.geometry(depth + 1)? {
                        members.push(g);
                    }
                }
                (!members.is_empty())
                    .then_some(Geometry::GeometryCollection(GeometryCollection(members)))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds WKB by hand.
    struct W {
        out: Vec<u8>,
        little: bool,
    }

    impl W {
        fn new(little: bool) -> Self {
            Self {
                out: Vec::new(),
                little,
            }
        }
        fn head(&mut self, code: u32) -> &mut Self {
            self.out.push(u8::from(self.little));
            self.u32(code)
        }
        fn u32(&mut self, v: u32) -> &mut Self {
            let b = if self.little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            };
            self.out.extend_from_slice(&b);
            self
        }
        fn f(&mut self, values: &[f64]) -> &mut Self {
            for v in values {
                let b = if self.little {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                };
                self.out.extend_from_slice(&b);
            }
            self
        }
    }

    #[test]
    fn points_in_both_byte_orders_and_every_dimension() {
        for little in [true, false] {
            for (code, values) in [
                (1, vec![70.5, 40.25]),
                (1001, vec![70.5, 40.25, 900.0]),
                (2001, vec![70.5, 40.25, 7.0]),
                (3001, vec![70.5, 40.25, 900.0, 7.0]),
                (0x8000_0001, vec![70.5, 40.25, 900.0]),
                (0xC000_0001, vec![70.5, 40.25, 900.0, 7.0]),
            ] {
                let mut w = W::new(little);
                w.head(code).f(&values);
                let g = read_wkb(&w.out).unwrap();
                assert_eq!(
                    g,
                    Some(Geometry::Point(Point::new(70.5, 40.25))),
                    "code {code} little {little}"
                );
            }
        }
        // EWKB with an SRID after the type.
        let mut w = W::new(true);
        w.head(0x2000_0001).u32(4326).f(&[1.0, 2.0]);
        assert_eq!(
            read_wkb(&w.out).unwrap(),
            Some(Geometry::Point(Point::new(1.0, 2.0)))
        );
    }

    #[test]
    fn polygons_with_holes_multis_and_collections() {
        let ring = |w: &mut W, pts: &[(f64, f64)]| {
            w.u32(pts.len() as u32);
            for (x, y) in pts {
                w.f(&[*x, *y]);
            }
        };
        let outer = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)];
        let hole = [(1.0, 1.0), (2.0, 1.0), (2.0, 2.0), (1.0, 1.0)];
        // A big-endian MultiPolygon Z of one polygon with a hole.
        let mut w = W::new(false);
        w.head(1006).u32(1).head(1003).u32(2);
        for r in [&outer[..], &hole[..]] {
            w.u32(r.len() as u32);
            for (x, y) in r {
                w.f(&[*x, *y, 5.0]);
            }
        }
        let Some(Geometry::MultiPolygon(mp)) = read_wkb(&w.out).unwrap() else {
            panic!("not a multipolygon");
        };
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(mp.0[0].exterior().0[2], Coord { x: 10.0, y: 10.0 });
        // A ring left open (as GDAL keeps the benchmark's) is closed without doubling.
        let mut w = W::new(true);
        w.head(3).u32(1);
        ring(
            &mut w,
            &[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
        );
        let Some(Geometry::Polygon(p)) = read_wkb(&w.out).unwrap() else {
            panic!("not a polygon");
        };
        assert_eq!(p.exterior().0.len(), 5);
        assert_eq!(p.exterior().0[4], Coord { x: 0.0, y: 0.0 });
        assert!(
            p.exterior().0.capacity() <= 5,
            "{}",
            p.exterior().0.capacity()
        );
        assert_eq!(p.interiors().len(), 0);
        // A collection of a point and a line string, little-endian.
        let mut w = W::new(true);
        w.head(7).u32(2).head(1).f(&[3.0, 4.0]).head(2);
        ring(&mut w, &[(0.0, 0.0), (1.0, 1.0)]);
        let Some(Geometry::GeometryCollection(c)) = read_wkb(&w.out).unwrap() else {
            panic!("not a collection");
        };
        assert_eq!(c.0.len(), 2);
        assert!(matches!(c.0[1], Geometry::LineString(_)));
        // A MultiPoint holding a line string is refused.
        let mut w = W::new(true);
        w.head(4).u32(1).head(2);
        ring(&mut w, &[(0.0, 0.0), (1.0, 1.0)]);
        assert!(matches!(read_wkb(&w.out), Err(WkbError::Invalid { .. })));
    }

    #[test]
    fn empty_geometries_read_as_none() {
        let mut w = W::new(true);
        w.head(1).f(&[f64::NAN, f64::NAN]);
        assert_eq!(read_wkb(&w.out), Ok(None));
        for code in [2, 3, 4, 5, 6, 7, 1002, 3003] {
            let mut w = W::new(false);
            w.head(code).u32(0);
            assert_eq!(read_wkb(&w.out), Ok(None), "code {code}");
        }
        // A MultiPoint of only empty points is empty too.
        let mut w = W::new(true);
        w.head(4).u32(1).head(1).f(&[f64::NAN, f64::NAN]);
        assert_eq!(read_wkb(&w.out), Ok(None));
    }

    #[test]
    fn hostile_and_broken_wkb_is_refused_fast() {
        // 2^31 points declared in 20 bytes.
        let mut w = W::new(true);
        w.head(2).u32(1 << 31).f(&[1.0]);
        assert_eq!(w.out.len(), 17);
        w.out.extend_from_slice(&[0; 3]);
        let started = std::time::Instant::now();
        let err = read_wkb(&w.out).unwrap_err();
        assert!(started.elapsed().as_millis() < 100);
        assert!(
            err.to_string().contains("2147483648 points declared"),
            "{err}"
        );
        // Collections nested deeper than allowed.
        let mut w = W::new(true);
        for _ in 0..=MAX_DEPTH + 1 {
            w.head(7).u32(1);
        }
        w.head(1).f(&[1.0, 2.0]);
        let err = read_wkb(&w.out).unwrap_err();
        assert!(err.to_string().contains("nested more than 32"), "{err}");
        // Curves are unsupported, not broken.
        let mut w = W::new(true);
        w.head(8).u32(0);
        assert_eq!(
            read_wkb(&w.out),
            Err(WkbError::Unsupported("CircularString".into()))
        );
        let mut w = W::new(true);
        w.head(1010).u32(0);
        assert_eq!(
            read_wkb(&w.out),
            Err(WkbError::Unsupported("CurvePolygon".into()))
        );
        // Garbage: bad byte order, unknown types, truncation anywhere.
        assert!(read_wkb(&[2, 1, 0, 0, 0]).is_err());
        assert!(read_wkb(&[1, 99, 0, 0, 0]).is_err());
        assert!(read_wkb(&[1, 0xb9, 0x0b, 0, 0]).is_err());
        let mut w = W::new(true);
        w.head(3)
            .u32(1)
            .u32(4)
            .f(&[0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
        assert!(read_wkb(&w.out).unwrap().is_some());
        for cut in 0..w.out.len() {
            assert!(read_wkb(&w.out[..cut]).is_err(), "cut at {cut}");
        }
    }
}
