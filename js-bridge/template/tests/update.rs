//! Updates: minimal ops for setData, dependency precision, list
//! reconciliation, branch and template switches.

mod common;

use cirrus_protocol::ops::Op;
use common::{n, Page};
use serde_json::{json, Value};

fn rows(count: usize) -> Value {
    Value::Array(
        (0..count)
            .map(|i| json!({"id": i, "name": format!("row {i}")}))
            .collect(),
    )
}

const KEYED: &str = r#"<view wx:for="{{rows}}" wx:key="id"><text>{{item.name}}</text></view>"#;

/// The node ids of the row views, in document order.
fn row_views(page: &Page) -> Vec<cirrus_protocol::ops::NodeId> {
    page.tree.children(cirrus_protocol::ops::NodeId::ROOT)
}

#[test]
fn acceptance_one_row_name_change_is_one_set_text_visiting_one_binding() {
    let mut page = Page::new(KEYED, json!({ "rows": rows(1000) }));
    assert_eq!(row_views(&page).len(), 1000);
    let bindings_before = page.instance.binding_count();
    let ops = page.set(&[("rows[500].name", json!("renamed"))]);
    assert_eq!(ops.len(), 1, "{ops:?}");
    let Op::SetText { id, text } = &ops[0] else {
        panic!("expected SetText, got {ops:?}")
    };
    assert_eq!(text, "renamed");
    let view = row_views(&page)[500];
    let text_element = page.tree.children(view)[0];
    assert_eq!(
        page.tree.children(text_element),
        vec![*id],
        "the SetText targets row 500's text"
    );
    assert_eq!(page.tree.text_of(*id), Some("renamed"));
    assert_eq!(page.instance.last_update_visits(), 1);
    assert_eq!(page.instance.binding_count(), bindings_before);
}

#[test]
fn unrelated_and_sibling_paths_do_nothing() {
    let mut page = Page::new(KEYED, json!({ "rows": rows(10), "other": 1 }));
    assert!(page.set(&[("other", json!(2))]).is_empty());
    assert_eq!(page.instance.last_update_visits(), 0);
    assert!(page.set(&[("rows[3].extra", json!(2))]).is_empty());
    assert_eq!(page.instance.last_update_visits(), 0);
}

#[test]
fn same_value_emits_no_op() {
    let mut page = Page::new("<text>{{a}}</text>", json!({"a": 1}));
    assert!(page.set(&[("a", json!(1))]).is_empty());
    assert_eq!(page.instance.last_update_visits(), 1);
}

#[test]
fn ancestor_change_reaches_deep_reads() {
    let mut page = Page::new("<text>{{a.b.c}}</text>", json!({"a": {"b": {"c": 1}}}));
    let ops = page.set(&[("a", json!({"b": {"c": 2}}))]);
    assert_eq!(
        ops,
        vec![Op::SetText {
            id: n(2),
            text: "2".into()
        }]
    );
    let ops = page.set(&[("a.b.c.d", json!(1))]);
    assert_eq!(
        ops,
        vec![Op::SetText {
            id: n(2),
            text: "[object Object]".into()
        }]
    );
}

#[test]
fn attribute_set_and_remove() {
    let mut page = Page::new(
        r#"<view class="a {{b ? 'c' : ''}}" title="{{t}}" hidden="{{h}}" style="width: {{w}}px"/>"#,
        json!({"b": false, "t": "x", "h": false, "w": 1}),
    );
    let ops = page.set(&[("b", json!(true)), ("h", json!(1)), ("w", json!(2))]);
    assert_eq!(
        ops,
        vec![
            Op::SetAttribute {
                id: n(1),
                name: "class".into(),
                value: json!("a c")
            },
            Op::SetAttribute {
                id: n(1),
                name: "style".into(),
                value: json!("width: 2px")
            },
            Op::SetAttribute {
                id: n(1),
                name: "hidden".into(),
                value: json!(true)
            },
        ]
    );
    let ops = page.set(&[("t", Value::Null)]);
    assert_eq!(
        ops,
        vec![Op::SetAttribute {
            id: n(1),
            name: "title".into(),
            value: Value::Null
        }]
    );
    page.data.as_object_mut().unwrap().remove("t");
    let (ops, _) = page.instance.update(
        &page.group,
        &page.data,
        &[cirrus_template::parse_data_path("t").unwrap()],
    );
    assert_eq!(
        ops,
        vec![Op::RemoveAttribute {
            id: n(1),
            name: "title".into()
        }]
    );
}

