//! The recognizers, one per kind: state machines over one handler's
//! pointers. They decide what their handler reports and when it wants to
//! win ([`Verdict`]); the arena ([`super::arena`]) decides who does.

use super::kinds::consts::{
    DOUBLE_TAP_MIN_TIME, DOUBLE_TAP_SLOP, DOUBLE_TAP_TIMEOUT, DOUBLE_TAP_TOUCH_SLOP,
    FORCE_PRESS_START, LONG_PRESS_TIMEOUT, MAX_FLING_VELOCITY, MIN_FLING_VELOCITY, PAN_SLOP,
    SCALE_SLOP, TOUCH_SLOP,
};
use super::kinds::{GestureKind, GestureState};
use super::velocity::VelocityEstimate;
use super::{HandlerId, NodeBox, Offset, Point, PointerId, PointerInput, Velocity};
use std::f32::consts::PI;
use std::time::Duration;

/// What a handler's callback receives: `worklet:ongesture`'s argument
/// (and `should-response-on-move`'s).
#[derive(Clone, Debug, PartialEq)]
pub struct GestureEvent {
    pub handler: HandlerId,
    pub kind: GestureKind,
    pub state: GestureState,
    pub payload: GesturePayload,
}

impl GestureEvent {
    /// The event as the worklet sees it: `state`, then the payload's
    /// fields, by their SPEC §4.6 names.
    pub fn fields(&self) -> Vec<(&'static str, f64)> {
        let mut fields = vec![("state", f64::from(self.state.code()))];
        fields.extend(self.payload.fields());
        fields
    }
}

/// The fields of an event, by kind (SPEC §4.6's table). Positions are
/// window CSS px (`absolute`) and relative to the handler's node box
/// (`relative`).
#[derive(Clone, Debug, PartialEq)]
pub enum GesturePayload {
    /// pan, horizontal-drag, vertical-drag. `delta`: since the last event
    /// (projected on the axis for the one-axis drags); `velocity`: px/s,
    /// the tracker's estimate on updates and the fling velocity at `END`.
    Drag {
        absolute: Point,
        relative: Point,
        delta: Offset,
        velocity: Velocity,
    },
    /// tap, double-tap.
    Tap { absolute: Point, relative: Point },
    /// long-press. `translation`: from where the finger went down.
    LongPress {
        absolute: Point,
        relative: Point,
        translation: Offset,
    },
    /// scale. `scale` is cumulative since the gesture started (1 at the
    /// first pointers' spread), `rotation` in radians (clockwise positive,
    /// as y grows downwards), `focal_delta` since the last event.
    Scale {
        focal: Point,
        focal_delta: Offset,
        scale: f32,
        rotation: f32,
        pointer_count: u32,
    },
    /// force-press. `pressure`: normalised, 0 to 1.
    ForcePress {
        absolute: Point,
        relative: Point,
        pressure: f32,
    },
}

impl GesturePayload {
    /// `(name, value)` pairs, by SPEC §4.6's field names.
    pub fn fields(&self) -> Vec<(&'static str, f64)> {
        let point =
            |x: &'static str, y: &'static str, p: Point| [(x, f64::from(p.x)), (y, f64::from(p.y))];
        let mut fields = Vec::new();
        match *self {
            GesturePayload::Drag {
                absolute,
                relative,
                delta,
                velocity,
            } => {
                fields.extend(point("absoluteX", "absoluteY", absolute));
                fields.extend(point("relativeX", "relativeY", relative));
                fields.push(("deltaX", f64::from(delta.dx)));
                fields.push(("deltaY", f64::from(delta.dy)));
                fields.push(("velocityX", f64::from(velocity.x)));
                fields.push(("velocityY", f64::from(velocity.y)));
            }
            GesturePayload::Tap { absolute, relative } => {
                fields.extend(point("absoluteX", "absoluteY", absolute));
                fields.extend(point("relativeX", "relativeY", relative));
            }
            GesturePayload::LongPress {
                absolute,
                relative,
                translation,
            } => {
                fields.extend(point("absoluteX", "absoluteY", absolute));
                fields.extend(point("relativeX", "relativeY", relative));
                fields.push(("translationX", f64::from(translation.dx)));
                fields.push(("translationY", f64::from(translation.dy)));
            }
            GesturePayload::Scale {
                focal,
                focal_delta,
                scale,
                rotation,
                pointer_count,
            } => {
                fields.extend(point("focalX", "focalY", focal));
                fields.push(("focalDeltaX", f64::from(focal_delta.dx)));
                fields.push(("focalDeltaY", f64::from(focal_delta.dy)));
                fields.push(("scale", f64::from(scale)));
                fields.push(("rotation", f64::from(rotation)));
                fields.push(("pointerCount", f64::from(pointer_count)));
            }
            GesturePayload::ForcePress {
                absolute,
                relative,
                pressure,
            } => {
                fields.extend(point("absoluteX", "absoluteY", absolute));
                fields.extend(point("relativeX", "relativeY", relative));
                fields.push(("pressure", f64::from(pressure)));
            }
        }
        fields
    }

