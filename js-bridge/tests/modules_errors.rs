//! Errors in transformed files (ES modules, TypeScript) are reported at the
//! author's line and column, at run time and by `check_scripts`.

mod harness;

use cirrus_engine::package::Package;
use cirrus_js_bridge::check_scripts;
use harness::{errors, one_page_app, Harness};

const PAGE_TS: &str = "import { double } from '../../utils/math';\ninterface Data { n: number }\nPage({\n  data: { n: 1 } as Data,\n  onLoad(): void {\n    const value: number = double(2);\n    const sum: number = (value as number) + notDefined;\n  },\n});\n";

#[test]
fn a_runtime_error_in_a_ts_page_names_the_ts_line_and_column() {
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({});"),
        ("pages/index/index.ts", PAGE_TS),
        ("pages/index/index.wxml", "<view/>"),
        (
            "utils/math.ts",
            "export function double(x: number): number {\n  return x * 2;\n}\n",
        ),
    ]));
    let errors = errors(&h.launch("pages/index/index", ""));
    assert_eq!(errors.len(), 1, "{errors:?}");
    let error = &errors[0];
    assert_eq!(error.file, "pages/index/index.ts", "{error}");
    // The types before it on its line moved the column in the compiled
    // code; the map puts it back.
    let line = PAGE_TS.lines().nth(6).unwrap();
    let column = line.find("notDefined").unwrap() as u32 + 1;
    assert_eq!((error.line, error.column), (7, column), "{error}");
    assert!(error.message.starts_with("ReferenceError"), "{error}");
    assert!(
        error.message.contains("pages/index/index.ts:7:"),
        "{}",
        error.message
    );
}

#[test]
fn an_error_after_an_import_keeps_its_js_position() {
    let page = "import { helper } from '../../utils/helper';\nPage({\n  onLoad() { helper(); missing(); },\n});\n";
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({});"),
        ("pages/index/index.js", page),
        ("pages/index/index.wxml", "<view/>"),
        ("utils/helper.js", "export function helper() {}\n"),
    ]));
    let errors = errors(&h.launch("pages/index/index", ""));
    assert_eq!(errors.len(), 1, "{errors:?}");
    let column = page.lines().nth(2).unwrap().find("missing").unwrap() as u32 + 1;
    assert_eq!(
        (errors[0].file.as_str(), errors[0].line, errors[0].column),
        ("pages/index/index.js", 3, column),
        "{}",
        errors[0]
    );
}

#[test]
fn a_syntax_error_in_a_module_is_reported_where_it_is() {
    let h = Harness::start(one_page_app(&[
        ("app.js", "App({});"),
        (
            "pages/index/index.js",
            "import x from './x';\nPage({ data: { a: } });\n",
        ),
        ("pages/index/index.wxml", "<view/>"),
    ]));
    let errors = errors(&h.launch("pages/index/index", ""));
    assert!(!errors.is_empty());
    let error = &errors[0];
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("pages/index/index.js", 2, 19),
        "{error}"
    );
    assert!(error.message.starts_with("SyntaxError"), "{error}");
}

#[test]
fn check_scripts_transforms_first_and_locates_ts_errors() {
    let (package, _) = Package::from_files(
        [
            ("app.json", "{}"),
            ("app.ts", "import { a } from './a';\nApp({ a });\n"),
            ("a.ts", "export const a: number = 1;\n"),
            ("bad.ts", "const ok = 1;\nlet broken: number = ;\n"),
            ("types.d.ts", "this is not typescript at all"),
            ("module.js", "export default 1;\n"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
    );
    let diagnostics = check_scripts(&package);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        (
            diagnostics[0].file.as_str(),
            diagnostics[0].line,
            diagnostics[0].column
        ),
        ("bad.ts", 2, 22)
    );
}
