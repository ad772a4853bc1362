//! Units, inheritance, variables, calc, media, defaults and property conversion.

mod common;

use cirrus_layout::style::{
    Align, BackgroundRepeat, BackgroundSize, BorderStyle, BoxSizing, Color, Dimension, Display,
    Filter, FlexDirection, FontStyle, Image, LengthPercentage, LineHeight, Overflow, Position,
    RadialShape, Radius, TextOverflow, TransformFunction, Visibility, WhiteSpace,
};
use cirrus_style::{StyleOptions, StyleSheets};
use common::{load_files, options, sheets, Tree};

fn single(css: &str) -> cirrus_layout::style::ComputedStyle {
    let s = sheets(css);
    let mut t = Tree::new();
    let n = t.add(None, "view.n");
    t.compute_all(&s)[n].clone()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-3
}

#[test]
fn rpx_and_viewport_units() {
    let s = single(
        ".n { width: 750rpx; height: 100rpx; min-width: 10vw; min-height: 10vh; max-width: 2rem }",
    );
    assert_eq!(s.width, Dimension::Px(375.0));
    assert_eq!(s.height, Dimension::Px(50.0));
    assert_eq!(s.min_width, Dimension::Px(37.5));
    assert!(matches!(s.min_height, Dimension::Px(v) if close(v, 66.7)));
    assert_eq!(s.max_width, Dimension::Px(32.0));
    let m = single(".n { width: 10vmin; height: 10vmax; margin-left: 50% }");
    assert_eq!(m.width, Dimension::Px(37.5));
    assert!(matches!(m.height, Dimension::Px(v) if close(v, 66.7)));
    assert_eq!(m.margin.left, Dimension::Percent(0.5));
}

#[test]
fn inheritance_of_text_properties_only() {
    let s = sheets(
        ".p { color: red; font-size: 20px; width: 100px; font-weight: bold; line-height: 1.5 }",
    );
    let mut t = Tree::new();
    let p = t.add(None, "view.p");
    let c = t.add(Some(p), "view");
    let out = t.compute_all(&s);
    assert_eq!(out[c].color, Color::rgba8(255, 0, 0, 1.0));
    assert_eq!(out[c].font_size, 20.0);
    assert_eq!(out[c].font_weight, 700);
    assert_eq!(out[c].line_height, LineHeight::Number(1.5));
    assert_eq!(out[c].width, Dimension::Auto, "width is not inherited");
}

#[test]
fn em_and_percent_font_sizes() {
    let s =
        sheets(".p { font-size: 20px } .c { font-size: 150%; width: 2em } .d { font-size: 0.5em }");
    let mut t = Tree::new();
    let p = t.add(None, "view.p");
    let c = t.add(Some(p), "view.c");
    let d = t.add(Some(c), "view.d");
    let out = t.compute_all(&s);
    assert_eq!(out[c].font_size, 30.0);
    assert_eq!(
        out[c].width,
        Dimension::Px(60.0),
        "em uses the element's own font size"
    );
    assert_eq!(out[d].font_size, 15.0);
}

#[test]
fn css_variables_with_fallback_and_inheritance() {
    let css = ".p { --main: rgb(0, 0, 255); --w: 40px } .c { color: var(--main); width: var(--w); \
               height: var(--missing, 12px); min-width: var(--missing) } \
               .d { --w: 8px; padding: var(--w) calc(var(--w) * 2) }";
    let s = sheets(css);
    let mut t = Tree::new();
    let p = t.add(None, "view.p");
    let c = t.add(Some(p), "view.c");
    let d = t.add(Some(c), "view.d");
    let out = t.compute_all(&s);
    assert_eq!(out[c].color, Color::rgba8(0, 0, 255, 1.0));
    assert_eq!(out[c].width, Dimension::Px(40.0));
    assert_eq!(out[c].height, Dimension::Px(12.0), "fallback");
    assert_eq!(out[c].min_width, Dimension::Auto, "missing variable: unset");
    assert_eq!(
        out[d].padding.top,
        LengthPercentage::Px(8.0),
        "shorthand with var()"
    );
    assert_eq!(out[d].padding.right, LengthPercentage::Px(16.0));

    // The NodeStyle path carries variables without walking ancestors.
    let root = s.compute_node(&t.el(p), None);
    let child = s.compute_node(&t.el(c), Some(&root));
    assert_eq!(child.style.width, Dimension::Px(40.0));
    assert_eq!(
        child.custom_properties.get("--w").map(String::as_str),
        Some("40px")
    );
}

#[test]
fn inline_custom_properties() {
    let s = sheets(".c { width: var(--size, 1px) }");
    let mut t = Tree::new();
    let p = t.add(None, "view");
    t.set_style(p, "--size: 33px");
    let c = t.add(Some(p), "view.c");
    assert_eq!(t.compute_all(&s)[c].width, Dimension::Px(33.0));
}

