//! Step 2's data diagnosis: missing values, the target's distribution and outlier bound,
//! correlations with the target and between features (Pearson as pandas' `corr`, Cramér's V as
//! scipy's `association`), and plain-language findings that Preprocess can act on.

use serde::{Deserialize, Serialize};

use crate::engine::data::summary::{describe_numeric, NumericSummary};
use crate::engine::data::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::engine::error::{Error, Result};
use crate::engine::stats::association::cramers_v;
use crate::engine::stats::correlation::{correlation_ratio, pearson_with_support};
use crate::engine::stats::histogram::{histogram, Histogram};
use crate::engine::Task;

mod findings;
use findings::findings;
pub use findings::{Finding, FindingAction, FindingKind};

/// Settings of the diagnosis; every threshold is the learner's to change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisConfig {
    pub target: String,
    /// None: detect (regression for a numeric target with more than 20 distinct values).
    pub task: Option<Task>,
    /// Columns missing more than this percentage are drop candidates.
    pub missing_threshold: f64,
    /// |r| above this between two numeric features marks the later one.
    pub corr_threshold: f64,
    /// Cramér's V above this between two categorical features marks the later one.
    pub cramer_threshold: f64,
    /// Pairs with fewer rows where both are present are unreliable rather than listed (and so
    /// are pairs where more than a fifth of the expected counts are under 5).
    pub min_overlap: usize,
    /// Count a missing value as a category of its own in Cramér's V.
    pub missing_as_category: bool,
    pub hist_bins: usize,
}

impl AnalysisConfig {
    /// The workshop's defaults for `target`.
    pub fn new(target: impl Into<String>) -> Self {
        AnalysisConfig {
            target: target.into(),
            task: None,
            missing_threshold: 50.0,
            corr_threshold: 0.8,
            cramer_threshold: 0.5,
            min_overlap: 30,
            missing_as_category: false,
            hist_bins: 30,
        }
    }
}

/// A numeric target's distribution with Tukey's fences (Q1 − 1.5·IQR, Q3 + 1.5·IQR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSummary {
    pub stats: NumericSummary,
    pub iqr_lower: f64,
    pub iqr_upper: f64,
    pub outliers_below: usize,
    pub outliers_above: usize,
    /// The most extreme values inside the fences: where a box plot's whiskers end.
    pub whisker_low: f64,
    pub whisker_high: f64,
    pub histogram: Histogram,
}

/// How a feature was related to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Pearson's r between numbers.
    Pearson,
    /// Pearson's r after coding categories 0..k−1 in code-point order (invents an order).
    PearsonOrdinal,
    /// Correlation ratio η of a number across the target's classes.
    CorrelationRatio,
    /// Cramér's V between two categorical variables.
    CramersV,
}

/// One feature's relation to the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetRelation {
    pub column: String,
    pub value: f64,
    pub measure: Measure,
    /// Rows where both the feature and the target are present.
    pub n: usize,
    /// Enough shared rows and (for η and V) enough rows per group or cell to read it.
    pub reliable: bool,
}

/// Categorical columns with more levels than this are not paired: Cramér's V between columns
/// with hundreds of levels is near 1 by construction, and says nothing.
pub const MAX_PAIR_LEVELS: usize = 50;

/// Matrices over more columns than this are not kept in the result (a heatmap of them could
/// not be read, and they would cost the page megabytes); their pairs are still listed.
pub const MATRIX_MAX_COLUMNS: usize = 300;

/// A square matrix over named columns (NaN where undefined). `values` is empty when there are
/// more than [`MATRIX_MAX_COLUMNS`] columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub columns: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

impl Matrix {
    /// Whether the values are there to draw.
    pub fn is_complete(&self) -> bool {
        self.columns.len() >= 2 && self.values.len() == self.columns.len()
    }
}

/// A numeric pair above the threshold: `a` comes before `b`; `n` rows have both values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrPair {
    pub a: String,
    pub b: String,
    pub r: f64,
    pub n: usize,
}

/// The high-correlation list: the later column of each pair, in column order. Pairs with fewer
/// than `min_overlap` shared rows, or covering under half of the later column's present rows,
/// are in `unreliable` and mark no column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighCorrelation {
    pub threshold: f64,
    pub columns: Vec<String>,
    pub pairs: Vec<CorrPair>,
    pub unreliable: Vec<CorrPair>,
}

/// A categorical pair: Cramér's V over the `n` rows where both are present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CramerPair {
    pub a: String,
    pub b: String,
    pub v: f64,
    pub n: usize,
    /// Share of the table's expected counts under 5.
    pub low_expected: f64,
    pub reliable: bool,
}

/// A column left out of the pairing, with its number of levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotPaired {
    pub column: String,
    pub levels: usize,
}

/// Cramér's V matrix, its pairs above the threshold and the unreliable pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CramersV {
    pub threshold: f64,
    pub matrix: Matrix,
    /// Overlap counts behind each cell (empty with the matrix's values).
    pub overlap: Vec<Vec<usize>>,
    pub columns: Vec<String>,
    pub pairs: Vec<CramerPair>,
    /// Pairs too thin to judge: fewer than `min_overlap` shared rows, more than a fifth of the
    /// expected counts under 5, shared rows covering under half of the later column's present
    /// rows (a mostly missing partner), or V undefined. Shown, never a reason to drop a column.
    pub unreliable: Vec<CramerPair>,
    /// Columns with more than [`MAX_PAIR_LEVELS`] levels, not paired at all.
    pub not_paired: Vec<NotPaired>,
}

