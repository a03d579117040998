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

thread_local! {
    /// Every saved value as JSON text, read from IndexedDB once before the app starts, so that
    /// the app can read its settings synchronously while they are stored asynchronously.
    static CACHE: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        Default::default();
    static DB: std::cell::RefCell<Option<web_sys::IdbDatabase>> = const { std::cell::RefCell::new(None) };
}

/// Read a stored value; missing or unreadable values are None.
pub fn load<V: DeserializeOwned>(key: &str) -> Option<V> {
    CACHE.with(|c| {
        c.borrow()
            .get(key)
            .and_then(|j| serde_json::from_str(j).ok())
    })
}

/// Store a value: at once in memory, then in IndexedDB. A failure (a full quota, storage
/// disabled) is reported on the page, never swallowed; the app keeps working.
pub fn save<V: Serialize>(key: &str, value: &V) {
    let Ok(json) = serde_json::to_string(value) else {
        return;
    };
    let changed = CACHE.with(|c| {
        c.borrow_mut()
            .insert(key.to_string(), json.clone())
            .as_ref()
            != Some(&json)
    });
    if changed {
        let key = key.to_string();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = kv_put(&key, &json).await {
                report_storage_error(&format!("{key}: {e}"));
            }
        });
    }
}

/// Remove the given stored keys (in memory now, in IndexedDB soon after; a value saved later
/// is written after this removal, as IndexedDB keeps the order of transactions).
pub fn forget_keys(keys: &[&str]) {
    let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        for k in &keys {
            c.remove(k);
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = idb_delete(&keys).await {
            report_storage_error(&e);
        }
    });
}

/// Remove the given stored keys and wait until IndexedDB has done so.
pub async fn remove_keys(keys: Vec<String>) -> Result<(), String> {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        for k in &keys {
            c.remove(k);
        }
    });
    idb_delete(&keys).await
}

/// Delete keys from IndexedDB only.
async fn idb_delete(keys: &[String]) -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction_with_str_and_mode(IDB_KV, web_sys::IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    let store = tx.object_store(IDB_KV).map_err(js_error)?;
    for k in keys {
        store.delete(&k.into()).map_err(js_error)?;
    }
    wasm_bindgen_futures::JsFuture::from(transaction_done(&tx))
        .await
        .map(|_| ())
        .map_err(js_error)
}

/// Erase everything mlplay keeps in this browser: settings, work and the uploaded file.
pub async fn erase_everything() -> Result<(), String> {
    CACHE.with(|c| c.borrow_mut().clear());
    let db = db().await?;
    let stores = js_sys::Array::of2(&IDB_KV.into(), &IDB_STORE.into());
    let tx = db
        .transaction_with_str_sequence_and_mode(&stores, web_sys::IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    for name in [IDB_KV, IDB_STORE] {
        tx.object_store(name)
            .map_err(js_error)?
            .clear()
            .map_err(js_error)?;
    }
    wasm_bindgen_futures::JsFuture::from(transaction_done(&tx))
        .await
        .map(|_| ())
        .map_err(js_error)
}

/// Read every saved value into memory before the app starts. Values an earlier version kept in
/// local storage move to IndexedDB. Without IndexedDB (some private modes) the app starts
/// empty and reports that it cannot save.
pub async fn hydrate() {
    let result: Result<(), String> = async {
        let db = db().await?;
        let tx = db.transaction_with_str(IDB_KV).map_err(js_error)?;
        let store = tx.object_store(IDB_KV).map_err(js_error)?;
        let keys = wasm_bindgen_futures::JsFuture::from(request_done(
            &store.get_all_keys().map_err(js_error)?,
        ))
        .await
        .map_err(js_error)?;
        let values =
            wasm_bindgen_futures::JsFuture::from(request_done(&store.get_all().map_err(js_error)?))
                .await
                .map_err(js_error)?;
        let (keys, values) = (js_sys::Array::from(&keys), js_sys::Array::from(&values));
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            for i in 0..keys.length() {
                if let (Some(k), Some(v)) = (keys.get(i).as_string(), values.get(i).as_string()) {
                    c.insert(k, v);
                }
            }
        });
        Ok(())
    }
    .await;
    if let Err(e) = result {
        report_storage_error(&e);
    }
    // Move what an earlier version left in local storage.
    if let Some(ls) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let n = ls.length().unwrap_or(0);
        let keys: Vec<String> = (0..n).filter_map(|i| ls.key(i).ok().flatten()).collect();
        for k in keys.into_iter().filter(|k| k.starts_with("mlplay.")) {
            if let Ok(Some(v)) = ls.get_item(&k) {
                if load::<serde_json::Value>(&k).is_none() {
                    if let Ok(value) = serde_json::from_str::<serde_json::Value>(&v) {
                        save(&k, &value);
                    }
                }
            }
            let _ = ls.remove_item(&k);
        }
    }
}

