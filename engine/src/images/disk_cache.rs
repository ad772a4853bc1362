//! The on-disk cache of network images, shared by every launch: one file
//! per URL (named by the SHA-256 of the URL), bounded in bytes, evicting
//! the least recently used files first. "Last use" is the file's mtime,
//! bumped on every hit, so no index file can go stale or be corrupted by a
//! crash; a write goes to a temporary file renamed into place, so a reader
//! never sees half a picture.
//!
//! Written by hand: the cache crates (`cacache`, `http-cache`) bring async
//! runtimes or HTTP semantics the engine does not use; this is 100 lines.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// The default byte bound of the cache.
pub const DEFAULT_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

const SUFFIX: &str = ".img";

#[derive(Debug)]
pub struct DiskCache {
    dir: PathBuf,
    limit_bytes: u64,
    /// The last "last use" stamp given out: stamps strictly increase within
    /// a process, so uses in the same clock tick still order correctly.
    last_stamp: Mutex<SystemTime>,
}

impl DiskCache {
    pub fn new(dir: PathBuf, limit_bytes: u64) -> DiskCache {
        DiskCache {
            dir,
            limit_bytes,
            last_stamp: Mutex::new(SystemTime::UNIX_EPOCH),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds `url`'s bytes.
    pub fn path_of(&self, url: &str) -> PathBuf {
        let digest = Sha256::digest(url.as_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}{SUFFIX}"))
    }

    /// The cached bytes of `url`, marking it used.
    pub fn get(&self, url: &str) -> Option<Vec<u8>> {
        let path = self.path_of(url);
        let bytes = std::fs::read(&path).ok()?;
        self.touch(&path);
        Some(bytes)
    }

    /// Stores `bytes` for `url`, then evicts least recently used files
    /// until the cache fits its bound. Failures only lose the caching.
    pub fn put(&self, url: &str, bytes: &[u8]) {
        if bytes.len() as u64 > self.limit_bytes || std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let path = self.path_of(url);
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&temporary, bytes).is_err() || std::fs::rename(&temporary, &path).is_err()
        {
            let _ = std::fs::remove_file(&temporary);
            return;
        }
        self.touch(&path);
        self.evict(&path);
    }

    /// Sets the file's mtime to a fresh, strictly increasing stamp.
    fn touch(&self, path: &Path) {
        let stamp = {
            let Ok(mut last) = self.last_stamp.lock() else {
                return;
            };
            let now = SystemTime::now();
            let stamp = if now > *last {
                now
            } else {
                *last + Duration::from_millis(1)
            };
            *last = stamp;
            stamp
        };
        if let Ok(file) = std::fs::File::options().write(true).open(path) {
            let _ = file.set_modified(stamp);
        }
    }

    /// Removes the least recently used entries (never `keep`, the one just
    /// written) while the cache is over its bound.
    fn evict(&self, keep: &Path) {
        let Ok(listing) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut entries: Vec<(SystemTime, u64, PathBuf)> = listing
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(SUFFIX))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), e.path()))
            })
            .collect();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        entries.sort_by_key(|e| e.0);
        for (_, len, path) in entries {
            if total <= self.limit_bytes {
                break;
            }
            if path != keep && std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("cirrus-disk-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn stores_reads_and_evicts_least_recently_used() {
        let dir = temp_dir("lru");
        let cache = DiskCache::new(dir.clone(), 250);
        cache.put("http://a", &[1; 100]);
        cache.put("http://b", &[2; 100]);
        // `a` used after `b`: `b` is the least recently used.
        assert_eq!(cache.get("http://a").as_deref(), Some(&[1u8; 100][..]));
        cache.put("http://c", &[3; 100]);
        assert!(cache.get("http://b").is_none());
        assert!(cache.get("http://a").is_some());
        assert!(cache.get("http://c").is_some());
        // A new cache over the same folder sees the same files.
        let again = DiskCache::new(dir.clone(), 250);
        assert!(again.get("http://c").is_some());
        // Larger than the whole bound: not stored.
        cache.put("http://huge", &[0; 300]);
        assert!(cache.get("http://huge").is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
