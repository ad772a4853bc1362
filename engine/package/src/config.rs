//! The configuration files of a mini program as types: app.json, a page's
//! or a component's `.json`, `window`, `tabBar` and the `themeLocation`
//! file; and what the rest of the workspace reads from them
//! ([`AppConfig`], [`PageConfig`], [`WindowConfig`], [`ComponentConfig`]).
//!
//! Two layers:
//! - the `*File` types mirror a file key for key: `#[derive(Deserialize)]`
//!   with WeChat's camelCase keys, every field a [`Lenient`] (a wrong value
//!   is ignored with a located warning, the rest of the file still loads,
//!   see [`crate::lenient`]), closed sets of values as enums. Keys they do
//!   not name are accepted and ignored, as WeChat ignores them
//!   (`preloadRule`, `workers`, `sitemapLocation`...);
//! - the `*Config` types are what callers read: WeChat's defaults filled
//!   in, a page's keys applied over app.json's `window`, `@name` theme
//!   variables resolved.
//!
//! Theme variables: with `darkmode` and a `themeLocation` file, `window`,
//! `tabBar` and the page files are resolved (light or dark) *before* they
//! are read as types, so `"navigationBarTextStyle": "@navText"` is checked
//! as the `black` or `white` it stands for. A problem in a value that came
//! from a variable is reported where the variable is defined in the theme
//! file ([`locate`]); app.json's sections are checked under both themes at
//! load.

