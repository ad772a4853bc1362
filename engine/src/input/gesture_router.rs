//! Gesture handlers on the live page: the arena ([`super::gestures`]) fed
//! with the window's pointers, its questions answered and its results
//! delivered by the stage's worklets, all in the frame of the input.
//!
//! On a finger down the chain of handler elements under it (innermost
//! first) joins the arena; every pointer event and every advance of the
//! clock then goes to the arena, and what comes out is applied at once:
//! `worklet:ongesture` runs for each [`GestureEvent`](super::gestures::GestureEvent),
//! and a `native-view` handler's scroll-view follows its decisions.
//!
//! Invariant: the arena only ever holds handlers of one page; when the
//! page on top changes while a handler is in a touch, the arena is
//! cancelled (its handlers get `CANCELLED`) before the new page's touch
//! joins.

use super::gestures::{
    GestureArena, GestureCallbacks, GestureEvent, GestureKind, GestureOutput, HandlerId,
    NativeView, PointerInput,
};
use super::PointerPhase;
use crate::ops::{NodeId, PageId};
use crate::stage::Stage;
use std::collections::HashMap;
use std::time::Duration;

/// The handlers of the current touches and the arena between them.
#[derive(Debug, Default)]
pub struct GestureRouter {
    arena: GestureArena,
    /// The page whose handlers are in the arena.
    page: Option<PageId>,
    /// The kind and `native-view` of each handler that joined.
    joined: HashMap<HandlerId, (GestureKind, NativeView)>,
}

/// The arena's questions, answered by the handlers' worklets.
struct Worklets<'s> {
    stage: &'s mut Stage,
    page: PageId,
}

impl GestureCallbacks for Worklets<'_> {
    fn should_accept(&mut self, handler: HandlerId) -> bool {
        self.stage
            .gesture_should_accept(self.page, NodeId(handler.0))
    }

    fn should_respond_on_move(&mut self, event: &GestureEvent) -> bool {
        self.stage.gesture_should_respond(self.page, event)
    }
}

impl GestureRouter {
    /// One pointer event (window CSS px).
    pub fn pointer(&mut self, stage: &mut Stage, input: PointerInput) {
        let chain = if input.phase == PointerPhase::Down {
            let (page, chain) = stage
                .gesture_chain(input.position.x, input.position.y)
                .unwrap_or_default();
            if self.page.is_some_and(|p| p != page) && !chain.is_empty() {
                self.cancel_all(stage);
            }
            if !chain.is_empty() {
                self.page = Some(page);
                for handler in &chain {
                    self.joined
                        .insert(handler.id, (handler.kind, handler.native_view));
                }
            }
            chain
        } else {
            Vec::new()
        };
        let Some(page) = self.page else {
            return;
        };
        let output = {
            let mut callbacks = Worklets { stage, page };
            self.arena.handle(&input, &chain, &mut callbacks)
        };
        self.deliver(stage, page, output);
    }

    /// Time passed: long presses start, double-taps stop waiting. True when
    /// something was delivered.
    pub fn advance(&mut self, stage: &mut Stage, now: Duration) -> bool {
        let Some(page) = self.page else {
            return false;
        };
        let output = self.arena.advance(now);
        let delivered = !output.events.is_empty();
        self.deliver(stage, page, output);
        delivered
    }

    /// Every handler in a touch is cancelled (the window lost its pointers).
    pub fn cancel_all(&mut self, stage: &mut Stage) {
        let Some(page) = self.page else {
            return;
        };
        let output = self.arena.cancel_all();
        self.deliver(stage, page, output);
    }

    /// The next instant the arena has work without input.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.arena.next_deadline()
    }

    /// Whether a handler decides where this touch's drag goes, so the
    /// default scrolling of the scroll-view under the finger must not move
    /// it too: a `native-view` handler is in the touch (it moves its
    /// scroll-view itself), or a handler that follows the finger won.
    pub fn owns_drag(&self) -> bool {
        let proxied = self
            .joined
            .values()
            .any(|(_, native)| *native != NativeView::None);
        proxied
            || self.arena.active_handlers().iter().any(|id| {
                self.joined
                    .get(id)
                    .is_some_and(|(kind, _)| follows_finger(*kind))
            })
    }

    fn deliver(&mut self, stage: &mut Stage, page: PageId, output: GestureOutput) {
        for event in &output.events {
            stage.deliver_gesture(page, event);
        }
        for proxy in output.scrolls {
            stage.proxy_scroll(page, NodeId(proxy.handler.0), proxy.action);
        }
        if self.arena.is_idle() {
            self.page = None;
            self.joined.clear();
        }
    }
}

/// Handlers whose gesture moves with the finger (a scroll under them would
/// fight it).
fn follows_finger(kind: GestureKind) -> bool {
    matches!(
        kind,
        GestureKind::Pan
            | GestureKind::HorizontalDrag
            | GestureKind::VerticalDrag
            | GestureKind::Scale
    )
}
