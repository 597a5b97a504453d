//! The compare bar over the map while two moments are shown: A is the timeline's cursor, B
//! has its own (step, jump to a typed time, first and last), a side-by-side or swipe
//! layout, a swap, and a close.

use egui::{RichText, Ui};

use crate::command::{Command, CompareCommand};
use crate::time::{TimeCommand, TimeControl, parse_user_time};

/// What the bar reads.
pub struct CompareView<'a> {
    /// A's time (the timeline's).
    pub a: &'a TimeControl,
    /// B's time.
    pub b: &'a TimeControl,
    /// One map with a swipe line.
    pub swipe: bool,
}

/// The bar; `jump` is the text typed in B's time box.
pub fn compare_bar_ui(
    view: &CompareView,
    jump: &mut String,
    ui: &mut Ui,
    commands: &mut Vec<Command>,
) {
    let send = |commands: &mut Vec<Command>, c: CompareCommand| commands.push(Command::Compare(c));
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Compare").strong());
        ui.label(format!("A: {}", view.a.zone().format(view.a.cursor())))
            .on_hover_text("A is the timeline's cursor");
        ui.separator();
        ui.label(RichText::new(format!("B: {}", view.b.zone().format(view.b.cursor()))).strong());
        for (label, tip, t) in [
            ("|<", "B to the first event", TimeCommand::Home),
            ("<", "B to the previous event", TimeCommand::StepPrev),
            (">", "B to the next event", TimeCommand::StepNext),
            (">|", "B to the last event", TimeCommand::End),
        ] {
            if ui.button(label).on_hover_text(tip).clicked() {
                send(commands, CompareCommand::Time(t));
            }
        }
        let name = ui.label("B at");
        let field = ui
            .add(
                egui::TextEdit::singleline(jump)
                    .desired_width(130.0)
                    .hint_text("2022-09-17"),
            )
            .labelled_by(name.id);
        let go = ui.button("Set B").clicked()
            || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
        if go && !jump.trim().is_empty() {
            match parse_user_time(jump, view.b.zone()) {
                Ok(t) => {
                    send(commands, CompareCommand::Time(TimeCommand::SetTime(t)));
                    jump.clear();
                }
                Err(e) => commands.push(Command::Notify {
                    text: format!("B: {e}"),
                    error: true,
                }),
            }
        }
        ui.separator();
        if ui.selectable_label(!view.swipe, "Side by side").clicked() {
            send(commands, CompareCommand::Swipe(false));
        }
        if ui
            .selectable_label(view.swipe, "Swipe")
            .on_hover_text("One map: A left of the line, B right; drag the line")
            .clicked()
        {
            send(commands, CompareCommand::Swipe(true));
        }
        if ui.button("Swap A and B").clicked() {
            send(commands, CompareCommand::Swap);
        }
        if ui.button("Close compare").clicked() {
            send(commands, CompareCommand::Toggle);
        }
    });
}
