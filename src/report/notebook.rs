//! The report as a Jupyter notebook (nbformat 4): the narrative as markdown cells (charts as
//! SVG attachments) and, between them, pandas / scikit-learn code that carries out the recipe
//! exactly and writes `metrics.json` in the shape of `mlplay run --json`'s `models`.

use serde_json::{json, Value};

use super::render::section_markdown;
use super::Report;
use crate::engine::error::Result;
use crate::engine::models::catalogue::{scaled_target_kinds_python, sklearn_python};
use crate::engine::pipeline::recipe::Recipe;
use crate::engine::Loaded;
use crate::i18n::l;

const TEMPLATE: &str = include_str!("notebook.py");

/// Standard base64 (RFC 4648, with padding), as nbformat stores binary attachments.
pub fn base64(data: &[u8]) -> String {
    base64::Engine::encode(&base64::engine::general_purpose::STANDARD, data)
}

/// Split source text into the list of lines nbformat stores (each but the last keeps "\n").
fn lines(text: &str) -> Value {
    let text = text.trim_end_matches('\n');
    let parts: Vec<&str> = text.split_inclusive('\n').collect();
    json!(parts)
}

fn code_cell(source: &str) -> Value {
    json!({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
           "source": lines(source)})
}

fn markdown_cell(source: &str, attachments: Vec<(String, String)>) -> Value {
    let mut cell = json!({"cell_type": "markdown", "metadata": {}, "source": lines(source)});
    if !attachments.is_empty() {
        let map: serde_json::Map<String, Value> = attachments
            .into_iter()
            .map(|(name, svg)| (name, json!({"image/svg+xml": base64(svg.as_bytes())})))
            .collect();
        cell["attachments"] = Value::Object(map);
    }
    cell
}

/// The template's code cells by name.
fn template_cells() -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for line in TEMPLATE.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("# %% ") {
            let name: &'static str = match name.trim() {
                "setup" => "setup",
                "read" => "read",
                "split" => "split",
                "preprocess" => "preprocess",
                "train" => "train",
                _ => "test",
            };
            out.push((name, String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    out
}

/// The notebook for `report`, reproducing `recipe` on the file that `loaded` came from;
/// `data_path` is where the notebook looks for the CSV (relative to itself).
pub fn notebook(
    report: &Report,
    recipe: &Recipe,
    loaded: &Loaded,
    data_path: &str,
) -> Result<String> {
    let table = &loaded.table;
    if let Some(p) = recipe.validate(table).first() {
        return Err(p.clone().into());
    }
    let mut recipe = recipe.clone();
    recipe.task = recipe.resolved_task(table);
    let recipe_json =
        serde_json::to_string_pretty(&recipe).map_err(crate::engine::codegen::pyspark::codegen)?;
    // Python reads a UTF-8 file with or without its byte order mark as "utf-8-sig"; WHATWG's
    // Shift_JIS is Microsoft's CP932 (Python's "shift_jis" lacks its extensions).
    let encoding = match loaded.report.encoding.as_str() {
        "UTF-8" => "utf-8-sig".to_string(),
        "Shift_JIS" => "cp932".to_string(),
        other => other.to_ascii_lowercase(),
    };
    let cells_src = template_cells();
    let estimators = sklearn_python();
    let scaled = scaled_target_kinds_python();
    let recipe_literal = crate::engine::codegen::py_json(&recipe_json);
    let data_literal = crate::engine::codegen::py_str(data_path);
    let encoding_literal = crate::engine::codegen::py_str(&encoding);
    let sep_literal =
        crate::engine::codegen::py_str(&(loaded.report.delimiter as char).to_string());
    // One pass per cell: what the learner typed enters as literals and is never rescanned.
    let code = |name: &str| -> String {
        let body = cells_src
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| b.as_str())
            .unwrap_or_default();
        crate::engine::codegen::fill(
            body,
            &[
                ("__MLPLAY_VERSION__", env!("CARGO_PKG_VERSION")),
                ("__RECIPE_JSON__", &recipe_literal),
                ("__ESTIMATORS__", &estimators),
                ("__SCALED_TARGET_KINDS__", &scaled),
                ("__DATA_PATH__", &data_literal),
                ("__ENCODING__", &encoding_literal),
                ("__SEP__", &sep_literal),
            ],
        )
    };
    let lang = report.lang;
    let section = |id: &str| -> Value {
        let mut files = Vec::new();
        let s = report.sections.iter().find(|s| s.id == id);
        let text = s
            .map(|s| section_markdown(lang, s, "attachment:", &mut files))
            .unwrap_or_default();
        markdown_cell(&text, files)
    };
    let intro = format!(
        "# {}\n\n{}",
        report.title,
        l(
            lang,
            "Exported from mlplay. The markdown cells tell the story; the code cells carry out the recipe with pandas and scikit-learn, print the test metrics and write them to `metrics.json` beside this notebook. Set `DATA` in the first code cell if the CSV is elsewhere.",
            "mlplay から書き出したノートブックです。マークダウンのセルが経緯を説明し、コードのセルが pandas と scikit-learn でレシピを実行してテストの評価指標を表示し、このノートブックと同じ場所の `metrics.json` に書き出します。CSV が別の場所にあるときは、最初のコードセルの `DATA` を変えてください。"
        )
    );
    let cells = vec![
        markdown_cell(&intro, Vec::new()),
        section("business"),
        section("analyze"),
        section("prepare"),
        code_cell(&code("setup")),
        code_cell(&code("read")),
        section("preprocess"),
        code_cell(&code("split")),
        code_cell(&code("preprocess")),
        section("train"),
        code_cell(&code("train")),
        section("test"),
        code_cell(&code("test")),
        section("conversations"),
    ];
    let nb = json!({
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": cells,
    });
    // nbformat 4.5 wants a unique id per cell.
    let mut nb = nb;
    if let Some(cells) = nb["cells"].as_array_mut() {
        for (i, c) in cells.iter_mut().enumerate() {
            c["id"] = json!(format!("cell-{i}"));
        }
    }
    serde_json::to_string_pretty(&nb).map_err(crate::engine::codegen::pyspark::codegen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_examples() {
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }

    #[test]
    fn template_has_every_code_cell() {
        let names: Vec<&str> = template_cells().iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            ["setup", "read", "split", "preprocess", "train", "test"]
        );
    }
}