impl CramersV {
    /// Unreliable pairs whose V is above the threshold: the drops a rule without a support
    /// check (the workshop notebook's) would have made.
    pub fn thin_strong(&self) -> impl Iterator<Item = &CramerPair> {
        self.unreliable
            .iter()
            .filter(move |p| p.v.is_finite() && p.v > self.threshold)
    }
}

/// The whole diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub rows: usize,
    pub columns: usize,
    pub target: String,
    pub task: Task,
    pub task_detected: Task,
    /// Missing percentage per column, in column order.
    pub missing_percent: Vec<(String, f64)>,
    pub mostly_missing: Vec<String>,
    pub target_summary: Option<TargetSummary>,
    /// Class counts, largest first (classification).
    pub class_counts: Vec<(String, usize)>,
    /// Sorted from the strongest positive to the strongest negative.
    pub correlation_with_target: Vec<TargetRelation>,
    pub numeric_corr: Matrix,
    pub high_correlation: HighCorrelation,
    pub cramers_v: CramersV,
    pub id_like: Vec<String>,
    /// Long, mostly unique text (comments, descriptions).
    pub free_text: Vec<String>,
    /// Columns with at most one distinct value.
    pub constant: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// Columns that are not features (identifiers, free text, constants): left out of the
    /// correlation and association work.
    pub fn not_features(&self) -> impl Iterator<Item = &String> {
        self.id_like
            .iter()
            .chain(&self.free_text)
            .chain(&self.constant)
    }
}

/// Regression for a numeric target with more than 20 distinct values, else classification.
pub fn detect_task(target: &Column) -> Task {
    match target.data {
        ColumnData::Numeric { .. } if target.unique() > 20 => Task::Regression,
        _ => Task::Classification,
    }
}

/// Run the diagnosis.
pub fn analyze(table: &Table, cfg: &AnalysisConfig) -> Result<Analysis> {
    analyze_with_progress(table, cfg, &mut |_| {})
}

/// Run the diagnosis, telling `progress` the share done (0 to 1) as it goes.
pub fn analyze_with_progress(
    table: &Table,
    cfg: &AnalysisConfig,
    progress: &mut dyn FnMut(f64),
) -> Result<Analysis> {
    let target_col = table
        .column(&cfg.target)
        .ok_or_else(|| Error::NoSuchColumn {
            name: cfg.target.clone(),
        })?;
    let rows = table.n_rows();
    let task_detected = detect_task(target_col);
    let task = match (cfg.task, &target_col.data) {
        // A text target can only be classified.
        (_, ColumnData::Categorical { .. }) => Task::Classification,
        (Some(t), _) => t,
        (None, _) => task_detected,
    };

    let missing_percent: Vec<(String, f64)> = table
        .columns()
        .iter()
        .map(|c| {
            let pct = if rows == 0 {
                0.0
            } else {
                100.0 * (rows - c.non_null()) as f64 / rows as f64
            };
            (c.name.clone(), pct)
        })
        .collect();
    let mostly_missing: Vec<String> = missing_percent
        .iter()
        .filter(|(_, p)| *p > cfg.missing_threshold)
        .map(|(n, _)| n.clone())
        .collect();

    let free_text: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| c.name != cfg.target && is_free_text(c))
        .map(|c| c.name.clone())
        .collect();
    let id_like: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| c.name != cfg.target && !free_text.contains(&c.name) && is_id_like(c, rows))
        .map(|c| c.name.clone())
        .collect();
    let constant: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| c.name != cfg.target && c.unique() <= 1)
        .map(|c| c.name.clone())
        .collect();
    let skip: std::collections::HashSet<&str> = id_like
        .iter()
        .chain(&free_text)
        .chain(&constant)
        .map(String::as_str)
        .collect();

    let target_summary = match (&target_col.data, task) {
        (ColumnData::Numeric { values, integer }, Task::Regression) => {
            Some(target_summary(&cfg.target, values, *integer, cfg.hist_bins))
        }
        _ => None,
    };
    let class_labels = (task == Task::Classification).then(|| class_labels(target_col));
    let class_counts = class_labels
        .as_ref()
        .map(|(levels, codes)| count_classes(levels, codes))
        .unwrap_or_default();

    // Features vs target.
    let mut correlation_with_target = Vec::new();
    for c in table.columns() {
        if c.name == cfg.target || skip.contains(c.name.as_str()) {
            continue;
        }
        let (value, measure, n, reliable) = match (task, &c.data, &target_col.data) {
            (
                Task::Regression,
                ColumnData::Numeric { values, .. },
                ColumnData::Numeric { values: y, .. },
            ) => {
                let (r, n) = pearson_with_support(values, y);
                (
                    r,
                    Measure::Pearson,
                    n,
                    r.is_finite() && n >= cfg.min_overlap,
                )
            }
            (
                Task::Regression,
                ColumnData::Categorical { .. },
                ColumnData::Numeric { values: y, .. },
            ) => {
                let (r, n) = pearson_with_support(&ordinal_codes(c), y);
                let reliable = r.is_finite() && n >= cfg.min_overlap;
                (r, Measure::PearsonOrdinal, n, reliable)
            }
            (Task::Classification, ColumnData::Numeric { values, .. }, _) => {
                let (_, codes) = class_labels.as_ref().expect("classification has labels");
                let ratio = correlation_ratio(values, codes);
                let reliable = ratio.is_reliable(cfg.min_overlap);
                (ratio.eta, Measure::CorrelationRatio, ratio.n, reliable)
            }
            (Task::Classification, ColumnData::Categorical { .. }, _) => {
                if c.unique() > MAX_PAIR_LEVELS {
                    // Left out as in the pairs below (listed there as not paired).
                    continue;
                }
                let (levels, codes) = class_labels.as_ref().expect("classification has labels");
                let (a, na) = category_codes(c, false);
                let assoc = cramers_v(&a, na, codes, levels.len());
                let reliable = assoc.is_reliable(cfg.min_overlap);
                (assoc.v, Measure::CramersV, assoc.n, reliable)
            }
            _ => continue,
        };
        correlation_with_target.push(TargetRelation {
            column: c.name.clone(),
            value,
            measure,
            n,
            reliable,
        });
    }
    correlation_with_target.sort_by(|a, b| {
        let key = |v: f64| if v.is_nan() { f64::NEG_INFINITY } else { v };
        key(b.value).total_cmp(&key(a.value))
    });

    progress(0.05);
    // Features vs features (the target and columns that are not features left out).
    let features: Vec<&Column> = table
        .columns()
        .iter()
        .filter(|c| c.name != cfg.target && !skip.contains(c.name.as_str()))
        .collect();
    let numeric: Vec<&Column> = features
        .iter()
        .copied()
        .filter(|c| matches!(c.data, ColumnData::Numeric { .. }))
        .collect();
    let categorical: Vec<&Column> = features
        .iter()
        .copied()
        .filter(|c| matches!(c.data, ColumnData::Categorical { .. }))
        .collect();
    // Progress is shared by pairs: a numeric pair costs about as much as a categorical one.
    let pairs_of = |k: usize| (k * k.saturating_sub(1) / 2) as f64;
    let (np, cp) = (pairs_of(numeric.len()), pairs_of(categorical.len()));
    let numeric_share = if np + cp > 0.0 { np / (np + cp) } else { 0.5 };
    let (numeric_corr, high_correlation) = numeric_pairs(&numeric, cfg, &mut |f| {
        progress(0.05 + 0.94 * numeric_share * f)
    });
    let cramers = cramers_matrix(&categorical, cfg, &mut |f| {
        progress(0.05 + 0.94 * (numeric_share + (1.0 - numeric_share) * f))
    });

    let mut a = Analysis {
        rows,
        columns: table.n_cols(),
        target: cfg.target.clone(),
        task,
        task_detected,
        missing_percent,
        mostly_missing,
        target_summary,
        class_counts,
        correlation_with_target,
        numeric_corr,
        high_correlation,
        cramers_v: cramers,
        id_like,
        free_text,
        constant,
        findings: Vec::new(),
    };
    a.findings = findings(table, &a);
    progress(1.0);
    Ok(a)
}

