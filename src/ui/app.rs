//! The root component: holds the session, persists preferences, and runs file reads (on the page
//! for small files, in the parse worker for large ones).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::components::{
    ChartCanvas, DataPicker, DatasetView, LangSwitch, LoadStatusView, SessionTools,
};
use super::steps::{
    AnalyzePage, BusinessPage, Conversation, EndingPage, EndingPageProps, ExportKind, PreparePage,
    PreprocessPage, ReportPage, StepIntro, TestPage, TrainPage,
};
use super::worker::{EngineWorker, WorkerReply, WorkerRequest, WORKER_THRESHOLD_BYTES};
use crate::engine::diagnose::AnalysisConfig;
use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::Error;
use crate::i18n::{Lang, T};
use crate::route::Route;
use crate::session::{
    parse, Action, BusinessState, DataSource, LoadStatus, PrepSettings, ReadSettings, Session,
    Shared,
};
use crate::share::{Classroom, Share, Widget};

const KEY_LANG: &str = "mlplay.lang";
const KEY_READ: &str = "mlplay.read";
const KEY_LAST: &str = "mlplay.last-bundled";
const KEY_BUSINESS: &str = "mlplay.business";
const KEY_ANALYSIS: &str = "mlplay.analysis";
const KEY_PREP: &str = "mlplay.prep";
const KEY_MODELS: &str = "mlplay.models";
const KEY_THRESHOLD: &str = "mlplay.threshold";
const KEY_REQUEST: &str = "mlplay.request";
const KEY_NOTES: &str = "mlplay.notes";
const KEY_ANSWERS: &str = "mlplay.answers";
const KEY_EXPORTED: &str = "mlplay.report-exported";
const KEY_UPLOAD: &str = "mlplay.last-upload";
const KEY_CLASSROOM: &str = "mlplay.classroom";

/// Work keys that "start over" clears (the language, reader settings and data choice stay).
const WORK_KEYS: [&str; 10] = [
    KEY_BUSINESS,
    KEY_ANALYSIS,
    KEY_PREP,
    KEY_MODELS,
    KEY_THRESHOLD,
    KEY_REQUEST,
    KEY_NOTES,
    KEY_ANSWERS,
    KEY_EXPORTED,
    KEY_CLASSROOM,
];

/// How many data sources keep their saved diagnosis settings.
const SAVED_ANALYSES: usize = 8;

/// The diagnosis settings and decisions saved for one data source.
#[derive(Serialize, Deserialize, PartialEq)]
struct SavedAnalysis {
    source: DataSource,
    config: AnalysisConfig,
    accepted: BTreeSet<String>,
}

fn current_route() -> Route {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| Route::from_hash(&h))
        .unwrap_or_default()
}

/// The session as yew state: `apply()` does all the work.
#[derive(Clone, PartialEq)]
pub struct AppState(pub Session);

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        Rc::new(next)
    }
}

/// The last file the learner opened, kept so that it can be read again with other options.
type KeptFile = Rc<RefCell<Option<(String, Rc<Vec<u8>>)>>>;

/// Starts reads and routes their results into the session.
#[derive(Clone)]
struct Loader {
    dispatch: UseReducerDispatcher<AppState>,
    runs: Rc<RefCell<u64>>,
    worker: WorkerSlot,
    last_file: KeptFile,
}

/// A worker kept between requests (starting one costs a download and a compile).
type WorkerSlot = Rc<RefCell<Option<EngineWorker>>>;

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