#[test]
fn wx_if_toggles_swap_branches_in_place() {
    let mut page = Page::new(
        r#"<text>before</text><view wx:if="{{n > 5}}">big</view><view wx:elif="{{n > 2}}">mid</view><block wx:else><text>s</text><text>{{n}}</text></block><text>after</text>"#,
        json!({"n": 9}),
    );
    assert_eq!(
        page.render(),
        r#"<text>"before"</text><view>"big"</view><text>"after"</text>"#
    );
    // ids: 1,2 before; 3,4 big; 5,6 after.
    let ops = page.set(&[("n", json!(3))]);
    assert_eq!(
        ops,
        vec![
            Op::Remove { id: n(3) },
            Op::CreateElement {
                id: n(7),
                tag: "view".into()
            },
            Op::CreateText {
                id: n(8),
                text: "mid".into()
            },
            Op::Insert {
                parent: n(7),
                child: n(8),
                before: None
            },
            Op::Insert {
                parent: n(0),
                child: n(7),
                before: Some(n(5))
            },
        ]
    );
    assert!(
        page.set(&[("n", json!(4))]).is_empty(),
        "same branch: nothing to do"
    );
    page.set(&[("n", json!(0))]);
    assert_eq!(
        page.render(),
        r#"<text>"before"</text><text>"s"</text><text>"0"</text><text>"after"</text>"#
    );
    let ops = page.set(&[("n", json!(1))]);
    assert_eq!(
        ops.len(),
        1,
        "only the text inside the else branch changes: {ops:?}"
    );
    page.set(&[("n", json!(10))]);
    assert_eq!(
        page.render(),
        r#"<text>"before"</text><view>"big"</view><text>"after"</text>"#
    );
    assert_eq!(
        page.tree.live_nodes(),
        6,
        "removed branches leave no nodes behind"
    );
}

fn keyed_page(ids: &[i64]) -> Page {
    let rows: Vec<Value> = ids
        .iter()
        .map(|i| json!({"id": i, "name": format!("n{i}")}))
        .collect();
    Page::new(
        r#"<view wx:for="{{rows}}" wx:key="id"><text>{{item.name}}</text></view><text>end</text>"#,
        json!({ "rows": rows }),
    )
}

fn set_ids(page: &mut Page, ids: &[i64]) -> Vec<Op> {
    let rows: Vec<Value> = ids
        .iter()
        .map(|i| json!({"id": i, "name": format!("n{i}")}))
        .collect();
    page.set(&[("rows", Value::Array(rows))])
}

/// The row name texts in document order.
fn names(page: &Page) -> String {
    page.render()
}

fn creates(ops: &[Op]) -> usize {
    ops.iter()
        .filter(|op| matches!(op, Op::CreateElement { .. } | Op::CreateText { .. }))
        .count()
}

fn moves(ops: &[Op]) -> usize {
    ops.iter()
        .filter(|op| matches!(op, Op::Insert { .. }))
        .count()
}

#[test]
fn keyed_reverse_moves_existing_nodes() {
    let mut page = keyed_page(&[1, 2, 3, 4, 5]);
    let before: Vec<_> = row_views(&page);
    let ops = set_ids(&mut page, &[5, 4, 3, 2, 1]);
    assert_eq!(creates(&ops), 0, "{ops:?}");
    assert_eq!(moves(&ops), 4, "{ops:?}");
    assert!(
        ops.iter().all(|op| matches!(op, Op::Insert { .. })),
        "kept items need no other op: {ops:?}"
    );
    let after = row_views(&page);
    let mut reversed = before[..5].to_vec();
    reversed.reverse();
    assert_eq!(after[..5], reversed[..]);
    assert_eq!(names(&page), page.fresh_render());
}

#[test]
fn keyed_move_one_is_one_insert() {
    let mut page = keyed_page(&[1, 2, 3, 4, 5]);
    let before = row_views(&page);
    let ops = set_ids(&mut page, &[2, 3, 4, 5, 1]);
    assert_eq!(
        ops,
        vec![Op::Insert {
            parent: n(0),
            child: before[0],
            before: Some(before[5])
        }]
    );
    assert_eq!(names(&page), page.fresh_render());
}

