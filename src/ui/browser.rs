//! The only place that talks to browser APIs besides yew: storage, clock, files, fetch, and the
//! panic reporter.

use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsCast;

use crate::i18n::{Lang, T};

/// A high-resolution clock in milliseconds that works in pages and in workers.
pub fn now_ms() -> f64 {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|p| p.dyn_into::<web_sys::Performance>().ok())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// The browser's preferred language.
pub fn browser_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .map(|l| Lang::from_browser(&l))
        .unwrap_or_default()
}

/// Read a stored value; missing or unreadable values are None.
pub fn load<V: DeserializeOwned>(key: &str) -> Option<V> {
    use gloo_storage::Storage;
    gloo_storage::LocalStorage::get(key).ok()
}

/// Store a value. Storage can be full or disabled (private mode); the app works without it.
pub fn save<V: Serialize>(key: &str, value: &V) {
    use gloo_storage::Storage;
    if let Err(e) = gloo_storage::LocalStorage::set(key, value) {
        web_sys::console::warn_1(&format!("mlplay: could not save {key}: {e}").into());
    }
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

/// Fetch a bundled file from the app's own origin.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let resp = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    resp.binary().await.map_err(|e| e.to_string())
}

/// Read a file the user chose or dropped.
pub async fn read_file(file: web_sys::File) -> Result<Vec<u8>, String> {
    let file = gloo_file::File::from(file);
    gloo_file::futures::read_as_bytes(&file)
        .await
        .map_err(|e| e.to_string())
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

/// Offer `text` as a file download, made in the page (nothing is uploaded).
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    download_bytes(filename, mime, text.as_bytes())
}

/// Offer `bytes` as a file download, made in the page (nothing is uploaded).
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Report panics on the page, not only in the console: the message box in `index.html`
/// becomes visible with a translated sentence and the panic text.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lang = doc
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|c| Lang::from_code(&c))
            .unwrap_or_default();
        if let Some(el) = doc.get_element_by_id("panic") {
            el.set_text_content(Some(&format!("{} {info}", T::UnexpectedError.get(lang))));
            let _ = el.remove_attribute("hidden");
        }
    }));
}
