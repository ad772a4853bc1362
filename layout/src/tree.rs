//! Layout of the engine's node tree with taffy's low-level API.
//!
//! The engine owns the tree; each node holds a [`LayoutBox`] (its taffy style,
//! its paragraph if it is a text leaf, taffy's cache and the computed layout)
//! and the engine implements [`LayoutHost`] over it. [`compute_layout`] then
//! runs taffy's flexbox / block / leaf algorithms as plain functions over a
//! private adapter that borrows the host and the [`TextSystem`].
//!
//! Contract with the host (the invariants incremental layout relies on):
//! - `layout_children` returns the children taffy lays out, already sorted
//!   by CSS `order` (see [`crate::taffy_style::sort_by_order`]); text runs
//!   inside a paragraph are not children, they are the paragraph.
//! - A box with a `paragraph` is a leaf: its children, if any, are ignored
//!   for measuring (the paragraph is measured instead).
//! - Whenever a box's style, paragraph or child list changes, the host calls
//!   [`LayoutBox::mark_dirty`] on it AND on every ancestor up to the root
//!   ([`mark_dirty_upwards`] does this given a parent lookup). Untouched
//!   subtrees keep their caches, and taffy skips them when their inputs are
//!   unchanged: only dirty subtrees are laid out again.
//! - Layouts are not rounded: `layout().location` is relative to the parent's
//!   border box and `layout().size` is the border box, in fractional CSS px
//!   (Chromium's layout is fractional too; fixtures compare within 0.5 px).
//! - Fixed boxes are absolute in taffy (see [`crate::taffy_style`]); the host
//!   makes them children of the page root so they are placed against it.

use crate::text::TextSystem;
use crate::units::Viewport;
use taffy::geometry::{Line, Point, Size};
use taffy::style::AvailableSpace;
use taffy::tree::{
    Cache, Layout, LayoutInput, LayoutOutput, NodeId, RequestedAxis, RunMode, SizingMode,
};
use taffy::{
    compute_block_layout, compute_cached_layout, compute_flexbox_layout, compute_hidden_layout,
    compute_leaf_layout, CacheTree, LayoutBlockContainer, LayoutFlexboxContainer,
    LayoutPartialTree, ResolveOrZero, TraversePartialTree,
};

use crate::text::Paragraph;

/// What layout keeps per node.
#[derive(Clone, Debug)]
pub struct LayoutBox {
    pub style: taffy::Style,
    /// The text of a text leaf, measured with the [`TextSystem`].
    pub paragraph: Option<Paragraph>,
    cache: Cache,
    layout: Layout,
}

impl LayoutBox {
    pub fn new(style: taffy::Style) -> Self {
        LayoutBox {
            style,
            paragraph: None,
            cache: Cache::new(),
            layout: Layout::with_order(0),
        }
    }

    pub fn with_paragraph(style: taffy::Style, paragraph: Paragraph) -> Self {
        LayoutBox {
            paragraph: Some(paragraph),
            ..LayoutBox::new(style)
        }
    }

    /// Replaces the style and clears this box's cache (the host still marks
    /// the ancestors dirty).
    pub fn set_style(&mut self, style: taffy::Style) {
        if self.style != style {
            self.style = style;
            self.mark_dirty();
        }
    }

    /// Replaces the paragraph and clears this box's cache when it changed.
    pub fn set_paragraph(&mut self, paragraph: Option<Paragraph>) {
        if self.paragraph != paragraph {
            self.paragraph = paragraph;
            self.mark_dirty();
        }
    }

    /// The computed layout: location relative to the parent's border box,
    /// size of the border box, plus padding, border and margin. Unrounded.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Clears this box's cached layout results.
    pub fn mark_dirty(&mut self) {
        self.cache.clear();
    }

    /// True while the box has no cached layout (never laid out, or dirty).
    pub fn is_dirty(&self) -> bool {
        self.cache.is_empty()
    }
}

impl Default for LayoutBox {
    fn default() -> Self {
        LayoutBox::new(taffy::Style::default())
    }
}

/// The engine's node tree, as layout sees it.
pub trait LayoutHost {
    /// Children in CSS `order` order.
    fn layout_children(&self, node: NodeId) -> &[NodeId];
    fn layout_box(&self, node: NodeId) -> &LayoutBox;
    fn layout_box_mut(&mut self, node: NodeId) -> &mut LayoutBox;
}

