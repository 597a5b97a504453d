//! The layer panel: for each layer its visibility, colour, opacity, line width, point size,
//! order, zoom-to and removal; what was read (features, dated, the time fields detected, the
//! zone for times without an offset) with a way to override the time fields and re-read; and
//! the loads under way with their progress and a cancel button.

use egui::{Color32, RichText, Ui};

use crate::command::{Command, LayerAction};
use crate::io::loader::Job;
use crate::model::dataset::{Dataset, LayerEntry, LayerRole};
use crate::model::style::LayerStyle;
use crate::tr;

/// Edits of the time-field override, kept between frames per layer.
#[derive(Clone, Debug, Default)]
struct TimeEdit {
    start: String,
    end: String,
    zone: String,
}

/// The layer panel.
pub fn layers_ui(
    ds: &Dataset,
    loading: &[Job<LayerEntry>],
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    for job in loading {
        ui.horizontal(|ui| {
            let name = job
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ui.add(
                egui::ProgressBar::new(job.progress.fraction())
                    .desired_width(160.0)
                    .text(tr!("layers-loading", name = name)),
            );
            if ui.button(tr!("cancel")).clicked() {
                commands.push(Command::CancelLoad(job.path.clone()));
            }
        });
    }
    let count = ds.layers.len();
    for index in (0..count).rev() {
        let entry = &ds.layers[index];
        let id = entry.id;
        let mut act = |a: LayerAction| commands.push(Command::Layer(id, a));
        ui.horizontal(|ui| {
            let mut visible = entry.visible;
            if ui
                .checkbox(&mut visible, "")
                .on_hover_text(tr!("layers-visible-tip"))
                .changed()
            {
                act(LayerAction::SetVisible(visible));
            }
            let mut color = entry.style.color;
            if entry.role == LayerRole::Custom
                && ui
                    .color_edit_button_srgb(&mut color)
                    .on_hover_text(tr!("layers-color-tip"))
                    .changed()
            {
                act(LayerAction::SetStyle(LayerStyle {
                    color,
                    ..entry.style.clone()
                }));
            }
            let name = RichText::new(&entry.layer.name);
            let width = (ui.available_width() - 190.0).max(40.0);
            ui.add_sized(
                [width, 18.0],
                egui::Label::new(if entry.visible { name } else { name.weak() }).truncate(),
            )
            .on_hover_text(
                entry
                    .layer
                    .path
                    .as_ref()
                    .map_or(entry.layer.name.clone(), |p| p.display().to_string()),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if entry.role == LayerRole::Custom
                    && ui.small_button(tr!("layers-remove")).clicked()
                {
                    act(LayerAction::Remove);
                }
                if ui
                    .small_button(tr!("layers-zoom"))
                    .on_hover_text(tr!("layers-zoom-tip"))
                    .clicked()
                {
                    act(LayerAction::ZoomTo);
                }
                if index > 0 && ui.small_button(tr!("layers-down")).clicked() {
                    act(LayerAction::MoveDown);
                }
                if index + 1 < count && ui.small_button(tr!("layers-up")).clicked() {
                    act(LayerAction::MoveUp);
                }
            });
        });
        egui::CollapsingHeader::new(RichText::new(tr!("layers-details")).small())
            .id_salt(("layer details", index, &entry.layer.name))
            .show(ui, |ui| details_ui(ds, index, ui, commands));
    }
}

fn details_ui(ds: &Dataset, index: usize, ui: &mut Ui, commands: &mut Vec<Command>) {
    let entry = &ds.layers[index];
    let layer = &entry.layer;
    let (n, dated) = (layer.features.len(), layer.dated_count());
    ui.label(if layer.has_errors() {
        tr!("layers-counts-errors", n = n, dated = dated)
    } else {
        tr!("layers-counts", n = n, dated = dated)
    });
    let fields: Vec<String> = layer
        .time_source
        .fields
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    ui.label(if fields.is_empty() {
        tr!("layers-time-none")
    } else {
        tr!("layers-time-fields", fields = fields.join(", "))
    });
    if layer.time_source.without_offset > 0 {
        ui.label(
            RichText::new(tr!(
                "layers-no-offset",
                n = layer.time_source.without_offset,
                zone = layer.zone_name.as_str()
            ))
            .color(Color32::from_rgb(0xa0, 0x60, 0x00)),
        );
    }
    let mut style = entry.style.clone();
    let mut changed = false;
    changed |= ui
        .add(egui::Slider::new(&mut style.opacity, 0.0..=1.0).text(tr!("layers-opacity")))
        .changed();
    changed |= ui
        .add(egui::Slider::new(&mut style.line_width, 0.5..=8.0).text(tr!("layers-line-width")))
        .changed();
    changed |= ui
        .add(egui::Slider::new(&mut style.point_size, 2.0..=16.0).text(tr!("layers-point-size")))
        .changed();
    if entry.role == LayerRole::Custom {
        let current = style
            .by_property
            .clone()
            .unwrap_or_else(|| tr!("layers-style-none"));
        egui::ComboBox::from_label(tr!("layers-style-by"))
            .selected_text(current)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(style.by_property.is_none(), tr!("layers-style-none"))
                    .clicked()
                {
                    style.by_property = None;
                    changed = true;
                }
                for name in entry.property_names() {
                    if ui
                        .selectable_label(style.by_property.as_deref() == Some(&name), &name)
                        .clicked()
                    {
                        style.by_property = Some(name);
                        changed = true;
                    }
                }
            });
        if let Some(by) = &entry.by_property {
            // The layer's legend entry.
            for (value, [r, g, b]) in &by.categories {
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter()
                        .rect_filled(rect, 2.0, Color32::from_rgb(*r, *g, *b));
                    ui.label(RichText::new(value).small());
                });
            }
            if let Some((lo, hi)) = by.range {
                ui.label(
                    RichText::new(tr!(
                        "layers-size-range",
                        lo = lo.to_string(),
                        hi = hi.to_string()
                    ))
                    .small(),
                );
            }
        }
    }
    if changed {
        commands.push(Command::Layer(entry.id, LayerAction::SetStyle(style)));
    }
    if entry.role == LayerRole::Custom && layer.path.is_some() {
        let id = ui.make_persistent_id(("time edit", entry.id));
        let mut edit: TimeEdit = ui.data(|d| d.get_temp(id)).unwrap_or_else(|| TimeEdit {
            zone: layer.zone_name.clone(),
            ..TimeEdit::default()
        });
        ui.horizontal(|ui| {
            ui.label(tr!("layers-time-fields-label"));
            ui.add(
                egui::TextEdit::singleline(&mut edit.start)
                    .hint_text(tr!("layers-start-hint"))
                    .desired_width(80.0),
            );
            ui.add(
                egui::TextEdit::singleline(&mut edit.end)
                    .hint_text(tr!("layers-end-hint"))
                    .desired_width(60.0),
            );
        });
        ui.horizontal(|ui| {
            ui.label(tr!("layers-zone-label"));
            ui.add(egui::TextEdit::singleline(&mut edit.zone).desired_width(110.0));
            if ui.button(tr!("layers-reread")).clicked() {
                commands.push(Command::Layer(
                    entry.id,
                    LayerAction::Reread {
                        start: edit.start.trim().to_string(),
                        end: edit.end.trim().to_string(),
                        zone: edit.zone.trim().to_string(),
                    },
                ));
            }
        });
        ui.data_mut(|d| d.insert_temp(id, edit));
    }
}
