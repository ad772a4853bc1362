//! Skyline's gesture handlers (SPEC §4.6): the eight `*-gesture-handler`
//! recognizers and the arena that arbitrates between them, as plain data
//! driven by explicit pointer events and an explicit clock.
//!
//! Nothing here knows the stage, the protocol or worklets. The caller feeds
//! [`PointerInput`]s (window CSS px, a timestamp) with, on each pointer down,
//! the chain of [`GestureHandler`]s under the pointer (innermost first),
//! calls [`GestureArena::advance`] when time passes, answers the
//! `should-accept-gesture` / `should-response-on-move` questions through
//! [`GestureCallbacks`] (the worklets it runs), and delivers what comes
//! back ([`GestureOutput`]: [`GestureEvent`]s and [`ScrollProxy`]
//! decisions) in the frame of that input.
//!
//! Skyline's gestures follow Flutter's gesture arena, so the semantics and
//! the constants ([`kinds::consts`]) are Flutter's, from
//! `packages/flutter/lib/src/gestures/`:
//! - `arena.dart`: one arena per pointer; a member that claims wins at once
//!   and the others are rejected; a lone member wins when the arena closes
//!   (after the down); on pointer up an undecided arena is swept in favour
//!   of its first (innermost) member; a member may hold an arena to delay
//!   the sweep (double-tap does, waiting for its second tap);
//! - `monodrag.dart` (pan, horizontal and vertical drag): claims past the
//!   slop (`kPanSlop` for pan, `kTouchSlop` for the one-axis drags),
//!   `DragStartBehavior.start` (the movement before the start is not
//!   reported), fling velocity at the end;
//! - `tap.dart`, `long_press.dart`, `multitap.dart` (double-tap),
//!   `scale.dart`, `force_press.dart`;
//! - `velocity_tracker.dart` and `lsq_solver.dart` ([`velocity`]).
//!
//! Skyline's additions on top of the arena, from SPEC §4.6:
//! - `simultaneous-handlers`: two handlers that name each other's `tag`
//!   (both sides must declare it) are not rejected when the other wins;
//!   they may win too and run together;
//! - `should-accept-gesture`: asked once, when the handler joins a touch
//!   (its first pointer down); a handler that says no takes no part and
//!   sends nothing;
//! - `should-response-on-move`: asked on every move of a handler that
//!   reports moves (drags, scale, a started long-press or force-press),
//!   innermost first, with the payload that move would carry. A `false`
//!   means the handler neither reports nor claims on that move (the finger
//!   still moved: the distance counts towards its slop, so it may claim on
//!   the next move it accepts);
//! - `native-view="scroll-view"|"swiper"`: the handler's drag also moves
//!   the native scroller it proxies, unless the handler is blocked (it lost
//!   the arena, or refused the move): the arena says so with
//!   [`ScrollProxy`] decisions the caller applies.
//!
//! States are Skyline's ([`GestureState`]): every handler that joins a touch
//! gets `POSSIBLE` first (Flutter's `onDown`), then `BEGIN` when its gesture
//! is recognised (`onStart`), `ACTIVE` for each update, and ends with `END`
//! or `CANCELLED` (Flutter's `onCancel`, also sent to a handler that lost
//! the arena after its `POSSIBLE`). Tap and double-tap go `POSSIBLE` then
//! `END`; the others `POSSIBLE`, `BEGIN`, `ACTIVE`…, `END`.

pub mod arena;
pub mod kinds;
pub mod recognizer;
pub mod velocity;

pub use arena::{GestureArena, GestureOutput, ScrollProxy, ScrollProxyAction};
pub use kinds::{GestureKind, GestureState, NativeView};
pub use recognizer::{GestureEvent, GesturePayload};
pub use velocity::{VelocityEstimate, VelocityTracker};

pub use super::PointerPhase;
use std::time::Duration;

