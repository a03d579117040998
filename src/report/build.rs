//! Assembling the report from the pieces of a session (or of a command-line walk-through).

use std::collections::{BTreeMap, BTreeSet};

use super::{Block, Report, Section};
use crate::chart::{specs, Chart};
use crate::engine::data::table::{format_number, ColumnData, Table};
use crate::engine::diagnose::{analyze, Analysis, AnalysisConfig, FindingAction};
use crate::engine::pipeline::recipe::{run, Metrics, ModelSpec, Recipe, RunResult, TargetScale};
use crate::engine::value::formula;
use crate::engine::value::payback::PaybackCase;
use crate::engine::Result;
use crate::engine::Task;
use crate::i18n::l;
use crate::i18n::{finding_text, Lang, T};
use crate::session::{BusinessState, DataRequest, DEFAULT_THRESHOLD};

/// Everything a report is made of; each piece is optional where the learner may not have got
/// that far.
#[derive(Debug, Clone)]
pub struct Parts<'a> {
    pub lang: Lang,
    pub dataset: String,
    pub business: &'a BusinessState,
    /// The diagnosis and the ids of the accepted findings.
    pub analysis: Option<(&'a Analysis, &'a BTreeSet<String>)>,
    pub request: &'a DataRequest,
    /// The recipe the models were trained with, their results and the table they came from.
    pub trained: Option<(&'a Recipe, &'a RunResult, &'a Table)>,
    pub threshold: f64,
    /// The learner's notes by section id.
    pub notes: &'a BTreeMap<String, String>,
    /// The conversation exercises answered so far: step, point, roles chosen, request type,
    /// draft, the model answer's roles and type.
    pub conversations: Vec<[String; 7]>,
}

use crate::i18n::format::{break_even_text as break_even, yen};

fn num(v: f64) -> String {
    if v.is_nan() {
        "–".into()
    } else if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.4}")
    }
}

fn business(p: &Parts) -> Section {
    let lang = p.lang;
    let mut blocks = vec![Block::Para(
        l(
            lang,
            "What the ML feature is worth, in money a customer would recognise: three estimates of the same checking work, each paid back against the development and operation costs.",
            "ML 機能の価値を、顧客にも伝わる金額で表します。同じ検品業務について 3 つの見積もりを立て、開発費と運用費を回収できるかを比べました。",
        )
        .into(),
    )];
    let cases: Vec<(String, PaybackCase)> = p
        .business
        .scenarios
        .iter()
        .filter(|s| s.inputs.validate().is_empty())
        .map(|s| (s.name.clone(), s.inputs.case()))
        .collect();
    blocks.push(Block::Table {
        head: vec![
            l(lang, "Scenario", "シナリオ").into(),
            l(lang, "Value per day", "1 日あたりの価値").into(),
            l(lang, "Operation per day", "1 日あたりの運用費").into(),
            l(lang, "Net per day", "1 日あたりの純価値").into(),
            T::BreakEven.get(lang).into(),
            l(lang, "Net at the horizon", "期間末の累積純価値").into(),
        ],
        rows: cases
            .iter()
            .map(|(name, c)| {
                let e = c.evaluate();
                vec![
                    name.clone(),
                    yen(lang, e.value_per_day),
                    yen(lang, e.op_cost_per_day),
                    yen(lang, e.net_per_day),
                    break_even(lang, c),
                    yen(lang, e.final_value),
                ]
            })
            .collect(),
    });
    if !cases.is_empty() {
        blocks.push(Block::Chart {
            name: "payback".into(),
            caption: l(
                lang,
                "Cumulative net value per scenario",
                "シナリオ別の累積純価値",
            )
            .into(),
            chart: Chart::Line(specs::payback(
                &cases,
                T::ChartDay.get(lang),
                T::ChartYen.get(lang),
                T::BreakEven.get(lang),
            )),
            width: 760,
            height: 340,
        });
    }
    blocks.push(Block::Correction(
        l(
            lang,
            "Changed from the original notebook: it subtracted the monthly operation cost every day. Here a month's cost is spread over its days (× 12 / 365), so the figures above are in yen per day throughout.",
            "元のノートブックからの変更: 月額の運用費を毎日差し引いていました。ここでは月額を日割り（× 12 / 365）にしているので、上の数字はすべて 1 日あたりの円です。",
        )
        .into(),
    ));
    let f = &p.business.formula;
    let vars: std::collections::HashMap<String, f64> = f.variables.iter().cloned().collect();
    let mut formula = format!("{}\n", f.expression);
    for (name, v) in &f.variables {
        formula.push_str(&format!("  {name} = {}\n", format_number(*v, false)));
    }
    blocks.push(Block::Para(
        l(
            lang,
            "The learner's own value formula:",
            "学習者自身の価値の式:",
        )
        .into(),
    ));
    blocks.push(Block::Pre(formula));
    match formula::evaluate(&f.expression, &vars) {
        Ok(v) => {
            let case = PaybackCase {
                value_per_day: v,
                dev_cost_yen: f.dev_cost_yen,
                op_cost_yen_per_month: f.op_cost_yen_per_month,
                horizon_years: f.horizon_years,
            };
            blocks.push(Block::Para(format!(
                "{} {} · {}: {}",
                l(lang, "Value per day:", "1 日あたりの価値:"),
                yen(lang, v),
                T::BreakEven.get(lang),
                break_even(lang, &case)
            )));
        }
        Err(e) => blocks.push(Block::Para(crate::i18n::expr_error_text(lang, &e))),
    }
    let answers: Vec<String> = p
        .business
        .case_answers
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.trim().is_empty())
        .map(|(i, a)| format!("{} {}: {}", l(lang, "Case", "ケース"), i + 1, a.trim()))
        .collect();
    if !answers.is_empty() {
        blocks.push(Block::List(answers));
    }
    Section {
        id: "business",
        title: T::NavBusiness.get(lang).to_string(),
        blocks,
    }
}

