//! The result of a compilation: CSS plus located diagnostics.

use std::fmt;

/// How bad a diagnostic is: an `Error` means the output is incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A message located in a package file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangDiagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for LangDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// The CSS a compiler produced and what it had to say about the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compiled {
    pub css: String,
    pub diagnostics: Vec<LangDiagnostic>,
}

impl Compiled {
    /// True when no diagnostic is an error.
    pub fn is_ok(&self) -> bool {
        self.diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    }
}
