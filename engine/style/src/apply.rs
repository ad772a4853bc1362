//! Applies cascaded float-pigment declarations onto a [`ComputedStyle`].
//!
//! The caller feeds declarations in ascending cascade order (the last one
//! applied wins), in two phases: [`Phase::Early`] (`font-size`, `color`:
//! what `em` and `currentColor` depend on) then [`Phase::Late`] (the rest).
//! CSS-wide keywords are honoured per property: `initial` takes the Skyline
//! initial value (which depends on the page's renderer flags), `inherit`
//! the parent's value, `unset` either of them. A declaration that contains
//! `var()` is substituted and re-parsed here; if a variable is missing and
//! has no fallback it behaves as `unset`.
//!
//! Border widths are tracked as specified and turned into used widths in
//! [`Applier::finish`]: 0 where the side's style is none or hidden.

use std::mem::discriminant;

use cirrus_layout::style::{
    Align, BackgroundRepeat, BackgroundSize, BorderStyle, BoxSizing, ComputedStyle, Display,
    Filter, FlexDirection, FlexWrap, FontStyle, GradientStop, Image, LengthPercentage, LineHeight,
    Overflow, PointerEvents, Position, RadialExtent, RadialShape, Radius, Shadow, Sides, TextAlign,
    TextDecorationLine, TextDecorationStyle, TextOverflow, TransformFunction, Visibility,
    WhiteSpace, WordBreak,
};
use float_pigment_css::property::{Property, PropertyMeta, PropertyValueWithGlobal};
use float_pigment_css::typing as fp;

use crate::values::{color, degrees, number, LengthContext};

/// Which declarations a pass applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Early,
    Late,
}

impl Phase {
    pub(crate) fn of(property: &Property) -> Option<Phase> {
        match property {
            Property::FontSize(_) | Property::Color(_) => Some(Phase::Early),
            Property::CustomProperty(_) | Property::Unknown => None,
            _ => Some(Phase::Late),
        }
    }
}

/// A CSS-wide keyword or a `var()` reference in place of a value.
enum Global<'a> {
    Value,
    Invalid,
    Initial,
    Inherit,
    Unset,
    Var {
        shorthand: Option<&'a str>,
        expr: &'a str,
    },
}

trait GlobalValue {
    fn global(&self) -> Global<'_>;
}

macro_rules! impl_global_value {
    ($($ty:ident),* $(,)?) => {$(
        impl GlobalValue for fp::$ty {
            fn global(&self) -> Global<'_> {
                match self {
                    fp::$ty::Invalid => Global::Invalid,
                    fp::$ty::Initial => Global::Initial,
                    fp::$ty::Inherit => Global::Inherit,
                    fp::$ty::Unset => Global::Unset,
                    fp::$ty::Var(expr) => Global::Var { shorthand: None, expr: expr.as_str() },
                    fp::$ty::VarInShorthand(shorthand, expr) => {
                        Global::Var { shorthand: Some(shorthand.as_str()), expr: expr.as_str() }
                    }
                    _ => Global::Value,
                }
            }
        }
    )*};
}

impl_global_value!(
    LengthType,
    ColorType,
    NumberType,
    DisplayType,
    PositionType,
    OverflowType,
    PointerEventsType,
    BoxSizingType,
    TransformType,
    ZIndexType,
    VisibilityType,
    FlexDirectionType,
    FlexWrapType,
    AlignItemsType,
    AlignSelfType,
    AlignContentType,
    JustifyContentType,
    GapType,
    BackgroundImageType,
    BackgroundSizeType,
    BackgroundPositionType,
    BackgroundRepeatType,
    BorderStyleType,
    BoxShadowType,
    BorderRadiusType,
    LineHeightType,
    TextAlignType,
    FontWeightType,
    WordBreakType,
    WhiteSpaceType,
    TextOverflowType,
    LetterSpacingType,
    WordSpacingType,
    FontFamilyType,
    FontStyleType,
    TextShadowType,
    TextDecorationLineType,
    TextDecorationStyleType,
    FilterType,
    TransformOriginType,
    AspectRatioType,
    ContentType,
);

/// Re-parses `name: value` (after `var()` substitution); cached by the caller.
pub(crate) type Reparse<'a> = dyn Fn(&str, &str) -> Vec<Property> + 'a;

/// Accumulates one element's computed style.
pub(crate) struct Applier<'a> {
    pub(crate) style: ComputedStyle,
    parent: Option<&'a ComputedStyle>,
    initial: &'a ComputedStyle,
    viewport: (f32, f32),
    lookup_var: &'a dyn Fn(&str) -> Option<String>,
    reparse: &'a Reparse<'a>,
    specified_border_width: Sides<f32>,
    overflow_x_clips: bool,
    overflow_y_clips: bool,
    /// `content` of a pseudo-element: `None` for none/normal.
    pub(crate) content: Option<String>,
}

/// The Skyline default border width when a style is set without a width.
pub(crate) const DEFAULT_BORDER_WIDTH: f32 = 3.0;

fn is_inherited(property: &Property) -> bool {
    matches!(
        property,
        Property::Color(_)
            | Property::FontSize(_)
            | Property::FontWeight(_)
            | Property::FontStyle(_)
            | Property::FontFamily(_)
            | Property::LineHeight(_)
            | Property::LetterSpacing(_)
            | Property::WordSpacing(_)
            | Property::TextAlign(_)
            | Property::WhiteSpace(_)
            | Property::WordBreak(_)
            | Property::Visibility(_)
            | Property::TextShadow(_)
            | Property::PointerEvents(_)
    )
}

/// Copies the inherited properties of `parent` into `style`.
pub(crate) fn inherit_from(style: &mut ComputedStyle, parent: &ComputedStyle) {
    style.color = parent.color;
    style.font_size = parent.font_size;
    style.font_weight = parent.font_weight;
    style.font_style = parent.font_style;
    style.font_family.clone_from(&parent.font_family);
    style.line_height = parent.line_height;
    style.letter_spacing = parent.letter_spacing;
    style.word_spacing = parent.word_spacing;
    style.text_align = parent.text_align;
    style.white_space = parent.white_space;
    style.word_break = parent.word_break;
    style.visibility = parent.visibility;
    style.text_shadow = parent.text_shadow;
    style.pointer_events = parent.pointer_events;
}

impl<'a> Applier<'a> {
    pub(crate) fn new(
        initial: &'a ComputedStyle,
        parent: Option<&'a ComputedStyle>,
        viewport: (f32, f32),
        lookup_var: &'a dyn Fn(&str) -> Option<String>,
        reparse: &'a Reparse<'a>,
    ) -> Self {
        let mut style = initial.clone();
        if let Some(parent) = parent {
            inherit_from(&mut style, parent);
        }
        Applier {
            style,
            parent,
            initial,
            viewport,
            lookup_var,
            reparse,
            specified_border_width: Sides::all(DEFAULT_BORDER_WIDTH),
            overflow_x_clips: false,
            overflow_y_clips: false,
            content: None,
        }
    }

