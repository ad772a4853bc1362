//! Initial rendering of every WXML construct, with exact op assertions.

mod common;

use cirrus_protocol::ops::{NodeId, Op};
use cirrus_template::{EventKind, TemplateGroup};
use common::{n, Page, PAGE};
use serde_json::json;

fn el(id: u32, tag: &str) -> Op {
    Op::CreateElement {
        id: n(id),
        tag: tag.into(),
    }
}
fn text(id: u32, t: &str) -> Op {
    Op::CreateText {
        id: n(id),
        text: t.into(),
    }
}
fn ins(parent: u32, child: u32) -> Op {
    Op::Insert {
        parent: n(parent),
        child: n(child),
        before: None,
    }
}
fn attr(id: u32, name: &str, value: serde_json::Value) -> Op {
    Op::SetAttribute {
        id: n(id),
        name: name.into(),
        value,
    }
}

#[test]
fn text_mustache_and_whitespace() {
    let page = Page::new(
        "<view>\n  Hello {{name}}!\n</view>\n<text>{{count}}</text>",
        json!({"name": "Ann", "count": 3}),
    );
    assert_eq!(
        page.ops,
        vec![
            el(1, "view"),
            text(2, "\n  Hello Ann!\n"),
            ins(1, 2),
            ins(0, 1),
            el(3, "text"),
            text(4, "3"),
            ins(3, 4),
            ins(0, 3),
        ]
    );
}

