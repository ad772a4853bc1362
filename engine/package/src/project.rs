//! The devtools project folder: `project.config.json` merged with
//! `project.private.config.json`, and where the mini program root is.
//!
//! `cirrus run|shot|check DIR` takes either a project folder (with
//! `project.config.json`, whose `miniprogramRoot` names the mini program
//! root) or the mini program root itself (with `app.json`). A root opened
//! directly still gets its project's settings when the folder above it is
//! the project whose `miniprogramRoot` points at it.
//!
//! The devtools merge the two files key by key: the private file's
//! top-level keys win, and `setting` is merged field by field (a private
//! `setting.es6` overrides only that field). Arrays are replaced, not
//! concatenated.

use crate::package::parse_json;
use cirrus_protocol::diagnostics::Diagnostic;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub const PROJECT_CONFIG: &str = "project.config.json";
pub const PRIVATE_CONFIG: &str = "project.private.config.json";

/// One entry of `setting.packNpmRelationList`: where a `package.json`
/// lives and where its `miniprogram_npm/` goes (both relative to the
/// project folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NpmRelation {
    pub package_json_path: String,
    pub miniprogram_npm_dist_dir: String,
}

/// The settings of `project.config.json` that change how a package loads.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectConfig {
    /// The project folder (where `project.config.json` is), when known.
    pub project_dir: Option<PathBuf>,
    /// `miniprogramRoot`, relative to the project folder (`""`: the folder itself).
    pub miniprogram_root: String,
    pub appid: String,
    pub project_name: String,
    pub lib_version: String,
    /// `setting.es6`: ES2015+ is compiled down. Cirrus runs ES2020 natively;
    /// recorded because modules are lowered either way.
    pub es6: bool,
    /// `setting.enhance`: the devtools' enhanced compile (ES modules, async).
    pub enhance: bool,
    /// `setting.compileWorklet`: worklet functions are extracted at load.
    pub compile_worklet: bool,
    /// `setting.useCompilerPlugins`: `typescript`, `less`, `sass`.
    pub compiler_plugins: Vec<String>,
    /// `setting.packNpmManually`.
    pub pack_npm_manually: bool,
    /// `setting.packNpmRelationList`.
    pub pack_npm_relations: Vec<NpmRelation>,
    /// The merged configuration, for keys read elsewhere.
    pub raw: Value,
}

impl Default for ProjectConfig {
    fn default() -> Self {
        ProjectConfig {
            project_dir: None,
            miniprogram_root: String::new(),
            appid: "touristappid".into(),
            project_name: String::new(),
            lib_version: String::new(),
            es6: true,
            enhance: true,
            compile_worklet: false,
            compiler_plugins: Vec::new(),
            pack_npm_manually: false,
            pack_npm_relations: Vec::new(),
            raw: Value::Object(Map::new()),
        }
    }
}

impl ProjectConfig {
    /// Whether `useCompilerPlugins` names `plugin` (`"typescript"`, `"less"`, `"sass"`).
    pub fn uses_plugin(&self, plugin: &str) -> bool {
        self.compiler_plugins.iter().any(|p| p == plugin)
    }

    /// Reads the project configuration of the project folder `dir`.
    /// Missing files give the defaults; malformed ones a diagnostic.
    pub fn read(dir: &Path, diags: &mut Vec<Diagnostic>) -> ProjectConfig {
        let mut merged = read_object(dir, PROJECT_CONFIG, diags).unwrap_or_default();
        if let Some(private) = read_object(dir, PRIVATE_CONFIG, diags) {
            merge_private(&mut merged, private);
        }
        let mut config = ProjectConfig::from_merged(Value::Object(merged), diags);
        config.project_dir = Some(dir.to_path_buf());
        config
    }

