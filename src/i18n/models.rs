//! The model catalogue's display texts in Japanese and English: each kind's name and what each
//! hyperparameter means, keyed by the catalogue's kind and parameter names. The ranges in words
//! are written from the catalogue itself, so they cannot drift from what validation accepts.

use crate::engine::models::catalogue::{self, Allowed, Param};
use crate::engine::pipeline::recipe::ModelSpec;
use crate::i18n::Lang;

fn pick(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

/// The display name of model `kind` ("" for a kind not in the catalogue).
pub fn model_name(kind: &str, lang: Lang) -> &'static str {
    let (en, ja) = match kind {
        "linear_regression" => ("Linear regression", "線形回帰"),
        "ridge" => ("Ridge regression", "リッジ回帰"),
        "lasso" => ("Lasso regression", "ラッソ回帰"),
        "elastic_net" => ("Elastic net", "エラスティックネット"),
        "logistic_regression" => ("Logistic regression", "ロジスティック回帰"),
        "gaussian_nb" => ("Gaussian naive Bayes", "ガウシアンナイーブベイズ"),
        "decision_tree" => ("Decision tree", "決定木"),
        "random_forest" => ("Random forest", "ランダムフォレスト"),
        "k_neighbors" => ("k-nearest neighbours", "k 近傍法"),
        _ => ("", ""),
    };
    pick(lang, en, ja)
}

/// What parameter `param` of model `kind` does ("" for one not in the catalogue).
pub fn param_meaning(kind: &str, param: &str, lang: Lang) -> &'static str {
    let (en, ja) = match (kind, param) {
        ("ridge", "alpha") => (
            "Strength of the penalty on large coefficients (L2): the larger, the smaller and steadier the coefficients.",
            "大きな係数にかける罰則（L2）の強さ。大きいほど係数は小さく、安定します。",
        ),
        ("lasso", "alpha") => (
            "Strength of the penalty on the coefficients' absolute values (L1): the larger, the more coefficients become exactly 0.",
            "係数の絶対値にかける罰則（L1）の強さ。大きいほど多くの係数がちょうど 0 になります。",
        ),
        ("elastic_net", "alpha") => (
            "Overall strength of the penalty on the coefficients: the larger, the more they shrink.",
            "係数にかける罰則全体の強さ。大きいほど係数が小さくなります。",
        ),
        ("elastic_net", "l1_ratio") => (
            "Share of the L1 (lasso) penalty in the mix: 0 is ridge alone, 1 is lasso alone.",
            "罰則に占める L1（ラッソ）の割合。0 ならリッジだけ、1 ならラッソだけになります。",
        ),
        ("logistic_regression", "C") => (
            "Inverse of the regularisation strength: the smaller, the stronger the regularisation.",
            "正則化の強さの逆数。小さいほど正則化が強くなります。",
        ),
        ("decision_tree" | "random_forest", "max_depth") => (
            "Most levels of splits a tree may grow.",
            "木の深さ（分岐を重ねる段数）の上限。",
        ),
        ("decision_tree" | "random_forest", "min_samples_leaf") => (
            "Fewest training rows a leaf may hold: the larger, the smoother the predictions.",
            "1 つの葉に含める学習データの最小行数。大きいほど予測がなめらかになります。",
        ),
        ("decision_tree", "random_state") => (
            "Seed for the tie-breaking between equally good splits: the same seed gives the same tree.",
            "同じくらい良い分岐の候補から 1 つを選ぶときのシード。同じシードなら同じ木になります。",
        ),
        ("random_forest", "random_state") => (
            "Seed for drawing each tree's rows and candidate columns: the same seed gives the same forest.",
            "各木の行と候補の列を選ぶときのシード。同じシードなら同じフォレストになります。",
        ),
        ("random_forest", "n_estimators") => (
            "Number of trees: more trees give steadier predictions but take longer to train.",
            "木の本数。多いほど予測は安定しますが、学習に時間がかかります。",
        ),
        ("random_forest", "max_features") => (
            "Fraction of the columns each split chooses from (1 means all of them).",
            "各分岐で候補にする列の割合（1 ならすべての列）。",
        ),
        ("k_neighbors", "n_neighbors") => (
            "Number of nearest training rows consulted: the prediction is their mean target (for classes, their majority).",
            "予測に使う、近くにある学習データの行数。それらの行の目的変数の平均（分類では多数決）が予測値になります。",
        ),
        _ => ("", ""),
    };
    pick(lang, en, ja)
}

/// The placeholder of an empty field that means "no limit".
pub fn no_limit(lang: Lang) -> &'static str {
    pick(lang, "no limit", "制限なし")
}

fn number(v: f64) -> String {
    catalogue::format_value(Some(v))
}