#[test]
fn undefined_and_null_render_as_empty_text() {
    let page = Page::new(
        "<text>[{{missing}}|{{nothing}}|{{a.b.c}}]</text>",
        json!({"nothing": null}),
    );
    assert_eq!(page.render(), r#"<text>"[||]"</text>"#);
}

#[test]
fn expressions() {
    let cases: &[(&str, serde_json::Value, &str)] = &[
        (
            "{{a.b[1].c}}",
            json!({"a": {"b": [0, {"c": "deep"}]}}),
            "deep",
        ),
        ("{{list[i]}}", json!({"list": ["x", "y"], "i": 1}), "y"),
        ("{{a + b * 2 - 1}}", json!({"a": 1, "b": 3}), "6"),
        ("{{a / 4}}", json!({"a": 1}), "0.25"),
        ("{{7 % 3}}", json!({}), "1"),
        ("{{'hello ' + name}}", json!({"name": "Bo"}), "hello Bo"),
        ("{{\"n\" + 1 + 2}}", json!({}), "n12"),
        ("{{a > 1 && b <= 2}}", json!({"a": 2, "b": 2}), "true"),
        (
            "{{a === '1'}}|{{a == '1'}}|{{a != 1}}",
            json!({"a": 1}),
            "false|true|false",
        ),
        (
            "{{!flag}}|{{-n}}|{{+s}}|{{typeof s}}",
            json!({"flag": false, "n": 5, "s": "7"}),
            "true|-5|7|string",
        ),
        ("{{ok ? 'yes' : 'no'}}", json!({"ok": 0}), "no"),
        (
            "{{a || 'dflt'}}|{{b && b.x}}|{{c ?? 'nc'}}",
            json!({"b": {"x": 9}}),
            "dflt|9|nc",
        ),
        ("{{[1, x, 3]}}", json!({"x": 2}), "1,2,3"),
        ("{{list.length}}", json!({"list": [1, 2, 3]}), "3"),
        ("{{0.1 + 0.2}}", json!({}), "0.30000000000000004"),
        ("{{1 / 0}}", json!({}), "Infinity"),
        ("{{obj}}", json!({"obj": {"a": 1}}), "[object Object]"),
        ("{{{a: 1, b: x}.b}}", json!({"x": "ob"}), "ob"),
    ];
    for (source, data, expected) in cases {
        let page = Page::new(&format!("<text>{source}</text>"), data.clone());
        assert_eq!(
            page.render(),
            format!("<text>\"{expected}\"</text>"),
            "source: {source}"
        );
        assert!(page.diags.is_empty(), "{source}: {:?}", page.diags);
    }
}

#[test]
fn attribute_values_keep_raw_types_for_a_single_mustache() {
    let page = Page::new(
        r#"<slider value="{{v}}" step="{{5}}" id="item-{{id}}" checked="{{false}}" disabled label="plain" />"#,
        json!({"v": 42, "id": 7}),
    );
    assert_eq!(
        page.ops,
        vec![
            el(1, "slider"),
            attr(1, "id", json!("item-7")),
            attr(1, "value", json!(42)),
            attr(1, "step", json!(5)),
            attr(1, "checked", json!(false)),
            attr(1, "disabled", json!(true)),
            attr(1, "label", json!("plain")),
            ins(0, 1),
        ]
    );
}

#[test]
fn object_spread_in_attribute() {
    let page = Page::new(
        r#"<view data-x="{{...a, b, c: 3}}" />"#,
        json!({"a": {"p": 1, "c": 0}, "b": 2}),
    );
    assert_eq!(
        page.ops[1],
        attr(1, "data-x", json!({"p": 1, "c": 3, "b": 2}))
    );
    let dataset = page.instance.dataset(n(1));
    assert_eq!(dataset.get("x"), Some(&json!({"p": 1, "c": 3, "b": 2})));
}

#[test]
fn class_style_hidden_and_dataset() {
    let page = Page::new(
        r#"<view class="a {{on ? 'c' : ''}}" style="width: {{w}}px; color: red" hidden="{{h}}" data-item-id="{{id}}" />
<view hidden />
<view class="x" class:active="{{on}}" class:off="{{!on}}" style:height="{{w}}px" />"#,
        json!({"on": true, "w": 30, "h": 0, "id": 5}),
    );
    assert_eq!(
        page.ops,
        vec![
            el(1, "view"),
            attr(1, "class", json!("a c")),
            attr(1, "style", json!("width: 30px; color: red")),
            attr(1, "hidden", json!(false)),
            attr(1, "data-item-id", json!(5)),
            ins(0, 1),
            el(2, "view"),
            attr(2, "hidden", json!(true)),
            ins(0, 2),
            el(3, "view"),
            attr(3, "class", json!("x active")),
            attr(3, "style", json!("height:30px;")),
            ins(0, 3),
        ]
    );
    assert_eq!(page.instance.dataset(n(1)).get("itemId"), Some(&json!(5)));
}

#[test]
fn events_are_recorded_not_emitted() {
    let page = Page::new(
        r#"<view bindtap="onTap" catch:touchstart="onStart" mut-bind:tap="onMut" capture-bind:tap="onCap" capture-catch:longpress="onCc" bind:change="{{handler}}" mark:row="{{3}}">x</view>"#,
        json!({"handler": "dyn"}),
    );
    assert!(page
        .ops
        .iter()
        .all(|op| !matches!(op, Op::SetAttribute { name, .. } if name.contains("tap"))));
    let handlers: Vec<_> = page
        .instance
        .event_handlers(n(1))
        .iter()
        .map(|e| (e.event.as_str(), e.kind, e.handler.as_str()))
        .collect();
    assert!(
        handlers.contains(&("tap", EventKind::Bind, "onTap")),
        "{handlers:?}"
    );
    assert!(handlers.contains(&("touchstart", EventKind::Catch, "onStart")));
    assert!(handlers.contains(&("tap", EventKind::MutBind, "onMut")));
    assert!(handlers.contains(&("tap", EventKind::CaptureBind, "onCap")));
    assert!(handlers.contains(&("longpress", EventKind::CaptureCatch, "onCc")));
    assert!(handlers.contains(&("change", EventKind::Bind, "dyn")));
    assert_eq!(handlers.len(), 6);
    assert_eq!(page.instance.marks(n(1)).get("row"), Some(&json!(3)));
    assert!(
        page.instance.event_handlers(n(2)).is_empty(),
        "text nodes have no handlers"
    );
}

#[test]
fn worklet_handlers_travel_as_attributes_naming_the_method() {
    let page = Page::new(
        r#"<scroll-view scroll-y worklet:onscrollupdate="onListScroll" bindscroll="onScroll"><view/></scroll-view>"#,
        json!({}),
    );
    assert!(
        page.ops
            .contains(&attr(1, "worklet:onscrollupdate", json!("onListScroll"))),
        "{:?}",
        page.ops
    );
    // A plain event handler stays on the logic thread.
    assert!(page
        .ops
        .iter()
        .all(|op| !matches!(op, Op::SetAttribute { name, .. } if name == "bindscroll")));
}

#[test]
fn wx_if_elif_else_renders_one_branch() {
    let source = r#"<view wx:if="{{n > 5}}">big</view><view wx:elif="{{n > 2}}">mid</view><text wx:else>small</text>"#;
    assert_eq!(
        Page::new(source, json!({"n": 9})).render(),
        r#"<view>"big"</view>"#
    );
    assert_eq!(
        Page::new(source, json!({"n": 3})).render(),
        r#"<view>"mid"</view>"#
    );
    assert_eq!(
        Page::new(source, json!({"n": 1})).render(),
        r#"<text>"small"</text>"#
    );
}

#[test]
fn wx_for_with_item_index_names_and_block() {
    let page = Page::new(
        r#"<block wx:for="{{list}}" wx:for-item="row" wx:for-index="i" wx:key="id"><text>{{i}}:{{row.name}}</text><text>!</text></block>"#,
        json!({"list": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}),
    );
    assert_eq!(
        page.render(),
        r#"<text>"0:a"</text><text>"!"</text><text>"1:b"</text><text>"!"</text>"#
    );
}

#[test]
fn wx_for_defaults_nested_loops_and_strings() {
    let page = Page::new(
        r#"<view wx:for="{{rows}}"><text wx:for="{{item}}" wx:for-item="cell">{{index}}{{cell}}</text></view><text wx:for="ab">{{item}}</text>"#,
        json!({"rows": [["x", "y"], ["z"]]}),
    );
    assert_eq!(
        page.render(),
        r#"<view><text>"0x"</text><text>"1y"</text></view><view><text>"0z"</text></view><text>"a"</text><text>"b"</text>"#
    );
}

#[test]
fn template_is_and_data() {
    let page = Page::new(
        r#"<template name="card"><view class="card">{{title}}-{{n + 1}}</view></template>
<template is="card" data="{{...info, n}}" />
<template is="{{which}}" data="{{title: 'dyn', n: 0}}" />"#,
        json!({"info": {"title": "T"}, "n": 1, "which": "card"}),
    );
    assert_eq!(
        page.render(),
        r#"<view class="card">"T-2"</view><view class="card">"dyn-1"</view>"#
    );
}

#[test]
fn import_and_include() {
    let page = Page::with_files(
        &[
            (
                PAGE,
                r#"<import src="../../common/tpl.wxml"/><include src="/common/header" /><template is="badge" data="{{label}}"/>"#,
            ),
            (
                "common/tpl.wxml",
                r#"<import src="deeper.wxml"/><template name="badge"><text>[{{label}}]</text></template>"#,
            ),
            (
                "common/deeper.wxml",
                r#"<template name="deep"><text>deep</text></template>"#,
            ),
            (
                "common/header.wxml",
                r#"<template name="hidden-tpl"><text>no</text></template><view class="header">{{title}}</view>"#,
            ),
        ],
        json!({"label": "L", "title": "Head"}),
    );
    assert_eq!(
        page.render(),
        r#"<view class="header">"Head"</view><text>"[L]"</text>"#
    );
    assert!(page.diags.is_empty(), "{:?}", page.diags);
}

#[test]
fn imports_are_not_transitive_and_templates_not_included() {
    let page = Page::with_files(
        &[
            (
                PAGE,
                r#"<import src="/common/tpl.wxml"/><include src="/common/header.wxml"/><template is="deep"/><template is="hidden-tpl"/>"#,
            ),
            ("common/tpl.wxml", r#"<import src="deeper.wxml"/>"#),
            (
                "common/deeper.wxml",
                r#"<template name="deep"><text>deep</text></template>"#,
            ),
            (
                "common/header.wxml",
                r#"<template name="hidden-tpl"><text>no</text></template>"#,
            ),
        ],
        json!({}),
    );
    assert_eq!(page.render(), "");
    let missing: Vec<_> = page
        .diags
        .iter()
        .filter(|d| d.message.contains("is not defined"))
        .collect();
    assert_eq!(missing.len(), 2, "{:?}", page.diags);
    assert_eq!((missing[0].line, missing[0].column), (1, 69));
}

#[test]
fn load_with_reads_dependencies_and_reports_missing_files_at_the_tag() {
    let mut group = TemplateGroup::new();
    let read = |path: &str| -> Option<String> {
        match path {
            "pages/a/a.wxml" => {
                Some("<view/>\n  <import src=\"./t\"/>\n<include src=\"../../gone.wxml\"/>".into())
            }
            "pages/a/t.wxml" => {
                Some("<include src=\"inc\"/><template name=\"t\"><text>t</text></template>".into())
            }
            "pages/a/inc.wxml" => Some("<text>inc</text>".into()),
            _ => None,
        }
    };
    let diags = group.load_with("pages/a/a.wxml", &read);
    assert!(group.contains("pages/a/t.wxml"));
    assert!(group.contains("pages/a/inc.wxml"));
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(
        (diags[0].file.as_str(), diags[0].line, diags[0].column),
        // At the opening quote of the `src` value.
        ("pages/a/a.wxml", 3, 14)
    );
    assert!(diags[0].is_error);
}

#[test]
fn malformed_wxml_gives_positioned_diagnostics_and_still_renders() {
    let mut group = TemplateGroup::new();
    let diags = group.add_file(PAGE, "<view>\n  <text>ok</text>\n  <view>\n</view>");
    let unclosed: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("end tag"))
        .collect();
    assert_eq!(unclosed.len(), 1, "{diags:?}");
    assert_eq!((unclosed[0].line, unclosed[0].column), (1, 2));
    assert!(unclosed[0].is_error);
    let (_, ops, _) = cirrus_template::PageInstance::new(&group, PAGE, &json!({}), 1);
    assert!(!ops.is_empty());

    let diags = group.add_file(PAGE, "<view>\n  <text>{{a + }}</text>\n</view>");
    assert!(diags.iter().any(|d| d.line == 2 && d.is_error), "{diags:?}");
    let (_, ops, _) = cirrus_template::PageInstance::new(&group, PAGE, &json!({"a": 1}), 1);
    assert!(ops
        .iter()
        .any(|op| matches!(op, Op::CreateElement { tag, .. } if tag == "text")));
}

#[test]
fn function_calls_are_diagnosed_and_read_undefined() {
    let page = Page::new(
        "<view>\n  <text>[{{ fmt(a) }}]</text></view>",
        json!({"a": 1}),
    );
    assert_eq!(page.render(), r#"<view><text>"[]"</text></view>"#);
    assert_eq!(page.diags.len(), 1, "{:?}", page.diags);
    assert_eq!((page.diags[0].line, page.diags[0].column), (2, 13));
}

#[test]
fn wxs_is_parsed_and_ignored() {
    let mut group = TemplateGroup::new();
    let diags = group.add_file(
        PAGE,
        "<wxs module=\"m\">module.exports.x = 1;</wxs><text>{{m.x}}|{{y}}</text>",
    );
    assert!(diags.iter().all(|d| !d.is_error), "{diags:?}");
    let (_, ops, _) = cirrus_template::PageInstance::new(&group, PAGE, &json!({"y": 2}), 1);
    assert!(
        ops.contains(&Op::CreateText {
            id: NodeId(2),
            text: "|2".into()
        }),
        "{ops:?}"
    );
}

#[test]
fn nodes_are_allocated_from_first_id() {
    let group = common::group(&[(PAGE, "<view><text>a</text></view>")]);
    let (_, ops, _) = cirrus_template::PageInstance::new(&group, PAGE, &json!({}), 100);
    assert_eq!(ops[0], el(100, "view"));
    assert_eq!(ops[1], el(101, "text"));
    assert_eq!(ops[2], text(102, "a"));
}

#[test]
fn missing_page_is_a_diagnostic() {
    let group = TemplateGroup::new();
    let (_, ops, diags) =
        cirrus_template::PageInstance::new(&group, "pages/none.wxml", &json!({}), 1);
    assert!(ops.is_empty());
    assert!(diags[0].is_error);
}

#[test]
fn hidden_follows_js_truthiness_and_string_false_is_truthy() {
    let page = Page::new(
        r#"<view hidden="false"/><view hidden=""/><view hidden="{{'false'}}"/><view hidden="{{0}}"/><view hidden="{{missing}}"/>"#,
        json!({}),
    );
    let hidden: Vec<_> = page
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::SetAttribute { name, value, .. } if name == "hidden" => Some(value.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        hidden,
        vec![
            json!(true),
            json!(false),
            json!(true),
            json!(false),
            json!(false)
        ]
    );
}

#[test]
fn mustache_in_wx_key_is_read_as_the_property_name() {
    let mut group = TemplateGroup::new();
    let diags = group.add_file(
        PAGE,
        r#"<text wx:for="{{list}}" wx:key="{{id}}">{{item.id}}</text>"#,
    );
    assert!(
        diags.iter().any(|d| d.message.contains("wx:key")),
        "{diags:?}"
    );
    let mut page = Page::new(
        r#"<text wx:for="{{list}}" wx:key="{{id}}">{{item.id}}</text>"#,
        json!({"list": [{"id": 1}, {"id": 2}]}),
    );
    let ops = page.set(&[("list", json!([{"id": 2}, {"id": 1}]))]);
    assert!(
        ops.iter().all(|op| matches!(op, Op::Insert { .. })),
        "keyed by id: {ops:?}"
    );
}
