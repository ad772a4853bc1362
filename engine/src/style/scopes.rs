//! Component scopes on the render thread: which style sheets may style an
//! element (component style isolation, <https://developers.weixin.qq.com/miniprogram/dev/reference/api/Component.html>), and virtual
//! nodes (`<slot>`, `virtualHost` hosts) that have no box of their own.
//!
//! The logic thread marks the tree with attributes (the contract with
//! cirrus-template):
//! - `wx:scope` = a component's path without extension on every element its
//!   template created; page-owned elements have none;
//! - on a component's host element: `wx:host-of` = the component's path,
//!   `wx:style-isolation` = `isolated` (default) | `apply-shared` | `shared`,
//!   `wx:add-global-class` = bool, `wx:external-classes` = a JSON object
//!   mapping an external class name to the parent's class names (a string of
//!   names or an array);
//! - `wx:virtual` = true on `<slot>`s and `virtualHost` hosts.
//!
//! Rules (what [`ComponentScopes::compute`] asks the cascade for):
//! - a page-owned element: app.wxss and the page's wxss, plus the sheets of
//!   components with `shared` isolation on this page;
//! - a component's element: its component's sheet; with `apply-shared` or
//!   `shared`, also whatever styles the host's own scope (recursively); with
//!   `addGlobalClass`, also app.wxss;
//! - a host element: additionally the `:host` rules of its component;
//! - external classes: the host scope's sheets match the element as if it
//!   had the parent's class names its external class names map to;
//! - a component's selectors, matching its own elements, see only its own
//!   elements: the tag, id and classes of page (or other components')
//!   ancestors and siblings look blank to them, so `.list .item` in a
//!   component never matches through a page `.list`.
//!
//! Invariants: each component's `.wxss` is loaded once per page (on the
//! first frame its host or one of its elements is in the tree) into the
//! page's [`StyleSheets`]; a page without components is styled exactly as
//! before (unfiltered cascade).

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::document::tree::{Node, PageTree};
use crate::ops::NodeId;
use crate::package::Package;
use crate::style::element::ElementRef;
use cirrus_layout::style::Display;
use cirrus_layout::ComputedStyle;
use cirrus_style::{
    ExternalClasses, Pseudo, ScopeQuery, SheetOrigin, StyleSheets, APP_ORIGIN, PAGE_ORIGIN,
};
use serde_json::Value;

/// The component path of an element a component's template created.
pub const SCOPE_ATTRIBUTE: &str = "wx:scope";
/// On a host element: the path of the component it hosts.
pub const HOST_OF_ATTRIBUTE: &str = cirrus_style::HOST_ATTRIBUTE;
/// On a host element: `isolated`, `apply-shared` or `shared`.
pub const ISOLATION_ATTRIBUTE: &str = "wx:style-isolation";
/// On a host element: `addGlobalClass`.
pub const ADD_GLOBAL_CLASS_ATTRIBUTE: &str = "wx:add-global-class";
/// On a host element: external class name -> the parent's class names.
pub const EXTERNAL_CLASSES_ATTRIBUTE: &str = "wx:external-classes";
/// On `<slot>`s and `virtualHost` hosts: the node has no box of its own.
pub const VIRTUAL_ATTRIBUTE: &str = "wx:virtual";

/// Nesting of `apply-shared` scopes followed before giving up (a guard
/// against malformed trees, far beyond real component depth).
const MAX_SCOPE_DEPTH: usize = 64;

/// The component sheets of one page and the scope rules of its tree.
#[derive(Default)]
pub struct ComponentScopes {
    /// Component path -> the origin of its sheet in the page's sheets.
    origins: HashMap<String, SheetOrigin>,
    /// Origins of components hosted with `shared` isolation on this page.
    shared: Vec<SheetOrigin>,
    /// The tree has been scanned once (later scans only follow changes).
    scanned: bool,
    diagnostics: Vec<Diagnostic>,
}

fn truthy(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty() && s != "false",
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
        _ => false,
    }
}

/// Whether `node` is virtual (`wx:virtual`, or a gesture handler): no box
/// of its own.
pub fn is_virtual(node: &Node) -> bool {
    truthy(node.attrs.other.get(VIRTUAL_ATTRIBUTE)) || is_gesture_handler(node)
}

/// Whether `node` is a `*-gesture-handler` element (SPEC §4.6): virtual,
/// wrapping its one child, and deaf to styles written on it (a `display:
/// none` there hides nothing, as in Skyline, where it has no style at all).
pub fn is_gesture_handler(node: &Node) -> bool {
    node.tag()
        .is_some_and(|tag| tag.ends_with("-gesture-handler"))
}

