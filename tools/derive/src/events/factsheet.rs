//! Parsers for `events-factsheet.md` (gazetteer table, W references, S sources, event
//! headings) and for `places-central-asia.csv`. Pure functions over text, so they can be
//! tested on small samples.

use std::collections::{BTreeMap, BTreeSet};

/// Coordinates of a gazetteer entry, as the fact sheet gives them.
#[derive(Debug, Clone, PartialEq)]
pub enum Coords {
    /// Sourced coordinates.
    Sourced { lat: f64, lon: f64 },
    /// Marked **estimated**; the note is the text in parentheses, e.g. "taken from KokTash".
    Estimated { lat: f64, lon: f64, note: String },
    /// Marked **not sourced**; the note is any text after the marker.
    NotSourced { note: String },
}

/// One gazetteer key (a row with several keys, e.g. "Arka, Dostuk", gives one entry per key).
#[derive(Debug, Clone, PartialEq)]
pub struct GazEntry {
    pub key: String,
    /// Display name: the first name variant of the row.
    pub name: String,
    pub coords: Coords,
    /// The country the names column states, "KG" or "TJ" ("Maksat (KG, Leilek district)",
    /// "Vorukh, Varukh, Woruch (TJ exclave)"); `None` when the row names none.
    pub country: Option<String>,
    /// The precision column, e.g. "village", "±3 km", "—".
    pub precision: String,
    /// The source column, e.g. "W2 (39°56′59″N 70°32′09″E)".
    pub source: String,
    /// Line number in the fact sheet (1-based).
    pub line: usize,
}

/// One entry of the "S. Sources" list.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    pub id: String,
    pub url: String,
    pub published: String,
}

/// One dated event heading (`**id** — kind.`) and what its block mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct FactEvent {
    pub id: String,
    /// The kind text as given, e.g. "clash/shelling", "shelling (Kyrgyz claim)".
    pub kind_text: String,
    /// Every source id (S<n>) the block mentions.
    pub source_ids: BTreeSet<String>,
    /// Every gazetteer key the block mentions in [brackets].
    pub keys: BTreeSet<String>,
    pub line: usize,
}

/// Everything the events step takes from the fact sheet.
#[derive(Debug, Clone, Default)]
pub struct FactSheet {
    pub gazetteer: BTreeMap<String, GazEntry>,
    /// Gazetteer references W1.. → URL.
    pub wrefs: BTreeMap<String, String>,
    pub sources: BTreeMap<String, SourceEntry>,
    pub events: Vec<FactEvent>,
}

/// Parses the whole fact sheet. `file` is used in error messages.
pub fn parse_factsheet(text: &str, file: &str) -> Result<FactSheet, String> {
    let gazetteer = parse_gazetteer(text, file)?;
    let wrefs = parse_refs(text, 'W');
    let sources = parse_sources(text, file)?;
    let events = parse_event_blocks(text, file)?;
    if gazetteer.is_empty() {
        return Err(format!(
            "{file}: no gazetteer table found (section \"## G. Gazetteer\")"
        ));
    }
    if sources.is_empty() {
        return Err(format!(
            "{file}: no sources list found (lines \"- S1 https://… — date\")"
        ));
    }
    if events.is_empty() {
        return Err(format!(
            "{file}: no event headings found (lines \"**e…** — kind.\")"
        ));
    }
    for ev in &events {
        for key in &ev.keys {
            if !gazetteer.contains_key(key) {
                return Err(format!(
                    "{file}:{}: event {} names [{key}], which is not in the gazetteer",
                    ev.line, ev.id
                ));
            }
        }
    }
    Ok(FactSheet {
        gazetteer,
        wrefs,
        sources,
        events,
    })
}

/// Splits a Markdown table row into trimmed cells (without the outer pipes).
fn table_cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| c.trim().to_string()).collect()
}

