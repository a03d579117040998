//! Reading CSV bytes into a [`Table`]: encoding detection, delimiter sniffing, pandas-style
//! headers and missing values, type inference, limits, and errors with line numbers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::engine::data::table::{Column, ColumnData, Table, MISSING_CODE};
use crate::engine::error::{Error, Result};

/// pandas 1.x's default missing-value tokens plus `?` (the workshop's marker). `None` is left
/// out on purpose: the house-prices data uses it as a real category ("no masonry veneer").
pub const DEFAULT_NA_VALUES: &[&str] = &[
    "", "?", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "n/a", "nan", "null",
];

/// Size limits that keep a browser tab responsive; documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_rows: u64,
    pub max_columns: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 200 * 1024 * 1024,
            max_rows: 2_000_000,
            max_columns: 2_000,
        }
    }
}

/// How to read a file. `None` fields are detected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadOptions {
    pub na_values: Vec<String>,
    pub delimiter: Option<u8>,
    pub encoding: Option<String>,
    pub limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            na_values: DEFAULT_NA_VALUES.iter().map(|s| s.to_string()).collect(),
            delimiter: None,
            encoding: None,
            limits: Limits::default(),
        }
    }
}

impl LoadOptions {
    /// Replace the missing-value tokens with a comma-separated list ("" stays a token when the
    /// list is empty or has an empty entry, as an empty cell is always missing in pandas too).
    pub fn with_na_list(mut self, list: &str) -> Self {
        self.na_values = parse_na_list(list);
        self
    }
}

/// Parse a comma-separated token list as typed by a user; the empty cell is always missing.
pub fn parse_na_list(list: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for t in list.split(',') {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// What the reader found out about the file besides its table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// The WHATWG name of the encoding used ("UTF-8", "Shift_JIS", "UTF-16LE", …).
    pub encoding: String,
    pub had_bom: bool,
    pub delimiter: u8,
    /// Data rows that had fewer fields than the header; their missing cells are missing values.
    pub short_rows: u64,
    pub first_short_line: Option<u64>,
    /// Columns whose header cell was empty and got pandas' `Unnamed: N` name.
    pub unnamed_columns: Vec<String>,
    /// Columns renamed because their header repeated an earlier one (pandas' `name.1`).
    pub renamed_duplicates: Vec<(String, String)>,
}

/// A table together with its [`LoadReport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub table: Table,
    pub report: LoadReport,
}

/// Read CSV bytes into a table.
pub fn load(bytes: &[u8], opts: &LoadOptions) -> Result<Loaded> {
    load_with_progress(bytes, opts, &mut |_| {})
}

