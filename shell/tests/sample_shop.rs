//! The shop sample (`samples/shop/`, issue 3) driven headless: a real
//! multi-page mini program with a tab bar, custom components, storage and a
//! `wx.request` to a server on loopback.
//!
//! Every test starts its own tiny HTTP server on `127.0.0.1:0` (a free
//! port) and opens the app with `?port=N`, which the sample turns into its
//! `apiBase`. The server answers `GET /products` with three products whose
//! ids (11, 12, 13) differ from the bundled catalogue's (1 to 6), so the
//! layout tells which catalogue the page shows.
//!
//! Assertions are on the layout file (README, "The `cirrus` CLI"): elements are found by
//! their `id` attribute wherever they sit in the tree (inside a component's
//! shadow tree or slotted into one), and their border boxes must be plausible
//! for a 375×667 viewport. Each screenshot must not be blank, and pixel
//! probes on flat fills check that the right data was drawn (a thumbnail's
//! colour comes from the server's JSON). Input is what a host sends: taps at
//! window coordinates, which the render thread hit tests against the page,
//! the navigation bar and the tab bar.
//!
//! Every test gets its own data folder, so storage never leaks between
//! tests or runs. `CIRRUS_SHOP_SHOTS=DIR` writes the checked frames to DIR.

mod common;

use cirrus_engine::chrome::{
    NAVIGATION_BAR_HEIGHT, STATUS_BAR_HEIGHT, TAB_BAR_BORDER_WIDTH, TAB_BAR_HEIGHT,
};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::render_thread::{Capture, FrameTarget};
use cirrus_shell::session::Session;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const WIDTH: f32 = 375.0;
const HEIGHT: f32 = 667.0;
/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(10);

// ---- the loopback shop server -------------------------------------------

/// The catalogue the server sends: ids 11-13, not in the bundled catalogue.
const SERVER_PRODUCTS: &str = r##"{
  "greeting": "Fresh from the shop server",
  "products": [
    { "id": 11, "name": "Linen Apron", "desc": "Two pockets, adjustable strap", "price": 5900, "color": "#e76f51", "initials": "LA" },
    { "id": 12, "name": "Tea Tin", "desc": "Airtight, holds 200 g", "price": 2400, "color": "#3a86ff", "initials": "TT" },
    { "id": 13, "name": "Oak Coasters", "desc": "Set of four, oiled", "price": 3200, "color": "#8d6cd9", "initials": "OC" }
  ]
}"##;

/// A hand-written HTTP/1.1 responder on 127.0.0.1: `GET /products` gets
/// [`SERVER_PRODUCTS`] (or a 503, see [`Answer`]), anything else a 404. One
/// request per connection.
struct ShopServer {
    port: u16,
    /// Request lines seen, e.g. `GET /products HTTP/1.1`.
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ShopServer {
    /// A server that answers as a healthy shop.
    fn start() -> ShopServer {
        ShopServer::start_answering(Answer::Catalogue)
    }

    fn start_answering(answer: Answer) -> ShopServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("bound address").port();
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let requests = requests.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            if let Some(line) = respond(stream, answer) {
                                requests.lock().expect("requests lock").push(line);
                            }
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        ShopServer {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests lock").clone()
    }
}

impl Drop for ShopServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// How the shop server answers `GET /products`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 200 with [`SERVER_PRODUCTS`].
    Catalogue,
    /// 503 with a JSON error body (a server that is up but failing).
    Unavailable,
}

/// Reads one request head and answers it; returns the request line.
fn respond(mut stream: TcpStream, answer: Answer) -> Option<String> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let line = text.lines().next().unwrap_or("").to_owned();
    let path = line.split_whitespace().nth(1).unwrap_or("");
    let products = line.starts_with("GET ") && path.split('?').next() == Some("/products");
    let (status, body) = match (products, answer) {
        (true, Answer::Catalogue) => ("200 OK", SERVER_PRODUCTS),
        (true, Answer::Unavailable) => (
            "503 Service Unavailable",
            r#"{"error":"down for maintenance"}"#,
        ),
        (false, _) => ("404 Not Found", r#"{"error":"not found"}"#),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).ok()?;
    let _ = stream.flush();
    Some(line)
}

/// A loopback port with nothing listening (bound, then released).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("bound address").port()
}

