//! The targets: each generates its input from the case's seed and drives it through the public
//! entry points the page, the worker and the command line call. Errors are expected and
//! ignored; only a panic or a hang is a finding.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{json, Value};

use super::gen::{self, Rng};
use super::Target;
use crate::engine::data::summary;
use crate::engine::diagnose::analyze;
use crate::engine::model_file::{predictions_csv, predictions_json, ModelFile};
use crate::engine::pipeline::recipe::{run as run_recipe, run_json, Recipe};
use crate::engine::value::formula;
use crate::engine::{load, LoadOptions, Loaded, Table};
use crate::i18n::Lang;

pub fn run(target: Target, seed: u64) {
    let mut r = Rng::for_case(target.index(), seed);
    match target {
        Target::Load => load_case(&mut r),
        Target::Analyze => analyze_case(&mut r),
        Target::Pipeline => pipeline_case(&mut r),
        Target::Formula => formula_case(&mut r),
        Target::Share => share_case(&mut r),
        Target::Model => model_case(&mut r),
    }
}

pub fn describe(target: Target, seed: u64) -> String {
    let mut r = Rng::for_case(target.index(), seed);
    match target {
        Target::Load | Target::Analyze => {
            let c = gen::csv(&mut r, 60);
            format!(
                "{}\noptions: {:?}\nbytes: {:?}",
                c.note,
                c.opts,
                String::from_utf8_lossy(&c.bytes)
            )
        }
        Target::Pipeline => {
            let c = gen::csv(&mut r, 40);
            let recipe = match load(&c.bytes, &c.opts) {
                Ok(l) => gen::recipe_json(&mut r, &column_names(&l.table), true),
                Err(e) => format!("(the file does not load: {e})"),
            };
            format!(
                "{}\noptions: {:?}\nbytes: {:?}\nrecipe: {recipe}",
                c.note,
                c.opts,
                String::from_utf8_lossy(&c.bytes)
            )
        }
        Target::Formula => format!("{:?}", gen::formula(&mut r)),
        Target::Share => format!("{:?}", share_fragment(&mut r)),
        Target::Model => model_text(&mut r),
    }
}

fn lang(r: &mut Rng) -> Lang {
    if r.chance(0.5) {
        Lang::En
    } else {
        Lang::Ja
    }
}

// ---------------------------------------------------------------------------------------------
// load, analyze, pipeline

fn load_case(r: &mut Rng) {
    let c = gen::csv(r, 60);
    if let Ok(l) = load(&c.bytes, &c.opts) {
        let _ = summary::info(&l.table);
        let _ = summary::describe(&l.table);
        let _ = crate::engine::data::csv_out::writer();
    }
}

fn column_names(t: &Table) -> Vec<String> {
    t.columns().iter().map(|c| c.name.clone()).collect()
}

fn analyze_case(r: &mut Rng) {
    let c = gen::csv(r, 60);
    let Ok(l) = load(&c.bytes, &c.opts) else {
        return;
    };
    let names = column_names(&l.table);
    let target = if names.is_empty() || r.chance(0.05) {
        "absent".to_string()
    } else {
        r.pick(&names).clone()
    };
    let cfg = gen::analysis_config(r, target);
    let _ = analyze(&l.table, &cfg);
}

fn pipeline_case(r: &mut Rng) {
    let c = gen::csv(r, 40);
    let Ok(loaded) = load(&c.bytes, &c.opts) else {
        return;
    };
    let names = column_names(&loaded.table);
    let recipe_text = gen::recipe_json(r, &names, true);
    let Ok(recipe) = Recipe::from_json(&recipe_text) else {
        return;
    };
    let _ = recipe.validate(&loaded.table);
    // The page diagnoses with the learner's settings first.
    let cfg = gen::analysis_config(r, recipe.target.clone());
    let _ = analyze(&loaded.table, &cfg);
    let lang = lang(r);
    let data_path = r
        .pick(&[
            "data.csv",
            "../d ata'\"\\.csv",
            "__DATA_PATH__",
            "データ.csv",
            "",
        ])
        .to_string();
    match crate::report::walkthrough(&loaded.table, &recipe, "fuzz.csv", lang) {
        Ok((report, result)) => {
            let _ = run_json(&result);
            let _ = crate::report::html(&report);
            let _ = crate::report::markdown_zip(&report);
            let _ = crate::report::notebook(&report, &recipe, &loaded, &data_path);
            let _ =
                crate::engine::codegen::pyspark::pyspark_script(&recipe, &loaded.table, &data_path);
            for i in 0..result.models.len() {
                model_round_trip(&result, &recipe, i, &loaded);
            }
        }
        Err(_) => {
            let _ = run_recipe(&loaded.table, &recipe, &mut |_| {});
        }
    }
}

