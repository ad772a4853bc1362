//! The render thread's node tree of one page.
//!
//! Nodes are addressed by the [`NodeId`]s the logic thread chose. The logic
//! thread allocates ids upward and never reuses one within a page, so a
//! store indexed by id (what this was) grew for as long as a page toggled
//! `wx:if` subtrees; the store is a hash map instead, whose size follows the
//! live nodes: a removed node's entry is freed, and the map shrinks when it
//! is mostly empty. Generated `::before`/`::after` boxes have ids the render
//! thread picks, so they live in a vector whose freed slots are reused.
//!
//! Depth is bounded: an insert that would put a node more than
//! [`MAX_TREE_DEPTH`] levels below the top of its tree is refused
//! ([`TreeError::NestedTooDeeply`]), so the walks over the tree that recurse
//! (the style pass, taffy's layout, paint) have a known worst case that the
//! render thread's stack is sized for (see `crate::frame::render_thread`).
//!
//! The tree applies [`Op`]s and records what each change invalidates:
//! - restyle flags (`restyle`, `restyle_self`, `restyle_children`,
//!   `content_changed`, see [`Node`]): the narrowest recomputation each
//!   change needs: an inline style change restyles one node, a class change
//!   its subtree and its siblings, a text change one paragraph;
//! - layout dirtiness lives in each node's [`LayoutBox`] and is propagated to
//!   the ancestors when a layout-affecting style changes, so taffy relayouts
//!   only dirty subtrees.
//!
//! Invariant: `children` and `parent` always agree; a removed node and its
//! subtree are gone from the store.

use crate::ops::{NodeId, Op};
use cirrus_layout::foldhash::HashMap;
use cirrus_layout::tree::LayoutBox;
use cirrus_layout::ComputedStyle;
use serde_json::Value;
use std::collections::BTreeMap;

/// The deepest a node may be nested below its tree's top (the page element
/// is depth 0, its children depth 1). 1,024 is twice the deepest nesting
/// the logic side lets a page's WXML produce and five times a real deep page
/// (200 levels must render); Chromium renders ~512+ deep DOM trees and its
/// own layout limit is deeper, but its stacks grow on demand and this one's
/// is fixed. The recursive walks over the tree use stack per level, and
/// `crate::frame::render_thread::RENDER_STACK_BYTES` is sized for this depth.
pub const MAX_TREE_DEPTH: usize = 1024;

/// A node map holding at least this many slots is shrunk when under a
/// quarter full (below it, shrinking saves too little to be worth a rehash).
const MIN_SHRINK_CAPACITY: usize = 1024;

/// What a node is.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Element { tag: String },
    Text { text: String },
}

/// The attributes the renderer reads directly; all others are in `other`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    pub id: String,
    pub classes: Vec<String>,
    /// The inline `style` attribute as written. Written through
    /// [`Attributes::set_style`], which keeps [`Attributes::cascaded_style`]
    /// in step.
    pub style: String,
    pub hidden: bool,
    pub other: BTreeMap<String, Value>,
    /// Declarations an `applyAnimatedStyle` updater produced (render thread
    /// only), cascaded after `style`.
    animated_style: String,
    /// `style` then `animated_style`, when there is an animated style.
    combined_style: String,
}

impl Attributes {
    /// Sets the inline `style`.
    pub fn set_style(&mut self, style: String) {
        self.style = style;
        self.combine_styles();
    }

    /// Sets the animated style (declarations, `opacity:0.5;transform:...`).
    /// Returns whether it changed.
    pub fn set_animated_style(&mut self, declarations: String) -> bool {
        if self.animated_style == declarations {
            return false;
        }
        self.animated_style = declarations;
        self.combine_styles();
        true
    }

    /// The animated style's declarations (empty when there is none).
    pub fn animated_style(&self) -> &str {
        &self.animated_style
    }

    /// What the cascade reads as the inline style: `style`, followed by the
    /// animated style when there is one (it wins, being later).
    pub fn cascaded_style(&self) -> &str {
        if self.animated_style.is_empty() {
            &self.style
        } else {
            &self.combined_style
        }
    }

