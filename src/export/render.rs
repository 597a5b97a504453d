//! Offscreen rendering of an egui frame to an RGBA image with egui_wgpu: no window, no
//! display; on a machine without a GPU wgpu picks Mesa's software adapters.

use std::iter::once;
use std::sync::Arc;
use std::time::Duration;

use egui_wgpu::{
    RenderState, ScreenDescriptor, WgpuConfiguration, WgpuSetup, WgpuSetupCreateNew, wgpu,
};
use image::RgbaImage;

use super::ExportError;

const WAIT: Duration = Duration::from_secs(30);

/// A wgpu device and egui renderer that draw into textures, not windows.
pub struct Offscreen {
    state: RenderState,
    /// Frames alike (an animation's) keep what they share: see [`Offscreen::reuse_frames`].
    frames: Option<Frames>,
}

/// What the last frames of an animation had in common.
///
/// From one frame of an animation to the next only what depends on the time changes (the
/// events, the time label); the basemap and the static layers under them come first in the
/// frame's shapes and are the same shapes again. Those are drawn once into `texture`, and each
/// frame that starts with them copies it and draws only the rest.
#[derive(Default)]
struct Frames {
    /// The last frame's shapes, to find what the next one shares with it.
    last: Vec<egui::epaint::ClippedShape>,
    /// The shared first shapes, and the picture they make on their own.
    prefix: Vec<egui::epaint::ClippedShape>,
    texture: Option<wgpu::Texture>,
}

/// The most points a frame may hold for its shapes to be kept between frames (about 100 MB of
/// kept shapes): a bigger picture is drawn whole each time rather than held twice.
const MAX_KEPT_POINTS: usize = 1 << 22;

impl Offscreen {
    /// Creates the device; prefers a real GPU, falls back to a software one.
    pub fn new() -> Result<Self, ExportError> {
        let mut setup = WgpuSetupCreateNew::without_display_handle();
        setup
            .instance_descriptor
            .backends
            .remove(wgpu::Backends::BROWSER_WEBGPU);
        setup.native_adapter_selector = Some(Arc::new(|adapters, _surface| {
            let mut adapters: Vec<&wgpu::Adapter> = adapters.iter().collect();
            adapters.sort_by_key(|a| match a.get_info().device_type {
                wgpu::DeviceType::DiscreteGpu => 0,
                wgpu::DeviceType::IntegratedGpu => 1,
                wgpu::DeviceType::Cpu => 2,
                _ => 3,
            });
            adapters
                .first()
                .map(|a| (*a).clone())
                .ok_or_else(|| "no graphics adapter found".to_owned())
        }));
        let setup = WgpuSetup::CreateNew(setup);
        let instance = pollster::block_on(setup.new_instance());
        let state = pollster::block_on(RenderState::create(
            &WgpuConfiguration {
                wgpu_setup: setup,
                ..Default::default()
            },
            &instance,
            None,
            egui_wgpu::RendererOptions::PREDICTABLE,
        ))
        .map_err(|e| ExportError::Gpu(format!("cannot start offscreen rendering: {e}")))?;
        Ok(Self {
            state,
            frames: None,
        })
    }

    /// From now on, pictures are frames of one animation: what a frame shares with the one
    /// before (its first shapes, the basemap and static layers) is drawn once and reused.
    pub fn reuse_frames(&mut self) {
        self.frames.get_or_insert_with(Frames::default);
    }

