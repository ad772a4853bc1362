//! `lazy-load` (<https://developers.weixin.qq.com/miniprogram/dev/component/> `image`): such an image starts loading only once
//! it is within a screen of the visible area: the window, and inside a
//! scroll-view that scroll-view's box, each widened by its own size above,
//! below and to either side. Positions come from the last layout and the
//! scroll offsets, as on screen.

use crate::document::tree::PageTree;
use crate::ops::NodeId;
use cirrus_layout::style::{Display, Position};
use cirrus_render::Rect;

/// Whether `node` asks to be loaded lazily.
pub fn is_lazy(node: &crate::document::tree::Node) -> bool {
    crate::scroll::flag(node, "lazy-load")
}

/// The `lazy-load` `<image>` nodes of `tree` near the visible area of a
/// `window` (CSS px, the page's size on screen).
pub fn lazy_images_near_view(tree: &PageTree, window: (f32, f32)) -> Vec<NodeId> {
    let range = widened(Rect::new(0.0, 0.0, window.0, window.1));
    let mut near = Vec::new();
    visit(tree, NodeId::ROOT, (0.0, 0.0), range, &mut near);
    near
}

/// `rect` grown by its own width on each side and its height above and below.
fn widened(rect: Rect) -> Rect {
    Rect::new(
        rect.x - rect.width,
        rect.y - rect.height,
        rect.width * 3.0,
        rect.height * 3.0,
    )
}

/// Whether two rectangles touch (edges count: a zero-size box at the
/// range's edge is near).
fn touches(a: Rect, b: Rect) -> bool {
    a.x <= b.right() && b.x <= a.right() && a.y <= b.bottom() && b.y <= a.bottom()
}

fn visit(tree: &PageTree, id: NodeId, origin: (f32, f32), range: Rect, near: &mut Vec<NodeId>) {
    let Some(node) = tree.get(id) else { return };
    if !node.is_element() || node.style.display == Display::None {
        return;
    }
    let layout = node.layout.layout();
    let base = if node.style.position == Position::Fixed {
        (0.0, 0.0)
    } else {
        origin
    };
    let rect = Rect::new(
        base.0 + layout.location.x,
        base.1 + layout.location.y,
        layout.size.width,
        layout.size.height,
    );
    if node.tag() == Some("image") && is_lazy(node) && touches(rect, range) {
        near.push(id);
    }
    let child_range = if crate::scroll::is_scroll_view(node) {
        range.intersect(&widened(rect))
    } else {
        range
    };
    let (dx, dy) = crate::scroll::scroll_offset(node);
    let child_origin = (rect.x - dx, rect.y - dy);
    let mut children = Vec::with_capacity(node.children.len());
    for &child in &node.children {
        crate::style::scopes::push_layout_child(tree, child, &mut children);
    }
    for child in children {
        visit(tree, child, child_origin, child_range, near);
    }
}
