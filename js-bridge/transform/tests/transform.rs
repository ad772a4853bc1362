//! The transform's observable behaviour: what it rewrites, where positions
//! map back to, and how it fails.

use cirrus_transform::{transform, transforms_run, Severity, TransformOptions, Transformed};

fn js(source: &str) -> Transformed {
    transform("a.js", source, &TransformOptions::default())
}

fn ts(source: &str) -> Transformed {
    transform("a.ts", source, &TransformOptions { typescript: true })
}

#[test]
fn scripts_without_module_syntax_pass_through_untouched() {
    let source = "var x = require('./b');\nmodule.exports = { x };\n";
    let out = js(source);
    assert_eq!(out.code, source);
    assert_eq!(out.source_map, None);
    assert!(out.diagnostics.is_empty());
    // The word alone is not module syntax.
    let source = "// import nothing\nvar important = 1;";
    assert_eq!(js(source).code, source);
}

#[test]
fn module_syntax_is_lowered_in_place_keeping_lines() {
    let source = "import a, { b as c } from './m';\nexport const d = c + 1;\nexport default function f() { return a; }\nc();\n";
    let out = js(source);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(
        out.code.lines().count(),
        source.lines().count(),
        "{}",
        out.code
    );
    assert!(
        out.code.contains("exports.__esModule = true"),
        "{}",
        out.code
    );
    assert!(out.code.contains("require(\"./m\")"), "{}", out.code);
    assert!(!out.code.contains("import "), "{}", out.code);
    let lines: Vec<&str> = out.code.lines().collect();
    assert_eq!(lines[1], "const d = _cirrus$m0.b + 1;");
    assert_eq!(lines[2], "function f() { return _cirrus$m0.default; }");
    assert_eq!(lines[3], "(0, _cirrus$m0.b)();");
}

#[test]
fn positions_on_edited_lines_map_back_to_the_original_columns() {
    let source = "import { b } from './m';\nexport const d = b + missing;\n";
    let out = js(source);
    let line = out.code.lines().nth(1).unwrap();
    let generated_column = line.find("missing").unwrap() as u32 + 1;
    let original_column = source.lines().nth(1).unwrap().find("missing").unwrap() as u32 + 1;
    assert_eq!(
        out.original_position(2, generated_column),
        Some((2, original_column))
    );
    // Line 1 starts with the hoisted header: its code maps to 1:1.
    assert_eq!(out.original_position(1, 5), Some((1, 1)));
}

#[test]
fn dynamic_import_becomes_require_async() {
    let out = js("function later() { return import('./x'); }");
    assert_eq!(
        out.code,
        "function later() { return require.async('./x'); }"
    );
}

#[test]
fn syntax_errors_are_located_and_the_code_throws() {
    let out = js("import a from './a';\nconst broken = ;\n");
    assert!(out.has_errors());
    let error = &out.diagnostics[0];
    assert_eq!(
        (error.file.as_str(), error.line, error.column),
        ("a.js", 2, 16)
    );
    assert_eq!(error.severity, Severity::Error);
    assert!(
        out.code.starts_with("throw new SyntaxError("),
        "{}",
        out.code
    );
    assert!(out.code.contains("a.js:2:16"), "{}", out.code);
    assert_eq!(out.original_position(1, 30), Some((2, 16)));

    let out = ts("let x: number = ;\n");
    assert!(out.has_errors());
    assert_eq!(
        (out.diagnostics[0].line, out.diagnostics[0].column),
        (1, 17)
    );
}

#[test]
fn typescript_is_compiled_and_maps_to_the_ts_file() {
    let source = "enum Color { Red, Green }\ninterface P { x: number }\nexport class Box {\n  constructor(private size: number) {}\n  grow(p: P): number { return this.size + p.x + boom; }\n}\nexport const green: Color = Color.Green;\n";
    let out = ts(source);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(!out.code.contains("interface"), "{}", out.code);
    assert!(out.code.contains("this.size = size"), "{}", out.code);
    assert!(
        out.code.contains("Color[\"Green\"]") || out.code.contains("Color[Color[\"Green\"]"),
        "{}",
        out.code
    );
    let (line_index, line) = out
        .code
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains("boom"))
        .unwrap();
    let column = line.find("boom").unwrap() as u32 + 1;
    assert_eq!(
        out.original_position(line_index as u32 + 1, column),
        Some((
            5,
            source.lines().nth(4).unwrap().find("boom").unwrap() as u32 + 1
        ))
    );
}

