//! Hit regions: the geometry hit testing asks, recorded by the painter's
//! own walk (the webrender / vello way: the display list stays plain data,
//! and a parallel list says which node each painted box belongs to).
//!
//! While [`Painter`](super::Painter) writes a page's display list it
//! records, in painting order, one [`HitRegion`] per box that can be a
//! target: its node, its border box (device px, the very rect the display
//! list's background and border items use), the transform in force and the
//! clip chain in force. The transforms and clips are recorded where the
//! painter pushes its `PushTransform` / `PushClip` items, from the same
//! values, composed as the rasterisers compose them (enclosing * own;
//! a clip is in the space of the transform in force when it is pushed).
//! So whatever decides where a box is drawn (origins, fixed boxes against
//! the page, `z-index` order among siblings, `overflow: hidden`, virtual
//! nodes, transforms, scroll-view offsets, culling) decides where it is
//! hit: paint and hit testing agree by construction.
//!
//! [`crate::input::hit_test`] answers a point from these regions, from the
//! last painted down.
//!
//! Everything here is in device pixels of the window, as the display list.

use crate::ops::NodeId;
use cirrus_render::display_list::{multiply_matrices, IDENTITY_MATRIX};
use cirrus_render::{CornerRadii, Rect};

/// A transform of [`HitRegions`]: the product of every transform in force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TransformId(u32);

impl TransformId {
    /// No transform in force.
    pub const IDENTITY: TransformId = TransformId(0);
}

/// A clip of [`HitRegions`]; its chain runs through [`HitClip::parent`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClipId(u32);

/// One transform in force: what the rasterisers compose at a
/// `PushTransform` (the enclosing matrix times the item's).
#[derive(Clone, Debug, PartialEq)]
pub struct HitTransform {
    /// Column-major 4x4, device px.
    pub matrix: [f32; 16],
    /// The inverse of the plane's projection (the 3x3 homography of the
    /// z = 0 plane, row-major): screen point -> the point of the plane
    /// drawn there. `None` when the plane collapses to a line or a point
    /// (nothing drawn through it can be hit).
    inverse: Option<[f64; 9]>,
}

impl HitTransform {
    fn new(matrix: [f32; 16]) -> HitTransform {
        HitTransform {
            matrix,
            inverse: plane_inverse(&matrix),
        }
    }

    /// The point of the plane drawn at `point` (device px of the window),
    /// in the coordinates the painter used under this transform; `None`
    /// when nothing of the plane is drawn there.
    pub fn untransform(&self, point: (f32, f32)) -> Option<(f32, f32)> {
        let inv = self.inverse?;
        let (x, y) = (f64::from(point.0), f64::from(point.1));
        let lx = inv[0] * x + inv[1] * y + inv[2];
        let ly = inv[3] * x + inv[4] * y + inv[5];
        let lw = inv[6] * x + inv[7] * y + inv[8];
        if lw == 0.0 {
            return None;
        }
        let (lx, ly) = (lx / lw, ly / lw);
        // A point behind the viewer (perspective) is not drawn.
        let m = &self.matrix;
        let w = f64::from(m[3]) * lx + f64::from(m[7]) * ly + f64::from(m[15]);
        if w <= 0.0 {
            return None;
        }
        let local = (lx as f32, ly as f32);
        (local.0.is_finite() && local.1.is_finite()).then_some(local)
    }
}

/// The inverse of the homography `matrix` applies to the z = 0 plane
/// (columns x, y and w of rows x, y and w), as [`super::transform::apply`]
/// maps points.
fn plane_inverse(m: &[f32; 16]) -> Option<[f64; 9]> {
    let f = |i: usize| f64::from(m[i]);
    // Row-major [a b c; d e f; g h i].
    let (a, b, c) = (f(0), f(4), f(12));
    let (d, e, ff) = (f(1), f(5), f(13));
    let (g, h, i) = (f(3), f(7), f(15));
    let (co_a, co_b, co_c) = (e * i - ff * h, ff * g - d * i, d * h - e * g);
    let det = a * co_a + b * co_b + c * co_c;
    if !det.is_finite() || det.abs() < 1e-12 {
        return None;
    }
    let inv = [
        co_a / det,
        (c * h - b * i) / det,
        (b * ff - c * e) / det,
        co_b / det,
        (a * i - c * g) / det,
        (c * d - a * ff) / det,
        co_c / det,
        (b * g - a * h) / det,
        (a * e - b * d) / det,
    ];
    inv.iter().all(|v| v.is_finite()).then_some(inv)
}

