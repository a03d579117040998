//! The diagnosis in the engine worker: a wide or long file costs seconds of columns² × rows
//! work, which must not freeze the page. Progress and the result go into the session; a newer
//! diagnosis stops and supersedes an older one ([`Runs`]), Cancel stops the worker outright.
//! The worker keeps the table between requests, so a changed threshold sends only settings.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::diagnose::AnalysisConfig;
use crate::engine::Error;
use crate::runs::Runs;
use crate::session::{Action, Parsed, Shared};
use crate::ui::platform::worker::{EngineWorker, WorkerReply, WorkerRequest};
use crate::ui::state::AppState;

/// A worker with the data it holds (identity of the parsed file).
struct Held {
    worker: EngineWorker,
    data: Option<Shared<Parsed>>,
}

/// Starts diagnoses in a worker of their own and routes their replies into the session.
#[derive(Clone)]
pub struct Analyzer {
    dispatch: UseReducerDispatcher<AppState>,
    runs: Rc<RefCell<Runs>>,
    held: Rc<RefCell<Option<Held>>>,
}

/// The app's analyzer, kept across renders.
#[hook]
pub fn use_analyzer(dispatch: UseReducerDispatcher<AppState>) -> Analyzer {
    Analyzer {
        dispatch,
        runs: use_mut_ref(Runs::default),
        held: use_mut_ref(|| None),
    }
}

impl Analyzer {
    /// Diagnose `data` with `config`.
    pub fn start(&self, data: Shared<Parsed>, config: AnalysisConfig) {
        let started = self.runs.borrow_mut().start();
        let run = started.run;
        // A newer diagnosis replaces a running one: stop its worker outright.
        if started.stopped.is_some() {
            self.held.borrow_mut().take();
        }
        if !self
            .held
            .borrow()
            .as_ref()
            .is_some_and(|h| h.worker.is_usable() && !h.worker.is_busy())
        {
            self.held.borrow_mut().take();
        }
        self.dispatch.dispatch(Action::StartDiagnosis { run });
        if self.held.borrow().is_none() {
            match EngineWorker::spawn() {
                Ok(worker) => *self.held.borrow_mut() = Some(Held { worker, data: None }),
                Err(detail) => {
                    return self.finish(run, Err(Error::WorkerStart { detail }), f64::NAN)
                }
            }
        }
        let mut held = self.held.borrow_mut();
        let Some(h) = held.as_mut() else {
            return;
        };
        // The table crosses once per worker and file; later settings reuse it.
        let table = if h.data.as_ref() == Some(&data) {
            None
        } else {
            h.data = Some(data.clone());
            Some(data.loaded.table.clone())
        };
        self.runs.borrow_mut().sent(run);
        let (runs, dispatch) = (self.runs.clone(), self.dispatch.clone());
        h.worker.send(
            &WorkerRequest::Diagnose { table, config },
            move |reply| match reply {
                WorkerReply::Progress(fraction) => {
                    let current = runs.borrow().is_current(run);
                    if current {
                        dispatch.dispatch(Action::DiagnosisProgress { run, fraction })
                    }
                }
                WorkerReply::Diagnosed { result, elapsed_ms } => finish(
                    &runs,
                    &dispatch,
                    run,
                    result.map(|a| Shared::new(*a)),
                    elapsed_ms,
                ),
                WorkerReply::Unreadable(detail) => finish(
                    &runs,
                    &dispatch,
                    run,
                    Err(Error::WorkerFailed { detail }),
                    f64::NAN,
                ),
                _ => {}
            },
        );
    }

    fn finish(
        &self,
        run: u64,
        result: Result<Shared<crate::engine::diagnose::Analysis>, Error>,
        elapsed_ms: f64,
    ) {
        finish(&self.runs, &self.dispatch, run, result, elapsed_ms)
    }

    /// Stop the diagnosis where it is; the next one starts a fresh worker.
    pub fn cancel(&self) {
        self.runs.borrow_mut().cancel();
        self.held.borrow_mut().take();
        self.dispatch.dispatch(Action::CancelDiagnosis);
    }
}

/// Dispatch how `run` ended, unless a newer run (or Cancel) superseded it.
fn finish(
    runs: &RefCell<Runs>,
    dispatch: &UseReducerDispatcher<AppState>,
    run: u64,
    result: Result<Shared<crate::engine::diagnose::Analysis>, Error>,
    elapsed_ms: f64,
) {
    let current = runs.borrow_mut().finish(run);
    if current {
        dispatch.dispatch(Action::DiagnosisDone {
            run,
            result,
            elapsed_ms,
        });
    }
}
