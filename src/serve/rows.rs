//! Request bodies parsed straight into the model's input columns. A visitor reads the JSON
//! text once and keeps, per input column, a number or a label per row; keys the model does not
//! use are skipped unread. Nothing builds a tree of JSON values, so a body of a million tiny
//! objects costs what its rows cost, not ~100 bytes per byte of text.
//!
//! Two sets of rules:
//! - `POST /predict` (strict, as before): rows are objects, and every row names every input
//!   column (`null` is a missing value).
//! - `POST /invocations` (MLflow's scoring protocol, read as pandas reads a DataFrame): a
//!   column a row leaves out is missing in that row, and a column no row has is an error naming
//!   every such column, the rule `mlplay predict` applies to a CSV file.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::engine::data::reader::parse_number;
use crate::engine::data::table::{format_number, Column, Table};
use crate::engine::error::{Error, RowProblem};
use crate::engine::model_file::ModelFile;

/// The input formats MLflow's scoring server accepts in a JSON body.
pub const MLFLOW_FORMATS: [&str; 4] = [
    "dataframe_split",
    "dataframe_records",
    "instances",
    "inputs",
];

/// Why a body could not be read into rows.
#[derive(Debug)]
pub enum BodyError {
    /// Not JSON at all (the parser's own message).
    Syntax(String),
    /// JSON of the wrong shape, or a row the model cannot read.
    Shape(String),
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Syntax(e) => write!(f, "body is not JSON: {e}"),
            BodyError::Shape(m) => f.write_str(m),
        }
    }
}

/// The model's input columns being filled row by row.
struct Columns<'m> {
    names: Vec<&'m str>,
    numeric: Vec<bool>,
    lookup: HashMap<&'m str, usize>,
    numbers: Vec<Vec<f64>>,
    texts: Vec<Vec<Option<String>>>,
    /// Whether any row named the column (the lenient rules' missing-column check).
    seen: Vec<bool>,
    rows: usize,
    strict: bool,
    /// The reason the parse stopped, when it was ours rather than the JSON parser's.
    problem: RefCell<Option<String>>,
    /// The row being read: a value per column and whether the row named it.
    row: Vec<Cell>,
    named: Vec<bool>,
}

/// Visitor methods that refuse every JSON scalar with the type's own `refuse` error.
macro_rules! refuse_scalars {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(self.refuse())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self.refuse())
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self.refuse())
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self.refuse())
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.refuse())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Err(self.refuse())
        }
    };
}

/// One value of the row being read, already in its column's kind.
#[derive(Clone)]
enum Cell {
    Number(f64),
    Text(Option<String>),
}

impl<'m> Columns<'m> {
    fn new(model: &'m ModelFile, strict: bool) -> Self {
        let names = model.input_columns();
        let numeric: Vec<bool> = names.iter().map(|c| model.is_numeric_input(c)).collect();
        let lookup = names.iter().enumerate().map(|(i, c)| (*c, i)).collect();
        let n = names.len();
        Columns {
            row: numeric
                .iter()
                .map(|&num| {
                    if num {
                        Cell::Number(f64::NAN)
                    } else {
                        Cell::Text(None)
                    }
                })
                .collect(),
            named: vec![false; n],
            numbers: vec![Vec::new(); n],
            texts: vec![Vec::new(); n],
            seen: vec![false; n],
            names,
            numeric,
            lookup,
            rows: 0,
            strict,
            problem: RefCell::new(None),
        }
    }

    /// Stop the parse with `message` (the caller's serde error is only a carrier).
    fn fail<E: de::Error, M: Into<String>>(&self, message: M) -> E {
        let mut p = self.problem.borrow_mut();
        if p.is_none() {
            *p = Some(message.into());
        }
        E::custom("stopped")
    }

    fn row_problem<E: de::Error>(&self, row: usize, problem: RowProblem) -> E {
        self.fail(
            Error::BadRow {
                row: row as u64,
                problem,
            }
            .to_string(),
        )
    }

