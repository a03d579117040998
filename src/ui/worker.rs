//! The engine worker: reads large files and trains models off the main thread, reporting
//! progress as it goes, so the page never freezes.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::engine::recipe::{run_with_clock, Recipe, RunResult};
use crate::engine::{Error, LoadOptions, Table};
use crate::session::{parse, Parsed};

/// Files larger than this are parsed in the worker; smaller ones on the page, which is faster
/// than starting a worker.
pub const WORKER_THRESHOLD_BYTES: usize = 2 * 1024 * 1024;

/// Where trunk puts the worker's JavaScript (see `www/index.html`).
pub const WORKER_PATH: &str = "./worker.js";

/// Work for the worker.
#[derive(Serialize, Deserialize)]
pub enum WorkerRequest {
    Parse {
        bytes: Vec<u8>,
        options: LoadOptions,
    },
    /// The recipe travels as JSON text: its tagged model list does not fit the binary codec.
    Train { table: Table, recipe_json: String },
}

/// What the worker sends back: progress, then one result.
#[derive(Serialize, Deserialize)]
pub enum WorkerReply {
    Progress(f64),
    Parsed {
        result: Result<Parsed, Error>,
        parse_ms: f64,
    },
    Trained {
        result: Result<RunResult, Error>,
        elapsed_ms: f64,
    },
}

/// The worker itself; it holds no state between requests.
pub struct EngineWorker;

impl Worker for EngineWorker {
    type Message = ();
    type Input = WorkerRequest;
    type Output = WorkerReply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        EngineWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, req: Self::Input, id: HandlerId) {
        let start = super::browser::now_ms();
        let mut last = 0.0;
        let mut progress = |p: f64| {
            // Enough updates for a smooth bar without flooding the page with messages.
            if p - last >= 0.02 || p >= 1.0 {
                last = p;
                scope.respond(id, WorkerReply::Progress(p));
            }
        };
        let reply = match req {
            WorkerRequest::Parse { bytes, options } => {
                let result = parse(&bytes, &options, &mut progress);
                WorkerReply::Parsed {
                    result,
                    parse_ms: super::browser::now_ms() - start,
                }
            }
            WorkerRequest::Train { table, recipe_json } => {
                let result = Recipe::from_json(&recipe_json).and_then(|r| {
                    run_with_clock(&table, &r, &mut progress, &super::browser::now_ms)
                });
                WorkerReply::Trained {
                    result,
                    elapsed_ms: super::browser::now_ms() - start,
                }
            }
        };
        scope.respond(id, reply);
    }
}

/// Called by the worker binary's `main`.
pub fn register() {
    console_error_panic_hook::set_once();
    use gloo_worker::Registrable;
    EngineWorker::registrar().register();
}
