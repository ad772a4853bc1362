//! The page stack and routing (<https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html>, the routing APIs):
//! `wx.navigateTo` / `redirectTo` / `navigateBack` / `switchTab` /
//! `reLaunch`, the chrome's back button and tab bar taps, and
//! `wx.setNavigationBarTitle/Color`. The JS half is `js/router.js`.
//!
//! This is a child module of `logic` (declared there with `#[path]`), so it
//! extends [`LogicLoop`] with the routing turn and reads its private state.
//!
//! Invariants:
//! - A route never runs inside the JS call that asked for it: requests are
//!   queued by `__cirrusRouterNative.route` and run one by one after the
//!   turn ([`LogicLoop::run_routes`]), each followed by its promise jobs
//!   and ticks, like WeChat's asynchronous routing.
//! - `Router::stack` mirrors the render thread's stack (every change is
//!   sent as `PushPage` / `PopPages` / `HideTabPages` / `ShowTabPage`) and
//!   JS's `getCurrentPages()` (router.js's `forget` / `hide` / `show`).
//! - Tab pages are only ever at the bottom of the stack (navigateTo and
//!   redirectTo refuse them); `switchTab` hides the tab page it leaves
//!   (`Router::hidden_tabs`) instead of unloading it.
//! - Lifecycles follow <https://developers.weixin.qq.com/miniprogram/dev/reference/api/Page.html>'s table; pages leave top-down.
//! - There is no limit on the stack's depth (Skyline has none).

use super::{parse_query, split_route, LogicLoop};
use crate::natives::Shared;
use cirrus_package::chrome_layout::{page_area, TabBarConfig};
use cirrus_package::package::{resolve_relative, Package};
use cirrus_protocol::messages::{NavigationBarUpdate, RouteRequest, ToRender};
use cirrus_protocol::ops::PageId;
use cirrus_protocol::Diagnostic;
use rquickjs::{Ctx, Function, Object};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// The JS half, evaluated after bootstrap.js.
pub(super) const ROUTER_JS: &str = include_str!("js/router.js");
pub(super) const ROUTER_JS_NAME: &str = "<cirrus>/router.js";
/// Routes run in one pass before the loop looks at the host again: a page
/// that opens itself from `onLoad` forever must not hang the thread.
const MAX_ROUTES_PER_PASS: usize = 1_000;

/// The routes a mini program can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RouteKind {
    NavigateTo,
    RedirectTo,
    NavigateBack,
    SwitchTab,
    ReLaunch,
}

impl RouteKind {
    fn from_api(api: &str) -> Option<RouteKind> {
        Some(match api {
            "navigateTo" => RouteKind::NavigateTo,
            "redirectTo" => RouteKind::RedirectTo,
            "navigateBack" => RouteKind::NavigateBack,
            "switchTab" => RouteKind::SwitchTab,
            "reLaunch" => RouteKind::ReLaunch,
            _ => return None,
        })
    }

    fn api(self) -> &'static str {
        match self {
            RouteKind::NavigateTo => "navigateTo",
            RouteKind::RedirectTo => "redirectTo",
            RouteKind::NavigateBack => "navigateBack",
            RouteKind::SwitchTab => "switchTab",
            RouteKind::ReLaunch => "reLaunch",
        }
    }
}

/// A queued `wx.*` route call. `request` is router.js's id for its callbacks.
#[derive(Clone, Debug)]
struct RouteCall {
    request: u32,
    kind: RouteKind,
    url: String,
    delta: u32,
}

/// One page of the stack.
#[derive(Clone, Debug)]
struct StackEntry {
    id: PageId,
    route: String,
    is_tab: bool,
}

/// The logic thread's page stack.
pub(super) struct Router {
    /// Bottom first; the last entry is the page on screen.
    stack: Vec<StackEntry>,
    /// Tab pages left by `switchTab`, alive but off the stack.
    hidden_tabs: Vec<StackEntry>,
    /// Requests from JS, oldest first.
    queue: Rc<RefCell<VecDeque<RouteCall>>>,
    tab_bar: Option<TabBarConfig>,
    /// The request whose page `open_page` is creating (0: none), for the
    /// page's `getOpenerEventChannel()`.
    opening: u32,
}

impl Router {
    pub(super) fn new(package: &Package) -> Router {
        Router {
            stack: Vec::new(),
            hidden_tabs: Vec::new(),
            queue: Rc::default(),
            tab_bar: TabBarConfig::from_package(package).0,
            opening: 0,
        }
    }

