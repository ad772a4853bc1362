//! Custom components end to end on the logic thread (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html>):
//! lifecycles, properties, observers, behaviors, slots, relations,
//! selectors, events. Ops are applied to a small render tree so that the
//! assertions are about the tree the render thread would hold.

mod harness;

use cirrus_engine::ops::{NodeId, Op, PageId};
use cirrus_engine::protocol::{EventDetail, ToLogic, ToRender, UiEvent};
use harness::{batches, errors, Harness};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

// ---- a render tree built from ops ------------------------------------------

#[derive(Debug, Default)]
struct Node {
    tag: Option<String>,
    text: Option<String>,
    attrs: BTreeMap<String, Value>,
    children: Vec<NodeId>,
    parent: Option<NodeId>,
}

#[derive(Debug)]
struct Tree {
    nodes: HashMap<NodeId, Node>,
}

impl Tree {
    fn new() -> Tree {
        let mut nodes = HashMap::new();
        nodes.insert(
            NodeId::ROOT,
            Node {
                tag: Some("page".into()),
                ..Node::default()
            },
        );
        Tree { nodes }
    }

    fn apply(&mut self, ops: &[Op]) {
        for op in ops {
            match op {
                Op::CreateElement { id, tag } => {
                    assert!(!self.nodes.contains_key(id), "id {id:?} reused");
                    self.nodes.insert(
                        *id,
                        Node {
                            tag: Some(tag.clone()),
                            ..Node::default()
                        },
                    );
                }
                Op::CreateText { id, text } => {
                    assert!(!self.nodes.contains_key(id), "id {id:?} reused");
                    self.nodes.insert(
                        *id,
                        Node {
                            text: Some(text.clone()),
                            ..Node::default()
                        },
                    );
                }
                Op::Insert {
                    parent,
                    child,
                    before,
                } => {
                    self.detach(*child);
                    let siblings = &mut self.nodes.get_mut(parent).expect("parent exists").children;
                    let at = match before {
                        Some(b) => siblings
                            .iter()
                            .position(|s| s == b)
                            .unwrap_or_else(|| panic!("before {b:?} not a child of {parent:?}")),
                        None => siblings.len(),
                    };
                    siblings.insert(at, *child);
                    self.nodes.get_mut(child).expect("child exists").parent = Some(*parent);
                }
                Op::Remove { id } => {
                    self.detach(*id);
                    self.drop_subtree(*id);
                }
                Op::SetAttribute { id, name, value } => {
                    self.nodes
                        .get_mut(id)
                        .expect("node exists")
                        .attrs
                        .insert(name.clone(), value.clone());
                }
                Op::RemoveAttribute { id, name } => {
                    self.nodes
                        .get_mut(id)
                        .expect("node exists")
                        .attrs
                        .remove(name);
                }
                Op::SetText { id, text } => {
                    self.nodes.get_mut(id).expect("node exists").text = Some(text.clone());
                }
            }
        }
    }

    fn apply_messages(&mut self, messages: &[ToRender]) {
        for batch in batches(messages) {
            self.apply(&batch.ops);
        }
    }

    fn detach(&mut self, id: NodeId) {
        if let Some(parent) = self.nodes.get_mut(&id).and_then(|n| n.parent.take()) {
            if let Some(p) = self.nodes.get_mut(&parent) {
                p.children.retain(|c| *c != id);
            }
        }
    }

    fn drop_subtree(&mut self, id: NodeId) {
        if let Some(node) = self.nodes.remove(&id) {
            for child in node.children {
                self.drop_subtree(child);
            }
        }
    }

    /// `<tag id class slot name>children</tag>`, text inline; `wx:*`
    /// attributes left out.
    fn render(&self, id: NodeId) -> String {
        let node = &self.nodes[&id];
        if let Some(text) = &node.text {
            return text.clone();
        }
        let tag = node.tag.clone().unwrap_or_default();
        let mut out = format!("<{tag}");
        for name in ["id", "class", "slot", "name"] {
            if let Some(Value::String(v)) = node.attrs.get(name) {
                out.push_str(&format!(" {name}=\"{v}\""));
            }
        }
        out.push('>');
        for child in &node.children {
            out.push_str(&self.render(*child));
        }
        out.push_str(&format!("</{tag}>"));
        out
    }

    fn page(&self) -> String {
        self.render(NodeId::ROOT)
    }

