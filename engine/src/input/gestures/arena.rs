//! The arena (`arena.dart`): which handler's gesture wins, per pointer,
//! with Skyline's simultaneous handlers, and the driver that feeds the
//! recognizers pointer events and time.

use super::kinds::{GestureState, NativeView};
use super::recognizer::{Emitted, GestureEvent, GesturePayload, Recognizer, Verdict};
use super::velocity::VelocityTracker;
use super::{
    GestureCallbacks, GestureHandler, HandlerId, NodeBox, Offset, Point, PointerId, PointerInput,
    PointerPhase, Velocity,
};
use std::time::Duration;

/// What one input (or one advance of time) produced, in order, to be
/// delivered in its frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GestureOutput {
    pub events: Vec<GestureEvent>,
    pub scrolls: Vec<ScrollProxy>,
}

/// A decision for the native scroller a `native-view` handler proxies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScrollProxy {
    pub handler: HandlerId,
    pub native_view: NativeView,
    pub action: ScrollProxyAction,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScrollProxyAction {
    /// The finger moved by `delta` (CSS px, on the handler's axis) and the
    /// handler took the move: the content follows it (its scroll offset
    /// changes by `-delta`).
    Scroll { delta: Offset },
    /// The finger left: let the scroller settle with this velocity (px/s
    /// of the finger; zero when the handler refused the last move, so a
    /// scroller that was blocked does not fling).
    Release { velocity: Velocity },
    /// The drag was cancelled: settle without velocity.
    Cancel,
}

/// A handler taking part in the current touches.
#[derive(Debug)]
struct Member {
    key: u64,
    handler: GestureHandler,
    recognizer: Recognizer,
    alive: bool,
    /// Has won an arena.
    accepted: bool,
    /// What `should-response-on-move` said last (true without one).
    responding: bool,
}

/// One pointer's arena.
#[derive(Debug)]
struct Arena {
    id: u64,
    /// Members may still join (during the down).
    open: bool,
    /// Innermost first.
    members: Vec<u64>,
    resolved: bool,
    winners: Vec<u64>,
    held_by: Option<u64>,
    pending_sweep: bool,
    done: bool,
}

#[derive(Debug)]
struct LivePointer {
    id: PointerId,
    last: Point,
    pressure: Option<f32>,
    tracker: VelocityTracker,
    arena: u64,
}

/// The gesture arena of one window: every pointer on it, the handlers
/// taking part, and their recognizers.
#[derive(Debug, Default)]
pub struct GestureArena {
    members: Vec<Member>,
    arenas: Vec<Arena>,
    pointers: Vec<LivePointer>,
    next_key: u64,
    /// Arenas a lone member may win once the current input is dispatched
    /// (Flutter resolves those in a microtask, after every recognizer has
    /// seen the event).
    deferred: Vec<u64>,
    now: Duration,
}

impl GestureArena {
    pub fn new() -> GestureArena {
        GestureArena::default()
    }

    /// Whether nothing is tracked (no pointer down, no handler waiting).
    pub fn is_idle(&self) -> bool {
        self.pointers.is_empty() && self.members.is_empty()
    }

    /// The next instant [`GestureArena::advance`] has work (a long press
    /// due, a double-tap giving up), for hosts that sleep between frames.
    pub fn next_deadline(&self) -> Option<Duration> {
        self.members
            .iter()
            .filter(|m| m.alive)
            .filter_map(|m| m.recognizer.deadline())
            .min()
    }

    /// The handler's node moved (a sheet being dragged): later events
    /// measure `relativeX/Y` in `node_box`.
    pub fn set_node_box(&mut self, handler: HandlerId, node_box: NodeBox) {
        for member in self.members.iter_mut().filter(|m| m.handler.id == handler) {
            member.handler.node_box = node_box;
        }
    }

    /// The handlers currently recognised (won and not ended), innermost first.
    pub fn active_handlers(&self) -> Vec<HandlerId> {
        self.members
            .iter()
            .filter(|m| m.alive && m.accepted)
            .map(|m| m.handler.id)
            .collect()
    }

