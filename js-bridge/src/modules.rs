//! The mini program's scripts as the logic thread runs them: each package
//! file is transformed (ES modules, TypeScript: `cirrus-transform`) before
//! the CommonJS wrapper, through the disk cache, and the maps of the files
//! that changed are kept so error positions name the author's file.
//!
//! The maps live in a thread-local rather than in `Shared`: diagnostics are
//! made by `JsFailure::to_diagnostic` from many places that hold only the
//! package, and every one of them runs on the logic thread that loaded the
//! modules (each logic thread has its own table, dropped with it).

use cirrus_package::compile_cache::CompileCache;
use cirrus_package::package::Package;
use cirrus_transform::{transform, TransformOptions, Transformed, TRANSFORM_VERSION};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

thread_local! {
    /// Transformed modules of this thread whose positions moved.
    static MAPPED: RefCell<HashMap<String, Rc<Transformed>>> = RefCell::new(HashMap::new());
    static CACHE: CompileCache = CompileCache::from_env();
}

/// Whether `path` is a script the logic thread may run (`.js`, or `.ts`
/// that is not a declaration file).
pub(crate) fn is_script(path: &str) -> bool {
    path.ends_with(".js") || (path.ends_with(".ts") && !path.ends_with(".d.ts"))
}

/// The file that stands for the module `path`: itself, or for `x.js` a
/// `x.ts` beside it when there is no `x.js`.
pub(crate) fn module_file(package: &Package, path: &str) -> Option<String> {
    if is_script(path) && package.read(path).is_some() {
        return Some(path.to_owned());
    }
    let typescript = format!("{}.ts", path.strip_suffix(".js")?);
    package.read(&typescript).is_some().then_some(typescript)
}

/// `source` transformed, from the disk cache when it holds this exact
/// input (content, options, transform and engine versions).
pub(crate) fn transform_cached(cache: &CompileCache, path: &str, source: &str) -> Transformed {
    let options = TransformOptions::for_path(path);
    if !cirrus_transform::may_need_transform(path, source, &options) {
        return transform(path, source, &options); // a copy, no parse
    }
    let key = CompileCache::key(
        "js",
        &[
            TRANSFORM_VERSION.as_bytes(),
            options.cache_tag(),
            path.as_bytes(),
            source.as_bytes(),
        ],
    );
    if let Some(cached) = cache
        .get(&key)
        .and_then(|bytes| Transformed::deserialize(&bytes))
    {
        return cached;
    }
    let transformed = transform(path, source, &options);
    cache.put(&key, &transformed.serialize());
    transformed
}

/// The code the logic thread wraps and runs for `path`, remembering its
/// map for [`original_position`].
pub(crate) fn load(path: &str, source: &str) -> Rc<Transformed> {
    let transformed = Rc::new(CACHE.with(|cache| transform_cached(cache, path, source)));
    MAPPED.with(|mapped| {
        let mut mapped = mapped.borrow_mut();
        if transformed.source_map.is_some() {
            mapped.insert(path.to_owned(), transformed.clone());
        } else {
            mapped.remove(path);
        }
    });
    transformed
}

/// Where a 1-based position of the running code of `file` was in the
/// author's file; `None` when the file was not transformed on this thread.
pub(crate) fn original_position(file: &str, line: u32, column: u32) -> Option<(u32, u32)> {
    MAPPED.with(|mapped| {
        mapped
            .borrow()
            .get(file)
            .and_then(|transformed| transformed.original_position(line, column))
    })
}