fn analyze_section(p: &Parts) -> Section {
    let lang = p.lang;
    let mut blocks = Vec::new();
    let Some((a, accepted)) = p.analysis else {
        blocks.push(Block::Para(
            l(lang, "No diagnosis yet.", "まだ診断していません。").into(),
        ));
        return Section {
            id: "analyze",
            title: T::NavAnalyze.get(lang).to_string(),
            blocks,
        };
    };
    blocks.push(Block::Para(format!(
        "{}: {} · {} {} · {} {} · {}: {}",
        l(lang, "Data", "データ"),
        p.dataset,
        a.rows,
        l(lang, "rows", "行"),
        a.columns,
        l(lang, "columns", "列"),
        l(lang, "target", "目的変数"),
        a.target
    )));
    let missing = specs::missing(a, 50.0, "%");
    if !missing.bars.is_empty() {
        let h = (60 + 18 * missing.bars.len()).min(900) as u32;
        blocks.push(Block::Chart {
            name: "missing".into(),
            caption: T::MissingTitle.get(lang).into(),
            chart: Chart::Bars(missing),
            width: 760,
            height: h,
        });
    }
    let rel = specs::target_relations(a, T::Strength.get(lang));
    if !rel.bars.is_empty() {
        let h = (60 + 14 * rel.bars.len()).min(1000) as u32;
        blocks.push(Block::Chart {
            name: "relations".into(),
            caption: T::RelationsTitle.get(lang).into(),
            chart: Chart::Bars(rel),
            width: 760,
            height: h,
        });
    }
    if specs::drawable(&a.numeric_corr) {
        blocks.push(Block::Chart {
            name: "correlation".into(),
            caption: T::NumericPairsTitle.get(lang).into(),
            chart: Chart::Heatmap(specs::heatmap(&a.numeric_corr, true)),
            width: 760,
            height: 760,
        });
    }
    if specs::drawable(&a.cramers_v.matrix) {
        blocks.push(Block::Chart {
            name: "cramers_v".into(),
            caption: T::CategoricalPairsTitle.get(lang).into(),
            chart: Chart::Heatmap(specs::heatmap(&a.cramers_v.matrix, false)),
            width: 760,
            height: 760,
        });
    }
    blocks.push(Block::Correction(
        l(
            lang,
            "Changed from the original notebook: it reported χ² / (n·(k − 1)), which is V², under the name Cramér's V. The heatmap and findings here use V itself (the square root), with k the smaller of the table's row and column counts.",
            "元のノートブックからの変更: χ² / (n·(k − 1)) つまり V² を「クラメールの V」と呼んでいました。ここでは平方根をとった V そのもの（k は分割表の行数と列数の小さい方）を使っています。",
        )
        .into(),
    ));
    blocks.push(Block::Table {
        head: vec![
            l(lang, "Finding", "所見").into(),
            l(lang, "Decision", "判断").into(),
        ],
        rows: a
            .findings
            .iter()
            .map(|f| {
                let decision = if f.action.is_none() {
                    l(lang, "for information", "参考情報")
                } else if accepted.contains(&f.id) {
                    l(
                        lang,
                        "accepted: applied in Preprocess",
                        "採用: 前処理で適用",
                    )
                } else {
                    l(lang, "rejected: kept as is", "不採用: そのまま")
                };
                vec![finding_text(lang, &f.kind), decision.into()]
            })
            .collect(),
    });
    Section {
        id: "analyze",
        title: T::NavAnalyze.get(lang).to_string(),
        blocks,
    }
}

