//! The filter bar above the event list: the active conditions as chips (each removable),
//! how many events pass ("12 of 32"), one click to clear, and a box to add a condition typed
//! as an expression (`kind=clash`, `killed>=10`, `side=KG`, `prop:fatalities>=1`), and
//! saving the features shown as GeoJSON or CSV.

use egui::{Color32, RichText, Ui};

use crate::command::Command;
use crate::model::dataset::Dataset;
use crate::model::filter::Filter;

/// The filter bar's own state: the expression being typed and why it cannot be read.
#[derive(Clone, Debug, Default)]
pub struct FilterPanel {
    /// What is typed.
    pub text: String,
    /// Why it cannot be read.
    pub error: Option<String>,
    /// Where to save the features shown (.geojson or .csv).
    pub save_path: String,
}

/// The filter bar.
pub fn filter_bar_ui(ds: &Dataset, state: &mut FilterPanel, ui: &mut Ui, c: &mut Vec<Command>) {
    let filter = &ds.filter;
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new("Filter").strong());
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut state.text)
                    .desired_width((ui.available_width() - 70.0).max(60.0))
                    .hint_text("kind=clash · killed>=10 · side=KG · prop:NAME=VALUE"),
            )
            .labelled_by(label.id);
        if edit.changed() {
            state.error = None;
        }
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let text = state.text.trim().to_string();
        if (ui
            .add_enabled(!text.is_empty(), egui::Button::new("Add"))
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
        let label = ui.label("Shown to");
        ui.add(
            egui::TextEdit::singleline(&mut state.save_path)
                .desired_width((ui.available_width() - 70.0).max(60.0))
                .hint_text("/path/to/shown.geojson or .csv"),
        )
        .labelled_by(label.id);
        let path = state.save_path.trim();
        if ui
            .add_enabled(!path.is_empty(), egui::Button::new("Save"))
            .on_hover_text(
                "Save the events and features the list and the map show now, with their \
                 properties and claims, as GeoJSON or CSV (as bordermap extract writes them)",
            )
            .clicked()
        {
            c.push(Command::SaveShown(path.into()));
        }
    });
    if filter.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for (i, expr) in filter.exprs().iter().enumerate() {
            if ui
                .button(format!("{expr} ×"))
                .on_hover_text("Remove this condition")
                .clicked()
            {
                let mut next = filter.clone();
                next.remove(i);
                c.push(Command::SetFilter(next));
            }
        }
        ui.label(
            RichText::new(format!("{} of {}", ds.events.len(), ds.unfiltered))
                .color(Color32::from_rgb(0x1b, 0x5e, 0x9f)),
        );
        if ui.small_button("Clear filters").clicked() {
            c.push(Command::SetFilter(Filter::default()));
        }
    });
}
