//! Skyline's gesture handlers (`engine::input::gestures`): each kind's
//! states and payloads under a controlled clock, and the arena's rules
//! (innermost wins, simultaneous handlers, the worklet callbacks, scroll
//! proxies), driven by touch sequences.

use cirrus_engine::input::gestures::kinds::consts::{
    DOUBLE_TAP_TIMEOUT, LONG_PRESS_TIMEOUT, MAX_FLING_VELOCITY,
};
use cirrus_engine::input::gestures::{
    AcceptAll, FnCallbacks, GestureArena, GestureCallbacks, GestureEvent, GestureHandler,
    GestureKind, GestureOutput, GesturePayload, GestureState, HandlerId, NativeView, NodeBox,
    Offset, Point, PointerInput, ScrollProxy, ScrollProxyAction, Velocity,
};
use std::time::Duration;
use GestureKind::*;
use GestureState::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.01
}

/// An arena with everything it said, in order.
#[derive(Default)]
struct Touches {
    arena: GestureArena,
    events: Vec<GestureEvent>,
    scrolls: Vec<ScrollProxy>,
}

impl Touches {
    fn record(&mut self, out: GestureOutput) -> GestureOutput {
        self.events.extend(out.events.iter().cloned());
        self.scrolls.extend(out.scrolls.iter().copied());
        out
    }

    fn send(
        &mut self,
        input: PointerInput,
        chain: &[GestureHandler],
        callbacks: &mut dyn GestureCallbacks,
    ) -> GestureOutput {
        let out = self.arena.handle(&input, chain, callbacks);
        self.record(out)
    }

    fn down(&mut self, id: u32, x: f32, y: f32, t: u64, chain: &[GestureHandler]) -> GestureOutput {
        self.send(PointerInput::down(id, x, y, ms(t)), chain, &mut AcceptAll)
    }

    fn mv(&mut self, id: u32, x: f32, y: f32, t: u64) -> GestureOutput {
        self.send(PointerInput::moved(id, x, y, ms(t)), &[], &mut AcceptAll)
    }

    fn up(&mut self, id: u32, x: f32, y: f32, t: u64) -> GestureOutput {
        self.send(PointerInput::up(id, x, y, ms(t)), &[], &mut AcceptAll)
    }

    fn advance(&mut self, t: u64) -> GestureOutput {
        let out = self.arena.advance(ms(t));
        self.record(out)
    }

    fn states(&self, id: u32) -> Vec<GestureState> {
        states(&self.events, id)
    }

    fn of(&self, id: u32) -> Vec<&GestureEvent> {
        self.events
            .iter()
            .filter(|e| e.handler == HandlerId(id))
            .collect()
    }

    /// Each of a handler's stories (one per touch it took part in) starts
    /// with POSSIBLE and ends once, with END or CANCELLED; nothing is left
    /// behind.
    fn assert_complete(&self) {
        assert!(self.arena.is_idle(), "arena not idle");
        let mut ids: Vec<HandlerId> = self.events.iter().map(|e| e.handler).collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            let states = self.states(id.0);
            let mut open = false;
            for state in &states {
                match state {
                    Possible => {
                        assert!(!open, "{id:?}: {states:?}");
                        open = true;
                    }
                    End | Cancelled => {
                        assert!(open, "{id:?}: {states:?}");
                        open = false;
                    }
                    Begin | Active => assert!(open, "{id:?}: {states:?}"),
                }
            }
            assert!(!open, "{id:?} never ended: {states:?}");
        }
    }
}

fn states(events: &[GestureEvent], id: u32) -> Vec<GestureState> {
    events
        .iter()
        .filter(|e| e.handler == HandlerId(id))
        .map(|e| e.state)
        .collect()
}

fn drag(event: &GestureEvent) -> (Point, Point, Offset, Velocity) {
    match event.payload {
        GesturePayload::Drag {
            absolute,
            relative,
            delta,
            velocity,
        } => (absolute, relative, delta, velocity),
        ref other => panic!("not a drag payload: {other:?}"),
    }
}

fn handler(id: u32, kind: GestureKind) -> GestureHandler {
    GestureHandler::new(id, kind)
}

// ---------------------------------------------------------------- kinds

#[test]
fn lone_pan_starts_at_down_and_reports_deltas_velocity_and_relative_position() {
    let mut t = Touches::default();
    let pan = handler(1, Pan).node_box(NodeBox::new(50.0, 100.0, 200.0, 200.0));
    // Alone in its arena it wins when the arena closes (`arena.dart`).
    let out = t.down(0, 100.0, 150.0, 0, &[pan]);
    assert_eq!(states(&out.events, 1), vec![Possible, Begin]);
    let (absolute, relative, delta, _) = drag(&out.events[1]);
    assert_eq!(absolute, Point::new(100.0, 150.0));
    assert_eq!(relative, Point::new(50.0, 50.0));
    assert_eq!(delta, Offset::ZERO);
    for i in 1..=5u64 {
        let out = t.mv(0, 100.0 + 10.0 * i as f32, 150.0 - 5.0 * i as f32, 10 * i);
        assert_eq!(states(&out.events, 1), vec![Active]);
        let (absolute, relative, delta, velocity) = drag(&out.events[0]);
        assert_eq!(
            absolute,
            Point::new(100.0 + 10.0 * i as f32, 150.0 - 5.0 * i as f32)
        );
        assert_eq!(relative, Point::new(absolute.x - 50.0, absolute.y - 100.0));
        assert_eq!(delta, Offset::new(10.0, -5.0));
        if i >= 2 {
            // Least squares over three samples (the down's too) or more:
            // exact here.
            assert!(
                close(velocity.x, 1000.0) && close(velocity.y, -500.0),
                "{velocity:?}"
            );
        } else {
            assert_eq!(velocity, Velocity::ZERO, "fewer than 3 samples");
        }
    }
    let out = t.up(0, 150.0, 125.0, 50);
    assert_eq!(states(&out.events, 1), vec![End]);
    let (absolute, _, delta, velocity) = drag(&out.events[0]);
    assert_eq!(absolute, Point::new(150.0, 125.0));
    assert_eq!(delta, Offset::ZERO);
    assert!(
        close(velocity.x, 1000.0) && close(velocity.y, -500.0),
        "{velocity:?}"
    );
    t.assert_complete();
}

