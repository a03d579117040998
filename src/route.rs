//! The workshop's pages in order, their hash routes and their titles.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, T};

/// The pages of the app, in workshop order; each has a hash route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Route {
    #[default]
    Data,
    Business,
    Analyze,
    Prepare,
    Preprocess,
    Train,
    Test,
    Report,
    Ending,
}

impl Route {
    /// Every page in order.
    pub const ALL: [Route; 9] = [
        Route::Data,
        Route::Business,
        Route::Analyze,
        Route::Prepare,
        Route::Preprocess,
        Route::Train,
        Route::Test,
        Route::Report,
        Route::Ending,
    ];

    /// The URL fragment, e.g. `#/analyze`.
    pub fn hash(self) -> &'static str {
        match self {
            Route::Data => "#/data",
            Route::Business => "#/business",
            Route::Analyze => "#/analyze",
            Route::Prepare => "#/prepare",
            Route::Preprocess => "#/preprocess",
            Route::Train => "#/train",
            Route::Test => "#/test",
            Route::Report => "#/report",
            Route::Ending => "#/ending",
        }
    }

    /// The page for a fragment; unknown fragments go to the data page.
    pub fn from_hash(hash: &str) -> Route {
        let h = hash.split('?').next().unwrap_or("");
        Route::ALL
            .into_iter()
            .find(|r| r.hash() == h)
            .unwrap_or_default()
    }
}

/// A route's title as the navigation shows it ("2 Analyze").
pub fn route_title(r: Route, lang: Lang) -> &'static str {
    match r {
        Route::Data => T::NavData,
        Route::Business => T::NavBusiness,
        Route::Analyze => T::NavAnalyze,
        Route::Prepare => T::NavPrepare,
        Route::Preprocess => T::NavPreprocess,
        Route::Train => T::NavTrain,
        Route::Test => T::NavTest,
        Route::Report => T::NavReport,
        Route::Ending => T::NavEnding,
    }
    .get(lang)
}
