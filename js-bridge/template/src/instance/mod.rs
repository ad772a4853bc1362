//! [`PageInstance`]: one page's WXML instantiated against its data.
//!
//! The instance keeps an *instance tree* (`Inst`s) that mirrors the WXML
//! structure, including the fragments that render no node themselves
//! (`wx:if`, `wx:for` and its items, `<template is>`, `<include>`), and a
//! table of *bindings*: each dynamic value (a text run, an attribute, an
//! event handler, an if-chain, a list, a template reference) with the data
//! paths it read last time.
//!
//! Invariants:
//! - a binding's id is larger than the ids of the bindings of every instance
//!   above it, so processing affected bindings in id order handles a parent
//!   (which may rebuild or re-scope its content) before its content;
//! - every binding's deps are in the dependency index exactly while the
//!   binding exists;
//! - the DOM nodes an instance owns are attached under `dom_parent` in
//!   instance-tree order.

mod build;
mod component;
mod reconcile;
mod tree;

pub use component::{ComponentEvent, InstanceOptions, NodeIdSource};
use component::{Nesting, SlotTargets};

use crate::data_path::DataPath;
use crate::deps::{BindingId, DepIndex, DepKind};
use crate::diagnostic::TemplateDiagnostic;
use crate::eval::{DataRoot, Evaluator, Frame, ListItem, Source, TemplateData, MAX_LIST_ITEMS};
use crate::events::EventBinding;
use crate::group::TemplateGroup;
use crate::ir::{
    AttrRole, AttrSource, Expr, IrAttr, IrElement, IrFor, IrIf, IrTemplateRef, IrValue,
};
use crate::value::JsVal;
use cirrus_protocol::ops::{NodeId, Op};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

pub(crate) type InstId = usize;

/// How deep `<template is>` and `<include>` may nest: 64. Each level is a
/// stack frame chain while building, and a template that uses itself (or
/// an include cycle) would otherwise never end; real pages nest a few.
pub const MAX_TEMPLATE_NESTING: usize = 64;

/// How many custom components may nest inside each other on a page: 64.
/// A component that renders itself, or two that render each other, stop
/// here instead of recursing until the stack or memory runs out; real
/// component trees are a dozen deep at most.
pub const MAX_COMPONENT_DEPTH: usize = 64;

/// How deep the instance tree (elements plus the `wx:if`, `wx:for`,
/// item, template and include fragments around them) may be while
/// building: four levels per element level, the most one tag can produce
/// (`wx:for` + item + `wx:if` + element). Building recurses once per
/// level, so this bounds its stack use; it matters only for fragments
/// chained through templates without elements between them.
pub const MAX_INSTANCE_DEPTH: usize = 4 * crate::MAX_ELEMENT_DEPTH;

/// How many nodes (elements and text) one page may hold, its components'
/// included: 100,000. A page far below this is already too slow to lay
/// out at 60 Hz (Chrome's Lighthouse flags 1,500 DOM nodes); above it,
/// nodes are not created and the page shows what fits.
pub const MAX_PAGE_NODES: usize = 100_000;

/// How many fragments (`wx:if`, `wx:for`, list items, templates and
/// includes, which create no node) one template instance may hold:
/// 200,000, two per node of [`MAX_PAGE_NODES`]. Without it, a template
/// that uses itself twice with no element in between, or lists nested in
/// lists around nothing, would multiply fragments exponentially.
pub const MAX_FRAGMENTS: usize = 2 * MAX_PAGE_NODES;

struct Inst {
    parent: Option<InstId>,
    children: Vec<InstId>,
    /// Bindings owned by this instance, in creation order.
    bindings: Vec<BindingId>,
    kind: InstKind,
}

