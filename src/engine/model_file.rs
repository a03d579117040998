//! A trained model as one self-contained, versioned JSON file: the recipe it came from, the
//! fitted preprocessing (imputers, scalers, encoders, target scaling) and the model's own
//! parameters. The browser downloads it; `mlplay predict` and `mlplay serve` load it and score
//! new rows with exactly the browser's arithmetic.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::data::table::{Column, Table};
use crate::engine::error::{Error, ModelProblem, Result, RowProblem};
use crate::engine::models::tree::{Node, Tree};
use crate::engine::pipeline::preprocess::{Feature, Preprocessor};
use crate::engine::pipeline::recipe::{Fitted, ModelSpec, Recipe, RunResult};
use crate::engine::Task;

/// The `format` field of every model file.
pub const MODEL_FORMAT: &str = "mlplay-model";
/// The newest model-file version this build reads and writes.
pub const MODEL_VERSION: u32 = 1;

/// One trained model with everything needed to score raw rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub format: String,
    pub version: u32,
    /// The program that wrote it, for the curious.
    pub written_by: String,
    pub task: Task,
    pub target: String,
    /// Class labels in code order (classification); empty for regression.
    pub classes: Vec<String>,
    /// The recipe of the run, with `models` narrowed to this model.
    pub recipe: Recipe,
    /// The fitted preprocessing: raw columns in, the model's inputs out.
    pub preprocessor: Preprocessor,
    pub model: Fitted,
    /// Train and test metrics at training time (the figures to monitor in operation).
    pub metrics: Value,
}

/// Scores for a batch of rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Predictions {
    /// Predicted values in the target's units.
    Values(Vec<f64>),
    /// The predicted class of each row and its probability for every class (in `classes` order).
    Classes {
        labels: Vec<String>,
        probabilities: Vec<Vec<f64>>,
    },
}

