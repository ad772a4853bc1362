//! Glyph runs: each glyph's cached image placed at the pen position plus
//! swash's placement (left, top), as the GPU atlas places it. Mask glyphs
//! are tinted with the run's colour (alpha-mask tint: colour x coverage);
//! colour glyphs keep their colours and take only the colour's alpha. Under
//! an integer translation vello copies the glyph's pixels unchanged.

use vello_cpu::kurbo::Affine;
use vello_cpu::peniko::{Extend, Fill, ImageQuality, ImageSampler};
use vello_cpu::{Image, ImageSource, Tint, TintMode};

use super::frame::{Frame, Shape};
use super::paint::{css_color_with_alpha, Paint};
use crate::display_list::{Color, GlyphInstance, Rect};

impl Frame<'_> {
    pub(super) fn glyphs(&mut self, glyphs: &[GlyphInstance], color: Color) {
        let tint_color = css_color_with_alpha(color, self.alpha);
        let alpha = tint_color.components[3];
        if alpha <= 0.0 || !self.drawing() {
            return;
        }
        for glyph in glyphs {
            let (image, miss) = self.cx.glyphs.get(self.cx.fonts, glyph.key);
            if miss {
                self.stats.glyph_atlas_misses += 1;
            }
            let Some(image) = image else { continue };
            let rect = Rect::new(
                (glyph.x as i64 + image.left as i64) as f32,
                (glyph.y as i64 - image.top as i64) as f32,
                image.width as f32,
                image.height as f32,
            );
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
                transform: Affine::translate((rect.x as f64, rect.y as f64)),
                tint,
            };
            self.fill(Shape::Rect(rect), &rect, Fill::NonZero, paint);
        }
    }
}
