//! The one place that opens files a mini program can name: its package
//! files (sources, configuration, images, fonts) and the files of its data
//! folder (storage, downloads).
//!
//! A package is content the host does not control, so a path it names is
//! never trusted to stay where it looks like it goes:
//! - every path is resolved against the *canonical* root (links followed),
//!   and what it resolves to must lie inside that root: a link that leads
//!   out is refused (`... links outside the package`), and so is a link
//!   loop (`... link loop`);
//! - only regular files are read. A FIFO, socket or device is refused from
//!   its metadata, before any open, and the open itself is non-blocking,
//!   so a FIFO named `x.js` (or one swapped in between the check and the
//!   open) can never block the loader;
//! - every kind of file has a size limit ([`FileKind::limit`]), checked
//!   from the metadata before reading *and* while reading (at most
//!   `limit + 1` bytes are read), so a file that grows, or a link to
//!   `/dev/zero` that slipped through, cannot exhaust memory;
//! - writes (the data folder only) create folders one at a time without
//!   following links out, and replace files by renaming a fresh temporary
//!   file over them, which replaces a link instead of writing through it.
//!
//! std has no "open beneath this folder" call (`openat2` with
//! `RESOLVE_BENEATH` is Linux-only), so the checks are done by path; a
//! hostile package cannot change its own files while it loads, which is
//! what leaves the small window between check and open harmless.

use crate::PackageError;
use std::collections::BTreeMap;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// The most bytes one source file (`.js`, `.ts`, `.wxml`, `.wxss`, `.wxs`,
/// `.less`, `.scss`, `.sass`) may hold: 16 MiB. WeChat refuses to upload a
/// package over 2 MB (20 MB with every subpackage), so no file a real app
/// ships comes near it, while development files that sit in the folder
/// still load (TypeScript's own `typescript.js` in a `node_modules/` is
/// 9 MB).
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// The most bytes one JSON file may hold: 8 MiB. An `app.json` listing
/// 100,000 pages is about 3 MB; WeChat's whole main package is 2 MB.
pub const MAX_JSON_BYTES: u64 = 8 * 1024 * 1024;

/// The most bytes one image file may hold: 16 MiB. WeChat's package limit
/// (2 MB) keeps package images far below it; a downloaded photo from a
/// 50-megapixel camera is about 15 MB. (Decoded size is bounded apart, by
/// the image decoder's own limits.)
pub const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;

/// The most bytes one font file may hold: 32 MiB, so that a complete CJK
/// font (Noto Sans CJK SC is 16-20 MB) loads through `wx.loadFontFace`.
pub const MAX_FONT_BYTES: u64 = 32 * 1024 * 1024;

/// The most bytes any other file (audio, video, data a mini program reads
/// from its data folder) may hold: 64 MiB, the same order as a large
/// `wx.downloadFile` (WeChat caps downloads at 200 MB, but keeps them on
/// disk, not in memory as a read here does).
pub const MAX_OTHER_BYTES: u64 = 64 * 1024 * 1024;

/// The most folder levels a package walk descends: 64. A real package is
/// rarely 10 deep; npm's old nested `node_modules` layouts reach 20-30.
/// The walk follows links to folders inside the package, so without a
/// bound a chain of them could nest without end.
pub const MAX_FOLDER_DEPTH: usize = 64;

/// The most folder entries one package walk looks at: 250,000. A
/// `node_modules/` of a large web project holds 50,000-150,000 files;
/// links inside a package can make a folder appear under many names, and
/// this bounds the walk even when they multiply.
pub const MAX_WALK_ENTRIES: usize = 250_000;

/// The most bytes of text a package keeps in memory: 256 MiB (WeChat's
/// upload limit for a whole app is 20 MB; the margin is for development
/// files such as a `node_modules/` inside the mini program folder).
pub const MAX_PACKAGE_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// What a file is read as, which decides its size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Source,
    Json,
    Image,
    Font,
    Other,
}

