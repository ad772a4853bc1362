//! A package cannot make the loader read outside its folder, block on a
//! special file, or read without bound; and checking it stays linear.
//! Every case puts a sentinel outside the package and asserts that its
//! content never comes back.

use cirrus_package::compile_cache::CompileCache;
use cirrus_package::sandbox::{self, Sandbox, MAX_IMAGE_BYTES, MAX_JSON_BYTES, MAX_SOURCE_BYTES};
use cirrus_package::{Diagnostic, Package, PackageError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SENTINEL: &str = "SENTINEL-7f3a-outside-the-package";

/// A temporary folder holding `pkg/` (the package) and `outside/` (a
/// sentinel file and folder the package must never reach).
struct Fixture(PathBuf);

impl Fixture {
    fn new(name: &str) -> Fixture {
        let dir = std::env::temp_dir().join(format!(
            "cirrus-package-sandbox-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pkg/pages/a")).unwrap();
        std::fs::create_dir_all(dir.join("outside/folder")).unwrap();
        let fixture = Fixture(dir);
        fixture.outside("secret.txt", SENTINEL);
        fixture.outside("folder/lib.js", &format!("module.exports = '{SENTINEL}'"));
        fixture.write("app.json", r#"{"pages":["pages/a/a"]}"#);
        fixture.write("app.js", "App({})");
        fixture.write("pages/a/a.js", "Page({})");
        fixture.write("pages/a/a.wxml", "<view/>");
        fixture
    }

    fn pkg(&self) -> PathBuf {
        self.0.join("pkg")
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.pkg().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn outside(&self, path: &str, text: &str) {
        std::fs::write(self.0.join("outside").join(path), text).unwrap();
    }

    fn link(&self, target: &Path, at: &str) {
        let at = self.pkg().join(at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, at).unwrap();
    }

    fn fifo(&self, at: &str) {
        let status = std::process::Command::new("mkfifo")
            .arg(self.pkg().join(at))
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    }

    /// Loads the package on another thread, failing the test (instead of
    /// hanging it) when loading does not return within 20 s.
    fn load(&self) -> (Arc<Package>, Vec<Diagnostic>) {
        let pkg = self.pkg();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let loaded = Package::load_with(&pkg, &CompileCache::disabled());
            let _ = tx.send(loaded.map_err(|e| e.to_string()));
        });
        rx.recv_timeout(Duration::from_secs(20))
            .expect("loading returns in bounded time")
            .expect("the package loads")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// No file's text and no diagnostic holds the sentinel.
fn assert_no_sentinel(package: &Package, diags: &[Diagnostic]) {
    for path in package.paths() {
        let text = package.read(path).unwrap_or_default();
        assert!(!text.contains(SENTINEL), "{path} holds the sentinel");
    }
    for d in diags {
        assert!(!d.message.contains(SENTINEL), "{d}");
    }
}

/// The diagnostic about `file`, which must say `says`.
fn diagnostic_about<'d>(diags: &'d [Diagnostic], file: &str, says: &str) -> &'d Diagnostic {
    diags
        .iter()
        .find(|d| d.file == file && d.message.contains(says))
        .unwrap_or_else(|| panic!("no diagnostic about {file} saying {says:?} in {diags:#?}"))
}

#[test]
fn links_to_files_outside_are_refused_for_every_kind() {
    let fixture = Fixture::new("file-links");
    let secret = fixture.0.join("outside/secret.txt");
    for name in ["evil.js", "evil.wxml", "evil.wxss", "evil.png", "evil.ttf"] {
        fixture.link(&secret, &format!("pages/a/{name}"));
    }
    // A link that climbs out through `..` is no better than an absolute one.
    fixture.link(
        Path::new("../../../outside/secret.txt"),
        "pages/a/relative.js",
    );
    let (package, diags) = fixture.load();
    assert_no_sentinel(&package, &diags);
    for name in [
        "evil.js",
        "evil.wxml",
        "evil.wxss",
        "evil.png",
        "evil.ttf",
        "relative.js",
    ] {
        let file = format!("pages/a/{name}");
        assert!(package.read(&file).is_none(), "{file} was read");
        let d = diagnostic_about(&diags, &file, "outside the package");
        assert!(d.is_error());
    }
    assert_eq!(package.read_binary("pages/a/evil.png"), None);
    assert!(matches!(
        package.read_binary_checked("pages/a/evil.png"),
        Err(PackageError::Outside { .. })
    ));
    // A path that climbs is refused before anything is opened.
    assert!(package.read_binary("../outside/secret.txt").is_none());
    assert!(package.read_binary("/etc/passwd").is_none());
}

#[test]
fn a_linked_folder_outside_is_not_walked_and_one_inside_is() {
    let fixture = Fixture::new("folder-links");
    fixture.link(&fixture.0.join("outside/folder"), "lib");
    fixture.write("shared/util.js", "module.exports = 1");
    fixture.link(Path::new("shared"), "alias");
    let (package, diags) = fixture.load();
    assert_no_sentinel(&package, &diags);
    assert!(package.read("lib/lib.js").is_none());
    diagnostic_about(&diags, "lib", "outside the package");
    // A link that stays inside the package is followed.
    assert_eq!(package.read("alias/util.js"), Some("module.exports = 1"));
    assert_eq!(package.read("shared/util.js"), Some("module.exports = 1"));
}

#[test]
fn link_loops_are_reported_and_the_walk_ends() {
    let fixture = Fixture::new("loops");
    fixture.link(Path::new("self.js"), "self.js");
    fixture.link(Path::new("b.wxml"), "a.wxml");
    fixture.link(Path::new("a.wxml"), "b.wxml");
    // A folder that links to its own parent: a loop through folders.
    fixture.link(Path::new(".."), "pages/a/up");
    let (package, diags) = fixture.load();
    for file in ["self.js", "a.wxml", "b.wxml", "pages/a/up"] {
        diagnostic_about(&diags, file, "link loop");
    }
    assert!(package.read("pages/a/a.js").is_some());
}

#[test]
fn fifos_are_refused_without_blocking() {
    let fixture = Fixture::new("fifos");
    fixture.fifo("a.js");
    fixture.fifo("b.png");
    fixture.fifo("c.json");
    let started = Instant::now();
    let (package, diags) = fixture.load();
    for file in ["a.js", "b.png", "c.json"] {
        let d = diagnostic_about(&diags, file, "not a regular file");
        assert!(d.message.contains("named pipe"), "{d}");
    }
    assert!(package.read("a.js").is_none());
    assert!(matches!(
        package.read_binary_checked("b.png"),
        Err(PackageError::NotRegularFile { .. })
    ));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn a_link_to_dev_zero_is_refused() {
    let fixture = Fixture::new("dev-zero");
    fixture.link(Path::new("/dev/zero"), "big.png");
    fixture.link(Path::new("/dev/zero"), "big.js");
    let (package, diags) = fixture.load();
    diagnostic_about(&diags, "big.js", "outside the package");
    diagnostic_about(&diags, "big.png", "outside the package");
    assert!(package.read_binary("big.png").is_none());
    // Read directly, a device is refused from its metadata, unopened.
    let refused = sandbox::read_regular(Path::new("/dev/zero"), "zero", 16);
    assert!(
        matches!(
            refused,
            Err(PackageError::NotRegularFile {
                kind: "a device",
                ..
            })
        ),
        "{refused:?}"
    );
}

#[test]
fn files_over_their_limit_are_refused_with_their_size() {
    let fixture = Fixture::new("large");
    let sparse = |path: &str, len: u64| {
        let file = std::fs::File::create(fixture.pkg().join(path)).unwrap();
        file.set_len(len).unwrap();
    };
    sparse("huge.js", MAX_SOURCE_BYTES + 1);
    sparse("huge.png", MAX_IMAGE_BYTES + 1);
    sparse("huge.json", MAX_JSON_BYTES + 1);
    sparse("fits.png", 1024);
    let (package, diags) = fixture.load();
    for (file, size, limit) in [
        ("huge.js", MAX_SOURCE_BYTES + 1, MAX_SOURCE_BYTES),
        ("huge.png", MAX_IMAGE_BYTES + 1, MAX_IMAGE_BYTES),
        ("huge.json", MAX_JSON_BYTES + 1, MAX_JSON_BYTES),
    ] {
        let d = diagnostic_about(&diags, file, "too large");
        assert!(
            d.message
                .contains(&format!("({size} bytes; the limit is {limit})")),
            "{d}"
        );
    }
    assert!(package.read("huge.js").is_none());
    assert!(package.read_binary("huge.png").is_none());
    assert_eq!(package.read_binary("fits.png").map(|b| b.len()), Some(1024));
}

#[test]
fn folders_nested_past_the_limit_are_not_read() {
    let fixture = Fixture::new("deep");
    let deep: String = (0..sandbox::MAX_FOLDER_DEPTH + 4)
        .map(|i| format!("d{i}/"))
        .collect();
    fixture.write(&format!("{deep}x.js"), "1");
    let (package, diags) = fixture.load();
    assert!(diags.iter().any(|d| d.message.contains("nested deeper")));
    assert!(package.paths().all(|p| !p.ends_with("x.js")));
}

#[test]
fn a_project_root_that_links_outside_is_refused() {
    let fixture = Fixture::new("project-root");
    fixture.write("project.config.json", r#"{"miniprogramRoot": "src/"}"#);
    fixture.link(&fixture.0.join("outside/folder"), "src");
    let (package, diags) = fixture.load();
    assert_no_sentinel(&package, &diags);
    let d = diagnostic_about(&diags, "project.config.json", "outside the package");
    assert!(d.message.contains("miniprogramRoot"), "{d}");
}

#[test]
fn writes_stay_in_the_data_folder_and_replace_links() {
    let fixture = Fixture::new("data");
    let data = fixture.0.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let secret = fixture.0.join("outside/secret.txt");
    std::os::unix::fs::symlink(&secret, data.join("file.txt")).unwrap();
    std::os::unix::fs::symlink(fixture.0.join("outside/folder"), data.join("out")).unwrap();
    let sandbox = Sandbox::data_folder(&data).unwrap();

    // A link at the target is replaced, never written through.
    sandbox.write("file.txt", b"mine").unwrap();
    assert_eq!(std::fs::read_to_string(&secret).unwrap(), SENTINEL);
    assert_eq!(std::fs::read(data.join("file.txt")).unwrap(), b"mine");

    // A folder that links out is never created in nor written through.
    let refused = sandbox.write("out/new/x.txt", b"x");
    assert!(
        matches!(&refused, Err(e) if e.to_string().contains("outside the data folder")),
        "{refused:?}"
    );
    assert!(!fixture.0.join("outside/folder/new").exists());
    assert!(sandbox.write("../escape.txt", b"x").is_err());
    assert!(!fixture.0.join("escape.txt").exists());

    sandbox.write("usr/a/b.txt", b"nested").unwrap();
    assert_eq!(
        sandbox
            .read("usr/a/b.txt", sandbox::FileKind::Other)
            .unwrap(),
        b"nested"
    );
}

/// app.json with 100,000 pages whose files are missing: 200,000 located
/// diagnostics, and `has_page`, all in linear time.
#[test]
fn a_hundred_thousand_pages_are_checked_in_linear_time() {
    const PAGES: usize = 100_000;
    let routes: Vec<String> = (0..PAGES).map(|i| format!("pages/p{i}/p{i}")).collect();
    let app_json = format!(
        "{{\"pages\": [\n{}\n]}}",
        routes
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(",\n")
    );
    let started = Instant::now();
    let (package, diags) = Package::from_files([
        ("app.json".to_owned(), app_json),
        ("app.js".to_owned(), "App({})".to_owned()),
    ]);
    assert_eq!(diags.len(), 2 * PAGES);
    let last = &diags[2 * PAGES - 1];
    assert_eq!((last.line, last.column), (PAGES as u32 + 1, 1), "{last}");
    assert!(routes.iter().all(|r| package.has_page(r)));
    // The quadratic check took minutes here; the linear one takes about
    // one second in a debug build on a busy two-core machine.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

/// 100,000 entries of `pages` that are not strings: each a located
/// diagnostic, in linear time (each used to rescan the file).
#[test]
fn a_hundred_thousand_bad_entries_are_located_in_linear_time() {
    const ENTRIES: usize = 100_000;
    let app_json = format!(
        "{{\"pages\": [\"pages/a/a\",\n{}1]}}",
        "1,\n".repeat(ENTRIES - 1)
    );
    let started = Instant::now();
    let mut list = APP.to_vec();
    list[0] = ("app.json", &app_json);
    let (_, diags) = Package::from_files(files(&list));
    assert_eq!(diags.len(), ENTRIES, "{:#?}", &diags[..3]);
    assert_eq!(
        (diags[ENTRIES - 1].line, diags[ENTRIES - 1].column),
        (ENTRIES as u32 + 1, 1)
    );
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

const APP: [(&str, &str); 4] = [
    ("app.json", "{\"pages\": [\"pages/a/a\"]}"),
    ("app.js", "App({})"),
    ("pages/a/a.js", "Page({})"),
    ("pages/a/a.wxml", "<view/>"),
];

#[test]
fn a_page_or_component_json_that_is_not_an_object_is_an_error_at_its_start() {
    let mut list = APP.to_vec();
    list.push(("pages/a/a.json", "\n  [\"not\", \"an object\"]"));
    let (package, diags) = Package::from_files(files(&list));
    let d = diagnostic_about(&diags, "pages/a/a.json", "must be a JSON object");
    assert!(d.is_error());
    assert_eq!((d.line, d.column), (2, 3));
    // Not reported a second time by the page's own configuration.
    assert!(package.page_config("pages/a/a").1.is_empty());

    let mut list = APP.to_vec();
    list.push((
        "pages/a/a.json",
        "{\"usingComponents\": {\"c\": \"/comp/c\"}}",
    ));
    list.push(("comp/c.js", "Component({})"));
    list.push(("comp/c.json", "[1]"));
    let (_, diags) = Package::from_files(files(&list));
    let d = diagnostic_about(&diags, "comp/c.json", "must be a JSON object");
    assert_eq!((d.line, d.column), (1, 1));
}

#[test]
fn a_missing_component_path_is_an_error_at_its_string() {
    let mut list = APP.to_vec();
    list.push((
        "pages/a/a.json",
        "{\n  \"usingComponents\": {\n    \"ok\": \"../../comp/ok\",\n    \"gone\": \"/comp/gone\",\n    \"plug\": \"plugin://p/x\"\n  }\n}",
    ));
    list.push(("comp/ok/index.wxml", "<view/>"));
    list.push((
        "comp/ok/index.json",
        "{\"usingComponents\": {\"inner\": \"./nope\"}}",
    ));
    list.push((
        "app.json",
        "{\"pages\": [\"pages/a/a\"], \"usingComponents\": {\"g\": \"lib-x/button\"}}",
    ));
    let (package, diags) = Package::from_files(files(&list));
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("no component at"))
        .collect();
    assert_eq!(errors.len(), 3, "{diags:#?}");
    let gone = diagnostic_about(&diags, "pages/a/a.json", "`gone`");
    assert_eq!((gone.line, gone.column), (4, 13));
    let inner = diagnostic_about(&diags, "comp/ok/index.json", "`inner`");
    assert_eq!((inner.line, inner.column), (1, 31));
    let npm = diagnostic_about(&diags, "app.json", "`g`");
    assert!(npm.message.contains("`lib-x` is not installed"), "{npm}");
    assert_eq!(
        cirrus_package::checks::resolve_component(&package, "pages/a/a.json", "../../comp/ok"),
        "comp/ok/index"
    );
}

#[test]
fn json_nested_too_deeply_is_located_where_the_limit_is_passed() {
    let deep = format!(
        "{{\"pages\": [\"pages/a/a\"],\n \"x\": {}{}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    let mut list = APP.to_vec();
    list[0] = ("app.json", &deep);
    let (_, diags) = Package::from_files(files(&list));
    let d = diagnostic_about(&diags, "app.json", "nested too deeply");
    assert_eq!(d.line, 2);
    assert!(d.column > 100 && d.column < 140, "{d}");

    let big = format!(
        "{{\"pages\": [\"pages/a/a\"], \"x\": \"{}\"}}",
        "a".repeat(MAX_JSON_BYTES as usize)
    );
    let mut list = APP.to_vec();
    list[0] = ("app.json", &big);
    let (_, diags) = Package::from_files(files(&list));
    diagnostic_about(&diags, "app.json", "too large");
}
