//! The `mlplay` command line: the engine on files, for scripts, parity tests and teachers.

use std::io::Write;

use serde_json::json;

use crate::engine::data::summary::{self, NumericSummary};
use crate::engine::data::table::format_number;
use crate::engine::data::table::Table;
use crate::engine::diagnose::{analyze as run_analysis, AnalysisConfig};
use crate::engine::model_file::{predictions_csv, ModelFile};
use crate::engine::pipeline::recipe::{run_json, run_with_clock, Fitted, Recipe, RunResult};
use crate::engine::Task;
use crate::engine::{Error, LoadOptions};

const USAGE: &str = "\
usage:
  mlplay info FILE [--na TOKENS] [--encoding LABEL] [--delimiter ,|;|tab] [--json]
  mlplay analyze FILE --target COL [--task regression|classification] [--missing-threshold PCT]
                 [--corr-threshold R] [--cramer-threshold V] [--missing-as-category] [--bins N]
                 [--na TOKENS] [--encoding LABEL] [--delimiter D] [--json]
  mlplay run --recipe RECIPE.json FILE [--json] [--save-models DIR] [--predictions OUT.csv]
  mlplay report --recipe RECIPE.json FILE --format html|md|ipynb|pyspark [--data-path PATH]
                [--lang en|ja]
  mlplay predict --model MODEL.json FILE [--out PRED.csv]
  mlplay serve --model MODEL.json [--addr 127.0.0.1:8080] [--max-body BYTES] [--sagemaker]

  --na TOKENS       comma-separated values read as missing (replaces the defaults:
                    pandas 1.x's list plus '?', without 'None'); the empty cell is always missing
  --encoding LABEL  text encoding (utf-8, shift_jis, utf-16le, …); detected when absent
  --keep-text COLS  comma-separated columns whose formatted numbers (1,234 ¥500 87% １２３)
                    stay text; elsewhere they are read as numbers (87% as 0.87)
  --delimiter D     field delimiter; sniffed among , ; and tab when absent
  --json            print JSON instead of a table
  --save-models DIR write each trained model, with its fitted preprocessing, to DIR as
                    model-N-KIND.json (the file the page's download button gives)
  --predictions OUT.csv
                    write every model's test-row predictions there: the column `row` (the
                    row's position in FILE, from 0), then per model `model-N-KIND` (the value,
                    or the class) and for a classifier `model-N-KIND-probability_CLASS`;
                    numbers are written so that they read back bit for bit
  --format F        the report of the workshop walk-through on FILE with RECIPE, to standard
                    output: html (standalone, charts inline), md (a zip: report.md + charts/),
                    ipynb (a notebook whose code reproduces the recipe with scikit-learn), or
                    pyspark (the recipe as a Spark MLlib program)
  --data-path PATH  where the notebook or program finds the CSV, relative to itself
                    (default: FILE's name)
  --lang en|ja      the report's language (default en)
  --out PRED.csv    write the scored rows there instead of to standard output
  --addr HOST:PORT  where the prediction server listens (loopback unless told otherwise)
  --max-body BYTES  the largest request body the server accepts (default 1048576)
  --sagemaker       listen as a SageMaker model container does: on all interfaces at port
                    8080 (or $SAGEMAKER_BIND_TO_PORT), bodies up to 6 MiB, the model from
                    /opt/ml/model/model.json unless --model says otherwise; --addr and
                    --max-body still win. Anyone who can reach the port can use the model";

/// Run the command line with `args` (without the program name); returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match dispatch(args, out).and_then(|()| out.flush().map_err(stdout_error)) {
        Ok(()) => 0,
        Err(CliError::Usage(m)) => {
            let _ = writeln!(err, "mlplay: {m}\n{USAGE}");
            2
        }
        Err(CliError::Engine(file, e)) => {
            let _ = writeln!(
                err,
                "mlplay: {}: {}",
                terminal_safe(&file),
                terminal_safe(&e.to_string())
            );
            1
        }
    }
}

