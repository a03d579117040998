//! `mlplay serve` over real sockets on loopback: good rows, bad rows, oversize bodies, wrong
//! paths and methods, keep-alive, and many clients at once.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mlplay::engine::model_file::{predictions_json, ModelFile};
use mlplay::engine::pipeline::recipe::{run, Recipe};
use mlplay::engine::{load, LoadOptions};
use mlplay::serve::{serve, serve_with, Predictor, ServerConfig};
use serde_json::{json, Value};

const MAX_BODY: usize = 64 * 1024;

fn titanic_model() -> ModelFile {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/recipes/titanic.json").unwrap())
            .unwrap();
    v["models"] = json!([{"kind": "logistic_regression"}]);
    let recipe = Recipe::from_json(&v.to_string()).unwrap();
    let opts = LoadOptions {
        na_values: recipe.na_values.clone(),
        ..LoadOptions::default()
    };
    let table = load(
        std::fs::read("datasets/titanic.csv").unwrap().as_slice(),
        &opts,
    )
    .unwrap()
    .table;
    let result = run(&table, &recipe, &mut |_| {}).unwrap();
    ModelFile::from_run(&result, &recipe, 0).unwrap()
}

/// A server on a free loopback port, running for the rest of the test process.
fn start() -> (SocketAddr, Arc<ModelFile>) {
    start_with(ServerConfig {
        max_body: MAX_BODY,
        ..ServerConfig::default()
    })
}

fn start_with(config: ServerConfig) -> (SocketAddr, Arc<ModelFile>) {
    let model = Arc::new(titanic_model());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let m = model.clone();
    std::thread::spawn(move || serve(listener, m, &config));
    (addr, model)
}

/// A server whose model call is `predictor` (the test hook for a model that panics).
fn start_predicting(predictor: Predictor) -> SocketAddr {
    let model = Arc::new(titanic_model());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = ServerConfig {
        max_body: MAX_BODY,
        ..ServerConfig::default()
    };
    std::thread::spawn(move || serve_with(listener, model, &config, predictor));
    addr
}

/// A response: status, headers (lower-case names) and body.
type Reply = (u16, Vec<(String, String)>, Value);

/// Read one response: status, headers (lower-case names) and body.
fn read_response(r: &mut impl BufRead) -> (u16, Vec<(String, String)>, Value) {
    try_read_response(r).unwrap()
}

/// Read one response, or say why there was none (a reset, an early close, a timeout). A
/// response without a body (the HTTP layer's own answer to a malformed head) has `null`.
fn try_read_response(r: &mut impl BufRead) -> Result<Reply, String> {
    let mut line = String::new();
    r.read_line(&mut line)
        .map_err(|e| format!("no status line: {e}"))?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status line (got {line:?})"))?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h)
            .map_err(|e| format!("head cut off: {e}"))?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':').ok_or("malformed header")?;
        headers.push((n.to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .ok_or("no Content-Length")?
        .1
        .parse()
        .map_err(|_| "bad Content-Length")?;
    let mut body = vec![0; len];
    r.read_exact(&mut body)
        .map_err(|e| format!("body cut off: {e}"))?;
    if body.is_empty() {
        return Ok((status, headers, Value::Null));
    }
    let v = serde_json::from_slice(&body).map_err(|e| format!("body is not JSON: {e}"))?;
    Ok((status, headers, v))
}

/// Send raw bytes on a fresh connection and read one response (with a read deadline).
fn raw(addr: SocketAddr, bytes: &[u8]) -> Result<Reply, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(bytes).map_err(|e| e.to_string())?;
    try_read_response(&mut BufReader::new(s))
}

/// One request on a fresh connection.
fn request(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(body).unwrap();
    let (status, _, v) = read_response(&mut BufReader::new(s));
    (status, v)
}

fn passenger(i: usize) -> Value {
    json!({"pclass": 1 + i % 3, "sex": if i % 2 == 0 { "female" } else { "male" },
           "age": 20 + i % 40, "sibsp": i % 2, "parch": 0, "fare": 10.0 + i as f64,
           "embarked": "S"})
}

#[test]
fn health_names_the_model_and_its_inputs() {
    let (addr, _) = start();
    let (status, v) = request(addr, "GET", "/health", b"");
    assert_eq!(status, 200);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["model"], "logistic_regression");
    assert_eq!(v["target"], "survived");
    assert!(v["inputs"].as_array().unwrap().contains(&json!("sex")));
}

