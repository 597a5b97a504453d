//! The compare bar over the map while two moments are shown: A is the timeline's cursor, B
//! has its own (step, jump to a typed time, first and last), a side-by-side or swipe
//! layout, a swap, and a close.

use egui::{RichText, Ui};

use crate::command::{Command, CompareCommand};
use crate::time::{TimeCommand, TimeControl, parse_user_time};
use crate::tr;

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
        ui.label(RichText::new(tr!("compare-title")).strong());
        ui.label(tr!(
            "compare-a",
            time = view.a.zone().format(view.a.cursor())
        ))
        .on_hover_text(tr!("compare-a-tip"));
        ui.separator();
        ui.label(
            RichText::new(tr!(
                "compare-b",
                time = view.b.zone().format(view.b.cursor())
            ))
            .strong(),
        );
        for (label, tip, t) in [
            ("|<", tr!("compare-first-tip"), TimeCommand::Home),
            ("<", tr!("compare-previous-tip"), TimeCommand::StepPrev),
            (">", tr!("compare-next-tip"), TimeCommand::StepNext),
            (">|", tr!("compare-last-tip"), TimeCommand::End),
        ] {
            if ui.button(label).on_hover_text(tip).clicked() {
                send(commands, CompareCommand::Time(t));
            }
        }
        let name = ui.label(tr!("compare-b-at"));
        let field = ui
            .add(
                egui::TextEdit::singleline(jump)
                    .desired_width(130.0)
                    .hint_text("2022-09-17"),
            )
            .labelled_by(name.id);
        let go = ui.button(tr!("compare-set-b")).clicked()
            || (field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
        if go && !jump.trim().is_empty() {
            match parse_user_time(jump, view.b.zone()) {
                Ok(t) => {
                    send(commands, CompareCommand::Time(TimeCommand::SetTime(t)));
                    jump.clear();
                }
                Err(e) => commands.push(Command::Notify {
                    text: tr!("compare-b-error", error = e),
                    error: true,
                }),
            }
        }
        ui.separator();
        if ui
            .selectable_label(!view.swipe, tr!("compare-side-by-side"))
            .clicked()
        {
            send(commands, CompareCommand::Swipe(false));
        }
        if ui
            .selectable_label(view.swipe, tr!("compare-swipe"))
            .on_hover_text(tr!("compare-swipe-tip"))
            .clicked()
        {
            send(commands, CompareCommand::Swipe(true));
        }
        if ui.button(tr!("compare-swap")).clicked() {
            send(commands, CompareCommand::Swap);
        }
        if ui.button(tr!("compare-close")).clicked() {
            send(commands, CompareCommand::Toggle);
        }
    });
}
