//! CSS transitions and `@keyframes` animations, run by the render thread
//! (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>): they never wait for the logic thread.
//!
//! One [`Animator`] per page. The style pass hands it every node it
//! restyles ([`Animator::restyled`]): a changed property with a matching
//! `transition` starts (or retargets) a transition, a new `animation-name`
//! starts an animation, and the node's new style gets the animated values
//! of this instant. Between restyles, [`Animator::tick`] moves running
//! motion on: transform, opacity and colours are written straight into the
//! node's style (a repaint, never a relayout); a layout property or an
//! inherited one (`color`) asks the style pass to restyle the node, which
//! samples it again on the way.
//!
//! Events (`transitionend`, `animationstart`, `animationiteration`,
//! `animationend`) are collected for the render thread to send.

mod easing;
pub mod steps;
mod value;

pub use easing::ease;
pub use value::{interpolate, AnimatedProperty, Side, Value};

use crate::document::tree::PageTree;
use crate::ops::NodeId;
use cirrus_layout::style::ComputedStyle;
use cirrus_style::{AnimationDirection, Motion, TimingFunction};
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

/// A motion event for the logic thread (bubbling, like a tap).
#[derive(Clone, Debug, PartialEq)]
pub struct MotionEvent {
    pub node: NodeId,
    /// `transitionend`, `animationstart`, `animationiteration`, `animationend`.
    pub name: &'static str,
    pub detail: cirrus_protocol::EventDetail,
}

/// The keyframes of one `@keyframes` block as the animator needs them:
/// per frame its offsets, the element's style with the frame applied, and
/// the animatable properties it declares.
pub struct ResolvedKeyframe {
    pub offsets: Vec<f32>,
    pub style: ComputedStyle,
    pub declared: Vec<String>,
}

/// Looks up `@keyframes NAME` for an element whose un-animated style is the
/// second argument.
pub type KeyframeLookup<'a> = dyn Fn(&str, &ComputedStyle) -> Option<Vec<ResolvedKeyframe>> + 'a;

/// What [`Animator::tick`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TickStats {
    /// Nodes whose style the tick wrote (repaint only).
    pub repainted: usize,
    /// Nodes handed to the style pass (a layout or inherited property moves).
    pub restyle_requested: usize,
}

#[derive(Default)]
pub struct Animator {
    /// Ordered by node, so events come out in the same order every run.
    nodes: BTreeMap<NodeId, NodeMotion>,
    events: Vec<MotionEvent>,
    /// `animation` attributes (wx.createAnimation), played as transitions.
    pub steps: steps::StepPlayer,
}

struct NodeMotion {
    /// The style the cascade gives, before animation: transitions end
    /// there and keyframes without a property fall back to it.
    underlying: ComputedStyle,
    transitions: Vec<RunningTransition>,
    animations: Vec<RunningAnimation>,
}

struct RunningTransition {
    property: AnimatedProperty,
    from: Value,
    to: Value,
    /// When it starts moving (after its delay).
    start: Duration,
    duration: Duration,
    timing: TimingFunction,
}

struct RunningAnimation {
    spec: cirrus_style::Animation,
    /// When `animation-name` took it on (its delay counts from there).
    began: Duration,
    tracks: Vec<Track>,
    /// Iterations whose start was reported (`animationstart` is the first).
    reported_iterations: u64,
    ended: bool,
}

/// One property's keyframes: offsets ascending; `None` is the underlying
/// value (an implicit `from`/`to`).
struct Track {
    property: AnimatedProperty,
    stops: Vec<(f32, Option<Value>)>,
}

impl NodeMotion {
    fn is_active(&self) -> bool {
        !self.transitions.is_empty() || self.animations.iter().any(|a| !a.ended)
    }

    /// Whether anything that would end on its own is still moving.
    fn has_finite_motion(&self) -> bool {
        !self.transitions.is_empty()
            || self
                .animations
                .iter()
                .any(|a| !a.ended && a.spec.iterations.is_some())
    }