/// Save model `i` as the download button does, read it back as `mlplay predict` does and score
/// the table it was trained on.
fn model_round_trip(
    result: &crate::engine::pipeline::recipe::RunResult,
    recipe: &Recipe,
    i: usize,
    loaded: &Loaded,
) {
    let Some(m) = ModelFile::from_run(result, recipe, i) else {
        return;
    };
    let Ok(text) = m.to_json() else {
        return;
    };
    let back = ModelFile::from_json(&text).expect("a model file written by mlplay reads back");
    if let Ok(p) = back.predict(&loaded.table) {
        let _ = predictions_csv(&back, &loaded.table, &p);
        let _ = predictions_json(&back, &p);
    }
}

// ---------------------------------------------------------------------------------------------
// formula

fn formula_case(r: &mut Rng) {
    let src = gen::formula(r);
    let vars = gen::formula_vars(r);
    eval_formula(&src, &vars);
    let _ = formula::is_valid_name(&src);
}

fn eval_formula(src: &str, vars: &HashMap<String, f64>) {
    if let Ok(e) = formula::parse(src) {
        let _ = e.variables();
        let _ = e.eval(vars);
    }
    let _ = formula::evaluate(src, vars);
}

// ---------------------------------------------------------------------------------------------
// share links

/// A small table the share and model targets score on (the page applies a link to a dataset).
fn small_table() -> &'static Loaded {
    static T: OnceLock<Loaded> = OnceLock::new();
    T.get_or_init(|| {
        let mut csv = String::from("x,y,c,target,label\n");
        for i in 0..40 {
            let x = (i * 37 % 23) as f64 / 3.0;
            let c = ["red", "green", "blue"][i % 3];
            let missing = if i % 7 == 3 { "" } else { "1" };
            csv.push_str(&format!(
                "{x},{}{missing},{c},{},{}\n",
                i % 5,
                x * 2.0 + (i % 4) as f64,
                if x > 3.0 { "yes" } else { "no" }
            ));
        }
        load(csv.as_bytes(), &LoadOptions::default()).expect("the fixed table loads")
    })
}

/// A share link: a valid one built from random settings, then perhaps damaged as text, as JSON
/// before packing, spliced with another, or replaced by noise.
fn share_fragment(r: &mut Rng) -> String {
    use crate::share::{base64url, Classroom, Share, HIDEABLE};
    let lang = lang(r);
    let mut s = crate::session::Session::new(lang);
    s.business.formula.expression = gen::formula(r);
    let hide = (0..r.below(4))
        .map(|_| match r.below(4) {
            0 => "x y".to_string(),
            1 => "upload settings".to_string(),
            _ => r.pick(&HIDEABLE).0.to_string(),
        })
        .collect();
    let classroom = Classroom {
        hide,
        lock: r.chance(0.3),
        hide_text: r.chance(0.3),
    };
    let share = Share::from_session(&s, classroom);
    let mut v = serde_json::to_value(&share).unwrap_or(Value::Null);
    if r.chance(0.7) {
        let names: Vec<String> = column_names(&small_table().table);
        let target = r.pick(&names).clone();
        v["analysis"] = serde_json::to_value(gen::analysis_config(r, target)).unwrap_or_default();
        v["dataset"] = json!(*r.pick(&["titanic", "ames", "penguins", "nope", ""]));
    }
    if r.chance(0.6) {
        let models: Vec<Value> = (0..r.range(1, 3))
            .map(|_| gen::model_spec(r, false))
            .collect();
        v["models"] = Value::Array(models);
    }
    if r.chance(0.3) {
        v["threshold"] = json!(r.odd_f64());
    }
    if r.chance(0.2) {
        v["step"] = json!(*r.pick(&["", "analyze", "../../x", "train?x=1", "🚀"]));
    }
    for _ in 0..r.below(3) {
        gen::mutate_json(r, &mut v);
    }
    let json = if r.chance(0.05) {
        gen::random_json(r, 3).to_string().into_bytes()
    } else {
        serde_json::to_vec(&v).unwrap_or_default()
    };
    let mut packed = miniz_oxide::deflate::compress_to_vec(&json, r.range(0, 10) as u8);
    if r.chance(0.1) {
        gen::mutate_bytes(r, &mut packed);
    }
    let mut text = format!("{}{}", crate::share::FRAGMENT, base64url(&packed));
    match r.below(10) {
        0 => text = gen::mutate_text(r, &text),
        1 => {
            let cut = r.below(text.len() + 1);
            text.truncate(cut);
        }
        2 => {
            let other = Share::default().encode();
            let at = r.below(text.len().min(other.len()) + 1);
            text = format!("{}{}", &text[..at], &other[at..]);
        }
        3 => text = format!("#share={}", "A".repeat(r.below(200))),
        _ => {}
    }
    text
}