/// An identifier rather than a feature: distinct integers counting up without gaps (1…n), or
/// named like an id; or text that is nearly all distinct (names, ticket numbers).
fn is_id_like(c: &Column, rows: usize) -> bool {
    let present = c.non_null();
    if rows < 10 || present == 0 {
        return false;
    }
    match &c.data {
        ColumnData::Numeric {
            integer: true,
            values,
        } => {
            if c.unique() != rows {
                return false;
            }
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                });
            let lower = c.name.to_lowercase();
            hi - lo + 1.0 == rows as f64 || lower == "id" || lower.ends_with("_id")
        }
        ColumnData::Numeric { .. } | ColumnData::Date { .. } => false,
        ColumnData::Categorical { numeric_like, .. } => {
            !numeric_like && c.unique() as f64 >= 0.9 * present as f64 && c.unique() > 20
        }
    }
}

/// Free text rather than a feature: long (30 characters or more on average), mostly distinct
/// strings such as comments or descriptions.
fn is_free_text(c: &Column) -> bool {
    let ColumnData::Categorical {
        levels,
        codes,
        numeric_like: false,
    } = &c.data
    else {
        return false;
    };
    let present = c.non_null();
    let unique = c.unique();
    if present < 10 || unique <= 20 || (unique as f64) < 0.5 * present as f64 {
        return false;
    }
    let chars: usize = codes
        .iter()
        .filter(|&&k| k != MISSING_CODE)
        .map(|&k| levels[k as usize].chars().count())
        .sum();
    chars as f64 / present as f64 >= 30.0
}

/// Tukey's fences, whiskers and a histogram of a numeric target.
pub fn target_summary(name: &str, values: &[f64], integer: bool, bins: usize) -> TargetSummary {
    let stats = describe_numeric(name, values, integer);
    let iqr = stats.q3 - stats.q1;
    let lower = stats.q1 - 1.5 * iqr;
    let upper = stats.q3 + 1.5 * iqr;
    let present = values.iter().copied().filter(|v| !v.is_nan());
    let (mut below, mut above) = (0, 0);
    let (mut wl, mut wh) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in present {
        if v < lower {
            below += 1;
        } else if v > upper {
            above += 1;
        } else {
            wl = wl.min(v);
            wh = wh.max(v);
        }
    }
    TargetSummary {
        histogram: histogram(values, bins),
        stats,
        iqr_lower: lower,
        iqr_upper: upper,
        outliers_below: below,
        outliers_above: above,
        whisker_low: wl,
        whisker_high: wh,
    }
}

/// Codes 0..k−1 for a categorical column in code-point order of its values (scikit-learn's
/// `OrdinalEncoder`), NaN for missing; a numeric column's own values.
pub fn ordinal_codes(c: &Column) -> Vec<f64> {
    match &c.data {
        ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => values.clone(),
        ColumnData::Categorical { levels, codes, .. } => {
            let mut order: Vec<usize> = (0..levels.len()).collect();
            order.sort_by(|&a, &b| levels[a].cmp(&levels[b]));
            let mut rank = vec![0.0; levels.len()];
            for (r, &l) in order.iter().enumerate() {
                rank[l] = r as f64;
            }
            codes
                .iter()
                .map(|&k| {
                    if k == MISSING_CODE {
                        f64::NAN
                    } else {
                        rank[k as usize]
                    }
                })
                .collect()
        }
    }
}

