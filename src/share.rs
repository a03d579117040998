//! Share links: the learner's settings (never their data) compressed into a URL fragment, with
//! the instructor's classroom options, and the page's embed widgets. DOM-free; the app writes
//! the decoded settings into its storage and reads them as after a reload.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::engine::diagnose::AnalysisConfig;
use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::value::payback::Scenario;
use crate::i18n::safety::{self, S};
use crate::i18n::Lang;
use crate::route::Route;
use crate::session::limits::{self, Checked, FieldError};
use crate::session::{DataSource, FormulaState, PrepSettings, ReadSettings, Session};

/// The share format version.
pub const SHARE_VERSION: u32 = 1;

/// The fragment prefix of a share link: `#share=…`.
pub const FRAGMENT: &str = "#share=";

/// Decompressed links larger than this are refused (a link is a few kilobytes).
const MAX_JSON: usize = 256 * 1024;

/// What an instructor can set for a class.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Classroom {
    /// Controls to hide (see [`HIDEABLE`]).
    pub hide: BTreeSet<String>,
    /// Settings cannot be changed (buttons still work).
    pub lock: bool,
    /// Hide the explanatory "why" and "how" of each step.
    pub hide_text: bool,
}

/// Controls an instructor can hide: (id, English, Japanese). Start over, Erase my data and the
/// language switch are never among them: a learner can always leave or read the page.
pub const HIDEABLE: [(&str, &str, &str); 5] = [
    ("upload", "file upload", "ファイルの読み込み"),
    ("datasets", "dataset choice", "データセットの選択"),
    ("models", "model choice", "モデルの選択"),
    ("split", "split settings", "分割の設定"),
    ("export", "report exports", "レポートの書き出し"),
];

/// A name older links could hide and that is now ignored (the language switch stays).
const RETIRED_HIDEABLE: &str = "language";

impl Classroom {
    /// Whether any restriction is in force.
    pub fn is_active(&self) -> bool {
        self != &Classroom::default()
    }

    /// Every hidden name is one of [`HIDEABLE`] (a retired name is dropped first).
    pub fn validate(&mut self) -> Checked {
        self.hide.remove(RETIRED_HIDEABLE);
        let names: Vec<&str> = HIDEABLE.iter().map(|h| h.0).collect();
        for h in &self.hide {
            limits::one_of("classroom.hide", h, &names)?;
        }
        Ok(())
    }

    /// The same options with every name not in [`HIDEABLE`] dropped (for values stored by an
    /// older build, which did not check them).
    pub fn sanitized(mut self) -> Classroom {
        self.hide
            .retain(|h| HIDEABLE.iter().any(|(id, _, _)| id == h));
        self
    }

    /// The classes the page's root gets for these options: only from the fixed list.
    pub fn root_classes(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = HIDEABLE
            .iter()
            .filter(|(id, _, _)| self.hide.contains(*id))
            .map(|(id, _, _)| match *id {
                "upload" => "hide-upload",
                "datasets" => "hide-datasets",
                "models" => "hide-models",
                "split" => "hide-split",
                _ => "hide-export",
            })
            .collect();
        if self.lock {
            out.push("locked");
        }
        if self.hide_text {
            out.push("hide-text");
        }
        out
    }
}

/// Why a share link was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    /// Not base64url.
    NotBase64,
    /// Not deflate data.
    NotDeflate,
    /// Larger than [`MAX_JSON`] once decompressed.
    TooLarge { max: usize },
    /// Not the share's JSON shape (serde's words, which name the field).
    Unreadable { detail: String },
    /// Made by another format version.
    Version { found: u32 },
    /// A field outside what the page's controls allow.
    Field(FieldError),
}

