//! The communication exercises: for each step, the points a learner must take to other people,
//! the 18-role directory to pick them from, the three request types, a scenario worded from
//! the learner's own results, and a model answer with its reasoning. Plain data; the UI and
//! the report read it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::report::l;
use crate::session::{Route, Session};

/// The 18 roles of the workshop's directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    ProductManager,
    BusinessAnalyst,
    DataAnalyst,
    Architect,
    DevOpsEngineer,
    SoftwareEngineer,
    Operator,
    SystemAdmin,
    ItAuditor,
    DataArchitect,
    DomainExpert,
    DataEngineer,
    DataScientist,
    MlEngineer,
    MlOperator,
    ModelRiskManager,
    MlOpsEngineer,
    AiMlArchitect,
}

/// Which side of the organisation a role sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Team {
    /// The product and DevOps side, there before ML.
    Product,
    /// The roles that join once ML is in the product.
    Ml,
}

impl Team {
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Team::Product => l(lang, "Product and DevOps", "プロダクト・DevOps"),
            Team::Ml => l(lang, "Joining with ML", "ML 導入で加わる役割"),
        }
    }
}

impl Role {
    pub const ALL: [Role; 18] = [
        Role::ProductManager,
        Role::BusinessAnalyst,
        Role::DataAnalyst,
        Role::Architect,
        Role::DevOpsEngineer,
        Role::SoftwareEngineer,
        Role::Operator,
        Role::SystemAdmin,
        Role::ItAuditor,
        Role::DataArchitect,
        Role::DomainExpert,
        Role::DataEngineer,
        Role::DataScientist,
        Role::MlEngineer,
        Role::MlOperator,
        Role::ModelRiskManager,
        Role::MlOpsEngineer,
        Role::AiMlArchitect,
    ];

