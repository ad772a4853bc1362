//! Image decoding limits: a decompression bomb (a small PNG declaring
//! 20,000x20,000 pixels: 1.6 GB as RGBA) is refused from its header, before
//! any pixel is allocated, with a diagnostic naming the picture and the
//! page; and decoded pictures are evicted past the store's budget. Its own
//! test binary, so that the peak memory it reads is its own.

mod common;

use base64::Engine as _;
use cirrus_engine::images::decode::{decode, MAX_IMAGE_SIDE};
use cirrus_engine::images::{ImageStatus, ImageStore};
use cirrus_engine::package::Package;
use common::{batch, element, stage_with};
use serde_json::json;
use std::io::Cursor;

/// Peak memory may grow by at most this while a bomb is refused.
const MEMORY_GROWTH_BOUND_KB: u64 = 32 * 1024;

/// The process's peak resident set (`VmHWM`) in KiB; `None` off Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// PNG's CRC-32 (ISO 3309), bit by bit: only a header is checksummed.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::GrayImage::new(width, height)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .expect("encodes");
    bytes
}

/// A real 64x64 grey PNG whose header is rewritten to declare `width` x
/// `height` (with a valid checksum): what a bomb's header looks like; its
/// compressed data is only read after the header is accepted.
fn bomb(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(64, 64);
    // Signature (8), IHDR length (4), "IHDR" (4), width, height, ...
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[test]
fn a_png_bomb_is_refused_from_its_header() {
    let before = peak_rss_kb();
    let started = std::time::Instant::now();
    let error = decode(&bomb(20_000, 20_000)).expect_err("refused");
    assert!(
        error.contains("too large") && error.contains("20000x20000"),
        "{error}"
    );
    // Over the side limit one way only, and within it but over the area.
    assert!(decode(&bomb(MAX_IMAGE_SIDE + 1, 1)).is_err());
    let error = decode(&bomb(10_000, 10_000)).expect_err("100 M pixels is too many");
    assert!(error.contains("too large"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    if let (Some(before), Some(after)) = (before, peak_rss_kb()) {
        eprintln!("peak RSS {before} KiB -> {after} KiB");
        assert!(after.saturating_sub(before) < MEMORY_GROWTH_BOUND_KB);
    }
    // The untouched picture still decodes: the header was the only change.
    assert!(decode(&bomb(64, 64)).is_ok());
}

#[test]
fn a_refused_picture_is_a_diagnostic_naming_it_and_its_page() {
    let mut stage = stage_with("");
    let src = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bomb(20_000, 20_000))
    );
    stage.handle(batch(element(1, 0, "image", &[("src", json!(src))])));
    stage.update();
    let refusal = stage
        .diagnostics()
        .iter()
        .find(|d| d.message.contains("too large"))
        .unwrap_or_else(|| panic!("{:?}", stage.diagnostics()));
    assert_eq!(refusal.file, "pages/index/index.wxml");
    assert!(
        refusal.message.contains("data:image/png;base64,"),
        "{refusal}"
    );
}

#[test]
fn decoded_pictures_past_the_budget_are_evicted_and_come_back() {
    let files: Vec<(String, String)> = vec![
        (
            "app.json".into(),
            r#"{"pages":["pages/index/index"]}"#.into(),
        ),
        ("pages/index/index.wxml".into(), "<view/>".into()),
    ];
    let (package, _) = Package::from_files(files);
    let mut store = ImageStore::default();
    // Room for about two 100x100 pictures (40,000 bytes each).
    store.set_budget_bytes(90_000);
    let urls: Vec<String> = (0..10)
        .map(|i| {
            format!(
                "data:image/png;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(png(100, 100 + i))
            )
        })
        .collect();
    let mut dropped = Vec::new();
    for url in &urls {
        assert!(store.get(&package, "pages/index/index.wxml", url).is_some());
        dropped.extend(store.end_frame());
        assert!(store.decoded_bytes() <= 90_000, "{}", store.decoded_bytes());
    }
    assert!(dropped.len() >= 7, "{} dropped", dropped.len());
    // An evicted picture is still loaded as far as events and layout go,
    // and is decoded again (with a new key) when drawn.
    assert!(matches!(
        store.status("pages/index/index.wxml", &urls[0]),
        ImageStatus::Loaded { width, height } if width == 100.0 && height == 100.0
    ));
    let again = store
        .get(&package, "pages/index/index.wxml", &urls[0])
        .expect("decoded again");
    assert!(!dropped.contains(&again.key));
}

#[test]
fn a_memory_warning_drops_every_picture_the_last_frame_did_not_draw() {
    let (package, _) = Package::from_files(vec![(
        "app.json".to_string(),
        r#"{"pages":["pages/index/index"]}"#.to_string(),
    )]);
    let mut store = ImageStore::default();
    let url = |i: u32| {
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png(50, 50 + i))
        )
    };
    // Three pictures drawn in earlier frames, one in the last frame.
    for i in 0..3 {
        assert!(store
            .get(&package, "pages/index/index.wxml", &url(i))
            .is_some());
        store.end_frame();
    }
    let on_screen = store
        .get(&package, "pages/index/index.wxml", &url(3))
        .expect("decoded")
        .key;
    store.end_frame();
    // Well under budget: nothing was evicted so far.
    assert_eq!(
        store.decoded_bytes(),
        4 * 50 * 4 * 50 + 4 * 50 * (1 + 2 + 3)
    );
    store.trim();
    assert_eq!(store.decoded_bytes(), 4 * 50 * 53);
    let dropped = store.end_frame();
    assert_eq!(dropped.len(), 3);
    assert!(!dropped.contains(&on_screen));
}
