//! The recipe: one versioned, validated settings object for steps 2–6, shared by the UI, share
//! links, exports and the command line, and `run()`, which carries it out: split, train-only
//! filters, preprocessing fitted on train, each model, and its metrics on train and test.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::engine::data::reader::{parse_date, parse_number, DEFAULT_NA_VALUES};
use crate::engine::data::table::{Column, ColumnData, Table};
use crate::engine::error::{Allowed, Error, RecipeIssue, Result};
use crate::engine::models::linear::{elastic_net, ridge, LinearModel};
use crate::engine::models::logistic::{self, LogisticModel};
use crate::engine::models::metrics::{
    classification, regression, ClassificationMetrics, RegressionMetrics,
};
use crate::engine::models::neighbors::{GaussianNb, Knn};
use crate::engine::models::tree::{Forest, Target, Tree, TreeParams};
use crate::engine::pipeline::preprocess::{
    default_date_parts, CategoricalConfig, DatePart, NumericConfig, PreprocessConfig, Preprocessor,
};
use crate::engine::pipeline::split::{stratified_split, train_test_split, Split, SplitConfig};
use crate::engine::Task;

/// The most classes a classification target may have: more means the target is an identifier or
/// a measurement, and one model per class would be slow and meaningless.
pub const MAX_CLASSES: usize = 100;

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

/// A model and its hyperparameters, under scikit-learn's names. Kinds, ranges and defaults
/// come from the model catalogue (`crate::engine::models::catalogue`), which also reads it:
/// a missing parameter takes the catalogue default, an unknown one is an error.
///
/// In JSON (recipes, share links, model files) a model is an object tagged by `kind`. In the
/// binary messages to the engine worker it travels as that JSON text, so that the compact
/// codec there needs no self-describing format (see the `Serialize` impl below).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(remote = "Self", tag = "kind", rename_all = "snake_case")]
pub enum ModelSpec {
    LinearRegression,
    Ridge {
        alpha: f64,
    },
    Lasso {
        alpha: f64,
    },
    ElasticNet {
        alpha: f64,
        l1_ratio: f64,
    },
    DecisionTree {
        max_depth: Option<u32>,
        min_samples_leaf: u32,
        random_state: u64,
    },
    RandomForest {
        n_estimators: u32,
        max_depth: Option<u32>,
        min_samples_leaf: u32,
        max_features: f64,
        random_state: u64,
    },
    LogisticRegression {
        #[serde(rename = "C")]
        c: f64,
    },
    KNeighbors {
        n_neighbors: u32,
    },
    GaussianNb,
}

impl ModelSpec {
    /// Whether the model can serve `task`.
    pub fn fits(&self, task: Task) -> bool {
        self.info().serves(task)
    }

    /// The `kind` name.
    pub fn kind(&self) -> &'static str {
        match self {
            ModelSpec::LinearRegression => "linear_regression",
            ModelSpec::Ridge { .. } => "ridge",
            ModelSpec::Lasso { .. } => "lasso",
            ModelSpec::ElasticNet { .. } => "elastic_net",
            ModelSpec::DecisionTree { .. } => "decision_tree",
            ModelSpec::RandomForest { .. } => "random_forest",
            ModelSpec::LogisticRegression { .. } => "logistic_regression",
            ModelSpec::KNeighbors { .. } => "k_neighbors",
            ModelSpec::GaussianNb => "gaussian_nb",
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
    /// The numbers derived from each date column (year, month, day of week, days since the
    /// earliest training date).
    #[serde(default = "default_date_parts")]
    pub date_parts: Vec<DatePart>,
    /// Columns whose formatted numbers (`1,234`, `¥500`, `87%`) the reader keeps as text.
    #[serde(default)]
    pub keep_text: Vec<String>,
}

fn default_na() -> Vec<String> {
    DEFAULT_NA_VALUES.iter().map(|s| s.to_string()).collect()
}

/// A problem with a recipe, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecipeProblem {
    pub field: String,
    pub issue: RecipeIssue,
}