    /// Stable id, used in storage, share links and element ids.
    pub fn id(self) -> &'static str {
        match self {
            Role::ProductManager => "product-manager",
            Role::BusinessAnalyst => "business-analyst",
            Role::DataAnalyst => "data-analyst",
            Role::Architect => "architect",
            Role::DevOpsEngineer => "devops-engineer",
            Role::SoftwareEngineer => "software-engineer",
            Role::Operator => "operator",
            Role::SystemAdmin => "system-admin",
            Role::ItAuditor => "it-auditor",
            Role::DataArchitect => "data-architect",
            Role::DomainExpert => "domain-expert",
            Role::DataEngineer => "data-engineer",
            Role::DataScientist => "data-scientist",
            Role::MlEngineer => "ml-engineer",
            Role::MlOperator => "ml-operator",
            Role::ModelRiskManager => "model-risk-manager",
            Role::MlOpsEngineer => "mlops-engineer",
            Role::AiMlArchitect => "ai-ml-architect",
        }
    }

    pub fn from_id(id: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn team(self) -> Team {
        if (self as usize) < 12 {
            Team::Product
        } else {
            Team::Ml
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        use Role::*;
        match self {
            ProductManager => l(lang, "Product Manager", "プロダクトマネージャー"),
            BusinessAnalyst => l(lang, "Business Analyst", "ビジネスアナリスト"),
            DataAnalyst => l(lang, "Data Analyst", "データアナリスト"),
            Architect => l(lang, "Architect", "アーキテクト"),
            DevOpsEngineer => l(lang, "DevOps Engineer", "DevOps エンジニア"),
            SoftwareEngineer => l(lang, "Software Engineer", "ソフトウェアエンジニア"),
            Operator => l(lang, "Operator", "オペレーター"),
            SystemAdmin => l(lang, "System Admin", "システム管理者"),
            ItAuditor => l(lang, "IT Auditor", "IT 監査担当"),
            DataArchitect => l(lang, "Data Architect", "データアーキテクト"),
            DomainExpert => l(lang, "Domain Expert", "ドメインエキスパート"),
            DataEngineer => l(lang, "Data Engineer", "データエンジニア"),
            DataScientist => l(lang, "Data Scientist", "データサイエンティスト"),
            MlEngineer => l(lang, "ML Engineer", "ML エンジニア"),
            MlOperator => l(lang, "ML Operator", "ML オペレーター"),
            ModelRiskManager => l(lang, "Model Risk Manager", "モデルリスク管理者"),
            MlOpsEngineer => l(lang, "MLOps Engineer", "MLOps エンジニア"),
            AiMlArchitect => l(lang, "AI/ML Architect", "AI/ML アーキテクト"),
        }
    }

    /// What the role does, in a few words.
    pub fn duty(self, lang: Lang) -> &'static str {
        use Role::*;
        match self {
            ProductManager => l(
                lang,
                "shapes features that improve the user's experience",
                "ユーザー体験を良くする機能を決める",
            ),
            BusinessAnalyst => l(
                lang,
                "understands the business problem",
                "業務上の課題を把握する",
            ),
            DataAnalyst => l(
                lang,
                "puts numbers and charts on problems",
                "分析と可視化で課題を数値にする",
            ),
            Architect => l(
                lang,
                "designs the software as a whole",
                "ソフトウェア全体を設計する",
            ),
            DevOpsEngineer => l(
                lang,
                "automates building and running it",
                "開発と運用を自動化する",
            ),
            SoftwareEngineer => l(lang, "builds the software", "ソフトウェアを作る"),
            Operator => l(
                lang,
                "does the business work with the software",
                "ソフトウェアで業務を行う",
            ),
            SystemAdmin => l(
                lang,
                "watches over the running service",
                "稼働中のサービスを監視する",
            ),
            ItAuditor => l(
                lang,
                "checks permissions and audits",
                "権限と監査を確認する",
            ),
            DataArchitect => l(
                lang,
                "designs and runs the data platform",
                "データ基盤を設計・運用する",
            ),
            DomainExpert => l(
                lang,
                "knows what the data means and should be",
                "データの意味とあるべき姿を知っている",
            ),
            DataEngineer => l(
                lang,
                "makes data and features ready for models",
                "モデルが使えるデータと特徴量を用意する",
            ),
            DataScientist => l(lang, "develops models", "モデルを開発する"),
            MlEngineer => l(
                lang,
                "turns models into something deployable",
                "モデルをデプロイできる形にする",
            ),
            MlOperator => l(
                lang,
                "works from predictions and feeds back",
                "予測を使って業務を行いフィードバックする",
            ),
            ModelRiskManager => l(
                lang,
                "watches how models behave",
                "モデルのふるまいを監視する",
            ),
            MlOpsEngineer => l(
                lang,
                "automates building and running ML",
                "ML の開発と運用を自動化する",
            ),
            AiMlArchitect => l(
                lang,
                "designs the ML architecture",
                "ML のアーキテクチャを設計する",
            ),
        }
    }
}

/// The three kinds of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Provide information or documents.
    Info,
    /// Take on a task.
    Work,
    /// Check work or approve it.
    Review,
}

impl RequestKind {
    pub const ALL: [RequestKind; 3] = [RequestKind::Info, RequestKind::Work, RequestKind::Review];

    pub fn id(self) -> &'static str {
        match self {
            RequestKind::Info => "info",
            RequestKind::Work => "work",
            RequestKind::Review => "review",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            RequestKind::Info => l(lang, "information sharing", "情報共有"),
            RequestKind::Work => l(lang, "work", "作業"),
            RequestKind::Review => l(lang, "review", "レビュー"),
        }
    }
}

/// One thing the learner must take to someone.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    /// Stable id (`business-qcd`, …), the key of its answer.
    pub id: &'static str,
    pub step: Route,
    pub prompt: (&'static str, &'static str),
    pub roles: &'static [Role],
    pub kind: RequestKind,
    /// Why these roles and this kind (en, ja).
    pub reasoning: (&'static str, &'static str),
}

impl Point {
    pub fn prompt(&self, lang: Lang) -> &'static str {
        l(lang, self.prompt.0, self.prompt.1)
    }

    pub fn reasoning(&self, lang: Lang) -> &'static str {
        l(lang, self.reasoning.0, self.reasoning.1)
    }
}

use Role::*;

