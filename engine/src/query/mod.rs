//! Answers `wx.createSelectorQuery()` and drives
//! `wx.createIntersectionObserver()` on the render thread, from the layout
//! it already has: the logic thread sends `ToRender::Query` /
//! `ToRender::ObserveIntersection`, the render thread answers after its
//! next layout with `ToLogic::QueryResult` / `ToLogic::Intersection`. No
//! side ever waits for the other.
//!
//! Selectors are the subset WeChat's `SelectorQuery` documents: `#id`,
//! `.class` (several chained), a tag, `*`, the descendant combinator
//! (`a b`), the child combinator (`a > b`) and lists (`a, b`). A selector
//! that does not parse matches nothing (the answer is `null` / `[]`).
//! A request or observer with a `scope` (a component's host: the
//! component's own `createSelectorQuery()` or `.in(component)`) matches
//! only the elements of that component's shadow tree.
//!
//! Invariants: rectangles are border boxes in CSS px relative to the
//! viewport's top-left corner (the page itself does not scroll, so that is
//! the page's corner); a node's position is the sum of its ancestors'
//! layout locations less the scroll positions of the scroll-views among
//! them, except that `position: fixed` restarts from the viewport.
//! Observers look again after every layout and every scroll.
//! An intersection observer reports a target only when its ratio crosses
//! one of the thresholds (starting from `initialRatio`), so a layout that
//! changes nothing sends nothing.

use crate::document::tree::{NodeKind, PageTree};
use crate::ops::{NodeId, PageId};
use crate::style::scopes::{HOST_OF_ATTRIBUTE, SCOPE_ATTRIBUTE};
use cirrus_layout::style::{Color, Display, Position};
use cirrus_layout::Viewport;
use serde_json::{json, Map, Value};

pub use cirrus_protocol::query::{
    IntersectionObserve, Margins, QueryFields, QueryRequest, QueryTarget, RelativeTo,
};

/// A border box in CSS px, viewport-relative.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BoxRect {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

impl BoxRect {
    fn right(&self) -> f32 {
        self.left + self.width
    }
    fn bottom(&self) -> f32 {
        self.top + self.height
    }
    fn intersect(&self, other: &BoxRect) -> Option<BoxRect> {
        let left = self.left.max(other.left);
        let top = self.top.max(other.top);
        let right = self.right().min(other.right());
        let bottom = self.bottom().min(other.bottom());
        (right >= left && bottom >= top).then_some(BoxRect {
            left,
            top,
            width: right - left,
            height: bottom - top,
        })
    }
    fn json(&self) -> Value {
        json!({
            "left": self.left, "top": self.top, "right": self.right(), "bottom": self.bottom(),
            "width": self.width, "height": self.height,
        })
    }
}

// ---- selectors ---------------------------------------------------------

