//! `cirrus build-npm`: what the devtools' "build npm" (构建 npm) does.
//!
//! For each package in the `dependencies` of a `package.json` that is
//! installed in the `node_modules/` beside it, the package's mini program
//! dist is copied to `miniprogram_npm/NAME/`: the folder its `miniprogram`
//! field names, else `miniprogram_dist/`. A plain npm package (neither)
//! is copied whole (its `.js`/`.json` files, without its own
//! `node_modules`), with an `index.js` that re-exports its `main` entry,
//! so `require('pkg')` finds it as the devtools' packed entry would be
//! found. Dependencies of dependencies are built too, once each.
//!
//! Where: by default the `package.json` of the mini program root, with
//! `miniprogram_npm/` beside it; with `setting.packNpmManually`, each
//! entry of `packNpmRelationList` names a `package.json` and the folder
//! that receives `miniprogram_npm/` (both relative to the project folder).
//! Each build replaces the `miniprogram_npm/` it writes.

use crate::project::{self, ProjectConfig};
use crate::sandbox::{read_regular, MAX_JSON_BYTES};
use crate::Diagnostic;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What one build did.
#[derive(Debug, Default)]
pub struct NpmBuild {
    /// `(package name, destination folder)` of every package copied.
    pub built: Vec<(String, PathBuf)>,
    /// Missing packages, unreadable manifests (warnings), I/O failures (errors).
    pub diagnostics: Vec<Diagnostic>,
}

/// Builds `miniprogram_npm/` for the project (or mini program root) `dir`.
pub fn build_npm(dir: &Path) -> NpmBuild {
    let mut build = NpmBuild::default();
    let located = project::locate(dir, &mut build.diagnostics);
    for (package_json, out_dir) in relations(dir, &located.root, &located.project) {
        build_one(&package_json, &out_dir, &mut build);
    }
    build
}

/// `(package.json, folder that receives miniprogram_npm/)` pairs.
fn relations(dir: &Path, root: &Path, project: &ProjectConfig) -> Vec<(PathBuf, PathBuf)> {
    let project_dir = project
        .project_dir
        .clone()
        .unwrap_or_else(|| dir.to_path_buf());
    if project.pack_npm_manually && !project.pack_npm_relations.is_empty() {
        return project
            .pack_npm_relations
            .iter()
            .map(|relation| {
                (
                    project_dir.join(&relation.package_json_path),
                    project_dir.join(&relation.miniprogram_npm_dist_dir),
                )
            })
            .collect();
    }
    // The devtools look in the mini program root, then the project folder.
    [root.to_path_buf(), project_dir]
        .into_iter()
        .find(|folder| folder.join("package.json").is_file())
        .map(|folder| vec![(folder.join("package.json"), root.to_path_buf())])
        .unwrap_or_default()
}

fn build_one(package_json: &Path, out_dir: &Path, build: &mut NpmBuild) {
    let label = package_json.display().to_string();
    let Some(manifest) = read_manifest(package_json, build) else {
        return;
    };
    let node_modules = package_json
        .parent()
        .unwrap_or(Path::new("."))
        .join("node_modules");
    let npm_dir = out_dir.join("miniprogram_npm");
    if npm_dir.exists() {
        if let Err(e) = std::fs::remove_dir_all(&npm_dir) {
            build.diagnostics.push(Diagnostic::error(
                npm_dir.display().to_string(),
                0,
                0,
                format!("cannot replace miniprogram_npm: {e}"),
            ));
            return;
        }
    }
    let mut queue: Vec<String> = dependency_names(&manifest);
    let mut done = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let installed = node_modules.join(&name);
        let Some(dep_manifest) = read_manifest(&installed.join("package.json"), build) else {
            build.diagnostics.push(Diagnostic::warning(
                &label,
                1,
                1,
                format!(
                    "dependency `{name}` is not installed in {} (run npm install)",
                    node_modules.display()
                ),
            ));
            continue;
        };
        let dest = npm_dir.join(&name);
        let copied = match mini_program_dist(&installed, &dep_manifest) {
            Some(dist) => copy_tree(&dist, &dest, &|_| true),
            None => copy_plain_package(&installed, &dest, &dep_manifest),
        };
        match copied {
            Ok(()) => build.built.push((name.clone(), dest)),
            Err(e) => build.diagnostics.push(Diagnostic::error(
                &label,
                1,
                1,
                format!("cannot copy `{name}`: {e}"),
            )),
        }
        queue.extend(dependency_names(&dep_manifest));
    }
}

