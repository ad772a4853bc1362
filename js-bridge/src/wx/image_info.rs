//! `wx.getImageInfo`: the size and type of an image, read from its header
//! with the `image` crate (no pixel is decoded). Package files and sandbox
//! files (`wxfile://`) are read on the logic thread; http(s) images are
//! fetched by the HTTP workers (`http::JobKind::ImageInfo`), which call
//! [`describe`] on the body.

use image::{ImageFormat, ImageReader};
use serde_json::{json, Value};
use std::io::Cursor;

/// The `getImageInfo` result for `bytes` shown as `path`: `{width, height,
/// path, type, orientation, errMsg}`, or a fail when they are no image.
/// Orientation is always `up`: EXIF is not read.
pub(crate) fn describe(bytes: &[u8], path: &str) -> Value {
    let reader = match ImageReader::new(Cursor::new(bytes)).with_guessed_format() {
        Ok(reader) => reader,
        Err(error) => return fail(&format!("invalid image: {error}")),
    };
    let Some(format) = reader.format() else {
        return fail("invalid image: unknown format");
    };
    match reader.into_dimensions() {
        Ok((width, height)) => json!({
            "errMsg": "getImageInfo:ok",
            "width": width,
            "height": height,
            "path": path,
            "type": type_name(format),
            "orientation": "up",
        }),
        Err(error) => fail(&format!("invalid image: {error}")),
    }
}

pub(crate) fn fail(reason: &str) -> Value {
    json!({ "errMsg": format!("getImageInfo:fail {reason}") })
}

/// WeChat's spelling of the type (`jpeg`, `png`, `gif`, `webp`...).
fn type_name(format: ImageFormat) -> String {
    format
        .extensions_str()
        .first()
        .map(|ext| if *ext == "jpg" { "jpeg" } else { ext })
        .unwrap_or("unknown")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbaImage::new(width, height)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn reads_size_and_type_from_the_header() {
        let info = describe(&png(3, 5), "/a.png");
        assert_eq!(info["errMsg"], "getImageInfo:ok");
        assert_eq!(
            (info["width"].as_u64(), info["height"].as_u64()),
            (Some(3), Some(5))
        );
        assert_eq!(info["type"], "png");
        assert_eq!(info["path"], "/a.png");
        assert_eq!(info["orientation"], "up");
    }

    #[test]
    fn garbage_is_a_fail_not_a_panic() {
        let info = describe(b"not an image at all", "/x.png");
        assert!(
            info["errMsg"]
                .as_str()
                .unwrap()
                .starts_with("getImageInfo:fail invalid image"),
            "{info}"
        );
    }
}
