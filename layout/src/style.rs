//! The computed style of one node: every property of Skyline's WXSS support
//! table (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>) that Cirrus renders, with relative units already resolved.
//!
//! This is the contract between the WXSS cascade (engine::style, which fills
//! it), layout (this crate, which turns it into a taffy style) and paint
//! (engine::paint, which reads the visual part). Lengths are CSS px; rpx, vw,
//! vh, vmin, vmax and rem were resolved by the cascade against the viewport.
//! Percentages stay percentages: only layout knows what they refer to.

use serde::{Deserialize, Serialize};

/// A straight-alpha sRGB colour, each channel in 0..=1.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Color {
    pub r: f32,
    pub g: f32,
    pub b: f32,
    pub a: f32,
}

impl Color {
    /// `#rgb`, `#rrggbb` or `#rrggbbaa` (the colours app.json and the
    /// `wx` APIs take); `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Color> {
        let h = text.trim().strip_prefix('#')?;
        let v = |i: usize, n: usize| u8::from_str_radix(h.get(i..i + n)?, 16).ok();
        let (r, g, b, a) = match h.len() {
            3 => (v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17, 255),
            6 => (v(0, 2)?, v(2, 2)?, v(4, 2)?, 255),
            8 => (v(0, 2)?, v(2, 2)?, v(4, 2)?, v(6, 2)?),
            _ => return None,
        };
        Some(Color::rgba8(r, g, b, a as f32 / 255.0))
    }

    pub const TRANSPARENT: Color = Color {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 0.0,
    };
    pub const BLACK: Color = Color {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 1.0,
    };
    pub const WHITE: Color = Color {
        r: 1.0,
        g: 1.0,
        b: 1.0,
        a: 1.0,
    };
    pub fn rgba8(r: u8, g: u8, b: u8, a: f32) -> Color {
        Color {
            r: r as f32 / 255.0,
            g: g as f32 / 255.0,
            b: b as f32 / 255.0,
            a,
        }
    }
    pub fn is_transparent(&self) -> bool {
        self.a <= 0.0
    }
    pub fn with_alpha_scaled(self, k: f32) -> Color {
        Color {
            a: self.a * k,
            ..self
        }
    }
}

impl Default for Color {
    fn default() -> Self {
        Color::TRANSPARENT
    }
}

/// `<length> | <percentage> | auto`
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Dimension {
    #[default]
    Auto,
    Px(f32),
    /// 0..=1 (50% is 0.5).
    Percent(f32),
    /// `calc()` mixing both: `px + percent * basis` (percent as a fraction).
    Calc {
        px: f32,
        percent: f32,
    },
}

/// `<length> | <percentage>`
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum LengthPercentage {
    Px(f32),
    /// 0..=1 (50% is 0.5).
    Percent(f32),
    /// `calc()` mixing both: `px + percent * basis` (percent as a fraction).
    Calc {
        px: f32,
        percent: f32,
    },
}

impl Default for LengthPercentage {
    fn default() -> Self {
        LengthPercentage::Px(0.0)
    }
}

impl LengthPercentage {
    /// Resolves against `basis` (the length a percentage refers to).
    pub fn resolve(&self, basis: f32) -> f32 {
        match *self {
            LengthPercentage::Px(v) => v,
            LengthPercentage::Percent(p) => p * basis,
            LengthPercentage::Calc { px, percent } => px + percent * basis,
        }
    }
}

/// Four values in CSS order: top, right, bottom, left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sides<T> {
    pub top: T,
    pub right: T,
    pub bottom: T,
    pub left: T,
}

impl<T: Copy> Sides<T> {
    pub fn all(v: T) -> Self {
        Sides {
            top: v,
            right: v,
            bottom: v,
            left: v,
        }
    }
}

/// Four corners: top-left, top-right, bottom-right, bottom-left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Corners<T> {
    pub top_left: T,
    pub top_right: T,
    pub bottom_right: T,
    pub bottom_left: T,
}

impl<T: Copy> Corners<T> {
    pub fn all(v: T) -> Self {
        Corners {
            top_left: v,
            top_right: v,
            bottom_right: v,
            bottom_left: v,
        }
    }
}

