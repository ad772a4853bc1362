//! The wgpu renderer: draws a [`DisplayList`] onto a texture view (a window
//! surface's, or an offscreen one read back into an image).
//!
//! One frame: `builder` turns the list into a plan (instances, transform /
//! clip / stop tables, passes of batches), `frame` uploads it and encodes
//! one render pass per target. Textures (glyph atlas pages, images, layer
//! targets) live in `textures` and `atlas` and persist across frames.
//!
//! Colour: CSS colours are sRGB and browsers blend in sRGB space, so targets
//! should be non-sRGB formats (`Rgba8Unorm`, `Bgra8Unorm`) holding sRGB
//! values; blending is premultiplied "over".

mod atlas;
mod builder;
pub(crate) mod device;
// Shared with the CPU backend (`crate::cpu`), which draws the same items.
pub(crate) mod filters;
mod frame;
pub(crate) mod geometry;
mod instance;
mod pipeline;
mod textures;

use cirrus_layout::cosmic_text::FontSystem;

use crate::display_list::{Color, DisplayList, ImageKey};
pub use device::{quiet_start, AdapterLabel};

/// Why rendering could not happen.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("no graphics adapter found (not even a software fallback)")]
    NoAdapter,
    #[error("could not open the graphics device: {0}")]
    RequestDevice(String),
    #[error("the graphics device was lost")]
    DeviceLost,
    #[error("target size {width}x{height} exceeds the device limit of {limit}")]
    TargetTooLarge { width: u32, height: u32, limit: u32 },
    /// The CPU backend's cap on pixels (its side limit is `TargetTooLarge`).
    #[error("target size {width}x{height} exceeds the limit of {limit} pixels")]
    TargetAreaTooLarge { width: u32, height: u32, limit: u64 },
    #[error("GPU error: {0}")]
    Gpu(String),
    #[error("reading the frame back failed: {0}")]
    Readback(String),
    /// The CPU rasteriser failed inside its library (a bug there, caught
    /// instead of unwinding through the caller).
    #[error("the CPU rasteriser failed: {0}")]
    Backend(String),
}

/// Counters of the last frame, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameStats {
    /// Draw calls issued (one per batch).
    pub draw_calls: u32,
    /// Display items in the list.
    pub items: u32,
    /// Batches over all passes (equals draw_calls today).
    pub batches: u32,
    /// Instances (quads) drawn.
    pub instances: u32,
    /// Render passes (1 + offscreen layers).
    pub passes: u32,
    /// Glyphs rasterised this frame (not found in the atlas).
    pub glyph_atlas_misses: u32,
}

pub struct Renderer {
    gpu: device::GpuContext,
    binder: textures::TextureBinder,
    pipelines: pipeline::Pipelines,
    atlas: atlas::GlyphAtlas,
    images: textures::ImageCache,
    layers: textures::LayerPool,
    buffers: frame::FrameBuffers,
    /// Offscreen target of `render_to_image`, reused while the size holds.
    readback_target: Option<textures::GpuTexture>,
    /// Mappable buffer of `render_to_image`, reused while big enough.
    readback_staging: Option<wgpu::Buffer>,
    stats: FrameStats,
    /// See `builder::BuildContext::specialise_kinds`.
    specialise_kinds: bool,
}

impl Renderer {
    /// A renderer on any adapter, without a window: hardware if there is
    /// one, else the software fallback (lavapipe, WARP, llvmpipe).
    pub fn new_headless() -> Result<Renderer, RenderError> {
        let instance = device::new_instance();
        let adapter = device::request_adapter(&instance, None)?;
        Renderer::from_adapter(&adapter)
    }

    /// A renderer on an adapter the caller already picked (the `Auto`
    /// probe of [`crate::Rasterizer::new_headless`]).
    pub(crate) fn from_adapter(adapter: &wgpu::Adapter) -> Result<Renderer, RenderError> {
        Renderer::from_gpu(device::open_device(adapter)?)
    }