enum InstKind {
    /// The node the instance builds under: the page element
    /// (`NodeId::ROOT`) or a component's host element.
    Root,
    Element(ElementState),
    Text {
        node: NodeId,
        text: String,
    },
    If {
        ir: Arc<IrIf>,
        active: Option<usize>,
    },
    For {
        ir: Arc<IrFor>,
    },
    /// One `wx:for` item: the scope frame of its content.
    Item {
        source: Source,
        index: Value,
        key: Option<String>,
    },
    /// `<template is>`: the data root of its content.
    Template {
        ir: Arc<IrTemplateRef>,
        name: Option<String>,
        data: TemplateData,
    },
    /// `<include>`: its content starts a new `wx:for` scope numbering.
    Include,
}

struct ElementState {
    node: NodeId,
    ir: Arc<IrElement>,
    /// The file the tag is written in (where limit diagnostics point).
    file: Arc<str>,
    /// Current value of each `ir.attrs` entry (`None`: not set).
    attr_values: Vec<Option<Value>>,
    /// Parallel to `ir.events`.
    events: Vec<EventBinding>,
    /// The component path when this element is a custom component's host:
    /// its non-host attributes are properties (reported as
    /// [`ComponentEvent`]s, not ops).
    component: Option<Arc<str>>,
}

/// What a binding drives.
enum Target {
    Text(Arc<Expr>),
    Attr(usize),
    Event(usize),
    If,
    For,
    Template,
}

struct Binding {
    owner: InstId,
    /// The file its expression is written in (for diagnostics and lookups).
    file: Arc<str>,
    target: Target,
    deps: Vec<(DataPath, DepKind)>,
    /// The update pass that last evaluated it.
    stamp: u64,
}

/// A binding's freshly evaluated result.
enum Outcome {
    Text(String),
    Attr(Option<Value>),
    Handler(String),
    Branch(Option<usize>),
    List(Vec<ListItem>),
    Template(Option<String>, TemplateData),
}

/// Where a context's content is being built: the file it is written in,
/// and how deep in the page it is.
#[derive(Clone)]
struct Cx<'g> {
    group: &'g TemplateGroup,
    data: &'g Value,
    file: Arc<str>,
    /// How many templates/includes enclose it.
    templates: usize,
    /// How many elements enclose it in the page (components included).
    elements: usize,
    /// How deep the instance tree is here.
    instances: usize,
    /// The innermost tag being built (where limit diagnostics point).
    at: crate::ir::Pos,
}

/// One page's template instance. See the module docs.
pub struct PageInstance {
    insts: Vec<Option<Inst>>,
    free_insts: Vec<InstId>,
    root: InstId,
    bindings: HashMap<BindingId, Binding>,
    next_binding: BindingId,
    deps: DepIndex,
    ids: NodeIdSource,
    /// The node the tree is built under (see [`InstKind::Root`]).
    root_node: NodeId,
    /// Custom component tags usable in this template: tag -> component path.
    components: HashMap<String, String>,
    /// The component path when this is a component's template: every
    /// element created gets `wx:scope` (see [`crate::scope_attrs`]).
    scope: Option<String>,
    /// This template's `<slot>` elements by name (`""`: the default slot);
    /// the first one of a name wins.
    slots: HashMap<String, NodeId>,
    /// Hosts in this template whose light children have been distributed
    /// into their component's slots.
    slot_targets: HashMap<NodeId, SlotTargets>,
    component_events: Vec<ComponentEvent>,
    elements: HashMap<NodeId, InstId>,
    pass: u64,
    visits: usize,
    ops: Vec<Op>,
    diags: Vec<TemplateDiagnostic>,
    /// Where this tree sits in the page (see [`Nesting`]).
    nesting: Nesting,
    /// The WXML file this instance renders.
    file: Arc<str>,
    /// Nodes this instance created and still holds (its share of the
    /// page's [`MAX_PAGE_NODES`]).
    node_count: usize,
    /// Whether running out of [`MAX_PAGE_NODES`] was reported.
    node_budget_reported: bool,
    /// Fragments this instance holds (see [`MAX_FRAGMENTS`]).
    fragment_count: usize,
    /// Whether running out of [`MAX_FRAGMENTS`] was reported.
    fragment_budget_reported: bool,
    /// Limit diagnostics already reported (file, position, limit), so a
    /// list of 10,000 items over a limit reports it once.
    limits_reported: HashSet<(Arc<str>, crate::ir::Pos, &'static str)>,
}

impl Drop for PageInstance {
    fn drop(&mut self) {
        self.ids.nodes_dropped(self.node_count);
        for element in self.elements.keys() {
            self.ids.forget_host(*element);
            self.ids.forget_slot(*element);
        }
    }
}

impl PageInstance {
    /// Builds the page `wxml_path` of `group` under `NodeId::ROOT`, allocating
    /// node ids from `first_id` upward. Returns the ops that create the tree.
    pub fn new(
        group: &TemplateGroup,
        wxml_path: &str,
        data: &Value,
        first_id: u32,
    ) -> (PageInstance, Vec<Op>, Vec<TemplateDiagnostic>) {
        Self::with_options(
            group,
            wxml_path,
            data,
            InstanceOptions::page(NodeIdSource::new(first_id)),
        )
    }

