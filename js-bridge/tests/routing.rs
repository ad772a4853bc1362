//! The page stack and routing (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html>) end to end on the logic
//! thread with the controlled clock: each route's lifecycle order, the
//! messages the render thread gets, query strings, EventChannel, Promise
//! and callback forms, and the failures WeChat reports.
//!
//! Every page logs its lifecycle as `<page>.<hook>`; app.js scripts the
//! navigation with timers, so `advance(10)` runs the first route, and so on.

mod harness;

use cirrus_engine::ops::PageId;
use cirrus_engine::protocol::{RouteRequest, ToLogic, ToRender};
use harness::{errors, Harness};

/// Logs every lifecycle hook of page `name`, with the stack in `onShow`.
fn page_js(name: &str, extra: &str) -> String {
    format!(
        r#"
const stack = () => getCurrentPages().map(p => p.route.split('/')[1]).join(',');
Page({{
  onLoad(query) {{ console.log('{name}.onLoad', JSON.stringify(query)); }},
  onShow() {{ console.log('{name}.onShow', stack()); }},
  onReady() {{ console.log('{name}.onReady'); }},
  onHide() {{ console.log('{name}.onHide'); }},
  onUnload() {{ console.log('{name}.onUnload'); }},
  onTabItemTap(item) {{ console.log('{name}.onTabItemTap', JSON.stringify(item)); }},
  {extra}
}});
"#
    )
}

/// Pages a, b, c (and `tab_bar`, a JSON fragment, in app.json); `app_js`
/// scripts the routes; `extra` adds members to a page's definition.
fn app(tab_bar: &str, app_js: &str, extra: &[(&str, &str)]) -> Harness {
    let mut files = vec![
        (
            "app.json".to_owned(),
            format!(r#"{{"pages":["pages/a/a","pages/b/b","pages/c/c"]{tab_bar}}}"#),
        ),
        ("app.js".to_owned(), app_js.to_owned()),
    ];
    for name in ["a", "b", "c"] {
        let members = extra
            .iter()
            .find(|(page, _)| *page == name)
            .map_or("", |(_, members)| members);
        files.push((format!("pages/{name}/{name}.js"), page_js(name, members)));
        files.push((format!("pages/{name}/{name}.wxml"), "<view/>".to_owned()));
    }
    Harness::start(files)
}

const TABS: &str = r#","tabBar":{"list":[{"pagePath":"pages/a/a","text":"A"},{"pagePath":"pages/b/b","text":"B"}]}"#;

/// The console lines printed since the last call.
struct Log {
    seen: usize,
}

impl Log {
    fn new() -> Log {
        Log { seen: 0 }
    }

    fn take(&mut self, h: &Harness) -> Vec<String> {
        let all = h.console();
        let fresh = all[self.seen..].to_vec();
        self.seen = all.len();
        fresh
    }
}

/// The stack messages of a turn, in order, as short strings.
fn stack_messages(messages: &[ToRender]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| match m {
            ToRender::PushPage { page, route } => Some(format!("push {} {route}", page.0)),
            ToRender::PopPages { pages } => Some(format!("pop {:?}", ids(pages))),
            ToRender::HideTabPages { pages } => Some(format!("hide {:?}", ids(pages))),
            ToRender::ShowTabPage { page } => Some(format!("show {}", page.0)),
            _ => None,
        })
        .collect()
}

fn ids(pages: &[PageId]) -> Vec<u32> {
    pages.iter().map(|p| p.0).collect()
}

#[test]
fn navigate_to_pushes_with_its_query_and_navigate_back_pops_delta_pages() {
    let h = app(
        "",
        r#"App({ onLaunch() {
  setTimeout(() => wx.navigateTo({ url: '/pages/b/b?id=7&name=x' }), 10);
  setTimeout(() => wx.navigateTo({ url: '../c/c' }), 20);
  setTimeout(() => wx.navigateBack({ delta: 2 }), 30);
} });"#,
        &[],
    );
    let mut log = Log::new();
    let launch = h.launch("pages/a/a", "");
    assert!(errors(&launch).is_empty(), "{launch:#?}");
    assert_eq!(log.take(&h), ["a.onLoad {}", "a.onShow a", "a.onReady"]);
    assert_eq!(stack_messages(&launch), ["push 1 pages/a/a"]);

    let push = h.advance(10);
    assert_eq!(
        log.take(&h),
        [
            "a.onHide",
            r#"b.onLoad {"id":"7","name":"x"}"#,
            "b.onShow a,b",
            "b.onReady"
        ]
    );
    assert_eq!(stack_messages(&push), ["push 2 pages/b/b"]);
    assert!(
        matches!(push.last(), Some(ToRender::PageReady { page }) if *page == PageId(2)),
        "{push:#?}"
    );

    let relative = h.advance(10);
    assert_eq!(
        log.take(&h),
        ["b.onHide", "c.onLoad {}", "c.onShow a,b,c", "c.onReady"]
    );
    assert_eq!(stack_messages(&relative), ["push 3 pages/c/c"]);

    let back = h.advance(10);
    assert_eq!(log.take(&h), ["c.onUnload", "b.onUnload", "a.onShow a"]);
    assert_eq!(stack_messages(&back), ["pop [3, 2]"]);
    assert!(errors(&back).is_empty(), "{back:#?}");
}

