//! An on-disk cache of load-time compilation results (transformed JS,
//! compiled LESS/SCSS), keyed by content: a second launch of an unchanged
//! package does no transform work.
//!
//! A key hashes (SHA-256) the kind of work, the engine version and every
//! input that decides the output, so a new engine or changed options never
//! read a stale entry. Entries are written atomically (temp file, rename),
//! so a crash or two processes writing the same key never leave a torn
//! file; a read that fails for any reason is a miss. The cache is only an
//! accelerator: with no folder (or `CIRRUS_CACHE_DIR=off`) everything still
//! works.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Bumped when a cached format changes without an engine version change.
const CACHE_FORMAT: &str = "1";

/// The folder Cirrus caches in: `$CIRRUS_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/cirrus`, else `~/.cache/cirrus`. `None` when caching is
/// off (`CIRRUS_CACHE_DIR=off`) or no home folder is known.
pub fn default_cache_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CIRRUS_CACHE_DIR") {
        if dir == "off" || dir.is_empty() {
            return None;
        }
        return Some(PathBuf::from(dir));
    }
    user_cache_root()
}

/// `$XDG_CACHE_HOME/cirrus`, else `~/.cache/cirrus`, whatever
/// `CIRRUS_CACHE_DIR` says (installed libraries live there even when
/// caching compiled output is off).
pub fn user_cache_root() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CIRRUS_CACHE_DIR").filter(|d| !d.is_empty() && d != "off")
    {
        return Some(PathBuf::from(dir));
    }
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(xdg).join("cirrus"));
    }
    std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .map(|home| PathBuf::from(home).join(".cache").join("cirrus"))
}

/// A content-addressed store of compiled files.
#[derive(Clone, Debug)]
pub struct CompileCache {
    dir: Option<PathBuf>,
}

impl CompileCache {
    /// A cache in `dir` (created on first write).
    pub fn in_dir(dir: impl Into<PathBuf>) -> CompileCache {
        CompileCache {
            dir: Some(dir.into()),
        }
    }

    /// The default cache: `default_cache_root()/compile`.
    pub fn from_env() -> CompileCache {
        CompileCache {
            dir: default_cache_root().map(|root| root.join("compile")),
        }
    }

    /// A cache that stores nothing (every `get` misses).
    pub fn disabled() -> CompileCache {
        CompileCache { dir: None }
    }

    /// The folder, when caching is on.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The key of one piece of work: `kind` names the compiler (`"js"`,
    /// `"less"`), `parts` are every input that decides its output.
    pub fn key(kind: &str, parts: &[&[u8]]) -> String {
        let mut hasher = Sha256::new();
        for header in [CACHE_FORMAT, env!("CARGO_PKG_VERSION"), kind] {
            hasher.update((header.len() as u64).to_le_bytes());
            hasher.update(header.as_bytes());
        }
        for part in parts {
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        let digest = hasher.finalize();
        let mut hex = String::with_capacity(kind.len() + 1 + 64);
        hex.push_str(kind);
        hex.push('-');
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        hex
    }

    fn path_of(&self, key: &str) -> Option<PathBuf> {
        // Keys are made by `key` (kind + hex); refuse anything else so a
        // caller can never address a path outside the folder.
        let safe = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !safe {
            return None;
        }
        self.dir.as_ref().map(|dir| dir.join(key))
    }

    /// The stored bytes of `key`, if any: a regular file, at most
    /// [`crate::sandbox::MAX_OTHER_BYTES`] (anything else is a miss).
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let path = self.path_of(key)?;
        crate::sandbox::read_regular(&path, key, crate::sandbox::MAX_OTHER_BYTES).ok()
    }

    /// Stores `bytes` under `key`. Failures (read-only disk, no space) are
    /// ignored: the next launch just compiles again.
    pub fn put(&self, key: &str, bytes: &[u8]) {
        let Some(path) = self.path_of(key) else {
            return;
        };
        let Some(dir) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // Unique per writer, so two threads or processes never share a temp file.
        static WRITES: AtomicU64 = AtomicU64::new(0);
        let serial = WRITES.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{key}.{}.{serial}.tmp", std::process::id()));
        if std::fs::write(&temp, bytes).is_ok() && std::fs::rename(&temp, &path).is_ok() {
            return;
        }
        let _ = std::fs::remove_file(&temp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_kind_and_every_part() {
        let a = CompileCache::key("js", &[b"ab", b"c"]);
        assert_ne!(a, CompileCache::key("js", &[b"a", b"bc"]));
        assert_ne!(a, CompileCache::key("less", &[b"ab", b"c"]));
        assert_eq!(a, CompileCache::key("js", &[b"ab", b"c"]));
        assert!(a.starts_with("js-") && a.len() == 3 + 64);
    }

    #[test]
    fn stores_and_reads_back_and_refuses_foreign_keys() {
        let dir = std::env::temp_dir().join(format!("cirrus-cc-test-{}", std::process::id()));
        let cache = CompileCache::in_dir(&dir);
        let key = CompileCache::key("js", &[b"source"]);
        assert_eq!(cache.get(&key), None);
        cache.put(&key, b"compiled");
        assert_eq!(cache.get(&key).as_deref(), Some(&b"compiled"[..]));
        cache.put("../escape", b"x");
        assert!(!dir.parent().unwrap().join("escape").exists());
        assert_eq!(CompileCache::disabled().get(&key), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
