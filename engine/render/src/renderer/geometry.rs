//! Small geometry helpers for the renderer: sanitising input (NaN, negative
//! sizes), CSS radius clamping, premultiplication and 4x4 matrix maths on
//! column-major `[f32; 16]` arrays.

use crate::display_list::{Color, CornerRadii, Rect};

/// Replaces NaN and infinities by 0 so that odd input never reaches the GPU.
pub fn finite(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// A rectangle with finite fields and non-negative size, or `None` when it
/// covers nothing.
pub fn sane_rect(rect: &Rect) -> Option<Rect> {
    let r = Rect::new(
        finite(rect.x),
        finite(rect.y),
        finite(rect.width),
        finite(rect.height),
    );
    if r.width > 0.0 && r.height > 0.0 {
        Some(r)
    } else {
        None
    }
}

/// Radii as (x: [tl, tr, br, bl], y: [...]), negative/NaN radii zeroed and
/// scaled down together when adjacent radii overlap (css-backgrounds-3 §5.5).
pub fn clamp_radii(radii: &CornerRadii, width: f32, height: f32) -> ([f32; 4], [f32; 4]) {
    let clean = |v: f32| finite(v).max(0.0);
    let mut rx = [
        clean(radii.top_left.0),
        clean(radii.top_right.0),
        clean(radii.bottom_right.0),
        clean(radii.bottom_left.0),
    ];
    let mut ry = [
        clean(radii.top_left.1),
        clean(radii.top_right.1),
        clean(radii.bottom_right.1),
        clean(radii.bottom_left.1),
    ];
    // A corner with one zero radius is square.
    for i in 0..4 {
        if rx[i] == 0.0 || ry[i] == 0.0 {
            rx[i] = 0.0;
            ry[i] = 0.0;
        }
    }
    let ratio = |side: f32, sum: f32| {
        if sum > side && sum > 0.0 {
            side / sum
        } else {
            1.0
        }
    };
    let factor = ratio(width, rx[0] + rx[1])
        .min(ratio(width, rx[3] + rx[2]))
        .min(ratio(height, ry[0] + ry[3]))
        .min(ratio(height, ry[1] + ry[2]))
        .max(0.0);
    if factor < 1.0 {
        for i in 0..4 {
            rx[i] *= factor;
            ry[i] *= factor;
        }
    }
    (rx, ry)
}

/// Straight-alpha colour to premultiplied, with channels clamped to 0..=1.
pub fn premultiply(color: Color, extra_alpha: f32) -> [f32; 4] {
    let c = |v: f32| finite(v).clamp(0.0, 1.0);
    let a = c(color.a) * c(extra_alpha);
    [c(color.r) * a, c(color.g) * a, c(color.b) * a, a]
}

pub fn rect_array(rect: &Rect) -> [f32; 4] {
    [rect.x, rect.y, rect.width, rect.height]
}

/// Maps a point through a column-major matrix with perspective division.
/// Returns `None` for points at or behind the eye (w <= 0).
pub fn transform_point(m: &[f32; 16], x: f32, y: f32) -> Option<(f32, f32)> {
    let tx = m[0] * x + m[4] * y + m[12];
    let ty = m[1] * x + m[5] * y + m[13];
    let tw = m[3] * x + m[7] * y + m[15];
    if tw <= 1e-6 || !tw.is_finite() {
        return None;
    }
    Some((tx / tw, ty / tw))
}

/// The device-space bounding box of a local rectangle under `m`; `None`
/// when part of it goes behind the eye (callers then treat it as unbounded).
pub fn transformed_bounds(m: &[f32; 16], rect: &Rect) -> Option<Rect> {
    let corners = [
        (rect.x, rect.y),
        (rect.right(), rect.y),
        (rect.right(), rect.bottom()),
        (rect.x, rect.bottom()),
    ];
    let mut min = (f32::INFINITY, f32::INFINITY);
    let mut max = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    for (x, y) in corners {
        let (dx, dy) = transform_point(m, x, y)?;
        min = (min.0.min(dx), min.1.min(dy));
        max = (max.0.max(dx), max.1.max(dy));
    }
    Some(Rect::new(min.0, min.1, max.0 - min.0, max.1 - min.1))
}

/// When `m` only scales (positively) and translates in 2D, returns
/// (scale_x, scale_y, translate_x, translate_y): such transforms keep
/// rounded rectangles rounded rectangles in device space.
pub fn as_axis_aligned(m: &[f32; 16]) -> Option<(f32, f32, f32, f32)> {
    let eps = 1e-6;
    let zero = |i: usize| m[i].abs() < eps;
    if zero(1)
        && zero(4)
        && zero(3)
        && zero(7)
        && (m[15] - 1.0).abs() < eps
        && m[0] > 0.0
        && m[5] > 0.0
    {
        Some((m[0], m[5], m[12], m[13]))
    } else {
        None
    }
}

/// For a 2D affine `m` (no perspective), the inverse map from device
/// pixels to local coordinates as ((a, b, c, d), (e, f, units per pixel, 0))
/// with x' = a x + c y + e, y' = b x + d y + f. `None` for perspective or
/// singular matrices.
pub fn inverse_affine(m: &[f32; 16]) -> Option<([f32; 4], [f32; 4])> {
    let eps = 1e-6;
    if m[3].abs() > eps || m[7].abs() > eps || (m[15] - 1.0).abs() > eps {
        return None;
    }
    let (a, b, c, d, e, f) = (m[0], m[1], m[4], m[5], m[12], m[13]);
    let det = a * d - b * c;
    if det.abs() < 1e-9 || !det.is_finite() {
        return None;
    }
    let (ia, ib, ic, id) = (d / det, -b / det, -c / det, a / det);
    let ie = -(ia * e + ic * f);
    let if_ = -(ib * e + id * f);
    Some(([ia, ib, ic, id], [ie, if_, 1.0 / det.abs().sqrt(), 0.0]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display_list::Corners;

    #[test]
    fn overlapping_radii_scale_down_together() {
        let radii = Corners::all((100.0, 100.0));
        let (rx, ry) = clamp_radii(&radii, 50.0, 100.0);
        assert!((rx[0] - 25.0).abs() < 1e-4, "{rx:?}");
        assert!((ry[0] - 25.0).abs() < 1e-4, "{ry:?}");
    }

    #[test]
    fn inverse_affine_undoes_rotation_and_translation() {
        let m = [
            0.0, 1.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 10.0, 20.0, 0.0, 1.0,
        ];
        let (x, y) = transform_point(&m, 3.0, 4.0).unwrap_or((f32::NAN, f32::NAN));
        let Some((l, o)) = inverse_affine(&m) else {
            panic!("invertible")
        };
        let back = (l[0] * x + l[2] * y + o[0], l[1] * x + l[3] * y + o[1]);
        assert!(
            (back.0 - 3.0).abs() < 1e-4 && (back.1 - 4.0).abs() < 1e-4,
            "{back:?}"
        );
    }

    #[test]
    fn nan_radius_is_square() {
        let radii = Corners::all((f32::NAN, 5.0));
        let (rx, ry) = clamp_radii(&radii, 50.0, 50.0);
        assert_eq!(rx, [0.0; 4]);
        assert_eq!(ry, [0.0; 4]);
    }
}