/// Marks `node` and all its ancestors dirty.
pub fn mark_dirty_upwards<H: LayoutHost>(
    host: &mut H,
    node: NodeId,
    parent_of: impl Fn(NodeId) -> Option<NodeId>,
) {
    let mut current = Some(node);
    while let Some(id) = current {
        host.layout_box_mut(id).mark_dirty();
        current = parent_of(id);
    }
}

/// Lays out the tree under `root` (the page element): its width is the
/// viewport's (unless its style sets one), its height is auto (the host
/// gives it `min_height` = the viewport height), percentages of its own
/// size resolve against the viewport.
///
/// Returns the text leaves the frame's shaping budget put off
/// ([`crate::text::MAX_SHAPED_CHARS_PER_FRAME`]): they were measured empty;
/// the host marks them dirty and lays out again in a later frame.
pub fn compute_layout<H: LayoutHost>(
    host: &mut H,
    root: NodeId,
    viewport: Viewport,
    text: &mut TextSystem,
) -> Vec<NodeId> {
    let viewport_size = Size {
        width: viewport.width.0.max(0.0),
        height: viewport.height.0.max(0.0),
    };
    // Each layout pass gets the whole shaping budget (a host that lays
    // out without painting never ends a text frame).
    text.renew_shaping_budget();
    let mut pass = LayoutPass {
        host,
        text,
        deferred: Vec::new(),
    };

    let style = &pass.host.layout_box(root).style;
    let margin = style.margin.map(|side| {
        side.resolve_to_option(viewport_size.width, |_, _| 0.0)
            .unwrap_or(0.0)
    });
    let padding = style
        .padding
        .map(|side| side.resolve_or_zero(Some(viewport_size.width), |_, _| 0.0));
    let border = style
        .border
        .map(|side| side.resolve_or_zero(Some(viewport_size.width), |_, _| 0.0));
    // The page fills the viewport's width like a block does; an explicit
    // width on it wins, resolved by taffy.
    let known_width = style
        .size
        .width
        .is_auto()
        .then(|| (viewport_size.width - margin.left - margin.right).max(0.0));

    let output = pass.compute_child_layout(
        root,
        LayoutInput {
            run_mode: RunMode::PerformLayout,
            sizing_mode: SizingMode::InherentSize,
            axis: RequestedAxis::Both,
            known_dimensions: Size {
                width: known_width,
                height: None,
            },
            parent_size: Size {
                width: Some(viewport_size.width),
                height: Some(viewport_size.height),
            },
            available_space: Size {
                width: AvailableSpace::Definite(viewport_size.width),
                height: AvailableSpace::MaxContent,
            },
            vertical_margins_are_collapsible: Line::FALSE,
        },
    );
    pass.set_unrounded_layout(
        root,
        &Layout {
            order: 0,
            location: Point {
                x: margin.left,
                y: margin.top,
            },
            size: output.size,
            content_size: output.content_size,
            scrollbar_size: Size::ZERO,
            border,
            padding,
            margin,
        },
    );
    pass.deferred
}

/// The baseline of a text leaf's first line from the top of its border box
/// (taffy's flex `align-items: baseline` reads it), given its border-box width.
fn first_text_baseline(
    text: &mut TextSystem,
    paragraph: &Paragraph,
    style: &taffy::Style,
    inputs: &LayoutInput,
    border_box_width: f32,
) -> Option<f32> {
    let basis = inputs.parent_size.width;
    let padding = style
        .padding
        .map(|side| side.resolve_or_zero(basis, |_, _| 0.0));
    let border = style
        .border
        .map(|side| side.resolve_or_zero(basis, |_, _| 0.0));
    let content_width =
        border_box_width - padding.left - padding.right - border.left - border.right;
    text.first_baseline(paragraph, content_width.max(0.0))
        .map(|baseline| baseline + padding.top + border.top)
}

/// Borrows the host and the text system for one layout pass; implements
/// taffy's tree traits over them.
struct LayoutPass<'a, H: LayoutHost> {
    host: &'a mut H,
    text: &'a mut TextSystem,
    /// Leaves whose paragraph the frame's shaping budget put off.
    deferred: Vec<NodeId>,
}

impl<H: LayoutHost> TraversePartialTree for LayoutPass<'_, H> {
    type ChildIter<'b>
        = std::iter::Copied<std::slice::Iter<'b, NodeId>>
    where
        Self: 'b;

    fn child_ids(&self, parent: NodeId) -> Self::ChildIter<'_> {
        self.host.layout_children(parent).iter().copied()
    }

    fn child_count(&self, parent: NodeId) -> usize {
        self.host.layout_children(parent).len()
    }

    fn get_child_id(&self, parent: NodeId, index: usize) -> NodeId {
        self.host.layout_children(parent)[index]
    }
}

