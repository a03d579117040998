//! The whole workshop state as plain data, the actions that change it, and `apply()`, the one
//! place where a change invalidates what depended on the old state. No yew here: native-tested.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::diagnose::FindingAction;
use crate::engine::pipeline::preprocess::{CategoricalConfig, NumericConfig};
use crate::engine::pipeline::recipe::{
    ModelSpec, Recipe, TargetScale, TrainFilter, RECIPE_VERSION,
};
use crate::engine::pipeline::split::SplitConfig;

use crate::engine::data::reader::{parse_na_list, DEFAULT_NA_VALUES};
use crate::engine::data::summary::{self, Describe, Info};
use crate::engine::diagnose::{analyze, Analysis, AnalysisConfig};
use crate::engine::value::payback::{Preset, Scenario};
use crate::engine::Task;
use crate::engine::{Error, LoadOptions, Loaded};
use crate::i18n::Lang;
use crate::route::Route;

pub mod limits;
pub mod scenario;

/// A large value shared between states; equality is identity, so comparing states is cheap.
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(v: T) -> Self {
        Shared(Rc::new(v))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Shared(..)")
    }
}

/// Where the current data came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataSource {
    /// A bundled dataset, by its catalogue id.
    Bundled(String),
    /// A file the learner opened or dropped.
    File { name: String, bytes: u64 },
}

impl DataSource {
    /// A short name to show.
    pub fn label(&self) -> String {
        match self {
            DataSource::Bundled(id) => crate::datasets::find(id)
                .map(|b| b.file.to_string())
                .unwrap_or_else(|| id.clone()),
            DataSource::File { name, .. } => name.clone(),
        }
    }
}

/// What the reader settings are, as the learner typed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadSettings {
    /// Missing-value tokens, comma-separated.
    pub na_text: String,
    /// A WHATWG encoding label, or None to detect.
    pub encoding: Option<String>,
    /// `,` `;` or tab, or None to sniff.
    pub delimiter: Option<u8>,
    /// Columns whose formatted numbers stay text (the learner turned the conversion off).
    #[serde(default)]
    pub keep_text: Vec<String>,
}

impl Default for ReadSettings {
    fn default() -> Self {
        ReadSettings {
            na_text: default_na_text(),
            encoding: None,
            delimiter: None,
            keep_text: Vec::new(),
        }
    }
}

/// Column names typed as a comma-separated list: trimmed, empty entries and repeats dropped.
pub fn parse_column_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in text.split(',').map(str::trim) {
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// The default missing-value tokens as an editable comma-separated list.
pub fn default_na_text() -> String {
    DEFAULT_NA_VALUES
        .iter()
        .filter(|t| !t.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

impl ReadSettings {
    /// The engine options these settings stand for.
    pub fn to_options(&self) -> LoadOptions {
        LoadOptions {
            na_values: parse_na_list(&self.na_text),
            delimiter: self.delimiter,
            encoding: self.encoding.clone(),
            keep_text: self.keep_text.clone(),
            ..LoadOptions::default()
        }
    }
}

/// A parsed file with its summaries, as produced by [`parse`] (in a worker or on the page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    pub loaded: Loaded,
    pub info: Info,
    pub describe: Describe,
}

/// Parse bytes and summarise them.
pub fn parse(
    bytes: &[u8],
    opts: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Parsed, Error> {
    let loaded = crate::engine::load_with_progress(bytes, opts, progress)?;
    let info = summary::info(&loaded.table);
    let describe = summary::describe(&loaded.table);
    Ok(Parsed {
        loaded,
        info,
        describe,
    })
}

/// The dataset in use.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub source: DataSource,
    pub parsed: Shared<Parsed>,
    /// Milliseconds spent parsing and summarising, as measured by the caller.
    pub parse_ms: f64,
}

/// Whether a file is being read, and how far.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum LoadStatus {
    #[default]
    Idle,
    Loading {
        run: u64,
        source: DataSource,
        progress: f64,
    },
    Failed {
        source: DataSource,
        error: Error,
    },
    Cancelled,
}

/// The learner's own value formula (step 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormulaState {
    pub variables: Vec<(String, f64)>,
    pub expression: String,
    pub dev_cost_yen: f64,
    pub op_cost_yen_per_month: f64,
    pub horizon_years: f64,
}

impl Default for FormulaState {
    fn default() -> Self {
        FormulaState {
            variables: vec![
                ("checkers_before".into(), 20.0),
                ("checkers_after".into(), 2.0),
                ("hours".into(), 7.5),
                ("wage".into(), 1200.0),
            ],
            expression: "(checkers_before - checkers_after) * hours * wage".into(),
            dev_cost_yen: 10_000_000.0,
            op_cost_yen_per_month: 100_000.0,
            horizon_years: 3.0,
        }
    }
}

/// Everything of step 1 that the learner types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessState {
    pub scenarios: Vec<Scenario>,
    pub formula: FormulaState,
    pub case_answers: Vec<String>,
    pub revealed: Vec<bool>,
}

/// Number of case exercises in step 1.
pub const CASES: usize = 3;

impl BusinessState {
    /// The lesson's three preset scenarios, named in `lang`.
    pub fn lesson(lang: Lang) -> Self {
        BusinessState {
            scenarios: Preset::ALL
                .iter()
                .map(|p| Scenario {
                    name: crate::i18n::preset_name(lang, *p).to_string(),
                    inputs: p.inputs(),
                })
                .collect(),
            formula: FormulaState::default(),
            case_answers: vec![String::new(); CASES],
            revealed: vec![false; CASES],
        }
    }
}

impl Default for BusinessState {
    fn default() -> Self {
        BusinessState::lesson(Lang::En)
    }
}

/// The diagnosis of the current dataset and the learner's decisions on its findings.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyzeState {
    pub config: AnalysisConfig,
    pub result: Result<Shared<Analysis>, Error>,
    /// Ids of the findings to apply in Preprocess.
    pub accepted: BTreeSet<String>,
    /// How long the diagnosis took (NaN without a clock).
    pub elapsed_ms: f64,
}

/// Where a diagnosis computed in the engine worker stands ([`Session::diagnose_in_worker`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum DiagnosisStatus {
    #[default]
    Idle,
    /// A diagnosis of the current data with these settings is wanted; the app starts it.
    Wanted {
        config: AnalysisConfig,
        accepted: BTreeSet<String>,
        /// The decisions were restored as saved: none is added by default.
        restored: bool,
        /// Grows with every request, so that asking again for the same settings (a restore
        /// right after a load) is a new request for whoever starts them.
        request: u64,
    },
    Running {
        run: u64,
        config: AnalysisConfig,
        accepted: BTreeSet<String>,
        restored: bool,
        progress: f64,
    },
    /// Stopped by the learner; these settings can be run again.
    Cancelled(AnalysisConfig),
}