#[test]
fn fling_velocity_is_clamped_and_slow_releases_have_none() {
    // Fast: 100 px per 10 ms = 10000 px/s, clamped to 8000.
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[handler(1, Pan)]);
    for i in 1..=4u64 {
        t.mv(0, 100.0 * i as f32, 0.0, 10 * i);
    }
    let out = t.up(0, 400.0, 0.0, 40);
    let (_, _, _, velocity) = drag(&out.events[0]);
    assert!(close(velocity.x, MAX_FLING_VELOCITY), "{velocity:?}");

    // Slow: 30 px/s is under kMinFlingVelocity (50).
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[handler(1, HorizontalDrag)]);
    for i in 1..=4u64 {
        t.mv(0, 0.3 * i as f32, 0.0, 10 * i);
    }
    let out = t.up(0, 1.2, 0.0, 40);
    assert_eq!(drag(&out.events[0]).3, Velocity::ZERO);

    // A finger resting 40 ms before lifting has stopped.
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[handler(1, Pan)]);
    for i in 1..=4u64 {
        t.mv(0, 0.0, 30.0 * i as f32, 10 * i);
    }
    let out = t.up(0, 0.0, 120.0, 100);
    assert_eq!(drag(&out.events[0]).3, Velocity::ZERO);
}

#[test]
fn one_axis_drags_report_their_axis_only() {
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[handler(1, VerticalDrag)]);
    t.mv(0, 10.0, 20.0, 10);
    t.mv(0, 20.0, 40.0, 20);
    t.mv(0, 30.0, 60.0, 30);
    let out = t.up(0, 30.0, 60.0, 30);
    let active: Vec<Offset> = t
        .of(1)
        .iter()
        .filter(|e| e.state == Active)
        .map(|e| drag(e).2)
        .collect();
    assert_eq!(active, vec![Offset::new(0.0, 20.0); 3]);
    let (absolute, _, _, velocity) = drag(&out.events[0]);
    // The position is the finger's; the velocity is on the axis.
    assert_eq!(absolute, Point::new(30.0, 60.0));
    assert!(
        velocity.x == 0.0 && close(velocity.y, 2000.0),
        "{velocity:?}"
    );
    t.assert_complete();
}

#[test]
fn tap_ends_at_up_within_the_slop_and_cancels_beyond_it() {
    let mut t = Touches::default();
    let tap = handler(1, Tap).node_box(NodeBox::new(10.0, 20.0, 100.0, 100.0));
    let out = t.down(0, 50.0, 60.0, 0, std::slice::from_ref(&tap));
    assert_eq!(states(&out.events, 1), vec![Possible]);
    t.mv(0, 60.0, 70.0, 30); // 14 px: within kTouchSlop (18)
    let out = t.up(0, 60.0, 70.0, 60);
    assert_eq!(states(&out.events, 1), vec![End]);
    assert_eq!(
        out.events[0].payload,
        GesturePayload::Tap {
            absolute: Point::new(60.0, 70.0),
            relative: Point::new(50.0, 50.0),
        }
    );
    assert_eq!(
        out.events[0].fields(),
        vec![
            ("state", 3.0),
            ("absoluteX", 60.0),
            ("absoluteY", 70.0),
            ("relativeX", 50.0),
            ("relativeY", 50.0),
        ]
    );
    t.assert_complete();

    let mut t = Touches::default();
    t.down(0, 50.0, 60.0, 0, &[tap]);
    let out = t.mv(0, 50.0, 79.0, 30); // 19 px
    assert_eq!(states(&out.events, 1), vec![Cancelled]);
    let out = t.up(0, 50.0, 79.0, 60);
    assert!(out.events.is_empty());
    t.assert_complete();
}

#[test]
fn double_tap_needs_a_second_tap_within_300ms_and_100px() {
    let mut t = Touches::default();
    let dt = handler(1, DoubleTap);
    t.down(0, 100.0, 100.0, 0, std::slice::from_ref(&dt));
    assert!(t.up(0, 100.0, 100.0, 50).events.is_empty());
    assert_eq!(t.arena.next_deadline(), Some(ms(50) + DOUBLE_TAP_TIMEOUT));
    assert!(t
        .down(0, 130.0, 90.0, 200, std::slice::from_ref(&dt))
        .events
        .is_empty());
    let out = t.up(0, 130.0, 90.0, 260);
    assert_eq!(states(&out.events, 1), vec![End]);
    assert_eq!(
        out.events[0].payload,
        GesturePayload::Tap {
            absolute: Point::new(130.0, 90.0),
            relative: Point::new(130.0, 90.0),
        }
    );
    assert_eq!(t.states(1), vec![Possible, End]);
    t.assert_complete();

    // Too late: cancelled when the 300 ms run out.
    let mut t = Touches::default();
    t.down(0, 100.0, 100.0, 0, std::slice::from_ref(&dt));
    t.up(0, 100.0, 100.0, 50);
    assert!(t.advance(349).events.is_empty());
    assert_eq!(states(&t.advance(350).events, 1), vec![Cancelled]);
    t.assert_complete();

    // Too far (over kDoubleTapSlop): the second down is not taken; the
    // first tap still times out.
    let mut t = Touches::default();
    t.down(0, 100.0, 100.0, 0, std::slice::from_ref(&dt));
    t.up(0, 100.0, 100.0, 50);
    let out = t.down(0, 100.0, 250.0, 150, &[dt]);
    assert!(out.events.is_empty());
    t.up(0, 100.0, 250.0, 200);
    assert_eq!(states(&t.advance(350).events, 1), vec![Cancelled]);
    t.assert_complete();
}

