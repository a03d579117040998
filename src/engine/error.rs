//! The engine's single error type: every failure a learner can cause, with what they need to fix it.

use serde::{Deserialize, Serialize};

/// Everything that can go wrong in the engine. `Clone + PartialEq` so it can live in UI state;
/// the UI translates each variant, `Display` gives the English text for the command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Error {
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
    #[error("no column named '{name}'")]
    NoSuchColumn { name: String },
    #[error("{0}")]
    Io(String),
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
