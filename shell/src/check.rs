//! `cirrus check`: every diagnostic about a package, without running it.

use cirrus_engine::diagnostics::Diagnostic;
use cirrus_engine::package::Package;

/// Loads every page's WXML (with imports and includes) and WXSS, and
/// compiles every script, collecting all diagnostics.
pub fn check_package(package: &Package) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let read = |path: &str| package.read(path).map(str::to_owned);
    for route in package.routes() {
        let (_, d) = package.page_config(&route);
        out.extend(d);
        let mut group = cirrus_template::TemplateGroup::new();
        for d in group.load_with(&format!("{route}.wxml"), &read) {
            out.push(Diagnostic {
                severity: if d.is_error {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                file: d.file,
                line: d.line,
                column: d.column,
                message: d.message,
            });
        }
        let options = cirrus_style::StyleOptions {
            viewport: Default::default(),
            default_display_block: false,
            default_content_box: false,
            dark_mode: false,
        };
        let (_, style_diags) = cirrus_style::StyleSheets::load(&route, &read, options);
        for d in style_diags {
            out.push(Diagnostic {
                severity: if d.is_error {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                file: d.file,
                line: d.line,
                column: d.column,
                message: d.message,
            });
        }
    }
    out.extend(cirrus_js_bridge::check_scripts(package));
    // app.wxss is loaded by every page: report its findings once.
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    out.dedup();
    out
}
