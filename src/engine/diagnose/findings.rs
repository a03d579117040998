//! Plain-language findings drawn from an analysis: what Preprocess could do about each, and how
//! much evidence it rests on.

use serde::{Deserialize, Serialize};

use super::Analysis;
use crate::engine::data::table::{ColumnData, Table};
use crate::engine::Task;

/// What Preprocess can do about a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FindingAction {
    Exclude(String),
    /// Keep only training rows with `min ≤ column ≤ max`.
    TrainFilter {
        column: String,
        min: Option<f64>,
        max: Option<f64>,
    },
}

/// A diagnosis finding; the UI words it from `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FindingKind {
    MostlyMissing {
        column: String,
        percent: f64,
    },
    /// `n`: the rows where both are present, which the finding rests on.
    Correlated {
        drop: String,
        keep: String,
        r: f64,
        n: usize,
    },
    Associated {
        drop: String,
        keep: String,
        v: f64,
        n: usize,
    },
    /// A strong V on too little evidence: shown, with no drop (see [`super::CramersV::thin_strong`]).
    ThinAssociation {
        a: String,
        b: String,
        v: f64,
        n: usize,
        /// Percentage of expected counts under 5.
        low_expected_pct: f64,
    },
    /// Too many levels to pair with Cramér's V.
    TooManyLevels {
        column: String,
        levels: usize,
        max: usize,
    },
    FreeText {
        column: String,
    },
    TargetOutliers {
        column: String,
        upper: f64,
        lower: f64,
        above: usize,
        below: usize,
    },
    IdLike {
        column: String,
    },
    Constant {
        column: String,
    },
    NumericText {
        column: String,
    },
    ClassImbalance {
        smallest: String,
        smallest_count: usize,
        largest: String,
        largest_count: usize,
    },
    FewRowsPerFeature {
        rows: usize,
        features: usize,
    },
    FewRowsPerClass {
        class: String,
        count: usize,
    },
}

/// One finding with a stable id (for the learner's accept/reject choice) and its action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: String,
    pub kind: FindingKind,
    pub action: Option<FindingAction>,
    /// Applied unless the learner overrules it (columns that are not features: identifiers,
    /// free text, constants).
    #[serde(default)]
    pub by_default: bool,
}

pub(super) fn findings(table: &Table, a: &Analysis) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut push = |id: String, kind: FindingKind, action: Option<FindingAction>| {
        let by_default = matches!(
            kind,
            FindingKind::IdLike { .. }
                | FindingKind::FreeText { .. }
                | FindingKind::Constant { .. }
        );
        out.push(Finding {
            id,
            kind,
            action,
            by_default,
        })
    };
    for (col, pct) in &a.missing_percent {
        if a.mostly_missing.contains(col) {
            push(
                format!("missing:{col}"),
                FindingKind::MostlyMissing {
                    column: col.clone(),
                    percent: *pct,
                },
                Some(FindingAction::Exclude(col.clone())),
            );
        }
    }
    for b in &a.high_correlation.columns {
        let best = a
            .high_correlation
            .pairs
            .iter()
            .filter(|p| &p.b == b)
            .max_by(|x, y| x.r.abs().total_cmp(&y.r.abs()))
            .expect("listed columns have a pair");
        push(
            format!("corr:{b}"),
            FindingKind::Correlated {
                drop: b.clone(),
                keep: best.a.clone(),
                r: best.r,
                n: best.n,
            },
            Some(FindingAction::Exclude(b.clone())),
        );
    }
    for b in &a.cramers_v.columns {
        let best = a
            .cramers_v
            .pairs
            .iter()
            .filter(|p| &p.b == b)
            .max_by(|x, y| x.v.total_cmp(&y.v))
            .expect("listed columns have a pair");
        push(
            format!("assoc:{b}"),
            FindingKind::Associated {
                drop: b.clone(),
                keep: best.a.clone(),
                v: best.v,
                n: best.n,
            },
            Some(FindingAction::Exclude(b.clone())),
        );
    }
    // One finding per column a rule without a support check would have dropped (the
    // notebook's), with its strongest thin pair, unless a reliable pair drops it anyway.
    let mut thin: Vec<&super::CramerPair> = Vec::new();
    for p in a.cramers_v.thin_strong() {
        if a.cramers_v.columns.contains(&p.b) {
            continue;
        }
        match thin.iter_mut().find(|q| q.b == p.b) {
            Some(q) if q.v < p.v => *q = p,
            Some(_) => {}
            None => thin.push(p),
        }
    }
    for p in thin {
        push(
            format!("thin:{}", p.b),
            FindingKind::ThinAssociation {
                a: p.a.clone(),
                b: p.b.clone(),
                v: p.v,
                n: p.n,
                low_expected_pct: 100.0 * p.low_expected,
            },
            None,
        );
    }
    for np in &a.cramers_v.not_paired {
        push(
            format!("levels:{}", np.column),
            FindingKind::TooManyLevels {
                column: np.column.clone(),
                levels: np.levels,
                max: super::MAX_PAIR_LEVELS,
            },
            None,
        );
    }
    if let Some(t) = &a.target_summary {
        if t.outliers_above + t.outliers_below > 0 {
            push(
                format!("outliers:{}", a.target),
                FindingKind::TargetOutliers {
                    column: a.target.clone(),
                    upper: t.iqr_upper,
                    lower: t.iqr_lower,
                    above: t.outliers_above,
                    below: t.outliers_below,
                },
                Some(FindingAction::TrainFilter {
                    column: a.target.clone(),
                    min: (t.outliers_below > 0).then_some(t.iqr_lower),
                    max: (t.outliers_above > 0).then_some(t.iqr_upper),
                }),
            );
        }
    }
    for col in &a.id_like {
        push(
            format!("id:{col}"),
            FindingKind::IdLike {
                column: col.clone(),
            },
            Some(FindingAction::Exclude(col.clone())),
        );
    }
    for col in &a.free_text {
        push(
            format!("text:{col}"),
            FindingKind::FreeText {
                column: col.clone(),
            },
            Some(FindingAction::Exclude(col.clone())),
        );
    }
    for col in &a.constant {
        push(
            format!("constant:{col}"),
            FindingKind::Constant {
                column: col.clone(),
            },
            Some(FindingAction::Exclude(col.clone())),
        );
    }
    for c in table.columns() {
        if c.name == a.target {
            continue;
        }
        if matches!(
            c.data,
            ColumnData::Categorical {
                numeric_like: true,
                ..
            }
        ) {
            push(
                format!("numtext:{}", c.name),
                FindingKind::NumericText {
                    column: c.name.clone(),
                },
                None,
            );
        }
    }
    if a.task == Task::Classification && a.class_counts.len() >= 2 {
        let (largest, lc) = a.class_counts[0].clone();
        let (smallest, sc) = a.class_counts[a.class_counts.len() - 1].clone();
        if (sc as f64) < 0.2 * lc as f64 {
            push(
                "imbalance".into(),
                FindingKind::ClassImbalance {
                    smallest: smallest.clone(),
                    smallest_count: sc,
                    largest,
                    largest_count: lc,
                },
                None,
            );
        }
        for (class, count) in &a.class_counts {
            if *count < 30 {
                push(
                    format!("fewclass:{class}"),
                    FindingKind::FewRowsPerClass {
                        class: class.clone(),
                        count: *count,
                    },
                    None,
                );
            }
        }
    }
    let features = a.columns.saturating_sub(1);
    if a.rows < 10 * features {
        push(
            "fewrows".into(),
            FindingKind::FewRowsPerFeature {
                rows: a.rows,
                features,
            },
            None,
        );
    }
    out
}
