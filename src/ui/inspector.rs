//! The inspector: everything about the selected feature. For an event: when (in the display
//! zone, and as the source wrote it), where (with its precision, estimated or not), what, each
//! side's claims side by side with their sources, and the sources as links. For any other
//! feature: all its properties, links clickable.

use egui::{Color32, RichText, Ui};

use crate::map::style::kind_color;
use crate::model::dataset::Dataset;
use crate::model::event::EventRecord;
use crate::time::{DisplayZone, FeatureRef};

use crate::command::Command;
use crate::instruments::border::Placement;
use crate::tr;

/// The inspector for `selection`.
pub fn inspector_ui(
    ds: &Dataset,
    selection: FeatureRef,
    zone: DisplayZone,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading(tr!("inspector-heading"));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(tr!("close"))
                .on_hover_text(tr!("inspector-close-tip"))
                .clicked()
            {
                commands.push(Command::Select(None));
            }
            if ui.button(tr!("inspector-zoom-to")).clicked() {
                commands.push(Command::CenterOn(selection));
            }
        });
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("inspector")
        .show(ui, |ui| {
            if let Some(e) = ds.record_of(selection) {
                event_ui(&e, zone, ui);
            } else {
                properties_ui(ds, selection, ui);
            }
            border_ui(ds, selection, ui);
        });
}

/// The side a point lies on, in the interface's language (the country names are data).
fn side_text(placed: &Placement) -> String {
    match (&placed.country, &placed.enclave) {
        (_, Some((enclave, owner))) => tr!(
            "inspector-side-enclave",
            owner = owner.as_str(),
            enclave = enclave.as_str()
        ),
        (Some(country), None) => country.clone(),
        (None, None) => tr!("inspector-side-outside"),
    }
}

/// How far each point of the feature is from the Kyrgyz–Tajik line, and on which side.
fn border_ui(ds: &Dataset, r: FeatureRef, ui: &mut Ui) {
    let Some(index) = crate::io::bundled::border_index() else {
        return;
    };
    let geometry = ds.feature(r).and_then(|f| f.geometry());
    let points: Vec<[f64; 2]> = match geometry.as_deref() {
        Some(geo::Geometry::Point(p)) => vec![[p.x(), p.y()]],
        Some(geo::Geometry::MultiPoint(m)) => m.iter().map(|p| [p.x(), p.y()]).collect(),
        _ => return,
    };
    ui.add_space(4.0);
    ui.label(RichText::new(tr!("inspector-border-heading")).strong());
    let many = points.len() > 1;
    for (i, p) in points.iter().take(12).enumerate() {
        let Some(placed) = index.place(*p) else {
            continue;
        };
        let label = if many {
            tr!("inspector-point", n = i + 1)
        } else {
            tr!("inspector-border")
        };
        row(
            ui,
            &label,
            &tr!(
                "inspector-border-distance",
                distance = crate::instruments::geodesy::format_distance(placed.metres),
                side = side_text(&placed)
            ),
        );
    }
    ui.label(RichText::new(tr!("inspector-border-note")).weak().small());
}

/// "Side uncertain" when a site's precision area reaches across the Kyrgyz–Tajik line.
fn side_uncertain_ui(e: &EventRecord, ui: &mut Ui) {
    let Some(index) = crate::io::bundled::border_index() else {
        return;
    };
    let straddling = index.straddling(e.site_areas());
    if straddling.is_empty() {
        return;
    }
    let sites: Vec<String> = straddling
        .iter()
        .map(|(name, metres)| {
            let radius = e
                .sites
                .iter()
                .find(|s| s.name == *name)
                .map_or(0.0, |s| s.radius_km);
            tr!(
                "inspector-site-uncertain",
                name = name.to_string(),
                radius = radius.to_string(),
                distance = crate::instruments::geodesy::format_distance(*metres)
            )
        })
        .collect();
    ui.label(
        RichText::new(tr!("inspector-side-uncertain"))
            .strong()
            .color(egui::Color32::from_rgb(0xb3, 0x5c, 0x00)),
    )
    .on_hover_text(tr!("inspector-side-uncertain-tip"));
    ui.label(tr!(
        "inspector-side-uncertain-text",
        sites = sites.join(", ")
    ));
}

