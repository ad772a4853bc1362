//! `cirrus bench`: the end-to-end scenarios of issue 4, each against its
//! WebView baseline (headless Chromium driven by
//! `benches/scenarios/baseline.js`) in the same run.
//!
//! Owns: generating the synthetic apps ([`gen`]), driving them in process
//! ([`host`]), the scenarios, and the report (a table on stdout and JSON).
//! Invariants: every figure is a median over `runs` with its min and max;
//! a baseline that cannot run (no Chromium, no Node, no `npm ci`) is absent
//! from the report with the reason, never estimated.

pub mod gen;
pub mod host;
pub mod pss;

use anyhow::{bail, Context, Result};
use cirrus_engine::layout::Viewport;
use cirrus_engine::package::Package;
use cirrus_engine::render::RendererChoice;
use host::BenchHost;
use pss::{Counted, PeakPssSampler};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The scenarios, in the order `cirrus bench` runs them.
pub const SCENARIOS: [&str; 6] = [
    "first-frame",
    "update",
    "long-list",
    "animation",
    "worklet",
    "navigate",
];

/// What `cirrus bench` was asked to do.
#[derive(Clone, Debug)]
pub struct BenchConfig {
    pub runs: usize,
    /// Tiny sizes (50 nodes, a few frames), for the smoke test.
    pub quick: bool,
    pub baseline: bool,
    /// The `cirrus` binary that `first-frame` spawns.
    pub cirrus_exe: PathBuf,
    /// `benches/scenarios` (holding `baseline.js`).
    pub scenarios_dir: PathBuf,
    /// Scratch folder for the generated apps.
    pub work_dir: PathBuf,
    /// The rasteriser (`--renderer`).
    pub renderer: RendererChoice,
}

impl BenchConfig {
    fn first_frame_nodes(&self) -> usize {
        if self.quick {
            50
        } else {
            1000
        }
    }
    /// Bindings changed per `update` sample; the page has the largest.
    pub fn update_counts(&self) -> Vec<usize> {
        if self.quick {
            vec![1, 10, 50]
        } else {
            vec![1, 100, 1000]
        }
    }
    fn update_samples(&self) -> usize {
        if self.quick {
            3
        } else {
            50
        }
    }
    fn list_items(&self) -> usize {
        if self.quick {
            50
        } else {
            10_000
        }
    }
    fn list_frames(&self) -> usize {
        if self.quick {
            5
        } else {
            600
        }
    }
    fn dots(&self) -> usize {
        if self.quick {
            50
        } else {
            1000
        }
    }
    fn animation_frames(&self) -> usize {
        if self.quick {
            5
        } else {
            120
        }
    }
    fn navigations(&self) -> usize {
        if self.quick {
            10
        } else {
            100
        }
    }
}

/// One figure: a value per run for Cirrus, and for the baseline if it ran.
#[derive(Clone, Debug)]
pub struct Figure {
    pub name: String,
    pub unit: &'static str,
    pub cirrus: Vec<f64>,
    pub baseline: Vec<f64>,
}

/// The figures of one scenario.
#[derive(Clone, Debug, Default)]
pub struct ScenarioReport {
    pub name: String,
    /// What is measured and what is emulated.
    pub note: String,
    /// Why the baseline is missing, when it is.
    pub baseline_note: Option<String>,
    pub figures: Vec<Figure>,
}

impl ScenarioReport {
    fn figure(&mut self, name: &str, unit: &'static str) -> &mut Figure {
        if let Some(i) = self.figures.iter().position(|f| f.name == name) {
            return &mut self.figures[i];
        }
        self.figures.push(Figure {
            name: name.to_owned(),
            unit,
            cirrus: Vec::new(),
            baseline: Vec::new(),
        });
        self.figures.last_mut().expect("just pushed")
    }
    fn cirrus(&mut self, name: &str, unit: &'static str, value: f64) {
        self.figure(name, unit).cirrus.push(value);
    }
    fn baseline(&mut self, name: &str, unit: &'static str, value: f64) {
        self.figure(name, unit).baseline.push(value);
    }
}

/// The spread of one series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

pub fn summarize(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let mid = v.len() / 2;
    let median = if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    };
    Some(Summary {
        median,
        min: v[0],
        max: v[v.len() - 1],
    })
}

/// The `q` quantile (0..=1) of `values`, nearest rank.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// KiB as MiB; NaN when there is no figure (it is never reported as 0).
fn kib_to_mib(kib: Option<u64>) -> f64 {
    kib.map_or(f64::NAN, |kib| kib as f64 / 1024.0)
}