impl Predictions {
    pub fn len(&self) -> usize {
        match self {
            Predictions::Values(v) => v.len(),
            Predictions::Classes { labels, .. } => labels.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl ModelFile {
    /// The model file of model `index` of a run made from `recipe`.
    pub fn from_run(result: &RunResult, recipe: &Recipe, index: usize) -> Option<ModelFile> {
        let run = result.models.get(index)?;
        let spec: ModelSpec = recipe.models.get(index)?.clone();
        let mut recipe = recipe.clone();
        recipe.models = vec![spec];
        Some(ModelFile {
            format: MODEL_FORMAT.into(),
            version: MODEL_VERSION,
            written_by: format!("mlplay {}", env!("CARGO_PKG_VERSION")),
            task: result.task,
            target: result.target.clone(),
            classes: result.classes.clone(),
            recipe,
            preprocessor: result.preprocessor.clone(),
            model: run.model.clone(),
            metrics: serde_json::json!({
                "train": run.train.inner_json(),
                "test": run.test.inner_json(),
            }),
        })
    }

    /// The model's kind as the recipe names it (`elastic_net`, `random_forest`, …).
    pub fn kind(&self) -> &str {
        self.recipe
            .models
            .first()
            .map(ModelSpec::kind)
            .unwrap_or("")
    }

    /// A file name that says what the model is.
    pub fn file_name(&self, index: usize) -> String {
        format!("model-{}-{}.json", index + 1, self.kind())
    }

    /// The JSON text. Fails if a fitted number is not finite (JSON cannot hold it), which
    /// happens only when a column had no value at all in the training rows.
    pub fn to_json(&self) -> Result<String> {
        let text = serde_json::to_string(self).map_err(|e| Error::Internal {
            detail: e.to_string(),
        })?;
        // serde_json writes NaN and infinities as null, which would not read back; and a file
        // must score exactly as the page did, so it has to read back equal, bit for bit.
        match ModelFile::from_json(&text) {
            Ok(back) if back == *self => Ok(text),
            // A structure no file may have is named as such (the engine never fits one).
            Err(e @ Error::ModelFileBroken { .. }) => Err(e),
            _ => Err(Error::ModelNotFinite),
        }
    }

    /// Read a model file, with a clear message for another program's JSON or a newer version,
    /// and check its structure ([`ModelFile::validate`]), so that scoring what loads can
    /// neither panic nor loop.
    pub fn from_json(text: &str) -> Result<ModelFile> {
        let value: Value = serde_json::from_str(text).map_err(|e| Error::Malformed {
            line: e.line() as u64,
            message: format!("model file: {e}"),
        })?;
        if value.get("format").and_then(Value::as_str) != Some(MODEL_FORMAT) {
            return Err(Error::NotModelFile);
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v as u32 == MODEL_VERSION => {}
            Some(v) => {
                return Err(Error::ModelFileVersion {
                    found: v,
                    supported: MODEL_VERSION,
                })
            }
            None => return Err(Error::ModelFileNoVersion),
        }
        let model: ModelFile =
            serde_json::from_value(value).map_err(|e| Error::ModelFileInvalid {
                detail: e.to_string(),
            })?;
        model.validate()?;
        Ok(model)
    }

    /// The raw columns a row must have, in the order the preprocessing reads them.
    pub fn input_columns(&self) -> Vec<&str> {
        self.preprocessor.input_columns()
    }

    /// Whether a raw column is read as a date.
    pub fn is_date_input(&self, column: &str) -> bool {
        self.preprocessor
            .features
            .iter()
            .any(|f| matches!(f, Feature::Date { column: c, .. } if c == column))
    }

    /// Whether a raw column is read as a number (otherwise as a category).
    pub fn is_numeric_input(&self, column: &str) -> bool {
        self.preprocessor
            .features
            .iter()
            .any(|f| matches!(f, Feature::Numeric { column: c, .. } if c == column))
    }

    /// Score every row of `table`. Columns the model does not use (the target among them) are
    /// ignored; a missing value is imputed as in training; an unseen category counts as
    /// unknown (ordinal code 0, or no one-hot column set); a missing column is an error that
    /// names every missing column.
    pub fn predict(&self, table: &Table) -> Result<Predictions> {
        let missing: Vec<&str> = self
            .input_columns()
            .into_iter()
            .filter(|c| table.column(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::MissingInputColumns {
                columns: missing.iter().map(|c| c.to_string()).collect(),
            });
        }
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        let x = self.preprocessor.transform(table, &rows)?;
        Ok(match self.task {
            Task::Regression => {
                let raw: Vec<f64> = x.iter().map(|r| self.model.output(r)[0]).collect();
                // Only the linear models were fitted on the standardised target.
                Predictions::Values(match self.model {
                    Fitted::Linear(_) => self.preprocessor.inverse_target(&raw),
                    _ => raw,
                })
            }
            Task::Classification => {
                let probabilities: Vec<Vec<f64>> = x.iter().map(|r| self.model.output(r)).collect();
                let labels = probabilities
                    .iter()
                    .map(|p| {
                        let k = (0..p.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b });
                        self.classes.get(k).cloned().unwrap_or_default()
                    })
                    .collect();
                Predictions::Classes {
                    labels,
                    probabilities,
                }
            }
        })
    }

    /// A table of the model's input columns built from JSON rows (objects of column → value),
    /// as the prediction server receives them. Numbers and numeric text go to numeric columns,
    /// text and numbers to categorical ones, null means missing; an absent column or a value
    /// of the wrong kind is an error naming the row (from 0) and the column.
    pub fn table_from_json_rows(&self, rows: &[Value]) -> Result<Table> {
        let columns = self.input_columns();
        let mut out = Vec::with_capacity(columns.len());
        for name in columns {
            if self.is_date_input(name) {
                out.push(date_column_from_json_rows(name, rows)?);
                continue;
            }
            let numeric = self.is_numeric_input(name);
            let mut numbers = Vec::new();
            let mut texts: Vec<Option<String>> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let row_error = |problem| Error::BadRow {
                    row: i as u64,
                    problem,
                };
                let obj = row
                    .as_object()
                    .ok_or_else(|| row_error(RowProblem::NotObject))?;
                let v = obj.get(name).ok_or_else(|| {
                    row_error(RowProblem::NoValue {
                        column: name.into(),
                    })
                })?;
                let column = || name.to_string();
                let expected_number = || row_error(RowProblem::ExpectedNumber { column: column() });
                if numeric {
                    numbers.push(match v {
                        Value::Null => f64::NAN,
                        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                        Value::String(s) => match crate::engine::data::reader::parse_number(s) {
                            Some((x, _)) => x,
                            None if s.trim().is_empty() => f64::NAN,
                            None => return Err(expected_number()),
                        },
                        _ => return Err(expected_number()),
                    });
                } else {
                    texts.push(match v {
                        Value::Null => None,
                        Value::String(s) if s.is_empty() => None,
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => n.as_f64().map(|x| {
                            crate::engine::data::table::format_number(x, x.fract() == 0.0)
                        }),
                        Value::Bool(b) => Some(if *b { "True" } else { "False" }.into()),
                        _ => return Err(row_error(RowProblem::ExpectedText { column: column() })),
                    });
                }
            }
            out.push(if numeric {
                Column::numeric(name, numbers, false)
            } else {
                Column::categorical(name, &texts)
            });
        }
        if out.is_empty() {
            // A model without inputs still scores one row per object.
            out.push(Column::numeric("", vec![0.0; rows.len()], false));
        }
        Table::new(out).map_err(|detail| Error::Internal { detail })
    }
}

/// A model-file problem at `at`.
fn broken(at: impl Into<String>, problem: ModelProblem) -> Error {
    Error::ModelFileBroken {
        at: at.into(),
        problem,
    }
}

/// `list` must have `expected` entries.
fn length(at: impl Into<String>, found: usize, expected: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(broken(
            at,
            ModelProblem::Length {
                found: found as u64,
                expected: expected as u64,
            },
        ))
    }
}

