//! Loading a page's style sheets: `app.wxss`, then the page's `.wxss`, each
//! preceded by its `@import`s (depth first, each file once), from source
//! text or from the precompiled form (`binary`), which `compile` makes.
//!
//! Invariants: import cycles terminate (a file being loaded is not entered
//! again, and is reported); a missing import is reported at its `@import`;
//! each file's rules are appended in source order, so the rule order in
//! [`LoadedRules`] is the cascade's source order.

use std::collections::HashSet;
use std::rc::Rc;

use float_pigment_css::parser::{Warning, WarningKind};
use float_pigment_css::sheet::{FontSrc, Rule};
use float_pigment_css::LinkedStyleSheet;

use crate::apply::font_family_name;
use crate::binary::{decode_sheet, CompiledRule, CompiledSheet, RuleSource, SheetSource};
use crate::imports::{resolve_import, scan_imports, ImportStatement};
use crate::keyframes::sheet_keyframes;
use crate::selector::{parse_selector_list, ComplexSelector};
use crate::sheets::Keyframes;
use crate::{FontFaceRule, StyleDiagnostic};

/// How a loaded rule reaches the index: straight from float-pigment's
/// parse (selectors and media are read from it when indexed), or already
/// compiled (from a precompiled binary; its selectors are the next
/// `selector_count` of [`LoadedRules::compiled_selectors`]).
pub(crate) enum LoadedRule {
    Parsed(Rc<Rule>),
    Compiled(CompiledRule),
}

/// Rules of all loaded files in cascade source order.
#[derive(Default)]
pub(crate) struct LoadedRules {
    pub(crate) rules: Vec<LoadedRule>,
    /// The selectors of the compiled rules, in rule order (one list for
    /// all, not one allocation per rule).
    pub(crate) compiled_selectors: Vec<ComplexSelector>,
    pub(crate) font_faces: Vec<FontFaceRule>,
    /// Every file's `@keyframes`, in load order (the last one named wins).
    pub(crate) keyframes: Vec<Keyframes>,
    pub(crate) diagnostics: Vec<StyleDiagnostic>,
}

/// Resolves a font `url()` against the style sheet that names it: package
/// paths lose their leading `/`; URLs (`https:`, `data:`) are kept.
fn resolve_asset(sheet_path: &str, url: &str) -> String {
    if url.contains(':') || url.starts_with("//") {
        return url.to_owned();
    }
    cirrus_style_lang::paths::resolve(sheet_path, url)
}

pub(crate) fn collect_font_faces(
    sheet_path: &str,
    sheet: &LinkedStyleSheet,
    into: &mut Vec<FontFaceRule>,
) {
    for face in sheet.get_font_face() {
        let sources = face
            .src
            .iter()
            .filter_map(|src| match src {
                FontSrc::Url(u) => Some(resolve_asset(sheet_path, &u.url)),
                FontSrc::Local(_) => None,
            })
            .collect();
        into.push(FontFaceRule {
            family: font_family_name(&face.font_family),
            sources,
        });
    }
}

/// Where a file's content comes from.
pub(crate) enum Source<'a> {
    Text(&'a dyn Fn(&str) -> Option<String>),
    Binary(&'a dyn Fn(&str) -> Option<Vec<u8>>),
}

/// Rewrites what Skyline accepts but float-pigment 0.10.4 does not, keeping
/// every character position (so diagnostics still point at the source):
/// - `-webkit-line-clamp` becomes `-wx-line-clamp` (the name it knows);
/// - `:active` becomes `:not(*)`, which float-pigment parses (it rejects
///   `:active`, which would drop the whole rule, `.btn, .btn:active { }`
///   included); the selector parser reads `:not(*)` back as `:active`
///   (pressed, see `StyleElement::is_active`).
pub(crate) fn preprocess(source: &str) -> std::borrow::Cow<'_, str> {
    const WEBKIT: &str = "-webkit-line-clamp";
    const WX: &str = "-wx-line-clamp    ";
    const ACTIVE: &str = ":active";
    const NEVER: &str = ":not(*)";
    if !source.contains(WEBKIT) && !source.contains(ACTIVE) {
        return source.into();
    }
    let mut out = source.replace(WEBKIT, WX);
    let mut search_from = 0;
    while let Some(found) = out[search_from..].find(ACTIVE) {
        let start = search_from + found;
        let end = start + ACTIVE.len();
        let continues_ident = out[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if !continues_ident {
            out.replace_range(start..end, NEVER);
        }
        search_from = end;
    }
    out.into()
}

/// Runs a float-pigment call, turning a panic inside it into `None`: a
/// bad style sheet must never take the render thread down (the parser has
/// internal `unwrap`s we cannot audit for every input).
pub(crate) fn guarded<T>(call: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).ok()
}