#[test]
fn keyed_insert_in_middle_creates_only_the_new_item() {
    let mut page = keyed_page(&[1, 2, 3, 4]);
    let before = row_views(&page);
    let ops = set_ids(&mut page, &[1, 2, 9, 3, 4]);
    assert_eq!(
        creates(&ops),
        3,
        "one view, its text element and text: {ops:?}"
    );
    let last = ops.last().unwrap();
    assert!(
        matches!(last, Op::Insert { parent, before: Some(b), .. } if *parent == n(0) && *b == before[2]),
        "{ops:?}"
    );
    assert_eq!(names(&page), page.fresh_render());
    let after = row_views(&page);
    assert_eq!(
        [after[0], after[1], after[3], after[4]],
        [before[0], before[1], before[2], before[3]]
    );
}

#[test]
fn keyed_remove_emits_only_removes() {
    let mut page = keyed_page(&[1, 2, 3, 4]);
    let before = row_views(&page);
    let ops = set_ids(&mut page, &[1, 3]);
    assert_eq!(
        ops,
        vec![Op::Remove { id: before[1] }, Op::Remove { id: before[3] }]
    );
    assert_eq!(names(&page), page.fresh_render());
}

#[test]
fn keyed_item_content_follows_moves() {
    let mut page = Page::new(
        r#"<view wx:for="{{rows}}" wx:key="id"><text>{{index}}:{{item.name}}</text></view>"#,
        json!({"rows": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}),
    );
    page.set(&[(
        "rows",
        json!([{"id": 2, "name": "b"}, {"id": 1, "name": "a"}]),
    )]);
    assert_eq!(
        page.render(),
        r#"<view><text>"0:b"</text></view><view><text>"1:a"</text></view>"#
    );
    // After the move, the dependency of item 1 is rows[1].name.
    let ops = page.set(&[("rows[1].name", json!("A"))]);
    assert_eq!(ops.len(), 1);
    assert_eq!(
        page.render(),
        r#"<view><text>"0:b"</text></view><view><text>"1:A"</text></view>"#
    );
}

#[test]
fn keyed_this_and_push() {
    let mut page = Page::new(
        r#"<text wx:for="{{tags}}" wx:key="*this">{{item}}</text>"#,
        json!({"tags": ["a", "b"]}),
    );
    let ops = page.set(&[("tags[2]", json!("c"))]);
    assert_eq!(creates(&ops), 2);
    assert_eq!(
        page.render(),
        r#"<text>"a"</text><text>"b"</text><text>"c"</text>"#
    );
    let ops = page.set(&[("tags[0]", json!("z"))]);
    assert_eq!(page.render(), page.fresh_render());
    assert!(
        ops.iter().any(|op| matches!(op, Op::Remove { .. })),
        "a new key replaces the item: {ops:?}"
    );
}

#[test]
fn unkeyed_lists_reuse_by_index() {
    let mut page = Page::new(
        r#"<text wx:for="{{list}}">{{item}}</text>"#,
        json!({"list": ["a", "b", "c"]}),
    );
    let ops = page.set(&[("list", json!(["b", "c"]))]);
    assert_eq!(
        ops,
        vec![
            Op::Remove { id: n(5) },
            Op::SetText {
                id: n(2),
                text: "b".into()
            },
            Op::SetText {
                id: n(4),
                text: "c".into()
            },
        ]
    );
    let ops = page.set(&[("list[2]", json!("d"))]);
    assert_eq!(creates(&ops), 2);
    assert_eq!(page.render(), page.fresh_render());
}

#[test]
fn list_length_depends_on_the_list_shape() {
    let mut page = Page::new("<text>{{list.length}}</text>", json!({"list": [1]}));
    assert_eq!(
        page.set(&[("list[1]", json!(2))]),
        vec![Op::SetText {
            id: n(2),
            text: "2".into()
        }]
    );
    assert!(page.set(&[("list[0]", json!(5))]).is_empty());
}

