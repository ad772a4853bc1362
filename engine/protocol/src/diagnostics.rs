//! Diagnostics about a mini program. Parsers never fail: they return a value
//! and a list of these. Every diagnostic names the file, line and column.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about a mini program's source, at `file:line:col` (1-based;
/// `line == 0` means the whole file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the package root, with `/` separators.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line,
            column,
            message: message.into(),
        }
    }
    pub fn warning(
        file: impl Into<String>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            file: file.into(),
            line,
            column,
            message: message.into(),
        }
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, level, self.message
        )
    }
}

/// Converts a byte offset in `source` into a 1-based (line, column), the
/// column counted in characters.
pub fn line_col_at(source: &str, byte_offset: usize) -> (u32, u32) {
    let upto = &source[..byte_offset.min(source.len())];
    let line = upto.matches('\n').count() as u32 + 1;
    let col = upto
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col_at("ab\ncd", 0), (1, 1));
        assert_eq!(line_col_at("ab\ncd", 4), (2, 2));
        let d = Diagnostic::error("app.json", 3, 7, "bad");
        assert_eq!(d.to_string(), "app.json:3:7: error: bad");
    }
}
