//! The style pass: recomputes the computed style of every node marked for
//! restyle (and its subtree), then derives what layout needs from it: the
//! taffy style, the paragraphs of text, and the layout children.
//!
//! A node's layout cache is cleared (with its ancestors') only when its
//! layout-affecting style actually changed, so a colour, transform or
//! opacity change never costs a relayout.

use crate::document::page::PageView;
use crate::document::tree::{NodeKind, PageTree};
use crate::images::ImageStore;
use crate::motion::{Animator, ResolvedKeyframe};
use crate::ops::NodeId;
use crate::package::Package;
use crate::style::scopes::ComponentScopes;
use cirrus_layout::style::{ComputedStyle, Dimension, Display, Position};
use cirrus_layout::taffy;
use cirrus_layout::text::{Paragraph, TextSpan, TextStyle};
use cirrus_layout::Viewport;
use cirrus_style::{Pseudo, StyleSheets};

/// Skyline's `<image>` default size (<https://developers.weixin.qq.com/miniprogram/dev/component/>).
const IMAGE_DEFAULT_SIZE: (f32, f32) = (320.0, 240.0);

/// What one style pass did (for tests and benchmarks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StyleStats {
    /// Nodes whose computed style was recomputed.
    pub restyled: usize,
    /// Nodes whose layout-affecting style changed (layout caches cleared).
    pub layout_invalidated: usize,
    /// Nodes the pass looked at (clean subtrees are skipped whole).
    pub visited: usize,
}

pub struct StylePass<'a> {
    pub package: &'a Package,
    pub images: &'a mut ImageStore,
    pub viewport: Viewport,
    pub stats: StyleStats,
    /// The frame's time, for transitions and animations that start or
    /// move during this pass (see [`crate::motion`]).
    pub now: std::time::Duration,
}