    /// Interprets an already-merged configuration object.
    pub fn from_merged(raw: Value, diags: &mut Vec<Diagnostic>) -> ProjectConfig {
        let mut config = ProjectConfig::default();
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        if let Some(root) = text(&raw, "miniprogramRoot") {
            config.miniprogram_root = root.trim_matches('/').trim_start_matches("./").to_owned();
            if config.miniprogram_root.split('/').any(|c| c == "..") {
                diags.push(Diagnostic::error(
                    PROJECT_CONFIG,
                    1,
                    1,
                    format!("`miniprogramRoot` must lie inside the project folder (is \"{root}\")"),
                ));
                config.miniprogram_root.clear();
            }
        }
        if let Some(appid) = text(&raw, "appid").filter(|a| !a.is_empty()) {
            config.appid = appid;
        }
        config.project_name = text(&raw, "projectname").unwrap_or_default();
        config.lib_version = text(&raw, "libVersion").unwrap_or_default();
        if let Some(setting) = raw.get("setting") {
            let flag = |key: &str, default: bool| {
                setting.get(key).and_then(Value::as_bool).unwrap_or(default)
            };
            config.es6 = flag("es6", config.es6);
            config.enhance = flag("enhance", config.enhance);
            config.compile_worklet = flag("compileWorklet", false);
            config.pack_npm_manually = flag("packNpmManually", false);
            config.compiler_plugins = setting
                .get("useCompilerPlugins")
                .and_then(Value::as_array)
                .map(|plugins| {
                    plugins
                        .iter()
                        .filter_map(|p| match p {
                            Value::String(name) => Some(name.clone()),
                            // `["sass", {"option": ...}]`-style entries name the plugin first.
                            Value::Array(pair) => pair.first()?.as_str().map(str::to_owned),
                            _ => None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            config.pack_npm_relations = setting
                .get("packNpmRelationList")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|entry| {
                            Some(NpmRelation {
                                package_json_path: text(entry, "packageJsonPath")?,
                                miniprogram_npm_dist_dir: text(entry, "miniprogramNpmDistDir")?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
        config.raw = raw;
        config
    }
}

/// Where a folder given on the command line puts its mini program.
#[derive(Clone, Debug)]
pub struct Located {
    /// The mini program root (where `app.json` is).
    pub root: PathBuf,
    pub project: ProjectConfig,
}

/// Finds the mini program root and project settings for `dir`: a project
/// folder (with `project.config.json`) or a mini program root.
pub fn locate(dir: &Path, diags: &mut Vec<Diagnostic>) -> Located {
    if dir.join(PROJECT_CONFIG).is_file() {
        let project = ProjectConfig::read(dir, diags);
        let root = if project.miniprogram_root.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(&project.miniprogram_root)
        };
        return Located { root, project };
    }
    // A mini program root opened directly: its project may be one level up.
    if let Some(parent) = dir.parent().filter(|p| p.join(PROJECT_CONFIG).is_file()) {
        let mut quiet = Vec::new();
        let project = ProjectConfig::read(parent, &mut quiet);
        let points_here = !project.miniprogram_root.is_empty()
            && same_dir(&parent.join(&project.miniprogram_root), dir);
        if points_here {
            diags.extend(quiet);
            return Located {
                root: dir.to_path_buf(),
                project,
            };
        }
    }
    Located {
        root: dir.to_path_buf(),
        project: ProjectConfig::default(),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn read_object(dir: &Path, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Map<String, Value>> {
    let text = std::fs::read_to_string(dir.join(name)).ok()?;
    match parse_json(name, &text, diags)? {
        Value::Object(object) => Some(object),
        _ => {
            diags.push(Diagnostic::error(
                name,
                1,
                1,
                format!("{name} must be a JSON object"),
            ));
            None
        }
    }
}

/// The devtools' merge: the private file's keys win; `setting` merges per field.
fn merge_private(base: &mut Map<String, Value>, private: Map<String, Value>) {
    for (key, value) in private {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(base_setting)), Value::Object(private_setting))
                if key == "setting" =>
            {
                for (field, v) in private_setting {
                    base_setting.insert(field, v);
                }
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn private_settings_override_field_by_field() {
        let mut base = json!({
            "miniprogramRoot": "miniprogram/",
            "libVersion": "3.0.0",
            "setting": {"es6": true, "enhance": true, "useCompilerPlugins": ["typescript"]}
        })
        .as_object()
        .cloned()
        .unwrap();
        let private =
            json!({"libVersion": "3.5.0", "setting": {"es6": false, "compileWorklet": true}});
        merge_private(&mut base, private.as_object().cloned().unwrap());
        let mut diags = Vec::new();
        let config = ProjectConfig::from_merged(Value::Object(base), &mut diags);
        assert!(diags.is_empty());
        assert_eq!(config.miniprogram_root, "miniprogram");
        assert_eq!(config.lib_version, "3.5.0");
        assert!(!config.es6 && config.enhance && config.compile_worklet);
        assert!(config.uses_plugin("typescript") && !config.uses_plugin("less"));
    }

    #[test]
    fn npm_relations_and_plugin_pairs_are_read() {
        let raw = json!({"setting": {
            "packNpmManually": true,
            "packNpmRelationList": [{"packageJsonPath": "./package.json", "miniprogramNpmDistDir": "./miniprogram/"}],
            "useCompilerPlugins": ["less", ["sass", {}]]
        }});
        let config = ProjectConfig::from_merged(raw, &mut Vec::new());
        assert!(config.pack_npm_manually);
        assert_eq!(
            config.pack_npm_relations[0].miniprogram_npm_dist_dir,
            "./miniprogram/"
        );
        assert_eq!(config.compiler_plugins, ["less", "sass"]);
    }

    #[test]
    fn a_root_outside_the_project_is_refused() {
        let mut diags = Vec::new();
        let config =
            ProjectConfig::from_merged(json!({"miniprogramRoot": "../elsewhere"}), &mut diags);
        assert_eq!(config.miniprogram_root, "");
        assert_eq!(diags.len(), 1);
    }
}
