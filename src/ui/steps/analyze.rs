//! Step 2 — Analyze: the diagnosis of the loaded data, every chart drawn from engine results.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::StepIntro;
use crate::chart::{specs, Chart};
use crate::engine::data::table::format_number;
use crate::engine::diagnose::{Analysis, AnalysisConfig, Measure};
use crate::engine::ColumnData;
use crate::engine::Task;
use crate::i18n::{error_text, finding_text, Lang, T};
use crate::route::Route;
use crate::session::{AnalyzeState, Dataset, DiagnosisStatus};
use crate::ui::components::{ChartCanvas, DatasetView};

/// Pair lists show at most this many entries (their count is in the summary).
const MAX_LISTED: usize = 200;

#[derive(Properties, PartialEq)]
pub struct AnalyzePageProps {
    pub lang: Lang,
    pub dataset: Option<Dataset>,
    pub state: Option<AnalyzeState>,
    pub diagnosis: DiagnosisStatus,
    pub on_config: Callback<AnalysisConfig>,
    pub on_accept: Callback<(String, bool)>,
    pub on_cancel: Callback<()>,
}

/// The diagnosis running in the worker (progress, Cancel) or cancelled (run it again).
fn diagnosis_status(p: &AnalyzePageProps) -> Html {
    let lang = p.lang;
    match &p.diagnosis {
        DiagnosisStatus::Running { progress, .. } => {
            let pct = (progress * 100.0).round();
            html! {
                <div class="card status" aria-live="polite" id="diagnosing">
                    <p>{ T::Diagnosing.get(lang) }</p>
                    <progress max="100" value={pct.to_string()} aria-label={T::Diagnosing.get(lang)}></progress>
                    <span class="pct">{ format!("{pct:.0}%") }</span>
                    <button type="button" id="cancel-diagnosis" onclick={p.on_cancel.reform(|_| ())}>{ T::Cancel.get(lang) }</button>
                </div>
            }
        }
        DiagnosisStatus::Wanted { .. } => html! {
            <div class="card status" aria-live="polite" id="diagnosing"><p>{ T::Diagnosing.get(lang) }</p></div>
        },
        DiagnosisStatus::Cancelled(config) => {
            let (cb, config) = (p.on_config.clone(), config.clone());
            html! {
                <div class="card status" role="status" id="diagnosis-cancelled">
                    <p>{ T::DiagnosisCancelled.get(lang) }</p>
                    <button type="button" id="diagnose-again" onclick={Callback::from(move |_| cb.emit(config.clone()))}>{ T::DiagnoseAgain.get(lang) }</button>
                </div>
            }
        }
        DiagnosisStatus::Idle => html! {},
    }
}

fn slider(
    id: &str,
    label: String,
    value: f64,
    (min, max, step): (f64, f64, f64),
    on: Callback<f64>,
) -> Html {
    let on_change = Callback::from(move |e: Event| {
        if let Ok(v) = e
            .target_unchecked_into::<HtmlInputElement>()
            .value()
            .parse::<f64>()
        {
            on.emit(v);
        }
    });
    html! {
        <div class="slider">
            <label for={id.to_string()}>{ label }</label>
            <input id={id.to_string()} type="range" min={min.to_string()} max={max.to_string()} step={step.to_string()}
                value={value.to_string()} onchange={on_change} />
            <output for={id.to_string()}>{ format_number(value, false) }</output>
        </div>
    }
}

