//! The node tree as the style crate sees it: [`cirrus_style::StyleElement`]
//! over a node of a [`PageTree`].

use crate::document::tree::PageTree;
use crate::ops::NodeId;

/// An element of a page tree, for selector matching.
#[derive(Clone, Copy)]
pub struct ElementRef<'a> {
    pub tree: &'a PageTree,
    pub id: NodeId,
}

impl<'a> ElementRef<'a> {
    fn node(&self) -> &'a crate::document::tree::Node {
        self.tree
            .get(self.id)
            .expect("an ElementRef points at a live node")
    }

    /// The nearest element sibling before or after this node. Uses the
    /// index the style pass keeps current, so it is O(1) for adjacent
    /// elements (text runs between elements are skipped).
    fn sibling(&self, forward: bool) -> Option<Self> {
        let parent = self.tree.get(self.node().parent?)?;
        let hint = self.node().child_index as usize;
        let pos = if parent.children.get(hint) == Some(&self.id) {
            hint
        } else {
            parent.children.iter().position(|&c| c == self.id)?
        };
        let is_element = |c: &NodeId| {
            self.tree
                .get(*c)
                .is_some_and(crate::document::tree::Node::is_element)
        };
        let found = if forward {
            parent.children[pos + 1..].iter().find(|c| is_element(c))
        } else {
            parent.children[..pos].iter().rev().find(|c| is_element(c))
        };
        found.map(|&id| ElementRef {
            tree: self.tree,
            id,
        })
    }
}

impl cirrus_style::StyleElement for ElementRef<'_> {
    fn tag_name(&self) -> &str {
        self.node().tag().unwrap_or("")
    }

    fn id(&self) -> Option<&str> {
        Some(self.node().attrs.id.as_str()).filter(|s| !s.is_empty())
    }

    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        let node = self.node();
        (node.attrs.classes.iter())
            .chain(node.pressed.hover_classes.iter())
            .map(String::as_str)
    }

    fn is_active(&self) -> bool {
        self.node().pressed.active
    }

    fn inline_style(&self) -> Option<&str> {
        Some(self.node().attrs.cascaded_style()).filter(|s| !s.is_empty())
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        let attrs = &self.node().attrs;
        match name {
            "id" => self.id(),
            "style" => self.inline_style(),
            _ => attrs.get_str(name),
        }
    }

    fn parent_element(&self) -> Option<Self> {
        let parent = self.node().parent?;
        Some(ElementRef {
            tree: self.tree,
            id: parent,
        })
    }

    fn previous_sibling_element(&self) -> Option<Self> {
        self.sibling(false)
    }

    fn next_sibling_element(&self) -> Option<Self> {
        self.sibling(true)
    }

    fn has_child_nodes(&self) -> bool {
        !self.node().children.is_empty()
    }

    fn element_index(&self) -> usize {
        self.node().element_index as usize
    }

    fn elements_after(&self) -> usize {
        let Some(parent) = self.node().parent.and_then(|p| self.tree.get(p)) else {
            return 0;
        };
        let last_element = parent
            .children
            .iter()
            .rev()
            .find_map(|&c| {
                self.tree
                    .get(c)
                    .filter(|n| n.is_element())
                    .map(|n| n.element_index)
            })
            .unwrap_or(0);
        last_element.saturating_sub(self.node().element_index) as usize
    }
}
