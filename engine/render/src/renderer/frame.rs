//! Uploading a frame plan and encoding its passes; reading a frame back.
//!
//! Invariant: GPU buffers only grow (to the next power of two), and the
//! group-0 bind group is rebuilt whenever one of its buffers is replaced.

use super::atlas::GlyphAtlas;
use super::builder::{BlurPlan, FramePlan, PassTarget, TextureRef};
use super::device::GpuContext;
use super::instance::{Globals, GLOBALS_STRIDE};
use super::pipeline::Pipelines;
use super::textures::{GpuTexture, ImageCache, LayerPool, TextureBinder};
use super::RenderError;
use crate::display_list::Color;

/// A buffer that grows to fit what is written into it.
struct GrowableBuffer {
    buffer: wgpu::Buffer,
    usage: wgpu::BufferUsages,
    label: &'static str,
}

impl GrowableBuffer {
    fn new(
        device: &wgpu::Device,
        label: &'static str,
        usage: wgpu::BufferUsages,
        size: u64,
    ) -> Self {
        let usage = usage | wgpu::BufferUsages::COPY_DST;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size,
            usage,
            mapped_at_creation: false,
        });
        GrowableBuffer {
            buffer,
            usage,
            label,
        }
    }

    /// Writes `bytes`; returns true when the buffer had to be replaced.
    fn write(&mut self, device: &wgpu::Device, queue: &wgpu::Queue, bytes: &[u8]) -> bool {
        let needed = (bytes.len() as u64).max(16);
        let mut replaced = false;
        if needed > self.buffer.size() {
            self.buffer = device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(self.label),
                size: needed.next_power_of_two(),
                usage: self.usage,
                mapped_at_creation: false,
            });
            replaced = true;
        }
        if !bytes.is_empty() {
            queue.write_buffer(&self.buffer, 0, bytes);
        }
        replaced
    }
}

pub struct FrameBuffers {
    instances: GrowableBuffer,
    globals: GrowableBuffer,
    transforms: GrowableBuffer,
    clips: GrowableBuffer,
    stops: GrowableBuffer,
    bind_group: Option<wgpu::BindGroup>,
}

impl FrameBuffers {
    pub fn new(device: &wgpu::Device) -> FrameBuffers {
        use wgpu::BufferUsages as U;
        FrameBuffers {
            instances: GrowableBuffer::new(device, "cirrus instances", U::VERTEX, 64 * 1024),
            globals: GrowableBuffer::new(
                device,
                "cirrus pass globals",
                U::UNIFORM,
                4 * GLOBALS_STRIDE,
            ),
            transforms: GrowableBuffer::new(device, "cirrus transforms", U::STORAGE, 4096),
            clips: GrowableBuffer::new(device, "cirrus clips", U::STORAGE, 4096),
            stops: GrowableBuffer::new(device, "cirrus gradient stops", U::STORAGE, 4096),
            bind_group: None,
        }
    }
}

pub struct Targets<'a> {
    pub root_view: &'a wgpu::TextureView,
    pub root_format: wgpu::TextureFormat,
    pub clear: Color,
}

