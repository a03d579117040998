//! The MLflow scoring server's (and SageMaker container's) contract beside mlplay's own routes:
//! `GET /ping`, and `POST /invocations` in every documented request shape, each answered with
//! exactly what `mlplay predict` writes for the same rows as a CSV file.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;

use mlplay::engine::data::table::{ColumnData, Table};
use mlplay::engine::model_file::ModelFile;
use mlplay::engine::pipeline::recipe::{run, Recipe};
use mlplay::engine::{load, LoadOptions};
use mlplay::serve::{serve, ServerConfig};
use serde_json::{json, Map, Value};

fn model(task: &str, target: &str, kind: &str) -> ModelFile {
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/recipes/titanic.json").unwrap())
            .unwrap();
    v["task"] = json!(task);
    v["target"] = json!(target);
    v["models"] = json!([{ "kind": kind }]);
    if target != "survived" {
        v["exclude"].as_array_mut().unwrap().push(json!("survived"));
    }
    let recipe = Recipe::from_json(&v.to_string()).unwrap();
    let table = read(
        &std::fs::read("datasets/titanic.csv").unwrap(),
        &recipe.na_values,
    );
    let result = run(&table, &recipe, &mut |_| {}).unwrap();
    ModelFile::from_run(&result, &recipe, 0).unwrap()
}

fn read(bytes: &[u8], na: &[String]) -> Table {
    let opts = LoadOptions {
        na_values: na.to_vec(),
        ..LoadOptions::default()
    };
    load(bytes, &opts).unwrap().table
}

fn dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-mlflow");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Rows to score: the first 40 passengers, one with no age and no embarkation port, one from
/// a port never seen in training.
fn rows_csv() -> String {
    let text = std::fs::read_to_string("datasets/titanic.csv").unwrap();
    let mut lines: Vec<String> = text.lines().take(41).map(str::to_string).collect();
    lines.push(r#"3,0,"Nobody, Mr. A","male",,0,0,"1",8.05,,,,?,"#.into());
    lines.push(r#"2,1,"Somebody, Mrs. B","female",40,1,0,"2",26,,"Z",,?,"#.into());
    lines.join("\n") + "\n"
}

/// `mlplay predict`'s `prediction` column for `csv`.
fn cli_predictions(model: &ModelFile, name: &str, csv: &str) -> Vec<String> {
    let d = dir();
    let (m, f) = (
        d.join(format!("{name}.json")),
        d.join(format!("{name}.csv")),
    );
    std::fs::write(&m, model.to_json().unwrap()).unwrap();
    std::fs::write(&f, csv).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args([
            "predict",
            "--model",
            m.to_str().unwrap(),
            f.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut r = csv::Reader::from_reader(out.stdout.as_slice());
    let at = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "prediction")
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap()[at].to_string())
        .collect()
}

/// The rows of `table` as JSON values per column: numbers, labels, null for missing.
fn cells(table: &Table) -> (Vec<String>, Vec<Vec<Value>>) {
    let names = table.columns().iter().map(|c| c.name.clone()).collect();
    let rows = (0..table.n_rows())
        .map(|i| {
            table
                .columns()
                .iter()
                .map(|c| match &c.data {
                    ColumnData::Numeric { values, .. } if values[i].is_nan() => Value::Null,
                    ColumnData::Numeric { values, .. } => json!(values[i]),
                    _ if c.is_missing(i) => Value::Null,
                    _ => json!(c.display(i)),
                })
                .collect()
        })
        .collect();
    (names, rows)
}

fn records(names: &[String], rows: &[Vec<Value>]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                Value::Object(
                    names
                        .iter()
                        .cloned()
                        .zip(r.iter().cloned())
                        .collect::<Map<_, _>>(),
                )
            })
            .collect(),
    )
}

fn start(model: ModelFile) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || serve(listener, Arc::new(model), &ServerConfig::default()));
    addr
}

/// POST (or GET with `body` None) and return the status and JSON body.
fn call(addr: SocketAddr, path: &str, content_type: &str, body: Option<&[u8]>) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    match body {
        Some(b) => {
            write!(
                s,
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                b.len()
            )
            .unwrap();
            s.write_all(b).unwrap();
        }
        None => write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap(),
    }
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut rest = String::new();
    r.read_to_string(&mut rest).unwrap();
    let body = rest.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap())
}

/// Every documented request shape for the same rows.
fn shapes(
    names: &[String],
    rows: &[Vec<Value>],
    csv: &str,
) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let recs = records(names, rows);
    let columnar: Map<String, Value> = names
        .iter()
        .enumerate()
        .map(|(j, n)| {
            (
                n.clone(),
                Value::Array(rows.iter().map(|r| r[j].clone()).collect()),
            )
        })
        .collect();
    let json = |v: Value| v.to_string().into_bytes();
    vec![
        (
            "dataframe_split",
            "application/json",
            json(json!({"dataframe_split": {"columns": names, "data": rows}})),
        ),
        (
            "dataframe_split with index and params",
            "application/json; charset=utf-8",
            json(
                json!({"dataframe_split": {"index": (0..rows.len()).collect::<Vec<_>>(),
                        "columns": names, "data": rows}, "params": {"unused": 1}}),
            ),
        ),
        (
            "dataframe_records",
            "application/json",
            json(json!({ "dataframe_records": recs })),
        ),
        (
            "instances",
            "application/json",
            json(json!({ "instances": recs })),
        ),
        (
            "inputs, columnar",
            "application/json",
            json(json!({ "inputs": columnar })),
        ),
        (
            "inputs, records",
            "application/json",
            json(json!({ "inputs": recs })),
        ),
        ("text/csv", "text/csv", csv.as_bytes().to_vec()),
    ]
}