    /// A renderer on an adapter that can present to `surface` (created
    /// from `instance` by the caller's window shell). Configure the surface
    /// with [`Renderer::device`] and a non-sRGB format, see
    /// [`Renderer::preferred_surface_format`].
    pub fn for_surface(
        instance: &wgpu::Instance,
        surface: &wgpu::Surface<'_>,
    ) -> Result<Renderer, RenderError> {
        let adapter = device::request_adapter(instance, Some(surface))?;
        Renderer::from_gpu(device::open_device(&adapter)?)
    }

    /// A renderer on the host's own device (an embedder drawing Cirrus
    /// pages into its textures): `adapter` is the one `device` and `queue`
    /// were requested from.
    pub fn for_host_device(
        adapter: &wgpu::Adapter,
        device: wgpu::Device,
        queue: wgpu::Queue,
    ) -> Result<Renderer, RenderError> {
        Renderer::from_gpu(device::GpuContext {
            adapter: adapter.clone(),
            device,
            queue,
            adapter_info: adapter.get_info(),
            // The host owns the device and sees its loss itself.
            lost: std::sync::Arc::default(),
        })
    }

    /// A `wgpu::Instance` with every backend enabled, for creating surfaces
    /// to pass to [`Renderer::for_surface`].
    pub fn create_instance() -> wgpu::Instance {
        device::new_instance()
    }

    fn from_gpu(gpu: device::GpuContext) -> Result<Renderer, RenderError> {
        gpu.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let binder = textures::TextureBinder::new(&gpu.device);
        let mut pipelines = pipeline::Pipelines::new(&gpu.device, &binder.layout);
        // Build the offscreen pipeline now so that shader errors surface here.
        pipelines.get(&gpu.device, textures::TEXTURE_FORMAT, builder::KIND_ANY);
        let buffers = frame::FrameBuffers::new(&gpu.device);
        if let Some(error) = pollster::block_on(gpu.device.pop_error_scope()) {
            return Err(RenderError::Gpu(error.to_string()));
        }
        let specialise_kinds = gpu.adapter_info.device_type == wgpu::DeviceType::Cpu;
        Ok(Renderer {
            gpu,
            binder,
            pipelines,
            atlas: atlas::GlyphAtlas::new(),
            images: textures::ImageCache::default(),
            layers: textures::LayerPool::default(),
            buffers,
            specialise_kinds,
            readback_target: None,
            readback_staging: None,
            stats: FrameStats::default(),
        })
    }

    pub fn device(&self) -> &wgpu::Device {
        &self.gpu.device
    }

    pub fn queue(&self) -> &wgpu::Queue {
        &self.gpu.queue
    }

    /// What `surface` supports on this renderer's adapter (formats, alpha
    /// modes), for configuring it.
    pub fn surface_capabilities(&self, surface: &wgpu::Surface<'_>) -> wgpu::SurfaceCapabilities {
        surface.get_capabilities(&self.gpu.adapter)
    }

    pub fn adapter_info(&self) -> &wgpu::AdapterInfo {
        &self.gpu.adapter_info
    }

    /// Adapter name, backend and type as strings, for benchmark labels.
    pub fn adapter_label(&self) -> AdapterLabel {
        let info = &self.gpu.adapter_info;
        AdapterLabel {
            name: info.name.clone(),
            backend: format!("{:?}", info.backend),
            device_type: format!("{:?}", info.device_type),
        }
    }

    /// The non-sRGB variant of the first format the surface supports: draw
    /// sRGB values without conversion, as browsers do.
    pub fn preferred_surface_format(
        capabilities: &wgpu::SurfaceCapabilities,
    ) -> Option<wgpu::TextureFormat> {
        capabilities
            .formats
            .iter()
            .find(|f| !f.is_srgb())
            .or_else(|| capabilities.formats.first())
            .map(|f| f.remove_srgb_suffix())
    }

    /// Chooses between one pipeline per item kind (batches never mix kinds;
    /// the default on software adapters, where it is several times faster)
    /// and one generic pipeline (fewer draw calls; the default on GPUs).
    pub fn set_specialise_kinds(&mut self, specialise: bool) {
        self.specialise_kinds = specialise;
    }

    pub fn specialise_kinds(&self) -> bool {
        self.specialise_kinds
    }

    pub fn last_frame_stats(&self) -> FrameStats {
        self.stats
    }

