//! The app-level wx APIs real pages call on load: the menu button's
//! rectangle (also from a component's `attached`), launch and account
//! info, app events, feedback no-ops, batch storage and getImageInfo.

mod wx_common;
use cirrus_engine::package::Package;
use cirrus_js_bridge::{Clock, ControlledClock, LogicOptions, LogicThread};
use crossbeam::channel::unbounded;
use wx_common::{files, temp_dir, App, Server};

fn owned(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_menu_button_sits_in_the_navigation_bar_and_answers_in_attached() {
    let app = App::start(
        owned(&[
            ("app.json", r#"{"pages":["pages/index/index"]}"#),
            ("app.js", "App({})"),
            (
                "pages/index/index.json",
                r#"{"usingComponents":{"capsule":"/components/capsule/capsule"}}"#,
            ),
            ("pages/index/index.wxml", "<capsule/>"),
            ("pages/index/index.js", "Page({})"),
            ("components/capsule/capsule.json", r#"{"component":true}"#),
            ("components/capsule/capsule.wxml", "<view/>"),
            (
                "components/capsule/capsule.js",
                r#"Component({ lifetimes: { attached() {
                    const rect = wx.getMenuButtonBoundingClientRect();
                    console.log(JSON.stringify(rect));
                    const bar = wx.getWindowInfo().statusBarHeight;
                    console.log(rect.top - bar, rect.bottom - rect.top, rect.right - rect.left, rect.right);
                } } });"#,
            ),
        ]),
        None,
    );
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    assert_eq!(
        app.console(),
        vec![
            r#"{"width":87,"height":32,"top":6,"right":368,"bottom":38,"left":281}"#,
            // (44 - 32) / 2 below the status bar; 7 px from the right edge.
            "6 32 87 368",
        ]
    );
    app.shutdown();
}

#[test]
fn launch_options_account_and_app_events() {
    let mut files = files(
        r#"Page({ onLoad(query) {
            console.log('launch', JSON.stringify(wx.getLaunchOptionsSync()));
            console.log('enter', JSON.stringify(wx.getEnterOptionsSync()));
            console.log('account', JSON.stringify(wx.getAccountInfoSync()));
            Promise.reject(new Error('lost'));
            wx.nextTick(() => { throw new Error('kaboom'); });
        } });"#,
        "<view/>",
        "",
    );
    files.retain(|(name, _)| name != "app.js");
    files.push((
        "app.js".into(),
        r#"App({
            onLaunch() {
                const shown = (r) => console.log('wx.onAppShow', r.path, r.scene);
                wx.onAppShow(shown);
                wx.onAppShow(() => console.log('second listener'));
                wx.offAppShow(shown);
                wx.onAppShow(shown);
                wx.onError((message) => console.log('wx.onError', message.split('\n')[0]));
                wx.onUnhandledRejection((r) => console.log('wx.onUnhandledRejection', r.reason));
                const never = () => console.log('never');
                wx.onThemeChange(never);
                wx.offThemeChange();
            },
            onShow() { console.log('App.onShow'); },
        })"#
        .into(),
    ));
    let app = App::start(files, None);
    app.to_logic
        .send(cirrus_engine::protocol::ToLogic::Launch {
            route: "pages/index/index".into(),
            query: "a=1".into(),
        })
        .unwrap();
    let messages = app.until_idle();
    let errors = App::errors(&messages);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        app.console(),
        vec![
            "App.onShow",
            "second listener",
            "wx.onAppShow pages/index/index 1001",
            r#"launch {"path":"pages/index/index","query":{"a":"1"},"scene":1001,"referrerInfo":{}}"#,
            r#"enter {"path":"pages/index/index","query":{"a":"1"},"scene":1001,"referrerInfo":{}}"#,
            r#"account {"miniProgram":{"appId":"touristappid","envVersion":"develop","version":""},"plugin":{}}"#,
            "wx.onError Error: kaboom",
            "wx.onUnhandledRejection Error: lost",
        ]
    );
    app.shutdown();
}