impl Loader {
    fn begin<F>(&self, source: DataSource, bytes: F, settings: ReadSettings)
    where
        F: Future<Output = Result<Rc<Vec<u8>>, String>> + 'static,
    {
        let run = {
            let mut r = self.runs.borrow_mut();
            *r += 1;
            *r
        };
        // A newer read stops an older one still running in the worker.
        if self.worker.borrow().as_ref().is_some_and(|w| w.is_busy()) {
            self.worker.borrow_mut().take();
        }
        self.dispatch.dispatch(Action::StartLoad { run, source });
        let dispatch = self.dispatch.clone();
        let slot = self.worker.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = match bytes.await {
                Ok(b) => b,
                Err(detail) => {
                    dispatch.dispatch(Action::Failed {
                        run,
                        error: Error::FileUnreadable { detail },
                    });
                    return;
                }
            };
            let options = settings.to_options();
            if bytes.len() > WORKER_THRESHOLD_BYTES {
                if let Err(detail) = idle_worker(&slot) {
                    dispatch.dispatch(Action::Failed {
                        run,
                        error: Error::WorkerStart { detail },
                    });
                    return;
                }
                let d = dispatch.clone();
                let request = WorkerRequest::Parse {
                    bytes: bytes.to_vec(),
                    options,
                };
                if let Some(w) = slot.borrow().as_ref() {
                    w.send(&request, move |reply| match reply {
                        WorkerReply::Progress(fraction) => {
                            d.dispatch(Action::Progress { run, fraction })
                        }
                        WorkerReply::Parsed { result, parse_ms } => d.dispatch(match result {
                            Ok(p) => Action::Loaded {
                                run,
                                parsed: Shared::new(p),
                                parse_ms,
                            },
                            Err(error) => Action::Failed { run, error },
                        }),
                        WorkerReply::Unreadable(detail) => d.dispatch(Action::Failed {
                            run,
                            error: Error::WorkerFailed { detail },
                        }),
                        _ => {}
                    });
                }
            } else {
                // Let the "reading" state paint before the page is busy for a few milliseconds.
                yew::platform::time::sleep(Duration::from_millis(16)).await;
                let start = browser::now_ms();
                let result = parse(&bytes, &options, &mut |_| {});
                let parse_ms = browser::now_ms() - start;
                dispatch.dispatch(match result {
                    Ok(p) => Action::Loaded {
                        run,
                        parsed: Shared::new(p),
                        parse_ms,
                    },
                    Err(error) => Action::Failed { run, error },
                });
            }
        });
    }

    fn bundled(&self, id: String, settings: ReadSettings) {
        let Some(b) = crate::datasets::find(&id) else {
            return;
        };
        browser::save(KEY_LAST, &id);
        browser::forget_keys(&[KEY_UPLOAD]);
        let url = format!("datasets/{}", b.file);
        self.begin(
            DataSource::Bundled(id),
            async move { browser::fetch_bytes(&url).await.map(Rc::new) },
            settings,
        );
    }

    fn file(&self, file: web_sys::File, settings: ReadSettings) {
        let name = file.name();
        let source = DataSource::File {
            name: name.clone(),
            bytes: file.size() as u64,
        };
        let last = self.last_file.clone();
        self.begin(
            source,
            async move {
                let bytes = Rc::new(browser::read_file(file).await?);
                *last.borrow_mut() = Some((name.clone(), bytes.clone()));
                // Kept in IndexedDB for the next visit; a full disk is reported, not hidden.
                let kept = bytes.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match browser::save_upload(&name, &kept).await {
                        Ok(()) => {
                            browser::save(KEY_UPLOAD, &name);
                            browser::forget_keys(&[KEY_LAST]);
                        }
                        Err(e) => browser::report_storage_error(&e),
                    }
                });
                Ok(bytes)
            },
            settings,
        );
    }

    /// Read the upload kept from an earlier visit.
    fn kept_upload(&self, settings: ReadSettings) {
        let this = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match browser::load_upload().await {
                Ok(Some((name, bytes))) => {
                    let bytes = Rc::new(bytes);
                    *this.last_file.borrow_mut() = Some((name.clone(), bytes.clone()));
                    let source = DataSource::File {
                        name,
                        bytes: bytes.len() as u64,
                    };
                    this.begin(source, async move { Ok(bytes) }, settings);
                }
                Ok(None) => {}
                Err(e) => browser::report_storage_error(&e),
            }
        });
    }

    /// Read the current data again, for example after the missing-value tokens changed.
    fn again(&self, source: &DataSource, settings: ReadSettings) {
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

    fn cancel(&self) {
        // Stops the worker mid-parse; the next large file starts a new one.
        self.worker.borrow_mut().take();
        self.dispatch.dispatch(Action::Cancel);
    }
}

/// Starts training in the worker and routes its progress and result into the session.
#[derive(Clone)]
struct Trainer {
    dispatch: UseReducerDispatcher<AppState>,
    runs: Rc<RefCell<u64>>,
    worker: WorkerSlot,
    /// The run whose result the worker is computing, if any.
    running: Rc<RefCell<Option<u64>>>,
}

impl Trainer {
    /// Have a warmed-up worker waiting, so that the first training runs at full speed. Called
    /// when data is loaded and after a cancel.
    fn prepare(&self) {
        if self.worker.borrow().is_some() {
            return;
        }
        match EngineWorker::spawn() {
            Ok(w) => {
                w.send(&WorkerRequest::WarmUp, |reply| {
                    if let WorkerReply::WarmedUp { models, elapsed_ms } = reply {
                        web_sys::console::debug_1(
                            &format!(
                                "mlplay: worker warmed up ({models} fits, {elapsed_ms:.0} ms)"
                            )
                            .into(),
                        );
                    }
                });
                *self.worker.borrow_mut() = Some(w);
            }
            Err(e) => web_sys::console::warn_1(&format!("mlplay: no worker yet: {e}").into()),
        }
    }