    fn by_id(&self, id: &str) -> NodeId {
        *self
            .nodes
            .iter()
            .find(|(_, n)| n.attrs.get("id") == Some(&json!(id)))
            .unwrap_or_else(|| panic!("no element with id {id}"))
            .0
    }

    fn attr(&self, node: NodeId, name: &str) -> Option<&Value> {
        self.nodes[&node].attrs.get(name)
    }
}

fn app(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = Vec::new();
    if !files.iter().any(|(p, _)| *p == "app.json") {
        all.push((
            "app.json".into(),
            r#"{"pages":["pages/index/index"]}"#.into(),
        ));
    }
    all.push(("app.js".into(), "App({})".into()));
    all.extend(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    all
}

/// Launches, asserts no errors, returns the harness, tree and page id.
fn launch(files: &[(&str, &str)]) -> (Harness, Tree, PageId) {
    let h = Harness::start(app(files));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    let mut tree = Tree::new();
    tree.apply_messages(&messages);
    let page = batches(&messages)
        .first()
        .map(|b| b.page)
        .unwrap_or(PageId(1));
    (h, tree, page)
}

fn tap(h: &Harness, page: PageId, node: NodeId) -> Vec<ToRender> {
    h.to_logic
        .send(ToLogic::Event(UiEvent::new(
            page,
            node,
            "tap",
            EventDetail::Value(json!({ "x": 1, "y": 2 })),
        )))
        .expect("logic alive");
    h.until_idle()
}

const PAGE_USING: &str = r#"{"usingComponents":{"card":"/components/card/card"}}"#;

#[test]
fn a_component_renders_its_shadow_tree_under_its_host_with_property_defaults() {
    let card_js = r#"
Component({
  properties: { title: String, count: { type: Number, value: 7 } },
  data: { suffix: '!' },
});
"#;
    let (_h, tree, _) = launch(&[
        ("pages/index/index.json", PAGE_USING),
        ("pages/index/index.js", "Page({ data: { t: 'hello' } })"),
        (
            "pages/index/index.wxml",
            r#"<card id="c" class="outer" title="{{t}}"/>"#,
        ),
        (
            "components/card/card.json",
            r#"{"component":true,"styleIsolation":"shared"}"#,
        ),
        ("components/card/card.js", card_js),
        (
            "components/card/card.wxml",
            r#"<view class="title">{{title}}{{suffix}} {{count}}</view>"#,
        ),
    ]);
    assert_eq!(
        tree.page(),
        r#"<page><card id="c" class="outer"><view class="title">hello! 7</view></card></page>"#
    );
    let host = tree.by_id("c");
    assert_eq!(
        tree.attr(host, "wx:host-of"),
        Some(&json!("components/card/card"))
    );
    assert_eq!(
        tree.attr(host, "wx:style-isolation"),
        Some(&json!("shared"))
    );
    assert_eq!(
        tree.attr(host, "title"),
        None,
        "properties are not attributes"
    );
    let view = tree.nodes[&host].children[0];
    assert_eq!(
        tree.attr(view, "wx:scope"),
        Some(&json!("components/card/card"))
    );
    assert_eq!(
        tree.attr(host, "wx:scope"),
        None,
        "the host belongs to the page"
    );
}

#[test]
fn a_page_set_data_updates_the_child_property_with_minimal_ops() {
    let page_js = r#"
Page({
  data: { t: 'a' },
  onReady() { setTimeout(() => this.setData({ t: 'b' }), 10); },
});
"#;
    let card_js = r#"
Component({
  properties: { title: { type: String, observer(n, o) { console.log('title', o, '->', n); } } },
});
"#;
    let (h, mut tree, _) = launch(&[
        ("pages/index/index.json", PAGE_USING),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<card title="{{t}}"/><view>{{t}}</view>"#,
        ),
        ("components/card/card.js", card_js),
        ("components/card/card.wxml", "<text>{{title}}</text>"),
    ]);
    assert_eq!(
        tree.page(),
        "<page><card><text>a</text></card><view>a</view></page>"
    );
    let messages = h.advance(10);
    assert_eq!(batches(&messages).len(), 1, "one batch per setData");
    let ops: Vec<Op> = batches(&messages).into_iter().flat_map(|b| b.ops).collect();
    assert_eq!(
        ops.len(),
        2,
        "one SetText on the page, one in the card: {ops:?}"
    );
    assert!(ops
        .iter()
        .all(|op| matches!(op, Op::SetText { text, .. } if text == "b")));
    tree.apply_messages(&messages);
    assert_eq!(
        tree.page(),
        "<page><card><text>b</text></card><view>b</view></page>"
    );
    assert_eq!(h.console(), ["title a -> b"]);
}