    /// Starts from an already computed style (for `@keyframes` frames),
    /// recovering the specified values [`finish`](Self::finish) folded.
    pub(crate) fn from_style(
        base: &ComputedStyle,
        initial: &'a ComputedStyle,
        parent: Option<&'a ComputedStyle>,
        viewport: (f32, f32),
        lookup_var: &'a dyn Fn(&str) -> Option<String>,
        reparse: &'a Reparse<'a>,
    ) -> Self {
        let specified = |style: BorderStyle, used: f32| match style {
            BorderStyle::None | BorderStyle::Hidden => DEFAULT_BORDER_WIDTH,
            _ => used,
        };
        let b = &base.border_style;
        let w = &base.border_width;
        let clips = base.overflow == Overflow::Hidden;
        Applier {
            style: base.clone(),
            parent,
            initial,
            viewport,
            lookup_var,
            reparse,
            specified_border_width: Sides {
                top: specified(b.top, w.top),
                right: specified(b.right, w.right),
                bottom: specified(b.bottom, w.bottom),
                left: specified(b.left, w.left),
            },
            overflow_x_clips: clips,
            overflow_y_clips: clips,
            content: None,
        }
    }

    fn context(&self) -> LengthContext {
        LengthContext {
            viewport_width: self.viewport.0,
            viewport_height: self.viewport.1,
            font_size: self.style.font_size,
        }
    }

    fn parent_font_size(&self) -> f32 {
        self.parent.map_or(self.initial.font_size, |p| p.font_size)
    }

    /// Turns tracked specified values into used values.
    pub(crate) fn finish(mut self) -> (ComputedStyle, Option<String>) {
        let used = |style: BorderStyle, width: f32| match style {
            BorderStyle::None | BorderStyle::Hidden => 0.0,
            _ => width.max(0.0),
        };
        let s = &mut self.style;
        s.border_width = Sides {
            top: used(s.border_style.top, self.specified_border_width.top),
            right: used(s.border_style.right, self.specified_border_width.right),
            bottom: used(s.border_style.bottom, self.specified_border_width.bottom),
            left: used(s.border_style.left, self.specified_border_width.left),
        };
        // Skyline cannot clip one axis only (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>): either clips both.
        s.overflow = if self.overflow_x_clips || self.overflow_y_clips {
            Overflow::Hidden
        } else {
            Overflow::Visible
        };
        (self.style, self.content)
    }

    /// Applies one declaration.
    pub(crate) fn apply(&mut self, property: &Property) {
        self.apply_at_depth(property, 0);
    }

