//! Devtools projects opened as they are (issue 8): the `travel-notes`
//! sample (project folder with `miniprogramRoot`, ES modules, TypeScript,
//! LESS, SCSS, an npm package through build-npm, a custom navigation bar)
//! and the `ui-kits` sample (TDesign and Vant from npm, WeUI as an
//! extended library). `scripts/setup` installs their npm packages and runs
//! `cirrus build-npm`; these tests need nothing else.

mod common;

use cirrus_engine::package::Package;
use cirrus_engine::Diagnostic;
use cirrus_shell::check::check_package;
use cirrus_shell::headless::{shot, HeadlessApp, ShotOptions};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn sample(name: &str) -> std::path::PathBuf {
    common::repo_root().join("samples").join(name)
}

fn load(name: &str) -> Arc<Package> {
    let (package, diags) = Package::load(&sample(name)).expect("the sample loads");
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
    package
}

fn options(name: &str, page: Option<String>) -> ShotOptions {
    let data_dir = std::env::temp_dir().join(format!(
        "cirrus-real-{name}-{}-{}",
        std::process::id(),
        page.as_deref()
            .unwrap_or("home")
            .replace(['/', '?', '=', ':', '&'], "_")
    ));
    let _ = std::fs::remove_dir_all(&data_dir);
    ShotOptions {
        page,
        dpr: 1.0,
        data_dir: Some(data_dir),
        ..Default::default()
    }
}

/// Shoots every page of the sample and asserts that none reported an error.
fn every_page_loads_cleanly(name: &str) {
    let package = load(name);
    for route in package.routes() {
        let capture = shot(package.clone(), &options(name, Some(route.clone()))).expect("shot");
        let errors: Vec<&Diagnostic> = capture
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{name} {route}: {errors:#?}");
        assert!(capture.settled, "{name} {route} did not settle");
        let elements = count_elements(&capture.layout["root"]);
        assert!(elements > 3, "{name} {route}: only {elements} elements");
    }
}

fn count_elements(node: &serde_json::Value) -> usize {
    1 + node["children"]
        .as_array()
        .map(|c| c.iter().map(count_elements).sum())
        .unwrap_or(0)
}

fn find_class<'a>(node: &'a serde_json::Value, class: &str, out: &mut Vec<&'a serde_json::Value>) {
    let classes = node["class"].as_str().unwrap_or_default();
    if classes.split_whitespace().any(|c| c == class) {
        out.push(node);
    }
    for child in node["children"].as_array().into_iter().flatten() {
        find_class(child, class, out);
    }
}

#[test]
fn travel_notes_opens_from_its_project_folder() {
    let package = load("travel-notes");
    assert!(package.root.ends_with("miniprogram"));
    assert!(package.project.uses_plugin("typescript"));
    // LESS and SCSS became WXSS at load.
    assert!(package
        .read("app.wxss")
        .is_some_and(|css| css.contains("#f4f1ec")));
    assert!(package
        .read("components/nav-bar/nav-bar.wxss")
        .is_some_and(|css| css.contains(".nav__row")));
    every_page_loads_cleanly("travel-notes");
}

#[test]
fn travel_notes_feed_runs_its_modules_typescript_and_npm_package() {
    let package = load("travel-notes");
    let capture = shot(package, &options("travel-notes", None)).expect("shot");
    let mut cards = Vec::new();
    find_class(&capture.layout["root"], "note-card", &mut cards);
    assert_eq!(cards.len(), 3, "three notes from utils/notes.js");
    // The custom navigation bar is as tall as the capsule and the gap
    // above and below it (wx.getMenuButtonBoundingClientRect in attached:
    // 32 px high, 6 px under the status bar, so 32 + 2 * 6).
    let mut rows = Vec::new();
    find_class(&capture.layout["root"], "nav__row", &mut rows);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["height"].as_f64(), Some(44.0), "{}", rows[0]);
    // ...and leaves the capsule's width free on the right (375 - 281).
    let mut titles = Vec::new();
    find_class(&capture.layout["root"], "nav__title", &mut titles);
    assert!(titles[0]["x"].as_f64().unwrap() + titles[0]["width"].as_f64().unwrap() <= 281.0);
}

