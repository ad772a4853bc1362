//! The worklet animation library (`wx.worklet.timing`, `spring`, `decay`,
//! `sequence`, `repeat`, `delay`, `cancelAnimation`, `Easing`), as
//! JavaScript source. The render thread's UI context runs it
//! (`cirrus_engine::worklet::animations` says what it defines and where its
//! formulas come from); the logic thread evaluates it too, so that
//! `wx.worklet.Easing` computes the same curves there. It lives here, the
//! one crate both threads depend on, as text: neither side's JS engine is a
//! dependency of this crate.

/// The library's source; evaluating it defines `globalThis.__cirrusAnimations`.
pub const ANIMATIONS_JS: &str = include_str!("worklet_animations.js");
