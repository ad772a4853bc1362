//! Touch sequences and the gestures read from them (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>, after
//! <https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>).
//!
//! Each pointer is one touch with an identifier. A touch that starts on
//! the page is tracked against the element it started on, as a phone
//! does: `touchmove`, `touchend` and `touchcancel` go to that element even
//! when the finger has left it. If the element is removed meanwhile, the
//! nearest of its former ancestors still in the tree takes its place, so a
//! sequence survives a re-render under the finger.
//!
//! Gestures:
//! - `tap`: one finger, lifted without moving more than [`TAP_SLOP`] from
//!   where it went down. A second finger at any point cancels it.
//! - `longpress`: one finger held still for [`LONGPRESS_DELAY`]. The tap
//!   that may follow is sent marked, and the logic thread drops it when a
//!   `longpress` handler ran (WeChat: "if a handler for longpress was
//!   given and fired, tap does not fire").
//!
//! A single finger that moved beyond the slop drags the scroll-view under
//! where it started, on the render thread (the logic thread still gets
//! the `touchmove`s).
//!
//! Touches on the engine's chrome (navigation and tab bars) and on dialogs
//! are theirs: they raise no page touch events; a tap recognised there
//! goes to the chrome or the dialog.

use super::gesture_router::GestureRouter;
use super::gestures::{Point, PointerInput, VelocityTracker};
use super::hover::Pressed;
use crate::ops::{NodeId, PageId};
use crate::protocol::ToLogic;
use crate::stage::Stage;
use cirrus_protocol::events::{EventDetail, NodeOffset, Touch, UiEvent};
use std::time::Duration;

/// How far (CSS px) a finger may move and still tap.
pub const TAP_SLOP: f32 = 10.0;
/// How long a still finger takes to become a `longpress` (WeChat: 350 ms).
pub const LONGPRESS_DELAY: Duration = Duration::from_millis(350);

/// Where a touch started, which decides who gets its events.
#[derive(Clone, Debug, PartialEq)]
enum Owner {
    /// An element of a page: the element, then its ancestors up to the
    /// page root (the fallbacks if it is removed).
    Page { page: PageId, chain: Vec<NodeId> },
    /// The navigation bar or the tab bar.
    Chrome,
    /// A dialog, or the mask of one that blocks the page.
    Dialog,
    /// Nothing that takes touches (no page yet).
    Nobody,
}

#[derive(Clone, Debug)]
struct TrackedTouch {
    id: u32,
    /// Where it was and when, for the velocity it leaves with.
    velocity: VelocityTracker,
    /// Window CSS px.
    start: (f32, f32),
    last: (f32, f32),
    owner: Owner,
}

/// From the first finger down to the last one up.
#[derive(Clone, Debug)]
struct Sequence {
    started_at: Duration,
    /// Still one finger that has not moved beyond the slop.
    still_single: bool,
    longpress_sent: bool,
}

/// The touches on the screen and the gesture in progress.
#[derive(Debug, Default)]
pub struct TouchRouter {
    touches: Vec<TrackedTouch>,
    sequence: Option<Sequence>,
    pressed: Pressed,
    /// The element keys and text go to (the last one tapped that edits
    /// text: `input`, `textarea`, `editor`).
    focused: Option<(PageId, NodeId)>,
    /// The gesture handler elements the touches went down on.
    gestures: GestureRouter,
}

impl TouchRouter {
    /// Whether a finger is dragging (moved past the tap slop), so a
    /// scroll now is the finger's (`isDrag` of scroll worklets).
    pub fn is_dragging(&self) -> bool {
        self.sequence.as_ref().is_some_and(|s| !s.still_single) && !self.touches.is_empty()
    }

    /// Whether any finger is down.
    pub fn is_touching(&self) -> bool {
        !self.touches.is_empty()
    }

    /// The element keys and text go to.
    pub fn focused(&self) -> Option<(PageId, NodeId)> {
        self.focused
    }

