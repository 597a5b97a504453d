//! The windows over the map: Open (typed paths, or the system's dialog), Problems, the short
//! notices (toasts), and the veil shown while files are dragged over the window.

use std::path::PathBuf;

use egui::{Color32, RichText, Ui};

use crate::command::{Command, Purpose, Window};
use crate::model::{Problem, Severity};
use crate::tr;

/// A short message over the map that goes away by itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    /// What happened.
    pub text: String,
    /// An error (red) or news (green).
    pub error: bool,
    /// When it goes (egui time in seconds).
    pub until: f64,
}

/// Splits a typed list of paths (separated by `;`).
pub fn typed_paths(text: &str) -> Vec<PathBuf> {
    text.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The Open dialog, while `path` holds its text. `browsing`: a system dialog is open.
pub fn open_dialog_ui(
    path: &mut Option<String>,
    browsing: bool,
    ui: &Ui,
    commands: &mut Vec<Command>,
) {
    let Some(text) = path.as_mut() else {
        return;
    };
    let mut open = true;
    let mut go = false;
    egui::Window::new(tr!("windows-open-title"))
        .open(&mut open)
        .collapsible(false)
        .show(ui.ctx(), |ui| {
            ui.label(tr!("windows-open-help"));
            let edit = ui.add(
                egui::TextEdit::singleline(text)
                    .desired_width(380.0)
                    .hint_text("/path/to/layer.geojson"),
            );
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                go = true;
            }
            ui.horizontal(|ui| {
                if ui.button(tr!("windows-open")).clicked() {
                    go = true;
                }
                if ui
                    .add_enabled(!browsing, egui::Button::new(tr!("windows-browse")))
                    .on_hover_text(tr!("windows-browse-tip"))
                    .clicked()
                {
                    commands.push(Command::Browse(Purpose::OpenLayers));
                }
            });
        });
    if go {
        commands.push(Command::Open(typed_paths(text)));
        *path = None;
    } else if !open {
        *path = None;
    }
}

/// The Problems window, while `shown`.
pub fn problems_ui(problems: &[Problem], shown: bool, ui: &Ui, commands: &mut Vec<Command>) {
    if !shown {
        return;
    }
    let mut open = true;
    egui::Window::new(tr!("windows-problems-title"))
        .open(&mut open)
        .default_size([560.0, 300.0])
        .show(ui.ctx(), |ui| {
            if problems.is_empty() {
                ui.label(tr!("windows-no-problems"));
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for p in problems {
                    let color = match p.severity {
                        Severity::Error => Color32::from_rgb(0xc0, 0x20, 0x20),
                        Severity::Warning => Color32::from_rgb(0xa0, 0x60, 0x00),
                    };
                    ui.label(RichText::new(p.to_string()).color(color).monospace());
                }
            });
            if !problems.is_empty() && ui.button(tr!("windows-clear")).clicked() {
                commands.push(Command::ClearProblems);
            }
        });
    if !open {
        commands.push(Command::Toggle(Window::Problems));
    }
}

/// The notices, bottom right over the map.
pub fn toasts_ui(toasts: &[Toast], ui: &Ui) {
    if toasts.is_empty() {
        return;
    }
    egui::Area::new(egui::Id::unique("toasts"))
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -170.0))
        .order(egui::Order::Foreground)
        .show(ui.ctx(), |ui| {
            for t in toasts {
                let fill = if t.error {
                    Color32::from_rgb(0xfd, 0xe2, 0xe1)
                } else {
                    Color32::from_rgb(0xe3, 0xf6, 0xe5)
                };
                egui::Frame::popup(ui.style()).fill(fill).show(ui, |ui| {
                    ui.set_max_width(420.0);
                    ui.label(&t.text);
                });
            }
        });
}

/// Files dropped on the window open as layers; while they hover, a veil says so.
pub fn dropped_files_ui(ui: &Ui, commands: &mut Vec<Command>) {
    let dropped: Vec<PathBuf> = ui.input(|i| {
        i.raw
            .dropped_files
            .iter()
            .map(|f| f.path().to_path_buf())
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    });
    if !dropped.is_empty() {
        commands.push(Command::Open(dropped));
    }
    if ui.input(|i| !i.raw.hovered_files.is_empty()) {
        let rect = ui.ctx().content_rect();
        let painter = ui.ctx().layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop"),
        ));
        painter.rect_filled(rect, 0.0, Color32::from_black_alpha(120));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            tr!("windows-drop"),
            egui::FontId::proportional(28.0),
            Color32::WHITE,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_split_on_semicolons() {
        assert_eq!(
            typed_paths(" a.geojson ; ;b/c d.kml;"),
            vec![PathBuf::from("a.geojson"), PathBuf::from("b/c d.kml")]
        );
        assert!(typed_paths("  ").is_empty());
    }
}
