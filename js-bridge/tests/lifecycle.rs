//! The logic thread end to end with the controlled clock: lifecycle order,
//! message order, globals, require, timers and error reporting.

mod harness;

use cirrus_engine::protocol::ToRender;
use harness::{errors, one_page_app, Harness};

const APP_JS: &str = r#"
App({
  globalData: { user: 'ada' },
  onLaunch(options) { console.log('app.onLaunch', options.path, options.scene, options.query.id); },
  onShow(options) { console.log('app.onShow', options.path); },
});
"#;

#[test]
fn lifecycle_runs_in_startup_order_and_messages_follow_it() {
    let page_js = r#"
Page({
  data: { title: 'hi' },
  onLoad(query) { console.log('page.onLoad', query.id, this.options.id, this.route); },
  onShow() { console.log('page.onShow'); },
  onReady() { console.log('page.onReady', this.data.title); },
});
"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", APP_JS),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view>{{title}}</view>"),
    ]));
    let messages = h.launch("pages/index/index", "id=3");
    assert_eq!(
        h.console(),
        [
            "app.onLaunch pages/index/index 1001 3",
            "app.onShow pages/index/index",
            "page.onLoad 3 3 pages/index/index",
            "page.onShow",
            "page.onReady hi",
        ]
    );
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    let kinds: Vec<&str> = messages
        .iter()
        .map(|m| match m {
            ToRender::PushPage { .. } => "push",
            ToRender::Ops(_) => "ops",
            ToRender::PageReady { .. } => "ready",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["push", "ops", "ready"], "then Idle ended the turn");
    match &messages[0] {
        ToRender::PushPage { route, .. } => assert_eq!(route, "pages/index/index"),
        other => panic!("expected PushPage, got {other:?}"),
    }
}

#[test]
fn route_query_inline_and_home_default() {
    let page_js = "Page({ onLoad(q) { console.log('q', JSON.stringify(q)); } });";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("", "a=1&b=two");
    assert_eq!(h.console(), [r#"q {"a":"1","b":"two"}"#]);
}

#[test]
fn get_app_and_current_pages_are_visible_to_pages() {
    let page_js = r#"
const app = getApp();
Page({
  extra: { n: 1 },
  onLoad() {
    console.log(app.globalData.user, getCurrentPages().length, getCurrentPages()[0] === this);
    console.log(this.extra.n, typeof this.setData);
  },
});
"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", APP_JS),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("pages/index/index", "");
    let console = h.console();
    assert_eq!(&console[2..], ["ada 1 true", "1 function"]);
}

#[test]
fn require_resolves_relative_and_absolute_paths_and_caches() {
    let page_js = r#"
const a = require('../../utils/format');
const b = require('/utils/format.js');
const { greet } = require('../../utils/greet.js');
Page({ onLoad() { console.log(a.twice(21), a === b, greet('bo'), a.loads); } });
"#;
    let format_js = "exports.loads = (exports.loads || 0) + 1;\nexports.twice = function (n) { return n * 2; };";
    let greet_js = "const f = require('./format');\nmodule.exports = { greet: (n) => 'hi ' + n + f.twice(1) };";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("utils/format.js", format_js),
        ("utils/greet.js", greet_js),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    assert_eq!(h.console(), ["42 true hi bo2 1"]);
}

#[test]
fn missing_module_is_reported_at_the_require_call() {
    let page_js = "Page({});\nrequire('./nope');\n";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("pages/index/index.js", 2)
    );
    assert!(
        errors[0].message.contains("./nope"),
        "{}",
        errors[0].message
    );
}

#[test]
fn timers_fire_in_virtual_time_order() {
    let page_js = r#"
Page({
  onLoad() {
    let ticks = 0;
    const interval = setInterval(() => {
      ticks += 1;
      console.log('interval', ticks);
      if (ticks === 3) clearInterval(interval);
    }, 30);
    setTimeout((label) => {
      console.log(label);
      setTimeout(() => console.log('nested'), 10);
    }, 100, 'timeout');
    const cancelled = setTimeout(() => console.log('cancelled'), 5);
    clearTimeout(cancelled);
    setTimeout(() => console.log('zero'), 0);
  },
});
"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("pages/index/index", "");
    assert_eq!(
        h.console(),
        ["zero"],
        "a zero-delay timer runs before Idle, nothing else"
    );
    h.advance(50);
    assert_eq!(h.console(), ["zero", "interval 1"]);
    h.advance(49);
    assert_eq!(
        h.console(),
        ["zero", "interval 1", "interval 2", "interval 3"],
        "at 60 and 90; cleared at 3"
    );
    h.advance(1);
    assert_eq!(h.console().last().map(String::as_str), Some("timeout"));
    h.advance(9);
    assert!(
        !h.console().contains(&"nested".to_string()),
        "the nested timer is due at 110"
    );
    h.advance(1);
    assert_eq!(h.console().last().map(String::as_str), Some("nested"));
    h.advance(1000);
    assert_eq!(
        h.console().len(),
        6,
        "the cleared interval and timeout never fire: {:?}",
        h.console()
    );
}

