//! CSS `filter` functions as 4x5 colour matrices (Filter Effects Level 1,
//! the feColorMatrix equivalents), applied by the layer composite on
//! straight-alpha colour. Blur is not a matrix: the frame encoder runs it
//! as a separable Gaussian (`blur.wgsl`).

use crate::display_list::Filter;

/// The 4x5 colour matrix (rows of [r g b a offset]) of a CSS filter
/// function, on straight-alpha colour; `None` for unsupported ones (blur).
pub fn filter_matrix(filter: &Filter) -> Option<[f32; 20]> {
    let identity = [
        1.0, 0.0, 0.0, 0.0, 0.0, //
        0.0, 1.0, 0.0, 0.0, 0.0, //
        0.0, 0.0, 1.0, 0.0, 0.0, //
        0.0, 0.0, 0.0, 1.0, 0.0,
    ];
    let rgb = |m: [f32; 9], offset: f32| {
        [
            m[0], m[1], m[2], 0.0, offset, //
            m[3], m[4], m[5], 0.0, offset, //
            m[6], m[7], m[8], 0.0, offset, //
            0.0, 0.0, 0.0, 1.0, 0.0,
        ]
    };
    // Matrices from the Filter Effects spec (feColorMatrix equivalents).
    Some(match *filter {
        Filter::Brightness(k) => rgb([k, 0.0, 0.0, 0.0, k, 0.0, 0.0, 0.0, k], 0.0),
        Filter::Contrast(k) => rgb([k, 0.0, 0.0, 0.0, k, 0.0, 0.0, 0.0, k], 0.5 - 0.5 * k),
        Filter::Invert(k) => {
            let k = k.clamp(0.0, 1.0);
            let d = 1.0 - 2.0 * k;
            rgb([d, 0.0, 0.0, 0.0, d, 0.0, 0.0, 0.0, d], k)
        }
        Filter::Opacity(k) => {
            let mut m = identity;
            m[18] = k.clamp(0.0, 1.0);
            m
        }
        Filter::Saturate(s) => rgb(saturate_matrix(s), 0.0),
        Filter::Grayscale(k) => rgb(saturate_matrix(1.0 - k.clamp(0.0, 1.0)), 0.0),
        Filter::Sepia(k) => {
            let k = k.clamp(0.0, 1.0);
            let i = 1.0 - k;
            rgb(
                [
                    0.393 + 0.607 * i,
                    0.769 - 0.769 * i,
                    0.189 - 0.189 * i,
                    0.349 - 0.349 * i,
                    0.686 + 0.314 * i,
                    0.168 - 0.168 * i,
                    0.272 - 0.272 * i,
                    0.534 - 0.534 * i,
                    0.131 + 0.869 * i,
                ],
                0.0,
            )
        }
        Filter::HueRotate(degrees) => {
            let (s, c) = degrees.to_radians().sin_cos();
            rgb(
                [
                    0.213 + c * 0.787 - s * 0.213,
                    0.715 - c * 0.715 - s * 0.715,
                    0.072 - c * 0.072 + s * 0.928,
                    0.213 - c * 0.213 + s * 0.143,
                    0.715 + c * 0.285 + s * 0.140,
                    0.072 - c * 0.072 - s * 0.283,
                    0.213 - c * 0.213 - s * 0.787,
                    0.715 - c * 0.715 + s * 0.715,
                    0.072 + c * 0.928 + s * 0.072,
                ],
                0.0,
            )
        }
        Filter::Blur(_) => return None,
    })
}

fn saturate_matrix(s: f32) -> [f32; 9] {
    [
        0.213 + 0.787 * s,
        0.715 - 0.715 * s,
        0.072 - 0.072 * s,
        0.213 - 0.213 * s,
        0.715 + 0.285 * s,
        0.072 - 0.072 * s,
        0.213 - 0.213 * s,
        0.715 - 0.715 * s,
        0.072 + 0.928 * s,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grayscale_matrix_maps_red_to_luma() {
        let m = filter_matrix(&Filter::Grayscale(1.0)).unwrap_or([0.0; 20]);
        // Row r applied to pure red (1, 0, 0, 1).
        assert!((m[0] - 0.213).abs() < 1e-3);
        assert!((m[5] - 0.213).abs() < 1e-3);
    }
}
