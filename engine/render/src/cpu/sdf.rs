//! Signed-distance shapes and coverage formulas, ported one for one from
//! `renderer/shader.wgsl` so that what the CPU backend computes per pixel
//! (border styles, box shadows, decorated lines) is the GPU's picture.
//!
//! Invariant: each function here has the same name and arithmetic as its
//! WGSL counterpart (f32, WGSL's `round` = ties to even); change both
//! together.

/// Signed distance to a rounded rectangle `[x, y, w, h]` with per-corner
/// elliptical radii (tl, tr, br, bl); negative inside.
pub fn sd_rounded_rect(px: f32, py: f32, rect: &[f32; 4], rx: &[f32; 4], ry: &[f32; 4]) -> f32 {
    let (hx, hy) = (rect[2] * 0.5, rect[3] * 0.5);
    let qx = px - (rect[0] + hx);
    let qy = py - (rect[1] + hy);
    let corner = match (qx < 0.0, qy < 0.0) {
        (true, true) => 0,
        (true, false) => 3,
        (false, true) => 1,
        (false, false) => 2,
    };
    let (r_x, r_y) = (rx[corner], ry[corner]);
    let (ax, ay) = (qx.abs(), qy.abs());
    let (fx, fy) = (ax - (hx - r_x), ay - (hy - r_y));
    if fx > 0.0 && fy > 0.0 && r_x > 0.0 && r_y > 0.0 {
        // Ellipse distance, first-order approximation (exact for circles).
        let k0 = ((fx / r_x).powi(2) + (fy / r_y).powi(2)).sqrt();
        let k1 = ((fx / (r_x * r_x)).powi(2) + (fy / (r_y * r_y)).powi(2)).sqrt();
        return k0 * (k0 - 1.0) / k1.max(1e-6);
    }
    let (ex, ey) = (ax - hx, ay - hy);
    (ex.max(0.0).powi(2) + ey.max(0.0).powi(2)).sqrt() + ex.max(ey).min(0.0)
}

/// Antialiased coverage of a distance, `aa` local units per device pixel.
pub fn coverage(distance: f32, aa: f32) -> f32 {
    (0.5 - distance / aa.max(1e-4)).clamp(0.0, 1.0)
}

fn erf(x: f32) -> f32 {
    let s = x.signum();
    let a = x.abs();
    let mut y = 1.0 + (0.278393 + (0.230389 + 0.078108 * (a * a)) * a) * a;
    y *= y;
    s - s / (y * y)
}

fn gaussian(x: f32, sigma: f32) -> f32 {
    (-(x * x) / (2.0 * sigma * sigma)).exp() / (2.506_628_3 * sigma)
}

/// Blur of a rounded rectangle with uniform corner radius along x at row y
/// (Evan Wallace's analytic approximation, as in gpui and WebRender).
#[cfg(test)]
fn blur_along_x(x: f32, y: f32, sigma: f32, corner: f32, half: (f32, f32)) -> f32 {
    let delta = (half.1 - corner - y.abs()).min(0.0);
    let curved = half.0 - corner + (corner * corner - delta * delta).max(0.0).sqrt();
    let k = std::f32::consts::FRAC_1_SQRT_2 / sigma;
    let low = 0.5 + 0.5 * erf((x - curved) * k);
    let high = 0.5 + 0.5 * erf((x + curved) * k);
    high - low
}

/// Coverage of a rounded rectangle blurred with a Gaussian of `sigma`: the
/// shader's function as written, the reference for `ShadowBlur`.
#[cfg(test)]
pub fn shadow_alpha(
    px: f32,
    py: f32,
    rect: &[f32; 4],
    rx: &[f32; 4],
    ry: &[f32; 4],
    sigma: f32,
    aa: f32,
) -> f32 {
    if sigma < 0.05 {
        return coverage(sd_rounded_rect(px, py, rect, rx, ry), aa);
    }
    let half = (rect[2] * 0.5, rect[3] * 0.5);
    let x = px - (rect[0] + half.0);
    let y = py - (rect[1] + half.1);
    let corner = match (x < 0.0, y < 0.0) {
        (true, true) => 0.5 * (rx[0] + ry[0]),
        (true, false) => 0.5 * (rx[3] + ry[3]),
        (false, true) => 0.5 * (rx[1] + ry[1]),
        (false, false) => 0.5 * (rx[2] + ry[2]),
    }
    .min(half.0.min(half.1));
    let low = y - half.1;
    let high = y + half.1;
    let start = (-3.0 * sigma).max(low).min(high);
    let end = (3.0 * sigma).max(low).min(high);
    let step = (end - start) / 4.0;
    let mut sample = start + step * 0.5;
    let mut alpha = 0.0;
    for _ in 0..4 {
        alpha += blur_along_x(x, y - sample, sigma, corner, half) * gaussian(sample, sigma) * step;
        sample += step;
    }
    alpha.clamp(0.0, 1.0)
}

