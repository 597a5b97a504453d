//! The inspector: everything about the selected feature. For an event: when (in the display
//! zone, and as the source wrote it), where (with its precision, estimated or not), what, each
//! side's claims side by side with their sources, and the sources as links. For any other
//! feature: all its properties, links clickable.

use egui::{Color32, RichText, Ui};

use crate::map::style::kind_color;
use crate::model::dataset::Dataset;
use crate::model::event::Event;
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
            if let Some(e) = ds.event_of(selection) {
                event_ui(e, zone, ui);
            } else {
                properties_ui(ds, selection, ui);
            }
        });
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

fn event_ui(e: &Event, zone: DisplayZone, ui: &mut Ui) {
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
    let when = if e.span.start == e.span.end {
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
            &format!("{} ({} precision)", e.start_text, e.time_precision),
        );
    }
    row(ui, "Clock:", &e.time_note);
    row(ui, "Where:", &e.place);
    row(ui, "Location precision:", &e.location_precision);
    row(ui, "How placed:", &e.location_note);
    row(ui, "How drawn:", &e.drawn_how);
    ui.add_space(4.0);
    if !e.summary.is_empty() {
        ui.label(&e.summary);
    }
    if !e.claims.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new("Claims (each side's own figures, never merged)").strong());
        egui::Grid::new(("claims", &e.id))
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for h in [
                    "Who claims",
                    "Side",
                    "Killed",
                    "Injured",
                    "Evacuated",
                    "Source",
                ] {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                let fmt = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v}"));
                for c in &e.claims {
                    ui.label(&c.by).on_hover_text(&c.note);
                    ui.label(&c.side);
                    ui.label(fmt(c.killed));
                    ui.label(fmt(c.injured));
                    ui.label(fmt(c.evacuated));
                    let label = if c.source_id.is_empty() {
                        "link".to_string()
                    } else {
                        c.source_id.clone()
                    };
                    match &c.source_url {
                        Some(url) => {
                            ui.hyperlink_to(label, url);
                        }
                        None => {
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