/// Step 4's settings; exclusions and filters come from the accepted findings, and the
/// learner can override any column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepSettings {
    pub split: SplitConfig,
    pub numeric: NumericConfig,
    pub categorical: CategoricalConfig,
    pub target_standard: bool,
    /// Manual choices: column → excluded?
    pub overrides: BTreeMap<String, bool>,
    /// The column shown in the before/after scatter plot.
    pub scatter_column: Option<String>,
    /// The data these column choices were made for.
    #[serde(default)]
    pub source: Option<DataSource>,
    /// The numbers derived from each date column.
    #[serde(default = "crate::engine::pipeline::preprocess::default_date_parts")]
    pub date_parts: Vec<crate::engine::pipeline::preprocess::DatePart>,
}

impl Default for PrepSettings {
    fn default() -> Self {
        PrepSettings {
            split: SplitConfig::default(),
            numeric: NumericConfig::default(),
            categorical: CategoricalConfig::default(),
            target_standard: true,
            overrides: BTreeMap::new(),
            scatter_column: None,
            source: None,
            date_parts: crate::engine::pipeline::preprocess::default_date_parts(),
        }
    }
}

/// Where training stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TrainStatus {
    #[default]
    Idle,
    Running {
        run: u64,
        progress: f64,
    },
    Failed(Error),
    Cancelled,
}

/// Trained models with the recipe that produced them.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    pub recipe: Recipe,
    pub result: Shared<crate::engine::pipeline::recipe::RunResult>,
    pub elapsed_ms: f64,
}

