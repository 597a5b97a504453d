//! The filter bar above the event list: the active conditions as chips (each removable),
//! how many events pass ("12 of 32"), one click to clear, and a box to add a condition typed
//! as an expression (`kind=clash`, `killed>=10`, `side=KG`, `prop:fatalities>=1`), and
//! saving the features shown as GeoJSON or CSV.

use egui::{Color32, RichText, Ui};

use crate::command::Command;
use crate::model::dataset::{Dataset, LayerId, LayerRole};
use crate::model::filter::{Filter, PropertySummary};
use crate::tr;

/// The filter bar's own state: the expression being typed and why it cannot be read.
#[derive(Clone, Debug, Default)]
pub struct FilterPanel {
    /// What is typed.
    pub text: String,
    /// Why it cannot be read.
    pub error: Option<String>,
    /// Where to save the features shown (.geojson or .csv).
    pub save_path: String,
    /// Picking a condition on a user layer's property.
    pub pick: PropertyPick,
}

/// A condition picked on a user layer's property: its values when they are few, its range
/// when it is numeric (ACLED's `event_type`, `fatalities`, `geo_precision`).
#[derive(Clone, Debug, Default)]
pub struct PropertyPick {
    /// The layer.
    pub layer: Option<LayerId>,
    /// The property.
    pub property: String,
    /// What the property holds (read when it was picked).
    summary: Option<PropertySummary>,
    /// The values ticked.
    pub chosen: Vec<String>,
    /// The range asked for.
    pub range: (f64, f64),
}

/// The filter bar.
pub fn filter_bar_ui(
    ds: &Dataset,
    filter: &Filter,
    pending: bool,
    state: &mut FilterPanel,
    ui: &mut Ui,
    c: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new(tr!("filters-label")).strong());
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.text)
                    .desired_width((ui.available_width() - 70.0).max(60.0))
                    .hint_text(tr!("filters-hint")),
            )
            .labelled_by(label.id);
        if edit.changed() {
            state.error = None;
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let text = state.text.trim().to_string();
        if (ui
            .add_enabled(!text.is_empty(), egui::Button::new(tr!("filters-add")))
            .clicked()
            || enter)
            && !text.is_empty()
        {
            let mut next = filter.clone();
            match next.add(&text) {
                Ok(()) => {
                    c.push(Command::SetFilter(next));
                    state.text.clear();
                }
                Err(e) => state.error = Some(e),
            }
        }
    });
    if let Some(e) = &state.error {
        ui.label(
            RichText::new(e)
                .color(Color32::from_rgb(0xc0, 0x20, 0x20))
                .small(),
        );
    }
    ui.horizontal(|ui| {
        let label = ui.label(tr!("filters-shown-to"));
        ui.add(
            egui::TextEdit::singleline(&mut state.save_path)
                .desired_width((ui.available_width() - 70.0).max(60.0))
                .hint_text(tr!("filters-save-hint")),
        )
        .labelled_by(label.id);
        let path = state.save_path.trim();
        if ui
            .add_enabled(!path.is_empty(), egui::Button::new(tr!("save")))
            .on_hover_text(tr!("filters-save-tip"))
            .clicked()
        {
            c.push(Command::SaveShown(path.into()));
        }
    });
    let layers: Vec<(LayerId, String, usize)> = ds
        .layers
        .iter()
        .enumerate()
        .filter(|(_, l)| l.visible && l.role == LayerRole::Custom && !l.layer.features.is_empty())
        .map(|(i, l)| (l.id, l.layer.name.clone(), i))
        .collect();
    if !layers.is_empty() {
        egui::CollapsingHeader::new(tr!("filters-by-property"))
            .id_salt("property pick")
            .show(ui, |ui| {
                pick_ui(ds, filter, &layers, &mut state.pick, ui, c)
            });
    }
    if filter.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (i, expr) in filter.exprs().iter().enumerate() {
            if ui
                .button(format!("{expr} ×"))
                .on_hover_text(tr!("filters-remove-tip"))
                .clicked()
            {
                let mut next = filter.clone();
                next.remove(i);
                c.push(Command::SetFilter(next));
            }
        }
        if pending {
            ui.spinner();
            ui.label(
                RichText::new(tr!("filters-filtering", n = ds.feature_count()))
                    .color(Color32::from_rgb(0x1b, 0x5e, 0x9f)),
            );
        } else {
            ui.label(
                RichText::new(tr!(
                    "filters-count",
                    shown = ds.events.len(),
                    total = ds.unfiltered
                ))
                .color(Color32::from_rgb(0x1b, 0x5e, 0x9f)),
            );
        }
        if ui.small_button(tr!("filters-clear")).clicked() {
            c.push(Command::SetFilter(Filter::default()));
        }
    });
}

