//! Preprocessing fitted on training rows only and applied unchanged to test rows, as
//! scikit-learn's `SimpleImputer`, `StandardScaler`, `MinMaxScaler`, `OrdinalEncoder` and
//! `OneHotEncoder` do. Settings (`PreprocessConfig`) and the fitted result (`Preprocessor`) are
//! different types, so an unfitted preprocessor cannot be used.

use serde::{Deserialize, Serialize};

use crate::engine::data::table::{ColumnData, Table, MISSING_CODE};
use crate::engine::error::{Error, Result};
use crate::engine::stats::moments::quantile_sorted;

/// How to fill missing numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NumericImpute {
    #[default]
    Median,
    Mean,
    MostFrequent,
    Constant,
}

/// How to scale numbers after imputation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// (x − mean) / std with ddof 0; a constant column is only centred.
    #[default]
    Standard,
    /// (x − min) / (max − min); a constant column is only shifted.
    MinMax,
    None,
}

/// How to fill missing categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CategoricalImpute {
    /// The most frequent value; among ties the smallest, as scikit-learn.
    #[default]
    MostFrequent,
    Constant,
}

/// How to turn categories into numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Encode {
    /// Codes 1..k in code-point order, unknown → 0 (the workshop's ordinal codes + 1).
    #[default]
    Ordinal,
    /// One column per training category; unknown categories are all zeros.
    Onehot,
}

/// Numeric column settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NumericConfig {
    #[serde(default)]
    pub impute: NumericImpute,
    #[serde(default)]
    pub fill_value: Option<f64>,
    #[serde(default)]
    pub scale: Scale,
}

/// Categorical column settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CategoricalConfig {
    #[serde(default)]
    pub impute: CategoricalImpute,
    #[serde(default)]
    pub fill_value: Option<String>,
    #[serde(default)]
    pub encode: Encode,
}

/// A number derived from a date column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePart {
    Year,
    /// 1–12.
    Month,
    /// Monday 0 … Sunday 6, as pandas' `dayofweek`.
    Dayofweek,
    /// Whole days since the earliest training date.
    Days,
}

impl DatePart {
    /// Every part, in output order.
    pub const ALL: [DatePart; 4] = [
        DatePart::Year,
        DatePart::Month,
        DatePart::Dayofweek,
        DatePart::Days,
    ];

    /// The suffix of the output column (`date_year`, …).
    pub fn name(self) -> &'static str {
        match self {
            DatePart::Year => "year",
            DatePart::Month => "month",
            DatePart::Dayofweek => "dayofweek",
            DatePart::Days => "days",
        }
    }

    /// This part of a date (seconds since 1970-01-01), `origin` being the day number of the
    /// earliest training date; NaN when the date is missing.
    pub fn of(self, secs: f64, origin: f64) -> f64 {
        match crate::engine::data::reader::date_parts(secs) {
            None => f64::NAN,
            Some((y, m, w, d)) => match self {
                DatePart::Year => y,
                DatePart::Month => m,
                DatePart::Dayofweek => w,
                DatePart::Days => d - origin,
            },
        }
    }
}

/// The date parts derived by default: all of them.
pub fn default_date_parts() -> Vec<DatePart> {
    DatePart::ALL.to_vec()
}

/// Everything to fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreprocessConfig {
    pub target: String,
    pub exclude: Vec<String>,
    pub numeric: NumericConfig,
    pub categorical: CategoricalConfig,
    /// Standardise the target too (predictions are transformed back).
    pub target_standard: bool,
    /// The numbers derived from each date column (none: date columns are left out). Each is
    /// imputed and scaled as the numeric settings say.
    #[serde(default = "default_date_parts")]
    pub date_parts: Vec<DatePart>,
}

/// One fitted number derived from a date column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatePartFit {
    pub part: DatePart,
    pub fill: f64,
    pub offset: f64,
    pub scale: f64,
}

/// One fitted input column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Feature {
    Numeric {
        column: String,
        fill: f64,
        offset: f64,
        scale: f64,
    },
    Ordinal {
        column: String,
        fill: String,
        categories: Vec<String>,
    },
    OneHot {
        column: String,
        fill: String,
        categories: Vec<String>,
    },
    /// Numbers derived from a date column; `origin` is the day number (days since 1970-01-01)
    /// of the earliest training date.
    Date {
        column: String,
        origin: f64,
        parts: Vec<DatePartFit>,
    },
}