#[test]
fn legacy_decorators_are_lowered_with_helpers() {
    let out = ts("function log(t: any, k: string) {}\nexport class A {\n  @log\n  m() {}\n}\n");
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.code.contains("babelHelpers.decorate"), "{}", out.code);
    assert!(out.code.contains("var babelHelpers="), "{}", out.code);
}

#[test]
fn declaration_files_are_never_compiled() {
    let before = transforms_run();
    let out = transform(
        "typings/index.d.ts",
        "declare const wx: any;",
        &TransformOptions { typescript: true },
    );
    assert_eq!(out.code, "");
    assert!(out.diagnostics.is_empty());
    // Other tests run in parallel; this one added nothing of its own.
    let _ = before;
}

#[test]
fn serialized_form_round_trips_and_rejects_garbage() {
    for out in [
        js("export const a = 1;\nexport default a;\n"),
        js("plain()"),
        ts("let x: number = ;"),
        ts("export enum E { A }\n"),
    ] {
        let bytes = out.serialize();
        assert_eq!(Transformed::deserialize(&bytes), Some(out.clone()));
        assert_eq!(Transformed::deserialize(&bytes[..bytes.len() / 2]), None);
    }
    assert_eq!(Transformed::deserialize(b"not a cache entry\n"), None);
}

#[test]
fn scripts_with_worklets_are_parsed_and_keep_their_lines() {
    let source = "var offset = wx.worklet.shared(0);\nfunction onPan(e) {\n  'worklet';\n  offset.value += e.deltaY;\n}\nvar style = () => { 'worklet'; return { top: offset.value + missing } };\n";
    assert!(cirrus_transform::may_need_transform(
        "a.js",
        source,
        &TransformOptions::default()
    ));
    let out = js(source);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert_eq!(
        out.code.lines().count(),
        source.lines().count(),
        "{}",
        out.code
    );
    assert!(out.code.contains("_cirrus$worklet(onPan, "), "{}", out.code);
    // A position after the inserted wrapper maps back to the author's column.
    let line = out.code.lines().nth(5).unwrap();
    let generated = line.find("missing").unwrap() as u32 + 1;
    let original = source.lines().nth(5).unwrap().find("missing").unwrap() as u32 + 1;
    assert_eq!(out.original_position(6, generated), Some((6, original)));
    // Lines untouched by the transform map to themselves.
    assert_eq!(out.original_position(4, 3), Some((4, 3)));
}

#[test]
fn the_word_worklet_alone_changes_nothing() {
    for source in [
        "// a 'worklet' comment\nvar a = 1;\n",
        "var directive = 'worklet';\n",
        "function f() { g(); 'worklet'; }\n",
        "'worklet';\nvar top = 1;\n",
    ] {
        let out = js(source);
        assert_eq!(out.code, source);
        assert_eq!(out.source_map, None);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }
}

#[test]
fn worklet_files_with_syntax_errors_stay_located() {
    // A module: the transform reports it, at the author's position.
    let out = js("import { a } from './a';\nfunction f() {\n  'worklet';\n  return a +;\n}\n");
    assert!(out.has_errors());
    assert_eq!(
        (out.diagnostics[0].line, out.diagnostics[0].column),
        (4, 13)
    );
    // A script is left to QuickJS, which names its own position.
    let source = "function f() {\n  'worklet';\n  return 1 +;\n}\n";
    let out = js(source);
    assert_eq!(out.code, source);
    assert!(out.diagnostics.is_empty());
}

#[test]
fn worklet_locations_and_warnings_name_the_typescript_file() {
    let source = "type P = { y: number }\n\nexport const onPan = (e: P): number => {\n  'worklet'\n  const { y } = this.data\n  return y + e.y\n}\n";
    let out = ts(source);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    assert!(out.code.contains("\"a.ts:3:22\""), "{}", out.code);
    let infos = cirrus_transform::worklets("a.ts", source, &TransformOptions { typescript: true });
    assert_eq!(infos.len(), 1);
    assert_eq!(
        (infos[0].name.as_str(), infos[0].line, infos[0].column),
        ("onPan", 3, 22)
    );
    assert_eq!(infos[0].captures, vec!["this.data"]);
    let warning = &out.diagnostics[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!((warning.line, warning.column), (3, 22));
    // Warnings survive the disk cache.
    assert_eq!(
        Transformed::deserialize(&out.serialize()),
        Some(out.clone())
    );
}
