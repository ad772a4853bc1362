//! Decoded pictures of a package, for `<image>` and `background-image`.
//!
//! Each distinct source is decoded once (PNG, JPEG, GIF's first frame, WebP)
//! and kept, with a stable [`ImageKey`] that the renderer uses for its
//! texture. A source that cannot be read or decoded is remembered as failed
//! (with a diagnostic) so it is not retried every frame.

use crate::diagnostics::Diagnostic;
use crate::package::{resolve_relative, Package};
use cirrus_render::ImageKey;
use std::collections::HashMap;
use std::sync::Arc;

/// A decoded picture.
#[derive(Debug)]
pub struct LoadedImage {
    pub key: ImageKey,
    pub pixels: Arc<image::RgbaImage>,
}

impl LoadedImage {
    pub fn size(&self) -> (f32, f32) {
        (self.pixels.width() as f32, self.pixels.height() as f32)
    }
}

#[derive(Debug, Default)]
pub struct ImageStore {
    /// By resolved package path; `None` when loading failed.
    entries: HashMap<String, Option<LoadedImage>>,
    next_key: u64,
    /// Diagnostics produced since the last `take_diagnostics`.
    diagnostics: Vec<Diagnostic>,
}

impl ImageStore {
    /// The image `src` as written in `from_file` (a package path such as
    /// `pages/a/a.wxml`, or `pages/a/a.wxss` for a background), loading it
    /// on first use.
    pub fn get(&mut self, package: &Package, from_file: &str, src: &str) -> Option<&LoadedImage> {
        let src = src.trim();
        if src.is_empty() {
            return None;
        }
        let path = resolve_relative(from_file, src);
        if !self.entries.contains_key(&path) {
            let loaded = self.load(package, from_file, src, &path);
            self.entries.insert(path.clone(), loaded);
        }
        self.entries.get(&path).and_then(Option::as_ref)
    }

    fn load(
        &mut self,
        package: &Package,
        from_file: &str,
        src: &str,
        path: &str,
    ) -> Option<LoadedImage> {
        if src.contains("://") {
            self.diagnostics.push(Diagnostic::warning(
                from_file,
                0,
                0,
                format!("image `{src}`: network images are not loaded by this build"),
            ));
            return None;
        }
        let Some(bytes) = package.read_binary(path) else {
            self.diagnostics.push(Diagnostic::warning(
                from_file,
                0,
                0,
                format!("image `{src}` not found in the package"),
            ));
            return None;
        };
        match image::load_from_memory(&bytes) {
            Ok(img) => {
                self.next_key += 1;
                Some(LoadedImage {
                    key: ImageKey(self.next_key),
                    pixels: Arc::new(img.to_rgba8()),
                })
            }
            Err(e) => {
                self.diagnostics.push(Diagnostic::warning(
                    from_file,
                    0,
                    0,
                    format!("image `{src}` cannot be decoded: {e}"),
                ));
                None
            }
        }
    }

    /// Every loaded image, for uploading to the renderer.
    pub fn loaded(&self) -> impl Iterator<Item = &LoadedImage> {
        self.entries.values().flatten()
    }

    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }
}
