//! `<scroll-view>`: scroll offsets as render-thread state.
//!
//! Owns: each scroll-view's [`ScrollState`] (kept on its node, so it
//! survives restyles and relayouts), the scroll range (the children's
//! margin boxes plus the end padding, less the padding box), the
//! attributes that move it (`scroll-top`, `scroll-left`,
//! `scroll-into-view`, which beats `scroll-top`), input
//! ([`Stage::scroll_by`]) and the events sent to the logic thread
//! (`scroll`, `scrolltoupper`, `scrolltolower`), coalesced to one batch
//! per frame ([`Stage::take_scroll_events`]).
//!
//! Invariants: an offset is always within `0..=max` along an axis the
//! scroll-view scrolls (`scroll-x` / `scroll-y`) and 0 along the others,
//! as of the last [`Stage::sync_scroll`]; a sync runs after every layout
//! (paint, the layout file, queries and input call it), so a relayout
//! re-clamps. Scrolling changes no style and no layout: it only marks the
//! frame for repaint. The culling index ([`visible`]) is rebuilt by the
//! same sync, so paint and hit testing never read a stale one.
//!
//! Touch drags and their momentum ([`drag_axis`], [`release`],
//! [`step_motions`], with the curves of [`physics`]): a drag moves the
//! content with the finger and, past an end of a scroll-view that
//! `bounces` (default true, as Skyline's), stretches it by the rubber
//! band; the release flings it on, decelerating, and what went past an end
//! springs back. The overstretch is kept apart from the offset
//! ([`ScrollState::overscroll`]), so the offset keeps its range: events and
//! queries report the clamped offset, paint and hit testing the shown one.
//!
//! `scroll-with-animation` is accepted and ignored: offsets jump.

pub mod physics;
pub mod visible;

use crate::document::tree::{Node, PageTree};
use crate::ops::NodeId;
use cirrus_layout::Viewport;
use cirrus_protocol::events::{EventDetail, ScrollEdge};
use physics::AxisMotion;
use serde_json::Value;
use std::time::Duration;

/// The tag this module gives scroll state to.
pub const SCROLL_VIEW_TAG: &str = "scroll-view";

/// `upper-threshold` / `lower-threshold` when not given (CSS px).
pub const DEFAULT_THRESHOLD: f32 = 50.0;

/// One scroll-view's position and what it last reported.
#[derive(Debug, Default)]
pub struct ScrollState {
    /// Scroll position (CSS px): `scrollLeft`, `scrollTop`.
    pub offset: (f32, f32),
    /// The largest offset along each axis (0 where the axis does not scroll).
    pub max: (f32, f32),
    /// `scrollWidth` and `scrollHeight`: the content extent, at least the
    /// padding box.
    pub scroll_size: (f32, f32),
    /// The attribute values last applied, to act on changes only.
    applied_top: Option<Value>,
    applied_left: Option<Value>,
    applied_into_view: Option<Value>,
    /// The offset the last `scroll` event reported (deltas and threshold
    /// crossings are measured from it).
    pub(crate) reported: (f32, f32),
    /// Moved since the last events were taken.
    pub(crate) pending_event: bool,
    /// The layout generation this state was computed for.
    synced_generation: Option<u64>,
    /// The children in painting order with their bounds, for culling.
    pub(crate) index: Option<visible::ChildIndex>,
    /// How far the content is shown past an end (rubber band, bounce), CSS
    /// px along each axis; 0 at rest.
    pub overscroll: (f32, f32),
    /// How far the finger has dragged past an end (the rubber band's input).
    finger_overscroll: (f32, f32),
    /// A fling, bounce or animated `scrollTo` per axis (x, y).
    pub(crate) motion: [Option<AxisMotion>; 2],
    /// A finger is dragging it.
    pub(crate) held: bool,
    /// It is moving (`scrollstart` sent, `scrollend` owed).
    pub(crate) moving: bool,
}

impl ScrollState {
    /// Whether a fling, bounce or animated scroll is running.
    pub fn is_in_motion(&self) -> bool {
        self.motion.iter().any(Option::is_some)
    }
}

/// The scroll position of `node` as shown (zero for anything but a synced
/// scroll-view; past an end while it bounces): what its children are
/// shifted by.
pub fn scroll_offset(node: &Node) -> (f32, f32) {
    node.scroll.as_deref().map_or((0.0, 0.0), |s| {
        (s.offset.0 + s.overscroll.0, s.offset.1 + s.overscroll.1)
    })
}

/// `bounces` (default true, as Skyline's scroll-view).
pub fn bounces(node: &Node) -> bool {
    match node.attrs.other.get("bounces") {
        None => true,
        Some(_) => flag(node, "bounces"),
    }
}