    fn is_tab(&self, route: &str) -> bool {
        self.tab_bar
            .as_ref()
            .is_some_and(|tabs| tabs.index_of(route).is_some())
    }

    /// The route of the page on screen.
    pub(super) fn top_route(&self) -> Option<&str> {
        self.stack.last().map(|entry| entry.route.as_str())
    }

    /// The routes of the stack, bottom first (for tests and diagnostics).
    #[cfg(test)]
    fn routes(&self) -> Vec<&str> {
        self.stack.iter().map(|e| e.route.as_str()).collect()
    }
}

/// Installs `globalThis.__cirrusRouterNative`, which router.js captures and
/// deletes: `route(request, api, url, delta)` queues a route,
/// `setNavigationBar(page, title, frontColor, backgroundColor)` (undefined
/// leaves a field) updates a page's bar on the render thread, and
/// `windowHeight(route)` is the height the page at `route` sees: the window
/// less the navigation bar and tab bar the engine draws around it.
pub(super) fn install<'js>(
    ctx: &Ctx<'js>,
    router: &Router,
    shared: &Rc<RefCell<Shared>>,
) -> rquickjs::Result<()> {
    let native = Object::new(ctx.clone())?;
    let queue = router.queue.clone();
    let s = shared.clone();
    native.set(
        "route",
        Function::new(
            ctx.clone(),
            move |request: u32, api: String, url: String, delta: f64| {
                // router.js sends a whole number >= 1; anything else is 1.
                let delta = if delta.is_finite() && delta >= 1.0 {
                    delta.min(f64::from(u32::MAX)) as u32
                } else {
                    1
                };
                let Some(kind) = RouteKind::from_api(&api) else {
                    s.borrow().report(Diagnostic::error(
                        "",
                        0,
                        0,
                        format!("unknown route `{api}`"),
                    ));
                    return;
                };
                queue.borrow_mut().push_back(RouteCall {
                    request,
                    kind,
                    url,
                    delta,
                });
            },
        )?,
    )?;
    let s = shared.clone();
    native.set(
        "setNavigationBar",
        Function::new(
            ctx.clone(),
            move |page: u32,
                  title: Option<String>,
                  front_color: Option<String>,
                  background_color: Option<String>| {
                s.borrow().send(ToRender::SetNavigationBar {
                    page: PageId(page),
                    update: NavigationBarUpdate {
                        title,
                        front_color,
                        background_color,
                    },
                });
            },
        )?,
    )?;
    let s = shared.clone();
    let tab_bar = router.tab_bar.clone();
    native.set(
        "windowHeight",
        Function::new(ctx.clone(), move |route: String| {
            let shared = s.borrow();
            let area = page_area(&shared.package, tab_bar.as_ref(), &route, shared.viewport);
            f64::from(area.height)
        })?,
    )?;
    ctx.globals().set("__cirrusRouterNative", native)
}

impl LogicLoop {
    /// Runs the queued route requests, each as its own turn.
    pub(super) fn run_routes(&mut self) {
        for _ in 0..MAX_ROUTES_PER_PASS {
            let next = self.router.queue.borrow_mut().pop_front();
            let Some(call) = next else { return };
            let outcome = self.run_route(&call);
            let fail = outcome.err();
            self.call_js(|_, cirrus| {
                cirrus
                    .get::<_, Object>("router")?
                    .get::<_, Function>("settle")?
                    .call::<_, ()>((call.request, fail))
            });
            self.drain_jobs_and_ticks();
        }
        let dropped = std::mem::take(&mut *self.router.queue.borrow_mut()).len();
        if dropped > 0 {
            self.report(Diagnostic::error(
                "",
                0,
                0,
                format!(
                    "more than {MAX_ROUTES_PER_PASS} routes in a row (a page that opens \
                     another from onLoad forever?); {dropped} were dropped"
                ),
            ));
        }
    }

