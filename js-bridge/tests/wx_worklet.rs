//! wx.worklet on the logic thread: what it sends the render thread. Shared
//! values, `applyAnimatedStyle` with an updater whose captures are read at
//! dispatch (assigned in onLoad), animations made on the JS thread, runOnUI
//! with arguments, and the values and runOnJS calls the UI thread sends
//! back. The page is written the way Skyline samples are.

mod wx_common;

use cirrus_engine::protocol::{ToLogic, ToRender};
use serde_json::{json, Value};
use wx_common::App;

fn owned(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const SHEET_PAGE: &str = r#"
const { shared, timing, spring, Easing, runOnJS } = wx.worklet

Page({
  data: { open: false },
  onLoad() {
    this.offset = shared(0)
    this.applyAnimatedStyle('.sheet', () => {
      'worklet'
      return { transform: `translateY(${this.offset.value}px)` }
    })
  },
  onReady() {
    this.offset.value = timing(300, { duration: 250, easing: Easing.out(Easing.cubic) })
    // Page methods are shared by every instance: bound, as WeChat asks.
    wx.worklet.runOnUI(this.settle.bind(this))(12)
  },
  settle(velocity) {
    'worklet'
    this.offset.value = spring(0, { velocity })
    runOnJS(this.onSettled.bind(this))('closed')
  },
  onSettled(state) {
    console.log('sheet ' + state + ' at ' + this.offset.value)
  },
})
"#;

fn app() -> App {
    App::start(
        owned(&[
            (
                "app.json",
                r#"{"pages":["pages/index/index"],"renderer":"skyline"}"#,
            ),
            ("app.js", "App({})"),
            ("pages/index/index.json", r#"{"usingComponents":{}}"#),
            (
                "pages/index/index.wxml",
                r#"<view class="sheet"><text>Drag me</text></view>"#,
            ),
            ("pages/index/index.js", SHEET_PAGE),
        ]),
        None,
    )
}

fn worklet_of(value: &Value) -> &Value {
    &value["__cirrusWorklet"]
}

#[test]
fn a_sheet_page_sends_its_shared_values_styles_and_worklets() {
    let app = app();
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let shared: Vec<&(u64, Value)> = messages
        .iter()
        .filter_map(|m| match m {
            ToRender::WorkletShared { values } => Some(values),
            _ => None,
        })
        .flatten()
        .collect();
    // shared(0), then the JS thread's timing request.
    assert_eq!(shared[0], &(1, json!(0)));
    assert_eq!(
        shared[1].1["__cirrusAnimation"]["name"],
        json!("timing"),
        "{shared:?}"
    );
    assert_eq!(
        shared[1].1["__cirrusAnimation"]["args"][1]["easing"]["__cirrusAnimation"]["name"],
        json!("Easing.out")
    );
    let style = messages
        .iter()
        .find_map(|m| match m {
            ToRender::ApplyAnimatedStyle {
                selector,
                updater,
                immediate,
                ..
            } => Some((selector.clone(), updater.clone(), *immediate)),
            _ => None,
        })
        .expect("applyAnimatedStyle reached the render thread");
    assert_eq!(style.0, ".sheet");
    assert!(style.2);
    let updater = worklet_of(&style.1);
    // Captured at dispatch, after onLoad assigned `this.offset`.
    assert_eq!(
        updater["closure"]["this"],
        json!({"offset": {"__cirrusShared": 1}}),
        "{updater}"
    );
    assert!(
        updater["location"]
            .as_str()
            .is_some_and(|l| l.starts_with("pages/index/index.js:")),
        "{updater}"
    );
    let (worklet, args) = messages
        .iter()
        .find_map(|m| match m {
            ToRender::RunOnUi { worklet, args } => Some((worklet.clone(), args.clone())),
            _ => None,
        })
        .expect("runOnUI reached the render thread");
    assert_eq!(args, json!([12]));
    let settle = worklet_of(&worklet);
    assert_eq!(
        settle["closure"]["spring"],
        json!({"__cirrusBuiltin": "spring"})
    );
    assert_eq!(
        settle["closure"]["runOnJS"],
        json!({"__cirrusBuiltin": "runOnJS"})
    );
    let remote = &settle["closure"]["$bind$onSettled"]["__cirrusRemote"];
    assert!(remote["id"].as_u64().is_some(), "{settle}");

    // The UI thread reports the spring's end and calls back.
    app.to_logic
        .send(ToLogic::WorkletShared {
            values: vec![(1, json!(0))],
        })
        .unwrap();
    app.to_logic
        .send(ToLogic::RunOnJs {
            id: remote["id"].as_u64().unwrap(),
            args: json!(["closed"]),
        })
        .unwrap();
    app.until_idle();
    assert_eq!(app.console(), vec!["sheet closed at 0"]);
    app.shutdown();
}

#[test]
fn an_uncopyable_capture_is_an_error_naming_it() {
    let app = App::start(
        owned(&[
            ("app.json", r#"{"pages":["pages/index/index"]}"#),
            ("app.js", "App({})"),
            ("pages/index/index.wxml", r#"<view class="card"/>"#),
            (
                "pages/index/index.js",
                r#"const seen = new Map()
Page({
  onLoad() {
    wx.worklet.runOnUI(() => {
      'worklet'
      return seen
    })()
  },
})"#,
            ),
        ]),
        None,
    );
    let messages = app.launch();
    let errors = App::errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?} {messages:?}");
    assert!(errors[0].contains("\"seen\""), "{}", errors[0]);
    assert!(
        errors[0].contains("pages/index/index.js:4"),
        "{}",
        errors[0]
    );
    app.shutdown();
}

#[test]
fn a_worklet_attribute_sends_the_owners_method_or_says_it_is_not_a_worklet() {
    let app = App::start(
        owned(&[
            ("app.json", r#"{"pages":["pages/index/index"]}"#),
            ("app.js", "App({})"),
            (
                "pages/index/index.wxml",
                r#"<scroll-view scroll-y worklet:onscrollupdate="onScroll"/><scroll-view scroll-y worklet:onscrollupdate="plain"/>"#,
            ),
            (
                "pages/index/index.js",
                r#"Page({
  onLoad() { this.top = wx.worklet.shared(0) },
  onScroll(e) { 'worklet'; this.top.value = e.detail.scrollTop },
  plain() {},
})"#,
            ),
        ]),
        None,
    );
    let messages = app.launch();
    let handlers: Vec<_> = messages
        .iter()
        .filter_map(|m| match m {
            ToRender::WorkletHandler {
                node,
                event,
                worklet,
                ..
            } => Some((node.0, event.clone(), worklet.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(handlers.len(), 1, "{handlers:?}");
    assert_eq!(handlers[0].1, "onscrollupdate");
    assert_eq!(
        handlers[0].2["__cirrusWorklet"]["closure"]["this"],
        json!({"top": {"__cirrusShared": 1}})
    );
    let errors = App::errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("\"plain\" is not a worklet method"),
        "{}",
        errors[0]
    );
    app.shutdown();
}
