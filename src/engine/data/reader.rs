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
    /// Columns whose formatted numbers (`1,234`, `¥500`, `87%`, `１２３`) stay text: the
    /// learner turned the conversion off for them.
    #[serde(default)]
    pub keep_text: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            na_values: DEFAULT_NA_VALUES.iter().map(|s| s.to_string()).collect(),
            delimiter: None,
            encoding: None,
            limits: Limits::default(),
            keep_text: Vec::new(),
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
    /// Columns read as numbers although some cells were formatted (separators, currency,
    /// percent, full-width digits), with what was converted.
    #[serde(default)]
    pub conversions: Vec<Conversion>,
}

/// The formatted numbers of one column that the reader converted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Conversion {
    pub column: String,
    /// Cells that needed any conversion.
    pub cells: u64,
    /// Cells with thousands separators (`1,234,000`).
    pub thousands: u64,
    /// Cells with a currency sign or suffix (`¥`, `￥`, `$`, `円`).
    pub currency: u64,
    /// Cells with a percent sign, read as a fraction: `87%` is 0.87.
    pub percent: u64,
    /// Cells written with full-width characters (`１２３`).
    pub fullwidth: u64,
}

/// What [`parse_formatted`] found in one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formats {
    pub thousands: bool,
    pub currency: bool,
    pub percent: bool,
    pub fullwidth: bool,
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

    // A comma is a thousands separator only where it cannot be a decimal comma: files split
    // by `;` are usually written with decimal commas (`1,5`).
    let thousands = delimiter != b';';
    let mut builders: Vec<Builder> = names
        .iter()
        .map(|n| Builder {
            formatted: !opts.keep_text.contains(n),
            thousands,
            ..Builder::default()
        })
        .collect();
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
        if rows == SAMPLE_ROWS {
            // Size the columns for the whole file from the first rows' length, so that they
            // do not grow by doubling (up to twice the memory the values need).
            let read = record.position().map_or(0, |p| p.byte()).max(1) as f64;
            let estimate = (total / read * rows as f64 * 1.05) as u64;
            let estimate = estimate.min(opts.limits.max_rows) as usize;
            for b in &mut builders {
                b.reserve(estimate);
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
    // The second pass builds their dictionary codes directly: a cell costs 4 bytes, not a
    // String of its own (which took 7 GB on a 200 MB file of mostly numeric columns).
    let switched: Vec<usize> = (0..ncols).filter(|&j| builders[j].switched).collect();
    if !switched.is_empty() {
        let mut texts: Vec<TextBuilder> = switched
            .iter()
            .map(|_| TextBuilder {
                codes: Vec::with_capacity(rows as usize),
                ..TextBuilder::default()
            })
            .collect();
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
            for (t, &j) in texts.iter_mut().zip(&switched) {
                t.push(record.get(j).filter(|f| !is_na(f)));
            }
        }
        for (t, &j) in texts.into_iter().zip(&switched) {
            builders[j].text = Some(t);
        }
    }
    progress(1.0);

    let mut conversions = Vec::new();
    let columns = names
        .into_iter()
        .zip(builders)
        .map(|(name, b)| {
            if b.text.is_none() && b.converted.cells > 0 {
                conversions.push(Conversion {
                    column: name.clone(),
                    ..b.converted.clone()
                });
            }
            b.finish(name)
        })
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
            conversions,
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
                guess_encoding(bytes)
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

/// Guess the encoding of bytes that are not UTF-8 and have no BOM.
///
/// chardetng alone judges by the letters it sees: a Japanese Excel export with Japanese
/// headers but mostly ASCII values gives it too little kanji, and it settles on a Cyrillic or
/// Western code page. So Shift_JIS (CP932, as Excel writes it) gets a second look first: when
/// the whole file decodes as Shift_JIS without a single error and the two-byte characters are
/// mostly the common ones (kana, punctuation, full-width forms, the first kanji level), it is
/// Shift_JIS. Western text that happens to decode lands in the rare second-level kanji and the
/// user-defined area instead, because its accented letters are lead bytes from 0xE0 up.
fn guess_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(None, false);
    if guess == encoding_rs::SHIFT_JIS || guess == encoding_rs::EUC_JP {
        return guess;
    }
    if looks_like_shift_jis(bytes) {
        return encoding_rs::SHIFT_JIS;
    }
    guess
}

