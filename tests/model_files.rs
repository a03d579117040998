//! Trained models leave the engine as JSON files: `mlplay run --save-models` writes one per
//! model, and `mlplay predict` scores the test rows with exactly the predictions the run (the
//! same code the browser worker runs) made, for every model kind of both tasks.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use mlplay::engine::data::csv_out::rows_to_csv;
use mlplay::engine::model_file::{ModelFile, Predictions};
use mlplay::engine::pipeline::preprocess::Feature;
use mlplay::engine::pipeline::recipe::{run, Fitted, Recipe, RunResult};
use mlplay::engine::{load, LoadOptions, Table};

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

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every model kind of a task, small enough to run quickly in a debug build.
fn all_kinds_recipe(base: &str, models: &str) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    v["models"] = serde_json::from_str(models).unwrap();
    v.to_string()
}

const REGRESSION_MODELS: &str = r#"[
  {"kind": "linear_regression"}, {"kind": "ridge", "alpha": 3.0}, {"kind": "lasso", "alpha": 0.01},
  {"kind": "elastic_net", "alpha": 1.0, "l1_ratio": 0.05},
  {"kind": "decision_tree", "max_depth": 8, "random_state": 1},
  {"kind": "random_forest", "n_estimators": 8, "max_features": 0.5, "random_state": 2},
  {"kind": "k_neighbors", "n_neighbors": 7}]"#;

const CLASSIFICATION_MODELS: &str = r#"[
  {"kind": "logistic_regression", "C": 0.5},
  {"kind": "decision_tree", "max_depth": 6, "random_state": 1},
  {"kind": "random_forest", "n_estimators": 8, "max_features": 0.5, "random_state": 2},
  {"kind": "k_neighbors", "n_neighbors": 5}, {"kind": "gaussian_nb"}]"#;

fn table_for(recipe: &Recipe, data: &str) -> Table {
    let opts = LoadOptions {
        na_values: recipe.na_values.clone(),
        ..LoadOptions::default()
    };
    load(std::fs::read(data).unwrap().as_slice(), &opts)
        .unwrap()
        .table
}