/// The machine label: core count and CPU model.
pub fn machine_label() -> (usize, String) {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    (cores, model)
}

/// This process's resident set, KiB (`VmRSS`).
fn self_rss_kb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(f64::NAN)
}

/// Whether a timed child's memory is sampled too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Memory {
    PeakPss,
    NotMeasured,
}

/// Runs `exe args`, returning its wall time and, with [`Memory::PeakPss`],
/// the peak of its process tree's summed Pss in KiB (sampled every
/// [`pss::SAMPLE_INTERVAL`] on another thread while it runs).
fn time_child(
    exe: &Path,
    args: &[&str],
    envs: &[(&str, &Path)],
    stderr_file: &Path,
    memory: Memory,
) -> Result<(Duration, Option<u64>)> {
    // Stderr goes to a file, not a pipe: a pipe nobody reads while we wait
    // could fill up and stall the child.
    let stderr = std::fs::File::create(stderr_file)
        .with_context(|| format!("creating {}", stderr_file.display()))?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .envs(envs.iter().map(|(k, v)| (*k, *v)))
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .with_context(|| format!("starting {}", exe.display()))?;
    let sampler = match memory {
        Memory::PeakPss => Some(
            PeakPssSampler::start(child.id(), Counted::RootAndDescendants)
                .context("starting the Pss sampler")?,
        ),
        Memory::NotMeasured => None,
    };
    let waited = wait_sampled(&mut child, started, sampler)
        .with_context(|| format!("waiting for {}", exe.display()))?;
    let status = waited.status;
    if !status.success() {
        let err = std::fs::read_to_string(stderr_file).unwrap_or_default();
        bail!("{} {:?} failed ({status}): {err}", exe.display(), args);
    }
    Ok((waited.elapsed, waited.peak_pss_kib))
}

/// How a sampled child ended.
struct Waited {
    status: std::process::ExitStatus,
    /// From `started` to its exit.
    elapsed: Duration,
    peak_pss_kib: Option<u64>,
}

/// Waits for `child` to exit (blocking, not polling, so the wall time is
/// exact), stops `sampler` while the child is still unreaped, then reaps
/// it. Stopping first matters: once reaped, its pid may be reused by an
/// unrelated process, which a last sample would then count.
fn wait_sampled(
    child: &mut std::process::Child,
    started: Instant,
    sampler: Option<PeakPssSampler>,
) -> Result<Waited> {
    wait_for_exit_unreaped(child)?;
    let elapsed = started.elapsed();
    let peak_pss_kib = sampler
        .map(PeakPssSampler::finish)
        .transpose()
        .context("measuring the peak Pss")?;
    let status = child.wait()?;
    Ok(Waited {
        status,
        elapsed,
        peak_pss_kib,
    })
}

