//! The eight handler kinds, their states, and the thresholds they use.

/// A `*-gesture-handler` element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GestureKind {
    Pan,
    Tap,
    DoubleTap,
    LongPress,
    Scale,
    ForcePress,
    HorizontalDrag,
    VerticalDrag,
}

impl GestureKind {
    pub const ALL: [GestureKind; 8] = [
        GestureKind::Pan,
        GestureKind::Tap,
        GestureKind::DoubleTap,
        GestureKind::LongPress,
        GestureKind::Scale,
        GestureKind::ForcePress,
        GestureKind::HorizontalDrag,
        GestureKind::VerticalDrag,
    ];

    /// The element's tag name.
    pub fn element(self) -> &'static str {
        match self {
            GestureKind::Pan => "pan-gesture-handler",
            GestureKind::Tap => "tap-gesture-handler",
            GestureKind::DoubleTap => "double-tap-gesture-handler",
            GestureKind::LongPress => "long-press-gesture-handler",
            GestureKind::Scale => "scale-gesture-handler",
            GestureKind::ForcePress => "force-press-gesture-handler",
            GestureKind::HorizontalDrag => "horizontal-drag-gesture-handler",
            GestureKind::VerticalDrag => "vertical-drag-gesture-handler",
        }
    }

    /// The kind of a handler element, by tag name.
    pub fn from_element(tag: &str) -> Option<GestureKind> {
        GestureKind::ALL.into_iter().find(|k| k.element() == tag)
    }
}

/// `native-view`: the native scroller a handler proxies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NativeView {
    #[default]
    None,
    ScrollView,
    Swiper,
}

impl NativeView {
    /// The attribute's value; anything else proxies nothing.
    pub fn from_attribute(value: &str) -> NativeView {
        match value {
            "scroll-view" => NativeView::ScrollView,
            "swiper" => NativeView::Swiper,
            _ => NativeView::None,
        }
    }
}

/// `GestureState` (SPEC §4.6), with Skyline's numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GestureState {
    /// A pointer is down on the handler; not recognised yet.
    Possible = 0,
    /// Recognised.
    Begin = 1,
    /// An update.
    Active = 2,
    End = 3,
    Cancelled = 4,
}

impl GestureState {
    /// The number a worklet sees in `event.state`.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Thresholds, all Flutter's (`packages/flutter/lib/src/gestures/constants.dart`
/// unless said otherwise), which Skyline's arena follows.
pub mod consts {
    use std::time::Duration;

    /// `kTouchSlop`: how far a touch may move and still be a tap or a long
    /// press; what a horizontal or vertical drag must travel on its axis
    /// to claim (`computeHitSlop`).
    pub const TOUCH_SLOP: f32 = 18.0;
    /// `kPanSlop` (`kTouchSlop * 2`): what a pan must travel (any direction)
    /// to claim (`computePanSlop`). Being twice a drag's is why an outer
    /// vertical-drag beats an inner pan on a vertical swipe (Skyline's
    /// gesture guide relies on it).
    pub const PAN_SLOP: f32 = 36.0;
    /// `kScaleSlop` (`kTouchSlop`): how much the span must change for a
    /// scale to claim (or its focal point move [`PAN_SLOP`]).
    pub const SCALE_SLOP: f32 = 18.0;
    /// `kDoubleTapTimeout`: from the first tap's up (where `multitap.dart`
    /// starts its timer) to the second down.
    pub const DOUBLE_TAP_TIMEOUT: Duration = Duration::from_millis(300);
    /// `kDoubleTapMinTime`: a second down sooner than this after the first
    /// up is not a second tap (touch screens bounce).
    pub const DOUBLE_TAP_MIN_TIME: Duration = Duration::from_millis(40);
    /// `kDoubleTapSlop`: how far the second down may be from the first.
    pub const DOUBLE_TAP_SLOP: f32 = 100.0;
    /// `kDoubleTapTouchSlop` (`kTouchSlop`): how far each tap may move.
    pub const DOUBLE_TAP_TOUCH_SLOP: f32 = TOUCH_SLOP;
    /// `kLongPressTimeout`.
    pub const LONG_PRESS_TIMEOUT: Duration = Duration::from_millis(500);
    /// `kMinFlingVelocity`: a slower release ends a drag with no velocity.
    pub const MIN_FLING_VELOCITY: f32 = 50.0;
    /// `kMaxFlingVelocity`: release velocities are clamped to this.
    pub const MAX_FLING_VELOCITY: f32 = 8000.0;
    /// `force_press.dart`'s defaults: the normalised pressure that starts a
    /// force press, and its peak.
    pub const FORCE_PRESS_START: f32 = 0.4;
    pub const FORCE_PRESS_PEAK: f32 = 0.85;
}
