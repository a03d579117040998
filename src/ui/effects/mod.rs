//! What the app does besides rendering: saving and restoring, reading data, training.

pub mod analyzer;
pub mod loader;
pub mod persist;
pub mod trainer;