fn prepare_section(p: &Parts) -> Section {
    let lang = p.lang;
    let blocks = if p.request.is_drafted() {
        vec![
            Block::Para(
                l(
                    lang,
                    "The data request sent to the team that owns the data, by 5W1H:",
                    "データを持つチームへのデータ依頼（5W1H）:",
                )
                .into(),
            ),
            Block::Pre(p.request.to_markdown(lang, Some(&p.dataset))),
        ]
    } else {
        vec![Block::Para(
            l(
                lang,
                "No data request drafted yet.",
                "データ依頼はまだ書かれていません。",
            )
            .into(),
        )]
    };
    Section {
        id: "prepare",
        title: T::NavPrepare.get(lang).to_string(),
        blocks,
    }
}

fn recipe_lines(lang: Lang, r: &Recipe) -> Vec<String> {
    let mut out = vec![format!(
        "{}: {} ({})",
        l(lang, "Target", "目的変数"),
        r.target,
        match r.task {
            Some(Task::Classification) => l(lang, "classification", "分類"),
            _ => l(lang, "regression", "回帰"),
        }
    )];
    out.push(format!(
        "{}: {}",
        l(lang, "Excluded columns", "除外した列"),
        if r.exclude.is_empty() {
            "–".into()
        } else {
            r.exclude.join(", ")
        }
    ));
    for f in &r.train_filters {
        out.push(format!(
            "{}: {} {} {}",
            l(lang, "Training rows only", "学習データのみ"),
            f.min
                .map(|m| format!("{} ≤", format_number(m, false)))
                .unwrap_or_default(),
            f.column,
            f.max
                .map(|m| format!("≤ {}", format_number(m, false)))
                .unwrap_or_default(),
        ));
    }
    out.push(format!(
        "{}: test_size = {}, shuffle = {}, random_state = {}, stratify = {}",
        l(lang, "Split", "分割"),
        r.split.test_size,
        r.split.shuffle,
        r.split.random_state,
        r.split.stratify
    ));
    // Settings under the recipe's (scikit-learn's) names: median, most_frequent, onehot …
    let name = |v: serde_json::Result<serde_json::Value>| {
        v.ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    };
    out.push(format!(
        "{}: impute {}, scale {}; {}: impute {}, encode {}; {}: {}",
        l(lang, "Numbers", "数値列"),
        name(serde_json::to_value(r.numeric.impute)),
        name(serde_json::to_value(r.numeric.scale)),
        l(lang, "categories", "カテゴリ列"),
        name(serde_json::to_value(r.categorical.impute)),
        name(serde_json::to_value(r.categorical.encode)),
        l(lang, "target standardised", "目的変数の標準化"),
        r.target_scale == TargetScale::Standard
    ));
    out
}