/// `shadow_alpha` for one shape, caching what depends only on the row:
/// the y samples, their Gaussian weights and the corner-curve widths are
/// computed once per distinct local y (every pixel of a row under an
/// axis-aligned transform), leaving two `erf`s per sample per pixel.
pub struct ShadowBlur {
    rect: [f32; 4],
    rx: [f32; 4],
    ry: [f32; 4],
    sigma: f32,
    row: Option<ShadowRow>,
}

struct ShadowRow {
    y: f32,
    /// Per sample: weight (Gaussian x step) and the curve width for the
    /// left and the right corner of this row's half.
    samples: [(f32, f32, f32); 4],
}

impl ShadowBlur {
    pub fn new(rect: [f32; 4], rx: [f32; 4], ry: [f32; 4], sigma: f32) -> ShadowBlur {
        ShadowBlur {
            rect,
            rx,
            ry,
            sigma,
            row: None,
        }
    }

    /// The same value as `shadow_alpha(px, py, ...)`.
    pub fn alpha(&mut self, px: f32, py: f32, aa: f32) -> f32 {
        let sigma = self.sigma;
        if sigma < 0.05 {
            return coverage(sd_rounded_rect(px, py, &self.rect, &self.rx, &self.ry), aa);
        }
        let half = (self.rect[2] * 0.5, self.rect[3] * 0.5);
        let x = px - (self.rect[0] + half.0);
        let y = py - (self.rect[1] + half.1);
        let row = match &self.row {
            Some(row) if row.y == y => row,
            _ => {
                let (rx, ry) = (&self.rx, &self.ry);
                let (left, right) = if y < 0.0 {
                    (0.5 * (rx[0] + ry[0]), 0.5 * (rx[1] + ry[1]))
                } else {
                    (0.5 * (rx[3] + ry[3]), 0.5 * (rx[2] + ry[2]))
                };
                let limit = half.0.min(half.1);
                let (left, right) = (left.min(limit), right.min(limit));
                let low = y - half.1;
                let high = y + half.1;
                // WGSL's clamp; max/min cannot panic on NaN bounds.
                let start = (-3.0 * sigma).max(low).min(high);
                let end = (3.0 * sigma).max(low).min(high);
                let step = (end - start) / 4.0;
                let mut sample = start + step * 0.5;
                let mut samples = [(0.0, 0.0, 0.0); 4];
                for slot in &mut samples {
                    let curved = |corner: f32| {
                        let delta = (half.1 - corner - (y - sample).abs()).min(0.0);
                        half.0 - corner + (corner * corner - delta * delta).max(0.0).sqrt()
                    };
                    *slot = (gaussian(sample, sigma) * step, curved(left), curved(right));
                    sample += step;
                }
                self.row.insert(ShadowRow { y, samples })
            }
        };
        let k = std::f32::consts::FRAC_1_SQRT_2 / sigma;
        let mut alpha = 0.0;
        for &(weight, left, right) in &row.samples {
            let curved = if x < 0.0 { left } else { right };
            let low = 0.5 + 0.5 * erf((x - curved) * k);
            let high = 0.5 + 0.5 * erf((x + curved) * k);
            alpha += (high - low) * weight;
        }
        alpha.clamp(0.0, 1.0)
    }
}

/// Which side (0 top, 1 right, 2 bottom, 3 left) a point of a border
/// belongs to: corners are split along the line from the outer to the
/// inner corner. `widths`: top, right, bottom, left.
pub fn border_side(px: f32, py: f32, rect: &[f32; 4], widths: &[f32; 4]) -> usize {
    let (rel_x, rel_y) = (px - rect[0], py - rect[1]);
    let from_right = rect[2] - rel_x;
    let from_bottom = rect[3] - rel_y;
    let left_half = rel_x < rect[2] * 0.5;
    let top_half = rel_y < rect[3] * 0.5;
    let [top, right, bottom, left] = *widths;
    match (top_half, left_half) {
        (true, true) => {
            if rel_y * left < rel_x * top {
                0
            } else {
                3
            }
        }
        (true, false) => {
            if rel_y * right < from_right * top {
                0
            } else {
                1
            }
        }
        (false, true) => {
            if from_bottom * left < rel_x * bottom {
                2
            } else {
                3
            }
        }
        (false, false) => {
            if from_bottom * right < from_right * bottom {
                2
            } else {
                1
            }
        }
    }
}

/// Style codes shared with the GPU (`builder::border_style_code`).
pub const STYLE_NONE: u32 = 0;
pub const STYLE_SOLID: u32 = 1;
pub const STYLE_DASHED: u32 = 2;
pub const STYLE_DOTTED: u32 = 3;