impl ShareError {
    /// Why the link was refused, in `lang`, naming the field where one is at fault.
    pub fn text(&self, lang: Lang) -> String {
        let reason = match self {
            ShareError::NotBase64 => S::ShareNotBase64.get(lang).to_string(),
            ShareError::NotDeflate => S::ShareNotDeflate.get(lang).to_string(),
            ShareError::TooLarge { max } => {
                safety::fill(S::ShareTooLarge.get(lang), &[("max", &max.to_string())])
            }
            ShareError::Unreadable { detail } => {
                safety::fill(S::ShareUnreadable.get(lang), &[("detail", detail)])
            }
            ShareError::Version { found } => {
                safety::fill(S::ShareVersion.get(lang), &[("found", &found.to_string())])
            }
            ShareError::Field(e) => e.text(lang),
        };
        safety::fill(S::ShareRefused.get(lang), &[("reason", &reason)])
    }
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::NotBase64 => f.write_str("the link is damaged (not base64url)"),
            ShareError::NotDeflate => f.write_str("the link is damaged (cannot be decompressed)"),
            ShareError::TooLarge { max } => {
                write!(f, "the link's settings are larger than {max} bytes")
            }
            ShareError::Unreadable { detail } => {
                write!(f, "the link's settings cannot be read: {detail}")
            }
            ShareError::Version { found } => write!(
                f,
                "the link was made by another version of mlplay (format {found})"
            ),
            ShareError::Field(e) => write!(f, "{e}"),
        }
    }
}

/// Everything a share link carries.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Share {
    pub v: u32,
    /// The step to open (its hash without `#/`).
    pub step: String,
    /// A bundled dataset's id.
    pub dataset: Option<String>,
    /// The name of the learner's own file, which the link cannot carry.
    pub file: Option<String>,
    pub read: Option<ReadSettings>,
    pub scenarios: Vec<Scenario>,
    pub formula: Option<FormulaState>,
    pub analysis: Option<AnalysisConfig>,
    pub accepted: BTreeSet<String>,
    pub prep: Option<PrepSettings>,
    pub models: Option<Vec<ModelSpec>>,
    pub threshold: Option<f64>,
    pub classroom: Classroom,
}

impl Share {
    /// The share of a session: its settings and decisions, never its data or answers.
    pub fn from_session(s: &Session, classroom: Classroom) -> Share {
        let (dataset, file) = match s.dataset.as_ref().map(|d| &d.source) {
            Some(DataSource::Bundled(id)) => (Some(id.clone()), None),
            Some(DataSource::File { name, .. }) => (None, Some(name.clone())),
            None => (None, None),
        };
        Share {
            v: SHARE_VERSION,
            step: s.route.hash().trim_start_matches("#/").to_string(),
            dataset,
            file,
            read: Some(s.read.clone()),
            scenarios: s.business.scenarios.clone(),
            formula: Some(s.business.formula.clone()),
            analysis: s.analyze.as_ref().map(|a| a.config.clone()),
            accepted: s
                .analyze
                .as_ref()
                .map(|a| a.accepted.clone())
                .unwrap_or_default(),
            prep: Some(s.prep.clone()),
            models: s.models.clone(),
            threshold: s.usable_threshold,
            classroom,
        }
    }

    /// The route to open.
    pub fn route(&self) -> Route {
        Route::from_hash(&format!("#/{}", self.step))
    }

