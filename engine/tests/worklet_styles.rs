//! `applyAnimatedStyle` on the stage: a binding's updater reads shared
//! values, an animation moves them on the frame clock, and the nodes the
//! selector matched take the style in that frame, restyled alone: a
//! transform or an opacity never enters the layout pass. Shared values the
//! UI thread wrote leave for the logic thread with the frame's events.

mod common;

use cirrus_engine::layout::style::TransformFunction;
use cirrus_engine::ops::NodeId;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::stage::Stage;
use common::{batch, element, stage_with, PAGE};
use serde_json::{json, Value};
use std::time::Duration;

fn worklet(source: &str, closure: Value) -> Value {
    json!({"__cirrusWorklet": {
        "hash": source.len() as u64 * 31 + source.bytes().map(u64::from).sum::<u64>(),
        "source": source,
        "location": "pages/index/index.js:10:5",
        "closure": closure,
    }})
}

/// A bottom sheet (1) with a handle (2), and a list row (3) elsewhere.
fn sheet_page() -> Stage {
    let mut stage = stage_with(".sheet { height: 300px; } .handle { height: 20px; }");
    let mut ops = element(1, 0, "view", &[("class", json!("sheet"))]);
    ops.extend(element(2, 1, "view", &[("class", json!("handle"))]));
    ops.extend(element(3, 0, "view", &[("class", json!("row"))]));
    stage.handle(batch(ops));
    stage.update();
    stage
}

fn translate_y(stage: &Stage, id: u32) -> Option<f32> {
    let node = stage.top_page()?.tree.get(NodeId(id))?;
    node.style.transform.iter().find_map(|f| match f {
        TransformFunction::Translate(_, y, _) => Some(y.resolve(0.0)),
        _ => None,
    })
}

fn opacity(stage: &Stage, id: u32) -> f32 {
    stage
        .top_page()
        .unwrap()
        .tree
        .get(NodeId(id))
        .unwrap()
        .style
        .opacity
}

#[test]
fn an_animated_style_follows_its_shared_value_without_layout() {
    let mut stage = sheet_page();
    stage.handle(ToRender::WorkletShared {
        values: vec![(1, json!(0))],
    });
    let updater = worklet(
        "function (c) { return function () { return { transform: 'translateY(' + c.offset.value + 'px)', opacity: 1 - c.offset.value / 200 }; }; }",
        json!({"offset": {"__cirrusShared": 1}}),
    );
    stage.handle(ToRender::ApplyAnimatedStyle {
        page: PAGE,
        scope: None,
        selector: ".sheet".into(),
        id: 1,
        updater,
        immediate: true,
    });
    stage.set_time(Duration::from_millis(0));
    stage.update();
    assert_eq!(translate_y(&stage, 1), Some(0.0));
    assert_eq!(translate_y(&stage, 3), None, "the row is not bound");
    // The logic thread starts a linear 100 ms timing to 100.
    stage.handle(ToRender::WorkletShared {
        values: vec![(
            1,
            json!({"__cirrusAnimation": {"name": "timing", "args": [
                100, {"duration": 100, "easing": {"__cirrusBuiltin": "Easing.linear"}}
            ]}}),
        )],
    });
    let mut reported = Vec::new();
    for frame in 1..=6 {
        let now = Duration::from_millis(frame * 20);
        // The animation ends at 100 ms: the frame after has nothing to draw.
        assert_eq!(stage.set_time(now), frame <= 5, "frame {frame}");
        let stats = stage.update();
        assert!(
            !stats.layout_ran,
            "frame {frame}: a transform relaid out: {stats:?}"
        );
        let expected = (frame * 20).min(100) as f32;
        assert_eq!(translate_y(&stage, 1), Some(expected), "frame {frame}");
        assert!((opacity(&stage, 1) - (1.0 - expected / 200.0)).abs() < 1e-4);
        for event in stage.take_events() {
            if let ToLogic::WorkletShared { values } = event {
                reported.extend(values);
            }
        }
    }
    assert_eq!(reported.last(), Some(&(1, json!(100))));
    assert!(!stage.is_animating());
    // Cleared: the node's own style comes back.
    stage.handle(ToRender::ClearAnimatedStyle { page: PAGE, id: 1 });
    stage.update();
    assert_eq!(translate_y(&stage, 1), None);
    assert_eq!(opacity(&stage, 1), 1.0);
}

#[test]
fn a_layout_property_relayouts_and_a_throwing_updater_is_located() {
    let mut stage = sheet_page();
    stage.handle(ToRender::WorkletShared {
        values: vec![(5, json!(40))],
    });
    let grow = worklet(
        "function (c) { return function () { return { height: c.h.value }; }; }",
        json!({"h": {"__cirrusShared": 5}}),
    );
    stage.handle(ToRender::ApplyAnimatedStyle {
        page: PAGE,
        scope: None,
        selector: ".handle".into(),
        id: 2,
        updater: grow,
        immediate: true,
    });
    stage.set_time(Duration::from_millis(16));
    let stats = stage.update();
    assert!(stats.layout_ran);
    let height = stage
        .top_page()
        .unwrap()
        .tree
        .get(NodeId(2))
        .unwrap()
        .layout
        .layout()
        .size
        .height;
    assert_eq!(height, 40.0);
    let broken = worklet(
        "function (c) { return function () {\n  return c.missing.value; }; }",
        json!({}),
    );
    stage.handle(ToRender::ApplyAnimatedStyle {
        page: PAGE,
        scope: None,
        selector: ".row".into(),
        id: 3,
        updater: broken,
        immediate: true,
    });
    stage.set_time(Duration::from_millis(32));
    stage.update();
    let error = stage
        .diagnostics()
        .iter()
        .find(|d| d.message.contains("worklet"))
        .expect("the updater's error is reported");
    assert_eq!(
        (error.file.as_str(), error.line),
        ("pages/index/index.js", 11)
    );
}
