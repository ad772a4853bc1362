//! The boundary to cirrus-template: a page's WXML instance and the Rust
//! mirror of its data.
//!
//! Invariant: `data` is exactly what the page's `this.data` holds after
//! each setData (both sides apply the same path updates), and `instance`
//! reflects `data`: every update re-evaluates only the bindings that read
//! the changed paths and returns the ops for the render thread.

use cirrus_engine::ops::Op;
use cirrus_engine::package::Package;
use cirrus_engine::Diagnostic;
use cirrus_template::{apply_set_data, parse_data_path, PageInstance, TemplateDiagnostic, TemplateGroup};
use serde_json::{Map, Value};

/// The first node id a page's template uses (0 is the page element).
const FIRST_NODE_ID: u32 = 1;

pub(crate) struct PageView {
    group: TemplateGroup,
    instance: PageInstance,
    data: Value,
}

/// What one setData produced.
#[derive(Debug, Default)]
pub(crate) struct DataUpdate {
    pub ops: Vec<Op>,
    pub diagnostics: Vec<Diagnostic>,
    /// Keys that are not valid data paths; they were not applied.
    pub rejected_keys: Vec<String>,
}

impl PageView {
    /// Loads `route`'s WXML (with its imports) and instantiates it on `data`.
    pub fn build(package: &Package, route: &str, data: Value) -> (PageView, Vec<Op>, Vec<Diagnostic>) {
        let wxml_path = format!("{route}.wxml");
        let mut group = TemplateGroup::new();
        let read = |path: &str| package.read(path).map(str::to_owned);
        let mut diagnostics: Vec<Diagnostic> = group.load_with(&wxml_path, &read).into_iter().map(convert).collect();
        let (instance, ops, more) = PageInstance::new(&group, &wxml_path, &data, FIRST_NODE_ID);
        diagnostics.extend(more.into_iter().map(convert));
        (PageView { group, instance, data }, ops, diagnostics)
    }

    /// Applies setData's `updates` (data-path keys, in order) to the mirror
    /// and returns the ops that bring the tree up to date.
    pub fn set_data(&mut self, updates: Map<String, Value>) -> DataUpdate {
        let mut result = DataUpdate::default();
        let mut parsed = Vec::with_capacity(updates.len());
        for (key, value) in updates {
            match parse_data_path(&key) {
                Ok(path) => parsed.push((path, value)),
                Err(_) => result.rejected_keys.push(key),
            }
        }
        if parsed.is_empty() {
            return result;
        }
        apply_set_data(&mut self.data, &parsed);
        let changed: Vec<_> = parsed.into_iter().map(|(path, _)| path).collect();
        let (ops, diagnostics) = self.instance.update(&self.group, &self.data, &changed);
        result.ops = ops;
        result.diagnostics = diagnostics.into_iter().map(convert).collect();
        result
    }

    #[cfg(test)]
    pub fn data(&self) -> &Value {
        &self.data
    }
}

fn convert(d: TemplateDiagnostic) -> Diagnostic {
    if d.is_error {
        Diagnostic::error(d.file, d.line, d.column, d.message)
    } else {
        Diagnostic::warning(d.file, d.line, d.column, d.message)
    }
}
