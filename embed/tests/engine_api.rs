//! The Rust embedding API: a host drives frames with its own clock,
//! renders into its own buffer, injects touches, navigates, switches the
//! theme, and hears titles, routes, logs and "settled" through its listener.

use cirrus_embed::engine::{Engine, EngineOptions, HostEvent};
use cirrus_engine::input::PointerPhase;
use cirrus_engine::protocol::NavigationKind;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn write_app(dir: &std::path::Path) {
    let files = [
        ("app.json", r#"{"pages":["pages/index/index","pages/next/next"],"window":{"navigationBarTitleText":"Home"}}"#),
        ("app.js", "App({ onThemeChange(e) { console.log('theme ' + e.theme); } })"),
        ("pages/index/index.js", "Page({ data: { n: 0 }, bump() { this.setData({ n: this.data.n + 1 }); console.log('bumped ' + (this.data.n)); } })"),
        ("pages/index/index.wxml", r#"<view id="b" class="b" bindtap="bump">{{n}}</view>"#),
        ("pages/index/index.wxss", ".b { width: 100px; height: 100px; background: #ff0000; }\n@media (prefers-color-scheme: dark) { .b { background: #0000ff; } }"),
        ("pages/next/next.json", r#"{"navigationBarTitleText":"Next"}"#),
        ("pages/next/next.js", "Page({})"),
        ("pages/next/next.wxml", "<view>next</view>"),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Frames at 60 Hz of real time until `done` (or 20 s).
fn frames_until(engine: &mut Engine, started: Instant, mut done: impl FnMut(&mut Engine) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        engine.frame(started.elapsed());
        if done(engine) {
            return;
        }
        std::thread::sleep(Duration::from_millis(16));
    }
    panic!("gave up waiting");
}

#[test]
fn a_host_drives_renders_and_listens() {
    let dir = std::env::temp_dir().join(format!("cirrus-engine-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_app(&dir);
    let mut options = EngineOptions::new(&dir);
    options.dpr = 1.0;
    let mut engine = Engine::new(options).expect("the engine starts");
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    engine.set_listener(Box::new(move |e| sink.lock().unwrap().push(e.clone())));
    let started = Instant::now();
    frames_until(&mut engine, started, |e| e.is_settled());
    {
        let seen = events.lock().unwrap();
        assert!(seen.contains(&HostEvent::Title("Home".into())), "{seen:?}");
        assert!(seen.contains(&HostEvent::Settled));
        assert!(seen.iter().any(|e| matches!(e, HostEvent::Navigated { route, depth: 1 } if route == "pages/index/index")));
    }
    // Render into the host's own buffer (a wider stride than needed).
    let (width, height) = engine.size_px();
    assert_eq!((width, height), (375, 667));
    let stride = width as usize * 4 + 16;
    let mut buffer = vec![0u8; stride * height as usize];
    engine.render_rgba(&mut buffer, stride).expect("rendered");
    // The box sits below the 44 px navigation bar.
    let at = |buffer: &[u8], x: usize, y: usize| {
        buffer[y * stride + x * 4..y * stride + x * 4 + 4].to_vec()
    };
    assert_eq!(at(&buffer, 50, 44 + 50), [255, 0, 0, 255]);
    assert!(
        engine.render_rgba(&mut buffer[..100], stride).is_err(),
        "a short buffer is refused"
    );
    // A tap as touches.
    engine.touch(0, PointerPhase::Down, 50.0, 94.0);
    engine.touch(0, PointerPhase::Up, 50.0, 94.0);
    frames_until(&mut engine, started, |_| {
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, HostEvent::Log { text, .. } if text == "bumped 1"))
    });
    // The theme.
    engine.set_dark_mode(true);
    frames_until(&mut engine, started, |_| {
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, HostEvent::Log { text, .. } if text == "theme dark"))
    });
    engine.render_rgba(&mut buffer, stride).expect("rendered");
    assert_eq!(at(&buffer, 50, 44 + 50), [0, 0, 255, 255]);
    // Navigation by the host.
    engine.navigate(NavigationKind::NavigateTo, "pages/next/next");
    frames_until(&mut engine, started, |_| {
        events
            .lock()
            .unwrap()
            .contains(&HostEvent::Title("Next".into()))
    });
    assert!(events.lock().unwrap().iter().any(
        |e| matches!(e, HostEvent::Navigated { route, depth: 2 } if route == "pages/next/next")
    ));
    engine.navigate_back(1);
    frames_until(&mut engine, started, |_| {
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, HostEvent::Navigated { depth: 1, .. }))
            && events
                .lock()
                .unwrap()
                .iter()
                .filter(|e| matches!(e, HostEvent::Title(t) if t == "Home"))
                .count()
                >= 2
    });
    engine.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
