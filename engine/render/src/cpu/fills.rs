//! Items that are one filled shape with a paint: gradients and images,
//! clipped to their rounded rectangle. Tiled images are shaded per pixel
//! instead, as the GPU shader does: each tile samples the source clamped to
//! its own edges (vello's repeat would blend across tile seams).

use vello_cpu::kurbo::{Affine, BezPath};
use vello_cpu::peniko::{Extend, Fill, ImageQuality, ImageSampler};
use vello_cpu::{Image, ImageSource};

use super::frame::{Frame, Shape};
use super::gradient::GradientPaint;
use super::image_store::sample_bilinear;
use super::paint::Paint;
use super::path::push_rounded_rect;
use super::raster::shade;
use super::sdf::{coverage, sd_rounded_rect};
use super::transform::{max_scale, Projective};
use crate::display_list::{CornerRadii, ImageKey, ImageTiling, Rect};
use crate::renderer::geometry::{clamp_radii, finite, sane_rect};

impl Frame<'_> {
    /// Fills `rect` (rounded by `radii`) with `paint`.
    fn fill_rounded(&mut self, rect: &Rect, radii: &CornerRadii, paint: Paint) {
        let (rx, ry) = clamp_radii(radii, rect.width, rect.height);
        if rx.iter().chain(&ry).all(|r| *r == 0.0) {
            self.fill(Shape::Rect(*rect), rect, Fill::NonZero, paint);
        } else {
            let mut path = BezPath::new();
            push_rounded_rect(&mut path, rect, &rx, &ry);
            self.fill(Shape::Path(&path), rect, Fill::NonZero, paint);
        }
    }

    pub(super) fn gradient(
        &mut self,
        rect: &Rect,
        radii: &CornerRadii,
        paint: Option<GradientPaint>,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let Some(paint) = paint else { return };
        let paint = match paint {
            GradientPaint::Solid(color) => Paint::Solid(color),
            GradientPaint::Gradient(gradient, to_local) => Paint::Gradient(gradient, to_local),
        };
        self.fill_rounded(&rect, radii, paint);
    }

    pub(super) fn image(
        &mut self,
        rect: &Rect,
        key: ImageKey,
        src: &Rect,
        radii: &CornerRadii,
        tile: Option<&ImageTiling>,
        opacity: f32,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let Some(src) = sane_rect(src) else { return };
        let alpha = finite(opacity).clamp(0.0, 1.0) * self.alpha;
        if alpha <= 0.0 || !self.drawing() {
            return;
        }
        let tile = tile.and_then(|t| {
            let (w, h) = (finite(t.size.0), finite(t.size.1));
            (w > 0.0 && h > 0.0).then(|| Rect::new(finite(t.origin.0), finite(t.origin.1), w, h))
        });
        // Where one copy of `src` goes: the tile, or the whole rectangle.
        let extent = tile.unwrap_or(rect);
        // Mip level from level-0 texels per device pixel, as the GPU.
        let map = Projective::from_matrix(&self.matrix());
        let device_per_local = map
            .affine_fit(&rect)
            .or_else(|| map.affine())
            .map_or(1.0, |a| max_scale(&a));
        let texels_per_local = (src.width / extent.width).max(src.height / extent.height) as f64;
        let texels_per_pixel = texels_per_local / device_per_local.max(1e-9);
        let Some(stored) = self.cx.images.get_mut(key) else {
            return;
        };
        let level = stored.level_for(texels_per_pixel);
        if let Some(tile) = tile {
            self.tiled_image(&rect, radii, key, &src, &tile, alpha, level);
            return;
        }
        let source = stored.source(level, &src);
        let Some(source) = source else { return };
        let (sx, sy, sw, sh) = source.src;
        let to_local = Affine::translate((extent.x as f64, extent.y as f64))
            * Affine::scale_non_uniform(extent.width as f64 / sw, extent.height as f64 / sh)
            * Affine::translate((source.origin.0 - sx, source.origin.1 - sy));
        let image = Image {
            image: ImageSource::Pixmap(source.pixmap),
            sampler: ImageSampler {
                x_extend: Extend::Pad,
                y_extend: Extend::Pad,
                quality: ImageQuality::Medium,
                alpha,
            },
        };
        self.fill_rounded(
            &rect,
            radii,
            Paint::Image {
                image,
                transform: to_local,
                tint: None,
            },
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn tiled_image(
        &mut self,
        rect: &Rect,
        radii: &CornerRadii,
        key: ImageKey,
        src: &Rect,
        tile: &Rect,
        alpha: f32,
        level: usize,
    ) {
        let matrix = self.matrix();
        let Some(area) = self.raster_area(&matrix, &rect.inflate(1.0)) else {
            return;
        };
        let map = Projective::from_matrix(&matrix);
        let (rx, ry) = clamp_radii(radii, rect.width, rect.height);
        let shape = [rect.x, rect.y, rect.width, rect.height];
        let Some(stored) = self.cx.images.get_mut(key) else {
            return;
        };
        let Some((pixmap, fx, fy)) = stored.level(level) else {
            return;
        };
        // The source rectangle in this level's texels.
        let (sx, sy) = ((src.x as f64 * fx) as f32, (src.y as f64 * fy) as f32);
        let (sw, sh) = (
            (src.width as f64 * fx) as f32,
            (src.height as f64 * fy) as f32,
        );
        // Bilinear sampling stays half a texel inside the source (no
        // bleeding from pixels next to a sprite), as the GPU clamps its uv.
        let (hx, hy) = (0.5f32.min(sw * 0.5), 0.5f32.min(sh * 0.5));
        let raster = shade(area, &map, None, |px, py, aa| {
            let cov = coverage(sd_rounded_rect(px, py, &shape, &rx, &ry), aa);
            if cov <= 0.0 {
                return [0.0; 4];
            }
            let fract = |v: f32| v - v.floor();
            let u = sx + fract((px - tile.x) / tile.width) * sw;
            let v = sy + fract((py - tile.y) / tile.height) * sh;
            // max/min rather than clamp: never a panic on odd bounds.
            let texel = sample_bilinear(
                pixmap,
                u.max(sx + hx).min(sx + sw - hx),
                v.max(sy + hy).min(sy + sh - hy),
            );
            texel.map(|c| c * alpha * cov)
        });
        if let Some(raster) = raster {
            self.draw_raster(raster);
        }
    }
}