fn preprocess_section(p: &Parts) -> Section {
    let lang = p.lang;
    let blocks = match p.trained {
        Some((recipe, result, _)) => vec![
            Block::List(recipe_lines(lang, recipe)),
            Block::Para(format!(
                "{}: {} · {}: {} ({} {})",
                l(lang, "Training rows", "学習データ"),
                result.split.train,
                l(lang, "test rows", "テストデータ"),
                result.split.test,
                result.split.train_after_filters,
                l(lang, "after the filters", "行がフィルター後に残りました"),
            )),
            Block::Para(
                l(
                    lang,
                    "Every statistic used to impute, scale and encode was fitted on the training rows only, so the test rows stay unseen.",
                    "補完・標準化・エンコードに使う統計量はすべて学習データだけから求めたので、テストデータは未知のままです。",
                )
                .into(),
            ),
        ],
        None => vec![Block::Para(
            l(lang, "No models trained yet.", "まだモデルを学習していません。").into(),
        )],
    };
    Section {
        id: "preprocess",
        title: T::NavPreprocess.get(lang).to_string(),
        blocks,
    }
}

fn train_section(p: &Parts) -> Section {
    let lang = p.lang;
    let mut blocks = Vec::new();
    if let Some((recipe, result, _)) = p.trained {
        blocks.push(Block::Table {
            head: vec![
                l(lang, "Model", "モデル").into(),
                l(lang, "Hyperparameters", "ハイパーパラメータ").into(),
            ],
            rows: recipe
                .models
                .iter()
                .map(|spec| {
                    let name = crate::i18n::models::model_name(spec.kind(), lang);
                    let params = spec.params_text(false);
                    let kind = spec.kind();
                    vec![
                        match lang {
                            Lang::En => format!("{name} ({kind})"),
                            Lang::Ja => format!("{name}（{kind}）"),
                        },
                        if params.is_empty() {
                            "–".into()
                        } else {
                            params
                        },
                    ]
                })
                .collect(),
        });
        for (i, m) in result.models.iter().enumerate() {
            let Some(imp) = m.model.importances() else {
                continue;
            };
            let mut pairs: Vec<(String, f64)> = m.feature_names.iter().cloned().zip(imp).collect();
            pairs.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
            pairs.truncate(15);
            let top: f64 = pairs.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
            let lo = pairs.iter().map(|p| p.1).fold(0.0, f64::min);
            blocks.push(Block::Chart {
                name: format!("importance_{i}_{}", m.kind),
                caption: format!(
                    "{} — {}",
                    model_name(&recipe.models[i], lang),
                    l(
                        lang,
                        "largest weights or importances",
                        "係数・重要度の大きい順"
                    )
                ),
                chart: Chart::Bars(crate::chart::BarChart {
                    value_label: l(lang, "weight", "重み").into(),
                    bars: pairs
                        .into_iter()
                        .map(|(label, value)| crate::chart::Bar {
                            label,
                            value,
                            highlight: false,
                        })
                        .collect(),
                    domain: (lo.min(0.0), top.max(f64::MIN_POSITIVE)),
                    threshold: None,
                }),
                width: 760,
                height: 340,
            });
        }
    } else {
        blocks.push(Block::Para(
            l(
                lang,
                "No models trained yet.",
                "まだモデルを学習していません。",
            )
            .into(),
        ));
    }
    Section {
        id: "train",
        title: T::NavTrain.get(lang).to_string(),
        blocks,
    }
}

