//! The engine's single error type: every failure a learner can cause, with what they need to fix it.

use serde::{Deserialize, Serialize};

use crate::engine::Task;

/// Everything that can go wrong in the engine. `Clone + PartialEq` so it can live in UI state;
/// the UI translates each variant (`crate::i18n::error_text`), `Display` gives the English text
/// for the command line. Fields are structured (names, numbers) so both languages can word them;
/// a `detail` string holds only what a library or the browser said, for the English text.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum Error {
    // Reading a CSV file.
    #[error("the file is empty")]
    EmptyFile,
    #[error("the file has a header line but no data rows")]
    HeaderOnly,
    #[error("the file is {bytes} bytes; the limit is {limit} bytes")]
    TooManyBytes { bytes: u64, limit: u64 },
    #[error("the file has more than {limit} data rows")]
    TooManyRows { limit: u64 },
    #[error("the file has {columns} columns; the limit is {limit}")]
    TooManyColumns { columns: u64, limit: u64 },
    #[error("line {line}: {found} fields, expected {expected}")]
    TooManyFields {
        line: u64,
        found: u64,
        expected: u64,
    },
    #[error("line {line}: {message}")]
    Malformed { line: u64, message: String },
    #[error("the text could not be decoded as {encoding}")]
    Undecodable { encoding: String },
    #[error("unknown text encoding '{name}'")]
    UnknownEncoding { name: String },
    #[error("the file looks binary (it contains NUL bytes), not like a CSV text file")]
    Binary,
    /// A column a setting names that the data lacks.
    #[error("no column named '{name}'")]
    NoSuchColumn { name: String },
    /// A file the operating system could not read or write (command line).
    #[error("{0}")]
    Io(String),
    /// A file the browser could not hand over (a file picker or drop, or a bundled dataset).
    #[error("the browser could not read the file: {detail}")]
    FileUnreadable { detail: String },

    // The recipe (the settings of steps 2–6).
    /// A setting that cannot be carried out; `field` is its name in the recipe JSON.
    #[error("{field}: {issue}")]
    Recipe { field: String, issue: RecipeIssue },

    // The train/test split.
    #[error("the split leaves no rows on one side: {rows} rows with a test share of {test_size} give {test_rows} test rows")]
    SplitEmptySide {
        rows: u64,
        test_size: f64,
        test_rows: u64,
    },
    #[error("stratify needs at least two rows of every class; class '{class}' has {rows}")]
    StratifyClassTooSmall { class: String, rows: u64 },
    #[error("stratify needs at least one row of every class on each side: {classes} classes, but {train_rows} train rows and {test_rows} test rows")]
    StratifySideTooSmall {
        classes: u64,
        train_rows: u64,
        test_rows: u64,
    },

    // The target column.
    #[error("the target '{target}' has no values")]
    TargetAllMissing { target: String },
    #[error("the target '{target}' is not numeric: regression needs numbers")]
    TargetNotNumeric { target: String },
    #[error(
        "the target '{target}' has a single class ('{class}'): classification needs at least two"
    )]
    TargetOneClass { target: String, class: String },
    #[error("the target '{target}' has {classes} classes; mlplay classifies at most {limit}")]
    TooManyClasses {
        target: String,
        classes: u64,
        limit: u64,
    },

    // Preprocessing.
    #[error("no feature columns are left: every column but the target '{target}' is excluded")]
    NoFeatures { target: String },
    #[error("too few rows left after the filters: {train_rows} train and {test_rows} test rows (training needs at least 2, the test at least 1)")]
    FilteredOut { train_rows: u64, test_rows: u64 },
    #[error("column '{column}' was numeric when the preprocessing was fitted")]
    ColumnKindChanged { column: String },

    // Model files and predictions with them.
    #[error(
        "not an mlplay model file (it needs \"format\": \"{}\")",
        super::model_file::MODEL_FORMAT
    )]
    NotModelFile,
    #[error("model file version {found}; this mlplay reads version {supported}")]
    ModelFileVersion { found: u64, supported: u32 },
    #[error("model file without a version")]
    ModelFileNoVersion,
    #[error("model file: {detail}")]
    ModelFileInvalid { detail: String },
    #[error("the model holds a number JSON cannot store (NaN or infinity); check for columns with no values in the training rows")]
    ModelNotFinite,
    /// A model file whose structure or numbers cannot be right; `at` is the place in the file
    /// as a path of JSON keys and indices (`model.forest.trees[2].nodes[7]`).
    #[error("model file: {at}: {problem}")]
    ModelFileBroken { at: String, problem: ModelProblem },
    #[error("the data lacks {} column(s) the model needs: {}", columns.len(), columns.join(", "))]
    MissingInputColumns { columns: Vec<String> },
    /// A row sent for prediction (the prediction server's JSON rows), counted from 0.
    #[error("row {row}{}", match problem {
        RowProblem::NotObject => ": not an object of column values".to_string(),
        RowProblem::NoValue { column } => format!(": no value for column '{column}'"),
        RowProblem::ExpectedNumber { column } => format!(", column '{column}': expected a number"),
        RowProblem::ExpectedText { column } => format!(", column '{column}': expected text or a number"),
        RowProblem::ExpectedDate { column } => format!(", column '{column}': expected a date such as 2024-03-05"),
    })]
    BadRow { row: u64, problem: RowProblem },

    // Code generation (notebook, PySpark program).
    #[error("the code could not be generated: {detail}")]
    CodeGeneration { detail: String },

    // The browser's Web Worker.
    #[error("the browser did not start a Web Worker: {detail}")]
    WorkerStart { detail: String },
    #[error("the background worker stopped or answered unreadably: {detail}")]
    WorkerFailed { detail: String },
    #[error("the browser did not save the file: {detail}")]
    DownloadFailed { detail: String },

    /// A failure that points at a bug in mlplay rather than at the data or the settings.
    #[error("internal error: {detail}")]
    Internal { detail: String },
}

