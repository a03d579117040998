//! What the app keeps in the browser between visits, as plain data: the stored keys, their JSON
//! shapes (unchanged since the values were first saved, so that existing learners' work still
//! loads), migration of older values, the session's projection onto storage, restoring a session
//! from it, and turning a share link into stored values. DOM-free and tested natively; the web
//! app only moves the JSON text in and out of IndexedDB.

use std::collections::{BTreeMap, BTreeSet};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::comms::Answers;
use crate::engine::diagnose::AnalysisConfig;
use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::Task;
use crate::i18n::Lang;
use crate::session::limits;
use crate::session::{
    Action, BusinessState, DataRequest, DataSource, FormulaState, PrepSettings, ReadSettings,
    Session, CASES,
};
use crate::share::{Classroom, Share};

/// Every stored key starts with this (values of other pages on the same origin are left alone).
pub const PREFIX: &str = "mlplay.";

/// How many data sources keep their saved diagnosis settings.
pub const SAVED_ANALYSES: usize = 8;

/// One stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Lang,
    Read,
    LastBundled,
    Business,
    Analysis,
    Prep,
    Models,
    Threshold,
    Request,
    Notes,
    Answers,
    Exported,
    Upload,
    Classroom,
}

impl Key {
    /// Every stored key.
    pub const ALL: [Key; 14] = [
        Key::Lang,
        Key::Read,
        Key::LastBundled,
        Key::Business,
        Key::Analysis,
        Key::Prep,
        Key::Models,
        Key::Threshold,
        Key::Request,
        Key::Notes,
        Key::Answers,
        Key::Exported,
        Key::Upload,
        Key::Classroom,
    ];

    /// The key's name in storage.
    pub fn name(self) -> &'static str {
        match self {
            Key::Lang => "mlplay.lang",
            Key::Read => "mlplay.read",
            Key::LastBundled => "mlplay.last-bundled",
            Key::Business => "mlplay.business",
            Key::Analysis => "mlplay.analysis",
            Key::Prep => "mlplay.prep",
            Key::Models => "mlplay.models",
            Key::Threshold => "mlplay.threshold",
            Key::Request => "mlplay.request",
            Key::Notes => "mlplay.notes",
            Key::Answers => "mlplay.answers",
            Key::Exported => "mlplay.report-exported",
            Key::Upload => "mlplay.last-upload",
            Key::Classroom => "mlplay.classroom",
        }
    }

    /// Work that "Start over" clears; the language, reader settings and data choice stay.
    pub fn is_work(self) -> bool {
        !matches!(self, Key::Lang | Key::Read | Key::LastBundled | Key::Upload)
    }

    /// The keys "Start over" clears.
    pub fn work() -> impl Iterator<Item = Key> {
        Key::ALL.into_iter().filter(|k| k.is_work())
    }
}

/// The diagnosis settings and decisions saved for one data source.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SavedAnalysis {
    pub source: DataSource,
    pub config: AnalysisConfig,
    pub accepted: BTreeSet<String>,
}

/// What storage holds, key by key (None: nothing stored, or nothing readable).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Saved {
    pub lang: Option<Lang>,
    pub read: Option<ReadSettings>,
    /// The bundled dataset last chosen (its catalogue id).
    pub last_bundled: Option<String>,
    pub business: Option<BusinessState>,
    /// Diagnosis settings per data source, the newest first, at most [`SAVED_ANALYSES`].
    pub analyses: Option<Vec<SavedAnalysis>>,
    pub prep: Option<PrepSettings>,
    pub models: Option<Vec<ModelSpec>>,
    pub threshold: Option<f64>,
    pub request: Option<DataRequest>,
    pub notes: Option<BTreeMap<String, String>>,
    pub answers: Option<Answers>,
    pub exported: Option<bool>,
    /// The name of the learner's own file kept in IndexedDB (the bytes are stored apart).
    pub upload: Option<String>,
    pub classroom: Option<Classroom>,
}

fn decode<V: DeserializeOwned>(json: Option<String>) -> Option<V> {
    json.and_then(|j| serde_json::from_str(&j).ok())
}

fn encode<V: Serialize>(value: &Option<V>) -> Option<String> {
    value.as_ref().and_then(|v| serde_json::to_string(v).ok())
}

/// A business state is kept only with the lesson's three scenarios and its case answers.
fn usable_business(b: &BusinessState) -> bool {
    b.scenarios.len() == 3 && b.case_answers.len() == CASES
}

impl Saved {
    /// Read the stored values through `get` (key name → JSON text). Unreadable values are None;
    /// older shapes are read as their current form (see [`migrate`](Saved::load) notes on each).
    pub fn load(get: impl Fn(&str) -> Option<String>) -> Saved {
        let get = |k: Key| get(k.name());
        Saved {
            lang: decode::<String>(get(Key::Lang)).and_then(|c| Lang::from_code(&c)),
            read: decode(get(Key::Read)),
            last_bundled: decode(get(Key::LastBundled)),
            business: decode::<BusinessState>(get(Key::Business)).filter(usable_business),
            analyses: decode::<serde_json::Value>(get(Key::Analysis))
                .and_then(|v| {
                    // Before diagnoses were kept per source, one object was stored.
                    if v.is_object() {
                        serde_json::from_value::<SavedAnalysis>(v)
                            .ok()
                            .map(|a| vec![a])
                    } else {
                        serde_json::from_value::<Vec<SavedAnalysis>>(v).ok()
                    }
                })
                // Settings outside the controls' ranges (an older build took them from links
                // unchecked) are dropped rather than run again on every visit.
                .map(|all| {
                    all.into_iter()
                        .filter(|a| {
                            limits::analysis("analysis", &a.config).is_ok()
                                && limits::source("source", &a.source).is_ok()
                        })
                        .collect::<Vec<_>>()
                })
                .filter(|all| !all.is_empty()),
            prep: decode::<PrepSettings>(get(Key::Prep))
                .filter(|p| limits::prep("prep", p).is_ok()),
            // Models are stored as JSON text inside the JSON value (the recipe's tagged form);
            // a plain array is read too.
            models: decode::<serde_json::Value>(get(Key::Models))
                .and_then(|v| match v {
                    serde_json::Value::String(inner) => serde_json::from_str(&inner).ok(),
                    other => serde_json::from_value(other).ok(),
                })
                .filter(|m: &Vec<ModelSpec>| limits::models("models", m).is_ok()),
            threshold: decode(get(Key::Threshold))
                .filter(|t| limits::number("threshold", *t, limits::USABLE_THRESHOLD).is_ok()),
            request: decode(get(Key::Request)),
            notes: decode(get(Key::Notes)),
            answers: decode(get(Key::Answers)),
            exported: decode(get(Key::Exported)),
            upload: decode(get(Key::Upload)),
            classroom: decode::<Classroom>(get(Key::Classroom)).map(Classroom::sanitized),
        }
    }

