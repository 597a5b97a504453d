//! The timeline: play, step and speed controls, mode and zone pickers, a field to jump to a
//! typed date, and a full-width time axis with a histogram of events per bucket coloured by
//! kind, a tick per event, the shaded window and the cursor. Drag on the chart to scrub, use
//! the wheel to zoom the axis around the pointer, drag the date strip to pan.

use egui::epaint::Mesh;
use egui::{Align2, Color32, FontId, Rect, RichText, Sense, Stroke, Ui, pos2};
use jiff::{SignedDuration, Timestamp};

use crate::map::style::kind_color;
use crate::model::dataset::Dataset;
use std::sync::Arc;

use crate::model::event::EventKind;
use crate::time::{
    DisplayZone, SPEEDS_SECS_PER_SEC, TimeCommand, TimeControl, TimeMode, Visible, parse_user_time,
};

use crate::command::Command;
use crate::tr;

/// Window widths offered in window mode, seconds.
pub const WINDOWS_SECS: [i64; 6] = [
    6 * 3600,
    12 * 3600,
    86_400,
    3 * 86_400,
    7 * 86_400,
    30 * 86_400,
];

/// A window width in words, in the interface's language: "6 hours", "1 day", "1 week";
/// "custom" for one the picker does not offer.
pub fn window_label(width_secs: i64) -> String {
    if !WINDOWS_SECS.contains(&width_secs) {
        tr!("timeline-window-custom")
    } else if width_secs % (7 * 86_400) == 0 {
        tr!("timeline-weeks", n = width_secs / (7 * 86_400))
    } else if width_secs % 86_400 == 0 {
        tr!("timeline-days", n = width_secs / 86_400)
    } else {
        tr!("timeline-hours", n = width_secs / 3600)
    }
}

/// What the timeline reads.
pub struct TimelineInput<'a> {
    /// The data.
    pub dataset: &'a Dataset,
    /// The time control.
    pub time: &'a TimeControl,
    /// This frame's visible set.
    pub visible: &'a Visible,
    /// The time axis shown: from, to.
    pub view: (Timestamp, Timestamp),
    /// The second moment's cursor, when two are compared.
    pub compare: Option<Timestamp>,
}

/// Most event ticks drawn under the histogram.
const MAX_TICKS: usize = 5000;

/// The histogram of one axis, kept until the events or the axis change.
struct Histogram {
    key: (u64, Timestamp, Timestamp, usize),
    counts: Vec<[u32; crate::time::KINDS]>,
}

/// The event ticks of one axis, kept until the events, the axis or its place change.
struct Ticks {
    key: (u64, Timestamp, Timestamp, [u32; 5]),
    mesh: Arc<Mesh>,
}

/// The range to fit all data, padded a little.
pub fn fit_all(range: Option<(Timestamp, Timestamp)>) -> (Timestamp, Timestamp) {
    let Some((a, b)) = range else {
        let now = Timestamp::now();
        return (
            now.checked_sub(SignedDuration::from_hours(24 * 30))
                .unwrap_or(now),
            now,
        );
    };
    let pad = SignedDuration::from_secs(((b.as_second() - a.as_second()) / 30).max(3600));
    (
        a.checked_sub(pad).unwrap_or(a),
        b.checked_add(pad).unwrap_or(b),
    )
}

/// 13–21 September 2022 (Kyrgyz clock): the escalation.
pub fn september_2022() -> (Timestamp, Timestamp) {
    let from = "2022-09-13T00:00:00+06:00"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let to = "2022-09-21T00:00:00+06:00"
        .parse()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    (from, to)
}

fn secs(t: Timestamp) -> f64 {
    t.as_millisecond() as f64 / 1000.0
}