#[test]
fn nested_components_run_lifetimes_in_order_around_the_page() {
    let log = |name: &str| {
        format!(
            "Component({{ lifetimes: {{ created() {{ console.log('{name}.created'); }}, attached() {{ console.log('{name}.attached'); }}, ready() {{ console.log('{name}.ready'); }} }}, pageLifetimes: {{ show() {{ console.log('{name}.show'); }} }} }});"
        )
    };
    let outer_js = log("outer");
    // The inner component uses the legacy top-level form for `attached`.
    let inner_js = "Component({ created() { console.log('inner.created'); }, attached() { console.log('inner.attached'); }, lifetimes: { ready() { console.log('inner.ready'); } } });";
    let page_js = "Page({ onLoad() { console.log('page.onLoad'); }, onShow() { console.log('page.onShow'); }, onReady() { console.log('page.onReady'); } });";
    let (h, tree, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"outer":"../../comp/outer"}}"#,
        ),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<outer/>"),
        (
            "comp/outer.json",
            r#"{"usingComponents":{"inner":"./inner"}}"#,
        ),
        ("comp/outer.js", &outer_js),
        ("comp/outer.wxml", "<view><inner/></view>"),
        ("comp/inner.js", inner_js),
        ("comp/inner.wxml", "<text>in</text>"),
    ]);
    assert_eq!(
        tree.page(),
        "<page><outer><view><inner><text>in</text></inner></view></outer></page>"
    );
    assert_eq!(
        h.console(),
        [
            "outer.created",
            "inner.created",
            "outer.attached",
            "inner.attached",
            "page.onLoad",
            "page.onShow",
            "outer.show",
            "inner.ready",
            "outer.ready",
            "page.onReady",
        ]
    );
}

#[test]
fn observers_fire_at_most_once_per_set_data_with_paths_and_wildcards() {
    let comp_js = r#"
Component({
  properties: { a: { type: Number, observer(n, o) { console.log('prop a', o, n); } } },
  data: { b: 0, obj: { x: 1, y: { z: 2 } }, arr: [1, 2, 3] },
  observers: {
    'a, b': function (a, b) { console.log('a,b', a, b); },
    'obj.y.**': function (y) { console.log('obj.y.**', JSON.stringify(y)); },
    'obj.x': function (x) { console.log('obj.x', x); },
    'arr[1]': function (v) { console.log('arr[1]', v); },
    '**': function () { console.log('**'); },
  },
  lifetimes: {
    ready() {
      this.setData({ a: 1, b: 2, 'obj.y.z': 3, 'obj.y.w': 4 });
      console.log('--');
      this.setData({ obj: { x: 5, y: {} } });
      console.log('--');
      this.setData({ arr: [9, 8] });
      console.log('--');
      this.setData({ b: 2 });
    },
  },
});
"#;
    let (h, _, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"c":"/c/c"}}"#,
        ),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<c/>"),
        ("c/c.js", comp_js),
        ("c/c.wxml", "<view>{{a}} {{b}} {{obj.x}}</view>"),
    ]);
    assert_eq!(
        h.console(),
        [
            "a,b 1 2",
            "obj.y.** {\"z\":3,\"w\":4}",
            "**",
            "prop a 0 1",
            "--",
            "obj.y.** {}",
            "obj.x 5",
            "**",
            "--",
            "arr[1] 8",
            "**",
            "--",
            // Set to the same value still fires (<https://developers.weixin.qq.com/miniprogram/dev/framework/custom-component/observer.html>).
            "a,b 1 2",
            "**",
        ]
    );
}

