//! wx system APIs, canIUse and base64, as a page's onLoad sees them.

mod wx_common;
use wx_common::{files, App};

fn run(page_js: &str) -> Vec<String> {
    let app = App::start(files(page_js, "<view/>", ""), None);
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let console = app.console();
    app.shutdown();
    console
}

#[test]
fn system_info_describes_the_window() {
    let console = run(r#"Page({ onLoad() {
        const s = wx.getSystemInfoSync();
        console.log(s.windowWidth, s.windowHeight, s.pixelRatio, s.SDKVersion, s.platform, s.deviceOrientation);
        const w = wx.getWindowInfo();
        console.log(JSON.stringify(w.safeArea));
        const d = wx.getDeviceInfo();
        console.log(d.brand, d.platform, typeof d.memorySize);
        const a = wx.getAppBaseInfo();
        console.log(a.SDKVersion, a.language, a.theme, a.host.env);
        console.log(JSON.stringify(wx.getSkylineInfoSync()));
        wx.getSystemInfo({ success(res) { console.log('async', res.errMsg, res.screenWidth); } });
        wx.getSystemInfo().then(res => console.log('promise', res.errMsg));
        console.log('sync first');
    } });"#);
    assert_eq!(
        console,
        vec![
            "375 667 2 3.8.0 devtools portrait",
            r#"{"left":0,"right":375,"top":0,"bottom":667,"width":375,"height":667}"#,
            "cirrus devtools number",
            "3.8.0 zh_CN light WeChat",
            r#"{"isSupported":true,"version":"0.9.7"}"#,
            "sync first",
            "async getSystemInfo:ok 375",
            "promise getSystemInfo:ok",
        ]
    );
}

#[test]
fn can_i_use_answers_from_the_manifest() {
    let console = run(r#"Page({ onLoad() {
        const schemas = [
            'getSystemInfoSync', 'getSystemInfoSync.return.safeArea.left',
            'getSystemInfoSync.return.noSuchField', 'request.object.method.GET',
            'request.object.method.BREW', 'request.object.timeout', 'request.object.enableQuic',
            'showModal.success.confirm', 'setStorage.object.key', 'text.selectable',
            'button.open-type.contact', 'openBluetoothAdapter', 'view', 'nonsense', '',
        ];
        console.log(schemas.map(s => s + '=' + wx.canIUse(s)).join(' '));
    } });"#);
    assert_eq!(
        console,
        vec![[
            "getSystemInfoSync=true",
            "getSystemInfoSync.return.safeArea.left=true",
            "getSystemInfoSync.return.noSuchField=false",
            "request.object.method.GET=true",
            "request.object.method.BREW=false",
            "request.object.timeout=true",
            "request.object.enableQuic=false",
            "showModal.success.confirm=true",
            "setStorage.object.key=true",
            "text.selectable=true",
            "button.open-type.contact=false",
            "openBluetoothAdapter=false",
            "view=true",
            "nonsense=false",
            "=false",
        ]
        .join(" ")]
    );
}

#[test]
fn base64_round_trips_through_real_array_buffers() {
    let console = run(r#"Page({ onLoad() {
        const buffer = wx.base64ToArrayBuffer('AAEC/f7/');
        console.log(buffer instanceof ArrayBuffer, buffer.byteLength, Array.from(new Uint8Array(buffer)).join(','));
        console.log(wx.arrayBufferToBase64(buffer));
        console.log(wx.arrayBufferToBase64(new Uint8Array([104, 105]).buffer), wx.arrayBufferToBase64(new Uint8Array([1, 104, 105]).subarray(1)));
        console.log(new Uint8Array(wx.base64ToArrayBuffer('aGk')).length);
        console.log(wx.env.USER_DATA_PATH);
        wx.nextTick(() => console.log('tick'));
        console.log('before tick');
    } });"#);
    assert_eq!(
        console,
        vec![
            "true 6 0,1,2,253,254,255",
            "AAEC/f7/",
            "aGk= aGk=",
            "2",
            "wxfile://usr",
            "before tick",
            "tick",
        ]
    );
}
