//! A window surface as a frame target. The host (the desktop shell or a
//! native embedder) creates the surface from its window on its own thread;
//! the render thread configures it and presents every changed frame.

use cirrus_layout::style::Color;
use cirrus_layout::Viewport;
use cirrus_render::{DisplayList, Renderer};

pub struct SurfaceTarget {
    instance: wgpu::Instance,
    surface: wgpu::Surface<'static>,
    config: Option<wgpu::SurfaceConfiguration>,
    /// Physical size in pixels.
    size: (u32, u32),
    /// Frames presented so far.
    pub frames: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl SurfaceTarget {
    /// `size` is the surface's physical size.
    pub fn new(
        instance: wgpu::Instance,
        surface: wgpu::Surface<'static>,
        size: (u32, u32),
    ) -> SurfaceTarget {
        SurfaceTarget {
            instance,
            surface,
            config: None,
            size,
            frames: Default::default(),
        }
    }

    /// A renderer on an adapter that can present to this surface.
    pub fn renderer(&self) -> Option<Renderer> {
        match Renderer::for_surface(&self.instance, &self.surface) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("cirrus: no GPU adapter for the window: {e}");
                None
            }
        }
    }

    pub fn resize(&mut self, viewport: Viewport) {
        let w = (viewport.width.0 * viewport.dpr).round().max(1.0) as u32;
        let h = (viewport.height.0 * viewport.dpr).round().max(1.0) as u32;
        if (w, h) != self.size {
            self.size = (w, h);
            self.config = None;
        }
    }

    fn configure(&mut self, renderer: &Renderer) -> wgpu::SurfaceConfiguration {
        if let Some(c) = &self.config {
            return c.clone();
        }
        let caps = renderer.surface_capabilities(&self.surface);
        // Blending happens on sRGB-encoded values (as browsers do), so a
        // non-sRGB view of the surface is preferred.
        let format = caps
            .formats
            .iter()
            .copied()
            .find(|f| !f.is_srgb())
            .or_else(|| caps.formats.first().copied())
            .unwrap_or(wgpu::TextureFormat::Bgra8Unorm);
        // COPY_DST where offered: frames drawn by the CPU rasteriser are
        // copied in (`present_image`).
        let usage =
            wgpu::TextureUsages::RENDER_ATTACHMENT | (caps.usages & wgpu::TextureUsages::COPY_DST);
        let config = wgpu::SurfaceConfiguration {
            usage,
            format,
            width: self.size.0.max(1),
            height: self.size.1.max(1),
            present_mode: wgpu::PresentMode::AutoVsync,
            desired_maximum_frame_latency: 2,
            alpha_mode: caps
                .alpha_modes
                .first()
                .copied()
                .unwrap_or(wgpu::CompositeAlphaMode::Auto),
            view_formats: vec![],
        };
        self.surface.configure(renderer.device(), &config);
        self.config = Some(config.clone());
        config
    }

    /// Draws `list` and presents it.
    pub fn present(
        &mut self,
        renderer: &mut Renderer,
        list: &DisplayList,
        fonts: &mut cirrus_layout::cosmic_text::FontSystem,
        clear: Color,
    ) -> Result<(), crate::EngineError> {
        let config = self.configure(renderer);
        let frame = match self.surface.get_current_texture() {
            Ok(f) => f,
            Err(wgpu::SurfaceError::Outdated | wgpu::SurfaceError::Lost) => {
                self.config = None;
                return Ok(());
            }
            Err(e) => return Err(crate::EngineError::Gpu(e.to_string())),
        };
        let view = frame
            .texture
            .create_view(&wgpu::TextureViewDescriptor::default());
        renderer
            .render_to_view(
                list,
                fonts,
                &view,
                config.format,
                config.width,
                config.height,
                clear,
            )
            .map_err(|e| crate::EngineError::Gpu(e.to_string()))?;
        frame.present();
        self.frames
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Presents a frame the CPU rasteriser drew (straight-alpha RGBA of the
    /// surface's size), copied into the surface texture with `renderer`'s
    /// device, which must be the one made for this surface.
    pub fn present_image(
        &mut self,
        renderer: &Renderer,
        image: &image::RgbaImage,
    ) -> Result<(), crate::EngineError> {
        let config = self.configure(renderer);
        if !config.usage.contains(wgpu::TextureUsages::COPY_DST) {
            return Err(crate::EngineError::Gpu(
                "this window surface cannot take CPU-drawn frames (no COPY_DST)".into(),
            ));
        }
        let frame = match self.surface.get_current_texture() {
            Ok(f) => f,
            Err(wgpu::SurfaceError::Outdated | wgpu::SurfaceError::Lost) => {
                self.config = None;
                return Ok(());
            }
            Err(e) => return Err(crate::EngineError::Gpu(e.to_string())),
        };
        let (width, height) = (
            image.width().min(config.width),
            image.height().min(config.height),
        );
        // The surface is opaque: composite on black, and swizzle for BGRA.
        let bgra = matches!(
            config.format,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        );
        let mut bytes = Vec::with_capacity(width as usize * height as usize * 4);
        for y in 0..height {
            for x in 0..width {
                let [r, g, b, a] = image.get_pixel(x, y).0;
                let scale = |c: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
                let (r, g, b) = (scale(r), scale(g), scale(b));
                if bgra {
                    bytes.extend_from_slice(&[b, g, r, 255]);
                } else {
                    bytes.extend_from_slice(&[r, g, b, 255]);
                }
            }
        }
        renderer.queue().write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &frame.texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            &bytes,
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
        renderer.queue().submit(std::iter::empty());
        frame.present();
        self.frames
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }
}