/// The children of scroll-view `node` that its clip shows at its current
/// offset (grown by `cache-extent` when `with_cache_extent`, as paint
/// asks: hit regions are recorded by that same walk), in painting order; `None` for a node that is not
/// a synced, clipping scroll-view (then every child counts).
pub fn children_in_view(node: &Node, with_cache_extent: bool) -> Option<Vec<NodeId>> {
    let state = node.scroll.as_deref()?;
    state
        .index
        .as_ref()?
        .visible(node, state.offset, with_cache_extent)
}

/// Whether `node` is a `<scroll-view>`.
pub fn is_scroll_view(node: &Node) -> bool {
    node.tag() == Some(SCROLL_VIEW_TAG)
}

/// WXML boolean attribute: absent is false, a bare attribute (`""`) true,
/// `"false"`, `false`, `0` and `null` false.
pub fn flag(node: &Node, name: &str) -> bool {
    match node.attrs.other.get(name) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => s != "false",
        Some(_) => true,
    }
}

/// Which axes a scroll-view scrolls along: (`scroll-x`, `scroll-y`).
pub fn axes(node: &Node) -> (bool, bool) {
    (flag(node, "scroll-x"), flag(node, "scroll-y"))
}

/// Whether the scroll-view clips its children (Skyline's `clip`, default
/// true); the style pass gives a clipping one `overflow: hidden`.
pub fn clips(node: &Node) -> bool {
    match node.attrs.other.get("clip") {
        None => true,
        Some(_) => flag(node, "clip"),
    }
}

/// A length attribute (`scroll-top="120"`, `"120px"`, `"40rpx"`, a number)
/// in CSS px; `None` when it does not parse.
pub fn length_attribute(value: &Value, viewport: Viewport) -> Option<f32> {
    match value {
        Value::Number(n) => n.as_f64().map(|f| f as f32),
        Value::String(s) => {
            let s = s.trim();
            if let Some(rpx) = s.strip_suffix("rpx") {
                let v: f32 = rpx.trim().parse().ok()?;
                Some(viewport.rpx(cirrus_layout::Rpx(v)).0)
            } else {
                s.strip_suffix("px").unwrap_or(s).trim().parse().ok()
            }
        }
        _ => None,
    }
    .filter(|v: &f32| v.is_finite())
}

/// A threshold attribute, or the default.
fn threshold(node: &Node, name: &str, viewport: Viewport) -> f32 {
    node.attrs
        .other
        .get(name)
        .and_then(|v| length_attribute(v, viewport))
        .unwrap_or(DEFAULT_THRESHOLD)
}

/// The content extent of a scroll-view, measured from its padding box's
/// corner: the union of its layout children's margin boxes (grown by their
/// own overflowing content where they do not clip) plus its end padding.
fn content_extent(tree: &PageTree, node: &Node) -> (f32, f32) {
    let layout = node.layout.layout();
    let (mut right, mut bottom) = (0.0f32, 0.0f32);
    for &child in &node.layout_children {
        let Some(c) = tree.get(NodeId(u64::from(child) as u32)) else {
            continue;
        };
        if c.style.display == cirrus_layout::style::Display::None {
            continue;
        }
        let l = c.layout.layout();
        let visible = c.style.overflow == cirrus_layout::style::Overflow::Visible;
        let (w, h) = if visible {
            (
                l.size.width.max(l.content_size.width),
                l.size.height.max(l.content_size.height),
            )
        } else {
            (l.size.width, l.size.height)
        };
        right = right.max(l.location.x + w + l.margin.right);
        bottom = bottom.max(l.location.y + h + l.margin.bottom);
    }
    (
        right - layout.border.left + layout.padding.right,
        bottom - layout.border.top + layout.padding.bottom,
    )
}

/// The padding box size of a laid-out node.
fn padding_box(node: &Node) -> (f32, f32) {
    let l = node.layout.layout();
    (
        (l.size.width - l.border.left - l.border.right).max(0.0),
        (l.size.height - l.border.top - l.border.bottom).max(0.0),
    )
}

/// Where `target`'s border box lies in `scroller`'s content (CSS px from
/// the scroller's padding-box corner, at scroll position 0); `None` when
/// `target` is not below `scroller`.
fn position_in(tree: &PageTree, scroller: NodeId, target: NodeId) -> Option<(f32, f32)> {
    let (mut x, mut y) = (0.0, 0.0);
    let mut cursor = target;
    loop {
        let node = tree.get(cursor)?;
        let parent = node.parent?;
        let l = node.layout.layout();
        x += l.location.x;
        y += l.location.y;
        let p = tree.get(parent)?;
        if parent == scroller {
            let b = p.layout.layout().border;
            return Some((x - b.left, y - b.top));
        }
        // A scroll-view in between shows its content shifted.
        let (ox, oy) = scroll_offset(p);
        x -= ox;
        y -= oy;
        cursor = parent;
    }
}