    /// Builds `wxml_path` under `options.root` (a page or a component's
    /// shadow tree). Component hosts met while building are reported by
    /// [`Self::take_component_events`].
    pub fn with_options(
        group: &TemplateGroup,
        wxml_path: &str,
        data: &Value,
        options: InstanceOptions,
    ) -> (PageInstance, Vec<Op>, Vec<TemplateDiagnostic>) {
        let nesting = options.ids.nesting_of(options.root);
        let mut instance = PageInstance {
            nesting,
            file: Arc::from(crate::lower::wxml_key(wxml_path).as_str()),
            node_count: 0,
            node_budget_reported: false,
            fragment_count: 0,
            fragment_budget_reported: false,
            limits_reported: HashSet::new(),
            insts: Vec::new(),
            free_insts: Vec::new(),
            root: 0,
            bindings: HashMap::new(),
            next_binding: 0,
            deps: DepIndex::default(),
            ids: options.ids,
            root_node: options.root,
            components: options.components,
            scope: options.scope,
            slots: HashMap::new(),
            slot_targets: HashMap::new(),
            component_events: Vec::new(),
            elements: HashMap::new(),
            pass: 0,
            visits: 0,
            ops: Vec::new(),
            diags: Vec::new(),
        };
        instance.root = instance.alloc_inst(None, InstKind::Root);
        match group.file(wxml_path) {
            Some(file) => {
                let cx = Cx {
                    group,
                    data,
                    file: file.path.clone(),
                    templates: 0,
                    elements: nesting.elements,
                    instances: 0,
                    at: (1, 1),
                };
                let content = file.content.clone();
                let root = instance.root;
                instance.build_nodes(
                    &cx,
                    &content,
                    root,
                    build::Place {
                        dom_parent: instance.root_node,
                        before: None,
                    },
                );
            }
            None => instance.diags.push(TemplateDiagnostic::error(
                wxml_path,
                (1, 1),
                format!("{wxml_path} is not a loaded WXML file"),
            )),
        }
        let ops = std::mem::take(&mut instance.ops);
        let diags = std::mem::take(&mut instance.diags);
        (instance, ops, diags)
    }

    /// Re-evaluates the bindings that read any of `changed` (already applied
    /// to `data`) and returns the ops that bring the tree up to date.
    pub fn update(
        &mut self,
        group: &TemplateGroup,
        data: &Value,
        changed: &[DataPath],
    ) -> (Vec<Op>, Vec<TemplateDiagnostic>) {
        self.pass += 1;
        self.visits = 0;
        let mut affected = Vec::new();
        for path in changed {
            self.deps.affected(path, &mut affected);
        }
        affected.sort_unstable();
        affected.dedup();
        for id in affected {
            let Some(binding) = self.bindings.get(&id) else {
                continue;
            };
            if binding.stamp == self.pass {
                continue;
            }
            let cx = self.cx_for_binding(group, data, id);
            self.rerun(&cx, id);
        }
        (
            std::mem::take(&mut self.ops),
            std::mem::take(&mut self.diags),
        )
    }