/// Characters that a terminal would act on or that would hide text: controls (C0, DEL, C1),
/// line and paragraph separators, bidirectional overrides and isolates, zero-width marks.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Text from a file (a name, a value, a path) for the terminal: every control or invisible
/// character is shown as Rust writes it, `\u{1b}`, so an escape sequence in a header can
/// neither move the cursor nor recolour the screen, and a name shows what it holds.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if hidden(c) {
                    format!("\\u{{{:x}}}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// JSON text for the terminal: serde_json escapes the C0 controls but writes DEL, the C1
/// controls and the invisible characters as they are; here they become `\uXXXX` escapes,
/// which read back as the same strings (outside strings JSON has only ASCII and line breaks).
fn json_safe(json: &str) -> std::borrow::Cow<'_, str> {
    // Line breaks of pretty-printed JSON are layout; inside strings they are escaped already.
    let hidden = |c: char| c != '\n' && hidden(c);
    if !json.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if hidden(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{:04x}", u));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A failed write to standard output (a full disk, a closed pipe) is an error, never a silent
/// success.
fn stdout_error(e: std::io::Error) -> CliError {
    CliError::Engine("standard output".into(), Error::Io(e.to_string()))
}

enum CliError {
    Usage(String),
    Engine(String, Error),
}

struct Opts {
    file: String,
    load: LoadOptions,
    json: bool,
    analysis: Option<AnalysisConfig>,
}

fn parse_opts(args: &[String]) -> Result<Opts, CliError> {
    let mut file = None;
    let mut load = LoadOptions::default();
    let mut json = false;
    let mut cfg = AnalysisConfig::new("");
    let mut target = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--json" => json = true,
            "--target" => target = Some(value("--target")?),
            "--task" => {
                cfg.task = Some(match value("--task")?.as_str() {
                    "regression" => Task::Regression,
                    "classification" => Task::Classification,
                    other => return Err(CliError::Usage(format!("unknown task '{other}'"))),
                })
            }
            "--missing-threshold" => {
                cfg.missing_threshold = number(&value("--missing-threshold")?)?
            }
            "--corr-threshold" => cfg.corr_threshold = number(&value("--corr-threshold")?)?,
            "--cramer-threshold" => cfg.cramer_threshold = number(&value("--cramer-threshold")?)?,
            "--bins" => cfg.hist_bins = number(&value("--bins")?)? as usize,
            "--missing-as-category" => cfg.missing_as_category = true,
            "--na" => load = load.with_na_list(&value("--na")?),
            "--encoding" => load.encoding = Some(value("--encoding")?),
            "--keep-text" => {
                load.keep_text = crate::session::parse_column_list(&value("--keep-text")?)
            }
            "--delimiter" => {
                load.delimiter = Some(match value("--delimiter")?.as_str() {
                    "," => b',',
                    ";" => b';',
                    "tab" | "\t" => b'\t',
                    other => {
                        return Err(CliError::Usage(format!(
                            "unsupported delimiter '{other}' (use , ; or tab)"
                        )))
                    }
                })
            }
            s if s.starts_with("--") => return Err(CliError::Usage(format!("unknown option {s}"))),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(CliError::Usage(format!("unexpected argument {s}"))),
        }
    }
    let file = file.ok_or_else(|| CliError::Usage("missing FILE".into()))?;
    let analysis = target.map(|t| AnalysisConfig { target: t, ..cfg });
    Ok(Opts {
        file,
        load,
        json,
        analysis,
    })
}

fn number(s: &str) -> Result<f64, CliError> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| CliError::Usage(format!("'{s}' is not a non-negative number")))
}

fn dispatch(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(CliError::Usage("missing command".into()));
    };
    match cmd.as_str() {
        "info" => info(parse_opts(rest)?, out),
        "analyze" => analyze(parse_opts(rest)?, out),
        "run" => run_recipe(rest, out),
        "predict" => predict(rest, out),
        "report" => report(rest, out),
        "serve" => serve(rest, out),
        "-h" | "--help" | "help" => {
            writeln!(out, "{USAGE}").map_err(stdout_error)?;
            Ok(())
        }
        other => Err(CliError::Usage(format!("unknown command '{other}'"))),
    }
}

