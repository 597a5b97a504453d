//! Export: the map as a PNG for reports. The picture is the window's own map view (the same
//! [`map_scene_ui`] of `map::scene`, with its overlays, legend, scale bar, attribution and the cursor's time
//! with its zone, plus a title) rendered offscreen at the size asked, so an export larger
//! than the window is drawn at that resolution, not upscaled. Used by the window (Ctrl+E)
//! and by `bordermap export`; files are written whole or not at all.

pub mod chart;
pub mod cli;
pub mod extract;
pub mod render;
pub mod video;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Pos2, Rect, ViewportId, vec2};
use image::RgbaImage;

use crate::map::marks::Marks;
use crate::map::online::{BasemapError, BasemapSpec, make_tiles};
use crate::map::overlay::DrawCaches;
use crate::map::scene::{Basemap, MapScene, map_scene_ui};
use crate::map::view::memory_at;
use crate::model::dataset::Dataset;
use crate::time::TimeControl;
use render::Offscreen;

/// What can go wrong exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No rendering device, or it failed.
    #[error("{0}")]
    Gpu(String),
    /// The basemap asked for cannot be used.
    #[error(transparent)]
    Basemap(#[from] BasemapError),
    /// The file could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Where the map looks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    /// Centre longitude.
    pub lon: f64,
    /// Centre latitude.
    pub lat: f64,
    /// Zoom level.
    pub zoom: f64,
}

/// One picture to make.
#[derive(Clone)]
pub struct Request<'a> {
    /// Layers and events.
    pub dataset: &'a Dataset,
    /// Cursor, mode and zone.
    pub time: &'a TimeControl,
    /// Map centre and zoom.
    pub view: MapView,
    /// Size of the picture in pixels.
    pub size_px: [u32; 2],
    /// Pixels per point: 1 for a plain export, 2 or 3 for a sharper copy of the window.
    pub pixels_per_point: f32,
    /// Title over the map.
    pub title: Option<String>,
    /// How long to wait for basemap tiles.
    pub tile_timeout: Duration,
    /// The basemap (online tiles are drawn over the offline map).
    pub basemap: BasemapSpec,
    /// The selected feature, drawn as selected.
    pub selection: Option<crate::time::FeatureRef>,
    /// Measurements to draw (when shown).
    pub measure: Option<&'a crate::instruments::measure::Measure>,
    /// A Go to marker to draw.
    pub marker: Option<&'a crate::map::marks::Marker>,
    /// Draw each site's precision area.
    pub precision_areas: bool,
}

/// A picture and what was not quite right about it.
pub struct Picture {
    /// The pixels.
    pub image: RgbaImage,
    /// E.g. tiles that were still missing.
    pub warnings: Vec<String>,
}

/// Renders map pictures offscreen; keeps its device, basemap and drawing caches between
/// pictures (its own: never shared with the window or another export).
pub struct Exporter {
    offscreen: Offscreen,
    ctx: egui::Context,
    basemap: Basemap,
    online: Option<(BasemapSpec, Box<dyn walkers::Tiles>)>,
    caches: DrawCaches,
    /// The size of the last picture drawn: the next one of that size needs no sizing pass.
    warm: Option<[u32; 2]>,
}

impl Exporter {
    /// Starts the offscreen renderer and the basemap.
    pub fn new() -> Result<Self, ExportError> {
        let offscreen = Offscreen::new();
        let ctx = egui::Context::default();
        ctx.set_theme(egui::Theme::Light);
        ctx.all_styles_mut(|s| s.animation_time = 0.0);
        let basemap = Basemap::bundled(&ctx);
        Ok(Self {
            offscreen,
            ctx,
            basemap,
            online: None,
            // Every feature drawn at the picture's resolution, at once: no layer tiles.
            caches: DrawCaches::disabled(),
            warm: None,
        })
    }

    /// The pictures to come are frames of one animation: what each shares with the one before
    /// (the basemap and the layers that do not change with time) is drawn once.
    pub fn reuse_frames(&mut self) {
        self.offscreen.reuse_frames();
        self.caches.keep_parts();
    }