#[test]
fn good_rows_get_the_model_files_own_predictions() {
    let (addr, model) = start();
    let rows: Vec<Value> = (0..25).map(passenger).collect();
    let table = model.table_from_json_rows(&rows).unwrap();
    let expected = predictions_json(&model, &model.predict(&table).unwrap());
    // Both body shapes are accepted.
    for body in [json!(rows), json!({ "rows": rows })] {
        let (status, v) = request(addr, "POST", "/predict", body.to_string().as_bytes());
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["predictions"], expected);
        assert_eq!(v["predictions"].as_array().unwrap().len(), 25);
    }
}

#[test]
fn bad_rows_get_400_with_the_row_and_column_named() {
    let (addr, _) = start();
    let mut wrong = passenger(0);
    wrong["age"] = json!("old");
    let mut absent = passenger(1);
    absent.as_object_mut().unwrap().remove("fare");
    let cases: Vec<(Vec<u8>, &[&str])> = vec![
        (
            json!([passenger(0), wrong]).to_string().into_bytes(),
            &["row 1", "age"],
        ),
        (json!([absent]).to_string().into_bytes(), &["row 0", "fare"]),
        (b"{not json".to_vec(), &["not JSON"]),
        (b"[]".to_vec(), &["no rows"]),
        (b"42".to_vec(), &["array of rows"]),
        (json!([1, 2]).to_string().into_bytes(), &["row 0", "object"]),
    ];
    for (body, words) in cases {
        let (status, v) = request(addr, "POST", "/predict", &body);
        assert_eq!(status, 400, "{v}");
        let msg = v["error"].as_str().unwrap();
        for w in words {
            assert!(msg.contains(w), "{msg:?} lacks {w:?}");
        }
    }
}

#[test]
fn an_oversize_body_gets_413_before_it_is_read() {
    let (addr, _) = start();
    let rows: Vec<Value> = (0..2000).map(passenger).collect();
    let body = json!(rows).to_string();
    assert!(body.len() > MAX_BODY);
    let (status, v) = request(addr, "POST", "/predict", body.as_bytes());
    assert_eq!(status, 413);
    assert!(v["error"].as_str().unwrap().contains("limit"), "{v}");
}

#[test]
fn wrong_paths_methods_and_framing_get_4xx() {
    let (addr, _) = start();
    assert_eq!(request(addr, "GET", "/nowhere", b"").0, 404);
    assert_eq!(request(addr, "GET", "/predict", b"").0, 405);
    assert_eq!(request(addr, "POST", "/health", b"{}").0, 405);
    // Garbage instead of a request line.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"hello\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut BufReader::new(s)).0, 400);
    // A head that never ends is cut off.
    let mut s = TcpStream::connect(addr).unwrap();
    let long = format!(
        "GET /health HTTP/1.1\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(64_000)
    );
    let _ = s.write_all(long.as_bytes());
    assert_eq!(read_response(&mut BufReader::new(s)).0, 431);
}