#[test]
fn long_press_begins_at_500ms_then_reports_translation() {
    let mut t = Touches::default();
    let lp = handler(1, LongPress).node_box(NodeBox::new(0.0, 100.0, 50.0, 50.0));
    t.down(0, 20.0, 120.0, 0, std::slice::from_ref(&lp));
    assert_eq!(t.arena.next_deadline(), Some(LONG_PRESS_TIMEOUT));
    t.mv(0, 25.0, 125.0, 100); // within the slop
    assert!(t.advance(499).events.is_empty());
    let out = t.advance(500);
    assert_eq!(states(&out.events, 1), vec![Begin]);
    assert_eq!(
        out.events[0].payload,
        GesturePayload::LongPress {
            absolute: Point::new(25.0, 125.0),
            relative: Point::new(25.0, 25.0),
            translation: Offset::new(5.0, 5.0),
        }
    );
    // After the start it may go anywhere (no post-accept slop).
    let out = t.mv(0, 125.0, 125.0, 600);
    assert_eq!(states(&out.events, 1), vec![Active]);
    assert_eq!(
        out.events[0].fields()[5..],
        [("translationX", 105.0), ("translationY", 5.0)]
    );
    let out = t.up(0, 125.0, 125.0, 700);
    assert_eq!(states(&out.events, 1), vec![End]);
    t.assert_complete();

    // Lifted early, or moved beyond the slop first: cancelled.
    let mut t = Touches::default();
    t.down(0, 20.0, 120.0, 0, std::slice::from_ref(&lp));
    assert_eq!(
        states(&t.up(0, 20.0, 120.0, 499).events, 1),
        vec![Cancelled]
    );
    t.assert_complete();
    let mut t = Touches::default();
    t.down(0, 20.0, 120.0, 0, &[lp]);
    assert_eq!(
        states(&t.mv(0, 40.0, 120.0, 100).events, 1),
        vec![Cancelled]
    );
    assert!(t.advance(600).events.is_empty());
    t.up(0, 40.0, 120.0, 700);
    t.assert_complete();
}

#[test]
fn an_input_after_the_long_press_deadline_fires_it_first() {
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[handler(1, LongPress)]);
    // No advance() in between: the up at 800 ms finds the press due.
    let out = t.up(0, 0.0, 0.0, 800);
    assert_eq!(states(&out.events, 1), vec![Begin, End]);
}

fn scale(event: &GestureEvent) -> (Point, Offset, f32, f32, u32) {
    match event.payload {
        GesturePayload::Scale {
            focal,
            focal_delta,
            scale,
            rotation,
            pointer_count,
        } => (focal, focal_delta, scale, rotation, pointer_count),
        ref other => panic!("not a scale payload: {other:?}"),
    }
}

#[test]
fn scale_needs_two_fingers_and_reports_focal_point_scale_and_rotation() {
    let mut t = Touches::default();
    let sc = handler(1, Scale);
    let out = t.down(0, 100.0, 100.0, 0, std::slice::from_ref(&sc));
    assert_eq!(states(&out.events, 1), vec![Possible]);
    // One finger moving is not a scale.
    t.mv(0, 100.0, 160.0, 10);
    t.mv(0, 100.0, 100.0, 20);
    assert_eq!(t.states(1), vec![Possible]);
    assert!(t.down(1, 200.0, 100.0, 30, &[sc]).events.is_empty());
    // Span 50 -> 58: under kScaleSlop (18).
    assert!(t.mv(1, 216.0, 100.0, 40).events.is_empty());
    // Span 70 (+20): begins, with the scale so far.
    let out = t.mv(1, 240.0, 100.0, 50);
    assert_eq!(states(&out.events, 1), vec![Begin]);
    let (focal, focal_delta, s, rotation, count) = scale(&out.events[0]);
    assert_eq!(focal, Point::new(170.0, 100.0));
    assert_eq!(focal_delta, Offset::ZERO);
    assert!(
        close(s, 1.4) && close(rotation, 0.0) && count == 2,
        "{s} {rotation}"
    );
    let out = t.mv(0, 80.0, 100.0, 60);
    let (focal, focal_delta, s, _, _) = scale(&out.events[0]);
    assert_eq!(out.events[0].state, Active);
    assert_eq!(focal, Point::new(160.0, 100.0));
    assert_eq!(focal_delta, Offset::new(-10.0, 0.0));
    assert!(close(s, 1.6), "{s}");
    // Turn the pair a quarter turn (clockwise on screen), same spread.
    let out = t.mv(1, 80.0, 260.0, 70);
    let (focal, focal_delta, s, rotation, _) = scale(&out.events[0]);
    assert_eq!(focal, Point::new(80.0, 180.0));
    assert_eq!(focal_delta, Offset::new(-80.0, 80.0));
    assert!(close(s, 1.6), "{s}");
    assert!(close(rotation, std::f32::consts::FRAC_PI_2), "{rotation}");
    assert_eq!(
        out.events[0]
            .fields()
            .iter()
            .map(|(name, _)| *name)
            .collect::<Vec<_>>(),
        vec![
            "state",
            "focalX",
            "focalY",
            "focalDeltaX",
            "focalDeltaY",
            "scale",
            "rotation",
            "pointerCount"
        ]
    );
    let out = t.up(1, 80.0, 260.0, 80);
    assert_eq!(states(&out.events, 1), vec![End]);
    assert_eq!(scale(&out.events[0]).4, 1);
    assert!(t.up(0, 80.0, 100.0, 90).events.is_empty());
    t.assert_complete();
}

