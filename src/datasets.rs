//! The catalogue of bundled datasets that the app serves from its own origin (`datasets/`).

use serde::Serialize;

pub use crate::engine::Task;

/// One bundled CSV file and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bundled {
    pub id: &'static str,
    /// File name inside `datasets/`.
    pub file: &'static str,
    pub title_en: &'static str,
    pub title_ja: &'static str,
    pub target: &'static str,
    pub task: Task,
    pub rows: usize,
    pub columns: usize,
}

/// Every bundled dataset, the workshop's house prices first.
pub const BUNDLED: &[Bundled] = &[
    Bundled {
        id: "ames",
        file: "ames.csv",
        title_en: "House prices (Ames, Iowa)",
        title_ja: "住宅価格（米国アイオワ州エイムズ）",
        target: "SalePrice",
        task: Task::Regression,
        rows: 2930,
        columns: 81,
    },
    Bundled {
        id: "titanic",
        file: "titanic.csv",
        title_en: "Titanic passengers",
        title_ja: "タイタニック号の乗客",
        target: "survived",
        task: Task::Classification,
        rows: 1309,
        columns: 14,
    },
    Bundled {
        id: "adult",
        file: "adult.csv",
        title_en: "Adult income (US census, large)",
        title_ja: "成人の年収（米国国勢調査・大きめ）",
        target: "income",
        task: Task::Classification,
        rows: 32561,
        columns: 14,
    },
    Bundled {
        id: "penguins",
        file: "penguins.csv",
        title_en: "Palmer penguins (three species)",
        title_ja: "パーマー群島のペンギン（3種）",
        target: "species",
        task: Task::Classification,
        rows: 344,
        columns: 8,
    },
];

/// The bundled dataset with this id.
pub fn find(id: &str) -> Option<&'static Bundled> {
    BUNDLED.iter().find(|b| b.id == id)
}