/// Category codes of any column (numbers by distinct value) with their count of levels;
/// missing is `MISSING_CODE`, or a level of its own when `missing_as_category`.
fn category_codes(c: &Column, missing_as_category: bool) -> (Vec<u32>, usize) {
    let (mut codes, mut k) = match &c.data {
        ColumnData::Categorical { levels, codes, .. } => (codes.clone(), levels.len()),
        ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => {
            let mut distinct: Vec<u64> = values
                .iter()
                .filter(|v| !v.is_nan())
                .map(|v| canon_bits(*v))
                .collect();
            distinct.sort_unstable();
            distinct.dedup();
            let codes = values
                .iter()
                .map(|v| {
                    if v.is_nan() {
                        MISSING_CODE
                    } else {
                        distinct
                            .binary_search(&canon_bits(*v))
                            .expect("value was collected") as u32
                    }
                })
                .collect();
            (codes, distinct.len())
        }
    };
    if missing_as_category {
        let m = k as u32;
        let mut any = false;
        for c in codes.iter_mut().filter(|c| **c == MISSING_CODE) {
            *c = m;
            any = true;
        }
        if any {
            k += 1;
        }
    }
    (codes, k)
}

fn canon_bits(v: f64) -> u64 {
    if v == 0.0 {
        0
    } else {
        v.to_bits()
    }
}

/// The target's classes as codes: (labels, codes).
fn class_labels(target: &Column) -> (Vec<String>, Vec<u32>) {
    let (codes, k) = category_codes(target, false);
    let labels = match &target.data {
        ColumnData::Categorical { levels, .. } => levels.clone(),
        ColumnData::Numeric { values, integer } => {
            let mut distinct: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup_by(|a, b| canon_bits(*a) == canon_bits(*b));
            distinct
                .iter()
                .map(|v| crate::engine::data::table::format_number(*v, *integer))
                .collect()
        }
        ColumnData::Date { values, time } => {
            let mut distinct: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            distinct.sort_by(f64::total_cmp);
            distinct.dedup_by(|a, b| canon_bits(*a) == canon_bits(*b));
            distinct
                .iter()
                .map(|v| crate::engine::data::reader::format_date(*v, *time))
                .collect()
        }
    };
    debug_assert_eq!(labels.len(), k);
    (labels, codes)
}

fn count_classes(labels: &[String], codes: &[u32]) -> Vec<(String, usize)> {
    let mut counts = vec![0usize; labels.len()];
    for &c in codes {
        if c != MISSING_CODE {
            counts[c as usize] += 1;
        }
    }
    let mut out: Vec<(String, usize)> = labels
        .iter()
        .cloned()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.1));
    out
}

/// Whether a pair's shared rows cover at least half the present rows of the column it would
/// drop: a column is not dropped for what it does on the few rows a mostly missing partner has.
fn covers(support: usize, present_of_dropped: usize) -> bool {
    2 * support >= present_of_dropped
}

/// A numeric column prepared for fast correlations: with no missing value, its deviations
/// from the mean and their norm (r is then one dot product).
struct Centered {
    deviations: Option<(Vec<f64>, f64)>,
}

fn centered(values: &[f64]) -> Centered {
    if values.iter().any(|v| v.is_nan()) || values.len() < 2 {
        return Centered { deviations: None };
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let d: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let norm = dot(&d, &d).sqrt();
    Centered {
        deviations: Some((d, norm)),
    }
}

/// Σ xᵢyᵢ with four running sums (so that the compiler can keep them in registers).
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let (xc, yc) = (x.chunks_exact(4), y.chunks_exact(4));
    let (xr, yr) = (xc.remainder(), yc.remainder());
    for (a, b) in xc.zip(yc) {
        s[0] += a[0] * b[0];
        s[1] += a[1] * b[1];
        s[2] += a[2] * b[2];
        s[3] += a[3] * b[3];
    }
    let tail: f64 = xr.iter().zip(yr).map(|(a, b)| a * b).sum();
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

/// Columns whose dot products are computed together, over chunks of rows, so that their
/// chunks stay in the processor's cache while every earlier column streams past once.
const DOT_BLOCK: usize = 16;
const ROW_CHUNK: usize = 1024;

/// For each column j of `block` without missing values, the dot products of its deviations
/// with those of every complete column i ≤ j (`out[j - block.start][i]`; 0 elsewhere).
fn block_dots(cols: &[Centered], block: std::ops::Range<usize>) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.0; block.end]; block.len()];
    let rows = cols[block.clone()]
        .iter()
        .chain(&cols[..block.start])
        .find_map(|c| c.deviations.as_ref().map(|(d, _)| d.len()))
        .unwrap_or(0);
    let mut r0 = 0;
    while r0 < rows {
        let r1 = (r0 + ROW_CHUNK).min(rows);
        for (i, ci) in cols[..block.end].iter().enumerate() {
            let Some((di, _)) = &ci.deviations else {
                continue;
            };
            let di = &di[r0..r1];
            let mut j = block.start.max(i);
            while j < block.end {
                // Four columns at a time share each load of column i.
                let four: Option<[&[f64]; 4]> = (j + 4 <= block.end)
                    .then(|| {
                        let mut out = [&di[..0]; 4];
                        for (k, slot) in out.iter_mut().enumerate() {
                            *slot = &cols[j + k].deviations.as_ref()?.0[r0..r1];
                        }
                        Some(out)
                    })
                    .flatten();
                if let Some(ys) = four {
                    for (k, d) in dot4(di, ys).into_iter().enumerate() {
                        out[j + k - block.start][i] += d;
                    }
                    j += 4;
                    continue;
                }
                if let Some((dj, _)) = &cols[j].deviations {
                    out[j - block.start][i] += dot(di, &dj[r0..r1]);
                }
                j += 1;
            }
        }
        r0 = r1;
    }
    out
}

