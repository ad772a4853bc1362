//! CSS transitions and `@keyframes` animations on the render thread,
//! driven by a controlled clock (`Stage::set_time`): values at exact
//! instants, no layout for paint-only properties, events, settling.

use cirrus_engine::layout::style::{Color, TransformFunction};
mod common;

use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op, OpBatch};
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::stage::Stage;
use common::{view, PAGE};
use serde_json::json;
use std::time::Duration;

/// The harness stage at device pixel ratio 1.
fn stage_with(wxss: &str) -> Stage {
    common::stage_sized(wxss, Viewport::new(375.0, 667.0, 1.0))
}

fn set_class(stage: &mut Stage, id: u32, class: &str) {
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![Op::SetAttribute {
            id: NodeId(id),
            name: "class".into(),
            value: json!(class),
        }],
    }));
}

fn at(stage: &mut Stage, ms: u64) -> cirrus_engine::stage::FrameStats {
    stage.set_time(Duration::from_millis(ms));
    stage.update()
}

fn style(stage: &Stage, id: u32) -> cirrus_engine::layout::style::ComputedStyle {
    let page = stage.top_page().expect("a page");
    page.tree.get(NodeId(id)).expect("node").style.clone()
}

fn width_of(stage: &mut Stage, index: usize) -> f64 {
    stage.layout_json()["root"]["children"][index]["width"]
        .as_f64()
        .expect("a width")
}

fn event_names(stage: &mut Stage) -> Vec<(String, serde_json::Value)> {
    stage
        .take_events()
        .into_iter()
        .map(|e| match e {
            ToLogic::Event(event) => (event.name, event.detail.to_json()),
            other => panic!("not an event: {other:?}"),
        })
        .collect()
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-3
}

#[test]
fn opacity_transition_runs_on_the_clock_without_layout() {
    let mut stage = stage_with(
        ".a { width: 10px; height: 10px; transition: opacity 1s linear } .a.hidden { opacity: 0 }",
    );
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: view(1, 0, "a"),
    }));
    at(&mut stage, 0);
    assert_eq!(
        style(&stage, 1).opacity,
        1.0,
        "a first style never transitions"
    );
    assert!(!stage.is_animating());

    set_class(&mut stage, 1, "a hidden");
    let started = at(&mut stage, 1000);
    assert_eq!(style(&stage, 1).opacity, 1.0, "it starts where it was");
    assert_eq!(started.style.layout_invalidated, 0);
    assert!(stage.is_animating());

    let mid = at(&mut stage, 1250);
    assert!(
        close(style(&stage, 1).opacity, 0.75),
        "{}",
        style(&stage, 1).opacity
    );
    assert_eq!(mid.motion.repainted, 1);
    assert_eq!(mid.style.restyled, 0, "a tick restyles nothing");
    assert!(!mid.layout_ran, "opacity never lays out");
    assert!(event_names(&mut stage).is_empty());

    at(&mut stage, 2000);
    assert_eq!(style(&stage, 1).opacity, 0.0);
    assert!(!stage.is_animating());
    let events = event_names(&mut stage);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "transitionend");
    assert_eq!(events[0].1["propertyName"], "opacity");
}

#[test]
fn a_transition_retargets_from_where_it_is() {
    let mut stage = stage_with(".a { transition: opacity 1s linear } .a.hidden { opacity: 0 }");
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: view(1, 0, "a"),
    }));
    at(&mut stage, 0);
    set_class(&mut stage, 1, "a hidden");
    at(&mut stage, 100);
    at(&mut stage, 600);
    assert!(close(style(&stage, 1).opacity, 0.5));
    // Back to visible half-way: from 0.5 to 1 over a full second.
    set_class(&mut stage, 1, "a");
    at(&mut stage, 600);
    assert!(close(style(&stage, 1).opacity, 0.5));
    at(&mut stage, 1100);
    assert!(
        close(style(&stage, 1).opacity, 0.75),
        "{}",
        style(&stage, 1).opacity
    );
    at(&mut stage, 1600);
    assert_eq!(style(&stage, 1).opacity, 1.0);
}

#[test]
fn transform_and_colour_interpolate_with_easing_and_delay() {
    let mut stage = stage_with(
        ".a { width: 10px; height: 10px; background-color: #000000; \
         transition: transform 1s ease-in-out, background-color 1s linear 500ms } \
         .a.on { transform: translateX(100px); background-color: #ffffff }",
    );
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: view(1, 0, "a"),
    }));
    at(&mut stage, 0);
    set_class(&mut stage, 1, "a on");
    at(&mut stage, 0);
    let frame = at(&mut stage, 500);
    assert!(!frame.layout_ran);
    let s = style(&stage, 1);
    match s.transform.as_slice() {
        [TransformFunction::Translate(x, _, _)] => {
            // ease-in-out is symmetric: half the distance at half the time.
            assert_eq!(*x, cirrus_engine::layout::style::LengthPercentage::Px(50.0))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        s.background_color,
        Color::rgba8(0, 0, 0, 1.0),
        "still in its delay"
    );
    at(&mut stage, 1000);
    let grey = style(&stage, 1).background_color;
    assert!(close(grey.r, 0.5) && close(grey.g, 0.5), "{grey:?}");
    at(&mut stage, 1500);
    assert_eq!(style(&stage, 1).background_color, Color::WHITE);
    let names: Vec<String> = event_names(&mut stage).into_iter().map(|e| e.0).collect();
    assert_eq!(names, ["transitionend", "transitionend"]);
}

