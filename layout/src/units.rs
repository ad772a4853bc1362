//! Typed units. Every length the engine stores is in one of these, so a value
//! can never be read in the wrong unit by accident (the gpui lesson).
//!
//! - [`Px`]: CSS pixels, the unit of layout and of the layout file.
//! - [`Rpx`]: responsive pixels; 750rpx is the window width.
//! - [`DevicePx`]: physical pixels on the render target (`Px * dpr`).

use serde::{Deserialize, Serialize};
use std::ops::{Add, Mul, Sub};

/// A length in CSS pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Px(pub f32);

/// A length in responsive pixels (750rpx == window width).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct Rpx(pub f32);

/// A length in physical device pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
pub struct DevicePx(pub f32);

impl Px {
    pub const ZERO: Px = Px(0.0);
    pub fn to_device(self, dpr: f32) -> DevicePx {
        DevicePx(self.0 * dpr)
    }
}

impl DevicePx {
    pub fn to_css(self, dpr: f32) -> Px {
        Px(self.0 / dpr)
    }
}

impl Add for Px {
    type Output = Px;
    fn add(self, o: Px) -> Px {
        Px(self.0 + o.0)
    }
}
impl Sub for Px {
    type Output = Px;
    fn sub(self, o: Px) -> Px {
        Px(self.0 - o.0)
    }
}
impl Mul<f32> for Px {
    type Output = Px;
    fn mul(self, k: f32) -> Px {
        Px(self.0 * k)
    }
}

/// What relative units resolve against: the window (for rpx, vw, vh) and the
/// root font size (for rem).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    pub width: Px,
    pub height: Px,
    /// Device pixel ratio: physical pixels per CSS pixel.
    pub dpr: f32,
}

impl Viewport {
    pub fn new(width: f32, height: f32, dpr: f32) -> Self {
        Viewport {
            width: Px(width),
            height: Px(height),
            dpr,
        }
    }
    pub fn rpx(&self, v: Rpx) -> Px {
        Px(v.0 * self.width.0 / 750.0)
    }
    pub fn vw(&self, v: f32) -> Px {
        Px(v * self.width.0 / 100.0)
    }
    pub fn vh(&self, v: f32) -> Px {
        Px(v * self.height.0 / 100.0)
    }
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport::new(375.0, 667.0, 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn rpx_is_window_width_over_750() {
        let vp = Viewport::new(375.0, 667.0, 2.0);
        assert_eq!(vp.rpx(Rpx(750.0)), Px(375.0));
        assert_eq!(vp.rpx(Rpx(100.0)), Px(50.0));
        assert_eq!(Px(10.0).to_device(2.0), DevicePx(20.0));
    }
}