/// Every point of every step, in workshop order.
pub const POINTS: &[Point] = &[
    Point {
        id: "business-qcd",
        step: Route::Business,
        prompt: ("Which comes first for this feature — quality, cost or delivery — and how will people work once the model is in place?", "この機能では品質・コスト・納期のどれを優先するか、モデル導入後に人はどう働くのかを確かめる。"),
        roles: &[ProductManager, DomainExpert],
        kind: RequestKind::Info,
        reasoning: ("The product manager owns the priorities and the domain expert knows today's workflow; you need what they know, not a task from them, so it is information sharing.", "優先順位はプロダクトマネージャーが、今の業務の流れはドメインエキスパートが知っています。作業ではなく知識をもらうので情報共有です。"),
    },
    Point {
        id: "business-sponsor",
        step: Route::Business,
        prompt: ("Get a sponsor to back the value formula and its payback before any model is built.", "モデルを作る前に、価値の式と回収見込みについてスポンサーの合意を取り付ける。"),
        roles: &[ProductManager],
        kind: RequestKind::Work,
        reasoning: ("Winning a sponsor is a task the product manager takes on for you (no sponsor is one of the five reasons projects fail); it is work, not just a check.", "スポンサーの合意はプロダクトマネージャーに動いてもらう仕事です（スポンサー不在は失敗の 5 つの理由の 1 つ）。確認だけではないので作業の依頼です。"),
    },
    Point {
        id: "business-formula",
        step: Route::Business,
        prompt: ("Have the numbers in your formula checked by the people who own them (checkers and hours, wage).", "式の数字（検品者数と時間、時給）を、その数字の持ち主に確認してもらう。"),
        roles: &[DomainExpert, ProductManager],
        kind: RequestKind::Review,
        reasoning: ("Each number has an owner: the checking team knows heads and hours (through its domain expert), the product manager signs off the case. You already have a draft, so you ask for a review.", "数字にはそれぞれ持ち主がいます。人数と時間は検品チーム（ドメインエキスパート）、全体の判断はプロダクトマネージャーです。たたき台があるのでレビューを頼みます。"),
    },
    Point {
        id: "business-costs",
        step: Route::Business,
        prompt: ("Find what past systems cost to build and run, and which vendors are already under contract, to ground the cost side.", "過去のシステムの開発費・運用費と既存の取引先を調べ、コストの見積もりの根拠にする。"),
        roles: &[SystemAdmin, ItAuditor],
        kind: RequestKind::Info,
        reasoning: ("System administrators know what running a service costs and IT auditors keep the records of past investments and vendors; you ask them to share figures.", "サービスの運用費はシステム管理者が、過去の投資や取引先の記録は IT 監査担当が持っています。数字を共有してもらう依頼です。"),
    },
    Point {
        id: "analyze-meaning",
        step: Route::Analyze,
        prompt: ("Learn what each column means in the business, and whether the correlations you found make business sense.", "各列が業務上何を意味するか、見つけた相関が業務の感覚に合うかを教えてもらう。"),
        roles: &[DomainExpert, DataAnalyst],
        kind: RequestKind::Info,
        reasoning: ("Meaning comes from people who use the data: the domain expert and the data analyst who already studies it. It is information you need before deciding.", "意味はデータを使う人が知っています。ドメインエキスパートと、すでにデータを分析しているデータアナリストです。判断の前に必要な情報なので情報共有です。"),
    },
    Point {
        id: "analyze-glossary",
        step: Route::Analyze,
        prompt: ("Have a column glossary written: name, meaning, unit, allowed values.", "列の用語集（名前・意味・単位・取りうる値）を作ってもらう。"),
        roles: &[DomainExpert, DataAnalyst],
        kind: RequestKind::Work,
        reasoning: ("A glossary is a deliverable someone must produce, so it is a work request, to the same people who know the meaning.", "用語集は誰かが作る成果物なので作業の依頼です。相手は意味を知っている同じ人たちです。"),
    },
    Point {
        id: "analyze-system",
        step: Route::Analyze,
        prompt: ("Check what the columns mean in the system that records them, and whether dropping them is safe.", "記録しているシステムの側で列が何を意味するか、削除して問題ないかを確かめる。"),
        roles: &[DataArchitect, SoftwareEngineer],
        kind: RequestKind::Info,
        reasoning: ("How a value is recorded (defaults, codes, missing markers) is known by whoever designed and built the data platform.", "値の記録のされ方（初期値、コード、欠損の印）は、データ基盤を設計・構築した人が知っています。"),
    },
    Point {
        id: "analyze-feedback",
        step: Route::Analyze,
        prompt: ("Get feedback on your diagnosis and the drops you accepted before you build on them.", "受け入れた削除を前提に進む前に、診断結果へのフィードバックをもらう。"),
        roles: &[DataAnalyst, DomainExpert],
        kind: RequestKind::Review,
        reasoning: ("Your diagnosis exists; you want it checked by people who know the data, which is a review.", "診断はもうできているので、データを知る人に確かめてもらうレビューです。"),
    },
    Point {
        id: "prepare-owners",
        step: Route::Prepare,
        prompt: ("Ask the departments that own the missing data to collect it, and agree a regular sync where the ML team labels alongside them.", "足りないデータを持つ部署に収集を頼み、ML チームが一緒にラベル付けする定例を決める。"),
        roles: &[ProductManager, DomainExpert],
        kind: RequestKind::Work,
        reasoning: ("The product manager has the standing to ask other departments; the domain experts there do the collecting and labelling with you. It is ongoing work, not a one-off, because accuracy is unknown until a model exists.", "他部署への依頼はプロダクトマネージャーの役目で、収集とラベル付けは先方のドメインエキスパートと一緒に行います。モデルができるまで精度はわからないので、一度きりではなく継続する作業です。"),
    },
    Point {
        id: "prepare-pipeline",
        step: Route::Prepare,
        prompt: ("Estimate the effort of a pipeline that collects this data continuously.", "このデータを継続的に集めるパイプラインの工数を見積もってもらう。"),
        roles: &[DataArchitect, SoftwareEngineer, DataEngineer],
        kind: RequestKind::Work,
        reasoning: ("An estimate is a task for the people who would build it: the data platform's architect, its engineers and the data engineer who prepares features.", "見積もりは作る人への作業依頼です。データ基盤のアーキテクトとエンジニア、特徴量を用意するデータエンジニアです。"),
    },
    Point {
        id: "prepare-legal",
        step: Route::Prepare,
        prompt: ("Check the legal limits on the data (personal data, terms of service) before it is collected.", "集める前に、データの法的な制約（個人情報、利用規約）を確認する。"),
        roles: &[ItAuditor, ModelRiskManager],
        kind: RequestKind::Review,
        reasoning: ("Auditors and model risk managers approve or block use of data; you bring them the request and ask for their verdict.", "データを使ってよいかは監査担当とモデルリスク管理者が判断します。依頼内容を見せて判断を仰ぐレビューです。"),
    },
    Point {
        id: "preprocess-today",
        step: Route::Preprocess,
        prompt: ("Ask how the data is cleaned today, so that your preprocessing does not contradict an existing practice.", "今どのようにデータを整えているかを聞き、前処理が既存のやり方と食い違わないようにする。"),
        roles: &[DataAnalyst],
        kind: RequestKind::Info,
        reasoning: ("The data analyst already handles this data and its quirks; you need their practice as information.", "データアナリストはすでにこのデータと癖を扱っています。そのやり方を情報として共有してもらいます。"),
    },
    Point {
        id: "preprocess-exclusions",
        step: Route::Preprocess,
        prompt: ("Tell the product side which columns and rows you excluded and what that means for the feature.", "除外した列と行、それが機能にとって何を意味するかをプロダクト側に伝える。"),
        roles: &[ProductManager],
        kind: RequestKind::Info,
        reasoning: ("Exclusions change what the model can know (houses above the price bound, for example); the product manager must know, but need not do anything, so it is information sharing.", "除外はモデルが知りうることを変えます（価格の上限を超える家など）。プロダクトマネージャーは知っておく必要がありますが作業は不要なので情報共有です。"),
    },
    Point {
        id: "train-review",
        step: Route::Train,
        prompt: ("Have the model choice and the training method checked before you trust the results.", "結果を信じる前に、モデルの選び方と学習のしかたを確認してもらう。"),
        roles: &[DataScientist],
        kind: RequestKind::Review,
        reasoning: ("This is exactly where a specialist adds most: a data scientist reviews choices you have already made (no specialists is one of the five reasons).", "専門家が一番役に立つ場面です。すでに行った選択をデータサイエンティストにレビューしてもらいます（専門家不在も失敗の理由の 1 つ）。"),
    },
    Point {
        id: "test-evaluation",
        step: Route::Test,
        prompt: ("Have the evaluation checked: the metrics, the split, and the threshold you call usable.", "評価（指標、分割、使えると判断する閾値）を確認してもらう。"),
        roles: &[DataScientist],
        kind: RequestKind::Review,
        reasoning: ("Only a data scientist can tell whether the evaluation itself is sound; it is a review of your work.", "評価そのものが妥当かはデータサイエンティストにしか判断できません。作業結果のレビューです。"),
    },
    Point {
        id: "test-service",
        step: Route::Test,
        prompt: ("Turn the model into a prediction service, run the service-level tests and deploy it for an A/B test.", "モデルを予測サービスにし、サービスレベルのテストを行い、A/B テストのためにデプロイする。"),
        roles: &[DevOpsEngineer, Architect, MlEngineer],
        kind: RequestKind::Work,
        reasoning: ("Serving and deploying is engineering work: the ML engineer makes the model deployable, the architect fits it into the system, DevOps runs and tests it.", "サービス化とデプロイはエンジニアリングの作業です。ML エンジニアがモデルをデプロイできる形にし、アーキテクトが全体に組み込み、DevOps が動かしてテストします。"),
    },
    Point {
        id: "test-users",
        step: Route::Test,
        prompt: ("Recruit users for A/B and usability tests, decide the next steps, and explain the result to upper stakeholders.", "A/B テストとユーザビリティテストの参加者を集め、次の一手を決め、上位の関係者に結果を説明する。"),
        roles: &[ProductManager, DomainExpert],
        kind: RequestKind::Work,
        reasoning: ("The product manager and domain experts reach the users and the stakeholders; they take these tasks on. Give them something to try, not just an R².", "ユーザーと関係者に届くのはプロダクトマネージャーとドメインエキスパートで、これらは彼らの作業です。R² ではなく触れるものを渡しましょう。"),
    },
    Point {
        id: "test-legal",
        step: Route::Test,
        prompt: ("Check the model against the law (for example medical regulation) and its social impact before release.", "公開前に、法律（医療関係の規制など）と社会的な影響の面からモデルを確認する。"),
        roles: &[ItAuditor, ModelRiskManager],
        kind: RequestKind::Review,
        reasoning: ("Approval to release belongs to the auditor and the model risk manager, who keeps watching the model's behaviour afterwards.", "公開の承認は監査担当と、公開後もモデルのふるまいを見守るモデルリスク管理者の役目です。"),
    },
];

