//! `cirrus`: run a mini program in a window, render it headless, check it.

use anyhow::{Context, Result};
use cirrus_engine::package::Package;
use cirrus_engine::render::RendererChoice;
use cirrus_shell::harness::Harness;
use cirrus_shell::{check, headless, script, window};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "cirrus",
    version,
    about = "A native, GPU-rendered engine for WeChat mini programs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Open APP in a window.
    Run {
        /// The devtools project folder (with project.config.json) or the
        /// mini program root (holding app.json).
        app: PathBuf,
        /// The page to open, with an optional query (`pages/a/a?id=3`).
        #[arg(long)]
        page: Option<String>,
        #[arg(long, default_value_t = 375.0)]
        width: f32,
        #[arg(long, default_value_t = 667.0)]
        height: f32,
        /// Close the window after presenting this many frames (for tests).
        #[arg(long)]
        exit_after_frames: Option<u64>,
        /// The app's JS heap limit in MiB (default 256): past it the app
        /// gets `out of memory` errors and the engine keeps running.
        #[arg(long, value_name = "MIB")]
        memory_limit: Option<usize>,
        /// The rasteriser: cpu, gpu, or auto (the GPU where a hardware
        /// adapter exists, else the CPU).
        #[arg(long, default_value = "auto")]
        renderer: RendererChoice,
    },
    /// Render a page headless to a PNG (and its layout to JSON).
    Shot {
        app: PathBuf,
        #[arg(long)]
        page: Option<String>,
        #[arg(long, default_value_t = 375.0)]
        width: f32,
        #[arg(long, default_value_t = 667.0)]
        height: f32,
        #[arg(long, default_value_t = 2.0)]
        dpr: f32,
        /// Take the shot no earlier than this many milliseconds after launch.
        #[arg(long, default_value_t = 0)]
        wait_ms: u64,
        #[arg(long, default_value = "shot.png")]
        out: PathBuf,
        /// Also write the layout file (README, "The `cirrus` CLI").
        #[arg(long)]
        layout: Option<PathBuf>,
        /// Keep the app's storage in this folder instead of the per-app
        /// default (a fresh folder makes the shot independent of earlier runs).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// The app's JS heap limit in MiB (default 256).
        #[arg(long, value_name = "MIB")]
        memory_limit: Option<usize>,
        /// Play these input steps (JSON, README "Scripted input") on a
        /// controlled clock before the shot.
        #[arg(long)]
        input: Option<PathBuf>,
        /// The rasteriser: cpu, gpu, or auto (the GPU where a hardware
        /// adapter exists, else the CPU).
        #[arg(long, default_value = "auto")]
        renderer: RendererChoice,
    },
    /// Print every diagnostic of APP; exit non-zero on an error.
    Check { app: PathBuf },
    /// Build miniprogram_npm/ from node_modules, as the devtools' "build npm".
    BuildNpm {
        /// The devtools project folder (or the mini program root).
        dir: PathBuf,
    },
    /// Run the benchmark scenarios of benches/.
    Bench {
        /// first-frame, update, long-list, animation or navigate (all if absent).
        scenario: Option<String>,
        /// Runs per scenario; figures are their medians.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Also write the report as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Tiny sizes (50 nodes, a few frames): for the smoke test.
        #[arg(long)]
        quick: bool,
        /// Skip the Chromium baseline.
        #[arg(long)]
        no_baseline: bool,
        /// The folder holding baseline.js.
        #[arg(long, default_value = "benches/scenarios")]
        scenarios_dir: PathBuf,
        /// The rasteriser of the first-frame shots and the in-process
        /// scenarios (first-frame reports cpu and gpu both when auto).
        #[arg(long, default_value = "auto")]
        renderer: RendererChoice,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cirrus: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// MiB on the command line to bytes (saturating: a huge number is simply
/// no practical limit).
fn mebibytes(mib: usize) -> usize {
    mib.saturating_mul(1 << 20)
}

fn load(
    app: &std::path::Path,
) -> Result<(std::sync::Arc<Package>, Vec<cirrus_engine::Diagnostic>)> {
    Package::load(app).with_context(|| format!("loading {}", app.display()))
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Run {
            app,
            page,
            width,
            height,
            exit_after_frames,
            memory_limit,
            renderer,
        } => {
            let (package, diags) = load(&app)?;
            for d in &diags {
                eprintln!("{d}");
            }
            let resources = cirrus_shell::AppResources {
                data_dir: None,
                memory_limit_bytes: memory_limit.map(mebibytes),
            };
            window::run_window(
                package,
                page,
                width,
                height,
                exit_after_frames,
                renderer,
                resources,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Shot {
            app,
            page,
            width,
            height,
            dpr,
            wait_ms,
            out,
            layout,
            data_dir,
            memory_limit,
            input,
            renderer,
        } => {
            let started = Instant::now();
            // Read the steps first: a bad script fails before the app starts.
            let steps = match &input {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("reading {}", path.display()))?;
                    match script::parse(&path.display().to_string(), &text) {
                        Ok(steps) => Some(steps),
                        Err(errors) => {
                            for e in &errors {
                                eprintln!("{e}");
                            }
                            return Ok(ExitCode::from(2));
                        }
                    }
                }
                None => None,
            };
            let (package, diags) = load(&app)?;
            for d in &diags {
                eprintln!("{d}");
            }
            let options = headless::ShotOptions {
                page,
                width,
                height,
                dpr,
                wait: Duration::from_millis(wait_ms),
                data_dir,
                memory_limit_bytes: memory_limit.map(mebibytes),
                renderer,
                ..Default::default()
            };
            let capture = match steps {
                None => headless::shot(package, &options)?,
                Some(steps) => {
                    let mut harness = Harness::launch(package, &options)?;
                    harness.wait(options.wait)?;
                    script::play(&mut harness, &steps)?;
                    harness.settle(cirrus_shell::harness::SETTLE_LIMIT)?;
                    harness.capture()?
                }
            };
            for d in capture.diagnostics.iter().filter(|d| !diags.contains(d)) {
                eprintln!("{d}");
            }
            capture
                .image
                .save(&out)
                .with_context(|| format!("writing {}", out.display()))?;
            if let Some(path) = layout {
                let text = serde_json::to_string_pretty(&capture.layout)?;
                std::fs::write(&path, text)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            if !capture.settled {
                eprintln!("cirrus: warning: the app had not settled when the shot was taken");
            }
            eprintln!(
                "cirrus: wrote {} ({}x{}) in {} ms on {}",
                out.display(),
                capture.image.width(),
                capture.image.height(),
                started.elapsed().as_millis(),
                capture.adapter
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { app } => {
            let (package, mut diags) = load(&app)?;
            diags.extend(check::check_package(&package));
            let errors = diags.iter().filter(|d| d.is_error()).count();
            for d in &diags {
                println!("{d}");
            }
            println!("{} error(s), {} warning(s)", errors, diags.len() - errors);
            Ok(if errors > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::BuildNpm { dir } => {
            let build = cirrus_engine::npm::build_npm(&dir);
            for (name, dest) in &build.built {
                println!("built {name} -> {}", dest.display());
            }
            for d in &build.diagnostics {
                println!("{d}");
            }
            let failed = build.diagnostics.iter().any(|d| d.is_error());
            println!("{} package(s) built", build.built.len());
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Bench {
            scenario,
            runs,
            json,
            quick,
            no_baseline,
            scenarios_dir,
            renderer,
        } => {
            let config = cirrus_shell::bench::BenchConfig {
                runs,
                quick,
                baseline: !no_baseline,
                cirrus_exe: std::env::current_exe().context("locating the cirrus binary")?,
                scenarios_dir,
                renderer,
                work_dir: std::env::temp_dir().join(format!("cirrus-bench-{}", std::process::id())),
            };
            let result = cirrus_shell::bench::run(&config, scenario.as_deref(), json.as_deref());
            let _ = std::fs::remove_dir_all(&config.work_dir);
            result?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