/// A model kind with the parameters it starts from where they differ from the catalogue.
type StartingModel = (&'static str, &'static [(&'static str, f64)]);

/// The workshop's starting choice, as changes to the catalogue defaults: (kind, [(parameter,
/// value)]). Regression starts with the workshop's ElasticNet and a small forest (20 trees, so
/// that the first run is quick); classification with logistic regression and a forest that
/// tries half the columns at each split.
const STARTING_MODELS: [(Task, &[StartingModel]); 2] = [
    (
        Task::Regression,
        &[
            ("elastic_net", &[]),
            ("random_forest", &[("n_estimators", 20.0)]),
        ],
    ),
    (
        Task::Classification,
        &[
            ("logistic_regression", &[]),
            ("random_forest", &[("max_features", 0.5)]),
        ],
    ),
];

/// The models a task starts with (see [`STARTING_MODELS`]).
pub fn default_models(task: Task) -> Vec<ModelSpec> {
    STARTING_MODELS
        .iter()
        .filter(|(t, _)| *t == task)
        .flat_map(|(_, models)| models.iter())
        .filter_map(|(kind, changes)| {
            let mut spec = ModelSpec::default_for(kind)?;
            for (name, value) in *changes {
                spec.set(name, Some(*value));
            }
            Some(spec)
        })
        .collect()
}

/// Every model kind the Train page offers for `task`, in catalogue order, each with the
/// settings it starts from: the task's starting choice where the model is in it, else the
/// catalogue defaults.
pub fn model_choices(task: Task) -> Vec<ModelSpec> {
    let start = default_models(task);
    crate::engine::models::catalogue::models_for(task)
        .filter_map(|m| {
            start
                .iter()
                .find(|s| s.kind() == m.kind)
                .cloned()
                .or_else(|| ModelSpec::default_for(m.kind))
        })
        .collect()
}

/// Everything the app knows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    pub lang: Lang,
    pub read: ReadSettings,
    pub dataset: Option<Dataset>,
    pub status: LoadStatus,
    pub route: Route,
    pub business: BusinessState,
    pub analyze: Option<AnalyzeState>,
    /// Compute the diagnosis elsewhere (the browser's engine worker): a change only asks for it
    /// ([`DiagnosisStatus::Wanted`]) and the result arrives with [`Action::DiagnosisDone`].
    /// Off (natively), it is computed at once.
    pub diagnose_in_worker: bool,
    pub diagnosis: DiagnosisStatus,
    /// Diagnoses asked for so far (see [`DiagnosisStatus::Wanted`]).
    pub diagnosis_requests: u64,
    /// A millisecond clock for timings shown to the learner (the browser's, in the app).
    pub clock: Option<Clock>,
    pub prep: PrepSettings,
    /// The models chosen in step 5 (None: the task's defaults).
    pub models: Option<Vec<ModelSpec>>,
    pub training: TrainStatus,
    pub trained: Option<Trained>,
    /// Step 6's "usable if" threshold (R² or accuracy), carried forward as the metric to monitor.
    pub usable_threshold: Option<f64>,
    /// Step 3's data request.
    pub data_request: DataRequest,
    /// The learner's notes per report section (keys: [`crate::report::SECTION_IDS`]).
    pub notes: BTreeMap<String, String>,
    /// The conversation exercises' answers, by point id.
    pub answers: crate::comms::Answers,
    /// Whether the report has been exported in some format.
    pub report_exported: bool,
    /// The last failure to save (a full quota, storage disabled), shown until dismissed.
    pub storage_error: Option<String>,
}

/// Step 3's request to another team for data, by 5W1H.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DataRequest {
    pub why: String,
    pub by_when: String,
    /// Where the data is collected (a site, a system, a camera position …).
    pub place: String,
    pub who: String,
    /// What: the data's structure (for example a photo and its label, or these columns).
    pub what: String,
    pub how: String,
}

impl DataRequest {
    /// The six parts in order, each with its label.
    pub fn parts(&self) -> [(crate::i18n::T, &str); 6] {
        use crate::i18n::T;
        [
            (T::RequestWhy, &self.why),
            (T::RequestWhen, &self.by_when),
            (T::RequestWhere, &self.place),
            (T::RequestWho, &self.who),
            (T::RequestWhat, &self.what),
            (T::RequestHow, &self.how),
        ]
    }

    /// Drafted when every part says something.
    pub fn is_drafted(&self) -> bool {
        self.parts().iter().all(|(_, v)| !v.trim().is_empty())
    }

    /// The request as Markdown, ready to paste into a ticket or a chat.
    pub fn to_markdown(&self, lang: Lang, dataset: Option<&str>) -> String {
        use crate::i18n::T;
        let mut out = format!("## {}", T::RequestTitle.get(lang));
        if let Some(d) = dataset {
            out.push_str(&format!(" ({d})"));
        }
        out.push_str("\n\n");
        for (label, value) in self.parts() {
            let value = value.trim();
            out.push_str(&format!("### {}\n\n", label.get(lang)));
            out.push_str(if value.is_empty() { "—" } else { value });
            out.push_str("\n\n");
        }
        out
    }
}

/// A millisecond clock. All clocks compare equal: which one is set is not state.
#[derive(Clone, Copy)]
pub struct Clock(pub fn() -> f64);

impl PartialEq for Clock {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// The target to start with: the bundled dataset's, else the last column.
pub fn default_target(source: &DataSource, parsed: &Parsed) -> String {
    if let DataSource::Bundled(id) = source {
        if let Some(b) = crate::datasets::find(id) {
            if parsed.loaded.table.column(b.target).is_some() {
                return b.target.to_string();
            }
        }
    }
    parsed
        .loaded
        .table
        .columns()
        .last()
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// Every change to a [`Session`].
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetLang(Lang),
    SetReadSettings(ReadSettings),
    /// A read starts; `run` must grow with every start so that late results can be told apart.
    StartLoad {
        run: u64,
        source: DataSource,
    },
    Progress {
        run: u64,
        fraction: f64,
    },
    Loaded {
        run: u64,
        parsed: Shared<Parsed>,
        parse_ms: f64,
    },
    Failed {
        run: u64,
        error: Error,
    },
    Cancel,
    DismissError,
    Navigate(Route),
    SetBusiness(BusinessState),
    SetPrep(PrepSettings),
    SetModels(Vec<ModelSpec>),
    StartTraining {
        run: u64,
    },
    TrainingProgress {
        run: u64,
        fraction: f64,
    },
    TrainingDone {
        run: u64,
        recipe: Recipe,
        result: Shared<crate::engine::pipeline::recipe::RunResult>,
        elapsed_ms: f64,
    },
    TrainingFailed {
        run: u64,
        error: Error,
    },
    CancelTraining,
    SetThreshold(f64),
    SetRequest(DataRequest),
    /// The learner's note for a report section (`text` empty removes it).
    SetNote {
        section: String,
        text: String,
    },
    /// An answer to a conversation exercise point.
    SetAnswer {
        point: String,
        answer: crate::comms::Answer,
    },
    /// The report was exported.
    ReportExported,
    /// Saving failed with this message (None dismisses it).
    StorageError(Option<String>),
    /// Change the diagnosis settings; the analysis is recomputed.
    SetAnalysis(AnalysisConfig),
    /// Accept or reject a finding for Preprocess.
    AcceptFinding {
        id: String,
        accept: bool,
    },
    /// Restore saved diagnosis settings and decisions (after a reload).
    RestoreAnalysis {
        config: AnalysisConfig,
        accepted: BTreeSet<String>,
    },
    /// The wanted diagnosis was handed to the worker as `run`.
    StartDiagnosis {
        run: u64,
    },
    DiagnosisProgress {
        run: u64,
        fraction: f64,
    },
    DiagnosisDone {
        run: u64,
        result: Result<Shared<Analysis>, Error>,
        elapsed_ms: f64,
    },
    /// Stop the diagnosis in progress; the previous one (if any) stays.
    CancelDiagnosis,
}

impl Session {
    /// A fresh session in `lang`.
    pub fn new(lang: Lang) -> Self {
        Session {
            lang,
            ..Session::default()
        }
    }

    /// The run of the read in progress, if any.
    pub fn loading_run(&self) -> Option<u64> {
        match self.status {
            LoadStatus::Loading { run, .. } => Some(run),
            _ => None,
        }
    }

    /// Apply one action. Results of a read that is no longer the current one are dropped here.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::SetLang(lang) => {
                // Preset scenario names follow the language; names the learner typed stay.
                for (s, p) in self.business.scenarios.iter_mut().zip(Preset::ALL) {
                    if s.name == crate::i18n::preset_name(self.lang, p) {
                        s.name = crate::i18n::preset_name(lang, p).to_string();
                    }
                }
                self.lang = lang;
            }
            Action::SetReadSettings(read) => self.read = read,
            Action::StartLoad { run, source } => {
                self.status = LoadStatus::Loading {
                    run,
                    source,
                    progress: 0.0,
                }
            }
            Action::Progress { run, fraction } => {
                if let LoadStatus::Loading {
                    run: current,
                    progress,
                    ..
                } = &mut self.status
                {
                    if *current == run {
                        *progress = fraction.clamp(*progress, 1.0);
                    }
                }
            }
            Action::Loaded {
                run,
                parsed,
                parse_ms,
            } => {
                if self.loading_run() == Some(run) {
                    let LoadStatus::Loading { source, .. } =
                        std::mem::replace(&mut self.status, LoadStatus::Idle)
                    else {
                        unreachable!("loading_run() matched Loading")
                    };
                    // A new dataset replaces everything derived from the old one.
                    let target = default_target(&source, &parsed);
                    self.dataset = Some(Dataset {
                        source,
                        parsed,
                        parse_ms,
                    });
                    self.analyze = None;
                    self.diagnosis = DiagnosisStatus::Idle;
                    // Models trained on the old data mean nothing for the new data.
                    self.trained = None;
                    self.training = TrainStatus::Idle;
                    self.models = None;
                    // Column choices belong to their data (kept when the same data is read
                    // again after a reload); the split and scaling settings stay.
                    if self.prep.source.as_ref() != self.dataset.as_ref().map(|d| &d.source) {
                        self.prep.overrides.clear();
                        self.prep.scatter_column = None;
                        self.prep.source = self.dataset.as_ref().map(|d| d.source.clone());
                    }
                    self.reanalyze(AnalysisConfig::new(target), BTreeSet::new(), false);
                }
            }
            Action::Failed { run, error } => {
                if self.loading_run() == Some(run) {
                    let LoadStatus::Loading { source, .. } =
                        std::mem::replace(&mut self.status, LoadStatus::Idle)
                    else {
                        unreachable!("loading_run() matched Loading")
                    };
                    // The previous dataset stays usable after a failed read.
                    self.status = LoadStatus::Failed { source, error };
                }
            }
            Action::Cancel => {
                if self.loading_run().is_some() {
                    self.status = LoadStatus::Cancelled;
                }
            }
            Action::DismissError => {
                if matches!(
                    self.status,
                    LoadStatus::Failed { .. } | LoadStatus::Cancelled
                ) {
                    self.status = LoadStatus::Idle;
                }
            }
            Action::Navigate(r) => self.route = r,
            Action::SetBusiness(b) => self.business = b,
            Action::SetPrep(p) => self.prep = p,
            Action::SetModels(m) => self.models = Some(m),
            Action::StartTraining { run } => {
                self.training = TrainStatus::Running { run, progress: 0.0 }
            }
            Action::TrainingProgress { run, fraction } => {
                if let TrainStatus::Running { run: r, progress } = &mut self.training {
                    if *r == run {
                        *progress = fraction.clamp(*progress, 1.0);
                    }
                }
            }
            Action::TrainingDone {
                run,
                recipe,
                result,
                elapsed_ms,
            } => {
                if matches!(self.training, TrainStatus::Running { run: r, .. } if r == run) {
                    self.training = TrainStatus::Idle;
                    self.trained = Some(Trained {
                        recipe,
                        result,
                        elapsed_ms,
                    });
                }
            }
            Action::TrainingFailed { run, error } => {
                if matches!(self.training, TrainStatus::Running { run: r, .. } if r == run) {
                    self.training = TrainStatus::Failed(error);
                }
            }
            Action::CancelTraining => {
                if matches!(self.training, TrainStatus::Running { .. }) {
                    self.training = TrainStatus::Cancelled;
                }
            }
            Action::SetThreshold(t) => self.usable_threshold = Some(t),
            Action::SetRequest(r) => self.data_request = r,
            Action::SetNote { section, text } => {
                if text.is_empty() {
                    self.notes.remove(&section);
                } else {
                    self.notes.insert(section, text);
                }
            }
            Action::SetAnswer { point, answer } => {
                self.answers.insert(point, answer);
            }
            Action::ReportExported => self.report_exported = true,
            Action::StorageError(e) => self.storage_error = e,
            Action::SetAnalysis(config) => {
                let accepted = self
                    .analyze
                    .as_ref()
                    .map(|a| a.accepted.clone())
                    .unwrap_or_default();
                self.reanalyze(config, accepted, false);
            }
            Action::RestoreAnalysis { config, accepted } => self.reanalyze(config, accepted, true),
            Action::AcceptFinding { id, accept } => {
                // A decision made while a new diagnosis runs carries over to it.
                if let DiagnosisStatus::Running { accepted, .. } = &mut self.diagnosis {
                    if accept {
                        accepted.insert(id.clone());
                    } else {
                        accepted.remove(&id);
                    }
                }
                if let Some(a) = &mut self.analyze {
                    if accept {
                        a.accepted.insert(id);
                    } else {
                        a.accepted.remove(&id);
                    }
                }
            }
            Action::StartDiagnosis { run } => {
                if let DiagnosisStatus::Wanted {
                    config,
                    accepted,
                    restored,
                    ..
                } = std::mem::take(&mut self.diagnosis)
                {
                    self.diagnosis = DiagnosisStatus::Running {
                        run,
                        config,
                        accepted,
                        restored,
                        progress: 0.0,
                    };
                }
            }
            Action::DiagnosisProgress { run, fraction } => {
                if let DiagnosisStatus::Running {
                    run: current,
                    progress,
                    ..
                } = &mut self.diagnosis
                {
                    if *current == run {
                        *progress = fraction.clamp(*progress, 1.0);
                    }
                }
            }
            Action::DiagnosisDone {
                run,
                result,
                elapsed_ms,
            } => {
                if matches!(self.diagnosis, DiagnosisStatus::Running { run: r, .. } if r == run) {
                    let DiagnosisStatus::Running {
                        config,
                        accepted,
                        restored,
                        ..
                    } = std::mem::take(&mut self.diagnosis)
                    else {
                        unreachable!("matched Running")
                    };
                    self.settle_analysis(config, accepted, restored, result, elapsed_ms);
                }
            }
            Action::CancelDiagnosis => match std::mem::take(&mut self.diagnosis) {
                DiagnosisStatus::Running { config, .. }
                | DiagnosisStatus::Wanted { config, .. } => {
                    self.diagnosis = DiagnosisStatus::Cancelled(config)
                }
                other => self.diagnosis = other,
            },
        }
    }

    /// Recompute the diagnosis (or, in the worker, ask for it).
    fn reanalyze(&mut self, config: AnalysisConfig, accepted: BTreeSet<String>, restored: bool) {
        let Some(d) = &self.dataset else {
            return;
        };
        if self.diagnose_in_worker {
            self.diagnosis_requests += 1;
            self.diagnosis = DiagnosisStatus::Wanted {
                config,
                accepted,
                restored,
                request: self.diagnosis_requests,
            };
            return;
        }
        let start = self.clock.map(|c| (c.0)());
        let result = analyze(&d.parsed.loaded.table, &config).map(Shared::new);
        let elapsed_ms = match (self.clock, start) {
            (Some(c), Some(t0)) => (c.0)() - t0,
            _ => f64::NAN,
        };
        self.settle_analysis(config, accepted, restored, result, elapsed_ms);
    }

    /// Take a new diagnosis: decisions on findings that no longer exist are dropped, and the
    /// findings applied by default (columns that are not features) are accepted when they are
    /// new, so that the learner's own "keep it" stands (restored decisions are taken as saved).
    fn settle_analysis(
        &mut self,
        config: AnalysisConfig,
        mut accepted: BTreeSet<String>,
        restored: bool,
        result: Result<Shared<Analysis>, Error>,
        elapsed_ms: f64,
    ) {
        if let Ok(a) = &result {
            let before: BTreeSet<&str> = self
                .analyze
                .as_ref()
                .and_then(|s| s.result.as_ref().ok())
                .map(|p| p.findings.iter().map(|f| f.id.as_str()).collect())
                .unwrap_or_default();
            accepted.retain(|id| a.findings.iter().any(|f| &f.id == id));
            for f in a.findings.iter().filter(|f| f.by_default && !restored) {
                if !before.contains(f.id.as_str()) {
                    accepted.insert(f.id.clone());
                }
            }
        }
        self.analyze = Some(AnalyzeState {
            config,
            result,
            accepted,
            elapsed_ms,
        });
    }

    /// Columns excluded by accepted findings (before the learner's overrides).
    pub fn finding_exclusions(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(a) = &self.analyze {
            if let Ok(res) = &a.result {
                for f in &res.findings {
                    if let (true, Some(FindingAction::Exclude(c))) =
                        (a.accepted.contains(&f.id), &f.action)
                    {
                        out.insert(c.clone());
                    }
                }
            }
        }
        out
    }

    /// The recipe the learner's decisions add up to (None without data and a diagnosis).
    pub fn recipe(&self, models: Vec<ModelSpec>) -> Option<Recipe> {
        let d = self.dataset.as_ref()?;
        let a = self.analyze.as_ref()?;
        let res = a.result.as_ref().ok()?;
        let mut exclude = self.finding_exclusions();
        for (c, &ex) in &self.prep.overrides {
            if ex {
                exclude.insert(c.clone());
            } else {
                exclude.remove(c);
            }
        }
        exclude.remove(&a.config.target);
        let table = &d.parsed.loaded.table;
        // Keep the table's column order.
        let exclude: Vec<String> = table
            .columns()
            .iter()
            .filter(|c| exclude.contains(&c.name))
            .map(|c| c.name.clone())
            .collect();
        let train_filters = res
            .findings
            .iter()
            .filter(|f| a.accepted.contains(&f.id))
            .filter_map(|f| match &f.action {
                Some(FindingAction::TrainFilter { column, min, max }) => Some(TrainFilter {
                    column: column.clone(),
                    min: *min,
                    max: *max,
                }),
                _ => None,
            })
            .collect();
        Some(Recipe {
            version: RECIPE_VERSION,
            na_values: self.read.to_options().na_values,
            target: a.config.target.clone(),
            task: Some(res.task),
            exclude,
            split: self.prep.split.clone(),
            train_filters,
            numeric: self.prep.numeric.clone(),
            categorical: self.prep.categorical.clone(),
            target_scale: if self.prep.target_standard {
                TargetScale::Standard
            } else {
                TargetScale::None
            },
            models,
            date_parts: self.prep.date_parts.clone(),
            keep_text: self.read.keep_text.clone(),
        })
    }

    /// The models to train: the learner's choice, or the task's defaults.
    pub fn chosen_models(&self) -> Vec<ModelSpec> {
        match (&self.models, self.task()) {
            (Some(m), _) => m.clone(),
            (None, Some(t)) => default_models(t),
            (None, None) => Vec::new(),
        }
    }

    /// The full recipe for training (None without data and a diagnosis).
    pub fn training_recipe(&self) -> Option<Recipe> {
        self.recipe(self.chosen_models())
    }

    /// Whether the trained models came from different settings than the current ones.
    pub fn trained_is_stale(&self) -> bool {
        match (&self.trained, self.training_recipe()) {
            (Some(t), Some(r)) => t.recipe != r,
            _ => false,
        }
    }

    /// The task the diagnosis settled on, if any.
    pub fn task(&self) -> Option<Task> {
        self.analyze
            .as_ref()
            .and_then(|a| a.result.as_ref().ok())
            .map(|a| a.task)
    }
}