/// One clip in force: a `PushClip` of the display list.
#[derive(Clone, Debug, PartialEq)]
pub struct HitClip {
    /// Device px, in the space of `transform`.
    pub rect: Rect,
    /// Elliptical corner radii, device px.
    pub radii: CornerRadii,
    /// The transform in force when the clip was pushed.
    pub transform: TransformId,
    /// The clip in force around this one.
    pub parent: Option<ClipId>,
}

impl HitClip {
    /// Whether the clip lets `point` (device px, in the clip's own space)
    /// through: inside the rect (half-open, as layout boxes), outside the
    /// rounded-off corners.
    pub fn contains(&self, point: (f32, f32)) -> bool {
        contains_rounded(&self.rect, &self.radii, point)
    }
}

/// One box that can be hit: `node`'s border box as painted.
#[derive(Clone, Debug, PartialEq)]
pub struct HitRegion {
    /// The element a point inside is delivered to (the owner, for a
    /// generated `::before` / `::after` box).
    pub node: NodeId,
    /// The border box, device px, in the space of `transform`.
    pub rect: Rect,
    /// The transform in force (the box's own included).
    pub transform: TransformId,
    /// The innermost clip in force (the box's own `overflow` excluded: it
    /// clips the children, not the box).
    pub clip: Option<ClipId>,
}

/// A page's hit regions in painting order (the last is on top), with the
/// transforms and clips they refer to.
#[derive(Clone, Debug, PartialEq)]
pub struct HitRegions {
    transforms: Vec<HitTransform>,
    clips: Vec<HitClip>,
    regions: Vec<HitRegion>,
}

impl Default for HitRegions {
    fn default() -> Self {
        HitRegions {
            transforms: vec![HitTransform::new(IDENTITY_MATRIX)],
            clips: Vec::new(),
            regions: Vec::new(),
        }
    }
}

impl HitRegions {
    pub fn new() -> HitRegions {
        HitRegions::default()
    }

    /// Forgets every region, keeping the allocations for the next walk.
    pub fn clear(&mut self) {
        self.transforms.truncate(1);
        self.clips.clear();
        self.regions.clear();
    }

    /// The regions in painting order: the last is on top.
    pub fn regions(&self) -> &[HitRegion] {
        &self.regions
    }

    pub fn transform(&self, id: TransformId) -> &HitTransform {
        &self.transforms[id.0 as usize]
    }

    pub fn clip(&self, id: ClipId) -> &HitClip {
        &self.clips[id.0 as usize]
    }

    /// The clips of a chain, innermost first.
    pub fn clip_chain(&self, innermost: Option<ClipId>) -> impl Iterator<Item = &HitClip> {
        std::iter::successors(innermost.map(|id| self.clip(id)), |c| {
            c.parent.map(|p| self.clip(p))
        })
    }

    /// `matrix` composed into `enclosing`, as a `PushTransform` does (a
    /// matrix with a non-finite entry counts as the identity, as in the
    /// rasterisers).
    pub(crate) fn push_transform(
        &mut self,
        enclosing: TransformId,
        matrix: &[f32; 16],
    ) -> TransformId {
        let matrix = if matrix.iter().all(|v| v.is_finite()) {
            matrix
        } else {
            &IDENTITY_MATRIX
        };
        let combined = multiply_matrices(&self.transform(enclosing).matrix, matrix);
        self.transforms.push(HitTransform::new(combined));
        TransformId(self.transforms.len() as u32 - 1)
    }

    /// A clip inside `parent`, as a `PushClip` under `transform`.
    pub(crate) fn push_clip(
        &mut self,
        rect: Rect,
        radii: CornerRadii,
        transform: TransformId,
        parent: Option<ClipId>,
    ) -> ClipId {
        self.clips.push(HitClip {
            rect,
            radii,
            transform,
            parent,
        });
        ClipId(self.clips.len() as u32 - 1)
    }

    pub(crate) fn push_region(&mut self, region: HitRegion) {
        self.regions.push(region);
    }
}