#[test]
fn travel_notes_typescript_decorators_and_parameter_properties_run() {
    let package = load("travel-notes");
    let app = HeadlessApp::launch(
        package,
        &options("travel-notes", Some("pages/note/note?id=lisbon".into())),
    )
    .expect("launch");
    let capture = app.capture().expect("capture");
    let errors: Vec<&Diagnostic> = capture
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        app.console().iter().any(|line| line == "note: summary"),
        "the legacy decorator wrapped summary(): {:?}",
        app.console()
    );
}

/// A loopback server that serves the sample's pictures without file
/// extensions or content types, counting requests.
struct ImageServer {
    port: u16,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl ImageServer {
    fn start() -> ImageServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let images = sample("travel-notes/miniprogram/images");
        let (count, stopping) = (requests.clone(), stop.clone());
        std::thread::spawn(move || {
            // Bounded: stops when the test ends or after a minute.
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            while !stopping.load(Ordering::Relaxed) && std::time::Instant::now() < deadline {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                count.fetch_add(1, Ordering::Relaxed);
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut request = [0u8; 2048];
                let n = stream.read(&mut request).unwrap_or(0);
                let text = String::from_utf8_lossy(&request[..n]);
                let path = text
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .trim_start_matches('/');
                let body = std::fs::read(images.join(path)).ok();
                let response = match body {
                    Some(body) => {
                        let mut r = format!(
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .into_bytes();
                        r.extend(body);
                        r
                    }
                    None => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&response);
            }
        });
        ImageServer {
            port,
            requests,
            stop,
        }
    }
}

impl Drop for ImageServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[test]
fn travel_notes_shows_network_images_from_a_cdn() {
    let server = ImageServer::start();
    let cdn = format!("http://127.0.0.1:{}", server.port);
    let package = load("travel-notes");
    let route = format!(
        "pages/feed/feed?cdn={}",
        cdn.replace(':', "%3A").replace('/', "%2F")
    );
    // The port is new each run, so the image cache never answers for it.
    let mut opts = options("travel-notes", Some(route));
    opts.timeout = Duration::from_secs(20);
    let capture = shot(package, &opts).expect("shot");
    assert!(capture.settled);
    assert!(
        server.requests.load(Ordering::Relaxed) >= 2,
        "the covers came over HTTP"
    );
    let mut covers = Vec::new();
    find_class(&capture.layout["root"], "note-card__cover", &mut covers);
    assert!(!covers.is_empty());
    // The first cover (kyoto.png, a warm sky) is drawn, not left blank.
    let cover = covers[0];
    let (x, y) = (
        cover["x"].as_f64().unwrap() + 10.0,
        cover["y"].as_f64().unwrap() + 10.0,
    );
    let pixel = capture.image.get_pixel(x as u32, y as u32);
    assert!(
        pixel[0] > 200 && pixel[2] < 200,
        "cover pixel at ({x}, {y}) is {pixel:?}, expected the picture's sky"
    );
}

#[test]
fn ui_kits_pages_load_without_script_errors() {
    every_page_loads_cleanly("ui-kits");
}

#[test]
fn cirrus_check_reports_no_error_for_any_sample() {
    let samples = std::fs::read_dir(common::repo_root().join("samples")).expect("samples/");
    for entry in samples.flatten() {
        let dir = entry.path();
        let is_app = dir.join("app.json").is_file() || dir.join("project.config.json").is_file();
        if !is_app {
            continue;
        }
        let (package, mut diags) = Package::load(&dir).expect("loads");
        diags.extend(check_package(&package));
        let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    }
}