/// Parses the gazetteer table: the first Markdown table after a heading starting with
/// "## G." (or containing "Gazetteer").
pub fn parse_gazetteer(text: &str, file: &str) -> Result<BTreeMap<String, GazEntry>, String> {
    let mut out = BTreeMap::new();
    let mut in_section = false;
    let mut seen_table = false;
    for (idx, line) in text.lines().enumerate() {
        let lineno = idx + 1;
        let t = line.trim();
        if t.starts_with("## ") {
            if in_section && seen_table {
                break;
            }
            in_section = t.contains("Gazetteer");
            continue;
        }
        if !in_section {
            continue;
        }
        if !t.starts_with('|') {
            if seen_table {
                break;
            }
            continue;
        }
        seen_table = true;
        let cells = table_cells(t);
        if cells.first().is_some_and(|c| c.eq_ignore_ascii_case("key"))
            || cells
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue; // header or separator row
        }
        if cells.len() != 5 {
            return Err(format!(
                "{file}:{lineno}: gazetteer row has {} cells, expected 5 (key | names | lat, lon | precision | source)",
                cells.len()
            ));
        }
        let keys: Vec<&str> = cells[0]
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        if keys.is_empty() {
            return Err(format!("{file}:{lineno}: gazetteer row without a key"));
        }
        let coords = parse_coords(&cells[2])
            .map_err(|e| format!("{file}:{lineno}: gazetteer key {}: {e}", cells[0]))?;
        let names: Vec<String> = cells[1].split(',').map(clean_name).collect();
        for (i, key) in keys.iter().enumerate() {
            if !key.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(format!(
                    "{file}:{lineno}: gazetteer key {key:?} is not alphanumeric"
                ));
            }
            let name = if keys.len() == 1 {
                names.first().cloned().unwrap_or_else(|| key.to_string())
            } else {
                names.get(i).cloned().unwrap_or_else(|| key.to_string())
            };
            let entry = GazEntry {
                key: key.to_string(),
                name: if name.is_empty() {
                    key.to_string()
                } else {
                    name
                },
                coords: coords.clone(),
                country: stated_country(&cells[1]),
                precision: cells[3].clone(),
                source: cells[4].clone(),
                line: lineno,
            };
            if out.insert(key.to_string(), entry).is_some() {
                return Err(format!(
                    "{file}:{lineno}: gazetteer key {key} appears twice"
                ));
            }
        }
    }
    Ok(out)
}

/// The country a names cell states in parentheses: "(KG)", "(KG, Leilek district)",
/// "(TJ exclave)" → "KG" / "TJ"; `None` if it states none.
pub fn stated_country(names: &str) -> Option<String> {
    let mut found = None;
    for (i, _) in names.match_indices('(') {
        let inner = &names[i + 1..];
        let word: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        if matches!(word.as_str(), "KG" | "TJ" | "UZ") {
            found = Some(word);
        }
    }
    found
}

/// "Batken, Batkent (KG)" item → "Batken"; "Golovnoi / Golovnoy" → "Golovnoi";
/// "Kyzyl-Bel (village; checkpoint)" → "Kyzyl-Bel"; "Arka(-2)" → "Arka".
fn clean_name(item: &str) -> String {
    let first = item.split('/').next().unwrap_or(item);
    let no_paren = match first.find('(') {
        Some(i) => &first[..i],
        None => first,
    };
    no_paren.trim().to_string()
}

/// Parses the "lat, lon" cell.
fn parse_coords(cell: &str) -> Result<Coords, String> {
    let lower = cell.to_lowercase();
    if lower.contains("**not sourced**") {
        let note = cell.replace("**not sourced**", "");
        let note = note
            .trim()
            .trim_start_matches('(')
            .trim_end_matches(')')
            .trim()
            .to_string();
        return Ok(Coords::NotSourced { note });
    }
    if lower.contains("**estimated**") {
        let rest = cell.replace("**estimated**", "");
        let (nums, note) = match rest.find('(') {
            Some(i) => (
                rest[..i].to_string(),
                rest[i..].trim().trim_matches(['(', ')']).to_string(),
            ),
            None => (rest.clone(), String::new()),
        };
        let (lat, lon) = parse_lat_lon(&nums)?;
        return Ok(Coords::Estimated { lat, lon, note });
    }
    let (lat, lon) = parse_lat_lon(cell)?;
    Ok(Coords::Sourced { lat, lon })
}