    fn apply_at_depth(&mut self, p: &Property, depth: u32) {
        macro_rules! on {
            ($v:expr, |$x:ident| $body:expr) => {
                match GlobalValue::global($v) {
                    Global::Value => {
                        if let Some($x) = PropertyValueWithGlobal::to_inner_without_global($v) {
                            $body
                        }
                    }
                    g => self.apply_global(p, g, depth),
                }
            };
        }
        let ctx = self.context();
        let current = self.style.color;
        match p {
            Property::Display(v) => on!(v, |x| {
                if let Some(d) = display(&x) {
                    self.style.display = d;
                }
            }),
            Property::Position(v) => on!(v, |x| self.style.position = position(&x)),
            Property::OverflowX(v) => on!(v, |x| self.overflow_x_clips =
                !matches!(x, fp::Overflow::Visible)),
            Property::OverflowY(v) => on!(v, |x| self.overflow_y_clips =
                !matches!(x, fp::Overflow::Visible)),
            Property::PointerEvents(v) => on!(v, |x| {
                self.style.pointer_events = match x {
                    fp::PointerEvents::None => PointerEvents::None,
                    _ => PointerEvents::Auto,
                }
            }),
            Property::BoxSizing(v) => on!(v, |x| {
                self.style.box_sizing = match x {
                    fp::BoxSizing::ContentBox => BoxSizing::ContentBox,
                    _ => BoxSizing::BorderBox,
                }
            }),
            Property::Transform(v) => on!(v, |x| {
                let fp::Transform::Series(items) = &x;
                self.style.transform = items.iter().filter_map(|t| transform(t, &ctx)).collect();
            }),
            Property::WxLineClamp(v) => on!(v, |x| {
                self.style.line_clamp = number(&x).filter(|n| *n >= 1.0).map(|n| n as u32);
            }),
            Property::ZIndex(v) => on!(v, |x| {
                self.style.z_index = match &x {
                    fp::ZIndex::Auto => None,
                    fp::ZIndex::Num(n) => number(n),
                }
            }),
            Property::Visibility(v) => on!(v, |x| {
                self.style.visibility = match x {
                    fp::Visibility::Visible => Visibility::Visible,
                    _ => Visibility::Hidden,
                }
            }),
            Property::Color(v) => on!(v, |x| {
                // currentColor on `color` itself means the inherited colour.
                let inherited = self.parent.map_or(self.initial.color, |p| p.color);
                if let Some(c) = color(&x, inherited) {
                    self.style.color = c;
                }
            }),
            Property::Opacity(v) => on!(v, |x| {
                if let Some(n) = number(&x) {
                    self.style.opacity = n.clamp(0.0, 1.0);
                }
            }),
            Property::FlexDirection(v) => on!(v, |x| {
                self.style.flex_direction = match x {
                    fp::FlexDirection::Row => FlexDirection::Row,
                    fp::FlexDirection::RowReverse => FlexDirection::RowReverse,
                    fp::FlexDirection::Column => FlexDirection::Column,
                    fp::FlexDirection::ColumnReverse => FlexDirection::ColumnReverse,
                }
            }),
            Property::FlexWrap(v) => on!(v, |x| {
                self.style.flex_wrap = match x {
                    fp::FlexWrap::NoWrap => FlexWrap::NoWrap,
                    fp::FlexWrap::Wrap => FlexWrap::Wrap,
                    fp::FlexWrap::WrapReverse => FlexWrap::WrapReverse,
                }
            }),
            Property::AlignItems(v) => on!(v, |x| self.style.align_items = align_items(&x)),
            Property::AlignSelf(v) => on!(v, |x| self.style.align_self = align_self(&x)),
            Property::AlignContent(v) => on!(v, |x| self.style.align_content = align_content(&x)),
            Property::JustifyContent(v) => {
                on!(v, |x| self.style.justify_content = justify_content(&x))
            }
            Property::FlexGrow(v) => on!(v, |x| {
                if let Some(n) = number(&x) {
                    self.style.flex_grow = n.max(0.0);
                }
            }),
            Property::FlexShrink(v) => on!(v, |x| {
                if let Some(n) = number(&x) {
                    self.style.flex_shrink = n.max(0.0);
                }
            }),
            Property::FlexBasis(v) => on!(v, |x| self.style.flex_basis = ctx.dimension(&x)),
            Property::Order(v) => on!(v, |x| {
                if let Some(n) = number(&x) {
                    self.style.order = n as i32;
                }
            }),
            Property::RowGap(v) => on!(v, |x| self.style.row_gap = gap(&x, &ctx)),
            Property::ColumnGap(v) => on!(v, |x| self.style.column_gap = gap(&x, &ctx)),
            Property::BackgroundColor(v) => on!(v, |x| {
                if let Some(c) = color(&x, current) {
                    self.style.background_color = c;
                }
            }),
            Property::BackgroundImage(v) => on!(v, |x| {
                let fp::BackgroundImage::List(items) = &x;
                // Skyline draws a single background image (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>).
                self.style.background_image =
                    items.iter().next().and_then(|i| image(i, &ctx, current));
            }),
            Property::BackgroundSize(v) => on!(v, |x| {
                let fp::BackgroundSize::List(items) = &x;
                if let Some(first) = items.iter().next() {
                    self.style.background_size = background_size(first, &ctx);
                }
            }),
            Property::BackgroundPosition(v) => on!(v, |x| {
                let fp::BackgroundPosition::List(items) = &x;
                if let Some(fp::BackgroundPositionItem::Pos(px, py)) = items.iter().next() {
                    self.style.background_position =
                        (position_value(px, &ctx), position_value(py, &ctx));
                }
            }),
            Property::BackgroundPositionX(v) => on!(v, |x| {
                let fp::BackgroundPosition::List(items) = &x;
                if let Some(fp::BackgroundPositionItem::Value(px)) = items.iter().next() {
                    self.style.background_position.0 = position_value(px, &ctx);
                }
            }),
            Property::BackgroundPositionY(v) => on!(v, |x| {
                let fp::BackgroundPosition::List(items) = &x;
                if let Some(fp::BackgroundPositionItem::Value(py)) = items.iter().next() {
                    self.style.background_position.1 = position_value(py, &ctx);
                }
            }),
            Property::BackgroundRepeat(v) => on!(v, |x| {
                let fp::BackgroundRepeat::List(items) = &x;
                if let Some(fp::BackgroundRepeatItem::Pos(rx, ry)) = items.iter().next() {
                    let repeats = |r: &fp::BackgroundRepeatValue| {
                        !matches!(r, fp::BackgroundRepeatValue::NoRepeat)
                    };
                    self.style.background_repeat = match (repeats(rx), repeats(ry)) {
                        (true, true) => BackgroundRepeat::Repeat,
                        (true, false) => BackgroundRepeat::RepeatX,
                        (false, true) => BackgroundRepeat::RepeatY,
                        (false, false) => BackgroundRepeat::NoRepeat,
                    };
                }
            }),
            Property::Width(v) => on!(v, |x| self.style.width = ctx.dimension(&x)),
            Property::Height(v) => {
                on!(v, |x| self.style.height = ctx.dimension(&x))
            }
            Property::MinWidth(v) => on!(v, |x| self.style.min_width = ctx.dimension(&x)),
            Property::MinHeight(v) => on!(v, |x| self.style.min_height = ctx.dimension(&x)),
            Property::MaxWidth(v) => on!(v, |x| self.style.max_width = ctx.dimension(&x)),
            Property::MaxHeight(v) => on!(v, |x| self.style.max_height = ctx.dimension(&x)),
            Property::Left(v) => on!(v, |x| self.style.inset.left = ctx.dimension(&x)),
            Property::Right(v) => on!(v, |x| self.style.inset.right = ctx.dimension(&x)),
            Property::Top(v) => on!(v, |x| self.style.inset.top = ctx.dimension(&x)),
            Property::Bottom(v) => on!(v, |x| self.style.inset.bottom = ctx.dimension(&x)),
            // Percentages of padding and margin refer to the width on both axes.
            Property::PaddingLeft(v) => {
                on!(v, |x| self.style.padding.left = ctx.length_percentage(&x))
            }
            Property::PaddingRight(v) => {
                on!(v, |x| self.style.padding.right = ctx.length_percentage(&x))
            }
            Property::PaddingTop(v) => {
                on!(v, |x| self.style.padding.top = ctx.length_percentage(&x))
            }
            Property::PaddingBottom(v) => {
                on!(v, |x| self.style.padding.bottom = ctx.length_percentage(&x))
            }
            Property::MarginLeft(v) => on!(v, |x| self.style.margin.left = ctx.dimension(&x)),
            Property::MarginRight(v) => on!(v, |x| self.style.margin.right = ctx.dimension(&x)),
            Property::MarginTop(v) => on!(v, |x| self.style.margin.top = ctx.dimension(&x)),
            Property::MarginBottom(v) => on!(v, |x| self.style.margin.bottom = ctx.dimension(&x)),
            Property::BorderLeftWidth(v) => on!(v, |x| {
                self.specified_border_width.left = ctx.px(&x, 0.0).unwrap_or(DEFAULT_BORDER_WIDTH)
            }),
            Property::BorderRightWidth(v) => on!(v, |x| {
                self.specified_border_width.right = ctx.px(&x, 0.0).unwrap_or(DEFAULT_BORDER_WIDTH)
            }),
            Property::BorderTopWidth(v) => on!(v, |x| {
                self.specified_border_width.top = ctx.px(&x, 0.0).unwrap_or(DEFAULT_BORDER_WIDTH)
            }),
            Property::BorderBottomWidth(v) => on!(v, |x| {
                self.specified_border_width.bottom = ctx.px(&x, 0.0).unwrap_or(DEFAULT_BORDER_WIDTH)
            }),
            Property::BorderLeftStyle(v) => {
                on!(v, |x| self.style.border_style.left = border_style(&x))
            }
            Property::BorderRightStyle(v) => {
                on!(v, |x| self.style.border_style.right = border_style(&x))
            }
            Property::BorderTopStyle(v) => {
                on!(v, |x| self.style.border_style.top = border_style(&x))
            }
            Property::BorderBottomStyle(v) => {
                on!(v, |x| self.style.border_style.bottom = border_style(&x))
            }
            Property::BorderLeftColor(v) => on!(v, |x| {
                if let Some(c) = color(&x, current) {
                    self.style.border_color.left = c;
                }
            }),
            Property::BorderRightColor(v) => on!(v, |x| {
                if let Some(c) = color(&x, current) {
                    self.style.border_color.right = c;
                }
            }),
            Property::BorderTopColor(v) => on!(v, |x| {
                if let Some(c) = color(&x, current) {
                    self.style.border_color.top = c;
                }
            }),
            Property::BorderBottomColor(v) => on!(v, |x| {
                if let Some(c) = color(&x, current) {
                    self.style.border_color.bottom = c;
                }
            }),
            Property::BoxShadow(v) => on!(v, |x| {
                self.style.box_shadow = match &x {
                    fp::BoxShadow::None => None,
                    // Skyline draws one shadow (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>): the first.
                    fp::BoxShadow::List(items) => {
                        items.iter().next().map(|fp::BoxShadowItem::List(parts)| {
                            shadow_from_parts(parts.iter(), &ctx, current)
                        })
                    }
                }
            }),
            Property::BorderTopLeftRadius(v) => {
                on!(v, |x| self.style.border_radius.top_left = radius(&x, &ctx))
            }
            Property::BorderTopRightRadius(v) => {
                on!(v, |x| self.style.border_radius.top_right = radius(&x, &ctx))
            }
            Property::BorderBottomRightRadius(v) => {
                on!(v, |x| self.style.border_radius.bottom_right =
                    radius(&x, &ctx))
            }
            Property::BorderBottomLeftRadius(v) => {
                on!(v, |x| self.style.border_radius.bottom_left =
                    radius(&x, &ctx))
            }
            Property::FontSize(v) => on!(v, |x| {
                let parent_size = self.parent_font_size();
                let font_ctx = LengthContext {
                    font_size: parent_size,
                    ..ctx
                };
                if let Some(px) = font_ctx.px(&x, parent_size) {
                    self.style.font_size = px.max(0.0);
                }
            }),
            Property::LineHeight(v) => on!(v, |x| {
                self.style.line_height = match &x {
                    fp::LineHeight::Normal => LineHeight::Normal,
                    fp::LineHeight::Num(n) => {
                        number(n).map_or(LineHeight::Normal, LineHeight::Number)
                    }
                    fp::LineHeight::Length(l) => ctx
                        .px(l, ctx.font_size)
                        .map_or(LineHeight::Normal, LineHeight::Px),
                }
            }),
            Property::TextAlign(v) => on!(v, |x| {
                let parent_align = self.parent.map_or(TextAlign::Start, |p| p.text_align);
                self.style.text_align = match x {
                    fp::TextAlign::Left => TextAlign::Left,
                    fp::TextAlign::Center => TextAlign::Center,
                    fp::TextAlign::Right => TextAlign::Right,
                    fp::TextAlign::Justify | fp::TextAlign::JustifyAll => TextAlign::Justify,
                    fp::TextAlign::Start => TextAlign::Start,
                    fp::TextAlign::End => TextAlign::End,
                    fp::TextAlign::MatchParent => parent_align,
                }
            }),
            Property::FontWeight(v) => on!(v, |x| {
                let parent_weight = self.parent.map_or(400, |p| p.font_weight);
                self.style.font_weight = font_weight(&x, parent_weight);
            }),
            Property::WordBreak(v) => on!(v, |x| {
                self.style.word_break = match x {
                    fp::WordBreak::BreakWord => WordBreak::Normal,
                    fp::WordBreak::BreakAll => WordBreak::BreakAll,
                    fp::WordBreak::KeepAll => WordBreak::KeepAll,
                }
            }),
            Property::WhiteSpace(v) => on!(v, |x| {
                self.style.white_space = match x {
                    fp::WhiteSpace::Normal => WhiteSpace::Normal,
                    fp::WhiteSpace::NoWrap => WhiteSpace::NoWrap,
                    fp::WhiteSpace::Pre => WhiteSpace::Pre,
                    fp::WhiteSpace::PreWrap | fp::WhiteSpace::WxPreEdit => WhiteSpace::PreWrap,
                    fp::WhiteSpace::PreLine => WhiteSpace::PreLine,
                }
            }),
            Property::TextOverflow(v) => on!(v, |x| {
                self.style.text_overflow = match x {
                    fp::TextOverflow::Clip => TextOverflow::Clip,
                    fp::TextOverflow::Ellipsis => TextOverflow::Ellipsis,
                }
            }),
            Property::LetterSpacing(v) => on!(v, |x| {
                self.style.letter_spacing = match &x {
                    fp::LetterSpacing::Normal => 0.0,
                    fp::LetterSpacing::Length(l) => ctx.px(l, ctx.font_size).unwrap_or(0.0),
                }
            }),
            Property::WordSpacing(v) => on!(v, |x| {
                self.style.word_spacing = match &x {
                    fp::WordSpacing::Normal => 0.0,
                    fp::WordSpacing::Length(l) => ctx.px(l, ctx.font_size).unwrap_or(0.0),
                }
            }),
            Property::FontFamily(v) => on!(v, |x| {
                let fp::FontFamily::Names(names) = &x;
                self.style.font_family = names.iter().map(font_family_name).collect();
            }),
            Property::FontStyle(v) => on!(v, |x| {
                self.style.font_style = match x {
                    fp::FontStyle::Normal => FontStyle::Normal,
                    _ => FontStyle::Italic,
                }
            }),
            Property::TextShadow(v) => on!(v, |x| {
                self.style.text_shadow = match &x {
                    fp::TextShadow::None => None,
                    fp::TextShadow::List(items) => items.iter().next().map(
                        |fp::TextShadowItem::TextShadowValue(ox, oy, blur, c)| Shadow {
                            offset_x: ctx.px(ox, 0.0).unwrap_or(0.0),
                            offset_y: ctx.px(oy, 0.0).unwrap_or(0.0),
                            blur: ctx.px(blur, 0.0).unwrap_or(0.0).max(0.0),
                            spread: 0.0,
                            color: color(c, current).unwrap_or(current),
                            inset: false,
                        },
                    ),
                }
            }),
            Property::TextDecorationLine(v) => on!(v, |x| {
                let mut line = TextDecorationLine::default();
                if let fp::TextDecorationLine::List(items) = &x {
                    for item in items.iter() {
                        match item {
                            fp::TextDecorationLineItem::Underline => line.underline = true,
                            fp::TextDecorationLineItem::Overline => line.overline = true,
                            fp::TextDecorationLineItem::LineThrough => line.line_through = true,
                            fp::TextDecorationLineItem::Blink => {}
                        }
                    }
                }
                self.style.text_decoration.line = line;
            }),
            Property::TextDecorationStyle(v) => on!(v, |x| {
                self.style.text_decoration.style = match x {
                    fp::TextDecorationStyle::Solid => TextDecorationStyle::Solid,
                    fp::TextDecorationStyle::Double => TextDecorationStyle::Double,
                    fp::TextDecorationStyle::Dotted => TextDecorationStyle::Dotted,
                    fp::TextDecorationStyle::Dashed => TextDecorationStyle::Dashed,
                    fp::TextDecorationStyle::Wavy => TextDecorationStyle::Wavy,
                }
            }),
            Property::TextDecorationColor(v) => on!(v, |x| {
                self.style.text_decoration.color = match x {
                    // currentColor follows the text colour at paint time.
                    fp::Color::CurrentColor | fp::Color::Undefined => None,
                    other => color(&other, current),
                }
            }),
            Property::Filter(v) => on!(v, |x| {
                self.style.filter = match &x {
                    fp::Filter::None => None,
                    // Skyline applies one filter function (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>).
                    fp::Filter::List(items) => items.iter().find_map(|f| filter(f, &ctx)),
                }
            }),
            Property::TransformOrigin(v) => on!(v, |x| self.style.transform_origin =
                transform_origin(&x, &ctx)),
            Property::AspectRatio(v) => on!(v, |x| {
                self.style.aspect_ratio = match &x {
                    fp::AspectRatio::Auto => None,
                    fp::AspectRatio::Ratio(w, h) => match (number(w), number(h)) {
                        (Some(w), Some(h)) if w > 0.0 && h > 0.0 => Some(w / h),
                        _ => None,
                    },
                }
            }),
            Property::Content(v) => on!(v, |x| {
                self.content = match &x {
                    fp::Content::Str(text) => Some(text.as_str().to_owned()),
                    fp::Content::None | fp::Content::Normal | fp::Content::Url(_) => None,
                }
            }),
            // Not part of the layout contract (transitions, animations,
            // masks, grid, scrollbars, ...): parsed, validated, not applied.
            _ => {}
        }
    }