#[test]
fn a_third_finger_keeps_scale_continuous() {
    let mut t = Touches::default();
    let sc = handler(1, Scale);
    t.down(0, 0.0, 0.0, 0, std::slice::from_ref(&sc));
    t.down(1, 100.0, 0.0, 0, std::slice::from_ref(&sc));
    t.mv(1, 200.0, 0.0, 10); // span 50 -> 100: scale 2
    t.down(2, 100.0, 100.0, 20, &[sc]);
    let out = t.mv(2, 100.0, 101.0, 30);
    let (_, _, s, _, count) = scale(&out.events[0]);
    assert_eq!(count, 3);
    assert!((s - 2.0).abs() < 0.02, "{s}");
}

#[test]
fn force_press_needs_pressure() {
    let fp = handler(1, ForcePress);
    let mut t = Touches::default();
    let pressed = |p: PointerInput, pressure: f32| p.with_pressure(pressure);
    let out = t.send(
        pressed(PointerInput::down(0, 10.0, 10.0, ms(0)), 0.1),
        std::slice::from_ref(&fp),
        &mut AcceptAll,
    );
    assert_eq!(states(&out.events, 1), vec![Possible]);
    let out = t.send(
        pressed(PointerInput::moved(0, 10.0, 10.0, ms(10)), 0.3),
        &[],
        &mut AcceptAll,
    );
    assert!(out.events.is_empty());
    let out = t.send(
        pressed(PointerInput::moved(0, 10.0, 10.0, ms(20)), 0.5),
        &[],
        &mut AcceptAll,
    );
    assert_eq!(states(&out.events, 1), vec![Begin]);
    let out = t.send(
        pressed(PointerInput::moved(0, 12.0, 10.0, ms(30)), 0.9),
        &[],
        &mut AcceptAll,
    );
    assert_eq!(
        out.events[0].payload,
        GesturePayload::ForcePress {
            absolute: Point::new(12.0, 10.0),
            relative: Point::new(12.0, 10.0),
            pressure: 0.9,
        }
    );
    let out = t.up(0, 12.0, 10.0, 40);
    assert_eq!(states(&out.events, 1), vec![End]);
    t.assert_complete();

    // A host without pressure: the handler never takes part.
    let mut t = Touches::default();
    assert!(t.down(0, 10.0, 10.0, 0, &[fp]).events.is_empty());
    t.mv(0, 10.0, 12.0, 10);
    assert!(t.up(0, 10.0, 12.0, 600).events.is_empty());
    assert!(t.events.is_empty());
    assert!(t.arena.is_idle());
}

// ---------------------------------------------------------- arbitration

#[test]
fn pan_claims_past_36px_and_a_drag_past_18px_on_its_axis() {
    // An outer vertical drag never claims a horizontal move, so the inner
    // pan wins exactly past kPanSlop.
    let mut t = Touches::default();
    let chain = [handler(1, Pan), handler(2, VerticalDrag)];
    t.down(0, 0.0, 0.0, 0, &chain);
    assert!(t.mv(0, 36.0, 0.0, 10).events.is_empty());
    let out = t.mv(0, 37.0, 0.0, 20);
    // As `arena.dart` resolves: the losers are rejected, then the winner
    // accepted.
    assert_eq!(
        out.events
            .iter()
            .map(|e| (e.handler.0, e.state))
            .collect::<Vec<_>>(),
        vec![(2, Cancelled), (1, Begin)]
    );
    // DragStartBehavior.start: the movement before the start is not reported.
    assert_eq!(drag(&out.events[1]).0, Point::new(37.0, 0.0));
    assert_eq!(
        drag(&t.mv(0, 40.0, 0.0, 30).events[0]).2,
        Offset::new(3.0, 0.0)
    );
    t.up(0, 40.0, 0.0, 40);
    t.assert_complete();

    // Skyline's guide: vertical-drag outside a pan wins a vertical swipe,
    // its slop (18) being half the pan's.
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &chain);
    assert!(t.mv(0, 0.0, 18.0, 10).events.is_empty());
    let out = t.mv(0, 0.0, 19.0, 20);
    assert_eq!(states(&out.events, 2), vec![Begin]);
    assert_eq!(states(&out.events, 1), vec![Cancelled]);
    t.up(0, 0.0, 19.0, 30);
    assert_eq!(t.states(2), vec![Possible, Begin, End]);
    t.assert_complete();
}

#[test]
fn horizontal_and_vertical_drags_split_by_direction() {
    let chain = [handler(1, VerticalDrag), handler(2, HorizontalDrag)];
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &chain);
    t.mv(0, 10.0, 2.0, 10);
    let out = t.mv(0, 20.0, 4.0, 20);
    assert_eq!(states(&out.events, 2), vec![Begin]);
    assert_eq!(states(&out.events, 1), vec![Cancelled]);
    t.up(0, 20.0, 4.0, 30);
    t.assert_complete();

    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &chain);
    let out = t.mv(0, 4.0, 20.0, 10);
    assert_eq!(states(&out.events, 1), vec![Begin]);
    assert_eq!(states(&out.events, 2), vec![Cancelled]);
    t.up(0, 4.0, 20.0, 30);
    t.assert_complete();
}