impl FileKind {
    /// The kind of `path`, by its extension.
    pub fn of(path: &str) -> FileKind {
        let extension = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        match extension.as_str() {
            "json" => FileKind::Json,
            "js" | "mjs" | "cjs" | "ts" | "wxml" | "wxss" | "wxs" | "less" | "scss" | "sass" => {
                FileKind::Source
            }
            "png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "bmp" | "ico" | "avif" => {
                FileKind::Image
            }
            "ttf" | "otf" | "ttc" | "woff" | "woff2" => FileKind::Font,
            _ => FileKind::Other,
        }
    }

    /// The most bytes a file of this kind may hold.
    pub fn limit(self) -> u64 {
        match self {
            FileKind::Source => MAX_SOURCE_BYTES,
            FileKind::Json => MAX_JSON_BYTES,
            FileKind::Image => MAX_IMAGE_BYTES,
            FileKind::Font => MAX_FONT_BYTES,
            FileKind::Other => MAX_OTHER_BYTES,
        }
    }

    /// Whether the engine reads files of this kind from a package (so a
    /// problem with one is worth a diagnostic at load).
    pub fn is_read_by_engine(self) -> bool {
        self != FileKind::Other
    }
}

/// A folder a mini program may read (and, for its data folder, write)
/// inside, and nothing outside.
#[derive(Clone, Debug)]
pub struct Sandbox {
    /// The folder, canonical (links resolved once, here).
    root: PathBuf,
    /// What the folder is called in messages: "package", "data folder".
    place: &'static str,
}

impl Sandbox {
    /// The sandbox of a mini program's package folder.
    pub fn package(root: &Path) -> Result<Sandbox, PackageError> {
        Sandbox::new(root, "package")
    }

    /// The sandbox of a mini program's data folder (storage, user files).
    pub fn data_folder(root: &Path) -> Result<Sandbox, PackageError> {
        Sandbox::new(root, "data folder")
    }

    fn new(root: &Path, place: &'static str) -> Result<Sandbox, PackageError> {
        let root = std::fs::canonicalize(root)
            .map_err(|e| PackageError::Io(root.display().to_string(), e))?;
        Ok(Sandbox { root, place })
    }

