//! `<scroll-view>` on the render thread: clamping, the attributes that
//! move it, input, hit testing and queries after a scroll, on-demand paint
//! (culling) and the events sent to the logic thread. Stages are driven
//! directly with hand-built op batches, no threads.

mod common;

use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::query::{
    IntersectionObserve, QueryAnswer, QueryFields, QueryRequest, QueryTarget, RelativeTo,
};
use cirrus_engine::render::{DisplayItem, DisplayList};
use cirrus_engine::stage::Stage;
use common::{element, PAGE};
use serde_json::{json, Value};

/// The scroll-view's node id in every page built here.
const SCROLLER: NodeId = NodeId(1);
/// Item `i` is node `ITEM_BASE + 2 * i`, its `<text>` the next id, and the
/// text run the one after that in the `+ 100_000` range.
const ITEM_BASE: u32 = 10;

const WXSS: &str = "
.sv { height: 400px; width: 300px; border-top: 10px solid #000000; padding-top: 5px }
.item { height: 40px; background-color: #ff0000 }
.wide { width: 200px; height: 30px }
.row { flex-direction: row }
";

fn item_id(i: u32) -> NodeId {
    NodeId(ITEM_BASE + 2 * i)
}

/// A page holding one `.sv` scroll-view (extra attributes `attrs`) with
/// `items` 40px `.item`s, each with an id `i<n>` and a `<text>` label.
fn list_stage(items: u32, attrs: &[(&str, Value)]) -> Stage {
    let mut stage = stage_with(WXSS);
    let mut scroller_attrs = vec![("class", json!("sv"))];
    scroller_attrs.extend(attrs.iter().cloned());
    let mut ops = element(SCROLLER.0, 0, "scroll-view", &scroller_attrs);
    for i in 0..items {
        let id = item_id(i).0;
        ops.extend(element(
            id,
            SCROLLER.0,
            "view",
            &[("class", json!("item")), ("id", json!(format!("i{i}")))],
        ));
        ops.extend(element(id + 1, id, "text", &[]));
        ops.push(Op::CreateText {
            id: NodeId(100_000 + i),
            text: format!("Item {i}"),
        });
        ops.push(Op::Insert {
            parent: NodeId(id + 1),
            child: NodeId(100_000 + i),
            before: None,
        });
    }
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    frame(&mut stage);
    stage
}

/// The index of the item (or its label) hit at `(x, y)`.
fn item_at(stage: &mut Stage, x: f32, y: f32) -> Option<u32> {
    let hit = stage.hit_test(x, y)?.0;
    (ITEM_BASE..ITEM_BASE + 2_000)
        .contains(&hit)
        .then(|| (hit - ITEM_BASE) / 2)
}

fn set_attribute(stage: &mut Stage, id: NodeId, name: &str, value: Value) {
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id,
            name: name.into(),
            value,
        }],
    }));
}

/// Style, layout and paint, as the render thread makes a frame.
fn frame(stage: &mut Stage) -> DisplayList {
    stage.update();
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    list
}

fn offset(stage: &Stage) -> (f32, f32) {
    stage
        .scroll_offset_of(SCROLLER)
        .expect("the scroll-view has scroll state")
}

/// Events as `(name, detail)`, all for the scroll-view.
fn events(stage: &mut Stage) -> Vec<(String, Value)> {
    stage
        .take_scroll_events()
        .into_iter()
        .map(|e| match e {
            ToLogic::Event(event) => {
                assert_eq!((event.page, event.node), (PAGE, SCROLLER));
                (event.name, event.detail.to_json())
            }
            other => panic!("not an event: {other:?}"),
        })
        .collect()
}

/// The red item backgrounds in a display list.
fn item_rects(list: &DisplayList) -> usize {
    list.iter()
        .filter(|i| matches!(i, DisplayItem::Rect { color, .. } if color.r > 0.9 && color.g < 0.1))
        .count()
}

fn glyph_runs(list: &DisplayList) -> usize {
    list.iter()
        .filter(|i| matches!(i, DisplayItem::Glyphs { .. }))
        .count()
}

