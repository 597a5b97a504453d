//! Offline basemap rasterizer: turns the bundled basemap layers (countries, lakes,
//! admin-1 province lines) into Web-Mercator XYZ tile images, with no network and no egui.
//!
//! Responsibilities:
//! - [`BasemapData::new`] projects the lon/lat geometry once to Web Mercator normalised to
//!   `[0, 1]²` (x east, y south), builds pre-simplified copies per zoom band (Douglas–Peucker
//!   at about half a pixel for zooms 4, 6, 8, 10, full detail from 11 on) and an R-tree of
//!   per-geometry bounding boxes per band, so a tile only touches the geometry it intersects.
//!   Country rings are simplified stretch by stretch between the vertices where the border
//!   graph branches, so two neighbours keep identical (coinciding) shared borders at every
//!   zoom, and an enclave disappears from its host and from its own country at the same zoom.
//! - [`render_tile`] paints one tile (RGBA8, unpremultiplied), bottom to top: background,
//!   water (the box of the country data), `lakes.geojson`, country fills (even-odd, so lake
//!   holes show the water under them), shore lines, dashed province lines, international
//!   boundaries; all anti-aliased with `tiny-skia`. Geometry is clipped to the tile plus a
//!   margin wider than any stroke, and dash phases are measured from the start of each line,
//!   so neighbouring tiles join seamlessly. Line widths are for 256 px tiles and scale with
//!   `size / 256`; the simplified band is chosen by pixel density, not by `z` alone.
//! - [`country_fill`] and the colour constants are the palette, for the legend.
//!
//! Not drawn here: place names (screen-space text drawn by the overlay) and the Kyrgyz–Tajik
//! border (an overlay layer).
//!
//! Water and shores. The country layer is a *land* layer (OpenStreetMap land split by
//! country): inside its bounding box, whatever no country covers is water — lake holes, the
//! river channels left between two countries (the Panj, stretches of the Syr Darya, the Chu),
//! Issyk-Kul, Balkhash. So the box is painted water under the land, and outside it is the
//! [`BACKGROUND`] (no data). A country ring segment used by two rings (two countries, or an
//! enclave and its host) is an international boundary; a segment used once is a shore; a
//! segment used once that runs along the edge of the data box (where the source was cut) is
//! not drawn. `lakes.geojson` (Natural Earth 1:10m) is painted under the land, without a shore
//! line: its reservoirs disagree with the OpenStreetMap land by up to half their area
//! (Kayrakkum, Toktogul, Chardara), and drawn over the land they give doubled shores and
//! land patches inside the water; under the land it only shows where the land leaves water
//! (with the bundled data that is already water, so it changes nothing there).

use crate::model::geom;
use std::collections::HashMap;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform,
};

/// A projected point: Web Mercator normalised to `[0, 1]²`, x east, y south.
type Pt = [f64; 2];
/// A vertex identity: lon/lat quantised to 1e-7 degrees (the input is rounded to 1e-5).
type Key = (i64, i64);

/// Background: where there is no data (outside the box of the country data).
pub const BACKGROUND: [u8; 4] = [226, 231, 236, 255];
/// Water: inside the box of the country data, wherever no country is (lakes, rivers).
pub const WATER: [u8; 4] = [173, 204, 226, 255];
/// Shore line around water.
pub const SHORE: [u8; 4] = [134, 172, 202, 255];
/// International boundaries (country outlines).
pub const BORDER_LINE: [u8; 4] = [128, 126, 134, 255];
/// Admin-1 (province / oblast / viloyat) boundaries, dashed; drawn with this alpha.
pub const PROVINCE_LINE: [u8; 4] = [110, 102, 116, 190];
/// Land of countries without a dedicated tint.
pub const OTHER_LAND: [u8; 4] = [235, 232, 225, 255];

/// The land fill of a country, by ISO 3166-1 alpha-3 code (case-insensitive).
/// Kyrgyzstan, Tajikistan and Uzbekistan get distinct pastel tints; every other code the
/// neutral [`OTHER_LAND`].
pub fn country_fill(iso_a3: &str) -> [u8; 4] {
    let iso = iso_a3.trim();
    if iso.eq_ignore_ascii_case("KGZ") {
        [243, 227, 194, 255] // warm sand
    } else if iso.eq_ignore_ascii_case("TJK") {
        [211, 232, 200, 255] // pale green
    } else if iso.eq_ignore_ascii_case("UZB") {
        [226, 216, 237, 255] // pale lilac
    } else {
        OTHER_LAND
    }
}

/// Zooms (for 256 px tiles) at which the simplified bands are made; the last band is full detail.
const BAND_ZOOMS: [f64; 4] = [4.0, 6.0, 8.0, 10.0];
const NUM_BANDS: usize = BAND_ZOOMS.len() + 1;
/// Douglas–Peucker tolerance, in pixels at the band's zoom.
const SIMPLIFY_PX: f64 = 0.5;
/// Rings with less area than this many squared tolerances are dropped from a band.
const MIN_RING_AREA_TOL2: f64 = 8.0;
/// Highest zoom rendered; above it tiles are background.
const MAX_ZOOM: u8 = 30;
/// Province lines are drawn from this zoom on.
const PROVINCE_MIN_ZOOM: u8 = 5;

/// Projects lon/lat (degrees) to Web Mercator normalised to `[0, 1]²` (`None` for a
/// coordinate that is not a number).
fn project(lon: f64, lat: f64) -> Option<Pt> {
    (lon.is_finite() && lat.is_finite()).then(|| geom::mercator(lon, lat))
}

fn key_of(lon: f64, lat: f64) -> Key {
    ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64)
}