    fn combine_styles(&mut self) {
        self.combined_style.clear();
        if !self.animated_style.is_empty() {
            self.combined_style.push_str(&self.style);
            self.combined_style.push(';');
            self.combined_style.push_str(&self.animated_style);
        }
    }

    /// An attribute's value as a string (`src`, `mode`...), if set.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.other.get(name).and_then(Value::as_str)
    }
}

#[derive(Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub attrs: Attributes,
    pub style: ComputedStyle,
    pub layout: LayoutBox,
    /// Children handed to taffy, in `order` order. Empty for paragraph roots
    /// (`<text>`), whose descendants are spans of the paragraph.
    pub layout_children: Vec<cirrus_layout::taffy::NodeId>,
    /// Recompute this node's style and its whole subtree's (its class or
    /// id changed, or it is new: descendant selectors may match anew).
    pub restyle: bool,
    /// Recompute this node's style; descendants only if it changed
    /// (inheritance). Set by inline style and other attribute changes.
    pub restyle_self: bool,
    /// Recompute each child's own style (siblings changed, so structural
    /// selectors such as `:nth-child`, `+` and `~` may match differently).
    pub restyle_children: bool,
    /// A text run's content changed: its paragraph must be rebuilt.
    pub content_changed: bool,
    /// This node or one below it has a flag above set: the style pass must
    /// visit it. Invariant: a marked node's ancestors are all marked, so the
    /// style pass skips unmarked subtrees whole.
    pub needs_visit: bool,
    /// Position in the parent's `children` (valid after
    /// [`PageTree::reindex_children`]; selector matching reads it).
    pub child_index: u32,
    /// Position among the parent's element children.
    pub element_index: u32,
    /// The children were inserted, moved or removed since the last reindex.
    pub children_moved: bool,
    /// For a paragraph root: the text run behind each span of its paragraph.
    pub span_nodes: Vec<NodeId>,
    /// Generated `::before` and `::after` boxes: laid out and painted as the
    /// first and last child, but not children in the document (selectors
    /// and the layout file do not see them).
    pub pseudo: [Option<NodeId>; 2],
    /// The style pass computed this node's style at least once (a first
    /// style never transitions).
    pub styled: bool,
    /// A `<scroll-view>`'s scroll position and culling index (see
    /// [`crate::scroll`]); `None` for every other node.
    pub scroll: Option<Box<crate::scroll::ScrollState>>,
    /// Input state the selectors see (`hover-class`, `:active`); the
    /// render thread sets it while the node is pressed
    /// ([`crate::input::hover`]), never the logic thread.
    pub pressed: PressedState,
}

/// The classes and pseudo-classes a press adds to a node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PressedState {
    /// `hover-class` values in force, matched like the node's own classes.
    pub hover_classes: Vec<String>,
    /// `:active`.
    pub active: bool,
}

impl Node {
    fn new(kind: NodeKind) -> Self {
        Node {
            kind,
            parent: None,
            children: Vec::new(),
            attrs: Attributes::default(),
            style: ComputedStyle::default(),
            layout: LayoutBox::new(Default::default()),
            layout_children: Vec::new(),
            restyle: true,
            restyle_self: false,
            restyle_children: false,
            content_changed: false,
            needs_visit: true,
            span_nodes: Vec::new(),
            pseudo: [None, None],
            child_index: 0,
            element_index: 0,
            children_moved: false,
            styled: false,
            pressed: PressedState::default(),
            scroll: None,
        }
    }

    pub fn tag(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Element { tag } => Some(tag),
            NodeKind::Text { .. } => None,
        }
    }

    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Text { text } => Some(text),
            NodeKind::Element { .. } => None,
        }
    }

    pub fn is_element(&self) -> bool {
        matches!(self.kind, NodeKind::Element { .. })
    }
}

