//! The capability manifest (js-bridge/src/js/wx_api.txt): every name of
//! the seed API index exists on `wx`; a name marked `works` is a real
//! implementation and `wx.canIUse` says true; a name marked `unsupported`
//! fails the WeChat way for its kind and `wx.canIUse` says false.

mod wx_common;
use cirrus_js_bridge::wx_api_manifest;
use wx_common::{files, App};

/// Runs `page_js` (its onLoad and the ticks after it) and returns the console.
fn run(page_js: &str) -> Vec<String> {
    let app = App::start(files(page_js, "<view/>", ""), None);
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let console = app.console();
    app.shutdown();
    console
}

fn manifest() -> Vec<(String, String)> {
    wx_api_manifest()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, status) = l.split_once('\t').expect("name<TAB>status");
            (name.to_owned(), status.to_owned())
        })
        .collect()
}

#[test]
fn the_manifest_lists_the_whole_index_and_only_known_statuses() {
    let entries = manifest();
    assert!(entries.len() > 450, "{} names", entries.len());
    for (name, status) in &entries {
        assert!(
            status == "works" || status == "unsupported",
            "{name}: {status}"
        );
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{name}"
        );
    }
    let works = entries.iter().filter(|(_, s)| s == "works").count();
    // The numbers for the closing note of issue 8.
    println!(
        "wx manifest: {} names, {works} works, {} unsupported",
        entries.len(),
        entries.len() - works
    );
    for name in [
        "request",
        "getMenuButtonBoundingClientRect",
        "createAnimation",
        "getImageInfo",
    ] {
        assert!(
            entries.iter().any(|(n, s)| n == name && s == "works"),
            "{name}"
        );
    }
}

#[test]
fn every_claim_matches_the_runtime() {
    let console = run(r#"Page({ onLoad() {
        const internals = __cirrus.internals;
        const manifest = internals.wxApiManifest();
        const wrong = [];
        for (const name of Object.keys(manifest)) {
            const value = wx[name];
            if (value === undefined) { wrong.push(name + ': missing'); continue; }
            const stub = internals.isUnsupportedStub(value);
            const works = manifest[name] === 'works';
            if (works === stub) wrong.push(name + ': marked ' + manifest[name] + (stub ? ' but a stub' : ' but implemented'));
            if (wx.canIUse(name) !== works) wrong.push(name + ': canIUse says ' + wx.canIUse(name));
        }
        console.log('wrong: ' + JSON.stringify(wrong));
    } });"#);
    assert_eq!(console, vec!["wrong: []"]);
}

#[test]
fn unsupported_apis_fail_the_wechat_way() {
    let console = run(r#"Page({ onLoad() {
        wx.login({
            success() { console.log('login success?!'); },
            fail(e) { console.log('fail', e.errMsg); },
            complete(e) { console.log('complete', e.errMsg); },
        });
        wx.scanCode().then(() => console.log('resolved?!'), e => console.log('rejected', e.errMsg));
        try { wx.getBatteryInfoSync(); console.log('no throw?!'); }
        catch (e) { console.log('threw', e instanceof Error, e.message); }
        const listener = () => console.log('fired?!');
        console.log('on', wx.onAccelerometerChange(listener), wx.offAccelerometerChange(listener));
        const ctx = wx.createVideoContext('v');
        ctx.play({ fail(e) { console.log('ctx', e.errMsg); } });
        ctx.onEnded(listener);
        const updates = wx.getUpdateManager();
        updates.onCheckForUpdate(listener);
        console.log('thenable', typeof ctx.then, JSON.stringify(updates));
        console.log('canIUse', wx.canIUse('login'), wx.canIUse('createVideoContext'), wx.canIUse('request'),
            wx.canIUse('getMenuButtonBoundingClientRect'), wx.canIUse('createAnimation'), wx.canIUse('nope'),
            wx.canIUse('scroll-view'), wx.canIUse('scroll-view.scroll-y'), wx.canIUse('swiper'), wx.canIUse('view.animation'));
        console.log('sync first');
    } });"#);
    assert_eq!(
        console,
        vec![
            "threw true getBatteryInfoSync:fail not supported",
            "on undefined undefined",
            "thenable undefined {}",
            "canIUse false false true true true false true true false true",
            "sync first",
            // Promise jobs run before the ticks that carry callbacks.
            "rejected scanCode:fail not supported",
            "fail login:fail not supported",
            "complete login:fail not supported",
            "ctx createVideoContext.play:fail not supported",
        ]
    );
}

#[test]
#[ignore = "prints the names wx really implements, to update wx_api.txt"]
fn print_implemented_names() {
    let console = run(r#"Page({ onLoad() {
        const internals = __cirrus.internals;
        const manifest = internals.wxApiManifest();
        console.log(Object.keys(manifest).filter(n => !internals.isUnsupportedStub(wx[n])).join(' '));
    } });"#);
    println!("IMPLEMENTED {}", console.join("\n"));
}
