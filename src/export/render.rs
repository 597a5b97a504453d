//! Offscreen rendering of an egui frame to an RGBA image, on the CPU: egui's triangles are
//! filled here, the way egui_wgpu's shader fills them with its predictable options
//! (premultiplied colour times the texture, bilinear filtering at texel centres, blending in
//! gamma space, no dithering, no multisampling; egui anti-aliases by feathering its meshes).
//!
//! No GPU, driver or window is needed, an export costs the picture and not a graphics stack
//! (a software GPU driver alone holds about 200 MB), and the same request gives the same
//! pixels on every machine.

use std::collections::HashMap;
use std::sync::Arc;

use egui::epaint::{ClippedShape, Mesh, Primitive, Vertex};
use egui::{ColorImage, TextureId, TextureWrapMode};
use image::RgbaImage;

use super::ExportError;

/// egui's textures, as the frames asked for them, and the frames' common picture.
#[derive(Default)]
pub struct Offscreen {
    textures: HashMap<TextureId, Texture>,
    /// Frames alike (an animation's) keep what they share: see [`Offscreen::reuse_frames`].
    frames: Option<Frames>,
}

/// A texture's pixels (premultiplied sRGBA, as egui gives them: shared with whoever made
/// them, not copied) and how it is sampled.
struct Texture {
    image: Arc<ColorImage>,
    nearest: bool,
    wrap: TextureWrapMode,
}

/// What the last frames of an animation had in common.
///
/// From one frame of an animation to the next only what depends on the time changes (the
/// events, the time label); the basemap and the static layers under them come first in the
/// frame's shapes and are the same shapes again. Those are drawn once into `picture`, and each
/// frame that starts with them copies it and draws only the rest.
#[derive(Default)]
struct Frames {
    /// The last frame's shapes, to find what the next one shares with it.
    last: Vec<ClippedShape>,
    /// The shared first shapes, and the picture they make on their own.
    prefix: Vec<ClippedShape>,
    picture: Option<RgbaImage>,
}

/// The most points a frame may hold for its shapes to be kept between frames (about 100 MB of
/// kept shapes): a bigger picture is drawn whole each time rather than held twice.
const MAX_KEPT_POINTS: usize = 1 << 22;

/// Shapes tessellated, and their triangles filled, at a time: a layer of millions of
/// vertices never has more than a few of its meshes in memory at once.
const SHAPES_PER_TESSELLATION: usize = 256;

/// The colour a picture starts from.
const BACKGROUND: [u8; 4] = [255, 255, 255, 255];

impl Offscreen {
    /// A renderer with no textures yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// From now on, pictures are frames of one animation: what a frame shares with the one
    /// before (its first shapes, the basemap and static layers) is drawn once and reused.
    pub fn reuse_frames(&mut self) {
        self.frames.get_or_insert_with(Frames::default);
    }

    /// Sets, patches and frees the textures a frame asked for.
    pub fn textures(&mut self, delta: &mut egui::TexturesDelta) {
        // A texture replaced whole or freed may be one the kept picture was drawn with (a
        // patch only adds to a texture: the font atlas's new glyphs).
        let replaced = delta
            .set
            .iter()
            .any(|(_, d)| d.iter().any(|d| d.pos.is_none()))
            || !delta.free.is_empty();
        if replaced && let Some(frames) = &mut self.frames {
            *frames = Frames::default();
        }
        for (id, images) in std::mem::take(&mut delta.set) {
            for delta in images {
                self.set_texture(id, &delta);
            }
        }
        for id in std::mem::take(&mut delta.free) {
            self.textures.remove(&id);
        }
    }

    fn set_texture(&mut self, id: TextureId, delta: &egui::epaint::ImageDelta) {
        let egui::ImageData::Color(image) = &delta.image;
        let [w, h] = image.size;
        if image.pixels.len() != w * h {
            log::warn!(
                "export: texture {id:?} has {} pixels for {w}×{h}",
                image.pixels.len()
            );
            return;
        }
        match delta.pos {
            None => {
                self.textures.insert(
                    id,
                    Texture {
                        image: Arc::clone(image),
                        nearest: delta.options.magnification == egui::TextureFilter::Nearest,
                        wrap: delta.options.wrap_mode,
                    },
                );
            }
            Some([x0, y0]) => {
                // A patch of a texture never set is ignored, as is any part of a patch outside
                // its texture.
                let Some(texture) = self.textures.get_mut(&id) else {
                    log::warn!("export: a patch for texture {id:?}, which was never set");
                    return;
                };
                let target = Arc::make_mut(&mut texture.image);
                let [tw, th] = target.size;
                let n = w.min(tw.saturating_sub(x0));
                for y in (0..h.min(th.saturating_sub(y0))).filter(|_| n > 0) {
                    let from = &image.pixels[y * w..y * w + n];
                    let at = (y0 + y) * tw + x0;
                    target.pixels[at..at + n].copy_from_slice(from);
                }
            }
        }
    }

