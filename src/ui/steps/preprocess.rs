//! Step 4 — Preprocess: the split, the columns and filters from the diagnosis, imputation,
//! scaling and encoding fitted on training rows, with before/after views and downloads.

use std::collections::BTreeSet;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::StepIntro;
use crate::chart::{Chart, ScatterChart};
use crate::engine::data::csv_out::{matrix_to_spreadsheet_csv, rows_to_spreadsheet_csv};
use crate::engine::data::summary::describe_numeric;
use crate::engine::data::table::format_number;
use crate::engine::pipeline::preprocess::{
    CategoricalImpute, DatePart, Encode, Feature, NumericImpute, Scale,
};
use crate::engine::pipeline::recipe::{prepare, Prepared, Recipe};
use crate::engine::{ColumnData, Table};
use crate::i18n::{category_title, error_text, Lang, T};
use crate::route::Route;
use crate::session::{Dataset, PrepSettings};
use crate::ui::components::ChartCanvas;
use crate::ui::platform::files;

#[derive(Properties, PartialEq)]
pub struct PreprocessPageProps {
    pub lang: Lang,
    pub dataset: Option<Dataset>,
    pub recipe: Option<Recipe>,
    pub prep: PrepSettings,
    pub finding_exclusions: BTreeSet<String>,
    pub on_prep: Callback<PrepSettings>,
}

/// The fitted preparation and the transformed training rows.
struct Outcome {
    prepared: Prepared,
    x_train: Vec<Vec<f64>>,
    y_train_fit: Vec<f64>,
}

fn compute(table: &Table, recipe: &Recipe) -> Result<Outcome, crate::engine::Error> {
    let prepared = prepare(table, recipe)?;
    let x_train = prepared.preprocessor.transform(table, &prepared.train)?;
    let y_train_fit = prepared.fit_targets(table)?;
    Ok(Outcome {
        prepared,
        x_train,
        y_train_fit,
    })
}

fn select<T: Copy + PartialEq + 'static>(
    id: &str,
    label: &str,
    options: Vec<(T, &'static str)>,
    value: T,
    on: Callback<T>,
) -> Html {
    let opts = options.clone();
    let onchange = Callback::from(move |e: Event| {
        let i: usize = e
            .target_unchecked_into::<HtmlSelectElement>()
            .value()
            .parse()
            .unwrap_or(0);
        if let Some((v, _)) = opts.get(i) {
            on.emit(*v);
        }
    });
    html! {
        <div class="control-row">
            <label for={id.to_string()}>{ label }</label>
            <select id={id.to_string()} {onchange}>
                { for options.iter().enumerate().map(|(i, (v, text))| html! {
                    <option value={i.to_string()} selected={*v == value}>{ *text }</option>
                }) }
            </select>
        </div>
    }
}