#[test]
fn the_range_is_the_content_less_the_padding_box_and_input_is_clamped() {
    // 20 items of 40px plus 5px of padding in the padding box below the
    // 10px top border.
    let mut stage = list_stage(20, &[("scroll-y", json!(true))]);
    let layout = stage.layout_json();
    let sv = &layout["root"]["children"][0];
    let padding_box = sv["height"].as_f64().unwrap() - 10.0;
    let item = &sv["children"][0];
    assert_eq!(item["height"], json!(40.0), "items are not shrunk to fit");
    let max = 20.0 * 40.0 + 5.0 - padding_box;
    assert!(stage.scroll_by(50.0, 100.0, 0.0, 10_000.0));
    assert_eq!(offset(&stage), (0.0, max as f32));
    assert!(
        !stage.scroll_by(50.0, 100.0, 0.0, 5.0),
        "at the end: nothing moves"
    );
    assert!(
        !stage.scroll_by(50.0, 100.0, 30.0, 0.0),
        "no scroll-x: the horizontal axis does not move"
    );
    assert!(stage.scroll_by(50.0, 100.0, 0.0, -10_000.0));
    assert_eq!(offset(&stage), (0.0, 0.0));
    assert!(
        !stage.scroll_by(50.0, 500.0, 0.0, 40.0),
        "below the scroll-view nothing scrolls"
    );
}

#[test]
fn scrolling_changes_no_style_and_no_layout() {
    let mut stage = list_stage(50, &[("scroll-y", json!(true))]);
    assert!(stage.scroll_by(10.0, 10.0, 0.0, 120.0));
    let stats = stage.update();
    assert!(!stats.layout_ran, "{stats:?}");
    assert_eq!(stats.style.restyled, 0, "{stats:?}");
    assert_eq!(offset(&stage), (0.0, 120.0));
}

#[test]
fn scroll_top_and_scroll_into_view_set_the_offset_and_a_relayout_reclamps() {
    let mut stage = list_stage(20, &[("scroll-y", json!(true)), ("scroll-top", json!(120))]);
    assert_eq!(offset(&stage), (0.0, 120.0), "applied at the first frame");
    // The user scrolls; an unchanged attribute does not pull it back.
    stage.scroll_by(10.0, 100.0, 0.0, 30.0);
    set_attribute(&mut stage, NodeId(ITEM_BASE), "data-x", json!(1));
    frame(&mut stage);
    assert_eq!(offset(&stage), (0.0, 150.0));
    set_attribute(&mut stage, SCROLLER, "scroll-top", json!("60px"));
    frame(&mut stage);
    assert_eq!(offset(&stage), (0.0, 60.0), "a new value applies");
    // scroll-into-view beats scroll-top: item 5 starts 5 * 40 + 5 (the
    // scroll-view's padding) below the padding box's top.
    set_attribute(&mut stage, SCROLLER, "scroll-top", json!(10));
    set_attribute(&mut stage, SCROLLER, "scroll-into-view", json!("i5"));
    frame(&mut stage);
    assert_eq!(offset(&stage), (0.0, 205.0));
    // Removing items shrinks the content: the offset is clamped again.
    let ops = (3..20).map(|i| Op::Remove { id: item_id(i) }).collect();
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    frame(&mut stage);
    assert_eq!(offset(&stage), (0.0, 0.0), "3 items fit: nothing to scroll");
}

