//! GPU textures the shader samples: registered images, glyph atlas pages
//! and offscreen layer targets, each with the bind group (group 1) that
//! exposes it, plus the pool that recycles layer targets between frames.
//!
//! Invariant: every texture is `Rgba8Unorm` holding premultiplied sRGB
//! values (no sRGB decoding on sampling: blending happens in sRGB space).

use std::collections::HashMap;

use crate::display_list::ImageKey;

pub const TEXTURE_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// A texture with its view and group-1 bind group.
pub struct GpuTexture {
    pub texture: wgpu::Texture,
    pub view: wgpu::TextureView,
    pub bind_group: wgpu::BindGroup,
    pub width: u32,
    pub height: u32,
}

impl GpuTexture {
    /// Uploads tightly packed RGBA rows into mip level `level`.
    pub fn write_level(
        &self,
        queue: &wgpu::Queue,
        level: u32,
        width: u32,
        height: u32,
        rgba: &[u8],
    ) {
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &self.texture,
                mip_level: level,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            rgba,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(width * 4),
                rows_per_image: Some(height),
            },
            wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
        );
    }

    /// Uploads tightly packed RGBA rows into the texel rectangle (x, y, w, h).
    pub fn write(&self, queue: &wgpu::Queue, x: u32, y: u32, width: u32, height: u32, rgba: &[u8]) {
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &self.texture,
                mip_level: 0,
                origin: wgpu::Origin3d { x, y, z: 0 },
                aspect: wgpu::TextureAspect::All,
            },
            rgba,
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(width * 4),
                rows_per_image: Some(height),
            },
            wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
        );
    }
}

/// Creates textures and their bind groups (layout + shared sampler).
pub struct TextureBinder {
    pub device: wgpu::Device,
    pub layout: wgpu::BindGroupLayout,
    pub sampler: wgpu::Sampler,
}

impl TextureBinder {
    pub fn new(device: &wgpu::Device) -> TextureBinder {
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("cirrus texture layout"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Texture {
                        sample_type: wgpu::TextureSampleType::Float { filterable: true },
                        view_dimension: wgpu::TextureViewDimension::D2,
                        multisampled: false,
                    },
                    count: None,
                },
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::FRAGMENT,
                    ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
                    count: None,
                },
            ],
        });
        let sampler = device.create_sampler(&wgpu::SamplerDescriptor {
            label: Some("cirrus linear clamp sampler"),
            address_mode_u: wgpu::AddressMode::ClampToEdge,
            address_mode_v: wgpu::AddressMode::ClampToEdge,
            mag_filter: wgpu::FilterMode::Linear,
            min_filter: wgpu::FilterMode::Linear,
            mipmap_filter: wgpu::FilterMode::Linear,
            ..Default::default()
        });
        TextureBinder {
            device: device.clone(),
            layout,
            sampler,
        }
    }

    pub fn create_texture(&self, label: &str, width: u32, height: u32) -> GpuTexture {
        self.create_texture_with_mips(label, width, height, 1)
    }

    /// A texture with `mip_levels` levels (1 = no mipmaps).
    pub fn create_texture_with_mips(
        &self,
        label: &str,
        width: u32,
        height: u32,
        mip_levels: u32,
    ) -> GpuTexture {
        let texture = self.device.create_texture(&wgpu::TextureDescriptor {
            label: Some(label),
            size: wgpu::Extent3d {
                width: width.max(1),
                height: height.max(1),
                depth_or_array_layers: 1,
            },
            mip_level_count: mip_levels.max(1),
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format: TEXTURE_FORMAT,
            usage: wgpu::TextureUsages::TEXTURE_BINDING
                | wgpu::TextureUsages::COPY_DST
                | wgpu::TextureUsages::RENDER_ATTACHMENT,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(label),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(&view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(&self.sampler),
                },
            ],
        });
        GpuTexture {
            texture,
            view,
            bind_group,
            width: width.max(1),
            height: height.max(1),
        }
    }
}

/// Registered images by key.
#[derive(Default)]
pub struct ImageCache {
    images: HashMap<ImageKey, GpuTexture>,
}

impl ImageCache {
    pub fn insert(&mut self, key: ImageKey, texture: GpuTexture) {
        self.images.insert(key, texture);
    }

    pub fn remove(&mut self, key: ImageKey) -> bool {
        self.images.remove(&key).is_some()
    }

    pub fn get(&self, key: ImageKey) -> Option<&GpuTexture> {
        self.images.get(&key)
    }
}

/// Offscreen layer targets, recycled between frames. Sizes are rounded up
/// to multiples of 256 so that slightly different layers share textures.
#[derive(Default)]
pub struct LayerPool {
    textures: Vec<GpuTexture>,
    in_use: Vec<bool>,
}

impl LayerPool {
    /// Marks every texture free; call at the start of a frame.
    pub fn reset(&mut self) {
        self.in_use.iter_mut().for_each(|u| *u = false);
    }

    /// A free texture at least `width` x `height`; returns its index.
    pub fn acquire(&mut self, binder: &TextureBinder, width: u32, height: u32) -> usize {
        for (index, texture) in self.textures.iter().enumerate() {
            if !self.in_use[index] && texture.width >= width && texture.height >= height {
                self.in_use[index] = true;
                return index;
            }
        }
        let round = |v: u32| v.max(1).div_ceil(256) * 256;
        let limit = binder.device.limits().max_texture_dimension_2d;
        let texture = binder.create_texture(
            "cirrus layer target",
            round(width).min(limit),
            round(height).min(limit),
        );
        self.textures.push(texture);
        self.in_use.push(true);
        self.textures.len() - 1
    }

    pub fn get(&self, index: usize) -> Option<&GpuTexture> {
        self.textures.get(index)
    }

    /// Drops textures not used in the last frame, keeping memory bounded
    /// after a frame with many layers.
    pub fn trim(&mut self) {
        let mut index = 0;
        while index < self.textures.len() {
            if self.in_use[index] {
                index += 1;
            } else {
                self.textures.swap_remove(index);
                self.in_use.swap_remove(index);
            }
        }
    }
}