fn row(ui: &mut Ui, label: &str, value: &str) {
    if value.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(label).strong());
        ui.label(value);
    });
}

fn event_ui(e: &EventRecord, zone: DisplayZone, ui: &mut Ui) {
    ui.label(RichText::new(&e.title).size(16.0).strong());
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(" {} ", e.kind.label_tr()))
                .color(Color32::WHITE)
                .background_color(kind_color(e.kind)),
        );
        if e.estimated {
            ui.label(
                RichText::new(format!(" {} ", tr!("inspector-estimated")))
                    .background_color(Color32::from_rgb(0xff, 0xe0, 0x8a)),
            );
        }
    });
    ui.add_space(4.0);
    let day_only = crate::model::event::is_day_only(&e.time_precision)
        .then(|| crate::time::format_day_span(&e.start_text, e.span.end()))
        .flatten();
    let when = if let Some(days) = day_only {
        tr!("inspector-day-only", days = days)
    } else if e.span.start() == e.span.end() {
        zone.format(e.span.start())
    } else {
        format!(
            "{} – {}",
            zone.format(e.span.start()),
            zone.format(e.span.end())
        )
    };
    row(ui, &tr!("inspector-when"), &when);
    if !e.start_text.is_empty() {
        row(
            ui,
            &tr!("inspector-as-reported"),
            &tr!(
                "inspector-reported-precision",
                time = crate::time::format_reported(&e.start_text, &e.time_precision),
                precision = e.time_precision.as_str()
            ),
        );
    }
    row(ui, &tr!("inspector-clock"), &e.time_note);
    row(ui, &tr!("inspector-where"), &e.place);
    row(
        ui,
        &tr!("inspector-location-precision"),
        &e.location_precision,
    );
    row(ui, &tr!("inspector-how-placed"), &e.location_note);
    row(ui, &tr!("inspector-how-drawn"), &e.drawn_how);
    side_uncertain_ui(e, ui);
    ui.add_space(4.0);
    if !e.summary.is_empty() {
        ui.label(&e.summary);
    }
    if !e.claims.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new(tr!("inspector-claims")).strong());
        ui.label(RichText::new(tr!("inspector-qualifiers")).small().weak());
        let any_displaced = e.claims.iter().any(|c| c.displaced.is_some());
        let any_account = e.claims.iter().any(|c| !c.account.is_empty());
        let mut headers = vec![
            tr!("inspector-col-who"),
            tr!("inspector-col-side"),
            tr!("inspector-col-killed"),
            tr!("inspector-col-injured"),
            tr!("inspector-col-evacuated"),
        ];
        if any_displaced {
            headers.push(tr!("inspector-col-displaced"));
        }
        if any_account {
            headers.push(tr!("inspector-col-account"));
        }
        headers.extend([tr!("inspector-col-reported"), tr!("inspector-col-source")]);
        egui::Grid::new(("claims", &e.id))
            .striped(true)
            .num_columns(headers.len())
            .show(ui, |ui| {
                for h in &headers {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                let fmt = |v: &Option<crate::model::event::Figure>| {
                    v.as_ref().map_or("—".to_string(), |v| v.to_string())
                };
                for c in &e.claims {
                    let who = if c.via.is_empty() {
                        c.by.clone()
                    } else {
                        tr!("inspector-by-via", by = c.by.as_str(), via = c.via.as_str())
                    };
                    ui.label(who).on_hover_text(&c.note);
                    ui.label(&c.side);
                    ui.label(fmt(&c.killed));
                    ui.label(fmt(&c.injured));
                    ui.label(fmt(&c.evacuated));
                    if any_displaced {
                        ui.label(fmt(&c.displaced));
                    }
                    if any_account {
                        ui.scope(|ui| {
                            ui.set_max_width(240.0);
                            ui.add(
                                egui::Label::new(if c.account.is_empty() {
                                    "—".to_string()
                                } else {
                                    format!("“{}”", c.account)
                                })
                                .wrap(),
                            );
                        });
                    }
                    let reported = c.reported_text();
                    ui.label(if reported.is_empty() {
                        "—".to_string()
                    } else {
                        reported
                    })
                    .on_hover_text(if c.reported_latest.is_empty() {
                        tr!("inspector-reported-tip")
                    } else {
                        tr!("inspector-reported-range-tip")
                    });
                    let label = if c.source_id.is_empty() {
                        tr!("inspector-link")
                    } else {
                        c.source_id.clone()
                    };
                    let known = e
                        .sources
                        .iter()
                        .find(|s| !c.source_id.is_empty() && s.id == c.source_id);
                    match (&c.source_url, known) {
                        (Some(url), _) => {
                            ui.hyperlink_to(label, url);
                        }
                        (None, Some(s)) => {
                            // A source with no known address: its headline and date.
                            ui.label(tr!("inspector-source-no-address", source = label))
                                .on_hover_text(format!("{}, {}. {}", s.title, s.published, s.note));
                        }
                        (None, None) => {
                            ui.label(if c.note.is_empty() {
                                "—".to_string()
                            } else {
                                tr!("inspector-see-note")
                            })
                            .on_hover_text(&c.note);
                        }
                    }
                    ui.end_row();
                }
            });
        for c in e.claims.iter().filter(|c| !c.note.is_empty()) {
            ui.label(RichText::new(format!("{}: {}", c.by, c.note)).small());
        }
    }
    if !e.sources.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new(tr!("inspector-sources")).strong());
        for s in &e.sources {
            ui.horizontal_wrapped(|ui| {
                if !s.id.is_empty() {
                    ui.label(RichText::new(&s.id).monospace());
                }
                let title = if s.title.is_empty() {
                    s.url.clone().unwrap_or_default()
                } else {
                    s.title.clone()
                };
                match &s.url {
                    Some(url) => {
                        ui.hyperlink_to(title, url).on_hover_text(url);
                    }
                    None => {
                        ui.label(title);
                    }
                }
                if !s.published.is_empty() {
                    ui.label(RichText::new(&s.published).weak());
                }
                if s.url.is_none() && s.note.is_empty() {
                    ui.label(RichText::new(tr!("inspector-no-address")).weak());
                }
                if !s.note.is_empty() {
                    ui.label(RichText::new(&s.note).small().weak());
                }
            });
        }
    }
}