    /// Finish the row being read: check it (strict rules) and append it to the columns.
    fn end_row<E: de::Error>(&mut self) -> Result<(), E> {
        for c in 0..self.names.len() {
            if self.named[c] {
                self.seen[c] = true;
            } else if self.strict {
                return Err(self.row_problem(
                    self.rows,
                    RowProblem::NoValue {
                        column: self.names[c].to_string(),
                    },
                ));
            }
            let missing = if self.numeric[c] {
                Cell::Number(f64::NAN)
            } else {
                Cell::Text(None)
            };
            let cell = if self.named[c] {
                std::mem::replace(&mut self.row[c], missing)
            } else {
                missing
            };
            match cell {
                Cell::Number(x) => self.numbers[c].push(x),
                Cell::Text(t) => self.texts[c].push(t),
            }
            self.named[c] = false;
        }
        self.rows += 1;
        Ok(())
    }

    /// The table of the rows read, or the columns no row had (lenient rules).
    fn into_table(mut self) -> Result<Table, BodyError> {
        if self.rows == 0 {
            return Err(BodyError::Shape("no rows to score".into()));
        }
        let missing: Vec<String> = (0..self.names.len())
            .filter(|&c| !self.seen[c])
            .map(|c| self.names[c].to_string())
            .collect();
        if !missing.is_empty() {
            return Err(BodyError::Shape(
                Error::MissingInputColumns { columns: missing }.to_string(),
            ));
        }
        let mut out = Vec::with_capacity(self.names.len());
        for (c, name) in self.names.iter().enumerate() {
            out.push(if self.numeric[c] {
                Column::numeric(*name, std::mem::take(&mut self.numbers[c]), false)
            } else {
                Column::categorical(*name, &self.texts[c])
            });
        }
        if out.is_empty() {
            // A model without inputs still scores one row per object.
            out.push(Column::numeric("", vec![0.0; self.rows], false));
        }
        Table::new(out).map_err(|detail| BodyError::Shape(Error::Internal { detail }.to_string()))
    }
}

/// A JSON value read as the value of `column` in `row`: a number for a numeric column (numeric
/// text too; `null` or blank text is missing), a label for a categorical one (numbers written
/// as the table writes them, booleans as True/False; `null` or "" is missing).
struct CellSeed<'a, 'm> {
    cols: &'a Columns<'m>,
    column: usize,
    row: usize,
}

impl<'de> DeserializeSeed<'de> for CellSeed<'_, '_> {
    type Value = Cell;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cell, D::Error> {
        d.deserialize_any(self)
    }
}

impl CellSeed<'_, '_> {
    fn wrong<E: de::Error>(&self) -> E {
        let column = self.cols.names[self.column].to_string();
        let problem = if self.cols.numeric[self.column] {
            RowProblem::ExpectedNumber { column }
        } else {
            RowProblem::ExpectedText { column }
        };
        self.cols.row_problem(self.row, problem)
    }

    fn number<E: de::Error>(&self, x: f64) -> Result<Cell, E> {
        Ok(if self.cols.numeric[self.column] {
            Cell::Number(x)
        } else {
            Cell::Text(Some(format_number(x, x.fract() == 0.0)))
        })
    }
}

