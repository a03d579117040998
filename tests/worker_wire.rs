//! What crosses between the page and the worker (gloo-worker's bincode codec) comes back equal:
//! a parsed table and a run result of each task.
#![cfg(not(target_arch = "wasm32"))]

use mlplay::engine::recipe::{run, Recipe, RunResult};
use mlplay::engine::{load, LoadOptions, Table};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(v: &T) -> T {
    bincode::deserialize(&bincode::serialize(v).expect("serialize")).expect("deserialize")
}

#[test]
fn tables_with_missing_values_cross_the_worker_boundary() {
    let t = load(
        std::fs::read("datasets/titanic.csv").unwrap().as_slice(),
        &LoadOptions::default(),
    )
    .unwrap()
    .table;
    let back: Table = round_trip(&t);
    // NaN != NaN, so compare what the app shows.
    assert_eq!(back.n_rows(), t.n_rows());
    for (a, b) in back.columns().iter().zip(t.columns()) {
        assert_eq!(a.name, b.name);
        assert!((0..t.n_rows())
            .all(|r| a.display(r) == b.display(r) && a.is_missing(r) == b.is_missing(r)));
    }
}

#[test]
fn run_results_cross_the_worker_boundary() {
    for (recipe, data) in [
        ("tests/recipes/titanic.json", "datasets/titanic.csv"),
        ("tests/recipes/penguins.json", "datasets/penguins.csv"),
    ] {
        let r = Recipe::from_json(&std::fs::read_to_string(recipe).unwrap()).unwrap();
        let opts = LoadOptions {
            na_values: r.na_values.clone(),
            ..LoadOptions::default()
        };
        let t = load(std::fs::read(data).unwrap().as_slice(), &opts)
            .unwrap()
            .table;
        let out = run(&t, &r, &mut |_| {}).unwrap();
        let back: RunResult = round_trip(&out);
        // Without a clock the fit times are NaN (never equal to themselves): compare the bytes.
        assert_eq!(
            bincode::serialize(&back).unwrap(),
            bincode::serialize(&out).unwrap(),
            "{recipe}"
        );
        assert_eq!(back.models.len(), out.models.len());
        assert_eq!(back.preprocessor, out.preprocessor);
    }
}