impl From<RecipeProblem> for Error {
    fn from(p: RecipeProblem) -> Error {
        Error::Recipe {
            field: p.field,
            issue: p.issue,
        }
    }
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
        let mut bad = |field: &str, issue: RecipeIssue| {
            out.push(RecipeProblem {
                field: field.into(),
                issue,
            })
        };
        let value = |param: &str, value: f64, allowed: Allowed| RecipeIssue::BadValue {
            param: param.into(),
            value,
            allowed,
        };
        let no_column = |name: &str| RecipeIssue::NoSuchColumn { name: name.into() };
        if self.version != RECIPE_VERSION {
            bad(
                "version",
                RecipeIssue::UnsupportedVersion {
                    found: self.version,
                    supported: RECIPE_VERSION,
                },
            );
        }
        if table.column(&self.target).is_none() {
            bad("target", no_column(&self.target));
        }
        for c in &self.exclude {
            if table.column(c).is_none() {
                bad("exclude", no_column(c));
            }
            if c == &self.target {
                bad("exclude", RecipeIssue::TargetExcluded { name: c.clone() });
            }
        }
        if !(self.split.test_size > 0.0 && self.split.test_size < 1.0) {
            bad(
                "split.test_size",
                value("test_size", self.split.test_size, Allowed::open(0.0, 1.0)),
            );
        }
        for f in &self.train_filters {
            match table.column(&f.column).map(|c| &c.data) {
                None => bad("train_filters", no_column(&f.column)),
                Some(ColumnData::Categorical { .. } | ColumnData::Date { .. }) => bad(
                    "train_filters",
                    RecipeIssue::NotNumeric {
                        column: f.column.clone(),
                    },
                ),
                _ => {}
            }
            if let (Some(lo), Some(hi)) = (f.min, f.max) {
                if lo > hi {
                    bad(
                        "train_filters",
                        RecipeIssue::MinAboveMax { min: lo, max: hi },
                    );
                }
            }
        }
        if self.models.is_empty() {
            bad("models", RecipeIssue::NoModels);
        }
        for (i, m) in self.models.iter().enumerate() {
            let field = format!("models[{i}]");
            for (p, v) in m.param_values() {
                if !p.allows(v) {
                    let issue = RecipeIssue::BadValue {
                        param: p.name.into(),
                        value: v.unwrap_or(f64::NAN),
                        allowed: p.allowed(),
                    };
                    bad(&field, issue);
                }
            }
            if let Some(task) = self.resolved_task(table) {
                if !m.fits(task) {
                    bad(
                        &field,
                        RecipeIssue::ModelDoesNotFitTask {
                            model: m.kind().into(),
                            task,
                        },
                    );
                }
            }
        }
        out
    }

    /// The task: as set, else detected from the target (None if there is no such column).
    pub fn resolved_task(&self, table: &Table) -> Option<Task> {
        let col = table.column(&self.target)?;
        Some(match (&col.data, self.task) {
            (ColumnData::Categorical { .. }, _) => Task::Classification,
            (_, Some(t)) => t,
            (_, None) => crate::engine::diagnose::detect_task(col),
        })
    }
}

/// Metrics of either task (externally tagged, so that it crosses to and from the worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Metrics {
    Regression(RegressionMetrics),
    Classification(ClassificationMetrics),
}

impl Metrics {
    /// The headline score the "usable if" threshold applies to: R² for regression, accuracy
    /// for classification.
    pub fn headline(&self) -> f64 {
        match self {
            Metrics::Regression(r) => r.r2,
            Metrics::Classification(c) => c.accuracy,
        }
    }

    /// The metrics object itself, without the task tag.
    pub fn inner_json(&self) -> Value {
        match self {
            Metrics::Regression(m) => serde_json::to_value(m),
            Metrics::Classification(m) => serde_json::to_value(m),
        }
        .unwrap_or(Value::Null)
    }
}

/// A fitted model of either kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fitted {
    Linear(LinearModel),
    Logistic(LogisticModel),
    /// A forest; a decision tree is a forest of one tree fitted on every row.
    Forest(Forest),
    Knn(Knn),
    NaiveBayes(GaussianNb),
}

impl Fitted {
    /// One processed row's output: a value (regression) or class probabilities.
    pub fn output(&self, x: &[f64]) -> Vec<f64> {
        match self {
            Fitted::Linear(m) => vec![m.predict_row(x)],
            Fitted::Logistic(m) => m.predict_proba_row(x),
            Fitted::Forest(f) => f.predict_row(x),
            Fitted::Knn(k) => k.predict_row(x),
            Fitted::NaiveBayes(nb) => nb.predict_proba_row(x),
        }
    }

    /// Importance of each processed column: |coefficient| for linear models (with sign kept),
    /// impurity decrease for trees; None where the model has no such notion.
    pub fn importances(&self) -> Option<Vec<f64>> {
        match self {
            Fitted::Linear(m) => Some(m.coef.clone()),
            Fitted::Forest(f) => Some(f.importances()),
            _ => None,
        }
    }

    fn n_iter(&self) -> usize {
        match self {
            Fitted::Linear(m) => m.n_iter,
            Fitted::Logistic(m) => m.n_iter,
            Fitted::Forest(f) => f.trees.len(),
            Fitted::Knn(_) | Fitted::NaiveBayes(_) => 0,
        }
    }
}

