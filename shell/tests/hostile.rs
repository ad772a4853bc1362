//! The hostile corpus (`fixtures/hostile/`): one small package per way a
//! package author could crash, hang, escape or exhaust the engine. Each case
//! runs the real `cirrus check` and `cirrus shot` binaries as children, so a
//! stack overflow or an abort shows up as a signal instead of taking the test
//! runner down, and each case asserts four things:
//!
//! - the child ended by itself: no signal, no panic exit code;
//! - it ended within the case's time bound;
//! - its peak resident memory (`wait4`'s `ru_maxrss`) stayed under the
//!   case's memory bound;
//! - every diagnostic of the case's `expect.txt` was printed.
//!
//! Security cases also plant a sentinel outside the package (a script, a
//! template, a style sheet, an image of a colour nothing else uses, a text
//! file) and assert that the sentinel's text never shows up in the output,
//! the layout file or the data folder, that no pixel has the sentinel's
//! colour, and that no file appears outside the data folder.
//!
//! A case folder holds the package's files, `expect.txt` (the bad-input
//! format: `file:line:col ~ text`, with `# any-column` before an entry to
//! check only the line) and `setup.txt`, one directive a line:
//!
//! | directive | meaning |
//! | --- | --- |
//! | `class NAME` | the class of the issue it covers (sandbox, runtime, depth, complexity, memory, data) |
//! | `time S` | each command must end within S seconds (default 40) |
//! | `memory MIB` | each command's peak RSS bound (default 1024) |
//! | `commands check shot` | which commands run (default both) |
//! | `link PATH TARGET` | a symbolic link at PATH in the package; TARGET is `$OUTSIDE/...` (the sentinel folder), an absolute path, or relative as written |
//! | `fifo PATH` | a named pipe at PATH |
//! | `gen PATH KIND N` | PATH written by the generator KIND with size N (see [`generate`]) |
//! | `shows TEXT` | the output must contain TEXT (what the page logged: it ran on past the hazard) |
//! | `hides TEXT` | the output must not contain TEXT |
//! | `layout-depth N` | the layout file's elements nest at least N deep (the page rendered whole) |
//!
//! Generated cases keep large inputs out of the repository.

mod common;

use common::{parse_expect, Expected};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The text of every sentinel: it must never reach an output.
const SENTINEL: &str = "CIRRUS-SENTINEL-7f3a9c";
/// The colour of the sentinel image and style sheet: nothing else in the
/// corpus paints it, so a pixel of it means an outside file was drawn.
const SENTINEL_RGB: [u8; 3] = [0x12, 0xab, 0x34];

struct Case {
    name: String,
    dir: PathBuf,
    class: String,
    time: Duration,
    memory_mib: u64,
    commands: Vec<String>,
    links: Vec<(String, String)>,
    fifos: Vec<String>,
    generated: Vec<(String, String, usize)>,
    shows: Vec<String>,
    hides: Vec<String>,
    layout_depth: Option<usize>,
    expect: Vec<Expected>,
}

fn load_case(dir: &Path) -> Case {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let setup = std::fs::read_to_string(dir.join("setup.txt")).unwrap_or_default();
    let mut case = Case {
        name: name.clone(),
        dir: dir.to_path_buf(),
        class: String::new(),
        time: Duration::from_secs(40),
        memory_mib: 1024,
        commands: vec!["check".into(), "shot".into()],
        links: Vec::new(),
        fifos: Vec::new(),
        generated: Vec::new(),
        shows: Vec::new(),
        hides: Vec::new(),
        layout_depth: None,
        expect: parse_expect(&std::fs::read_to_string(dir.join("expect.txt")).unwrap_or_default()),
    };
    for line in setup.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let args: Vec<&str> = rest.split_whitespace().collect();
        match word {
            "class" => case.class = rest.trim().to_owned(),
            "time" => case.time = Duration::from_secs(args[0].parse().expect("time S")),
            "memory" => case.memory_mib = args[0].parse().expect("memory MIB"),
            "commands" => case.commands = args.iter().map(|s| s.to_string()).collect(),
            "link" => case.links.push((args[0].into(), args[1].into())),
            "fifo" => case.fifos.push(args[0].into()),
            "gen" => case.generated.push((
                args[0].into(),
                args[1].into(),
                args[2].parse().expect("gen PATH KIND N"),
            )),
            "shows" => case.shows.push(rest.trim().to_owned()),
            "hides" => case.hides.push(rest.trim().to_owned()),
            "layout-depth" => case.layout_depth = Some(args[0].parse().expect("layout-depth N")),
            other => panic!("{name}/setup.txt: unknown directive `{other}`"),
        }
    }
    assert!(!case.class.is_empty(), "{name}/setup.txt names no class");
    case
}

