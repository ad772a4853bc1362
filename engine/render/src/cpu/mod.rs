//! The CPU backend: draws a [`DisplayList`] without a graphics adapter, with
//! the semantics of the wgpu renderer (`crate::renderer`), on vello_cpu.
//!
//! # Why vello_cpu (and not tiny-skia)
//!
//! Chosen by measurement. A throwaway comparison rendered one scene shaped
//! like a mini program page at 750x1334 with both libraries, through the
//! operations this backend needs: 300 rounded rectangles (some translucent),
//! 100 border rings (even-odd), 10 nested rounded clips, 3 opacity layers, a
//! linear and a radial gradient, a bilinear-scaled 256x256 image in a
//! rounded rectangle and 1980 glyph masks (x86-64, one thread, release
//! build, 30 frames each; the machine was shared, so medians and minima):
//!
//! | scene | tiny-skia 0.11.4 | vello_cpu 0.3.0 |
//! | --- | --- | --- |
//! | everything | 38.1-50.5 ms median, 35.5 ms min | 7.9-12.0 ms median, 7.5 ms min |
//! | without glyphs | 32.2-35.0 ms median, 30.5 ms min | 5.2-5.3 ms median, 4.9 ms min |
//! | without glyphs, clips, layers | 15.7-16.1 ms median, 14.8 ms min | 4.4-4.5 ms median, 4.2 ms min |
//!
//! vello_cpu is 3.5-6 times faster: its sparse-strip rasteriser clips and
//! composites layers per strip, where tiny-skia needs a full-size mask per
//! clip and full-size pixmaps per layer (the largest difference), and its
//! SIMD fill paths beat tiny-skia's even on plain shapes. Costs accepted
//! with it: a younger API (0.x), a minimum Rust of 1.89 (the workspace
//! already needs newer for oxc), and no colour-matrix filters (done here).
//! Neither library does perspective or elliptical per-corner radii.
//!
//! End to end, `examples/cpu_bench.rs` (a 520-item page at 750x1334: 300
//! rounded rectangles, 110 borders, 10 box shadows, 10 clips, 3 layers,
//! gradients, an image, 2760 glyphs; read-back included) takes 19-21 ms a
//! frame on this backend and 90-160 ms on the wgpu renderer over llvmpipe,
//! on the same shared 2-core machine. Box shadows, shaded per pixel, are
//! the largest part (about 8 ms for the 10).
//!
//! # How items map
//!
//! - Rects, gradients, images, glyphs, solid and double lines, one-colour
//!   solid borders: vello fills of hand-built paths (`path`: per-corner
//!   elliptical radii as cubic quarter-ellipses) with colour, gradient or
//!   image paints; clips are vello clip paths (exact nested intersection,
//!   better than the GPU's per-corner approximation); opacity layers are
//!   vello layers.
//! - Other borders (per-side colours, dashed, dotted), box shadows,
//!   dashed, dotted and wavy lines and tiled images: shaded per pixel with
//!   the GPU shader's own formulas (`sdf`, `raster`), then drawn
//!   pixel-aligned.
//! - Filtered layers: a surface of their own, filtered on the CPU
//!   (`filters`: the GPU's colour matrices; its discrete Gaussian, three
//!   box blurs past a radius of 24 px, sigma capped where the GPU's
//!   100-tap kernel stops growing).
//!
//! # Exact, approximate, different
//!
//! Same picture as the GPU up to antialiasing (vello's coverage vs. the
//! shader's one-pixel ramp) and 8-bit rounding: colours, sRGB-space
//! premultiplied blending, radii scaling (css-backgrounds §5.5), border
//! inner radii, side splits and dash/dot layout, shadows (same analytic
//! approximation), glyph placement and pixels, gradient stops (offsets
//! outside 0..=1, repeating, premultiplied interpolation), layer semantics,
//! filters' matrices, tiles clamped at their seams. Approximate: mip
//! levels are picked per item, not blended per pixel (GPU: trilinear);
//! blurs past a radius of 24 px are three boxes; nested rounded clips are
//! exact here where the GPU approximates them. Perspective: geometry is
//! projected exactly (flattened, clipped at w > 0), and per-pixel items are
//! exact, but paints (gradients, images, glyph images) follow the affine
//! map that agrees at three corners of the item (vello paints are affine).
//!
//! # Robustness
//!
//! Input is sanitised as on the GPU (NaN and infinities become 0, negative
//! sizes draw nothing); shapes too large for vello's f32 rasteriser are
//! clipped to the viewport by hand first (`path::place`); paints whose
//! maps would make vello's f32 paint coordinates infinite are not drawn
//! (vello then indexes its gradient tables out of bounds); the target size is
//! capped ([`MAX_TARGET_SIDE`], [`MAX_TARGET_PIXELS`]). A panic inside the
//! library would be a bug there: it is caught and returned as
//! [`RenderError::Backend`], and the renderer starts afresh.

