//! The UI context's runtime (`cirrus_engine::worklet::runtime`): shared
//! values written on either thread, worklets rebuilt from the logic
//! thread's payloads, animations on the frame clock, mappers, `runOnJS`, UI
//! timers, and the limits (a worklet that never returns, errors located at
//! the author's line).

use cirrus_engine::worklet::runtime::WorkletRuntime;
use serde_json::{json, Value};

/// A worklet payload as the logic thread sends it: `source` is a factory
/// taking the captured closure.
fn worklet(source: &str, location: &str, closure: Value) -> Value {
    json!({"__cirrusWorklet": {
        "hash": fxhash(source),
        "source": source,
        "location": location,
        "closure": closure,
    }})
}

fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn shared(id: u64) -> Value {
    json!({"__cirrusShared": id})
}

fn value_of(frame: &cirrus_engine::worklet::runtime::WorkletFrame, id: u64) -> Option<f64> {
    frame
        .shared
        .iter()
        .rev()
        .find(|(i, _)| *i == id)
        .and_then(|(_, v)| v.as_f64())
}

#[test]
fn a_worklet_writes_a_shared_value_that_the_frame_reports() {
    let mut ui = WorkletRuntime::new().unwrap();
    ui.set_shared(1, &json!(10), 0.0);
    // The logic thread's own write is not echoed back.
    assert!(ui.frame(0.0).shared.is_empty());
    let add = worklet(
        "function (c) { return function add(n) { c.offset.value = c.offset.value + n * c.step; }; }",
        "pages/sheet/sheet.js:4:3",
        json!({"offset": shared(1), "step": 2}),
    );
    ui.run(&add, &json!([5]), 16.0);
    let frame = ui.frame(16.0);
    assert!(frame.errors.is_empty(), "{:?}", frame.errors);
    assert_eq!(value_of(&frame, 1), Some(20.0));
}

#[test]
fn captured_objects_are_frozen_and_errors_name_the_authors_line() {
    let mut ui = WorkletRuntime::new().unwrap();
    // Written at line 12, column 5 of the page; the throwing statement is
    // on the worklet's second line, so line 13.
    let bad = worklet(
        "function (c) { return function grow() {\n  c.config.size = 2; }; }",
        "pages/index/index.js:12:5",
        json!({"config": {"size": 1}}),
    );
    ui.run(&bad, &json!([]), 0.0);
    let errors = ui.frame(0.0).errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, "pages/index/index.js");
    assert_eq!(errors[0].line, 13);
    assert!(
        errors[0].message.contains("TypeError"),
        "{}",
        errors[0].message
    );
}

#[test]
fn an_animation_assigned_in_a_worklet_moves_the_value_frame_by_frame() {
    let mut ui = WorkletRuntime::new().unwrap();
    ui.set_shared(1, &json!(0), 0.0);
    let start = worklet(
        "function (c) { return function () { c.x.value = c.timing(100, { duration: 100, easing: c.Easing.linear }); }; }",
        "pages/a/a.js:1:1",
        json!({"x": shared(1), "timing": {"__cirrusBuiltin": "timing"}, "Easing": {"__cirrusBuiltin": "Easing"}}),
    );
    ui.run(&start, &json!([]), 0.0);
    let mut seen = Vec::new();
    for frame in 1..=7 {
        let now = frame as f64 * 16.0;
        let out = ui.frame(now);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        seen.push(value_of(&out, 1).expect("written every frame"));
    }
    assert!((seen[0] - 16.0).abs() < 1e-6, "{seen:?}");
    assert!((seen[2] - 48.0).abs() < 1e-6, "{seen:?}");
    assert_eq!(seen[6], 100.0);
    assert!(!ui.is_busy());
}

#[test]
fn an_animation_made_on_the_js_thread_is_built_here() {
    let mut ui = WorkletRuntime::new().unwrap();
    ui.set_shared(2, &json!(0), 0.0);
    let animation = json!({"__cirrusAnimation": {"name": "timing", "args": [
        32, {"duration": 32, "easing": {"__cirrusBuiltin": "Easing.linear"}}
    ]}});
    ui.set_shared(2, &animation, 0.0);
    assert!(ui.is_busy());
    assert_eq!(value_of(&ui.frame(16.0), 2), Some(16.0));
    assert_eq!(value_of(&ui.frame(32.0), 2), Some(32.0));
}

