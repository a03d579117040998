//! Saving and restoring the session: [`crate::persist`] decides what is stored; this file moves
//! it between the session and [`storage`].

use yew::prelude::*;

use crate::persist::{self, Breadcrumb, Key, Part, Saved};
use crate::route::Route;
use crate::session::{Action, Clock, Parsed, Session, Shared};
use crate::share::{Share, ShareError, FRAGMENT};
use crate::ui::platform::{clock, dom, storage};
use crate::ui::state::AppState;

/// What storage holds now.
pub fn stored() -> Saved {
    Saved::load(storage::get)
}

/// Write `keys` as `next` has them: stored if it has a value, removed if not.
pub fn write(next: &Saved, keys: &[Key]) {
    for &key in keys {
        match next.json(key) {
            Some(json) => storage::put(key.name(), json),
            None => storage::forget_keys(&[key.name()]),
        }
    }
}

/// The session at start-up: what was saved, in the browser's language if none was saved.
pub fn initial_session() -> Session {
    let mut s = Session::new(dom::browser_lang());
    persist::restore(&mut s, &stored());
    // A failure before the app listened (IndexedDB would not open) is shown too.
    s.storage_error = storage::first_storage_error();
    s.route = dom::current_route();
    s.clock = Some(Clock(clock::now_ms));
    s
}

/// A share link waiting for the learner's answer, because it would replace their own work.
#[derive(Clone, PartialEq)]
pub struct PendingShare {
    pub share: Share,
    /// What of theirs it would replace.
    pub replaced: Vec<Part>,
    /// Their uploaded file, which stays the data unless they say otherwise.
    pub upload: Option<String>,
}

/// What opening a share link did.
#[derive(Clone, PartialEq, Default)]
pub struct ShareOutcome {
    pub error: Option<ShareError>,
    /// The learner's own file the link was made on (it cannot travel in the link).
    pub file: Option<String>,
    /// The link waits for the learner's consent.
    pub pending: Option<PendingShare>,
}

thread_local! {
    /// The work a page that died was doing, found at start-up before the app mounts.
    static RECOVERY: std::cell::RefCell<Option<Breadcrumb>> = const { std::cell::RefCell::new(None) };
}

/// Record what start-up found left behind ([`crate::persist::recovery_from`]); its
/// breadcrumbs are already removed, so this start does not redo that work unless the learner
/// asks to try again.
pub fn set_recovery(crumb: Option<Breadcrumb>) {
    RECOVERY.with(|r| *r.borrow_mut() = crumb.filter(Breadcrumb::starts_safe));
}

/// The work the previous visit died doing, if any (taken once).
pub fn take_recovery() -> Option<Breadcrumb> {
    RECOVERY.with(|r| r.borrow_mut().take())
}

/// If the page was opened with `#share=…`: check it; if it would replace none of the
/// learner's work, write its settings where a reload would find them and open its step (the
/// rest of the start-up then restores them as after a reload); otherwise leave it pending for
/// the learner's answer ([`open_pending`]). Call it before the session is read from storage.
/// After a visit that died (`recovering`), no link is opened.
pub fn import_share_link(recovering: bool) -> ShareOutcome {
    let hash = dom::location_hash();
    if !hash.starts_with(FRAGMENT) {
        return ShareOutcome::default();
    }
    if recovering {
        dom::replace_hash(Route::Data.hash());
        return ShareOutcome::default();
    }
    storage::set_breadcrumb(&Breadcrumb::Share {
        fragment: hash.clone(),
    });
    let outcome = match Share::decode(&hash) {
        Err(e) => {
            dom::replace_hash(Route::Data.hash());
            ShareOutcome {
                error: Some(e),
                ..ShareOutcome::default()
            }
        }
        Ok(share) => {
            let before = stored();
            let lang = before.lang.unwrap_or_else(dom::browser_lang);
            if persist::share_needs_consent(&before, &share, lang) {
                ShareOutcome {
                    pending: Some(PendingShare {
                        replaced: persist::replaced_by(&before, &share, lang),
                        upload: before.upload.clone(),
                        share,
                    }),
                    ..ShareOutcome::default()
                }
            } else {
                let after = persist::import_share(&before, &share, dom::browser_lang(), true);
                write(&after, &persist::changed(&before, &after));
                dom::replace_hash(share.route().hash());
                ShareOutcome {
                    file: share.file.clone(),
                    ..ShareOutcome::default()
                }
            }
        }
    };
    storage::clear_breadcrumb();
    outcome
}

