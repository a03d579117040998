//! Progress while reading, and the translated error or cancellation notice afterwards.

use yew::prelude::*;

use crate::i18n::{category_title, error_text, Lang, T};
use crate::session::LoadStatus;

#[derive(Properties, PartialEq)]
pub struct LoadStatusProps {
    pub lang: Lang,
    pub status: LoadStatus,
    pub on_cancel: Callback<()>,
    pub on_dismiss: Callback<()>,
}

#[function_component(LoadStatusView)]
pub fn load_status(p: &LoadStatusProps) -> Html {
    let lang = p.lang;
    match &p.status {
        LoadStatus::Idle => html! {},
        LoadStatus::Loading {
            source, progress, ..
        } => {
            let pct = (progress * 100.0).round();
            html! {
                <section class="card status" aria-live="polite" id="loading">
                    <p>{ format!("{} {}", T::Loading.get(lang), source.label()) }</p>
                    <progress max="100" value={pct.to_string()} aria-label={T::Loading.get(lang)}></progress>
                    <span class="pct">{ format!("{pct:.0}%") }</span>
                    <button type="button" onclick={p.on_cancel.reform(|_| ())}>{ T::Cancel.get(lang) }</button>
                </section>
            }
        }
        LoadStatus::Failed { source, error } => html! {
            <section class="card error" role="alert" id="load-error">
                // The heading names the kind of failure: a worker that would not start is not a
                // file that could not be read.
                <h2>{ format!("{}: {}", category_title(lang, error.category()), source.label()) }</h2>
                <p class="error-message">{ error_text(lang, error) }</p>
                <button type="button" onclick={p.on_dismiss.reform(|_| ())}>{ T::Dismiss.get(lang) }</button>
            </section>
        },
        LoadStatus::Cancelled => html! {
            <section class="card status" role="status">
                <p>{ T::Cancelled.get(lang) }</p>
                <button type="button" onclick={p.on_dismiss.reform(|_| ())}>{ T::Dismiss.get(lang) }</button>
            </section>
        },
    }
}
