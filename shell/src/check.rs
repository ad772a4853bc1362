//! `cirrus check`: every diagnostic about a package, without running it.

use cirrus_engine::diagnostics::Diagnostic;
use cirrus_engine::package::Package;

/// Loads every page's configuration, every WXML file (pages, components,
/// templates, with imports and includes), every WXSS file (with app.wxss
/// and imports) and every `.wxs` module (WXS's ES5 subset), and compiles
/// every script, collecting all diagnostics.
pub fn check_package(package: &Package) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let read = |path: &str| package.read(path).map(str::to_owned);
    for route in package.routes() {
        out.extend(package.page_config(&route).1);
    }
    let mut templates = cirrus_template::TemplateGroup::new();
    let options = cirrus_style::StyleOptions::default();
    let paths: Vec<String> = package.paths().map(str::to_owned).collect();
    for path in &paths {
        if path.ends_with(".wxml") && !templates.contains(path) {
            out.extend(
                templates
                    .load_with(path, &read)
                    .into_iter()
                    .map(Diagnostic::from),
            );
        }
        if path.ends_with(".wxs") {
            if let Some(source) = package.read(path) {
                out.extend(cirrus_js_bridge::check_wxs(path, source, 1));
            }
        }
        if let Some(stem) = path.strip_suffix(".wxss").filter(|stem| *stem != "app") {
            let (_, style_diags) = cirrus_style::StyleSheets::load(stem, &read, options);
            out.extend(style_diags.into_iter().map(Diagnostic::from));
        }
    }
    out.extend(cirrus_js_bridge::check_scripts(package));
    // app.wxss and shared imports are loaded many times: report each finding once.
    let used = used_npm_component_folders(package);
    out.retain(|d| !d.file.contains("miniprogram_npm/") || used.contains(folder_of(&d.file)));
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    out.dedup();
    out
}

fn folder_of(path: &str) -> &str {
    path.rsplit_once('/')
        .map(|(folder, _)| folder)
        .unwrap_or("")
}

/// The folders of the npm components the package uses, followed from
/// app.json and every page's `usingComponents` through each component's
/// own. Like the devtools, which pack only the npm components that are
/// used, `cirrus check` reports on the package's own files and on these:
/// a library's other components (a TDesign chat widget nobody uses) are
/// not the author's to fix.
fn used_npm_component_folders(package: &Package) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashSet::new();
    let mut queue: Vec<String> = vec!["app.json".to_owned()];
    queue.extend(
        package
            .routes()
            .into_iter()
            .map(|route| format!("{route}.json")),
    );
    let mut visited_json = std::collections::HashSet::new();
    while let Some(json_path) = queue.pop() {
        if !visited_json.insert(json_path.clone()) {
            continue;
        }
        let Some(text) = package.read(&json_path) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            continue;
        };
        let Some(using) = value.get("usingComponents").and_then(|u| u.as_object()) else {
            continue;
        };
        for target in using.values().filter_map(|v| v.as_str()) {
            let stem = cirrus_js_bridge::resolve_component(package, &json_path, target);
            seen.insert(folder_of(&stem).to_owned());
            queue.push(format!("{stem}.json"));
        }
    }
    seen
}
