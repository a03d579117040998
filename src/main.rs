//! Entry point: the web app on wasm32, the `mlplay` command line natively.

#[cfg(target_arch = "wasm32")]
fn main() {
    mlplay::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = mlplay::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
