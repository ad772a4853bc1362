//! The worklet corpus: `tests/worklets/<case>/` holds an `input.js` (or
//! `input.ts`), the modules it requires, and `expect.txt`:
//!
//! ```text
//! # a comment
//! worklet NAME LINE:COLUMN = PATH, PATH      the captured set ("(anonymous)"
//!                                            for a nameless one; nothing
//!                                            after `=`: no capture)
//! warning LINE:COLUMN TEXT                   a warning containing TEXT
//! module SPECIFIER FILE                      a module the input requires
//! setup CODE                                 run on the JS thread after load
//! call FUNCTION | RECEIVER | ARGS => EXPECTED
//! ```
//!
//! Every worklet of the input must be listed, with exactly the paths it
//! captures, and every warning. A `call` dispatches the worklet as the
//! runtime will (`__closure(RECEIVER)`, copied), calls it normally on the
//! JS thread (`FUNCTION.apply(RECEIVER, [ARGS])`), rebuilds it from
//! `__workletSource` in a fresh QuickJS runtime with the copied, frozen
//! captures and calls it there: both results must equal EXPECTED (a JS
//! expression), and what each thread sent through `runOnJS` must match.
//! The harness (`tests/worklets/harness.js`) plays the runtime.
//! `WORKLET_DUMP=<case>` prints a case's transformed input.

use cirrus_transform::{transform, worklets, Severity, TransformOptions, Transformed};
use rquickjs::{Context, Ctx, Runtime};
use std::path::{Path, PathBuf};

const MAIN: &str = "main";

#[derive(Debug, Default)]
struct Expect {
    worklets: Vec<(String, String, Vec<String>)>,
    warnings: Vec<(String, String)>,
    modules: Vec<(String, String)>,
    setup: Vec<String>,
    calls: Vec<Call>,
}

#[derive(Debug)]
struct Call {
    function: String,
    receiver: String,
    arguments: String,
    expected: String,
}

fn parse_expect(text: &str) -> Expect {
    let mut expect = Expect::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (keyword, rest) = line.split_once(' ').unwrap_or((line, ""));
        match keyword {
            "worklet" => {
                let (head, paths) = rest.split_once('=').expect("worklet NAME L:C = PATHS");
                let mut head = head.split_whitespace();
                let name = head.next().expect("a name").replace("(anonymous)", "");
                let position = head.next().expect("a position").to_owned();
                let mut paths: Vec<String> = paths
                    .split(',')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect();
                paths.sort();
                expect.worklets.push((name, position, paths));
            }
            "warning" => {
                let (position, text) = rest.split_once(' ').expect("warning L:C TEXT");
                expect.warnings.push((position.to_owned(), text.to_owned()));
            }
            "module" => {
                let (specifier, file) = rest.split_once(' ').expect("module SPECIFIER FILE");
                expect
                    .modules
                    .push((specifier.to_owned(), file.trim().to_owned()));
            }
            "setup" => expect.setup.push(rest.to_owned()),
            "call" => {
                let (call, expected) = rest.split_once("=>").expect("call ... => EXPECTED");
                let parts: Vec<&str> = call.splitn(3, '|').map(str::trim).collect();
                assert_eq!(parts.len(), 3, "call FUNCTION | RECEIVER | ARGS: {line}");
                expect.calls.push(Call {
                    function: parts[0].to_owned(),
                    receiver: if parts[1].is_empty() {
                        "undefined".into()
                    } else {
                        parts[1].to_owned()
                    },
                    arguments: parts[2].to_owned(),
                    expected: expected.trim().to_owned(),
                });
            }
            other => panic!("unknown expect line {other:?}"),
        }
    }
    expect
}

fn options(file: &str) -> TransformOptions {
    TransformOptions::for_path(file)
}

