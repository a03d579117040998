//! Programs generated from a recipe, to run the same work outside the browser. (The notebook
//! lives with the report: its markdown cells are the report's sections.)
//!
//! Every generated program is a fixed template whose placeholders (`__DATA_PATH__`, …) are
//! filled in one pass ([`fill`]): inserted text is never scanned again, so a column name or
//! a missing-value token that spells a placeholder stays text. Whatever the learner typed
//! enters as a Python literal ([`py_str`], [`py_json`]), so no input can change a program's
//! structure.

pub mod pyspark;

use std::fmt::Write as _;

/// `template` with each placeholder `name` replaced by its `value`, scanning the template once
/// from the start: a value is inserted as it is and never searched for placeholders itself.
/// Text that names no placeholder (Python's own `__name__`) stays as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(i) = rest.find("__") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match values.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, value)) => {
                out.push_str(value);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('_');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Characters a Python string literal spells as an escape: controls (C0, DEL, C1), line and
/// paragraph separators, and the invisible formatting characters that could make code read
/// differently from what runs (bidirectional overrides, zero-width characters, BOM).
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{2028}' | '\u{2029}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// `s` as a Python string literal in double quotes that reads back exactly `s`: backslashes
/// and quotes escaped, controls and invisible formatting characters as `\x`, `\u` or `\U`
/// escapes; other characters (Japanese among them) as they are, so names stay readable.
pub fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let n = c as u32;
                let _ = if n < 0x100 {
                    write!(out, "\\x{n:02x}")
                } else if n < 0x10000 {
                    write!(out, "\\u{n:04x}")
                } else {
                    write!(out, "\\U{n:08x}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON document as a Python string literal for `json.loads`: a raw triple-quoted string
/// (readable, one JSON line per source line) when that is certain to read back exactly —
/// serde_json escapes every quote inside strings, so `"""` cannot occur, and a document ends
/// with `}` or `]`, never with a backslash —, otherwise an escaped one-line literal.
pub fn py_json(json: &str) -> String {
    let raw_safe = !json.contains("\"\"\"")
        && !json.ends_with('\\')
        && !json.ends_with('"')
        && !json.chars().any(|c| c != '\n' && needs_escape(c));
    if raw_safe {
        format!("r\"\"\"{json}\"\"\"")
    } else {
        py_str(json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_each_placeholder_once_and_never_rescans() {
        let t = "a = __A__\nb = __B__\nkeep __name__ and ____\n";
        let out = fill(t, &[("__A__", "'__B__'"), ("__B__", "\"__A__\"")]);
        assert_eq!(out, "a = '__B__'\nb = \"__A__\"\nkeep __name__ and ____\n");
    }

    #[test]
    fn python_literals_escape_what_could_end_them_or_hide_code() {
        assert_eq!(py_str("a\"b\\c'"), r#""a\"b\\c'""#);
        assert_eq!(py_str("trail\\"), r#""trail\\""#);
        assert_eq!(
            py_str("x\ny\rz\u{2028}\u{1b}\u{202e}"),
            r#""x\ny\rz\u2028\x1b\u202e""#
        );
        assert_eq!(py_str("日本語"), "\"日本語\"");
        assert_eq!(
            py_json("{\n  \"a\": \"\\\"\"\n}"),
            "r\"\"\"{\n  \"a\": \"\\\"\"\n}\"\"\""
        );
        // A document a raw string cannot hold exactly goes in an escaped literal.
        assert_eq!(py_json("{\"a\": \"\u{2028}\"}"), r#""{\"a\": \"\u2028\"}""#);
    }
}
