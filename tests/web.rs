//! Browser tests (wasm-bindgen-test in headless Chromium): the engine under WebAssembly, and the
//! components rendering real DOM from real parsed data.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use mlplay::engine::{Error, LoadOptions};
use mlplay::i18n::Lang;
use mlplay::session::{parse, DataSource, Dataset, LoadStatus, Shared};
use mlplay::ui::components::{DatasetView, LoadStatusView};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn fresh_root() -> web_sys::Element {
    let div = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(50)).await;
}

const AMES_HEAD: &str = include_str!("fixtures/ames_head.csv");

#[wasm_bindgen_test]
fn shift_jis_is_decoded_under_webassembly() {
    let bytes = include_bytes!("fixtures/sjis_excel.csv");
    let p = parse(bytes, &LoadOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(p.loaded.report.encoding, "Shift_JIS");
    assert_eq!(p.loaded.table.columns()[0].name, "店舗名");
    assert_eq!(p.info.rows, 5);
}

#[wasm_bindgen_test]
async fn dataset_view_lists_every_column_and_the_shape() {
    let parsed = parse(AMES_HEAD.as_bytes(), &LoadOptions::default(), &mut |_| {}).unwrap();
    let cols = parsed.info.columns.len();
    let rows = parsed.info.rows;
    let root = fresh_root();
    let props = mlplay::ui::components::DatasetViewProps {
        lang: Lang::En,
        dataset: Dataset {
            source: DataSource::Bundled("ames".into()),
            parsed: Shared::new(parsed),
            parse_ms: 1.0,
        },
    };
    let _handle = yew::Renderer::<DatasetView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let info_rows = root
        .query_selector_all("#info-table tbody tr")
        .unwrap()
        .length();
    assert_eq!(info_rows as usize, cols);
    let shown = root.query_selector("#row-count").unwrap().unwrap();
    assert_eq!(shown.get_attribute("data-value").unwrap(), rows.to_string());
    let numeric = root
        .query_selector_all("#describe-numeric tbody tr")
        .unwrap()
        .length();
    let categorical = root
        .query_selector_all("#describe-categorical tbody tr")
        .unwrap()
        .length();
    assert_eq!((numeric + categorical) as usize, cols);
}

#[wasm_bindgen_test]
async fn load_error_is_shown_in_the_chosen_language() {
    let root = fresh_root();
    let props = mlplay::ui::components::LoadStatusProps {
        lang: Lang::Ja,
        status: LoadStatus::Failed {
            source: DataSource::File {
                name: "bad.csv".into(),
                bytes: 10,
            },
            error: Error::TooManyFields {
                line: 12,
                found: 83,
                expected: 81,
            },
        },
        on_cancel: Default::default(),
        on_dismiss: Default::default(),
    };
    let _handle =
        yew::Renderer::<LoadStatusView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.contains("12 行目"), "{text}");
    assert!(text.contains("bad.csv"), "{text}");
}

#[wasm_bindgen_test]
async fn a_worker_failure_while_loading_is_not_headed_as_an_unreadable_file() {
    let root = fresh_root();
    let props = mlplay::ui::components::LoadStatusProps {
        lang: Lang::Ja,
        status: LoadStatus::Failed {
            source: DataSource::File {
                name: "big.csv".into(),
                bytes: 10,
            },
            error: Error::WorkerStart {
                detail: "SecurityError".into(),
            },
        },
        on_cancel: Default::default(),
        on_dismiss: Default::default(),
    };
    let _handle =
        yew::Renderer::<LoadStatusView>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(
        text.contains("ブラウザでこの処理を実行できませんでした"),
        "{text}"
    );
    assert!(!text.contains("読み込めませんでした"), "{text}");
    assert!(!text.contains("SecurityError"), "{text}");
}

#[wasm_bindgen_test]
async fn app_switches_language_and_remembers_it() {
    mlplay::ui::platform::storage::erase_everything()
        .await
        .unwrap();
    let root = fresh_root();
    let _handle = yew::Renderer::<mlplay::ui::app::App>::with_root(root.clone()).render();
    settle().await;
    let ja = root
        .query_selector("#lang-ja")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    ja.click();
    settle().await;
    let html_lang = document().document_element().unwrap().get_attribute("lang");
    assert_eq!(html_lang.as_deref(), Some("ja"));
    // Remembered in IndexedDB, where the next visit reads it from.
    assert_eq!(
        mlplay::ui::platform::storage::read_stored("mlplay.lang")
            .await
            .unwrap()
            .as_deref(),
        Some("\"ja\"")
    );
    assert!(root.text_content().unwrap().contains("データを選ぶ"));
    assert_eq!(ja.get_attribute("aria-pressed").as_deref(), Some("true"));
}

