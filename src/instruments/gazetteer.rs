//! The names the place search knows: the bundled places, the enclaves (with their other
//! names: "Voruh", "Ворух"), the events' sites, titles and places as reported, and the
//! names or titles of the features of the user's layers. Each name points to a position;
//! [`search`](Gazetteer::search) answers through the folded [`PlaceIndex`].

use std::sync::Arc;

use crate::model::dataset::{Dataset, LayerRole};
use crate::model::geom::unmercator;
use crate::model::{Feature, Layer};
use crate::time::FeatureRef;

use super::search::{MatchKind, PlaceIndex};

/// A named position that is not a feature (a bundled place, an event's site).
#[derive(Clone, Debug, PartialEq)]
struct Place {
    name: String,
    detail: Detail,
    at: [f64; 2],
}

/// What a place is, put in words in the interface's language when it is found.
#[derive(Clone, Debug, PartialEq)]
enum Detail {
    /// A bundled place, with its region and country code (either may be empty).
    Place { region: String, country: String },
    /// An event's site, with the title of the first event there.
    Site { estimated: bool, first_in: String },
}

impl Detail {
    fn text(&self) -> String {
        match self {
            Self::Place { region, country } => match (region.as_str(), country.as_str()) {
                ("", "") => crate::tr!("tools-found-place"),
                (a, "") | ("", a) => crate::tr!("tools-found-place-in", region = a),
                (a, c) => crate::tr!("tools-found-place-in", region = format!("{a} ({c})")),
            },
            Self::Site {
                estimated: true,
                first_in,
            } => crate::tr!("tools-found-site-estimated", title = first_in.as_str()),
            Self::Site {
                estimated: false,
                first_in,
            } => crate::tr!("tools-found-site", title = first_in.as_str()),
        }
    }
}

/// What a name points to.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Place(u32),
    Feature(FeatureRef),
}

/// One answer of the search.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The name that matched, as written.
    pub name: String,
    /// What it is: "place, Batken (KG)", "enclave (Tajikistan)", "event, 2022-09-16", the
    /// layer's name.
    pub detail: String,
    /// Where, `[lon, lat]`.
    pub at: [f64; 2],
    /// The feature it names, if it is one (selected when chosen).
    pub feature: Option<FeatureRef>,
    /// How well it matched.
    pub kind: MatchKind,
}

/// Names and where they point.
pub struct Gazetteer {
    index: PlaceIndex,
    places: Vec<Place>,
    targets: Vec<Target>,
    /// How many features of its layer bear a feature target's name, where more than one
    /// do: a name repeated in a layer (a million ACLED rows have a few thousand titles) is
    /// indexed once, at its first feature.
    repeats: std::collections::HashMap<u32, u32>,
    /// The dataset generation it was built from.
    pub generation: u64,
}

/// What names a feature: its `name` (else its `title`) and its `alt_names`.
struct Names {
    name: String,
    others: Vec<String>,
}

impl Names {
    /// The names in `p`, or `None` when it has neither a `name` nor a `title` string.
    fn of(p: &serde_json::Map<String, serde_json::Value>) -> Option<Self> {
        let text = |k: &str| p.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let name = text("name").or_else(|| text("title"))?;
        let others = p.get("alt_names").and_then(|v| v.as_array());
        Some(Self {
            name,
            others: others
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        })
    }
}

/// Zoom a place is shown at.
pub const PLACE_ZOOM: f64 = 12.0;

impl Gazetteer {
    /// Collects the names of `places` (the bundled places layer) and of every layer of `ds`.
    pub fn build(places: &Layer, ds: &Dataset) -> Self {
        let mut g = Gazetteer {
            index: PlaceIndex::new(),
            places: Vec::new(),
            targets: Vec::new(),
            repeats: std::collections::HashMap::new(),
            generation: ds.generation,
        };
        for f in &places.features {
            let p = f.properties_map();
            let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let Some(at) = point_of(f) else { continue };
            let detail = Detail::Place {
                region: text("admin1").to_string(),
                country: text("country_code").to_string(),
            };
            g.add_place(text("name"), &[], detail, at);
        }
        for (li, entry) in ds.layers.iter().enumerate() {
            // The layer's names so far, each with its item; and the names read per set of
            // the cells they come from.
            let mut seen = std::collections::HashMap::new();
            let mut read = std::collections::HashMap::new();
            for (fi, f) in entry.layer.features.iter().enumerate() {
                let r = FeatureRef::new(li as u32, fi as u32);
                match entry.role {
                    LayerRole::Events => g.add_event(r, f),
                    _ => g.add_feature(ds, r, f, &mut seen, &mut read),
                }
            }
        }
        g.index.shrink_to_fit();
        g
    }

    fn add_place(&mut self, name: &str, others: &[String], detail: Detail, at: [f64; 2]) {
        if name.trim().is_empty() {
            return;
        }
        let item = self.targets.len() as u32;
        self.targets.push(Target::Place(self.places.len() as u32));
        self.places.push(Place {
            name: name.to_string(),
            detail,
            at,
        });
        self.index.push(name, item);
        for other in others {
            self.index.push(other, item);
        }
    }