    /// The canonical folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The canonical path of the file or folder `relative` names (`/`
    /// separated, relative to the root), which must exist and lie inside
    /// the root after links are followed.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf, PackageError> {
        let joined = self.join(relative)?;
        self.contain(&joined, relative)
    }

    /// Reads the regular file `relative` names, as `kind` (its size limit).
    pub fn read(&self, relative: &str, kind: FileKind) -> Result<Vec<u8>, PackageError> {
        self.read_limited(relative, kind.limit())
    }

    /// Reads the regular file `relative` names, at most `limit` bytes.
    pub fn read_limited(&self, relative: &str, limit: u64) -> Result<Vec<u8>, PackageError> {
        let canonical = self.resolve(relative)?;
        read_regular(&canonical, relative, limit)
    }

    /// Where `relative` lies, whether or not it exists yet: the existing
    /// part resolved (links followed, each checked to stay inside), the
    /// rest joined as written. A file that exists must be a regular file
    /// (or a folder).
    pub fn locate(&self, relative: &str) -> Result<PathBuf, PackageError> {
        self.walk(relative, AtMissing::JoinTheRest)
    }

    /// `relative` joined to the root, refused when it climbs (`..`) or is
    /// absolute: only plain names and `.` may appear.
    fn join(&self, relative: &str) -> Result<PathBuf, PackageError> {
        let path = Path::new(relative);
        let plain = path
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !plain {
            return Err(self.outside(relative));
        }
        Ok(self.root.join(path))
    }

    fn outside(&self, shown: &str) -> PackageError {
        PackageError::Outside {
            path: shown.to_owned(),
            place: self.place,
        }
    }

    /// The canonical form of `path` (under the root), refused when it
    /// leads outside the root or into a link loop.
    fn contain(&self, path: &Path, shown: &str) -> Result<PathBuf, PackageError> {
        match std::fs::canonicalize(path) {
            Ok(canonical) if canonical.starts_with(&self.root) => Ok(canonical),
            Ok(_) => Err(self.outside(shown)),
            Err(e) if is_link_loop(&e) => Err(PackageError::LinkLoop(shown.to_owned())),
            Err(e) => Err(PackageError::Io(shown.to_owned(), e)),
        }
    }

    /// Creates the folder `relative` (and those above it) inside the root,
    /// one level at a time, following only links that stay inside. Returns
    /// its canonical path.
    pub fn create_folders(&self, relative: &str) -> Result<PathBuf, PackageError> {
        self.walk(relative, AtMissing::CreateFolder)
    }

    /// Walks `relative` from the root one name at a time, following only
    /// links that stay inside (each checked as it is met, so a link
    /// planted anywhere on the way cannot lead out). What happens at the
    /// first name that does not exist is `at_missing`'s.
    fn walk(&self, relative: &str, at_missing: AtMissing) -> Result<PathBuf, PackageError> {
        self.join(relative)?;
        let creating = at_missing == AtMissing::CreateFolder;
        let mut current = self.root.clone();
        let mut shown = String::new();
        let mut components = Path::new(relative).components();
        while let Some(component) = components.next() {
            let Component::Normal(name) = component else {
                continue;
            };
            if !shown.is_empty() {
                shown.push('/');
            }
            shown.push_str(&name.to_string_lossy());
            let next = current.join(name);
            match std::fs::symlink_metadata(&next) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    current = self.contain(&next, &shown)?;
                }
                Ok(meta) if meta.is_dir() || (!creating && meta.is_file()) => current = next,
                Ok(meta) => {
                    let wanted = if creating { "a folder" } else { "a file" };
                    return Err(not_regular(&shown, &meta, wanted));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => match at_missing {
                    AtMissing::JoinTheRest => {
                        current = next;
                        current.extend(components);
                        return Ok(current);
                    }
                    AtMissing::CreateFolder => {
                        // `create_dir` never follows a link at `next`: if
                        // one appeared meanwhile it fails with "already
                        // exists".
                        std::fs::create_dir(&next)
                            .map_err(|e| PackageError::Io(shown.clone(), e))?;
                        current = next;
                    }
                },
                Err(e) => return Err(PackageError::Io(shown.clone(), e)),
            }
            if creating && !current.is_dir() {
                return Err(PackageError::Io(
                    shown.clone(),
                    std::io::Error::other("not a folder"),
                ));
            }
        }
        if let Ok(meta) = std::fs::metadata(&current) {
            if !meta.is_dir() && !meta.is_file() {
                return Err(not_regular(relative, &meta, "a file"));
            }
        }
        Ok(current)
    }

    /// Writes `bytes` to the file `relative` names, creating its folders:
    /// a fresh temporary file beside it is written, synced and renamed
    /// over it, so a link at `relative` is replaced, never written through,
    /// and a reader never sees half a file.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<PathBuf, PackageError> {
        let path = Path::new(relative);
        let name = path
            .file_name()
            .ok_or_else(|| self.outside(relative))?
            .to_owned();
        let parent = path
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let folder = self.create_folders(&parent)?;
        let target = folder.join(&name);
        if let Ok(meta) = std::fs::symlink_metadata(&target) {
            if meta.is_dir() {
                return Err(not_regular(relative, &meta, "a file"));
            }
        }
        let io = |e| PackageError::Io(relative.to_owned(), e);
        let temp = unique_temp(&folder, &name.to_string_lossy());
        let written = (|| {
            // `create_new` refuses an existing path, links included.
            let mut file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp, &target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io(e));
        }
        if let Ok(directory) = File::open(&folder) {
            let _ = directory.sync_all();
        }
        Ok(target)
    }
}