/// What is wrong with one recipe field.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum RecipeIssue {
    #[error("version {found} is not supported; this build reads version {supported}")]
    UnsupportedVersion { found: u32, supported: u32 },
    #[error("no column named '{name}'")]
    NoSuchColumn { name: String },
    #[error("the target '{name}' cannot be excluded")]
    TargetExcluded { name: String },
    #[error("'{column}' is not numeric")]
    NotNumeric { column: String },
    #[error("min {min} is above max {max}")]
    MinAboveMax { min: f64, max: f64 },
    #[error("add at least one model")]
    NoModels,
    /// A number outside what the parameter allows (`param` under scikit-learn's name).
    #[error("{param} must be {allowed}, not {value}")]
    BadValue {
        param: String,
        value: f64,
        allowed: Allowed,
    },
    #[error("model '{model}' does not fit a {} task", match task {
        Task::Regression => "regression",
        Task::Classification => "classification",
    })]
    ModelDoesNotFitTask { model: String, task: Task },
}

/// One end of a range of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    pub value: f64,
    /// Whether `value` itself is allowed.
    pub inclusive: bool,
}

/// The values a numeric setting allows: whole numbers or any, each end inclusive or not, and
/// whether `null` ("no limit") is allowed. The model catalogue gives one per hyperparameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Allowed {
    pub integer: bool,
    pub min: Option<Bound>,
    pub max: Option<Bound>,
    pub nullable: bool,
}

impl Allowed {
    /// Any number strictly between `lo` and `hi` (the split's test share).
    pub const fn open(lo: f64, hi: f64) -> Allowed {
        Allowed {
            integer: false,
            min: Some(Bound {
                value: lo,
                inclusive: false,
            }),
            max: Some(Bound {
                value: hi,
                inclusive: false,
            }),
            nullable: false,
        }
    }

