//! Issue 10, the JS runtimes: a hostile page cannot abort, hang or exhaust
//! the logic thread. Each case runs a page that hits one limit (heap, JS
//! stack, the watchdog in every place JS runs), asserts the located
//! diagnostic, and then taps a handler to show the app keeps running.

mod harness;

use cirrus_engine::ops::{NodeId, Op, PageId};
use cirrus_engine::protocol::{EventDetail, ToLogic, ToRender, UiEvent};
use cirrus_engine::Diagnostic;
use cirrus_js_bridge::LogicOptions;
use harness::{batches, errors, one_page_app, Harness};
use serde_json::json;
use std::time::Duration;

/// Short enough to keep each case fast, long enough for a debug build to
/// run the page's ordinary code.
const TEST_WATCHDOG: Duration = Duration::from_millis(300);
/// A heap small enough to fill quickly.
const TEST_HEAP: usize = 48 << 20;

const TAPPABLE_WXML: &str = r#"<view bindtap="tap">{{label}}</view>"#;

/// Launches a one-page app whose page script is `page_js` (its WXML has one
/// tappable view) and returns the harness, the launch's messages and the
/// tappable node.
fn launch(page_js: &str) -> (Harness, Vec<ToRender>, PageId, NodeId) {
    let files = one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", TAPPABLE_WXML),
    ]);
    let harness = Harness::start_configured(files, |options: &mut LogicOptions| {
        options.watchdog = TEST_WATCHDOG;
        options.memory_limit_bytes = TEST_HEAP;
    });
    let messages = harness.launch("pages/index/index", "");
    let batch = batches(&messages)
        .into_iter()
        .next()
        .expect("the page renders");
    let view = batch
        .ops
        .iter()
        .find_map(|op| match op {
            Op::CreateElement { id, tag } if tag == "view" => Some(*id),
            _ => None,
        })
        .expect("the page has its view");
    (harness, messages, batch.page, view)
}

/// Taps the view and returns the console lines the tap added.
fn tap(harness: &Harness, page: PageId, node: NodeId) -> (Vec<String>, Vec<Diagnostic>) {
    let before = harness.console().len();
    harness
        .to_logic
        .send(ToLogic::Event(UiEvent::new(
            page,
            node,
            "tap",
            EventDetail::Value(json!({ "x": 1, "y": 2 })),
        )))
        .expect("logic alive");
    let messages = harness.until_idle();
    (harness.console()[before..].to_vec(), errors(&messages))
}

const TAP_HANDLER: &str = "tap() { console.log('tapped'); }";

/// The app survived: a tap still runs its handler.
fn assert_still_running(harness: &Harness, page: PageId, node: NodeId) {
    let (console, errors) = tap(harness, page, node);
    assert_eq!(console, ["tapped"], "{errors:#?}");
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The one error of the launch, in the page's script.
fn single_page_error(messages: &[ToRender]) -> Diagnostic {
    let errors: Vec<Diagnostic> = errors(messages)
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0].clone();
    assert_eq!(error.file, "pages/index/index.js", "{error}");
    assert!(error.line >= 1 && error.column >= 1, "{error}");
    error
}