#[allow(clippy::too_many_arguments)]
pub fn encode_and_submit(
    gpu: &GpuContext,
    pipelines: &mut Pipelines,
    buffers: &mut FrameBuffers,
    atlas: &GlyphAtlas,
    images: &ImageCache,
    layers: &LayerPool,
    binder: &TextureBinder,
    plan: &FramePlan,
    targets: &Targets<'_>,
) {
    let device = &gpu.device;
    let queue = &gpu.queue;
    buffers
        .instances
        .write(device, queue, bytemuck::cast_slice(&plan.instances));
    let globals: Vec<Globals> = plan
        .passes
        .iter()
        .map(|pass| Globals {
            target: [
                pass.size.0 as f32,
                pass.size.1 as f32,
                pass.origin.0,
                pass.origin.1,
            ],
            _pad: [0.0; 60],
        })
        .collect();
    let mut rebind = buffers.bind_group.is_none();
    rebind |= buffers
        .globals
        .write(device, queue, bytemuck::cast_slice(&globals));
    rebind |= buffers
        .transforms
        .write(device, queue, bytemuck::cast_slice(&plan.transforms));
    rebind |= buffers
        .clips
        .write(device, queue, bytemuck::cast_slice(&plan.clips));
    rebind |= buffers
        .stops
        .write(device, queue, bytemuck::cast_slice(&plan.stops));
    if rebind {
        buffers.bind_group = Some(device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("cirrus frame tables"),
            layout: &pipelines.globals_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::Buffer(wgpu::BufferBinding {
                        buffer: &buffers.globals.buffer,
                        offset: 0,
                        size: wgpu::BufferSize::new(GLOBALS_STRIDE),
                    }),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: buffers.transforms.buffer.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: buffers.clips.buffer.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: buffers.stops.buffer.as_entire_binding(),
                },
            ],
        }));
    }
    let Some(tables) = buffers.bind_group.as_ref() else {
        return;
    };

    // Pipelines first: `get` needs `&mut`, the passes borrow them shared.
    for pass in &plan.passes {
        let format = match pass.target {
            PassTarget::Root => targets.root_format,
            PassTarget::Layer(_) => super::textures::TEXTURE_FORMAT,
        };
        for batch in &pass.batches {
            pipelines.get(device, format, batch.kind);
        }
    }

    // Something to bind when a batch samples nothing.
    let placeholder = atlas.page(0).map(|p| &p.bind_group);
    let fallback_texture;
    let placeholder = match placeholder {
        Some(bind_group) => bind_group,
        None => {
            fallback_texture = binder.create_texture("cirrus placeholder", 1, 1);
            &fallback_texture.bind_group
        }
    };

    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("cirrus frame"),
    });
    for (pass_index, pass) in plan.passes.iter().enumerate() {
        let (view, format, clear) = match pass.target {
            PassTarget::Root => {
                let c = targets.clear;
                let a = c.a.clamp(0.0, 1.0) as f64;
                (
                    targets.root_view,
                    targets.root_format,
                    wgpu::Color {
                        r: c.r as f64 * a,
                        g: c.g as f64 * a,
                        b: c.b as f64 * a,
                        a,
                    },
                )
            }
            PassTarget::Layer(slot) => match layers.get(slot) {
                Some(texture) => (
                    &texture.view,
                    super::textures::TEXTURE_FORMAT,
                    wgpu::Color::TRANSPARENT,
                ),
                None => continue,
            },
        };
        {
            let mut render_pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("cirrus pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(clear),
                        store: wgpu::StoreOp::Store,
                    },
                })],
                depth_stencil_attachment: None,
                timestamp_writes: None,
                occlusion_query_set: None,
            });
            if !pass.batches.is_empty() {
                render_pass.set_bind_group(
                    0,
                    tables,
                    &[(pass_index as u64 * GLOBALS_STRIDE) as u32],
                );
                render_pass.set_vertex_buffer(0, buffers.instances.buffer.slice(..));
                let mut current_kind = None;
                for batch in &pass.batches {
                    if current_kind != Some(batch.kind) {
                        let Some(pipeline) = pipelines.cached(format, batch.kind) else {
                            continue;
                        };
                        render_pass.set_pipeline(pipeline);
                        current_kind = Some(batch.kind);
                    }
                    let bind_group = match batch.texture {
                        TextureRef::None => Some(placeholder),
                        TextureRef::GlyphPage(page) => atlas.page(page).map(|t| &t.bind_group),
                        TextureRef::Image(key) => images.get(key).map(|t| &t.bind_group),
                        TextureRef::Layer(slot) => layers.get(slot).map(|t| &t.bind_group),
                    };
                    let Some(bind_group) = bind_group else {
                        continue;
                    };
                    render_pass.set_bind_group(1, bind_group, &[]);
                    render_pass.draw(0..4, batch.instances.clone());
                }
            }
        }
        if let (Some(blur), PassTarget::Layer(source)) = (pass.blur, pass.target) {
            encode_blur(device, pipelines, layers, &mut encoder, source, blur);
        }
    }
    queue.submit(Some(encoder.finish()));
}

