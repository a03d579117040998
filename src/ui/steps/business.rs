//! Step 1 — Business Understanding: scenarios with the payback chart, the learner's own formula
//! and the case exercises.

use std::collections::HashMap;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::StepIntro;
use crate::chart::{specs, Chart};
use crate::engine::value::formula::{self, is_valid_name};
use crate::engine::value::payback::{notebook_worse_estimate, PaybackCase, Problem, ValueInputs};
use crate::i18n::format::{break_even_text, grouped};
use crate::i18n::{day_text, expr_error_text, Lang, T};
use crate::session::BusinessState;
use crate::ui::components::{ChartCanvas, NumberField};

#[derive(Properties, PartialEq)]
pub struct BusinessPageProps {
    pub lang: Lang,
    pub state: BusinessState,
    pub on_change: Callback<BusinessState>,
}

type Getter = fn(&ValueInputs) -> f64;
/// An edit of the business state from a text field's new value.
type Edit = dyn Fn(&mut BusinessState, String);
type Setter = fn(&mut ValueInputs, f64);

/// Each input: field key, label, unit, owner, step, getter, setter.
const FIELDS: &[(&str, T, T, T, f64, Getter, Setter)] = &[
    (
        "checkers_before",
        T::CheckersBefore,
        T::UnitPeople,
        T::OwnerChecking,
        1.0,
        |i| i.checkers_before,
        |i, v| i.checkers_before = v,
    ),
    (
        "hours_before",
        T::HoursBefore,
        T::UnitHours,
        T::OwnerChecking,
        0.5,
        |i| i.hours_before,
        |i, v| i.hours_before = v,
    ),
    (
        "checkers_after",
        T::CheckersAfter,
        T::UnitPeople,
        T::OwnerChecking,
        1.0,
        |i| i.checkers_after,
        |i, v| i.checkers_after = v,
    ),
    (
        "hours_after",
        T::HoursAfter,
        T::UnitHours,
        T::OwnerChecking,
        0.5,
        |i| i.hours_after,
        |i, v| i.hours_after = v,
    ),
    (
        "wage_yen_per_hour",
        T::Wage,
        T::UnitYenHour,
        T::OwnerHiring,
        10.0,
        |i| i.wage_yen_per_hour,
        |i, v| i.wage_yen_per_hour = v,
    ),
    (
        "dev_cost_yen",
        T::DevCost,
        T::UnitYen,
        T::OwnerProject,
        100000.0,
        |i| i.dev_cost_yen,
        |i, v| i.dev_cost_yen = v,
    ),
    (
        "op_cost_yen_per_month",
        T::OpCost,
        T::UnitYenMonth,
        T::OwnerOps,
        10000.0,
        |i| i.op_cost_yen_per_month,
        |i, v| i.op_cost_yen_per_month = v,
    ),
    (
        "horizon_years",
        T::Horizon,
        T::UnitYears,
        T::OwnerProject,
        1.0,
        |i| i.horizon_years,
        |i, v| i.horizon_years = v,
    ),
];

fn problem_text(lang: Lang, p: Problem) -> String {
    match p {
        Problem::NotANumber => T::InvalidNumber,
        Problem::Negative => T::InvalidNegative,
        Problem::HoursOverADay => T::InvalidHours,
        Problem::HorizonOutOfRange => T::InvalidHorizon,
    }
    .get(lang)
    .to_string()
}

