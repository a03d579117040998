//! The `mlplay` command line: exit codes, stderr messages and the JSON shape.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

fn mlplay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run mlplay");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn info_json_has_rows_and_columns() {
    let (code, out, _) = mlplay(&["info", "datasets/ames.csv", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 2930);
    let cols = v["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 81);
    assert_eq!(cols[0]["name"], "Id");
    assert_eq!(cols[0]["kind"], "numeric");
    let mas = cols.iter().find(|c| c["name"] == "MasVnrType").unwrap();
    assert_eq!(mas["kind"], "categorical");
    // 'None' is a real category in this column, so only the 23 '?' cells are missing.
    assert_eq!(mas["non_null"], 2930 - 23);
}

#[test]
fn shift_jis_fixture_is_read() {
    let (code, out, _) = mlplay(&["info", "tests/fixtures/sjis_excel.csv", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["encoding"], "Shift_JIS");
    assert_eq!(v["rows"], 5);
    assert_eq!(v["columns"][0]["name"], "店舗名");
}

#[test]
fn bad_input_exits_non_zero_with_message_on_stderr() {
    let (code, out, err) = mlplay(&["info", "tests/fixtures/ragged.csv"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("line 4: 4 fields, expected 3"), "{err}");

    let (code, _, err) = mlplay(&["info", "tests/fixtures/no-such-file.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("no-such-file.csv"));

    let (code, _, err) = mlplay(&["info", "tests/fixtures/header_only.csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("no data rows"), "{err}");
}

#[test]
fn usage_errors_exit_two() {
    let (code, _, err) = mlplay(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("usage"));
    let (code, _, _) = mlplay(&["info"]);
    assert_eq!(code, 2);
    let (code, _, _) = mlplay(&["info", "x.csv", "--delimiter", "|"]);
    assert_eq!(code, 2);
}

#[test]
fn na_option_replaces_default_tokens() {
    let (_, out, _) = mlplay(&["info", "datasets/ames.csv", "--json", "--na", "?,None"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let cols = v["columns"].as_array().unwrap();
    let mas = cols.iter().find(|c| c["name"] == "MasVnrType").unwrap();
    assert!(mas["non_null"].as_u64().unwrap() < 2000);
}

#[test]
fn bundled_catalogue_matches_the_files() {
    for b in mlplay::datasets::BUNDLED {
        let (code, out, err) = mlplay(&["info", &format!("datasets/{}", b.file), "--json"]);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["rows"], b.rows, "{}", b.id);
        let cols = v["columns"].as_array().unwrap();
        assert_eq!(cols.len(), b.columns, "{}", b.id);
        assert!(
            cols.iter().any(|c| c["name"] == b.target),
            "{} target",
            b.id
        );
    }
}
