//! On-demand paint for scroll-views (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/scroll-view.html>): which direct children of a
//! scroll-view can show through its clip, without visiting the others.
//!
//! The index is built once per layout ([`super::Stage::sync_scroll`]):
//! the children in painting order with conservative bounds. When their
//! starts along the scroll axis never decrease (a list in a flex column or
//! row, nothing reordered), a binary search finds the visible run, so a
//! frame of a 10,000-item list looks at the few items on screen only;
//! otherwise every child's bounds are tested (still without visiting its
//! subtree).
//!
//! Bounds are a child's border box, grown by its own overflowing content
//! (taffy's content size) and its box-shadow, text-shadow and blur filter.
//! A transformed or `position: fixed` child is never culled. As in
//! Skyline, the direct child is the unit: a descendant painting outside
//! its list item's bounds by other means (a transform, a negative offset)
//! disappears with the item.

use crate::document::tree::{Node, PageTree};
use crate::ops::NodeId;
use cirrus_layout::style::{Display, Filter, Overflow, Position, Shadow};

/// An axis-aligned box, CSS px, from the scroll-view's border-box corner
/// with the content at scroll position 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bounds {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Bounds {
    fn intersects(&self, other: &Bounds) -> bool {
        self.x0 <= other.x1 && self.x1 >= other.x0 && self.y0 <= other.y1 && self.y1 >= other.y0
    }

    fn grown(self, by: f32) -> Bounds {
        Bounds {
            x0: self.x0 - by,
            y0: self.y0 - by,
            x1: self.x1 + by,
            y1: self.y1 + by,
        }
    }

    fn start(&self, vertical: bool) -> f32 {
        if vertical {
            self.y0
        } else {
            self.x0
        }
    }

    fn end(&self, vertical: bool) -> f32 {
        if vertical {
            self.y1
        } else {
            self.x1
        }
    }
}

#[derive(Clone, Debug)]
struct Entry {
    id: NodeId,
    bounds: Bounds,
    /// Painted whatever the window (transformed or fixed).
    always: bool,
}

/// A scroll-view's children in painting order, ready for culling.
#[derive(Clone, Debug)]
pub(crate) struct ChildIndex {
    entries: Vec<Entry>,
    /// Positions in `entries` of the children never culled, ascending.
    always: Vec<usize>,
    /// The axis the culled entries are sorted along (`true`: vertical),
    /// when they are, for the binary search.
    sorted_vertical: Option<bool>,
    /// Running maximum of the culled entries' ends along the sorted axis.
    end_so_far: Vec<f32>,
    /// Running maximum of the entries' starts along the sorted axis.
    start_so_far: Vec<f32>,
    /// Whether the scroll-view clips its children (no clip, no culling).
    clips: bool,
    /// Skyline's `cache-extent`: how far outside the clip along the scroll
    /// axes children are still painted (CSS px).
    cache_extent: f32,
    scroll_x: bool,
    scroll_y: bool,
}

/// The children of `node` with a `position: fixed` box in their subtree:
/// such a box is laid out against the page, not inside its ancestors'
/// bounds, so culling an ancestor must not take it away.
fn children_holding_fixed_boxes(tree: &PageTree, node: &Node) -> Vec<NodeId> {
    let mut found = Vec::new();
    for fixed in tree.fixed_boxes() {
        let mut cursor = Some(fixed);
        while let Some(id) = cursor {
            let parent = tree.get(id).and_then(|n| n.parent);
            if let Some(p) = parent {
                if tree.get(p).is_some_and(|p| std::ptr::eq(p, node)) {
                    found.push(id);
                    break;
                }
            }
            cursor = parent;
        }
    }
    found
}

/// How far a shadow reaches outside the box it is cast by.
fn shadow_reach(shadow: Option<Shadow>) -> f32 {
    shadow.map_or(0.0, |s| {
        s.offset_x.abs().max(s.offset_y.abs()) + s.blur.max(0.0) + s.spread.max(0.0)
    })
}

/// Conservative painted bounds of one child (see the module docs).
fn bounds_of(node: &Node) -> Bounds {
    let l = node.layout.layout();
    let visible = node.style.overflow == Overflow::Visible;
    let (w, h) = if visible {
        (
            l.size.width.max(l.content_size.width),
            l.size.height.max(l.content_size.height),
        )
    } else {
        (l.size.width, l.size.height)
    };
    let blur = match node.style.filter {
        // A Gaussian blur's visible tail is about three radii.
        Some(Filter::Blur(r)) => 3.0 * r.abs(),
        _ => 0.0,
    };
    let reach = if node.style.box_shadow.is_some_and(|s| !s.inset) {
        shadow_reach(node.style.box_shadow)
    } else {
        0.0
    };
    let reach = reach.max(shadow_reach(node.style.text_shadow)) + blur;
    Bounds {
        x0: l.location.x,
        y0: l.location.y,
        x1: l.location.x + w,
        y1: l.location.y + h,
    }
    .grown(reach)
}