    /// Uploads a decoded image (straight alpha) under `key`, replacing any
    /// previous image with that key. Kept until [`Renderer::unregister_image`].
    /// Images larger than the device limit are downscaled to fit.
    pub fn register_image(&mut self, key: ImageKey, rgba: &image::RgbaImage) {
        let limit = self.gpu.device.limits().max_texture_dimension_2d;
        let scaled;
        let source = if rgba.width() > limit || rgba.height() > limit {
            let factor = limit as f32 / rgba.width().max(rgba.height()) as f32;
            let w = ((rgba.width() as f32 * factor) as u32).clamp(1, limit);
            let h = ((rgba.height() as f32 * factor) as u32).clamp(1, limit);
            scaled = image::imageops::resize(rgba, w, h, image::imageops::FilterType::Triangle);
            &scaled
        } else {
            rgba
        };
        let (width, height) = source.dimensions();
        if width == 0 || height == 0 {
            self.images.remove(key);
            return;
        }
        let mut premultiplied = source.as_raw().clone();
        for px in premultiplied.chunks_exact_mut(4) {
            let a = px[3] as u32;
            for channel in &mut px[..3] {
                *channel = ((*channel as u32 * a + 127) / 255) as u8;
            }
        }
        // A full mip chain, so that downscaled images do not alias (as
        // browsers' high-quality image filtering). Levels are box-filtered
        // on premultiplied pixels.
        let levels = 32 - width.max(height).leading_zeros();
        let texture = self
            .binder
            .create_texture_with_mips("cirrus image", width, height, levels);
        texture.write_level(&self.gpu.queue, 0, width, height, &premultiplied);
        let mut level_image = image::RgbaImage::from_raw(width, height, premultiplied);
        for level in 1..levels {
            let Some(previous) = level_image.take() else {
                break;
            };
            let (w, h) = ((width >> level).max(1), (height >> level).max(1));
            let next =
                image::imageops::resize(&previous, w, h, image::imageops::FilterType::Triangle);
            texture.write_level(&self.gpu.queue, level, w, h, next.as_raw());
            level_image = Some(next);
        }
        self.images.insert(key, texture);
    }

    /// Forgets an image; returns whether it was registered.
    pub fn unregister_image(&mut self, key: ImageKey) -> bool {
        self.images.remove(key)
    }

    pub fn has_image(&self, key: ImageKey) -> bool {
        self.images.get(key).is_some()
    }

    /// Draws `list` onto `view` (of `format`, `width` x `height` pixels),
    /// first clearing it to `clear`.
    #[allow(clippy::too_many_arguments)]
    pub fn render_to_view(
        &mut self,
        list: &DisplayList,
        fonts: &mut FontSystem,
        view: &wgpu::TextureView,
        format: wgpu::TextureFormat,
        width: u32,
        height: u32,
        clear: Color,
    ) -> Result<(), RenderError> {
        if self.gpu.is_lost() {
            return Err(RenderError::DeviceLost);
        }
        let limit = self.gpu.device.limits().max_texture_dimension_2d;
        if width > limit || height > limit {
            return Err(RenderError::TargetTooLarge {
                width,
                height,
                limit,
            });
        }
        if width == 0 || height == 0 {
            self.stats = FrameStats {
                items: list.len() as u32,
                ..FrameStats::default()
            };
            return Ok(());
        }
        self.gpu
            .device
            .push_error_scope(wgpu::ErrorFilter::Validation);
        self.gpu
            .device
            .push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        self.layers.reset();
        self.atlas.trim();
        let plan = {
            let mut cx = builder::BuildContext {
                binder: &self.binder,
                queue: &self.gpu.queue,
                fonts,
                atlas: &mut self.atlas,
                images: &self.images,
                layers: &mut self.layers,
                width,
                height,
                specialise_kinds: self.specialise_kinds,
            };
            builder::build(list, &mut cx)
        };
        let targets = frame::Targets {
            root_view: view,
            root_format: format,
            clear,
        };
        frame::encode_and_submit(
            &self.gpu,
            &mut self.pipelines,
            &mut self.buffers,
            &self.atlas,
            &self.images,
            &self.layers,
            &self.binder,
            &plan,
            &targets,
        );
        self.layers.trim();
        let out_of_memory = pollster::block_on(self.gpu.device.pop_error_scope());
        let validation = pollster::block_on(self.gpu.device.pop_error_scope());
        self.stats = FrameStats {
            draw_calls: plan.draw_calls(),
            items: list.len() as u32,
            batches: plan.passes.iter().map(|p| p.batches.len() as u32).sum(),
            instances: plan.instances.len() as u32,
            passes: plan.passes.len() as u32,
            glyph_atlas_misses: plan.glyph_atlas_misses,
        };
        if let Some(error) = validation.or(out_of_memory) {
            return Err(RenderError::Gpu(error.to_string()));
        }
        if self.gpu.is_lost() {
            return Err(RenderError::DeviceLost);
        }
        Ok(())
    }

