//! The loaded data at a glance: shape, reading notes, `info()` and both halves of `describe()`.

use yew::prelude::*;

use crate::engine::data::summary::{CategoricalSummary, DateSummary, NumericSummary};
use crate::engine::data::table::format_number;
use crate::engine::{ColumnData, Kind};
use crate::i18n::{Lang, T};
use crate::session::Dataset;

#[derive(Properties, PartialEq)]
pub struct DatasetViewProps {
    pub lang: Lang,
    pub dataset: Dataset,
}

#[function_component(DatasetView)]
pub fn dataset_view(p: &DatasetViewProps) -> Html {
    let lang = p.lang;
    let parsed = &p.dataset.parsed;
    let report = &parsed.loaded.report;
    let table = &parsed.loaded.table;
    let delimiter = match report.delimiter {
        b'\t' => T::Tab.get(lang).to_string(),
        d => format!("“{}”", d as char),
    };

    let mut notes = Vec::new();
    if report.short_rows > 0 {
        notes.push(format!(
            "{} {} {}",
            report.short_rows,
            T::ShortRowsNote.get(lang),
            report.first_short_line.unwrap_or(0)
        ));
    }
    if !report.unnamed_columns.is_empty() {
        notes.push(format!(
            "{} {}",
            T::UnnamedNote.get(lang),
            report.unnamed_columns.join(", ")
        ));
    }
    if !report.renamed_duplicates.is_empty() {
        let pairs: Vec<String> = report
            .renamed_duplicates
            .iter()
            .map(|(a, b)| format!("{a} → {b}"))
            .collect();
        notes.push(format!(
            "{} {}",
            T::DuplicateNote.get(lang),
            pairs.join(", ")
        ));
    }
    for c in &report.conversions {
        notes.push(crate::i18n::conversion_note(lang, c));
    }

    let info_rows = parsed
        .info
        .columns
        .iter()
        .zip(table.columns())
        .map(|(c, col)| {
            let kind = match c.kind {
                Kind::Numeric => T::KindNumeric.get(lang),
                Kind::Categorical => T::KindCategorical.get(lang),
                Kind::Date => T::KindDate.get(lang),
            };
            let numeric_like = matches!(
                col.data,
                ColumnData::Categorical {
                    numeric_like: true,
                    ..
                }
            );
            html! {
                <tr>
                    <th scope="row">{ &c.name }</th>
                    <td>
                        { kind }
                        if numeric_like {
                            <span class="badge warn">{ T::NumericLikeNote.get(lang) }</span>
                        }
                    </td>
                    <td class="num">{ c.non_null }</td>
                    <td class="num">{ parsed.info.rows - c.non_null }</td>
                    <td class="num">{ c.unique }</td>
                    <td><code>{ &c.dtype }</code></td>
                </tr>
            }
        });

    html! {
        <>
            <section class="card overview" aria-labelledby="overview-title">
                <h2 id="overview-title">{ p.dataset.source.label() }</h2>
                <p class="shape">
                    <span id="row-count" data-value={table.n_rows().to_string()}>{ table.n_rows() }</span>
                    { format!(" {} × ", T::Rows.get(lang)) }
                    <span id="col-count" data-value={table.n_cols().to_string()}>{ table.n_cols() }</span>
                    { format!(" {}", T::Columns.get(lang)) }
                </p>
                <p class="meta">
                    { format!("{}: {} · {}: {} · {} ", T::Encoding.get(lang), report.encoding,
                        T::Delimiter.get(lang), delimiter, T::ParsedIn.get(lang)) }
                    <span id="parse-ms" data-value={format!("{:.3}", p.dataset.parse_ms)}>
                        { format!("{:.0} ms", p.dataset.parse_ms) }
                    </span>
                </p>
                if !notes.is_empty() {
                    <div class="notes" role="note">
                        <h3>{ T::Warnings.get(lang) }</h3>
                        <ul>{ for notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
                    </div>
                }
            </section>
            <section class="card" aria-labelledby="info-title">
                <h2 id="info-title">{ T::InfoTitle.get(lang) }</h2>
                <p class="hint">{ T::InfoHelp.get(lang) }</p>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="info-title">
                    <table id="info-table">
                        <thead><tr>
                            <th scope="col">{ T::ColName.get(lang) }</th>
                            <th scope="col">{ T::ColKind.get(lang) }</th>
                            <th scope="col">{ T::ColNonNull.get(lang) }</th>
                            <th scope="col">{ T::ColMissing.get(lang) }</th>
                            <th scope="col">{ T::ColUnique.get(lang) }</th>
                            <th scope="col">{ T::ColDtype.get(lang) }</th>
                        </tr></thead>
                        <tbody>{ for info_rows }</tbody>
                    </table>
                </div>
            </section>
            <NumericTable {lang} rows={parsed.describe.numeric.clone()} />
            <CategoricalTable {lang} rows={parsed.describe.categorical.clone()} />
            <DateTable {lang} rows={parsed.describe.dates.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct NumericProps {
    lang: Lang,
    rows: Vec<NumericSummary>,
}

#[function_component(NumericTable)]
fn numeric_table(p: &NumericProps) -> Html {
    let lang = p.lang;
    if p.rows.is_empty() {
        return html! {};
    }
    let heads = [
        T::StatCount,
        T::StatMean,
        T::StatStd,
        T::StatMin,
        T::StatQ1,
        T::StatMedian,
        T::StatQ3,
        T::StatMax,
    ];
    let rows = p.rows.iter().map(|s| {
        let f = |v: f64| format_number(v, false);
        let g = |v: f64| format_number(v, s.integer);
        html! {
            <tr>
                <th scope="row">{ &s.name }</th>
                <td class="num">{ s.count }</td>
                <td class="num">{ f(s.mean) }</td>
                <td class="num">{ f(s.std) }</td>
                <td class="num">{ g(s.min) }</td>
                <td class="num">{ f(s.q1) }</td>
                <td class="num">{ f(s.median) }</td>
                <td class="num">{ f(s.q3) }</td>
                <td class="num">{ g(s.max) }</td>
            </tr>
        }
    });
    html! {
        <section class="card" aria-labelledby="describe-num-title">
            <h2 id="describe-num-title">{ T::DescribeNumeric.get(lang) }</h2>
            <p class="hint">{ T::DescribeHelp.get(lang) }</p>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="describe-num-title">
                <table id="describe-numeric">
                    <thead><tr>
                        <th scope="col">{ T::ColName.get(lang) }</th>
                        { for heads.iter().map(|h| html! { <th scope="col">{ h.get(lang) }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CategoricalProps {
    lang: Lang,
    rows: Vec<CategoricalSummary>,
}

#[function_component(CategoricalTable)]
fn categorical_table(p: &CategoricalProps) -> Html {
    let lang = p.lang;
    if p.rows.is_empty() {
        return html! {};
    }
    let rows = p.rows.iter().map(|s| {
        html! {
            <tr>
                <th scope="row">{ &s.name }</th>
                <td class="num">{ s.count }</td>
                <td class="num">{ s.unique }</td>
                <td>{ s.top.clone().unwrap_or_default() }</td>
                <td class="num">{ s.freq }</td>
            </tr>
        }
    });
    html! {
        <section class="card" aria-labelledby="describe-cat-title">
            <h2 id="describe-cat-title">{ T::DescribeCategorical.get(lang) }</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="describe-cat-title">
                <table id="describe-categorical">
                    <thead><tr>
                        <th scope="col">{ T::ColName.get(lang) }</th>
                        <th scope="col">{ T::StatCount.get(lang) }</th>
                        <th scope="col">{ T::StatUnique.get(lang) }</th>
                        <th scope="col">{ T::StatTop.get(lang) }</th>
                        <th scope="col">{ T::StatFreq.get(lang) }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DateProps {
    lang: Lang,
    rows: Vec<DateSummary>,
}

#[function_component(DateTable)]
fn date_table(p: &DateProps) -> Html {
    let lang = p.lang;
    if p.rows.is_empty() {
        return html! {};
    }
    let rows = p.rows.iter().map(|s| {
        html! {
            <tr>
                <th scope="row">{ &s.name }</th>
                <td class="num">{ s.count }</td>
                <td>{ s.min.clone().unwrap_or_default() }</td>
                <td>{ s.max.clone().unwrap_or_default() }</td>
            </tr>
        }
    });
    html! {
        <section class="card" aria-labelledby="describe-date-title">
            <h2 id="describe-date-title">{ T::DescribeDates.get(lang) }</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="describe-date-title">
                <table id="describe-dates">
                    <thead><tr>
                        <th scope="col">{ T::ColName.get(lang) }</th>
                        <th scope="col">{ T::StatCount.get(lang) }</th>
                        <th scope="col">{ T::StatEarliest.get(lang) }</th>
                        <th scope="col">{ T::StatLatest.get(lang) }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
