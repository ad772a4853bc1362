//! Paint: the node tree, its computed styles and its layout -> a
//! [`DisplayList`] (plain data, device pixels) for the renderer.
//!
//! Painting order follows CSS for the subset Skyline supports: for each box,
//! outer shadow, background, inset shadow, border, then content (text or
//! picture), then children, siblings ordered by `z-index` (stable, so equal
//! z-indexes keep document order; Skyline has no stacking contexts beyond
//! siblings). `transform` and `opacity` wrap the box and its subtree;
//! `overflow: hidden` clips the children to the padding box. A
//! scroll-view (a clipping box, see [`crate::scroll`]) paints its children
//! shifted by its scroll position and skips those entirely outside its
//! clip (grown by `cache-extent`): on-demand paint.
//!
//! Painting never changes layout: a transform/opacity/colour change costs a
//! repaint only.
//!
//! The same walk records the page's hit regions ([`hits`]) when asked
//! ([`Painter::record_hits`]): each box that can be a target, with the
//! transform and clip chain in force, in painting order. Hit testing
//! ([`crate::input::hit_test`]) reads only those, so a box is hit exactly
//! where it is painted. [`Painter::regions_only`] runs the walk for the
//! regions alone (no drawing), for a hit test asked before a frame was
//! painted.

mod background;
pub mod hits;
pub mod image_fit;
mod text;
pub use text::emit_paragraph;
pub use text::{measure_plain_text, paint_plain_text};
pub mod transform;

use crate::document::tree::{Node, PageTree};
use crate::images::ImageStore;
use crate::ops::NodeId;
use crate::package::Package;
use background::BoxRects;
use cirrus_layout::style::{
    BorderStyle, ComputedStyle, Display, Overflow, PointerEvents, Position, Visibility,
};
use cirrus_layout::text::TextSystem;
use cirrus_render::{CornerRadii, DisplayItem, DisplayList, Rect};
use hits::{ClipId, HitRegion, HitRegions, TransformId};
use image_fit::ImageMode;

/// Where a page's own files are, to resolve relative `src` and `url()`.
#[derive(Clone, Debug)]
pub struct PageFiles {
    /// e.g. `pages/index/index.wxml`
    pub wxml: String,
    /// e.g. `pages/index/index.wxss`
    pub wxss: String,
}

/// Builds one page's display list.
pub struct Painter<'a> {
    pub(crate) list: &'a mut DisplayList,
    pub(crate) tree: &'a PageTree,
    pub(crate) text: &'a mut TextSystem,
    pub(crate) images: &'a mut ImageStore,
    pub(crate) package: &'a Package,
    pub(crate) files: &'a PageFiles,
    pub(crate) dpr: f32,
    /// The part of the page the window shows (width, height in CSS px from
    /// the page's corner): page children wholly outside it are not painted.
    page_window: Option<(f32, f32)>,
    /// The page area (CSS px of the window) the page is clipped to, when
    /// the bars cover part of the window.
    page_clip: Option<Rect>,
    /// Where the walk records hit regions, if asked.
    hits: Option<&'a mut HitRegions>,
    /// The transform and clip in force, for the regions recorded now.
    hit_state: HitState,
    /// `hit_state` around each open `PushTransform` / `PushClip`.
    hit_stack: Vec<HitState>,
    /// Whether drawing items are written (false: [`Painter::regions_only`]).
    draw: bool,
}

/// The transform and the innermost clip in force at a point of the walk.
#[derive(Clone, Copy, Debug)]
struct HitState {
    transform: TransformId,
    clip: Option<ClipId>,
}

impl<'a> Painter<'a> {
    pub fn new(
        list: &'a mut DisplayList,
        tree: &'a PageTree,
        text: &'a mut TextSystem,
        images: &'a mut ImageStore,
        package: &'a Package,
        files: &'a PageFiles,
        dpr: f32,
    ) -> Self {
        Painter {
            list,
            tree,
            text,
            images,
            package,
            files,
            dpr,
            page_window: None,
            page_clip: None,
            hits: None,
            hit_state: HitState {
                transform: TransformId::IDENTITY,
                clip: None,
            },
            hit_stack: Vec::new(),
            draw: true,
        }
    }

    /// Paints only the page children that reach into `width` x `height`
    /// from the page's corner (what the window shows of a page, which never
    /// scrolls).
    pub fn cull_to_window(mut self, width: f32, height: f32) -> Self {
        self.page_window = Some((width, height));
        self
    }

    /// Clips the page to `area` (CSS px of the window): the part the
    /// navigation and tab bars leave it.
    pub fn clip_page_to(mut self, area: Rect) -> Self {
        self.page_clip = Some(area);
        self
    }