#[test]
fn innermost_wins_a_tie_and_outer_handlers_are_cancelled() {
    let chain = [handler(1, Pan), handler(2, Pan), handler(3, LongPress)];
    let mut t = Touches::default();
    let out = t.down(0, 0.0, 0.0, 0, &chain);
    assert_eq!(states(&out.events, 1), vec![Possible]);
    assert_eq!(states(&out.events, 2), vec![Possible]);
    // One move past both slops: the inner one sees it first and wins.
    let out = t.mv(0, 40.0, 0.0, 10);
    assert_eq!(
        out.events
            .iter()
            .map(|e| (e.handler.0, e.state))
            .collect::<Vec<_>>(),
        vec![(2, Cancelled), (3, Cancelled), (1, Begin)],
        "the inner pan claimed first: the others lose, then it starts"
    );
    // From then on only the winner hears the finger.
    let out = t.mv(0, 50.0, 0.0, 20);
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].handler, HandlerId(1));
    assert_eq!(t.arena.active_handlers(), vec![HandlerId(1)]);
    t.up(0, 50.0, 0.0, 30);
    t.assert_complete();
}

#[test]
fn an_outer_handler_fails_once_the_inner_one_is_active() {
    // The outer pan would claim later (36 px); the inner horizontal drag
    // claims at 19 px and the outer one is cancelled, for good.
    let chain = [handler(1, HorizontalDrag), handler(2, Pan)];
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &chain);
    let out = t.mv(0, 19.0, 0.0, 10);
    assert_eq!(states(&out.events, 1), vec![Begin]);
    assert_eq!(states(&out.events, 2), vec![Cancelled]);
    for i in 1..5u64 {
        t.mv(0, 19.0 + 20.0 * i as f32, 30.0 * i as f32, 10 + 10 * i);
    }
    t.up(0, 99.0, 120.0, 60);
    assert_eq!(t.states(2), vec![Possible, Cancelled]);
    assert_eq!(
        t.states(1),
        vec![Possible, Begin, Active, Active, Active, Active, End]
    );
    t.assert_complete();
}

#[test]
fn simultaneous_handlers_must_be_declared_on_both_sides() {
    let inner = handler(1, Pan).tag("inner").simultaneous_with(&["outer"]);
    let both = [
        inner.clone(),
        handler(2, Pan).tag("outer").simultaneous_with(&["inner"]),
    ];
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &both);
    let out = t.mv(0, 40.0, 0.0, 10);
    assert_eq!(states(&out.events, 1), vec![Begin]);
    assert_eq!(states(&out.events, 2), vec![Begin]);
    let out = t.mv(0, 50.0, 0.0, 20);
    assert_eq!(states(&out.events, 1), vec![Active]);
    assert_eq!(states(&out.events, 2), vec![Active]);
    let out = t.up(0, 50.0, 0.0, 30);
    assert_eq!(states(&out.events, 1), vec![End]);
    assert_eq!(states(&out.events, 2), vec![End]);
    t.assert_complete();

    // Declared by the inner one only (or by tags that do not match): no.
    for outer in [
        handler(2, Pan).tag("outer"),
        handler(2, Pan)
            .tag("outer")
            .simultaneous_with(&["someone-else"]),
        handler(2, Pan).simultaneous_with(&["inner"]),
    ] {
        let mut t = Touches::default();
        t.down(0, 0.0, 0.0, 0, &[inner.clone(), outer]);
        let out = t.mv(0, 40.0, 0.0, 10);
        assert_eq!(states(&out.events, 1), vec![Begin]);
        assert_eq!(states(&out.events, 2), vec![Cancelled]);
        t.up(0, 40.0, 0.0, 20);
        t.assert_complete();
    }
}

#[test]
fn should_accept_is_asked_once_and_a_refusal_keeps_the_handler_out() {
    let chain = [
        handler(1, Pan).with_should_accept(),
        handler(2, Pan).with_should_accept(),
    ];
    let mut asked = Vec::new();
    let mut callbacks = FnCallbacks {
        accept: |id: HandlerId| {
            asked.push(id);
            id != HandlerId(1)
        },
        respond: |_: &GestureEvent| true,
    };
    let mut t = Touches::default();
    let out = t.send(
        PointerInput::down(0, 0.0, 0.0, ms(0)),
        &chain,
        &mut callbacks,
    );
    // Handler 1 refused: handler 2 is alone and wins at once.
    assert_eq!(states(&out.events, 2), vec![Possible, Begin]);
    for i in 1..4u64 {
        t.send(
            PointerInput::moved(0, 10.0 * i as f32, 0.0, ms(10 * i)),
            &[],
            &mut callbacks,
        );
    }
    t.send(PointerInput::up(0, 30.0, 0.0, ms(40)), &[], &mut callbacks);
    assert_eq!(asked, vec![HandlerId(1), HandlerId(2)]);
    assert!(t.states(1).is_empty());
    t.assert_complete();
}

#[test]
fn should_respond_on_move_gates_reports_and_claims() {
    let chain = [
        handler(1, Pan).with_should_respond_on_move(),
        handler(2, Tap),
    ];
    // The handler refuses moves while the finger is left of x = 50.
    let mut seen = Vec::new();
    let mut callbacks = FnCallbacks {
        accept: |_: HandlerId| true,
        respond: |event: &GestureEvent| {
            seen.push((event.state, drag(event).2));
            drag(event).0.x >= 50.0
        },
    };
    let mut t = Touches::default();
    let mut send = |t: &mut Touches, input: PointerInput| t.send(input, &chain, &mut callbacks);
    send(&mut t, PointerInput::down(0, 0.0, 0.0, ms(0)));
    // 40 px: past the pan's slop, but refused: no claim (the tap gave up
    // past its own slop, which leaves the pan alone: it wins by default).
    let out = send(&mut t, PointerInput::moved(0, 40.0, 0.0, ms(10)));
    assert_eq!(states(&out.events, 2), vec![Cancelled]);
    assert_eq!(states(&out.events, 1), vec![Begin]);
    // Refused: no ACTIVE for this move.
    let out = send(&mut t, PointerInput::moved(0, 45.0, 0.0, ms(20)));
    assert!(out.events.is_empty());
    let out = send(&mut t, PointerInput::moved(0, 55.0, 0.0, ms(30)));
    assert_eq!(states(&out.events, 1), vec![Active]);
    // The delta is since the last move: the refused move is not carried.
    assert_eq!(drag(&out.events[0]).2, Offset::new(10.0, 0.0));
    send(&mut t, PointerInput::up(0, 55.0, 0.0, ms(40)));
    assert_eq!(
        seen,
        vec![
            (Possible, Offset::new(40.0, 0.0)),
            (Active, Offset::new(5.0, 0.0)),
            (Active, Offset::new(10.0, 0.0)),
        ]
    );
    t.assert_complete();
}

