//! Hit testing (`Stage::hit_test`) and the error overlay, with hand-built
//! trees: the render thread's side of test-harness input.

mod common;

use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::protocol::ToRender;
use cirrus_engine::render::{DisplayItem, DisplayList};
use cirrus_engine::stage::Stage;
use cirrus_engine::Diagnostic;
use common::{view, PAGE};
use serde_json::json;

fn staged(wxss: &str, tree: &[(u32, u32, &str)]) -> Stage {
    let mut stage = stage_with(wxss);
    let ops = tree
        .iter()
        .flat_map(|(id, parent, class)| view(*id, *parent, class))
        .collect();
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.update();
    stage
}

#[test]
fn the_deepest_box_under_the_point_wins() {
    let stage = staged(
        ".outer { height: 100px; padding: 10px } .inner { height: 20px }",
        &[(1, 0, "outer"), (2, 1, "inner")],
    );
    assert_eq!(stage.hit_test(15.0, 15.0), Some(NodeId(2)), "inside .inner");
    assert_eq!(
        stage.hit_test(5.0, 5.0),
        Some(NodeId(1)),
        "in .outer's padding"
    );
    assert_eq!(stage.hit_test(15.0, 50.0), Some(NodeId(1)), "below .inner");
    assert_eq!(
        stage.hit_test(15.0, 300.0),
        Some(NodeId(0)),
        "the page itself"
    );
    assert_eq!(stage.hit_test(-1.0, 5.0), None, "outside the page");
}

#[test]
fn later_siblings_and_higher_z_index_are_on_top() {
    let wxss = ".a, .b { position: absolute; left: 0; top: 0; width: 50px; height: 50px }";
    let stage = staged(wxss, &[(1, 0, "a"), (2, 0, "b")]);
    assert_eq!(
        stage.hit_test(10.0, 10.0),
        Some(NodeId(2)),
        "later sibling on top"
    );
    let stage = staged(
        &format!("{wxss} .a {{ z-index: 2 }}"),
        &[(1, 0, "a"), (2, 0, "b")],
    );
    assert_eq!(
        stage.hit_test(10.0, 10.0),
        Some(NodeId(1)),
        "z-index 2 on top"
    );
}

#[test]
fn pointer_events_none_visibility_hidden_and_display_none_are_skipped() {
    let base = ".under { height: 50px } .over { position: absolute; left: 0; top: 0; width: 50px; height: 50px }";
    for (rule, what) in [
        (".over { pointer-events: none }", "pointer-events: none"),
        (".over { visibility: hidden }", "visibility: hidden"),
        (".over { display: none }", "display: none"),
    ] {
        let stage = staged(
            &format!("{base} {rule}"),
            &[(1, 0, "under"), (2, 0, "over")],
        );
        assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(1)), "{what}");
    }
    // A child that turns pointer events back on is a target again.
    let stage = staged(
        &format!("{base} .over {{ pointer-events: none }} .child {{ height: 10px; pointer-events: auto }}"),
        &[(1, 0, "under"), (2, 0, "over"), (3, 2, "child")],
    );
    assert_eq!(stage.hit_test(10.0, 5.0), Some(NodeId(3)));
    assert_eq!(stage.hit_test(10.0, 20.0), Some(NodeId(1)));
}

#[test]
fn overflow_hidden_clips_what_can_be_hit() {
    let stage = staged(
        ".clip { height: 20px; overflow: hidden } .tall { height: 100px; width: 30px }",
        &[(1, 0, "clip"), (2, 1, "tall")],
    );
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(2)));
    assert_eq!(
        stage.hit_test(10.0, 50.0),
        Some(NodeId(0)),
        "the clipped part of .tall is not hit"
    );
}

#[test]
fn fixed_boxes_are_hit_where_they_are_painted() {
    let stage = staged(
        ".spacer { height: 300px } .bar { position: fixed; left: 0; top: 500px; width: 375px; height: 40px }",
        &[(1, 0, "spacer"), (2, 1, "bar")],
    );
    assert_eq!(stage.hit_test(100.0, 520.0), Some(NodeId(2)));
    assert_eq!(stage.hit_test(100.0, 100.0), Some(NodeId(1)));
}