    fn start(&self, table: crate::engine::Table, recipe: crate::engine::pipeline::recipe::Recipe) {
        let run = {
            let mut r = self.runs.borrow_mut();
            *r += 1;
            *r
        };
        // A new run replaces a running one: stop its worker outright.
        if self.running.borrow_mut().take().is_some() {
            self.worker.borrow_mut().take();
        }
        if !self.worker.borrow().as_ref().is_some_and(|w| w.is_usable()) {
            self.worker.borrow_mut().take();
        }
        self.prepare();
        self.dispatch.dispatch(Action::StartTraining { run });
        let fail = |error: Error| {
            self.dispatch
                .dispatch(Action::TrainingFailed { run, error })
        };
        let slot = self.worker.borrow();
        let Some(worker) = slot.as_ref() else {
            return fail(Error::WorkerStart {
                detail: "no worker".into(),
            });
        };
        *self.running.borrow_mut() = Some(run);
        let d = self.dispatch.clone();
        let running = self.running.clone();
        let finished = move || {
            let mut r = running.borrow_mut();
            if *r == Some(run) {
                *r = None;
            }
        };
        // Any queued warm-up finishes first; its reply is of no interest here.
        worker.send(
            &WorkerRequest::Train {
                table,
                recipe: recipe.clone(),
            },
            move |reply| match reply {
                WorkerReply::Progress(fraction) => {
                    d.dispatch(Action::TrainingProgress { run, fraction })
                }
                WorkerReply::Trained { result, elapsed_ms } => {
                    finished();
                    d.dispatch(match result {
                        Ok(r) => Action::TrainingDone {
                            run,
                            recipe: recipe.clone(),
                            result: Shared::new(r),
                            elapsed_ms,
                        },
                        Err(error) => Action::TrainingFailed { run, error },
                    })
                }
                WorkerReply::Unreadable(detail) => {
                    finished();
                    d.dispatch(Action::TrainingFailed {
                        run,
                        error: Error::WorkerFailed { detail },
                    })
                }
                _ => {}
            },
        );
    }

    fn cancel(&self) {
        // Stop the fit where it is, and have a fresh worker ready for the next run.
        self.running.borrow_mut().take();
        self.worker.borrow_mut().take();
        self.dispatch.dispatch(Action::CancelTraining);
        self.prepare();
    }
}

/// What opening a share link did.
#[derive(Clone, PartialEq, Default)]
struct ShareOutcome {
    error: Option<String>,
    /// The learner's own file the link was made on (it cannot travel in the link).
    file: Option<String>,
}