#[function_component(BusinessPage)]
pub fn business_page(p: &BusinessPageProps) -> Html {
    let lang = p.lang;
    let st = &p.state;

    // Scenario editors.
    let editors = st.scenarios.iter().enumerate().map(|(si, sc)| {
        let problems = sc.inputs.validate();
        let on_name = {
            let (cb, st) = (p.on_change.clone(), st.clone());
            Callback::from(move |e: Event| {
                let mut next = st.clone();
                next.scenarios[si].name = e.target_unchecked_into::<HtmlInputElement>().value();
                cb.emit(next);
            })
        };
        let fields = FIELDS.iter().map(|(key, label, unit, owner, step, get, set)| {
            let on_change = {
                let (cb, st, set) = (p.on_change.clone(), st.clone(), *set);
                Callback::from(move |v: f64| {
                    let mut next = st.clone();
                    set(&mut next.scenarios[si].inputs, v);
                    cb.emit(next);
                })
            };
            let error = problems.iter().find(|q| q.field == *key).map(|q| problem_text(lang, q.problem));
            html! {
                <NumberField id={format!("s{si}-{key}")} label={label.get(lang)} unit={unit.get(lang)}
                    owner={Some(owner.get(lang).to_string())} value={get(&sc.inputs)} step={*step}
                    {error} {on_change} />
            }
        });
        html! {
            <fieldset class={classes!("scenario", format!("c{si}"))}>
                <legend>
                    <label for={format!("s{si}-name")} class="visually-hidden">{ T::ScenarioName.get(lang) }</label>
                    <input id={format!("s{si}-name")} class="scenario-name" type="text" value={sc.name.clone()} onchange={on_name} />
                </legend>
                { for fields }
            </fieldset>
        }
    });

    let valid: Vec<(String, PaybackCase)> = st
        .scenarios
        .iter()
        .filter(|s| s.inputs.validate().is_empty())
        .map(|s| (s.name.clone(), s.inputs.case()))
        .collect();
    let results = st.scenarios.iter().enumerate().map(|(si, s)| {
        if !s.inputs.validate().is_empty() {
            return html! { <tr><th scope="row">{ &s.name }</th><td colspan="5">{ T::InvalidNumber.get(lang) }</td></tr> };
        }
        let case = s.inputs.case();
        let r = case.evaluate();
        html! {
            <tr id={format!("result-{si}")}>
                <th scope="row">{ &s.name }</th>
                <td class="num">{ grouped(r.value_per_day) }</td>
                <td class="num">{ grouped(r.op_cost_per_day) }</td>
                <td class="num">{ grouped(r.net_per_day) }</td>
                <td class={classes!("break-even", r.break_even_day.is_none().then_some("bad"))}
                    data-day={r.break_even_day.map(|d| d.to_string()).unwrap_or_default()}>
                    { match r.break_even_day { Some(d) => day_text(lang, d), None => break_even_text(lang, &case) } }
                </td>
                <td class="num">{ grouped(r.final_value) }</td>
            </tr>
        }
    });
    let chart = Rc::new(Chart::Line(specs::payback(
        &valid,
        T::ChartDay.get(lang),
        T::ChartYen.get(lang),
        T::BreakEven.get(lang),
    )));
    let on_reset = {
        let (cb, st) = (p.on_change.clone(), st.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = BusinessState::lesson(lang);
            next.formula = st.formula.clone();
            next.case_answers = st.case_answers.clone();
            next.revealed = st.revealed.clone();
            cb.emit(next);
        })
    };
    let notebook_day = notebook_worse_estimate()
        .case()
        .evaluate()
        .break_even_day
        .unwrap_or(0);

    html! {
        <>
            <StepIntro {lang} title={T::NavBusiness} what={T::BusinessWhat} why={Some(T::BusinessWhy)} how={Some(T::BusinessHow)} />
            <section class="card" aria-labelledby="lesson-title">
                <h2 id="lesson-title">{ T::LessonTitle.get(lang) }</h2>
                <p>{ T::LessonText.get(lang) }</p>
                <h3>{ T::Conventions.get(lang) }</h3>
                <p id="conventions">{ T::ConventionText.get(lang) }</p>
                <div class="notes" role="note" id="notebook-correction">
                    <h3>{ T::CorrectionTitle.get(lang) }</h3>
                    <p>{ format!("{} {}{}", T::CorrectionText.get(lang), day_text(lang, notebook_day), T::SentenceEnd.get(lang)) }</p>
                    <p>{ T::CorrectionText2.get(lang) }</p>
                </div>
            </section>
            <section class="card" aria-labelledby="calc-title">
                <h2 id="calc-title">{ T::ValueCalculator.get(lang) }</h2>
                <div class="scenarios">{ for editors }</div>
                <button type="button" id="reset-scenarios" onclick={on_reset}>{ T::ResetPresets.get(lang) }</button>
                <div class="table-wrap">
                    <table id="value-results">
                        <thead><tr>
                            <th scope="col">{ T::ScenarioName.get(lang) }</th>
                            <th scope="col">{ format!("{} ({})", T::SavingPerDay.get(lang), T::UnitYen.get(lang)) }</th>
                            <th scope="col">{ format!("{} ({})", T::OpPerDay.get(lang), T::UnitYen.get(lang)) }</th>
                            <th scope="col">{ format!("{} ({})", T::NetPerDay.get(lang), T::UnitYen.get(lang)) }</th>
                            <th scope="col">{ T::BreakEven.get(lang) }</th>
                            <th scope="col">{ format!("{} ({})", T::FinalValue.get(lang), T::UnitYen.get(lang)) }</th>
                        </tr></thead>
                        <tbody>{ for results }</tbody>
                    </table>
                </div>
                <h3>{ T::PaybackChart.get(lang) }</h3>
                <ChartCanvas id={Some("payback-chart".to_string())} {chart} width={900} height={380} label={T::PaybackChart.get(lang).to_string()} />
            </section>
            <FormulaEditor {lang} state={st.clone()} on_change={p.on_change.clone()} />
            <Cases {lang} state={st.clone()} on_change={p.on_change.clone()} />
        </>
    }
}