    /// Records the page's hit regions into `regions` (cleared first) while
    /// painting: see [`hits`].
    pub fn record_hits(mut self, regions: &'a mut HitRegions) -> Self {
        regions.clear();
        self.hits = Some(regions);
        self
    }

    /// Walks without drawing: only the hit regions are recorded (pictures
    /// and text are neither loaded nor shaped). The walk is the painting
    /// walk itself, so the regions are those a paint would record.
    pub fn regions_only(mut self) -> Self {
        self.draw = false;
        self
    }

    /// Paints the page at `offset` (CSS px; the page's scroll position or
    /// the navigation bar height, negated as needed).
    pub fn paint_page(&mut self, offset: (f32, f32)) {
        let clip = self.page_clip;
        if let Some(area) = clip {
            let rect = to_device(area, self.dpr);
            self.push_clip(rect, cirrus_render::display_list::SQUARE_CORNERS);
        }
        self.paint_node(NodeId::ROOT, offset, offset);
        if clip.is_some() {
            self.pop_clip();
        }
    }

    /// `PushTransform`, and the transform the regions recorded until the
    /// matching [`pop_transform`](Self::pop_transform) are under.
    fn push_transform(&mut self, matrix: [f32; 16]) {
        if let Some(hits) = self.hits.as_deref_mut() {
            self.hit_stack.push(self.hit_state);
            self.hit_state.transform = hits.push_transform(self.hit_state.transform, &matrix);
        }
        if self.draw {
            self.list.push(DisplayItem::PushTransform { matrix });
        }
    }

    fn pop_transform(&mut self) {
        if self.hits.is_some() {
            self.hit_state = self.hit_stack.pop().unwrap_or(self.hit_state);
        }
        if self.draw {
            self.list.push(DisplayItem::PopTransform);
        }
    }

    /// `PushClip`, and the clip the regions recorded until the matching
    /// [`pop_clip`](Self::pop_clip) are inside.
    fn push_clip(&mut self, rect: Rect, radii: CornerRadii) {
        if let Some(hits) = self.hits.as_deref_mut() {
            self.hit_stack.push(self.hit_state);
            let HitState { transform, clip } = self.hit_state;
            self.hit_state.clip = Some(hits.push_clip(rect, radii, transform, clip));
        }
        if self.draw {
            self.list.push(DisplayItem::PushClip { rect, radii });
        }
    }

    fn pop_clip(&mut self) {
        if self.hits.is_some() {
            self.hit_state = self.hit_stack.pop().unwrap_or(self.hit_state);
        }
        if self.draw {
            self.list.push(DisplayItem::PopClip);
        }
    }

    /// Records that a point inside `border` (device px, as painted) under
    /// the transform and clips in force hits `node`.
    fn record_hit(&mut self, node: NodeId, border: Rect) {
        if let Some(hits) = self.hits.as_deref_mut() {
            hits.push_region(HitRegion {
                node,
                rect: border,
                transform: self.hit_state.transform,
                clip: self.hit_state.clip,
            });
        }
    }

