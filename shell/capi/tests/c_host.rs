//! The C example host (examples/host.c) builds against the committed
//! header and libcirrus, opens a sample into a CPU buffer, taps a button,
//! sees the page change and writes a PNG; and it survives a hostile
//! package with its own loop running.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The folder holding libcirrus.so: beside the test binary (`deps/`) when
/// cargo built it for the tests, else the profile folder `cargo build`
/// fills.
fn library_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let deps = exe.parent().expect("target/<profile>/deps").to_path_buf();
    if deps.join("libcirrus.so").exists() {
        return deps;
    }
    deps.parent().map(Path::to_path_buf).unwrap_or(deps)
}

/// Compiles examples/host.c against the committed header and libcirrus.
fn build_host(work: &Path) -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_dir = library_dir();
    assert!(
        lib_dir.join("libcirrus.so").exists(),
        "libcirrus.so is built with the crate, in {}",
        lib_dir.display()
    );
    std::fs::create_dir_all(work).expect("work dir");
    let exe = work.join("host");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let built = Command::new(&cc)
        .arg("-std=c11")
        .arg("-D_POSIX_C_SOURCE=200809L")
        .args(["-Wall", "-Wextra", "-Werror"])
        .arg(crate_dir.join("examples/host.c"))
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg("-L")
        .arg(&lib_dir)
        .arg("-lcirrus")
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("a C compiler runs");
    assert!(
        built.status.success(),
        "{cc} failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    exe
}

#[test]
fn c_host_taps_through_to_another_page_and_writes_a_png() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("cirrus-c-host-{}", std::process::id()));
    let exe = build_host(&work);
    let app = crate_dir.join("../../samples/profile-card");
    let png = work.join("about.png");
    let ran = Command::new(&exe)
        .arg(&app)
        .arg(&png)
        .env("CIRRUS_CACHE_DIR", work.join("cache"))
        .output()
        .expect("the host runs");
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "host failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(stdout.contains("navigated: pages/about/about"), "{stdout}");
    let image = image::open(&png).expect("a PNG the host wrote").to_rgba8();
    assert_eq!(image.dimensions(), (375, 667));
    let _ = std::fs::remove_dir_all(&work);
}

/// A package that recurses without end, spins in a promise job and hoards
/// memory (tests/hostile-app): the host's own 60 Hz loop keeps going for
/// 12 s, past the watchdog and the memory limit, and the errors arrive
/// through the callback.
#[test]
fn c_host_keeps_running_a_hostile_package_and_hears_its_errors() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join(format!("cirrus-c-survive-{}", std::process::id()));
    let exe = build_host(&work);
    let ran = Command::new(&exe)
        .arg("--survive")
        .arg(crate_dir.join("tests/hostile-app"))
        .arg("720")
        .env("CIRRUS_CACHE_DIR", work.join("cache"))
        .env("XDG_DATA_HOME", work.join("data"))
        .output()
        .expect("the host runs");
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(ran.status.success(), "host failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("survived 720 of 720 frames"), "{stdout}");
    assert!(stderr.contains("out of memory"), "{stderr}");
    let _ = std::fs::remove_dir_all(&work);
}
