//! The disk cache's form of a [`Transformed`]: a line-oriented text
//! header (diagnostics, map anchors) and the code after it, verbatim.
//!
//! ```text
//! cirrus-transform 1
//! <diagnostic count>
//! E|W <line> <column> <file as JSON-ish escaped> \t <message escaped>   (per diagnostic)
//! <step count>
//! <lines_kept 0|1> <anchor count> <gl gc ol oc v>...                     (per step, one line)
//! <code length in bytes>
//! <code>
//! ```

use crate::TRANSFORM_VERSION;
use crate::{Anchor, MapStep, Severity, SourceMapData, TransformDiagnostic, Transformed};

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\t', "\\t")
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

pub(crate) fn write(transformed: &Transformed) -> Vec<u8> {
    let mut out = String::new();
    out.push_str(TRANSFORM_VERSION);
    out.push('\n');
    out.push_str(&format!("{}\n", transformed.diagnostics.len()));
    for d in &transformed.diagnostics {
        let severity = if d.severity == Severity::Error {
            'E'
        } else {
            'W'
        };
        out.push_str(&format!(
            "{severity} {} {} {}\t{}\n",
            d.line,
            d.column,
            escape(&d.file),
            escape(&d.message)
        ));
    }
    let steps = transformed
        .source_map
        .as_ref()
        .map_or(&[][..], |map| &map.steps[..]);
    let has_map = u8::from(transformed.source_map.is_some());
    out.push_str(&format!("{has_map} {}\n", steps.len()));
    for step in steps {
        out.push_str(&format!(
            "{} {}",
            u8::from(step.lines_kept),
            step.anchors.len()
        ));
        for a in &step.anchors {
            out.push_str(&format!(
                " {} {} {} {} {}",
                a.generated_line,
                a.generated_column,
                a.original_line,
                a.original_column,
                u8::from(a.verbatim)
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("{}\n", transformed.code.len()));
    out.push_str(&transformed.code);
    out.into_bytes()
}

pub(crate) fn read(bytes: &[u8]) -> Option<Transformed> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut rest = text;
    let mut next_line = || -> Option<&str> {
        let (line, after) = rest.split_once('\n')?;
        rest = after;
        Some(line)
    };
    if next_line()? != TRANSFORM_VERSION {
        return None;
    }
    let diagnostic_count: usize = next_line()?.parse().ok()?;
    let mut diagnostics = Vec::with_capacity(diagnostic_count.min(1024));
    for _ in 0..diagnostic_count {
        let line = next_line()?;
        let (head, message) = line.split_once('\t')?;
        let mut fields = head.splitn(4, ' ');
        let severity = match fields.next()? {
            "E" => Severity::Error,
            "W" => Severity::Warning,
            _ => return None,
        };
        diagnostics.push(TransformDiagnostic {
            line: fields.next()?.parse().ok()?,
            column: fields.next()?.parse().ok()?,
            file: unescape(fields.next()?),
            message: unescape(message),
            severity,
        });
    }
    let mut map_header = next_line()?.split(' ');
    let has_map = map_header.next()? == "1";
    let step_count: usize = map_header.next()?.parse().ok()?;
    let mut steps = Vec::with_capacity(step_count.min(16));
    for _ in 0..step_count {
        let numbers: Vec<u32> = next_line()?
            .split(' ')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        let (&[lines_kept, count], anchors) = numbers.split_first_chunk::<2>()?;
        if anchors.len() != count as usize * 5 {
            return None;
        }
        let anchors = anchors
            .chunks_exact(5)
            .map(|a| Anchor {
                generated_line: a[0],
                generated_column: a[1],
                original_line: a[2],
                original_column: a[3],
                verbatim: a[4] == 1,
            })
            .collect();
        steps.push(MapStep {
            lines_kept: lines_kept == 1,
            anchors,
        });
    }
    let code_length: usize = next_line()?.parse().ok()?;
    if rest.len() != code_length {
        return None;
    }
    Some(Transformed {
        code: rest.to_owned(),
        source_map: has_map.then_some(SourceMapData { steps }),
        diagnostics,
    })
}