    fn apply_global(&mut self, p: &Property, global: Global<'_>, depth: u32) {
        match global {
            Global::Value | Global::Invalid => {}
            Global::Initial => self.reset_from(p, None),
            Global::Inherit => self.reset_from(p, self.parent),
            Global::Unset => self.unset(p),
            Global::Var { shorthand, expr } => {
                let substituted = if depth == 0 {
                    crate::vars::substitute(expr, self.lookup_var)
                } else {
                    None
                };
                let Some(value) = substituted else {
                    self.unset(p);
                    return;
                };
                let name = match shorthand {
                    Some(s) => s.to_owned(),
                    None => PropertyMeta::Normal {
                        property: p.clone(),
                    }
                    .get_property_name()
                    .into_owned(),
                };
                let reparsed = (self.reparse)(&name, &value);
                match reparsed
                    .iter()
                    .find(|q| discriminant(*q) == discriminant(p))
                {
                    Some(q) => self.apply_at_depth(q, depth + 1),
                    None => self.unset(p),
                }
            }
        }
    }

    fn unset(&mut self, p: &Property) {
        if is_inherited(p) {
            self.reset_from(p, self.parent)
        } else {
            self.reset_from(p, None)
        }
    }

    /// Copies the fields `p` sets from `source` (the initial style if `None`).
    fn reset_from(&mut self, p: &Property, source: Option<&ComputedStyle>) {
        let from = source.unwrap_or(self.initial);
        let s = &mut self.style;
        match p {
            Property::Display(_) => s.display = from.display,
            Property::Position(_) => s.position = from.position,
            Property::OverflowX(_) => self.overflow_x_clips = from.overflow == Overflow::Hidden,
            Property::OverflowY(_) => self.overflow_y_clips = from.overflow == Overflow::Hidden,
            Property::PointerEvents(_) => s.pointer_events = from.pointer_events,
            Property::BoxSizing(_) => s.box_sizing = from.box_sizing,
            Property::Transform(_) => s.transform.clone_from(&from.transform),
            Property::WxLineClamp(_) => s.line_clamp = from.line_clamp,
            Property::ZIndex(_) => s.z_index = from.z_index,
            Property::Visibility(_) => s.visibility = from.visibility,
            Property::Color(_) => s.color = from.color,
            Property::Opacity(_) => s.opacity = from.opacity,
            Property::FlexDirection(_) => s.flex_direction = from.flex_direction,
            Property::FlexWrap(_) => s.flex_wrap = from.flex_wrap,
            Property::AlignItems(_) => s.align_items = from.align_items,
            Property::AlignSelf(_) => s.align_self = from.align_self,
            Property::AlignContent(_) => s.align_content = from.align_content,
            Property::JustifyContent(_) => s.justify_content = from.justify_content,
            Property::FlexGrow(_) => s.flex_grow = from.flex_grow,
            Property::FlexShrink(_) => s.flex_shrink = from.flex_shrink,
            Property::FlexBasis(_) => s.flex_basis = from.flex_basis,
            Property::Order(_) => s.order = from.order,
            Property::RowGap(_) => s.row_gap = from.row_gap,
            Property::ColumnGap(_) => s.column_gap = from.column_gap,
            Property::BackgroundColor(_) => s.background_color = from.background_color,
            Property::BackgroundImage(_) => s.background_image.clone_from(&from.background_image),
            Property::BackgroundSize(_) => s.background_size = from.background_size,
            Property::BackgroundPosition(_) => s.background_position = from.background_position,
            Property::BackgroundPositionX(_) => {
                s.background_position.0 = from.background_position.0
            }
            Property::BackgroundPositionY(_) => {
                s.background_position.1 = from.background_position.1
            }
            Property::BackgroundRepeat(_) => s.background_repeat = from.background_repeat,
            Property::Width(_) => s.width = from.width,
            Property::Height(_) => s.height = from.height,
            Property::MinWidth(_) => s.min_width = from.min_width,
            Property::MinHeight(_) => s.min_height = from.min_height,
            Property::MaxWidth(_) => s.max_width = from.max_width,
            Property::MaxHeight(_) => s.max_height = from.max_height,
            Property::Left(_) => s.inset.left = from.inset.left,
            Property::Right(_) => s.inset.right = from.inset.right,
            Property::Top(_) => s.inset.top = from.inset.top,
            Property::Bottom(_) => s.inset.bottom = from.inset.bottom,
            Property::PaddingLeft(_) => s.padding.left = from.padding.left,
            Property::PaddingRight(_) => s.padding.right = from.padding.right,
            Property::PaddingTop(_) => s.padding.top = from.padding.top,
            Property::PaddingBottom(_) => s.padding.bottom = from.padding.bottom,
            Property::MarginLeft(_) => s.margin.left = from.margin.left,
            Property::MarginRight(_) => s.margin.right = from.margin.right,
            Property::MarginTop(_) => s.margin.top = from.margin.top,
            Property::MarginBottom(_) => s.margin.bottom = from.margin.bottom,
            // The initial specified width is 3px; an inherited one is the
            // parent's used width.
            Property::BorderLeftWidth(_) => {
                self.specified_border_width.left =
                    source.map_or(DEFAULT_BORDER_WIDTH, |p| p.border_width.left)
            }
            Property::BorderRightWidth(_) => {
                self.specified_border_width.right =
                    source.map_or(DEFAULT_BORDER_WIDTH, |p| p.border_width.right)
            }
            Property::BorderTopWidth(_) => {
                self.specified_border_width.top =
                    source.map_or(DEFAULT_BORDER_WIDTH, |p| p.border_width.top)
            }
            Property::BorderBottomWidth(_) => {
                self.specified_border_width.bottom =
                    source.map_or(DEFAULT_BORDER_WIDTH, |p| p.border_width.bottom)
            }
            Property::BorderLeftStyle(_) => s.border_style.left = from.border_style.left,
            Property::BorderRightStyle(_) => s.border_style.right = from.border_style.right,
            Property::BorderTopStyle(_) => s.border_style.top = from.border_style.top,
            Property::BorderBottomStyle(_) => s.border_style.bottom = from.border_style.bottom,
            Property::BorderLeftColor(_) => s.border_color.left = from.border_color.left,
            Property::BorderRightColor(_) => s.border_color.right = from.border_color.right,
            Property::BorderTopColor(_) => s.border_color.top = from.border_color.top,
            Property::BorderBottomColor(_) => s.border_color.bottom = from.border_color.bottom,
            Property::BoxShadow(_) => s.box_shadow = from.box_shadow,
            Property::BorderTopLeftRadius(_) => {
                s.border_radius.top_left = from.border_radius.top_left
            }
            Property::BorderTopRightRadius(_) => {
                s.border_radius.top_right = from.border_radius.top_right
            }
            Property::BorderBottomRightRadius(_) => {
                s.border_radius.bottom_right = from.border_radius.bottom_right
            }
            Property::BorderBottomLeftRadius(_) => {
                s.border_radius.bottom_left = from.border_radius.bottom_left
            }
            Property::FontSize(_) => s.font_size = from.font_size,
            Property::LineHeight(_) => s.line_height = from.line_height,
            Property::TextAlign(_) => s.text_align = from.text_align,
            Property::FontWeight(_) => s.font_weight = from.font_weight,
            Property::WordBreak(_) => s.word_break = from.word_break,
            Property::WhiteSpace(_) => s.white_space = from.white_space,
            Property::TextOverflow(_) => s.text_overflow = from.text_overflow,
            Property::LetterSpacing(_) => s.letter_spacing = from.letter_spacing,
            Property::WordSpacing(_) => s.word_spacing = from.word_spacing,
            Property::FontFamily(_) => s.font_family.clone_from(&from.font_family),
            Property::FontStyle(_) => s.font_style = from.font_style,
            Property::TextShadow(_) => s.text_shadow = from.text_shadow,
            Property::TextDecorationLine(_) => s.text_decoration.line = from.text_decoration.line,
            Property::TextDecorationStyle(_) => {
                s.text_decoration.style = from.text_decoration.style
            }
            Property::TextDecorationColor(_) => {
                s.text_decoration.color = from.text_decoration.color
            }
            Property::Filter(_) => s.filter = from.filter,
            Property::TransformOrigin(_) => s.transform_origin = from.transform_origin,
            Property::AspectRatio(_) => s.aspect_ratio = from.aspect_ratio,
            Property::Content(_) => self.content = None,
            _ => {}
        }
    }
}

