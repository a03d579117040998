//! Step 3 — Prepare: a 5W1H data request to the teams that own the data, started from the
//! accepted findings of the diagnosis and copied out as Markdown.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::StepIntro;
use crate::i18n::{Lang, T};
use crate::route::Route;
use crate::session::DataRequest;
use crate::ui::platform::dom;

#[derive(Properties, PartialEq)]
pub struct PreparePageProps {
    pub lang: Lang,
    pub request: DataRequest,
    /// The accepted findings as Markdown bullets ("" when none).
    pub gaps: String,
    /// The data's name, for the request's title.
    pub dataset: Option<String>,
    pub on_change: Callback<DataRequest>,
}

/// Which part a field edits.
fn set_part(r: &mut DataRequest, i: usize, v: String) {
    match i {
        0 => r.why = v,
        1 => r.by_when = v,
        2 => r.place = v,
        3 => r.who = v,
        4 => r.what = v,
        _ => r.how = v,
    }
}

const IDS: [&str; 6] = ["why", "when", "where", "who", "what", "how"];
const HINTS: [T; 6] = [
    T::RequestWhyHint,
    T::RequestWhenHint,
    T::RequestWhereHint,
    T::RequestWhoHint,
    T::RequestWhatHint,
    T::RequestHowHint,
];

#[function_component(PreparePage)]
pub fn prepare_page(p: &PreparePageProps) -> Html {
    let lang = p.lang;
    let copied = use_state(|| None::<bool>);
    let fields = p.request.parts().into_iter().enumerate().map(|(i, (label, value))| {
        let on_input = {
            let (r, cb) = (p.request.clone(), p.on_change.clone());
            Callback::from(move |e: InputEvent| {
                let mut r = r.clone();
                set_part(&mut r, i, e.target_unchecked_into::<HtmlTextAreaElement>().value());
                cb.emit(r);
            })
        };
        let id = format!("request-{}", IDS[i]);
        html! {
            <div class="request-part">
                <label for={id.clone()}>{ label.get(lang) }</label>
                <textarea id={id} rows={if i == 4 { "6" } else { "2" }} value={value.to_string()}
                    placeholder={HINTS[i].get(lang)} oninput={on_input}></textarea>
            </div>
        }
    });
    let on_fill = {
        let (r, cb, gaps) = (p.request.clone(), p.on_change.clone(), p.gaps.clone());
        Callback::from(move |_: MouseEvent| {
            let mut r = r.clone();
            // Added once: lines already in "what" are not repeated.
            let missing: String = gaps
                .lines()
                .filter(|l| !r.what.lines().any(|w| w.trim() == l.trim()))
                .map(|l| format!("{l}\n"))
                .collect();
            if !r.what.is_empty() && !r.what.ends_with('\n') && !missing.is_empty() {
                r.what.push('\n');
            }
            r.what.push_str(&missing);
            cb.emit(r);
        })
    };
    let markdown = p.request.to_markdown(lang, p.dataset.as_deref());
    let on_copy = {
        let (text, copied) = (markdown.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, copied) = (text.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(dom::copy_text(&text).await.is_ok()));
            });
        })
    };
    let empty: Vec<&str> = p
        .request
        .parts()
        .iter()
        .filter(|(_, v)| v.trim().is_empty())
        .map(|(l, _)| l.get(lang))
        .collect();
    html! {
        <>
            <StepIntro {lang} title={T::NavPrepare} what={T::PrepareWhat} why={Some(T::PrepareWhy)} how={Some(T::PrepareHow)} />
            <section class="card" aria-labelledby="request-title">
                <h2 id="request-title">{ T::RequestTitle.get(lang) }</h2>
                if p.gaps.is_empty() {
                    <p class="hint" id="no-gaps">{ T::NoAcceptedFindings.get(lang) }{" "}
                        <a href={Route::Analyze.hash()}>{ T::NavAnalyze.get(lang) }</a></p>
                } else {
                    <button type="button" id="fill-from-diagnosis" onclick={on_fill}>{ T::FillFromDiagnosis.get(lang) }</button>
                }
                <div class="request-form">{ for fields }</div>
                <p id="request-status" data-drafted={p.request.is_drafted().to_string()} role="status">
                    if empty.is_empty() { { T::RequestDrafted.get(lang) } }
                    else { { T::RequestMissing.get(lang) }{" "}{ empty.join(", ") } }
                </p>
            </section>
            <section class="card" aria-labelledby="request-md-title">
                <h2 id="request-md-title">{ T::RequestMarkdown.get(lang) }</h2>
                <pre id="request-markdown" class="markdown">{ &markdown }</pre>
                <button type="button" id="copy-request" onclick={on_copy}>{ T::CopyMarkdown.get(lang) }</button>
                { match *copied {
                    Some(true) => html! { <span class="hint" role="status">{" "}{ T::Copied.get(lang) }</span> },
                    Some(false) => html! { <p class="error" role="alert">{ T::CopyFailed.get(lang) }</p> },
                    None => html! {},
                } }
            </section>
            <section class="card" aria-labelledby="prepare-facts-title">
                <h2 id="prepare-facts-title">{ T::PrepareFacts.get(lang) }</h2>
                <ul>
                    <li>{ T::FactOneOff.get(lang) }</li>
                    <li>{ T::FactAugment.get(lang) }</li>
                    <li>{ T::FactTools.get(lang) }</li>
                    <li>{ T::FactWhoToAsk.get(lang) }</li>
                </ul>
            </section>
        </>
    }
}
