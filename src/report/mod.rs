//! The stakeholder report: a notebook-like document that assembles the learner's work in
//! workshop order (value, diagnosis, data request, preprocessing, models, test, notes), built
//! as plain data so that one document renders as standalone HTML, Markdown with SVG charts,
//! or a Jupyter notebook whose code reproduces the recipe with pandas and scikit-learn.

mod build;
mod notebook;
mod render;
mod zip;

pub use build::{build, from_session, model_name, walkthrough, Parts};
pub use notebook::notebook;
pub use render::{html, markdown, markdown_zip};
pub use zip::{crc32, stored_zip};

use crate::chart::Chart;
use crate::i18n::Lang;

/// One piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(String),
    /// A paragraph set apart: what mlplay computes differently from the original notebooks.
    Correction(String),
    List(Vec<String>),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A chart with its file stem (for Markdown exports), caption and size in pixels.
    Chart {
        name: String,
        caption: String,
        chart: Chart,
        width: u32,
        height: u32,
    },
    /// Preformatted text (a formula, a request in Markdown).
    Pre(String),
    /// The learner's own note for the section.
    Note(String),
}

/// A titled part of the report, in workshop order.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable id: `business`, `analyze`, `prepare`, `preprocess`, `train`, `test`,
    /// `conversations`.
    pub id: &'static str,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub lang: Lang,
    pub title: String,
    /// The dataset the work was done on (a file name).
    pub dataset: String,
    pub sections: Vec<Section>,
}

/// The report's section ids in order; notes are kept under these keys.
pub const SECTION_IDS: [&str; 7] = [
    "business",
    "analyze",
    "prepare",
    "preprocess",
    "train",
    "test",
    "conversations",
];
