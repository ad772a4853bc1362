//! The memory a process tree uses, as the proportional set size (Pss),
//! sampled while it runs: `cirrus bench`'s "peak Pss".
//!
//! Pss (`/proc/<pid>/smaps_rollup`) counts each resident page once in all:
//! a page that n processes share counts 1/n in each. Summed over a tree it
//! is what the tree costs the machine. RSS counts a shared page in full in
//! every process mapping it, so summed RSS counts Chromium's shared pages
//! (its binary, fonts, shared memory between its processes) several times.
//!
//! Invariants: a tree is the root and every descendant found at the moment
//! of the sample (children via `/proc/<pid>/task/<tid>/children`, or by
//! scanning every process's parent where the kernel has no `children`
//! files); a process that exits while it is read is left out of that
//! sample. A run in which no process could be read at all is an error,
//! never a peak of 0.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often [`PeakPssSampler`] samples: often enough for a run of a few
/// hundred ms, cheap enough (a few `/proc` reads per process) not to slow
/// what it measures.
pub const SAMPLE_INTERVAL: Duration = Duration::from_millis(10);

/// Which processes of a tree count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    /// The root and all its descendants (`cirrus shot`).
    RootAndDescendants,
    /// Only the descendants: the root is a driver whose own memory is not
    /// the figure's (Node.js running puppeteer, for Chromium's tree).
    DescendantsOnly,
}

/// One sample of a tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TreeSample {
    /// Processes whose Pss was read.
    pub processes: usize,
    /// Their summed Pss, KiB.
    pub pss_kib: u64,
}

/// `Pss` of one process in KiB; `None` when it cannot be read (exited, a
/// zombie, or a kernel before 4.14 without `smaps_rollup`).
pub fn process_pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix("Pss:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// `root` and every process descended from it, as found now (root first).
pub fn process_tree(root: u32) -> Vec<u32> {
    let children_by_parent = if children_files_exist() {
        None
    } else {
        Some(children_by_parent_from_scan())
    };
    let mut tree = vec![root];
    let mut seen = HashSet::from([root]);
    let mut next = 0;
    while next < tree.len() {
        let pid = tree[next];
        next += 1;
        let children = match &children_by_parent {
            Some(map) => map.get(&pid).cloned().unwrap_or_default(),
            None => children_from_task_files(pid),
        };
        for child in children {
            // A pid is visited once even if a racing read lists it twice.
            if seen.insert(child) {
                tree.push(child);
            }
        }
    }
    tree
}

/// Whether this kernel has `/proc/<pid>/task/<tid>/children`
/// (`CONFIG_PROC_CHILDREN`), judged on our own main thread (whose tid is
/// the pid).
fn children_files_exist() -> bool {
    let me = std::process::id();
    Path::new(&format!("/proc/{me}/task/{me}/children")).exists()
}

/// Children of `pid`: each of its threads lists the processes it forked.
fn children_from_task_files(pid: u32) -> Vec<u32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .filter_map(Result::ok)
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|child| child.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect()
}

/// Every process's children, from the parent pid in `/proc/<pid>/stat`
/// (for kernels built without the `children` files).
fn children_by_parent_from_scan() -> HashMap<u32, Vec<u32>> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return children;
    };
    for entry in entries.filter_map(Result::ok) {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue; // exited while we looked
        };
        if let Some(parent) = parent_pid_from_stat(&stat) {
            children.entry(parent).or_default().push(pid);
        }
    }
    children
}

/// The parent pid in a `/proc/<pid>/stat` line: `pid (comm) state ppid ...`.
/// `comm` may hold spaces and parentheses, so fields are counted from the
/// last `)`.
fn parent_pid_from_stat(stat: &str) -> Option<u32> {
    let after_comm = &stat[stat.rfind(')')? + 1..];
    after_comm.split_whitespace().nth(1)?.parse().ok()
}

/// The summed Pss of the tree under `root`, now.
pub fn sample_tree(root: u32, counted: Counted) -> TreeSample {
    let mut sample = TreeSample::default();
    for pid in process_tree(root) {
        if pid == root && counted == Counted::DescendantsOnly {
            continue;
        }
        if let Some(pss) = process_pss_kib(pid) {
            sample.processes += 1;
            sample.pss_kib += pss;
        }
    }
    sample
}

/// Samples a tree's Pss every [`SAMPLE_INTERVAL`] on a thread of its own
/// until [`finish`](Self::finish), keeping the largest sum.
pub struct PeakPssSampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Peak>,
    root: u32,
}

#[derive(Clone, Copy, Debug, Default)]
struct Peak {
    pss_kib: u64,
    /// Samples in which at least one process was read.
    samples_read: usize,
}

impl PeakPssSampler {
    /// Starts sampling the tree under `root` (the first sample is taken at
    /// once).
    pub fn start(root: u32, counted: Counted) -> std::io::Result<PeakPssSampler> {
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("pss-sampler".to_owned())
            .spawn(move || {
                let mut peak = Peak::default();
                loop {
                    // Checked before the sample, so one last sample follows
                    // the request to stop only if it was made mid-sleep.
                    let stopping = stop_flag.load(Ordering::Relaxed);
                    let sample = sample_tree(root, counted);
                    if sample.processes > 0 {
                        peak.samples_read += 1;
                        peak.pss_kib = peak.pss_kib.max(sample.pss_kib);
                    }
                    if stopping {
                        return peak;
                    }
                    std::thread::sleep(SAMPLE_INTERVAL);
                }
            })?;
        Ok(PeakPssSampler { stop, thread, root })
    }