/// Picks a layer and a property, then values (when few) or a range (when numeric), and adds
/// the condition: `prop:NAME=A|B` or `prop:NAME>=LO` and `prop:NAME<=HI`.
fn pick_ui(
    ds: &Dataset,
    filter: &Filter,
    layers: &[(LayerId, String, usize)],
    pick: &mut PropertyPick,
    ui: &mut Ui,
    c: &mut Vec<Command>,
) {
    if pick
        .layer
        .is_none_or(|id| !layers.iter().any(|l| l.0 == id))
    {
        *pick = PropertyPick {
            layer: Some(layers[0].0),
            ..Default::default()
        };
    }
    let Some(&(id, ref name, index)) = layers.iter().find(|l| Some(l.0) == pick.layer) else {
        return;
    };
    let entry = &ds.layers[index];
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::from_label(tr!("filters-layer"))
            .selected_text(name.as_str())
            .show_ui(ui, |ui| {
                for (other, other_name, _) in layers {
                    if ui.selectable_label(*other == id, other_name).clicked() && *other != id {
                        *pick = PropertyPick {
                            layer: Some(*other),
                            ..Default::default()
                        };
                    }
                }
            });
        let shown = if pick.property.is_empty() {
            tr!("filters-choose")
        } else {
            pick.property.clone()
        };
        egui::ComboBox::from_label(tr!("filters-property"))
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for p in entry.property_names() {
                    if ui.selectable_label(pick.property == p, &p).clicked() {
                        let summary = PropertySummary::of(&entry.layer.features, &p);
                        pick.range = summary.range.unwrap_or_default();
                        pick.summary = Some(summary);
                        pick.chosen.clear();
                        pick.property = p;
                    }
                }
            });
    });
    let Some(summary) = &pick.summary else {
        return;
    };
    let prop = pick.property.clone();
    if let Some(values) = &summary.values {
        ui.horizontal_wrapped(|ui| {
            for (value, count) in values {
                let on = pick.chosen.contains(value);
                if ui
                    .selectable_label(on, format!("{value} ({count})"))
                    .clicked()
                {
                    if on {
                        pick.chosen.retain(|v| v != value);
                    } else {
                        pick.chosen.push(value.clone());
                    }
                }
            }
        });
        let any = !pick.chosen.is_empty();
        if ui
            .add_enabled(any, egui::Button::new(tr!("filters-keep-values")))
            .clicked()
        {
            let expr = format!("prop:{prop}={}", pick.chosen.join("|"));
            add_all(filter, &[expr], c);
            pick.chosen.clear();
        }
    }
    if let Some((lo, hi)) = summary.range {
        ui.horizontal_wrapped(|ui| {
            let speed = ((hi - lo) / 200.0).max(0.01);
            ui.label(tr!("filters-from"));
            ui.add(
                egui::DragValue::new(&mut pick.range.0)
                    .range(lo..=hi)
                    .speed(speed),
            );
            ui.label(tr!("filters-to"));
            ui.add(
                egui::DragValue::new(&mut pick.range.1)
                    .range(lo..=hi)
                    .speed(speed),
            );
            if ui.button(tr!("filters-keep-range")).clicked() {
                let (a, b) = (
                    pick.range.0.min(pick.range.1),
                    pick.range.0.max(pick.range.1),
                );
                let mut exprs = Vec::new();
                if a > lo {
                    exprs.push(format!("prop:{prop}>={a}"));
                }
                if b < hi {
                    exprs.push(format!("prop:{prop}<={b}"));
                }
                add_all(filter, &exprs, c);
            }
        });
        ui.label(
            RichText::new(tr!(
                "filters-range",
                prop = prop.as_str(),
                lo = lo.to_string(),
                hi = hi.to_string()
            ))
            .small()
            .weak(),
        );
    }
    if summary.values.is_none() && summary.range.is_none() {
        ui.label(
            RichText::new(tr!(
                "filters-too-many",
                prop = prop.as_str(),
                few = PropertySummary::FEW
            ))
            .small()
            .weak(),
        );
    }
}

/// Adds conditions to the dataset's filter (each was built from what the layer holds, so
/// it reads; one that does not is left out).
fn add_all(filter: &Filter, exprs: &[String], c: &mut Vec<Command>) {
    if exprs.is_empty() {
        return;
    }
    let mut next = filter.clone();
    for e in exprs {
        let _ = next.add(e);
    }
    c.push(Command::SetFilter(next));
}
