//! Positions in a configuration file, found in logarithmic time after one
//! pass over it.
//!
//! A diagnostic needs a line and column, and a configuration file can
//! need many: an `app.json` listing 100,000 pages whose files are missing
//! has 200,000. Finding each one by scanning the text from its start
//! ([`crate::json_locate::locate`], `str::find`,
//! [`cirrus_protocol::diagnostics::line_col_at`]) makes checking such a
//! file quadratic. A [`TextIndex`] scans once per question kind, lazily:
//! - [`TextIndex::line_col`]: offsets to line and column, through
//!   checkpoints every [`CHECKPOINT_BYTES`];
//! - [`TextIndex::offset_of_path`]: the value at a JSON path, through a
//!   compact index of every value's offset (objects' keys sorted, so a
//!   key is a binary search; the first of duplicate keys wins, as in
//!   `json_locate`);
//! - [`TextIndex::first_literal`]: where a JSON string literal first
//!   appears.

use crate::lenient::Step;
use std::cell::OnceCell;
use std::collections::HashMap;

/// Bytes between two line/column checkpoints: a lookup counts at most
/// this many bytes of characters past its checkpoint.
pub const CHECKPOINT_BYTES: usize = 64;

/// How deep the JSON index follows nesting: 256 levels, twice what
/// serde_json (which parsed every file indexed here) accepts.
const MAX_INDEX_DEPTH: usize = 256;

/// One text and the indexes built over it so far.
pub struct TextIndex<'t> {
    text: &'t str,
    lines: OnceCell<Vec<Checkpoint>>,
    json: OnceCell<JsonIndex>,
    literals: OnceCell<HashMap<&'t str, usize>>,
}

/// A known position: byte offset, and the line and column there.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    offset: usize,
    line: u32,
    column: u32,
}

impl<'t> TextIndex<'t> {
    pub fn new(text: &'t str) -> TextIndex<'t> {
        TextIndex {
            text,
            lines: OnceCell::new(),
            json: OnceCell::new(),
            literals: OnceCell::new(),
        }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The 1-based line and column (in characters) of byte `offset`, as
    /// [`cirrus_protocol::diagnostics::line_col_at`] counts them.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let checkpoints = self.lines.get_or_init(|| checkpoints(text));
        let at = checkpoints
            .partition_point(|c| c.offset <= offset)
            .saturating_sub(1);
        let Some(start) = checkpoints.get(at).copied() else {
            return (1, 1);
        };
        let (mut line, mut column) = (start.line, start.column);
        for c in text[start.offset..offset].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }

    /// The byte offset of the JSON value at `path`, if the text holds it.
    pub fn offset_of_path(&self, path: &[Step]) -> Option<usize> {
        let index = self.json.get_or_init(|| JsonIndex::build(self.text));
        index.find(self.text, path)
    }

    /// The byte offset of the opening quote of the first JSON string
    /// literal whose raw content (escapes as written) is `raw`.
    pub fn first_literal(&self, raw: &str) -> Option<usize> {
        let literals = self.literals.get_or_init(|| literals(self.text));
        literals.get(raw).copied()
    }
}

fn checkpoints(text: &str) -> Vec<Checkpoint> {
    let mut out = vec![Checkpoint {
        offset: 0,
        line: 1,
        column: 1,
    }];
    let (mut line, mut column) = (1u32, 1u32);
    let mut next = CHECKPOINT_BYTES;
    for (offset, c) in text.char_indices() {
        if offset >= next {
            out.push(Checkpoint {
                offset,
                line,
                column,
            });
            next = offset + CHECKPOINT_BYTES;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    out
}

/// Every string literal's raw content -> the offset of its first quote.
fn literals(text: &str) -> HashMap<&str, usize> {
    let bytes = text.as_bytes();
    let mut out = HashMap::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = i.min(bytes.len());
        // Quotes and backslashes are ASCII, so both ends are char boundaries.
        if let Some(raw) = text.get(start + 1..end) {
            out.entry(raw).or_insert(start);
        }
        i += 1;
    }
    out
}

/// A value's offset and, for an object or array, its index.
#[derive(Clone, Copy, Debug)]
struct Node {
    offset: usize,
    container: Option<usize>,
}

#[derive(Debug)]
enum Container {
    Array(Vec<Node>),
    /// (raw key start, raw key end, value), sorted by key then position.
    Object(Vec<(usize, usize, Node)>),
}

#[derive(Debug, Default)]
struct JsonIndex {
    root: Option<Node>,
    containers: Vec<Container>,
}

impl JsonIndex {
    fn build(text: &str) -> JsonIndex {
        let mut builder = Builder {
            b: text.as_bytes(),
            i: 0,
            containers: Vec::new(),
        };
        builder.ws();
        let root = builder.value(0);
        JsonIndex {
            root,
            containers: builder.containers,
        }
    }

    fn find(&self, text: &str, path: &[Step]) -> Option<usize> {
        let mut node = self.root?;
        for step in path {
            let container = self.containers.get(node.container?)?;
            node = match (container, step) {
                (Container::Array(items), Step::Index(n)) => *items.get(*n)?,
                (Container::Object(entries), Step::Key(key)) => {
                    let key = key.as_str();
                    let first = entries.partition_point(|(s, e, _)| &text[*s..*e] < key);
                    let (s, e, value) = entries.get(first)?;
                    if &text[*s..*e] != key {
                        return None;
                    }
                    *value
                }
                _ => return None,
            };
        }
        Some(node.offset)
    }
}

/// One pass over a JSON text recording every value's offset (a scanner
/// tolerant of anything serde_json accepted; on anything else it stops,
/// and what it did not reach is simply not found).
struct Builder<'t> {
    b: &'t [u8],
    i: usize,
    containers: Vec<Container>,
}

impl Builder<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        let offset = self.i;
        match self.b.get(self.i)? {
            b'{' | b'[' if depth >= MAX_INDEX_DEPTH => None,
            b'{' => {
                self.i += 1;
                let mut entries = Vec::new();
                loop {
                    self.ws();
                    if *self.b.get(self.i)? == b'}' {
                        self.i += 1;
                        break;
                    }
                    let (start, end) = self.string()?;
                    self.ws();
                    if *self.b.get(self.i)? != b':' {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    let value = self.value(depth + 1)?;
                    entries.push((start, end, value));
                    self.ws();
                    if *self.b.get(self.i)? == b',' {
                        self.i += 1;
                    }
                }
                let b = self.b;
                // Stable: of equal keys the first written stays first.
                entries.sort_by(|x, y| b[x.0..x.1].cmp(&b[y.0..y.1]));
                Some(self.container(offset, Container::Object(entries)))
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if *self.b.get(self.i)? == b']' {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if *self.b.get(self.i)? == b',' {
                        self.i += 1;
                    }
                }
                Some(self.container(offset, Container::Array(items)))
            }
            b'"' => {
                self.string()?;
                Some(Node {
                    offset,
                    container: None,
                })
            }
            _ => {
                while self.i < self.b.len()
                    && !matches!(self.b[self.i], b',' | b'}' | b']')
                    && !self.b[self.i].is_ascii_whitespace()
                {
                    self.i += 1;
                }
                Some(Node {
                    offset,
                    container: None,
                })
            }
        }
    }