/// Read CSV bytes into a table, calling `progress` with the fraction of bytes parsed so far.
pub fn load_with_progress(
    bytes: &[u8],
    opts: &LoadOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<Loaded> {
    if bytes.len() as u64 > opts.limits.max_bytes {
        return Err(Error::TooManyBytes {
            bytes: bytes.len() as u64,
            limit: opts.limits.max_bytes,
        });
    }
    let (text, encoding, had_bom) = decode(bytes, opts.encoding.as_deref())?;
    if text.trim().is_empty() {
        return Err(Error::EmptyFile);
    }
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let na = NaTokens::new(&opts.na_values);
    let is_na = |s: &str| na.contains(s);

    let mut reader = csv_reader(&text, delimiter);
    let mut record = csv::StringRecord::new();
    let header = loop {
        if !read(&mut reader, &mut record)? {
            return Err(Error::EmptyFile);
        }
        if !is_blank(&record) {
            break record.clone();
        }
    };
    let ncols = header.len();
    if ncols as u64 > opts.limits.max_columns {
        return Err(Error::TooManyColumns {
            columns: ncols as u64,
            limit: opts.limits.max_columns,
        });
    }
    let (names, unnamed_columns, renamed_duplicates) = header_names(&header);

    let mut builders: Vec<Builder> = (0..ncols).map(|_| Builder::default()).collect();
    let mut rows: u64 = 0;
    let mut short_rows = 0u64;
    let mut first_short_line = None;
    let total = text.len().max(1) as f64;
    while read(&mut reader, &mut record)? {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() > ncols {
            return Err(Error::TooManyFields {
                line,
                found: record.len() as u64,
                expected: ncols as u64,
            });
        }
        if ncols > 1 && is_blank(&record) {
            continue;
        }
        if record.len() < ncols {
            short_rows += 1;
            first_short_line.get_or_insert(line);
        }
        rows += 1;
        if rows > opts.limits.max_rows {
            return Err(Error::TooManyRows {
                limit: opts.limits.max_rows,
            });
        }
        for (j, b) in builders.iter_mut().enumerate() {
            match record.get(j) {
                Some(f) if !is_na(f) => b.push(f),
                _ => b.push_missing(),
            }
        }
        if rows % 4096 == 0 {
            progress(record.position().map(|p| p.byte()).unwrap_or(0) as f64 / total);
        }
    }
    if rows == 0 {
        return Err(Error::HeaderOnly);
    }

    // Columns that met text after numbers are read again as text, so that "1.50" stays "1.50".
    let switched: Vec<usize> = (0..ncols).filter(|&j| builders[j].switched).collect();
    if !switched.is_empty() {
        let mut texts: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(rows as usize); ncols];
        let mut reader = csv_reader(&text, delimiter);
        // Skip to the header exactly as the first pass did.
        let mut seen_header = false;
        while read(&mut reader, &mut record)? {
            if !seen_header {
                seen_header = !is_blank(&record);
                continue;
            }
            if ncols > 1 && is_blank(&record) {
                continue;
            }
            for &j in &switched {
                texts[j].push(record.get(j).filter(|f| !is_na(f)).map(str::to_string));
            }
        }
        for &j in &switched {
            builders[j].force_text(&texts[j]);
        }
    }
    progress(1.0);

    let columns = names
        .into_iter()
        .zip(builders)
        .map(|(name, b)| b.finish(name))
        .collect();
    let table = Table::new(columns).map_err(|detail| Error::Internal { detail })?;
    Ok(Loaded {
        table,
        report: LoadReport {
            encoding: encoding.to_string(),
            had_bom,
            delimiter,
            short_rows,
            first_short_line,
            unnamed_columns,
            renamed_duplicates,
        },
    })
}

fn csv_reader(text: &str, delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

fn read(reader: &mut csv::Reader<&[u8]>, record: &mut csv::StringRecord) -> Result<bool> {
    reader.read_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        Error::Malformed {
            line,
            message: e.to_string(),
        }
    })
}

/// A record that is a lone empty or white-space field: a blank line.
fn is_blank(record: &csv::StringRecord) -> bool {
    record.is_empty() || (record.len() == 1 && record[0].trim().is_empty())
}

/// pandas' header rules: an empty name becomes `Unnamed: i`, a repeated name `name.1`, `name.2`…
fn header_names(header: &csv::StringRecord) -> (Vec<String>, Vec<String>, Vec<(String, String)>) {
    let mut unnamed = Vec::new();
    let raw: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if h.is_empty() {
                let n = format!("Unnamed: {i}");
                unnamed.push(n.clone());
                n
            } else {
                h.to_string()
            }
        })
        .collect();
    let deduped = dedup_names(&raw);
    let renamed = raw
        .iter()
        .zip(&deduped)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect();
    (deduped, unnamed, renamed)
}

/// pandas' `dedup_names`: the n-th repeat of `x` becomes `x.n`, skipping names already taken.
pub fn dedup_names(names: &[String]) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    names
        .iter()
        .map(|name| {
            let mut col = name.clone();
            let mut cur = counts.get(&col).copied().unwrap_or(0);
            while cur > 0 {
                counts.insert(col.clone(), cur + 1);
                col = format!("{col}.{cur}");
                cur = counts.get(&col).copied().unwrap_or(0);
            }
            counts.insert(col.clone(), cur + 1);
            col
        })
        .collect()
}

/// Decode bytes to text: a forced encoding, else a BOM, else UTF-8 if valid, else a guess
/// (Shift_JIS for a Japanese Excel export).
fn decode<'a>(bytes: &'a [u8], forced: Option<&str>) -> Result<(Cow<'a, str>, &'static str, bool)> {
    if bytes.is_empty() {
        return Err(Error::EmptyFile);
    }
    let bom = encoding_rs::Encoding::for_bom(bytes);
    let encoding = match forced {
        Some(label) => {
            encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                Error::UnknownEncoding {
                    name: label.to_string(),
                }
            })?
        }
        None => match bom {
            Some((enc, _)) => enc,
            None => {
                let head = &bytes[..bytes.len().min(64 * 1024)];
                if head.contains(&0) {
                    return Err(Error::Binary);
                }
                if let Ok(s) = std::str::from_utf8(bytes) {
                    return Ok((Cow::Borrowed(s), "UTF-8", false));
                }
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                detector.guess(None, false)
            }
        },
    };
    let had_bom = bom.is_some_and(|(enc, _)| enc == encoding);
    let body = match bom {
        Some((enc, len)) if enc == encoding => &bytes[len..],
        _ => bytes,
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(Error::Undecodable {
            encoding: encoding.name().to_string(),
        });
    }
    if text.contains('\0') {
        return Err(Error::Binary);
    }
    Ok((text, encoding.name(), had_bom))
}

