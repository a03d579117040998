//! The recipe: one versioned, validated settings object for steps 2–6, shared by the UI, share
//! links, exports and the command line, and `run()`, which carries it out: split, train-only
//! filters, preprocessing fitted on train, each model, and its metrics on train and test.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::analysis::Task;
use super::error::{Error, Result};
use super::linear::{elastic_net, ridge, LinearModel};
use super::metrics::{regression, RegressionMetrics};
use super::preprocess::{CategoricalConfig, NumericConfig, PreprocessConfig};
use super::reader::DEFAULT_NA_VALUES;
use super::split::{train_test_split, SplitConfig};
use super::table::{ColumnData, Table};

/// The recipe format version this build reads and writes.
pub const RECIPE_VERSION: u32 = 1;

/// Keep only training rows with `min ≤ column ≤ max`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainFilter {
    pub column: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// Whether the target is standardised before fitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TargetScale {
    #[default]
    None,
    Standard,
}

/// A model and its hyperparameters, under scikit-learn's names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ModelSpec {
    LinearRegression,
    Ridge {
        #[serde(default = "one")]
        alpha: f64,
    },
    Lasso {
        #[serde(default = "one")]
        alpha: f64,
    },
    ElasticNet {
        #[serde(default = "one")]
        alpha: f64,
        #[serde(default = "half")]
        l1_ratio: f64,
    },
    RandomForest {
        #[serde(default = "hundred")]
        n_estimators: u32,
        #[serde(default)]
        max_depth: Option<u32>,
        #[serde(default = "one_u32")]
        min_samples_leaf: u32,
        #[serde(default = "one")]
        max_features: f64,
        #[serde(default)]
        random_state: u64,
    },
    LogisticRegression {
        #[serde(default = "one", rename = "C")]
        c: f64,
    },
}

fn one() -> f64 {
    1.0
}
fn half() -> f64 {
    0.5
}
fn hundred() -> u32 {
    100
}
fn one_u32() -> u32 {
    1
}

impl ModelSpec {
    /// The `kind` name.
    pub fn kind(&self) -> &'static str {
        match self {
            ModelSpec::LinearRegression => "linear_regression",
            ModelSpec::Ridge { .. } => "ridge",
            ModelSpec::Lasso { .. } => "lasso",
            ModelSpec::ElasticNet { .. } => "elastic_net",
            ModelSpec::RandomForest { .. } => "random_forest",
            ModelSpec::LogisticRegression { .. } => "logistic_regression",
        }
    }
}

/// Every setting of steps 2–6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub version: u32,
    #[serde(default = "default_na")]
    pub na_values: Vec<String>,
    pub target: String,
    #[serde(default)]
    pub task: Option<Task>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub split: SplitConfig,
    #[serde(default)]
    pub train_filters: Vec<TrainFilter>,
    #[serde(default)]
    pub numeric: NumericConfig,
    #[serde(default)]
    pub categorical: CategoricalConfig,
    #[serde(default)]
    pub target_scale: TargetScale,
    #[serde(default)]
    pub models: Vec<ModelSpec>,
}

fn default_na() -> Vec<String> {
    DEFAULT_NA_VALUES.iter().map(|s| s.to_string()).collect()
}

/// A problem with a recipe, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipeProblem {
    pub field: String,
    pub message: String,
}

impl Recipe {
    /// Parse recipe JSON; a syntax or shape error names its line and column.
    pub fn from_json(text: &str) -> Result<Recipe> {
        serde_json::from_str(text).map_err(|e| Error::Malformed {
            line: e.line() as u64,
            message: format!("recipe: {e}"),
        })
    }