#[test]
fn calc_expressions() {
    let s = single(".n { width: calc(100rpx + 10px); height: calc(100% / 4); min-width: calc(100% - 75px); margin-top: calc(2 * 3px) }");
    assert_eq!(s.width, Dimension::Px(60.0));
    assert_eq!(s.height, Dimension::Percent(0.25));
    // Mixed px and % stays linear; layout resolves it against the real basis.
    assert_eq!(
        s.min_width,
        Dimension::Calc {
            px: -75.0,
            percent: 1.0
        }
    );
    assert_eq!(s.margin.top, Dimension::Px(6.0));
}

#[test]
fn dark_mode_media() {
    let css = ".n { color: black } @media (prefers-color-scheme: dark) { .n { color: white } }";
    let files = [("pages/index/index.wxss", css)];
    let light = load_files(&files, options()).0;
    let dark = load_files(
        &files,
        StyleOptions {
            dark_mode: true,
            ..options()
        },
    )
    .0;
    let mut t = Tree::new();
    let n = t.add(None, "view.n");
    assert_eq!(t.compute_all(&light)[n].color, Color::BLACK);
    assert_eq!(t.compute_all(&dark)[n].color, Color::WHITE);
}

#[test]
fn skyline_defaults_and_flags() {
    let mut t = Tree::new();
    let n = t.add(None, "view");
    let plain = StyleSheets::empty(options());
    let s = &t.compute_all(&plain)[n];
    assert_eq!(
        (s.display, s.flex_direction, s.box_sizing, s.position),
        (
            Display::Flex,
            FlexDirection::Column,
            BoxSizing::BorderBox,
            Position::Relative
        )
    );
    let web = StyleSheets::empty(StyleOptions {
        default_display_block: true,
        default_content_box: true,
        ..options()
    });
    let w = &t.compute_all(&web)[n];
    assert_eq!(
        (w.display, w.flex_direction, w.box_sizing, w.align_items),
        (
            Display::Block,
            FlexDirection::Row,
            BoxSizing::ContentBox,
            None
        )
    );
    // `initial` follows the flags too.
    let css = load_files(
        &[(
            "pages/index/index.wxss",
            "view { display: flex; flex-direction: initial }",
        )],
        StyleOptions {
            default_display_block: true,
            ..options()
        },
    )
    .0;
    let f = &t.compute_all(&css)[n];
    assert_eq!(
        (f.display, f.flex_direction),
        (Display::Flex, FlexDirection::Row)
    );
}

#[test]
fn borders_default_width_and_none() {
    let s = single(".n { border-style: solid; border-left-style: none; border-top-width: 2px }");
    assert_eq!(s.border_width.right, 3.0, "style without width: 3px");
    assert_eq!(s.border_width.left, 0.0, "none: 0");
    assert_eq!(s.border_width.top, 2.0);
    let b = single(".n { border: 1px solid red; border-bottom: none; border-radius: 10px / 5px }");
    assert_eq!(b.border_width.top, 1.0);
    assert_eq!(b.border_width.bottom, 0.0);
    assert_eq!(b.border_style.top, BorderStyle::Solid);
    assert_eq!(b.border_color.left, Color::rgba8(255, 0, 0, 1.0));
    assert_eq!(
        b.border_radius.top_left,
        Radius {
            x: LengthPercentage::Px(10.0),
            y: LengthPercentage::Px(5.0)
        }
    );
    let w = single(".n { border-width: 4px }");
    assert_eq!(w.border_width.top, 0.0, "width without style draws nothing");
}

#[test]
fn gradients_and_images() {
    let s = single(".n { background: linear-gradient(to right, red 0%, blue 100%) }");
    match s.background_image {
        Some(Image::LinearGradient {
            angle_deg,
            ref stops,
            ..
        }) => {
            assert_eq!(angle_deg, 90.0);
            assert_eq!(stops.len(), 2);
            assert_eq!(stops[0].color, Color::rgba8(255, 0, 0, 1.0));
            assert_eq!(stops[1].position, Some(LengthPercentage::Percent(1.0)));
        }
        ref other => panic!("expected a linear gradient, got {other:?}"),
    }
    let r = single(".n { background-image: radial-gradient(circle, red, blue) }");
    assert!(matches!(
        r.background_image,
        Some(Image::RadialGradient {
            shape: RadialShape::Circle,
            ..
        })
    ));
    let u = single(".n { background: url(/img/a.png) no-repeat; background-size: cover }");
    assert_eq!(u.background_image, Some(Image::Url("/img/a.png".into())));
    assert_eq!(u.background_repeat, BackgroundRepeat::NoRepeat);
    assert_eq!(u.background_size, BackgroundSize::Cover);
    let c = single(".n { background: #ff0000 }");
    assert_eq!(c.background_color, Color::rgba8(255, 0, 0, 1.0));
}

