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
//!
//! Each file is read on its own into `ProjectFile`, a
//! `#[derive(Deserialize)]` type whose fields are all [`Lenient`] (see
//! [`crate::lenient`]): a wrong value is ignored with a warning at its
//! line and column in the file it is written in, and the rest loads. The
//! two are then merged as types by the rule above; a value that is wrong in
//! the private file counts as not written there, so the public file's
//! value stands. `ProjectConfig::raw` is the JSON merge, for keys read
//! elsewhere.

use crate::lenient::{from_value, invalid, Lenient, Problem, Step};
use crate::package::parse_json;
use crate::sandbox::{FileKind, Sandbox};
use crate::PackageError;
use cirrus_protocol::diagnostics::Diagnostic;
use cirrus_protocol::Severity;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub const PROJECT_CONFIG: &str = "project.config.json";
pub const PRIVATE_CONFIG: &str = "project.private.config.json";

/// One entry of `setting.packNpmRelationList`: where a `package.json`
/// lives and where its `miniprogram_npm/` goes (both relative to the
/// project folder). Both keys are required: an entry without one is
/// dropped with a warning.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", expecting = "an object")]
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

/// One project file as written (either of the two). Keys Cirrus does not
/// use (`compileType`, `setting.urlCheck`, ...) are accepted and ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct ProjectFile {
    miniprogram_root: Lenient<String>,
    appid: Lenient<String>,
    #[serde(rename = "projectname")]
    project_name: Lenient<String>,
    lib_version: Lenient<String>,
    setting: Lenient<SettingFile>,
}

impl ProjectFile {
    /// `self` written over `base`, as the devtools merge the private file
    /// over the public one: a key of `self` wins, `setting` field by field.
    /// A key that is invalid in `self` counts as not written, so the
    /// value below it stands.
    fn over(self, base: ProjectFile) -> ProjectFile {
        ProjectFile {
            miniprogram_root: self.miniprogram_root.or(base.miniprogram_root),
            appid: self.appid.or(base.appid),
            project_name: self.project_name.or(base.project_name),
            lib_version: self.lib_version.or(base.lib_version),
            setting: match (self.setting.0, base.setting.0) {
                (Some(top), Some(base)) => Lenient(Some(top.over(base))),
                (top, base) => Lenient(top.or(base)),
            },
        }
    }
}

/// `setting`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", expecting = "an object")]
struct SettingFile {
    es6: Lenient<bool>,
    enhance: Lenient<bool>,
    compile_worklet: Lenient<bool>,
    pack_npm_manually: Lenient<bool>,
    use_compiler_plugins: Lenient<Vec<Lenient<CompilerPlugin>>>,
    pack_npm_relation_list: Lenient<Vec<Lenient<NpmRelation>>>,
}

impl SettingFile {
    fn over(self, base: SettingFile) -> SettingFile {
        SettingFile {
            es6: self.es6.or(base.es6),
            enhance: self.enhance.or(base.enhance),
            compile_worklet: self.compile_worklet.or(base.compile_worklet),
            pack_npm_manually: self.pack_npm_manually.or(base.pack_npm_manually),
            use_compiler_plugins: self.use_compiler_plugins.or(base.use_compiler_plugins),
            pack_npm_relation_list: self.pack_npm_relation_list.or(base.pack_npm_relation_list),
        }
    }
}

/// An entry of `useCompilerPlugins`: `"sass"`, or `["sass", {options}]`,
/// which names the plugin first.
#[derive(Debug)]
struct CompilerPlugin(String);

impl<'de> Deserialize<'de> for CompilerPlugin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(name) => Ok(CompilerPlugin(name)),
            Value::Array(pair) if pair.first().is_some_and(Value::is_string) => {
                Ok(CompilerPlugin(pair[0].as_str().unwrap_or_default().to_owned()))
            }
            _ => Err(invalid(
                "an entry of `setting.useCompilerPlugins` must be a plugin name or [name, options]; ignored",
                Severity::Warning,
            )),
        }
    }
}

