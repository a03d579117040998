//! `mlplay serve`: a prediction server for one model file, so that a learner can run the
//! workshop's service-level test on their own machine, or put the model behind MLflow's and
//! SageMaker's scoring contract.
//!
//! Routes: `POST /predict` (JSON rows in, predictions with probabilities out), `GET /health`
//! (which model is loaded), and MLflow's scoring protocol `POST /invocations` / `GET /ping`.
//!
//! HTTP is hyper's (HTTP/1.1 on tokio); this module only adds the policy around it:
//! - a deadline for each request head (hyper's header timer, which also closes idle
//!   keep-alive connections) and one for each body, so a client that sends a byte now and then
//!   cannot hold a connection for longer than the two deadlines;
//! - at most `max_connections` connections served at once; a few more are still read and
//!   answered 503 (never reset), beyond that new connections wait in the listen queue;
//! - at most `max_in_flight` model calls at once, each holding a semaphore permit that is
//!   released however the call ends; a call that panics answers 500;
//! - bodies up to `max_body` bytes, with a Content-Length or chunked; `Expect: 100-continue`
//!   is answered by hyper when the body is read, so an oversize body is refused before it is
//!   sent; malformed heads (duplicate or non-numeric Content-Length among them) get 400.

mod rows;

use std::convert::Infallible;
use std::io;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{
    HeaderMap, HeaderValue, ALLOW, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE, EXPECT,
};
use hyper::http::request::Parts;
use hyper::{Method, Request, Response, StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{json, Value};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::engine::data::table::Table;
use crate::engine::error::Result as EngineResult;
use crate::engine::model_file::{ModelFile, Predictions};
use crate::engine::LoadOptions;

pub use rows::MLFLOW_FORMATS;

/// How the server listens and what it accepts.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Loopback by default: serving to the network is a deliberate choice.
    pub addr: String,
    /// The largest request body in bytes; a larger one gets 413.
    pub max_body: usize,
    /// Connections served at once; a few more are answered 503, the rest wait to be accepted.
    pub max_connections: usize,
    /// Model calls at once; more wait up to `queue_timeout` for a turn, then get 503.
    pub max_in_flight: usize,
    /// A request head must arrive whole within this time (also how long an idle keep-alive
    /// connection stays open).
    pub head_timeout: Duration,
    /// A request body must arrive whole within this time after its head; otherwise 408.
    pub body_timeout: Duration,
    /// How long a request waits for a model-call slot before 503.
    pub queue_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:8080".into(),
            max_body: 1 << 20,
            max_connections: 1024,
            max_in_flight: 64,
            head_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            queue_timeout: Duration::from_secs(5),
        }
    }
}

/// The largest request head (request line and headers) hyper buffers; more is 431.
const MAX_HEAD: usize = 16 * 1024;
/// After an early answer (413, 503), the rest of the body is read and dropped for at most this
/// long and this many bytes, so that closing the connection does not reset it under the
/// answer.
const DRAIN_TIME: Duration = Duration::from_secs(2);
const DRAIN_BYTES: usize = 8 << 20;

/// The model call: the model file's own `predict` in service, something else in tests.
pub type Predictor = Arc<dyn Fn(&ModelFile, &Table) -> EngineResult<Predictions> + Send + Sync>;

struct State {
    model: Arc<ModelFile>,
    predictor: Predictor,
    config: ServerConfig,
    in_flight: Arc<Semaphore>,
}

/// Serve `model` on `listener` until the process ends.
pub fn serve(
    listener: TcpListener,
    model: Arc<ModelFile>,
    config: &ServerConfig,
) -> io::Result<()> {
    serve_with(
        listener,
        model,
        config,
        Arc::new(|m: &ModelFile, t: &Table| m.predict(t)),
    )
}

/// `serve` with another model call in place of the model file's `predict` (tests use it to
/// make a model that panics).
#[doc(hidden)]
pub fn serve_with(
    listener: TcpListener,
    model: Arc<ModelFile>,
    config: &ServerConfig,
    predictor: Predictor,
) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .build()?;
    let state = Arc::new(State {
        model,
        predictor,
        in_flight: Arc::new(Semaphore::new(config.max_in_flight.max(1))),
        config: config.clone(),
    });
    runtime.block_on(accept_loop(listener, state))
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let max = state.config.max_connections.max(1);
    let served = Arc::new(Semaphore::new(max));
    // Room to answer a few connections 503 beyond the limit; past that, accepting waits.
    let open = Arc::new(Semaphore::new(max + (max / 8).max(16)));
    loop {
        let Ok(place) = open.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or a connection reset before it was accepted: wait
                // a moment rather than spin.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let slot = served.clone().try_acquire_owned().ok();
        tokio::spawn(connection(stream, state.clone(), slot, place));
    }
}

