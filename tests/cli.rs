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
    let (code, _, err) = mlplay(&[
        "run",
        "--recipe",
        "tests/recipes/titanic.json",
        "datasets/titanic.csv",
        "--predictions",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--predictions needs a value"), "{err}");
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

#[test]
fn analyze_json_has_the_documented_fields() {
    let (code, out, err) = mlplay(&[
        "analyze",
        "datasets/ames.csv",
        "--target",
        "SalePrice",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"], 2930);
    assert_eq!(v["columns"], 81);
    assert_eq!(v["task"], "regression");
    assert!(v["missing_percent"]["PoolQC"].as_f64().unwrap() > 99.0);
    let mostly: Vec<&str> = v["mostly_missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(mostly, ["Alley", "PoolQC", "Fence", "MiscFeature"]);
    for key in [
        "count",
        "mean",
        "std",
        "min",
        "q1",
        "median",
        "q3",
        "max",
        "iqr_lower",
        "iqr_upper",
        "outliers_below",
        "outliers_above",
    ] {
        assert!(v["target"][key].is_number(), "target.{key}");
    }
    assert!(
        v["correlation_with_target"]["OverallQual"]
            .as_f64()
            .unwrap()
            > 0.7
    );
    assert_eq!(v["high_correlation"]["threshold"], 0.8);
    let pair = &v["high_correlation"]["pairs"][0];
    assert!(pair["a"].is_string() && pair["b"].is_string() && pair["r"].is_number());
    assert_eq!(v["cramers_v"]["threshold"], 0.5);
    // On the house prices every categorical pair above the threshold rests on too little
    // evidence (rare categories, or Alley's 198 rows): they are listed as unreliable.
    let pair = &v["cramers_v"]["unreliable"][0];
    for key in ["a", "b", "v", "n", "low_expected", "reliable"] {
        assert!(!pair[key].is_null(), "cramers_v.unreliable[0].{key}");
    }
    assert_eq!(v["cramers_v"]["pairs"], serde_json::json!([]));
    assert!(v["findings"].as_array().unwrap().len() >= 10);
}

#[test]
fn analyze_strongest_feature_is_overall_quality() {
    let (_, out, _) = mlplay(&[
        "analyze",
        "datasets/ames.csv",
        "--target",
        "SalePrice",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let corr = v["correlation_with_target"].as_object().unwrap();
    let measures = v["correlation_measure"].as_object().unwrap();
    let best = corr
        .iter()
        .filter(|(k, _)| measures[k.as_str()] == "pearson")
        .max_by(|a, b| a.1.as_f64().unwrap().total_cmp(&b.1.as_f64().unwrap()))
        .unwrap();
    assert_eq!(best.0, "OverallQual");
}

#[test]
fn analyze_errors_are_clear() {
    let (code, _, err) = mlplay(&["analyze", "datasets/ames.csv", "--target", "Nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("no column named 'Nope'"), "{err}");
    let (code, _, err) = mlplay(&["analyze", "datasets/ames.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("--target"), "{err}");
    let (code, _, _) = mlplay(&[
        "analyze",
        "datasets/ames.csv",
        "--target",
        "SalePrice",
        "--corr-threshold",
        "x",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn run_prints_split_and_model_metrics() {
    let (code, out, err) = mlplay(&[
        "run",
        "--recipe",
        "tests/recipes/ames_workshop.json",
        "datasets/ames.csv",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["split"]["test"], 879); // ceil(0.3 × 2930)
    assert_eq!(v["split"]["train"], 2051);
    assert!(v["split"]["train_after_filters"].as_u64().unwrap() < 2051);
    let m = &v["models"][0];
    assert_eq!(m["kind"], "elastic_net");
    assert_eq!(m["params"]["l1_ratio"], 0.05);
    for key in ["rmse", "mae", "r2", "mape"] {
        assert!(
            m["test"][key].is_number() && m["train"][key].is_number(),
            "{key}"
        );
    }
}

#[test]
fn run_rejects_bad_recipes_clearly() {
    let dir = std::env::temp_dir().join(format!("mlplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"version": 1, "target": "SalePrice", "models": [{"kind": "elastic_net", "l1_ratio": 7}]}"#).unwrap();
    let (code, _, err) = mlplay(&[
        "run",
        "--recipe",
        bad.to_str().unwrap(),
        "datasets/ames.csv",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("models[0]: l1_ratio must be a number from 0 to 1, not 7"),
        "{err}"
    );
    std::fs::write(
        &bad,
        r#"{"version": 1, "target": "SalePrice", "modelz": []}"#,
    )
    .unwrap();
    let (code, _, err) = mlplay(&[
        "run",
        "--recipe",
        bad.to_str().unwrap(),
        "datasets/ames.csv",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("modelz"), "{err}");
    let (code, _, _) = mlplay(&["run", "datasets/ames.csv"]);
    assert_eq!(code, 2);
}

#[test]
fn html_report_is_standalone_and_follows_the_workshop_order() {
    let (code, out, err) = mlplay(&[
        "report",
        "--recipe",
        "tests/recipes/titanic.json",
        "datasets/titanic.csv",
        "--format",
        "html",
    ]);
    assert_eq!(code, 0, "{err}");
    // Nothing to fetch: no script, no stylesheet link, no address but the SVG namespace.
    assert!(!out.contains("<script") && !out.contains("<link"));
    let addresses = out.matches("http").count();
    assert_eq!(addresses, out.matches("http://www.w3.org/2000/svg").count());
    assert!(out.contains("@page { size: A4"));
    let order: Vec<usize> = [
        "id=\"business\"",
        "id=\"analyze\"",
        "id=\"prepare\"",
        "id=\"preprocess\"",
        "id=\"train\"",
        "id=\"test\"",
        "id=\"conversations\"",
    ]
    .iter()
    .map(|id| out.find(id).unwrap_or_else(|| panic!("{id} missing")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(out.contains("<figure id=\"chart-payback\"") && out.contains("<svg"));
    // The classifier's verdicts against the default threshold are stated.
    assert!(out.contains("Logistic regression (C=1)"));
}

#[test]
fn markdown_report_is_a_zip_with_its_charts() {
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args([
            "report",
            "--recipe",
            "tests/recipes/ames_workshop.json",
            "datasets/ames.csv",
            "--format",
            "md",
            "--lang",
            "ja",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let z = out.stdout;
    assert_eq!(&z[..4], b"PK\x03\x04");
    // report.md comes first; every chart it links to is stored in the archive.
    let md_len = u32::from_le_bytes([z[22], z[23], z[24], z[25]]) as usize;
    let md = String::from_utf8(z[39..39 + md_len].to_vec()).unwrap();
    assert!(md.starts_with("# mlplay レポート — ames.csv"));
    let text = String::from_utf8_lossy(&z);
    for link in md.split("](charts/").skip(1) {
        let file = &link[..link.find(')').unwrap()];
        assert!(text.contains(&format!("charts/{file}")), "{file}");
    }
    assert!(md.contains("](charts/payback.svg)"));
}

#[test]
fn report_refuses_an_unknown_format_and_language() {
    let (code, _, err) = mlplay(&[
        "report",
        "--recipe",
        "tests/recipes/titanic.json",
        "datasets/titanic.csv",
        "--format",
        "pdf",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("html, md, ipynb, pyspark"), "{err}");
    let (code, _, err) = mlplay(&[
        "report",
        "--recipe",
        "tests/recipes/titanic.json",
        "datasets/titanic.csv",
        "--format",
        "html",
        "--lang",
        "fr",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown language"), "{err}");
}

#[test]
fn the_notebook_builds_estimators_from_the_model_catalogue() {
    let (code, out, err) = mlplay(&[
        "report",
        "--recipe",
        "tests/recipes/titanic.json",
        "datasets/titanic.csv",
        "--format",
        "ipynb",
    ]);
    assert_eq!(code, 0, "{err}");
    let nb: serde_json::Value = serde_json::from_str(&out).unwrap();
    let code: String = nb["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["cell_type"] == "code")
        .flat_map(|c| c["source"].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(!code.contains("__ESTIMATORS__") && !code.contains("__SCALED_TARGET_KINDS__"));
    assert!(code.contains("from sklearn.naive_bayes import GaussianNB\n"));
    assert!(
        code.contains("    \"logistic_regression\": {\"classification\": LogisticRegression},\n")
    );
    assert!(
        code.contains("LINEAR = {\"linear_regression\", \"ridge\", \"lasso\", \"elastic_net\"}")
    );
    assert!(code.contains("return ESTIMATORS[spec[\"kind\"]][TASK](**params)"));
}

#[test]
fn a_model_parameter_out_of_range_is_named() {
    let dir = std::env::temp_dir().join(format!("mlplay-cat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let recipe = dir.join("r.json");
    std::fs::write(
        &recipe,
        r#"{"version": 1, "target": "survived", "task": "classification", "models": [{"kind": "random_forest", "max_features": 1.5}]}"#,
    )
    .unwrap();
    let (code, _, err) = mlplay(&[
        "run",
        "--recipe",
        recipe.to_str().unwrap(),
        "datasets/titanic.csv",
        "--json",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("models[0]: max_features must be a number above 0 and at most 1, not 1.5"),
        "{err}"
    );
    std::fs::write(
        &recipe,
        r#"{"version": 1, "target": "survived", "task": "classification", "models": [{"kind": "random_forest", "n_estimators": 2.5}]}"#,
    )
    .unwrap();
    let (code, _, err) = mlplay(&[
        "run",
        "--recipe",
        recipe.to_str().unwrap(),
        "datasets/titanic.csv",
    ]);
    assert_ne!(code, 0);
    assert!(
        err.contains("random_forest: n_estimators must be a whole number"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A CSV whose header and values hold terminal control sequences (ESC, CSI, DEL, a C1 control,
/// a bidirectional override), written to a scratch folder.
fn control_character_csv() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("control-characters");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("controls.csv");
    let mut csv = String::from(
        "\"\x1b[31mred\x1b]0;title\x07\",\"del\x7fc1\u{9b}2J\",\"rtl\u{202e}txt\",y\n",
    );
    for i in 0..30 {
        csv.push_str(&format!("{i},\"v\x1b[2J{}\",w{},{}\n", i % 3, i % 2, i * 2));
    }
    std::fs::write(&path, csv).unwrap();
    path
}

fn assert_no_raw_controls(text: &str, what: &str) {
    for c in text.chars() {
        let raw = (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c);
        assert!(
            !raw,
            "{what}: raw control character U+{:04X} in {text:?}",
            c as u32
        );
    }
}

#[test]
fn info_and_analyze_show_control_characters_escaped() {
    let path = control_character_csv();
    let p = path.to_str().unwrap();
    let (code, out, err) = mlplay(&["info", p]);
    assert_eq!(code, 0, "{err}");
    assert_no_raw_controls(&out, "info");
    assert!(out.contains("\\u{1b}[31mred"), "{out}");
    assert!(out.contains("\\u{7f}") && out.contains("\\u{9b}") && out.contains("\\u{202e}"));
    let (code, out, err) = mlplay(&["analyze", p, "--target", "y"]);
    assert_eq!(code, 0, "{err}");
    assert_no_raw_controls(&out, "analyze");
    // The text output stays JSON that reads back to the real names.
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["missing_percent"]
        .as_object()
        .unwrap()
        .contains_key("del\x7fc1\u{9b}2J"));
    // An error that quotes a name escapes it too.
    let (code, _, err) = mlplay(&["analyze", p, "--target", "no\x1b[2Jsuch"]);
    assert_eq!(code, 1);
    assert_no_raw_controls(&err, "stderr");
    assert!(err.contains("no\\u{1b}[2Jsuch"), "{err}");
}