impl StylePass<'_> {
    /// Restyles the page where needed. Returns whether anything changed.
    pub fn run(&mut self, page: &mut PageView) -> bool {
        let PageView {
            tree,
            sheets,
            scopes,
            files,
            motion,
            ..
        } = page;
        if !tree.changed {
            return false;
        }
        // Component sheets load before matching (see crate::style::scopes).
        scopes.prepare(tree, sheets, self.package);
        let (sheets, scopes) = (&*sheets, &*scopes);
        let before = self.stats;
        self.visit(
            tree,
            sheets,
            scopes,
            motion,
            &files.wxml,
            NodeId::ROOT,
            None,
            false,
            false,
        );
        if self.stats != before || tree.changed {
            // Fixed boxes are laid out against the page, whatever their parent.
            let fixed: Vec<NodeId> = tree
                .fixed_boxes()
                .filter(|&id| {
                    tree.get(id)
                        .is_some_and(|n| n.style.position == Position::Fixed)
                })
                .collect();
            tree.fixed.retain(|id| fixed.contains(id));
            let root_children = layout_children_of(tree, NodeId::ROOT, &fixed);
            if let Some(root) = tree.get_mut(NodeId::ROOT) {
                if root.layout_children != root_children {
                    root.layout_children = root_children;
                    root.layout.mark_dirty();
                }
            }
        }
        tree.changed = false;
        true
    }

    /// Restyles `id` where marked (see the flags on [`crate::document::tree::Node`]);
    /// returns whether the node's subtree changed in a way its ancestors'
    /// layout (children lists, paragraphs) must reflect.
    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        tree: &mut PageTree,
        sheets: &StyleSheets,
        scopes: &ComponentScopes,
        motion: &mut Animator,
        wxml: &str,
        id: NodeId,
        parent_style: Option<&ComputedStyle>,
        force: bool,
        sibling_pass: bool,
    ) -> bool {
        // Siblings must be numbered before this node's selectors are matched.
        if let Some(parent) = tree.get(id).and_then(|n| n.parent) {
            tree.reindex_children(parent);
        }
        let Some(node) = tree.get(id) else {
            return false;
        };
        if !force && !sibling_pass && !node.needs_visit {
            // Nothing at or below this node changed.
            return false;
        }
        // An `animation` attribute's started steps go into the inline style
        // before the cascade reads it (crate::motion::steps).
        if let Some(node) = tree.get_mut(id).filter(|n| n.is_element()) {
            if motion.steps.prepare(id, &mut node.attrs, self.now) {
                node.restyle_self = true;
            }
        }
        let Some(node) = tree.get(id) else {
            return false;
        };
        self.stats.visited += 1;
        let whole_subtree = node.restyle;
        let recompute = force || whole_subtree || node.restyle_self || sibling_pass;
        let restyle_children = node.restyle_children;
        let mut changed = node.content_changed;
        // Whether descendants must recompute: only an inherited property (or
        // a custom property, which the computed style does not hold) flows
        // down; a transform, opacity or size change stays on this node.
        let mut inherited_changed = false;
        if recompute {
            let style = match &node.kind {
                NodeKind::Element { tag } => {
                    let computed = scopes.compute_with_motion(sheets, tree, id, parent_style);
                    let mut s = computed.style;
                    self.apply_element_defaults(tree, id, tag, &mut s, wxml);
                    let keyframes = |name: &str, base: &ComputedStyle| {
                        resolve_keyframes(sheets, name, base, parent_style)
                    };
                    motion.restyled(
                        id,
                        &node.style,
                        &mut s,
                        &computed.motion,
                        !node.styled,
                        &keyframes,
                        self.now,
                    );
                    s
                }
                NodeKind::Text { .. } => text_run_style(parent_style),
            };
            self.stats.restyled += 1;
            let node = tree.get_mut(id).expect("visited node exists");
            node.styled = true;
            if node.style != style {
                inherited_changed = inherited_differ(&node.style, &style)
                    || node.attrs.cascaded_style().contains("--");
                node.style = style;
                changed = true;
            }
        }
        let node = tree.get_mut(id).expect("visited node exists");
        node.restyle = false;
        node.restyle_self = false;
        node.restyle_children = false;
        node.content_changed = false;
        node.needs_visit = false;
        let is_fixed = node.style.position == Position::Fixed && id != NodeId::ROOT;
        if is_fixed {
            tree.fixed.insert(id);
        } else {
            tree.fixed.remove(&id);
        }
        let node = tree.get(id).expect("visited node exists");
        let style = node.style.clone();
        let children = node.children.clone();
        let force_children = force || whole_subtree || inherited_changed;
        let mut subtree_changed = false;
        for child in &children {
            subtree_changed |= self.visit(
                tree,
                sheets,
                scopes,
                motion,
                wxml,
                *child,
                Some(&style),
                force_children,
                restyle_children,
            );
        }
        if recompute && tree.get(id).is_some_and(|n| n.is_element()) {
            changed |= self.update_pseudo_boxes(tree, sheets, scopes, id);
        }
        if recompute || subtree_changed || changed {
            self.update_layout_box(tree, id, subtree_changed || changed);
        }
        // A virtual node's children are its parent's layout children, so
        // any change to them (a removal only flags this node) is the
        // parent's to re-flatten.
        let is_virtual = tree.get(id).is_some_and(crate::style::scopes::is_virtual);
        subtree_changed || changed || (is_virtual && recompute)
    }

    /// Creates, restyles or drops the `::before`/`::after` boxes of an
    /// element. Returns whether any changed.
    fn update_pseudo_boxes(
        &mut self,
        tree: &mut PageTree,
        sheets: &StyleSheets,
        scopes: &ComponentScopes,
        id: NodeId,
    ) -> bool {
        if is_inside_paragraph(tree, id) || tree.get(id).and_then(|n| n.tag()) == Some("text") {
            // Inline generated content of text is not supported yet.
            return false;
        }
        let mut changed = false;
        for (which, pseudo) in [(0, Pseudo::Before), (1, Pseudo::After)] {
            let element_style = tree.get(id).map(|n| n.style.clone()).unwrap_or_default();
            let computed = scopes.compute_pseudo(sheets, tree, id, &element_style, pseudo);
            let Some((style, content)) = computed else {
                if tree.get(id).is_some_and(|n| n.pseudo[which].is_some()) {
                    tree.remove_pseudo(id, which);
                    changed = true;
                }
                continue;
            };
            let pid = tree.ensure_pseudo(id, which);
            let paragraph = (!content.is_empty()).then(|| Paragraph::plain(&style, content));
            let taffy_style = cirrus_layout::taffy_style::to_taffy(&style);
            let Some(node) = tree.get_mut(pid) else {
                continue;
            };
            if node.style != style
                || node.layout.paragraph != paragraph
                || node.layout.style != taffy_style
            {
                node.style = style;
                node.layout.paragraph = paragraph;
                node.layout.set_style(taffy_style);
                changed = true;
            }
        }
        if changed {
            tree.mark_layout_dirty(id);
        }
        changed
    }

    /// `hidden`, and the intrinsic sizing of `<image>` (default 320x240;
    /// widthFix/heightFix keep the picture's aspect ratio).
    fn apply_element_defaults(
        &mut self,
        tree: &PageTree,
        id: NodeId,
        tag: &str,
        s: &mut ComputedStyle,
        wxml: &str,
    ) {
        let Some(node) = tree.get(id) else { return };
        if node.attrs.hidden {
            s.display = Display::None;
        }
        // Scroll-views clip; their children are not shrunk to fit.
        crate::scroll::apply_element_defaults(tree, node, s);
        if id == NodeId::ROOT {
            s.width = Dimension::Px(self.viewport.width.0);
            if s.min_height == Dimension::Auto {
                s.min_height = Dimension::Px(self.viewport.height.0);
            }
        }
        if tag == "image" {
            let mode = node.attrs.get_str("mode");
            // A `lazy-load` image far from view is not started here (see
            // `images::lazy`); once loaded, its node restyles.
            let lazy = crate::images::lazy::is_lazy(node);
            let ratio = node
                .attrs
                .get_str("src")
                .and_then(|src| match lazy {
                    true => self.images.peek(wxml, src),
                    false => self.images.get(self.package, wxml, src),
                })
                .map(|img| img.size())
                .filter(|(w, h)| *w > 0.0 && *h > 0.0)
                .map(|(w, h)| w / h);
            match (mode, ratio) {
                (Some("widthFix"), Some(r)) => {
                    if s.width == Dimension::Auto {
                        s.width = Dimension::Px(IMAGE_DEFAULT_SIZE.0);
                    }
                    s.height = Dimension::Auto;
                    s.aspect_ratio = Some(r);
                }
                (Some("heightFix"), Some(r)) => {
                    if s.height == Dimension::Auto {
                        s.height = Dimension::Px(IMAGE_DEFAULT_SIZE.1);
                    }
                    s.width = Dimension::Auto;
                    s.aspect_ratio = Some(r);
                }
                _ => {
                    if s.width == Dimension::Auto {
                        s.width = Dimension::Px(IMAGE_DEFAULT_SIZE.0);
                    }
                    if s.height == Dimension::Auto {
                        s.height = Dimension::Px(IMAGE_DEFAULT_SIZE.1);
                    }
                }
            }
        }
    }

    /// Derives the taffy style, paragraph and layout children of `id`.
    fn update_layout_box(&mut self, tree: &mut PageTree, id: NodeId, content_changed: bool) {
        let Some(node) = tree.get(id) else { return };
        let in_paragraph = is_inside_paragraph(tree, id);
        let is_paragraph_root = !in_paragraph
            && (node.tag() == Some("text") || matches!(node.kind, NodeKind::Text { .. }));
        let (paragraph, span_nodes) = if is_paragraph_root && content_changed {
            let (p, nodes) = build_paragraph(tree, id);
            (Some(p), nodes)
        } else {
            (None, Vec::new())
        };
        let children = if is_paragraph_root || in_paragraph {
            Vec::new()
        } else {
            layout_children_of(tree, id, &[])
        };
        let mut taffy_style = cirrus_layout::taffy_style::to_taffy(&node.style);
        if in_paragraph {
            // Spans are not boxes of their own.
            taffy_style.display = taffy::Display::None;
        }
        let node = tree.get_mut(id).expect("node exists");
        let mut dirty = false;
        if node.layout.style != taffy_style {
            node.layout.set_style(taffy_style);
            dirty = true;
        }
        if let Some(p) = paragraph {
            node.span_nodes = span_nodes;
            if node.layout.paragraph.as_ref() != Some(&p) {
                // A colour change only repaints: the text caches are keyed
                // by the colour-blind layout hash, and sizes stay.
                let same_layout = (node.layout.paragraph.as_ref())
                    .is_some_and(|old| old.layout_hash() == p.layout_hash());
                node.layout.paragraph = Some(p);
                dirty |= !same_layout;
            }
        } else if !is_paragraph_root && node.layout.paragraph.is_some() {
            node.layout.paragraph = None;
            dirty = true;
        }
        if id != NodeId::ROOT && node.layout_children != children {
            node.layout_children = children;
            dirty = true;
        }
        if dirty {
            self.stats.layout_invalidated += 1;
            tree.mark_layout_dirty(id);
        }
    }
}

