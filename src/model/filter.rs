//! The one filter model: conditions typed as expressions (`kind=clash,shelling`,
//! `killed>=10`, `killed.KG>=10`, `side=KG`, `precision!=estimated`, `prop:fatalities>=1`),
//! all of which must hold. The dataset applies it in one place (`Dataset::set_filter`), so
//! the list, the map, the timeline and every export show the same features.
//!
//! Conditions on the event schema (kind, figures, side, claimant, precisions, source, text)
//! judge dated features; a timeless feature (the border, a user's roads) passes them.
//! `prop:` conditions judge every feature of a user layer by its properties; the bundled
//! layers pass them.

use super::Feature;
use super::event::{EventKind, EventRecord, Figure};

/// How a value compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>=`
    Ge,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `<`
    Lt,
}

impl Cmp {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Ge => a >= b,
            Cmp::Gt => a > b,
            Cmp::Le => a <= b,
            Cmp::Lt => a < b,
        }
    }
}

/// Which figure of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Dead.
    Killed,
    /// Injured.
    Injured,
    /// Evacuated.
    Evacuated,
}

/// One condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// The event's kind is (`=`) or is not (`!=`) one of these.
    Kind(bool, Vec<EventKind>),
    /// Some claim (by this side, if given) states this figure, at its lower bound, so.
    Figure {
        /// Which figure.
        count: Count,
        /// Only claims made by this side (`KG`, `TJ`, `independent`, `media`).
        side: Option<String>,
        /// How it compares.
        cmp: Cmp,
        /// With this number.
        value: f64,
    },
    /// Some claim is (`=`) or none is (`!=`) made by one of these sides.
    Side(bool, Vec<String>),
    /// Some claim's claimant contains (`=`) or none contains (`!=`) this text.
    Claimant(bool, String),
    /// The location precision is (or is not) one of these; `estimated` also means
    /// coordinates marked estimated.
    Precision(bool, Vec<String>),
    /// The time precision is (or is not) one of these.
    TimePrecision(bool, Vec<String>),
    /// Some source's title or address contains (or none contains) this text.
    Source(bool, String),
    /// The title, place, summary or a claim's words contain (or do not contain) this text.
    Text(bool, String),
    /// A property of a user layer's feature compares so with a value (numbers as numbers,
    /// text without regard to case).
    Prop {
        /// The property.
        name: String,
        /// How it compares.
        cmp: Cmp,
        /// With this.
        value: String,
    },
}

/// A filter: conditions that must all hold, kept with the expressions they were read from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    conditions: Vec<(String, Condition)>,
}

/// What the expressions can name, for error messages.
pub const EXPECTED: &str = "kind=clash,shelling, killed>=10, killed.KG>=10, injured>=5, \
evacuated>=1000, side=KG, claimant=health, precision!=estimated, time_precision=minute, \
source=Reuters, text=mortar, prop:NAME=VALUE (or VALUE|VALUE) or prop:NAME>=N";

/// What a user layer's property holds, for picking a filter on it: its range when it reads
/// as numbers, its values when they are few.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PropertySummary {
    /// The lowest and highest number, when every value present reads as one.
    pub range: Option<(f64, f64)>,
    /// The values and how many features have each, most frequent first, when there are at
    /// most [`PropertySummary::FEW`] of them.
    pub values: Option<Vec<(String, usize)>>,
    /// Features without the property.
    pub missing: usize,
}

impl PropertySummary {
    /// Most distinct values offered to pick from.
    pub const FEW: usize = 30;

    /// Reads property `name` of every feature (one cell of a table row each).
    pub fn of(features: &[Feature], name: &str) -> Self {
        let mut summary = Self::default();
        let mut numeric = true;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut values: Vec<(String, usize)> = Vec::new();
        let mut many = false;
        for f in features {
            let Some(text) = f.properties.as_ref().and_then(|p| p.text_of(name)) else {
                summary.missing += 1;
                continue;
            };
            let text = text.trim().trim_matches('"');
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
                _ => numeric = false,
            }
            if !many {
                match values.iter().position(|(v, _)| v == text) {
                    Some(i) => values[i].1 += 1,
                    None if values.len() < Self::FEW => values.push((text.to_string(), 1)),
                    None => many = true,
                }
            }
        }
        if numeric && lo <= hi {
            summary.range = Some((lo, hi));
        }
        if !many && !values.is_empty() {
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            summary.values = Some(values);
        }
        summary
    }
}