/// Writes the generated input `kind` of size `n`.
fn generate(kind: &str, n: usize) -> Vec<u8> {
    let text = match kind {
        // `n` nested views around a marker text.
        "nested-views" => format!(
            "<view class=\"d\">{}<text>deepest</text>{}</view>",
            "<view class=\"d\">".repeat(n - 1),
            "</view>".repeat(n - 1)
        ),
        // A binding of `n` nested parentheses.
        "parens" => format!(
            "<text>{{{{{}a{}}}}}</text>\n<text>still here</text>",
            "(".repeat(n),
            ")".repeat(n)
        ),
        // A binding of `n` member steps.
        "members" => format!(
            "<text>{{{{a{}}}}}</text>\n<text>still here</text>",
            ".b".repeat(n)
        ),
        // A selector of `n` nested :not().
        "not-selector" => format!(
            ".x{}.y{} {{ color: red; }}\n.ok {{ color: blue; }}\n",
            ":not(".repeat(n),
            ")".repeat(n)
        ),
        // A width of `n` nested calc().
        "calc" => format!(
            ".box {{ width: {}10px{}; height: 20px; background: #336699; }}\n",
            "calc(1px + ".repeat(n),
            ")".repeat(n)
        ),
        // An app.json listing `n` pages (only the first exists).
        "pages" => {
            let mut pages = vec!["\"pages/index/index\"".to_owned()];
            pages.extend((1..n).map(|i| format!("\"pages/p{i}/p{i}\"")));
            format!("{{\"pages\": [{}]}}\n", pages.join(",\n"))
        }
        // A script `n` bytes long (a comment).
        "big-js" => {
            let mut s = String::from("Page({ data: {} })\n//");
            s.push_str(&"x".repeat(n));
            s
        }
        // A page json nested `n` levels deep.
        "deep-json" => format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n)),
        // A PNG whose header claims n x n pixels (a decompression bomb: a
        // decoder that trusts the header allocates n*n*4 bytes).
        "png-bomb" => return png_bomb(n as u32),
        other => panic!("unknown generator `{other}`"),
    };
    text.into_bytes()
}

/// A grey PNG of `side` x `side` whose IDAT holds only the first rows; the
/// header alone is the attack.
fn png_bomb(side: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grey
    chunk(&mut png, b"IHDR", &ihdr);
    // A zlib stream of stored blocks: 64 rows of zeros (filter byte + row).
    let raw = vec![0u8; (side as usize + 1) * 64];
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// The sentinel folder beside the package.
fn plant_sentinels(outside: &Path) {
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    let files = [
        ("sentinel.js", format!("module.exports = '{SENTINEL}'\n")),
        ("sentinel.wxml", format!("<text>{SENTINEL}</text>\n")),
        (
            "sentinel.wxss",
            "page { background: #12ab34; } .s { color: #12ab34; }\n".to_owned(),
        ),
        ("sentinel.txt", format!("{SENTINEL}\n")),
        (
            "sentinel.json",
            format!("{{\"navigationBarTitleText\": \"{SENTINEL}\"}}\n"),
        ),
        ("dir/index.js", format!("module.exports = '{SENTINEL}'\n")),
        ("dir/index.wxml", format!("<text>{SENTINEL}</text>\n")),
    ];
    for (name, text) in files {
        std::fs::write(outside.join(name), text).unwrap();
    }
    let image = image::RgbaImage::from_pixel(
        16,
        16,
        image::Rgba([SENTINEL_RGB[0], SENTINEL_RGB[1], SENTINEL_RGB[2], 255]),
    );
    image.save(outside.join("sentinel.png")).unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if name == "setup.txt" || name == "expect.txt" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Every file under `dir` (links not followed), relative, skipping `skip`.
fn listing(dir: &Path, skip: &[&Path]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if skip.iter().any(|s| d.starts_with(s)) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if skip.iter().any(|s| path == *s) {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                _ => out.push(path.strip_prefix(dir).unwrap().to_path_buf()),
            }
        }
    }
    out.sort();
    out
}

/// How one child ended.
struct Outcome {
    command: String,
    /// `Some(code)` for a normal exit, `None` when a signal ended it.
    code: Option<i32>,
    signal: Option<i32>,
    timed_out: bool,
    elapsed: Duration,
    max_rss_mib: u64,
    output: String,
}