fn display(d: &fp::Display) -> Option<Display> {
    Some(match d {
        fp::Display::None => Display::None,
        fp::Display::Block | fp::Display::FlowRoot => Display::Block,
        fp::Display::Flex | fp::Display::InlineFlex => Display::Flex,
        fp::Display::Inline => Display::Inline,
        // Skyline: inline-block only inside text; elsewhere it is a block.
        fp::Display::InlineBlock => Display::Block,
        // Grid is not supported by Skyline and is ignored (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>).
        fp::Display::Grid | fp::Display::InlineGrid => return None,
    })
}

fn position(p: &fp::Position) -> Position {
    match p {
        fp::Position::Absolute => Position::Absolute,
        fp::Position::Fixed => Position::Fixed,
        // Skyline has no static and maps sticky to its own components.
        fp::Position::Static | fp::Position::Relative | fp::Position::Sticky => Position::Relative,
    }
}

fn align_items(a: &fp::AlignItems) -> Option<Align> {
    Some(match a {
        fp::AlignItems::Normal => return None,
        fp::AlignItems::Stretch => Align::Stretch,
        fp::AlignItems::Center => Align::Center,
        fp::AlignItems::Start | fp::AlignItems::SelfStart => Align::Start,
        fp::AlignItems::End | fp::AlignItems::SelfEnd => Align::End,
        fp::AlignItems::FlexStart => Align::FlexStart,
        fp::AlignItems::FlexEnd => Align::FlexEnd,
        fp::AlignItems::Baseline => Align::Baseline,
    })
}

