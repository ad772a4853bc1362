//! Shared by the wx_* tests: a logic thread over an in-memory package with
//! a chosen data folder, a loopback HTTP server, and a Stage pump that plays
//! the render thread (dialogs, selector queries).
#![allow(dead_code)]

use cirrus_engine::frame::FrameDriver;
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::stage::Stage;
use cirrus_js_bridge::{Clock, ControlledClock, LogicHandle, LogicOptions, LogicThread};
use crossbeam::channel::{unbounded, Receiver, Sender};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct App {
    pub handle: LogicHandle,
    pub clock: ControlledClock,
    pub to_logic: Sender<ToLogic>,
    pub from_logic: Receiver<ToRender>,
}

/// A one-page app whose page script is `page_js` (and WXML/WXSS).
pub fn files(page_js: &str, wxml: &str, wxss: &str) -> Vec<(String, String)> {
    [
        (
            "app.json",
            r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
        ),
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
        ("pages/index/index.wxss", wxss),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

/// A fresh, empty folder for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cirrus-wx-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

impl App {
    pub fn start(files: Vec<(String, String)>, data_dir: Option<PathBuf>) -> App {
        let (package, diagnostics) = Package::from_files(files);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let clock = ControlledClock::new();
        let (to_logic, from_host) = unbounded();
        let (to_render, from_logic) = unbounded();
        let options = LogicOptions {
            clock: Clock::Controlled(clock.clone()),
            data_dir,
            ..LogicOptions::default()
        };
        let handle = LogicThread::spawn(package, options, to_render, from_host).expect("starts");
        App {
            handle,
            clock,
            to_logic,
            from_logic,
        }
    }

    /// Launches and returns every message up to the first Idle.
    pub fn launch(&self) -> Vec<ToRender> {
        self.to_logic
            .send(ToLogic::Launch {
                route: "pages/index/index".into(),
                query: String::new(),
            })
            .expect("the logic thread is running");
        self.until_idle()
    }

    pub fn until_idle(&self) -> Vec<ToRender> {
        let mut messages = Vec::new();
        loop {
            match self.from_logic.recv_timeout(Duration::from_secs(30)) {
                Ok(ToRender::Idle { .. }) => return messages,
                Ok(message) => messages.push(message),
                Err(error) => panic!("no Idle from the logic thread: {error}; got {messages:?}"),
            }
        }
    }

    pub fn console(&self) -> Vec<String> {
        self.handle
            .console_lines()
            .into_iter()
            .map(|line| line.text)
            .collect()
    }

    /// The errors among `messages`, as text.
    pub fn errors(messages: &[ToRender]) -> Vec<String> {
        messages
            .iter()
            .filter_map(|m| match m {
                ToRender::Error(d) => Some(d.to_string()),
                _ => None,
            })
            .collect()
    }

    pub fn shutdown(self) {
        self.handle
            .shutdown()
            .expect("the logic thread stops cleanly");
    }
}

/// Plays the render thread with the engine's own frame driver, fed with
/// the logic thread's messages; input goes through the driver as a host's
/// would. `run` decides when to stop.
pub struct Pump {
    pub driver: FrameDriver,
}

impl Pump {
    pub fn new(files: &[(String, String)], app: &App) -> Pump {
        let (package, _) = Package::from_files(files.to_vec());
        let stage = Stage::new(package, Viewport::new(375.0, 667.0, 2.0));
        Pump {
            driver: FrameDriver::new(stage, app.to_logic.clone()),
        }
    }

    pub fn stage(&mut self) -> &mut Stage {
        self.driver.stage_mut()
    }

    /// Feeds messages to the driver until `done` holds for the app's
    /// console (answering queries on the way), or panics after 20 s.
    pub fn run(&mut self, app: &App, mut done: impl FnMut(&[String], &mut Stage) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if done(&app.console(), self.driver.stage_mut()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "gave up; console: {:?}",
                app.console()
            );
            if let Ok(message) = app.from_logic.recv_timeout(Duration::from_millis(20)) {
                self.driver.apply(message);
                self.driver.apply_queued(&app.from_logic);
            }
            self.driver.advance(Duration::ZERO);
        }
    }
}

/// A loopback HTTP/1.1 server for the request tests. Routes:
/// `/json` a JSON object; `/echo` the method, body and content type;
/// `/missing` a 404; `/slow?ms=N` answers after N ms; `/count` records how
/// many requests are in flight at once (it holds each 400 ms);
/// `/file.bin` eight bytes.
pub struct Server {
    pub port: u16,
    pub in_flight: Arc<AtomicUsize>,
    pub max_in_flight: Arc<AtomicUsize>,
    pub served: Arc<AtomicUsize>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let max_in_flight = Arc::new(AtomicUsize::new(0));
        let served = Arc::new(AtomicUsize::new(0));
        let counters = (in_flight.clone(), max_in_flight.clone(), served.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counters = counters.clone();
                std::thread::spawn(move || serve(stream, counters));
            }
        });
        Server {
            port,
            in_flight,
            max_in_flight,
            served,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

type Counters = (Arc<AtomicUsize>, Arc<AtomicUsize>, Arc<AtomicUsize>);

fn serve(stream: TcpStream, (in_flight, max_in_flight, served): Counters) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        let mut length = 0usize;
        let mut content_type = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "content-type" => content_type = value.trim().to_owned(),
                    _ => {}
                }
            }
        }
        let mut body = vec![0u8; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let (status, kind, payload): (&str, &str, Vec<u8>) = match path {
            "/json" => (
                "200 OK",
                "application/json",
                br#"{"hello":"world","n":[1,2]}"#.to_vec(),
            ),
            "/echo" => (
                "200 OK",
                "application/json",
                serde_json::json!({
                    "method": method,
                    "query": query,
                    "body": String::from_utf8_lossy(&body),
                    "contentType": content_type,
                })
                .to_string()
                .into_bytes(),
            ),
            "/missing" => ("404 Not Found", "text/plain", b"not here".to_vec()),
            "/slow" => {
                let ms = query
                    .strip_prefix("ms=")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1000);
                std::thread::sleep(Duration::from_millis(ms));
                ("200 OK", "text/plain", b"late".to_vec())
            }
            "/count" => {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                max_in_flight.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(400));
                in_flight.fetch_sub(1, Ordering::SeqCst);
                ("200 OK", "text/plain", query.as_bytes().to_vec())
            }
            "/file.bin" => (
                "200 OK",
                "application/octet-stream",
                vec![0, 1, 2, 3, 250, 251, 252, 253],
            ),
            _ => (
                "500 Internal Server Error",
                "text/plain",
                b"no route".to_vec(),
            ),
        };
        served.fetch_add(1, Ordering::SeqCst);
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nX-Test: yes\r\n\r\n",
            payload.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&payload).is_err() {
            return;
        }
    }
}
