//! Whole-pipeline fuzzing, a modest deterministic share of it: every target of `mlplay::fuzz`
//! on fixed seeds, with no panic and no hang allowed beyond the known-open findings listed in
//! `mlplay::fuzz::KNOWN_OPEN`. `scripts/fuzz` runs the same targets on 1,000,000 cases.
#![cfg(not(target_arch = "wasm32"))]

use std::time::Duration;

use mlplay::fuzz::{self, Target};

#[global_allocator]
static ALLOC: fuzz::alloc::CappedAlloc = fuzz::alloc::CappedAlloc;

/// Generous for a debug build; a release case takes milliseconds.
const BUDGET: Duration = Duration::from_secs(20);

fn check(target: Target, cases: u64) {
    let stats = fuzz::run_range(target, 0..cases, BUDGET, true, &mut |_| {});
    assert_eq!(stats.cases, cases, "every case ran");
    let new: Vec<String> = stats.new_failures().map(|f| f.to_string()).collect();
    assert!(
        new.is_empty(),
        "{} failures:\n{}",
        new.len(),
        new.join("\n")
    );
}

#[test]
fn formula_cases_never_panic_or_hang() {
    check(Target::Formula, 5000);
}

#[test]
fn share_link_cases_never_panic_or_hang() {
    check(Target::Share, 800);
}

#[test]
fn model_file_cases_never_panic_or_hang() {
    check(Target::Model, 2500);
}

#[test]
fn load_cases_never_panic_or_hang() {
    check(Target::Load, 1000);
}

#[test]
fn analyze_cases_never_panic_or_hang() {
    check(Target::Analyze, 500);
}

#[test]
fn pipeline_cases_never_panic_or_hang() {
    check(Target::Pipeline, 120);
}

#[test]
fn a_case_is_a_function_of_its_seed() {
    for t in Target::ALL {
        assert_eq!(fuzz::describe(t, 7), fuzz::describe(t, 7));
        assert_ne!(fuzz::describe(t, 7), fuzz::describe(t, 8), "{}", t.name());
    }
}

#[test]
fn a_panic_is_caught_with_its_message_and_seed() {
    // The harness itself: a case that panics is reported, not propagated.
    let f = fuzz::run_one_with(Target::Formula, 5, BUDGET, || panic!("boom {}", 1 + 1))
        .expect("a failure");
    assert_eq!(f.seed, 5);
    assert!(f.message.contains("boom 2"), "{}", f.message);
    assert!(f.message.contains("tests/fuzz.rs"), "{}", f.message);
    let hang = fuzz::run_one_with(Target::Formula, 6, Duration::from_millis(200), || {
        std::thread::sleep(Duration::from_secs(2))
    })
    .expect("a hang");
    assert_eq!(hang.kind, fuzz::FailKind::Hang);
    assert!(fuzz::run_one_with(Target::Formula, 7, BUDGET, || {}).is_none());
}