/// The fitted preprocessing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preprocessor {
    pub target: String,
    pub features: Vec<Feature>,
    /// Names of the output columns, in order.
    pub output_names: Vec<String>,
    /// (mean, std) of the training target when it is standardised.
    pub target_scaler: Option<(f64, f64)>,
}

impl PreprocessConfig {
    /// Fit on the training `rows` of `table`.
    pub fn fit(&self, table: &Table, rows: &[usize]) -> Result<Preprocessor> {
        let target = table
            .column(&self.target)
            .ok_or_else(|| Error::NoSuchColumn {
                name: self.target.clone(),
            })?;
        for name in &self.exclude {
            if table.column(name).is_none() {
                return Err(Error::NoSuchColumn { name: name.clone() });
            }
        }
        let mut numeric = Vec::new();
        let mut categorical = Vec::new();
        for c in table.columns() {
            if c.name == self.target || self.exclude.contains(&c.name) {
                continue;
            }
            match &c.data {
                ColumnData::Numeric { values, .. } => {
                    let train: Vec<f64> = rows.iter().map(|&r| values[r]).collect();
                    // A column with no training value at all is left out, as scikit-learn does.
                    let Some((fill, offset, scale)) = self.fit_number(&train) else {
                        continue;
                    };
                    numeric.push(Feature::Numeric {
                        column: c.name.clone(),
                        fill,
                        offset,
                        scale,
                    });
                }
                ColumnData::Date { values, .. } => {
                    let origin = rows
                        .iter()
                        .map(|&r| (values[r] / 86_400.0).floor())
                        .filter(|d| !d.is_nan())
                        .fold(f64::INFINITY, f64::min);
                    if !origin.is_finite() || self.date_parts.is_empty() {
                        continue;
                    }
                    let parts = self
                        .date_parts
                        .iter()
                        .filter_map(|&part| {
                            let train: Vec<f64> =
                                rows.iter().map(|&r| part.of(values[r], origin)).collect();
                            let (fill, offset, scale) = self.fit_number(&train)?;
                            Some(DatePartFit {
                                part,
                                fill,
                                offset,
                                scale,
                            })
                        })
                        .collect();
                    numeric.push(Feature::Date {
                        column: c.name.clone(),
                        origin,
                        parts,
                    });
                }
                ColumnData::Categorical { levels, codes, .. } => {
                    let mut counts = vec![0usize; levels.len()];
                    for &r in rows {
                        if codes[r] != MISSING_CODE {
                            counts[codes[r] as usize] += 1;
                        }
                    }
                    let fill = match self.categorical.impute {
                        CategoricalImpute::MostFrequent => {
                            // Highest count; among ties the smallest value.
                            let best =
                                (0..levels.len())
                                    .filter(|&i| counts[i] > 0)
                                    .max_by(|&a, &b| {
                                        counts[a]
                                            .cmp(&counts[b])
                                            .then_with(|| levels[b].cmp(&levels[a]))
                                    });
                            match best {
                                Some(i) => levels[i].clone(),
                                None => continue,
                            }
                        }
                        CategoricalImpute::Constant => self
                            .categorical
                            .fill_value
                            .clone()
                            .unwrap_or_else(|| "missing_value".into()),
                    };
                    let mut categories: Vec<String> = (0..levels.len())
                        .filter(|&i| counts[i] > 0)
                        .map(|i| levels[i].clone())
                        .collect();
                    let any_missing = rows.iter().any(|&r| codes[r] == MISSING_CODE);
                    if any_missing && !categories.contains(&fill) {
                        categories.push(fill.clone());
                    }
                    categories.sort();
                    categorical.push(match self.categorical.encode {
                        Encode::Ordinal => Feature::Ordinal {
                            column: c.name.clone(),
                            fill,
                            categories,
                        },
                        Encode::Onehot => Feature::OneHot {
                            column: c.name.clone(),
                            fill,
                            categories,
                        },
                    });
                }
            }
        }
        // The workshop notebook's column order: numeric columns in file order, then the
        // categorical ones sorted by name (code-point order), each one-hot column block in
        // category order. The notebook and the PySpark program build the same order, so that
        // coordinate descent visits the coefficients in the same sequence as scikit-learn.
        categorical.sort_by(|a, b| a.column().cmp(b.column()));
        let mut features = numeric;
        features.extend(categorical);
        let output_names = features
            .iter()
            .flat_map(|f| match f {
                Feature::Numeric { column, .. } | Feature::Ordinal { column, .. } => {
                    vec![column.clone()]
                }
                Feature::OneHot {
                    column, categories, ..
                } => categories.iter().map(|c| format!("{column}_{c}")).collect(),
                Feature::Date { column, parts, .. } => parts
                    .iter()
                    .map(|p| format!("{column}_{}", p.part.name()))
                    .collect(),
            })
            .collect();
        let target_scaler = if self.target_standard {
            match &target.data {
                ColumnData::Numeric { values, .. } => {
                    let y: Vec<f64> = rows.iter().map(|&r| values[r]).collect();
                    let n = y.len() as f64;
                    let mean = y.iter().sum::<f64>() / n;
                    let sd = (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
                    Some((mean, if sd == 0.0 { 1.0 } else { sd }))
                }
                ColumnData::Categorical { .. } | ColumnData::Date { .. } => None,
            }
        } else {
            None
        };
        Ok(Preprocessor {
            target: self.target.clone(),
            features,
            output_names,
            target_scaler,
        })
    }
}

impl PreprocessConfig {
    /// Imputation value, offset and scale of one numeric input (NaN is missing) as the numeric
    /// settings say; None when no training value is present.
    fn fit_number(&self, train: &[f64]) -> Option<(f64, f64, f64)> {
        let present: Vec<f64> = train.iter().copied().filter(|v| !v.is_nan()).collect();
        let fill = match self.numeric.impute {
            NumericImpute::Median => {
                let mut s = present.clone();
                s.sort_by(f64::total_cmp);
                quantile_sorted(&s, 0.5)
            }
            NumericImpute::Mean => present.iter().sum::<f64>() / present.len() as f64,
            NumericImpute::MostFrequent => most_frequent_number(&present),
            NumericImpute::Constant => self.numeric.fill_value.unwrap_or(0.0),
        };
        if !fill.is_finite() {
            return None;
        }
        let filled: Vec<f64> = train
            .iter()
            .map(|&v| if v.is_nan() { fill } else { v })
            .collect();
        let (offset, scale) = match self.numeric.scale {
            Scale::Standard => {
                let n = filled.len() as f64;
                let mean = filled.iter().sum::<f64>() / n;
                let var = filled.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
                let sd = var.sqrt();
                (mean, if sd == 0.0 { 1.0 } else { sd })
            }
            Scale::MinMax => {
                let lo = filled.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = filled.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (lo, if hi > lo { hi - lo } else { 1.0 })
            }
            Scale::None => (0.0, 1.0),
        };
        Some((fill, offset, scale))
    }
}

impl Feature {
    /// The input column this feature reads.
    pub fn column(&self) -> &str {
        match self {
            Feature::Numeric { column, .. }
            | Feature::Ordinal { column, .. }
            | Feature::OneHot { column, .. }
            | Feature::Date { column, .. } => column,
        }
    }