/// If the page was opened with `#share=…`, write its settings where a reload would find them
/// and open its step: the rest of the start-up then restores them as after a reload.
fn import_share_link() -> ShareOutcome {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    if !hash.starts_with(crate::share::FRAGMENT) {
        return ShareOutcome::default();
    }
    let share = match Share::decode(&hash) {
        Ok(s) => s,
        Err(e) => {
            browser::replace_hash(Route::Data.hash());
            return ShareOutcome {
                error: Some(e),
                file: None,
            };
        }
    };
    // The link's settings replace these; notes, answers and the data request stay.
    browser::forget_keys(&[
        KEY_LAST,
        KEY_UPLOAD,
        KEY_ANALYSIS,
        KEY_PREP,
        KEY_MODELS,
        KEY_THRESHOLD,
        KEY_CLASSROOM,
    ]);
    if let Some(r) = &share.read {
        browser::save(KEY_READ, r);
    }
    let lang = browser::load::<String>(KEY_LANG)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_else(browser::browser_lang);
    // The learner's own case answers stay; scenarios and formula come from the link.
    let mut business = browser::load::<BusinessState>(KEY_BUSINESS)
        .filter(|b| b.scenarios.len() == 3 && b.case_answers.len() == crate::session::CASES)
        .unwrap_or_else(|| BusinessState::lesson(lang));
    if share.scenarios.len() == business.scenarios.len() {
        business.scenarios = share.scenarios.clone();
    }
    if let Some(f) = &share.formula {
        business.formula = f.clone();
    }
    browser::save(KEY_BUSINESS, &business);
    if let Some(p) = &share.prep {
        browser::save(KEY_PREP, p);
    }
    if let Some(m) = &share.models {
        browser::save(KEY_MODELS, &serde_json::to_string(m).unwrap_or_default());
    }
    if let Some(t) = share.threshold {
        browser::save(KEY_THRESHOLD, &t);
    }
    browser::save(KEY_CLASSROOM, &share.classroom);
    if let Some(id) = &share.dataset {
        browser::save(KEY_LAST, id);
        if let Some(config) = &share.analysis {
            let saved = vec![SavedAnalysis {
                source: DataSource::Bundled(id.clone()),
                config: config.clone(),
                accepted: share.accepted.clone(),
            }];
            browser::save(KEY_ANALYSIS, &saved);
        }
    }
    browser::replace_hash(share.route().hash());
    ShareOutcome {
        error: None,
        file: share.file.clone(),
    }
}

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    // Before the session is read from storage: a share link rewrites that storage.
    let shared = use_state(import_share_link);
    let classroom = use_state(|| browser::load::<Classroom>(KEY_CLASSROOM).unwrap_or_default());
    let widget = use_state(|| Widget::from_query(&browser::query()));
    let state = use_reducer(|| {
        let lang = browser::load::<String>(KEY_LANG)
            .and_then(|c| Lang::from_code(&c))
            .unwrap_or_else(browser::browser_lang);
        let mut s = Session::new(lang);
        if let Some(read) = browser::load::<ReadSettings>(KEY_READ) {
            s.read = read;
        }
        s.business = browser::load::<BusinessState>(KEY_BUSINESS)
            .filter(|b| b.scenarios.len() == 3 && b.case_answers.len() == crate::session::CASES)
            .unwrap_or_else(|| BusinessState::lesson(lang));
        if let Some(prep) = browser::load::<PrepSettings>(KEY_PREP) {
            s.prep = prep;
        }
        s.usable_threshold = browser::load::<f64>(KEY_THRESHOLD);
        if let Some(r) = browser::load::<crate::session::DataRequest>(KEY_REQUEST) {
            s.data_request = r;
        }
        s.notes = browser::load(KEY_NOTES).unwrap_or_default();
        s.answers = browser::load(KEY_ANSWERS).unwrap_or_default();
        s.report_exported = browser::load(KEY_EXPORTED).unwrap_or_default();
        // A failure before the app listened (IndexedDB would not open) is shown too.
        s.storage_error = browser::first_storage_error();
        s.route = current_route();
        s.clock = Some(crate::session::Clock(browser::now_ms));
        AppState(s)
    });
    let loader = Loader {
        dispatch: state.dispatcher(),
        runs: use_mut_ref(|| 0u64),
        worker: use_mut_ref(|| None),
        last_file: use_mut_ref(|| None),
    };
    let trainer = Trainer {
        dispatch: state.dispatcher(),
        runs: use_mut_ref(|| 0u64),
        worker: use_mut_ref(|| None),
        running: use_mut_ref(|| None),
    };
    let session = &state.0;
    let lang = session.lang;
    let export_error = use_state(|| None::<String>);

    use_effect_with(lang, |lang| {
        browser::save(KEY_LANG, &lang.code());
        browser::set_document_lang(*lang);
    });
    use_effect_with(session.read.clone(), |read| browser::save(KEY_READ, read));
    use_effect_with(session.business.clone(), |b| browser::save(KEY_BUSINESS, b));
    use_effect_with(session.prep.clone(), |p| browser::save(KEY_PREP, p));
    // Models travel as JSON text: their tagged form is what the recipe format defines.
    use_effect_with(session.models.clone(), |m| {
        if let Some(m) = m {
            browser::save(KEY_MODELS, &serde_json::to_string(m).unwrap_or_default());
        }
    });
    use_effect_with(session.data_request.clone(), |r| {
        browser::save(KEY_REQUEST, r)
    });
    use_effect_with(session.notes.clone(), |n| browser::save(KEY_NOTES, n));
    use_effect_with(session.answers.clone(), |a| browser::save(KEY_ANSWERS, a));
    use_effect_with(session.report_exported, |e| browser::save(KEY_EXPORTED, e));
    use_effect_with(session.usable_threshold, |t| {
        if let Some(t) = t {
            browser::save(KEY_THRESHOLD, t);
        }
    });
    {
        // Follow the URL fragment (links, back and forward buttons).
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let handler = Closure::<dyn Fn()>::new(move || {
                // A share link pasted into this tab changes only the fragment: start again
                // so that it is imported like a freshly opened one.
                let hash = web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default();
                if hash.starts_with(crate::share::FRAGMENT) {
                    browser::reload();
                } else {
                    d.dispatch(Action::Navigate(current_route()));
                }
            });
            let window = web_sys::window().expect("a window");
            let _ = window
                .add_event_listener_with_callback("hashchange", handler.as_ref().unchecked_ref());
            move || {
                let _ = window.remove_event_listener_with_callback(
                    "hashchange",
                    handler.as_ref().unchecked_ref(),
                );
            }
        });
    }
    {
        // Failed saves anywhere are reported through one window event.
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let handler =
                Closure::<dyn Fn(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                    d.dispatch(Action::StorageError(e.detail().as_string()))
                });
            let window = web_sys::window().expect("a window");
            let _ = window.add_event_listener_with_callback(
                browser::STORAGE_ERROR_EVENT,
                handler.as_ref().unchecked_ref(),
            );
            move || {
                let _ = window.remove_event_listener_with_callback(
                    browser::STORAGE_ERROR_EVENT,
                    handler.as_ref().unchecked_ref(),
                );
            }
        });
    }
    {
        // Locked settings: every input and list on the step page is disabled after each
        // render; buttons, the exercises and the notes stay usable.
        let lock = classroom.lock;
        use_effect(move || {
            if lock {
                browser::disable_settings();
            }
        });
    }
    {
        // An embedded evaluation or try-it trains the recipe by itself once the data is ready.
        let ready = (*widget).is_some_and(|w| w.needs_models())
            && session.trained.is_none()
            && matches!(session.training, crate::session::TrainStatus::Idle);
        let recipe = session.training_recipe();
        let table = session.dataset.as_ref().map(|d| d.parsed.clone());
        let trainer = trainer.clone();
        use_effect_with((ready, recipe.is_some(), table.is_some()), move |_| {
            if let (true, Some(r), Some(t)) = (ready, recipe, table) {
                trainer.start(t.loaded.table.clone(), r);
            }
        });
    }
    {
        // Once there is data to train on, start and warm up the training worker in the
        // background, so that the first fit does not pay for starting it.
        let trainer = trainer.clone();
        use_effect_with(session.dataset.is_some(), move |loaded| {
            if *loaded {
                trainer.prepare();
            }
        });
    }
    use_effect_with(session.route, |_| {
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    });
    {
        // A reloaded dataset gets back the diagnosis settings and decisions saved for it.
        let d = state.dispatcher();
        let source = session
            .dataset
            .as_ref()
            .map(|d| (d.source.clone(), d.parsed.clone()));
        use_effect_with(source, move |source| {
            if let Some((src, _)) = source {
                let saved = browser::load::<Vec<SavedAnalysis>>(KEY_ANALYSIS).unwrap_or_default();
                if let Some(s) = saved.into_iter().find(|s| &s.source == src) {
                    d.dispatch(Action::RestoreAnalysis {
                        config: s.config,
                        accepted: s.accepted,
                    });
                }
            }
        });
    }
    {
        let saved = match (&session.dataset, &session.analyze) {
            (Some(d), Some(a)) => Some(SavedAnalysis {
                source: d.source.clone(),
                config: a.config.clone(),
                accepted: a.accepted.clone(),
            }),
            _ => None,
        };
        use_effect_with(saved, |saved| {
            if let Some(s) = saved {
                // The newest first; other sources keep theirs, up to a few.
                let mut all = browser::load::<Vec<SavedAnalysis>>(KEY_ANALYSIS).unwrap_or_default();
                all.retain(|o| o.source != s.source);
                all.insert(
                    0,
                    SavedAnalysis {
                        source: s.source.clone(),
                        config: s.config.clone(),
                        accepted: s.accepted.clone(),
                    },
                );
                all.truncate(SAVED_ANALYSES);
                browser::save(KEY_ANALYSIS, &all);
            }
        });
    }
    {
        // The chosen models come back once the reloaded data has been diagnosed (a new dataset
        // resets them to its task's defaults); models that do not fit the task are not restored.
        let d = state.dispatcher();
        let source = session.dataset.as_ref().map(|d| d.source.clone());
        let task = session.task();
        use_effect_with((source, task), move |(source, task)| {
            if let (Some(_), Some(task)) = (source, task) {
                let saved = browser::load::<String>(KEY_MODELS)
                    .and_then(|j| serde_json::from_str::<Vec<ModelSpec>>(&j).ok());
                if let Some(models) = saved.filter(|m| !m.is_empty()) {
                    if models.iter().all(|m| m.fits(*task)) {
                        d.dispatch(Action::SetModels(models));
                    }
                }
            }
        });
    }
    {
        // Nothing lost on reload: the last bundled dataset is read again.
        let loader = loader.clone();
        let read = session.read.clone();
        let widget = *widget;
        use_effect_with((), move |_| {
            if let Some(id) = browser::load::<String>(KEY_LAST) {
                loader.bundled(id, read);
            } else if browser::load::<String>(KEY_UPLOAD).is_some() {
                loader.kept_upload(read);
            } else if widget.is_some_and(|w| w.needs_data()) {
                // An embedded widget with nothing chosen shows the workshop's house prices.
                loader.bundled("ames".into(), read);
            }
        });
    }

    let on_lang = {
        let d = state.dispatcher();
        Callback::from(move |l| d.dispatch(Action::SetLang(l)))
    };
    let on_bundled = {
        let (loader, read) = (loader.clone(), session.read.clone());
        Callback::from(move |id: String| loader.bundled(id, read.clone()))
    };
    let on_file = {
        let (loader, read) = (loader.clone(), session.read.clone());
        Callback::from(move |f: web_sys::File| loader.file(f, read.clone()))
    };
    let on_settings = {
        let d = state.dispatcher();
        Callback::from(move |r| d.dispatch(Action::SetReadSettings(r)))
    };
    let current = session.dataset.as_ref().map(|d| d.source.clone());
    let on_reload = {
        let (loader, read, current) = (loader.clone(), session.read.clone(), current.clone());
        Callback::from(move |_| {
            if let Some(src) = &current {
                loader.again(src, read.clone());
            }
        })
    };
    let on_cancel = {
        let loader = loader.clone();
        Callback::from(move |_| loader.cancel())
    };
    let on_dismiss = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::DismissError))
    };
    let busy = matches!(session.status, LoadStatus::Loading { .. });
    let on_business = {
        let d = state.dispatcher();
        Callback::from(move |b| d.dispatch(Action::SetBusiness(b)))
    };
    let on_config = {
        let d = state.dispatcher();
        Callback::from(move |c| d.dispatch(Action::SetAnalysis(c)))
    };
    let on_accept = {
        let d = state.dispatcher();
        Callback::from(move |(id, accept)| d.dispatch(Action::AcceptFinding { id, accept }))
    };

    let progress = |r: Route| {
        let (done, of) = crate::comms::progress(&session.answers, r);
        html! {
            <span class={classes!("conv-progress", (done == of).then_some("complete"))}
                id={format!("progress-{}", &r.hash()[2..])} data-done={done.to_string()} data-of={of.to_string()}
                title={crate::i18n::l(lang, "communication exercise", "コミュニケーション演習")}>
                { format!("{done}/{of}") }
            </span>
        }
    };
    let nav = Route::ALL.iter().map(|&r| {
        let current = session.route == r;
        html! {
            <li class={classes!(current.then_some("current"))}>
                <a href={r.hash()} id={format!("nav-{}", &r.hash()[2..])}
                    aria-current={if current { Some("page") } else { None }}>
                    { crate::route::route_title(r, lang) }
                    if crate::comms::STEPS.contains(&r) {
                        { progress(r) }
                    }
                </a>
            </li>
        }
    });

    // An embedded widget shows the page it lives on (trimmed by its class) or a chart alone.
    let widget = *widget;
    let shown = match widget {
        Some(Widget::Value) => Route::Business,
        Some(Widget::Training) => Route::Train,
        Some(Widget::Evaluation | Widget::TryIt) => Route::Test,
        Some(_) => Route::Analyze,
        None => session.route,
    };
    let embed_chart = widget.and_then(|w| embed_chart(session, w));
    let page = match shown {
        Route::Report => {
            let report = Rc::new(crate::report::from_session(session));
            let on_note = {
                let d = state.dispatcher();
                Callback::from(move |(section, text)| d.dispatch(Action::SetNote { section, text }))
            };
            let on_export = {
                let (d, report, session, err) = (
                    state.dispatcher(),
                    report.clone(),
                    session.clone(),
                    export_error.clone(),
                );
                Callback::from(move |(kind, path): (ExportKind, String)| {
                    match export(&session, &report, kind, &path) {
                        Ok(()) => {
                            err.set(None);
                            d.dispatch(Action::ReportExported);
                        }
                        Err(e) => err.set(Some(e)),
                    }
                })
            };
            let data_path = session
                .dataset
                .as_ref()
                .map(|d| d.source.label())
                .unwrap_or_default();
            html! {
                <ReportPage {lang} {report} notes={session.notes.clone()}
                    can_export_code={session.trained.is_some() && session.dataset.is_some()}
                    {data_path} {on_note} {on_export} error={(*export_error).clone()} />
            }
        }
        Route::Data => html! {
            <>
                <StepIntro {lang} title={T::NavData} what={T::DataWhat} />
                <DataPicker {lang} read={session.read.clone()} {busy}
                    can_reload={current.is_some()}
                    {on_bundled} {on_file} {on_settings} {on_reload} />
                {
                    match &session.dataset {
                        Some(d) => html! { <DatasetView {lang} dataset={d.clone()} /> },
                        None if !busy => html! { <p class="empty">{ T::NoData.get(lang) }</p> },
                        None => html! {},
                    }
                }
            </>
        },
        Route::Business => html! {
            <BusinessPage {lang} state={session.business.clone()} on_change={on_business} />
        },
        Route::Analyze => html! {
            <AnalyzePage {lang} dataset={session.dataset.clone()} state={session.analyze.clone()} {on_config} {on_accept} />
        },
        Route::Preprocess => {
            let on_prep = {
                let d = state.dispatcher();
                Callback::from(move |p| d.dispatch(Action::SetPrep(p)))
            };
            html! {
                <PreprocessPage {lang} dataset={session.dataset.clone()} recipe={session.recipe(Vec::new())}
                    prep={session.prep.clone()} finding_exclusions={session.finding_exclusions()} {on_prep} />
            }
        }
        Route::Train => {
            let recipe = session.training_recipe();
            let problems: Vec<String> = match (&recipe, &session.dataset) {
                (Some(r), Some(d)) => r
                    .validate(&d.parsed.loaded.table)
                    .into_iter()
                    .map(|p| crate::i18n::recipe_problem_text(session.lang, &p.field, &p.issue))
                    .collect(),
                _ => Vec::new(),
            };
            let on_models = {
                let d = state.dispatcher();
                Callback::from(move |m| d.dispatch(Action::SetModels(m)))
            };
            let on_train = {
                let (trainer, recipe) = (trainer.clone(), recipe.clone());
                let table = session.dataset.as_ref().map(|d| d.parsed.clone());
                Callback::from(move |_| {
                    if let (Some(r), Some(p)) = (&recipe, &table) {
                        trainer.start(p.loaded.table.clone(), r.clone());
                    }
                })
            };
            let on_cancel = {
                let trainer = trainer.clone();
                Callback::from(move |_| trainer.cancel())
            };
            html! {
                <TrainPage {lang} task={session.task()} rows={session.dataset.as_ref().map(|d| d.parsed.info.rows).unwrap_or(0)}
                    models={session.chosen_models()} training={session.training.clone()} trained={session.trained.clone()}
                    stale={session.trained_is_stale()} {problems} {on_models} {on_train} {on_cancel} />
            }
        }
        Route::Test => {
            let on_threshold = {
                let d = state.dispatcher();
                Callback::from(move |t| d.dispatch(Action::SetThreshold(t)))
            };
            html! {
                <TestPage {lang} dataset={session.dataset.clone()} trained={session.trained.clone()}
                    stale={session.trained_is_stale()} threshold={session.usable_threshold} {on_threshold} />
            }
        }
        Route::Prepare => {
            let on_change = {
                let d = state.dispatcher();
                Callback::from(move |r| d.dispatch(Action::SetRequest(r)))
            };
            html! {
                <PreparePage {lang} request={session.data_request.clone()} gaps={session.request_gaps(lang)}
                    dataset={session.dataset.as_ref().map(|d| d.source.label())} {on_change} />
            }
        }
        Route::Ending => {
            let props = EndingPageProps::from_session(lang, session);
            html! { <EndingPage ..props /> }
        }
    };

    let conversation = crate::comms::STEPS.contains(&session.route).then(|| {
        let on_answer = {
            let d = state.dispatcher();
            Callback::from(move |(point, answer)| d.dispatch(Action::SetAnswer { point, answer }))
        };
        html! {
            <Conversation {lang} step={session.route} scenario={crate::session::scenario::scenario(session, session.route)}
                answers={session.answers.clone()} {on_answer} />
        }
    });

    let make_link = {
        let session = session.clone();
        Callback::from(move |(c, start): (Classroom, Route)| {
            let mut share = Share::from_session(&session, c);
            share.step = start.hash().trim_start_matches("#/").to_string();
            format!("{}{}", browser::page_address(), share.encode())
        })
    };
    let on_start_over = Callback::from(|_| {
        wasm_bindgen_futures::spawn_local(async {
            let keys = WORK_KEYS.iter().map(|k| k.to_string()).collect();
            match browser::remove_keys(keys).await {
                Ok(()) => browser::reload(),
                Err(e) => browser::report_storage_error(&e),
            }
        });
    });
    let on_erase = Callback::from(|_| {
        wasm_bindgen_futures::spawn_local(async {
            match browser::erase_everything().await {
                Ok(()) => browser::reload(),
                Err(e) => browser::report_storage_error(&e),
            }
        });
    });
    let banners = {
        let dismiss_storage = {
            let d = state.dispatcher();
            Callback::from(move |_: MouseEvent| d.dispatch(Action::StorageError(None)))
        };
        html! {
            <>
                if let Some(e) = &shared.error {
                    <p class="card error" role="alert" id="share-error">
                        { crate::i18n::l(lang, "This share link could not be opened: ", "この共有リンクは開けませんでした: ") }{ e }
                    </p>
                }
                if let (Some(f), None) = (&shared.file, &session.dataset) {
                    <p class="card hint" id="share-file">
                        { crate::i18n::l(lang, "This link was made on the file ", "このリンクは次のファイルで作られました: ") }<strong>{ f }</strong>
                        { crate::i18n::l(lang, ", which links never carry: load it on the data page.", "（ファイルはリンクに含まれません）。データのページで読み込んでください。") }
                    </p>
                }
                if let Some(e) = &session.storage_error {
                    <div class="card error" role="alert" id="storage-error">
                        <p>{ crate::i18n::l(lang, "Your work could not be saved in this browser (its storage may be full or disabled). It stays on this page until you reload; export the report to keep it. Details: ", "作業をこのブラウザーに保存できませんでした（容量不足か、保存が無効です）。再読み込みするまではこのページに残ります。残すにはレポートを書き出してください。詳細: ") }{ e }</p>
                        <button type="button" id="dismiss-storage-error" onclick={dismiss_storage}>{ T::Dismiss.get(lang) }</button>
                    </div>
                }
            </>
        }
    };
    let root_class = classes!(
        "app",
        classroom.hide_text.then_some("hide-text"),
        classroom.lock.then_some("locked"),
        classroom
            .hide
            .iter()
            .map(|h| format!("hide-{h}"))
            .collect::<Vec<_>>(),
        widget.map(|w| vec!["embed".to_string(), format!("embed-{}", w.id())]),
    );
    html! {
        <div class={root_class}>
            <a class="skip" href="#main">{ T::SkipToContent.get(lang) }</a>
            <header class="topbar">
                <div class="brand">
                    <h1>{ T::AppTitle.get(lang) }</h1>
                    <p class="tagline">{ T::Tagline.get(lang) }</p>
                </div>
                <SessionTools {lang} route={session.route} {make_link} {on_start_over} {on_erase} />
                <LangSwitch {lang} on_change={on_lang} />
            </header>
            <div class="layout">
                <nav class="steps" aria-label={T::Steps.get(lang)}>
                    <ol>{ for nav }</ol>
                </nav>
                <main id="main" tabindex="-1">
                    // Reading progress and errors show on every page.
                    <LoadStatusView {lang} status={session.status.clone()} {on_cancel} {on_dismiss} />
                    { banners }
                    <div id="page">
                        { embed_chart.unwrap_or(page) }
                        if widget.is_none() { { conversation.unwrap_or_default() } }
                    </div>
                </main>
            </div>
            <footer class="footer">{ T::Footer.get(lang) }</footer>
        </div>
    }
}