/// The points of one step.
pub fn points(step: Route) -> impl Iterator<Item = &'static Point> {
    POINTS.iter().filter(move |p| p.step == step)
}

/// The steps that have a conversation exercise, in order.
pub const STEPS: [Route; 6] = [
    Route::Business,
    Route::Analyze,
    Route::Prepare,
    Route::Preprocess,
    Route::Train,
    Route::Test,
];

/// The learner's answer to one point.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Answer {
    /// Role ids picked.
    pub roles: BTreeSet<String>,
    pub kind: Option<RequestKind>,
    pub draft: String,
    /// The model answer has been shown (the learner checked the answer).
    pub checked: bool,
}

/// All answers by point id.
pub type Answers = BTreeMap<String, Answer>;

/// How an answer compares with the model answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Feedback {
    pub matched: Vec<Role>,
    pub missed: Vec<Role>,
    pub extra: Vec<Role>,
    pub kind_right: bool,
}

/// Compare `answer` with `point`'s model answer.
pub fn feedback(point: &Point, answer: &Answer) -> Feedback {
    let chosen: BTreeSet<Role> = answer
        .roles
        .iter()
        .filter_map(|r| Role::from_id(r))
        .collect();
    let model: BTreeSet<Role> = point.roles.iter().copied().collect();
    Feedback {
        matched: chosen.intersection(&model).copied().collect(),
        missed: model.difference(&chosen).copied().collect(),
        extra: chosen.difference(&model).copied().collect(),
        kind_right: answer.kind == Some(point.kind),
    }
}