fn fract_floor(value: f32, period: f32) -> f32 {
    value - (value / period).floor() * period
}

/// Dash/dot pattern coverage, laid out as Chromium does: a whole dash or
/// dot at both ends, gaps stretched to fit. `along` runs along the line,
/// `across` is the distance from the line's centre; `width` is the line
/// thickness and `line_length` its length.
pub fn pattern(along: f32, across: f32, width: f32, line_length: f32, style: u32) -> f32 {
    if style == STYLE_DASHED {
        // Thin lines: dashes of 3 widths, gaps of 2; else 2 and 1.
        let (dash, gap) = if width < 3.0 {
            (3.0 * width, 2.0 * width)
        } else {
            (2.0 * width, width)
        };
        let n = ((line_length + gap) / (dash + gap)).floor();
        if n < 2.0 {
            return 1.0;
        }
        let gap = (line_length - n * dash) / (n - 1.0);
        let period = dash + gap;
        let m = fract_floor(along, period);
        let this_dash = ((dash - m).min(m) + 0.5).clamp(0.0, 1.0);
        let next_dash = (m - period + 0.5).clamp(0.0, 1.0);
        return this_dash.max(next_dash);
    }
    if style == STYLE_DOTTED {
        if width <= 3.0 {
            // Thin (up to 3 px, as Chromium): square dots one width apart.
            let n = ((line_length + width) / (2.0 * width))
                .round_ties_even()
                .max(2.0);
            let spacing = (line_length - width) / (n - 1.0);
            let m = fract_floor(along, spacing);
            return ((width - m).min(m) + 0.5).clamp(0.0, 1.0);
        }
        // Round dots of the line's width, at least one width apart.
        let n = ((line_length - width) / (2.0 * width)).floor() + 1.0;
        let spacing = (line_length - width) / (n - 1.0).max(1.0);
        let from_first = along - width * 0.5;
        let m = from_first - (from_first / spacing).round_ties_even() * spacing;
        let d = (m * m + across * across).sqrt() - width * 0.5;
        return (0.5 - d).clamp(0.0, 1.0);
    }
    1.0
}

/// The padding box of a border box `rect` with `widths` (t, r, b, l).
pub fn inner_border_shape(rect: &[f32; 4], w: &[f32; 4]) -> [f32; 4] {
    [
        rect[0] + w[3],
        rect[1] + w[0],
        (rect[2] - w[3] - w[1]).max(0.0),
        (rect[3] - w[0] - w[2]).max(0.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounded_rect_distance_signs() {
        let rect = [0.0, 0.0, 100.0, 50.0];
        let r = [10.0; 4];
        assert!(sd_rounded_rect(50.0, 25.0, &rect, &r, &r) < 0.0);
        assert!(sd_rounded_rect(1.0, 1.0, &rect, &r, &r) > 0.0);
        assert!((sd_rounded_rect(50.0, -3.0, &rect, &r, &r) - 3.0).abs() < 1e-5);
    }

    #[test]
    fn dashes_start_and_end_on_a_dash() {
        let (width, length) = (2.0, 100.0);
        assert_eq!(pattern(0.6, 0.0, width, length, STYLE_DASHED), 1.0);
        assert_eq!(pattern(99.4, 0.0, width, length, STYLE_DASHED), 1.0);
        // Just after the first dash (6 long) is a gap.
        assert_eq!(pattern(8.0, 0.0, width, length, STYLE_DASHED), 0.0);
    }

    #[test]
    fn cached_shadow_rows_match_the_reference() {
        let rect = [10.0, 20.0, 80.0, 50.0];
        let (rx, ry) = ([4.0, 12.0, 0.0, 20.0], [6.0, 12.0, 0.0, 10.0]);
        let mut blur = ShadowBlur::new(rect, rx, ry, 6.0);
        for y in (0..100).step_by(3) {
            for x in (0..120).step_by(2) {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let expected = shadow_alpha(px, py, &rect, &rx, &ry, 6.0, 1.0);
                let actual = blur.alpha(px, py, 1.0);
                assert!(
                    (expected - actual).abs() < 1e-5,
                    "({x}, {y}): {expected} {actual}"
                );
            }
        }
    }

    #[test]
    fn shadow_falls_off_outside() {
        let rect = [0.0, 0.0, 100.0, 100.0];
        let r = [0.0; 4];
        let inside = shadow_alpha(50.0, 50.0, &rect, &r, &r, 5.0, 1.0);
        let edge = shadow_alpha(100.0, 50.0, &rect, &r, &r, 5.0, 1.0);
        let outside = shadow_alpha(115.0, 50.0, &rect, &r, &r, 5.0, 1.0);
        assert!(inside > 0.99, "{inside}");
        assert!((edge - 0.5).abs() < 0.02, "{edge}");
        assert!(outside < 0.01, "{outside}");
    }
}