    /// The URL fragment (with its `#share=` prefix): JSON, deflated, base64url.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
        format!("{FRAGMENT}{}", base64url(&packed))
    }

    /// Read a fragment made by [`Share::encode`] (with or without the prefix), and check every
    /// field against what the page's controls allow ([`Share::validate`]).
    pub fn decode(fragment: &str) -> Result<Share, ShareError> {
        let text = fragment.strip_prefix(FRAGMENT).unwrap_or(fragment);
        // base64 of MAX_JSON deflated bytes cannot be longer than this.
        if text.len() > MAX_JSON * 2 {
            return Err(ShareError::TooLarge { max: MAX_JSON });
        }
        let packed = from_base64url(text).ok_or(ShareError::NotBase64)?;
        let json =
            miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON).map_err(|e| {
                match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                        ShareError::TooLarge { max: MAX_JSON }
                    }
                    _ => ShareError::NotDeflate,
                }
            })?;
        let mut share: Share =
            serde_json::from_slice(&json).map_err(|e| ShareError::Unreadable {
                detail: e.to_string(),
            })?;
        if share.v != SHARE_VERSION {
            return Err(ShareError::Version { found: share.v });
        }
        share.validate().map_err(ShareError::Field)?;
        Ok(share)
    }

    /// Every field within what the page's own controls allow: names from fixed lists, numbers
    /// within the controls' ranges, text and lists of bounded size. The first field that is
    /// not is named.
    pub fn validate(&mut self) -> Checked {
        let steps: Vec<&str> = Route::ALL
            .iter()
            .map(|r| r.hash().trim_start_matches("#/"))
            .collect();
        if !self.step.is_empty() {
            limits::one_of("step", &self.step, &steps)?;
        }
        if let Some(id) = &self.dataset {
            limits::source("dataset", &DataSource::Bundled(id.clone()))?;
        }
        if let Some(f) = &self.file {
            limits::text("file", f, limits::MAX_NAME)?;
        }
        if let Some(r) = &self.read {
            limits::read("read", r)?;
        }
        limits::scenarios("scenarios", &self.scenarios)?;
        if let Some(f) = &self.formula {
            limits::formula("formula", f)?;
        }
        if let Some(a) = &self.analysis {
            limits::analysis("analysis", a)?;
        }
        limits::count("accepted", self.accepted.len(), limits::MAX_COLUMNS)?;
        for id in &self.accepted {
            limits::text("accepted", id, limits::MAX_NAME)?;
        }
        if let Some(p) = &self.prep {
            limits::prep("prep", p)?;
        }
        if let Some(m) = &self.models {
            limits::models("models", m)?;
        }
        if let Some(t) = self.threshold {
            limits::number("threshold", t, limits::USABLE_THRESHOLD)?;
        }
        self.classroom.validate()
    }
}

/// Base64url (RFC 4648 §5) that writes no padding and reads a link with or without it.
const URL_SAFE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// Base64url without padding, safe in a URL fragment.
pub fn base64url(data: &[u8]) -> String {
    base64::Engine::encode(&URL_SAFE, data)
}

/// Decode base64url, padded or not; None on any other character.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    base64::Engine::decode(&URL_SAFE, text).ok()
}

/// The widgets `?embed=` can show alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    Value,
    Missing,
    Correlation,
    CramersV,
    Training,
    Evaluation,
    TryIt,
}