impl Filter {
    /// No condition: everything passes.
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Number of conditions.
    pub fn len(&self) -> usize {
        self.conditions.len()
    }

    /// Reads expressions; the error names the one it could not read.
    pub fn parse_all<S: AsRef<str>>(exprs: &[S]) -> Result<Self, String> {
        let mut filter = Filter::default();
        for e in exprs {
            filter.add(e.as_ref())?;
        }
        Ok(filter)
    }

    /// Adds a condition read from `expr`.
    pub fn add(&mut self, expr: &str) -> Result<(), String> {
        let condition = parse(expr)?;
        let text = expr.trim().to_string();
        if !self.conditions.iter().any(|(t, _)| *t == text) {
            self.conditions.push((text, condition));
        }
        Ok(())
    }

    /// Removes the condition at `index`.
    pub fn remove(&mut self, index: usize) {
        if index < self.conditions.len() {
            self.conditions.remove(index);
        }
    }

    /// The expressions, as typed (trimmed).
    pub fn exprs(&self) -> Vec<String> {
        self.conditions.iter().map(|(t, _)| t.clone()).collect()
    }

    /// The kinds a `kind!=...` condition hides (the event list's kind chips).
    pub fn hidden_kinds(&self) -> Vec<EventKind> {
        let mut kinds: Vec<EventKind> = Vec::new();
        for (_, c) in &self.conditions {
            if let Condition::Kind(false, ks) = c {
                kinds.extend(
                    ks.iter()
                        .filter(|k| !kinds.contains(k))
                        .copied()
                        .collect::<Vec<_>>(),
                );
            }
        }
        kinds
    }

    /// The same filter with `kinds` hidden: the `kind!=...` conditions replaced by one (or
    /// none when `kinds` is empty).
    pub fn with_hidden_kinds(&self, kinds: &[EventKind]) -> Filter {
        let mut next = Filter {
            conditions: self
                .conditions
                .iter()
                .filter(|(_, c)| !matches!(c, Condition::Kind(false, _)))
                .cloned()
                .collect(),
        };
        if !kinds.is_empty() {
            let list: Vec<String> = kinds.iter().map(|k| kind_key(*k)).collect();
            let text = format!("kind!={}", list.join(","));
            next.conditions
                .push((text, Condition::Kind(false, kinds.to_vec())));
        }
        next
    }

    /// True when any condition reads the event schema (and so needs a feature's record).
    fn needs_record(&self) -> bool {
        self.conditions
            .iter()
            .any(|(_, c)| !matches!(c, Condition::Prop { .. }))
    }

    /// Whether one claim is one the filter's side and claimant conditions pick (the claims
    /// chart plots only these; an event passes when any of its claims does).
    pub fn claim_passes(&self, claim: &super::event::Claim) -> bool {
        self.conditions.iter().all(|(_, c)| match c {
            Condition::Side(eq, sides) => {
                sides.iter().any(|s| claim.side.eq_ignore_ascii_case(s)) == *eq
            }
            Condition::Claimant(eq, text) => claim.by.to_lowercase().contains(text.as_str()) == *eq,
            _ => true,
        })
    }

    /// Whether `f` passes, `custom` saying whether it is in a user layer. Properties are read
    /// once, and only when a condition needs them.
    pub fn passes(&self, f: &Feature, layer: u32, feature: u32, custom: bool) -> bool {
        self.passes_known(f, layer, feature, custom, None)
    }