#[function_component(PreprocessPage)]
pub fn preprocess_page(p: &PreprocessPageProps) -> Html {
    let lang = p.lang;
    let intro = html! {
        <StepIntro {lang} title={T::NavPreprocess} what={T::PreprocessWhat} why={Some(T::PreprocessWhy)} how={Some(T::PreprocessHow)} />
    };
    let outcome = {
        let deps = (
            p.recipe.clone(),
            p.dataset.as_ref().map(|d| d.parsed.clone()),
        );
        use_memo(deps, |(recipe, parsed)| match (recipe, parsed) {
            (Some(r), Some(parsed)) => Some(compute(&parsed.loaded.table, r)),
            _ => None,
        })
    };
    let (Some(dataset), Some(recipe)) = (&p.dataset, &p.recipe) else {
        let msg = if p.dataset.is_none() {
            T::NeedsData
        } else {
            T::NeedsTarget
        };
        return html! {
            <>{ intro }<section class="card needs"><p>{ msg.get(lang) }{" "}
                <a href={if p.dataset.is_none() { Route::Data.hash() } else { Route::Analyze.hash() }}>
                    { if p.dataset.is_none() { T::GoToData.get(lang) } else { T::NavAnalyze.get(lang) } }</a></p></section></>
        };
    };
    let table = &dataset.parsed.loaded.table;
    let set = |f: fn(&mut PrepSettings, f64)| {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |e: Event| {
            if let Ok(v) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .parse::<f64>()
            {
                let mut next = prep.clone();
                f(&mut next, v);
                cb.emit(next);
            }
        })
    };

    // Columns and filters.
    let excluded: BTreeSet<&String> = recipe.exclude.iter().collect();
    let columns = table.columns().iter().filter(|c| c.name != recipe.target).map(|c| {
        let name = c.name.clone();
        let used = !excluded.contains(&c.name);
        let from_finding = p.finding_exclusions.contains(&c.name);
        let on_toggle = {
            let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
            let name = name.clone();
            Callback::from(move |e: Event| {
                let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut next = prep.clone();
                next.overrides.insert(name.clone(), !checked);
                cb.emit(next);
            })
        };
        let id = format!("use-{}", name.replace(|ch: char| !ch.is_alphanumeric(), "-"));
        html! {
            <li>
                <label class="check" for={id.clone()}>
                    <input type="checkbox" {id} checked={used} onchange={on_toggle} data-column={name.clone()} />
                    { &c.name }
                </label>
                if from_finding { <span class="badge warn">{ T::FromFinding.get(lang) }</span> }
            </li>
        }
    });
    let filters = if recipe.train_filters.is_empty() {
        html! { <p>{ T::NoFilters.get(lang) }</p> }
    } else {
        html! { <ul id="train-filters">{ for recipe.train_filters.iter().map(|f| html! {
            <li>{ format!("{} {} {}", f.min.map(|m| format!("{} ≤", format_number(m, false))).unwrap_or_default(), f.column,
                f.max.map(|m| format!("≤ {}", format_number(m, false))).unwrap_or_default()) }</li>
        }) }</ul> }
    };

    let numeric_opts = vec![
        (NumericImpute::Median, T::ImputeMedian.get(lang)),
        (NumericImpute::Mean, T::ImputeMean.get(lang)),
        (NumericImpute::MostFrequent, T::ImputeMostFrequent.get(lang)),
        (NumericImpute::Constant, T::ImputeConstant.get(lang)),
    ];
    let scale_opts = vec![
        (Scale::Standard, T::ScaleStandard.get(lang)),
        (Scale::MinMax, T::ScaleMinMax.get(lang)),
        (Scale::None, T::ScaleNone.get(lang)),
    ];
    let cat_opts = vec![
        (
            CategoricalImpute::MostFrequent,
            T::ImputeMostFrequent.get(lang),
        ),
        (CategoricalImpute::Constant, T::ImputeConstant.get(lang)),
    ];
    let enc_opts = vec![
        (Encode::Ordinal, T::EncodeOrdinal.get(lang)),
        (Encode::Onehot, T::EncodeOnehot.get(lang)),
    ];
    let on_num_impute = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |v: NumericImpute| {
            let mut n = prep.clone();
            n.numeric.impute = v;
            cb.emit(n);
        })
    };
    let on_scale = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |v: Scale| {
            let mut n = prep.clone();
            n.numeric.scale = v;
            cb.emit(n);
        })
    };
    let on_cat_impute = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |v: CategoricalImpute| {
            let mut n = prep.clone();
            n.categorical.impute = v;
            cb.emit(n);
        })
    };
    let on_encode = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |v: Encode| {
            let mut n = prep.clone();
            n.categorical.encode = v;
            cb.emit(n);
        })
    };
    let on_shuffle = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |e: Event| {
            let mut n = prep.clone();
            n.split.shuffle = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit(n);
        })
    };
    let on_stratify = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |e: Event| {
            let mut n = prep.clone();
            n.split.stratify = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit(n);
        })
    };
    let classification = recipe.task == Some(crate::engine::Task::Classification);
    let on_target_std = {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        Callback::from(move |e: Event| {
            let mut n = prep.clone();
            n.target_standard = e.target_unchecked_into::<HtmlInputElement>().checked();
            cb.emit(n);
        })
    };

    let has_dates = table
        .columns()
        .iter()
        .any(|c| c.kind() == crate::engine::Kind::Date);
    let date_parts = DatePart::ALL.into_iter().map(|part| {
        let (cb, prep) = (p.on_prep.clone(), p.prep.clone());
        let on_change = Callback::from(move |e: Event| {
            let mut n = prep.clone();
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            n.date_parts = DatePart::ALL
                .into_iter()
                .filter(|q| if *q == part { on } else { n.date_parts.contains(q) })
                .collect();
            cb.emit(n);
        });
        let label = match part {
            DatePart::Year => T::DatePartYear,
            DatePart::Month => T::DatePartMonth,
            DatePart::Dayofweek => T::DatePartDayofweek,
            DatePart::Days => T::DatePartDays,
        };
        html! {
            <label class="check"><input type="checkbox" id={format!("date-{}", part.name())}
                checked={p.prep.date_parts.contains(&part)} onchange={on_change} />{ label.get(lang) }</label>
        }
    });

    let settings = html! {
        <section class="card" aria-labelledby="prep-settings-title">
            <h2 id="prep-settings-title">{ T::SplitTitle.get(lang) }</h2>
            <p class="hint">{ T::SplitHelp.get(lang) }</p>
            <div class="slider">
                <label for="test-size">{ T::TestSize.get(lang) }</label>
                <input id="test-size" type="range" min="0.1" max="0.5" step="0.05" value={p.prep.split.test_size.to_string()}
                    onchange={set(|s, v| s.split.test_size = v)} />
                <output for="test-size">{ format!("{:.0}%", p.prep.split.test_size * 100.0) }</output>
            </div>
            <label class="check"><input type="checkbox" id="shuffle" checked={p.prep.split.shuffle} onchange={on_shuffle} />{ T::Shuffle.get(lang) }</label>
            if classification {
                <label class="check"><input type="checkbox" id="stratify" checked={p.prep.split.stratify} onchange={on_stratify} />{ T::Stratify.get(lang) }</label>
            }
            <div class="control-row">
                <label for="seed">{ T::Seed.get(lang) }</label>
                <input id="seed" type="number" min="0" step="1" value={p.prep.split.random_state.to_string()}
                    onchange={set(|s, v| s.split.random_state = v.clamp(0.0, u32::MAX as f64) as u32)} />
            </div>
            <h3>{ T::NumericSettings.get(lang) }</h3>
            { select("num-impute", T::Impute.get(lang), numeric_opts, p.prep.numeric.impute, on_num_impute) }
            { select("num-scale", T::ScaleLabel.get(lang), scale_opts, p.prep.numeric.scale, on_scale) }
            <h3>{ T::CategoricalSettings.get(lang) }</h3>
            { select("cat-impute", T::Impute.get(lang), cat_opts, p.prep.categorical.impute, on_cat_impute) }
            { select("cat-encode", T::EncodeLabel.get(lang), enc_opts, p.prep.categorical.encode, on_encode) }
            <label class="check"><input type="checkbox" id="target-standard" checked={p.prep.target_standard} onchange={on_target_std} />
                { T::TargetStandard.get(lang) }</label>
            if has_dates {
                <h3>{ T::DateSettings.get(lang) }</h3>
                <p class="hint">{ T::DateSettingsHelp.get(lang) }</p>
                { for date_parts }
            }
        </section>
    };
    let column_card = html! {
        <section class="card" aria-labelledby="columns-title">
            <h2 id="columns-title">{ T::ColumnsTitle.get(lang) }</h2>
            <p class="hint">{ T::ColumnsHelp.get(lang) }</p>
            <ul class="column-list" id="column-list">{ for columns }</ul>
            <h3>{ T::FiltersTitle.get(lang) }</h3>
            <p class="hint">{ T::FiltersHelp.get(lang) }</p>
            { filters }
        </section>
    };

    let results = match outcome.as_ref() {
        None => html! {},
        Some(Err(e)) => {
            html! {
                <section class="card error" role="alert" id="prep-error">
                    <h2>{ category_title(lang, e.category()) }</h2>
                    <p>{ error_text(lang, e) }</p>
                </section>
            }
        }
        Some(Ok(o)) => results_view(lang, table, recipe, &p.prep, o, &p.on_prep),
    };
    html! { <>{ intro }{ column_card }{ settings }{ results }</> }
}

