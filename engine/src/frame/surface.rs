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
        let config = wgpu::SurfaceConfiguration {
            usage: wgpu::TextureUsages::RENDER_ATTACHMENT,
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
}
