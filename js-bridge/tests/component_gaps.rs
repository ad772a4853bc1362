//! The remaining component features of issue 3 (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html>):
//! `onResize` / `pageLifetimes.resize` on `ToLogic::Resize`,
//! `pageLifetimes.show/hide` on routes, pages declared with `Component()`
//! (observers, property observers, behaviors), selector queries and
//! intersection observers scoped to a component's shadow tree,
//! `selectComponent` with combinators, and relations' `linkChanged`.

mod harness;

use cirrus_engine::layout::Viewport;
use cirrus_engine::ops::{NodeId, Op};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::query::QueryTarget;
use cirrus_engine::stage::Stage;
use harness::{batches, errors, Harness};
use serde_json::json;

/// An app of `pages/index/index` and `pages/b/b` plus `files`.
fn app(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = vec![
        (
            "app.json".into(),
            r#"{"pages":["pages/index/index","pages/b/b"]}"#.into(),
        ),
        ("app.js".into(), "App({})".into()),
    ];
    for (path, text) in [
        (
            "pages/b/b.js",
            "Page({ onResize(r) { console.log('b onResize', r.size.windowWidth, r.size.windowHeight); } })",
        ),
        ("pages/b/b.wxml", "<view>b</view>"),
    ] {
        if !files.iter().any(|(p, _)| *p == path) {
            all.push((path.into(), text.into()));
        }
    }
    all.extend(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    all
}

fn launch(files: &[(&str, &str)], query: &str) -> (Harness, Vec<ToRender>) {
    let h = Harness::start(app(files));
    let messages = h.launch("pages/index/index", query);
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    (h, messages)
}

fn resize(h: &Harness, width: f32, height: f32) -> Vec<ToRender> {
    h.to_logic
        .send(ToLogic::Resize(Viewport::new(width, height, 2.0)))
        .expect("logic alive");
    h.until_idle()
}

/// The id a `SetAttribute { name: "id" }` op gave the element `id`.
fn node_with_id(messages: &[ToRender], id: &str) -> NodeId {
    batches(messages)
        .into_iter()
        .flat_map(|b| b.ops)
        .find_map(|op| match op {
            Op::SetAttribute {
                id: node,
                name,
                value,
            } if name == "id" && value == json!(id) => Some(node),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no element with id {id}"))
}

const CARD_JSON: &str = r#"{"usingComponents":{"card":"/card"}}"#;

#[test]
fn resize_calls_the_top_pages_on_resize_and_its_components_resize_with_the_page_height() {
    let card_js = r#"
Component({
  pageLifetimes: {
    resize(r) { console.log('card resize', r.size.windowWidth, r.size.windowHeight); },
  },
});
"#;
    let page_js = r#"
Page({
  onResize(r) { console.log('index onResize', r.size.windowWidth, r.size.windowHeight); },
  onReady() { setTimeout(() => wx.navigateTo({ url: '/pages/b/b' }), 10); },
});
"#;
    let (h, _) = launch(
        &[
            ("pages/index/index.json", CARD_JSON),
            ("pages/index/index.js", page_js),
            ("pages/index/index.wxml", "<card/>"),
            ("card.js", card_js),
            ("card.wxml", "<view/>"),
        ],
        "",
    );
    // The navigation bar (44 px) is not the page's.
    let messages = resize(&h, 400.0, 800.0);
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(
        h.console(),
        ["index onResize 400 756", "card resize 400 756"]
    );
    // Only the page on top hears it.
    h.advance(10);
    resize(&h, 300.0, 500.0);
    assert_eq!(
        h.console(),
        [
            "index onResize 400 756",
            "card resize 400 756",
            "b onResize 300 456"
        ]
    );
}

#[test]
fn resize_on_a_tab_page_leaves_out_the_tab_bar() {
    let (h, _) = launch(
        &[
            (
                "app.json",
                r#"{"pages":["pages/index/index","pages/b/b"],
                    "tabBar":{"list":[{"pagePath":"pages/index/index","text":"A"},
                                      {"pagePath":"pages/b/b","text":"B"}]}}"#,
            ),
            (
                "pages/index/index.js",
                "Page({ onResize(r) { console.log(r.size.windowWidth, r.size.windowHeight); } })",
            ),
            ("pages/index/index.wxml", "<view/>"),
        ],
        "",
    );
    resize(&h, 400.0, 800.0);
    // 800 - 44 (navigation bar) - 50 (tab bar) - 1 (its top border).
    assert_eq!(h.console(), ["400 705"]);
}

#[test]
fn page_lifetimes_show_and_hide_follow_navigate_to_and_back() {
    let card_js = r#"
Component({
  pageLifetimes: {
    show() { console.log('card show', this.id); },
    hide() { console.log('card hide', this.id); },
  },
});
"#;
    let page_js = r#"
Page({
  onShow() { console.log('index onShow'); },
  onHide() { console.log('index onHide'); },
  onReady() { setTimeout(() => wx.navigateTo({ url: '/pages/b/b' }), 10); },
});
"#;
    let b_js = r#"
Page({
  onShow() { console.log('b onShow'); },
  onReady() { setTimeout(() => wx.navigateBack(), 10); },
});
"#;
    let (h, _) = launch(
        &[
            ("pages/index/index.json", CARD_JSON),
            ("pages/index/index.js", page_js),
            // `inner` is projected into `outer`'s slot (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html>: slot-projected
            // components hear page lifetimes too).
            (
                "pages/index/index.wxml",
                r#"<card id="outer"><card id="inner"/></card>"#,
            ),
            ("pages/b/b.js", b_js),
            ("card.js", card_js),
            ("card.wxml", "<view><slot/></view>"),
        ],
        "",
    );
    h.advance(10);
    h.advance(10);
    assert_eq!(
        h.console(),
        [
            "index onShow",
            "card show outer",
            "card show inner",
            "index onHide",
            "card hide outer",
            "card hide inner",
            "b onShow",
            "index onShow",
            "card show outer",
            "card show inner"
        ]
    );
}

#[test]
fn a_page_declared_with_component_runs_observers_once_per_set_data_and_its_behaviors() {
    let page_js = r#"
const greeter = Behavior({
  data: { who: 'behavior' },
  lifetimes: { attached() { console.log('behavior attached'); } },
  methods: { hello() { return 'hello ' + this.data.who; } },
});
Component({
  behaviors: [greeter],
  properties: {
    id: { type: Number, observer(now, old) { console.log('id', now, old); } },
  },
  data: { a: 1, b: { c: 1, d: 1 } },
  observers: {
    'a, b.c': function (a, c) { console.log('a,b.c', a, c); },
    'b.**': function (b) { console.log('b.**', JSON.stringify(b)); },
    'who': function (who) { console.log('who', who); },
  },
  methods: {
    onLoad() { console.log('onLoad', this.hello(), this.hasBehavior(greeter)); },
    onReady() {
      this.setData({ a: 2, 'b.c': 3, 'b.d': 4 });
      this.setData({ id: 9 });
      this.setData({ a: 5 });
    },
  },
});
"#;
    let (h, _) = launch(
        &[
            ("pages/index/index.js", page_js),
            (
                "pages/index/index.wxml",
                "<view>{{a}}-{{b.c}}-{{id}}</view>",
            ),
        ],
        "id=5",
    );
    assert_eq!(
        h.console(),
        [
            "id 5 0",
            "behavior attached",
            "onLoad hello behavior true",
            "a,b.c 2 3",
            r#"b.** {"c":3,"d":4}"#,
            "id 9 5",
            "a,b.c 5 3",
        ]
    );
}

#[test]
fn a_page_declared_with_component_hears_its_own_page_lifetimes() {
    let page_js = r#"
Component({
  pageLifetimes: {
    show() { console.log('show'); },
    resize(r) { console.log('resize', r.size.windowHeight); },
  },
  methods: { onShow() { console.log('onShow'); } },
});
"#;
    let (h, _) = launch(
        &[
            ("pages/index/index.js", page_js),
            ("pages/index/index.wxml", "<view/>"),
        ],
        "",
    );
    resize(&h, 400.0, 600.0);
    assert_eq!(h.console(), ["onShow", "show", "resize 556"]);
}

/// Runs the Stage on everything the logic thread sent, answers the queries
/// it asked for and hands the answers back; returns what the logic thread
/// sent then.
fn answer_queries(stage: &mut Stage, messages: Vec<ToRender>, h: &Harness) -> Vec<ToRender> {
    for message in messages {
        stage.handle(message);
    }
    let mut replies = Vec::new();
    for answer in stage.answer_queries(0.0) {
        h.to_logic.send(answer).expect("logic alive");
        replies.extend(h.until_idle());
    }
    replies
}

const SCOPED_CARD_JS: &str = r#"
Component({
  lifetimes: {
    ready() {
      this.createSelectorQuery().selectAll('.box').fields({ id: true }).exec((res) => {
        console.log('card query', res[0].map(n => n.id).join(','));
      });
      this.createIntersectionObserver().relativeToViewport().observe('.box', (entry) => {
        console.log('card observer', entry.id);
      });
    },
  },
});
"#;

#[test]
fn a_components_selector_query_and_observer_see_only_its_own_shadow_tree() {
    let page_js = r#"
Page({
  onReady() {
    wx.createSelectorQuery().selectAll('.box').fields({ id: true }).exec((res) => {
      console.log('page query', res[0].map(n => n.id).join(','));
    });
    const card = this.selectComponent('#first');
    wx.createSelectorQuery().in(card).select('.box').fields({ id: true }).exec((res) => {
      console.log('in(card) query', res[0].id);
    });
  },
});
"#;
    let files = [
        (
            "app.json",
            r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
        ),
        ("app.js", "App({})"),
        ("pages/index/index.json", CARD_JSON),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            r#"<view class="box" id="page-box"/><card id="first"><view class="box" id="slotted"/></card><card id="second"/>"#,
        ),
        ("card.js", SCOPED_CARD_JS),
        ("card.wxml", r#"<view class="box" id="own"><slot/></view>"#),
    ];
    let h = Harness::start(
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    );
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    // Each component's query and observer name its host as their scope.
    let first_host = node_with_id(&messages, "first");
    let second_host = node_with_id(&messages, "second");
    let query_scopes: Vec<(Option<NodeId>, bool)> = messages
        .iter()
        .filter_map(|m| match m {
            ToRender::Query { requests, .. } => Some((
                requests[0].scope,
                matches!(requests[0].target, QueryTarget::All(_)),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        query_scopes,
        [
            // `ready` runs children first, the later sibling first.
            (Some(second_host), true),
            (Some(first_host), true),
            (None, true),
            (Some(first_host), false)
        ]
    );
    let observer_scopes: Vec<Option<NodeId>> = messages
        .iter()
        .filter_map(|m| match m {
            ToRender::ObserveIntersection(spec) => Some(spec.scope),
            _ => None,
        })
        .collect();
    assert_eq!(observer_scopes, [Some(second_host), Some(first_host)]);

    // The render side answers them: the slotted light child is the page's.
    let (package, diagnostics) =
        Package::from_files(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut stage = Stage::new(package, Viewport::new(375.0, 667.0, 2.0));
    let replies = answer_queries(&mut stage, messages, &h);
    assert!(errors(&replies).is_empty(), "{:#?}", errors(&replies));
    let mut console = h.console();
    console.sort();
    assert_eq!(
        console,
        [
            "card observer own",
            "card observer own",
            "card query own",
            "card query own",
            "in(card) query own",
            "page query page-box,own,slotted,own",
        ]
    );
}

#[test]
fn select_component_takes_descendant_and_child_combinators_in_the_owners_template() {
    let page_js = r#"
Page({
  onReady() {
    const labels = (list) => list.map(c => c.data.label).join(',');
    console.log(labels(this.selectAllComponents('.list .item')));
    console.log(labels(this.selectAllComponents('.list > .item')));
    console.log(labels(this.selectAllComponents('#outer>.group .item')));
    console.log(labels(this.selectAllComponents('.other .item')));
    console.log(this.selectComponent('.list .item').data.label);
  },
});
"#;
    let (h, _) = launch(
        &[
            (
                "pages/index/index.json",
                r#"{"usingComponents":{"item":"/item"}}"#,
            ),
            ("pages/index/index.js", page_js),
            (
                "pages/index/index.wxml",
                r#"<view id="outer" class="list"><item class="item" label="A"/><view class="group"><item class="item" label="B"/></view></view><item class="item" label="C"/>"#,
            ),
            ("item.js", "Component({ properties: { label: String } })"),
            ("item.wxml", "<text>{{label}}</text>"),
        ],
        "",
    );
    assert_eq!(h.console(), ["A,B", "A", "B", "", "A"]);
}

/// `selectComponent` uses the style sheets' selectors (cirrus-style's
/// `SelectorList`): siblings, structural pseudo-classes, `:not()` and
/// attributes count the owner's template only, text and `wx:if` blocks
/// included.
#[test]
fn select_component_takes_the_selectors_of_wxss() {
    let page_js = r#"
Page({
  data: { more: true },
  onReady() {
    const labels = (list) => list.map(c => c.data.label).join(',');
    console.log(labels(this.selectAllComponents('.item:first-child')));
    console.log(labels(this.selectAllComponents('.item + .item')));
    console.log(labels(this.selectAllComponents('.item ~ .item')));
    console.log(labels(this.selectAllComponents('.item:not(.b)')));
    console.log(labels(this.selectAllComponents('item:last-child')));
    console.log(labels(this.selectAllComponents('[data-kind=x], .c')));
    console.log(labels(this.selectAllComponents('*')));
    console.log(labels(this.selectAllComponents('.item::before')));
    console.log(labels(this.selectAllComponents('.list >')));
  },
});
"#;
    let (h, _) = launch(
        &[
            (
                "pages/index/index.json",
                r#"{"usingComponents":{"item":"/item"}}"#,
            ),
            ("pages/index/index.js", page_js),
            (
                "pages/index/index.wxml",
                r#"<view class="list">text<item class="item a" label="A" data-kind="x"/><block wx:if="{{more}}"><item class="item b" label="B"/></block><item class="item c" label="C"/></view>"#,
            ),
            ("item.js", "Component({ properties: { label: String } })"),
            ("item.wxml", "<text>{{label}}</text>"),
        ],
        "",
    );
    assert_eq!(
        h.console(),
        ["A", "B,C", "B,C", "A,C", "C", "A,C", "A,B,C", "", ""]
    );
}

#[test]
fn relations_hear_link_changed_when_a_linked_child_moves() {
    let ul_js = r#"
Component({
  relations: {
    './li': {
      type: 'child',
      linked(target) { console.log('ul linked', target.data.name); },
      linkChanged(target) { console.log('ul linkChanged', target.data.name); },
    },
  },
});
"#;
    let li_js = r#"
Component({
  properties: { name: String },
  relations: {
    './ul': { type: 'parent', linkChanged(target) { console.log('li linkChanged', this.data.name, target.is); } },
  },
});
"#;
    let page_js = r#"
Page({
  data: { list: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] },
  onReady() {
    setTimeout(() => this.setData({ list: [{ id: 2, name: 'b' }, { id: 1, name: 'a' }] }), 5);
  },
});
"#;
    let (h, _) = launch(
        &[
            (
                "pages/index/index.json",
                r#"{"usingComponents":{"x-ul":"/rel/ul","x-li":"/rel/li"}}"#,
            ),
            ("pages/index/index.js", page_js),
            (
                "pages/index/index.wxml",
                r#"<x-ul><x-li wx:for="{{list}}" wx:key="id" name="{{item.name}}"/></x-ul>"#,
            ),
            ("rel/ul.js", ul_js),
            ("rel/ul.wxml", "<view><slot/></view>"),
            ("rel/li.js", li_js),
            ("rel/li.wxml", "<text>{{name}}</text>"),
        ],
        "",
    );
    let messages = h.advance(5);
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(
        h.console(),
        [
            "ul linked a",
            "ul linked b",
            "ul linkChanged b",
            "li linkChanged b rel/ul"
        ]
    );
}
