//! Custom components in a template instance: host elements, slots, and the
//! events the logic thread needs to run a component's JS.
//!
//! A custom tag (one of [`InstanceOptions::components`]) creates a *host*
//! element with the tag's name. Its `id`, `class`, `style`, `hidden`,
//! `slot`, `data-*` and `mark:*` attributes are set on the host as usual;
//! every other attribute is a *property*: no op, but a
//! [`ComponentEvent::Created`] (initial values) and later
//! [`ComponentEvent::PropertyChanged`]s. The host's child elements are its
//! *light children*: built by this instance, bound to this instance's data,
//! inserted under the host until [`PageInstance::distribute_slots`] moves
//! them into the component's `<slot>` elements (the component's own
//! instance shares this instance's [`NodeIdSource`], so ids never collide).
//!
//! Invariants: the events come in tree order (a host before the components
//! among its light children); a removed host is reported once, before any
//! host inside it; after distribution every insertion under a host lands in
//! the slot its element names (or a detached holder when the component has
//! no such slot, so the node is kept but not rendered).

use super::{InstId, InstKind, PageInstance};
use crate::ir::{AttrRole, IrAttr};
use cirrus_protocol::ops::{NodeId, Op};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The state one page's instances share: its node ids, how many nodes are
/// alive, and how deep each component host sits. The page's own template
/// and the templates of every component on it share one source (the logic
/// thread hands [`PageInstance::node_ids`] to each component instance), so
/// ids never collide, the node budget is per page, and a component's
/// instance finds its own nesting from its host.
#[derive(Clone, Debug)]
pub struct NodeIdSource(Arc<PageShared>);

#[derive(Debug)]
struct PageShared {
    next: AtomicU32,
    live: AtomicUsize,
    /// Component hosts alive on the page -> the nesting of their shadow
    /// trees.
    hosts: Mutex<HashMap<NodeId, Nesting>>,
    /// `<slot>`s of component templates -> how many elements enclose
    /// their content in the page (the slot and the host's included).
    slots: Mutex<HashMap<NodeId, usize>>,
}

/// Where an instance's tree sits in the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Nesting {
    /// How many component shadow trees enclose it (0: the page).
    pub components: usize,
    /// How many elements are above its root's children (0: the page).
    pub elements: usize,
}

impl NodeIdSource {
    /// Ids start at `first` (at least 1: 0 is the page element).
    pub fn new(first: u32) -> Self {
        NodeIdSource(Arc::new(PageShared {
            next: AtomicU32::new(first.max(1)),
            live: AtomicUsize::new(0),
            hosts: Mutex::new(HashMap::new()),
            slots: Mutex::new(HashMap::new()),
        }))
    }

    pub fn next(&self) -> NodeId {
        NodeId(self.0.next.fetch_add(1, Ordering::Relaxed))
    }

    /// How many nodes the page's instances hold now.
    pub fn live_nodes(&self) -> usize {
        self.0.live.load(Ordering::Relaxed)
    }