/// A problem applying an op: the logic thread referred to a node that does
/// not exist, or asked for an impossible move. The op is skipped.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TreeError {
    #[error("node {0:?} does not exist")]
    NoSuchNode(NodeId),
    #[error("node {0:?} already exists")]
    DuplicateNode(NodeId),
    #[error("cannot insert {child:?} into its own subtree at {parent:?}")]
    Cycle { parent: NodeId, child: NodeId },
    #[error("{0:?} is not a child of {1:?}")]
    NotAChild(NodeId, NodeId),
    #[error(
        "inserting {child:?} under {parent:?} would nest a node {depth} levels deep: \
         nested too deeply (at most {MAX_TREE_DEPTH} levels render)"
    )]
    NestedTooDeeply {
        parent: NodeId,
        child: NodeId,
        depth: usize,
    },
}

/// Ids at and above this are the render thread's own generated boxes
/// (`::before`/`::after`), never the logic thread's.
pub const PSEUDO_ID_BASE: u32 = 0x8000_0000;

/// One page's node tree.
#[derive(Debug)]
pub struct PageTree {
    /// The logic thread's nodes, by id (see the module docs for why a map).
    nodes: HashMap<NodeId, Node>,
    /// Generated boxes, by `id - PSEUDO_ID_BASE`; freed slots are reused.
    pseudo_nodes: Vec<Option<Node>>,
    /// Free slots of `pseudo_nodes`, reused first.
    free_pseudo_slots: Vec<usize>,
    /// Set when any op changed the tree since the last frame.
    pub changed: bool,
    /// A `wx:` attribute (component scopes, see [`crate::style::scopes`]) changed
    /// since [`crate::style::scopes::ComponentScopes::prepare`] last looked.
    pub scope_attributes_changed: bool,
    /// Nodes whose computed position is fixed (kept by the style pass).
    pub fixed: std::collections::BTreeSet<NodeId>,
    /// The `<scroll-view>` elements ever created; entries may name removed
    /// nodes (see [`crate::scroll`]).
    pub scroll_views: std::collections::BTreeSet<NodeId>,
    /// The page's children ready for culling against the window, and the
    /// layout generation they were indexed at (see
    /// [`crate::scroll::visible::ChildIndex::for_page`]).
    pub(crate) page_index: Option<(u64, crate::scroll::visible::ChildIndex)>,
}

impl PageTree {
    /// A tree holding only the page element (`NodeId::ROOT`, tag `page`).
    pub fn new() -> Self {
        let mut tree = PageTree {
            nodes: HashMap::default(),
            pseudo_nodes: Vec::new(),
            free_pseudo_slots: Vec::new(),
            changed: true,
            scope_attributes_changed: false,
            fixed: Default::default(),
            scroll_views: Default::default(),
            page_index: None,
        };
        tree.put(
            NodeId::ROOT,
            Node::new(NodeKind::Element { tag: "page".into() }),
        );
        tree
    }

    fn put(&mut self, id: NodeId, node: Node) {
        self.nodes.insert(id, node);
    }

    /// Slots the store holds (live or free, generated boxes included):
    /// bounded by the peak number of live nodes, not by how many nodes the
    /// page ever created.
    pub fn slot_count(&self) -> usize {
        self.nodes.capacity() + self.pseudo_nodes.len()
    }

    /// Gives memory back after a mass removal (a large `wx:if` subtree
    /// gone): amortised O(1) per removed node.
    fn shrink_if_sparse(&mut self) {
        let capacity = self.nodes.capacity();
        if capacity >= MIN_SHRINK_CAPACITY && self.nodes.len() * 4 < capacity {
            self.nodes.shrink_to(self.nodes.len() * 2);
        }
    }

    /// Frees a generated box's slot for reuse.
    fn free_pseudo(&mut self, id: NodeId) {
        let slot = (id.0 - PSEUDO_ID_BASE) as usize;
        if let Some(entry) = self.pseudo_nodes.get_mut(slot) {
            if entry.take().is_some() {
                self.free_pseudo_slots.push(slot);
            }
        }
    }

    pub fn get(&self, id: NodeId) -> Option<&Node> {
        if id.0 >= PSEUDO_ID_BASE {
            return self
                .pseudo_nodes
                .get((id.0 - PSEUDO_ID_BASE) as usize)
                .and_then(Option::as_ref);
        }
        self.nodes.get(&id)
    }

