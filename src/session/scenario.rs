//! The communication exercise's scenario for each step, worded from the learner's own results.

use crate::i18n::l;
use crate::route::Route;
use crate::session::Session;

/// The scenario for a step, worded from the learner's own results where they exist.
pub fn scenario(s: &Session, step: Route) -> String {
    let lang = s.lang;
    let data = s
        .dataset
        .as_ref()
        .map(|d| d.source.label())
        .unwrap_or_else(|| l(lang, "your data", "あなたのデータ").into());
    match step {
        Route::Business => {
            let cases: Vec<String> = s
                .business
                .scenarios
                .iter()
                .filter(|sc| sc.inputs.validate().is_empty())
                .map(|sc| {
                    let p = sc.inputs.case().evaluate();
                    match p.break_even_day {
                        Some(d) => format!("{} → {}", sc.name, crate::i18n::day_text(lang, d)),
                        None => format!("{} → {}", sc.name, l(lang, "does not pay back", "回収できない")),
                    }
                })
                .collect();
            format!(
                "{} {}. {}",
                l(lang, "Your payback scenarios:", "あなたの回収シナリオ:"),
                cases.join("; "),
                l(lang, "Before anyone builds a model, these figures and the formula behind them must be owned by the right people.", "モデルを作る前に、これらの数字とその元の式を、しかるべき人に持ってもらう必要があります。")
            )
        }
        Route::Analyze => match s.analyze.as_ref().and_then(|a| a.result.as_ref().ok().map(|r| (r, &a.accepted))) {
            Some((a, accepted)) => {
                let excl = s.finding_exclusions();
                format!(
                    "{} {} ({} {}, {} {}): {} {} {} {}. {}",
                    l(lang, "Your diagnosis of", "あなたの診断:"),
                    data,
                    a.rows,
                    l(lang, "rows", "行"),
                    a.columns,
                    l(lang, "columns", "列"),
                    a.findings.len(),
                    l(lang, "findings, of which you accepted", "件の所見のうち採用したのは"),
                    accepted.len(),
                    if excl.is_empty() {
                        String::new()
                    } else {
                        format!("({} {})", l(lang, "dropping", "削除:"), excl.into_iter().take(8).collect::<Vec<_>>().join(", "))
                    },
                    l(lang, "Others must confirm what the columns mean before you build on these decisions.", "この判断を前提に進む前に、列の意味を他の人に確かめてもらう必要があります。")
                )
            }
            None => format!("{} {}", l(lang, "Diagnose the data in step 2 first; meanwhile, think about who knows what the columns of", "まずステップ 2 で診断しましょう。その間に、誰が列の意味を知っているか考えましょう:"), data),
        },
        Route::Prepare => {
            let gaps = s.request_gaps(lang);
            format!(
                "{} {}",
                if s.data_request.is_drafted() {
                    l(lang, "Your data request is drafted.", "データ依頼の下書きができています。")
                } else {
                    l(lang, "Your data request is not drafted yet.", "データ依頼はまだ書かれていません。")
                },
                if gaps.is_empty() {
                    l(lang, "Now the data has to be collected, the pipeline estimated and the legal limits checked.", "次はデータの収集、パイプラインの見積もり、法的な制約の確認です。").to_string()
                } else {
                    format!("{} {gaps}", l(lang, "It must fill these gaps:", "埋めるべき不足:"))
                }
            )
        }
        Route::Preprocess => match s.recipe(s.chosen_models()) {
            Some(r) => format!(
                "{} {} {}{}. {}",
                l(lang, "You exclude", "除外する列:"),
                r.exclude.len(),
                l(lang, "columns", "列"),
                r.train_filters
                    .iter()
                    .map(|f| format!(
                        ", {} {} {}",
                        l(lang, "and keep training rows with", "学習データは次の範囲のみ:"),
                        f.column,
                        f.max.map(|m| format!("≤ {}", crate::engine::data::table::format_number(m, false))).unwrap_or_default()
                    ))
                    .collect::<String>(),
                l(lang, "Someone does this cleaning today, and the product side must know what the model will not see.", "このデータを今整えている人がいて、プロダクト側はモデルが見ないものを知っておく必要があります。")
            ),
            None => l(lang, "Decide the preprocessing in step 4 first.", "まずステップ 4 で前処理を決めましょう。").into(),
        },
        Route::Train | Route::Test => match &s.trained {
            Some(t) => {
                let best = t
                    .result
                    .models
                    .iter()
                    .zip(&t.recipe.models)
                    .max_by(|a, b| a.0.test.headline().total_cmp(&b.0.test.headline()));
                let (metric, th) = (
                    if t.result.task == crate::engine::Task::Regression { "R²" } else { l(lang, "accuracy", "正解率") },
                    s.threshold(),
                );
                match best {
                    Some((m, spec)) => format!(
                        "{} {} {}: {} {metric} {:.3} ({} {th}: {}).",
                        t.result.models.len(),
                        l(lang, "models trained; the best is", "個のモデルを学習し、最良は"),
                        crate::i18n::models::model_label(spec, lang),
                        l(lang, "test", "テストの"),
                        m.test.headline(),
                        l(lang, "usable if ≥", "使える条件 ≥"),
                        if m.test.headline() >= th { l(lang, "pass", "合格") } else { l(lang, "fail", "不合格") }
                    ),
                    None => String::new(),
                }
            }
            None => l(lang, "Train models in step 5 first; the exercise still works without them.", "まずステップ 5 でモデルを学習しましょう（学習前でも演習はできます）。").into(),
        },
        _ => String::new(),
    }
}
