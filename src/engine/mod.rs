//! The engine: pure Rust, free of the DOM, tested natively. Everything the app computes.

pub mod analysis;
pub mod catalogue;
pub mod error;
pub mod export;
pub mod expr;
pub mod linear;
pub mod logistic;
pub mod metrics;
pub mod model_file;
pub mod neighbors;
pub mod preprocess;
pub mod pyspark;
pub mod reader;
pub mod recipe;
pub mod split;
pub mod summary;
pub mod table;
pub mod tree;
pub mod value;

pub use error::{Error, Result};
pub use reader::{load, load_with_progress, LoadOptions, LoadReport, Loaded};
pub use table::{Column, ColumnData, Kind, Table};
