//! `wx.request` and `wx.downloadFile` over real HTTP (ureq, blocking) on a
//! pool of worker threads, so the logic thread never waits on the network.
//!
//! Invariants:
//! - At most [`MAX_CONCURRENT`] transfers run at once (WeChat's limit for
//!   request + download); the rest wait in FIFO order in the pool's queue.
//! - Every job ends in exactly one [`Completion`] on the completion channel,
//!   which the logic loop selects on (it wakes the loop even when nobody
//!   waits for it: the app is settled only once no job is outstanding). An
//!   aborted job was already completed by the logic side, which drops its
//!   late result.
//! - Any HTTP status is a success (`statusCode` says which); only transport
//!   failures (refused, timeout, bad URL) are a `fail`.

use super::Completion;
use cirrus_package::sandbox::Sandbox;
use crossbeam::channel::{unbounded, Receiver, Sender};
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// WeChat runs at most 10 requests/downloads at a time.
pub const MAX_CONCURRENT: usize = 10;
/// Responses larger than this fail instead of exhausting memory.
const MAX_BODY_BYTES: u64 = 256 * 1024 * 1024;

/// What to send.
#[derive(Debug)]
pub struct HttpJob {
    pub id: u64,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub timeout: Duration,
    pub kind: JobKind,
}

#[derive(Debug)]
pub enum JobKind {
    /// `wx.request`: the body comes back as text (`responseType: 'text'`,
    /// parsed as JSON by the JS side when `dataType` is json) or bytes.
    Request { binary: bool },
    /// `wx.downloadFile`: the body is written to `relative` inside the
    /// data folder `root` (through its sandbox: never through a link out
    /// of it), reported as `virtual_path`.
    Download {
        root: PathBuf,
        relative: String,
        virtual_path: String,
        api: &'static str,
    },
    /// `wx.getImageInfo` of an http(s) image: the body is only measured.
    ImageInfo { src: String },
    /// `wx.loadFontFace` of an http(s) font: the body goes to the render
    /// thread's text system (from this worker, before the completion, so
    /// the font is there when the callback runs).
    FontFace {
        family: String,
        to_render: crossbeam::channel::Sender<cirrus_protocol::messages::ToRender>,
    },
}

/// A fixed pool of worker threads fed by one queue.
pub struct HttpPool {
    jobs: Sender<HttpJob>,
    /// Jobs aborted by the mini program: skipped if not started yet.
    aborted: Arc<Mutex<HashSet<u64>>>,
    completions: Sender<Completion>,
}

impl HttpPool {
    /// Starts the workers (ten idle threads cost little); they exit when
    /// the pool (the job sender) is dropped.
    pub fn new(completions: Sender<Completion>) -> HttpPool {
        let (jobs, queue) = unbounded::<HttpJob>();
        let aborted: Arc<Mutex<HashSet<u64>>> = Arc::default();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        for index in 0..MAX_CONCURRENT {
            let queue: Receiver<HttpJob> = queue.clone();
            let completions = completions.clone();
            let agent = agent.clone();
            let aborted = aborted.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("wx-http-{index}"))
                .spawn(move || {
                    for job in queue.iter() {
                        let skip = aborted.lock().map(|mut set| set.remove(&job.id));
                        if skip.unwrap_or(false) {
                            // Still completes, so the logic loop wakes to see
                            // it has settled; JS has forgotten the id.
                            let dropped = fail(job.id, "request", "abort");
                            if completions.send(dropped).is_err() {
                                break;
                            }
                            continue;
                        }
                        let id = job.id;
                        let completion = run(&agent, job);
                        if let Ok(mut set) = aborted.lock() {
                            set.remove(&id);
                        }
                        if completions.send(completion).is_err() {
                            break;
                        }
                    }
                });
            if spawned.is_err() {
                // Fewer workers only lowers the concurrency.
                eprintln!("[cirrus] could not start an HTTP worker thread");
            }
        }
        HttpPool {
            jobs,
            aborted,
            completions,
        }
    }

    /// The mini program aborted job `id`: a queued job is dropped; a running
    /// one finishes and its result is ignored by the logic side.
    pub fn abort(&self, id: u64) {
        if let Ok(mut set) = self.aborted.lock() {
            set.insert(id);
        }
    }

    /// Queues a job. Its completion always arrives, even when no worker
    /// is alive to run it.
    pub fn submit(&self, job: HttpJob) {
        if let Err(unsent) = self.jobs.send(job) {
            let job = unsent.into_inner();
            let _ = self
                .completions
                .send(fail(job.id, "request", "no network worker is running"));
        }
    }
}