impl<H: LayoutHost> LayoutPartialTree for LayoutPass<'_, H> {
    type CoreContainerStyle<'b>
        = &'b taffy::Style
    where
        Self: 'b;
    type CustomIdent = String;

    fn get_core_container_style(&self, node: NodeId) -> Self::CoreContainerStyle<'_> {
        &self.host.layout_box(node).style
    }

    fn resolve_calc_value(&self, val: *const (), basis: f32) -> f32 {
        crate::calc::resolve(val, basis)
    }

    fn set_unrounded_layout(&mut self, node: NodeId, layout: &Layout) {
        self.host.layout_box_mut(node).layout = *layout;
    }

    fn compute_child_layout(&mut self, node: NodeId, inputs: LayoutInput) -> LayoutOutput {
        // An ancestor is display:none: this whole subtree is hidden.
        if inputs.run_mode == RunMode::PerformHiddenLayout {
            return compute_hidden_layout(self, node);
        }
        compute_cached_layout(self, node, inputs, |pass, node, inputs| {
            let layout_box = pass.host.layout_box(node);
            let display = layout_box.style.display;
            let is_leaf =
                layout_box.paragraph.is_some() || pass.host.layout_children(node).is_empty();
            match display {
                taffy::Display::None => compute_hidden_layout(pass, node),
                _ if is_leaf => {
                    let layout_box = pass.host.layout_box(node);
                    let text = &mut *pass.text;
                    let mut output = compute_leaf_layout(
                        inputs,
                        &layout_box.style,
                        |_, _| 0.0,
                        |known, available| match &layout_box.paragraph {
                            Some(paragraph) => text.measure(paragraph, known, available),
                            None => Size::ZERO,
                        },
                    );
                    if let Some(paragraph) = &layout_box.paragraph {
                        output.first_baselines.y = first_text_baseline(
                            text,
                            paragraph,
                            &layout_box.style,
                            &inputs,
                            output.size.width,
                        );
                    }
                    if text.take_deferred() > 0 {
                        pass.deferred.push(node);
                    }
                    output
                }
                taffy::Display::Block => compute_block_layout(pass, node, inputs),
                // Flex, and grid (which Skyline does not support) as flex.
                _ => compute_flexbox_layout(pass, node, inputs),
            }
        })
    }
}

impl<H: LayoutHost> CacheTree for LayoutPass<'_, H> {
    fn cache_get(
        &self,
        node: NodeId,
        known_dimensions: Size<Option<f32>>,
        available_space: Size<AvailableSpace>,
        run_mode: RunMode,
    ) -> Option<LayoutOutput> {
        self.host
            .layout_box(node)
            .cache
            .get(known_dimensions, available_space, run_mode)
    }

    fn cache_store(
        &mut self,
        node: NodeId,
        known_dimensions: Size<Option<f32>>,
        available_space: Size<AvailableSpace>,
        run_mode: RunMode,
        layout_output: LayoutOutput,
    ) {
        self.host.layout_box_mut(node).cache.store(
            known_dimensions,
            available_space,
            run_mode,
            layout_output,
        )
    }

    fn cache_clear(&mut self, node: NodeId) {
        self.host.layout_box_mut(node).cache.clear();
    }
}

impl<H: LayoutHost> LayoutFlexboxContainer for LayoutPass<'_, H> {
    type FlexboxContainerStyle<'b>
        = &'b taffy::Style
    where
        Self: 'b;
    type FlexboxItemStyle<'b>
        = &'b taffy::Style
    where
        Self: 'b;

    fn get_flexbox_container_style(&self, node: NodeId) -> Self::FlexboxContainerStyle<'_> {
        &self.host.layout_box(node).style
    }

    fn get_flexbox_child_style(&self, child: NodeId) -> Self::FlexboxItemStyle<'_> {
        &self.host.layout_box(child).style
    }
}

impl<H: LayoutHost> LayoutBlockContainer for LayoutPass<'_, H> {
    type BlockContainerStyle<'b>
        = &'b taffy::Style
    where
        Self: 'b;
    type BlockItemStyle<'b>
        = &'b taffy::Style
    where
        Self: 'b;

    fn get_block_container_style(&self, node: NodeId) -> Self::BlockContainerStyle<'_> {
        &self.host.layout_box(node).style
    }

    fn get_block_child_style(&self, child: NodeId) -> Self::BlockItemStyle<'_> {
        &self.host.layout_box(child).style
    }
}

#[cfg(test)]
mod tests;