#[test]
fn a_refused_move_does_not_claim_but_a_later_accepted_one_does() {
    // Two handlers so that nobody wins by default: the inner pan refuses
    // its first moves; the outer vertical drag never claims sideways.
    let chain = [
        handler(1, Pan).with_should_respond_on_move(),
        handler(2, VerticalDrag),
    ];
    let mut calls = 0;
    let mut callbacks = FnCallbacks {
        accept: |_: HandlerId| true,
        respond: |_: &GestureEvent| {
            calls += 1;
            calls > 2
        },
    };
    let mut t = Touches::default();
    t.send(
        PointerInput::down(0, 0.0, 0.0, ms(0)),
        &chain,
        &mut callbacks,
    );
    let out = t.send(
        PointerInput::moved(0, 40.0, 0.0, ms(10)),
        &[],
        &mut callbacks,
    );
    assert!(out.events.is_empty());
    let out = t.send(
        PointerInput::moved(0, 50.0, 0.0, ms(20)),
        &[],
        &mut callbacks,
    );
    assert!(out.events.is_empty());
    // Accepted: the distance already travelled counts, so it claims now.
    let out = t.send(
        PointerInput::moved(0, 52.0, 0.0, ms(30)),
        &[],
        &mut callbacks,
    );
    assert_eq!(states(&out.events, 1), vec![Begin]);
    assert_eq!(states(&out.events, 2), vec![Cancelled]);
    t.send(PointerInput::up(0, 52.0, 0.0, ms(40)), &[], &mut callbacks);
    t.assert_complete();
}

#[test]
fn independent_fingers_on_different_handlers_do_not_compete() {
    let a = handler(1, Pan);
    let b = handler(2, Pan);
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[a]);
    t.down(1, 300.0, 0.0, 5, &[b]);
    let out = t.mv(0, 10.0, 0.0, 10);
    assert_eq!(states(&out.events, 1), vec![Active]);
    let out = t.mv(1, 310.0, 0.0, 10);
    assert_eq!(states(&out.events, 2), vec![Active]);
    t.up(0, 10.0, 0.0, 20);
    t.up(1, 310.0, 0.0, 20);
    assert_eq!(t.states(1), vec![Possible, Begin, Active, End]);
    assert_eq!(t.states(2), vec![Possible, Begin, Active, End]);
    t.assert_complete();
}

#[test]
fn a_cancelled_pointer_cancels_its_handlers() {
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &[handler(1, Pan), handler(2, Tap)]);
    t.mv(0, 40.0, 0.0, 10);
    let out = t.send(
        PointerInput::cancel(0, 40.0, 0.0, ms(20)),
        &[],
        &mut AcceptAll,
    );
    assert_eq!(states(&out.events, 1), vec![Cancelled]);
    t.assert_complete();

    // Tearing down mid-double-tap cancels the waiting handlers too.
    let mut t = Touches::default();
    t.down(0, 0.0, 0.0, 0, &four());
    t.up(0, 0.0, 0.0, 50);
    let out = t.arena.cancel_all();
    t.record(out);
    assert_eq!(t.states(1), vec![Possible, Cancelled]);
    assert_eq!(t.states(2), vec![Possible, Cancelled]);
    assert_eq!(t.arena.next_deadline(), None);
    t.assert_complete();
}

// ------------------------------------- tap, double-tap, long-press, pan

/// The four on one node, tap innermost.
fn four() -> [GestureHandler; 4] {
    [
        handler(1, Tap),
        handler(2, DoubleTap),
        handler(3, LongPress),
        handler(4, Pan),
    ]
}

#[test]
fn a_single_tap_waits_for_the_double_tap_timeout() {
    let mut t = Touches::default();
    let out = t.down(0, 100.0, 100.0, 0, &four());
    assert_eq!(out.events.len(), 4, "all four POSSIBLE");
    let out = t.up(0, 100.0, 100.0, 80);
    // The long press and the pan give up; the double-tap holds the arena,
    // so the tap is not decided yet.
    assert_eq!(states(&out.events, 3), vec![Cancelled]);
    assert_eq!(states(&out.events, 4), vec![Cancelled]);
    assert!(states(&out.events, 1).is_empty());
    assert_eq!(t.arena.next_deadline(), Some(ms(380)));
    assert!(t.advance(379).events.is_empty());
    let out = t.advance(380);
    assert_eq!(
        out.events
            .iter()
            .map(|e| (e.handler.0, e.state))
            .collect::<Vec<_>>(),
        vec![(2, Cancelled), (1, End)]
    );
    assert_eq!(
        out.events[1].payload,
        GesturePayload::Tap {
            absolute: Point::new(100.0, 100.0),
            relative: Point::new(100.0, 100.0),
        }
    );
    t.assert_complete();
}