    /// Draws a frame's shapes into a `size_px` image.
    pub fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
        size_px: [u32; 2],
    ) -> Result<RgbaImage, ExportError> {
        let ppp = output.pixels_per_point;
        let shapes = &output.shapes;
        let blank = || blank(size_px);
        let Some(mut frames) = self.frames.take() else {
            let mut picture = blank()?;
            self.draw(ctx, ppp, shapes, &mut picture);
            return Ok(picture);
        };
        let same_size = frames
            .picture
            .as_ref()
            .is_some_and(|p| p.dimensions() == (size_px[0], size_px[1]));
        if !same_size || !shapes.starts_with(&frames.prefix) {
            // What this frame shares with the last one becomes the kept picture.
            let shared = shapes
                .iter()
                .zip(&frames.last)
                .take_while(|(a, b)| a == b)
                .count();
            frames.prefix = shapes[..shared].to_vec();
            frames.picture = None;
            if shared > 0 {
                let mut kept = blank()?;
                self.draw(ctx, ppp, &frames.prefix, &mut kept);
                frames.picture = Some(kept);
            }
        }
        let (mut picture, rest) = match &frames.picture {
            Some(kept) => (kept.clone(), &shapes[frames.prefix.len()..]),
            None => (blank()?, &shapes[..]),
        };
        self.draw(ctx, ppp, rest, &mut picture);
        frames.last = if points(shapes) <= MAX_KEPT_POINTS {
            shapes.clone()
        } else {
            // Too big to hold twice: the next frame is drawn whole.
            frames.prefix.clear();
            frames.picture = None;
            Vec::new()
        };
        self.frames = Some(frames);
        Ok(picture)
    }

    /// Tessellates `shapes` a few at a time and fills their triangles into `picture`.
    fn draw(
        &self,
        ctx: &egui::Context,
        pixels_per_point: f32,
        shapes: &[ClippedShape],
        picture: &mut RgbaImage,
    ) {
        let size = [picture.width() as usize, picture.height() as usize];
        let mut canvas = Canvas {
            size,
            pixels: picture.as_mut(),
        };
        let mut fill = |clip_rect: egui::Rect, mesh: &Mesh| {
            let clip = Clip::new(clip_rect, pixels_per_point, size);
            if clip.is_empty() {
                return;
            }
            match self.textures.get(&mesh.texture_id) {
                Some(texture) => canvas.mesh(mesh, texture, &clip, pixels_per_point),
                None => log::warn!("export: a mesh with a missing texture was left out"),
            }
        };
        let mut batch: Vec<ClippedShape> = Vec::with_capacity(SHAPES_PER_TESSELLATION);
        let flush = |batch: &mut Vec<ClippedShape>, fill: &mut dyn FnMut(egui::Rect, &Mesh)| {
            for primitive in ctx.tessellate(std::mem::take(batch), pixels_per_point) {
                match &primitive.primitive {
                    Primitive::Mesh(mesh) => fill(primitive.clip_rect, mesh),
                    Primitive::Callback(_) => {} // drawn with a GPU; the map has none
                }
            }
        };
        for shape in shapes {
            if let egui::epaint::Shape::Mesh(mesh) = &shape.shape {
                // Already triangles (the layers' meshes, big): filled as they are, where
                // tessellating would copy them.
                flush(&mut batch, &mut fill);
                fill(shape.clip_rect, mesh);
            } else {
                batch.push(shape.clone());
                if batch.len() >= SHAPES_PER_TESSELLATION {
                    flush(&mut batch, &mut fill);
                }
            }
        }
        flush(&mut batch, &mut fill);
    }
}