#[test]
fn behaviors_merge_data_methods_and_lifetimes_in_the_documented_order() {
    let behaviors_js = r#"
const inner = Behavior({
  data: { from: 'inner', shared: { a: 1 } },
  methods: { who() { return 'inner'; }, onlyInner() { return 'i'; } },
  lifetimes: { attached() { console.log('inner.attached'); } },
});
const b1 = Behavior({
  behaviors: [inner],
  data: { from: 'b1', shared: { b: 2 } },
  methods: { who() { return 'b1'; } },
  attached() { console.log('b1.attached'); },
});
const b2 = Behavior({
  data: { from: 'b2' },
  methods: { who() { return 'b2'; } },
  lifetimes: { attached() { console.log('b2.attached'); } },
  definitionFilter(defFields) { defFields.data = defFields.data || {}; defFields.data.filtered = true; },
});
module.exports = { b1, b2, inner };
"#;
    let comp_js = r#"
const { b1, b2, inner } = require('./behaviors');
Component({
  behaviors: [b1, b2, inner],
  data: { shared: { c: 3 } },
  lifetimes: {
    attached() {
      console.log('component.attached');
      console.log(this.data.from, JSON.stringify(this.data.shared), this.data.filtered, this.who(), this.onlyInner(), this.hasBehavior(inner));
    },
  },
});
"#;
    let (h, _, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"c":"/c/c"}}"#,
        ),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<c/>"),
        ("c/behaviors.js", behaviors_js),
        ("c/c.js", comp_js),
        ("c/c.wxml", "<view/>"),
    ]);
    assert_eq!(
        h.console(),
        [
            "inner.attached",
            "b1.attached",
            "b2.attached",
            "component.attached",
            "b2 {\"a\":1,\"b\":2,\"c\":3} true b2 i true",
        ]
    );
}

#[test]
fn light_children_are_distributed_into_default_and_named_slots() {
    let page_js = "Page({ data: { body: 'one' }, onReady() { setTimeout(() => this.setData({ body: 'two' }), 5); } })";
    let (h, mut tree, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"panel":"/panel/panel"}}"#,
        ),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<panel><view slot="header">H</view><view id="b">{{body}}</view><view slot="nowhere">X</view></panel>"#,
        ),
        (
            "panel/panel.js",
            "Component({ options: { multipleSlots: true } })",
        ),
        (
            "panel/panel.wxml",
            r#"<view class="head"><slot name="header"/></view><view class="body"><slot/></view>"#,
        ),
    ]);
    assert_eq!(
        tree.page(),
        r#"<page><panel><view class="head"><slot name="header"><view slot="header">H</view></slot></view><view class="body"><slot><view id="b">one</view></slot></view></panel></page>"#
    );
    let panel = tree.nodes[&NodeId::ROOT].children[0];
    assert_eq!(
        tree.attr(panel, "wx:style-isolation"),
        Some(&json!("isolated"))
    );
    let slot = tree.nodes[&tree.by_id("b")].parent.unwrap();
    assert_eq!(tree.attr(slot, "wx:virtual"), Some(&json!(true)));
    let messages = h.advance(5);
    let ops: Vec<Op> = batches(&messages).into_iter().flat_map(|b| b.ops).collect();
    assert_eq!(ops.len(), 1, "{ops:?}");
    tree.apply(&ops);
    assert!(tree.page().contains(r#"<view id="b">two</view>"#));
}

#[test]
fn without_multiple_slots_everything_goes_to_the_single_slot() {
    let (_, tree, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"box":"/box"}}"#,
        ),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<box><text>a</text><text slot="x">b</text></box>"#,
        ),
        ("box.js", "Component({})"),
        ("box.wxml", "<view><slot/></view>"),
    ]);
    assert_eq!(
        tree.page(),
        r#"<page><box><view><slot><text>a</text><text slot="x">b</text></slot></view></box></page>"#
    );
}

#[test]
fn a_keyed_list_of_components_moves_without_rebuilding() {
    let page_js = r#"
Page({
  data: { list: [{ id: 1, label: 'a' }, { id: 2, label: 'b' }, { id: 3, label: 'c' }] },
  onReady() { setTimeout(() => this.setData({ list: [{ id: 3, label: 'c' }, { id: 1, label: 'a' }, { id: 2, label: 'b' }] }), 5); },
});
"#;
    let item_js = r#"
Component({
  properties: { label: String },
  lifetimes: {
    created() { console.log('created'); },
    moved() { console.log('moved', this.data.label); },
    detached() { console.log('detached', this.data.label); },
  },
});
"#;
    let (h, mut tree, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"item":"/item"}}"#,
        ),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<item wx:for="{{list}}" wx:key="id" label="{{item.label}}"/>"#,
        ),
        ("item.js", item_js),
        ("item.wxml", "<text>{{label}}</text>"),
    ]);
    assert_eq!(
        tree.page(),
        "<page><item><text>a</text></item><item><text>b</text></item><item><text>c</text></item></page>"
    );
    let messages = h.advance(5);
    let ops: Vec<Op> = batches(&messages).into_iter().flat_map(|b| b.ops).collect();
    assert!(
        ops.iter().all(|op| matches!(op, Op::Insert { .. })),
        "a move is only Inserts: {ops:?}"
    );
    assert_eq!(ops.len(), 1);
    tree.apply(&ops);
    assert_eq!(
        tree.page(),
        "<page><item><text>c</text></item><item><text>a</text></item><item><text>b</text></item></page>"
    );
    assert_eq!(h.console(), ["created", "created", "created", "moved c"]);
}

