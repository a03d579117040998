//! What one large request costs the prediction server in memory: the heap's peak while it
//! answers, counted by a global allocator (its own test binary, so no other test's allocations
//! land in the count). The body is parsed into typed columns as it is read, not into a tree of
//! JSON values (which cost ~100 bytes per byte of tiny objects).
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use mlplay::engine::model_file::ModelFile;
use mlplay::engine::pipeline::recipe::{run, Recipe};
use mlplay::engine::{load, LoadOptions};
use mlplay::serve::{serve, ServerConfig};
use serde_json::{json, Value};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

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

/// POST `body` to /predict and return the status and the heap's peak above what was in use
/// before the request (the client's own copy of the body is made before the count starts).
fn peak_while_answering(addr: std::net::SocketAddr, body: &[u8]) -> (u16, usize) {
    let mut s = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    let before = NOW.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let mut rest = Vec::new();
    let _ = r.read_to_end(&mut rest);
    let status = line.split(' ').nth(1).unwrap().parse().unwrap();
    (status, PEAK.load(Ordering::SeqCst).saturating_sub(before))
}

#[test]
fn a_megabyte_body_costs_a_few_megabytes_not_a_hundred() {
    let model = Arc::new(titanic_model());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let config = ServerConfig::default();
    let limit = config.max_body;
    std::thread::spawn(move || serve(listener, model, &config));
    const MIB: usize = 1 << 20;

    // Tiny objects: as a tree of JSON values these cost ~100 MiB.
    let mut tiny = b"{\"rows\":[".to_vec();
    while tiny.len() < limit - 16 {
        tiny.extend_from_slice(b"{\"a\":1},");
    }
    tiny.extend_from_slice(b"{\"a\":1}]}");
    let (status, peak) = peak_while_answering(addr, &tiny);
    assert_eq!(status, 400);
    eprintln!("tiny objects: peak {} KiB", peak / 1024);
    assert!(peak < 4 * MIB, "tiny objects: peak {} KiB", peak / 1024);

    // Good rows up to the limit: columns of numbers and short labels.
    let row = json!({"pclass": 1, "sex": "male", "age": 30, "sibsp": 0, "parch": 0,
                     "fare": 7.25, "embarked": "S"})
    .to_string();
    let mut good = b"[".to_vec();
    while good.len() + 2 * (row.len() + 1) < limit {
        good.extend_from_slice(row.as_bytes());
        good.push(b',');
    }
    good.extend_from_slice(row.as_bytes());
    good.push(b']');
    let (status, peak) = peak_while_answering(addr, &good);
    assert!(good.len() > limit - 200 && good.len() <= limit);
    assert_eq!(status, 200);
    eprintln!("good rows: peak {} KiB", peak / 1024);
    assert!(peak < 8 * MIB, "good rows: peak {} KiB", peak / 1024);
}