    /// Whether `value` (None for `null`) is allowed.
    pub fn allows(&self, value: Option<f64>) -> bool {
        let Some(v) = value else {
            return self.nullable;
        };
        if !v.is_finite() || (self.integer && v.fract() != 0.0) {
            return false;
        }
        let above_min = self
            .min
            .is_none_or(|b| v > b.value || (b.inclusive && v == b.value));
        let below_max = self
            .max
            .is_none_or(|b| v < b.value || (b.inclusive && v == b.value));
        above_min && below_max
    }
}

/// "a number from 0 to 1", "a whole number at least 1, or null for no limit".
impl std::fmt::Display for Allowed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.integer {
            "a whole number"
        } else {
            "a number"
        })?;
        match (&self.min, &self.max) {
            (Some(lo), Some(hi)) if lo.inclusive && hi.inclusive => {
                write!(f, " from {} to {}", lo.value, hi.value)?
            }
            (lo, hi) => {
                let side = |b: &Bound, incl: &str, excl: &str| {
                    format!("{} {}", if b.inclusive { incl } else { excl }, b.value)
                };
                let parts: Vec<String> = lo
                    .iter()
                    .map(|b| side(b, "at least", "above"))
                    .chain(hi.iter().map(|b| side(b, "at most", "below")))
                    .collect();
                if !parts.is_empty() {
                    write!(f, " {}", parts.join(" and "))?;
                }
            }
        }
        if self.nullable {
            f.write_str(", or null for no limit")?;
        }
        Ok(())
    }
}

/// What is wrong at one place of a model file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ModelProblem {
    /// A tree node's child that does not exist.
    NoSuchNode { child: u64, nodes: u64 },
    /// A child that is the node itself or a node above it: following it would never end.
    Loop { child: u64 },
    /// A node that two splits lead to.
    SharedNode { child: u64 },
    /// A node that no path from the root reaches.
    Unreachable,
    /// A split on an input the model does not have.
    NoSuchInput { feature: u64, inputs: u64 },
    /// A list that needs at least one entry.
    Empty,
    /// A list of the wrong length.
    Length { found: u64, expected: u64 },
    /// A count that disagrees with the rest of the file.
    Count { found: u64, expected: u64 },
    /// Fewer classes than a classifier needs.
    TooFewClasses { found: u64 },
    /// A number that is not finite.
    NotFinite,
    /// A number that must be above 0.
    NotPositive,
    /// A number that must not be 0.
    Zero,
    /// A class code that is not one of the classes.
    NoSuchClass { code: f64, classes: u64 },
    /// Categories that are not in code-point order without repeats.
    NotSorted,
    /// A name that appears twice.
    Repeated { name: String },
    /// A model that does not serve the file's task.
    WrongTask { task: Task },
    /// The recipe names another kind of model than the file holds.
    OtherKind { kind: String },
}

impl std::fmt::Display for ModelProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use ModelProblem::*;
        let plural = |n: &u64| if *n == 1 { "entry" } else { "entries" };
        match self {
            NoSuchNode { child, nodes } => write!(
                f,
                "child {child} does not exist (the tree has {nodes} nodes)"
            ),
            Loop { child } => write!(
                f,
                "child {child} is this node or a node above it, a loop that would never end"
            ),
            SharedNode { child } => write!(f, "node {child} is the child of two nodes"),
            Unreachable => f.write_str("no path from the root reaches this node"),
            NoSuchInput { feature, inputs } => write!(
                f,
                "splits on feature {feature}, but the model has {inputs} inputs"
            ),
            Empty => f.write_str("is empty"),
            Length { found, expected } => {
                write!(f, "has {found} {}, expected {expected}", plural(found))
            }
            Count { found, expected } => write!(f, "is {found}, expected {expected}"),
            TooFewClasses { found } => {
                write!(f, "has {found} classes; a classifier needs 2 or more")
            }
            NotFinite => f.write_str("is not a finite number"),
            NotPositive => f.write_str("must be above 0"),
            Zero => f.write_str("must not be 0"),
            NoSuchClass { code, classes } => {
                write!(f, "class code {code} is not one of the {classes} classes")
            }
            NotSorted => f.write_str("is not in code-point order without repeats"),
            Repeated { name } => write!(f, "names '{name}' twice"),
            WrongTask { task } => write!(
                f,
                "this kind of model does not do {}",
                match task {
                    Task::Regression => "regression",
                    Task::Classification => "classification",
                }
            ),
            OtherKind { kind } => write!(
                f,
                "names '{kind}', but the file holds another kind of model"
            ),
        }
    }
}

