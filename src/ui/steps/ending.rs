//! The Ending: the five reasons ML projects fail, each beside what this learner did about it in
//! this session (read from the session, with a link back where something is missing), the two
//! roads past the workshop, and the next steps.

use yew::prelude::*;

use super::StepIntro;
use crate::i18n::{Lang, T};
use crate::route::Route;
use crate::session::{Deed, DeedState, FailureReason, Session};

#[derive(Properties, PartialEq)]
pub struct EndingPageProps {
    pub lang: Lang,
    /// What the map needs, worked out from the session by the app.
    pub states: Vec<(Deed, DeedState)>,
}

impl EndingPageProps {
    pub fn from_session(lang: Lang, s: &Session) -> Self {
        let mut states = Vec::new();
        for r in FailureReason::ALL {
            for &d in r.deeds() {
                if !states.iter().any(|(x, _)| *x == d) {
                    states.push((d, s.deed_state(d)));
                }
            }
        }
        EndingPageProps { lang, states }
    }
}

fn reason_text(r: FailureReason) -> (T, T) {
    match r {
        FailureReason::UnclearGoal => (T::ReasonGoal, T::ReasonGoalHelp),
        FailureReason::DataQuality => (T::ReasonData, T::ReasonDataHelp),
        FailureReason::NoSponsor => (T::ReasonSponsor, T::ReasonSponsorHelp),
        FailureReason::Collaboration => (T::ReasonCollaboration, T::ReasonCollaborationHelp),
        FailureReason::NoSpecialists => (T::ReasonSpecialists, T::ReasonSpecialistsHelp),
    }
}

fn deed_text(d: Deed) -> T {
    match d {
        Deed::Formula => T::DeedFormula,
        Deed::Scenarios => T::DeedScenarios,
        Deed::Cases => T::DeedCases,
        Deed::Diagnosis => T::DeedDiagnosis,
        Deed::Findings => T::DeedFindings,
        Deed::DataRequest => T::DeedDataRequest,
        Deed::Conversations => T::DeedConversations,
        Deed::Threshold => T::DeedThreshold,
        Deed::Trained => T::DeedTrained,
        Deed::Passes => T::DeedPasses,
        Deed::Report => T::DeedReport,
    }
}

#[function_component(EndingPage)]
pub fn ending_page(p: &EndingPageProps) -> Html {
    let lang = p.lang;
    let state = |d: Deed| {
        p.states
            .iter()
            .find(|(x, _)| *x == d)
            .map(|(_, s)| *s)
            .unwrap_or(DeedState::ToDo)
    };
    let done = p
        .states
        .iter()
        .filter(|(_, s)| *s == DeedState::Done)
        .count();
    let buildable = p.states.len();
    let reasons = FailureReason::ALL.iter().map(|&r| {
        let (name, help) = reason_text(r);
        let items = r.deeds().iter().map(|&d| {
            let s = state(d);
            let (mark, class, note) = match s {
                DeedState::Done => ("✓", "done", None),
                DeedState::ToDo => ("○", "todo", Some(T::GoDoIt)),
            };
            html! {
                <li id={format!("deed-{}-{}", r.id(), d.id())} class={classes!("deed", class)}
                    data-state={class}>
                    <span class="mark" aria-hidden="true">{ mark }</span>
                    { deed_text(d).get(lang) }
                    if let Some(n) = note {
                        {" — "}<a href={d.route().hash()}>{ n.get(lang) }</a>
                    }
                </li>
            }
        });
        html! {
            <section class="card reason" id={format!("reason-{}", r.id())} aria-labelledby={format!("reason-{}-title", r.id())}>
                <h2 id={format!("reason-{}-title", r.id())}>{ name.get(lang) }</h2>
                <p class="hint">{ help.get(lang) }</p>
                <ul class="deeds">{ for items }</ul>
            </section>
        }
    });
    html! {
        <>
            <StepIntro {lang} title={T::NavEnding} what={T::EndingWhat} why={Some(T::EndingWhy)} />
            <p class="card" id="ending-summary" data-done={done.to_string()} data-of={buildable.to_string()}>
                { T::EndingSummary.get(lang).replace("{done}", &done.to_string()).replace("{of}", &buildable.to_string()) }
            </p>
            { for reasons }
            <section class="card" aria-labelledby="roads-title">
                <h2 id="roads-title">{ T::RoadsTitle.get(lang) }</h2>
                <h3>{ T::RoadOperation.get(lang) }</h3>
                <p>{ T::RoadOperationText.get(lang) }{" "}<a href={Route::Test.hash()}>{ T::NavTest.get(lang) }</a></p>
                <h3>{ T::RoadScale.get(lang) }</h3>
                <p>{ T::RoadScaleText.get(lang) }</p>
            </section>
            <section class="card" aria-labelledby="next-title">
                <h2 id="next-title">{ T::NextTitle.get(lang) }</h2>
                <ul>
                    <li>{ T::NextDiscuss.get(lang) }</li>
                    <li>{ T::NextLearn.get(lang) }</li>
                    <li>{ T::NextShare.get(lang) }</li>
                </ul>
            </section>
        </>
    }
}
