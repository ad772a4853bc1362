//! Text decoration lines, drawn in the line's own frame (x along the line,
//! y across it) as the GPU does: solid and double lines are rectangles
//! vello fills; dashed, dotted and wavy ones are shaded per pixel with the
//! GPU's pattern and sine formulas.

use vello_cpu::peniko::Fill;

use super::frame::{Frame, Shape};
use super::paint::Paint;
use super::raster::shade;
use super::sdf::{coverage, pattern, sd_rounded_rect, STYLE_DASHED, STYLE_DOTTED};
use super::transform::Projective;
use crate::display_list::{multiply_matrices, Color, Rect, TextDecorationStyle};
use crate::renderer::geometry::{finite, premultiply};

impl Frame<'_> {
    pub(super) fn line(
        &mut self,
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Color,
        style: TextDecorationStyle,
    ) {
        let (x0, y0, x1, y1) = (finite(from.0), finite(from.1), finite(to.0), finite(to.1));
        let width = finite(width);
        let length = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        let color = premultiply(color, self.alpha);
        if length.is_nan() || length <= 0.0 || width <= 0.0 || color[3] <= 0.0 || !self.drawing() {
            return;
        }
        let (sin, cos) = ((y1 - y0) / length, (x1 - x0) / length);
        let frame = [
            cos, sin, 0.0, 0.0, //
            -sin, cos, 0.0, 0.0, //
            0.0, 0.0, 1.0, 0.0, //
            x0, y0, 0.0, 1.0,
        ];
        let matrix = multiply_matrices(&self.matrix(), &frame);
        let centred = Rect::new(0.0, -0.5 * width, length, width);
        let solid = |frame: &mut Self, shape: Rect| {
            let paint = vello_cpu::peniko::Color::new([
                color[0] / color[3],
                color[1] / color[3],
                color[2] / color[3],
                color[3],
            ]);
            frame.fill_with(
                &matrix,
                Shape::Rect(shape),
                &shape,
                Fill::NonZero,
                Paint::Solid(paint),
            );
        };
        match style {
            TextDecorationStyle::Solid => solid(self, centred),
            TextDecorationStyle::Double => {
                solid(self, Rect::new(0.0, -1.5 * width, length, width));
                solid(self, Rect::new(0.0, 0.5 * width, length, width));
            }
            TextDecorationStyle::Dashed | TextDecorationStyle::Dotted => {
                let code = if style == TextDecorationStyle::Dashed {
                    STYLE_DASHED
                } else {
                    STYLE_DOTTED
                };
                let bounds = centred.inflate(1.0);
                let shape = [centred.x, centred.y, centred.width, centred.height];
                self.shade_line(&matrix, &bounds, |px, py, aa| {
                    let cov = coverage(sd_rounded_rect(px, py, &shape, &[0.0; 4], &[0.0; 4]), aa);
                    let k = cov * pattern(px, py, width, length, code);
                    color.map(|c| c * k)
                });
            }
            TextDecorationStyle::Wavy => {
                // Amplitude and wavelength proportional to the thickness,
                // close to what Chromium draws (and the GPU).
                let amplitude = 1.5 * width;
                let wavelength = 6.0 * width;
                let margin = amplitude + 1.0;
                let bounds = Rect::new(
                    -1.0,
                    -0.5 * width - margin,
                    length + 2.0,
                    width + 2.0 * margin,
                );
                let k = std::f32::consts::TAU / wavelength.max(1e-3);
                self.shade_line(&matrix, &bounds, |px, py, aa| {
                    let offset = py - amplitude * (k * px).sin();
                    let slope = amplitude * k * (k * px).cos();
                    let d = offset.abs() / (1.0 + slope * slope).sqrt() - width * 0.5;
                    let along = (-px).max(px - length);
                    color.map(|c| c * coverage(d.max(along), aa))
                });
            }
        }
    }

    fn shade_line(
        &mut self,
        matrix: &[f32; 16],
        bounds: &Rect,
        shader: impl FnMut(f32, f32, f32) -> [f32; 4],
    ) {
        let Some(area) = self.raster_area(matrix, bounds) else {
            return;
        };
        let map = Projective::from_matrix(matrix);
        if let Some(raster) = shade(area, &map, None, shader) {
            self.draw_raster(raster);
        }
    }
}
