//! The module-semantics corpus (fixtures/modules): each case's files run
//! through the real logic thread (transform, loader, require.async) and
//! its console output is compared with what node printed for the same
//! files lowered by the TypeScript compiler (tools/modules/generate).

mod harness;

use harness::{errors, one_page_app, Harness};
use std::path::Path;

fn run_case(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/modules")
        .join(name);
    let mut files: Vec<(&str, String)> = Vec::new();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("case folder") {
        let path = entry.expect("entry").path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if file.ends_with(".js") || file.ends_with(".ts") {
            names.push((file, std::fs::read_to_string(&path).expect("readable")));
        }
    }
    for (file, text) in &names {
        files.push((file.as_str(), text.clone()));
    }
    let mut all: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    all.push(("app.js", "require('./entry');\nApp({});"));
    all.push(("pages/index/index.js", "Page({})"));
    all.push(("pages/index/index.wxml", "<view/>"));
    let h = Harness::start(one_page_app(&all));
    let messages = h.launch("pages/index/index", "");
    assert_eq!(errors(&messages), vec![], "case {name}");
    let expected = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let expected: Vec<&str> = expected.lines().collect();
    assert_eq!(h.console(), expected, "case {name}");
}

#[test]
fn cycles_run_in_commonjs_order() {
    run_case("cycles");
}

#[test]
fn reexports() {
    run_case("reexports");
}

#[test]
fn default_interop() {
    run_case("default_interop");
}

#[test]
fn mixed_export_and_module_exports() {
    run_case("mixed_exports");
}

#[test]
fn require_async_and_dynamic_import() {
    run_case("require_async");
}

#[test]
fn live_bindings() {
    run_case("live_bindings");
}

#[test]
fn typescript_enum_namespace_parameter_properties_decorators() {
    run_case("typescript");
}
