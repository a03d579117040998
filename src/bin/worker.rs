//! The parse worker's entry point: on wasm32 it registers the Web Worker that reads large files
//! off the page's main thread. It has no native use.

#[cfg(target_arch = "wasm32")]
fn main() {
    mlplay::ui::worker::register();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the mlplay parse worker runs only in the browser build; use `mlplay` instead");
    std::process::exit(2);
}