#[test]
fn relations_link_parent_and_children_through_slots() {
    let ul_js = r#"
Component({
  relations: {
    './li': {
      type: 'child',
      linked(target) { console.log('ul linked', target.data.name); },
      unlinked(target) { console.log('ul unlinked', target.data.name); },
    },
  },
  methods: { count() { return this.getRelationNodes('./li').length; } },
});
"#;
    let li_js = r#"
Component({
  properties: { name: String },
  relations: { './ul': { type: 'parent', linked(target) { console.log('li linked', this.data.name, target.is); } } },
});
"#;
    let page_js = r#"
Page({
  data: { show: true },
  onReady() {
    console.log('count', this.selectComponent('#list').count());
    setTimeout(() => { this.setData({ show: false }); console.log('count', this.selectComponent('#list').count()); }, 5);
  },
});
"#;
    let (h, _, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"x-ul":"/rel/ul","x-li":"/rel/li"}}"#,
        ),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<x-ul id="list"><x-li name="one"/><x-li wx:if="{{show}}" name="two"/></x-ul>"#,
        ),
        ("rel/ul.js", ul_js),
        ("rel/ul.wxml", "<view><slot/></view>"),
        ("rel/li.js", li_js),
        ("rel/li.wxml", "<text>{{name}}</text>"),
    ]);
    h.advance(5);
    assert_eq!(
        h.console(),
        [
            "ul linked one",
            "li linked one rel/ul",
            "ul linked two",
            "li linked two rel/ul",
            "count 2",
            "ul unlinked two",
            "count 1",
        ]
    );
}

#[test]
fn select_component_finds_hosts_by_id_class_and_owner() {
    let page_js = r#"
Page({
  onReady() {
    const a = this.selectComponent('#a');
    console.log(a.data.label, a.is, a.id);
    console.log(this.selectAllComponents('.item').map(c => c.data.label).join(','));
    console.log(this.selectComponent('#missing'));
    console.log(a.selectOwnerComponent() === this);
    const inner = a.selectComponent('.deep');
    console.log(inner.data.label, inner.selectOwnerComponent() === a);
  },
});
"#;
    let (h, _, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"item":"/item"}}"#,
        ),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<item id="a" class="item" label="A"/><item class="item other" label="B"/>"#,
        ),
        ("item.json", r#"{"usingComponents":{"leaf":"/leaf"}}"#),
        ("item.js", "Component({ properties: { label: String } })"),
        (
            "item.wxml",
            r#"<leaf class="deep" label="{{label}}-leaf"/>"#,
        ),
        ("leaf.js", "Component({ properties: { label: String } })"),
        ("leaf.wxml", "<text>{{label}}</text>"),
    ]);
    assert_eq!(
        h.console(),
        ["A item a", "A,B", "null", "true", "A-leaf true"]
    );
}

#[test]
fn trigger_event_crosses_a_shadow_boundary_only_when_composed() {
    let outer_js = r#"
Component({
  methods: {
    onInner(e) { console.log('outer heard', e.type, e.detail.n, e.target.id, e.currentTarget.id); },
  },
});
"#;
    let inner_js = r#"
Component({
  methods: {
    fire(n, options) { this.triggerEvent('ping', { n }, options); },
  },
});
"#;
    let page_js = r#"
Page({
  onPing(e) { console.log('page heard', e.detail.n, e.target.id, e.currentTarget.id); },
  onReady() {
    const inner = this.selectComponent('#outer').selectComponent('#inner');
    inner.fire(1, {});
    inner.fire(2, { bubbles: true });
    inner.fire(3, { bubbles: true, composed: true });
  },
});
"#;
    let (h, _, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"outer":"/outer"}}"#,
        ),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<view id="wrap" bind:ping="onPing"><outer id="outer" bind:ping="onPing"/></view>"#,
        ),
        ("outer.json", r#"{"usingComponents":{"inner":"/inner"}}"#),
        ("outer.js", outer_js),
        (
            "outer.wxml",
            r#"<view id="box" bind:ping="onInner"><inner id="inner" bindping="onInner"/></view>"#,
        ),
        ("inner.js", inner_js),
        ("inner.wxml", "<view/>"),
    ]);
    assert_eq!(
        h.console(),
        [
            // Not bubbling, not composed: only the host's own listener.
            "outer heard ping 1 inner inner",
            // Bubbling: up the owner's (outer's) tree, no further.
            "outer heard ping 2 inner inner",
            "outer heard ping 2 inner box",
            // Composed: on to the page, retargeted to outer's host.
            "outer heard ping 3 inner inner",
            "outer heard ping 3 inner box",
            "page heard 3 outer outer",
            "page heard 3 outer wrap",
        ]
    );
}