#[test]
fn hit_testing_queries_and_the_layout_file_see_the_scrolled_boxes() {
    let mut stage = list_stage(30, &[("scroll-y", json!(true))]);
    // The content starts at y = 15 (border + padding); item i at 15 + 40i.
    assert_eq!(item_at(&mut stage, 20.0, 20.0), Some(0));
    assert!(stage.scroll_by(20.0, 20.0, 0.0, 100.0));
    // y = 20 is content y 120: item 2 (95..135 in content coordinates).
    assert_eq!(item_at(&mut stage, 20.0, 20.0), Some(2));
    assert_eq!(
        stage.hit_test(20.0, 5.0),
        Some(SCROLLER),
        "the border is not scrolled and clips"
    );
    let layout = stage.layout_json();
    let items = &layout["root"]["children"][0]["children"];
    assert_eq!(items[2]["y"], json!(15.0 + 80.0 - 100.0));
    stage.handle(ToRender::Query {
        id: 1,
        page: PAGE,
        requests: vec![
            QueryRequest {
                target: QueryTarget::First("#i2".into()),
                fields: QueryFields {
                    rect: true,
                    ..QueryFields::default()
                },
                scope: None,
            },
            QueryRequest {
                target: QueryTarget::First(".sv".into()),
                fields: QueryFields {
                    scroll_offset: true,
                    ..QueryFields::default()
                },
                scope: None,
            },
        ],
    });
    let replies = stage.answer_queries(0.0);
    let Some(ToLogic::QueryResult { results, .. }) = replies.first() else {
        panic!("no query result: {replies:?}");
    };
    let results = QueryAnswer::list_to_json(results);
    assert_eq!(results[0]["top"], json!(-5.0));
    assert_eq!(results[0]["bottom"], json!(35.0));
    assert_eq!(results[1]["scrollTop"], json!(100.0));
    assert_eq!(results[1]["scrollLeft"], json!(0.0));
    assert_eq!(results[1]["scrollHeight"], json!(30.0 * 40.0 + 5.0));
}

#[test]
fn only_the_items_in_the_clip_are_painted() {
    let mut stage = list_stage(1000, &[("scroll-y", json!(true))]);
    let list = frame(&mut stage);
    // The padding box spans 10..400 (border-box sizing): items 0..=9 reach
    // into it (item 9 spans 375..415 in page coordinates).
    assert_eq!(item_rects(&list), 10);
    assert_eq!(glyph_runs(&list), 10);
    assert!(stage.scroll_by(20.0, 20.0, 0.0, 20_000.0));
    let list = frame(&mut stage);
    // The clip shows content y 20,010..20,400 (border-box coordinates):
    // items 499 (19,975..20,015) through 509 (20,375..20,415).
    assert_eq!(item_rects(&list), 11);
    assert_eq!(glyph_runs(&list), 11);
    let first_painted = list.iter().find_map(|i| match i {
        DisplayItem::Rect { rect, color, .. } if color.r > 0.9 && color.g < 0.1 => Some(rect.y),
        _ => None,
    });
    // Item 499's top: 15 + 499 * 40 - 20,000 = -25.
    assert_eq!(first_painted, Some(-25.0));
}

#[test]
fn cache_extent_paints_more_and_a_transformed_child_is_never_culled() {
    let mut stage = list_stage(
        200,
        &[("scroll-y", json!(true)), ("cache-extent", json!(100))],
    );
    let list = frame(&mut stage);
    // 100px more below the clip (to 500): items 0..=12 (item 12 starts at 495).
    assert_eq!(item_rects(&list), 13);
    set_attribute(
        &mut stage,
        item_id(150),
        "style",
        json!("transform: translateY(-5800px)"),
    );
    let list = frame(&mut stage);
    assert_eq!(
        item_rects(&list),
        14,
        "the far, transformed item is painted"
    );
}

#[test]
fn events_are_coalesced_per_frame_with_scroll_detail_and_edge_events() {
    let mut stage = list_stage(
        20,
        &[("scroll-y", json!(true)), ("lower-threshold", json!(100))],
    );
    assert!(events(&mut stage).is_empty(), "nothing moved yet");
    stage.scroll_by(20.0, 20.0, 0.0, 30.0);
    stage.scroll_by(20.0, 20.0, 0.0, 20.0);
    let got = events(&mut stage);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "scroll");
    assert_eq!(
        got[0].1,
        json!({"scrollLeft": 0.0, "scrollTop": 50.0, "scrollWidth": 300.0,
               "scrollHeight": 805.0, "deltaX": 0.0, "deltaY": -50.0})
    );
    assert!(events(&mut stage).is_empty(), "reported once");
    // The range is 805 - 390 = 415; 320 is within 100 of the end.
    stage.scroll_by(20.0, 20.0, 0.0, 270.0);
    let names: Vec<String> = events(&mut stage).into_iter().map(|e| e.0).collect();
    assert_eq!(names, ["scroll", "scrolltolower"]);
    stage.scroll_by(20.0, 20.0, 0.0, 50.0);
    let names: Vec<String> = events(&mut stage).into_iter().map(|e| e.0).collect();
    assert_eq!(
        names,
        ["scroll"],
        "still near the end: no second scrolltolower"
    );
    stage.scroll_by(20.0, 20.0, 0.0, -350.0);
    let got = events(&mut stage);
    assert_eq!(
        got[1],
        ("scrolltoupper".to_owned(), json!({"direction": "top"}))
    );
}