    /// Convenience for the logic thread: applies setData `updates` to `data`
    /// (see [`crate::apply_set_data`]) and then [`Self::update`]s with their
    /// paths.
    pub fn set_data(
        &mut self,
        group: &TemplateGroup,
        data: &mut Value,
        updates: &[(DataPath, Value)],
    ) -> (Vec<Op>, Vec<TemplateDiagnostic>) {
        let problems = crate::data_path::apply_set_data(data, updates);
        let changed: Vec<DataPath> = updates.iter().map(|(path, _)| path.clone()).collect();
        let (ops, mut diags) = self.update(group, data, &changed);
        // No WXML position is to blame: the page's file is named (the logic
        // thread calls `apply_set_data` itself and reports at the setData).
        for problem in problems {
            diags.push(TemplateDiagnostic::error(
                &self.file,
                (1, 1),
                problem.to_string(),
            ));
        }
        (ops, diags)
    }

    /// How many bindings the last [`Self::update`] evaluated.
    pub fn last_update_visits(&self) -> usize {
        self.visits
    }

    /// How many bindings the instance holds.
    pub fn binding_count(&self) -> usize {
        self.bindings.len()
    }

    /// The event handlers bound on `node` (empty for text or unknown nodes).
    pub fn event_handlers(&self, node: NodeId) -> &[EventBinding] {
        match self.element(node) {
            Some(element) => &element.events,
            None => &[],
        }
    }

    /// The current value of attribute `name` on `node`.
    pub fn attribute(&self, node: NodeId, name: &str) -> Option<&Value> {
        let element = self.element(node)?;
        let index = element.ir.attrs.iter().position(|a| a.name == name)?;
        element.attr_values.get(index)?.as_ref()
    }

    /// `node`'s dataset (`data-*` attributes, camelCase keys).
    pub fn dataset(&self, node: NodeId) -> Map<String, Value> {
        self.collect_role(node, |role| match role {
            AttrRole::Dataset(key) => Some(key),
            _ => None,
        })
    }

    /// `node`'s event marks (`mark:*` attributes).
    pub fn marks(&self, node: NodeId) -> Map<String, Value> {
        self.collect_role(node, |role| match role {
            AttrRole::Mark(key) => Some(key),
            _ => None,
        })
    }

