//! The dependency index: data path -> bindings that read it.
//!
//! A trie over path segments (keys and indices share their decimal text).
//! Each node holds the bindings registered at exactly that path, split by
//! [`DepKind`]. A change at path C affects:
//! - `Deep` deps on any ancestor of C, on C, or under C;
//! - `Shallow` deps on C's parent, on C, or under C (an ancestor above the
//!   parent changed only inside one element, which a shallow reader ignores).
//!
//! Querying costs O(|C| + number of deps under C), so an update touches only
//! what it affects. Invariant: empty trie nodes are pruned on removal.

use crate::data_path::DataPath;
use std::collections::{HashMap, HashSet};

/// Identifies a binding of a page instance. Allocated increasing, so a
/// binding created inside another's content has a larger id.
pub(crate) type BindingId = u32;

/// How much of the value at a path a binding depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DepKind {
    /// The whole value, including everything below it.
    Deep,
    /// Only the value's identity and its set of direct children (a list's
    /// length and item slots; an object's key set), not their contents.
    Shallow,
}

#[derive(Default)]
struct TrieNode {
    deep: HashSet<BindingId>,
    shallow: HashSet<BindingId>,
    children: HashMap<String, TrieNode>,
}

impl TrieNode {
    fn is_empty(&self) -> bool {
        self.deep.is_empty() && self.shallow.is_empty() && self.children.is_empty()
    }

    /// Every binding at or under this node (iterative: paths may be long).
    fn collect_all(&self, out: &mut Vec<BindingId>) {
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            out.extend(node.deep.iter().copied());
            out.extend(node.shallow.iter().copied());
            stack.extend(node.children.values());
        }
    }
}

/// Drops a trie branch without recursing (a branch is as deep as the
/// longest path read).
fn drop_trie(node: TrieNode) {
    let mut stack = vec![node];
    while let Some(mut node) = stack.pop() {
        stack.extend(node.children.drain().map(|(_, child)| child));
    }
}

#[derive(Default)]
pub(crate) struct DepIndex {
    root: TrieNode,
}

impl DepIndex {
    pub(crate) fn insert(&mut self, path: &DataPath, kind: DepKind, binding: BindingId) {
        let mut node = &mut self.root;
        for seg in &path.segments {
            node = node.children.entry(seg.as_key().into_owned()).or_default();
        }
        match kind {
            DepKind::Deep => node.deep.insert(binding),
            DepKind::Shallow => node.shallow.insert(binding),
        };
    }

    pub(crate) fn remove(&mut self, path: &DataPath, kind: DepKind, binding: BindingId) {
        let keys: Vec<String> = path
            .segments
            .iter()
            .map(|s| s.as_key().into_owned())
            .collect();
        // Find the node, then prune empty nodes bottom-up: the deepest
        // empty node's topmost empty ancestor is cut off in one removal.
        let mut node = &mut self.root;
        for key in &keys {
            match node.children.get_mut(key) {
                Some(child) => node = child,
                None => return,
            }
        }
        match kind {
            DepKind::Deep => node.deep.remove(&binding),
            DepKind::Shallow => node.shallow.remove(&binding),
        };
        if !node.is_empty() {
            return;
        }
        // The shortest prefix from which everything below is empty but a
        // single chain ending at the emptied node.
        let mut cut: Option<usize> = None;
        let mut node = &self.root;
        for (i, key) in keys.iter().enumerate() {
            let Some(child) = node.children.get(key) else {
                return;
            };
            let only_chain =
                child.deep.is_empty() && child.shallow.is_empty() && child.children.len() <= 1;
            match (cut, only_chain) {
                (None, true) => cut = Some(i),
                (Some(_), false) => cut = None,
                _ => {}
            }
            node = child;
        }
        if let Some(at) = cut {
            let mut node = &mut self.root;
            for key in &keys[..at] {
                match node.children.get_mut(key) {
                    Some(child) => node = child,
                    None => return,
                }
            }
            if let Some(removed) = node.children.remove(&keys[at]) {
                drop_trie(removed);
            }
        }
    }

    /// Appends the bindings a change at `changed` affects (may repeat ids).
    pub(crate) fn affected(&self, changed: &DataPath, out: &mut Vec<BindingId>) {
        let mut node = &self.root;
        let depth = changed.segments.len();
        for (i, seg) in changed.segments.iter().enumerate() {
            out.extend(node.deep.iter().copied());
            if i + 1 == depth {
                out.extend(node.shallow.iter().copied());
            }
            match node.children.get(seg.as_key().as_ref()) {
                Some(child) => node = child,
                None => return,
            }
        }
        node.collect_all(out);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        let mut all = Vec::new();
        self.root.collect_all(&mut all);
        all.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data_path::parse_data_path;

    fn p(s: &str) -> DataPath {
        parse_data_path(s).unwrap()
    }

    fn affected(index: &DepIndex, change: &str) -> Vec<BindingId> {
        let mut out = Vec::new();
        index.affected(&p(change), &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn deep_dependency_matches_ancestors_self_and_descendants() {
        let mut index = DepIndex::default();
        index.insert(&p("list[3].name"), DepKind::Deep, 1);
        assert_eq!(affected(&index, "list"), vec![1]);
        assert_eq!(affected(&index, "list[3]"), vec![1]);
        assert_eq!(
            affected(&index, "list.3"),
            vec![1],
            "index and key text name the same place"
        );
        assert_eq!(affected(&index, "list[3].name"), vec![1]);
        assert_eq!(affected(&index, "list[3].name.x"), vec![1]);
        assert!(affected(&index, "list[4]").is_empty());
        assert!(affected(&index, "list[3].title").is_empty());
        assert!(affected(&index, "other").is_empty());
    }

    #[test]
    fn shallow_dependency_ignores_changes_two_levels_down() {
        let mut index = DepIndex::default();
        index.insert(&p("rows"), DepKind::Shallow, 7);
        assert_eq!(affected(&index, "rows"), vec![7]);
        assert_eq!(
            affected(&index, "rows[1000]"),
            vec![7],
            "a new item slot changes the length"
        );
        assert!(affected(&index, "rows[500].name").is_empty());
    }

    #[test]
    fn removal_prunes_the_trie() {
        let mut index = DepIndex::default();
        index.insert(&p("a.b.c"), DepKind::Deep, 1);
        index.insert(&p("a.b"), DepKind::Shallow, 2);
        index.remove(&p("a.b.c"), DepKind::Deep, 1);
        assert_eq!(index.len(), 1);
        index.remove(&p("a.b"), DepKind::Shallow, 2);
        assert!(index.root.children.is_empty());
    }
}
