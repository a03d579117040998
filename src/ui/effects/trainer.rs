//! Training in the engine worker: progress and results go into the session; a newer run stops
//! and supersedes an older one ([`Runs`]), Cancel stops the worker outright.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::loader::WorkerSlot;
use crate::engine::pipeline::recipe::Recipe;
use crate::engine::{Error, Table};
use crate::runs::Runs;
use crate::session::{Action, Shared};
use crate::ui::platform::worker::{EngineWorker, WorkerReply, WorkerRequest};
use crate::ui::state::AppState;

/// Starts training in the worker and routes its progress and result into the session.
#[derive(Clone)]
pub struct Trainer {
    dispatch: UseReducerDispatcher<AppState>,
    runs: Rc<RefCell<Runs>>,
    worker: WorkerSlot,
}

/// The app's trainer, kept across renders.
#[hook]
pub fn use_trainer(dispatch: UseReducerDispatcher<AppState>) -> Trainer {
    Trainer {
        dispatch,
        runs: use_mut_ref(Runs::default),
        worker: use_mut_ref(|| None),
    }
}

impl Trainer {
    /// Have a warmed-up worker waiting, so that the first training runs at full speed. Called
    /// when data is loaded and after a cancel.
    pub fn prepare(&self) {
        if self.worker.borrow().is_some() {
            return;
        }
        match EngineWorker::spawn() {
            Ok(w) => {
                w.send(&WorkerRequest::WarmUp, |reply| {
                    if let WorkerReply::WarmedUp { models, elapsed_ms } = reply {
                        web_sys::console::debug_1(
                            &format!(
                                "mlplay: worker warmed up ({models} fits, {elapsed_ms:.0} ms)"
                            )
                            .into(),
                        );
                    }
                });
                *self.worker.borrow_mut() = Some(w);
            }
            Err(e) => web_sys::console::warn_1(&format!("mlplay: no worker yet: {e}").into()),
        }
    }

    /// Tell the session how `run` ended, unless a newer run (or Cancel) superseded it.
    fn finish(&self, run: u64, action: Action) {
        finish(&self.runs, &self.dispatch, run, action)
    }

    /// Train `recipe` on `table`.
    pub fn start(&self, table: Table, recipe: Recipe) {
        let started = self.runs.borrow_mut().start();
        let run = started.run;
        // A new run replaces a running one: stop its worker outright.
        if started.stopped.is_some() {
            self.worker.borrow_mut().take();
        }
        if !self.worker.borrow().as_ref().is_some_and(|w| w.is_usable()) {
            self.worker.borrow_mut().take();
        }
        self.prepare();
        self.dispatch.dispatch(Action::StartTraining { run });
        let fail = |error: Error| self.finish(run, Action::TrainingFailed { run, error });
        let slot = self.worker.borrow();
        let Some(worker) = slot.as_ref() else {
            return fail(Error::WorkerStart {
                detail: "no worker".into(),
            });
        };
        self.runs.borrow_mut().sent(run);
        // The reply handler lives in the worker: it holds no reference to the worker's slot.
        let (runs, dispatch) = (self.runs.clone(), self.dispatch.clone());
        // Any queued warm-up finishes first; its reply is of no interest here.
        worker.send(
            &WorkerRequest::Train {
                table,
                recipe: recipe.clone(),
            },
            move |reply| match reply {
                WorkerReply::Progress(fraction) => {
                    let current = runs.borrow().is_current(run);
                    if current {
                        dispatch.dispatch(Action::TrainingProgress { run, fraction })
                    }
                }
                WorkerReply::Trained { result, elapsed_ms } => finish(
                    &runs,
                    &dispatch,
                    run,
                    match result {
                        Ok(r) => Action::TrainingDone {
                            run,
                            recipe: recipe.clone(),
                            result: Shared::new(r),
                            elapsed_ms,
                        },
                        Err(error) => Action::TrainingFailed { run, error },
                    },
                ),
                WorkerReply::Unreadable(detail) => finish(
                    &runs,
                    &dispatch,
                    run,
                    Action::TrainingFailed {
                        run,
                        error: Error::WorkerFailed { detail },
                    },
                ),
                _ => {}
            },
        );
    }

    /// Stop the fit where it is, and have a fresh worker ready for the next run.
    pub fn cancel(&self) {
        self.runs.borrow_mut().cancel();
        self.worker.borrow_mut().take();
        self.dispatch.dispatch(Action::CancelTraining);
        self.prepare();
    }
}

/// Dispatch how `run` ended, unless a newer run (or Cancel) superseded it.
fn finish(
    runs: &RefCell<Runs>,
    dispatch: &UseReducerDispatcher<AppState>,
    run: u64,
    action: Action,
) {
    let current = runs.borrow_mut().finish(run);
    if current {
        dispatch.dispatch(action);
    }
}