use crate::chrome_layout::TabBarPosition;
use crate::lenient::{from_value, invalid, Lenient, Problem, Step};
use crate::package::{at_value, normalize, parse_json};
use crate::text_index::TextIndex;
use cirrus_protocol::diagnostics::Diagnostic;
use cirrus_protocol::Severity;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// A closed set of string values: a derived `Deserialize` (an unknown
/// value is a located warning naming the allowed ones), `Serialize` as
/// written, and comparisons with `&str` so code that compared the strings
/// these fields used to be keeps compiling.
macro_rules! closed_set {
    (
        $(#[$meta:meta])*
        pub enum $name:ident expecting $expecting:literal {
            $($(#[$variant_meta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
        #[serde(expecting = $expecting)]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $text)] $variant,)+
        }

        impl $name {
            /// The value as written in the file.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

closed_set! {
    /// `navigationStyle`: `custom` hides the navigation bar (the page draws its own).
    #[derive(Default)]
    pub enum NavigationStyle expecting "`default` or `custom`" {
        #[default]
        Default = "default",
        Custom = "custom",
    }
}

closed_set! {
    /// `navigationBarTextStyle`: the colour of the title and back arrow.
    #[derive(Default)]
    pub enum NavigationBarTextStyle expecting "`white` or `black`" {
        #[default]
        White = "white",
        Black = "black",
    }
}

closed_set! {
    /// `backgroundTextStyle`: the pull-down loading dots.
    #[derive(Default)]
    pub enum BackgroundTextStyle expecting "`dark` or `light`" {
        #[default]
        Dark = "dark",
        Light = "light",
    }
}

closed_set! {
    /// `renderer` of app.json or a page.
    #[derive(Default)]
    pub enum Renderer expecting "`webview` or `skyline`" {
        #[default]
        Webview = "webview",
        Skyline = "skyline",
    }
}

closed_set! {
    /// `componentFramework`.
    #[derive(Default)]
    pub enum ComponentFramework expecting "`exparser` or `glass-easel`" {
        #[default]
        Exparser = "exparser",
        GlassEasel = "glass-easel",
    }
}

closed_set! {
    /// app.json `style`: `v2` is the newer component style (the only value).
    pub enum AppStyle expecting "`v2`" {
        V2 = "v2",
    }
}

closed_set! {
    /// app.json `lazyCodeLoading` (read for `__wxConfig`; one value).
    pub enum LazyCodeLoading expecting "`requiredComponents`" {
        RequiredComponents = "requiredComponents",
    }
}

closed_set! {
    /// `tabBar.borderStyle`: the colour of the bar's border line.
    #[derive(Default)]
    pub enum TabBarBorderStyle expecting "`black` or `white`" {
        #[default]
        Black = "black",
        White = "white",
    }
}

closed_set! {
    /// A component's `styleIsolation`.
    pub enum StyleIsolation expecting "a style isolation (`isolated`, `apply-shared`, `shared`, `page-isolated`, `page-apply-shared`, `page-shared`)" {
        Isolated = "isolated",
        ApplyShared = "apply-shared",
        Shared = "shared",
        PageIsolated = "page-isolated",
        PageApplyShared = "page-apply-shared",
        PageShared = "page-shared",
    }
}

// ---------------------------------------------------------------------
// What callers read.

/// `window` settings (app.json `window`, overridden by a page's json).
#[derive(Clone, Debug, PartialEq)]
pub struct WindowConfig {
    pub navigation_bar_background_color: String,
    pub navigation_bar_text_style: NavigationBarTextStyle,
    pub navigation_bar_title_text: String,
    pub navigation_style: NavigationStyle,
    pub background_color: String,
    pub background_text_style: BackgroundTextStyle,
    pub enable_pull_down_refresh: bool,
    pub on_reach_bottom_distance: f64,
    pub disable_scroll: bool,
    /// Every key as written (theme variables resolved), for keys Cirrus
    /// does not interpret yet; `__wxConfig.global.window` is this.
    pub raw: Map<String, Value>,
}

impl Default for WindowConfig {
    fn default() -> Self {
        WindowConfig {
            navigation_bar_background_color: "#000000".into(),
            navigation_bar_text_style: NavigationBarTextStyle::White,
            navigation_bar_title_text: String::new(),
            navigation_style: NavigationStyle::Default,
            background_color: "#ffffff".into(),
            background_text_style: BackgroundTextStyle::Dark,
            enable_pull_down_refresh: false,
            on_reach_bottom_distance: 50.0,
            disable_scroll: false,
            raw: Map::new(),
        }
    }
}

impl WindowConfig {
    /// Applies the valid keys of `file` over self (a page over app.json):
    /// a missing or invalid key keeps the value below it.
    fn apply(&mut self, file: WindowFile) {
        fn set<T>(slot: &mut T, value: Lenient<T>) {
            if let Some(value) = value.0 {
                *slot = value;
            }
        }
        set(
            &mut self.navigation_bar_background_color,
            file.navigation_bar_background_color,
        );
        set(
            &mut self.navigation_bar_text_style,
            file.navigation_bar_text_style,
        );
        set(
            &mut self.navigation_bar_title_text,
            file.navigation_bar_title_text,
        );
        set(&mut self.navigation_style, file.navigation_style);
        set(&mut self.background_color, file.background_color);
        set(&mut self.background_text_style, file.background_text_style);
        set(
            &mut self.enable_pull_down_refresh,
            file.enable_pull_down_refresh,
        );
        set(
            &mut self.on_reach_bottom_distance,
            file.on_reach_bottom_distance,
        );
        set(&mut self.disable_scroll, file.disable_scroll);
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
    fn apply(&mut self, file: Lenient<RendererOptionsFile>) {
        let Some(sky) = file.0.and_then(|options| options.skyline.0) else {
            return;
        };
        if let Some(v) = sky.default_display_block.0 {
            self.default_display_block = v;
        }
        if let Some(v) = sky.default_content_box.0 {
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
    pub renderer: Renderer,
    pub component_framework: ComponentFramework,
    pub skyline: SkylineOptions,
    /// `tabBar` as written, theme variables resolved (see
    /// [`crate::chrome_layout::TabBarConfig`] for its typed form).
    pub tab_bar: Option<Value>,
    /// `darkmode`: the app follows the system theme.
    pub darkmode: bool,
    /// The file named by `themeLocation`: `@name` values of `window`,
    /// `tabBar` and page configurations are looked up in it.
    pub theme: Option<ThemeFile>,
    /// `useExtendedLib`: the names switched on, in name order.
    pub use_extended_lib: Vec<String>,
    /// `style`.
    pub style: Option<AppStyle>,
    /// The whole file as written, for keys read elsewhere (networkTimeout, ...).
    pub raw: Value,
}

impl AppConfig {
    /// The configuration under the light or dark theme: `window` and
    /// `tabBar` with their `@variables` resolved. Without `darkmode` or a
    /// theme file it is the configuration as loaded.
    pub fn for_theme(&self, dark: bool) -> AppConfig {
        let Some(theme) = self.active_theme() else {
            return self.clone();
        };
        let mut themed = self.clone();
        // Problems were reported at load, for both themes.
        let (window, tab_bar, _) = themed_sections(&self.raw, Some(theme), dark);
        themed.window = window;
        themed.tab_bar = tab_bar;
        themed
    }

    /// The theme file, when `darkmode` says to use it.
    fn active_theme(&self) -> Option<&ThemeFile> {
        self.theme.as_ref().filter(|_| self.darkmode)
    }
}

/// The variables of a `themeLocation` file (`{"light": {...}, "dark": {...}}`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ThemeFile {
    /// The file's package path (where diagnostics about its values point).
    pub path: String,
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

    /// The variable a `"@name"` string stands for, if the theme has it.
    fn variable(&self, value: &Value, dark: bool) -> Option<(&str, &Value)> {
        let name = value.as_str()?.strip_prefix('@')?;
        self.vars(dark)
            .get_key_value(name)
            .map(|(k, v)| (k.as_str(), v))
    }

    /// `value` with every `"@name"` string replaced by the theme's value
    /// (unknown names stay as written, as the devtools leave them).
    pub fn resolve(&self, value: &Value, dark: bool) -> Value {
        match value {
            Value::String(_) => self
                .variable(value, dark)
                .map(|(_, v)| v.clone())
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

/// A page's effective configuration: app.json merged with the page's json.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageConfig {
    pub window: WindowConfig,
    /// app-level `usingComponents` plus the page's own (the page's win).
    pub using_components: BTreeMap<String, String>,
    pub renderer: Renderer,
    pub skyline: SkylineOptions,
    /// The page's json as written (theme variables resolved); `null` when
    /// the page has none.
    pub raw: Value,
}

/// A component's `.json` (a page's json is read by [`PageConfig`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComponentConfig {
    /// `component: true`.
    pub component: bool,
    /// `usingComponents` as written (tag -> path, not resolved).
    pub using_components: BTreeMap<String, String>,
    /// `componentGenerics`: generic name -> its `default` component, if any.
    pub component_generics: BTreeMap<String, Option<String>>,
    /// `componentPlaceholder`: tag -> the tag shown until it loads.
    pub component_placeholder: BTreeMap<String, String>,
    pub style_isolation: Option<StyleIsolation>,
    /// The file as written; `null` when there is none.
    pub raw: Value,
}

// ---------------------------------------------------------------------
// The files as written.

/// app.json, but for `window` and `tabBar`, which are read apart
/// ([`themed_sections`]) because theme variables are resolved first.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct AppFile {
    pages: Lenient<PageList>,
    subpackages: Lenient<Vec<Lenient<SubpackageFile>>>,
    /// The older spelling; two fields rather than a serde alias, as an
    /// alias makes a file that has both a "duplicate field" error, which
    /// would fail the whole file.
    #[serde(rename = "subPackages")]
    sub_packages: Lenient<Vec<Lenient<SubpackageFile>>>,
    using_components: Lenient<BTreeMap<String, Lenient<String>>>,
    renderer: Lenient<Renderer>,
    component_framework: Lenient<ComponentFramework>,
    renderer_options: Lenient<RendererOptionsFile>,
    darkmode: Lenient<bool>,
    theme_location: Lenient<String>,
    use_extended_lib: Lenient<BTreeMap<String, Lenient<bool>>>,
    style: Lenient<AppStyle>,
    // Read elsewhere from `AppConfig::raw` (`__wxConfig`, wx.request);
    // typed here so a wrong value is reported.
    #[allow(dead_code)]
    lazy_code_loading: Lenient<LazyCodeLoading>,
    #[allow(dead_code)]
    network_timeout: Lenient<NetworkTimeoutFile>,
}

/// `pages`: the page routes. Its own `Deserialize` keeps the errors (not
/// warnings: an app without pages cannot start) and the wording
/// `cirrus check` has always given (`fixtures/bad-input`).
#[derive(Debug, Default)]
struct PageList(Vec<String>);

impl<'de> Deserialize<'de> for PageList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match &value {
            Value::Array(items) if items.is_empty() => Err(invalid(
                "`pages` must name at least one page",
                Severity::Error,
            )),
            Value::Array(_) => {
                let entries: Vec<Lenient<PagePath>> =
                    Deserialize::deserialize(crate::lenient::Tracked(&value))
                        .map_err(serde::de::Error::custom)?;
                Ok(PageList(
                    entries
                        .into_iter()
                        .filter_map(|e| e.0)
                        .map(|p| p.0)
                        .collect(),
                ))
            }
            _ => Err(invalid(
                "`pages` must be an array of page paths",
                Severity::Error,
            )),
        }
    }
}

/// One entry of `pages`, normalised.
#[derive(Debug)]
struct PagePath(String);

impl<'de> Deserialize<'de> for PagePath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(path) => Ok(PagePath(normalize(&path))),
            _ => Err(invalid(
                "every entry of `pages` must be a page path string",
                Severity::Error,
            )),
        }
    }
}

/// One entry of `subpackages`. `root` is required: without it the pages
/// have nowhere to be, so the entry is dropped (with a warning).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", expecting = "a subpackage object")]
struct SubpackageFile {
    root: String,
    #[serde(default)]
    pages: Lenient<Vec<Lenient<String>>>,
    #[serde(default)]
    independent: Lenient<bool>,
}

/// `window`, or the window keys of a page's json.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct WindowFile {
    navigation_bar_background_color: Lenient<String>,
    navigation_bar_text_style: Lenient<NavigationBarTextStyle>,
    navigation_bar_title_text: Lenient<String>,
    navigation_style: Lenient<NavigationStyle>,
    background_color: Lenient<String>,
    background_text_style: Lenient<BackgroundTextStyle>,
    enable_pull_down_refresh: Lenient<bool>,
    on_reach_bottom_distance: Lenient<f64>,
    disable_scroll: Lenient<bool>,
}

/// `rendererOptions`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, expecting = "an object")]
struct RendererOptionsFile {
    skyline: Lenient<SkylineFile>,
}

/// `rendererOptions.skyline` (other keys, such as `disableABTest`, ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct SkylineFile {
    default_display_block: Lenient<bool>,
    default_content_box: Lenient<bool>,
}

/// `networkTimeout`, in milliseconds.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
#[allow(dead_code)]
struct NetworkTimeoutFile {
    request: Lenient<u64>,
    connect_socket: Lenient<u64>,
    upload_file: Lenient<u64>,
    download_file: Lenient<u64>,
}

/// app.json `tabBar`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
pub(crate) struct TabBarFile {
    pub color: Lenient<String>,
    pub selected_color: Lenient<String>,
    pub background_color: Lenient<String>,
    pub border_style: Lenient<TabBarBorderStyle>,
    pub position: Lenient<TabBarPosition>,
    pub custom: Lenient<bool>,
    pub list: Lenient<Vec<Lenient<TabBarItemFile>>>,
}

/// One entry of `tabBar.list`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
pub(crate) struct TabBarItemFile {
    pub page_path: Lenient<String>,
    pub text: Lenient<String>,
    pub icon_path: Lenient<String>,
    pub selected_icon_path: Lenient<String>,
}

/// The keys of a page's json besides the window keys (read by
/// [`WindowFile`] from the same object).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct PageKeys {
    using_components: Lenient<BTreeMap<String, Lenient<String>>>,
    renderer: Lenient<Renderer>,
    renderer_options: Lenient<RendererOptionsFile>,
}

