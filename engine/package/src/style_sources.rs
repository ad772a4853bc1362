//! Style sources that compile to WXSS at load: `.less` (devtools plugin
//! `less`) and `.scss`/`.sass` (plugin `sass`), through `cirrus-style-lang`.
//!
//! `x.less` becomes the package file `x.wxss`, so the cascade, `@import`
//! and `cirrus check` see WXSS as they always do; diagnostics point into
//! the source file. A source compiles when its plugin is named in
//! `project.config.json`, or when no `.wxss` stands beside it (a root
//! opened without its project file). Sass partials (`_x.scss`) only exist
//! to be imported and are not compiled on their own.
//!
//! Results are cached on disk ([`CompileCache`]). Imports make a file's
//! output depend on other files, so a key covers the file and a digest of
//! every style source of the package: editing any partial recompiles.

use crate::compile_cache::CompileCache;
use crate::project::ProjectConfig;
use cirrus_protocol::diagnostics::{Diagnostic, Severity};
use cirrus_style_lang::{compile_less, compile_scss, Compiled};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which compiler a path needs, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    Less,
    Sass,
}

impl Language {
    fn of(path: &str) -> Option<Language> {
        let (_, ext) = path.rsplit_once('.')?;
        match ext {
            "less" => Some(Language::Less),
            "scss" | "sass" => Some(Language::Sass),
            _ => None,
        }
    }

    fn plugin(self) -> &'static str {
        match self {
            Language::Less => "less",
            Language::Sass => "sass",
        }
    }
}

/// What the cache keeps of one compile.
#[derive(Serialize, Deserialize)]
struct CachedStyle {
    css: String,
    diagnostics: Vec<Diagnostic>,
}

/// Compiles every style source of `files` that should be, returning the
/// `.wxss` files to add (or replace) and pushing diagnostics.
pub fn compile_all(
    project: &ProjectConfig,
    files: &BTreeMap<String, String>,
    cache: &CompileCache,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let sources: Vec<(&String, &String, Language)> = files
        .iter()
        .filter_map(|(path, text)| Language::of(path).map(|lang| (path, text, lang)))
        .collect();
    if sources.is_empty() {
        return Vec::new();
    }
    let digest = {
        let mut parts: Vec<&[u8]> = Vec::new();
        for (path, text, _) in &sources {
            parts.push(path.as_bytes());
            parts.push(text.as_bytes());
        }
        CompileCache::key("style-sources", &parts)
    };
    let read = |path: &str| files.get(path).cloned();
    let mut out = Vec::new();
    for (path, text, lang) in sources {
        let stem = &path[..path.rfind('.').unwrap_or(path.len())];
        let file_name = stem.rsplit('/').next().unwrap_or(stem);
        if lang == Language::Sass && file_name.starts_with('_') {
            continue;
        }
        let target = format!("{stem}.wxss");
        let plugin_named = project.uses_plugin(lang.plugin());
        if !plugin_named && files.contains_key(&target) {
            continue;
        }
        let key = CompileCache::key(lang.plugin(), &[path.as_bytes(), digest.as_bytes()]);
        let cached = cache
            .get(&key)
            .and_then(|bytes| serde_json::from_slice::<CachedStyle>(&bytes).ok());
        let result = match cached {
            Some(result) => result,
            None => {
                let compiled = match lang {
                    Language::Less => compile_less(path, text, &read),
                    Language::Sass => compile_scss(path, text, &read),
                };
                let result = to_cached(compiled);
                if let Ok(bytes) = serde_json::to_vec(&result) {
                    cache.put(&key, &bytes);
                }
                result
            }
        };
        diags.extend(result.diagnostics);
        out.push((target, result.css));
    }
    out
}

fn to_cached(compiled: Compiled) -> CachedStyle {
    CachedStyle {
        css: compiled.css,
        diagnostics: compiled
            .diagnostics
            .into_iter()
            .map(|d| Diagnostic {
                severity: match d.severity {
                    cirrus_style_lang::Severity::Error => Severity::Error,
                    cirrus_style_lang::Severity::Warning => Severity::Warning,
                },
                file: d.file,
                line: d.line,
                column: d.column,
                message: d.message,
            })
            .collect(),
    }
}
