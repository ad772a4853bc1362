//! What the logic thread asks of the layout: selector queries
//! (`wx.createSelectorQuery()`) and intersection observers
//! (`wx.createIntersectionObserver()`). The engine answers them after its
//! next layout (`cirrus_engine::query`) with typed answers
//! ([`QueryAnswer`], [`IntersectionEntry`]), which the logic thread spells
//! as WeChat's result objects (`to_json`).

use crate::ops::{NodeId, PageId};
use serde_json::{json, Map, Value};

/// Which nodes one request of a query is about.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryTarget {
    /// `selectViewport()`.
    Viewport,
    /// `select(selector)`: the first match in document order.
    First(String),
    /// `selectAll(selector)`: every match in document order.
    All(String),
}

/// What to report of each node (`NodesRef.fields`; `boundingClientRect` is
/// `{id, dataset, rect, size}`, `scrollOffset` `{id, dataset, scrollOffset}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryFields {
    pub id: bool,
    pub dataset: bool,
    /// left, right, top, bottom.
    pub rect: bool,
    /// width, height.
    pub size: bool,
    /// scrollLeft, scrollTop, scrollWidth, scrollHeight.
    pub scroll_offset: bool,
    /// Attribute values by name (`properties: ['src']`).
    pub properties: Vec<String>,
    /// Computed style values by CSS name (`computedStyle: ['color']`).
    pub computed_style: Vec<String>,
}

/// One `NodesRef` call of a query.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryRequest {
    pub target: QueryTarget,
    pub fields: QueryFields,
    /// `.in(component)` / a component's own `createSelectorQuery()`: the
    /// component's host. Selectors then match only the elements of that
    /// component's shadow tree; `None`: the whole page.
    pub scope: Option<NodeId>,
}

/// Margins that grow (positive) or shrink the reference area, CSS px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Margins {
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// What an intersection observer measures against.
#[derive(Clone, Debug, PartialEq)]
pub enum RelativeTo {
    Viewport(Margins),
    /// The first node matching the selector.
    Node(String, Margins),
}

/// `createIntersectionObserver(...).relativeTo…(...).observe(selector)`.
#[derive(Clone, Debug, PartialEq)]
pub struct IntersectionObserve {
    pub id: u64,
    pub page: PageId,
    pub target: String,
    /// `observeAll`: every match, else the first.
    pub observe_all: bool,
    pub relative_to: Vec<RelativeTo>,
    /// Ascending ratios in 0..=1.
    pub thresholds: Vec<f32>,
    pub initial_ratio: f32,
    /// A component's `createIntersectionObserver`: its host; target and
    /// `relativeTo` selectors match only in its shadow tree.
    pub scope: Option<NodeId>,
}

// ---- answers ------------------------------------------------------------

/// A border box in CSS px, relative to the viewport's top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BoxRect {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

impl BoxRect {
    pub const ZERO: BoxRect = BoxRect {
        left: 0.0,
        top: 0.0,
        width: 0.0,
        height: 0.0,
    };

    pub fn right(&self) -> f32 {
        self.left + self.width
    }

    pub fn bottom(&self) -> f32 {
        self.top + self.height
    }

    /// The overlap of two boxes; touching edges give an empty box, apart
    /// boxes `None`.
    pub fn intersect(&self, other: &BoxRect) -> Option<BoxRect> {
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

    /// The edges of the box (`NodesRef.fields({rect: true})`).
    pub fn edges(&self) -> BoxEdges {
        BoxEdges {
            left: self.left,
            right: self.right(),
            top: self.top,
            bottom: self.bottom(),
        }
    }

    /// The size of the box (`NodesRef.fields({size: true})`).
    pub fn size(&self) -> BoxSize {
        BoxSize {
            width: self.width,
            height: self.height,
        }
    }

    /// `{left, top, right, bottom, width, height}`, as intersection
    /// entries spell their rectangles.
    pub fn to_json(&self) -> Value {
        json!({
            "left": self.left, "top": self.top, "right": self.right(), "bottom": self.bottom(),
            "width": self.width, "height": self.height,
        })
    }
}

/// A box's edges, CSS px, viewport-relative.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BoxEdges {
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

/// A box's size, CSS px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BoxSize {
    pub width: f32,
    pub height: f32,
}

/// Where a node's content is scrolled to, and how large it is, CSS px.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ScrollOffset {
    pub scroll_left: f32,
    pub scroll_top: f32,
    pub scroll_width: f32,
    pub scroll_height: f32,
}

