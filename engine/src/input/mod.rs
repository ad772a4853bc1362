//! Input as a phone delivers it (<https://developers.weixin.qq.com/miniprogram/dev/framework/view/wxml/event.html>): what the host reports
//! (pointers, the wheel, keys, text) becomes touch sequences, the gestures
//! read from them (`tap`, `longpress`), scrolling, and key and text events
//! for the focused element.
//!
//! - [`touch`]: touch tracking and gesture recognition;
//! - [`gestures`]: Skyline's gesture handlers and their arena, as plain
//!   data; [`gesture_router`] feeds it the touches and delivers its events
//!   through the stage's worklets;
//! - [`hover`]: `hover-class` and `:active` while pressed;
//! - [`hit_test`]: which element is under a point.
//!
//! Coordinates from the host are CSS px from the window's top-left corner.
//! Events for the page carry page coordinates (the page area starts below
//! the navigation bar; the page itself never scrolls, so `pageX == clientX`).

pub mod gesture_router;
pub mod gestures;
pub mod hit_test;
pub mod hover;
pub mod touch;

/// The phase of one pointer (a finger, or the mouse as a single touch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointerPhase {
    Down,
    Move,
    Up,
    /// The system took the pointer away (the window lost it): no gesture.
    Cancel,
}

/// What a host reports. Several pointers may be down at once (multi-touch);
/// each keeps its `id` from `Down` to `Up`/`Cancel`.
#[derive(Clone, Debug, PartialEq)]
pub enum InputEvent {
    Pointer {
        id: u32,
        phase: PointerPhase,
        x: f32,
        y: f32,
    },
    /// A wheel (or touchpad) scroll at a point: CSS px towards the
    /// content's end, as a wheel event's `deltaY`.
    Wheel { x: f32, y: f32, dx: f32, dy: f32 },
    /// A key press, by its W3C key name (`Enter`, `Backspace`, `a`).
    Key { key: String },
    /// Text from the keyboard or an IME: `composing` is the preedit (not
    /// yet committed) text, else a commit.
    Text { text: String, composing: bool },
}

impl InputEvent {
    pub fn down(id: u32, x: f32, y: f32) -> InputEvent {
        InputEvent::Pointer {
            id,
            phase: PointerPhase::Down,
            x,
            y,
        }
    }

    pub fn moved(id: u32, x: f32, y: f32) -> InputEvent {
        InputEvent::Pointer {
            id,
            phase: PointerPhase::Move,
            x,
            y,
        }
    }

    pub fn up(id: u32, x: f32, y: f32) -> InputEvent {
        InputEvent::Pointer {
            id,
            phase: PointerPhase::Up,
            x,
            y,
        }
    }
}