/// The five reasons the workshop gives for ML projects failing; the Ending step maps each to
/// what the learner did about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureReason {
    UnclearGoal,
    DataQuality,
    NoSponsor,
    Collaboration,
    NoSpecialists,
}

impl FailureReason {
    pub const ALL: [FailureReason; 5] = [
        FailureReason::UnclearGoal,
        FailureReason::DataQuality,
        FailureReason::NoSponsor,
        FailureReason::Collaboration,
        FailureReason::NoSpecialists,
    ];

    /// A stable id for pages and tests.
    pub fn id(self) -> &'static str {
        match self {
            FailureReason::UnclearGoal => "unclear-goal",
            FailureReason::DataQuality => "data-quality",
            FailureReason::NoSponsor => "no-sponsor",
            FailureReason::Collaboration => "collaboration",
            FailureReason::NoSpecialists => "no-specialists",
        }
    }

    /// What in a session answers this reason.
    pub fn deeds(self) -> &'static [Deed] {
        match self {
            FailureReason::UnclearGoal => &[Deed::Formula, Deed::Scenarios, Deed::Cases],
            FailureReason::DataQuality => &[Deed::Diagnosis, Deed::Findings, Deed::DataRequest],
            FailureReason::NoSponsor => &[Deed::Scenarios, Deed::Threshold, Deed::Report],
            FailureReason::Collaboration => {
                &[Deed::Conversations, Deed::DataRequest, Deed::Threshold]
            }
            FailureReason::NoSpecialists => &[Deed::Trained, Deed::Passes, Deed::Report],
        }
    }
}

