//! Geometry made ready for drawing once per layer: projected to normalised Web Mercator,
//! polygons tessellated with lyon (concave, with holes), bounding boxes in an R-tree for
//! culling and hit-testing. Each frame only an affine transform maps it to the screen.

use super::Layer;
use super::boxtree::{BoxTree, outward};
use super::geom::mercator;
use crate::positions::Positions;
use geo::{Geometry, Polygon};
use lyon_tessellation::geom::point;
use lyon_tessellation::path::Path as LyonPath;
use lyon_tessellation::{
    BuffersBuilder, FillOptions, FillRule, FillTessellator, FillVertex, VertexBuffers,
};

/// A triangulated polygon, with its outline rings, in a local frame: `f32` offsets from
/// `origin` in units of 2^-24 of the world (about 2.4 m at the equator; a polygon a few
/// hundred kilometres across keeps centimetres). Half the memory of mercator `f64`s: the
/// 100 MB benchmark layer's fills took 54 MB less.
///
/// The triangles' corners are the rings' own vertices (kept once, not again for the
/// triangles: 8 bytes a vertex less), and any the tessellation added where rings cross.
#[derive(Clone, Debug, Default)]
pub struct Fill {
    /// Where the local frame starts, in mercator.
    pub origin: [f64; 2],
    /// The rings' vertices, one ring after another (the exterior first), then the vertices
    /// the tessellation added; local.
    pub vertices: Vec<[f32; 2]>,
    /// Triangles, three indices into `vertices` each.
    pub indices: Indices,
    /// Where each ring ends in `vertices`.
    ring_ends: Vec<u32>,
}

/// Indices of triangles' corners: `u16` for a fill of at most 65,536 vertices (nearly every
/// one), else `u32`.
#[derive(Clone, Debug)]
pub enum Indices {
    /// For up to 65,536 vertices.
    Short(Vec<u16>),
    /// For more.
    Long(Vec<u32>),
}

impl Default for Indices {
    fn default() -> Self {
        Self::Short(Vec::new())
    }
}

impl Indices {
    /// `indices`, in the short form when every one fits, with no spare room.
    pub fn new(indices: Vec<u32>) -> Self {
        if indices.iter().all(|&i| i <= u32::from(u16::MAX)) {
            // A mapped slice iterator knows its length: the vector is exact.
            Self::Short(indices.iter().map(|&i| i as u16).collect())
        } else {
            Self::Long(indices.into_boxed_slice().into_vec())
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        match self {
            Self::Short(v) => v.len(),
            Self::Long(v) => v.len(),
        }
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The indices, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let (short, long): (&[u16], &[u32]) = match self {
            Self::Short(v) => (v, &[]),
            Self::Long(v) => (&[], v),
        };
        short
            .iter()
            .map(|&i| u32::from(i))
            .chain(long.iter().copied())
    }

    /// Bytes they take.
    pub fn memory_bytes(&self) -> usize {
        match self {
            Self::Short(v) => v.capacity() * 2,
            Self::Long(v) => v.capacity() * 4,
        }
    }
}

/// Local units per mercator unit (the world is 1 wide).
const LOCAL: f64 = 16_777_216.0;

impl Fill {
    /// The exterior and interior rings, for the outline, local, as the polygon gave them.
    pub fn rings(&self) -> impl ExactSizeIterator<Item = &[[f32; 2]]> + '_ {
        let mut start = 0;
        self.ring_ends.iter().map(move |&end| {
            let ring = self.vertices.get(start..end as usize).unwrap_or_default();
            start = end as usize;
            ring
        })
    }

    /// A local point in mercator.
    pub fn world(&self, p: [f32; 2]) -> [f64; 2] {
        to_world(self.origin, p)
    }

    /// A mercator point in the local frame (in `f64`, for tests against the rings).
    pub fn local(&self, p: [f64; 2]) -> [f64; 2] {
        [
            (p[0] - self.origin[0]) * LOCAL,
            (p[1] - self.origin[1]) * LOCAL,
        ]
    }
}

