//! The render-thread state driven directly, without threads: ops in,
//! style + layout + paint out (the Masonry-style headless harness).

mod common;

use cirrus_engine::ops::{NodeId, Op};
use cirrus_engine::protocol::ToRender;
use cirrus_engine::render::{DisplayItem, DisplayList};
use cirrus_engine::stage::Stage;
use common::{batch, stage_with, view, PAGE};
use serde_json::json;

fn boxes(stage: &mut Stage) -> Vec<(f64, f64, f64, f64)> {
    fn walk(n: &serde_json::Value, out: &mut Vec<(f64, f64, f64, f64)>) {
        let f = |k: &str| n[k].as_f64().unwrap_or(f64::NAN);
        out.push((f("x"), f("y"), f("width"), f("height")));
        for c in n["children"].as_array().into_iter().flatten() {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    walk(&stage.layout_json()["root"], &mut out);
    out
}

#[test]
fn ops_style_and_layout_a_flex_row() {
    let mut stage = stage_with(
        ".row { flex-direction: row; height: 100rpx } .cell { width: 50px; margin-left: 10px }",
    );
    let mut ops = view(1, 0, "row");
    ops.extend(view(2, 1, "cell"));
    ops.extend(view(3, 1, "cell"));
    stage.handle(batch(ops));
    stage.update();
    let b = boxes(&mut stage);
    assert_eq!(
        b[0],
        (0.0, 0.0, 375.0, 667.0),
        "the page fills the viewport"
    );
    assert_eq!(
        b[1],
        (0.0, 0.0, 375.0, 50.0),
        "100rpx is 50px at 375px wide"
    );
    assert_eq!(b[2], (10.0, 0.0, 50.0, 50.0));
    assert_eq!(b[3], (70.0, 0.0, 50.0, 50.0));
}

#[test]
fn transform_and_colour_changes_do_not_relayout() {
    let mut stage = stage_with(
        ".a { width: 10px; height: 10px } .b { background-color: red; transform: rotate(10deg) }",
    );
    stage.handle(batch(view(1, 0, "a")));
    stage.update();
    stage.handle(batch(vec![Op::SetAttribute {
        id: NodeId(1),
        name: "class".into(),
        value: json!("a b"),
    }]));
    let stats = stage.update();
    assert!(stats.style.restyled >= 1);
    assert_eq!(
        stats.style.layout_invalidated, 0,
        "paint-only change cleared a layout cache"
    );
    // A size change does relayout.
    stage.handle(batch(vec![Op::SetAttribute {
        id: NodeId(1),
        name: "style".into(),
        value: json!("width: 20px"),
    }]));
    let stats = stage.update();
    assert!(stats.style.layout_invalidated >= 1);
    assert_eq!(boxes(&mut stage)[1].2, 20.0);
}

#[test]
fn only_the_changed_subtree_is_restyled() {
    let mut stage = stage_with(".v { height: 5px }");
    let mut ops = Vec::new();
    for i in 1..=50 {
        ops.extend(view(i, 0, "v"));
    }
    stage.handle(batch(ops));
    stage.update();
    stage.handle(batch(vec![Op::SetAttribute {
        id: NodeId(7),
        name: "style".into(),
        value: json!("height: 9px"),
    }]));
    let stats = stage.update();
    // An inline style change restyles that node alone, and the pass only
    // walks the path to it, not the 49 clean siblings.
    assert_eq!(stats.style.restyled, 1);
    assert_eq!(stats.style.visited, 2, "the page and the changed node");
    assert_eq!(
        boxes(&mut stage)[8].1,
        6.0 * 5.0 + 9.0,
        "the node after the changed one moved"
    );
}

#[test]
fn a_class_change_restyles_the_subtree_and_siblings_not_the_page() {
    let mut stage = stage_with(".v { height: 5px } .big { height: 8px } .big + .v { height: 3px }");
    let mut ops = view(1, 0, "outer");
    for i in 2..=20 {
        ops.extend(view(i, 1, "v"));
    }
    ops.extend(view(21, 0, "v"));
    stage.handle(batch(ops));
    stage.update();
    stage.handle(batch(vec![Op::SetAttribute {
        id: NodeId(5),
        name: "class".into(),
        value: json!("big"),
    }]));
    let stats = stage.update();
    // Node 5 and its 18 siblings under node 1; not node 21 nor the page.
    assert_eq!(stats.style.restyled, 19);
    let b = boxes(&mut stage);
    assert_eq!(b[5].3, 8.0);
    assert_eq!(
        b[6].3, 3.0,
        "the sibling combinator applies to the next sibling"
    );
}

#[test]
fn paint_emits_backgrounds_in_device_pixels_and_text_glyphs() {
    let mut stage = stage_with(".a { width: 10px; height: 10px; background-color: #ff0000 }");
    let mut ops = view(1, 0, "a");
    ops.push(Op::CreateElement {
        id: NodeId(2),
        tag: "text".into(),
    });
    ops.push(Op::CreateText {
        id: NodeId(3),
        text: "Hello".into(),
    });
    ops.push(Op::Insert {
        parent: NodeId(2),
        child: NodeId(3),
        before: None,
    });
    ops.push(Op::Insert {
        parent: NodeId(0),
        child: NodeId(2),
        before: None,
    });
    stage.handle(batch(ops));
    stage.update();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    let rect = list.iter().find_map(|i| match i {
        DisplayItem::Rect { rect, .. } => Some(*rect),
        _ => None,
    });
    let rect = rect.expect("a background rect");
    assert_eq!((rect.width, rect.height), (20.0, 20.0), "dpr 2");
    let glyphs: usize = list
        .iter()
        .map(|i| match i {
            DisplayItem::Glyphs { glyphs, .. } => glyphs.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(glyphs, 5, "one glyph per letter of Hello");
    let text_box = boxes(&mut stage)[2];
    assert!(
        text_box.2 > 20.0 && text_box.3 > 10.0,
        "the text has a measured size: {text_box:?}"
    );
}

#[test]
fn bad_ops_are_reported_and_skipped() {
    let mut stage = stage_with("");
    stage.handle(batch(vec![Op::Insert {
        parent: NodeId(0),
        child: NodeId(99),
        before: None,
    }]));
    stage.update();
    assert!(stage
        .diagnostics()
        .iter()
        .any(|d| d.message.contains("op skipped")));
}

#[test]
fn a_non_inherited_change_does_not_restyle_the_subtree() {
    let mut stage = stage_with(".v { height: 5px; color: #333 }");
    let mut ops = view(1, 0, "outer");
    for i in 2..=41 {
        ops.extend(view(i, 1, "v"));
    }
    stage.handle(batch(ops));
    stage.update();
    // A transform (not inherited) on the container: only it restyles.
    stage.handle(batch(vec![Op::SetAttribute {
        id: NodeId(1),
        name: "style".into(),
        value: json!("transform: translateY(-40px)"),
    }]));
    assert_eq!(stage.update().style.restyled, 1);
    // A colour (inherited) flows down to the 40 children.
    stage.handle(batch(vec![Op::SetAttribute {
        id: NodeId(1),
        name: "style".into(),
        value: json!("transform: translateY(-40px); color: red"),
    }]));
    assert_eq!(stage.update().style.restyled, 41);
}

#[test]
fn an_idle_sent_before_the_latest_event_arrived_does_not_settle() {
    let mut stage = stage_with("");
    stage.handle(ToRender::PageReady { page: PAGE });
    stage.handle(ToRender::Idle { handled: 0 });
    assert!(stage.is_settled());
    // The host sends a tap; the logic thread's Idle from before it crosses it.
    stage.note_sent_to_logic();
    assert!(!stage.is_settled());
    stage.handle(ToRender::Idle { handled: 0 });
    assert!(!stage.is_settled(), "a stale Idle must not settle the app");
    stage.handle(ToRender::Idle { handled: 1 });
    assert!(stage.is_settled());
}
