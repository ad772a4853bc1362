//! Test support: a tiny render tree that applies ops strictly (any op the
//! render thread could not apply is a test failure), and page builders.
#![allow(dead_code)]

use cirrus_protocol::ops::{NodeId, Op};
use cirrus_template::{PageInstance, TemplateDiagnostic, TemplateGroup};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug)]
enum Kind {
    Element(String),
    Text(String),
}

#[derive(Debug)]
struct Node {
    kind: Kind,
    attrs: BTreeMap<String, Value>,
    children: Vec<NodeId>,
    parent: Option<NodeId>,
}

/// A render tree built only from ops.
pub struct Tree {
    nodes: HashMap<NodeId, Node>,
    ever_created: HashSet<NodeId>,
}

impl Default for Tree {
    fn default() -> Self {
        Self::new()
    }
}

impl Tree {
    pub fn new() -> Self {
        let mut nodes = HashMap::new();
        nodes.insert(
            NodeId::ROOT,
            Node {
                kind: Kind::Element("page".into()),
                attrs: BTreeMap::new(),
                children: vec![],
                parent: None,
            },
        );
        Tree {
            nodes,
            ever_created: HashSet::from([NodeId::ROOT]),
        }
    }

    pub fn apply(&mut self, ops: &[Op]) {
        for op in ops {
            self.apply_one(op);
        }
    }

    fn detach(&mut self, id: NodeId) {
        if let Some(parent) = self.nodes.get(&id).and_then(|n| n.parent) {
            if let Some(p) = self.nodes.get_mut(&parent) {
                p.children.retain(|&c| c != id);
            }
        }
        if let Some(n) = self.nodes.get_mut(&id) {
            n.parent = None;
        }
    }

    fn drop_subtree(&mut self, id: NodeId) {
        if let Some(node) = self.nodes.remove(&id) {
            for child in node.children {
                self.drop_subtree(child);
            }
        }
    }

    fn apply_one(&mut self, op: &Op) {
        match op {
            Op::CreateElement { id, tag } => {
                assert!(
                    self.ever_created.insert(*id),
                    "node id {id:?} reused: {op:?}"
                );
                self.nodes.insert(
                    *id,
                    Node {
                        kind: Kind::Element(tag.clone()),
                        attrs: BTreeMap::new(),
                        children: vec![],
                        parent: None,
                    },
                );
            }
            Op::CreateText { id, text } => {
                assert!(
                    self.ever_created.insert(*id),
                    "node id {id:?} reused: {op:?}"
                );
                self.nodes.insert(
                    *id,
                    Node {
                        kind: Kind::Text(text.clone()),
                        attrs: BTreeMap::new(),
                        children: vec![],
                        parent: None,
                    },
                );
            }
            Op::Insert {
                parent,
                child,
                before,
            } => {
                assert!(
                    self.nodes.contains_key(child),
                    "insert of unknown child: {op:?}"
                );
                assert!(
                    matches!(
                        self.nodes.get(parent).map(|n| &n.kind),
                        Some(Kind::Element(_))
                    ),
                    "insert into unknown or text parent: {op:?}"
                );
                let mut cur = Some(*parent);
                while let Some(c) = cur {
                    assert_ne!(c, *child, "insert would make a cycle: {op:?}");
                    cur = self.nodes[&c].parent;
                }
                self.detach(*child);
                let siblings = &self.nodes[parent].children;
                let position = match before {
                    Some(b) => match siblings.iter().position(|s| s == b) {
                        Some(p) => p,
                        None => panic!("`before` is not a child of the parent: {op:?}"),
                    },
                    None => siblings.len(),
                };
                self.nodes
                    .get_mut(parent)
                    .unwrap()
                    .children
                    .insert(position, *child);
                self.nodes.get_mut(child).unwrap().parent = Some(*parent);
            }
            Op::Remove { id } => {
                assert!(
                    self.nodes.contains_key(id),
                    "remove of unknown node: {op:?}"
                );
                assert_ne!(*id, NodeId::ROOT, "remove of the page element");
                self.detach(*id);
                self.drop_subtree(*id);
            }
            Op::SetAttribute { id, name, value } => match self.nodes.get_mut(id) {
                Some(Node {
                    kind: Kind::Element(_),
                    attrs,
                    ..
                }) => {
                    attrs.insert(name.clone(), value.clone());
                }
                _ => panic!("set attribute on a missing or text node: {op:?}"),
            },
            Op::RemoveAttribute { id, name } => match self.nodes.get_mut(id) {
                Some(Node {
                    kind: Kind::Element(_),
                    attrs,
                    ..
                }) => {
                    attrs.remove(name);
                }
                _ => panic!("remove attribute on a missing or text node: {op:?}"),
            },
            Op::SetText { id, text } => match self.nodes.get_mut(id) {
                Some(Node {
                    kind: Kind::Text(t),
                    ..
                }) => *t = text.clone(),
                _ => panic!("set text on a missing or element node: {op:?}"),
            },
        }
    }

