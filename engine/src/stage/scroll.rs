//! The stage's scroll entry points (see `crate::scroll`).

use super::Stage;
use crate::ops::NodeId;
use crate::protocol::ToLogic;
use crate::scroll::{events_of, scroll_axis, scroll_views, sync_one, visible};
use cirrus_protocol::UiEvent;

/// Scrolling, on the render thread's [`Stage`].
impl Stage {
    /// Brings every scroll-view of the top page up to date with the last
    /// layout (range, culling index, `scroll-top` / `scroll-left` /
    /// `scroll-into-view` changes, clamping). Cheap when nothing was laid
    /// out since the last call. Paint, the layout file, queries and
    /// [`Stage::scroll_by`] and [`Stage::hit_test`] call it.
    pub fn sync_scroll(&mut self) {
        let generation = self.layout_generation;
        let viewport = self.viewport();
        let Some(page) = self.top_page_mut() else {
            return;
        };
        let mut moved = false;
        for id in scroll_views(&page.tree) {
            moved |= sync_one(&mut page.tree, id, generation, viewport);
        }
        // The page's own culling index, once per layout like the
        // scroll-views' (a restyle always comes with a layout pass).
        if page.tree.page_index.as_ref().map(|(g, _)| *g) != Some(generation) {
            let index = visible::ChildIndex::for_page(&page.tree, page.tree.root());
            page.tree.page_index = Some((generation, index));
        }
        if moved {
            self.queries.scroll_generation += 1;
        }
    }

    /// Scrolls the scroll-view under `(x, y)` (CSS px, window coordinates)
    /// by `(delta_x, delta_y)` (positive: towards the end, as a wheel's
    /// `deltaY`): along each axis the innermost scroll-view that can still
    /// move that way takes the delta, clamped. Nothing is restyled or laid
    /// out; the next frame repaints, and the `scroll` event follows from
    /// [`Stage::take_scroll_events`]. Returns whether anything moved.
    /// Points on the chrome, or under a modal dialog, scroll nothing.
    pub fn scroll_by(&mut self, x: f32, y: f32, delta_x: f32, delta_y: f32) -> bool {
        if self.dialogs.blocks_page() || self.on_chrome(x, y) {
            return false;
        }
        self.sync_scroll();
        let area = self.page_area();
        let Some(hit) = self.hit_test(x - area.x, y - area.y) else {
            return false;
        };
        let Some(page) = self.top_page_mut() else {
            return false;
        };
        let moved_x = scroll_axis(&mut page.tree, hit, true, delta_x);
        let moved_y = scroll_axis(&mut page.tree, hit, false, delta_y);
        let moved = moved_x || moved_y;
        if moved {
            self.queries.scroll_generation += 1;
        }
        moved
    }

    /// The scroll position of scroll-view `node` of the top page, if it is one.
    pub fn scroll_offset_of(&self, node: NodeId) -> Option<(f32, f32)> {
        let node = self.top_page()?.tree.get(node)?;
        node.scroll.as_deref().map(|s| s.offset)
    }

    /// The events the top page's scroll-views owe the logic thread: per
    /// scroll-view that moved since the last call, one `scroll` (detail
    /// `{scrollLeft, scrollTop, scrollHeight, scrollWidth, deltaX,
    /// deltaY}`) and a `scrolltoupper` / `scrolltolower` (detail
    /// `{direction}`) when it entered the threshold near an end. The render
    /// thread calls it once per frame, so scrolls coalesce.
    pub fn take_scroll_events(&mut self) -> Vec<ToLogic> {
        let viewport = self.viewport();
        let Some(page) = self.top_page_mut() else {
            return Vec::new();
        };
        let page_id = page.id;
        let mut out = Vec::new();
        for id in scroll_views(&page.tree) {
            let Some(node) = page.tree.get(id) else {
                continue;
            };
            if !node.scroll.as_deref().is_some_and(|s| s.pending_event) {
                continue;
            }
            for (name, detail) in events_of(node, viewport) {
                out.push(ToLogic::Event(UiEvent::new(page_id, id, name, detail)));
            }
            if let Some(state) = page.tree.get_mut(id).and_then(|n| n.scroll.as_deref_mut()) {
                state.reported = state.offset;
                state.pending_event = false;
            }
        }
        out
    }
}