/// The first element below `root` (document order) whose id is `id`.
fn find_by_id(tree: &PageTree, root: NodeId, id: &str) -> Option<NodeId> {
    if id.is_empty() {
        return None;
    }
    tree.descendants(root)
        .into_iter()
        .skip(1)
        .find(|&n| tree.get(n).is_some_and(|n| n.attrs.id == id))
}

/// Brings one scroll-view up to date with the layout of `generation`:
/// range, culling index, attribute changes, clamping. Returns whether its
/// offset moved.
pub(crate) fn sync_one(
    tree: &mut PageTree,
    id: NodeId,
    generation: u64,
    viewport: Viewport,
) -> bool {
    let Some(node) = tree.get(id) else {
        return false;
    };
    if node
        .scroll
        .as_deref()
        .is_some_and(|s| s.synced_generation == Some(generation))
    {
        return false;
    }
    let (scroll_x, scroll_y) = axes(node);
    let padding = padding_box(node);
    let extent = content_extent(tree, node);
    let scroll_size = (extent.0.max(padding.0), extent.1.max(padding.1));
    let max = (
        if scroll_x {
            scroll_size.0 - padding.0
        } else {
            0.0
        },
        if scroll_y {
            scroll_size.1 - padding.1
        } else {
            0.0
        },
    );
    let cache_extent = (node.attrs.other.get("cache-extent"))
        .and_then(|v| length_attribute(v, viewport))
        .unwrap_or(0.0);
    let index = visible::ChildIndex::build(tree, node, scroll_x, scroll_y, cache_extent);
    let attribute = |name: &str| node.attrs.other.get(name).cloned();
    let (top, left, into_view) = (
        attribute("scroll-top"),
        attribute("scroll-left"),
        attribute("scroll-into-view"),
    );
    let mut state = tree
        .get_mut(id)
        .and_then(|n| n.scroll.take())
        .unwrap_or_default();
    let before = state.offset;
    let mut offset = state.offset;
    let into_view_changed = into_view != state.applied_into_view;
    let target = into_view
        .as_ref()
        .and_then(Value::as_str)
        .filter(|_| into_view_changed)
        .and_then(|name| find_by_id(tree, id, name))
        .and_then(|target| position_in(tree, id, target));
    if let Some((x, y)) = target {
        if scroll_x {
            offset.0 = x;
        }
        if scroll_y {
            offset.1 = y;
        }
    } else {
        if top != state.applied_top {
            if let Some(v) = top.as_ref().and_then(|v| length_attribute(v, viewport)) {
                offset.1 = v;
            }
        }
        if left != state.applied_left {
            if let Some(v) = left.as_ref().and_then(|v| length_attribute(v, viewport)) {
                offset.0 = v;
            }
        }
    }
    state.offset = (offset.0.clamp(0.0, max.0), offset.1.clamp(0.0, max.1));
    state.max = max;
    state.scroll_size = scroll_size;
    state.applied_top = top;
    state.applied_left = left;
    state.applied_into_view = into_view;
    state.synced_generation = Some(generation);
    state.index = Some(index);
    let moved = state.offset != before;
    if moved {
        state.pending_event = true;
    }
    if let Some(node) = tree.get_mut(id) {
        node.scroll = Some(state);
    }
    moved
}

/// Moves the innermost scroll-view at or above `start` that can move along
/// one axis (`horizontal` or not) in the direction of `delta`. Returns
/// whether something moved.
pub(crate) fn scroll_axis(
    tree: &mut PageTree,
    start: NodeId,
    horizontal: bool,
    delta: f32,
) -> bool {
    if delta == 0.0 || !delta.is_finite() {
        return false;
    }
    let mut cursor = Some(start);
    while let Some(id) = cursor {
        let Some(node) = tree.get_mut(id) else {
            return false;
        };
        cursor = node.parent;
        let (scroll_x, scroll_y) = axes(node);
        let enabled = if horizontal { scroll_x } else { scroll_y };
        let Some(state) = node.scroll.as_deref_mut().filter(|_| enabled) else {
            continue;
        };
        let (offset, max) = if horizontal {
            (&mut state.offset.0, state.max.0)
        } else {
            (&mut state.offset.1, state.max.1)
        };
        let moved = (*offset + delta).clamp(0.0, max);
        if moved != *offset {
            *offset = moved;
            state.pending_event = true;
            return true;
        }
        // At its end in that direction: the next scroller out takes it.
    }
    false
}

