//! Whole-pipeline fuzzing (native only): seeded random and mutated inputs through the same entry
//! points the page and the command line use, each case on its own thread under `catch_unwind`
//! with a time budget, so that a panic or a hang is reported with the seed that replays it.
//!
//! Targets: `load` (random CSV bytes in every encoding and delimiter), `analyze` (load, then the
//! diagnosis with random settings), `pipeline` (load → analyze → recipe run → every report
//! format → model file → predict), `formula` (random and mutated formulas, parsed and
//! evaluated), `share` (random and mutated share links, decoded and applied) and `model`
//! (model files written by the pipeline, mutated, loaded and used to score rows).
//!
//! A case is a pure function of (target, seed): `Rng::for_case` derives the generator from both,
//! so `examples/fuzz.rs --target T --seed N` replays exactly the case that failed.

pub mod alloc;
mod gen;
mod targets;

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Once;
use std::time::{Duration, Instant};

pub use gen::Rng;

/// What is fuzzed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Load,
    Analyze,
    Pipeline,
    Formula,
    Share,
    Model,
}

impl Target {
    pub const ALL: [Target; 6] = [
        Target::Load,
        Target::Analyze,
        Target::Pipeline,
        Target::Formula,
        Target::Share,
        Target::Model,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Target::Load => "load",
            Target::Analyze => "analyze",
            Target::Pipeline => "pipeline",
            Target::Formula => "formula",
            Target::Share => "share",
            Target::Model => "model",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    fn index(self) -> u8 {
        self as u8
    }
}

/// A finding in code that another change is rewriting right now: a failure of `target` whose
/// message contains `message` is counted as known rather than failed, and `gate` (if any) keeps
/// the generators away from inputs that would abort the whole process (a stack overflow, an
/// endless loop, an allocation of many gigabytes) rather than panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    pub target: &'static str,
    pub message: &'static str,
    pub gate: Option<Gate>,
}

/// Inputs the generators hold back while a known finding is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Formula nesting and sums deep enough to overflow the parser's or evaluator's stack.
    FormulaDepth,
    /// Tree nodes whose child points back to an ancestor or itself (predict loops forever).
    TreeCycles,
    /// Histogram bin counts large enough to allocate gigabytes.
    HugeBins,
}

/// Findings known and not yet fixed, each with the gate that holds back the inputs that find it
/// (so the rest of the run stays meaningful). Empty: the model-file checks, the formula limits
/// and the share-link bounds closed every finding listed here while they were being written.
pub const KNOWN_OPEN: &[Known] = &[];

/// Whether a gate is still closed (its finding still known-open).
pub fn gated(gate: Gate) -> bool {
    KNOWN_OPEN.iter().any(|k| k.gate == Some(gate))
}

/// Whether a failure of `target` with `message` is a known-open finding.
pub fn is_known(target: Target, message: &str) -> bool {
    KNOWN_OPEN
        .iter()
        .any(|k| k.target == target.name() && message.contains(k.message))
}

/// How a case failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailKind {
    Panic,
    Hang,
}

/// One failed case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub target: Target,
    pub seed: u64,
    pub kind: FailKind,
    pub message: String,
    /// A known-open finding (see [`KNOWN_OPEN`]).
    pub known: bool,
}

impl Failure {
    /// How to run this case again.
    pub fn replay(&self) -> String {
        format!(
            "scripts/fuzz --target {} --seed {}",
            self.target.name(),
            self.seed
        )
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            FailKind::Panic => "panic",
            FailKind::Hang => "hang",
        };
        write!(
            f,
            "{}{} target={} seed={}: {} (replay: {})",
            if self.known { "known-open " } else { "" },
            kind,
            self.target.name(),
            self.seed,
            self.message,
            self.replay()
        )
    }
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    static IN_CASE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