// ---- driving the app -------------------------------------------------------

/// One running shop: the logic and render threads wired as
/// `shell/src/session.rs` wires them. Input goes in as the host's taps
/// (`HostCommand::Tap`), which the render thread hit tests against what it
/// draws: the page, the navigation bar and the tab bar.
/// The shop sample in a headless session, driven by touch input only.
struct Shop {
    session: Session,
}

/// A data folder of its own for one test (storage survives restarts, so
/// tests must not share one), removed when dropped.
struct DataDir(std::path::PathBuf);

impl DataDir {
    fn new(test: &str) -> DataDir {
        let dir =
            std::env::temp_dir().join(format!("cirrus-sample-shop-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the test's data folder");
        DataDir(dir)
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Shop {
    /// Opens the sample at `route` (`pages/a/a?x=1`) with its storage in
    /// `data`.
    fn launch(route: &str, data: &DataDir) -> Shop {
        let dir = common::repo_root().join("samples/shop");
        let (package, diags) = Package::load(&dir).expect("samples/shop loads");
        assert!(
            diags.iter().all(|d| !d.is_error()),
            "package diagnostics: {diags:?}"
        );
        let viewport = Viewport::new(WIDTH, HEIGHT, 1.0);
        let session = Session::launch_with_data(
            package,
            Some(route),
            viewport,
            FrameTarget::Headless,
            Some(data.0.clone()),
        )
        .expect("the shop launches");
        Shop { session }
    }

    /// A frame as soon as the app has settled (or after `PATIENCE`).
    fn capture(&self) -> Capture {
        let now = Instant::now();
        self.session
            .render
            .capture(now, now + PATIENCE)
            .expect("capture")
    }

    /// Captures until `ready` holds for the layout, and returns that frame.
    /// Settling alone is not enough: a `wx.request` in flight or a route
    /// just asked for leaves nothing queued on the logic thread.
    fn wait_for(&self, what: &str, ready: impl Fn(&Value) -> bool) -> Capture {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let capture = self.capture();
            if ready(&capture.layout) {
                return capture;
            }
            if Instant::now() > deadline {
                let errors: Vec<_> = capture
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .collect();
                panic!(
                    "timed out waiting for {what}; errors: {errors:?}; layout: {}",
                    summary(&capture.layout["root"])
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A tap on the middle of the element with `id` in `layout` (offset by
    /// `dx` from its left edge when given), in the window's coordinates:
    /// the page area starts `page_top` px below the window's top.
    fn tap_element(&self, layout: &Value, id: &str, dx: Option<f64>, page_top: f32) {
        let node = find_id(&layout["root"], id)
            .unwrap_or_else(|| panic!("no #{id} to tap; {}", summary(&layout["root"])));
        let r = rect_of(node);
        let x = dx.map_or(r.x + r.width / 2.0, |dx| r.x + dx);
        let y = r.y + r.height / 2.0;
        self.tap_at(x as f32, y as f32 + page_top);
    }

    fn tap_at(&self, x: f32, y: f32) {
        self.session.tap(x, y).expect("render thread alive");
    }

    /// A tap on the engine-drawn tab bar (two items, at the bottom).
    fn tap_tab_bar(&self, index: usize) {
        let slot = WIDTH / 2.0;
        let x = slot * index as f32 + slot / 2.0;
        let y = HEIGHT - (TAB_BAR_HEIGHT + TAB_BAR_BORDER_WIDTH) / 2.0;
        self.tap_at(x, y);
    }
}

// ---- layout and pixel checks --------------------------------------------

#[derive(Clone, Copy, Debug)]
struct Rect {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

fn rect_of(node: &Value) -> Rect {
    let n = |k: &str| node[k].as_f64().unwrap_or(f64::NAN);
    Rect {
        x: n("x"),
        y: n("y"),
        width: n("width"),
        height: n("height"),
    }
}

/// The first element (document order) whose `id` attribute is `id`.
fn find_id<'a>(node: &'a Value, id: &str) -> Option<&'a Value> {
    if node["id"].as_str() == Some(id) {
        return Some(node);
    }
    node["children"]
        .as_array()?
        .iter()
        .find_map(|c| find_id(c, id))
}

fn has_id(layout: &Value, id: &str) -> bool {
    find_id(&layout["root"], id).is_some()
}

/// Whether the element with `id` carries `class`.
fn has_class(layout: &Value, id: &str, class: &str) -> bool {
    find_id(&layout["root"], id).is_some_and(|n| {
        n["class"]
            .as_str()
            .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    })
}

/// Every element id in document order (for messages and for asserting
/// which products a list shows).
fn ids(node: &Value, out: &mut Vec<String>) {
    if let Some(id) = node["id"].as_str().filter(|s| !s.is_empty()) {
        out.push(id.to_owned());
    }
    for c in node["children"].as_array().into_iter().flatten() {
        ids(c, out);
    }
}

fn summary(root: &Value) -> String {
    let mut out = Vec::new();
    ids(root, &mut out);
    format!("ids {out:?}")
}

/// The ids starting with `prefix`, in document order.
fn ids_with_prefix(layout: &Value, prefix: &str) -> Vec<String> {
    let mut all = Vec::new();
    ids(&layout["root"], &mut all);
    all.into_iter().filter(|i| i.starts_with(prefix)).collect()
}

/// The element's border box, checked to be visible in the viewport's
/// width and at least `min_w`×`min_h`.
fn visible_rect(layout: &Value, id: &str, min_w: f64, min_h: f64) -> Rect {
    let node = find_id(&layout["root"], id)
        .unwrap_or_else(|| panic!("no #{id}; {}", summary(&layout["root"])));
    let r = rect_of(node);
    assert!(
        r.width >= min_w && r.height >= min_h,
        "#{id} is {r:?}, expected at least {min_w}×{min_h}"
    );
    assert!(
        r.x >= -0.5 && r.x + r.width <= WIDTH as f64 + 0.5,
        "#{id} is {r:?}, outside the {WIDTH} px wide viewport"
    );
    assert!(r.y >= -0.5, "#{id} is {r:?}, above the page");
    r
}

/// A screenshot is not blank: over 3% of its pixels differ from its most
/// common colour, and it has some variety of colours.
///
/// With `CIRRUS_SHOP_SHOTS=DIR` set, the frame is also written to
/// `DIR/<what>.png`, to look at what the test saw.
fn assert_not_blank(capture: &Capture, what: &str) {
    if let Some(dir) = std::env::var_os("CIRRUS_SHOP_SHOTS") {
        let name = what.replace(' ', "-");
        let path = std::path::Path::new(&dir).join(format!("{name}.png"));
        if let Err(e) = capture.image.save(&path) {
            eprintln!("{what}: cannot write {}: {e}", path.display());
        }
    }
    let image = &capture.image;
    assert_eq!(
        image.dimensions(),
        (WIDTH as u32, HEIGHT as u32),
        "{what}: frame size"
    );
    let mut counts = std::collections::HashMap::<[u8; 4], usize>::new();
    for p in image.pixels() {
        *counts.entry(p.0).or_default() += 1;
    }
    let (background, _) = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(c, n)| (*c, *n))
        .expect("a non-empty frame");
    let differing = image
        .pixels()
        .filter(|p| {
            p.0.iter()
                .zip(background.iter())
                .any(|(a, b)| a.abs_diff(*b) > 16)
        })
        .count();
    let total = (image.width() * image.height()) as usize;
    assert!(
        differing * 100 > total * 3,
        "{what}: only {differing} of {total} pixels differ from the background {background:?}"
    );
    assert!(
        counts.len() >= 16,
        "{what}: only {} distinct colours",
        counts.len()
    );
}

/// No error diagnostics were reported (warnings are fine).
fn assert_no_errors(capture: &Capture, what: &str) {
    let errors: Vec<_> = capture
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// `ids` are laid out top to bottom, each in the viewport's width.
fn assert_stacked(layout: &Value, ids: &[&str], min_h: f64) {
    let mut last_bottom = f64::MIN;
    for id in ids {
        let r = visible_rect(layout, id, 300.0, min_h);
        assert!(
            r.y >= last_bottom - 0.5,
            "#{id} at y={} overlaps the element above (bottom {last_bottom})",
            r.y
        );
        last_bottom = r.y + r.height;
    }
}

// ---- the tests -------------------------------------------------------------

#[test]
fn sample_has_no_diagnostics_errors() {
    let dir = common::repo_root().join("samples/shop");
    let (package, diags) = Package::load(&dir).expect("samples/shop loads");
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    assert_eq!(
        package.routes(),
        vec![
            "pages/home/home",
            "pages/cart/cart",
            "pages/detail/detail",
            "pages/checkout/checkout",
            "pages/done/done",
        ]
    );
    let found = cirrus_shell::check::check_package(&package);
    let errors: Vec<_> = found.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

/// Home with the server up: the catalogue is the server's (ids 11-13), in a
/// `tile-list` of product cards under the custom navigation bar.
#[test]
fn home_shows_the_server_catalogue() {
    let server = ShopServer::start();
    let data = DataDir::new("home-online");
    let shop = Shop::launch(&format!("pages/home/home?port={}", server.port), &data);
    let capture = shop.wait_for("the online status", |l| {
        has_class(l, "status", "status-online")
    });
    assert_no_errors(&capture, "home");
    assert_not_blank(&capture, "home");
    let layout = &capture.layout;

    assert_eq!(
        ids_with_prefix(layout, "product-"),
        ["product-11", "product-12", "product-13"]
    );
    let status = visible_rect(layout, "status", 200.0, 16.0);
    let pill = visible_rect(layout, "cart-pill", 40.0, 16.0);
    assert!(
        pill.x > WIDTH as f64 / 2.0,
        "the cart pill sits right: {pill:?}"
    );
    assert!(pill.y < status.y, "the status line sits under the bar row");
    let list = visible_rect(layout, "catalog", 300.0, 150.0);
    assert!(list.y > status.y + status.height - 0.5);
    assert_stacked(layout, &["product-11", "product-12", "product-13"], 50.0);
    assert!(!has_id(layout, "last-added"));
    // relations: the list told its last item so (and only that one).
    let last_items: Vec<Rect> = ["product-11", "product-12", "product-13"]
        .iter()
        .map(|id| rect_of(find_id(&layout["root"], id).expect("card")))
        .collect();
    let marked = all_with_class(&layout["root"], "tile-item-last");
    assert_eq!(marked.len(), 1, "one last item: {marked:?}");
    let last = rect_of(marked[0]);
    assert!(
        last.y <= last_items[2].y && last.y + last.height >= last_items[2].y + last_items[2].height,
        "the last tile-item {last:?} holds product-13 {:?}",
        last_items[2]
    );
    // Pixels: the nav-bar gradient (orange, #ff8a4c to #ff5a36) at the
    // top-left corner and each thumbnail's colour from the server's data.
    let [r, g, b, _] = pixel_at(&capture, 2.0, 2.0);
    assert!(
        r > 240 && (80..150).contains(&g) && b < 90,
        "nav-bar gradient at the corner: {:?}",
        [r, g, b]
    );
    for (id, colour) in [
        ("product-11", "#e76f51"),
        ("product-12", "#3a86ff"),
        ("product-13", "#8d6cd9"),
    ] {
        let thumb = find_class_below(layout, id, "thumb")
            .map(rect_of)
            .unwrap_or_else(|| panic!("{id} has no thumbnail"));
        assert!(
            thumb.width > 50.0 && thumb.height > 50.0,
            "{id} thumb {thumb:?}"
        );
        // The left edge's middle: clear of the rounded corners and the
        // centred initials.
        assert_colour(
            &capture,
            thumb.x + 6.0,
            thumb.y + thumb.height / 2.0,
            colour,
            id,
        );
    }
    // The price Behavior filled in each card's price text.
    for id in ["product-11", "product-12", "product-13"] {
        let price = find_class_below(layout, id, "price")
            .map(rect_of)
            .unwrap_or_else(|| panic!("{id} has no price"));
        assert!(
            price.width > 30.0 && price.height > 10.0,
            "{id} price is {price:?}"
        );
    }
    assert_eq!(
        server.requests(),
        ["GET /products HTTP/1.1"],
        "one request for the catalogue"
    );
}

/// Home with a server that answers 503: `success` still runs (any status
/// is a success), and the page explains and shows the bundled catalogue.
#[test]
fn home_explains_a_failing_server() {
    let server = ShopServer::start_answering(Answer::Unavailable);
    let data = DataDir::new("home-503");
    let shop = Shop::launch(&format!("pages/home/home?port={}", server.port), &data);
    let capture = shop.wait_for("the offline status", |l| {
        has_class(l, "status", "status-offline")
    });
    assert_no_errors(&capture, "home 503");
    assert_not_blank(&capture, "home 503");
    assert_eq!(ids_with_prefix(&capture.layout, "product-").len(), 6);
    assert_eq!(server.requests(), ["GET /products HTTP/1.1"]);
}

/// Home with nothing listening: the bundled catalogue (ids 1-6) and a
/// friendly message instead of an error.
#[test]
fn home_falls_back_when_the_server_is_down() {
    let data = DataDir::new("home-offline");
    let shop = Shop::launch(&format!("pages/home/home?port={}", closed_port()), &data);
    let capture = shop.wait_for("the offline status", |l| {
        has_class(l, "status", "status-offline")
    });
    assert_no_errors(&capture, "home offline");
    assert_not_blank(&capture, "home offline");
    assert_eq!(
        ids_with_prefix(&capture.layout, "product-"),
        [
            "product-1",
            "product-2",
            "product-3",
            "product-4",
            "product-5",
            "product-6"
        ]
    );
    assert_stacked(
        &capture.layout,
        &["product-1", "product-2", "product-3"],
        50.0,
    );
}

/// The product page opened directly: the engine's navigation bar (this page
/// is not custom), the bundled product, a stepper and two buttons.
#[test]
fn detail_page_renders() {
    let data = DataDir::new("detail");
    let shop = Shop::launch("pages/detail/detail?id=2", &data);
    let capture = shop.wait_for("the product sheet", |l| has_id(l, "qty"));
    assert_no_errors(&capture, "detail");
    assert_not_blank(&capture, "detail");
    let layout = &capture.layout;
    assert!(!has_id(layout, "missing"));
    // The sheet's -40rpx top margin pulls it 20 px up over the hero.
    let hero = visible_rect(layout, "hero", 375.0, 180.0);
    let sheet = visible_rect(layout, "sheet", 300.0, 100.0);
    assert_eq!((hero.x, hero.y), (0.0, 0.0), "the hero starts the page");
    assert!(
        (sheet.y - (hero.y + hero.height - 20.0)).abs() < 0.5,
        "sheet {sheet:?} overlaps hero {hero:?} by 20 px"
    );
    let price = visible_rect(layout, "price", 60.0, 16.0);
    let qty = visible_rect(layout, "qty", 60.0, 20.0);
    assert!(qty.y > price.y, "the stepper sits under the price");
    // The engine's navigation bar sits above the page area: the hero's
    // colour (bundled product 2) starts right under it.
    let page_top = (STATUS_BAR_HEIGHT + NAVIGATION_BAR_HEIGHT) as f64;
    assert_colour(&capture, 10.0, page_top + 10.0, "#2a9d8f", "hero");
    assert_colour(&capture, 10.0, page_top - 10.0, "#ffffff", "navigation bar");
    let add = visible_rect(layout, "add-to-cart", 100.0, 30.0);
    let buy = visible_rect(layout, "buy-now", 100.0, 30.0);
    assert!((add.y - buy.y).abs() < 0.5, "the two buttons share a row");
    assert!(
        add.x + add.width <= buy.x + 0.5,
        "Add to cart is left of Buy now"
    );
}

/// The Cart tab on a fresh store: the empty state with its button.
#[test]
fn cart_tab_renders_empty_state() {
    let data = DataDir::new("cart-empty");
    let shop = Shop::launch("pages/cart/cart", &data);
    let capture = shop.wait_for("the empty cart", |l| has_id(l, "empty"));
    assert_no_errors(&capture, "cart");
    assert_not_blank(&capture, "cart");
    let layout = &capture.layout;
    let empty = visible_rect(layout, "empty", 300.0, 150.0);
    let browse = visible_rect(layout, "browse", 200.0, 30.0);
    assert!(browse.y > empty.y && browse.y + browse.height <= empty.y + empty.height + 0.5);
    assert_colour(
        &capture,
        browse.x + 10.0,
        browse.y + browse.height / 2.0,
        "#ff6a3d",
        "Browse button",
    );
    assert!(!has_id(layout, "lines"));
    assert!(!has_id(layout, "checkout"));
    assert!(!has_id(layout, "clear"), "Clear shows only with lines");
}

/// The cart survives a restart: "Add" on a card (offline catalogue) writes
/// storage; a second launch on the same data folder shows the line in the
/// Cart tab and in the checkout.
#[test]
fn cart_survives_a_restart_and_reaches_checkout() {
    let data = DataDir::new("cart-restart");
    {
        let shop = Shop::launch(&format!("pages/home/home?port={}", closed_port()), &data);
        let home = shop.wait_for("the offline catalogue", |l| has_id(l, "product-3"));
        // The card's Add button catches its tap, so the product page does
        // not open.
        let add = find_class_below(&home.layout, "product-3", "add")
            .map(rect_of)
            .expect("product-3 has an Add button");
        assert!(add.width > 20.0 && add.height > 10.0, "Add is {add:?}");
        shop.tap_at(
            (add.x + add.width / 2.0) as f32,
            (add.y + add.height / 2.0) as f32,
        );
        let home = shop.wait_for("the added notice", |l| has_id(l, "last-added"));
        assert!(
            !has_id(&home.layout, "hero"),
            "the product page did not open"
        );
    }
    let shop = Shop::launch("pages/cart/cart", &data);
    let cart = shop.wait_for("the stored line", |l| has_id(l, "line-3"));
    assert_no_errors(&cart, "cart");
    assert_not_blank(&cart, "cart");
    assert_eq!(ids_with_prefix(&cart.layout, "line-"), ["line-3"]);
    assert_stacked(&cart.layout, &["lines", "summary"], 50.0);
    let clear = visible_rect(&cart.layout, "clear", 30.0, 16.0);
    assert!(clear.x > WIDTH as f64 / 2.0, "Clear sits in the right slot");

    let shop = Shop::launch("pages/checkout/checkout", &data);
    let capture = shop.wait_for("the checkout", |l| has_id(l, "place-order"));
    assert_no_errors(&capture, "checkout");
    assert_not_blank(&capture, "checkout");
    let layout = &capture.layout;
    let back = visible_rect(layout, "back", 30.0, 16.0);
    assert!(
        back.x < WIDTH as f64 / 2.0,
        "Back sits in the left slot: {back:?}"
    );
    assert_stacked(layout, &["order-lines", "address", "place-order"], 40.0);
    visible_rect(layout, "grand-total", 40.0, 14.0);
}

#[test]
fn done_page_renders() {
    let data = DataDir::new("done");
    let shop = Shop::launch("pages/done/done?order=CS-123456&count=2&paid=9800", &data);
    let capture = shop.wait_for("the receipt", |l| has_id(l, "order-number"));
    assert_no_errors(&capture, "done");
    assert_not_blank(&capture, "done");
    let layout = &capture.layout;
    assert_stacked(layout, &["receipt", "continue"], 40.0);
    let order = visible_rect(layout, "order-number", 60.0, 14.0);
    let receipt = rect_of(find_id(&layout["root"], "receipt").expect("receipt"));
    let centre = order.x + order.width / 2.0;
    assert!(
        (centre - (receipt.x + receipt.width / 2.0)).abs() < 1.0,
        "the order number is centred in the receipt"
    );
    let tick = find_class_below(layout, "receipt", "tick")
        .map(rect_of)
        .expect("the receipt has a tick");
    assert_colour(
        &capture,
        tick.x + tick.width / 2.0,
        tick.y + 8.0,
        "#52b788",
        "tick",
    );
}

/// The tab bar: Shop -> Cart -> Shop, as the engine's chrome raises it.
#[test]
fn tab_bar_switches_between_shop_and_cart() {
    let server = ShopServer::start();
    let data = DataDir::new("tabs");
    let shop = Shop::launch(&format!("pages/home/home?port={}", server.port), &data);
    shop.wait_for("the server catalogue", |l| {
        has_class(l, "status", "status-online")
    });
    shop.tap_tab_bar(1);
    let cart = shop.wait_for("the Cart tab", |l| has_id(l, "empty") || has_id(l, "lines"));
    assert_no_errors(&cart, "cart tab");
    assert_not_blank(&cart, "cart tab");
    assert!(!has_id(&cart.layout, "catalog"));
    shop.tap_tab_bar(0);
    let home = shop.wait_for("the Shop tab again", |l| has_id(l, "catalog"));
    // The Shop tab kept its page: no second request for the catalogue.
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());
    assert!(has_class(&home.layout, "status", "status-online"));
}

/// The first element at or below `ancestor_id` that carries `class` (for
/// elements inside a component's shadow tree, which have no ids of their
/// own).
fn find_class_below<'a>(layout: &'a Value, ancestor_id: &str, class: &str) -> Option<&'a Value> {
    fn walk<'a>(node: &'a Value, class: &str) -> Option<&'a Value> {
        let here = node["class"]
            .as_str()
            .is_some_and(|c| c.split_whitespace().any(|c| c == class));
        if here {
            return Some(node);
        }
        node["children"]
            .as_array()?
            .iter()
            .find_map(|c| walk(c, class))
    }
    walk(find_id(&layout["root"], ancestor_id)?, class)
}

/// Every element at or below `node` that carries `class`.
fn all_with_class<'a>(node: &'a Value, class: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    if node["class"]
        .as_str()
        .is_some_and(|c| c.split_whitespace().any(|c| c == class))
    {
        out.push(node);
    }
    for c in node["children"].as_array().into_iter().flatten() {
        out.extend(all_with_class(c, class));
    }
    out
}

fn has_class_below(layout: &Value, ancestor_id: &str, class: &str) -> bool {
    find_class_below(layout, ancestor_id, class).is_some()
}

/// The colour of the frame at a point in CSS px (the frame is at dpr 1).
fn pixel_at(capture: &Capture, x: f64, y: f64) -> [u8; 4] {
    capture.image.get_pixel(x as u32, y as u32).0
}

/// The frame shows `hex` (`#rrggbb`, opaque) at a point inside a flat fill
/// (each channel within 2).
fn assert_colour(capture: &Capture, x: f64, y: f64, hex: &str, what: &str) {
    let channel = |i: usize| u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).expect("#rrggbb");
    let expected = [channel(0), channel(1), channel(2), 255];
    let actual = pixel_at(capture, x, y);
    assert!(
        actual
            .iter()
            .zip(expected.iter())
            .all(|(a, e)| a.abs_diff(*e) <= 2),
        "{what}: {actual:?} at ({x}, {y}), expected {hex}"
    );
}