    /// A feature of a bundled or user layer, by its `name` or `title` (and `alt_names`).
    /// A name already `seen` in the layer adds nothing but a count to its first feature.
    /// A table row's names are `read` once per set of the cells they come from
    /// ([`crate::model::Properties::name_key`]).
    fn add_feature(
        &mut self,
        ds: &Dataset,
        r: FeatureRef,
        f: &Feature,
        seen: &mut std::collections::HashMap<String, u32>,
        read: &mut std::collections::HashMap<(usize, String), Option<Arc<Names>>>,
    ) {
        let Some(props) = &f.properties else { return };
        if !(props.may_contain("name") || props.may_contain("title")) {
            return;
        }
        let names = match props.name_key() {
            Some(key) => read
                .entry(key)
                .or_insert_with(|| Names::of(&props.names()).map(Arc::new))
                .clone(),
            None => Names::of(&props.names()).map(Arc::new),
        };
        let Some(names) = names else { return };
        if ds.center_of(r).is_none() {
            return;
        }
        if let Some(&item) = seen.get(&names.name) {
            *self.repeats.entry(item).or_insert(1) += 1;
            return;
        }
        let item = self.targets.len() as u32;
        seen.insert(names.name.clone(), item);
        self.targets.push(Target::Feature(r));
        self.index.push(&names.name, item);
        for other in &names.others {
            self.index.push(other, item);
        }
    }

    /// An event: its title, its place as reported, and each of its sites by name.
    fn add_event(&mut self, r: FeatureRef, f: &Feature) {
        let p = f.properties_map();
        let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or_default();
        let item = self.targets.len() as u32;
        self.targets.push(Target::Feature(r));
        self.index.push(text("title"), item);
        self.index.push(text("place"), item);
        let title = text("title");
        for site in p
            .get("sites")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let s = |k: &str| site.get(k);
            let (Some(name), Some(lon), Some(lat)) = (
                s("name").and_then(|v| v.as_str()),
                s("lon").and_then(|v| v.as_f64()),
                s("lat").and_then(|v| v.as_f64()),
            ) else {
                continue;
            };
            // A site named by several events is one place.
            if self
                .places
                .iter()
                .any(|p| p.name == name && p.at == [lon, lat])
            {
                continue;
            }
            let estimated = s("estimated").and_then(|v| v.as_bool()) == Some(true);
            let detail = Detail::Site {
                estimated,
                first_in: title.to_string(),
            };
            self.add_place(name, &[], detail, [lon, lat]);
        }
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when it knows no name.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The best `limit` answers for `query`.
    pub fn search(&self, ds: &Dataset, query: &str, limit: usize) -> Vec<Found> {
        self.index
            .search(query, limit)
            .into_iter()
            .filter_map(|hit| {
                let name = self.index.name(hit.name).to_string();
                match *self.targets.get(hit.item as usize)? {
                    Target::Place(i) => {
                        let p = self.places.get(i as usize)?;
                        Some(Found {
                            name,
                            detail: p.detail.text(),
                            at: p.at,
                            feature: None,
                            kind: hit.kind,
                        })
                    }
                    Target::Feature(r) => {
                        let (lon, lat) = unmercator(ds.center_of(r)?);
                        let entry = ds.layers.get(r.layer as usize)?;
                        let detail = match (entry.role, ds.feature(r).and_then(|f| f.span)) {
                            (LayerRole::Events, Some(span)) => {
                                let date = span.start().strftime("%Y-%m-%d").to_string();
                                crate::tr!("tools-found-event", date = date)
                            }
                            (LayerRole::Border, _) => crate::tr!("tools-found-border"),
                            _ => match self.repeats.get(&hit.item) {
                                Some(&n) => crate::tr!(
                                    "tools-found-features",
                                    layer = entry.layer.name.as_str(),
                                    n = n
                                ),
                                None => entry.layer.name.clone(),
                            },
                        };
                        Some(Found {
                            name,
                            detail,
                            at: [lon, lat],
                            feature: Some(r),
                            kind: hit.kind,
                        })
                    }
                }
            })
            .collect()
    }

    /// The one place `query` names, for `--center NAME`: the best exact answer when every
    /// exact answer lies within about ten kilometres of it (or the only answer); otherwise an
    /// error listing the matches.
    pub fn resolve(&self, ds: &Dataset, query: &str) -> Result<Found, String> {
        let found = self.search(ds, query, 6);
        let exact: Vec<&Found> = found
            .iter()
            .filter(|f| f.kind == MatchKind::Exact)
            .collect();
        let list = |items: &[&Found]| {
            items
                .iter()
                .map(|f| format!("{} ({}) at {:.4},{:.4}", f.name, f.detail, f.at[0], f.at[1]))
                .collect::<Vec<_>>()
                .join("; ")
        };
        match exact.as_slice() {
            [one] => Ok((*one).clone()),
            [first, rest @ ..] if rest.iter().all(|f| near(f.at, first.at)) => Ok((*first).clone()),
            [_, _, ..] => Err(format!(
                "'{query}' is ambiguous: {}; give coordinates instead",
                list(&exact)
            )),
            [] if found.len() == 1 => Ok(found[0].clone()),
            [] if found.is_empty() => Err(format!("no place called '{query}' is known")),
            [] => Err(format!(
                "no place is called exactly '{query}'; nearest matches: {}",
                list(&found.iter().collect::<Vec<_>>())
            )),
        }
    }
}

