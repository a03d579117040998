//! Every engine error in both languages: what happened and what to do.

use super::{l, Lang, T};
use crate::engine::Error;

/// The translated message for an engine error.
pub fn error_text(lang: Lang, e: &Error) -> String {
    use Error::*;
    match (lang, e) {
        (Lang::En, EmptyFile) => "The file is empty.".into(),
        (Lang::Ja, EmptyFile) => "ファイルが空です。データが入った CSV ファイルを選んでください。".into(),
        (Lang::En, HeaderOnly) => "The file has a header line but no data rows.".into(),
        (Lang::Ja, HeaderOnly) => "ヘッダー行はありますが、データ行がありません。データ行を含むファイルを選んでください。".into(),
        (Lang::En, TooManyBytes { bytes, limit }) => format!(
            "The file is {} MB; mlplay reads files up to {} MB in the browser.",
            mb(*bytes),
            mb(*limit)
        ),
        (Lang::Ja, TooManyBytes { bytes, limit }) => format!(
            "ファイルのサイズは {} MB です。ブラウザで読み込めるのは {} MB までです。不要な行や列を削って、ファイルを小さくしてください。",
            mb(*bytes),
            mb(*limit)
        ),
        (Lang::En, TooManyRows { limit }) => {
            format!("The file has more than {limit} data rows, the limit in the browser.")
        }
        (Lang::Ja, TooManyRows { limit }) => {
            format!("データ行が上限の {limit} 行を超えています。行を減らしたファイルを使ってください。")
        }
        (Lang::En, TooManyColumns { columns, limit }) => {
            format!("The file has {columns} columns; the limit is {limit}.")
        }
        (Lang::Ja, TooManyColumns { columns, limit }) => {
            format!("ファイルに {columns} 列あり、上限の {limit} 列を超えています。不要な列を削ったファイルを使ってください。")
        }
        (Lang::En, TooManyFields { line, found, expected }) => format!(
            "Line {line} has {found} fields, but the header has {expected}. Check for an unquoted delimiter in a value."
        ),
        (Lang::Ja, TooManyFields { line, found, expected }) => format!(
            "{line} 行目の項目数は {found} 個ですが、ヘッダーの項目数は {expected} 個です。区切り文字を含む値が引用符（\"）で囲まれているか確認してください。"
        ),
        (Lang::En, Malformed { line, message }) => {
            format!("Line {line} could not be read as CSV ({message}).")
        }
        (Lang::Ja, Malformed { line, .. }) => format!(
            "{line} 行目を CSV として読み取れませんでした。引用符（\"）の閉じ忘れなど、書式に誤りがないか確認してください。"
        ),
        (Lang::En, Undecodable { encoding }) => format!(
            "The text is not valid {encoding}. Choose the file's encoding under “Reading options”."
        ),
        (Lang::Ja, Undecodable { encoding }) => format!(
            "ファイルに {encoding} として読めない文字が含まれています。「読み込みオプション」でファイルの文字コードを選んでください。"
        ),
        (Lang::En, UnknownEncoding { name }) => format!("“{name}” is not a known text encoding."),
        (Lang::Ja, UnknownEncoding { name }) => format!("「{name}」という文字コードには対応していません。UTF-8 や Shift_JIS など、対応している文字コードを指定してください。"),
        (Lang::En, Binary) => "This looks like a binary file (an Excel workbook or a zip?), not CSV text. Save it as CSV first; UTF-16 text needs a byte-order mark.".into(),
        (Lang::Ja, Binary) => "CSV のテキストではなく、バイナリファイル（Excel ブックや ZIP ファイルなど）のようです。先に CSV 形式で保存してください。UTF-16 のテキストは BOM 付きで保存する必要があります。".into(),
        (Lang::En, NoSuchColumn { name }) => format!("There is no column named “{name}”."),
        (Lang::Ja, NoSuchColumn { name }) => format!("「{name}」という列はありません。列名を確認してください。"),
        (Lang::En, Io(m)) => format!("The file could not be read or written: {m}. Check its path and permissions."),
        (Lang::Ja, Io(_)) => "ファイルを読み書きできませんでした。ファイルのパスとアクセス権を確認してください。".into(),
        (Lang::En, FileUnreadable { detail }) => format!(
            "The browser could not read the file ({detail}). Choose it again; if it is on a network drive or in a cloud folder, copy it to this computer first."
        ),
        (Lang::Ja, FileUnreadable { .. }) => "ブラウザがファイルを読み込めませんでした。もう一度ファイルを選んでください。ネットワークドライブやクラウドのフォルダーにある場合は、先にこのコンピューターにコピーしてください。".into(),
        (_, Recipe { field, issue }) => recipe_problem_text(lang, field, issue),
        (Lang::En, SplitEmptySide { rows, test_size, test_rows }) => format!(
            "The split leaves one side empty: {rows} rows with a test share of {test_size} give {test_rows} test rows and {} training rows. Choose a test share that leaves rows on both sides, or use more data.",
            rows.saturating_sub(*test_rows)
        ),
        (Lang::Ja, SplitEmptySide { rows, test_size, test_rows }) => format!(
            "この分割では、学習データかテストデータのどちらかが空になります。{rows} 行をテストの割合 {test_size} で分けると、テストデータが {test_rows} 行、学習データが {} 行です。両方に行が残るようにテストの割合を変えるか、データを増やしてください。",
            rows.saturating_sub(*test_rows)
        ),
        (Lang::En, StratifyClassTooSmall { class, rows }) => format!(
            "Stratifying needs at least two rows of every class, but class “{class}” has {rows}. Turn stratify off, or collect more rows of that class."
        ),
        (Lang::Ja, StratifyClassTooSmall { class, rows }) => format!(
            "層化するには各クラスに 2 行以上必要ですが、クラス「{class}」は {rows} 行しかありません。「層化する」のチェックを外すか、このクラスの行を増やしてください。"
        ),
        (Lang::En, StratifySideTooSmall { classes, train_rows, test_rows }) => format!(
            "Stratifying needs a row of each of the {classes} classes on both sides, but the split gives {train_rows} training rows and {test_rows} test rows. Change the test share, or turn stratify off."
        ),
        (Lang::Ja, StratifySideTooSmall { classes, train_rows, test_rows }) => format!(
            "層化するには、学習データとテストデータの両方に {classes} クラスそれぞれの行が 1 行以上必要ですが、分割後は学習データが {train_rows} 行、テストデータが {test_rows} 行です。テストの割合を変えるか、「層化する」のチェックを外してください。"
        ),
        (Lang::En, TargetAllMissing { target }) => format!(
            "The target “{target}” has no values: it is missing in every row. Choose another target in step 2."
        ),
        (Lang::Ja, TargetAllMissing { target }) => format!(
            "目的変数「{target}」に値がありません（すべての行で欠損しています）。ステップ 2 で別の目的変数を選んでください。"
        ),
        (Lang::En, TargetNotNumeric { target }) => format!(
            "The target “{target}” is not numeric, so regression cannot predict it. Set the task to classification in step 2, or choose a numeric target."
        ),
        (Lang::Ja, TargetNotNumeric { target }) => format!(
            "目的変数「{target}」は数値ではないため、回帰では予測できません。ステップ 2 でタスクを分類にするか、数値の目的変数を選んでください。"
        ),
        (Lang::En, TargetOneClass { target, class }) => format!(
            "The target “{target}” has a single class (“{class}”), and classification needs at least two. Choose another target in step 2."
        ),
        (Lang::Ja, TargetOneClass { target, class }) => format!(
            "目的変数「{target}」のクラスが「{class}」の 1 つしかありません。分類には 2 クラス以上が必要です。ステップ 2 で別の目的変数を選んでください。"
        ),
        (Lang::En, TooManyClasses { target, classes, limit }) => format!(
            "The target “{target}” has {classes} classes; mlplay classifies at most {limit}. Choose a target with fewer distinct values in step 2, or set the task to regression if it is a number."
        ),
        (Lang::Ja, TooManyClasses { target, classes, limit }) => format!(
            "目的変数「{target}」のクラスが {classes} 個あります。mlplay で分類できるのは {limit} クラスまでです。ステップ 2 で値の種類が少ない目的変数を選ぶか、数値の列ならタスクを回帰にしてください。"
        ),
        (Lang::En, NoFeatures { target }) => format!(
            "No feature columns are left: every column except the target “{target}” is left out. Tick at least one column under “{}”.",
            T::ColumnsTitle.get(lang)
        ),
        (Lang::Ja, NoFeatures { target }) => format!(
            "特徴量にする列が残っていません。目的変数「{target}」以外の列がすべて除外されています。「{}」で 1 列以上にチェックを付けてください。",
            T::ColumnsTitle.get(lang)
        ),
        (Lang::En, FilteredOut { train_rows, test_rows }) => format!(
            "Too few rows are left after the filters: {train_rows} training rows and {test_rows} test rows (training needs at least 2, the test at least 1). Widen or remove the training-only filters."
        ),
        (Lang::Ja, FilteredOut { train_rows, test_rows }) => format!(
            "フィルターを適用した後に残った行が少なすぎます（学習データ {train_rows} 行、テストデータ {test_rows} 行）。学習には 2 行以上、テストには 1 行以上必要です。「学習データだけのフィルター」の範囲を広げるか、フィルターを外してください。"
        ),
        (Lang::En, ColumnKindChanged { column }) => format!(
            "The column “{column}” was numeric when the preprocessing was fitted, but now holds text. Use data whose columns match the training data."
        ),
        (Lang::Ja, ColumnKindChanged { column }) => format!(
            "列「{column}」は、前処理を当てはめたときは数値の列でしたが、このデータでは文字列が含まれています。学習データと同じ形式の列を持つデータを使ってください。"
        ),
        (Lang::En, NotModelFile) => format!(
            "This is not an mlplay model file. Use a file downloaded under “{}” in step 6.",
            T::ModelFiles.get(lang)
        ),
        (Lang::Ja, NotModelFile) => format!(
            "mlplay のモデルファイルではありません。ステップ 6 の「{}」でダウンロードしたファイルを使ってください。",
            T::ModelFiles.get(lang)
        ),
        (Lang::En, ModelFileVersion { found, supported }) => format!(
            "The model file has version {found}; this mlplay reads version {supported}. Use the mlplay that made it, or train and download the model again."
        ),
        (Lang::Ja, ModelFileVersion { found, supported }) => format!(
            "このモデルファイルはバージョン {found} ですが、この mlplay が読み込めるのはバージョン {supported} です。ファイルを作成したときの mlplay で使うか、モデルを学習し直してダウンロードしてください。"
        ),
        (Lang::En, ModelFileNoVersion) => "The model file has no version. Download the model again.".into(),
        (Lang::Ja, ModelFileNoVersion) => "モデルファイルにバージョンの情報がありません。モデルをダウンロードし直してください。".into(),
        (Lang::En, ModelFileInvalid { detail }) => format!(
            "The model file's content is not valid ({detail}). Download the model again, and do not edit the file by hand."
        ),
        (Lang::Ja, ModelFileInvalid { .. }) => "モデルファイルの内容が正しくありません。モデルをダウンロードし直してください。ファイルは手作業で編集しないでください。".into(),
        (Lang::En, ModelNotFinite) => "The model holds a number a file cannot store (not a number, or infinity). Look for columns with no value at all in the training rows, and leave them out.".into(),
        (Lang::Ja, ModelNotFinite) => "モデルに、ファイルに保存できない数値（非数または無限大）が含まれています。学習データの行で値が 1 つもない列を探し、その列を除外してください。".into(),
        (Lang::En, ModelFileBroken { at, problem }) => format!(
            "The model file is damaged at {at}: {}. Download the model again, and do not edit the file by hand.",
            model_problem_text(lang, problem)
        ),
        (Lang::Ja, ModelFileBroken { at, problem }) => format!(
            "モデルファイルの {at} に問題があります。{}。モデルをダウンロードし直してください。ファイルは手作業で編集しないでください。",
            model_problem_text(lang, problem)
        ),
        (Lang::En, MissingInputColumns { columns }) => format!(
            "The data lacks {} column(s) the model needs: {}. Use data with the columns of the training data.",
            columns.len(),
            columns.join(", ")
        ),
        (Lang::Ja, MissingInputColumns { columns }) => format!(
            "モデルに必要な列のうち {} 列がデータにありません（{}）。学習データと同じ列を含むデータを使ってください。",
            columns.len(),
            columns.join("、")
        ),
        (Lang::En, BadRow { row, problem }) => {
            use crate::engine::RowProblem::*;
            let what = match problem {
                NotObject => "is not an object of column values".to_string(),
                NoValue { column } => format!("has no value for column “{column}”"),
                ExpectedNumber { column } => format!("needs a number in column “{column}”"),
                ExpectedText { column } => format!("needs text or a number in column “{column}”"),
                ExpectedDate { column } => format!("needs a date such as 2024-03-05 in column “{column}”"),
            };
            format!("Row {row} (counted from 0) {what}.")
        }
        (Lang::Ja, BadRow { row, problem }) => {
            use crate::engine::RowProblem::*;
            let what = match problem {
                NotObject => "が列名と値の組（オブジェクト）になっていません".to_string(),
                NoValue { column } => format!("に列「{column}」の値がありません"),
                ExpectedNumber { column } => format!("の列「{column}」には数値が必要です"),
                ExpectedText { column } => format!("の列「{column}」には文字列か数値が必要です"),
                ExpectedDate { column } => format!("の列「{column}」には 2024-03-05 のような日付が必要です"),
            };
            format!("{row} 番目の行（0 から数えます）{what}。")
        }
        (Lang::En, CodeGeneration { detail }) => format!(
            "The code could not be generated ({detail}). This is a fault in mlplay: please tell the workshop staff."
        ),
        (Lang::Ja, CodeGeneration { .. }) => "コードを生成できませんでした。mlplay の不具合です。ワークショップのスタッフにお知らせください。".into(),
        (Lang::En, WorkerStart { detail }) => format!(
            "The browser did not start the background worker ({detail}). Reload the page; if that does not help, use a current version of Chrome, Edge, Firefox or Safari."
        ),
        (Lang::Ja, WorkerStart { .. }) => "ブラウザがバックグラウンド処理（Web Worker）を開始できませんでした。ページを再読み込みしてください。それでも直らない場合は、最新の Chrome、Edge、Firefox、Safari のいずれかを使ってください。".into(),
        (Lang::En, WorkerFailed { detail }) => format!(
            "The background worker stopped ({detail}). Reload the page and try again; very large data can need more memory than the browser allows."
        ),
        (Lang::Ja, WorkerFailed { .. }) => "バックグラウンド処理が途中で止まりました。ページを再読み込みしてから、もう一度お試しください。データが大きすぎると、ブラウザのメモリが足りなくなることがあります。".into(),
        (Lang::En, DownloadFailed { detail }) => format!(
            "The browser did not save the file ({detail}). Allow downloads for this page and try again."
        ),
        (Lang::Ja, DownloadFailed { .. }) => "ブラウザでファイルを保存できませんでした。このページからのダウンロードを許可してから、もう一度お試しください。".into(),
        (Lang::En, Internal { detail }) => format!(
            "Something went wrong inside mlplay ({detail}). Your work so far is kept; please reload the page."
        ),
        (Lang::Ja, Internal { .. }) => "mlplay の内部でエラーが起きました。これまでの作業は保持されています。ページを再読み込みしてください。".into(),
    }
}

