//! What the analyst put on the map: measurements (paths with each leg's length, shapes with
//! their area, range rings with their radii), the path being clicked, and the marker of the
//! last Go to. Drawn by the scene, so the window and every export show the same.

use egui::{Align2, Color32, FontId, Painter, Pos2, Shape, Stroke, pos2, vec2};
use walkers::{Projector, lon_lat};

use super::overlay::MapMenu;

use crate::instruments::measure::{Measure, Measurement, RING_SEGMENTS};
use crate::instruments::{coords, geodesy};

/// The marker of a Go to or a search: a point and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    /// `[lon, lat]`.
    pub at: [f64; 2],
    /// What was asked for ("Vorukh", "42TXK5522336003").
    pub label: String,
}

/// What is drawn over the data.
#[derive(Clone, Copy, Default)]
pub struct Marks<'a> {
    /// The measurements and the path being clicked.
    pub measure: Option<&'a Measure>,
    /// The Go to marker.
    pub marker: Option<&'a Marker>,
    /// The pointer's position, for the rubber band of the path being clicked.
    pub pointer: Option<[f64; 2]>,
    /// Draw each site's precision area (the window's legend choice).
    pub precision_areas: bool,
}

const INK: Color32 = Color32::from_rgb(0xd3, 0x54, 0x00);
const HALO: Color32 = Color32::from_rgba_premultiplied(255, 255, 255, 220);

/// Draws the marks.
pub fn draw(painter: &Painter, projector: &Projector, marks: &Marks) {
    let screen = |[lon, lat]: [f64; 2]| projector.project(lon_lat(lon, lat)).to_pos2();
    if let Some(m) = marks.measure {
        if m.visible {
            for item in &m.items {
                draw_measurement(painter, &screen, item);
            }
        }
        if m.tool.is_some() && !m.drawing.is_empty() {
            let mut points = m.drawing.clone();
            points.extend(marks.pointer);
            draw_path(painter, &screen, &points, false, true);
        }
    }
    if let Some(marker) = marks.marker {
        let p = screen(marker.at);
        let stroke = Stroke::new(2.0, Color32::WHITE);
        painter.circle(p, 7.0, Color32::from_rgb(0x8e, 0x44, 0xad), stroke);
        painter.circle_filled(p, 2.0, Color32::WHITE);
        label(
            painter,
            p + vec2(10.0, -10.0),
            &marker.label,
            Align2::LEFT_BOTTOM,
        );
    }
}

fn draw_measurement(painter: &Painter, screen: &dyn Fn([f64; 2]) -> Pos2, item: &Measurement) {
    match item {
        Measurement::Path { points, closed } => draw_path(painter, screen, points, *closed, false),
        Measurement::Rings { center, radii } => {
            let c = screen(*center);
            for &r in radii {
                let ring: Vec<Pos2> = geodesy::ring(*center, r, RING_SEGMENTS)
                    .into_iter()
                    .map(screen)
                    .collect();
                painter.add(Shape::line(ring.clone(), Stroke::new(3.5, HALO)));
                painter.add(Shape::line(ring, Stroke::new(1.5, INK)));
                // The radius written at the ring's top.
                let top = screen(geodesy::destination(*center, 0.0, r));
                label(
                    painter,
                    top,
                    &geodesy::format_distance(r),
                    Align2::CENTER_BOTTOM,
                );
            }
            painter.circle(c, 3.5, INK, Stroke::new(1.5, Color32::WHITE));
        }
    }
}

