//! pandas' `info()` and `describe()` for a [`Table`], computed the way pandas computes them.

use serde::{Deserialize, Serialize};

use crate::engine::data::reader::format_date;
use crate::engine::data::table::{Column, ColumnData, Kind, Table, MISSING_CODE};
use crate::engine::stats::moments::{mean, quantile_sorted, std_dev};

/// One row of `info()`: a column's name, kind, pandas dtype and counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: Kind,
    pub dtype: String,
    pub non_null: usize,
    pub unique: usize,
}

/// `info()` for a whole table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Info {
    pub rows: usize,
    pub columns: Vec<ColumnInfo>,
}

/// Compute `info()`.
pub fn info(table: &Table) -> Info {
    Info {
        rows: table.n_rows(),
        columns: table
            .columns()
            .iter()
            .map(|c| ColumnInfo {
                name: c.name.clone(),
                kind: c.kind(),
                dtype: c.pandas_dtype().to_string(),
                non_null: c.non_null(),
                unique: c.unique(),
            })
            .collect(),
    }
}

/// `describe()` of a numeric column. Statistics of an empty column are NaN (null in JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericSummary {
    pub name: String,
    pub count: usize,
    pub mean: f64,
    /// Sample standard deviation (ddof = 1); NaN with fewer than two values.
    pub std: f64,
    pub min: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub max: f64,
    pub integer: bool,
}

/// `describe()` of a categorical column: count, unique, top (most frequent; ties go to the
/// value seen first) and its frequency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoricalSummary {
    pub name: String,
    pub count: usize,
    pub unique: usize,
    pub top: Option<String>,
    pub freq: usize,
}

/// `describe()` of a date column: how many dates, the earliest and the latest (as text,
/// `2024-03-05` or `2024-03-05 13:45:00`; None when the column has no date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateSummary {
    pub name: String,
    pub count: usize,
    pub min: Option<String>,
    pub max: Option<String>,
}

/// The parts of `describe()`: numbers, categories and dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Describe {
    pub numeric: Vec<NumericSummary>,
    pub categorical: Vec<CategoricalSummary>,
    #[serde(default)]
    pub dates: Vec<DateSummary>,
}

/// Compute `describe()` for every column.
pub fn describe(table: &Table) -> Describe {
    let mut numeric = Vec::new();
    let mut categorical = Vec::new();
    let mut dates = Vec::new();
    for c in table.columns() {
        match &c.data {
            ColumnData::Numeric { values, integer } => {
                numeric.push(describe_numeric(&c.name, values, *integer))
            }
            ColumnData::Categorical { .. } => categorical.push(describe_categorical(c)),
            ColumnData::Date { values, time } => dates.push(describe_date(&c.name, values, *time)),
        }
    }
    Describe {
        numeric,
        categorical,
        dates,
    }
}

/// `describe()` of a date column's values (seconds since 1970-01-01; NaN is missing).
pub fn describe_date(name: &str, values: &[f64], time: bool) -> DateSummary {
    let present = values.iter().copied().filter(|v| !v.is_nan());
    let (count, lo, hi) = present.fold((0, f64::INFINITY, f64::NEG_INFINITY), |(n, lo, hi), v| {
        (n + 1, lo.min(v), hi.max(v))
    });
    let text = |v: f64| (count > 0).then(|| format_date(v, time));
    DateSummary {
        name: name.to_string(),
        count,
        min: text(lo),
        max: text(hi),
    }
}

/// `describe()` of numeric values (NaN is missing).
pub fn describe_numeric(name: &str, values: &[f64], integer: bool) -> NumericSummary {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = mean(&v);
    NumericSummary {
        name: name.to_string(),
        count: n,
        mean: m,
        std: std_dev(&v, m, 1),
        min: v.first().copied().unwrap_or(f64::NAN),
        q1: quantile_sorted(&v, 0.25),
        median: quantile_sorted(&v, 0.5),
        q3: quantile_sorted(&v, 0.75),
        max: v.last().copied().unwrap_or(f64::NAN),
        integer,
    }
}

fn describe_categorical(c: &Column) -> CategoricalSummary {
    let ColumnData::Categorical { levels, codes, .. } = &c.data else {
        unreachable!("describe_categorical is only called for categorical columns")
    };
    let mut counts = vec![0usize; levels.len()];
    for &code in codes {
        if code != MISSING_CODE {
            counts[code as usize] += 1;
        }
    }
    // Levels are in order of first appearance, so the first maximum is the earliest value.
    let mut top: Option<usize> = None;
    for (i, &n) in counts.iter().enumerate() {
        if n > 0 && top.is_none_or(|t| n > counts[t]) {
            top = Some(i);
        }
    }
    CategoricalSummary {
        name: c.name.clone(),
        count: counts.iter().sum(),
        unique: counts.iter().filter(|&&n| n > 0).count(),
        top: top.map(|t| levels[t].clone()),
        freq: top.map(|t| counts[t]).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_linearly() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.25), 1.75);
        assert_eq!(quantile_sorted(&v, 0.5), 2.5);
        assert_eq!(quantile_sorted(&v, 0.75), 3.25);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn std_uses_ddof_one() {
        let s = describe_numeric(
            "x",
            &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, f64::NAN],
            true,
        );
        assert_eq!(s.count, 8);
        assert_eq!(s.mean, 5.0);
        assert!((s.std - (32.0f64 / 7.0).sqrt()).abs() < 1e-15);
        assert_eq!(s.min, 2.0);
        assert_eq!(s.max, 9.0);
        assert!(describe_numeric("one", &[3.0], true).std.is_nan());
    }

    #[test]
    fn top_ties_go_to_the_first_seen_value() {
        let c = Column::categorical("c", &[Some("b"), Some("a"), Some("a"), Some("b"), None]);
        let s = describe_categorical(&c);
        assert_eq!(s.count, 4);
        assert_eq!(s.unique, 2);
        assert_eq!(s.top.as_deref(), Some("b"));
        assert_eq!(s.freq, 2);
    }

    #[test]
    fn all_missing_numeric_column_has_nan_statistics() {
        let s = describe_numeric("x", &[f64::NAN, f64::NAN], false);
        assert_eq!(s.count, 0);
        assert!(s.mean.is_nan() && s.min.is_nan() && s.median.is_nan());
    }
}