    fn container(&mut self, offset: usize, container: Container) -> Node {
        self.containers.push(container);
        Node {
            offset,
            container: Some(self.containers.len() - 1),
        }
    }

    /// Skips a string literal; returns its raw content's byte range.
    fn string(&mut self) -> Option<(usize, usize)> {
        if *self.b.get(self.i)? != b'"' {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while *self.b.get(self.i)? != b'"' {
            if self.b[self.i] == b'\\' {
                self.i += 1;
            }
            self.i += 1;
        }
        let end = self.i;
        self.i += 1;
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_locate::{locate, JsonStep};
    use cirrus_protocol::diagnostics::line_col_at;

    #[test]
    fn line_and_column_agree_with_the_linear_count() {
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(&format!("{{\"k{i}\": \"väl\u{4e2d}{i}\"}},\r\n"));
        }
        let index = TextIndex::new(&text);
        for offset in (0..text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(
                index.line_col(offset),
                line_col_at(&text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn paths_agree_with_json_locate() {
        let t = "{\n  \"a\": {\"x\": [1, \"two\", {\"y\": 3}]},\n  \"pages\": 42, \"a\": 0, \"z\\\"q\": true\n}";
        let index = TextIndex::new(t);
        let paths: [&[Step]; 6] = [
            &[Step::key("pages")],
            &[Step::key("a"), Step::key("x"), Step::Index(1)],
            &[
                Step::key("a"),
                Step::key("x"),
                Step::Index(2),
                Step::key("y"),
            ],
            &[Step::key("nope")],
            &[Step::key("a"), Step::Index(0)],
            &[Step::key("z\\\"q")],
        ];
        for path in paths {
            let steps: Vec<JsonStep> = path
                .iter()
                .map(|s| match s {
                    Step::Key(k) => JsonStep::Key(k),
                    Step::Index(i) => JsonStep::Index(*i),
                })
                .collect();
            assert_eq!(index.offset_of_path(path), locate(t, &steps), "{path:?}");
        }
        assert_eq!(index.first_literal("two"), t.find("\"two\""));
        assert_eq!(index.first_literal("a"), t.find("\"a\""));
        assert_eq!(index.first_literal("missing"), None);
    }
}