/// A polyline in a local frame, as a [`Fill`]'s: `f32` offsets from `origin` in units of
/// 2^-24 of the world (a line a few hundred kilometres long keeps centimetres), half the
/// memory of mercator `f64`s.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    /// Where the local frame starts (the first point), in mercator.
    pub origin: [f64; 2],
    /// The points, local.
    pub points: Vec<[f32; 2]>,
}

impl Line {
    /// The line through mercator `points`.
    pub fn new(points: &[[f64; 2]]) -> Self {
        let origin = points.first().copied().unwrap_or_default();
        Self {
            origin,
            points: points.iter().map(|&p| to_local(origin, p)).collect(),
        }
    }

    /// A local point in mercator.
    pub fn world(&self, p: [f32; 2]) -> [f64; 2] {
        to_world(self.origin, p)
    }

    /// The points in mercator.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = [f64; 2]> + Clone + '_ {
        self.points.iter().map(|&p| self.world(p))
    }

    /// How many points there are.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// A mercator point in a local frame starting at `origin`.
fn to_local(origin: [f64; 2], p: [f64; 2]) -> [f32; 2] {
    [
        ((p[0] - origin[0]) * LOCAL) as f32,
        ((p[1] - origin[1]) * LOCAL) as f32,
    ]
}

/// A point of a local frame starting at `origin` in mercator.
fn to_world(origin: [f64; 2], p: [f32; 2]) -> [f64; 2] {
    [
        origin[0] + f64::from(p[0]) / LOCAL,
        origin[1] + f64::from(p[1]) / LOCAL,
    ]
}

/// One feature's geometry in mercator, split by how it is drawn: made from the feature's
/// geometry when it is drawn ([`Parts::of`]), not kept with the layer.
#[derive(Clone, Debug, Default)]
pub struct Parts {
    /// Point positions.
    pub points: Vec<[f64; 2]>,
    /// Polylines.
    pub lines: Vec<Line>,
    /// Filled polygons.
    pub fills: Vec<Fill>,
}

impl Parts {
    /// `feature`'s geometry in mercator; polygons triangulated when `triangles` (to draw them
    /// as meshes; tiles, outlines and hit tests need only their rings).
    pub fn of(feature: &crate::model::Feature, triangles: bool) -> Self {
        let mut parts = Self::default();
        match &feature.shape {
            None => {}
            Some(crate::model::Shape::Point(p)) => parts.points.push(mercator(p.x(), p.y())),
            Some(shape) => add_geometry(&mut parts, &shape.to_geometry(), triangles),
        }
        // A polygon with no ring of three points, a line of no point: nothing to draw.
        parts.lines.retain(|l| !l.is_empty());
        parts.fills.retain(|f| !f.vertices.is_empty());
        parts
    }

    /// How many vertices it has (triangles' added corners included).
    pub fn vertices(&self) -> usize {
        self.points.len()
            + self.lines.iter().map(Line::len).sum::<usize>()
            + self.fills.iter().map(|f| f.vertices.len()).sum::<usize>()
    }
}

/// What a layer keeps of a feature's geometry: its bounding box, what kinds of parts it has,
/// and its points (what clusters and sites are made of). Lines and polygons are made from
/// the feature's geometry when they are drawn ([`Parts::of`]): kept here too, projected and
/// triangulated, they took 63 MB of the 100 MB benchmark layer, four times its packed
/// geometry. A single point, the common case of big layers, is kept inline; so is the box of
/// lines and polygons, in `f32`s rounded outward (24 bytes a feature, where `f64`s took 40).
#[derive(Clone, Debug, Default)]
pub enum PreparedFeature {
    /// A null geometry.
    #[default]
    Empty,
    /// One point.
    Point([f64; 2]),
    /// Lines or polygons and no point, with the bounding box `[min x, min y, max x, max y]`
    /// rounded outward to `f32`s (it holds the geometry: culling never misses it).
    Shaped {
        /// The bounding box.
        bbox: [f32; 4],
        /// Which parts it has.
        has: Has,
    },
    /// Several points, with or without lines and polygons.
    Points(Box<(Vec<[f64; 2]>, [f64; 4], Has)>),
}

