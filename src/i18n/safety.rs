//! The words of the app's safety nets: share links refused or asking before they replace work,
//! a start-up after a visit that crashed, the panic box, and leaving classroom mode. Templates
//! take `{name}` placeholders, filled by [`fill`].

use super::Lang;
use crate::engine::error::Allowed;

macro_rules! safety_texts {
    ($($key:ident => $en:expr, $ja:expr;)*) => {
        /// A translatable text of the safety nets.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum S { $($key),* }

        impl S {
            /// Every key, for completeness tests.
            pub const ALL: &'static [S] = &[$(S::$key),*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((S::$key, Lang::En) => $en, (S::$key, Lang::Ja) => $ja,)*
                }
            }
        }
    };
}

safety_texts! {
    // Share links refused.
    ShareRefused => "This share link was not opened: {reason}",
        "この共有リンクは開きませんでした。{reason}";
    ShareNotBase64 => "the link is damaged (it has characters a link never has). Ask for the link again.",
        "リンクが壊れています（リンクに使われない文字が含まれています）。もう一度リンクをもらってください。";
    ShareNotDeflate => "the link is damaged (its settings cannot be unpacked). Ask for the link again.",
        "リンクが壊れています（設定を展開できません）。もう一度リンクをもらってください。";
    ShareTooLarge => "the link's settings are larger than {max} bytes.",
        "リンクの設定が {max} バイトを超えています。";
    ShareUnreadable => "the link's settings cannot be read ({detail}).",
        "リンクの設定を読み取れません（{detail}）。";
    ShareVersion => "the link was made by another version of mlplay (format {found}).",
        "リンクは別のバージョンの mlplay で作られています（形式 {found}）。";
    FieldUnknown => "the field “{field}” holds “{value}”, which is not one of the allowed names.",
        "項目「{field}」の「{value}」は、使える名前ではありません。";
    FieldOutOfRange => "the field “{field}” must be {range}, but it is {value}.",
        "項目「{field}」は{range}でなければなりませんが、{value} になっています。";
    FieldTooLong => "the field “{field}” is longer than {max} characters.",
        "項目「{field}」が {max} 文字を超えています。";
    FieldTooMany => "the field “{field}” has more than {max} entries.",
        "項目「{field}」の数が {max} 個を超えています。";
    FieldTooDeep => "the field “{field}” nests parentheses deeper than {max} levels.",
        "項目「{field}」の括弧の入れ子が {max} 段を超えています。";
    FieldWrongCount => "the field “{field}” must have {expected} entries.",
        "項目「{field}」はちょうど {expected} 個でなければなりません。";

    // Asking before a link replaces work.
    ConsentTitle => "Open this share link?", "この共有リンクを開きますか？";
    ConsentReplaces => "Opening it replaces your own:", "開くと、次のあなたの作業が置き換わります。";
    ConsentKeeps => "Your notes, exercise answers, case answers and data request stay as they are.",
        "メモ、演習の解答、ケースの解答、データ依頼はそのまま残ります。";
    ConsentKeepFile => "Keep working on my file “{file}” (the link's data is not opened)",
        "自分のファイル「{file}」で作業を続ける（リンクのデータは開かない）";
    ConsentOpen => "Open the link", "リンクを開く";
    ConsentCancel => "Keep my work as it is", "今の作業のままにする";
    PartScenarios => "the value calculator's scenarios", "価値計算のシナリオ";
    PartFormula => "your value formula", "価値の計算式";
    PartDecisions => "the diagnosis settings and your decisions on findings", "診断の設定と、指摘への判断";
    PartPreprocessing => "the preprocessing settings", "前処理の設定";
    PartModels => "the chosen models and their settings", "選んだモデルとその設定";
    PartThreshold => "the “usable if” threshold", "「使える」とする基準値";
    PartReadSettings => "the reading options", "読み込みのオプション";

    // A start after a visit that died.
    RecoveryTitle => "The last visit stopped before it finished", "前回の作業が途中で止まりました";
    RecoveryRestore => "mlplay stopped while reading and diagnosing “{name}” with your saved settings. This time it started without them.",
        "前回は「{name}」を保存済みの設定で読み込み・診断している途中で止まりました。今回はそれを開かずに起動しています。";
    RecoveryShare => "mlplay stopped while opening a share link. This time it started without the link.",
        "前回は共有リンクを開いている途中で止まりました。今回はリンクを開かずに起動しています。";
    RecoveryCrashed => "mlplay stopped with an error. This time it started without your data and the settings restored with it.",
        "前回はエラーで止まりました。今回はデータと、それに合わせて復元する設定を開かずに起動しています。";
    RecoveryRetry => "Try again", "もう一度試す";
    RecoveryWithout => "Open without it", "それを除いて開く";
    RecoveryErase => "Erase my data", "データを消去";
    EraseConfirm => "Erase everything mlplay saved in this browser, including your uploaded file?",
        "アップロードしたファイルを含め、mlplay がこのブラウザーに保存したものをすべて消去しますか？";
    RecoveryDone => "Done: what stopped mlplay was put aside. Your other work is here.",
        "止まる原因になったものを外しました。ほかの作業はそのまま残っています。";

    // The panic box.
    PanicTitle => "mlplay stopped because of an unexpected error.", "予期しないエラーで mlplay が止まりました。";
    PanicWayOut => "Reload without your restored data, or erase what mlplay saved in this browser.",
        "復元するデータを開かずに再読み込みするか、mlplay がこのブラウザーに保存したものを消去してください。";
    PanicReload => "Reload without the restored data", "復元データを開かずに再読み込み";
    PanicErase => "Erase my data and reload", "データを消去して再読み込み";
    WorkerStopped => "The engine worker stopped: {detail}", "計算用のワーカーが止まりました: {detail}";
    PanicDismiss => "Close", "閉じる";

    // Classroom mode.
    LeaveClassroom => "Leave classroom mode", "授業モードを終える";
    LeaveClassroomConfirm => "Leave classroom mode? The hidden controls come back and the settings can be changed again, also after a reload.",
        "授業モードを終えますか？ 隠されていた操作が戻り、設定を変えられるようになります（再読み込みしても元に戻りません）。";
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A number as the messages show it.
pub fn number(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// "a whole number from 5 to 100", "5 以上 100 以下の整数".
pub fn range(allowed: &Allowed, lang: Lang) -> String {
    super::models::range_phrase(allowed, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_japanese_punctuation() {
        for s in S::ALL {
            let (en, ja) = (s.get(Lang::En), s.get(Lang::Ja));
            assert!(!en.is_empty() && !ja.is_empty(), "{s:?}");
            assert_ne!(en, ja, "{s:?} is not translated");
            assert!(!ja.contains(". ") && !ja.ends_with('.'), "{s:?}: {ja}");
            // The same placeholders in both.
            let holes = |t: &str| {
                let mut h: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split('}').next().map(str::to_string))
                    .collect();
                h.sort();
                h
            };
            assert_eq!(holes(en), holes(ja), "{s:?}");
        }
    }

    #[test]
    fn templates_are_filled() {
        let t = fill(
            S::FieldOutOfRange.get(Lang::Ja),
            &[
                ("field", "analysis.hist_bins"),
                ("range", "5 以上 100 以下の整数"),
                ("value", "4294967295"),
            ],
        );
        assert_eq!(
            t,
            "項目「analysis.hist_bins」は5 以上 100 以下の整数でなければなりませんが、4294967295 になっています。"
        );
    }
}
