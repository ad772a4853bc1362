//! `wx.setStorage` & co.: a per-app key-value store kept in memory and
//! persisted to one JSON file.
//!
//! Invariants:
//! - The file on disk is always a complete store: every write goes to
//!   `storage.json.tmp`, is fsynced, then renamed over `storage.json` (an
//!   atomic replace on POSIX and NTFS), and the directory is fsynced. A crash
//!   leaves either the old or the new file, plus perhaps a stray temp file,
//!   which loading deletes without reading.
//! - Values are stored as the JSON text JS produced, so what `getStorage`
//!   returns is what `setStorage` was given, for every JSON-able type.
//! - Sizes are counted as WeChat counts them, in bytes of key + value text;
//!   one key may hold 1 MB, the whole store 10 MB. A write that would pass a
//!   limit changes nothing.
//! - Without a directory (in-memory packages in tests) the store lives only
//!   in memory.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// 1 MB per key.
pub const MAX_KEY_BYTES: usize = 1024 * 1024;
/// 10 MB per app (`limitSize` is reported in KB: 10240).
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;
const FILE_NAME: &str = "storage.json";
const TEMP_NAME: &str = "storage.json.tmp";

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

    /// Opens (or starts) the store in `dir`. An unreadable or corrupt file
    /// yields an empty store plus the reason, so the app still runs.
    pub fn open(dir: &Path) -> (Storage, Option<String>) {
        let mut store = Storage {
            dir: Some(dir.to_path_buf()),
            entries: BTreeMap::new(),
            bytes: 0,
        };
        // A temp file is a write that never reached its rename: discard it.
        let _ = std::fs::remove_file(dir.join(TEMP_NAME));
        let problem = match std::fs::read_to_string(dir.join(FILE_NAME)) {
            Ok(text) => match serde_json::from_str::<Map<String, Value>>(&text) {
                Ok(map) => {
                    for (key, value) in map {
                        // Values are stored as their JSON text inside the file.
                        let text = match value {
                            Value::String(text) => text,
                            other => other.to_string(),
                        };
                        store.bytes += key.len() + text.len();
                        store.entries.insert(key, text);
                    }
                    None
                }
                Err(error) => Some(format!(
                    "{} is not a storage file: {error}",
                    dir.join(FILE_NAME).display()
                )),
            },
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => Some(format!(
                "cannot read {}: {error}",
                dir.join(FILE_NAME).display()
            )),
        };
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
        let io = |error: std::io::Error| StorageError::Io(error.to_string());
        std::fs::create_dir_all(dir).map_err(io)?;
        let map: Map<String, Value> = self
            .entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        let text = Value::Object(map).to_string();
        let temp = dir.join(TEMP_NAME);
        let mut file = std::fs::File::create(&temp).map_err(io)?;
        file.write_all(text.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&temp, dir.join(FILE_NAME)).map_err(io)?;
        // The rename itself is durable once the directory entry is synced.
        if let Ok(directory) = std::fs::File::open(dir) {
            let _ = directory.sync_all();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