/// Something a learner does in the workshop that guards against a failure reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deed {
    /// The value formula evaluates.
    Formula,
    /// Every payback scenario has valid inputs (so the chart can be shown to a sponsor).
    Scenarios,
    /// The three case exercises are answered.
    Cases,
    /// The data has been diagnosed.
    Diagnosis,
    /// At least one finding was accepted for preprocessing.
    Findings,
    /// A data request was drafted (step 3).
    DataRequest,
    /// The conversation exercises were answered.
    Conversations,
    /// A "usable if" threshold was agreed.
    Threshold,
    /// Models are trained on the current settings.
    Trained,
    /// A trained model meets the threshold on the test rows.
    Passes,
    /// The report was exported.
    Report,
}

/// Where a deed stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeedState {
    Done,
    ToDo,
}

impl Deed {
    pub fn id(self) -> &'static str {
        match self {
            Deed::Formula => "formula",
            Deed::Scenarios => "scenarios",
            Deed::Cases => "cases",
            Deed::Diagnosis => "diagnosis",
            Deed::Findings => "findings",
            Deed::DataRequest => "data-request",
            Deed::Conversations => "conversations",
            Deed::Threshold => "threshold",
            Deed::Trained => "trained",
            Deed::Passes => "passes",
            Deed::Report => "report",
        }
    }

    /// The step where it is done.
    pub fn route(self) -> Route {
        match self {
            Deed::Formula | Deed::Scenarios | Deed::Cases => Route::Business,
            Deed::Diagnosis | Deed::Findings => Route::Analyze,
            Deed::DataRequest => Route::Prepare,
            Deed::Conversations => Route::Business,
            Deed::Trained => Route::Train,
            Deed::Threshold | Deed::Passes => Route::Test,
            Deed::Report => Route::Report,
        }
    }
}

impl Session {
    /// The gaps the accepted findings point at, one Markdown bullet each: the starting point of
    /// the request's "what".
    pub fn request_gaps(&self, lang: Lang) -> String {
        let Some(a) = &self.analyze else {
            return String::new();
        };
        let Ok(res) = &a.result else {
            return String::new();
        };
        res.findings
            .iter()
            .filter(|f| a.accepted.contains(&f.id))
            .map(|f| format!("- {}\n", crate::i18n::finding_text(lang, &f.kind)))
            .collect()
    }

    /// The "usable if" threshold in force (the page's default until the learner sets one).
    pub fn threshold(&self) -> f64 {
        self.usable_threshold.unwrap_or(DEFAULT_THRESHOLD)
    }