/// Blocks until `child` has exited, leaving it a zombie (`WNOWAIT`): its
/// pid stays taken until `Child::wait` reaps it.
fn wait_for_exit_unreaped(child: &std::process::Child) -> std::io::Result<()> {
    loop {
        // SAFETY: waitid on our own child's pid, writing into a live,
        // zeroed siginfo_t; WNOWAIT leaves the child for std's
        // `Child::wait` to reap.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let result = unsafe {
            libc::waitid(
                libc::P_PID,
                child.id() as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if result == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

/// Runs `node args` (`baseline.js`), returning its answer on stdout and
/// the peak summed Pss (KiB) of the processes it started: Chromium's whole
/// tree, sampled as `cirrus shot`'s is; Node itself (the driver) is left out.
fn node_baseline_with_pss(config: &BenchConfig, args: &[String]) -> Result<(Value, u64)> {
    let stdout_file = config.work_dir.join("baseline.stdout");
    let stderr_file = config.work_dir.join("baseline.stderr");
    let stdout = std::fs::File::create(&stdout_file)
        .with_context(|| format!("creating {}", stdout_file.display()))?;
    let stderr = std::fs::File::create(&stderr_file)
        .with_context(|| format!("creating {}", stderr_file.display()))?;
    let mut node = Command::new("node")
        .arg(config.scenarios_dir.join("baseline.js"))
        .args(args)
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .context("running node")?;
    let sampler = PeakPssSampler::start(node.id(), Counted::DescendantsOnly)
        .context("starting the Pss sampler")?;
    let waited = wait_sampled(&mut node, Instant::now(), Some(sampler))
        .context("waiting for node (measuring Chromium's peak Pss)")?;
    let peak_pss = waited
        .peak_pss_kib
        .context("no Pss was sampled for Chromium")?;
    if !waited.status.success() {
        let err = std::fs::read_to_string(&stderr_file).unwrap_or_default();
        bail!("baseline.js failed: {err}");
    }
    let out = std::fs::read(&stdout_file)
        .with_context(|| format!("reading {}", stdout_file.display()))?;
    let answer = serde_json::from_slice(&out).context("reading baseline.js's answer")?;
    Ok((answer, peak_pss))
}

/// Whether the Chromium baseline can run; `Err` says why not.
fn baseline_ready(config: &BenchConfig) -> std::result::Result<(), String> {
    if !config.baseline {
        return Err("baseline skipped (--no-baseline)".to_owned());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    if !Path::new(&chromium).exists() {
        return Err(format!(
            "baseline skipped: Chromium is not installed at {chromium}"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("baseline skipped: Node.js is not installed".to_owned());
    }
    let dir = &config.scenarios_dir;
    if !dir.join("baseline.js").exists() {
        return Err(format!(
            "baseline skipped: no {}/baseline.js",
            dir.display()
        ));
    }
    if !dir.join("node_modules/puppeteer-core").exists() {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            return Err(format!(
                "baseline skipped: `npm ci` failed in {}",
                dir.display()
            ));
        }
    }
    Ok(())
}

fn node_baseline(config: &BenchConfig, args: &[String]) -> Result<Value> {
    let out = Command::new("node")
        .arg(config.scenarios_dir.join("baseline.js"))
        .args(args)
        .output()
        .context("running node")?;
    if !out.status.success() {
        bail!(
            "baseline.js failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serde_json::from_slice(&out.stdout).context("reading baseline.js's answer")
}

fn load(dir: &Path) -> Result<std::sync::Arc<Package>> {
    let (package, _diags) =
        Package::load(dir).with_context(|| format!("loading {}", dir.display()))?;
    Ok(package)
}

fn first_frame(config: &BenchConfig, report: &mut ScenarioReport, baseline: bool) -> Result<()> {
    let app = gen::first_frame(
        &config.work_dir.join("first-frame"),
        config.first_frame_nodes(),
    )?;
    let png = config.work_dir.join("first-frame.png");
    let data = config.work_dir.join("first-frame-data");
    let dir = app.dir.to_string_lossy().into_owned();
    let png_s = png.to_string_lossy().into_owned();
    let data_s = data.to_string_lossy().into_owned();
    let renderer = config.renderer.to_string();
    let args = [
        "shot",
        &dir,
        "--dpr",
        "2",
        "--out",
        &png_s,
        "--data-dir",
        &data_s,
        "--renderer",
        &renderer,
    ];
    let stderr_file = config.work_dir.join("first-frame.stderr");
    // A cache of its own: the plain page needs no transform, so the
    // figure is the same cold or warm.
    let cache = config.work_dir.join("first-frame-cache");
    let envs = [("CIRRUS_CACHE_DIR", cache.as_path())];
    let (elapsed, peak_pss) = time_child(
        &config.cirrus_exe,
        &args,
        &envs,
        &stderr_file,
        Memory::PeakPss,
    )?;
    report.cirrus("launch to PNG written", "ms", ms(elapsed));
    report.cirrus("peak Pss", "MiB", kib_to_mib(peak_pss));
    // Both rasterisers side by side (`auto` picked one of them above).
    if config.renderer == RendererChoice::Auto {
        for backend in ["cpu", "gpu"] {
            let mut args = args;
            args[args.len() - 1] = backend;
            let (elapsed, peak_pss) = time_child(
                &config.cirrus_exe,
                &args,
                &envs,
                &stderr_file,
                Memory::PeakPss,
            )?;
            report.cirrus(
                &format!("launch to PNG written, {backend} renderer"),
                "ms",
                ms(elapsed),
            );
            report.cirrus(
                &format!("peak Pss, {backend} renderer"),
                "MiB",
                kib_to_mib(peak_pss),
            );
        }
    }
    compiled_first_frame(config, report)?;
    if baseline {
        let (v, peak_pss) = node_baseline_with_pss(
            config,
            &[
                "first-frame".into(),
                app.html.to_string_lossy().into_owned(),
                "375".into(),
                "667".into(),
                "2".into(),
            ],
        )?;
        report.baseline(
            "launch to PNG written",
            "ms",
            v["ms"].as_f64().unwrap_or(f64::NAN),
        );
        report.baseline("peak Pss", "MiB", kib_to_mib(Some(peak_pss)));
    }
    Ok(())
}

/// A project written the way devtools projects are (a TypeScript page,
/// ES-module utilities, LESS): launched with an empty compile cache
/// (cold: every file is transformed) and again with the cache it left
/// (warm: none is).
fn compiled_first_frame(config: &BenchConfig, report: &mut ScenarioReport) -> Result<()> {
    let dir = config.work_dir.join("first-frame-compiled");
    gen::compiled_project(&dir, config.first_frame_nodes(), 40)?;
    let cache = config.work_dir.join("first-frame-compiled-cache");
    let _ = std::fs::remove_dir_all(&cache);
    let png = config.work_dir.join("first-frame-compiled.png");
    let data = config.work_dir.join("first-frame-compiled-data");
    let (dir_s, png_s, data_s) = (
        dir.to_string_lossy().into_owned(),
        png.to_string_lossy().into_owned(),
        data.to_string_lossy().into_owned(),
    );
    let args = [
        "shot",
        &dir_s,
        "--dpr",
        "2",
        "--out",
        &png_s,
        "--data-dir",
        &data_s,
    ];
    let envs = [("CIRRUS_CACHE_DIR", cache.as_path())];
    let stderr_file = config.work_dir.join("first-frame-compiled.stderr");
    // Timings only: no sampler thread competes with the child here.
    let (cold, _) = time_child(
        &config.cirrus_exe,
        &args,
        &envs,
        &stderr_file,
        Memory::NotMeasured,
    )?;
    let (warm, _) = time_child(
        &config.cirrus_exe,
        &args,
        &envs,
        &stderr_file,
        Memory::NotMeasured,
    )?;
    report.cirrus("TS + ES modules + LESS, cold cache", "ms", ms(cold));
    report.cirrus("TS + ES modules + LESS, warm cache", "ms", ms(warm));
    Ok(())
}

fn update(config: &BenchConfig, report: &mut ScenarioReport, baseline: bool) -> Result<()> {
    let counts = config.update_counts();
    let rows = counts.iter().copied().max().unwrap_or(1);
    let app = gen::update(&config.work_dir.join("update"), rows)?;
    let mut host = BenchHost::launch(
        load(&app.dir)?,
        Viewport::new(375.0, 667.0, 1.0),
        config.renderer,
    )?;
    let driver = host.node_at(5.0, 5.0)?;
    let mut step = 0u64;
    for &n in &counts {
        let (mut total, mut cpu) = (Vec::new(), Vec::new());
        let (mut logic, mut render) = (Vec::new(), Vec::new());
        let (mut style, mut layout, mut paint) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..config.update_samples() {
            step += 1;
            let started = Instant::now();
            host.tap(driver, json!({ "n": n, "step": step }))?;
            let frame = host.frame()?;
            total.push(ms(started.elapsed()));
            cpu.push(ms(started.elapsed() - frame.gpu));
            let (turn, applying) = host.last_turn();
            logic.push(ms(turn));
            render.push(ms(applying + frame.cpu()));
            style.push(ms(frame.stats.style_time));
            layout.push(ms(frame.stats.layout_time));
            paint.push(ms(frame.paint));
            if frame.stats.ops_applied == 0 {
                bail!("update: the setData of {n} bindings produced no ops");
            }
        }
        let label = if n == 1 {
            "1 binding".to_owned()
        } else {
            format!("{n} bindings")
        };
        report.cirrus(&format!("p50, {label}"), "ms", quantile(&total, 0.5));
        report.cirrus(&format!("p99, {label}"), "ms", quantile(&total, 0.99));
        report.cirrus(
            &format!("p99 CPU part, {label}"),
            "ms",
            quantile(&cpu, 0.99),
        );
        report.cirrus(
            &format!("p99 logic turn, {label}"),
            "ms",
            quantile(&logic, 0.99),
        );
        report.cirrus(
            &format!("p99 render CPU, {label}"),
            "ms",
            quantile(&render, 0.99),
        );
        for (part, values) in [("style", &style), ("layout", &layout), ("paint", &paint)] {
            report.cirrus(
                &format!("p99 {part}, {label}"),
                "ms",
                quantile(values, 0.99),
            );
        }
    }
    drop(host);
    if baseline {
        let list: Vec<String> = counts.iter().map(|c| c.to_string()).collect();
        let v = node_baseline(
            config,
            &[
                "update".into(),
                app.html.to_string_lossy().into_owned(),
                "375".into(),
                "667".into(),
                config.update_samples().to_string(),
                list.join(","),
            ],
        )?;
        for &n in &counts {
            let label = if n == 1 {
                "1 binding".to_owned()
            } else {
                format!("{n} bindings")
            };
            let r = &v[n.to_string()];
            report.baseline(
                &format!("p50, {label}"),
                "ms",
                r["p50"].as_f64().unwrap_or(f64::NAN),
            );
            report.baseline(
                &format!("p99, {label}"),
                "ms",
                r["p99"].as_f64().unwrap_or(f64::NAN),
            );
        }
    }
    Ok(())
}

/// CSS px the `long-list` scroll moves per frame (a brisk fling).
const LIST_SCROLL_STEP: f32 = 32.0;

fn long_list(config: &BenchConfig, report: &mut ScenarioReport) -> Result<()> {
    let dir = gen::long_list(&config.work_dir.join("long-list"), config.list_items())?;
    let mut host = BenchHost::launch(
        load(&dir)?,
        Viewport::new(375.0, 667.0, 1.0),
        config.renderer,
    )?;
    // The middle of the page, below the navigation bar: on the scroll-view.
    let area = host.stage().page_area();
    let (x, y) = (area.x + area.width / 2.0, area.y + area.height / 2.0);
    let (mut style, mut layout, mut paint, mut gpu, mut cpu, mut input) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let (mut layout_frames, mut display_items) = (0usize, Vec::new());
    let mut direction = 1.0;
    for _ in 0..config.list_frames() {
        let input_started = Instant::now();
        // At an end, the scroll turns back, so every frame scrolls.
        if !host.scroll(x, y, 0.0, direction * LIST_SCROLL_STEP)? {
            direction = -direction;
            if !host.scroll(x, y, 0.0, direction * LIST_SCROLL_STEP)? {
                bail!("long-list: the scroll-view does not scroll");
            }
        }
        input.push(ms(input_started.elapsed()));
        let f = host.frame()?;
        style.push(ms(f.stats.style_time));
        layout.push(ms(f.stats.layout_time));
        paint.push(ms(f.paint));
        gpu.push(ms(f.gpu));
        cpu.push(ms(f.cpu()));
        if f.stats.layout_ran {
            layout_frames += 1;
        }
        display_items.push(host.display_items() as f64);
    }
    for (q, name) in [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")] {
        report.cirrus(&format!("render CPU {name}"), "ms", quantile(&cpu, q));
    }
    report.cirrus("style p99", "ms", quantile(&style, 0.99));
    report.cirrus("layout p99", "ms", quantile(&layout, 0.99));
    report.cirrus("paint p99", "ms", quantile(&paint, 0.99));
    report.cirrus("scroll input p99", "ms", quantile(&input, 0.99));
    report.cirrus("GPU submit+readback p99", "ms", quantile(&gpu, 0.99));
    report.cirrus(
        "frames entering layout pass",
        "frames",
        layout_frames as f64,
    );
    report.cirrus(
        "display items per frame p50",
        "items",
        quantile(&display_items, 0.5),
    );
    Ok(())
}

fn animation(config: &BenchConfig, report: &mut ScenarioReport) -> Result<()> {
    let dir = gen::animation(&config.work_dir.join("animation"), config.dots())?;
    let mut host = BenchHost::launch(
        load(&dir)?,
        Viewport::new(375.0, 667.0, 1.0),
        config.renderer,
    )?;
    let driver = host.node_at(5.0, 5.0)?;
    // The tap's setData toggles a class: the frame that applies it restyles
    // the dots and starts their transitions (2 s on the frame clock).
    let start = host.clock();
    host.tap(driver, json!({}))?;
    let started = host.frame()?;
    report.cirrus(
        "start frame (restyle)",
        "ms",
        ms(started.cpu() + started.gpu),
    );
    report.cirrus(
        "transitions started",
        "nodes",
        host.stage()
            .top_page()
            .map_or(0, |p| p.motion.animated_nodes()) as f64,
    );
    let (mut frame_ms, mut cpu) = (Vec::new(), Vec::new());
    let (mut restyled, mut invalidated, mut layout_entered, mut moved) = (0, 0, 0, 0);
    let frames = config.animation_frames();
    // Frames 60 Hz apart on the stage's clock, so the run is the same
    // whatever the machine's speed.
    let step = Duration::from_micros(16_667);
    for i in 1..=frames {
        host.set_time(start + step * i as u32);
        let f = host.frame()?;
        frame_ms.push(ms(f.cpu() + f.gpu));
        cpu.push(ms(f.cpu()));
        restyled += f.stats.style.restyled;
        invalidated += f.stats.style.layout_invalidated;
        moved += f.stats.motion.repainted;
        if f.stats.layout_ran {
            layout_entered += 1;
        }
    }
    let per_frame = |n: usize| n as f64 / frames as f64;
    report.cirrus("frame p50", "ms", quantile(&frame_ms, 0.5));
    report.cirrus("frame p99", "ms", quantile(&frame_ms, 0.99));
    report.cirrus("render CPU p99", "ms", quantile(&cpu, 0.99));
    report.cirrus("nodes animated per frame", "nodes", per_frame(moved));
    report.cirrus("nodes restyled per frame", "nodes", per_frame(restyled));
    report.cirrus("layout caches invalidated", "nodes", invalidated as f64);
    report.cirrus(
        "frames entering layout pass",
        "frames",
        layout_entered as f64,
    );
    Ok(())
}

fn worklet(config: &BenchConfig, report: &mut ScenarioReport) -> Result<()> {
    let dir = gen::worklet(&config.work_dir.join("worklet"), config.dots())?;
    let mut host = BenchHost::launch(
        load(&dir)?,
        Viewport::new(375.0, 667.0, 1.0),
        config.renderer,
    )?;
    host.frame()?;
    let driver = host.node_at(5.0, 5.0)?;
    // The tap's handler assigns a timing and a spring: from then on the UI
    // runtime moves the shared values and the bound nodes, with no JS turn.
    let start = host.clock();
    host.tap(driver, json!({}))?;
    host.frame()?;
    let (mut frame_ms, mut cpu, mut tick) = (Vec::new(), Vec::new(), Vec::new());
    let (mut restyled, mut ops, mut layout_entered) = (0, 0, 0);
    let frames = config.animation_frames();
    let step = Duration::from_micros(16_667);
    for i in 1..=frames {
        // The UI runtime's frame (timers, animations, updaters) runs when
        // the clock moves: it is render-thread CPU too.
        let ticked = Instant::now();
        host.set_time(start + step * i as u32);
        let ticked = ticked.elapsed();
        let f = host.frame()?;
        tick.push(ms(ticked));
        frame_ms.push(ms(ticked + f.cpu() + f.gpu));
        cpu.push(ms(ticked + f.cpu()));
        // The first frame gives the nodes their animated style (a
        // restyle); from then on the values are written in.
        if i > 1 {
            restyled += f.stats.style.restyled;
        }
        ops += f.stats.ops_applied;
        if f.stats.layout_ran {
            layout_entered += 1;
        }
    }
    report.cirrus("frame p50", "ms", quantile(&frame_ms, 0.5));
    report.cirrus("frame p99", "ms", quantile(&frame_ms, 0.99));
    report.cirrus("render CPU p99", "ms", quantile(&cpu, 0.99));
    report.cirrus("UI runtime tick p99", "ms", quantile(&tick, 0.99));
    report.cirrus(
        "nodes restyled after the first frame",
        "nodes",
        restyled as f64,
    );
    report.cirrus("ops from the logic thread", "ops", ops as f64);
    report.cirrus(
        "frames entering layout pass",
        "frames",
        layout_entered as f64,
    );
    Ok(())
}

fn navigate(config: &BenchConfig, report: &mut ScenarioReport) -> Result<()> {
    let dir = gen::navigate(&config.work_dir.join("navigate"), 50)?;
    let mut host = BenchHost::launch(
        load(&dir)?,
        Viewport::new(375.0, 667.0, 1.0),
        config.renderer,
    )?;
    let (mut push, mut pop, mut rss) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=config.navigations() {
        for (depth, times) in [(2usize, &mut push), (1usize, &mut pop)] {
            let driver = host.node_at(5.0, 5.0)?;
            let started = Instant::now();
            host.tap(driver, json!({}))?;
            let deadline = Instant::now() + Duration::from_secs(30);
            // Routes run after the handler's turn: wait for the stack.
            while host.stage().pages().len() != depth {
                if Instant::now() > deadline {
                    bail!("navigate: the page stack never reached depth {depth}");
                }
                host.wait_more()?;
            }
            host.wait_settled()?;
            host.frame()?;
            times.push(ms(started.elapsed()));
        }
        if round % 10 == 0 {
            rss.push(self_rss_kb() / 1024.0);
        }
    }
    report.cirrus("navigateTo p50", "ms", quantile(&push, 0.5));
    report.cirrus("navigateBack p50", "ms", quantile(&pop, 0.5));
    report.cirrus("navigateTo p99", "ms", quantile(&push, 0.99));
    let first = rss.first().copied().unwrap_or(f64::NAN);
    let last = rss.last().copied().unwrap_or(f64::NAN);
    report.cirrus("RSS after first 10", "MiB", first);
    report.cirrus("RSS after last 10", "MiB", last);
    report.cirrus("RSS growth", "MiB", last - first);
    Ok(())
}

fn note_of(config: &BenchConfig, name: &str) -> String {
    match name {
        "first-frame" => format!("`cirrus shot` (dpr 2) as a child process on a generated {}-node page (views, text, images): spawn to exit, PNG written; peak Pss (proportional set size: a page shared by n processes counts 1/n in each) summed over that process and its descendants, sampled every 10 ms. Baseline: the same page as HTML with the Skyline defaults, Chromium (puppeteer) launch to screenshot written; peak Pss summed over the browser's whole process tree (every process Node started), sampled the same way.", config.first_frame_nodes()),
        "update" => format!("A tap handler calls setData on N of {} text bindings; time from sending the event to the logic thread until the frame showing it is rendered headless at 375x667 (logic turn, ops, style, layout, paint, GPU + readback), in process, {} samples per N; the CPU part leaves out GPU + readback, and splits into the logic turn (until the logic thread reports idle, less applying its op batches) and the render thread's CPU (applying the batches, motion, style, layout, paint; its style/layout/paint parts below it). Baseline: a script changes the same N text nodes and awaits two requestAnimationFrame.", config.update_counts().iter().max().unwrap_or(&1), config.update_samples()),
        "long-list" => format!("A full-height <scroll-view scroll-y type=\"list\"> of {} items (a text label each) is scrolled {} px per frame for {} frames through the render thread's input path (Stage::scroll_by, no JS; turning back at an end); on-demand paint skips the off-screen items. Render-thread CPU per frame = style + layout + paint; the scroll input (hit test, move, scroll events) and GPU submit+readback (headless, llvmpipe on CPU-only machines) apart. No WebView baseline.", config.list_items(), LIST_SCROLL_STEP, config.list_frames()),
        "worklet" => format!("{} nodes in two halves whose transforms (and one half's opacity) follow two shared values through applyAnimatedStyle; one tap assigns a timing (2 s, linear) and a spring; then {} frames 16.7 ms apart on the stage's controlled clock. The UI runtime (second QuickJS context on the render thread) moves the values and re-runs the updaters each frame (its tick is counted in the render CPU) and writes transform and opacity straight into the styles. 'nodes restyled after the first frame', 'ops from the logic thread' and 'frames entering layout pass' must be 0. No WebView baseline.", config.dots(), config.animation_frames()),
        "animation" => format!("{} nodes with CSS transitions on transform and opacity (2 s, linear), started by one setData that toggles a class; then {} frames 16.7 ms apart on the stage's controlled clock, with no JS involved. Proof that no layout ran: 'frames entering layout pass', 'layout caches invalidated' and 'nodes restyled per frame' must be 0 (the render thread writes the animated values straight into the styles). No WebView baseline.", config.dots(), config.animation_frames()),
        "navigate" => format!("navigateTo then navigateBack through the logic thread's router, {} round trips; each time is from the tap to the settled, rendered frame. RSS of the bench process after every 10 round trips (it must not grow). No WebView baseline.", config.navigations()),
        _ => String::new(),
    }
}

/// Runs one scenario `config.runs` times.
pub fn run_scenario(config: &BenchConfig, name: &str) -> Result<ScenarioReport> {
    let mut report = ScenarioReport {
        name: name.to_owned(),
        note: note_of(config, name),
        ..Default::default()
    };
    let wants_baseline = matches!(name, "first-frame" | "update");
    let baseline = if wants_baseline {
        match baseline_ready(config) {
            Ok(()) => true,
            Err(why) => {
                report.baseline_note = Some(why);
                false
            }
        }
    } else {
        report.baseline_note = Some("no WebView baseline for this scenario".to_owned());
        false
    };
    std::fs::create_dir_all(&config.work_dir)?;
    for _ in 0..config.runs.max(1) {
        match name {
            "first-frame" => first_frame(config, &mut report, baseline)?,
            "update" => update(config, &mut report, baseline)?,
            "long-list" => long_list(config, &mut report)?,
            "animation" => animation(config, &mut report)?,
            "worklet" => worklet(config, &mut report)?,
            "navigate" => navigate(config, &mut report)?,
            other => bail!(
                "unknown scenario {other:?} (one of {})",
                SCENARIOS.join(", ")
            ),
        }
    }
    Ok(report)
}

/// The rasteriser the in-process scenarios render with (`--renderer`).
pub fn adapter_label(choice: RendererChoice) -> String {
    match cirrus_engine::render::Rasterizer::new_headless(choice) {
        Ok(r) => r.label(),
        Err(e) => format!("no renderer: {e}"),
    }
}

fn summary_json(values: &[f64]) -> Value {
    match summarize(values) {
        Some(s) => json!({ "median": s.median, "min": s.min, "max": s.max, "runs": values }),
        None => Value::Null,
    }
}

/// The whole report as JSON.
pub fn to_json(config: &BenchConfig, reports: &[ScenarioReport]) -> Value {
    let (cores, cpu) = machine_label();
    let scenarios: Vec<Value> = reports
        .iter()
        .map(|r| {
            let figures: Vec<Value> = r
                .figures
                .iter()
                .map(|f| {
                    let c = summarize(&f.cirrus);
                    let b = summarize(&f.baseline);
                    let ratio = match (c, b) {
                        (Some(c), Some(b)) if b.median != 0.0 => json!(c.median / b.median),
                        _ => Value::Null,
                    };
                    json!({
                        "figure": f.name,
                        "unit": f.unit,
                        "cirrus": summary_json(&f.cirrus),
                        "baseline": summary_json(&f.baseline),
                        "ratio": ratio,
                    })
                })
                .collect();
            json!({
                "scenario": r.name,
                "note": r.note,
                "baseline_note": r.baseline_note,
                "figures": figures,
            })
        })
        .collect();
    json!({
        "machine": { "nproc": cores, "cpu": cpu },
        "adapter": adapter_label(config.renderer),
        "runs": config.runs,
        "quick": config.quick,
        "scenarios": scenarios,
    })
}

fn fmt_value(s: Option<Summary>) -> String {
    match s {
        Some(s) => format!("{:.2}", s.median),
        None => "-".to_owned(),
    }
}

/// The table `cirrus bench` prints.
pub fn table(report: &Value) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "machine: {} cores, {}; renderer: {}; medians of {} run(s)\n",
        report["machine"]["nproc"],
        report["machine"]["cpu"].as_str().unwrap_or("?"),
        report["adapter"].as_str().unwrap_or("?"),
        report["runs"]
    ));
    let get = |v: &Value| -> Option<Summary> {
        Some(Summary {
            median: v["median"].as_f64()?,
            min: v["min"].as_f64()?,
            max: v["max"].as_f64()?,
        })
    };
    for s in report["scenarios"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "\n== {} ==\n",
            s["scenario"].as_str().unwrap_or("?")
        ));
        out.push_str(&format!("   {}\n", s["note"].as_str().unwrap_or("")));
        if let Some(n) = s["baseline_note"].as_str() {
            out.push_str(&format!("   ({n})\n"));
        }
        out.push_str(&format!(
            "{:<30} {:>6} {:>10} {:>10} {:>7} {:>22}\n",
            "figure", "unit", "cirrus", "chromium", "ratio", "cirrus spread min..max"
        ));
        for f in s["figures"].as_array().into_iter().flatten() {
            let c = get(&f["cirrus"]);
            let spread = c
                .map(|c| format!("{:.2}..{:.2}", c.min, c.max))
                .unwrap_or_default();
            let ratio = f["ratio"]
                .as_f64()
                .map(|r| format!("{r:.2}"))
                .unwrap_or_else(|| "-".into());
            out.push_str(&format!(
                "{:<30} {:>6} {:>10} {:>10} {:>7} {:>22}\n",
                f["figure"].as_str().unwrap_or("?"),
                f["unit"].as_str().unwrap_or(""),
                fmt_value(c),
                fmt_value(get(&f["baseline"])),
                ratio,
                spread
            ));
        }
    }
    out
}

/// `cirrus bench`: runs `scenario` (or all), prints the table, writes JSON.
pub fn run(config: &BenchConfig, scenario: Option<&str>, json_out: Option<&Path>) -> Result<Value> {
    let names: Vec<&str> = match scenario {
        Some(s) if SCENARIOS.contains(&s) => vec![s],
        Some(s) => bail!("unknown scenario {s:?} (one of {})", SCENARIOS.join(", ")),
        None => SCENARIOS.to_vec(),
    };
    let mut reports = Vec::new();
    for name in names {
        eprintln!("cirrus bench: running {name} ({} run(s))", config.runs);
        reports.push(run_scenario(config, name).with_context(|| format!("scenario {name}"))?);
    }
    let report = to_json(config, &reports);
    print!("{}", table(&report));
    if let Some(path) = json_out {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(report)
}
