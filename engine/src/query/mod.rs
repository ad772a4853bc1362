//! Answers `wx.createSelectorQuery()` and drives
//! `wx.createIntersectionObserver()` on the render thread, from the layout
//! it already has: the logic thread sends `ToRender::Query` /
//! `ToRender::ObserveIntersection`, the render thread answers after its
//! next layout with `ToLogic::QueryResult` / `ToLogic::Intersection`, typed
//! ([`QueryAnswer`], [`IntersectionEntry`]; the logic thread spells them
//! the WeChat way). No side ever waits for the other.
//!
//! Selectors are parsed and matched by cirrus-style's
//! [`SelectorList`], the one the style sheets use: what `SelectorQuery`
//! documents (`#id`, `.class` chains, tags, `*`, descendant and child
//! combinators, lists) and the rest of WXSS's selectors. An item that does
//! not parse matches nothing (an answer of `null` / `[]` when none does).
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

use crate::document::tree::PageTree;
use crate::ops::{NodeId, PageId};
use crate::protocol::ToLogic;
use crate::style::element::ElementRef;
use crate::style::scopes::{HOST_OF_ATTRIBUTE, SCOPE_ATTRIBUTE};
use cirrus_layout::style::{Color, Display, Position};
use cirrus_layout::Viewport;
use cirrus_style::{SelectorList, StyleElement};
use serde_json::{Map, Value};

pub use cirrus_protocol::query::{
    BoxEdges, BoxRect, BoxSize, IntersectionEntry, IntersectionObserve, Margins, NodeFields,
    QueryAnswer, QueryFields, QueryRequest, QueryTarget, RelativeTo, ScrollOffset,
};

// ---- selectors ---------------------------------------------------------

/// An element of a page tree whose ancestors stop below `boundary` (the
/// page root or a component's host), so combinators never look above the
/// scope. Positions among siblings are counted, not read from the indexes
/// the style pass keeps, as a query may run before that pass.
#[derive(Clone, Copy)]
struct Scoped<'a> {
    element: ElementRef<'a>,
    boundary: NodeId,
}

impl<'a> Scoped<'a> {
    fn wrap(&self, element: ElementRef<'a>) -> Self {
        Scoped {
            element,
            boundary: self.boundary,
        }
    }
}

