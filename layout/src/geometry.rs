//! Plain geometry shared by layout, paint and hit testing.

/// An axis-aligned rectangle: `x`, `y` is the top-left corner, y points
/// down. The unit is the user's (CSS px for geometry, device px in the
/// display list).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, width: f32, height: f32) -> Rect {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    pub fn right(&self) -> f32 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.height
    }

    /// True when the rectangle covers no area (or has NaN in it).
    pub fn is_empty(&self) -> bool {
        !(self.width > 0.0 && self.height > 0.0)
    }

    /// The rectangle grown by `amount` on every side (shrunk when negative).
    pub fn inflate(&self, amount: f32) -> Rect {
        Rect {
            x: self.x - amount,
            y: self.y - amount,
            width: self.width + 2.0 * amount,
            height: self.height + 2.0 * amount,
        }
    }

    /// The common part of two rectangles; empty (zero size) when disjoint.
    pub fn intersect(&self, other: &Rect) -> Rect {
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = self.right().min(other.right());
        let y1 = self.bottom().min(other.bottom());
        Rect {
            x: x0,
            y: y0,
            width: (x1 - x0).max(0.0),
            height: (y1 - y0).max(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rect_intersection_of_disjoint_rects_is_empty() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        let b = Rect::new(20.0, 0.0, 10.0, 10.0);
        assert!(a.intersect(&b).is_empty());
        let c = Rect::new(5.0, 5.0, 10.0, 10.0);
        assert_eq!(a.intersect(&c), Rect::new(5.0, 5.0, 5.0, 5.0));
    }

    #[test]
    fn nan_rect_is_empty() {
        assert!(Rect::new(0.0, 0.0, f32::NAN, 3.0).is_empty());
    }
}