fn at_secs(s: f64) -> Timestamp {
    Timestamp::from_millisecond((s * 1000.0).round() as i64).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn speed_label(s: i64) -> String {
    match s {
        s if s % (7 * 86_400) == 0 => tr!("timeline-speed-weeks", n = s / (7 * 86_400)),
        s if s % 86_400 == 0 => tr!("timeline-speed-days", n = s / 86_400),
        s => tr!("timeline-speed-hours", n = s / 3600),
    }
}

/// The timeline panel.
pub fn timeline_ui(input: &TimelineInput, ui: &mut Ui, commands: &mut Vec<Command>) {
    let time = input.time;
    let mut send = |c: TimeCommand| commands.push(Command::Time(c));
    let mut view_change: Option<(Timestamp, Timestamp)> = None;
    ui.add_space(3.0);
    ui.horizontal(|ui| {
        if ui
            .button("|<")
            .on_hover_text(tr!("timeline-first-tip"))
            .clicked()
        {
            send(TimeCommand::Home);
        }
        if ui
            .button("<")
            .on_hover_text(tr!("timeline-prev-tip"))
            .clicked()
        {
            send(TimeCommand::StepPrev);
        }
        let play = if time.is_playing() {
            tr!("timeline-pause")
        } else {
            tr!("timeline-play")
        };
        if ui
            .button(play)
            .on_hover_text(tr!("timeline-play-tip"))
            .clicked()
        {
            send(TimeCommand::TogglePlayPause);
        }
        if ui
            .button(">")
            .on_hover_text(tr!("timeline-next-tip"))
            .clicked()
        {
            send(TimeCommand::StepNext);
        }
        if ui
            .button(">|")
            .on_hover_text(tr!("timeline-last-tip"))
            .clicked()
        {
            send(TimeCommand::End);
        }
        egui::ComboBox::from_label(tr!("timeline-speed"))
            .selected_text(speed_label(time.speed()))
            .show_ui(ui, |ui| {
                for s in SPEEDS_SECS_PER_SEC {
                    if ui
                        .selectable_label(time.speed() == s, speed_label(s))
                        .clicked()
                    {
                        send(TimeCommand::SetSpeed(s));
                    }
                }
            })
            .response
            .on_hover_text(tr!("timeline-speed-tip"));
        let mut looping = time.is_looping();
        if ui.checkbox(&mut looping, tr!("timeline-loop")).changed() {
            send(TimeCommand::SetLoop(looping));
        }
        ui.separator();
        let mode_text = match time.mode() {
            TimeMode::Cumulative => tr!("timeline-cumulative"),
            TimeMode::Window { width_secs } => {
                tr!("timeline-window", span = window_label(width_secs))
            }
        };
        egui::ComboBox::from_label(tr!("timeline-mode"))
            .selected_text(mode_text)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(
                        time.mode() == TimeMode::Cumulative,
                        tr!("timeline-cumulative"),
                    )
                    .clicked()
                {
                    send(TimeCommand::SetMode(TimeMode::Cumulative));
                }
                for width_secs in WINDOWS_SECS {
                    let mode = TimeMode::Window { width_secs };
                    let label = tr!("timeline-window", span = window_label(width_secs));
                    if ui.selectable_label(time.mode() == mode, label).clicked() {
                        send(TimeCommand::SetMode(mode));
                    }
                }
            });
        egui::ComboBox::from_label(tr!("timeline-zone"))
            .selected_text(time.zone().label())
            .show_ui(ui, |ui| {
                for zone in DisplayZone::ALL {
                    if ui
                        .selectable_label(time.zone() == zone, zone.label())
                        .clicked()
                    {
                        send(TimeCommand::SetZone(zone));
                    }
                }
            });
        ui.separator();
        let id = ui.scope_id().with("jump text");
        let mut text: String = ui.data_mut(|d| d.get_temp(id).unwrap_or_default());
        let edit = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(tr!("timeline-jump-hint"))
                .desired_width(150.0),
        );
        let go = ui.button(tr!("timeline-go"));
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let error_id = id.with("error");
        if go.clicked() || enter {
            match parse_user_time(&text, time.zone()) {
                Ok(t) => {
                    send(TimeCommand::SetTime(t));
                    ui.data_mut(|d| {
                        d.remove::<String>(error_id);
                    });
                }
                Err(e) => ui.data_mut(|d| {
                    d.insert_temp(error_id, e);
                }),
            }
        }
        ui.data_mut(|d| d.insert_temp(id, text));
        if let Some(err) = ui.data(|d| d.get_temp::<String>(error_id)) {
            ui.label(RichText::new(err).color(Color32::from_rgb(0xc0, 0x20, 0x20)));
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button(tr!("timeline-sept-2022"))
                .on_hover_text(tr!("timeline-sept-2022-tip"))
                .clicked()
            {
                view_change = Some(september_2022());
            }
            if ui
                .button(tr!("timeline-fit-all"))
                .on_hover_text(tr!("timeline-fit-all-tip"))
                .clicked()
            {
                view_change = Some(fit_all(input.dataset.index.range()));
            }
        });
    });
    let rect = ui.available_rect_before_wrap();
    let rect = Rect::from_min_max(
        rect.min,
        pos2(rect.max.x, rect.max.y.max(rect.min.y + 60.0)),
    );
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, tr!("timeline-label")));
    if let Some(v) = chart(input, ui, rect, &response, commands) {
        view_change = Some(v);
    }
    if let Some((from, to)) = view_change {
        commands.push(Command::TimelineView(from, to));
    }
}