/// Save every model of the recipe with the CLI, score the raw test rows with `mlplay predict`,
/// and compare with the run's own test predictions.
fn predict_reproduces_the_run(name: &str, recipe_text: &str, data: &str) {
    let dir = scratch(name);
    let recipe_path = dir.join("recipe.json");
    std::fs::write(&recipe_path, recipe_text).unwrap();
    let models_dir = dir.join("models");
    let run_predictions = dir.join("run-predictions.csv");
    let (code, _, err) = mlplay(&[
        "run",
        "--recipe",
        recipe_path.to_str().unwrap(),
        data,
        "--json",
        "--save-models",
        models_dir.to_str().unwrap(),
        "--predictions",
        run_predictions.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut rdr = csv::Reader::from_path(&run_predictions).unwrap();
    let run_headers = rdr.headers().unwrap().clone();
    let run_rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();

    let recipe = Recipe::from_json(recipe_text).unwrap();
    let table = table_for(&recipe, data);
    let result: RunResult = run(&table, &recipe, &mut |_| {}).unwrap();
    let test_csv = dir.join("test.csv");
    std::fs::write(&test_csv, rows_to_csv(&table, &result.test_rows)).unwrap();

    for (i, m) in result.models.iter().enumerate() {
        let model_path = models_dir.join(format!("model-{}-{}.json", i + 1, m.kind));
        assert!(model_path.exists(), "{model_path:?}");
        let out = dir.join(format!("pred-{i}.csv"));
        let (code, _, err) = mlplay(&[
            "predict",
            "--model",
            model_path.to_str().unwrap(),
            test_csv.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{}: {err}", m.kind);
        let mut rdr = csv::Reader::from_path(&out).unwrap();
        let headers = rdr.headers().unwrap().clone();
        let at = headers.iter().position(|h| h == "prediction").unwrap();
        assert_eq!(at, table.n_cols(), "prediction follows the input columns");
        let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), m.test_predictions.len(), "{}", m.kind);
        assert_eq!(run_rows.len(), records.len(), "{}", m.kind);
        // The run's --predictions columns of this model: the prediction, then (classifier)
        // one probability per class.
        let name = format!("model-{}-{}", i + 1, m.kind);
        let first = run_headers.iter().position(|h| h == name).unwrap();
        for (row, (rec, want)) in records.iter().zip(&m.test_predictions).enumerate() {
            assert_eq!(
                run_rows[row][0],
                result.test_rows[row].to_string(),
                "--predictions row {row}"
            );
            if result.classes.is_empty() {
                // The file holds every number bit for bit: the same value, not a close one.
                let g: f64 = rec[at].parse().unwrap();
                assert_eq!(g, *want, "{} row {row}", m.kind);
                let r: f64 = run_rows[row][first].parse().unwrap();
                assert_eq!(r, *want, "{} row {row} (--predictions)", m.kind);
            } else {
                let label = &result.classes[*want as usize];
                assert_eq!(&rec[at], label, "{} row {row}", m.kind);
                assert_eq!(&run_rows[row][first], label, "{} row {row}", m.kind);
                for k in 0..result.classes.len() {
                    let p: f64 = rec[at + 1 + k].parse().unwrap();
                    let q: f64 = run_rows[row][first + 1 + k].parse().unwrap();
                    assert_eq!(p, q, "{} row {row} class {k}", m.kind);
                }
            }
        }
        if !result.classes.is_empty() {
            // One probability column per class, each row summing to 1.
            let n = result.classes.len();
            assert_eq!(headers.len(), table.n_cols() + 1 + n);
            for r in csv::Reader::from_path(&out).unwrap().records() {
                let r = r.unwrap();
                let s: f64 = (0..n).map(|k| r[at + 1 + k].parse::<f64>().unwrap()).sum();
                assert!((s - 1.0).abs() < 1e-9, "{}: {s}", m.kind);
            }
        }
    }
}

#[test]
fn every_regression_kind_predicts_the_same_test_values_from_its_file() {
    let recipe = all_kinds_recipe("tests/recipes/ames_workshop.json", REGRESSION_MODELS);
    predict_reproduces_the_run("ames", &recipe, "datasets/ames.csv");
}

#[test]
fn every_classification_kind_predicts_the_same_test_classes_from_its_file() {
    let recipe = all_kinds_recipe("tests/recipes/titanic.json", CLASSIFICATION_MODELS);
    predict_reproduces_the_run("titanic", &recipe, "datasets/titanic.csv");
}

fn titanic_model(models: &str) -> (ModelFile, Table) {
    let text = all_kinds_recipe("tests/recipes/titanic.json", models);
    let recipe = Recipe::from_json(&text).unwrap();
    let table = table_for(&recipe, "datasets/titanic.csv");
    let result = run(&table, &recipe, &mut |_| {}).unwrap();
    let m = ModelFile::from_run(&result, &recipe, 0).unwrap();
    (ModelFile::from_json(&m.to_json().unwrap()).unwrap(), table)
}

#[test]
fn a_model_file_reads_back_equal_and_names_its_kind() {
    let (m, _) = titanic_model(r#"[{"kind": "logistic_regression"}]"#);
    assert_eq!(m.kind(), "logistic_regression");
    assert_eq!(m.recipe.models.len(), 1);
    assert_eq!(m.classes, ["0", "1"]);
    assert!(m.metrics["test"]["accuracy"].as_f64().unwrap() > 0.7);
    assert!(m.input_columns().contains(&"sex"));
    assert!(!m.input_columns().contains(&"survived"));
}

#[test]
fn unseen_categories_and_missing_values_are_scored_missing_columns_are_named() {
    let (m, table) = titanic_model(r#"[{"kind": "logistic_regression"}]"#);
    let rows: Vec<serde_json::Value> = vec![
        serde_json::json!({"pclass": 1, "sex": "female", "age": 30, "sibsp": 0, "parch": 0,
                           "fare": 80.0, "embarked": "S"}),
        // A category never seen in training, and missing numbers: imputed, not refused.
        serde_json::json!({"pclass": 3, "sex": "robot", "age": null, "sibsp": "", "parch": 0,
                           "fare": null, "embarked": null}),
    ];
    let t = m.table_from_json_rows(&rows).unwrap();
    match m.predict(&t).unwrap() {
        Predictions::Classes {
            labels,
            probabilities,
        } => {
            assert_eq!(labels.len(), 2);
            // A first-class woman was likely to survive.
            assert_eq!(labels[0], "1");
            assert!(probabilities.iter().flatten().all(|p| p.is_finite()));
        }
        other => panic!("{other:?}"),
    }
    // Wrong kinds and absent columns are refused with the row and column named.
    let bad = vec![
        serde_json::json!({"pclass": "first", "sex": "male", "age": 1, "sibsp": 0,
                                      "parch": 0, "fare": 1, "embarked": "S"}),
    ];
    let e = m.table_from_json_rows(&bad).unwrap_err().to_string();
    assert!(e.contains("row 0") && e.contains("pclass"), "{e}");
    let e = m
        .table_from_json_rows(&[serde_json::json!({"sex": "male"})])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("row 0") && e.contains("no value for column"),
        "{e}"
    );
    // A file without some of the model's columns: every missing one is named.
    let cols: Vec<_> = table
        .columns()
        .iter()
        .filter(|c| c.name != "age" && c.name != "fare")
        .cloned()
        .collect();
    let e = m
        .predict(&Table::new(cols).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("2 column(s)") && e.contains("age") && e.contains("fare"),
        "{e}"
    );
}

#[test]
fn a_file_with_the_features_in_another_order_scores_the_same() {
    // Files written before the notebook's feature order (categorical columns sorted by name)
    // hold the categorical features in file order: the preprocessing and the coefficients
    // travel together, so such a file scores as the current one does.
    let (m, table) = titanic_model(r#"[{"kind": "logistic_regression"}]"#);
    let names = m.preprocessor.input_columns();
    // Numbers in file order, then the categorical columns sorted by name.
    assert_eq!(
        names,
        ["pclass", "age", "sibsp", "parch", "fare", "embarked", "sex"]
    );
    // The same model with the last two feature blocks (and their weights) swapped.
    let widths: Vec<usize> = m
        .preprocessor
        .features
        .iter()
        .map(|f| match f {
            Feature::OneHot { categories, .. } => categories.len(),
            _ => 1,
        })
        .collect();
    let n = widths.len();
    let (a, b) = (widths[n - 2], widths[n - 1]);
    let split = m.preprocessor.output_names.len() - a - b;
    let swap = |v: &[f64]| -> Vec<f64> {
        let mut out = v[..split].to_vec();
        out.extend_from_slice(&v[split + a..split + a + b]);
        out.extend_from_slice(&v[split..split + a]);
        out.extend_from_slice(&v[split + a + b..]);
        out
    };
    let mut old = m.clone();
    old.preprocessor.features.swap(n - 2, n - 1);
    let names: Vec<f64> = (0..m.preprocessor.output_names.len())
        .map(|i| i as f64)
        .collect();
    old.preprocessor.output_names = swap(&names)
        .iter()
        .map(|&i| m.preprocessor.output_names[i as usize].clone())
        .collect();
    match &mut old.model {
        Fitted::Logistic(l) => {
            for w in &mut l.weights {
                *w = swap(w);
            }
        }
        other => panic!("{other:?}"),
    }
    let old = ModelFile::from_json(&old.to_json().unwrap()).unwrap();
    assert_ne!(old.preprocessor, m.preprocessor);
    let (
        Predictions::Classes {
            probabilities: p, ..
        },
        Predictions::Classes {
            probabilities: q, ..
        },
    ) = (m.predict(&table).unwrap(), old.predict(&table).unwrap())
    else {
        panic!("a classifier predicts classes");
    };
    assert_eq!(p.len(), table.n_rows());
    for (r, (x, y)) in p.iter().zip(&q).enumerate() {
        for (a, b) in x.iter().zip(y) {
            // Only the order of the additions in the dot product differs.
            assert!((a - b).abs() <= 1e-12, "row {r}: {a} vs {b}");
        }
    }
}

#[test]
fn predict_refuses_other_json_and_newer_versions_clearly() {
    let dir = scratch("bad-models");
    let cases = [
        (
            "recipe.json",
            r#"{"version": 1, "target": "x"}"#,
            "not an mlplay model file",
        ),
        (
            "future.json",
            r#"{"format": "mlplay-model", "version": 9}"#,
            "version 9",
        ),
        ("broken.json", r#"{"format": "#, "line 1"),
    ];
    for (name, text, expect) in cases {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        let (code, _, err) = mlplay(&[
            "predict",
            "--model",
            p.to_str().unwrap(),
            "datasets/titanic.csv",
        ]);
        assert_eq!(code, 1, "{name}");
        assert!(err.contains(expect), "{name}: {err}");
    }
    let (code, _, err) = mlplay(&["predict", "datasets/titanic.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("--model"), "{err}");
}

/// Run mlplay with a deadline: a hang is a failure (exit code -9 and a message on stderr), not
/// a stuck test run. Standard output goes to `stdout` when given (a file such as /dev/full).
fn mlplay_within(
    args: &[&str],
    seconds: u64,
    stdout: Option<std::fs::File>,
) -> (i32, String, String) {
    use std::io::Read;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mlplay"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(std::process::Stdio::piped());
    match stdout {
        Some(f) => cmd.stdout(f),
        None => cmd.stdout(std::process::Stdio::piped()),
    };
    let mut child = cmd.spawn().expect("run mlplay");
    // Drain both pipes on threads so that a large output cannot block the child.
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(p) = out_pipe.as_mut() {
            let _ = p.read_to_end(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return (
                -9,
                String::new(),
                format!("did not finish within {seconds} s (a hang)"),
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned(),
        String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned(),
    )
}

/// A small table with two numbers, a category, a numeric target `y` and a three-class target
/// `kind`, written to `dir/data.csv`; and model files trained on it, as JSON values.
fn small_models(dir: &Path) -> (PathBuf, Vec<(String, serde_json::Value)>) {
    let mut csv = String::from("x1,x2,colour,y,kind\n");
    for i in 0..90 {
        let colour = ["red", "green", "blue"][i % 3];
        let kind = ["a", "b", "c"][(i / 3) % 3];
        let x1 = (i as f64 * 0.37).sin() * 10.0;
        let x2 = (i % 11) as f64;
        let y = 2.0 * x1 - x2 + (i % 5) as f64;
        csv.push_str(&format!("{x1},{x2},{colour},{y},{kind}\n"));
    }
    let data = dir.join("data.csv");
    std::fs::write(&data, &csv).unwrap();
    let table = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
    let mut out = Vec::new();
    for (target, exclude, models) in [
        (
            "y",
            "kind",
            r#"[{"kind": "decision_tree", "max_depth": 4}, {"kind": "random_forest", "n_estimators": 3},
                {"kind": "linear_regression"}, {"kind": "k_neighbors", "n_neighbors": 3}]"#,
        ),
        (
            "kind",
            "y",
            r#"[{"kind": "logistic_regression"}, {"kind": "gaussian_nb"},
                {"kind": "decision_tree", "max_depth": 3}]"#,
        ),
    ] {
        let recipe = Recipe::from_json(&format!(
            r#"{{"version": 1, "target": "{target}", "exclude": ["{exclude}"], "models": {models}}}"#
        ))
        .unwrap();
        let result = run(&table, &recipe, &mut |_| {}).unwrap();
        for i in 0..recipe.models.len() {
            let m = ModelFile::from_run(&result, &recipe, i).unwrap();
            let name = format!("{target}-{}", m.kind());
            out.push((name, serde_json::from_str(&m.to_json().unwrap()).unwrap()));
        }
    }
    (data, out)
}

fn model_value(models: &[(String, serde_json::Value)], name: &str) -> serde_json::Value {
    models
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no model {name}"))
        .1
        .clone()
}

#[test]
fn broken_model_files_are_refused_with_what_is_wrong_never_a_panic_or_a_hang() {
    let dir = scratch("broken-structure");
    let (data, models) = small_models(&dir);
    // Every good file scores.
    for (name, v) in &models {
        let p = dir.join(format!("{name}.json"));
        std::fs::write(&p, v.to_string()).unwrap();
        let (code, out, err) = mlplay_within(
            &[
                "predict",
                "--model",
                p.to_str().unwrap(),
                data.to_str().unwrap(),
            ],
            60,
            None,
        );
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(out.lines().count(), 91, "{name}");
    }
    type Edit = fn(&mut serde_json::Value);
    let cases: Vec<(&str, &str, Edit, &[&str])> = vec![
        (
            "child-out-of-range",
            "y-decision_tree",
            |v| v["model"]["forest"]["trees"][0]["nodes"][0]["Split"]["left"] = 9999.into(),
            &["trees[0].nodes[0]", "9999"],
        ),
        (
            "feature-past-the-inputs",
            "y-decision_tree",
            |v| v["model"]["forest"]["trees"][0]["nodes"][0]["Split"]["feature"] = 50.into(),
            &["trees[0].nodes[0]", "feature 50"],
        ),
        (
            "child-is-itself",
            "y-decision_tree",
            |v| v["model"]["forest"]["trees"][0]["nodes"][0]["Split"]["right"] = 0.into(),
            &["trees[0].nodes[0]", "loop"],
        ),
        (
            "child-is-an-ancestor",
            "kind-decision_tree",
            |v| {
                // Node 1 is the root's left child; make its own child point back to it.
                let nodes = &mut v["model"]["forest"]["trees"][0]["nodes"];
                let parent = (0..nodes.as_array().unwrap().len())
                    .find(|&i| {
                        i > 1
                            && nodes[i]["Split"].is_object()
                            && (nodes[1]["Split"]["left"] == i || nodes[1]["Split"]["right"] == i)
                    })
                    .expect("a split below node 1");
                nodes[parent]["Split"]["left"] = 1.into();
            },
            &["trees[0].nodes[", "loop"],
        ),
        (
            "empty-forest",
            "y-random_forest",
            |v| v["model"]["forest"]["trees"] = serde_json::json!([]),
            &["trees", "empty"],
        ),
        (
            "empty-tree",
            "kind-decision_tree",
            |v| v["model"]["forest"]["trees"][0]["nodes"] = serde_json::json!([]),
            &["trees[0].nodes", "empty"],
        ),
        (
            "leaf-of-the-wrong-size",
            "kind-decision_tree",
            |v| {
                let nodes = v["model"]["forest"]["trees"][0]["nodes"]
                    .as_array_mut()
                    .unwrap();
                let leaf = nodes.iter_mut().find(|n| n["Leaf"].is_object()).unwrap();
                leaf["Leaf"]["value"] = serde_json::json!([1.0]);
            },
            &["value", "has 1 entry", "expected 3"],
        ),
        (
            "empty-linear-weights",
            "y-linear_regression",
            |v| v["model"]["linear"]["coef"] = serde_json::json!([]),
            &["model.linear.coef", "has 0 entries"],
        ),
        (
            "logistic-without-weights",
            "kind-logistic_regression",
            |v| v["model"]["logistic"]["weights"] = serde_json::json!([]),
            &["model.logistic.weights", "0"],
        ),
        (
            "logistic-short-weight-row",
            "kind-logistic_regression",
            |v| v["model"]["logistic"]["weights"][1] = serde_json::json!([]),
            &["model.logistic.weights[1]", "has 0 entries"],
        ),
        (
            "logistic-classes-disagree",
            "kind-logistic_regression",
            |v| v["classes"] = serde_json::json!(["a", "b"]),
            &["classes"],
        ),
        (
            "neighbours-without-rows",
            "y-k_neighbors",
            |v| {
                v["model"]["knn"]["x"] = serde_json::json!([]);
                v["model"]["knn"]["y"] = serde_json::json!([]);
            },
            &["model.knn.x", "empty"],
        ),
        (
            "neighbours-k-zero",
            "y-k_neighbors",
            |v| v["model"]["knn"]["k"] = 0.into(),
            &["model.knn.k"],
        ),
        (
            "neighbours-labels-short",
            "y-k_neighbors",
            |v| {
                v["model"]["knn"]["y"].as_array_mut().unwrap().pop();
            },
            &["model.knn.y"],
        ),
        (
            "naive-bayes-zero-variance",
            "kind-gaussian_nb",
            |v| v["model"]["naive_bayes"]["vars"][0][0] = 0.0.into(),
            &["model.naive_bayes.vars[0][0]"],
        ),
        (
            "naive-bayes-missing-class",
            "kind-gaussian_nb",
            |v| {
                v["model"]["naive_bayes"]["log_priors"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            &["model.naive_bayes.log_priors"],
        ),
        (
            "unsorted-categories",
            "y-linear_regression",
            |v| {
                let features = v["preprocessor"]["features"].as_array_mut().unwrap();
                let f = features
                    .iter_mut()
                    .find(|f| f["Ordinal"].is_object())
                    .unwrap();
                f["Ordinal"]["categories"] = serde_json::json!(["red", "blue", "green"]);
            },
            &["categories"],
        ),
        (
            "zero-scale",
            "y-linear_regression",
            |v| v["preprocessor"]["features"][0]["Numeric"]["scale"] = 0.0.into(),
            &["preprocessor.features[0]", "scale"],
        ),
        (
            "output-names-disagree",
            "y-linear_regression",
            |v| {
                v["preprocessor"]["output_names"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            &["preprocessor.output_names"],
        ),
        (
            "model-of-another-kind",
            "y-linear_regression",
            |v| v["recipe"]["models"] = serde_json::json!([{"kind": "k_neighbors"}]),
            &["recipe.models", "k_neighbors"],
        ),
        (
            "regressor-in-a-classification-file",
            "y-linear_regression",
            |v| {
                v["task"] = "classification".into();
                v["classes"] = serde_json::json!(["a", "b"]);
            },
            &["model"],
        ),
    ];
    // Every case runs; the failures are reported together.
    let mut failures = Vec::new();
    for (case, base, edit, expect) in cases {
        let mut v = model_value(&models, base);
        edit(&mut v);
        let p = dir.join(format!("{case}.json"));
        std::fs::write(&p, v.to_string()).unwrap();
        let (code, out, err) = mlplay_within(
            &[
                "predict",
                "--model",
                p.to_str().unwrap(),
                data.to_str().unwrap(),
            ],
            20,
            None,
        );
        let mut problems = Vec::new();
        if err.contains("panicked") || code != 1 || !out.is_empty() {
            problems.push(format!(
                "predict exit {code}, stderr {:?}, stdout {:?}",
                err.lines().take(3).collect::<Vec<_>>(),
                out.lines().take(2).collect::<Vec<_>>()
            ));
        }
        for e in expect {
            if !err.contains(e) {
                problems.push(format!("no “{e}” in the message"));
            }
        }
        // The server refuses the same file before it listens.
        let (code, _, err) = mlplay_within(
            &[
                "serve",
                "--model",
                p.to_str().unwrap(),
                "--addr",
                "127.0.0.1:0",
            ],
            5,
            None,
        );
        if code != 1 || err.contains("panicked") {
            problems.push(format!("serve exit {code}: {:?}", err.lines().next()));
        }
        // The library refuses it with the model-file heading.
        match ModelFile::from_json(&v.to_string()) {
            Err(e) if e.category() == mlplay::engine::Category::ModelFile => {}
            other => problems.push(format!(
                "from_json gave {:?}",
                other.map(|m| m.kind().to_string())
            )),
        }
        if !problems.is_empty() {
            failures.push(format!("{case}: {}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_failed_write_is_an_error_not_a_silent_success() {
    let dir = scratch("write-errors");
    let (data, models) = small_models(&dir);
    let p = dir.join("model.json");
    std::fs::write(&p, model_value(&models, "y-linear_regression").to_string()).unwrap();
    let full = || {
        Some(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
    };
    let (code, _, err) = mlplay_within(
        &[
            "predict",
            "--model",
            p.to_str().unwrap(),
            data.to_str().unwrap(),
        ],
        60,
        full(),
    );
    assert_eq!(code, 1, "predict to a full disk: {err}");
    assert!(err.contains("standard output"), "{err}");
    let (code, _, err) = mlplay_within(
        &[
            "predict",
            "--model",
            p.to_str().unwrap(),
            data.to_str().unwrap(),
            "--out",
            "/dev/full",
        ],
        60,
        None,
    );
    assert_eq!(code, 1, "predict --out /dev/full: {err}");
    assert!(err.contains("/dev/full"), "{err}");
    let recipe = dir.join("recipe.json");
    std::fs::write(
        &recipe,
        r#"{"version": 1, "target": "y", "exclude": ["kind"], "models": [{"kind": "ridge"}]}"#,
    )
    .unwrap();
    for args in [
        vec![
            "run",
            "--recipe",
            recipe.to_str().unwrap(),
            data.to_str().unwrap(),
            "--json",
        ],
        vec!["info", data.to_str().unwrap()],
        vec!["analyze", data.to_str().unwrap(), "--target", "y"],
        vec![
            "report",
            "--recipe",
            recipe.to_str().unwrap(),
            data.to_str().unwrap(),
            "--format",
            "html",
        ],
    ] {
        let (code, _, err) = mlplay_within(&args, 120, full());
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains("standard output"), "{args:?}: {err}");
    }
    let (code, _, err) = mlplay_within(
        &[
            "run",
            "--recipe",
            recipe.to_str().unwrap(),
            data.to_str().unwrap(),
            "--predictions",
            "/dev/full",
        ],
        120,
        None,
    );
    assert_eq!(code, 1, "run --predictions /dev/full: {err}");
}