#[test]
fn redirect_to_replaces_the_top_page() {
    let h = app(
        "",
        r#"App({ onLaunch() {
  setTimeout(() => wx.navigateTo({ url: '/pages/b/b' }), 10);
  setTimeout(() => wx.redirectTo({ url: '/pages/c/c?from=b' }), 20);
} });"#,
        &[],
    );
    let mut log = Log::new();
    h.launch("pages/a/a", "");
    h.advance(10);
    log.take(&h);
    let redirect = h.advance(10);
    assert_eq!(
        log.take(&h),
        [
            "b.onUnload",
            r#"c.onLoad {"from":"b"}"#,
            "c.onShow a,c",
            "c.onReady"
        ]
    );
    assert_eq!(stack_messages(&redirect), ["pop [2]", "push 3 pages/c/c"]);
}

#[test]
fn switch_tab_unloads_other_pages_and_keeps_tab_pages_then_relaunch_unloads_all() {
    let h = app(
        TABS,
        r#"App({ onLaunch() {
  setTimeout(() => wx.navigateTo({ url: '/pages/c/c' }), 10);
  setTimeout(() => wx.switchTab({ url: '/pages/b/b' }), 20);
  setTimeout(() => wx.switchTab({ url: '/pages/a/a' }), 30);
  setTimeout(() => wx.switchTab({ url: '/pages/b/b' }), 40);
  setTimeout(() => wx.reLaunch({ url: '/pages/c/c?k=1' }), 50);
} });"#,
        &[],
    );
    let mut log = Log::new();
    h.launch("pages/a/a", "");
    h.advance(10);
    log.take(&h);

    // From a non-tab page: it is unloaded; tab page a, already hidden, stays.
    let first = h.advance(10);
    assert_eq!(
        log.take(&h),
        ["c.onUnload", "b.onLoad {}", "b.onShow b", "b.onReady"]
    );
    assert_eq!(
        stack_messages(&first),
        ["pop [2]", "hide [1]", "push 3 pages/b/b"]
    );

    // Between tab pages: hidden, then shown again, never reloaded.
    let second = h.advance(10);
    assert_eq!(log.take(&h), ["b.onHide", "a.onShow a"]);
    assert_eq!(stack_messages(&second), ["hide [3]", "show 1"]);
    let third = h.advance(10);
    assert_eq!(log.take(&h), ["a.onHide", "b.onShow b"]);
    assert_eq!(stack_messages(&third), ["hide [1]", "show 3"]);

    let relaunch = h.advance(10);
    assert_eq!(
        log.take(&h),
        [
            "b.onUnload",
            "a.onUnload",
            r#"c.onLoad {"k":"1"}"#,
            "c.onShow c",
            "c.onReady"
        ]
    );
    assert_eq!(
        stack_messages(&relaunch),
        ["pop [3, 1]", "push 4 pages/c/c"]
    );
    assert!(errors(&relaunch).is_empty(), "{relaunch:#?}");
}

#[test]
fn event_channel_carries_events_both_ways() {
    let h = app(
        "",
        r#"App({ onLaunch() {
  setTimeout(() => wx.navigateTo({
    url: '/pages/b/b',
    events: {
      fromOpened(data) { console.log('a heard', data.n); },
      once(data) { console.log('never: b removed every listener'); },
    },
    success(res) {
      console.log('success', res.errMsg);
      res.eventChannel.emit('fromOpener', { n: 1 });
      res.eventChannel.emit('fromOpener', { n: 2 });
    },
    complete() { console.log('complete'); },
  }), 10);
} });"#,
        &[(
            "b",
            r#"onReady() {
    const channel = this.getOpenerEventChannel();
    channel.once('fromOpener', (data) => console.log('b heard once', data.n));
    channel.on('fromOpener', (data) => console.log('b heard', data.n));
    channel.emit('fromOpened', { n: 9 });
    channel.off('once');
    channel.emit('once', {});
  },"#,
        )],
    );
    let mut log = Log::new();
    h.launch("pages/a/a", "");
    log.take(&h);
    let messages = h.advance(10);
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    assert_eq!(
        log.take(&h),
        [
            "a.onHide",
            "b.onLoad {}",
            "b.onShow a,b",
            "a heard 9",
            "success navigateTo:ok",
            "b heard once 1",
            "b heard 1",
            "b heard 2",
            "complete"
        ]
    );
}

