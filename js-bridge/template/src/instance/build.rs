//! Building instance subtrees (and their ops) from IR, and the structural
//! updates that rebuild content: `wx:if` branch switches and template
//! retargeting.
//!
//! A new subtree's ops come parent-first: an element is created, given its
//! attributes and children, then inserted, so the render thread attaches a
//! complete subtree at once.

use super::component::Nesting;
use super::{
    Cx, ElementState, InstId, InstKind, Outcome, PageInstance, Target, MAX_COMPONENT_DEPTH,
    MAX_FRAGMENTS, MAX_INSTANCE_DEPTH, MAX_PAGE_NODES, MAX_TEMPLATE_NESTING,
};
use crate::diagnostic::TemplateDiagnostic;
use crate::eval::{DataRoot, Evaluator, ListItem, TemplateData};
use crate::events::EventBinding;
use crate::ir::{IrFor, IrNode, IrValue};
use crate::MAX_ELEMENT_DEPTH;
use cirrus_protocol::ops::{NodeId, Op};
use serde_json::{Map, Value};
use std::sync::Arc;

/// Where new DOM nodes go.
#[derive(Clone, Copy)]
pub(super) struct Place {
    pub dom_parent: NodeId,
    pub before: Option<NodeId>,
}

impl PageInstance {
    pub(super) fn build_nodes(&mut self, cx: &Cx, nodes: &[IrNode], parent: InstId, place: Place) {
        for node in nodes {
            self.build_node(cx, node, parent, place);
        }
    }

    /// Whether building may go one level deeper here; reports when not.
    fn within_instance_depth(&mut self, cx: &Cx) -> bool {
        if cx.instances < MAX_INSTANCE_DEPTH {
            return true;
        }
        self.report_limit(
            &cx.file,
            cx.at,
            "instances",
            format!(
                "content nested too deeply (more than {MAX_INSTANCE_DEPTH} levels of elements, \
                 wx:if, wx:for and templates): it is not rendered"
            ),
        );
        false
    }

    /// Whether the page may hold another node; reports at `at` when not.
    fn within_node_budget(&mut self, cx: &Cx, at: crate::ir::Pos) -> bool {
        if self.ids.live_nodes() < MAX_PAGE_NODES {
            return true;
        }
        // Once per instance: everything after the first refusal is
        // refused for the same reason.
        if !self.node_budget_reported {
            self.node_budget_reported = true;
            self.diags.push(TemplateDiagnostic::error(
                &cx.file,
                at,
                format!(
                    "the page has more than {MAX_PAGE_NODES} nodes: the content from here on \
                     is not rendered"
                ),
            ));
        }
        false
    }

    /// Whether this instance may hold another fragment; reports once when
    /// not.
    fn within_fragment_budget(&mut self, cx: &Cx) -> bool {
        if self.fragment_count < MAX_FRAGMENTS {
            return true;
        }
        if !self.fragment_budget_reported {
            self.fragment_budget_reported = true;
            self.diags.push(TemplateDiagnostic::error(
                &cx.file,
                cx.at,
                format!(
                    "more than {MAX_FRAGMENTS} wx:if, wx:for, template and include instances \
                     (a template that uses itself more than once?): the content from here on \
                     is not rendered"
                ),
            ));
        }
        false
    }

