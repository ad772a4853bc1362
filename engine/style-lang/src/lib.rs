//! LESS and SCSS/Sass compiled to WXSS when a mini program package is loaded.
//!
//! Devtools projects opt into these with `setting.useCompilerPlugins`
//! (`["less"]`, `["sass"]`); the engine reads `.less`/`.scss`/`.sass` files
//! and needs WXSS. This crate owns that translation and nothing else: it
//! works on package paths and a `read` callback, never on the disk, so the
//! engine decides where package files come from.
//!
//! - [`compile_scss`]: SCSS and the indented syntax, with the `grass` crate.
//! - [`compile_less`]: LESS, with a hand-written compiler (`less/`), because
//!   no maintained Rust LESS compiler exists.
//!
//! Both never panic and never fail: they return the CSS they could produce
//! plus located diagnostics.

mod diagnostic;
mod less;
mod nesting;
pub mod paths;
mod scss;
mod scss_budget;
mod scss_limits;

pub use diagnostic::{Compiled, LangDiagnostic, Severity};
pub use less::compile_less;
pub use nesting::MAX_NESTING;
pub use scss::compile_scss;