    /// Where the learner stands on one deed, read from the session itself.
    pub fn deed_state(&self, deed: Deed) -> DeedState {
        let done = |b: bool| if b { DeedState::Done } else { DeedState::ToDo };
        let analysis = self.analyze.as_ref().and_then(|a| a.result.as_ref().ok());
        match deed {
            Deed::Formula => {
                let f = &self.business.formula;
                let vars: std::collections::HashMap<String, f64> =
                    f.variables.iter().cloned().collect();
                done(
                    crate::engine::value::formula::evaluate(&f.expression, &vars)
                        .is_ok_and(f64::is_finite),
                )
            }
            Deed::Scenarios => done(
                !self.business.scenarios.is_empty()
                    && self
                        .business
                        .scenarios
                        .iter()
                        .all(|s| s.inputs.validate().is_empty()),
            ),
            Deed::Cases => done(
                self.business
                    .case_answers
                    .iter()
                    .all(|a| !a.trim().is_empty()),
            ),
            Deed::Diagnosis => done(analysis.is_some()),
            // The learner's own decision: findings applied by default do not count.
            Deed::Findings => done(analysis.is_some_and(|res| {
                self.analyze.as_ref().is_some_and(|a| {
                    res.findings
                        .iter()
                        .any(|f| !f.by_default && a.accepted.contains(&f.id))
                })
            })),
            Deed::Threshold => done(self.usable_threshold.is_some()),
            Deed::Trained => done(self.trained.is_some() && !self.trained_is_stale()),
            Deed::Passes => done(self.trained.as_ref().is_some_and(|t| {
                t.result
                    .models
                    .iter()
                    .any(|m| m.test.headline() >= self.threshold())
            })),
            Deed::DataRequest => done(self.data_request.is_drafted()),
            Deed::Conversations => done(crate::comms::all_checked(&self.answers)),
            Deed::Report => done(self.report_exported),
        }
    }
}

