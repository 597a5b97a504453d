//! The top bar: the app's name, Open, the basemap picker (with a dialog for a custom XYZ
//! template or PMTiles file) and the online tiles' status, Problems and Export.

use egui::{Color32, RichText, Ui};

use crate::command::{Command, Window};
use crate::map::online::{BasemapSpec, tile_failures};

/// What the top bar shows.
pub struct TopBarView<'a> {
    /// The basemap picked.
    pub basemap: &'a BasemapSpec,
    /// Online tiles loading, `None` for the offline basemap.
    pub tiles_loading: Option<usize>,
    /// Problems listed.
    pub problems: usize,
}

/// The top bar. `custom_basemap` is the custom basemap dialog's text while it is open.
pub fn top_bar_ui(
    view: &TopBarView,
    custom_basemap: &mut Option<String>,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("bordermap").strong());
        ui.label(RichText::new("Kyrgyz–Tajik border: events 2021–2025").weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Export… (Ctrl+E)").clicked() {
                commands.push(Command::Toggle(Window::Export));
            }
            let label = RichText::new(format!("Problems ({})", view.problems));
            let label = if view.problems > 0 {
                label.color(Color32::from_rgb(0xc0, 0x20, 0x20))
            } else {
                label
            };
            if ui.button(label).clicked() {
                commands.push(Command::Toggle(Window::Problems));
            }
            basemap_ui(view, custom_basemap, ui, commands);
            if ui
                .button("Compare")
                .on_hover_text("Two moments side by side, one camera: A (the timeline) and B")
                .clicked()
            {
                commands.push(Command::Compare(crate::command::CompareCommand::Toggle));
            }
            for (label, tip, window) in [
                (
                    "Animation…",
                    "An MP4 of the map with time moving, for briefings",
                    Window::Animation,
                ),
                (
                    "Claims chart",
                    "Each side's claimed dead, injured and evacuated, by the date claimed",
                    Window::Chart,
                ),
                (
                    "Views",
                    "Saved views: place, time and layers (keys 1–9)",
                    Window::Views,
                ),
                (
                    "Search",
                    "Find a place in Latin or Cyrillic (Ctrl+K)",
                    Window::Search,
                ),
                (
                    "Go to",
                    "Coordinates (decimal, DMS, MGRS) or a place (Ctrl+G)",
                    Window::GoTo,
                ),
                (
                    "Measure",
                    "Distances, areas and range rings (M)",
                    Window::Measure,
                ),
            ] {
                if ui.button(label).on_hover_text(tip).clicked() {
                    commands.push(Command::Toggle(window));
                }
            }
            if ui
                .button("Open… (Ctrl+O)")
                .on_hover_text("Open GeoJSON, KML/KMZ, CSV layers; or drop files on the window")
                .clicked()
            {
                commands.push(Command::Toggle(Window::Open));
            }
        });
    });
}

fn basemap_ui(
    view: &TopBarView,
    custom: &mut Option<String>,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    egui::ComboBox::from_label("Basemap")
        .selected_text(view.basemap.label())
        .show_ui(ui, |ui| {
            for spec in BasemapSpec::PRESETS {
                let label = if spec.is_online() {
                    format!("{} (online)", spec.label())
                } else {
                    spec.label()
                };
                if ui.selectable_label(*view.basemap == spec, label).clicked() {
                    commands.push(Command::SetBasemap(spec.clone()));
                }
            }
            if ui
                .selectable_label(false, "Custom XYZ or PMTiles…")
                .clicked()
            {
                *custom = Some(String::new());
            }
        });
    if let Some(loading) = view.tiles_loading {
        let failures = tile_failures();
        let text = if failures.total > 0 {
            format!("tiles: {loading} loading, {} failed", failures.total)
        } else {
            format!("tiles: {loading} loading")
        };
        let r = ui.label(RichText::new(text).small());
        if !failures.recent.is_empty() {
            r.on_hover_text(failures.recent.join("\n"));
        }
    }
    if let Some(mut text) = custom.take() {
        let mut open = true;
        let mut go = false;
        egui::Window::new("Custom basemap")
            .open(&mut open)
            .collapsible(false)
            .show(ui.ctx(), |ui| {
                ui.label(
                    "An XYZ template with {z}, {x}, {y} (and optional {s}), or the path of a \
                     .pmtiles file. Online tiles tell the server where you look.",
                );
                ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(420.0)
                        .hint_text("https://tile.example.org/{z}/{x}/{y}.png"),
                );
                if ui.button("Use").clicked() {
                    go = true;
                }
            });
        if go {
            match BasemapSpec::parse(&text) {
                Ok(spec) => commands.push(Command::SetBasemap(spec)),
                Err(e) => {
                    commands.push(Command::Notify {
                        text: e.to_string(),
                        error: true,
                    });
                    *custom = Some(text);
                }
            }
        } else if open {
            *custom = Some(text);
        }
    }
}
