//! wx storage: the sync and async APIs, WeChat's errMsg strings, the size
//! limits, persistence across restarts and crash safety.

mod wx_common;
use wx_common::{files, temp_dir, App};

fn run(page_js: &str, dir: Option<std::path::PathBuf>) -> Vec<String> {
    let app = App::start(files(page_js, "<view/>", ""), dir);
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let console = app.console();
    app.shutdown();
    console
}

#[test]
fn values_of_every_json_type_come_back_as_given() {
    let console = run(
        r#"Page({ onLoad() {
        wx.setStorageSync('object', { a: 1, b: [true, null, 'x'] });
        wx.setStorageSync('array', [1, 2, 3]);
        wx.setStorageSync('number', 3.5);
        wx.setStorageSync('string', 'hello');
        wx.setStorageSync('bool', false);
        wx.setStorageSync('date', new Date(86400000));
        for (const key of ['object', 'array', 'number', 'string', 'bool']) {
            const value = wx.getStorageSync(key);
            console.log(key, typeof value, JSON.stringify(value));
        }
        const date = wx.getStorageSync('date');
        console.log(date instanceof Date, date.getTime());
        console.log('missing:' + JSON.stringify(wx.getStorageSync('missing')));
        const info = wx.getStorageInfoSync();
        console.log(JSON.stringify(info.keys), info.limitSize, info.currentSize);
        wx.removeStorageSync('array');
        console.log(JSON.stringify(wx.getStorageInfoSync().keys));
        wx.clearStorageSync();
        console.log(wx.getStorageInfoSync().keys.length);
    } });"#,
        None,
    );
    assert_eq!(
        console,
        vec![
            r#"object object {"a":1,"b":[true,null,"x"]}"#,
            "array object [1,2,3]",
            "number number 3.5",
            "string string \"hello\"",
            "bool boolean false",
            "true 86400000",
            "missing:\"\"",
            r#"["array","bool","date","number","object","string"] 10240 1"#,
            r#"["bool","date","number","object","string"]"#,
            "0",
        ]
    );
}

#[test]
fn async_forms_call_back_or_resolve_with_errmsg() {
    let console = run(
        r#"Page({ onLoad() {
        wx.setStorage({ key: 'k', data: { v: 1 }, success(res) { console.log('set', res.errMsg); },
            complete() { console.log('set complete'); } });
        wx.getStorage({ key: 'k' }).then(res => console.log('get', res.errMsg, JSON.stringify(res.data)));
        wx.getStorage({ key: 'nope', fail(err) { console.log('fail', err.errMsg); } });
        wx.getStorage({ key: 'nope' }).catch(err => console.log('rejected', err.errMsg));
        wx.removeStorage({ key: 'k' }).then(res => console.log(res.errMsg));
        wx.getStorageInfo({ success(res) { console.log('info', res.errMsg, res.limitSize); } });
        wx.clearStorage().then(res => console.log(res.errMsg));
        try { wx.setStorageSync('', 1); } catch (e) { console.log('throws', e.message); }
        try { wx.setStorageSync('f', function () {}); } catch (e) { console.log('throws', e.message); }
        console.log('sync done');
    } });"#,
        None,
    );
    assert_eq!(console[0..2], ["throws setStorageSync:fail parameter error: parameter.key should be String instead of empty String", "throws setStorageSync:fail parameter error: data is not JSON-serialisable"]);
    assert_eq!(console[2], "sync done");
    let mut rest = console[3..].to_vec();
    rest.sort();
    let mut expected = vec![
        "set setStorage:ok",
        "set complete",
        "get getStorage:ok {\"v\":1}",
        "fail getStorage:fail data not found",
        "rejected getStorage:fail data not found",
        "removeStorage:ok",
        "info getStorageInfo:ok 10240",
        "clearStorage:ok",
    ];
    expected.sort();
    assert_eq!(rest, expected);
}

#[test]
fn the_size_limits_refuse_with_wechat_messages() {
    let console = run(
        r#"Page({ onLoad() {
        const mega = 'x'.repeat(1024 * 1024);
        wx.setStorage({ key: 'big', data: mega, fail(e) { console.log(e.errMsg); } });
        const almost = 'y'.repeat(1024 * 1024 - 64);
        for (let i = 0; i < 10; i++) wx.setStorageSync('k' + i, almost);
        try { wx.setStorageSync('k10', almost); } catch (e) { console.log(e.message); }
        console.log(wx.getStorageInfoSync().keys.length);
    } });"#,
        None,
    );
    assert_eq!(
        console,
        vec![
            "setStorageSync:fail exceed storage max size 10M",
            "10",
            "setStorage:fail entry size limit reached",
        ]
    );
}

#[test]
fn storage_survives_a_restart_of_the_logic_thread() {
    let dir = temp_dir("restart");
    let first = run(
        r#"Page({ onLoad() {
        console.log(JSON.stringify(wx.getStorageSync('visits')));
        wx.setStorageSync('visits', { count: 1, who: ['a'] });
        wx.setStorageSync('gone', 1);
        wx.removeStorageSync('gone');
    } });"#,
        Some(dir.clone()),
    );
    assert_eq!(first, vec!["\"\""]);
    let second = run(
        r#"Page({ onLoad() {
        const visits = wx.getStorageSync('visits');
        console.log(JSON.stringify(visits), JSON.stringify(wx.getStorageInfoSync().keys));
    } });"#,
        Some(dir.clone()),
    );
    assert_eq!(second, vec![r#"{"count":1,"who":["a"]} ["visits"]"#]);
    assert!(dir.join("storage.json").is_file());
    assert!(
        !dir.join("storage.json.tmp").exists(),
        "no temp file left behind"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_torn_write_leaves_the_last_complete_store() {
    let dir = temp_dir("torn");
    run(
        r#"Page({ onLoad() { wx.setStorageSync('kept', 'safe'); } });"#,
        Some(dir.clone()),
    );
    // A crash between writing the temp file and renaming it: half a store.
    std::fs::write(dir.join("storage.json.tmp"), r#"{"kept":"\"tor"#).unwrap();
    let after = run(
        r#"Page({ onLoad() {
        console.log(wx.getStorageSync('kept'));
        wx.setStorageSync('next', 2);
        console.log(JSON.stringify(wx.getStorageInfoSync().keys));
    } });"#,
        Some(dir.clone()),
    );
    assert_eq!(after, vec!["safe", r#"["kept","next"]"#]);
    let on_disk = std::fs::read_to_string(dir.join("storage.json")).unwrap();
    assert_eq!(on_disk, r#"{"kept":"\"safe\"","next":"2"}"#);
    assert!(!dir.join("storage.json.tmp").exists());
    let _ = std::fs::remove_dir_all(dir);
}
