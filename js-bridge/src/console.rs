//! What the mini program printed with `console.*`: echoed to stderr as
//! `[console.log] text` and kept, in order, for tests and hosts to read.

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

/// The shared, append-only console buffer.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConsoleBuffer(Arc<Mutex<Vec<ConsoleLine>>>);

impl ConsoleBuffer {
    pub fn push(&self, level: ConsoleLevel, text: String) {
        eprintln!("[console.{}] {}", level.name(), text);
        // A poisoned lock only means a reader panicked; the lines are intact.
        let mut lines = self.0.lock().unwrap_or_else(|e| e.into_inner());
        lines.push(ConsoleLine { level, text });
    }

    pub fn snapshot(&self) -> Vec<ConsoleLine> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
