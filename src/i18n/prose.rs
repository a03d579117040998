//! Sentences assembled from engine results: findings, formula errors, days, preset names.

use super::{Lang, T};

/// The translated sentence for a diagnosis finding.
pub fn finding_text(lang: Lang, f: &crate::engine::diagnose::FindingKind) -> String {
    use crate::engine::data::table::format_number as num;
    use crate::engine::diagnose::FindingKind::*;
    match (lang, f) {
        (Lang::En, MostlyMissing { column, percent }) => format!("{column} is {percent:.1}% missing: drop it."),
        (Lang::Ja, MostlyMissing { column, percent }) => format!("{column} は {percent:.1}% が欠損しています。削除しましょう。"),
        (Lang::En, Correlated { drop, keep, r, n }) => format!("{drop} correlates with {keep} (r = {r:.3}, from {n} rows where both are present): drop {drop}, keep {keep}."),
        (Lang::Ja, Correlated { drop, keep, r, n }) => format!("{drop} は {keep} と強く相関しています（r = {r:.3}、両方がそろっている {n} 行で計算）。{drop} を削除し、{keep} を残しましょう。"),
        (Lang::En, Associated { drop, keep, v, n }) => format!("{drop} is associated with {keep} (Cramér's V = {v:.3}, from {n} rows where both are present): drop {drop}."),
        (Lang::Ja, Associated { drop, keep, v, n }) => format!("{drop} は {keep} と強く関連しています（クラメールの V = {v:.3}、両方がそろっている {n} 行で計算）。{drop} を削除しましょう。"),
        (Lang::En, ThinAssociation { a, b, v, n, low_expected_pct }) => format!(
            "{b} looks associated with {a} (Cramér's V = {v:.3}, from {n} rows where both are present, {low_expected_pct:.0}% of the expected counts under 5), but that is too little evidence to drop {b}: it is shown, not recommended."
        ),
        (Lang::Ja, ThinAssociation { a, b, v, n, low_expected_pct }) => format!(
            "{b} は {a} と関連しているように見えます（クラメールの V = {v:.3}、両方がそろっている {n} 行で計算、期待度数の {low_expected_pct:.0}% が 5 未満）。ただし、{b} を削除する根拠としては不十分なので、表示だけにとどめます。"
        ),
        (Lang::En, TooManyLevels { column, levels, max }) => format!(
            "{column} has {levels} different values (more than {max}), so it is not paired with Cramér's V: with that many categories V is close to 1 whatever the data."
        ),
        (Lang::Ja, TooManyLevels { column, levels, max }) => format!(
            "{column} は値が {levels} 種類あり（上限は {max} 種類）、クラメールの V の計算から外しました。これほどカテゴリが多いと、データに関係なく V は 1 に近くなります。"
        ),
        (Lang::En, FreeText { column }) => format!("{column} is free text (long, mostly different strings), not a feature: it is left out unless you keep it."),
        (Lang::Ja, FreeText { column }) => format!("{column} は自由記述の文章（長く、ほとんどが異なる文字列）で、特徴量には向きません。残すと決めない限り使いません。"),
        (Lang::En, TargetOutliers { column, upper, lower, above, below }) => format!(
            "{column}: {above} rows above {} and {below} below {} (Tukey's fences): keep only training rows inside.",
            num(*upper, false), num(*lower, false)
        ),
        (Lang::Ja, TargetOutliers { column, upper, lower, above, below }) => format!(
            "{column}: {} を上回る行が {above} 行、{} を下回る行が {below} 行あります（テューキーの境界）。学習データでは範囲内の行だけを使いましょう。",
            num(*upper, false), num(*lower, false)
        ),
        (Lang::En, IdLike { column }) => format!("{column} looks like an identifier, not a feature: it is left out unless you keep it."),
        (Lang::Ja, IdLike { column }) => format!("{column} は特徴量ではなく ID のようです。残すと決めない限り使いません。"),
        (Lang::En, Constant { column }) => format!("{column} has a single value: it cannot help a model, so it is left out unless you keep it."),
        (Lang::Ja, Constant { column }) => format!("{column} は値が 1 種類しかなく、モデルの役に立ちません。残すと決めない限り使いません。"),
        (Lang::En, NumericText { column }) => format!("{column} is mostly numbers with some text: check the stray values with the data owner."),
        (Lang::Ja, NumericText { column }) => format!("{column} はほぼ数値ですが一部に文字列があります。データの持ち主と確認しましょう。"),
        (Lang::En, ClassImbalance { smallest, smallest_count, largest, largest_count }) => format!(
            "Classes are imbalanced: {smallest} has {smallest_count} rows, {largest} has {largest_count}. Accuracy alone will mislead; look at precision and recall."
        ),
        (Lang::Ja, ClassImbalance { smallest, smallest_count, largest, largest_count }) => format!(
            "クラスが偏っています: {smallest} は {smallest_count} 行、{largest} は {largest_count} 行です。正解率だけでは誤解を招くので、適合率と再現率も見ましょう。"
        ),
        (Lang::En, FewRowsPerFeature { rows, features }) => format!("{rows} rows for {features} features is few (under 10 per feature): collect more data or use fewer columns."),
        (Lang::Ja, FewRowsPerFeature { rows, features }) => format!("特徴量 {features} 個に対して {rows} 行は少なめです（1 特徴量あたり 10 行未満）。データを増やすか列を減らしましょう。"),
        (Lang::En, FewRowsPerClass { class, count }) => format!("Class {class} has only {count} rows: collect more examples of it."),
        (Lang::Ja, FewRowsPerClass { class, count }) => format!("クラス {class} は {count} 行しかありません。この例を増やしましょう。"),
    }
}