#[test]
fn every_request_shape_gets_what_mlplay_predict_writes() {
    let csv = rows_csv();
    for (name, m) in [
        (
            "classifier",
            model("classification", "survived", "logistic_regression"),
        ),
        (
            "forest",
            model("classification", "survived", "random_forest"),
        ),
        (
            "regressor",
            model("regression", "fare", "linear_regression"),
        ),
    ] {
        let expected = cli_predictions(&m, name, &csv);
        assert_eq!(expected.len(), 42);
        let table = read(csv.as_bytes(), &m.recipe.na_values);
        let (names, rows) = cells(&table);
        let classifier = !m.classes.is_empty();
        let addr = start(m);
        assert_eq!(call(addr, "/ping", "", None).0, 200);
        for (shape, content_type, body) in shapes(&names, &rows, &csv) {
            let (status, v) = call(addr, "/invocations", content_type, Some(&body));
            assert_eq!(status, 200, "{name}, {shape}: {v}");
            let got = v["predictions"].as_array().unwrap();
            assert_eq!(got.len(), expected.len(), "{name}, {shape}");
            for (g, e) in got.iter().zip(&expected) {
                if classifier {
                    // A classifier's prediction is its label, as MLflow's sklearn flavour answers.
                    assert_eq!(g.as_str(), Some(e.as_str()), "{name}, {shape}");
                } else {
                    assert_eq!(
                        g.as_f64(),
                        Some(e.parse::<f64>().unwrap()),
                        "{name}, {shape}"
                    );
                }
            }
        }
    }
}

#[test]
fn missing_columns_and_bad_requests_get_mlflow_errors() {
    let m = model("classification", "survived", "logistic_regression");
    let csv = rows_csv();
    let table = read(csv.as_bytes(), &m.recipe.na_values);
    let (names, rows) = cells(&table);
    let addr = start(m);
    // Without age and fare: every missing column named, as `mlplay predict` names them.
    let keep: Vec<usize> = (0..names.len())
        .filter(|&j| names[j] != "age" && names[j] != "fare")
        .collect();
    let names2: Vec<String> = keep.iter().map(|&j| names[j].clone()).collect();
    let rows2: Vec<Vec<Value>> = rows
        .iter()
        .map(|r| keep.iter().map(|&j| r[j].clone()).collect())
        .collect();
    let mut csv2 = csv::Writer::from_writer(Vec::new());
    csv2.write_record(&names2).unwrap();
    for r in &rows2 {
        csv2.write_record(r.iter().map(|v| match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            v => v.to_string(),
        }))
        .unwrap();
    }
    let csv2 = String::from_utf8(csv2.into_inner().unwrap()).unwrap();
    for (shape, content_type, body) in shapes(&names2, &rows2, &csv2) {
        let (status, v) = call(addr, "/invocations", content_type, Some(&body));
        assert_eq!(status, 400, "{shape}: {v}");
        assert_eq!(v["error_code"], "BAD_REQUEST");
        let msg = v["message"].as_str().unwrap();
        assert!(
            msg.contains("age") && msg.contains("fare"),
            "{shape}: {msg}"
        );
    }
    let cases: Vec<(&str, &[u8], u16, &str)> = vec![
        ("text/plain", b"age\n1\n", 415, "content type"),
        ("application/json; charset=latin-1", b"{}", 415, "UTF-8"),
        ("application/json", b"[{\"age\": 1}]", 400, "list"),
        ("application/json", b"{\"rows\": []}", 400, "exactly one"),
        (
            "application/json",
            b"{\"instances\": [], \"inputs\": {}}",
            400,
            "both instances and inputs",
        ),
        (
            "application/json",
            b"{\"dataframe_split\": {\"columns\": [\"age\"], \"data\": [[1, 2]]}}",
            400,
            "more values",
        ),
        (
            "application/json",
            b"{\"inputs\": {\"age\": [1, 2], \"fare\": [1]}}",
            400,
            "has 1 values",
        ),
        (
            "application/json",
            b"{\"dataframe_records\": [{\"age\": \"old\"}]}",
            400,
            "row 0, column 'age': expected a number",
        ),
        // A key written with an escape still names its column.
        (
            "application/json",
            b"{\"dataframe_records\": [{\"a\\u0067e\": [1]}]}",
            400,
            "row 0, column 'age': expected a number",
        ),
        ("application/json", b"{\"inputs\": ", 400, "not JSON"),
    ];
    for (content_type, body, status, words) in cases {
        let (got, v) = call(addr, "/invocations", content_type, Some(body));
        assert_eq!(
            got,
            status,
            "{content_type} {}: {v}",
            String::from_utf8_lossy(body)
        );
        let msg = v["message"].as_str().unwrap();
        assert!(msg.contains(words), "{msg:?} lacks {words:?}");
    }
    assert_eq!(
        call(addr, "/ping", "", None),
        (200, json!({"status": "ok"}))
    );
}

#[test]
fn the_sagemaker_flag_listens_on_every_interface() {
    let path = dir().join("sagemaker.json");
    let m = model("classification", "survived", "logistic_regression");
    std::fs::write(&path, m.to_json().unwrap()).unwrap();
    // Port 0 through SageMaker's own variable, so the test takes a free port, not 8080.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["serve", "--sagemaker", "--model", path.to_str().unwrap()])
        .env("SAGEMAKER_BIND_TO_PORT", "0")
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
    let ping = std::panic::catch_unwind(|| {
        call(
            SocketAddr::from(([127, 0, 0, 1], addr.port())),
            "/ping",
            "",
            None,
        )
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(addr.ip().is_unspecified(), "{line}");
    assert_eq!(ping.unwrap().0, 200);
}