/// One compound selector: `view#a.b.c`.
#[derive(Clone, Debug, Default, PartialEq)]
struct Compound {
    tag: Option<String>,
    id: Option<String>,
    classes: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Combinator {
    Descendant,
    Child,
}

/// A complex selector, rightmost compound last.
#[derive(Clone, Debug, PartialEq)]
struct Complex {
    /// (compound, combinator to the *next* compound on the right)
    parts: Vec<(Compound, Option<Combinator>)>,
}

/// Parses a selector list; `None` when any part is outside the subset.
fn parse_selector_list(text: &str) -> Option<Vec<Complex>> {
    text.split(',').map(|s| parse_complex(s.trim())).collect()
}

fn parse_complex(text: &str) -> Option<Complex> {
    let mut parts: Vec<(Compound, Option<Combinator>)> = Vec::new();
    let mut pending: Option<Combinator> = None;
    let spaced = text.replace('>', " > ");
    for token in spaced.split_whitespace() {
        if token == ">" {
            if parts.is_empty() || pending == Some(Combinator::Child) {
                return None;
            }
            pending = Some(Combinator::Child);
            continue;
        }
        let compound = parse_compound(token)?;
        if let Some(last) = parts.last_mut() {
            last.1 = Some(pending.take().unwrap_or(Combinator::Descendant));
        }
        parts.push((compound, None));
    }
    if parts.is_empty() || pending.is_some() {
        return None;
    }
    Some(Complex { parts })
}

fn parse_compound(token: &str) -> Option<Compound> {
    let mut compound = Compound::default();
    let is_name = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii();
    let mut rest = token;
    let tag_len = rest.find(['#', '.']).unwrap_or(rest.len());
    let tag = &rest[..tag_len];
    if tag == "*" {
    } else if !tag.is_empty() {
        if !tag.chars().all(is_name) {
            return None;
        }
        compound.tag = Some(tag.to_owned());
    }
    rest = &rest[tag_len..];
    while let Some(kind) = rest.chars().next() {
        let body = &rest[1..];
        let len = body.find(['#', '.']).unwrap_or(body.len());
        let name = &body[..len];
        if name.is_empty() || !name.chars().all(is_name) {
            return None;
        }
        if kind == '#' {
            compound.id = Some(name.to_owned());
        } else {
            compound.classes.push(name.to_owned());
        }
        rest = &body[len..];
    }
    Some(compound)
}

fn matches_compound(tree: &PageTree, node: NodeId, compound: &Compound) -> bool {
    let Some(n) = tree.get(node) else {
        return false;
    };
    let NodeKind::Element { tag } = &n.kind else {
        return false;
    };
    compound.tag.as_ref().is_none_or(|t| t == tag)
        && compound.id.as_ref().is_none_or(|id| *id == n.attrs.id)
        && compound
            .classes
            .iter()
            .all(|c| n.attrs.classes.iter().any(|have| have == c))
}

/// Whether `node` matches `parts[..=index]` (right to left, backtracking
/// over ancestors for descendant combinators). `boundary` (the page root or
/// a component's host) is the scope: ancestors stop below it.
fn matches_from(
    tree: &PageTree,
    node: NodeId,
    parts: &[(Compound, Option<Combinator>)],
    boundary: NodeId,
) -> bool {
    let Some(((compound, _), left)) = parts.split_last() else {
        return true;
    };
    if !matches_compound(tree, node, compound) {
        return false;
    }
    let Some((_, combinator)) = left.last() else {
        return true;
    };
    let mut ancestor = tree.get(node).and_then(|n| n.parent);
    while let Some(a) = ancestor {
        if a == boundary {
            return false;
        }
        if matches_from(tree, a, left, boundary) {
            return true;
        }
        if *combinator == Some(Combinator::Child) {
            return false;
        }
        ancestor = tree.get(a).and_then(|n| n.parent);
    }
    false
}

/// The elements under the page root that match `selector`, in document order.
pub fn select_all(tree: &PageTree, selector: &str) -> Vec<NodeId> {
    select_scoped(tree, None, selector)
}

/// [`select_all`], or with `scope` (a component's host) the elements of
/// that component's shadow tree only: those below the host whose
/// `wx:scope` is the host's `wx:host-of` and whose nearest host of that
/// path is this one (so slotted light children, which belong to the
/// owner, and nested components' trees are left out). Combinators do not
/// look above the host.
pub fn select_scoped(tree: &PageTree, scope: Option<NodeId>, selector: &str) -> Vec<NodeId> {
    let Some(list) = parse_selector_list(selector) else {
        return Vec::new();
    };
    let boundary = scope.unwrap_or(NodeId::ROOT);
    let component = match scope {
        None => None,
        Some(host) => match tree
            .get(host)
            .and_then(|n| n.attrs.get_str(HOST_OF_ATTRIBUTE))
        {
            Some(path) => Some(path.to_owned()),
            // Not a component host (it went away): nothing is inside.
            None => return Vec::new(),
        },
    };
    let in_scope = |id: NodeId| match &component {
        None => true,
        Some(path) => {
            tree.get(id).and_then(|n| n.attrs.get_str(SCOPE_ATTRIBUTE)) == Some(path.as_str())
                && crate::style::scopes::host_of(tree, id, path) == Some(boundary)
        }
    };
    tree.descendants(boundary)
        .into_iter()
        .filter(|&id| id != boundary)
        .filter(|&id| in_scope(id))
        .filter(|&id| {
            list.iter()
                .any(|c| matches_from(tree, id, &c.parts, boundary))
        })
        .collect()
}

// ---- geometry ----------------------------------------------------------

/// The border box of `node`, viewport-relative.
pub fn node_rect(tree: &PageTree, node: NodeId) -> Option<BoxRect> {
    let n = tree.get(node)?;
    let layout = n.layout.layout();
    let (mut x, mut y) = (layout.location.x, layout.location.y);
    let mut fixed = n.style.position == Position::Fixed;
    let mut cursor = n.parent;
    while let (false, Some(parent)) = (fixed, cursor) {
        let p = tree.get(parent)?;
        let location = p.layout.layout().location;
        // A scroll-view shows its content shifted by its scroll position.
        let (dx, dy) = crate::scroll::scroll_offset(p);
        x += location.x - dx;
        y += location.y - dy;
        fixed = p.style.position == Position::Fixed;
        cursor = p.parent;
    }
    Some(BoxRect {
        left: x,
        top: y,
        width: layout.size.width,
        height: layout.size.height,
    })
}

/// `data-foo-bar` -> `fooBar`, as WeChat's dataset.
fn dataset(tree: &PageTree, node: NodeId) -> Value {
    let mut out = Map::new();
    if let Some(n) = tree.get(node) {
        for (name, value) in &n.attrs.other {
            if let Some(key) = name.strip_prefix("data-") {
                out.insert(camel_case(key), value.clone());
            }
        }
    }
    Value::Object(out)
}

fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn css_color(c: Color) -> String {
    let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    if c.a >= 1.0 {
        format!("rgb({}, {}, {})", byte(c.r), byte(c.g), byte(c.b))
    } else {
        format!("rgba({}, {}, {}, {})", byte(c.r), byte(c.g), byte(c.b), c.a)
    }
}

/// A computed style value as Chromium's getComputedStyle spells it, for the
/// properties queries ask about most; others are absent.
fn computed_value(tree: &PageTree, node: NodeId, property: &str) -> Option<String> {
    let n = tree.get(node)?;
    let s = &n.style;
    let size = n.layout.layout().size;
    Some(match property {
        "width" => format!("{}px", size.width),
        "height" => format!("{}px", size.height),
        "opacity" => format!("{}", s.opacity),
        "color" => css_color(s.color),
        "background-color" | "backgroundColor" => css_color(s.background_color),
        "font-size" | "fontSize" => format!("{}px", s.font_size),
        "font-weight" | "fontWeight" => s.font_weight.to_string(),
        "display" => match s.display {
            Display::None => "none".into(),
            _ => "flex".into(),
        },
        "position" => format!("{:?}", s.position).to_lowercase(),
        _ => return None,
    })
}

fn node_fields(tree: &PageTree, node: NodeId, fields: &QueryFields) -> Value {
    let mut out = Map::new();
    let n = tree.get(node);
    if fields.id {
        let id = n.map(|n| n.attrs.id.clone()).unwrap_or_default();
        out.insert("id".into(), Value::String(id));
    }
    if fields.dataset {
        out.insert("dataset".into(), dataset(tree, node));
    }
    let rect = node_rect(tree, node).unwrap_or(BoxRect {
        left: 0.0,
        top: 0.0,
        width: 0.0,
        height: 0.0,
    });
    if fields.rect {
        out.insert("left".into(), json!(rect.left));
        out.insert("right".into(), json!(rect.right()));
        out.insert("top".into(), json!(rect.top));
        out.insert("bottom".into(), json!(rect.bottom()));
    }
    if fields.size {
        out.insert("width".into(), json!(rect.width));
        out.insert("height".into(), json!(rect.height));
    }
    if fields.scroll_offset {
        let scroll = n.and_then(|n| n.scroll.as_deref());
        let ((left, top), (w, h)) = match scroll {
            // A scroll-view: its position and content extent.
            Some(state) => (state.offset, state.scroll_size),
            // Anything else does not scroll.
            None => {
                let content = n.map(|n| n.layout.layout().content_size);
                let size = content.map_or((rect.width, rect.height), |c| {
                    (c.width.max(rect.width), c.height.max(rect.height))
                });
                ((0.0, 0.0), size)
            }
        };
        out.insert("scrollLeft".into(), json!(left));
        out.insert("scrollTop".into(), json!(top));
        out.insert("scrollWidth".into(), json!(w));
        out.insert("scrollHeight".into(), json!(h));
    }
    for property in &fields.properties {
        let value = n.and_then(|n| match property.as_str() {
            "id" => Some(Value::String(n.attrs.id.clone())),
            "class" | "className" => Some(Value::String(n.attrs.classes.join(" "))),
            "style" => Some(Value::String(n.attrs.style.clone())),
            "hidden" => Some(Value::Bool(n.attrs.hidden)),
            other => n.attrs.other.get(other).cloned(),
        });
        out.insert(property.clone(), value.unwrap_or(Value::Null));
    }
    for property in &fields.computed_style {
        if let Some(value) = computed_value(tree, node, property) {
            out.insert(property.clone(), Value::String(value));
        }
    }
    Value::Object(out)
}

fn viewport_fields(viewport: Viewport, fields: &QueryFields) -> Value {
    let (w, h) = (viewport.width.0, viewport.height.0);
    let mut out = Map::new();
    if fields.id {
        out.insert("id".into(), json!(""));
    }
    if fields.dataset {
        out.insert("dataset".into(), json!({}));
    }
    if fields.rect {
        out.insert("left".into(), json!(0.0));
        out.insert("right".into(), json!(w));
        out.insert("top".into(), json!(0.0));
        out.insert("bottom".into(), json!(h));
    }
    if fields.size {
        out.insert("width".into(), json!(w));
        out.insert("height".into(), json!(h));
    }
    if fields.scroll_offset {
        out.insert("scrollLeft".into(), json!(0.0));
        out.insert("scrollTop".into(), json!(0.0));
        out.insert("scrollWidth".into(), json!(w));
        out.insert("scrollHeight".into(), json!(h));
    }
    Value::Object(out)
}

/// The answer to one query: one value per request, in order (an object or
/// `null` for `select`, an array for `selectAll`).
pub fn answer(tree: Option<&PageTree>, viewport: Viewport, requests: &[QueryRequest]) -> Value {
    let results = requests
        .iter()
        .map(|request| match (&request.target, tree) {
            (QueryTarget::Viewport, _) => viewport_fields(viewport, &request.fields),
            (QueryTarget::First(selector), Some(tree)) => {
                select_scoped(tree, request.scope, selector)
                    .first()
                    .map_or(Value::Null, |&node| {
                        node_fields(tree, node, &request.fields)
                    })
            }
            (QueryTarget::All(selector), Some(tree)) => Value::Array(
                select_scoped(tree, request.scope, selector)
                    .into_iter()
                    .map(|node| node_fields(tree, node, &request.fields))
                    .collect(),
            ),
            (QueryTarget::First(_), None) => Value::Null,
            (QueryTarget::All(_), None) => Value::Array(Vec::new()),
        });
    Value::Array(results.collect())
}

// ---- intersection observers -------------------------------------------

/// A live observer and the last ratio band of each node it watches.
#[derive(Clone, Debug)]
struct Observer {
    spec: IntersectionObserve,
    /// node -> number of thresholds its ratio has passed.
    bands: Vec<(NodeId, usize)>,
}

/// The intersection observers of all pages, and the queries waiting for
/// the next layout.
#[derive(Debug, Default)]
pub struct Queries {
    pending: Vec<(u64, PageId, Vec<QueryRequest>)>,
    observers: Vec<Observer>,
    /// The layout generation the observers last looked at.
    seen_generation: Option<u64>,
    /// Counts the scrolls (input or attribute) of any scroll-view: a
    /// scroll moves boxes without a layout, so observers look again.
    pub(crate) scroll_generation: u64,
}

/// What the render thread sends back after a layout.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryReply {
    Result {
        id: u64,
        results: Value,
    },
    /// One observer's notification about one node.
    Intersection {
        id: u64,
        entry: Value,
    },
}

