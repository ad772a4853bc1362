//! What a fill paints with, in vello's terms, and colour conversion from the
//! display list's straight-alpha sRGB (vello blends premultiplied sRGB
//! values without linearising, as browsers and the GPU backend do).

use vello_cpu::kurbo::Affine;
use vello_cpu::peniko::Gradient;
use vello_cpu::{Image, Tint};

use crate::display_list::Color;
use crate::renderer::geometry::finite;

/// A display-list colour (straight alpha, channels clamped to 0..=1 and
/// NaN made 0, as the GPU's `premultiply` does) times `alpha`.
pub fn css_color_with_alpha(color: Color, alpha: f32) -> vello_cpu::peniko::Color {
    let c = |v: f32| finite(v).clamp(0.0, 1.0);
    vello_cpu::peniko::Color::new([c(color.r), c(color.g), c(color.b), c(color.a) * c(alpha)])
}

pub fn css_color(color: Color) -> vello_cpu::peniko::Color {
    css_color_with_alpha(color, 1.0)
}

/// The paint of one fill. Transforms map the paint's own space to the
/// item's local space.
pub enum Paint {
    Solid(vello_cpu::peniko::Color),
    Gradient(Gradient, Affine),
    Image {
        image: Image,
        transform: Affine,
        tint: Option<Tint>,
    },
}