/// The target as class codes 0..k over sorted labels (numbers sorted as numbers).
fn class_codes(table: &Table, target: &str) -> (Vec<String>, Vec<Option<usize>>) {
    let col = table.column(target).expect("validated");
    let name = |v: f64| match &col.data {
        ColumnData::Date { time, .. } => crate::engine::data::reader::format_date(v, *time),
        ColumnData::Numeric { integer, .. } => {
            crate::engine::data::table::format_number(v, *integer)
        }
        ColumnData::Categorical { .. } => String::new(),
    };
    match &col.data {
        ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => {
            let mut distinct: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup();
            let labels = distinct.iter().map(|v| name(*v)).collect();
            let codes = values
                .iter()
                .map(|v| {
                    if v.is_nan() {
                        None
                    } else {
                        distinct.binary_search_by(|d| d.total_cmp(v)).ok()
                    }
                })
                .collect();
            (labels, codes)
        }
        ColumnData::Categorical { levels, codes, .. } => {
            let mut order: Vec<usize> = (0..levels.len()).collect();
            order.sort_by(|&a, &b| levels[a].cmp(&levels[b]));
            let mut rank = vec![0usize; levels.len()];
            for (r, &l) in order.iter().enumerate() {
                rank[l] = r;
            }
            let labels = order.iter().map(|&l| levels[l].clone()).collect();
            let codes = codes
                .iter()
                .map(|&c| {
                    if c == crate::engine::data::table::MISSING_CODE {
                        None
                    } else {
                        Some(rank[c as usize])
                    }
                })
                .collect();
            (labels, codes)
        }
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
    /// The model and its hyperparameters, as the recipe gave them.
    pub spec: ModelSpec,
    pub train: Metrics,
    pub test: Metrics,
    pub model: Fitted,
    pub feature_names: Vec<String>,
    /// Test predictions: values for regression, class codes for classification.
    pub test_predictions: Vec<f64>,
    /// Milliseconds to fit the model and score train and test (NaN without a clock).
    pub fit_ms: f64,
}

impl Serialize for ModelSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            ModelSpec::serialize(self, s)
        } else {
            let text = serde_json::to_string(self).map_err(serde::ser::Error::custom)?;
            s.serialize_str(&text)
        }
    }
}

impl ModelRun {
    /// The hyperparameters as a JSON object under scikit-learn's names (`mlplay run --json`).
    pub fn params(&self) -> Value {
        let mut params = serde_json::to_value(&self.spec).unwrap_or(Value::Null);
        if let Some(o) = params.as_object_mut() {
            o.remove("kind");
        }
        params
    }
}

/// Everything a run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub task: Task,
    pub target: String,
    pub split: SplitSizes,
    pub test_rows: Vec<usize>,
    /// Class labels in code order (classification).
    pub classes: Vec<String>,
    pub models: Vec<ModelRun>,
    /// The fitted preprocessing, to score new rows (the try-it panel, exported models).
    pub preprocessor: Preprocessor,
}

/// Carry out a recipe on a table.
/// The data side of a recipe, before any model: the split, the training rows left after the
/// filters, and the preprocessing fitted on them.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub task: Task,
    /// Class labels in code order (classification).
    pub classes: Vec<String>,
    /// The target per table row: values, or class codes (NaN where missing).
    pub y: Vec<f64>,
    pub sizes: SplitSizes,
    pub train: Vec<usize>,
    pub test: Vec<usize>,
    pub preprocessor: Preprocessor,
}

impl Prepared {
    /// The training rows' targets as the models are fitted on them: class codes for
    /// classification; values for regression, standardised when the recipe scales the target.
    pub fn fit_targets(&self, table: &Table) -> Result<Vec<f64>> {
        match self.task {
            Task::Classification => Ok(self.train.iter().map(|&r| self.y[r]).collect()),
            Task::Regression => self.preprocessor.target_values(table, &self.train),
        }
    }
}