/// Whether `point` lies in `rect` (half-open) with corners rounded by
/// `radii`, scaled down where adjacent radii overlap (CSS Backgrounds
/// §5.5, as the rasterisers draw them).
pub(crate) fn contains_rounded(rect: &Rect, radii: &CornerRadii, point: (f32, f32)) -> bool {
    let (x, y) = point;
    if !(x >= rect.x && x < rect.right() && y >= rect.y && y < rect.bottom()) {
        return false;
    }
    let r = radii;
    let round = [r.top_left, r.top_right, r.bottom_right, r.bottom_left];
    if round.iter().all(|&(rx, ry)| rx <= 0.0 || ry <= 0.0) {
        return true;
    }
    let ratio = |side: f32, a: f32, b: f32| {
        if a + b > side {
            side / (a + b)
        } else {
            1.0
        }
    };
    let scale = ratio(rect.width, r.top_left.0, r.top_right.0)
        .min(ratio(rect.width, r.bottom_left.0, r.bottom_right.0))
        .min(ratio(rect.height, r.top_left.1, r.bottom_left.1))
        .min(ratio(rect.height, r.top_right.1, r.bottom_right.1));
    // Each corner's ellipse centre, and which side of it the corner is.
    let corners = [
        (r.top_left, rect.x, rect.y, -1.0, -1.0),
        (r.top_right, rect.right(), rect.y, 1.0, -1.0),
        (r.bottom_right, rect.right(), rect.bottom(), 1.0, 1.0),
        (r.bottom_left, rect.x, rect.bottom(), -1.0, 1.0),
    ];
    for ((rx, ry), cx, cy, sx, sy) in corners {
        let (rx, ry) = (rx * scale, ry * scale);
        if rx <= 0.0 || ry <= 0.0 {
            continue;
        }
        let (ex, ey) = (cx - sx * rx, cy - sy * ry);
        let (dx, dy) = (x - ex, y - ey);
        if dx * sx > 0.0 && dy * sy > 0.0 && (dx / rx).powi(2) + (dy / ry).powi(2) > 1.0 {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use cirrus_render::display_list::SQUARE_CORNERS;

    #[test]
    fn the_inverse_takes_a_drawn_point_back_to_the_plane() {
        let mut regions = HitRegions::new();
        // rotate(30deg) with perspective, around (50, 50).
        let m = super::super::transform::transform_matrix(
            &[
                cirrus_layout::style::TransformFunction::Perspective(400.0),
                cirrus_layout::style::TransformFunction::Rotate(0.0, 1.0, 0.0, 30.0),
                cirrus_layout::style::TransformFunction::Rotate(0.0, 0.0, 1.0, 30.0),
            ],
            (100.0, 100.0),
            (50.0, 50.0),
            2.0,
        );
        let id = regions.push_transform(TransformId::IDENTITY, &m);
        for p in [(0.0, 0.0), (10.0, 90.0), (73.0, 21.0)] {
            let drawn = super::super::transform::apply(&m, p);
            let back = regions
                .transform(id)
                .untransform(drawn)
                .expect("invertible");
            assert!((back.0 - p.0).abs() < 1e-3 && (back.1 - p.1).abs() < 1e-3);
        }
    }

    #[test]
    fn a_collapsed_plane_hits_nothing() {
        let mut regions = HitRegions::new();
        let mut m = IDENTITY_MATRIX;
        m[0] = 0.0;
        let id = regions.push_transform(TransformId::IDENTITY, &m);
        assert_eq!(regions.transform(id).untransform((1.0, 1.0)), None);
    }

    #[test]
    fn rounded_corners_are_cut_off() {
        let rect = Rect::new(0.0, 0.0, 100.0, 100.0);
        let radii = cirrus_layout::style::Corners::all((50.0, 50.0));
        assert!(contains_rounded(&rect, &radii, (50.0, 50.0)));
        assert!(contains_rounded(&rect, &radii, (50.0, 1.0)));
        assert!(!contains_rounded(&rect, &radii, (5.0, 5.0)));
        assert!(!contains_rounded(&rect, &radii, (96.0, 96.0)));
        assert!(contains_rounded(&rect, &SQUARE_CORNERS, (5.0, 5.0)));
        assert!(!contains_rounded(&rect, &SQUARE_CORNERS, (100.0, 5.0)));
        // Radii larger than the box are scaled down to fit (a circle).
        let huge = cirrus_layout::style::Corners::all((500.0, 500.0));
        assert!(contains_rounded(&rect, &huge, (50.0, 50.0)));
        assert!(!contains_rounded(&rect, &huge, (10.0, 10.0)));
    }
}
