//! The window's Export dialog (Ctrl+E): file path typed (the native dialog is not offered
//! yet; a path always works, also where the desktop has no portal), size (the map's size
//! x1, x2, x3 — drawn at that resolution, not upscaled — or a custom width x height) and a
//! title. An existing file is only replaced when the user says so.

use egui::{RichText, Ui};

pub use crate::command::ExportSize;
use crate::tr;

/// The dialog's state.
#[derive(Clone, Debug)]
pub struct ExportDialog {
    /// Shown.
    pub open: bool,
    /// Where to write.
    pub path: String,
    /// Size choice.
    pub size: ExportSize,
    /// Custom width.
    pub width: u32,
    /// Custom height.
    pub height: u32,
    /// Title drawn on the picture.
    pub title: String,
    /// Replace an existing file.
    pub overwrite: bool,
    /// Frames left before the export runs (so "Exporting…" is drawn first).
    pub pending: u8,
    /// Outcome of the last export.
    pub status: Option<Result<String, String>>,
    /// Set when the user asked for the system's file dialog.
    pub browse: bool,
    /// Also write the view file beside the PNG.
    pub with_view: bool,
}

impl Default for ExportDialog {
    fn default() -> Self {
        Self {
            open: false,
            path: "bordermap-export.png".into(),
            size: ExportSize::Scale(1),
            width: 1920,
            height: 1080,
            title: String::new(),
            overwrite: false,
            pending: 0,
            status: None,
            browse: false,
            with_view: false,
        }
    }
}

/// The dialog; returns true when the user asked to export now.
pub fn export_dialog_ui(
    state: &mut ExportDialog,
    map_size: egui::Vec2,
    ctx: &egui::Context,
) -> bool {
    let mut go = false;
    let mut open = state.open;
    egui::Window::new(tr!("export-title"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui: &mut Ui| {
            egui::Grid::new("export grid")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label(tr!("export-file"));
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(&mut state.path)
                                .desired_width(280.0)
                                .hint_text("/path/to/map.png"),
                        );
                        if ui
                            .button(tr!("export-browse"))
                            .on_hover_text(tr!("export-browse-tip"))
                            .clicked()
                        {
                            state.browse = true;
                        }
                    });
                    ui.end_row();
                    ui.label(tr!("export-size"));
                    ui.horizontal(|ui| {
                        for k in 1..=3u8 {
                            let (w, h) = (
                                (map_size.x * k as f32).round(),
                                (map_size.y * k as f32).round(),
                            );
                            ui.radio_value(
                                &mut state.size,
                                ExportSize::Scale(k),
                                format!("x{k} ({w}×{h})"),
                            );
                        }
                        ui.radio_value(&mut state.size, ExportSize::Custom, tr!("export-custom"));
                    });
                    ui.end_row();
                    if state.size == ExportSize::Custom {
                        ui.label(tr!("export-pixels"));
                        let px = format!(" {}", tr!("export-px"));
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::DragValue::new(&mut state.width)
                                    .range(16..=8192)
                                    .suffix(px.clone()),
                            );
                            ui.label("×");
                            ui.add(
                                egui::DragValue::new(&mut state.height)
                                    .range(16..=8192)
                                    .suffix(px),
                            );
                        });
                        ui.end_row();
                    }
                    ui.label(tr!("export-title-label"));
                    ui.add(
                        egui::TextEdit::singleline(&mut state.title)
                            .desired_width(280.0)
                            .hint_text(tr!("export-title-hint")),
                    );
                    ui.end_row();
                });
            ui.checkbox(&mut state.with_view, tr!("export-with-view"))
                .on_hover_text(tr!("export-with-view-tip"));
            let png = std::path::Path::new(state.path.trim());
            let exists =
                png.exists() || (state.with_view && crate::views::view_file_beside(png).exists());
            if exists {
                ui.checkbox(&mut state.overwrite, tr!("export-replace"));
            }
            ui.horizontal(|ui| {
                let ready = !state.path.trim().is_empty()
                    && (!exists || state.overwrite)
                    && state.pending == 0;
                if ui
                    .add_enabled(ready, egui::Button::new(tr!("export-export")))
                    .clicked()
                {
                    go = true;
                }
                if state.pending > 0 {
                    ui.spinner();
                    ui.label(tr!("export-exporting"));
                }
            });
            match &state.status {
                Some(Ok(msg)) => {
                    ui.label(RichText::new(msg).color(egui::Color32::from_rgb(0x1b, 0x7f, 0x3b)));
                }
                Some(Err(msg)) => {
                    ui.label(RichText::new(msg).color(egui::Color32::from_rgb(0xc0, 0x20, 0x20)));
                }
                None => {}
            }
        });
    state.open = open;
    go
}