    fn collect_role(
        &self,
        node: NodeId,
        key_of: impl Fn(&AttrRole) -> Option<&String>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(element) = self.element(node) {
            for (attr, value) in element.ir.attrs.iter().zip(&element.attr_values) {
                if let (Some(key), Some(value)) = (key_of(&attr.role), value) {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        out
    }

    fn element(&self, node: NodeId) -> Option<&ElementState> {
        let id = *self.elements.get(&node)?;
        match &self.inst(id).kind {
            InstKind::Element(element) => Some(element),
            _ => None,
        }
    }

    fn alloc_node(&mut self) -> NodeId {
        self.count_node();
        self.ids.next()
    }

    fn count_node(&mut self) {
        self.node_count += 1;
        self.ids.node_created();
    }

    /// Reports that a limit stopped building at `pos` of `file`, once per
    /// place and limit.
    fn report_limit(
        &mut self,
        file: &Arc<str>,
        pos: crate::ir::Pos,
        limit: &'static str,
        message: String,
    ) {
        if self.limits_reported.insert((file.clone(), pos, limit)) {
            self.diags
                .push(TemplateDiagnostic::error(file, pos, message));
        }
    }

    /// The build context for re-running binding `id` of an existing tree.
    fn cx_for_binding<'g>(
        &self,
        group: &'g TemplateGroup,
        data: &'g Value,
        id: BindingId,
    ) -> Cx<'g> {
        let (file, owner) = match self.bindings.get(&id) {
            Some(b) => (b.file.clone(), b.owner),
            None => (Arc::from(""), self.root),
        };
        let depth = self.depth_of(owner);
        Cx {
            group,
            data,
            file,
            templates: depth.templates,
            elements: self.nesting.elements + depth.elements,
            instances: depth.instances,
            at: self.position_of(owner),
        }
    }

    /// Creates a binding owned by `owner`, evaluates it and returns the result.
    fn add_binding(&mut self, cx: &Cx, owner: InstId, target: Target) -> Outcome {
        let id = self.next_binding;
        self.next_binding += 1;
        self.bindings.insert(
            id,
            Binding {
                owner,
                file: cx.file.clone(),
                target,
                deps: Vec::new(),
                stamp: self.pass,
            },
        );
        self.inst_mut(owner).bindings.push(id);
        self.run_binding(cx.data, id)
    }

    /// Evaluates binding `id` (replacing its recorded deps) without applying.
    fn run_binding(&mut self, data: &Value, id: BindingId) -> Outcome {
        self.visits += 1;
        let Some(binding) = self.bindings.get(&id) else {
            return Outcome::Text(String::new());
        };
        let (frames, root) = self.scope_of(binding.owner);
        let mut ev = Evaluator::new(data, &frames, root, &binding.file);
        let outcome = self.evaluate_target(&mut ev, binding);
        let new_deps = std::mem::take(&mut ev.deps);
        let diags = std::mem::take(&mut ev.diags);
        let truncated_from = ev.list_truncated_from;
        drop(ev);
        drop(frames);
        self.diags.extend(diags);
        if let Some(total) = truncated_from {
            self.report_truncated_list(id, total);
        }
        let pass = self.pass;
        if let Some(binding) = self.bindings.get_mut(&id) {
            binding.stamp = pass;
            if binding.deps != new_deps {
                let old_deps = std::mem::replace(&mut binding.deps, new_deps);
                self.replace_deps(id, &old_deps);
            }
        }
        outcome
    }

    /// Reports (once per list) that binding `id`'s `wx:for` showed only its
    /// first [`MAX_LIST_ITEMS`] of `total` items.
    fn report_truncated_list(&mut self, id: BindingId, total: usize) {
        let Some(binding) = self.bindings.get(&id) else {
            return;
        };
        let InstKind::For { ir } = &self.inst(binding.owner).kind else {
            return;
        };
        let (file, pos) = (binding.file.clone(), ir.pos);
        self.report_limit(
            &file,
            pos,
            "list",
            format!(
                "wx:for over {total} items: only the first {MAX_LIST_ITEMS} are rendered \
                 (page long lists)"
            ),
        );
    }

    /// Moves binding `id`'s entries in the dependency index from `old` to
    /// its current deps, touching only the paths that differ (a long list's
    /// binding usually gains or loses one item path, not all of them).
    fn replace_deps(&mut self, id: BindingId, old: &[(DataPath, DepKind)]) {
        let Some(binding) = self.bindings.get(&id) else {
            return;
        };
        let new: HashSet<&(DataPath, DepKind)> = binding.deps.iter().collect();
        let old_set: HashSet<&(DataPath, DepKind)> = old.iter().collect();
        for dep in old {
            if !new.contains(dep) {
                self.deps.remove(&dep.0, dep.1, id);
            }
        }
        for dep in &binding.deps {
            if !old_set.contains(dep) {
                self.deps.insert(&dep.0, dep.1, id);
            }
        }
    }

    fn evaluate_target<'a>(&'a self, ev: &mut Evaluator<'a, '_>, binding: &Binding) -> Outcome {
        let owner = &self.inst(binding.owner).kind;
        match (&binding.target, owner) {
            (Target::Text(expr), _) => Outcome::Text(
                ev.value(&IrValue::Dynamic(expr.clone()))
                    .to_display_string(),
            ),
            (Target::Attr(i), InstKind::Element(element)) => match element.ir.attrs.get(*i) {
                Some(attr) => Outcome::Attr(eval_attr(ev, attr)),
                None => Outcome::Attr(None),
            },
            (Target::Event(i), InstKind::Element(element)) => match element.ir.events.get(*i) {
                Some(event) => Outcome::Handler(handler_name(ev.value(&event.handler))),
                None => Outcome::Handler(String::new()),
            },
            (Target::If, InstKind::If { ir, .. }) => {
                let branch = ir
                    .branches
                    .iter()
                    .position(|(cond, _)| ev.value(cond).truthy());
                Outcome::Branch(branch.or(ir.else_branch.as_ref().map(|_| ir.branches.len())))
            }
            (Target::For, InstKind::For { ir }) => Outcome::List(ev.list(ir)),
            (Target::Template, InstKind::Template { ir, .. }) => {
                let name = ev.value(&ir.target).to_display_string();
                let data = ir
                    .data
                    .as_ref()
                    .map(|e| ev.template_data(e))
                    .unwrap_or_default();
                Outcome::Template((!name.is_empty()).then_some(name), data)
            }
            _ => Outcome::Text(String::new()),
        }
    }

