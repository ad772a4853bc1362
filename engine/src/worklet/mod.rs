//! Worklets on the render thread.
//!
//! A worklet is a mini program function whose body starts with the
//! `'worklet'` directive. Skyline runs it on the UI thread, through
//! `wx.worklet.runOnUI`, gesture and scroll callbacks, and
//! `applyAnimatedStyle` updaters, in the same frame as the input that drives
//! it (SPEC §4.5). Cirrus gives the render thread a second, small QuickJS
//! context for these (the logic thread's context never runs on this thread):
//! the UI runtime. It holds the extracted worklets with their copied
//! closures, the UI side of shared values, and the animation drivers the
//! frame loop ticks once per vsync.
//!
//! This module is the part of that runtime the animations live in:
//! [`animations`] installs, as JavaScript evaluated in the UI context, the
//! `wx.worklet` animation API (`timing`, `spring`, `decay`, `sequence`,
//! `repeat`, `delay`, `cancelAnimation`, `Easing`) and a small driver
//! (`animateTo`, `frame`, `cancel`, `isAnimating`) for the runtime to call.
//! Easings and callbacks may be user worklets, which is why the library is
//! JavaScript in the same context rather than Rust: every call stays a plain
//! JS call.
//!
//! The animation semantics and formulas are react-native-reanimated's (MIT),
//! which Skyline follows: `src/animation/timing.ts`, `spring.ts` with
//! `springUtils.ts`, `decay/decay.ts` with `decay/rigidDecay.ts`,
//! `sequence.ts`, `repeat.ts`, `delay.ts`, `util.ts` (`decorateAnimation`,
//! `cancelAnimation`), `src/valueSetter.ts`, `src/Easing.ts`, `src/Bezier.ts`
//! (gre/bezier-easing) and `src/Colors.ts`; the decay law is Reanimated 1's
//! `src/animations/decay.js`. `worklet_animations.js` (in `cirrus-protocol`) says at each place where and
//! why it departs from them.
//!
//! [`runtime`] is the context itself: shared values (the UI side), worklets
//! rebuilt from what the logic thread sends, mappers (the updaters of
//! animated styles and `derived` values, re-run when a shared value they
//! read changes), UI timers and `runOnJS`, all under a per-call budget.
//! Wiring it to the frame driver, the protocol and the logic thread's
//! `wx.worklet` comes on top of it.

pub mod animations;
pub mod runtime;
pub mod style;
