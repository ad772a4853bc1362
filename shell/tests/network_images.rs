//! A network `<image>` end to end, headless: the render thread fetches it
//! from a loopback server without waiting, `bindload` reaches the page on
//! the logic thread with the natural size, its `setData` lands in the
//! layout, and the capture waits for all of it ("settled").
//!
//! Hermetic: the server is a `TcpListener` on 127.0.0.1 in this process;
//! the disk cache goes to a temporary folder (`CIRRUS_CACHE_DIR`).

mod common;

use cirrus_engine::package::Package;
use cirrus_shell::headless::{HeadlessApp, ShotOptions};
use common::TempPackage;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves `body` to every request on a loopback port, until the test ends.
fn serve_forever(body: Vec<u8>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    port
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([0, 128, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encode");
    out.into_inner()
}

/// The node with `id` in a layout file.

#[test]
fn bindload_reports_the_natural_size_of_a_network_image() {
    let cache = std::env::temp_dir().join(format!("cirrus-shell-netimg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    // The only test of this binary: no other thread reads the variable.
    std::env::set_var("CIRRUS_CACHE_DIR", &cache);
    let port = serve_forever(png(64, 32));
    let wxml = format!(
        r#"<image id="pic" src="http://127.0.0.1:{port}/a" bindload="onLoad" binderror="onError"/>
<view id="probe" style="width: {{{{w}}}}px; height: {{{{h}}}}px"></view>"#
    );
    let js = "Page({
  data: { w: 1, h: 1 },
  onLoad(e) { console.log('load ' + e.detail.width + 'x' + e.detail.height);
              this.setData({ w: e.detail.width, h: e.detail.height }); },
  onError(e) { console.log('error ' + e.detail.errMsg); },
});";
    let app = TempPackage::new(
        "network-images",
        &[
            (
                "app.json",
                r#"{"pages":["pages/index/index"],"window":{"navigationStyle":"custom"}}"#,
            ),
            ("app.js", "App({})"),
            ("pages/index/index.wxml", &wxml),
            ("pages/index/index.js", js),
            ("pages/index/index.json", "{}"),
        ],
    );
    let (package, diags) = Package::load(&app.root).expect("package loads");
    assert!(diags.is_empty(), "{diags:?}");
    let options = ShotOptions {
        dpr: 1.0,
        timeout: Duration::from_secs(30),
        ..ShotOptions::default()
    };
    let app = HeadlessApp::launch(package, &options).expect("launch");
    let capture = app.capture().expect("capture");
    assert!(
        capture.settled,
        "the image loaded and its handler ran in time"
    );
    let console = app.console();
    assert!(console.iter().any(|l| l == "load 64x32"), "{console:?}");
    let probe = common::find_node(&capture.layout["root"], "probe").expect("probe in the layout");
    assert_eq!(
        (probe["width"].as_f64(), probe["height"].as_f64()),
        (Some(64.0), Some(32.0))
    );
    // The picture is on screen: the image's default 320x240 box shows it.
    let p = capture.image.get_pixel(10, 10).0;
    assert_eq!([p[0], p[1], p[2]], [0, 128, 255]);
    // And it went to the disk cache.
    assert_eq!(
        std::fs::read_dir(cache.join("images"))
            .map(|d| d.count())
            .unwrap_or(0),
        1
    );
    let _ = std::fs::remove_dir_all(&cache);
}