    /// `self` with `relative` measured in `node_box` (recognizers leave it
    /// to the arena, which knows the handler's current box).
    pub(crate) fn in_box(mut self, node_box: &NodeBox) -> GesturePayload {
        match &mut self {
            GesturePayload::Drag {
                absolute, relative, ..
            }
            | GesturePayload::Tap { absolute, relative }
            | GesturePayload::LongPress {
                absolute, relative, ..
            }
            | GesturePayload::ForcePress {
                absolute, relative, ..
            } => *relative = node_box.relative(*absolute),
            GesturePayload::Scale { .. } => {}
        }
        self
    }

    /// The drag delta, for scroll proxies.
    pub(crate) fn drag(&self) -> Option<(Offset, Velocity)> {
        match *self {
            GesturePayload::Drag {
                delta, velocity, ..
            } => Some((delta, velocity)),
            _ => None,
        }
    }
}

/// What a recognizer asks of the arena after an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Nothing,
    /// Win (Flutter's `resolve(GestureDisposition.accepted)`).
    Claim,
    /// Leave (`resolve(GestureDisposition.rejected)`).
    GiveUp,
    /// Keep the lifted pointer's arena from being swept (double-tap
    /// waiting for its second tap: `GestureArenaManager.hold`).
    Hold,
    /// Done: `END` was sent.
    Finish,
}

/// The events a recognizer sends, before the arena names the handler.
pub(crate) type Emitted = Vec<(GestureState, GesturePayload)>;

/// Asks `should-response-on-move` (through the arena) with the event a
/// move would send.
pub(crate) type Ask<'a> = dyn FnMut(GestureState, &GesturePayload) -> bool + 'a;

fn tap_payload(at: Point) -> GesturePayload {
    GesturePayload::Tap {
        absolute: at,
        relative: at,
    }
}

fn drag_payload(at: Point, delta: Offset, velocity: Velocity) -> GesturePayload {
    GesturePayload::Drag {
        absolute: at,
        relative: at,
        delta,
        velocity,
    }
}

/// One handler's recognizer.
#[derive(Clone, Debug)]
pub(crate) enum Recognizer {
    Drag(Drag),
    Tap(Tap),
    DoubleTap(DoubleTap),
    LongPress(LongPress),
    Scale(Scale),
    ForcePress(ForcePress),
}

impl Recognizer {
    pub(crate) fn new(kind: GestureKind) -> Recognizer {
        match kind {
            GestureKind::Pan => Recognizer::Drag(Drag::new(Axis::Both)),
            GestureKind::HorizontalDrag => Recognizer::Drag(Drag::new(Axis::Horizontal)),
            GestureKind::VerticalDrag => Recognizer::Drag(Drag::new(Axis::Vertical)),
            GestureKind::Tap => Recognizer::Tap(Tap::default()),
            GestureKind::DoubleTap => Recognizer::DoubleTap(DoubleTap::default()),
            GestureKind::LongPress => Recognizer::LongPress(LongPress::default()),
            GestureKind::Scale => Recognizer::Scale(Scale::default()),
            GestureKind::ForcePress => Recognizer::ForcePress(ForcePress::default()),
        }
    }

    /// Whether this recognizer takes the pointer going down (`isPointerAllowed`).
    pub(crate) fn allows(&self, down: &PointerInput) -> bool {
        match self {
            Recognizer::Drag(r) => r.state != Phase::Done,
            Recognizer::Tap(r) => r.state == Phase::Ready,
            Recognizer::DoubleTap(r) => r.allows(down),
            Recognizer::LongPress(r) => r.state == Phase::Ready,
            Recognizer::Scale(r) => r.state != Phase::Done,
            // Without pressure a force press can never start.
            Recognizer::ForcePress(r) => r.state == Phase::Ready && down.pressure.is_some(),
        }
    }

