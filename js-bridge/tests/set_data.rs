//! setData end to end: data-path keys reach the Rust mirror and the
//! template instance, and come out as one small op batch per call.

mod harness;

use cirrus_engine::ops::{NodeId, Op};
use cirrus_engine::protocol::ToRender;
use harness::{batches, errors, one_page_app, op_text, Harness};

/// The node id of the text run created with `text` in `ops`.
fn text_node(ops: &[Op], text: &str) -> NodeId {
    ops.iter()
        .find_map(|op| match op {
            Op::CreateText { id, text: t } if t == text => Some(*id),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no text run {text:?} in {ops:#?}"))
}

#[test]
fn path_keys_change_exactly_the_bound_text() {
    let page_js = r#"
Page({
  data: { user: { name: 'Alice' }, list: ['a', 'b', 'c'] },
  onReady() {
    this.setData({ 'user.name': 'Bob', 'list[1]': 'B' });
  },
});
"#;
    let wxml =
        "<view><text>{{user.name}}</text><text>{{list[1]}}</text><text>{{list[2]}}</text></view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    let batches = batches(&messages);
    assert_eq!(
        batches.len(),
        2,
        "the initial build, then one batch for the one setData: {batches:#?}"
    );
    let alice = text_node(&batches[0].ops, "Alice");
    let b = text_node(&batches[0].ops, "b");
    let mut update = batches[1].ops.clone();
    update.sort_by_key(|op| format!("{op:?}"));
    assert_eq!(
        update,
        [
            Op::SetText {
                id: alice,
                text: "Bob".into()
            },
            Op::SetText {
                id: b,
                text: "B".into()
            }
        ]
    );
    // PageReady follows the batch that onReady's setData sent.
    assert!(
        matches!(messages.last(), Some(ToRender::PageReady { .. })),
        "{messages:#?}"
    );
}

#[test]
fn set_data_updates_this_data_synchronously_and_calls_back_after_the_batch() {
    let page_js = r#"
Page({
  data: { count: 1 },
  onLoad() {
    this.setData({ count: 2, 'deep.list[2].x': 5, skipped: undefined }, function () {
      console.log('callback', this === getCurrentPages()[0], this.data.count);
    });
    console.log('sync', this.data.count, JSON.stringify(this.data.deep), 'skipped' in this.data);
    this.setData({});
  },
});
"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view>{{count}}</view>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    assert_eq!(
        h.console(),
        [
            r#"sync 2 {"list":[null,null,{"x":5}]} false"#,
            "callback true 2"
        ]
    );
    let batches = batches(&messages);
    assert_eq!(
        batches.len(),
        2,
        "an empty setData sends no batch: {batches:#?}"
    );
    assert!(
        batches[1].ops.iter().any(|op| op_text(op) == Some("2")),
        "{:#?}",
        batches[1]
    );
}

#[test]
fn an_invalid_path_is_reported_and_the_valid_keys_still_apply() {
    let page_js = "Page({\n  data: { a: 1 },\n  onLoad() {\n    this.setData({ 'a': 2, 'b[x]': 3 });\n    console.log(this.data.a, JSON.stringify(this.data.b));\n  },\n});\n";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view>{{a}}</view>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("pages/index/index.js", 4),
        "{}",
        errors[0]
    );
    assert!(errors[0].message.contains("b[x]"), "{}", errors[0]);
    assert_eq!(h.console(), ["2 undefined"]);
}

#[test]
fn one_row_of_a_thousand_costs_a_constant_number_of_ops() {
    let page_js = r#"
const rows = [];
for (let i = 0; i < 1000; i++) rows.push({ id: i, name: 'row ' + i });
Page({
  data: { rows },
  onReady() { setTimeout(() => this.setData({ 'rows[500].name': 'x' }), 16); },
});
"#;
    let wxml = r#"<view wx:for="{{rows}}" wx:key="id"><text>{{item.name}}</text></view>"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    let initial = batches(&messages);
    assert_eq!(initial.len(), 1);
    assert!(
        initial[0].ops.len() >= 3000,
        "1000 rows of view + text + run: {}",
        initial[0].ops.len()
    );
    let row_500 = text_node(&initial[0].ops, "row 500");

    let messages = h.advance(16);
    let batches = batches(&messages);
    assert_eq!(batches.len(), 1, "{batches:#?}");
    assert_eq!(
        batches[0].ops,
        [Op::SetText {
            id: row_500,
            text: "x".into()
        }]
    );
}

#[test]
fn an_oversized_payload_warns_but_applies() {
    let page_js = r#"
Page({
  onLoad() {
    this.setData({ big: 'x'.repeat(1100 * 1024) });
    console.log('length', this.data.big.length);
  },
});
"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("pages/index/index", "");
    let lines = h.handle.as_ref().unwrap().console_lines();
    assert_eq!(
        lines.len(),
        2,
        "{:?}",
        lines
            .iter()
            .map(|l| &l.text[..40.min(l.text.len())])
            .collect::<Vec<_>>()
    );
    assert_eq!(lines[0].level, cirrus_js_bridge::ConsoleLevel::Warn);
    assert!(lines[0].text.contains("1024 kB"), "{}", lines[0].text);
    assert_eq!(lines[1].text, format!("length {}", 1100 * 1024));
}