/// A component's json.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct ComponentFile {
    component: Lenient<bool>,
    using_components: Lenient<BTreeMap<String, Lenient<String>>>,
    component_generics: Lenient<BTreeMap<String, Lenient<GenericFile>>>,
    component_placeholder: Lenient<BTreeMap<String, Lenient<String>>>,
    style_isolation: Lenient<StyleIsolation>,
}

/// One entry of `componentGenerics`: `true`, or `{"default": "path"}`.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "`true` or an object with a `default` component path"
)]
enum GenericFile {
    /// `true`: a generic with no default (the value itself is not used).
    Flag(#[allow(dead_code)] bool),
    Spec {
        #[serde(default)]
        default: Option<String>,
    },
}

/// The `themeLocation` file.
#[derive(Debug, Default, Deserialize)]
#[serde(default, expecting = "an object with `light` and `dark` variables")]
struct ThemeJson {
    light: Lenient<Map<String, Value>>,
    dark: Lenient<Map<String, Value>>,
}

/// `usingComponents` (or any map of strings) with its valid entries.
fn string_map(map: Lenient<BTreeMap<String, Lenient<String>>>) -> BTreeMap<String, String> {
    map.0
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k, v.0?)))
        .collect()
}

// ---------------------------------------------------------------------
// Reading.

