//! Japanese and English: every string the UI shows, and translated engine errors.

use serde::{Deserialize, Serialize};

use crate::engine::Error;

/// The two UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// `ja` for a browser language starting with "ja", English otherwise.
    pub fn from_browser(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// The BCP 47 code, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// Parse a stored code.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }
}

macro_rules! texts {
    ($($key:ident => $en:expr, $ja:expr;)*) => {
        /// A translatable UI string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum T { $($key),* }

        impl T {
            /// Every key, for completeness tests.
            pub const ALL: &'static [T] = &[$(T::$key),*];

            /// The text in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((T::$key, Lang::En) => $en, (T::$key, Lang::Ja) => $ja,)*
                }
            }
        }
    };
}

texts! {
    AppTitle => "mlplay", "mlplay";
    Tagline => "A machine-learning workshop that runs in your browser. Your data never leaves this page.",
        "ブラウザだけで動く機械学習ワークショップ。データはこのページの外に出ません。";
    Language => "Language", "言語";
    SkipToContent => "Skip to content", "本文へ移動";
    ChooseData => "Choose data", "データを選ぶ";
    BundledData => "Bundled datasets", "同梱のデータセット";
    OwnFile => "Your own CSV file", "自分の CSV ファイル";
    DropHint => "Drop a CSV file here, or", "ここに CSV ファイルをドロップするか、";
    ChooseFile => "choose a file", "ファイルを選択";
    DropPrivacy => "The file is read inside this page; it is not uploaded anywhere.",
        "ファイルはこのページの中で読み込まれ、どこにも送信されません。";
    ReadOptions => "Reading options", "読み込みオプション";
    MissingTokens => "Values that mean “missing” (comma-separated)", "欠損値とみなす値（カンマ区切り）";
    MissingTokensHelp => "pandas' defaults plus “?”. “None” is not in the list: the house-prices data uses it as a real category.",
        "pandas の既定値に「?」を加えたもの。「None」は含みません（住宅価格データでは実在するカテゴリです）。";
    ResetDefaults => "Reset to defaults", "既定値に戻す";
    Encoding => "Text encoding", "文字コード";
    EncodingAuto => "Detect automatically", "自動判定";
    Delimiter => "Delimiter", "区切り文字";
    DelimiterAuto => "Detect automatically", "自動判定";
    Tab => "Tab", "タブ";
    Reload => "Read again with these options", "このオプションで読み直す";
    Loading => "Reading…", "読み込み中…";
    Fetching => "Fetching the bundled file…", "同梱ファイルを取得中…";
    ParsingInWorker => "Parsing in the background; the page stays usable.", "バックグラウンドで解析中です。ページは操作できます。";
    Cancel => "Cancel", "キャンセル";
    Cancelled => "Reading was cancelled.", "読み込みをキャンセルしました。";
    ErrorTitle => "This file could not be read", "このファイルを読み込めませんでした";
    Dismiss => "Dismiss", "閉じる";
    Rows => "rows", "行";
    Columns => "columns", "列";
    ParsedIn => "parsed in", "解析時間";
    Warnings => "Notes on reading", "読み込み時の注意";
    ShortRowsNote => "rows had fewer fields than the header; their missing fields were read as missing values. First such line:",
        "行はヘッダーより項目数が少なかったため、足りない項目を欠損値として読み込みました。最初の該当行:";
    UnnamedNote => "Columns with an empty header were named:", "ヘッダーが空の列に付けた名前:";
    DuplicateNote => "Repeated column names were renamed:", "重複した列名を次のように変更しました:";
    InfoTitle => "Columns (info)", "列の一覧（info）";
    InfoHelp => "Each column's kind, how many values are present and how many are distinct — what pandas' info() shows.",
        "各列の種類、欠損していない値の数、異なる値の数。pandas の info() に相当します。";
    ColName => "Column", "列名";
    ColKind => "Kind", "種類";
    ColDtype => "pandas dtype", "pandas の型";
    ColNonNull => "Non-null", "非欠損数";
    ColMissing => "Missing", "欠損数";
    ColUnique => "Unique", "ユニーク数";
    KindNumeric => "numeric", "数値";
    KindCategorical => "categorical", "カテゴリ";
    NumericLikeNote => "mostly numbers, with some text", "ほぼ数値だが一部に文字列あり";
    DescribeNumeric => "Numeric columns (describe)", "数値列の要約統計量（describe）";
    DescribeCategorical => "Categorical columns (describe)", "カテゴリ列の要約（describe）";
    DescribeHelp => "std is the sample standard deviation (ddof = 1); quartiles use linear interpolation, as in pandas.",
        "std は標本標準偏差（ddof = 1）、四分位数は線形補間で、pandas と同じ計算です。";
    StatCount => "count", "個数";
    StatMean => "mean", "平均";
    StatStd => "std", "標準偏差";
    StatMin => "min", "最小";
    StatQ1 => "25%", "25%";
    StatMedian => "50%", "50%";
    StatQ3 => "75%", "75%";
    StatMax => "max", "最大";
    StatUnique => "unique", "ユニーク数";
    StatTop => "top", "最頻値";
    StatFreq => "freq", "最頻値の度数";
    NoData => "No data yet: pick a bundled dataset or open your own CSV file.",
        "まだデータがありません。同梱データを選ぶか、自分の CSV ファイルを開いてください。";
    Target => "Target", "目的変数";
    Task => "Task", "タスク";
    Regression => "regression", "回帰";
    Classification => "classification", "分類";
    Source => "Source", "出典";
    Limits => "Limits: 200 MB, 2,000,000 rows, 2,000 columns.", "上限: 200 MB、200 万行、2,000 列。";
    UnexpectedError => "Something went wrong inside mlplay. Your work so far is kept; please reload the page. Details:",
        "mlplay の内部でエラーが起きました。これまでの作業は保持されています。ページを再読み込みしてください。詳細:";
    Footer => "mlplay runs entirely in your browser: no server, no tracking, no data leaves this page.",
        "mlplay はすべてブラウザ内で動作します。サーバーもトラッキングもなく、データはこのページから出ません。";
}