#[function_component(FormulaEditor)]
fn formula_editor(p: &BusinessPageProps) -> Html {
    let lang = p.lang;
    let st = &p.state;
    let f = &st.formula;
    let mut seen = HashMap::new();
    for (name, _) in &f.variables {
        *seen.entry(name.clone()).or_insert(0) += 1;
    }
    let vars: HashMap<String, f64> = f.variables.iter().cloned().collect();
    let result = formula::evaluate(&f.expression, &vars);
    let emit = |change: Box<Edit>| {
        let (cb, st) = (p.on_change.clone(), st.clone());
        Callback::from(move |e: Event| {
            let mut next = st.clone();
            change(
                &mut next,
                e.target_unchecked_into::<HtmlInputElement>().value(),
            );
            cb.emit(next);
        })
    };
    let rows = f.variables.iter().enumerate().map(|(i, (name, value))| {
        let name_error = if !is_valid_name(name) {
            Some(T::BadVarName.get(lang))
        } else if seen.get(name).copied().unwrap_or(0) > 1 {
            Some(T::DuplicateVar.get(lang))
        } else {
            None
        };
        let on_name = emit(Box::new(move |s, v| s.formula.variables[i].0 = v.trim().to_string()));
        let on_value = emit(Box::new(move |s, v| s.formula.variables[i].1 = v.trim().parse().unwrap_or(f64::NAN)));
        let on_remove = {
            let (cb, st) = (p.on_change.clone(), st.clone());
            Callback::from(move |_: MouseEvent| {
                let mut next = st.clone();
                next.formula.variables.remove(i);
                cb.emit(next);
            })
        };
        html! {
            <tr>
                <td>
                    <input type="text" aria-label={T::VarName.get(lang)} value={name.clone()} onchange={on_name}
                        aria-invalid={if name_error.is_some() { "true" } else { "false" }} />
                    if let Some(e) = name_error { <div class="field-error">{ e }</div> }
                </td>
                <td><input type="number" step="any" aria-label={T::VarValue.get(lang)}
                    value={if value.is_finite() { value.to_string() } else { String::new() }} onchange={on_value} /></td>
                <td><button type="button" onclick={on_remove}>{ T::Remove.get(lang) }</button></td>
            </tr>
        }
    });
    let on_add = {
        let (cb, st) = (p.on_change.clone(), st.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = st.clone();
            let n = next.formula.variables.len() + 1;
            next.formula.variables.push((format!("x{n}"), 0.0));
            cb.emit(next);
        })
    };
    let on_expr = {
        let (cb, st) = (p.on_change.clone(), st.clone());
        Callback::from(move |e: InputEvent| {
            let mut next = st.clone();
            next.formula.expression = e.target_unchecked_into::<HtmlInputElement>().value();
            cb.emit(next);
        })
    };
    let cost_field = |key: &str,
                      label: T,
                      unit: T,
                      value: f64,
                      set: fn(&mut BusinessState, f64)| {
        let (cb, st) = (p.on_change.clone(), st.clone());
        let on_change = Callback::from(move |v: f64| {
            let mut next = st.clone();
            set(&mut next, v);
            cb.emit(next);
        });
        let error =
            (!value.is_finite() || value < 0.0).then(|| T::InvalidNumber.get(lang).to_string());
        html! { <NumberField id={format!("formula-{key}")} label={label.get(lang)} unit={unit.get(lang)} {value} {error} {on_change} /> }
    };
    let (output, chart) = match &result {
        Ok(v)
            if f.dev_cost_yen.is_finite()
                && f.op_cost_yen_per_month.is_finite()
                && f.horizon_years > 0.0
                && f.horizon_years <= 30.0 =>
        {
            let case = PaybackCase {
                value_per_day: *v,
                dev_cost_yen: f.dev_cost_yen,
                op_cost_yen_per_month: f.op_cost_yen_per_month,
                horizon_years: f.horizon_years,
            };
            let text = format!(
                "{} {} {} · {}: {}",
                T::FormulaOk.get(lang),
                grouped(*v),
                T::UnitYen.get(lang),
                T::BreakEven.get(lang),
                break_even_text(lang, &case)
            );
            let chart = Rc::new(Chart::Line(specs::payback(
                &[(T::FormulaTitle.get(lang).to_string(), case)],
                T::ChartDay.get(lang),
                T::ChartYen.get(lang),
                T::BreakEven.get(lang),
            )));
            (
                html! { <p class="formula-ok" id="formula-result">{ text }</p> },
                Some(chart),
            )
        }
        Ok(v) => (
            html! { <p class="formula-ok" id="formula-result">{ format!("{} {}", T::FormulaOk.get(lang), grouped(*v)) }</p> },
            None,
        ),
        Err(e) => {
            // Point at the error in the formula itself.
            let pointer = e.pos().map(|pos| format!("{}^", " ".repeat(pos)));
            (
                html! {
                    <div class="formula-error" role="alert" id="formula-error">
                        if let Some(ptr) = pointer { <pre aria-hidden="true">{ format!("{}\n{ptr}", f.expression) }</pre> }
                        <p>{ expr_error_text(lang, e) }</p>
                    </div>
                },
                None,
            )
        }
    };
    html! {
        <section class="card" aria-labelledby="formula-title">
            <h2 id="formula-title">{ T::FormulaTitle.get(lang) }</h2>
            <p class="hint">{ T::FormulaHelp.get(lang) }</p>
            <table class="vars">
                <thead><tr><th scope="col">{ T::VarName.get(lang) }</th><th scope="col">{ T::VarValue.get(lang) }</th><th></th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <button type="button" onclick={on_add}>{ T::AddVariable.get(lang) }</button>
            <div class="formula-line">
                <label for="formula-expr">{ T::Expression.get(lang) }</label>
                <input id="formula-expr" type="text" spellcheck="false" value={f.expression.clone()} oninput={on_expr}
                    aria-invalid={if result.is_err() { "true" } else { "false" }} aria-describedby="formula-feedback" />
            </div>
            <div id="formula-feedback" aria-live="polite">{ output }</div>
            <div class="cost-grid">
                { cost_field("dev", T::DevCost, T::UnitYen, f.dev_cost_yen, |s, v| s.formula.dev_cost_yen = v) }
                { cost_field("op", T::OpCost, T::UnitYenMonth, f.op_cost_yen_per_month, |s, v| s.formula.op_cost_yen_per_month = v) }
                { cost_field("horizon", T::Horizon, T::UnitYears, f.horizon_years, |s, v| s.formula.horizon_years = v) }
            </div>
            if let Some(chart) = chart {
                <ChartCanvas id={Some("formula-chart".to_string())} {chart} width={900} height={320} label={T::PaybackChart.get(lang).to_string()} />
            }
        </section>
    }
}