    pub(super) fn node_created(&self) {
        self.0.live.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn nodes_dropped(&self, count: usize) {
        // Saturating: a miscount must never wrap into "full".
        let _ = self
            .0
            .live
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                Some(n.saturating_sub(count))
            });
    }

    fn hosts(&self) -> std::sync::MutexGuard<'_, HashMap<NodeId, Nesting>> {
        // A poisoned map only means another thread panicked mid-insert;
        // the map itself is still usable.
        self.0.hosts.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn register_host(&self, host: NodeId, nesting: Nesting) {
        self.hosts().insert(host, nesting);
    }

    pub(super) fn forget_host(&self, host: NodeId) {
        self.hosts().remove(&host);
    }

    /// The nesting of the tree built under `root` (a page: zero).
    pub(super) fn nesting_of(&self, root: NodeId) -> Nesting {
        self.hosts().get(&root).copied().unwrap_or_default()
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<NodeId, usize>> {
        self.0.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn register_slot(&self, slot: NodeId, content_depth: usize) {
        self.slots().insert(slot, content_depth);
    }

    pub(super) fn forget_slot(&self, slot: NodeId) {
        self.slots().remove(&slot);
    }

    /// How many elements enclose the content of `slot` in the page.
    fn slot_depth(&self, slot: NodeId) -> Option<usize> {
        self.slots().get(&slot).copied()
    }
}

/// How an instance is built (see [`PageInstance::with_options`]).
#[derive(Clone, Debug)]
pub struct InstanceOptions {
    /// The element the tree goes under: `NodeId::ROOT` for a page, the host
    /// element for a component's shadow tree.
    pub root: NodeId,
    pub ids: NodeIdSource,
    /// Custom component tags: tag name -> component path (no extension).
    pub components: HashMap<String, String>,
    /// For a component's template: its path, set as `wx:scope` on every
    /// element created. `None` for a page.
    pub scope: Option<String>,
}

impl InstanceOptions {
    /// A page without custom components.
    pub fn page(ids: NodeIdSource) -> Self {
        InstanceOptions {
            root: NodeId::ROOT,
            ids,
            components: HashMap::new(),
            scope: None,
        }
    }
}

/// What happened to component hosts during a build or update.
#[derive(Debug, Clone, PartialEq)]
pub enum ComponentEvent {
    /// A host was created (and inserted) with these property values.
    Created {
        host: NodeId,
        path: String,
        properties: Map<String, Value>,
        /// `generic:name="tag"` attributes, in order.
        generics: Vec<(String, String)>,
    },
    /// A property binding got a new value (`Null` for undefined).
    PropertyChanged {
        host: NodeId,
        name: String,
        value: Value,
    },
    /// A keyed list moved the host (or an ancestor of it).
    Moved { host: NodeId },
    /// The host was removed with its subtree.
    Removed { host: NodeId },
}

/// Where a distributed host's light children go.
#[derive(Debug, Default)]
pub(super) struct SlotTargets {
    slots: HashMap<String, NodeId>,
    /// `multipleSlots` off: everything goes to the default slot.
    single: bool,
    /// Detached element for light children no slot takes.
    holder: Option<NodeId>,
    /// Per slot: how many more elements enclose content placed in it than
    /// enclose the host's children in this template (the shadow tree's
    /// elements from the host down to the slot, the slot included).
    extra: HashMap<NodeId, usize>,
}

/// Attributes of a host element that stay attributes (not properties).
pub(super) fn is_host_attr(attr: &IrAttr) -> bool {
    matches!(
        attr.role,
        AttrRole::Dataset(_) | AttrRole::Mark(_) | AttrRole::Hidden
    ) || matches!(attr.name.as_str(), "id" | "class" | "style" | "slot")
}

impl PageInstance {
    /// Takes the component events of the builds and updates so far.
    pub fn take_component_events(&mut self) -> Vec<ComponentEvent> {
        std::mem::take(&mut self.component_events)
    }

    /// Takes the diagnostics of calls that return only ops (as
    /// [`Self::distribute_slots`], which may cut light children that end
    /// up nested too deeply); [`Self::update`] returns them too.
    pub fn take_diagnostics(&mut self) -> Vec<crate::diagnostic::TemplateDiagnostic> {
        std::mem::take(&mut self.diags)
    }

    /// The node this instance builds under.
    pub fn root_node(&self) -> NodeId {
        self.root_node
    }

    /// The id source (for the instances of this page's components).
    pub fn node_ids(&self) -> NodeIdSource {
        self.ids.clone()
    }

    /// The custom component tags this template knows (tag -> path).
    pub fn component_tags(&self) -> &HashMap<String, String> {
        &self.components
    }

    /// This template's `<slot>` elements by name (`""`: default).
    pub fn slot_nodes(&self) -> &HashMap<String, NodeId> {
        &self.slots
    }

    /// Whether `node` is an element created by this instance.
    pub fn owns(&self, node: NodeId) -> bool {
        self.elements.contains_key(&node)
    }

    /// The element's tag.
    pub fn tag_of(&self, node: NodeId) -> Option<&str> {
        self.element(node).map(|e| e.ir.tag.as_str())
    }

    /// The component path when `node` is a host in this instance.
    pub fn component_of(&self, node: NodeId) -> Option<&str> {
        self.element(node)?.component.as_deref()
    }

    /// A host's current property values.
    pub fn properties_of(&self, host: NodeId) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(element) = self.element(host) {
            for (attr, value) in element.ir.attrs.iter().zip(&element.attr_values) {
                if !is_host_attr(attr) {
                    out.insert(attr.name.clone(), value.clone().unwrap_or(Value::Null));
                }
            }
        }
        out
    }

    /// The DOM parent of an element of this instance as the render tree
    /// has it: a slotted light child's parent is its slot (owned by the
    /// component's instance); a top-level element's is [`Self::root_node`].
    pub fn dom_parent_of(&self, node: NodeId) -> Option<NodeId> {
        let inst = *self.elements.get(&node)?;
        let parent = self.dom_parent(inst);
        Some(match self.slot_targets.get(&parent) {
            Some(targets) => {
                let name = self.slot_name_of(node);
                targets.lookup(&name).or(targets.holder).unwrap_or(parent)
            }
            None => parent,
        })
    }

    /// The element's parent in this instance's own template (slots not
    /// followed): `None` for a top-level element or one not of this
    /// instance. What descendant selectors of `selectComponent` walk.
    pub fn template_parent_of(&self, node: NodeId) -> Option<NodeId> {
        let inst = *self.elements.get(&node)?;
        let parent = self.dom_parent(inst);
        (parent != self.root_node).then_some(parent)
    }

    /// The DOM nodes (elements and text) whose parent in this instance's
    /// own template is `node`, in order (`None`: the top-level nodes);
    /// slots not followed. What sibling selectors of `selectComponent`
    /// walk.
    pub fn template_children_of(&self, node: Option<NodeId>) -> Vec<NodeId> {
        let inst = match node {
            None => self.root,
            Some(node) => match self.elements.get(&node) {
                Some(&inst) => inst,
                None => return Vec::new(),
            },
        };
        let mut out = Vec::new();
        for &child in &self.inst(inst).children {
            self.top_dom_nodes(child, &mut out);
        }
        out
    }

    /// Moves the light children of `host` into the component's slots
    /// (`slots` as [`Self::slot_nodes`] of the component's instance) and
    /// routes later insertions there too. Without `multiple_slots` every
    /// light child goes to the default slot (the first `<slot>`).
    /// Returns the ops.
    ///
    /// In a slot, the shadow tree's elements above it enclose the light
    /// children too: elements that now nest past
    /// [`crate::MAX_ELEMENT_DEPTH`] are removed, with a diagnostic at each
    /// (see [`Self::take_diagnostics`]), and content built under the host
    /// later counts those levels as well.
    pub fn distribute_slots(
        &mut self,
        host: NodeId,
        slots: &HashMap<String, NodeId>,
        multiple_slots: bool,
    ) -> Vec<Op> {
        let Some(&inst) = self.elements.get(&host) else {
            return Vec::new();
        };
        let mut targets = SlotTargets {
            slots: slots.clone(),
            single: !multiple_slots,
            holder: None,
            extra: HashMap::new(),
        };
        if !multiple_slots {
            targets.slots = HashMap::new();
            if let Some(&first) = slots.get("").or_else(|| slots.values().min()) {
                targets.slots.insert(String::new(), first);
            }
        }
        // Light children were built as if the host's children; in a slot,
        // the shadow tree's elements above the slot enclose them too.
        let base = self.nesting.elements + self.depth_of(inst).elements;
        for &slot in targets.slots.values() {
            if let Some(depth) = self.ids.slot_depth(slot) {
                targets.extra.insert(slot, depth.saturating_sub(base));
            }
        }
        self.slot_targets.insert(host, targets);
        let before_ops = self.ops.len();
        self.fit_light_children(inst, base);
        let mut nodes = Vec::new();
        for &child in &self.inst(inst).children.clone() {
            self.top_dom_nodes(child, &mut nodes);
        }
        for node in nodes {
            self.push_insert(host, node, None);
        }
        self.ops.split_off(before_ops)
    }

    /// How many elements of the component's shadow tree enclose `child`
    /// (an instance under the distributed host `host`) besides the host:
    /// those around the slot it lands in; a fragment (`wx:if`, `wx:for`)
    /// may feed several slots and counts the deepest. 0 when `host` is not
    /// distributed or the child lands nowhere rendered.
    pub(super) fn slot_extra(&self, host: NodeId, child: InstId) -> usize {
        let Some(targets) = self.slot_targets.get(&host) else {
            return 0;
        };
        match &self.inst(child).kind {
            InstKind::Element(element) => {
                let name = self.slot_name_of(element.node);
                targets
                    .lookup(&name)
                    .and_then(|slot| targets.extra.get(&slot).copied())
                    .unwrap_or(0)
            }
            _ => targets.extra.values().copied().max().unwrap_or(0),
        }
    }

    /// After `host_inst`'s light children got their slots: drops the
    /// elements that now nest deeper than [`crate::MAX_ELEMENT_DEPTH`]
    /// (each reported where it is written; the rest stays), and moves the
    /// nesting of the component hosts among them as deep as they now are,
    /// so their shadow trees count it. `base`: the elements enclosing the
    /// host's children. One walk over the light children, down to the
    /// hosts among them that are not distributed yet.
    fn fit_light_children(&mut self, host_inst: InstId, base: usize) {
        let InstKind::Element(host) = &self.inst(host_inst).kind else {
            return;
        };
        let host_node = host.node;
        let mut cut = Vec::new();
        // (instance, elements enclosing it)
        let mut stack: Vec<(InstId, usize)> = self
            .inst(host_inst)
            .children
            .iter()
            .map(|&child| (child, base + self.slot_extra(host_node, child)))
            .collect();
        while let Some((id, enclosing)) = stack.pop() {
            let inst = self.inst(id);
            let mut inside = enclosing;
            if let InstKind::Element(element) = &inst.kind {
                if enclosing >= crate::MAX_ELEMENT_DEPTH {
                    cut.push(id);
                    continue;
                }
                inside += 1;
                if element.component.is_some() {
                    self.ids.register_host(
                        element.node,
                        Nesting {
                            components: self.nesting.components + 1,
                            elements: inside,
                        },
                    );
                    // A host not distributed yet: its own distribution
                    // checks its light children (counting this one), so
                    // each element is walked once.
                    if !self.slot_targets.contains_key(&element.node) {
                        continue;
                    }
                }
                for &child in &inst.children {
                    stack.push((child, inside + self.slot_extra(element.node, child)));
                }
            } else {
                stack.extend(inst.children.iter().map(|&child| (child, inside)));
            }
        }
        for id in cut {
            let InstKind::Element(element) = &self.inst(id).kind else {
                continue;
            };
            let (file, pos, tag) = (element.file.clone(), element.ir.pos, element.ir.tag.clone());
            self.report_limit(
                &file,
                pos,
                "elements",
                format!(
                    "<{tag}> nested too deeply (more than {} levels of elements, templates, \
                     components and the slots they fill included): it is not rendered",
                    crate::MAX_ELEMENT_DEPTH
                ),
            );
            if let Some(parent) = self.inst(id).parent {
                self.inst_mut(parent).children.retain(|&c| c != id);
            }
            self.remove_inst(id);
        }
    }

    /// Pushes an `Insert`, redirected into a slot when `parent` is a
    /// distributed host. Ordering among light children of one slot is kept
    /// for appends; an insertion `before` a node of another slot appends.
    pub(super) fn push_insert(&mut self, parent: NodeId, child: NodeId, before: Option<NodeId>) {
        if !self.slot_targets.contains_key(&parent) {
            self.ops.push(Op::Insert {
                parent,
                child,
                before,
            });
            return;
        }
        let name = self.slot_name_of(child);
        let before_name = before.map(|b| self.slot_name_of(b));
        let target = self.slot_targets.get(&parent).and_then(|t| t.lookup(&name));
        let (target, same_slot) = match target {
            Some(slot) => (
                slot,
                before_name.is_some_and(|b| {
                    self.slot_targets.get(&parent).and_then(|t| t.lookup(&b)) == Some(slot)
                }),
            ),
            None => (self.holder_for(parent), false),
        };
        self.ops.push(Op::Insert {
            parent: target,
            child,
            before: if same_slot { before } else { None },
        });
    }

    fn holder_for(&mut self, host: NodeId) -> NodeId {
        if let Some(holder) = self.slot_targets.get(&host).and_then(|t| t.holder) {
            return holder;
        }
        let holder = self.ids.next();
        self.count_node();
        self.ops.push(Op::CreateElement {
            id: holder,
            tag: "slot".into(),
        });
        if let Some(targets) = self.slot_targets.get_mut(&host) {
            targets.holder = Some(holder);
        }
        holder
    }

    /// The `slot` attribute of a light child (`""` when absent or not an
    /// element).
    fn slot_name_of(&self, node: NodeId) -> String {
        match self.attribute(node, "slot") {
            Some(Value::String(name)) => name.clone(),
            _ => String::new(),
        }
    }

    /// Records a `<slot>` element of a component template, with the
    /// elements that enclose its content in the page.
    pub(super) fn register_slot(&mut self, node: NodeId, content_depth: usize) {
        self.ids.register_slot(node, content_depth);
        let name = match self.attribute(node, "name") {
            Some(Value::String(name)) => name.clone(),
            _ => String::new(),
        };
        self.slots.entry(name).or_insert(node);
        self.ops.push(Op::SetAttribute {
            id: node,
            name: crate::scope_attrs::VIRTUAL.into(),
            value: Value::Bool(true),
        });
    }

    /// Reports every host in `inst`'s subtree as moved.
    pub(super) fn report_moved_hosts(&mut self, inst: InstId) {
        let mut stack = vec![inst];
        while let Some(id) = stack.pop() {
            let node = self.inst(id);
            let host = match &node.kind {
                InstKind::Element(element) if element.component.is_some() => Some(element.node),
                _ => None,
            };
            stack.extend(node.children.iter().rev().copied());
            if let Some(host) = host {
                self.component_events
                    .push(super::ComponentEvent::Moved { host });
            }
        }
    }
}

impl SlotTargets {
    fn lookup(&self, name: &str) -> Option<NodeId> {
        if self.single {
            return self.slots.get("").copied();
        }
        self.slots.get(name).copied()
    }
}