/// One connection, served by hyper; `slot` is None when the server is at capacity, and then
/// every request on it is read and answered 503.
async fn connection(
    stream: tokio::net::TcpStream,
    state: Arc<State>,
    slot: Option<OwnedSemaphorePermit>,
    _place: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let busy = slot.is_none();
    let head_timeout = state.config.head_timeout;
    let service = hyper::service::service_fn(move |req| {
        let state = state.clone();
        async move { Ok::<_, Infallible>(handle(req, &state, busy).await) }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(head_timeout)
        .max_buf_size(MAX_HEAD)
        .keep_alive(!busy);
    let _ = http.serve_connection(TokioIo::new(stream), service).await;
    drop(slot);
}

/// Which contract a scoring route speaks (it decides the error body's shape).
#[derive(Clone, Copy, PartialEq)]
enum Contract {
    /// `POST /predict`: `{"error": message}`.
    Predict,
    /// `POST /invocations`, MLflow's: `{"error_code": ..., "message": ...}`.
    Invocations,
}

/// A JSON answer and whether the connection closes after it.
struct Answer {
    status: StatusCode,
    body: Vec<u8>,
    allow: Option<&'static str>,
    close: bool,
}

impl Answer {
    fn json(status: StatusCode, body: &Value) -> Answer {
        Answer {
            status,
            body: serde_json::to_vec(body).unwrap_or_default(),
            allow: None,
            close: false,
        }
    }

    fn error(status: StatusCode, message: impl Into<String>) -> Answer {
        Answer::json(status, &json!({ "error": message.into() }))
    }

    fn error_in(contract: Contract, status: StatusCode, message: impl Into<String>) -> Answer {
        match contract {
            Contract::Predict => Answer::error(status, message),
            Contract::Invocations => {
                let code = match status {
                    StatusCode::INTERNAL_SERVER_ERROR => "INTERNAL_ERROR",
                    StatusCode::SERVICE_UNAVAILABLE => "TEMPORARILY_UNAVAILABLE",
                    _ => "BAD_REQUEST",
                };
                Answer::json(
                    status,
                    &json!({ "error_code": code, "message": message.into() }),
                )
            }
        }
    }

    fn closing(mut self) -> Answer {
        self.close = true;
        self
    }
}

/// Whether the client asked to close the connection after this request.
fn client_closes(parts: &Parts) -> bool {
    let tokens = |v: &HeaderValue| {
        v.to_str()
            .unwrap_or("")
            .split(',')
            .map(|t| t.trim().to_ascii_lowercase())
            .collect::<Vec<_>>()
    };
    let connection: Vec<String> = parts
        .headers
        .get_all(CONNECTION)
        .iter()
        .flat_map(tokens)
        .collect();
    if parts.version == Version::HTTP_10 {
        !connection.iter().any(|t| t == "keep-alive")
    } else {
        connection.iter().any(|t| t == "close")
    }
}

fn expects_continue(headers: &HeaderMap) -> bool {
    headers
        .get(EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
}

async fn handle(req: Request<Incoming>, state: &State, busy: bool) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let mut body = Some(body);
    let answer = if busy {
        Answer::error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is at its connection limit; try again shortly",
        )
        .closing()
    } else {
        route(&parts, &mut body, state).await
    };
    if let Some(rest) = body {
        discard(rest, &parts.headers);
    }
    let close = answer.close || busy || client_closes(&parts);
    let mut resp = Response::new(Full::new(Bytes::from(answer.body)));
    *resp.status_mut() = answer.status;
    let headers = resp.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        CONNECTION,
        HeaderValue::from_static(if close { "close" } else { "keep-alive" }),
    );
    if let Some(allow) = answer.allow {
        headers.insert(ALLOW, HeaderValue::from_static(allow));
    }
    if answer.status == StatusCode::SERVICE_UNAVAILABLE {
        headers.insert("retry-after", HeaderValue::from_static("1"));
    }
    resp
}

/// Read and drop the rest of a body that will not be used, in the background and within
/// bounds, so that the answer is not lost to a reset when the connection closes. A client
/// that waits for `100 Continue` is not asked for its body at all.
fn discard(mut body: Incoming, headers: &HeaderMap) {
    if expects_continue(headers) {
        return;
    }
    tokio::spawn(async move {
        let _ = tokio::time::timeout(DRAIN_TIME, async {
            let mut seen = 0usize;
            while let Some(Ok(frame)) = body.frame().await {
                seen += frame.data_ref().map_or(0, |d| d.len());
                if seen > DRAIN_BYTES {
                    break;
                }
            }
        })
        .await;
    });
}

