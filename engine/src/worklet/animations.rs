//! The worklet animation library, installed into the UI context.
//!
//! [`install`] evaluates the library (its source is
//! `cirrus_protocol::worklet::ANIMATIONS_JS`, which the logic thread
//! evaluates too, for `wx.worklet.Easing`), which defines one frozen,
//! non-writable global, [`GLOBAL`] (`globalThis.__cirrusAnimations`):
//!
//! - the `wx.worklet` animation API: `timing(toValue, config?, callback?)`,
//!   `spring(toValue, config?, callback?)`, `decay(config?, callback?)`,
//!   `sequence(...animations)`, `repeat(animation, numberOfReps = 2,
//!   reverse = false, callback?)`, `delay(ms, animation)`,
//!   `cancelAnimation(sharedValue)` and `Easing`. Each animation constructor
//!   returns an animation object (`{ onStart, onFrame, current, toValue,
//!   callback, ... }`, Reanimated's protocol), which is what a worklet
//!   assigns to a shared value. Callbacks are called as
//!   `callback(finished, value)`.
//! - the driver the runtime calls, over *holders*: objects whose `value`
//!   the runtime owns (the driver reads it when an animation starts and
//!   writes it on every frame; the holder must not route that write back
//!   into `animateTo`):
//!   - `animateTo(holder, valueOrAnimation, nowMs) -> bool`: a plain value
//!     is written at once; an animation starts from `holder.value` and takes
//!     its first step at `nowMs`. A running animation it replaces gets
//!     `callback(false, value)`. Returns whether the holder now animates.
//!   - `frame(nowMs) -> bool`: advances every running animation, writes the
//!     holders, calls `callback(true, value)` for those that finished;
//!     returns whether any still runs. A throwing animation is dropped and
//!     its error rethrown after the others have run.
//!   - `cancel(holder) -> bool`: stops it where it is, `callback(false,
//!     value)`.
//!   - `isAnimating(holder?) -> bool`, `isAnimation(value) -> bool`.
//!
//! Time is milliseconds of the frame clock (the host's vsync or a test's
//! controlled clock).

use rquickjs::context::EvalOptions;
use rquickjs::Ctx;

/// The name of the global object the library defines.
pub const GLOBAL: &str = "__cirrusAnimations";

/// The library's JavaScript source.
pub const SOURCE: &str = cirrus_protocol::worklet::ANIMATIONS_JS;

/// The file name the library's stack frames carry.
const FILE_NAME: &str = "cirrus:worklet/animations.js";

/// Evaluates the library in `ctx`, defining [`GLOBAL`]. Installing into a
/// context that already has it is a no-op. A JavaScript error (only possible
/// if the context is out of memory or its globals were tampered with) is
/// left pending in `ctx` as `Err(Error::Exception)`, as rquickjs does.
pub fn install(ctx: &Ctx<'_>) -> rquickjs::Result<()> {
    let mut options = EvalOptions::default();
    options.global = true;
    options.strict = true;
    options.filename = Some(FILE_NAME.to_owned());
    ctx.eval_with_options::<(), _>(SOURCE, options)
}