    /// Renders one picture, waiting (up to the timeout) until every basemap tile is drawn.
    pub fn render(&mut self, req: &Request) -> Result<Picture, ExportError> {
        let ppp = req.pixels_per_point.max(0.25);
        let size_points = vec2(req.size_px[0] as f32 / ppp, req.size_px[1] as f32 / ppp);
        let mut input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size_points)),
            max_texture_side: Some(8192),
            ..Default::default()
        };
        if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
            viewport.native_pixels_per_point = Some(ppp);
        }
        let mut memory = memory_at(req.view.lon, req.view.lat, req.view.zoom);
        let visible = req.dataset.index.visible(req.time);
        if self.online.as_ref().map(|(s, _)| s) != Some(&req.basemap) {
            self.online = make_tiles(&req.basemap, &self.ctx)?.map(|t| (req.basemap.clone(), t));
        }
        let started = Instant::now();
        let mut settled = 0;
        // A new size: the legend and labels size themselves in a first pass. The same size
        // again (the frames of an animation): one pass once every tile is in.
        let passes = if self.warm == Some(req.size_px) { 1 } else { 2 };
        let mut warnings = Vec::new();
        loop {
            let basemap = &mut self.basemap;
            let caches = &mut self.caches;
            let attribution = req.basemap.attribution();
            let mut online = self.online.as_mut().map(|(_, t)| t);
            let mut output = self.ctx.run_ui(input.clone(), |ui| {
                egui::CentralPanel::no_frame().show(ui, |ui| {
                    let scene = MapScene {
                        dataset: req.dataset,
                        visible: &visible,
                        time: req.time,
                        selection: req.selection,
                        basemap: &mut *basemap,
                        memory: &mut memory,
                        caches: &mut *caches,
                        title: req.title.as_deref(),
                        online: online
                            .as_mut()
                            .map(|t| (t.as_mut() as &mut dyn walkers::Tiles, attribution.clone())),
                        interactive: false,
                        marks: Marks {
                            measure: req.measure,
                            marker: req.marker,
                            pointer: None,
                            precision_areas: req.precision_areas,
                        },
                        precision_areas: req.precision_areas,
                    };
                    map_scene_ui(ui, scene);
                });
            });
            self.offscreen.textures(&mut output.textures_delta);
            let pending = self.basemap.tiles.in_progress()
                + self
                    .online
                    .as_ref()
                    .map_or(0, |(_, t)| t.stats().in_progress);
            settled = if pending == 0 { settled + 1 } else { 0 };
            let late = started.elapsed() > req.tile_timeout;
            if settled >= passes || late {
                if late && pending > 0 {
                    warnings.push(format!(
                        "{pending} basemap tiles were not ready after {:.0} s; the picture shows a coarser basemap there",
                        req.tile_timeout.as_secs_f64()
                    ));
                }
                let image = self.offscreen.render(&self.ctx, &output, req.size_px)?;
                self.warm = Some(req.size_px);
                return Ok(Picture { image, warnings });
            }
            std::thread::sleep(Duration::from_millis(if pending > 0 { 5 } else { 0 }));
        }
    }
}

/// Renders `request` and writes it to `path`; the message says what was written (and any
/// warning, such as tiles that were not ready).
pub fn render_to_file(
    exporter: &mut Exporter,
    request: &Request,
    path: &Path,
) -> Result<String, ExportError> {
    let started = Instant::now();
    let picture = exporter.render(request)?;
    write_png(path, &picture.image)?;
    let mut msg = format!(
        "Wrote {} ({}×{}) in {:.1} s",
        path.display(),
        picture.image.width(),
        picture.image.height(),
        started.elapsed().as_secs_f64()
    );
    for w in picture.warnings {
        msg.push('\n');
        msg.push_str(&w);
    }
    Ok(msg)
}

/// Writes a PNG whole or not at all: to a temporary file beside it, then renamed. The
/// folder is created if it is missing.
pub fn write_png(path: &Path, image: &RgbaImage) -> Result<(), ExportError> {
    let err = |message: String| ExportError::Write {
        path: path.to_path_buf(),
        message,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| err(e.to_string()))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = image
        .save_with_format(&tmp, image::ImageFormat::Png)
        .map_err(|e| err(e.to_string()))
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| err(e.to_string())));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Two pictures of the same height side by side, with a dark seam between them.
pub fn side_by_side(left: &image::RgbaImage, right: &image::RgbaImage) -> image::RgbaImage {
    let (lw, h) = left.dimensions();
    let mut out = image::RgbaImage::new(lw + right.width(), h);
    image::imageops::replace(&mut out, left, 0, 0);
    image::imageops::replace(&mut out, right, i64::from(lw), 0);
    for y in 0..h {
        for x in lw.saturating_sub(1)..(lw + 1).min(out.width()) {
            out.put_pixel(x, y, image::Rgba([40, 40, 40, 255]));
        }
    }
    out
}

/// One picture from two of the same size: `a` left of column `x`, `b` from it on, with a
/// dark line at `x` (the window's swipe view).
pub fn swiped(a: &RgbaImage, b: &RgbaImage, x: u32) -> RgbaImage {
    let (w, h) = a.dimensions();
    let mut out = a.clone();
    for yy in 0..h.min(b.height()) {
        for xx in x.min(w)..w.min(b.width()) {
            out.put_pixel(xx, yy, *b.get_pixel(xx, yy));
        }
        for xx in x.saturating_sub(1)..(x + 1).min(w) {
            out.put_pixel(xx, yy, image::Rgba([40, 40, 40, 255]));
        }
    }
    out
}
