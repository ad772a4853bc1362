//! A LESS source file and 1-based line/column positions in it.

use std::rc::Rc;

/// Where something starts: package path plus 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub file: Rc<str>,
    pub line: u32,
    pub column: u32,
}

/// A file's text with its line starts, to turn byte offsets into positions.
pub struct SourceFile {
    pub path: Rc<str>,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: &str, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(index, _)| index + 1));
        SourceFile {
            path: Rc::from(path),
            text: text.to_string(),
            line_starts,
        }
    }

    /// The position of a byte offset (columns count characters).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index.saturating_sub(1),
        };
        let line_start = self.line_starts[line_index];
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |prefix| prefix.chars().count());
        Pos {
            file: self.path.clone(),
            line: u32::try_from(line_index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}
