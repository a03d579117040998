//! What the page and the engine worker say to each other, and how it is encoded. Plain Rust, so
//! that every message can be tested natively; `ui::worker` only moves the bytes.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use crate::engine::diagnose::{analyze_with_progress, Analysis, AnalysisConfig};
use crate::engine::pipeline::recipe::{run_with_clock, warm_up, Recipe, RunResult};
use crate::engine::{Error, LoadOptions, Table};
use crate::session::{parse, Parsed};

/// Work for the worker. It handles one request at a time, in order.
#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerRequest {
    /// Run every model kind on a small made-up problem, so that the learner's first training
    /// runs in optimised code (see [`warm_up`]).
    WarmUp,
    Parse {
        bytes: Vec<u8>,
        options: LoadOptions,
    },
    Train {
        table: Table,
        recipe: Recipe,
    },
    /// Diagnose a table. `table` is None to use the one sent with an earlier `Diagnose` (so that
    /// changing a threshold does not copy the data again).
    Diagnose {
        table: Option<Table>,
        config: AnalysisConfig,
    },
}

/// What the worker sends back.
#[derive(Debug, Serialize, Deserialize)]
pub enum WorkerReply {
    /// The worker has started and listens; requests sent before this are queued by the page.
    Ready,
    WarmedUp {
        models: usize,
        elapsed_ms: f64,
    },
    Progress(f64),
    Parsed {
        result: Result<Parsed, Error>,
        parse_ms: f64,
    },
    Trained {
        result: Result<RunResult, Error>,
        elapsed_ms: f64,
    },
    Diagnosed {
        result: Result<Box<Analysis>, Error>,
        elapsed_ms: f64,
    },
    /// A request that could not be decoded (a page and worker from different builds).
    Unreadable(String),
}

impl WorkerReply {
    /// Whether this reply ends the request it answers.
    pub fn is_final(&self) -> bool {
        !matches!(self, WorkerReply::Ready | WorkerReply::Progress(_))
    }
}

/// Encode a message for `postMessage` with postcard: binary and positional, so a forest's
/// thousands of tree nodes cost no field names. (It is not self-describing; the one type that
/// needs that, a tagged model, crosses as its JSON text.)
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| e.to_string())
}

/// Decode a message received from the other side.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| e.to_string())
}

thread_local! {
    /// The table of the last `Diagnose` request that carried one.
    static DIAGNOSED_TABLE: RefCell<Option<Table>> = const { RefCell::new(None) };
}

fn diagnose(
    table: Option<Table>,
    config: &AnalysisConfig,
    progress: &mut dyn FnMut(f64),
) -> Result<Analysis, Error> {
    DIAGNOSED_TABLE.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some(t) = table {
            *kept = Some(t);
        }
        match kept.as_ref() {
            Some(t) => analyze_with_progress(t, config, progress),
            None => Err(Error::Internal {
                detail: "the worker has no table to diagnose".into(),
            }),
        }
    })
}

/// Carry out one request in the worker: `progress` and the final reply go to `respond`; `now` is
/// the worker's clock in milliseconds.
pub fn handle(request: WorkerRequest, respond: &mut dyn FnMut(WorkerReply), now: &dyn Fn() -> f64) {
    let start = now();
    let reply = {
        let mut last = 0.0;
        let mut progress = |p: f64| {
            // Enough updates for a smooth bar without flooding the page with messages.
            if p - last >= 0.02 || p >= 1.0 {
                last = p;
                respond(WorkerReply::Progress(p));
            }
        };
        match request {
            WorkerRequest::WarmUp => WorkerReply::WarmedUp {
                models: warm_up(),
                elapsed_ms: now() - start,
            },
            WorkerRequest::Parse { bytes, options } => {
                let result = parse(&bytes, &options, &mut progress);
                WorkerReply::Parsed {
                    result,
                    parse_ms: now() - start,
                }
            }
            WorkerRequest::Diagnose { table, config } => {
                let result = diagnose(table, &config, &mut progress).map(Box::new);
                WorkerReply::Diagnosed {
                    result,
                    elapsed_ms: now() - start,
                }
            }
            WorkerRequest::Train { table, recipe } => {
                let result = run_with_clock(&table, &recipe, &mut progress, now);
                WorkerReply::Trained {
                    result,
                    elapsed_ms: now() - start,
                }
            }
        }
    };
    respond(reply);
}

/// Decode and carry out one request as it arrived; an unreadable one gets
/// [`WorkerReply::Unreadable`] instead of a panic.
pub fn handle_bytes(bytes: &[u8], respond: &mut dyn FnMut(WorkerReply), now: &dyn Fn() -> f64) {
    match decode::<WorkerRequest>(bytes) {
        Ok(request) => handle(request, respond, now),
        Err(e) => respond(WorkerReply::Unreadable(e)),
    }
}
