//! Building instance subtrees (and their ops) from IR, and the structural
//! updates that rebuild content: `wx:if` branch switches and template
//! retargeting.
//!
//! A new subtree's ops come parent-first: an element is created, given its
//! attributes and children, then inserted, so the render thread attaches a
//! complete subtree at once.

use super::{Cx, ElementState, InstId, InstKind, Outcome, PageInstance, Target, MAX_NESTING};
use crate::diagnostic::TemplateDiagnostic;
use crate::eval::{DataRoot, Evaluator, ListItem, TemplateData};
use crate::events::EventBinding;
use crate::ir::{IrFor, IrNode, IrValue};
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

    fn build_node(&mut self, cx: &Cx, node: &IrNode, parent: InstId, place: Place) {
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
                let node = self.alloc_node();
                let state = ElementState {
                    node,
                    ir: ir.clone(),
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
                    // Pre-order: a host is reported before the components
                    // among its light children.
                    self.component_events.push(super::ComponentEvent::Created {
                        host: node,
                        path: path.to_string(),
                        properties,
                        generics: ir.generics.clone(),
                    });
                } else if ir.tag == "slot" && self.scope.is_some() {
                    self.register_slot(inst, node);
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
                    cx,
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
                    self.build_branch(cx, inst, branch, place);
                }
            }
            IrNode::For(ir) => {
                let inst = self.add_child_inst(parent, InstKind::For { ir: ir.clone() });
                if let Outcome::List(items) = self.add_binding(cx, inst, Target::For) {
                    for item in items {
                        let item_inst = self.build_item(cx, ir, inst, item, place);
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
                    self.build_template_content(cx, inst, place);
                }
            }
            IrNode::Include(ir) => {
                let inst = self.add_child_inst(parent, InstKind::Include);
                if cx.depth >= MAX_NESTING {
                    self.diags.push(TemplateDiagnostic::error(
                        &cx.file,
                        ir.pos,
                        "<include> nested too deeply (a cycle?)",
                    ));
                    return;
                }
                match cx.group.file(&ir.path) {
                    Some(file) => {
                        let inner = Cx {
                            file: file.path.clone(),
                            depth: cx.depth + 1,
                            ..cx.clone()
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
        self.build_nodes(cx, &ir.children, inst, place);
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
        if cx.depth >= MAX_NESTING {
            self.diags.push(TemplateDiagnostic::error(
                &cx.file,
                ir.pos,
                "templates nested too deeply (a recursive template?)",
            ));
            return;
        }
        match cx.group.find_template(&ir.file, &name) {
            Some(def) => {
                let inner = Cx {
                    file: def.file.clone(),
                    depth: cx.depth + 1,
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