fn info(o: Opts, out: &mut dyn Write) -> Result<(), CliError> {
    let engine = |e| CliError::Engine(o.file.clone(), e);
    let bytes = read_data(&o.file, &o.load).map_err(engine)?;
    let loaded = crate::engine::load(&bytes, &o.load).map_err(engine)?;
    let info = summary::info(&loaded.table);
    let describe = summary::describe(&loaded.table);
    if o.json {
        let v = json!({
            "rows": info.rows,
            "columns": info.columns,
            "describe": describe,
            "encoding": loaded.report.encoding,
            "delimiter": (loaded.report.delimiter as char).to_string(),
            "short_rows": loaded.report.short_rows,
            "conversions": loaded.report.conversions,
        });
        writeln!(out, "{}", json_safe(&v.to_string())).map_err(stdout_error)?;
        return Ok(());
    }
    let r = &loaded.report;
    writeln!(
        out,
        "{}: {} rows × {} columns (encoding {}, delimiter {:?})",
        terminal_safe(&o.file),
        info.rows,
        info.columns.len(),
        r.encoding,
        r.delimiter as char
    )
    .map_err(stdout_error)?;
    if r.short_rows > 0 {
        writeln!(
            out,
            "note: {} rows had fewer fields than the header (first at line {}); read as missing",
            r.short_rows,
            r.first_short_line.unwrap_or(0)
        )
        .map_err(stdout_error)?;
    }
    for c in &r.conversions {
        let _ = writeln!(
            out,
            "note: {}",
            crate::i18n::conversion_note(crate::i18n::Lang::En, c)
        );
    }
    let w = info
        .columns
        .iter()
        .map(|c| terminal_safe(&c.name).chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "{:>4}  {:<w$}  {:>8}  {:>7}  {:<11}  Dtype",
        "#", "Column", "Non-Null", "Unique", "Kind"
    )
    .map_err(stdout_error)?;
    for (i, c) in info.columns.iter().enumerate() {
        let kind = match c.kind {
            crate::engine::Kind::Numeric => "numeric",
            crate::engine::Kind::Categorical => "categorical",
            crate::engine::Kind::Date => "date",
        };
        writeln!(
            out,
            "{i:>4}  {:<w$}  {:>8}  {:>7}  {kind:<11}  {}",
            terminal_safe(&c.name),
            c.non_null,
            c.unique,
            c.dtype
        )
        .map_err(stdout_error)?;
    }
    if !describe.numeric.is_empty() {
        writeln!(out).map_err(stdout_error)?;
        writeln!(
            out,
            "{:<w$}  {:>6}  {:>12}  {:>12}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}",
            "", "count", "mean", "std", "min", "25%", "50%", "75%", "max"
        )
        .map_err(stdout_error)?;
        for s in &describe.numeric {
            let NumericSummary {
                name,
                count,
                mean,
                std,
                min,
                q1,
                median,
                q3,
                max,
                integer,
            } = s;
            let f = |v: &f64| format_number(*v, false);
            let g = |v: &f64| format_number(*v, *integer);
            let name = terminal_safe(name);
            writeln!(
                out,
                "{name:<w$}  {count:>6}  {:>12}  {:>12}  {:>10}  {:>10}  {:>10}  {:>10}  {:>10}",
                f(mean),
                f(std),
                g(min),
                f(q1),
                f(median),
                f(q3),
                g(max)
            )
            .map_err(stdout_error)?;
        }
    }
    if !describe.dates.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{:<w$}  {:>6}  {:<19}  {:<19}",
            "", "count", "min", "max"
        );
        for s in &describe.dates {
            let _ = writeln!(
                out,
                "{:<w$}  {:>6}  {:<19}  {:<19}",
                s.name,
                s.count,
                s.min.as_deref().unwrap_or(""),
                s.max.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}

fn analyze(o: Opts, out: &mut dyn Write) -> Result<(), CliError> {
    let Some(cfg) = o.analysis.clone() else {
        return Err(CliError::Usage("analyze needs --target COL".into()));
    };
    let engine = |e| CliError::Engine(o.file.clone(), e);
    let bytes = read_data(&o.file, &o.load).map_err(engine)?;
    let loaded = crate::engine::load(&bytes, &o.load).map_err(engine)?;
    let a = run_analysis(&loaded.table, &cfg).map_err(engine)?;
    let target = a.target_summary.as_ref().map(|t| {
        json!({
            "count": t.stats.count, "mean": t.stats.mean, "std": t.stats.std,
            "min": t.stats.min, "q1": t.stats.q1, "median": t.stats.median, "q3": t.stats.q3,
            "max": t.stats.max, "iqr_lower": t.iqr_lower, "iqr_upper": t.iqr_upper,
            "outliers_below": t.outliers_below, "outliers_above": t.outliers_above,
            "whisker_low": t.whisker_low, "whisker_high": t.whisker_high,
            "histogram": t.histogram,
        })
    });
    let missing: serde_json::Map<String, serde_json::Value> = a
        .missing_percent
        .iter()
        .map(|(c, p)| (c.clone(), json!(p)))
        .collect();
    let corr: serde_json::Map<String, serde_json::Value> = a
        .correlation_with_target
        .iter()
        .map(|r| (r.column.clone(), json!(r.value)))
        .collect();
    let measures: serde_json::Map<String, serde_json::Value> = a
        .correlation_with_target
        .iter()
        .map(|r| (r.column.clone(), json!(r.measure)))
        .collect();
    let v = json!({
        "rows": a.rows,
        "columns": a.columns,
        "task": a.task,
        "task_detected": a.task_detected,
        "missing_percent": missing,
        "mostly_missing": a.mostly_missing,
        "target": target,
        "class_counts": a.class_counts,
        "correlation_with_target": corr,
        "correlation_measure": measures,
        "numeric_correlation": a.numeric_corr,
        "high_correlation": a.high_correlation,
        "cramers_v": {
            "threshold": a.cramers_v.threshold,
            "columns": a.cramers_v.columns,
            "pairs": a.cramers_v.pairs,
            "unreliable": a.cramers_v.unreliable,
            "matrix": a.cramers_v.matrix,
            "overlap": a.cramers_v.overlap,
            "not_paired": a.cramers_v.not_paired,
        },
        "relations": a.correlation_with_target,
        "id_like": a.id_like,
        "free_text": a.free_text,
        "constant": a.constant,
        "findings": a.findings,
    });
    if o.json {
        writeln!(out, "{}", json_safe(&v.to_string())).map_err(stdout_error)?;
    } else {
        writeln!(
            out,
            "{}",
            json_safe(&serde_json::to_string_pretty(&v).unwrap_or_default())
        )
        .map_err(stdout_error)?;
    }
    Ok(())
}

/// The value after an option.
fn option_value(it: &mut std::slice::Iter<'_, String>, name: &str) -> Result<String, CliError> {
    it.next()
        .cloned()
        .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))
}

