//! mlplay: a machine-learning playground that runs in the browser. The engine, the bundled
//! dataset catalogue, translations and session state are plain Rust; `ui` exists only on wasm32.

pub mod chart;
pub mod comms;
pub mod datasets;
pub mod engine;
pub mod i18n;
pub mod persist;
pub mod report;
pub mod route;
pub mod runs;
pub mod session;
pub mod share;
pub mod wire;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod fuzz;
#[cfg(not(target_arch = "wasm32"))]
pub mod serve;

#[cfg(target_arch = "wasm32")]
pub mod ui;
