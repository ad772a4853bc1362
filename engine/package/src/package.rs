//! Loading a mini program package (SPEC §1): `app.json`, page `.json` files,
//! the four-file page resolution, and reading sources by package path.
//!
//! Loading never fails on bad input: it returns a [`Package`] plus
//! diagnostics. Only an unreadable root folder is an `Err`.

use crate::compile_cache::CompileCache;
use crate::json_locate::{locate, JsonStep};
use crate::project::{self, ProjectConfig};
use crate::style_sources;
use crate::PackageError;
use cirrus_protocol::diagnostics::{line_col_at, Diagnostic};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `window` settings (app.json `window`, overridden by a page's json).
#[derive(Clone, Debug, PartialEq)]
pub struct WindowConfig {
    pub navigation_bar_background_color: String,
    pub navigation_bar_text_style: String,
    pub navigation_bar_title_text: String,
    pub navigation_style: String,
    pub background_color: String,
    pub background_text_style: String,
    pub enable_pull_down_refresh: bool,
    pub on_reach_bottom_distance: f64,
    pub disable_scroll: bool,
    /// Every key as written, for keys Cirrus does not interpret yet.
    pub raw: Map<String, Value>,
}

impl Default for WindowConfig {
    fn default() -> Self {
        WindowConfig {
            navigation_bar_background_color: "#000000".into(),
            navigation_bar_text_style: "white".into(),
            navigation_bar_title_text: String::new(),
            navigation_style: "default".into(),
            background_color: "#ffffff".into(),
            background_text_style: "dark".into(),
            enable_pull_down_refresh: false,
            on_reach_bottom_distance: 50.0,
            disable_scroll: false,
            raw: Map::new(),
        }
    }
}

impl WindowConfig {
    /// Applies the keys of a `window` object (or a page json) on top of self.
    fn merge(&mut self, obj: &Map<String, Value>) {
        let s = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        if let Some(v) = s("navigationBarBackgroundColor") {
            self.navigation_bar_background_color = v;
        }
        if let Some(v) = s("navigationBarTextStyle") {
            self.navigation_bar_text_style = v;
        }
        if let Some(v) = s("navigationBarTitleText") {
            self.navigation_bar_title_text = v;
        }
        if let Some(v) = s("navigationStyle") {
            self.navigation_style = v;
        }
        if let Some(v) = s("backgroundColor") {
            self.background_color = v;
        }
        if let Some(v) = s("backgroundTextStyle") {
            self.background_text_style = v;
        }
        if let Some(v) = obj.get("enablePullDownRefresh").and_then(Value::as_bool) {
            self.enable_pull_down_refresh = v;
        }
        if let Some(v) = obj.get("onReachBottomDistance").and_then(Value::as_f64) {
            self.on_reach_bottom_distance = v;
        }
        if let Some(v) = obj.get("disableScroll").and_then(Value::as_bool) {
            self.disable_scroll = v;
        }
        for (k, v) in obj {
            self.raw.insert(k.clone(), v.clone());
        }
    }
}

/// `rendererOptions.skyline` flags that change the default style.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SkylineOptions {
    /// Default `display` is block (and flex-direction row, align-items normal).
    pub default_display_block: bool,
    /// Default `box-sizing` is content-box.
    pub default_content_box: bool,
}

impl SkylineOptions {
    fn merge(&mut self, renderer_options: Option<&Value>) {
        let Some(sky) = renderer_options.and_then(|r| r.get("skyline")) else {
            return;
        };
        if let Some(v) = sky.get("defaultDisplayBlock").and_then(Value::as_bool) {
            self.default_display_block = v;
        }
        if let Some(v) = sky.get("defaultContentBox").and_then(Value::as_bool) {
            self.default_content_box = v;
        }
    }
}

/// One entry of `subpackages`.
#[derive(Clone, Debug, PartialEq)]
pub struct Subpackage {
    pub root: String,
    pub pages: Vec<String>,
    pub independent: bool,
}

/// The parsed `app.json`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AppConfig {
    /// Main-package page routes in order; the first is the home page.
    pub pages: Vec<String>,
    pub subpackages: Vec<Subpackage>,
    pub window: WindowConfig,
    pub using_components: BTreeMap<String, String>,
    pub renderer: String,
    pub component_framework: String,
    pub skyline: SkylineOptions,
    pub tab_bar: Option<Value>,
    /// `darkmode`: the app follows the system theme.
    pub darkmode: bool,
    /// The file named by `themeLocation`: `@name` values of `window`,
    /// `tabBar` and page configurations are looked up in it.
    pub theme: Option<ThemeFile>,
    /// The whole file, for keys read elsewhere (networkTimeout, ...).
    pub raw: Value,
}

