//! Glyph runs: each glyph's cached image placed at the pen position plus
//! swash's placement (left, top), as the GPU atlas places it. Mask glyphs
//! are tinted with the run's colour (alpha-mask tint: colour x coverage);
//! colour glyphs keep their colours and take only the colour's alpha. Under
//! an integer translation vello copies the glyph's pixels unchanged; a glyph
//! past the raster cap (`crate::glyph_size`) is its capped raster scaled.

use vello_cpu::kurbo::Affine;
use vello_cpu::peniko::{Extend, Fill, ImageQuality, ImageSampler};
use vello_cpu::{Image, ImageSource, Tint, TintMode};

use super::frame::{Frame, Shape};
use super::paint::{css_color_with_alpha, Paint};
use crate::display_list::{Color, GlyphInstance, Rect};
use crate::glyph_size::{raster_key, scaled_placement};

impl Frame<'_> {
    pub(super) fn glyphs(&mut self, glyphs: &[GlyphInstance], color: Color) {
        let tint_color = css_color_with_alpha(color, self.alpha);
        let alpha = tint_color.components[3];
        if alpha <= 0.0 || !self.drawing() {
            return;
        }
        for glyph in glyphs {
            // A glyph past the raster cap is drawn from a smaller raster,
            // scaled (see crate::glyph_size).
            let (raster, scale) = raster_key(glyph.key);
            let (image, miss) = self.cx.glyphs.get(self.cx.fonts, raster);
            if miss {
                self.stats.glyph_atlas_misses += 1;
            }
            let Some(image) = image else { continue };
            let [left, top, width, height] =
                scaled_placement(image.left, image.top, image.width, image.height, scale);
            let rect = Rect::new(glyph.x as f32 + left, glyph.y as f32 - top, width, height);
            let (tint, sampler_alpha) = if image.is_color {
                (None, alpha)
            } else {
                (
                    Some(Tint {
                        color: tint_color,
                        mode: TintMode::AlphaMask,
                    }),
                    1.0,
                )
            };
            let paint = Paint::Image {
                image: Image {
                    image: ImageSource::Pixmap(image.pixmap),
                    sampler: ImageSampler {
                        x_extend: Extend::Pad,
                        y_extend: Extend::Pad,
                        quality: ImageQuality::Medium,
                        alpha: sampler_alpha,
                    },
                },
                transform: Affine::translate((rect.x as f64, rect.y as f64))
                    * Affine::scale(scale as f64),
                tint,
            };
            self.fill(Shape::Rect(rect), &rect, Fill::NonZero, paint);
        }
    }
}