    /// Read the stored values from a key → JSON map.
    pub fn from_map(map: &BTreeMap<String, String>) -> Saved {
        Saved::load(|k| map.get(k).cloned())
    }

    /// One key's value as the JSON text to store (None: nothing to store, remove it).
    pub fn json(&self, key: Key) -> Option<String> {
        match key {
            Key::Lang => encode(&self.lang.map(|l| l.code())),
            Key::Read => encode(&self.read),
            Key::LastBundled => encode(&self.last_bundled),
            Key::Business => encode(&self.business),
            Key::Analysis => encode(&self.analyses),
            Key::Prep => encode(&self.prep),
            Key::Models => encode(
                &self
                    .models
                    .as_ref()
                    .and_then(|m| serde_json::to_string(m).ok()),
            ),
            Key::Threshold => encode(&self.threshold),
            Key::Request => encode(&self.request),
            Key::Notes => encode(&self.notes),
            Key::Answers => encode(&self.answers),
            Key::Exported => encode(&self.exported),
            Key::Upload => encode(&self.upload),
            Key::Classroom => encode(&self.classroom),
        }
    }

    /// Every stored value as key name → JSON text.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        Key::ALL
            .into_iter()
            .filter_map(|k| Some((k.name().to_string(), self.json(k)?)))
            .collect()
    }

    /// The saved diagnosis for `source`, if any.
    pub fn analysis_for(&self, source: &DataSource) -> Option<&SavedAnalysis> {
        self.analyses.as_ref()?.iter().find(|a| &a.source == source)
    }

    /// The saved diagnosis for `source` as the action that restores it.
    pub fn restore_analysis(&self, source: &DataSource) -> Option<Action> {
        self.analysis_for(source).map(|a| Action::RestoreAnalysis {
            config: a.config.clone(),
            accepted: a.accepted.clone(),
        })
    }

    /// The saved models, if there are any and every one fits `task`.
    pub fn models_for(&self, task: Task) -> Option<Vec<ModelSpec>> {
        self.models
            .clone()
            .filter(|m| !m.is_empty() && m.iter().all(|m| m.fits(task)))
    }

    /// What storage holds after `newer` is saved on top of `self`: every value `newer` has
    /// replaces the stored one (absent ones stay); saved diagnoses go first in the history,
    /// which keeps other sources' up to [`SAVED_ANALYSES`].
    pub fn save_over(&self, newer: &Saved) -> Saved {
        fn or<T: Clone>(new: &Option<T>, old: &Option<T>) -> Option<T> {
            new.clone().or_else(|| old.clone())
        }
        let analyses = match &newer.analyses {
            Some(new) => {
                let mut all = self.analyses.clone().unwrap_or_default();
                for a in new.iter().rev() {
                    all.retain(|o| o.source != a.source);
                    all.insert(0, a.clone());
                }
                all.truncate(SAVED_ANALYSES);
                Some(all)
            }
            None => self.analyses.clone(),
        };
        Saved {
            lang: newer.lang.or(self.lang),
            read: or(&newer.read, &self.read),
            last_bundled: or(&newer.last_bundled, &self.last_bundled),
            business: or(&newer.business, &self.business),
            analyses,
            prep: or(&newer.prep, &self.prep),
            models: or(&newer.models, &self.models),
            threshold: newer.threshold.or(self.threshold),
            request: or(&newer.request, &self.request),
            notes: or(&newer.notes, &self.notes),
            answers: or(&newer.answers, &self.answers),
            exported: newer.exported.or(self.exported),
            upload: or(&newer.upload, &self.upload),
            classroom: or(&newer.classroom, &self.classroom),
        }
    }
}

/// The keys whose stored JSON differs between `old` and `new`, in [`Key::ALL`] order.
pub fn changed(old: &Saved, new: &Saved) -> Vec<Key> {
    Key::ALL
        .into_iter()
        .filter(|&k| old.json(k) != new.json(k))
        .collect()
}

/// What a session saves: its settings and work. The data choice (written when a read starts)
/// and the classroom options (set by a share link) are not part of the session; models and the
/// threshold only once chosen, the diagnosis only for loaded data.
pub fn saved(s: &Session) -> Saved {
    let analyses = match (&s.dataset, &s.analyze) {
        (Some(d), Some(a)) => Some(vec![SavedAnalysis {
            source: d.source.clone(),
            config: a.config.clone(),
            accepted: a.accepted.clone(),
        }]),
        _ => None,
    };
    Saved {
        lang: Some(s.lang),
        read: Some(s.read.clone()),
        business: Some(s.business.clone()),
        analyses,
        prep: Some(s.prep.clone()),
        models: s.models.clone(),
        threshold: s.usable_threshold,
        request: Some(s.data_request.clone()),
        notes: Some(s.notes.clone()),
        answers: Some(s.answers.clone()),
        exported: Some(s.report_exported),
        ..Saved::default()
    }
}

/// The keys whose saved values differ between two sessions.
pub fn changed_between(old: &Session, new: &Session) -> Vec<Key> {
    changed(&saved(old), &saved(new))
}

/// Restore a fresh session (made in the browser's language) from storage, as at start-up:
/// language, reader settings, business case, preprocessing, threshold, data request, notes,
/// answers and the report flag. The diagnosis and models come back once their data is loaded
/// ([`Saved::restore_analysis`], [`Saved::models_for`]).
pub fn restore(s: &mut Session, saved: &Saved) {
    if let Some(lang) = saved.lang {
        s.lang = lang;
    }
    if let Some(read) = &saved.read {
        s.read = read.clone();
    }
    s.business = saved
        .business
        .clone()
        .unwrap_or_else(|| BusinessState::lesson(s.lang));
    if let Some(prep) = &saved.prep {
        s.prep = prep.clone();
    }
    s.usable_threshold = saved.threshold;
    if let Some(r) = &saved.request {
        s.data_request = r.clone();
    }
    s.notes = saved.notes.clone().unwrap_or_default();
    s.answers = saved.answers.clone().unwrap_or_default();
    s.report_exported = saved.exported.unwrap_or_default();
}