    /// How many output columns this feature makes.
    pub fn width(&self) -> usize {
        match self {
            Feature::Numeric { .. } | Feature::Ordinal { .. } => 1,
            Feature::OneHot { categories, .. } => categories.len(),
            Feature::Date { parts, .. } => parts.len(),
        }
    }
}

fn most_frequent_number(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let (mut best, mut best_n) = (f64::NAN, 0);
    let mut i = 0;
    while i < s.len() {
        let mut j = i;
        while j < s.len() && s[j] == s[i] {
            j += 1;
        }
        // Ascending order keeps the smallest value among ties.
        if j - i > best_n {
            best_n = j - i;
            best = s[i];
        }
        i = j;
    }
    best
}

impl Preprocessor {
    /// Transform `rows` of `table` into a row-major feature matrix.
    pub fn transform(&self, table: &Table, rows: &[usize]) -> Result<Vec<Vec<f64>>> {
        let width = self.output_names.len();
        let mut out = vec![Vec::with_capacity(width); rows.len()];
        for f in &self.features {
            let name = f.column();
            let col = table.column(name).ok_or_else(|| Error::NoSuchColumn {
                name: name.to_string(),
            })?;
            match (f, &col.data) {
                (
                    Feature::Numeric {
                        fill,
                        offset,
                        scale,
                        ..
                    },
                    ColumnData::Numeric { values, .. },
                ) => {
                    for (o, &r) in out.iter_mut().zip(rows) {
                        let v = if values[r].is_nan() { *fill } else { values[r] };
                        o.push((v - offset) / scale);
                    }
                }
                (
                    Feature::Ordinal {
                        fill, categories, ..
                    },
                    _,
                ) => {
                    for (o, &r) in out.iter_mut().zip(rows) {
                        let v = text_at(col, r).unwrap_or_else(|| fill.clone());
                        o.push(
                            categories
                                .binary_search(&v)
                                .map(|i| i as f64 + 1.0)
                                .unwrap_or(0.0),
                        );
                    }
                }
                (
                    Feature::OneHot {
                        fill, categories, ..
                    },
                    _,
                ) => {
                    for (o, &r) in out.iter_mut().zip(rows) {
                        let v = text_at(col, r).unwrap_or_else(|| fill.clone());
                        let hit = categories.binary_search(&v).ok();
                        o.extend(
                            (0..categories.len()).map(|i| if Some(i) == hit { 1.0 } else { 0.0 }),
                        );
                    }
                }
                (Feature::Date { origin, parts, .. }, ColumnData::Date { values, .. }) => {
                    for (o, &r) in out.iter_mut().zip(rows) {
                        for p in parts {
                            let v = p.part.of(values[r], *origin);
                            let v = if v.is_nan() { p.fill } else { v };
                            o.push((v - p.offset) / p.scale);
                        }
                    }
                }
                (
                    Feature::Numeric { .. } | Feature::Date { .. },
                    ColumnData::Categorical { .. }
                    | ColumnData::Date { .. }
                    | ColumnData::Numeric { .. },
                ) => {
                    return Err(Error::ColumnKindChanged {
                        column: name.to_string(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The input columns this preprocessing reads, one per feature, in feature order.
    pub fn input_columns(&self) -> Vec<&str> {
        self.features.iter().map(Feature::column).collect()
    }

    /// The target values of `rows`, standardised if fitted so.
    pub fn target_values(&self, table: &Table, rows: &[usize]) -> Result<Vec<f64>> {
        let col = table
            .column(&self.target)
            .ok_or_else(|| Error::NoSuchColumn {
                name: self.target.clone(),
            })?;
        match &col.data {
            ColumnData::Numeric { values, .. } => Ok(rows
                .iter()
                .map(|&r| match self.target_scaler {
                    Some((m, s)) => (values[r] - m) / s,
                    None => values[r],
                })
                .collect()),
            ColumnData::Categorical { .. } | ColumnData::Date { .. } => {
                Err(Error::TargetNotNumeric {
                    target: self.target.clone(),
                })
            }
        }
    }

    /// Undo the target scaling of predictions.
    pub fn inverse_target(&self, y: &[f64]) -> Vec<f64> {
        match self.target_scaler {
            Some((m, s)) => y.iter().map(|v| v * s + m).collect(),
            None => y.to_vec(),
        }
    }
}

/// A categorical or numeric cell as text (None when missing).
fn text_at(col: &crate::engine::data::table::Column, r: usize) -> Option<String> {
    if col.is_missing(r) {
        None
    } else {
        match &col.data {
            ColumnData::Categorical { levels, codes, .. } => {
                Some(levels[codes[r] as usize].clone())
            }
            ColumnData::Numeric { .. } | ColumnData::Date { .. } => Some(col.display(r)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{load, LoadOptions};

    fn table(csv: &str) -> Table {
        load(csv.as_bytes(), &LoadOptions::default()).unwrap().table
    }

    fn cfg() -> PreprocessConfig {
        PreprocessConfig {
            target: "y".into(),
            exclude: vec![],
            numeric: NumericConfig::default(),
            categorical: CategoricalConfig::default(),
            target_standard: true,
            date_parts: default_date_parts(),
        }
    }

    #[test]
    fn statistics_come_from_training_rows_only() {
        let t = table("x,c,y\n1,a,10\n?,b,20\n3,b,30\n1000,zzz,40\n");
        let p = cfg().fit(&t, &[0, 1, 2]).unwrap();
        match &p.features[0] {
            Feature::Numeric {
                fill,
                offset,
                scale,
                ..
            } => {
                assert_eq!(*fill, 2.0); // median of 1 and 3
                assert_eq!(*offset, 2.0); // mean of 1, 2 (filled), 3
                assert!((scale - (2.0f64 / 3.0).sqrt()).abs() < 1e-12); // ddof 0
            }
            f => panic!("{f:?}"),
        }
        // The test row's unseen category becomes 0; known ones 1..k in sorted order.
        let x = p.transform(&t, &[0, 3]).unwrap();
        assert_eq!(x[0][1], 1.0);
        assert_eq!(x[1][1], 0.0);
        let (m, s) = p.target_scaler.unwrap();
        assert_eq!(m, 20.0);
        let y = p.target_values(&t, &[0]).unwrap();
        assert!((p.inverse_target(&y)[0] - 10.0).abs() < 1e-12);
        assert!(s > 0.0);
    }

    #[test]
    fn most_frequent_ties_go_to_the_smallest_value() {
        let t = table("c,y\nb,1\na,2\nb,3\na,4\n?,5\n");
        let p = cfg().fit(&t, &[0, 1, 2, 3, 4]).unwrap();
        match &p.features[0] {
            Feature::Ordinal {
                fill, categories, ..
            } => {
                assert_eq!(fill, "a");
                assert_eq!(categories, &["a", "b"]);
            }
            f => panic!("{f:?}"),
        }
        assert_eq!(most_frequent_number(&[3.0, 1.0, 3.0, 1.0]), 1.0);
    }

    #[test]
    fn one_hot_ignores_unknown_categories() {
        let t = table("c,y\nb,1\na,2\nq,3\n");
        let mut c = cfg();
        c.categorical.encode = Encode::Onehot;
        let p = c.fit(&t, &[0, 1]).unwrap();
        assert_eq!(p.output_names, ["c_a", "c_b"]);
        let x = p.transform(&t, &[0, 2]).unwrap();
        assert_eq!(x[0], [0.0, 1.0]);
        assert_eq!(x[1], [0.0, 0.0]);
    }

    #[test]
    fn numbers_come_first_in_file_order_then_categories_sorted_by_name() {
        let t = table("zone,b,Alley,a,mid,y\nq,1,x,2,m,3\np,4,w,5,n,6\n");
        let p = cfg().fit(&t, &[0, 1]).unwrap();
        assert_eq!(p.output_names, ["b", "a", "Alley", "mid", "zone"]);
        let x = p.transform(&t, &[0]).unwrap();
        // b and a standardised; Alley x (2nd of w, x), mid m (1st), zone q (2nd of p, q).
        assert_eq!(x[0], [-1.0, -1.0, 2.0, 1.0, 2.0]);
        let mut c = cfg();
        c.categorical.encode = Encode::Onehot;
        let p = c.fit(&t, &[0, 1]).unwrap();
        assert_eq!(
            p.output_names,
            ["b", "a", "Alley_w", "Alley_x", "mid_m", "mid_n", "zone_p", "zone_q"]
        );
        let x = p.transform(&t, &[0]).unwrap();
        assert_eq!(x[0], [-1.0, -1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn exclusions_and_unknown_columns() {
        let t = table("a,b,y\n1,2,3\n4,5,6\n");
        let mut c = cfg();
        c.exclude = vec!["a".into()];
        let p = c.fit(&t, &[0, 1]).unwrap();
        assert_eq!(p.output_names, ["b"]);
        c.exclude = vec!["nope".into()];
        assert_eq!(
            c.fit(&t, &[0]).unwrap_err(),
            Error::NoSuchColumn {
                name: "nope".into()
            }
        );
    }
}
