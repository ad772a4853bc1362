//! CSS `white-space` processing (CSS Text 3 §4.1) across the spans of a
//! paragraph, before shaping.
//!
//! Output invariants:
//! - pieces are non-empty and keep the index of the span they came from, in order;
//! - `normal`/`nowrap`: runs of spaces, tabs and newlines are one space, none
//!   at the start or end of the paragraph (even when the run crosses spans);
//! - `pre-line`: like `normal`, but newlines are kept and the spaces around them dropped;
//! - `pre`/`pre-wrap`: text kept as written; CR LF and lone CR become LF;
//! - one final newline is dropped in every mode (a trailing newline does not
//!   open an empty last line in CSS);
//! - the only line separator left is `\n` (so line `i` of cosmic-text's buffer
//!   starts after the `i`-th `\n`).

use crate::style::WhiteSpace;

/// A run of processed text from one span.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub text: String,
    pub span: usize,
}

fn is_collapsible_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{0C}')
}

fn is_segment_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// Applies `white_space` to the span texts and returns the pieces to shape.
pub fn collapse<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    white_space: WhiteSpace,
) -> Vec<Piece> {
    let mut chars: Vec<(char, usize)> = Vec::new();
    for (span, text) in texts.into_iter().enumerate() {
        let mut iter = text.chars().peekable();
        while let Some(c) = iter.next() {
            // Normalise CR LF and lone CR to LF first, in every mode.
            if c == '\r' {
                if iter.peek() == Some(&'\n') {
                    iter.next();
                }
                chars.push(('\n', span));
            } else {
                chars.push((c, span));
            }
        }
    }

    let processed = match white_space {
        WhiteSpace::Pre | WhiteSpace::PreWrap => chars,
        WhiteSpace::Normal | WhiteSpace::NoWrap => collapse_runs(&chars, false),
        WhiteSpace::PreLine => collapse_runs(&chars, true),
    };
    let mut processed = processed;
    if processed.last().map(|(c, _)| *c) == Some('\n') {
        processed.pop();
    }
    group(processed)
}

/// Collapses space runs; `keep_newlines` keeps segment breaks (pre-line).
fn collapse_runs(chars: &[(char, usize)], keep_newlines: bool) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(chars.len());
    // A pending space is emitted only when followed by visible text, which
    // drops spaces at the start, at the end and around kept newlines.
    let mut pending_space: Option<usize> = None;
    for &(c, span) in chars {
        let collapsible = is_collapsible_space(c) || (!keep_newlines && is_segment_break(c));
        if collapsible {
            if pending_space.is_none() {
                pending_space = Some(span);
            }
            continue;
        }
        if keep_newlines && is_segment_break(c) {
            pending_space = None;
            out.push(('\n', span));
            continue;
        }
        if let Some(space_span) = pending_space.take() {
            let at_line_start = out.is_empty() || out.last().map(|(c, _)| *c) == Some('\n');
            if !at_line_start {
                out.push((' ', space_span));
            }
        }
        out.push((c, span));
    }
    out
}

fn group(chars: Vec<(char, usize)>) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for (c, span) in chars {
        match pieces.last_mut() {
            Some(piece) if piece.span == span => piece.text.push(c),
            _ => pieces.push(Piece {
                text: c.to_string(),
                span,
            }),
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn normal_collapses_across_spans_and_trims() {
        let pieces = collapse(["  hello \n", "  world  "], WhiteSpace::Normal);
        assert_eq!(joined(&pieces), "hello world");
        assert_eq!(pieces.len(), 2);
        assert_eq!(
            pieces[0],
            Piece {
                text: "hello ".into(),
                span: 0
            }
        );
        assert_eq!(
            pieces[1],
            Piece {
                text: "world".into(),
                span: 1
            }
        );
    }

    #[test]
    fn pre_line_keeps_newlines_and_drops_spaces_around_them() {
        let pieces = collapse(["a   b  \n   c\r\nd\n"], WhiteSpace::PreLine);
        assert_eq!(joined(&pieces), "a b\nc\nd");
    }

    #[test]
    fn pre_keeps_everything_but_normalises_line_ends() {
        let pieces = collapse(["  a \r\n\tb\r"], WhiteSpace::Pre);
        assert_eq!(joined(&pieces), "  a \n\tb");
    }

    #[test]
    fn whitespace_only_paragraph_is_empty() {
        assert!(collapse([" \n\t "], WhiteSpace::NoWrap).is_empty());
    }
}