/// Two answers of the same name within about ten kilometres are one place: a village, the
/// enclave around it, an event's site there (Vorukh is all three). The two Karavans, 140 km
/// apart, are not.
fn near(a: [f64; 2], b: [f64; 2]) -> bool {
    (a[0] - b[0]).abs() < 0.1 && (a[1] - b[1]).abs() < 0.1
}

fn point_of(f: &Feature) -> Option<[f64; 2]> {
    match f.geometry().as_deref()? {
        geo::Geometry::Point(p) => Some([p.x(), p.y()]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> (Gazetteer, Dataset) {
        let ds = crate::io::bundled::dataset();
        (Gazetteer::build(crate::io::bundled::places(), &ds), ds)
    }

    /// A name repeated in a layer is one answer, at its first feature, with how many bear
    /// it; the names of a table's rows are read from their name columns (ACLED's title from
    /// its place and what happened).
    #[test]
    fn a_name_repeated_in_a_layer_is_one_answer_with_its_count() {
        let text = "event_id_cnty,event_date,event_type,sub_event_type,location,latitude,longitude,notes,fatalities
KGZ1,2022-09-14,Battles,Armed clash,Zarbdor,39.91,70.51,Shots fired,1
KGZ2,2022-09-15,Battles,Armed clash,Zarbdor,39.92,70.52,Shots fired again,0
KGZ3,2022-09-16,Battles,Armed clash,Zarbdor,39.93,70.53,,2
KGZ4,2022-09-16,Protests,Peaceful protest,Kulundu,40.10,70.70,,0
";
        let layer = crate::io::csv::read_csv(
            text.as_bytes(),
            std::path::Path::new("acled.csv"),
            &crate::io::timefields::TimeReader::default(),
            None,
        );
        assert_eq!(layer.features.len(), 4, "{:?}", layer.problems);
        let mut ds = crate::io::bundled::dataset();
        let before = Gazetteer::build(crate::io::bundled::places(), &ds).len();
        ds.push(layer, LayerRole::Custom);
        let g = Gazetteer::build(crate::io::bundled::places(), &ds);
        assert_eq!(g.len(), before + 2, "two distinct titles");
        let found = g.search(&ds, "Zarbdor: Armed clash", 5);
        let first = found.first().expect("the repeated title");
        assert_eq!(first.name, "Zarbdor: Armed clash");
        assert_eq!(first.detail, "acled.csv, 3 features");
        assert_eq!(first.feature.map(|r| r.feature), Some(0));
        assert!((first.at[0] - 70.51).abs() < 1e-9, "{first:?}");
        let kulundu = g.resolve(&ds, "Kulundu: Peaceful protest").unwrap();
        assert_eq!(kulundu.detail, "acled.csv");
    }

    #[test]
    fn what_is_found_is_said_in_the_interfaces_language() {
        let (g, ds) = gazetteer();
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        let batken = g.resolve(&ds, "Batken");
        let site = g
            .search(&ds, "Kok-Tash", 5)
            .into_iter()
            .find(|f| f.feature.is_none() && f.detail.contains("впервые"));
        crate::i18n::set_lang(crate::i18n::Lang::En);
        let batken = batken.unwrap();
        assert!(batken.detail.starts_with("населённый пункт"), "{batken:?}");
        assert!(site.is_some(), "a site described in Russian");
    }

    #[test]
    fn vorukh_is_found_in_latin_and_cyrillic() {
        let (g, ds) = gazetteer();
        for q in ["Vorukh", "voruh", "VORUKH", "Ворух"] {
            let found = g.search(&ds, q, 5);
            let first = found.first().unwrap_or_else(|| panic!("nothing for {q}"));
            assert!(
                (70.5..70.8).contains(&first.at[0]) && (39.7..39.95).contains(&first.at[1]),
                "{q}: {first:?}"
            );
        }
    }

    #[test]
    fn sites_and_places_are_found_with_their_positions() {
        let (g, ds) = gazetteer();
        let kok_tash = g.resolve(&ds, "Kok-Tash").unwrap();
        assert!((kok_tash.at[0] - 70.5358).abs() < 1e-6, "{kok_tash:?}");
        let batken = g.resolve(&ds, "Batken").unwrap();
        assert!(batken.detail.starts_with("place"), "{batken:?}");
        assert!(g.resolve(&ds, "Qwxyzzy").unwrap_err().contains("no place"));
        // Two places are called Karavan: the answer lists them.
        let e = g.resolve(&ds, "Karavan").unwrap_err();
        assert!(e.contains("ambiguous"), "{e}");
        // Vorukh the village, the enclave around it and the events' site are one place.
        for q in ["Vorukh", "Ворух"] {
            let vorukh = g.resolve(&ds, q).unwrap();
            assert_eq!(vorukh.at, [70.58012, 39.85125], "{q}: {vorukh:?}");
        }
    }
}