/// Split, filter and fit the preprocessing (everything but the models).
pub fn prepare(table: &Table, recipe: &Recipe) -> Result<Prepared> {
    if let Some(p) = recipe
        .validate(table)
        .into_iter()
        .find(|p| !p.field.starts_with("models"))
    {
        return Err(p.into());
    }
    let task = recipe.resolved_task(table).expect("validated");
    let (classes, y_code) = match task {
        Task::Classification => class_codes(table, &recipe.target),
        Task::Regression => (Vec::new(), Vec::new()),
    };
    let y: Vec<f64> = match (&table.column(&recipe.target).expect("validated").data, task) {
        (ColumnData::Numeric { values, .. }, Task::Regression) => values.clone(),
        (_, Task::Regression) => {
            return Err(Error::TargetNotNumeric {
                target: recipe.target.clone(),
            })
        }
        (_, Task::Classification) => y_code
            .iter()
            .map(|c| c.map(|v| v as f64).unwrap_or(f64::NAN))
            .collect(),
    };
    // Rows with a missing target take no part in training or testing.
    let known: Vec<usize> = (0..table.n_rows()).filter(|&r| !y[r].is_nan()).collect();
    if known.is_empty() {
        return Err(Error::TargetAllMissing {
            target: recipe.target.clone(),
        });
    }
    if task == Task::Classification && classes.len() < 2 {
        return Err(Error::TargetOneClass {
            target: recipe.target.clone(),
            class: classes.first().cloned().unwrap_or_default(),
        });
    }
    if task == Task::Classification && classes.len() > MAX_CLASSES {
        return Err(Error::TooManyClasses {
            target: recipe.target.clone(),
            classes: classes.len() as u64,
            limit: MAX_CLASSES as u64,
        });
    }
    let split = if recipe.split.stratify && task == Task::Classification {
        // Rows with a missing class cannot be stratified; they sit out the split.
        let labels: Vec<usize> = known.iter().map(|&r| y[r] as usize).collect();
        stratified_split(&labels, &recipe.split)
            .map(|s| Split {
                train: s.train.iter().map(|&i| known[i]).collect(),
                test: s.test.iter().map(|&i| known[i]).collect(),
            })
            .ok_or_else(|| stratify_error(&labels, &classes, recipe.split.test_size))?
    } else {
        train_test_split(table.n_rows(), &recipe.split).ok_or_else(|| {
            let rows = table.n_rows() as u64;
            Error::SplitEmptySide {
                rows,
                test_size: recipe.split.test_size,
                test_rows: test_rows(rows, recipe.split.test_size),
            }
        })?
    };
    let keep = |r: &usize| {
        !y[*r].is_nan()
            && recipe.train_filters.iter().all(|f| {
                let v = match &table.column(&f.column).expect("validated").data {
                    ColumnData::Numeric { values, .. } => values[*r],
                    ColumnData::Categorical { .. } | ColumnData::Date { .. } => f64::NAN,
                };
                !v.is_nan() && f.min.is_none_or(|m| v >= m) && f.max.is_none_or(|m| v <= m)
            })
    };
    let train: Vec<usize> = split.train.iter().copied().filter(keep).collect();
    let test: Vec<usize> = split
        .test
        .iter()
        .copied()
        .filter(|r| !y[*r].is_nan())
        .collect();
    if train.len() < 2 || test.is_empty() {
        return Err(Error::FilteredOut {
            train_rows: train.len() as u64,
            test_rows: test.len() as u64,
        });
    }
    let preprocessor = PreprocessConfig {
        target: recipe.target.clone(),
        exclude: recipe.exclude.clone(),
        numeric: recipe.numeric.clone(),
        categorical: recipe.categorical.clone(),
        target_standard: task == Task::Regression && recipe.target_scale == TargetScale::Standard,
        date_parts: recipe.date_parts.clone(),
    }
    .fit(table, &train)?;
    if preprocessor.features.is_empty() {
        return Err(Error::NoFeatures {
            target: recipe.target.clone(),
        });
    }
    Ok(Prepared {
        task,
        classes,
        sizes: SplitSizes {
            train: split.train.len(),
            test: split.test.len(),
            train_after_filters: train.len(),
        },
        y,
        train,
        test,
        preprocessor,
    })
}

/// The test rows scikit-learn's `train_test_split` takes from `rows` rows.
fn test_rows(rows: u64, test_size: f64) -> u64 {
    (test_size * rows as f64).ceil() as u64
}

/// Why a stratified split of these class codes is impossible (it returned None).
fn stratify_error(labels: &[usize], classes: &[String], test_size: f64) -> Error {
    let mut counts = vec![0u64; classes.len()];
    for &l in labels {
        counts[l] += 1;
    }
    let rows = labels.len() as u64;
    let test = test_rows(rows, test_size);
    if test == 0 || test >= rows {
        return Error::SplitEmptySide {
            rows,
            test_size,
            test_rows: test,
        };
    }
    if let Some((i, &n)) = counts
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .min_by_key(|(_, &n)| n)
        .filter(|(_, &n)| n < 2)
    {
        return Error::StratifyClassTooSmall {
            class: classes[i].clone(),
            rows: n,
        };
    }
    Error::StratifySideTooSmall {
        classes: counts.iter().filter(|&&n| n > 0).count() as u64,
        train_rows: rows - test,
        test_rows: test,
    }
}

/// Carry out a recipe on a table.
pub fn run(table: &Table, recipe: &Recipe, progress: &mut dyn FnMut(f64)) -> Result<RunResult> {
    run_with_clock(table, recipe, progress, &|| f64::NAN)
}

