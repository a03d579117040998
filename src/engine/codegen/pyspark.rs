//! A recipe as a PySpark (Spark MLlib) program, for data that outgrows a browser: the same
//! split, preprocessing and models on any Spark cluster. The program is a fixed template
//! (`templates/pyspark.py`) that reads the recipe embedded in it, so that what runs there is
//! exactly what the learner decided here.

use crate::engine::data::table::Table;
use crate::engine::error::{Error, Result};
use crate::engine::pipeline::recipe::Recipe;

/// A serialisation failure while writing generated code (the notebook or the PySpark program).
pub fn codegen(e: serde_json::Error) -> Error {
    Error::CodeGeneration {
        detail: e.to_string(),
    }
}

const TEMPLATE: &str = include_str!("templates/pyspark.py");

/// The PySpark program for `recipe` on `table` (checked against it first); `data_path` is where
/// the program looks for the CSV, relative to itself, unless given one on its command line.
pub fn pyspark_script(recipe: &Recipe, table: &Table, data_path: &str) -> Result<String> {
    if let Some(p) = recipe.validate(table).first() {
        return Err(p.clone().into());
    }
    let mut recipe = recipe.clone();
    // The program cannot see mlplay's task detection: it gets the task decided here.
    recipe.task = recipe.resolved_task(table);
    let json = serde_json::to_string_pretty(&recipe).map_err(codegen)?;
    // One pass: the recipe and the path are literals, and neither is scanned for placeholders.
    Ok(super::fill(
        TEMPLATE,
        &[
            ("__MLPLAY_VERSION__", env!("CARGO_PKG_VERSION")),
            ("__RECIPE_JSON__", &super::py_json(&json)),
            (
                "__SCALED_TARGET_KINDS__",
                &crate::engine::models::catalogue::scaled_target_kinds_python(),
            ),
            ("__DATA_PATH__", &super::py_str(data_path)),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{load, LoadOptions};

    #[test]
    fn the_program_embeds_the_recipe_with_its_task_and_the_data_path() {
        let mut csv = String::from("a,b,y\n");
        for i in 0..40 {
            csv.push_str(&format!("{i},{},{}.5\n", ["x", "y"][i % 2], i * 3));
        }
        let t = load(csv.as_bytes(), &LoadOptions::default()).unwrap().table;
        let r = Recipe::from_json(
            r#"{"version": 1, "target": "y", "models": [{"kind": "ridge", "alpha": 2.0}]}"#,
        )
        .unwrap();
        let s = pyspark_script(&r, &t, "data \"x\".csv").unwrap();
        assert!(!s.contains("__RECIPE_JSON__") && !s.contains("__DATA_PATH__"));
        assert!(!s.contains("__SCALED_TARGET_KINDS__"));
        // The program reads every parameter from the embedded recipe, which names them all.
        assert!(
            s.contains(r#"m["kind"] in {"linear_regression", "ridge", "lasso", "elastic_net"}"#)
        );
        assert!(!s.contains("m.get("));
        let start = s.find("json.loads(r\"\"\"").unwrap() + 15;
        let end = start + s[start..].find("\"\"\"").unwrap();
        let embedded = Recipe::from_json(&s[start..end]).unwrap();
        assert_eq!(embedded.task, Some(crate::engine::Task::Regression));
        assert_eq!(embedded.models, r.models);
        assert!(s.contains(r#"os.path.join(HERE, "data \"x\".csv")"#));
        // A recipe that does not fit the data is refused with the field named.
        let bad = Recipe::from_json(r#"{"version": 1, "target": "nope"}"#).unwrap();
        assert!(pyspark_script(&bad, &t, "d.csv")
            .unwrap_err()
            .to_string()
            .contains("target"));
    }
}