    /// A routing request from the chrome (back button, tab bar).
    pub(super) fn handle_route_request(&mut self, request: RouteRequest) {
        match request {
            RouteRequest::NavigateBack { delta } => {
                // The back button is drawn only above the first page, so a
                // refusal here is a stale tap: nothing to report.
                let _ = self.navigate_back(delta);
            }
            RouteRequest::Open { kind, url } => {
                use cirrus_protocol::messages::NavigationKind;
                let kind = match kind {
                    NavigationKind::NavigateTo => RouteKind::NavigateTo,
                    NavigationKind::RedirectTo => RouteKind::RedirectTo,
                    NavigationKind::SwitchTab => RouteKind::SwitchTab,
                    NavigationKind::ReLaunch => RouteKind::ReLaunch,
                };
                // Package-absolute, whatever page is on top.
                let url = format!("/{}", url.trim_start_matches('/'));
                // Request 0 has no callbacks; a refusal is reported.
                if let Err(message) = self.run_route(&RouteCall {
                    request: 0,
                    kind,
                    url,
                    delta: 1,
                }) {
                    self.report(Diagnostic::warning("", 0, 0, message));
                }
            }
            RouteRequest::TabItemTap { index } => {
                let item = self
                    .router
                    .tab_bar
                    .as_ref()
                    .and_then(|tabs| tabs.items.get(index))
                    .cloned();
                let Some(item) = item else { return };
                let on_it = self
                    .router
                    .stack
                    .last()
                    .is_some_and(|top| top.route == item.page_path);
                if !on_it && self.switch_tab(&item.page_path).is_err() {
                    return;
                }
                if let Some(top) = self.router.stack.last().map(|e| e.id) {
                    let tap =
                        json!({ "index": index, "pagePath": item.page_path, "text": item.text });
                    self.call_page(top, "onTabItemTap", &tap);
                }
            }
        }
    }

    /// Called by `open_page` once the page instance exists, before its
    /// `onLoad`: the page joins the stack and gets its opener's channel.
    pub(super) fn page_created(&mut self, page: PageId, route: &str) {
        let is_tab = self.router.is_tab(route);
        self.router.stack.push(StackEntry {
            id: page,
            route: route.to_owned(),
            is_tab,
        });
        let request = std::mem::take(&mut self.router.opening);
        self.call_js(|_, cirrus| {
            cirrus
                .get::<_, Object>("router")?
                .get::<_, Function>("opened")?
                .call::<_, ()>((request, page.0))
        });
    }

    /// Runs one queued request; `Err` is the `errMsg` for `fail`.
    fn run_route(&mut self, call: &RouteCall) -> Result<(), String> {
        let api = call.kind.api();
        if call.kind == RouteKind::NavigateBack {
            return self.navigate_back(call.delta);
        }
        let (route, query) = self.resolve_url(&call.url);
        let package = self.shared.borrow().package.clone();
        if !package.has_page(&route) {
            return Err(format!("{api}:fail page \"{route}\" is not found"));
        }
        let query = Value::Object(parse_query(&query));
        match call.kind {
            RouteKind::NavigateTo => {
                if self.router.is_tab(&route) {
                    return Err(format!("{api}:fail can not navigateTo a tabbar page"));
                }
                if let Some(top) = self.router.stack.last().map(|e| e.id) {
                    self.call_page(top, "onHide", &Value::Null);
                }
                self.open_routed(&route, &query, call.request);
            }
            RouteKind::RedirectTo => {
                if self.router.is_tab(&route) {
                    return Err(format!("{api}:fail can not redirectTo a tabbar page"));
                }
                if let Some(top) = self.router.stack.pop() {
                    self.unload_pages(&[top]);
                }
                self.open_routed(&route, &query, call.request);
            }
            RouteKind::SwitchTab => self.switch_tab(&route)?,
            RouteKind::ReLaunch => {
                let mut leaving: Vec<StackEntry> = self.router.stack.drain(..).rev().collect();
                leaving.extend(self.router.hidden_tabs.drain(..).rev());
                self.unload_pages(&leaving);
                self.open_routed(&route, &query, call.request);
            }
            RouteKind::NavigateBack => unreachable!("handled above"),
        }
        Ok(())
    }

    /// `url` as written in the top page: relative to its folder, or
    /// package-absolute; split into route and query.
    fn resolve_url(&self, url: &str) -> (String, String) {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let from = self
            .router
            .stack
            .last()
            .map(|e| e.route.clone())
            .unwrap_or_default();
        let route = resolve_relative(&from, path);
        let (route, query) = split_route(&route, query);
        (route.unwrap_or_default(), query)
    }

    fn open_routed(&mut self, route: &str, query: &Value, request: u32) {
        self.router.opening = request;
        self.open_page(route, query);
        self.router.opening = 0;
    }