/// A configuration file as written, to locate its problems.
struct Written<'a> {
    file: &'a str,
    /// The text, indexed once for all the problems located in it.
    index: TextIndex<'a>,
    /// The parsed file before theme variables were resolved.
    value: &'a Value,
}

/// The theme a file was resolved with, to locate problems in values that
/// came from its variables.
struct ThemeUsed<'a> {
    theme: &'a ThemeFile,
    text: Option<&'a str>,
    dark: bool,
}

/// Where `problem` lies in the files as written: at the value in
/// `written`, or, when the value (or one above it) was a `"@name"` the
/// theme replaced, at the variable's definition in the theme file.
fn locate(problem: &Problem, written: &Written, theme: Option<&ThemeUsed>) -> Diagnostic {
    if let Some(used) = theme {
        let mut value = Some(written.value);
        for (depth, step) in problem.path.iter().enumerate() {
            let Some(current) = value else {
                break;
            };
            if let Some((name, _)) = used.theme.variable(current, used.dark) {
                return theme_problem(problem, used, name, depth);
            }
            value = match step {
                Step::Key(key) => current.get(key),
                Step::Index(index) => current.get(index),
            };
        }
        if let Some((name, _)) = value.and_then(|v| used.theme.variable(v, used.dark)) {
            return theme_problem(problem, used, name, problem.path.len());
        }
    }
    problem.located_in(written.file, &written.index)
}

