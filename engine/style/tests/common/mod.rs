//! A minimal element tree implementing `StyleElement`, for tests.

#![allow(dead_code)]

use std::collections::HashMap;

use cirrus_layout::style::ComputedStyle;
use cirrus_layout::Viewport;
use cirrus_style::{StyleDiagnostic, StyleElement, StyleOptions, StyleSheets};

#[derive(Default)]
pub struct NodeData {
    tag: String,
    id: Option<String>,
    classes: Vec<String>,
    style: Option<String>,
    attributes: Vec<(String, String)>,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Index in the parent's children (O(1) sibling access).
    position: usize,
    has_text: bool,
}

#[derive(Default)]
pub struct Tree {
    nodes: Vec<NodeData>,
}

/// `spec` is `tag#id.class1.class2` (id and classes optional).
fn parse_spec(spec: &str) -> (String, Option<String>, Vec<String>) {
    let mut tag = String::new();
    let mut id = None;
    let mut classes = Vec::new();
    let mut current = String::new();
    let mut kind = 't';
    let flush = |kind: char,
                 current: &mut String,
                 tag: &mut String,
                 id: &mut Option<String>,
                 classes: &mut Vec<String>| {
        let value = std::mem::take(current);
        match kind {
            't' => *tag = value,
            '#' => *id = Some(value),
            _ => classes.push(value),
        }
    };
    for c in spec.chars() {
        if c == '#' || c == '.' {
            flush(kind, &mut current, &mut tag, &mut id, &mut classes);
            kind = c;
        } else {
            current.push(c);
        }
    }
    flush(kind, &mut current, &mut tag, &mut id, &mut classes);
    (tag, id, classes)
}

impl Tree {
    pub fn new() -> Tree {
        Tree::default()
    }

    /// Adds an element under `parent`; returns its index.
    pub fn add(&mut self, parent: Option<usize>, spec: &str) -> usize {
        let (tag, id, classes) = parse_spec(spec);
        let index = self.nodes.len();
        let position = parent.map_or(0, |p| self.nodes[p].children.len());
        self.nodes.push(NodeData {
            tag,
            id,
            classes,
            parent,
            position,
            ..Default::default()
        });
        if let Some(p) = parent {
            self.nodes[p].children.push(index);
        }
        index
    }

    pub fn set_style(&mut self, node: usize, style: &str) {
        self.nodes[node].style = Some(style.to_owned());
    }

    pub fn set_attribute(&mut self, node: usize, name: &str, value: &str) {
        self.nodes[node]
            .attributes
            .push((name.to_owned(), value.to_owned()));
    }

    pub fn add_text(&mut self, node: usize) {
        self.nodes[node].has_text = true;
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn parent_of(&self, node: usize) -> Option<usize> {
        self.nodes[node].parent
    }

    pub fn el(&self, index: usize) -> El<'_> {
        El { tree: self, index }
    }

    /// Computes every node top-down with `compute` (parent styles passed).
    pub fn compute_all(&self, sheets: &StyleSheets) -> Vec<ComputedStyle> {
        let mut out: Vec<Option<ComputedStyle>> = vec![None; self.nodes.len()];
        for i in 0..self.nodes.len() {
            let parent = self.nodes[i].parent.and_then(|p| out[p].clone());
            out[i] = Some(sheets.compute(&self.el(i), parent.as_ref()));
        }
        out.into_iter().map(|s| s.unwrap_or_default()).collect()
    }
}

#[derive(Clone, Copy)]
pub struct El<'a> {
    tree: &'a Tree,
    index: usize,
}

impl<'a> El<'a> {
    fn data(&self) -> &'a NodeData {
        &self.tree.nodes[self.index]
    }
    fn sibling(&self, delta: isize) -> Option<El<'a>> {
        let parent = self.data().parent?;
        let siblings = &self.tree.nodes[parent].children;
        let pos = self.data().position as isize + delta;
        if pos < 0 {
            return None;
        }
        siblings.get(pos as usize).map(|i| El {
            tree: self.tree,
            index: *i,
        })
    }
}

impl<'a> StyleElement for El<'a> {
    fn tag_name(&self) -> &str {
        &self.data().tag
    }
    fn id(&self) -> Option<&str> {
        self.data().id.as_deref()
    }
    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        self.data().classes.iter().map(String::as_str)
    }
    fn inline_style(&self) -> Option<&str> {
        self.data().style.as_deref()
    }
    fn attribute(&self, name: &str) -> Option<&str> {
        self.data()
            .attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn parent_element(&self) -> Option<Self> {
        self.data().parent.map(|p| El {
            tree: self.tree,
            index: p,
        })
    }
    fn previous_sibling_element(&self) -> Option<Self> {
        self.sibling(-1)
    }
    fn next_sibling_element(&self) -> Option<Self> {
        self.sibling(1)
    }
    fn has_child_nodes(&self) -> bool {
        self.data().has_text || !self.data().children.is_empty()
    }
    fn element_index(&self) -> usize {
        self.data().position
    }
}

pub fn options() -> StyleOptions {
    StyleOptions {
        viewport: Viewport::new(375.0, 667.0, 2.0),
        ..StyleOptions::default()
    }
}

/// Loads `files` (path -> source) for page `pages/index/index`.
pub fn load_files(
    files: &[(&str, &str)],
    options: StyleOptions,
) -> (StyleSheets, Vec<StyleDiagnostic>) {
    let map: HashMap<String, String> = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let read = move |path: &str| map.get(path).cloned();
    StyleSheets::load("pages/index/index", &read, options)
}

/// Loads `css` as the page's only sheet.
pub fn sheets(css: &str) -> StyleSheets {
    load_files(&[("pages/index/index.wxss", css)], options()).0
}
