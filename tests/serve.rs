//! `mlplay serve` over real sockets on loopback: good rows, bad rows, oversize bodies, wrong
//! paths and methods, keep-alive, and many clients at once.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

use mlplay::engine::model_file::{predictions_json, ModelFile};
use mlplay::engine::pipeline::recipe::{run, Recipe};
use mlplay::engine::{load, LoadOptions};
use mlplay::serve::{serve, ServerConfig};
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
    let model = Arc::new(titanic_model());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = ServerConfig {
        max_body: MAX_BODY,
        ..ServerConfig::default()
    };
    let m = model.clone();
    std::thread::spawn(move || serve(listener, m, &config));
    (addr, model)
}

/// Read one response: status, headers (lower-case names) and body.
fn read_response(r: &mut impl BufRead) -> (u16, Vec<(String, String)>, Value) {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':').unwrap();
        headers.push((n.to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    (status, headers, serde_json::from_slice(&body).unwrap())
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
    // Chunked bodies are not spoken: the client is told to send a length.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /predict HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut BufReader::new(s)).0, 411);
    // Garbage instead of a request line.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"hello\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut BufReader::new(s)).0, 400);
    // A head that never ends is cut off.
    let mut s = TcpStream::connect(addr).unwrap();
    let long = format!(
        "GET /health HTTP/1.1\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(20_000)
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
