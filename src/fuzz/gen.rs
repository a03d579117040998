//! The generators: a small seeded PRNG, random CSV files, settings, recipes, formulas and the
//! mutations applied to valid inputs (bit flips, truncation, splicing, JSON values replaced).

use serde_json::{json, Map, Value};

use super::{gated, Gate};

/// SplitMix64: tiny, fast and good enough to drive generators; the same seed gives the same
/// case on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The generator of case `seed` of target number `target`.
    pub fn for_case(target: u8, seed: u64) -> Rng {
        let mut r = Rng(seed ^ (u64::from(target) + 1).wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A number from a mix of ordinary, boundary and extreme values.
    pub fn odd_f64(&mut self) -> f64 {
        match self.below(12) {
            0 => 0.0,
            1 => -0.0,
            2 => 1.0,
            3 => -1.0,
            4 => f64::MAX,
            5 => f64::MIN_POSITIVE,
            6 => 1e300 * self.unit(),
            7 => -(self.next_u64() as f64),
            8 => (self.next_u64() % 1000) as f64,
            9 => 4_294_967_295.0,
            10 => 0.5,
            _ => (self.unit() - 0.5) * 200.0,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CSV files

/// A generated file with what the generator knows about it.
#[derive(Debug, Clone)]
pub struct CsvCase {
    pub bytes: Vec<u8>,
    pub opts: crate::engine::LoadOptions,
    /// How the text was written (for `--show`).
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ColKind {
    Int,
    Float,
    Categorical,
    Mixed,
    Empty,
    Constant,
    IdLike,
    Formatted,
    Text,
}

const NA_TOKENS: [&str; 9] = ["", "NA", "?", "nan", "null", "N/A", "NaN", "-", "None"];

fn name(r: &mut Rng, i: usize) -> String {
    match r.below(14) {
        0 => String::new(),
        1 => "x".into(),
        2 => format!("列{i}"),
        3 => format!("col \"{i}\""),
        4 => format!("a,b;{i}\t"),
        5 => "x".repeat(r.range(50, 300)),
        6 => format!("Ünïcødé {i} 🚀"),
        7 => format!("ctrl\u{1}\u{7f}{i}"),
        8 => "target".into(),
        9 => format!("__DATA_PATH__{i}"),
        10 => format!("line\nbreak{i}"),
        _ => format!("c{i}"),
    }
}

fn cell(r: &mut Rng, kind: ColKind, row: usize, levels: &[String]) -> String {
    match kind {
        ColKind::Int => format!("{}", r.below(2000) as i64 - 1000),
        ColKind::Float => match r.below(8) {
            0 => format!("{:e}", r.odd_f64()),
            1 => "1e999".into(),
            2 => "-0.0".into(),
            3 => format!("{}", r.unit()),
            _ => format!("{:.3}", (r.unit() - 0.3) * 100.0),
        },
        ColKind::Categorical => r.pick(levels).clone(),
        ColKind::Mixed => {
            if r.chance(0.5) {
                format!("{}", r.below(50))
            } else {
                r.pick(levels).clone()
            }
        }
        ColKind::Empty => String::new(),
        ColKind::Constant => "7".into(),
        ColKind::IdLike => format!("id-{row}"),
        ColKind::Formatted => match r.below(5) {
            0 => format!("{},{:03}", r.range(1, 999), r.below(1000)),
            1 => format!("¥{}", r.below(100000)),
            2 => format!("{}%", r.below(100)),
            3 => format!("2024-0{}-1{}", r.range(1, 9), r.below(10)),
            _ => format!("{}", r.below(10)),
        },
        ColKind::Text => match r.below(8) {
            0 => "=cmd|' /C calc'!A0".into(),
            1 => "\"quoted, with comma\"".into(),
            2 => "multi\nline".into(),
            3 => "日本語テキスト".into(),
            4 => "\u{2028}sep".into(),
            5 => "ab\"c".into(),
            6 => "  padded  ".into(),
            _ => format!("t{}", r.below(30)),
        },
    }
}

/// Quote a field as CSV does (or, sometimes, badly).
fn field(r: &mut Rng, s: &str, delim: char, sloppy: bool) -> String {
    let needs = s.contains(delim) || s.contains('"') || s.contains('\n') || s.contains('\r');
    if sloppy && r.chance(0.05) {
        return format!("\"{s}");
    }
    if needs || r.chance(0.05) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A random CSV file: shape, kinds, missing pattern, quoting, line ends, encoding, delimiter
/// and reader options; sometimes damaged afterwards.
pub fn csv(r: &mut Rng, max_rows: usize) -> CsvCase {
    let n_cols = match r.below(10) {
        0 => 1,
        1 => r.range(20, 60),
        _ => r.range(2, 7),
    };
    let n_rows = match r.below(10) {
        0 => 0,
        1 => 1,
        2 => r.range(2, 5),
        _ => r.range(5, max_rows.max(5)),
    };
    let delim = *r.pick(&[',', ';', '\t']);
    let sloppy = r.chance(0.15);
    let kinds: Vec<ColKind> = (0..n_cols)
        .map(|_| {
            *r.pick(&[
                ColKind::Int,
                ColKind::Int,
                ColKind::Float,
                ColKind::Float,
                ColKind::Categorical,
                ColKind::Categorical,
                ColKind::Mixed,
                ColKind::Empty,
                ColKind::Constant,
                ColKind::IdLike,
                ColKind::Formatted,
                ColKind::Text,
            ])
        })
        .collect();
    let names: Vec<String> = (0..n_cols).map(|i| name(r, i)).collect();
    let levels: Vec<Vec<String>> = (0..n_cols)
        .map(|c| {
            let k = *r.pick(&[1, 2, 3, 5, 12, 150]);
            (0..k)
                .map(|i| match r.below(6) {
                    0 => format!("カテゴリ{i}"),
                    1 => format!("L {c}-{i}"),
                    2 => format!("{i}"),
                    _ => format!("v{i}"),
                })
                .collect()
        })
        .collect();
    // Missing patterns per column: none, random share, leading block, all, all but one.
    let missing: Vec<(u8, f64)> = (0..n_cols).map(|_| (r.below(6) as u8, r.unit())).collect();
    let eol = if r.chance(0.3) { "\r\n" } else { "\n" };
    let mut text = String::new();
    let header: Vec<String> = names.iter().map(|n| field(r, n, delim, sloppy)).collect();
    text.push_str(&header.join(&delim.to_string()));
    text.push_str(eol);
    for row in 0..n_rows {
        let mut cells = Vec::with_capacity(n_cols);
        for c in 0..n_cols {
            let (pattern, share) = missing[c];
            let is_missing = match pattern {
                0 | 1 => false,
                2 => r.chance(share),
                3 => row < (share * n_rows as f64) as usize,
                4 => true,
                _ => row != 0,
            };
            let s = if is_missing {
                r.pick(&NA_TOKENS).to_string()
            } else {
                cell(r, kinds[c], row, &levels[c])
            };
            cells.push(field(r, &s, delim, sloppy));
        }
        if sloppy {
            match r.below(10) {
                0 => {
                    cells.pop();
                }
                1 => cells.push("extra".into()),
                2 => cells.clear(),
                _ => {}
            }
        }
        text.push_str(&cells.join(&delim.to_string()));
        if row + 1 < n_rows || r.chance(0.8) {
            text.push_str(eol);
        }
    }
    let (encoding, mut bytes) = encode(r, &text);
    if r.chance(0.08) {
        mutate_bytes(r, &mut bytes);
    }
    let mut opts = crate::engine::LoadOptions::default();
    if r.chance(0.3) {
        opts.delimiter = Some(*r.pick(b",;\t"));
    }
    if r.chance(0.2) {
        let label = *r.pick(&[
            "utf-8",
            "shift_jis",
            "utf-16le",
            "utf-16be",
            "windows-1252",
            "euc-jp",
            "latin1",
            "klingon",
            "",
        ]);
        opts.encoding = Some(label.into());
    }
    if r.chance(0.2) {
        let n = r.below(4);
        opts.na_values = (0..n).map(|_| r.pick(&NA_TOKENS).to_string()).collect();
    }
    let note = format!(
        "{n_rows} rows × {n_cols} columns, kinds {kinds:?}, delimiter {delim:?}, {encoding}, sloppy {sloppy}"
    );
    CsvCase { bytes, opts, note }
}

fn encode(r: &mut Rng, text: &str) -> (&'static str, Vec<u8>) {
    match r.below(9) {
        0 => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            ("utf-8 BOM", b)
        }
        1 => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            ("utf-16le BOM", b)
        }
        2 => {
            let mut b = if r.chance(0.5) {
                vec![0xFE, 0xFF]
            } else {
                Vec::new()
            };
            b.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            ("utf-16be", b)
        }
        3 => (
            "shift_jis",
            encoding_rs::SHIFT_JIS.encode(text).0.into_owned(),
        ),
        4 => (
            "windows-1252",
            encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
        ),
        5 => ("euc-jp", encoding_rs::EUC_JP.encode(text).0.into_owned()),
        _ => ("utf-8", text.as_bytes().to_vec()),
    }
}

/// Damage bytes: flip bits, cut, duplicate or insert a run.
pub fn mutate_bytes(r: &mut Rng, b: &mut Vec<u8>) {
    for _ in 0..r.range(1, 4) {
        if b.is_empty() {
            b.push(r.next_u64() as u8);
            continue;
        }
        let at = r.below(b.len());
        match r.below(6) {
            0 => b[at] ^= 1 << r.below(8),
            1 => b.truncate(at),
            2 => {
                let end = (at + r.range(1, 16)).min(b.len());
                let piece = b[at..end].to_vec();
                let to = r.below(b.len() + 1);
                b.splice(to..to, piece);
            }
            3 => b[at] = *r.pick(&[0, b'"', b',', b'\n', b'\r', 0xFF, 0xC3, b';', b'\t']),
            4 => {
                let end = (at + r.range(1, 8)).min(b.len());
                b.drain(at..end);
            }
            _ => b.insert(at, r.next_u64() as u8),
        }
    }
}

/// Damage text at a character boundary (so the result is still a string).
pub fn mutate_text(r: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..r.range(1, 4) {
        let at = r.below(chars.len() + 1);
        match r.below(5) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 => chars.truncate(at),
            2 if at < chars.len() => {
                let end = (at + r.range(1, 20)).min(chars.len());
                let piece: Vec<char> = chars[at..end].to_vec();
                let to = r.below(chars.len() + 1);
                chars.splice(to..to, piece);
            }
            _ => chars.insert(
                at,
                *r.pick(&[
                    '(', ')', '"', '\\', '{', '}', '[', ']', ',', ':', '0', '9', '-', 'e', '.',
                    'é', '\u{0}', '\u{2028}', '界', ' ',
                ]),
            ),
        }
    }
    chars.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// Settings

/// Diagnosis settings: ordinary, boundary and out-of-range values.
pub fn analysis_config(r: &mut Rng, target: String) -> crate::engine::diagnose::AnalysisConfig {
    use crate::engine::Task;
    let mut cfg = crate::engine::diagnose::AnalysisConfig::new(target);
    let threshold = |r: &mut Rng, normal: f64| match r.below(6) {
        0 => r.odd_f64(),
        1 => 0.0,
        2 => -r.unit(),
        _ => normal * (0.5 + r.unit()),
    };
    cfg.missing_threshold = threshold(r, 50.0);
    cfg.corr_threshold = threshold(r, 0.8);
    cfg.cramer_threshold = threshold(r, 0.5);
    cfg.task = *r.pick(&[
        None,
        None,
        Some(Task::Regression),
        Some(Task::Classification),
    ]);
    cfg.min_overlap = *r.pick(&[0, 1, 5, 30, usize::MAX]);
    cfg.missing_as_category = r.chance(0.5);
    cfg.hist_bins = hist_bins(r);
    cfg
}

/// Histogram bin counts, the huge ones only once their bound is in.
pub fn hist_bins(r: &mut Rng) -> usize {
    match r.below(8) {
        0 => 0,
        1 => 1,
        2 => r.range(2, 200),
        3 if !gated(Gate::HugeBins) => *r.pick(&[100_000_000, u32::MAX as usize, usize::MAX]),
        3 => 10_000,
        _ => 30,
    }
}

const KINDS: [&str; 10] = [
    "linear_regression",
    "ridge",
    "lasso",
    "elastic_net",
    "decision_tree",
    "random_forest",
    "logistic_regression",
    "k_neighbors",
    "gaussian_nb",
    "support_vector",
];

/// A model as a recipe carries it: in range (kept small so cases stay quick), out of range,
/// missing or unknown parameters, or an unknown kind.
pub fn model_spec(r: &mut Rng, heavy: bool) -> Value {
    let kind = *r.pick(&KINDS);
    let mut m = Map::new();
    m.insert("kind".into(), json!(kind));
    let odd = r.chance(0.15);
    let num = |r: &mut Rng, normal: Value| -> Value {
        if odd && r.chance(0.5) {
            match r.below(7) {
                0 => json!(-1),
                1 => json!(0),
                2 => json!(0.5),
                3 => json!(1e300),
                4 => json!(u64::MAX),
                5 => json!("3"),
                _ => Value::Null,
            }
        } else {
            normal
        }
    };
    match kind {
        "ridge" | "lasso" => {
            let a = {
                let v = json!(r.odd_f64().abs().min(1e6));
                num(r, v)
            };
            m.insert("alpha".into(), a);
        }
        "elastic_net" => {
            let a = {
                let v = json!(r.unit() * 10.0);
                num(r, v)
            };
            m.insert("alpha".into(), a);
            let l = {
                let v = json!(r.unit());
                num(r, v)
            };
            m.insert("l1_ratio".into(), l);
        }
        "decision_tree" | "random_forest" => {
            let d = {
                let v = json!(*r.pick(&[None, Some(1), Some(3), Some(30)]));
                num(r, v)
            };
            m.insert("max_depth".into(), d);
            let l = {
                let v = json!(r.range(1, 5));
                num(r, v)
            };
            m.insert("min_samples_leaf".into(), l);
            let s = {
                let v = json!(r.next_u64() % 4_294_967_296);
                num(r, v)
            };
            m.insert("random_state".into(), s);
            if kind == "random_forest" {
                let n = if heavy && r.chance(0.05) {
                    r.range(50, 300)
                } else {
                    r.range(1, 12)
                };
                let n = {
                    let v = json!(n);
                    num(r, v)
                };
                m.insert("n_estimators".into(), n);
                let f = {
                    let v = json!(*r.pick(&[1.0, 0.5, 0.01, 0.33]));
                    num(r, v)
                };
                m.insert("max_features".into(), f);
            }
        }
        "logistic_regression" => {
            let c = {
                let v = json!(*r.pick(&[1.0, 0.01, 100.0, 1e-9, 1e9]));
                num(r, v)
            };
            m.insert("C".into(), c);
        }
        "k_neighbors" => {
            let k = {
                let v = json!(*r.pick(&[1, 3, 5, 50, 1000]));
                num(r, v)
            };
            m.insert("n_neighbors".into(), k);
        }
        _ => {}
    }
    if r.chance(0.03) {
        m.insert("unknown_param".into(), json!(1));
    }
    if r.chance(0.05) && !m.is_empty() {
        let keys: Vec<String> = m.keys().cloned().collect();
        let k = r.pick(&keys).clone();
        m.remove(&k);
    }
    Value::Object(m)
}

/// A recipe for a table with these columns, as JSON text (sometimes damaged).
pub fn recipe_json(r: &mut Rng, columns: &[String], heavy: bool) -> String {
    let col = |r: &mut Rng| -> String {
        if columns.is_empty() || r.chance(0.05) {
            "no such column".into()
        } else {
            r.pick(columns).clone()
        }
    };
    let target = col(r);
    let mut v = Map::new();
    v.insert("version".into(), json!(*r.pick(&[1, 1, 1, 1, 0, 2])));
    if r.chance(0.3) {
        let na: Vec<&str> = (0..r.below(4)).map(|_| *r.pick(&NA_TOKENS)).collect();
        v.insert("na_values".into(), json!(na));
    }
    v.insert("target".into(), json!(target));
    if r.chance(0.5) {
        v.insert(
            "task".into(),
            json!(*r.pick(&["regression", "classification", "clustering"])),
        );
    }
    let exclude: Vec<String> = (0..r.below(3)).map(|_| col(r)).collect();
    v.insert("exclude".into(), json!(exclude));
    let test_size = match r.below(8) {
        0 => r.odd_f64(),
        1 => 1e-9,
        2 => 0.999,
        _ => *r.pick(&[0.2, 0.25, 0.3, 0.5]),
    };
    v.insert(
        "split".into(),
        json!({
            "test_size": test_size,
            "shuffle": r.chance(0.8),
            "random_state": r.next_u64() % 4_294_967_296,
            "stratify": r.chance(0.3),
        }),
    );
    if r.chance(0.3) {
        let lo = r.odd_f64();
        let hi = r.odd_f64();
        let filter = match r.below(3) {
            0 => json!({"column": col(r), "min": lo}),
            1 => json!({"column": col(r), "max": hi}),
            _ => json!({"column": col(r), "min": lo, "max": hi}),
        };
        v.insert("train_filters".into(), json!([filter]));
    }
    let mut numeric = json!({
        "impute": *r.pick(&["median", "mean", "most_frequent", "constant"]),
        "scale": *r.pick(&["standard", "min_max", "none"]),
    });
    if r.chance(0.5) {
        numeric["fill_value"] = json!(r.odd_f64());
    }
    v.insert("numeric".into(), numeric);
    let mut categorical = json!({
        "impute": *r.pick(&["most_frequent", "constant"]),
        "encode": *r.pick(&["ordinal", "onehot"]),
    });
    if r.chance(0.5) {
        categorical["fill_value"] = json!(*r.pick(&["missing", "", "__SEP__", "'\"\\"]));
    }
    v.insert("categorical".into(), categorical);
    v.insert("target_scale".into(), json!(*r.pick(&["none", "standard"])));
    let n_models = *r.pick(&[0, 1, 1, 1, 2, 3]);
    let models: Vec<Value> = (0..n_models).map(|_| model_spec(r, heavy)).collect();
    v.insert("models".into(), Value::Array(models));
    let mut text = Value::Object(v).to_string();
    if r.chance(0.04) {
        text = mutate_text(r, &text);
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Formulas

const VARS: [&str; 6] = ["a", "b", "wage", "検品者", "_x1", "hours"];

/// The deepest nesting and longest sum generated while the parser has no depth limit.
const SAFE_DEPTH: usize = 200;

fn expr(r: &mut Rng, depth: usize, out: &mut String) {
    if depth == 0 || r.chance(0.3) {
        match r.below(6) {
            0 => out.push_str(r.pick::<&str>(&VARS)),
            1 => out.push_str(&format!("{}", r.below(1000))),
            2 => out.push_str(&format!("{}", r.odd_f64())),
            3 => out
                .push_str(r.pick::<&str>(&["1e999", "0.5", ".5", "5.", "1e-400", "1_000", "1,5"])),
            4 => out.push_str(r.pick::<&str>(&["unknown", "Ａ", "x y"])),
            _ => out.push_str(&format!("{}.{}", r.below(100), r.below(100))),
        }
        return;
    }
    match r.below(5) {
        0 => {
            out.push('(');
            expr(r, depth - 1, out);
            out.push(')');
        }
        1 => {
            out.push('-');
            expr(r, depth - 1, out);
        }
        _ => {
            expr(r, depth - 1, out);
            out.push_str(r.pick::<&str>(&[" + ", "-", " * ", "/", " / 0", "*-"]));
            expr(r, depth - 1, out);
        }
    }
}

/// A formula: structured, deeply nested, a long sum, random characters, or a mutation.
pub fn formula(r: &mut Rng) -> String {
    let limit = if gated(Gate::FormulaDepth) {
        SAFE_DEPTH
    } else {
        20_000
    };
    match r.below(8) {
        0 => {
            let n = r.range(1, limit);
            format!("{}1{}", "(".repeat(n), ")".repeat(n))
        }
        1 => {
            let n = r.range(1, limit);
            vec!["a"; n].join(*r.pick(&["+", "-", "*", "/"]))
        }
        2 => {
            let n = r.range(1, limit);
            format!("{}1", "-".repeat(n))
        }
        3 => {
            let n = r.below(60);
            (0..n)
                .map(|_| {
                    *r.pick(&[
                        '(', ')', '+', '-', '*', '/', '1', '0', '.', 'e', 'a', ' ', '　', '検',
                        '\u{0}', '\u{202e}', '🚀', ',', '_', '^', '%', '\t', '\n', 'Ａ', '１',
                    ])
                })
                .collect()
        }
        4 => {
            let mut s = String::new();
            let depth = r.range(1, 6);
            expr(r, depth, &mut s);
            mutate_text(r, &s)
        }
        5 => {
            // Unbalanced nesting near the limit.
            let n = r.range(1, limit);
            format!("{}a+b{}", "(".repeat(n), ")".repeat(r.below(n + 2)))
        }
        _ => {
            let mut s = String::new();
            let depth = r.range(1, 8);
            expr(r, depth, &mut s);
            s
        }
    }
}

/// Variable values for a formula.
pub fn formula_vars(r: &mut Rng) -> std::collections::HashMap<String, f64> {
    let mut out = std::collections::HashMap::new();
    for v in VARS {
        if r.chance(0.8) {
            let x = match r.below(6) {
                0 => f64::NAN,
                1 => f64::INFINITY,
                2 => 0.0,
                _ => r.odd_f64(),
            };
            out.insert(v.to_string(), x);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// JSON mutation (share links, model files)

/// A random JSON value of small size.
pub fn random_json(r: &mut Rng, depth: usize) -> Value {
    match r.below(if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => json!(r.chance(0.5)),
        2 => json!(r.odd_f64()),
        3 => json!(r.next_u64() >> r.below(64)),
        4 => json!(*r.pick(&["", "x", "forest", "Split", "Leaf", "standard", "日本"])),
        5 => json!(-(r.below(10) as i64)),
        6 => Value::Array((0..r.below(4)).map(|_| random_json(r, depth - 1)).collect()),
        _ => {
            let keys = [
                "kind", "nodes", "left", "value", "v", "hide", "trees", "coef",
            ];
            Value::Object(
                (0..r.below(4))
                    .map(|_| (r.pick(&keys).to_string(), random_json(r, depth - 1)))
                    .collect(),
            )
        }
    }
}

/// Every path (as a list of steps) to a value inside `v`.
fn paths(v: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(Step::Index(i));
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                at.push(Step::Key(k.clone()));
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Index(usize),
    Key(String),
}

fn at_path<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in path {
        cur = match (s, cur) {
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            (Step::Key(k), Value::Object(o)) => o.get_mut(k)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Change one value inside `v`: a number nudged, negated, made huge or fractional or an index
/// past the end; an array emptied, cut, extended or reordered; a key removed; a value replaced
/// by another type.
pub fn mutate_json(r: &mut Rng, v: &mut Value) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    // Prefer numbers and arrays: that is where indices and lengths live.
    let path = {
        let mut chosen = r.pick(&all).clone();
        for _ in 0..3 {
            let p = r.pick(&all).clone();
            if matches!(
                at_path(v, &p),
                Some(Value::Number(_)) | Some(Value::Array(_))
            ) {
                chosen = p;
                break;
            }
        }
        chosen
    };
    let Some(target) = at_path(v, &path) else {
        return;
    };
    match target {
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            *target = match r.below(10) {
                0 => json!(x + 1.0),
                1 => json!(-x),
                2 => json!(x * 1e10),
                3 => json!(x + 0.5),
                4 => json!(0),
                5 => json!(u64::MAX),
                6 => json!(r.below(64)),
                7 => json!(1e308),
                8 => json!((x as i64).wrapping_sub(1)),
                _ => json!(r.odd_f64()),
            };
        }
        Value::Array(a) => match r.below(6) {
            0 => a.clear(),
            1 if !a.is_empty() => {
                let n = r.below(a.len());
                a.truncate(n);
            }
            2 if !a.is_empty() => {
                let x = a[r.below(a.len())].clone();
                a.push(x);
            }
            3 if a.len() > 1 => {
                let (i, j) = (r.below(a.len()), r.below(a.len()));
                a.swap(i, j);
            }
            4 => a.push(random_json(r, 2)),
            _ if !a.is_empty() => {
                let i = r.below(a.len());
                a[i] = random_json(r, 2);
            }
            _ => a.push(json!(0)),
        },
        Value::Object(o) => {
            if !o.is_empty() && r.chance(0.6) {
                let keys: Vec<String> = o.keys().cloned().collect();
                o.remove(r.pick(&keys));
            } else {
                o.insert(
                    r.pick(&["extra", "kind", "v", "nodes"]).to_string(),
                    random_json(r, 2),
                );
            }
        }
        Value::String(s) => {
            *target = match r.below(4) {
                0 => json!(""),
                1 => json!(mutate_text(r, s)),
                2 => json!(s.repeat(50)),
                _ => random_json(r, 1),
            };
        }
        _ => *target = random_json(r, 2),
    }
}

/// While predict can loop on a tree that points back up, keep mutated child indices pointing
/// forward (an index past the end still panics, which is the known-open finding).
pub fn forward_only(v: &mut Value) {
    if !gated(Gate::TreeCycles) {
        return;
    }
    match v {
        Value::Object(o) => {
            if let Some(Value::Array(nodes)) = o.get_mut("nodes") {
                let n = nodes.len() as u64;
                for (i, node) in nodes.iter_mut().enumerate() {
                    if let Some(split) = node.get_mut("Split").and_then(Value::as_object_mut) {
                        for key in ["left", "right"] {
                            if let Some(c) = split.get(key).and_then(Value::as_u64) {
                                if c <= i as u64 {
                                    split.insert(key.into(), json!(n + c + 1));
                                }
                            }
                        }
                    }
                }
            }
            for (_, x) in o.iter_mut() {
                forward_only(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(forward_only),
        _ => {}
    }
}
