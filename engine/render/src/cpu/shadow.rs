//! `box-shadow`, shaded per pixel with the GPU's analytic blur of a rounded
//! rectangle (sigma = blur / 2): outer shadows only outside the box, inset
//! shadows only inside it, radii following the spread.

use super::frame::Frame;
use super::raster::{device_hole, shade};
use super::sdf::{coverage, sd_rounded_rect, ShadowBlur};
use super::transform::Projective;
use crate::display_list::{Color, CornerRadii, Rect};
use crate::renderer::geometry::{clamp_radii, finite, premultiply, sane_rect};

impl Frame<'_> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn box_shadow(
        &mut self,
        rect: &Rect,
        radii: &CornerRadii,
        offset: (f32, f32),
        blur: f32,
        spread: f32,
        color: Color,
        inset: bool,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let color = premultiply(color, self.alpha);
        if color[3] <= 0.0 || !self.drawing() {
            return;
        }
        let sigma = finite(blur).max(0.0) * 0.5;
        let spread = finite(spread);
        let (box_rx, box_ry) = clamp_radii(radii, rect.width, rect.height);
        // The shadow shape: the box moved by the offset and grown by the
        // spread (shrunk for inset shadows); radii follow the spread.
        let grow = if inset { -spread } else { spread };
        let moved = Rect::new(
            rect.x + finite(offset.0),
            rect.y + finite(offset.1),
            rect.width,
            rect.height,
        );
        let grown = moved.inflate(grow);
        let adjust = |r: f32| if r > 0.0 { (r + grow).max(0.0) } else { 0.0 };
        let shape_rx = box_rx.map(adjust);
        let shape_ry = box_ry.map(adjust);
        let shape = if grown.width > 0.0 && grown.height > 0.0 {
            grown
        } else if inset {
            // The hole vanished: an inset shadow then fills the whole box.
            Rect::new(
                moved.x + moved.width * 0.5,
                moved.y + moved.height * 0.5,
                0.0,
                0.0,
            )
        } else {
            return;
        };
        let bounds = if inset {
            rect.inflate(1.0)
        } else {
            shape.inflate(3.0 * sigma + 1.0)
        };
        let matrix = self.matrix();
        let Some(area) = self.raster_area(&matrix, &bounds) else {
            return;
        };
        let map = Projective::from_matrix(&matrix);
        // An outer shadow is invisible inside the box.
        let hole = (!inset).then(|| {
            let corner_x = box_rx.iter().fold(0.0f32, |a, b| a.max(*b));
            let corner_y = box_ry.iter().fold(0.0f32, |a, b| a.max(*b));
            Rect::new(
                rect.x + corner_x + 1.0,
                rect.y + corner_y + 1.0,
                rect.width - 2.0 * corner_x - 2.0,
                rect.height - 2.0 * corner_y - 2.0,
            )
        });
        let box_shape = [rect.x, rect.y, rect.width, rect.height];
        let mut blur = ShadowBlur::new(
            [shape.x, shape.y, shape.width, shape.height],
            shape_rx,
            shape_ry,
            sigma,
        );
        let raster = shade(
            area,
            &map,
            hole.and_then(|h| device_hole(&map, &h)),
            |px, py, aa| {
                let box_cov = coverage(sd_rounded_rect(px, py, &box_shape, &box_rx, &box_ry), aa);
                let k = if inset {
                    if box_cov <= 0.0 {
                        return [0.0; 4];
                    }
                    box_cov * (1.0 - blur.alpha(px, py, aa))
                } else {
                    if box_cov >= 1.0 {
                        return [0.0; 4];
                    }
                    blur.alpha(px, py, aa) * (1.0 - box_cov)
                };
                color.map(|c| c * k)
            },
        );
        if let Some(raster) = raster {
            self.draw_raster(raster);
        }
    }
}