    /// Draws `list` offscreen and reads the pixels back (straight alpha).
    pub fn render_to_image(
        &mut self,
        list: &DisplayList,
        fonts: &mut FontSystem,
        width: u32,
        height: u32,
        clear: Color,
    ) -> Result<image::RgbaImage, RenderError> {
        if width == 0 || height == 0 {
            self.render_to_view_size_zero(list);
            return Ok(image::RgbaImage::new(width, height));
        }
        let limit = self.gpu.device.limits().max_texture_dimension_2d;
        if width > limit || height > limit {
            return Err(RenderError::TargetTooLarge {
                width,
                height,
                limit,
            });
        }
        let reuse =
            matches!(&self.readback_target, Some(t) if t.width == width && t.height == height);
        if !reuse {
            self.readback_target = Some(frame::create_readback_target(&self.binder, width, height));
        }
        let Some(target) = self.readback_target.take() else {
            return Err(RenderError::Readback("no target".into()));
        };
        let result = self
            .render_to_view(
                list,
                fonts,
                &target.view,
                textures::TEXTURE_FORMAT,
                width,
                height,
                clear,
            )
            .and_then(|()| {
                frame::read_back(
                    &self.gpu,
                    &mut self.readback_staging,
                    &target.texture,
                    width,
                    height,
                    clear.a >= 1.0,
                )
            });
        self.readback_target = Some(target);
        result
    }

    fn render_to_view_size_zero(&mut self, list: &DisplayList) {
        self.stats = FrameStats {
            items: list.len() as u32,
            ..FrameStats::default()
        };
    }

    /// Number of glyph atlas pages allocated so far.
    pub fn glyph_atlas_pages(&self) -> usize {
        self.atlas.page_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The render thread owns the renderer; it may be created elsewhere.
    #[test]
    fn renderer_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Renderer>();
    }
    use crate::display_list::Rect;

    /// On an sRGB target the stored bytes must still be the CSS values.
    #[test]
    fn srgb_target_stores_css_values() {
        let mut renderer = match Renderer::new_headless() {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let format = wgpu::TextureFormat::Rgba8UnormSrgb;
        let texture = renderer.device().create_texture(&wgpu::TextureDescriptor {
            label: None,
            size: wgpu::Extent3d {
                width: 8,
                height: 8,
                depth_or_array_layers: 1,
            },
            mip_level_count: 1,
            sample_count: 1,
            dimension: wgpu::TextureDimension::D2,
            format,
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
            view_formats: &[],
        });
        let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
        let mut list = DisplayList::new();
        list.fill_rect(
            Rect::new(0.0, 0.0, 4.0, 8.0),
            Color::rgba8(128, 64, 200, 1.0),
        );
        let mut fonts = FontSystem::new_with_locale_and_db("en-US".into(), Default::default());
        let rendered =
            renderer.render_to_view(&list, &mut fonts, &view, format, 8, 8, Color::WHITE);
        assert!(rendered.is_ok(), "{rendered:?}");
        let mut staging = None;
        let image = match frame::read_back(&renderer.gpu, &mut staging, &texture, 8, 8, true) {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        let p = image.get_pixel(1, 1).0;
        assert!(
            p[0].abs_diff(128) <= 2 && p[1].abs_diff(64) <= 2 && p[2].abs_diff(200) <= 2,
            "{p:?}"
        );
        assert_eq!(image.get_pixel(6, 6).0, [255, 255, 255, 255]);
    }
}