    /// Everything stops (the page went away, the window lost its
    /// pointers): every handler still in a touch is cancelled.
    pub fn cancel_all(&mut self) -> GestureOutput {
        let mut out = GestureOutput::default();
        let pointers: Vec<PointerId> = self.pointers.iter().map(|p| p.id).collect();
        for pointer in pointers {
            self.cancel(pointer, &mut out);
        }
        // Handlers waiting with no pointer down (a double-tap, a tap
        // behind it).
        let waiting: Vec<u64> = self.members.iter().map(|m| m.key).collect();
        for key in waiting {
            self.reject(key, &mut out);
        }
        self.deferred.clear();
        self.members.retain(|m| m.alive);
        self.arenas.clear();
        out
    }

    /// Time passed: long presses start, double-taps stop waiting.
    pub fn advance(&mut self, now: Duration) -> GestureOutput {
        let mut out = GestureOutput::default();
        self.advance_to(now, &mut out);
        self.settle(&mut out);
        out
    }

    /// One pointer event. `chain` (the handlers under the pointer,
    /// innermost first) is read on `Down` only.
    pub fn handle(
        &mut self,
        input: &PointerInput,
        chain: &[GestureHandler],
        callbacks: &mut dyn GestureCallbacks,
    ) -> GestureOutput {
        let mut out = GestureOutput::default();
        // Timers due before this input fire first.
        self.advance_to(input.time, &mut out);
        match input.phase {
            PointerPhase::Down => self.down(input, chain, callbacks, &mut out),
            PointerPhase::Move => self.moved(input, callbacks, &mut out),
            PointerPhase::Up => self.up(input, callbacks, &mut out),
            PointerPhase::Cancel => self.cancel(input.pointer, &mut out),
        }
        self.settle(&mut out);
        out
    }

    fn advance_to(&mut self, now: Duration, out: &mut GestureOutput) {
        // The clock never goes back.
        self.now = self.now.max(now);
        let due: Vec<u64> = self
            .members
            .iter()
            .filter(|m| m.alive && m.recognizer.deadline().is_some_and(|d| d <= self.now))
            .map(|m| m.key)
            .collect();
        let now = self.now;
        for key in due {
            let verdict = self.run(key, out, |r, emitted| r.advance(now, emitted));
            self.apply(key, verdict, out);
        }
    }

    fn down(
        &mut self,
        input: &PointerInput,
        chain: &[GestureHandler],
        callbacks: &mut dyn GestureCallbacks,
        out: &mut GestureOutput,
    ) {
        // A pointer id reused without its up (a host that lost it).
        if self.pointers.iter().any(|p| p.id == input.pointer) {
            self.cancel(input.pointer, out);
        }
        let arena_id = self.next_key();
        self.arenas.push(Arena {
            id: arena_id,
            open: true,
            members: Vec::new(),
            resolved: false,
            winners: Vec::new(),
            held_by: None,
            pending_sweep: false,
            done: false,
        });
        let mut tracker = VelocityTracker::new();
        tracker.add(input.time, input.position);
        self.pointers.push(LivePointer {
            id: input.pointer,
            last: input.position,
            pressure: input.pressure,
            tracker,
            arena: arena_id,
        });
        let mut seen: Vec<HandlerId> = Vec::new();
        for handler in chain {
            if seen.contains(&handler.id) {
                continue;
            }
            seen.push(handler.id);
            let existing = self
                .members
                .iter()
                .find(|m| m.alive && m.handler.id == handler.id)
                .map(|m| m.key);
            let key = match existing {
                // A handler already in a touch takes this pointer too, if
                // its recognizer does (a second finger for a scale).
                Some(key) => {
                    let allows = self.member(key).is_some_and(|m| m.recognizer.allows(input));
                    if !allows {
                        continue;
                    }
                    key
                }
                None => {
                    let recognizer = Recognizer::new(handler.kind);
                    if !recognizer.allows(input) {
                        continue;
                    }
                    // `should-accept-gesture`: once, when it joins.
                    if handler.has_should_accept && !callbacks.should_accept(handler.id) {
                        continue;
                    }
                    let key = self.next_key();
                    self.members.push(Member {
                        key,
                        handler: handler.clone(),
                        recognizer,
                        alive: true,
                        accepted: false,
                        responding: true,
                    });
                    key
                }
            };
            if let Some(arena) = self.arena_mut(arena_id) {
                arena.members.push(key);
            }
            self.run(key, out, |r, emitted| {
                r.add_pointer(input, emitted);
                Verdict::Nothing
            });
        }
        // Close the arena: a handler already recognised keeps the new
        // pointer; a lone member wins once the down is dispatched.
        let Some(arena) = self.arena_mut(arena_id) else {
            return;
        };
        arena.open = false;
        let members = arena.members.clone();
        for key in members {
            if self.member(key).is_some_and(|m| m.alive && m.accepted) {
                self.resolve_for(arena_id, key, out);
            }
        }
        self.deferred.push(arena_id);
    }

