//! Failures outside file reading are worded for what they are, in both languages: a split that
//! cannot be made is not shown as a file that could not be read, and the Japanese text carries
//! no English from the command-line message.

use mlplay::engine::pipeline::recipe::{run, Recipe};
use mlplay::engine::{load, Category, Error, LoadOptions, Table};
use mlplay::i18n::{category_title, error_text, Lang};

/// Eleven rows: classes a and b with five rows each, class c with a single row.
fn table() -> Table {
    let mut csv = String::from("x,y\n");
    for i in 0..11 {
        let class = match i {
            0..=4 => "a",
            5..=9 => "b",
            _ => "c",
        };
        csv.push_str(&format!("{i},{class}\n"));
    }
    load(csv.as_bytes(), &LoadOptions::default()).unwrap().table
}

fn run_error(split: &str) -> Error {
    let recipe = Recipe::from_json(&format!(
        r#"{{"version": 1, "target": "y", "task": "classification", "split": {split},
            "models": [{{"kind": "logistic_regression"}}]}}"#
    ))
    .unwrap();
    run(&table(), &recipe, &mut |_| {}).unwrap_err()
}

/// The ASCII words (three letters or more) of the command-line message.
fn english_words(e: &Error) -> Vec<String> {
    e.to_string()
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .map(str::to_string)
        .collect()
}

fn assert_not_a_file_error_in_japanese(e: &Error) {
    let ja = error_text(Lang::Ja, e);
    assert!(!ja.contains("ファイル"), "shown as a file error: {ja}");
    // The heading over it on the page names the split, not a file.
    assert_eq!(e.category(), Category::Split);
    assert_eq!(
        category_title(Lang::Ja, e.category()),
        "データを分割できませんでした"
    );
    assert_ne!(
        category_title(Lang::Ja, e.category()),
        category_title(Lang::Ja, Category::Read)
    );
    for w in english_words(e) {
        assert!(!ja.contains(&w), "English “{w}” in the Japanese text: {ja}");
    }
}

#[test]
fn a_class_of_one_row_cannot_be_stratified_and_says_so_in_both_languages() {
    let e = run_error(r#"{"test_size": 0.3, "stratify": true}"#);
    assert_not_a_file_error_in_japanese(&e);
    let ja = error_text(Lang::Ja, &e);
    assert!(
        ja.contains("層化") && ja.contains("「c」") && ja.contains("1 行"),
        "{ja}"
    );
    let en = error_text(Lang::En, &e);
    assert!(!en.contains("file"), "{en}");
    assert!(
        en.contains("Stratif") && en.contains("“c”") && en.contains("has 1"),
        "{en}"
    );
}

#[test]
fn a_split_that_leaves_no_training_rows_says_so_in_both_languages() {
    // 11 rows with a test share of 0.95: ceil(10.45) = 11 test rows, none to train on.
    let e = run_error(r#"{"test_size": 0.95}"#);
    assert_not_a_file_error_in_japanese(&e);
    let ja = error_text(Lang::Ja, &e);
    assert!(
        ja.contains("分割") && ja.contains("11 行") && ja.contains("0 行"),
        "{ja}"
    );
    let en = error_text(Lang::En, &e);
    assert!(!en.contains("file"), "{en}");
    assert!(en.contains("split") && en.contains("11 test rows"), "{en}");
    assert!(matches!(
        e,
        Error::SplitEmptySide {
            rows: 11,
            test_rows: 11,
            ..
        }
    ));
}

#[test]
fn a_test_share_out_of_range_is_a_split_setting_named_as_on_the_page() {
    let e = run_error(r#"{"test_size": 1.5}"#);
    assert_eq!(e.category(), Category::Split);
    // The command line keeps naming the recipe field.
    assert!(e.to_string().starts_with("split.test_size: "), "{e}");
    let ja = error_text(Lang::Ja, &e);
    assert!(
        ja.starts_with("テストの割合：") && ja.contains("1.5"),
        "{ja}"
    );
    assert!(!ja.contains("test_size"), "{ja}");
    let en = error_text(Lang::En, &e);
    assert!(
        en.starts_with("Test share: ") && en.contains("above 0 and below 1"),
        "{en}"
    );
}

#[test]
fn a_target_with_one_class_or_no_values_is_a_target_problem() {
    let one_class = load(b"x,y\n1,a\n2,a\n3,a\n4,a\n", &LoadOptions::default())
        .unwrap()
        .table;
    let recipe = Recipe::from_json(
        r#"{"version": 1, "target": "y", "models": [{"kind": "logistic_regression"}]}"#,
    )
    .unwrap();
    let e = run(&one_class, &recipe, &mut |_| {}).unwrap_err();
    assert_eq!(
        e,
        Error::TargetOneClass {
            target: "y".into(),
            class: "a".into()
        }
    );
    assert_eq!(e.category(), Category::Target);
    assert!(error_text(Lang::Ja, &e).contains("2 クラス以上"));

    let no_values = load(b"x,y\n1,\n2,\n3,\n4,\n", &LoadOptions::default())
        .unwrap()
        .table;
    let recipe = Recipe::from_json(
        r#"{"version": 1, "target": "y", "task": "regression", "models": [{"kind": "linear_regression"}]}"#,
    )
    .unwrap();
    let e = run(&no_values, &recipe, &mut |_| {}).unwrap_err();
    assert_eq!(e, Error::TargetAllMissing { target: "y".into() });
    assert!(error_text(Lang::En, &e).contains("no values"));

    // An identifier as the target: a class per row.
    let mut csv = String::from("x,y\n");
    for i in 0..150 {
        csv.push_str(&format!("{i},id{i}\n"));
    }
    let ids = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
    let recipe =
        Recipe::from_json(r#"{"version": 1, "target": "y", "models": [{"kind": "gaussian_nb"}]}"#)
            .unwrap();
    let e = run(&ids, &recipe, &mut |_| {}).unwrap_err();
    assert_eq!(
        e,
        Error::TooManyClasses {
            target: "y".into(),
            classes: 150,
            limit: 100
        }
    );
    assert_eq!(e.category(), Category::Target);
    let ja = error_text(Lang::Ja, &e);
    assert!(
        ja.contains("150 個") && ja.contains("100 クラスまで"),
        "{ja}"
    );
}

#[test]
fn training_filters_that_leave_no_rows_are_a_preprocessing_problem() {
    let recipe = Recipe::from_json(
        r#"{"version": 1, "target": "x", "task": "regression",
            "train_filters": [{"column": "x", "min": 100}],
            "models": [{"kind": "linear_regression"}]}"#,
    )
    .unwrap();
    let t = load(
        b"x,z\n1,2\n2,3\n3,5\n4,4\n5,7\n6,6\n",
        &LoadOptions::default(),
    )
    .unwrap()
    .table;
    let e = run(&t, &recipe, &mut |_| {}).unwrap_err();
    assert!(
        matches!(e, Error::FilteredOut { train_rows: 0, .. }),
        "{e:?}"
    );
    assert_eq!(e.category(), Category::Preprocess);
    assert!(error_text(Lang::Ja, &e).contains("フィルター"));
}