/// Runs `cirrus ARGS`, killing it past `limit`; `wait4` gives its own peak
/// RSS (not the test runner's, nor another case's).
fn run_cirrus(args: &[&str], work: &Path, limit: Duration) -> Outcome {
    let out_path = work.join(format!("{}.out", args[0]));
    let output = std::fs::File::create(&out_path).unwrap();
    let started = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_cirrus"))
        .args(args)
        .env("CIRRUS_CACHE_DIR", work.join("cache"))
        .env("XDG_DATA_HOME", work.join("data-home"))
        .env("RUST_BACKTRACE", "0")
        .stdin(std::process::Stdio::null())
        .stdout(output.try_clone().unwrap())
        .stderr(output)
        .spawn()
        .expect("spawn cirrus");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: `pid` is our own unreaped child; the pointers are valid.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        if started.elapsed() > limit && !timed_out {
            timed_out = true;
            // SAFETY: signalling our own child.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = started.elapsed();
    std::mem::forget(child); // already reaped
    let exited = libc::WIFEXITED(status);
    Outcome {
        command: args[0].to_owned(),
        code: exited.then(|| libc::WEXITSTATUS(status)),
        signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
        timed_out,
        elapsed,
        max_rss_mib: usage.ru_maxrss as u64 / 1024,
        output: String::from_utf8_lossy(&std::fs::read(&out_path).unwrap_or_default()).into_owned(),
    }
}

/// Whether a printed diagnostic line matches `e`.
fn printed(output: &str, e: &Expected) -> bool {
    output.lines().any(|line| {
        let Some(rest) = line.strip_prefix(&format!("{}:", e.file)) else {
            return false;
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(ln), Some(col)) = (parts.next(), parts.next()) else {
            return false;
        };
        ln.parse() == Ok(e.line)
            && e.column.is_none_or(|c| col.parse() == Ok(c))
            && e.contains
                .as_ref()
                .is_none_or(|t| line.to_lowercase().contains(&t.to_lowercase()))
    })
}

/// Runs one case; returns its failures.
fn run_case(case: &Case) -> Vec<String> {
    let mut failures = Vec::new();
    let fail = |failures: &mut Vec<String>, what: String| {
        failures.push(format!("{} ({}): {what}", case.name, case.class))
    };
    let work = tempdir(&case.name);
    let outside = work.join("outside");
    let pkg = work.join("pkg");
    plant_sentinels(&outside);
    copy_tree(&case.dir, &pkg);
    for (path, kind, n) in &case.generated {
        let target = pkg.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, generate(kind, *n)).unwrap();
    }
    for (path, target) in &case.links {
        let at = pkg.join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let target = target.replace("$OUTSIDE", &outside.to_string_lossy());
        std::os::unix::fs::symlink(target, at).unwrap();
    }
    for path in &case.fifos {
        let at = pkg.join(path);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let c = std::ffi::CString::new(at.to_string_lossy().as_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
    }
    let data = work.join("data");
    let shot = work.join("shot.png");
    let layout = work.join("layout.json");
    let skip = [
        data.as_path(),
        work.join("cache").as_path(),
        work.join("data-home").as_path(),
        shot.as_path(),
        layout.as_path(),
        work.join("check.out").as_path(),
        work.join("shot.out").as_path(),
    ]
    .map(Path::to_path_buf);
    let skip: Vec<&Path> = skip.iter().map(PathBuf::as_path).collect();
    let before = listing(&work, &skip);
    let pkg_arg = pkg.to_string_lossy().into_owned();
    let mut output = String::new();
    for command in &case.commands {
        let outcome = match command.as_str() {
            "check" => run_cirrus(&["check", &pkg_arg], &work, case.time),
            "shot" => run_cirrus(
                &[
                    "shot",
                    &pkg_arg,
                    "--renderer",
                    "cpu",
                    "--width",
                    "200",
                    "--height",
                    "300",
                    "--dpr",
                    "1",
                    "--out",
                    &shot.to_string_lossy(),
                    "--layout",
                    &layout.to_string_lossy(),
                    "--data-dir",
                    &data.to_string_lossy(),
                ],
                &work,
                case.time,
            ),
            other => panic!("{}: unknown command {other}", case.name),
        };
        let tail: String = {
            let lines: Vec<&str> = outcome.output.lines().collect();
            lines[lines.len().saturating_sub(12)..].join("\n")
        };
        if outcome.timed_out {
            fail(
                &mut failures,
                format!(
                    "`{}` ran past {:?}; last output:\n{tail}",
                    outcome.command, case.time
                ),
            );
        } else if let Some(signal) = outcome.signal {
            fail(
                &mut failures,
                format!(
                    "`{}` died of signal {signal}; last output:\n{tail}",
                    outcome.command
                ),
            );
        } else if outcome.code == Some(101) {
            fail(
                &mut failures,
                format!("`{}` panicked:\n{tail}", outcome.command),
            );
        }
        if outcome.command == "shot" && outcome.code != Some(0) && !outcome.timed_out {
            fail(
                &mut failures,
                format!(
                    "`shot` exited with {:?}; the engine must still draw:\n{tail}",
                    outcome.code
                ),
            );
        }
        if outcome.max_rss_mib > case.memory_mib {
            fail(
                &mut failures,
                format!(
                    "`{}` peaked at {} MiB (bound {} MiB)",
                    outcome.command, outcome.max_rss_mib, case.memory_mib
                ),
            );
        }
        eprintln!(
            "hostile {:<32} {:<5} {:>6} ms {:>5} MiB",
            case.name,
            outcome.command,
            outcome.elapsed.as_millis(),
            outcome.max_rss_mib
        );
        output.push_str(&outcome.output);
    }
    for e in &case.expect {
        if !printed(&output, e) {
            let col = e.column.map_or("*".to_owned(), |c| c.to_string());
            let said: Vec<&str> = output
                .lines()
                .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
                .take(12)
                .collect();
            fail(
                &mut failures,
                format!(
                    "expected {}:{}:{col} ~ {} — printed:\n  {}",
                    e.file,
                    e.line,
                    e.contains.as_deref().unwrap_or(""),
                    said.join("\n  ")
                ),
            );
        }
    }
    // The sentinel never reaches an output.
    let layout_text = std::fs::read_to_string(&layout).unwrap_or_default();
    if output.contains(SENTINEL) {
        fail(
            &mut failures,
            "the sentinel's text reached the output".into(),
        );
    }
    if layout_text.contains(SENTINEL) {
        fail(
            &mut failures,
            "the sentinel's text reached the layout file".into(),
        );
    }
    for file in listing(&data, &[]) {
        let bytes = std::fs::read(data.join(&file)).unwrap_or_default();
        if String::from_utf8_lossy(&bytes).contains(SENTINEL) {
            fail(
                &mut failures,
                format!("the sentinel reached data/{}", file.display()),
            );
        }
    }
    if let Ok(image) = image::open(&shot) {
        let painted = image
            .to_rgba8()
            .pixels()
            .filter(|p| p.0[..3] == SENTINEL_RGB)
            .count();
        if painted > 0 {
            fail(
                &mut failures,
                format!("{painted} pixels have the sentinel's colour"),
            );
        }
    }
    let after = listing(&work, &skip);
    let created: Vec<_> = after.iter().filter(|p| !before.contains(p)).collect();
    if !created.is_empty() {
        fail(
            &mut failures,
            format!("files appeared outside the data folder: {created:?}"),
        );
    }
    for text in &case.shows {
        if !output.contains(text.as_str()) {
            fail(&mut failures, format!("the output lacks `{text}`"));
        }
    }
    for text in &case.hides {
        if output.contains(text.as_str()) {
            fail(&mut failures, format!("the output has `{text}`"));
        }
    }
    if let Some(depth) = case.layout_depth {
        let found = element_depth(&layout_text);
        if found < depth {
            fail(
                &mut failures,
                format!("the layout nests {found} elements deep, not {depth}"),
            );
        }
    }
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
    }
    failures
}