fn results_view(
    lang: Lang,
    table: &Table,
    recipe: &Recipe,
    prep: &PrepSettings,
    o: &Outcome,
    on_prep: &Callback<PrepSettings>,
) -> Html {
    let pre = &o.prepared.preprocessor;
    let s = &o.prepared.sizes;
    let train = &o.prepared.train;
    let numeric: Vec<(usize, &String)> = pre
        .features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match f {
            Feature::Numeric { column, .. } => Some((i, column)),
            _ => None,
        })
        .collect();
    // Output column index of each feature (one-hot features span several).
    let mut offsets = Vec::new();
    let mut at = 0;
    for f in &pre.features {
        offsets.push(at);
        at += f.width();
    }
    let raw = |name: &str| -> Vec<f64> {
        match table.column(name).map(|c| &c.data) {
            Some(ColumnData::Numeric { values, .. }) => train.iter().map(|&r| values[r]).collect(),
            _ => Vec::new(),
        }
    };
    let mut rows: Vec<Html> = numeric
        .iter()
        .map(|(i, name)| {
            let before = describe_numeric(name, &raw(name), false);
            let after_vals: Vec<f64> = o.x_train.iter().map(|r| r[offsets[*i]]).collect();
            let after = describe_numeric(name, &after_vals, false);
            stat_row(name, &before, &after)
        })
        .collect();
    let y_raw: Vec<f64> = train.iter().map(|&r| o.prepared.y[r]).collect();
    if pre.target_scaler.is_some() {
        let before = describe_numeric(&recipe.target, &y_raw, false);
        let after = describe_numeric(&recipe.target, &o.y_train_fit, false);
        rows.insert(
            0,
            stat_row(
                &format!("{} ({})", recipe.target, T::Target.get(lang)),
                &before,
                &after,
            ),
        );
    }

    // Scatter of a chosen numeric column against the target, before and after.
    let chosen = prep
        .scatter_column
        .clone()
        .filter(|c| numeric.iter().any(|(_, n)| *n == c))
        .or_else(|| {
            numeric
                .iter()
                .find(|(_, n)| n.as_str() == "GrLivArea")
                .map(|(_, n)| (*n).clone())
        })
        .or_else(|| numeric.first().map(|(_, n)| (*n).clone()));
    let scatter = chosen.as_ref().map(|col| {
        let i = numeric.iter().find(|(_, n)| *n == col).map(|(i, _)| *i).unwrap_or(0);
        let before: Vec<(f64, f64)> = raw(col).into_iter().zip(y_raw.iter().copied()).collect();
        let after: Vec<(f64, f64)> = o.x_train.iter().map(|r| r[offsets[i]]).zip(o.y_train_fit.iter().copied()).collect();
        let chart = |pts, suffix: T| {
            Rc::new(Chart::Scatter(ScatterChart {
                x_label: format!("{col} ({})", suffix.get(lang)),
                y_label: format!("{} ({})", recipe.target, suffix.get(lang)),
                points: pts,
                diagonal: false,
            }))
        };
        let on_col = {
            let (cb, prep) = (on_prep.clone(), prep.clone());
            Callback::from(move |e: Event| {
                let mut n = prep.clone();
                n.scatter_column = Some(e.target_unchecked_into::<HtmlSelectElement>().value());
                cb.emit(n);
            })
        };
        html! {
            <>
                <div class="control-row">
                    <label for="scatter-column">{ T::ScatterColumn.get(lang) }</label>
                    <select id="scatter-column" onchange={on_col}>
                        { for numeric.iter().map(|(_, n)| html! { <option value={(*n).clone()} selected={*n == col}>{ *n }</option> }) }
                    </select>
                </div>
                <div class="pair-charts">
                    <ChartCanvas id={Some("scatter-before".to_string())} chart={chart(before, T::Before)} width={460} height={320} label={format!("{col} {}", T::Before.get(lang))} />
                    <ChartCanvas id={Some("scatter-after".to_string())} chart={chart(after, T::After)} width={460} height={320} label={format!("{col} {}", T::After.get(lang))} />
                </div>
            </>
        }
    });

    let preview_rows = o.x_train.iter().zip(&o.y_train_fit).take(10).map(|(r, y)| html! {
        <tr>{ for r.iter().map(|v| html! { <td class="num">{ format_number(*v, false) }</td> }) }<td class="num">{ format_number(*y, false) }</td></tr>
    });
    let on_train = {
        let csv = matrix_to_spreadsheet_csv(
            &pre.output_names,
            &o.x_train,
            &recipe.target,
            &o.y_train_fit,
        );
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = files::download("train_processed.csv", "text/csv", &csv) {
                web_sys::console::warn_1(&e.into());
            }
        })
    };
    let on_test = {
        let test = o.prepared.test.clone();
        let csv = rows_to_spreadsheet_csv(table, &test);
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = files::download("test_raw.csv", "text/csv", &csv) {
                web_sys::console::warn_1(&e.into());
            }
        })
    };
    html! {
        <>
            <section class="card" aria-labelledby="split-sizes-title">
                <h2 id="split-sizes-title">{ T::SplitSizes.get(lang) }</h2>
                <p class="shape" id="split-sizes" data-train={s.train.to_string()} data-test={s.test.to_string()}
                    data-filtered={s.train_after_filters.to_string()}>
                    { format!("{} {} · {} {} · {} {}", s.train, T::TrainRows.get(lang), s.train_after_filters,
                        T::TrainAfterFilters.get(lang), s.test, T::TestRows.get(lang)) }
                </p>
            </section>
            <section class="card" aria-labelledby="before-after-title">
                <h2 id="before-after-title">{ T::BeforeAfter.get(lang) }</h2>
                <p class="hint">{ T::StdNote.get(lang) }</p>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="before-after-title">
                    <table id="before-after">
                        <thead>
                            <tr><th scope="col">{ T::ColName.get(lang) }</th>
                                <th scope="col">{ format!("{} {}", T::StatMean.get(lang), T::Before.get(lang)) }</th>
                                <th scope="col">{ format!("{} {}", T::StatStd.get(lang), T::Before.get(lang)) }</th>
                                <th scope="col">{ format!("{} {}", T::StatMean.get(lang), T::After.get(lang)) }</th>
                                <th scope="col">{ format!("{} {}", T::StatStd.get(lang), T::After.get(lang)) }</th></tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                { scatter.unwrap_or_default() }
            </section>
            <section class="card" aria-labelledby="preview-title">
                <h2 id="preview-title">{ T::PreviewTitle.get(lang) }</h2>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="preview-title">
                    <table id="preview">
                        <thead><tr>{ for pre.output_names.iter().map(|n| html! { <th scope="col">{ n }</th> }) }<th scope="col">{ &recipe.target }</th></tr></thead>
                        <tbody>{ for preview_rows }</tbody>
                    </table>
                </div>
                <h3>{ T::Downloads.get(lang) }</h3>
                <div class="control-row">
                    <button type="button" id="download-train" onclick={on_train}>{ T::DownloadTrain.get(lang) }</button>
                    <button type="button" id="download-test" onclick={on_test}>{ T::DownloadTest.get(lang) }</button>
                </div>
            </section>
        </>
    }
}

fn stat_row(
    name: &str,
    before: &crate::engine::data::summary::NumericSummary,
    after: &crate::engine::data::summary::NumericSummary,
) -> Html {
    // Rounding leaves means like 2e-16 after centring: show them as the 0 they are.
    let f = |v: f64| format_number(if v.abs() < 1e-9 { 0.0 } else { v }, false);
    html! {
        <tr data-column={name.to_string()}>
            <th scope="row">{ name }</th>
            <td class="num">{ f(before.mean) }</td>
            <td class="num">{ f(before.std) }</td>
            <td class="num after-mean">{ f(after.mean) }</td>
            <td class="num after-std">{ f(after.std) }</td>
        </tr>
    }
}
