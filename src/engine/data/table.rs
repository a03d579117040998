//! The in-memory data table: named, typed columns of equal length, with missing values.

use serde::{Deserialize, Serialize};

/// Code that marks a missing value in a categorical column.
pub const MISSING_CODE: u32 = u32::MAX;

/// The kinds of column the workshop distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Numeric,
    Categorical,
    /// Dates or date-times: neither a measurement nor a category; preprocessing derives
    /// numbers from them (year, month, day of week, days since the earliest training date).
    Date,
}

/// A column's values. Numeric values use NaN for missing; categorical values are dictionary
/// codes into `levels` (in order of first appearance), with [`MISSING_CODE`] for missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ColumnData {
    Numeric {
        values: Vec<f64>,
        /// Every present value was written as an integer (no decimal point or exponent).
        integer: bool,
    },
    Categorical {
        levels: Vec<String>,
        codes: Vec<u32>,
        /// Most present values parse as numbers: probably a numeric column with stray text.
        numeric_like: bool,
    },
    Date {
        /// Seconds since 1970-01-01 00:00 (no time zone); NaN is missing.
        values: Vec<f64>,
        /// Some value was written with a time of day.
        time: bool,
    },
}

/// One named column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
}

impl Column {
    /// A numeric column; `integer` says whether to show its values without decimals.
    pub fn numeric(name: impl Into<String>, values: Vec<f64>, integer: bool) -> Self {
        Column {
            name: name.into(),
            data: ColumnData::Numeric { values, integer },
        }
    }

    /// A date column of seconds since 1970-01-01 (NaN missing); `time` when some value has a
    /// time of day.
    pub fn date(name: impl Into<String>, values: Vec<f64>, time: bool) -> Self {
        Column {
            name: name.into(),
            data: ColumnData::Date { values, time },
        }
    }

    /// A categorical column from optional strings (None is missing).
    pub fn categorical<S: AsRef<str>>(name: impl Into<String>, values: &[Option<S>]) -> Self {
        let mut levels: Vec<String> = Vec::new();
        let mut index = std::collections::HashMap::<String, u32>::new();
        let codes = values
            .iter()
            .map(|v| match v {
                None => MISSING_CODE,
                Some(s) => {
                    let s = s.as_ref();
                    if let Some(&c) = index.get(s) {
                        c
                    } else {
                        let c = levels.len() as u32;
                        levels.push(s.to_string());
                        index.insert(s.to_string(), c);
                        c
                    }
                }
            })
            .collect();
        Column {
            name: name.into(),
            data: ColumnData::Categorical {
                levels,
                codes,
                numeric_like: false,
            },
        }
    }