/// What storage holds after opening a share link: the link's settings replace the stored ones
/// (preprocessing, models, threshold and classroom options come only from the link; its
/// diagnosis goes first in the saved history, the learner's diagnoses of other data stay); the
/// scenarios and formula come from the link, the learner's case answers stay; notes, answers,
/// the data request, the report flag and the language are never in a link and stay.
/// `keep_upload`: the learner's uploaded file stays the data (the link's bundled dataset is not
/// opened); otherwise the link's data choice replaces it. `browser_lang` names the lesson's
/// scenarios when none were stored.
pub fn import_share(stored: &Saved, share: &Share, browser_lang: Lang, keep_upload: bool) -> Saved {
    let lang = stored.lang.unwrap_or(browser_lang);
    let mut business = stored
        .business
        .clone()
        .unwrap_or_else(|| BusinessState::lesson(lang));
    if share.scenarios.len() == business.scenarios.len() {
        business.scenarios = share.scenarios.clone();
    }
    if let Some(f) = &share.formula {
        business.formula = f.clone();
    }
    let linked = match (&share.dataset, &share.analysis) {
        (Some(id), Some(config)) => Some(vec![SavedAnalysis {
            source: DataSource::Bundled(id.clone()),
            config: config.clone(),
            accepted: share.accepted.clone(),
        }]),
        _ => None,
    };
    let keep = keep_upload && stored.upload.is_some();
    let (last_bundled, upload) = if keep {
        (None, stored.upload.clone())
    } else {
        (share.dataset.clone(), None)
    };
    let with_analyses = stored.save_over(&Saved {
        analyses: linked,
        ..Saved::default()
    });
    Saved {
        read: share.read.clone().or_else(|| stored.read.clone()),
        last_bundled,
        upload,
        business: Some(business),
        analyses: with_analyses.analyses,
        prep: share.prep.clone(),
        models: share.models.clone(),
        threshold: share.threshold,
        classroom: Some(share.classroom.clone()),
        ..stored.clone()
    }
}

/// A part of the learner's saved work that opening a share link would replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The value calculator's scenarios.
    Scenarios,
    /// The learner's value formula.
    Formula,
    /// The diagnosis settings and decisions on findings.
    Decisions,
    /// Step 4's preprocessing settings.
    Preprocessing,
    /// The chosen models.
    Models,
    /// The "usable if" threshold.
    Threshold,
    /// The reading options.
    ReadSettings,
}

impl Part {
    /// What the part is, in `lang` (for the question asked before a link opens).
    pub fn text(self, lang: Lang) -> &'static str {
        use crate::i18n::safety::S;
        match self {
            Part::Scenarios => S::PartScenarios,
            Part::Formula => S::PartFormula,
            Part::Decisions => S::PartDecisions,
            Part::Preprocessing => S::PartPreprocessing,
            Part::Models => S::PartModels,
            Part::Threshold => S::PartThreshold,
            Part::ReadSettings => S::PartReadSettings,
        }
        .get(lang)
    }
}

/// What opening `share` over `stored` would replace of the learner's own work, in workshop
/// order: the parts the learner changed from a fresh start and the link sets otherwise. Empty
/// when nothing of theirs would be lost (a first visit, or a link equal to their settings): then
/// the link opens without asking. The uploaded file is asked about apart ([`Saved::upload`]).
pub fn replaced_by(stored: &Saved, share: &Share, browser_lang: Lang) -> Vec<Part> {
    let after = import_share(stored, share, browser_lang, true);
    let lessons = [
        BusinessState::lesson(Lang::En),
        BusinessState::lesson(Lang::Ja),
    ];
    let mut out = Vec::new();
    if let (Some(b), Some(a)) = (&stored.business, &after.business) {
        if b.scenarios != a.scenarios && !lessons.iter().any(|l| l.scenarios == b.scenarios) {
            out.push(Part::Scenarios);
        }
        if b.formula != a.formula && b.formula != FormulaState::default() {
            out.push(Part::Formula);
        }
    }
    // A diagnosis counts as work once the learner changed a setting or decided a finding.
    let worked = |a: &SavedAnalysis| {
        !a.accepted.is_empty() || a.config != AnalysisConfig::new(a.config.target.clone())
    };
    let linked_source = share.dataset.clone().map(DataSource::Bundled);
    if share.analysis.is_some()
        && stored.analyses.iter().flatten().any(|a| {
            Some(&a.source) == linked_source.as_ref()
                && worked(a)
                && after.analysis_for(&a.source) != Some(a)
        })
    {
        out.push(Part::Decisions);
    }
    let plain = |p: &PrepSettings| PrepSettings {
        source: None,
        scatter_column: None,
        ..p.clone()
    };
    if let Some(p) = &stored.prep {
        let changed = after.prep.as_ref().map(plain) != Some(plain(p));
        if changed && plain(p) != PrepSettings::default() {
            out.push(Part::Preprocessing);
        }
    }
    if stored.models.is_some() && stored.models != after.models {
        out.push(Part::Models);
    }
    if stored.threshold.is_some() && stored.threshold != after.threshold {
        out.push(Part::Threshold);
    }
    if let Some(r) = &stored.read {
        if Some(r) != after.read.as_ref() && r != &ReadSettings::default() {
            out.push(Part::ReadSettings);
        }
    }
    out
}

/// Whether opening `share` must ask first: it would replace some of the learner's work, or
/// the learner has an uploaded file the link would put aside.
pub fn share_needs_consent(stored: &Saved, share: &Share, browser_lang: Lang) -> bool {
    stored.upload.is_some() || !replaced_by(stored, share, browser_lang).is_empty()
}

/// The local-storage key of the start-up breadcrumb. Local storage because it is written
/// synchronously and survives a crash; not under [`PREFIX`], whose local-storage values an
/// older build left are moved away at start.
pub const BREADCRUMB_KEY: &str = "mlplay-breadcrumb";

/// The key of one page's breadcrumb. Every open page (a tab, or each widget frame of a slide
/// deck, all sharing one local storage) keeps its own, named by its instance id, so a page
/// never reads another live page's work as a crash.
pub fn breadcrumb_key(instance: &str) -> String {
    format!("{BREADCRUMB_KEY}:{instance}")
}

/// The name of the Web Lock a page holds for as long as it is open: the browser releases it
/// when the page goes, however it goes (reload, closed tab, crashed renderer).
pub fn alive_lock(instance: &str) -> String {
    format!("mlplay-alive:{instance}")
}