/// The overlay's panel: a translucent red rect spanning the viewport width.
fn overlay_panel(list: &DisplayList) -> Option<cirrus_engine::render::Rect> {
    list.iter().find_map(|item| match item {
        DisplayItem::Rect { rect, color, .. }
            if color.r > 0.6 && color.g < 0.2 && color.b < 0.2 && rect.width == 750.0 =>
        {
            Some(*rect)
        }
        _ => None,
    })
}

#[test]
fn a_js_exception_shows_the_error_overlay_over_the_page() {
    let mut stage = staged(
        ".a { height: 10px; background-color: #0000ff }",
        &[(1, 0, "a")],
    );
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    assert_eq!(overlay_panel(&list), None, "no overlay before an error");
    stage.handle(ToRender::Error(Diagnostic::error(
        "pages/index/index.js",
        3,
        11,
        "TypeError: cannot read property 'x' of undefined",
    )));
    stage.update();
    stage.paint(&mut list);
    let panel = overlay_panel(&list).expect("the overlay's red panel");
    // Full width, anchored to the bottom (device px, dpr 2), sized to the
    // header and the one entry: a few text lines, not the whole window.
    assert_eq!((panel.x, panel.width), (0.0, 750.0));
    assert_eq!(panel.y + panel.height, 1334.0);
    assert!(panel.height > 80.0 && panel.height < 300.0, "{panel:?}");
    let page_rect = list.iter().position(
        |i| matches!(i, DisplayItem::Rect { color, .. } if color.b > 0.9 && color.r < 0.1),
    );
    let panel_index = list
        .iter()
        .position(|i| matches!(i, DisplayItem::Rect { rect, .. } if *rect == panel));
    assert!(
        page_rect < panel_index,
        "the page still paints, under the overlay"
    );
    assert_eq!(stage.errors().len(), 1);
}

#[test]
fn a_slots_children_are_hit_and_stack_with_their_new_siblings() {
    let mut stage = stage_with(
        ".a, .b { position: absolute; left: 0; top: 0; width: 50px; height: 50px } .a { z-index: 1 }",
    );
    // page > [slot > a, b]: `a` (z-index 1, in the slot) is on top of `b`.
    let mut ops = vec![
        Op::CreateElement {
            id: NodeId(1),
            tag: "slot".into(),
        },
        Op::SetAttribute {
            id: NodeId(1),
            name: "wx:virtual".into(),
            value: json!(true),
        },
        Op::Insert {
            parent: NodeId(0),
            child: NodeId(1),
            before: None,
        },
    ];
    ops.extend(view(2, 1, "a"));
    ops.extend(view(3, 0, "b"));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.update();
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(2)));
    // A hidden slot hides what it holds.
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id: NodeId(1),
            name: "hidden".into(),
            value: json!(true),
        }],
    }));
    stage.update();
    assert_eq!(stage.hit_test(10.0, 10.0), Some(NodeId(3)));
}

#[test]
fn transformed_boxes_are_hit_where_they_are_drawn() {
    let stage = staged(
        ".moved { width: 50px; height: 50px; transform: translateX(100px) } .big { width: 20px; height: 20px; transform: scale(2); transform-origin: 0 0 }",
        &[(1, 0, "moved"), (2, 0, "big")],
    );
    assert_eq!(
        stage.hit_test(120.0, 10.0),
        Some(NodeId(1)),
        "drawn at x 100..150"
    );
    assert_eq!(
        stage.hit_test(10.0, 10.0),
        Some(NodeId(0)),
        "no longer at x 0..50"
    );
    // .big is laid out at y 50..70 and drawn at 50..90, x 0..40.
    assert_eq!(stage.hit_test(35.0, 85.0), Some(NodeId(2)));
}

/// The harness stage with the default navigation bar over the page.
fn stage_with(wxss: &str) -> Stage {
    common::stage_for(
        r#"{"pages":["pages/index/index"]}"#,
        wxss,
        Viewport::new(375.0, 667.0, 2.0),
    )
}