    /// A finger went down at `point` (window CSS px).
    pub fn down(
        &mut self,
        stage: &mut Stage,
        id: u32,
        point: (f32, f32),
        now: Duration,
        out: &mut Vec<ToLogic>,
    ) {
        // A pointer id reused without an `Up` (a host that lost one):
        // finish the old touch first.
        if self.touches.iter().any(|t| t.id == id) {
            self.cancel(stage, id, out);
        }
        let owner = owner_at(stage, point);
        let mut velocity = VelocityTracker::new();
        velocity.add(now, Point::new(point.0, point.1));
        let touch = TrackedTouch {
            id,
            velocity,
            start: point,
            last: point,
            owner,
        };
        match &mut self.sequence {
            None => {
                self.sequence = Some(Sequence {
                    started_at: now,
                    still_single: true,
                    longpress_sent: false,
                });
                if let Owner::Page { page, chain } = &touch.owner {
                    self.pressed.press(stage, *page, chain, now);
                }
            }
            // Multi-touch: no tap, no longpress, no pressed state.
            Some(sequence) => {
                sequence.still_single = false;
                self.pressed.release(stage, now, false);
            }
        }
        self.touches.push(touch);
        let index = self.touches.len() - 1;
        self.send_touch(stage, "touchstart", index, false, out);
        let input = PointerInput::down(id, point.0, point.1, now);
        self.gestures.pointer(stage, input);
    }

    /// A finger moved to `point`.
    pub fn moved(
        &mut self,
        stage: &mut Stage,
        id: u32,
        point: (f32, f32),
        now: Duration,
        out: &mut Vec<ToLogic>,
    ) {
        let Some(index) = self.touches.iter().position(|t| t.id == id) else {
            return;
        };
        let previous = self.touches[index].last;
        if previous == point {
            return;
        }
        self.touches[index].last = point;
        (self.touches[index].velocity).add(now, Point::new(point.0, point.1));
        let start = self.touches[index].start;
        let distance = ((point.0 - start.0).powi(2) + (point.1 - start.1).powi(2)).sqrt();
        if distance > TAP_SLOP {
            if let Some(sequence) = &mut self.sequence {
                if sequence.still_single {
                    sequence.still_single = false;
                    self.pressed.release(stage, now, false);
                }
            }
        }
        self.gestures
            .pointer(stage, PointerInput::moved(id, point.0, point.1, now));
        // One finger dragging: the scroll-view under where it started
        // follows it (the content moves with the finger), unless a gesture
        // handler took the drag.
        let dragging = self.sequence.as_ref().is_some_and(|s| !s.still_single);
        if dragging
            && !self.gestures.owns_drag()
            && self.touches.len() == 1
            && matches!(self.touches[index].owner, Owner::Page { .. })
        {
            stage.drag_at(start.0, start.1, previous.0 - point.0, previous.1 - point.1);
        }
        self.send_touch(stage, "touchmove", index, false, out);
    }

    /// A finger was lifted at `point`.
    pub fn up(
        &mut self,
        stage: &mut Stage,
        id: u32,
        point: (f32, f32),
        now: Duration,
        out: &mut Vec<ToLogic>,
    ) {
        let Some(index) = self.touches.iter().position(|t| t.id == id) else {
            return;
        };
        self.touches[index].last = point;
        self.gestures
            .pointer(stage, PointerInput::up(id, point.0, point.1, now));
        self.send_touch(stage, "touchend", index, true, out);
        let touch = self.touches.remove(index);
        if !self.touches.is_empty() {
            return;
        }
        // The last finger left: what it dragged flings on.
        let velocity = touch
            .velocity
            .estimate(now)
            .map_or((0.0, 0.0), |e| (e.velocity.x, e.velocity.y));
        stage.release_drag(velocity);
        let Some(sequence) = self.sequence.take() else {
            return;
        };
        self.pressed.release(stage, now, sequence.still_single);
        if sequence.still_single {
            self.tap(stage, &touch, sequence.longpress_sent, out);
        }
    }