fn attr<'n>(node: &'n Node, name: &str) -> Option<&'n str> {
    node.attrs.get_str(name).filter(|s| !s.is_empty())
}

/// Pushes `child` onto `out`, or, when it is virtual, its children in its
/// place (recursively): virtual nodes take no part in layout, painting
/// order or hit testing themselves. A virtual node that is `hidden` or
/// `display: none` contributes nothing.
pub fn push_layout_child(tree: &PageTree, child: NodeId, out: &mut Vec<NodeId>) {
    push_flattened(tree, child, out, 0);
}

fn push_flattened(tree: &PageTree, child: NodeId, out: &mut Vec<NodeId>, depth: usize) {
    match tree.get(child) {
        Some(node) if depth < MAX_SCOPE_DEPTH && is_virtual(node) => {
            // A hidden virtual node hides its children (they have no box).
            let styled = !is_gesture_handler(node);
            if node.attrs.hidden || (styled && node.style.display == Display::None) {
                return;
            }
            for &grandchild in &node.children {
                push_flattened(tree, grandchild, out, depth + 1);
            }
        }
        Some(_) => out.push(child),
        None => {}
    }
}

/// The host of the component `scope` that `id` belongs to: the nearest
/// ancestor whose `wx:host-of` is `scope`.
pub(crate) fn host_of(tree: &PageTree, id: NodeId, scope: &str) -> Option<NodeId> {
    let mut cursor = tree.get(id).and_then(|n| n.parent);
    while let Some(c) = cursor {
        let node = tree.get(c)?;
        if attr(node, HOST_OF_ATTRIBUTE) == Some(scope) {
            return Some(c);
        }
        cursor = node.parent;
    }
    None
}

/// The external class mapping of a host: name -> the parent's class names.
fn external_classes(host: &Node) -> HashMap<String, Vec<String>> {
    let parsed;
    let object = match host.attrs.other.get(EXTERNAL_CLASSES_ATTRIBUTE) {
        Some(Value::Object(o)) => o,
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(o)) => {
                parsed = o;
                &parsed
            }
            _ => return HashMap::new(),
        },
        _ => return HashMap::new(),
    };
    object
        .iter()
        .map(|(name, classes)| {
            let list = match classes {
                Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
                Value::Array(items) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .flat_map(str::split_whitespace)
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            (name.clone(), list)
        })
        .collect()
}

/// What one element's cascade may see (owned parts of a [`ScopeQuery`]).
#[derive(Default)]
struct OwnedQuery {
    origins: Vec<SheetOrigin>,
    host_of: Vec<SheetOrigin>,
    external_origins: Vec<SheetOrigin>,
    external_classes: Vec<String>,
}

impl OwnedQuery {
    fn as_query(&self) -> ScopeQuery<'_> {
        ScopeQuery {
            origins: &self.origins,
            host_of: &self.host_of,
            external: (!self.external_classes.is_empty()).then_some(ExternalClasses {
                origins: &self.external_origins,
                classes: &self.external_classes,
            }),
        }
    }
}

impl ComponentScopes {
    /// Loads the sheets of components newly present in `tree` (once per
    /// component path) and tracks which are `shared`. When the set of
    /// shared sheets changes, every page element may match differently, so
    /// the whole tree is marked for restyle. Cheap when nothing `wx:`
    /// changed since the last call.
    pub fn prepare(&mut self, tree: &mut PageTree, sheets: &mut StyleSheets, package: &Package) {
        if self.scanned && !tree.scope_attributes_changed {
            return;
        }
        self.scanned = true;
        tree.scope_attributes_changed = false;
        let mut components: Vec<(String, bool)> = Vec::new();
        for id in tree.descendants(NodeId::ROOT) {
            let Some(node) = tree.get(id) else { continue };
            if let Some(path) = attr(node, HOST_OF_ATTRIBUTE) {
                let shared = attr(node, ISOLATION_ATTRIBUTE) == Some("shared");
                components.push((path.to_owned(), shared));
            }
            if let Some(path) = attr(node, SCOPE_ATTRIBUTE) {
                components.push((path.to_owned(), false));
            }
        }
        let mut shared = Vec::new();
        for (path, is_shared) in components {
            let origin = match self.origins.get(&path) {
                Some(origin) => *origin,
                None => {
                    let read = |p: &str| package.read(p).map(str::to_owned);
                    let file = format!("{}.wxss", path.trim_start_matches('/'));
                    let (origin, diags) = sheets.add_sheet(&file, &read);
                    self.diagnostics
                        .extend(diags.into_iter().map(Diagnostic::from));
                    self.origins.insert(path, origin);
                    origin
                }
            };
            if is_shared && !shared.contains(&origin) {
                shared.push(origin);
            }
        }
        shared.sort_unstable();
        if shared != self.shared {
            self.shared = shared;
            for id in tree.descendants(NodeId::ROOT) {
                if let Some(node) = tree.get_mut(id) {
                    node.restyle = true;
                    node.needs_visit = true;
                }
            }
            tree.changed = true;
        }
    }