/// The translated message for an engine error.
pub fn error_text(lang: Lang, e: &Error) -> String {
    use Error::*;
    match (lang, e) {
        (Lang::En, EmptyFile) => "The file is empty.".into(),
        (Lang::Ja, EmptyFile) => "ファイルが空です。".into(),
        (Lang::En, HeaderOnly) => "The file has a header line but no data rows.".into(),
        (Lang::Ja, HeaderOnly) => "ヘッダー行はありますが、データ行がありません。".into(),
        (Lang::En, TooManyBytes { bytes, limit }) => format!(
            "The file is {} MB; mlplay reads files up to {} MB in the browser.",
            mb(*bytes),
            mb(*limit)
        ),
        (Lang::Ja, TooManyBytes { bytes, limit }) => format!(
            "ファイルが {} MB あります。ブラウザで読み込めるのは {} MB までです。",
            mb(*bytes),
            mb(*limit)
        ),
        (Lang::En, TooManyRows { limit }) => {
            format!("The file has more than {limit} data rows, the limit in the browser.")
        }
        (Lang::Ja, TooManyRows { limit }) => {
            format!("データ行が上限の {limit} 行を超えています。")
        }
        (Lang::En, TooManyColumns { columns, limit }) => {
            format!("The file has {columns} columns; the limit is {limit}.")
        }
        (Lang::Ja, TooManyColumns { columns, limit }) => {
            format!("列が {columns} 列あります。上限は {limit} 列です。")
        }
        (Lang::En, TooManyFields { line, found, expected }) => format!(
            "Line {line} has {found} fields, but the header has {expected}. Check for an unquoted delimiter in a value."
        ),
        (Lang::Ja, TooManyFields { line, found, expected }) => format!(
            "{line} 行目の項目数が {found} 個ですが、ヘッダーは {expected} 個です。値の中に引用符で囲まれていない区切り文字がないか確認してください。"
        ),
        (Lang::En, Malformed { line, message }) => {
            format!("Line {line} could not be read as CSV ({message}).")
        }
        (Lang::Ja, Malformed { line, message }) => {
            format!("{line} 行目を CSV として読めませんでした（{message}）。")
        }
        (Lang::En, Undecodable { encoding }) => format!(
            "The text is not valid {encoding}. Choose the file's encoding under “Reading options”."
        ),
        (Lang::Ja, Undecodable { encoding }) => format!(
            "テキストが {encoding} として正しくありません。「読み込みオプション」で文字コードを選んでください。"
        ),
        (Lang::En, UnknownEncoding { name }) => format!("“{name}” is not a known text encoding."),
        (Lang::Ja, UnknownEncoding { name }) => format!("「{name}」は未知の文字コードです。"),
        (Lang::En, Binary) => "This looks like a binary file (an Excel workbook or a zip?), not CSV text. Save it as CSV first; UTF-16 text needs a byte-order mark.".into(),
        (Lang::Ja, Binary) => "CSV テキストではなくバイナリファイル（Excel ブックや zip など）のようです。CSV 形式で保存し直してください。UTF-16 の場合は BOM 付きで保存してください。".into(),
        (Lang::En, NoSuchColumn { name }) => format!("There is no column named “{name}”."),
        (Lang::Ja, NoSuchColumn { name }) => format!("「{name}」という列はありません。"),
        (Lang::En, Io(m)) => format!("The file could not be read: {m}"),
        (Lang::Ja, Io(m)) => format!("ファイルを読み込めませんでした: {m}"),
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        for t in T::ALL {
            assert!(!t.get(Lang::En).is_empty(), "{t:?} has no English");
            assert!(!t.get(Lang::Ja).is_empty(), "{t:?} has no Japanese");
        }
    }

    #[test]
    fn browser_language_picks_japanese() {
        assert_eq!(Lang::from_browser("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_browser("en-US"), Lang::En);
        assert_eq!(Lang::from_code(Lang::Ja.code()), Some(Lang::Ja));
    }

    #[test]
    fn errors_are_translated_with_their_line_numbers() {
        let e = Error::TooManyFields {
            line: 12,
            found: 83,
            expected: 81,
        };
        assert!(error_text(Lang::En, &e).contains("Line 12 has 83 fields"));
        assert!(error_text(Lang::Ja, &e).contains("12 行目"));
        assert_ne!(
            error_text(Lang::En, &Error::EmptyFile),
            error_text(Lang::Ja, &Error::EmptyFile)
        );
    }
}
