//! What the mini program printed with `console.*`: echoed to stderr as
//! `[console.log] text` and kept, in order, for tests and hosts to read:
//! the last [`MAX_CONSOLE_LINES`] lines, each cut to
//! [`MAX_CONSOLE_LINE_BYTES`], so logging cannot exhaust memory.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleLevel {
    Log,
    Info,
    Warn,
    Error,
    Debug,
}

impl ConsoleLevel {
    pub(crate) fn from_name(name: &str) -> ConsoleLevel {
        match name {
            "info" => ConsoleLevel::Info,
            "warn" => ConsoleLevel::Warn,
            "error" => ConsoleLevel::Error,
            "debug" => ConsoleLevel::Debug,
            _ => ConsoleLevel::Log,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ConsoleLevel::Log => "log",
            ConsoleLevel::Info => "info",
            ConsoleLevel::Warn => "warn",
            ConsoleLevel::Error => "error",
            ConsoleLevel::Debug => "debug",
        }
    }
}

/// One `console.*` call, its arguments joined by spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleLine {
    pub level: ConsoleLevel,
    pub text: String,
}

/// The most lines the console keeps: 1,000. Older lines are dropped (a
/// marker line says how many), so an app that logs in a loop cannot grow
/// the host's memory; WeChat's devtools console likewise keeps a bounded
/// history, and a person reads the last lines, not the first.
pub const MAX_CONSOLE_LINES: usize = 1_000;

/// The most bytes of one line that are kept and echoed: 16 KiB, about a
/// screenful of a large `JSON.stringify`d object; the rest is replaced by a
/// marker saying how much was cut.
pub const MAX_CONSOLE_LINE_BYTES: usize = 16 * 1024;

/// The shared console: a ring of the last [`MAX_CONSOLE_LINES`] lines.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConsoleBuffer(Arc<Mutex<ConsoleRing>>);

#[derive(Debug, Default)]
struct ConsoleRing {
    lines: VecDeque<ConsoleLine>,
    /// Lines pushed out of the ring so far.
    dropped: u64,
}

impl ConsoleBuffer {
    pub fn push(&self, level: ConsoleLevel, text: String) {
        let text = truncate_line(text);
        eprintln!("[console.{}] {}", level.name(), text);
        // A poisoned lock only means a reader panicked; the lines are intact.
        let mut ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let ring = &mut *ring;
        push_bounded(
            &mut ring.lines,
            &mut ring.dropped,
            ConsoleLine { level, text },
        );
    }

    /// The kept lines, oldest first, after a marker line when older lines
    /// were dropped.
    pub fn snapshot(&self) -> Vec<ConsoleLine> {
        let ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut lines = Vec::with_capacity(ring.lines.len() + 1);
        if ring.dropped > 0 {
            lines.push(ConsoleLine {
                level: ConsoleLevel::Warn,
                text: dropped_marker(ring.dropped),
            });
        }
        lines.extend(ring.lines.iter().cloned());
        lines
    }
}

/// Appends `line` to `ring`, dropping the oldest line (and counting it)
/// when the ring is full.
pub(crate) fn push_bounded<T>(ring: &mut VecDeque<T>, dropped: &mut u64, line: T) {
    if ring.len() >= MAX_CONSOLE_LINES {
        ring.pop_front();
        *dropped += 1;
    }
    ring.push_back(line);
}

/// The marker line standing for `dropped` lines pushed out of the ring.
pub(crate) fn dropped_marker(dropped: u64) -> String {
    format!("[console: {dropped} earlier line(s) dropped; the last {MAX_CONSOLE_LINES} are kept]")
}

/// `text` cut to [`MAX_CONSOLE_LINE_BYTES`] (at a character boundary),
/// with a marker saying how many bytes were cut.
pub(crate) fn truncate_line(mut text: String) -> String {
    if text.len() <= MAX_CONSOLE_LINE_BYTES {
        return text;
    }
    let mut end = MAX_CONSOLE_LINE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text.len() - end;
    text.truncate(end);
    text.push_str(&format!("… [console: line truncated, {cut} more bytes]"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_keeps_the_last_lines_and_says_how_many_it_dropped() {
        let console = ConsoleBuffer::default();
        for i in 0..MAX_CONSOLE_LINES + 5 {
            console.push(ConsoleLevel::Log, format!("line {i}"));
        }
        let lines = console.snapshot();
        assert_eq!(lines.len(), MAX_CONSOLE_LINES + 1);
        assert!(
            lines[0].text.contains("5 earlier line(s) dropped"),
            "{}",
            lines[0].text
        );
        assert_eq!(lines[1].text, "line 5");
        assert_eq!(
            lines.last().map(|l| l.text.as_str()),
            Some(format!("line {}", MAX_CONSOLE_LINES + 4).as_str())
        );
    }

    #[test]
    fn long_lines_are_cut_at_a_character_boundary_with_a_marker() {
        let console = ConsoleBuffer::default();
        console.push(ConsoleLevel::Log, "é".repeat(MAX_CONSOLE_LINE_BYTES));
        let line = &console.snapshot()[0].text;
        assert!(line.len() < MAX_CONSOLE_LINE_BYTES + 100);
        assert!(
            line.ends_with(&format!("{} more bytes]", MAX_CONSOLE_LINE_BYTES)),
            "{}",
            &line[line.len() - 60..]
        );
        let short = "short".to_string();
        assert_eq!(truncate_line(short.clone()), short);
    }
}