fn inked_pixels(root: &web_sys::Element, id: &str) -> usize {
    let canvas: web_sys::HtmlCanvasElement = root
        .query_selector(&format!("#{id}"))
        .unwrap()
        .unwrap_or_else(|| panic!("no canvas #{id}"))
        .dyn_into()
        .unwrap();
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let data = ctx
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data();
    data.chunks(4)
        .filter(|p| p[0] < 200 || p[1] < 200 || p[2] < 200)
        .count()
}

#[wasm_bindgen_test]
async fn value_calculator_shows_break_even_and_draws_the_chart() {
    use mlplay::engine::value::payback::Preset;
    use mlplay::session::BusinessState;
    use mlplay::ui::steps::{BusinessPage, BusinessPageProps};
    let root = fresh_root();
    let props = BusinessPageProps {
        lang: Lang::En,
        state: BusinessState::lesson(Lang::En),
        on_change: Default::default(),
    };
    let _h = yew::Renderer::<BusinessPage>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let want = Preset::Initial
        .inputs()
        .case()
        .evaluate()
        .break_even_day
        .unwrap();
    let cell = root
        .query_selector("#result-0 .break-even")
        .unwrap()
        .unwrap();
    assert_eq!(cell.get_attribute("data-day"), Some(want.to_string()));
    let revised = root
        .query_selector("#result-1 .break-even")
        .unwrap()
        .unwrap();
    assert_eq!(revised.get_attribute("data-day").as_deref(), Some(""));
    assert!(inked_pixels(&root, "payback-chart") > 1000);
    assert!(inked_pixels(&root, "formula-chart") > 1000);
}

#[wasm_bindgen_test]
async fn analyze_page_draws_every_chart() {
    use mlplay::session::{Action, Session};
    use mlplay::ui::steps::{AnalyzePage, AnalyzePageProps};
    let mut s = Session::new(Lang::En);
    s.apply(Action::StartLoad {
        run: 1,
        source: DataSource::Bundled("ames".into()),
    });
    let parsed = parse(AMES_HEAD.as_bytes(), &LoadOptions::default(), &mut |_| {}).unwrap();
    s.apply(Action::Loaded {
        run: 1,
        parsed: Shared::new(parsed),
        parse_ms: 1.0,
    });
    let root = fresh_root();
    let props = AnalyzePageProps {
        lang: Lang::Ja,
        dataset: s.dataset.clone(),
        state: s.analyze.clone(),
        diagnosis: s.diagnosis.clone(),
        on_config: Default::default(),
        on_accept: Default::default(),
        on_cancel: Default::default(),
    };
    let _h = yew::Renderer::<AnalyzePage>::with_root_and_props(root.clone(), props).render();
    settle().await;
    for id in [
        "missing-chart",
        "target-histogram",
        "target-box",
        "relations-chart",
        "corr-heatmap",
        "cramers-heatmap",
    ] {
        assert!(inked_pixels(&root, id) > 300, "{id} looks blank");
    }
    assert!(root.text_content().unwrap().contains("欠損値"));
}

#[wasm_bindgen_test]
async fn a_failed_split_shows_on_the_train_step_as_a_training_failure_in_japanese() {
    // A class of one row cannot be stratified: run the recipe as the worker does.
    let mut csv = String::from("x,y\n");
    for i in 0..11 {
        csv.push_str(&format!("{i},{}\n", ["a", "b", "c"][(i / 5).min(2)]));
    }
    let table = mlplay::engine::load(csv.as_bytes(), &LoadOptions::default())
        .unwrap()
        .table;
    let recipe = mlplay::engine::pipeline::recipe::Recipe::from_json(
        r#"{"version": 1, "target": "y", "split": {"test_size": 0.3, "stratify": true},
            "models": [{"kind": "logistic_regression"}]}"#,
    )
    .unwrap();
    let error = mlplay::engine::pipeline::recipe::run(&table, &recipe, &mut |_| {}).unwrap_err();
    let root = fresh_root();
    let props = mlplay::ui::steps::TrainPageProps {
        lang: Lang::Ja,
        task: Some(mlplay::engine::Task::Classification),
        rows: 11,
        models: recipe.models.clone(),
        training: mlplay::session::TrainStatus::Failed(error),
        trained: None,
        stale: false,
        problems: Vec::new(),
        on_models: Default::default(),
        on_train: Default::default(),
        on_cancel: Default::default(),
    };
    let _handle =
        yew::Renderer::<mlplay::ui::steps::TrainPage>::with_root_and_props(root.clone(), props)
            .render();
    settle().await;
    let text = root
        .query_selector("#training-error")
        .unwrap()
        .expect("the training error")
        .text_content()
        .unwrap();
    assert!(text.starts_with("学習できませんでした。"), "{text}");
    assert!(text.contains("層化") && text.contains("「c」"), "{text}");
    assert!(!text.contains("ファイル"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_ascii_alphabetic() && c != 'c'),
        "{text}"
    );
}