/// A finger dragged by `delta` (CSS px towards the content's end) along one
/// axis, starting at `start`: the scroll-view at or above it that is
/// already stretched past an end takes it first (the finger brings it
/// back), else the innermost that can still move that way, else the
/// innermost that bounces is stretched. Returns the scroll-view that took
/// it.
pub(crate) fn drag_axis(
    tree: &mut PageTree,
    start: NodeId,
    horizontal: bool,
    delta: f32,
) -> Option<NodeId> {
    if delta == 0.0 || !delta.is_finite() {
        return None;
    }
    let axis = usize::from(!horizontal);
    let scrollers = enclosing_scrollers(tree, start, horizontal);
    let stretched = scrollers.iter().copied().find(|&id| {
        tree.get(id)
            .and_then(|n| n.scroll.as_deref())
            .is_some_and(|s| axis_value(s.finger_overscroll, axis) != 0.0)
    });
    let movable = || {
        scrollers.iter().copied().find(|&id| {
            tree.get(id)
                .and_then(|n| n.scroll.as_deref())
                .is_some_and(|s| {
                    let (offset, max) = (axis_value(s.offset, axis), axis_value(s.max, axis));
                    (offset + delta).clamp(0.0, max) != offset
                })
        })
    };
    let bouncing = || {
        scrollers
            .iter()
            .copied()
            .find(|&id| tree.get(id).is_some_and(bounces))
    };
    let target = stretched.or_else(movable).or_else(bouncing)?;
    drag_node(tree, target, horizontal, delta).then_some(target)
}

/// The scroll-views at or above `start` that scroll along the axis,
/// innermost first.
fn enclosing_scrollers(tree: &PageTree, start: NodeId, horizontal: bool) -> Vec<NodeId> {
    let mut found = Vec::new();
    let mut cursor = Some(start);
    while let Some(id) = cursor {
        let Some(node) = tree.get(id) else {
            break;
        };
        cursor = node.parent;
        let (scroll_x, scroll_y) = axes(node);
        let enabled = if horizontal { scroll_x } else { scroll_y };
        if enabled && node.scroll.is_some() {
            found.push(id);
        }
    }
    found
}

fn axis_value(pair: (f32, f32), axis: usize) -> f32 {
    if axis == 0 {
        pair.0
    } else {
        pair.1
    }
}

fn axis_mut(pair: &mut (f32, f32), axis: usize) -> &mut f32 {
    if axis == 0 {
        &mut pair.0
    } else {
        &mut pair.1
    }
}

/// Drags scroll-view `id` alone by `delta` along one axis: the offset
/// follows within its range, and past an end a bouncing one is stretched
/// by the rubber band. Stops any motion on that axis. True when what it
/// shows moved.
pub(crate) fn drag_node(tree: &mut PageTree, id: NodeId, horizontal: bool, delta: f32) -> bool {
    let Some(node) = tree.get(id) else {
        return false;
    };
    let (scroll_x, scroll_y) = axes(node);
    if !(if horizontal { scroll_x } else { scroll_y }) || !delta.is_finite() {
        return false;
    }
    let bounce = bounces(node);
    let dimension = axis_value(padding_box(node), usize::from(!horizontal));
    let Some(state) = tree.get_mut(id).and_then(|n| n.scroll.as_deref_mut()) else {
        return false;
    };
    let axis = usize::from(!horizontal);
    state.motion[axis] = None;
    state.held = true;
    let before = (
        axis_value(state.offset, axis),
        axis_value(state.overscroll, axis),
    );
    let max = axis_value(state.max, axis);
    let finger = axis_value(state.offset, axis) + axis_value(state.finger_overscroll, axis) + delta;
    let offset = finger.clamp(0.0, max);
    let past = if bounce { finger - offset } else { 0.0 };
    *axis_mut(&mut state.offset, axis) = offset;
    *axis_mut(&mut state.finger_overscroll, axis) = past;
    *axis_mut(&mut state.overscroll, axis) = physics::rubber_band(past, dimension);
    if offset != before.0 {
        state.pending_event = true;
    }
    (offset, axis_value(state.overscroll, axis)) != before
}