fn align_self(a: &fp::AlignSelf) -> Option<Align> {
    Some(match a {
        fp::AlignSelf::Auto | fp::AlignSelf::Normal => return None,
        fp::AlignSelf::Stretch => Align::Stretch,
        fp::AlignSelf::Center => Align::Center,
        fp::AlignSelf::Start | fp::AlignSelf::SelfStart => Align::Start,
        fp::AlignSelf::End | fp::AlignSelf::SelfEnd => Align::End,
        fp::AlignSelf::FlexStart => Align::FlexStart,
        fp::AlignSelf::FlexEnd => Align::FlexEnd,
        fp::AlignSelf::Baseline => Align::Baseline,
    })
}

fn align_content(a: &fp::AlignContent) -> Option<Align> {
    Some(match a {
        fp::AlignContent::Normal => return None,
        fp::AlignContent::Start => Align::Start,
        fp::AlignContent::End => Align::End,
        fp::AlignContent::Stretch => Align::Stretch,
        fp::AlignContent::Center => Align::Center,
        fp::AlignContent::FlexStart => Align::FlexStart,
        fp::AlignContent::FlexEnd => Align::FlexEnd,
        fp::AlignContent::SpaceBetween => Align::SpaceBetween,
        fp::AlignContent::SpaceAround => Align::SpaceAround,
        fp::AlignContent::SpaceEvenly => Align::SpaceEvenly,
        fp::AlignContent::Baseline => Align::Baseline,
    })
}