/// A model's display name with its main hyperparameters, from the model catalogue and its
/// texts: "Elastic net (alpha=1, l1_ratio=0.05)".
pub fn model_name(spec: &ModelSpec, lang: Lang) -> String {
    crate::i18n::models::model_label(spec, lang)
}

fn test_section(p: &Parts) -> Section {
    let lang = p.lang;
    let mut blocks = Vec::new();
    let Some((recipe, result, table)) = p.trained else {
        blocks.push(Block::Para(
            l(
                lang,
                "No models trained yet.",
                "まだモデルを学習していません。",
            )
            .into(),
        ));
        return Section {
            id: "test",
            title: T::NavTest.get(lang).to_string(),
            blocks,
        };
    };
    let regression = result.task == Task::Regression;
    let metric = if regression {
        "R²"
    } else {
        l(lang, "accuracy", "正解率")
    };
    blocks.push(Block::Para(format!(
        "{} {metric} ≥ {}",
        l(lang, "Usable if", "使えると判断する条件:"),
        p.threshold
    )));
    let head: Vec<String> = if regression {
        ["R²", "RMSE", "MAE", "MAPE"].map(String::from).to_vec()
    } else {
        [
            "accuracy",
            "precision (macro)",
            "recall (macro)",
            "F1 (macro)",
            "ROC AUC",
        ]
        .map(String::from)
        .to_vec()
    };
    let mut full_head = vec![l(lang, "Model", "モデル").to_string()];
    full_head.extend(head);
    full_head.push(l(lang, "Verdict", "判定").into());
    blocks.push(Block::Table {
        head: full_head,
        rows: recipe
            .models
            .iter()
            .zip(&result.models)
            .map(|(spec, m)| {
                let mut row = vec![model_name(spec, lang)];
                match &m.test {
                    Metrics::Regression(r) => {
                        row.extend([num(r.r2), num(r.rmse), num(r.mae), num(r.mape)])
                    }
                    Metrics::Classification(c) => row.extend([
                        num(c.accuracy),
                        num(c.precision_macro),
                        num(c.recall_macro),
                        num(c.f1_macro),
                        c.roc_auc.map_or("–".into(), num),
                    ]),
                }
                row.push(if m.test.headline() >= p.threshold {
                    l(lang, "pass", "合格").into()
                } else {
                    l(lang, "fail", "不合格").into()
                });
                row
            })
            .collect(),
    });
    if regression {
        if let Some(ColumnData::Numeric { values, .. }) =
            table.column(&result.target).map(|c| &c.data)
        {
            let actual: Vec<f64> = result.test_rows.iter().map(|&r| values[r]).collect();
            for (i, m) in result.models.iter().enumerate() {
                blocks.push(Block::Chart {
                    name: format!("actual_predicted_{i}_{}", m.kind),
                    caption: format!(
                        "{} — {}",
                        model_name(&recipe.models[i], lang),
                        l(lang, "actual and predicted", "実測値と予測値")
                    ),
                    chart: Chart::Histogram(specs::actual_predicted(
                        &actual,
                        &m.test_predictions,
                        &result.target,
                        T::Frequency.get(lang),
                        (T::Actual.get(lang), T::Predicted.get(lang)),
                    )),
                    width: 760,
                    height: 300,
                });
            }
        }
    }
    blocks.push(Block::Correction(
        l(
            lang,
            "Changed from the original notebook: its text quoted an R² that its own code does not produce. Every figure here is computed from this run, on the test rows only.",
            "元のノートブックからの変更: 本文に書かれた R² は、そのコードでは出ない値でした。ここにある数字はすべてこの実行でテストデータだけから計算したものです。",
        )
        .into(),
    ));
    Section {
        id: "test",
        title: T::NavTest.get(lang).to_string(),
        blocks,
    }
}