    /// The host took a finger away: `touchcancel`, no gesture.
    pub fn cancel(&mut self, stage: &mut Stage, id: u32, out: &mut Vec<ToLogic>) {
        let Some(index) = self.touches.iter().position(|t| t.id == id) else {
            return;
        };
        self.send_touch(stage, "touchcancel", index, true, out);
        let (x, y) = self.touches[index].last;
        let now = stage.clock;
        self.gestures
            .pointer(stage, PointerInput::cancel(id, x, y, now));
        self.touches.remove(index);
        if let Some(sequence) = &mut self.sequence {
            sequence.still_single = false;
        }
        if self.touches.is_empty() {
            self.sequence = None;
            stage.release_drag((0.0, 0.0));
        }
        self.pressed.release(stage, Duration::ZERO, false);
    }

    /// Time passed: a still finger becomes a `longpress`; pressed states
    /// start and end on their delays. True when the picture may change.
    pub fn advance(&mut self, stage: &mut Stage, now: Duration, out: &mut Vec<ToLogic>) -> bool {
        if let Some(sequence) = &mut self.sequence {
            if sequence.still_single
                && !sequence.longpress_sent
                && now.saturating_sub(sequence.started_at) >= LONGPRESS_DELAY
            {
                sequence.longpress_sent = true;
                if let Some(touch) = self.touches.first() {
                    if let Owner::Page { page, chain } = &touch.owner {
                        if let Some(event) =
                            page_event(stage, *page, chain, "longpress", touch.last)
                        {
                            out.push(ToLogic::Event(event));
                        }
                    }
                }
            }
        }
        let delivered = self.gestures.advance(stage, now);
        self.pressed.advance(stage, now) || delivered
    }

