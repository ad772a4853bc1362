//! `wx.setStorage` & co.: a per-app key-value store kept in memory and
//! persisted to one JSON file.
//!
//! Invariants:
//! - The file on disk is always a complete store: every write goes to a
//!   fresh temporary file beside it, is fsynced, then renamed over
//!   `storage.json` (an atomic replace on POSIX and NTFS), and the directory
//!   is fsynced. A crash leaves either the old or the new file, plus
//!   perhaps a stray temp file, which loading deletes without reading.
//! - The data folder is a sandbox (`cirrus_package::sandbox`): the file is
//!   read only if it is a regular file inside the folder (a link out, a
//!   FIFO or `/dev/zero` in its place is refused, with the reason), at most
//!   [`MAX_FILE_BYTES`]; a write replaces whatever is at its name (a link
//!   included) instead of writing through it.
//! - A file written by hand cannot hold more than a store may: loading
//!   keeps entries while they fit the limits below, and says what it
//!   dropped.
//! - Values are stored as the JSON text JS produced, so what `getStorage`
//!   returns is what `setStorage` was given, for every JSON-able type.
//! - Sizes are counted as WeChat counts them, in bytes of key + value text;
//!   one key may hold 1 MB, the whole store 10 MB. A write that would pass a
//!   limit changes nothing.
//! - Without a directory (in-memory packages in tests) the store lives only
//!   in memory.

use cirrus_package::sandbox::Sandbox;
use cirrus_package::PackageError;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// 1 MB per key.
pub const MAX_KEY_BYTES: usize = 1024 * 1024;
/// 10 MB per app (`limitSize` is reported in KB: 10240).
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;
/// The most bytes `storage.json` is read to: a full store (10 MB) whose
/// every character is escaped as `\uXXXX` (6 bytes) inside the file's
/// JSON strings, plus room for the keys' quoting.
pub const MAX_FILE_BYTES: u64 = 6 * MAX_TOTAL_BYTES as u64 + 1024 * 1024;
const FILE_NAME: &str = "storage.json";
/// The temporary file of earlier versions (now `.storage.json.*.tmp`,
/// see `Sandbox::write`).
const OLD_TEMP_NAME: &str = "storage.json.tmp";

/// Why a write was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StorageError {
    #[error("entry size limit reached")]
    KeyTooLarge,
    #[error("exceed storage max size 10M")]
    StoreFull,
    #[error("{0}")]
    Io(String),
}

#[derive(Debug)]
pub struct Storage {
    dir: Option<PathBuf>,
    /// key -> JSON text of the value.
    entries: BTreeMap<String, String>,
    /// Sum of key and value lengths.
    bytes: usize,
}

impl Storage {
    /// A store that is never written to disk.
    pub fn in_memory() -> Storage {
        Storage {
            dir: None,
            entries: BTreeMap::new(),
            bytes: 0,
        }
    }

    /// Opens (or starts) the store in `dir`. An unreadable, refused or
    /// corrupt file yields an empty store plus the reason, so the app
    /// still runs; entries past the limits are dropped with the reason.
    pub fn open(dir: &Path) -> (Storage, Option<String>) {
        let mut store = Storage {
            dir: Some(dir.to_path_buf()),
            entries: BTreeMap::new(),
            bytes: 0,
        };
        let Ok(sandbox) = Sandbox::data_folder(dir) else {
            // No folder yet: nothing stored; the first write creates it.
            return (store, None);
        };
        remove_stray_temp_files(sandbox.root());
        let text = match sandbox.read_limited(FILE_NAME, MAX_FILE_BYTES) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(PackageError::Io(_, error)) if error.kind() == std::io::ErrorKind::NotFound => {
                return (store, None);
            }
            Err(problem) => return (store, Some(problem.to_string())),
        };
        let map = match serde_json::from_str::<Map<String, Value>>(&text) {
            Ok(map) => map,
            Err(error) => {
                return (
                    store,
                    Some(format!("{FILE_NAME} is not a storage file: {error}")),
                )
            }
        };
        let mut dropped = 0usize;
        for (key, value) in map {
            // Values are stored as their JSON text inside the file.
            let text = match value {
                Value::String(text) => text,
                other => other.to_string(),
            };
            let size = key.len() + text.len();
            if size > MAX_KEY_BYTES || store.bytes + size > MAX_TOTAL_BYTES {
                dropped += 1;
                continue;
            }
            store.bytes += size;
            store.entries.insert(key, text);
        }
        let problem = (dropped > 0).then(|| {
            format!("{FILE_NAME}: {dropped} entries pass the storage limits (1 MB a key, 10 MB in all) and were not loaded")
        });
        (store, problem)
    }

    /// The JSON text stored under `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    pub fn set(&mut self, key: &str, json: String) -> Result<(), StorageError> {
        let size = key.len() + json.len();
        if size > MAX_KEY_BYTES {
            return Err(StorageError::KeyTooLarge);
        }
        let old = self.entries.get(key).map_or(0, |v| key.len() + v.len());
        let bytes = self.bytes - old + size;
        if bytes > MAX_TOTAL_BYTES {
            return Err(StorageError::StoreFull);
        }
        let previous = self.entries.insert(key.to_owned(), json);
        let before = std::mem::replace(&mut self.bytes, bytes);
        self.persist().inspect_err(|_| {
            // The disk refused: memory goes back to what the disk has.
            match previous {
                Some(previous) => self.entries.insert(key.to_owned(), previous),
                None => self.entries.remove(key),
            };
            self.bytes = before;
        })
    }

    pub fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        if let Some(value) = self.entries.remove(key) {
            self.bytes -= key.len() + value.len();
            self.persist()?;
        }
        Ok(())
    }

    pub fn clear(&mut self) -> Result<(), StorageError> {
        self.entries.clear();
        self.bytes = 0;
        self.persist()
    }

    pub fn keys(&self) -> Vec<String> {
        self.entries.keys().cloned().collect()
    }

    /// Bytes in use, for `currentSize` (which WeChat reports in KB).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Writes the whole store atomically (see the module docs).
    fn persist(&self) -> Result<(), StorageError> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        // The folder itself is the host's choice; what is inside it is the
        // sandbox's.
        std::fs::create_dir_all(dir).map_err(|error| StorageError::Io(error.to_string()))?;
        let sandbox = Sandbox::data_folder(dir).map_err(|e| StorageError::Io(e.to_string()))?;
        let map: Map<String, Value> = self
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let text = Value::Object(map).to_string();
        sandbox
            .write(FILE_NAME, text.as_bytes())
            .map_err(|e| StorageError::Io(e.to_string()))?;
        Ok(())
    }
}