fn conversations_section(p: &Parts) -> Section {
    let lang = p.lang;
    let blocks = if p.conversations.is_empty() {
        vec![Block::Para(
            l(
                lang,
                "No conversation exercises answered yet.",
                "コミュニケーション演習はまだ回答されていません。",
            )
            .into(),
        )]
    } else {
        vec![Block::Table {
            head: vec![
                l(lang, "Step", "ステップ").into(),
                l(lang, "Point", "論点").into(),
                l(lang, "Asked", "依頼先").into(),
                l(lang, "Type", "依頼の種類").into(),
                l(lang, "Draft", "依頼文").into(),
                l(lang, "Model answer", "模範解答").into(),
                l(lang, "Its type", "模範の種類").into(),
            ],
            rows: p.conversations.iter().map(|r| r.to_vec()).collect(),
        }]
    };
    Section {
        id: "conversations",
        title: l(lang, "Conversations", "コミュニケーション").into(),
        blocks,
    }
}

/// Build the report from its parts; each section ends with the learner's note, if any.
pub fn build(p: &Parts) -> Report {
    let mut sections = vec![
        business(p),
        analyze_section(p),
        prepare_section(p),
        preprocess_section(p),
        train_section(p),
        test_section(p),
        conversations_section(p),
    ];
    for s in &mut sections {
        if let Some(note) = p.notes.get(s.id).filter(|n| !n.trim().is_empty()) {
            s.blocks.push(Block::Note(note.trim().to_string()));
        }
    }
    Report {
        lang: p.lang,
        title: format!(
            "{} — {}",
            l(p.lang, "mlplay report", "mlplay レポート"),
            p.dataset
        ),
        dataset: p.dataset.clone(),
        sections,
    }
}

/// The command line's walk-through: the lesson's value scenarios, the default diagnosis of
/// `table` with every finding the recipe applies counted as accepted, and the recipe's models
/// trained — what a learner who followed the workshop on this data would show.
pub fn walkthrough(
    table: &Table,
    recipe: &Recipe,
    dataset: &str,
    lang: Lang,
) -> Result<(Report, RunResult)> {
    let result = run(table, recipe, &mut |_| {})?;
    let mut cfg = AnalysisConfig::new(recipe.target.clone());
    cfg.task = recipe.task;
    let analysis = analyze(table, &cfg)?;
    let accepted: BTreeSet<String> = analysis
        .findings
        .iter()
        .filter(|f| match &f.action {
            Some(FindingAction::Exclude(c)) => recipe.exclude.contains(c),
            Some(FindingAction::TrainFilter { column, .. }) => {
                recipe.train_filters.iter().any(|t| &t.column == column)
            }
            None => false,
        })
        .map(|f| f.id.clone())
        .collect();
    let business = BusinessState::lesson(lang);
    let mut recipe = recipe.clone();
    recipe.task = Some(result.task);
    let notes = BTreeMap::new();
    let request = DataRequest::default();
    let report = build(&Parts {
        lang,
        dataset: dataset.to_string(),
        business: &business,
        analysis: Some((&analysis, &accepted)),
        request: &request,
        trained: Some((&recipe, &result, table)),
        threshold: DEFAULT_THRESHOLD,
        notes: &notes,
        conversations: Vec::new(),
    });
    Ok((report, result))
}

/// The report of a learner's session, as far as they got.
pub fn from_session(s: &crate::session::Session) -> Report {
    let analysis = s.analyze.as_ref().and_then(|a| {
        a.result
            .as_ref()
            .ok()
            .map(|r| (&**r as &Analysis, &a.accepted))
    });
    let dataset = s
        .dataset
        .as_ref()
        .map(|d| d.source.label())
        .unwrap_or_else(|| "–".into());
    let trained = match (&s.trained, &s.dataset) {
        (Some(t), Some(d)) => Some((&t.recipe, &*t.result, &d.parsed.loaded.table)),
        _ => None,
    };
    build(&Parts {
        lang: s.lang,
        dataset,
        business: &s.business,
        analysis,
        request: &s.data_request,
        trained,
        threshold: s.threshold(),
        notes: &s.notes,
        conversations: crate::comms::report_rows(&s.answers, s.lang),
    })
}
