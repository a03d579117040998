//! What the Preprocess and Test pages read from a run, computed by the engine: the training
//! targets as fitted, the input columns, and a row typed by the learner in the try-it panel.

use mlplay::engine::pipeline::recipe::{prepare, run, Recipe, RunResult};
use mlplay::engine::{load, ColumnData, LoadOptions, Table};

fn fixture(recipe: &str, data: &str) -> (Table, Recipe) {
    let r = Recipe::from_json(&std::fs::read_to_string(recipe).unwrap()).unwrap();
    let opts = LoadOptions {
        na_values: r.na_values.clone(),
        ..LoadOptions::default()
    };
    let t = load(std::fs::read(data).unwrap().as_slice(), &opts)
        .unwrap()
        .table;
    (t, r)
}

fn titanic() -> (Table, Recipe, RunResult) {
    let (t, r) = fixture("tests/recipes/titanic.json", "datasets/titanic.csv");
    let out = run(&t, &r, &mut |_| {}).unwrap();
    (t, r, out)
}

#[test]
fn input_columns_are_the_used_columns_once_each() {
    let (t, r, out) = titanic();
    let cols = out.input_columns();
    // One-hot columns feed several features but are asked for once.
    let mut unique = cols.clone();
    unique.dedup();
    assert_eq!(unique.len(), cols.len());
    assert!(cols.iter().any(|c| c == "sex") && cols.iter().any(|c| c == "age"));
    for c in &cols {
        assert!(t.column(c).is_some(), "{c} is a column of the file");
        assert!(*c != r.target && !r.exclude.contains(c), "{c} is used");
    }
    let expected = t
        .columns()
        .iter()
        .filter(|c| c.name != r.target && !r.exclude.contains(&c.name))
        .count();
    assert_eq!(cols.len(), expected);
}

#[test]
fn a_typed_test_row_scores_as_the_row_itself() {
    let (t, _, out) = titanic();
    let cols = out.input_columns();
    for &row in out.test_rows.iter().take(25) {
        let typed: Vec<(String, String)> = cols
            .iter()
            .map(|c| (c.clone(), t.column(c).unwrap().display(row)))
            .collect();
        let one = out.typed_row(&t, &typed).unwrap();
        assert_eq!(one.n_rows(), 1);
        let a = out.predict(&one, 0).unwrap();
        let b = out.predict(&t, row).unwrap();
        assert_eq!(a, b, "row {row}");
    }
}

#[test]
fn typed_numbers_are_read_as_the_reader_reads_them() {
    let (t, _, out) = titanic();
    let typed = vec![
        ("age".to_string(), " 22.5 ".to_string()),
        ("fare".to_string(), "cheap".to_string()),
        ("sex".to_string(), " female ".to_string()),
        ("embarked".to_string(), "".to_string()),
    ];
    let one = out.typed_row(&t, &typed).unwrap();
    let num = |name: &str| match &one.column(name).unwrap().data {
        ColumnData::Numeric { values, .. } => values[0],
        _ => panic!("{name} stays numeric"),
    };
    assert_eq!(num("age"), 22.5);
    assert!(num("fare").is_nan(), "text in a numeric field is missing");
    assert_eq!(one.column("sex").unwrap().display(0), "female");
    assert!(one.column("embarked").unwrap().is_missing(0));
    let unknown = vec![("no such column".to_string(), "1".to_string())];
    assert!(out.typed_row(&t, &unknown).is_err());
}

#[test]
fn fit_targets_are_class_codes_or_the_scaled_values_the_models_see() {
    let (t, r, _) = titanic();
    let p = prepare(&t, &r).unwrap();
    let codes = p.fit_targets(&t).unwrap();
    assert_eq!(codes.len(), p.train.len());
    assert!(codes.iter().all(|c| *c == 0.0 || *c == 1.0));

    let (t, r) = fixture("tests/recipes/ames_workshop.json", "datasets/ames.csv");
    let p = prepare(&t, &r).unwrap();
    let y = p.fit_targets(&t).unwrap();
    let raw: Vec<f64> = p.train.iter().map(|&i| p.y[i]).collect();
    match p.preprocessor.target_scaler {
        Some((m, s)) => {
            let mean = y.iter().sum::<f64>() / y.len() as f64;
            assert!(
                mean.abs() < 1e-9,
                "standardised on the training rows: {mean}"
            );
            for (a, b) in y.iter().zip(&raw) {
                assert!((a * s + m - b).abs() <= 1e-6 * b.abs());
            }
        }
        None => assert_eq!(y, raw),
    }
}