    /// [`Filter::passes`], given the feature's kind when it was read already (a dated
    /// feature's event): kinds then need no record, and a table row's record is built from
    /// the cells that give its facts (kind, claims, precisions, title) unless a condition
    /// reads its other words (`source=`, `text=`). A million ACLED rows are judged in well
    /// under a second that way, where building each whole record took seconds.
    pub fn passes_known(
        &self,
        f: &Feature,
        layer: u32,
        feature: u32,
        custom: bool,
        kind: Option<EventKind>,
    ) -> bool {
        if self.is_empty() {
            return true;
        }
        // A property is one cell (or one member): read alone.
        let prop = |name: &str, cmp: Cmp, value: &str| {
            !custom
                || prop_text_holds(
                    f.properties
                        .as_ref()
                        .and_then(|p| p.text_of(name))
                        .as_deref(),
                    cmp,
                    value,
                )
        };
        let dated = f.span.is_some();
        let kinds_only = self
            .conditions
            .iter()
            .all(|(_, c)| matches!(c, Condition::Prop { .. } | Condition::Kind(..)));
        if !(dated && self.needs_record()) || (kinds_only && kind.is_some()) {
            return self.conditions.iter().all(|(_, c)| match c {
                Condition::Prop { name, cmp, value } => prop(name, *cmp, value),
                Condition::Kind(eq, kinds) if dated => {
                    kind.is_none_or(|k| kinds.contains(&k) == *eq)
                }
                _ => true,
            });
        }
        let words = self
            .conditions
            .iter()
            .any(|(_, c)| matches!(c, Condition::Source(..) | Condition::Text(..)));
        let props = match &f.properties {
            Some(p @ super::Properties::Row(_)) if !words => p.facts(),
            _ => f.properties_map(),
        };
        let record = EventRecord::from_properties(layer, feature, f, &props);
        self.conditions.iter().all(|(_, c)| match c {
            Condition::Prop { name, cmp, value } => prop(name, *cmp, value),
            _ => record.as_ref().is_none_or(|r| event_holds(c, r)),
        })
    }
}