impl Queries {
    pub fn push_query(&mut self, id: u64, page: PageId, requests: Vec<QueryRequest>) {
        self.pending.push((id, page, requests));
    }

    pub fn observe(&mut self, spec: IntersectionObserve) {
        self.observers.retain(|o| o.spec.id != spec.id);
        self.observers.push(Observer {
            spec,
            bands: Vec::new(),
        });
        // A new observer looks at the current layout even if it is unchanged.
        self.seen_generation = None;
    }

    pub fn disconnect(&mut self, id: u64) {
        self.observers.retain(|o| o.spec.id != id);
    }

    /// Drops the observers and queries of pages that are gone.
    pub fn forget_pages(&mut self, pages: &[PageId]) {
        self.observers.retain(|o| !pages.contains(&o.spec.page));
        self.pending.retain(|(_, page, _)| !pages.contains(page));
    }

    /// Whether the owner must lay out and call [`Queries::answer`].
    pub fn wants_layout(&self, generation: u64) -> bool {
        !self.pending.is_empty()
            || (!self.observers.is_empty() && self.seen_generation != Some(generation))
    }

    /// Answers every pending query and runs the observers over a layout of
    /// generation `generation`. `tree_of` gives a page's tree.
    pub fn answer<'t>(
        &mut self,
        generation: u64,
        viewport: Viewport,
        time_ms: f64,
        tree_of: impl Fn(PageId) -> Option<&'t PageTree>,
    ) -> Vec<QueryReply> {
        let mut replies: Vec<QueryReply> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(id, page, requests)| QueryReply::Result {
                id,
                results: answer(tree_of(page), viewport, &requests),
            })
            .collect();
        if self.seen_generation != Some(generation) {
            self.seen_generation = Some(generation);
            for observer in &mut self.observers {
                if let Some(tree) = tree_of(observer.spec.page) {
                    observer.run(tree, viewport, time_ms, &mut replies);
                }
            }
        }
        replies
    }
}