    fn moved(
        &mut self,
        input: &PointerInput,
        callbacks: &mut dyn GestureCallbacks,
        out: &mut GestureOutput,
    ) {
        let Some(pointer) = self.pointers.iter_mut().find(|p| p.id == input.pointer) else {
            return;
        };
        if pointer.last == input.position
            && (input.pressure.is_none() || input.pressure == pointer.pressure)
        {
            return;
        }
        pointer.last = input.position;
        if input.pressure.is_some() {
            pointer.pressure = input.pressure;
        }
        pointer.tracker.add(input.time, input.position);
        let estimate = pointer.tracker.estimate(input.time);
        let arena_id = pointer.arena;
        for key in self.arena_members(arena_id) {
            let Some(index) = self.index(key) else {
                continue;
            };
            let member = &mut self.members[index];
            if !member.alive {
                continue;
            }
            let handler = &member.handler;
            let mut responding = member.responding;
            let mut emitted = Emitted::new();
            let verdict = {
                let mut ask = |state: GestureState, payload: &GesturePayload| {
                    let answer = !handler.has_should_respond_on_move
                        || callbacks.should_respond_on_move(&GestureEvent {
                            handler: handler.id,
                            kind: handler.kind,
                            state,
                            payload: payload.clone().in_box(&handler.node_box),
                        });
                    responding = answer;
                    answer
                };
                member
                    .recognizer
                    .moved(input, estimate, &mut ask, &mut emitted)
            };
            member.responding = responding;
            self.deliver(index, emitted, out);
            self.apply(key, verdict, out);
        }
    }

    fn up(
        &mut self,
        input: &PointerInput,
        callbacks: &mut dyn GestureCallbacks,
        out: &mut GestureOutput,
    ) {
        let Some(position) = self
            .pointers
            .iter()
            .find(|p| p.id == input.pointer)
            .map(|p| p.last)
        else {
            return;
        };
        // An up away from the last move moved there first.
        if position != input.position {
            let mut moved = *input;
            moved.phase = PointerPhase::Move;
            self.moved(&moved, callbacks, out);
        }
        let Some(index) = self.pointers.iter().position(|p| p.id == input.pointer) else {
            return;
        };
        let pointer = self.pointers.remove(index);
        let estimate = pointer.tracker.estimate(input.time);
        let arena_id = pointer.arena;
        for key in self.arena_members(arena_id) {
            if !self.member(key).is_some_and(|m| m.alive) {
                continue;
            }
            let verdict = self.run(key, out, |r, emitted| r.lifted(input, estimate, emitted));
            if verdict == Verdict::Hold {
                if let Some(arena) = self.arena_mut(arena_id) {
                    arena.held_by = Some(key);
                }
            } else {
                self.apply(key, verdict, out);
            }
        }
        self.sweep(arena_id, out);
    }

