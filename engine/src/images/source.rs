//! What an image `src` (or a `url()` in WXSS) names: a file of the package,
//! a network URL, or an inline `data:` URL; and the decoding of `data:`
//! payloads (RFC 2397: `data:[<mediatype>][;base64],<data>`).
//!
//! Written by hand: the grammar is one line, and the crates that parse it
//! (`data-url`) follow the browser's fetch algorithm for every MIME type,
//! which is more than the two encodings mini programs use.

use crate::package::resolve_relative;
use base64::Engine as _;

/// Where the bytes of an image come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    /// A package path, already resolved against the referring file.
    Package(String),
    /// An `http://` or `https://` URL (protocol-relative `//host/…` is https).
    Network(String),
    /// A `data:` URL, decoded synchronously.
    Data(String),
}

impl ImageSource {
    /// Classifies `src` as written in `from_file` (`pages/a/a.wxml`, or a
    /// `.wxss` for backgrounds). `None` for an empty source.
    pub fn parse(from_file: &str, src: &str) -> Option<ImageSource> {
        let src = src.trim();
        if src.is_empty() {
            return None;
        }
        let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Some(ImageSource::Network(src.to_owned()));
        }
        if let Some(rest) = src.strip_prefix("//") {
            return Some(ImageSource::Network(format!("https://{rest}")));
        }
        if lower.starts_with("data:") {
            return Some(ImageSource::Data(src.to_owned()));
        }
        Some(ImageSource::Package(resolve_relative(from_file, src)))
    }

    /// The key the store remembers this source under.
    pub fn key(&self) -> &str {
        match self {
            ImageSource::Package(path) => path,
            ImageSource::Network(url) | ImageSource::Data(url) => url,
        }
    }
}

/// A decoded `data:` URL.
#[derive(Debug, PartialEq, Eq)]
pub struct DataUrl {
    /// The media type, lower-cased, without parameters (`image/svg+xml`);
    /// empty when the URL gives none.
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// Decodes `data:<mediatype>[;params][;base64],<payload>`. The payload of a
/// non-base64 URL is percent-decoded (`%3Csvg…`, or raw `<svg…` after
/// `;utf8`). Errors are short reasons for a diagnostic.
pub fn decode_data_url(url: &str) -> Result<DataUrl, String> {
    let rest = url
        .get(..5)
        .filter(|scheme| scheme.eq_ignore_ascii_case("data:"))
        .map(|_| &url[5..])
        .ok_or("not a data: URL")?;
    let (header, payload) = rest.split_once(',').ok_or("no `,` before the data")?;
    let mut params = header.split(';').map(str::trim);
    let media_type = params.next().unwrap_or("").to_ascii_lowercase();
    let is_base64 = params.any(|p| p.eq_ignore_ascii_case("base64"));
    let bytes = if is_base64 {
        decode_base64(payload)?
    } else {
        percent_encoding::percent_decode_str(payload).collect()
    };
    Ok(DataUrl { media_type, bytes })
}

/// Base64 as found in the wild: padded or not, standard or URL-safe
/// alphabet, possibly percent-encoded or wrapped with whitespace.
fn decode_base64(payload: &str) -> Result<Vec<u8>, String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let unescaped: Vec<u8> = percent_encoding::percent_decode_str(payload)
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let mut last_error = String::new();
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        match engine.decode(&unescaped) {
            Ok(bytes) => return Ok(bytes),
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(format!("invalid base64: {last_error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_sources() {
        assert_eq!(
            ImageSource::parse("pages/a/a.wxml", "../img/x.png"),
            Some(ImageSource::Package("pages/img/x.png".into()))
        );
        assert_eq!(
            ImageSource::parse("a.wxml", " HTTPS://x.test/a "),
            Some(ImageSource::Network("HTTPS://x.test/a".into()))
        );
        assert_eq!(
            ImageSource::parse("a.wxml", "//cdn.test/a.png"),
            Some(ImageSource::Network("https://cdn.test/a.png".into()))
        );
        assert!(matches!(
            ImageSource::parse("a.wxml", "data:image/png;base64,AA"),
            Some(ImageSource::Data(_))
        ));
        assert_eq!(ImageSource::parse("a.wxml", "  "), None);
    }

    #[test]
    fn decodes_base64_and_percent_payloads() {
        let b64 = decode_data_url("data:image/png;base64,aGVs bG8=").unwrap();
        assert_eq!(b64.media_type, "image/png");
        assert_eq!(b64.bytes, b"hello");
        let unpadded = decode_data_url("data:image/gif;base64,aGVsbG8").unwrap();
        assert_eq!(unpadded.bytes, b"hello");
        let pct = decode_data_url("data:image/svg+xml,%3Csvg%20a='1'%3E").unwrap();
        assert_eq!(pct.media_type, "image/svg+xml");
        assert_eq!(pct.bytes, b"<svg a='1'>");
        let utf8 = decode_data_url("data:image/svg+xml;utf8,<svg/>").unwrap();
        assert_eq!(utf8.bytes, b"<svg/>");
        assert!(decode_data_url("data:image/png;base64").is_err());
        assert!(decode_data_url("data:image/png;base64,@@@").is_err());
    }
}
