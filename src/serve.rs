//! `mlplay serve`: a small HTTP/1.1 prediction server for one model file, so that a learner can
//! run the workshop's service-level test on their own machine. `POST /predict` takes JSON rows
//! and answers predictions; `GET /health` says which model is loaded. No dependency beyond the
//! standard library: one thread per connection, keep-alive, bounded headers and bodies, and a
//! JSON error with a 4xx status for every bad request.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::engine::model_file::{predictions_json, ModelFile};

/// How the server listens and what it accepts.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Loopback by default: serving to the network is a deliberate choice.
    pub addr: String,
    /// The largest request body in bytes; a larger one gets 413.
    pub max_body: usize,
    /// Connections served at once; more get 503 until one closes.
    pub max_connections: usize,
    /// How long an idle connection is kept open.
    pub idle_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:8080".into(),
            max_body: 1 << 20,
            max_connections: 64,
            idle_timeout: Duration::from_secs(10),
        }
    }
}

/// The request line plus headers may not exceed this.
const MAX_HEAD: usize = 16 * 1024;

/// A parsed request.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    body: Vec<u8>,
    keep_alive: bool,
}

/// A response: status, reason and JSON body.
struct Response {
    status: u16,
    body: Value,
    allow: Option<&'static str>,
}

fn error(status: u16, message: impl Into<String>) -> Response {
    Response {
        status,
        body: json!({ "error": message.into() }),
        allow: None,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

/// Serve `model` on `listener` until the process ends.
pub fn serve(
    listener: TcpListener,
    model: Arc<ModelFile>,
    config: &ServerConfig,
) -> io::Result<()> {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            continue;
        };
        if active.load(Ordering::SeqCst) >= config.max_connections {
            let _ = write_response(
                &mut stream,
                &error(503, "too many connections; try again shortly"),
                false,
            );
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (model, active, config) = (model.clone(), active.clone(), config.clone());
        std::thread::spawn(move || {
            connection(stream, &model, &config);
            active.fetch_sub(1, Ordering::SeqCst);
        });
    }
    Ok(())
}

/// Answer requests on one connection until the client closes it or asks to.
fn connection(stream: TcpStream, model: &ModelFile, config: &ServerConfig) {
    let _ = stream.set_read_timeout(Some(config.idle_timeout));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        match read_request(&mut reader, config.max_body) {
            Ok(None) => return,
            Ok(Some(req)) => {
                let resp = route(&req, model);
                if write_response(&mut writer, &resp, req.keep_alive).is_err() || !req.keep_alive {
                    return;
                }
            }
            Err(resp) => {
                // After a malformed request the stream position is unknown: answer and close.
                // Whatever the client is still sending is read and dropped first, or closing
                // with unread data would reset the connection and lose the answer.
                let _ = write_response(&mut writer, &resp, false);
                let _ = writer.shutdown(std::net::Shutdown::Write);
                let _ = reader
                    .get_ref()
                    .set_read_timeout(Some(Duration::from_secs(2)));
                let _ = io::copy(&mut reader.take(64 << 20), &mut io::sink());
                return;
            }
        }
    }
}

/// One line of the head, without its line end; counts against the head budget.
fn read_line(reader: &mut impl BufRead, budget: &mut usize) -> Result<Option<String>, Response> {
    let mut line = Vec::new();
    let n = reader
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => error(408, "request timed out"),
            _ => error(400, e.to_string()),
        })?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err(error(431, "request head too large"));
    }
    *budget -= n;
    if line.last() != Some(&b'\n') {
        return Err(error(400, "incomplete request"));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| error(400, "request head is not UTF-8"))
}

/// Read one request; Ok(None) when the client closed the connection between requests.
fn read_request(reader: &mut impl BufRead, max_body: usize) -> Result<Option<Request>, Response> {
    let mut budget = MAX_HEAD;
    let line = match read_line(reader, &mut budget) {
        Ok(Some(l)) => l,
        Ok(None) => return Ok(None),
        // A connection left idle past the timeout simply closes.
        Err(r) if r.status == 408 => return Ok(None),
        Err(r) => return Err(r),
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(error(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(error(400, "only HTTP/1.x is spoken here"));
    }
    let mut keep_alive = version == "HTTP/1.1";
    let mut length = None;
    loop {
        let header =
            read_line(reader, &mut budget)?.ok_or_else(|| error(400, "incomplete head"))?;
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| error(400, "malformed header"))?;
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| error(400, "bad Content-Length"))?,
                )
            }
            "transfer-encoding" => {
                return Err(error(411, "send the body with a Content-Length"));
            }
            "connection" => {
                let v = value.to_ascii_lowercase();
                if v.contains("close") {
                    keep_alive = false;
                } else if v.contains("keep-alive") {
                    keep_alive = true;
                }
            }
            _ => {}
        }
    }
    let length = length.unwrap_or(0);
    if length > max_body {
        return Err(error(
            413,
            format!("body of {length} bytes; the limit is {max_body}"),
        ));
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|_| error(400, "body shorter than its Content-Length"))?;
    Ok(Some(Request {
        method: method.to_string(),
        path: target.split('?').next().unwrap_or("").to_string(),
        body,
        keep_alive,
    }))
}

fn route(req: &Request, model: &ModelFile) -> Response {
    let only = |allow: &'static str| Response {
        allow: Some(allow),
        ..error(
            405,
            format!("{} is not allowed here; use {allow}", req.method),
        )
    };
    match (req.path.as_str(), req.method.as_str()) {
        ("/health", "GET") => Response {
            status: 200,
            body: json!({
                "status": "ok",
                "model": model.kind(),
                "task": model.task,
                "target": model.target,
                "inputs": model.input_columns(),
                "classes": model.classes,
            }),
            allow: None,
        },
        ("/health", _) => only("GET"),
        ("/predict", "POST") => predict(&req.body, model),
        ("/predict", _) => only("POST"),
        _ => error(404, "no such path; try POST /predict or GET /health"),
    }
}

/// Score a body of rows: `[{column: value, …}, …]` or `{"rows": [...]}`.
fn predict(body: &[u8], model: &ModelFile) -> Response {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return error(400, format!("body is not JSON: {e}")),
    };
    let rows = match &value {
        Value::Array(rows) => rows,
        Value::Object(o) => match o.get("rows") {
            Some(Value::Array(rows)) => rows,
            _ => return error(400, "expected an array of rows or {\"rows\": [...]}"),
        },
        _ => return error(400, "expected an array of rows or {\"rows\": [...]}"),
    };
    if rows.is_empty() {
        return error(400, "no rows to score");
    }
    let table = match model.table_from_json_rows(rows) {
        Ok(t) => t,
        Err(e) => return error(400, e.to_string()),
    };
    match model.predict(&table) {
        Ok(p) => Response {
            status: 200,
            body: json!({ "predictions": predictions_json(model, &p) }),
            allow: None,
        },
        Err(e) => error(400, e.to_string()),
    }
}

fn write_response(w: &mut impl Write, resp: &Response, keep_alive: bool) -> io::Result<()> {
    let body = resp.body.to_string();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: {}\r\n",
        resp.status,
        reason(resp.status),
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if let Some(allow) = resp.allow {
        head.push_str(&format!("Allow: {allow}\r\n"));
    }
    head.push_str("\r\n");
    w.write_all(head.as_bytes())?;
    w.write_all(body.as_bytes())?;
    w.flush()
}