    /// Uploads and frees the textures a frame asked for.
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
        let mut renderer = self.state.renderer.write();
        for (id, images) in std::mem::take(&mut delta.set) {
            for image in &images {
                renderer.update_texture(&self.state.device, &self.state.queue, id, image);
            }
        }
        for id in std::mem::take(&mut delta.free) {
            renderer.free_texture(&id);
        }
    }

    /// Draws a frame's shapes into a `size_px` image.
    ///
    /// The shapes are tessellated, uploaded and drawn in batches of about [`BATCH_VERTICES`]
    /// vertices, each finished before the next starts, so a layer of millions of vertices
    /// needs one batch's worth of meshes and GPU buffers, not a copy of the whole picture.
    pub fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
        size_px: [u32; 2],
    ) -> Result<RgbaImage, ExportError> {
        let device = &self.state.device;
        let format = self.state.target_format;
        let screen = ScreenDescriptor {
            pixels_per_point: output.pixels_per_point,
            size_in_pixels: size_px,
        };
        let texture = target_texture(device, format, size_px, "export target");
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let shapes = &output.shapes;
        let Some(mut frames) = self.frames.take() else {
            self.draw(ctx, output.pixels_per_point, shapes, &screen, &view, true)?;
            return read_back(device, &self.state.queue, &texture, format);
        };
        let same_size = frames
            .texture
            .as_ref()
            .is_some_and(|t| [t.width(), t.height()] == size_px);
        if !same_size || !shapes.starts_with(&frames.prefix) {
            // What this frame shares with the last one becomes the kept picture.
            let shared = shapes
                .iter()
                .zip(&frames.last)
                .take_while(|(a, b)| a == b)
                .count();
            frames.prefix = shapes[..shared].to_vec();
            frames.texture = None;
            if shared > 0 {
                let kept = target_texture(device, format, size_px, "export kept frame");
                let kept_view = kept.create_view(&wgpu::TextureViewDescriptor::default());
                self.draw(
                    ctx,
                    output.pixels_per_point,
                    &frames.prefix,
                    &screen,
                    &kept_view,
                    true,
                )?;
                frames.texture = Some(kept);
            }
        }
        let rest = match &frames.texture {
            Some(kept) => {
                self.copy(kept, &texture)?;
                &shapes[frames.prefix.len()..]
            }
            None => &shapes[..],
        };
        if frames.texture.is_none() || !rest.is_empty() {
            self.draw(
                ctx,
                output.pixels_per_point,
                rest,
                &screen,
                &view,
                frames.texture.is_none(),
            )?;
        }
        frames.last = if points(shapes) <= MAX_KEPT_POINTS {
            shapes.clone()
        } else {
            // Too big to hold twice: the next frame is drawn whole.
            frames.prefix.clear();
            frames.texture = None;
            Vec::new()
        };
        self.frames = Some(frames);
        read_back(device, &self.state.queue, &texture, format)
    }

    /// Tessellates and draws `shapes` into `view` in batches (clearing it first when `clear`).
    fn draw(
        &self,
        ctx: &egui::Context,
        pixels_per_point: f32,
        shapes: &[egui::epaint::ClippedShape],
        screen: &ScreenDescriptor,
        view: &wgpu::TextureView,
        clear: bool,
    ) -> Result<(), ExportError> {
        let mut batch: Vec<egui::ClippedPrimitive> = Vec::new();
        let mut first = clear;
        let mut drawn = false;
        for shapes in shapes.chunks(SHAPES_PER_TESSELLATION) {
            batch.extend(ctx.tessellate(shapes.to_vec(), pixels_per_point));
            if vertex_count(&batch) >= BATCH_VERTICES {
                self.draw_batch(&std::mem::take(&mut batch), screen, view, first)?;
                first = false;
                drawn = true;
            }
        }
        if !drawn || !batch.is_empty() {
            self.draw_batch(&batch, screen, view, first)?;
        }
        Ok(())
    }

    /// Copies the kept picture into a frame's target.
    fn copy(&self, from: &wgpu::Texture, to: &wgpu::Texture) -> Result<(), ExportError> {
        let mut encoder =
            self.state
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("kept frame"),
                });
        encoder.copy_texture_to_texture(from.as_image_copy(), to.as_image_copy(), from.size());
        let index = self.state.queue.submit(once(encoder.finish()));
        self.state
            .device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: Some(WAIT),
            })
            .map_err(|e| ExportError::Gpu(format!("rendering did not finish: {e}")))?;
        Ok(())
    }

    /// Uploads one batch of meshes and draws it into `view` (clearing it first when `clear`),
    /// then waits for the GPU so the batch's buffers can be reused.
    fn draw_batch(
        &self,
        triangles: &[egui::ClippedPrimitive],
        screen: &ScreenDescriptor,
        view: &wgpu::TextureView,
        clear: bool,
    ) -> Result<(), ExportError> {
        let device = &self.state.device;
        let queue = &self.state.queue;
        // egui_wgpu puts all indices (and all vertices) in one buffer each; past the device's
        // largest buffer wgpu would panic. Say so instead.
        let (vertices, indices) =
            triangles
                .iter()
                .fold((0u64, 0u64), |(v, i), p| match &p.primitive {
                    egui::epaint::Primitive::Mesh(m) => {
                        (v + m.vertices.len() as u64, i + m.indices.len() as u64)
                    }
                    egui::epaint::Primitive::Callback(_) => (v, i),
                });
        let max = device.limits().max_buffer_size;
        let vertex_bytes = std::mem::size_of::<egui::epaint::Vertex>() as u64;
        if indices * 4 > max || vertices * vertex_bytes > max {
            return Err(ExportError::Gpu(format!(
                "the picture holds too much to draw ({vertices} vertices, {indices} indices; \
                 the GPU takes {} MB per buffer): zoom in or hide a layer",
                max >> 20
            )));
        }
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("export"),
        });
        let mut renderer = self.state.renderer.write();
        let user = renderer.update_buffers(device, queue, &mut encoder, triangles, screen);
        {
            let mut pass = encoder
                .begin_render_pass(&wgpu::RenderPassDescriptor {
                    label: Some("export pass"),
                    color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                        view,
                        resolve_target: None,
                        ops: wgpu::Operations {
                            load: if clear {
                                wgpu::LoadOp::Clear(wgpu::Color::WHITE)
                            } else {
                                wgpu::LoadOp::Load
                            },
                            store: wgpu::StoreOp::Store,
                        },
                        depth_slice: None,
                    })],
                    ..Default::default()
                })
                .forget_lifetime();
            renderer.render(&mut pass, triangles, screen);
        }
        drop(renderer);
        let index = queue.submit(user.into_iter().chain(once(encoder.finish())));
        device
            .poll(wgpu::PollType::Wait {
                submission_index: Some(index),
                timeout: Some(WAIT),
            })
            .map_err(|e| ExportError::Gpu(format!("rendering did not finish: {e}")))?;
        Ok(())
    }
}