#[test]
fn a_double_tap_wins_and_the_tap_never_fires() {
    let mut t = Touches::default();
    t.down(0, 100.0, 100.0, 0, &four());
    t.up(0, 100.0, 100.0, 80);
    let out = t.down(0, 105.0, 95.0, 200, &four());
    // The second touch brings a new long press and pan, not a new tap.
    assert_eq!(states(&out.events, 3), vec![Possible]);
    assert_eq!(states(&out.events, 4), vec![Possible]);
    assert!(states(&out.events, 1).is_empty());
    let out = t.up(0, 105.0, 95.0, 260);
    assert_eq!(
        out.events
            .iter()
            .map(|e| (e.handler.0, e.state))
            .collect::<Vec<_>>(),
        vec![(1, Cancelled), (3, Cancelled), (4, Cancelled), (2, End)]
    );
    assert_eq!(t.states(1), vec![Possible, Cancelled]);
    assert!(t.advance(1000).events.is_empty());
    t.assert_complete();
}

#[test]
fn a_long_press_wins_after_500ms_without_movement() {
    let mut t = Touches::default();
    t.down(0, 100.0, 100.0, 0, &four());
    t.mv(0, 110.0, 105.0, 200); // within the slop
    let out = t.advance(500);
    assert_eq!(
        out.events
            .iter()
            .map(|e| (e.handler.0, e.state))
            .collect::<Vec<_>>(),
        vec![(3, Begin), (1, Cancelled), (2, Cancelled), (4, Cancelled)]
    );
    let out = t.mv(0, 140.0, 105.0, 600);
    assert_eq!(states(&out.events, 3), vec![Active]);
    let out = t.up(0, 140.0, 105.0, 700);
    assert_eq!(states(&out.events, 3), vec![End]);
    assert!(t.advance(2000).events.is_empty());
    t.assert_complete();
}

#[test]
fn a_pan_wins_once_the_finger_passes_the_slop() {
    let mut t = Touches::default();
    t.down(0, 100.0, 100.0, 0, &four());
    assert!(t.mv(0, 110.0, 100.0, 10).events.is_empty());
    // Past kTouchSlop the tap, double-tap and long press give up, which
    // leaves the pan alone: it wins there (before its own 36 px).
    let out = t.mv(0, 119.0, 100.0, 20);
    assert_eq!(
        out.events
            .iter()
            .map(|e| (e.handler.0, e.state))
            .collect::<Vec<_>>(),
        vec![(1, Cancelled), (2, Cancelled), (3, Cancelled), (4, Begin)]
    );
    assert_eq!(drag(&out.events[3]).0, Point::new(119.0, 100.0));
    let out = t.mv(0, 129.0, 100.0, 30);
    assert_eq!(drag(&out.events[0]).2, Offset::new(10.0, 0.0));
    // The long press's deadline passes unnoticed.
    assert!(t.advance(600).events.is_empty());
    t.up(0, 129.0, 100.0, 700);
    assert_eq!(t.states(4), vec![Possible, Begin, Active, End]);
    t.assert_complete();
}

// ------------------------------------ bottom sheet over a scroll-view

/// The page of Skyline's "half-screen sheet" example: an outer
/// `pan-gesture-handler` moves the sheet; inside, a
/// `vertical-drag-gesture-handler native-view="scroll-view"` proxies the
/// list. They declare each other simultaneous and both gate their moves:
/// the list takes a move unless it is at its top and the finger goes
/// down (or the sheet is not fully open); the sheet takes what the list
/// refuses.
struct SheetPage {
    /// How far the sheet is dragged down from fully open.
    sheet_y: f32,
    scroll_top: f32,
    list_refused: bool,
    touches: Touches,
}

const LIST: u32 = 1;
const SHEET: u32 = 2;

impl GestureCallbacks for SheetPage {
    fn should_accept(&mut self, _handler: HandlerId) -> bool {
        true
    }

    fn should_respond_on_move(&mut self, event: &GestureEvent) -> bool {
        let delta_y = drag(event).2.dy;
        if event.handler == HandlerId(LIST) {
            let respond = self.sheet_y <= 0.0 && !(self.scroll_top <= 0.0 && delta_y > 0.0);
            self.list_refused = !respond;
            respond
        } else {
            // Asked after the list (innermost first), in the same move.
            self.list_refused
        }
    }
}

impl SheetPage {
    fn new(scroll_top: f32) -> SheetPage {
        SheetPage {
            sheet_y: 0.0,
            scroll_top,
            list_refused: false,
            touches: Touches::default(),
        }
    }

    fn chain() -> [GestureHandler; 2] {
        [
            handler(LIST, VerticalDrag)
                .tag("list")
                .simultaneous_with(&["sheet"])
                .with_should_respond_on_move()
                .native_view(NativeView::ScrollView),
            handler(SHEET, Pan)
                .tag("sheet")
                .simultaneous_with(&["list"])
                .with_should_respond_on_move(),
        ]
    }

    /// Sends `input` and applies the output as the page would: the sheet's
    /// ACTIVE moves it; the list's scroll decisions scroll it.
    fn send(&mut self, input: PointerInput) -> GestureOutput {
        let mut touches = std::mem::take(&mut self.touches);
        let chain = SheetPage::chain();
        let out = touches.send(input, &chain, self);
        self.touches = touches;
        for event in &out.events {
            if event.handler == HandlerId(SHEET) && event.state == Active {
                self.sheet_y = (self.sheet_y + drag(event).2.dy).max(0.0);
            }
        }
        for scroll in &out.scrolls {
            assert_eq!(scroll.handler, HandlerId(LIST));
            assert_eq!(scroll.native_view, NativeView::ScrollView);
            if let ScrollProxyAction::Scroll { delta } = scroll.action {
                assert_eq!(delta.dx, 0.0);
                self.scroll_top = (self.scroll_top - delta.dy).max(0.0);
            }
        }
        out
    }

