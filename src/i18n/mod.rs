//! Japanese and English: every string the UI shows, and translated engine errors.

pub mod errors;
pub mod format;
pub mod models;
pub mod prose;
pub mod safety;

pub use errors::{
    category_title, error_text, recipe_field_text, recipe_problem_text, sentence_gap,
};
pub use prose::{conversion_note, day_text, expr_error_text, finding_text, preset_name};

use serde::{Deserialize, Serialize};

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
    KeepText => "Columns to keep as text (comma-separated)", "文字列のまま読む列（カンマ区切り）";
    KeepTextHelp => "Numbers written with separators, currency signs, percent signs or full-width digits (1,234 ¥500 87% １２３) are read as numbers. List a column here to keep its cells as written.",
        "桁区切り・通貨記号・パーセント記号・全角数字で書かれた数（1,234、¥500、87%、１２３）は数値として読み込みます。書かれたとおりの文字列として扱いたい列は、ここに列名を入力してください。";
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
    ErrTitleRecipe => "These settings cannot be carried out", "この設定では実行できません";
    ErrTitleSplit => "The data could not be split", "データを分割できませんでした";
    ErrTitleTarget => "This target cannot be used", "この目的変数は使えません";
    ErrTitlePreprocess => "The data could not be preprocessed", "データを前処理できませんでした";
    ErrTitleModelFile => "The model file could not be used", "モデルファイルを使えませんでした";
    ErrTitlePrediction => "The rows could not be scored", "予測できませんでした";
    ErrTitleCode => "The code could not be generated", "コードを生成できませんでした";
    ErrTitleBrowser => "The browser could not carry this out", "ブラウザでこの処理を実行できませんでした";
    ErrTitleInternal => "Something went wrong inside mlplay", "mlplay の内部でエラーが起きました";
    TrainingFailed => "Training failed.", "学習できませんでした。";
    ExportFailed => "The export could not be made.", "書き出せませんでした。";
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
    KindDate => "date", "日付";
    DateSettings => "Date columns", "日付の列";
    DateSettingsHelp => "Each date column becomes these numbers, computed from the training rows and then imputed and scaled like the numeric columns. None ticked: date columns are left out.",
        "日付の列は次の数値に置き換えます。学習データから計算し、数値の列と同じように補完・スケーリングします。何も選ばなければ日付の列は使いません。";
    DatePartYear => "year", "年";
    DatePartMonth => "month (1–12)", "月（1〜12）";
    DatePartDayofweek => "day of week (Monday 0)", "曜日（月曜日を 0）";
    DatePartDays => "days since the earliest training date", "学習データで最も古い日付からの日数";
    DescribeDates => "Date columns (describe)", "日付列の要約（describe）";
    StatEarliest => "earliest", "最も古い日付";
    StatLatest => "latest", "最も新しい日付";
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

    // Navigation and step intros.
    Steps => "Workshop steps", "ワークショップの手順";
    NavData => "Data", "データ";
    NavBusiness => "1 Business Understanding", "1 ビジネス理解";
    NavAnalyze => "2 Analyze", "2 データ分析";
    NavPrepare => "3 Prepare", "3 データ準備";
    NavPreprocess => "4 Preprocess", "4 前処理";
    NavTrain => "5 Train", "5 学習";
    NavTest => "6 Test", "6 テスト";
    NavReport => "Report", "レポート";
    NavEnding => "Ending", "まとめ";
    What => "What we do", "何をするか";
    Why => "Why", "なぜ";
    How => "How", "どうやって";
    DataWhat => "Pick the data the whole workshop works on: a bundled dataset or your own CSV file.",
        "ワークショップ全体で使うデータを選びます。同梱のデータセットか、自分の CSV ファイルです。";
    BusinessWhat => "State, in the customer's words, what changes for the user once ML is there, and put a number on it: value per day, costs, and the day the project pays back.",
        "ML が入ると利用者にとって何が変わるのかを顧客の言葉で言い表し、数字にします。1 日あたりの価値、コスト、そして投資を回収できる日です。";
    BusinessWhy => "Projects without a clear business goal are the most common way ML projects fail. A formula also shows who owns each number, so a missed accuracy target need not end the project.",
        "ビジネス上の目的があいまいなことは、ML プロジェクトが失敗する最も多い理由です。式にすると各数値の持ち主が分かり、精度目標に届かなくてもプロジェクトを終わらせずに済みます。";
    BusinessHow => "Programming: the value calculator and your own formula below. Communication: check each number with the team that owns it.",
        "プログラミング: 下の価値計算機と自分の式。コミュニケーション: 各数値をその持ち主のチームと確認します。";
    AnalyzeWhat => "Diagnose whether today's data, in quantity and quality, can deliver the value of step 1.",
        "今あるデータが、量と質の両面で、ステップ 1 の価値を実現できるかを診断します。";
    AnalyzeWhy => "Garbage in, garbage out: missing values, outliers and redundant columns limit any model. Finding them now is cheaper than after training.",
        "ゴミを入れればゴミが出てきます。欠損値、外れ値、重複した情報を持つ列はどのモデルの性能も制限します。学習の後より今見つけるほうが安く済みます。";
    AnalyzeHow => "Programming: the charts and lists below, computed as pandas and scipy compute them. Communication: review the findings with a domain expert before you accept them.",
        "プログラミング: 以下のグラフと一覧（pandas と scipy と同じ計算）。コミュニケーション: 所見を採用する前にドメインエキスパートと確認します。";
    PrepareWhat => "Fill the gaps the diagnosis found: collect, annotate and clean data with the teams that own it.",
        "診断で見つかった不足を埋めます。データを持つチームと一緒に、収集・アノテーション・クリーニングを行います。";
    PrepareWhy => "The diagnosis showed what today's data lacks. Filling the gaps takes other teams: collecting, labelling and cleaning data is work that has to be asked for clearly.",
        "診断で、今のデータに足りないものが分かりました。その穴を埋めるには他のチームの協力が必要です。データの収集・ラベル付け・クリーニングは、はっきり依頼すべき仕事です。";
    PrepareHow => "Programming: turn the accepted findings into a data request. Communication: write the request by 5W1H so that the owning team can act on it without a meeting.",
        "プログラミング：採用した診断結果をデータ提供の依頼にまとめます。コミュニケーション：担当チームが打ち合わせなしで動けるよう、5W1H で依頼を書きます。";
    RequestTitle => "Data request", "データ提供の依頼";
    RequestWhy => "Why (the value it serves)", "なぜ（どの価値のためか）";
    RequestWhen => "By when", "いつまでに";
    RequestWhere => "Where (where the data is collected)", "どこで（データを集める場所）";
    RequestWho => "Who (who provides, who labels)", "誰が（提供する人・ラベルを付ける人）";
    RequestWhat => "What (the data's structure)", "何を（データの構造）";
    RequestHow => "How (format, tool, hand-over)", "どのように（形式・ツール・受け渡し方法）";
    RequestWhyHint => "e.g. to cut the checking team's hours, as in the value formula of step 1", "例：ステップ 1 の価値の式にある、確認チームの作業時間を減らすため";
    RequestWhenHint => "e.g. a first batch in two weeks, then every month", "例：最初の分を 2 週間後、その後は毎月";
    RequestWhereHint => "e.g. the sales system's database, or photos taken at the inspection line", "例：販売システムのデータベース、検査ラインで撮影した写真";
    RequestWhoHint => "e.g. the sales team exports; two domain experts label together with the ML team", "例：営業チームが出力し、ドメインエキスパート 2 名が ML チームと一緒にラベルを付ける";
    RequestWhatHint => "e.g. one row per sale: these columns, with the missing values filled in", "例：販売 1 件につき 1 行。これらの列を、欠損を埋めた状態で";
    RequestHowHint => "e.g. CSV in UTF-8 on the shared drive; labels in Label Studio", "例：UTF-8 の CSV を共有ドライブへ。ラベルは Label Studio で";
    FillFromDiagnosis => "Add the accepted findings to “What”", "採用した診断結果を「何を」に追加";
    NoAcceptedFindings => "No finding is accepted yet: decide on them in step 2 first.", "採用した診断結果がまだありません。先にステップ 2 で判断してください。";
    RequestMarkdown => "The request as Markdown", "Markdown にした依頼";
    CopyMarkdown => "Copy", "コピー";
    Copied => "Copied.", "コピーしました。";
    CopyFailed => "The browser did not allow copying: select the text and copy it yourself.", "ブラウザがコピーを許可しませんでした。テキストを選択してコピーしてください。";
    RequestDrafted => "All six parts are filled in: the request is drafted.", "6 項目すべてが埋まり、依頼ができました。";
    RequestMissing => "Parts still empty:", "まだ空の項目：";
    PrepareFacts => "Good to know before you ask", "依頼する前に知っておきたいこと";
    FactOneOff => "Avoid one-off requests: how accurate a model gets is unknown until it exists, so plan for data to keep coming, with a regular sync with the team that provides it.",
        "一度きりの依頼は避けましょう。モデルの精度は作ってみるまで分かりません。データが継続して届くように計画し、提供チームと定期的に同期しましょう。";
    FactAugment => "Augmentation (flipped or cropped photos, paraphrased text) helps, but original data is better.",
        "データ拡張（写真の反転や切り抜き、文章の言い換え）は役に立ちますが、元のデータのほうが優れています。";
    FactTools => "Labelling tools such as doccano, Label Studio and Prodigy let domain experts label while the ML team labels alongside them.",
        "doccano・Label Studio・Prodigy などのラベル付けツールを使えば、ドメインエキスパートと ML チームが一緒にラベルを付けられます。";
    FactWhoToAsk => "The product manager asks the owning departments; a data architect or software engineer estimates the effort of a collection pipeline; an IT auditor or model risk manager checks personal-data law and terms of service.",
        "プロダクトマネージャーがデータを持つ部署に依頼し、データアーキテクトやソフトウェアエンジニアが収集の仕組みの工数を見積もり、IT 監査人やモデルリスク管理者が個人情報の法規制や利用規約を確認します。";
    PreprocessWhat => "Turn the prepared data into what a model learns from, fitting every step on training data only.",
        "準備したデータを、モデルが学習できる形に変換します。各処理は学習データだけで当てはめます。";
    TrainWhat => "Choose a model for the task and data, starting simple, and train it.",
        "タスクとデータに合うモデルを、単純なものから選んで学習させます。";
    TestWhat => "Test the model, the service and the system, and agree on the figure that says the model is usable.",
        "モデル・サービス・システムをテストし、モデルが使えると判断する指標を合意します。";
    ReportWhat => "Assemble your work into a report to show stakeholders.", "これまでの作業を、関係者に見せるレポートにまとめます。";
    EndingWhat => "Map what you did back to the reasons ML projects fail, and plan the next steps.",
        "行ったことを ML プロジェクトが失敗する理由と照らし合わせ、次の一歩を考えます。";
    EndingWhy => "About eight in ten ML projects are said to fail, for five recurring reasons. Each step of this workshop guards against some of them; here is what you did about each.",
        "ML プロジェクトの約 8 割は失敗すると言われ、その理由は 5 つに集約されます。このワークショップの各ステップはそのどれかへの備えです。ここでは、理由ごとにあなたが実際にしたことを振り返ります。";
    EndingSummary => "Done in this session: {done} of {of} (items whose exercises are not in this version yet are not counted).",
        "このセッションで済んだこと：{of} 項目中 {done} 項目（このバージョンに演習がまだない項目は数えていません）。";
    ReasonGoal => "Unclear business goal", "ビジネス目標があいまい";
    ReasonGoalHelp => "Without a value everyone can read, nobody can say whether the model is good enough.",
        "誰もが読める価値の定義がなければ、モデルが十分かどうかを誰も判断できません。";
    ReasonData => "Insufficient data quality", "データの品質が足りない";
    ReasonDataHelp => "Garbage in, garbage out: the data decides what a model can learn.",
        "ゴミを入れればゴミが出てきます。モデルが学べることはデータで決まります。";
    ReasonSponsor => "No project sponsor", "スポンサーがいない";
    ReasonSponsorHelp => "Someone with a budget has to see when the investment pays back and what counts as success.",
        "予算を持つ人に、投資がいつ回収できるか、何をもって成功とするかを見せる必要があります。";
    ReasonCollaboration => "Poor collaboration between teams", "チーム間の連携不足";
    ReasonCollaborationHelp => "The numbers in the formula and the data belong to other teams: ask them early, with a clear request.",
        "価値の式の数字もデータも、他のチームが持っています。早めに、はっきりした依頼として相談しましょう。";
    ReasonSpecialists => "No specialists", "専門家がいない";
    ReasonSpecialistsHelp => "You can build the first model yourself, then bring concrete results to a data scientist.",
        "最初のモデルは自分で作れます。そのうえで、具体的な結果を持ってデータサイエンティストに相談しましょう。";
    DeedFormula => "A value formula that computes", "計算できる価値の式";
    DeedScenarios => "Payback scenarios with valid inputs, compared on one chart", "入力が妥当な回収シナリオを 1 つのグラフで比較";
    DeedCases => "The three case exercises answered", "3 つのケース演習に回答";
    DeedDiagnosis => "The data diagnosed", "データを診断";
    DeedFindings => "Findings decided and carried into preprocessing", "診断結果を判断し、前処理に反映";
    DeedDataRequest => "A data request drafted", "データ提供の依頼を作成";
    DeedConversations => "The conversation exercises answered", "コミュニケーション演習に回答";
    DeedThreshold => "A \"usable if\" threshold agreed", "「使える」基準を設定";
    DeedTrained => "Models trained on the current settings", "現在の設定でモデルを学習";
    DeedPasses => "A model that meets the threshold on the test data", "テストデータで基準を満たすモデル";
    DeedReport => "The report exported for stakeholders", "関係者向けのレポートを出力";
    GoDoIt => "not yet: go to the step", "未完了：ステップへ";
    RoadsTitle => "Two roads from here", "ここから先の 2 つの道";
    RoadOperation => "Into operation", "運用へ";
    RoadOperationText => "A model only creates value once it runs in the product. Download a trained model in the Test step: `mlplay predict` scores files with it and `mlplay serve` answers prediction requests, in its own format and in the one MLflow's scoring server and SageMaker's model containers speak (`POST /invocations`, `GET /ping`), so DevOps can run a service-level test before an A/B test. Monitor the agreed threshold once it is live.",
        "モデルは製品の中で動いて初めて価値を生みます。テストのステップで学習済みモデルをダウンロードすれば、`mlplay predict` でファイルを採点でき、`mlplay serve` で予測リクエストに応答できます。独自の形式のほか、MLflow のスコアリングサーバーや SageMaker のモデルコンテナと同じ形式（`POST /invocations`、`GET /ping`）にも対応しています。A/B テストの前に、DevOps がサービスレベルのテストを行えます。稼働後は合意した基準を監視しましょう。";
    RoadScale => "Bigger data and more compute", "より大きなデータと計算資源へ";
    RoadScaleText => "A browser handles data of a few hundred megabytes. Past that, the same recipe moves to a cluster: `mlplay report --recipe RECIPE.json FILE --format pyspark` writes it as a PySpark (Spark MLlib) program with the same split, preprocessing and models, which runs on any Spark cluster or cloud notebook.",
        "ブラウザで扱えるのは数百 MB 程度のデータまでです。それを超えたら、同じレシピをクラスターに移します。`mlplay report --recipe RECIPE.json FILE --format pyspark` を実行すると、同じ分割・前処理・モデルを使う PySpark（Spark MLlib）のプログラムが出力され、どの Spark クラスターやクラウドのノートブックでも動きます。";
    NextTitle => "Next steps", "次の一歩";
    NextDiscuss => "Talk through a use case of your own product with a product manager and a data scientist; an Event Storming session is a good way to find where a prediction would change a decision.",
        "自分の製品のユースケースを、プロダクトマネージャーやデータサイエンティストと話し合いましょう。イベントストーミングは、予測が判断を変える場所を見つけるのに向いています。";
    NextLearn => "Keep learning: try the other bundled datasets, another model, or your own CSV, and compare the results with this session's.",
        "学び続けましょう。ほかの同梱データ、別のモデル、自分の CSV を試し、今回の結果と比べてみてください。";
    NextShare => "Share what you learned with your team, and the report with your stakeholders.",
        "学んだことをチームに、レポートを関係者に共有しましょう。";
    NeedsData => "This step needs data: choose a dataset first.", "このステップにはデータが必要です。先にデータセットを選んでください。";
    GoToData => "Go to the data page", "データのページへ";

    // Step 1: value calculator.
    ValueCalculator => "Value calculator", "価値計算機";
    Conventions => "Units and conventions", "単位と計算の約束";
    ConventionText => "Value accrues every calendar day. The monthly operation cost counts per day as monthly × 12 ÷ 365. The development cost is paid on day 0. Cumulative net value on day d = d × (value per day − operation cost per day) − development cost.",
        "価値は暦日ごとに生まれるものとします。月額の運用コストは 1 日あたり「月額 × 12 ÷ 365」として数えます。開発コストは 0 日目に支払います。d 日目の累積純価値 = d ×（1 日あたりの価値 − 1 日あたりの運用コスト）− 開発コスト。";
    CorrectionTitle => "What changed from the original notebook", "元のノートブックからの変更点";
    CorrectionText => "The notebook subtracted the whole monthly operation cost every day. With its own figures the pessimistic estimate (10 checkers × 7.5 h after ML) then looked like it never paid back; computed correctly it pays back on day",
        "元のノートブックは、月額の運用コスト全額を毎日差し引いていました。そのため悲観的な見積もり（ML 導入後 10 人 × 7.5 時間）は回収できないように見えましたが、正しく計算すると回収日は";
    CorrectionText2 => "The presets below therefore use figures where the revision really changes the verdict: B frees only one checker, and C keeps the checkers but cuts their checking hours.",
        "そこで下のプリセットは、見積もりの見直しで結論が本当に変わる数値にしています。B では検査員が 1 人しか減らず、C では人数はそのままで検査時間を減らします。";
    SentenceEnd => ".", "です。";
    ScenarioName => "Scenario name", "シナリオ名";
    ResetPresets => "Reset to the lesson's scenarios", "レッスンのシナリオに戻す";
    CheckersBefore => "Checkers without ML", "ML なしの検査員数";
    HoursBefore => "Checking hours per checker per day without ML", "ML なしの 1 人 1 日あたり検査時間";
    CheckersAfter => "Checkers with ML", "ML ありの検査員数";
    HoursAfter => "Checking hours per checker per day with ML", "ML ありの 1 人 1 日あたり検査時間";
    Wage => "Hourly wage", "時給";
    DevCost => "Development cost (once)", "開発コスト（一度だけ）";
    OpCost => "Operation cost", "運用コスト";
    Horizon => "Horizon", "期間";
    UnitPeople => "people", "人";
    UnitHours => "h / day", "時間/日";
    UnitYenHour => "yen / h", "円/時間";
    UnitYen => "yen", "円";
    UnitYenMonth => "yen / month", "円/月";
    UnitYears => "years", "年";
    OwnerChecking => "owner: checking team", "担当: 検査チーム";
    OwnerHiring => "owner: hiring", "担当: 採用";
    OwnerOps => "owner: system operations", "担当: システム運用";
    OwnerProject => "owner: ML project", "担当: ML プロジェクト";
    SavingPerDay => "Value per day", "1 日あたりの価値";
    OpPerDay => "Operation cost per day", "1 日あたりの運用コスト";
    NetPerDay => "Net per day", "1 日あたりの純価値";
    BreakEven => "Break-even", "回収日";
    NotWithin => "not within the horizon", "期間内に回収できない";
    NeverPays => "never: costs exceed the value", "回収できない（コストが価値を上回る）";
    WouldBe => "at this rate on day", "このペースなら回収は";
    FinalValue => "Net value at the horizon", "期間終了時の純価値";
    PaybackChart => "Cumulative net value", "累積純価値";
    ChartDay => "days from launch", "導入からの日数";
    ChartYen => "yen", "円";
    InvalidNumber => "Enter a number.", "数値を入力してください。";
    InvalidNegative => "Must not be negative.", "負の値は使えません。";
    InvalidHours => "At most 24 hours a day.", "1 日は 24 時間までです。";
    InvalidHorizon => "Between 0 and 30 years.", "0〜30 年の範囲で指定してください。";
    LessonTitle => "The lesson", "このレッスンの筋書き";
    LessonText => "A estimates that the model leaves 2 of 20 checkers: it pays back in weeks. B is the estimate after the first model: it catches too few fakes, 19 checkers are still needed, and the project does not pay back within three years. C comes from talking with the checking team: the model ranks listings so each checker spends 5 hours instead of 7.5 on checks — fewer hours rather than fewer people — and it pays back within a year. Whoever owns a number can change the outcome.",
        "A は、20 人の検査員が 2 人で済むという見積もりで、数週間で回収できます。B は最初のモデルの後の見積もりです。偽物を見逃しすぎるため 19 人が必要なままで、3 年以内に回収できません。C は検査チームとの話し合いから生まれた案です。モデルが出品を並べ替えるので、各検査員の検査時間は 7.5 時間から 5 時間に減ります（人数ではなく時間を減らす）。これなら 1 年以内に回収できます。数値の持ち主が結果を変えられるのです。";

    // Step 1: formula editor and cases.
    FormulaTitle => "Your own formula", "自分の式";
    FormulaHelp => "Name your variables, then write the value per day (yen) with + − × ÷ and parentheses. Names may be Japanese.",
        "変数に名前を付け、1 日あたりの価値（円）を + − × ÷ と括弧で書きます。名前は日本語でも構いません。";
    VarName => "Variable", "変数名";
    VarValue => "Value", "値";
    AddVariable => "Add a variable", "変数を追加";
    Remove => "Remove", "削除";
    Expression => "Value per day =", "1 日あたりの価値 =";
    FormulaOk => "Value per day:", "1 日あたりの価値:";
    BadVarName => "Names start with a letter or _ and contain letters, digits or _.",
        "名前は文字か _ で始め、文字・数字・_ だけを使います。";
    DuplicateVar => "This name is used twice.", "この名前は 2 回使われています。";
    AtPosition => "at character", "位置";
    ErrEmpty => "Write a formula.", "式を入力してください。";
    ErrUnexpectedChar => "Unexpected character", "使えない文字です";
    ErrUnexpectedEnd => "The formula ends too early.", "式が途中で終わっています。";
    ErrExpected => "Expected", "次が必要です:";
    ErrUnclosed => "This parenthesis is never closed.", "この括弧が閉じられていません。";
    ErrUnknownVar => "Unknown variable", "未定義の変数";
    ErrDivZero => "Division by zero.", "0 で割っています。";
    ErrBadNumber => "Not a valid number.", "数値として正しくありません。";
    ErrCommaInNumber => "A comma is not a decimal point: write 1.5, not 1,5. Commas may only separate groups of three digits (10,000).",
        "カンマは小数点になりません。1,5 ではなく 1.5 と書いてください。カンマは 10,000 のように 3 桁ごとの区切りにだけ使えます。";
    CasesTitle => "Case exercises", "ケース演習";
    CasesHelp => "Write your answer first, then compare it with a model answer.", "まず自分の答えを書き、それから模範解答と比べてください。";
    YourAnswer => "Your answer", "あなたの答え";
    Reveal => "Show a model answer", "模範解答を見る";
    Hide => "Hide the model answer", "模範解答を隠す";
    CaseBottleTitle => "(a) Broken bottles at a beverage maker", "(a) 飲料メーカーの瓶割れ検査";
    CaseBottleQ => "A beverage maker wants a model that spots cracked bottles on the line. Write the value of ML as formulas along Quality, Cost and Delivery.",
        "飲料メーカーが、製造ラインでひびの入った瓶を見つけるモデルを作りたいと考えています。ML の価値を品質（Q）・コスト（C）・納期（D）の観点で式にしてください。";
    CaseBottleA => "Quality: (claims per month before − after) × loss per claim. Cost: (inspectors before − after) × inspection hours per day × hourly wage. Delivery: (inspection time per lot before − after), i.e. shorter lead time. Ask the product manager which of Q, C and D the business cares about first: that decides what the model must be good at.",
        "品質: （導入前の月間クレーム数 − 導入後）× 1 件あたりの損失。コスト: （導入前の検査員数 − 導入後）× 1 日の検査時間 × 時給。納期: （ロットあたりの検査時間 導入前 − 導入後）、つまりリードタイムの短縮。Q・C・D のどれを最優先するかをプロダクトマネージャーに確認します。それがモデルに求める性能を決めます。";
    CaseRoadTitle => "(b) Cracks in roads", "(b) 道路のひび割れ検出";
    CaseRoadQ => "A city wants a model to replace 'average' road inspectors. How would you decide that the model is good enough, and what is it worth?",
        "ある自治体が「平均的な」道路点検員をモデルで置き換えたいと考えています。モデルが十分だと判断する基準と、その価値を考えてください。";
    CaseRoadA => "Acceptance: on the same roads, novice detections < model detections < expert detections — the model must beat a novice, not match an expert. Value: (inspectors before − after) × hours × wage. If the inspection manager still says no, change the user in the story and pivot: the municipality that plans repairs also values a city-wide crack map.",
        "合格基準: 同じ道路で、新人の検出数 < モデルの検出数 < ベテランの検出数。モデルは新人に勝てばよく、ベテランと同等である必要はありません。価値: （導入前の点検員数 − 導入後）× 時間 × 時給。点検の責任者が納得しない場合は、ユーザーストーリーの主語を変えて方向転換します。補修計画を立てる自治体にとっても、市全体のひび割れ地図には価値があります。";
    CaseChatTitle => "(c) Abusive chat at “100%”", "(c) 「100%」の不適切チャット検出";
    CaseChatQ => "A chat service demands a model that catches 100% of abusive messages. How do you respond, and how do you value the model?",
        "チャットサービスから、不適切なメッセージを 100% 見つけるモデルを求められました。どう応え、モデルの価値をどう見積もりますか。";
    CaseChatA => "No model is 100% accurate, so design the whole system: the model scores every message and puts the riskiest first; a small human team decides. The model's value is the value of the material it prepares for the reviewers: (messages a reviewer reads per day before − after) × time per message × wage, plus faster responses to the worst messages.",
        "100% のモデルは存在しないので、システム全体を設計します。モデルが全メッセージに点数を付けて危険なものから並べ、少人数の担当者が最終判断します。モデルの価値は、担当者のために用意する材料の価値です: （1 日に読むメッセージ数 導入前 − 導入後）× 1 件あたりの時間 × 時給。さらに、最も悪質なメッセージへの対応が早くなります。";

    // Step 2: diagnosis.
    TargetColumn => "Target column", "目的変数の列";
    TaskDetected => "detected", "自動判定";
    TaskAuto => "Detect automatically", "自動判定";
    Quantity => "Quantity", "データの量";
    ClassCounts => "Rows per class", "クラスごとの行数";
    Class => "Class", "クラス";
    Count => "Count", "件数";
    MissingTitle => "Missing values", "欠損値";
    MissingHelp => "Percentage of missing values per column (columns with none are left out). Columns above the threshold are candidates to drop.",
        "列ごとの欠損率（欠損のない列は省略）。しきい値を超える列は削除の候補です。";
    Threshold => "Threshold", "しきい値";
    AboveThreshold => "Above the threshold:", "しきい値を超える列:";
    NoneFound => "none", "なし";
    TargetTitle => "The target", "目的変数";
    Bins => "Bins", "ビン数";
    Frequency => "rows", "行数";
    Fence => "fence", "境界";
    LowerBound => "Lower bound Q1 − 1.5 × IQR", "下側の境界 Q1 − 1.5 × IQR";
    UpperBound => "Upper bound Q3 + 1.5 × IQR", "上側の境界 Q3 + 1.5 × IQR";
    RowsBelow => "rows below", "下回る行";
    RowsAbove => "rows above", "上回る行";
    TargetIsCategorical => "The target is categorical: see the rows per class above.", "目的変数はカテゴリです。上のクラスごとの行数を見てください。";
    RelationsTitle => "Features and the target", "特徴量と目的変数の関係";
    RelationsHelpRegression => "Pearson correlation of each column with the target, over the rows where both are present (as pandas' corr).",
        "各列と目的変数のピアソン相関係数（両方がそろっている行で計算。pandas の corr と同じ）。";
    OrdinalCaveat => "Categorical columns are coded 0, 1, 2, … in alphabetical (code-point) order first, as scikit-learn's OrdinalEncoder does. That invents an order the categories may not have, so read their bars with care.",
        "カテゴリ列は、scikit-learn の OrdinalEncoder と同じく、文字コード順に 0, 1, 2, … と番号を振ってから計算します。本来ない順序を作り出すので、その棒は注意して読んでください。";
    RelationsHelpClassification => "For a categorical target: the correlation ratio η for numeric columns and Cramér's V for categorical columns (0 = unrelated, 1 = fully determined).",
        "目的変数がカテゴリの場合: 数値列は相関比 η、カテゴリ列はクラメールの V（0 = 無関係、1 = 完全に決まる）。";
    Strength => "strength", "強さ";
    NumericPairsTitle => "Numeric features against each other", "数値の特徴量どうしの相関";
    NumericPairsHelp => "Pearson correlation matrix. Listed: every column whose |r| with an earlier column exceeds the threshold (upper triangle, column order); the target and id-like columns are left out.",
        "ピアソン相関行列。一覧には、前にある列との |r| がしきい値を超える列をすべて載せます（上三角、列の順）。目的変数と ID のような列は除きます。";
    CategoricalPairsTitle => "Categorical features against each other", "カテゴリの特徴量どうしの関連";
    CategoricalPairsHelp => "Cramér's V = √(χ² ÷ (n × (min(rows, columns) − 1))), without Yates' correction, over the rows where both columns are present.",
        "クラメールの V = √(χ² ÷ (n × (min(行数, 列数) − 1)))。イェーツの補正なし、両方の列がそろっている行で計算します。";
    CramerCorrection => "The original notebook computed χ² ÷ (n × (k − 1)) without the square root — that is V², not V. mlplay computes true V, so with the same threshold 0.5 more pairs are listed than the notebook found.",
        "元のノートブックは平方根を取らずに χ² ÷ (n × (k − 1)) を計算していました。これは V ではなく V² です。mlplay は本来の V を計算するので、同じしきい値 0.5 でもノートブックより多くの組が挙がります。";
    ThinCorrection => "The original notebook dropped a column whenever V passed the threshold, however few rows the pair rested on. These pairs pass it, but on too little evidence (under the minimum of shared rows, more than a fifth of the expected counts under 5, or shared rows covering under half of the column it would drop, as with a mostly missing partner), so mlplay shows them and recommends no drop:",
        "元のノートブックは、組がわずかな行にしか基づいていなくても、V がしきい値を超えれば列を削除していました。次の組はしきい値を超えていますが、根拠が足りません（共通する行が最小数未満、期待度数の 5 分の 1 超が 5 未満、または相手の列がほとんど欠損していて、削除する列の行の半分にも届かない）。そのため mlplay は表示だけして、削除は勧めません。";
    NotPairedNote => "Not paired (more categories than the limit; V would be near 1 by construction):",
        "組み合わせから外した列（カテゴリ数が上限を超え、V が必ず 1 に近くなるため）:";
    LevelsWord => "categories", "種類";
    MatrixTooWide => "Too many columns for a readable heatmap: the pairs above are complete, the chart is left out.",
        "列が多すぎてヒートマップを読み取れないため、図は省きました。上の一覧にはすべての組が載っています。";
    ChartTop => "Too many columns to draw them all: the chart shows the strongest at each end, in all", "列が多すぎてすべては描けないため、両端から強い順に表示しています。表示する列の数:";
    ByDefault => "applied unless you untick it", "チェックを外さない限り適用";
    MissingAsCategory => "Count a missing value as a category of its own", "欠損を独立したカテゴリとして数える";
    Unreliable => "Too little evidence to judge (few shared rows, many expected counts under 5, or a mostly missing partner):", "根拠が少なすぎて判断できない組（共通する行が少ない、期待度数が 5 未満のセルが多い、または相手の列がほとんど欠損している）:";
    Pair => "Pair", "組";
    SharedRows => "shared rows", "共通の行";
    FindingsTitle => "Diagnosis", "診断結果";
    FindingsHelp => "Tick the findings to apply in step 4 (Preprocess). Nothing is dropped until you decide.",
        "ステップ 4（前処理）で適用する所見にチェックを付けてください。決めるまで何も削除されません。";
    ApplyInPreprocess => "apply in Preprocess", "前処理で適用";
    NoFindings => "No findings with these thresholds.", "このしきい値では所見はありません。";
    Accepted => "accepted", "採用";
    BoxPlot => "Box plot of", "箱ひげ図:";
    Comma => ", (comma)", ", （カンマ）";
    Semicolon => "; (semicolon)", "; （セミコロン）";
    InfoTables => "Show the info and describe tables", "info と describe の表を表示";
    PreprocessWhy => "Models learn from numbers without gaps on comparable scales. Every statistic used for that — medians, means, scales, categories — is taken from the training rows only; otherwise the test would see its own answers (leakage) and look better than reality.",
        "モデルは、欠けのない、尺度のそろった数値から学習します。そのための統計量（中央値・平均・スケール・カテゴリ）はすべて学習データの行だけから求めます。そうしないとテストが自分の答えを見てしまい（リーク）、実力以上に良く見えます。";
    PreprocessHow => "Programming: the settings below, carried out as scikit-learn does. Communication: ask the data analyst how they preprocess today, and report the excluded rows to the product manager.",
        "プログラミング: 下の設定（scikit-learn と同じ処理）。コミュニケーション: データアナリストに普段の前処理を聞き、除外した行をプロダクトマネージャーに報告します。";
    SplitTitle => "Split first", "最初に分割する";
    SplitHelp => "As scikit-learn's train_test_split: the rows are shuffled with the seed and the first part becomes the test set.",
        "scikit-learn の train_test_split と同じく、シードで行を並べ替え、先頭の部分をテストデータにします。";
    TestSize => "Test share", "テストの割合";
    Shuffle => "Shuffle", "シャッフルする";
    Stratify => "Stratify: keep each class's share the same in train and test", "層化する: 各クラスの割合を学習とテストでそろえる";
    Seed => "Seed (random_state)", "シード（random_state）";
    SplitSizes => "Rows", "行数";
    TrainRows => "train", "学習";
    TrainAfterFilters => "train after the filters", "フィルター後の学習";
    TestRows => "test", "テスト";
    ColumnsTitle => "Columns to use", "使う列";
    ColumnsHelp => "Unticked columns are left out. Accepted findings from step 2 untick their columns; you can overrule any of them here.",
        "チェックを外した列は使いません。ステップ 2 で採用した所見の列は最初から外れていますが、ここで変更できます。";
    FromFinding => "left out by a finding", "所見により除外";
    FiltersTitle => "Training-only filters", "学習データだけのフィルター";
    FiltersHelp => "Rows outside these ranges are dropped from training only; the test set stays as the real world sends it. Change them by accepting or rejecting findings in step 2.",
        "この範囲外の行は学習データからだけ除きます。テストデータは現実のままにします。変更はステップ 2 の所見の採用・不採用で行います。";
    NoFilters => "No filters.", "フィルターはありません。";
    NumericSettings => "Numeric columns", "数値列";
    CategoricalSettings => "Categorical columns", "カテゴリ列";
    Impute => "Fill missing values with", "欠損値の補完";
    ImputeMedian => "median", "中央値";
    ImputeMean => "mean", "平均値";
    ImputeMostFrequent => "most frequent value", "最頻値";
    ImputeConstant => "a constant", "定数";
    ScaleLabel => "Scaling", "スケーリング";
    ScaleStandard => "standardise (mean 0, variance 1)", "標準化（平均 0、分散 1）";
    ScaleMinMax => "min–max to [0, 1]", "最小・最大で [0, 1] に";
    ScaleNone => "none", "なし";
    EncodeLabel => "Encoding", "エンコーディング";
    EncodeOrdinal => "ordinal codes 1..k (unknown → 0)", "順序コード 1..k（未知 → 0）";
    EncodeOnehot => "one-hot columns (unknown → all 0)", "ワンホット列（未知 → すべて 0）";
    TargetStandard => "Standardise the target too (predictions are transformed back)", "目的変数も標準化する（予測値は元の尺度に戻す）";
    BeforeAfter => "Before and after, on the training rows", "前処理の前と後（学習データ）";
    Before => "before", "前";
    After => "after", "後";
    ScatterColumn => "Column for the scatter plot", "散布図の列";
    PreviewTitle => "The processed training data (first rows)", "前処理後の学習データ（先頭の行）";
    Downloads => "Downloads", "ダウンロード";
    DownloadTrain => "Processed training data (CSV)", "前処理済みの学習データ（CSV）";
    DownloadTest => "Raw test data (CSV)", "前処理前のテストデータ（CSV）";
    StdNote => "std is the sample standard deviation (ddof 1, as describe); the scaler divides by the ddof-0 value, so a standardised column shows slightly above 1.",
        "std は describe と同じ標本標準偏差（ddof 1）です。スケーラーは ddof 0 の値で割るので、標準化した列は 1 よりわずかに大きく表示されます。";
    NeedsTarget => "The diagnosis has no usable target yet: choose one in step 2.", "診断に使える目的変数がまだありません。ステップ 2 で選んでください。";
    TrainWhy => "Start simple: a simpler model is easier to explain, and it sets the bar a complex one has to beat.",
        "単純なモデルから始めます。単純なモデルは説明しやすく、複雑なモデルが超えるべき基準になります。";
    TrainHow => "Programming: choose models and hyperparameters and train them below (in the background; the page stays usable). Communication: ask a data scientist to review the choice and the training method.",
        "プログラミング: 下でモデルとハイパーパラメータを選んで学習させます（バックグラウンドで実行され、ページは操作できます）。コミュニケーション: モデルの選択と学習方法をデータサイエンティストにレビューしてもらいます。";
    GuideTitle => "Which model?", "どのモデルを使う？";
    GuideHelp => "scikit-learn's estimator-selection flowchart, asked as questions.", "scikit-learn の「推定器の選び方」フローチャートを質問形式にしたものです。";
    QSamples => "More than 50 samples?", "サンプルは 50 件より多い？";
    QCategory => "Predicting a category?", "カテゴリを予測する？";
    QUnder100k => "Fewer than 100,000 samples?", "サンプルは 10 万件未満？";
    QFewFeatures => "Should only a few features matter?", "効く特徴量は少数のはず？";
    Yes => "yes", "はい";
    No => "no", "いいえ";
    Recommend => "Recommended:", "おすすめ:";
    RecFewFeatures => "Lasso or ElasticNet (they set unimportant coefficients to zero)", "Lasso または ElasticNet（重要でない係数を 0 にします）";
    RecManyFeatures => "Ridge; if it is not good enough, an ensemble such as a random forest", "Ridge。不十分ならランダムフォレストなどのアンサンブル";
    RecClassifier => "a linear classifier (logistic regression); if not good enough, k-nearest neighbours, then an ensemble such as a random forest", "線形分類器（ロジスティック回帰）。不十分なら k 近傍法、さらにランダムフォレストなどのアンサンブル";
    RecTooFew => "collect more data first", "まずデータを増やしましょう";
    RecLarge => "SGD-based models; mlplay's browser models are meant for smaller data", "SGD 系のモデル。mlplay のブラウザ内モデルは小さめのデータ向けです";
    ModelsTitle => "Models and hyperparameters", "モデルとハイパーパラメータ";
    TrainButton => "Train", "学習する";
    Training => "Training…", "学習中…";
    TrainingCancelled => "Training was cancelled.", "学習をキャンセルしました。";
    TrainedIn => "Trained in", "学習時間";
    StaleResults => "The settings changed since these models were trained: train again to update them.", "学習後に設定が変わりました。もう一度学習すると更新されます。";
    NoModels => "Choose at least one model.", "モデルを 1 つ以上選んでください。";
    Coefficients => "Coefficients (on standardised inputs)", "係数（標準化した入力に対して）";
    Importances => "Feature importances", "特徴量の重要度";
    NoImportances => "This model has no coefficients or importances to show.", "このモデルには表示できる係数や重要度がありません。";
    NotTrained => "No trained models yet: train them in step 5.", "まだ学習済みのモデルがありません。ステップ 5 で学習してください。";
    TestWhy => "A figure such as “R² 0.86” means little to a product manager: agree on a threshold, let people try the model, and keep the figure as the metric to monitor in operation.",
        "「R² 0.86」のような数字はプロダクトマネージャーにはほとんど意味がありません。しきい値を合意し、モデルを実際に試してもらい、その指標を運用中に監視します。";
    TestHow => "Programming: the metrics, charts and try-it panel below. Communication: a data scientist reviews the evaluation; DevOps turns the model into a service; the product manager recruits users for A/B and usability tests.",
        "プログラミング: 下の指標・グラフ・お試しパネル。コミュニケーション: 評価をデータサイエンティストがレビューし、DevOps がモデルをサービス化し、プロダクトマネージャーが A/B テストやユーザビリティテストの参加者を集めます。";
    Comparison => "All models", "全モデルの比較";
    Model => "Model", "モデル";
    TrainSet => "train", "学習";
    TestSet => "test", "テスト";
    UsableIf => "Usable if", "使える条件";
    Pass => "pass", "合格";
    Fail => "fail", "不合格";
    MonitorNote => "This threshold is the metric to monitor once the model runs in the product.", "このしきい値は、モデルを製品で動かした後に監視する指標になります。";
    ModelFiles => "Take a model with you", "モデルを持ち出す";
    ModelFilesNote => "One JSON file per model holds the recipe, the fitted preprocessing (imputers, scalers, encoders) and the model itself. On any machine, `mlplay predict --model FILE data.csv` scores a CSV with exactly these predictions, and `mlplay serve --model FILE` answers POST /predict on 127.0.0.1:8080.",
        "モデルごとの JSON ファイルに、レシピ・学習済みの前処理（補完・スケーリング・エンコーディング）・モデル本体が入っています。どのマシンでも `mlplay predict --model ファイル data.csv` で CSV をこの画面と同じ予測値で採点でき、`mlplay serve --model ファイル` で 127.0.0.1:8080 の POST /predict に答えるサーバーになります。";
    DownloadModel => "Download", "ダウンロード";
    DownloadFailed => "The file could not be made:", "ファイルを作成できませんでした：";
    ChartsFor => "Charts for", "グラフの対象";
    Actual => "actual", "実測値";
    Predicted => "predicted", "予測値";
    Residual => "residual (actual − predicted)", "残差（実測値 − 予測値）";
    Confusion => "Confusion matrix (rows: actual, columns: predicted)", "混同行列（行: 実際、列: 予測）";
    Roc => "ROC curve", "ROC 曲線";
    FalsePositiveRate => "false positive rate", "偽陽性率";
    TruePositiveRate => "true positive rate", "真陽性率";
    TryIt => "Try it", "試してみる";
    TryItHelp => "Pick a test row or change any value: every model's prediction updates at once. This is the demo to show a product manager or domain expert.",
        "テストデータの行を選ぶか、値を変えてみてください。すべてのモデルの予測がすぐに更新されます。プロダクトマネージャーやドメインエキスパートに見せるデモです。";
    TestRow => "Test row", "テストデータの行";
    Prediction => "Prediction", "予測";
    StatAccuracy => "accuracy", "正解率";
    PrecisionMacro => "precision (macro)", "適合率（マクロ平均）";
    RecallMacro => "recall (macro)", "再現率（マクロ平均）";
    F1Macro => "F1 (macro)", "F1（マクロ平均）";
    AnalysedIn => "The whole diagnosis took", "診断全体の計算時間:";
    Diagnosing => "Diagnosing the data in the background… the page stays usable.", "バックグラウンドでデータを診断しています。その間もページは操作できます。";
    DiagnosisCancelled => "The diagnosis was cancelled.", "診断をキャンセルしました。";
    DiagnoseAgain => "Diagnose again", "もう一度診断する";
}

