//! The page: language, location and history, dialogs, the clipboard, locked settings, the
//! panic reporter.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::i18n::Lang;
use crate::route::Route;

/// The browser's preferred language.
pub fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|l| Lang::from_browser(&l))
        .unwrap_or_default()
}

/// Disable the settings on the step page (a class's locked settings): inputs and lists, but
/// not those of the exercises, the notes and the export path, and never buttons.
pub fn disable_settings() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(list) = doc.query_selector_all("#page input, #page select") else {
        return;
    };
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let free = el
            .closest(".conversation, .report-section, .exports")
            .ok()
            .flatten();
        if free.is_none() {
            let _ = el.set_attribute("disabled", "");
        }
    }
}

/// Ask the learner to confirm (a native dialog, reachable by keyboard).
pub fn confirm(message: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(message).ok())
        .unwrap_or(false)
}

/// Reload the page.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The page's query string (`?embed=…`).
pub fn query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The page's address without query and fragment.
pub fn page_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Replace the URL fragment without adding a history entry or firing hashchange.
pub fn replace_hash(hash: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash));
    }
}

/// The page's language as `<html lang>` says.
pub fn document_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default()
}

/// Set `<html lang>` so screen readers and fonts follow the UI language.
pub fn set_document_lang(lang: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", lang.code());
    }
}

/// Put `text` on the clipboard (the browser may refuse, for example without a user gesture).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// Fill the panic box (`#panic` in index.html) with its words in `lang`, ready for the moment
/// it is needed: after a panic, an out-of-memory or a stack overflow no Rust code may be able
/// to run, so index.html's own script shows it and runs its buttons.
pub fn prepare_panic_box(lang: Lang) {
    use crate::i18n::safety::S;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for (id, text) in [
        ("panic-title", S::PanicTitle),
        ("panic-way-out", S::PanicWayOut),
        ("panic-reload", S::PanicReload),
        ("panic-erase", S::PanicErase),
        ("panic-dismiss", S::PanicDismiss),
    ] {
        if let Some(el) = doc.get_element_by_id(id) {
            el.set_text_content(Some(text.get(lang)));
        }
    }
}

/// Show the panic box with `detail` (the page's script does the same for errors that never
/// reach Rust). `fatal`: the page cannot go on (no Close button).
pub fn show_panic_box(detail: &str, fatal: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(el) = doc.get_element_by_id("panic-detail") {
        el.set_text_content(Some(detail));
    }
    if let Some(el) = doc.get_element_by_id("panic-dismiss") {
        if fatal {
            let _ = el.set_attribute("hidden", "");
        } else {
            let _ = el.remove_attribute("hidden");
        }
    }
    if let Some(el) = doc.get_element_by_id("panic") {
        let _ = el.remove_attribute("hidden");
    }
}

/// Whether the panic box is up (the page crashed).
pub fn panic_box_shown() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("panic"))
        .is_some_and(|el| !el.has_attribute("hidden"))
}

/// Report panics in the panic box as well as the console. Installed through yew, whose
/// renderer would otherwise replace any hook set before it with its own console-only one.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic_box(&info.to_string(), true);
    }));
}

/// The URL fragment, with its `#`.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page the URL fragment names.
pub fn current_route() -> Route {
    Route::from_hash(&location_hash())
}

/// Scroll the page to its top.
pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Listen to a window event until the returned function is called (an effect's clean-up).
pub fn listen(event: &'static str, handler: impl Fn(web_sys::Event) + 'static) -> impl FnOnce() {
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(handler);
    let window = web_sys::window().expect("a window");
    let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    move || {
        let _ = window.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    }
}
