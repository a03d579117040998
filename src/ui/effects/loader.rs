//! Reading data: bundled datasets, the learner's files (on the page when small, in the parse
//! worker when large) and the upload kept from an earlier visit. Results go into the session;
//! a newer read supersedes an older one ([`Runs`]).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use yew::prelude::*;

use super::persist::write;
use crate::engine::Error;
use crate::persist::{Key, Saved};
use crate::runs::Runs;
use crate::session::{parse, Action, DataSource, Parsed, ReadSettings, Shared};
use crate::ui::platform::worker::{
    EngineWorker, WorkerReply, WorkerRequest, WORKER_THRESHOLD_BYTES,
};
use crate::ui::platform::{clock, files, storage};
use crate::ui::state::AppState;

/// The last file the learner opened, kept so that it can be read again with other options.
type KeptFile = Rc<RefCell<Option<(String, Rc<Vec<u8>>)>>>;

/// A worker kept between requests (starting one costs a download and a compile).
pub type WorkerSlot = Rc<RefCell<Option<EngineWorker>>>;

/// The slot's worker if it is idle and healthy; otherwise a new one (dropping the old one stops
/// whatever it was doing). An error only if the browser refuses to start a worker.
fn idle_worker(slot: &WorkerSlot) -> Result<(), String> {
    let mut w = slot.borrow_mut();
    if !w.as_ref().is_some_and(|w| !w.is_busy() && w.is_usable()) {
        *w = None;
        *w = Some(EngineWorker::spawn()?);
    }
    Ok(())
}

/// Starts reads and routes their results into the session.
#[derive(Clone)]
pub struct Loader {
    dispatch: UseReducerDispatcher<AppState>,
    runs: Rc<RefCell<Runs>>,
    worker: WorkerSlot,
    last_file: KeptFile,
}

/// The app's loader, kept across renders.
#[hook]
pub fn use_loader(dispatch: UseReducerDispatcher<AppState>) -> Loader {
    Loader {
        dispatch,
        runs: use_mut_ref(Runs::default),
        worker: use_mut_ref(|| None),
        last_file: use_mut_ref(|| None),
    }
}

impl Loader {
    /// Tell the session how `run` ended, unless a newer read (or Cancel) superseded it.
    fn finish(&self, run: u64, result: Result<(Shared<Parsed>, f64), Error>) {
        finish(&self.runs, &self.dispatch, run, result)
    }