    /// `parent_origin`: the parent's border-box corner (absolute CSS px);
    /// `page_origin`: the page's, for `position: fixed` boxes.
    fn paint_node(&mut self, id: NodeId, parent_origin: (f32, f32), page_origin: (f32, f32)) {
        let tree = self.tree;
        let Some(node) = tree.get(id) else { return };
        if !node.is_element() {
            // Bare text runs are laid out as their own paragraph boxes.
            let layout = node.layout.layout();
            let origin = (
                parent_origin.0 + layout.location.x,
                parent_origin.1 + layout.location.y,
            );
            if let Some(parent) = node.parent.and_then(|p| tree.get(p)) {
                if self.draw && parent.style.visibility == Visibility::Visible {
                    self.paint_paragraph(node, origin, layout.size.width);
                }
            }
            return;
        }
        let style = &node.style;
        let hidden_by_style =
            style.display == Display::None && !crate::style::scopes::is_gesture_handler(node);
        if hidden_by_style || node.attrs.hidden {
            return;
        }
        if crate::style::scopes::is_virtual(node) {
            // No box of its own: its children were laid out in the parent's
            // box, so they paint from the parent's origin.
            for child in paint_order(tree, node) {
                self.paint_node(child, parent_origin, page_origin);
            }
            return;
        }
        let layout = node.layout.layout();
        let base = if style.position == Position::Fixed {
            page_origin
        } else {
            parent_origin
        };
        let origin = (base.0 + layout.location.x, base.1 + layout.location.y);
        let size = (layout.size.width, layout.size.height);
        let rects = box_rects(origin, size, layout);

        let transformed = !style.transform.is_empty();
        if transformed {
            let o = (
                (origin.0 + style.transform_origin.0.resolve(size.0)) * self.dpr,
                (origin.1 + style.transform_origin.1.resolve(size.1)) * self.dpr,
            );
            let matrix = transform::transform_matrix(&style.transform, size, o, self.dpr);
            self.push_transform(matrix);
        }
        let layered = self.draw && (style.opacity < 1.0 || style.filter.is_some());
        if layered {
            self.list.push(DisplayItem::PushLayer {
                opacity: style.opacity.clamp(0.0, 1.0),
                filter: style.filter,
            });
        }

        let visible = style.visibility == Visibility::Visible;
        // A target unless hidden or `pointer-events: none` (both inherited,
        // and a descendant may turn them back on). A generated box is its
        // owner's: a point over it hits the element it was generated for.
        if visible && style.pointer_events != PointerEvents::None {
            let target = match id.0 >= crate::document::tree::PSEUDO_ID_BASE {
                true => node.parent,
                false => Some(id),
            };
            if let Some(target) = target {
                self.record_hit(target, to_device(rects.border, self.dpr));
            }
        }
        if visible && self.draw {
            self.paint_box(node, &rects);
        }

        let clipped = style.overflow == Overflow::Hidden;
        if clipped {
            let radii = inner_radii(corner_radii(style, rects.border, self.dpr), style, self.dpr);
            self.push_clip(to_device(rects.padding, self.dpr), radii);
        }
        if node.layout.paragraph.is_some() {
            if visible && self.draw {
                self.paint_paragraph(
                    node,
                    (rects.content.x, rects.content.y),
                    rects.content.width,
                );
            }
        } else {
            // A scroll-view shows its children shifted by its scroll
            // position, and only those that reach into its clip.
            let (dx, dy) = crate::scroll::scroll_offset(node);
            let children_origin = (origin.0 - dx, origin.1 - dy);
            let in_order = crate::scroll::children_in_view(node, true)
                .or_else(|| {
                    let window = self.page_window.filter(|_| id == NodeId::ROOT)?;
                    let (_, index) = tree.page_index.as_ref()?;
                    Some(index.page_children(node, window))
                })
                .unwrap_or_else(|| paint_order(tree, node));
            // Generated boxes are the first and last children.
            let children = node.pseudo[0]
                .into_iter()
                .chain(in_order)
                .chain(node.pseudo[1]);
            for child in children {
                self.paint_node(child, children_origin, page_origin);
            }
        }
        if clipped {
            self.pop_clip();
        }
        if layered {
            self.list.push(DisplayItem::PopLayer);
        }
        if transformed {
            self.pop_transform();
        }
    }

    /// Shadows, background, border and replaced content of one box.
    fn paint_box(&mut self, node: &Node, rects: &BoxRects) {
        let style = &node.style;
        let radii = corner_radii(style, rects.border, self.dpr);
        let border_dev = to_device(rects.border, self.dpr);
        let d = self.dpr;
        if let Some(sh) = style
            .box_shadow
            .filter(|s| !s.inset && !s.color.is_transparent())
        {
            self.list.push(DisplayItem::BoxShadow {
                rect: border_dev,
                radii,
                offset: (sh.offset_x * d, sh.offset_y * d),
                blur: sh.blur * d,
                spread: sh.spread * d,
                color: sh.color,
                inset: false,
            });
        }
        let wxss = self.files.wxss.clone();
        self.paint_background(style, rects, &wxss);
        if let Some(sh) = style
            .box_shadow
            .filter(|s| s.inset && !s.color.is_transparent())
        {
            self.list.push(DisplayItem::BoxShadow {
                rect: to_device(rects.padding, d),
                radii: inner_radii(radii, style, d),
                offset: (sh.offset_x * d, sh.offset_y * d),
                blur: sh.blur * d,
                spread: sh.spread * d,
                color: sh.color,
                inset: true,
            });
        }
        let w = style.border_width;
        if w.top + w.right + w.bottom + w.left > 0.0 {
            let visible = |s: BorderStyle| !matches!(s, BorderStyle::None | BorderStyle::Hidden);
            let bs = style.border_style;
            if visible(bs.top) || visible(bs.right) || visible(bs.bottom) || visible(bs.left) {
                self.list.push(DisplayItem::Border {
                    rect: border_dev,
                    widths: cirrus_layout::style::Sides {
                        top: w.top * d,
                        right: w.right * d,
                        bottom: w.bottom * d,
                        left: w.left * d,
                    },
                    colors: style.border_color,
                    styles: bs,
                    radii,
                });
            }
        }
        if node.tag() == Some("image") {
            self.paint_image_element(node, rects, radii);
        }
    }

