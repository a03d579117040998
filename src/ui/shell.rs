//! The parts of the app around the step pages, reading the session from the app's context:
//! the step navigation with each step's exercise progress, the banners (share link, storage
//! errors) and the current step's conversation exercise.

use yew::prelude::*;

use super::effects::persist::{PendingShare, ShareOutcome};
use super::state::use_app;
use super::steps::Conversation;
use crate::i18n::l;
use crate::i18n::safety::{fill, S};
use crate::i18n::T;
use crate::persist::Breadcrumb;
use crate::route::Route;
use crate::session::Action;

/// The step navigation; each step shows how many of its conversation points are done.
#[function_component(StepNav)]
pub fn step_nav() -> Html {
    let state = use_app();
    let session = &state.0;
    let lang = session.lang;
    let progress = |r: Route| {
        let (done, of) = crate::comms::progress(&session.answers, r);
        html! {
            <span class={classes!("conv-progress", (done == of).then_some("complete"))}
                id={format!("progress-{}", &r.hash()[2..])} data-done={done.to_string()} data-of={of.to_string()}
                title={l(lang, "communication exercise", "コミュニケーション演習")}>
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
    html! {
        <nav class="steps" aria-label={T::Steps.get(lang)}>
            <ol>{ for nav }</ol>
        </nav>
    }
}

#[derive(Properties, PartialEq)]
pub struct BannersProps {
    /// What opening a share link did.
    pub shared: ShareOutcome,
}

/// A share link that could not be opened or was made on the learner's own file, and a failed
/// save (dismissable).
#[function_component(Banners)]
pub fn banners(p: &BannersProps) -> Html {
    let state = use_app();
    let session = &state.0;
    let lang = session.lang;
    let dismiss_storage = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::StorageError(None)))
    };
    html! {
        <>
            if let Some(e) = &p.shared.error {
                <p class="card error" role="alert" id="share-error">{ e.text(lang) }</p>
            }
            if let (Some(f), None) = (&p.shared.file, &session.dataset) {
                <p class="card hint" id="share-file">
                    { l(lang, "This link was made on the file ", "このリンクは次のファイルで作られました: ") }<strong>{ f }</strong>
                    { l(lang, ", which links never carry: load it on the data page.", "（ファイルはリンクに含まれません）。データのページで読み込んでください。") }
                </p>
            }
            if let Some(e) = &session.storage_error {
                <div class="card error" role="alert" id="storage-error">
                    <p>{ l(lang, "Your work could not be saved in this browser (its storage may be full or disabled). It stays on this page until you reload; export the report to keep it. Details: ", "作業をこのブラウザーに保存できませんでした（容量不足か、保存が無効です）。再読み込みするまではこのページに残ります。残すにはレポートを書き出してください。詳細: ") }{ e }</p>
                    <button type="button" id="dismiss-storage-error" onclick={dismiss_storage}>{ T::Dismiss.get(lang) }</button>
                </div>
            }
        </>
    }
}