#[test]
fn one_connection_carries_many_requests() {
    let (addr, _) = start();
    let s = TcpStream::connect(addr).unwrap();
    let mut w = s.try_clone().unwrap();
    let mut r = BufReader::new(s);
    for i in 0..5 {
        let body = json!([passenger(i)]).to_string();
        write!(
            w,
            "POST /predict HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let (status, headers, v) = read_response(&mut r);
        assert_eq!(status, 200);
        assert!(headers.contains(&("connection".into(), "keep-alive".into())));
        assert_eq!(v["predictions"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn concurrent_clients_all_get_their_own_answers() {
    let (addr, model) = start();
    let clients: Vec<_> = (0..16)
        .map(|c| {
            let model = model.clone();
            std::thread::spawn(move || {
                for k in 0..10 {
                    let rows: Vec<Value> =
                        (0..1 + (c + k) % 4).map(|i| passenger(c * 7 + i)).collect();
                    let table = model.table_from_json_rows(&rows).unwrap();
                    let expected = predictions_json(&model, &model.predict(&table).unwrap());
                    let (status, v) =
                        request(addr, "POST", "/predict", json!(rows).to_string().as_bytes());
                    assert_eq!(status, 200);
                    assert_eq!(v["predictions"], expected);
                }
            })
        })
        .collect();
    for c in clients {
        c.join().unwrap();
    }
}

#[test]
fn the_command_serves_a_model_file_on_loopback() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-cli");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("model.json");
    std::fs::write(&path, titanic_model().to_json().unwrap()).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args([
            "serve",
            "--model",
            path.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split("http://")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    let addr: SocketAddr = url.parse().unwrap();
    assert!(addr.ip().is_loopback(), "{line}");
    let (status, v) = request(addr, "GET", "/health", b"");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert_eq!(v["model"], "logistic_regression");
}

/// A slowloris socket: sends the start of a request head, then one byte every `every`.
fn slowloris(addr: SocketAddr, every: Duration, stop: Instant) -> std::thread::JoinHandle<bool> {
    std::thread::spawn(move || {
        let Ok(mut s) = TcpStream::connect(addr) else {
            return false;
        };
        let _ = s.write_all(b"GET /health HTTP/1.1\r\n");
        // Until the server closes the connection (true) or the test's time is up (false).
        while Instant::now() < stop {
            std::thread::sleep(every);
            if s.write_all(b"X").is_err() {
                return true;
            }
        }
        false
    })
}

#[test]
fn slow_clients_do_not_keep_a_normal_client_waiting() {
    let (addr, _) = start_with(ServerConfig {
        max_body: MAX_BODY,
        head_timeout: Duration::from_secs(3),
        ..ServerConfig::default()
    });
    let stop = Instant::now() + Duration::from_secs(12);
    let slow: Vec<_> = (0..80)
        .map(|_| slowloris(addr, Duration::from_millis(500), stop))
        .collect();
    std::thread::sleep(Duration::from_millis(700));
    let t = Instant::now();
    let answer = raw(
        addr,
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(answer.as_ref().map(|a| a.0), Ok(200), "{answer:?}");
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    for h in slow {
        h.join().unwrap();
    }
}

#[test]
fn slow_heads_are_closed_at_their_deadline() {
    let (addr, _) = start_with(ServerConfig {
        max_body: MAX_BODY,
        head_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    });
    let stop = Instant::now() + Duration::from_secs(8);
    let slow: Vec<_> = (0..8)
        .map(|_| slowloris(addr, Duration::from_millis(300), stop))
        .collect();
    let closed = slow
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|closed| *closed)
        .count();
    assert_eq!(
        closed, 8,
        "slow heads still open after 8 s with a 2 s head deadline"
    );
}

#[test]
fn a_slow_body_is_cut_off_at_its_deadline() {
    let (addr, _) = start_with(ServerConfig {
        max_body: MAX_BODY,
        body_timeout: Duration::from_secs(2),
        ..ServerConfig::default()
    });
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
    s.write_all(b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[")
        .unwrap();
    let mut w = s.try_clone().unwrap();
    let t = Instant::now();
    std::thread::spawn(move || {
        for _ in 0..40 {
            std::thread::sleep(Duration::from_millis(200));
            if w.write_all(b" ").is_err() {
                return;
            }
        }
    });
    let answer = try_read_response(&mut BufReader::new(s));
    assert_eq!(answer.as_ref().map(|a| a.0), Ok(408), "{answer:?}");
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
}

#[test]
fn a_panicking_model_answers_500_and_frees_its_slot() {
    let addr = start_predicting(Arc::new(|_, _| panic!("the model broke")));
    // One row (scored on the connection's task) and 300 rows (on a blocking thread).
    let requests: Vec<String> = [1, 300]
        .iter()
        .map(|&n| {
            let body = json!((0..n).map(passenger).collect::<Vec<_>>()).to_string();
            format!(
                "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
        })
        .collect();
    assert!(requests[1].len() > 16 * 1024);
    let answers: Vec<_> = (0..100)
        .map(|i| raw(addr, requests[i % 2].as_bytes()).map(|a| (a.0, a.2)))
        .collect();
    // The slots of the panicked calls are free again.
    let health = raw(
        addr,
        b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(health.map(|a| (a.0, a.2)).unwrap().0, 200);
    for a in &answers {
        let (status, v) = a
            .as_ref()
            .expect("an answer to a request whose model panicked");
        assert_eq!(*status, 500, "{v}");
        assert!(v["error"].as_str().unwrap().contains("internal"), "{v}");
    }
}

#[test]
fn a_thousand_concurrent_connections_are_all_answered() {
    let (addr, model) = start();
    let rows = vec![passenger(3)];
    let table = model.table_from_json_rows(&rows).unwrap();
    let expected = predictions_json(&model, &model.predict(&table).unwrap());
    let body = json!(rows).to_string();
    // All connections open at once, then every one sends its request, then every answer is read.
    let mut socks: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let mut refused = 0;
    for s in &mut socks {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let req = format!(
            "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        if s.write_all(req.as_bytes()).is_err() {
            refused += 1;
        }
    }
    let mut outcomes = std::collections::BTreeMap::new();
    for s in socks {
        let key = match try_read_response(&mut BufReader::new(s)) {
            Ok((200, _, v)) if v["predictions"] == expected => "200".to_string(),
            Ok((status, _, v)) => format!("{status} {v}"),
            Err(e) => e,
        };
        *outcomes.entry(key).or_insert(0) += 1;
    }
    assert_eq!(refused, 0);
    assert_eq!(outcomes.get("200"), Some(&1000), "{outcomes:?}");
}

#[test]
fn malformed_heads_and_lengths_get_400() {
    let (addr, _) = start();
    // A good body, so that a server that accepted the framing would answer 200.
    let body = json!([passenger(0)]).to_string();
    let n = body.len();
    let post = |headers: &str| format!("POST /predict HTTP/1.1\r\nHost: x\r\n{headers}\r\n{body}");
    let cases = [
        post(&format!(
            "Content-Length: {n}\r\nContent-Length: {}\r\n",
            n + 1
        )),
        post(&format!(
            "Content-Length: {}\r\nContent-Length: {n}\r\n",
            n - 1
        )),
        post(&format!("Content-Length: +{n}\r\n")),
        post(&format!("Content-Length: {n}, {}\r\n", n + 1)),
        post(&format!("Content-Length: 0x{n:x}\r\n")),
        post(&format!("Content-Length: -{n}\r\n")),
        "GET /health HTTP/1.1\r\nno colon here\r\n\r\n".to_string(),
        "GET /health HTTP/1.1\r\nBad Name: x\r\n\r\n".to_string(),
        "GET  /health HTTP/1.1\r\n\r\n".to_string(),
    ];
    for case in cases {
        let answer = raw(addr, case.as_bytes());
        assert_eq!(
            answer.as_ref().map(|a| a.0),
            Ok(400),
            "{case:?} got {answer:?}"
        );
    }
}

#[test]
fn expect_100_continue_gets_its_go_ahead_or_an_early_refusal() {
    let (addr, model) = start();
    let rows = vec![passenger(5)];
    let table = model.table_from_json_rows(&rows).unwrap();
    let expected = predictions_json(&model, &model.predict(&table).unwrap());
    let body = json!(rows).to_string();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(800)))
        .unwrap();
    write!(
        s,
        "POST /predict HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    let got = r.read_line(&mut line);
    assert!(
        got.is_ok() && line.starts_with("HTTP/1.1 100"),
        "no 100 Continue before the body: {got:?} {line:?}"
    );
    let mut blank = String::new();
    r.read_line(&mut blank).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let (status, _, v) = read_response(&mut r);
    assert_eq!(status, 200);
    assert_eq!(v["predictions"], expected);
    // Too large: refused at once, without asking for the body.
    let answer = raw(
        addr,
        format!(
            "POST /predict HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        )
        .as_bytes(),
    );
    assert_eq!(answer.map(|a| a.0), Ok(413));
}

fn chunked(body: &[u8], piece: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for c in body.chunks(piece) {
        out.extend(format!("{:x}\r\n", c.len()).as_bytes());
        out.extend(c);
        out.extend(b"\r\n");
    }
    out.extend(b"0\r\n\r\n");
    out
}

#[test]
fn chunked_bodies_are_read_within_the_limit() {
    let (addr, model) = start();
    let rows: Vec<Value> = (0..40).map(passenger).collect();
    let table = model.table_from_json_rows(&rows).unwrap();
    let expected = predictions_json(&model, &model.predict(&table).unwrap());
    let mut req = b"POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    req.extend(chunked(json!(rows).to_string().as_bytes(), 100));
    let answer = raw(addr, &req).unwrap();
    assert_eq!(answer.0, 200, "{:?}", answer.2);
    assert_eq!(answer.2["predictions"], expected);
    // Over the limit in chunks: 413.
    let big: Vec<Value> = (0..2000).map(passenger).collect();
    let mut req = b"POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    req.extend(chunked(json!(big).to_string().as_bytes(), 4096));
    let answer = raw(addr, &req);
    assert_eq!(answer.as_ref().map(|a| a.0), Ok(413), "{answer:?}");
}

#[test]
fn at_capacity_the_answer_is_a_503_that_is_read() {
    let (addr, _) = start_with(ServerConfig {
        max_body: 8 << 20,
        max_connections: 4,
        ..ServerConfig::default()
    });
    // Four connections that hold their places with half a head.
    let _held: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET /health HTTP/1.1\r\n").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    // A body larger than the sockets' buffers: the old server closed such connections
    // unread, so the client could not even send its request (broken pipe or reset).
    let body = vec![b' '; 4 << 20];
    for _ in 0..6 {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .unwrap();
        let sent = s.write_all(&body);
        assert!(sent.is_ok(), "the request was not read: {sent:?}");
        let (status, headers, v) = try_read_response(&mut BufReader::new(s)).unwrap();
        assert_eq!(status, 503);
        assert!(v["error"].as_str().unwrap().contains("try again"), "{v}");
        assert!(headers.contains(&("retry-after".into(), "1".into())));
    }
}
