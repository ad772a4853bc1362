//! Span edits on a source text that keep every line where it was, and the
//! map step that records how columns moved.
//!
//! A replacement never adds a line: the lowering writes its inserted code
//! without newlines, and a replaced range that spanned lines is followed
//! by as many newlines as it held.

use crate::source_map::{Anchor, MapStep};

/// Replace `source[start..end]` (byte offsets) with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

impl Edit {
    pub fn replace(start: u32, end: u32, text: impl Into<String>) -> Edit {
        Edit {
            start,
            end,
            text: text.into(),
        }
    }
}

/// A running (0-based line, column-in-chars) cursor.
#[derive(Clone, Copy, Default)]
struct Cursor {
    line: u32,
    column: u32,
}

impl Cursor {
    fn advance(&mut self, text: &str) {
        for c in text.chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 0;
            } else {
                self.column += 1;
            }
        }
    }
}

/// Applies `edits` (in any order; an edit inside an earlier, wider one is
/// dropped) and returns the new text with the map back to `source`.
pub(crate) fn apply(source: &str, mut edits: Vec<Edit>) -> (String, MapStep) {
    // Insertions before a replacement at the same offset; wider first.
    edits.sort_by_key(|edit| {
        (
            edit.start,
            edit.end != edit.start,
            std::cmp::Reverse(edit.end),
        )
    });
    let mut output = String::with_capacity(source.len() + 256);
    let mut anchors = Vec::new();
    let mut generated = Cursor::default();
    let mut original = Cursor::default();
    let mut copied_up_to = 0usize;
    for edit in edits {
        let (start, end) = (edit.start as usize, edit.end as usize);
        if start < copied_up_to || end > source.len() || start > end {
            continue; // nested in (or overlapping) an edit already applied
        }
        let (Some(unchanged), Some(replaced)) =
            (source.get(copied_up_to..start), source.get(start..end))
        else {
            continue; // not on a character boundary: never produced by the AST
        };
        output.push_str(unchanged);
        generated.advance(unchanged);
        original.advance(unchanged);
        anchors.push(anchor(generated, original, false));
        output.push_str(&edit.text);
        generated.advance(&edit.text);
        let newlines = replaced.matches('\n').count();
        for _ in 0..newlines {
            output.push('\n');
        }
        generated.advance(&"\n".repeat(newlines));
        original.advance(replaced);
        anchors.push(anchor(generated, original, true));
        copied_up_to = end;
    }
    output.push_str(&source[copied_up_to..]);
    let step = MapStep {
        lines_kept: true,
        anchors,
    };
    (output, step)
}

fn anchor(generated: Cursor, original: Cursor, verbatim: bool) -> Anchor {
    Anchor {
        generated_line: generated.line,
        generated_column: generated.column,
        original_line: original.line,
        original_column: original.column,
        verbatim,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source_map::SourceMapData;

    #[test]
    fn keeps_lines_and_maps_columns_back() {
        let source = "import {\n  a\n} from 'x'; f(a);\nlast(a)";
        let close = source.find(';').unwrap() as u32 + 1;
        let call = source.find("f(a)").unwrap() as u32;
        let edits = vec![
            Edit::replace(0, close, ""),
            Edit::replace(call + 2, call + 3, "_x.a"),
            Edit::replace(0, 0, "HEADER;"),
        ];
        let (code, step) = apply(source, edits);
        assert_eq!(code, "HEADER;\n\n f(_x.a);\nlast(a)");
        let map = SourceMapData { steps: vec![step] };
        // `f` is on line 3 column 2 in the output and column 13 originally.
        assert_eq!(map.original_position(3, 2), Some((3, 13)));
        assert_eq!(map.original_position(3, 4), Some((3, 15)));
        assert_eq!(map.original_position(3, 8), Some((3, 16)));
        assert_eq!(map.original_position(4, 3), Some((4, 3)));
    }
}