    pub(crate) fn add_pointer(&mut self, down: &PointerInput, out: &mut Emitted) {
        match self {
            Recognizer::Drag(r) => r.add_pointer(down, out),
            Recognizer::Tap(r) => {
                r.state = Phase::Possible;
                r.pointer = down.pointer;
                r.down = down.position;
                out.push((GestureState::Possible, tap_payload(down.position)));
            }
            Recognizer::DoubleTap(r) => r.add_pointer(down, out),
            Recognizer::LongPress(r) => {
                r.state = Phase::Possible;
                r.pointer = down.pointer;
                r.down = down.position;
                r.last = down.position;
                r.deadline = down.time + LONG_PRESS_TIMEOUT;
                out.push((GestureState::Possible, r.payload()));
            }
            Recognizer::Scale(r) => r.add_pointer(down, out),
            Recognizer::ForcePress(r) => {
                r.state = Phase::Possible;
                r.pointer = down.pointer;
                r.down = down.position;
                r.last = down.position;
                r.pressure = down.pressure.unwrap_or(0.0);
                out.push((GestureState::Possible, r.payload()));
            }
        }
    }

    pub(crate) fn moved(
        &mut self,
        input: &PointerInput,
        estimate: Option<VelocityEstimate>,
        ask: &mut Ask<'_>,
        out: &mut Emitted,
    ) -> Verdict {
        match self {
            Recognizer::Drag(r) => r.moved(input, estimate, ask, out),
            Recognizer::Tap(r) => {
                // `tap.dart`: moving past the slop (before or after winning)
                // is not a tap.
                if r.state == Phase::Possible
                    && input.pointer == r.pointer
                    && input.position.minus(r.down).length() > TOUCH_SLOP
                {
                    return Verdict::GiveUp;
                }
                Verdict::Nothing
            }
            Recognizer::DoubleTap(r) => r.moved(input),
            Recognizer::LongPress(r) => r.moved(input, ask, out),
            Recognizer::Scale(r) => r.moved(input, ask, out),
            Recognizer::ForcePress(r) => r.moved(input, ask, out),
        }
    }

    pub(crate) fn lifted(
        &mut self,
        input: &PointerInput,
        estimate: Option<VelocityEstimate>,
        out: &mut Emitted,
    ) -> Verdict {
        match self {
            Recognizer::Drag(r) => r.lifted(input, estimate, out),
            Recognizer::Tap(r) => {
                if r.state != Phase::Possible || input.pointer != r.pointer {
                    return Verdict::Nothing;
                }
                if r.won {
                    r.state = Phase::Done;
                    out.push((GestureState::End, tap_payload(input.position)));
                    return Verdict::Finish;
                }
                // Wait for the arena (a double-tap may hold it).
                r.up = Some(input.position);
                Verdict::Nothing
            }
            Recognizer::DoubleTap(r) => r.lifted(input),
            Recognizer::LongPress(r) => {
                if input.pointer != r.pointer {
                    return Verdict::Nothing;
                }
                match r.state {
                    Phase::Started => {
                        r.last = input.position;
                        r.state = Phase::Done;
                        out.push((GestureState::End, r.payload()));
                        Verdict::Finish
                    }
                    // Lifted before the timeout.
                    Phase::Possible => Verdict::GiveUp,
                    _ => Verdict::Nothing,
                }
            }
            Recognizer::Scale(r) => r.lifted(input, out),
            Recognizer::ForcePress(r) => {
                if input.pointer != r.pointer {
                    return Verdict::Nothing;
                }
                match r.state {
                    Phase::Started => {
                        r.last = input.position;
                        r.state = Phase::Done;
                        out.push((GestureState::End, r.payload()));
                        Verdict::Finish
                    }
                    Phase::Possible => Verdict::GiveUp,
                    _ => Verdict::Nothing,
                }
            }
        }
    }

