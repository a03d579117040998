//! The engine worker in the browser: a second wasm module that reads large files and trains
//! models off the main thread. The messages and their handling are in [`crate::wire`]; this file
//! only starts, feeds and stops the Web Worker. It is our own small bridge rather than
//! gloo-worker's because Cancel must be able to stop a running fit (`Worker.terminate`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub use crate::wire::{WorkerReply, WorkerRequest};

/// Files larger than this are parsed in the worker; smaller ones on the page, which is faster
/// than starting a worker.
pub const WORKER_THRESHOLD_BYTES: usize = 2 * 1024 * 1024;

/// Where trunk puts the worker's JavaScript (see `www/index.html`).
const WORKER_SCRIPT: &str = "./worker.js";

type Handler = Rc<dyn Fn(WorkerReply)>;

#[derive(Default)]
struct Inner {
    ready: bool,
    /// Messages sent before the worker said it was ready.
    queue: Vec<Vec<u8>>,
    /// Who receives the replies to the request in progress.
    handler: Option<Handler>,
    /// Requests sent and not yet answered with a final reply.
    pending: usize,
    /// The worker hit an uncaught error (a panic) and can no longer be used.
    dead: bool,
}

/// One running Web Worker. Dropping it terminates the worker, whatever it is doing.
pub struct EngineWorker {
    worker: web_sys::Worker,
    inner: Rc<RefCell<Inner>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

fn post(target: &impl AsPostMessage, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let transfer = js_sys::Array::of1(&array.buffer());
    target.post(&array, &transfer).map_err(|e| format!("{e:?}"))
}

/// The two things messages are posted to: the worker (from the page) and the worker's own scope.
trait AsPostMessage {
    fn post(&self, message: &JsValue, transfer: &JsValue) -> Result<(), JsValue>;
}

impl AsPostMessage for web_sys::Worker {
    fn post(&self, message: &JsValue, transfer: &JsValue) -> Result<(), JsValue> {
        self.post_message_with_transfer(message, transfer)
    }
}

impl AsPostMessage for web_sys::DedicatedWorkerGlobalScope {
    fn post(&self, message: &JsValue, transfer: &JsValue) -> Result<(), JsValue> {
        self.post_message_with_transfer(message, transfer)
    }
}

fn bytes_of(event: &web_sys::MessageEvent) -> Vec<u8> {
    js_sys::Uint8Array::new(&event.data()).to_vec()
}

thread_local! {
    /// The engine worker's module, compiled once per page: every worker (the diagnosis's,
    /// training's, one restarted after Cancel) starts from it instead of downloading and
    /// compiling its own copy.
    static MODULE: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// The compiled worker module (a promise of a `WebAssembly.Module`), started on first use.
fn compiled_module(url: &str) -> js_sys::Promise {
    MODULE.with(|m| {
        m.borrow_mut()
            .get_or_insert_with(|| {
                let url = url.to_string();
                wasm_bindgen_futures::future_to_promise(async move {
                    let compiled = compile(&url).await;
                    if compiled.is_err() {
                        // Let a later worker try again rather than keep the failure.
                        MODULE.with(|m| m.borrow_mut().take());
                    }
                    compiled
                })
            })
            .clone()
    })
}

/// Fetch and compile a module: streamed, or from its bytes where the server does not label
/// it `application/wasm` (which streaming requires).
async fn compile(url: &str) -> Result<JsValue, JsValue> {
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let streamed = js_sys::WebAssembly::compile_streaming(&window.fetch_with_str(url));
    if let Ok(module) = JsFuture::from(streamed).await {
        return Ok(module);
    }
    let response = JsFuture::from(window.fetch_with_str(url)).await?;
    let bytes = js_sys::Reflect::get(&response, &JsValue::from_str("arrayBuffer"))?
        .dyn_into::<js_sys::Function>()?
        .call0(&response)?
        .dyn_into::<js_sys::Promise>()?;
    let bytes = JsFuture::from(bytes).await?;
    JsFuture::from(js_sys::WebAssembly::compile(&bytes)).await
}

impl EngineWorker {
    /// Start a worker. Its wasm module loads in the background; requests wait until it is ready.
    pub fn spawn() -> Result<EngineWorker, String> {
        let base = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .ok_or("no page location")?;
        let script = web_sys::Url::new_with_base(WORKER_SCRIPT, &base)
            .map_err(|e| format!("{e:?}"))?
            .href();
        let wasm = script.replace(".js", "_bg.wasm");
        // trunk builds the worker for `importScripts`; a tiny blob script loads it and starts
        // it with the first message: the module the page compiled once for all its workers
        // (or, if that failed, its address, to fetch it itself).
        let source = format!(
            "importScripts({script:?});self.onmessage=function(e){{self.onmessage=null;wasm_bindgen({{module_or_path:e.data}});}};"
        );
        let parts = js_sys::Array::of1(&JsValue::from_str(&source));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/javascript");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
            .map_err(|e| format!("{e:?}"))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
        let worker = web_sys::Worker::new(&url).map_err(|e| format!("{e:?}"));
        let _ = web_sys::Url::revoke_object_url(&url);
        let worker = worker?;
        {
            let (worker, module) = (worker.clone(), compiled_module(&wasm));
            wasm_bindgen_futures::spawn_local(async move {
                let first = wasm_bindgen_futures::JsFuture::from(module)
                    .await
                    .unwrap_or_else(|_| JsValue::from_str(&wasm));
                let _ = worker.post_message(&first);
            });
        }

        let inner = Rc::new(RefCell::new(Inner::default()));
        let on_message = {
            let inner = inner.clone();
            let worker = worker.clone();
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let reply = match crate::wire::decode::<WorkerReply>(&bytes_of(&e)) {
                    Ok(r) => r,
                    Err(e) => WorkerReply::Unreadable(e),
                };
                if matches!(reply, WorkerReply::Ready) {
                    let queued = {
                        let mut i = inner.borrow_mut();
                        i.ready = true;
                        std::mem::take(&mut i.queue)
                    };
                    for bytes in queued {
                        let _ = post(&worker, &bytes);
                    }
                    return;
                }
                let handler = {
                    let mut i = inner.borrow_mut();
                    if reply.is_final() {
                        i.pending = i.pending.saturating_sub(1);
                    }
                    i.handler.clone()
                };
                // The borrow is released first: a handler may start the next request.
                if let Some(h) = handler {
                    h(reply);
                }
            })
        };
        let on_error = {
            let inner = inner.clone();
            Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let message = e
                    .dyn_ref::<web_sys::ErrorEvent>()
                    .map(|e| e.message())
                    .unwrap_or_else(|| "the engine worker stopped".into());
                // A panic, an out-of-memory or a stack overflow in the worker: shown in the
                // panic box too (the page itself goes on, so it can be closed).
                let lang = super::dom::document_lang();
                super::dom::show_panic_box(
                    &crate::i18n::safety::fill(
                        crate::i18n::safety::S::WorkerStopped.get(lang),
                        &[("detail", &message)],
                    ),
                    false,
                );
                let handler = {
                    let mut i = inner.borrow_mut();
                    i.dead = true;
                    let busy = i.pending > 0;
                    i.pending = 0;
                    i.handler.clone().filter(|_| busy)
                };
                if let Some(h) = handler {
                    h(WorkerReply::Unreadable(message));
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(EngineWorker {
            worker,
            inner,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Send a request; its progress and result go to `on_reply` (which replaces the receiver of
    /// any earlier request's replies).
    pub fn send(&self, request: &WorkerRequest, on_reply: impl Fn(WorkerReply) + 'static) {
        let bytes = match crate::wire::encode(request) {
            Ok(b) => b,
            Err(e) => return on_reply(WorkerReply::Unreadable(e)),
        };
        let ready = {
            let mut i = self.inner.borrow_mut();
            i.handler = Some(Rc::new(on_reply));
            i.pending += 1;
            if !i.ready {
                i.queue.push(bytes.clone());
            }
            i.ready
        };
        if ready {
            if let Err(e) = post(&self.worker, &bytes) {
                self.inner.borrow_mut().pending -= 1;
                let handler = self.inner.borrow().handler.clone();
                if let Some(h) = handler {
                    h(WorkerReply::Unreadable(e));
                }
            }
        }
    }

    /// Whether a request is still running (or waiting) in this worker.
    pub fn is_busy(&self) -> bool {
        self.inner.borrow().pending > 0
    }

    /// Whether the worker can take requests (it has not crashed).
    pub fn is_usable(&self) -> bool {
        !self.inner.borrow().dead
    }
}

impl Drop for EngineWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// Called by the worker binary's `main`: listen for requests, then tell the page it is ready.
pub fn register() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = {
        let scope = scope.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let mut respond = |reply: WorkerReply| match crate::wire::encode(&reply) {
                Ok(bytes) => {
                    if let Err(e) = post(&scope, &bytes) {
                        web_sys::console::error_1(&format!("mlplay worker: {e}").into());
                    }
                }
                Err(e) => web_sys::console::error_1(&format!("mlplay worker: {e}").into()),
            };
            crate::wire::handle_bytes(&bytes_of(&e), &mut respond, &super::clock::now_ms);
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its scope: the listener is never dropped.
    on_message.forget();
    if let Ok(bytes) = crate::wire::encode(&WorkerReply::Ready) {
        let _ = post(&scope, &bytes);
    }
}
