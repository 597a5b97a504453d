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

/// The inspector for `selection`.
pub fn inspector_ui(
    ds: &Dataset,
    selection: FeatureRef,
    zone: DisplayZone,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.heading("Details");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Close")
                .on_hover_text("Clear the selection (Esc)")
                .clicked()
            {
                commands.push(Command::Select(None));
            }
            if ui.button("Zoom to").clicked() {
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

/// How far each point of the feature is from the Kyrgyz–Tajik line, and on which side.
fn border_ui(ds: &Dataset, r: FeatureRef, ui: &mut Ui) {
    let Some(index) = crate::io::bundled::border_index() else {
        return;
    };
    let points: Vec<[f64; 2]> = match ds.feature(r).and_then(|f| f.geometry.as_ref()) {
        Some(geo::Geometry::Point(p)) => vec![[p.x(), p.y()]],
        Some(geo::Geometry::MultiPoint(m)) => m.iter().map(|p| [p.x(), p.y()]).collect(),
        _ => return,
    };
    ui.add_space(4.0);
    ui.label(RichText::new("Against the Kyrgyz–Tajik line").strong());
    let many = points.len() > 1;
    for (i, p) in points.iter().take(12).enumerate() {
        let Some(placed) = index.place(*p) else {
            continue;
        };
        let label = if many {
            format!("Point {}:", i + 1)
        } else {
            "Border:".to_string()
        };
        row(
            ui,
            &label,
            &format!(
                "{} from the line · in {}",
                crate::instruments::geodesy::format_distance(placed.metres),
                placed.side()
            ),
        );
    }
    ui.label(
        RichText::new(
            "Geodesic distance to the 2017 OpenStreetMap line (with Vorukh's outline), before \
             the 2025 treaty; the side is read from the bundled border data.",
        )
        .weak()
        .small(),
    );
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
            format!(
                "{name} (±{radius} km, {} from the line)",
                crate::instruments::geodesy::format_distance(*metres)
            )
        })
        .collect();
    ui.label(
        RichText::new("Side uncertain")
            .strong()
            .color(egui::Color32::from_rgb(0xb3, 0x5c, 0x00)),
    )
    .on_hover_text("Which side of the border it happened on is itself what the sides dispute");
    ui.label(format!(
        "The precision area of {} reaches across the Kyrgyz–Tajik line (2017 line).",
        sites.join(", ")
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
            RichText::new(format!(" {} ", e.kind.label()))
                .color(Color32::WHITE)
                .background_color(kind_color(e.kind)),
        );
        if e.estimated {
            ui.label(
                RichText::new(" location estimated ")
                    .background_color(Color32::from_rgb(0xff, 0xe0, 0x8a)),
            );
        }
    });
    ui.add_space(4.0);
    let day_only = crate::model::event::is_day_only(&e.time_precision)
        .then(|| crate::time::format_day_span(&e.start_text, e.span.end))
        .flatten();
    let when = if let Some(days) = day_only {
        format!("{days}, known only to the day")
    } else if e.span.start == e.span.end {
        zone.format(e.span.start)
    } else {
        format!(
            "{} – {}",
            zone.format(e.span.start),
            zone.format(e.span.end)
        )
    };
    row(ui, "When:", &when);
    if !e.start_text.is_empty() {
        row(
            ui,
            "As reported:",
            &format!(
                "{} ({} precision)",
                crate::time::format_reported(&e.start_text, &e.time_precision),
                e.time_precision
            ),
        );
    }
    row(ui, "Clock:", &e.time_note);
    row(ui, "Where:", &e.place);
    row(ui, "Location precision:", &e.location_precision);
    row(ui, "How placed:", &e.location_note);
    row(ui, "How drawn:", &e.drawn_how);
    side_uncertain_ui(e, ui);
    ui.add_space(4.0);
    if !e.summary.is_empty() {
        ui.label(&e.summary);
    }
    if !e.claims.is_empty() {
        ui.add_space(6.0);
        ui.label(
            RichText::new("Claims (each claimant's own figures and words, never merged)").strong(),
        );
        ui.label(
            RichText::new("≥ at least · > more than · ≈ about · ≤ up to; a breakdown has no total")
                .small()
                .weak(),
        );
        let any_displaced = e.claims.iter().any(|c| c.displaced.is_some());
        let any_account = e.claims.iter().any(|c| !c.account.is_empty());
        let mut headers = vec!["Who claims", "Side", "Killed", "Injured", "Evacuated"];
        if any_displaced {
            headers.push("Displaced");
        }
        if any_account {
            headers.push("Account");
        }
        headers.extend(["Reported", "Source"]);
        egui::Grid::new(("claims", &e.id))
            .striped(true)
            .num_columns(headers.len())
            .show(ui, |ui| {
                for h in &headers {
                    ui.label(RichText::new(*h).small().strong());
                }
                ui.end_row();
                let fmt = |v: &Option<crate::model::event::Figure>| {
                    v.as_ref().map_or("—".to_string(), |v| v.to_string())
                };
                for c in &e.claims {
                    let who = if c.via.is_empty() {
                        c.by.clone()
                    } else {
                        format!("{} (via {})", c.by, c.via)
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
                        "When the claim was reported"
                    } else {
                        "Its source is not pinned down: reported between these dates"
                    });
                    let label = if c.source_id.is_empty() {
                        "link".to_string()
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
                            ui.label(format!("{label} (no address known)"))
                                .on_hover_text(format!("{}, {}. {}", s.title, s.published, s.note));
                        }
                        (None, None) => {
                            ui.label(if c.note.is_empty() {
                                "—".to_string()
                            } else {
                                "see note".to_string()
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
        ui.label(RichText::new("Sources").strong());
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
                    ui.label(RichText::new("no address known").weak());
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
                .and_then(|d| d.name.clone())
                .unwrap_or_else(|| format!("Feature {}", r.feature + 1)),
        )
        .size(16.0)
        .strong(),
    );
    ui.label(RichText::new(format!("{} · feature {}", entry.layer.name, r.feature + 1)).weak());
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