    /// The innermost written position at or above `inst`.
    fn position_of(&self, inst: InstId) -> crate::ir::Pos {
        let mut cur = Some(inst);
        while let Some(i) = cur {
            let node = self.inst(i);
            match &node.kind {
                InstKind::Element(element) => return element.ir.pos,
                InstKind::For { ir } => return ir.pos,
                InstKind::Template { ir, .. } => return ir.pos,
                _ => {}
            }
            cur = node.parent;
        }
        (1, 1)
    }

    /// The `wx:for` frames and data root visible to bindings of `owner`.
    fn scope_of(&self, owner: InstId) -> (Vec<Frame<'_>>, DataRoot<'_>) {
        let mut frames = Vec::new();
        let mut collecting = true;
        let mut cur = self.inst(owner).parent;
        while let Some(id) = cur {
            let inst = self.inst(id);
            match &inst.kind {
                InstKind::Item { source, index, .. } if collecting => frames.push(Frame {
                    item: source,
                    index,
                }),
                InstKind::Include => collecting = false,
                InstKind::Template { data, .. } => {
                    frames.reverse();
                    return (frames, DataRoot::Template(data));
                }
                _ => {}
            }
            cur = inst.parent;
        }
        frames.reverse();
        (frames, DataRoot::Page)
    }

    /// Re-runs binding `id` and applies the difference to the tree.
    fn rerun(&mut self, cx: &Cx, id: BindingId) {
        let outcome = self.run_binding(cx.data, id);
        let Some(binding) = self.bindings.get(&id) else {
            return;
        };
        let owner = binding.owner;
        match (&binding.target, outcome) {
            (Target::Text(_), Outcome::Text(text)) => {
                if let InstKind::Text {
                    node,
                    text: current,
                } = &mut self.inst_mut(owner).kind
                {
                    if *current != text {
                        let node = *node;
                        *current = text.clone();
                        self.ops.push(Op::SetText { id: node, text });
                    }
                }
            }
            (Target::Attr(i), Outcome::Attr(value)) => {
                let i = *i;
                if let InstKind::Element(element) = &mut self.inst_mut(owner).kind {
                    if element.attr_values.get(i) != Some(&value) {
                        let name = element.ir.attrs[i].name.clone();
                        let node = element.node;
                        element.attr_values[i] = value.clone();
                        if element.component.is_some()
                            && !component::is_host_attr(&element.ir.attrs[i])
                        {
                            self.component_events.push(ComponentEvent::PropertyChanged {
                                host: node,
                                name,
                                value: value.unwrap_or(Value::Null),
                            });
                            return;
                        }
                        self.ops.push(match value {
                            Some(value) => Op::SetAttribute {
                                id: node,
                                name,
                                value,
                            },
                            None => Op::RemoveAttribute { id: node, name },
                        });
                    }
                }
            }
            (Target::Event(i), Outcome::Handler(handler)) => {
                let i = *i;
                if let InstKind::Element(element) = &mut self.inst_mut(owner).kind {
                    if let Some(event) = element.events.get_mut(i) {
                        event.handler = handler;
                    }
                }
            }
            (Target::If, Outcome::Branch(branch)) => self.switch_branch(cx, owner, branch),
            (Target::For, Outcome::List(items)) => self.reconcile(cx, owner, items),
            (Target::Template, Outcome::Template(name, data)) => {
                self.retarget_template(cx, owner, name, data)
            }
            _ => {}
        }
    }

