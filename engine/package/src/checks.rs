//! The checks a package gets at load, so `cirrus check`, `cirrus shot` and
//! an embedding host all see them: every page listed in app.json has its
//! files, every page and component `.json` is an object, and every
//! `usingComponents` entry names a component that exists.
//!
//! They are linear in the package's size (n log n at worst): app.json's
//! positions come from one [`TextIndex`] (a check per route that scanned
//! the text from its start made an `app.json` of 100,000 pages quadratic),
//! file lookups are map lookups, and each component `.json` is read once.

use crate::lenient::Step;
use crate::package::{normalize, resolve_relative, Package};
use crate::text_index::TextIndex;
use cirrus_protocol::diagnostics::Diagnostic;
use serde_json::Value;
use std::collections::HashSet;

/// The extensions that make a path a component (`.js`, its TypeScript
/// source, its template, its configuration), as the logic thread resolves
/// them.
const COMPONENT_EXTENSIONS: [&str; 4] = ["js", "ts", "wxml", "json"];

/// `usingComponents` targets served by WeChat, not by the package: a
/// plugin's components (`plugin://name/comp`) are never in its files.
const PLUGIN_SCHEMES: [&str; 2] = ["plugin://", "plugin-private://"];

/// The component path (no extension) `target` names from `from_file`:
/// relative or package-absolute, then (for bare names) from the package
/// root and `miniprogram_npm/`; `/index` is optional. `None` when no
/// candidate has a file: the rule of the logic thread's component loader,
/// which loads the first candidate that exists.
pub fn find_component(package: &Package, from_file: &str, target: &str) -> Option<String> {
    component_candidates(from_file, target)
        .into_iter()
        .find(|candidate| {
            COMPONENT_EXTENSIONS
                .iter()
                .any(|ext| package.read(&format!("{candidate}.{ext}")).is_some())
        })
}

/// [`find_component`], or, when nothing exists, the path as first
/// resolved (loading it reports the problem).
pub fn resolve_component(package: &Package, from_file: &str, target: &str) -> String {
    find_component(package, from_file, target)
        .unwrap_or_else(|| resolve_relative(from_file, target))
}

/// Where `target` may be, in the order they are tried.
fn component_candidates(from_file: &str, target: &str) -> Vec<String> {
    let explicit = target.starts_with("./") || target.starts_with("../") || target.starts_with('/');
    let mut bases = vec![resolve_relative(from_file, target)];
    if !explicit {
        bases.push(normalize(target));
        bases.push(normalize(&format!("miniprogram_npm/{target}")));
    }
    bases
        .into_iter()
        .flat_map(|base| {
            let index = format!("{base}/index");
            [base, index]
        })
        .collect()
}

/// Runs every load-time check over `package` (app.json already read).
pub(crate) fn check_package(package: &Package, diags: &mut Vec<Diagnostic>) {
    check_pages(package, diags);
    check_configurations(package, diags);
}

/// Every page must have its `.js` (or `.ts`) and `.wxml`; `.json` and
/// `.wxss` are optional. A missing file is reported at the page's entry
/// in app.json: `pages[i]` for the main package's (found through the JSON
/// index, whatever spelling the entry has), the first literal naming the
/// page for a subpackage's.
fn check_pages(package: &Package, diags: &mut Vec<Diagnostic>) {
    let app_json = TextIndex::new(package.read("app.json").unwrap_or_default());
    let main_pages = package.app.pages.len();
    let mut path = String::new();
    for (i, route) in package.routes_ref().iter().enumerate() {
        for ext in ["wxml", "js"] {
            // Routes are normalised package paths already: plain lookups.
            set_path(&mut path, route, ext);
            if package.has_file(&path) {
                continue;
            }
            if ext == "js" {
                set_path(&mut path, route, "ts");
                if package.has_file(&path) {
                    continue;
                }
                set_path(&mut path, route, ext);
            }
            let at = if i < main_pages {
                app_json.offset_of_path(&[Step::key("pages"), Step::Index(i)])
            } else {
                let in_subpackage = route.rsplit_once('/').map_or(route.as_str(), |(_, p)| p);
                app_json
                    .first_literal(route)
                    .or_else(|| app_json.first_literal(in_subpackage))
            };
            let (line, column) = at.map(|at| app_json.line_col(at)).unwrap_or((1, 1));
            diags.push(Diagnostic::error(
                "app.json",
                line,
                column,
                format!("page `{route}` is listed in app.json but {path} is missing"),
            ));
        }
    }
    if package.read("app.js").is_none()
        && package.read("app.ts").is_none()
        && package.read("app.json").is_some()
    {
        diags.push(Diagnostic::error("app.json", 0, 0, "app.js is missing"));
    }
}