impl<'de> Visitor<'de> for CellSeed<'_, '_> {
    type Value = Cell;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, text or null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(if self.cols.numeric[self.column] {
            Cell::Number(f64::NAN)
        } else {
            Cell::Text(None)
        })
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        self.visit_unit()
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Cell, E> {
        if self.cols.numeric[self.column] {
            return Err(self.wrong());
        }
        Ok(Cell::Text(Some(if b { "True" } else { "False" }.into())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        self.number(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        self.number(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        self.number(v)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Cell, E> {
        if self.cols.numeric[self.column] {
            match parse_number(s) {
                Some((x, _)) => Ok(Cell::Number(x)),
                None if s.trim().is_empty() => Ok(Cell::Number(f64::NAN)),
                None => Err(self.wrong()),
            }
        } else if s.is_empty() {
            Ok(Cell::Text(None))
        } else {
            Ok(Cell::Text(Some(s.to_string())))
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Cell, A::Error> {
        Err(self.wrong())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Cell, A::Error> {
        Err(self.wrong())
    }
}

/// A key of a row object: the index of the input column it names, if any (read without
/// allocating when the key has no escapes).
struct KeySeed<'a, 'm>(&'a Columns<'m>);

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Option<usize>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Option<usize>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a column name")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<usize>, E> {
        Ok(self.0.lookup.get(s).copied())
    }
}

/// One row: an object of column → value (records), or, with `split` set, an array of values
/// in the order of `split` (an input column index per position, `None` for columns the model
/// does not use).
struct RowSeed<'a, 'm> {
    cols: &'a mut Columns<'m>,
    split: Option<&'a [Option<usize>]>,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl RowSeed<'_, '_> {
    fn not_a_row<E: de::Error>(&self) -> E {
        match self.split {
            None => self.cols.row_problem(self.cols.rows, RowProblem::NotObject),
            Some(_) => self.cols.fail(format!(
                "dataframe_split: row {} of \"data\" is not an array of values",
                self.cols.rows
            )),
        }
    }
}

impl<'de> Visitor<'de> for RowSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        if self.split.is_some() {
            return Err(self.not_a_row());
        }
        let row = self.cols.rows;
        while let Some(key) = map.next_key_seed(KeySeed(self.cols))? {
            match key {
                Some(c) => {
                    let cell = map.next_value_seed(CellSeed {
                        cols: self.cols,
                        column: c,
                        row,
                    })?;
                    self.cols.row[c] = cell;
                    self.cols.named[c] = true;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        self.cols.end_row()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some(split) = self.split else {
            return Err(self.not_a_row());
        };
        let row = self.cols.rows;
        let mut i = 0;
        loop {
            match split.get(i) {
                Some(Some(c)) => {
                    let Some(cell) = seq.next_element_seed(CellSeed {
                        cols: self.cols,
                        column: *c,
                        row,
                    })?
                    else {
                        break;
                    };
                    self.cols.row[*c] = cell;
                    self.cols.named[*c] = true;
                }
                Some(None) => {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        break;
                    }
                }
                None => {
                    if seq.next_element::<IgnoredAny>()?.is_some() {
                        return Err(self.cols.fail(format!(
                            "dataframe_split: row {row} of \"data\" has more values than \"columns\" names"
                        )));
                    }
                    break;
                }
            }
            i += 1;
        }
        if i != split.len() {
            return Err(self.cols.fail(format!(
                "dataframe_split: row {row} of \"data\" has {i} values for {} columns",
                split.len()
            )));
        }
        self.cols.end_row()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(self.not_a_row())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(self.not_a_row())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(self.not_a_row())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(self.not_a_row())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(self.not_a_row())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(self.not_a_row())
    }
}

/// An array of rows; anything else stops the parse with `shape` as the message.
struct RowsSeed<'a, 'm> {
    cols: &'a mut Columns<'m>,
    split: Option<&'a [Option<usize>]>,
    shape: &'a str,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl RowsSeed<'_, '_> {
    fn refuse<E: de::Error>(&self) -> E {
        self.cols.fail(self.shape)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(RowSeed {
                cols: &mut *self.cols,
                split: self.split,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.cols.fail(self.shape))
    }
    refuse_scalars!();
}

/// The body of `POST /predict`: `[row, …]` or `{"rows": [row, …]}`.
struct PredictBody<'a, 'm> {
    cols: &'a mut Columns<'m>,
    shape: &'a str,
}

impl<'de> DeserializeSeed<'de> for PredictBody<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl PredictBody<'_, '_> {
    fn refuse<E: de::Error>(&self) -> E {
        self.cols.fail(self.shape)
    }
}

impl<'de> Visitor<'de> for PredictBody<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.shape)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        RowsSeed {
            cols: self.cols,
            split: None,
            shape: self.shape,
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "rows" && !found {
                found = true;
                map.next_value_seed(RowsSeed {
                    cols: &mut *self.cols,
                    split: None,
                    shape: self.shape,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !found {
            return Err(self.cols.fail(self.shape));
        }
        Ok(())
    }
    refuse_scalars!();
}

/// Run `seed` over `body` and turn the filled columns into a table.
fn parse<'m, 'b, F>(body: &'b [u8], mut cols: Columns<'m>, seed: F) -> Result<Table, BodyError>
where
    F: FnOnce(
        &mut Columns<'m>,
        &mut serde_json::Deserializer<serde_json::de::SliceRead<'b>>,
    ) -> Result<(), serde_json::Error>,
{
    let mut de = serde_json::Deserializer::from_slice(body);
    let outcome = seed(&mut cols, &mut de).and_then(|()| de.end());
    if let Err(e) = outcome {
        return Err(match cols.problem.borrow_mut().take() {
            Some(message) => BodyError::Shape(message),
            None => BodyError::Syntax(e.to_string()),
        });
    }
    cols.into_table()
}

/// The table of a `POST /predict` body: `[{column: value, …}, …]` or `{"rows": [...]}`,
/// every row naming every input column.
pub fn predict_rows(model: &ModelFile, body: &[u8]) -> Result<Table, BodyError> {
    const SHAPE: &str = "expected an array of rows or {\"rows\": [...]}";
    parse(body, Columns::new(model, true), |cols, de| {
        PredictBody { cols, shape: SHAPE }.deserialize(de)
    })
}

/// The body of `POST /invocations` (application/json): exactly one of MLflow's input fields.
struct InvocationsBody<'a, 'm> {
    cols: &'a mut Columns<'m>,
}

const ONE_FORMAT: &str = "the input must be a JSON object with exactly one of the fields \
dataframe_split, dataframe_records, instances, inputs";

impl<'de> DeserializeSeed<'de> for InvocationsBody<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl InvocationsBody<'_, '_> {
    fn refuse<E: de::Error>(&self) -> E {
        self.cols.fail(ONE_FORMAT)
    }
}

impl<'de> Visitor<'de> for InvocationsBody<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(ONE_FORMAT)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut format: Option<String> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key: &str = &key;
            if !MLFLOW_FORMATS.contains(&key) {
                // `params` (and anything else) is not used by this model: skipped, as MLflow
                // skips parameters a model's predict does not take.
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if let Some(first) = &format {
                return Err(self
                    .cols
                    .fail(format!("{ONE_FORMAT}; received both {first} and {key}")));
            }
            format = Some(key.to_string());
            match key {
                "dataframe_split" => map.next_value_seed(SplitSeed {
                    cols: &mut *self.cols,
                })?,
                "dataframe_records" | "instances" => map.next_value_seed(RowsSeed {
                    cols: &mut *self.cols,
                    split: None,
                    shape: if key == "instances" {
                        "\"instances\" must be a list of records ({column: value})"
                    } else {
                        "\"dataframe_records\" must be a list of records ({column: value})"
                    },
                })?,
                _ => map.next_value_seed(InputsSeed {
                    cols: &mut *self.cols,
                })?,
            }
        }
        if format.is_none() {
            return Err(self.cols.fail(ONE_FORMAT));
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.cols.fail(format!("{ONE_FORMAT}; received a list")))
    }
    refuse_scalars!();
}

/// `{"columns": [...], "data": [[...], ...], "index": [...]}` (pandas' split orientation;
/// `index` is ignored). `columns` must come before `data`, as pandas and MLflow's client write
/// them.
struct SplitSeed<'a, 'm> {
    cols: &'a mut Columns<'m>,
}

const SPLIT_SHAPE: &str =
    "\"dataframe_split\" must be {\"columns\": [names], \"data\": [[values], ...]}";

impl<'de> DeserializeSeed<'de> for SplitSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl SplitSeed<'_, '_> {
    fn refuse<E: de::Error>(&self) -> E {
        self.cols.fail(SPLIT_SHAPE)
    }
}

impl<'de> Visitor<'de> for SplitSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(SPLIT_SHAPE)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut positions: Option<Vec<Option<usize>>> = None;
        let mut data = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "columns" => {
                    let names: Vec<String> = map
                        .next_value()
                        .map_err(|_| self.cols.fail::<A::Error, _>(SPLIT_SHAPE))?;
                    positions = Some(
                        names
                            .iter()
                            .map(|n| self.cols.lookup.get(n.as_str()).copied())
                            .collect(),
                    );
                }
                "data" => {
                    let Some(split) = positions.as_deref() else {
                        return Err(self
                            .cols
                            .fail("dataframe_split: \"columns\" must come before \"data\""));
                    };
                    data = true;
                    map.next_value_seed(RowsSeed {
                        cols: &mut *self.cols,
                        split: Some(split),
                        shape: SPLIT_SHAPE,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !data {
            return Err(self.cols.fail(SPLIT_SHAPE));
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(self.cols.fail(SPLIT_SHAPE))
    }
    refuse_scalars!();
}

/// `inputs`: TF Serving's columnar form `{column: [values]}` (the form MLflow documents for
/// a DataFrame under `inputs`), or a list of records like `instances`.
struct InputsSeed<'a, 'm> {
    cols: &'a mut Columns<'m>,
}

const INPUTS_SHAPE: &str =
    "\"inputs\" must be {column: [values]} or a list of records ({column: value})";

impl<'de> DeserializeSeed<'de> for InputsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// One column of the columnar form, appended to the columns' own vector.
struct ColumnSeed<'a, 'm> {
    cols: &'a mut Columns<'m>,
    column: usize,
}

impl<'de> DeserializeSeed<'de> for ColumnSeed<'_, '_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ColumnSeed<'_, '_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of values")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let c = self.column;
        let mut row = 0;
        while let Some(cell) = seq.next_element_seed(CellSeed {
            cols: self.cols,
            column: c,
            row,
        })? {
            match cell {
                Cell::Number(x) => self.cols.numbers[c].push(x),
                Cell::Text(t) => self.cols.texts[c].push(t),
            }
            row += 1;
        }
        Ok(row)
    }
}

impl InputsSeed<'_, '_> {
    fn refuse<E: de::Error>(&self) -> E {
        self.cols.fail(INPUTS_SHAPE)
    }
}

impl<'de> Visitor<'de> for InputsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(INPUTS_SHAPE)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        RowsSeed {
            cols: self.cols,
            split: None,
            shape: INPUTS_SHAPE,
        }
        .visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut length: Option<(String, usize)> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let column = self.cols.lookup.get(&*key).copied();
            let n = match column {
                Some(c) if self.cols.seen[c] => {
                    return Err(self
                        .cols
                        .fail(format!("\"inputs\": column '{key}' appears twice")))
                }
                Some(c) => {
                    self.cols.seen[c] = true;
                    map.next_value_seed(ColumnSeed {
                        cols: &mut *self.cols,
                        column: c,
                    })
                    .map_err(|e| {
                        if self.cols.problem.borrow().is_none() {
                            self.cols.fail::<A::Error, _>(format!(
                                "\"inputs\": column '{key}' must be a list of values"
                            ))
                        } else {
                            e
                        }
                    })?
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            match &length {
                Some((first, m)) if *m != n => {
                    return Err(self.cols.fail(format!(
                        "\"inputs\": column '{key}' has {n} values but '{first}' has {m}"
                    )))
                }
                Some(_) => {}
                None => length = Some((key.to_string(), n)),
            }
        }
        self.cols.rows = length.map(|(_, n)| n).unwrap_or(0);
        // Columns no key named stay empty; the missing-column check names them. Those that
        // were named are already full.
        for c in 0..self.cols.names.len() {
            if !self.cols.seen[c] {
                let n = self.cols.rows;
                if self.cols.numeric[c] {
                    self.cols.numbers[c] = vec![f64::NAN; n];
                } else {
                    self.cols.texts[c] = vec![None; n];
                }
            }
        }
        Ok(())
    }
    refuse_scalars!();
}

/// The table of a `POST /invocations` JSON body (MLflow's `dataframe_split`,
/// `dataframe_records`, `instances` or `inputs`).
pub fn invocation_rows(model: &ModelFile, body: &[u8]) -> Result<Table, BodyError> {
    parse(body, Columns::new(model, false), |cols, de| {
        InvocationsBody { cols }.deserialize(de)
    })
}
