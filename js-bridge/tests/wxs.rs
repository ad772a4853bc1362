//! WXS end to end (SPEC §3.3): `<wxs>` modules in a page's WXML, run by
//! the logic thread's restricted WXS context, called from bindings that
//! re-evaluate when the data they pass changes.

mod harness;

use harness::{batches, errors, one_page_app, op_text, Harness};

const UTIL_WXS: &str = "var fmt = require('./fmt.wxs');\nmodule.exports.label = function (n) { return fmt.bracket('n=' + n); };\n";
const FMT_WXS: &str = "module.exports.bracket = function (s) { return '[' + s + ']'; };\n";

fn texts(messages: &[cirrus_engine::protocol::ToRender]) -> Vec<String> {
    batches(messages)
        .iter()
        .flat_map(|b| b.ops.iter())
        .filter_map(op_text)
        .map(str::to_owned)
        .collect()
}

#[test]
fn inline_and_src_modules_render_and_follow_set_data() {
    let wxml = "<wxs module=\"m1\">\nvar msg = \"hello world\";\nmodule.exports.message = msg;\nmodule.exports.getMax = function (array) {\n  var max = undefined;\n  for (var i = 0; i < array.length; ++i) {\n    max = max === undefined ? array[i] : (max >= array[i] ? max : array[i]);\n  }\n  return max;\n};\n</wxs>\n<wxs module=\"util\" src=\"./util.wxs\"/>\n<view>{{m1.message}}</view>\n<view>{{m1.getMax(array)}}</view>\n<view>{{util.label(count)}}</view>";
    let page_js = "Page({ data: { array: [1, 2, 3, 4, 5, 1, 2, 3, 4], count: 1 }, bump() { this.setData({ count: this.data.count + 1 }); }, onReady() { this.bump(); } });";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", page_js),
        ("pages/index/index.wxml", wxml),
        ("pages/index/util.wxs", UTIL_WXS),
        ("pages/index/fmt.wxs", FMT_WXS),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    let all = texts(&messages);
    assert_eq!(
        all,
        vec!["hello world", "5", "[n=1]", "[n=2]"],
        "SPEC's getMax example outputs 5; onReady's setData re-runs only util.label"
    );
}

#[test]
fn wxs_cannot_reach_the_logic_threads_globals() {
    let wxml = "<wxs module=\"m\">\nmodule.exports.kinds = function () { return [typeof wx, typeof getApp, typeof setTimeout, typeof require].join(','); };\n</wxs>\n<view>{{m.kinds()}}</view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", wxml),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(
        texts(&messages),
        vec!["undefined,undefined,undefined,function"]
    );
}

#[test]
fn a_wxs_syntax_error_is_reported_with_its_file_and_line() {
    let wxml = "<wxs module=\"bad\" src=\"./bad.wxs\"/>\n<view>[{{bad.f(1)}}]</view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", wxml),
        ("pages/index/bad.wxs", "var ok = 1;\nvar broken = ;\n"),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert_eq!(texts(&messages), vec!["[]"], "the call reads as undefined");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].file, "pages/index/index.wxml");
    assert_eq!(errors[0].line, 2, "{}", errors[0]);
    assert!(
        errors[0].message.contains("pages/index/bad.wxs:2:")
            && errors[0].message.contains("SyntaxError"),
        "{}",
        errors[0]
    );
}