async fn route(parts: &Parts, body: &mut Option<Incoming>, state: &State) -> Answer {
    let only = |allow: &'static str| Answer {
        allow: Some(allow),
        ..Answer::error(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{} is not allowed here; use {allow}", parts.method),
        )
    };
    let model = &state.model;
    match (parts.uri.path(), &parts.method) {
        ("/health", &Method::GET) => Answer::json(
            StatusCode::OK,
            &json!({
                "status": "ok",
                "model": model.kind(),
                "task": model.task,
                "target": model.target,
                "inputs": model.input_columns(),
                "classes": model.classes,
            }),
        ),
        // The model is loaded before the server listens, so it is always ready.
        ("/ping", &Method::GET) => Answer::json(StatusCode::OK, &json!({ "status": "ok" })),
        ("/health" | "/ping", _) => only("GET"),
        ("/predict", &Method::POST) => score(parts, body, state, Contract::Predict).await,
        ("/invocations", &Method::POST) => score(parts, body, state, Contract::Invocations).await,
        ("/predict" | "/invocations", _) => only("POST"),
        _ => Answer::error(
            StatusCode::NOT_FOUND,
            "no such path; try POST /predict, POST /invocations, GET /health or GET /ping",
        ),
    }
}

/// What `/invocations` was sent, from its Content-Type.
#[derive(Clone, Copy)]
enum Media {
    Json,
    Csv,
}

/// MLflow's rule: `application/json` or `text/csv`, UTF-8, no other parameters.
fn media_type(headers: &HeaderMap) -> Result<Media, String> {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return Err("send Content-Type: application/json or text/csv".into());
    };
    let mut parts = value.split(';').map(str::trim);
    let media = match parts.next().unwrap_or("").to_ascii_lowercase().as_str() {
        "application/json" => Media::Json,
        "text/csv" => Media::Csv,
        other => {
            return Err(format!(
                "content type '{other}' is not accepted; use application/json or text/csv"
            ))
        }
    };
    for p in parts.filter(|p| !p.is_empty()) {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        if !k.trim().eq_ignore_ascii_case("charset") {
            return Err(format!(
                "content type parameter '{}' is not accepted",
                k.trim()
            ));
        }
        if !v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8") {
            return Err("only UTF-8 bodies are accepted".into());
        }
    }
    Ok(media)
}

/// Why a body was not read.
enum BodyFail {
    TooLarge,
    Broken,
}

/// Read a scoring request's body, then score it on a blocking thread while holding a
/// model-call permit.
async fn score(
    parts: &Parts,
    body: &mut Option<Incoming>,
    state: &State,
    contract: Contract,
) -> Answer {
    let config = &state.config;
    let media = match contract {
        Contract::Predict => Media::Json,
        Contract::Invocations => match media_type(&parts.headers) {
            Ok(m) => m,
            Err(e) => return Answer::error_in(contract, StatusCode::UNSUPPORTED_MEDIA_TYPE, e),
        },
    };
    let too_large = |n: Option<usize>| {
        let what = n.map_or("the body".to_string(), |n| format!("body of {n} bytes"));
        Answer::error_in(
            contract,
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{what}; the limit is {}", config.max_body),
        )
        .closing()
    };
    // hyper has already refused a Content-Length that is not one plain number.
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > config.max_body) {
        return too_large(declared);
    }
    let Some(incoming) = body.as_mut() else {
        return Answer::error(StatusCode::INTERNAL_SERVER_ERROR, "internal error: no body");
    };
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    let read = async {
        while let Some(frame) = incoming.frame().await {
            let frame = frame.map_err(|_| BodyFail::Broken)?;
            if let Some(data) = frame.data_ref() {
                if bytes.len() + data.len() > config.max_body {
                    return Err(BodyFail::TooLarge);
                }
                bytes.extend_from_slice(data);
            }
        }
        Ok(())
    };
    match tokio::time::timeout(config.body_timeout, read).await {
        Err(_) => {
            return Answer::error_in(
                contract,
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the body did not arrive within {} s",
                    config.body_timeout.as_secs_f64()
                ),
            )
            .closing()
        }
        Ok(Err(BodyFail::TooLarge)) => return too_large(None),
        Ok(Err(BodyFail::Broken)) => {
            return Answer::error_in(
                contract,
                StatusCode::BAD_REQUEST,
                "the body was cut off or malformed",
            )
            .closing()
        }
        Ok(Ok(())) => {}
    }
    *body = None;
    let permit = match tokio::time::timeout(
        config.queue_timeout,
        state.in_flight.clone().acquire_owned(),
    )
    .await
    {
        Ok(Ok(p)) => p,
        _ => {
            return Answer::error_in(
                contract,
                StatusCode::SERVICE_UNAVAILABLE,
                "the server is busy; try again shortly",
            )
        }
    };
    let model = state.model.clone();
    let predictor = state.predictor.clone();
    let work = tokio::task::spawn_blocking(move || {
        // Held until the call ends, however it ends: a panic unwinds through it too.
        let _permit = permit;
        compute(&model, &predictor, contract, media, &bytes)
    });
    match work.await {
        Ok(answer) => answer,
        Err(_) => Answer::error_in(
            contract,
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error: the model failed on this request",
        ),
    }
}