fn share_case(r: &mut Rng) {
    use crate::share::Share;
    let text = share_fragment(r);
    let Ok(share) = Share::decode(&text) else {
        return;
    };
    let _ = share.route();
    let _ = share.encode();
    let lang = lang(r);
    let saved =
        crate::persist::import_share(&crate::persist::Saved::default(), &share, lang, false);
    let mut session = crate::session::Session::new(lang);
    crate::persist::restore(&mut session, &saved);
    let _ = saved.to_map();
    for sc in &share.scenarios {
        let _ = sc.inputs.validate();
        let case = sc.inputs.case();
        let _ = case.evaluate();
        let _ = case.curve(50);
    }
    if let Some(f) = &share.formula {
        let vars: HashMap<String, f64> = f.variables.iter().cloned().collect();
        eval_formula(&f.expression, &vars);
        let value = formula::evaluate(&f.expression, &vars).unwrap_or(0.0);
        let case = crate::engine::value::payback::PaybackCase {
            value_per_day: value,
            dev_cost_yen: f.dev_cost_yen,
            op_cost_yen_per_month: f.op_cost_yen_per_month,
            horizon_years: f.horizon_years,
        };
        let _ = case.evaluate();
        let _ = case.curve(50);
    }
    let table = &small_table().table;
    if let Some(cfg) = &share.analysis {
        let _ = analyze(table, cfg);
    }
    if let Some(models) = &share.models {
        let target = share
            .analysis
            .as_ref()
            .map(|a| a.target.clone())
            .unwrap_or_else(|| "target".into());
        let recipe = Recipe {
            version: crate::engine::pipeline::recipe::RECIPE_VERSION,
            na_values: Vec::new(),
            keep_text: Vec::new(),
            target,
            task: share.analysis.as_ref().and_then(|a| a.task),
            exclude: Vec::new(),
            split: share
                .prep
                .as_ref()
                .map(|p| p.split.clone())
                .unwrap_or_default(),
            train_filters: Vec::new(),
            numeric: share
                .prep
                .as_ref()
                .map(|p| p.numeric.clone())
                .unwrap_or_default(),
            categorical: share
                .prep
                .as_ref()
                .map(|p| p.categorical.clone())
                .unwrap_or_default(),
            target_scale: Default::default(),
            date_parts: crate::engine::pipeline::preprocess::default_date_parts(),
            models: models.clone(),
        };
        let _ = run_recipe(table, &recipe, &mut |_| {});
    }
}

// ---------------------------------------------------------------------------------------------
// model files