#[test]
fn promise_form_resolves_and_rejects_when_no_callback_is_given() {
    let h = app(
        TABS,
        r#"App({ onLaunch() {
  setTimeout(async () => {
    const res = await wx.navigateTo({ url: '/pages/c/c' });
    console.log('resolved', res.errMsg, typeof res.eventChannel.emit);
    try {
      await wx.navigateTo({ url: '/pages/nope/nope' });
    } catch (e) {
      console.log('rejected', e.errMsg);
    }
    const back = await wx.navigateBack();
    console.log('back', back.errMsg, getCurrentPages().length);
  }, 10);
} });"#,
        &[],
    );
    let mut log = Log::new();
    h.launch("pages/a/a", "");
    log.take(&h);
    let messages = h.advance(10);
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    assert_eq!(
        log.take(&h),
        [
            "a.onHide",
            "c.onLoad {}",
            "c.onShow a,c",
            "c.onReady",
            "resolved navigateTo:ok function",
            r#"rejected navigateTo:fail page "pages/nope/nope" is not found"#,
            "c.onUnload",
            "a.onShow a",
            "back navigateBack:ok 1"
        ]
    );
}

#[test]
fn failures_use_wechat_messages_and_leave_the_stack_alone() {
    let h = app(
        TABS,
        r#"App({ onLaunch() {
  const report = (api) => ({
    success() { console.log(api, 'succeeded?!'); },
    fail(e) { console.log(e.errMsg); },
    complete(e) { console.log('complete', api, getCurrentPages().length); },
  });
  setTimeout(() => {
    wx.navigateTo({ url: '/pages/missing/missing', ...report('navigateTo') });
    wx.switchTab({ url: '/pages/c/c', ...report('switchTab') });
    wx.navigateTo({ url: '/pages/b/b', ...report('navigateTo') });
    wx.redirectTo({ url: '/pages/b/b', ...report('redirectTo') });
    wx.navigateBack(report('navigateBack'));
    wx.navigateTo({ ...report('navigateTo') });
  }, 10);
} });"#,
        &[],
    );
    let mut log = Log::new();
    h.launch("pages/a/a", "");
    log.take(&h);
    let messages = h.advance(10);
    assert!(stack_messages(&messages).is_empty(), "{messages:#?}");
    assert_eq!(
        log.take(&h),
        [
            // Checked in JS, so settled first (after the calling turn).
            "navigateTo:fail parameter error: parameter.url should be String instead of Undefined;",
            "complete navigateTo 1",
            r#"navigateTo:fail page "pages/missing/missing" is not found"#,
            "complete navigateTo 1",
            "switchTab:fail can not switch to no-tabBar page",
            "complete switchTab 1",
            "navigateTo:fail can not navigateTo a tabbar page",
            "complete navigateTo 1",
            "redirectTo:fail can not redirectTo a tabbar page",
            "complete redirectTo 1",
            "navigateBack:fail cannot navigate back at first page.",
            "complete navigateBack 1",
        ]
    );
}

#[test]
fn launching_a_missing_page_calls_on_page_not_found_which_may_redirect() {
    let h = app(
        "",
        r#"App({ onPageNotFound(res) {
  console.log('notFound', res.path, res.isEntryPage);
  wx.redirectTo({ url: '/pages/b/b?lost=1' });
} });"#,
        &[],
    );
    let messages = h.launch("pages/gone/gone", "");
    assert_eq!(
        h.console(),
        [
            "notFound pages/gone/gone true",
            r#"b.onLoad {"lost":"1"}"#,
            "b.onShow b",
            "b.onReady"
        ]
    );
    assert_eq!(stack_messages(&messages), ["push 1 pages/b/b"]);
}

