//! Steps whose exercises are not built yet: their intro, what they need, and an honest note.

use yew::prelude::*;

use super::StepIntro;
use crate::i18n::{Lang, T};
use crate::session::Route;

#[derive(Properties, PartialEq)]
pub struct LaterPageProps {
    pub lang: Lang,
    pub route: Route,
    pub has_data: bool,
}

#[function_component(LaterPage)]
pub fn later_page(p: &LaterPageProps) -> Html {
    let lang = p.lang;
    let (title, what) = match p.route {
        Route::Preprocess => (T::NavPreprocess, T::PreprocessWhat),
        Route::Train => (T::NavTrain, T::TrainWhat),
        Route::Test => (T::NavTest, T::TestWhat),
        Route::Report => (T::NavReport, T::ReportWhat),
        _ => (T::NavEnding, T::EndingWhat),
    };
    html! {
        <>
            <StepIntro {lang} {title} {what} />
            <section class="card needs">
                if !p.has_data {
                    <p>{ T::NeedsData.get(lang) }{" "}<a href={Route::Data.hash()}>{ T::GoToData.get(lang) }</a></p>
                }
                <p>{ T::NeedsDiagnosis.get(lang) }</p>
                <p class="hint">{ T::NotYet.get(lang) }</p>
            </section>
        </>
    }
}
