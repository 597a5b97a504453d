//! Where the map looks: the named views, and the one zoom policy of the window and of every
//! export (the range offered, how far "zoom to layer" goes).

use egui::{Pos2, Rect, pos2};
use walkers::{MapMemory, Projector, lon_lat};

use crate::model::geom::{mercator, unmercator};

/// Named map views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewPreset {
    /// Batken–Isfara: the conflict area.
    ConflictArea,
    /// All of Central Asia.
    CentralAsia,
    /// The world, with the valley near the middle.
    World,
}

impl ViewPreset {
    /// Centre (lon, lat) and zoom.
    pub fn view(self) -> (f64, f64, f64) {
        match self {
            ViewPreset::ConflictArea => (70.45, 40.0, 9.0),
            ViewPreset::CentralAsia => (68.5, 40.5, 5.0),
            ViewPreset::World => (60.0, 30.0, 2.0),
        }
    }
}

/// The shallowest zoom offered.
pub const MIN_ZOOM: f64 = 1.0;
/// The deepest zoom offered: beyond it the 10 m source data has nothing more to show.
pub const MAX_ZOOM: f64 = 17.0;
/// The deepest zoom "zoom to layer" goes to, so a single point keeps its surroundings.
pub const FIT_MAX_ZOOM: f64 = 15.0;

/// A zoom within [`MIN_ZOOM`]..=[`MAX_ZOOM`] (a zoom that is not a number: the default).
pub fn clamp_zoom(zoom: f64) -> f64 {
    if zoom.is_finite() {
        zoom.clamp(MIN_ZOOM, MAX_ZOOM)
    } else {
        ViewPreset::ConflictArea.view().2
    }
}

/// Centre (lon, lat) and zoom that show a mercator box `[min x, min y, max x, max y]` in a
/// map of `size` points with a margin, at most [`FIT_MAX_ZOOM`].
pub fn fit(bbox: [f64; 4], size: egui::Vec2) -> (f64, f64, f64) {
    let (lon, lat) = unmercator([(bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0]);
    let (w, h) = ((bbox[2] - bbox[0]).max(1e-9), (bbox[3] - bbox[1]).max(1e-9));
    let zoom = ((size.x as f64 * 0.9 / (w * 256.0)).min(size.y as f64 * 0.9 / (h * 256.0))).log2();
    (lon, lat, zoom.clamp(MIN_ZOOM, FIT_MAX_ZOOM))
}

/// The map position of a view: centre and zoom.
pub fn memory_at(lon: f64, lat: f64, zoom: f64) -> MapMemory {
    let mut memory = MapMemory::default();
    memory.center_at(lon_lat(lon, lat));
    let _ = memory.set_zoom(clamp_zoom(zoom));
    memory
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::geom::mercator;

    #[test]
    fn zoom_stays_in_the_offered_range() {
        assert_eq!(clamp_zoom(25.0), MAX_ZOOM);
        assert_eq!(clamp_zoom(0.0), MIN_ZOOM);
        assert_eq!(clamp_zoom(f64::NAN), 9.0);
        assert_eq!(clamp_zoom(12.5), 12.5);
    }

    #[test]
    fn fitting_a_point_stops_at_the_fit_limit() {
        let p = mercator(70.6, 40.0);
        let (lon, lat, zoom) = fit([p[0], p[1], p[0], p[1]], egui::vec2(800.0, 600.0));
        assert!((lon - 70.6).abs() < 1e-9 && (lat - 40.0).abs() < 1e-9);
        assert_eq!(zoom, FIT_MAX_ZOOM);
        let a = mercator(60.0, 35.0);
        let b = mercator(80.0, 45.0);
        let (_, _, wide) = fit([a[0], b[1], b[0], a[1]], egui::vec2(800.0, 600.0));
        assert!(wide > 4.0 && wide < 6.0, "{wide}");
    }
}

/// Maps mercator to screen for one frame: an affine transform.
#[derive(Clone, Copy, Debug)]
pub struct View {
    /// Map rectangle on screen.
    pub rect: Rect,
    /// Mercator coordinates of the rectangle's centre.
    pub center: [f64; 2],
    /// Screen points per mercator unit (256 · 2^zoom).
    pub scale: f64,
    /// Zoom level.
    pub zoom: f64,
}

impl View {
    /// The view of a walkers projector.
    pub fn of(projector: &Projector) -> Self {
        let rect = projector.clip_rect();
        let c = projector.unproject(rect.center().to_vec2());
        Self {
            rect,
            center: mercator(c.x(), c.y()),
            scale: 256.0 * 2f64.powf(projector.zoom()),
            zoom: projector.zoom(),
        }
    }

    /// Screen position of a mercator point.
    pub fn to_screen(&self, p: [f64; 2]) -> Pos2 {
        let c = self.rect.center();
        pos2(
            c.x + ((p[0] - self.center[0]) * self.scale) as f32,
            c.y + ((p[1] - self.center[1]) * self.scale) as f32,
        )
    }

    /// Mercator position of a screen point.
    pub fn to_mercator(&self, s: Pos2) -> [f64; 2] {
        let c = self.rect.center();
        [
            self.center[0] + (s.x - c.x) as f64 / self.scale,
            self.center[1] + (s.y - c.y) as f64 / self.scale,
        ]
    }

    /// The mercator box seen, grown by `margin` screen points.
    pub fn mercator_box(&self, margin: f32) -> ([f64; 2], [f64; 2]) {
        let r = self.rect.expand(margin);
        (self.to_mercator(r.min), self.to_mercator(r.max))
    }
}