/// [`run`], timing each model's fit and scoring with `now` (milliseconds; the engine has no
/// clock of its own, so the caller lends one).
pub fn run_with_clock(
    table: &Table,
    recipe: &Recipe,
    progress: &mut dyn FnMut(f64),
    now: &dyn Fn() -> f64,
) -> Result<RunResult> {
    if let Some(p) = recipe.validate(table).into_iter().next() {
        return Err(p.into());
    }
    let Prepared {
        task,
        classes,
        y: y_num,
        sizes,
        train,
        test,
        preprocessor: pre,
    } = prepare(table, recipe)?;
    let x_train = pre.transform(table, &train)?;
    let x_test = pre.transform(table, &test)?;
    let y_train: Vec<f64> = train.iter().map(|&r| y_num[r]).collect();
    let y_test: Vec<f64> = test.iter().map(|&r| y_num[r]).collect();
    let mut models = Vec::new();
    for (i, spec) in recipe.models.iter().enumerate() {
        let started = now();
        let (model, train_m, test_m, pred_test) = match (spec, task) {
            (ModelSpec::LogisticRegression { c }, Task::Classification) => {
                let yt: Vec<usize> = y_train.iter().map(|v| *v as usize).collect();
                let ys: Vec<usize> = y_test.iter().map(|v| *v as usize).collect();
                let m = logistic::fit(&x_train, &yt, classes.len(), *c, 100);
                let score = |x: &[Vec<f64>]| -> Vec<f64> {
                    x.iter()
                        .map(|r| m.predict_proba_row(r).get(1).copied().unwrap_or(0.0))
                        .collect()
                };
                let (pt, ps) = (m.predict(&x_train), m.predict(&x_test));
                let tr = classification(&yt, &pt, &classes, Some(&score(&x_train)));
                let te = classification(&ys, &ps, &classes, Some(&score(&x_test)));
                let pred = ps.iter().map(|&c| c as f64).collect();
                (
                    Fitted::Logistic(m),
                    Metrics::Classification(tr),
                    Metrics::Classification(te),
                    pred,
                )
            }
            (
                ModelSpec::RandomForest { .. }
                | ModelSpec::DecisionTree { .. }
                | ModelSpec::KNeighbors { .. }
                | ModelSpec::GaussianNb,
                _,
            ) => {
                let target = match task {
                    Task::Regression => Target::Regression,
                    Task::Classification => Target::Classes(classes.len()),
                };
                let fitted = match spec {
                    ModelSpec::KNeighbors { n_neighbors } => Fitted::Knn(Knn {
                        k: *n_neighbors as usize,
                        x: x_train.clone(),
                        y: y_train.clone(),
                        classes: classes.len(),
                    }),
                    ModelSpec::GaussianNb => {
                        let yt: Vec<usize> = y_train.iter().map(|v| *v as usize).collect();
                        Fitted::NaiveBayes(GaussianNb::fit(&x_train, &yt, classes.len()))
                    }
                    _ => {
                        let n = recipe.models.len() as f64;
                        Fitted::Forest(fit_trees(spec, &x_train, &y_train, target, &mut |f| {
                            progress((i as f64 + f) / n)
                        }))
                    }
                };
                let predict = |x: &[Vec<f64>]| -> Vec<Vec<f64>> {
                    x.iter()
                        .map(|r| match &fitted {
                            Fitted::Forest(f) => f.predict_row(r),
                            Fitted::Knn(k) => k.predict_row(r),
                            Fitted::NaiveBayes(nb) => nb.predict_proba_row(r),
                            _ => unreachable!("only these kinds are fitted here"),
                        })
                        .collect()
                };
                let (out_train, out_test) = (predict(&x_train), predict(&x_test));
                let (tr, te, pred) =
                    score_outputs(task, &classes, &out_train, &out_test, &y_train, &y_test);
                (fitted, tr, te, pred)
            }
            (_, Task::Regression) => {
                let y_fit = pre.target_values(table, &train)?;
                let m = match spec {
                    ModelSpec::LinearRegression => ridge(&x_train, &y_fit, 0.0),
                    ModelSpec::Ridge { alpha } => ridge(&x_train, &y_fit, *alpha),
                    ModelSpec::Lasso { alpha } => {
                        elastic_net(&x_train, &y_fit, *alpha, 1.0, 1000, 1e-4, &mut |_| {})
                    }
                    ModelSpec::ElasticNet { alpha, l1_ratio } => {
                        elastic_net(&x_train, &y_fit, *alpha, *l1_ratio, 1000, 1e-4, &mut |_| {})
                    }
                    _ => unreachable!("rejected by validate()"),
                };
                let pred_train = pre.inverse_target(&m.predict(&x_train));
                let pred_test = pre.inverse_target(&m.predict(&x_test));
                let tr = regression(&y_train, &pred_train);
                let te = regression(&y_test, &pred_test);
                (
                    Fitted::Linear(m),
                    Metrics::Regression(tr),
                    Metrics::Regression(te),
                    pred_test,
                )
            }
            _ => unreachable!("rejected by validate()"),
        };
        let fit_ms = now() - started;
        models.push(ModelRun {
            fit_ms,
            kind: spec.kind().to_string(),
            spec: spec.clone(),
            train: train_m,
            test: test_m,
            model,
            feature_names: pre.output_names.clone(),
            test_predictions: pred_test,
        });
        progress((i + 1) as f64 / recipe.models.len() as f64);
    }
    Ok(RunResult {
        task,
        target: recipe.target.clone(),
        split: sizes,
        test_rows: test,
        classes,
        models,
        preprocessor: pre,
    })
}