/// `problem` moved to the definition of the theme variable `name`, which
/// stood at `depth` of its path.
fn theme_problem(problem: &Problem, used: &ThemeUsed, name: &str, depth: usize) -> Diagnostic {
    let section = if used.dark { "dark" } else { "light" };
    let mut path = vec![Step::key(section), Step::key(name)];
    path.extend(problem.path[depth..].iter().cloned());
    let moved = Problem {
        path,
        message: format!(
            "{} (from `@{name}` in {})",
            problem.message, used.theme.path
        ),
        severity: problem.severity,
    };
    moved.located(&used.theme.path, used.text)
}

/// `window` and `tabBar` of app.json (`raw`) under a theme: the window,
/// the resolved `tabBar`, and the problems of both.
fn themed_sections(
    raw: &Value,
    theme: Option<&ThemeFile>,
    dark: bool,
) -> (WindowConfig, Option<Value>, Vec<Problem>) {
    let resolve = |v: &Value| match theme {
        Some(theme) => theme.resolve(v, dark),
        None => v.clone(),
    };
    let mut window = WindowConfig::default();
    let mut problems = Vec::new();
    if let Some(written) = raw.get("window").filter(|v| !v.is_null()) {
        let resolved = resolve(written);
        let (file, found) = from_value::<WindowFile>(&resolved, &[Step::key("window")]);
        window.apply(file);
        if let Value::Object(keys) = resolved {
            window.raw = keys;
        }
        problems.extend(found);
    }
    let tab_bar = raw.get("tabBar").map(resolve);
    if let Some(tab_bar) = tab_bar.as_ref().filter(|v| !v.is_null()) {
        let (_, found) = from_value::<TabBarFile>(tab_bar, &[Step::key("tabBar")]);
        problems.extend(found);
    }
    (window, tab_bar, problems)
}

/// Reads `tabBar` (as resolved in [`AppConfig::tab_bar`]); its problems
/// were reported when the package loaded.
pub(crate) fn tab_bar_file(tab_bar: &Value) -> TabBarFile {
    from_value::<TabBarFile>(tab_bar, &[Step::key("tabBar")]).0
}