#[test]
fn no_ops_settings_and_batch_storage() {
    let app = App::start(
        files(
            r#"Page({ onLoad() {
            wx.vibrateShort({ success(r) { console.log(r.errMsg); } });
            wx.vibrateLong().then(r => console.log(r.errMsg));
            console.log('report', wx.reportAnalytics('e', { a: 1 }), wx.reportEvent('e', {}), wx.reportMonitor('m', 1));
            wx.preloadAssets({ data: [], complete(r) { console.log(r.errMsg); } });
            wx.setBackgroundColor({ backgroundColor: '#ff0000', success(r) { console.log(r.errMsg); } });
            wx.setBackgroundTextStyle({ textStyle: 'purple', fail(r) { console.log(r.errMsg); } });
            console.log('bg', JSON.stringify(__cirrus.internals.backgroundSettings()));
            const s = wx.getSystemSetting();
            console.log('setting', s.wifiEnabled, s.deviceOrientation);
            console.log('auth', wx.getAppAuthorizeSetting().cameraAuthorized);
            wx.getNetworkType({ success(r) { console.log('network', r.networkType); } });
            wx.batchSetStorageSync([{ key: 'a', value: 1 }, { key: 'b', value: { c: 2 } }]);
            console.log('batch', JSON.stringify(wx.batchGetStorageSync(['a', 'b', 'missing'])));
            wx.batchGetStorage({ keyList: ['b'], success(r) { console.log(r.errMsg, JSON.stringify(r.dataList)); } });
        } });"#,
            "<view/>",
            "",
        ),
        Some(temp_dir("wx-app-batch")),
    );
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    assert_eq!(
        app.console(),
        vec![
            "report undefined undefined undefined",
            r##"bg {"backgroundColor":"#ff0000","backgroundColorTop":"","backgroundColorBottom":"","textStyle":"dark"}"##,
            "setting true portrait",
            "auth not determined",
            r#"batch [1,{"c":2},""]"#,
            "vibrateShort:ok",
            "preloadAssets:ok",
            "setBackgroundColor:ok",
            r#"setBackgroundTextStyle:fail invalid textStyle "purple""#,
            "network wifi",
            r#"batchGetStorage:ok [{"c":2}]"#,
            "vibrateLong:ok",
        ]
    );
    app.shutdown();
}

/// A 3x2 PNG.
fn png() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbaImage::new(3, 2)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

#[test]
fn get_image_info_reads_package_files_and_urls() {
    let server = Server::start();
    let root = temp_dir("wx-app-image");
    let page_js = r#"Page({ onLoad() {
        const show = (tag) => ({
            success(r) { console.log(tag, r.errMsg, r.width, r.height, r.type, r.orientation, r.path); },
            fail(r) { console.log(tag, r.errMsg); },
        });
        wx.getImageInfo(Object.assign({ src: '/images/dot.png' }, show('absolute')));
        wx.getImageInfo(Object.assign({ src: '../../images/dot.png' }, show('relative')));
        wx.getImageInfo(Object.assign({ src: '/images/none.png' }, show('missing')));
        wx.getImageInfo({ src: 'BASE/file.bin' }).catch(r => console.log('remote', r.errMsg));
        wx.getImageInfo({ src: 'BASE/missing', fail(r) { console.log('remote 404', r.errMsg); } });
    } });"#
        .replace("BASE", &server.url(""));
    for (path, text) in [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.wxml", "<view/>"),
        ("pages/index/index.js", page_js.as_str()),
    ] {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    std::fs::create_dir_all(root.join("images")).unwrap();
    std::fs::write(root.join("images/dot.png"), png()).unwrap();
    let (package, _) = Package::load(&root).expect("loads");
    let clock = ControlledClock::new();
    let (to_logic, from_host) = unbounded();
    let (to_render, from_logic) = unbounded();
    let options = LogicOptions {
        clock: Clock::Controlled(clock.clone()),
        data_dir: Some(temp_dir("wx-app-image-data")),
        ..LogicOptions::default()
    };
    let handle = LogicThread::spawn(package, options, to_render, from_host).expect("starts");
    let app = App {
        handle,
        clock,
        to_logic,
        from_logic,
    };
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let mut console = app.console();
    // The remote answers arrive in either order.
    console[3..].sort();
    assert_eq!(
        console,
        vec![
            "absolute getImageInfo:ok 3 2 png up /images/dot.png",
            "relative getImageInfo:ok 3 2 png up ../../images/dot.png",
            r#"missing getImageInfo:fail file not found: "/images/none.png""#,
            "remote 404 getImageInfo:fail http status 404",
            "remote getImageInfo:fail invalid image: unknown format",
        ]
    );
    app.shutdown();
    let _ = std::fs::remove_dir_all(root);
}