#[test]
fn an_endless_allocation_is_out_of_memory_at_its_line_and_the_app_keeps_running() {
    let page_js = format!(
        "Page({{\n  onLoad() {{\n    let a = [];\n    for (;;) a.push(new Array(1e5).fill(1));\n  }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    let error = single_page_error(&messages);
    assert!(error.message.contains("out of memory"), "{error}");
    assert!(error.message.contains("MiB"), "{error}");
    assert_eq!(error.line, 4, "{error}");
    assert_still_running(&harness, page, view);
    // The freed heap is usable again: the app can allocate normally.
    assert_still_running(&harness, page, view);
}

#[test]
fn an_endless_then_callback_is_interrupted_without_aborting() {
    // rquickjs 0.9 aborted here (gc_decref_child assertion, rquickjs #663).
    let page_js = format!(
        "Page({{\n  onLoad() {{\n    Promise.resolve().then(() => {{\n      for (;;) {{}}\n    }});\n  }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    let error = single_page_error(&messages);
    assert!(error.message.contains("interrupted"), "{error}");
    assert_still_running(&harness, page, view);
}

#[test]
fn an_async_function_looping_after_await_is_interrupted() {
    let page_js = format!(
        "async function spin() {{\n  await null;\n  for (;;) {{}}\n}}\nPage({{\n  onLoad() {{ spin(); }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    let error = single_page_error(&messages);
    assert!(error.message.contains("interrupted"), "{error}");
    assert_still_running(&harness, page, view);
}

#[test]
fn an_endless_microtask_chain_is_interrupted_once() {
    let page_js = format!(
        "function again() {{ Promise.resolve().then(again); }}\nPage({{\n  onLoad() {{ again(); again(); }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    let error = single_page_error(&messages);
    assert!(error.message.contains("interrupted"), "{error}");
    assert_still_running(&harness, page, view);
}

#[test]
fn a_backtracking_regular_expression_is_interrupted() {
    let page_js = format!(
        "Page({{\n  onLoad() {{\n    console.log(/(a+)+$/.test('a'.repeat(40) + 'b'));\n  }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    let error = single_page_error(&messages);
    assert!(error.message.contains("interrupted"), "{error}");
    assert_eq!(error.line, 3, "{error}");
    assert_still_running(&harness, page, view);
}

#[test]
fn json_on_deep_input_is_a_range_error_not_a_native_overflow() {
    let page_js = format!(
        "Page({{\n  onLoad() {{\n    let o = {{}};\n    for (let i = 0; i < 200000; i++) o = {{ a: o }};\n    try {{ JSON.stringify(o); }} catch (e) {{ console.log('stringify', e.name); }}\n    try {{ JSON.parse('['.repeat(200000)); }} catch (e) {{ console.log('parse', e.name); }}\n    JSON.stringify(o);\n  }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    assert_eq!(
        harness.console(),
        ["stringify RangeError", "parse RangeError"]
    );
    let error = single_page_error(&messages);
    assert!(error.message.starts_with("RangeError"), "{error}");
    assert_eq!(error.line, 7, "{error}");
    assert_still_running(&harness, page, view);
}

#[test]
fn set_data_never_reaches_a_prototype() {
    let page_js = r#"Page({
  onLoad() {
    this.setData({ '__proto__.polluted': 1, 'constructor.prototype.x': 2, 'a.__proto__.b': 3, label: 'ok' });
    this.setData({ own: JSON.parse('{"__proto__": {"polluted": 1}}') });
    const probe = {};
    console.log([probe.polluted, probe.x, probe.b, Object.prototype.polluted].join(','));
    console.log(this.data.label, Object.getPrototypeOf(this.data.own) === Object.prototype,
      this.data.own.polluted, Object.keys(this.data.own).join());
  },
  tap() { console.log('tapped'); }
});"#;
    let (harness, messages, page, view) = launch(page_js);
    assert_eq!(harness.console(), [",,,", "ok true undefined __proto__"]);
    let diagnostics = errors(&messages);
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
    for (diagnostic, key) in diagnostics.iter().zip([
        "__proto__.polluted",
        "constructor.prototype.x",
        "a.__proto__.b",
    ]) {
        assert!(!diagnostic.is_error(), "{diagnostic}");
        assert!(diagnostic.message.contains("refused"), "{diagnostic}");
        assert!(diagnostic.message.contains(key), "{diagnostic}");
        assert_eq!(
            (diagnostic.file.as_str(), diagnostic.line),
            ("pages/index/index.js", 3),
            "{diagnostic}"
        );
    }
    // The key beside the refused ones rendered.
    assert!(
        batches(&messages)
            .iter()
            .flat_map(|b| &b.ops)
            .any(|op| matches!(op, Op::SetText { text, .. } if text == "ok")),
        "{messages:#?}"
    );
    assert_still_running(&harness, page, view);
}

#[test]
fn an_app_that_replaces_built_ins_cannot_steer_set_data() {
    // The engine captured these before app code ran.
    let page_js = r#"
Object.keys = function () { return ['__proto__']; };
JSON.stringify = function () { return '{"polluted":1}'; };
Array.isArray = function () { return true; };
Page({
  onLoad() { this.setData({ label: 'kept' }); console.log(this.data.label, ({}).polluted); },
  tap() { console.log('tapped'); }
});"#;
    let (harness, messages, page, view) = launch(page_js);
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(harness.console(), ["kept undefined"]);
    assert_still_running(&harness, page, view);
}

/// `depth` nested arrays around 1, built in JS.
fn nested_js(depth: usize) -> String {
    format!("(function () {{ let v = 1; for (let i = 0; i < {depth}; i++) v = [v]; return v; }})()")
}

#[test]
fn deep_data_is_accepted_up_to_the_limit_and_deeper_drops_only_its_key() {
    let page_js = format!(
        r#"function depthOf(v) {{ let d = 0; while (Array.isArray(v)) {{ v = v[0]; d++; }} return d; }}
Page({{
  onLoad() {{
    this.setData({{ deep: {deep}, label: 'a' }});
    console.log(depthOf(this.data.deep));
    this.setData({{ tooDeep: {too_deep}, label: 'b' }});
    this.setData({{ farTooDeep: {far_too_deep}, label: 'c' }});
    console.log(this.data.tooDeep, this.data.farTooDeep, this.data.label);
  }},
  {TAP_HANDLER}
}});"#,
        deep = nested_js(1_000),
        too_deep = nested_js(2_500),
        far_too_deep = nested_js(300_000),
    );
    let (harness, messages, page, view) = launch(&page_js);
    let diagnostics = errors(&messages);
    assert_eq!(
        harness.console(),
        ["1000", "undefined undefined c"],
        "{diagnostics:#?}"
    );
    assert_eq!(diagnostics.len(), 2, "{diagnostics:#?}");
    for (diagnostic, (key, line)) in diagnostics.iter().zip([("tooDeep", 6), ("farTooDeep", 7)]) {
        assert!(
            diagnostic.message.contains("nested too deeply"),
            "{diagnostic}"
        );
        assert!(diagnostic.message.contains(key), "{diagnostic}");
        assert_eq!(
            (diagnostic.file.as_str(), diagnostic.line),
            ("pages/index/index.js", line),
            "{diagnostic}"
        );
    }
    assert_still_running(&harness, page, view);
}

#[test]
fn lone_surrogates_are_carried_as_replacement_characters() {
    let page_js = format!(
        "Page({{\n  onLoad() {{\n    this.setData({{ label: 'a\\ud800b', ['k\\udc00']: 1 }});\n    console.log(this.data.label.length, this.data['k\\ufffd']);\n  }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, messages, page, view) = launch(&page_js);
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    // A value keeps its string in JS, and the view shows U+FFFD for the
    // lone half; a key is read (on both sides) with U+FFFD in its place.
    assert_eq!(harness.console(), ["3 1"]);
    assert!(
        batches(&messages)
            .iter()
            .flat_map(|b| &b.ops)
            .any(|op| matches!(op, Op::SetText { text, .. } if text == "a\u{FFFD}b")),
        "{messages:#?}"
    );
    assert_still_running(&harness, page, view);
}

#[test]
fn a_component_set_data_never_reaches_a_prototype_either() {
    let files = one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.json", r#"{"usingComponents":{"card":"/card/card"}}"#),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<card/>"),
        ("card/card.json", r#"{"component":true}"#),
        (
            "card/card.js",
            "Component({\n  lifetimes: { attached() {\n    this.setData({ '__proto__.polluted': 1, label: 'ok' });\n    console.log(({}).polluted, this.data.label);\n  } }\n});",
        ),
        ("card/card.wxml", "<view>{{label}}</view>"),
    ]);
    let harness = Harness::start(files);
    let messages = harness.launch("pages/index/index", "");
    assert_eq!(harness.console(), ["undefined ok"]);
    let diagnostics = errors(&messages);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert!(
        diagnostics[0].message.contains("refused"),
        "{}",
        diagnostics[0]
    );
    assert_eq!(
        (diagnostics[0].file.as_str(), diagnostics[0].line),
        ("card/card.js", 3),
        "{}",
        diagnostics[0]
    );
}

#[test]
fn the_console_keeps_only_the_last_lines() {
    let page_js = format!(
        "Page({{\n  onLoad() {{\n    for (let i = 0; i < 1500; i++) console.log('line ' + i);\n    console.log('x'.repeat(100000));\n  }},\n  {TAP_HANDLER}\n}});"
    );
    let (harness, _, _, _) = launch(&page_js);
    let console = harness.console();
    assert_eq!(console.len(), cirrus_js_bridge::MAX_CONSOLE_LINES + 1);
    assert!(
        console[0].contains("501 earlier line(s) dropped"),
        "{}",
        console[0]
    );
    let last = console.last().expect("lines");
    assert!(last.len() < cirrus_js_bridge::MAX_CONSOLE_LINE_BYTES + 100);
    assert!(
        last.contains("line truncated"),
        "{}",
        &last[last.len() - 80..]
    );
}
