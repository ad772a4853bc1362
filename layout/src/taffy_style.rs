//! Computed style -> `taffy::Style`.
//!
//! Owns the mapping of every layout property of Skyline's WXSS table
//! (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>) onto taffy. Invariants:
//! - The conversion is total: every `ComputedStyle` maps to a valid taffy
//!   style (keywords that make no sense for a property, such as
//!   `align-items: space-between`, fall back to taffy's `None` = normal).
//! - `position: fixed` becomes `Position::Absolute`. Taffy has no fixed
//!   positioning; the engine is responsible for attaching fixed boxes to the
//!   page root, so "absolute against the root" is "fixed against the viewport"
//!   (the page root is exactly the viewport's width and starts at its top).
//! - `display: inline` only occurs on text runs inside a paragraph, which are
//!   measured as one leaf: it maps to `Display::Block` (a leaf box).
//! - `order` has no taffy field (taffy 0.9): the engine hands children to
//!   layout already sorted with [`sort_by_order`].

use crate::style::{
    Align, BoxSizing, ComputedStyle, Dimension, Display, FlexDirection, FlexWrap, LengthPercentage,
    Overflow, Position,
};
use taffy::geometry::{Point, Rect, Size};

/// Converts the layout part of a computed style into a taffy style.
pub fn to_taffy(style: &ComputedStyle) -> taffy::Style {
    let overflow = match style.overflow {
        Overflow::Visible => taffy::Overflow::Visible,
        // Hidden (not Clip) so that an overflow:hidden flex item's automatic
        // minimum size is 0, as CSS says for scroll containers.
        Overflow::Hidden => taffy::Overflow::Hidden,
    };
    taffy::Style {
        display: display(style.display),
        box_sizing: match style.box_sizing {
            BoxSizing::BorderBox => taffy::BoxSizing::BorderBox,
            BoxSizing::ContentBox => taffy::BoxSizing::ContentBox,
        },
        overflow: Point {
            x: overflow,
            y: overflow,
        },
        scrollbar_width: 0.0,
        position: match style.position {
            Position::Relative => taffy::Position::Relative,
            Position::Absolute | Position::Fixed => taffy::Position::Absolute,
        },
        inset: Rect {
            left: length_percentage_auto(style.inset.left),
            right: length_percentage_auto(style.inset.right),
            top: length_percentage_auto(style.inset.top),
            bottom: length_percentage_auto(style.inset.bottom),
        },
        size: Size {
            width: dimension(style.width),
            height: dimension(style.height),
        },
        min_size: Size {
            width: dimension(style.min_width),
            height: dimension(style.min_height),
        },
        // `Dimension::Auto` in a max-* property is CSS `none`, which is taffy's auto.
        max_size: Size {
            width: dimension(style.max_width),
            height: dimension(style.max_height),
        },
        aspect_ratio: style
            .aspect_ratio
            .filter(|ratio| ratio.is_finite() && *ratio > 0.0),
        margin: Rect {
            left: length_percentage_auto(style.margin.left),
            right: length_percentage_auto(style.margin.right),
            top: length_percentage_auto(style.margin.top),
            bottom: length_percentage_auto(style.margin.bottom),
        },
        padding: Rect {
            left: length_percentage(style.padding.left),
            right: length_percentage(style.padding.right),
            top: length_percentage(style.padding.top),
            bottom: length_percentage(style.padding.bottom),
        },
        border: Rect {
            left: taffy::LengthPercentage::length(non_negative(style.border_width.left)),
            right: taffy::LengthPercentage::length(non_negative(style.border_width.right)),
            top: taffy::LengthPercentage::length(non_negative(style.border_width.top)),
            bottom: taffy::LengthPercentage::length(non_negative(style.border_width.bottom)),
        },
        align_items: style.align_items.and_then(align_items),
        align_self: style.align_self.and_then(align_items),
        align_content: style.align_content.and_then(align_content),
        justify_content: style.justify_content.and_then(align_content),
        gap: Size {
            width: length_percentage(style.column_gap),
            height: length_percentage(style.row_gap),
        },
        flex_direction: match style.flex_direction {
            FlexDirection::Row => taffy::FlexDirection::Row,
            FlexDirection::RowReverse => taffy::FlexDirection::RowReverse,
            FlexDirection::Column => taffy::FlexDirection::Column,
            FlexDirection::ColumnReverse => taffy::FlexDirection::ColumnReverse,
        },
        flex_wrap: match style.flex_wrap {
            FlexWrap::NoWrap => taffy::FlexWrap::NoWrap,
            FlexWrap::Wrap => taffy::FlexWrap::Wrap,
            FlexWrap::WrapReverse => taffy::FlexWrap::WrapReverse,
        },
        flex_basis: dimension(style.flex_basis),
        flex_grow: non_negative(style.flex_grow),
        flex_shrink: non_negative(style.flex_shrink),
        ..taffy::Style::DEFAULT
    }
}