    pub fn get_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        if id.0 >= PSEUDO_ID_BASE {
            return self
                .pseudo_nodes
                .get_mut((id.0 - PSEUDO_ID_BASE) as usize)
                .and_then(Option::as_mut);
        }
        self.nodes.get_mut(&id)
    }

    /// Creates a generated box (`::before` = 0, `::after` = 1) for `owner`,
    /// or returns the existing one.
    pub fn ensure_pseudo(&mut self, owner: NodeId, which: usize) -> NodeId {
        if let Some(id) = self.get(owner).and_then(|n| n.pseudo[which]) {
            return id;
        }
        let slot = self
            .free_pseudo_slots
            .pop()
            .unwrap_or(self.pseudo_nodes.len());
        let id = NodeId(PSEUDO_ID_BASE + slot as u32);
        let tag = if which == 0 { "::before" } else { "::after" };
        let mut node = Node::new(NodeKind::Element { tag: tag.into() });
        node.parent = Some(owner);
        node.restyle = false;
        if slot == self.pseudo_nodes.len() {
            self.pseudo_nodes.push(Some(node));
        } else {
            self.pseudo_nodes[slot] = Some(node);
        }
        if let Some(o) = self.get_mut(owner) {
            o.pseudo[which] = Some(id);
        }
        id
    }

    /// Drops `owner`'s generated box `which`, if any.
    pub fn remove_pseudo(&mut self, owner: NodeId, which: usize) {
        let Some(id) = self.get_mut(owner).and_then(|n| n.pseudo[which].take()) else {
            return;
        };
        self.free_pseudo(id);
    }

    pub fn root(&self) -> &Node {
        self.get(NodeId::ROOT)
            .expect("the page root is never removed")
    }

    /// Number of live nodes (generated boxes not counted).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies one op. Errors leave the tree unchanged.
    pub fn apply(&mut self, op: Op) -> Result<(), TreeError> {
        self.changed = true;
        match op {
            Op::CreateElement { id, tag } => self.create(id, NodeKind::Element { tag }),
            Op::CreateText { id, text } => self.create(id, NodeKind::Text { text }),
            Op::Insert {
                parent,
                child,
                before,
            } => self.insert(parent, child, before),
            Op::Remove { id } => self.remove(id),
            Op::SetAttribute { id, name, value } => self.set_attribute(id, name, Some(value)),
            Op::RemoveAttribute { id, name } => self.set_attribute(id, name, None),
            Op::SetText { id, text } => {
                let node = self.get_mut(id).ok_or(TreeError::NoSuchNode(id))?;
                node.kind = NodeKind::Text { text };
                node.content_changed = true;
                self.mark_visit(id);
                Ok(())
            }
        }
    }

    fn create(&mut self, id: NodeId, kind: NodeKind) -> Result<(), TreeError> {
        if self.get(id).is_some() {
            return Err(TreeError::DuplicateNode(id));
        }
        if matches!(&kind, NodeKind::Element { tag } if tag == crate::scroll::SCROLL_VIEW_TAG) {
            self.scroll_views.insert(id);
        }
        self.put(id, Node::new(kind));
        Ok(())
    }

    fn insert(
        &mut self,
        parent: NodeId,
        child: NodeId,
        before: Option<NodeId>,
    ) -> Result<(), TreeError> {
        if self.get(parent).is_none() {
            return Err(TreeError::NoSuchNode(parent));
        }
        if self.get(child).is_none() {
            return Err(TreeError::NoSuchNode(child));
        }
        // A node may not be moved into its own subtree; on the way up, count
        // the parent's depth below the top of its tree.
        let mut parent_depth = 0;
        let mut cursor = self.get(parent).and_then(|n| n.parent);
        if parent == child {
            return Err(TreeError::Cycle { parent, child });
        }
        while let Some(c) = cursor {
            if c == child {
                return Err(TreeError::Cycle { parent, child });
            }
            parent_depth += 1;
            cursor = self.get(c).and_then(|n| n.parent);
        }
        // The child's subtree moves with it: its deepest node must still be
        // within the limit. (A subtree built before it is attached is
        // checked here, when it is.)
        let child_depth = parent_depth + 1;
        let too_deep = match MAX_TREE_DEPTH.checked_sub(child_depth) {
            None => Some(child_depth),
            Some(budget) => self
                .height_beyond(child, budget)
                .map(|height| child_depth + height),
        };
        if let Some(depth) = too_deep {
            return Err(TreeError::NestedTooDeeply {
                parent,
                child,
                depth,
            });
        }
        if let Some(b) = before {
            if self.get(b).and_then(|n| n.parent) != Some(parent) {
                return Err(TreeError::NotAChild(b, parent));
            }
            if b == child {
                // Inserting a child before itself leaves it where it is.
                return Ok(());
            }
        }
        self.detach(child);
        let p = self.get_mut(parent).ok_or(TreeError::NoSuchNode(parent))?;
        let index = match before {
            Some(b) => p
                .children
                .iter()
                .position(|&c| c == b)
                .unwrap_or(p.children.len()),
            None => p.children.len(),
        };
        p.children.insert(index, child);
        if let Some(c) = self.get_mut(child) {
            c.parent = Some(parent);
            c.restyle = true;
        }
        self.mark_siblings_changed(parent);
        self.mark_visit(child);
        Ok(())
    }

    /// Unlinks a node from its parent, keeping its subtree.
    fn detach(&mut self, id: NodeId) {
        let Some(parent) = self.get(id).and_then(|n| n.parent) else {
            return;
        };
        if let Some(p) = self.get_mut(parent) {
            // From the end: the last child is the likeliest to go (a list
            // shrinking, a `wx:if` at the end of its parent).
            if let Some(index) = p.children.iter().rposition(|&c| c == id) {
                p.children.remove(index);
            }
        }
        self.mark_siblings_changed(parent);
        if let Some(n) = self.get_mut(id) {
            n.parent = None;
        }
        self.mark_layout_dirty(parent);
    }

    fn remove(&mut self, id: NodeId) -> Result<(), TreeError> {
        if id == NodeId::ROOT || self.get(id).is_none() {
            return Err(TreeError::NoSuchNode(id));
        }
        self.detach(id);
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            if let Some(node) = self.nodes.remove(&n) {
                for p in node.pseudo.into_iter().flatten() {
                    self.free_pseudo(p);
                }
                stack.extend(node.children);
            }
        }
        self.shrink_if_sparse();
        Ok(())
    }

    /// The height of the subtree at `id` (0 for a leaf) if it is more than
    /// `budget`, else `None`. Iterative; stops at the first node past the
    /// budget.
    fn height_beyond(&self, id: NodeId, budget: usize) -> Option<usize> {
        let mut stack = vec![(id, 0usize)];
        while let Some((n, depth)) = stack.pop() {
            if depth > budget {
                return Some(depth);
            }
            if let Some(node) = self.get(n) {
                stack.extend(node.children.iter().map(|&c| (c, depth + 1)));
            }
        }
        None
    }

    /// How many ancestors `id` has (0 for the top of a tree).
    pub fn depth(&self, id: NodeId) -> usize {
        let mut depth = 0;
        let mut cursor = self.get(id).and_then(|n| n.parent);
        while let Some(c) = cursor {
            depth += 1;
            cursor = self.get(c).and_then(|n| n.parent);
        }
        depth
    }

    fn set_attribute(
        &mut self,
        id: NodeId,
        name: String,
        value: Option<Value>,
    ) -> Result<(), TreeError> {
        let node = self.get_mut(id).ok_or(TreeError::NoSuchNode(id))?;
        let as_string = |v: &Option<Value>| match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let selectors_see_it = matches!(name.as_str(), "id" | "class");
        let scope_attribute = name.starts_with("wx:");
        match name.as_str() {
            "id" => node.attrs.id = as_string(&value),
            "class" => {
                node.attrs.classes = as_string(&value)
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect()
            }
            "style" => node.attrs.set_style(as_string(&value)),
            "hidden" => node.attrs.hidden = value.as_ref().map(truthy).unwrap_or(false),
            _ => {
                match value {
                    Some(v) => node.attrs.other.insert(name, v),
                    None => node.attrs.other.remove(&name),
                };
            }
        }
        if scope_attribute {
            self.scope_attributes_changed = true;
        }
        let Some(node) = self.get_mut(id) else {
            return Err(TreeError::NoSuchNode(id));
        };
        if selectors_see_it || scope_attribute {
            // Descendant selectors may now match below it, and sibling
            // combinators (`+`, `~`) after it.
            node.restyle = true;
            let parent = node.parent;
            if let Some(parent) = parent {
                if let Some(p) = self.get_mut(parent) {
                    p.restyle_children = true;
                }
            }
        } else {
            // An inline style, `hidden`, `src`...: only this node's own style.
            node.restyle_self = true;
        }
        self.mark_visit(id);
        Ok(())
    }

    /// Sets `id`'s animated style (what an `applyAnimatedStyle` updater
    /// returned, as declarations) and restyles the node alone: a change of
    /// transform, opacity or colour then repaints without relayout (the
    /// style pass clears a layout cache only when the layout style
    /// changed). False when unchanged or `id` is gone.
    pub fn set_animated_style(&mut self, id: NodeId, declarations: String) -> bool {
        let Some(node) = self.get_mut(id) else {
            return false;
        };
        if !node.attrs.set_animated_style(declarations) {
            return false;
        }
        node.restyle_self = true;
        self.mark_visit(id);
        self.changed = true;
        true
    }

    /// The animated style of `id` as it is now (declarations).
    pub fn animated_style(&self, id: NodeId) -> Option<&str> {
        self.get(id).map(|node| node.attrs.animated_style())
    }

    /// Writes `id`'s animated style and the style it gives, without a
    /// restyle: for declarations that only repaint (transform, opacity,
    /// non-inherited colours), computed by the caller on top of the node's
    /// style. False when `id` is gone.
    pub fn write_animated_style(
        &mut self,
        id: NodeId,
        declarations: String,
        style: ComputedStyle,
    ) -> bool {
        let Some(node) = self.get_mut(id) else {
            return false;
        };
        node.attrs.set_animated_style(declarations);
        node.style = style;
        true
    }

    /// Changes `id`'s pressed state and restyles it with its subtree (a
    /// descendant selector such as `.pressed .label` may depend on it).
    /// False when the node is gone or nothing changed.
    pub fn set_pressed(&mut self, id: NodeId, change: impl FnOnce(&mut PressedState)) -> bool {
        let Some(node) = self.get_mut(id) else {
            return false;
        };
        let before = node.pressed.clone();
        change(&mut node.pressed);
        if node.pressed == before {
            return false;
        }
        node.restyle = true;
        self.changed = true;
        self.mark_visit(id);
        true
    }

    /// Marks `id` and its ancestors for the style pass to visit (see
    /// [`Node::needs_visit`]); stops at the first ancestor already marked.
    pub fn mark_visit(&mut self, id: NodeId) {
        let mut cursor = Some(id);
        while let Some(c) = cursor {
            let Some(node) = self.get_mut(c) else { break };
            if node.needs_visit && c != id {
                break;
            }
            node.needs_visit = true;
            cursor = node.parent;
        }
    }

    /// Boxes with `position: fixed` as of the last style pass (the page lays
    /// them out, whatever their parent); entries may name removed nodes.
    pub fn fixed_boxes(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.fixed.iter().copied()
    }

    /// The children of `parent` changed: every child's structural selectors
    /// may match differently, and `:empty` on the parent.
    fn mark_siblings_changed(&mut self, parent: NodeId) {
        if let Some(p) = self.get_mut(parent) {
            p.restyle_children = true;
            p.restyle_self = true;
            p.children_moved = true;
        }
        self.mark_visit(parent);
    }

    /// Renumbers the children of `parent` if they moved, so sibling lookups
    /// during selector matching are O(1). Done once per frame per parent
    /// (lazily, not per op: building a list of n items stays O(n)).
    pub fn reindex_children(&mut self, parent: NodeId) {
        let Some(p) = self.get_mut(parent) else {
            return;
        };
        if !std::mem::take(&mut p.children_moved) {
            return;
        }
        let children = p.children.clone();
        let mut element_index = 0;
        for (i, c) in children.into_iter().enumerate() {
            if let Some(n) = self.get_mut(c) {
                n.child_index = i as u32;
                n.element_index = element_index;
                if n.is_element() {
                    element_index += 1;
                }
            }
        }
    }

    /// Clears the layout cache of `id` and every ancestor.
    pub fn mark_layout_dirty(&mut self, id: NodeId) {
        let mut cursor = Some(id);
        while let Some(c) = cursor {
            let Some(node) = self.get_mut(c) else { break };
            node.layout.mark_dirty();
            cursor = node.parent;
        }
    }

    /// Element children of `id`, in document order.
    pub fn element_children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.get(id)
            .map(|n| n.children.as_slice())
            .unwrap_or(&[])
            .iter()
            .copied()
            .filter(|&c| self.get(c).is_some_and(Node::is_element))
    }

    /// The nodes of the subtree at `id` in document order (pre-order).
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![id];
        while let Some(n) = stack.pop() {
            out.push(n);
            if let Some(node) = self.get(n) {
                stack.extend(node.children.iter().rev().copied());
            }
        }
        out
    }
}