/// Four dot products of `x` with equally long columns, loading each xᵢ once.
fn dot4(x: &[f64], ys: [&[f64]; 4]) -> [f64; 4] {
    let n = x.len();
    let (y0, y1, y2, y3) = (&ys[0][..n], &ys[1][..n], &ys[2][..n], &ys[3][..n]);
    let mut s = [0.0f64; 4];
    for k in 0..n {
        let a = x[k];
        s[0] += a * y0[k];
        s[1] += a * y1[k];
        s[2] += a * y2[k];
        s[3] += a * y3[k];
    }
    s
}

/// Pearson's r and the shared rows of two numeric columns: one dot product when neither has a
/// missing value, else pairwise complete as pandas' `corr`.
fn pair_r(x: &[f64], cx: &Centered, y: &[f64], cy: &Centered) -> (f64, usize) {
    match (&cx.deviations, &cy.deviations) {
        (Some((dx, nx)), Some((dy, ny))) => {
            let d = nx * ny;
            if d == 0.0 {
                (f64::NAN, x.len())
            } else {
                ((dot(dx, dy) / d).clamp(-1.0, 1.0), x.len())
            }
        }
        _ => pearson_with_support(x, y),
    }
}

/// The correlation matrix of the numeric features and every column whose |r| with an earlier
/// column exceeds the threshold (upper triangle, column order) over at least `min_overlap`
/// shared rows.
fn numeric_pairs(
    cols: &[&Column],
    cfg: &AnalysisConfig,
    progress: &mut dyn FnMut(f64),
) -> (Matrix, HighCorrelation) {
    let vals: Vec<&[f64]> = cols
        .iter()
        .map(|c| match &c.data {
            ColumnData::Numeric { values, .. } => values.as_slice(),
            ColumnData::Categorical { .. } | ColumnData::Date { .. } => {
                unreachable!("only numeric columns are passed")
            }
        })
        .collect();
    let prepared: Vec<Centered> = vals.iter().map(|v| centered(v)).collect();
    let present: Vec<usize> = vals
        .iter()
        .map(|v| v.iter().filter(|x| !x.is_nan()).count())
        .collect();
    let n = cols.len();
    let keep = n <= MATRIX_MAX_COLUMNS;
    let mut m = if keep {
        vec![vec![f64::NAN; n]; n]
    } else {
        Vec::new()
    };
    let (mut columns, mut pairs, mut unreliable) = (Vec::new(), Vec::new(), Vec::new());
    let total = (n * n.saturating_sub(1) / 2).max(1) as f64;
    let mut done = 0usize;
    let mut dots = Vec::new();
    for j in 0..n {
        if j % DOT_BLOCK == 0 {
            dots = block_dots(&prepared, j..(j + DOT_BLOCK).min(n));
        }
        let mut hit = false;
        for i in 0..=j {
            if i == j && !keep {
                continue;
            }
            let (r, support) = match (&prepared[i].deviations, &prepared[j].deviations) {
                (Some((_, ni)), Some((_, nj))) => {
                    let d = ni * nj;
                    let r = if d == 0.0 {
                        f64::NAN
                    } else {
                        (dots[j % DOT_BLOCK][i] / d).clamp(-1.0, 1.0)
                    };
                    (r, vals[j].len())
                }
                _ => pair_r(vals[i], &prepared[i], vals[j], &prepared[j]),
            };
            if keep {
                m[i][j] = r;
                m[j][i] = r;
            }
            if i == j || r.is_nan() || r.abs() <= cfg.corr_threshold {
                continue;
            }
            let pair = CorrPair {
                a: cols[i].name.clone(),
                b: cols[j].name.clone(),
                r,
                n: support,
            };
            if support >= cfg.min_overlap && covers(support, present[j]) {
                pairs.push(pair);
                hit = true;
            } else {
                unreliable.push(pair);
            }
        }
        if hit {
            columns.push(cols[j].name.clone());
        }
        done += j;
        progress(done as f64 / total);
    }
    (
        Matrix {
            columns: cols.iter().map(|c| c.name.clone()).collect(),
            values: m,
        },
        HighCorrelation {
            threshold: cfg.corr_threshold,
            columns,
            pairs,
            unreliable,
        },
    )
}