fn band_tolerance(band: usize) -> f64 {
    match BAND_ZOOMS.get(band) {
        Some(z) => SIMPLIFY_PX / (256.0 * z.exp2()),
        None => 0.0,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FillLayer {
    /// `lakes.geojson`, painted under the land (see the module doc).
    Lake = 0,
    Country = 1,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum LineKind {
    Shore = 0,
    Province = 1,
    Border = 2,
}

/// The points of a kept ring or line: `f32` offsets from its first point. Over the span of a
/// country they keep a fraction of a metre (a tenth of a pixel at zoom 17), in half the
/// memory of `f64` points: 7 MB of the window's basemap.
#[derive(Clone, Debug, Default)]
struct Pts {
    origin: Pt,
    offsets: Vec<[f32; 2]>,
}

impl Pts {
    fn new(pts: &[Pt]) -> Self {
        let origin = pts.first().copied().unwrap_or_default();
        Self {
            origin,
            offsets: pts
                .iter()
                .map(|p| [(p[0] - origin[0]) as f32, (p[1] - origin[1]) as f32])
                .collect(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = Pt> + '_ {
        let o = self.origin;
        self.offsets
            .iter()
            .map(move |d| [o[0] + f64::from(d[0]), o[1] + f64::from(d[1])])
    }
}

#[derive(Clone, Debug)]
struct Ring {
    pts: Pts,
    bbox: [f64; 4],
}

impl Ring {
    fn new(pts: Vec<Pt>) -> Self {
        let bbox = bbox_of(&pts);
        Ring {
            pts: Pts::new(&pts),
            bbox,
        }
    }
}

#[derive(Clone, Debug)]
struct FillItem {
    layer: FillLayer,
    /// Index into the country palette, for [`FillLayer::Country`].
    country: usize,
    /// Exterior first, then holes; implicitly closed. Filled even-odd.
    rings: Vec<Ring>,
}

#[derive(Clone, Debug)]
struct LineItem {
    kind: LineKind,
    pts: Pts,
    bbox: [f64; 4],
}

impl LineItem {
    fn new(kind: LineKind, pts: Vec<Pt>) -> Self {
        Self {
            kind,
            bbox: bbox_of(&pts),
            pts: Pts::new(&pts),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum ItemRef {
    Fill(usize),
    Line(usize),
}

/// One zoom band: simplified geometry and its index.
struct Band {
    fills: Vec<FillItem>,
    lines: Vec<LineItem>,
    tree: RTree<GeomWithData<Rectangle<Pt>, ItemRef>>,
}

/// The basemap layers, projected, pre-simplified per zoom band and spatially indexed.
/// Build once (it takes a fraction of a second), then share (it is `Send + Sync`) between
/// rendering threads.
pub struct BasemapData {
    /// Land colour per country, indexed by `FillItem::country`.
    palette: Vec<[u8; 4]>,
    bands: Vec<Band>,
    /// Bounding box of everything, normalised (`min x, min y, max x, max y`), if any.
    bbox: Option<[f64; 4]>,
    /// Bounding box of the countries, normalised: inside it, what no country covers is water.
    water_box: Option<[f64; 4]>,
    /// The whole world, coarser, drawn wherever this data's box does not reach.
    world: Option<Box<BasemapData>>,
}

/// A run of a country ring between two junction vertices, with the vertex identities.
struct Stretch {
    keys: Vec<Key>,
    pts: Vec<Pt>,
    shared: bool,
}

/// A cleaned, projected ring (open: the closing vertex is not repeated).
struct RawRing {
    keys: Vec<Key>,
    pts: Vec<Pt>,
}

impl RawRing {
    fn from_linestring(ls: &geo::LineString<f64>) -> Option<Self> {
        let mut keys: Vec<Key> = Vec::with_capacity(ls.0.len());
        let mut pts: Vec<Pt> = Vec::with_capacity(ls.0.len());
        for c in &ls.0 {
            let Some(p) = project(c.x, c.y) else { continue };
            let k = key_of(c.x, c.y);
            if keys.last() == Some(&k) {
                continue;
            }
            keys.push(k);
            pts.push(p);
        }
        while keys.len() > 1 && keys.first() == keys.last() {
            keys.pop();
            pts.pop();
        }
        if keys.len() < 3 {
            None
        } else {
            Some(RawRing { keys, pts })
        }
    }
}

struct RawPolygon {
    country: usize,
    exterior: RawRing,
    holes: Vec<RawRing>,
}

fn seg_key(a: Key, b: Key) -> (Key, Key) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The segment graph of a set of rings: distinct neighbours per vertex and segment multiplicity.
#[derive(Default)]
struct Topology {
    neighbours: HashMap<Key, Vec<Key>>,
    segments: HashMap<(Key, Key), u32>,
}

impl Topology {
    fn add_ring(&mut self, ring: &RawRing) {
        let n = ring.keys.len();
        for i in 0..n {
            let a = ring.keys[i];
            let b = ring.keys[(i + 1) % n];
            *self.segments.entry(seg_key(a, b)).or_insert(0) += 1;
            let na = self.neighbours.entry(a).or_default();
            if !na.contains(&b) {
                na.push(b);
            }
            let nb = self.neighbours.entry(b).or_default();
            if !nb.contains(&a) {
                nb.push(a);
            }
        }
    }

    fn degree(&self, k: &Key) -> usize {
        self.neighbours.get(k).map_or(0, Vec::len)
    }

    fn multiplicity(&self, a: Key, b: Key) -> u32 {
        self.segments.get(&seg_key(a, b)).copied().unwrap_or(0)
    }

    /// Cuts a ring into stretches at its junctions (vertices where the graph does not just
    /// pass through). A ring without junctions is cut canonically at its smallest vertex and
    /// the vertex farthest from it, so every copy of the ring is cut the same way.
    fn stretches(&self, ring: &RawRing) -> Vec<Stretch> {
        let n = ring.keys.len();
        let mut cuts: Vec<usize> = (0..n)
            .filter(|&i| self.degree(&ring.keys[i]) != 2)
            .collect();
        if cuts.is_empty() {
            let mut i0 = 0;
            for i in 1..n {
                if ring.keys[i] < ring.keys[i0] {
                    i0 = i;
                }
            }
            let p0 = ring.pts[i0];
            let mut i1 = i0;
            let mut best = -1.0;
            for i in 0..n {
                let d = dist2(ring.pts[i], p0);
                if d > best || (d == best && ring.keys[i] < ring.keys[i1]) {
                    best = d;
                    i1 = i;
                }
            }
            cuts.push(i0.min(i1));
            if i1 != i0 {
                cuts.push(i0.max(i1));
            }
        }
        let mut out = Vec::with_capacity(cuts.len());
        for (j, &start) in cuts.iter().enumerate() {
            let end = if j + 1 < cuts.len() {
                cuts[j + 1]
            } else {
                cuts[0] + n
            };
            let mut keys = Vec::with_capacity(end - start + 1);
            let mut pts = Vec::with_capacity(end - start + 1);
            for i in start..=end {
                keys.push(ring.keys[i % n]);
                pts.push(ring.pts[i % n]);
            }
            let shared = keys.len() >= 2 && self.multiplicity(keys[0], keys[1]) >= 2;
            out.push(Stretch { keys, pts, shared });
        }
        out
    }
}

fn dist2(a: Pt, b: Pt) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    dx * dx + dy * dy
}

/// Simplifies a stretch in a canonical direction, so both neighbours sharing it get the same
/// vertices whichever way their rings run.
fn simplify_stretch(s: &Stretch, tol: f64) -> (Vec<Key>, Vec<Pt>) {
    let n = s.keys.len();
    if tol <= 0.0 || n <= 2 {
        return (s.keys.clone(), s.pts.clone());
    }
    let forward = (s.keys[0], s.keys[1]) <= (s.keys[n - 1], s.keys[n - 2]);
    let idx: Vec<usize> = if forward {
        geom::douglas_peucker(&s.pts, tol)
    } else {
        let rev: Vec<Pt> = s.pts.iter().rev().copied().collect();
        geom::douglas_peucker(&rev, tol)
            .into_iter()
            .rev()
            .map(|i| n - 1 - i)
            .collect()
    };
    (
        idx.iter().map(|&i| s.keys[i]).collect(),
        idx.iter().map(|&i| s.pts[i]).collect(),
    )
}

fn ring_area(pts: &[Pt]) -> f64 {
    let n = pts.len();
    if n < 3 {
        return 0.0;
    }
    let mut a = 0.0;
    for i in 0..n {
        let p = pts[i];
        let q = pts[(i + 1) % n];
        a += p[0] * q[1] - q[0] * p[1];
    }
    a / 2.0
}

fn bbox_of(pts: &[Pt]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in pts {
        b[0] = b[0].min(p[0]);
        b[1] = b[1].min(p[1]);
        b[2] = b[2].max(p[0]);
        b[3] = b[3].max(p[1]);
    }
    b
}

fn bbox_union(a: Option<[f64; 4]>, b: [f64; 4]) -> Option<[f64; 4]> {
    if !(b[0] <= b[2] && b[1] <= b[3]) {
        return a;
    }
    Some(match a {
        None => b,
        Some(a) => [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ],
    })
}

/// The key-space box of the data: unshared segments along it are cut lines, not shores.
#[derive(Clone, Copy)]
struct KeyBox {
    min: Key,
    max: Key,
}

impl KeyBox {
    fn on_edge(&self, a: Key, b: Key) -> bool {
        (a.0 == b.0 && (a.0 == self.min.0 || a.0 == self.max.0))
            || (a.1 == b.1 && (a.1 == self.min.1 || a.1 == self.max.1))
    }
}

/// A simplified ring assembled from simplified stretches, with its stroke pieces.
struct BuiltRing {
    pts: Vec<Pt>,
    /// Polylines to stroke, with their kind.
    strokes: Vec<(LineKind, Vec<Pt>)>,
}

fn build_ring(
    stretches: &[Stretch],
    tol: f64,
    unshared_kind: LineKind,
    keybox: Option<KeyBox>,
) -> Option<BuiltRing> {
    let mut pts: Vec<Pt> = Vec::new();
    let mut strokes: Vec<(LineKind, Vec<Pt>)> = Vec::new();
    let mut current: Option<(LineKind, Vec<Pt>)> = None;
    for s in stretches {
        let (keys, spts) = simplify_stretch(s, tol);
        // Ring vertices: drop the last vertex of each stretch (it starts the next one).
        if let Some((_, rest)) = spts.split_last() {
            pts.extend_from_slice(rest);
        }
        let kind = if s.shared {
            LineKind::Border
        } else {
            unshared_kind
        };
        for i in 0..keys.len().saturating_sub(1) {
            let cut = !s.shared && keybox.is_some_and(|kb| kb.on_edge(keys[i], keys[i + 1]));
            if cut {
                if let Some(c) = current.take() {
                    strokes.push(c);
                }
                continue;
            }
            match &mut current {
                Some((k, line)) if *k == kind => line.push(spts[i + 1]),
                _ => {
                    if let Some(c) = current.take() {
                        strokes.push(c);
                    }
                    current = Some((kind, vec![spts[i], spts[i + 1]]));
                }
            }
        }
    }
    if let Some(c) = current.take() {
        strokes.push(c);
    }
    // Collapsed: fewer than three vertices, or smaller than about two square pixels at the
    // band's zoom (specks of river and pond left in the land).
    if pts.len() < 3 || ring_area(&pts).abs() <= MIN_RING_AREA_TOL2 * tol * tol {
        return None;
    }
    // Kept for the life of the map: without the room they grew into.
    pts.shrink_to_fit();
    strokes.shrink_to_fit();
    for (_, line) in &mut strokes {
        line.shrink_to_fit();
    }
    Some(BuiltRing { pts, strokes })
}

/// Projects a polyline, dropping repeated vertices and splitting it where it runs along the
/// edge of the data box (where the source was cut, not a boundary).
fn polyline_pieces(ls: &geo::LineString<f64>, keybox: Option<KeyBox>, out: &mut Vec<Vec<Pt>>) {
    let mut cur: Vec<Pt> = Vec::new();
    let mut prev_key: Option<Key> = None;
    for c in &ls.0 {
        let Some(p) = project(c.x, c.y) else { continue };
        let k = key_of(c.x, c.y);
        if prev_key == Some(k) {
            continue;
        }
        if let (Some(pk), Some(kb)) = (prev_key, keybox)
            && kb.on_edge(pk, k)
        {
            if cur.len() >= 2 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
        }
        cur.push(p);
        prev_key = Some(k);
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
}

impl BasemapData {
    /// countries: (iso_a3, geometry) ; lakes: polygons ; provinces: lines. All lon/lat
    /// (geo 0.33 types, x = lon, y = lat).
    ///
    /// Lakes inside a country are expected as holes of its polygons; an enclave as a hole in
    /// its host and a separate polygon of its own country (the two rings are recognised as
    /// shared boundary, not as water).
    pub fn new(
        countries: Vec<(String, geo::MultiPolygon<f64>)>,
        lakes: Vec<geo::Polygon<f64>>,
        provinces: Vec<geo::LineString<f64>>,
    ) -> Self {
        // --- Countries: clean, project, build the shared-boundary topology.
        let mut palette = Vec::with_capacity(countries.len());
        let mut polygons: Vec<RawPolygon> = Vec::new();
        for (ci, (iso, mp)) in countries.iter().enumerate() {
            palette.push(country_fill(iso));
            for poly in &mp.0 {
                let Some(exterior) = RawRing::from_linestring(poly.exterior()) else {
                    continue;
                };
                let holes = poly
                    .interiors()
                    .iter()
                    .filter_map(RawRing::from_linestring)
                    .collect();
                polygons.push(RawPolygon {
                    country: ci,
                    exterior,
                    holes,
                });
            }
        }
        let mut topo = Topology::default();
        let mut keybox: Option<KeyBox> = None;
        for p in &polygons {
            for r in std::iter::once(&p.exterior).chain(p.holes.iter()) {
                topo.add_ring(r);
                for &k in &r.keys {
                    keybox = Some(match keybox {
                        None => KeyBox { min: k, max: k },
                        Some(b) => KeyBox {
                            min: (b.min.0.min(k.0), b.min.1.min(k.1)),
                            max: (b.max.0.max(k.0), b.max.1.max(k.1)),
                        },
                    });
                }
            }
        }
        struct CutPolygon {
            country: usize,
            exterior: Vec<Stretch>,
            holes: Vec<Vec<Stretch>>,
        }
        let cut_polygons: Vec<CutPolygon> = polygons
            .iter()
            .map(|p| CutPolygon {
                country: p.country,
                exterior: topo.stretches(&p.exterior),
                holes: p.holes.iter().map(|h| topo.stretches(h)).collect(),
            })
            .collect();
        drop(topo);

        // --- Lakes: each ring on its own (cut canonically), all of it shore.
        let no_topo = Topology::default();
        let cut_lakes: Vec<(Vec<Stretch>, Vec<Vec<Stretch>>)> = lakes
            .iter()
            .filter_map(|poly| {
                let ext = RawRing::from_linestring(poly.exterior())?;
                let holes = poly
                    .interiors()
                    .iter()
                    .filter_map(RawRing::from_linestring)
                    .map(|h| no_topo.stretches(&h))
                    .collect();
                Some((no_topo.stretches(&ext), holes))
            })
            .collect();

        // --- Provinces: projected polylines.
        let mut province_lines: Vec<Vec<Pt>> = Vec::new();
        for ls in &provinces {
            polyline_pieces(ls, keybox, &mut province_lines);
        }

        // --- Bands.
        let mut bbox: Option<[f64; 4]> = None;
        let mut bands = Vec::with_capacity(NUM_BANDS);
        for band in 0..NUM_BANDS {
            let tol = band_tolerance(band);
            let mut fills: Vec<FillItem> = Vec::new();
            let mut lines: Vec<LineItem> = Vec::new();
            for cp in &cut_polygons {
                let Some(ext) = build_ring(&cp.exterior, tol, LineKind::Shore, keybox) else {
                    continue;
                };
                let mut rings = vec![Ring::new(ext.pts)];
                for (kind, pts) in ext.strokes {
                    lines.push(LineItem::new(kind, pts));
                }
                for h in &cp.holes {
                    let Some(hole) = build_ring(h, tol, LineKind::Shore, keybox) else {
                        continue;
                    };
                    rings.push(Ring::new(hole.pts));
                    for (kind, pts) in hole.strokes {
                        lines.push(LineItem::new(kind, pts));
                    }
                }
                fills.push(FillItem {
                    layer: FillLayer::Country,
                    country: cp.country,
                    rings,
                });
            }
            for (ext, holes) in &cut_lakes {
                // Filled only (no shore line): see the module doc.
                let Some(e) = build_ring(ext, tol, LineKind::Shore, keybox) else {
                    continue;
                };
                let mut rings = vec![Ring::new(e.pts)];
                for h in holes {
                    let Some(hr) = build_ring(h, tol, LineKind::Shore, keybox) else {
                        continue;
                    };
                    rings.push(Ring::new(hr.pts));
                }
                fills.push(FillItem {
                    layer: FillLayer::Lake,
                    country: 0,
                    rings,
                });
            }
            for line in &province_lines {
                let idx = geom::douglas_peucker(line, tol);
                let pts: Vec<Pt> = idx.iter().filter_map(|&i| line.get(i).copied()).collect();
                if pts.len() >= 2 {
                    lines.push(LineItem::new(LineKind::Province, pts));
                }
            }
            let mut entries = Vec::with_capacity(fills.len() + lines.len());
            for (i, f) in fills.iter().enumerate() {
                if let Some(r) = f.rings.first() {
                    let b = r.bbox;
                    bbox = bbox_union(bbox, b);
                    entries.push(GeomWithData::new(
                        Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                        ItemRef::Fill(i),
                    ));
                }
            }
            for (i, l) in lines.iter().enumerate() {
                let b = l.bbox;
                bbox = bbox_union(bbox, b);
                entries.push(GeomWithData::new(
                    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                    ItemRef::Line(i),
                ));
            }
            bands.push(Band {
                fills,
                lines,
                tree: RTree::bulk_load(entries),
            });
        }
        let water_box = keybox.and_then(|kb| {
            let a = project(kb.min.0 as f64 * 1e-7, kb.max.1 as f64 * 1e-7)?;
            let b = project(kb.max.0 as f64 * 1e-7, kb.min.1 as f64 * 1e-7)?;
            Some([a[0], a[1], b[0], b[1]])
        });
        if let Some(wb) = water_box {
            bbox = bbox_union(bbox, wb);
        }
        BasemapData {
            palette,
            bands,
            bbox,
            water_box,
            world: None,
        }
    }

    /// This data inside its box, and `world` (countries of the whole world) around it and
    /// at the zooms where the box is small: the detailed data wins wherever it reaches, and
    /// the world's borders stop at the box, so no border is drawn twice.
    pub fn with_world(mut self, world: BasemapData) -> Self {
        self.world = Some(Box::new(world));
        self
    }
}

// ------------------------------------------------------------------------------------------
// Rendering

/// Line widths and dash pattern for a zoom, in pixels of a 256 px tile.
struct Style {
    border: f32,
    shore: f32,
    province: f32,
    dash_on: f64,
    dash_off: f64,
}

impl Style {
    fn for_zoom(z: u8) -> Self {
        let zf = f32::from(z);
        let border = (1.2 + (zf - 5.0) * (1.3 / 7.0)).clamp(0.9, 2.5);
        let shore = (0.7 + (zf - 5.0) * (0.5 / 7.0)).clamp(0.6, 1.2);
        let province = (0.8 + (zf - 7.0) * 0.06).clamp(0.8, 1.2);
        let dash_on = f64::from((3.0 + (zf - 6.0) * 0.5).clamp(3.0, 6.0));
        let dash_off = dash_on * 0.7;
        Style {
            border,
            shore,
            province,
            dash_on,
            dash_off,
        }
    }
}

fn background_tile(size: u32) -> Vec<u8> {
    let n = (size as usize)
        .checked_mul(size as usize)
        .filter(|n| n.checked_mul(4).is_some());
    BACKGROUND.repeat(n.unwrap_or(0))
}

fn color(c: [u8; 4]) -> Color {
    Color::from_rgba8(c[0], c[1], c[2], c[3])
}

fn paint(c: [u8; 4]) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color_rgba8(c[0], c[1], c[2], c[3]);
    p.anti_alias = true;
    p
}

/// Maps normalised coordinates to tile pixels.
#[derive(Clone, Copy)]
struct View {
    scale: f64,
    ox: f64,
    oy: f64,
    /// Clip rectangle in pixels (the tile plus a margin).
    clip: [f64; 4],
}

impl View {
    fn px(&self, p: Pt) -> Pt {
        [p[0] * self.scale - self.ox, p[1] * self.scale - self.oy]
    }
}

/// Sutherland–Hodgman clip of a closed ring (pixel space) to the clip rectangle. Clipping each
/// ring of a polygon on its own keeps even-odd filling exact: (A xor B) ∩ R = (A ∩ R) xor (B ∩ R).
fn clip_ring(input: Vec<Pt>, clip: [f64; 4], scratch: &mut Vec<Pt>) -> Vec<Pt> {
    let mut cur = input;
    for edge in 0..4 {
        if cur.len() < 3 {
            cur.clear();
            return cur;
        }
        let inside = |p: &Pt| -> bool {
            match edge {
                0 => p[0] >= clip[0],
                1 => p[1] >= clip[1],
                2 => p[0] <= clip[2],
                _ => p[1] <= clip[3],
            }
        };
        let intersect = |a: &Pt, b: &Pt| -> Pt {
            let (axis, value) = match edge {
                0 => (0, clip[0]),
                1 => (1, clip[1]),
                2 => (0, clip[2]),
                _ => (1, clip[3]),
            };
            let da = a[axis] - value;
            let db = b[axis] - value;
            let t = if da == db { 0.0 } else { da / (da - db) };
            let mut p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
            p[axis] = value;
            p
        };
        scratch.clear();
        let n = cur.len();
        for i in 0..n {
            let a = &cur[(i + n - 1) % n];
            let b = &cur[i];
            match (inside(a), inside(b)) {
                (true, true) => scratch.push(*b),
                (true, false) => scratch.push(intersect(a, b)),
                (false, true) => {
                    scratch.push(intersect(a, b));
                    scratch.push(*b);
                }
                (false, false) => {}
            }
        }
        std::mem::swap(&mut cur, scratch);
    }
    cur
}

fn add_ring_to_path(pb: &mut PathBuilder, ring: &Ring, view: &View, scratch: &mut Vec<Pt>) {
    let b = ring.bbox;
    let (x0, y0) = (b[0] * view.scale - view.ox, b[1] * view.scale - view.oy);
    let (x1, y1) = (b[2] * view.scale - view.ox, b[3] * view.scale - view.oy);
    let c = view.clip;
    if x1 < c[0] || y1 < c[1] || x0 > c[2] || y0 > c[3] {
        return;
    }
    let pts: Vec<Pt> = ring.pts.iter().map(|p| view.px(p)).collect();
    let inside = x0 >= c[0] && y0 >= c[1] && x1 <= c[2] && y1 <= c[3];
    let pts = if inside {
        pts
    } else {
        clip_ring(pts, c, scratch)
    };
    let mut first = true;
    for p in &pts {
        if first {
            pb.move_to(p[0] as f32, p[1] as f32);
            first = false;
        } else {
            pb.line_to(p[0] as f32, p[1] as f32);
        }
    }
    if !first {
        pb.close();
    }
}

type Run = geom::Run<f64>;

/// Clips a polyline to the view, returning the visible runs (pixel space).
fn clip_polyline(pts: &Pts, view: &View, out: &mut Vec<Run>) {
    geom::clip_polyline(pts.iter().map(|p| view.px(p)), view.clip, out);
}

fn add_run_to_path(pb: &mut PathBuilder, run: &Run) {
    for (i, p) in run.pts.iter().enumerate() {
        if i == 0 {
            pb.move_to(p[0] as f32, p[1] as f32);
        } else {
            pb.line_to(p[0] as f32, p[1] as f32);
        }
    }
}

/// Adds the "on" dashes of a run; the phase is taken from the run's distance along its line,
/// so a line cut by tile edges dashes the same in every tile.
fn add_dashed_run_to_path(pb: &mut PathBuilder, run: &Run, on: f64, off: f64) {
    let period = on + off;
    if period.is_nan() || period <= 0.0 || !run.start_len.is_finite() {
        add_run_to_path(pb, run);
        return;
    }
    // Position within the pattern: [0, on) is drawn.
    let mut phase = run.start_len.rem_euclid(period);
    let mut drawing = false;
    let mut prev: Option<Pt> = None;
    for &b in &run.pts {
        let Some(mut a) = prev else {
            prev = Some(b);
            if phase < on {
                pb.move_to(b[0] as f32, b[1] as f32);
                drawing = true;
            }
            continue;
        };
        prev = Some(b);
        let mut remaining = dist2(a, b).sqrt();
        let mut guard = 0u32;
        while remaining > 0.0 && guard < 100_000 {
            guard += 1;
            let boundary = if phase < on { on } else { period };
            let step = boundary - phase;
            if step >= remaining {
                phase += remaining;
                if drawing {
                    pb.line_to(b[0] as f32, b[1] as f32);
                }
                break;
            }
            let t = step / remaining;
            let m = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
            if drawing {
                pb.line_to(m[0] as f32, m[1] as f32);
                drawing = false;
            } else {
                pb.move_to(m[0] as f32, m[1] as f32);
                drawing = true;
            }
            remaining -= step;
            a = m;
            phase = if boundary >= period { 0.0 } else { boundary };
        }
        if phase >= period {
            phase -= period;
        }
    }
}

/// Renders the Web-Mercator (slippy map, XYZ, y down from the north) tile z/x/y at `size` x
/// `size` pixels.
/// Returns RGBA8, unpremultiplied, row-major, size*size*4 bytes. Never panics (out-of-range
/// x/y/z → background tile).
///
/// Line widths are given for 256 px tiles and scale with `size / 256` (a 512 px tile is the
/// same map at twice the pixel density).
pub fn render_tile(data: &BasemapData, z: u8, x: u32, y: u32, size: u32) -> Vec<u8> {
    let regional = render_layer(data, z, x, y, size);
    let (Some(world), Some(rb)) = (&data.world, data.water_box) else {
        return regional;
    };
    if size == 0 || z > MAX_ZOOM || u64::from(x) >= (1u64 << z) || u64::from(y) >= (1u64 << z) {
        return regional;
    }
    // The box in this tile's pixels.
    let scale = (1u64 << z) as f64 * f64::from(size);
    let (ox, oy) = (
        f64::from(x) * f64::from(size),
        f64::from(y) * f64::from(size),
    );
    let px = |v: f64, o: f64| ((v * scale - o).round().clamp(0.0, f64::from(size))) as usize;
    let (x0, x1) = (px(rb[0], ox), px(rb[2], ox));
    let (y0, y1) = (px(rb[1], oy), px(rb[3], oy));
    let s = size as usize;
    if x0 == 0 && y0 == 0 && x1 == s && y1 == s {
        return regional;
    }
    let mut out = render_layer(world, z, x, y, size);
    if x0 < x1 && y0 < y1 && out.len() == regional.len() {
        for row in y0..y1 {
            let (a, b) = ((row * s + x0) * 4, (row * s + x1) * 4);
            out[a..b].copy_from_slice(&regional[a..b]);
        }
    }
    out
}

/// One layer's tile (the regional data, or the world's).
fn render_layer(data: &BasemapData, z: u8, x: u32, y: u32, size: u32) -> Vec<u8> {
    if size == 0 {
        return Vec::new();
    }
    if z > MAX_ZOOM {
        return background_tile(size);
    }
    let n = 1u64 << z;
    if u64::from(x) >= n || u64::from(y) >= n {
        return background_tile(size);
    }
    let Some(mut pixmap) = Pixmap::new(size, size) else {
        return background_tile(size);
    };
    pixmap.fill(color(BACKGROUND));

    let size_f = f64::from(size);
    let density = size_f / 256.0;
    let style = Style::for_zoom(z);
    let margin = 4.0 * density + 2.0;
    let scale = (n as f64) * size_f;
    let view = View {
        scale,
        ox: f64::from(x) * size_f,
        oy: f64::from(y) * size_f,
        clip: [-margin, -margin, size_f + margin, size_f + margin],
    };
    // Query box, normalised.
    let q0 = [(view.ox - margin) / scale, (view.oy - margin) / scale];
    let q1 = [
        (view.ox + size_f + margin) / scale,
        (view.oy + size_f + margin) / scale,
    ];
    let Some(bb) = data.bbox else {
        return pixmap_to_rgba(&pixmap);
    };
    if q1[0] < bb[0] || q1[1] < bb[1] || q0[0] > bb[2] || q0[1] > bb[3] {
        return pixmap_to_rgba(&pixmap);
    }
    // Water: the box of the land data, under the land.
    if let Some(wb) = data.water_box {
        let c = view.clip;
        let x0 = (wb[0] * scale - view.ox).max(c[0]);
        let y0 = (wb[1] * scale - view.oy).max(c[1]);
        let x1 = (wb[2] * scale - view.ox).min(c[2]);
        let y1 = (wb[3] * scale - view.oy).min(c[3]);
        if let Some(rect) = tiny_skia::Rect::from_ltrb(x0 as f32, y0 as f32, x1 as f32, y1 as f32) {
            pixmap.fill_rect(rect, &paint(WATER), Transform::identity(), None);
        }
    }

    // Band: by pixel density, i.e. the zoom of an equivalent 256 px tile.
    let eff_zoom = f64::from(z) + density.log2();
    let band_idx = BAND_ZOOMS
        .iter()
        .position(|&bz| eff_zoom <= bz + 1e-9)
        .unwrap_or(NUM_BANDS - 1);
    let Some(band) = data.bands.get(band_idx) else {
        return pixmap_to_rgba(&pixmap);
    };

    let mut fill_ids: Vec<usize> = Vec::new();
    let mut line_ids: Vec<usize> = Vec::new();
    for e in band
        .tree
        .locate_in_envelope_intersecting(&AABB::from_corners(q0, q1))
    {
        match e.data {
            ItemRef::Fill(i) => fill_ids.push(i),
            ItemRef::Line(i) => line_ids.push(i),
        }
    }
    let mut fills: Vec<&FillItem> = fill_ids.iter().filter_map(|&i| band.fills.get(i)).collect();
    fills.sort_by_key(|f| (f.layer, f.country));
    line_ids.sort_unstable();

    let mut scratch: Vec<Pt> = Vec::new();

    // Fills, batched per (layer, country); lakes one by one (they may overlap).
    let mut i = 0;
    while i < fills.len() {
        let first = fills[i];
        let mut pb = PathBuilder::new();
        let mut j = i;
        while j < fills.len() {
            let f = fills[j];
            if j > i
                && (f.layer != first.layer
                    || f.country != first.country
                    || f.layer == FillLayer::Lake)
            {
                break;
            }
            for r in &f.rings {
                add_ring_to_path(&mut pb, r, &view, &mut scratch);
            }
            j += 1;
        }
        i = j;
        let c = match first.layer {
            FillLayer::Country => data
                .palette
                .get(first.country)
                .copied()
                .unwrap_or(OTHER_LAND),
            FillLayer::Lake => WATER,
        };
        if let Some(path) = pb.finish() {
            pixmap.fill_path(
                &path,
                &paint(c),
                FillRule::EvenOdd,
                Transform::identity(),
                None,
            );
        }
    }

    // Lines, one path per kind.
    let mut runs: Vec<Run> = Vec::new();
    for kind in [LineKind::Shore, LineKind::Province, LineKind::Border] {
        if kind == LineKind::Province && z < PROVINCE_MIN_ZOOM {
            continue;
        }
        let mut pb = PathBuilder::new();
        for l in line_ids
            .iter()
            .filter_map(|&i| band.lines.get(i))
            .filter(|l| l.kind == kind)
        {
            runs.clear();
            clip_polyline(&l.pts, &view, &mut runs);
            for r in &runs {
                if kind == LineKind::Province {
                    add_dashed_run_to_path(
                        &mut pb,
                        r,
                        style.dash_on * density,
                        style.dash_off * density,
                    );
                } else {
                    add_run_to_path(&mut pb, r);
                }
            }
        }
        let Some(path) = pb.finish() else { continue };
        let (c, w, cap) = match kind {
            LineKind::Shore => (SHORE, style.shore, LineCap::Round),
            LineKind::Province => (PROVINCE_LINE, style.province, LineCap::Butt),
            LineKind::Border => (BORDER_LINE, style.border, LineCap::Round),
        };
        let stroke = Stroke {
            width: w * density as f32,
            line_cap: cap,
            line_join: LineJoin::Round,
            ..Stroke::default()
        };
        pixmap.stroke_path(&path, &paint(c), &stroke, Transform::identity(), None);
    }

    pixmap_to_rgba(&pixmap)
}

fn pixmap_to_rgba(pixmap: &Pixmap) -> Vec<u8> {
    let mut out = Vec::with_capacity(pixmap.pixels().len() * 4);
    for p in pixmap.pixels() {
        let c = p.demultiply();
        out.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use geo::{LineString, MultiPolygon, Polygon};

    fn rect_ring(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> LineString<f64> {
        LineString::from(vec![
            (lon0, lat0),
            (lon1, lat0),
            (lon1, lat1),
            (lon0, lat1),
            (lon0, lat0),
        ])
    }

    /// Tile containing lon/lat at zoom z, and the pixel position inside it (256 px).
    fn locate(lon: f64, lat: f64, z: u8) -> (u32, u32, usize, usize) {
        let p = project(lon, lat).unwrap();
        let n = f64::from(1u32 << z);
        let (fx, fy) = (p[0] * n, p[1] * n);
        let (tx, ty) = (fx.floor(), fy.floor());
        (
            tx as u32,
            ty as u32,
            ((fx - tx) * 256.0) as usize,
            ((fy - ty) * 256.0) as usize,
        )
    }

    fn pixel(buf: &[u8], size: usize, px: usize, py: usize) -> [u8; 4] {
        let i = (py * size + px) * 4;
        [buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]
    }

    fn close(a: [u8; 4], b: [u8; 4], tol: i32) -> bool {
        a.iter()
            .zip(b.iter())
            .all(|(x, y)| (i32::from(*x) - i32::from(*y)).abs() <= tol)
    }

    /// Kyrgyzstan as a square with a lake hole, Tajikistan as the square south of it (sharing
    /// the border along 39° N), and a province line across Kyrgyzstan.
    fn sample() -> BasemapData {
        sample_with(true)
    }

    fn sample_with(province_line: bool) -> BasemapData {
        let kgz = Polygon::new(
            rect_ring(68.0, 39.0, 74.0, 42.0),
            vec![rect_ring(70.8, 40.8, 71.2, 41.2)],
        );
        let tjk = Polygon::new(rect_ring(68.0, 37.0, 74.0, 39.0), vec![]);
        let province = LineString::from(vec![(68.5, 40.2), (73.5, 40.6)]);
        BasemapData::new(
            vec![
                ("KGZ".to_string(), MultiPolygon(vec![kgz])),
                ("TJK".to_string(), MultiPolygon(vec![tjk])),
            ],
            vec![],
            if province_line {
                vec![province]
            } else {
                vec![]
            },
        )
    }

    #[test]
    fn country_interior_has_country_colour() {
        let data = sample();
        for z in [6u8, 8, 10, 13] {
            let (x, y, px, py) = locate(72.5, 39.7, z);
            let buf = render_tile(&data, z, x, y, 256);
            assert_eq!(pixel(&buf, 256, px, py), country_fill("KGZ"), "z{z}");
            let (x, y, px, py) = locate(72.5, 38.0, z);
            let buf = render_tile(&data, z, x, y, 256);
            assert_eq!(pixel(&buf, 256, px, py), country_fill("TJK"), "z{z}");
        }
    }

    #[test]
    fn data_is_shareable_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<BasemapData>();
    }

    #[test]
    fn palette_is_distinct() {
        let k = country_fill("KGZ");
        let t = country_fill("TJK");
        let u = country_fill("uzb");
        assert!(k != t && t != u && k != u);
        assert_eq!(country_fill("KAZ"), OTHER_LAND);
        for c in [k, t, u, OTHER_LAND] {
            assert!(c != BACKGROUND && c != WATER);
        }
    }

    #[test]
    fn lake_hole_shows_water() {
        let data = sample();
        for z in [7u8, 9, 12] {
            let (x, y, px, py) = locate(71.0, 41.0, z);
            let buf = render_tile(&data, z, x, y, 256);
            assert_eq!(pixel(&buf, 256, px, py), WATER, "z{z}");
        }
    }

    #[test]
    fn lakes_layer_shows_water() {
        let land = Polygon::new(rect_ring(68.0, 39.0, 74.0, 42.0), vec![]);
        let lake = Polygon::new(rect_ring(70.0, 40.0, 71.0, 41.0), vec![]);
        // Land with no hole: the separate lake is under the land, so it shows only where the
        // land leaves a gap; with no land at all it shows on its own.
        let data = BasemapData::new(vec![], vec![lake.clone()], vec![]);
        let (x, y, px, py) = locate(70.5, 40.5, 8);
        assert_eq!(pixel(&render_tile(&data, 8, x, y, 256), 256, px, py), WATER);
        let data = BasemapData::new(
            vec![("KGZ".into(), MultiPolygon(vec![land]))],
            vec![lake],
            vec![],
        );
        assert_eq!(
            pixel(&render_tile(&data, 8, x, y, 256), 256, px, py),
            country_fill("KGZ")
        );
    }

    #[test]
    fn far_outside_is_background() {
        let data = sample();
        let (x, y, _, _) = locate(-100.0, 40.0, 8);
        let buf = render_tile(&data, 8, x, y, 256);
        assert!(buf.chunks_exact(4).all(|p| p == BACKGROUND));
        let empty = BasemapData::new(vec![], vec![], vec![]);
        let buf = render_tile(&empty, 3, 5, 3, 64);
        assert!(buf.chunks_exact(4).all(|p| p == BACKGROUND));
    }

    #[test]
    fn the_world_fills_what_the_region_does_not_reach_and_the_region_wins_inside() {
        // A "world" country far west of the sample's box, and one covering the box too.
        let far = MultiPolygon(vec![Polygon::new(
            rect_ring(-110.0, 30.0, -90.0, 50.0),
            vec![],
        )]);
        let under = MultiPolygon(vec![Polygon::new(
            rect_ring(60.0, 30.0, 90.0, 50.0),
            vec![],
        )]);
        let world = BasemapData::new(
            vec![("USA".into(), far), ("UZB".into(), under)],
            vec![],
            vec![],
        );
        let plain = sample();
        let data = sample().with_world(world);
        // Far away: the world's land where there was no data.
        let (x, y, px, py) = locate(-100.0, 40.0, 8);
        let buf = render_tile(&data, 8, x, y, 256);
        assert_eq!(pixel(&buf, 256, px, py), OTHER_LAND);
        // Inside the regional box: exactly the regional picture.
        let (x, y, _, _) = locate(71.0, 40.0, 8);
        assert_eq!(
            render_tile(&data, 8, x, y, 256),
            render_tile(&plain, 8, x, y, 256)
        );
    }

    #[test]
    fn output_length_and_opaque() {
        let data = sample();
        for size in [1u32, 2, 17, 64, 256, 300, 512] {
            let (x, y, _, _) = locate(71.0, 40.0, 7);
            let buf = render_tile(&data, 7, x, y, size);
            assert_eq!(buf.len(), (size * size * 4) as usize);
            assert!(buf.chunks_exact(4).all(|p| p[3] == 255));
        }
        assert!(render_tile(&data, 7, 0, 0, 0).is_empty());
    }

    #[test]
    fn out_of_range_tiles_do_not_panic() {
        let data = sample();
        let cases = [
            (0u8, 1u32, 0u32),
            (0, 0, 1),
            (3, 8, 2),
            (3, 2, 8),
            (8, u32::MAX, u32::MAX),
            (31, 0, 0),
            (32, 5, 5),
            (255, u32::MAX, 0),
        ];
        for (z, x, y) in cases {
            let buf = render_tile(&data, z, x, y, 32);
            assert_eq!(buf.len(), 32 * 32 * 4);
            assert!(buf.chunks_exact(4).all(|p| p == BACKGROUND), "{z}/{x}/{y}");
        }
        // In range, extreme zooms: no panic.
        for z in [0u8, 1, 20, 30] {
            let (x, y, _, _) = locate(70.0, 39.0, z);
            assert_eq!(render_tile(&data, z, x, y, 64).len(), 64 * 64 * 4);
        }
        let max = (1u64 << 30) - 1;
        assert_eq!(
            render_tile(&data, 30, max as u32, max as u32, 16).len(),
            16 * 16 * 4
        );
    }

    /// Tiles x and x+1: the last column of one and the first of the other, row by row.
    fn edge_columns(data: &BasemapData, z: u8, x: u32, y: u32) -> (Vec<[u8; 4]>, Vec<[u8; 4]>) {
        let a = render_tile(data, z, x, y, 256);
        let b = render_tile(data, z, x + 1, y, 256);
        let left = (0..256).map(|r| pixel(&a, 256, 255, r)).collect();
        let right = (0..256).map(|r| pixel(&b, 256, 0, r)).collect();
        (left, right)
    }

    #[test]
    fn neighbours_agree_along_shared_edge() {
        let data = sample_with(false);
        // The KGZ–TJK border along 39° N crosses the vertical edge between two tiles.
        for z in [6u8, 9, 12] {
            let (x, y, _, _) = locate(71.0, 39.0, z);
            let (left, right) = edge_columns(&data, z, x, y);
            let border_rows = left.iter().filter(|p| close(**p, BORDER_LINE, 40)).count();
            assert!(border_rows >= 1, "z{z}: the border shows at the edge");
            let mismatched: Vec<_> = left
                .iter()
                .zip(&right)
                .enumerate()
                .filter(|(_, (l, r))| !close(**l, **r, 24))
                .collect();
            assert!(mismatched.is_empty(), "z{z}: {mismatched:?}");
        }
        // The dashed province line: the darkness along the two edge columns matches roughly.
        let data = sample();
        for z in [7u8, 10] {
            let (x, y, _, _) = locate(71.0, 40.42, z);
            let (left, right) = edge_columns(&data, z, x, y);
            let ink = |col: &[[u8; 4]]| -> i32 {
                col.iter()
                    .map(|p| 255 * 3 - i32::from(p[0]) - i32::from(p[1]) - i32::from(p[2]))
                    .sum()
            };
            let (il, ir) = (ink(&left), ink(&right));
            assert!(
                (il - ir).abs() <= (il.max(ir) / 3).max(60),
                "z{z}: {il} vs {ir}"
            );
        }
    }

    #[test]
    fn enclave_is_painted_by_its_country() {
        // A TJK enclave inside KGZ: a hole in KGZ and a separate polygon of TJK.
        let hole = rect_ring(70.975, 39.975, 71.025, 40.025);
        let kgz = Polygon::new(rect_ring(68.0, 39.0, 74.0, 42.0), vec![hole.clone()]);
        let tjk = Polygon::new(hole, vec![]);
        let data = BasemapData::new(
            vec![
                ("KGZ".into(), MultiPolygon(vec![kgz])),
                ("TJK".into(), MultiPolygon(vec![tjk])),
            ],
            vec![],
            vec![],
        );
        let (x, y, px, py) = locate(71.0, 40.0, 10);
        let buf = render_tile(&data, 10, x, y, 256);
        assert_eq!(pixel(&buf, 256, px, py), country_fill("TJK"));
        // At a zoom where it is a speck it vanishes from both, leaving the host colour.
        let (x, y, px, py) = locate(71.0, 40.0, 2);
        let buf = render_tile(&data, 2, x, y, 256);
        assert!(close(pixel(&buf, 256, px, py), country_fill("KGZ"), 40));
    }
}
