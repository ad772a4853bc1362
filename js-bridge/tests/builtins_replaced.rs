//! An app that replaces built-ins after the engine booted (a careless
//! polyfill, a hostile library) breaks only its own calls to them: the
//! engine's JS reaches built-ins through what bootstrap.js captured before
//! app.js ran (its "primordials"), so setData, component properties and
//! observers, events, triggerEvent, ticks and timers keep working.

mod harness;

use cirrus_engine::ops::{NodeId, Op, PageId};
use cirrus_engine::protocol::{EventDetail, ToLogic, ToRender, UiEvent};
use harness::{batches, errors, Harness};
use serde_json::json;

/// app.js: every replaced built-in throws when called. The checks count
/// the replacements that took effect, so the test cannot pass vacuously.
const POISONING_APP_JS: &str = r#"
function poisoned(name) {
  return function () { throw new Error(name + ' was called (replaced by the app)') }
}
function poison(target, label, names) {
  for (let i = 0; i < names.length; i++) target[names[i]] = poisoned(label + '.' + names[i])
}
const checks = [
  function () { [].push(1) },
  function () { for (const x of [1]) x },
  function () { poisoned.call(null) },
  function () { Object.keys({}) },
  function () { JSON.stringify({}) },
  function () { Reflect.apply(poisoned, null, []) },
  function () { /a/.test('a') },
  function () { 'a'.slice(0) },
]
poison(Array.prototype, 'Array.prototype', ['push', 'pop', 'map', 'forEach', 'filter', 'slice', 'splice',
  'concat', 'indexOf', 'join', 'includes', 'some', 'reverse'])
Array.prototype[Symbol.iterator] = poisoned('Array.prototype[Symbol.iterator]')
Array.prototype.constructor = { [Symbol.species]: poisoned('Array species') }
poison(Function.prototype, 'Function.prototype', ['call', 'apply', 'bind'])
poison(Object, 'Object', ['keys', 'assign', 'create', 'defineProperty', 'freeze'])
poison(JSON, 'JSON', ['stringify', 'parse'])
poison(Reflect, 'Reflect', ['apply'])
poison(String.prototype, 'String.prototype', ['split', 'slice', 'indexOf', 'trim'])
poison(RegExp.prototype, 'RegExp.prototype', ['exec', 'test'])
poison(Promise.prototype, 'Promise.prototype', ['then'])
poison(Map.prototype, 'Map.prototype', ['get', 'set', 'has', 'delete', 'forEach'])
poison(Set.prototype, 'Set.prototype', ['add', 'has'])
poison(globalThis, 'global', ['Map', 'Set'])
Object.prototype.get = poisoned('Object.prototype.get')
Object.prototype.set = poisoned('Object.prototype.set')
let replaced = 0
for (let i = 0; i < checks.length; i++) {
  try { checks[i]() } catch (e) { replaced++ }
}
console.log('replaced ' + replaced + ' of ' + checks.length)
App({})
"#;

const PAGE_JS: &str = r#"
Page({
  data: { items: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }], picked: 'none' },
  onLoad() {
    this.setData({ 'items[1].name': 'TWO', extra: { deep: [1, 2] } }, function () {
      console.log('callback ' + this.data.items[1].name + ' ' + this.data.extra.deep[1])
    })
    wx.nextTick(function () { console.log('tick') })
    setTimeout(function (a, b) { console.log('timer ' + a + b) }, 10, 'x', 'y')
  },
  onPicked(e) {
    this.setData({ picked: e.detail.name })
    console.log('picked ' + e.detail.name + ' from ' + e.currentTarget.id)
  },
})
"#;

const CARD_JS: &str = r#"
Component({
  properties: {
    name: {
      type: String,
      observer(now, old) { if (old) console.log('observer ' + old + ' -> ' + now) },
    },
  },
  data: { taps: 0 },
  lifetimes: {
    attached() { console.log('attached ' + this.properties.name) },
  },
  methods: {
    onTap() {
      this.setData({ taps: this.data.taps + 1 })
      this.triggerEvent('picked', { name: this.data.name }, { bubbles: true, composed: true })
    },
  },
})
"#;

