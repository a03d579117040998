//! Storage: every saved value as JSON text in an IndexedDB `kv` store, read into memory before
//! the app starts (so that the app reads it synchronously), the learner's uploaded file in a
//! `files` store, and failures reported on the page. What the values mean is
//! [`crate::persist`]'s business.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// Every saved value as JSON text, read from IndexedDB once before the app starts, so that
    /// the app can read its settings synchronously while they are stored asynchronously.
    static CACHE: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        Default::default();
    static DB: std::cell::RefCell<Option<web_sys::IdbDatabase>> = const { std::cell::RefCell::new(None) };
}

/// The stored JSON text of `key`, if any.
pub fn get(key: &str) -> Option<String> {
    CACHE.with(|c| c.borrow().get(key).cloned())
}

/// Store JSON text: at once in memory, then in IndexedDB (only if it changed). A failure (a
/// full quota, storage disabled) is reported on the page, never swallowed; the app keeps
/// working.
pub fn put(key: &str, json: String) {
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
        let keys: Vec<String> = (0..n)
            .filter_map(|i| ls.key(i).ok().flatten())
            .filter(|k| k.starts_with(crate::persist::PREFIX))
            .collect();
        let legacy: Vec<(String, String)> = keys
            .iter()
            .filter_map(|k| Some((k.clone(), ls.get_item(k).ok().flatten()?)))
            .collect();
        let stored = CACHE.with(|c| c.borrow().clone());
        for (k, json) in crate::persist::migrate_legacy(&stored, &legacy) {
            put(&k, json);
        }
        for k in &keys {
            let _ = ls.remove_item(k);
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

thread_local! {
    /// This page's instance id (see [`crate::persist::breadcrumb_key`]).
    static INSTANCE: String = {
        let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!("{:016x}", (a << 32) | b)
    };
}

/// This page's instance id.
pub fn instance() -> String {
    INSTANCE.with(Clone::clone)
}

/// Hold this page's Web Lock for as long as it is open ([`crate::persist::alive_lock`]) and
/// name the page on its root element, where the panic box's script finds its breadcrumb.
/// Returns once the lock is held, or at once where the browser has no Web Locks (outside a
/// secure context) or refuses them (an opaque origin).
pub async fn hold_alive_lock() {
    let id = instance();
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-mlplay-instance", &id);
    }
    let Some((locks, request)) = lock_method("request") else {
        return;
    };
    let mut resolve = None;
    let granted = js_sys::Promise::new(&mut |res, _| resolve = Some(res));
    let Some(resolve) = resolve else { return };
    let on_grant = {
        let resolve = resolve.clone();
        // Called with the lock: keep it by never settling the promise returned.
        Closure::once_into_js(move |_lock: JsValue| -> JsValue {
            let _ = resolve.call0(&JsValue::NULL);
            js_sys::Promise::new(&mut |_, _| {}).into()
        })
    };
    let name = JsValue::from_str(&crate::persist::alive_lock(&id));
    match request.call2(&locks, &name, &on_grant) {
        Ok(pending) => {
            // A refused request rejects without calling back: go on without the lock.
            if let Ok(pending) = pending.dyn_into::<js_sys::Promise>() {
                let give_up: Closure<dyn FnMut(JsValue)> = Closure::once(move |_e: JsValue| {
                    let _ = resolve.call0(&JsValue::NULL);
                });
                let _ = pending.catch(&give_up);
                give_up.forget();
            } else {
                return;
            }
        }
        Err(_) => return,
    }
    let _ = wasm_bindgen_futures::JsFuture::from(granted).await;
}

/// The instance ids of the pages open on this origin, from the Web Locks held or asked for;
/// `None` where the browser cannot tell.
pub async fn live_instances() -> Option<std::collections::BTreeSet<String>> {
    let (locks, query) = lock_method("query")?;
    let promise = query
        .call0(&locks)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let snapshot = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let mut names = Vec::new();
    for part in ["held", "pending"] {
        let list = js_sys::Reflect::get(&snapshot, &JsValue::from_str(part)).ok()?;
        for lock in js_sys::Array::from(&list).iter() {
            if let Some(name) = js_sys::Reflect::get(&lock, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string())
            {
                names.push(name);
            }
        }
    }
    Some(crate::persist::live_instances(
        names.iter().map(String::as_str),
    ))
}

/// `navigator.locks` and one of its methods, where the browser has them.
fn lock_method(method: &str) -> Option<(JsValue, js_sys::Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let f = js_sys::Reflect::get(&locks, &JsValue::from_str(method))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    Some((locks, f))
}

/// Every breadcrumb in local storage, as (key, text): this page's, those of other open pages
/// and those that pages which died left behind.
pub fn breadcrumbs() -> Vec<(String, String)> {
    let Some(ls) = local_storage() else {
        return Vec::new();
    };
    let n = ls.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| ls.key(i).ok().flatten())
        .filter(|k| k.starts_with(crate::persist::BREADCRUMB_KEY))
        .filter_map(|k| Some((k.clone(), ls.get_item(&k).ok().flatten()?)))
        .collect()
}

/// Remove breadcrumbs by key (those left behind, once read).
pub fn remove_breadcrumbs<'a>(keys: impl IntoIterator<Item = &'a String>) {
    if let Some(ls) = local_storage() {
        for key in keys {
            let _ = ls.remove_item(key);
        }
    }
}

/// Record the heavy work this page is about to start; written synchronously, so it survives
/// a crash of the page right after.
pub fn set_breadcrumb(crumb: &crate::persist::Breadcrumb) {
    if let Some(ls) = local_storage() {
        let _ = ls.set_item(
            &crate::persist::breadcrumb_key(&instance()),
            &crumb.to_json(),
        );
    }
}

/// This page's heavy work finished.
pub fn clear_breadcrumb() {
    if let Some(ls) = local_storage() {
        let _ = ls.remove_item(&crate::persist::breadcrumb_key(&instance()));
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Wait until every write and removal started before this call has reached IndexedDB (a
/// read-only transaction on the store starts only after the read-write ones before it).
pub async fn flush() -> Result<(), String> {
    // Let the writes already spawned create their transactions first.
    yew::platform::time::sleep(std::time::Duration::from_millis(0)).await;
    read_stored(crate::persist::PREFIX).await.map(|_| ())
}
