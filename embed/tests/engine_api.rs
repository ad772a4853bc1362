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

/// The host's own wgpu device and a texture of its own: the engine draws
/// into it what it draws into a CPU buffer.
#[test]
fn a_host_texture_gets_the_same_picture_as_the_cpu_buffer() {
    use cirrus_engine::render::wgpu;
    let dir = std::env::temp_dir().join(format!("cirrus-engine-tex-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_app(&dir);
    let mut options = EngineOptions::new(&dir);
    options.dpr = 1.0;
    let mut engine = Engine::new(options).expect("the engine starts");
    let started = Instant::now();
    frames_until(&mut engine, started, |e| e.is_settled());
    let (width, height) = engine.size_px();
    let mut cpu = vec![0u8; width as usize * height as usize * 4];
    engine
        .render_rgba(&mut cpu, width as usize * 4)
        .expect("CPU buffer");

    // The host's device.
    let instance = cirrus_engine::render::Renderer::create_instance();
    let adapter =
        pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions::default()))
            .expect("an adapter (lavapipe is installed by set-up)");
    let (device, queue) = pollster::block_on(adapter.request_device(
        &wgpu::DeviceDescriptor {
            label: Some("host"),
            required_features: wgpu::Features::empty(),
            required_limits: wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits()),
            memory_hints: wgpu::MemoryHints::Performance,
        },
        None,
    ))
    .expect("a device");
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some("host texture"),
        size: wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: wgpu::TextureFormat::Rgba8Unorm,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
    engine
        .use_host_gpu(&adapter, device.clone(), queue.clone())
        .expect("a renderer on the host's device");
    engine
        .render_to_texture(&view, wgpu::TextureFormat::Rgba8Unorm, width, height)
        .expect("drawn into the host's texture");

    // Read it back.
    let row = (width * 4).div_ceil(256) * 256;
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: None,
        size: u64::from(row * height),
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
    encoder.copy_texture_to_buffer(
        wgpu::TexelCopyTextureInfo {
            texture: &texture,
            mip_level: 0,
            origin: wgpu::Origin3d::ZERO,
            aspect: wgpu::TextureAspect::All,
        },
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(row),
                rows_per_image: Some(height),
            },
        },
        wgpu::Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
    );
    queue.submit([encoder.finish()]);
    buffer.slice(..).map_async(wgpu::MapMode::Read, |_| {});
    device.poll(wgpu::Maintain::Wait);
    let mapped = buffer.slice(..).get_mapped_range();
    let at_gpu = |x: usize, y: usize| {
        mapped[y * row as usize + x * 4..y * row as usize + x * 4 + 4].to_vec()
    };
    let at_cpu = |x: usize, y: usize| {
        cpu[(y * width as usize + x) * 4..(y * width as usize + x) * 4 + 4].to_vec()
    };
    // Inside the red box, and on the white page beside it.
    assert_eq!(at_gpu(50, 94), [255, 0, 0, 255]);
    assert_eq!(at_gpu(50, 94), at_cpu(50, 94));
    assert_eq!(at_gpu(300, 400), at_cpu(300, 400));
    drop(mapped);
    engine.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}