fn properties_ui(ds: &Dataset, r: FeatureRef, ui: &mut Ui) {
    let Some(entry) = ds.layers.get(r.layer as usize) else {
        return;
    };
    let Some(feature) = entry.layer.features.get(r.feature as usize) else {
        return;
    };
    ui.label(
        RichText::new(
            ds.draw(r)
                .and_then(|d| d.name().map(str::to_string))
                .unwrap_or_else(|| tr!("inspector-feature", n = r.feature + 1)),
        )
        .size(16.0)
        .strong(),
    );
    ui.label(
        RichText::new(tr!(
            "inspector-feature-of-layer",
            layer = entry.layer.name.as_str(),
            n = r.feature + 1
        ))
        .weak(),
    );
    ui.add_space(4.0);
    egui::Grid::new(("props", r.layer, r.feature))
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for (k, v) in feature.properties_map() {
                ui.label(RichText::new(k).strong());
                match v {
                    serde_json::Value::String(s)
                        if s.starts_with("http://") || s.starts_with("https://") =>
                    {
                        ui.hyperlink(s);
                    }
                    serde_json::Value::String(s) => {
                        ui.add(egui::Label::new(s).wrap());
                    }
                    other => {
                        ui.add(egui::Label::new(other.to_string()).wrap());
                    }
                }
                ui.end_row();
            }
        });
}
