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
//!   threads need;
//! - [`sandbox`]: the one place package (and data folder) files are
//!   opened: inside the folder after links, regular files only, each kind
//!   with a size limit;
//! - [`checks`]: the package-wide checks at load (pages listed but
//!   missing, configuration files that are not objects, `usingComponents`
//!   that name nothing), linear in the package's size;
//! - [`text_index`]: byte offsets to line and column, and JSON paths to
//!   offsets, in logarithmic time after one pass over a file.
//!
//! Loading never fails on the mini program's content: it returns a value
//! plus located [`Diagnostic`]s. Only an unreadable or non-package folder
//! is a [`PackageError`].

pub mod checks;
pub mod chrome_layout;
pub mod compile_cache;
pub mod config;
pub mod json_locate;
pub mod lenient;
pub mod npm;
pub mod package;
pub mod project;
pub mod sandbox;
pub mod style_sources;
pub mod text_index;

pub use cirrus_protocol::{Diagnostic, Severity};
pub use package::Package;

/// Why a folder could not be opened as a mini program, or a file of it
/// (or of its data folder) was not read. The path in each is the one the
/// mini program named (a package path), never where a link led.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("cannot read {0}: {1}")]
    Io(String, #[source] std::io::Error),
    #[error("{0} is not a mini program folder")]
    NotAPackage(String),
    /// A path that climbs out (`..`), or a link that leads out.
    #[error("{path} links outside the {place}; not read")]
    Outside { path: String, place: &'static str },
    #[error("{0} is a link loop (or a chain of links too long to follow); not read")]
    LinkLoop(String),
    /// A FIFO, socket, device (or a folder where a file was expected).
    #[error("{path} is not a regular file ({kind}, where {expected} was expected); not read")]
    NotRegularFile {
        path: String,
        kind: &'static str,
        expected: &'static str,
    },
    #[error("{path} is too large ({size} bytes; the limit is {limit}); not read")]
    TooLarge { path: String, size: u64, limit: u64 },
    #[error("{0} is not valid UTF-8: {1}")]
    NotUtf8(String, #[source] std::string::FromUtf8Error),
}

impl PackageError {
    /// The problem as a diagnostic about the file `file` as a whole (line
    /// 0: a file-level problem has no better position). A file that is not
    /// valid UTF-8 is still loaded (lossily), so it is the only warning.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        let severity = match self {
            PackageError::NotUtf8(..) => Severity::Warning,
            _ => Severity::Error,
        };
        Diagnostic {
            severity,
            file: file.to_owned(),
            line: 0,
            column: 0,
            message: self.to_string(),
        }
    }
}
