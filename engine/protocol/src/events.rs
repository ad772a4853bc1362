//! UI events the engine raises for a node: touches and the gestures read
//! from them, scrolls, image loads, transitions and animations, keys and
//! text. The logic thread turns one into the event object handlers get
//! (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>: `type`, `timeStamp`, `target`, `currentTarget`, `detail`,
//! `touches`, `changedTouches`), so every WeChat shape is built there.

use crate::ops::{NodeId, PageId};
use serde_json::{json, Value};

/// One event, raised on `node` of `page`; it bubbles or not by its name.
#[derive(Clone, Debug, PartialEq)]
pub struct UiEvent {
    pub page: PageId,
    pub node: NodeId,
    /// `tap`, `touchstart`, `scroll`, `load`, `transitionend`, ...
    pub name: String,
    pub detail: EventDetail,
    /// Touch events: the touches on the screen (for `touchend` and
    /// `touchcancel`, without the lifted ones).
    pub touches: Vec<Touch>,
    /// Touch events: the touches this event is about.
    pub changed_touches: Vec<Touch>,
    /// The page-relative top-left corners of the target and its ancestors
    /// (`offsetLeft`/`offsetTop` of `target` and `currentTarget`), as laid
    /// out when the event was raised; empty when the engine has no layout
    /// for them.
    pub offsets: Vec<NodeOffset>,
}

impl UiEvent {
    /// An event with only a detail (no touches, no offsets).
    pub fn new(page: PageId, node: NodeId, name: impl Into<String>, detail: EventDetail) -> Self {
        UiEvent {
            page,
            node,
            name: name.into(),
            detail,
            touches: Vec::new(),
            changed_touches: Vec::new(),
            offsets: Vec::new(),
        }
    }
}

/// A node's border-box corner relative to the page, CSS px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NodeOffset {
    pub node: NodeId,
    pub left: f32,
    pub top: f32,
}

/// One finger (or the mouse) on the screen, CSS px. `page*` is relative to
/// the page's top-left corner (it does not scroll), `client*` to the
/// window's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Touch {
    pub identifier: u32,
    pub page_x: f32,
    pub page_y: f32,
    pub client_x: f32,
    pub client_y: f32,
}

/// Which end of a scroll-view a `scrolltoupper`/`scrolltolower` reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScrollEdge {
    Top,
    Bottom,
    Left,
    Right,
}

impl ScrollEdge {
    /// The `detail.direction` WeChat reports.
    pub fn name(self) -> &'static str {
        match self {
            ScrollEdge::Top => "top",
            ScrollEdge::Bottom => "bottom",
            ScrollEdge::Left => "left",
            ScrollEdge::Right => "right",
        }
    }
}

/// The `detail` of an event, typed; the logic thread spells it the WeChat
/// way.
#[derive(Clone, Debug, PartialEq)]
pub enum EventDetail {
    /// `{}`.
    None,
    /// `tap`, `longpress`, `longtap`: `{x, y}`, the point in page
    /// coordinates (as on a phone, where the page is below the bars).
    Point { x: f32, y: f32 },
    /// `tap`: `{x, y}` as for `Point`. `after_longpress`: the finger was
    /// held long enough for a `longpress` first; the logic thread drops
    /// this tap when a `longpress` handler ran.
    Tap {
        x: f32,
        y: f32,
        after_longpress: bool,
    },
    /// An image's `load`: its natural size.
    ImageLoad { width: f32, height: f32 },
    /// An image's `error`: `{errMsg}`.
    ImageError { message: String },
    /// A scroll-view's `scroll`.
    Scroll {
        scroll_left: f32,
        scroll_top: f32,
        scroll_width: f32,
        scroll_height: f32,
        delta_x: f32,
        delta_y: f32,
    },
    /// `scrolltoupper` / `scrolltolower`: `{direction}`.
    ScrollEdge { direction: ScrollEdge },
    /// `transitionend`: `{propertyName, elapsedTime}` (seconds).
    Transition {
        property_name: String,
        elapsed_time: f64,
    },
    /// `animationstart` / `animationiteration` / `animationend`:
    /// `{animationName, elapsedTime}` (seconds).
    Animation {
        animation_name: String,
        elapsed_time: f64,
    },
    /// A key on the focused element: `{key, keyCode}`-style, W3C key name.
    Key { key: String },
    /// Text committed (or being composed, `composing`) by the keyboard or
    /// the IME into the focused element.
    Text { text: String, composing: bool },
    /// A JavaScript value given as it is (test harnesses, hosts).
    Value(Value),
}

impl EventDetail {
    /// `event.detail` as WeChat gives it for each kind of event.
    pub fn to_json(&self) -> Value {
        match self {
            EventDetail::None => json!({}),
            EventDetail::Point { x, y } | EventDetail::Tap { x, y, .. } => {
                json!({ "x": x, "y": y })
            }
            EventDetail::ImageLoad { width, height } => json!({ "width": width, "height": height }),
            EventDetail::ImageError { message } => json!({ "errMsg": message }),
            EventDetail::Scroll {
                scroll_left,
                scroll_top,
                scroll_width,
                scroll_height,
                delta_x,
                delta_y,
            } => json!({
                "scrollLeft": scroll_left,
                "scrollTop": scroll_top,
                "scrollWidth": scroll_width,
                "scrollHeight": scroll_height,
                "deltaX": delta_x,
                "deltaY": delta_y,
            }),
            EventDetail::ScrollEdge { direction } => json!({ "direction": direction.name() }),
            EventDetail::Transition {
                property_name,
                elapsed_time,
            } => json!({ "propertyName": property_name, "elapsedTime": elapsed_time }),
            EventDetail::Animation {
                animation_name,
                elapsed_time,
            } => json!({ "animationName": animation_name, "elapsedTime": elapsed_time }),
            EventDetail::Key { key } => json!({ "key": key }),
            EventDetail::Text { text, composing } => {
                json!({ "value": text, "composing": composing })
            }
            EventDetail::Value(value) => value.clone(),
        }
    }
}