/// The variables of a `themeLocation` file (`{"light": {...}, "dark": {...}}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeFile {
    pub light: Map<String, Value>,
    pub dark: Map<String, Value>,
}

impl ThemeFile {
    fn vars(&self, dark: bool) -> &Map<String, Value> {
        if dark {
            &self.dark
        } else {
            &self.light
        }
    }

    /// `value` with every `"@name"` string replaced by the theme's value
    /// (unknown names stay as written, as the devtools leave them).
    pub fn resolve(&self, value: &Value, dark: bool) -> Value {
        match value {
            Value::String(text) => text
                .strip_prefix('@')
                .and_then(|name| self.vars(dark).get(name))
                .cloned()
                .unwrap_or_else(|| value.clone()),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.resolve(v, dark)).collect())
            }
            Value::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(k, v)| (k.clone(), self.resolve(v, dark)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

impl AppConfig {
    /// The configuration under the light or dark theme: `window` and
    /// `tabBar` with their `@variables` resolved. Without `darkmode` or a
    /// theme file it is the configuration as loaded.
    pub fn for_theme(&self, dark: bool) -> AppConfig {
        let Some(theme) = self.theme.as_ref().filter(|_| self.darkmode) else {
            return self.clone();
        };
        let mut themed = self.clone();
        themed.window = WindowConfig::default();
        if let Some(Value::Object(window)) = self.raw.get("window").map(|w| theme.resolve(w, dark))
        {
            themed.window.merge(&window);
        }
        themed.tab_bar = self.raw.get("tabBar").map(|t| theme.resolve(t, dark));
        themed
    }
}

/// A page's effective configuration: app.json merged with the page's json.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageConfig {
    pub window: WindowConfig,
    /// app-level `usingComponents` plus the page's own (the page's win).
    pub using_components: BTreeMap<String, String>,
    pub renderer: String,
    pub skyline: SkylineOptions,
    pub raw: Value,
}

/// A loaded package. Sources are read once at load and kept in memory, so
/// every thread can share the package (it is immutable) through an `Arc`.
#[derive(Debug, Default)]
pub struct Package {
    /// The mini program root (where `app.json` is).
    pub root: PathBuf,
    /// The devtools project settings (defaults when there is no project file).
    pub project: ProjectConfig,
    pub app: AppConfig,
    /// Text files of the package by normalised package path (`pages/a/a.wxml`).
    files: BTreeMap<String, String>,
    /// Folders mounted into the package (extended libraries): package
    /// path prefix -> folder on disk, for binary reads.
    mounts: Vec<(String, PathBuf)>,
}

/// The npm package behind an `useExtendedLib` key.
fn extended_lib_package(name: &str) -> Option<&'static str> {
    match name {
        "weui" => Some("weui-miniprogram"),
        _ => None,
    }
}

/// Where extended libraries are installed: `$CIRRUS_EXTENDED_LIBS`, else
/// `extended-libs/` in the cache root (scripts/setup installs them there
/// from npm, as the devtools download them on demand).
pub fn extended_libs_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CIRRUS_EXTENDED_LIBS").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    crate::compile_cache::user_cache_root().map(|root| root.join("extended-libs"))
}

/// The mini program dist folder of `npm_name` installed under `dir`.
pub fn extended_lib_dist(dir: &Path, npm_name: &str) -> PathBuf {
    dir.join("node_modules")
        .join(npm_name)
        .join("miniprogram_dist")
}

/// The extensions that are read eagerly as text.
const TEXT_EXTENSIONS: &[&str] = &[
    "json", "js", "wxml", "wxss", "wxs", "ts", "less", "scss", "sass",
];

impl Package {
    /// Loads the package in `dir`: a devtools project folder (its
    /// `project.config.json` names the mini program root) or a mini program
    /// root. Returns diagnostics for every missing or malformed file; only
    /// an unreadable folder is an error.
    pub fn load(dir: &Path) -> Result<(Arc<Package>, Vec<Diagnostic>), PackageError> {
        Package::load_with(dir, &CompileCache::from_env())
    }

