//! The instance-tree arena and the DOM questions asked of it: which DOM
//! nodes an instance owns, where its DOM parent is, and which DOM node
//! follows it (the `before` of an insertion).

use super::{Inst, InstId, InstKind, PageInstance};
use cirrus_protocol::ops::{NodeId, Op};

impl PageInstance {
    pub(super) fn alloc_inst(&mut self, parent: Option<InstId>, kind: InstKind) -> InstId {
        if is_fragment(&kind) {
            self.fragment_count += 1;
        }
        let inst = Inst {
            parent,
            children: Vec::new(),
            bindings: Vec::new(),
            kind,
        };
        match self.free_insts.pop() {
            Some(id) => {
                self.insts[id] = Some(inst);
                id
            }
            None => {
                self.insts.push(Some(inst));
                self.insts.len() - 1
            }
        }
    }

    /// Allocates an instance and appends it to `parent`'s children.
    pub(super) fn add_child_inst(&mut self, parent: InstId, kind: InstKind) -> InstId {
        let id = self.alloc_inst(Some(parent), kind);
        self.inst_mut(parent).children.push(id);
        id
    }

    pub(super) fn inst(&self, id: InstId) -> &Inst {
        // Ids held by the tree and by bindings always point at live slots:
        // both are dropped together in `free_subtree`.
        match self.insts.get(id) {
            Some(Some(inst)) => inst,
            _ => unreachable!("dangling instance id {id}"),
        }
    }

    pub(super) fn inst_mut(&mut self, id: InstId) -> &mut Inst {
        match self.insts.get_mut(id) {
            Some(Some(inst)) => inst,
            _ => unreachable!("dangling instance id {id}"),
        }
    }

    /// How deep the content of `id` is: templates and includes, elements,
    /// and instance levels from the root down to `id` itself (walking up,
    /// so any depth is fine). Content of a host whose light children were
    /// distributed counts the elements of the component's shadow tree
    /// around the slot it lands in, as the page has them.
    pub(super) fn depth_of(&self, id: InstId) -> Depth {
        let mut depth = Depth::default();
        let mut below: Option<InstId> = None;
        let mut cur = Some(id);
        while let Some(i) = cur {
            let inst = self.inst(i);
            match &inst.kind {
                InstKind::Template { .. } | InstKind::Include => depth.templates += 1,
                InstKind::Element(element) => {
                    depth.elements += 1;
                    if let Some(child) = below {
                        depth.elements += self.slot_extra(element.node, child);
                    }
                }
                InstKind::Root => break,
                _ => {}
            }
            depth.instances += 1;
            below = Some(i);
            cur = inst.parent;
        }
        depth
    }

    /// The DOM node of an element or text instance.
    fn own_node(&self, id: InstId) -> Option<NodeId> {
        match &self.inst(id).kind {
            InstKind::Element(element) => Some(element.node),
            InstKind::Text { node, .. } => Some(*node),
            InstKind::Root => Some(self.root_node),
            _ => None,
        }
    }

    /// The first DOM node `id` contributes to its DOM parent.
    pub(super) fn first_dom_node(&self, id: InstId) -> Option<NodeId> {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            if let Some(node) = self.own_node(id) {
                return Some(node);
            }
            stack.extend(self.inst(id).children.iter().rev().copied());
        }
        None
    }

    /// Every DOM node `id` contributes to its DOM parent, in order.
    pub(super) fn top_dom_nodes(&self, id: InstId, out: &mut Vec<NodeId>) {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            match self.own_node(id) {
                Some(node) => out.push(node),
                None => stack.extend(self.inst(id).children.iter().rev().copied()),
            }
        }
    }

    /// The DOM element that `id`'s DOM nodes are children of.
    pub(super) fn dom_parent(&self, id: InstId) -> NodeId {
        let mut cur = self.inst(id).parent;
        while let Some(i) = cur {
            if let Some(node) = self.own_node(i) {
                return node;
            }
            cur = self.inst(i).parent;
        }
        self.root_node
    }

    /// The DOM node right after `id`'s nodes in their DOM parent (`None`:
    /// they are last).
    pub(super) fn dom_after(&self, id: InstId) -> Option<NodeId> {
        let mut cur = id;
        loop {
            let parent = self.inst(cur).parent?;
            let siblings = &self.inst(parent).children;
            let position = siblings.iter().position(|&s| s == cur)?;
            if let Some(node) = siblings[position + 1..]
                .iter()
                .find_map(|&s| self.first_dom_node(s))
            {
                return Some(node);
            }
            if self.own_node(parent).is_some() {
                return None;
            }
            cur = parent;
        }
    }

    /// Detaches and drops every child of `id`: one `Remove` per top-level
    /// DOM node, then the instances and their bindings.
    pub(super) fn clear_children(&mut self, id: InstId) {
        let children = std::mem::take(&mut self.inst_mut(id).children);
        for child in children {
            self.remove_inst(child);
        }
    }

    /// Removes one instance (already unlinked from its parent's children).
    pub(super) fn remove_inst(&mut self, id: InstId) {
        let mut nodes = Vec::new();
        self.top_dom_nodes(id, &mut nodes);
        self.ops
            .extend(nodes.into_iter().map(|node| Op::Remove { id: node }));
        self.free_subtree(id);
    }

    /// Drops `id` and its descendants with their bindings and deps (no ops).
    fn free_subtree(&mut self, id: InstId) {
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            let Some(inst) = self.insts.get_mut(id).and_then(Option::take) else {
                continue;
            };
            for binding_id in inst.bindings {
                if let Some(binding) = self.bindings.remove(&binding_id) {
                    for (path, kind) in &binding.deps {
                        self.deps.remove(path, *kind, binding_id);
                    }
                }
            }
            match &inst.kind {
                InstKind::Element(element) => {
                    self.uncount_node();
                    self.elements.remove(&element.node);
                    self.ids.forget_slot(element.node);
                    if element.component.is_some() {
                        self.slot_targets.remove(&element.node);
                        self.ids.forget_host(element.node);
                        self.component_events
                            .push(super::ComponentEvent::Removed { host: element.node });
                    }
                    if self.slots.values().any(|&slot| slot == element.node) {
                        self.slots.retain(|_, slot| *slot != element.node);
                    }
                }
                InstKind::Text { .. } => self.uncount_node(),
                kind => {
                    if is_fragment(kind) {
                        self.fragment_count = self.fragment_count.saturating_sub(1);
                    }
                }
            }
            // Reverse, so that hosts are reported in tree order.
            stack.extend(inst.children.into_iter().rev());
            self.free_insts.push(id);
        }
    }

    fn uncount_node(&mut self) {
        self.node_count = self.node_count.saturating_sub(1);
        self.ids.nodes_dropped(1);
    }
}

/// Whether an instance of this kind renders no node of its own.
fn is_fragment(kind: &InstKind) -> bool {
    !matches!(
        kind,
        InstKind::Root | InstKind::Element(_) | InstKind::Text { .. }
    )
}

/// See [`PageInstance::depth_of`].
#[derive(Default, Clone, Copy)]
pub(super) struct Depth {
    pub templates: usize,
    pub elements: usize,
    pub instances: usize,
}