/// What goes between a heading sentence and the text after it: a space in English, nothing
/// in Japanese (a sentence there ends with 。).
pub fn sentence_gap(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " ",
        Lang::Ja => "",
    }
}

/// The heading for a kind of failure ("The data could not be split").
pub fn category_title(lang: Lang, c: crate::engine::Category) -> &'static str {
    use crate::engine::Category::*;
    match c {
        Read => T::ErrorTitle,
        Recipe => T::ErrTitleRecipe,
        Split => T::ErrTitleSplit,
        Target => T::ErrTitleTarget,
        Preprocess => T::ErrTitlePreprocess,
        ModelFile => T::ErrTitleModelFile,
        Prediction => T::ErrTitlePrediction,
        CodeGeneration => T::ErrTitleCode,
        Browser => T::ErrTitleBrowser,
        Internal => T::ErrTitleInternal,
    }
    .get(lang)
}

/// A recipe field as the page names it: "split.test_size" is the "Test share" setting,
/// "models[0]" is "Model 1".
pub fn recipe_field_text(lang: Lang, field: &str) -> String {
    let named = match field {
        "version" => Some(l(lang, "Recipe version", "レシピのバージョン")),
        "target" => Some(T::Target.get(lang)),
        "exclude" => Some(l(lang, "Columns left out", "除外する列")),
        "split.test_size" => Some(T::TestSize.get(lang)),
        "train_filters" => Some(T::FiltersTitle.get(lang)),
        "models" => Some(l(lang, "Models", "モデル")),
        _ => None,
    };
    if let Some(n) = named {
        return n.to_string();
    }
    match field
        .strip_prefix("models[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok())
    {
        Some(i) => format!("{} {}", T::Model.get(lang), i + 1),
        None => field.to_string(),
    }
}

/// The translated message for one recipe problem, with the setting it concerns.
pub fn recipe_problem_text(lang: Lang, field: &str, issue: &crate::engine::RecipeIssue) -> String {
    use crate::engine::RecipeIssue::*;
    let text = match (lang, issue) {
        (Lang::En, UnsupportedVersion { found, supported }) => format!(
            "version {found} is not supported; this mlplay reads version {supported}. Make the recipe again with this version."
        ),
        (Lang::Ja, UnsupportedVersion { found, supported }) => format!(
            "バージョン {found} には対応していません。この mlplay が読み込めるのはバージョン {supported} です。この mlplay でレシピを作り直してください。"
        ),
        (Lang::En, NoSuchColumn { name }) => {
            format!("there is no column named “{name}”. Choose a column of this data.")
        }
        (Lang::Ja, NoSuchColumn { name }) => {
            format!("「{name}」という列はありません。このデータにある列を選んでください。")
        }
        (Lang::En, TargetExcluded { name }) => format!(
            "the target “{name}” cannot be left out. Use the column, or choose another target."
        ),
        (Lang::Ja, TargetExcluded { name }) => format!(
            "目的変数「{name}」は除外できません。この列を使うか、別の目的変数を選んでください。"
        ),
        (Lang::En, NotNumeric { column }) => format!(
            "“{column}” is not numeric, so it cannot be kept within a range. Remove this filter."
        ),
        (Lang::Ja, NotNumeric { column }) => format!(
            "「{column}」は数値の列ではないため、範囲で絞り込めません。このフィルターを外してください。"
        ),
        (Lang::En, MinAboveMax { min, max }) => {
            format!("the minimum {min} is above the maximum {max}. Swap them.")
        }
        (Lang::Ja, MinAboveMax { min, max }) => {
            format!("最小値 {min} が最大値 {max} を上回っています。最小値と最大値を入れ替えてください。")
        }
        (Lang::En, NoModels) => "add at least one model.".into(),
        (Lang::Ja, NoModels) => "モデルを 1 つ以上追加してください。".into(),
        (_, BadValue { param, value, allowed }) => {
            // The test share is named by its field already; a model's parameter keeps its
            // scikit-learn name, as on the page.
            let param = if param == "test_size" { "" } else { param.as_str() };
            match lang {
                Lang::En if param.is_empty() => format!("it must be {allowed}; it is {value}."),
                Lang::En => format!("{param} must be {allowed}; it is {value}."),
                Lang::Ja => {
                    // "n_estimators が 0 になっています。", then what to enter.
                    let subject = if param.is_empty() {
                        "値".to_string()
                    } else {
                        format!("{param} ")
                    };
                    let now = if value.is_nan() {
                        format!("{subject}が空欄です。")
                    } else {
                        format!("{subject}が {value} になっています。")
                    };
                    format!("{now}{}にしてください。", super::models::range_phrase(allowed, Lang::Ja))
                }
            }
        }
        (Lang::En, ModelDoesNotFitTask { model, task }) => format!(
            "the model {model} does not fit a {} task. Remove it, or choose another model.",
            task_text(lang, *task)
        ),
        (Lang::Ja, ModelDoesNotFitTask { model, task }) => format!(
            "「{}」は{}のタスクには使えません。このモデルを外すか、別のモデルを選んでください。",
            match super::models::model_name(model, lang) {
                "" => model.as_str(),
                name => name,
            },
            task_text(lang, *task)
        ),
    };
    match lang {
        Lang::En => format!("{}: {text}", recipe_field_text(lang, field)),
        Lang::Ja => format!("{}：{text}", recipe_field_text(lang, field)),
    }
}

/// What is wrong at one place of a model file, as a clause (no final full stop).
pub fn model_problem_text(lang: Lang, p: &crate::engine::ModelProblem) -> String {
    use crate::engine::ModelProblem::*;
    match (lang, p) {
        (Lang::En, NoSuchNode { child, nodes }) => {
            format!("its child {child} does not exist (the tree has {nodes} nodes)")
        }
        (Lang::Ja, NoSuchNode { child, nodes }) => {
            format!("子ノード {child} が存在しません（この木のノードは {nodes} 個です）")
        }
        (Lang::En, Loop { child }) => format!(
            "its child {child} is the node itself or a node above it, a loop that would never end"
        ),
        (Lang::Ja, Loop { child }) => format!(
            "子ノード {child} がそのノード自身か上のノードを指しており、たどると終わらないループになっています"
        ),
        (Lang::En, SharedNode { child }) => format!("node {child} is the child of two nodes"),
        (Lang::Ja, SharedNode { child }) => {
            format!("ノード {child} が 2 つのノードの子になっています")
        }
        (Lang::En, Unreachable) => "no path from the root reaches this node".into(),
        (Lang::Ja, Unreachable) => "根からたどり着けないノードがあります".into(),
        (Lang::En, NoSuchInput { feature, inputs }) => {
            format!("it splits on feature {feature}, but the model has {inputs} inputs")
        }
        (Lang::Ja, NoSuchInput { feature, inputs }) => format!(
            "特徴量 {feature} で分岐していますが、モデルの入力は {inputs} 個しかありません"
        ),
        (Lang::En, Empty) => "it is empty".into(),
        (Lang::Ja, Empty) => "中身が空です".into(),
        (Lang::En, Length { found, expected }) => {
            format!("it has {found} entries where {expected} are expected")
        }
        (Lang::Ja, Length { found, expected }) => {
            format!("要素が {expected} 個あるはずのところ、{found} 個です")
        }
        (Lang::En, Count { found, expected }) => format!("it is {found}, not {expected}"),
        (Lang::Ja, Count { found, expected }) => {
            format!("値が {found} ですが、{expected} のはずです")
        }
        (Lang::En, TooFewClasses { found }) => {
            format!("it has {found} classes; a classifier needs at least 2")
        }
        (Lang::Ja, TooFewClasses { found }) => {
            format!("クラスが {found} 個しかありません。分類には 2 個以上必要です")
        }
        (Lang::En, NotFinite) => "it is not a finite number".into(),
        (Lang::Ja, NotFinite) => "有限の数値になっていません".into(),
        (Lang::En, NotPositive) => "it must be above 0".into(),
        (Lang::Ja, NotPositive) => "0 より大きい値でなければなりません".into(),
        (Lang::En, Zero) => "it must not be 0".into(),
        (Lang::Ja, Zero) => "0 であってはなりません".into(),
        (Lang::En, NoSuchClass { code, classes }) => {
            format!("class code {code} is not one of the {classes} classes")
        }
        (Lang::Ja, NoSuchClass { code, classes }) => {
            format!("クラス番号 {code} が {classes} 個のクラスのどれにも当たりません")
        }
        (Lang::En, NotSorted) => "it is not in code-point order without repeats".into(),
        (Lang::Ja, NotSorted) => "コードポイント順に重複なく並んでいません".into(),
        (Lang::En, Repeated { name }) => format!("“{name}” appears twice"),
        (Lang::Ja, Repeated { name }) => format!("「{name}」が 2 回出てきます"),
        (Lang::En, WrongTask { task }) => {
            format!("this kind of model does not do {}", task_text(lang, *task))
        }
        (Lang::Ja, WrongTask { task }) => {
            format!("この種類のモデルは{}には使えません", task_text(lang, *task))
        }
        (Lang::En, OtherKind { kind }) => {
            format!("it names “{kind}”, but the file holds another kind of model")
        }
        (Lang::Ja, OtherKind { kind }) => {
            format!("「{kind}」となっていますが、ファイルのモデルは別の種類です")
        }
    }
}

fn task_text(lang: Lang, task: crate::engine::Task) -> &'static str {
    match task {
        crate::engine::Task::Regression => T::Regression.get(lang),
        crate::engine::Task::Classification => T::Classification.get(lang),
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{ModelProblem, Task};

    #[test]
    fn every_model_file_problem_is_worded_in_both_languages() {
        use ModelProblem::*;
        let all = [
            NoSuchNode {
                child: 99,
                nodes: 7,
            },
            Loop { child: 0 },
            SharedNode { child: 4 },
            Unreachable,
            NoSuchInput {
                feature: 50,
                inputs: 3,
            },
            Empty,
            Length {
                found: 0,
                expected: 3,
            },
            Count {
                found: 2,
                expected: 3,
            },
            TooFewClasses { found: 1 },
            NotFinite,
            NotPositive,
            Zero,
            NoSuchClass {
                code: 7.0,
                classes: 3,
            },
            NotSorted,
            Repeated { name: "age".into() },
            WrongTask {
                task: Task::Classification,
            },
            OtherKind {
                kind: "k_neighbors".into(),
            },
        ];
        let mut seen = std::collections::HashSet::new();
        for p in &all {
            let e = Error::ModelFileBroken {
                at: "model.forest.trees[0].nodes[3]".into(),
                problem: p.clone(),
            };
            let (en, ja) = (error_text(Lang::En, &e), error_text(Lang::Ja, &e));
            assert!(en.contains("model.forest.trees[0].nodes[3]"), "{en}");
            assert!(ja.contains("model.forest.trees[0].nodes[3]"), "{ja}");
            assert!(seen.insert(model_problem_text(Lang::Ja, p)), "{ja}");
            assert!(seen.insert(model_problem_text(Lang::En, p)), "{en}");
            // No English in the Japanese sentence, beyond the place in the file and the
            // names it quotes.
            let ja_rest = ja
                .replace("model.forest.trees[0].nodes[3]", "")
                .replace("k_neighbors", "")
                .replace("age", "");
            assert!(
                !ja_rest.chars().any(|c| c.is_ascii_alphabetic()),
                "{ja_rest}"
            );
            assert!(!e.to_string().is_empty());
        }
    }
}