impl ProjectConfig {
    /// Whether `useCompilerPlugins` names `plugin` (`"typescript"`, `"less"`, `"sass"`).
    pub fn uses_plugin(&self, plugin: &str) -> bool {
        self.compiler_plugins.iter().any(|p| p == plugin)
    }

    /// Reads the project configuration of the project folder `dir`.
    /// Missing files give the defaults; malformed ones a diagnostic, and a
    /// wrong value a diagnostic at its line and column in its own file.
    pub fn read(dir: &Path, diags: &mut Vec<Diagnostic>) -> ProjectConfig {
        let mut typed = ProjectFile::default();
        let mut merged = Map::new();
        // Which file `miniprogramRoot` comes from, to point at it.
        let mut root_written_in: Option<(&str, String)> = None;
        for name in [PROJECT_CONFIG, PRIVATE_CONFIG] {
            let Some((text, object)) = read_object(dir, name, diags) else {
                continue;
            };
            let value = Value::Object(object);
            let (file, problems) = from_value::<ProjectFile>(&value, &[]);
            diags.extend(problems.iter().map(|p| p.located(name, Some(&text))));
            if file.miniprogram_root.get().is_some() {
                root_written_in = Some((name, text));
            }
            typed = file.over(typed);
            if let Value::Object(object) = value {
                merge_private(&mut merged, object);
            }
        }
        let root_at = root_written_in
            .as_ref()
            .map(|(name, text)| (*name, text.as_str()));
        let mut config = ProjectConfig::from_file(typed, Value::Object(merged), root_at, diags);
        config.project_dir = Some(dir.to_path_buf());
        config
    }

    /// Interprets an already-merged configuration object (its text is not
    /// known: problems are reported at `project.config.json`'s start).
    pub fn from_merged(raw: Value, diags: &mut Vec<Diagnostic>) -> ProjectConfig {
        let (file, problems) = from_value::<ProjectFile>(&raw, &[]);
        diags.extend(problems.iter().map(|p| p.located(PROJECT_CONFIG, None)));
        ProjectConfig::from_file(file, raw, None, diags)
    }