fn parse_lat_lon(s: &str) -> Result<(f64, f64), String> {
    let mut parts = s.split(',');
    let lat_s = parts.next().unwrap_or("").trim();
    let lon_s = parts.next().unwrap_or("").trim();
    let lon_s = lon_s.split_whitespace().next().unwrap_or("");
    let lat: f64 = lat_s
        .parse()
        .map_err(|_| format!("cannot read latitude from {s:?}"))?;
    let lon: f64 = lon_s
        .parse()
        .map_err(|_| format!("cannot read longitude from {s:?}"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinates out of range in {s:?}"));
    }
    Ok((lat, lon))
}

/// Lines "- W1 https://…" → {W1: url}.
pub fn parse_refs(text: &str, letter: char) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.trim().strip_prefix("- ") else {
            continue;
        };
        let mut it = rest.splitn(2, ' ');
        let id = it.next().unwrap_or("");
        let tail = it.next().unwrap_or("").trim();
        if is_ref_id(id, letter) && tail.starts_with("http") {
            let url = tail.split_whitespace().next().unwrap_or("").to_string();
            out.insert(id.to_string(), url);
        }
    }
    out
}

fn is_ref_id(id: &str, letter: char) -> bool {
    let mut chars = id.chars();
    chars.next() == Some(letter) && id.len() > 1 && chars.all(|c| c.is_ascii_digit())
}

/// Lines "- S1 https://… — 2021" → {S1: (url, "2021")}.
pub fn parse_sources(text: &str, file: &str) -> Result<BTreeMap<String, SourceEntry>, String> {
    let mut out = BTreeMap::new();
    for (idx, line) in text.lines().enumerate() {
        let Some(rest) = line.trim().strip_prefix("- ") else {
            continue;
        };
        let mut it = rest.splitn(2, ' ');
        let id = it.next().unwrap_or("");
        if !is_ref_id(id, 'S') {
            continue;
        }
        let tail = it.next().unwrap_or("").trim();
        let Some((url, published)) = tail.split_once(" — ") else {
            return Err(format!(
                "{file}:{}: source {id}: expected \"{id} URL — date\", found {tail:?}",
                idx + 1
            ));
        };
        let url = url.trim();
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(format!(
                "{file}:{}: source {id}: {url:?} is not an http(s) URL",
                idx + 1
            ));
        }
        let entry = SourceEntry {
            id: id.to_string(),
            url: url.to_string(),
            published: published.trim().to_string(),
        };
        if out.insert(id.to_string(), entry).is_some() {
            return Err(format!("{file}:{}: source {id} appears twice", idx + 1));
        }
    }
    Ok(out)
}

/// Finds the event headings `**e…** — kind.` and collects, for each block (up to the next
/// heading or section), the S ids and the [Key] references it mentions.
pub fn parse_event_blocks(text: &str, file: &str) -> Result<Vec<FactEvent>, String> {
    let mut out: Vec<FactEvent> = Vec::new();
    let mut current: Option<FactEvent> = None;
    for (idx, line) in text.lines().enumerate() {
        let t = line.trim();
        if let Some((id, kind_text)) = event_heading(t) {
            if let Some(done) = current.take() {
                out.push(done);
            }
            if out.iter().any(|e| e.id == id) {
                return Err(format!("{file}:{}: event id {id} appears twice", idx + 1));
            }
            let mut ev = FactEvent {
                id,
                kind_text,
                source_ids: BTreeSet::new(),
                keys: BTreeSet::new(),
                line: idx + 1,
            };
            collect_mentions(t, &mut ev);
            current = Some(ev);
            continue;
        }
        if t.starts_with("## ") {
            if let Some(done) = current.take() {
                out.push(done);
            }
            continue;
        }
        if let Some(ev) = current.as_mut() {
            collect_mentions(t, ev);
        }
    }
    if let Some(done) = current.take() {
        out.push(done);
    }
    Ok(out)
}

/// `**e2021-toll** — casualty report.` → ("e2021-toll", "casualty report").
fn event_heading(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("**")?;
    let end = rest.find("**")?;
    let id = &rest[..end];
    if !id.starts_with('e') || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let after = rest[end + 2..].trim_start();
    let kind = after.strip_prefix('—')?.trim();
    let kind = kind.strip_suffix('.').unwrap_or(kind).trim();
    Some((id.to_string(), kind.to_string()))
}

