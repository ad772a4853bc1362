//! Decoded pictures, for `<image>`, `background-image` and the tab bar.
//!
//! Each distinct source is decoded once and kept, with a stable
//! [`ImageKey`] that the renderer uses for its texture:
//! - package files and `data:` URLs are decoded synchronously on first use;
//! - `http(s)://` URLs are fetched and decoded on a worker pool
//!   ([`fetch`]) through a bounded on-disk cache ([`disk_cache`]); the
//!   stage drains finished fetches once per frame ([`ImageStore::poll`]),
//!   never waiting, and counts pending ones as "not settled";
//! - SVG ([`svg`]) is rasterised at device-pixel size, again when drawn
//!   larger than its last rasterisation.
//!
//! The format is always sniffed from the bytes ([`decode`]). A source that
//! cannot be loaded is remembered as failed (with a warning naming the
//! source and the referring file) so it is not retried every frame.
//! [`events`] turns outcomes into `<image>` `load` / `error` events and
//! [`lazy`] decides when a `lazy-load` image is near enough to start.
//!
//! Decoded pixels are bounded by [`DEFAULT_DECODED_BUDGET_BYTES`]: once per
//! frame ([`ImageStore::end_frame`]) the least recently used pictures not
//! drawn in that frame are dropped until the store is back under budget; a
//! dropped picture keeps its natural size (so its `load` event, layout and
//! status stay as they were) and is decoded again when next drawn. The keys
//! of dropped pixels go to the frame driver, which drops their textures.

pub mod decode;
pub mod disk_cache;
pub mod events;
pub mod fetch;
pub mod lazy;
pub mod source;
pub mod svg;

pub use source::{decode_data_url, DataUrl, ImageSource};

use crate::diagnostics::Diagnostic;
use crate::package::Package;
use cirrus_render::{ImageKey, Rect};
use decode::Decoded;
use disk_cache::DiskCache;
use fetch::Fetcher;
use std::cell::Cell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use svg::SvgPicture;

/// How many bytes of decoded pixels the store keeps past the pictures drawn
/// in the current frame: 256 MiB, 64 full-screen pictures at 750x1334 (a
/// long image feed), a quarter of a low-end phone's memory budget for an
/// app. Pictures drawn in the frame are always kept, whatever their size.
pub const DEFAULT_DECODED_BUDGET_BYTES: usize = 256 << 20;

/// Where network images are cached, and how much.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageOptions {
    /// The disk cache's folder; `None` caches nothing on disk. Default:
    /// [`crate::compile_cache::default_cache_root`]`/images`.
    pub cache_dir: Option<PathBuf>,
    /// The disk cache's bound in bytes (least recently used files go).
    pub cache_limit_bytes: u64,
}

impl Default for ImageOptions {
    fn default() -> Self {
        ImageOptions {
            cache_dir: crate::compile_cache::default_cache_root().map(|root| root.join("images")),
            cache_limit_bytes: disk_cache::DEFAULT_LIMIT_BYTES,
        }
    }
}

/// Where a source stands, as `<image>` events report it.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageStatus {
    /// Never asked for (a `lazy-load` image still far from view).
    Unrequested,
    /// A network fetch in flight.
    Pending,
    /// Decoded; natural size in CSS px.
    Loaded { width: f32, height: f32 },
    /// Failed, with the `errMsg` of `binderror`.
    Failed(String),
}

/// A decoded picture.
#[derive(Debug)]
pub struct LoadedImage {
    pub key: ImageKey,
    pub pixels: Arc<image::RgbaImage>,
    /// Size in CSS px: the pixel size of raster pictures, the document
    /// size of SVG (whose pixels are a rasterisation at some scale).
    natural: (f32, f32),
    /// Kept to rasterise again at a larger size.
    svg: Option<SvgPicture>,
    /// The store's frame count when this was last asked for (LRU).
    last_used: Cell<u64>,
}

impl LoadedImage {
    /// The natural size in CSS px, for layout, `mode` and `bindload`.
    pub fn size(&self) -> (f32, f32) {
        self.natural
    }

    /// The size of [`LoadedImage::pixels`].
    pub fn pixel_size(&self) -> (f32, f32) {
        (self.pixels.width() as f32, self.pixels.height() as f32)
    }

    /// `rect`, in natural-size units, in pixels of [`LoadedImage::pixels`]
    /// (the display list's `src` is in pixels).
    pub fn to_pixels(&self, rect: Rect) -> Rect {
        let (pw, ph) = self.pixel_size();
        let sx = pw / self.natural.0.max(f32::EPSILON);
        let sy = ph / self.natural.1.max(f32::EPSILON);
        Rect::new(rect.x * sx, rect.y * sy, rect.width * sx, rect.height * sy)
    }
}