/// Which parts besides points a feature has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Has {
    /// Polylines.
    pub lines: bool,
    /// Filled polygons.
    pub fills: bool,
}

impl PreparedFeature {
    /// What is kept of `parts`.
    pub fn new(mut parts: Parts) -> Self {
        let has = Has {
            lines: !parts.lines.is_empty(),
            fills: !parts.fills.is_empty(),
        };
        if has == Has::default() {
            match parts.points[..] {
                [] => return Self::Empty,
                [p] => return Self::Point(p),
                _ => {}
            }
        }
        let Some(bbox) = bbox_of(&parts) else {
            return Self::Empty;
        };
        if parts.points.is_empty() {
            Self::Shaped {
                bbox: outward(bbox),
                has,
            }
        } else {
            parts.points.shrink_to_fit();
            Self::Points(Box::new((parts.points, bbox, has)))
        }
    }

    /// Point positions.
    pub fn points(&self) -> &[[f64; 2]] {
        match self {
            Self::Empty | Self::Shaped { .. } => &[],
            Self::Point(p) => std::slice::from_ref(p),
            Self::Points(b) => &b.0,
        }
    }

    /// Which parts besides points it has.
    pub fn has(&self) -> Has {
        match self {
            Self::Empty | Self::Point(_) => Has::default(),
            Self::Shaped { has, .. } => *has,
            Self::Points(b) => b.2,
        }
    }

    /// True when it has polylines.
    pub fn has_lines(&self) -> bool {
        self.has().lines
    }

    /// True when it has filled polygons.
    pub fn has_fills(&self) -> bool {
        self.has().fills
    }

    /// `[min x, min y, max x, max y]`, or `None` for a null geometry.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        match self {
            Self::Empty => None,
            Self::Point(p) => Some([p[0], p[1], p[0], p[1]]),
            Self::Shaped { bbox, .. } => Some(bbox.map(f64::from)),
            Self::Points(b) => Some(b.1),
        }
    }

    /// The centre of the bounding box (for centring the map on the feature).
    pub fn center(&self) -> Option<[f64; 2]> {
        self.bbox()
            .map(|b| [(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0])
    }
}

/// A layer's features, prepared, with an R-tree of their bounding boxes.
#[derive(Clone, Debug, Default)]
pub struct PreparedLayer {
    /// In the layer's feature order.
    pub features: Vec<PreparedFeature>,
    /// Feature bounding boxes, for culling and hit-testing.
    pub tree: BoxTree,
    /// Indices of the features that have points (a count when every feature has).
    pub point_features: Positions,
}

impl PreparedLayer {
    /// Projects every feature of `layer` for its box and points.
    pub fn new(layer: &Layer) -> Self {
        let prepare = |f: &crate::model::Feature| PreparedFeature::new(Parts::of(f, false));
        // Big layers are projected on every core.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        let features: Vec<PreparedFeature> = if layer.features.len() < 20_000 || threads < 2 {
            layer.features.iter().map(prepare).collect()
        } else {
            // Each thread fills its part of the one vector: never two copies of it.
            let mut out = vec![PreparedFeature::default(); layer.features.len()];
            let chunk = layer.features.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = layer
                    .features
                    .chunks(chunk)
                    .zip(out.chunks_mut(chunk))
                    .map(|(part, slots)| {
                        scope.spawn(move || {
                            for (f, slot) in part.iter().zip(slots) {
                                *slot = prepare(f);
                            }
                        })
                    })
                    .collect();
                // A part that failed keeps empty geometry (drawn as nothing), as a bad feature
                // would; the rest of the layer is drawn.
                for h in handles {
                    if h.join().is_err() {
                        log::error!("preparing part of {} failed", layer.name);
                    }
                }
            });
            out
        };
        let tree = BoxTree::new(
            features
                .iter()
                .enumerate()
                .filter_map(|(i, f)| Some((f.bbox()?, i as u32))),
        );
        let point_features = Positions::new(
            features
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.points().is_empty())
                .map(|(i, _)| i as u32)
                .collect(),
        );
        Self {
            features,
            tree,
            point_features,
        }
    }

    /// The layer's extent `[min x, min y, max x, max y]`, `None` when it has no geometry.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        self.features
            .iter()
            .filter_map(|f| f.bbox())
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
    }

    /// Indices of features whose bounding box meets `[min, max]`, in feature order. When the
    /// box holds the whole layer, every feature, without asking the tree.
    pub fn in_view(&self, min: [f64; 2], max: [f64; 2]) -> Vec<u32> {
        let Some([lo_x, lo_y, hi_x, hi_y]) = self.tree.extent() else {
            return Vec::new();
        };
        if lo_x >= min[0] && lo_y >= min[1] && hi_x <= max[0] && hi_y <= max[1] {
            return (0..self.features.len() as u32)
                .filter(|&i| self.features[i as usize].bbox().is_some())
                .collect();
        }
        let mut ids: Vec<u32> = self.tree.query(min, max).collect();
        ids.sort_unstable();
        ids
    }

    /// Indices of features whose bounding box meets `[min, max]`, in no particular order.
    pub fn in_box(&self, min: [f64; 2], max: [f64; 2]) -> impl Iterator<Item = u32> + '_ {
        self.tree.query(min, max)
    }
}