/// Sorts children into CSS `order` order. Stable, so equal orders keep
/// document order, as CSS requires. Each entry is `(order, child)`.
pub fn sort_by_order<T>(children: &mut [(i32, T)]) {
    children.sort_by_key(|(order, _)| *order);
}

fn display(display: Display) -> taffy::Display {
    match display {
        Display::Flex => taffy::Display::Flex,
        Display::Block | Display::Inline => taffy::Display::Block,
        Display::None => taffy::Display::None,
    }
}

fn dimension(value: Dimension) -> taffy::Dimension {
    match value {
        Dimension::Auto => taffy::Dimension::auto(),
        Dimension::Px(px) => taffy::Dimension::length(px),
        Dimension::Percent(fraction) => taffy::Dimension::percent(fraction),
        Dimension::Calc { px, percent } => taffy::Dimension::calc(crate::calc::intern(px, percent)),
    }
}

fn length_percentage_auto(value: Dimension) -> taffy::LengthPercentageAuto {
    match value {
        Dimension::Auto => taffy::LengthPercentageAuto::auto(),
        Dimension::Px(px) => taffy::LengthPercentageAuto::length(px),
        Dimension::Percent(fraction) => taffy::LengthPercentageAuto::percent(fraction),
        Dimension::Calc { px, percent } => {
            taffy::LengthPercentageAuto::calc(crate::calc::intern(px, percent))
        }
    }
}

fn length_percentage(value: LengthPercentage) -> taffy::LengthPercentage {
    match value {
        LengthPercentage::Px(px) => taffy::LengthPercentage::length(px),
        LengthPercentage::Percent(fraction) => taffy::LengthPercentage::percent(fraction),
        LengthPercentage::Calc { px, percent } => {
            taffy::LengthPercentage::calc(crate::calc::intern(px, percent))
        }
    }
}

/// Negative or NaN widths and flex factors are invalid CSS; the cascade should
/// have dropped them, but layout must never see them.
fn non_negative(value: f32) -> f32 {
    if value.is_nan() {
        0.0
    } else {
        value.max(0.0)
    }
}

fn align_items(align: Align) -> Option<taffy::AlignItems> {
    Some(match align {
        Align::Stretch => taffy::AlignItems::Stretch,
        Align::FlexStart => taffy::AlignItems::FlexStart,
        Align::FlexEnd => taffy::AlignItems::FlexEnd,
        Align::Center => taffy::AlignItems::Center,
        Align::Baseline => taffy::AlignItems::Baseline,
        Align::Start => taffy::AlignItems::Start,
        Align::End => taffy::AlignItems::End,
        Align::SpaceBetween | Align::SpaceAround | Align::SpaceEvenly => return None,
    })
}