/// How deep the layout file's elements nest: each element is one JSON
/// object, and no string in the file holds a brace. (Scanned, not parsed:
/// serde_json stops at 128 levels.)
fn element_depth(layout: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for byte in layout.bytes() {
        match byte {
            b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    // The file's own object and the viewport's are not elements.
    deepest.saturating_sub(1)
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cirrus-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn cases() -> Vec<Case> {
    let root = common::repo_root().join("fixtures/hostile");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/hostile exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("setup.txt").exists())
        .collect();
    dirs.sort();
    // `CIRRUS_HOSTILE=name,name` runs only those cases (local debugging).
    if let Ok(only) = std::env::var("CIRRUS_HOSTILE") {
        let names: Vec<&str> = only.split(',').collect();
        dirs.retain(|d| names.iter().any(|n| d.ends_with(n)));
    }
    dirs.iter().map(|d| load_case(d)).collect()
}

#[test]
fn no_hostile_package_crashes_hangs_escapes_or_exhausts_the_engine() {
    let cases = cases();
    if std::env::var_os("CIRRUS_HOSTILE").is_none() {
        assert!(cases.len() >= 40, "only {} hostile cases", cases.len());
    }
    // Two workers: the cases are independent processes.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(case) = cases.get(i) else { break };
                let found = run_case(case);
                failures.lock().unwrap().extend(found);
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    eprintln!(
        "hostile: {} cases, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
