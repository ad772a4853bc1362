//! Temporary stand-in for `view.rs` while cirrus-template is being written:
//! same API, no template (no ops), data kept as given. Delete once the
//! template crate exports its API.

use cirrus_engine::ops::Op;
use cirrus_engine::package::Package;
use cirrus_engine::Diagnostic;
use serde_json::{Map, Value};

pub(crate) struct PageView {
    data: Value,
}

#[derive(Debug, Default)]
pub(crate) struct DataUpdate {
    pub ops: Vec<Op>,
    pub diagnostics: Vec<Diagnostic>,
    pub rejected_keys: Vec<String>,
}

impl PageView {
    pub fn build(_package: &Package, _route: &str, data: Value) -> (PageView, Vec<Op>, Vec<Diagnostic>) {
        (PageView { data }, Vec::new(), Vec::new())
    }

    pub fn set_data(&mut self, updates: Map<String, Value>) -> DataUpdate {
        if let Value::Object(map) = &mut self.data {
            for (k, v) in updates {
                map.insert(k, v);
            }
        }
        DataUpdate::default()
    }

    #[cfg(test)]
    pub fn data(&self) -> &Value {
        &self.data
    }
}
