//! cirrus-js-bridge: the logic thread (DESIGN.md's thread diagram).
//!
//! [`LogicThread::spawn`] starts a thread named "logic" that runs the mini
//! program's JavaScript in QuickJS (rquickjs): `app.js`, then each page's
//! `.js`, with CommonJS `require`, `App`/`getApp`/`Page`/`getCurrentPages`,
//! `console`, timers and a first slice of `wx`. `this.setData` applies
//! data-path updates to a Rust mirror of the page's data, re-evaluates the
//! page's template instance (cirrus-template) and sends the resulting ops to
//! the render thread as one batch.
//!
//! Data crosses between JS and Rust as JSON text (`JSON.stringify` in JS,
//! `serde_json` in Rust). That costs one stringify + one parse per setData
//! payload (proportional to the payload, not to the page's data), which is
//! what WeChat's own bridge pays; a faster path would walk QuickJS values
//! directly into `serde_json::Value` without the text step (future work).
//!
//! [`check_scripts`] compiles every `.js` file without running it, for
//! `cirrus check`.

mod clock;
mod console;
mod logic;
mod natives;
mod script;
mod timers;
#[path = "view_stub.rs"]
mod view;

pub use clock::{Clock, ControlledClock};
pub use console::{ConsoleLevel, ConsoleLine};
pub use logic::{LogicHandle, LogicThread};
pub use script::check_scripts;

use cirrus_engine::layout::Viewport;

/// How a logic thread runs.
#[derive(Clone, Debug)]
pub struct LogicOptions {
    /// The window, for `wx.getWindowInfo()` and friends (updated by
    /// `ToLogic::Resize`).
    pub viewport: Viewport,
    pub clock: Clock,
}

impl Default for LogicOptions {
    fn default() -> Self {
        LogicOptions { viewport: Viewport::new(375.0, 667.0, 2.0), clock: Clock::Real }
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
