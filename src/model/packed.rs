//! A geometry packed into bytes, losslessly: what a layer keeps of each feature's exact
//! coordinates between the times it is asked for them (an inspector, a file written, a
//! place looked up). Drawing uses the prepared form ([`super::prepared`]).
//!
//! Coordinates written with at most nine decimals (GeoJSON's habit is six or seven) are kept
//! as whole numbers of 10^-k, each the difference from the one before, zigzag-encoded in
//! seven-bit groups: neighbouring vertices of a polygon a few hundred metres apart take
//! about three bytes a number where an `f64` takes eight, with no per-ring allocation. A
//! geometry any of whose numbers would not come back bit for bit (more decimals, `-0.0`, not
//! finite) keeps raw `f64`s. Packing checks every number by unpacking it, so unpacking
//! always gives back exactly what was packed.
//!
//! The 100 MB benchmark layer's 3.35 M vertices took 90 MB as `geo` geometries (vectors
//! grown while read, a few per feature) and take about 20 MB packed.

use geo::{
    Coord, Geometry, GeometryCollection, Line, LineString, MultiLineString, MultiPoint,
    MultiPolygon, Point, Polygon, Rect, Triangle,
};

/// A geometry as bytes: see the module. Compares equal exactly when the geometries do
/// (packing is deterministic).
#[derive(Clone, PartialEq, Eq)]
pub struct Packed(Box<[u8]>);

/// Most decimals kept as whole numbers; more keep raw `f64`s.
const MAX_DECIMALS: u8 = 9;
/// Marks raw `f64` coordinates in the header byte.
const RAW: u8 = 0xff;

const POINT: u8 = 0;
const LINE: u8 = 1;
const LINE_STRING: u8 = 2;
const POLYGON: u8 = 3;
const MULTI_POINT: u8 = 4;
const MULTI_LINE_STRING: u8 = 5;
const MULTI_POLYGON: u8 = 6;
const COLLECTION: u8 = 7;
const RECT: u8 = 8;
const TRIANGLE: u8 = 9;

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Packed({:?})", self.unpack())
    }
}

impl Packed {
    /// `geometry`, packed.
    pub fn pack(geometry: &Geometry<f64>) -> Self {
        let decimals = decimals_of(geometry);
        let mut w = Writer {
            out: Vec::new(),
            decimals,
            scale: scale(decimals),
            last: [0, 0],
        };
        w.out.push(decimals.unwrap_or(RAW));
        w.geometry(geometry);
        Self(w.out.into_boxed_slice())
    }

    /// The geometry, as it was packed.
    pub fn unpack(&self) -> Geometry<f64> {
        let decimals = self.0.first().copied().unwrap_or(RAW);
        let decimals = (decimals <= MAX_DECIMALS).then_some(decimals);
        let mut r = Reader {
            bytes: &self.0,
            at: 1,
            decimals,
            scale: scale(decimals),
            last: [0, 0],
        };
        r.geometry()
    }

    /// Bytes it takes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true: a packed geometry has at least its header.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// 10^decimals, or 1 for raw numbers.
fn scale(decimals: Option<u8>) -> f64 {
    decimals.map_or(1.0, |d| 10f64.powi(i32::from(d)))
}

/// `v` as a whole number of 10^-decimals, when it comes back bit for bit.
fn whole(v: f64, scale: f64) -> Option<i64> {
    let n = (v * scale).round();
    // Whole numbers beyond 2^53 are not all exact; they never come from a map anyway.
    if n.is_nan() || n.abs() >= 9.0e15 {
        return None;
    }
    let i = n as i64;
    ((i as f64 / scale).to_bits() == v.to_bits()).then_some(i)
}

/// The fewest decimals that keep every coordinate of `g` exact, `None` when none do.
fn decimals_of(g: &Geometry<f64>) -> Option<u8> {
    let mut d = 0u8;
    let mut s = 1.0;
    let mut ok = true;
    each_coord(g, &mut |c: Coord<f64>| {
        for v in [c.x, c.y] {
            while ok && whole(v, s).is_none() {
                if d == MAX_DECIMALS {
                    ok = false;
                } else {
                    d += 1;
                    s = scale(Some(d));
                }
            }
        }
    });
    ok.then_some(d)
}

fn each_coord(g: &Geometry<f64>, f: &mut impl FnMut(Coord<f64>)) {
    let ring = |l: &LineString<f64>, f: &mut dyn FnMut(Coord<f64>)| l.0.iter().for_each(|&c| f(c));
    match g {
        Geometry::Point(p) => f(p.0),
        Geometry::Line(l) => {
            f(l.start);
            f(l.end);
        }
        Geometry::LineString(l) => ring(l, f),
        Geometry::Polygon(p) => {
            ring(p.exterior(), f);
            p.interiors().iter().for_each(|r| ring(r, f));
        }
        Geometry::MultiPoint(mp) => mp.0.iter().for_each(|p| f(p.0)),
        Geometry::MultiLineString(ml) => ml.0.iter().for_each(|l| ring(l, f)),
        Geometry::MultiPolygon(mp) => mp.0.iter().for_each(|p| {
            ring(p.exterior(), f);
            p.interiors().iter().for_each(|r| ring(r, f));
        }),
        Geometry::GeometryCollection(gc) => gc.0.iter().for_each(|g| each_coord(g, f)),
        Geometry::Rect(r) => {
            f(r.min());
            f(r.max());
        }
        Geometry::Triangle(t) => {
            f(t.v1());
            f(t.v2());
            f(t.v3());
        }
    }
}

struct Writer {
    out: Vec<u8>,
    decimals: Option<u8>,
    scale: f64,
    last: [i64; 2],
}

impl Writer {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    fn coord(&mut self, c: Coord<f64>) {
        if self.decimals.is_none() {
            self.out.extend_from_slice(&c.x.to_le_bytes());
            self.out.extend_from_slice(&c.y.to_le_bytes());
            return;
        }
        for (i, v) in [c.x, c.y].into_iter().enumerate() {
            // `decimals_of` made sure every number is whole at this scale.
            let n = whole(v, self.scale).unwrap_or_default();
            let delta = n.wrapping_sub(self.last[i]);
            self.last[i] = n;
            self.varint(((delta << 1) ^ (delta >> 63)) as u64);
        }
    }