    fn paint_image_element(&mut self, node: &Node, rects: &BoxRects, radii: CornerRadii) {
        let Some(src) = node.attrs.get_str("src") else {
            return;
        };
        let wxml = self.files.wxml.clone();
        // `lazy-load` images start from the stage's scan, not from paint.
        let lazy = crate::images::lazy::is_lazy(node);
        let size = match lazy {
            true => self.images.peek(&wxml, src).map(|img| img.size()),
            false => self
                .images
                .get(self.package, &wxml, src)
                .map(|img| img.size()),
        };
        let Some(size) = size else {
            return;
        };
        let mode = ImageMode::parse(node.attrs.get_str("mode"));
        let (dest, src_rect) = mode.fit(rects.content, size);
        let clip = rects.content;
        let d = self.dpr;
        // SVG is rasterised at the device size it is drawn at.
        let Some(img) =
            (self.images).get_at_size(self.package, &wxml, src, (dest.width * d, dest.height * d))
        else {
            return;
        };
        let (key, src_rect) = (img.key, img.to_pixels(src_rect));
        // Pictures larger than the box (aspectFill, crop modes) are cut at
        // the content box, rounded with the box's corners.
        let needs_clip = dest.x < clip.x
            || dest.y < clip.y
            || dest.right() > clip.right()
            || dest.bottom() > clip.bottom();
        // Straight into the list: no hit region is recorded inside it.
        if needs_clip {
            self.list.push(DisplayItem::PushClip {
                rect: to_device(clip, d),
                radii,
            });
        }
        self.list.push(DisplayItem::Image {
            rect: to_device(dest, d),
            key,
            src: src_rect,
            radii: if needs_clip {
                cirrus_render::display_list::SQUARE_CORNERS
            } else {
                radii
            },
            tile: None,
            opacity: 1.0,
        });
        if needs_clip {
            self.list.push(DisplayItem::PopClip);
        }
    }
}

/// Children in painting order: by z-index, stable. Virtual children
/// (slots, virtualHost hosts) are replaced by their own children.
pub(crate) fn paint_order(tree: &PageTree, node: &Node) -> Vec<NodeId> {
    let mut flattened = Vec::with_capacity(node.children.len());
    for &child in &node.children {
        crate::style::scopes::push_layout_child(tree, child, &mut flattened);
    }
    let mut children: Vec<(f32, NodeId)> = flattened
        .iter()
        .map(|&c| (tree.get(c).and_then(|n| n.style.z_index).unwrap_or(0.0), c))
        .collect();
    children.sort_by(|a, b| a.0.total_cmp(&b.0));
    children.into_iter().map(|(_, c)| c).collect()
}

/// Border, padding and content boxes (absolute CSS px) from a taffy layout.
fn box_rects(
    origin: (f32, f32),
    size: (f32, f32),
    layout: &cirrus_layout::taffy::Layout,
) -> BoxRects {
    let border = Rect::new(origin.0, origin.1, size.0, size.1);
    let b = layout.border;
    let padding = Rect::new(
        border.x + b.left,
        border.y + b.top,
        (border.width - b.left - b.right).max(0.0),
        (border.height - b.top - b.bottom).max(0.0),
    );
    let p = layout.padding;
    let content = Rect::new(
        padding.x + p.left,
        padding.y + p.top,
        (padding.width - p.left - p.right).max(0.0),
        (padding.height - p.top - p.bottom).max(0.0),
    );
    BoxRects {
        border,
        padding,
        content,
    }
}

pub(crate) fn to_device(r: Rect, dpr: f32) -> Rect {
    Rect::new(r.x * dpr, r.y * dpr, r.width * dpr, r.height * dpr)
}

/// Outer corner radii in device px; percentages refer to the border box.
pub(crate) fn corner_radii(style: &ComputedStyle, border_box: Rect, dpr: f32) -> CornerRadii {
    let r = |c: cirrus_layout::style::Radius| {
        (
            c.x.resolve(border_box.width).max(0.0) * dpr,
            c.y.resolve(border_box.height).max(0.0) * dpr,
        )
    };
    let br = style.border_radius;
    cirrus_layout::style::Corners {
        top_left: r(br.top_left),
        top_right: r(br.top_right),
        bottom_right: r(br.bottom_right),
        bottom_left: r(br.bottom_left),
    }
}

/// Radii of the padding edge: outer radii less the adjacent border widths.
fn inner_radii(outer: CornerRadii, style: &ComputedStyle, dpr: f32) -> CornerRadii {
    let w = style.border_width;
    let shrink = |(rx, ry): (f32, f32), bx: f32, by: f32| {
        ((rx - bx * dpr).max(0.0), (ry - by * dpr).max(0.0))
    };
    cirrus_layout::style::Corners {
        top_left: shrink(outer.top_left, w.left, w.top),
        top_right: shrink(outer.top_right, w.right, w.top),
        bottom_right: shrink(outer.bottom_right, w.right, w.bottom),
        bottom_left: shrink(outer.bottom_left, w.left, w.bottom),
    }
}