/// Pick `,`, `;` or tab: the candidate that splits the first lines into the same number (> 1)
/// of fields most consistently; ties go to the earlier candidate, and a one-column file gets `,`.
fn sniff_delimiter(text: &str) -> u8 {
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let truncated = end < text.len();
    let mut best = (b',', 0.0f64, 0usize);
    for d in [b',', b';', b'\t'] {
        let mut reader = csv_reader(sample, d);
        let mut counts = Vec::new();
        for rec in reader.records().take(50) {
            match rec {
                Ok(r) if !is_blank(&r) => counts.push(r.len()),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        if truncated && counts.len() > 1 {
            counts.pop();
        }
        let Some(&first) = counts.first() else {
            continue;
        };
        if first < 2 {
            continue;
        }
        let same = counts.iter().filter(|&&c| c == first).count() as f64 / counts.len() as f64;
        if same > best.1 || (same == best.1 && first > best.2 && best.1 > 0.0) {
            best = (d, same, first);
        }
    }
    best.0
}

/// Parse a number as pandas' C parser would: surrounding spaces allowed, `inf`/`infinity`
/// with an optional sign, decimals and exponents. Returns the value and whether it was
/// written as an integer.
pub fn parse_number(s: &str) -> Option<(f64, bool)> {
    let t = s.trim_matches(|c| c == ' ' || c == '\t');
    if t.is_empty() {
        return None;
    }
    let b = t.as_bytes();
    let digits = if b[0] == b'+' || b[0] == b'-' {
        &b[1..]
    } else {
        b
    };
    if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
        // Up to 15 digits fit exactly in an f64: accumulate them directly (most cells of a
        // typical file), leaving longer ones to the general parser.
        if digits.len() <= 15 {
            let v = digits
                .iter()
                .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')) as f64;
            return Some((if b[0] == b'-' { -v } else { v }, true));
        }
        return t.parse::<f64>().ok().map(|v| (v, true));
    }
    let plain = digits
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    // Infinity is a number to pandas; "nan" (which Rust would also accept) is missing only
    // through the NA tokens, so here it is text.
    if !plain && !digits.eq_ignore_ascii_case(b"inf") && !digits.eq_ignore_ascii_case(b"infinity") {
        return None;
    }
    t.parse::<f64>().ok().map(|v| (v, false))
}

/// The missing-value tokens grouped by length: most cells are rejected by their length or first
/// byte without a string comparison, which matters at hundreds of thousands of cells.
struct NaTokens<'a> {
    by_len: Vec<Vec<&'a [u8]>>,
}

impl<'a> NaTokens<'a> {
    fn new(tokens: &'a [String]) -> Self {
        let max_len = tokens.iter().map(String::len).max().unwrap_or(0);
        let mut by_len: Vec<Vec<&[u8]>> = vec![Vec::new(); max_len + 1];
        for t in tokens {
            by_len[t.len()].push(t.as_bytes());
        }
        NaTokens { by_len }
    }

    fn contains(&self, s: &str) -> bool {
        let s = s.as_bytes();
        match self.by_len.get(s.len()) {
            None => false,
            Some(bucket) => bucket.iter().any(|t| t.first() == s.first() && *t == s),
        }
    }
}

/// FNV-1a: a fast hash for the short category strings of a CSV file. The input is the learner's
/// own file in their own tab, so hash flooding is not a concern here.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Collects one column while reading: numeric until the first value that is not a number.
#[derive(Default)]
struct Builder {
    numbers: Vec<f64>,
    all_integer: bool,
    any_present: bool,
    switched: bool,
    text: Option<TextBuilder>,
}

#[derive(Default)]
struct TextBuilder {
    levels: Vec<String>,
    index: FastMap<String, u32>,
    codes: Vec<u32>,
}