/// How many thresholds `ratio` has passed: threshold 0 means "intersects
/// at all", any other is reached at equality.
fn band(ratio: f32, intersects: bool, thresholds: &[f32]) -> usize {
    thresholds
        .iter()
        .filter(|&&t| if t <= 0.0 { intersects } else { ratio >= t })
        .count()
}

impl Observer {
    fn run(
        &mut self,
        tree: &PageTree,
        viewport: Viewport,
        time_ms: f64,
        out: &mut Vec<QueryReply>,
    ) {
        let spec = &self.spec;
        let mut targets = select_scoped(tree, spec.scope, &spec.target);
        if !spec.observe_all {
            targets.truncate(1);
        }
        let viewport_rect = BoxRect {
            left: 0.0,
            top: 0.0,
            width: viewport.width.0,
            height: viewport.height.0,
        };
        // The reference area: the intersection of every relativeTo area.
        let mut relative: Option<BoxRect> = None;
        let mut first = true;
        for reference in &spec.relative_to {
            let (base, margins) = match reference {
                RelativeTo::Viewport(m) => (Some(viewport_rect), m),
                RelativeTo::Node(selector, m) => (
                    select_scoped(tree, spec.scope, selector)
                        .first()
                        .and_then(|&n| node_rect(tree, n)),
                    m,
                ),
            };
            let grown = base.map(|b| BoxRect {
                left: b.left - margins.left,
                top: b.top - margins.top,
                width: b.width + margins.left + margins.right,
                height: b.height + margins.top + margins.bottom,
            });
            relative = match (first, relative, grown) {
                (true, _, g) => g,
                (false, Some(r), Some(g)) => r.intersect(&g),
                _ => None,
            };
            first = false;
        }
        let relative = if spec.relative_to.is_empty() {
            Some(viewport_rect)
        } else {
            relative
        };
        let initial = band(
            spec.initial_ratio,
            spec.initial_ratio > 0.0,
            &spec.thresholds,
        );
        let mut bands = Vec::with_capacity(targets.len());
        for node in targets {
            let Some(rect) = node_rect(tree, node) else {
                continue;
            };
            let overlap = relative.and_then(|r| rect.intersect(&r));
            let area = rect.width * rect.height;
            // f64, so that 17 px of 40 reads 0.425 in JS, not 0.42500001.
            let ratio: f64 = match overlap {
                Some(o) if area > 0.0 => {
                    (f64::from(o.width) * f64::from(o.height) / f64::from(area)).clamp(0.0, 1.0)
                }
                Some(_) => 1.0, // an empty box inside the area counts as visible
                None => 0.0,
            };
            let now = band(ratio as f32, overlap.is_some(), &spec.thresholds);
            let before = self
                .bands
                .iter()
                .find(|(n, _)| *n == node)
                .map_or(initial, |(_, b)| *b);
            if now != before {
                let zero = BoxRect {
                    left: 0.0,
                    top: 0.0,
                    width: 0.0,
                    height: 0.0,
                };
                let n = tree.get(node);
                out.push(QueryReply::Intersection {
                    id: spec.id,
                    entry: json!({
                        "id": n.map(|n| n.attrs.id.clone()).unwrap_or_default(),
                        "dataset": dataset(tree, node),
                        "intersectionRatio": ratio,
                        "intersectionRect": overlap.unwrap_or(zero).json(),
                        "boundingClientRect": rect.json(),
                        "relativeRect": relative.unwrap_or(zero).json(),
                        "time": time_ms,
                    }),
                });
            }
            bands.push((node, now));
        }
        self.bands = bands;
    }
}

impl Queries {
    pub fn has_observers(&self) -> bool {
        !self.observers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_parse_into_compounds_and_combinators() {
        let list = parse_selector_list("#a .b > view.c.d, *").expect("parses");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].parts.len(), 3);
        assert_eq!(list[0].parts[0].1, Some(Combinator::Descendant));
        assert_eq!(list[0].parts[1].1, Some(Combinator::Child));
        assert_eq!(
            list[0].parts[2].0,
            Compound {
                tag: Some("view".into()),
                id: None,
                classes: vec!["c".into(), "d".into()]
            }
        );
        assert_eq!(parse_selector_list("a >"), None);
        assert_eq!(parse_selector_list("[x=1]"), None);
        assert_eq!(parse_selector_list(".a:hover"), None);
    }

    #[test]
    fn threshold_bands() {
        assert_eq!(band(0.0, false, &[0.0]), 0);
        assert_eq!(band(0.0, true, &[0.0]), 1, "touching counts for 0");
        assert_eq!(band(0.5, true, &[0.0, 0.5, 1.0]), 2);
        assert_eq!(band(1.0, true, &[0.0, 0.5, 1.0]), 3);
        assert_eq!(camel_case("foo-bar-baz"), "fooBarBaz");
    }
}