fn bbox_of(f: &Parts) -> Option<[f64; 4]> {
    let all = f
        .points
        .iter()
        .copied()
        .chain(f.lines.iter().flat_map(Line::iter))
        .chain(
            f.fills
                .iter()
                .flat_map(|fill| fill.rings().flatten().map(|&p| fill.world(p))),
        );
    let mut b: Option<[f64; 4]> = None;
    for p in all {
        b = Some(match b {
            None => [p[0], p[1], p[0], p[1]],
            Some(b) => [
                b[0].min(p[0]),
                b[1].min(p[1]),
                b[2].max(p[0]),
                b[3].max(p[1]),
            ],
        });
    }
    b
}

fn project_line(coords: &[geo::Coord<f64>]) -> Vec<[f64; 2]> {
    coords.iter().map(|c| mercator(c.x, c.y)).collect()
}

fn add_geometry(out: &mut Parts, g: &Geometry<f64>, triangles: bool) {
    let fill = |p: &Polygon<f64>| {
        if triangles {
            tessellate(p)
        } else {
            rings_of(p)
        }
    };
    match g {
        Geometry::Point(p) => out.points.push(mercator(p.x(), p.y())),
        Geometry::MultiPoint(mp) => out.points.extend(mp.iter().map(|p| mercator(p.x(), p.y()))),
        Geometry::LineString(l) => out.lines.push(Line::new(&project_line(&l.0))),
        Geometry::MultiLineString(ml) => out
            .lines
            .extend(ml.iter().map(|l| Line::new(&project_line(&l.0)))),
        Geometry::Polygon(p) => out.fills.push(fill(p)),
        Geometry::MultiPolygon(mp) => out.fills.extend(mp.iter().map(fill)),
        Geometry::GeometryCollection(gc) => gc.iter().for_each(|g| add_geometry(out, g, triangles)),
        Geometry::Line(l) => out.lines.push(Line::new(&project_line(&[l.start, l.end]))),
        Geometry::Rect(r) => out.fills.push(fill(&r.to_polygon())),
        Geometry::Triangle(t) => out.fills.push(fill(&t.to_polygon())),
    }
}

/// A polygon's rings in a local frame, without triangles (see [`tessellate`]).
pub fn rings_of(polygon: &Polygon<f64>) -> Fill {
    let rings = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .filter(|r| r.0.len() >= 3);
    let mut fill = Fill::default();
    for ring in rings {
        let projected = ring.0.iter().map(|c| mercator(c.x, c.y));
        if fill.vertices.is_empty() {
            fill.origin = mercator(ring.0[0].x, ring.0[0].y);
        }
        let origin = fill.origin;
        fill.vertices.extend(projected.map(|p| to_local(origin, p)));
        fill.ring_ends.push(fill.vertices.len() as u32);
    }
    fill
}

