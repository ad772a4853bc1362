//! `wx.loadFontFace({family, source})`: a TrueType/OpenType font from the
//! package or from an http(s) URL, checked on the logic side (so success
//! or fail is known without a round trip) and handed to the render
//! thread's text system under `family`, which CSS can then name.

use cirrus_protocol::messages::ToRender;
use crossbeam::channel::Sender;
use serde_json::{json, Value};
use std::sync::Arc;

/// Where a `source` says the font is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FontSource {
    /// An http(s) URL.
    Remote(String),
    /// A package path (relative to the calling page, or absolute).
    Package(String),
}

/// Reads `url("...")`, `url('...')`, `url(...)` or a bare path or URL.
pub(crate) fn parse_source(source: &str) -> FontSource {
    let trimmed = source.trim();
    let inner = trimmed
        .strip_prefix("url(")
        .and_then(|rest| rest.strip_suffix(')'))
        .unwrap_or(trimmed)
        .trim()
        .trim_matches(|c| c == '"' || c == '\'');
    let lower = inner.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        FontSource::Remote(inner.to_owned())
    } else {
        FontSource::Package(inner.to_owned())
    }
}

/// Checks that `bytes` are a font and sends them to the render thread
/// under `family`. Returns the result object of the call.
pub(crate) fn install(family: &str, bytes: Vec<u8>, to_render: &Sender<ToRender>) -> Value {
    if family.trim().is_empty() {
        return fail("family is empty");
    }
    if cirrus_layout::text::families_in_font(&bytes).is_empty() {
        return fail("the source is not a TrueType or OpenType font");
    }
    let _ = to_render.send(ToRender::LoadFont {
        family: family.to_owned(),
        data: Arc::new(bytes),
    });
    json!({ "errMsg": "loadFontFace:ok", "status": "loaded" })
}

/// A failed call's result object.
pub(crate) fn fail(reason: &str) -> Value {
    json!({ "errMsg": format!("loadFontFace:fail {reason}"), "status": "error" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_read_in_every_spelling() {
        assert_eq!(
            parse_source("url(\"https://cdn.example.com/a.ttf\")"),
            FontSource::Remote("https://cdn.example.com/a.ttf".into())
        );
        assert_eq!(
            parse_source("url('/fonts/a.ttf')"),
            FontSource::Package("/fonts/a.ttf".into())
        );
        assert_eq!(
            parse_source(" fonts/a.ttf "),
            FontSource::Package("fonts/a.ttf".into())
        );
    }

    #[test]
    fn bytes_that_are_no_font_fail_and_send_nothing() {
        let (sender, receiver) = crossbeam::channel::unbounded();
        let result = install("Brand", b"not a font".to_vec(), &sender);
        assert_eq!(result["status"], "error");
        assert!(receiver.try_recv().is_err());
    }
}