/// The JSON text IndexedDB holds for `key` (not the in-memory copy): what a reload would read.
pub async fn read_stored(key: &str) -> Result<Option<String>, String> {
    let db = db().await?;
    let tx = db.transaction_with_str(IDB_KV).map_err(js_error)?;
    let req = tx
        .object_store(IDB_KV)
        .map_err(js_error)?
        .get(&key.into())
        .map_err(js_error)?;
    let v = wasm_bindgen_futures::JsFuture::from(request_done(&req))
        .await
        .map_err(js_error)?;
    Ok(v.as_string())
}

async fn kv_put(key: &str, json: &str) -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction_with_str_and_mode(IDB_KV, web_sys::IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    tx.object_store(IDB_KV)
        .map_err(js_error)?
        .put_with_key(&json.into(), &key.into())
        .map_err(js_error)?;
    wasm_bindgen_futures::JsFuture::from(transaction_done(&tx))
        .await
        .map(|_| ())
        .map_err(js_error)
}

/// The open database, opened once.
async fn db() -> Result<web_sys::IdbDatabase, String> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let db = idb_open().await?;
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Remove stored values: every key except those in `keep`, and wait for it.
pub async fn forget_all_but(keep: &[&str]) -> Result<(), String> {
    let keys: Vec<String> = CACHE.with(|c| {
        c.borrow()
            .keys()
            .filter(|k| !keep.contains(&k.as_str()))
            .cloned()
            .collect()
    });
    remove_keys(keys).await
}

/// The window event that reports a failed save to the app (its detail is the message).
pub const STORAGE_ERROR_EVENT: &str = "mlplay-storage-error";