#[function_component(Cases)]
fn cases(p: &BusinessPageProps) -> Html {
    let lang = p.lang;
    let st = &p.state;
    let cases = [
        (T::CaseBottleTitle, T::CaseBottleQ, T::CaseBottleA),
        (T::CaseRoadTitle, T::CaseRoadQ, T::CaseRoadA),
        (T::CaseChatTitle, T::CaseChatQ, T::CaseChatA),
    ];
    let items = cases.iter().enumerate().map(|(i, (title, q, a))| {
        let on_answer = {
            let (cb, st) = (p.on_change.clone(), st.clone());
            Callback::from(move |e: Event| {
                let mut next = st.clone();
                next.case_answers[i] = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                cb.emit(next);
            })
        };
        let revealed = st.revealed.get(i).copied().unwrap_or(false);
        let on_toggle = {
            let (cb, st) = (p.on_change.clone(), st.clone());
            Callback::from(move |_: MouseEvent| {
                let mut next = st.clone();
                next.revealed[i] = !revealed;
                cb.emit(next);
            })
        };
        html! {
            <article class="case" id={format!("case-{i}")}>
                <h3>{ title.get(lang) }</h3>
                <p>{ q.get(lang) }</p>
                <label for={format!("case-{i}-answer")}>{ T::YourAnswer.get(lang) }</label>
                <textarea id={format!("case-{i}-answer")} rows="4" value={st.case_answers.get(i).cloned().unwrap_or_default()} onchange={on_answer}></textarea>
                <button type="button" aria-expanded={if revealed { "true" } else { "false" }} aria-controls={format!("case-{i}-model")}
                    onclick={on_toggle}>{ if revealed { T::Hide.get(lang) } else { T::Reveal.get(lang) } }</button>
                if revealed { <div class="model-answer" id={format!("case-{i}-model")}>{ a.get(lang) }</div> }
            </article>
        }
    });
    html! {
        <section class="card" aria-labelledby="cases-title">
            <h2 id="cases-title">{ T::CasesTitle.get(lang) }</h2>
            <p class="hint">{ T::CasesHelp.get(lang) }</p>
            { for items }
        </section>
    }
}