/// A white picture of `size_px`, or an error if it could not be held.
fn blank(size_px: [u32; 2]) -> Result<RgbaImage, ExportError> {
    let bytes = size_px[0] as usize * size_px[1] as usize * 4;
    let mut pixels = Vec::new();
    pixels.try_reserve_exact(bytes).map_err(|_| {
        ExportError::Gpu(format!(
            "a {}×{} picture needs {} MB, more than can be had",
            size_px[0],
            size_px[1],
            bytes >> 20
        ))
    })?;
    pixels.extend(std::iter::repeat_n(BACKGROUND, bytes / 4).flatten());
    RgbaImage::from_raw(size_px[0], size_px[1], pixels)
        .ok_or_else(|| ExportError::Gpu("picture has the wrong size".into()))
}

/// A clip rectangle in whole pixels, `[x0, x1) × [y0, y1)`, rounded as egui_wgpu's scissor.
struct Clip {
    x0: usize,
    y0: usize,
    x1: usize,
    y1: usize,
}

impl Clip {
    fn new(rect: egui::Rect, pixels_per_point: f32, size: [usize; 2]) -> Self {
        // `as usize` takes a negative or NaN value to 0 and a huge one to usize::MAX.
        let px = |v: f32, max: usize| ((pixels_per_point * v).round() as usize).min(max);
        let x0 = px(rect.min.x, size[0]);
        let y0 = px(rect.min.y, size[1]);
        Self {
            x0,
            y0,
            x1: px(rect.max.x, size[0]).max(x0),
            y1: px(rect.max.y, size[1]).max(y0),
        }
    }

    fn is_empty(&self) -> bool {
        self.x0 >= self.x1 || self.y0 >= self.y1
    }
}

/// The picture's pixels, RGBA in rows.
struct Canvas<'a> {
    size: [usize; 2],
    pixels: &'a mut [u8],
}

/// A value over a triangle that changes linearly with x and y: its value at the first vertex
/// and its steps.
#[derive(Clone, Copy)]
struct Plane {
    at: f32,
    dx: f32,
    dy: f32,
}