/// `@keyframes NAME` resolved against an element's un-animated style.
fn resolve_keyframes(
    sheets: &StyleSheets,
    name: &str,
    base: &ComputedStyle,
    parent: Option<&ComputedStyle>,
) -> Option<Vec<ResolvedKeyframe>> {
    let keyframes = sheets.keyframes(name)?;
    Some(
        keyframes
            .frames
            .iter()
            .map(|frame| ResolvedKeyframe {
                offsets: frame.offsets.clone(),
                style: sheets.keyframe_style(frame, base, parent),
                declared: frame.declared_properties(),
            })
            .collect(),
    )
}

/// Whether an ancestor of `id` is a `<text>` (so `id` is a span of its paragraph).
fn is_inside_paragraph(tree: &PageTree, id: NodeId) -> bool {
    let mut cursor = tree.get(id).and_then(|n| n.parent);
    while let Some(c) = cursor {
        let Some(n) = tree.get(c) else { return false };
        if n.tag() == Some("text") {
            return true;
        }
        cursor = n.parent;
    }
    false
}

/// The children taffy sees: in `order` order, fixed boxes excluded (they
/// are children of the page), plus `extra` for the page itself.
fn layout_children_of(tree: &PageTree, id: NodeId, extra: &[NodeId]) -> Vec<taffy::NodeId> {
    let Some(node) = tree.get(id) else {
        return Vec::new();
    };
    // ::before, the document children, ::after, then (for the page) the
    // fixed boxes of the whole tree. Virtual children (slots, virtualHost
    // hosts) are replaced by their own children, like `display: contents`.
    let mut flattened = Vec::with_capacity(node.children.len());
    for &child in &node.children {
        crate::style::scopes::push_layout_child(tree, child, &mut flattened);
    }
    let in_flow = flattened.into_iter().filter(|&c| {
        tree.get(c)
            .is_some_and(|n| n.style.position != Position::Fixed)
    });
    let mut ordered: Vec<(i32, NodeId)> = node.pseudo[0]
        .into_iter()
        .chain(in_flow)
        .chain(node.pseudo[1])
        .chain(extra.iter().copied())
        .map(|c| (tree.get(c).map(|n| n.style.order).unwrap_or(0), c))
        .collect();
    // Stable: equal `order` keeps document order.
    ordered.sort_by_key(|(order, _)| *order);
    ordered
        .into_iter()
        .map(|(_, c)| taffy::NodeId::from(c.0 as u64))
        .collect()
}

