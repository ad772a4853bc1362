//! cirrus-package: a mini program as it lies on disk, loaded and checked.
//!
//! - [`project`]: the devtools' project folder (`project.config.json` and
//!   its private file, `miniprogramRoot`);
//! - [`package`]: the files of a mini program, its pages and extended
//!   libraries;
//! - [`config`]: app.json, page and component `.json`, `tabBar` and the
//!   theme file as types (what [`package`] reads them into);
//! - [`lenient`]: how those files (and the project's) are deserialized
//!   without ever failing on content, each bad value a located diagnostic;
//! - [`style_sources`]: `.less`/`.scss` compiled to WXSS at load;
//! - [`compile_cache`]: the content-keyed on-disk cache of compiled code;
//! - [`npm`]: the devtools' "build npm";
//! - [`chrome_layout`]: where the navigation and tab bars sit, which both
//!   threads need.
//!
//! Loading never fails on the mini program's content: it returns a value
//! plus located [`Diagnostic`]s. Only an unreadable or non-package folder
//! is a [`PackageError`].

pub mod chrome_layout;
pub mod compile_cache;
pub mod config;
pub mod json_locate;
pub mod lenient;
pub mod npm;
pub mod package;
pub mod project;
pub mod style_sources;

pub use cirrus_protocol::{Diagnostic, Severity};
pub use package::Package;

/// Why a folder could not be opened as a mini program.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("cannot read {0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error("{0} is not a mini program folder")]
    NotAPackage(String),
}