/// A path with each leg's length at its middle and the total at its end; a closed shape
/// filled lightly with its area at its centre.
fn draw_path(
    painter: &Painter,
    screen: &dyn Fn([f64; 2]) -> Pos2,
    points: &[[f64; 2]],
    closed: bool,
    live: bool,
) {
    let f = geodesy::figures(points, closed);
    let mut ring: Vec<Pos2> = points.iter().map(|&p| screen(p)).collect();
    if ring.is_empty() {
        return;
    }
    if f.area.is_some() {
        ring.push(ring[0]);
        // Filled as a see-through polygon (egui fills convex shapes only, so the outline
        // carries the shape and the fill is a light wash).
        let fill = Color32::from_rgba_unmultiplied(0xd3, 0x54, 0x00, 28);
        painter.add(Shape::convex_polygon(ring.clone(), fill, Stroke::NONE));
    }
    let dash = if live { 1.5 } else { 2.0 };
    painter.add(Shape::line(ring.clone(), Stroke::new(dash + 2.5, HALO)));
    painter.add(Shape::line(ring.clone(), Stroke::new(dash, INK)));
    for p in &ring {
        painter.circle(*p, 3.5, INK, Stroke::new(1.5, Color32::WHITE));
    }
    if f.legs.len() > 1 || f.area.is_some() {
        for (leg, w) in f.legs.iter().zip(ring.windows(2)) {
            let mid = pos2((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0);
            if w[0].distance(w[1]) > 60.0 {
                label(
                    painter,
                    mid,
                    &geodesy::format_distance(leg.metres),
                    Align2::CENTER_CENTER,
                );
            }
        }
    }
    let Some(&end) = ring.last() else { return };
    let total = match f.area {
        Some(area) => format!(
            "{} · perimeter {}",
            geodesy::format_area(area),
            geodesy::format_distance(f.total)
        ),
        None => match f.legs.last() {
            Some(last) if f.legs.len() == 1 => format!(
                "{} · {}",
                geodesy::format_distance(f.total),
                geodesy::format_bearing(last.bearing)
            ),
            Some(_) => format!("total {}", geodesy::format_distance(f.total)),
            None => return,
        },
    };
    let at = if f.area.is_some() {
        let n = (ring.len() - 1).max(1) as f32;
        let sum = ring[..ring.len() - 1]
            .iter()
            .fold(vec2(0.0, 0.0), |s, p| s + p.to_vec2());
        (sum / n).to_pos2()
    } else {
        end + vec2(8.0, -8.0)
    };
    let align = if f.area.is_some() {
        Align2::CENTER_CENTER
    } else {
        Align2::LEFT_BOTTOM
    };
    label(painter, at, &total, align);
}

/// Text on a white box, readable over any basemap.
fn label(painter: &Painter, at: Pos2, text: &str, align: Align2) {
    let font = FontId::proportional(12.0);
    let galley = painter.layout_no_wrap(text.to_string(), font, Color32::from_gray(20));
    let rect = align.anchor_size(at, galley.size()).expand(3.0);
    painter.rect_filled(rect, 3.0, HALO);
    painter.galley(rect.min + vec2(3.0, 3.0), galley, Color32::from_gray(20));
}

/// The map's right-click menu: copy the position clicked as decimal degrees, DMS or MGRS,
/// start a measurement or put range rings there.
pub fn map_menu(response: &egui::Response, at: impl Fn(Pos2) -> [f64; 2]) -> Option<MapMenu> {
    let id = response.id.with("menu position");
    if response.secondary_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        response.ctx.data_mut(|d| d.insert_temp(id, at(p)));
    }
    let mut choice = None;
    response.context_menu(|ui| {
        let Some(p) = ui.ctx().data(|d| d.get_temp::<[f64; 2]>(id)) else {
            return;
        };
        let ll = coords::LonLat {
            lon: p[0],
            lat: p[1],
        };
        let mut forms = vec![coords::format_decimal(ll), coords::format_dms(ll)];
        forms.extend(coords::format_mgrs(ll, 5).ok());
        for text in forms {
            // The UI font has no prime signs: shown with ASCII ones, copied with the real.
            let shown = text.replace('′', "'").replace('″', "\"");
            if ui.button(format!("Copy {shown}")).clicked() {
                choice = Some(MapMenu::Copy(text));
                ui.close();
            }
        }
        ui.separator();
        if ui.button("Measure from here").clicked() {
            choice = Some(MapMenu::MeasureFrom(p));
            ui.close();
        }
        if ui.button("Range rings here").clicked() {
            choice = Some(MapMenu::RingsAt(p));
            ui.close();
        }
    });
    choice
}

/// The pointer's position at the top of the map (the attribution takes the bottom), as
/// decimal degrees and MGRS.
pub fn pointer_readout(ui: &egui::Ui, rect: egui::Rect, [lon, lat]: [f64; 2]) {
    let ll = coords::LonLat { lon, lat };
    let mut text = coords::format_decimal(ll);
    if let Ok(mgrs) = coords::format_mgrs(ll, 5) {
        text.push_str("   ");
        text.push_str(&mgrs);
    }
    let painter = ui.painter_at(rect);
    label(
        &painter,
        pos2(rect.center().x, rect.top() + 8.0),
        &text,
        Align2::CENTER_TOP,
    );
}

/// Each site of a shown event that is not exact, as the area it may lie in: a circle of its
/// precision class's radius (a village 2 km, a district more), in its kind's colour.
pub fn precision_areas(
    painter: &Painter,
    projector: &Projector,
    ds: &crate::model::dataset::Dataset,
    shown: &dyn Fn(crate::time::FeatureRef) -> Option<f32>,
) {
    use crate::model::dataset::LayerRole;
    for (li, entry) in ds.layers.iter().enumerate() {
        if !entry.visible || entry.role != LayerRole::Events {
            continue;
        }
        for e in entry.events() {
            let r = crate::time::FeatureRef::new(li as u32, e.feature);
            let Some(alpha) = shown(r) else { continue };
            let Some(f) = ds.feature(r) else { continue };
            let Some(record) =
                crate::model::event::EventRecord::from_feature(li as u32, e.feature, f)
            else {
                continue;
            };
            let color = crate::map::style::kind_color(record.kind);
            for site in record.sites.iter().filter(|s| s.radius_km > 0.0) {
                let at = lon_lat(site.at[0], site.at[1]);
                let centre = projector.project(at).to_pos2();
                let radius = (site.radius_km * 1000.0) as f32 * projector.scale_pixel_per_meter(at);
                if !radius.is_finite() || radius < 2.0 {
                    continue;
                }
                painter.circle(
                    centre,
                    radius,
                    color.gamma_multiply(0.10 * alpha),
                    Stroke::new(1.0, color.gamma_multiply(0.7 * alpha)),
                );
            }
        }
    }
}