#[test]
fn the_chrome_back_button_and_tab_bar_route_too() {
    let h = app(
        TABS,
        "App({ onLaunch() { setTimeout(() => wx.navigateTo({ url: '/pages/c/c' }), 10); } });",
        &[],
    );
    let mut log = Log::new();
    h.launch("pages/a/a", "");
    h.advance(10);
    log.take(&h);
    let send = |request| {
        h.to_logic
            .send(ToLogic::Route(request))
            .expect("logic thread alive");
        h.until_idle()
    };
    let back = send(RouteRequest::NavigateBack { delta: 1 });
    assert_eq!(log.take(&h), ["c.onUnload", "a.onShow a"]);
    assert_eq!(stack_messages(&back), ["pop [2]"]);
    // A stale back tap on the first page does nothing.
    assert!(stack_messages(&send(RouteRequest::NavigateBack { delta: 1 })).is_empty());
    assert!(log.take(&h).is_empty());

    let tab = send(RouteRequest::TabItemTap { index: 1 });
    assert_eq!(
        log.take(&h),
        [
            "a.onHide",
            "b.onLoad {}",
            "b.onShow b",
            "b.onReady",
            r#"b.onTabItemTap {"index":1,"pagePath":"pages/b/b","text":"B"}"#
        ]
    );
    assert_eq!(stack_messages(&tab), ["hide [1]", "push 3 pages/b/b"]);
    // Tapping the current tab only tells the page.
    let again = send(RouteRequest::TabItemTap { index: 1 });
    assert!(stack_messages(&again).is_empty());
    assert_eq!(
        log.take(&h),
        [r#"b.onTabItemTap {"index":1,"pagePath":"pages/b/b","text":"B"}"#]
    );
}

#[test]
fn the_stack_has_no_fixed_depth_limit() {
    let h = app(
        "",
        r#"App({ onLaunch() {
  setTimeout(async () => {
    for (let i = 0; i < 15; i++) await wx.navigateTo({ url: '/pages/b/b?i=' + i });
    const pages = getCurrentPages();
    console.log('depth', pages.length, pages[0].route, pages[15].options.i);
  }, 10);
} });"#,
        &[],
    );
    h.launch("pages/a/a", "");
    let messages = h.advance(10);
    assert!(errors(&messages).is_empty(), "{messages:#?}");
    assert_eq!(
        h.console().last().map(String::as_str),
        Some("depth 16 pages/a/a 14")
    );
    assert_eq!(stack_messages(&messages).len(), 15);
}

#[test]
fn set_navigation_bar_title_and_color_reach_the_render_thread() {
    let h = app(
        "",
        r##"App({ onLaunch() {
  setTimeout(() => {
    wx.setNavigationBarTitle({ title: 'Now', success: (r) => console.log(r.errMsg) });
    wx.setNavigationBarColor({ frontColor: '#000000', backgroundColor: '#ff0000' })
      .then((r) => console.log(r.errMsg));
    wx.setNavigationBarColor({ frontColor: 'red', backgroundColor: '#fff', fail: (e) => console.log(e.errMsg) });
  }, 10);
} });"##,
        &[],
    );
    h.launch("pages/a/a", "");
    let mut log = Log::new();
    log.take(&h);
    let messages = h.advance(10);
    let updates: Vec<_> = messages
        .iter()
        .filter_map(|m| match m {
            ToRender::SetNavigationBar { page, update } => Some((page.0, update.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(updates.len(), 2, "{messages:#?}");
    assert_eq!(updates[0].0, 1);
    assert_eq!(updates[0].1.title.as_deref(), Some("Now"));
    assert_eq!(updates[0].1.front_color, None);
    assert_eq!(updates[1].1.front_color.as_deref(), Some("#000000"));
    assert_eq!(updates[1].1.background_color.as_deref(), Some("#ff0000"));
    assert_eq!(
        log.take(&h),
        [
            "setNavigationBarTitle:ok",
            // A promise's `then` runs one job after a callback would.
            r#"setNavigationBarColor:fail invalid frontColor "red": only #ffffff and #000000 are supported"#,
            "setNavigationBarColor:ok",
        ]
    );
}

#[test]
fn window_height_is_what_the_page_sees_below_the_bars() {
    let h = app(
        TABS,
        r#"App({ onLaunch() {
  setTimeout(() => wx.navigateTo({ url: '/pages/c/c' }), 10);
} });"#,
        &[
            ("a", "onReady() { console.log('a', wx.getWindowInfo().windowHeight); },"),
            ("c", "onReady() { console.log('c', wx.getWindowInfo().windowHeight, wx.getWindowInfo().screenHeight); },"),
        ],
    );
    h.launch("pages/a/a", "");
    h.advance(10);
    let heights: Vec<String> = h
        .console()
        .into_iter()
        .filter(|line| !line.contains(".on"))
        .collect();
    // 667 less the navigation bar (44), and on a tab page the tab bar (50 + 1).
    assert_eq!(heights, ["a 572", "c 623 667"]);
}
