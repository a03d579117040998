//! Programs generated from a recipe, to run the same work outside the browser. (The notebook
//! lives with the report: its markdown cells are the report's sections.)

pub mod pyspark;