/// The chart widgets shown alone when embedded.
fn embed_chart(session: &Session, w: Widget) -> Option<Html> {
    let lang = session.lang;
    let a = session.analyze.as_ref()?.result.as_ref().ok()?;
    let (chart, label, height) = match w {
        Widget::Missing => {
            let c = crate::chart::specs::missing(a, 50.0, "%");
            let h = (60 + 18 * c.bars.len()).clamp(200, 900) as u32;
            (crate::chart::Chart::Bars(c), T::MissingTitle, h)
        }
        Widget::Correlation => (
            crate::chart::Chart::Heatmap(crate::chart::specs::heatmap(&a.numeric_corr, true)),
            T::NumericPairsTitle,
            760,
        ),
        Widget::CramersV => (
            crate::chart::Chart::Heatmap(crate::chart::specs::heatmap(&a.cramers_v.matrix, false)),
            T::CategoricalPairsTitle,
            760,
        ),
        _ => return None,
    };
    Some(html! {
        <section class="card embed-chart" aria-label={label.get(lang)}>
            <h2>{ label.get(lang) }</h2>
            <ChartCanvas id={Some(format!("embed-{}-chart", w.id()))} chart={Rc::new(chart)} width={760} {height} label={label.get(lang).to_string()} />
        </section>
    })
}