/// A position in the window, CSS px from its top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    /// The displacement from `from` to `self`.
    pub fn minus(self, from: Point) -> Offset {
        Offset::new(self.x - from.x, self.y - from.y)
    }

    pub fn plus(self, by: Offset) -> Point {
        Point::new(self.x + by.dx, self.y + by.dy)
    }
}

/// A displacement, CSS px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Offset {
    pub dx: f32,
    pub dy: f32,
}

impl Offset {
    pub const ZERO: Offset = Offset { dx: 0.0, dy: 0.0 };

    pub const fn new(dx: f32, dy: f32) -> Offset {
        Offset { dx, dy }
    }

    pub fn length(self) -> f32 {
        self.dx.hypot(self.dy)
    }

    pub fn plus(self, other: Offset) -> Offset {
        Offset::new(self.dx + other.dx, self.dy + other.dy)
    }
}

/// A velocity, CSS px per second.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Velocity {
    pub x: f32,
    pub y: f32,
}

impl Velocity {
    pub const ZERO: Velocity = Velocity { x: 0.0, y: 0.0 };

    pub const fn new(x: f32, y: f32) -> Velocity {
        Velocity { x, y }
    }

    pub fn speed(self) -> f32 {
        self.x.hypot(self.y)
    }
}

/// The border box of a handler's node (its one child), window CSS px:
/// `relativeX/Y` are measured from its top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NodeBox {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

impl NodeBox {
    pub const fn new(left: f32, top: f32, width: f32, height: f32) -> NodeBox {
        NodeBox {
            left,
            top,
            width,
            height,
        }
    }

    /// `point` relative to the box's top-left corner.
    pub fn relative(&self, point: Point) -> Point {
        Point::new(point.x - self.left, point.y - self.top)
    }
}

/// A pointer (finger) as the host numbers it, from down to up or cancel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PointerId(pub u32);

/// Which gesture handler element, as the caller numbers them (the wiring
/// will use the handler element's node id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HandlerId(pub u32);

/// One pointer event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointerInput {
    pub pointer: PointerId,
    pub phase: PointerPhase,
    /// Window CSS px.
    pub position: Point,
    /// The host's clock; only differences matter, and it must not go back.
    pub time: Duration,
    /// Normalised pressure (0 = none, 1 = the device's maximum), for hosts
    /// that have it; `None` otherwise, and then `force-press` never starts
    /// (Flutter's `ForcePressGestureRecognizer` also refuses pointers of a
    /// device without a pressure range).
    pub pressure: Option<f32>,
}

impl PointerInput {
    fn at(pointer: u32, phase: PointerPhase, x: f32, y: f32, time: Duration) -> PointerInput {
        PointerInput {
            pointer: PointerId(pointer),
            phase,
            position: Point::new(x, y),
            time,
            pressure: None,
        }
    }

    pub fn down(pointer: u32, x: f32, y: f32, time: Duration) -> PointerInput {
        PointerInput::at(pointer, PointerPhase::Down, x, y, time)
    }

    pub fn moved(pointer: u32, x: f32, y: f32, time: Duration) -> PointerInput {
        PointerInput::at(pointer, PointerPhase::Move, x, y, time)
    }

    pub fn up(pointer: u32, x: f32, y: f32, time: Duration) -> PointerInput {
        PointerInput::at(pointer, PointerPhase::Up, x, y, time)
    }

    pub fn cancel(pointer: u32, x: f32, y: f32, time: Duration) -> PointerInput {
        PointerInput::at(pointer, PointerPhase::Cancel, x, y, time)
    }

    pub fn with_pressure(mut self, pressure: f32) -> PointerInput {
        self.pressure = Some(pressure);
        self
    }
}

/// A gesture handler element as the arena needs it: its attributes and
/// its node's box.
#[derive(Clone, Debug, PartialEq)]
pub struct GestureHandler {
    pub id: HandlerId,
    pub kind: GestureKind,
    /// `tag`: how other handlers name this one in `simultaneous-handlers`.
    pub tag: Option<String>,
    /// The element's `id`, which names it there too.
    pub element_id: Option<String>,
    /// `simultaneous-handlers`: the tags this handler may run with.
    pub simultaneous_handlers: Vec<String>,
    /// Whether `worklet:should-accept-gesture` is set.
    pub has_should_accept: bool,
    /// Whether `worklet:should-response-on-move` is set.
    pub has_should_respond_on_move: bool,
    pub native_view: NativeView,
    pub node_box: NodeBox,
}