/// What is wrong with one row sent for prediction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowProblem {
    NotObject,
    NoValue { column: String },
    ExpectedNumber { column: String },
    ExpectedText { column: String },
    ExpectedDate { column: String },
}

/// The kind of failure, for a heading that fits it ("could not read the file", "could not
/// split the data", …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Reading a data file.
    Read,
    /// A setting of the recipe (or a column a setting names).
    Recipe,
    /// The train/test split.
    Split,
    /// The target column does not suit the task.
    Target,
    /// Preprocessing (columns, filters).
    Preprocess,
    /// A model file.
    ModelFile,
    /// Scoring rows with a model.
    Prediction,
    /// Writing the notebook or PySpark program.
    CodeGeneration,
    /// The browser's Web Worker.
    Browser,
    /// A bug in mlplay.
    Internal,
}

impl Error {
    /// The kind of failure.
    pub fn category(&self) -> Category {
        use Error::*;
        match self {
            EmptyFile
            | HeaderOnly
            | TooManyBytes { .. }
            | TooManyRows { .. }
            | TooManyColumns { .. }
            | TooManyFields { .. }
            | Malformed { .. }
            | Undecodable { .. }
            | UnknownEncoding { .. }
            | Binary
            | Io(_)
            | FileUnreadable { .. } => Category::Read,
            Recipe { field, .. } if field.starts_with("split") => Category::Split,
            Recipe { .. } | NoSuchColumn { .. } => Category::Recipe,
            SplitEmptySide { .. } | StratifyClassTooSmall { .. } | StratifySideTooSmall { .. } => {
                Category::Split
            }
            TargetAllMissing { .. }
            | TargetNotNumeric { .. }
            | TargetOneClass { .. }
            | TooManyClasses { .. } => Category::Target,
            NoFeatures { .. } | FilteredOut { .. } | ColumnKindChanged { .. } => {
                Category::Preprocess
            }
            NotModelFile
            | ModelFileVersion { .. }
            | ModelFileNoVersion
            | ModelFileInvalid { .. }
            | ModelFileBroken { .. }
            | ModelNotFinite => Category::ModelFile,
            MissingInputColumns { .. } | BadRow { .. } => Category::Prediction,
            CodeGeneration { .. } => Category::CodeGeneration,
            WorkerStart { .. } | WorkerFailed { .. } | DownloadFailed { .. } => Category::Browser,
            Internal { .. } => Category::Internal,
        }
    }

