//! What the logic thread asks of the layout: selector queries
//! (`wx.createSelectorQuery()`) and intersection observers
//! (`wx.createIntersectionObserver()`). The engine answers them after its
//! next layout (`cirrus_engine::query`).

use crate::ops::{NodeId, PageId};

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