/// Cramér's V between every two categorical features with at most [`MAX_PAIR_LEVELS`]
/// levels, from sparse counts; pairs above the threshold mark the later column only when they
/// are reliable.
fn cramers_matrix(
    all: &[&Column],
    cfg: &AnalysisConfig,
    progress: &mut dyn FnMut(f64),
) -> CramersV {
    let mut not_paired = Vec::new();
    let mut cols = Vec::new();
    let mut coded: Vec<(Vec<u32>, usize)> = Vec::new();
    for c in all {
        let levels = c.unique();
        if levels > MAX_PAIR_LEVELS {
            not_paired.push(NotPaired {
                column: c.name.clone(),
                levels,
            });
            continue;
        }
        cols.push(*c);
        coded.push(category_codes(c, cfg.missing_as_category));
    }
    let present: Vec<usize> = coded
        .iter()
        .map(|(codes, _)| codes.iter().filter(|&&c| c != MISSING_CODE).count())
        .collect();
    let n = cols.len();
    let keep = n <= MATRIX_MAX_COLUMNS;
    let mut values = if keep {
        vec![vec![f64::NAN; n]; n]
    } else {
        Vec::new()
    };
    let mut overlap = if keep {
        vec![vec![0usize; n]; n]
    } else {
        Vec::new()
    };
    let (mut columns, mut pairs, mut unreliable) = (Vec::new(), Vec::new(), Vec::new());
    let total = (n * n.saturating_sub(1) / 2).max(1) as f64;
    let mut done = 0usize;
    for j in 0..n {
        let mut hit = false;
        if keep {
            // A column with itself: V = 1 over its present rows (undefined for one level).
            let present = coded[j].0.iter().filter(|&&c| c != MISSING_CODE).count();
            let mut seen = vec![false; coded[j].1];
            for &c in coded[j].0.iter().filter(|&&c| c != MISSING_CODE) {
                seen[c as usize] = true;
            }
            let k = seen.iter().filter(|s| **s).count();
            values[j][j] = if k >= 2 { 1.0 } else { f64::NAN };
            overlap[j][j] = present;
        }
        for i in 0..j {
            let assoc = cramers_v(&coded[i].0, coded[i].1, &coded[j].0, coded[j].1);
            if keep {
                values[i][j] = assoc.v;
                values[j][i] = assoc.v;
                overlap[i][j] = assoc.n;
                overlap[j][i] = assoc.n;
            }
            let pair = CramerPair {
                a: cols[i].name.clone(),
                b: cols[j].name.clone(),
                v: assoc.v,
                n: assoc.n,
                low_expected: assoc.low_expected,
                reliable: assoc.is_reliable(cfg.min_overlap) && covers(assoc.n, present[j]),
            };
            if !pair.reliable {
                unreliable.push(pair);
            } else if assoc.v > cfg.cramer_threshold {
                pairs.push(pair);
                hit = true;
            }
        }
        if hit {
            columns.push(cols[j].name.clone());
        }
        done += j;
        progress(done as f64 / total);
    }
    CramersV {
        threshold: cfg.cramer_threshold,
        matrix: Matrix {
            columns: cols.iter().map(|c| c.name.clone()).collect(),
            values,
        },
        overlap,
        columns,
        pairs,
        unreliable,
        not_paired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stats::correlation::pearson;
    use crate::engine::{load, LoadOptions};

    fn table(csv: &str) -> Table {
        load(csv.as_bytes(), &LoadOptions::default()).unwrap().table
    }

    #[test]
    fn pearson_is_pairwise_complete() {
        let x = [1.0, 2.0, 3.0, f64::NAN, 5.0];
        let y = [2.0, 4.0, 6.0, 100.0, f64::NAN];
        assert!((pearson(&x, &y) - 1.0).abs() < 1e-15);
        assert!(pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]).is_nan());
        assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-15);
    }

    #[test]
    fn cramers_v_of_identical_and_independent_columns() {
        let a = [0, 1, 0, 1, 0, 1, 0, 1];
        assert!((cramers_v(&a, 2, &a, 2).v - 1.0).abs() < 1e-12);
        let b = [0, 0, 1, 1, 0, 0, 1, 1];
        assert!(cramers_v(&a, 2, &b, 2).v.abs() < 1e-12);
        // A constant side makes V undefined.
        let c = [0u32; 8];
        assert!(cramers_v(&a, 2, &c, 1).v.is_nan());
    }

    #[test]
    fn cramers_v_is_the_square_root_not_v_squared() {
        // 2×2 table [[10, 0], [5, 5]]: χ² = 20/3, n = 20, V = sqrt(1/3).
        let mut a = vec![0u32; 10];
        a.extend([1u32; 10]);
        let mut b = vec![0u32; 10];
        b.extend([0u32; 5]);
        b.extend([1u32; 5]);
        let assoc = cramers_v(&a, 2, &b, 2);
        let (v, n) = (assoc.v, assoc.n);
        assert_eq!(n, 20);
        assert!((v - (1.0f64 / 3.0).sqrt()).abs() < 1e-12, "{v}");
    }

    #[test]
    fn histogram_matches_numpy_edges_and_last_bin() {
        let h = histogram(&[0.0, 1.0, 2.0, 3.0, 4.0, f64::NAN], 4);
        assert_eq!(h.edges, [0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(h.counts, [1, 1, 1, 2]);
    }

    #[test]
    fn ordinal_codes_follow_code_point_order() {
        let t = table("c\nb\na\n?\nB\n");
        let codes = ordinal_codes(t.column("c").unwrap());
        // 'B' < 'a' < 'b' in code-point order.
        assert_eq!(&codes[..2], &[2.0, 1.0]);
        assert!(codes[2].is_nan());
        assert_eq!(codes[3], 0.0);
    }

    #[test]
    fn task_detection_and_unknown_target() {
        let mut csv = String::from("x,y,cls\n");
        for i in 0..40 {
            csv.push_str(&format!(
                "{i},{},{}\n",
                i * 3 % 41,
                if i % 2 == 0 { "a" } else { "b" }
            ));
        }
        let t = table(&csv);
        assert_eq!(
            analyze(&t, &AnalysisConfig::new("y")).unwrap().task,
            Task::Regression
        );
        assert_eq!(
            analyze(&t, &AnalysisConfig::new("cls")).unwrap().task,
            Task::Classification
        );
        assert_eq!(
            analyze(&t, &AnalysisConfig::new("nope")).unwrap_err(),
            Error::NoSuchColumn {
                name: "nope".into()
            }
        );
    }

    #[test]
    fn findings_cover_missing_correlated_outliers_ids_and_constants() {
        let mut csv = String::from("Id,a,b,gone,const,target\n");
        for i in 0..100 {
            let gone = if i < 70 {
                "?".to_string()
            } else {
                i.to_string()
            };
            let target = if i == 99 { 10_000 } else { 100 + i };
            csv.push_str(&format!(
                "{},{},{},{gone},k,{target}\n",
                i + 1,
                i * i,
                i * i * 2 + 1
            ));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("target")).unwrap();
        let ids: Vec<&str> = a.findings.iter().map(|f| f.id.as_str()).collect();
        for want in [
            "missing:gone",
            "corr:b",
            "outliers:target",
            "id:Id",
            "constant:const",
        ] {
            assert!(ids.contains(&want), "{want} missing from {ids:?}");
        }
        // "gone" also follows a over the 30 rows where it is present.
        assert_eq!(a.high_correlation.columns, ["b", "gone"]);
        assert_eq!(
            (
                a.high_correlation.pairs[0].a.as_str(),
                a.high_correlation.pairs[0].b.as_str()
            ),
            ("a", "b")
        );
        let t = a.target_summary.unwrap();
        assert_eq!(t.outliers_above, 1);
        assert_eq!(t.whisker_high, 198.0);
        assert!(!a.correlation_with_target.iter().any(|r| r.column == "Id"));
    }

    #[test]
    fn thin_pairs_are_unreliable_not_listed() {
        let mut csv = String::from("p,q,y\n");
        for i in 0..50 {
            let q = if i < 10 {
                if i % 2 == 0 {
                    "x"
                } else {
                    "z"
                }
            } else {
                "?"
            };
            let p = if i % 2 == 0 { "u" } else { "v" };
            csv.push_str(&format!("{p},{q},{i}\n"));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("y")).unwrap();
        assert!(a.cramers_v.pairs.is_empty());
        assert_eq!(a.cramers_v.unreliable.len(), 1);
        assert_eq!(a.cramers_v.unreliable[0].n, 10);
        let mut cfg = AnalysisConfig::new("y");
        cfg.missing_as_category = true;
        let a = analyze(&table(&csv), &cfg).unwrap();
        assert_eq!(a.cramers_v.overlap[0][1], 50);
    }

    /// A categorical pair whose V passes the threshold on thin evidence, and one on plenty.
    fn thin_and_solid_csv() -> String {
        let mut csv = String::from("many,sparse,p,q,y\n");
        for i in 0..400 {
            // `sparse` is present on 60 rows only, and follows `many` (12 levels) exactly:
            // V = 1 from 60 rows spread over 12 × 12 cells, every expected count under 5.
            let many = format!("m{}", i % 12);
            let sparse = if i < 60 {
                format!("s{}", i % 12)
            } else {
                "?".into()
            };
            // `q` follows `p` on 400 rows with two levels each: solid.
            let p = if (i / 12) % 2 == 0 { "u" } else { "v" };
            let q = if (i / 12) % 2 == 0 { "x" } else { "z" };
            csv.push_str(&format!("{many},{sparse},{p},{q},{i}\n"));
        }
        csv
    }

    #[test]
    fn no_drop_recommendation_comes_from_an_unreliable_pair() {
        let a = analyze(&table(&thin_and_solid_csv()), &AnalysisConfig::new("y")).unwrap();
        let thin = a
            .cramers_v
            .unreliable
            .iter()
            .find(|p| p.a == "many" && p.b == "sparse")
            .expect("the thin pair is listed as unreliable");
        assert!(thin.v > 0.99 && thin.n == 60, "{thin:?}");
        assert!(thin.low_expected > 0.2, "{thin:?}");
        assert!(!thin.reliable);
        // The solid pair is a drop; the thin one is shown and drops nothing.
        assert_eq!(a.cramers_v.columns, ["q"]);
        // (`sparse` is also mostly missing: that finding is not about the pair.)
        let drops: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| !f.id.starts_with("missing:"))
            .filter_map(|f| match &f.action {
                Some(FindingAction::Exclude(c)) => Some(c.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(drops, ["q"]);
        let thin_finding = a
            .findings
            .iter()
            .find(|f| matches!(f.kind, FindingKind::ThinAssociation { .. }))
            .expect("the thin pair is a finding without an action");
        assert_eq!(thin_finding.action, None);
        assert!(matches!(
            thin_finding.kind,
            FindingKind::ThinAssociation { n: 60, .. }
        ));
        // Whatever the threshold, every drop rests on a reliable pair.
        for t in [0.1, 0.3, 0.5, 0.9] {
            let mut cfg = AnalysisConfig::new("y");
            cfg.cramer_threshold = t;
            cfg.corr_threshold = t;
            let a = analyze(&table(&thin_and_solid_csv()), &cfg).unwrap();
            for f in &a.findings {
                if let FindingKind::Associated { drop, keep, n, .. } = &f.kind {
                    let pair = a
                        .cramers_v
                        .pairs
                        .iter()
                        .find(|p| &p.b == drop && &p.a == keep)
                        .unwrap();
                    assert!(pair.reliable && *n >= cfg.min_overlap, "{pair:?}");
                }
            }
            assert!(a.cramers_v.pairs.iter().all(|p| p.reliable));
        }
    }

    #[test]
    fn thin_numeric_pairs_drop_nothing() {
        // b follows a exactly, but both are present on 12 rows only.
        let mut csv = String::from("a,b,y\n");
        for i in 0..100 {
            let (a, b) = if i < 12 {
                (i.to_string(), (2 * i).to_string())
            } else if i % 2 == 0 {
                (i.to_string(), "?".into())
            } else {
                ("?".into(), i.to_string())
            };
            csv.push_str(&format!("{a},{b},{i}\n"));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("y")).unwrap();
        assert!(a.high_correlation.columns.is_empty());
        assert_eq!(a.high_correlation.unreliable.len(), 1);
        assert_eq!(a.high_correlation.unreliable[0].n, 12);
        assert!(!a.findings.iter().any(|f| f.id.starts_with("corr:")));
    }

    #[test]
    fn columns_with_many_levels_are_not_paired() {
        let mut csv = String::from("code,colour,size,y\n");
        for i in 0..300 {
            let colour = ["red", "blue", "green"][i % 3];
            let size = ["s", "m", "l"][i % 3];
            // 100 levels, each on 3 rows: paired with anything it would give V near 1.
            csv.push_str(&format!("c{},{colour},{size},{i}\n", i % 100));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("y")).unwrap();
        assert_eq!(
            a.cramers_v.not_paired,
            [NotPaired {
                column: "code".into(),
                levels: 100
            }]
        );
        assert_eq!(a.cramers_v.matrix.columns, ["colour", "size"]);
        assert!(a.findings.iter().any(|f| f.id == "levels:code"));
    }

    #[test]
    fn ids_free_text_and_constants_are_not_features() {
        let mut csv = String::from("id,comment,const,x,z,y\n");
        for i in 0..60 {
            csv.push_str(&format!(
                "{},\"Customer {i} wrote a long note about delivery number {}\",k,{},{},{}\n",
                i + 1,
                i * 7,
                i % 5,
                (i * 3) % 7,
                i
            ));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("y")).unwrap();
        assert_eq!(a.id_like, ["id"]);
        assert_eq!(a.free_text, ["comment"]);
        assert_eq!(a.constant, ["const"]);
        let not: Vec<&String> = a.not_features().collect();
        for name in ["id", "comment", "const"] {
            assert!(!a.numeric_corr.columns.iter().any(|c| c == name));
            assert!(!a.cramers_v.matrix.columns.iter().any(|c| c == name));
            assert!(!a.correlation_with_target.iter().any(|r| r.column == name));
            assert!(not.iter().any(|c| *c == name));
        }
        for id in ["id:id", "text:comment", "constant:const"] {
            let f = a.findings.iter().find(|f| f.id == id).expect(id);
            assert!(f.by_default, "{id}");
            assert!(matches!(f.action, Some(FindingAction::Exclude(_))));
        }
        assert!(a.findings.iter().filter(|f| f.by_default).count() == 3);
    }

    #[test]
    fn progress_runs_from_start_to_end() {
        let mut seen = Vec::new();
        analyze_with_progress(
            &table(&thin_and_solid_csv()),
            &AnalysisConfig::new("y"),
            &mut |p| seen.push(p),
        )
        .unwrap();
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        assert_eq!(seen.last(), Some(&1.0));
    }

    #[test]
    fn blocked_dot_products_equal_pairwise_pearson() {
        // 37 columns (blocks of 16 and groups of 4 with leftovers), 2,500 rows (row chunks),
        // one column with a gap (the pairwise path).
        let (cols, rows) = (37, 2500);
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut csv: String = (0..cols).map(|j| format!("x{j},")).collect();
        csv.push_str("y\n");
        for i in 0..rows {
            let base = next();
            for j in 0..cols {
                if j == 5 && i % 9 == 0 {
                    csv.push_str("?,");
                } else {
                    csv.push_str(&format!("{},", base * (j % 3) as f64 + next()));
                }
            }
            csv.push_str(&format!("{}\n", next()));
        }
        let t = table(&csv);
        let a = analyze(&t, &AnalysisConfig::new("y")).unwrap();
        let m = &a.numeric_corr;
        assert_eq!(m.columns.len(), cols);
        let values = |name: &str| match &t.column(name).unwrap().data {
            ColumnData::Numeric { values, .. } => values.clone(),
            _ => unreachable!(),
        };
        for i in 0..cols {
            for j in 0..cols {
                let r = pearson(&values(&m.columns[i]), &values(&m.columns[j]));
                assert!(
                    (m.values[i][j] - r).abs() < 1e-12,
                    "{i} {j}: {} vs {r}",
                    m.values[i][j]
                );
            }
        }
    }

    #[test]
    fn wide_matrices_keep_their_pairs_not_their_values() {
        let cols = MATRIX_MAX_COLUMNS + 20;
        let mut csv: String = (0..cols).map(|j| format!("c{j},")).collect();
        csv.push_str("y\n");
        for i in 0..40 {
            for j in 0..cols {
                // c1 copies c0; the rest vary independently enough.
                let v = if j <= 1 { i * i } else { (i * (j + 3)) % 37 };
                csv.push_str(&format!("{v},"));
            }
            csv.push_str(&format!("{i}\n"));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("y")).unwrap();
        // (A few of these columns are constant and left out.)
        assert!(a.numeric_corr.columns.len() > MATRIX_MAX_COLUMNS);
        assert!(a.numeric_corr.values.is_empty() && !a.numeric_corr.is_complete());
        assert!(a
            .high_correlation
            .pairs
            .iter()
            .any(|p| p.a == "c0" && p.b == "c1"));
    }

    #[test]
    fn classification_uses_correlation_ratio_and_cramers_v() {
        let mut csv = String::from("num,cat,label\n");
        for i in 0..60 {
            let label = if i < 30 { "yes" } else { "no" };
            let cat = if i < 30 { "p" } else { "q" };
            csv.push_str(&format!(
                "{},{cat},{label}\n",
                if i < 30 { i } else { i + 100 }
            ));
        }
        let a = analyze(&table(&csv), &AnalysisConfig::new("label")).unwrap();
        let m: Vec<Measure> = a
            .correlation_with_target
            .iter()
            .map(|r| r.measure)
            .collect();
        assert!(m.contains(&Measure::CorrelationRatio) && m.contains(&Measure::CramersV));
        let v = a
            .correlation_with_target
            .iter()
            .find(|r| r.column == "cat")
            .unwrap();
        assert!((v.value - 1.0).abs() < 1e-12);
        assert_eq!(
            a.class_counts,
            [("yes".to_string(), 30), ("no".to_string(), 30)]
        );
    }
}