mod clip;
mod fills;
mod filters;
mod frame;
mod glyphs;
mod gradient;
mod image_store;
mod line;
mod paint;
mod path;
mod raster;
mod sdf;
mod shadow;
mod shapes;
mod surface;
mod text;
mod transform;

use cirrus_layout::cosmic_text::FontSystem;
use vello_cpu::{Pixmap, RasterizerSettings, RenderContext, RenderSettings, Resources, TargetInit};

use crate::display_list::{Color, DisplayList, ImageKey};
use crate::{FrameStats, RenderError};

pub use glyphs::DEFAULT_BUDGET_BYTES as DEFAULT_GLYPH_CACHE_BYTES;

/// Largest width or height of a target, in pixels.
pub const MAX_TARGET_SIDE: u32 = 16_384;
/// Largest number of pixels in a target (256 MiB of RGBA).
pub const MAX_TARGET_PIXELS: u64 = 1 << 26;

/// Label of this backend, for benchmark and log lines.
pub const LABEL: &str = "cpu (vello_cpu)";

pub struct CpuRenderer {
    /// The root surface's context, kept between frames of one size.
    root: Option<RenderContext>,
    /// Reset contexts of the current size, for filtered layers.
    spare: Vec<RenderContext>,
    size: (u16, u16),
    resources: Resources,
    glyphs: glyphs::GlyphCache,
    images: image_store::ImageStore,
    stats: FrameStats,
}

impl Default for CpuRenderer {
    fn default() -> Self {
        CpuRenderer::new()
    }
}

impl CpuRenderer {
    pub fn new() -> CpuRenderer {
        CpuRenderer::with_glyph_cache_bytes(DEFAULT_GLYPH_CACHE_BYTES)
    }

    /// A renderer whose glyph cache holds about `bytes` of glyph images
    /// (least recently used glyphs are dropped between frames past that).
    pub fn with_glyph_cache_bytes(bytes: usize) -> CpuRenderer {
        CpuRenderer {
            root: None,
            spare: Vec::new(),
            size: (0, 0),
            resources: Resources::new(),
            glyphs: glyphs::GlyphCache::new(bytes),
            images: image_store::ImageStore::default(),
            stats: FrameStats::default(),
        }
    }

