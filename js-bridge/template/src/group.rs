//! [`TemplateGroup`]: the WXML files of a package, parsed and lowered, and
//! template name resolution across `<import>`.

use crate::diagnostic::TemplateDiagnostic;
use crate::ir::{CompiledFile, TemplateDef};
use crate::lower::{lower_template, wxml_key};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// The WXML files known to the engine, keyed by normalized package path
/// (`pages/a/a.wxml`).
#[derive(Default)]
pub struct TemplateGroup {
    files: HashMap<String, Arc<CompiledFile>>,
}

impl TemplateGroup {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses `source` as the file at `path` (replacing an earlier version)
    /// and returns its parse diagnostics. Never fails: a broken file still
    /// yields whatever glass-easel could recover.
    pub fn add_file(&mut self, path: &str, source: &str) -> Vec<TemplateDiagnostic> {
        let key = wxml_key(path);
        // glass-easel parses recursively: nesting beyond the limits is
        // blanked out before it sees the text.
        let guarded = crate::nesting_guard::guard_source(&key, source);
        let (template, state) = glass_easel_template_compiler::parse::parse(&key, &guarded.source);
        let mut diags = guarded.diags;
        diags.extend(
            state
                .warnings()
                .filter_map(|w| TemplateDiagnostic::from_parse_error(&key, w)),
        );
        let compiled = lower_template(&key, &template, &mut diags);
        self.files.insert(key, Arc::new(compiled));
        diags
    }

    /// Adds `entry` and, transitively, every file it imports or includes,
    /// reading sources with `read` (given normalized package paths). A file
    /// that cannot be read is a diagnostic at the tag that names it.
    pub fn load_with(
        &mut self,
        entry: &str,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<TemplateDiagnostic> {
        let mut diags = Vec::new();
        let entry = wxml_key(entry);
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue = VecDeque::new();
        match read(&entry) {
            Some(source) => {
                diags.extend(self.add_file(&entry, &source));
                queue.push_back(entry.clone());
            }
            None => diags.push(TemplateDiagnostic::error(
                &entry,
                (1, 1),
                format!("cannot read {entry}"),
            )),
        }
        seen.insert(entry);
        while let Some(path) = queue.pop_front() {
            let Some(file) = self.files.get(&path).cloned() else {
                continue;
            };
            for dep in file.imports.iter().chain(&file.includes) {
                if !seen.insert(dep.path.clone()) {
                    continue;
                }
                if self.files.contains_key(&dep.path) {
                    queue.push_back(dep.path.clone());
                    continue;
                }
                match read(&dep.path) {
                    Some(source) => {
                        diags.extend(self.add_file(&dep.path, &source));
                        queue.push_back(dep.path.clone());
                    }
                    None => diags.push(TemplateDiagnostic::error(
                        &path,
                        dep.pos,
                        format!("cannot find {} (imported or included here)", dep.path),
                    )),
                }
            }
        }
        diags
    }

    /// Whether a file is loaded (`path` as in [`Self::add_file`]).
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(&wxml_key(path))
    }

    pub(crate) fn file(&self, path: &str) -> Option<&Arc<CompiledFile>> {
        self.files
            .get(path)
            .or_else(|| self.files.get(&wxml_key(path)))
    }

    /// Resolves a `<template is>` name as seen from `file`: the file's own
    /// templates win, then its imports (later imports win; not transitive).
    pub(crate) fn find_template(&self, file: &str, name: &str) -> Option<Arc<TemplateDef>> {
        let compiled = self.file(file)?;
        if let Some(def) = compiled.templates.get(name) {
            return Some(def.clone());
        }
        compiled
            .imports
            .iter()
            .rev()
            .find_map(|import| self.files.get(&import.path)?.templates.get(name).cloned())
    }
}
