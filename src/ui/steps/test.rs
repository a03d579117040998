//! Step 6 — Test: every model's metrics against an agreed threshold, the charts that show how a
//! model errs, and a try-it panel that scores a row the learner can edit.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::StepIntro;
use crate::chart::{specs, Chart, HistogramChart, LineChart, LineSeries, ScatterChart};
use crate::engine::data::table::{format_number, ColumnData, Table};
use crate::engine::model_file::ModelFile;
use crate::engine::pipeline::recipe::{Metrics, RunResult};
use crate::engine::stats::histogram::histogram;
use crate::engine::Task;
use crate::i18n::{error_text, Lang, T};
use crate::route::Route;
use crate::session::{Dataset, Trained};
use crate::ui::components::ChartCanvas;
use crate::ui::platform::files;

#[derive(Properties, PartialEq)]
pub struct TestPageProps {
    pub lang: Lang,
    pub dataset: Option<Dataset>,
    pub trained: Option<Trained>,
    pub stale: bool,
    pub threshold: Option<f64>,
    pub on_threshold: Callback<f64>,
}

fn f3(v: f64) -> String {
    if v.is_finite() {
        format!("{v:.3}")
    } else {
        "—".into()
    }
}

#[function_component(TestPage)]
pub fn test_page(p: &TestPageProps) -> Html {
    let lang = p.lang;
    let chosen = use_state(|| 0usize);
    let intro = html! { <StepIntro {lang} title={T::NavTest} what={T::TestWhat} why={Some(T::TestWhy)} how={Some(T::TestHow)} /> };
    let (Some(t), Some(dataset)) = (&p.trained, &p.dataset) else {
        return html! { <>{ intro }<section class="card needs"><p>{ T::NotTrained.get(lang) }{" "}
        <a href={Route::Train.hash()}>{ T::NavTrain.get(lang) }</a></p></section></> };
    };
    let r = &t.result;
    let threshold = p.threshold.unwrap_or(crate::session::DEFAULT_THRESHOLD);
    let metric_name = if r.task == Task::Regression {
        "R²"
    } else {
        T::StatAccuracy.get(lang)
    };
    let on_threshold = {
        let cb = p.on_threshold.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<f64>()
            {
                cb.emit(v);
            }
        })
    };
    let rows = r.models.iter().enumerate().map(|(i, m)| {
        let score = m.test.headline();
        let pass = score >= threshold;
        let cells = match (&m.train, &m.test) {
            (Metrics::Regression(a), Metrics::Regression(b)) => html! { <>
                <td class="num">{ f3(a.r2) }</td><td class="num">{ f3(b.r2) }</td>
                <td class="num">{ format_number(b.rmse.round(), false) }</td><td class="num">{ format_number(b.mae.round(), false) }</td>
                <td class="num">{ format!("{:.1}%", b.mape * 100.0) }</td></> },
            (Metrics::Classification(a), Metrics::Classification(b)) => html! { <>
                <td class="num">{ f3(a.accuracy) }</td><td class="num">{ f3(b.accuracy) }</td>
                <td class="num">{ f3(b.precision_macro) }</td><td class="num">{ f3(b.recall_macro) }</td>
                <td class="num">{ b.roc_auc.map(f3).unwrap_or_else(|| f3(b.f1_macro)) }</td></> },
            _ => html! {},
        };
        html! {
            <tr id={format!("model-result-{i}")} data-score={score.to_string()}>
                <th scope="row"><code>{ &m.kind }</code></th>
                { cells }
                <td class={classes!("verdict", if pass { "pass" } else { "fail" })}>{ if pass { T::Pass.get(lang) } else { T::Fail.get(lang) } }</td>
            </tr>
        }
    });
    let heads = if r.task == Task::Regression {
        vec![
            format!("R² ({})", T::TrainSet.get(lang)),
            format!("R² ({})", T::TestSet.get(lang)),
            "RMSE".into(),
            "MAE".into(),
            "MAPE".into(),
        ]
    } else {
        vec![
            format!("{} ({})", T::StatAccuracy.get(lang), T::TrainSet.get(lang)),
            format!("{} ({})", T::StatAccuracy.get(lang), T::TestSet.get(lang)),
            T::PrecisionMacro.get(lang).into(),
            T::RecallMacro.get(lang).into(),
            if r.classes.len() == 2 {
                "ROC AUC".into()
            } else {
                T::F1Macro.get(lang).into()
            },
        ]
    };
    let idx = (*chosen).min(r.models.len().saturating_sub(1));
    let on_chosen = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            chosen.set(
                e.target_unchecked_into::<HtmlSelectElement>()
                    .value()
                    .parse()
                    .unwrap_or(0),
            )
        })
    };
    html! {
        <>
            { intro }
            if p.stale { <p class="card notes" role="note" id="test-stale">{ T::StaleResults.get(lang) }</p> }
            <section class="card" aria-labelledby="comparison-title">
                <h2 id="comparison-title">{ T::Comparison.get(lang) }</h2>
                <div class="control-row">
                    <label for="usable-threshold">{ format!("{}: {} ≥", T::UsableIf.get(lang), metric_name) }</label>
                    <input id="usable-threshold" type="number" min="0" max="1" step="0.01" value={threshold.to_string()} onchange={on_threshold} />
                </div>
                <p class="hint">{ T::MonitorNote.get(lang) }</p>
                <div class="table-wrap">
                    <table id="comparison">
                        <thead><tr><th scope="col">{ T::Model.get(lang) }</th>{ for heads.iter().map(|h| html! { <th scope="col">{ h }</th> }) }<th scope="col">{ T::UsableIf.get(lang) }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            </section>
            <section class="card" aria-labelledby="charts-title">
                <h2 id="charts-title">{ T::ChartsFor.get(lang) }</h2>
                <select id="chart-model" aria-label={T::ChartsFor.get(lang)} onchange={on_chosen}>
                    { for r.models.iter().enumerate().map(|(i, m)| html! { <option value={i.to_string()} selected={i == idx}>{ &m.kind }</option> }) }
                </select>
                { charts(lang, r, idx, &dataset.parsed.loaded.table) }
            </section>
            <TryIt {lang} result={t.result.clone()} table={dataset.parsed.clone()} />
            <ModelDownloads {lang} trained={t.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ModelDownloadsProps {
    lang: Lang,
    trained: Trained,
}

/// One download button per model: the model file `mlplay predict` and `mlplay serve` read.
#[function_component(ModelDownloads)]
fn model_downloads(p: &ModelDownloadsProps) -> Html {
    let lang = p.lang;
    let failure = use_state(|| None::<String>);
    let buttons = p.trained.result.models.iter().enumerate().map(|(i, m)| {
        let on_click = {
            let (t, failure) = (p.trained.clone(), failure.clone());
            // Made on click: a large forest's file takes a moment to write.
            Callback::from(move |_: MouseEvent| {
                let made = ModelFile::from_run(&t.result, &t.recipe, i)
                    .ok_or_else(|| crate::engine::Error::Internal {
                        detail: format!("no model {i}"),
                    })
                    .and_then(|f| {
                        let text = f.to_json()?;
                        files::download(&f.file_name(i), "application/json", &text)
                            .map_err(|detail| crate::engine::Error::DownloadFailed { detail })
                    });
                failure.set(made.err().map(|e| error_text(lang, &e)));
            })
        };
        html! {
            <li><code>{ &m.kind }</code>{" "}
                <button type="button" id={format!("download-model-{i}")} onclick={on_click}>{ T::DownloadModel.get(lang) }</button></li>
        }
    });
    html! {
        <section class="card" aria-labelledby="model-files-title">
            <h2 id="model-files-title">{ T::ModelFiles.get(lang) }</h2>
            <p class="hint">{ T::ModelFilesNote.get(lang) }</p>
            <ul class="model-files">{ for buttons }</ul>
            if let Some(e) = &*failure {
                <p class="error" role="alert" id="model-download-error">{ T::DownloadFailed.get(lang) }{ crate::i18n::sentence_gap(lang) }{ e }</p>
            }
        </section>
    }
}

fn charts(lang: Lang, r: &RunResult, i: usize, table: &Table) -> Html {
    let m = &r.models[i];
    match &m.test {
        Metrics::Regression(_) => {
            let actual: Vec<f64> = match table.column(&r.target).map(|c| &c.data) {
                Some(ColumnData::Numeric { values, .. }) => {
                    r.test_rows.iter().map(|&row| values[row]).collect()
                }
                _ => Vec::new(),
            };
            let pred = &m.test_predictions;
            let hist = Rc::new(Chart::Histogram(specs::actual_predicted(
                &actual,
                pred,
                &r.target,
                T::Frequency.get(lang),
                (T::Actual.get(lang), T::Predicted.get(lang)),
            )));
            let scatter = Rc::new(Chart::Scatter(ScatterChart {
                x_label: T::Actual.get(lang).into(),
                y_label: T::Predicted.get(lang).into(),
                points: actual.iter().copied().zip(pred.iter().copied()).collect(),
                diagonal: true,
            }));
            let residuals: Vec<f64> = actual.iter().zip(pred).map(|(a, b)| a - b).collect();
            let h = histogram(&residuals, 30);
            let resid = Rc::new(Chart::Histogram(HistogramChart {
                x_label: T::Residual.get(lang).into(),
                y_label: T::Frequency.get(lang).into(),
                edges: h.edges,
                series: vec![(T::Residual.get(lang).into(), h.counts)],
                rules: vec![(0.0, String::new())],
            }));
            html! {
                <>
                    <ChartCanvas id={Some("hist-overlay".to_string())} chart={hist} width={760} height={300} label={format!("{} / {}", T::Actual.get(lang), T::Predicted.get(lang))} />
                    <div class="pair-charts">
                        <ChartCanvas id={Some("pred-vs-actual".to_string())} chart={scatter} width={460} height={360} label={T::Predicted.get(lang).to_string()} />
                        <ChartCanvas id={Some("residuals".to_string())} chart={resid} width={460} height={360} label={T::Residual.get(lang).to_string()} />
                    </div>
                </>
            }
        }
        Metrics::Classification(c) => {
            let roc = (!c.roc.is_empty()).then(|| {
                Rc::new(Chart::Line(LineChart {
                    x_label: T::FalsePositiveRate.get(lang).into(),
                    y_label: T::TruePositiveRate.get(lang).into(),
                    series: vec![
                        LineSeries {
                            name: format!("AUC {:.3}", c.roc_auc.unwrap_or(f64::NAN)),
                            points: c.roc.clone(),
                            color: 0,
                        },
                        LineSeries {
                            name: String::new(),
                            points: vec![(0.0, 0.0), (1.0, 1.0)],
                            color: 1,
                        },
                    ],
                    markers: vec![],
                    zero_line: false,
                }))
            });
            html! {
                <>
                    <table id="confusion" class="confusion">
                        <caption>{ T::Confusion.get(lang) }</caption>
                        <thead><tr><th></th>{ for r.classes.iter().map(|k| html! { <th scope="col">{ k }</th> }) }</tr></thead>
                        <tbody>{ for c.confusion.iter().enumerate().map(|(a, row)| html! {
                            <tr><th scope="row">{ &r.classes[a] }</th>{ for row.iter().enumerate().map(|(b, n)| html! {
                                <td class={classes!("num", (a == b).then_some("diag"))}>{ n }</td>
                            }) }</tr>
                        }) }</tbody>
                    </table>
                    if let Some(chart) = roc {
                        <ChartCanvas id={Some("roc".to_string())} {chart} width={460} height={400} label={T::Roc.get(lang).to_string()} />
                    }
                </>
            }
        }
    }
}

#[derive(Properties, PartialEq)]
struct TryItProps {
    lang: Lang,
    result: crate::session::Shared<RunResult>,
    table: crate::session::Shared<crate::session::Parsed>,
}

#[function_component(TryIt)]
fn try_it(p: &TryItProps) -> Html {
    let lang = p.lang;
    let table = &p.table.loaded.table;
    let r = &p.result;
    let cols = r.input_columns();
    let first = r.test_rows.first().copied().unwrap_or(0);
    // The row being tried, as display text per used column ("" = missing).
    let values = {
        let (cols, table) = (cols.clone(), p.table.clone());
        use_state(move || {
            cols.iter()
                .map(|c| {
                    table
                        .loaded
                        .table
                        .column(c)
                        .map(|col| col.display(first))
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
        })
    };
    let row_no = use_state(|| 1usize);
    let on_row = {
        let (values, cols, table, rows, row_no) = (
            values.clone(),
            cols.clone(),
            p.table.clone(),
            r.test_rows.clone(),
            row_no.clone(),
        );
        Callback::from(move |e: Event| {
            let n: usize = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse()
                .unwrap_or(1);
            let n = n.clamp(1, rows.len().max(1));
            row_no.set(n);
            if let Some(&row) = rows.get(n - 1) {
                values.set(
                    cols.iter()
                        .map(|c| {
                            table
                                .loaded
                                .table
                                .column(c)
                                .map(|col| col.display(row))
                                .unwrap_or_default()
                        })
                        .collect(),
                );
            }
        })
    };
    // Score the current values, each read as the training table holds its column.
    let typed: Vec<(String, String)> = cols.iter().cloned().zip(values.iter().cloned()).collect();
    let predictions = r
        .typed_row(table, &typed)
        .and_then(|t| r.predict(&t, 0))
        .unwrap_or_default();
    let fields = cols.iter().enumerate().map(|(i, c)| {
        let on_change = {
            let values = values.clone();
            Callback::from(move |e: Event| {
                let v = match e.target_dyn_into::<HtmlSelectElement>() {
                    Some(s) => s.value(),
                    None => e.target_unchecked_into::<HtmlInputElement>().value(),
                };
                let mut next = (*values).clone();
                next[i] = v;
                values.set(next);
            })
        };
        let id = format!("try-{}", c.replace(|ch: char| !ch.is_alphanumeric(), "-"));
        let input = match table.column(c).map(|col| &col.data) {
            Some(ColumnData::Categorical { levels, .. }) => {
                let mut levels = levels.clone();
                levels.sort();
                html! {
                    <select id={id.clone()} onchange={on_change}>
                        <option value="" selected={values[i].is_empty()}>{ "—" }</option>
                        { for levels.iter().map(|l| html! { <option value={l.clone()} selected={*l == values[i]}>{ l }</option> }) }
                    </select>
                }
            }
            _ => html! { <input id={id.clone()} type="number" step="any" value={values[i].clone()} onchange={on_change} /> },
        };
        html! { <label class="param" for={id}>{ c }{ input }</label> }
    });
    let actual = r
        .test_rows
        .get(*row_no - 1)
        .and_then(|&row| table.column(&r.target).map(|c| c.display(row)))
        .unwrap_or_default();
    html! {
        <section class="card" aria-labelledby="tryit-title">
            <h2 id="tryit-title">{ T::TryIt.get(lang) }</h2>
            <p class="hint">{ T::TryItHelp.get(lang) }</p>
            <div class="control-row">
                <label for="try-row">{ format!("{} (1–{})", T::TestRow.get(lang), r.test_rows.len()) }</label>
                <input id="try-row" type="number" min="1" max={r.test_rows.len().to_string()} value={row_no.to_string()} onchange={on_row} />
                <span>{ format!("{}: {actual}", T::Actual.get(lang)) }</span>
            </div>
            <table id="predictions">
                <thead><tr><th scope="col">{ T::Model.get(lang) }</th><th scope="col">{ T::Prediction.get(lang) }</th></tr></thead>
                <tbody>{ for r.models.iter().zip(&predictions).enumerate().map(|(i, (m, (text, v)))| html! {
                    <tr id={format!("prediction-{i}")} data-value={v.to_string()}><th scope="row"><code>{ &m.kind }</code></th>
                        <td class="num">{ if r.task == Task::Regression { text.clone() } else { format!("{text} ({:.0}%)", v * 100.0) } }</td></tr>
                }) }</tbody>
            </table>
            <div class="try-fields">{ for fields }</div>
        </section>
    }
}