impl TextBuilder {
    fn push(&mut self, s: Option<&str>) {
        let code = match s {
            None => MISSING_CODE,
            Some(s) => match self.index.get(s) {
                Some(&c) => c,
                None => {
                    let c = self.levels.len() as u32;
                    self.levels.push(s.to_string());
                    self.index.insert(s.to_string(), c);
                    c
                }
            },
        };
        self.codes.push(code);
    }
}

impl Builder {
    fn push(&mut self, field: &str) {
        if let Some(t) = &mut self.text {
            t.push(Some(field));
            return;
        }
        match parse_number(field) {
            Some((v, is_int)) => {
                if !self.any_present {
                    self.all_integer = true;
                    self.any_present = true;
                }
                self.all_integer &= is_int;
                self.numbers.push(v);
            }
            None => {
                // Text among numbers: the column is categorical. If numbers came before, their
                // original spelling is re-read in a second pass.
                let mut t = TextBuilder::default();
                if self.any_present {
                    self.switched = true;
                } else {
                    t.codes = vec![MISSING_CODE; self.numbers.len()];
                }
                t.push(Some(field));
                self.text = Some(t);
            }
        }
    }

    fn push_missing(&mut self) {
        match &mut self.text {
            Some(t) => t.push(None),
            None => self.numbers.push(f64::NAN),
        }
    }

    fn force_text(&mut self, values: &[Option<String>]) {
        let mut t = TextBuilder::default();
        for v in values {
            t.push(v.as_deref());
        }
        self.text = Some(t);
    }