    fn properties(&self) -> impl Iterator<Item = AnimatedProperty> + '_ {
        self.transitions.iter().map(|t| t.property).chain(
            self.animations
                .iter()
                .flat_map(|a| a.tracks.iter().map(|t| t.property)),
        )
    }

    /// Writes the values of `now` into `style`; finished transitions are
    /// dropped (their end value is the underlying one) and events recorded.
    fn sample(
        &mut self,
        id: NodeId,
        now: Duration,
        style: &mut ComputedStyle,
        events: &mut Vec<MotionEvent>,
    ) {
        let mut finished = Vec::new();
        self.transitions.retain(|t| {
            if now < t.start {
                t.property.set(style, &t.from);
                return true;
            }
            let elapsed = now - t.start;
            if elapsed >= t.duration {
                t.property.set(style, &t.to);
                finished.push((t.property, t.duration));
                return false;
            }
            let progress = elapsed.as_secs_f32() / t.duration.as_secs_f32();
            let value = interpolate(&t.from, &t.to, ease(t.timing, progress));
            t.property.set(style, &value);
            true
        });
        for (property, duration) in finished {
            events.push(MotionEvent {
                node: id,
                name: "transitionend",
                detail: cirrus_protocol::EventDetail::Transition {
                    property_name: property.name().to_owned(),
                    elapsed_time: duration.as_secs_f64(),
                },
            });
        }
        for animation in &mut self.animations {
            animation.sample(id, now, &self.underlying, style, events);
        }
    }
}

impl RunningAnimation {
    fn sample(
        &mut self,
        id: NodeId,
        now: Duration,
        underlying: &ComputedStyle,
        style: &mut ComputedStyle,
        events: &mut Vec<MotionEvent>,
    ) {
        let spec = &self.spec;
        let elapsed_ms =
            now.as_secs_f64() * 1000.0 - self.began.as_secs_f64() * 1000.0 - spec.delay_ms as f64;
        if elapsed_ms < 0.0 {
            // Skyline treats `backwards` as `forwards` (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>): during
            // the delay the element keeps its own style.
            return;
        }
        let event = |name: &'static str, elapsed_ms: f64| MotionEvent {
            node: id,
            name,
            detail: cirrus_protocol::EventDetail::Animation {
                animation_name: spec.name.clone(),
                elapsed_time: elapsed_ms / 1000.0,
            },
        };
        let duration = spec.duration_ms as f64;
        let total = spec.iterations.map(|n| n as f64 * duration);
        let (iteration, progress, ended) = match total {
            Some(total) if elapsed_ms >= total => {
                // Ended: the fill (always forwards on Skyline) holds the
                // value where the last iteration stopped.
                let n = spec.iterations.unwrap_or(1.0).max(0.0) as f64;
                let whole = n.floor();
                let (iteration, progress) = if n > 0.0 && (n - whole) == 0.0 {
                    (whole as u64 - 1, 1.0)
                } else {
                    (whole as u64, n - whole)
                };
                (iteration, progress, true)
            }
            _ if duration <= 0.0 => (0, 1.0, false),
            _ => (
                (elapsed_ms / duration).floor() as u64,
                (elapsed_ms % duration) / duration,
                false,
            ),
        };
        if self.reported_iterations == 0 {
            events.push(event("animationstart", 0.0));
            self.reported_iterations = 1;
        }
        while self.reported_iterations <= iteration && !ended {
            events.push(event(
                "animationiteration",
                self.reported_iterations as f64 * duration,
            ));
            self.reported_iterations += 1;
        }
        if ended && !self.ended {
            self.ended = true;
            events.push(event("animationend", total.unwrap_or(0.0)));
        }
        let forwards = match spec.direction {
            AnimationDirection::Normal => true,
            AnimationDirection::Reverse => false,
            AnimationDirection::Alternate => iteration % 2 == 0,
            AnimationDirection::AlternateReverse => iteration % 2 == 1,
        };
        let progress = if forwards { progress } else { 1.0 - progress } as f32;
        for track in &self.tracks {
            let value = track.value_at(progress, spec.timing, underlying);
            track.property.set(style, &value);
        }
    }
}