/// Model files written by the pipeline: every kind, both tasks, both encodings, scaled target.
fn corpus() -> &'static Vec<String> {
    static C: OnceLock<Vec<String>> = OnceLock::new();
    C.get_or_init(|| {
        let loaded = small_table();
        let mut out = Vec::new();
        let regression = [
            json!({"kind": "linear_regression"}),
            json!({"kind": "ridge", "alpha": 1.0}),
            json!({"kind": "elastic_net", "alpha": 0.1, "l1_ratio": 0.5}),
            json!({"kind": "decision_tree", "max_depth": 4, "min_samples_leaf": 1, "random_state": 0}),
            json!({"kind": "random_forest", "n_estimators": 3, "max_depth": 3, "min_samples_leaf": 1, "max_features": 1.0, "random_state": 1}),
            json!({"kind": "k_neighbors", "n_neighbors": 3}),
        ];
        let classification = [
            json!({"kind": "logistic_regression", "C": 1.0}),
            json!({"kind": "gaussian_nb"}),
            json!({"kind": "decision_tree", "max_depth": 3, "min_samples_leaf": 1, "random_state": 0}),
            json!({"kind": "random_forest", "n_estimators": 3, "max_depth": 3, "min_samples_leaf": 2, "max_features": 0.5, "random_state": 2}),
            json!({"kind": "k_neighbors", "n_neighbors": 5}),
        ];
        for (target, task, models) in [
            ("target", "regression", &regression[..]),
            ("label", "classification", &classification[..]),
        ] {
            for (encode, scale) in [("ordinal", "standard"), ("onehot", "none")] {
                let recipe = json!({
                    "version": 1, "target": target, "task": task,
                    "categorical": {"impute": "most_frequent", "encode": encode},
                    "target_scale": scale,
                    "models": models,
                });
                let recipe = Recipe::from_json(&recipe.to_string()).expect("corpus recipe");
                let result = run_recipe(&loaded.table, &recipe, &mut |_| {}).expect("corpus run");
                for i in 0..result.models.len() {
                    if let Some(m) = ModelFile::from_run(&result, &recipe, i) {
                        out.push(m.to_json().expect("corpus model file"));
                    }
                }
            }
        }
        out
    })
}

/// A model file from the corpus, mutated as JSON (numbers, indices, arrays, keys) or as text,
/// spliced with another, or replaced by random JSON.
fn model_text(r: &mut Rng) -> String {
    let text = mutated_model_text(r);
    if !super::gated(super::Gate::TreeCycles) {
        return text;
    }
    // A text mutation can turn a child index into one that points back (`"right":10` less its
    // `1`); keep every readable file free of cycles while predict can loop on them.
    match serde_json::from_str::<Value>(&text) {
        Ok(mut v) => {
            gen::forward_only(&mut v);
            v.to_string()
        }
        Err(_) => text,
    }
}

fn mutated_model_text(r: &mut Rng) -> String {
    let corpus = corpus();
    let base = r.pick(corpus);
    match r.below(10) {
        0 => gen::mutate_text(r, base),
        1 => {
            let other = r.pick(corpus);
            let a = r.below(base.len());
            let b = r.below(other.len());
            let (a, b) = (floor_char(base, a), floor_char(other, b));
            format!("{}{}", &base[..a], &other[b..])
        }
        2 => {
            let mut v = json!({"format": "mlplay-model", "version": 1});
            for k in ["model", "preprocessor", "recipe"] {
                v[k] = gen::random_json(r, 3);
            }
            v.to_string()
        }
        _ => {
            let mut v: Value = serde_json::from_str(base).unwrap_or(Value::Null);
            for _ in 0..r.range(1, 4) {
                gen::mutate_json(r, &mut v);
            }
            gen::forward_only(&mut v);
            v.to_string()
        }
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn model_case(r: &mut Rng) {
    let text = model_text(r);
    let Ok(m) = ModelFile::from_json(&text) else {
        return;
    };
    let _ = m.kind();
    let _ = m.file_name(r.below(5));
    let _ = m.to_json();
    let columns: Vec<String> = m.input_columns().iter().map(|c| c.to_string()).collect();
    // Score the fixed table, then rows as the prediction server receives them.
    let table = &small_table().table;
    if let Ok(p) = m.predict(table) {
        let _ = predictions_csv(&m, table, &p);
        let _ = predictions_json(&m, &p);
    }
    let rows: Vec<Value> = (0..r.range(0, 4))
        .map(|_| {
            let mut row = serde_json::Map::new();
            for c in &columns {
                if r.chance(0.9) {
                    let v = match r.below(6) {
                        0 => Value::Null,
                        1 => json!("unseen"),
                        2 => json!(r.odd_f64()),
                        3 => json!("red"),
                        _ => json!(r.below(10)),
                    };
                    row.insert(c.clone(), v);
                }
            }
            Value::Object(row)
        })
        .collect();
    if let Ok(t) = m.table_from_json_rows(&rows) {
        if let Ok(p) = m.predict(&t) {
            let _ = predictions_csv(&m, &t, &p);
            let _ = predictions_json(&m, &p);
        }
    }
}
