//! The display list: plain data between paint and the GPU.
//!
//! The painter (engine::paint) walks the node tree and appends
//! [`DisplayItem`]s in painting order (back to front); the renderer draws them
//! in that order. Nothing here refers to the node tree, to styles or to the
//! GPU, so a display list can be built, compared, serialised in tests and
//! replayed.
//!
//! Invariants the painter keeps (the renderer tolerates violations without
//! panicking, but the picture is then undefined):
//! - Every coordinate is in **device pixels** (CSS px already multiplied by
//!   the device pixel ratio), with the origin at the top-left corner of the
//!   target and y pointing down.
//! - `Push*` and `Pop*` items nest like brackets and each pop matches the kind
//!   of the latest unmatched push. Unmatched pushes are closed at the end of
//!   the list; stray pops are ignored.
//! - Colours are straight-alpha sRGB ([`Color`]); the renderer blends in sRGB
//!   space with premultiplied alpha, as browsers do.
//! - Radii are per corner `(horizontal, vertical)`. Radii whose sum exceeds a
//!   side are scaled down together as CSS prescribes (css-backgrounds §5.5),
//!   by the renderer, so the painter may pass them as computed.

pub use cirrus_layout::cosmic_text::CacheKey;
pub use cirrus_layout::style::{BorderStyle, Color, Corners, Filter, Sides, TextDecorationStyle};

/// An axis-aligned rectangle (device pixels here): the layout crate's
/// plain rectangle, shared with the chrome geometry and hit testing.
pub use cirrus_layout::geometry::Rect;

/// Per-corner radii, each `(horizontal, vertical)` in device pixels.
/// `(0, 0)` everywhere is a sharp rectangle.
pub type CornerRadii = Corners<(f32, f32)>;

/// Sharp corners.
pub const SQUARE_CORNERS: CornerRadii = Corners {
    top_left: (0.0, 0.0),
    top_right: (0.0, 0.0),
    bottom_right: (0.0, 0.0),
    bottom_left: (0.0, 0.0),
};

/// Identifies an image registered with the renderer
/// (`Renderer::register_image`). The engine picks the numbers (a hash of the
/// resolved URL, a counter...); the renderer only compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageKey(pub u64);

/// One positioned glyph, exactly as
/// `cosmic_text::LayoutGlyph::physical(offset, scale)` returns it
/// (`PhysicalGlyph { cache_key, x, y }`): `x`/`y` is the pen position on the
/// baseline in device pixels; the rasterised image is placed relative to it
/// by swash's placement (left, top).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GlyphInstance {
    pub key: CacheKey,
    pub x: i32,
    pub y: i32,
}

/// How an image repeats inside its destination rectangle
/// (`background-repeat`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ImageTiling {
    /// The size of one tile in device pixels (`background-size` resolved).
    pub size: (f32, f32),
    /// The top-left corner of one tile, in device pixels
    /// (`background-position` resolved); the grid of tiles extends from it
    /// in every direction. For `repeat-x` the painter passes a destination
    /// rectangle one tile high, and so on.
    pub origin: (f32, f32),
}

/// One drawing command. See the module docs for the coordinate conventions.
#[derive(Clone, Debug, PartialEq)]
pub enum DisplayItem {
    /// Restricts everything until the matching [`DisplayItem::PopClip`] to the
    /// inside of `rect` with rounded (elliptical) corners: `overflow: hidden`.
    /// Nested clips intersect. The clip is affected by the transform in force
    /// when it is pushed.
    PushClip {
        rect: Rect,
        radii: CornerRadii,
    },
    PopClip,

    /// Composes `matrix` with the enclosing transform (enclosing * matrix) for
    /// everything until the matching [`DisplayItem::PopTransform`], clips
    /// included. Column-major 4x4 in device pixels (`m[12]`, `m[13]` are the
    /// x, y translation), 2D or 3D with perspective, already including
    /// `transform-origin` (translate(o) * M * translate(-o)).
    PushTransform {
        matrix: [f32; 16],
    },
    PopTransform,

    /// Draws everything until the matching [`DisplayItem::PopLayer`] as one
    /// group, then composites the group with `opacity` (0..=1) and an
    /// optional `filter` (CSS `filter`, one function as Skyline allows;
    /// `Blur` takes the standard deviation in device pixels, so the painter
    /// multiplies it by the dpr). Text shadows with blur are a layer with
    /// `Blur` around glyphs drawn in the shadow colour, offset.
    PushLayer {
        opacity: f32,
        filter: Option<Filter>,
    },
    PopLayer,

    /// A filled rounded rectangle: `background-color`.
    Rect {
        rect: Rect,
        color: Color,
        radii: CornerRadii,
    },

    /// The border of a box. `rect` is the border box (outer edge); `radii`
    /// are the outer radii; the inner edge follows CSS (outer radius minus
    /// the adjacent widths). Styles `None`/`Hidden` draw nothing on that side.
    Border {
        rect: Rect,
        widths: Sides<f32>,
        colors: Sides<Color>,
        styles: Sides<BorderStyle>,
        radii: CornerRadii,
    },

