//! CSV exports: rows of a table as they were read, and a processed feature matrix; exact for
//! programs, and with formula-looking text neutralised for people who open them in a
//! spreadsheet (the page's downloads).

use crate::engine::data::table::Table;

pub(crate) fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

pub(crate) fn finish(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The given rows with every column, missing values as empty cells.
pub fn rows_to_csv(table: &Table, rows: &[usize]) -> String {
    let mut w = writer();
    let _ = w.write_record(table.columns().iter().map(|c| c.name.as_str()));
    for &r in rows {
        let _ = w.write_record(table.columns().iter().map(|c| cell_exact(c, r)));
    }
    finish(w)
}

/// A processed matrix with its column names, followed by the target column.
pub fn matrix_to_csv(names: &[String], x: &[Vec<f64>], target: &str, y: &[f64]) -> String {
    let mut w = writer();
    let _ = w.write_record(names.iter().map(String::as_str).chain([target]));
    for (row, t) in x.iter().zip(y) {
        let _ = w.write_record(row.iter().chain([t]).map(|v| format_number_exact(*v)));
    }
    finish(w)
}

/// A cell for a spreadsheet: text that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is prefixed with `'`, so that Excel, LibreOffice and Google Sheets show it as text
/// rather than run it as a formula (OWASP's advice on CSV injection). Numbers, and text that
/// reads as a plain number (`-5`), stay as they are: a spreadsheet reads those as numbers.
pub fn spreadsheet_cell(text: String) -> String {
    let risky = matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    if risky && crate::engine::data::reader::parse_number(&text).is_none() {
        format!("'{text}")
    } else {
        text
    }
}

/// The given rows for people, to open in a spreadsheet: as [`rows_to_csv`], with names and
/// text cells that a spreadsheet would run as formulas neutralised ([`spreadsheet_cell`]).
/// Files that programs read (`mlplay run --predictions`, the notebook's input) stay exact.
pub fn rows_to_spreadsheet_csv(table: &Table, rows: &[usize]) -> String {
    let mut w = writer();
    let _ = w.write_record(
        table
            .columns()
            .iter()
            .map(|c| spreadsheet_cell(c.name.clone())),
    );
    for &r in rows {
        let _ = w.write_record(table.columns().iter().map(|c| match &c.data {
            crate::engine::data::table::ColumnData::Numeric { .. } => cell_exact(c, r),
            _ => spreadsheet_cell(cell_exact(c, r)),
        }));
    }
    finish(w)
}

/// A processed matrix for people: as [`matrix_to_csv`], with the column names neutralised
/// (the values are numbers).
pub fn matrix_to_spreadsheet_csv(
    names: &[String],
    x: &[Vec<f64>],
    target: &str,
    y: &[f64],
) -> String {
    let mut w = writer();
    let _ = w.write_record(
        names
            .iter()
            .map(String::as_str)
            .chain([target])
            .map(|n| spreadsheet_cell(n.to_string())),
    );
    for (row, t) in x.iter().zip(y) {
        let _ = w.write_record(row.iter().chain([t]).map(|v| format_number_exact(*v)));
    }
    finish(w)
}

/// A cell as text that reads back to the same value: numbers at full precision (the page shows
/// six decimals; a file must not round), categories as spelled, missing as empty.
pub fn cell_exact(column: &crate::engine::data::table::Column, r: usize) -> String {
    match &column.data {
        crate::engine::data::table::ColumnData::Numeric { values, .. } => {
            format_number_exact(values[r])
        }
        _ => column.display(r),
    }
}

/// Full precision, shortest round-trip text.
fn format_number_exact(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{load, LoadOptions};

    #[test]
    fn exported_rows_read_back_the_same() {
        let t = load(b"a,b\n1,\"x, y\"\n?,z\n3,w\n", &LoadOptions::default())
            .unwrap()
            .table;
        let csv = rows_to_csv(&t, &[1, 0]);
        assert_eq!(csv, "a,b\n,z\n1,\"x, y\"\n");
        let back = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
        assert!(back.column("a").unwrap().is_missing(0));
    }

    #[test]
    fn spreadsheet_csv_neutralises_formula_text_but_keeps_numbers() {
        let t = load(
            "=name,amount,note\n=1+2,-5,@SUM(A1)\n+cmd,3,\"\tx\"\n-x,-1e3,ok\n\"\rcr\",7,-2\n"
                .as_bytes(),
            &LoadOptions::default(),
        )
        .unwrap()
        .table;
        let csv = rows_to_spreadsheet_csv(&t, &[0, 1, 2, 3]);
        assert_eq!(
            csv,
            "'=name,amount,note\n'=1+2,-5,'@SUM(A1)\n'+cmd,3,'\tx\n'-x,-1000,ok\n\"'\rcr\",7,-2\n"
        );
        // The machine-readable export stays exact.
        assert!(rows_to_csv(&t, &[0]).starts_with("=name,amount,note\n=1+2,-5,@SUM(A1)\n"));
        let csv = matrix_to_spreadsheet_csv(
            &["=cmd|x".into(), "b".into()],
            &[vec![-1.5, 2.0]],
            "@y",
            &[-3.0],
        );
        assert_eq!(csv, "'=cmd|x,b,'@y\n-1.5,2,-3\n");
    }

    #[test]
    fn matrix_keeps_full_precision() {
        let csv = matrix_to_csv(&["f".into()], &[vec![0.1 + 0.2]], "y", &[3.0]);
        assert_eq!(csv, "f,y\n0.30000000000000004,3\n");
    }
}