/// A recipe file, parsed; errors name the file.
fn read_recipe(path: &str) -> Result<Recipe, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Engine(path.into(), Error::Io(e.to_string())))?;
    Recipe::from_json(&text).map_err(|e| CliError::Engine(path.into(), e))
}

/// A data file's bytes; a file over the size limit is refused before it is read into memory.
fn read_data(file: &str, opts: &LoadOptions) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| Error::Io(e.to_string());
    let size = std::fs::metadata(file).map_err(io)?.len();
    if size > opts.limits.max_bytes {
        return Err(Error::TooManyBytes {
            bytes: size,
            limit: opts.limits.max_bytes,
        });
    }
    std::fs::read(file).map_err(io)
}

/// A CSV file read as the recipe says (missing-value tokens, columns kept as text); errors
/// name the file.
fn read_table(file: &str, recipe: &Recipe) -> Result<crate::engine::Loaded, CliError> {
    let engine = |e| CliError::Engine(file.into(), e);
    let opts = LoadOptions {
        na_values: recipe.na_values.clone(),
        keep_text: recipe.keep_text.clone(),
        ..LoadOptions::default()
    };
    let bytes = read_data(file, &opts).map_err(engine)?;
    crate::engine::load(&bytes, &opts).map_err(engine)
}

fn run_recipe(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut recipe_path = None;
    let mut file = None;
    let mut save_dir = None;
    let mut predictions_path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--recipe" => recipe_path = Some(option_value(&mut it, "--recipe")?),
            "--save-models" => save_dir = Some(option_value(&mut it, "--save-models")?),
            "--predictions" => predictions_path = Some(option_value(&mut it, "--predictions")?),
            "--json" => {}
            s if s.starts_with("--") => return Err(CliError::Usage(format!("unknown option {s}"))),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(CliError::Usage(format!("unexpected argument {s}"))),
        }
    }
    let recipe_path =
        recipe_path.ok_or_else(|| CliError::Usage("run needs --recipe FILE".into()))?;
    let file = file.ok_or_else(|| CliError::Usage("missing FILE".into()))?;
    let recipe = read_recipe(&recipe_path)?;
    let loaded = read_table(&file, &recipe)?;
    let engine = |e| CliError::Engine(file.clone(), e);
    let start = std::time::Instant::now();
    let clock = || start.elapsed().as_secs_f64() * 1000.0;
    let result = run_with_clock(&loaded.table, &recipe, &mut |_| {}, &clock).map_err(engine)?;
    if let Some(dir) = save_dir {
        let in_dir = |e: Error| CliError::Engine(dir.clone(), e);
        std::fs::create_dir_all(&dir).map_err(|e| in_dir(Error::Io(e.to_string())))?;
        for i in 0..result.models.len() {
            let Some(m) = ModelFile::from_run(&result, &recipe, i) else {
                continue;
            };
            let path = std::path::Path::new(&dir).join(m.file_name(i));
            let text = m.to_json().map_err(in_dir)?;
            std::fs::write(&path, text).map_err(|e| in_dir(Error::Io(e.to_string())))?;
        }
    }
    if let Some(path) = predictions_path {
        let csv = test_predictions_csv(&result, &loaded.table).map_err(engine)?;
        std::fs::write(&path, csv)
            .map_err(|e| CliError::Engine(path.clone(), Error::Io(e.to_string())))?;
    }
    writeln!(out, "{}", json_safe(&run_json(&result).to_string())).map_err(stdout_error)?;
    Ok(())
}