    /// The next instant something is due (a longpress, a pressed state's
    /// delay), for hosts that sleep between frames.
    pub fn next_deadline(&self) -> Option<Duration> {
        let longpress = self
            .sequence
            .as_ref()
            .filter(|s| s.still_single && !s.longpress_sent)
            .map(|s| s.started_at + LONGPRESS_DELAY);
        [
            longpress,
            self.pressed.next_deadline(),
            self.gestures.next_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// A tap recognised at the end of a single-finger sequence: dialogs
    /// first, then the chrome, then the page.
    fn tap(
        &mut self,
        stage: &mut Stage,
        touch: &TrackedTouch,
        after_longpress: bool,
        out: &mut Vec<ToLogic>,
    ) {
        let point = touch.last;
        if let Some(answer) = stage.tap_dialogs(point) {
            out.push(answer);
            return;
        }
        match &touch.owner {
            Owner::Dialog | Owner::Nobody => {}
            Owner::Chrome => out.extend(stage.chrome_tap(point.0, point.1)),
            Owner::Page { page, chain } => {
                let Some(mut event) = page_event(stage, *page, chain, "tap", point) else {
                    return;
                };
                if let EventDetail::Point { x, y } = event.detail {
                    event.detail = EventDetail::Tap {
                        x,
                        y,
                        after_longpress,
                    };
                }
                self.focused = editable(stage, *page, event.node).then_some((*page, event.node));
                out.push(ToLogic::Event(event));
            }
        }
    }

    /// `touchstart`/`touchmove`/`touchend`/`touchcancel` for the touch at
    /// `index`, when it belongs to the page. `lifted`: the touch leaves
    /// `touches` (end, cancel).
    fn send_touch(
        &self,
        stage: &mut Stage,
        name: &str,
        index: usize,
        lifted: bool,
        out: &mut Vec<ToLogic>,
    ) {
        let touch = &self.touches[index];
        let Owner::Page { page, chain } = &touch.owner else {
            return;
        };
        let Some(target) = live_target(stage, *page, chain) else {
            return;
        };
        let origin = page_origin(stage);
        let to_touch = |t: &TrackedTouch| {
            let (x, y) = (t.last.0 - origin.0, t.last.1 - origin.1);
            Touch {
                identifier: t.id,
                page_x: x,
                page_y: y,
                client_x: x,
                client_y: y,
            }
        };
        let touches = self
            .touches
            .iter()
            .enumerate()
            .filter(|(i, t)| !(lifted && *i == index) && matches!(t.owner, Owner::Page { .. }))
            .map(|(_, t)| to_touch(t))
            .collect();
        out.push(ToLogic::Event(UiEvent {
            page: *page,
            node: target,
            name: name.to_owned(),
            detail: EventDetail::None,
            touches,
            changed_touches: vec![to_touch(touch)],
            offsets: offsets(stage, *page, chain),
        }));
    }
}

/// The page area's top-left corner in the window.
fn page_origin(stage: &Stage) -> (f32, f32) {
    let area = stage.page_area();
    (area.x, area.y)
}

/// Who takes a touch starting at `point` (window CSS px).
fn owner_at(stage: &mut Stage, point: (f32, f32)) -> Owner {
    if stage.dialogs().blocks_page() {
        return Owner::Dialog;
    }
    if stage.on_chrome(point.0, point.1) {
        return Owner::Chrome;
    }
    // Hit test what the frame shows, with applied batches laid out.
    stage.update();
    stage.sync_scroll();
    let Some(page) = stage.top_page().map(|p| p.id) else {
        return Owner::Nobody;
    };
    let origin = page_origin(stage);
    let Some(target) = stage.hit_test(point.0 - origin.0, point.1 - origin.1) else {
        return Owner::Nobody;
    };
    Owner::Page {
        page,
        chain: ancestry(stage, target),
    }
}

/// `node` and its ancestors, the page root last.
fn ancestry(stage: &Stage, node: NodeId) -> Vec<NodeId> {
    let mut chain = Vec::new();
    let Some(page) = stage.top_page() else {
        return chain;
    };
    let mut cursor = Some(node);
    // Bounded like every walk over a tree the mini program shaped.
    while let Some(id) = cursor.filter(|_| chain.len() < 4096) {
        chain.push(id);
        cursor = page.tree.get(id).and_then(|n| n.parent);
    }
    chain
}

/// The first node of `chain` still in the page's tree.
fn live_target(stage: &Stage, page: PageId, chain: &[NodeId]) -> Option<NodeId> {
    let view = stage.pages().iter().find(|p| p.id == page)?;
    chain
        .iter()
        .copied()
        .find(|id| view.tree.get(*id).is_some())
}

/// An event with a point detail (`tap`, `longpress`) for the live target.
fn page_event(
    stage: &Stage,
    page: PageId,
    chain: &[NodeId],
    name: &str,
    point: (f32, f32),
) -> Option<UiEvent> {
    let node = live_target(stage, page, chain)?;
    let origin = page_origin(stage);
    let (x, y) = (point.0 - origin.0, point.1 - origin.1);
    let touch = Touch {
        identifier: 0,
        page_x: x,
        page_y: y,
        client_x: x,
        client_y: y,
    };
    Some(UiEvent {
        page,
        node,
        name: name.to_owned(),
        detail: EventDetail::Point { x, y },
        touches: Vec::new(),
        changed_touches: vec![touch],
        offsets: offsets(stage, page, chain),
    })
}

/// `offsetLeft`/`offsetTop` of the live nodes of `chain`: their border
/// boxes' corners relative to the page.
fn offsets(stage: &Stage, page: PageId, chain: &[NodeId]) -> Vec<NodeOffset> {
    let Some(view) = stage.pages().iter().find(|p| p.id == page) else {
        return Vec::new();
    };
    chain
        .iter()
        .filter_map(|&node| {
            let rect = crate::query::node_rect(&view.tree, node)?;
            Some(NodeOffset {
                node,
                left: rect.left,
                top: rect.top,
            })
        })
        .collect()
}

/// Whether keys and text typed after tapping `node` belong to it.
fn editable(stage: &Stage, page: PageId, node: NodeId) -> bool {
    let Some(view) = stage.pages().iter().find(|p| p.id == page) else {
        return false;
    };
    view.tree
        .get(node)
        .and_then(|n| n.tag())
        .is_some_and(|tag| matches!(tag, "input" | "textarea" | "editor"))
}