/// Whether `bytes` decode as Shift_JIS without errors and read like Japanese: at least one
/// two-byte character, no more rare two-byte characters (lead byte 0xE0 and up: second-level
/// kanji, vendor extensions, the user-defined area) than common ones (lead bytes 0x81–0x9F),
/// and fewer half-width katakana than common characters (Latin-1 capitals and `ß` land there).
pub fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    if encoding_rs::SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_none()
    {
        return false;
    }
    let (mut common, mut rare, mut half_kana) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            0x81..=0x9F => {
                common += 1;
                i += 2;
            }
            0xE0..=0xFC => {
                rare += 1;
                i += 2;
            }
            0xA1..=0xDF => {
                half_kana += 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    common > 0 && rare <= common && half_kana < common
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

/// Parse a number written for people rather than programs: thousands separators
/// (`1,234,000`, only in groups of three and only when `thousands` allows commas), a currency
/// sign before or a yen suffix after (`¥1,200`, `￥1200`, `\1,200`, `$5`, `1,200円`), a percent sign
/// (`87%` is 0.87), full-width digits and signs (`１２３`), a leading `+` or `-`, spaces around
/// the sign. Returns the value, whether it was written as an integer, and what was found; None
/// for text, and for plain numbers (those are [`parse_number`]'s).
pub fn parse_formatted(s: &str, thousands: bool) -> Option<(f64, bool, Formats)> {
    let mut f = Formats::default();
    let mut buf = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\u{FF01}'..='\u{FF5E}' => {
                f.fullwidth = true;
                buf.push(char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch));
            }
            '\u{FFE5}' => {
                f.fullwidth = true;
                buf.push('¥');
            }
            '\u{3000}' => buf.push(' '),
            '\u{2212}' => buf.push('-'),
            _ => buf.push(ch),
        }
    }
    let mut t = buf.trim();
    let mut negative = false;
    let mut sign = |t: &mut &str| {
        if let Some(rest) = t.strip_prefix('-') {
            negative = true;
            *t = rest.trim_start();
            true
        } else if let Some(rest) = t.strip_prefix('+') {
            *t = rest.trim_start();
            true
        } else {
            false
        }
    };
    let signed = sign(&mut t);
    // A backslash is the yen sign of CP932 (byte 0x5C): Excel's "¥1,000" decodes as "\1,000".
    for c in ['¥', '\\', '$'] {
        if let Some(rest) = t.strip_prefix(c) {
            f.currency = true;
            t = rest.trim_start();
            if !signed {
                sign(&mut t);
            }
            break;
        }
    }
    if let Some(rest) = t.strip_suffix('円') {
        if f.currency {
            return None;
        }
        f.currency = true;
        t = rest.trim_end();
    } else if let Some(rest) = t.strip_suffix('%') {
        f.percent = true;
        t = rest.trim_end();
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, d)) => (i, Some(d)),
        None => (t, None),
    };
    if frac.is_some_and(|d| d.is_empty() || !d.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if int.contains(',') {
        if !thousands {
            return None;
        }
        let mut groups = int.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        f.thousands = true;
    } else if (int.is_empty() && frac.is_none()) || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if f == Formats::default() {
        return None;
    }
    let digits: String = int.chars().filter(|&c| c != ',').collect();
    let plain = match frac {
        Some(d) => format!("{digits}.{d}"),
        None => digits,
    };
    let v: f64 = plain.parse().ok()?;
    let v = if negative { -v } else { v };
    if f.percent {
        Some((v / 100.0, false, f))
    } else {
        Some((v, frac.is_none(), f))
    }
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Parse a date or date-time as an office export writes it: `2024-03-05`, `2024/03/05`,
/// `2024/3/5` or `2024年3月5日`, optionally followed (after a space or `T`) by `13:45`,
/// `13:45:30` or `13:45:30.25`. Returns seconds since 1970-01-01 00:00 (no time zone) and
/// whether a time of day was written; None for anything else, and for dates that do not exist.
pub fn parse_date(s: &str) -> Option<(f64, bool)> {
    let t = s.trim_matches(|c| c == ' ' || c == '\t');
    let b = t.as_bytes();
    // Cheap rejection first: most cells that reach here are words.
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let year: i32 = t[..4].parse().ok().filter(|y| *y > 0)?;
    let rest = &t[4..];
    let (month, day, rest) = if let Some(r) = rest.strip_prefix('年') {
        let (m, r) = take_digits(r, 1, 2)?;
        let r = r.strip_prefix('月')?;
        let (d, r) = take_digits(r, 1, 2)?;
        (m, d, r.strip_prefix('日')?)
    } else {
        let sep = rest.chars().next().filter(|c| *c == '-' || *c == '/')?;
        let (m, r) = take_digits(&rest[1..], 1, 2)?;
        let r = r.strip_prefix(sep)?;
        let (d, r) = take_digits(r, 1, 2)?;
        (m, d, r)
    };
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let days = i64::from(chrono::Datelike::num_days_from_ce(&date)) - UNIX_EPOCH_DAYS_FROM_CE;
    let mut secs = days as f64 * 86_400.0;
    if rest.is_empty() {
        return Some((secs, false));
    }
    let r = rest
        .strip_prefix(' ')
        .or_else(|| rest.strip_prefix('T'))?
        .trim_start_matches(' ');
    let (h, r) = take_digits(r, 1, 2)?;
    let (mi, r) = take_digits(r.strip_prefix(':')?, 2, 2)?;
    let (sec, r) = match r.strip_prefix(':') {
        Some(r) => take_digits(r, 2, 2)?,
        None => (0, r),
    };
    let frac = match r.strip_prefix('.') {
        Some(d) if !d.is_empty() && d.len() <= 9 && d.bytes().all(|c| c.is_ascii_digit()) => {
            format!("0.{d}").parse::<f64>().ok()?
        }
        Some(_) => return None,
        None if r.is_empty() => 0.0,
        None => return None,
    };
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    secs += f64::from(h * 3600 + mi * 60 + sec) + frac;
    Some((secs, true))
}

/// Between `min` and `max` ASCII digits at the start of `s`, as a number, and the rest.
fn take_digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let n = s
        .bytes()
        .take(max + 1)
        .take_while(u8::is_ascii_digit)
        .count();
    if n < min || n > max {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// A date (seconds since 1970-01-01, as [`parse_date`] gives) as `2024-03-05`, with the time
/// of day (`2024-03-05 13:45:00`) when `time` is set.
pub fn format_date(secs: f64, time: bool) -> String {
    if !secs.is_finite() {
        return String::new();
    }
    let days = (secs / 86_400.0).floor();
    let Some(date) = chrono::NaiveDate::from_num_days_from_ce_opt(
        (days as i64 + UNIX_EPOCH_DAYS_FROM_CE).clamp(i32::MIN as i64, i32::MAX as i64) as i32,
    ) else {
        return String::new();
    };
    let day = date.format("%Y-%m-%d").to_string();
    if !time {
        return day;
    }
    let of_day = secs - days * 86_400.0;
    let whole = of_day.floor() as u32;
    let frac = of_day - f64::from(whole);
    let mut out = format!(
        "{day} {:02}:{:02}:{:02}",
        whole / 3600,
        whole / 60 % 60,
        whole % 60
    );
    if frac > 5e-7 {
        out.push_str(
            format!("{frac:.6}")
                .trim_start_matches('0')
                .trim_end_matches('0'),
        );
    }
    out
}

/// Calendar parts of a date for the derived features: (year, month 1–12, day of week with
/// Monday 0 as pandas' `dayofweek`, whole days since 1970-01-01).
pub fn date_parts(secs: f64) -> Option<(f64, f64, f64, f64)> {
    if !secs.is_finite() {
        return None;
    }
    let days = (secs / 86_400.0).floor();
    let date = chrono::NaiveDate::from_num_days_from_ce_opt(
        (days as i64 + UNIX_EPOCH_DAYS_FROM_CE).clamp(i32::MIN as i64, i32::MAX as i64) as i32,
    )?;
    use chrono::Datelike;
    Some((
        f64::from(date.year()),
        f64::from(date.month()),
        f64::from(date.weekday().num_days_from_monday()),
        days,
    ))
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

/// Rows read before the columns are sized for the whole file.
const SAMPLE_ROWS: u64 = 256;

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

/// Collects one column while reading: numeric (or dates, when the first value is a date) until
/// the first value that does not fit, then text.
#[derive(Default)]
struct Builder {
    /// Numbers, or seconds since 1970-01-01 for a date column; NaN is missing.
    numbers: Vec<f64>,
    all_integer: bool,
    any_present: bool,
    switched: bool,
    text: Option<TextBuilder>,
    /// Whether formatted numbers are converted, and whether commas may separate thousands.
    formatted: bool,
    thousands: bool,
    converted: Conversion,
    date: bool,
    any_time: bool,
}

/// A text column as dictionary codes; each distinct value is stored once (as the map's key).
#[derive(Default)]
struct TextBuilder {
    index: FastMap<Box<str>, u32>,
    codes: Vec<u32>,
}

impl TextBuilder {
    fn push(&mut self, s: Option<&str>) {
        let code = match s {
            None => MISSING_CODE,
            Some(s) => match self.index.get(s) {
                Some(&c) => c,
                None => {
                    let c = self.index.len() as u32;
                    self.index.insert(s.into(), c);
                    c
                }
            },
        };
        self.codes.push(code);
    }

    /// The distinct values in order of first appearance, and the codes.
    fn finish(self) -> (Vec<String>, Vec<u32>) {
        let mut levels = vec![String::new(); self.index.len()];
        for (s, c) in self.index {
            levels[c as usize] = s.into();
        }
        (levels, self.codes)
    }
}

impl Builder {
    fn push(&mut self, field: &str) {
        if self.switched {
            // Read again as text in the second pass.
            return;
        }
        if let Some(t) = &mut self.text {
            t.push(Some(field));
            return;
        }
        if self.date {
            if let Some((v, time)) = parse_date(field) {
                self.any_time |= time;
                self.numbers.push(v);
                return;
            }
        }
        let parsed = if self.date {
            None
        } else {
            parse_number(field).or_else(|| self.formatted_number(field))
        };
        match parsed {
            Some((v, is_int)) => {
                if !self.any_present {
                    self.all_integer = true;
                    self.any_present = true;
                }
                self.all_integer &= is_int;
                self.numbers.push(v);
            }
            None if !self.any_present && parse_date(field).is_some() => {
                let (v, time) = parse_date(field).unwrap_or((f64::NAN, false));
                self.date = true;
                self.any_present = true;
                self.any_time = time;
                self.numbers.push(v);
            }
            None => {
                // Text among numbers: the column is categorical. If numbers came before, their
                // original spelling is re-read in a second pass; until then nothing is kept.
                if self.any_present {
                    self.switched = true;
                    self.numbers = Vec::new();
                    self.converted = Conversion::default();
                    return;
                }
                let mut t = TextBuilder {
                    codes: vec![MISSING_CODE; self.numbers.len()],
                    ..TextBuilder::default()
                };
                self.numbers = Vec::new();
                t.push(Some(field));
                self.text = Some(t);
            }
        }
    }

    /// Room for `rows` values in all.
    fn reserve(&mut self, rows: usize) {
        match &mut self.text {
            _ if self.switched => {}
            Some(t) => t.codes.reserve_exact(rows.saturating_sub(t.codes.len())),
            None => self
                .numbers
                .reserve_exact(rows.saturating_sub(self.numbers.len())),
        }
    }

    /// A formatted number, counted in the column's conversion note.
    fn formatted_number(&mut self, field: &str) -> Option<(f64, bool)> {
        if !self.formatted {
            return None;
        }
        let (v, is_int, f) = parse_formatted(field, self.thousands)?;
        let c = &mut self.converted;
        c.cells += 1;
        c.thousands += u64::from(f.thousands);
        c.currency += u64::from(f.currency);
        c.percent += u64::from(f.percent);
        c.fullwidth += u64::from(f.fullwidth);
        Some((v, is_int))
    }

    fn push_missing(&mut self) {
        match &mut self.text {
            _ if self.switched => {}
            Some(t) => t.push(None),
            None => self.numbers.push(f64::NAN),
        }
    }

    fn finish(self, name: String) -> Column {
        match self.text {
            None if self.date => {
                let mut values = self.numbers;
                values.shrink_to_fit();
                Column::date(name, values, self.any_time)
            }
            None => {
                let mut values = self.numbers;
                values.shrink_to_fit();
                Column::numeric(name, values, self.any_present && self.all_integer)
            }
            Some(t) => {
                let (levels, codes) = t.finish();
                let mut counts = vec![0usize; levels.len()];
                for &c in &codes {
                    if c != MISSING_CODE {
                        counts[c as usize] += 1;
                    }
                }
                let present: usize = counts.iter().sum();
                let numeric: usize = levels
                    .iter()
                    .zip(&counts)
                    .filter(|(l, _)| {
                        parse_number(l).is_some()
                            || (self.formatted && parse_formatted(l, self.thousands).is_some())
                    })
                    .map(|(_, n)| n)
                    .sum();
                Column {
                    name,
                    data: ColumnData::Categorical {
                        levels,
                        codes,
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
    fn parse_formatted_rules() {
        let v = |s: &str| parse_formatted(s, true).map(|(v, i, _)| (v, i));
        assert_eq!(v("1,234,000"), Some((1_234_000.0, true)));
        assert_eq!(v("¥1,200"), Some((1200.0, true)));
        assert_eq!(v("￥1200"), Some((1200.0, true)));
        assert_eq!(v("$5.25"), Some((5.25, false)));
        assert_eq!(v("1,200円"), Some((1200.0, true)));
        assert_eq!(v("1,200 円"), Some((1200.0, true)));
        assert_eq!(v("87%"), Some((0.87, false)));
        assert_eq!(v("12.5%"), Some((0.125, false)));
        assert_eq!(v("１２３"), Some((123.0, true)));
        assert_eq!(v("－１，０００"), Some((-1000.0, true)));
        assert_eq!(v("-¥100"), Some((-100.0, true)));
        assert_eq!(v("¥-100"), Some((-100.0, true)));
        assert_eq!(v("\\1,000"), Some((1000.0, true)));
        // Plain numbers are parse_number's; these are text.
        for text in [
            "12",
            "+4",
            "1,23",
            "1,2345",
            ",123",
            "abc",
            "¥",
            "%",
            "¥1,200円",
            "+¥-5",
            "1.",
            "1,000.x",
            "12a",
            "",
            "¥ ",
            "1 000",
        ] {
            assert_eq!(v(text), None, "{text}");
        }
        let (_, _, f) = parse_formatted("￥1,234", true).unwrap();
        assert!(f.thousands && f.currency && f.fullwidth && !f.percent);
        // Where commas may be decimal commas (files split by `;`), they are not separators.
        assert_eq!(parse_formatted("1,234", false), None);
        assert_eq!(parse_formatted("¥1234", false).map(|p| p.0), Some(1234.0));
    }

    #[test]
    fn formatted_number_columns_are_numeric_with_a_note() {
        let l = load_str(
            "price,rate,yen,wide,plus,mixed\n\"1,234,000\",87%,¥500,１２３,+4,\"1,000\"\n\"12,000\",5%,1200円,４５,+5,abc\n",
        )
        .unwrap();
        let num = |name: &str| match &l.table.column(name).unwrap().data {
            ColumnData::Numeric { values, integer } => (values.clone(), *integer),
            d => panic!("{name}: {d:?}"),
        };
        assert_eq!(num("price"), (vec![1_234_000.0, 12_000.0], true));
        assert_eq!(num("rate"), (vec![0.87, 0.05], false));
        assert_eq!(num("yen"), (vec![500.0, 1200.0], true));
        assert_eq!(num("wide"), (vec![123.0, 45.0], true));
        assert_eq!(num("plus"), (vec![4.0, 5.0], true));
        // Mixed: stays text as written, flagged as mostly numbers.
        let mixed = l.table.column("mixed").unwrap();
        assert_eq!(mixed.kind(), Kind::Categorical);
        assert_eq!(mixed.display(0), "1,000");
        assert!(matches!(
            mixed.data,
            ColumnData::Categorical {
                numeric_like: true,
                ..
            }
        ));
        let c = &l.report.conversions;
        assert_eq!(
            c.iter().map(|c| c.column.as_str()).collect::<Vec<_>>(),
            ["price", "rate", "yen", "wide"]
        );
        assert_eq!((c[0].cells, c[0].thousands), (2, 2));
        assert_eq!((c[1].cells, c[1].percent), (2, 2));
        assert_eq!((c[2].cells, c[2].currency), (2, 2));
        assert_eq!((c[3].cells, c[3].fullwidth), (2, 2));
    }

    #[test]
    fn conversion_can_be_turned_off_per_column() {
        let opts = LoadOptions {
            keep_text: vec!["price".into()],
            ..LoadOptions::default()
        };
        let l = load(b"price,cost\n\"1,200\",\"1,300\"\n5,6\n", &opts).unwrap();
        let price = l.table.column("price").unwrap();
        assert_eq!(price.kind(), Kind::Categorical);
        assert_eq!(price.display(0), "1,200");
        assert_eq!(price.display(1), "5");
        assert_eq!(l.table.column("cost").unwrap().kind(), Kind::Numeric);
        assert_eq!(l.report.conversions.len(), 1);
        assert_eq!(l.report.conversions[0].column, "cost");
    }

    #[test]
    fn semicolon_files_keep_decimal_commas_as_text() {
        let l = load_str("a;b\n1,500;2\n2,250;3\n").unwrap();
        assert_eq!(l.report.delimiter, b';');
        assert_eq!(l.table.column("a").unwrap().kind(), Kind::Categorical);
        assert!(l.report.conversions.is_empty());
    }

    #[test]
    fn parse_date_rules() {
        let day = |y, m, d| {
            let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
            (i64::from(chrono::Datelike::num_days_from_ce(&date)) - UNIX_EPOCH_DAYS_FROM_CE) as f64
                * 86_400.0
        };
        let d = day(2024, 3, 5);
        assert_eq!(parse_date("2024-03-05"), Some((d, false)));
        assert_eq!(parse_date("2024/03/05"), Some((d, false)));
        assert_eq!(parse_date("2024/3/5"), Some((d, false)));
        assert_eq!(parse_date("2024年3月5日"), Some((d, false)));
        assert_eq!(parse_date(" 2024-3-5 "), Some((d, false)));
        assert_eq!(
            parse_date("2024-03-05 13:45"),
            Some((d + 13.0 * 3600.0 + 45.0 * 60.0, true))
        );
        assert_eq!(
            parse_date("2024/3/5 9:05:30"),
            Some((d + 9.0 * 3600.0 + 5.0 * 60.0 + 30.0, true))
        );
        assert_eq!(
            parse_date("2024-03-05T13:45:30.25"),
            Some((d + 13.0 * 3600.0 + 45.0 * 60.0 + 30.25, true))
        );
        assert_eq!(parse_date("1970-01-01"), Some((0.0, false)));
        assert_eq!(parse_date("1969-12-31"), Some((-86_400.0, false)));
        for text in [
            "2024-02-30",
            "2024-13-01",
            "2024/03-05",
            "2024-3",
            "20240305",
            "2024-03-05 25:00",
            "2024-03-05 12:60",
            "2024-03-05x",
            "24-03-05",
            "0000-01-01",
            "2024-03-05 1:5",
            "abc",
            "2024年3月5",
            "2024-03-05T",
            "2024-03-05 13:45:30.",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(format_date(d, false), "2024-03-05");
        assert_eq!(
            format_date(d + 13.0 * 3600.0 + 45.0 * 60.0 + 30.25, true),
            "2024-03-05 13:45:30.25"
        );
        assert_eq!(format_date(-86_400.0, true), "1969-12-31 00:00:00");
        assert_eq!(format_date(f64::NAN, false), "");
        // 2024-03-05 was a Tuesday.
        assert_eq!(date_parts(d), Some((2024.0, 3.0, 1.0, d / 86_400.0)));
    }

    #[test]
    fn date_columns_get_the_date_kind() {
        let l = load_str(
            "d,t,n,bad\n2024/3/5,2024-03-05 13:45,2024,2024-03-05\n,2024-03-06 08:00,2025,x\n2024年12月31日,,2026,2024-03-07\n",
        )
        .unwrap();
        let d = l.table.column("d").unwrap();
        assert_eq!(d.kind(), Kind::Date);
        assert_eq!(d.display(0), "2024-03-05");
        assert!(d.is_missing(1));
        assert_eq!(d.display(2), "2024-12-31");
        assert_eq!(d.pandas_dtype(), "datetime64[ns]");
        let t = l.table.column("t").unwrap();
        assert_eq!(t.kind(), Kind::Date);
        assert_eq!(t.display(0), "2024-03-05 13:45:00");
        // A bare year is a number; a date column with a stray word is text, as written.
        assert_eq!(l.table.column("n").unwrap().kind(), Kind::Numeric);
        let bad = l.table.column("bad").unwrap();
        assert_eq!(bad.kind(), Kind::Categorical);
        assert_eq!(bad.display(0), "2024-03-05");
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