enum Entry {
    /// A network fetch in flight, asked for by `from_file`.
    Pending {
        from_file: String,
    },
    Ready(LoadedImage),
    /// The `errMsg` of `binderror`.
    Failed(String),
    /// Loaded once, pixels dropped to stay within budget: decoded again on
    /// the next use, and meanwhile still loaded as far as status goes.
    Evicted {
        natural: (f32, f32),
    },
}

pub struct ImageStore {
    /// By [`ImageSource::key`].
    entries: HashMap<String, Entry>,
    next_key: u64,
    /// Diagnostics produced since the last `take_diagnostics`.
    diagnostics: Vec<Diagnostic>,
    options: ImageOptions,
    /// Started on the first network image.
    fetcher: Option<Fetcher>,
    /// Network fetches in flight.
    pending: usize,
    /// Network fetches started (the disk cache may answer them).
    fetches_started: u64,
    /// Device pixel ratio: SVG is rasterised at natural size x this.
    dpr: f32,
    /// Bytes of decoded pixels held by `Ready` entries.
    decoded_bytes: usize,
    /// [`DEFAULT_DECODED_BUDGET_BYTES`] unless a test sets another.
    budget_bytes: usize,
    /// Frames ended so far: the clock of `LoadedImage::last_used`.
    frame: u64,
    /// Keys whose pixels were dropped since the last `end_frame`.
    dropped_keys: Vec<ImageKey>,
}

impl Default for ImageStore {
    fn default() -> Self {
        ImageStore::new(ImageOptions::default())
    }
}

impl std::fmt::Debug for ImageStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageStore")
            .field("entries", &self.entries.len())
            .field("pending", &self.pending)
            .field("options", &self.options)
            .finish()
    }
}

impl ImageStore {
    pub fn new(options: ImageOptions) -> ImageStore {
        ImageStore {
            entries: HashMap::new(),
            next_key: 0,
            diagnostics: Vec::new(),
            options,
            fetcher: None,
            pending: 0,
            fetches_started: 0,
            dpr: 1.0,
            decoded_bytes: 0,
            budget_bytes: DEFAULT_DECODED_BUDGET_BYTES,
            frame: 0,
            dropped_keys: Vec::new(),
        }
    }

    /// Sets the decoded-pixel budget (see [`DEFAULT_DECODED_BUDGET_BYTES`]).
    pub fn set_budget_bytes(&mut self, bytes: usize) {
        self.budget_bytes = bytes;
    }

    /// Bytes of decoded pixels held now.
    pub fn decoded_bytes(&self) -> usize {
        self.decoded_bytes
    }

    /// Ends a frame: drops the least recently used pictures not used in it
    /// while the store is over budget, and returns every key whose pixels
    /// were dropped since the last call (their textures can go).
    pub fn end_frame(&mut self) -> Vec<ImageKey> {
        if self.decoded_bytes > self.budget_bytes {
            self.drop_idle(self.frame, self.budget_bytes);
        }
        self.frame += 1;
        std::mem::take(&mut self.dropped_keys)
    }

    /// The host is short of memory: drops the pixels of every picture the
    /// last frame did not draw (they decode again on their next use). The
    /// keys come back from the next [`end_frame`](Self::end_frame).
    pub fn trim(&mut self) {
        self.drop_idle(self.frame.saturating_sub(1), 0);
    }

    /// Drops pictures last used before frame `used_before`, least recently
    /// used first, until at most `keep_bytes` of pixels are held.
    fn drop_idle(&mut self, used_before: u64, keep_bytes: usize) {
        let mut idle: Vec<(u64, String)> = (self.entries.iter())
            .filter_map(|(source, entry)| match entry {
                Entry::Ready(image) if image.last_used.get() < used_before => {
                    Some((image.last_used.get(), source.clone()))
                }
                _ => None,
            })
            .collect();
        idle.sort_unstable();
        for (_, source) in idle {
            if self.decoded_bytes <= keep_bytes {
                break;
            }
            if let Some(Entry::Ready(image)) = self.entries.remove(&source) {
                self.decoded_bytes = self.decoded_bytes.saturating_sub(image.pixels.len());
                self.dropped_keys.push(image.key);
                let natural = image.natural;
                self.entries.insert(source, Entry::Evicted { natural });
            }
        }
    }

    pub fn options(&self) -> &ImageOptions {
        &self.options
    }