    /// [`Package::load`] with an explicit cache for compiled styles.
    pub fn load_with(
        dir: &Path,
        cache: &CompileCache,
    ) -> Result<(Arc<Package>, Vec<Diagnostic>), PackageError> {
        let meta =
            std::fs::metadata(dir).map_err(|e| PackageError::Io(dir.display().to_string(), e))?;
        if !meta.is_dir() {
            return Err(PackageError::NotAPackage(dir.display().to_string()));
        }
        let mut diags = Vec::new();
        let located = project::locate(dir, &mut diags);
        let root = located.root;
        if !root.is_dir() {
            return Err(PackageError::NotAPackage(root.display().to_string()));
        }
        let mut files = BTreeMap::new();
        collect_text_files(&root, &root, &mut files, &mut diags);
        let mut pkg = Package {
            root,
            project: located.project,
            app: AppConfig::default(),
            files,
            mounts: Vec::new(),
        };
        pkg.finish_loading(cache, &mut diags);
        Ok((Arc::new(pkg), diags))
    }

    /// Builds a package with project settings from in-memory files (tests).
    pub fn from_project_files(
        project: ProjectConfig,
        files: impl IntoIterator<Item = (String, String)>,
    ) -> (Arc<Package>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let files: BTreeMap<String, String> =
            files.into_iter().map(|(k, v)| (normalize(&k), v)).collect();
        let mut pkg = Package {
            root: PathBuf::new(),
            project,
            app: AppConfig::default(),
            files,
            mounts: Vec::new(),
        };
        pkg.finish_loading(&CompileCache::disabled(), &mut diags);
        (Arc::new(pkg), diags)
    }

    fn finish_loading(&mut self, cache: &CompileCache, diags: &mut Vec<Diagnostic>) {
        let compiled = style_sources::compile_all(&self.project, &self.files, cache, diags);
        self.files.extend(compiled);
        self.app = self.parse_app_json(diags);
        self.mount_extended_libs(diags);
        self.check_pages(diags);
    }

    /// `useExtendedLib`: the devtools make an extended library (WeUI)
    /// resolvable as if it were built into `miniprogram_npm/`. Its files
    /// come from the extended-library folder ([`extended_libs_dir`]) and are
    /// mounted read-only under `miniprogram_npm/NAME/`; the package's own
    /// files win where both exist.
    fn mount_extended_libs(&mut self, diags: &mut Vec<Diagnostic>) {
        let Some(Value::Object(libs)) = self.app.raw.get("useExtendedLib") else {
            return;
        };
        let enabled: Vec<&str> = libs
            .iter()
            .filter(|(_, v)| !matches!(v, Value::Bool(false) | Value::Null))
            .map(|(name, _)| name.as_str())
            .collect();
        for name in enabled {
            let Some(npm_name) = extended_lib_package(name) else {
                diags.push(Diagnostic::warning(
                    "app.json",
                    1,
                    1,
                    format!(
                        "useExtendedLib `{name}` is not an extended library Cirrus knows; ignored"
                    ),
                ));
                continue;
            };
            let Some(dist) = extended_libs_dir().map(|dir| extended_lib_dist(&dir, npm_name))
            else {
                continue;
            };
            if !dist.is_dir() {
                let text = self.read("app.json").unwrap_or_default();
                let mut d = at_value(
                    "app.json",
                    text,
                    name,
                    &format!(
                        "useExtendedLib `{name}`: the {npm_name} library is not installed in {} (scripts/setup installs it)",
                        dist.display()
                    ),
                );
                d.severity = cirrus_protocol::Severity::Warning;
                diags.push(d);
                continue;
            }
            let mut lib_files = BTreeMap::new();
            collect_text_files(&dist, &dist, &mut lib_files, &mut Vec::new());
            let prefix = format!("miniprogram_npm/{npm_name}");
            for (path, text) in lib_files {
                self.files.entry(format!("{prefix}/{path}")).or_insert(text);
            }
            self.mounts.push((prefix, dist));
        }
    }

    /// The script of a page, component or the app named by `stem`
    /// (`pages/a/a`, `app`): `stem.js`, else `stem.ts` (a TypeScript
    /// source with no `.js` beside it).
    pub fn script_of(&self, stem: &str) -> Option<String> {
        let stem = normalize(stem);
        ["js", "ts"]
            .into_iter()
            .map(|ext| format!("{stem}.{ext}"))
            .find(|path| self.files.contains_key(path))
    }