impl ChildIndex {
    /// Indexes the children of scroll-view `node` as laid out now.
    pub(crate) fn build(
        tree: &PageTree,
        node: &Node,
        scroll_x: bool,
        scroll_y: bool,
        cache_extent: f32,
    ) -> ChildIndex {
        let mut entries = Vec::with_capacity(node.children.len());
        let mut always = Vec::new();
        let holding_fixed = children_holding_fixed_boxes(tree, node);
        for child in crate::paint::paint_order(tree, node) {
            let Some(c) = tree.get(child) else { continue };
            if c.is_element() && (c.style.display == Display::None || c.attrs.hidden) {
                continue;
            }
            let never_culled = c.is_element()
                && (!c.style.transform.is_empty()
                    || c.style.position == Position::Fixed
                    || holding_fixed.contains(&child));
            if never_culled {
                always.push(entries.len());
            }
            entries.push(Entry {
                id: child,
                bounds: bounds_of(c),
                always: never_culled,
            });
        }
        let vertical = scroll_y || !scroll_x;
        let culled_starts = entries
            .iter()
            .filter(|e| !e.always)
            .map(|e| e.bounds.start(vertical));
        let sorted = culled_starts
            .clone()
            .zip(culled_starts.skip(1))
            .all(|(a, b)| a <= b);
        let (mut end_so_far, mut start_so_far) = (Vec::new(), Vec::new());
        if sorted {
            let (mut end, mut start) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
            for e in &entries {
                if !e.always {
                    end = end.max(e.bounds.end(vertical));
                    start = start.max(e.bounds.start(vertical));
                }
                end_so_far.push(end);
                start_so_far.push(start);
            }
        }
        ChildIndex {
            entries,
            always,
            sorted_vertical: sorted.then_some(vertical),
            end_so_far,
            start_so_far,
            clips: super::clips(node),
            cache_extent: cache_extent.max(0.0),
            scroll_x,
            scroll_y,
        }
    }

    /// Indexes the page's children (`root` is the page element) for
    /// [`page_children`](Self::page_children).
    pub(crate) fn for_page(tree: &PageTree, root: &Node) -> ChildIndex {
        ChildIndex::build(tree, root, false, true, 0.0)
    }

    /// The page's children that reach into `window` (width, height from
    /// the page's corner), in painting order. A page never scrolls on
    /// Skyline (no page-level scroll, a scroll-view does it), so what lies
    /// outside the window is never seen and need not be painted.
    pub(crate) fn page_children(&self, root: &Node, window: (f32, f32)) -> Vec<NodeId> {
        let l = root.layout.layout();
        self.visible_in(Bounds {
            x0: -l.location.x,
            y0: -l.location.y,
            x1: window.0 - l.location.x,
            y1: window.1 - l.location.y,
        })
    }

    /// The children to paint, in painting order, for a scroll-view whose
    /// layout is `node`'s and whose position is `offset`;
    /// `with_cache_extent` widens the window by `cache-extent` (paint
    /// does). Hit testing reads the regions paint recorded, so what is
    /// culled here is not hit either (what the cache extent adds lies
    /// outside the clip, which hit testing honours). `None` when the
    /// scroll-view does not clip: then every child is painted.
    pub(crate) fn visible(
        &self,
        node: &Node,
        offset: (f32, f32),
        with_cache_extent: bool,
    ) -> Option<Vec<NodeId>> {
        if !self.clips {
            return None;
        }
        let l = node.layout.layout();
        let extent = if with_cache_extent {
            self.cache_extent
        } else {
            0.0
        };
        let (grow_x, grow_y) = (
            if self.scroll_x { extent } else { 0.0 },
            if self.scroll_y { extent } else { 0.0 },
        );
        let window = Bounds {
            x0: l.border.left + offset.0 - grow_x,
            y0: l.border.top + offset.1 - grow_y,
            x1: l.size.width - l.border.right + offset.0 + grow_x,
            y1: l.size.height - l.border.bottom + offset.1 + grow_y,
        };
        Some(self.visible_in(window))
    }

    /// The entries reaching into `window` (plus those never culled), in
    /// painting order.
    fn visible_in(&self, window: Bounds) -> Vec<NodeId> {
        let (lo, hi) = match self.sorted_vertical {
            Some(vertical) => {
                let lo = self
                    .end_so_far
                    .partition_point(|&end| end < window.start(vertical));
                let hi = self
                    .start_so_far
                    .partition_point(|&start| start <= window.end(vertical));
                (lo, hi.max(lo))
            }
            None => (0, self.entries.len()),
        };
        let mut out = Vec::with_capacity(hi - lo + self.always.len());
        let mut always = self.always.iter().copied().peekable();
        for (i, entry) in self.entries.iter().enumerate().take(hi).skip(lo) {
            while let Some(a) = always.next_if(|&a| a < i) {
                out.push(self.entries[a].id);
            }
            if entry.always {
                always.next_if_eq(&i);
                out.push(entry.id);
            } else if entry.bounds.intersects(&window) {
                out.push(entry.id);
            }
        }
        out.extend(always.map(|a| self.entries[a].id));
        out
    }
}
