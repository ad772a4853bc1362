//! Rectangles and borders. A border in one solid colour is a ring (outer
//! minus inner rounded rectangle, even-odd) that vello fills; any other
//! border (per-side colours, dashed, dotted, a `none` side with a width) is
//! shaded per pixel with the GPU's formulas: side split along the corner
//! diagonals, Chromium's dash and dot layout.

use vello_cpu::kurbo::BezPath;
use vello_cpu::peniko::Fill;

use super::frame::{Frame, Shape};
use super::paint::{css_color_with_alpha, Paint};
use super::path::push_rounded_rect;
use super::raster::{device_hole, shade};
use super::sdf::{
    border_side, coverage, inner_border_shape, pattern, sd_rounded_rect, STYLE_DASHED,
    STYLE_DOTTED, STYLE_NONE, STYLE_SOLID,
};
use super::transform::Projective;
use crate::display_list::{BorderStyle, Color, CornerRadii, Rect, Sides};
use crate::renderer::geometry::{clamp_radii, finite, premultiply, sane_rect};

/// The GPU's style codes (`builder::border_style_code`).
fn style_code(style: BorderStyle) -> u32 {
    match style {
        BorderStyle::None | BorderStyle::Hidden => STYLE_NONE,
        BorderStyle::Solid => STYLE_SOLID,
        BorderStyle::Dashed => STYLE_DASHED,
        BorderStyle::Dotted => STYLE_DOTTED,
    }
}

/// Inner radii of a border: the outer ones minus the adjacent widths
/// (`widths`: top, right, bottom, left), as the GPU shader.
fn inner_radii(rx: &[f32; 4], ry: &[f32; 4], w: &[f32; 4]) -> ([f32; 4], [f32; 4]) {
    let [top, right, bottom, left] = *w;
    (
        [
            (rx[0] - left).max(0.0),
            (rx[1] - right).max(0.0),
            (rx[2] - right).max(0.0),
            (rx[3] - left).max(0.0),
        ],
        [
            (ry[0] - top).max(0.0),
            (ry[1] - top).max(0.0),
            (ry[2] - bottom).max(0.0),
            (ry[3] - bottom).max(0.0),
        ],
    )
}

impl Frame<'_> {
    pub(super) fn rect(&mut self, rect: &Rect, color: Color, radii: &CornerRadii) {
        let Some(rect) = sane_rect(rect) else { return };
        let paint = css_color_with_alpha(color, self.alpha);
        if paint.components[3] <= 0.0 {
            return;
        }
        let (rx, ry) = clamp_radii(radii, rect.width, rect.height);
        if rx.iter().chain(&ry).all(|r| *r == 0.0) {
            self.fill(Shape::Rect(rect), &rect, Fill::NonZero, Paint::Solid(paint));
        } else {
            let mut path = BezPath::new();
            push_rounded_rect(&mut path, &rect, &rx, &ry);
            self.fill(
                Shape::Path(&path),
                &rect,
                Fill::NonZero,
                Paint::Solid(paint),
            );
        }
    }

    pub(super) fn border(
        &mut self,
        rect: &Rect,
        widths: &Sides<f32>,
        colors: &Sides<Color>,
        styles: &Sides<BorderStyle>,
        radii: &CornerRadii,
    ) {
        let Some(rect) = sane_rect(rect) else { return };
        let w = |v: f32| finite(v).max(0.0);
        let widths = [
            w(widths.top),
            w(widths.right),
            w(widths.bottom),
            w(widths.left),
        ];
        let codes = [styles.top, styles.right, styles.bottom, styles.left].map(style_code);
        if !(0..4).any(|i| widths[i] > 0.0 && codes[i] != STYLE_NONE) {
            return;
        }
        let colors = [colors.top, colors.right, colors.bottom, colors.left]
            .map(|c| premultiply(c, self.alpha));
        let (rx, ry) = clamp_radii(radii, rect.width, rect.height);
        let shape = [rect.x, rect.y, rect.width, rect.height];
        let inner = inner_border_shape(&shape, &widths);
        let (inner_rx, inner_ry) = inner_radii(&rx, &ry, &widths);

        // One solid colour on every side with a width: a ring.
        let first_visible = (0..4).find(|&i| widths[i] > 0.0);
        let uniform = first_visible.is_some_and(|f| {
            (0..4).all(|i| widths[i] == 0.0 || (codes[i] == STYLE_SOLID && colors[i] == colors[f]))
        });
        if let (true, Some(f)) = (uniform, first_visible) {
            let c = colors[f];
            if c[3] <= 0.0 {
                return;
            }
            let paint =
                vello_cpu::peniko::Color::new([c[0] / c[3], c[1] / c[3], c[2] / c[3], c[3]]);
            let mut path = BezPath::new();
            push_rounded_rect(&mut path, &rect, &rx, &ry);
            if inner[2] > 0.0 && inner[3] > 0.0 {
                let inner_rect = Rect::new(inner[0], inner[1], inner[2], inner[3]);
                push_rounded_rect(&mut path, &inner_rect, &inner_rx, &inner_ry);
            }
            self.fill(
                Shape::Path(&path),
                &rect,
                Fill::EvenOdd,
                Paint::Solid(paint),
            );
            return;
        }

        if !self.drawing() {
            return;
        }
        let matrix = self.matrix();
        let bounds = rect.inflate(1.0);
        let Some(area) = self.raster_area(&matrix, &bounds) else {
            return;
        };
        let map = Projective::from_matrix(&matrix);
        // The padding box away from the corners has no border pixels.
        let max3 = |a: f32, b: f32, c: f32| a.max(b).max(c);
        let left = max3(widths[3], rx[0], rx[3]);
        let right = max3(widths[1], rx[1], rx[2]);
        let top = max3(widths[0], ry[0], ry[1]);
        let bottom = max3(widths[2], ry[2], ry[3]);
        let hole = Rect::new(
            rect.x + left + 1.0,
            rect.y + top + 1.0,
            rect.width - left - right - 2.0,
            rect.height - top - bottom - 2.0,
        );
        let has_inner = inner[2] > 0.0 && inner[3] > 0.0;
        let raster = shade(area, &map, device_hole(&map, &hole), |px, py, aa| {
            let outer = coverage(sd_rounded_rect(px, py, &shape, &rx, &ry), aa);
            if outer <= 0.0 {
                return [0.0; 4];
            }
            let inside = if has_inner {
                coverage(sd_rounded_rect(px, py, &inner, &inner_rx, &inner_ry), aa)
            } else {
                0.0
            };
            let side = border_side(px, py, &shape, &widths);
            let (along, across, width, length) = match side {
                0 => (
                    px - shape[0],
                    py - shape[1] - widths[0] * 0.5,
                    widths[0],
                    shape[2],
                ),
                1 => (
                    py - shape[1],
                    shape[0] + shape[2] - widths[1] * 0.5 - px,
                    widths[1],
                    shape[3],
                ),
                2 => (
                    px - shape[0],
                    shape[1] + shape[3] - widths[2] * 0.5 - py,
                    widths[2],
                    shape[2],
                ),
                _ => (
                    py - shape[1],
                    px - shape[0] - widths[3] * 0.5,
                    widths[3],
                    shape[3],
                ),
            };
            let style = codes[side];
            if style == STYLE_NONE || width <= 0.0 {
                return [0.0; 4];
            }
            let k = outer * (1.0 - inside) * pattern(along, across, width, length, style);
            colors[side].map(|c| c * k)
        });
        if let Some(raster) = raster {
            self.draw_raster(raster);
        }
    }
}