#[test]
fn capture_runs_before_bubble_and_catch_stops_propagation() {
    let page_js = r#"
Page({
  log(e) { console.log(e.currentTarget.id, e.type); },
  c1(e) { console.log('capture outer'); },
  c2(e) { console.log('capture inner'); },
  b1(e) { console.log('bubble outer'); },
  b2(e) { console.log('bubble inner'); },
  stop(e) { console.log('catch middle'); },
  m1(e) { console.log('mut inner'); },
  m2(e) { console.log('mut outer'); },
});
"#;
    let wxml = r#"
<view id="outer" capture-bind:tap="c1" bind:tap="b1" mut-bind:tap="m2">
  <view id="middle" catchtap="stop">
    <view id="inner" capture-bindtap="c2" bindtap="b2" mut-bind:tap="m1"/>
  </view>
  <view id="free" bindtap="b2" mut-bindtap="m1"/>
</view>
"#;
    let (h, tree, page) = launch(&[
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
    ]);
    tap(&h, page, tree.by_id("inner"));
    assert_eq!(
        h.console(),
        [
            "capture outer",
            "capture inner",
            "bubble inner",
            "mut inner",
            "catch middle",
        ]
    );
    tap(&h, page, tree.by_id("free"));
    assert_eq!(
        h.console()[5..],
        ["capture outer", "bubble inner", "mut inner", "bubble outer"]
    );
}

#[test]
fn capture_catch_aborts_capture_and_bubble() {
    let page_js = r#"
Page({
  c1() { console.log('capture outer'); },
  c2() { console.log('capture inner'); },
  b2() { console.log('bubble inner'); },
});
"#;
    let (h, tree, page) = launch(&[
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<view id="outer" capture-catch:tap="c1"><view id="inner" capture-bind:tap="c2" bindtap="b2"/></view>"#,
        ),
    ]);
    tap(&h, page, tree.by_id("inner"));
    assert_eq!(h.console(), ["capture outer"]);
}

#[test]
fn the_event_object_carries_dataset_mark_target_and_detail() {
    let page_js = r#"
Page({
  onTap(e) {
    console.log(JSON.stringify({
      type: e.type, target: e.target, currentTarget: e.currentTarget, mark: e.mark,
      detail: e.detail, touches: e.touches, changed: e.changedTouches,
      hasTime: typeof e.timeStamp === 'number',
    }));
  },
});
"#;
    let wxml = r#"<view id="outer" data-item-id="7" data-Camel="c" mark:a="{{1}}" mark:shared="outer" bindtap="onTap"><view id="inner" data-x="y" mark:b="2" mark:shared="inner"/></view>"#;
    let (h, tree, page) = launch(&[
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
    ]);
    tap(&h, page, tree.by_id("inner"));
    let logged: Value = serde_json::from_str(&h.console()[0]).unwrap();
    assert_eq!(
        logged,
        json!({
            "type": "tap",
            "target": { "id": "inner", "dataset": { "x": "y" }, "offsetLeft": 0, "offsetTop": 0 },
            "currentTarget": { "id": "outer", "dataset": { "itemId": "7", "camel": "c" }, "offsetLeft": 0, "offsetTop": 0 },
            "mark": { "a": 1, "b": "2", "shared": "inner" },
            "detail": { "x": 1, "y": 2 },
            "touches": [],
            "changed": [],
            "hasTime": true,
        })
    );
}