    /// SVG pictures are rasterised at their natural size times `dpr`
    /// unless drawn larger.
    pub fn set_device_pixel_ratio(&mut self, dpr: f32) {
        if dpr.is_finite() && dpr > 0.0 {
            self.dpr = dpr;
        }
    }

    /// The image `src` as written in `from_file` (a package path such as
    /// `pages/a/a.wxml`, or `pages/a/a.wxss` for a background), loading it
    /// on first use. `None` while a network image loads, and when it failed.
    pub fn get(&mut self, package: &Package, from_file: &str, src: &str) -> Option<&LoadedImage> {
        let source = ImageSource::parse(from_file, src)?;
        self.ensure(package, from_file, &source);
        self.ready(source.key())
    }

    /// The decoded picture of a source key, marked as used this frame.
    fn ready(&self, key: &str) -> Option<&LoadedImage> {
        match self.entries.get(key) {
            Some(Entry::Ready(image)) => {
                image.last_used.set(self.frame);
                Some(image)
            }
            _ => None,
        }
    }

    /// [`ImageStore::get`] for a picture drawn `device_size` device pixels
    /// large: an SVG whose rasterisation is smaller is rasterised again at
    /// that size (with a new key), so it stays sharp.
    pub fn get_at_size(
        &mut self,
        package: &Package,
        from_file: &str,
        src: &str,
        device_size: (f32, f32),
    ) -> Option<&LoadedImage> {
        let source = ImageSource::parse(from_file, src)?;
        self.ensure(package, from_file, &source);
        let want = (device_size.0.ceil(), device_size.1.ceil());
        let needs_raster = match self.entries.get(source.key()) {
            Some(Entry::Ready(img)) if img.svg.is_some() => {
                let (pw, ph) = img.pixel_size();
                want.0.is_finite() && want.1.is_finite() && (want.0 > pw || want.1 > ph)
            }
            _ => false,
        };
        if needs_raster {
            self.next_key += 1;
            let key = ImageKey(self.next_key);
            if let Some(Entry::Ready(img)) = self.entries.get_mut(source.key()) {
                if let Some(svg) = &img.svg {
                    let (pw, ph) = img.pixel_size();
                    let pixels = svg.rasterize(want.0.max(pw) as u32, want.1.max(ph) as u32);
                    self.decoded_bytes =
                        (self.decoded_bytes + pixels.len()).saturating_sub(img.pixels.len());
                    img.pixels = Arc::new(pixels);
                    // The smaller rasterisation's texture is no longer drawn.
                    self.dropped_keys.push(img.key);
                    img.key = key;
                }
            }
        }
        self.ready(source.key())
    }

    /// The picture if it is already decoded; never starts loading (for
    /// `lazy-load` images not yet near the view).
    pub fn peek(&self, from_file: &str, src: &str) -> Option<&LoadedImage> {
        let source = ImageSource::parse(from_file, src)?;
        self.ready(source.key())
    }

    /// Where `src` (as written in `from_file`) stands.
    pub fn status(&self, from_file: &str, src: &str) -> ImageStatus {
        let Some(source) = ImageSource::parse(from_file, src) else {
            return ImageStatus::Failed("empty src".to_owned());
        };
        match self.entries.get(source.key()) {
            None => ImageStatus::Unrequested,
            Some(Entry::Pending { .. }) => ImageStatus::Pending,
            Some(Entry::Ready(img)) => {
                let (width, height) = img.size();
                ImageStatus::Loaded { width, height }
            }
            Some(Entry::Failed(message)) => ImageStatus::Failed(message.clone()),
            Some(Entry::Evicted {
                natural: (width, height),
            }) => ImageStatus::Loaded {
                width: *width,
                height: *height,
            },
        }
    }

    /// Whether a network image is still loading (the app is not settled).
    pub fn is_pending(&self) -> bool {
        self.pending > 0
    }

    /// How many network fetches were started (each distinct URL once).
    pub fn fetches_started(&self) -> u64 {
        self.fetches_started
    }

    /// Takes the network fetches that finished since the last call, without
    /// waiting. Returns the keys ([`ImageSource::key`]) of the sources that
    /// loaded or failed.
    pub fn poll(&mut self) -> Vec<String> {
        let Some(finished) = self.fetcher.as_ref().map(Fetcher::try_results) else {
            return Vec::new();
        };
        let mut resolved = Vec::new();
        for fetched in finished {
            let Some(Entry::Pending { from_file }) = self.entries.remove(&fetched.url) else {
                continue;
            };
            self.pending = self.pending.saturating_sub(1);
            let entry = match fetched.outcome {
                Ok(decoded) => Entry::Ready(self.make_loaded(decoded)),
                Err(message) => {
                    self.diagnostics.push(Diagnostic::warning(
                        from_file,
                        0,
                        0,
                        format!("image `{}` failed to load: {message}", fetched.url),
                    ));
                    Entry::Failed(message)
                }
            };
            self.entries.insert(fetched.url.clone(), entry);
            resolved.push(fetched.url);
        }
        resolved
    }