/// Metrics from model outputs (a value, or class probabilities, per row) and the test
/// predictions (values, or class codes).
fn score_outputs(
    task: Task,
    classes: &[String],
    out_train: &[Vec<f64>],
    out_test: &[Vec<f64>],
    y_train: &[f64],
    y_test: &[f64],
) -> (Metrics, Metrics, Vec<f64>) {
    match task {
        Task::Regression => {
            let pt: Vec<f64> = out_train.iter().map(|v| v[0]).collect();
            let ps: Vec<f64> = out_test.iter().map(|v| v[0]).collect();
            let tr = regression(y_train, &pt);
            let te = regression(y_test, &ps);
            (Metrics::Regression(tr), Metrics::Regression(te), ps)
        }
        Task::Classification => {
            let argmax =
                |p: &Vec<f64>| (0..p.len()).fold(0, |b, k| if p[k] > p[b] { k } else { b });
            let yt: Vec<usize> = y_train.iter().map(|v| *v as usize).collect();
            let ys: Vec<usize> = y_test.iter().map(|v| *v as usize).collect();
            let pt: Vec<usize> = out_train.iter().map(argmax).collect();
            let ps: Vec<usize> = out_test.iter().map(argmax).collect();
            let positive = |o: &[Vec<f64>]| -> Vec<f64> {
                o.iter().map(|p| p.get(1).copied().unwrap_or(0.0)).collect()
            };
            let tr = classification(&yt, &pt, classes, Some(&positive(out_train)));
            let te = classification(&ys, &ps, classes, Some(&positive(out_test)));
            (
                Metrics::Classification(tr),
                Metrics::Classification(te),
                ps.iter().map(|&c| c as f64).collect(),
            )
        }
    }
}

/// Fit a random forest, or a single tree on every row for a decision tree.
fn fit_trees(
    spec: &ModelSpec,
    x: &[Vec<f64>],
    y: &[f64],
    target: Target,
    progress: &mut dyn FnMut(f64),
) -> Forest {
    match spec {
        ModelSpec::RandomForest {
            n_estimators,
            max_depth,
            min_samples_leaf,
            max_features,
            random_state,
        } => {
            let params = TreeParams {
                max_depth: *max_depth,
                min_samples_leaf: *min_samples_leaf,
                max_features: *max_features,
            };
            Forest::fit(
                x,
                y,
                target,
                *n_estimators,
                &params,
                *random_state,
                &mut |t| {
                    progress(t as f64 / *n_estimators as f64);
                    true
                },
            )
        }
        ModelSpec::DecisionTree {
            max_depth,
            min_samples_leaf,
            random_state,
        } => {
            let params = TreeParams {
                max_depth: *max_depth,
                min_samples_leaf: *min_samples_leaf,
                max_features: 1.0,
            };
            let tree = Tree::fit(
                x,
                y,
                (0..x.len()).collect(),
                target,
                &params,
                *random_state as u32,
            );
            let classes = match target {
                Target::Regression => 0,
                Target::Classes(k) => k,
            };
            Forest {
                trees: vec![tree],
                classes,
            }
        }
        _ => unreachable!("only tree models are passed"),
    }
}

impl RunResult {
    /// The input columns the fitted preprocessing reads, in feature order.
    pub fn input_columns(&self) -> Vec<String> {
        let columns = self.preprocessor.input_columns();
        columns.into_iter().map(str::to_string).collect()
    }

