//! The Report: the learner's work assembled in workshop order, with a note per section, and
//! the exports (standalone HTML, Markdown zip, Jupyter notebook, PySpark program).

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::StepIntro;
use crate::chart::Chart;
use crate::i18n::l;
use crate::i18n::{Lang, T};
use crate::report::{Block, Report};
use crate::ui::components::ChartCanvas;

/// What the page can export; the app does the work (it holds the session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Html,
    Markdown,
    Notebook,
    PySpark,
}

#[derive(Properties, PartialEq)]
pub struct ReportPageProps {
    pub lang: Lang,
    pub report: Rc<Report>,
    pub notes: std::collections::BTreeMap<String, String>,
    /// Whether the recipe exports (notebook, PySpark) are possible: trained models exist.
    pub can_export_code: bool,
    pub data_path: String,
    pub on_note: Callback<(String, String)>,
    pub on_export: Callback<(ExportKind, String)>,
    /// The last export's error, if any.
    pub error: Option<String>,
}

fn block(b: &Block) -> Html {
    match b {
        Block::Para(t) => html! { <p>{ t }</p> },
        Block::Correction(t) => html! { <p class="correction">{ t }</p> },
        Block::Note(_) => html! {},
        Block::Pre(t) => html! { <pre class="markdown">{ t }</pre> },
        Block::List(items) => {
            html! { <ul>{ for items.iter().map(|i| html! { <li>{ i }</li> }) }</ul> }
        }
        Block::Table { head, rows } => html! {
            <div class="table-scroll"><table>
                <thead><tr>{ for head.iter().map(|h| html! { <th scope="col">{ h }</th> }) }</tr></thead>
                <tbody>{ for rows.iter().map(|r| html! { <tr>{ for r.iter().map(|c| html! { <td>{ c }</td> }) }</tr> }) }</tbody>
            </table></div>
        },
        Block::Chart {
            name,
            caption,
            chart,
            width,
            height,
        } => html! {
            <figure>
                <ChartCanvas id={Some(format!("report-chart-{name}"))} chart={Rc::new(chart.clone()) as Rc<Chart>}
                    width={*width} height={*height} label={caption.clone()} />
                <figcaption>{ caption }</figcaption>
            </figure>
        },
    }
}

#[function_component(ReportPage)]
pub fn report_page(p: &ReportPageProps) -> Html {
    let lang = p.lang;
    let data_path = use_state(|| p.data_path.clone());
    let sections = p.report.sections.iter().map(|s| {
        let id = s.id;
        let on_input = {
            let cb = p.on_note.clone();
            Callback::from(move |e: InputEvent| {
                cb.emit((id.to_string(), e.target_unchecked_into::<HtmlTextAreaElement>().value()))
            })
        };
        html! {
            <section class="card report-section" id={format!("report-{id}")}>
                <h2>{ &s.title }</h2>
                { for s.blocks.iter().map(block) }
                <label for={format!("note-{id}")}>{ l(lang, "Your notes for this section (they go into the report)", "この章のメモ（レポートに入ります）") }</label>
                <textarea id={format!("note-{id}")} rows="3" oninput={on_input}
                    value={p.notes.get(id).cloned().unwrap_or_default()}></textarea>
            </section>
        }
    });
    let button = |kind: ExportKind, id: &str, label: &str, enabled: bool| {
        let (cb, path) = (p.on_export.clone(), data_path.clone());
        let onclick = Callback::from(move |_: MouseEvent| cb.emit((kind, (*path).clone())));
        html! { <button type="button" id={id.to_string()} disabled={!enabled} {onclick}>{ label }</button> }
    };
    let on_path = {
        let data_path = data_path.clone();
        Callback::from(move |e: InputEvent| {
            data_path.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <>
            <StepIntro {lang} title={T::NavReport} what={T::ReportWhat} />
            <section class="card exports" aria-labelledby="export-title">
                <h2 id="export-title">{ l(lang, "Export", "書き出し") }</h2>
                <div class="export-buttons">
                    { button(ExportKind::Html, "export-html", l(lang, "HTML (print to A4)", "HTML（A4 で印刷可）"), true) }
                    { button(ExportKind::Markdown, "export-md", l(lang, "Markdown + SVG (zip)", "Markdown + SVG（zip）"), true) }
                    { button(ExportKind::Notebook, "export-ipynb", l(lang, "Jupyter notebook", "Jupyter ノートブック"), p.can_export_code) }
                    { button(ExportKind::PySpark, "export-pyspark", l(lang, "PySpark program", "PySpark プログラム"), p.can_export_code) }
                </div>
                <label for="export-data-path">{ l(lang, "Where the notebook and the PySpark program find the CSV (relative to themselves)", "ノートブックと PySpark プログラムが CSV を探す場所（それ自身からの相対パス）") }</label>
                <input id="export-data-path" type="text" value={(*data_path).clone()} oninput={on_path} />
                if !p.can_export_code {
                    <p class="hint">{ l(lang, "Train models in step 5 to export the notebook and the PySpark program.", "ノートブックと PySpark プログラムを書き出すには、ステップ 5 でモデルを学習してください。") }</p>
                }
                if let Some(e) = &p.error {
                    <p class="error" role="alert">
                        <strong>{ T::ExportFailed.get(lang) }</strong>{ crate::i18n::sentence_gap(lang) }{ e }
                    </p>
                }
            </section>
            <article class="report" id="report-preview" lang={lang.code()}>
                <h2 class="report-title">{ &p.report.title }</h2>
                { for sections }
            </article>
        </>
    }
}
