//! Step 2's data diagnosis: missing values, the target's distribution and outlier bound,
//! correlations with the target and between features (Pearson as pandas' `corr`, Cramér's V as
//! scipy's `association`), and plain-language findings that Preprocess can act on.

use serde::{Deserialize, Serialize};

use crate::engine::data::summary::{describe_numeric, NumericSummary};
use crate::engine::data::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::engine::error::{Error, Result};
use crate::engine::stats::association::cramers_v;
use crate::engine::stats::correlation::{correlation_ratio, pearson};
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
    /// Pairs with fewer rows where both are present are unreliable rather than listed.
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
}

/// A square matrix over named columns (NaN where undefined).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    pub columns: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

/// A numeric pair above the threshold: `a` comes before `b`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrPair {
    pub a: String,
    pub b: String,
    pub r: f64,
}

/// The high-correlation list: the later column of each pair, in column order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighCorrelation {
    pub threshold: f64,
    pub columns: Vec<String>,
    pub pairs: Vec<CorrPair>,
}

/// A categorical pair: Cramér's V over the `n` rows where both are present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CramerPair {
    pub a: String,
    pub b: String,
    pub v: f64,
    pub n: usize,
    pub reliable: bool,
}

/// Cramér's V matrix, its pairs above the threshold and the unreliable pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CramersV {
    pub threshold: f64,
    pub matrix: Matrix,
    /// Overlap counts behind each cell.
    pub overlap: Vec<Vec<usize>>,
    pub columns: Vec<String>,
    pub pairs: Vec<CramerPair>,
    /// Pairs too thin to judge (fewer than `min_overlap` shared rows, or V undefined).
    pub unreliable: Vec<CramerPair>,
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
    pub findings: Vec<Finding>,
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

    let id_like: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| c.name != cfg.target && is_id_like(c, rows))
        .map(|c| c.name.clone())
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
        if c.name == cfg.target || id_like.contains(&c.name) {
            continue;
        }
        let rel = match (task, &c.data, &target_col.data) {
            (
                Task::Regression,
                ColumnData::Numeric { values, .. },
                ColumnData::Numeric { values: y, .. },
            ) => (pearson(values, y), Measure::Pearson),
            (
                Task::Regression,
                ColumnData::Categorical { .. },
                ColumnData::Numeric { values: y, .. },
            ) => (pearson(&ordinal_codes(c), y), Measure::PearsonOrdinal),
            (Task::Classification, ColumnData::Numeric { values, .. }, _) => {
                let (_, codes) = class_labels.as_ref().expect("classification has labels");
                (correlation_ratio(values, codes), Measure::CorrelationRatio)
            }
            (Task::Classification, ColumnData::Categorical { .. }, _) => {
                let (levels, codes) = class_labels.as_ref().expect("classification has labels");
                let (a, na) = category_codes(c, false);
                let (v, _) = cramers_v(&a, na, codes, levels.len());
                (v, Measure::CramersV)
            }
            _ => continue,
        };
        correlation_with_target.push(TargetRelation {
            column: c.name.clone(),
            value: rel.0,
            measure: rel.1,
        });
    }
    correlation_with_target.sort_by(|a, b| {
        let key = |v: f64| if v.is_nan() { f64::NEG_INFINITY } else { v };
        key(b.value).total_cmp(&key(a.value))
    });

    // Features vs features (target and id-like columns left out).
    let features: Vec<&Column> = table
        .columns()
        .iter()
        .filter(|c| c.name != cfg.target && !id_like.contains(&c.name))
        .collect();
    let numeric: Vec<&Column> = features
        .iter()
        .copied()
        .filter(|c| matches!(c.data, ColumnData::Numeric { .. }))
        .collect();
    let numeric_corr = correlation_matrix(&numeric);
    let high_correlation = high_correlation(&numeric_corr, cfg.corr_threshold);
    let categorical: Vec<&Column> = features
        .iter()
        .copied()
        .filter(|c| matches!(c.data, ColumnData::Categorical { .. }))
        .collect();
    let cramers = cramers_matrix(&categorical, cfg);

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
        findings: Vec::new(),
    };
    a.findings = findings(table, &a);
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

