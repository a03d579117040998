//! The diagnosis in the session: columns that are not features are left out by default (and
//! the learner's "keep it" stands), and in the worker a diagnosis is asked for, started,
//! superseded or cancelled without a stale result ever landing.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use mlplay::engine::diagnose::{analyze, AnalysisConfig};
use mlplay::engine::LoadOptions;
use mlplay::session::{parse, Action, DataSource, DiagnosisStatus, Session, Shared};
use mlplay::wire::{decode, encode, handle_bytes, WorkerReply, WorkerRequest};

fn csv() -> String {
    let mut csv = String::from("id,comment,const,x,z,y\n");
    for i in 0..60 {
        csv.push_str(&format!(
            "{},\"Customer {i} wrote a long note about delivery number {}\",k,{},{},{}\n",
            i + 1,
            i * 7,
            i % 5,
            (i * 3) % 7,
            i
        ));
    }
    csv
}

fn loaded(in_worker: bool) -> Session {
    let mut s = Session {
        diagnose_in_worker: in_worker,
        ..Session::default()
    };
    let source = DataSource::File {
        name: "own.csv".into(),
        bytes: 1,
    };
    s.apply(Action::StartLoad { run: 1, source });
    let parsed = parse(csv().as_bytes(), &LoadOptions::default(), &mut |_| {}).unwrap();
    s.apply(Action::Loaded {
        run: 1,
        parsed: Shared::new(parsed),
        parse_ms: 1.0,
    });
    s
}

fn excluded(s: &Session) -> Vec<String> {
    s.training_recipe().unwrap().exclude
}

#[test]
fn ids_free_text_and_constants_are_left_out_until_the_learner_keeps_them() {
    let mut s = loaded(false);
    assert_eq!(excluded(&s), ["id", "comment", "const"]);
    // The learner keeps the comment column: that stands when a threshold changes.
    s.apply(Action::AcceptFinding {
        id: "text:comment".into(),
        accept: false,
    });
    assert_eq!(excluded(&s), ["id", "const"]);
    let mut cfg = s.analyze.as_ref().unwrap().config.clone();
    cfg.corr_threshold = 0.9;
    s.apply(Action::SetAnalysis(cfg));
    assert_eq!(excluded(&s), ["id", "const"]);
}

/// What the worker answers to a diagnosis request, as the page would receive it.
fn worker_diagnosis(request: &WorkerRequest) -> Vec<WorkerReply> {
    let mut replies = Vec::new();
    handle_bytes(
        &encode(request).unwrap(),
        &mut |r| replies.push(decode(&encode(&r).unwrap()).unwrap()),
        &|| 0.0,
    );
    replies
}

#[test]
fn in_the_worker_a_diagnosis_is_wanted_started_and_only_its_own_result_lands() {
    let mut s = loaded(true);
    // Nothing is computed on the page's thread: the diagnosis is asked for.
    assert!(s.analyze.is_none());
    let DiagnosisStatus::Wanted {
        config, request, ..
    } = s.diagnosis.clone()
    else {
        panic!("{:?}", s.diagnosis)
    };
    assert_eq!(config.target, "y");
    // Asked again for the same settings (as a restore right after the load does): a new
    // request, so that the page starts it even if it already started the first.
    s.apply(Action::StartDiagnosis { run: 6 });
    s.apply(Action::SetAnalysis(config.clone()));
    assert!(
        matches!(s.diagnosis, DiagnosisStatus::Wanted { request: r, .. } if r > request),
        "{:?}",
        s.diagnosis
    );
    s.apply(Action::StartDiagnosis { run: 7 });
    s.apply(Action::DiagnosisProgress {
        run: 7,
        fraction: 0.4,
    });
    assert!(matches!(
        s.diagnosis,
        DiagnosisStatus::Running { run: 7, progress, .. } if progress == 0.4
    ));
    // The worker's answer, through the codec; the table is sent with the first request only.
    let table = s.dataset.as_ref().unwrap().parsed.loaded.table.clone();
    let replies = worker_diagnosis(&WorkerRequest::Diagnose {
        table: Some(table.clone()),
        config: config.clone(),
    });
    assert!(replies[..replies.len() - 1]
        .iter()
        .all(|r| matches!(r, WorkerReply::Progress(_))));
    let Some(WorkerReply::Diagnosed { result, .. }) = replies.last() else {
        panic!("no diagnosis")
    };
    let analysis = *result.clone().unwrap();
    assert_eq!(analysis, analyze(&table, &config).unwrap());
    // A stale run's result is ignored.
    s.apply(Action::DiagnosisDone {
        run: 6,
        result: Ok(Shared::new(analysis.clone())),
        elapsed_ms: 1.0,
    });
    assert!(s.analyze.is_none());
    s.apply(Action::DiagnosisDone {
        run: 7,
        result: Ok(Shared::new(analysis)),
        elapsed_ms: 1.0,
    });
    assert_eq!(s.diagnosis, DiagnosisStatus::Idle);
    assert_eq!(excluded(&s), ["id", "comment", "const"]);

    // A changed threshold: the worker reuses the table it kept.
    let mut next = config.clone();
    next.corr_threshold = 0.95;
    s.apply(Action::SetAnalysis(next.clone()));
    assert!(matches!(s.diagnosis, DiagnosisStatus::Wanted { .. }));
    let replies = worker_diagnosis(&WorkerRequest::Diagnose {
        table: None,
        config: next.clone(),
    });
    let Some(WorkerReply::Diagnosed { result, .. }) = replies.last() else {
        panic!("no diagnosis")
    };
    assert_eq!(result.as_ref().unwrap().high_correlation.threshold, 0.95);

    // Cancel: the earlier result stays and the settings can be run again.
    s.apply(Action::StartDiagnosis { run: 8 });
    s.apply(Action::CancelDiagnosis);
    assert_eq!(s.diagnosis, DiagnosisStatus::Cancelled(next));
    assert!(s.analyze.is_some());
    s.apply(Action::DiagnosisDone {
        run: 8,
        result: Ok(Shared::new(*result.clone().unwrap())),
        elapsed_ms: 1.0,
    });
    assert_eq!(s.analyze.as_ref().unwrap().config.corr_threshold, 0.8);
}

#[test]
fn restored_decisions_are_taken_as_saved_in_the_worker_too() {
    let mut s = loaded(true);
    let config = AnalysisConfig::new("y");
    // Saved: the learner kept the id column.
    let saved: BTreeSet<String> = ["text:comment".to_string(), "constant:const".to_string()].into();
    s.apply(Action::RestoreAnalysis {
        config: config.clone(),
        accepted: saved.clone(),
    });
    s.apply(Action::StartDiagnosis { run: 1 });
    let table = &s.dataset.as_ref().unwrap().parsed.loaded.table;
    let a = analyze(table, &config).unwrap();
    s.apply(Action::DiagnosisDone {
        run: 1,
        result: Ok(Shared::new(a)),
        elapsed_ms: 1.0,
    });
    assert_eq!(s.analyze.as_ref().unwrap().accepted, saved);
    assert_eq!(excluded(&s), ["comment", "const"]);
}