/// The learner agreed to open a pending link (`keep_upload`: their file stays the data): write
/// its settings, wait until they are stored, and start again on the link's step.
pub async fn open_pending(share: Share, keep_upload: bool) {
    stop_saving();
    let before = stored();
    let after = persist::import_share(&before, &share, dom::browser_lang(), keep_upload);
    write(&after, &persist::changed(&before, &after));
    match storage::flush().await {
        Ok(()) => {
            dom::replace_hash(share.route().hash());
            dom::reload();
        }
        Err(e) => {
            resume_saving();
            storage::report_storage_error(&e)
        }
    }
}

/// The learner declined a pending link: their work stays; the address no longer holds it.
pub fn decline_pending() {
    dom::replace_hash(Route::Data.hash());
}

/// "Open without it" after a visit that died: forget what it died doing.
pub fn open_without(crumb: &Breadcrumb) {
    let before = stored();
    let after = persist::without(&before, crumb);
    write(&after, &persist::changed(&before, &after));
}

/// "Try again" after a visit that died: start again doing the same (a link is opened again).
pub fn try_again(crumb: &Breadcrumb) {
    if let Breadcrumb::Share { fragment } = crumb {
        dom::replace_hash(fragment);
    }
    dom::reload();
}

/// Leave classroom mode for good: the stored options go.
pub fn leave_classroom() {
    write(&Saved::default(), &[Key::Classroom]);
}

/// Remove the work ("Start over") and wait until storage has done so.
pub async fn forget_work() -> Result<(), String> {
    storage::remove_keys(Key::work().map(|k| k.name().to_string()).collect()).await
}

/// Restore what was saved for the data once it is loaded: its diagnosis settings and
/// decisions, and the chosen models once the diagnosis has settled the task (a new dataset
/// resets them to its task's defaults; models that do not fit the task are not restored).
/// Call before [`use_save`], which would otherwise first save the fresh diagnosis over it.
/// Returns whether this has been done for the data now loaded (an embedded widget trains
/// only then, on the learner's settings rather than the defaults).
#[hook]
pub fn use_restore_on_load(state: &UseReducerHandle<AppState>) -> bool {
    let session = &state.0;
    let restored = use_state(|| None::<Shared<Parsed>>);
    {
        let d = state.dispatcher();
        let restored = restored.clone();
        let source = session
            .dataset
            .as_ref()
            .map(|d| (d.source.clone(), d.parsed.clone()));
        use_effect_with(source, move |source| {
            if let Some((src, parsed)) = source {
                if let Some(action) = stored().restore_analysis(src) {
                    d.dispatch(action);
                }
                restored.set(Some(parsed.clone()));
            }
        });
    }
    {
        let d = state.dispatcher();
        let source = session.dataset.as_ref().map(|d| d.source.clone());
        let task = session.task();
        use_effect_with((source, task), move |(source, task)| {
            if let (Some(_), Some(task)) = (source, task) {
                if let Some(models) = stored().models_for(*task) {
                    d.dispatch(Action::SetModels(models));
                }
            }
        });
    }
    let current = session.dataset.as_ref().map(|d| &d.parsed);
    current.is_some() && (*restored).as_ref() == current
}

thread_local! {
    /// The page is about to reload over storage it just rewrote (a link opened, the work
    /// erased): the session in memory is stale and must not be saved over it.
    static LEAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Stop saving the session: storage is being rewritten for a reload.
pub fn stop_saving() {
    LEAVING.with(|l| l.set(true));
}

/// Save again (the rewrite failed and the page stays).
pub fn resume_saving() {
    LEAVING.with(|l| l.set(false));
}

/// Save the session as it changes: one effect writes the keys whose values changed.
#[hook]
pub fn use_save(session: &Session) {
    use_effect_with(persist::saved(session), |values| {
        if LEAVING.with(|l| l.get()) {
            // A diagnosis finishing while a link's settings were written would otherwise put
            // the old formula back before the reload.
            return;
        }
        let before = stored();
        let after = before.save_over(values);
        write(&after, &persist::changed(&before, &after));
    });
}