/// What a query reports of one node (or of the viewport): each field is
/// `Some` (or non-empty) exactly when its [`QueryFields`] flag asked for it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeFields {
    /// `id`: the `id` attribute (`""` when none).
    pub id: Option<String>,
    /// `dataset`: the `data-*` attributes by camelCase name (the mini
    /// program's own values).
    pub dataset: Option<Map<String, Value>>,
    /// `rect`: `left`, `right`, `top`, `bottom`.
    pub rect: Option<BoxEdges>,
    /// `size`: `width`, `height`.
    pub size: Option<BoxSize>,
    /// `scrollOffset`: `scrollLeft`, `scrollTop`, `scrollWidth`,
    /// `scrollHeight`.
    pub scroll_offset: Option<ScrollOffset>,
    /// `properties`: each asked-for attribute's value (`null` when unset),
    /// in the order asked.
    pub properties: Vec<(String, Value)>,
    /// `computedStyle`: each asked-for property the engine knows, as CSS
    /// text (`"rgb(0, 0, 0)"`, `"12px"`), in the order asked.
    pub computed_style: Vec<(String, String)>,
}

impl NodeFields {
    /// The object `NodesRef`'s callback gets. Later fields win a name
    /// clash (a `properties` entry named `id`, a computed style named
    /// `width`), as they are written last.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        if let Some(id) = &self.id {
            out.insert("id".into(), Value::String(id.clone()));
        }
        if let Some(dataset) = &self.dataset {
            out.insert("dataset".into(), Value::Object(dataset.clone()));
        }
        if let Some(rect) = &self.rect {
            out.insert("left".into(), json!(rect.left));
            out.insert("right".into(), json!(rect.right));
            out.insert("top".into(), json!(rect.top));
            out.insert("bottom".into(), json!(rect.bottom));
        }
        if let Some(size) = &self.size {
            out.insert("width".into(), json!(size.width));
            out.insert("height".into(), json!(size.height));
        }
        if let Some(scroll) = &self.scroll_offset {
            out.insert("scrollLeft".into(), json!(scroll.scroll_left));
            out.insert("scrollTop".into(), json!(scroll.scroll_top));
            out.insert("scrollWidth".into(), json!(scroll.scroll_width));
            out.insert("scrollHeight".into(), json!(scroll.scroll_height));
        }
        for (name, value) in &self.properties {
            out.insert(name.clone(), value.clone());
        }
        for (name, value) in &self.computed_style {
            out.insert(name.clone(), Value::String(value.clone()));
        }
        Value::Object(out)
    }
}

/// The answer to one [`QueryRequest`].
#[derive(Clone, Debug, PartialEq)]
pub enum QueryAnswer {
    /// `select` (`None`: nothing matched, `null`) and `selectViewport`.
    One(Option<NodeFields>),
    /// `selectAll`: every match in document order.
    All(Vec<NodeFields>),
}

impl QueryAnswer {
    /// An object or `null` for `select`, an array for `selectAll`.
    pub fn to_json(&self) -> Value {
        match self {
            QueryAnswer::One(Some(fields)) => fields.to_json(),
            QueryAnswer::One(None) => Value::Null,
            QueryAnswer::All(nodes) => {
                Value::Array(nodes.iter().map(NodeFields::to_json).collect())
            }
        }
    }

    /// The array `SelectorQuery.exec`'s callback gets: one value per
    /// request, in order.
    pub fn list_to_json(answers: &[QueryAnswer]) -> Value {
        Value::Array(answers.iter().map(QueryAnswer::to_json).collect())
    }
}

/// An intersection observer's notification about one node: the ratio
/// crossed a threshold.
#[derive(Clone, Debug, PartialEq)]
pub struct IntersectionEntry {
    /// The node's `id` attribute (`""` when none).
    pub id: String,
    /// Its `data-*` attributes by camelCase name.
    pub dataset: Map<String, Value>,
    /// The visible share of the node's area, 0..=1 (f64, so that 17 px of
    /// 40 reads 0.425 in JS).
    pub intersection_ratio: f64,
    /// The visible part (zero when none).
    pub intersection_rect: BoxRect,
    /// The node's border box.
    pub bounding_client_rect: BoxRect,
    /// The reference area (zero when there is none).
    pub relative_rect: BoxRect,
    /// When it was measured, ms on the render thread's clock.
    pub time: f64,
}