/// Write one export of the report and offer it as a download.
fn export(
    session: &Session,
    report: &crate::report::Report,
    kind: ExportKind,
    data_path: &str,
) -> Result<(), String> {
    let lang = session.lang;
    let stem = session
        .dataset
        .as_ref()
        .map(|d| d.source.label())
        .unwrap_or_else(|| "mlplay".into());
    let stem = stem.trim_end_matches(".csv").to_string();
    let trained = || -> Result<(&crate::engine::pipeline::recipe::Recipe, &crate::engine::Loaded), String> {
        match (&session.trained, &session.dataset) {
            (Some(t), Some(d)) => Ok((&t.recipe, &d.parsed.loaded)),
            _ => Err(crate::i18n::l(
                lang,
                "Train models first.",
                "先にモデルを学習してください。",
            )
            .into()),
        }
    };
    let path = if data_path.trim().is_empty() {
        format!("{stem}.csv")
    } else {
        data_path.trim().to_string()
    };
    let saved = match kind {
        ExportKind::Html => browser::download(
            &format!("{stem}-report.html"),
            "text/html",
            &crate::report::html(report),
        ),
        ExportKind::Markdown => browser::download_bytes(
            &format!("{stem}-report.zip"),
            "application/zip",
            &crate::report::markdown_zip(report),
        ),
        ExportKind::Notebook => {
            let (recipe, loaded) = trained()?;
            let nb = crate::report::notebook(report, recipe, loaded, &path)
                .map_err(|e| crate::i18n::error_text(lang, &e))?;
            browser::download(&format!("{stem}.ipynb"), "application/x-ipynb+json", &nb)
        }
        ExportKind::PySpark => {
            let (recipe, loaded) = trained()?;
            let py = crate::engine::codegen::pyspark::pyspark_script(recipe, &loaded.table, &path)
                .map_err(|e| crate::i18n::error_text(lang, &e))?;
            browser::download(&format!("{stem}_pyspark.py"), "text/x-python", &py)
        }
    };
    // Every other failure returned translated above; what is left is the browser's refusal.
    saved.map_err(|detail| crate::i18n::error_text(lang, &Error::DownloadFailed { detail }))
}