/// The finger left scroll-view `id` with `velocity` (px/s, positive
/// towards the content's end): it flings on, and what is stretched past an
/// end springs back. Starts at `now`.
pub(crate) fn release(tree: &mut PageTree, id: NodeId, velocity: (f32, f32), now: Duration) {
    let Some(node) = tree.get(id) else {
        return;
    };
    let (scroll_x, scroll_y) = axes(node);
    let bounce = bounces(node);
    let Some(state) = tree.get_mut(id).and_then(|n| n.scroll.as_deref_mut()) else {
        return;
    };
    state.held = false;
    for (axis, enabled) in [(0, scroll_x), (1, scroll_y)] {
        let shown = axis_value(state.offset, axis) + axis_value(state.overscroll, axis);
        let speed = if enabled {
            axis_value(velocity, axis)
        } else {
            0.0
        };
        *axis_mut(&mut state.finger_overscroll, axis) = 0.0;
        state.motion[axis] =
            AxisMotion::fling(shown, speed, axis_value(state.max, axis), bounce, now);
    }
}

/// Moves every running motion of the tree's scroll-views to `now`. True
/// when something moved.
pub(crate) fn step_motions(tree: &mut PageTree, now: Duration) -> bool {
    let mut moved = false;
    for id in scroll_views(tree) {
        let Some(state) = tree.get_mut(id).and_then(|n| n.scroll.as_deref_mut()) else {
            continue;
        };
        for axis in 0..2 {
            let Some(motion) = &state.motion[axis] else {
                continue;
            };
            let (position, finished) = motion.sample(now);
            let max = axis_value(state.max, axis);
            let offset = position.clamp(0.0, max);
            let before = (
                axis_value(state.offset, axis),
                axis_value(state.overscroll, axis),
            );
            *axis_mut(&mut state.offset, axis) = offset;
            *axis_mut(&mut state.overscroll, axis) = position - offset;
            if offset != before.0 {
                state.pending_event = true;
            }
            moved |= (offset, position - offset) != before;
            if finished {
                state.motion[axis] = None;
                *axis_mut(&mut state.overscroll, axis) = 0.0;
            }
        }
    }
    moved
}

/// The events one scroll-view owes the logic thread since it last reported.
pub(crate) fn events_of(node: &Node, viewport: Viewport) -> Vec<(&'static str, EventDetail)> {
    let Some(state) = node.scroll.as_deref() else {
        return Vec::new();
    };
    let (before, now, max) = (state.reported, state.offset, state.max);
    let mut events = vec![(
        "scroll",
        EventDetail::Scroll {
            scroll_left: now.0,
            scroll_top: now.1,
            scroll_width: state.scroll_size.0,
            scroll_height: state.scroll_size.1,
            // As WeChat: the previous position less the new one.
            delta_x: before.0 - now.0,
            delta_y: before.1 - now.1,
        },
    )];
    let (upper, lower) = (
        threshold(node, "upper-threshold", viewport),
        threshold(node, "lower-threshold", viewport),
    );
    // Fired on entering the zone near an end, not while staying in it.
    let axes = [
        (before.0, now.0, max.0, ScrollEdge::Left, ScrollEdge::Right),
        (before.1, now.1, max.1, ScrollEdge::Top, ScrollEdge::Bottom),
    ];
    for (was, is, max, start, end) in axes {
        if was == is || max <= 0.0 {
            continue;
        }
        if is <= upper && was > upper {
            events.push((
                "scrolltoupper",
                EventDetail::ScrollEdge { direction: start },
            ));
        }
        if max - is <= lower && max - was > lower {
            events.push(("scrolltolower", EventDetail::ScrollEdge { direction: end }));
        }
    }
    events
}

/// The scroll-views of a page's tree (stale entries are skipped).
pub(crate) fn scroll_views(tree: &PageTree) -> Vec<NodeId> {
    tree.scroll_views
        .iter()
        .copied()
        .filter(|&id| tree.get(id).is_some_and(is_scroll_view))
        .collect()
}

/// Style defaults of scroll-views and their children (called by the style
/// pass for each restyled element): a scroll-view that clips (`clip`,
/// default true) gets `overflow: hidden`; its children (through virtual
/// nodes) get `flex-shrink: 0`, because they are laid out in the
/// scroll-view's unbounded content, as in Skyline, not squeezed into its box.
pub fn apply_element_defaults(
    tree: &PageTree,
    node: &Node,
    style: &mut cirrus_layout::ComputedStyle,
) {
    if is_scroll_view(node) && clips(node) {
        style.overflow = cirrus_layout::style::Overflow::Hidden;
    }
    let mut parent = node.parent.and_then(|p| tree.get(p));
    while let Some(p) = parent.filter(|p| crate::style::scopes::is_virtual(p)) {
        parent = p.parent.and_then(|p| tree.get(p));
    }
    if parent.is_some_and(is_scroll_view) {
        style.flex_shrink = 0.0;
    }
}