/// Through every page by taps, as a user would:
/// Shop -> product (EventChannel both ways, stepper) -> Add to cart
/// (navigateBack) -> Cart pill (switchTab) -> Check out (navigateTo) ->
/// Back (navigateBack) -> Check out -> Place order (redirectTo) -> Continue
/// shopping (switchTab) -> Cart tab on the tab bar (now empty).
#[test]
fn drive_through_every_page() {
    let server = ShopServer::start();
    let data = DataDir::new("drive");
    let shop = Shop::launch(&format!("pages/home/home?port={}", server.port), &data);
    let home = shop.wait_for("the server catalogue", |l| {
        has_class(l, "status", "status-online")
    });
    assert_not_blank(&home, "home");

    // A card opens the product page; its left edge is the thumbnail.
    shop.tap_element(&home.layout, "product-12", Some(40.0), 0.0);
    // Product 12 exists only on the server: the page shows it (and not
    // "missing") only if the opener's EventChannel delivered it.
    let detail = shop.wait_for("the product page", |l| {
        has_id(l, "hero") && has_id(l, "qty")
    });
    assert_no_errors(&detail, "detail");
    assert_not_blank(&detail, "detail");
    assert!(!has_id(&detail.layout, "missing"));
    let page_top = STATUS_BAR_HEIGHT + NAVIGATION_BAR_HEIGHT;
    let hero = visible_rect(&detail.layout, "hero", 300.0, 100.0);
    assert_eq!(
        pixel_at(&detail, hero.x + 10.0, hero.y + 10.0 + page_top as f64),
        [0x3a, 0x86, 0xff, 0xff],
        "the hero shows the server's colour for product 12"
    );
    assert!(
        has_class_below(&detail.layout, "qty", "step-off"),
        "minus is off at 1"
    );

    // "+" on the stepper (its right end): 2, so minus turns on.
    let qty = visible_rect(&detail.layout, "qty", 60.0, 20.0);
    shop.tap_element(&detail.layout, "qty", Some(qty.width - 10.0), page_top);
    let detail = shop.wait_for("the stepper at 2", |l| {
        has_id(l, "qty") && !has_class_below(l, "qty", "step-off")
    });

    // Add to cart: back to the Shop tab, which heard `added` on its channel.
    shop.tap_element(&detail.layout, "add-to-cart", None, page_top);
    let home = shop.wait_for("the Shop tab with the added line", |l| {
        has_id(l, "last-added") && has_id(l, "catalog")
    });
    assert_no_errors(&home, "home after adding");
    let added = visible_rect(&home.layout, "last-added", 300.0, 16.0);
    let list = rect_of(find_id(&home.layout["root"], "catalog").expect("catalog"));
    assert!(
        added.y + added.height <= list.y + 0.5,
        "the notice sits above the list"
    );

    // The cart pill in the navigation bar's right slot: the Cart tab.
    shop.tap_element(&home.layout, "cart-pill", None, 0.0);
    let cart = shop.wait_for("the cart with product 12", |l| has_id(l, "line-12"));
    assert_no_errors(&cart, "cart");
    assert_not_blank(&cart, "cart");
    assert_stacked(&cart.layout, &["lines", "summary"], 50.0);
    visible_rect(&cart.layout, "total", 40.0, 14.0);

    // Check out, back, and check out again.
    shop.tap_element(&cart.layout, "checkout", None, 0.0);
    let checkout = shop.wait_for("the checkout", |l| has_id(l, "place-order"));
    assert_not_blank(&checkout, "checkout");
    shop.tap_element(&checkout.layout, "back", None, 0.0);
    let cart = shop.wait_for("the cart again", |l| has_id(l, "checkout"));
    shop.tap_element(&cart.layout, "checkout", None, 0.0);
    let checkout = shop.wait_for("the checkout again", |l| has_id(l, "place-order"));

    // Place the order: the confirmation replaces the checkout.
    shop.tap_element(&checkout.layout, "place-order", None, 0.0);
    let done = shop.wait_for("the confirmation", |l| has_id(l, "order-number"));
    assert_no_errors(&done, "done");
    assert_not_blank(&done, "done");
    assert_stacked(&done.layout, &["receipt", "continue"], 40.0);

    // Continue shopping: the Shop tab, still showing the server catalogue.
    shop.tap_element(&done.layout, "continue", None, 0.0);
    let home = shop.wait_for("the Shop tab", |l| has_id(l, "catalog"));
    assert!(has_class(&home.layout, "status", "status-online"));
    assert_eq!(server.requests().len(), 1, "{:?}", server.requests());

    // The order emptied the cart.
    shop.tap_tab_bar(1);
    let cart = shop.wait_for("the empty cart", |l| has_id(l, "empty"));
    assert_no_errors(&cart, "empty cart");
    assert_not_blank(&cart, "empty cart");
    assert!(!has_id(&cart.layout, "lines"));
}