fn align_content(align: Align) -> Option<taffy::AlignContent> {
    Some(match align {
        Align::Stretch => taffy::AlignContent::Stretch,
        Align::FlexStart => taffy::AlignContent::FlexStart,
        Align::FlexEnd => taffy::AlignContent::FlexEnd,
        Align::Center => taffy::AlignContent::Center,
        Align::SpaceBetween => taffy::AlignContent::SpaceBetween,
        Align::SpaceAround => taffy::AlignContent::SpaceAround,
        Align::SpaceEvenly => taffy::AlignContent::SpaceEvenly,
        Align::Start => taffy::AlignContent::Start,
        Align::End => taffy::AlignContent::End,
        Align::Baseline => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::style::Sides;

    #[test]
    fn skyline_defaults_become_flex_column_border_box() {
        let converted = to_taffy(&ComputedStyle::default());
        assert_eq!(converted.display, taffy::Display::Flex);
        assert_eq!(converted.flex_direction, taffy::FlexDirection::Column);
        assert_eq!(converted.box_sizing, taffy::BoxSizing::BorderBox);
        assert_eq!(converted.position, taffy::Position::Relative);
        assert_eq!(converted.flex_shrink, 1.0);
        assert_eq!(converted.flex_grow, 0.0);
        assert!(converted.size.width.is_auto());
        assert!(converted.max_size.height.is_auto());
        assert_eq!(converted.align_items, None);
        assert_eq!(converted.justify_content, None);
    }

    #[test]
    fn every_layout_property_is_converted() {
        let style = ComputedStyle {
            display: Display::Block,
            position: Position::Fixed,
            box_sizing: BoxSizing::ContentBox,
            overflow: Overflow::Hidden,
            flex_direction: FlexDirection::RowReverse,
            flex_wrap: FlexWrap::WrapReverse,
            align_items: Some(Align::Center),
            align_self: Some(Align::FlexEnd),
            align_content: Some(Align::SpaceAround),
            justify_content: Some(Align::SpaceEvenly),
            flex_grow: 2.0,
            flex_shrink: 0.0,
            flex_basis: Dimension::Percent(0.25),
            row_gap: LengthPercentage::Px(4.0),
            column_gap: LengthPercentage::Percent(0.1),
            width: Dimension::Px(100.0),
            height: Dimension::Percent(0.5),
            min_width: Dimension::Px(10.0),
            max_height: Dimension::Px(300.0),
            aspect_ratio: Some(1.5),
            inset: Sides {
                top: Dimension::Px(1.0),
                ..Sides::all(Dimension::Auto)
            },
            margin: Sides {
                left: Dimension::Auto,
                ..Sides::all(Dimension::Px(3.0))
            },
            padding: Sides::all(LengthPercentage::Percent(0.05)),
            border_width: Sides {
                top: 2.0,
                right: 0.0,
                bottom: -1.0,
                left: 3.0,
            },
            ..ComputedStyle::default()
        };
        let converted = to_taffy(&style);
        assert_eq!(converted.display, taffy::Display::Block);
        assert_eq!(converted.position, taffy::Position::Absolute);
        assert_eq!(converted.box_sizing, taffy::BoxSizing::ContentBox);
        assert_eq!(converted.overflow.x, taffy::Overflow::Hidden);
        assert_eq!(converted.overflow.y, taffy::Overflow::Hidden);
        assert_eq!(converted.flex_direction, taffy::FlexDirection::RowReverse);
        assert_eq!(converted.flex_wrap, taffy::FlexWrap::WrapReverse);
        assert_eq!(converted.align_items, Some(taffy::AlignItems::Center));
        assert_eq!(converted.align_self, Some(taffy::AlignItems::FlexEnd));
        assert_eq!(
            converted.align_content,
            Some(taffy::AlignContent::SpaceAround)
        );
        assert_eq!(
            converted.justify_content,
            Some(taffy::AlignContent::SpaceEvenly)
        );
        assert_eq!(converted.flex_grow, 2.0);
        assert_eq!(converted.flex_shrink, 0.0);
        assert_eq!(converted.flex_basis, taffy::Dimension::percent(0.25));
        assert_eq!(converted.gap.height, taffy::LengthPercentage::length(4.0));
        assert_eq!(converted.gap.width, taffy::LengthPercentage::percent(0.1));
        assert_eq!(converted.size.width, taffy::Dimension::length(100.0));
        assert_eq!(converted.size.height, taffy::Dimension::percent(0.5));
        assert_eq!(converted.min_size.width, taffy::Dimension::length(10.0));
        assert!(converted.min_size.height.is_auto());
        assert_eq!(converted.max_size.height, taffy::Dimension::length(300.0));
        assert_eq!(converted.aspect_ratio, Some(1.5));
        assert_eq!(
            converted.inset.top,
            taffy::LengthPercentageAuto::length(1.0)
        );
        assert!(converted.inset.left.is_auto());
        assert!(converted.margin.left.is_auto());
        assert_eq!(
            converted.margin.right,
            taffy::LengthPercentageAuto::length(3.0)
        );
        assert_eq!(
            converted.padding.top,
            taffy::LengthPercentage::percent(0.05)
        );
        assert_eq!(converted.border.top, taffy::LengthPercentage::length(2.0));
        assert_eq!(converted.border.left, taffy::LengthPercentage::length(3.0));
        // A negative border width is clamped rather than handed to taffy.
        assert_eq!(
            converted.border.bottom,
            taffy::LengthPercentage::length(0.0)
        );
    }

    #[test]
    fn inline_and_none_displays() {
        let inline = ComputedStyle {
            display: Display::Inline,
            ..ComputedStyle::default()
        };
        assert_eq!(to_taffy(&inline).display, taffy::Display::Block);
        let hidden = ComputedStyle {
            display: Display::None,
            ..ComputedStyle::default()
        };
        assert_eq!(to_taffy(&hidden).display, taffy::Display::None);
    }

    #[test]
    fn nonsense_alignment_keywords_fall_back_to_normal() {
        let style = ComputedStyle {
            align_items: Some(Align::SpaceBetween),
            align_content: Some(Align::Baseline),
            ..ComputedStyle::default()
        };
        let converted = to_taffy(&style);
        assert_eq!(converted.align_items, None);
        assert_eq!(converted.align_content, None);
    }

    #[test]
    fn order_sort_is_stable() {
        let mut children = vec![(1, 'a'), (0, 'b'), (-1, 'c'), (0, 'd'), (1, 'e')];
        sort_by_order(&mut children);
        let sequence: String = children.iter().map(|(_, c)| *c).collect();
        assert_eq!(sequence, "cbdae");
    }
}