    /// Builds a package from in-memory files (tests, fixtures).
    pub fn from_files(
        files: impl IntoIterator<Item = (String, String)>,
    ) -> (Arc<Package>, Vec<Diagnostic>) {
        Package::from_project_files(ProjectConfig::default(), files)
    }

    /// A text source by package path (`pages/a/a.wxml`, `/utils/x.js`).
    pub fn read(&self, path: &str) -> Option<&str> {
        self.files.get(&normalize(path)).map(String::as_str)
    }

    /// Every text file path of the package.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Reads a binary file (an image, a font) by package path.
    pub fn read_binary(&self, path: &str) -> Option<Vec<u8>> {
        let rel = normalize(path);
        if rel.split('/').any(|c| c == "..") {
            return None;
        }
        for (prefix, dir) in &self.mounts {
            if let Some(inner) = rel
                .strip_prefix(prefix.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                if let Ok(bytes) = std::fs::read(dir.join(inner)) {
                    return Some(bytes);
                }
            }
        }
        std::fs::read(self.root.join(rel)).ok()
    }

    /// Every page route: the main package's, then each subpackage's.
    pub fn routes(&self) -> Vec<String> {
        let mut r = self.app.pages.clone();
        for sp in &self.app.subpackages {
            for p in &sp.pages {
                r.push(format!("{}/{}", sp.root.trim_end_matches('/'), p));
            }
        }
        r
    }

    /// The home page route.
    pub fn home(&self) -> Option<&str> {
        self.app.pages.first().map(String::as_str)
    }

    /// Whether `route` (no extension, no query) names a page of the package.
    pub fn has_page(&self, route: &str) -> bool {
        let route = normalize(route);
        self.routes().contains(&route)
    }

    /// The effective configuration of a page.
    pub fn page_config(&self, route: &str) -> (PageConfig, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut cfg = PageConfig {
            window: self.app.window.clone(),
            using_components: self.app.using_components.clone(),
            renderer: self.app.renderer.clone(),
            skyline: self.app.skyline,
            raw: Value::Null,
        };
        let path = format!("{}.json", normalize(route));
        if let Some(text) = self.read(&path) {
            let parsed = parse_json(&path, text, &mut diags);
            let parsed = match (&self.app.theme, self.app.darkmode) {
                (Some(theme), true) => parsed.map(|v| theme.resolve(&v, false)),
                _ => parsed,
            };
            if let Some(Value::Object(obj)) = parsed {
                cfg.window.merge(&obj);
                if let Some(Value::Object(uc)) = obj.get("usingComponents") {
                    for (k, v) in uc {
                        if let Some(s) = v.as_str() {
                            cfg.using_components.insert(k.clone(), s.to_owned());
                        }
                    }
                }
                if let Some(r) = obj.get("renderer").and_then(Value::as_str) {
                    cfg.renderer = r.to_owned();
                }
                cfg.skyline.merge(obj.get("rendererOptions"));
                if cfg.renderer == "skyline" {
                    if let Some(style) = obj
                        .get("navigationStyle")
                        .and_then(Value::as_str)
                        .filter(|s| *s != "custom")
                    {
                        let (line, col) = locate(text, &[JsonStep::Key("navigationStyle")])
                            .map(|i| line_col_at(text, i))
                            .unwrap_or((1, 1));
                        diags.push(Diagnostic::warning(
                            &path,
                            line,
                            col,
                            format!("the \"navigationStyle\" configuration for the page should be set to \"custom\" on Skyline (is \"{style}\")"),
                        ));
                    }
                }
                cfg.raw = Value::Object(obj);
            }
        }
        (cfg, diags)
    }

