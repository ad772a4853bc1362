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
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    out.dedup();
    out
}
