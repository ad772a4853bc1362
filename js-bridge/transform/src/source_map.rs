//! Position maps from transformed code back to the file its author wrote.
//!
//! Not the source map v3 format: Cirrus only ever asks "where was this
//! line:column?" for one file, so a map is a list of anchors (transformed
//! position -> original position) per step, and a two-step transform (TS
//! stripping, then the ES module lowering) is composed at lookup time by
//! walking its steps from last to first.

/// One mapped point: `generated` (0-based line, column) came from
/// `original`. A `verbatim` anchor starts text copied unchanged, so a
/// column further right on the same line maps by the same offset; other
/// anchors start inserted text, which maps entirely to the anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub generated_line: u32,
    pub generated_column: u32,
    pub original_line: u32,
    pub original_column: u32,
    pub verbatim: bool,
}

/// One step of a transform. `lines_kept`: the step kept every line where
/// it was, so a line without anchors maps to itself (the ES module
/// lowering); otherwise a position before any anchor on its line maps to
/// the nearest earlier anchor (a code generator's map).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapStep {
    pub lines_kept: bool,
    /// Sorted by (generated_line, generated_column).
    pub anchors: Vec<Anchor>,
}

/// How to find an original position in a transformed file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMapData {
    /// In the order they were applied: the first step's `original` is the
    /// author's file.
    pub steps: Vec<MapStep>,
}

impl MapStep {
    /// Maps a 0-based position one step back.
    fn map(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let after = self
            .anchors
            .partition_point(|a| (a.generated_line, a.generated_column) <= (line, column));
        let nearest = after.checked_sub(1).map(|index| self.anchors[index]);
        match nearest {
            Some(anchor) if anchor.generated_line == line => {
                if anchor.verbatim {
                    Some((
                        anchor.original_line,
                        anchor.original_column + (column - anchor.generated_column),
                    ))
                } else {
                    Some((anchor.original_line, anchor.original_column))
                }
            }
            _ if self.lines_kept => Some((line, column)),
            Some(anchor) => Some((anchor.original_line, anchor.original_column)),
            None => None,
        }
    }
}

impl SourceMapData {
    /// The original 1-based (line, column) of a 1-based position in the
    /// transformed code, or `None` when nothing maps there.
    pub fn original_position(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let mut position = (line.checked_sub(1)?, column.saturating_sub(1));
        for step in self.steps.iter().rev() {
            position = step.map(position.0, position.1)?;
        }
        Some((position.0 + 1, position.1 + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(gl: u32, gc: u32, ol: u32, oc: u32, verbatim: bool) -> Anchor {
        Anchor {
            generated_line: gl,
            generated_column: gc,
            original_line: ol,
            original_column: oc,
            verbatim,
        }
    }

    #[test]
    fn kept_lines_map_to_themselves_and_anchors_shift_columns() {
        let step = MapStep {
            lines_kept: true,
            anchors: vec![anchor(0, 0, 0, 0, false), anchor(0, 10, 0, 3, true)],
        };
        let map = SourceMapData { steps: vec![step] };
        assert_eq!(map.original_position(1, 5), Some((1, 1)));
        assert_eq!(map.original_position(1, 13), Some((1, 6)));
        assert_eq!(map.original_position(4, 7), Some((4, 7)));
    }

    #[test]
    fn steps_compose_last_first() {
        let generator = MapStep {
            lines_kept: false,
            anchors: vec![anchor(0, 0, 2, 4, true)],
        };
        let lowering = MapStep {
            lines_kept: true,
            anchors: vec![anchor(0, 0, 0, 0, false), anchor(0, 20, 0, 0, true)],
        };
        let map = SourceMapData {
            steps: vec![generator, lowering],
        };
        assert_eq!(map.original_position(1, 23), Some((3, 7)));
        assert_eq!(map.original_position(0, 1), None);
    }
}