    fn parse_app_json(&self, diags: &mut Vec<Diagnostic>) -> AppConfig {
        let mut app = AppConfig {
            renderer: "webview".into(),
            component_framework: "exparser".into(),
            ..Default::default()
        };
        let Some(text) = self.read("app.json") else {
            diags.push(Diagnostic::error("app.json", 0, 0, "app.json is missing"));
            return app;
        };
        let Some(value) = parse_json("app.json", text, diags) else {
            return app;
        };
        let Value::Object(obj) = &value else {
            diags.push(Diagnostic::error(
                "app.json",
                1,
                1,
                "app.json must be a JSON object",
            ));
            return app;
        };
        let value_at = |path: &[JsonStep], message: &str| {
            let (line, col) = locate(text, path)
                .map(|i| line_col_at(text, i))
                .unwrap_or((1, 1));
            Diagnostic::error("app.json", line, col, message)
        };
        match obj.get("pages") {
            Some(Value::Array(pages)) => {
                for (i, p) in pages.iter().enumerate() {
                    match p.as_str() {
                        Some(s) => app.pages.push(normalize(s)),
                        None => diags.push(value_at(
                            &[JsonStep::Key("pages"), JsonStep::Index(i)],
                            "every entry of `pages` must be a page path string",
                        )),
                    }
                }
                if pages.is_empty() {
                    diags.push(value_at(
                        &[JsonStep::Key("pages")],
                        "`pages` must name at least one page",
                    ));
                }
            }
            Some(_) => diags.push(value_at(
                &[JsonStep::Key("pages")],
                "`pages` must be an array of page paths",
            )),
            None => diags.push(Diagnostic::error(
                "app.json",
                1,
                1,
                "app.json has no `pages`",
            )),
        }
        let subs = obj.get("subpackages").or_else(|| obj.get("subPackages"));
        if let Some(Value::Array(subs)) = subs {
            for sp in subs {
                let root = sp.get("root").and_then(Value::as_str).unwrap_or_default();
                let pages = sp
                    .get("pages")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(normalize).collect())
                    .unwrap_or_default();
                let independent = sp
                    .get("independent")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                app.subpackages.push(Subpackage {
                    root: normalize(root),
                    pages,
                    independent,
                });
            }
        }
        if let Some(Value::Object(w)) = obj.get("window") {
            app.window.merge(w);
        }
        if let Some(Value::Object(uc)) = obj.get("usingComponents") {
            for (k, v) in uc {
                if let Some(s) = v.as_str() {
                    app.using_components.insert(k.clone(), s.to_owned());
                }
            }
        }
        if let Some(r) = obj.get("renderer").and_then(Value::as_str) {
            app.renderer = r.to_owned();
        }
        if let Some(r) = obj.get("componentFramework").and_then(Value::as_str) {
            app.component_framework = r.to_owned();
        }
        app.skyline.merge(obj.get("rendererOptions"));
        app.tab_bar = obj.get("tabBar").cloned();
        app.darkmode = obj
            .get("darkmode")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(location) = obj.get("themeLocation").and_then(Value::as_str) {
            app.theme = self.read_theme(location, text, diags);
        }
        app.raw = value.clone();
        // The system theme is light unless a host says otherwise (`for_theme`).
        app.for_theme(false)
    }

    /// Reads the `themeLocation` file.
    fn read_theme(
        &self,
        location: &str,
        app_json: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<ThemeFile> {
        let path = normalize(location);
        let Some(text) = self.read(&path) else {
            diags.push(at_value(
                "app.json",
                app_json,
                location,
                &format!("themeLocation `{location}` is missing"),
            ));
            return None;
        };
        let value = parse_json(&path, text, diags)?;
        let section = |name: &str| match value.get(name) {
            Some(Value::Object(vars)) => vars.clone(),
            _ => Map::new(),
        };
        Some(ThemeFile {
            light: section("light"),
            dark: section("dark"),
        })
    }

    /// Every page must have its `.js` and `.wxml`; `.json`/`.wxss` are optional.
    fn check_pages(&self, diags: &mut Vec<Diagnostic>) {
        let text = self.read("app.json").unwrap_or_default();
        for route in self.routes() {
            for ext in ["wxml", "js"] {
                let path = format!("{route}.{ext}");
                if self.read(&path).is_none()
                    && !(ext == "js" && self.read(&format!("{route}.ts")).is_some())
                {
                    let mut d = at_value(
                        "app.json",
                        text,
                        &route,
                        &format!("page `{route}` has no {path}"),
                    );
                    d.message =
                        format!("page `{route}` is listed in app.json but {path} is missing");
                    diags.push(d);
                }
            }
        }
        if self.read("app.js").is_none()
            && self.read("app.ts").is_none()
            && self.read("app.json").is_some()
        {
            diags.push(Diagnostic::error("app.js", 0, 0, "app.js is missing"));
        }
    }
}

/// Parses JSON, turning a syntax error into a diagnostic at its line and column.
pub fn parse_json(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let (mut line, mut col) = (e.line() as u32, e.column() as u32);
            if e.to_string().contains("trailing comma") {
                // serde_json reports the bracket after the comma; point at the comma.
                if let Some(at) = offset_of(text, line, col) {
                    if let Some(comma) = text[..at].rfind(|c: char| !c.is_whitespace()) {
                        (line, col) = line_col_at(text, comma);
                    }
                }
            }
            diags.push(Diagnostic::error(
                file,
                line,
                col,
                format!("invalid JSON: {e}"),
            ));
            None
        }
    }
}