/// Whether two styles differ in a property that children inherit.
fn inherited_differ(a: &ComputedStyle, b: &ComputedStyle) -> bool {
    a.color != b.color
        || a.font_size != b.font_size
        || a.font_weight != b.font_weight
        || a.font_style != b.font_style
        || a.font_family != b.font_family
        || a.line_height != b.line_height
        || a.letter_spacing != b.letter_spacing
        || a.word_spacing != b.word_spacing
        || a.text_align != b.text_align
        || a.white_space != b.white_space
        || a.word_break != b.word_break
        || a.text_shadow != b.text_shadow
        || a.visibility != b.visibility
        || a.pointer_events != b.pointer_events
        // Text runs take these from their element (see `text_run_style`).
        || a.text_decoration != b.text_decoration
        || a.text_overflow != b.text_overflow
        || a.line_clamp != b.line_clamp
        // `display: none` on an ancestor hides spans of a paragraph.
        || a.display != b.display
}

/// A text run inherits the text properties of its parent element.
fn text_run_style(parent: Option<&ComputedStyle>) -> ComputedStyle {
    let mut s = ComputedStyle::default();
    if let Some(p) = parent {
        s.color = p.color;
        s.font_size = p.font_size;
        s.font_weight = p.font_weight;
        s.font_style = p.font_style;
        s.font_family = p.font_family.clone();
        s.line_height = p.line_height;
        s.letter_spacing = p.letter_spacing;
        s.word_spacing = p.word_spacing;
        s.text_align = p.text_align;
        s.white_space = p.white_space;
        s.word_break = p.word_break;
        s.text_shadow = p.text_shadow;
        s.visibility = p.visibility;
        s.text_decoration = p.text_decoration;
        s.text_overflow = p.text_overflow;
        s.line_clamp = p.line_clamp;
    }
    s.display = Display::Inline;
    s.flex_shrink = 1.0;
    s
}

/// The paragraph of a `<text>` (or a bare text run): every text run below
/// it becomes a span with the style of its nearest element. Also returns
/// the text run behind each span.
fn build_paragraph(tree: &PageTree, root: NodeId) -> (Paragraph, Vec<NodeId>) {
    let mut spans = Vec::new();
    let mut nodes = Vec::new();
    for id in tree.descendants(root) {
        let Some(node) = tree.get(id) else { continue };
        let NodeKind::Text { text } = &node.kind else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        // Hidden spans (display:none on a nested text) contribute nothing.
        let hidden = {
            let mut cursor = Some(id);
            let mut hidden = false;
            while let Some(c) = cursor {
                let Some(n) = tree.get(c) else { break };
                if n.style.display == Display::None {
                    hidden = true;
                    break;
                }
                if c == root {
                    break;
                }
                cursor = n.parent;
            }
            hidden
        };
        if hidden {
            continue;
        }
        spans.push(TextSpan {
            text: text.clone(),
            style: TextStyle::from_computed(&node.style),
        });
        nodes.push(id);
    }
    let root_style = &tree.get(root).expect("paragraph root exists").style;
    (Paragraph::from_computed(root_style, spans), nodes)
}