fn justify_content(j: &fp::JustifyContent) -> Option<Align> {
    Some(match j {
        fp::JustifyContent::Normal => return None,
        fp::JustifyContent::Center => Align::Center,
        fp::JustifyContent::FlexStart => Align::FlexStart,
        fp::JustifyContent::FlexEnd => Align::FlexEnd,
        fp::JustifyContent::SpaceBetween => Align::SpaceBetween,
        fp::JustifyContent::SpaceAround => Align::SpaceAround,
        fp::JustifyContent::SpaceEvenly => Align::SpaceEvenly,
        fp::JustifyContent::Start | fp::JustifyContent::Left => Align::Start,
        fp::JustifyContent::End | fp::JustifyContent::Right => Align::End,
        fp::JustifyContent::Stretch => Align::Stretch,
        fp::JustifyContent::Baseline => Align::Baseline,
    })
}

fn gap(g: &fp::Gap, ctx: &LengthContext) -> LengthPercentage {
    match g {
        fp::Gap::Normal => LengthPercentage::Px(0.0),
        fp::Gap::Length(l) => ctx.length_percentage(l),
    }
}

fn border_style(b: &fp::BorderStyle) -> BorderStyle {
    match b {
        fp::BorderStyle::None => BorderStyle::None,
        fp::BorderStyle::Hidden => BorderStyle::Hidden,
        fp::BorderStyle::Dotted => BorderStyle::Dotted,
        fp::BorderStyle::Dashed => BorderStyle::Dashed,
        // Skyline draws solid, dashed and dotted; the 3D styles fall back to solid.
        _ => BorderStyle::Solid,
    }
}

fn radius(r: &fp::BorderRadius, ctx: &LengthContext) -> Radius {
    let fp::BorderRadius::Pos(x, y) = r;
    Radius {
        x: ctx.length_percentage(x),
        y: ctx.length_percentage(y),
    }
}

fn font_weight(w: &fp::FontWeight, parent: u16) -> u16 {
    match w {
        fp::FontWeight::Normal => 400,
        fp::FontWeight::Bold => 700,
        // CSS Fonts 4 relative weights.
        fp::FontWeight::Bolder => match parent {
            0..=349 => 400,
            350..=549 => 700,
            _ => 900,
        },
        fp::FontWeight::Lighter => match parent {
            0..=549 => 100,
            550..=749 => 400,
            _ => 700,
        },
        fp::FontWeight::Num(n) => number(n).map_or(400, |v| v.clamp(1.0, 1000.0) as u16),
    }
}

pub(crate) fn font_family_name(name: &fp::FontFamilyName) -> String {
    match name {
        fp::FontFamilyName::Serif => "serif".to_owned(),
        fp::FontFamilyName::SansSerif => "sans-serif".to_owned(),
        fp::FontFamilyName::Monospace => "monospace".to_owned(),
        fp::FontFamilyName::Cursive => "cursive".to_owned(),
        fp::FontFamilyName::Fantasy => "fantasy".to_owned(),
        fp::FontFamilyName::SystemUi => "system-ui".to_owned(),
        fp::FontFamilyName::Title(title) => title.as_str().to_owned(),
    }
}

fn transform(t: &fp::TransformItem, ctx: &LengthContext) -> Option<TransformFunction> {
    let z = |l: &fp::Length| ctx.px(l, 0.0).unwrap_or(0.0);
    Some(match t {
        fp::TransformItem::None => return None,
        fp::TransformItem::Matrix(m) => TransformFunction::Matrix(*m),
        fp::TransformItem::Matrix3D(m) => TransformFunction::Matrix3d(*m),
        fp::TransformItem::Translate2D(x, y) => {
            TransformFunction::Translate(ctx.length_percentage(x), ctx.length_percentage(y), 0.0)
        }
        fp::TransformItem::Translate3D(x, y, zl) => {
            TransformFunction::Translate(ctx.length_percentage(x), ctx.length_percentage(y), z(zl))
        }
        fp::TransformItem::Scale2D(x, y) => TransformFunction::Scale(*x, *y, 1.0),
        fp::TransformItem::Scale3D(x, y, zs) => TransformFunction::Scale(*x, *y, *zs),
        fp::TransformItem::Rotate2D(a) => TransformFunction::Rotate(0.0, 0.0, 1.0, degrees(a)),
        fp::TransformItem::Rotate3D(x, y, zr, a) => {
            TransformFunction::Rotate(*x, *y, *zr, degrees(a))
        }
        fp::TransformItem::Skew(x, y) => TransformFunction::Skew(degrees(x), degrees(y)),
        fp::TransformItem::Perspective(l) => TransformFunction::Perspective(z(l)),
    })
}

fn transform_origin(
    o: &fp::TransformOrigin,
    ctx: &LengthContext,
) -> (LengthPercentage, LengthPercentage) {
    let half = LengthPercentage::Percent(0.5);
    match o {
        fp::TransformOrigin::LengthTuple(x, y, _) => {
            (ctx.length_percentage(x), ctx.length_percentage(y))
        }
        fp::TransformOrigin::Left => (LengthPercentage::Percent(0.0), half),
        fp::TransformOrigin::Right => (LengthPercentage::Percent(1.0), half),
        fp::TransformOrigin::Top => (half, LengthPercentage::Percent(0.0)),
        fp::TransformOrigin::Bottom => (half, LengthPercentage::Percent(1.0)),
        fp::TransformOrigin::Center => (half, half),
        fp::TransformOrigin::Length(x) => (ctx.length_percentage(x), half),
    }
}

fn filter(f: &fp::FilterFunc, ctx: &LengthContext) -> Option<Filter> {
    // Amount functions are parsed as ratios (`50%` and `0.5` are both 0.5).
    let amount = |l: &fp::Length| match l {
        fp::Length::Ratio(r) => *r,
        other => ctx.px(other, 1.0).unwrap_or(1.0),
    };
    Some(match f {
        fp::FilterFunc::Blur(l) => Filter::Blur(ctx.px(l, 0.0).unwrap_or(0.0)),
        fp::FilterFunc::Brightness(l) => Filter::Brightness(amount(l)),
        fp::FilterFunc::Contrast(l) => Filter::Contrast(amount(l)),
        fp::FilterFunc::Grayscale(l) => Filter::Grayscale(amount(l)),
        fp::FilterFunc::HueRotate(a) => Filter::HueRotate(degrees(a)),
        fp::FilterFunc::Invert(l) => Filter::Invert(amount(l)),
        fp::FilterFunc::Opacity(l) => Filter::Opacity(amount(l)),
        fp::FilterFunc::Saturate(l) => Filter::Saturate(amount(l)),
        fp::FilterFunc::Sepia(l) => Filter::Sepia(amount(l)),
        // Skyline: no drop-shadow, no url() (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>).
        fp::FilterFunc::DropShadow(_) | fp::FilterFunc::Url(_) => return None,
    })
}