    /// "cpu (vello_cpu)".
    pub fn label(&self) -> &'static str {
        LABEL
    }

    /// Counters of the last frame. For this backend `draw_calls`,
    /// `batches` and `instances` all count vello fills (one per shape,
    /// glyph and per-pixel-shaded item), `passes` counts the root plus
    /// every opacity and filtered layer drawn apart, and
    /// `glyph_atlas_misses` the glyphs rasterised this frame.
    pub fn last_frame_stats(&self) -> FrameStats {
        self.stats
    }

    /// Glyph images held and their bytes (pixels plus bookkeeping).
    pub fn glyph_cache_usage(&self) -> (usize, usize) {
        (self.glyphs.len(), self.glyphs.bytes())
    }

    /// Stores a decoded image (straight alpha) under `key`, replacing any
    /// previous image with that key, until [`CpuRenderer::unregister_image`].
    /// Images larger than 16384 px on a side are downscaled to fit.
    pub fn register_image(&mut self, key: ImageKey, rgba: &image::RgbaImage) {
        self.images.insert(key, rgba);
    }

    /// Forgets an image; returns whether it was registered.
    pub fn unregister_image(&mut self, key: ImageKey) -> bool {
        self.images.remove(key)
    }

    pub fn has_image(&self, key: ImageKey) -> bool {
        self.images.contains(key)
    }

    /// Draws `list` over `clear` and returns the pixels (straight alpha).
    pub fn render_to_image(
        &mut self,
        list: &DisplayList,
        fonts: &mut FontSystem,
        width: u32,
        height: u32,
        clear: Color,
    ) -> Result<image::RgbaImage, RenderError> {
        // As the GPU renderer: an empty target is an empty image, whatever
        // its other side.
        if width == 0 || height == 0 {
            self.stats = FrameStats {
                items: list.len() as u32,
                ..FrameStats::default()
            };
            return Ok(image::RgbaImage::new(width, height));
        }
        if width > MAX_TARGET_SIDE || height > MAX_TARGET_SIDE {
            return Err(RenderError::TargetTooLarge {
                width,
                height,
                limit: MAX_TARGET_SIDE,
            });
        }
        if width as u64 * height as u64 > MAX_TARGET_PIXELS {
            return Err(RenderError::TargetAreaTooLarge {
                width,
                height,
                limit: MAX_TARGET_PIXELS,
            });
        }
        // Both fit in u16: MAX_TARGET_SIDE is below u16::MAX.
        let (w, h) = (width as u16, height as u16);
        if self.size != (w, h) {
            self.root = None;
            self.spare.clear();
            self.size = (w, h);
        }
        let settings = RenderSettings::default();
        let mut root = self
            .root
            .take()
            .unwrap_or_else(|| RenderContext::new_with(w, h, settings));
        root.reset();
        self.glyphs.begin_frame();
        let clear = paint::css_color(clear);
        let CpuRenderer {
            spare,
            resources,
            glyphs,
            images,
            ..
        } = self;
        // vello is a young library: a panic in it must not take the
        // caller's thread down (see the module docs).
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let cx = frame::FrameContext {
                fonts,
                glyphs,
                images,
                resources,
                spare,
                settings,
            };
            let (mut ctx, stats) = frame::run(list, cx, root, w, h);
            ctx.flush();
            let mut pixmap = Pixmap::new(w, h);
            ctx.render_with(
                &mut pixmap,
                resources,
                RasterizerSettings {
                    target_init: TargetInit::Clear(clear),
                    ..RasterizerSettings::default()
                },
            );
            (ctx, stats, pixmap)
        }));
        self.glyphs.trim();
        let (ctx, stats, pixmap) = match outcome {
            Ok(done) => done,
            Err(panic) => {
                // Whatever state the contexts were left in is dropped.
                self.spare.clear();
                self.resources = Resources::new();
                self.stats = FrameStats {
                    items: list.len() as u32,
                    ..FrameStats::default()
                };
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".into());
                return Err(RenderError::Backend(message));
            }
        };
        self.root = Some(ctx);
        self.stats = stats;
        let mut pixels = pixmap.data_as_u8_slice().to_vec();
        unpremultiply(&mut pixels);
        image::RgbaImage::from_raw(width, height, pixels)
            .ok_or_else(|| RenderError::Backend("pixel buffer size mismatch".into()))
    }
}

/// Premultiplied to straight alpha, rounding as the GPU read-back does.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_renderer_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<CpuRenderer>();
    }

    #[test]
    fn oversized_targets_are_refused() {
        let mut renderer = CpuRenderer::new();
        let mut fonts = FontSystem::new_with_locale_and_db("en-US".into(), Default::default());
        let list = DisplayList::new();
        let result =
            renderer.render_to_image(&list, &mut fonts, MAX_TARGET_SIDE + 1, 1, Color::WHITE);
        assert!(
            matches!(result, Err(RenderError::TargetTooLarge { .. })),
            "{result:?}"
        );
        let result = renderer.render_to_image(&list, &mut fonts, 16_000, 16_000, Color::WHITE);
        assert!(
            matches!(result, Err(RenderError::TargetAreaTooLarge { .. })),
            "{result:?}"
        );
    }

    #[test]
    fn empty_targets_give_empty_images() {
        let mut renderer = CpuRenderer::new();
        let mut fonts = FontSystem::new_with_locale_and_db("en-US".into(), Default::default());
        let image = renderer.render_to_image(&DisplayList::new(), &mut fonts, 0, 10, Color::WHITE);
        assert!(
            matches!(image, Ok(ref i) if i.width() == 0 && i.height() == 10),
            "{image:?}"
        );
    }
}
