//! The arrows between the crate's modules point one way. This test reads every `crate::…` path
//! in `src/` (comments left out) and fails if
//! - anything in `engine/` reaches outside the engine (it stays pure: no i18n, no session, no UI),
//! - the workshop layer (everything but `ui`, `cli` and `serve`) reaches `ui`, `cli` or `serve`,
//! - the top-level modules import each other in a circle (two modules that import each other
//!   are the shortest such circle).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Modules that may only be used from the outermost layer: the web app and the command line.
const FRONT_ENDS: [&str; 3] = ["ui", "cli", "serve"];

/// Source text with `//` and `/* */` comments removed (string literals are kept; a `//` inside
/// one is rare enough in this code base that the worst case is a missed path, never a false
/// arrow).
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let b = src.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c as char);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
        } else if c == b'"' {
            in_str = true;
            out.push('"');
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else {
            // Keep multi-byte characters whole.
            let ch = src[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The top-level modules a source text names through `crate::`, including grouped imports
/// (`use crate::{a::X, b};`).
fn crate_refs(src: &str) -> BTreeSet<String> {
    let code = strip_comments(src);
    let mut refs = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(pos) = rest.find("crate::") {
        let before = rest[..pos].chars().last();
        rest = &rest[pos + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$') {
            continue; // `$crate::`, `mycrate::`, `x::crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
                    refs.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                refs.insert(name);
            }
        }
    }
    refs
}

/// The top-level module a file belongs to (`src/engine/data/table.rs` → `engine`), or None for
/// the binaries' roots and `lib.rs`.
fn top_module(src_dir: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src_dir).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" | "main.rs" | "bin" => None,
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Module → the modules it imports, with one file named per arrow (for the message).
type Graph = BTreeMap<String, BTreeMap<String, String>>;

/// Every rule broken, as sentences; empty when the arrows point one way.
fn violations(graph: &Graph) -> Vec<String> {
    let mut bad = Vec::new();
    for (from, tos) in graph {
        for (to, file) in tos {
            if from == "engine" && to != "engine" {
                bad.push(format!(
                    "the engine imports `{to}` ({file}); the engine stays pure"
                ));
            }
            if !FRONT_ENDS.contains(&from.as_str()) && FRONT_ENDS.contains(&to.as_str()) {
                bad.push(format!(
                    "`{from}` imports the front end `{to}` ({file}); only ui, cli and serve sit above the workshop layer"
                ));
            }
        }
    }
    // Circles among top-level modules: depth-first search for a back edge.
    fn visit(
        n: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        bad: &mut Vec<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut circle = path[i..].to_vec();
            circle.push(n.to_string());
            bad.push(format!("a circle of imports: {}", circle.join(" → ")));
            return;
        }
        if !done.insert(n.to_string()) {
            return;
        }
        path.push(n.to_string());
        if let Some(tos) = graph.get(n) {
            for to in tos.keys().filter(|t| *t != n) {
                visit(to, graph, path, done, bad);
            }
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        visit(n, graph, &mut Vec::new(), &mut done, &mut bad);
    }
    bad
}

fn crate_graph() -> Graph {
    let src_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src_dir, &mut files);
    let mut graph = Graph::new();
    for f in files {
        let Some(from) = top_module(&src_dir, &f) else {
            continue;
        };
        let text = fs::read_to_string(&f).unwrap();
        let entry = graph.entry(from.clone()).or_default();
        for to in crate_refs(&text) {
            if to != from {
                let shown = f.strip_prefix(&src_dir).unwrap().display().to_string();
                entry.entry(to).or_insert(shown);
            }
        }
    }
    graph
}

#[test]
fn imports_point_one_way() {
    let graph = crate_graph();
    assert!(graph.contains_key("engine") && graph.contains_key("ui"));
    let bad = violations(&graph);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_checker_sees_paths_in_code_only() {
    let src = "// use crate::ui::x;\n/* crate::cli */ use crate::{i18n::T, session};\n\
               fn f() { crate::engine::load(); let s = \"crate::\"; $crate::x; }";
    let refs: Vec<String> = crate_refs(src).into_iter().collect();
    assert_eq!(refs, ["engine", "i18n", "session"]);
}

#[test]
fn the_checker_fails_on_a_reintroduced_import() {
    // The real graph plus one arrow from the engine up to i18n, one from session to ui, and the
    // comms → session arrow that used to close a circle.
    let mut graph = crate_graph();
    graph
        .get_mut("engine")
        .unwrap()
        .insert("i18n".into(), "engine/x.rs".into());
    graph
        .get_mut("session")
        .unwrap()
        .insert("ui".into(), "session/x.rs".into());
    graph
        .get_mut("comms")
        .unwrap()
        .insert("session".into(), "comms/x.rs".into());
    let bad = violations(&graph).join("\n");
    assert!(bad.contains("the engine imports `i18n`"), "{bad}");
    assert!(
        bad.contains("`session` imports the front end `ui`"),
        "{bad}"
    );
    assert!(
        bad.contains("a circle of imports") && bad.contains("comms"),
        "{bad}"
    );
}