impl Track {
    /// The value at iteration progress `p`: the timing function applies to
    /// each keyframe interval, as in CSS.
    fn value_at(&self, p: f32, timing: TimingFunction, underlying: &ComputedStyle) -> Value {
        let value = |v: &Option<Value>| v.clone().unwrap_or_else(|| self.property.get(underlying));
        let next = self
            .stops
            .iter()
            .position(|(offset, _)| *offset > p)
            .unwrap_or(self.stops.len() - 1)
            .max(1);
        let (o0, v0) = &self.stops[next - 1];
        let (o1, v1) = &self.stops[next];
        let span = o1 - o0;
        let local = if span > 0.0 {
            ((p - o0) / span).clamp(0.0, 1.0)
        } else {
            1.0
        };
        interpolate(&value(v0), &value(v1), ease(timing, local))
    }
}

impl Animator {
    /// The style pass recomputed `id`: `old` is what the node showed
    /// (animated values included), `new` the cascade's fresh style, which
    /// leaves with this instant's animated values. `first` is true for the
    /// node's first style (nothing transitions from the initial style).
    #[allow(clippy::too_many_arguments)]
    pub fn restyled(
        &mut self,
        id: NodeId,
        old: &ComputedStyle,
        new: &mut ComputedStyle,
        motion: &Motion,
        first: bool,
        keyframes: &KeyframeLookup<'_>,
        now: Duration,
    ) {
        if motion.is_empty() && !self.nodes.contains_key(&id) {
            return;
        }
        let entry = self.nodes.entry(id).or_insert_with(|| NodeMotion {
            underlying: new.clone(),
            transitions: Vec::new(),
            animations: Vec::new(),
        });
        entry.underlying = new.clone();

        // Animations: by name; a name that stays keeps running.
        entry
            .animations
            .retain(|a| motion.animations.iter().any(|s| s.name == a.spec.name));
        for spec in &motion.animations {
            if let Some(a) = entry
                .animations
                .iter_mut()
                .find(|a| a.spec.name == spec.name)
            {
                a.spec = spec.clone();
                continue;
            }
            let Some(frames) = keyframes(&spec.name, new) else {
                continue; // an unknown name animates nothing
            };
            entry.animations.push(RunningAnimation {
                spec: spec.clone(),
                began: now,
                tracks: tracks_of(&frames),
                reported_iterations: 0,
                ended: false,
            });
        }

        // Transitions: the declared entry for each property (a later entry
        // of the list wins, as in CSS).
        // Properties a keyframe animation drives are not transitioned: the
        // old style holds the animation's value, not a changed one.
        let mut declared: HashMap<AnimatedProperty, &cirrus_style::Transition> = HashMap::new();
        for t in &motion.transitions {
            for p in AnimatedProperty::from_name(&t.property) {
                declared.insert(p, t);
            }
        }
        for a in &entry.animations {
            for track in &a.tracks {
                declared.remove(&track.property);
            }
        }
        let mut running: Vec<AnimatedProperty> = Vec::new();
        entry.transitions.retain_mut(|t| {
            let Some(spec) = declared.get(&t.property) else {
                return false; // no longer transitioned: jump to the new value
            };
            let target = t.property.get(new);
            if t.to != target {
                // Retarget from wherever it is now.
                t.from = t.property.get(old);
                t.to = target;
                t.start = start_of(now, spec.delay_ms);
                t.duration = Duration::from_millis(spec.duration_ms as u64);
                t.timing = spec.timing;
            }
            running.push(t.property);
            true
        });
        if !first {
            for (&property, spec) in &declared {
                if running.contains(&property) || spec.duration_ms == 0 {
                    continue;
                }
                let (from, to) = (property.get(old), property.get(new));
                if from != to {
                    entry.transitions.push(RunningTransition {
                        property,
                        from,
                        to,
                        start: start_of(now, spec.delay_ms),
                        duration: Duration::from_millis(spec.duration_ms as u64),
                        timing: spec.timing,
                    });
                }
            }
        }

        if entry.transitions.is_empty() && entry.animations.is_empty() {
            self.nodes.remove(&id);
            return;
        }
        entry.sample(id, now, new, &mut self.events);
    }

