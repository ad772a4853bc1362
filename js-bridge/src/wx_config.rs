//! `__wxConfig`: the app configuration the WeChat runtime exposes as a
//! global. Libraries read it (`__wxConfig.envVersion`, `.accountInfo`,
//! `.pages`, `.global.window`, `.darkmode`), so it carries what app.json
//! and project.config.json say, in WeChat's shape.

use cirrus_package::package::Package;
use rquickjs::Ctx;
use serde_json::{json, Value};

/// The `__wxConfig` object of `package`.
pub(crate) fn wx_config(package: &Package) -> Value {
    let app = &package.app;
    let raw = |key: &str| app.raw.get(key).cloned().unwrap_or(Value::Null);
    let subpackages: Vec<Value> = app
        .subpackages
        .iter()
        .map(|sp| json!({"root": sp.root, "pages": sp.pages, "independent": sp.independent}))
        .collect();
    json!({
        "envVersion": "develop",
        "platform": "devtools",
        "appLaunchInfo": {"path": app.pages.first().cloned().unwrap_or_default(), "query": {}, "scene": 1001},
        "accountInfo": {"appId": package.project.appid, "icon": ""},
        "appId": package.project.appid,
        "libVersion": package.project.lib_version,
        "pages": app.pages,
        "entryPagePath": app.pages.first().map(|p| format!("{p}.html")),
        "global": {"window": Value::Object(app.window.raw.clone())},
        "tabBar": app.tab_bar.clone().unwrap_or(Value::Null),
        "subPackages": subpackages,
        "darkmode": app.darkmode,
        "networkTimeout": raw("networkTimeout"),
        "renderer": app.renderer,
        "componentFramework": app.component_framework,
        "lazyCodeLoading": raw("lazyCodeLoading"),
        "useExtendedLib": raw("useExtendedLib"),
    })
}

/// Sets the global `__wxConfig`.
pub(crate) fn install(ctx: &Ctx<'_>, package: &Package) -> rquickjs::Result<()> {
    let text = wx_config(package).to_string();
    let value = ctx.json_parse(text)?;
    ctx.globals().set("__wxConfig", value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cirrus_package::project::ProjectConfig;

    #[test]
    fn carries_the_project_appid_and_the_pages() {
        let project = ProjectConfig {
            appid: "wx123".into(),
            ..ProjectConfig::default()
        };
        let (package, _) = Package::from_project_files(
            project,
            [
                (
                    "app.json",
                    r#"{"pages":["pages/home/home"],"window":{"navigationStyle":"custom"}}"#,
                ),
                ("app.js", "App({})"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string())),
        );
        let config = wx_config(&package);
        assert_eq!(config["accountInfo"]["appId"], "wx123");
        assert_eq!(config["pages"][0], "pages/home/home");
        assert_eq!(config["global"]["window"]["navigationStyle"], "custom");
    }
}
