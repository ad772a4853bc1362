//! The clip stack: rounded clips as paths placed in device space (through
//! the transform in force when they were pushed), with their device bounds
//! for culling. Nested clips intersect exactly: each drawing surface pushes
//! the whole stack as vello clip paths (`surface::Surface::sync_clips`).
//!
//! Invariant: ids are unique within a frame, so a surface can tell which
//! clips it already has by id.

use vello_cpu::kurbo::{Affine, BezPath};

use super::path::{place, rounded_rect};
use super::transform::Projective;
use crate::display_list::{CornerRadii, Rect};
use crate::renderer::geometry::{clamp_radii, sane_rect, transformed_bounds};

pub struct Clip {
    pub id: u64,
    /// The clip shape, to be drawn with `transform`.
    pub path: BezPath,
    pub transform: Affine,
    /// Device bounds, within every enclosing clip's.
    pub bounds: Rect,
}

#[derive(Default)]
pub struct ClipStack {
    clips: Vec<Clip>,
    next_id: u64,
}

impl ClipStack {
    pub fn entries(&self) -> &[Clip] {
        &self.clips
    }

    /// Device bounds everything drawn now is clipped to.
    pub fn bounds(&self, viewport: &Rect) -> Rect {
        self.clips.last().map_or(*viewport, |c| c.bounds)
    }

    /// Pushes `rect` with `radii` under the column-major `matrix`.
    pub fn push(&mut self, rect: &Rect, radii: &CornerRadii, matrix: &[f32; 16], viewport: &Rect) {
        let parent = self.bounds(viewport);
        self.next_id += 1;
        let id = self.next_id;
        // As the GPU: a degenerate clip rectangle clips everything away.
        let Some(rect) = sane_rect(rect) else {
            self.clips.push(Clip {
                id,
                path: BezPath::new(),
                transform: Affine::IDENTITY,
                bounds: Rect::default(),
            });
            return;
        };
        let (rx, ry) = clamp_radii(radii, rect.width, rect.height);
        let local = rounded_rect(&rect, &rx, &ry);
        let map = Projective::from_matrix(matrix);
        let device = transformed_bounds(matrix, &rect);
        let bounds = device.unwrap_or(*viewport).intersect(&parent);
        let (path, transform) = match place(&local, &rect, &map, device.as_ref(), viewport) {
            Some(placed) => (placed.path.into_owned(), placed.transform),
            // Wholly behind the eye: nothing shows through.
            None => (BezPath::new(), Affine::IDENTITY),
        };
        self.clips.push(Clip {
            id,
            path,
            transform,
            bounds,
        });
    }

    /// Pops the innermost clip; a stray pop (empty stack) is ignored.
    pub fn pop(&mut self) {
        self.clips.pop();
    }
}