#[test]
fn a_horizontal_scroll_view_inside_a_vertical_one_takes_the_horizontal_delta() {
    let mut stage = stage_with(WXSS);
    let mut ops = element(
        1,
        0,
        "scroll-view",
        &[("class", json!("sv")), ("scroll-y", json!(""))],
    );
    ops.extend(element(
        2,
        1,
        "scroll-view",
        &[("class", json!("row")), ("scroll-x", json!(""))],
    ));
    for i in 0..5 {
        ops.extend(element(10 + i, 2, "view", &[("class", json!("wide"))]));
    }
    for i in 0..20 {
        ops.extend(element(20 + i, 1, "view", &[("class", json!("item"))]));
    }
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    frame(&mut stage);
    // The inner row: 5 x 200px in a 300px wide box.
    assert!(stage.scroll_by(20.0, 20.0, 150.0, 40.0));
    assert_eq!(stage.scroll_offset_of(NodeId(2)), Some((150.0, 0.0)));
    assert_eq!(stage.scroll_offset_of(NodeId(1)), Some((0.0, 40.0)));
    // The inner row now starts 40px higher: (20, 20) is below it.
    assert_eq!(stage.hit_test(20.0, 20.0), Some(NodeId(20)));
    assert!(stage.scroll_by(20.0, 20.0, 0.0, -40.0));
    // Content x 170 is in the first wide box (0..200).
    assert_eq!(stage.hit_test(20.0, 20.0), Some(NodeId(10)));
    assert!(stage.scroll_by(20.0, 20.0, 1000.0, 0.0));
    assert_eq!(stage.scroll_offset_of(NodeId(2)), Some((700.0, 0.0)));
    // x 20 + 700 = 720: the fourth box (600..800).
    assert_eq!(stage.hit_test(20.0, 20.0), Some(NodeId(13)));
}

#[test]
fn intersection_observers_look_again_after_a_scroll() {
    // A scroll-view taller than the window, so its items can leave the
    // viewport: item 20 (815..855) starts below the 667px fold.
    let mut stage = list_stage(40, &[("scroll-y", json!(true))]);
    set_attribute(&mut stage, SCROLLER, "style", json!("height: 1000px"));
    frame(&mut stage);
    stage.handle(ToRender::ObserveIntersection(IntersectionObserve {
        id: 3,
        page: PAGE,
        target: "#i20".into(),
        observe_all: false,
        relative_to: vec![RelativeTo::Viewport(Default::default())],
        thresholds: vec![0.0],
        initial_ratio: 0.0,
        scope: None,
    }));
    assert!(stage.answer_queries(0.0).is_empty(), "not visible yet");
    assert!(stage.scroll_by(20.0, 20.0, 0.0, 300.0));
    let replies = stage.answer_queries(16.0);
    let Some(ToLogic::Intersection { entry, .. }) = replies.first() else {
        panic!("no notification after the scroll: {replies:?}");
    };
    let entry = entry.to_json();
    assert_eq!(entry["boundingClientRect"]["top"], json!(515.0));
    assert_eq!(entry["intersectionRatio"], json!(1.0));
}

/// The harness stage at device pixel ratio 1.
fn stage_with(wxss: &str) -> Stage {
    common::stage_sized(wxss, Viewport::new(375.0, 667.0, 1.0))
}