/// The diagnostic for a parser that gave up on a file.
pub(crate) fn parser_crash(file: &str) -> StyleDiagnostic {
    StyleDiagnostic {
        file: file.to_owned(),
        line: 1,
        column: 1,
        message: "the WXSS parser failed on this file; its rules are ignored".to_owned(),
        is_error: true,
    }
}

/// Converts a float-pigment warning (0-based line, 1-based column). A
/// warning about a declaration points at its value when `source` shows one.
pub(crate) fn diagnostic_from_warning(
    file: &str,
    w: &Warning,
    source: Option<&str>,
) -> StyleDiagnostic {
    let line = w.start_line + 1;
    let mut column = w.start_col.max(1);
    if let Some(text) = source.and_then(|s| s.lines().nth(w.start_line as usize)) {
        if let Some(value) = crate::balance::value_column(text, column) {
            column = value;
        }
    }
    StyleDiagnostic {
        file: file.to_owned(),
        line,
        column,
        message: w.message.as_str().to_owned(),
        is_error: false,
    }
}

/// Import problems are detected here, with positions; float-pigment's own
/// (position-less) reports of them are dropped.
fn is_import_warning(w: &Warning) -> bool {
    matches!(
        w.kind,
        WarningKind::MissingImportTarget | WarningKind::RecursiveImports
    )
}

pub(crate) struct Loader<'a> {
    source: Source<'a>,
    loading: Vec<String>,
    loaded: HashSet<String>,
    pub(crate) out: LoadedRules,
}

/// Where an import was requested, for diagnostics.
struct ImportSite<'s> {
    file: &'s str,
    line: u32,
    column: u32,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(source: Source<'a>) -> Self {
        Loader {
            source,
            loading: Vec::new(),
            loaded: HashSet::new(),
            out: LoadedRules::default(),
        }
    }

    /// Loads a top-level file; a missing one is not an error (a page need
    /// not have a `.wxss`, nor the app an `app.wxss`).
    pub(crate) fn load_root(&mut self, path: &str) {
        self.load(path, None);
    }

    fn report(&mut self, site: &ImportSite<'_>, message: String, is_error: bool) {
        self.out.diagnostics.push(StyleDiagnostic {
            file: site.file.to_owned(),
            line: site.line,
            column: site.column,
            message,
            is_error,
        });
    }

    /// Returns false when the file does not exist.
    fn load(&mut self, path: &str, site: Option<&ImportSite<'_>>) -> bool {
        if self.loading.iter().any(|p| p == path) {
            if let Some(site) = site {
                self.report(
                    site,
                    format!("@import cycle: {path} is already being imported"),
                    false,
                );
            }
            return true;
        }
        if self.loaded.contains(path) {
            return true;
        }
        let found = match self.source {
            Source::Text(read) => match read(path) {
                Some(text) => {
                    self.loading.push(path.to_owned());
                    self.load_text(path, &text);
                    true
                }
                None => false,
            },
            Source::Binary(read) => match read(path) {
                Some(bytes) => {
                    self.loading.push(path.to_owned());
                    self.load_binary(path, bytes);
                    true
                }
                None => false,
            },
        };
        if found {
            self.loading.pop();
            self.loaded.insert(path.to_owned());
        }
        found
    }

    /// Loads each import (before the importing file's own rules).
    fn load_imports(&mut self, path: &str, imports: &[ImportStatement]) {
        for import in imports {
            let site = ImportSite {
                file: path,
                line: import.line,
                column: import.column,
            };
            match resolve_import(path, &import.target) {
                None => self.report(
                    &site,
                    format!("@import target cannot be resolved: {}", import.target),
                    true,
                ),
                Some(target) => {
                    if !self.load(&target, Some(&site)) {
                        self.report(&site, format!("@import target not found: {target}"), true);
                    }
                }
            }
        }
    }

    fn load_text(&mut self, path: &str, text: &str) {
        self.load_imports(path, &scan_imports(text));
        let parsed = parse_file(path, text);
        self.out.diagnostics.extend(parsed.diagnostics);
        let Some(sheet) = parsed.sheet else {
            return;
        };
        let count = sheet.rules_count(None).unwrap_or(0);
        self.out.rules.extend(
            (0..count)
                .filter_map(|i| sheet.get_rule(i))
                .map(LoadedRule::Parsed),
        );
        collect_font_faces(path, &sheet, &mut self.out.font_faces);
        self.out.keyframes.extend(sheet_keyframes(text, &sheet));
    }

    fn load_binary(&mut self, path: &str, bytes: Vec<u8>) {
        let sheet = match decode_sheet(path, &bytes) {
            Ok(sheet) => sheet,
            Err(error) => {
                self.out.diagnostics.push(StyleDiagnostic {
                    file: path.to_owned(),
                    line: 1,
                    column: 1,
                    message: error.to_string(),
                    is_error: true,
                });
                return;
            }
        };
        let CompiledSheet {
            imports,
            rules,
            selectors,
            keyframes,
            font_faces,
        } = sheet;
        self.load_imports(path, &imports);
        self.out
            .rules
            .extend(rules.into_iter().map(LoadedRule::Compiled));
        if self.out.compiled_selectors.is_empty() {
            self.out.compiled_selectors = selectors;
        } else {
            self.out.compiled_selectors.extend(selectors);
        }
        self.out.font_faces.extend(font_faces);
        self.out.keyframes.extend(keyframes);
    }
}