/// Temporary files are writes that never reached their rename: removed
/// unread (`remove_file` removes a link, never what it points to).
fn remove_stray_temp_files(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(OLD_TEMP_NAME));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&format!(".{FILE_NAME}.")) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SENTINEL: &str = "SENTINEL-storage-outside";

    /// A data folder and, beside it, a sentinel file it must never touch.
    struct Folders(PathBuf);

    impl Folders {
        fn new(name: &str) -> Folders {
            let root =
                std::env::temp_dir().join(format!("cirrus-storage-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("data")).unwrap();
            std::fs::write(
                root.join("secret.json"),
                format!("{{\"k\": \"{SENTINEL}\"}}"),
            )
            .unwrap();
            Folders(root)
        }

        fn data(&self) -> PathBuf {
            self.0.join("data")
        }

        fn storage_file(&self) -> PathBuf {
            self.data().join(FILE_NAME)
        }
    }

    impl Drop for Folders {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_storage_file_linked_outside_is_refused_and_replaced_not_written_through() {
        let folders = Folders::new("link");
        let secret = folders.0.join("secret.json");
        std::os::unix::fs::symlink(&secret, folders.storage_file()).unwrap();
        let (mut store, problem) = Storage::open(&folders.data());
        let problem = problem.expect("the link is reported");
        assert!(problem.contains("outside the data folder"), "{problem}");
        assert_eq!(store.get("k"), None);
        store.set("a", "1".into()).unwrap();
        assert!(std::fs::read_to_string(&secret).unwrap().contains(SENTINEL));
        let meta = std::fs::symlink_metadata(folders.storage_file()).unwrap();
        assert!(meta.is_file(), "the link was replaced by the store");
    }

    #[test]
    fn a_fifo_or_device_in_place_of_the_file_is_refused_without_blocking() {
        let folders = Folders::new("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(folders.storage_file())
            .status()
            .unwrap();
        assert!(status.success());
        let (store, problem) = Storage::open(&folders.data());
        assert!(problem.unwrap().contains("not a regular file"));
        assert!(store.keys().is_empty());

        let folders = Folders::new("zero");
        std::os::unix::fs::symlink("/dev/zero", folders.storage_file()).unwrap();
        let (_, problem) = Storage::open(&folders.data());
        assert!(problem.unwrap().contains("outside the data folder"));
    }

    #[test]
    fn an_oversized_or_overfull_file_is_bounded() {
        let folders = Folders::new("large");
        let file = std::fs::File::create(folders.storage_file()).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let (_, problem) = Storage::open(&folders.data());
        assert!(problem.unwrap().contains("too large"));

        // Hand-written: within the file limit, past the store's.
        let value = "v".repeat(MAX_KEY_BYTES / 2);
        let mut map = Map::new();
        for i in 0..25 {
            map.insert(format!("k{i:02}"), Value::String(value.clone()));
        }
        map.insert("huge".into(), Value::String("h".repeat(MAX_KEY_BYTES + 1)));
        std::fs::write(folders.storage_file(), Value::Object(map).to_string()).unwrap();
        let (store, problem) = Storage::open(&folders.data());
        assert!(store.bytes() <= MAX_TOTAL_BYTES);
        assert_eq!(store.get("huge"), None);
        assert_eq!(store.keys().len(), 19, "{problem:?}");
        assert!(problem.unwrap().contains("7 entries"));
    }

    #[test]
    fn a_store_round_trips_and_leaves_no_temp_file() {
        let folders = Folders::new("round-trip");
        let (mut store, problem) = Storage::open(&folders.data());
        assert_eq!(problem, None);
        store.set("a", "{\"b\":1}".into()).unwrap();
        std::fs::write(folders.data().join(".storage.json.1.2.tmp"), "torn").unwrap();
        let (store, problem) = Storage::open(&folders.data());
        assert_eq!(problem, None);
        assert_eq!(store.get("a"), Some("{\"b\":1}"));
        let names: Vec<_> = std::fs::read_dir(folders.data())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, [FILE_NAME]);
    }

    #[test]
    fn limits_refuse_and_change_nothing() {
        let mut store = Storage::in_memory();
        store.set("a", "1".into()).unwrap();
        let big = "x".repeat(MAX_KEY_BYTES);
        assert_eq!(store.set("b", big), Err(StorageError::KeyTooLarge));
        assert_eq!(store.keys(), vec!["a".to_string()]);
        assert_eq!(store.bytes(), 2);
        let chunk = "y".repeat(MAX_KEY_BYTES - 10);
        for i in 0..10 {
            store.set(&format!("k{i}"), chunk.clone()).unwrap();
        }
        assert_eq!(store.set("k10", chunk), Err(StorageError::StoreFull));
        assert_eq!(store.keys().len(), 11);
    }
}