#[test]
fn a_width_transition_lays_out_each_frame() {
    let mut stage = stage_with(
        ".w { width: 100px; height: 10px; transition: width 1s linear } .w.wide { width: 200px }",
    );
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: view(1, 0, "w"),
    }));
    at(&mut stage, 0);
    assert_eq!(width_of(&mut stage, 0), 100.0);
    set_class(&mut stage, 1, "w wide");
    at(&mut stage, 0);
    let mid = at(&mut stage, 500);
    assert_eq!(mid.motion.restyle_requested, 1);
    assert!(mid.layout_ran);
    assert_eq!(width_of(&mut stage, 0), 150.0);
    at(&mut stage, 1000);
    assert_eq!(width_of(&mut stage, 0), 200.0);
}

#[test]
fn keyframes_animate_with_iterations_events_and_forwards_fill() {
    let mut stage = stage_with(
        "@keyframes spin { from { transform: rotate(0deg) } to { transform: rotate(360deg) } } \
         @keyframes fade { 0% { opacity: 1 } 50% { opacity: 0.2 } 100% { opacity: 0.6 } } \
         .s { width: 10px; height: 10px; animation: spin 1s linear infinite } \
         .f { width: 10px; height: 10px; animation: fade 2s linear 1 }",
    );
    let mut ops = view(1, 0, "s");
    ops.extend(view(2, 0, "f"));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    at(&mut stage, 0);
    let names: Vec<String> = event_names(&mut stage).into_iter().map(|e| e.0).collect();
    assert_eq!(names, ["animationstart", "animationstart"]);

    let frame = at(&mut stage, 250);
    assert!(!frame.layout_ran, "transform and opacity never lay out");
    assert_eq!(frame.motion.repainted, 2);
    assert_eq!(
        style(&stage, 1).transform,
        [TransformFunction::Rotate(0.0, 0.0, 1.0, 90.0)]
    );
    // A quarter into the first interval (1 -> 0.2).
    assert!(
        close(style(&stage, 2).opacity, 0.8),
        "{}",
        style(&stage, 2).opacity
    );
    at(&mut stage, 1000);
    assert!(close(style(&stage, 2).opacity, 0.2));
    at(&mut stage, 1250);
    assert_eq!(
        style(&stage, 1).transform,
        [TransformFunction::Rotate(0.0, 0.0, 1.0, 90.0)],
        "the second iteration starts over"
    );
    let events = event_names(&mut stage);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].0, "animationiteration");
    assert_eq!(events[0].1["animationName"], "spin");

    at(&mut stage, 2500);
    assert!(
        close(style(&stage, 2).opacity, 0.6),
        "Skyline fills forwards: the last frame stays"
    );
    let names: Vec<String> = event_names(&mut stage).into_iter().map(|e| e.0).collect();
    assert!(names.contains(&"animationend".to_owned()), "{names:?}");
    assert!(stage.is_animating(), "the infinite one keeps going");
}

#[test]
fn settling_waits_for_finite_motion_only() {
    let mut stage = stage_with(
        "@keyframes spin { to { transform: rotate(360deg) } } \
         .s { animation: spin 1s infinite } \
         .a { transition: opacity 300ms } .a.hidden { opacity: 0 }",
    );
    let mut ops = view(1, 0, "s");
    ops.extend(view(2, 0, "a"));
    stage.handle(ToRender::Ops(OpBatch { page: PAGE, ops }));
    stage.handle(ToRender::PageReady { page: PAGE });
    stage.handle(ToRender::Idle { handled: 0 });
    at(&mut stage, 0);
    assert!(
        stage.is_settled(),
        "an infinite animation never settles, so it is not waited for"
    );
    set_class(&mut stage, 2, "a hidden");
    stage.handle(ToRender::Idle { handled: 0 });
    at(&mut stage, 10);
    assert!(!stage.is_settled(), "a running transition is waited for");
    at(&mut stage, 400);
    assert!(stage.is_settled());
}

#[test]
fn a_text_colour_transition_repaints_without_invalidating_layout() {
    let mut stage =
        stage_with(".t { color: #000000; transition: color 1s linear } .t.on { color: #ffffff }");
    stage.handle(ToRender::Ops(OpBatch {
        page: PAGE,
        ops: vec![
            Op::CreateElement {
                id: NodeId(1),
                tag: "text".into(),
            },
            Op::SetAttribute {
                id: NodeId(1),
                name: "class".into(),
                value: json!("t"),
            },
            Op::Insert {
                parent: NodeId::ROOT,
                child: NodeId(1),
                before: None,
            },
            Op::CreateText {
                id: NodeId(2),
                text: "colour".into(),
            },
            Op::Insert {
                parent: NodeId(1),
                child: NodeId(2),
                before: None,
            },
        ],
    }));
    at(&mut stage, 0);
    set_class(&mut stage, 1, "t on");
    at(&mut stage, 0);
    let mid = at(&mut stage, 500);
    assert_eq!(
        mid.style.layout_invalidated, 0,
        "colour never invalidates layout"
    );
    let page = stage.top_page().expect("page");
    let paragraph = page
        .tree
        .get(NodeId(1))
        .and_then(|n| n.layout.paragraph.as_ref());
    let colour = paragraph.expect("a paragraph").spans[0].style.color;
    assert!(
        close(colour.r, 0.5),
        "the text is painted mid-way: {colour:?}"
    );
}