static HOOK: Once = Once::new();
static BACKTRACE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Keep a backtrace with each panic message (for replaying one case).
pub fn with_backtraces() {
    BACKTRACE.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Replace the panic hook with one that, on a case's thread, prints nothing and keeps the
/// message and place of the panic (the fuzz cases panic by the thousand); other threads keep
/// the usual report.
pub fn silence_panics() {
    HOOK.call_once(|| {
        let usual = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_CASE.with(|c| c.get()) {
                return usual(info);
            }
            let payload = info.payload();
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            let place = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let trace = if BACKTRACE.load(std::sync::atomic::Ordering::Relaxed) {
                format!("\n{}", std::backtrace::Backtrace::force_capture())
            } else {
                String::new()
            };
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{place}{trace}")));
        }));
    });
}

/// The stack each case runs on: a native main thread's.
const CASE_STACK: usize = 8 * 1024 * 1024;

/// Run one case on its own thread; None if it passed. A case still running after `budget` is
/// a hang; its thread is left behind (it cannot be stopped), so a caller that finds a hang
/// should not run many more cases in the same process.
pub fn run_one(target: Target, seed: u64, budget: Duration) -> Option<Failure> {
    run_one_with(target, seed, budget, move || targets::run(target, seed))
}

/// Run `case` as case `seed` of `target` (the harness without the generators).
pub fn run_one_with(
    target: Target,
    seed: u64,
    budget: Duration,
    case: impl FnOnce() + Send + 'static,
) -> Option<Failure> {
    silence_panics();
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(format!("fuzz:{}:{seed}", target.name()))
        .stack_size(CASE_STACK)
        .spawn(move || {
            alloc::set_case(target.index(), seed);
            IN_CASE.with(|c| c.set(true));
            let r = catch_unwind(AssertUnwindSafe(case));
            let msg = r.err().map(|_| {
                LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| "(no message)".into())
            });
            let _ = tx.send(msg);
        });
    let fail = |kind, message: String| {
        Some(Failure {
            target,
            seed,
            kind,
            known: is_known(target, &message),
            message,
        })
    };
    let handle = match spawned {
        Ok(h) => h,
        Err(e) => {
            return fail(
                FailKind::Panic,
                format!("cannot start the case thread: {e}"),
            )
        }
    };
    match rx.recv_timeout(budget) {
        Ok(None) => {
            let _ = handle.join();
            None
        }
        Ok(Some(msg)) => {
            let _ = handle.join();
            fail(FailKind::Panic, msg)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let message = format!("still running after {} s", budget.as_secs_f64());
            fail(FailKind::Hang, message)
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let _ = handle.join();
            fail(
                FailKind::Panic,
                "the case thread died without a result".into(),
            )
        }
    }
}

/// Counts of a run over a range of seeds.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub cases: u64,
    pub elapsed: Duration,
    pub failures: Vec<Failure>,
}

impl Stats {
    /// Failures that are not known-open.
    pub fn new_failures(&self) -> impl Iterator<Item = &Failure> {
        self.failures.iter().filter(|f| !f.known)
    }
}

/// Run `target` on every seed of `seeds` in order; `on_failure` sees each failure as it
/// happens. Stops after the first hang when `stop_on_hang` (its thread keeps spinning).
pub fn run_range(
    target: Target,
    seeds: std::ops::Range<u64>,
    budget: Duration,
    stop_on_hang: bool,
    on_failure: &mut dyn FnMut(&Failure),
) -> Stats {
    let start = Instant::now();
    let mut stats = Stats::default();
    for seed in seeds {
        stats.cases += 1;
        if let Some(f) = run_one(target, seed, budget) {
            on_failure(&f);
            let hang = f.kind == FailKind::Hang;
            stats.failures.push(f);
            if hang && stop_on_hang {
                break;
            }
        }
    }
    stats.elapsed = start.elapsed();
    stats
}

/// A readable description of the input of a case (what `--show` prints).
pub fn describe(target: Target, seed: u64) -> String {
    targets::describe(target, seed)
}