    /// The handler won an arena (claimed, alone, or swept). Called on every
    /// win, so it must be idempotent.
    pub(crate) fn accepted(&mut self, out: &mut Emitted) -> Verdict {
        match self {
            Recognizer::Drag(r) => {
                // `monodrag.dart`: winning starts the drag, with
                // `DragStartBehavior.start` (the pending movement is dropped).
                if r.state == Phase::Possible {
                    r.state = Phase::Started;
                    r.pending = Offset::ZERO;
                    out.push((
                        GestureState::Begin,
                        drag_payload(r.last, Offset::ZERO, Velocity::ZERO),
                    ));
                }
                Verdict::Nothing
            }
            Recognizer::Tap(r) => {
                r.won = true;
                match r.up {
                    Some(up) if r.state == Phase::Possible => {
                        r.state = Phase::Done;
                        out.push((GestureState::End, tap_payload(up)));
                        Verdict::Finish
                    }
                    _ => Verdict::Nothing,
                }
            }
            Recognizer::DoubleTap(r) => match r.state {
                DoubleTapState::SecondUp { at } => {
                    r.state = DoubleTapState::Done;
                    out.push((GestureState::End, tap_payload(at)));
                    Verdict::Finish
                }
                _ => Verdict::Nothing,
            },
            // Winning the arena (by sweep, or alone) is not a long press,
            // a scale or a force press: each starts on its own condition.
            Recognizer::LongPress(_) | Recognizer::Scale(_) | Recognizer::ForcePress(_) => {
                Verdict::Nothing
            }
        }
    }

    /// The handler lost: `CANCELLED` if it had sent anything and not ended.
    pub(crate) fn rejected(&mut self, out: &mut Emitted) {
        let (live, payload) = match self {
            Recognizer::Drag(r) => (
                matches!(r.state, Phase::Possible | Phase::Started),
                drag_payload(r.last, Offset::ZERO, Velocity::ZERO),
            ),
            Recognizer::Tap(r) => (
                r.state == Phase::Possible,
                tap_payload(r.up.unwrap_or(r.down)),
            ),
            Recognizer::DoubleTap(r) => (
                !matches!(r.state, DoubleTapState::Ready | DoubleTapState::Done),
                tap_payload(r.last),
            ),
            Recognizer::LongPress(r) => (
                matches!(r.state, Phase::Possible | Phase::Started),
                r.payload(),
            ),
            Recognizer::Scale(r) => (
                matches!(r.state, Phase::Possible | Phase::Started),
                r.payload(Offset::ZERO),
            ),
            Recognizer::ForcePress(r) => (
                matches!(r.state, Phase::Possible | Phase::Started),
                r.payload(),
            ),
        };
        if live {
            out.push((GestureState::Cancelled, payload));
        }
        match self {
            Recognizer::Drag(r) => r.state = Phase::Done,
            Recognizer::Tap(r) => r.state = Phase::Done,
            Recognizer::DoubleTap(r) => r.state = DoubleTapState::Done,
            Recognizer::LongPress(r) => r.state = Phase::Done,
            Recognizer::Scale(r) => r.state = Phase::Done,
            Recognizer::ForcePress(r) => r.state = Phase::Done,
        }
    }

    /// Time passed: a long press starts, a double-tap stops waiting.
    pub(crate) fn advance(&mut self, now: Duration, out: &mut Emitted) -> Verdict {
        match self {
            Recognizer::LongPress(r) if r.state == Phase::Possible && now >= r.deadline => {
                // `long_press.dart` `didExceedDeadline`: claim and start.
                r.state = Phase::Started;
                out.push((GestureState::Begin, r.payload()));
                Verdict::Claim
            }
            Recognizer::DoubleTap(r) => match r.state {
                DoubleTapState::Waiting { deadline, .. } if now >= deadline => Verdict::GiveUp,
                _ => Verdict::Nothing,
            },
            _ => Verdict::Nothing,
        }
    }

