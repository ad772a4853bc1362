//! Network images: a small pool of worker threads that fetch (through the
//! disk cache) and decode pictures, so the render thread never waits for
//! the network. The store submits URLs and drains finished results once per
//! frame without blocking ([`Fetcher::try_results`]).

use super::decode::{decode, Decoded};
use super::disk_cache::DiskCache;
use crossbeam::channel::{unbounded, Receiver, Sender};
use std::sync::Arc;
use std::time::Duration;

/// Worker threads: enough to overlap a page's pictures, few enough to be
/// polite to a server.
const WORKERS: usize = 4;
/// The largest picture downloaded.
const MAX_BODY_BYTES: u64 = 32 * 1024 * 1024;
/// A request that has not finished by then fails (a stalled server must
/// not hold a picture "loading" forever).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A finished fetch.
#[derive(Debug)]
pub struct Fetched {
    pub url: String,
    /// The picture, or the `errMsg` of `binderror` (`GET <url> 404`).
    pub outcome: Result<Decoded, String>,
}

pub struct Fetcher {
    jobs: Sender<String>,
    results: Receiver<Fetched>,
}

impl Fetcher {
    /// Starts the workers; they exit once the fetcher is dropped and their
    /// current request ends.
    pub fn start(cache: Option<Arc<DiskCache>>) -> Fetcher {
        let (jobs, queue) = unbounded::<String>();
        let (done, results) = unbounded::<Fetched>();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .into();
        for index in 0..WORKERS {
            let queue = queue.clone();
            let done = done.clone();
            let agent = agent.clone();
            let cache = cache.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("image-fetch-{index}"))
                .spawn(move || {
                    for url in queue.iter() {
                        let outcome = load(&agent, cache.as_deref(), &url);
                        if done.send(Fetched { url, outcome }).is_err() {
                            break;
                        }
                    }
                });
            if spawned.is_err() {
                // Fewer workers only lowers the concurrency.
                eprintln!("[cirrus] could not start an image fetch thread");
            }
        }
        Fetcher { jobs, results }
    }

    /// Queues `url`. Returns false when no worker is alive to take it.
    pub fn submit(&self, url: String) -> bool {
        self.jobs.send(url).is_ok()
    }

    /// The fetches finished since the last call, without waiting.
    pub fn try_results(&self) -> Vec<Fetched> {
        self.results.try_iter().collect()
    }
}

/// The picture at `url`: from the disk cache, else over HTTP (then cached).
fn load(agent: &ureq::Agent, cache: Option<&DiskCache>, url: &str) -> Result<Decoded, String> {
    if let Some(bytes) = cache.and_then(|c| c.get(url)) {
        if let Ok(decoded) = decode(&bytes) {
            return Ok(decoded);
        }
    }
    let bytes = download(agent, url)?;
    let decoded = decode(&bytes).map_err(|reason| format!("GET {url}: {reason}"))?;
    if let Some(cache) = cache {
        cache.put(url, &bytes);
    }
    Ok(decoded)
}

fn download(agent: &ureq::Agent, url: &str) -> Result<Vec<u8>, String> {
    let mut response = agent.get(url).call().map_err(|e| {
        let reason = match &e {
            ureq::Error::Timeout(_) => "timeout".to_owned(),
            ureq::Error::HostNotFound => "host not found".to_owned(),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused".to_owned()
            }
            other => other.to_string(),
        };
        format!("GET {url} failed: {reason}")
    })?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(format!("GET {url} {status}"));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BODY_BYTES)
        .read_to_vec()
        .map_err(|e| format!("GET {url} failed: {e}"))
}
