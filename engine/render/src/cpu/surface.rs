//! Drawing surfaces: a vello `RenderContext` each. The frame's root is
//! one; a layer with a CSS filter gets its own (vello has no colour-matrix
//! filters, and its blur is experimental), rendered to pixels when the
//! layer ends, filtered on the CPU and drawn into the surface below.
//!
//! Invariant: `applied` lists, bottom to top, the ids of the clip paths
//! pushed into `ctx`; `sync_clips` makes it equal to the clip stack before
//! each draw, so clips and layers may nest in any order, as the display
//! list allows.

use vello_cpu::peniko::Fill;
use vello_cpu::RenderContext;

use super::clip::Clip;
use crate::display_list::Rect;

pub struct Surface {
    pub ctx: RenderContext,
    applied: Vec<u64>,
    /// Union of the device bounds of what was drawn here (what a filter
    /// has to process).
    pub drawn: Option<Rect>,
}

impl Surface {
    /// A surface on `ctx`, which must be reset.
    pub fn new(ctx: RenderContext) -> Surface {
        Surface {
            ctx,
            applied: Vec::new(),
            drawn: None,
        }
    }

    /// Pops and pushes vello clip paths until they are `clips`.
    pub fn sync_clips(&mut self, clips: &[Clip]) {
        let common = self
            .applied
            .iter()
            .zip(clips)
            .take_while(|(id, clip)| **id == clip.id)
            .count();
        while self.applied.len() > common {
            self.ctx.pop_clip();
            self.applied.pop();
        }
        for clip in &clips[common..] {
            self.ctx.set_transform(clip.transform);
            self.ctx.set_fill_rule(Fill::NonZero);
            self.ctx.push_clip_path(&clip.path);
            self.applied.push(clip.id);
        }
    }

    /// Records that `bounds` (device) was drawn.
    pub fn note_drawn(&mut self, bounds: Rect) {
        self.drawn = Some(match self.drawn {
            None => bounds,
            Some(a) => {
                let x0 = a.x.min(bounds.x);
                let y0 = a.y.min(bounds.y);
                let x1 = a.right().max(bounds.right());
                let y1 = a.bottom().max(bounds.bottom());
                Rect::new(x0, y0, x1 - x0, y1 - y0)
            }
        });
    }
}