impl GestureHandler {
    pub fn new(id: u32, kind: GestureKind) -> GestureHandler {
        GestureHandler {
            id: HandlerId(id),
            kind,
            tag: None,
            element_id: None,
            simultaneous_handlers: Vec::new(),
            has_should_accept: false,
            has_should_respond_on_move: false,
            native_view: NativeView::None,
            node_box: NodeBox::default(),
        }
    }

    pub fn tag(mut self, tag: &str) -> GestureHandler {
        self.tag = Some(tag.to_owned());
        self
    }

    pub fn element_id(mut self, id: &str) -> GestureHandler {
        self.element_id = Some(id.to_owned());
        self
    }

    pub fn simultaneous_with(mut self, tags: &[&str]) -> GestureHandler {
        self.simultaneous_handlers = tags.iter().map(|t| (*t).to_owned()).collect();
        self
    }

    pub fn with_should_accept(mut self) -> GestureHandler {
        self.has_should_accept = true;
        self
    }

    pub fn with_should_respond_on_move(mut self) -> GestureHandler {
        self.has_should_respond_on_move = true;
        self
    }

    pub fn native_view(mut self, native_view: NativeView) -> GestureHandler {
        self.native_view = native_view;
        self
    }

    pub fn node_box(mut self, node_box: NodeBox) -> GestureHandler {
        self.node_box = node_box;
        self
    }

    /// Whether `self` and `other` may run together: each names the other,
    /// by its `tag` or its `id` (SPEC §4.6: "declare it on both sides").
    pub fn is_simultaneous_with(&self, other: &GestureHandler) -> bool {
        self.names_any_of(other) && other.names_any_of(self)
    }

    /// Whether `simultaneous-handlers` names `other`'s tag or id.
    fn names_any_of(&self, other: &GestureHandler) -> bool {
        let names = [&other.tag, &other.element_id];
        names
            .into_iter()
            .flatten()
            .any(|name| !name.is_empty() && self.simultaneous_handlers.iter().any(|t| t == name))
    }
}

/// The worklet callbacks, which the caller runs synchronously (on the UI
/// thread, in the frame of the input). Only asked of handlers whose flags
/// say the callback is set.
pub trait GestureCallbacks {
    /// `worklet:should-accept-gesture`: may `handler` take part in this
    /// touch? Asked once, when it joins.
    fn should_accept(&mut self, handler: HandlerId) -> bool;

    /// `worklet:should-response-on-move`: should the handler respond to
    /// this move? `event` is what it would receive.
    fn should_respond_on_move(&mut self, event: &GestureEvent) -> bool;
}

/// Callbacks that say yes to everything (no worklet set, or tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct AcceptAll;

impl GestureCallbacks for AcceptAll {
    fn should_accept(&mut self, _handler: HandlerId) -> bool {
        true
    }

    fn should_respond_on_move(&mut self, _event: &GestureEvent) -> bool {
        true
    }
}

/// Callbacks from two closures: `accept(handler)` and `respond(event)`.
pub struct FnCallbacks<A, R>
where
    A: FnMut(HandlerId) -> bool,
    R: FnMut(&GestureEvent) -> bool,
{
    pub accept: A,
    pub respond: R,
}

impl<A, R> GestureCallbacks for FnCallbacks<A, R>
where
    A: FnMut(HandlerId) -> bool,
    R: FnMut(&GestureEvent) -> bool,
{
    fn should_accept(&mut self, handler: HandlerId) -> bool {
        (self.accept)(handler)
    }

    fn should_respond_on_move(&mut self, event: &GestureEvent) -> bool {
        (self.respond)(event)
    }
}
