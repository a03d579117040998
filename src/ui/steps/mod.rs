//! One page per workshop step; each renders session data and emits actions.

mod analyze;
mod business;
mod conversation;
mod ending;
mod prepare;
mod preprocess;
mod report;
mod test;
mod train;

pub use analyze::{AnalyzePage, AnalyzePageProps};
pub use business::{BusinessPage, BusinessPageProps};
pub use conversation::{Conversation, ConversationProps};
pub use ending::{EndingPage, EndingPageProps};
pub use prepare::{PreparePage, PreparePageProps};
pub use preprocess::{PreprocessPage, PreprocessPageProps};
pub use report::{ExportKind, ReportPage, ReportPageProps};
pub use test::{TestPage, TestPageProps};
pub use train::{TrainPage, TrainPageProps};

use yew::prelude::*;

use crate::i18n::{Lang, T};

/// The three parts every step opens with: what we do, why, and how.
#[derive(Properties, PartialEq)]
pub struct StepIntroProps {
    pub lang: Lang,
    pub title: T,
    pub what: T,
    #[prop_or_default]
    pub why: Option<T>,
    #[prop_or_default]
    pub how: Option<T>,
}

#[function_component(StepIntro)]
pub fn step_intro(p: &StepIntroProps) -> Html {
    let lang = p.lang;
    let part = |head: T, body: Option<T>| match body {
        Some(b) => html! { <div><dt>{ head.get(lang) }</dt><dd>{ b.get(lang) }</dd></div> },
        None => html! {},
    };
    html! {
        <section class="card intro" aria-labelledby="step-title">
            <h2 id="step-title">{ p.title.get(lang) }</h2>
            <dl class="www">
                { part(T::What, Some(p.what)) }
                { part(T::Why, p.why) }
                { part(T::How, p.how) }
            </dl>
        </section>
    }
}