/// Draws the chart and handles scrubbing, zooming and panning; returns a new axis view.
fn chart(
    input: &TimelineInput,
    ui: &Ui,
    rect: Rect,
    response: &egui::Response,
    commands: &mut Vec<Command>,
) -> Option<(Timestamp, Timestamp)> {
    let painter = ui.painter_at(rect);
    let (from, to) = input.view;
    let (f, t) = (secs(from), secs(to).max(secs(from) + 60.0));
    let width = rect.width().max(1.0) as f64;
    let x_of = |s: f64| rect.left() + ((s - f) / (t - f) * width) as f32;
    let s_of = |x: f32| f + (x - rect.left()) as f64 / width * (t - f);
    let axis_h = 18.0;
    let ticks_h = 14.0;
    let hist = Rect::from_min_max(rect.min, pos2(rect.max.x, rect.max.y - axis_h - ticks_h));
    let ticks = Rect::from_min_max(
        pos2(rect.min.x, hist.max.y),
        pos2(rect.max.x, rect.max.y - axis_h),
    );
    let axis = Rect::from_min_max(pos2(rect.min.x, ticks.max.y), rect.max);
    painter.rect_filled(rect, 2.0, Color32::from_gray(250));
    painter.rect_filled(axis, 0.0, Color32::from_gray(235));

    // Shaded interval shown at the cursor.
    let (shown_from, shown_to) = input.time.shown_interval();
    let sx0 = x_of(secs(shown_from).max(f - 1.0));
    let sx1 = x_of(secs(shown_to));
    if sx1 > rect.left() {
        painter.rect_filled(
            Rect::from_min_max(
                pos2(sx0.max(rect.left()), rect.top()),
                pos2(sx1.min(rect.right()), axis.top()),
            ),
            0.0,
            Color32::from_rgba_unmultiplied(0x33, 0x88, 0xff, 28),
        );
    }

    // Histogram per bucket, stacked by kind.
    let bucket = [
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86_400,
        7 * 86_400,
        30 * 86_400,
        91 * 86_400,
    ]
    .into_iter()
    .find(|b| (t - f) / *b as f64 <= width / 5.0)
    .unwrap_or(365 * 86_400) as f64;
    let n = ((t - f) / bucket).ceil().clamp(1.0, 5000.0) as usize;
    let ds = input.dataset;
    let to = at_secs(f + n as f64 * bucket);
    // Counted again only when the events or the axis change (a million events take a while).
    let key = (ds.generation, from, to, n);
    let id = ui.scope_id().with("timeline histogram");
    let cached: Option<Arc<Histogram>> = ui.data(|d| d.get_temp(id));
    let counts = match cached.filter(|h| h.key == key) {
        Some(h) => h,
        None => {
            // Buckets finer than a day leave out the events known only to the day: they are
            // drawn over their whole day below, not counted at a made-up hour.
            let fine = bucket < 86_400.0;
            let counts = ds.index.histogram(from, to, n, |r| match ds.draw(r) {
                Some(d) if fine && d.day_only => usize::MAX,
                d => d
                    .and_then(|d| d.kind)
                    .map_or(EventKind::Other.index(), EventKind::index),
            });
            let h = Arc::new(Histogram { key, counts });
            ui.data_mut(|d| d.insert_temp(id, Arc::clone(&h)));
            h
        }
    };
    let counts = &counts.counts;
    let max = counts
        .iter()
        .map(|c| c.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    for (i, c) in counts.iter().enumerate() {
        let x0 = x_of(f + i as f64 * bucket);
        let x1 = x_of(f + (i + 1) as f64 * bucket) - 1.0;
        let mut y = hist.bottom();
        for (k, &count) in c.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let h = count as f32 / max * (hist.height() - 6.0);
            let kind = EventKind::ALL.get(k).copied().unwrap_or(EventKind::Other);
            painter.rect_filled(
                Rect::from_min_max(pos2(x0, y - h), pos2(x1.max(x0 + 1.0), y)),
                0.0,
                kind_color(kind).gamma_multiply(0.85),
            );
            y -= h;
        }
    }

    // Events known only to the day, when the buckets are finer: a band over the day, one
    // event's height, so overlapping days stack up in shade.
    if bucket < 86_400.0 && ds.events.len() <= MAX_TICKS {
        let unit = ((hist.height() - 6.0) / max).min(8.0);
        for e in ds.events.iter().filter(|e| e.day_only) {
            let (a, b) = (secs(e.span.start()), secs(e.span.end()));
            if b < f || a > t {
                continue;
            }
            let (xa, xb) = (x_of(a).max(hist.left()), x_of(b).min(hist.right()));
            painter.rect_filled(
                Rect::from_min_max(pos2(xa, hist.bottom() - unit), pos2(xb, hist.bottom())),
                0.0,
                kind_color(e.kind).gamma_multiply(0.3),
            );
        }
    }

    // A tick per event (a bar over its span), when there are few enough to tell apart; else
    // the histogram says it.
    let starting = ds.index.entries();
    let lo = starting.partition_point(|(_, s)| s.start() < from);
    let hi = starting.partition_point(|(_, s)| s.start() <= to);
    // (The events are the index's entries, in the same order.)
    let ticks_shown = if ds.events.len() <= MAX_TICKS {
        0..ds.events.len()
    } else if hi - lo <= MAX_TICKS {
        lo..hi
    } else {
        0..0
    };
    // One mesh of plain quads, made again only when the events, the axis or its place
    // change: thousands of ticks drawn as rounded shapes each frame took most of a frame's
    // drawing (and its allocations) whatever else moved.
    let ppp = ui.ctx().pixels_per_point();
    let key = (
        ds.generation,
        from,
        to,
        [ticks.min.x, ticks.min.y, ticks.max.x, ticks.max.y, ppp].map(f32::to_bits),
    );
    let id = ui.scope_id().with("timeline ticks");
    let cached: Option<Arc<Ticks>> = ui.data(|d| d.get_temp(id));
    let mesh = match cached.filter(|c| c.key == key) {
        Some(c) => Arc::clone(&c.mesh),
        None => {
            let snap = |x: f32| (x * ppp).round() / ppp;
            let px = 1.0 / ppp;
            let mut mesh = Mesh::default();
            for e in ds.events.range(ticks_shown) {
                let (a, b) = (secs(e.span.start()), secs(e.span.end()));
                if b < f || a > t {
                    continue;
                }
                let c = kind_color(e.kind);
                let xa = snap(x_of(a).max(rect.left() - 4.0));
                let xb = snap(x_of(b).min(rect.right() + 4.0)).max(xa + 2.0 * px);
                let (top, bottom) = (ticks.top() + 3.0, ticks.bottom() - 3.0);
                mesh.add_colored_rect(
                    Rect::from_min_max(pos2(xa, top), pos2(xb, bottom)),
                    c.gamma_multiply(0.5),
                );
                let (top, bottom) = if e.day_only {
                    (ticks.top() + 2.0, ticks.bottom() - 2.0)
                } else {
                    (ticks.top() + 1.0, ticks.bottom() - 1.0)
                };
                if e.day_only {
                    // Known only to the day: the whole day(s), edged, with no hour marked.
                    for edge in [
                        Rect::from_min_max(pos2(xa, top), pos2(xb, top + px)),
                        Rect::from_min_max(pos2(xa, bottom - px), pos2(xb, bottom)),
                        Rect::from_min_max(pos2(xa, top), pos2(xa + px, bottom)),
                        Rect::from_min_max(pos2(xb - px, top), pos2(xb, bottom)),
                    ] {
                        mesh.add_colored_rect(edge, c);
                    }
                } else {
                    // The moment it starts.
                    mesh.add_colored_rect(
                        Rect::from_min_max(pos2(xa - px, top), pos2(xa + px, bottom)),
                        c,
                    );
                }
            }
            let mesh = Arc::new(mesh);
            ui.data_mut(|d| {
                d.insert_temp(
                    id,
                    Arc::new(Ticks {
                        key,
                        mesh: Arc::clone(&mesh),
                    }),
                );
            });
            mesh
        }
    };
    if !mesh.is_empty() {
        painter.add(egui::Shape::Mesh(mesh));
    }

    // Date labels on the axis.
    let zone = input.time.zone();
    let step = [
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86_400,
        2 * 86_400,
        7 * 86_400,
        30 * 86_400,
        91 * 86_400,
        365 * 86_400,
    ]
    .into_iter()
    .find(|s| (t - f) / *s as f64 <= width / 95.0)
    .unwrap_or(730 * 86_400) as f64;
    let offset = zone.tz().to_offset(from).seconds() as f64;
    let mut s = ((f + offset) / step).floor() * step - offset;
    while s <= t {
        let x = x_of(s);
        if x >= rect.left() {
            painter.line_segment(
                [pos2(x, axis.top()), pos2(x, axis.top() + 4.0)],
                Stroke::new(1.0, Color32::from_gray(120)),
            );
            let label = if step < 86_400.0 {
                zone.format(at_secs(s))
            } else {
                zone.format_date(at_secs(s))
            };
            painter.text(
                pos2(x + 3.0, axis.center().y),
                Align2::LEFT_CENTER,
                label,
                FontId::proportional(10.0),
                Color32::from_gray(60),
            );
        }
        s += step;
    }

    // B's cursor, when comparing: blue, labelled.
    if let Some(b) = input.compare {
        let bx = x_of(secs(b));
        if (rect.left()..=rect.right()).contains(&bx) {
            let blue = Color32::from_rgb(0x20, 0x50, 0xd0);
            painter.line_segment(
                [pos2(bx, rect.top()), pos2(bx, axis.top())],
                Stroke::new(2.0, blue),
            );
            painter.text(
                pos2(bx + 3.0, rect.top() + 1.0),
                Align2::LEFT_TOP,
                "B",
                FontId::proportional(11.0),
                blue,
            );
        }
    }
    // The cursor.
    let cx = x_of(secs(input.time.cursor()));
    if (rect.left()..=rect.right()).contains(&cx) {
        painter.line_segment(
            [pos2(cx, rect.top()), pos2(cx, axis.top())],
            Stroke::new(2.0, Color32::from_rgb(0xe0, 0x20, 0x20)),
        );
        painter.circle_filled(
            pos2(cx, rect.top() + 4.0),
            4.0,
            Color32::from_rgb(0xe0, 0x20, 0x20),
        );
    }

    // Scrub (chart), pan (axis strip), zoom (wheel).
    let pointer = response
        .interact_pointer_pos()
        .or_else(|| response.hover_pos());
    let on_axis = response
        .interact_pointer_pos()
        .is_some_and(|p| p.y >= axis.top());
    if (response.dragged() || response.clicked())
        && !on_axis
        && let Some(p) = response.interact_pointer_pos()
    {
        commands.push(Command::Time(TimeCommand::SetTime(at_secs(s_of(p.x)))));
    }
    if response.dragged() && on_axis {
        let dx = response.drag_delta().x as f64 / width * (t - f);
        return Some((at_secs(f - dx), at_secs(t - dx)));
    }
    if response.hovered() {
        let (scroll, zoom) = ui.input(|i| {
            (
                i.smooth_scroll_delta.y + i.smooth_scroll_delta.x,
                i.zoom_delta(),
            )
        });
        let factor = (-(scroll as f64) * 0.003).exp() / zoom as f64;
        if (factor - 1.0).abs() > 1e-4
            && let Some(p) = pointer
        {
            let anchor = s_of(p.x);
            let (nf, nt) = (
                anchor - (anchor - f) * factor,
                anchor + (t - anchor) * factor,
            );
            if nt - nf > 3600.0 && nt - nf < 50.0 * 365.0 * 86_400.0 {
                return Some((at_secs(nf), at_secs(nt)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_are_labelled() {
        assert_eq!(speed_label(3600), "1 h/s");
        assert_eq!(speed_label(86_400), "1 day/s");
        assert_eq!(speed_label(7 * 86_400), "1 week/s");
        crate::i18n::set_lang(crate::i18n::Lang::Ru);
        assert_eq!(speed_label(3 * 3600), "3 ч/с");
        crate::i18n::set_lang(crate::i18n::Lang::En);
    }

    #[test]
    fn window_widths_are_labelled_in_both_languages() {
        let labels = |lang| {
            crate::i18n::set_lang(lang);
            let l: Vec<String> = WINDOWS_SECS.into_iter().map(window_label).collect();
            crate::i18n::set_lang(crate::i18n::Lang::En);
            l
        };
        assert_eq!(
            labels(crate::i18n::Lang::En),
            [
                "6 hours", "12 hours", "1 day", "3 days", "1 week", "30 days"
            ]
        );
        assert_eq!(
            labels(crate::i18n::Lang::Ru),
            [
                "6 часов",
                "12 часов",
                "1 день",
                "3 дня",
                "1 неделя",
                "30 дней"
            ]
        );
        assert_eq!(window_label(5 * 3600), "custom");
    }

    #[test]
    fn fit_all_pads_the_range() {
        let a: Timestamp = "2021-01-01T00:00:00Z".parse().unwrap();
        let b: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        let (f, t) = fit_all(Some((a, b)));
        assert!(f < a && t > b);
    }
}
