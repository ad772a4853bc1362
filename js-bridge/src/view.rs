//! The boundary to cirrus-template: a page's WXML instance and the Rust
//! mirror of its data.
//!
//! Invariant: `data` is exactly what the page's `this.data` holds after
//! each setData (both sides apply the same path updates), and `instance`
//! reflects `data`: every update re-evaluates only the bindings that read
//! the changed paths and returns the ops for the render thread.

use cirrus_package::package::Package;
use cirrus_protocol::ops::Op;
use cirrus_protocol::Diagnostic;
use cirrus_template::{
    apply_set_data, parse_data_path, DataPath, PageInstance, PathSegment, TemplateDiagnostic,
    TemplateGroup,
};
use serde_json::Value;

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
    /// Per key, in order: its parsed path as a JSON array of segments (keys
    /// as strings, indices as numbers), or `None` when the key is not a data
    /// path (it was not applied). JS applies the same segments to
    /// `this.data`, so both sides agree on what every key means.
    pub paths: Vec<Option<Value>>,
}

impl PageView {
    /// Loads `route`'s WXML (with its imports) and instantiates it on `data`.
    pub fn build(
        package: &Package,
        route: &str,
        data: Value,
    ) -> (PageView, Vec<Op>, Vec<Diagnostic>) {
        let wxml_path = format!("{route}.wxml");
        let mut group = TemplateGroup::new();
        let read = |path: &str| package.read(path).map(str::to_owned);
        let mut diagnostics: Vec<Diagnostic> = group
            .load_with(&wxml_path, &read)
            .into_iter()
            .map(convert)
            .collect();
        // Custom tags come from usingComponents (app.json + page json);
        // each component's WXML joins the group when it is attached.
        let (instance, ops, more) =
            crate::component::build_page_instance(package, route, &group, &data, FIRST_NODE_ID);
        diagnostics.extend(more.into_iter().map(convert));
        (
            PageView {
                group,
                instance,
                data,
            },
            ops,
            diagnostics,
        )
    }

    /// Applies setData's updates (`keys[i]` set to `values[i]`, in order) to
    /// the mirror and returns the ops that bring the tree up to date.
    pub fn set_data(&mut self, keys: &[String], values: Vec<Value>) -> DataUpdate {
        let mut result = DataUpdate::default();
        let mut parsed = Vec::with_capacity(keys.len());
        for (key, value) in keys.iter().zip(values) {
            match parse_data_path(key) {
                Ok(path) => {
                    result.paths.push(Some(segments_json(&path)));
                    parsed.push((path, value));
                }
                Err(_) => result.paths.push(None),
            }
        }
        if parsed.is_empty() {
            return result;
        }
        apply_set_data(&mut self.data, &parsed);
        let changed: Vec<DataPath> = parsed.into_iter().map(|(path, _)| path).collect();
        let (ops, diagnostics) = self.instance.update(&self.group, &self.data, &changed);
        result.ops = ops;
        result.diagnostics = diagnostics.into_iter().map(convert).collect();
        result
    }

    /// The template side, for the component module (components share the
    /// page's group and node ids).
    pub(crate) fn template_parts(&mut self) -> (&mut TemplateGroup, &mut PageInstance) {
        (&mut self.group, &mut self.instance)
    }

    /// The page instance (read-only: event paths, selectors).
    pub(crate) fn instance(&self) -> &PageInstance {
        &self.instance
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

/// Each key's path segments as JSON (see [`DataUpdate::paths`]).
pub(crate) fn parse_paths(keys: &[String]) -> Vec<Option<Value>> {
    keys.iter()
        .map(|key| parse_data_path(key).ok().map(|path| segments_json(&path)))
        .collect()
}

fn segments_json(path: &DataPath) -> Value {
    let segments = path.segments.iter().map(|segment| match segment {
        PathSegment::Key(key) => Value::String(key.clone()),
        PathSegment::Index(index) => Value::from(*index),
    });
    Value::Array(segments.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_data_updates_mirror_and_reports_segments() {
        let (package, _) = Package::from_files([
            ("app.json".to_string(), r#"{"pages":["p"]}"#.to_string()),
            ("p.wxml".to_string(), "<view>{{a.b[1]}}</view>".to_string()),
        ]);
        let (mut view, ops, diagnostics) =
            PageView::build(&package, "p", json!({"a": {"b": [1, 2]}}));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert!(
            ops.iter()
                .any(|op| matches!(op, Op::CreateText { text, .. } if text == "2")),
            "{ops:?}"
        );
        let keys = ["a.b[1]".to_string(), "bad[".to_string()];
        let update = view.set_data(&keys, vec![json!(5), json!(0)]);
        assert_eq!(view.data(), &json!({"a": {"b": [1, 5]}}));
        assert_eq!(update.paths, [Some(json!(["a", "b", 1])), None]);
        assert!(
            update
                .ops
                .iter()
                .any(|op| matches!(op, Op::SetText { text, .. } if text == "5")),
            "{:?}",
            update.ops
        );
    }
}
