//! The engine: pure Rust, free of the DOM, of the session and of the UI's languages, tested
//! natively. Everything the app computes.
//!
//! - `data`: the table, the CSV reader, pandas-style summaries, CSV output.
//! - `diagnose`: step 2's diagnosis (missing values, target, correlations, findings).
//! - `value`: step 1's business case (payback) and the learner's formula.
//! - `pipeline`: the task, the split, preprocessing, the recipe and its runner.
//! - `models`: the estimators and their metrics.
//! - `model_file`: fitted models as JSON files.
//! - `codegen`: programs generated from a recipe (PySpark).

pub mod codegen;
pub mod data;
pub mod diagnose;
pub mod error;
pub mod model_file;
pub mod models;
pub mod pipeline;
pub mod stats;
pub mod value;

pub use data::reader::{load, load_with_progress, LoadOptions, LoadReport, Loaded};
pub use data::table::{Column, ColumnData, Kind, Table};
pub use error::{Allowed, Category, Error, ModelProblem, RecipeIssue, Result, RowProblem};
pub use pipeline::task::Task;
