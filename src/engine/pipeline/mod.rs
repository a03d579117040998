//! From a table to fitted models: the task, the train/test split, preprocessing fitted on the
//! training rows, and the recipe that ties them together and runs the models.

pub mod preprocess;
pub mod recipe;
pub mod rng;
pub mod split;
pub mod task;
