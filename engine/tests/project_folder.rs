//! Opening a devtools project folder: `project.config.json` and its
//! private file, `miniprogramRoot`, app.json keys read or ignored on
//! purpose, and `themeLocation` variables.

use cirrus_engine::compile_cache::CompileCache;
use cirrus_engine::package::Package;
use std::path::{Path, PathBuf};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("cirrus-project-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_app(dir: &TempDir, root: &str, app_json: &str) {
    dir.write(&format!("{root}app.json"), app_json);
    dir.write(&format!("{root}app.js"), "App({})");
    dir.write(&format!("{root}pages/home/home.wxml"), "<view>home</view>");
    dir.write(&format!("{root}pages/home/home.js"), "Page({})");
}

fn load(dir: &Path) -> (std::sync::Arc<Package>, Vec<cirrus_engine::Diagnostic>) {
    Package::load_with(dir, &CompileCache::disabled()).unwrap()
}

#[test]
fn a_project_folder_opens_its_miniprogram_root_with_private_settings() {
    let dir = TempDir::new("root");
    dir.write(
        "project.config.json",
        r#"{"miniprogramRoot": "miniprogram/", "appid": "wx0123456789", "libVersion": "3.0.0",
            "setting": {"es6": true, "enhance": true, "useCompilerPlugins": ["typescript", "less"]}}"#,
    );
    dir.write(
        "project.private.config.json",
        r#"{"libVersion": "3.4.0", "setting": {"compileWorklet": true}}"#,
    );
    write_app(&dir, "miniprogram/", r#"{"pages": ["pages/home/home"]}"#);

    let (package, diags) = load(&dir.0);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(package.root.ends_with("miniprogram"));
    assert_eq!(package.home(), Some("pages/home/home"));
    assert_eq!(package.project.appid, "wx0123456789");
    assert_eq!(
        package.project.lib_version, "3.4.0",
        "the private file wins"
    );
    assert!(package.project.compile_worklet && package.project.enhance);
    assert!(package.project.uses_plugin("less"));

    // The mini program root opened directly still finds its project.
    let (direct, diags) = load(&dir.0.join("miniprogram"));
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(direct.project.appid, "wx0123456789");
}

#[test]
fn a_missing_miniprogram_root_is_a_diagnostic_not_a_crash() {
    let dir = TempDir::new("missing-root");
    dir.write("project.config.json", r#"{"miniprogramRoot": "src/"}"#);
    assert!(Package::load_with(&dir.0, &CompileCache::disabled()).is_err());
    dir.write("project.config.json", "{\"miniprogramRoot\": ");
    write_app(&dir, "", r#"{"pages": ["pages/home/home"]}"#);
    let (_, diags) = load(&dir.0);
    assert!(
        diags
            .iter()
            .any(|d| d.file == "project.config.json" && d.line == 1),
        "{diags:?}"
    );
}

#[test]
fn app_json_keys_for_the_devtools_are_accepted_without_errors() {
    let dir = TempDir::new("keys");
    write_app(
        &dir,
        "",
        r#"{
          "pages": ["pages/home/home"],
          "subPackages": [{"root": "packageA", "name": "a", "pages": ["pages/cat/cat"], "independent": true}],
          "preloadRule": {"pages/home/home": {"network": "all", "packages": ["packageA"]}},
          "lazyCodeLoading": "requiredComponents",
          "useExtendedLib": {"kbone": true},
          "resizable": true,
          "style": "v2",
          "sitemapLocation": "sitemap.json",
          "workers": "workers",
          "renderer": "skyline",
          "componentFramework": "glass-easel"
        }"#,
    );
    dir.write("packageA/pages/cat/cat.wxml", "<view/>");
    dir.write("packageA/pages/cat/cat.js", "Page({})");
    let (package, diags) = load(&dir.0);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    assert_eq!(
        package.routes(),
        ["pages/home/home", "packageA/pages/cat/cat"]
    );
    assert!(package.app.subpackages[0].independent);
    // An extended library Cirrus does not know is a warning, named.
    assert!(
        diags.iter().any(|d| d.message.contains("kbone")),
        "{diags:?}"
    );
}

#[test]
fn theme_variables_resolve_for_light_and_dark() {
    let dir = TempDir::new("theme");
    write_app(
        &dir,
        "",
        r##"{
          "pages": ["pages/home/home"],
          "darkmode": true,
          "themeLocation": "theme.json",
          "window": {"navigationBarBackgroundColor": "@navBg", "navigationBarTextStyle": "@navText"},
          "tabBar": {"color": "@tabColor", "list": [{"pagePath": "pages/home/home", "text": "Home", "iconPath": "@homeIcon"}]}
        }"##,
    );
    dir.write(
        "theme.json",
        r##"{"light": {"navBg": "#ffffff", "navText": "black", "tabColor": "#333333", "homeIcon": "icons/home.png", "pageBg": "#f5f5f5"},
             "dark": {"navBg": "#191919", "navText": "white", "tabColor": "#eeeeee", "homeIcon": "icons/home-dark.png", "pageBg": "#000000"}}"##,
    );
    dir.write("pages/home/home.json", r#"{"backgroundColor": "@pageBg"}"#);
    let (package, diags) = load(&dir.0);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        package.app.window.navigation_bar_background_color,
        "#ffffff"
    );
    assert_eq!(
        package.app.tab_bar.as_ref().unwrap()["list"][0]["iconPath"],
        "icons/home.png"
    );
    let (page, _) = package.page_config("pages/home/home");
    assert_eq!(page.window.background_color, "#f5f5f5");

    let dark = package.app.for_theme(true);
    assert_eq!(dark.window.navigation_bar_background_color, "#191919");
    assert_eq!(dark.window.navigation_bar_text_style, "white");
    assert_eq!(dark.tab_bar.as_ref().unwrap()["color"], "#eeeeee");
}
