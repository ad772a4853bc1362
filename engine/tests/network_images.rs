//! Images from the network and from `data:` URLs, on a [`Stage`] driven
//! without threads: format sniffing, `load` / `error` events, frames that
//! never wait for a stalled server, the disk cache across "restarts" and
//! its LRU bound, SVG rasterised at device size, and `lazy-load`.
//!
//! Hermetic: every server is a loopback `TcpListener` in this process,
//! answering canned responses; loops are bounded and end by themselves.

mod common;

use cirrus_engine::images::{ImageOptions, ImageStatus, ImageStore};
use cirrus_engine::ops::NodeId;
use cirrus_engine::protocol::{ToLogic, ToRender};
use cirrus_engine::render::{DisplayItem, DisplayList};
use cirrus_engine::stage::Stage;
use common::{batch, element, stage_with, PAGE};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WXML: &str = "pages/index/index.wxml";

/// What the test server answers for a path.
#[derive(Clone)]
enum Reply {
    /// Status, content type (if any) and body.
    Serve(u16, Option<&'static str>, Vec<u8>),
    /// Accept the request and never answer.
    Stall,
}

/// A loopback HTTP/1.1 server: one request per connection, canned replies,
/// requests counted per path.
struct TestServer {
    port: u16,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    fn start(routes: Vec<(&'static str, Reply)>) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let routes: Arc<HashMap<String, Reply>> =
            Arc::new(routes.into_iter().map(|(p, r)| (p.to_owned(), r)).collect());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (hits, stop) = (hits.clone(), stop.clone());
            std::thread::spawn(move || {
                // Stalled connections stay open until the server stops.
                let mut stalled: Vec<TcpStream> = Vec::new();
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut stream) = stream else { continue };
                    let Some(path) = read_request_path(&mut stream) else {
                        continue;
                    };
                    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
                    match routes.get(&path) {
                        Some(Reply::Stall) => stalled.push(stream),
                        Some(Reply::Serve(status, content_type, body)) => {
                            respond(&mut stream, *status, *content_type, body)
                        }
                        None => respond(&mut stream, 404, Some("text/plain"), b"not found"),
                    }
                }
            })
        };
        TestServer {
            port,
            hits,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    /// Stops accepting (the port then refuses connections).
    fn shut_down(mut self) {
        self.stop_thread();
    }

    fn stop_thread(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

/// Reads the request head; returns its path.
fn read_request_path(stream: &mut TcpStream) -> Option<String> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
    }
    let line = String::from_utf8_lossy(&head).lines().next()?.to_owned();
    line.split_whitespace().nth(1).map(str::to_owned)
}

fn respond(stream: &mut TcpStream, status: u16, content_type: Option<&str>, body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encode(width, height, image::ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(width, height, image::ImageFormat::Jpeg)
}

fn encode(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 60]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

const SVG_24: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><rect width="24" height="24" fill="#0000ff"/></svg>"##;

/// A fresh temporary folder for one test's disk cache.
fn temp_cache(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cirrus-network-images-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn options(cache: &std::path::Path) -> ImageOptions {
    ImageOptions {
        cache_dir: Some(cache.to_owned()),
        cache_limit_bytes: 64 * 1024 * 1024,
    }
}

/// A harness stage (375x667 at dpr 2) whose images cache in `cache`, with
/// the page ready and the logic thread idle.
fn stage(wxss: &str, cache: &std::path::Path) -> Stage {
    let mut stage = stage_with(wxss);
    stage.set_image_options(options(cache));
    stage.handle(ToRender::PageReady { page: PAGE });
    stage.handle(ToRender::Idle { handled: 0 });
    stage
}

/// `<image>` `id` under the root with `attrs`.
fn add_image(stage: &mut Stage, id: u32, attrs: &[(&str, Value)]) {
    stage.handle(batch(element(id, 0, "image", attrs)));
    // The batch made the logic side busy; it answers at once here.
    stage.handle(ToRender::Idle { handled: 0 });
}

/// The `(node, name, detail)` of image events in `events`.
fn image_events(events: Vec<ToLogic>) -> Vec<(u32, String, Value)> {
    events
        .into_iter()
        .filter_map(|e| match e {
            ToLogic::Event(event) if event.name == "load" || event.name == "error" => {
                Some((event.node.0, event.name, event.detail.to_json()))
            }
            _ => None,
        })
        .collect()
}

/// Steps frames until `count` image events arrived (at most ~10 s).
fn frames_until_events(stage: &mut Stage, count: usize) -> Vec<(u32, String, Value)> {
    let mut got = Vec::new();
    for _ in 0..1000 {
        stage.update();
        got.extend(image_events(stage.take_events()));
        if got.len() >= count {
            return got;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!(
        "only {} of {count} image events arrived: {got:?}",
        got.len()
    );
}

fn event_of(events: &[(u32, String, Value)], node: u32) -> (String, Value) {
    let (_, name, detail) = events
        .iter()
        .find(|(n, _, _)| *n == node)
        .unwrap_or_else(|| panic!("no event for node {node} in {events:?}"));
    (name.clone(), detail.clone())
}

fn node_height(stage: &Stage, id: u32) -> f32 {
    let page = stage.top_page().expect("page");
    page.tree
        .get(NodeId(id))
        .expect("node")
        .layout
        .layout()
        .size
        .height
}

#[test]
fn formats_are_sniffed_not_taken_from_urls_or_content_types() {
    let server = TestServer::start(vec![
        ("/a", Reply::Serve(200, None, png(40, 20))),
        (
            "/photo.png",
            Reply::Serve(200, Some("image/png"), jpeg(30, 60)),
        ),
        (
            "/icon",
            Reply::Serve(200, Some("text/plain"), SVG_24.as_bytes().to_vec()),
        ),
    ]);
    let cache = temp_cache("sniff");
    let mut stage = stage(".fix { width: 100px }", &cache);
    add_image(
        &mut stage,
        1,
        &[
            ("src", json!(server.url("/a"))),
            ("mode", json!("widthFix")),
            ("class", json!("fix")),
        ],
    );
    add_image(&mut stage, 2, &[("src", json!(server.url("/photo.png")))]);
    add_image(&mut stage, 3, &[("src", json!(server.url("/icon")))]);
    // A blank box while loading: the default 320x240 until the picture says otherwise.
    stage.update();
    assert!(
        !stage.is_settled(),
        "pending network images keep the app unsettled"
    );
    let events = frames_until_events(&mut stage, 3);
    assert_eq!(
        event_of(&events, 1),
        ("load".into(), json!({"width": 40.0, "height": 20.0}))
    );
    assert_eq!(
        event_of(&events, 2),
        ("load".into(), json!({"width": 30.0, "height": 60.0}))
    );
    assert_eq!(
        event_of(&events, 3),
        ("load".into(), json!({"width": 24.0, "height": 24.0}))
    );
    // widthFix relaid out with the picture's ratio: 100px wide, 50px high.
    stage.update();
    assert_eq!(node_height(&stage, 1), 50.0);
    assert!(stage.is_settled());
    assert!(stage.errors().is_empty(), "{:?}", stage.errors());
    // Each event once: more frames send nothing new.
    stage.update();
    assert!(image_events(stage.take_events()).is_empty());
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn a_404_is_a_binderror_and_a_warning_never_an_overlay() {
    let server = TestServer::start(vec![]);
    let cache = temp_cache("404");
    let mut stage = stage("", &cache);
    let url = server.url("/missing");
    add_image(&mut stage, 1, &[("src", json!(url))]);
    add_image(&mut stage, 2, &[("src", json!("/images/none.png"))]);
    let events = frames_until_events(&mut stage, 2);
    let (name, detail) = event_of(&events, 1);
    assert_eq!(name, "error");
    assert_eq!(detail["errMsg"], json!(format!("GET {url} 404")));
    // Package images report too (synchronously, on first use).
    let (name, detail) = event_of(&events, 2);
    assert_eq!(name, "error");
    assert!(
        detail["errMsg"].as_str().unwrap().contains("not found"),
        "{detail}"
    );
    assert!(stage.errors().is_empty(), "{:?}", stage.errors());
    let warning = stage
        .diagnostics()
        .iter()
        .find(|d| d.message.contains(&url))
        .expect("a warning naming the URL");
    assert!(!warning.is_error());
    assert_eq!(warning.file, WXML);
    // Not cached: a failure is retried on the next launch.
    assert!(std::fs::read_dir(&cache).map_or(true, |d| d.count() == 0));
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn a_stalled_server_never_delays_a_frame() {
    let server = TestServer::start(vec![("/slow", Reply::Stall)]);
    let cache = temp_cache("stall");
    let mut stage = stage("", &cache);
    add_image(&mut stage, 1, &[("src", json!(server.url("/slow")))]);
    let mut list = DisplayList::new();
    // Wait (bounded) until the server holds the request, then step frames.
    for _ in 0..500 {
        stage.update();
        if server.hits("/slow") == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(server.hits("/slow"), 1, "the request reached the server");
    const FRAMES: usize = 200;
    let mut stepped = 0;
    for _ in 0..FRAMES {
        stage.update();
        stage.paint(&mut list);
        stepped += 1;
        assert_eq!(
            stage.images().status(WXML, &server.url("/slow")),
            ImageStatus::Pending
        );
        assert!(!stage.is_settled());
    }
    assert_eq!(stepped, FRAMES);
    // The image box is blank (no picture) but laid out at its default size.
    assert!(!list
        .items
        .iter()
        .any(|i| matches!(i, DisplayItem::Image { .. })));
    assert_eq!(node_height(&stage, 1), 240.0);
    assert!(image_events(stage.take_events()).is_empty());
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn the_disk_cache_outlives_a_restart() {
    let server = TestServer::start(vec![("/cached", Reply::Serve(200, None, png(12, 34)))]);
    let url = server.url("/cached");
    let cache = temp_cache("restart");
    let mut first = stage("", &cache);
    add_image(&mut first, 1, &[("src", json!(url))]);
    let events = frames_until_events(&mut first, 1);
    assert_eq!(event_of(&events, 1).0, "load");
    assert_eq!(server.hits("/cached"), 1);
    drop(first);
    server.shut_down();
    // A new launch, the server gone: the picture comes from the disk.
    let mut second = stage("", &cache);
    add_image(&mut second, 7, &[("src", json!(url))]);
    let events = frames_until_events(&mut second, 1);
    assert_eq!(
        event_of(&events, 7),
        ("load".into(), json!({"width": 12.0, "height": 34.0}))
    );
    let _ = std::fs::remove_dir_all(&cache);
}

/// Loads `url` with `store` to the end (bounded), returning its status.
fn load_to_end(
    store: &mut ImageStore,
    package: &cirrus_engine::package::Package,
    url: &str,
) -> ImageStatus {
    let _ = store.get(package, WXML, url);
    for _ in 0..1000 {
        store.poll();
        if !store.is_pending() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    store.status(WXML, url)
}

#[test]
fn the_disk_cache_evicts_least_recently_used_at_its_bound() {
    let body = png(64, 64);
    let server = TestServer::start(vec![
        ("/1", Reply::Serve(200, None, body.clone())),
        ("/2", Reply::Serve(200, None, body.clone())),
        ("/3", Reply::Serve(200, None, body.clone())),
    ]);
    let cache = temp_cache("lru");
    // Room for two pictures, not three.
    let bounded = ImageOptions {
        cache_dir: Some(cache.clone()),
        cache_limit_bytes: body.len() as u64 * 5 / 2,
    };
    let package = stage_with("").package().clone();
    let mut store = ImageStore::new(bounded.clone());
    for path in ["/1", "/2", "/3"] {
        let status = load_to_end(&mut store, &package, &server.url(path));
        assert!(
            matches!(status, ImageStatus::Loaded { .. }),
            "{path}: {status:?}"
        );
    }
    let files = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(files, 2, "the cache holds what fits its bound");
    let urls: Vec<String> = ["/1", "/2", "/3"].iter().map(|p| server.url(p)).collect();
    server.shut_down();
    // After a restart without the server: the oldest went, the others stay.
    let mut again = ImageStore::new(bounded);
    assert!(matches!(
        load_to_end(&mut again, &package, &urls[0]),
        ImageStatus::Failed(_)
    ));
    assert!(matches!(
        load_to_end(&mut again, &package, &urls[1]),
        ImageStatus::Loaded { .. }
    ));
    assert!(matches!(
        load_to_end(&mut again, &package, &urls[2]),
        ImageStatus::Loaded { .. }
    ));
    let _ = std::fs::remove_dir_all(&cache);
}

#[test]
fn data_urls_decode_synchronously() {
    use base64::Engine as _;
    let cache = temp_cache("data");
    let mut stage = stage(".icon { width: 48px; height: 48px }", &cache);
    let png_url = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png(5, 7))
    );
    let svg_url = format!("data:image/svg+xml,{}", percent_encode(SVG_24));
    let utf8_url = format!("data:image/svg+xml;utf8,{SVG_24}");
    add_image(&mut stage, 1, &[("src", json!(png_url))]);
    add_image(
        &mut stage,
        2,
        &[("src", json!(svg_url)), ("class", json!("icon"))],
    );
    add_image(&mut stage, 3, &[("src", json!(utf8_url))]);
    // One frame: no network, no waiting.
    stage.update();
    let events = image_events(stage.take_events());
    assert_eq!(
        event_of(&events, 1),
        ("load".into(), json!({"width": 5.0, "height": 7.0}))
    );
    assert_eq!(
        event_of(&events, 2),
        ("load".into(), json!({"width": 24.0, "height": 24.0}))
    );
    assert_eq!(event_of(&events, 3).0, "load");
    assert!(stage.is_settled());
    // The 24x24 SVG drawn at 48x48 CSS px at dpr 2 is rasterised at 96x96.
    let mut list = DisplayList::new();
    stage.paint(&mut list);
    let svg_items: Vec<_> = list
        .items
        .iter()
        .filter_map(|i| match i {
            DisplayItem::Image { rect, key, src, .. } if (rect.width - 96.0).abs() < 0.5 => {
                Some((*key, *src))
            }
            _ => None,
        })
        .collect();
    assert_eq!(svg_items.len(), 1, "{:?}", list.items);
    let (key, src) = svg_items[0];
    let pixels = stage
        .images()
        .loaded()
        .find(|img| img.key == key)
        .expect("the drawn key is loaded");
    assert_eq!(pixels.pixels.dimensions(), (96, 96));
    assert_eq!((src.width, src.height), (96.0, 96.0));
    let _ = std::fs::remove_dir_all(&cache);
}

/// Percent-encodes everything but unreserved characters (as
/// `encodeURIComponent` would).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn lazy_images_wait_until_they_scroll_near() {
    let server = TestServer::start(vec![
        ("/near", Reply::Serve(200, None, png(4, 4))),
        ("/far", Reply::Serve(200, None, png(8, 8))),
    ]);
    let cache = temp_cache("lazy");
    let mut stage = stage(
        ".sv { height: 300px; width: 300px } .spacer { height: 3000px } .img { width: 100px; height: 100px }",
        &cache,
    );
    let mut ops = element(
        1,
        0,
        "scroll-view",
        &[("class", json!("sv")), ("scroll-y", json!(true))],
    );
    ops.extend(element(
        2,
        1,
        "image",
        &[
            ("class", json!("img")),
            ("lazy-load", json!(true)),
            ("src", json!(server.url("/near"))),
        ],
    ));
    ops.extend(element(3, 1, "view", &[("class", json!("spacer"))]));
    ops.extend(element(
        4,
        1,
        "image",
        &[
            ("class", json!("img")),
            ("lazy-load", json!(true)),
            ("src", json!(server.url("/far"))),
        ],
    ));
    stage.handle(batch(ops));
    stage.handle(ToRender::Idle { handled: 0 });
    let events = frames_until_events(&mut stage, 1);
    assert_eq!(event_of(&events, 2).0, "load");
    // Frames go by; the far image (3100px down a 300px scroll-view) waits.
    let mut list = DisplayList::new();
    for _ in 0..20 {
        stage.update();
        stage.paint(&mut list);
    }
    assert_eq!(server.hits("/near"), 1);
    assert_eq!(server.hits("/far"), 0);
    assert_eq!(
        stage.images().status(WXML, &server.url("/far")),
        ImageStatus::Unrequested
    );
    assert!(
        stage.is_settled(),
        "an unrequested lazy image does not hold the app"
    );
    // Scroll to within one scroll-view height of it: it starts.
    assert!(stage.scroll_by(10.0, 10.0, 0.0, 2600.0));
    let events = frames_until_events(&mut stage, 1);
    assert_eq!(
        event_of(&events, 4),
        ("load".into(), json!({"width": 8.0, "height": 8.0}))
    );
    assert_eq!(server.hits("/far"), 1);
    let _ = std::fs::remove_dir_all(&cache);
}