thread_local! {
    /// The first storage failure, kept for an app that was not listening yet (IndexedDB can
    /// fail to open before the app mounts).
    static FIRST_ERROR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The first storage failure so far, if any.
pub fn first_storage_error() -> Option<String> {
    FIRST_ERROR.with(|e| e.borrow().clone())
}

/// Tell the app that something could not be saved; it shows the message.
pub fn report_storage_error(message: &str) {
    web_sys::console::warn_1(&format!("mlplay: {message}").into());
    FIRST_ERROR.with(|e| {
        e.borrow_mut().get_or_insert_with(|| message.to_string());
    });
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&message.into());
    if let (Some(w), Ok(ev)) = (
        web_sys::window(),
        web_sys::CustomEvent::new_with_event_init_dict(STORAGE_ERROR_EVENT, &init),
    ) {
        let _ = w.dispatch_event(&ev);
    }
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

/// The uploaded dataset lives in IndexedDB (it can be far larger than local storage allows).
const IDB_NAME: &str = "mlplay";
const IDB_STORE: &str = "files";
/// Settings and work, as JSON text by key.
const IDB_KV: &str = "kv";
const IDB_UPLOAD: &str = "upload";

fn js_error(e: wasm_bindgen::JsValue) -> String {
    if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", d.name(), d.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// A promise settled by an IndexedDB request's success or error event.
fn request_done(req: &web_sys::IdbRequest) -> js_sys::Promise {
    let req = req.clone();
    js_sys::Promise::new(&mut |resolve, reject| {
        let (ok_req, err_req) = (req.clone(), req.clone());
        let ok = wasm_bindgen::closure::Closure::once_into_js(move |_: web_sys::Event| {
            let v = ok_req.result().unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &v);
        });
        let err = wasm_bindgen::closure::Closure::once_into_js(move |_: web_sys::Event| {
            let e = err_req
                .error()
                .ok()
                .flatten()
                .map(wasm_bindgen::JsValue::from)
                .unwrap_or_else(|| "IndexedDB request failed".into());
            let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    })
}

/// A promise settled when a transaction commits or aborts (a full disk aborts it).
fn transaction_done(tx: &web_sys::IdbTransaction) -> js_sys::Promise {
    let tx = tx.clone();
    js_sys::Promise::new(&mut |resolve, reject| {
        let ok = wasm_bindgen::closure::Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        let err_tx = tx.clone();
        let reject2 = reject.clone();
        let err = wasm_bindgen::closure::Closure::once_into_js(move |_: web_sys::Event| {
            let e = err_tx
                .error()
                .map(wasm_bindgen::JsValue::from)
                .unwrap_or_else(|| "IndexedDB transaction aborted".into());
            let _ = reject2.call1(&wasm_bindgen::JsValue::NULL, &e);
        });
        let err2 = err.clone();
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(err.unchecked_ref()));
        tx.set_onerror(Some(err2.unchecked_ref()));
    })
}

async fn idb_open() -> Result<web_sys::IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(js_error)?
        .ok_or("IndexedDB is not available in this browser")?;
    let req = factory.open_with_u32(IDB_NAME, 2).map_err(js_error)?;
    let upgrade = wasm_bindgen::closure::Closure::once_into_js(move |e: web_sys::Event| {
        let db = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok());
        if let Some(db) = db {
            let names = db.object_store_names();
            for store in [IDB_STORE, IDB_KV] {
                if !names.contains(store) {
                    let _ = db.create_object_store(store);
                }
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = wasm_bindgen_futures::JsFuture::from(request_done(&req))
        .await
        .map_err(js_error)?;
    db.dyn_into::<web_sys::IdbDatabase>()
        .map_err(|_| "IndexedDB did not open".to_string())
}

/// Keep the learner's uploaded file (its name and bytes) for the next visit.
pub async fn save_upload(name: &str, bytes: &[u8]) -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction_with_str_and_mode(IDB_STORE, web_sys::IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    let record = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&record, &"name".into(), &name.into());
    let _ = js_sys::Reflect::set(&record, &"bytes".into(), &js_sys::Uint8Array::from(bytes));
    tx.object_store(IDB_STORE)
        .map_err(js_error)?
        .put_with_key(&record, &IDB_UPLOAD.into())
        .map_err(js_error)?;
    wasm_bindgen_futures::JsFuture::from(transaction_done(&tx))
        .await
        .map(|_| ())
        .map_err(js_error)
}

/// The uploaded file kept by [`save_upload`], if any.
pub async fn load_upload() -> Result<Option<(String, Vec<u8>)>, String> {
    let db = db().await?;
    let tx = db.transaction_with_str(IDB_STORE).map_err(js_error)?;
    let req = tx
        .object_store(IDB_STORE)
        .map_err(js_error)?
        .get(&IDB_UPLOAD.into())
        .map_err(js_error)?;
    let v = wasm_bindgen_futures::JsFuture::from(request_done(&req))
        .await
        .map_err(js_error)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let name = js_sys::Reflect::get(&v, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default();
    let bytes = js_sys::Reflect::get(&v, &"bytes".into())
        .ok()
        .map(|b| js_sys::Uint8Array::new(&b).to_vec())
        .unwrap_or_default();
    Ok(Some((name, bytes)))
}

/// Delete the kept upload.
pub async fn erase_upload() -> Result<(), String> {
    let db = db().await?;
    let tx = db
        .transaction_with_str_and_mode(IDB_STORE, web_sys::IdbTransactionMode::Readwrite)
        .map_err(js_error)?;
    tx.object_store(IDB_STORE)
        .map_err(js_error)?
        .delete(&IDB_UPLOAD.into())
        .map_err(js_error)?;
    wasm_bindgen_futures::JsFuture::from(transaction_done(&tx))
        .await
        .map(|_| ())
        .map_err(js_error)
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