/// A parameter's allowed values in words, from the catalogue: "a number from 0 to 1",
/// "0 以上 1 以下の数値".
pub fn range_phrase(p: &Allowed, lang: Lang) -> String {
    let min = p.min.map(|b| (number(b.value), b.inclusive));
    let max = p.max.map(|b| (number(b.value), b.inclusive));
    let mut out = match lang {
        Lang::En => {
            let mut parts = Vec::new();
            match (&min, &max) {
                (Some((lo, true)), Some((hi, true))) => parts.push(format!("from {lo} to {hi}")),
                _ => {
                    if let Some((v, incl)) = &min {
                        parts.push(format!("{} {v}", if *incl { "at least" } else { "above" }));
                    }
                    if let Some((v, incl)) = &max {
                        parts.push(format!("{} {v}", if *incl { "at most" } else { "below" }));
                    }
                }
            }
            let mut s = if p.integer {
                "a whole number".to_string()
            } else {
                "a number".to_string()
            };
            if !parts.is_empty() {
                s = format!("{s} {}", parts.join(" and "));
            }
            s
        }
        Lang::Ja => {
            let mut s = String::new();
            if let Some((v, incl)) = min {
                let word = match (incl, max.is_some()) {
                    (true, _) => "以上",
                    (false, true) => "より大きく",
                    (false, false) => "より大きい",
                };
                s.push_str(&format!("{v} {word}"));
            }
            if let Some((v, incl)) = max {
                if !s.is_empty() {
                    s.push(' ');
                }
                s.push_str(&format!("{v} {}", if incl { "以下" } else { "未満" }));
            }
            // "1 以上の整数", but "0 より大きい数値": no の after an adjective.
            let noun = if p.integer { "整数" } else { "数値" };
            if !s.is_empty() && !s.ends_with('い') {
                s.push('の');
            }
            s.push_str(noun);
            s
        }
    };
    if p.nullable {
        out.push_str(pick(lang, " (empty: no limit)", "（空欄なら制限なし）"));
    }
    out
}

/// A parameter's meaning followed by its range, for the page's hint.
pub fn param_help(kind: &str, p: &Param, lang: Lang) -> String {
    let meaning = param_meaning(kind, p.name, lang);
    match lang {
        Lang::En => format!("{meaning} Allowed: {}.", range_phrase(&p.allowed(), lang)),
        Lang::Ja => format!(
            "{meaning}指定できる値：{}。",
            range_phrase(&p.allowed(), lang)
        ),
    }
}

/// A model with its main hyperparameters, as the report and exercises name it:
/// "Elastic net (alpha=1, l1_ratio=0.05)", "ランダムフォレスト（n_estimators=20）".
pub fn model_label(spec: &ModelSpec, lang: Lang) -> String {
    let name = model_name(spec.kind(), lang);
    let params = spec.params_text(true);
    match (lang, params.is_empty()) {
        (_, true) => name.to_string(),
        (Lang::En, false) => format!("{name} ({params})"),
        (Lang::Ja, false) => format!("{name}（{params}）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::models::catalogue::MODELS;

    #[test]
    fn every_kind_and_parameter_has_texts_in_both_languages() {
        for m in MODELS {
            for lang in [Lang::En, Lang::Ja] {
                assert!(!model_name(m.kind, lang).is_empty(), "{} {lang:?}", m.kind);
                for p in m.params {
                    let meaning = param_meaning(m.kind, p.name, lang);
                    assert!(!meaning.is_empty(), "{}.{} {lang:?}", m.kind, p.name);
                    assert!(!range_phrase(&p.allowed(), lang).is_empty());
                }
            }
            assert_ne!(model_name(m.kind, Lang::En), model_name(m.kind, Lang::Ja));
        }
        assert_eq!(model_name("svm", Lang::En), "");
    }

    #[test]
    fn ranges_read_from_the_catalogue() {
        let en = catalogue::model("elastic_net").unwrap();
        let l1 = en.param("l1_ratio").unwrap();
        assert_eq!(
            range_phrase(&l1.allowed(), Lang::En),
            "a number from 0 to 1"
        );
        assert_eq!(range_phrase(&l1.allowed(), Lang::Ja), "0 以上 1 以下の数値");
        let c = catalogue::model("logistic_regression")
            .unwrap()
            .param("C")
            .unwrap();
        assert_eq!(range_phrase(&c.allowed(), Lang::Ja), "0 より大きい数値");
        let frac = catalogue::model("random_forest")
            .unwrap()
            .param("max_features")
            .unwrap();
        assert_eq!(
            range_phrase(&frac.allowed(), Lang::Ja),
            "0 より大きく 1 以下の数値"
        );
        assert_eq!(
            range_phrase(&frac.allowed(), Lang::En),
            "a number above 0 and at most 1"
        );
        let depth = catalogue::model("decision_tree")
            .unwrap()
            .param("max_depth")
            .unwrap();
        assert_eq!(
            range_phrase(&depth.allowed(), Lang::En),
            "a whole number at least 1 (empty: no limit)"
        );
        assert_eq!(
            range_phrase(&depth.allowed(), Lang::Ja),
            "1 以上の整数（空欄なら制限なし）"
        );
        assert!(param_help("elastic_net", l1, Lang::Ja)
            .ends_with("ラッソだけになります。指定できる値：0 以上 1 以下の数値。"));
        assert_eq!(
            param_help("random_forest", depth, Lang::Ja),
            "木の深さ（分岐を重ねる段数）の上限。指定できる値：1 以上の整数（空欄なら制限なし）。"
        );
        assert_eq!(
            param_help("random_forest", depth, Lang::En),
            "Most levels of splits a tree may grow. Allowed: a whole number at least 1 (empty: no limit)."
        );
    }

    #[test]
    fn labels_carry_the_main_hyperparameters() {
        let en = ModelSpec::default_for("elastic_net").unwrap();
        assert_eq!(
            model_label(&en, Lang::En),
            "Elastic net (alpha=1, l1_ratio=0.05)"
        );
        let mut forest = ModelSpec::default_for("random_forest").unwrap();
        forest.set("n_estimators", Some(20.0));
        assert_eq!(
            model_label(&forest, Lang::Ja),
            "ランダムフォレスト（n_estimators=20）"
        );
        assert_eq!(
            model_label(&ModelSpec::GaussianNb, Lang::Ja),
            "ガウシアンナイーブベイズ"
        );
    }
}
