//! CSS `filter` on a rendered layer, on the CPU: the colour matrices the
//! GPU composite applies (`renderer::filters::filter_matrix`, on straight
//! alpha), and the Gaussian blur of `blur.wgsl` (separable, radius
//! ceil(3 sigma) capped at 100, transparent outside). Large blurs use three
//! box blurs instead (the Filter Effects spec's approximation, as browsers
//! do), which keeps their cost independent of the radius.

use vello_cpu::Pixmap;

use super::raster::{PixelRect, Raster};
use crate::display_list::Filter;
use crate::renderer::filters::filter_matrix;
use crate::renderer::geometry::finite;

/// Kernel radii above this use the three-box approximation.
const MAX_EXACT_RADIUS: usize = 24;
/// The GPU's kernel stops at 100 taps each side; past sigma = 100 / 3 its
/// blur hardly grows. Larger sigmas are treated as this one (so that the
/// boxes, and the time they take, stay bounded).
const MAX_SIGMA: f32 = 100.0 / 3.0;

/// `area` of `pixmap` (premultiplied) with `filter` and then `opacity`
/// applied, as premultiplied pixels; `None` when nothing is left.
pub fn filtered_raster(
    pixmap: &Pixmap,
    area: PixelRect,
    filter: &Filter,
    opacity: f32,
) -> Option<Raster> {
    let (width, height) = (area.width() as usize, area.height() as usize);
    let stride = pixmap.width() as usize * 4;
    let source = pixmap.data_as_u8_slice();
    let mut pixels: Vec<f32> = Vec::with_capacity(width * height * 4);
    for row in area.y0..area.y1 {
        let start = row as usize * stride + area.x0 as usize * 4;
        let bytes = source.get(start..start + width * 4)?;
        pixels.extend(bytes.iter().map(|&b| b as f32 / 255.0));
    }
    match filter {
        Filter::Blur(sigma) => blur(&mut pixels, width, height, finite(*sigma).max(0.0)),
        other => {
            if let Some(matrix) = filter_matrix(other) {
                apply_matrix(&mut pixels, &matrix);
            }
        }
    }
    let opacity = finite(opacity).clamp(0.0, 1.0);
    let mut any = false;
    let bytes: Vec<u8> = pixels
        .chunks_exact(4)
        .flat_map(|px| {
            let a = (px[3] * opacity).clamp(0.0, 1.0);
            let to_byte = |v: f32| ((v * opacity).clamp(0.0, a) * 255.0 + 0.5) as u8;
            let out = [
                to_byte(px[0]),
                to_byte(px[1]),
                to_byte(px[2]),
                (a * 255.0 + 0.5) as u8,
            ];
            any |= out[3] > 0;
            out
        })
        .collect();
    any.then_some(Raster {
        x: area.x0,
        y: area.y0,
        width: width as u32,
        height: height as u32,
        pixels: bytes,
    })
}

/// The 4x5 matrix (rows r, g, b, a of [r g b a offset]) on straight colour,
/// clamped, back to premultiplied; transparent pixels stay transparent.
fn apply_matrix(pixels: &mut [f32], m: &[f32; 20]) {
    for px in pixels.chunks_exact_mut(4) {
        let a = px[3];
        if a <= 0.0 {
            continue;
        }
        let straight = [px[0] / a, px[1] / a, px[2] / a, a];
        let row = |r: usize| {
            let o = r * 5;
            (m[o] * straight[0]
                + m[o + 1] * straight[1]
                + m[o + 2] * straight[2]
                + m[o + 3] * straight[3]
                + m[o + 4])
                .clamp(0.0, 1.0)
        };
        let out_a = row(3);
        px[0] = row(0) * out_a;
        px[1] = row(1) * out_a;
        px[2] = row(2) * out_a;
        px[3] = out_a;
    }
}

/// Separable blur of premultiplied pixels, zero outside.
fn blur(pixels: &mut [f32], width: usize, height: usize, sigma: f32) {
    if sigma.is_nan() || sigma <= 0.0 || width == 0 || height == 0 {
        return;
    }
    let sigma = sigma.min(MAX_SIGMA);
    let radius = (3.0 * sigma).ceil().min(100.0) as usize;
    let mut line = Vec::new();
    let mut out = Vec::new();
    // Horizontal, then vertical, as the GPU's two passes.
    for horizontal in [true, false] {
        let (count, length) = if horizontal {
            (height, width)
        } else {
            (width, height)
        };
        let index = |i: usize, j: usize| {
            if horizontal {
                (i * width + j) * 4
            } else {
                (j * width + i) * 4
            }
        };
        for i in 0..count {
            line.clear();
            line.extend((0..length).flat_map(|j| {
                let at = index(i, j);
                [pixels[at], pixels[at + 1], pixels[at + 2], pixels[at + 3]]
            }));
            if radius <= MAX_EXACT_RADIUS {
                gaussian_line(&line, &mut out, sigma, radius);
            } else {
                three_boxes(&line, &mut out, sigma);
            }
            for j in 0..length {
                let at = index(i, j);
                pixels[at..at + 4].copy_from_slice(&out[j * 4..j * 4 + 4]);
            }
        }
    }
}