/// Reads app.json with `read` (package path -> text).
pub(crate) fn read_app_config<'a>(
    read: &dyn Fn(&str) -> Option<&'a str>,
    diags: &mut Vec<Diagnostic>,
) -> AppConfig {
    let mut app = AppConfig::default();
    let Some(text) = read("app.json") else {
        diags.push(Diagnostic::error("app.json", 0, 0, "app.json is missing"));
        return app;
    };
    let Some(value) = parse_json("app.json", text, diags) else {
        return app;
    };
    if !value.is_object() {
        diags.push(Diagnostic::error(
            "app.json",
            1,
            1,
            "app.json must be a JSON object",
        ));
        return app;
    }
    if value.get("pages").is_none_or(Value::is_null) {
        diags.push(Diagnostic::error(
            "app.json",
            1,
            1,
            "app.json has no `pages`",
        ));
    }
    let written = Written {
        file: "app.json",
        index: TextIndex::new(text),
        value: &value,
    };
    let (file, problems) = from_value::<AppFile>(&value, &[]);
    diags.extend(problems.iter().map(|p| locate(p, &written, None)));

    app.pages = file.pages.0.map(|p| p.0).unwrap_or_default();
    // `subpackages` wins over the older `subPackages` when both are written.
    let subpackages = file.subpackages.0.or(file.sub_packages.0);
    app.subpackages = subpackages
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.0)
        .map(|sp| Subpackage {
            root: normalize(&sp.root),
            pages: sp
                .pages
                .0
                .into_iter()
                .flatten()
                .filter_map(|p| p.0)
                .map(|p| normalize(&p))
                .collect(),
            independent: sp.independent.0.unwrap_or(false),
        })
        .collect();
    app.using_components = string_map(file.using_components);
    app.renderer = file.renderer.0.unwrap_or_default();
    app.component_framework = file.component_framework.0.unwrap_or_default();
    app.skyline.apply(file.renderer_options);
    app.darkmode = file.darkmode.0.unwrap_or(false);
    app.use_extended_lib = file
        .use_extended_lib
        .0
        .into_iter()
        .flatten()
        .filter(|(_, on)| on.0 == Some(true))
        .map(|(name, _)| name)
        .collect();
    app.style = file.style.0;
    if let Some(location) = file.theme_location.0 {
        app.theme = read_theme(&location, text, read, diags);
    }

    // The system theme is light unless a host says otherwise
    // (`for_theme`); the dark sections are checked now too, so a bad
    // dark variable is reported before anyone switches to it.
    let theme = app.active_theme();
    let theme_text = theme.and_then(|t| read(&t.path));
    let (window, tab_bar, problems) = themed_sections(&value, theme, false);
    let used = theme.map(|theme| ThemeUsed {
        theme,
        text: theme_text,
        dark: false,
    });
    diags.extend(problems.iter().map(|p| locate(p, &written, used.as_ref())));
    if let Some(theme) = theme {
        let (_, _, problems) = themed_sections(&value, Some(theme), true);
        let used = ThemeUsed {
            theme,
            text: theme_text,
            dark: true,
        };
        // A value not from a variable is the same in both themes: each
        // finding once (a set, so a long `tabBar.list` stays linear).
        let mut reported: std::collections::HashSet<String> =
            diags.iter().map(Diagnostic::to_string).collect();
        for problem in &problems {
            let d = locate(problem, &written, Some(&used));
            if reported.insert(d.to_string()) {
                diags.push(d);
            }
        }
    }
    app.window = window;
    app.tab_bar = tab_bar;
    app.raw = value;
    app
}

/// Reads the `themeLocation` file.
fn read_theme<'a>(
    location: &str,
    app_json: &str,
    read: &dyn Fn(&str) -> Option<&'a str>,
    diags: &mut Vec<Diagnostic>,
) -> Option<ThemeFile> {
    let path = normalize(location);
    let Some(text) = read(&path) else {
        diags.push(at_value(
            "app.json",
            app_json,
            location,
            &format!("themeLocation `{location}` is missing"),
        ));
        return None;
    };
    let value = parse_json(&path, text, diags)?;
    let (file, problems) = from_value::<ThemeJson>(&value, &[]);
    let written = Written {
        file: &path,
        index: TextIndex::new(text),
        value: &value,
    };
    diags.extend(problems.iter().map(|p| locate(p, &written, None)));
    Some(ThemeFile {
        light: file.light.0.unwrap_or_default(),
        dark: file.dark.0.unwrap_or_default(),
        path,
    })
}