    /// One value of every variant (and every recipe issue and allowed range), for tests that
    /// must cover them all.
    #[cfg(test)]
    pub(crate) fn examples() -> Vec<Error> {
        let recipe = |field: &str, issue| Error::Recipe {
            field: field.into(),
            issue,
        };
        let bad = |param: &str, value: f64, allowed| RecipeIssue::BadValue {
            param: param.into(),
            value,
            allowed,
        };
        let s = |t: &str| t.to_string();
        vec![
            Error::EmptyFile,
            Error::HeaderOnly,
            Error::TooManyBytes {
                bytes: 300 << 20,
                limit: 200 << 20,
            },
            Error::TooManyRows { limit: 2_000_000 },
            Error::TooManyColumns {
                columns: 2500,
                limit: 2000,
            },
            Error::TooManyFields {
                line: 4,
                found: 5,
                expected: 4,
            },
            Error::Malformed {
                line: 3,
                message: s("unterminated quote"),
            },
            Error::Undecodable {
                encoding: s("UTF-8"),
            },
            Error::UnknownEncoding { name: s("klingon") },
            Error::Binary,
            Error::NoSuchColumn { name: s("price") },
            Error::Io(s("permission denied")),
            Error::FileUnreadable {
                detail: s("NotReadableError"),
            },
            recipe(
                "version",
                RecipeIssue::UnsupportedVersion {
                    found: 2,
                    supported: 1,
                },
            ),
            recipe("target", RecipeIssue::NoSuchColumn { name: s("price") }),
            recipe("exclude", RecipeIssue::TargetExcluded { name: s("price") }),
            recipe(
                "train_filters",
                RecipeIssue::NotNumeric { column: s("city") },
            ),
            recipe(
                "train_filters",
                RecipeIssue::MinAboveMax { min: 5.0, max: 1.0 },
            ),
            recipe("models", RecipeIssue::NoModels),
            recipe(
                "models[0]",
                bad(
                    "alpha",
                    -1.0,
                    crate::engine::models::catalogue::allowed("ridge", "alpha"),
                ),
            ),
            recipe(
                "models[0]",
                bad(
                    "C",
                    0.0,
                    crate::engine::models::catalogue::allowed("logistic_regression", "C"),
                ),
            ),
            recipe(
                "models[0]",
                bad(
                    "l1_ratio",
                    1.5,
                    crate::engine::models::catalogue::allowed("elastic_net", "l1_ratio"),
                ),
            ),
            recipe(
                "split.test_size",
                bad("test_size", 1.0, Allowed::open(0.0, 1.0)),
            ),
            recipe(
                "models[1]",
                bad(
                    "max_features",
                    0.0,
                    crate::engine::models::catalogue::allowed("random_forest", "max_features"),
                ),
            ),
            recipe(
                "models[1]",
                bad(
                    "n_estimators",
                    0.0,
                    crate::engine::models::catalogue::allowed("random_forest", "n_estimators"),
                ),
            ),
            recipe(
                "models[1]",
                bad(
                    "min_samples_leaf",
                    0.0,
                    crate::engine::models::catalogue::allowed("random_forest", "min_samples_leaf"),
                ),
            ),
            recipe(
                "models[2]",
                RecipeIssue::ModelDoesNotFitTask {
                    model: s("logistic_regression"),
                    task: Task::Regression,
                },
            ),
            Error::SplitEmptySide {
                rows: 3,
                test_size: 0.1,
                test_rows: 1,
            },
            Error::StratifyClassTooSmall {
                class: s("Gentoo"),
                rows: 1,
            },
            Error::StratifySideTooSmall {
                classes: 3,
                train_rows: 8,
                test_rows: 2,
            },
            Error::TargetAllMissing { target: s("price") },
            Error::TargetNotNumeric { target: s("city") },
            Error::TargetOneClass {
                target: s("survived"),
                class: s("1"),
            },
            Error::TooManyClasses {
                target: s("Name"),
                classes: 891,
                limit: 100,
            },
            Error::NoFeatures { target: s("price") },
            Error::FilteredOut {
                train_rows: 0,
                test_rows: 30,
            },
            Error::ColumnKindChanged { column: s("age") },
            Error::NotModelFile,
            Error::ModelFileVersion {
                found: 9,
                supported: 1,
            },
            Error::ModelFileNoVersion,
            Error::ModelFileInvalid {
                detail: s("missing field `recipe`"),
            },
            Error::ModelNotFinite,
            Error::ModelFileBroken {
                at: s("model.forest.trees[0].nodes[3]"),
                problem: ModelProblem::NoSuchNode {
                    child: 99,
                    nodes: 7,
                },
            },
            Error::MissingInputColumns {
                columns: vec![s("age"), s("fare")],
            },
            Error::BadRow {
                row: 0,
                problem: RowProblem::NotObject,
            },
            Error::BadRow {
                row: 1,
                problem: RowProblem::NoValue { column: s("age") },
            },
            Error::BadRow {
                row: 2,
                problem: RowProblem::ExpectedNumber { column: s("age") },
            },
            Error::BadRow {
                row: 3,
                problem: RowProblem::ExpectedText { column: s("sex") },
            },
            Error::BadRow {
                row: 4,
                problem: RowProblem::ExpectedDate { column: s("sold") },
            },
            Error::CodeGeneration {
                detail: s("key must be a string"),
            },
            Error::WorkerStart {
                detail: s("SecurityError"),
            },
            Error::WorkerFailed {
                detail: s("out of memory"),
            },
            Error::DownloadFailed {
                detail: s("NotAllowedError"),
            },
            Error::Internal {
                detail: s("column name 'a' appears twice"),
            },
        ]
    }
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The variant's place in the declaration: a new variant fails to compile here until it is
    /// numbered, and then fails the test until `examples()` has one.
    fn variant_number(e: &Error) -> usize {
        use Error::*;
        match e {
            EmptyFile => 0,
            HeaderOnly => 1,
            TooManyBytes { .. } => 2,
            TooManyRows { .. } => 3,
            TooManyColumns { .. } => 4,
            TooManyFields { .. } => 5,
            Malformed { .. } => 6,
            Undecodable { .. } => 7,
            UnknownEncoding { .. } => 8,
            Binary => 9,
            NoSuchColumn { .. } => 10,
            Io(_) => 11,
            FileUnreadable { .. } => 12,
            Recipe { .. } => 13,
            SplitEmptySide { .. } => 14,
            StratifyClassTooSmall { .. } => 15,
            StratifySideTooSmall { .. } => 16,
            TargetAllMissing { .. } => 17,
            TargetNotNumeric { .. } => 18,
            TargetOneClass { .. } => 19,
            NoFeatures { .. } => 20,
            FilteredOut { .. } => 21,
            ColumnKindChanged { .. } => 22,
            NotModelFile => 23,
            ModelFileVersion { .. } => 24,
            ModelFileNoVersion => 25,
            ModelFileInvalid { .. } => 26,
            ModelNotFinite => 27,
            MissingInputColumns { .. } => 28,
            BadRow { .. } => 29,
            CodeGeneration { .. } => 30,
            WorkerStart { .. } => 31,
            WorkerFailed { .. } => 32,
            DownloadFailed { .. } => 33,
            Internal { .. } => 34,
            TooManyClasses { .. } => 35,
            ModelFileBroken { .. } => 36,
        }
    }

