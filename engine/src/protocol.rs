//! Messages between the logic thread and the render thread (besides op
//! batches, which are in [`crate::ops`]). Both directions are crossbeam
//! channels; neither side ever blocks on the other.

use crate::diagnostics::Diagnostic;
use crate::ops::{OpBatch, PageId};
use cirrus_layout::Viewport;
use serde_json::Value;

/// Logic thread -> render thread.
#[derive(Clone, Debug)]
pub enum ToRender {
    /// A page instance was created for `route` and pushed on the stack: the
    /// render thread loads its styles and creates its root element. Op
    /// batches for it follow.
    PushPage { page: PageId, route: String },
    /// Op batches of one turn.
    Ops(OpBatch),
    /// The page's `onReady` has run.
    PageReady { page: PageId },
    /// Pages popped from the top of the stack (navigateBack, redirect).
    PopPages { pages: Vec<PageId> },
    /// An error in the mini program (a JS exception, a template error): the
    /// render thread shows it in the error overlay and keeps running.
    Error(Diagnostic),
    /// The logic thread finished a turn and has nothing queued: no pending
    /// setData, no zero-delay timer. Used by `cirrus shot` to know the app
    /// has settled.
    Idle,
    /// The logic thread has stopped (after `ToLogic::Shutdown`).
    Stopped,
}

/// Render thread (or host) -> logic thread.
#[derive(Clone, Debug)]
pub enum ToLogic {
    /// Launch the app at `route` (with its query string, e.g. `id=3`).
    Launch {
        route: String,
        query: String,
    },
    /// The window size changed (rpx follows the width).
    Resize(Viewport),
    /// A UI event for a node's handler (issue 3 fills the event object).
    Event {
        page: PageId,
        node: crate::ops::NodeId,
        name: String,
        detail: Value,
    },
    Shutdown,
}