fn correlation_matrix(cols: &[&Column]) -> Matrix {
    let vals: Vec<&[f64]> = cols
        .iter()
        .map(|c| match &c.data {
            ColumnData::Numeric { values, .. } => values.as_slice(),
            ColumnData::Categorical { .. } | ColumnData::Date { .. } => {
                unreachable!("only numeric columns are passed")
            }
        })
        .collect();
    let n = cols.len();
    let mut m = vec![vec![f64::NAN; n]; n];
    for i in 0..n {
        for j in i..n {
            let r = pearson(vals[i], vals[j]);
            m[i][j] = r;
            m[j][i] = r;
        }
    }
    Matrix {
        columns: cols.iter().map(|c| c.name.clone()).collect(),
        values: m,
    }
}

/// Every column whose |r| with an earlier column exceeds the threshold (upper triangle).
fn high_correlation(m: &Matrix, threshold: f64) -> HighCorrelation {
    let mut columns = Vec::new();
    let mut pairs = Vec::new();
    for j in 0..m.columns.len() {
        let mut hit = false;
        for i in 0..j {
            let r = m.values[i][j];
            if r.abs() > threshold {
                pairs.push(CorrPair {
                    a: m.columns[i].clone(),
                    b: m.columns[j].clone(),
                    r,
                });
                hit = true;
            }
        }
        if hit {
            columns.push(m.columns[j].clone());
        }
    }
    HighCorrelation {
        threshold,
        columns,
        pairs,
    }
}

fn cramers_matrix(cols: &[&Column], cfg: &AnalysisConfig) -> CramersV {
    let coded: Vec<(Vec<u32>, usize)> = cols
        .iter()
        .map(|c| category_codes(c, cfg.missing_as_category))
        .collect();
    let n = cols.len();
    let mut values = vec![vec![f64::NAN; n]; n];
    let mut overlap = vec![vec![0usize; n]; n];
    let (mut columns, mut pairs, mut unreliable) = (Vec::new(), Vec::new(), Vec::new());
    for j in 0..n {
        let mut hit = false;
        for i in 0..=j {
            let (v, cnt) = cramers_v(&coded[i].0, coded[i].1, &coded[j].0, coded[j].1);
            values[i][j] = v;
            values[j][i] = v;
            overlap[i][j] = cnt;
            overlap[j][i] = cnt;
            if i == j {
                continue;
            }
            let pair = CramerPair {
                a: cols[i].name.clone(),
                b: cols[j].name.clone(),
                v,
                n: cnt,
                reliable: cnt >= cfg.min_overlap && v.is_finite(),
            };
            if !pair.reliable {
                unreliable.push(pair);
            } else if v > cfg.cramer_threshold {
                pairs.push(pair);
                hit = true;
            }
        }
        if hit {
            columns.push(cols[j].name.clone());
        }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert!((cramers_v(&a, 2, &a, 2).0 - 1.0).abs() < 1e-12);
        let b = [0, 0, 1, 1, 0, 0, 1, 1];
        assert_eq!(cramers_v(&a, 2, &b, 2).0, 0.0);
        // A constant side makes V undefined.
        let c = [0u32; 8];
        assert!(cramers_v(&a, 2, &c, 1).0.is_nan());
    }

    #[test]
    fn cramers_v_is_the_square_root_not_v_squared() {
        // 2×2 table [[10, 0], [5, 5]]: χ² = 20/3, n = 20, V = sqrt(1/3).
        let mut a = vec![0u32; 10];
        a.extend([1u32; 10]);
        let mut b = vec![0u32; 10];
        b.extend([0u32; 5]);
        b.extend([1u32; 5]);
        let (v, n) = cramers_v(&a, 2, &b, 2);
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
