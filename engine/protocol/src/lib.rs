//! cirrus-protocol: everything that crosses the queues between the logic
//! thread and the render thread, as Rust types.
//!
//! - [`ops`]: the tree operations one setData turn produces;
//! - [`messages`]: [`ToRender`] and [`ToLogic`], the two queues' messages;
//! - [`events`]: UI events (touches, gestures, scrolls, loads) for nodes;
//! - [`dialogs`], [`query`]: the typed requests inside them and the typed
//!   answers the render thread sends back (`DialogOutcome`, `QueryAnswer`,
//!   `IntersectionEntry`);
//! - [`diagnostics`]: located problems of a mini program;
//! - [`worklet`]: the worklet animation library both threads evaluate.
//!
//! No JSON text crosses the queues: the only `serde_json::Value`s are the
//! mini program's own JavaScript values (attribute values, animation
//! steps, datasets and attribute values in answers). WeChat's result
//! objects (`errMsg`, query results, event objects) are spelt from the
//! typed answers on the logic side (the `to_json` methods). This crate
//! sits below the engine and depends on no renderer, so the logic side
//! compiles without wgpu.

pub mod diagnostics;
pub mod dialogs;
pub mod events;
pub mod messages;
pub mod ops;
pub mod query;
pub mod worklet;

pub use diagnostics::{Diagnostic, Severity};
pub use events::{EventDetail, UiEvent};
pub use messages::{ToLogic, ToRender};