    /// The configuration of a merged `file`; `root_at` is the file (name,
    /// text) `miniprogramRoot` is written in, when known.
    fn from_file(
        file: ProjectFile,
        raw: Value,
        root_at: Option<(&str, &str)>,
        diags: &mut Vec<Diagnostic>,
    ) -> ProjectConfig {
        let mut config = ProjectConfig::default();
        if let Some(root) = file.miniprogram_root.0 {
            config.miniprogram_root = root.trim_matches('/').trim_start_matches("./").to_owned();
            if config.miniprogram_root.split('/').any(|c| c == "..") {
                let problem = Problem {
                    path: vec![Step::key("miniprogramRoot")],
                    message: format!(
                        "`miniprogramRoot` must lie inside the project folder (is \"{root}\")"
                    ),
                    severity: Severity::Error,
                };
                let (name, text) = match root_at {
                    Some((name, text)) => (name, Some(text)),
                    None => (PROJECT_CONFIG, None),
                };
                diags.push(problem.located(name, text));
                config.miniprogram_root.clear();
            }
        }
        if let Some(appid) = file.appid.0.filter(|a| !a.is_empty()) {
            config.appid = appid;
        }
        config.project_name = file.project_name.0.unwrap_or_default();
        config.lib_version = file.lib_version.0.unwrap_or_default();
        if let Some(setting) = file.setting.0 {
            config.es6 = setting.es6.0.unwrap_or(config.es6);
            config.enhance = setting.enhance.0.unwrap_or(config.enhance);
            config.compile_worklet = setting.compile_worklet.0.unwrap_or(false);
            config.pack_npm_manually = setting.pack_npm_manually.0.unwrap_or(false);
            config.compiler_plugins = setting
                .use_compiler_plugins
                .0
                .into_iter()
                .flatten()
                .filter_map(|plugin| plugin.0.map(|p| p.0))
                .collect();
            config.pack_npm_relations = setting
                .pack_npm_relation_list
                .0
                .into_iter()
                .flatten()
                .filter_map(|relation| relation.0)
                .collect();
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
        let root =
            if project.miniprogram_root.is_empty() || !root_stays_inside(dir, &project, diags) {
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

/// Whether `miniprogramRoot` stays inside the project folder once links
/// are followed (`..` is refused when the file is read); a root that
/// links out or loops is reported, and the project folder is used.
fn root_stays_inside(dir: &Path, project: &ProjectConfig, diags: &mut Vec<Diagnostic>) -> bool {
    let Ok(sandbox) = Sandbox::package(dir) else {
        return true;
    };
    match sandbox.resolve(&project.miniprogram_root) {
        Err(problem @ (PackageError::Outside { .. } | PackageError::LinkLoop(_))) => {
            let mut d = problem.diagnostic(PROJECT_CONFIG);
            d.message = format!("`miniprogramRoot`: {}", d.message);
            diags.push(d);
            false
        }
        // A missing root is reported by the loader ("not a mini program folder").
        _ => true,
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A project file's text and object, if it exists and is one.
fn read_object(
    dir: &Path,
    name: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Map<String, Value>)> {
    // The project folder is as untrusted as the package in it: the file
    // is read through a sandbox (no link out, no FIFO, a size limit).
    let read = Sandbox::package(dir).and_then(|sandbox| sandbox.read(name, FileKind::Json));
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(PackageError::Io(_, e)) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(problem) => {
            diags.push(problem.diagnostic(name));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            diags.push(PackageError::NotUtf8(name.to_owned(), e).diagnostic(name));
            return None;
        }
    };
    match parse_json(name, &text, diags)? {
        Value::Object(object) => Some((text, object)),
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

    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!(
                "cirrus-package-project-{name}-{}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_wrong_value_is_located_in_its_file_and_the_rest_loads() {
        let dir = TempDir::new("wrong");
        std::fs::write(
            dir.0.join(PROJECT_CONFIG),
            "{\n  \"appid\": \"wx1\",\n  \"libVersion\": 3,\n  \"setting\": {\"es6\": \"no\", \"enhance\": false,\n    \"packNpmRelationList\": [{\"packageJsonPath\": \"p\"}]}\n}",
        )
        .unwrap();
        std::fs::write(
            dir.0.join(PRIVATE_CONFIG),
            "{\"appid\": 7, \"setting\": {\"compileWorklet\": true}}",
        )
        .unwrap();
        let mut diags = Vec::new();
        let config = ProjectConfig::read(&dir.0, &mut diags);
        assert_eq!(
            config.appid, "wx1",
            "the private file's bad appid is ignored"
        );
        assert_eq!(config.lib_version, "");
        assert!(config.es6 && !config.enhance && config.compile_worklet);
        assert!(config.pack_npm_relations.is_empty());
        let at: Vec<(&str, u32, u32)> = diags
            .iter()
            .map(|d| (d.file.as_str(), d.line, d.column))
            .collect();
        assert_eq!(
            at,
            [
                (PROJECT_CONFIG, 3, 17),
                (PROJECT_CONFIG, 4, 22),
                (PROJECT_CONFIG, 5, 29),
                (PRIVATE_CONFIG, 1, 11)
            ],
            "{diags:#?}"
        );
        assert!(
            diags[0].message.contains("`libVersion`"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[2]
                .message
                .contains("missing field `miniprogramNpmDistDir`"),
            "{}",
            diags[2].message
        );
    }

    #[test]
    fn a_root_outside_the_project_is_reported_at_its_value() {
        let dir = TempDir::new("outside");
        std::fs::write(dir.0.join(PROJECT_CONFIG), r#"{"miniprogramRoot": "src/"}"#).unwrap();
        std::fs::write(
            dir.0.join(PRIVATE_CONFIG),
            "{\n  \"miniprogramRoot\": \"../x\"\n}",
        )
        .unwrap();
        let mut diags = Vec::new();
        let config = ProjectConfig::read(&dir.0, &mut diags);
        assert_eq!(config.miniprogram_root, "");
        assert_eq!(
            (diags[0].file.as_str(), diags[0].line, diags[0].column),
            (PRIVATE_CONFIG, 2, 22)
        );
    }
}
