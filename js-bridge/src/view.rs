//! The boundary to cirrus-template: a page's WXML instance and the Rust
//! mirror of its data.
//!
//! Invariant: `data` is exactly what the page's `this.data` holds after
//! each setData (both sides apply the same path updates), and `instance`
//! reflects `data`: every update re-evaluates only the bindings that read
//! the changed paths and returns the ops for the render thread.

use crate::data_json::{DataJsonError, MAX_SET_DATA_DEPTH};
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
    /// What JS applies to `this.data` and reports.
    pub reply: SetDataReply,
}

/// One setData key as read from JS: its value, or why it could not be read
/// (nested too deeply, not JSON).
#[derive(Debug)]
pub(crate) struct KeyUpdate {
    pub key: String,
    pub value: Result<Value, DataJsonError>,
}

/// Reads a setData payload: the keys as one JSON array, each value as its
/// own JSON text (so one value too deep to read drops only its key).
/// `None` when the keys are not a JSON array of strings as long as the
/// values.
pub(crate) fn read_updates(keys_json: &str, value_texts: Vec<String>) -> Option<Vec<KeyUpdate>> {
    let keys = crate::data_json::parse_strings(keys_json)?;
    if keys.len() != value_texts.len() {
        return None;
    }
    let updates = keys
        .into_iter()
        .zip(value_texts)
        .map(|(key, text)| KeyUpdate {
            key,
            value: crate::data_json::parse(&text, MAX_SET_DATA_DEPTH),
        })
        .collect();
    Some(updates)
}

/// What JS gets back from a setData, as JSON: `{"paths": [...],
/// "problems": [...]}`. `paths[i]` is key `i`'s parsed path as an array of
/// segments (keys as strings, indices as numbers), which JS applies to
/// `this.data` so both sides agree on what every key means, or a refusal
/// `{"refused": message, "error": bool}` (the key was not applied). Each
/// problem is a refusal found while applying (data cut at the depth
/// limit). JS reports refusals and problems at the setData call.
#[derive(Debug, Default)]
pub(crate) struct SetDataReply {
    pub paths: Vec<Value>,
    pub problems: Vec<Value>,
}

impl SetDataReply {
    /// The reply for updates that are not applied anywhere in Rust (an
    /// unloaded page): paths and refusals only.
    pub fn paths_only(updates: Vec<KeyUpdate>) -> SetDataReply {
        plan_updates(updates).0
    }

    pub fn to_json(&self) -> String {
        self.as_value().to_string()
    }

    pub fn as_value(&self) -> Value {
        serde_json::json!({ "paths": self.paths, "problems": self.problems })
    }

    /// Adds what `apply_set_data` refused or cut.
    pub fn add_problems(&mut self, problems: Vec<cirrus_template::TemplateError>) {
        self.problems.extend(
            problems
                .into_iter()
                .map(|problem| refusal(format!("setData: {problem}"), false)),
        );
    }
}

fn refusal(message: String, error: bool) -> Value {
    serde_json::json!({ "refused": message, "error": error })
}

/// Splits a payload into the updates to apply and the reply JS gets.
/// A key whose value could not be read is an error (its data is lost); a
/// key that is not a data path, or names a prototype (`__proto__`,
/// `constructor`, `prototype`: cirrus-template's parser refuses them), is
/// a warning. Either way the other keys apply.
pub(crate) fn plan_updates(updates: Vec<KeyUpdate>) -> (SetDataReply, Vec<(DataPath, Value)>) {
    let mut reply = SetDataReply::default();
    let mut parsed = Vec::with_capacity(updates.len());
    for KeyUpdate { key, value } in updates {
        let value = match value {
            Ok(value) => value,
            Err(DataJsonError::TooDeep { depth, limit }) => {
                reply.paths.push(refusal(
                    format!(
                        "setData: \"{key}\" is nested too deeply ({depth} levels; the limit is {limit}); it was not applied"
                    ),
                    true,
                ));
                continue;
            }
            Err(error) => {
                reply.paths.push(refusal(
                    format!("setData: \"{key}\" {error}; it was not applied"),
                    true,
                ));
                continue;
            }
        };
        match parse_data_path(&key) {
            Ok(path) => {
                reply.paths.push(segments_json(&path));
                parsed.push((path, value));
            }
            Err(error) => reply.paths.push(refusal(
                format!("setData: \"{key}\" was refused: {error}"),
                false,
            )),
        }
    }
    (reply, parsed)
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
    pub fn set_data(&mut self, updates: Vec<KeyUpdate>) -> DataUpdate {
        let (reply, parsed) = plan_updates(updates);
        let mut result = DataUpdate {
            reply,
            ..DataUpdate::default()
        };
        if parsed.is_empty() {
            return result;
        }
        let problems = apply_set_data(&mut self.data, &parsed);
        result.reply.add_problems(problems);
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

/// A path's segments as JSON (see [`SetDataReply::paths`]).
pub(crate) fn segments_json(path: &DataPath) -> Value {
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
        let updates = read_updates(
            r#"["a.b[1]", "bad[", "__proto__.x"]"#,
            vec!["5".into(), "0".into(), "1".into()],
        )
        .unwrap();
        let update = view.set_data(updates);
        assert_eq!(view.data(), &json!({"a": {"b": [1, 5]}}));
        assert_eq!(update.reply.paths[0], json!(["a", "b", 1]));
        assert_eq!(update.reply.paths[1]["error"], json!(false));
        let refused = update.reply.paths[2]["refused"]
            .as_str()
            .unwrap_or_default();
        assert!(
            refused.contains("was refused") && refused.contains("__proto__"),
            "{refused}"
        );
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