    /// `box-shadow` of the box `rect` with `radii`. Outer shadows are drawn
    /// only outside the box and inset shadows only inside it, as CSS says.
    /// `blur` is the CSS blur radius (the Gaussian's sigma is blur / 2).
    BoxShadow {
        rect: Rect,
        radii: CornerRadii,
        offset: (f32, f32),
        blur: f32,
        spread: f32,
        color: Color,
        inset: bool,
    },

    /// `linear-gradient()` filling `rect` (clipped to `radii`). The gradient
    /// line runs from `start` to `end` (device pixels, absolute); stop
    /// offsets are fractions of that line (may lie outside 0..=1, must be
    /// non-decreasing).
    LinearGradient {
        rect: Rect,
        radii: CornerRadii,
        start: (f32, f32),
        end: (f32, f32),
        stops: Vec<(f32, Color)>,
        repeating: bool,
    },

    /// `radial-gradient()` filling `rect` (clipped to `radii`): an ellipse
    /// with the given `center` (absolute) and `radius` (x, y); stop offsets
    /// are fractions of the radius.
    RadialGradient {
        rect: Rect,
        radii: CornerRadii,
        center: (f32, f32),
        radius: (f32, f32),
        stops: Vec<(f32, Color)>,
        repeating: bool,
    },

    /// A registered image. `src` (in image pixels) is stretched onto `rect`,
    /// or, with `tile`, onto each tile, the tiles covering `rect`. The
    /// result is clipped to `rect` with `radii`. Unknown keys draw nothing.
    Image {
        rect: Rect,
        key: ImageKey,
        src: Rect,
        radii: CornerRadii,
        tile: Option<ImageTiling>,
        /// Multiplies the image's alpha (0..=1); 1 for ordinary images.
        opacity: f32,
    },

    /// A run of glyphs in one colour (colour glyphs such as emoji keep their
    /// own colours and take only the alpha of `color`).
    Glyphs {
        glyphs: Vec<GlyphInstance>,
        color: Color,
    },

    /// A straight line segment (text decorations) from `from` to `to`, of
    /// thickness `width`. Solid, dashed and dotted; `Double` draws two
    /// lines of `width` each, one `width` apart; `Wavy` a sine wave.
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        color: Color,
        style: TextDecorationStyle,
    },
}

/// An ordered list of drawing commands for one frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DisplayList {
    pub items: Vec<DisplayItem>,
}

impl DisplayList {
    pub fn new() -> DisplayList {
        DisplayList::default()
    }

    pub fn push(&mut self, item: DisplayItem) {
        self.items.push(item);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Empties the list, keeping its allocation for the next frame.
    pub fn clear(&mut self) {
        self.items.clear();
    }

    pub fn iter(&self) -> std::slice::Iter<'_, DisplayItem> {
        self.items.iter()
    }

    /// Convenience: an opaque or translucent filled rectangle.
    pub fn fill_rect(&mut self, rect: Rect, color: Color) {
        self.push(DisplayItem::Rect {
            rect,
            color,
            radii: SQUARE_CORNERS,
        });
    }
}

impl<'a> IntoIterator for &'a DisplayList {
    type Item = &'a DisplayItem;
    type IntoIter = std::slice::Iter<'a, DisplayItem>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// The column-major 4x4 identity matrix.
pub const IDENTITY_MATRIX: [f32; 16] = [
    1.0, 0.0, 0.0, 0.0, //
    0.0, 1.0, 0.0, 0.0, //
    0.0, 0.0, 1.0, 0.0, //
    0.0, 0.0, 0.0, 1.0,
];

/// A column-major translation matrix.
pub fn translation_matrix(dx: f32, dy: f32) -> [f32; 16] {
    let mut m = IDENTITY_MATRIX;
    m[12] = dx;
    m[13] = dy;
    m
}

/// Column-major product `a * b` (apply `b` first, then `a`).
pub fn multiply_matrices(a: &[f32; 16], b: &[f32; 16]) -> [f32; 16] {
    let mut out = [0.0f32; 16];
    for col in 0..4 {
        for row in 0..4 {
            let mut sum = 0.0;
            for k in 0..4 {
                sum += a[k * 4 + row] * b[col * 4 + k];
            }
            out[col * 4 + row] = sum;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_product_applies_right_operand_first() {
        let scale = {
            let mut m = IDENTITY_MATRIX;
            m[0] = 2.0;
            m[5] = 2.0;
            m
        };
        // translate * scale: scale first, translation not scaled.
        let m = multiply_matrices(&translation_matrix(10.0, 0.0), &scale);
        assert_eq!(m[0], 2.0);
        assert_eq!(m[12], 10.0);
        // scale * translate: translation scaled.
        let m = multiply_matrices(&scale, &translation_matrix(10.0, 0.0));
        assert_eq!(m[12], 20.0);
    }
}