/// The byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: u32, col: u32) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let rest = &text[start..];
    let skip = (col as usize).saturating_sub(1);
    Some(
        start
            + rest
                .char_indices()
                .nth(skip)
                .map(|(i, _)| i)
                .unwrap_or(rest.len()),
    )
}

/// A diagnostic at the first occurrence of the string literal `"needle"`.
fn at_value(file: &str, text: &str, needle: &str, message: &str) -> Diagnostic {
    let quoted = format!("\"{needle}\"");
    let (line, col) = text
        .find(&quoted)
        .map(|i| line_col_at(text, i))
        .unwrap_or((1, 1));
    Diagnostic::error(file, line, col, message)
}

/// Normalises a package path: `/a/b`, `./a/b` and `a\\b` become `a/b`.
pub fn normalize(path: &str) -> String {
    let p = path.replace('\\', "/");
    let mut out: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.join("/")
}

/// Resolves `target` as written in `from_file` (relative or package-absolute).
pub fn resolve_relative(from_file: &str, target: &str) -> String {
    if target.starts_with('/') {
        return normalize(target);
    }
    let dir = match normalize(from_file).rsplit_once('/') {
        Some((d, _)) => d.to_owned(),
        None => String::new(),
    };
    normalize(&format!("{dir}/{target}"))
}

fn collect_text_files(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_text_files(root, &path, out, diags);
            continue;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !TEXT_EXTENSIONS.contains(&ext) {
            continue;
        }
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => {
                    out.insert(rel, s);
                }
                Err(e) => {
                    diags.push(Diagnostic::error(
                        &rel,
                        0,
                        0,
                        format!("not valid UTF-8: {e}"),
                    ));
                    out.insert(rel, String::from_utf8_lossy(e.as_bytes()).into_owned());
                }
            },
            Err(e) => diags.push(Diagnostic::error(&rel, 0, 0, format!("cannot read: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(files: &[(&str, &str)]) -> (Arc<Package>, Vec<Diagnostic>) {
        Package::from_files(files.iter().map(|(a, b)| (a.to_string(), b.to_string())))
    }

    #[test]
    fn page_json_overrides_window() {
        let (p, d) = pkg(&[
            (
                "app.json",
                r##"{"pages":["pages/a/a"],"window":{"navigationBarTitleText":"App","backgroundColor":"#eee"},
              "rendererOptions":{"skyline":{"defaultDisplayBlock":true}}}"##,
            ),
            ("app.js", "App({})"),
            ("pages/a/a.wxml", "<view/>"),
            ("pages/a/a.js", "Page({})"),
            (
                "pages/a/a.json",
                r#"{"navigationBarTitleText":"A","rendererOptions":{"skyline":{"defaultContentBox":true}}}"#,
            ),
        ]);
        assert!(d.is_empty(), "{d:?}");
        let (cfg, d) = p.page_config("pages/a/a");
        assert!(d.is_empty());
        assert_eq!(cfg.window.navigation_bar_title_text, "A");
        assert_eq!(cfg.window.background_color, "#eee");
        assert!(cfg.skyline.default_display_block && cfg.skyline.default_content_box);
    }

    #[test]
    fn malformed_app_json_points_at_line_and_column() {
        let (_, d) = pkg(&[("app.json", "{\n  \"pages\": [\"a\",]\n}"), ("app.js", "")]);
        assert_eq!(d[0].file, "app.json");
        assert_eq!(d[0].line, 2);
        assert!(d[0].column > 1);
    }

    #[test]
    fn missing_page_file_is_reported_at_its_entry() {
        let (_, d) = pkg(&[
            ("app.json", "{\n\"pages\": [\n  \"pages/x/x\"\n]}"),
            ("app.js", "App({})"),
        ]);
        assert!(
            d.iter()
                .any(|d| d.message.contains("pages/x/x.wxml") && d.line == 3 && d.column == 3),
            "{d:?}"
        );
    }

    #[test]
    fn paths_normalise() {
        assert_eq!(normalize("/a/./b//c"), "a/b/c");
        assert_eq!(
            resolve_relative("pages/a/a.wxss", "../../common.wxss"),
            "common.wxss"
        );
        assert_eq!(resolve_relative("pages/a/a.wxss", "/x.wxss"), "x.wxss");
    }
}
