//! The 2D projective map of a display-list matrix, and the affine maps the
//! rasteriser can take from it.
//!
//! Display-list matrices are column-major 4x4 applied to points with z = 0;
//! only x, y and w matter on screen, so the map is the 3x3 homography
//! `(x, y, 1) -> (a x + c y + e, b x + d y + f, g x + h y + i)` followed by
//! the division by w. vello (like every 2D rasteriser) takes affine maps
//! only: `affine` is exact when g = h = 0; otherwise callers project
//! geometry themselves and use `affine_fit` for paints.

use vello_cpu::kurbo::Affine;

use crate::display_list::Rect;

/// Points with w at or below this are at or behind the eye; they are clipped
/// away (the GPU's clipper does the same with its w > 0 test).
pub const MIN_W: f64 = 1e-6;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Projective {
    /// a, b, c, d, e, f, g, h, i as in the module docs.
    m: [f64; 9],
}

impl Projective {
    #[cfg(test)]
    pub const IDENTITY: Projective = Projective {
        m: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    };

    /// The x/y/w rows and columns of a column-major 4x4 matrix.
    pub fn from_matrix(m: &[f32; 16]) -> Projective {
        let v = |i: usize| m[i] as f64;
        Projective {
            m: [v(0), v(1), v(4), v(5), v(12), v(13), v(3), v(7), v(15)],
        }
    }

    /// The same map as an affine one when it has no perspective (w constant
    /// and positive); `None` otherwise.
    pub fn affine(&self) -> Option<Affine> {
        let [a, b, c, d, e, f, g, h, i] = self.m;
        if g != 0.0 || h != 0.0 || i.is_nan() || i <= MIN_W || !i.is_finite() {
            return None;
        }
        let out = Affine::new([a / i, b / i, c / i, d / i, e / i, f / i]);
        out.as_coeffs().iter().all(|v| v.is_finite()).then_some(out)
    }

    /// w of the local point (x, y).
    pub fn w(&self, x: f64, y: f64) -> f64 {
        self.m[6] * x + self.m[7] * y + self.m[8]
    }

    /// The device point of a local one; `None` at or behind the eye.
    pub fn map(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let [a, b, c, d, e, f, ..] = self.m;
        let w = self.w(x, y);
        if w.is_nan() || w <= MIN_W {
            return None;
        }
        let out = ((a * x + c * y + e) / w, (b * x + d * y + f) / w);
        (out.0.is_finite() && out.1.is_finite()).then_some(out)
    }

    /// The inverse map (device to local), `None` when singular.
    pub fn inverse(&self) -> Option<Projective> {
        // Rows of the 3x3 matrix [[a c e] [b d f] [g h i]].
        let [a, b, c, d, e, f, g, h, i] = self.m;
        let (m00, m01, m02) = (a, c, e);
        let (m10, m11, m12) = (b, d, f);
        let (m20, m21, m22) = (g, h, i);
        let c00 = m11 * m22 - m12 * m21;
        let c01 = m12 * m20 - m10 * m22;
        let c02 = m10 * m21 - m11 * m20;
        let det = m00 * c00 + m01 * c01 + m02 * c02;
        if !det.is_finite() || det.abs() < 1e-12 {
            return None;
        }
        let inv = 1.0 / det;
        // Adjugate (transposed cofactors) / det, as rows.
        let r00 = c00 * inv;
        let r01 = (m02 * m21 - m01 * m22) * inv;
        let r02 = (m01 * m12 - m02 * m11) * inv;
        let r10 = c01 * inv;
        let r11 = (m00 * m22 - m02 * m20) * inv;
        let r12 = (m02 * m10 - m00 * m12) * inv;
        let r20 = c02 * inv;
        let r21 = (m01 * m20 - m00 * m21) * inv;
        let r22 = (m00 * m11 - m01 * m10) * inv;
        let out = Projective {
            m: [r00, r10, r01, r11, r02, r12, r20, r21, r22],
        };
        out.m.iter().all(|v| v.is_finite()).then_some(out)
    }