    fn begin<F>(&self, source: DataSource, bytes: F, settings: ReadSettings)
    where
        F: Future<Output = Result<Rc<Vec<u8>>, String>> + 'static,
    {
        let started = self.runs.borrow_mut().start();
        let run = started.run;
        // A newer read stops an older one still running in the worker.
        if started.stopped.is_some() {
            self.worker.borrow_mut().take();
        }
        self.dispatch.dispatch(Action::StartLoad { run, source });
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = match bytes.await {
                Ok(b) => b,
                Err(detail) => return this.finish(run, Err(Error::FileUnreadable { detail })),
            };
            let options = settings.to_options();
            // A read superseded while its bytes were coming is not parsed at all.
            if !this.runs.borrow().is_current(run) {
                return;
            }
            if bytes.len() > WORKER_THRESHOLD_BYTES {
                if let Err(detail) = idle_worker(&this.worker) {
                    return this.finish(run, Err(Error::WorkerStart { detail }));
                }
                let request = WorkerRequest::Parse {
                    bytes: bytes.to_vec(),
                    options,
                };
                this.runs.borrow_mut().sent(run);
                // The reply handler lives in the worker: it holds no reference to the worker's slot.
                let (runs, d) = (this.runs.clone(), this.dispatch.clone());
                if let Some(w) = this.worker.borrow().as_ref() {
                    w.send(&request, move |reply| match reply {
                        WorkerReply::Progress(fraction) => {
                            let current = runs.borrow().is_current(run);
                            if current {
                                d.dispatch(Action::Progress { run, fraction })
                            }
                        }
                        WorkerReply::Parsed { result, parse_ms } => {
                            finish(&runs, &d, run, result.map(|p| (Shared::new(p), parse_ms)))
                        }
                        WorkerReply::Unreadable(detail) => {
                            finish(&runs, &d, run, Err(Error::WorkerFailed { detail }))
                        }
                        _ => {}
                    });
                }
            } else {
                // Let the "reading" state paint before the page is busy for a few milliseconds.
                yew::platform::time::sleep(Duration::from_millis(16)).await;
                if !this.runs.borrow().is_current(run) {
                    return;
                }
                let start = clock::now_ms();
                let result = parse(&bytes, &options, &mut |_| {});
                let parse_ms = clock::now_ms() - start;
                this.finish(run, result.map(|p| (Shared::new(p), parse_ms)));
            }
        });
    }

    /// Read a bundled dataset; it is the data choice a reload reads again.
    pub fn bundled(&self, id: String, settings: ReadSettings) {
        let Some(b) = crate::datasets::find(&id) else {
            return;
        };
        let choice = Saved {
            last_bundled: Some(id.clone()),
            ..Saved::default()
        };
        write(&choice, &[Key::LastBundled, Key::Upload]);
        let url = format!("datasets/{}", b.file);
        self.begin(
            DataSource::Bundled(id),
            async move { files::fetch_bytes(&url).await.map(Rc::new) },
            settings,
        );
    }

    /// Read a file the learner chose; it is kept in IndexedDB for the next visit.
    pub fn file(&self, file: web_sys::File, settings: ReadSettings) {
        let name = file.name();
        let source = DataSource::File {
            name: name.clone(),
            bytes: file.size() as u64,
        };
        let last = self.last_file.clone();
        self.begin(
            source,
            async move {
                let bytes = Rc::new(files::read_file(file).await?);
                *last.borrow_mut() = Some((name.clone(), bytes.clone()));
                // Kept in IndexedDB for the next visit; a full disk is reported, not hidden.
                let kept = bytes.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match storage::save_upload(&name, &kept).await {
                        Ok(()) => {
                            let choice = Saved {
                                upload: Some(name),
                                ..Saved::default()
                            };
                            write(&choice, &[Key::Upload, Key::LastBundled]);
                        }
                        Err(e) => storage::report_storage_error(&e),
                    }
                });
                Ok(bytes)
            },
            settings,
        );
    }

    /// Read the upload kept from an earlier visit.
    pub fn kept_upload(&self, settings: ReadSettings) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match storage::load_upload().await {
                Ok(Some((name, bytes))) => {
                    let bytes = Rc::new(bytes);
                    *this.last_file.borrow_mut() = Some((name.clone(), bytes.clone()));
                    let source = DataSource::File {
                        name,
                        bytes: bytes.len() as u64,
                    };
                    this.begin(source, async move { Ok(bytes) }, settings);
                }
                // Nothing to read: the start-up's breadcrumb has nothing to wait for.
                Ok(None) => storage::clear_breadcrumb(),
                Err(e) => {
                    storage::clear_breadcrumb();
                    storage::report_storage_error(&e)
                }
            }
        });
    }

    /// Read the current data again, for example after the missing-value tokens changed.
    pub fn again(&self, source: &DataSource, settings: ReadSettings) {
        match source {
            DataSource::Bundled(id) => self.bundled(id.clone(), settings),
            DataSource::File { name, bytes } => {
                let kept = self.last_file.borrow().clone();
                if let Some((kept_name, data)) = kept.filter(|(n, _)| n == name) {
                    let source = DataSource::File {
                        name: kept_name,
                        bytes: *bytes,
                    };
                    self.begin(source, async move { Ok(data) }, settings);
                }
            }
        }
    }

    /// Stop the read in progress.
    pub fn cancel(&self) {
        // Stops the worker mid-parse; the next large file starts a new one.
        self.runs.borrow_mut().cancel();
        self.worker.borrow_mut().take();
        self.dispatch.dispatch(Action::Cancel);
    }
}

/// Dispatch how read `run` ended, unless a newer read (or Cancel) superseded it.
fn finish(
    runs: &RefCell<Runs>,
    dispatch: &UseReducerDispatcher<AppState>,
    run: u64,
    result: Result<(Shared<Parsed>, f64), Error>,
) {
    let current = runs.borrow_mut().finish(run);
    if current {
        dispatch.dispatch(match result {
            Ok((parsed, parse_ms)) => Action::Loaded {
                run,
                parsed,
                parse_ms,
            },
            Err(error) => Action::Failed { run, error },
        });
    }
}