    /// The system took the pointer: everyone on it is cancelled.
    fn cancel(&mut self, pointer: PointerId, out: &mut GestureOutput) {
        let Some(index) = self.pointers.iter().position(|p| p.id == pointer) else {
            return;
        };
        let arena_id = self.pointers.remove(index).arena;
        for key in self.arena_members(arena_id) {
            self.reject(key, out);
        }
        if let Some(arena) = self.arena_mut(arena_id) {
            arena.done = true;
        }
    }

    fn apply(&mut self, key: u64, verdict: Verdict, out: &mut GestureOutput) {
        match verdict {
            Verdict::Nothing | Verdict::Hold => {}
            Verdict::Claim => self.claim(key, out),
            Verdict::GiveUp => self.reject(key, out),
            Verdict::Finish => {
                self.leave(key);
                self.settle_holds(out);
            }
        }
    }

    /// `key` wins every arena it is in; the members there that may not run
    /// with it lose.
    fn claim(&mut self, key: u64, out: &mut GestureOutput) {
        let Some(member) = self.member_mut(key).filter(|m| m.alive) else {
            return;
        };
        member.accepted = true;
        let arenas: Vec<u64> = self
            .arenas
            .iter()
            .filter(|a| !a.done && a.members.contains(&key))
            .map(|a| a.id)
            .collect();
        for arena_id in arenas {
            self.resolve_for(arena_id, key, out);
        }
        if self.member(key).is_some_and(|m| m.alive) {
            let verdict = self.run(key, out, |r, emitted| r.accepted(emitted));
            self.apply(key, verdict, out);
        }
    }

    fn resolve_for(&mut self, arena_id: u64, key: u64, out: &mut GestureOutput) {
        let Some(arena) = self.arena_mut(arena_id) else {
            return;
        };
        arena.resolved = true;
        if !arena.winners.contains(&key) {
            arena.winners.push(key);
        }
        let others: Vec<u64> = arena
            .members
            .iter()
            .copied()
            .filter(|m| *m != key)
            .collect();
        let Some(winner) = self.member(key).map(|m| m.handler.clone()) else {
            return;
        };
        for other in others {
            let together = self
                .member(other)
                .is_some_and(|m| m.handler.is_simultaneous_with(&winner));
            if !together {
                self.reject(other, out);
            }
        }
    }

    /// `key` loses (or gives up): `CANCELLED`, and it leaves its arenas.
    fn reject(&mut self, key: u64, out: &mut GestureOutput) {
        if !self.member(key).is_some_and(|m| m.alive) {
            return;
        }
        self.run(key, out, |r, emitted| {
            r.rejected(emitted);
            Verdict::Nothing
        });
        self.leave(key);
        self.settle_holds(out);
    }

    /// `key` is done: out of every arena, releasing what it held.
    fn leave(&mut self, key: u64) {
        if let Some(member) = self.member_mut(key) {
            member.alive = false;
        }
        for arena in self.arenas.iter_mut().filter(|a| !a.done) {
            let before = arena.members.len();
            arena.members.retain(|m| *m != key);
            arena.winners.retain(|m| *m != key);
            if arena.held_by == Some(key) {
                arena.held_by = None;
            }
            if arena.members.len() != before {
                self.deferred.push(arena.id);
            }
        }
    }

    /// Arenas released with a sweep pending are swept now.
    fn settle_holds(&mut self, out: &mut GestureOutput) {
        let released: Vec<u64> = self
            .arenas
            .iter()
            .filter(|a| !a.done && a.pending_sweep && a.held_by.is_none())
            .map(|a| a.id)
            .collect();
        for arena_id in released {
            self.sweep(arena_id, out);
        }
    }

    /// The pointer is up (`GestureArenaManager.sweep`): an undecided arena
    /// goes to its first (innermost) member, with those that may run with
    /// it; the rest lose. A held arena waits for its release.
    fn sweep(&mut self, arena_id: u64, out: &mut GestureOutput) {
        let Some(arena) = self.arena_mut(arena_id) else {
            return;
        };
        if arena.held_by.is_some() {
            arena.pending_sweep = true;
            return;
        }
        arena.pending_sweep = false;
        if !arena.resolved {
            if let Some(&first) = arena.members.first() {
                self.claim(first, out);
            }
        }
        // Whoever is left may run with the winners: they win too.
        for key in self.arena_members(arena_id) {
            let waiting = self
                .arena(arena_id)
                .is_some_and(|a| !a.winners.contains(&key));
            if waiting {
                self.claim(key, out);
            }
        }
        if let Some(arena) = self.arena_mut(arena_id) {
            arena.done = true;
        }
    }