/// A temporary name beside `name` in `folder`, unique per process and
/// call (two writers never share one).
fn unique_temp(folder: &Path, name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SERIAL: AtomicU64 = AtomicU64::new(0);
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
    folder.join(format!(".{name}.{}.{serial}.tmp", std::process::id()))
}

/// Whether an error is the operating system's "too many levels of
/// symbolic links" (a loop, or a chain too long to follow).
fn is_link_loop(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        // Windows reports a reparse-point loop as ERROR_CANT_RESOLVE_FILENAME.
        error.raw_os_error() == Some(1921)
    }
}

/// What kind of non-regular file `meta` describes, for messages.
fn kind_of(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    "not a file"
}

/// What [`Sandbox::walk`] does at the first name that does not exist.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AtMissing {
    /// Joins the rest of the path as written ([`Sandbox::locate`]).
    JoinTheRest,
    /// Creates the folder and walks on ([`Sandbox::create_folders`]).
    CreateFolder,
}

fn not_regular(shown: &str, meta: &Metadata, expected: &'static str) -> PackageError {
    PackageError::NotRegularFile {
        path: shown.to_owned(),
        kind: kind_of(meta),
        expected,
    }
}

/// Reads the file at the canonical `path` (named `shown` in errors): it
/// must be a regular file of at most `limit` bytes. The kind is checked
/// before the open, and again on the open file; the open never blocks (a
/// FIFO swapped in is opened non-blocking and then refused), and at most
/// `limit + 1` bytes are ever read.
pub fn read_regular(path: &Path, shown: &str, limit: u64) -> Result<Vec<u8>, PackageError> {
    let io = |e| PackageError::Io(shown.to_owned(), e);
    let meta = std::fs::symlink_metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(shown, &meta, "a file"));
    }
    check_size(shown, meta.len(), limit)?;
    let file = open_no_block(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular(shown, &meta, "a file"));
    }
    check_size(shown, meta.len(), limit)?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    check_size(shown, bytes.len() as u64, limit)?;
    Ok(bytes)
}

fn check_size(shown: &str, size: u64, limit: u64) -> Result<(), PackageError> {
    if size > limit {
        return Err(PackageError::TooLarge {
            path: shown.to_owned(),
            size,
            limit,
        });
    }
    Ok(())
}

/// Opens for reading without blocking on a FIFO and without following a
/// link in the last component.
fn open_no_block(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// What a walk of a package folder found: its text files by package path
/// and the problems met.
#[derive(Debug, Default)]
pub struct Walked {
    pub texts: BTreeMap<String, String>,
    /// Problems with a package path each (the file they are about).
    pub problems: Vec<(String, PackageError)>,
    /// Bounds of the walk that were reached: (the package path where,
    /// message), once per bound.
    pub limits: Vec<(String, String)>,
}

/// Reads every text file (sources and JSON) of the package in `sandbox`,
/// without leaving it: links are followed only inside, loops are
/// reported, folders nest at most [`MAX_FOLDER_DEPTH`] deep and at most
/// [`MAX_WALK_ENTRIES`] entries are looked at. Files the engine reads
/// later (images, fonts) are checked for kind and size here too, so a
/// FIFO called `a.png` is reported at load. Hidden entries (`.git`) are
/// skipped.
pub fn walk_package(sandbox: &Sandbox) -> Walked {
    let mut walk = Walk {
        sandbox,
        found: Walked::default(),
        entries: 0,
        text_bytes: 0,
        ancestors: Vec::new(),
        reached: Vec::new(),
    };
    walk.folder(&sandbox.root.clone(), "", 0);
    walk.found
}

struct Walk<'s> {
    sandbox: &'s Sandbox,
    found: Walked,
    entries: usize,
    text_bytes: u64,
    /// The canonical folders being walked, root first: a link back to one
    /// of them is a loop through folders.
    ancestors: Vec<PathBuf>,
    /// Which bounds were reached (each is reported once).
    reached: Vec<Bound>,
}

