//! What sits on the map besides the data: the legend, the scale bar, the attribution of every
//! source shown, the current time with its zone, and the view buttons.

use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Shape, Stroke, Ui, pos2, vec2};
use walkers::Projector;

use crate::map::style::{BORDER_KG_TJ, BORDER_OTHER, kind_color, kind_symbol};
use crate::model::event::EventKind;
use crate::time::DisplayZone;
use crate::tr;

use super::view::ViewPreset;

/// Attribution of the bundled overlays (events.geojson carries its own as a top-level
/// `attribution` member: GeoNames coordinates, OpenStreetMap zones), in the current language.
pub fn overlay_attribution() -> String {
    tr!("attribution-overlay")
}

/// The time shown over the map, in the current language: `"2022-09-16 12:00 UTC+06"`,
/// `"16 сентября 2022, 12:00 UTC+06"`.
pub fn time_text(zone: DisplayZone, t: jiff::Timestamp) -> String {
    let (date, clock, offset) = zone.parts(t);
    tr!(
        "time-on-map",
        iso = zone.format_date(t),
        day = date.day(),
        month = crate::i18n::month_in_date(date.month()),
        year = date.year().to_string(),
        clock = clock,
        offset = offset
    )
}

/// A round length in metres for a scale bar of at most `max_points` at `points_per_metre`.
pub fn scale_length(points_per_metre: f64, max_points: f64) -> (f64, String) {
    let max_m = max_points / points_per_metre.max(1e-12);
    let mut best = 1.0;
    for exp in 0..8 {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(exp);
            if v <= max_m {
                best = v;
            }
        }
    }
    let label = if best >= 1000.0 {
        tr!("scale-km", n = (best / 1000.0).to_string())
    } else {
        tr!("scale-m", n = best.to_string())
    };
    (best, label)
}

/// Draws the scale bar at the bottom left of `rect`.
pub fn scale_bar(ui: &Ui, projector: &Projector, rect: Rect) {
    let center = projector.unproject(rect.center().to_vec2());
    let ppm = projector.scale_pixel_per_meter(center) as f64;
    let (metres, label) = scale_length(ppm, 120.0);
    let width = (metres * ppm) as f32;
    let painter = ui.painter_at(rect);
    let base = pos2(rect.left() + 14.0, rect.bottom() - 34.0);
    let bg = Rect::from_min_max(base - vec2(6.0, 18.0), base + vec2(width + 6.0, 8.0));
    painter.rect_filled(bg, 3.0, Color32::from_white_alpha(200));
    let stroke = Stroke::new(2.0, Color32::from_gray(30));
    painter.line_segment([base, base + vec2(width, 0.0)], stroke);
    painter.line_segment([base, base - vec2(0.0, 6.0)], stroke);
    painter.line_segment([base + vec2(width, 0.0), base + vec2(width, -6.0)], stroke);
    painter.text(
        base + vec2(width / 2.0, -8.0),
        Align2::CENTER_BOTTOM,
        label,
        FontId::proportional(11.0),
        Color32::from_gray(30),
    );
}

/// Draws the attribution line at the bottom right of `rect`; where the map is narrower than
/// the line, it wraps onto more lines rather than losing its start.
pub fn attribution(ui: &Ui, rect: Rect, basemap: Option<&str>) {
    let painter = ui.painter_at(rect);
    let text = match basemap {
        Some(b) => format!(
            "{b} · {} · {}",
            tr!("attribution-basemap"),
            overlay_attribution()
        ),
        None => format!("{} · {}", tr!("attribution-basemap"), overlay_attribution()),
    };
    let (font, color) = (FontId::proportional(10.5), Color32::from_gray(40));
    let one_line = painter.layout_no_wrap(text.clone(), font.clone(), color);
    let room = rect.width() - 14.0;
    let galley = if one_line.size().x > room {
        // Wrapped, it keeps clear of the scale bar at the bottom left.
        painter.layout(text, font, color, (room - 140.0).max(120.0))
    } else {
        one_line
    };
    let r = Align2::RIGHT_BOTTOM
        .anchor_size(rect.right_bottom() - vec2(4.0, 4.0), galley.size())
        .expand(3.0);
    painter.rect_filled(r, 2.0, Color32::from_white_alpha(210));
    painter.galley(r.min + vec2(3.0, 3.0), galley, Color32::from_gray(40));
}

/// The current time, naming its zone, at the top right of `rect`.
pub fn time_label(ui: &Ui, rect: Rect, text: &str) {
    let painter = ui.painter_at(rect);
    let galley = painter.layout_no_wrap(
        text.to_string(),
        FontId::proportional(15.0),
        Color32::from_gray(15),
    );
    let r = Align2::RIGHT_TOP
        .anchor_size(rect.right_top() + vec2(-10.0, 10.0), galley.size())
        .expand(5.0);
    painter.rect_filled(r, 4.0, Color32::from_white_alpha(225));
    painter.galley(r.min + vec2(5.0, 5.0), galley, Color32::from_gray(15));
}

fn swatch_point(ui: &mut Ui, color: Color32, symbol: &str, dashed: bool) {
    let (rect, _) = ui.allocate_exact_size(vec2(18.0, 16.0), egui::Sense::hover());
    let c = rect.center();
    ui.painter()
        .circle(c, 6.0, color, Stroke::new(1.0, Color32::WHITE));
    ui.painter().text(
        c,
        Align2::CENTER_CENTER,
        symbol,
        FontId::proportional(8.0),
        Color32::WHITE,
    );
    if dashed {
        let ring: Vec<Pos2> = (0..=24)
            .map(|i| {
                let a = i as f32 / 24.0 * std::f32::consts::TAU;
                c + vec2(a.cos(), a.sin()) * 8.0
            })
            .collect();
        ui.painter()
            .extend(Shape::dashed_line(&ring, Stroke::new(1.0, color), 2.0, 2.0));
    }
}

