//! Custom component hosts in template instances: properties as events,
//! shadow trees under the host sharing one id source, scope attributes,
//! slot distribution, moves and removals.

mod common;

use cirrus_protocol::ops::{NodeId, Op};
use cirrus_template::{ComponentEvent, InstanceOptions, NodeIdSource, PageInstance};
use common::{group, Tree, PAGE};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const CARD: &str = "components/card/card.wxml";

fn page_options(ids: &NodeIdSource) -> InstanceOptions {
    InstanceOptions {
        components: HashMap::from([("card".to_string(), "components/card/card".to_string())]),
        ..InstanceOptions::page(ids.clone())
    }
}

fn created_host(events: &[ComponentEvent]) -> NodeId {
    match events.first() {
        Some(ComponentEvent::Created { host, .. }) => *host,
        other => panic!("expected Created, got {other:?}"),
    }
}

fn set(
    instance: &mut PageInstance,
    g: &cirrus_template::TemplateGroup,
    data: &mut Value,
    key: &str,
    value: Value,
) -> Vec<Op> {
    let path = cirrus_template::parse_data_path(key).unwrap();
    instance.set_data(g, data, &[(path, value)]).0
}

#[test]
fn host_properties_are_events_and_host_attributes_are_ops() {
    let g = group(&[(
        PAGE,
        r#"<card id="c" class="x" data-k="v" title="{{t}}" count="{{3}}"/>"#,
    )]);
    let mut data = json!({ "t": "hello" });
    let ids = NodeIdSource::new(1);
    let (mut page, ops, diags) = PageInstance::with_options(&g, PAGE, &data, page_options(&ids));
    assert!(diags.is_empty(), "{diags:?}");
    let mut tree = Tree::new();
    tree.apply(&ops);
    assert_eq!(
        tree.render(),
        r#"<card class="x" data-k="v" id="c"></card>"#
    );
    let events = page.take_component_events();
    let mut properties = Map::new();
    properties.insert("title".into(), json!("hello"));
    properties.insert("count".into(), json!(3));
    assert_eq!(
        events,
        [ComponentEvent::Created {
            host: NodeId(1),
            path: "components/card/card".into(),
            properties,
            generics: vec![],
        }]
    );
    let ops = set(&mut page, &g, &mut data, "t", json!("bye"));
    assert!(ops.is_empty(), "a property change is no op: {ops:?}");
    assert_eq!(
        page.take_component_events(),
        [ComponentEvent::PropertyChanged {
            host: NodeId(1),
            name: "title".into(),
            value: json!("bye"),
        }]
    );
    assert_eq!(page.properties_of(NodeId(1))["title"], json!("bye"));
}

#[test]
fn a_shadow_tree_is_scoped_and_light_children_go_into_slots() {
    let g = group(&[
        (
            PAGE,
            r#"<card><text slot="head">H</text><text wx:if="{{more}}">more</text><text>{{body}}</text></card>"#,
        ),
        (
            CARD,
            r#"<view><slot name="head"/></view><view class="b"><slot/></view>"#,
        ),
    ]);
    let mut data = json!({ "body": "one", "more": false });
    let ids = NodeIdSource::new(1);
    let (mut page, ops, _) = PageInstance::with_options(&g, PAGE, &data, page_options(&ids));
    let mut tree = Tree::new();
    tree.apply(&ops);
    let host = created_host(&page.take_component_events());
    let options = InstanceOptions {
        root: host,
        ids: page.node_ids(),
        components: HashMap::new(),
        scope: Some("components/card/card".into()),
    };
    let (card, ops, diags) = PageInstance::with_options(&g, CARD, &json!({}), options);
    assert!(diags.is_empty(), "{diags:?}");
    tree.apply(&ops);
    let ops = page.distribute_slots(host, card.slot_nodes(), true);
    tree.apply(&ops);
    assert_eq!(
        tree.render(),
        concat!(
            r#"<card><view wx:scope="components/card/card"><slot name="head" wx:scope="components/card/card" wx:virtual=true><text slot="head">"H"</text></slot></view>"#,
            r#"<view class="b" wx:scope="components/card/card"><slot wx:scope="components/card/card" wx:virtual=true><text>"one"</text></slot></view></card>"#
        )
    );
    // Light content stays bound to the page: updates and new branches land
    // in the slot, in template order.
    let ops = set(&mut page, &g, &mut data, "body", json!("two"));
    assert_eq!(ops.len(), 1, "{ops:?}");
    tree.apply(&ops);
    let ops = set(&mut page, &g, &mut data, "more", json!(true));
    tree.apply(&ops);
    assert!(
        tree.render().ends_with(
            r#"<slot wx:scope="components/card/card" wx:virtual=true><text>"more"</text><text>"two"</text></slot></view></card>"#
        ),
        "{}",
        tree.render()
    );
    assert_eq!(
        page.dom_parent_of(NodeId(2)),
        card.slot_nodes().get("head").copied()
    );
}

#[test]
fn light_children_without_a_slot_are_kept_detached() {
    let g = group(&[
        (PAGE, r#"<card><text slot="nowhere">x</text></card>"#),
        (CARD, "<view/>"),
    ]);
    let data = json!({});
    let ids = NodeIdSource::new(1);
    let (mut page, ops, _) = PageInstance::with_options(&g, PAGE, &data, page_options(&ids));
    let mut tree = Tree::new();
    tree.apply(&ops);
    let host = created_host(&page.take_component_events());
    let options = InstanceOptions {
        root: host,
        ids: page.node_ids(),
        components: HashMap::new(),
        scope: Some("components/card/card".into()),
    };
    let (card, ops, _) = PageInstance::with_options(&g, CARD, &json!({}), options);
    tree.apply(&ops);
    tree.apply(&page.distribute_slots(host, card.slot_nodes(), true));
    assert_eq!(
        tree.render(),
        r#"<card><view wx:scope="components/card/card"></view></card>"#
    );
}

#[test]
fn keyed_moves_and_removals_of_hosts_are_reported() {
    let g = group(&[(
        PAGE,
        r#"<card wx:for="{{list}}" wx:key="*this" label="{{item}}"/>"#,
    )]);
    let mut data = json!({ "list": ["a", "b", "c"] });
    let ids = NodeIdSource::new(1);
    let (mut page, _, _) = PageInstance::with_options(&g, PAGE, &data, page_options(&ids));
    let hosts: Vec<NodeId> = page
        .take_component_events()
        .iter()
        .map(|e| match e {
            ComponentEvent::Created { host, .. } => *host,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(hosts.len(), 3);
    let ops = set(&mut page, &g, &mut data, "list", json!(["c", "a"]));
    assert!(
        ops.iter()
            .all(|op| matches!(op, Op::Insert { .. } | Op::Remove { .. })),
        "{ops:?}"
    );
    assert_eq!(
        page.take_component_events(),
        [
            ComponentEvent::Removed { host: hosts[1] },
            ComponentEvent::Moved { host: hosts[2] },
        ]
    );
}