/// A texture a picture is drawn into, copied from and read back.
fn target_texture(
    device: &wgpu::Device,
    format: wgpu::TextureFormat,
    size_px: [u32; 2],
    label: &str,
) -> wgpu::Texture {
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: size_px[0],
            height: size_px[1],
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT
            | wgpu::TextureUsages::COPY_SRC
            | wgpu::TextureUsages::COPY_DST,
        view_formats: &[],
    })
}

/// About how many points `shapes` hold (what keeping them costs).
fn points(shapes: &[egui::epaint::ClippedShape]) -> usize {
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

/// Shapes tessellated at a time.
const SHAPES_PER_TESSELLATION: usize = 256;

/// Vertices drawn in one batch (about 20 MB of meshes).
const BATCH_VERTICES: usize = 1 << 16;

/// The vertices of a batch of meshes.
fn vertex_count(triangles: &[egui::ClippedPrimitive]) -> usize {
    triangles
        .iter()
        .map(|p| match &p.primitive {
            egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
            egui::epaint::Primitive::Callback(_) => 0,
        })
        .sum()
}

/// Copies a texture into memory, removing row padding and putting channels in RGBA order.
fn read_back(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
    format: wgpu::TextureFormat,
) -> Result<RgbaImage, ExportError> {
    let (w, h) = (texture.width(), texture.height());
    let unpadded = w as usize * 4;
    let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT as usize;
    let padded = unpadded.div_ceil(align) * align;
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("export read-back"),
        size: (padded * h as usize) as u64,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("read-back"),
    });
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded as u32),
                rows_per_image: None,
            },
        },
        wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
    );
    let index = queue.submit(once(encoder.finish()));
    let slice = buffer.slice(..);
    let (tx, rx) = std::sync::mpsc::channel();
    slice.map_async(wgpu::MapMode::Read, move |r| drop(tx.send(r)));
    device
        .poll(wgpu::PollType::Wait {
            submission_index: Some(index),
            timeout: Some(WAIT),
        })
        .map_err(|e| ExportError::Gpu(format!("rendering did not finish: {e}")))?;
    rx.recv()
        .map_err(|_| ExportError::Gpu("read-back was dropped".into()))?
        .map_err(|e| ExportError::Gpu(format!("cannot read the picture back: {e}")))?;
    let data = buffer
        .slice(..)
        .get_mapped_range()
        .map_err(|e| ExportError::Gpu(format!("cannot map the picture: {e}")))?;
    let bgra = matches!(
        format,
        wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
    );
    let mut pixels = Vec::with_capacity(unpadded * h as usize);
    for row in data.chunks_exact(padded) {
        for px in row[..unpadded].chunks_exact(4) {
            if bgra {
                pixels.extend_from_slice(&[px[2], px[1], px[0], 255]);
            } else {
                pixels.extend_from_slice(&[px[0], px[1], px[2], 255]);
            }
        }
    }
    RgbaImage::from_raw(w, h, pixels)
        .ok_or_else(|| ExportError::Gpu("picture has the wrong size".into()))
}
