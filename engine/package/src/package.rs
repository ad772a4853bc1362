//! Loading a mini program package (<https://developers.weixin.qq.com/miniprogram/dev/framework/structure.html>): the files, `app.json` and
//! page `.json` files (read into types by [`crate::config`], whose public
//! types are re-exported here), the four-file page resolution, extended
//! libraries, and reading sources by package path.
//!
//! Loading never fails on bad input: it returns a [`Package`] plus
//! diagnostics. Only an unreadable root folder is an `Err`.

use crate::compile_cache::CompileCache;
use crate::config;
pub use crate::config::{
    AppConfig, AppStyle, BackgroundTextStyle, ComponentConfig, ComponentFramework,
    NavigationBarTextStyle, NavigationStyle, PageConfig, Renderer, SkylineOptions, StyleIsolation,
    Subpackage, TabBarBorderStyle, ThemeFile, WindowConfig,
};
use crate::lenient::{Problem, Step};
use crate::project::{self, ProjectConfig};
use crate::sandbox::{self, FileKind, Sandbox, MAX_JSON_BYTES};
use crate::style_sources;
use crate::text_index::TextIndex;
use crate::PackageError;
use cirrus_protocol::diagnostics::{line_col_at, Diagnostic};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// path prefix -> the folder's sandbox, for binary reads.
    mounts: Vec<(String, Sandbox)>,
    /// The package folder, for binary reads (`None` for in-memory packages).
    sandbox: Option<Sandbox>,
    /// Every page route (see [`Package::routes`]), computed once.
    routes: Vec<String>,
    /// The same routes, for [`Package::has_page`].
    route_set: HashSet<String>,
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
        let sandbox = Sandbox::package(&root)?;
        let files = collect_text_files(&sandbox, &mut diags);
        let mut pkg = Package {
            root,
            project: located.project,
            app: AppConfig::default(),
            files,
            mounts: Vec::new(),
            sandbox: Some(sandbox),
            routes: Vec::new(),
            route_set: HashSet::new(),
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
            sandbox: None,
            routes: Vec::new(),
            route_set: HashSet::new(),
        };
        pkg.finish_loading(&CompileCache::disabled(), &mut diags);
        (Arc::new(pkg), diags)
    }

    fn finish_loading(&mut self, cache: &CompileCache, diags: &mut Vec<Diagnostic>) {
        let compiled = style_sources::compile_all(&self.project, &self.files, cache, diags);
        self.files.extend(compiled);
        self.app = config::read_app_config(&|path| self.read(path), diags);
        self.routes = all_routes(&self.app);
        self.route_set = self.routes.iter().cloned().collect();
        self.mount_extended_libs(diags);
        crate::checks::check_package(self, diags);
    }

    /// `useExtendedLib`: the devtools make an extended library (WeUI)
    /// resolvable as if it were built into `miniprogram_npm/`. Its files
    /// come from the extended-library folder ([`extended_libs_dir`]) and are
    /// mounted read-only under `miniprogram_npm/NAME/`; the package's own
    /// files win where both exist.
    fn mount_extended_libs(&mut self, diags: &mut Vec<Diagnostic>) {
        let app_json = self.read("app.json").unwrap_or_default().to_owned();
        for name in self.app.use_extended_lib.clone() {
            let name = name.as_str();
            let Some(npm_name) = extended_lib_package(name) else {
                let problem = Problem {
                    path: vec![Step::key("useExtendedLib"), Step::key(name)],
                    message: format!(
                        "useExtendedLib `{name}` is not an extended library Cirrus knows; ignored"
                    ),
                    severity: cirrus_protocol::Severity::Warning,
                };
                diags.push(problem.located("app.json", Some(&app_json)));
                continue;
            };
            let Some(dist) = extended_libs_dir().map(|dir| extended_lib_dist(&dir, npm_name))
            else {
                continue;
            };
            if !dist.is_dir() {
                let mut d = at_value(
                    "app.json",
                    &app_json,
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
            let Ok(lib) = Sandbox::package(&dist) else {
                continue;
            };
            // The library is the host's install, not the mini program's:
            // its own problems are not the author's to fix.
            let lib_files = collect_text_files(&lib, &mut Vec::new());
            let prefix = format!("miniprogram_npm/{npm_name}");
            for (path, text) in lib_files {
                self.files.entry(format!("{prefix}/{path}")).or_insert(text);
            }
            self.mounts.push((prefix, lib));
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

    /// The text file at `path`, which must already be normalised (a
    /// lookup without [`normalize`], for checks that make many).
    pub(crate) fn file(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// Whether the normalised `path` is a text file of the package.
    pub(crate) fn has_file(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Whether any text file lies under the folder `folder` (a package path).
    pub fn has_files_under(&self, folder: &str) -> bool {
        let prefix = format!("{}/", normalize(folder));
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(path, _)| path.starts_with(&prefix))
    }

    /// Every text file path of the package.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Reads a binary file (an image, a font) by package path; `None`
    /// when it is missing or refused (see [`Package::read_binary_checked`]
    /// for why).
    pub fn read_binary(&self, path: &str) -> Option<Vec<u8>> {
        self.read_binary_checked(path).ok()
    }

    /// Reads a binary file by package path through the package's
    /// [`Sandbox`]: inside the package after links, a regular file, within
    /// its kind's size limit. The error says why not, naming `path`.
    pub fn read_binary_checked(&self, path: &str) -> Result<Vec<u8>, PackageError> {
        let rel = normalize(path);
        let kind = FileKind::of(&rel);
        for (prefix, lib) in &self.mounts {
            if let Some(inner) = rel
                .strip_prefix(prefix.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                if let Ok(bytes) = lib.read(inner, kind) {
                    return Ok(bytes);
                }
            }
        }
        let Some(sandbox) = &self.sandbox else {
            return Err(PackageError::Io(
                rel,
                std::io::Error::new(std::io::ErrorKind::NotFound, "not in the package"),
            ));
        };
        sandbox.read(&rel, kind).map_err(|e| match e {
            // Name the file as the mini program wrote it.
            PackageError::Io(_, io) => PackageError::Io(path.to_owned(), io),
            other => other,
        })
    }

    /// Every page route: the main package's, then each subpackage's.
    pub fn routes(&self) -> Vec<String> {
        self.routes.clone()
    }

    /// [`Package::routes`], borrowed.
    pub fn routes_ref(&self) -> &[String] {
        &self.routes
    }

    /// The home page route.
    pub fn home(&self) -> Option<&str> {
        self.app.pages.first().map(String::as_str)
    }

    /// Whether `route` (no extension, no query) names a page of the package.
    pub fn has_page(&self, route: &str) -> bool {
        self.route_set.contains(&normalize(route))
    }

    /// The effective configuration of a page: app.json's, with the page's
    /// json applied over it, and the diagnostics about that json.
    pub fn page_config(&self, route: &str) -> (PageConfig, Vec<Diagnostic>) {
        config::read_page_config(&self.app, route, &|path| self.read(path))
    }

    /// The configuration of the component at `stem` (`components/c/c`):
    /// its `.json`, with the diagnostics about it.
    pub fn component_config(&self, stem: &str) -> (ComponentConfig, Vec<Diagnostic>) {
        config::read_component_config(stem, &|path| self.read(path))
    }
}

/// Every page route of `app`: the main package's, then each subpackage's.
fn all_routes(app: &AppConfig) -> Vec<String> {
    let mut routes = app.pages.clone();
    for sp in &app.subpackages {
        for p in &sp.pages {
            routes.push(format!("{}/{}", sp.root.trim_end_matches('/'), p));
        }
    }
    routes
}

/// Parses JSON, turning a syntax error into a diagnostic at its line and column.
///
/// A text over [`MAX_JSON_BYTES`] is refused (files from disk never get
/// here that large; in-memory packages can). Nesting deeper than
/// serde_json's limit (128 levels; WeChat's configuration nests 4 deep)
/// is reported where the limit is passed.
pub fn parse_json(file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    if text.len() as u64 > MAX_JSON_BYTES {
        let too_large = PackageError::TooLarge {
            path: file.to_owned(),
            size: text.len() as u64,
            limit: MAX_JSON_BYTES,
        };
        diags.push(too_large.diagnostic(file));
        return None;
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => Some(v),
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            diags.push(Diagnostic::error(
                file,
                e.line() as u32,
                e.column() as u32,
                format!("invalid JSON: nested too deeply (more than {JSON_MAX_DEPTH} levels of arrays and objects)"),
            ));
            None
        }
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

/// How deep serde_json lets arrays and objects nest (its fixed
/// recursion limit): 128 levels, where WeChat's own configuration files
/// nest at most 4.
pub const JSON_MAX_DEPTH: usize = 128;

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
/// (One lookup; many go through one [`TextIndex`], as in [`crate::checks`].)
pub(crate) fn at_value(file: &str, text: &str, needle: &str, message: &str) -> Diagnostic {
    let index = TextIndex::new(text);
    let (line, col) = index
        .first_literal(needle)
        .map(|i| index.line_col(i))
        .unwrap_or((1, 1));
    Diagnostic::error(file, line, col, message)
}

/// Normalises a package path (`a/./b/../c` -> `a/c`, no leading `/`):
/// the workspace's one path normaliser, `cirrus_style_lang::paths`.
pub fn normalize(path: &str) -> String {
    cirrus_style_lang::paths::normalize(path)
}

/// Resolves `target` as written in `from_file` (relative or
/// package-absolute), with the same normaliser.
pub fn resolve_relative(from_file: &str, target: &str) -> String {
    cirrus_style_lang::paths::resolve(from_file, target)
}

/// Every text file of the package in `sandbox` (see
/// [`sandbox::walk_package`]), each problem a diagnostic at its file.
fn collect_text_files(sandbox: &Sandbox, diags: &mut Vec<Diagnostic>) -> BTreeMap<String, String> {
    let walked = sandbox::walk_package(sandbox);
    diags.extend(
        walked
            .problems
            .iter()
            .map(|(file, problem)| problem.diagnostic(file)),
    );
    diags.extend(
        walked
            .limits
            .into_iter()
            .map(|(file, message)| Diagnostic::error(file, 0, 0, message)),
    );
    walked.texts
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

    /// The line and column of the first `needle` in `text`.
    fn at(text: &str, needle: &str) -> (u32, u32) {
        line_col_at(text, text.find(needle).expect(needle))
    }

    #[test]
    fn a_wrong_typed_value_is_located_and_the_rest_of_app_json_loads() {
        let app_json = "{\n  \"pages\": [\"pages/a/a\"],\n  \"window\": {\"navigationBarTitleText\": 5, \"backgroundColor\": \"#eeeeee\"},\n  \"tabBar\": {\"borderStyle\": \"red\", \"color\": \"#111111\",\n    \"list\": [{\"pagePath\": \"pages/a/a\"}, {\"pagePath\": \"pages/b/b\"}]},\n  \"usingComponents\": {\"c\": \"/c/c\"}\n}";
        let (p, d) = pkg(&[
            ("app.json", app_json),
            ("app.js", "App({})"),
            ("pages/a/a.wxml", "<view/>"),
            ("pages/a/a.js", "Page({})"),
            ("c/c.js", "Component({})"),
        ]);
        assert_eq!(p.app.window.background_color, "#eeeeee");
        assert_eq!(p.app.window.navigation_bar_title_text, "");
        assert_eq!(p.app.using_components["c"], "/c/c");
        let located: Vec<(u32, u32)> = d.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(
            located,
            [at(app_json, "5,"), at(app_json, "\"red\"")],
            "{d:#?}"
        );
        assert!(d
            .iter()
            .all(|d| d.severity == cirrus_protocol::Severity::Warning));
        assert!(
            d[1].message.contains("`tabBar.borderStyle`"),
            "{}",
            d[1].message
        );

        let (tabs, d) = crate::chrome_layout::TabBarConfig::from_package(&p);
        let tabs = tabs.unwrap();
        assert_eq!(
            (tabs.color.as_str(), tabs.border_style.as_str()),
            ("#111111", "black")
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].message.contains("pages/b/b"));
        assert_eq!((d[0].line, d[0].column), at(app_json, "\"pages/b/b\""));
    }
}