    /// A finger moving 10 px per 10 ms vertically from y = 300.
    fn drag_by(&mut self, steps: &[f32]) {
        let mut y = 300.0;
        self.send(PointerInput::down(0, 200.0, y, ms(0)));
        for (i, dy) in steps.iter().enumerate() {
            y += dy;
            self.send(PointerInput::moved(0, 200.0, y, ms(10 * (i as u64 + 1))));
        }
        self.send(PointerInput::up(0, 200.0, y, ms(10 * steps.len() as u64)));
    }

    fn scrolls(&self) -> Vec<ScrollProxyAction> {
        self.touches.scrolls.iter().map(|s| s.action).collect()
    }
}

#[test]
fn sheet_at_top_of_list_dragging_down_moves_the_sheet() {
    let mut page = SheetPage::new(0.0);
    page.drag_by(&[10.0; 6]);
    let t = &page.touches;
    // The list refuses every move; the sheet claims past 36 px (4th move)
    // and follows the 5th and 6th.
    assert_eq!(t.states(SHEET), vec![Possible, Begin, Active, Active, End]);
    assert_eq!(t.states(LIST), vec![Possible, Cancelled]);
    assert_eq!(page.sheet_y, 20.0);
    assert_eq!(page.scroll_top, 0.0);
    assert!(page.scrolls().is_empty(), "the list never scrolled");
    let end = t.of(SHEET).last().map(|e| drag(e).3).unwrap_or_default();
    assert!(close(end.y, 1000.0) && close(end.x, 0.0), "{end:?}");
    t.assert_complete();
}

#[test]
fn sheet_list_scrolled_dragging_down_scrolls_then_hands_off_at_the_top() {
    let mut page = SheetPage::new(30.0);
    page.drag_by(&[10.0; 8]);
    let t = &page.touches;
    // The list claims past 18 px (2nd move), scrolls by the 3rd to 5th
    // moves to its top; then it refuses and the sheet, simultaneous, claims
    // on the 6th (the distance travelled is past its slop) and moves on
    // the 7th and 8th.
    assert_eq!(
        t.states(LIST),
        vec![Possible, Begin, Active, Active, Active, End]
    );
    assert_eq!(t.states(SHEET), vec![Possible, Begin, Active, Active, End]);
    assert_eq!(page.scroll_top, 0.0);
    assert_eq!(page.sheet_y, 20.0);
    let scrolled = Offset::new(0.0, 10.0);
    assert_eq!(
        page.scrolls(),
        vec![
            ScrollProxyAction::Scroll { delta: scrolled },
            ScrollProxyAction::Scroll { delta: scrolled },
            ScrollProxyAction::Scroll { delta: scrolled },
            // The list was refusing when the finger left: no fling.
            ScrollProxyAction::Release {
                velocity: Velocity::ZERO
            },
        ]
    );
    // Sheet and list each got every move once: never both on one move.
    let moves_of = |id: u32| t.of(id).iter().filter(|e| e.state == Active).count();
    assert_eq!(moves_of(LIST) + moves_of(SHEET), 5);
    t.assert_complete();
}

#[test]
fn sheet_open_dragging_up_scrolls_the_list_and_flings_it() {
    let mut page = SheetPage::new(0.0);
    page.drag_by(&[-10.0; 6]);
    let t = &page.touches;
    assert_eq!(
        t.states(LIST),
        vec![Possible, Begin, Active, Active, Active, Active, End]
    );
    assert_eq!(t.states(SHEET), vec![Possible, Cancelled]);
    assert_eq!(page.scroll_top, 40.0);
    assert_eq!(page.sheet_y, 0.0);
    match page.scrolls().last() {
        Some(ScrollProxyAction::Release { velocity }) => {
            assert!(
                close(velocity.y, -1000.0) && velocity.x == 0.0,
                "{velocity:?}"
            )
        }
        other => panic!("no release: {other:?}"),
    }
    t.assert_complete();
}

#[test]
fn sheet_pulled_down_then_back_up_hands_the_finger_back_to_the_list() {
    let mut page = SheetPage::new(0.0);
    // Down 60 (the sheet claims on the 4th move, then moves 20), then up 90.
    let mut steps = vec![10.0; 6];
    steps.extend([-10.0; 9]);
    page.drag_by(&steps);
    let t = &page.touches;
    // The sheet goes back up to fully open (moves 7 and 8); then the list
    // takes over (it claims on the 9th, its travel being past 18 px) and
    // scrolls on the 10th to the 15th.
    assert_eq!(
        t.states(SHEET),
        vec![Possible, Begin, Active, Active, Active, Active, End]
    );
    assert_eq!(
        t.states(LIST),
        vec![Possible, Begin, Active, Active, Active, Active, Active, Active, End]
    );
    assert_eq!(page.sheet_y, 0.0);
    assert_eq!(page.scroll_top, 60.0);
    assert!(matches!(
        page.scrolls().last(),
        Some(ScrollProxyAction::Release { velocity }) if velocity.y < 0.0
    ));
    t.assert_complete();
}

#[test]
fn kinds_round_trip_their_element_names() {
    for kind in GestureKind::ALL {
        assert_eq!(GestureKind::from_element(kind.element()), Some(kind));
    }
    assert_eq!(GestureKind::from_element("pan-gesture"), None);
    assert_eq!(
        NativeView::from_attribute("scroll-view"),
        NativeView::ScrollView
    );
    assert_eq!(NativeView::from_attribute("swiper"), NativeView::Swiper);
    assert_eq!(NativeView::from_attribute("view"), NativeView::None);
    assert_eq!(
        [Possible, Begin, Active, End, Cancelled].map(GestureState::code),
        [0, 1, 2, 3, 4]
    );
}
