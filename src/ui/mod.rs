//! The web app (wasm32 only). Thin: it renders the [`Session`](crate::session::Session) and turns
//! user events into actions; all computing happens in the engine, and what is saved is decided
//! in [`crate::persist`].

pub mod app;
pub mod components;
pub mod effects;
pub mod embed;
pub mod export;
pub mod platform;
pub mod shell;
pub mod state;
pub mod steps;

/// The engine worker bridge (the worker binary registers through it).
pub use platform::worker;

/// Start the app: install the panic reporter, read what was saved in IndexedDB, then mount
/// the root component.
pub fn start() {
    platform::dom::install_panic_hook();
    platform::dom::prepare_panic_box(platform::dom::browser_lang());
    wasm_bindgen_futures::spawn_local(async {
        // This page holds a lock while it is open, so that pages opened beside it (tabs,
        // widget frames of a slide deck) never read its breadcrumb as work that died.
        platform::storage::hold_alive_lock().await;
        let live = platform::storage::live_instances().await;
        let left = crate::persist::left_behind(&platform::storage::breadcrumbs(), live.as_ref());
        platform::storage::remove_breadcrumbs(left.iter().map(|(k, _)| k));
        let crumb = crate::persist::recovery_from(&left);
        // The panic box's "erase my data" asked for a clean start.
        if crumb == Some(crate::persist::Breadcrumb::Erase) {
            if let Err(e) = platform::storage::erase_everything().await {
                platform::storage::report_storage_error(&e);
            }
        } else {
            effects::persist::set_recovery(crumb);
        }
        platform::storage::hydrate().await;
        let root = gloo_utils_root();
        yew::Renderer::<app::App>::with_root(root).render();
    });
}

fn gloo_utils_root() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("the app runs in a page with a document");
    document
        .get_element_by_id("app")
        .or_else(|| document.body().map(Into::into))
        .expect("index.html has a body")
}