fn fail(id: u64, api: &str, reason: impl std::fmt::Display) -> Completion {
    Completion::once(id, json!({ "errMsg": format!("{api}:fail {reason}") }))
}

/// Writes a downloaded file into the data folder `root` (created if it is
/// not there yet: the folder is the host's) through its sandbox.
fn write_in_data_folder(root: &Path, relative: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::create_dir_all(root).map_err(|e| e.to_string())?;
    let sandbox = Sandbox::data_folder(root).map_err(|e| e.to_string())?;
    sandbox
        .write(relative, bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "timeout".into(),
        ureq::Error::HostNotFound => "host not found".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused".into()
        }
        other => other.to_string(),
    }
}

fn run(agent: &ureq::Agent, job: HttpJob) -> Completion {
    let api = match &job.kind {
        JobKind::Request { .. } => "request",
        JobKind::Download { api, .. } => api,
        JobKind::ImageInfo { .. } => "getImageInfo",
        JobKind::FontFace { .. } => "loadFontFace",
    };
    let mut builder = ureq::http::Request::builder()
        .method(job.method.as_str())
        .uri(job.url.as_str());
    for (name, value) in &job.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let request = match builder.body(job.body.unwrap_or_default()) {
        Ok(request) => request,
        Err(error) => return fail(job.id, api, format!("invalid request: {error}")),
    };
    let request = agent
        .configure_request(request)
        .timeout_global(Some(job.timeout))
        .build();
    let mut response = match agent.run(request) {
        Ok(response) => response,
        Err(error) => return fail(job.id, api, describe(&error)),
    };
    let status = response.status().as_u16();
    let mut header = Map::new();
    for (name, value) in response.headers() {
        // Header names arrive lower-cased from the http crate; WeChat keeps
        // the server's spelling, which mini programs rarely rely on.
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        header.insert(name.as_str().to_owned(), Value::String(value));
    }
    let bytes = match response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES)
        .read_to_vec()
    {
        Ok(bytes) => bytes,
        Err(error) => return fail(job.id, api, describe(&error)),
    };
    match job.kind {
        JobKind::Request { binary: true } => Completion {
            id: job.id,
            result: json!({ "errMsg": "request:ok", "statusCode": status, "header": header }),
            bytes: Some(bytes),
            observer: false,
        },
        JobKind::Request { binary: false } => {
            // UTF-8 with one byte-order mark stripped (<https://developers.weixin.qq.com/miniprogram/dev/api/>).
            let text = String::from_utf8_lossy(&bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            Completion::once(
                job.id,
                json!({ "errMsg": "request:ok", "statusCode": status, "header": header, "data": text }),
            )
        }
        JobKind::Download {
            root,
            relative,
            virtual_path,
            api,
        } => match write_in_data_folder(&root, &relative, &bytes) {
            Ok(()) => Completion::once(
                job.id,
                json!({ "errMsg": format!("{api}:ok"), "statusCode": status, "header": header, "tempFilePath": virtual_path, "filePath": virtual_path }),
            ),
            Err(error) => fail(job.id, api, format!("cannot write the file: {error}")),
        },
        JobKind::ImageInfo { src } if (200..300).contains(&status) => {
            Completion::once(job.id, super::image_info::describe(&bytes, &src))
        }
        JobKind::ImageInfo { .. } => fail(job.id, api, format!("http status {status}")),
        JobKind::FontFace { family, to_render } if (200..300).contains(&status) => {
            Completion::once(job.id, super::font::install(&family, bytes, &to_render))
        }
        JobKind::FontFace { .. } => {
            Completion::once(job.id, super::font::fail(&format!("http status {status}")))
        }
    }
}