fn collect_mentions(line: &str, ev: &mut FactEvent) {
    let chars: Vec<char> = line.chars().collect();
    for i in 0..chars.len() {
        if chars[i] == 'S'
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
        {
            let digits: String = chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let next = chars.get(i + 1 + digits.len());
            if next.is_none_or(|c| !c.is_alphanumeric()) {
                ev.source_ids.insert(format!("S{digits}"));
            }
        }
    }
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inside = &rest[open + 1..open + close];
        for key in inside.split(',').map(str::trim) {
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric()) {
                ev.keys.insert(key.to_string());
            }
        }
        rest = &rest[open + close + 1..];
    }
}

/// One row of `places-central-asia.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub admin1: String,
    pub country: String,
}

/// Parses `name,lat,lon,admin1,country_code` (no quoting in this file; a quote is an error).
pub fn parse_places(text: &str, file: &str) -> Result<Vec<Place>, String> {
    let mut out = Vec::new();
    for (idx, line) in text.lines().enumerate() {
        let lineno = idx + 1;
        if idx == 0 {
            if !line.starts_with("name,lat,lon") {
                return Err(format!(
                    "{file}:1: expected header name,lat,lon,admin1,country_code"
                ));
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('"') {
            return Err(format!(
                "{file}:{lineno}: quoted CSV fields are not supported"
            ));
        }
        let cells: Vec<&str> = line.split(',').collect();
        if cells.len() != 5 {
            return Err(format!(
                "{file}:{lineno}: expected 5 fields, found {}",
                cells.len()
            ));
        }
        let lat: f64 = cells[1]
            .trim()
            .parse()
            .map_err(|_| format!("{file}:{lineno}: bad latitude {:?}", cells[1]))?;
        let lon: f64 = cells[2]
            .trim()
            .parse()
            .map_err(|_| format!("{file}:{lineno}: bad longitude {:?}", cells[2]))?;
        out.push(Place {
            name: cells[0].trim().to_string(),
            lat,
            lon,
            admin1: cells[3].trim().to_string(),
            country: cells[4].trim().to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Title\n\n## G. Gazetteer (WGS84)\n\n\
| key | names / variants | lat, lon | precision | source |\n\
|---|---|---|---|---|\n\
| Batken | Batken, Batkent (KG) | 40.0604, 70.8193 | town | GN 1528735 |\n\
| Golovnoi | Golovnoi / Golovnoy intake, Ak-Suu river | **estimated** 39.950, 70.536 (taken from KokTash) | ±3 km | S1 places it at Kok-Tash |\n\
| BulakBashy | Bulak-Bashy, Bulak-Bashi | **not sourced** | — | two villages share the name |\n\
| Arka, Dostuk | Arka(-2), Dostuk/Dostyk | **not sourced** | — | Leilek district (W7) |\n\
| TortKocho | Tort-Kocho | **not sourced** (probably near KhojaAlo) | — | — |\n\
\n\
- W7 https://en.wikipedia.org/wiki/Leilek_District\n\
\n## 1. Events\n\n\
**e2021-camera-dispute** — clash (civilians).\n\
- Where: [Golovnoi], Kok-Tash.\n\
- Sources: S1, S12.\n\n\
**e2021-armed-clash** — clash/shelling.\n\
- Where: [Batken, BulakBashy]; 17:00 MSK.\n\
- Source: S2 (also S1).\n\n\
## S. Sources (URL — date)\n\n\
- S1 https://example.org/a — 2021\n\
- S2 https://example.org/b — 30 Apr 2021\n\
- S12 http://example.org/c — 27 Jan 2022\n";

    #[test]
    fn gazetteer_rows_sourced_estimated_and_not_sourced() {
        let g = parse_gazetteer(SAMPLE, "sample.md").expect("parses");
        assert_eq!(g.len(), 6);
        let b = &g["Batken"];
        assert_eq!(b.name, "Batken");
        assert_eq!(
            b.coords,
            Coords::Sourced {
                lat: 40.0604,
                lon: 70.8193
            }
        );
        assert_eq!(b.precision, "town");
        assert_eq!(b.source, "GN 1528735");
        assert_eq!(b.country.as_deref(), Some("KG"));
        assert_eq!(g["Golovnoi"].country, None);
        match &g["Golovnoi"].coords {
            Coords::Estimated { lat, lon, note } => {
                assert_eq!((*lat, *lon), (39.95, 70.536));
                assert_eq!(note, "taken from KokTash");
            }
            other => panic!("Golovnoi should be estimated, got {other:?}"),
        }
        assert_eq!(g["Golovnoi"].name, "Golovnoi");
        assert_eq!(g["Golovnoi"].precision, "±3 km");
        assert!(matches!(g["BulakBashy"].coords, Coords::NotSourced { .. }));
        assert!(matches!(g["Dostuk"].coords, Coords::NotSourced { .. }));
        assert_eq!(g["Arka"].name, "Arka");
        assert_eq!(g["Dostuk"].name, "Dostuk");
        assert_eq!(
            g["TortKocho"].coords,
            Coords::NotSourced {
                note: "probably near KhojaAlo".into()
            }
        );
    }

    #[test]
    fn stated_countries() {
        assert_eq!(
            stated_country("Maksat (KG, Leilek district)").as_deref(),
            Some("KG")
        );
        assert_eq!(
            stated_country("Vorukh, Varukh, Woruch (TJ exclave)").as_deref(),
            Some("TJ")
        );
        assert_eq!(stated_country("Kyzyl-Bel (village; checkpoint)"), None);
        assert_eq!(stated_country("Batken Airport, ICAO UAFB"), None);
    }

    #[test]
    fn sources_and_refs() {
        let s = parse_sources(SAMPLE, "sample.md").expect("parses");
        assert_eq!(s.len(), 3);
        assert_eq!(s["S2"].url, "https://example.org/b");
        assert_eq!(s["S2"].published, "30 Apr 2021");
        assert_eq!(s["S12"].published, "27 Jan 2022");
        let w = parse_refs(SAMPLE, 'W');
        assert_eq!(w["W7"], "https://en.wikipedia.org/wiki/Leilek_District");
    }

    #[test]
    fn bad_source_line_is_an_error() {
        let err = parse_sources("- S5 https://example.org no date\n", "x.md").unwrap_err();
        assert!(err.contains("x.md:1") && err.contains("S5"), "{err}");
    }

    #[test]
    fn gazetteer_bad_number_is_an_error() {
        let text = "## G. Gazetteer\n| key | n | lat, lon | p | s |\n|---|---|---|---|---|\n| X | X | 40.1, abc | town | GN |\n";
        let err = parse_gazetteer(text, "g.md").unwrap_err();
        assert!(err.contains("g.md:4"), "{err}");
    }

    #[test]
    fn event_blocks_collect_sources_and_keys() {
        let sheet = parse_factsheet(SAMPLE, "sample.md").expect("parses");
        assert_eq!(sheet.events.len(), 2);
        let e = &sheet.events[0];
        assert_eq!(e.id, "e2021-camera-dispute");
        assert_eq!(e.kind_text, "clash (civilians)");
        assert_eq!(
            e.source_ids,
            ["S1", "S12"].iter().map(|s| s.to_string()).collect()
        );
        assert_eq!(e.keys, ["Golovnoi"].iter().map(|s| s.to_string()).collect());
        let e = &sheet.events[1];
        assert_eq!(e.kind_text, "clash/shelling");
        // "MSK" is not a source id; S1 and S2 are.
        assert_eq!(
            e.source_ids,
            ["S1", "S2"].iter().map(|s| s.to_string()).collect()
        );
        assert_eq!(e.keys.len(), 2);
    }

    #[test]
    fn unknown_bracket_key_is_an_error() {
        let text = SAMPLE.replace("[Golovnoi]", "[Nowhere]");
        let err = parse_factsheet(&text, "sample.md").unwrap_err();
        assert!(err.contains("Nowhere"), "{err}");
    }

    #[test]
    fn places_csv() {
        let p = parse_places(
            "name,lat,lon,admin1,country_code\nBishkek,42.87,74.59,Chuy,KG\nRasht,39.02871,70.37446,,TJ\n",
            "p.csv",
        )
        .expect("parses");
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].admin1, "");
        assert!(parse_places("name,lat,lon,admin1,country_code\nX,1,2\n", "p.csv").is_err());
    }
}