/// One corner radius: horizontal and vertical (elliptical corners).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Radius {
    pub x: LengthPercentage,
    pub y: LengthPercentage,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Display {
    #[default]
    Flex,
    Block,
    None,
    /// `inline`, as the default of `<text>` and text runs: laid out as one
    /// paragraph leaf.
    Inline,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Position {
    #[default]
    Relative,
    Absolute,
    Fixed,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoxSizing {
    #[default]
    BorderBox,
    ContentBox,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Overflow {
    #[default]
    Visible,
    Hidden,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlexDirection {
    Row,
    RowReverse,
    #[default]
    Column,
    ColumnReverse,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlexWrap {
    #[default]
    NoWrap,
    Wrap,
    WrapReverse,
}

/// align-items / align-self / align-content / justify-content keywords.
/// `None` in an `Option<Align>` means `auto` / `normal`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Align {
    Stretch,
    FlexStart,
    FlexEnd,
    Center,
    Baseline,
    SpaceBetween,
    SpaceAround,
    SpaceEvenly,
    Start,
    End,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BorderStyle {
    #[default]
    None,
    Hidden,
    Solid,
    Dashed,
    Dotted,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    #[default]
    Visible,
    Hidden,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PointerEvents {
    #[default]
    Auto,
    None,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum FontStyle {
    #[default]
    Normal,
    Italic,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum LineHeight {
    #[default]
    Normal,
    /// A multiple of the font size.
    Number(f32),
    Px(f32),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextAlign {
    #[default]
    Start,
    Left,
    Center,
    Right,
    Justify,
    End,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhiteSpace {
    #[default]
    Normal,
    NoWrap,
    Pre,
    PreWrap,
    PreLine,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum WordBreak {
    #[default]
    Normal,
    BreakAll,
    KeepAll,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextOverflow {
    #[default]
    Clip,
    Ellipsis,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextDecorationLine {
    pub underline: bool,
    pub overline: bool,
    pub line_through: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextDecorationStyle {
    #[default]
    Solid,
    Double,
    Dotted,
    Dashed,
    Wavy,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextDecoration {
    pub line: TextDecorationLine,
    pub style: TextDecorationStyle,
    /// `None` means the text colour.
    pub color: Option<Color>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shadow {
    pub offset_x: f32,
    pub offset_y: f32,
    pub blur: f32,
    pub spread: f32,
    pub color: Color,
    pub inset: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GradientStop {
    pub color: Color,
    /// Position along the gradient line; `None` is spread evenly as CSS says.
    pub position: Option<LengthPercentage>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum RadialShape {
    Circle,
    Ellipse,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum RadialExtent {
    ClosestSide,
    ClosestCorner,
    FarthestSide,
    FarthestCorner,
    /// Explicit radii (x, y); a circle has x == y.
    Explicit(LengthPercentage, LengthPercentage),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Image {
    /// `url(...)`, as written; the engine resolves it against the package.
    Url(String),
    LinearGradient {
        /// Direction in degrees, CSS convention (0deg points up, 90deg right).
        angle_deg: f32,
        stops: Vec<GradientStop>,
        repeating: bool,
    },
    RadialGradient {
        shape: RadialShape,
        extent: RadialExtent,
        /// Centre, relative to the box.
        center: (LengthPercentage, LengthPercentage),
        stops: Vec<GradientStop>,
        repeating: bool,
    },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum BackgroundSize {
    #[default]
    Auto,
    Cover,
    Contain,
    /// Width and height; `Dimension::Auto` keeps the aspect ratio.
    Explicit(Dimension, Dimension),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackgroundRepeat {
    #[default]
    Repeat,
    RepeatX,
    RepeatY,
    NoRepeat,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TransformFunction {
    /// 2D matrix a b c d e f (CSS `matrix()`).
    Matrix([f32; 6]),
    /// Column-major 4x4 (CSS `matrix3d()`).
    Matrix3d([f32; 16]),
    Translate(LengthPercentage, LengthPercentage, f32),
    Scale(f32, f32, f32),
    /// Rotation in degrees about the axis (x, y, z); plain `rotate()` is (0, 0, 1).
    Rotate(f32, f32, f32, f32),
    /// Skew in degrees.
    Skew(f32, f32),
    Perspective(f32),
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Filter {
    Brightness(f32),
    Contrast(f32),
    Saturate(f32),
    HueRotate(f32),
    Invert(f32),
    Opacity(f32),
    Grayscale(f32),
    Sepia(f32),
    Blur(f32),
}

/// The computed style of one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComputedStyle {
    // --- box and layout ---
    pub display: Display,
    pub position: Position,
    pub box_sizing: BoxSizing,
    pub overflow: Overflow,
    pub flex_direction: FlexDirection,
    pub flex_wrap: FlexWrap,
    /// `None` is `normal` (behaves as stretch in flex containers).
    pub align_items: Option<Align>,
    /// `None` is `auto`.
    pub align_self: Option<Align>,
    /// `None` is `normal`.
    pub align_content: Option<Align>,
    /// `None` is `normal` (flex-start).
    pub justify_content: Option<Align>,
    pub flex_grow: f32,
    pub flex_shrink: f32,
    pub flex_basis: Dimension,
    pub order: i32,
    pub row_gap: LengthPercentage,
    pub column_gap: LengthPercentage,
    pub width: Dimension,
    pub height: Dimension,
    pub min_width: Dimension,
    pub min_height: Dimension,
    /// `Dimension::Auto` means `none`.
    pub max_width: Dimension,
    /// `Dimension::Auto` means `none`.
    pub max_height: Dimension,
    pub aspect_ratio: Option<f32>,
    pub inset: Sides<Dimension>,
    pub margin: Sides<Dimension>,
    pub padding: Sides<LengthPercentage>,
    /// Used widths: 0 where the side's style is none or hidden.
    pub border_width: Sides<f32>,

    // --- paint ---
    pub background_color: Color,
    pub background_image: Option<Image>,
    pub background_size: BackgroundSize,
    pub background_position: (LengthPercentage, LengthPercentage),
    pub background_repeat: BackgroundRepeat,
    pub border_color: Sides<Color>,
    pub border_style: Sides<BorderStyle>,
    pub border_radius: Corners<Radius>,
    pub box_shadow: Option<Shadow>,
    pub opacity: f32,
    pub transform: Vec<TransformFunction>,
    pub transform_origin: (LengthPercentage, LengthPercentage),
    pub z_index: Option<f32>,
    pub visibility: Visibility,
    pub pointer_events: PointerEvents,
    pub filter: Option<Filter>,

    // --- text (inherited) ---
    pub color: Color,
    /// px
    pub font_size: f32,
    /// 100..=900
    pub font_weight: u16,
    pub font_style: FontStyle,
    /// Family names in priority order; generic names (sans-serif, serif,
    /// monospace) are kept as written.
    pub font_family: Vec<String>,
    pub line_height: LineHeight,
    /// px
    pub letter_spacing: f32,
    /// px
    pub word_spacing: f32,
    pub text_align: TextAlign,
    pub white_space: WhiteSpace,
    pub word_break: WordBreak,
    pub text_shadow: Option<Shadow>,

    // --- text (not inherited) ---
    pub text_overflow: TextOverflow,
    /// `-webkit-line-clamp`
    pub line_clamp: Option<u32>,
    pub text_decoration: TextDecoration,
}

impl Default for ComputedStyle {
    /// Skyline's initial values (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>): flex column, border-box,
    /// relative, black text at 16px, border colour black.
    fn default() -> Self {
        ComputedStyle {
            display: Display::Flex,
            position: Position::Relative,
            box_sizing: BoxSizing::BorderBox,
            overflow: Overflow::Visible,
            flex_direction: FlexDirection::Column,
            flex_wrap: FlexWrap::NoWrap,
            align_items: None,
            align_self: None,
            align_content: None,
            justify_content: None,
            flex_grow: 0.0,
            flex_shrink: 1.0,
            flex_basis: Dimension::Auto,
            order: 0,
            row_gap: LengthPercentage::Px(0.0),
            column_gap: LengthPercentage::Px(0.0),
            width: Dimension::Auto,
            height: Dimension::Auto,
            min_width: Dimension::Auto,
            min_height: Dimension::Auto,
            max_width: Dimension::Auto,
            max_height: Dimension::Auto,
            aspect_ratio: None,
            inset: Sides::all(Dimension::Auto),
            margin: Sides::all(Dimension::Px(0.0)),
            padding: Sides::all(LengthPercentage::Px(0.0)),
            border_width: Sides::all(0.0),
            background_color: Color::TRANSPARENT,
            background_image: None,
            background_size: BackgroundSize::Auto,
            background_position: (
                LengthPercentage::Percent(0.0),
                LengthPercentage::Percent(0.0),
            ),
            background_repeat: BackgroundRepeat::Repeat,
            border_color: Sides::all(Color::BLACK),
            border_style: Sides::all(BorderStyle::None),
            border_radius: Corners::all(Radius::default()),
            box_shadow: None,
            opacity: 1.0,
            transform: Vec::new(),
            transform_origin: (
                LengthPercentage::Percent(0.5),
                LengthPercentage::Percent(0.5),
            ),
            z_index: None,
            visibility: Visibility::Visible,
            pointer_events: PointerEvents::Auto,
            filter: None,
            color: Color::BLACK,
            font_size: 16.0,
            font_weight: 400,
            font_style: FontStyle::Normal,
            font_family: Vec::new(),
            line_height: LineHeight::Normal,
            letter_spacing: 0.0,
            word_spacing: 0.0,
            text_align: TextAlign::Start,
            white_space: WhiteSpace::Normal,
            word_break: WordBreak::Normal,
            text_shadow: None,
            text_overflow: TextOverflow::Clip,
            line_clamp: None,
            text_decoration: TextDecoration::default(),
        }
    }
}
