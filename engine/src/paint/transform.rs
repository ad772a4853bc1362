//! CSS `transform` functions -> one column-major 4x4 matrix in device pixels.

use cirrus_layout::style::{LengthPercentage, TransformFunction};
use cirrus_render::display_list::{multiply_matrices, translation_matrix, IDENTITY_MATRIX};

/// The matrix of a transform list applied to a box of `size` (CSS px, for
/// percentages) at device scale `dpr`, around `origin` (absolute device px),
/// as CSS Transforms §6: translate(origin) * f1 * f2 * ... * translate(-origin).
pub fn transform_matrix(
    functions: &[TransformFunction],
    size: (f32, f32),
    origin: (f32, f32),
    dpr: f32,
) -> [f32; 16] {
    let mut m = translation_matrix(origin.0, origin.1);
    for f in functions {
        m = multiply_matrices(&m, &function_matrix(f, size, dpr));
    }
    multiply_matrices(&m, &translation_matrix(-origin.0, -origin.1))
}

fn function_matrix(f: &TransformFunction, size: (f32, f32), dpr: f32) -> [f32; 16] {
    let mut m = IDENTITY_MATRIX;
    match *f {
        TransformFunction::Matrix([a, b, c, d, e, f]) => {
            m[0] = a;
            m[1] = b;
            m[4] = c;
            m[5] = d;
            m[12] = e * dpr;
            m[13] = f * dpr;
        }
        TransformFunction::Matrix3d(values) => {
            m = values;
            m[12] *= dpr;
            m[13] *= dpr;
            m[14] *= dpr;
        }
        TransformFunction::Translate(x, y, z) => {
            m[12] = resolve(x, size.0) * dpr;
            m[13] = resolve(y, size.1) * dpr;
            m[14] = z * dpr;
        }
        TransformFunction::Scale(x, y, z) => {
            m[0] = x;
            m[5] = y;
            m[10] = z;
        }
        TransformFunction::Rotate(x, y, z, deg) => m = rotation(x, y, z, deg.to_radians()),
        TransformFunction::Skew(ax, ay) => {
            m[4] = ax.to_radians().tan();
            m[1] = ay.to_radians().tan();
        }
        TransformFunction::Perspective(d) => {
            if d > 0.0 {
                m[11] = -1.0 / (d * dpr);
            }
        }
    }
    m
}

fn resolve(v: LengthPercentage, basis: f32) -> f32 {
    v.resolve(basis)
}

/// Rotation by `angle` radians about the axis (x, y, z) (CSS rotate3d).
fn rotation(x: f32, y: f32, z: f32, angle: f32) -> [f32; 16] {
    let len = (x * x + y * y + z * z).sqrt();
    if len == 0.0 || !len.is_finite() {
        return IDENTITY_MATRIX;
    }
    let (x, y, z) = (x / len, y / len, z / len);
    let (s, c) = angle.sin_cos();
    let t = 1.0 - c;
    // Column-major; y points down on screen, and CSS's positive angle turns
    // clockwise on screen, which is this matrix for z = 1.
    [
        t * x * x + c,
        t * x * y + s * z,
        t * x * z - s * y,
        0.0,
        t * x * y - s * z,
        t * y * y + c,
        t * y * z + s * x,
        0.0,
        t * x * z + s * y,
        t * y * z - s * x,
        t * z * z + c,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
    ]
}

/// Applies a column-major matrix to a 2D point (perspective divide included).
pub fn apply(m: &[f32; 16], p: (f32, f32)) -> (f32, f32) {
    let x = m[0] * p.0 + m[4] * p.1 + m[12];
    let y = m[1] * p.0 + m[5] * p.1 + m[13];
    let w = m[3] * p.0 + m[7] * p.1 + m[15];
    if w != 0.0 {
        (x / w, y / w)
    } else {
        (x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f32, f32), b: (f32, f32)) -> bool {
        (a.0 - b.0).abs() < 1e-3 && (a.1 - b.1).abs() < 1e-3
    }

    #[test]
    fn rotate_90_turns_clockwise_around_origin() {
        let m = transform_matrix(
            &[TransformFunction::Rotate(0.0, 0.0, 1.0, 90.0)],
            (10.0, 10.0),
            (5.0, 5.0),
            1.0,
        );
        // The top-right corner goes to the bottom-right on screen.
        assert!(
            close(apply(&m, (10.0, 0.0)), (10.0, 10.0)),
            "{:?}",
            apply(&m, (10.0, 0.0))
        );
        assert!(close(apply(&m, (5.0, 5.0)), (5.0, 5.0)));
    }

    #[test]
    fn translate_percent_uses_the_box_and_dpr() {
        let t = TransformFunction::Translate(
            LengthPercentage::Percent(0.5),
            LengthPercentage::Px(3.0),
            0.0,
        );
        let m = transform_matrix(&[t], (100.0, 20.0), (0.0, 0.0), 2.0);
        assert!(close(apply(&m, (0.0, 0.0)), (100.0, 6.0)));
    }

    #[test]
    fn functions_apply_right_to_left() {
        // translate(10px) scale(2): the point is scaled, then translated.
        let f = [
            TransformFunction::Translate(
                LengthPercentage::Px(10.0),
                LengthPercentage::Px(0.0),
                0.0,
            ),
            TransformFunction::Scale(2.0, 2.0, 1.0),
        ];
        let m = transform_matrix(&f, (0.0, 0.0), (0.0, 0.0), 1.0);
        assert!(close(apply(&m, (1.0, 1.0)), (12.0, 2.0)));
    }
}