impl Canvas<'_> {
    /// Fills a mesh's triangles.
    fn mesh(&mut self, mesh: &Mesh, texture: &Texture, clip: &Clip, pixels_per_point: f32) {
        let vertex = |i: &u32| mesh.vertices.get(*i as usize);
        for tri in mesh.indices.chunks_exact(3) {
            if let (Some(a), Some(b), Some(c)) = (vertex(&tri[0]), vertex(&tri[1]), vertex(&tri[2]))
            {
                self.triangle([a, b, c], texture, clip, pixels_per_point);
            }
        }
    }

    /// Fills the pixels whose centres are in the triangle: a centre on an edge belongs to the
    /// triangle on its right (and on one below), so triangles sharing an edge never both
    /// cover a pixel and never leave a gap.
    fn triangle(&mut self, v: [&Vertex; 3], texture: &Texture, clip: &Clip, ppp: f32) {
        let p = v.map(|v| [v.pos.x * ppp, v.pos.y * ppp]);
        let area =
            (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]);
        if area == 0.0 || !area.is_finite() {
            return;
        }
        let ymin = p[0][1].min(p[1][1]).min(p[2][1]);
        let ymax = p[0][1].max(p[1][1]).max(p[2][1]);
        let xmin = p[0][0].min(p[1][0]).min(p[2][0]);
        let xmax = p[0][0].max(p[1][0]).max(p[2][0]);
        // Rows and columns whose centres (n + 0.5) can be inside.
        let first = |lo: f32, min: usize| ((lo - 0.5).ceil().max(0.0) as usize).max(min);
        let end = |hi: f32, max: usize| ((hi - 0.5).ceil().max(0.0) as usize).min(max);
        let (y0, y1) = (first(ymin, clip.y0), end(ymax, clip.y1));
        if y0 >= y1 || first(xmin, clip.x0) >= end(xmax, clip.x1) {
            return;
        }
        // The attributes as planes: colour (0..1, premultiplied gamma) and texture position.
        let plane = |f: [f32; 3]| {
            let dx =
                ((f[1] - f[0]) * (p[2][1] - p[0][1]) - (f[2] - f[0]) * (p[1][1] - p[0][1])) / area;
            let dy =
                ((f[2] - f[0]) * (p[1][0] - p[0][0]) - (f[1] - f[0]) * (p[2][0] - p[0][0])) / area;
            Plane { at: f[0], dx, dy }
        };
        let channel = |k: usize| v.map(|v| f32::from(v.color.to_array()[k]) / 255.0);
        let colour = [0, 1, 2, 3].map(|k| plane(channel(k)));
        let flat_colour = v[0].color == v[1].color && v[0].color == v[2].color;
        let uv = [v[0].uv, v[1].uv, v[2].uv];
        let flat_texture = uv[0] == uv[1] && uv[0] == uv[2];
        let texel = flat_texture.then(|| texture.sample(uv[0].x, uv[0].y));
        let (u, w) = (plane(uv.map(|t| t.x)), plane(uv.map(|t| t.y)));
        // The three edges, each with its ends in a fixed order (top first), so a shared edge
        // gives both of its triangles the same crossings.
        let edges = [(p[0], p[1]), (p[1], p[2]), (p[2], p[0])].map(|(a, b)| {
            if (a[1], a[0]) <= (b[1], b[0]) {
                (a, b)
            } else {
                (b, a)
            }
        });
        let width = self.size[0];
        for y in y0..y1 {
            let yc = y as f32 + 0.5;
            let mut lo = f32::INFINITY;
            let mut hi = f32::NEG_INFINITY;
            for (a, b) in edges {
                if a[1] <= yc && yc < b[1] {
                    let x = a[0] + (yc - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
            if lo > hi {
                continue;
            }
            let (x0, x1) = (first(lo, clip.x0), end(hi, clip.x1));
            if x0 >= x1 {
                continue;
            }
            let (dx0, dy) = (x0 as f32 + 0.5 - p[0][0], yc - p[0][1]);
            let start = |q: Plane| q.at + q.dx * dx0 + q.dy * dy;
            let mut c = colour.map(start);
            let (mut tu, mut tv) = (start(u), start(w));
            let row = &mut self.pixels[(y * width + x0) * 4..(y * width + x1) * 4];
            for px in row.chunks_exact_mut(4) {
                let src = if flat_colour {
                    colour.map(|q| q.at)
                } else {
                    c.map(|c| c.clamp(0.0, 1.0))
                };
                let tex = match texel {
                    Some(t) => t,
                    None => texture.sample(tu, tv),
                };
                blend(px, [0, 1, 2, 3].map(|k| src[k] * tex[k]));
                for k in 0..4 {
                    c[k] += colour[k].dx;
                }
                tu += u.dx;
                tv += w.dx;
            }
        }
    }
}

/// Puts a premultiplied colour (0..1) over a pixel: `src + dst × (1 − src alpha)`.
fn blend(px: &mut [u8], src: [f32; 4]) {
    let keep = 1.0 - src[3];
    for k in 0..3 {
        let v = src[k] + f32::from(px[k]) / 255.0 * keep;
        px[k] = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    }
    px[3] = 255;
}

impl Texture {
    /// The colour (0..1, premultiplied) at a texture position, as egui_wgpu's predictable
    /// filtering reads it: the nearest texel, or the four around it mixed.
    fn sample(&self, u: f32, v: f32) -> [f32; 4] {
        let [w, h] = self.image.size;
        if w == 0 || h == 0 || self.image.pixels.len() < w * h {
            return [0.0; 4];
        }
        let texel = |x: i64, y: i64| {
            let x = wrap(x, w, self.wrap);
            let y = wrap(y, h, self.wrap);
            self.image.pixels[y * w + x]
                .to_array()
                .map(|c| f32::from(c) / 255.0)
        };
        if self.nearest {
            return texel((u * w as f32).floor() as i64, (v * h as f32).floor() as i64);
        }
        let (x, y) = (u * w as f32 - 0.5, v * h as f32 - 0.5);
        let (fx, fy) = (x - x.floor(), y - y.floor());
        let (x, y) = (x.floor() as i64, y.floor() as i64);
        let (tl, tr, bl, br) = (
            texel(x, y),
            texel(x + 1, y),
            texel(x, y + 1),
            texel(x + 1, y + 1),
        );
        let mix = |a: f32, b: f32, t: f32| a + (b - a) * t;
        [0, 1, 2, 3].map(|k| mix(mix(tl[k], tr[k], fx), mix(bl[k], br[k], fx), fy))
    }
}

/// A texel column or row inside `0..n`, by the texture's wrap mode.
fn wrap(i: i64, n: usize, mode: TextureWrapMode) -> usize {
    let n = n as i64;
    let i = match mode {
        TextureWrapMode::ClampToEdge => i.clamp(0, n - 1),
        TextureWrapMode::Repeat => i.rem_euclid(n),
        TextureWrapMode::MirroredRepeat => {
            let phase = i.rem_euclid(2 * n);
            phase.min(2 * n - 1 - phase)
        }
    };
    i as usize
}

/// About how many points `shapes` hold (what keeping them costs).
fn points(shapes: &[ClippedShape]) -> usize {
    use egui::epaint::Shape;
    fn count(shape: &Shape) -> usize {
        match shape {
            Shape::Vec(v) => v.iter().map(count).sum(),
            Shape::Path(p) => p.points.len(),
            Shape::Mesh(m) => m.vertices.len(),
            _ => 1,
        }
    }
    shapes.iter().map(|s| count(&s.shape)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, Pos2, pos2};

    fn white_texture() -> Texture {
        Texture {
            image: Arc::new(ColorImage::new([1, 1], vec![Color32::WHITE])),
            nearest: false,
            wrap: TextureWrapMode::ClampToEdge,
        }
    }

    fn vertex(pos: Pos2, uv: Pos2, color: Color32) -> Vertex {
        Vertex { pos, uv, color }
    }

    fn fill(mesh: &Mesh, texture: &Texture, size: [usize; 2], clip: Clip) -> Vec<u8> {
        let mut pixels = vec![255u8; size[0] * size[1] * 4];
        Canvas {
            size,
            pixels: &mut pixels,
        }
        .mesh(mesh, texture, &clip, 1.0);
        pixels
    }

    fn all(size: [usize; 2]) -> Clip {
        Clip {
            x0: 0,
            y0: 0,
            x1: size[0],
            y1: size[1],
        }
    }

    /// Twice the signed area of the triangle `a b p`: which side of `a b` the point is on.
    fn side(a: Pos2, b: Pos2, p: Pos2) -> f32 {
        (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
    }

    #[test]
    fn a_fan_of_triangles_covers_each_pixel_inside_once_and_none_outside() {
        // A convex polygon with odd angles, as a fan of triangles around a point inside it: a
        // pixel on a shared edge filled twice would be darker, one filled by neither white.
        let size = [64, 48];
        let centre = pos2(31.3, 23.7);
        let ring: Vec<Pos2> = (0..9)
            .map(|i| {
                // Points on a circle in order of angle make a convex polygon.
                let t = std::f32::consts::TAU * i as f32 / 9.0 + 0.3 * (i as f32).sin();
                pos2(centre.x + 19.0 * t.cos(), centre.y + 19.0 * t.sin())
            })
            .collect();
        let mut mesh = Mesh::default();
        let grey = Color32::from_black_alpha(128);
        mesh.vertices.push(vertex(centre, Pos2::ZERO, grey));
        for p in &ring {
            mesh.vertices.push(vertex(*p, Pos2::ZERO, grey));
        }
        for i in 0..ring.len() as u32 {
            mesh.indices
                .extend([0, 1 + i, 1 + (i + 1) % ring.len() as u32]);
        }
        let pixels = fill(&mesh, &white_texture(), size, all(size));
        let once = (255.0_f32 * (1.0 - 128.0 / 255.0)).round() as u8;
        let inward = side(ring[0], ring[1], centre).signum();
        let (mut inside, mut outside) = (0, 0);
        for y in 0..size[1] {
            for x in 0..size[0] {
                let p = pos2(x as f32 + 0.5, y as f32 + 0.5);
                let sides: Vec<f32> = (0..ring.len())
                    .map(|i| side(ring[i], ring[(i + 1) % ring.len()], p) * inward)
                    .collect();
                let v = pixels[(y * size[0] + x) * 4];
                if sides.iter().all(|s| *s > 0.5) {
                    assert_eq!(v, once, "pixel {x},{y} inside, filled once");
                    inside += 1;
                } else if sides.iter().any(|s| *s < -0.5) {
                    assert_eq!(v, 255, "pixel {x},{y} outside, not filled");
                    outside += 1;
                } else {
                    assert!(v == once || v == 255, "pixel {x},{y} on the edge: {v}");
                }
            }
        }
        assert!(
            inside > 600 && outside > 1000,
            "{inside} inside, {outside} outside"
        );
    }

    fn quad(texture: TextureId, from: Pos2, to: Pos2) -> Mesh {
        let mut mesh = Mesh::with_texture(texture);
        mesh.add_rect_with_uv(
            egui::Rect::from_min_max(from, to),
            egui::Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0)),
            Color32::WHITE,
        );
        mesh
    }

    #[test]
    fn a_texture_is_sampled_nearest_or_mixed_as_egui_wgpu_samples_it() {
        let red = Color32::from_rgb(200, 0, 0);
        let blue = Color32::from_rgb(0, 0, 200);
        let mut texture = Texture {
            image: Arc::new(ColorImage::new([2, 1], vec![red, blue])),
            nearest: true,
            wrap: TextureWrapMode::ClampToEdge,
        };
        let mesh = quad(TextureId::default(), pos2(0.0, 0.0), pos2(8.0, 1.0));
        let at = |pixels: &[u8], x: usize| [pixels[x * 4], pixels[x * 4 + 1], pixels[x * 4 + 2]];
        let nearest = fill(&mesh, &texture, [8, 1], all([8, 1]));
        for x in 0..8 {
            let want = if x < 4 { [200, 0, 0] } else { [0, 0, 200] };
            assert_eq!(at(&nearest, x), want, "nearest, pixel {x}");
        }
        texture.nearest = false;
        let mixed = fill(&mesh, &texture, [8, 1], all([8, 1]));
        // Pixel 0 is left of the first texel's centre (clamped: all red); pixel 3's centre is
        // 3.5 / 8 of the way, 0.375 texels past the first centre.
        assert_eq!(at(&mixed, 0), [200, 0, 0]);
        assert_eq!(at(&mixed, 3), [125, 0, 75]);
        assert_eq!(at(&mixed, 7), [0, 0, 200]);
    }

    #[test]
    fn a_texture_patch_writes_only_inside_its_texture() {
        let mut offscreen = Offscreen::new();
        let id = TextureId::Managed(7);
        let image = |side: usize, c: Color32| {
            egui::ImageData::Color(Arc::new(ColorImage::new(
                [side, side],
                vec![c; side * side],
            )))
        };
        let set = |image, pos| {
            let mut delta = egui::TexturesDelta::default();
            delta.set.insert(
                id,
                vec![egui::epaint::ImageDelta {
                    image,
                    options: egui::TextureOptions::NEAREST,
                    pos,
                }]
                .into(),
            );
            delta
        };
        offscreen.textures(&mut set(image(4, Color32::BLACK), None));
        // Half outside: its inside quarter is written. Wholly outside: nothing, no panic.
        offscreen.textures(&mut set(image(4, Color32::WHITE), Some([2, 2])));
        offscreen.textures(&mut set(image(2, Color32::RED), Some([9, 1])));
        offscreen.textures(&mut set(image(2, Color32::RED), Some([0, 9])));
        let texture = &offscreen.textures[&id];
        for y in 0..4 {
            for x in 0..4 {
                let want = if x >= 2 && y >= 2 {
                    Color32::WHITE
                } else {
                    Color32::BLACK
                };
                assert_eq!(texture.image.pixels[y * 4 + x], want, "texel {x},{y}");
            }
        }
        // A patch of a texture never set is left out.
        let mut delta = set(image(2, Color32::RED), Some([0, 0]));
        let other = TextureId::Managed(8);
        let patch = delta.set.remove(&id).unwrap();
        delta.set.insert(other, patch);
        offscreen.textures(&mut delta);
        assert!(!offscreen.textures.contains_key(&other));
    }

    #[test]
    fn nothing_is_drawn_outside_the_clip_or_the_picture() {
        let size = [20, 10];
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(
            egui::Rect::from_min_max(pos2(-1e6, -50.0), pos2(1e6, 1e9)),
            Color32::BLACK,
        );
        let clip = Clip::new(
            egui::Rect::from_min_max(pos2(4.4, 2.6), pos2(12.5, 30.0)),
            1.0,
            size,
        );
        let pixels = fill(&mesh, &white_texture(), size, clip);
        for y in 0..size[1] {
            for x in 0..size[0] {
                let inside = (4..13).contains(&x) && (3..10).contains(&y);
                let v = pixels[(y * size[0] + x) * 4];
                assert_eq!(v, if inside { 0 } else { 255 }, "pixel {x},{y}");
            }
        }
        // A triangle of NaN or infinite corners is left out.
        let mut bad = Mesh::default();
        bad.colored_vertex(pos2(f32::NAN, 0.0), Color32::BLACK);
        bad.colored_vertex(pos2(f32::INFINITY, 5.0), Color32::BLACK);
        bad.colored_vertex(pos2(3.0, 9.0), Color32::BLACK);
        bad.add_triangle(0, 1, 2);
        let pixels = fill(&bad, &white_texture(), size, all(size));
        assert!(pixels.iter().all(|v| *v == 255));
    }
}
