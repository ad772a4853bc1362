//! cirrus-js-bridge: the logic thread (ARCHITECTURE.md, "Threads").
//!
//! [`LogicThread::spawn`] starts a thread named "logic" that runs the mini
//! program's JavaScript in QuickJS (rquickjs 0.14, QuickJS-ng underneath).
//! On `ToLogic::Launch` it evaluates `app.js`, runs App `onLaunch`/`onShow`,
//! evaluates the page's `.js`, sends `PushPage`, the template's initial op
//! batch, runs `onLoad`/`onShow`/`onReady` and sends `PageReady`. After every
//! turn with nothing left to do it sends `Idle`.
//!
//! What the mini program sees (bootstrap.js): CommonJS `require` (relative,
//! package-absolute and bare paths, `.js` and `/index.js` optional, cached),
//! `App`, `getApp`, `Page`, `getCurrentPages`, `this.setData/data/route/
//! options`, `console.*`, `setTimeout`/`setInterval` and their `clear*`, and
//! `wx.getWindowInfo`, `wx.getSystemInfoSync`, `wx.nextTick`. The other
//! non-routing `wx.*` APIs (system info, canIUse, base64, storage on disk,
//! request/downloadFile over HTTP, selector queries, intersection
//! observers, toasts and modals) are the `wx` module and `js/wx.js`.
//! The page stack and routing (`wx.navigateTo` and friends, EventChannel,
//! the chrome's back button and tab bar, `wx.setNavigationBar*`) are
//! `router.rs` (a child module of `logic`) and `js/router.js`.
//! Custom components (`Component`, `Behavior`, the Chaining API,
//! `usingComponents`, slots, relations, selectComponent, triggerEvent) and
//! event propagation (`ToLogic::Event` -> capture/bubble through the
//! page's and components' trees) are `component.rs` and `js/component.js`.
//!
//! `this.setData` sends its keys to Rust, which parses them as data paths
//! (cirrus-template's parser, the only one), applies them to a Rust mirror
//! of the page's data, re-evaluates only the template bindings that read
//! them and sends the resulting ops as one batch; JS then applies the same
//! parsed paths to `this.data`.
//!
//! Data crosses between JS and Rust as JSON text (`JSON.stringify` in JS,
//! `serde_json` in Rust): one stringify, one `JSON.parse` (for the JS-side
//! copy) and one serde parse per setData payload, proportional to the
//! payload and not to the page's data, which is about what WeChat's own
//! bridge pays. A faster path would walk QuickJS values straight into
//! `serde_json::Value` (and back) without the text step (future work).
//!
//! Errors in the mini program never stop the thread: an exception in a
//! lifecycle, timer, tick or promise job becomes a `ToRender::Error`
//! diagnostic at the innermost stack frame in a package file (and is handed
//! to `App.onError`); a call that runs longer than
//! [`LogicOptions::watchdog`] (default 5 s) is interrupted: handlers,
//! timers, promise jobs (the whole job queue of a turn shares one budget,
//! so an endless microtask chain ends too) and regular expressions
//! (QuickJS's regex engine polls the same interrupt handler). The JS heap
//! is limited ([`LogicOptions::memory_limit_bytes`]) and so is the JS
//! stack ([`js_limits`]): running out is an `out of memory` or `RangeError`
//! diagnostic at the JS line, and the app keeps running.
//!
//! [`check_scripts`] compiles every `.js` file without running it, for
//! `cirrus check`.

mod clock;
mod component;
mod console;
mod data_json;
mod events;
mod heap_budget;
pub mod js_limits;
mod logic;
mod modules;
mod natives;
mod script;
mod timers;
mod view;
mod wx;
mod wx_config;
mod wxs;
mod wxs_syntax;

pub use clock::{Clock, ControlledClock};
pub use component::resolve_component;
pub use console::{ConsoleLevel, ConsoleLine, MAX_CONSOLE_LINES, MAX_CONSOLE_LINE_BYTES};
pub use logic::{LogicHandle, LogicThread};
pub use script::check_scripts;
pub use wxs::WxsRuntime;
pub use wxs_syntax::check_wxs;

/// The wx capability manifest: every wx API name of the seed API index, one
/// `name<TAB>works|unsupported` a line (tools/wx-api/extract.py).
pub fn wx_api_manifest() -> &'static str {
    wx::API_MANIFEST
}

use cirrus_layout::Viewport;

/// How a logic thread runs.
#[derive(Clone, Debug)]
pub struct LogicOptions {
    /// The window, for `wx.getWindowInfo()` and friends (updated by
    /// `ToLogic::Resize`).
    pub viewport: Viewport,
    pub clock: Clock,
    /// The watchdog: how long one call into JS (a lifecycle, a handler, a
    /// timer) may run before it is interrupted and reported, so an endless
    /// loop cannot hang the app. Default 5 s.
    pub watchdog: std::time::Duration,
    /// The app's data folder: `wx` storage (`storage.json`) and the files
    /// of `wx.env.USER_DATA_PATH`. `None`: `$XDG_DATA_HOME/cirrus/<appid or
    /// path hash>` for a package loaded from disk, memory only otherwise.
    pub data_dir: Option<std::path::PathBuf>,
    /// The most bytes the app's JS heap may hold; an allocation beyond it
    /// throws `InternalError: out of memory` at the allocating line.
    /// Default [`js_limits::DEFAULT_MEMORY_LIMIT_BYTES`] (256 MiB).
    pub memory_limit_bytes: usize,
}

impl Default for LogicOptions {
    fn default() -> Self {
        LogicOptions {
            viewport: Viewport::new(375.0, 667.0, 2.0),
            clock: Clock::Real,
            watchdog: std::time::Duration::from_secs(5),
            data_dir: None,
            memory_limit_bytes: js_limits::DEFAULT_MEMORY_LIMIT_BYTES,
        }
    }
}

/// Failures of the bridge itself. Errors in the mini program's JS are not
/// `BridgeError`s: they are reported as `ToRender::Error` diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum BridgeError {
    #[error("cannot spawn the logic thread: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("cannot start QuickJS: {0}")]
    QuickJs(String),
    #[error("the logic thread's bootstrap script failed: {0}")]
    Bootstrap(String),
    #[error("the logic thread panicked")]
    ThreadPanicked,
}
