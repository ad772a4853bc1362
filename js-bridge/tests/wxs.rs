//! WXS end to end (<https://developers.weixin.qq.com/miniprogram/dev/reference/wxs/>): `<wxs>` modules in a page's WXML, run by
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
        "the WXS docs' getMax example outputs 5; onReady's setData re-runs only util.label"
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

/// Only the first diagnostic line of each error, for exact comparisons.
fn error_lines(messages: &[cirrus_engine::protocol::ToRender]) -> Vec<String> {
    errors(messages)
        .iter()
        .map(|e| format!("{}:{}: {}", e.file, e.line, e.message))
        .collect()
}

#[test]
fn a_src_module_outside_wxs_syntax_is_reported_and_never_runs() {
    // Line 1 alone would run fine; the module is rejected as a whole.
    let bad = "module.exports.f = function (x) { return x; };\nlet count = 1;\nvar twice = (n) => n * 2;\nvar greeting = `hi ${count}`;\n";
    let wxml = "<wxs module=\"bad\" src=\"./bad.wxs\"/>\n<view>[{{bad.f(1)}}]</view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", wxml),
        ("pages/index/bad.wxs", bad),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert_eq!(texts(&messages), vec!["[]"], "the call reads as undefined");
    let errors = errors(&messages);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line),
        ("pages/index/index.wxml", 2)
    );
    let reported: Vec<&str> = errors[0]
        .message
        .lines()
        .filter(|line| line.starts_with("pages/index/bad.wxs:"))
        .collect();
    assert_eq!(
        reported,
        vec![
            "pages/index/bad.wxs:2:1: error: `let` is not WXS: declare variables with `var`",
            "pages/index/bad.wxs:3:13: error: arrow functions are not WXS: use `function`",
            "pages/index/bad.wxs:4:16: error: template literals are not WXS: concatenate strings with `+`",
        ],
        "{}",
        errors[0]
    );
}

#[test]
fn an_inline_module_is_checked_on_its_wxml_lines() {
    let wxml = "<view/>\n<wxs module=\"m\">\nvar ok = 1;\nvar d = new Date();\n  const limit = 2;\nvar r = /a+/g;\nmodule.exports.f = function () { return ok; };\n</wxs>\n<view>[{{m.f()}}]</view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", wxml),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert_eq!(texts(&messages), vec!["[]"]);
    let lines = error_lines(&messages);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    for expected in [
        "pages/index/index.wxml:4:9: error: `new Date()` is not WXS: use `getDate()`",
        "pages/index/index.wxml:5:3: error: `const` is not WXS: declare variables with `var`",
        "pages/index/index.wxml:6:9: error: regular expression literals are not WXS: use `getRegExp(pattern, flags)`",
    ] {
        assert!(lines[0].contains(expected), "{expected} in {}", lines[0]);
    }
}

#[test]
fn valid_es5_wxs_runs_with_get_date_get_reg_exp_and_require() {
    let main = "// let x => y in a comment, and `backquotes` too\n\
var fmt = require('./fmt.wxs');\n\
var sample = 'let a = () => 1; const b = `t`; new Date()';\n\
/* class K { constructor() {} } */\n\
function count(s) { return s.match(getRegExp('a+', 'g')).length; }\n\
var year = getDate(2024, 4, 1).getFullYear();\n\
var table = { let: 1, items: [1, 2, 3] };\n\
module.exports.describe = function (s) {\n\
  var parts = [count(s), year, table.let + table.items.length, sample.length / 2];\n\
  return fmt.bracket(parts.join(','));\n\
};\n";
    let wxml = "<wxs module=\"m\" src=\"./main.wxs\"/>\n<view>{{m.describe(text)}}</view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        (
            "pages/index/index.js",
            "Page({ data: { text: 'aa-b-aaa-a' } })",
        ),
        ("pages/index/index.wxml", wxml),
        ("pages/index/main.wxs", main),
        ("pages/index/fmt.wxs", FMT_WXS),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(texts(&messages), vec!["[3,2024,4,21]"]);
}

#[test]
fn functions_do_not_cross_into_the_view() {
    let wxml = "<wxs module=\"m\">\nmodule.exports.fn = function () { return 1; };\nmodule.exports.obj = { a: 1, f: function () {} };\nmodule.exports.keys = function (o) { var k = []; for (var key in o) { k.push(key); } return k.join('+'); };\nmodule.exports.list = function () { return [1, function () {}, 'x']; };\nmodule.exports.count = function (l) { return l.length + ':' + typeof l[1]; };\n</wxs>\n<view>[{{m.fn}}]</view>\n<view>{{m.keys(m.obj)}}</view>\n<view>{{m.count(m.list())}}</view>";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({})"),
        ("pages/index/index.js", "Page({})"),
        ("pages/index/index.wxml", wxml),
    ]));
    let messages = h.launch("pages/index/index", "");
    assert!(errors(&messages).is_empty(), "{:#?}", errors(&messages));
    assert_eq!(
        texts(&messages),
        vec!["[]", "a", "3:object"],
        "a function reads as undefined, is left out of objects and is null in arrays"
    );
}