/// Triangulates a polygon with holes (even-odd), in a local frame so f32 keeps metre precision.
pub fn tessellate(polygon: &Polygon<f64>) -> Fill {
    let rings: Vec<Vec<[f64; 2]>> = std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .map(|r| project_line(&r.0))
        .filter(|r| r.len() >= 3)
        .collect();
    let Some(origin) = rings.first().and_then(|r| r.first()).copied() else {
        return Fill::default();
    };
    let local = |p: &[f64; 2]| to_local(origin, *p);
    let mut vertices: Vec<[f32; 2]> = Vec::with_capacity(rings.iter().map(Vec::len).sum());
    let mut ring_ends = Vec::with_capacity(rings.len());
    let mut builder = LyonPath::builder();
    // From the path's endpoint ids to places in `vertices`.
    let mut place_of: Vec<u32> = Vec::with_capacity(vertices.capacity() + rings.len());
    let mut note = |id: lyon_tessellation::path::EndpointId, place: usize| {
        let id = id.0 as usize;
        if place_of.len() <= id {
            place_of.resize(id + 1, u32::MAX);
        }
        place_of[id] = place as u32;
    };
    for ring in &rings {
        let start = vertices.len();
        vertices.extend(ring.iter().map(local));
        ring_ends.push(vertices.len() as u32);
        let id = builder.begin(point(vertices[start][0], vertices[start][1]));
        note(id, start);
        for (place, p) in vertices.iter().enumerate().skip(start + 1) {
            note(builder.line_to(point(p[0], p[1])), place);
        }
        builder.end(true);
    }
    drop(rings);
    let path = builder.build();
    // Each vertex of the triangles: the ring vertex it is, or its own position.
    let mut buffers: VertexBuffers<(u32, [f32; 2]), u32> = VertexBuffers::new();
    // With the endpoints' ids (`tessellate_path` gives them only to paths with attributes).
    let result = FillTessellator::new().tessellate_with_ids(
        path.id_iter(),
        &path,
        None,
        &FillOptions::default().with_fill_rule(FillRule::EvenOdd),
        &mut BuffersBuilder::new(&mut buffers, |v: FillVertex| {
            let p = v.position();
            let place = v
                .as_endpoint_id()
                .and_then(|id| place_of.get(id.0 as usize));
            (place.copied().unwrap_or(u32::MAX), [p.x, p.y])
        }),
    );
    drop(path);
    let mut indices = Vec::new();
    match result {
        Ok(()) => {
            let rings_len = vertices.len();
            let corners: Vec<u32> = buffers
                .vertices
                .iter()
                .map(|&(id, p)| match vertices.get(id as usize) {
                    Some(q) if (id as usize) < rings_len && *q == p => id,
                    _ => {
                        vertices.push(p);
                        (vertices.len() - 1) as u32
                    }
                })
                .collect();
            indices = buffers
                .indices
                .iter()
                .filter_map(|&i| corners.get(i as usize).copied())
                .collect();
        }
        Err(e) => log::warn!("could not fill a polygon ({e:?}); its outline is still drawn"),
    }
    vertices.shrink_to_fit();
    Fill {
        origin,
        vertices,
        indices: Indices::new(indices),
        ring_ends,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_feature_keeps_its_box_and_points_and_not_its_lines_and_polygons() {
        assert!(std::mem::size_of::<PreparedFeature>() <= 24);
        let point = PreparedFeature::new(Parts {
            points: vec![[0.25, 0.5]],
            ..Parts::default()
        });
        assert!(matches!(point, PreparedFeature::Point(_)));
        assert_eq!(point.points(), &[[0.25, 0.5]]);
        assert_eq!(point.bbox(), Some([0.25, 0.5, 0.25, 0.5]));
        assert_eq!(point.has(), Has::default());
        let two = PreparedFeature::new(Parts {
            points: vec![[0.25, 0.5], [0.75, 0.125]],
            lines: vec![Line::new(&[[0.0, 0.0], [0.5, 0.5]])],
            ..Parts::default()
        });
        assert_eq!(two.points().len(), 2);
        assert!(two.has_lines() && !two.has_fills());
        assert_eq!(two.bbox(), Some([0.0, 0.0, 0.75, 0.5]));
        let square = polygon!(
            exterior: [(x: 70.0, y: 39.0), (x: 71.0, y: 39.0), (x: 71.0, y: 40.0), (x: 70.0, y: 39.0)],
            interiors: [],
        );
        let fill = PreparedFeature::new(Parts {
            fills: vec![rings_of(&square)],
            ..Parts::default()
        });
        assert!(matches!(fill, PreparedFeature::Shaped { .. }), "{fill:?}");
        assert!(fill.has_fills() && !fill.has_lines() && fill.points().is_empty());
        let [x0, y0] = mercator(70.0, 40.0);
        let [x1, y1] = mercator(71.0, 39.0);
        // The box holds the polygon, and is not an f32's rounding bigger.
        let b = fill.bbox().unwrap();
        assert!(
            b[0] <= x0 && b[1] <= y0 && b[2] >= x1 && b[3] >= y1,
            "{b:?}"
        );
        assert!(
            (b[0] - x0).abs() < 1e-7 && (b[1] - y0).abs() < 1e-7,
            "{b:?}"
        );
        assert!(
            (b[2] - x1).abs() < 1e-7 && (b[3] - y1).abs() < 1e-7,
            "{b:?}"
        );
        assert_eq!(PreparedFeature::new(Parts::default()).bbox(), None);
    }

    #[test]
    fn parts_are_made_from_the_feature_with_or_without_triangles() {
        let p = polygon!(
            exterior: [(x: 70.0, y: 39.0), (x: 71.0, y: 39.0), (x: 71.0, y: 40.0), (x: 70.0, y: 40.0), (x: 70.0, y: 39.0)],
            interiors: [[(x: 70.4, y: 39.4), (x: 70.6, y: 39.4), (x: 70.6, y: 39.6), (x: 70.4, y: 39.6), (x: 70.4, y: 39.4)]],
        );
        let feature = crate::model::Feature {
            given_id: None,
            shape: Some(Geometry::Polygon(p.clone()).into()),
            properties: None,
            span: None,
            line: 1,
        };
        let (with, without) = (Parts::of(&feature, true), Parts::of(&feature, false));
        assert_eq!(with.fills.len(), 1);
        assert!(!with.fills[0].indices.is_empty());
        assert!(without.fills[0].indices.is_empty());
        // The same rings, in the same frame, either way.
        let rings = |f: &Fill| f.rings().map(<[_]>::to_vec).collect::<Vec<_>>();
        assert_eq!(rings(&with.fills[0]), rings(&without.fills[0]));
        assert_eq!(with.fills[0].origin, without.fills[0].origin);
        assert_eq!(rings(&tessellate(&p)), rings(&rings_of(&p)));
        assert_eq!(without.vertices(), 10);
        // A ring of no point is nothing to draw, either way; what is kept agrees.
        let flat = crate::model::Feature {
            shape: Some(Geometry::Polygon(Polygon::new(geo::LineString(vec![]), vec![])).into()),
            ..feature
        };
        for triangles in [false, true] {
            assert!(Parts::of(&flat, triangles).fills.is_empty());
        }
        let kept = PreparedFeature::new(Parts::of(&flat, false));
        assert!(!kept.has_fills() && kept.bbox().is_none());
    }

    #[test]
    fn a_square_with_a_hole_tessellates_to_the_ring_area() {
        let p = polygon!(
            exterior: [(x: 70.0, y: 39.0), (x: 71.0, y: 39.0), (x: 71.0, y: 40.0), (x: 70.0, y: 40.0), (x: 70.0, y: 39.0)],
            interiors: [[(x: 70.4, y: 39.4), (x: 70.6, y: 39.4), (x: 70.6, y: 39.6), (x: 70.4, y: 39.6), (x: 70.4, y: 39.4)]],
        );
        let fill = tessellate(&p);
        let indices: Vec<u32> = fill.indices.iter().collect();
        assert!(matches!(fill.indices, Indices::Short(_)));
        let area: f64 = indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [
                    fill.world(fill.vertices[t[0] as usize]),
                    fill.world(fill.vertices[t[1] as usize]),
                    fill.world(fill.vertices[t[2] as usize]),
                ];
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let outer = (mercator(71.0, 39.0)[0] - mercator(70.0, 39.0)[0])
            * (mercator(70.0, 39.0)[1] - mercator(70.0, 40.0)[1]);
        let hole = (mercator(70.6, 39.5)[0] - mercator(70.4, 39.5)[0])
            * (mercator(70.4, 39.4)[1] - mercator(70.4, 39.6)[1]);
        assert!(
            ((area - (outer - hole)) / area).abs() < 0.01,
            "{area} vs {}",
            outer - hole
        );
        assert_eq!(fill.rings().len(), 2);
        // The triangles' corners are the rings' vertices, kept once (5 and 5, closed).
        let ring_lens: Vec<usize> = fill.rings().map(<[_]>::len).collect();
        assert_eq!(ring_lens, [5, 5]);
        assert_eq!(fill.vertices.len(), 10);
        let hole = fill.rings().nth(1).unwrap();
        assert!(
            (fill.world(hole[1])[0] - mercator(70.6, 39.4)[0]).abs() < 1e-9,
            "the hole's second vertex"
        );
        // Kept as long as the layer: no spare room (lyon starts at 512 vertices).
        assert_eq!(fill.vertices.capacity(), fill.vertices.len());
        assert_eq!(fill.indices.memory_bytes(), fill.indices.len() * 2);
    }

    #[test]
    fn rings_that_cross_get_the_crossing_as_a_vertex_of_their_triangles() {
        // A bow tie: its two lobes meet where its edges cross, a vertex no ring has.
        let p = polygon![
            (x: 70.0, y: 39.0),
            (x: 71.0, y: 40.0),
            (x: 71.0, y: 39.0),
            (x: 70.0, y: 40.0),
            (x: 70.0, y: 39.0),
        ];
        let fill = tessellate(&p);
        assert_eq!(fill.rings().map(<[_]>::len).collect::<Vec<_>>(), [5]);
        assert!(fill.vertices.len() > 5, "the crossing was added");
        // Where the diagonals cross in mercator: half way along each.
        let (a, b) = (mercator(70.0, 39.0), mercator(71.0, 40.0));
        let centre = fill.local([(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0]);
        let added = &fill.vertices[5..];
        assert!(
            added
                .iter()
                .any(|v| (f64::from(v[0]) - centre[0]).abs() < 2.0
                    && (f64::from(v[1]) - centre[1]).abs() < 2.0),
            "{added:?} holds the centre {centre:?}"
        );
        // Every corner is a vertex, and the two lobes are filled: half the square.
        let corners: Vec<u32> = fill.indices.iter().collect();
        assert!(corners.iter().all(|&i| (i as usize) < fill.vertices.len()));
        let area: f64 = corners
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|k| fill.world(fill.vertices[t[k] as usize]));
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let square = (mercator(71.0, 39.0)[0] - mercator(70.0, 39.0)[0])
            * (mercator(70.0, 39.0)[1] - mercator(70.0, 40.0)[1]);
        assert!(
            ((area - square / 2.0) / area).abs() < 0.02,
            "{area} vs {}",
            square / 2.0
        );
    }

    #[test]
    fn indices_are_short_while_they_fit_and_read_the_same_either_way() {
        let short = Indices::new(vec![0, 1, 65_535]);
        assert!(matches!(short, Indices::Short(_)));
        assert_eq!(short.iter().collect::<Vec<_>>(), [0, 1, 65_535]);
        let long = Indices::new(vec![0, 65_536, 7]);
        assert!(matches!(long, Indices::Long(_)));
        assert_eq!(long.iter().collect::<Vec<_>>(), [0, 65_536, 7]);
        assert_eq!((short.len(), long.len()), (3, 3));
        // No spare room either way: they are kept as long as the layer.
        assert_eq!((short.memory_bytes(), long.memory_bytes()), (6, 12));
        assert!(Indices::default().is_empty());
    }
}
