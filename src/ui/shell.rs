//! The parts of the app around the step pages, reading the session from the app's context:
//! the step navigation with each step's exercise progress, the banners (share link, storage
//! errors) and the current step's conversation exercise.

use yew::prelude::*;

use super::effects::persist::ShareOutcome;
use super::state::use_app;
use super::steps::Conversation;
use crate::i18n::l;
use crate::i18n::T;
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
                <p class="card error" role="alert" id="share-error">
                    { l(lang, "This share link could not be opened: ", "この共有リンクは開けませんでした: ") }{ e }
                </p>
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