/// Parse, score and write the answer (on a blocking thread).
fn compute(
    model: &ModelFile,
    predictor: &Predictor,
    contract: Contract,
    media: Media,
    body: &[u8],
) -> Answer {
    let bad = |m: String| Answer::error_in(contract, StatusCode::BAD_REQUEST, m);
    let table = match (contract, media) {
        (Contract::Predict, _) => rows::predict_rows(model, body).map_err(|e| e.to_string()),
        (Contract::Invocations, Media::Json) => {
            rows::invocation_rows(model, body).map_err(|e| e.to_string())
        }
        (Contract::Invocations, Media::Csv) => csv_table(model, body),
    };
    let table = match table {
        Ok(t) => t,
        Err(m) => return bad(m),
    };
    let predictions = match predictor(model, &table) {
        Ok(p) => p,
        Err(e) => return bad(e.to_string()),
    };
    match contract {
        // Written straight from the predictions (the same JSON as `predictions_json`), not
        // through a tree of values: an object per row would cost more than the rows did.
        Contract::Predict => Answer {
            status: StatusCode::OK,
            body: serde_json::to_vec(&PredictOut {
                predictions: Rows(model, &predictions),
            })
            .unwrap_or_default(),
            allow: None,
            close: false,
        },
        // MLflow answers what the model's predict returns: values, or for a classifier its
        // labels (the probabilities stay on /predict).
        Contract::Invocations => {
            let body = match &predictions {
                Predictions::Values(v) => serde_json::to_vec(&json!({ "predictions": v })),
                Predictions::Classes { labels, .. } => {
                    serde_json::to_vec(&json!({ "predictions": labels }))
                }
            };
            Answer {
                status: StatusCode::OK,
                body: body.unwrap_or_default(),
                allow: None,
                close: false,
            }
        }
    }
}

/// A CSV body with a header row, read exactly as `mlplay predict` reads a file (the recipe's
/// missing-value tokens).
fn csv_table(model: &ModelFile, body: &[u8]) -> Result<Table, String> {
    let opts = LoadOptions {
        na_values: model.recipe.na_values.clone(),
        ..LoadOptions::default()
    };
    crate::engine::load(body, &opts)
        .map(|l| l.table)
        .map_err(|e| format!("the CSV body could not be read: {e}"))
}

#[derive(serde::Serialize)]
struct PredictOut<'a> {
    predictions: Rows<'a>,
}

/// `/predict`'s predictions: numbers, or per row `{"label", "probabilities": {class: p}}`
/// (classes in sorted order, as `predictions_json` writes them).
struct Rows<'a>(&'a ModelFile, &'a Predictions);

impl serde::Serialize for Rows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        match self.1 {
            Predictions::Values(v) => v.serialize(s),
            Predictions::Classes {
                labels,
                probabilities,
            } => {
                let mut order: Vec<usize> = (0..self.0.classes.len()).collect();
                order.sort_by(|&a, &b| self.0.classes[a].cmp(&self.0.classes[b]));
                let mut seq = s.serialize_seq(Some(labels.len()))?;
                for (label, ps) in labels.iter().zip(probabilities) {
                    seq.serialize_element(&ClassRow {
                        label,
                        probabilities: ByClass(&self.0.classes, &order, ps),
                    })?;
                }
                seq.end()
            }
        }
    }
}

#[derive(serde::Serialize)]
struct ClassRow<'a> {
    label: &'a str,
    probabilities: ByClass<'a>,
}

struct ByClass<'a>(&'a [String], &'a [usize], &'a [f64]);

impl serde::Serialize for ByClass<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.1.len()))?;
        for &k in self.1 {
            if let Some(p) = self.2.get(k) {
                map.serialize_entry(&self.0[k], p)?;
            }
        }
        map.end()
    }
}
