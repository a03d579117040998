//! The parse worker: reads a large file off the main thread, reporting progress as it goes.

use gloo_worker::{HandlerId, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::engine::{Error, LoadOptions};
use crate::session::{parse, Parsed};

/// Files larger than this are parsed in the worker; smaller ones on the page, which is faster
/// than starting a worker.
pub const WORKER_THRESHOLD_BYTES: usize = 2 * 1024 * 1024;

/// Where trunk puts the worker's JavaScript (see `www/index.html`).
pub const WORKER_PATH: &str = "./worker.js";

/// A file to parse.
#[derive(Serialize, Deserialize)]
pub struct ParseRequest {
    pub bytes: Vec<u8>,
    pub options: LoadOptions,
}

/// What the worker sends back: progress, then one result.
#[derive(Serialize, Deserialize)]
pub enum ParseReply {
    Progress(f64),
    Done {
        result: Result<Parsed, Error>,
        parse_ms: f64,
    },
}

/// The worker itself; it holds no state between requests.
pub struct ParseWorker;

impl Worker for ParseWorker {
    type Message = ();
    type Input = ParseRequest;
    type Output = ParseReply;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        ParseWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, req: Self::Input, id: HandlerId) {
        let start = super::browser::now_ms();
        let mut last = 0.0;
        let result = parse(&req.bytes, &req.options, &mut |p| {
            // Enough updates for a smooth bar without flooding the page with messages.
            if p - last >= 0.02 {
                last = p;
                scope.respond(id, ParseReply::Progress(p));
            }
        });
        let parse_ms = super::browser::now_ms() - start;
        scope.respond(id, ParseReply::Done { result, parse_ms });
    }
}

/// Called by the worker binary's `main`.
pub fn register() {
    console_error_panic_hook::set_once();
    use gloo_worker::Registrable;
    ParseWorker::registrar().register();
}
