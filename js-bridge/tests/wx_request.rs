//! wx.request and wx.downloadFile over real HTTP against a loopback server.

mod wx_common;
use std::sync::atomic::Ordering;
use wx_common::{files, temp_dir, App, Server};

/// Runs `page_js` (with `BASE` replaced by the server's address) and
/// returns the console once every request has finished.
fn run(server: &Server, page_js: &str, dir: Option<std::path::PathBuf>) -> Vec<String> {
    let page_js = page_js.replace("BASE", &server.url(""));
    let app = App::start(files(&page_js, "<view/>", ""), dir);
    // The app is idle only once no request is queued or running.
    let messages = app.launch();
    assert_eq!(App::errors(&messages), Vec::<String>::new());
    let console = app.console();
    app.shutdown();
    console
}

#[test]
fn get_json_post_a_body_and_a_404_is_still_a_success() {
    let server = Server::start();
    let console = run(
        &server,
        r#"Page({ onLoad() {
        wx.request({ url: 'BASE/json', success(res) {
            console.log('json', res.errMsg, res.statusCode, typeof res.data, res.data.hello, res.data.n[1], res.header['x-test']);
        } });
        wx.request({ url: 'BASE/echo', method: 'POST', data: { a: 1, b: 'two' }, success(res) {
            console.log('post', res.data.method, res.data.body, res.data.contentType);
        } });
        wx.request({ url: 'BASE/echo', data: { q: 'a b', n: 2 }, success(res) {
            console.log('get', res.data.method, res.data.query, res.data.body === '');
        } });
        wx.request({ url: 'BASE/missing', success(res) {
            console.log('404', res.errMsg, res.statusCode, res.data);
        }, fail() { console.log('404 must not fail'); } });
        wx.request({ url: 'BASE/file.bin', responseType: 'arraybuffer', complete(res) {
            console.log('bytes', res.data instanceof ArrayBuffer, Array.from(new Uint8Array(res.data)).join(','));
        } });
        wx.request({ url: 'ftp://nowhere', fail(err) { console.log(err.errMsg); } });
    } });"#,
        None,
    );
    let mut sorted = console.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "404 request:ok 404 not here",
            "bytes true 0,1,2,3,250,251,252,253",
            "get GET q=a%20b&n=2 true",
            "json request:ok 200 object world 2 yes",
            r#"post POST {"a":1,"b":"two"} application/json"#,
            "request:fail invalid url \"ftp://nowhere\"",
        ]
    );
}

#[test]
fn a_timeout_fails_and_a_refused_connection_fails() {
    let server = Server::start();
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let page_js = format!(
        r#"Page({{ onLoad() {{
        wx.request({{ url: 'BASE/slow?ms=3000', timeout: 200, fail(err) {{ console.log(err.errMsg); }} }});
        wx.request({{ url: 'http://127.0.0.1:{closed}/json', fail(err) {{ console.log(err.errMsg); }} }});
    }} }});"#
    );
    let mut console = run(&server, &page_js, None);
    console.sort();
    assert_eq!(
        console,
        vec!["request:fail connection refused", "request:fail timeout"]
    );
}

#[test]
fn twelve_requests_all_complete_with_at_most_ten_in_flight() {
    let server = Server::start();
    let console = run(
        &server,
        r#"Page({ onLoad() {
        let done = 0;
        for (let i = 0; i < 12; i++) {
            wx.request({ url: 'BASE/count?' + i, dataType: 'text', success(res) {
                done += 1;
                if (done === 12) console.log('all done');
            } });
        }
    } });"#,
        None,
    );
    assert_eq!(console, vec!["all done"]);
    assert_eq!(server.served.load(Ordering::SeqCst), 12);
    assert_eq!(server.max_in_flight.load(Ordering::SeqCst), 10);
}

#[test]
fn abort_fails_the_request_and_drops_its_late_answer() {
    let server = Server::start();
    let console = run(
        &server,
        r#"Page({ onLoad() {
        const task = wx.request({ url: 'BASE/slow?ms=300',
            success() { console.log('must not succeed'); },
            fail(err) { console.log(err.errMsg); },
            complete() { console.log('complete'); } });
        task.abort();
        task.abort();
    } });"#,
        None,
    );
    assert_eq!(console, vec!["request:fail abort", "complete"]);
}

#[test]
fn download_file_writes_into_the_sandbox() {
    let server = Server::start();
    let dir = temp_dir("download");
    let console = run(
        &server,
        r#"Page({ onLoad() {
        wx.downloadFile({ url: 'BASE/file.bin', success(res) {
            console.log('temp', res.errMsg, res.statusCode, res.tempFilePath);
        } });
        wx.downloadFile({ url: 'BASE/file.bin', filePath: wx.env.USER_DATA_PATH + '/saved/f.bin', success(res) {
            console.log('user', res.filePath, res.tempFilePath === undefined);
        } });
        wx.downloadFile({ url: 'BASE/file.bin', filePath: '/etc/x', fail(err) { console.log(err.errMsg); } });
    } });"#,
        Some(dir.clone()),
    );
    let mut sorted = console.clone();
    sorted.sort();
    assert_eq!(sorted.len(), 3, "{console:?}");
    assert_eq!(
        sorted[0],
        "downloadFile:fail permission denied, open \"/etc/x\""
    );
    let temp = sorted[1]
        .strip_prefix("temp downloadFile:ok 200 wxfile://tmp/")
        .expect("a temp path");
    assert!(temp.ends_with(".bin"), "{temp}");
    assert_eq!(sorted[2], "user wxfile://usr/saved/f.bin true");
    let expected = vec![0u8, 1, 2, 3, 250, 251, 252, 253];
    assert_eq!(std::fs::read(dir.join("tmp").join(temp)).unwrap(), expected);
    assert_eq!(
        std::fs::read(dir.join("usr/saved/f.bin")).unwrap(),
        expected
    );
    let _ = std::fs::remove_dir_all(dir);
}