    /// Diagnostics of the component sheets loaded since the last call.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// The computed style of element `id` under the isolation rules, with
    /// its transitions and animations.
    pub fn compute_with_motion(
        &self,
        sheets: &StyleSheets,
        tree: &PageTree,
        id: NodeId,
        parent: Option<&ComputedStyle>,
    ) -> cirrus_style::NodeStyle {
        let element = ElementRef { tree, id };
        match self.query_for(tree, id) {
            Some(query) => sheets.compute_with_motion(&element, parent, Some(&query.as_query())),
            None => sheets.compute_with_motion(&element, parent, None),
        }
    }

    /// `::before` / `::after` of element `id` under the isolation rules.
    pub fn compute_pseudo(
        &self,
        sheets: &StyleSheets,
        tree: &PageTree,
        id: NodeId,
        element_style: &ComputedStyle,
        which: Pseudo,
    ) -> Option<(ComputedStyle, String)> {
        let element = ElementRef { tree, id };
        match self.query_for(tree, id) {
            Some(query) => {
                sheets.compute_pseudo_scoped(&element, element_style, which, &query.as_query())
            }
            None => sheets.compute_pseudo(&element, element_style, which),
        }
    }

    /// `None` when the page has no components (the unfiltered cascade).
    fn query_for(&self, tree: &PageTree, id: NodeId) -> Option<OwnedQuery> {
        if self.origins.is_empty() {
            return None;
        }
        let node = tree.get(id)?;
        let mut query = OwnedQuery::default();
        let scope = attr(node, SCOPE_ATTRIBUTE);
        self.origins_of_scope(tree, id, scope, &mut query.origins, 0);
        if let Some(origin) = attr(node, HOST_OF_ATTRIBUTE).and_then(|c| self.origins.get(c)) {
            query.host_of.push(*origin);
        }
        if let Some(scope) = scope {
            if let Some(host) = host_of(tree, id, scope).and_then(|h| tree.get(h).map(|n| (h, n))) {
                let mapping = external_classes(host.1);
                if !mapping.is_empty() {
                    for class in &node.attrs.classes {
                        if let Some(mapped) = mapping.get(class) {
                            query.external_classes.extend(mapped.iter().cloned());
                        }
                    }
                    if !query.external_classes.is_empty() {
                        let host_scope = attr(host.1, SCOPE_ATTRIBUTE);
                        self.origins_of_scope(
                            tree,
                            host.0,
                            host_scope,
                            &mut query.external_origins,
                            0,
                        );
                    }
                }
            }
        }
        Some(query)
    }

    /// The origins whose rules style elements of `scope` (`None`: the
    /// page); `at` is an element of that scope (to find its host).
    fn origins_of_scope(
        &self,
        tree: &PageTree,
        at: NodeId,
        scope: Option<&str>,
        out: &mut Vec<SheetOrigin>,
        depth: usize,
    ) {
        let Some(scope) = scope else {
            out.extend([APP_ORIGIN, PAGE_ORIGIN]);
            out.extend(self.shared.iter().copied());
            return;
        };
        if let Some(origin) = self.origins.get(scope) {
            out.push(*origin);
        }
        let Some(host) = host_of(tree, at, scope) else {
            return;
        };
        let Some(host_node) = tree.get(host) else {
            return;
        };
        match attr(host_node, ISOLATION_ATTRIBUTE) {
            Some("apply-shared") | Some("shared") if depth < MAX_SCOPE_DEPTH => {
                let host_scope = attr(host_node, SCOPE_ATTRIBUTE);
                self.origins_of_scope(tree, host, host_scope, out, depth + 1);
            }
            _ => {
                if truthy(host_node.attrs.other.get(ADD_GLOBAL_CLASS_ATTRIBUTE)) {
                    out.push(APP_ORIGIN);
                }
            }
        }
    }
}