#[test]
fn exception_in_on_load_is_reported_at_its_line_and_the_thread_keeps_working() {
    let page_js = "Page({\n  onLoad() {\n    setTimeout(() => console.log('later'), 10);\n    const user = null;\n    console.log(user.name);\n  },\n  onShow() { console.log('shown'); },\n});\n";
    let app_js =
        "App({ onError(message) { console.log('app.onError', message.split('\\n')[0]); } });";
    let h = Harness::start(one_page_app(&[
        ("app.js", app_js),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(
        (error.file.as_str(), error.line),
        ("pages/index/index.js", 5),
        "{error}"
    );
    assert!(error.column >= 5, "{error}");
    assert!(error.message.starts_with("TypeError"), "{error}");
    // The message carries the mini program's own stack frames.
    assert!(
        error
            .message
            .contains("\n    at onLoad (pages/index/index.js:5:"),
        "{error}"
    );
    assert!(
        messages
            .iter()
            .any(|m| matches!(m, ToRender::PageReady { .. })),
        "the page still becomes ready"
    );
    let first_line = error.message.lines().next().unwrap_or_default();
    assert_eq!(h.console()[0], format!("app.onError {first_line}"));
    assert_eq!(h.console()[1], "shown");
    h.advance(10);
    assert_eq!(h.console().last().map(String::as_str), Some("later"));
}

#[test]
fn exception_in_a_timer_is_reported_and_later_timers_still_run() {
    let page_js = "Page({ onLoad() {\n  setTimeout(function boom() { throw new Error('tick failed'); }, 5);\n  setTimeout(() => console.log('after'), 6);\n} });\n";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("pages/index/index", "");
    let messages = h.advance(10);
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (
            errors[0].file.as_str(),
            errors[0].line,
            errors[0].message.as_str()
        ),
        (
            "pages/index/index.js",
            2,
            "Error: tick failed\n    at boom (pages/index/index.js:2:42)"
        )
    );
    assert_eq!(h.console(), ["after"]);
}

#[test]
fn syntax_error_in_a_page_is_a_diagnostic_with_its_line() {
    let page_js = "Page({\n  onLoad() {\n    let x = ;\n  },\n});\n";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    let errors = errors(&messages);
    assert!(!errors.is_empty());
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("pages/index/index.js", 3),
        "{:?}",
        errors[0]
    );
    assert!(
        errors[0].message.starts_with("SyntaxError"),
        "{:?}",
        errors[0]
    );
    assert!(
        messages
            .iter()
            .any(|m| matches!(m, ToRender::PushPage { .. })),
        "the page is still shown"
    );
}

#[test]
fn wx_window_info_follows_the_viewport_and_next_tick_runs_after_the_turn() {
    let page_js = r#"
Page({
  onLoad() {
    wx.nextTick(() => console.log('tick'));
    const info = wx.getWindowInfo();
    const sys = wx.getSystemInfoSync();
    console.log(info.windowWidth, info.windowHeight, info.pixelRatio, sys.platform, sys.screenWidth);
  },
});
"#;
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("pages/index/index", "");
    // 623: the engine's 44 px navigation bar; devtools: <https://developers.weixin.qq.com/miniprogram/dev/api/>'s platform list.
    assert_eq!(h.console(), ["375 623 2 devtools 375", "tick"]);
}

#[test]
fn shutdown_sends_stopped() {
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.to_logic
        .send(cirrus_engine::protocol::ToLogic::Shutdown)
        .unwrap();
    let stopped = h
        .from_logic
        .recv_timeout(std::time::Duration::from_secs(20))
        .unwrap();
    assert!(matches!(stopped, ToRender::Stopped), "{stopped:?}");
}

#[test]
fn unhandled_rejections_are_reported_and_handled_ones_are_not() {
    let page_js = "Page({\n  async onLoad() {\n    Promise.reject(new Error('handled later')).catch(() => console.log('caught'));\n    await null;\n    throw new RangeError('async failure');\n  },\n});\n";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let messages = h.launch("pages/index/index", "");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        errors[0].message.lines().next(),
        Some("Unhandled promise rejection: RangeError: async failure")
    );
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("pages/index/index.js", 5)
    );
    assert_eq!(h.console(), ["caught"]);
}

#[test]
fn real_clock_timers_fire_after_their_delay() {
    let page_js = r#"
Page({
  data: { n: 0 },
  onLoad() {
    this.started = Date.now();
    setTimeout(() => {
      console.log('elapsed enough', Date.now() - this.started >= 25);
      this.setData({ n: 1 });
    }, 30);
  },
});
"#;
    let h = Harness::start_real_time(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view>{{n}}</view>"),
    ]));
    let mut messages = h.launch("pages/index/index", "");
    // On a loaded machine the launch turn itself may outlast the delay.
    if h.console().is_empty() {
        messages.extend(h.until_idle());
    }
    assert_eq!(h.console(), ["elapsed enough true"]);
    let batches = harness::batches(&messages);
    assert_eq!(
        batches.len(),
        2,
        "the initial build and the timer's setData: {batches:#?}"
    );
}

#[test]
fn a_missing_page_is_reported_and_app_on_page_not_found_runs() {
    let app_js = "App({ onPageNotFound(res) { console.log('not found', res.path, res.query.x, res.isEntryPage); } });";
    let h = Harness::start(one_page_app(&[
        ("app.js", app_js),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let messages = h.launch("pages/nope/nope", "x=1");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.contains("pages/nope/nope"),
        "{}",
        errors[0]
    );
    assert!(!messages
        .iter()
        .any(|m| matches!(m, ToRender::PushPage { .. })));
    assert_eq!(h.console(), ["not found pages/nope/nope 1 true"]);
}

#[test]
fn resize_changes_what_wx_reports() {
    let page_js = "Page({ onLoad() { setTimeout(() => console.log(wx.getWindowInfo().windowWidth, wx.getSystemInfoSync().pixelRatio), 10); } });";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    h.launch("pages/index/index", "");
    let viewport = cirrus_engine::layout::Viewport::new(414.0, 896.0, 3.0);
    h.to_logic
        .send(cirrus_engine::protocol::ToLogic::Resize(viewport))
        .unwrap();
    h.until_idle();
    h.advance(10);
    assert_eq!(h.console(), ["414 3"]);
}