    /// A point mapped without the perspective division, as (x, y, w).
    pub fn map_homogeneous(&self, x: f64, y: f64) -> (f64, f64, f64) {
        let [a, b, c, d, e, f, ..] = self.m;
        (a * x + c * y + e, b * x + d * y + f, self.w(x, y))
    }

    /// The affine map that agrees with this one at three corners of `rect`
    /// (top-left, top-right, bottom-left): how paints (gradients, images,
    /// glyphs) follow a perspective transform, since vello's paints are
    /// affine. Exact for affine maps; `None` when a corner is behind the eye.
    pub fn affine_fit(&self, rect: &Rect) -> Option<Affine> {
        if let Some(affine) = self.affine() {
            return Some(affine);
        }
        let (x0, y0) = (rect.x as f64, rect.y as f64);
        let (w, h) = (rect.width as f64, rect.height as f64);
        if !(w > 0.0 && h > 0.0) {
            return None;
        }
        let p0 = self.map(x0, y0)?;
        let p1 = self.map(x0 + w, y0)?;
        let p2 = self.map(x0, y0 + h)?;
        let (a, b) = ((p1.0 - p0.0) / w, (p1.1 - p0.1) / w);
        let (c, d) = ((p2.0 - p0.0) / h, (p2.1 - p0.1) / h);
        let e = p0.0 - a * x0 - c * y0;
        let f = p0.1 - b * x0 - d * y0;
        Some(Affine::new([a, b, c, d, e, f]))
    }

    /// When the map only scales (positively) and translates: (sx, sy, tx,
    /// ty). Such maps keep rectangles axis-aligned, which lets the custom
    /// rasteriser skip the inside of rings.
    pub fn axis_aligned(&self) -> Option<(f64, f64, f64, f64)> {
        let affine = self.affine()?;
        let [a, b, c, d, e, f] = affine.as_coeffs();
        (b == 0.0 && c == 0.0 && a > 0.0 && d > 0.0).then_some((a, d, e, f))
    }
}

/// The largest factor by which an affine map stretches lengths.
pub fn max_scale(affine: &Affine) -> f64 {
    let [a, b, c, d, ..] = affine.as_coeffs();
    // Largest singular value of [[a c] [b d]].
    let s = a * a + b * b + c * c + d * d;
    let det = a * d - b * c;
    let disc = (s * s - 4.0 * det * det).max(0.0).sqrt();
    ((s + disc) * 0.5).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_round_trips_a_perspective_map() {
        let mut m = crate::display_list::IDENTITY_MATRIX;
        m[0] = 1.5;
        m[4] = 0.3;
        m[12] = 10.0;
        m[13] = -4.0;
        m[3] = 0.001;
        m[7] = 0.002;
        let p = Projective::from_matrix(&m);
        let Some(inv) = p.inverse() else {
            panic!("invertible")
        };
        let Some((x, y)) = p.map(20.0, 30.0) else {
            panic!("in front of the eye")
        };
        let Some((bx, by)) = inv.map(x, y) else {
            panic!("inverse maps back")
        };
        assert!(
            (bx - 20.0).abs() < 1e-6 && (by - 30.0).abs() < 1e-6,
            "{bx} {by}"
        );
        assert!(p.affine().is_none());
    }

    #[test]
    fn affine_fit_matches_the_corners() {
        let mut m = crate::display_list::IDENTITY_MATRIX;
        m[3] = 0.002;
        let p = Projective::from_matrix(&m);
        let rect = Rect::new(10.0, 10.0, 50.0, 40.0);
        let Some(fit) = p.affine_fit(&rect) else {
            panic!("fits")
        };
        let q = fit * vello_cpu::kurbo::Point::new(60.0, 10.0);
        let Some(expected) = p.map(60.0, 10.0) else {
            panic!("maps")
        };
        assert!((q.x - expected.0).abs() < 1e-9 && (q.y - expected.1).abs() < 1e-9);
    }

    #[test]
    fn max_scale_of_a_rotation_is_one() {
        let r = Affine::rotate(0.7) * Affine::scale(2.0);
        assert!((max_scale(&r) - 2.0).abs() < 1e-9);
    }
}
