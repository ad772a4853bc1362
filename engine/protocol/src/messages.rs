//! Messages between the logic thread and the render thread (besides op
//! batches, which are in [`crate::ops`]). Both directions are crossbeam
//! channels; neither side ever blocks on the other.

use crate::diagnostics::Diagnostic;
pub use crate::events::{EventDetail, NodeOffset, Touch, UiEvent};
use crate::ops::{OpBatch, PageId};
use cirrus_layout::Viewport;
use serde_json::Value;

/// Logic thread -> render thread.
#[derive(Clone, Debug)]
pub enum ToRender {
    /// A page instance was created for `route` and pushed on the stack: the
    /// render thread loads its styles and creates its root element. Op
    /// batches for it follow.
    PushPage { page: PageId, route: String },
    /// Op batches of one turn.
    Ops(OpBatch),
    /// The page's `onReady` has run.
    PageReady { page: PageId },
    /// Pages popped from the top of the stack (navigateBack, redirect).
    PopPages { pages: Vec<PageId> },
    /// Tab pages left by `switchTab`: they leave the stack but keep their
    /// trees (and keep receiving op batches), to come back instantly.
    HideTabPages { pages: Vec<PageId> },
    /// A hidden tab page comes back on top of the stack (`switchTab`).
    ShowTabPage { page: PageId },
    /// `wx.setNavigationBarTitle` / `wx.setNavigationBarColor` on `page`.
    SetNavigationBar {
        page: PageId,
        update: NavigationBarUpdate,
    },
    /// `wx.showToast` and friends: the engine draws them over the page.
    Dialog(crate::dialogs::DialogCommand),
    /// `SelectorQuery.exec`: answered with `ToLogic::QueryResult` after the
    /// next layout.
    Query {
        id: u64,
        page: PageId,
        requests: Vec<crate::query::QueryRequest>,
    },
    /// `IntersectionObserver.observe`: notifications come back as
    /// `ToLogic::Intersection` after layouts that cross a threshold.
    ObserveIntersection(crate::query::IntersectionObserve),
    /// `IntersectionObserver.disconnect`.
    DisconnectObserver { id: u64 },
    /// `this.animate(selector, ...)` / `this.clearAnimation(selector, ...)`
    /// of a page or component: the nodes `selector` matches (below `scope`,
    /// a component's host, when given) get `animation` as their `animation`
    /// attribute (`wx.createAnimation().export()`'s shape), which
    /// `cirrus_engine::motion::steps` plays.
    Animate {
        page: PageId,
        scope: Option<crate::ops::NodeId>,
        selector: String,
        animation: Value,
    },
    /// Shared values the logic thread created or set (`wx.worklet.shared`,
    /// `sv.value = ...` on the JS thread): JSON with worklet markers (see
    /// `cirrus_engine::worklet::runtime`), an animation among them.
    WorkletShared { values: Vec<(u64, Value)> },
    /// `wx.worklet.runOnUI(worklet)(...args)`: runs in the next frame.
    RunOnUi { worklet: Value, args: Value },
    /// `wx.worklet.derived(updater)`: shared value `target` follows what
    /// `updater` returns, re-run when a shared value it read changes.
    Derived { target: u64, updater: Value },
    /// `this.applyAnimatedStyle(selector, updater, config)` of a page or
    /// component: the nodes `selector` matches (below `scope`, a
    /// component's host, when given) take the style object `updater`
    /// returns, re-run when a shared value it read changes. `id` names the
    /// binding for [`ToRender::ClearAnimatedStyle`].
    ApplyAnimatedStyle {
        page: PageId,
        scope: Option<crate::ops::NodeId>,
        selector: String,
        id: u64,
        updater: Value,
        /// Apply the first style at once (`immediate`, default true); else
        /// only after an input changes.
        immediate: bool,
    },
    /// The worklet a `worklet:EVENT="method"` attribute of `node` names
    /// (`onscrollupdate`, `ongesture`...), resolved on the page or component
    /// that owns the node: the render thread runs it for that event, in the
    /// frame of the input.
    WorkletHandler {
        page: PageId,
        node: crate::ops::NodeId,
        event: String,
        worklet: Value,
    },
    /// `this.clearAnimatedStyle(...)`: the binding `id` ends and its nodes
    /// lose the animated style.
    ClearAnimatedStyle { page: PageId, id: u64 },
    /// `wx.loadFontFace`: a font (already checked to be one) that CSS
    /// naming `family` uses from the next frame on.
    LoadFont {
        family: String,
        data: std::sync::Arc<Vec<u8>>,
    },
    /// An error in the mini program (a JS exception, a template error): the
    /// render thread shows it in the error overlay and keeps running.
    Error(Diagnostic),
    /// The logic thread finished a turn and has nothing queued: no pending
    /// setData, no zero-delay timer. Used by `cirrus shot` to know the app
    /// has settled.
    Idle {
        /// How many messages other than `Launch` and `Shutdown` the logic
        /// thread has taken from its queue. The render thread compares it
        /// with what it sent, so an `Idle` that left before the latest
        /// event arrived is not taken for "settled".
        handled: u64,
    },
    /// The logic thread has stopped (after `ToLogic::Shutdown`).
    Stopped,
}