impl Widget {
    pub const ALL: [Widget; 7] = [
        Widget::Value,
        Widget::Missing,
        Widget::Correlation,
        Widget::CramersV,
        Widget::Training,
        Widget::Evaluation,
        Widget::TryIt,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Widget::Value => "value",
            Widget::Missing => "missing",
            Widget::Correlation => "correlation",
            Widget::CramersV => "cramers-v",
            Widget::Training => "training",
            Widget::Evaluation => "evaluation",
            Widget::TryIt => "try-it",
        }
    }

    /// The widget named by a query string such as `?embed=missing&lang=ja`.
    pub fn from_query(query: &str) -> Option<Widget> {
        query
            .trim_start_matches('?')
            .split('&')
            .find_map(|kv| kv.strip_prefix("embed="))
            .and_then(|id| Widget::ALL.into_iter().find(|w| w.id() == id))
    }

    /// Whether the widget needs data loaded.
    pub fn needs_data(self) -> bool {
        self != Widget::Value
    }

    /// Whether the widget needs trained models.
    pub fn needs_models(self) -> bool {
        matches!(self, Widget::Evaluation | Widget::TryIt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..70u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let text = base64url(&data);
            assert!(text
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
            assert_eq!(from_base64url(&text).unwrap(), data);
        }
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert!(from_base64url("ab+c").is_none());
    }

    #[test]
    fn a_share_round_trips_and_carries_no_data() {
        let mut s = Session::new(Lang::Ja);
        s.route = Route::Analyze;
        s.usable_threshold = Some(0.75);
        s.business.formula.expression = "検品者 * 2".into();
        s.notes.insert("business".into(), "private note".into());
        let classroom = Classroom {
            hide: ["upload".to_string()].into(),
            lock: true,
            hide_text: true,
        };
        let share = Share::from_session(&s, classroom.clone());
        let link = share.encode();
        assert!(link.starts_with(FRAGMENT));
        let back = Share::decode(&link).unwrap();
        assert_eq!(back, share);
        assert_eq!(back.route(), Route::Analyze);
        assert_eq!(back.classroom, classroom);
        assert_eq!(back.threshold, Some(0.75));
        assert_eq!(back.formula.unwrap().expression, "検品者 * 2");
        let json = String::from_utf8(
            miniz_oxide::inflate::decompress_to_vec(&from_base64url(&link[7..]).unwrap()).unwrap(),
        )
        .unwrap();
        assert!(!json.contains("private note"), "notes stay in the browser");
    }

    #[test]
    fn damaged_or_foreign_links_are_refused_with_a_reason() {
        assert_eq!(Share::decode("#share=%%%"), Err(ShareError::NotBase64));
        assert_eq!(Share::decode("#share=AAAA"), Err(ShareError::NotDeflate));
        let other = Share {
            v: 99,
            ..Share::default()
        };
        let json = serde_json::to_vec(&other).unwrap();
        let link = base64url(&miniz_oxide::deflate::compress_to_vec(&json, 6));
        assert_eq!(Share::decode(&link), Err(ShareError::Version { found: 99 }));
    }

    /// A link whose JSON is the default share's with `path` (dotted) set to `value`.
    fn link_with(path: &str, value: serde_json::Value) -> String {
        let mut json = serde_json::to_value(Share::from_session(
            &Session::new(Lang::En),
            Classroom::default(),
        ))
        .unwrap();
        json["analysis"] = serde_json::to_value(AnalysisConfig::new("SalePrice")).unwrap();
        json["threshold"] = serde_json::json!(0.8);
        json["models"] = serde_json::json!([{"kind": "ridge", "alpha": 1.0}]);
        let mut at = &mut json;
        let parts: Vec<&str> = path.split('.').collect();
        for p in &parts[..parts.len() - 1] {
            at = &mut at[*p];
        }
        at[parts[parts.len() - 1]] = value;
        let bytes = serde_json::to_vec(&json).unwrap();
        format!(
            "{FRAGMENT}{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(&bytes, 6))
        )
    }

    #[test]
    fn a_link_within_the_controls_bounds_opens() {
        let link = link_with("step", serde_json::json!("analyze"));
        let share = Share::decode(&link).unwrap();
        assert_eq!(share.threshold, Some(0.8));
    }

    #[test]
    fn every_field_outside_what_the_controls_allow_refuses_the_link_naming_it() {
        use serde_json::json;
        let long = "x".repeat(100_000);
        let lesson = crate::session::BusinessState::lesson(Lang::En).scenarios;
        let mut four = lesson.clone();
        four.push(lesson[0].clone());
        let four_scenarios = serde_json::to_value(&four).unwrap();
        let mut bad = lesson.clone();
        bad[0].inputs.hours_before = 30.0;
        let bad_scenario = serde_json::to_value(&bad).unwrap();
        let cases = [
            // The bricking link: a space injects any class on the page's root.
            (
                "classroom.hide",
                json!(["upload topbar steps"]),
                "classroom.hide",
            ),
            ("classroom.hide", json!(["steps"]), "classroom.hide"),
            (
                "analysis.hist_bins",
                json!(4_294_967_295u64),
                "analysis.hist_bins",
            ),
            ("analysis.hist_bins", json!(0), "analysis.hist_bins"),
            (
                "analysis.missing_threshold",
                json!(-5.0),
                "analysis.missing_threshold",
            ),
            (
                "analysis.corr_threshold",
                json!(7.0),
                "analysis.corr_threshold",
            ),
            (
                "analysis.cramer_threshold",
                json!(0.0),
                "analysis.cramer_threshold",
            ),
            ("analysis.min_overlap", json!(0), "analysis.min_overlap"),
            ("analysis.target", json!(long.clone()), "analysis.target"),
            ("threshold", json!(-1.0), "threshold"),
            ("threshold", json!(1.5), "threshold"),
            ("prep.split.test_size", json!(0.99), "prep.split.test_size"),
            (
                "accepted",
                json!((0..3000).map(|i| format!("f{i}")).collect::<Vec<_>>()),
                "accepted",
            ),
            (
                "models",
                json!([{"kind": "ridge", "alpha": -1.0}]),
                "models[0].alpha",
            ),
            (
                "models",
                json!([{"kind": "random_forest", "n_estimators": 100000}]),
                "models[0].n_estimators",
            ),
            (
                "models",
                json!([{"kind": "k_neighbors", "n_neighbors": 0}]),
                "models[0].n_neighbors",
            ),
            ("dataset", json!("nope"), "dataset"),
            ("step", json!("nowhere"), "step"),
            ("file", json!(long.clone()), "file"),
            ("read.delimiter", json!(65), "read.delimiter"),
            ("read.encoding", json!("klingon"), "read.encoding"),
            ("read.na_text", json!(long.clone()), "read.na_text"),
            (
                "formula.expression",
                json!(long.clone()),
                "formula.expression",
            ),
            (
                "formula.expression",
                json!(format!("{}1{}", "(".repeat(5000), ")".repeat(5000))),
                "formula.expression",
            ),
            (
                "formula.horizon_years",
                json!(-3.0),
                "formula.horizon_years",
            ),
            ("scenarios", four_scenarios, "scenarios"),
            (
                "scenarios",
                bad_scenario,
                "scenarios[0].inputs.hours_before",
            ),
        ];
        for (path, value, field) in cases {
            let link = link_with(path, value.clone());
            let err = Share::decode(&link)
                .map(|_| ())
                .expect_err(&format!("{path} = {value} should be refused"));
            assert!(
                err.to_string().contains(field),
                "{path} = {value}: the message should name {field}: {err}"
            );
        }
    }

    #[test]
    fn a_refused_link_is_explained_in_both_languages_naming_the_field() {
        let link = link_with("analysis.hist_bins", serde_json::json!(4_294_967_295u64));
        let err = Share::decode(&link).unwrap_err();
        assert_eq!(
            err.text(Lang::En),
            "This share link was not opened: the field “analysis.hist_bins” must be a whole \
             number from 5 to 100, but it is 4294967295."
        );
        assert_eq!(
            err.text(Lang::Ja),
            "この共有リンクは開きませんでした。項目「analysis.hist_bins」は5 以上 100 以下の整数\
             でなければなりませんが、4294967295 になっています。"
        );
        let hide = link_with("classroom.hide", serde_json::json!(["upload x"]));
        assert!(Share::decode(&hide)
            .unwrap_err()
            .text(Lang::Ja)
            .contains("項目「classroom.hide」の「upload x」は、使える名前ではありません。"));
    }

    #[test]
    fn a_retired_hideable_name_is_ignored_and_the_root_gets_only_fixed_classes() {
        let link = link_with("classroom.hide", serde_json::json!(["language", "upload"]));
        let share = Share::decode(&link).unwrap();
        assert_eq!(share.classroom.hide, ["upload".to_string()].into());
        let c = Classroom {
            hide: ["upload".into(), "x\" onload=\"".into()].into(),
            lock: true,
            hide_text: false,
        };
        assert_eq!(
            c.clone().sanitized().root_classes(),
            ["hide-upload", "locked"]
        );
        assert_eq!(c.root_classes(), ["hide-upload", "locked"]);
    }

    #[test]
    fn no_link_can_hide_start_over_erase_or_the_language_switch() {
        let hideable: Vec<&str> = HIDEABLE.iter().map(|h| h.0).collect();
        for never in ["language", "start-over", "erase", "topbar", "session-tools"] {
            assert!(!hideable.contains(&never), "{never} must not be hideable");
        }
    }

    #[test]
    fn embed_widgets_are_read_from_the_query() {
        assert_eq!(Widget::from_query("?embed=missing"), Some(Widget::Missing));
        assert_eq!(
            Widget::from_query("?lang=ja&embed=try-it"),
            Some(Widget::TryIt)
        );
        assert_eq!(Widget::from_query("?embed=nope"), None);
        assert_eq!(Widget::from_query(""), None);
    }
}
