//! Data in memory: the table, the CSV reader, pandas-style summaries and CSV output.

pub mod csv_out;
pub mod reader;
pub mod summary;
pub mod table;