/// `path` = `route.ext`, reusing its buffer.
fn set_path(path: &mut String, route: &str, ext: &str) {
    path.clear();
    path.push_str(route);
    path.push('.');
    path.push_str(ext);
}

/// Page and component `.json` files: each must be an object, and each
/// `usingComponents` entry must name a component. Components are followed
/// from app.json and the pages through their own `usingComponents`, each
/// read once.
fn check_configurations(package: &Package, diags: &mut Vec<Diagnostic>) {
    let mut components: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    if let Some(text) = package.read("app.json") {
        if let Value::Object(app) = &package.app.raw {
            let index = TextIndex::new(text);
            check_using(package, "app.json", &index, app, diags, &mut |stem| {
                components.push(stem)
            });
        }
    }
    for route in package.routes_ref() {
        let path = format!("{route}.json");
        let Some(text) = package.file(&path) else {
            continue;
        };
        // A page's syntax errors and typed keys are reported by
        // `Package::page_config`; its shape and components here.
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let index = TextIndex::new(text);
        let Value::Object(object) = &value else {
            diags.push(not_an_object(&path, &index));
            continue;
        };
        check_using(package, &path, &index, object, diags, &mut |stem| {
            components.push(stem)
        });
    }
    while let Some(stem) = components.pop() {
        if !seen.insert(stem.clone()) {
            continue;
        }
        let path = format!("{stem}.json");
        let (_, found) = package.component_config(&stem);
        diags.extend(found);
        let Some(text) = package.read(&path) else {
            continue;
        };
        let Ok(Value::Object(object)) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        let index = TextIndex::new(text);
        check_using(package, &path, &index, &object, diags, &mut |stem| {
            components.push(stem)
        });
    }
}

/// The diagnostic for a configuration file whose value is not an object,
/// at the value's start.
pub(crate) fn not_an_object(path: &str, index: &TextIndex) -> Diagnostic {
    let text = index.text();
    let start = text.len() - text.trim_start().len();
    let (line, column) = index.line_col(start);
    Diagnostic::error(
        path,
        line,
        column,
        format!("{path} must be a JSON object (its value is ignored)"),
    )
}

/// Checks the `usingComponents` of one configuration object; `found`
/// receives each component that exists.
fn check_using(
    package: &Package,
    path: &str,
    index: &TextIndex,
    object: &serde_json::Map<String, Value>,
    diags: &mut Vec<Diagnostic>,
    found: &mut dyn FnMut(String),
) {
    let Some(Value::Object(using)) = object.get("usingComponents") else {
        return;
    };
    for (tag, target) in using {
        // A wrong type is the typed reading's warning (`config`).
        let Some(target) = target.as_str() else {
            continue;
        };
        if PLUGIN_SCHEMES.iter().any(|s| target.starts_with(s)) {
            continue;
        }
        match find_component(package, path, target) {
            Some(stem) => found(stem),
            None => {
                let at = index
                    .offset_of_path(&[Step::key("usingComponents"), Step::key(tag)])
                    .unwrap_or(0);
                let (line, column) = index.line_col(at);
                let stem = resolve_relative(path, target);
                let mut message = format!(
                    "`usingComponents` entry `{tag}`: no component at `{target}` (none of {stem}.js, .ts, .wxml, .json or {stem}/index exists)"
                );
                if let Some(npm) = npm_package_of(target)
                    .filter(|npm| !package.has_files_under(&format!("miniprogram_npm/{npm}")))
                {
                    message.push_str(&format!(
                        "; if it is from npm, `{npm}` is not installed in miniprogram_npm/ (npm install, then build npm)"
                    ));
                }
                diags.push(Diagnostic::error(path, line, column, message));
            }
        }
    }
}

/// The npm package a bare `usingComponents` target would come from
/// (`tdesign-miniprogram/button/button` -> `tdesign-miniprogram`,
/// `@scope/ui/x` -> `@scope/ui`); `None` for relative and absolute paths.
fn npm_package_of(target: &str) -> Option<String> {
    if target.starts_with('.') || target.starts_with('/') {
        return None;
    }
    let mut segments = target.split('/');
    let first = segments.next().filter(|s| !s.is_empty())?;
    if first.starts_with('@') {
        let name = segments.next().filter(|s| !s.is_empty())?;
        return Some(format!("{first}/{name}"));
    }
    Some(first.to_owned())
}