    /// Every loaded image, for uploading to the renderer.
    pub fn loaded(&self) -> impl Iterator<Item = &LoadedImage> {
        self.entries.values().filter_map(|e| match e {
            Entry::Ready(image) => Some(image),
            _ => None,
        })
    }

    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diagnostics)
    }

    /// Loads `source` unless it is known already.
    fn ensure(&mut self, package: &Package, from_file: &str, source: &ImageSource) {
        if self
            .entries
            .get(source.key())
            .is_some_and(|entry| !matches!(entry, Entry::Evicted { .. }))
        {
            return;
        }
        let entry = match source {
            ImageSource::Package(path) => match package.read_binary(path) {
                Some(bytes) => self.decoded_entry(decode::decode(&bytes), from_file, path),
                None => self.failed(from_file, path, "not found in the package".to_owned()),
            },
            ImageSource::Data(url) => {
                let decoded = decode_data_url(url).and_then(|data| {
                    // The bytes decide; an SVG media type only rescues
                    // documents the sniffer does not recognise.
                    decode::decode(&data.bytes).or_else(|reason| {
                        if data.media_type == "image/svg+xml" {
                            SvgPicture::parse(&data.bytes).map(Decoded::Svg)
                        } else {
                            Err(reason)
                        }
                    })
                });
                self.decoded_entry(decoded, from_file, &abbreviate(url))
            }
            ImageSource::Network(url) => self.start_fetch(from_file, url),
        };
        self.entries.insert(source.key().to_owned(), entry);
    }

    fn start_fetch(&mut self, from_file: &str, url: &str) -> Entry {
        let cache = self
            .options
            .cache_dir
            .clone()
            .map(|dir| Arc::new(DiskCache::new(dir, self.options.cache_limit_bytes)));
        let fetcher = self.fetcher.get_or_insert_with(|| Fetcher::start(cache));
        if !fetcher.submit(url.to_owned()) {
            return self.failed(
                from_file,
                url,
                "no image fetch thread is running".to_owned(),
            );
        }
        self.pending += 1;
        self.fetches_started += 1;
        Entry::Pending {
            from_file: from_file.to_owned(),
        }
    }

    fn decoded_entry(
        &mut self,
        decoded: Result<Decoded, String>,
        from_file: &str,
        shown: &str,
    ) -> Entry {
        match decoded {
            Ok(decoded) => Entry::Ready(self.make_loaded(decoded)),
            Err(reason) => self.failed(from_file, shown, reason),
        }
    }

    fn failed(&mut self, from_file: &str, shown: &str, reason: String) -> Entry {
        self.diagnostics.push(Diagnostic::warning(
            from_file,
            0,
            0,
            format!("image `{shown}` {reason}"),
        ));
        Entry::Failed(format!("{shown} {reason}"))
    }

    /// Gives a decoded picture its key (SVG: rasterised at natural x dpr).
    fn make_loaded(&mut self, decoded: Decoded) -> LoadedImage {
        self.next_key += 1;
        let key = ImageKey(self.next_key);
        let loaded = match decoded {
            Decoded::Raster(pixels) => LoadedImage {
                key,
                natural: (pixels.width() as f32, pixels.height() as f32),
                pixels: Arc::new(pixels),
                svg: None,
                last_used: Cell::new(self.frame),
            },
            Decoded::Svg(svg) => {
                let natural = svg.natural_size();
                let pixels = svg.rasterize(
                    (natural.0 * self.dpr).ceil() as u32,
                    (natural.1 * self.dpr).ceil() as u32,
                );
                LoadedImage {
                    key,
                    natural,
                    pixels: Arc::new(pixels),
                    svg: Some(svg),
                    last_used: Cell::new(self.frame),
                }
            }
        };
        self.decoded_bytes += loaded.pixels.len();
        loaded
    }
}

/// A `data:` URL shortened for messages.
fn abbreviate(url: &str) -> String {
    match url.char_indices().nth(48) {
        Some((end, _)) => format!("{}…", &url[..end]),
        None => url.to_owned(),
    }
}