fn files() -> Vec<(String, String)> {
    [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", POISONING_APP_JS),
        (
            "pages/index/index.json",
            r#"{"usingComponents":{"card":"/components/card/card"}}"#,
        ),
        ("pages/index/index.js", PAGE_JS),
        (
            "pages/index/index.wxml",
            r#"<card wx:for="{{items}}" wx:key="id" id="card{{item.id}}" name="{{item.name}}" bind:picked="onPicked"/><text>{{picked}}</text>"#,
        ),
        ("components/card/card.json", r#"{"component":true}"#),
        ("components/card/card.js", CARD_JS),
        (
            "components/card/card.wxml",
            r#"<view id="hit-{{name}}" bindtap="onTap">{{name}} {{taps}}</view>"#,
        ),
    ]
    .iter()
    .map(|(path, text)| (path.to_string(), text.to_string()))
    .collect()
}

/// The element whose `id` attribute is `id`.
fn element_with_id(messages: &[ToRender], id: &str) -> NodeId {
    batches(messages)
        .iter()
        .flat_map(|batch| batch.ops.iter())
        .find_map(|op| match op {
            Op::SetAttribute {
                id: node,
                name,
                value,
            } if name == "id" && *value == json!(id) => Some(*node),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no element with id {id}"))
}

/// Whether some op of `messages` sets a text run to `text`.
fn sets_text(messages: &[ToRender], text: &str) -> bool {
    batches(messages).iter().any(|batch| {
        batch.ops.iter().any(|op| {
            matches!(op, Op::CreateText { text: t, .. } | Op::SetText { text: t, .. } if t == text)
        })
    })
}

#[test]
fn set_data_components_and_events_work_after_the_app_replaced_built_ins() {
    let h = Harness::start(files());
    let launched = h.launch("pages/index/index", "");
    assert!(errors(&launched).is_empty(), "{:#?}", errors(&launched));
    assert_eq!(
        h.console(),
        [
            "replaced 8 of 8",
            // The first render's components, attached before the page's onLoad.
            "attached one",
            "attached two",
            // onLoad's setData reached the second card's property.
            "observer two -> TWO",
            "callback TWO 2",
            "tick",
        ]
    );
    assert!(sets_text(&launched, "TWO 0"), "{launched:#?}");
    let page: PageId = batches(&launched)[0].page;

    // A tap in the second card: its handler's setData and triggerEvent,
    // then the page's handler and its setData.
    let node = element_with_id(&launched, "hit-TWO");
    h.to_logic
        .send(ToLogic::Event(UiEvent::new(
            page,
            node,
            "tap",
            EventDetail::Value(json!({ "x": 1, "y": 2 })),
        )))
        .expect("logic alive");
    let tapped = h.until_idle();
    assert!(errors(&tapped).is_empty(), "{:#?}", errors(&tapped));
    assert_eq!(h.console()[6..], ["picked TWO from card2"]);
    assert!(sets_text(&tapped, "TWO 1"), "{tapped:#?}");
    assert!(sets_text(&tapped, "TWO"), "{tapped:#?}");

    // A timer with arguments.
    let later = h.advance(10);
    assert!(errors(&later).is_empty(), "{:#?}", errors(&later));
    assert_eq!(h.console()[7..], ["timer xy"]);
}

#[test]
fn wx_promises_storage_and_routing_work_after_the_app_replaced_built_ins() {
    let page_js = r#"
Page({
  async onLoad() {
    wx.setStorageSync('k', { list: [1, 2, 3], when: 'now' })
    const back = wx.getStorageSync('k')
    console.log('storage ' + back.list[2] + ' ' + back.when)
    const titled = await wx.setNavigationBarTitle({ title: 'T' })
    console.log('title ' + titled.errMsg)
    const info = await wx.getSystemInfo()
    console.log('info ' + (info.windowWidth > 0))
    console.log('can use ' + wx.canIUse('getStorageSync') + ' ' + wx.canIUse('view.hover-class'))
    console.log('pages ' + getCurrentPages().length)
    wx.showToast({ title: 'hi', complete: function (r) { console.log('toast ' + r.errMsg) } })
  },
})
"#;
    let mut all = files();
    all.retain(|(path, _)| !path.starts_with("pages/index/"));
    all.push(("pages/index/index.js".into(), page_js.into()));
    all.push(("pages/index/index.wxml".into(), "<view>p</view>".into()));
    let h = Harness::start(all);
    let launched = h.launch("pages/index/index", "");
    assert!(errors(&launched).is_empty(), "{:#?}", errors(&launched));
    assert_eq!(
        h.console(),
        [
            "replaced 8 of 8",
            "storage 3 now",
            "title setNavigationBarTitle:ok",
            "info true",
            "can use true true",
            "pages 1",
            "toast showToast:ok",
        ]
    );
}

#[test]
fn set_data_keys_do_not_go_through_a_replaced_array_to_json() {
    // The keys of a setData travel to Rust as one JSON array; an app's
    // Array.prototype.toJSON must not choose them (the page's data holds
    // no array, so only the engine's arrays could reach it).
    let app_js = r#"
Array.prototype.toJSON = function () { return ['__proto__.polluted'] }
App({})
"#;
    let page_js = r#"
Page({
  data: { user: { name: 'Alice' }, count: 1 },
  onLoad() {
    this.setData({ 'user.name': 'Bob', count: 2 })
    console.log('data ' + this.data.user.name + ' ' + this.data.count + ' ' + ({}).polluted)
  },
})
"#;
    let h = Harness::start(harness::one_page_app(&[
        ("app.js", app_js),
        ("pages/index/index.js", page_js),
        (
            "pages/index/index.wxml",
            "<text>{{user.name}}</text><text>{{count}}</text>",
        ),
    ]));
    let launched = h.launch("pages/index/index", "");
    assert!(errors(&launched).is_empty(), "{:#?}", errors(&launched));
    assert_eq!(h.console(), ["data Bob 2 undefined"]);
    assert!(sets_text(&launched, "Bob"), "{launched:#?}");
    assert!(sets_text(&launched, "2"), "{launched:#?}");
}
