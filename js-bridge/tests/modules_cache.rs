//! A second launch of an unchanged package does no transform work: the
//! transformed code comes from the disk cache. (Its own test binary: it
//! sets `CIRRUS_CACHE_DIR` and reads a process-wide counter.)

mod harness;

use harness::{errors, one_page_app, Harness};

#[test]
fn a_second_launch_reads_transformed_code_from_the_disk_cache() {
    let dir = std::env::temp_dir().join(format!("cirrus-modules-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::env::set_var("CIRRUS_CACHE_DIR", &dir);
    let files = one_page_app(&[
        ("app.ts", "import { greet } from './greet';\nApp({ onLaunch(): void { console.log(greet('cache')); } });\n"),
        ("greet.ts", "export const greet = (name: string): string => 'hi ' + name;\n"),
        ("pages/index/index.js", "export {};\nPage({});\n"),
        ("pages/index/index.wxml", "<view/>"),
    ]);
    let launch = || {
        let h = Harness::start(files.clone());
        let messages = h.launch("pages/index/index", "");
        assert_eq!(errors(&messages), vec![]);
        assert_eq!(h.console(), ["hi cache"]);
    };
    let before = cirrus_transform::transforms_run();
    launch();
    let first = cirrus_transform::transforms_run() - before;
    assert_eq!(
        first, 3,
        "app.ts, greet.ts and the page are transformed once"
    );
    launch();
    let second = cirrus_transform::transforms_run() - before - first;
    assert_eq!(second, 0, "the second launch transforms nothing");
    let _ = std::fs::remove_dir_all(&dir);
}