fn shadow_from_parts<'p>(
    parts: impl Iterator<Item = &'p fp::ShadowItemType>,
    ctx: &LengthContext,
    current: cirrus_layout::style::Color,
) -> Shadow {
    let mut shadow = Shadow {
        offset_x: 0.0,
        offset_y: 0.0,
        blur: 0.0,
        spread: 0.0,
        color: current,
        inset: false,
    };
    for part in parts {
        match part {
            fp::ShadowItemType::Inset => shadow.inset = true,
            fp::ShadowItemType::OffsetX(l) => shadow.offset_x = ctx.px(l, 0.0).unwrap_or(0.0),
            fp::ShadowItemType::OffsetY(l) => shadow.offset_y = ctx.px(l, 0.0).unwrap_or(0.0),
            fp::ShadowItemType::BlurRadius(l) => {
                shadow.blur = ctx.px(l, 0.0).unwrap_or(0.0).max(0.0)
            }
            fp::ShadowItemType::SpreadRadius(l) => shadow.spread = ctx.px(l, 0.0).unwrap_or(0.0),
            fp::ShadowItemType::Color(c) => shadow.color = color(c, current).unwrap_or(current),
        }
    }
    shadow
}

fn background_size(item: &fp::BackgroundSizeItem, ctx: &LengthContext) -> BackgroundSize {
    match item {
        fp::BackgroundSizeItem::Auto => BackgroundSize::Auto,
        fp::BackgroundSizeItem::Cover => BackgroundSize::Cover,
        fp::BackgroundSizeItem::Contain => BackgroundSize::Contain,
        fp::BackgroundSizeItem::Length(w, h) => {
            BackgroundSize::Explicit(ctx.dimension(w), ctx.dimension(h))
        }
    }
}

/// `left|top <len>` is the offset itself; `right|bottom <len>` measures from
/// the far edge: `calc(100% - len)`.
fn position_value(v: &fp::BackgroundPositionValue, ctx: &LengthContext) -> LengthPercentage {
    match v {
        fp::BackgroundPositionValue::Left(l) => ctx.length_percentage(l),
        fp::BackgroundPositionValue::Top(l) => ctx.length_percentage(l),
        fp::BackgroundPositionValue::Right(l) | fp::BackgroundPositionValue::Bottom(l) => {
            from_far_edge(ctx.length_percentage(l))
        }
    }
}

/// An offset measured from the far edge, as one from the near edge.
fn from_far_edge(v: LengthPercentage) -> LengthPercentage {
    match v {
        LengthPercentage::Percent(p) => LengthPercentage::Percent(1.0 - p),
        LengthPercentage::Px(px) => LengthPercentage::Calc {
            px: -px,
            percent: 1.0,
        },
        LengthPercentage::Calc { px, percent } => LengthPercentage::Calc {
            px: -px,
            percent: 1.0 - percent,
        },
    }
}

fn gradient_position(
    p: &fp::GradientPosition,
    ctx: &LengthContext,
) -> (LengthPercentage, LengthPercentage) {
    let side = |s: &fp::GradientSpecifiedPos| -> (bool, LengthPercentage) {
        let from_far = |l: &fp::Length| from_far_edge(ctx.length_percentage(l));
        match s {
            fp::GradientSpecifiedPos::Left(l) => (true, ctx.length_percentage(l)),
            fp::GradientSpecifiedPos::Right(l) => (true, from_far(l)),
            fp::GradientSpecifiedPos::Top(l) => (false, ctx.length_percentage(l)),
            fp::GradientSpecifiedPos::Bottom(l) => (false, from_far(l)),
        }
    };
    match p {
        fp::GradientPosition::Pos(x, y) => (ctx.length_percentage(x), ctx.length_percentage(y)),
        fp::GradientPosition::SpecifiedPos(a, b) => {
            let (a_is_x, a_value) = side(a);
            let (_, b_value) = side(b);
            if a_is_x {
                (a_value, b_value)
            } else {
                (b_value, a_value)
            }
        }
    }
}

fn gradient_stops(
    items: &float_pigment_css::sheet::borrow::Array<fp::GradientColorItem>,
    ctx: &LengthContext,
    current: cirrus_layout::style::Color,
) -> Vec<GradientStop> {
    items
        .iter()
        .map(|item| match item {
            fp::GradientColorItem::ColorHint(c, l) => GradientStop {
                color: color(c, current).unwrap_or(current),
                position: ctx.linear(l).map(|_| ctx.length_percentage(l)),
            },
            fp::GradientColorItem::SimpleColorHint(c) => GradientStop {
                color: color(c, current).unwrap_or(current),
                position: None,
            },
            fp::GradientColorItem::AngleOrPercentageColorHint(c, p) => GradientStop {
                color: color(c, current).unwrap_or(current),
                position: match p {
                    fp::AngleOrPercentage::Percentage(r) => Some(LengthPercentage::Percent(*r)),
                    fp::AngleOrPercentage::Angle(a) => {
                        Some(LengthPercentage::Percent(degrees(a) / 360.0))
                    }
                },
            },
        })
        .collect()
}

fn image(
    item: &fp::BackgroundImageItem,
    ctx: &LengthContext,
    current: cirrus_layout::style::Color,
) -> Option<Image> {
    match item {
        fp::BackgroundImageItem::Url(url) => Some(Image::Url(url.as_str().to_owned())),
        fp::BackgroundImageItem::Gradient(g) => match g {
            fp::BackgroundImageGradientItem::LinearGradient(angle, stops) => {
                Some(Image::LinearGradient {
                    angle_deg: degrees(angle),
                    stops: gradient_stops(stops, ctx, current),
                    repeating: false,
                })
            }
            fp::BackgroundImageGradientItem::RadialGradient(shape, size, position, stops) => {
                Some(Image::RadialGradient {
                    shape: match shape {
                        fp::GradientShape::Circle => RadialShape::Circle,
                        fp::GradientShape::Ellipse => RadialShape::Ellipse,
                    },
                    extent: match size {
                        fp::GradientSize::FarthestCorner => RadialExtent::FarthestCorner,
                        fp::GradientSize::FarthestSide => RadialExtent::FarthestSide,
                        fp::GradientSize::ClosestCorner => RadialExtent::ClosestCorner,
                        fp::GradientSize::ClosestSide => RadialExtent::ClosestSide,
                        fp::GradientSize::Len(x, y) => RadialExtent::Explicit(
                            ctx.length_percentage(x),
                            ctx.length_percentage(y),
                        ),
                    },
                    center: gradient_position(position, ctx),
                    stops: gradient_stops(stops, ctx, current),
                    repeating: false,
                })
            }
            // Not representable in the layout contract yet.
            fp::BackgroundImageGradientItem::ConicGradient(_) => None,
        },
        fp::BackgroundImageItem::None
        | fp::BackgroundImageItem::Image(..)
        | fp::BackgroundImageItem::Element(_) => None,
    }
}