    /// When [`Recognizer::advance`] has something to do.
    pub(crate) fn deadline(&self) -> Option<Duration> {
        match self {
            Recognizer::LongPress(r) if r.state == Phase::Possible => Some(r.deadline),
            Recognizer::DoubleTap(r) => match r.state {
                DoubleTapState::Waiting { deadline, .. } => Some(deadline),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The life of most recognizers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Phase {
    /// No pointer yet.
    #[default]
    Ready,
    /// Tracking, not recognised.
    Possible,
    /// Recognised (`BEGIN` sent).
    Started,
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Axis {
    Both,
    Horizontal,
    Vertical,
}

impl Axis {
    fn project(self, offset: Offset) -> Offset {
        match self {
            Axis::Both => offset,
            Axis::Horizontal => Offset::new(offset.dx, 0.0),
            Axis::Vertical => Offset::new(0.0, offset.dy),
        }
    }

    /// `monodrag.dart` `hasSufficientGlobalDistanceToAccept`.
    fn past_slop(self, pending: Offset) -> bool {
        match self {
            Axis::Both => pending.length() > PAN_SLOP,
            Axis::Horizontal => pending.dx.abs() > TOUCH_SLOP,
            Axis::Vertical => pending.dy.abs() > TOUCH_SLOP,
        }
    }

    /// `monodrag.dart` `_checkEnd`: the release velocity when it is a fling
    /// (`isFlingGesture`), clamped; zero otherwise.
    fn fling(self, estimate: Option<VelocityEstimate>) -> Velocity {
        let Some(estimate) = estimate else {
            return Velocity::ZERO;
        };
        let v = estimate.velocity;
        match self {
            Axis::Both => {
                let speed = v.speed();
                if speed > MIN_FLING_VELOCITY && estimate.offset.length() > TOUCH_SLOP {
                    // `Velocity.clampMagnitude(kMinFlingVelocity, kMaxFlingVelocity)`.
                    let clamped = speed.clamp(MIN_FLING_VELOCITY, MAX_FLING_VELOCITY);
                    Velocity::new(v.x / speed * clamped, v.y / speed * clamped)
                } else {
                    Velocity::ZERO
                }
            }
            Axis::Horizontal => {
                if v.x.abs() > MIN_FLING_VELOCITY && estimate.offset.dx.abs() > TOUCH_SLOP {
                    Velocity::new(v.x.clamp(-MAX_FLING_VELOCITY, MAX_FLING_VELOCITY), 0.0)
                } else {
                    Velocity::ZERO
                }
            }
            Axis::Vertical => {
                if v.y.abs() > MIN_FLING_VELOCITY && estimate.offset.dy.abs() > TOUCH_SLOP {
                    Velocity::new(0.0, v.y.clamp(-MAX_FLING_VELOCITY, MAX_FLING_VELOCITY))
                } else {
                    Velocity::ZERO
                }
            }
        }
    }

    fn velocity(self, estimate: Option<VelocityEstimate>) -> Velocity {
        let v = estimate.map_or(Velocity::ZERO, |e| e.velocity);
        match self {
            Axis::Both => v,
            Axis::Horizontal => Velocity::new(v.x, 0.0),
            Axis::Vertical => Velocity::new(0.0, v.y),
        }
    }
}

/// pan, horizontal-drag, vertical-drag (`monodrag.dart`). Several fingers
/// may be down; the latest one drives it (`MultitouchDragStrategy.latestPointer`).
#[derive(Clone, Debug)]
pub(crate) struct Drag {
    axis: Axis,
    state: Phase,
    pointers: Vec<(PointerId, Point)>,
    /// The pointer whose movement counts.
    active: Option<PointerId>,
    last: Point,
    /// Movement since the down, towards the slop.
    pending: Offset,
}

impl Drag {
    fn new(axis: Axis) -> Drag {
        Drag {
            axis,
            state: Phase::Ready,
            pointers: Vec::new(),
            active: None,
            last: Point::default(),
            pending: Offset::ZERO,
        }
    }

    fn add_pointer(&mut self, down: &PointerInput, out: &mut Emitted) {
        self.pointers.push((down.pointer, down.position));
        self.active = Some(down.pointer);
        self.last = down.position;
        if self.state == Phase::Ready {
            self.state = Phase::Possible;
            out.push((
                GestureState::Possible,
                drag_payload(down.position, Offset::ZERO, Velocity::ZERO),
            ));
        }
    }

    fn moved(
        &mut self,
        input: &PointerInput,
        estimate: Option<VelocityEstimate>,
        ask: &mut Ask<'_>,
        out: &mut Emitted,
    ) -> Verdict {
        let Some(entry) = self.pointers.iter_mut().find(|(p, _)| *p == input.pointer) else {
            return Verdict::Nothing;
        };
        entry.1 = input.position;
        if self.active != Some(input.pointer) {
            return Verdict::Nothing;
        }
        let raw = input.position.minus(self.last);
        self.last = input.position;
        let payload = drag_payload(
            input.position,
            self.axis.project(raw),
            self.axis.velocity(estimate),
        );
        match self.state {
            Phase::Possible => {
                // The finger moved whatever the callback says; a refused
                // move only keeps the handler from claiming on it.
                self.pending = self.pending.plus(raw);
                if ask(GestureState::Possible, &payload) && self.axis.past_slop(self.pending) {
                    return Verdict::Claim;
                }
                Verdict::Nothing
            }
            Phase::Started => {
                if ask(GestureState::Active, &payload) {
                    out.push((GestureState::Active, payload));
                }
                Verdict::Nothing
            }
            Phase::Ready | Phase::Done => Verdict::Nothing,
        }
    }

    fn lifted(
        &mut self,
        input: &PointerInput,
        estimate: Option<VelocityEstimate>,
        out: &mut Emitted,
    ) -> Verdict {
        let Some(index) = self.pointers.iter().position(|(p, _)| *p == input.pointer) else {
            return Verdict::Nothing;
        };
        self.pointers.remove(index);
        if let Some(&(next, at)) = self.pointers.last() {
            if self.active == Some(input.pointer) {
                // Another finger takes over from where it is.
                self.active = Some(next);
                self.last = at;
            }
            return Verdict::Nothing;
        }
        match self.state {
            Phase::Possible => Verdict::GiveUp,
            Phase::Started => {
                self.state = Phase::Done;
                out.push((
                    GestureState::End,
                    drag_payload(self.last, Offset::ZERO, self.axis.fling(estimate)),
                ));
                Verdict::Finish
            }
            Phase::Ready | Phase::Done => Verdict::Nothing,
        }
    }
}

/// tap (`tap.dart`): one finger, within the slop; it fires when it wins,
/// which may be after the up (a double-tap holding the arena).
#[derive(Clone, Debug, Default)]
pub(crate) struct Tap {
    state: Phase,
    pointer: PointerId,
    down: Point,
    up: Option<Point>,
    won: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) enum DoubleTapState {
    #[default]
    Ready,
    First {
        pointer: PointerId,
        down: Point,
    },
    /// First tap done; holding its arena until the second down or the
    /// timeout.
    Waiting {
        first_down: Point,
        up_at: Duration,
        deadline: Duration,
    },
    Second {
        pointer: PointerId,
        down: Point,
    },
    SecondUp {
        at: Point,
    },
    Done,
}

/// double-tap (`multitap.dart` `DoubleTapGestureRecognizer`).
#[derive(Clone, Debug, Default)]
pub(crate) struct DoubleTap {
    state: DoubleTapState,
    last: Point,
}

impl DoubleTap {
    fn allows(&self, down: &PointerInput) -> bool {
        match self.state {
            DoubleTapState::Ready => true,
            // A second tap far from the first, or too soon after it (a
            // bouncing touch screen), is not taken.
            DoubleTapState::Waiting {
                first_down, up_at, ..
            } => {
                down.position.minus(first_down).length() <= DOUBLE_TAP_SLOP
                    && down.time.saturating_sub(up_at) >= DOUBLE_TAP_MIN_TIME
            }
            _ => false,
        }
    }

    fn add_pointer(&mut self, down: &PointerInput, out: &mut Emitted) {
        self.last = down.position;
        match self.state {
            DoubleTapState::Ready => {
                self.state = DoubleTapState::First {
                    pointer: down.pointer,
                    down: down.position,
                };
                out.push((GestureState::Possible, tap_payload(down.position)));
            }
            DoubleTapState::Waiting { .. } => {
                // The timer stops at the second down (`_trackTap`).
                self.state = DoubleTapState::Second {
                    pointer: down.pointer,
                    down: down.position,
                };
            }
            _ => {}
        }
    }

    fn moved(&mut self, input: &PointerInput) -> Verdict {
        match self.state {
            DoubleTapState::First { pointer, down } | DoubleTapState::Second { pointer, down }
                if pointer == input.pointer =>
            {
                self.last = input.position;
                if input.position.minus(down).length() > DOUBLE_TAP_TOUCH_SLOP {
                    return Verdict::GiveUp;
                }
                Verdict::Nothing
            }
            _ => Verdict::Nothing,
        }
    }

    fn lifted(&mut self, input: &PointerInput) -> Verdict {
        match self.state {
            DoubleTapState::First { pointer, down } if pointer == input.pointer => {
                self.last = input.position;
                self.state = DoubleTapState::Waiting {
                    first_down: down,
                    up_at: input.time,
                    deadline: input.time + DOUBLE_TAP_TIMEOUT,
                };
                Verdict::Hold
            }
            DoubleTapState::Second { pointer, .. } if pointer == input.pointer => {
                self.last = input.position;
                self.state = DoubleTapState::SecondUp { at: input.position };
                Verdict::Claim
            }
            _ => Verdict::Nothing,
        }
    }
}

/// long-press (`long_press.dart`): a finger held within the slop for
/// [`LONG_PRESS_TIMEOUT`]; after that it may move anywhere.
#[derive(Clone, Debug, Default)]
pub(crate) struct LongPress {
    state: Phase,
    pointer: PointerId,
    down: Point,
    last: Point,
    deadline: Duration,
}

impl LongPress {
    fn payload(&self) -> GesturePayload {
        GesturePayload::LongPress {
            absolute: self.last,
            relative: self.last,
            translation: self.last.minus(self.down),
        }
    }

    fn moved(&mut self, input: &PointerInput, ask: &mut Ask<'_>, out: &mut Emitted) -> Verdict {
        if input.pointer != self.pointer {
            return Verdict::Nothing;
        }
        self.last = input.position;
        match self.state {
            Phase::Possible if input.position.minus(self.down).length() > TOUCH_SLOP => {
                Verdict::GiveUp
            }
            Phase::Started => {
                let payload = self.payload();
                if ask(GestureState::Active, &payload) {
                    out.push((GestureState::Active, payload));
                }
                Verdict::Nothing
            }
            _ => Verdict::Nothing,
        }
    }
}

/// scale (`scale.dart`), with two fingers or more: it claims when their
/// spread changes by [`SCALE_SLOP`] or their centre moves [`PAN_SLOP`],
/// and ends when fewer than two remain.
#[derive(Clone, Debug)]
pub(crate) struct Scale {
    state: Phase,
    /// In the order they went down.
    pointers: Vec<(PointerId, Point)>,
    initial_focal: Point,
    initial_span: f32,
    /// The line through the first two pointers when the set last changed.
    initial_angle: Option<f32>,
    /// Scale and rotation when the set last changed (so both stay
    /// continuous when a finger joins or leaves).
    base_scale: f32,
    base_rotation: f32,
    last_focal: Point,
}

impl Default for Scale {
    fn default() -> Scale {
        Scale {
            state: Phase::Ready,
            pointers: Vec::new(),
            initial_focal: Point::default(),
            initial_span: 0.0,
            initial_angle: None,
            base_scale: 1.0,
            base_rotation: 0.0,
            last_focal: Point::default(),
        }
    }
}

impl Scale {
    fn focal(&self) -> Point {
        let n = self.pointers.len().max(1) as f32;
        let (x, y) = self
            .pointers
            .iter()
            .fold((0.0, 0.0), |(x, y), (_, p)| (x + p.x, y + p.y));
        Point::new(x / n, y / n)
    }

    /// `_currentSpan`: the mean distance of the pointers from the focal
    /// point.
    fn span(&self) -> f32 {
        let focal = self.focal();
        let n = self.pointers.len().max(1) as f32;
        self.pointers
            .iter()
            .map(|(_, p)| p.minus(focal).length())
            .sum::<f32>()
            / n
    }

    fn angle(&self) -> Option<f32> {
        match self.pointers.as_slice() {
            [(_, a), (_, b), ..] => Some((b.y - a.y).atan2(b.x - a.x)),
            _ => None,
        }
    }

    fn scale(&self) -> f32 {
        if self.initial_span > 0.0 {
            self.base_scale * self.span() / self.initial_span
        } else {
            self.base_scale
        }
    }

    fn rotation(&self) -> f32 {
        let turn = match (self.initial_angle, self.angle()) {
            (Some(from), Some(to)) => wrap_angle(to - from),
            _ => 0.0,
        };
        wrap_angle(self.base_rotation + turn)
    }

    fn payload(&self, focal_delta: Offset) -> GesturePayload {
        GesturePayload::Scale {
            focal: self.focal(),
            focal_delta,
            scale: self.scale(),
            rotation: self.rotation(),
            pointer_count: self.pointers.len() as u32,
        }
    }

    /// The pointer set is about to change (`_reconfigure`): keep the
    /// current scale and rotation as the new bases.
    fn rebase_before(&mut self) {
        if self.state == Phase::Started {
            self.base_scale = self.scale();
            self.base_rotation = self.rotation();
        }
    }

    /// The pointer set changed: measure from here.
    fn rebase_after(&mut self) {
        self.initial_focal = self.focal();
        self.initial_span = self.span();
        self.initial_angle = self.angle();
        self.last_focal = self.initial_focal;
    }

    fn add_pointer(&mut self, down: &PointerInput, out: &mut Emitted) {
        self.rebase_before();
        self.pointers.push((down.pointer, down.position));
        self.rebase_after();
        if self.state == Phase::Ready {
            self.state = Phase::Possible;
            out.push((GestureState::Possible, self.payload(Offset::ZERO)));
        }
    }

    fn moved(&mut self, input: &PointerInput, ask: &mut Ask<'_>, out: &mut Emitted) -> Verdict {
        let Some(entry) = self.pointers.iter_mut().find(|(p, _)| *p == input.pointer) else {
            return Verdict::Nothing;
        };
        entry.1 = input.position;
        let focal = self.focal();
        let focal_delta = focal.minus(self.last_focal);
        self.last_focal = focal;
        match self.state {
            Phase::Possible => {
                let enough = self.pointers.len() >= 2
                    && ((self.span() - self.initial_span).abs() > SCALE_SLOP
                        || focal.minus(self.initial_focal).length() > PAN_SLOP);
                if enough && ask(GestureState::Possible, &self.payload(focal_delta)) {
                    self.state = Phase::Started;
                    out.push((GestureState::Begin, self.payload(Offset::ZERO)));
                    return Verdict::Claim;
                }
                Verdict::Nothing
            }
            Phase::Started => {
                let payload = self.payload(focal_delta);
                if ask(GestureState::Active, &payload) {
                    out.push((GestureState::Active, payload));
                }
                Verdict::Nothing
            }
            Phase::Ready | Phase::Done => Verdict::Nothing,
        }
    }

    fn lifted(&mut self, input: &PointerInput, out: &mut Emitted) -> Verdict {
        let Some(index) = self.pointers.iter().position(|(p, _)| *p == input.pointer) else {
            return Verdict::Nothing;
        };
        if self.state == Phase::Started && self.pointers.len() <= 2 {
            let mut payload = self.payload(Offset::ZERO);
            if let GesturePayload::Scale { pointer_count, .. } = &mut payload {
                *pointer_count = (self.pointers.len() - 1) as u32;
            }
            self.pointers.remove(index);
            self.state = Phase::Done;
            out.push((GestureState::End, payload));
            return Verdict::Finish;
        }
        self.rebase_before();
        self.pointers.remove(index);
        self.rebase_after();
        if self.pointers.is_empty() {
            return Verdict::GiveUp;
        }
        Verdict::Nothing
    }
}

/// An angle in (-π, π].
fn wrap_angle(mut angle: f32) -> f32 {
    while angle > PI {
        angle -= 2.0 * PI;
    }
    while angle <= -PI {
        angle += 2.0 * PI;
    }
    angle
}

/// force-press (`force_press.dart`): a pointer with pressure that goes past
/// [`FORCE_PRESS_START`] within the slop. Hosts without pressure never
/// start one (the pointer is not taken at all).
#[derive(Clone, Debug, Default)]
pub(crate) struct ForcePress {
    state: Phase,
    pointer: PointerId,
    down: Point,
    last: Point,
    pressure: f32,
}

impl ForcePress {
    fn payload(&self) -> GesturePayload {
        GesturePayload::ForcePress {
            absolute: self.last,
            relative: self.last,
            pressure: self.pressure,
        }
    }

    fn moved(&mut self, input: &PointerInput, ask: &mut Ask<'_>, out: &mut Emitted) -> Verdict {
        if input.pointer != self.pointer {
            return Verdict::Nothing;
        }
        self.last = input.position;
        if let Some(pressure) = input.pressure {
            self.pressure = pressure.clamp(0.0, 1.0);
        }
        match self.state {
            Phase::Possible => {
                if self.pressure > FORCE_PRESS_START {
                    self.state = Phase::Started;
                    out.push((GestureState::Begin, self.payload()));
                    return Verdict::Claim;
                }
                if input.position.minus(self.down).length() > TOUCH_SLOP {
                    return Verdict::GiveUp;
                }
                Verdict::Nothing
            }
            Phase::Started => {
                let payload = self.payload();
                if ask(GestureState::Active, &payload) {
                    out.push((GestureState::Active, payload));
                }
                Verdict::Nothing
            }
            Phase::Ready | Phase::Done => Verdict::Nothing,
        }
    }
}