    /// Stops sampling; the largest summed Pss seen, KiB. Call it before
    /// reaping the root when the root itself counts, or the last samples
    /// only find a zombie.
    pub fn finish(self) -> Result<u64, PssError> {
        self.stop.store(true, Ordering::Relaxed);
        let peak = self.thread.join().map_err(|_| PssError::SamplerPanicked)?;
        if peak.samples_read == 0 {
            return Err(PssError::NothingRead { root: self.root });
        }
        Ok(peak.pss_kib)
    }
}

/// Why no peak Pss could be reported.
#[derive(Debug)]
pub enum PssError {
    /// Not one sample read a process's `smaps_rollup`.
    NothingRead {
        root: u32,
    },
    SamplerPanicked,
}

impl std::fmt::Display for PssError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PssError::NothingRead { root } => write!(
                f,
                "no Pss could be read for the process tree of {root} \
                 (/proc/<pid>/smaps_rollup needs Linux 4.14+ and access to the processes)"
            ),
            PssError::SamplerPanicked => write!(f, "the Pss sampler thread panicked"),
        }
    }
}

impl std::error::Error for PssError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Child, Command};

    /// A `sleep` child of the test process, killed when dropped.
    struct SleepingChild(Child);

    impl SleepingChild {
        fn spawn() -> SleepingChild {
            let child = Command::new("sleep")
                .arg("30")
                .spawn()
                .unwrap_or_else(|e| panic!("spawning sleep: {e}"));
            SleepingChild(child)
        }

        fn pid(&self) -> u32 {
            self.0.id()
        }
    }

    impl Drop for SleepingChild {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    /// Waits until the child has exec'd `sleep` and has a Pss of its own.
    fn pss_when_running(pid: u32) -> u64 {
        for _ in 0..200 {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim() == "sleep" {
                if let Some(pss) = process_pss_kib(pid).filter(|pss| *pss > 0) {
                    return pss;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the sleep child {pid} never showed a Pss");
    }

    #[test]
    fn the_test_process_has_a_pss() {
        let pss = process_pss_kib(std::process::id()).unwrap_or(0);
        // A Rust test binary maps at least a few hundred KiB of its own.
        assert!(pss > 100, "Pss of the test process: {pss} KiB");
    }

    #[test]
    fn the_tree_holds_a_spawned_child_and_sums_its_pss() {
        let child = SleepingChild::spawn();
        let child_pss = pss_when_running(child.pid());
        let me = std::process::id();
        let tree = process_tree(me);
        assert_eq!(tree.first(), Some(&me), "the root comes first");
        assert!(
            tree.contains(&child.pid()),
            "the tree of {me} lacks its child {}: {tree:?}",
            child.pid()
        );
        // Other tests may spawn children meanwhile: compare loosely.
        let whole = sample_tree(me, Counted::RootAndDescendants);
        let descendants = sample_tree(me, Counted::DescendantsOnly);
        assert!(whole.processes >= 2, "{whole:?}");
        assert!(
            whole.pss_kib > child_pss,
            "{whole:?} vs the child's {child_pss} KiB"
        );
        assert!(
            descendants.processes >= 1 && descendants.pss_kib > 0,
            "{descendants:?}"
        );
        // The test process itself (megabytes) is what DescendantsOnly leaves out.
        assert!(
            whole.pss_kib > descendants.pss_kib,
            "{whole:?} vs {descendants:?}"
        );
        // The child alone: a tree of one, and nothing below it.
        let alone = sample_tree(child.pid(), Counted::RootAndDescendants);
        assert_eq!(alone.processes, 1);
        assert!(alone.pss_kib > 0);
        assert_eq!(
            sample_tree(child.pid(), Counted::DescendantsOnly),
            TreeSample::default()
        );
    }

    #[test]
    fn the_sampler_reports_the_peak_of_a_running_tree() {
        let child = SleepingChild::spawn();
        let child_pss = pss_when_running(child.pid());
        let sampler = PeakPssSampler::start(std::process::id(), Counted::RootAndDescendants)
            .unwrap_or_else(|e| panic!("starting the sampler: {e}"));
        std::thread::sleep(SAMPLE_INTERVAL * 5);
        let peak = sampler.finish().unwrap_or_else(|e| panic!("{e}"));
        let own = process_pss_kib(std::process::id()).unwrap_or(0);
        assert!(
            peak > child_pss && peak * 2 > own,
            "peak {peak} KiB; the test process alone {own} KiB, its child {child_pss} KiB"
        );
    }

    #[test]
    fn a_tree_that_cannot_be_read_is_an_error_not_zero() {
        // Above any pid_max (at most 2^22): no such process.
        let no_process = u32::MAX;
        let sampler = PeakPssSampler::start(no_process, Counted::RootAndDescendants)
            .unwrap_or_else(|e| panic!("starting the sampler: {e}"));
        assert!(matches!(
            sampler.finish(),
            Err(PssError::NothingRead { root }) if root == no_process
        ));
    }

    #[test]
    fn the_parent_pid_is_read_past_a_command_with_parentheses() {
        let stat = "1234 (tricky) name) S 42 1234 1234 0 -1 4194560";
        assert_eq!(parent_pid_from_stat(stat), Some(42));
        assert_eq!(parent_pid_from_stat("garbage"), None);
    }

    #[test]
    fn scanning_proc_finds_the_same_child_as_the_task_files() {
        let child = SleepingChild::spawn();
        pss_when_running(child.pid());
        let scanned = children_by_parent_from_scan();
        let me = std::process::id();
        assert!(
            scanned
                .get(&me)
                .is_some_and(|children| children.contains(&child.pid())),
            "the /proc scan misses child {} of {me}",
            child.pid()
        );
    }
}