#[test]
fn a_tap_inside_a_component_runs_the_component_method_and_is_retargeted_outside() {
    let comp_js = r#"
Component({
  data: { n: 0 },
  methods: { inc(e) { console.log('comp', e.target.id); this.setData({ n: this.data.n + 1 }); } },
});
"#;
    let page_js = "Page({ outer(e) { console.log('page', e.target.id, e.currentTarget.id); } })";
    let (h, mut tree, page) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"counter":"/counter"}}"#,
        ),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<counter id="ctr" bindtap="outer"/>"#,
        ),
        ("counter.js", comp_js),
        (
            "counter.wxml",
            r#"<view id="btn" bindtap="inc">{{n}}</view>"#,
        ),
    ]);
    let messages = tap(&h, page, tree.by_id("btn"));
    assert_eq!(h.console(), ["comp btn", "page ctr ctr"]);
    let all = batches(&messages);
    assert_eq!(all.len(), 1, "one batch for the event turn");
    tree.apply(&all[0].ops);
    assert_eq!(
        tree.page(),
        r#"<page><counter id="ctr"><view id="btn">1</view></counter></page>"#
    );
}

#[test]
fn pure_data_fields_stay_in_data_and_produce_no_ops() {
    let comp_js = r#"
Component({
  options: { pureDataPattern: /^_/ },
  properties: { _p: { type: String, observer() { console.log('never'); } } },
  data: { _secret: 1, shown: 'a' },
  observers: { '_secret': function (v) { console.log('observer', v); } },
  methods: {
    hide() { this.setData({ _secret: 2 }); console.log(this.data._secret); },
    show() { this.setData({ shown: 'b' }); },
  },
});
"#;
    let page_js = r#"
Page({
  onReady() {
    setTimeout(() => this.selectComponent('#c').hide(), 5);
    setTimeout(() => this.selectComponent('#c').show(), 10);
  },
});
"#;
    let (h, tree, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"c":"/c"}}"#,
        ),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", r#"<c id="c" _p="x"/>"#),
        ("c.js", comp_js),
        (
            "c.wxml",
            r#"<view wx:if="{{_secret}}">{{_secret}}</view><text>{{shown}}</text>"#,
        ),
    ]);
    assert_eq!(tree.page(), r#"<page><c id="c"><text>a</text></c></page>"#);
    let hidden = h.advance(5);
    assert!(batches(&hidden).is_empty(), "{hidden:#?}");
    let shown = h.advance(5);
    assert_eq!(batches(&shown).len(), 1);
    assert_eq!(h.console(), ["observer 2", "2"]);
}

#[test]
fn a_pure_data_pattern_in_the_component_json_applies_too() {
    let (h, tree, _) = launch(&[
        ("pages/index/index.json", r#"{"usingComponents":{"c":"/c"}}"#),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", r#"<c/>"#),
        ("c.json", r#"{"component":true,"pureDataPattern":"^_"}"#),
        (
            "c.js",
            "Component({ data: { _x: 'hidden', y: 'shown' }, lifetimes: { attached() { console.log(this.data._x); } } })",
        ),
        ("c.wxml", "<text>{{_x}}|{{y}}</text>"),
    ]);
    assert_eq!(tree.page(), "<page><c><text>|shown</text></c></page>");
    assert_eq!(h.console(), ["hidden"]);
}

#[test]
fn a_page_can_be_declared_with_component() {
    let page_js = r#"
Component({
  properties: { id: Number },
  data: { x: 1 },
  lifetimes: { attached() { console.log('attached', this.data.id); } },
  methods: {
    onLoad(query) { console.log('onLoad', query.id, typeof this.data.id, this.data.id); },
    onReady() { this.setData({ x: 2 }); console.log('ready', this.data.x); },
  },
});
"#;
    let h = Harness::start(app(&[
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view>{{x}}</view>"),
    ]));
    let messages = h.launch("pages/index/index", "id=5");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(h.console(), ["attached 5", "onLoad 5 number 5", "ready 2"]);
    let mut tree = Tree::new();
    tree.apply_messages(&messages);
    assert_eq!(tree.page(), "<page><view>2</view></page>");
}

#[test]
fn the_chaining_api_registers_a_component() {
    let comp_js = r#"
Component()
  .property('label', String)
  .data(() => ({ n: 1 }))
  .data(() => ({ m: 2 }))
  .lifetime('attached', function () { console.log('attached 1', this.data.label, this.data.n, this.data.m); })
  .lifetime('attached', function () { console.log('attached 2'); })
  .observer('n', function (n) { console.log('n', n); })
  .init(function ({ lifetime }) { lifetime('ready', () => console.log('ready from init')); return { bump() { this.setData({ n: 5 }); } }; })
  .register();
"#;
    let page_js = "Page({ onReady() { this.selectComponent('#c').bump(); } })";
    let (h, _, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"c":"/c"}}"#,
        ),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", r#"<c id="c" label="L"/>"#),
        ("c.js", comp_js),
        ("c.wxml", "<text>{{n}}</text>"),
    ]);
    assert_eq!(
        h.console(),
        ["attached 1 L 1 2", "attached 2", "ready from init", "n 5"]
    );
}

