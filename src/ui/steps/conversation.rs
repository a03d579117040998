//! The communication exercise under every step: the scenario, then for each point the roles
//! to ask (the directory grouped by team), the request type and a draft; checking shows the
//! model answer with its reasoning beside the learner's choice.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::comms::{feedback, points, Answer, Answers, RequestKind, Role, Team};
use crate::i18n::l;
use crate::i18n::Lang;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct ConversationProps {
    pub lang: Lang,
    pub step: Route,
    pub scenario: String,
    pub answers: Answers,
    pub on_answer: Callback<(String, Answer)>,
}

#[function_component(Conversation)]
pub fn conversation(p: &ConversationProps) -> Html {
    let lang = p.lang;
    let step_id = &p.step.hash()[2..];
    let items = points(p.step).map(|point| {
        let answer = p.answers.get(point.id).cloned().unwrap_or_default();
        let pid = point.id;
        let emit = {
            let (cb, answer) = (p.on_answer.clone(), answer.clone());
            move |f: &dyn Fn(&mut Answer)| {
                let mut a = answer.clone();
                f(&mut a);
                cb.emit((pid.to_string(), a));
            }
        };
        let team = |team: Team| {
            let boxes = Role::ALL.into_iter().filter(|r| r.team() == team).map(|role| {
                let id = format!("conv-{pid}-role-{}", role.id());
                let checked = answer.roles.contains(role.id());
                let onchange = {
                    let emit = emit.clone();
                    Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        emit(&|a: &mut Answer| {
                            if on {
                                a.roles.insert(role.id().to_string());
                            } else {
                                a.roles.remove(role.id());
                            }
                        });
                    })
                };
                html! {
                    <label class="role" for={id.clone()} title={role.duty(lang)}>
                        <input type="checkbox" id={id} {checked} {onchange} />
                        { role.name(lang) }
                    </label>
                }
            });
            html! {
                <fieldset class="team">
                    <legend>{ team.name(lang) }</legend>
                    { for boxes }
                </fieldset>
            }
        };
        let kinds = RequestKind::ALL.into_iter().map(|kind| {
            let id = format!("conv-{pid}-kind-{}", kind.id());
            let onchange = {
                let emit = emit.clone();
                Callback::from(move |_: Event| emit(&|a: &mut Answer| a.kind = Some(kind)))
            };
            html! {
                <label for={id.clone()}>
                    <input type="radio" name={format!("conv-{pid}-kind")} id={id}
                        checked={answer.kind == Some(kind)} {onchange} />
                    { kind.name(lang) }
                </label>
            }
        });
        let on_draft = {
            let emit = emit.clone();
            Callback::from(move |e: InputEvent| {
                let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                emit(&|a: &mut Answer| a.draft = v.clone());
            })
        };
        let ready = !answer.roles.is_empty() && answer.kind.is_some();
        let on_check = {
            let emit = emit.clone();
            Callback::from(move |_: MouseEvent| emit(&|a: &mut Answer| a.checked = true))
        };
        let model = answer.checked.then(|| {
            let f = feedback(point, &answer);
            let names = |rs: &[Role]| rs.iter().map(|r| r.name(lang)).collect::<Vec<_>>().join(", ");
            html! {
                <div class="model-answer" id={format!("conv-{pid}-answer")} role="status"
                    data-matched={f.matched.len().to_string()} data-missed={f.missed.len().to_string()}
                    data-extra={f.extra.len().to_string()} data-kind-right={f.kind_right.to_string()}>
                    <p><strong>{ l(lang, "Model answer: ", "模範解答: ") }</strong>
                        { names(point.roles) }{" · "}{ point.kind.name(lang) }</p>
                    <p>{ point.reasoning(lang) }</p>
                    <ul class="feedback">
                        if !f.matched.is_empty() { <li class="ok">{ l(lang, "You chose rightly: ", "選べていた役割: ") }{ names(&f.matched) }</li> }
                        if !f.missed.is_empty() { <li class="missed">{ l(lang, "Also ask: ", "他にも依頼したい役割: ") }{ names(&f.missed) }</li> }
                        if !f.extra.is_empty() { <li class="extra">{ l(lang, "Not needed for this point (they may help elsewhere): ", "この論点では不要（別の場面で役立つかもしれません）: ") }{ names(&f.extra) }</li> }
                        <li class={if f.kind_right { "ok" } else { "missed" }}>
                            { if f.kind_right { l(lang, "The request type fits.", "依頼の種類は合っています。") }
                              else { l(lang, "The request type differs: see the reasoning above.", "依頼の種類が違います。上の理由を見てください。") } }
                        </li>
                    </ul>
                </div>
            }
        });
        html! {
            <details class="conv-point" id={format!("conv-{pid}")} open=true
                data-checked={answer.checked.to_string()}>
                <summary>{ if answer.checked { "✓ " } else { "○ " } }{ point.prompt(lang) }</summary>
                <div class="roles">{ team(Team::Product) }{ team(Team::Ml) }</div>
                <fieldset class="kinds">
                    <legend>{ l(lang, "Request type", "依頼の種類") }</legend>
                    { for kinds }
                </fieldset>
                <label for={format!("conv-{pid}-draft")}>{ l(lang, "Your request (draft)", "依頼文（下書き）") }</label>
                <textarea id={format!("conv-{pid}-draft")} rows="3" value={answer.draft.clone()} oninput={on_draft}
                    placeholder={l(lang, "To whom, what you need, by when, and why", "誰に、何を、いつまでに、なぜ")}></textarea>
                <button type="button" id={format!("conv-{pid}-check")} disabled={!ready} onclick={on_check}>
                    { l(lang, "Check my answer", "解答を確認") }
                </button>
                if !ready && !answer.checked {
                    <span class="hint">{" "}{ l(lang, "Pick at least one role and a request type.", "役割を 1 つ以上と依頼の種類を選んでください。") }</span>
                }
                { model.unwrap_or_default() }
            </details>
        }
    });
    let (done, of) = crate::comms::progress(&p.answers, p.step);
    html! {
        <section class="card conversation" id={format!("conversation-{step_id}")} aria-labelledby={format!("conversation-{step_id}-title")}>
            <h2 id={format!("conversation-{step_id}-title")}>
                { l(lang, "Communication exercise", "コミュニケーション演習") }
                <span class="conv-count">{ format!(" {done}/{of}") }</span>
            </h2>
            <p class="scenario" id={format!("scenario-{step_id}")}>{ &p.scenario }</p>
            <p class="hint">{ l(lang, "For each point: whom do you ask (hover a role for what it does), for which kind of request, and how do you put it?", "それぞれの論点について、誰に（役割にカーソルを合わせると説明）、どの種類の依頼を、どう頼むかを考えましょう。") }</p>
            { for items }
        </section>
    }
}