/// One file parsed by float-pigment, with the diagnostics of parsing it.
pub(crate) struct ParsedFile {
    /// `None` when the parser crashed (reported in `diagnostics`).
    pub(crate) sheet: Option<LinkedStyleSheet>,
    pub(crate) diagnostics: Vec<StyleDiagnostic>,
}

/// Parses one file's own rules (its imports are not followed). Import
/// problems are not reported here: the loader reports them with positions.
pub(crate) fn parse_file(path: &str, text: &str) -> ParsedFile {
    let limited = crate::guard::guard(path, text);
    let prepared = preprocess(&limited.text);
    let Some((sheet, warnings)) = guarded(|| LinkedStyleSheet::parse(&prepared, None)) else {
        let mut diagnostics = limited.diagnostics;
        diagnostics.push(parser_crash(path));
        return ParsedFile {
            sheet: None,
            diagnostics,
        };
    };
    let mut diagnostics = limited.diagnostics;
    diagnostics.extend(
        warnings
            .iter()
            .filter(|w| !is_import_warning(w))
            .map(|w| diagnostic_from_warning(path, w, Some(&prepared))),
    );
    diagnostics.extend(crate::var_budget::check(path, &limited.text));
    // Blocks the guard dropped are reported by it, not again here.
    for (line, column) in crate::balance::unclosed_blocks(&limited.text) {
        diagnostics.push(StyleDiagnostic {
            file: path.to_owned(),
            line,
            column,
            message: "this `{` is never closed: the rest of the file is read as part of this rule"
                .to_owned(),
            is_error: true,
        });
    }
    ParsedFile {
        sheet: Some(sheet),
        diagnostics,
    }
}

/// Compiles one file into cirrus-style's own precompiled form (its imports
/// are kept as references, loaded separately). The diagnostics are those
/// loading the source would give for this file.
pub(crate) fn compile(path: &str, source: &str) -> (Vec<u8>, Vec<StyleDiagnostic>) {
    let imports = scan_imports(source);
    let parsed = parse_file(path, source);
    let mut compiled = SheetSource {
        imports,
        rules: Vec::new(),
        keyframes: Vec::new(),
        font_faces: Vec::new(),
    };
    if let Some(sheet) = &parsed.sheet {
        let count = sheet.rules_count(None).unwrap_or(0);
        compiled.rules = (0..count)
            .filter_map(|i| sheet.get_rule(i))
            .map(|rule| RuleSource {
                media: rule.get_media_query_string_list(),
                selectors: parse_selector_list(&rule.get_selector_string()),
                declarations: rule.properties().cloned().collect(),
            })
            .collect();
        collect_font_faces(path, sheet, &mut compiled.font_faces);
        compiled.keyframes = sheet_keyframes(source, sheet);
    }
    (compiled.encode(), parsed.diagnostics)
}
