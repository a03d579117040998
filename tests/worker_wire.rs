//! What crosses between the page and the engine worker (`mlplay::wire`) comes back equal — a
//! parsed table and a run result of each task — and the worker's request handling answers every
//! request, readable or not, with one final reply after its progress.
#![cfg(not(target_arch = "wasm32"))]

use mlplay::engine::pipeline::recipe::{run, Recipe, RunResult};
use mlplay::engine::{load, LoadOptions, Table};

use mlplay::wire::{decode, encode, handle_bytes, WorkerReply, WorkerRequest};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(v: &T) -> T {
    decode(&encode(v).expect("serialize")).expect("deserialize")
}

/// Send `request` through the codec into the worker's handler; collect the decoded replies.
fn ask(request: &WorkerRequest) -> Vec<WorkerReply> {
    let mut replies = Vec::new();
    let clock = std::cell::Cell::new(0.0);
    let now = || {
        clock.set(clock.get() + 1.0);
        clock.get()
    };
    handle_bytes(
        &encode(request).unwrap(),
        &mut |r| replies.push(decode(&encode(&r).unwrap()).unwrap()),
        &now,
    );
    replies
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
        assert_eq!(encode(&back).unwrap(), encode(&out).unwrap(), "{recipe}");
        assert_eq!(back.models.len(), out.models.len());
        assert_eq!(back.preprocessor, out.preprocessor);
    }
}

#[test]
fn a_training_request_reports_progress_then_one_result_equal_to_a_direct_run() {
    let recipe_json = std::fs::read_to_string("tests/recipes/titanic.json").unwrap();
    let r = Recipe::from_json(&recipe_json).unwrap();
    let opts = LoadOptions {
        na_values: r.na_values.clone(),
        ..LoadOptions::default()
    };
    let table = load(
        std::fs::read("datasets/titanic.csv").unwrap().as_slice(),
        &opts,
    )
    .unwrap()
    .table;
    let direct = run(&table, &r, &mut |_| {}).unwrap();
    let replies = ask(&WorkerRequest::Train { table, recipe: r });
    let (last, before) = replies.split_last().unwrap();
    assert!(!before.is_empty(), "progress comes before the result");
    let mut previous = 0.0;
    for p in before {
        match p {
            WorkerReply::Progress(f) => {
                assert!(*f > previous && *f <= 1.0, "progress rises to 1: {f}");
                previous = *f;
            }
            other => panic!("only progress before the result, got {other:?}"),
        }
    }
    assert_eq!(previous, 1.0);
    let WorkerReply::Trained { result, elapsed_ms } = last else {
        panic!("the last reply is the result: {last:?}");
    };
    assert!(last.is_final() && *elapsed_ms > 0.0);
    let result = result.as_ref().unwrap();
    assert_eq!(result.models.len(), direct.models.len());
    for (a, b) in result.models.iter().zip(&direct.models) {
        assert_eq!(a.test, b.test);
        assert_eq!(a.test_predictions, b.test_predictions);
        // The worker's clock times each fit; a direct run without a clock does not.
        assert!(a.fit_ms > 0.0 && b.fit_ms.is_nan());
    }
}

#[test]
fn a_bad_recipe_is_an_error_result_not_a_crash() {
    // A recipe the page could not have built: its target is not a column of the table.
    let table = Table::new(vec![]).unwrap();
    let recipe = Recipe::from_json(r#"{"version": 1, "target": "price"}"#).unwrap();
    let replies = ask(&WorkerRequest::Train { table, recipe });
    assert!(matches!(
        replies.as_slice(),
        [WorkerReply::Trained { result: Err(_), .. }]
    ));
}

#[test]
fn unreadable_bytes_get_an_unreadable_reply() {
    for bytes in [
        &b""[..],
        &[9, 9, 9, 9][..],
        &[1, 0, 0, 0, 255, 255, 255, 255, 255][..],
    ] {
        let mut replies = Vec::new();
        handle_bytes(bytes, &mut |r| replies.push(r), &|| 0.0);
        assert!(
            matches!(replies.as_slice(), [WorkerReply::Unreadable(m)] if !m.is_empty()),
            "{bytes:?}: {replies:?}"
        );
    }
}

#[test]
fn the_warm_up_request_fits_models_and_says_how_many() {
    match ask(&WorkerRequest::WarmUp).as_slice() {
        [WorkerReply::WarmedUp { models, .. }] => assert!(*models > 0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_parse_request_answers_like_the_page_parse() {
    let bytes = std::fs::read("tests/fixtures/sjis_excel.csv").unwrap();
    let direct = mlplay::session::parse(&bytes, &LoadOptions::default(), &mut |_| {}).unwrap();
    let replies = ask(&WorkerRequest::Parse {
        bytes,
        options: LoadOptions::default(),
    });
    match replies.last() {
        Some(WorkerReply::Parsed { result: Ok(p), .. }) => {
            assert_eq!(p.info, direct.info);
            assert_eq!(p.loaded.table.n_rows(), direct.loaded.table.n_rows());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_model_kind_crosses_in_a_recipe_and_keeps_its_json() {
    use mlplay::engine::models::catalogue::MODELS;
    use mlplay::engine::pipeline::recipe::ModelSpec;
    let mut r = Recipe::from_json(r#"{"version": 1, "target": "y"}"#).unwrap();
    r.models = MODELS
        .iter()
        .map(|m| ModelSpec::default_for(m.kind).unwrap())
        .collect();
    // A parameter off its default, so that the values, not only the kinds, are checked.
    let en = r.models.iter_mut().find_map(|m| match m {
        ModelSpec::ElasticNet { l1_ratio, .. } => Some(l1_ratio),
        _ => None,
    });
    *en.expect("the catalogue has ElasticNet") = 0.25;
    let back: Recipe = round_trip(&r);
    assert_eq!(back.models, r.models);
    // The recipe's JSON is still the tagged-object form the README documents.
    let json = serde_json::to_value(&back).unwrap();
    for (m, spec) in json["models"].as_array().unwrap().iter().zip(MODELS) {
        assert_eq!(m["kind"], spec.kind, "{m}");
    }
}
