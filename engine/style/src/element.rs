//! The view of a node that selector matching and the cascade need.
//!
//! The engine's node tree implements [`StyleElement`] on a cheap handle type
//! (a reference or an index pair), so walking to a parent or a sibling costs
//! a copy, not an allocation. Only element nodes are visible through this
//! trait: text runs are skipped by the sibling accessors, exactly as CSS
//! `+`, `~` and `:nth-child` ignore them.

/// A node as the WXSS cascade sees it.
pub trait StyleElement: Clone {
    /// The WXML tag name, e.g. `view` or `text`.
    fn tag_name(&self) -> &str;
    /// The `id` attribute, if any.
    fn id(&self) -> Option<&str>;
    /// The class names (the `class` attribute split on whitespace).
    fn classes(&self) -> impl Iterator<Item = &str> + '_;
    /// The raw `style` attribute text, if any.
    fn inline_style(&self) -> Option<&str>;
    /// Any attribute by name (for attribute selectors).
    fn attribute(&self, name: &str) -> Option<&str>;
    /// The parent element; `None` for the page root.
    fn parent_element(&self) -> Option<Self>;
    /// The closest preceding sibling that is an element.
    fn previous_sibling_element(&self) -> Option<Self>;
    /// The closest following sibling that is an element.
    fn next_sibling_element(&self) -> Option<Self>;
    /// Whether the node has any child at all, text included (`:empty`).
    fn has_child_nodes(&self) -> bool;

    /// The component whose template created the element (its `wx:scope`,
    /// a component path without extension); `None` for page-owned
    /// elements. Used by component style isolation.
    fn scope(&self) -> Option<&str> {
        self.attribute("wx:scope").filter(|s| !s.is_empty())
    }

    /// Whether the element is pressed (`:active`). Trees without input
    /// never are.
    fn is_active(&self) -> bool {
        false
    }

    /// Whether `name` is among [`classes`](Self::classes).
    fn has_class(&self, name: &str) -> bool {
        self.classes().any(|c| c == name)
    }

    /// 0-based position among the parent's element children. Override when
    /// the tree knows it directly; the default walks the previous siblings.
    fn element_index(&self) -> usize {
        let mut index = 0;
        let mut cursor = self.previous_sibling_element();
        while let Some(sibling) = cursor {
            index += 1;
            cursor = sibling.previous_sibling_element();
        }
        index
    }

    /// Number of element siblings after this one (for `:last-child` and
    /// `:nth-last-child`-like checks). The default walks the next siblings.
    fn elements_after(&self) -> usize {
        let mut count = 0;
        let mut cursor = self.next_sibling_element();
        while let Some(sibling) = cursor {
            count += 1;
            cursor = sibling.next_sibling_element();
        }
        count
    }
}
