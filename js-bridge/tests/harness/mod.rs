//! A headless harness for the logic thread: an in-memory package, the
//! controlled clock, and the messages the logic thread sends, collected
//! turn by turn (each call returns what arrived up to the next `Idle`).
#![allow(dead_code)]

use cirrus_engine::ops::{Op, OpBatch};
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::Diagnostic;
use cirrus_js_bridge::{Clock, ControlledClock, LogicHandle, LogicOptions, LogicThread};
use crossbeam::channel::{unbounded, Receiver, Sender};
use std::time::Duration;

pub struct Harness {
    pub handle: Option<LogicHandle>,
    pub clock: ControlledClock,
    pub to_logic: Sender<ToLogic>,
    pub from_logic: Receiver<ToRender>,
}

/// `app.json` naming one page, `pages/index/index`, plus the given files.
pub fn one_page_app(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = vec![(
        "app.json".into(),
        r#"{"pages":["pages/index/index"]}"#.into(),
    )];
    all.extend(
        files
            .iter()
            .map(|(path, text)| (path.to_string(), text.to_string())),
    );
    all
}

impl Harness {
    /// Starts the logic thread on the controlled clock.
    pub fn start(files: Vec<(String, String)>) -> Harness {
        Self::start_with_clock(files, None)
    }

    /// Starts the logic thread on the real clock (`advance` then does nothing).
    pub fn start_real_time(files: Vec<(String, String)>) -> Harness {
        Self::start_with_clock(files, Some(Clock::Real))
    }

    /// Starts the logic thread on the controlled clock with options
    /// changed by `configure` (a short watchdog, a small heap).
    pub fn start_configured(
        files: Vec<(String, String)>,
        configure: impl FnOnce(&mut LogicOptions),
    ) -> Harness {
        Self::start_full(files, None, configure)
    }

    fn start_with_clock(files: Vec<(String, String)>, real: Option<Clock>) -> Harness {
        Self::start_full(files, real, |_| {})
    }

    fn start_full(
        files: Vec<(String, String)>,
        real: Option<Clock>,
        configure: impl FnOnce(&mut LogicOptions),
    ) -> Harness {
        let (package, diagnostics) = Package::from_files(files);
        assert!(
            diagnostics.is_empty(),
            "test package is malformed: {diagnostics:?}"
        );
        let clock = ControlledClock::new();
        let (to_logic, from_host) = unbounded();
        let (to_render, from_logic) = unbounded();
        let mut options = LogicOptions {
            clock: real.unwrap_or_else(|| Clock::Controlled(clock.clone())),
            ..LogicOptions::default()
        };
        configure(&mut options);
        let handle = LogicThread::spawn(package, options, to_render, from_host)
            .expect("the logic thread starts");
        Harness {
            handle: Some(handle),
            clock,
            to_logic,
            from_logic,
        }
    }

    /// Launches at `route` with `query` and returns everything up to Idle.
    pub fn launch(&self, route: &str, query: &str) -> Vec<ToRender> {
        self.to_logic
            .send(ToLogic::Launch {
                route: route.into(),
                query: query.into(),
            })
            .expect("logic thread alive");
        self.until_idle()
    }

    /// Advances virtual time and returns everything up to Idle.
    pub fn advance(&self, ms: u64) -> Vec<ToRender> {
        self.clock.advance(Duration::from_millis(ms));
        self.until_idle()
    }

    pub fn until_idle(&self) -> Vec<ToRender> {
        let mut received = Vec::new();
        loop {
            match self.from_logic.recv_timeout(Duration::from_secs(20)) {
                Ok(ToRender::Idle { .. }) => return received,
                Ok(message) => received.push(message),
                Err(error) => panic!("no Idle from the logic thread ({error}); got {received:#?}"),
            }
        }
    }

    pub fn console(&self) -> Vec<String> {
        let handle = self.handle.as_ref().expect("running");
        handle
            .console_lines()
            .into_iter()
            .map(|line| line.text)
            .collect()
    }
}

pub fn errors(messages: &[ToRender]) -> Vec<Diagnostic> {
    messages
        .iter()
        .filter_map(|m| match m {
            ToRender::Error(d) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

pub fn batches(messages: &[ToRender]) -> Vec<OpBatch> {
    messages
        .iter()
        .filter_map(|m| match m {
            ToRender::Ops(batch) => Some(batch.clone()),
            _ => None,
        })
        .collect()
}

/// The text a `CreateText` or `SetText` op carries.
pub fn op_text(op: &Op) -> Option<&str> {
    match op {
        Op::CreateText { text, .. } | Op::SetText { text, .. } => Some(text),
        _ => None,
    }
}