    /// The context of content one fragment level below `cx`.
    fn fragment_cx<'g>(cx: &Cx<'g>) -> Cx<'g> {
        Cx {
            instances: cx.instances + 1,
            ..cx.clone()
        }
    }

    fn build_node(&mut self, cx: &Cx, node: &IrNode, parent: InstId, place: Place) {
        if !self.within_instance_depth(cx) {
            return;
        }
        if matches!(node, IrNode::Text(_)) && !self.within_node_budget(cx, cx.at) {
            return;
        }
        let is_fragment = !matches!(node, IrNode::Text(_) | IrNode::Element(_));
        if is_fragment && !self.within_fragment_budget(cx) {
            return;
        }
        match node {
            IrNode::Text(IrValue::Static(text)) => {
                let node = self.alloc_node();
                self.add_child_inst(
                    parent,
                    InstKind::Text {
                        node,
                        text: text.clone(),
                    },
                );
                self.ops.push(Op::CreateText {
                    id: node,
                    text: text.clone(),
                });
                self.insert(place, node);
            }
            IrNode::Text(IrValue::Dynamic(expr)) => {
                let node = self.alloc_node();
                let inst = self.add_child_inst(
                    parent,
                    InstKind::Text {
                        node,
                        text: String::new(),
                    },
                );
                let text = match self.add_binding(cx, inst, Target::Text(expr.clone())) {
                    Outcome::Text(text) => text,
                    _ => String::new(),
                };
                if let InstKind::Text { text: current, .. } = &mut self.inst_mut(inst).kind {
                    current.clone_from(&text);
                }
                self.ops.push(Op::CreateText { id: node, text });
                self.insert(place, node);
            }
            IrNode::Element(ir) => {
                if cx.elements >= MAX_ELEMENT_DEPTH {
                    self.report_limit(
                        &cx.file,
                        ir.pos,
                        "elements",
                        format!(
                            "<{}> nested too deeply (more than {MAX_ELEMENT_DEPTH} levels of \
                             elements, templates and components included): it is not rendered",
                            ir.tag
                        ),
                    );
                    return;
                }
                let is_component = self.components.contains_key(&ir.tag);
                if is_component && self.nesting.components >= MAX_COMPONENT_DEPTH {
                    self.report_limit(
                        &cx.file,
                        ir.pos,
                        "components",
                        format!(
                            "component <{}> nested too deeply (more than {MAX_COMPONENT_DEPTH} \
                             components inside each other: does it render itself?): it is not \
                             rendered",
                            ir.tag
                        ),
                    );
                    return;
                }
                if !self.within_node_budget(cx, ir.pos) {
                    return;
                }
                let inner = Cx {
                    elements: cx.elements + 1,
                    instances: cx.instances + 1,
                    at: ir.pos,
                    ..cx.clone()
                };
                let node = self.alloc_node();
                let state = ElementState {
                    node,
                    ir: ir.clone(),
                    file: cx.file.clone(),
                    attr_values: vec![None; ir.attrs.len()],
                    events: ir
                        .events
                        .iter()
                        .map(|e| EventBinding {
                            event: e.event.clone(),
                            kind: e.kind,
                            handler: match &e.handler {
                                IrValue::Static(name) => name.clone(),
                                IrValue::Dynamic(_) => String::new(),
                            },
                            is_dynamic: matches!(e.handler, IrValue::Dynamic(_)),
                        })
                        .collect(),
                    component: self.components.get(&ir.tag).map(|p| Arc::from(p.as_str())),
                };
                let component = state.component.clone();
                let inst = self.add_child_inst(parent, InstKind::Element(state));
                self.elements.insert(node, inst);
                self.ops.push(Op::CreateElement {
                    id: node,
                    tag: ir.tag.clone(),
                });
                if let Some(scope) = &self.scope {
                    self.ops.push(Op::SetAttribute {
                        id: node,
                        name: crate::scope_attrs::SCOPE.into(),
                        value: Value::String(scope.clone()),
                    });
                }
                let mut properties = Map::new();
                for (i, attr) in ir.attrs.iter().enumerate() {
                    let value = if super::attr_is_dynamic(attr) {
                        match self.add_binding(cx, inst, Target::Attr(i)) {
                            Outcome::Attr(value) => value,
                            _ => None,
                        }
                    } else {
                        let mut ev = Evaluator::new(cx.data, &[], DataRoot::Page, &cx.file);
                        super::eval_attr(&mut ev, attr)
                    };
                    if let InstKind::Element(element) = &mut self.inst_mut(inst).kind {
                        element.attr_values[i].clone_from(&value);
                    }
                    if component.is_some() && !super::component::is_host_attr(attr) {
                        properties.insert(attr.name.clone(), value.unwrap_or(Value::Null));
                        continue;
                    }
                    if let Some(value) = value {
                        self.ops.push(Op::SetAttribute {
                            id: node,
                            name: attr.name.clone(),
                            value,
                        });
                    }
                }
                if let Some(path) = &component {
                    self.ids.register_host(
                        node,
                        Nesting {
                            components: self.nesting.components + 1,
                            elements: inner.elements,
                        },
                    );
                    // Pre-order: a host is reported before the components
                    // among its light children.
                    self.component_events.push(super::ComponentEvent::Created {
                        host: node,
                        path: path.to_string(),
                        properties,
                        generics: ir.generics.clone(),
                    });
                } else if ir.tag == "slot" && self.scope.is_some() {
                    self.register_slot(node, inner.elements);
                }
                for (i, event) in ir.events.iter().enumerate() {
                    if matches!(event.handler, IrValue::Dynamic(_)) {
                        if let Outcome::Handler(handler) =
                            self.add_binding(cx, inst, Target::Event(i))
                        {
                            if let InstKind::Element(element) = &mut self.inst_mut(inst).kind {
                                element.events[i].handler = handler;
                            }
                        }
                    }
                }
                self.build_nodes(
                    &inner,
                    &ir.children,
                    inst,
                    Place {
                        dom_parent: node,
                        before: None,
                    },
                );
                self.insert(place, node);
            }
            IrNode::If(ir) => {
                let inst = self.add_child_inst(
                    parent,
                    InstKind::If {
                        ir: ir.clone(),
                        active: None,
                    },
                );
                if let Outcome::Branch(branch) = self.add_binding(cx, inst, Target::If) {
                    self.build_branch(&Self::fragment_cx(cx), inst, branch, place);
                }
            }
            IrNode::For(ir) => {
                let inst = self.add_child_inst(parent, InstKind::For { ir: ir.clone() });
                let inner = Cx {
                    at: ir.pos,
                    ..Self::fragment_cx(cx)
                };
                if let Outcome::List(items) = self.add_binding(cx, inst, Target::For) {
                    for item in items {
                        let item_inst = self.build_item(&inner, ir, inst, item, place);
                        self.inst_mut(inst).children.push(item_inst);
                    }
                }
            }
            IrNode::TemplateRef(ir) => {
                let kind = InstKind::Template {
                    ir: ir.clone(),
                    name: None,
                    data: TemplateData::new(),
                };
                let inst = self.add_child_inst(parent, kind);
                if let Outcome::Template(name, data) = self.add_binding(cx, inst, Target::Template)
                {
                    if let InstKind::Template {
                        name: n, data: d, ..
                    } = &mut self.inst_mut(inst).kind
                    {
                        *n = name;
                        *d = data;
                    }
                    let inner = Cx {
                        templates: cx.templates + 1,
                        at: ir.pos,
                        ..Self::fragment_cx(cx)
                    };
                    self.build_template_content(&inner, inst, place);
                }
            }
            IrNode::Include(ir) => {
                let inst = self.add_child_inst(parent, InstKind::Include);
                if cx.templates >= MAX_TEMPLATE_NESTING {
                    self.report_limit(
                        &cx.file,
                        ir.pos,
                        "templates",
                        format!(
                            "<include> nested too deeply (more than {MAX_TEMPLATE_NESTING} \
                             templates and includes inside each other: an include cycle?)"
                        ),
                    );
                    return;
                }
                match cx.group.file(&ir.path) {
                    Some(file) => {
                        let inner = Cx {
                            file: file.path.clone(),
                            templates: cx.templates + 1,
                            at: ir.pos,
                            ..Self::fragment_cx(cx)
                        };
                        let content = file.content.clone();
                        self.build_nodes(&inner, &content, inst, place);
                    }
                    None => self.diags.push(TemplateDiagnostic::error(
                        &cx.file,
                        ir.pos,
                        format!("cannot find included file {}", ir.path),
                    )),
                }
            }
        }
    }

    fn insert(&mut self, place: Place, child: NodeId) {
        self.push_insert(place.dom_parent, child, place.before);
    }

    /// Builds one `wx:for` item under `for_inst` (the caller links it into
    /// the list's children at the right position).
    pub(super) fn build_item(
        &mut self,
        cx: &Cx,
        ir: &Arc<IrFor>,
        for_inst: InstId,
        item: ListItem,
        place: Place,
    ) -> InstId {
        let kind = InstKind::Item {
            source: item.source,
            index: item.index,
            key: item.key,
        };
        let inst = self.alloc_inst(Some(for_inst), kind);
        // A full page builds no more items' content (lists inside lists
        // would otherwise still multiply their fragments).
        if self.within_node_budget(cx, ir.pos) && self.within_fragment_budget(cx) {
            self.build_nodes(&Self::fragment_cx(cx), &ir.children, inst, place);
        }
        inst
    }

    fn build_branch(&mut self, cx: &Cx, inst: InstId, branch: Option<usize>, place: Place) {
        let InstKind::If { ir, active } = &mut self.inst_mut(inst).kind else {
            return;
        };
        *active = branch;
        let ir = ir.clone();
        let nodes = match branch {
            Some(i) if i < ir.branches.len() => &ir.branches[i].1,
            Some(_) => match &ir.else_branch {
                Some(nodes) => nodes,
                None => return,
            },
            None => return,
        };
        self.build_nodes(cx, nodes, inst, place);
    }

    /// Builds the content of a `<template is>` instance for its current name.
    fn build_template_content(&mut self, cx: &Cx, inst: InstId, place: Place) {
        let InstKind::Template { ir, name, .. } = &self.inst(inst).kind else {
            return;
        };
        let (ir, name) = (ir.clone(), name.clone());
        let Some(name) = name else { return };
        if cx.templates > MAX_TEMPLATE_NESTING {
            self.report_limit(
                &ir.file,
                ir.pos,
                "templates",
                format!(
                    "templates nested too deeply (more than {MAX_TEMPLATE_NESTING} templates and \
                     includes inside each other: a recursive template?)"
                ),
            );
            return;
        }
        match cx.group.find_template(&ir.file, &name) {
            Some(def) => {
                let inner = Cx {
                    file: def.file.clone(),
                    ..cx.clone()
                };
                self.build_nodes(&inner, &def.content, inst, place);
            }
            None => self.diags.push(TemplateDiagnostic::error(
                &ir.file,
                ir.pos,
                format!("template `{name}` is not defined"),
            )),
        }
    }

    /// Applies a re-evaluated `wx:if` chain: swaps the rendered branch.
    pub(super) fn switch_branch(&mut self, cx: &Cx, inst: InstId, branch: Option<usize>) {
        let InstKind::If { active, .. } = &self.inst(inst).kind else {
            return;
        };
        if *active == branch {
            return;
        }
        self.clear_children(inst);
        let place = Place {
            dom_parent: self.dom_parent(inst),
            before: self.dom_after(inst),
        };
        self.build_branch(cx, inst, branch, place);
    }

    /// Applies a re-evaluated `<template is data>`: a new name rebuilds the
    /// content; new data re-evaluates it in place.
    pub(super) fn retarget_template(
        &mut self,
        cx: &Cx,
        inst: InstId,
        name: Option<String>,
        data: TemplateData,
    ) {
        let InstKind::Template {
            name: current_name,
            data: current_data,
            ..
        } = &mut self.inst_mut(inst).kind
        else {
            return;
        };
        if *current_name != name {
            *current_name = name;
            *current_data = data;
            self.clear_children(inst);
            let place = Place {
                dom_parent: self.dom_parent(inst),
                before: self.dom_after(inst),
            };
            self.build_template_content(cx, inst, place);
        } else if *current_data != data {
            *current_data = data;
            for child in self.inst(inst).children.clone() {
                self.refresh(cx.group, cx.data, child);
            }
        }
    }
}