/// Render thread (or host) -> logic thread.
#[derive(Clone, Debug)]
pub enum ToLogic {
    /// Launch the app at `route` (with its query string, e.g. `id=3`).
    Launch {
        route: String,
        query: String,
    },
    /// The window size changed (rpx follows the width).
    Resize(Viewport),
    /// A UI event for a node's handlers (dispatched with capture and
    /// bubbling on the logic thread).
    Event(crate::events::UiEvent),
    /// A routing request raised by the engine's own chrome (the navigation
    /// bar's back button, a tab bar item).
    Route(RouteRequest),
    /// The answer to `ToRender::Query`: one answer per request, in order.
    QueryResult {
        id: u64,
        results: Vec<crate::query::QueryAnswer>,
    },
    /// An intersection observer's notification about one node.
    Intersection {
        id: u64,
        entry: crate::query::IntersectionEntry,
    },
    /// A modal or an action sheet closed by a tap (the logic thread spells
    /// it as `errMsg` and `{confirm, cancel}` / `{tapIndex}`).
    DialogResult {
        id: u64,
        outcome: crate::dialogs::DialogOutcome,
    },
    /// The system switched between light and dark: `App.onThemeChange`
    /// and `wx.onThemeChange` listeners get `{theme}`.
    ThemeChanged {
        dark: bool,
    },
    /// The host is short of memory (a phone's memory warning; Android's
    /// trim level, `5` moderate, `10` low, `15` critical): the logic thread
    /// collects its garbage and the `wx.onMemoryWarning` listeners run
    /// with `{level}`.
    MemoryWarning {
        level: u32,
    },
    /// Shared values written on the UI thread (by worklets or animations),
    /// for the logic thread's mirror.
    WorkletShared {
        values: Vec<(u64, Value)>,
    },
    /// A worklet called `runOnJS(f)(...args)`: `id` names `f` in the
    /// logic thread's table of functions worklets captured.
    RunOnJs {
        id: u64,
        args: Value,
    },
    /// Nothing to do but to report `Idle` once handled: a host on a
    /// controlled clock sends it after advancing the clock, so the `Idle`
    /// that answers it proves the timers that became due have run.
    Sync,
    Shutdown,
}

/// What the chrome asks the logic thread to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteRequest {
    /// The back button: `navigateBack({ delta })`.
    NavigateBack { delta: u32 },
    /// A tab bar item was tapped: switch to its page (if not already
    /// there) and call the page's `onTabItemTap`.
    TabItemTap { index: usize },
    /// The host opens `url` (`pages/a/a?id=3`, package-absolute) the way
    /// the named `wx` route API would.
    Open { kind: NavigationKind, url: String },
}

/// The route APIs a host can use ([`RouteRequest::Open`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NavigationKind {
    NavigateTo,
    RedirectTo,
    SwitchTab,
    ReLaunch,
}

/// A change to one page's navigation bar; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NavigationBarUpdate {
    pub title: Option<String>,
    /// `#ffffff` or `#000000`.
    pub front_color: Option<String>,
    pub background_color: Option<String>,
}