/// A page's configuration: `app`'s, with the page's json (`{route}.json`,
/// if `read` has it) applied over it.
pub(crate) fn read_page_config<'a>(
    app: &AppConfig,
    route: &str,
    read: &dyn Fn(&str) -> Option<&'a str>,
) -> (PageConfig, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut cfg = PageConfig {
        window: app.window.clone(),
        using_components: app.using_components.clone(),
        renderer: app.renderer,
        skyline: app.skyline,
        raw: Value::Null,
    };
    let path = format!("{}.json", normalize(route));
    let Some(text) = read(&path) else {
        return (cfg, diags);
    };
    let Some(value) = parse_json(&path, text, &mut diags) else {
        return (cfg, diags);
    };
    let written = Written {
        file: &path,
        index: TextIndex::new(text),
        value: &value,
    };
    if !value.is_object() {
        // Reported when the package loads (`crate::checks`), so `check`
        // and `shot` both see it once.
        return (cfg, diags);
    }
    // A page's json is resolved with the light theme: the page is built
    // once, when the system theme is light (as app.json's sections are).
    let theme = app.active_theme();
    let resolved = match theme {
        Some(theme) => theme.resolve(&value, false),
        None => value.clone(),
    };
    let theme_text = theme.and_then(|t| read(&t.path));
    let used = theme.map(|theme| ThemeUsed {
        theme,
        text: theme_text,
        dark: false,
    });
    let (window, window_problems) = from_value::<WindowFile>(&resolved, &[]);
    let (keys, key_problems) = from_value::<PageKeys>(&resolved, &[]);
    diags.extend(
        window_problems
            .iter()
            .chain(&key_problems)
            .map(|p| locate(p, &written, used.as_ref())),
    );
    let page_navigation_style = window.navigation_style.0;
    cfg.window.apply(window);
    if let Value::Object(keys) = &resolved {
        cfg.window
            .raw
            .extend(keys.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    cfg.using_components
        .extend(string_map(keys.using_components));
    if let Some(renderer) = keys.renderer.0 {
        cfg.renderer = renderer;
    }
    cfg.skyline.apply(keys.renderer_options);
    if cfg.renderer == Renderer::Skyline {
        if let Some(style) = page_navigation_style.filter(|s| *s != NavigationStyle::Custom) {
            let problem = Problem {
                path: vec![Step::key("navigationStyle")],
                message: format!(
                    "the \"navigationStyle\" configuration for the page should be set to \"custom\" on Skyline (is \"{style}\")"
                ),
                severity: Severity::Warning,
            };
            diags.push(locate(&problem, &written, used.as_ref()));
        }
    }
    cfg.raw = resolved;
    (cfg, diags)
}

/// A component's configuration from `{stem}.json` (defaults when there is
/// none).
pub(crate) fn read_component_config<'a>(
    stem: &str,
    read: &dyn Fn(&str) -> Option<&'a str>,
) -> (ComponentConfig, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut config = ComponentConfig {
        raw: Value::Null,
        ..ComponentConfig::default()
    };
    let path = format!("{}.json", normalize(stem));
    let Some(text) = read(&path) else {
        return (config, diags);
    };
    let Some(value) = parse_json(&path, text, &mut diags) else {
        return (config, diags);
    };
    let written = Written {
        file: &path,
        index: TextIndex::new(text),
        value: &value,
    };
    if !value.is_object() {
        diags.push(crate::checks::not_an_object(&path, &written.index));
        return (config, diags);
    }
    let (file, problems) = from_value::<ComponentFile>(&value, &[]);
    diags.extend(problems.iter().map(|p| locate(p, &written, None)));
    config.component = file.component.0.unwrap_or(false);
    config.using_components = string_map(file.using_components);
    config.component_generics = file
        .component_generics
        .0
        .into_iter()
        .flatten()
        .filter_map(|(name, spec)| {
            let default = match spec.0? {
                GenericFile::Flag(_) => None,
                GenericFile::Spec { default } => default,
            };
            Some((name, default))
        })
        .collect();
    config.component_placeholder = string_map(file.component_placeholder);
    config.style_isolation = file.style_isolation.0;
    config.raw = value;
    (config, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader<'a>(files: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + 'a {
        move |path: &str| files.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
    }

    #[test]
    fn a_wrong_typed_field_is_a_located_warning_and_the_rest_loads() {
        let app_json = "{\n  \"pages\": [\"pages/a/a\"],\n  \"window\": {\n    \"navigationBarTitleText\": 42,\n    \"navigationBarBackgroundColor\": \"#123456\",\n    \"navigationStyle\": \"floating\"\n  },\n  \"darkmode\": \"yes\",\n  \"renderer\": \"skyline\"\n}";
        let files = [("app.json", app_json)];
        let mut diags = Vec::new();
        let app = read_app_config(&reader(&files), &mut diags);
        assert_eq!(app.pages, ["pages/a/a"]);
        assert_eq!(app.renderer, Renderer::Skyline);
        assert_eq!(app.window.navigation_bar_background_color, "#123456");
        assert_eq!(app.window.navigation_bar_title_text, "");
        assert_eq!(app.window.navigation_style, NavigationStyle::Default);
        assert!(!app.darkmode);
        let at: Vec<(u32, u32, Severity)> = diags
            .iter()
            .map(|d| (d.line, d.column, d.severity))
            .collect();
        assert_eq!(
            at,
            [
                (8, 15, Severity::Warning),
                (4, 31, Severity::Warning),
                (6, 24, Severity::Warning)
            ],
            "{diags:#?}"
        );
        assert!(
            diags[1]
                .message
                .contains("`window.navigationBarTitleText`: invalid type: integer `42`"),
            "{}",
            diags[1].message
        );
        assert!(
            diags[2]
                .message
                .contains("unknown variant `floating`, expected `default` or `custom`"),
            "{}",
            diags[2].message
        );
    }

    #[test]
    fn a_page_json_value_of_the_wrong_type_points_at_the_value() {
        let files = [
            ("app.json", r#"{"pages":["pages/a/a"],"window":{"navigationBarTitleText":"App"}}"#),
            (
                "pages/a/a.json",
                "{\n  \"navigationBarTitleText\": [\"A\"],\n  \"backgroundColor\": \"#eeeeee\",\n  \"usingComponents\": {\"x\": \"/x\", \"y\": 1}\n}",
            ),
        ];
        let mut diags = Vec::new();
        let app = read_app_config(&reader(&files), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let (page, diags) = read_page_config(&app, "pages/a/a", &reader(&files));
        assert_eq!(
            page.window.navigation_bar_title_text, "App",
            "app's value kept"
        );
        assert_eq!(page.window.background_color, "#eeeeee");
        assert_eq!(page.using_components.len(), 1);
        let at: Vec<(&str, u32, u32)> = diags
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            at,
            [("pages/a/a.json", 2, 29), ("pages/a/a.json", 4, 39)],
            "{diags:#?}"
        );
    }

    #[test]
    fn a_bad_theme_value_is_reported_at_its_variable() {
        let app_json = r##"{"pages":["pages/a/a"],"darkmode":true,"themeLocation":"theme.json",
            "window":{"navigationBarTextStyle":"@text","navigationBarBackgroundColor":"@bg"}}"##;
        let theme = "{\n  \"light\": {\"text\": \"black\", \"bg\": \"#ffffff\"},\n  \"dark\": {\"text\": \"grey\", \"bg\": \"#000000\"}\n}";
        let files = [("app.json", app_json), ("theme.json", theme)];
        let mut diags = Vec::new();
        let app = read_app_config(&reader(&files), &mut diags);
        assert_eq!(
            app.window.navigation_bar_text_style,
            NavigationBarTextStyle::Black
        );
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(
            (diags[0].file.as_str(), diags[0].line, diags[0].column),
            ("theme.json", 3, 20)
        );
        assert!(diags[0].message.contains("`@text`"), "{}", diags[0].message);
        let dark = app.for_theme(true);
        assert_eq!(dark.window.navigation_bar_background_color, "#000000");
        assert_eq!(
            dark.window.navigation_bar_text_style,
            NavigationBarTextStyle::White,
            "the bad dark value falls back to the default"
        );
    }

    #[test]
    fn component_json_is_read_into_its_type() {
        let files = [(
            "components/c/c.json",
            r#"{"component": true, "usingComponents": {"x": "../x/x"},
                "componentGenerics": {"item": true, "cell": {"default": "../cell/cell"}},
                "styleIsolation": "apply-shared", "componentPlaceholder": {"x": "view"}}"#,
        )];
        let (config, diags) = read_component_config("components/c/c", &reader(&files));
        assert!(diags.is_empty(), "{diags:?}");
        assert!(config.component);
        assert_eq!(config.style_isolation, Some(StyleIsolation::ApplyShared));
        assert_eq!(config.component_generics["item"], None);
        assert_eq!(
            config.component_generics["cell"].as_deref(),
            Some("../cell/cell")
        );
        assert_eq!(config.component_placeholder["x"], "view");
        let (_, diags) =
            read_component_config("c", &reader(&[("c.json", r#"{"styleIsolation": "open"}"#)]));
        assert_eq!((diags[0].line, diags[0].column), (1, 20), "{diags:?}");
    }

    #[test]
    fn closed_sets_compare_with_the_strings_they_were() {
        assert!(NavigationStyle::Custom == "custom");
        assert!(NavigationBarTextStyle::Black != "white");
        assert_eq!(Renderer::Skyline.to_string(), "skyline");
        assert_eq!(
            serde_json::to_value(ComponentFramework::GlassEasel).unwrap(),
            "glass-easel"
        );
    }
}
