//! The top bar: the app's name, Open, the basemap picker (with a dialog for a custom XYZ
//! template or PMTiles file) and the online tiles' status, Problems and Export.

use egui::{Color32, RichText, Ui};

use crate::command::{Command, Window};
use crate::map::online::{BasemapSpec, tile_failures};
use crate::tr;

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
        ui.label(RichText::new(tr!("app-tagline")).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button(tr!("top-export")).clicked() {
                commands.push(Command::Toggle(Window::Export));
            }
            let label = RichText::new(tr!("top-problems", n = view.problems));
            let label = if view.problems > 0 {
                label.color(Color32::from_rgb(0xc0, 0x20, 0x20))
            } else {
                label
            };
            if ui.button(label).clicked() {
                commands.push(Command::Toggle(Window::Problems));
            }
            basemap_ui(view, custom_basemap, ui, commands);
            language_ui(ui, commands);
            if ui
                .button(tr!("top-compare"))
                .on_hover_text(tr!("top-compare-tip"))
                .clicked()
            {
                commands.push(Command::Compare(crate::command::CompareCommand::Toggle));
            }
            for (label, tip, window) in [
                (
                    tr!("top-animation"),
                    tr!("top-animation-tip"),
                    Window::Animation,
                ),
                (tr!("top-chart"), tr!("top-chart-tip"), Window::Chart),
                (tr!("top-views"), tr!("top-views-tip"), Window::Views),
                (tr!("top-search"), tr!("top-search-tip"), Window::Search),
                (tr!("top-goto"), tr!("top-goto-tip"), Window::GoTo),
                (tr!("top-measure"), tr!("top-measure-tip"), Window::Measure),
            ] {
                if ui.button(label).on_hover_text(tip).clicked() {
                    commands.push(Command::Toggle(window));
                }
            }
            if ui
                .button(tr!("top-open"))
                .on_hover_text(tr!("top-open-tip"))
                .clicked()
            {
                commands.push(Command::Toggle(Window::Open));
            }
        });
    });
}

/// The language picker: the interface in English or Russian, kept with the session.
fn language_ui(ui: &mut Ui, commands: &mut Vec<Command>) {
    let current = crate::i18n::lang();
    egui::ComboBox::from_label(tr!("language"))
        .selected_text(current.native_name())
        .show_ui(ui, |ui| {
            for lang in crate::i18n::Lang::ALL {
                if ui
                    .selectable_label(lang == current, lang.native_name())
                    .clicked()
                {
                    commands.push(Command::SetLanguage(lang));
                }
            }
        })
        .response
        .on_hover_text(tr!("language-tip"));
}

fn basemap_ui(
    view: &TopBarView,
    custom: &mut Option<String>,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    egui::ComboBox::from_label(tr!("basemap"))
        .selected_text(view.basemap.label())
        .show_ui(ui, |ui| {
            for spec in BasemapSpec::PRESETS {
                let label = if spec.is_online() {
                    tr!("basemap-online", name = spec.label())
                } else {
                    spec.label()
                };
                if ui.selectable_label(*view.basemap == spec, label).clicked() {
                    commands.push(Command::SetBasemap(spec.clone()));
                }
            }
            if ui.selectable_label(false, tr!("basemap-custom")).clicked() {
                *custom = Some(String::new());
            }
        });
    if let Some(loading) = view.tiles_loading {
        let failures = tile_failures();
        let text = if failures.total > 0 {
            tr!(
                "tiles-loading-failed",
                loading = loading,
                failed = failures.total
            )
        } else {
            tr!("tiles-loading", loading = loading)
        };
        let r = ui.label(RichText::new(text).small());
        if !failures.recent.is_empty() {
            r.on_hover_text(failures.recent.join("\n"));
        }
    }
    if let Some(mut text) = custom.take() {
        let mut open = true;
        let mut go = false;
        egui::Window::new(tr!("custom-basemap"))
            .open(&mut open)
            .collapsible(false)
            .show(ui.ctx(), |ui| {
                ui.label(tr!("custom-basemap-help"));
                ui.add(
                    egui::TextEdit::singleline(&mut text)
                        .desired_width(420.0)
                        .hint_text("https://tile.example.org/{z}/{x}/{y}.png"),
                );
                if ui.button(tr!("custom-basemap-use")).clicked() {
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