    /// Pops `delta` pages (at most down to the first): each top-down gets
    /// `onUnload`, then the page they uncover `onShow`.
    fn navigate_back(&mut self, delta: u32) -> Result<(), String> {
        let depth = self.router.stack.len();
        if depth <= 1 {
            return Err("navigateBack:fail cannot navigate back at first page.".to_owned());
        }
        let count = (delta.max(1) as usize).min(depth - 1);
        let leaving: Vec<StackEntry> = self.router.stack.drain(depth - count..).rev().collect();
        self.unload_pages(&leaving);
        if let Some(top) = self.router.stack.last().map(|e| e.id) {
            self.call_page(top, "onShow", &Value::Null);
        }
        Ok(())
    }

    /// `switchTab` to `route` (its query is ignored, as in WeChat): unload
    /// every non-tab page, hide the tab page on screen, then show the
    /// target (loading it the first time).
    fn switch_tab(&mut self, route: &str) -> Result<(), String> {
        if !self.router.is_tab(route) {
            return Err("switchTab:fail can not switch to no-tabBar page".to_owned());
        }
        let top_before = self.router.stack.last().map(|e| e.id);
        let (tabs, leaving): (Vec<StackEntry>, Vec<StackEntry>) =
            self.router.stack.drain(..).partition(|e| e.is_tab);
        let leaving: Vec<StackEntry> = leaving.into_iter().rev().collect();
        self.unload_pages(&leaving);
        self.router.stack = tabs;
        if let Some(current) = self.router.stack.last().cloned() {
            if current.route == route {
                // Back on its own tab: it shows again only if it was covered.
                if top_before != Some(current.id) {
                    self.call_page(current.id, "onShow", &Value::Null);
                }
                return Ok(());
            }
            if top_before == Some(current.id) {
                self.call_page(current.id, "onHide", &Value::Null);
            }
            self.router.stack.pop();
            self.send_to_render(ToRender::HideTabPages {
                pages: vec![current.id],
            });
            self.page_js("hide", current.id);
            self.router.hidden_tabs.push(current);
        }
        let hidden = self
            .router
            .hidden_tabs
            .iter()
            .position(|e| e.route == route);
        match hidden {
            Some(index) => {
                let entry = self.router.hidden_tabs.remove(index);
                self.send_to_render(ToRender::ShowTabPage { page: entry.id });
                self.page_js("show", entry.id);
                let id = entry.id;
                self.router.stack.push(entry);
                self.call_page(id, "onShow", &Value::Null);
            }
            None => self.open_routed(route, &Value::Object(Default::default()), 0),
        }
        Ok(())
    }

    /// `onUnload` for each page in the order given, then one `PopPages`.
    fn unload_pages(&mut self, pages: &[StackEntry]) {
        if pages.is_empty() {
            return;
        }
        for entry in pages {
            self.call_page(entry.id, "onUnload", &Value::Null);
            self.page_js("forget", entry.id);
        }
        let ids: Vec<PageId> = pages.iter().map(|e| e.id).collect();
        let mut shared = self.shared.borrow_mut();
        shared.pages.retain(|record| !ids.contains(&record.id));
        shared.send(ToRender::PopPages { pages: ids });
    }

    /// Calls `__cirrus.router[name](page)`.
    fn page_js(&self, name: &str, page: PageId) {
        self.call_js(|_, cirrus| {
            cirrus
                .get::<_, Object>("router")?
                .get::<_, Function>(name)?
                .call::<_, ()>((page.0,))
        });
    }

    fn send_to_render(&self, message: ToRender) {
        self.shared.borrow().send(message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_kinds_round_trip_their_api_names() {
        for api in [
            "navigateTo",
            "redirectTo",
            "navigateBack",
            "switchTab",
            "reLaunch",
        ] {
            assert_eq!(RouteKind::from_api(api).map(RouteKind::api), Some(api));
        }
        assert_eq!(RouteKind::from_api("navigate"), None);
    }

    #[test]
    fn tab_pages_come_from_the_tab_bar() {
        let (package, _) = Package::from_files(
            [
                (
                    "app.json",
                    r#"{"pages":["p/a","p/b"],"tabBar":{"list":[{"pagePath":"p/a","text":"A"},{"pagePath":"/p/b","text":"B"}]}}"#,
                ),
                ("app.js", ""),
            ]
            .map(|(a, b)| (a.to_owned(), b.to_owned())),
        );
        let router = Router::new(&package);
        assert!(router.is_tab("p/a") && router.is_tab("p/b") && !router.is_tab("p/c"));
        assert!(router.routes().is_empty());
    }
}