/// Every number of `values` must be finite; the first that is not is named by its index.
fn finite(at: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(broken(format!("{at}[{i}]"), ModelProblem::NotFinite)),
    }
}

/// A list that binary search can use: strictly ascending in code-point order.
fn sorted(at: String, values: &[String]) -> Result<()> {
    if values.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err(broken(at, ModelProblem::NotSorted))
    }
}

/// One tree of a forest: every child exists, the nodes form a tree under node 0 (no loop, no
/// node with two parents, none unreachable), splits use existing inputs with finite
/// thresholds, and leaves hold `leaf_len` finite numbers. Walks with its own stack, so a
/// deep tree cannot overflow the thread's.
fn check_tree(t: usize, tree: &Tree, inputs: usize, leaf_len: usize) -> Result<()> {
    let at = format!("model.forest.trees[{t}].nodes");
    let n = tree.nodes.len();
    if n == 0 {
        return Err(broken(at, ModelProblem::Empty));
    }
    let mut seen = vec![false; n];
    let mut on_path = vec![false; n];
    let mut stack = vec![(0usize, false)];
    seen[0] = true;
    while let Some((i, leaving)) = stack.pop() {
        if leaving {
            on_path[i] = false;
            continue;
        }
        on_path[i] = true;
        stack.push((i, true));
        let node_at = || format!("{at}[{i}]");
        match &tree.nodes[i] {
            Node::Leaf { value } => {
                length(format!("{}.Leaf.value", node_at()), value.len(), leaf_len)?;
                finite(&format!("{}.Leaf.value", node_at()), value)?;
            }
            Node::Split {
                feature,
                threshold,
                left,
                right,
            } => {
                if *feature >= inputs {
                    return Err(broken(
                        node_at(),
                        ModelProblem::NoSuchInput {
                            feature: *feature as u64,
                            inputs: inputs as u64,
                        },
                    ));
                }
                if !threshold.is_finite() {
                    return Err(broken(
                        format!("{}.Split.threshold", node_at()),
                        ModelProblem::NotFinite,
                    ));
                }
                // Right first, so that the left subtree is walked first.
                for &c in [right, left] {
                    let child = c as u64;
                    if c >= n {
                        return Err(broken(
                            node_at(),
                            ModelProblem::NoSuchNode {
                                child,
                                nodes: n as u64,
                            },
                        ));
                    }
                    if on_path[c] {
                        return Err(broken(node_at(), ModelProblem::Loop { child }));
                    }
                    if seen[c] {
                        return Err(broken(node_at(), ModelProblem::SharedNode { child }));
                    }
                    seen[c] = true;
                    stack.push((c, false));
                }
            }
        }
    }
    match seen.iter().position(|s| !s) {
        Some(i) => Err(broken(format!("{at}[{i}]"), ModelProblem::Unreachable)),
        None => Ok(()),
    }
}