/// Every model's predictions for the run's test rows, as `--predictions` writes them.
fn test_predictions_csv(result: &RunResult, table: &Table) -> Result<String, Error> {
    let x = result.preprocessor.transform(table, &result.test_rows)?;
    let mut header = vec!["row".to_string()];
    for (i, m) in result.models.iter().enumerate() {
        let name = format!("model-{}-{}", i + 1, m.kind);
        let probabilities: Vec<String> = match result.task {
            Task::Classification => result
                .classes
                .iter()
                .map(|c| format!("{name}-probability_{c}"))
                .collect(),
            Task::Regression => Vec::new(),
        };
        header.push(name);
        header.extend(probabilities);
    }
    let mut w = crate::engine::data::csv_out::writer();
    let _ = w.write_record(&header);
    for (row, xr) in result.test_rows.iter().zip(&x) {
        let mut record = vec![row.to_string()];
        for m in &result.models {
            let out = m.model.output(xr);
            match result.task {
                Task::Regression => {
                    // Only the linear models were fitted on the standardised target.
                    let v = match m.model {
                        Fitted::Linear(_) => result.preprocessor.inverse_target(&out)[0],
                        _ => out[0],
                    };
                    record.push(format!("{v:?}"));
                }
                Task::Classification => {
                    let k = (0..out.len()).fold(0, |b, i| if out[i] > out[b] { i } else { b });
                    record.push(result.classes.get(k).cloned().unwrap_or_default());
                    record.extend(out.iter().map(|p| format!("{p:?}")));
                }
            }
        }
        let _ = w.write_record(&record);
    }
    Ok(crate::engine::data::csv_out::finish(w))
}

fn report(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let (mut recipe_path, mut file, mut format, mut data_path) = (None, None, None, None);
    let mut lang = crate::i18n::Lang::En;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--recipe" => recipe_path = Some(option_value(&mut it, "--recipe")?),
            "--format" => format = Some(option_value(&mut it, "--format")?),
            "--data-path" => data_path = Some(option_value(&mut it, "--data-path")?),
            "--lang" => {
                let code = option_value(&mut it, "--lang")?;
                lang = crate::i18n::Lang::from_code(&code).ok_or_else(|| {
                    CliError::Usage(format!("unknown language '{code}' (en, ja)"))
                })?;
            }
            s if s.starts_with("--") => return Err(CliError::Usage(format!("unknown option {s}"))),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(CliError::Usage(format!("unexpected argument {s}"))),
        }
    }
    let recipe_path =
        recipe_path.ok_or_else(|| CliError::Usage("report needs --recipe FILE".into()))?;
    let file = file.ok_or_else(|| CliError::Usage("missing FILE".into()))?;
    let format = match format.as_deref() {
        Some(f @ ("html" | "md" | "ipynb" | "pyspark")) => f.to_string(),
        Some(other) => {
            return Err(CliError::Usage(format!(
                "unknown report format '{other}' (html, md, ipynb, pyspark)"
            )))
        }
        None => {
            return Err(CliError::Usage(
                "report needs --format html|md|ipynb|pyspark".into(),
            ))
        }
    };
    let recipe = read_recipe(&recipe_path)?;
    let loaded = read_table(&file, &recipe)?;
    let name = std::path::Path::new(&file)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.clone());
    let data_path = data_path.unwrap_or_else(|| name.clone());
    let engine = |e| CliError::Engine(recipe_path.clone(), e);
    let bytes = if format == "pyspark" {
        crate::engine::codegen::pyspark::pyspark_script(&recipe, &loaded.table, &data_path)
            .map_err(engine)?
            .into_bytes()
    } else {
        let (report, _) =
            crate::report::walkthrough(&loaded.table, &recipe, &name, lang).map_err(engine)?;
        match format.as_str() {
            "html" => crate::report::html(&report).into_bytes(),
            "md" => crate::report::markdown_zip(&report),
            _ => crate::report::notebook(&report, &recipe, &loaded, &data_path)
                .map_err(engine)?
                .into_bytes(),
        }
    };
    out.write_all(&bytes).map_err(stdout_error)?;
    Ok(())
}

