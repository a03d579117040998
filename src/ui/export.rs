//! The report's exports, offered as downloads.

use super::platform::files;
use super::steps::ExportKind;
use crate::session::Session;

/// Write one export of the report and offer it as a download.
pub fn export(
    session: &Session,
    report: &crate::report::Report,
    kind: ExportKind,
    data_path: &str,
) -> Result<(), String> {
    let lang = session.lang;
    let stem = session
        .dataset
        .as_ref()
        .map(|d| d.source.label())
        .unwrap_or_else(|| "mlplay".into());
    let stem = stem.trim_end_matches(".csv").to_string();
    let trained = || -> Result<(&crate::engine::pipeline::recipe::Recipe, &crate::engine::Loaded), String> {
        match (&session.trained, &session.dataset) {
            (Some(t), Some(d)) => Ok((&t.recipe, &d.parsed.loaded)),
            _ => Err(crate::i18n::l(
                lang,
                "Train models first.",
                "先にモデルを学習してください。",
            )
            .into()),
        }
    };
    let path = if data_path.trim().is_empty() {
        format!("{stem}.csv")
    } else {
        data_path.trim().to_string()
    };
    let saved = match kind {
        ExportKind::Html => files::download(
            &format!("{stem}-report.html"),
            "text/html",
            &crate::report::html(report),
        ),
        ExportKind::Markdown => files::download_bytes(
            &format!("{stem}-report.zip"),
            "application/zip",
            &crate::report::markdown_zip(report),
        ),
        ExportKind::Notebook => {
            let (recipe, loaded) = trained()?;
            let nb = crate::report::notebook(report, recipe, loaded, &path)
                .map_err(|e| crate::i18n::error_text(lang, &e))?;
            files::download(&format!("{stem}.ipynb"), "application/x-ipynb+json", &nb)
        }
        ExportKind::PySpark => {
            let (recipe, loaded) = trained()?;
            let py = crate::engine::codegen::pyspark::pyspark_script(recipe, &loaded.table, &path)
                .map_err(|e| crate::i18n::error_text(lang, &e))?;
            files::download(&format!("{stem}_pyspark.py"), "text/x-python", &py)
        }
    };
    // Every other failure returned translated above; what is left is the browser's refusal.
    saved.map_err(|detail| {
        crate::i18n::error_text(lang, &crate::engine::Error::DownloadFailed { detail })
    })
}
