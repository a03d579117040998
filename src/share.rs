//! Share links: the learner's settings (never their data) compressed into a URL fragment, with
//! the instructor's classroom options, and the page's embed widgets. DOM-free; the app writes
//! the decoded settings into its storage and reads them as after a reload.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::engine::diagnose::AnalysisConfig;
use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::value::payback::Scenario;
use crate::route::Route;
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

/// Controls an instructor can hide: (id, English, Japanese).
pub const HIDEABLE: [(&str, &str, &str); 6] = [
    ("upload", "file upload", "ファイルの読み込み"),
    ("datasets", "dataset choice", "データセットの選択"),
    ("language", "language switch", "言語の切り替え"),
    ("models", "model choice", "モデルの選択"),
    ("split", "split settings", "分割の設定"),
    ("export", "report exports", "レポートの書き出し"),
];

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

    /// Read a fragment made by [`Share::encode`] (with or without the prefix).
    pub fn decode(fragment: &str) -> Result<Share, String> {
        let text = fragment.strip_prefix(FRAGMENT).unwrap_or(fragment);
        let packed = from_base64url(text).ok_or("the link is damaged (not base64url)")?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_JSON)
            .map_err(|_| "the link is damaged (cannot be decompressed)".to_string())?;
        let share: Share = serde_json::from_slice(&json)
            .map_err(|e| format!("the link's settings cannot be read: {e}"))?;
        if share.v != SHARE_VERSION {
            return Err(format!(
                "the link was made by another version of mlplay (format {})",
                share.v
            ));
        }
        Ok(share)
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
    use crate::i18n::Lang;

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
        assert!(Share::decode("#share=%%%")
            .unwrap_err()
            .contains("base64url"));
        assert!(Share::decode("#share=AAAA")
            .unwrap_err()
            .contains("decompressed"));
        let other = Share {
            v: 99,
            ..Share::default()
        };
        let json = serde_json::to_vec(&other).unwrap();
        let link = base64url(&miniz_oxide::deflate::compress_to_vec(&json, 6));
        assert!(Share::decode(&link).unwrap_err().contains("format 99"));
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