impl IntersectionEntry {
    /// The object the observer's callback gets.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "dataset": self.dataset,
            "intersectionRatio": self.intersection_ratio,
            "intersectionRect": self.intersection_rect.to_json(),
            "boundingClientRect": self.bounding_client_rect.to_json(),
            "relativeRect": self.relative_rect.to_json(),
            "time": self.time,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_fields_spell_wechats_keys_and_only_the_asked_ones() {
        let rect = BoxRect {
            left: 20.0,
            top: 150.0,
            width: 200.0,
            height: 100.0,
        };
        let mut dataset = Map::new();
        dataset.insert("itemId".into(), json!(42));
        let fields = NodeFields {
            id: Some("chosen".into()),
            dataset: Some(dataset),
            rect: Some(rect.edges()),
            size: Some(rect.size()),
            ..NodeFields::default()
        };
        assert_eq!(
            fields.to_json(),
            json!({
                "id": "chosen", "dataset": {"itemId": 42},
                "left": 20.0, "right": 220.0, "top": 150.0, "bottom": 250.0,
                "width": 200.0, "height": 100.0,
            })
        );
        assert_eq!(NodeFields::default().to_json(), json!({}));
        let scrolled = NodeFields {
            scroll_offset: Some(ScrollOffset {
                scroll_left: 0.0,
                scroll_top: 100.0,
                scroll_width: 300.0,
                scroll_height: 1205.0,
            }),
            properties: vec![("src".into(), json!("a.png")), ("alt".into(), Value::Null)],
            computed_style: vec![("color".into(), "rgb(0, 0, 0)".into())],
            ..NodeFields::default()
        };
        assert_eq!(
            scrolled.to_json(),
            json!({
                "scrollLeft": 0.0, "scrollTop": 100.0, "scrollWidth": 300.0,
                "scrollHeight": 1205.0, "src": "a.png", "alt": null, "color": "rgb(0, 0, 0)",
            })
        );
    }

    #[test]
    fn later_fields_win_name_clashes() {
        let fields = NodeFields {
            id: Some("a".into()),
            size: Some(BoxSize {
                width: 10.0,
                height: 5.0,
            }),
            properties: vec![("id".into(), json!("b"))],
            computed_style: vec![("width".into(), "10px".into())],
            ..NodeFields::default()
        };
        assert_eq!(
            fields.to_json(),
            json!({"id": "b", "width": "10px", "height": 5.0})
        );
    }

    #[test]
    fn answers_are_objects_nulls_and_arrays() {
        let node = NodeFields {
            id: Some(String::new()),
            ..NodeFields::default()
        };
        let answers = [
            QueryAnswer::One(Some(node.clone())),
            QueryAnswer::One(None),
            QueryAnswer::All(vec![node.clone(), node]),
            QueryAnswer::All(Vec::new()),
        ];
        assert_eq!(
            QueryAnswer::list_to_json(&answers),
            json!([{"id": ""}, null, [{"id": ""}, {"id": ""}], []])
        );
    }

    #[test]
    fn intersection_entries_carry_three_rects() {
        let bounding = BoxRect {
            left: 0.0,
            top: 600.0,
            width: 375.0,
            height: 100.0,
        };
        let viewport = BoxRect {
            left: 0.0,
            top: 0.0,
            width: 375.0,
            height: 667.0,
        };
        let entry = IntersectionEntry {
            id: "t".into(),
            dataset: Map::new(),
            intersection_ratio: 0.67,
            intersection_rect: bounding.intersect(&viewport).unwrap(),
            bounding_client_rect: bounding,
            relative_rect: viewport,
            time: 16.0,
        };
        assert_eq!(
            entry.to_json(),
            json!({
                "id": "t", "dataset": {}, "intersectionRatio": 0.67,
                "intersectionRect": {"left": 0.0, "top": 600.0, "right": 375.0,
                    "bottom": 667.0, "width": 375.0, "height": 67.0},
                "boundingClientRect": {"left": 0.0, "top": 600.0, "right": 375.0,
                    "bottom": 700.0, "width": 375.0, "height": 100.0},
                "relativeRect": {"left": 0.0, "top": 0.0, "right": 375.0,
                    "bottom": 667.0, "width": 375.0, "height": 667.0},
                "time": 16.0,
            })
        );
        assert_eq!(BoxRect::ZERO.intersect(&viewport), Some(BoxRect::ZERO));
        let below = BoxRect {
            top: 700.0,
            ..bounding
        };
        assert_eq!(below.intersect(&viewport), None);
    }
}