    /// Every problem that stops the recipe from running on `table`.
    pub fn validate(&self, table: &Table) -> Vec<RecipeProblem> {
        let mut out = Vec::new();
        let mut bad = |field: &str, message: String| {
            out.push(RecipeProblem {
                field: field.into(),
                message,
            })
        };
        if self.version != RECIPE_VERSION {
            bad(
                "version",
                format!(
                    "version {} is not supported; this build reads version {RECIPE_VERSION}",
                    self.version
                ),
            );
        }
        if table.column(&self.target).is_none() {
            bad("target", format!("no column named '{}'", self.target));
        }
        for c in &self.exclude {
            if table.column(c).is_none() {
                bad("exclude", format!("no column named '{c}'"));
            }
            if c == &self.target {
                bad("exclude", format!("the target '{c}' cannot be excluded"));
            }
        }
        if !(self.split.test_size > 0.0 && self.split.test_size < 1.0) {
            bad(
                "split.test_size",
                format!("{} must be between 0 and 1", self.split.test_size),
            );
        }
        for f in &self.train_filters {
            match table.column(&f.column).map(|c| &c.data) {
                None => bad("train_filters", format!("no column named '{}'", f.column)),
                Some(ColumnData::Categorical { .. }) => {
                    bad("train_filters", format!("'{}' is not numeric", f.column))
                }
                _ => {}
            }
            if let (Some(lo), Some(hi)) = (f.min, f.max) {
                if lo > hi {
                    bad("train_filters", format!("min {lo} is above max {hi}"));
                }
            }
        }
        if self.models.is_empty() {
            bad("models", "add at least one model".into());
        }
        for (i, m) in self.models.iter().enumerate() {
            let field = format!("models[{i}]");
            match m {
                ModelSpec::Ridge { alpha } | ModelSpec::Lasso { alpha } if *alpha < 0.0 => {
                    bad(&field, "alpha must not be negative".into())
                }
                ModelSpec::ElasticNet { alpha, l1_ratio } => {
                    if *alpha < 0.0 {
                        bad(&field, "alpha must not be negative".into());
                    }
                    if !(0.0..=1.0).contains(l1_ratio) {
                        bad(&field, "l1_ratio must be between 0 and 1".into());
                    }
                }
                ModelSpec::RandomForest { .. } | ModelSpec::LogisticRegression { .. } => bad(
                    &field,
                    format!(
                        "model '{}' is not available in this version of mlplay yet",
                        m.kind()
                    ),
                ),
                _ => {}
            }
        }
        out
    }
}

/// The sizes of the split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitSizes {
    pub train: usize,
    pub test: usize,
    pub train_after_filters: usize,
}

/// One trained model's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRun {
    pub kind: String,
    pub params: Value,
    pub train: RegressionMetrics,
    pub test: RegressionMetrics,
    pub model: LinearModel,
    pub feature_names: Vec<String>,
    pub test_predictions: Vec<f64>,
}

/// Everything a run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub split: SplitSizes,
    pub test_rows: Vec<usize>,
    pub models: Vec<ModelRun>,
}

