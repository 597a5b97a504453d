//! The Animation dialog: an MP4 of the map as the window shows it, time moving from one
//! moment to another, with a progress bar and Cancel. The video is written on a thread
//! (`jobs::VideoJob`), the same way `bordermap export --video` writes it.

use egui::{RichText, Ui};

use crate::command::{AnimationOrder, Command};
use crate::time::{DisplayZone, parse_user_time};
use crate::tr;

/// The dialog's state.
#[derive(Clone, Debug)]
pub struct AnimationDialog {
    /// Shown.
    pub open: bool,
    /// Where to write.
    pub path: String,
    /// First moment, as typed.
    pub from: String,
    /// Last moment, as typed.
    pub to: String,
    /// Length of the video, seconds.
    pub seconds: f64,
    /// Frames per second.
    pub fps: u32,
    /// Width and height in pixels.
    pub size: [u32; 2],
    /// Title drawn on every frame.
    pub title: String,
    /// Outcome of the last video.
    pub status: Option<Result<String, String>>,
}

impl Default for AnimationDialog {
    fn default() -> Self {
        Self {
            open: false,
            path: "bordermap-animation.mp4".into(),
            from: String::new(),
            to: String::new(),
            seconds: 10.0,
            fps: 30,
            size: [1280, 720],
            title: String::new(),
            status: None,
        }
    }
}

/// The dialog; `running` is the progress of a video being written (frames done, in all).
pub fn animation_dialog_ui(
    state: &mut AnimationDialog,
    running: Option<(u32, u32)>,
    zone: DisplayZone,
    ctx: &egui::Context,
    commands: &mut Vec<Command>,
) {
    if !state.open {
        return;
    }
    let mut open = true;
    egui::Window::new(tr!("animation-title"))
        .open(&mut open)
        .resizable(false)
        .show(ctx, |ui| {
            let field = |ui: &mut Ui, label: &str, text: &mut String, hint: &str| {
                ui.horizontal(|ui| {
                    let l = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .desired_width(260.0)
                            .hint_text(hint),
                    )
                    .labelled_by(l.id);
                });
            };
            field(
                ui,
                &tr!("animation-video-to"),
                &mut state.path,
                "/path/to/video.mp4",
            );
            field(ui, &tr!("animation-from"), &mut state.from, "2022-09-13");
            field(ui, &tr!("animation-to"), &mut state.to, "2022-09-20");
            field(
                ui,
                &tr!("animation-title-label"),
                &mut state.title,
                &tr!("animation-title-hint"),
            );
            let px = format!(" {}", tr!("animation-px"));
            ui.horizontal(|ui| {
                ui.label(tr!("animation-seconds"));
                ui.add(
                    egui::DragValue::new(&mut state.seconds)
                        .range(0.5..=600.0)
                        .speed(0.5),
                );
                ui.label(tr!("animation-fps"));
                ui.add(egui::DragValue::new(&mut state.fps).range(1..=60));
            });
            ui.horizontal(|ui| {
                ui.label(tr!("animation-size"));
                ui.add(
                    egui::DragValue::new(&mut state.size[0])
                        .range(16..=3840)
                        .suffix(px.clone()),
                );
                ui.label("x");
                ui.add(
                    egui::DragValue::new(&mut state.size[1])
                        .range(16..=2160)
                        .suffix(px),
                );
            });
            ui.label(RichText::new(tr!("animation-help")).small().weak());
            match running {
                Some((done, all)) => {
                    ui.add(
                        egui::ProgressBar::new(done as f32 / all.max(1) as f32).text(tr!(
                            "animation-frames",
                            done = done,
                            all = all
                        )),
                    );
                    if ui.button(tr!("cancel")).clicked() {
                        commands.push(Command::CancelAnimation);
                    }
                }
                None => {
                    if ui.button(tr!("animation-write")).clicked() {
                        match order(state, zone) {
                            Ok(order) => {
                                state.status = None;
                                commands.push(Command::Animation(order));
                            }
                            Err(e) => state.status = Some(Err(e)),
                        }
                    }
                }
            }
            match &state.status {
                Some(Ok(text)) => {
                    ui.label(text);
                }
                Some(Err(text)) => {
                    ui.colored_label(egui::Color32::from_rgb(0xc0, 0x20, 0x20), text);
                }
                None => {}
            }
        });
    if !open {
        state.open = false;
    }
}

/// The order the dialog's fields make, or what is wrong with them.
fn order(state: &AnimationDialog, zone: DisplayZone) -> Result<AnimationOrder, String> {
    let path = std::path::PathBuf::from(state.path.trim());
    if path.as_os_str().is_empty() {
        return Err(tr!("animation-no-file"));
    }
    if path.exists() {
        return Err(tr!("animation-exists", path = path.display().to_string()));
    }
    let from =
        parse_user_time(&state.from, zone).map_err(|e| tr!("animation-from-error", error = e))?;
    let to = parse_user_time(&state.to, zone).map_err(|e| tr!("animation-to-error", error = e))?;
    if to < from {
        return Err(tr!("animation-to-before-from"));
    }
    // H.264's 4:2:0 wants even sides.
    let even = |v: u32| (v.max(16)) & !1;
    Ok(AnimationOrder {
        path,
        from,
        to,
        frames: ((state.seconds * f64::from(state.fps)).round() as u32).max(2),
        fps: state.fps.clamp(1, 60),
        size: [even(state.size[0]), even(state.size[1])],
        title: Some(state.title.trim().to_string()).filter(|t| !t.is_empty()),
    })
}