#[test]
fn transforms() {
    let s = single(".n { transform: translate(10px, 50%) scale(2) rotate(0.25turn) skewX(10deg) matrix(1, 0, 0, 1, 5, 6) translateZ(3px) perspective(100px) rotate3d(1, 0, 0, 90deg); transform-origin: left top }");
    assert_eq!(
        s.transform,
        vec![
            TransformFunction::Translate(
                LengthPercentage::Px(10.0),
                LengthPercentage::Percent(0.5),
                0.0
            ),
            TransformFunction::Scale(2.0, 2.0, 1.0),
            TransformFunction::Rotate(0.0, 0.0, 1.0, 90.0),
            TransformFunction::Skew(10.0, 0.0),
            TransformFunction::Matrix([1.0, 0.0, 0.0, 1.0, 5.0, 6.0]),
            TransformFunction::Translate(LengthPercentage::Px(0.0), LengthPercentage::Px(0.0), 3.0),
            TransformFunction::Perspective(100.0),
            TransformFunction::Rotate(1.0, 0.0, 0.0, 90.0),
        ]
    );
    assert_eq!(
        s.transform_origin,
        (
            LengthPercentage::Percent(0.0),
            LengthPercentage::Percent(0.0)
        )
    );
}

#[test]
fn text_and_effect_properties() {
    let s = single(
        ".n { font: italic bold 20px/30px serif; text-align: center; white-space: nowrap; \
         text-overflow: ellipsis; -webkit-line-clamp: 2; letter-spacing: 2px; text-decoration: underline; \
         text-shadow: 1px 2px 3px red; box-shadow: inset 1px 2px 3px 4px blue; opacity: 0.5; \
         filter: blur(4px); z-index: 3; visibility: hidden; pointer-events: none; overflow: hidden; \
         flex: 1; align-items: center; justify-content: space-between; aspect-ratio: 16 / 9; gap: 4px 8px }",
    );
    assert_eq!(s.font_style, FontStyle::Italic);
    assert_eq!(s.font_weight, 700);
    assert_eq!(s.font_size, 20.0);
    assert_eq!(s.line_height, LineHeight::Px(30.0));
    assert_eq!(s.font_family, vec!["serif".to_owned()]);
    assert_eq!(s.white_space, WhiteSpace::NoWrap);
    assert_eq!(s.text_overflow, TextOverflow::Ellipsis);
    assert_eq!(s.line_clamp, Some(2));
    assert_eq!(s.letter_spacing, 2.0);
    assert!(s.text_decoration.line.underline);
    let ts = s.text_shadow.expect("text-shadow");
    assert_eq!((ts.offset_x, ts.offset_y, ts.blur), (1.0, 2.0, 3.0));
    let bs = s.box_shadow.expect("box-shadow");
    assert!(bs.inset);
    assert_eq!(bs.spread, 4.0);
    assert_eq!(bs.color, Color::rgba8(0, 0, 255, 1.0));
    assert!(close(s.opacity, 0.5));
    assert_eq!(s.filter, Some(Filter::Blur(4.0)));
    assert_eq!(s.z_index, Some(3.0));
    assert_eq!(s.visibility, Visibility::Hidden);
    assert_eq!(s.pointer_events, cirrus_layout::style::PointerEvents::None);
    assert_eq!(s.overflow, Overflow::Hidden);
    assert_eq!(
        (s.flex_grow, s.flex_shrink, s.flex_basis),
        (1.0, 1.0, Dimension::Percent(0.0))
    );
    assert_eq!(s.align_items, Some(Align::Center));
    assert_eq!(s.justify_content, Some(Align::SpaceBetween));
    assert!(s.aspect_ratio.is_some_and(|r| close(r, 16.0 / 9.0)));
    assert_eq!(
        (s.row_gap, s.column_gap),
        (LengthPercentage::Px(4.0), LengthPercentage::Px(8.0))
    );
}

#[test]
fn nested_text_is_inline() {
    let s = sheets("");
    let mut t = Tree::new();
    let outer = t.add(None, "text");
    let inner = t.add(Some(outer), "text");
    let out = t.compute_all(&s);
    assert_eq!(out[outer].display, Display::Flex);
    assert_eq!(out[inner].display, Display::Inline);
}

#[test]
fn inherit_initial_unset_keywords() {
    let s = sheets(
        ".p { width: 50px; color: red } .c { width: inherit; color: initial } .d { color: unset }",
    );
    let mut t = Tree::new();
    let p = t.add(None, "view.p");
    let c = t.add(Some(p), "view.c");
    let d = t.add(Some(p), "view.d");
    let out = t.compute_all(&s);
    assert_eq!(out[c].width, Dimension::Px(50.0));
    assert_eq!(out[c].color, Color::BLACK);
    assert_eq!(
        out[d].color,
        Color::rgba8(255, 0, 0, 1.0),
        "unset inherits colour"
    );
}