    /// A one-row table of the input columns from values typed as text, each read as `like`
    /// (the training table) holds it: a number as the CSV reader reads one (surrounding spaces
    /// allowed; anything else is missing), a category as typed (empty is missing).
    pub fn typed_row(&self, like: &Table, values: &[(String, String)]) -> Result<Table> {
        let mut columns = Vec::new();
        for (name, text) in values {
            let col = like
                .column(name)
                .ok_or_else(|| Error::NoSuchColumn { name: name.clone() })?;
            columns.push(match col.data {
                ColumnData::Numeric { integer, .. } => Column::numeric(
                    name.clone(),
                    vec![parse_number(text).map_or(f64::NAN, |(v, _)| v)],
                    integer,
                ),
                ColumnData::Categorical { .. } => {
                    let text = text.trim();
                    Column::categorical(name.clone(), &[(!text.is_empty()).then_some(text)])
                }
                ColumnData::Date { time, .. } => Column::date(
                    name.clone(),
                    vec![parse_date(text).map_or(f64::NAN, |(v, _)| v)],
                    time,
                ),
            });
        }
        Table::new(columns).map_err(Error::Io)
    }

    /// Predictions of every model for row `row` of `table` (a table with the training
    /// columns): the value in the target's units, or the class label and its probability.
    pub fn predict(&self, table: &Table, row: usize) -> Result<Vec<(String, f64)>> {
        let x = self.preprocessor.transform(table, &[row])?;
        Ok(self
            .models
            .iter()
            .map(|m| {
                let out = m.model.output(&x[0]);
                match self.task {
                    Task::Regression => {
                        // Only the linear models were fitted on the standardised target.
                        let v = match m.model {
                            Fitted::Linear(_) => self.preprocessor.inverse_target(&out)[0],
                            _ => out[0],
                        };
                        (crate::engine::data::table::format_number(v, false), v)
                    }
                    Task::Classification => {
                        let k = (0..out.len()).fold(0, |b, i| if out[i] > out[b] { i } else { b });
                        (self.classes.get(k).cloned().unwrap_or_default(), out[k])
                    }
                }
            })
            .collect())
    }
}

/// The `mlplay run --json` shape: split sizes and each model's kind, params and metrics.
pub fn run_json(r: &RunResult) -> Value {
    json!({
        "task": r.task,
        "classes": r.classes,
        "split": r.split,
        "test_rows": r.test_rows,
        "models": r.models.iter().map(|m| json!({
            "kind": m.kind,
            "params": m.params(),
            "train": m.train.inner_json(),
            "test": m.test.inner_json(),
            "n_iter": m.model.n_iter(),
            "fit_ms": m.fit_ms,
        })).collect::<Vec<_>>(),
    })
}

