//! Saving and restoring the session: [`crate::persist`] decides what is stored; this file moves
//! it between the session and [`storage`].

use yew::prelude::*;

use crate::persist::{self, Key, Saved};
use crate::route::Route;
use crate::session::{Action, Clock, Session};
use crate::share::{Share, FRAGMENT};
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

/// What opening a share link did.
#[derive(Clone, PartialEq, Default)]
pub struct ShareOutcome {
    pub error: Option<String>,
    /// The learner's own file the link was made on (it cannot travel in the link).
    pub file: Option<String>,
}

/// If the page was opened with `#share=…`, write its settings where a reload would find them
/// and open its step: the rest of the start-up then restores them as after a reload. Call it
/// before the session is read from storage.
pub fn import_share_link() -> ShareOutcome {
    let hash = dom::location_hash();
    if !hash.starts_with(FRAGMENT) {
        return ShareOutcome::default();
    }
    let share = match Share::decode(&hash) {
        Ok(s) => s,
        Err(e) => {
            dom::replace_hash(Route::Data.hash());
            return ShareOutcome {
                error: Some(e),
                file: None,
            };
        }
    };
    let before = stored();
    let after = persist::import_share(&before, &share, dom::browser_lang());
    write(&after, &persist::changed(&before, &after));
    dom::replace_hash(share.route().hash());
    ShareOutcome {
        error: None,
        file: share.file.clone(),
    }
}

/// Remove the work ("Start over") and wait until storage has done so.
pub async fn forget_work() -> Result<(), String> {
    storage::remove_keys(Key::work().map(|k| k.name().to_string()).collect()).await
}

/// Restore what was saved for the data once it is loaded: its diagnosis settings and
/// decisions, and the chosen models once the diagnosis has settled the task (a new dataset
/// resets them to its task's defaults; models that do not fit the task are not restored).
/// Call before [`use_save`], which would otherwise first save the fresh diagnosis over it.
#[hook]
pub fn use_restore_on_load(state: &UseReducerHandle<AppState>) {
    let session = &state.0;
    {
        let d = state.dispatcher();
        let source = session
            .dataset
            .as_ref()
            .map(|d| (d.source.clone(), d.parsed.clone()));
        use_effect_with(source, move |source| {
            if let Some((src, _)) = source {
                if let Some(action) = stored().restore_analysis(src) {
                    d.dispatch(action);
                }
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
}

/// Save the session as it changes: one effect writes the keys whose values changed.
#[hook]
pub fn use_save(session: &Session) {
    use_effect_with(persist::saved(session), |values| {
        let before = stored();
        let after = before.save_over(values);
        write(&after, &persist::changed(&before, &after));
    });
}