/// The translated message for a formula error.
pub fn expr_error_text(lang: Lang, e: &crate::engine::value::formula::ExprError) -> String {
    use crate::engine::value::formula::ExprError::*;
    let at = |pos: &usize| format!(" ({} {})", T::AtPosition.get(lang), pos + 1);
    match e {
        Empty => T::ErrEmpty.get(lang).to_string(),
        UnexpectedChar { pos, ch } => {
            format!("{} “{ch}”{}", T::ErrUnexpectedChar.get(lang), at(pos))
        }
        UnexpectedEnd { pos } => format!("{}{}", T::ErrUnexpectedEnd.get(lang), at(pos)),
        Expected { pos, what } => {
            let what = match (lang, *what) {
                (Lang::Ja, "value") => "値",
                (Lang::Ja, "operator") => "演算子",
                (Lang::En, "value") => "a value",
                (Lang::En, "operator") => "an operator",
                (_, w) => w,
            };
            format!("{} {what}{}", T::ErrExpected.get(lang), at(pos))
        }
        UnclosedParen { pos } => format!("{}{}", T::ErrUnclosed.get(lang), at(pos)),
        UnknownVariable { pos, name } => {
            format!("{} “{name}”{}", T::ErrUnknownVar.get(lang), at(pos))
        }
        DivisionByZero { pos } => format!("{}{}", T::ErrDivZero.get(lang), at(pos)),
        BadNumber { pos } => format!("{}{}", T::ErrBadNumber.get(lang), at(pos)),
        CommaInNumber { pos } => format!("{}{}", T::ErrCommaInNumber.get(lang), at(pos)),
        TooLong { pos, limit } => match lang {
            Lang::En => format!(
                "The formula is too long: at most {limit} characters.{}",
                at(pos)
            ),
            Lang::Ja => format!(
                "式が長すぎます。{limit} 文字以内で書いてください。{}",
                at(pos)
            ),
        },
        TooDeep { pos, limit } => match lang {
            Lang::En => format!(
                "Parentheses and signs are nested too deeply: at most {limit} levels.{}",
                at(pos)
            ),
            Lang::Ja => format!(
                "括弧や符号の入れ子が深すぎます。{limit} 段以内にしてください。{}",
                at(pos)
            ),
        },
    }
}

/// "day 64" / "64 日目".
pub fn day_text(lang: Lang, d: u32) -> String {
    match lang {
        Lang::En => format!("day {d}"),
        Lang::Ja => format!("{d} 日目"),
    }
}

/// The lesson's name for a value preset.
pub fn preset_name(lang: Lang, p: crate::engine::value::payback::Preset) -> &'static str {
    use crate::engine::value::payback::Preset::*;
    match (lang, p) {
        (Lang::En, Initial) => "A: initial estimate",
        (Lang::Ja, Initial) => "A: 当初の見積もり",
        (Lang::En, Revised) => "B: after the first model",
        (Lang::Ja, Revised) => "B: 最初のモデルの後",
        (Lang::En, Negotiated) => "C: agreed with the checking team",
        (Lang::Ja, Negotiated) => "C: 検査チームと合意した案",
    }
}

/// The reading note for a column whose formatted numbers were converted: which column, how
/// many cells, what was removed, how percentages were read, and how to keep the text.
pub fn conversion_note(lang: Lang, c: &crate::engine::data::reader::Conversion) -> String {
    let kinds: [(u64, &str, &str); 4] = [
        (c.thousands, "thousands separators", "桁区切り"),
        (c.currency, "currency signs", "通貨記号"),
        (c.percent, "percent signs", "パーセント記号"),
        (c.fullwidth, "full-width characters", "全角文字"),
    ];
    let found: Vec<String> = kinds
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, en, ja)| match lang {
            Lang::En => format!("{en} in {n}"),
            Lang::Ja => format!("{ja} {n} 個"),
        })
        .collect();
    let column = &c.column;
    let cells = c.cells;
    match lang {
        Lang::En => {
            let mut s = format!(
                "“{column}” was read as numbers: {cells} cells were converted ({}).",
                found.join(", ")
            );
            if c.percent > 0 {
                s.push_str(" Percentages are read as fractions: 87% is 0.87.");
            }
            s.push_str(" To keep the cells as written, list the column under “Reading options”.");
            s
        }
        Lang::Ja => {
            let mut s = format!(
                "「{column}」を数値として読み込みました。{cells} 個のセルを変換しています（{}）。",
                found.join("、")
            );
            if c.percent > 0 {
                s.push_str("パーセントは割合として読み込んでいます（87% は 0.87）。");
            }
            s.push_str("書かれたとおりの文字列として扱うには、「読み込みオプション」でこの列を指定してください。");
            s
        }
    }
}
