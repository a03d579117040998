//! The report as standalone HTML (charts as inline SVG, A4 print styles, nothing external)
//! and as Markdown with the charts as SVG files beside it.

use super::{stored_zip, Block, Report, Section};
use crate::chart::to_svg;
use crate::i18n::l;
use crate::i18n::Lang;

/// Escape text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: system-ui, 'Hiragino Sans', 'Noto Sans CJK JP', 'IPAGothic', sans-serif;
  color: #1d2330; max-width: 820px; margin: 2rem auto; padding: 0 1rem; line-height: 1.55; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #0072b2; padding-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; color: #0a4d7a; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; width: 100%; }
th, td { border: 1px solid #d9dde5; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f1f4f8; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #4a5568; }
pre { background: #f6f8fa; padding: .6rem; white-space: pre-wrap; font-size: .85rem; }
.correction { border-left: 4px solid #d55e00; background: #fff6ef; padding: .4rem .7rem; }
.note { border-left: 4px solid #009e73; background: #effaf5; padding: .4rem .7rem; white-space: pre-wrap; }
.meta { color: #4a5568; font-size: .85rem; }
@page { size: A4; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; } figure, table, pre, .note, .correction { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
";

/// The report as one HTML file that needs nothing else: no script, no external resource.
pub fn html(r: &Report) -> String {
    let lang = r.lang;
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        lang.code(),
        escape(&r.title),
        escape(&r.title),
        escape(l(
            lang,
            "Made with mlplay in the browser; the data never left it. Sections follow the workshop's steps.",
            "mlplay でブラウザー内で作成しました。データはブラウザーの外に出ていません。章立てはワークショップの手順どおりです。"
        ))
    ));
    for s in &r.sections {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            s.id,
            escape(&s.title)
        ));
        for b in &s.blocks {
            match b {
                Block::Para(t) => out.push_str(&format!("<p>{}</p>\n", escape(t))),
                Block::Correction(t) => {
                    out.push_str(&format!("<p class=\"correction\">{}</p>\n", escape(t)))
                }
                Block::Note(t) => out.push_str(&format!(
                    "<div class=\"note\"><strong>{}</strong>\n{}</div>\n",
                    escape(l(lang, "Notes:", "メモ:")),
                    escape(t)
                )),
                Block::Pre(t) => out.push_str(&format!("<pre>{}</pre>\n", escape(t))),
                Block::List(items) => {
                    out.push_str("<ul>\n");
                    for i in items {
                        out.push_str(&format!("<li>{}</li>\n", escape(i)));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Table { head, rows } => {
                    out.push_str("<table>\n<thead><tr>");
                    for h in head {
                        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
                    }
                    out.push_str("</tr></thead>\n<tbody>\n");
                    for row in rows {
                        out.push_str("<tr>");
                        for c in row {
                            out.push_str(&format!("<td>{}</td>", escape(c)));
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</tbody>\n</table>\n");
                }
                Block::Chart {
                    name,
                    caption,
                    chart,
                    width,
                    height,
                } => {
                    let svg = to_svg(chart, *width, *height).unwrap_or_default();
                    out.push_str(&format!(
                        "<figure id=\"chart-{name}\" role=\"img\" aria-label=\"{}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
                        escape(caption),
                        escape(caption)
                    ));
                }
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Text as Markdown that shows exactly that text: every character Markdown reads as syntax
/// inside a line is backslash-escaped (CommonMark allows it before any ASCII punctuation),
/// and so is a line start that would open a list, a heading, a quote or an underline.
/// Carriage returns count as line breaks, as CommonMark reads them.
pub fn md_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = s
        .split('\n')
        .map(|line| {
            // Four leading spaces would make an indented code block.
            let body = line.trim_start_matches(' ');
            let indent = " ".repeat((line.len() - body.len()).min(3));
            let mut out = String::with_capacity(body.len() + 8);
            for (i, c) in body.chars().enumerate() {
                let syntax = matches!(
                    c,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!'
                ) || (i == 0 && matches!(c, '-' | '+' | '='));
                if syntax {
                    out.push('\\');
                }
                out.push(c);
            }
            // "1. " or "1) " at the start would open an ordered list.
            let digits = out.chars().take_while(char::is_ascii_digit).count();
            if (1..=9).contains(&digits) && matches!(out[digits..].chars().next(), Some('.' | ')'))
            {
                out.insert(digits, '\\');
            }
            format!("{indent}{out}")
        })
        .collect();
    lines.join("\n")
}

/// Text on one line (a heading, a caption): escaped, line breaks as spaces.
fn md_line(s: &str) -> String {
    md_text(&s.replace(['\r', '\n'], " "))
}

/// A table cell: escaped (a pipe would end the cell), line breaks as `<br>`.
fn md_cell(s: &str) -> String {
    md_text(s).replace('\n', "<br>")
}

/// A fence for preformatted `text` that the text cannot close: longer than any run of
/// tildes in it.
fn md_fence(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '~' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "~".repeat((longest + 1).max(4))
}

/// The report as Markdown, with every chart as an SVG file under `charts/`: the document and
/// the files (name, SVG text).
pub fn markdown(r: &Report) -> (String, Vec<(String, String)>) {
    let mut out = format!("# {}\n\n", md_line(&r.title));
    let mut files = Vec::new();
    for s in &r.sections {
        out.push_str(&section_markdown(r.lang, s, "charts/", &mut files));
    }
    (out, files)
}

/// One section as Markdown; each chart becomes `{prefix}{name}.svg`, pushed to `files`.
pub(crate) fn section_markdown(
    lang: Lang,
    s: &Section,
    prefix: &str,
    files: &mut Vec<(String, String)>,
) -> String {
    let mut out = format!("## {}\n\n", md_line(&s.title));
    // Every line of a quote keeps its marker.
    let quoted = |t: &str| md_text(t).replace('\n', "\n> ");
    for b in &s.blocks {
        match b {
            Block::Para(t) => out.push_str(&format!("{}\n\n", md_text(t))),
            Block::Correction(t) => out.push_str(&format!("> ⚠ {}\n\n", quoted(t))),
            Block::Note(t) => {
                out.push_str(&format!("> **{}**\n", l(lang, "Notes:", "メモ:")));
                out.push_str(&format!("> {}\n", quoted(t)));
                out.push('\n');
            }
            Block::Pre(t) => {
                let text = t.trim_end();
                let fence = md_fence(text);
                out.push_str(&format!("{fence}\n{text}\n{fence}\n\n"));
            }
            Block::List(items) => {
                for i in items {
                    // Continuation lines are indented, so they stay in the item.
                    out.push_str(&format!("- {}\n", md_text(i).replace('\n', "\n  ")));
                }
                out.push('\n');
            }
            Block::Table { head, rows } => {
                let cells: Vec<String> = head.iter().map(|h| md_cell(h)).collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
                out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
                    out.push_str(&format!("| {} |\n", cells.join(" | ")));
                }
                out.push('\n');
            }
            Block::Chart {
                name,
                caption,
                chart,
                width,
                height,
            } => {
                let file = format!("{name}.svg");
                files.push((
                    file.clone(),
                    to_svg(chart, *width, *height).unwrap_or_default(),
                ));
                out.push_str(&format!("![{}]({prefix}{file})\n\n", md_line(caption)));
            }
        }
    }
    out
}

/// The Markdown report and its charts as one zip: `report.md` and `charts/*.svg`.
pub fn markdown_zip(r: &Report) -> Vec<u8> {
    let (md, charts) = markdown(r);
    let mut files = vec![("report.md".to_string(), md.into_bytes())];
    files.extend(
        charts
            .into_iter()
            .map(|(n, s)| (format!("charts/{n}"), s.into_bytes())),
    );
    stored_zip(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a|b *bold* _em_ `code` [link](http://x) <img src=x> \\ ~~s~~ &amp;\n# head\n- item\n1. one\n> quote";

    fn hostile_report() -> Report {
        Report {
            lang: Lang::En,
            title: format!("Report {HOSTILE}"),
            dataset: "x.csv".into(),
            sections: vec![Section {
                id: "analyze",
                title: "Analyze".into(),
                blocks: vec![
                    Block::Para(HOSTILE.into()),
                    Block::List(vec![HOSTILE.into()]),
                    Block::Table {
                        head: vec!["column".into(), "value".into()],
                        rows: vec![vec![HOSTILE.into(), "1".into()]],
                    },
                    Block::Note(HOSTILE.into()),
                    Block::Correction(HOSTILE.into()),
                    Block::Pre("code ~~~~ inside\n~~~~\n# not a heading".into()),
                ],
            }],
        }
    }

    /// Characters that are Markdown syntax and not preceded by a backslash.
    fn unescaped(line: &str, set: &[char]) -> Vec<char> {
        let mut out = Vec::new();
        let mut escaped = false;
        for c in line.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if set.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn markdown_escapes_what_it_inserts() {
        let (md, _) = markdown(&hostile_report());
        let syntax = ['*', '_', '`', '[', ']', '<', '>', '~', '&'];
        // The table row keeps its two cells: the name's pipe and line break are escaped.
        let row = md
            .lines()
            .find(|l| l.starts_with("| a"))
            .expect("the table row");
        assert_eq!(unescaped(row, &['|']).len(), 3, "{row}");
        // (`<br>` is the cell's own line break.)
        assert!(
            unescaped(&row.replace("<br>", ""), &syntax).is_empty(),
            "{row}"
        );
        assert!(!row.contains('\n'));
        // Outside the fenced block nothing the learner typed is Markdown syntax.
        let mut fenced = false;
        for line in md.lines() {
            if line.starts_with("~~~~") {
                fenced = !fenced;
                continue;
            }
            if fenced
                || line.starts_with("| ")
                || line.starts_with("|---")
                || line.starts_with("| ---")
            {
                continue;
            }
            let body = line
                .strip_prefix("# ")
                .or_else(|| line.strip_prefix("## "))
                .or_else(|| line.strip_prefix("> "))
                .or_else(|| line.strip_prefix("- "))
                .unwrap_or(line);
            let body = body.strip_prefix("> ").unwrap_or(body);
            let body = body.strip_prefix("⚠ ").unwrap_or(body);
            assert!(
                unescaped(body, &syntax).is_empty() || body.starts_with("**Notes:**"),
                "{line}"
            );
            assert!(
                !body.starts_with('#') && !body.starts_with("- ") && !body.starts_with("1. "),
                "{line}"
            );
        }
        // The preformatted block's fence is longer than any run of tildes inside it.
        let fence = md.lines().find(|l| l.starts_with("~~~~")).unwrap();
        assert!(fence.len() > 4, "{fence}");
        assert!(md.contains("\n~~~~\n# not a heading\n"));
    }
}