/// A bound of the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Entries,
    Depth,
    TextBytes,
}

impl Walk<'_> {
    fn folder(&mut self, canonical: &Path, prefix: &str, depth: usize) {
        let Ok(entries) = std::fs::read_dir(canonical) else {
            return;
        };
        self.ancestors.push(canonical.to_path_buf());
        // Never more than the walk may still look at (plus one, to know
        // the bound was passed), however large the folder.
        let room = MAX_WALK_ENTRIES.saturating_sub(self.entries) + 1;
        let mut entries: Vec<_> = entries.flatten().take(room).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            self.entries += 1;
            if self.entries > MAX_WALK_ENTRIES {
                let shown = format!("{prefix}{name}");
                self.limit(Bound::Entries, shown, || {
                    format!("the package folder has more than {MAX_WALK_ENTRIES} entries; the rest are not read")
                });
                break;
            }
            let shown = format!("{prefix}{name}");
            self.entry(&entry.path(), shown, depth);
        }
        self.ancestors.pop();
    }

    fn entry(&mut self, path: &Path, shown: String, depth: usize) {
        let kind = FileKind::of(&shown);
        let Ok(mut meta) = std::fs::symlink_metadata(path) else {
            return;
        };
        let mut canonical = path.to_path_buf();
        if meta.file_type().is_symlink() {
            match self.sandbox.contain(path, &shown) {
                Ok(target) => canonical = target,
                Err(PackageError::Io(_, e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    // A dangling link names nothing; reading it later says so.
                    return;
                }
                Err(problem) => {
                    self.found.problems.push((shown, problem));
                    return;
                }
            }
            let Ok(target_meta) = std::fs::metadata(&canonical) else {
                return;
            };
            meta = target_meta;
        }
        if meta.is_dir() {
            if self.ancestors.contains(&canonical) {
                self.found
                    .problems
                    .push((shown.clone(), PackageError::LinkLoop(shown)));
            } else if depth + 1 >= MAX_FOLDER_DEPTH {
                self.limit(Bound::Depth, shown.clone(), || {
                    format!("{shown}: folders nested deeper than {MAX_FOLDER_DEPTH} levels are not read")
                });
            } else {
                self.folder(&canonical, &format!("{shown}/"), depth + 1);
            }
            return;
        }
        if !kind.is_read_by_engine() {
            return;
        }
        if !meta.is_file() {
            let problem = not_regular(&shown, &meta, "a file");
            self.found.problems.push((shown, problem));
            return;
        }
        if !matches!(kind, FileKind::Source | FileKind::Json) {
            // Read when drawn; its size is checked now so `check` sees it.
            if let Err(problem) = check_size(&shown, meta.len(), kind.limit()) {
                self.found.problems.push((shown, problem));
            }
            return;
        }
        if self.reached.contains(&Bound::TextBytes)
            || self.text_bytes + meta.len() > MAX_PACKAGE_TEXT_BYTES
        {
            self.limit(Bound::TextBytes, shown.clone(), || {
                format!("the package's text files pass {MAX_PACKAGE_TEXT_BYTES} bytes; {shown} and the files after it are not read")
            });
            return;
        }
        match read_regular(&canonical, &shown, kind.limit()) {
            Ok(bytes) => {
                self.text_bytes += bytes.len() as u64;
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(e) => {
                        let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                        self.found
                            .problems
                            .push((shown.clone(), PackageError::NotUtf8(shown.clone(), e)));
                        lossy
                    }
                };
                self.found.texts.insert(shown, text);
            }
            Err(problem) => self.found.problems.push((shown, problem)),
        }
    }

    /// Notes that a bound of the walk was reached (reported the first time).
    fn limit(&mut self, bound: Bound, at: String, message: impl FnOnce() -> String) {
        if !self.reached.contains(&bound) {
            self.reached.push(bound);
            self.found.limits.push((at, message()));
        }
    }
}