impl ModelFile {
    /// Check everything `predict` relies on, so that scoring a file that loads can neither
    /// panic nor loop: one model, of the kind the recipe names and fit for the file's task;
    /// classes that match the model's outputs; preprocessing whose outputs are the model's
    /// inputs (sorted categories, finite non-zero scales); tree indices in range and trees
    /// that are trees; weights, rows and statistics of the right lengths; finite numbers.
    /// The first problem found is returned, with the place in the file it concerns.
    pub fn validate(&self) -> Result<()> {
        length("recipe.models", self.recipe.models.len(), 1)?;
        let kind = self.kind();
        let holds = match &self.model {
            Fitted::Linear(_) => matches!(
                kind,
                "linear_regression" | "ridge" | "lasso" | "elastic_net"
            ),
            Fitted::Logistic(_) => kind == "logistic_regression",
            Fitted::Forest(_) => matches!(kind, "decision_tree" | "random_forest"),
            Fitted::Knn(_) => kind == "k_neighbors",
            Fitted::NaiveBayes(_) => kind == "gaussian_nb",
        };
        if !holds {
            return Err(broken(
                "recipe.models[0]",
                ModelProblem::OtherKind { kind: kind.into() },
            ));
        }
        let classification = self.task == Task::Classification;
        let fits_task = match &self.model {
            Fitted::Linear(_) => !classification,
            Fitted::Logistic(_) | Fitted::NaiveBayes(_) => classification,
            Fitted::Forest(_) | Fitted::Knn(_) => true,
        };
        if !fits_task {
            return Err(broken("model", ModelProblem::WrongTask { task: self.task }));
        }
        let k = self.classes.len();
        if classification {
            if k < 2 {
                return Err(broken(
                    "classes",
                    ModelProblem::TooFewClasses { found: k as u64 },
                ));
            }
            let mut names = std::collections::HashSet::new();
            if let Some(c) = self.classes.iter().find(|c| !names.insert(c.as_str())) {
                return Err(broken(
                    "classes",
                    ModelProblem::Repeated { name: c.clone() },
                ));
            }
        } else {
            length("classes", k, 0)?;
        }
        let p = self.check_preprocessor()?;
        let count = |at: &str, found: usize, expected: usize| -> Result<()> {
            if found == expected {
                Ok(())
            } else {
                Err(broken(
                    at,
                    ModelProblem::Count {
                        found: found as u64,
                        expected: expected as u64,
                    },
                ))
            }
        };
        match &self.model {
            Fitted::Linear(m) => {
                length("model.linear.coef", m.coef.len(), p)?;
                finite("model.linear.coef", &m.coef)?;
                if !m.intercept.is_finite() {
                    return Err(broken("model.linear.intercept", ModelProblem::NotFinite));
                }
            }
            Fitted::Logistic(m) => {
                count("model.logistic.classes", m.classes, k)?;
                let rows = if k == 2 { 1 } else { k };
                length("model.logistic.weights", m.weights.len(), rows)?;
                for (r, w) in m.weights.iter().enumerate() {
                    let at = format!("model.logistic.weights[{r}]");
                    length(at.as_str(), w.len(), p + 1)?;
                    finite(&at, w)?;
                }
            }
            Fitted::Forest(f) => {
                count(
                    "model.forest.classes",
                    f.classes,
                    if classification { k } else { 0 },
                )?;
                if f.trees.is_empty() {
                    return Err(broken("model.forest.trees", ModelProblem::Empty));
                }
                let leaf_len = if classification { k } else { 1 };
                for (t, tree) in f.trees.iter().enumerate() {
                    check_tree(t, tree, p, leaf_len)?;
                }
            }
            Fitted::Knn(m) => {
                if m.k == 0 {
                    return Err(broken("model.knn.k", ModelProblem::NotPositive));
                }
                count(
                    "model.knn.classes",
                    m.classes,
                    if classification { k } else { 0 },
                )?;
                if m.x.is_empty() {
                    return Err(broken("model.knn.x", ModelProblem::Empty));
                }
                for (i, row) in m.x.iter().enumerate() {
                    let at = format!("model.knn.x[{i}]");
                    length(at.as_str(), row.len(), p)?;
                    finite(&at, row)?;
                }
                length("model.knn.y", m.y.len(), m.x.len())?;
                finite("model.knn.y", &m.y)?;
                if classification {
                    if let Some(i) =
                        m.y.iter()
                            .position(|&c| c < 0.0 || c.fract() != 0.0 || c >= k as f64)
                    {
                        return Err(broken(
                            format!("model.knn.y[{i}]"),
                            ModelProblem::NoSuchClass {
                                code: m.y[i],
                                classes: k as u64,
                            },
                        ));
                    }
                }
            }
            Fitted::NaiveBayes(m) => {
                length("model.naive_bayes.means", m.means.len(), k)?;
                length("model.naive_bayes.vars", m.vars.len(), k)?;
                length("model.naive_bayes.log_priors", m.log_priors.len(), k)?;
                finite("model.naive_bayes.log_priors", &m.log_priors)?;
                for c in 0..k {
                    let at = format!("model.naive_bayes.means[{c}]");
                    length(at.as_str(), m.means[c].len(), p)?;
                    finite(&at, &m.means[c])?;
                    let at = format!("model.naive_bayes.vars[{c}]");
                    length(at.as_str(), m.vars[c].len(), p)?;
                    if let Some(j) = m.vars[c].iter().position(|v| !(v.is_finite() && *v > 0.0)) {
                        return Err(broken(format!("{at}[{j}]"), ModelProblem::NotPositive));
                    }
                }
            }
        }
        Ok(())
    }