    /// After an input: lone members win their arenas (repeatedly, as a
    /// win may leave another arena with one member), then the dead are
    /// dropped.
    fn settle(&mut self, out: &mut GestureOutput) {
        // Bounded: each round removes at least one deferred entry and a
        // claim can only add entries for members that leave.
        let mut rounds = 0;
        while let Some(arena_id) = self.deferred.pop() {
            rounds += 1;
            if rounds > 10_000 {
                break;
            }
            let lone = self.arena(arena_id).and_then(|a| {
                (!a.done && !a.open && !a.resolved && a.members.len() == 1).then(|| a.members[0])
            });
            if let Some(key) = lone {
                self.claim(key, out);
            }
        }
        self.deferred.clear();
        self.members.retain(|m| m.alive);
        self.arenas.retain(|a| !a.done);
    }

    /// Runs `f` on `key`'s recognizer and delivers what it sent.
    fn run(
        &mut self,
        key: u64,
        out: &mut GestureOutput,
        f: impl FnOnce(&mut Recognizer, &mut Emitted) -> Verdict,
    ) -> Verdict {
        let Some(index) = self.index(key) else {
            return Verdict::Nothing;
        };
        let mut emitted = Emitted::new();
        let verdict = f(&mut self.members[index].recognizer, &mut emitted);
        self.deliver(index, emitted, out);
        verdict
    }

    /// Names the handler on what its recognizer sent, and derives the
    /// scroll decisions of a `native-view` handler.
    fn deliver(&mut self, index: usize, emitted: Emitted, out: &mut GestureOutput) {
        let member = &self.members[index];
        for (state, payload) in emitted {
            let payload = payload.in_box(&member.handler.node_box);
            if member.handler.native_view != NativeView::None {
                let action = match (state, payload.drag()) {
                    (GestureState::Active, Some((delta, _))) => {
                        Some(ScrollProxyAction::Scroll { delta })
                    }
                    (GestureState::End, Some((_, velocity))) => Some(ScrollProxyAction::Release {
                        velocity: if member.responding {
                            velocity
                        } else {
                            Velocity::ZERO
                        },
                    }),
                    (GestureState::Cancelled, Some(_)) if member.accepted => {
                        Some(ScrollProxyAction::Cancel)
                    }
                    _ => None,
                };
                if let Some(action) = action {
                    out.scrolls.push(ScrollProxy {
                        handler: member.handler.id,
                        native_view: member.handler.native_view,
                        action,
                    });
                }
            }
            out.events.push(GestureEvent {
                handler: member.handler.id,
                kind: member.handler.kind,
                state,
                payload,
            });
        }
    }

    fn next_key(&mut self) -> u64 {
        self.next_key += 1;
        self.next_key
    }

    fn index(&self, key: u64) -> Option<usize> {
        self.members.iter().position(|m| m.key == key)
    }

    fn member(&self, key: u64) -> Option<&Member> {
        self.members.iter().find(|m| m.key == key)
    }

    fn member_mut(&mut self, key: u64) -> Option<&mut Member> {
        self.members.iter_mut().find(|m| m.key == key)
    }

    fn arena(&self, id: u64) -> Option<&Arena> {
        self.arenas.iter().find(|a| a.id == id && !a.done)
    }

    fn arena_mut(&mut self, id: u64) -> Option<&mut Arena> {
        self.arenas.iter_mut().find(|a| a.id == id && !a.done)
    }

    fn arena_members(&self, id: u64) -> Vec<u64> {
        self.arena(id)
            .map(|a| a.members.clone())
            .unwrap_or_default()
    }
}