    #[test]
    fn examples_cover_every_variant_and_category() {
        let examples = Error::examples();
        let variants: std::collections::BTreeSet<_> = examples.iter().map(variant_number).collect();
        assert_eq!(variants, (0..=36).collect());
        let issues: std::collections::HashSet<_> = examples
            .iter()
            .filter_map(|e| match e {
                Error::Recipe { issue, .. } => Some(std::mem::discriminant(issue)),
                _ => None,
            })
            .collect();
        assert_eq!(issues.len(), 8, "one of each RecipeIssue");
        let categories: std::collections::HashSet<_> =
            examples.iter().map(Error::category).collect();
        assert_eq!(categories.len(), 10);
    }

    #[test]
    fn display_keeps_the_command_line_wording() {
        let e = Error::Recipe {
            field: "models[0]".into(),
            issue: RecipeIssue::BadValue {
                param: "l1_ratio".into(),
                value: 2.0,
                allowed: crate::engine::models::catalogue::allowed("elastic_net", "l1_ratio"),
            },
        };
        assert_eq!(
            e.to_string(),
            "models[0]: l1_ratio must be a number from 0 to 1, not 2"
        );
        let e = Error::BadRow {
            row: 0,
            problem: RowProblem::NoValue {
                column: "fare".into(),
            },
        };
        assert_eq!(e.to_string(), "row 0: no value for column 'fare'");
        assert_eq!(
            Error::NotModelFile.to_string(),
            "not an mlplay model file (it needs \"format\": \"mlplay-model\")"
        );
    }
}