impl Default for PageTree {
    fn default() -> Self {
        PageTree::new()
    }
}

/// WXML attribute truthiness (`hidden="{{false}}"` is not hidden; a bare
/// `hidden` attribute is an empty string or true, which is hidden).
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => s != "false",
        _ => true,
    }
}

/// taffy lays the tree out through this (see `cirrus_layout::tree`).
impl cirrus_layout::tree::LayoutHost for PageTree {
    fn layout_children(
        &self,
        node: cirrus_layout::taffy::NodeId,
    ) -> &[cirrus_layout::taffy::NodeId] {
        self.get(NodeId(u64::from(node) as u32))
            .map(|n| n.layout_children.as_slice())
            .unwrap_or(&[])
    }
    fn layout_box(&self, node: cirrus_layout::taffy::NodeId) -> &cirrus_layout::tree::LayoutBox {
        &self
            .get(NodeId(u64::from(node) as u32))
            .expect("layout visits live nodes")
            .layout
    }
    fn layout_box_mut(
        &mut self,
        node: cirrus_layout::taffy::NodeId,
    ) -> &mut cirrus_layout::tree::LayoutBox {
        &mut self
            .get_mut(NodeId(u64::from(node) as u32))
            .expect("layout visits live nodes")
            .layout
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn el(id: u32, tag: &str) -> Op {
        Op::CreateElement {
            id: NodeId(id),
            tag: tag.into(),
        }
    }
    fn ins(parent: u32, child: u32, before: Option<u32>) -> Op {
        Op::Insert {
            parent: NodeId(parent),
            child: NodeId(child),
            before: before.map(NodeId),
        }
    }

    #[test]
    fn inserts_moves_and_removes() {
        let mut t = PageTree::new();
        for op in [
            el(1, "view"),
            el(2, "view"),
            el(3, "text"),
            ins(0, 1, None),
            ins(0, 2, None),
            ins(1, 3, None),
        ] {
            t.apply(op).unwrap();
        }
        assert_eq!(t.root().children, vec![NodeId(1), NodeId(2)]);
        // Move 2 before 1.
        t.apply(ins(0, 2, Some(1))).unwrap();
        assert_eq!(t.root().children, vec![NodeId(2), NodeId(1)]);
        // Move 3 (a child of 1) under 2, keeping it alive.
        t.apply(ins(2, 3, None)).unwrap();
        assert_eq!(t.get(NodeId(1)).unwrap().children, vec![]);
        assert_eq!(t.get(NodeId(3)).unwrap().parent, Some(NodeId(2)));
        t.apply(Op::Remove { id: NodeId(2) }).unwrap();
        assert!(t.get(NodeId(3)).is_none(), "the subtree goes with its root");
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn bad_ops_are_errors_not_panics() {
        let mut t = PageTree::new();
        t.apply(el(1, "view")).unwrap();
        t.apply(ins(0, 1, None)).unwrap();
        assert_eq!(
            t.apply(ins(1, 0, None)),
            Err(TreeError::Cycle {
                parent: NodeId(1),
                child: NodeId(0)
            })
        );
        assert_eq!(
            t.apply(ins(0, 9, None)),
            Err(TreeError::NoSuchNode(NodeId(9)))
        );
        assert_eq!(
            t.apply(el(1, "view")),
            Err(TreeError::DuplicateNode(NodeId(1)))
        );
        assert_eq!(
            t.apply(Op::Remove { id: NodeId::ROOT }),
            Err(TreeError::NoSuchNode(NodeId::ROOT))
        );
    }

    /// A page toggling `wx:if` subtrees: the logic thread gives every new
    /// node a fresh id, yet the store only ever holds the live ones.
    #[test]
    fn slots_of_removed_nodes_are_reused() {
        let mut t = PageTree::new();
        let mut next = 1u32;
        let mut peak = 0;
        for round in 0..100 {
            let mut roots = Vec::new();
            for _ in 0..10_000 {
                let root = next;
                next += 1;
                t.apply(el(root, "view")).unwrap();
                t.apply(ins(0, root, None)).unwrap();
                roots.push(root);
            }
            if round == 0 {
                peak = t.slot_count();
            }
            for root in roots.into_iter().rev() {
                t.apply(Op::Remove { id: NodeId(root) }).unwrap();
            }
            assert!(t.slot_count() <= peak, "round {round}: {}", t.slot_count());
        }
        assert_eq!(t.len(), 1);
        assert!(peak < 4 * 10_001, "{peak} slots for 10,001 live nodes");
        assert!(next > 1_000_000, "ids were never reused");
    }

    #[test]
    fn pseudo_box_slots_are_reused() {
        let mut t = PageTree::new();
        t.apply(el(1, "view")).unwrap();
        for _ in 0..1000 {
            let a = t.ensure_pseudo(NodeId(1), 0);
            let b = t.ensure_pseudo(NodeId(1), 1);
            assert_ne!(a, b);
            t.remove_pseudo(NodeId(1), 0);
            t.remove_pseudo(NodeId(1), 1);
        }
        assert_eq!(t.pseudo_nodes.len(), 2);
    }

    #[test]
    fn depth_is_capped_at_insert() {
        let mut t = PageTree::new();
        let limit = MAX_TREE_DEPTH as u32;
        for id in 1..=limit {
            t.apply(el(id, "view")).unwrap();
            t.apply(ins(id - 1, id, None)).unwrap();
        }
        assert_eq!(t.depth(NodeId(limit)), MAX_TREE_DEPTH);
        t.apply(el(limit + 1, "view")).unwrap();
        assert_eq!(
            t.apply(ins(limit, limit + 1, None)),
            Err(TreeError::NestedTooDeeply {
                parent: NodeId(limit),
                child: NodeId(limit + 1),
                depth: MAX_TREE_DEPTH + 1,
            })
        );
        assert!(t.get(NodeId(limit + 1)).unwrap().parent.is_none());
        // A subtree built apart is checked when it is attached: a 10-deep
        // chain fits under depth MAX - 10, not one level lower.
        let base = limit + 100;
        for i in 0..10 {
            t.apply(el(base + i, "view")).unwrap();
            if i > 0 {
                t.apply(ins(base + i - 1, base + i, None)).unwrap();
            }
        }
        let err = t.apply(ins(limit - 9, base, None)).unwrap_err();
        assert!(err.to_string().contains("nested too deeply"), "{err}");
        t.apply(ins(limit - 10, base, None)).unwrap();
        assert_eq!(t.depth(NodeId(base + 9)), MAX_TREE_DEPTH);
    }

    #[test]
    fn attributes_are_parsed() {
        let mut t = PageTree::new();
        t.apply(el(1, "view")).unwrap();
        let set = |name: &str, value: Value| Op::SetAttribute {
            id: NodeId(1),
            name: name.into(),
            value,
        };
        t.apply(set("class", json!(" a  b "))).unwrap();
        t.apply(set("hidden", json!(false))).unwrap();
        t.apply(set("src", json!("/x.png"))).unwrap();
        let n = t.get(NodeId(1)).unwrap();
        assert_eq!(n.attrs.classes, vec!["a", "b"]);
        assert!(!n.attrs.hidden);
        assert_eq!(n.attrs.get_str("src"), Some("/x.png"));
    }
}
