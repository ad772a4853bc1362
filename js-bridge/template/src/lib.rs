//! cirrus-template: WXML templates bound to page data, producing minimal op diffs.
//!
//! Pipeline: [`TemplateGroup`] parses WXML files with glass-easel's parser and
//! lowers them to a small IR (`ir`); [`PageInstance`] instantiates a page's
//! IR against a `serde_json::Value` mirror of the page data, emitting
//! [`cirrus_protocol::ops::Op`]s that build the tree under `NodeId::ROOT`.
//! While evaluating, every binding records the data paths it read; a
//! dependency index (`deps`) maps changed paths back to the bindings that read
//! them, so [`PageInstance::update`] re-evaluates only those and emits only the
//! ops whose values actually changed.
//!
//! Custom components: [`PageInstance::with_options`] names the custom tags
//! of a template; their hosts, properties and slots are described in the
//! `instance::component` module, and the attribute contract with the render
//! side is [`scope_attrs`]. Each component's shadow tree is its own
//! `PageInstance` built under the host with its own data.
//!
//! Invariants kept across the crate:
//! - nothing here panics on user input (WXML, expressions, data, paths);
//! - node ids are allocated upward from `first_id` and never reused;
//! - every diagnostic carries a 1-based file:line:column.

mod data_depth;
mod data_path;
mod deps;
mod diagnostic;
mod eval;
mod events;
mod group;
mod instance;
mod ir;
mod lower;
mod nesting_guard;
pub mod scope_attrs;
mod value;
mod wxs_call;

pub use data_depth::{drop_iteratively, limit_data_depth, MAX_DATA_DEPTH};
pub use data_path::{apply_set_data, parse_data_path, DataPath, PathSegment};
pub use diagnostic::TemplateDiagnostic;
pub use eval::MAX_LIST_ITEMS;
pub use events::{EventBinding, EventKind};
pub use group::TemplateGroup;
pub use instance::{
    ComponentEvent, InstanceOptions, NodeIdSource, PageInstance, MAX_COMPONENT_DEPTH,
    MAX_FRAGMENTS, MAX_INSTANCE_DEPTH, MAX_PAGE_NODES, MAX_TEMPLATE_NESTING,
};
pub use lower::camel_to_dash;
pub use nesting_guard::{MAX_ELEMENT_DEPTH, MAX_EXPRESSION_DEPTH, MAX_INTERPOLATIONS_PER_VALUE};
pub use wxs_call::{set_thread_wxs_host, WxsHost};

/// Errors of this crate's API (user content problems are
/// [`TemplateDiagnostic`]s instead).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A setData key that is not a valid data path (`a.b[2].c`).
    #[error("invalid data path `{path}`: {reason}")]
    InvalidDataPath { path: String, reason: String },
    /// setData data nested deeper than [`MAX_DATA_DEPTH`]: the deeper part
    /// was stored as `null`.
    #[error("data set at `{path}` is nested more than {MAX_DATA_DEPTH} levels deep: the deeper part is null")]
    DataTooDeep { path: String },
}