fn load_model(path: &str) -> Result<ModelFile, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Engine(path.into(), Error::Io(e.to_string())))?;
    ModelFile::from_json(&text).map_err(|e| CliError::Engine(path.into(), e))
}

fn predict(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let (mut model_path, mut file, mut out_path) = (None, None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => model_path = Some(option_value(&mut it, "--model")?),
            "--out" => out_path = Some(option_value(&mut it, "--out")?),
            s if s.starts_with("--") => return Err(CliError::Usage(format!("unknown option {s}"))),
            s if file.is_none() => file = Some(s.to_string()),
            s => return Err(CliError::Usage(format!("unexpected argument {s}"))),
        }
    }
    let model_path =
        model_path.ok_or_else(|| CliError::Usage("predict needs --model FILE".into()))?;
    let file = file.ok_or_else(|| CliError::Usage("missing FILE".into()))?;
    let model = load_model(&model_path)?;
    // Read as in training: the same missing-value tokens.
    let table = read_table(&file, &model.recipe)?.table;
    let engine = |e| CliError::Engine(file.clone(), e);
    let predictions = model.predict(&table).map_err(engine)?;
    let csv = predictions_csv(&model, &table, &predictions);
    match out_path {
        Some(p) => std::fs::write(&p, csv)
            .map_err(|e| CliError::Engine(p.clone(), Error::Io(e.to_string())))?,
        None => {
            out.write_all(csv.as_bytes()).map_err(stdout_error)?;
        }
    }
    Ok(())
}

fn serve(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let mut model_path = None;
    let mut config = crate::serve::ServerConfig::default();
    let (mut addr, mut max_body, mut sagemaker) = (None, None, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--model" => model_path = Some(option_value(&mut it, "--model")?),
            "--addr" => addr = Some(option_value(&mut it, "--addr")?),
            "--max-body" => {
                max_body = Some(
                    option_value(&mut it, "--max-body")?
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| CliError::Usage("--max-body needs a byte count".into()))?,
                )
            }
            "--sagemaker" => sagemaker = true,
            s => return Err(CliError::Usage(format!("unexpected argument {s}"))),
        }
    }
    if sagemaker {
        // SageMaker's container contract: port 8080 on every interface (or the port the
        // platform names), payloads up to 6 MB, the model artifact under /opt/ml/model.
        let port = std::env::var("SAGEMAKER_BIND_TO_PORT").unwrap_or_else(|_| "8080".into());
        config.addr = format!("0.0.0.0:{port}");
        config.max_body = 6 << 20;
        model_path = model_path.or_else(|| Some("/opt/ml/model/model.json".into()));
    }
    if let Some(a) = addr {
        config.addr = a;
    }
    if let Some(n) = max_body {
        config.max_body = n;
    }
    let model_path =
        model_path.ok_or_else(|| CliError::Usage("serve needs --model FILE".into()))?;
    let model = load_model(&model_path)?;
    let listener = std::net::TcpListener::bind(&config.addr)
        .map_err(|e| CliError::Engine(config.addr.clone(), Error::Io(e.to_string())))?;
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "mlplay: serving {} ({}) on http://{addr} — POST /predict, GET /health, POST /invocations, GET /ping",
        model.kind(),
        model.target
    )
    .map_err(stdout_error)?;
    out.flush().map_err(stdout_error)?;
    crate::serve::serve(listener, std::sync::Arc::new(model), &config)
        .map_err(|e| CliError::Engine(addr, Error::Io(e.to_string())))
}
