//! Hit testing: which element is topmost under a point of a page.
//!
//! Mirrors the painter's walk (see [`crate::paint`]): the same origins
//! (fixed boxes against the page), the same stacking (children by
//! `z-index`, stable, painted later = on top), `overflow: hidden` clipping
//! the children to the padding box, and virtual nodes (slots, `virtualHost`
//! hosts) being transparent. An element is a target unless it is
//! `display: none`, `hidden`, `visibility: hidden` or `pointer-events:
//! none`; the last two are inherited, but a descendant that sets them back
//! is a target again, as in CSS. Text runs are never targets: a point over
//! text hits the element that holds it.
//!
//! Transforms are honoured in 2D (the point is mapped through the inverse
//! of each transformed box's matrix; perspective is ignored).
//!
//! A scroll-view's children are hit where they are shown: shifted by its
//! scroll position ([`crate::scroll`]), and only those reaching into its
//! clip, so a tap costs the visible items, not the whole list.
//!
//! Not yet: `::before`/`::after` boxes outside their owner.

use crate::document::tree::PageTree;
use crate::ops::NodeId;
use cirrus_layout::style::{Display, Overflow, PointerEvents, Position, Visibility};

/// How deep the walk goes before giving up (a guard against malformed
/// trees; the painter has the same shape).
const MAX_DEPTH: usize = 512;

/// The topmost element of `tree` under `(x, y)` (CSS px, relative to the
/// page's top-left corner).
pub fn hit_test(tree: &PageTree, x: f32, y: f32) -> Option<NodeId> {
    hit_node(tree, NodeId::ROOT, (x, y), (0.0, 0.0), (0.0, 0.0), 0)
}

fn hit_node(
    tree: &PageTree,
    id: NodeId,
    point: (f32, f32),
    parent_origin: (f32, f32),
    page_origin: (f32, f32),
    depth: usize,
) -> Option<NodeId> {
    let node = tree.get(id)?;
    if !node.is_element() || depth > MAX_DEPTH {
        return None;
    }
    let style = &node.style;
    if style.display == Display::None || node.attrs.hidden {
        return None;
    }
    if crate::style::scopes::is_virtual(node) {
        // Transparent: its children sit in the parent's box.
        return stacking_order(tree, &node.children)
            .into_iter()
            .rev()
            .find_map(|c| hit_node(tree, c, point, parent_origin, page_origin, depth + 1));
    }
    let layout = node.layout.layout();
    let base = if style.position == Position::Fixed {
        page_origin
    } else {
        parent_origin
    };
    let origin = (base.0 + layout.location.x, base.1 + layout.location.y);
    let (width, height) = (layout.size.width, layout.size.height);
    // The painter draws this box and its subtree through its transform, so
    // the point is taken back through the inverse (2D part) instead.
    let point = if style.transform.is_empty() {
        point
    } else {
        let pivot = (
            origin.0 + style.transform_origin.0.resolve(width),
            origin.1 + style.transform_origin.1.resolve(height),
        );
        let m = crate::paint::transform::transform_matrix(
            &style.transform,
            (width, height),
            pivot,
            1.0,
        );
        untransform(&m, point)?
    };
    let inside = |left: f32, top: f32, w: f32, h: f32| {
        point.0 >= left && point.0 < left + w && point.1 >= top && point.1 < top + h
    };
    let inside_border_box = inside(origin.0, origin.1, width, height);
    let children_reachable = if style.overflow == Overflow::Hidden {
        let b = layout.border;
        inside(
            origin.0 + b.left,
            origin.1 + b.top,
            width - b.left - b.right,
            height - b.top - b.bottom,
        )
    } else {
        true
    };
    if children_reachable && node.layout.paragraph.is_none() {
        // A scroll-view's children sit shifted by its scroll position; only
        // those its clip shows can be hit (the painter's own culling).
        let (dx, dy) = crate::scroll::scroll_offset(node);
        let children_origin = (origin.0 - dx, origin.1 - dy);
        let candidates = crate::scroll::children_in_view(node, false)
            .unwrap_or_else(|| stacking_order(tree, &node.children));
        let hit = candidates
            .into_iter()
            .rev()
            .find_map(|c| hit_node(tree, c, point, children_origin, page_origin, depth + 1));
        if hit.is_some() {
            return hit;
        }
    }
    let targetable =
        style.visibility == Visibility::Visible && style.pointer_events != PointerEvents::None;
    (inside_border_box && targetable).then_some(id)
}

/// `point` taken back through the 2D part of the column-major matrix `m`;
/// `None` when `m` collapses the plane (nothing can be hit).
fn untransform(m: &[f32; 16], point: (f32, f32)) -> Option<(f32, f32)> {
    let (a, b, c, d, e, f) = (m[0], m[1], m[4], m[5], m[12], m[13]);
    let det = a * d - b * c;
    if det.abs() < 1e-6 {
        return None;
    }
    let (x, y) = (point.0 - e, point.1 - f);
    Some(((d * x - c * y) / det, (a * y - b * x) / det))
}

/// Children in painting order (by `z-index`, stable): the last is on top.
/// Virtual children are replaced by their own children, as in painting.
fn stacking_order(tree: &PageTree, children: &[NodeId]) -> Vec<NodeId> {
    let mut flattened = Vec::with_capacity(children.len());
    for &child in children {
        crate::style::scopes::push_layout_child(tree, child, &mut flattened);
    }
    let mut ordered: Vec<(f32, NodeId)> = flattened
        .iter()
        .map(|&c| (tree.get(c).and_then(|n| n.style.z_index).unwrap_or(0.0), c))
        .collect();
    ordered.sort_by(|a, b| a.0.total_cmp(&b.0));
    ordered.into_iter().map(|(_, c)| c).collect()
}