    /// The preprocessing's checks; returns the number of model inputs it produces.
    fn check_preprocessor(&self) -> Result<usize> {
        let pre = &self.preprocessor;
        let mut width = 0;
        let mut columns = std::collections::HashSet::new();
        for (i, f) in pre.features.iter().enumerate() {
            let at = format!("preprocessor.features[{i}]");
            if !columns.insert(f.column()) {
                return Err(broken(
                    at,
                    ModelProblem::Repeated {
                        name: f.column().into(),
                    },
                ));
            }
            match f {
                Feature::Numeric {
                    fill,
                    offset,
                    scale,
                    ..
                } => {
                    for (name, v) in [("fill", fill), ("offset", offset), ("scale", scale)] {
                        if !v.is_finite() {
                            return Err(broken(
                                format!("{at}.Numeric.{name}"),
                                ModelProblem::NotFinite,
                            ));
                        }
                    }
                    if *scale == 0.0 {
                        return Err(broken(format!("{at}.Numeric.scale"), ModelProblem::Zero));
                    }
                    width += 1;
                }
                Feature::Ordinal { categories, .. } => {
                    sorted(format!("{at}.Ordinal.categories"), categories)?;
                    width += 1;
                }
                Feature::OneHot { categories, .. } => {
                    sorted(format!("{at}.OneHot.categories"), categories)?;
                    width += categories.len();
                }
                Feature::Date { origin, parts, .. } => {
                    if !origin.is_finite() {
                        return Err(broken(format!("{at}.Date.origin"), ModelProblem::NotFinite));
                    }
                    if parts.is_empty() {
                        return Err(broken(format!("{at}.Date.parts"), ModelProblem::Empty));
                    }
                    for (j, part) in parts.iter().enumerate() {
                        let at = format!("{at}.Date.parts[{j}]");
                        for (name, v) in [
                            ("fill", part.fill),
                            ("offset", part.offset),
                            ("scale", part.scale),
                        ] {
                            if !v.is_finite() {
                                return Err(broken(
                                    format!("{at}.{name}"),
                                    ModelProblem::NotFinite,
                                ));
                            }
                        }
                        if part.scale == 0.0 {
                            return Err(broken(format!("{at}.scale"), ModelProblem::Zero));
                        }
                    }
                    width += parts.len();
                }
            }
        }
        length("preprocessor.output_names", pre.output_names.len(), width)?;
        if let Some((mean, sd)) = pre.target_scaler {
            if !mean.is_finite() || !sd.is_finite() {
                return Err(broken(
                    "preprocessor.target_scaler",
                    ModelProblem::NotFinite,
                ));
            }
            if sd == 0.0 {
                return Err(broken("preprocessor.target_scaler", ModelProblem::Zero));
            }
        }
        Ok(width)
    }
}