/// A small synthetic problem run once by a freshly started browser worker, before the learner's
/// first training: WebAssembly starts in a baseline compiler and recompiles the functions that
/// turn out hot, so running every model kind once beforehand makes the first real fit run at
/// full speed. Returns the number of models fitted, so callers (and tests) can see it did work.
pub fn warm_up() -> usize {
    // A fixed linear congruential stream: no randomness needed, only varied numbers.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let rows = 1200;
    let mut columns = Vec::new();
    let mut y = vec![0.0; rows];
    for j in 0..30 {
        let values: Vec<f64> = (0..rows).map(|_| next() * 10.0).collect();
        for (t, v) in y.iter_mut().zip(&values) {
            *t += (j as f64 - 14.5) * v;
        }
        columns.push(Column::numeric(format!("x{j}"), values, false));
    }
    let labels: Vec<Option<&str>> = (0..rows).map(|i| Some(["a", "b", "c"][i % 3])).collect();
    columns.push(Column::categorical("group", &labels));
    let median = {
        let mut s = y.clone();
        s.sort_by(f64::total_cmp);
        s[rows / 2]
    };
    let class: Vec<Option<&str>> = y
        .iter()
        .map(|v| Some(if *v > median { "yes" } else { "no" }))
        .collect();
    let noisy: Vec<f64> = y.iter().map(|v| v + next()).collect();
    columns.push(Column::numeric("y", noisy, false));
    columns.push(Column::categorical("label", &class));
    let Ok(table) = Table::new(columns) else {
        return 0;
    };
    let small_forest = ModelSpec::RandomForest {
        n_estimators: 2,
        max_depth: Some(4),
        min_samples_leaf: 1,
        max_features: 1.0,
        random_state: 0,
    };
    let recipe = |target: &str, drop: &str, models: Vec<ModelSpec>| Recipe {
        version: 1,
        na_values: default_na(),
        target: target.into(),
        task: None,
        exclude: vec![drop.into()],
        split: SplitConfig::default(),
        train_filters: Vec::new(),
        numeric: NumericConfig::default(),
        categorical: CategoricalConfig::default(),
        target_scale: TargetScale::Standard,
        models,
        date_parts: default_date_parts(),
        keep_text: Vec::new(),
    };
    let regression = recipe(
        "y",
        "label",
        vec![
            ModelSpec::ElasticNet {
                alpha: 0.01,
                l1_ratio: 0.5,
            },
            ModelSpec::ElasticNet {
                alpha: 1.0,
                l1_ratio: 0.05,
            },
            ModelSpec::Ridge { alpha: 1.0 },
            small_forest.clone(),
        ],
    );
    let classification = recipe(
        "label",
        "y",
        vec![ModelSpec::LogisticRegression { c: 1.0 }, small_forest],
    );
    let mut fitted = 0;
    // Several rounds: the compiler tiers a function up only after it has done enough work.
    for _ in 0..4 {
        for r in [&regression, &classification] {
            if let Ok(result) = run(&table, r, &mut |_| {}) {
                fitted += result.models.len();
            }
        }
    }
    fitted
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
    fn warm_up_fits_every_model_of_both_tasks_in_all_rounds() {
        // 4 rounds of (4 regression + 2 classification) models; a recipe that failed to run
        // would silently warm nothing, so the count is the check.
        assert_eq!(warm_up(), 24);
    }

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
    fn classification_runs_logistic_regression() {
        let mut csv = String::from(
            "a,b,label
",
        );
        for i in 0..120 {
            let label = if (i * 7) % 10 < 5 { "no" } else { "yes" };
            let a = if label == "yes" { 2.0 } else { 0.0 } + (i % 3) as f64 * 0.5;
            csv.push_str(&format!(
                "{a},{},{label}
",
                i % 4
            ));
        }
        let t = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
        let r = Recipe::from_json(
            r#"{"version": 1, "target": "label", "models": [{"kind": "logistic_regression", "C": 1.0}]}"#,
        )
        .unwrap();
        let out = run(&t, &r, &mut |_| {}).unwrap();
        assert_eq!(out.task, Task::Classification);
        assert_eq!(out.classes, ["no", "yes"]);
        match &out.models[0].test {
            Metrics::Classification(m) => {
                assert!(m.accuracy > 0.9, "{m:?}");
                assert!(m.roc_auc.unwrap() > 0.9);
            }
            m => panic!("{m:?}"),
        }
        let bad = Recipe::from_json(
            r#"{"version": 1, "target": "label", "models": [{"kind": "ridge"}]}"#,
        )
        .unwrap();
        assert!(bad.validate(&t).iter().any(|p| p
            .issue
            .to_string()
            .contains("does not fit a classification task")));
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
        let model = r.validate(&t).into_iter().find(|p| p.field == "models[0]");
        assert!(
            matches!(model.map(|p| p.issue), Some(RecipeIssue::BadValue { param, .. }) if param == "l1_ratio")
        );
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
        let out = run(&t, &r, &mut |_| {}).unwrap();
        assert_eq!(out.split.test, 30);
        assert_eq!(out.split.train, 70);
        assert!(out.split.train_after_filters < 70);
        let r2 = |m: &Metrics| match m {
            Metrics::Regression(r) => r.r2,
            Metrics::Classification(_) => panic!("regression expected"),
        };
        assert!(r2(&out.models[0].test) > 0.999, "{:?}", out.models[0].test);
        assert!(r2(&out.models[1].test) > 0.99);
        let j = run_json(&out);
        assert_eq!(j["models"][1]["kind"], "elastic_net");
        assert_eq!(j["models"][1]["params"]["l1_ratio"], 0.5);
        assert!(j["models"][1]["test"]["r2"].is_number());
    }
}

#[cfg(test)]
mod predict_tests {
    use super::*;
    use crate::engine::{load, LoadOptions};

    #[test]
    fn a_typed_row_is_scored_like_the_test_rows() {
        let mut csv = String::from("a,c,y\n");
        for i in 0..60 {
            let c = ["p", "q"][i % 2];
            csv.push_str(&format!(
                "{i},{c},{}\n",
                3 * i + if c == "q" { 10 } else { 0 }
            ));
        }
        let t = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
        let r = Recipe::from_json(
            r#"{"version": 1, "target": "y", "target_scale": "standard",
                "models": [{"kind": "linear_regression"}, {"kind": "random_forest", "n_estimators": 5}]}"#,
        )
        .unwrap();
        let out = run(&t, &r, &mut |_| {}).unwrap();
        let row = out.test_rows[0];
        let preds = out.predict(&t, row).unwrap();
        // Every model scores a test row exactly as the run did, in the target's units.
        for (m, (text, v)) in out.models.iter().zip(&preds) {
            assert!((v - m.test_predictions[0]).abs() < 1e-9, "{}", m.kind);
            assert!(!text.is_empty());
        }
        let one = load(b"a,c,y\n10,q,0\n", &LoadOptions::default())
            .unwrap()
            .table;
        let (_, v) = out.predict(&one, 0).unwrap()[0].clone();
        assert!((v - 40.0).abs() < 1e-6, "{v}");
    }
}