/// One line through the discrete Gaussian of `blur.wgsl`: weights
/// exp(-i^2 / 2 sigma^2) for |i| <= radius, normalised over all taps (taps
/// outside the line read transparent).
fn gaussian_line(line: &[f32], out: &mut Vec<f32>, sigma: f32, radius: usize) {
    let weights: Vec<f32> = (0..=radius)
        .map(|i| (-((i * i) as f32) / (2.0 * sigma * sigma)).exp())
        .collect();
    let total: f32 = weights[0] + 2.0 * weights[1..].iter().sum::<f32>();
    let n = line.len() / 4;
    out.clear();
    out.resize(line.len(), 0.0);
    for j in 0..n {
        let mut sum = [0.0f32; 4];
        let lo = j.saturating_sub(radius);
        let hi = (j + radius).min(n - 1);
        for k in lo..=hi {
            let w = weights[j.abs_diff(k)];
            for c in 0..4 {
                sum[c] += line[k * 4 + c] * w;
            }
        }
        for c in 0..4 {
            out[j * 4 + c] = sum[c] / total;
        }
    }
}

/// Three box blurs approximating a Gaussian of `sigma` (Filter Effects 1,
/// feGaussianBlur): boxes of size d = floor(sigma * 3 sqrt(2 pi) / 4 + 0.5).
fn three_boxes(line: &[f32], out: &mut Vec<f32>, sigma: f32) {
    let d = ((sigma * 3.0 * (2.0 * std::f32::consts::PI).sqrt() / 4.0) + 0.5).floor() as usize;
    let d = d.max(1);
    let mut a = line.to_vec();
    let mut b = vec![0.0; line.len()];
    if d % 2 == 1 {
        for _ in 0..3 {
            box_line(&a, &mut b, d, d / 2);
            std::mem::swap(&mut a, &mut b);
        }
    } else {
        // Even sizes: two boxes of d offset either way, one of d + 1 centred.
        box_line(&a, &mut b, d, d / 2);
        box_line(&b, &mut a, d, d / 2 - 1);
        box_line(&a, &mut b, d + 1, d / 2);
        std::mem::swap(&mut a, &mut b);
    }
    *out = a;
}

/// Mean over the `size` samples from j - `left` (zero outside), per channel.
fn box_line(input: &[f32], output: &mut [f32], size: usize, left: usize) {
    let n = input.len() / 4;
    let at = |k: isize, c: usize| {
        if k >= 0 && (k as usize) < n {
            input[k as usize * 4 + c]
        } else {
            0.0
        }
    };
    for c in 0..4 {
        let mut sum: f32 = (0..size as isize).map(|k| at(k - left as isize, c)).sum();
        for j in 0..n {
            output[j * 4 + c] = sum / size as f32;
            let j = j as isize;
            sum += at(j + size as isize - left as isize, c) - at(j - left as isize, c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One opaque pixel in the middle of a line of `n`, blurred along it.
    fn blurred_impulse(n: usize, sigma: f32) -> Vec<f32> {
        let mut line = vec![0.0f32; n * 4];
        line[n / 2 * 4 + 3] = 1.0;
        let mut out = Vec::new();
        let radius = (3.0 * sigma).ceil() as usize;
        if radius <= MAX_EXACT_RADIUS {
            gaussian_line(&line, &mut out, sigma, radius);
        } else {
            three_boxes(&line, &mut out, sigma);
        }
        out.chunks_exact(4).map(|p| p[3]).collect()
    }

    #[test]
    fn blur_keeps_mass_and_spreads() {
        let alpha = blurred_impulse(41, 3.0);
        let total: f32 = alpha.iter().sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        assert!(alpha[20] < 0.2 && alpha[23] > 0.05, "{alpha:?}");
    }

    #[test]
    fn box_approximation_keeps_mass() {
        let alpha = blurred_impulse(401, 20.0);
        let total: f32 = alpha.iter().sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        // A Gaussian of sigma 20 peaks at 1 / (20 sqrt(2 pi)) = 0.0199.
        assert!((alpha[200] - 0.0199).abs() < 0.003, "{}", alpha[200]);
    }

    #[test]
    fn blur_is_zero_padded_in_both_directions() {
        // A 1x1 image loses most of its mass to the transparent outside,
        // as the GPU's blur passes do.
        let mut pixels = vec![0.0, 0.0, 0.0, 1.0];
        blur(&mut pixels, 1, 1, 2.0);
        assert!(pixels[3] < 0.1, "{}", pixels[3]);
    }

    #[test]
    fn grayscale_keeps_alpha() {
        let mut pixels = vec![0.5, 0.0, 0.0, 0.5];
        let Some(m) = filter_matrix(&Filter::Grayscale(1.0)) else {
            panic!("a matrix")
        };
        apply_matrix(&mut pixels, &m);
        assert!((pixels[3] - 0.5).abs() < 1e-6);
        assert!((pixels[0] - pixels[1]).abs() < 1e-6 && (pixels[1] - pixels[2]).abs() < 1e-6);
    }
}