/// The threshold the Test step proposes: R² or accuracy of 0.8.
pub const DEFAULT_THRESHOLD: f64 = 0.8;

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(csv: &str) -> Shared<Parsed> {
        Shared::new(parse(csv.as_bytes(), &LoadOptions::default(), &mut |_| {}).unwrap())
    }

    fn file(name: &str) -> DataSource {
        DataSource::File {
            name: name.into(),
            bytes: 1,
        }
    }

    #[test]
    fn the_train_page_starts_from_the_catalogue_and_the_workshop_choice() {
        use crate::engine::models::catalogue::{model, models_for};
        // The workshop's starting models, as they have always been.
        assert_eq!(
            default_models(Task::Regression),
            vec![
                ModelSpec::ElasticNet {
                    alpha: 1.0,
                    l1_ratio: 0.05
                },
                ModelSpec::RandomForest {
                    n_estimators: 20,
                    max_depth: None,
                    min_samples_leaf: 1,
                    max_features: 1.0,
                    random_state: 0
                }
            ]
        );
        assert_eq!(
            default_models(Task::Classification),
            vec![
                ModelSpec::LogisticRegression { c: 1.0 },
                ModelSpec::RandomForest {
                    n_estimators: 100,
                    max_depth: None,
                    min_samples_leaf: 1,
                    max_features: 0.5,
                    random_state: 0
                }
            ]
        );
        for task in [Task::Regression, Task::Classification] {
            let choices = model_choices(task);
            let kinds: Vec<&str> = choices.iter().map(|m| m.kind()).collect();
            let expected: Vec<&str> = models_for(task).map(|m| m.kind).collect();
            assert_eq!(kinds, expected);
            for spec in &choices {
                assert!(spec.fits(task));
                assert!(spec.param_problems().is_empty(), "{spec:?}");
                let start = default_models(task)
                    .into_iter()
                    .find(|s| s.kind() == spec.kind());
                // Every value is the starting choice's or the catalogue default.
                for p in model(spec.kind()).unwrap().params {
                    let value = spec.get(p.name).unwrap();
                    match &start {
                        Some(s) => assert_eq!(value, s.get(p.name).unwrap()),
                        None => assert_eq!(value, p.default, "{}.{}", spec.kind(), p.name),
                    }
                }
            }
        }
        // The page's ElasticNet is the recipe's: a bare {"kind": "elastic_net"} reads the same.
        let bare: ModelSpec = serde_json::from_str(r#"{"kind": "elastic_net"}"#).unwrap();
        assert!(model_choices(Task::Regression).contains(&bare));
    }

    #[test]
    fn loaded_result_replaces_dataset() {
        let mut s = Session::new(Lang::Ja);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("a.csv"),
        });
        s.apply(Action::Progress {
            run: 1,
            fraction: 0.5,
        });
        assert!(matches!(s.status, LoadStatus::Loading { progress, .. } if progress == 0.5));
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        assert_eq!(s.status, LoadStatus::Idle);
        assert_eq!(s.dataset.as_ref().unwrap().source, file("a.csv"));
    }

    #[test]
    fn stale_result_never_overwrites_a_newer_read() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("old.csv"),
        });
        s.apply(Action::StartLoad {
            run: 2,
            source: file("new.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        assert!(s.dataset.is_none());
        assert_eq!(s.loading_run(), Some(2));
        s.apply(Action::Loaded {
            run: 2,
            parsed: parsed("y\n1\n"),
            parse_ms: 1.0,
        });
        assert_eq!(s.dataset.as_ref().unwrap().source, file("new.csv"));
    }

    #[test]
    fn failed_read_keeps_previous_dataset_usable() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("good.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        s.apply(Action::StartLoad {
            run: 2,
            source: file("bad.csv"),
        });
        s.apply(Action::Failed {
            run: 2,
            error: Error::EmptyFile,
        });
        assert!(matches!(
            s.status,
            LoadStatus::Failed {
                error: Error::EmptyFile,
                ..
            }
        ));
        assert_eq!(s.dataset.as_ref().unwrap().source, file("good.csv"));
        s.apply(Action::DismissError);
        assert_eq!(s.status, LoadStatus::Idle);
    }

    #[test]
    fn cancelled_read_drops_its_late_result() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 7,
            source: file("big.csv"),
        });
        s.apply(Action::Cancel);
        s.apply(Action::Loaded {
            run: 7,
            parsed: parsed("x\n1\n"),
            parse_ms: 1.0,
        });
        assert!(s.dataset.is_none());
        assert_eq!(s.status, LoadStatus::Cancelled);
    }

    #[test]
    fn new_dataset_is_diagnosed_with_its_target_and_clears_decisions() {
        let mut s = Session::new(Lang::En);
        let mut csv = String::from("a,b,y\n");
        for i in 0..40 {
            csv.push_str(&format!("{i},{},{}\n", i * 2, i * i));
        }
        s.apply(Action::StartLoad {
            run: 1,
            source: file("one.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed(&csv),
            parse_ms: 1.0,
        });
        let a = s.analyze.as_ref().unwrap();
        assert_eq!(a.config.target, "y");
        let finding = a.result.as_ref().unwrap().findings[0].id.clone();
        s.apply(Action::AcceptFinding {
            id: finding.clone(),
            accept: true,
        });
        assert!(s.analyze.as_ref().unwrap().accepted.contains(&finding));
        // Changing a threshold keeps decisions on findings that still exist.
        let mut cfg = s.analyze.as_ref().unwrap().config.clone();
        cfg.hist_bins = 10;
        s.apply(Action::SetAnalysis(cfg));
        assert!(s.analyze.as_ref().unwrap().accepted.contains(&finding));
        // A new dataset starts over.
        s.apply(Action::StartLoad {
            run: 2,
            source: file("two.csv"),
        });
        s.apply(Action::Loaded {
            run: 2,
            parsed: parsed("p,q\n1,2\n3,4\n"),
            parse_ms: 1.0,
        });
        let a = s.analyze.as_ref().unwrap();
        assert_eq!(a.config.target, "q");
        assert!(a.accepted.is_empty());
    }

    #[test]
    fn unknown_target_is_an_error_the_page_can_show() {
        let mut s = Session::new(Lang::En);
        s.apply(Action::StartLoad {
            run: 1,
            source: file("one.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed("a,b\n1,2\n"),
            parse_ms: 1.0,
        });
        s.apply(Action::SetAnalysis(AnalysisConfig::new("zzz")));
        assert!(matches!(
            s.analyze.as_ref().unwrap().result,
            Err(Error::NoSuchColumn { .. })
        ));
    }

    #[test]
    fn preset_names_follow_the_language_but_typed_names_stay() {
        let mut s = Session::new(Lang::En);
        s.business = BusinessState::lesson(Lang::En);
        s.business.scenarios[2].name = "My plan".into();
        s.apply(Action::SetLang(Lang::Ja));
        assert_eq!(
            s.business.scenarios[0].name,
            crate::i18n::preset_name(Lang::Ja, Preset::Initial)
        );
        assert_eq!(s.business.scenarios[2].name, "My plan");
    }

    #[test]
    fn recipe_follows_accepted_findings_and_overrides() {
        let mut s = Session::new(Lang::En);
        let mut csv = String::from("Id,a,b,gone,y\n");
        for i in 0..100 {
            let gone = if i < 70 {
                "?".to_string()
            } else {
                i.to_string()
            };
            csv.push_str(&format!(
                "{},{},{},{gone},{}\n",
                i + 1,
                i * i,
                i * i * 2 + 1,
                if i == 99 { 100_000 } else { i }
            ));
        }
        s.apply(Action::StartLoad {
            run: 1,
            source: file("f.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed(&csv),
            parse_ms: 1.0,
        });
        // An identifier is left out by default; nothing else until the learner decides.
        assert_eq!(s.recipe(vec![]).unwrap().exclude, ["Id"]);
        for id in ["missing:gone", "id:Id", "outliers:y"] {
            s.apply(Action::AcceptFinding {
                id: id.into(),
                accept: true,
            });
        }
        let r = s.recipe(vec![]).unwrap();
        assert_eq!(r.exclude, ["Id", "gone"]);
        assert_eq!(r.train_filters.len(), 1);
        assert_eq!(r.train_filters[0].column, "y");
        let mut prep = s.prep.clone();
        prep.overrides.insert("gone".into(), false);
        prep.overrides.insert("b".into(), true);
        s.apply(Action::SetPrep(prep));
        assert_eq!(s.recipe(vec![]).unwrap().exclude, ["Id", "b"]);
        // The same data read again keeps them; new data forgets them.
        s.apply(Action::StartLoad {
            run: 2,
            source: file("f.csv"),
        });
        s.apply(Action::Loaded {
            run: 2,
            parsed: parsed(&csv),
            parse_ms: 1.0,
        });
        assert_eq!(s.prep.overrides.len(), 2);
        s.apply(Action::StartLoad {
            run: 3,
            source: file("g.csv"),
        });
        s.apply(Action::Loaded {
            run: 3,
            parsed: parsed("p,q\n1,2\n3,4\n"),
            parse_ms: 1.0,
        });
        assert!(s.prep.overrides.is_empty());
    }

    #[test]
    fn training_results_follow_runs_and_go_stale_when_settings_change() {
        use crate::engine::pipeline::recipe::run;
        let mut s = Session::new(Lang::En);
        let mut csv = String::from("a,b,y\n");
        for i in 0..80 {
            csv.push_str(&format!("{i},{},{}\n", i % 7, 2 * i + i % 7));
        }
        s.apply(Action::StartLoad {
            run: 1,
            source: file("f.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed(&csv),
            parse_ms: 1.0,
        });
        assert_eq!(s.chosen_models(), default_models(Task::Regression));
        s.apply(Action::SetModels(vec![ModelSpec::LinearRegression]));
        let recipe = s.training_recipe().unwrap();
        let result = run(
            &s.dataset.as_ref().unwrap().parsed.loaded.table,
            &recipe,
            &mut |_| {},
        )
        .unwrap();
        s.apply(Action::StartTraining { run: 1 });
        s.apply(Action::StartTraining { run: 2 });
        // A stale run's result is dropped; the current one lands.
        s.apply(Action::TrainingDone {
            run: 1,
            recipe: recipe.clone(),
            result: Shared::new(result.clone()),
            elapsed_ms: 1.0,
        });
        assert!(s.trained.is_none());
        s.apply(Action::TrainingProgress {
            run: 2,
            fraction: 0.5,
        });
        assert_eq!(
            s.training,
            TrainStatus::Running {
                run: 2,
                progress: 0.5
            }
        );
        s.apply(Action::TrainingDone {
            run: 2,
            recipe,
            result: Shared::new(result),
            elapsed_ms: 1.0,
        });
        assert!(s.trained.is_some() && !s.trained_is_stale());
        let mut prep = s.prep.clone();
        prep.split.random_state = 7;
        s.apply(Action::SetPrep(prep));
        assert!(s.trained_is_stale());
        // Cancelling drops a late result.
        s.apply(Action::StartTraining { run: 3 });
        s.apply(Action::CancelTraining);
        assert_eq!(s.training, TrainStatus::Cancelled);
    }

    #[test]
    fn the_ending_reads_what_the_learner_did() {
        use crate::engine::pipeline::recipe::run;
        let mut s = Session::new(Lang::En);
        let state = |s: &Session, d: Deed| s.deed_state(d);
        // The lesson's formula and presets work from the start; nothing else is done yet.
        assert_eq!(state(&s, Deed::Formula), DeedState::Done);
        assert_eq!(state(&s, Deed::Scenarios), DeedState::Done);
        for d in [
            Deed::Cases,
            Deed::Diagnosis,
            Deed::Findings,
            Deed::DataRequest,
            Deed::Threshold,
            Deed::Trained,
            Deed::Conversations,
            Deed::Report,
        ] {
            assert_eq!(state(&s, d), DeedState::ToDo, "{d:?}");
        }
        // Conversations are done when every point of every step has been checked.
        for p in crate::comms::POINTS {
            assert_eq!(state(&s, Deed::Conversations), DeedState::ToDo);
            s.apply(Action::SetAnswer {
                point: p.id.into(),
                answer: crate::comms::Answer {
                    checked: true,
                    ..Default::default()
                },
            });
        }
        assert_eq!(state(&s, Deed::Conversations), DeedState::Done);
        s.apply(Action::ReportExported);
        assert_eq!(state(&s, Deed::Report), DeedState::Done);
        s.business.formula.expression = "(checkers_before - ".into();
        assert_eq!(state(&s, Deed::Formula), DeedState::ToDo);
        s.business.scenarios[1].inputs.wage_yen_per_hour = -5.0;
        assert_eq!(state(&s, Deed::Scenarios), DeedState::ToDo);
        s.business.case_answers = vec!["quality first".into(), "novice < model".into(), " ".into()];
        assert_eq!(
            state(&s, Deed::Cases),
            DeedState::ToDo,
            "a blank answer is not an answer"
        );
        s.business.case_answers[2] = "humans decide".into();
        assert_eq!(state(&s, Deed::Cases), DeedState::Done);

        // Data with a mostly-missing column, so the diagnosis has a finding to accept.
        let mut csv = String::from("a,b,sparse,y\n");
        for i in 0..80 {
            let sparse = if i % 10 == 0 { "1" } else { "" };
            // (a counts in threes: a column counting 0, 1, 2, … would be an identifier.)
            csv.push_str(&format!("{},{},{sparse},{}\n", 3 * i, i % 7, 2 * i + i % 7));
        }
        s.apply(Action::StartLoad {
            run: 1,
            source: file("f.csv"),
        });
        s.apply(Action::Loaded {
            run: 1,
            parsed: parsed(&csv),
            parse_ms: 1.0,
        });
        assert_eq!(state(&s, Deed::Diagnosis), DeedState::Done);
        assert_eq!(state(&s, Deed::Findings), DeedState::ToDo);
        let finding = s
            .analyze
            .as_ref()
            .unwrap()
            .result
            .as_ref()
            .unwrap()
            .findings[0]
            .id
            .clone();
        s.apply(Action::AcceptFinding {
            id: finding,
            accept: true,
        });
        assert_eq!(state(&s, Deed::Findings), DeedState::Done);

        // Step 3: the accepted finding seeds the request; six filled parts make it drafted.
        let gaps = s.request_gaps(Lang::En);
        assert!(gaps.starts_with("- ") && gaps.contains("sparse"), "{gaps}");
        let mut r = DataRequest {
            why: "fewer checking hours".into(),
            by_when: "in two weeks".into(),
            place: "the sales database".into(),
            who: "the sales team".into(),
            what: gaps.clone(),
            how: String::new(),
        };
        s.apply(Action::SetRequest(r.clone()));
        assert_eq!(state(&s, Deed::DataRequest), DeedState::ToDo);
        r.how = "CSV on the shared drive".into();
        s.apply(Action::SetRequest(r));
        assert_eq!(state(&s, Deed::DataRequest), DeedState::Done);
        let md = s.data_request.to_markdown(Lang::Ja, Some("f.csv"));
        assert!(md.starts_with("## データ提供の依頼 (f.csv)"), "{md}");
        assert!(md.contains("### いつまでに\n\nin two weeks\n"), "{md}");
        assert!(md.contains(&gaps), "{md}");

        s.apply(Action::SetModels(vec![ModelSpec::LinearRegression]));
        let recipe = s.training_recipe().unwrap();
        let table = s.dataset.as_ref().unwrap().parsed.loaded.table.clone();
        let result = run(&table, &recipe, &mut |_| {}).unwrap();
        let r2 = result.models[0].test.headline();
        s.apply(Action::StartTraining { run: 1 });
        s.apply(Action::TrainingDone {
            run: 1,
            recipe,
            result: Shared::new(result),
            elapsed_ms: 1.0,
        });
        assert_eq!(state(&s, Deed::Trained), DeedState::Done);
        // y is almost linear in a and b: the default threshold of 0.8 is met.
        assert!(r2 > DEFAULT_THRESHOLD);
        assert_eq!(state(&s, Deed::Passes), DeedState::Done);
        assert_eq!(state(&s, Deed::Threshold), DeedState::ToDo);
        s.apply(Action::SetThreshold(r2 + 0.001));
        assert_eq!(state(&s, Deed::Threshold), DeedState::Done);
        assert_eq!(state(&s, Deed::Passes), DeedState::ToDo);
        // Changed settings make the trained models stale: train again.
        let mut prep = s.prep.clone();
        prep.split.random_state = 7;
        s.apply(Action::SetPrep(prep));
        assert_eq!(state(&s, Deed::Trained), DeedState::ToDo);
        // Every reason has deeds, each with a step to go back to.
        for r in FailureReason::ALL {
            assert!(!r.deeds().is_empty());
            assert!(r.deeds().iter().all(|d| d.route() != Route::Data));
        }
    }

    #[test]
    fn routes_round_trip_through_the_hash() {
        for r in Route::ALL {
            assert_eq!(Route::from_hash(r.hash()), r);
        }
        assert_eq!(Route::from_hash("#/nowhere"), Route::Data);
        assert_eq!(Route::from_hash(""), Route::Data);
    }

    #[test]
    fn default_read_settings_round_trip_to_pandas_tokens() {
        let opts = ReadSettings::default().to_options();
        let mut got = opts.na_values.clone();
        let mut want: Vec<String> = DEFAULT_NA_VALUES.iter().map(|s| s.to_string()).collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        assert!(!opts.na_values.iter().any(|t| t == "None"));
    }
}