/// Reads one expression.
pub fn parse(expr: &str) -> Result<Condition, String> {
    let expr = expr.trim();
    let bad = |why: String| crate::tr!("filters-error", expr = expr, why = why);
    if expr.len() > 500 {
        return Err(bad(crate::tr!("filters-error-too-long")));
    }
    let (name, cmp, value) =
        split(expr).ok_or_else(|| bad(crate::tr!("filters-error-syntax", expected = EXPECTED)))?;
    let name = name.trim();
    let value = value.trim();
    if value.is_empty() {
        return Err(bad(crate::tr!("filters-error-no-value")));
    }
    let list = || -> Vec<String> {
        value
            .split(',')
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let equality = |what: &str| -> Result<bool, String> {
        match cmp {
            Cmp::Eq => Ok(true),
            Cmp::Ne => Ok(false),
            _ => Err(bad(crate::tr!("filters-error-not-comparison", what = what))),
        }
    };
    if let Some(prop) = name.strip_prefix("prop:") {
        let prop = prop.trim();
        if prop.is_empty() {
            return Err(bad(crate::tr!("filters-error-no-property")));
        }
        if !matches!(cmp, Cmp::Eq | Cmp::Ne) && value.parse::<f64>().is_err() {
            return Err(bad(crate::tr!(
                "filters-error-not-number-compare",
                value = value
            )));
        }
        return Ok(Condition::Prop {
            name: prop.to_string(),
            cmp,
            value: value.to_string(),
        });
    }
    let lower = name.to_ascii_lowercase();
    let (base, side) = match lower.split_once(['.', ':']) {
        Some((b, s)) => (b.to_string(), Some(s.trim().to_string())),
        None => (lower.clone(), None),
    };
    match base.as_str() {
        "killed" | "dead" | "injured" | "wounded" | "evacuated" => {
            let count = match base.as_str() {
                "killed" | "dead" => Count::Killed,
                "injured" | "wounded" => Count::Injured,
                _ => Count::Evacuated,
            };
            let number: f64 = value
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| bad(crate::tr!("filters-error-not-number", value = value)))?;
            Ok(Condition::Figure {
                count,
                side: side
                    .map(|s| s.to_ascii_uppercase())
                    .filter(|s| !s.is_empty()),
                cmp,
                value: number,
            })
        }
        _ if side.is_some() => Err(bad(crate::tr!("filters-error-side", name = name))),
        "kind" | "type" => {
            let kinds = list()
                .iter()
                .map(|k| {
                    let kind = EventKind::parse(k);
                    (kind != EventKind::Other || k == "other")
                        .then_some(kind)
                        .ok_or_else(|| {
                            let known: Vec<String> =
                                EventKind::ALL.iter().map(|k| kind_key(*k)).collect();
                            bad(crate::tr!(
                                "filters-error-unknown-kind",
                                kind = k.as_str(),
                                known = known.join(", ")
                            ))
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Condition::Kind(equality("kind")?, kinds))
        }
        "side" => Ok(Condition::Side(
            equality("side")?,
            list().iter().map(|s| s.to_ascii_uppercase()).collect(),
        )),
        "claimant" | "by" => Ok(Condition::Claimant(
            equality("claimant")?,
            value.to_lowercase(),
        )),
        "precision" | "location_precision" => {
            Ok(Condition::Precision(equality("precision")?, list()))
        }
        "time_precision" => Ok(Condition::TimePrecision(
            equality("time_precision")?,
            list(),
        )),
        "source" | "publisher" => Ok(Condition::Source(equality("source")?, value.to_lowercase())),
        "text" => Ok(Condition::Text(equality("text")?, value.to_lowercase())),
        other => Err(bad(crate::tr!(
            "filters-error-unknown-name",
            name = other,
            expected = EXPECTED
        ))),
    }
}

/// How a kind is written in an expression: `clash`, `drone_strike`.
fn kind_key(kind: EventKind) -> String {
    kind.label().to_ascii_lowercase().replace([' ', '-'], "_")
}

/// `NAME`, operator, `VALUE`: the first operator in the text.
fn split(expr: &str) -> Option<(&str, Cmp, &str)> {
    let i = expr.find(['=', '!', '>', '<'])?;
    let rest = &expr[i..];
    let (cmp, len) = if rest.starts_with(">=") {
        (Cmp::Ge, 2)
    } else if rest.starts_with("<=") {
        (Cmp::Le, 2)
    } else if rest.starts_with("!=") {
        (Cmp::Ne, 2)
    } else if rest.starts_with('>') {
        (Cmp::Gt, 1)
    } else if rest.starts_with('<') {
        (Cmp::Lt, 1)
    } else if rest.starts_with('=') {
        (Cmp::Eq, 1)
    } else {
        return None;
    };
    let name = &expr[..i];
    (!name.trim().is_empty()).then(|| (name, cmp, &rest[len..]))
}

fn figure(claim: &super::event::Claim, count: Count) -> Option<&Figure> {
    match count {
        Count::Killed => claim.killed.as_ref(),
        Count::Injured => claim.injured.as_ref(),
        Count::Evacuated => claim.evacuated.as_ref(),
    }
}

/// Whether an event condition holds for a record (equality conditions: `true` for `=`).
fn event_holds(c: &Condition, r: &EventRecord) -> bool {
    let has = |text: &str, needle: &str| text.to_lowercase().contains(needle);
    match c {
        Condition::Kind(eq, kinds) => kinds.contains(&r.kind) == *eq,
        Condition::Figure {
            count,
            side,
            cmp,
            value,
        } => r.claims.iter().any(|claim| {
            side.as_ref()
                .is_none_or(|s| claim.side.eq_ignore_ascii_case(s))
                && figure(claim, *count).is_some_and(|f| cmp.holds(f.lower_bound(), *value))
        }),
        Condition::Side(eq, sides) => {
            r.claims
                .iter()
                .any(|claim| sides.iter().any(|s| claim.side.eq_ignore_ascii_case(s)))
                == *eq
        }
        Condition::Claimant(eq, text) => r.claims.iter().any(|claim| has(&claim.by, text)) == *eq,
        Condition::Precision(eq, values) => {
            let p = r.location_precision.to_ascii_lowercase();
            let hit =
                values.contains(&p) || (r.estimated && values.iter().any(|v| v == "estimated"));
            hit == *eq
        }
        Condition::TimePrecision(eq, values) => {
            values.contains(&r.time_precision.to_ascii_lowercase()) == *eq
        }
        Condition::Source(eq, text) => {
            r.sources
                .iter()
                .any(|s| has(&s.title, text) || s.url.as_deref().is_some_and(|u| has(u, text)))
                == *eq
        }
        Condition::Text(eq, text) => {
            let hit = has(&r.title, text)
                || has(&r.place, text)
                || has(&r.summary, text)
                || r.claims
                    .iter()
                    .any(|c| has(&c.account, text) || has(&c.by, text));
            hit == *eq
        }
        Condition::Prop { .. } => true,
    }
}

/// Whether a property read as text compares so; a missing one (`None`) never holds (but
/// for `!=`).
fn prop_text_holds(text: Option<&str>, cmp: Cmp, value: &str) -> bool {
    let Some(text) = text else {
        return cmp == Cmp::Ne;
    };
    if let (Ok(a), Ok(b)) = (text.parse::<f64>(), value.parse::<f64>()) {
        return cmp.holds(a, b);
    }
    // `=A|B`: any of them; `!=A|B`: none of them.
    if matches!(cmp, Cmp::Eq | Cmp::Ne) && value.contains('|') {
        let any = value
            .split('|')
            .any(|v| prop_text_holds(Some(text), Cmp::Eq, v.trim()));
        return any == (cmp == Cmp::Eq);
    }
    match cmp {
        Cmp::Eq => text.eq_ignore_ascii_case(value),
        Cmp::Ne => !text.eq_ignore_ascii_case(value),
        // A comparison with text that is not a number does not hold.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimeSpan;
    use serde_json::{Map, Value};

    fn with_properties(props: Value) -> Feature {
        let raw = serde_json::value::to_raw_value(&props).unwrap();
        Feature {
            given_id: None,
            shape: None,
            properties: Some(crate::model::Properties::Json(raw)),
            span: None,
            line: 0,
        }
    }

    fn event(props: Value) -> Feature {
        let t: jiff::Timestamp = "2022-09-16T00:00:00Z".parse().unwrap();
        Feature {
            span: Some(TimeSpan::instant(t)),
            ..with_properties(props)
        }
    }

    fn clash(killed: f64, side: &str) -> Feature {
        event(serde_json::json!({
            "title": "Mortar fire at Kok-Tash", "kind": "clash", "place": "Kok-Tash",
            "location_precision": "settlement", "time_precision": "minute",
            "summary": "Shelling of the village.",
            "claims": [{"by": "Kyrgyz health ministry", "side": side, "killed": killed,
                        "injured": 20}],
            "sources": [{"title": "Reuters, 16 Sep 2022", "url": "https://reuters.com/x"}],
        }))
    }

    /// A property judged from the whole map of properties: what one cell must agree with.
    fn prop_holds(props: &Map<String, Value>, name: &str, cmp: Cmp, value: &str) -> bool {
        let found = props
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v);
        let text = found.filter(|v| !v.is_null()).map(|v| match v {
            Value::String(s) => s.trim().to_string(),
            other => other.to_string(),
        });
        prop_text_holds(text.as_deref(), cmp, value)
    }

    fn passes(exprs: &[&str], f: &Feature) -> bool {
        Filter::parse_all(exprs).unwrap().passes(f, 0, 0, false)
    }

    #[test]
    fn each_operator_and_name_on_an_event() {
        let f = clash(12.0, "KG");
        for (exprs, expected) in [
            (&["kind=clash"][..], true),
            (&["kind=shelling,clash"], true),
            (&["kind!=clash"], false),
            (&["killed>=10"], true),
            (&["killed>12"], false),
            (&["killed<=12", "killed<13", "killed=12"], true),
            (&["killed!=12"], false),
            (&["killed.KG>=10"], true),
            (&["killed.TJ>=10"], false),
            (&["injured>=20"], true),
            (&["evacuated>=1"], false),
            (&["side=KG"], true),
            (&["side=TJ,independent"], false),
            (&["side!=TJ"], true),
            (&["claimant=health"], true),
            (&["claimant!=Health"], false),
            (&["precision!=estimated"], true),
            (&["precision=settlement,site"], true),
            (&["time_precision=minute"], true),
            (&["time_precision=day"], false),
            (&["source=reuters"], true),
            (&["text=KOK-TASH"], true),
            (&["text=mortar", "kind=clash", "side=KG"], true),
            (&["text=drone"], false),
        ] {
            assert_eq!(passes(exprs, &f), expected, "{exprs:?}");
        }
    }

    #[test]
    fn timeless_features_pass_event_conditions_and_bundled_layers_pass_props() {
        let border = with_properties(serde_json::json!({"name": "border"}));
        assert!(passes(&["kind=clash", "killed>=100"], &border));
        let f = Filter::parse_all(&["prop:fatalities>=1"]).unwrap();
        assert!(
            f.passes(&clash(1.0, "KG"), 0, 0, false),
            "bundled: props ignored"
        );
        assert!(
            !f.passes(&clash(1.0, "KG"), 0, 0, true),
            "a user layer without it"
        );
    }

    #[test]
    fn properties_compare_as_numbers_or_as_text() {
        let acled = |fatalities: &str, kind: &str| {
            event(serde_json::json!({"event_type": kind, "fatalities": fatalities}))
        };
        let f = |e: &[&str], x: &Feature| Filter::parse_all(e).unwrap().passes(x, 1, 0, true);
        let a = acled("3", "Battles");
        assert!(f(&["prop:fatalities>=1"], &a));
        assert!(!f(&["prop:fatalities>3"], &a));
        assert!(
            f(&["prop:FATALITIES=3"], &a),
            "names without regard to case"
        );
        assert!(f(&["prop:event_type=battles"], &a));
        assert!(!f(&["prop:event_type!=Battles"], &a));
        assert!(!f(&["prop:missing=1"], &a));
        assert!(f(&["prop:missing!=1"], &a));
        // A number as JSON, not text.
        let n = event(serde_json::json!({"fatalities": 7}));
        assert!(f(&["prop:fatalities>=7"], &n));
        // Any of several values, or none of them.
        assert!(f(&["prop:event_type=Riots|Battles"], &a));
        assert!(!f(&["prop:event_type=Riots|Protests"], &a));
        assert!(!f(&["prop:event_type!=Riots|battles"], &a));
        assert!(f(&["prop:event_type!=Riots|Protests"], &a));
    }

    #[test]
    fn a_property_summary_gives_its_range_and_few_values() {
        let features: Vec<Feature> = [("3", "Battles"), ("0", "Riots"), ("12", "Battles")]
            .iter()
            .map(|(n, k)| with_properties(serde_json::json!({"fatalities": n, "event_type": k})))
            .chain([with_properties(serde_json::json!({"notes": "x"}))])
            .collect();
        let s = PropertySummary::of(&features, "fatalities");
        assert_eq!(s.range, Some((0.0, 12.0)));
        assert_eq!(s.missing, 1);
        let s = PropertySummary::of(&features, "event_type");
        assert_eq!(s.range, None);
        assert_eq!(
            s.values,
            Some(vec![("Battles".to_string(), 2), ("Riots".to_string(), 1)])
        );
        let many: Vec<Feature> = (0..100)
            .map(|i| with_properties(serde_json::json!({ "id": format!("x{i}") })))
            .collect();
        assert_eq!(
            PropertySummary::of(&many, "id").values,
            None,
            "too many to list"
        );
    }

    #[test]
    fn a_table_row_is_judged_by_its_cell_as_its_properties_would_be() {
        let dir = std::env::temp_dir().join(format!("bordermap-filter-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("acled.csv");
        std::fs::write(
            &path,
            "event_date,event_type,latitude,longitude,fatalities\n\
             2022-09-14,Battles,39.9,70.6,3\n\
             2022-09-15,Protests,39.9,70.6,0\n\
             2022-09-16,battles,39.9,70.6,\n",
        )
        .unwrap();
        let layer = crate::io::read_path(&path, &crate::io::ReadOptions::default()).unwrap();
        assert_eq!(layer.features.len(), 3);
        for (exprs, expected) in [
            (&["prop:fatalities>=1"][..], [true, false, false]),
            (&["prop:FATALITIES=0"], [false, true, false]),
            (&["prop:event_type=BATTLES"], [true, false, true]),
            (&["prop:fatalities!=3"], [false, true, true]),
        ] {
            let f = Filter::parse_all(exprs).unwrap();
            let got: Vec<bool> = layer
                .features
                .iter()
                .map(|x| f.passes(x, 0, 0, true))
                .collect();
            // The cell and the whole row's properties agree.
            let slow: Vec<bool> = layer
                .features
                .iter()
                .map(|x| {
                    let props = x.properties_map();
                    f.conditions.iter().all(|(_, c)| match c {
                        Condition::Prop { name, cmp, value } => {
                            prop_holds(&props, name, *cmp, value)
                        }
                        _ => true,
                    })
                })
                .collect();
            assert_eq!(got, expected, "{exprs:?}");
            assert_eq!(got, slow, "{exprs:?}");
        }
        // Event conditions judged from the kind read at load and the row's facts agree with
        // the whole record.
        for expr in [
            "kind=clash",
            "kind!=shelling,clash",
            "killed>=1",
            "killed.media>=1",
            "side=media",
            "precision=estimated",
            "precision!=settlement",
            "time_precision=day",
            "text=battles",
        ] {
            let f = Filter::parse_all(&[expr]).unwrap();
            for (i, x) in layer.features.iter().enumerate() {
                let record = EventRecord::from_feature(0, i as u32, x).expect("dated");
                let slow = f.conditions.iter().all(|(_, c)| event_holds(c, &record));
                let kind = Some(record.kind);
                assert_eq!(
                    f.passes_known(x, 0, i as u32, true, kind),
                    slow,
                    "{expr} row {i}"
                );
                assert_eq!(f.passes(x, 0, i as u32, true), slow, "{expr} row {i}");
            }
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn bad_expressions_say_what_could_not_be_read() {
        for (expr, says) in [
            ("killed", "expected NAME OPERATOR VALUE"),
            ("=3", "expected NAME OPERATOR VALUE"),
            ("killed>=", "no value"),
            ("killed>=many", "'many' is not a number"),
            ("killed>=inf", "'inf' is not a number"),
            ("kind=picnic", "unknown kind 'picnic'"),
            ("kind>=clash", "takes = or !="),
            ("side>KG", "takes = or !="),
            ("colour=red", "unknown name 'colour'"),
            ("prop:=3", "no property name"),
            ("prop:fatalities>=some", "not a number"),
            ("kind.KG=clash", "take a side"),
        ] {
            let e = parse(expr).unwrap_err();
            assert!(e.contains(says), "{expr}: {e}");
            assert!(e.contains(expr.trim()), "names the expression: {e}");
        }
        assert!(parse(&"x".repeat(10_000)).unwrap_err().contains("too long"));
        // Non-ASCII text does not upset the split.
        assert!(matches!(parse("text=Ворух"), Ok(Condition::Text(true, t)) if t == "ворух"));
        assert!(parse("текст=1").is_err());
    }

    #[test]
    fn the_kind_chips_edit_one_kind_condition() {
        let f = Filter::parse_all(&["killed>=1", "kind!=clash"]).unwrap();
        assert_eq!(f.hidden_kinds(), vec![EventKind::Clash]);
        let g = f.with_hidden_kinds(&[EventKind::Clash, EventKind::DroneStrike]);
        assert_eq!(g.exprs(), vec!["killed>=1", "kind!=clash,drone_strike"]);
        assert_eq!(
            Filter::parse_all(&g.exprs()).unwrap(),
            g,
            "the text reads back"
        );
        assert_eq!(g.with_hidden_kinds(&[]).exprs(), vec!["killed>=1"]);
    }

    #[test]
    fn a_filter_keeps_its_expressions_once_each() {
        let mut f = Filter::parse_all(&["kind=clash", " killed>=10 "]).unwrap();
        f.add("kind=clash").unwrap();
        assert_eq!(f.exprs(), vec!["kind=clash", "killed>=10"]);
        f.remove(0);
        assert_eq!(f.exprs(), vec!["killed>=10"]);
        assert!(f.add("nonsense").is_err());
        assert_eq!(f.len(), 1);
    }
}
