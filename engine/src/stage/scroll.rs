//! The stage's scroll entry points (see `crate::scroll`).

use super::Stage;
use crate::ops::NodeId;
use crate::protocol::ToLogic;
use crate::scroll::{
    drag_axis, drag_node, events_of, release, scroll_axis, scroll_views, step_motions, sync_one,
    visible,
};
use cirrus_protocol::{EventDetail, UiEvent};
use serde_json::json;

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
        let Some(hit) = self.scroll_target(x, y) else {
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

    /// A finger dragged by `(delta_x, delta_y)` (CSS px, positive towards
    /// the content's end) after going down at `(x, y)` (window CSS px):
    /// along each axis the scroll-view under it that takes the drag (see
    /// [`drag_axis`]) moves, stretched past an end when it bounces. Returns
    /// whether anything moved. Points on the chrome or under a modal
    /// dialog drag nothing.
    pub fn drag_at(&mut self, x: f32, y: f32, delta_x: f32, delta_y: f32) -> bool {
        let Some(hit) = self.scroll_target(x, y) else {
            return false;
        };
        let Some(page) = self.top_page_mut() else {
            return false;
        };
        let moved_x = drag_axis(&mut page.tree, hit, true, delta_x);
        let moved_y = drag_axis(&mut page.tree, hit, false, delta_y);
        let moved = moved_x.is_some() || moved_y.is_some();
        if moved {
            self.queries.scroll_generation += 1;
        }
        moved
    }

    /// Drags scroll-view `node` of the top page alone (a `native-view`
    /// handler's decision), by `(delta_x, delta_y)` towards the content's end.
    pub(crate) fn drag_scroll_view(&mut self, node: NodeId, delta_x: f32, delta_y: f32) {
        self.sync_scroll();
        let Some(page) = self.top_page_mut() else {
            return;
        };
        let moved_x = delta_x != 0.0 && drag_node(&mut page.tree, node, true, delta_x);
        let moved_y = delta_y != 0.0 && drag_node(&mut page.tree, node, false, delta_y);
        if moved_x || moved_y {
            self.queries.scroll_generation += 1;
        }
    }

    /// The finger left: every scroll-view of the top page it was dragging
    /// flings on with `velocity` (the finger's, px/s; the content moves the
    /// other way).
    pub fn release_drag(&mut self, velocity: (f32, f32)) {
        let Some(page) = self.top_page() else {
            return;
        };
        let held: Vec<NodeId> = scroll_views(&page.tree)
            .into_iter()
            .filter(|&id| {
                page.tree
                    .get(id)
                    .and_then(|n| n.scroll.as_deref())
                    .is_some_and(|s| s.held || s.overscroll != (0.0, 0.0))
            })
            .collect();
        for id in held {
            self.release_scroll_view(id, -velocity.0, -velocity.1);
        }
    }

    /// Releases scroll-view `node` of the top page with `velocity` (px/s
    /// towards the content's end), after its
    /// `worklet:adjust-deceleration-velocity` had its say: it receives the
    /// velocity along the scroll-view's axis and returns the one to use (0
    /// stops the fling).
    pub(crate) fn release_scroll_view(&mut self, node: NodeId, velocity_x: f32, velocity_y: f32) {
        let now = self.clock;
        let Some(page) = self.top_page() else {
            return;
        };
        let page_id = page.id;
        let horizontal = page
            .tree
            .get(node)
            .is_some_and(|n| crate::scroll::axes(n) == (true, false));
        let mut velocity = (velocity_x, velocity_y);
        let along = if horizontal { velocity.0 } else { velocity.1 };
        if along != 0.0 {
            let args = json!([along]);
            if let Some(adjusted) =
                self.call_handler(page_id, node, "adjust-deceleration-velocity", args)
            {
                let adjusted = adjusted.as_f64().map_or(along, |v| v as f32);
                if horizontal {
                    velocity.0 = adjusted;
                } else {
                    velocity.1 = adjusted;
                }
            }
        }
        if let Some(page) = self.top_page_mut() {
            release(&mut page.tree, node, velocity, now);
        }
    }

    /// Moves the top page's flings, bounces and animated scrolls to the
    /// clock. True when something moved.
    pub(crate) fn tick_scroll(&mut self) -> bool {
        let now = self.clock;
        let Some(page) = self.top_page_mut() else {
            return false;
        };
        let moved = step_motions(&mut page.tree, now);
        if moved {
            self.queries.scroll_generation += 1;
        }
        moved
    }

    /// Whether a scroll-view of the top page is moving: held by a finger,
    /// flinging, bouncing, or owing its `scrollend`.
    pub fn is_scrolling(&self) -> bool {
        self.top_page().is_some_and(|page| {
            scroll_views(&page.tree).into_iter().any(|id| {
                page.tree
                    .get(id)
                    .and_then(|n| n.scroll.as_deref())
                    .is_some_and(|s| s.is_in_motion() || s.moving)
            })
        })
    }

    /// The element of the top page under `(x, y)` (window CSS px) that a
    /// wheel or a drag there starts from, with the scroll-views synced;
    /// none on the chrome or under a modal dialog.
    fn scroll_target(&mut self, x: f32, y: f32) -> Option<NodeId> {
        if self.dialogs.blocks_page() || self.on_chrome(x, y) {
            return None;
        }
        self.sync_scroll();
        let area = self.page_area();
        self.hit_test(x - area.x, y - area.y)
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
    /// `{direction}`) when it entered the threshold near an end; a
    /// `scrollstart` (same detail) before the first `scroll` of a movement
    /// and a `scrollend` once it rests (no finger, no motion). The render
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
            let Some(state) = node.scroll.as_deref() else {
                continue;
            };
            // A movement is a finger's drag and the motion after it (a
            // wheel's or an attribute's jump is only a `scroll`).
            let active = state.held || state.is_in_motion();
            let (pending, moving) = (state.pending_event, state.moving);
            let starts = active && !moving;
            let ends = moving && !active;
            let mut events = if pending {
                events_of(node, viewport)
            } else {
                Vec::new()
            };
            if starts {
                events.insert(0, ("scrollstart", scroll_detail(&events, state)));
            }
            if ends {
                events.push(("scrollend", scroll_detail(&events, state)));
            }
            for (name, detail) in events {
                out.push(ToLogic::Event(UiEvent::new(page_id, id, name, detail)));
            }
            if let Some(state) = page.tree.get_mut(id).and_then(|n| n.scroll.as_deref_mut()) {
                if pending {
                    state.reported = state.offset;
                    state.pending_event = false;
                }
                state.moving = active;
            }
        }
        out
    }
}

/// The detail of `scrollstart` / `scrollend`: the `scroll` event's when
/// there is one this frame, else the position with no delta.
fn scroll_detail(
    events: &[(&'static str, EventDetail)],
    state: &crate::scroll::ScrollState,
) -> EventDetail {
    events
        .iter()
        .find(|(name, _)| *name == "scroll")
        .map(|(_, detail)| detail.clone())
        .unwrap_or(EventDetail::Scroll {
            scroll_left: state.offset.0,
            scroll_top: state.offset.1,
            scroll_width: state.scroll_size.0,
            scroll_height: state.scroll_size.1,
            delta_x: 0.0,
            delta_y: 0.0,
        })
}