/// English or Japanese: a pair of literal texts written where they are used (the report, the
/// exercises), rather than in the [`T`] table.
pub fn l(lang: Lang, en: &'static str, ja: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Ja => ja,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Error;

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
    fn every_error_has_its_own_text_in_each_language() {
        for e in Error::examples() {
            let (en, ja) = (error_text(Lang::En, &e), error_text(Lang::Ja, &e));
            assert!(!en.trim().is_empty() && !ja.trim().is_empty(), "{e:?}");
            assert_ne!(en, ja, "{e:?}");
            assert!(!ja.is_ascii(), "{e:?}: {ja}");
            // What a library or the browser said is English: it stays out of the Japanese text.
            if let Some(detail) = detail_of(&e) {
                assert!(en.contains(detail), "{e:?}: {en}");
                assert!(!ja.contains(detail), "{e:?}: {ja}");
            }
            // Only a reading failure sits under the file-reading heading.
            let heading = category_title(Lang::Ja, e.category());
            assert!(!heading.is_empty() && heading != category_title(Lang::En, e.category()));
            if e.category() != crate::engine::Category::Read {
                assert_ne!(heading, T::ErrorTitle.get(Lang::Ja), "{e:?}");
                assert!(!ja.contains("読み込めませんでした"), "{e:?}: {ja}");
            }
        }
    }

    fn detail_of(e: &Error) -> Option<&str> {
        match e {
            Error::Io(d)
            | Error::FileUnreadable { detail: d }
            | Error::ModelFileInvalid { detail: d }
            | Error::CodeGeneration { detail: d }
            | Error::WorkerStart { detail: d }
            | Error::WorkerFailed { detail: d }
            | Error::DownloadFailed { detail: d }
            | Error::Internal { detail: d }
            | Error::Malformed { message: d, .. } => Some(d),
            _ => None,
        }
    }

    #[test]
    fn a_recipe_problem_names_the_setting_in_each_language() {
        let e = Error::Recipe {
            field: "models[1]".into(),
            issue: crate::engine::RecipeIssue::BadValue {
                param: "n_estimators".into(),
                value: 0.0,
                allowed: crate::engine::models::catalogue::allowed("random_forest", "n_estimators"),
            },
        };
        assert_eq!(
            error_text(Lang::En, &e),
            "Model 2: n_estimators must be a whole number from 1 to 1000; it is 0."
        );
        assert_eq!(
            error_text(Lang::Ja, &e),
            "モデル 2：n_estimators が 0 になっています。1 以上 1000 以下の整数にしてください。"
        );
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
