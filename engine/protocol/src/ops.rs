//! The op protocol: how the logic thread tells the render thread what changed.
//!
//! Ops travel in batches over a crossbeam channel, one batch per setData or
//! event turn. Node ids are chosen by the logic thread (so it can address the
//! nodes it creates without a round trip) and are unique within a page; the
//! page element itself is [`NodeId::ROOT`]. Every op is plain data: the render
//! thread never calls back into JS to apply one.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A node of one page's tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub u32);

impl NodeId {
    /// The page element, created with the page.
    pub const ROOT: NodeId = NodeId(0);
}

/// A page instance on the stack.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct PageId(pub u32);

/// One change to a page's node tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Op {
    /// A new, detached element (`view`, `text`, `image`, a component's host...).
    CreateElement {
        id: NodeId,
        tag: String,
    },
    /// A new, detached text run.
    CreateText {
        id: NodeId,
        text: String,
    },
    /// Inserts `child` into `parent` before `before` (at the end when `None`).
    /// If `child` is attached elsewhere it is moved, keeping its subtree
    /// (keyed `wx:for` moves use this).
    Insert {
        parent: NodeId,
        child: NodeId,
        before: Option<NodeId>,
    },
    /// Detaches `id` and drops it with its whole subtree.
    Remove {
        id: NodeId,
    },
    /// Sets an attribute. Well-known names: `id`, `class`, `style`, `hidden`,
    /// `src`, `mode`, `data-*`; others are kept for components and queries.
    SetAttribute {
        id: NodeId,
        name: String,
        value: Value,
    },
    RemoveAttribute {
        id: NodeId,
        name: String,
    },
    /// Replaces a text run's content.
    SetText {
        id: NodeId,
        text: String,
    },
}

/// The ops of one setData or event turn, applied atomically in one frame.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpBatch {
    pub page: PageId,
    pub ops: Vec<Op>,
}
