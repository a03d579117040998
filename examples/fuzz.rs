//! The fuzz driver behind `scripts/fuzz` (see `mlplay::fuzz`).
//!
//!   fuzz [--total N] [--jobs J] [--budget SECS] [--targets a,b,…]
//!       run N cases split across the targets, J child processes at a time; print per target
//!       counts and time and every failure with the command that replays it
//!   fuzz --target T --seed S [--show]
//!       run one case (and print its input with --show)
//!   fuzz --worker --target T --from S --count N [--budget SECS]
//!       what each child process runs: cases S..S+N, one line per failure
//!
//! Children, not threads, carry the cases: a stack overflow or a refused allocation aborts a
//! process, and the parent then reports the seed the child's last words name and carries on
//! after it.

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOC: mlplay::fuzz::alloc::CappedAlloc = mlplay::fuzz::alloc::CappedAlloc;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::main());
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::{BTreeMap, VecDeque};
    use std::process::Command;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use mlplay::fuzz::{self, FailKind, Target};

    /// Each target's share of the total: the cheap targets carry most of the count; the
    /// pipeline trains models and renders every report, so it gets fewer, smaller cases.
    const SPLIT: [(Target, f64); 6] = [
        (Target::Formula, 0.40),
        (Target::Model, 0.25),
        (Target::Share, 0.17),
        (Target::Load, 0.10),
        (Target::Analyze, 0.06),
        (Target::Pipeline, 0.02),
    ];

    struct Args {
        total: u64,
        jobs: usize,
        budget: Duration,
        targets: Vec<Target>,
        target: Option<Target>,
        seed: Option<u64>,
        show: bool,
        worker: bool,
        from: u64,
        count: u64,
    }

    fn parse() -> Result<Args, String> {
        let mut a = Args {
            total: 1_000_000,
            jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            budget: Duration::from_secs(10),
            targets: Target::ALL.to_vec(),
            target: None,
            seed: None,
            show: false,
            worker: false,
            from: 0,
            count: 0,
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut it = args.iter();
        let num = |v: Option<&String>, name: &str| -> Result<u64, String> {
            v.and_then(|s| s.replace('_', "").parse().ok())
                .ok_or_else(|| format!("{name} needs a whole number"))
        };
        let target = |v: Option<&String>| -> Result<Target, String> {
            v.and_then(|s| Target::from_name(s)).ok_or_else(|| {
                let names: Vec<&str> = Target::ALL.iter().map(|t| t.name()).collect();
                format!("--target needs one of {}", names.join(", "))
            })
        };
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--total" => a.total = num(it.next(), flag)?,
                "--jobs" => a.jobs = num(it.next(), flag)?.max(1) as usize,
                "--budget" => a.budget = Duration::from_secs(num(it.next(), flag)?.max(1)),
                "--targets" => {
                    let list = it.next().ok_or("--targets needs a list")?;
                    a.targets = list
                        .split(',')
                        .map(|s| target(Some(&s.to_string())))
                        .collect::<Result<_, _>>()?;
                }
                "--target" => a.target = Some(target(it.next())?),
                "--seed" => a.seed = Some(num(it.next(), flag)?),
                "--show" => a.show = true,
                "--worker" => a.worker = true,
                "--from" => a.from = num(it.next(), flag)?,
                "--count" => a.count = num(it.next(), flag)?,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(a)
    }

    pub fn main() -> i32 {
        let a = match parse() {
            Ok(a) => a,
            Err(e) => {
                eprintln!("fuzz: {e}");
                return 2;
            }
        };
        match (a.worker, a.target, a.seed) {
            (true, Some(t), _) => worker(t, a.from, a.count, a.budget),
            (false, Some(t), Some(seed)) => replay(t, seed, a.show, a.budget),
            (false, Some(t), None) => supervise(&a, &[(t, 1.0)]),
            _ => {
                let split: Vec<(Target, f64)> = SPLIT
                    .iter()
                    .copied()
                    .filter(|(t, _)| a.targets.contains(t))
                    .collect();
                supervise(&a, &split)
            }
        }
    }

    fn replay(t: Target, seed: u64, show: bool, budget: Duration) -> i32 {
        fuzz::with_backtraces();
        if show {
            println!(
                "input of {} seed {seed}:\n{}",
                t.name(),
                fuzz::describe(t, seed)
            );
        }
        match fuzz::run_one(t, seed, budget) {
            None => {
                println!("{} seed {seed}: passed", t.name());
                0
            }
            Some(f) => {
                println!("{f}");
                1
            }
        }
    }

    /// A message with its numbers replaced by `#`, to group failures of one kind.
    fn blank_numbers(s: &str) -> String {
        // Keep the place (`at src/…:LINE`) as it is.
        if let Some(at) = s.rfind(" at ") {
            return format!("{}{}", blank_numbers(&s[..at]), &s[at..]);
        }
        let mut out = String::new();
        let mut in_num = false;
        for c in s.chars() {
            if c.is_ascii_digit() {
                if !in_num {
                    out.push('#');
                }
                in_num = true;
            } else {
                in_num = false;
                out.push(c);
            }
        }
        out
    }

    fn clean(s: &str) -> String {
        s.replace(['\t', '\n', '\r'], " ")
    }

    /// Run cases `from..from+count`; print `FAIL` lines, then `DONE cases ms`, or after a hang
    /// `STOP seed` and exit 3 (the hung thread cannot be stopped; the parent goes on after it).
    fn worker(t: Target, from: u64, count: u64, budget: Duration) -> i32 {
        let start = Instant::now();
        let mut hung = None;
        let stats = fuzz::run_range(t, from..from + count, budget, true, &mut |f| {
            println!(
                "FAIL\t{}\t{}\t{}\t{}\t{}",
                f.target.name(),
                f.seed,
                if f.kind == FailKind::Hang {
                    "hang"
                } else {
                    "panic"
                },
                u8::from(f.known),
                clean(&f.message)
            );
            if f.kind == FailKind::Hang {
                hung = Some(f.seed);
            }
        });
        let ms = start.elapsed().as_millis();
        if let Some(seed) = hung {
            println!("STOP\t{seed}\t{}\t{ms}", stats.cases);
            return 3;
        }
        println!("DONE\t{}\t{ms}", stats.cases);
        0
    }

    #[derive(Default)]
    struct Tally {
        cases: u64,
        ms: u128,
        panics: u64,
        hangs: u64,
        aborts: u64,
        known: u64,
        /// (group heading, seed, the full line with its replay command)
        lines: Vec<(String, String, String)>,
    }

    struct Chunk {
        target: Target,
        from: u64,
        count: u64,
    }

    /// Find the seed a dead child names in its last words: our allocator's `FUZZ-ABORT` line or
    /// the runtime's "thread 'fuzz:T:S' has overflowed its stack".
    fn dead_seed(stderr: &str) -> Option<(u64, String)> {
        for line in stderr.lines().rev() {
            if let Some(rest) = line.split("seed=").nth(1) {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(s) = digits.parse() {
                    return Some((s, line.to_string()));
                }
            }
            if let Some(rest) = line.split("'fuzz:").nth(1) {
                let seed = rest.split(':').nth(1).unwrap_or("");
                let digits: String = seed.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(s) = digits.parse() {
                    return Some((s, line.to_string()));
                }
            }
        }
        None
    }

    fn supervise(a: &Args, split: &[(Target, f64)]) -> i32 {
        let exe = match std::env::current_exe() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("fuzz: cannot find myself: {e}");
                return 2;
            }
        };
        let weight: f64 = split.iter().map(|(_, w)| w).sum();
        let mut queue = VecDeque::new();
        println!("fuzz: {} cases on {} processes; split:", a.total, a.jobs);
        for (t, w) in split {
            let n = (a.total as f64 * w / weight).ceil() as u64;
            println!("  {:<9} {n:>9} cases", t.name());
            // Chunks small enough to spread over the processes, large enough to amortise a start.
            let size = (n / (a.jobs as u64 * 4)).clamp(1, 50_000);
            let mut from = 0;
            while from < n {
                let count = size.min(n - from);
                queue.push_back(Chunk {
                    target: *t,
                    from,
                    count,
                });
                from += count;
            }
        }
        let queue = Arc::new(Mutex::new(queue));
        let tallies: Arc<Mutex<BTreeMap<Target, Tally>>> = Arc::default();
        let start = Instant::now();
        let budget = a.budget.as_secs().to_string();
        let pool: Vec<_> = (0..a.jobs)
            .map(|_| {
                let (queue, tallies, exe, budget) =
                    (queue.clone(), tallies.clone(), exe.clone(), budget.clone());
                std::thread::spawn(move || loop {
                    let Some(c) = queue.lock().unwrap().pop_front() else {
                        break;
                    };
                    let out = Command::new(&exe)
                        .args(["--worker", "--target", c.target.name()])
                        .args([
                            "--from",
                            &c.from.to_string(),
                            "--count",
                            &c.count.to_string(),
                        ])
                        .args(["--budget", &budget])
                        .output();
                    let mut tallies = tallies.lock().unwrap();
                    let tally = tallies.entry(c.target).or_default();
                    let out = match out {
                        Ok(o) => o,
                        Err(e) => {
                            tally.aborts += 1;
                            tally.lines.push((
                                "abort: cannot run a worker".into(),
                                String::new(),
                                e.to_string(),
                            ));
                            continue;
                        }
                    };
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let mut finished = false;
                    let mut done = 0;
                    for line in stdout.lines() {
                        let f: Vec<&str> = line.split('\t').collect();
                        match f.as_slice() {
                            ["FAIL", t, seed, kind, known, msg] => {
                                let known = *known == "1";
                                match (*kind, known) {
                                    (_, true) => tally.known += 1,
                                    ("hang", _) => tally.hangs += 1,
                                    _ => tally.panics += 1,
                                }
                                let head = format!(
                                    "{}{kind} {t}: {}",
                                    if known { "known-open " } else { "" },
                                    blank_numbers(msg)
                                );
                                tally.lines.push((
                                    head,
                                    seed.to_string(),
                                    format!(
                                        "{msg} (replay: scripts/fuzz --target {t} --seed {seed})"
                                    ),
                                ));
                            }
                            ["DONE", n, ms] => {
                                tally.cases += n.parse::<u64>().unwrap_or(0);
                                tally.ms += ms.parse::<u128>().unwrap_or(0);
                                finished = true;
                            }
                            ["STOP", seed, n, ms] => {
                                tally.cases += n.parse::<u64>().unwrap_or(0);
                                tally.ms += ms.parse::<u128>().unwrap_or(0);
                                let seed: u64 = seed.parse().unwrap_or(c.from);
                                done = seed + 1 - c.from;
                            }
                            _ => {}
                        }
                    }
                    if finished {
                        continue;
                    }
                    if done == 0 {
                        // The child died: an abort (stack overflow, refused allocation).
                        let stderr = String::from_utf8_lossy(&out.stderr);
                        tally.aborts += 1;
                        match dead_seed(&stderr) {
                            Some((seed, line)) => {
                                let known = fuzz::is_known(c.target, &line);
                                let head = format!(
                                    "{}abort {}: {}",
                                    if known { "known-open " } else { "" },
                                    c.target.name(),
                                    blank_numbers(&clean(&line))
                                );
                                tally.lines.push((
                                    head,
                                    seed.to_string(),
                                    format!(
                                        "{} (replay: scripts/fuzz --target {} --seed {seed})",
                                        clean(&line),
                                        c.target.name()
                                    ),
                                ));
                                if known {
                                    tally.aborts -= 1;
                                    tally.known += 1;
                                }
                                // Cases before it passed (their count is unknown to the dead
                                // child's parent; count them as run).
                                let after = (seed + 1).saturating_sub(c.from).clamp(1, c.count);
                                tally.cases += after;
                                done = after;
                            }
                            None => {
                                tally.lines.push((
                                    format!("abort {} ({})", c.target.name(), out.status),
                                    format!("{}..{}", c.from, c.from + c.count),
                                    clean(stderr.lines().last().unwrap_or("")),
                                ));
                                done = c.count;
                            }
                        }
                    }
                    if done < c.count {
                        queue.lock().unwrap().push_front(Chunk {
                            target: c.target,
                            from: c.from + done,
                            count: c.count - done,
                        });
                    }
                })
            })
            .collect();
        for h in pool {
            let _ = h.join();
        }
        let wall = start.elapsed();
        let tallies = tallies.lock().unwrap();
        let mut total = Tally::default();
        println!(
            "\n{:<9} {:>9} {:>10} {:>8} {:>6} {:>7} {:>6}",
            "target", "cases", "case-time", "panics", "hangs", "aborts", "known"
        );
        for (t, s) in tallies.iter() {
            println!(
                "{:<9} {:>9} {:>9.1}s {:>8} {:>6} {:>7} {:>6}",
                t.name(),
                s.cases,
                s.ms as f64 / 1000.0,
                s.panics,
                s.hangs,
                s.aborts,
                s.known
            );
            total.cases += s.cases;
            total.ms += s.ms;
            total.panics += s.panics;
            total.hangs += s.hangs;
            total.aborts += s.aborts;
            total.known += s.known;
        }
        println!(
            "{:<9} {:>9} {:>9.1}s {:>8} {:>6} {:>7} {:>6}",
            "total",
            total.cases,
            total.ms as f64 / 1000.0,
            total.panics,
            total.hangs,
            total.aborts,
            total.known
        );
        println!(
            "wall time {:.1} s on {} processes",
            wall.as_secs_f64(),
            a.jobs
        );
        // Failures grouped by what they say (numbers blanked), with a few seeds each.
        let mut groups: BTreeMap<String, (u64, Vec<String>)> = BTreeMap::new();
        for (_, s) in tallies.iter() {
            for (head, seed, replay) in &s.lines {
                let g = groups.entry(head.clone()).or_default();
                g.0 += 1;
                if g.1.len() < 5 {
                    g.1.push(format!("seed {seed}: {replay}"));
                }
            }
        }
        if !groups.is_empty() {
            println!("\nfailures (grouped; numbers in messages shown as #):");
        }
        for (head, (n, examples)) in &groups {
            println!("  {n:>7} × {head}");
            for e in examples {
                println!("            {e}");
            }
        }
        if total.panics + total.hangs + total.aborts > 0 {
            1
        } else {
            0
        }
    }
}