fn eval(ctx: &Ctx<'_>, code: &str) -> Result<String, String> {
    ctx.eval::<String, _>(code).map_err(|error| match error {
        rquickjs::Error::Exception => {
            let thrown = ctx.catch();
            match thrown.as_exception() {
                Some(exception) => format!(
                    "{}\n{}",
                    exception.message().unwrap_or_default(),
                    exception.stack().unwrap_or_default()
                ),
                None => format!("{thrown:?}"),
            }
        }
        other => other.to_string(),
    })
}

fn module_definition(specifier: &str, transformed: &Transformed) -> String {
    format!(
        "__define({specifier:?}, function (require, module, exports) {{\n{}\n}}); ''",
        transformed.code
    )
}

fn run_case(dir: &Path) -> Result<(), String> {
    let expect =
        parse_expect(&std::fs::read_to_string(dir.join("expect.txt")).map_err(|e| e.to_string())?);
    let input = ["input.js", "input.ts"]
        .into_iter()
        .find(|name| dir.join(name).exists())
        .ok_or("no input.js or input.ts")?;
    let source = std::fs::read_to_string(dir.join(input)).map_err(|e| e.to_string())?;
    let transformed = transform(input, &source, &options(input));
    let context = |message: String| {
        format!(
            "{message}\n--- transformed {input} ---\n{}",
            transformed.code
        )
    };

    // Diagnostics: no error, exactly the expected warnings.
    if transformed.has_errors() {
        return Err(context(format!("errors: {:?}", transformed.diagnostics)));
    }
    let warnings: Vec<String> = transformed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
        .collect();
    for (position, text) in &expect.warnings {
        if !warnings
            .iter()
            .any(|w| w.starts_with(&format!("{position} ")) && w.contains(text.as_str()))
        {
            return Err(context(format!(
                "missing warning {position} {text}; got {warnings:?}"
            )));
        }
    }
    if warnings.len() != expect.warnings.len() {
        return Err(context(format!("unexpected warnings: {warnings:?}")));
    }

    // The JS thread keeps every line of a .js file where it was.
    if input.ends_with(".js") && transformed.code.lines().count() != source.lines().count() {
        return Err(context("the transform moved lines".into()));
    }

    // The captured sets.
    let mut found: Vec<(String, String, Vec<String>)> = worklets(input, &source, &options(input))
        .into_iter()
        .map(|w| (w.name, format!("{}:{}", w.line, w.column), w.captures))
        .collect();
    let mut wanted = expect.worklets.clone();
    found.sort();
    wanted.sort();
    if found != wanted {
        return Err(context(format!(
            "captured sets differ\n  found:    {found:?}\n  expected: {wanted:?}"
        )));
    }

    // Behaviour on both threads.
    let harness = std::fs::read_to_string(dir.parent().ok_or("no parent")?.join("harness.js"))
        .map_err(|e| e.to_string())?;
    let js_runtime = Runtime::new().map_err(|e| e.to_string())?;
    let js_context = Context::full(&js_runtime).map_err(|e| e.to_string())?;
    js_context.with(|ctx| -> Result<(), String> {
        eval(&ctx, &format!("{harness}\n''"))?;
        for (specifier, file) in &expect.modules {
            let text = std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string())?;
            let module = transform(file, &text, &options(file));
            if module.has_errors() {
                return Err(format!("{file}: {:?}", module.diagnostics));
            }
            eval(&ctx, &module_definition(specifier, &module))?;
        }
        eval(&ctx, &module_definition(MAIN, &transformed)).map_err(&context)?;
        eval(
            &ctx,
            &format!("var main = __require({MAIN:?}); var page = __instance('page'); var component = __instance('component'); ''"),
        )
        .map_err(&context)?;
        for setup in &expect.setup {
            eval(&ctx, &format!("{setup}; ''")).map_err(&context)?;
        }
        Ok(())
    })?;
    let locations: Vec<String> = worklets(input, &source, &options(input))
        .iter()
        .map(|w| format!("{input}:{}:{}", w.line, w.column))
        .collect();
    for call in &expect.calls {
        let Call {
            function,
            receiver,
            arguments,
            expected,
        } = call;
        let label = format!("call {function} | {receiver} | {arguments}");
        // Dispatch first: the UI thread gets the captures as they are when
        // the worklet is sent, before the JS-thread call changes anything.
        let js = js_context.with(|ctx| {
            eval(
                &ctx,
                &format!(
                    "(function () {{\
                       var f = ({function}); var receiver = ({receiver});\
                       var packed = __dispatch(f, receiver);\
                       var result = f.apply(receiver, [{arguments}]);\
                       return JSON.stringify({{packed: packed, result: __show(result), expected: __show({expected}), location: f.__location, log: JSON.stringify(__log.splice(0))}});\
                     }})()"
                ),
            )
        });
        let js = js.map_err(|e| context(format!("{label} on the JS thread: {e}")))?;
        let fields = |json: &str, ctx: &Ctx<'_>| -> Result<Vec<String>, String> {
            let keys = ["packed", "result", "expected", "location", "log"];
            keys.iter()
                .map(|key| eval(ctx, &format!("String(JSON.parse({json:?})[{key:?}])")))
                .collect()
        };
        let js_fields = js_context.with(|ctx| fields(&js, &ctx))?;
        let (packed, js_result, expected_shown, location, js_log) = (
            &js_fields[0],
            &js_fields[1],
            &js_fields[2],
            &js_fields[3],
            &js_fields[4],
        );
        if js_result != expected_shown {
            return Err(context(format!(
                "{label}: the JS thread returned {js_result}, expected {expected_shown}"
            )));
        }
        if !locations.contains(location) {
            return Err(context(format!(
                "{label}: __location {location} is none of {locations:?}"
            )));
        }
        // A fresh runtime: nothing is shared with the JS thread's.
        let ui_runtime = Runtime::new().map_err(|e| e.to_string())?;
        let ui_context = Context::full(&ui_runtime).map_err(|e| e.to_string())?;
        let ui = ui_context.with(|ctx| -> Result<(String, String), String> {
            eval(&ctx, &format!("{harness}\n''"))?;
            let out = eval(
                &ctx,
                &format!(
                    "(function () {{\
                       var f = __unpack(JSON.parse({packed:?}));\
                       var result = f.apply(undefined, [{arguments}]);\
                       return JSON.stringify([__show(result), JSON.stringify(__log.splice(0))]);\
                     }})()"
                ),
            )?;
            let result = eval(&ctx, &format!("JSON.parse({out:?})[0]"))?;
            let log = eval(&ctx, &format!("JSON.parse({out:?})[1]"))?;
            Ok((result, log))
        });
        let (ui_result, ui_log) =
            ui.map_err(|e| context(format!("{label} on the UI thread: {e}\npacked: {packed}")))?;
        if &ui_result != expected_shown {
            return Err(context(format!(
                "{label}: the UI thread returned {ui_result}, expected {expected_shown}\npacked: {packed}"
            )));
        }
        if &ui_log != js_log {
            return Err(context(format!(
                "{label}: runOnJS calls differ: JS thread {js_log}, UI thread {ui_log}"
            )));
        }
    }
    Ok(())
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/worklets");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/worklets")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.join("expect.txt").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn worklet_corpus() {
    // `WORKLET_DUMP=<case> cargo test ...` prints what the transform made.
    if let Ok(case) = std::env::var("WORKLET_DUMP") {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/worklets")
            .join(case);
        for file in ["input.js", "input.ts"] {
            if let Ok(source) = std::fs::read_to_string(dir.join(file)) {
                println!("{}", transform(file, &source, &options(file)).code);
            }
        }
    }
    let cases = cases();
    assert!(cases.len() >= 17, "the corpus lost cases: {cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(message) = run_case(case) {
            failures.push(format!("== {}\n{message}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