/// Two Gaussian passes: `source` -> `temp` horizontally, `temp` ->
/// `output` vertically.
fn encode_blur(
    device: &wgpu::Device,
    pipelines: &Pipelines,
    layers: &LayerPool,
    encoder: &mut wgpu::CommandEncoder,
    source: usize,
    blur: BlurPlan,
) {
    use wgpu::util::DeviceExt;
    let radius = (3.0 * blur.sigma).ceil().min(100.0);
    let steps = [
        ((1.0, 0.0), source, blur.temp),
        ((0.0, 1.0), blur.temp, blur.output),
    ];
    for ((dx, dy), from, to) in steps {
        let (Some(from), Some(to)) = (layers.get(from), layers.get(to)) else {
            return;
        };
        let params: [f32; 4] = [dx, dy, blur.sigma, radius];
        let buffer = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("cirrus blur params"),
            contents: bytemuck::cast_slice(&params),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("cirrus blur"),
            layout: &pipelines.blur.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&from.view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: buffer.as_entire_binding(),
                },
            ],
        });
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("cirrus blur pass"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &to.view,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::TRANSPARENT),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
        });
        pass.set_pipeline(&pipelines.blur.pipeline);
        pass.set_bind_group(0, &bind_group, &[]);
        pass.draw(0..3, 0..1);
    }
}

pub fn create_readback_target(binder: &TextureBinder, width: u32, height: u32) -> GpuTexture {
    let texture = binder.device.create_texture(&wgpu::TextureDescriptor {
        label: Some("cirrus readback target"),
        size: wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: super::textures::TEXTURE_FORMAT,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
    // Never sampled; an empty-texture bind group keeps the struct uniform.
    let placeholder = binder.create_texture("cirrus readback placeholder", 1, 1);
    GpuTexture {
        texture,
        view,
        bind_group: placeholder.bind_group,
        width,
        height,
    }
}

/// Copies `texture` into a mappable buffer (rows padded to 256 bytes) and
/// returns it as straight-alpha RGBA. `staging` is reused between calls
/// while big enough. `opaque`: every pixel is known to be opaque (opaque
/// clear colour), so the un-premultiply pass is skipped.
pub fn read_back(
    gpu: &GpuContext,
    staging: &mut Option<wgpu::Buffer>,
    texture: &wgpu::Texture,
    width: u32,
    height: u32,
    opaque: bool,
) -> Result<image::RgbaImage, RenderError> {
    let unpadded = width * 4;
    let padded =
        unpadded.div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT) * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
    let size = padded as u64 * height as u64;
    if staging.as_ref().is_none_or(|b| b.size() < size) {
        *staging = Some(gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("cirrus readback"),
            size,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        }));
    }
    let Some(buffer) = staging.as_ref() else {
        return Err(RenderError::Readback("no staging buffer".into()));
    };
    let mut encoder = gpu
        .device
        .create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("cirrus readback"),
        });
    encoder.copy_texture_to_buffer(
        wgpu::TexelCopyTextureInfo {
            texture,
            mip_level: 0,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        wgpu::TexelCopyBufferInfo {
            buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded),
                rows_per_image: Some(height),
            },
        },
        wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
    );
    gpu.queue.submit(Some(encoder.finish()));
    let slice = buffer.slice(..size);
    let (sender, receiver) = std::sync::mpsc::channel();
    slice.map_async(wgpu::MapMode::Read, move |result| {
        let _ = sender.send(result);
    });
    gpu.device.poll(wgpu::Maintain::Wait);
    match receiver.recv() {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(RenderError::Readback(e.to_string())),
        Err(e) => return Err(RenderError::Readback(e.to_string())),
    }
    let mut pixels = Vec::with_capacity((unpadded * height) as usize);
    {
        let data = slice.get_mapped_range();
        if padded == unpadded {
            pixels.extend_from_slice(&data[..(unpadded * height) as usize]);
        } else {
            for row in data.chunks(padded as usize).take(height as usize) {
                pixels.extend_from_slice(&row[..unpadded as usize]);
            }
        }
    }
    buffer.unmap();
    if !opaque {
        unpremultiply(&mut pixels);
    }
    image::RgbaImage::from_raw(width, height, pixels)
        .ok_or_else(|| RenderError::Readback("size mismatch".into()))
}

fn unpremultiply(pixels: &mut [u8]) {
    for px in pixels.chunks_exact_mut(4) {
        let a = px[3] as u32;
        if a > 0 && a < 255 {
            for channel in &mut px[..3] {
                *channel = ((*channel as u32 * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
}