    /// Re-evaluates every binding in `inst`'s subtree not yet evaluated in
    /// this pass (after its scope changed: a moved item, new template data).
    fn refresh(&mut self, group: &TemplateGroup, data: &Value, inst: InstId) {
        // Iterative, parent before children: a parent's rerun may rebuild
        // (and free) the children queued after it, which are then skipped.
        let mut stack = vec![inst];
        while let Some(inst) = stack.pop() {
            if !self.insts.get(inst).is_some_and(Option::is_some) {
                continue;
            }
            let bindings = self.inst(inst).bindings.clone();
            for id in bindings {
                let stale = self.bindings.get(&id).is_some_and(|b| b.stamp != self.pass);
                if stale {
                    let cx = self.cx_for_binding(group, data, id);
                    self.rerun(&cx, id);
                }
            }
            if self.insts.get(inst).is_some_and(Option::is_some) {
                stack.extend(self.inst(inst).children.iter().rev().copied());
            }
        }
    }
}

/// The event handler name an expression result stands for.
fn handler_name(value: JsVal) -> String {
    value.as_str().map(str::to_owned).unwrap_or_default()
}

fn json_truthy(v: &Value) -> bool {
    JsVal::Borrowed(v).truthy()
}

/// Whether an attribute's value can change with data.
fn attr_is_dynamic(attr: &IrAttr) -> bool {
    let dynamic = |v: &IrValue| matches!(v, IrValue::Dynamic(_));
    match &attr.source {
        AttrSource::Value(v) => dynamic(v),
        AttrSource::Present => false,
        AttrSource::ClassList(list) => list.iter().any(|(_, c)| c.as_ref().is_some_and(dynamic)),
        AttrSource::StyleList(list) => list.iter().any(|(_, v)| dynamic(v)),
    }
}

/// An attribute's value: `None` when it should not be set (undefined).
fn eval_attr(ev: &mut Evaluator, attr: &IrAttr) -> Option<Value> {
    let raw = match &attr.source {
        AttrSource::Present => Some(Value::Bool(true)),
        AttrSource::Value(v) => ev.value(v).into_json(),
        AttrSource::ClassList(list) => {
            let mut classes = Vec::new();
            for (name, cond) in list {
                if cond.as_ref().is_none_or(|c| ev.value(c).truthy()) {
                    classes.push(name.as_str());
                }
            }
            Some(Value::String(classes.join(" ")))
        }
        AttrSource::StyleList(list) => {
            let mut style = String::new();
            for (prop, value) in list {
                let value = ev.value(value).to_display_string();
                if !value.is_empty() {
                    style.push_str(prop);
                    style.push(':');
                    style.push_str(&value);
                    style.push(';');
                }
            }
            Some(Value::String(style))
        }
    };
    if attr.role == AttrRole::Hidden {
        return Some(Value::Bool(raw.as_ref().is_some_and(json_truthy)));
    }
    raw
}