impl StyleElement for Scoped<'_> {
    fn tag_name(&self) -> &str {
        self.element.tag_name()
    }

    fn id(&self) -> Option<&str> {
        self.element.id()
    }

    fn classes(&self) -> impl Iterator<Item = &str> + '_ {
        self.element.classes()
    }

    fn inline_style(&self) -> Option<&str> {
        self.element.inline_style()
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.element.attribute(name)
    }

    fn parent_element(&self) -> Option<Self> {
        let parent = self.element.parent_element()?;
        (parent.id != self.boundary).then(|| self.wrap(parent))
    }

    fn previous_sibling_element(&self) -> Option<Self> {
        Some(self.wrap(self.element.previous_sibling_element()?))
    }

    fn next_sibling_element(&self) -> Option<Self> {
        Some(self.wrap(self.element.next_sibling_element()?))
    }

    fn has_child_nodes(&self) -> bool {
        self.element.has_child_nodes()
    }

    fn is_active(&self) -> bool {
        self.element.is_active()
    }
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
    let list = SelectorList::parse(selector);
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
        .filter(|&id| tree.get(id).is_some_and(|n| n.is_element()))
        .filter(|&id| in_scope(id))
        .filter(|&id| {
            list.matches(&Scoped {
                element: ElementRef { tree, id },
                boundary,
            })
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
fn dataset(tree: &PageTree, node: NodeId) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(n) = tree.get(node) {
        for (name, value) in &n.attrs.other {
            if let Some(key) = name.strip_prefix("data-") {
                out.insert(camel_case(key), value.clone());
            }
        }
    }
    out
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

fn node_fields(tree: &PageTree, node: NodeId, fields: &QueryFields) -> NodeFields {
    let n = tree.get(node);
    let rect = node_rect(tree, node).unwrap_or(BoxRect::ZERO);
    let scroll_offset = fields.scroll_offset.then(|| {
        let scroll = n.and_then(|n| n.scroll.as_deref());
        let ((left, top), (width, height)) = match scroll {
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
        ScrollOffset {
            scroll_left: left,
            scroll_top: top,
            scroll_width: width,
            scroll_height: height,
        }
    });
    let properties = fields
        .properties
        .iter()
        .map(|property| {
            let value = n.and_then(|n| match property.as_str() {
                "id" => Some(Value::String(n.attrs.id.clone())),
                "class" | "className" => Some(Value::String(n.attrs.classes.join(" "))),
                "style" => Some(Value::String(n.attrs.style.clone())),
                "hidden" => Some(Value::Bool(n.attrs.hidden)),
                other => n.attrs.other.get(other).cloned(),
            });
            (property.clone(), value.unwrap_or(Value::Null))
        })
        .collect();
    let computed_style = fields
        .computed_style
        .iter()
        .filter_map(|property| {
            computed_value(tree, node, property).map(|value| (property.clone(), value))
        })
        .collect();
    NodeFields {
        id: fields
            .id
            .then(|| n.map(|n| n.attrs.id.clone()).unwrap_or_default()),
        dataset: fields.dataset.then(|| dataset(tree, node)),
        rect: fields.rect.then(|| rect.edges()),
        size: fields.size.then(|| rect.size()),
        scroll_offset,
        properties,
        computed_style,
    }
}

fn viewport_fields(viewport: Viewport, fields: &QueryFields) -> NodeFields {
    let (w, h) = (viewport.width.0, viewport.height.0);
    let rect = BoxRect {
        left: 0.0,
        top: 0.0,
        width: w,
        height: h,
    };
    NodeFields {
        id: fields.id.then(String::new),
        dataset: fields.dataset.then(Map::new),
        rect: fields.rect.then(|| rect.edges()),
        size: fields.size.then(|| rect.size()),
        scroll_offset: fields.scroll_offset.then_some(ScrollOffset {
            scroll_left: 0.0,
            scroll_top: 0.0,
            scroll_width: w,
            scroll_height: h,
        }),
        ..NodeFields::default()
    }
}

/// The answer to one query: one answer per request, in order (a node or
/// none for `select`, every match for `selectAll`).
pub fn answer(
    tree: Option<&PageTree>,
    viewport: Viewport,
    requests: &[QueryRequest],
) -> Vec<QueryAnswer> {
    requests
        .iter()
        .map(|request| match (&request.target, tree) {
            (QueryTarget::Viewport, _) => {
                QueryAnswer::One(Some(viewport_fields(viewport, &request.fields)))
            }
            (QueryTarget::First(selector), Some(tree)) => QueryAnswer::One(
                select_scoped(tree, request.scope, selector)
                    .first()
                    .map(|&node| node_fields(tree, node, &request.fields)),
            ),
            (QueryTarget::All(selector), Some(tree)) => QueryAnswer::All(
                select_scoped(tree, request.scope, selector)
                    .into_iter()
                    .map(|node| node_fields(tree, node, &request.fields))
                    .collect(),
            ),
            (QueryTarget::First(_), None) => QueryAnswer::One(None),
            (QueryTarget::All(_), None) => QueryAnswer::All(Vec::new()),
        })
        .collect()
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

    /// Answers every pending query (`ToLogic::QueryResult`) and runs the
    /// observers (`ToLogic::Intersection`) over a layout of generation
    /// `generation`. `tree_of` gives a page's tree.
    pub fn answer<'t>(
        &mut self,
        generation: u64,
        viewport: Viewport,
        time_ms: f64,
        tree_of: impl Fn(PageId) -> Option<&'t PageTree>,
    ) -> Vec<ToLogic> {
        let mut replies: Vec<ToLogic> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(id, page, requests)| ToLogic::QueryResult {
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
    fn run(&mut self, tree: &PageTree, viewport: Viewport, time_ms: f64, out: &mut Vec<ToLogic>) {
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
                out.push(ToLogic::Intersection {
                    id: spec.id,
                    entry: IntersectionEntry {
                        id: tree
                            .get(node)
                            .map(|n| n.attrs.id.clone())
                            .unwrap_or_default(),
                        dataset: dataset(tree, node),
                        intersection_ratio: ratio,
                        intersection_rect: overlap.unwrap_or(BoxRect::ZERO),
                        bounding_client_rect: rect,
                        relative_rect: relative.unwrap_or(BoxRect::ZERO),
                        time: time_ms,
                    },
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
    fn threshold_bands() {
        assert_eq!(band(0.0, false, &[0.0]), 0);
        assert_eq!(band(0.0, true, &[0.0]), 1, "touching counts for 0");
        assert_eq!(band(0.5, true, &[0.0, 0.5, 1.0]), 2);
        assert_eq!(band(1.0, true, &[0.0, 0.5, 1.0]), 3);
        assert_eq!(camel_case("foo-bar-baz"), "fooBarBaz");
    }
}