#[test]
fn a_mapper_reruns_when_what_it_read_changes_and_derived_values_chain() {
    let mut ui = WorkletRuntime::new().unwrap();
    ui.set_shared(1, &json!(0), 0.0);
    // derived: shared 2 = shared 1 * 2
    let double = worklet(
        "function (c) { return function () { return c.a.value * 2; }; }",
        "pages/a/a.js:3:1",
        json!({"a": shared(1)}),
    );
    ui.add_mapper(10, &double, Some(2), 0.0);
    // An animated style reading the derived value.
    let style = worklet(
        "function (c) { return function () { return { transform: 'translateY(' + c.b.value + 'px)' }; }; }",
        "pages/a/a.js:5:1",
        json!({"b": shared(2)}),
    );
    ui.add_mapper(11, &style, None, 0.0);
    let first = ui.frame(0.0);
    assert_eq!(
        first.outputs,
        vec![(11, json!({"transform": "translateY(0px)"}))]
    );
    // Unchanged inputs: no output.
    assert!(ui.frame(16.0).outputs.is_empty());
    ui.set_shared(1, &json!(21), 20.0);
    let next = ui.frame(32.0);
    assert_eq!(
        next.outputs,
        vec![(11, json!({"transform": "translateY(42px)"}))]
    );
    assert_eq!(value_of(&next, 2), Some(42.0));
}

#[test]
fn run_on_js_queues_calls_and_a_direct_call_names_the_function() {
    let mut ui = WorkletRuntime::new().unwrap();
    let notify = json!({"__cirrusRemote": {"id": 7, "name": "onClosed"}});
    let ok = worklet(
        "function (c) { return function () { c.runOnJS(c.onClosed)('sheet', 3); }; }",
        "pages/a/a.js:1:1",
        json!({"runOnJS": {"__cirrusBuiltin": "runOnJS"}, "onClosed": notify}),
    );
    ui.run(&ok, &json!([]), 0.0);
    let frame = ui.frame(0.0);
    assert_eq!(frame.js_calls, vec![(7, json!(["sheet", 3]))]);
    let wrong = worklet(
        "function (c) { return function () { c.onClosed(); }; }",
        "pages/a/a.js:9:1",
        json!({"onClosed": notify}),
    );
    ui.run(&wrong, &json!([]), 0.0);
    let errors = ui.frame(0.0).errors;
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.contains("onClosed"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[0].message.contains("runOnJS"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[0].line, 9);
}

#[test]
fn ui_timers_fire_on_the_frame_clock() {
    let mut ui = WorkletRuntime::new().unwrap();
    ui.set_shared(1, &json!(0), 0.0);
    let later = worklet(
        "function (c) { return function () { setTimeout(function () { c.x.value = 1; }, 100); }; }",
        "pages/a/a.js:1:1",
        json!({"x": shared(1)}),
    );
    ui.run(&later, &json!([]), 0.0);
    assert!(ui.is_busy());
    assert_eq!(value_of(&ui.frame(96.0), 1), None);
    assert_eq!(value_of(&ui.frame(112.0), 1), Some(1.0));
    assert!(!ui.is_busy());
}

#[test]
fn a_worklet_that_never_returns_costs_one_budget_and_the_runtime_goes_on() {
    let mut ui = WorkletRuntime::new().unwrap();
    let spin = worklet(
        "function () { return function spin() { for (;;) {} }; }",
        "pages/a/a.js:20:1",
        json!({}),
    );
    let started = std::time::Instant::now();
    ui.run(&spin, &json!([]), 0.0);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let errors = ui.frame(0.0).errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.contains("interrupted"),
        "{}",
        errors[0].message
    );
    // Still usable.
    ui.set_shared(1, &json!(0), 0.0);
    let set = worklet(
        "function (c) { return function () { c.x.value = 5; }; }",
        "pages/a/a.js:1:1",
        json!({"x": shared(1)}),
    );
    ui.run(&set, &json!([]), 16.0);
    assert_eq!(value_of(&ui.frame(16.0), 1), Some(5.0));
}