    fn coords(&mut self, l: &LineString<f64>) {
        self.count(l.0.len());
        l.0.iter().for_each(|&c| self.coord(c));
    }

    fn polygon(&mut self, p: &Polygon<f64>) {
        self.coords(p.exterior());
        self.count(p.interiors().len());
        p.interiors().iter().for_each(|r| self.coords(r));
    }

    fn geometry(&mut self, g: &Geometry<f64>) {
        match g {
            Geometry::Point(p) => {
                self.out.push(POINT);
                self.coord(p.0);
            }
            Geometry::Line(l) => {
                self.out.push(LINE);
                self.coord(l.start);
                self.coord(l.end);
            }
            Geometry::LineString(l) => {
                self.out.push(LINE_STRING);
                self.coords(l);
            }
            Geometry::Polygon(p) => {
                self.out.push(POLYGON);
                self.polygon(p);
            }
            Geometry::MultiPoint(mp) => {
                self.out.push(MULTI_POINT);
                self.count(mp.0.len());
                mp.0.iter().for_each(|p| self.coord(p.0));
            }
            Geometry::MultiLineString(ml) => {
                self.out.push(MULTI_LINE_STRING);
                self.count(ml.0.len());
                ml.0.iter().for_each(|l| self.coords(l));
            }
            Geometry::MultiPolygon(mp) => {
                self.out.push(MULTI_POLYGON);
                self.count(mp.0.len());
                mp.0.iter().for_each(|p| self.polygon(p));
            }
            Geometry::GeometryCollection(gc) => {
                self.out.push(COLLECTION);
                self.count(gc.0.len());
                gc.0.iter().for_each(|g| self.geometry(g));
            }
            Geometry::Rect(r) => {
                self.out.push(RECT);
                self.coord(r.min());
                self.coord(r.max());
            }
            Geometry::Triangle(t) => {
                self.out.push(TRIANGLE);
                self.coord(t.v1());
                self.coord(t.v2());
                self.coord(t.v3());
            }
        }
    }
}

/// Reads what [`Writer`] wrote. Bytes only ever come from a `Writer`; should they end early
/// anyway, the rest reads as zeros and empty lists rather than panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    decimals: Option<u8>,
    scale: f64,
    last: [i64; 2],
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.at).copied().unwrap_or_default();
        self.at += 1;
        b
    }

    fn varint(&mut self) -> u64 {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte();
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                break;
            }
        }
        v
    }

    /// A count, never more than the bytes left could hold.
    fn count(&mut self) -> usize {
        let n = self.varint();
        (n as usize).min(self.bytes.len().saturating_sub(self.at))
    }

    fn f64(&mut self) -> f64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        f64::from_le_bytes(b)
    }

    fn coord(&mut self) -> Coord<f64> {
        if self.decimals.is_none() {
            let x = self.f64();
            let y = self.f64();
            return Coord { x, y };
        }
        let mut xy = [0.0; 2];
        for (i, v) in xy.iter_mut().enumerate() {
            let z = self.varint();
            let delta = ((z >> 1) as i64) ^ -((z & 1) as i64);
            self.last[i] = self.last[i].wrapping_add(delta);
            *v = self.last[i] as f64 / self.scale;
        }
        Coord { x: xy[0], y: xy[1] }
    }

    fn coords(&mut self) -> LineString<f64> {
        let n = self.count();
        LineString((0..n).map(|_| self.coord()).collect())
    }

    fn polygon(&mut self) -> Polygon<f64> {
        let exterior = self.coords();
        let n = self.count();
        let interiors = (0..n).map(|_| self.coords()).collect();
        Polygon::new(exterior, interiors)
    }

    fn geometry(&mut self) -> Geometry<f64> {
        match self.byte() {
            LINE => Geometry::Line(Line::new(self.coord(), self.coord())),
            LINE_STRING => Geometry::LineString(self.coords()),
            POLYGON => Geometry::Polygon(self.polygon()),
            MULTI_POINT => {
                let n = self.count();
                Geometry::MultiPoint(MultiPoint((0..n).map(|_| Point(self.coord())).collect()))
            }
            MULTI_LINE_STRING => {
                let n = self.count();
                Geometry::MultiLineString(MultiLineString((0..n).map(|_| self.coords()).collect()))
            }
            MULTI_POLYGON => {
                let n = self.count();
                Geometry::MultiPolygon(MultiPolygon((0..n).map(|_| self.polygon()).collect()))
            }
            COLLECTION => {
                let n = self.count();
                Geometry::GeometryCollection(GeometryCollection(
                    (0..n).map(|_| self.geometry()).collect(),
                ))
            }
            RECT => Geometry::Rect(Rect::new(self.coord(), self.coord())),
            TRIANGLE => Geometry::Triangle(Triangle::new(self.coord(), self.coord(), self.coord())),
            _ => Geometry::Point(Point(self.coord())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon};

    fn round_trip(g: Geometry<f64>) -> Packed {
        let packed = Packed::pack(&g);
        let back = packed.unpack();
        assert_eq!(format!("{back:?}"), format!("{g:?}"));
        // Bit for bit, not just `==` (which takes -0.0 for 0.0).
        let (mut a, mut b) = (Vec::new(), Vec::new());
        each_coord(&g, &mut |c| a.extend([c.x.to_bits(), c.y.to_bits()]));
        each_coord(&back, &mut |c| b.extend([c.x.to_bits(), c.y.to_bits()]));
        assert_eq!(a, b);
        packed
    }

    #[test]
    fn six_decimals_come_back_exactly_in_under_half_the_bytes() {
        let ring: Vec<Coord<f64>> = (0..100)
            .map(|i| {
                let t = f64::from(i) / 100.0 * std::f64::consts::TAU;
                let x: f64 = 71.387214 + 0.01 * t.cos();
                let y: f64 = 37.254634 + 0.01 * t.sin();
                // Written with six decimals, as GeoJSON files are.
                Coord {
                    x: format!("{x:.6}").parse().unwrap(),
                    y: format!("{y:.6}").parse().unwrap(),
                }
            })
            .collect();
        let g = Geometry::Polygon(Polygon::new(LineString(ring), vec![]));
        let packed = round_trip(g);
        assert_eq!(packed.0[0], 6, "six decimals found");
        // 100 vertices of 16 bytes as f64s; packed, about 3 bytes a number.
        assert!(packed.len() < 100 * 16 / 2, "{} bytes", packed.len());
    }

    #[test]
    fn numbers_no_decimal_scale_keeps_stay_raw_and_exact() {
        for v in [
            0.1 + 0.2,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            1e300,
            1.234_567_890_123,
        ] {
            let g = Geometry::LineString(line_string![(x: 70.5, y: 40.0), (x: v, y: v)]);
            let packed = round_trip(g);
            assert_eq!(packed.0[0], RAW, "{v}");
        }
    }

    #[test]
    fn every_kind_of_geometry_comes_back() {
        let poly = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 1.0)]],
        );
        let line = line_string![(x: -70.25, y: -40.5), (x: 71.125, y: 39.0625)];
        let all = vec![
            Geometry::Point(Point::new(-179.999_999_9, 89.5)),
            Geometry::Line(Line::new((0.5, 0.25), (-1.0, 2.0))),
            Geometry::LineString(line.clone()),
            Geometry::Polygon(poly.clone()),
            Geometry::MultiPoint(MultiPoint(vec![Point::new(1.0, 2.0), Point::new(3.0, 4.0)])),
            Geometry::MultiLineString(MultiLineString(vec![line.clone(), LineString(vec![])])),
            Geometry::MultiPolygon(MultiPolygon(vec![poly.clone(), poly.clone()])),
            Geometry::Rect(Rect::new((0.0, 0.0), (1.5, 2.5))),
            Geometry::Triangle(Triangle::new(
                (0.0, 0.0).into(),
                (1.0, 0.0).into(),
                (0.0, 1.0).into(),
            )),
        ];
        for g in all.iter().cloned() {
            round_trip(g);
        }
        round_trip(Geometry::GeometryCollection(GeometryCollection(all)));
    }

    #[test]
    fn equal_geometries_pack_equal_and_different_ones_do_not() {
        let a = Geometry::LineString(line_string![(x: 70.0, y: 40.0), (x: 70.1, y: 40.1)]);
        let b = Geometry::LineString(line_string![(x: 70.0, y: 40.0), (x: 70.1, y: 40.2)]);
        assert_eq!(Packed::pack(&a), Packed::pack(&a.clone()));
        assert_ne!(Packed::pack(&a), Packed::pack(&b));
    }

    #[test]
    fn cut_bytes_unpack_without_panicking() {
        let g = Geometry::Polygon(polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0)],
            interiors: [],
        ));
        let packed = Packed::pack(&g);
        for n in 0..packed.len() {
            Packed(packed.0[..n].into()).unpack();
        }
        Packed(vec![3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f].into()).unpack();
    }
}
