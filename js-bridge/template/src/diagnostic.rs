//! Template diagnostics: parse warnings from glass-easel and evaluation errors,
//! always with a 1-based file:line:column.

use glass_easel_template_compiler::parse::{ParseError, ParseErrorKind, ParseErrorLevel};

/// One finding about a WXML file (1-based line and column, UTF-16 columns as
/// the parser counts them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDiagnostic {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub is_error: bool,
}

impl TemplateDiagnostic {
    pub(crate) fn error(
        file: &str,
        (line, column): (u32, u32),
        message: impl Into<String>,
    ) -> Self {
        TemplateDiagnostic {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            is_error: true,
        }
    }

    pub(crate) fn warning(
        file: &str,
        (line, column): (u32, u32),
        message: impl Into<String>,
    ) -> Self {
        TemplateDiagnostic {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            is_error: false,
        }
    }

    /// Converts a glass-easel parse warning; `None` for notes (style hints such
    /// as a valueless attribute, which is valid WXML).
    pub(crate) fn from_parse_error(file: &str, err: &ParseError) -> Option<Self> {
        // Structural mistakes that the parser only rates as warnings still
        // leave the page different from what the author wrote.
        let structural = matches!(
            err.kind,
            ParseErrorKind::MissingEndTag
                | ParseErrorKind::InvalidEndTag
                | ParseErrorKind::IncompleteTag
        );
        let level = err.level();
        if level == ParseErrorLevel::Note {
            return None;
        }
        let start = err.location.start;
        Some(TemplateDiagnostic {
            file: file.to_owned(),
            line: start.line + 1,
            column: start.utf16_col + 1,
            message: err.kind.to_string(),
            is_error: structural || level >= ParseErrorLevel::Error,
        })
    }
}

impl std::fmt::Display for TemplateDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = if self.is_error { "error" } else { "warning" };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl From<TemplateDiagnostic> for cirrus_protocol::Diagnostic {
    fn from(d: TemplateDiagnostic) -> Self {
        if d.is_error {
            cirrus_protocol::Diagnostic::error(d.file, d.line, d.column, d.message)
        } else {
            cirrus_protocol::Diagnostic::warning(d.file, d.line, d.column, d.message)
        }
    }
}
