//! Regression or classification: the one distinction every later step depends on.

use serde::{Deserialize, Serialize};

/// Regression or classification, as the workshop distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    Regression,
    Classification,
}