#[function_component(AnalyzePage)]
pub fn analyze_page(p: &AnalyzePageProps) -> Html {
    let lang = p.lang;
    // The info and describe tables (a row per column) are built only once opened.
    let tables_open = use_state(|| false);
    let on_toggle = {
        let open = tables_open.clone();
        Callback::from(move |e: Event| {
            open.set(
                e.target_unchecked_into::<web_sys::Element>()
                    .has_attribute("open"),
            )
        })
    };
    let intro = html! {
        <StepIntro {lang} title={T::NavAnalyze} what={T::AnalyzeWhat} why={Some(T::AnalyzeWhy)} how={Some(T::AnalyzeHow)} />
    };
    let status = diagnosis_status(p);
    if let (Some(_), None) = (&p.dataset, &p.state) {
        if !matches!(p.diagnosis, DiagnosisStatus::Idle) {
            return html! { <>{ intro }{ status }</> };
        }
    }
    let (Some(dataset), Some(state)) = (&p.dataset, &p.state) else {
        return html! {
            <>
                { intro }
                <section class="card needs"><p>{ T::NeedsData.get(lang) }{" "}
                    <a href={Route::Data.hash()}>{ T::GoToData.get(lang) }</a></p></section>
            </>
        };
    };
    let cfg = &state.config;
    let table = &dataset.parsed.loaded.table;
    // Each control changes one setting of the diagnosis.
    let set = |f: fn(&mut AnalysisConfig, f64)| {
        let (cb, cfg) = (p.on_config.clone(), cfg.clone());
        Callback::from(move |v: f64| {
            let mut next = cfg.clone();
            f(&mut next, v);
            cb.emit(next);
        })
    };
    let on_target = {
        let (cb, cfg) = (p.on_config.clone(), cfg.clone());
        Callback::from(move |e: Event| {
            let target = e.target_unchecked_into::<HtmlSelectElement>().value();
            cb.emit(AnalysisConfig {
                target,
                task: None,
                ..cfg.clone()
            });
        })
    };
    let on_task = {
        let (cb, cfg) = (p.on_config.clone(), cfg.clone());
        Callback::from(move |e: Event| {
            let task = match e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "regression" => Some(Task::Regression),
                "classification" => Some(Task::Classification),
                _ => None,
            };
            cb.emit(AnalysisConfig {
                task,
                ..cfg.clone()
            });
        })
    };
    let task_name = |t: Task| match t {
        Task::Regression => T::Regression.get(lang),
        Task::Classification => T::Classification.get(lang),
    };
    let detected = state.result.as_ref().ok().map(|a| a.task_detected);
    let controls = html! {
        <section class="card controls" aria-label={T::TargetColumn.get(lang)}>
            <div class="control-row">
                <label for="target-select">{ T::TargetColumn.get(lang) }</label>
                <select id="target-select" onchange={on_target}>
                    { for table.columns().iter().map(|c| html! {
                        <option value={c.name.clone()} selected={c.name == cfg.target}>{ &c.name }</option>
                    }) }
                </select>
                <label for="task-select">{ T::Task.get(lang) }</label>
                <select id="task-select" onchange={on_task}>
                    <option value="" selected={cfg.task.is_none()}>
                        { format!("{}{}", T::TaskAuto.get(lang), detected.map(|t| format!(" ({})", task_name(t))).unwrap_or_default()) }
                    </option>
                    <option value="regression" selected={cfg.task == Some(Task::Regression)}>{ T::Regression.get(lang) }</option>
                    <option value="classification" selected={cfg.task == Some(Task::Classification)}>{ T::Classification.get(lang) }</option>
                </select>
            </div>
        </section>
    };
    let a = match &state.result {
        Ok(a) => a.clone(),
        Err(e) => {
            return html! {
                <>{ intro }{ controls }
                <section class="card error" role="alert"><p>{ error_text(lang, e) }</p></section></>
            }
        }
    };
    let target_values: Vec<f64> = match table.column(&a.target).map(|c| &c.data) {
        Some(ColumnData::Numeric { values, .. }) => values.clone(),
        _ => Vec::new(),
    };

    html! {
        <>
            { intro }
            { controls }
            { status }
            <Quantity {lang} analysis={a.clone()} elapsed_ms={state.elapsed_ms} />
            <details class="card" ontoggle={on_toggle}>
                <summary>{ T::InfoTables.get(lang) }</summary>
                if *tables_open { <DatasetView {lang} dataset={dataset.clone()} /> }
            </details>
            <section class="card" aria-labelledby="missing-title">
                <h2 id="missing-title">{ T::MissingTitle.get(lang) }</h2>
                <p class="hint">{ T::MissingHelp.get(lang) }</p>
                { slider("missing-threshold", format!("{} (%)", T::Threshold.get(lang)), cfg.missing_threshold, (0.0, 100.0, 5.0), set(|c, v| c.missing_threshold = v)) }
                <p id="mostly-missing"><strong>{ T::AboveThreshold.get(lang) }</strong>{ " " }
                    { if a.mostly_missing.is_empty() { T::NoneFound.get(lang).to_string() } else { a.mostly_missing.join(", ") } }</p>
                {{
                    let chart = specs::missing(&a, cfg.missing_threshold, "%");
                    let h = (chart.bars.len() as u32 * 18 + 70).clamp(120, 1400);
                    html! { <ChartCanvas id={Some("missing-chart".to_string())} chart={Rc::new(Chart::Bars(chart))} width={760} height={h} label={T::MissingTitle.get(lang).to_string()} /> }
                }}
            </section>
            <section class="card" aria-labelledby="target-title">
                <h2 id="target-title">{ format!("{}: {}", T::TargetTitle.get(lang), a.target) }</h2>
                {
                    match &a.target_summary {
                        Some(t) => html! {
                            <>
                                { slider("hist-bins", T::Bins.get(lang).to_string(), cfg.hist_bins as f64, (5.0, 100.0, 1.0), set(|c, v| c.hist_bins = v as usize)) }
                                <ChartCanvas id={Some("target-histogram".to_string())} chart={Rc::new(Chart::Histogram(specs::target_histogram(t, &a.target, T::Frequency.get(lang), T::Fence.get(lang))))} width={760} height={300} label={format!("{} {}", T::TargetTitle.get(lang), a.target)} />
                                <ChartCanvas id={Some("target-box".to_string())} chart={Rc::new(Chart::Box(specs::target_box(t, &target_values, &a.target)))} width={760} height={140} label={format!("{} {}", T::BoxPlot.get(lang), a.target)} />
                                <table class="bounds" id="target-bounds">
                                    <tbody>
                                        <tr><th scope="row">{ T::LowerBound.get(lang) }</th><td class="num" data-value={t.iqr_lower.to_string()}>{ format_number(t.iqr_lower, false) }</td><td>{ format!("{} {}", t.outliers_below, T::RowsBelow.get(lang)) }</td></tr>
                                        <tr><th scope="row">{ T::UpperBound.get(lang) }</th><td class="num" id="upper-bound" data-value={t.iqr_upper.to_string()}>{ format_number(t.iqr_upper, false) }</td><td>{ format!("{} {}", t.outliers_above, T::RowsAbove.get(lang)) }</td></tr>
                                    </tbody>
                                </table>
                            </>
                        },
                        None => html! { <p>{ T::TargetIsCategorical.get(lang) }</p> },
                    }
                }
            </section>
            <Relations {lang} analysis={a.clone()} />
            <section class="card" aria-labelledby="numeric-pairs-title">
                <h2 id="numeric-pairs-title">{ T::NumericPairsTitle.get(lang) }</h2>
                <p class="hint">{ T::NumericPairsHelp.get(lang) }</p>
                { slider("corr-threshold", format!("{} |r|", T::Threshold.get(lang)), cfg.corr_threshold, (0.3, 0.99, 0.01), set(|c, v| c.corr_threshold = v)) }
                <ul id="high-correlation" class="pairs">
                    { for a.high_correlation.pairs.iter().map(|q| html! { <li>{ format!("{} ↔ {}: r = {:.3} ({} {})", q.a, q.b, q.r, q.n, T::SharedRows.get(lang)) }</li> }) }
                </ul>
                if a.high_correlation.pairs.is_empty() { <p>{ T::NoneFound.get(lang) }</p> }
                if !a.high_correlation.unreliable.is_empty() {
                    <details id="corr-unreliable">
                        <summary>{ format!("{} {}", T::Unreliable.get(lang), a.high_correlation.unreliable.len()) }</summary>
                        <ul class="pairs">{ for a.high_correlation.unreliable.iter().take(MAX_LISTED).map(|q| html! { <li>{ format!("{} ↔ {}: r = {:.3} ({} {})", q.a, q.b, q.r, q.n, T::SharedRows.get(lang)) }</li> }) }</ul>
                    </details>
                }
                if a.numeric_corr.columns.len() > specs::MAX_HEATMAP {
                    <p class="hint">{ T::MatrixTooWide.get(lang) }</p>
                }
                if specs::drawable(&a.numeric_corr) {
                    <ChartCanvas id={Some("corr-heatmap".to_string())} chart={Rc::new(Chart::Heatmap(specs::heatmap(&a.numeric_corr, true)))} width={760} height={760} label={T::NumericPairsTitle.get(lang).to_string()} />
                }
            </section>
            <Categorical {lang} analysis={a.clone()} config={cfg.clone()} on_config={p.on_config.clone()} />
            <Findings {lang} analysis={a.clone()} accepted={state.accepted.clone()} on_accept={p.on_accept.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct AnalysisProps {
    lang: Lang,
    analysis: crate::session::Shared<Analysis>,
}

#[derive(Properties, PartialEq)]
struct QuantityProps {
    lang: Lang,
    analysis: crate::session::Shared<Analysis>,
    elapsed_ms: f64,
}

#[function_component(Quantity)]
fn quantity(p: &QuantityProps) -> Html {
    let lang = p.lang;
    let a = &p.analysis;
    html! {
        <section class="card" aria-labelledby="quantity-title">
            <h2 id="quantity-title">{ T::Quantity.get(lang) }</h2>
            <p class="shape">{ format!("{} {} × {} {} · {}: {}", a.rows, T::Rows.get(lang), a.columns, T::Columns.get(lang), T::Task.get(lang),
                match a.task { Task::Regression => T::Regression.get(lang), Task::Classification => T::Classification.get(lang) }) }</p>
            if p.elapsed_ms.is_finite() {
                <p class="meta">{ format!("{} ", T::AnalysedIn.get(lang)) }
                    <span id="analysis-ms" data-value={format!("{:.3}", p.elapsed_ms)}>{ format!("{:.0} ms", p.elapsed_ms) }</span></p>
            }
            if !a.class_counts.is_empty() {
                <table id="class-counts">
                    <caption>{ T::ClassCounts.get(lang) }</caption>
                    <thead><tr><th scope="col">{ T::Class.get(lang) }</th><th scope="col">{ T::Count.get(lang) }</th></tr></thead>
                    <tbody>{ for a.class_counts.iter().map(|(c, n)| html! { <tr><th scope="row">{ c }</th><td class="num">{ n }</td></tr> }) }</tbody>
                </table>
            }
        </section>
    }
}

#[function_component(Relations)]
fn relations(p: &AnalysisProps) -> Html {
    let lang = p.lang;
    let a = &p.analysis;
    let ordinal = a
        .correlation_with_target
        .iter()
        .any(|r| r.measure == Measure::PearsonOrdinal);
    let chart = specs::target_relations(a, T::Strength.get(lang));
    let h = (chart.bars.len() as u32 * 16 + 70).clamp(120, 1600);
    html! {
        <section class="card" aria-labelledby="relations-title">
            <h2 id="relations-title">{ T::RelationsTitle.get(lang) }</h2>
            <p class="hint">{ if a.task == Task::Regression { T::RelationsHelpRegression.get(lang) } else { T::RelationsHelpClassification.get(lang) } }</p>
            if ordinal { <p class="notes" role="note" id="ordinal-caveat">{ T::OrdinalCaveat.get(lang) }</p> }
            if a.correlation_with_target.len() > crate::chart::specs::MAX_BARS {
                <p class="hint" id="relations-top">{ format!("{} {}", T::ChartTop.get(lang), crate::chart::specs::MAX_BARS) }</p>
            }
            <ChartCanvas id={Some("relations-chart".to_string())} chart={Rc::new(Chart::Bars(chart))} width={760} height={h} label={T::RelationsTitle.get(lang).to_string()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CategoricalProps {
    lang: Lang,
    analysis: crate::session::Shared<Analysis>,
    config: AnalysisConfig,
    on_config: Callback<AnalysisConfig>,
}

#[function_component(Categorical)]
fn categorical(p: &CategoricalProps) -> Html {
    let lang = p.lang;
    let a = &p.analysis;
    let cv = &a.cramers_v;
    let mut thin = cv.thin_strong().peekable();
    let on_threshold = {
        let (cb, cfg) = (p.on_config.clone(), p.config.clone());
        Callback::from(move |v: f64| {
            cb.emit(AnalysisConfig {
                cramer_threshold: v,
                ..cfg.clone()
            })
        })
    };
    let on_missing = {
        let (cb, cfg) = (p.on_config.clone(), p.config.clone());
        Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit(AnalysisConfig {
                missing_as_category: checked,
                ..cfg.clone()
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="cat-pairs-title">
            <h2 id="cat-pairs-title">{ T::CategoricalPairsTitle.get(lang) }</h2>
            <p class="hint">{ T::CategoricalPairsHelp.get(lang) }</p>
            <p class="notes" role="note" id="cramer-correction">{ T::CramerCorrection.get(lang) }</p>
            { slider("cramer-threshold", format!("{} V", T::Threshold.get(lang)), p.config.cramer_threshold, (0.1, 0.99, 0.01), on_threshold) }
            <label class="check"><input type="checkbox" id="missing-as-category" checked={p.config.missing_as_category} onchange={on_missing} />
                { T::MissingAsCategory.get(lang) }</label>
            <ul id="cramers-pairs" class="pairs">
                { for cv.pairs.iter().map(|q| html! { <li>{ format!("{} ↔ {}: V = {:.3} ({} {})", q.a, q.b, q.v, q.n, T::SharedRows.get(lang)) }</li> }) }
            </ul>
            if cv.pairs.is_empty() { <p>{ T::NoneFound.get(lang) }</p> }
            if thin.peek().is_some() {
                <div class="notes" role="note" id="thin-correction">
                    <p>{ T::ThinCorrection.get(lang) }</p>
                    <ul class="pairs">{ for thin.take(MAX_LISTED).map(|q| html! { <li>{ format!("{} ↔ {}: V = {:.3} ({} {}; {:.0}% E < 5)", q.a, q.b, q.v, q.n, T::SharedRows.get(lang), 100.0 * q.low_expected) }</li> }) }</ul>
                </div>
            }
            if !cv.unreliable.is_empty() {
                <details id="cramers-unreliable">
                    <summary>{ format!("{} {}", T::Unreliable.get(lang), cv.unreliable.len()) }</summary>
                    <ul class="pairs">{ for cv.unreliable.iter().take(MAX_LISTED).map(|q| html! { <li>{ format!("{} ↔ {}: V = {} ({} {}; {:.0}% E < 5)", q.a, q.b, if q.v.is_finite() { format!("{:.3}", q.v) } else { "—".into() }, q.n, T::SharedRows.get(lang), 100.0 * q.low_expected) }</li> }) }</ul>
                </details>
            }
            if !cv.not_paired.is_empty() {
                <p class="hint" id="not-paired">{ T::NotPairedNote.get(lang) }{ " " }
                    { cv.not_paired.iter().map(|c| format!("{} ({} {})", c.column, c.levels, T::LevelsWord.get(lang))).collect::<Vec<_>>().join(", ") }</p>
            }
            if cv.matrix.columns.len() > specs::MAX_HEATMAP {
                <p class="hint">{ T::MatrixTooWide.get(lang) }</p>
            }
            if specs::drawable(&cv.matrix) {
                <ChartCanvas id={Some("cramers-heatmap".to_string())} chart={Rc::new(Chart::Heatmap(specs::heatmap(&cv.matrix, false)))} width={760} height={760} label={T::CategoricalPairsTitle.get(lang).to_string()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FindingsProps {
    lang: Lang,
    analysis: crate::session::Shared<Analysis>,
    accepted: std::collections::BTreeSet<String>,
    on_accept: Callback<(String, bool)>,
}

#[function_component(Findings)]
fn findings(p: &FindingsProps) -> Html {
    let lang = p.lang;
    let items = p.analysis.findings.iter().map(|f| {
        let id = f.id.clone();
        let checked = p.accepted.contains(&f.id);
        let on_change = {
            let (cb, id) = (p.on_accept.clone(), id.clone());
            Callback::from(move |e: Event| cb.emit((id.clone(), e.target_unchecked_into::<HtmlInputElement>().checked())))
        };
        let dom_id = format!("finding-{}", id.replace([':', ' ', '.'], "-"));
        html! {
            <li class={classes!(checked.then_some("accepted"))}>
                <span class="finding-text">{ finding_text(lang, &f.kind) }</span>
                if f.action.is_some() {
                    <label class="check" for={dom_id.clone()}>
                        <input type="checkbox" id={dom_id} data-finding={id} {checked} onchange={on_change} />
                        { T::ApplyInPreprocess.get(lang) }
                        if f.by_default { <span class="meta">{ format!(" ({})", T::ByDefault.get(lang)) }</span> }
                    </label>
                }
            </li>
        }
    });
    html! {
        <section class="card" aria-labelledby="findings-title">
            <h2 id="findings-title">{ T::FindingsTitle.get(lang) }</h2>
            <p class="hint">{ T::FindingsHelp.get(lang) }</p>
            if p.analysis.findings.is_empty() { <p>{ T::NoFindings.get(lang) }</p> }
            <ul id="findings" class="findings">{ for items }</ul>
        </section>
    }
}
