//! The root component: wiring only. The session lives in [`AppState`], provided to the
//! components under the app as [`AppContext`]; saving and restoring, reading data and training
//! are in [`super::effects`]; browser APIs in [`super::platform`].

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::components::{DataPicker, DatasetView, LangSwitch, LoadStatusView, SessionTools};
use super::effects::analyzer::use_analyzer;
use super::effects::loader::use_loader;
use super::effects::persist::{self, use_restore_on_load, use_save};
use super::effects::trainer::use_trainer;
use super::platform::{dom, storage};
use super::shell::{Banners, Recovery, RecoveryChoice, ShareConsent, StepConversation, StepNav};
use super::state::{AppContext, AppState};
use super::steps::{
    AnalyzePage, BusinessPage, EndingPage, EndingPageProps, ExportKind, PreparePage,
    PreprocessPage, ReportPage, StepIntro, TestPage, TrainPage,
};
use super::{embed, export};
use crate::i18n::T;
use crate::route::Route;
use crate::session::{Action, DiagnosisStatus, LoadStatus};
use crate::share::{Classroom, Share, Widget};

/// The app.
#[function_component(App)]
pub fn app() -> Html {
    // The work the previous visit died doing, if it did: this start goes without it.
    let recovery = use_state(persist::take_recovery);
    let recovered = use_state(|| false);
    // Before the session is read from storage: a share link rewrites that storage.
    let shared = {
        let recovering = recovery.is_some();
        use_state(move || persist::import_share_link(recovering))
    };
    let classroom = use_state(|| persist::stored().classroom.unwrap_or_default());
    let widget = use_state(|| Widget::from_query(&dom::query()));
    let state = use_reducer(|| {
        let mut s = persist::initial_session();
        // The diagnosis grows with columns² × rows: it runs in the engine worker.
        s.diagnose_in_worker = true;
        AppState(s)
    });
    let loader = use_loader(state.dispatcher());
    let analyzer = use_analyzer(state.dispatcher());
    let trainer = use_trainer(state.dispatcher());
    let session = &state.0;
    let lang = session.lang;
    let export_error = use_state(|| None::<String>);

    use_effect_with(lang, |lang| {
        dom::set_document_lang(*lang);
        dom::prepare_panic_box(*lang);
    });
    {
        // Follow the URL fragment (links, back and forward buttons).
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            dom::listen("hashchange", move |_| {
                // A share link pasted into this tab changes only the fragment: start again
                // so that it is imported like a freshly opened one.
                if dom::location_hash().starts_with(crate::share::FRAGMENT) {
                    dom::reload();
                } else {
                    d.dispatch(Action::Navigate(dom::current_route()));
                }
            })
        });
    }
    {
        // Failed saves anywhere are reported through one window event.
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            dom::listen(storage::STORAGE_ERROR_EVENT, move |e| {
                let detail = e
                    .dyn_ref::<web_sys::CustomEvent>()
                    .and_then(|e| e.detail().as_string());
                d.dispatch(Action::StorageError(detail))
            })
        });
    }
    {
        // Locked settings: every input and list on the step page is disabled after each
        // render; buttons, the exercises and the notes stay usable.
        let lock = classroom.lock;
        use_effect(move || {
            if lock {
                dom::disable_settings();
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
    {
        // A wanted diagnosis starts in the worker.
        let wanted = match &session.diagnosis {
            DiagnosisStatus::Wanted {
                config, request, ..
            } => Some((config.clone(), *request)),
            _ => None,
        };
        let data = session.dataset.as_ref().map(|d| d.parsed.clone());
        let analyzer = analyzer.clone();
        use_effect_with((wanted, data), move |(wanted, data)| {
            if let (Some((config, _)), Some(data)) = (wanted, data) {
                analyzer.start(data.clone(), config.clone());
            }
        });
    }
    use_effect_with(session.route, |_| dom::scroll_to_top());
    // Restore what was saved for reloaded data before saving what changed (in this order).
    let restored = use_restore_on_load(&state);
    use_save(session);
    {
        // An embedded evaluation or try-it trains the recipe by itself once the data is ready
        // and the learner's saved settings are restored (not before: it would train the
        // defaults and then call its own result stale), and again if the settings change.
        let ready = (*widget).is_some_and(|w| w.needs_models())
            && restored
            && (session.trained.is_none() || session.trained_is_stale());
        let recipe = session.training_recipe();
        let table = session.dataset.as_ref().map(|d| d.parsed.clone());
        let trainer = trainer.clone();
        use_effect_with((ready, recipe), move |(ready, recipe)| {
            if let (true, Some(r), Some(t)) = (*ready, recipe, table) {
                trainer.start(t.loaded.table.clone(), r.clone());
            }
        });
    }
    // The restored data read, diagnosed and drawn: the start-up's breadcrumb goes (a moment
    // later, so that a crash while drawing the restored page still counts).
    let restoring = use_mut_ref(|| false);
    {
        let restoring = restoring.clone();
        let settled = restored
            || !matches!(
                session.status,
                LoadStatus::Loading { .. } | LoadStatus::Idle
            );
        use_effect_with(settled, move |settled| {
            if *settled && *restoring.borrow() {
                // Until then a normal leave (a reload) still counts as finished (pagehide).
                wasm_bindgen_futures::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::from_millis(1000)).await;
                    if std::mem::take(&mut *restoring.borrow_mut()) {
                        storage::clear_breadcrumb();
                    }
                });
            }
        });
    }
    {
        // Leaving the page normally while restoring (an impatient reload) is not a crash; a
        // page that crashed (its panic box is up) keeps the breadcrumb.
        let restoring = restoring.clone();
        use_effect_with((), move |_| {
            dom::listen("pagehide", move |_| {
                if *restoring.borrow() && !dom::panic_box_shown() {
                    storage::clear_breadcrumb();
                }
            })
        });
    }
    {
        // Nothing lost on reload: the last bundled dataset or the kept upload is read again,
        // unless the previous visit died doing that.
        let loader = loader.clone();
        let read = session.read.clone();
        let widget = *widget;
        let recovering = recovery.is_some();
        use_effect_with((), move |_| {
            let stored = persist::stored();
            let crumb = |name: String, upload: bool| {
                *restoring.borrow_mut() = true;
                storage::set_breadcrumb(&crate::persist::Breadcrumb::Restore { name, upload });
            };
            if recovering {
            } else if let Some(id) = stored.last_bundled {
                crumb(id.clone(), false);
                loader.bundled(id, read);
            } else if let Some(name) = stored.upload {
                crumb(name, true);
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
    let on_cancel_diagnosis = {
        let analyzer = analyzer.clone();
        Callback::from(move |_| analyzer.cancel())
    };

    // An embedded widget shows the page it lives on (trimmed by its class) or a chart alone.
    let widget = *widget;
    let shown = match widget {
        Some(Widget::Value) => Route::Business,
        Some(Widget::Training) => Route::Train,
        Some(Widget::Evaluation | Widget::TryIt) => Route::Test,
        Some(_) => Route::Analyze,
        None => session.route,
    };
    let embed_chart = widget.and_then(|w| embed::chart(session, w));
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
                    match export::export(&session, &report, kind, &path) {
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
            <AnalyzePage {lang} dataset={session.dataset.clone()} state={session.analyze.clone()}
                diagnosis={session.diagnosis.clone()} {on_config} {on_accept} on_cancel={on_cancel_diagnosis} />
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

    let make_link = {
        let session = session.clone();
        Callback::from(move |(c, start): (Classroom, Route)| {
            let mut share = Share::from_session(&session, c);
            share.step = start.hash().trim_start_matches("#/").to_string();
            format!("{}{}", dom::page_address(), share.encode())
        })
    };
    let on_start_over = Callback::from(|_| {
        wasm_bindgen_futures::spawn_local(async {
            persist::stop_saving();
            match persist::forget_work().await {
                Ok(()) => dom::reload(),
                Err(e) => {
                    persist::resume_saving();
                    storage::report_storage_error(&e)
                }
            }
        });
    });
    let on_erase = Callback::from(|_| {
        wasm_bindgen_futures::spawn_local(async {
            persist::stop_saving();
            match storage::erase_everything().await {
                Ok(()) => dom::reload(),
                Err(e) => {
                    persist::resume_saving();
                    storage::report_storage_error(&e)
                }
            }
        });
    });
    let on_leave_classroom = {
        let classroom = classroom.clone();
        Callback::from(move |_| {
            persist::leave_classroom();
            classroom.set(Classroom::default());
        })
    };
    let on_consent = {
        let shared = shared.clone();
        Callback::from(
            move |answer: Option<bool>| match (answer, &shared.pending) {
                (Some(keep_upload), Some(p)) => {
                    let share = p.share.clone();
                    wasm_bindgen_futures::spawn_local(persist::open_pending(share, keep_upload));
                }
                _ => {
                    persist::decline_pending();
                    shared.set(persist::ShareOutcome::default());
                }
            },
        )
    };
    let on_recovery = {
        let (recovery, recovered) = (recovery.clone(), recovered.clone());
        Callback::from(move |choice: RecoveryChoice| {
            let Some(crumb) = (*recovery).clone() else {
                return;
            };
            match choice {
                RecoveryChoice::Retry => persist::try_again(&crumb),
                RecoveryChoice::Without => {
                    persist::open_without(&crumb);
                    recovery.set(None);
                    recovered.set(true);
                }
                RecoveryChoice::Erase => wasm_bindgen_futures::spawn_local(async {
                    persist::stop_saving();
                    match storage::erase_everything().await {
                        Ok(()) => dom::reload(),
                        Err(e) => {
                            persist::resume_saving();
                            storage::report_storage_error(&e)
                        }
                    }
                }),
            }
        })
    };
    // The root's classes come from fixed lists only: nothing a link carries becomes a class.
    let root_class = classes!(
        "app",
        classroom.root_classes(),
        widget.map(|w| vec!["embed".to_string(), format!("embed-{}", w.id())]),
    );
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
        <div class={root_class}>
            <a class="skip" href="#main">{ T::SkipToContent.get(lang) }</a>
            <header class="topbar">
                <div class="brand">
                    <h1>{ T::AppTitle.get(lang) }</h1>
                    <p class="tagline">{ T::Tagline.get(lang) }</p>
                </div>
                <SessionTools {lang} route={session.route} {make_link} {on_start_over} {on_erase}
                    classroom={classroom.is_active()} on_leave_classroom={on_leave_classroom} />
                <LangSwitch {lang} on_change={on_lang} />
            </header>
            <div class="layout">
                <StepNav />
                <main id="main" tabindex="-1">
                    // Reading progress and errors show on every page.
                    <LoadStatusView {lang} status={session.status.clone()} {on_cancel} {on_dismiss} />
                    <Recovery crumb={(*recovery).clone()} done={*recovered} on_choice={on_recovery} />
                    <Banners shared={(*shared).clone()} />
                    if let Some(p) = &shared.pending {
                        <ShareConsent pending={p.clone()} on_answer={on_consent} />
                    }
                    <div id="page">
                        { embed_chart.unwrap_or(page) }
                        if widget.is_none() { <StepConversation /> }
                    </div>
                </main>
            </div>
            <footer class="footer">{ T::Footer.get(lang) }</footer>
        </div>
        </ContextProvider<AppContext>>
    }
}
