//! Step 5 — Train: the estimator-selection guide, models with their hyperparameters, training
//! in the worker with progress and Cancel, then coefficients or importances.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::StepIntro;
use crate::chart::{Bar, BarChart, Chart};
use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::Task;
use crate::i18n::models::{model_name, no_limit, param_help};
use crate::i18n::{error_text, sentence_gap, Lang, T};
use crate::route::Route;
use crate::session::{model_choices, TrainStatus, Trained};
use crate::ui::components::ChartCanvas;

#[derive(Properties, PartialEq)]
pub struct TrainPageProps {
    pub lang: Lang,
    pub task: Option<Task>,
    pub rows: usize,
    pub models: Vec<ModelSpec>,
    pub training: TrainStatus,
    pub trained: Option<Trained>,
    pub stale: bool,
    /// Why training cannot start (recipe problems), if it cannot.
    pub problems: Vec<String>,
    pub on_models: Callback<Vec<ModelSpec>>,
    pub on_train: Callback<()>,
    pub on_cancel: Callback<()>,
}

#[function_component(TrainPage)]
pub fn train_page(p: &TrainPageProps) -> Html {
    let lang = p.lang;
    let few = use_state(|| true);
    let intro = html! { <StepIntro {lang} title={T::NavTrain} what={T::TrainWhat} why={Some(T::TrainWhy)} how={Some(T::TrainHow)} /> };
    let Some(task) = p.task else {
        return html! { <>{ intro }<section class="card needs"><p>{ T::NeedsData.get(lang) }{" "}
        <a href={Route::Data.hash()}>{ T::GoToData.get(lang) }</a></p></section></> };
    };

    // The guide.
    let yes_no = |b: bool| if b { T::Yes.get(lang) } else { T::No.get(lang) };
    let (many, category, under) = (p.rows > 50, task == Task::Classification, p.rows < 100_000);
    let recommendation = match (many, category, under, *few) {
        (false, ..) => T::RecTooFew,
        (_, true, true, _) => T::RecClassifier,
        (_, _, false, _) => T::RecLarge,
        (_, false, true, true) => T::RecFewFeatures,
        (_, false, true, false) => T::RecManyFeatures,
    };
    let few_toggle = |v: bool| {
        let few = few.clone();
        Callback::from(move |_: MouseEvent| few.set(v))
    };
    let guide = html! {
        <section class="card" aria-labelledby="guide-title">
            <h2 id="guide-title">{ T::GuideTitle.get(lang) }</h2>
            <p class="hint">{ T::GuideHelp.get(lang) }</p>
            <ol class="guide">
                <li>{ format!("{} {} ({} {})", T::QSamples.get(lang), yes_no(many), p.rows, T::Rows.get(lang)) }</li>
                <li>{ format!("{} {}", T::QCategory.get(lang), yes_no(category)) }</li>
                <li>{ format!("{} {}", T::QUnder100k.get(lang), yes_no(under)) }</li>
                if !category {
                    <li>{ T::QFewFeatures.get(lang) }{ " " }
                        <button type="button" aria-pressed={if *few { "true" } else { "false" }} onclick={few_toggle(true)}>{ T::Yes.get(lang) }</button>
                        <button type="button" aria-pressed={if *few { "false" } else { "true" }} onclick={few_toggle(false)}>{ T::No.get(lang) }</button>
                    </li>
                }
            </ol>
            <p id="recommendation"><strong>{ T::Recommend.get(lang) }</strong>{ " " }{ recommendation.get(lang) }</p>
        </section>
    };

    // The model list.
    let rows = model_choices(task).into_iter().map(|default| {
        let kind = default.kind();
        let current = p.models.iter().position(|m| m.kind() == kind);
        let spec = current.map(|i| p.models[i].clone()).unwrap_or(default.clone());
        let on_toggle = {
            let (cb, models, spec) = (p.on_models.clone(), p.models.clone(), spec.clone());
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut next: Vec<ModelSpec> = models.iter().filter(|m| m.kind() != kind).cloned().collect();
                if on {
                    next.push(spec.clone());
                }
                cb.emit(next);
            })
        };
        let fields = spec.param_values().into_iter().map(|(param, value)| {
            let name = param.name;
            let on_change = {
                let (cb, models, spec) = (p.on_models.clone(), p.models.clone(), spec.clone());
                Callback::from(move |e: Event| {
                    let text = e.target_unchecked_into::<HtmlInputElement>().value();
                    // An empty field is "no limit" where the parameter allows it.
                    let value = match text.trim() {
                        "" if param.nullable => None,
                        t => match t.parse::<f64>() {
                            Ok(v) => Some(v),
                            Err(_) => return,
                        },
                    };
                    let mut updated = spec.clone();
                    updated.set(name, value);
                    let next = models.iter().map(|m| if m.kind() == kind { updated.clone() } else { m.clone() }).collect();
                    cb.emit(next);
                })
            };
            let id = format!("param-{kind}-{name}");
            let help = param_help(kind, param, lang);
            let min = param.min.map(|b| b.value.to_string());
            let max = param.max.map(|b| b.value.to_string());
            let step = if param.integer { "1" } else { "any" };
            let placeholder = param.nullable.then(|| no_limit(lang));
            html! {
                <label class="param" for={id.clone()} title={help.clone()}>{ name }
                    <input {id} type="number" {step} {min} {max} {placeholder} aria-description={help}
                        value={value.map(|v| v.to_string()).unwrap_or_default()} disabled={current.is_none()} onchange={on_change} />
                </label>
            }
        });
        html! {
            <li class="model-row">
                <label class="check" for={format!("model-{kind}")}>
                    <input type="checkbox" id={format!("model-{kind}")} checked={current.is_some()} onchange={on_toggle} />
                    { model_name(kind, lang) }{ " " }<code>{ kind }</code>
                </label>
                <span class="params">{ for fields }</span>
            </li>
        }
    });

    let running = matches!(p.training, TrainStatus::Running { .. });
    let status = match &p.training {
        TrainStatus::Running { progress, .. } => {
            let pct = (progress * 100.0).round();
            html! {
                <div class="status" aria-live="polite" id="training">
                    <p>{ T::Training.get(lang) }</p>
                    <progress max="100" value={pct.to_string()} aria-label={T::Training.get(lang)}></progress>
                    <span class="pct">{ format!("{pct:.0}%") }</span>
                    <button type="button" id="cancel-training" onclick={p.on_cancel.reform(|_| ())}>{ T::Cancel.get(lang) }</button>
                </div>
            }
        }
        TrainStatus::Failed(e) => {
            html! {
                <p class="error" role="alert" id="training-error">
                    <strong>{ T::TrainingFailed.get(lang) }</strong>{ sentence_gap(lang) }{ error_text(lang, e) }
                </p>
            }
        }
        TrainStatus::Cancelled => {
            html! { <p role="status" id="training-cancelled">{ T::TrainingCancelled.get(lang) }</p> }
        }
        TrainStatus::Idle => html! {},
    };
    let blocked = p.models.is_empty() || !p.problems.is_empty();
    html! {
        <>
            { intro }
            { guide }
            <section class="card" aria-labelledby="models-title">
                <h2 id="models-title">{ T::ModelsTitle.get(lang) }</h2>
                <ul class="models">{ for rows }</ul>
                if p.models.is_empty() { <p class="field-error">{ T::NoModels.get(lang) }</p> }
                { for p.problems.iter().map(|m| html! { <p class="field-error">{ m }</p> }) }
                <button type="button" id="train" class="primary" disabled={blocked || running} onclick={p.on_train.reform(|_| ())}>{ T::TrainButton.get(lang) }</button>
                { status }
            </section>
            if let Some(t) = &p.trained {
                <Explain {lang} trained={t.clone()} stale={p.stale} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ExplainProps {
    lang: Lang,
    trained: Trained,
    stale: bool,
}

#[function_component(Explain)]
fn explain(p: &ExplainProps) -> Html {
    let lang = p.lang;
    let r = &p.trained.result;
    let charts = r.models.iter().enumerate().map(|(i, m)| {
        let body = match m.model.importances() {
            Some(values) => {
                let mut bars: Vec<Bar> = m
                    .feature_names
                    .iter()
                    .zip(values)
                    .map(|(n, v)| Bar { label: n.clone(), value: v, highlight: v < 0.0 })
                    .collect();
                bars.sort_by(|a, b| b.value.abs().total_cmp(&a.value.abs()));
                bars.truncate(25);
                let top = bars.iter().map(|b| b.value.abs()).fold(0.0f64, f64::max).max(1e-12);
                let lo = if bars.iter().any(|b| b.value < 0.0) { -top } else { 0.0 };
                let label = if matches!(m.model, crate::engine::pipeline::recipe::Fitted::Linear(_)) { T::Coefficients } else { T::Importances };
                let h = (bars.len() as u32 * 18 + 70).clamp(120, 600);
                let chart = Rc::new(Chart::Bars(BarChart { value_label: label.get(lang).into(), bars, domain: (lo, top), threshold: None }));
                html! { <ChartCanvas id={Some(format!("explain-{i}"))} {chart} width={760} height={h} label={format!("{} {}", m.kind, label.get(lang))} /> }
            }
            None => html! { <p>{ T::NoImportances.get(lang) }</p> },
        };
        html! {
            <article class="explain">
                <h3>{ model_name(&m.kind, lang) }{ " " }<code>{ &m.kind }</code>{ " " }
                    <span class="meta" id={format!("fit-ms-{i}")} data-value={format!("{:.3}", m.fit_ms)}>{ format!("{:.0} ms", m.fit_ms) }</span></h3>
                { body }
            </article>
        }
    });
    html! {
        <section class="card" aria-labelledby="explain-title" id="trained">
            <h2 id="explain-title">{ format!("{} {:.0} ms", T::TrainedIn.get(lang), p.trained.elapsed_ms) }</h2>
            if p.stale { <p class="notes" role="note" id="stale">{ T::StaleResults.get(lang) }</p> }
            { for charts }
        </section>
    }
}