    /// Moves running motion to `now`. Repaint-only properties are written
    /// into the nodes' styles; a node whose layout or inherited properties
    /// move is marked for the style pass instead.
    pub fn tick(&mut self, tree: &mut PageTree, now: Duration) -> TickStats {
        let mut stats = TickStats::default();
        // A step of an `animation` attribute starts: the style pass writes
        // its declarations (StepPlayer::prepare) and transitions follow.
        for id in self.steps.due(now) {
            match tree.get_mut(id) {
                Some(node) => {
                    node.restyle_self = true;
                    tree.mark_visit(id);
                    tree.changed = true;
                    stats.restyle_requested += 1;
                }
                None => self.steps.forget(id),
            }
        }
        let mut gone = Vec::new();
        for (&id, entry) in self.nodes.iter_mut() {
            if !entry.is_active() {
                continue;
            }
            let Some(node) = tree.get_mut(id) else {
                gone.push(id);
                continue;
            };
            let needs_style_pass = entry
                .properties()
                .any(|p| p.affects_layout() || p.inherited());
            if needs_style_pass {
                node.restyle_self = true;
                tree.mark_visit(id);
                tree.changed = true;
                stats.restyle_requested += 1;
            } else {
                entry.sample(id, now, &mut node.style, &mut self.events);
                stats.repainted += 1;
            }
        }
        for id in gone {
            self.nodes.remove(&id);
        }
        self.nodes
            .retain(|_, e| !e.transitions.is_empty() || !e.animations.is_empty());
        stats
    }

    /// Whether anything moves (the host keeps drawing frames while so).
    pub fn is_animating(&self) -> bool {
        self.nodes.values().any(NodeMotion::is_active) || self.steps.is_playing()
    }

    /// Whether a transition or a finite animation is still running (an
    /// infinite one never settles, so a screenshot does not wait for it).
    pub fn has_finite_motion(&self) -> bool {
        self.nodes.values().any(NodeMotion::has_finite_motion) || self.steps.is_playing()
    }

    /// Nodes with running or filling motion (for tests and benchmarks).
    pub fn animated_nodes(&self) -> usize {
        self.nodes.len()
    }

    pub fn take_events(&mut self) -> Vec<MotionEvent> {
        std::mem::take(&mut self.events)
    }
}

fn start_of(now: Duration, delay_ms: i32) -> Duration {
    if delay_ms >= 0 {
        now + Duration::from_millis(delay_ms as u64)
    } else {
        // A negative delay starts part-way through.
        now.saturating_sub(Duration::from_millis(delay_ms.unsigned_abs() as u64))
    }
}

/// Per animated property, its stops over the frames that declare it, with
/// implicit `from`/`to` stops at the underlying value.
fn tracks_of(frames: &[ResolvedKeyframe]) -> Vec<Track> {
    let mut tracks: Vec<Track> = Vec::new();
    for frame in frames {
        let properties = frame
            .declared
            .iter()
            .flat_map(|name| AnimatedProperty::from_name(name));
        for property in properties {
            let value = property.get(&frame.style);
            let track = match tracks.iter_mut().position(|t| t.property == property) {
                Some(i) => &mut tracks[i],
                None => {
                    tracks.push(Track {
                        property,
                        stops: Vec::new(),
                    });
                    tracks.last_mut().expect("just pushed")
                }
            };
            for &offset in &frame.offsets {
                let offset = offset.clamp(0.0, 1.0);
                // A later frame at the same offset wins.
                track.stops.retain(|(o, _)| *o != offset);
                track.stops.push((offset, Some(value.clone())));
            }
        }
    }
    for track in &mut tracks {
        track
            .stops
            .sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        if track.stops.first().is_none_or(|(o, _)| *o > 0.0) {
            track.stops.insert(0, (0.0, None));
        }
        if track.stops.last().is_none_or(|(o, _)| *o < 1.0) {
            track.stops.push((1.0, None));
        }
    }
    tracks
}