/// Carry out a recipe on a table.
pub fn run(
    table: &Table,
    recipe: &Recipe,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<RunResult> {
    if let Some(p) = recipe.validate(table).first() {
        return Err(Error::Io(format!("{}: {}", p.field, p.message)));
    }
    let target = table.column(&recipe.target).expect("validated");
    let ColumnData::Numeric { values: y_all, .. } = &target.data else {
        return Err(Error::Io(format!(
            "the target '{}' is not numeric: regression needs numbers",
            recipe.target
        )));
    };
    let split = train_test_split(table.n_rows(), &recipe.split)
        .ok_or_else(|| Error::Io("the split leaves no rows on one side".into()))?;
    let keep = |r: &usize| {
        !y_all[*r].is_nan()
            && recipe.train_filters.iter().all(|f| {
                let v = match &table.column(&f.column).expect("validated").data {
                    ColumnData::Numeric { values, .. } => values[*r],
                    ColumnData::Categorical { .. } => f64::NAN,
                };
                !v.is_nan() && f.min.is_none_or(|m| v >= m) && f.max.is_none_or(|m| v <= m)
            })
    };
    let train: Vec<usize> = split.train.iter().copied().filter(keep).collect();
    let test: Vec<usize> = split
        .test
        .iter()
        .copied()
        .filter(|r| !y_all[*r].is_nan())
        .collect();
    if train.len() < 2 || test.is_empty() {
        return Err(Error::Io("too few rows left after the filters".into()));
    }
    let pre = PreprocessConfig {
        target: recipe.target.clone(),
        exclude: recipe.exclude.clone(),
        numeric: recipe.numeric.clone(),
        categorical: recipe.categorical.clone(),
        target_standard: recipe.target_scale == TargetScale::Standard,
    }
    .fit(table, &train)?;
    let x_train = pre.transform(table, &train)?;
    let x_test = pre.transform(table, &test)?;
    let y_train_fit = pre.target_values(table, &train)?;
    let y_train: Vec<f64> = train.iter().map(|&r| y_all[r]).collect();
    let y_test: Vec<f64> = test.iter().map(|&r| y_all[r]).collect();
    let mut models = Vec::new();
    for (i, spec) in recipe.models.iter().enumerate() {
        let model = match spec {
            ModelSpec::LinearRegression => ridge(&x_train, &y_train_fit, 0.0),
            ModelSpec::Ridge { alpha } => ridge(&x_train, &y_train_fit, *alpha),
            ModelSpec::Lasso { alpha } => {
                elastic_net(&x_train, &y_train_fit, *alpha, 1.0, 1000, 1e-4, &mut |_| {})
            }
            ModelSpec::ElasticNet { alpha, l1_ratio } => elastic_net(
                &x_train,
                &y_train_fit,
                *alpha,
                *l1_ratio,
                1000,
                1e-4,
                &mut |_| {},
            ),
            ModelSpec::RandomForest { .. } | ModelSpec::LogisticRegression { .. } => {
                unreachable!("rejected by validate()")
            }
        };
        let pred_train = pre.inverse_target(&model.predict(&x_train));
        let pred_test = pre.inverse_target(&model.predict(&x_test));
        let mut params = serde_json::to_value(spec).unwrap_or(Value::Null);
        if let Some(o) = params.as_object_mut() {
            o.remove("kind");
        }
        models.push(ModelRun {
            kind: spec.kind().to_string(),
            params,
            train: regression(&y_train, &pred_train),
            test: regression(&y_test, &pred_test),
            model,
            feature_names: pre.output_names.clone(),
            test_predictions: pred_test,
        });
        progress(i + 1, recipe.models.len());
    }
    Ok(RunResult {
        split: SplitSizes {
            train: split.train.len(),
            test: split.test.len(),
            train_after_filters: train.len(),
        },
        test_rows: test,
        models,
    })
}

/// The `mlplay run --json` shape: split sizes and each model's kind, params and metrics.
pub fn run_json(r: &RunResult) -> Value {
    json!({
        "split": r.split,
        "test_rows": r.test_rows,
        "models": r.models.iter().map(|m| json!({
            "kind": m.kind, "params": m.params, "train": m.train, "test": m.test,
            "n_iter": m.model.n_iter,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{load, LoadOptions};

    const ISSUE_RECIPE: &str = r#"{"version": 1, "na_values": ["?", ""], "target": "SalePrice", "task": "regression",
 "exclude": ["Id", "Fence", "Alley"],
 "split": {"test_size": 0.3, "shuffle": true, "random_state": 40},
 "train_filters": [{"column": "SalePrice", "max": 340000}],
 "numeric": {"impute": "median", "scale": "standard"},
 "categorical": {"impute": "most_frequent", "encode": "ordinal"},
 "target_scale": "standard",
 "models": [{"kind": "elastic_net", "alpha": 1.0, "l1_ratio": 0.05},
            {"kind": "random_forest", "n_estimators": 20, "max_features": 1.0, "random_state": 0}]}"#;

    #[test]
    fn the_issue_recipe_parses() {
        let r = Recipe::from_json(ISSUE_RECIPE).unwrap();
        assert_eq!(r.target, "SalePrice");
        assert_eq!(r.split.random_state, 40);
        assert_eq!(r.models.len(), 2);
        assert_eq!(
            r.models[0],
            ModelSpec::ElasticNet {
                alpha: 1.0,
                l1_ratio: 0.05
            }
        );
        assert_eq!(r.train_filters[0].max, Some(340000.0));
    }

    #[test]
    fn typos_and_bad_values_are_named() {
        let e = Recipe::from_json(r#"{"version": 1, "target": "y", "modles": []}"#).unwrap_err();
        assert!(e.to_string().contains("modles"), "{e}");
        let t = load(b"x,y\n1,2\n3,4\n5,6\n", &LoadOptions::default())
            .unwrap()
            .table;
        let r = Recipe::from_json(
            r#"{"version": 2, "target": "z", "exclude": ["q"], "split": {"test_size": 2},
            "models": [{"kind": "elastic_net", "l1_ratio": 3}]}"#,
        )
        .unwrap();
        let fields: Vec<String> = r.validate(&t).into_iter().map(|p| p.field).collect();
        for f in [
            "version",
            "target",
            "exclude",
            "split.test_size",
            "models[0]",
        ] {
            assert!(fields.iter().any(|x| x == f), "{f} not in {fields:?}");
        }
    }

    #[test]
    fn run_fits_on_filtered_train_rows_and_reports_metrics() {
        let mut csv = String::from("a,b,c,y\n");
        for i in 0..100 {
            let c = ["p", "q", "r"][i % 3];
            csv.push_str(&format!(
                "{i},{},{c},{}\n",
                (i * 7) % 13,
                2 * i + (i * 7) % 13
            ));
        }
        let t = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
        let r = Recipe::from_json(r#"{"version": 1, "target": "y", "train_filters": [{"column": "y", "max": 150}],
            "target_scale": "standard", "models": [{"kind": "linear_regression"}, {"kind": "elastic_net", "alpha": 0.001, "l1_ratio": 0.5}]}"#).unwrap();
        let out = run(&t, &r, &mut |_, _| {}).unwrap();
        assert_eq!(out.split.test, 30);
        assert_eq!(out.split.train, 70);
        assert!(out.split.train_after_filters < 70);
        assert!(out.models[0].test.r2 > 0.999, "{:?}", out.models[0].test);
        assert!(out.models[1].test.r2 > 0.99);
        let j = run_json(&out);
        assert_eq!(j["models"][1]["kind"], "elastic_net");
        assert_eq!(j["models"][1]["params"]["l1_ratio"], 0.5);
    }
}