#[test]
fn template_data_and_retargeting() {
    let mut page = Page::new(
        r#"<template name="a"><text>A {{v}}</text></template><template name="b"><view>B {{v}}</view></template><template is="{{t}}" data="{{v: flag ? x : y}}"/>"#,
        json!({"t": "a", "flag": true, "x": 1, "y": 2}),
    );
    assert_eq!(page.render(), r#"<text>"A 1"</text>"#);
    assert_eq!(
        page.set(&[("x", json!(5))]),
        vec![Op::SetText {
            id: n(2),
            text: "A 5".into()
        }]
    );
    assert_eq!(
        page.set(&[("flag", json!(false))]),
        vec![Op::SetText {
            id: n(2),
            text: "A 2".into()
        }]
    );
    assert!(
        page.set(&[("x", json!(6))]).is_empty(),
        "x is no longer read"
    );
    let ops = page.set(&[("t", json!("b"))]);
    assert_eq!(ops[0], Op::Remove { id: n(1) });
    assert_eq!(page.render(), r#"<view>"B 2"</view>"#);
}

#[test]
fn template_spread_data_tracks_item_fields() {
    let mut page = Page::new(
        r#"<template name="row"><text>{{name}}</text></template><block wx:for="{{rows}}" wx:key="id"><template is="row" data="{{...item}}"/></block>"#,
        json!({ "rows": rows(3) }),
    );
    let ops = page.set(&[("rows[1].name", json!("x"))]);
    assert_eq!(ops.len(), 1);
    assert!(
        page.instance.last_update_visits() <= 2,
        "visits: {}",
        page.instance.last_update_visits()
    );
    assert_eq!(page.render(), page.fresh_render());
}

#[test]
fn include_content_updates() {
    let mut page = Page::with_files(
        &[
            (common::PAGE, r#"<include src="part.wxml"/>"#),
            ("pages/index/part.wxml", "<text>{{v}}</text>"),
        ],
        json!({"v": 1}),
    );
    assert_eq!(
        page.set(&[("v", json!(2))]),
        vec![Op::SetText {
            id: n(2),
            text: "2".into()
        }]
    );
}

#[test]
fn dynamic_event_handler_updates_without_ops() {
    let mut page = Page::new(r#"<view bindtap="{{h}}"/>"#, json!({"h": "one"}));
    assert!(page.set(&[("h", json!("two"))]).is_empty());
    assert_eq!(page.instance.event_handlers(n(1))[0].handler, "two");
}

#[test]
fn recursive_templates_render_data_shaped_trees_and_stop_at_cycles() {
    let mut page = Page::new(
        r#"<template name="node"><view>{{name}}<block wx:for="{{kids}}" wx:key="id"><template is="node" data="{{...item}}"/></block></view></template>
<template is="node" data="{{...tree}}"/>"#,
        json!({"tree": {"name": "root", "kids": [{"id": 1, "name": "a", "kids": [{"id": 2, "name": "a1"}]}, {"id": 3, "name": "b"}]}}),
    );
    assert_eq!(
        page.render(),
        r#"<view>"root"<view>"a"<view>"a1"</view></view><view>"b"</view></view>"#
    );
    let ops = page.set(&[("tree.kids[0].kids[0].name", json!("A1"))]);
    assert_eq!(ops.len(), 1, "{ops:?}");
    assert_eq!(page.render(), page.fresh_render());
    page.set(&[("tree.kids[1].kids", json!([{"id": 4, "name": "b1"}]))]);
    assert_eq!(page.render(), page.fresh_render());

    let cyclic = Page::new(
        r#"<template name="t"><template is="t"/></template><template is="t"/>"#,
        json!({}),
    );
    assert!(
        cyclic
            .diags
            .iter()
            .any(|d| d.message.contains("nested too deeply")),
        "{:?}",
        cyclic.diags
    );
}

#[test]
fn set_data_applies_and_updates() {
    let mut page = Page::new("<text>{{a.b}}</text>", json!({}));
    let updates = [(cirrus_template::parse_data_path("a.b").unwrap(), json!("x"))];
    let mut data = page.data.clone();
    let (ops, _) = page.instance.set_data(&page.group, &mut data, &updates);
    assert_eq!(data, json!({"a": {"b": "x"}}));
    assert_eq!(
        ops,
        vec![Op::SetText {
            id: n(2),
            text: "x".into()
        }]
    );
}

#[test]
fn instances_and_groups_can_move_to_the_logic_thread() {
    fn assert_send<T: Send>() {}
    fn assert_sync<T: Sync>() {}
    assert_send::<cirrus_template::PageInstance>();
    assert_send::<cirrus_template::TemplateGroup>();
    assert_sync::<cirrus_template::TemplateGroup>();
}