/// Predictions as JSON: numbers for regression, or label and per-class probabilities.
pub fn predictions_json(model: &ModelFile, p: &Predictions) -> Value {
    match p {
        Predictions::Values(v) => serde_json::json!(v),
        Predictions::Classes {
            labels,
            probabilities,
        } => Value::Array(
            labels
                .iter()
                .zip(probabilities)
                .map(|(l, ps)| {
                    let by_class: serde_json::Map<String, Value> = model
                        .classes
                        .iter()
                        .zip(ps)
                        .map(|(c, p)| (c.clone(), serde_json::json!(p)))
                        .collect();
                    serde_json::json!({"label": l, "probabilities": by_class})
                })
                .collect(),
        ),
    }
}

/// The scored table as CSV: every input column as read (numbers at full precision), then
/// `prediction` (and `probability_<class>` for each class of a classifier).
pub fn predictions_csv(model: &ModelFile, table: &Table, p: &Predictions) -> String {
    let mut header: Vec<String> = table.columns().iter().map(|c| c.name.clone()).collect();
    header.push("prediction".into());
    if let Predictions::Classes { .. } = p {
        header.extend(model.classes.iter().map(|c| format!("probability_{c}")));
    }
    let mut w = crate::engine::data::csv_out::writer();
    let _ = w.write_record(&header);
    for r in 0..table.n_rows() {
        let mut record: Vec<String> = table
            .columns()
            .iter()
            .map(|c| crate::engine::data::csv_out::cell_exact(c, r))
            .collect();
        match p {
            Predictions::Values(v) => record.push(format!("{}", v[r])),
            Predictions::Classes {
                labels,
                probabilities,
            } => {
                record.push(labels[r].clone());
                record.extend(probabilities[r].iter().map(|x| format!("{x}")));
            }
        }
        let _ = w.write_record(&record);
    }
    crate::engine::data::csv_out::finish(w)
}

/// A date input column from JSON rows: a date written as the CSV reader reads one, or null or
/// an empty string for missing; anything else is an error naming the row and the column.
fn date_column_from_json_rows(name: &str, rows: &[Value]) -> Result<Column> {
    let mut values = Vec::with_capacity(rows.len());
    let mut time = false;
    for (i, row) in rows.iter().enumerate() {
        let row_error = |problem| Error::BadRow {
            row: i as u64,
            problem,
        };
        let obj = row
            .as_object()
            .ok_or_else(|| row_error(RowProblem::NotObject))?;
        let v = obj.get(name).ok_or_else(|| {
            row_error(RowProblem::NoValue {
                column: name.into(),
            })
        })?;
        let expected = || {
            row_error(RowProblem::ExpectedDate {
                column: name.into(),
            })
        };
        values.push(match v {
            Value::Null => f64::NAN,
            Value::String(s) if s.trim().is_empty() => f64::NAN,
            Value::String(s) => {
                let (d, t) = crate::engine::data::reader::parse_date(s).ok_or_else(expected)?;
                time |= t;
                d
            }
            _ => return Err(expected()),
        });
    }
    Ok(Column::date(name, values, time))
}