fn swatch_line(ui: &mut Ui, color: Color32, width: f32) {
    let (rect, _) = ui.allocate_exact_size(vec2(18.0, 16.0), egui::Sense::hover());
    ui.painter().line_segment(
        [rect.left_center(), rect.right_center()],
        Stroke::new(width, color),
    );
}

fn swatch_fill(ui: &mut Ui, fill: Color32, stroke: Color32) {
    let (rect, _) = ui.allocate_exact_size(vec2(18.0, 16.0), egui::Sense::hover());
    ui.painter().rect(
        rect.shrink(2.0),
        1.0,
        fill,
        Stroke::new(1.0, stroke),
        egui::StrokeKind::Inside,
    );
}

/// The legend of the layers and the view buttons, in a frame over the map's top left.
/// Returns the view preset whose button was clicked.
pub fn legend_ui(
    ui: &mut Ui,
    interactive: bool,
    layers: &[(String, Color32)],
    precision: bool,
) -> (Option<ViewPreset>, bool) {
    let mut go_to = None;
    let mut toggled = false;
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.set_max_width(230.0);
        if interactive {
            go_to = view_buttons_ui(ui);
        }
        legend_body_ui(ui, interactive);
        if interactive {
            let mut on = precision;
            toggled = ui
                .checkbox(&mut on, tr!("legend-precision-areas"))
                .on_hover_text(tr!("legend-precision-areas-tip"))
                .changed();
        } else if precision {
            ui.horizontal(|ui| {
                swatch_fill(
                    ui,
                    Color32::from_rgba_unmultiplied(90, 90, 90, 30),
                    Color32::GRAY,
                );
                ui.label(tr!("legend-precision-area"));
            });
        }
        for (name, color) in layers {
            ui.horizontal(|ui| {
                swatch_fill(ui, color.gamma_multiply(0.5), *color);
                ui.label(name);
            });
        }
    });
    (go_to, toggled)
}

fn view_buttons_ui(ui: &mut Ui) -> Option<ViewPreset> {
    let mut go_to = None;
    ui.horizontal(|ui| {
        if ui
            .button(tr!("view-conflict-area"))
            .on_hover_text(tr!("view-conflict-area-tip"))
            .clicked()
        {
            go_to = Some(ViewPreset::ConflictArea);
        }
        if ui
            .button(tr!("view-central-asia"))
            .on_hover_text(tr!("view-central-asia-tip"))
            .clicked()
        {
            go_to = Some(ViewPreset::CentralAsia);
        }
        if ui
            .button(tr!("view-world"))
            .on_hover_text(tr!("view-world-tip"))
            .clicked()
        {
            go_to = Some(ViewPreset::World);
        }
    });
    go_to
}

fn legend_body_ui(ui: &mut Ui, interactive: bool) {
    let body = |ui: &mut Ui| {
        ui.spacing_mut().item_spacing.y = 1.0;
        ui.horizontal(|ui| {
            swatch_line(ui, BORDER_KG_TJ, 3.0);
            ui.label(tr!("legend-border"));
        });
        ui.label(RichText::new(tr!("legend-border-note")).small().weak());
        ui.horizontal(|ui| {
            swatch_line(ui, BORDER_OTHER, 1.8);
            ui.label(tr!("legend-other-borders"));
        });
        ui.horizontal(|ui| {
            swatch_fill(
                ui,
                Color32::from_rgba_unmultiplied(0xc0, 0x39, 0x2b, 40),
                BORDER_KG_TJ,
            );
            ui.label(tr!("legend-enclave"));
        });
        ui.horizontal(|ui| {
            swatch_fill(
                ui,
                kind_color(EventKind::Evacuation).gamma_multiply(0.28),
                kind_color(EventKind::Evacuation),
            );
            ui.label(tr!("legend-evacuation-zone"));
        });
        for kind in EventKind::ALL
            .iter()
            .copied()
            .filter(|k| *k != EventKind::Evacuation && *k != EventKind::Other)
        {
            ui.horizontal(|ui| {
                swatch_point(ui, kind_color(kind), kind_symbol(kind), false);
                ui.label(kind.label_tr());
            });
        }
        ui.horizontal(|ui| {
            swatch_point(ui, Color32::GRAY, "", true);
            ui.label(tr!("legend-estimated"));
        });
        ui.label(RichText::new(tr!("legend-site-size")).small().weak());
    };
    if interactive {
        egui::CollapsingHeader::new(RichText::new(tr!("legend")).strong())
            .default_open(true)
            .show(ui, body);
    } else {
        ui.label(RichText::new(tr!("legend")).strong());
        body(ui);
    }
}

/// A title over the top left of `rect` (exports).
pub fn title_label(ui: &Ui, rect: Rect, text: &str) {
    let painter = ui.painter_at(rect);
    let galley = painter.layout(
        text.to_string(),
        FontId::proportional(20.0),
        Color32::from_gray(10),
        rect.width() * 0.6,
    );
    let r = Align2::LEFT_TOP
        .anchor_size(rect.left_top() + vec2(10.0, 10.0), galley.size())
        .expand(6.0);
    painter.rect_filled(r, 4.0, Color32::from_white_alpha(235));
    painter.galley(r.min + vec2(6.0, 6.0), galley, Color32::from_gray(10));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_lengths_are_round() {
        assert_eq!(scale_length(0.01, 120.0).1, "10 km");
        assert_eq!(scale_length(1.0, 120.0).1, "100 m");
        assert_eq!(scale_length(0.001, 120.0).1, "100 km");
    }
}
