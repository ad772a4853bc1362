//! The stage's side of gesture handlers (SPEC §4.6): which handlers lie
//! under a finger, the worklets they call (`worklet:ongesture`,
//! `worklet:should-accept-gesture`, `worklet:should-response-on-move`),
//! and the native scroller a `native-view` handler proxies.
//!
//! The arena itself ([`crate::input::gestures`]) knows none of this; the
//! input layer ([`crate::input::gesture_router`]) joins the two.

use super::Stage;
use crate::input::gestures::{
    GestureEvent, GestureHandler, GestureKind, NativeView, NodeBox, ScrollProxyAction,
};
use crate::ops::{NodeId, PageId};
use crate::style::scopes::{is_virtual, push_layout_child};
use serde_json::{Map, Value};

/// The worklet names a handler element may bind (the logic thread sends
/// legacy spellings under these names).
pub const ON_GESTURE: &str = "ongesture";
pub const SHOULD_ACCEPT: &str = "should-accept-gesture";
pub const SHOULD_RESPOND_ON_MOVE: &str = "should-response-on-move";

impl Stage {
    /// The gesture handlers of the top page under `(x, y)` (window CSS px),
    /// innermost first, with their child's box. `None` where the page takes
    /// no touch there (the chrome, a modal dialog, no page).
    pub(crate) fn gesture_chain(
        &mut self,
        x: f32,
        y: f32,
    ) -> Option<(PageId, Vec<GestureHandler>)> {
        if self.dialogs.blocks_page() || self.on_chrome(x, y) {
            return None;
        }
        let area = self.page_area();
        let hit = self.hit_test(x - area.x, y - area.y)?;
        let page = self.pages.last()?;
        let tree = &page.tree;
        let mut found = Vec::new();
        let mut cursor = Some(hit);
        while let Some(id) = cursor {
            let node = tree.get(id)?;
            cursor = node.parent;
            if let Some(kind) = node.tag().and_then(GestureKind::from_element) {
                found.push((id, kind));
            }
        }
        let page_id = page.id;
        let chain = found
            .into_iter()
            .map(|(id, kind)| self.gesture_handler(page_id, id, kind, (area.x, area.y)))
            .collect();
        Some((page_id, chain))
    }

    /// One handler element as the arena needs it.
    fn gesture_handler(
        &self,
        page: PageId,
        id: NodeId,
        kind: GestureKind,
        origin: (f32, f32),
    ) -> GestureHandler {
        let mut handler = GestureHandler::new(id.0, kind);
        let Some(view) = self.pages.last() else {
            return handler;
        };
        let tree = &view.tree;
        let Some(node) = tree.get(id) else {
            return handler;
        };
        let text = |names: &[&str]| {
            names
                .iter()
                .find_map(|name| node.attrs.other.get(*name))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        handler.tag = text(&["tag"]);
        handler.element_id = Some(node.attrs.id.clone()).filter(|s| !s.is_empty());
        handler.simultaneous_handlers = ["simultaneous-handlers", "simultaneousHandlers"]
            .iter()
            .find_map(|name| node.attrs.other.get(*name))
            .map(names_of)
            .unwrap_or_default();
        handler.native_view = text(&["native-view", "nativeView"])
            .map_or(NativeView::None, |v| NativeView::from_attribute(&v));
        handler.has_should_accept = self.has_handler(page, id, SHOULD_ACCEPT);
        handler.has_should_respond_on_move = self.has_handler(page, id, SHOULD_RESPOND_ON_MOVE);
        if let Some(rect) = wrapped_child(tree, id).and_then(|c| crate::query::node_rect(tree, c)) {
            handler.node_box = NodeBox::new(
                origin.0 + rect.left,
                origin.1 + rect.top,
                rect.width,
                rect.height,
            );
        }
        handler
    }

    /// `worklet:should-accept-gesture` of handler `node` (yes without one,
    /// or when it threw: the error is reported and the gesture goes on).
    pub(crate) fn gesture_should_accept(&mut self, page: PageId, node: NodeId) -> bool {
        let args = Value::Array(Vec::new());
        self.call_handler(page, node, SHOULD_ACCEPT, args)
            .is_none_or(|answer| truthy(&answer))
    }

    /// `worklet:should-response-on-move` of the event's handler.
    pub(crate) fn gesture_should_respond(&mut self, page: PageId, event: &GestureEvent) -> bool {
        let node = NodeId(event.handler.0);
        let args = Value::Array(vec![gesture_event_json(event)]);
        self.call_handler(page, node, SHOULD_RESPOND_ON_MOVE, args)
            .is_none_or(|answer| truthy(&answer))
    }

    /// Delivers `event` to its handler's `worklet:ongesture`, in this frame.
    pub(crate) fn deliver_gesture(&mut self, page: PageId, event: &GestureEvent) {
        let node = NodeId(event.handler.0);
        let args = Value::Array(vec![gesture_event_json(event)]);
        self.run_handler(page, node, ON_GESTURE, args);
    }

    /// Applies a `native-view="scroll-view"` handler's decision to the
    /// scroll-view it wraps: the content follows the finger, or is released
    /// to settle (with momentum) or stopped.
    pub(crate) fn proxy_scroll(
        &mut self,
        page: PageId,
        handler: NodeId,
        action: ScrollProxyAction,
    ) {
        let Some(view) = self.pages.last_mut().filter(|v| v.id == page) else {
            return;
        };
        let Some(scroller) = proxied_scroll_view(&view.tree, handler) else {
            return;
        };
        match action {
            ScrollProxyAction::Scroll { delta } => {
                self.drag_scroll_view(scroller, -delta.dx, -delta.dy);
            }
            ScrollProxyAction::Release { velocity } => {
                self.release_scroll_view(scroller, -velocity.x, -velocity.y);
            }
            ScrollProxyAction::Cancel => self.release_scroll_view(scroller, 0.0, 0.0),
        }
    }
}

/// What `worklet:ongesture` receives: `state` and the payload's fields by
/// their SPEC §4.6 names.
pub fn gesture_event_json(event: &GestureEvent) -> Value {
    let mut fields = Map::new();
    for (name, value) in event.fields() {
        let number = serde_json::Number::from_f64(value).unwrap_or_else(|| 0.into());
        fields.insert(name.to_owned(), Value::Number(number));
    }
    Value::Object(fields)
}

/// JavaScript's truthiness of a worklet's answer.
fn truthy(answer: &Value) -> bool {
    match answer {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// `simultaneous-handlers`: an array (`{{['a', 'b']}}`), or a string of
/// names separated by commas or spaces.
fn names_of(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::String(text) => text
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// The one element a handler wraps (through other virtual nodes, such as
/// an inner handler): the first with a box.
fn wrapped_child(tree: &crate::document::tree::PageTree, handler: NodeId) -> Option<NodeId> {
    let node = tree.get(handler)?;
    let mut boxes = Vec::new();
    for &child in &node.children {
        push_layout_child(tree, child, &mut boxes);
    }
    boxes.into_iter().find(|&c| {
        tree.get(c)
            .is_some_and(|n| !is_virtual(n) && n.tag().is_some())
    })
}

/// The scroll-view a `native-view` handler proxies: the first one inside
/// it, in document order.
pub(crate) fn proxied_scroll_view(
    tree: &crate::document::tree::PageTree,
    handler: NodeId,
) -> Option<NodeId> {
    tree.descendants(handler)
        .into_iter()
        .skip(1)
        .find(|&n| tree.get(n).is_some_and(crate::scroll::is_scroll_view))
}