/// A TrueType font scripts/setup installs (fonts-dejavu-core).
const DEJAVU: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

#[test]
fn load_font_face_checks_the_font_and_hands_it_to_the_render_thread() {
    let server = Server::start();
    let root = temp_dir("wx-app-font");
    let page_js = r#"Page({ onLoad() {
        const show = (tag) => ({
            success(r) { console.log(tag, r.errMsg, r.status); },
            fail(r) { console.log(tag, r.errMsg, r.status); },
        });
        wx.loadFontFace(Object.assign({ family: 'Brand', source: 'url("/fonts/brand.ttf")' }, show('package')));
        wx.loadFontFace(Object.assign({ family: 'Broken', source: 'url("/fonts/readme.ttf")' }, show('not a font')));
        wx.loadFontFace(Object.assign({ family: 'Gone', source: '/fonts/none.ttf' }, show('missing')));
        wx.loadFontFace({ family: 'Remote', source: 'url("BASE/file.bin")' }).catch(r => console.log('remote', r.errMsg));
        console.log('sync', wx.canIUse('loadFontFace'));
    } });"#
        .replace("BASE", &server.url(""));
    for (path, text) in [
        ("app.json", r#"{"pages":["pages/index/index"]}"#),
        ("app.js", "App({})"),
        ("pages/index/index.wxml", "<view/>"),
        ("pages/index/index.js", page_js.as_str()),
        ("fonts/readme.ttf", "this is text, not a font"),
    ] {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    std::fs::copy(DEJAVU, root.join("fonts/brand.ttf")).expect("scripts/setup installs DejaVu");
    let (package, _) = Package::load(&root).expect("loads");
    let clock = ControlledClock::new();
    let (to_logic, from_host) = unbounded();
    let (to_render, from_logic) = unbounded();
    let options = LogicOptions {
        clock: Clock::Controlled(clock.clone()),
        data_dir: Some(temp_dir("wx-app-font-data")),
        ..LogicOptions::default()
    };
    let handle = LogicThread::spawn(package, options, to_render, from_host).expect("starts");
    let app = App {
        handle,
        clock,
        to_logic,
        from_logic,
    };
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let fonts: Vec<(&str, usize)> = messages
        .iter()
        .filter_map(|m| match m {
            cirrus_engine::protocol::ToRender::LoadFont { family, data } => {
                Some((family.as_str(), data.len()))
            }
            _ => None,
        })
        .collect();
    let dejavu_len = std::fs::metadata(DEJAVU).unwrap().len() as usize;
    assert_eq!(
        fonts,
        vec![("Brand", dejavu_len)],
        "only the real font is sent"
    );
    assert_eq!(
        app.console(),
        vec![
            "sync true",
            "package loadFontFace:ok loaded",
            "not a font loadFontFace:fail the source is not a TrueType or OpenType font error",
            r#"missing loadFontFace:fail file not found: "/fonts/none.ttf" error"#,
            "remote loadFontFace:fail the source is not a TrueType or OpenType font",
        ]
    );
    app.shutdown();
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_memory_warning_reaches_the_listeners_until_they_are_removed() {
    let app = App::start(
        owned(&[
            ("app.json", r#"{"pages":["pages/index/index"]}"#),
            ("app.js", "App({})"),
            ("pages/index/index.wxml", "<view/>"),
            (
                "pages/index/index.js",
                r#"Page({ onLoad() {
                    const first = (res) => console.log('first', res.level);
                    wx.onMemoryWarning(first);
                    wx.onMemoryWarning((res) => {
                        console.log('second', res.level);
                        wx.offMemoryWarning(first);
                    });
                } })"#,
            ),
        ]),
        None,
    );
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    for level in [10, 15] {
        app.to_logic
            .send(cirrus_engine::protocol::ToLogic::MemoryWarning { level })
            .unwrap();
        app.until_idle();
    }
    assert_eq!(app.console(), vec!["first 10", "second 10", "second 15"]);
    app.shutdown();
}