#[test]
fn external_classes_virtual_hosts_and_generics_reach_the_render_side() {
    let (_, tree, _) = launch(&[
        ("app.json", r#"{"pages":["pages/index/index"],"usingComponents":{"radio-item":"/radio"}}"#),
        ("pages/index/index.json", r#"{"usingComponents":{"list":"/list"}}"#),
        ("pages/index/index.js", "Page({})"),
        (
            "pages/index/index.wxml",
            r#"<list id="l" my-class="red big" generic:item="radio-item"/>"#,
        ),
        ("list.json", r#"{"componentGenerics":{"item":true}}"#),
        (
            "list.js",
            "Component({ externalClasses: ['my-class'], options: { virtualHost: true, addGlobalClass: true } })",
        ),
        ("list.wxml", r#"<view class="my-class"><item/></view>"#),
        ("radio.js", "Component({})"),
        ("radio.wxml", "<text>radio</text>"),
    ]);
    let host = tree.by_id("l");
    assert_eq!(
        tree.attr(host, "wx:external-classes"),
        Some(&json!({ "my-class": "red big" }))
    );
    assert_eq!(tree.attr(host, "wx:virtual"), Some(&json!(true)));
    assert_eq!(tree.attr(host, "wx:add-global-class"), Some(&json!(true)));
    assert_eq!(
        tree.attr(host, "wx:style-isolation"),
        Some(&json!("apply-shared"))
    );
    assert_eq!(
        tree.page(),
        r#"<page><list id="l"><view class="my-class"><item><text>radio</text></item></view></list></page>"#
    );
}

#[test]
fn an_exception_in_a_component_reaches_its_error_lifetime_and_is_reported() {
    let comp_js = r#"
Component({
  lifetimes: { error(e) { console.log('error lifetime', e.message); } },
  methods: { boom() { throw new Error('kaput'); } },
});
"#;
    let (h, tree, page) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"c":"/c"}}"#,
        ),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", r#"<c/>"#),
        ("c.js", comp_js),
        ("c.wxml", r#"<view id="b" bindtap="boom"/>"#),
    ]);
    let messages = tap(&h, page, tree.by_id("b"));
    assert_eq!(h.console(), ["error lifetime kaput"]);
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].message.contains("kaput"), "{}", errors[0]);
    assert_eq!(errors[0].file, "c.js");
}

#[test]
fn components_created_by_set_data_run_their_lifetimes_in_that_turn() {
    let comp_js = r#"
Component({
  properties: { n: Number },
  lifetimes: {
    created() { console.log('created'); },
    attached() { console.log('attached', this.data.n); },
    ready() { console.log('ready'); },
    detached() { console.log('detached'); this.setData({ n: 0 }); },
  },
});
"#;
    let page_js = r#"
Page({
  data: { on: false, n: 1 },
  onReady() {
    setTimeout(() => this.setData({ on: true, n: 2 }), 5);
    setTimeout(() => this.setData({ on: false }), 10);
  },
});
"#;
    let (h, mut tree, _) = launch(&[
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"c":"/c"}}"#,
        ),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", r#"<c wx:if="{{on}}" n="{{n}}"/>"#),
        ("c.js", comp_js),
        ("c.wxml", "<text>{{n}}</text>"),
    ]);
    assert_eq!(tree.page(), "<page></page>");
    let shown = h.advance(5);
    assert!(errors(&shown).is_empty(), "{shown:#?}");
    tree.apply_messages(&shown);
    assert_eq!(tree.page(), "<page><c><text>2</text></c></page>");
    assert_eq!(h.console(), ["created", "attached 2", "ready"]);
    let hidden = h.advance(5);
    assert!(
        errors(&hidden).is_empty(),
        "setData in detached must not throw"
    );
    tree.apply_messages(&hidden);
    assert_eq!(tree.page(), "<page></page>");
    assert_eq!(h.console()[3..], ["detached"]);
}