/// The instance ids whose pages are open, from the names of the Web Locks held or asked for.
pub fn live_instances<'a>(locks: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    locks
        .into_iter()
        .filter_map(|name| name.strip_prefix("mlplay-alive:"))
        .map(str::to_string)
        .collect()
}

/// The breadcrumbs that pages no longer open left behind, from local storage's (key, text)
/// pairs: those under [`BREADCRUMB_KEY`] whose page is not in `live`. `live` is `None` where
/// the browser cannot tell (no Web Locks outside a secure context): then every breadcrumb is
/// taken as left behind, as a single page would. The bare key (written by the panic box's
/// buttons and by older builds) always is. Sorted by key; other keys are ignored.
pub fn left_behind(
    items: &[(String, String)],
    live: Option<&BTreeSet<String>>,
) -> Vec<(String, Breadcrumb)> {
    let mut out: Vec<(String, Breadcrumb)> = items
        .iter()
        .filter(|(key, _)| match key.strip_prefix(BREADCRUMB_KEY) {
            Some("") => true,
            Some(rest) => match rest.strip_prefix(':') {
                Some(id) => live.is_none_or(|live| !live.contains(id)),
                None => false,
            },
            None => false,
        })
        .filter_map(|(key, text)| Some((key.clone(), Breadcrumb::read(Some(text))?)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// What to start from, given the breadcrumbs left behind: an erase asked for wins; otherwise
/// the first piece of work that died (a link before a restore before a bare crash, so the
/// recovery names what to start without as precisely as it can).
pub fn recovery_from(left: &[(String, Breadcrumb)]) -> Option<Breadcrumb> {
    let rank = |c: &Breadcrumb| match c {
        Breadcrumb::Erase => 0,
        Breadcrumb::Share { .. } => 1,
        Breadcrumb::Restore { .. } => 2,
        Breadcrumb::Crashed => 3,
    };
    left.iter().map(|(_, c)| c).min_by_key(|c| rank(c)).cloned()
}

/// Heavy work on restored state, recorded before it starts and cleared when it is done: a
/// breadcrumb still there at the next start means the previous visit died doing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "doing", rename_all = "snake_case")]
pub enum Breadcrumb {
    /// Reading the data a reload restores and diagnosing it with the saved settings.
    Restore {
        /// The file's or dataset's name as shown.
        name: String,
        /// The learner's own uploaded file (else a bundled dataset).
        upload: bool,
    },
    /// Opening a share link (its fragment, to try again).
    Share { fragment: String },
    /// The page stopped with an error (left by the panic box's "reload without the restored
    /// state").
    Crashed,
    /// The panic box's "erase my data": erase everything before starting.
    Erase,
}

impl Breadcrumb {
    /// The text to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// What a stored breadcrumb says; text that cannot be read still means the visit died.
    pub fn read(text: Option<&str>) -> Option<Breadcrumb> {
        let text = text?;
        Some(serde_json::from_str(text).unwrap_or(Breadcrumb::Crashed))
    }

    /// Whether the app must start without the restored data, diagnosis and models and without
    /// a share link in the address, and say so (every breadcrumb but [`Breadcrumb::Erase`]).
    pub fn starts_safe(&self) -> bool {
        !matches!(self, Breadcrumb::Erase)
    }
}

/// What storage holds after the learner chose "open without it" for the work the previous
/// visit died doing: the data choice and what was restored with it (its saved diagnoses and
/// models) are forgotten; the rest of the work stays. (A share link that crashed was never
/// written, so nothing is to be removed for it.)
pub fn without(stored: &Saved, crumb: &Breadcrumb) -> Saved {
    match crumb {
        Breadcrumb::Share { .. } | Breadcrumb::Erase => stored.clone(),
        Breadcrumb::Restore { .. } | Breadcrumb::Crashed => Saved {
            last_bundled: None,
            upload: None,
            analyses: None,
            models: None,
            ..stored.clone()
        },
    }
}

/// Values an older build kept in local storage, to move into the key-value store: those under
/// [`PREFIX`] that hold JSON and are not stored already (a value in the store is newer).
/// `legacy` is (key, text) as local storage had them; the result is (key, JSON text) to store.
/// Every legacy key is removed from local storage afterwards, moved or not.
pub fn migrate_legacy(
    stored: &BTreeMap<String, String>,
    legacy: &[(String, String)],
) -> Vec<(String, String)> {
    legacy
        .iter()
        .filter(|(k, _)| k.starts_with(PREFIX))
        .filter(|(k, _)| {
            stored
                .get(k)
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                .is_none()
        })
        .filter_map(|(k, v)| {
            let value = serde_json::from_str::<serde_json::Value>(v).ok()?;
            Some((k.clone(), serde_json::to_string(&value).ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comms::{Answer, RequestKind};
    use crate::engine::data::reader::LoadOptions;
    use crate::session::{parse, Shared};

    const CSV: &str = "a,b,c,y\n1,x,2,10\n2,y,,20\n3,x,4,30\n4,y,5,40\n5,x,,50\n6,y,7,60\n";

    fn load(s: &mut Session, source: DataSource, run: u64) {
        s.apply(Action::StartLoad { run, source });
        s.apply(Action::Loaded {
            run,
            parsed: Shared::new(
                parse(CSV.as_bytes(), &LoadOptions::default(), &mut |_| {}).unwrap(),
            ),
            parse_ms: 1.0,
        });
    }

    fn source() -> DataSource {
        DataSource::File {
            name: "mine.csv".into(),
            bytes: 77,
        }
    }

    /// A session in which every saved field differs from a fresh session's.
    fn worked_session() -> Session {
        let mut s = Session::new(Lang::En);
        s.apply(Action::SetLang(Lang::Ja));
        s.apply(Action::SetReadSettings(ReadSettings {
            na_text: "NA, -".into(),
            encoding: Some("shift_jis".into()),
            delimiter: Some(b';'),
            keep_text: vec!["price".into()],
        }));
        let mut business = BusinessState::lesson(Lang::Ja);
        business.scenarios[1].name = "my plan".into();
        business.scenarios[2].inputs.checkers_after = 7.0;
        business.formula.expression = "hours * wage".into();
        business.case_answers[0] = "the checkers".into();
        business.revealed[2] = true;
        s.apply(Action::SetBusiness(business));
        load(&mut s, source(), 1);
        let mut config = s.analyze.as_ref().unwrap().config.clone();
        config.missing_threshold = 12.5;
        config.hist_bins = 7;
        config.task = Some(Task::Regression);
        s.apply(Action::SetAnalysis(config));
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
        let mut prep = s.prep.clone();
        prep.split.test_size = 0.25;
        prep.split.random_state = 7;
        prep.target_standard = false;
        prep.overrides.insert("b".into(), true);
        prep.scatter_column = Some("a".into());
        s.apply(Action::SetPrep(prep));
        s.apply(Action::SetModels(vec![ModelSpec::Ridge { alpha: 3.5 }]));
        s.apply(Action::SetThreshold(0.65));
        s.apply(Action::SetRequest(DataRequest {
            why: "why".into(),
            by_when: "May".into(),
            place: "plant".into(),
            who: "QA".into(),
            what: "photos".into(),
            how: "export".into(),
        }));
        s.apply(Action::SetNote {
            section: "value".into(),
            text: "a note".into(),
        });
        s.apply(Action::SetAnswer {
            point: "analyze-meaning".into(),
            answer: Answer {
                roles: ["operator".to_string()].into(),
                kind: Some(RequestKind::Review),
                draft: "please".into(),
                checked: true,
            },
        });
        s.apply(Action::ReportExported);
        s
    }

    #[test]
    fn every_saved_field_round_trips_through_storage() {
        let worked = worked_session();
        let fresh = Session::new(Lang::En);
        // Every field of the projection differs from a fresh session's (else the test proves
        // nothing about it).
        let (a, b) = (saved(&worked), saved(&fresh));
        for key in [
            Key::Lang,
            Key::Read,
            Key::Business,
            Key::Analysis,
            Key::Prep,
            Key::Models,
            Key::Threshold,
            Key::Request,
            Key::Notes,
            Key::Answers,
            Key::Exported,
        ] {
            assert_ne!(a.json(key), b.json(key), "{key:?}");
        }
        // Through the stored text, as after a reload.
        let map = Saved::default().save_over(&a).to_map();
        let back = Saved::from_map(&map);
        let mut s = Session::new(Lang::En);
        restore(&mut s, &back);
        assert_eq!(s.lang, Lang::Ja);
        assert_eq!(s.read, worked.read);
        assert_eq!(s.business, worked.business);
        assert_eq!(s.prep, worked.prep);
        assert_eq!(s.usable_threshold, Some(0.65));
        assert_eq!(s.data_request, worked.data_request);
        assert_eq!(s.notes, worked.notes);
        assert_eq!(s.answers, worked.answers);
        assert!(s.report_exported);
        // The data's own settings come back once it is read again.
        load(&mut s, source(), 1);
        s.apply(back.restore_analysis(&source()).unwrap());
        let task = s.task().unwrap();
        s.apply(Action::SetModels(back.models_for(task).unwrap()));
        let (got, want) = (
            s.analyze.as_ref().unwrap(),
            worked.analyze.as_ref().unwrap(),
        );
        assert_eq!(got.config, want.config);
        assert_eq!(got.accepted, want.accepted);
        assert!(!got.accepted.is_empty());
        assert_eq!(s.models, worked.models);
        assert_eq!(
            s.prep, worked.prep,
            "reading the same data again keeps its column choices"
        );
        assert_eq!(saved(&s), saved(&worked));
        assert_eq!(back.json(Key::Models), a.json(Key::Models));
    }

    #[test]
    fn stored_json_shapes_are_unchanged() {
        let mut s = Session::new(Lang::Ja);
        s.apply(Action::SetModels(vec![ModelSpec::Ridge { alpha: 2.0 }]));
        s.apply(Action::SetThreshold(0.5));
        let v = saved(&s);
        assert_eq!(v.json(Key::Lang).unwrap(), r#""ja""#);
        // Models are JSON text inside JSON, as every earlier build stored them.
        assert_eq!(
            v.json(Key::Models).unwrap(),
            r#""[{\"kind\":\"ridge\",\"alpha\":2.0}]""#
        );
        assert_eq!(v.json(Key::Threshold).unwrap(), "0.5");
        assert_eq!(v.json(Key::Exported).unwrap(), "false");
        assert_eq!(v.json(Key::Notes).unwrap(), "{}");
        let with_data = Saved {
            last_bundled: Some("ames".into()),
            upload: Some("mine.csv".into()),
            ..Saved::default()
        };
        assert_eq!(with_data.json(Key::LastBundled).unwrap(), r#""ames""#);
        assert_eq!(with_data.json(Key::Upload).unwrap(), r#""mine.csv""#);
        assert_eq!(with_data.json(Key::Classroom), None);
        let names: BTreeSet<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), Key::ALL.len(), "key names are distinct");
        assert!(names.iter().all(|n| n.starts_with(PREFIX)));
    }

    #[test]
    fn start_over_clears_the_work_and_keeps_language_reader_and_data() {
        let work: Vec<&str> = Key::work().map(|k| k.name()).collect();
        assert_eq!(
            work,
            [
                "mlplay.business",
                "mlplay.analysis",
                "mlplay.prep",
                "mlplay.models",
                "mlplay.threshold",
                "mlplay.request",
                "mlplay.notes",
                "mlplay.answers",
                "mlplay.report-exported",
                "mlplay.classroom",
            ]
        );
    }

    #[test]
    fn nothing_stored_restores_a_fresh_session_in_the_browser_language() {
        let mut s = Session::new(Lang::Ja);
        restore(&mut s, &Saved::from_map(&BTreeMap::new()));
        assert_eq!(s, {
            let mut f = Session::new(Lang::Ja);
            f.business = BusinessState::lesson(Lang::Ja);
            f
        });
    }

    #[test]
    fn unreadable_and_incomplete_values_are_ignored() {
        let mut map = BTreeMap::new();
        map.insert("mlplay.lang".to_string(), r#""xx""#.to_string());
        map.insert("mlplay.prep".to_string(), "{not json".to_string());
        let mut b = BusinessState::lesson(Lang::En);
        b.case_answers.pop();
        b.scenarios[0].name = "kept?".into();
        map.insert(
            "mlplay.business".to_string(),
            serde_json::to_string(&b).unwrap(),
        );
        let saved = Saved::from_map(&map);
        assert_eq!(saved, Saved::default());
        let mut s = Session::new(Lang::En);
        restore(&mut s, &saved);
        assert_eq!(s.business, BusinessState::lesson(Lang::En));
    }

    #[test]
    fn older_shapes_are_read_as_today() {
        let config = AnalysisConfig::new("y");
        let one = SavedAnalysis {
            source: DataSource::Bundled("ames".into()),
            config: config.clone(),
            accepted: ["drop-x".to_string()].into(),
        };
        let mut map = BTreeMap::new();
        // One diagnosis object, before they were kept per source.
        map.insert(
            "mlplay.analysis".to_string(),
            serde_json::to_string(&one).unwrap(),
        );
        // Models as a plain array; preprocessing saved before it named its data.
        map.insert(
            "mlplay.models".to_string(),
            r#"[{"kind":"lasso","alpha":0.5}]"#.to_string(),
        );
        let mut prep = serde_json::to_value(PrepSettings::default()).unwrap();
        prep.as_object_mut().unwrap().remove("source");
        map.insert("mlplay.prep".to_string(), prep.to_string());
        // A data request saved before it had every part.
        map.insert("mlplay.request".to_string(), r#"{"why":"w"}"#.to_string());
        let saved = Saved::from_map(&map);
        assert_eq!(saved.analyses, Some(vec![one.clone()]));
        assert_eq!(
            saved.restore_analysis(&DataSource::Bundled("ames".into())),
            Some(Action::RestoreAnalysis {
                config,
                accepted: one.accepted.clone()
            })
        );
        assert_eq!(
            saved.analysis_for(&DataSource::Bundled("titanic".into())),
            None
        );
        assert_eq!(saved.models, Some(vec![ModelSpec::Lasso { alpha: 0.5 }]));
        assert_eq!(saved.prep, Some(PrepSettings::default()));
        assert_eq!(saved.request.as_ref().unwrap().why, "w");
        // Written back in today's shapes.
        let today = Saved::default().save_over(&saved).to_map();
        assert!(today["mlplay.analysis"].starts_with('['));
        assert!(today["mlplay.models"].starts_with('"'));
    }

    #[test]
    fn models_that_do_not_fit_the_task_are_not_restored() {
        let saved = Saved {
            models: Some(vec![ModelSpec::LogisticRegression { c: 1.0 }]),
            ..Saved::default()
        };
        assert_eq!(saved.models_for(Task::Regression), None);
        assert!(saved.models_for(Task::Classification).is_some());
        let empty = Saved {
            models: Some(Vec::new()),
            ..Saved::default()
        };
        assert_eq!(empty.models_for(Task::Classification), None);
    }

    #[test]
    fn local_storage_values_move_unless_the_store_has_newer_ones() {
        let mut stored = BTreeMap::new();
        stored.insert("mlplay.lang".to_string(), r#""ja""#.to_string());
        stored.insert("mlplay.notes".to_string(), "broken".to_string());
        let legacy = [
            ("mlplay.lang", r#""en""#),
            ("mlplay.threshold", "0.7"),
            ("mlplay.notes", r#"{"value": "old note"}"#),
            ("mlplay.read", "not json"),
            ("other.key", "1"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let moved = migrate_legacy(&stored, &legacy);
        assert_eq!(
            moved,
            [
                ("mlplay.threshold", "0.7"),
                ("mlplay.notes", r#"{"value":"old note"}"#)
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        stored.extend(moved);
        let saved = Saved::from_map(&stored);
        assert_eq!(saved.lang, Some(Lang::Ja));
        assert_eq!(saved.threshold, Some(0.7));
        assert_eq!(saved.notes.unwrap()["value"], "old note");
    }

    #[test]
    fn save_over_keeps_other_sources_diagnoses_newest_first() {
        let entry = |name: &str, bins: usize| SavedAnalysis {
            source: DataSource::Bundled(name.into()),
            config: AnalysisConfig {
                hist_bins: bins,
                ..AnalysisConfig::new("y")
            },
            accepted: BTreeSet::new(),
        };
        let mut stored = Saved {
            analyses: Some(
                (0..SAVED_ANALYSES)
                    .map(|i| entry(&format!("d{i}"), 5))
                    .collect(),
            ),
            threshold: Some(0.9),
            ..Saved::default()
        };
        let newer = Saved {
            analyses: Some(vec![entry("d3", 9)]),
            ..Saved::default()
        };
        stored = stored.save_over(&newer);
        let all = stored.analyses.clone().unwrap();
        assert_eq!(all.len(), SAVED_ANALYSES);
        assert_eq!(all[0], entry("d3", 9));
        assert_eq!(
            all.iter()
                .filter(|a| a.source == entry("d3", 0).source)
                .count(),
            1
        );
        assert_eq!(stored.threshold, Some(0.9), "absent values stay as stored");
        let next = stored.save_over(&Saved {
            analyses: Some(vec![entry("new", 5)]),
            ..Saved::default()
        });
        let all = next.analyses.clone().unwrap();
        assert_eq!(all.len(), SAVED_ANALYSES);
        assert_eq!(all[0].source, DataSource::Bundled("new".into()));
        assert_eq!(all[1], entry("d3", 9));
        assert!(!all
            .iter()
            .any(|a| a.source == DataSource::Bundled("d7".into())));
        assert_eq!(changed(&stored, &next), vec![Key::Analysis]);
    }

    #[test]
    fn the_diff_names_exactly_the_keys_that_changed() {
        let a = worked_session();
        assert!(changed_between(&a, &a).is_empty());
        let mut b = a.clone();
        b.apply(Action::SetNote {
            section: "value".into(),
            text: "another".into(),
        });
        assert_eq!(changed_between(&a, &b), vec![Key::Notes]);
        b.apply(Action::SetThreshold(0.1));
        b.apply(Action::SetLang(Lang::En));
        // The language also renames the preset scenarios the learner did not rename.
        assert_eq!(
            changed_between(&a, &b),
            vec![Key::Lang, Key::Business, Key::Threshold, Key::Notes]
        );
        let mut c = a.clone();
        c.route = crate::route::Route::Report;
        c.storage_error = Some("full".into());
        assert!(
            changed_between(&a, &c).is_empty(),
            "route and errors are not saved"
        );
        // Against what is stored: only what the session changed is written.
        let stored = Saved::default().save_over(&saved(&a));
        assert_eq!(
            changed(&stored, &stored.save_over(&saved(&b))),
            vec![Key::Lang, Key::Business, Key::Threshold, Key::Notes]
        );
    }

    #[test]
    fn stored_values_an_older_build_let_through_are_checked_on_load() {
        // What the 258-character link left in storage: every later visit showed a locked page
        // without navigation, and the histogram panicked with "capacity overflow".
        let mut map = BTreeMap::new();
        map.insert(
            "mlplay.classroom".to_string(),
            r#"{"hide":["upload","x topbar steps session-tools","language"],"lock":true,"hide_text":false}"#
                .to_string(),
        );
        let mut config = AnalysisConfig::new("y");
        config.hist_bins = 4_294_967_295;
        let bad = SavedAnalysis {
            source: DataSource::Bundled("ames".into()),
            config,
            accepted: BTreeSet::new(),
        };
        let good = SavedAnalysis {
            source: DataSource::Bundled("titanic".into()),
            config: AnalysisConfig::new("survived"),
            accepted: BTreeSet::new(),
        };
        map.insert(
            "mlplay.analysis".to_string(),
            serde_json::to_string(&vec![bad, good.clone()]).unwrap(),
        );
        map.insert("mlplay.threshold".to_string(), "-1".to_string());
        map.insert(
            "mlplay.models".to_string(),
            serde_json::to_string(
                &serde_json::to_string(&vec![ModelSpec::Ridge { alpha: -2.0 }]).unwrap(),
            )
            .unwrap(),
        );
        let saved = Saved::from_map(&map);
        let classroom = saved.classroom.clone().unwrap();
        assert_eq!(classroom.hide, ["upload".to_string()].into());
        assert!(classroom.lock);
        assert_eq!(saved.analyses, Some(vec![good]));
        assert_eq!(saved.threshold, None);
        assert_eq!(saved.models, None);
    }

    fn share_of(s: &Session) -> Share {
        let classroom = Classroom {
            hide: ["upload".to_string()].into(),
            lock: true,
            hide_text: false,
        };
        Share::from_session(s, classroom)
    }

    #[test]
    fn a_share_link_replaces_settings_and_keeps_what_links_never_carry() {
        // The instructor's session, on a bundled dataset.
        let mut teacher = worked_session();
        load(&mut teacher, DataSource::Bundled("ames".into()), 2);
        let mut config = teacher.analyze.as_ref().unwrap().config.clone();
        config.corr_threshold = 0.66;
        teacher.apply(Action::SetAnalysis(config.clone()));
        teacher.apply(Action::SetModels(vec![ModelSpec::Lasso { alpha: 0.25 }]));
        teacher.apply(Action::SetThreshold(0.42));
        let mut business = teacher.business.clone();
        business.scenarios[0].name = "teacher's".into();
        business.case_answers[1] = "teacher's answer".into();
        teacher.apply(Action::SetBusiness(business));
        let share = Share::decode(&share_of(&teacher).encode()).unwrap();

        // The learner's stored work: an upload, notes, answers, a request.
        let learner = {
            let mut s = Session::new(Lang::En);
            s.apply(Action::SetNote {
                section: "test".into(),
                text: "mine".into(),
            });
            s.apply(Action::SetAnswer {
                point: "train-who".into(),
                answer: Answer {
                    draft: "my draft".into(),
                    ..Answer::default()
                },
            });
            let mut b = s.business.clone();
            b.case_answers[0] = "my case answer".into();
            s.apply(Action::SetBusiness(b));
            s.apply(Action::SetRequest(DataRequest {
                why: "mine".into(),
                ..DataRequest::default()
            }));
            s.apply(Action::ReportExported);
            s
        };
        let stored = Saved {
            upload: Some("mine.csv".into()),
            models: Some(vec![ModelSpec::LinearRegression]),
            analyses: Some(vec![SavedAnalysis {
                source: source(),
                config: AnalysisConfig::new("y"),
                accepted: BTreeSet::new(),
            }]),
            ..Saved::default()
        }
        .save_over(&saved(&learner));

        let next = import_share(&stored, &share, Lang::Ja, false);
        assert_eq!(next.last_bundled.as_deref(), Some("ames"));
        assert_eq!(next.upload, None);
        assert_eq!(next.read, Some(teacher.read.clone()));
        assert_eq!(next.prep, Some(teacher.prep.clone()));
        assert_eq!(next.models, Some(vec![ModelSpec::Lasso { alpha: 0.25 }]));
        assert_eq!(next.threshold, Some(0.42));
        assert_eq!(next.classroom, Some(share.classroom.clone()));
        assert!(next.classroom.as_ref().unwrap().lock);
        // The link's diagnosis goes first; the learner's diagnosis of their own file stays.
        assert_eq!(
            next.analyses,
            Some(vec![
                SavedAnalysis {
                    source: DataSource::Bundled("ames".into()),
                    config,
                    accepted: teacher.analyze.as_ref().unwrap().accepted.clone(),
                },
                stored.analyses.as_ref().unwrap()[0].clone()
            ])
        );
        let business = next.business.clone().unwrap();
        assert_eq!(business.scenarios, teacher.business.scenarios);
        assert_eq!(business.formula, teacher.business.formula);
        assert_eq!(business.case_answers, learner.business.case_answers);
        // Never in a link: notes, answers, the request, the report flag, the language.
        assert_eq!(next.notes, Some(learner.notes.clone()));
        assert_eq!(next.answers, Some(learner.answers.clone()));
        assert_eq!(next.request, Some(learner.data_request.clone()));
        assert_eq!(next.exported, Some(true));
        assert_eq!(next.lang, Some(Lang::En));
        assert_eq!(
            changed(&stored, &next),
            vec![
                Key::Read,
                Key::LastBundled,
                Key::Business,
                Key::Analysis,
                Key::Prep,
                Key::Models,
                Key::Threshold,
                Key::Upload,
                Key::Classroom
            ]
        );
        // The reloaded app then starts from the link's settings.
        let mut s = Session::new(Lang::En);
        restore(&mut s, &Saved::from_map(&next.to_map()));
        assert_eq!(s.usable_threshold, Some(0.42));
        assert_eq!(s.notes, learner.notes);
    }

    #[test]
    fn a_minimal_share_link_clears_the_settings_it_replaces() {
        let share = Share::decode(
            &Share {
                v: crate::share::SHARE_VERSION,
                ..Share::default()
            }
            .encode(),
        )
        .unwrap();
        let stored = Saved {
            lang: Some(Lang::Ja),
            read: Some(ReadSettings {
                na_text: "x".into(),
                ..ReadSettings::default()
            }),
            last_bundled: Some("titanic".into()),
            prep: Some(PrepSettings::default()),
            models: Some(vec![ModelSpec::LinearRegression]),
            threshold: Some(0.3),
            classroom: Some(Classroom {
                lock: true,
                ..Classroom::default()
            }),
            ..Saved::default()
        };
        let next = import_share(&stored, &share, Lang::En, false);
        assert_eq!(
            next.read, stored.read,
            "no reader settings in the link: kept"
        );
        assert_eq!(next.last_bundled, None);
        assert_eq!(next.prep, None);
        assert_eq!(next.models, None);
        assert_eq!(next.threshold, None);
        assert_eq!(next.classroom, Some(Classroom::default()));
        // No stored business case: the lesson's, in the stored language.
        assert_eq!(next.business, Some(BusinessState::lesson(Lang::Ja)));
        assert_eq!(next.json(Key::Prep), None, "removed from storage");
    }

    #[test]
    fn opening_a_link_over_saved_work_asks_and_keeps_the_uploaded_file() {
        let mut teacher = worked_session();
        load(&mut teacher, DataSource::Bundled("ames".into()), 2);
        teacher.apply(Action::SetModels(vec![ModelSpec::Lasso { alpha: 0.25 }]));
        teacher.apply(Action::SetThreshold(0.42));
        let share = Share::decode(&share_of(&teacher).encode()).unwrap();

        // A first visit: nothing of the learner's is replaced, nothing to ask.
        assert!(replaced_by(&Saved::default(), &share, Lang::En).is_empty());
        assert!(!share_needs_consent(&Saved::default(), &share, Lang::En));

        // A learner with an upload, a formula, models and a threshold of their own.
        let mut learner = Session::new(Lang::En);
        let mut b = BusinessState::lesson(Lang::En);
        b.formula.expression = "hours * 3".into();
        learner.apply(Action::SetBusiness(b));
        learner.apply(Action::SetModels(vec![ModelSpec::LinearRegression]));
        learner.apply(Action::SetThreshold(0.6));
        let stored = Saved {
            upload: Some("mine.csv".into()),
            ..Saved::default()
        }
        .save_over(&saved(&learner));
        assert_eq!(
            replaced_by(&stored, &share, Lang::En),
            vec![Part::Formula, Part::Models, Part::Threshold]
        );
        assert!(share_needs_consent(&stored, &share, Lang::En));

        // Kept (the default answer): the file stays the data, and comes back on reload.
        let kept = import_share(&stored, &share, Lang::En, true);
        assert_eq!(kept.upload.as_deref(), Some("mine.csv"));
        assert_eq!(kept.last_bundled, None);
        assert_eq!(kept.models, Some(vec![ModelSpec::Lasso { alpha: 0.25 }]));
        assert_eq!(
            Saved::from_map(&kept.to_map()).upload.as_deref(),
            Some("mine.csv")
        );
        // Put aside on request: the link's dataset is opened instead.
        let replaced = import_share(&stored, &share, Lang::En, false);
        assert_eq!(replaced.upload, None);
        assert_eq!(replaced.last_bundled.as_deref(), Some("ames"));
    }

    #[test]
    fn a_page_still_open_is_not_a_page_that_died() {
        // Seven widget frames of one slide deck start together and share local storage: one
        // frame restoring its data must not send another into recovery (Firefox, embed deck).
        let restoring = Breadcrumb::Restore {
            name: "ames".into(),
            upload: false,
        };
        let items = vec![
            (breadcrumb_key("frame-a"), restoring.to_json()),
            ("mlplay.lang".to_string(), "\"ja\"".to_string()),
        ];
        let live = live_instances([alive_lock("frame-a").as_str(), "other-app-lock"]);
        assert_eq!(live, BTreeSet::from(["frame-a".to_string()]));
        assert_eq!(left_behind(&items, Some(&live)), vec![]);
        assert_eq!(recovery_from(&left_behind(&items, Some(&live))), None);

        // The same breadcrumb once its page is gone (reloaded after a crash) is a recovery.
        let gone = left_behind(&items, Some(&BTreeSet::new()));
        assert_eq!(gone, vec![(breadcrumb_key("frame-a"), restoring.clone())]);
        assert_eq!(recovery_from(&gone), Some(restoring.clone()));
        // Without Web Locks nothing tells a live page from a dead one: as a single page.
        assert_eq!(left_behind(&items, None).len(), 1);

        // The panic box's bare key is always left behind; an erase outranks the rest.
        let items = vec![
            (breadcrumb_key("b"), restoring.to_json()),
            (BREADCRUMB_KEY.to_string(), Breadcrumb::Erase.to_json()),
            (
                format!("{BREADCRUMB_KEY}-other"),
                Breadcrumb::Crashed.to_json(),
            ),
        ];
        let left = left_behind(&items, Some(&live));
        assert_eq!(left.len(), 2, "{left:?}");
        assert_eq!(recovery_from(&left), Some(Breadcrumb::Erase));
        let link = Breadcrumb::Share {
            fragment: "#share=x".into(),
        };
        let left = vec![
            ("k1".to_string(), Breadcrumb::Crashed),
            ("k2".to_string(), restoring.clone()),
            ("k3".to_string(), link.clone()),
        ];
        assert_eq!(recovery_from(&left), Some(link));
    }

    #[test]
    fn a_breadcrumb_left_behind_starts_without_what_crashed() {
        let crumb = Breadcrumb::Restore {
            name: "mine.csv".into(),
            upload: true,
        };
        let text = crumb.to_json();
        assert!(text.contains("\"doing\":\"restore\""), "{text}");
        assert_eq!(Breadcrumb::read(Some(&text)), Some(crumb.clone()));
        assert_eq!(Breadcrumb::read(None), None);
        assert_eq!(Breadcrumb::read(Some("garbage")), Some(Breadcrumb::Crashed));
        assert!(crumb.starts_safe());
        assert!(!Breadcrumb::Erase.starts_safe());
        assert!(
            !BREADCRUMB_KEY.starts_with(PREFIX),
            "start-up would move it away"
        );

        let stored = Saved {
            upload: Some("mine.csv".into()),
            analyses: Some(vec![SavedAnalysis {
                source: source(),
                config: AnalysisConfig::new("y"),
                accepted: BTreeSet::new(),
            }]),
            models: Some(vec![ModelSpec::LinearRegression]),
            threshold: Some(0.5),
            notes: Some([("value".to_string(), "kept".to_string())].into()),
            ..Saved::default()
        };
        let next = without(&stored, &crumb);
        assert_eq!(next.upload, None);
        assert_eq!(next.analyses, None);
        assert_eq!(next.models, None);
        assert_eq!(next.threshold, Some(0.5));
        assert_eq!(next.notes, stored.notes);
        let link = Breadcrumb::Share {
            fragment: "#share=abc".into(),
        };
        assert_eq!(without(&stored, &link), stored);
    }
}