    /// Numeric, categorical or date.
    pub fn kind(&self) -> Kind {
        match self.data {
            ColumnData::Numeric { .. } => Kind::Numeric,
            ColumnData::Categorical { .. } => Kind::Categorical,
            ColumnData::Date { .. } => Kind::Date,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => values.len(),
            ColumnData::Categorical { codes, .. } => codes.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `i` is missing.
    pub fn is_missing(&self, i: usize) -> bool {
        match &self.data {
            ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => {
                values[i].is_nan()
            }
            ColumnData::Categorical { codes, .. } => codes[i] == MISSING_CODE,
        }
    }

    /// Count of present (non-missing) values, as pandas' `count()`.
    pub fn non_null(&self) -> usize {
        match &self.data {
            ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => {
                values.iter().filter(|v| !v.is_nan()).count()
            }
            ColumnData::Categorical { codes, .. } => {
                codes.iter().filter(|&&c| c != MISSING_CODE).count()
            }
        }
    }

    /// Count of distinct present values, as pandas' `nunique()`.
    pub fn unique(&self) -> usize {
        match &self.data {
            ColumnData::Numeric { values, .. } | ColumnData::Date { values, .. } => {
                let mut bits: Vec<u64> = values
                    .iter()
                    .filter(|v| !v.is_nan())
                    // +0.0 and -0.0 are one value, as in pandas.
                    .map(|v| if *v == 0.0 { 0u64 } else { v.to_bits() })
                    .collect();
                bits.sort_unstable();
                bits.dedup();
                bits.len()
            }
            ColumnData::Categorical { levels, codes, .. } => {
                let mut seen = vec![false; levels.len()];
                for &c in codes {
                    if c != MISSING_CODE {
                        seen[c as usize] = true;
                    }
                }
                seen.iter().filter(|s| **s).count()
            }
        }
    }

    /// The value of row `i` as display text ("" when missing).
    pub fn display(&self, i: usize) -> String {
        match &self.data {
            ColumnData::Numeric { values, integer } => format_number(values[i], *integer),
            ColumnData::Date { values, time } => {
                crate::engine::data::reader::format_date(values[i], *time)
            }
            ColumnData::Categorical { levels, codes, .. } => match codes[i] {
                MISSING_CODE => String::new(),
                c => levels[c as usize].clone(),
            },
        }
    }

    /// pandas' dtype name for this column as `read_csv` would type it.
    pub fn pandas_dtype(&self) -> &'static str {
        match &self.data {
            ColumnData::Numeric { integer: true, .. } if self.non_null() == self.len() => "int64",
            ColumnData::Numeric { .. } => "float64",
            ColumnData::Categorical { .. } => "object",
            ColumnData::Date { .. } => "datetime64[ns]",
        }
    }
}

/// Format a number for display: integers without decimals, others with up to 6 significant
/// decimals and no trailing zeros; NaN as empty.
pub fn format_number(v: f64, integer: bool) -> String {
    if v.is_nan() {
        return String::new();
    }
    if integer && v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e15).contains(&a) {
        return format!("{v:.6e}");
    }
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// A table of equally long columns with unique names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Table {
    columns: Vec<Column>,
    rows: usize,
}

impl Table {
    /// Build a table; columns must all have the same length and unique names.
    pub fn new(columns: Vec<Column>) -> Result<Self, String> {
        let rows = columns.first().map(Column::len).unwrap_or(0);
        if let Some(c) = columns.iter().find(|c| c.len() != rows) {
            return Err(format!(
                "column '{}' has {} rows, expected {rows}",
                c.name,
                c.len()
            ));
        }
        let mut names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(format!("column name '{}' appears twice", w[0]));
        }
        Ok(Table { columns, rows })
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn n_cols(&self) -> usize {
        self.columns.len()
    }

    /// All columns in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The column with this name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Position of the column with this name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_display_without_decimals() {
        assert_eq!(format_number(1460.0, true), "1460");
        assert_eq!(format_number(0.5, false), "0.5");
        assert_eq!(format_number(2.0, false), "2");
        assert_eq!(format_number(f64::NAN, false), "");
        assert_eq!(format_number(1.5e-7, false), "1.500000e-7");
    }

    #[test]
    fn unique_ignores_missing_and_sign_of_zero() {
        let c = Column::numeric("x", vec![0.0, -0.0, 1.0, f64::NAN, 1.0], true);
        assert_eq!(c.unique(), 2);
        assert_eq!(c.non_null(), 4);
        assert_eq!(c.pandas_dtype(), "float64");
    }

    #[test]
    fn categorical_codes_follow_first_appearance() {
        let c = Column::categorical("c", &[Some("b"), None, Some("a"), Some("b")]);
        match &c.data {
            ColumnData::Categorical { levels, codes, .. } => {
                assert_eq!(levels, &["b", "a"]);
                assert_eq!(codes, &[0, MISSING_CODE, 1, 0]);
            }
            _ => panic!("expected categorical"),
        }
        assert_eq!(c.unique(), 2);
        assert_eq!(c.display(1), "");
    }

    #[test]
    fn table_rejects_ragged_and_duplicate_columns() {
        let a = Column::numeric("a", vec![1.0], true);
        let b = Column::numeric("b", vec![1.0, 2.0], true);
        assert!(Table::new(vec![a.clone(), b]).is_err());
        assert!(Table::new(vec![a.clone(), a]).is_err());
    }
}