/// The current step's conversation exercise (steps 1 to 6; nothing on other pages).
#[function_component(StepConversation)]
pub fn step_conversation() -> Html {
    let state = use_app();
    let session = &state.0;
    if !crate::comms::STEPS.contains(&session.route) {
        return html! {};
    }
    let on_answer = {
        let d = state.dispatcher();
        Callback::from(move |(point, answer)| d.dispatch(Action::SetAnswer { point, answer }))
    };
    html! {
        <Conversation lang={session.lang} step={session.route}
            scenario={crate::session::scenario::scenario(session, session.route)}
            answers={session.answers.clone()} {on_answer} />
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareConsentProps {
    pub pending: PendingShare,
    /// Some(keep the uploaded file): open the link; None: keep the work as it is.
    pub on_answer: Callback<Option<bool>>,
}

/// Asked before a share link replaces the learner's work: what it replaces, what stays, and
/// whether their uploaded file stays the data (it does unless they untick it).
#[function_component(ShareConsent)]
pub fn share_consent(p: &ShareConsentProps) -> Html {
    let state = use_app();
    let lang = state.0.lang;
    let keep = use_state(|| true);
    let on_keep = {
        let keep = keep.clone();
        Callback::from(move |e: Event| {
            keep.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    let on_open = {
        let (cb, keep, has_upload) = (
            p.on_answer.clone(),
            keep.clone(),
            p.pending.upload.is_some(),
        );
        Callback::from(move |_: MouseEvent| cb.emit(Some(has_upload && *keep)))
    };
    let on_cancel = {
        let cb = p.on_answer.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    html! {
        <section class="card consent" id="share-consent" role="alertdialog" aria-labelledby="share-consent-title">
            <h2 id="share-consent-title">{ S::ConsentTitle.get(lang) }</h2>
            if !p.pending.replaced.is_empty() {
                <p>{ S::ConsentReplaces.get(lang) }</p>
                <ul id="share-consent-parts">
                    { for p.pending.replaced.iter().map(|part| html! { <li>{ part.text(lang) }</li> }) }
                </ul>
            }
            <p>{ S::ConsentKeeps.get(lang) }</p>
            if let Some(file) = &p.pending.upload {
                <p>
                    <label for="share-keep-file">
                        <input type="checkbox" id="share-keep-file" checked={*keep} onchange={on_keep} />
                        { fill(S::ConsentKeepFile.get(lang), &[("file", file)]) }
                    </label>
                </p>
            }
            <p class="consent-actions">
                <button type="button" id="share-consent-open" onclick={on_open}>{ S::ConsentOpen.get(lang) }</button>
                <button type="button" id="share-consent-cancel" onclick={on_cancel}>{ S::ConsentCancel.get(lang) }</button>
            </p>
        </section>
    }
}

/// The learner's answer after a visit that died.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryChoice {
    Retry,
    Without,
    Erase,
}

#[derive(Properties, PartialEq)]
pub struct RecoveryProps {
    /// What the previous visit died doing (None: nothing to say).
    pub crumb: Option<Breadcrumb>,
    /// The learner chose to go on without it.
    pub done: bool,
    pub on_choice: Callback<RecoveryChoice>,
}

/// Said at the start after a visit that died: what was left out, with the ways on.
#[function_component(Recovery)]
pub fn recovery(p: &RecoveryProps) -> Html {
    let state = use_app();
    let lang = state.0.lang;
    if p.done {
        return html! { <p class="card hint" role="status" id="recovery-done">{ S::RecoveryDone.get(lang) }</p> };
    }
    let Some(crumb) = &p.crumb else {
        return html! {};
    };
    let what = match crumb {
        Breadcrumb::Restore { name, .. } => fill(S::RecoveryRestore.get(lang), &[("name", name)]),
        Breadcrumb::Share { .. } => S::RecoveryShare.get(lang).to_string(),
        Breadcrumb::Crashed | Breadcrumb::Erase => S::RecoveryCrashed.get(lang).to_string(),
    };
    let choose = |c: RecoveryChoice| {
        let cb = p.on_choice.clone();
        Callback::from(move |_: MouseEvent| cb.emit(c))
    };
    let erase = {
        let cb = p.on_choice.clone();
        let question = S::EraseConfirm.get(lang);
        Callback::from(move |_: MouseEvent| {
            if crate::ui::platform::dom::confirm(question) {
                cb.emit(RecoveryChoice::Erase)
            }
        })
    };
    html! {
        <section class="card error" role="alert" id="recovery">
            <h2>{ S::RecoveryTitle.get(lang) }</h2>
            <p>{ what }</p>
            <p class="recovery-actions">
                <button type="button" id="recovery-retry" onclick={choose(RecoveryChoice::Retry)}>{ S::RecoveryRetry.get(lang) }</button>
                <button type="button" id="recovery-without" onclick={choose(RecoveryChoice::Without)}>{ S::RecoveryWithout.get(lang) }</button>
                <button type="button" id="recovery-erase" onclick={erase}>{ S::RecoveryErase.get(lang) }</button>
            </p>
        </section>
    }
}
