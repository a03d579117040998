//! The estimators, each equal to its scikit-learn counterpart, and the metrics that test them.

pub mod catalogue;
pub mod linear;
pub mod logistic;
pub mod metrics;
pub mod neighbors;
pub mod tree;