/// Checked points of a step, and how many it has.
pub fn progress(answers: &Answers, step: Route) -> (usize, usize) {
    let all: Vec<&Point> = points(step).collect();
    let done = all
        .iter()
        .filter(|p| answers.get(p.id).is_some_and(|a| a.checked))
        .count();
    (done, all.len())
}

/// Whether every point of every step has been answered and checked.
pub fn all_checked(answers: &Answers) -> bool {
    POINTS
        .iter()
        .all(|p| answers.get(p.id).is_some_and(|a| a.checked))
}

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
                        f.max.map(|m| format!("≤ {}", crate::engine::table::format_number(m, false))).unwrap_or_default()
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
                    if t.result.task == crate::engine::analysis::Task::Regression { "R²" } else { l(lang, "accuracy", "正解率") },
                    s.threshold(),
                );
                match best {
                    Some((m, spec)) => format!(
                        "{} {} {}: {} {metric} {:.3} ({} {th}: {}).",
                        t.result.models.len(),
                        l(lang, "models trained; the best is", "個のモデルを学習し、最良は"),
                        crate::report::model_name(spec, lang),
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

/// Rows for the report's conversation table: step, point, roles, type, draft, model roles,
/// model type.
pub fn report_rows(answers: &Answers, lang: Lang) -> Vec<[String; 7]> {
    POINTS
        .iter()
        .filter_map(|p| {
            let a = answers.get(p.id).filter(|a| a.checked)?;
            let roles: Vec<&str> = a
                .roles
                .iter()
                .filter_map(|r| Role::from_id(r))
                .map(|r| r.name(lang))
                .collect();
            Some([
                crate::session::route_title(p.step, lang).to_string(),
                p.prompt(lang).to_string(),
                roles.join(", "),
                a.kind.map(|k| k.name(lang)).unwrap_or("–").to_string(),
                a.draft.trim().to_string(),
                p.roles
                    .iter()
                    .map(|r| r.name(lang))
                    .collect::<Vec<_>>()
                    .join(", "),
                p.kind.name(lang).to_string(),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_has_eighteen_roles_twelve_before_ml() {
        assert_eq!(Role::ALL.len(), 18);
        let product = Role::ALL
            .iter()
            .filter(|r| r.team() == Team::Product)
            .count();
        assert_eq!(product, 12);
        let ids: BTreeSet<&str> = Role::ALL.iter().map(|r| r.id()).collect();
        assert_eq!(ids.len(), 18);
        for r in Role::ALL {
            assert_eq!(Role::from_id(r.id()), Some(r));
        }
    }

    #[test]
    fn every_step_has_points_with_unique_ids_and_model_roles() {
        for step in STEPS {
            assert!(points(step).count() >= 1, "{step:?}");
        }
        let ids: BTreeSet<&str> = POINTS.iter().map(|p| p.id).collect();
        assert_eq!(ids.len(), POINTS.len());
        assert!(POINTS.iter().all(|p| !p.roles.is_empty()));
    }

    #[test]
    fn feedback_separates_matched_missed_and_extra_roles() {
        let p = POINTS.iter().find(|p| p.id == "analyze-meaning").unwrap();
        let a = Answer {
            roles: ["domain-expert", "operator"].map(String::from).into(),
            kind: Some(RequestKind::Work),
            ..Answer::default()
        };
        let f = feedback(p, &a);
        assert_eq!(f.matched, vec![Role::DomainExpert]);
        assert_eq!(f.missed, vec![Role::DataAnalyst]);
        assert_eq!(f.extra, vec![Role::Operator]);
        assert!(!f.kind_right);
    }

    #[test]
    fn progress_counts_checked_answers_per_step() {
        let mut answers = Answers::new();
        assert_eq!(progress(&answers, Route::Analyze), (0, 4));
        answers.insert(
            "analyze-glossary".into(),
            Answer {
                checked: true,
                ..Answer::default()
            },
        );
        answers.insert("analyze-meaning".into(), Answer::default());
        assert_eq!(progress(&answers, Route::Analyze), (1, 4));
        assert!(!all_checked(&answers));
        for p in POINTS {
            answers.entry(p.id.into()).or_default().checked = true;
        }
        assert!(all_checked(&answers));
    }
}