    /// The attached tree as markup (node ids left out), e.g.
    /// `<view class="a">hi</view>`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for child in &self.nodes[&NodeId::ROOT].children {
            self.render_node(*child, &mut out);
        }
        out
    }

    fn render_node(&self, id: NodeId, out: &mut String) {
        let node = &self.nodes[&id];
        match &node.kind {
            Kind::Text(t) => {
                out.push('"');
                out.push_str(t);
                out.push('"');
            }
            Kind::Element(tag) => {
                out.push('<');
                out.push_str(tag);
                for (k, v) in &node.attrs {
                    out.push_str(&format!(" {k}={v}"));
                }
                out.push('>');
                for child in &node.children {
                    self.render_node(*child, out);
                }
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
        }
    }

    /// Number of nodes alive (attached or not), the page element excluded.
    pub fn live_nodes(&self) -> usize {
        self.nodes.len() - 1
    }

    /// The children ids of a node.
    pub fn children(&self, id: NodeId) -> Vec<NodeId> {
        self.nodes[&id].children.clone()
    }

    pub fn text_of(&self, id: NodeId) -> Option<&str> {
        match &self.nodes.get(&id)?.kind {
            Kind::Text(t) => Some(t),
            Kind::Element(_) => None,
        }
    }
}

pub const PAGE: &str = "pages/index/index.wxml";

/// A group holding `files`; panics on error diagnostics so tests notice
/// broken fixtures.
pub fn group(files: &[(&str, &str)]) -> TemplateGroup {
    let mut group = TemplateGroup::new();
    for (path, source) in files {
        let diags = group.add_file(path, source);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error).collect();
        assert!(errors.is_empty(), "fixture {path} has errors: {errors:?}");
    }
    group
}

/// A page built from one WXML source: the instance, its creation ops, and
/// the tree those ops make.
pub struct Page {
    pub group: TemplateGroup,
    pub instance: PageInstance,
    pub ops: Vec<Op>,
    pub diags: Vec<TemplateDiagnostic>,
    pub tree: Tree,
    pub data: Value,
}

impl Page {
    pub fn new(source: &str, data: Value) -> Page {
        Page::with_files(&[(PAGE, source)], data)
    }

    pub fn with_files(files: &[(&str, &str)], data: Value) -> Page {
        let group = group(files);
        let (instance, ops, diags) = PageInstance::new(&group, files[0].0, &data, 1);
        let mut tree = Tree::new();
        tree.apply(&ops);
        Page {
            group,
            instance,
            ops,
            diags,
            tree,
            data,
        }
    }

    /// Applies setData `updates` ("path" -> value) and returns the ops.
    pub fn set(&mut self, updates: &[(&str, Value)]) -> Vec<Op> {
        let parsed: Vec<_> = updates
            .iter()
            .map(|(path, value)| {
                (
                    cirrus_template::parse_data_path(path).unwrap(),
                    value.clone(),
                )
            })
            .collect();
        cirrus_template::apply_set_data(&mut self.data, &parsed);
        let changed: Vec<_> = parsed.into_iter().map(|(p, _)| p).collect();
        let (ops, diags) = self.instance.update(&self.group, &self.data, &changed);
        self.diags.extend(diags);
        self.tree.apply(&ops);
        ops
    }

    pub fn render(&self) -> String {
        self.tree.render()
    }

    /// What a fresh instance renders for the current data.
    pub fn fresh_render(&self) -> String {
        let (_, ops, _) = PageInstance::new(&self.group, PAGE, &self.data, 1);
        let mut tree = Tree::new();
        tree.apply(&ops);
        tree.render()
    }
}

pub fn n(id: u32) -> NodeId {
    NodeId(id)
}
