//! Everything that talks to browser APIs besides yew: storage, the page, files, the clock and
//! the engine worker.

pub mod clock;
pub mod dom;
pub mod files;
pub mod storage;
pub mod worker;
