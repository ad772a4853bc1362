//! `<wxs>` modules in templates (<https://developers.weixin.qq.com/miniprogram/dev/reference/wxs/>): bindings call `m.fn(args)`
//! through the thread's `WxsHost`, with dependency tracking on the
//! arguments. A recording host stands in for the logic thread's WXS context.

mod common;

use cirrus_template::{set_thread_wxs_host, WxsHost};
use common::Page;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// A host whose `toUpper` upper-cases and `max` takes an array's maximum;
/// it records every call and inline definition.
#[derive(Default)]
struct FakeHost {
    calls: Vec<(String, String, Vec<Value>)>,
    inline: Vec<(String, String, String)>,
}

impl WxsHost for FakeHost {
    fn call(&mut self, module: &str, function: &str, args: &[Value]) -> Result<Value, String> {
        self.calls
            .push((module.to_owned(), function.to_owned(), args.to_vec()));
        match function {
            "toUpper" => Ok(json!(args[0].as_str().unwrap_or("").to_uppercase())),
            "getMax" => Ok(args[0]
                .as_array()
                .and_then(|a| a.iter().filter_map(Value::as_f64).reduce(f64::max))
                .map_or(Value::Null, |m| json!(m))),
            other => Err(format!("TypeError: {other} is not a function")),
        }
    }

    fn export(&mut self, _module: &str, name: &str) -> Result<Option<Value>, String> {
        Ok((name == "message").then(|| json!("hello world")))
    }

    fn define_inline(&mut self, module: &str, file: &str, source: &str, line: u32) {
        if !self.inline.iter().any(|(m, _, _)| m == module) {
            self.inline.push((
                module.to_owned(),
                format!("{file}:{line}"),
                source.trim().to_owned(),
            ));
        }
    }
}

fn install() -> Rc<RefCell<FakeHost>> {
    let host = Rc::new(RefCell::new(FakeHost::default()));
    set_thread_wxs_host(Some(host.clone()));
    host
}

#[test]
fn an_inline_module_function_renders_and_rerenders_when_its_argument_changes() {
    let host = install();
    let wxml = "<wxs module=\"m1\">\nvar getMax = function(a) { return 0; };\nmodule.exports.getMax = getMax;\n</wxs>\n<view>{{m1.getMax(array)}}</view>";
    let mut page = Page::new(wxml, json!({ "array": [1, 2, 3, 4, 5, 1, 2, 3, 4] }));
    assert!(page.diags.is_empty(), "{:?}", page.diags);
    assert!(page.render().contains("\"5\""), "{}", page.render());
    {
        let host = host.borrow();
        assert_eq!(host.inline.len(), 1);
        assert_eq!(host.inline[0].0, format!("{}#m1", common::PAGE));
        assert_eq!(host.inline[0].1, format!("{}:1", common::PAGE));
        assert!(host.inline[0].2.starts_with("var getMax"));
    }
    page.set(&[("array[1]", json!(9))]);
    assert!(page.render().contains("\"9\""), "{}", page.render());
    assert_eq!(host.borrow().calls.len(), 2, "one call per evaluation");
    // Unrelated data does not re-run the call.
    page.set(&[("other", json!(1))]);
    assert_eq!(host.borrow().calls.len(), 2);
    set_thread_wxs_host(None);
}

#[test]
fn a_src_module_is_keyed_by_its_resolved_path() {
    let host = install();
    let wxml =
        "<wxs module=\"fmt\" src=\"./fmt.wxs\"/><text>{{fmt.toUpper(name)}} {{fmt.message}}</text>";
    let page = Page::new(wxml, json!({ "name": "cirrus" }));
    assert!(page.diags.is_empty(), "{:?}", page.diags);
    assert!(
        page.render().contains("\"CIRRUS hello world\""),
        "{}",
        page.render()
    );
    let dir = common::PAGE.rsplit_once('/').map_or("", |(d, _)| d);
    let expected = if dir.is_empty() {
        "fmt.wxs".to_owned()
    } else {
        format!("{dir}/fmt.wxs")
    };
    assert_eq!(host.borrow().calls[0].0, expected);
    set_thread_wxs_host(None);
}

#[test]
fn errors_and_a_missing_host_are_diagnostics_and_undefined() {
    let _host = install();
    let wxml = "<wxs module=\"m\" src=\"./m.wxs\"/>\n<view>[{{m.nope(1)}}]</view>";
    let page = Page::new(wxml, json!({}));
    assert!(page.render().contains("\"[]\""), "{}", page.render());
    assert_eq!(page.diags.len(), 1, "{:?}", page.diags);
    assert_eq!((page.diags[0].line, page.diags[0].column), (2, 10));
    assert!(page.diags[0].message.contains("nope is not a function"));

    set_thread_wxs_host(None);
    let page = Page::new(wxml, json!({}));
    assert!(page.render().contains("\"[]\""), "{}", page.render());
    assert!(
        page.diags[0].message.contains("no WXS host"),
        "{:?}",
        page.diags
    );
}

#[test]
fn calling_something_that_is_not_a_wxs_function_is_reported() {
    set_thread_wxs_host(None);
    let page = Page::new(
        "<view>{{name.toUpperCase()}}</view>",
        json!({ "name": "x" }),
    );
    assert_eq!(page.diags.len(), 1, "{:?}", page.diags);
    assert!(page.diags[0]
        .message
        .contains("not a function of a <wxs> module"));
}
