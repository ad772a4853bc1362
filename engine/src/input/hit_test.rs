//! Hit testing: which element is topmost under a point of a page.
//!
//! The answer is read from the hit regions the painter recorded while
//! walking the page ([`crate::paint::hits`]), never from a walk of its own:
//! the regions are tried from the last painted down, and the first whose
//! border box, taken back through its transform, holds the point, and
//! whose clip chain lets the point through, is hit. So an element is hit
//! exactly where it is drawn: the same origins (fixed boxes against the
//! page), the same stacking (children by `z-index`, stable, painted later
//! = on top), `overflow: hidden` clipping the children to the padding box
//! (rounded corners included), virtual nodes (slots, `virtualHost` hosts)
//! being transparent, transforms (perspective included), scroll-view
//! offsets and culling (what is not painted cannot be hit).
//!
//! What is a target is decided where the regions are recorded
//! ([`crate::paint`]): an element unless it is `display: none`, `hidden`,
//! `visibility: hidden` or `pointer-events: none`; the last two are
//! inherited, but a descendant that sets them back is a target again, as
//! in CSS. Text runs are never targets: a point over text hits the element
//! that holds it, and a point over a `::before` / `::after` box hits its
//! owner.
//!
//! [`Stage::hit_test`](crate::stage::Stage::hit_test) asks in page
//! coordinates and makes sure the regions are those of the page as it is.

use crate::ops::NodeId;
use crate::paint::hits::{HitRegions, TransformId};

/// The node of the topmost region of `regions` under `point` (device px
/// of the window, as the display list).
pub fn hit_test(regions: &HitRegions, point: (f32, f32)) -> Option<NodeId> {
    // Consecutive regions mostly share a transform: map the point once.
    let mut mapped: Option<(TransformId, Option<(f32, f32)>)> = None;
    let mut local = |transform: TransformId| {
        if transform == TransformId::IDENTITY {
            return Some(point);
        }
        match mapped {
            Some((id, p)) if id == transform => p,
            _ => {
                let p = regions.transform(transform).untransform(point);
                mapped = Some((transform, p));
                p
            }
        }
    };
    regions.regions().iter().rev().find_map(|region| {
        let p = local(region.transform)?;
        let r = &region.rect;
        let inside = p.0 >= r.x && p.0 < r.right() && p.1 >= r.y && p.1 < r.bottom();
        (inside && clips_let_through(regions, region.clip, point)).then_some(region.node)
    })
}

/// Whether every clip of the chain from `innermost` holds `point` (device
/// px of the window), each in the space of its own transform.
fn clips_let_through(
    regions: &HitRegions,
    innermost: Option<crate::paint::hits::ClipId>,
    point: (f32, f32),
) -> bool {
    regions.clip_chain(innermost).all(|clip| {
        let p = match clip.transform {
            TransformId::IDENTITY => Some(point),
            t => regions.transform(t).untransform(point),
        };
        p.is_some_and(|p| clip.contains(p))
    })
}
