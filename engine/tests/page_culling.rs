//! A page never scrolls (Skyline: a scroll-view does), so paint skips the
//! page's children that lie wholly outside the window, but never a
//! transformed one or one holding a `position: fixed` box.

mod common;

use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::protocol::ToRender;
use cirrus_engine::render::{DisplayItem, DisplayList};
use common::{view, PAGE};
use serde_json::json;

/// Rect items of colour `rgb` (0..=1 per channel, within 0.05).
fn rects_of(list: &DisplayList, rgb: (f32, f32, f32)) -> usize {
    let near = |a: f32, b: f32| (a - b).abs() < 0.05;
    list.iter()
        .filter(|i| {
            matches!(i, DisplayItem::Rect { color, .. }
                if near(color.r, rgb.0) && near(color.g, rgb.1) && near(color.b, rgb.2))
        })
        .count()
}

#[test]
fn rows_below_the_window_are_not_painted() {
    let mut stage = common::stage_sized(
        ".row { height: 100px; flex-shrink: 0; background-color: #ff0000 } \
         .moved { transform: translateY(-5000px); background-color: #00ff00 } \
         .pinned { position: fixed; top: 0; left: 0; width: 10px; height: 10px; \
                   background-color: #0000ff }",
        Viewport::new(375.0, 600.0, 1.0),
    );
    let mut ops = Vec::new();
    for i in 0..100 {
        ops.extend(view(1 + i, 0, "row"));
    }
    // Row 60 is moved into view by a transform; row 80 holds a fixed box.
    ops.push(Op::SetAttribute {
        id: NodeId(61),
        name: "class".into(),
        value: json!("row moved"),
    });
    ops.extend(view(1000, 81, "pinned"));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.update();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    // 600 px of window: rows 0..=6 touch it (row 6 starts at 600), and
    // row 80 is painted for the fixed box it holds.
    assert_eq!(rects_of(&list, (1.0, 0.0, 0.0)), 8);
    assert_eq!(
        rects_of(&list, (0.0, 1.0, 0.0)),
        1,
        "a transformed row is never culled"
    );
    assert_eq!(
        rects_of(&list, (0.0, 0.0, 1.0)),
        1,
        "a fixed box is never culled"
    );
    let paint_all_rows = 100;
    assert!(
        list.items.len() < paint_all_rows,
        "{} items",
        list.items.len()
    );
}