/// A `package.json`: a regular file within the JSON size limit (a FIFO
/// or `/dev/zero` in `node_modules/` must not hang or exhaust the build).
fn read_manifest(path: &Path, build: &mut NpmBuild) -> Option<Value> {
    let label = path.display().to_string();
    let canonical = std::fs::canonicalize(path).ok()?;
    let bytes = match read_regular(&canonical, &label, MAX_JSON_BYTES) {
        Ok(bytes) => bytes,
        Err(problem) => {
            build.diagnostics.push(problem.diagnostic(&label));
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    crate::package::parse_json(&label, &text, &mut build.diagnostics)
}

/// The names of `dependencies`, each a valid npm name (`name` or
/// `@scope/name`): a name that would climb (`../x`) or be absolute is
/// not a package, and is never joined to a path.
fn dependency_names(manifest: &Value) -> Vec<String> {
    manifest
        .get("dependencies")
        .and_then(Value::as_object)
        .map(|deps| deps.keys().filter(|n| is_npm_name(n)).cloned().collect())
        .unwrap_or_default()
}

fn is_npm_name(name: &str) -> bool {
    let segments: Vec<&str> = name.split('/').collect();
    let plain = |s: &&str| !s.is_empty() && *s != "." && *s != ".." && !s.contains('\\');
    match segments.as_slice() {
        [one] => plain(one) && !one.starts_with('@'),
        [scope, one] => scope.starts_with('@') && plain(scope) && plain(one),
        _ => false,
    }
}

/// The folder a package ships for mini programs, if it has one.
fn mini_program_dist(installed: &Path, manifest: &Value) -> Option<PathBuf> {
    let named = manifest
        .get("miniprogram")
        .and_then(Value::as_str)
        .map(|dir| installed.join(dir));
    named
        .into_iter()
        .chain([installed.join("miniprogram_dist")])
        .find(|dir| dir.is_dir() && stays_inside(dir, installed))
}

/// A plain npm package: its scripts and manifests, plus an `index.js`
/// entry when `main` names another file.
fn copy_plain_package(installed: &Path, dest: &Path, manifest: &Value) -> std::io::Result<()> {
    copy_tree(installed, dest, &|path| {
        // Its own nested node_modules are packages of their own.
        let nested_modules = path.file_name().is_some_and(|n| n == "node_modules");
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        !nested_modules && (path.is_dir() || matches!(ext, "js" | "json" | "wxs"))
    })?;
    let main = manifest
        .get("main")
        .and_then(Value::as_str)
        .unwrap_or("index.js")
        .trim_start_matches("./");
    let main = if main.ends_with(".js") {
        main.to_owned()
    } else {
        format!("{main}.js")
    };
    if main != "index.js" && dest.join(&main).is_file() {
        std::fs::write(
            dest.join("index.js"),
            format!("module.exports = require('./{main}');\n"),
        )?;
    }
    Ok(())
}

/// Whether `dir` lies inside `outer` once links and `..` are resolved
/// (`miniprogram: "../../x"` would pass a comparison of the paths as
/// written).
fn stays_inside(dir: &Path, outer: &Path) -> bool {
    match (std::fs::canonicalize(dir), std::fs::canonicalize(outer)) {
        (Ok(dir), Ok(outer)) => dir.starts_with(outer),
        _ => false,
    }
}

/// Copies `from` into `to`, files that `keep` accepts. Symbolic links are
/// not followed: a package must not pull files from outside itself.
fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_symlink() || !keep(&path) {
            continue;
        }
        let target = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&path, &target, keep)?;
        } else if kind.is_file() {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn copies_mini_program_dists_and_plain_packages() {
        let dir = std::env::temp_dir().join(format!("cirrus-npm-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        write(&dir.join("app.json"), r#"{"pages":["pages/a/a"]}"#);
        write(
            &dir.join("package.json"),
            r#"{"dependencies":{"ui-kit":"1","plain":"1","missing":"1"}}"#,
        );
        let ui = dir.join("node_modules/ui-kit");
        write(
            &ui.join("package.json"),
            r#"{"miniprogram":"dist","dependencies":{"helper":"1"}}"#,
        );
        write(&ui.join("dist/button/button.js"), "Component({})");
        write(&ui.join("src/button.ts"), "ignored");
        let plain = dir.join("node_modules/plain");
        write(&plain.join("package.json"), r#"{"main":"lib/plain"}"#);
        write(&plain.join("lib/plain.js"), "module.exports = 1");
        write(&plain.join("README.md"), "not copied");
        let helper = dir.join("node_modules/helper");
        write(&helper.join("package.json"), "{}");
        write(
            &helper.join("miniprogram_dist/index.js"),
            "module.exports = 2",
        );

        let build = build_npm(&dir);
        let npm = dir.join("miniprogram_npm");
        assert!(npm.join("ui-kit/button/button.js").is_file());
        assert!(!npm.join("ui-kit/src").exists());
        assert!(
            npm.join("helper/index.js").is_file(),
            "dependencies of dependencies are built"
        );
        assert_eq!(
            std::fs::read_to_string(npm.join("plain/index.js")).unwrap(),
            "module.exports = require('./lib/plain.js');\n"
        );
        assert!(!npm.join("plain/README.md").exists());
        assert_eq!(build.built.len(), 3);
        assert!(build
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`missing`")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