    fn finish(self, name: String) -> Column {
        match self.text {
            None => Column::numeric(name, self.numbers, self.any_present && self.all_integer),
            Some(t) => {
                let mut counts = vec![0usize; t.levels.len()];
                for &c in &t.codes {
                    if c != MISSING_CODE {
                        counts[c as usize] += 1;
                    }
                }
                let present: usize = counts.iter().sum();
                let numeric: usize = t
                    .levels
                    .iter()
                    .zip(&counts)
                    .filter(|(l, _)| parse_number(l).is_some())
                    .map(|(_, n)| n)
                    .sum();
                Column {
                    name,
                    data: ColumnData::Categorical {
                        levels: t.levels,
                        codes: t.codes,
                        numeric_like: present > 0 && numeric * 2 >= present,
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::data::table::Kind;

    fn load_str(s: &str) -> Result<Loaded> {
        load(s.as_bytes(), &LoadOptions::default())
    }

    #[test]
    fn question_mark_is_missing_but_none_is_a_category() {
        let l = load_str("a,b\n1,None\n?,x\n3,?\n").unwrap();
        let a = l.table.column("a").unwrap();
        assert_eq!(a.kind(), Kind::Numeric);
        assert_eq!(a.non_null(), 2);
        let b = l.table.column("b").unwrap();
        assert_eq!(b.kind(), Kind::Categorical);
        assert_eq!(b.display(0), "None");
        assert_eq!(b.non_null(), 2);
    }

    #[test]
    fn stray_text_makes_column_categorical_and_keeps_spelling() {
        let l = load_str("x\n1.50\n2\nabc\n4\n").unwrap();
        let x = l.table.column("x").unwrap();
        assert_eq!(x.kind(), Kind::Categorical);
        assert_eq!(x.display(0), "1.50");
        assert_eq!(x.display(2), "abc");
        match &x.data {
            ColumnData::Categorical { numeric_like, .. } => assert!(numeric_like),
            _ => unreachable!(),
        }
    }

    #[test]
    fn text_first_then_numbers_is_categorical_from_the_start() {
        let l = load_str("x,y\n,a\n,b\n").unwrap();
        let y = l.table.column("y").unwrap();
        assert_eq!(y.kind(), Kind::Categorical);
        assert_eq!(y.len(), 2);
        let x = l.table.column("x").unwrap();
        assert_eq!(x.kind(), Kind::Numeric);
        assert_eq!(x.non_null(), 0);
        assert_eq!(x.pandas_dtype(), "float64");
    }

    #[test]
    fn integers_decimals_exponents_signs() {
        let l = load_str("i,f\n-3,1e3\n+4,-2.5E-1\n 5 ,.5\n").unwrap();
        match &l.table.column("i").unwrap().data {
            ColumnData::Numeric { values, integer } => {
                assert!(integer);
                assert_eq!(values, &[-3.0, 4.0, 5.0]);
            }
            _ => panic!("numeric expected"),
        }
        match &l.table.column("f").unwrap().data {
            ColumnData::Numeric { values, integer } => {
                assert!(!integer);
                assert_eq!(values, &[1000.0, -0.25, 0.5]);
            }
            _ => panic!("numeric expected"),
        }
    }

    #[test]
    fn quoted_fields_with_newlines_and_delimiters_and_crlf() {
        let l = load_str("name,note\r\n\"a, b\",\"line1\nline2\"\r\nc,d\r\n\r\n\r\n").unwrap();
        assert_eq!(l.table.n_rows(), 2);
        assert_eq!(l.table.column("name").unwrap().display(0), "a, b");
        assert_eq!(l.table.column("note").unwrap().display(0), "line1\nline2");
    }

    #[test]
    fn semicolon_and_tab_are_sniffed() {
        let l = load_str("a;b;c\n1,5;2;3\n4;5;6\n").unwrap();
        assert_eq!(l.report.delimiter, b';');
        assert_eq!(l.table.n_cols(), 3);
        assert_eq!(l.table.column("a").unwrap().display(0), "1,5");
        let l = load_str("a\tb\n1\t2\n").unwrap();
        assert_eq!(l.report.delimiter, b'\t');
        assert_eq!(l.table.n_cols(), 2);
    }

    #[test]
    fn single_column_file_uses_comma() {
        let l = load_str("price\n1\n2\n").unwrap();
        assert_eq!(l.report.delimiter, b',');
        assert_eq!(l.table.n_cols(), 1);
    }

    #[test]
    fn empty_and_duplicate_headers_follow_pandas() {
        let l = load_str(",a,a,a.1,a\n1,2,3,4,5\n").unwrap();
        let names: Vec<_> = l.table.columns().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Unnamed: 0", "a", "a.1", "a.1.1", "a.2"]);
        assert_eq!(l.report.unnamed_columns, ["Unnamed: 0"]);
        assert_eq!(l.report.renamed_duplicates.len(), 3);
    }

    #[test]
    fn too_many_fields_names_the_line() {
        let e = load_str("a,b\n1,2\n1,2,3\n").unwrap_err();
        assert_eq!(
            e,
            Error::TooManyFields {
                line: 3,
                found: 3,
                expected: 2
            }
        );
        assert_eq!(e.to_string(), "line 3: 3 fields, expected 2");
    }

    #[test]
    fn short_rows_are_padded_with_missing_and_reported() {
        let l = load_str("a,b,c\n1,2,3\n4\n").unwrap();
        assert_eq!(l.report.short_rows, 1);
        assert_eq!(l.report.first_short_line, Some(3));
        assert!(l.table.column("c").unwrap().is_missing(1));
    }

    #[test]
    fn empty_file_and_header_only_are_errors() {
        assert_eq!(load_str("").unwrap_err(), Error::EmptyFile);
        assert_eq!(load_str("\n\n  \n").unwrap_err(), Error::EmptyFile);
        assert_eq!(load_str("a,b,c\n").unwrap_err(), Error::HeaderOnly);
        assert_eq!(load_str("a,b,c\n\n\n").unwrap_err(), Error::HeaderOnly);
    }

    #[test]
    fn shift_jis_japanese_round_trips() {
        let text = "地域,価格\r\n東京,100\r\n大阪,200\r\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let l = load(&bytes, &LoadOptions::default()).unwrap();
        assert_eq!(l.report.encoding, "Shift_JIS");
        assert_eq!(l.table.columns()[0].name, "地域");
        assert_eq!(l.table.column("地域").unwrap().display(1), "大阪");
        assert_eq!(l.table.column("価格").unwrap().kind(), Kind::Numeric);
    }

    #[test]
    fn utf8_bom_and_utf16_bom_are_decoded() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("名前,x\nあ,1\n".as_bytes());
        let l = load(&b, &LoadOptions::default()).unwrap();
        assert!(l.report.had_bom);
        assert_eq!(l.table.columns()[0].name, "名前");

        let mut le = vec![0xFF, 0xFE];
        for u in "名前,x\nあ,1\n".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        let l = load(&le, &LoadOptions::default()).unwrap();
        assert_eq!(l.report.encoding, "UTF-16LE");
        assert_eq!(l.table.column("名前").unwrap().display(0), "あ");

        let mut be = vec![0xFE, 0xFF];
        for u in "a,b\n1,2\n".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        let l = load(&be, &LoadOptions::default()).unwrap();
        assert_eq!(l.report.encoding, "UTF-16BE");
        assert_eq!(l.table.n_cols(), 2);
    }

    #[test]
    fn forcing_the_wrong_encoding_is_a_clear_error() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("地域,価格\n東京,1\n");
        let opts = LoadOptions {
            encoding: Some("utf-8".into()),
            ..LoadOptions::default()
        };
        assert_eq!(
            load(&bytes, &opts).unwrap_err(),
            Error::Undecodable {
                encoding: "UTF-8".into()
            }
        );
    }

    #[test]
    fn binary_input_is_refused() {
        let e = load(b"PK\x03\x04\x00\x00binary", &LoadOptions::default()).unwrap_err();
        assert_eq!(e, Error::Binary);
    }

    #[test]
    fn forced_encoding_and_unknown_label() {
        let (bytes, _, _) = encoding_rs::EUC_JP.encode("列\nあ\n");
        let opts = LoadOptions {
            encoding: Some("euc-jp".into()),
            ..LoadOptions::default()
        };
        let l = load(&bytes, &opts).unwrap();
        assert_eq!(l.table.columns()[0].name, "列");
        let opts = LoadOptions {
            encoding: Some("klingon".into()),
            ..LoadOptions::default()
        };
        assert!(matches!(
            load(b"a\n1\n", &opts),
            Err(Error::UnknownEncoding { .. })
        ));
    }

    #[test]
    fn limits_are_enforced_with_clear_errors() {
        let limits = Limits {
            max_bytes: 10,
            max_rows: 2,
            max_columns: 2,
        };
        let opts = LoadOptions {
            limits,
            ..LoadOptions::default()
        };
        assert!(matches!(
            load(b"a,b\n1,2\n3,4\n", &opts),
            Err(Error::TooManyBytes { .. })
        ));
        let opts = LoadOptions {
            limits: Limits {
                max_bytes: 1000,
                ..limits
            },
            ..LoadOptions::default()
        };
        assert_eq!(
            load(b"a,b,c\n1,2,3\n", &opts).unwrap_err(),
            Error::TooManyColumns {
                columns: 3,
                limit: 2
            }
        );
        assert_eq!(
            load(b"a\n1\n2\n3\n", &opts).unwrap_err(),
            Error::TooManyRows { limit: 2 }
        );
    }

    #[test]
    fn user_na_list_replaces_defaults() {
        let opts = LoadOptions::default().with_na_list("None, -");
        let l = load(b"a,b\nNone,1\nNA,-\n", &opts).unwrap();
        let a = l.table.column("a").unwrap();
        assert!(a.is_missing(0));
        assert_eq!(a.display(1), "NA");
        assert!(l.table.column("b").unwrap().is_missing(1));
    }

    #[test]
    fn pandas_dedup_names_skips_taken_names() {
        let names: Vec<String> = ["a", "a", "a.1"].iter().map(|s| s.to_string()).collect();
        assert_eq!(dedup_names(&names), ["a", "a.1", "a.1.1"]);
    }

    #[test]
    fn parse_number_rules() {
        assert_eq!(parse_number("12"), Some((12.0, true)));
        assert_eq!(parse_number("-007"), Some((-7.0, true)));
        assert_eq!(
            parse_number("+999999999999999"),
            Some((999999999999999.0, true))
        );
        assert_eq!(
            parse_number("12345678901234567890"),
            Some((1.2345678901234567e19, true))
        );
        assert_eq!(parse_number("-0.5"), Some((-0.5, false)));
        assert_eq!(parse_number("inf").map(|p| p.0), Some(f64::INFINITY));
        assert_eq!(parse_number("nan"), None);
        assert_eq!(parse_number("1,000"), None);
        assert_eq!(parse_number("0x10"), None);
        assert_eq!(parse_number("1e"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn progress_reaches_one() {
        let mut seen = Vec::new();
        let mut text = String::from("a,b\n");
        for i in 0..10_000 {
            text.push_str(&format!("{i},{}\n", i * 2));
        }
        load_with_progress(text.as_bytes(), &LoadOptions::default(), &mut |p| {
            seen.push(p)
        })
        .unwrap();
        assert!(seen.len() > 1);
        assert_eq!(seen.last().copied(), Some(1.0));
        assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    }
}
