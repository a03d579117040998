//! What the page's own controls allow, in one place: the sliders and inputs take their ranges
//! from here, and a share link or a stored value is checked against the same ranges before
//! anything reaches the engine ([`crate::share::Share::validate`], [`crate::persist::Saved::load`]).
//! A value outside them is a [`FieldError`] naming the field.

use crate::engine::diagnose::AnalysisConfig;
use crate::engine::error::{Allowed, Bound};
use crate::engine::pipeline::recipe::ModelSpec;
use crate::engine::value::payback::{Preset, Scenario, ValueInputs};

use crate::i18n::safety::{self, S};
use crate::i18n::Lang;

use super::{DataSource, FormulaState, PrepSettings, ReadSettings};

/// Whole numbers or any, from `lo` to `hi`, both included.
const fn closed(lo: f64, hi: f64, integer: bool) -> Allowed {
    Allowed {
        integer,
        min: Some(Bound {
            value: lo,
            inclusive: true,
        }),
        max: Some(Bound {
            value: hi,
            inclusive: true,
        }),
        nullable: false,
    }
}

/// Step 2's missing-value threshold slider (%).
pub const MISSING_THRESHOLD: Allowed = closed(0.0, 100.0, false);
/// Step 2's |r| threshold slider.
pub const CORR_THRESHOLD: Allowed = closed(0.3, 0.99, false);
/// Step 2's Cramér's V threshold slider.
pub const CRAMER_THRESHOLD: Allowed = closed(0.1, 0.99, false);
/// Step 2's histogram bins slider.
pub const HIST_BINS: Allowed = closed(5.0, 100.0, true);
/// The fewest rows a pair needs (no control; the reader's row limit bounds it).
pub const MIN_OVERLAP: Allowed = closed(1.0, 2_000_000.0, true);
/// Step 4's test share slider.
pub const TEST_SIZE: Allowed = closed(0.1, 0.5, false);
/// Step 6's "usable if" threshold (R² or accuracy).
pub const USABLE_THRESHOLD: Allowed = closed(0.0, 1.0, false);
/// The value formula's horizon (years), as the payback calculator allows it.
pub const HORIZON_YEARS: Allowed = Allowed {
    integer: false,
    min: Some(Bound {
        value: 0.0,
        inclusive: false,
    }),
    max: Some(Bound {
        value: 30.0,
        inclusive: true,
    }),
    nullable: false,
};
/// A cost in yen (no negative costs).
pub const YEN: Allowed = Allowed {
    integer: false,
    min: Some(Bound {
        value: 0.0,
        inclusive: true,
    }),
    max: None,
    nullable: false,
};
/// Any finite number (a formula variable's value, a fill value).
pub const FINITE: Allowed = Allowed {
    integer: false,
    min: None,
    max: None,
    nullable: false,
};

/// The longest name (a column, a target, a file, a scenario, a finding id), in characters.
pub const MAX_NAME: usize = 1000;
/// The longest free text a setting holds (missing-value tokens, the formula), in characters.
pub const MAX_TEXT: usize = 4000;
/// The deepest nesting of parentheses the formula may have.
pub const MAX_FORMULA_DEPTH: usize = 50;
/// The most formula variables.
pub const MAX_VARIABLES: usize = 100;
/// The most entries of a list of columns or findings (the reader's column limit).
pub const MAX_COLUMNS: usize = 2000;
/// The most models trained at once.
pub const MAX_MODELS: usize = 20;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldProblem {
    /// A name that is not one of the allowed ones.
    Unknown { value: String },
    /// A number outside what the control allows.
    OutOfRange { value: f64, allowed: Allowed },
    /// Text longer than `max` characters.
    TooLong { max: usize },
    /// More than `max` entries.
    TooMany { max: usize },
    /// Parentheses nested deeper than `max`.
    TooDeep { max: usize },
    /// A list that must have exactly `expected` entries (or none).
    WrongCount { expected: usize },
}

/// A field (a dotted path such as `analysis.hist_bins`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub problem: FieldProblem,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.field)?;
        match &self.problem {
            FieldProblem::Unknown { value } => {
                let shown: String = value.chars().take(40).collect();
                write!(f, "'{shown}' is not one of the allowed names")
            }
            FieldProblem::OutOfRange { value, allowed } => {
                write!(f, "must be {allowed}, not {value}")
            }
            FieldProblem::TooLong { max } => write!(f, "longer than {max} characters"),
            FieldProblem::TooMany { max } => write!(f, "more than {max} entries"),
            FieldProblem::TooDeep { max } => {
                write!(f, "parentheses nested deeper than {max}")
            }
            FieldProblem::WrongCount { expected } => {
                write!(f, "must have {expected} entries")
            }
        }
    }
}

impl FieldError {
    /// The problem in `lang`, naming the field.
    pub fn text(&self, lang: Lang) -> String {
        let field = self.field.as_str();
        let (template, extra): (S, Vec<(&str, String)>) = match &self.problem {
            FieldProblem::Unknown { value } => (
                S::FieldUnknown,
                vec![("value", value.chars().take(40).collect())],
            ),
            FieldProblem::OutOfRange { value, allowed } => (
                S::FieldOutOfRange,
                vec![
                    ("range", safety::range(allowed, lang)),
                    ("value", safety::number(*value)),
                ],
            ),
            FieldProblem::TooLong { max } => (S::FieldTooLong, vec![("max", max.to_string())]),
            FieldProblem::TooMany { max } => (S::FieldTooMany, vec![("max", max.to_string())]),
            FieldProblem::TooDeep { max } => (S::FieldTooDeep, vec![("max", max.to_string())]),
            FieldProblem::WrongCount { expected } => {
                (S::FieldWrongCount, vec![("expected", expected.to_string())])
            }
        };
        let mut values: Vec<(&str, &str)> = vec![("field", field)];
        values.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
        safety::fill(template.get(lang), &values)
    }
}

/// A check's result.
pub type Checked = Result<(), FieldError>;

fn fail(field: impl Into<String>, problem: FieldProblem) -> Checked {
    Err(FieldError {
        field: field.into(),
        problem,
    })
}

/// `value` within `allowed`.
pub fn number(field: &str, value: f64, allowed: Allowed) -> Checked {
    if allowed.allows(Some(value)) {
        Ok(())
    } else {
        fail(field, FieldProblem::OutOfRange { value, allowed })
    }
}

/// Text of at most `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Checked {
    // Bytes bound characters from above: count only when it could matter.
    if value.len() > max && value.chars().count() > max {
        fail(field, FieldProblem::TooLong { max })
    } else {
        Ok(())
    }
}

/// At most `max` entries.
pub fn count(field: &str, n: usize, max: usize) -> Checked {
    if n > max {
        fail(field, FieldProblem::TooMany { max })
    } else {
        Ok(())
    }
}

/// `value` is one of `names`.
pub fn one_of(field: &str, value: &str, names: &[&str]) -> Checked {
    if names.contains(&value) {
        Ok(())
    } else {
        fail(
            field,
            FieldProblem::Unknown {
                value: value.to_string(),
            },
        )
    }
}

/// Step 2's settings.
pub fn analysis(field: &str, c: &AnalysisConfig) -> Checked {
    let f = |name: &str| format!("{field}.{name}");
    text(&f("target"), &c.target, MAX_NAME)?;
    number(
        &f("missing_threshold"),
        c.missing_threshold,
        MISSING_THRESHOLD,
    )?;
    number(&f("corr_threshold"), c.corr_threshold, CORR_THRESHOLD)?;
    number(&f("cramer_threshold"), c.cramer_threshold, CRAMER_THRESHOLD)?;
    number(&f("min_overlap"), c.min_overlap as f64, MIN_OVERLAP)?;
    number(&f("hist_bins"), c.hist_bins as f64, HIST_BINS)
}

/// Where data came from (names only).
pub fn source(field: &str, s: &DataSource) -> Checked {
    match s {
        DataSource::Bundled(id) => {
            let ids: Vec<&str> = crate::datasets::BUNDLED.iter().map(|b| b.id).collect();
            one_of(field, id, &ids)
        }
        DataSource::File { name, .. } => text(field, name, MAX_NAME),
    }
}

/// Step 4's settings.
pub fn prep(field: &str, p: &PrepSettings) -> Checked {
    let f = |name: &str| format!("{field}.{name}");
    number(&f("split.test_size"), p.split.test_size, TEST_SIZE)?;
    if let Some(v) = p.numeric.fill_value {
        number(&f("numeric.fill_value"), v, FINITE)?;
    }
    if let Some(v) = &p.categorical.fill_value {
        text(&f("categorical.fill_value"), v, MAX_NAME)?;
    }
    count(&f("overrides"), p.overrides.len(), MAX_COLUMNS)?;
    for name in p.overrides.keys() {
        text(&f("overrides"), name, MAX_NAME)?;
    }
    if let Some(c) = &p.scatter_column {
        text(&f("scatter_column"), c, MAX_NAME)?;
    }
    if let Some(s) = &p.source {
        source(&f("source"), s)?;
    }
    Ok(())
}

/// Step 5's models: each parameter within the catalogue's range.
pub fn models(field: &str, models: &[ModelSpec]) -> Checked {
    count(field, models.len(), MAX_MODELS)?;
    for (i, m) in models.iter().enumerate() {
        for (p, v) in m.param_values() {
            if !p.allows(v) {
                return fail(
                    format!("{field}[{i}].{}", p.name),
                    FieldProblem::OutOfRange {
                        value: v.unwrap_or(f64::NAN),
                        allowed: p.allowed(),
                    },
                );
            }
        }
    }
    Ok(())
}

/// The reader settings.
pub fn read(field: &str, r: &ReadSettings) -> Checked {
    let f = |name: &str| format!("{field}.{name}");
    text(&f("na_text"), &r.na_text, MAX_TEXT)?;
    if let Some(label) = &r.encoding {
        text(&f("encoding"), label, 40)?;
        if encoding_rs::Encoding::for_label(label.trim().as_bytes()).is_none() {
            return fail(
                f("encoding"),
                FieldProblem::Unknown {
                    value: label.clone(),
                },
            );
        }
    }
    if let Some(d) = r.delimiter {
        if ![b',', b';', b'\t'].contains(&d) {
            return fail(
                f("delimiter"),
                FieldProblem::Unknown {
                    value: (d as char).to_string(),
                },
            );
        }
    }
    Ok(())
}

fn value_inputs(field: &str, v: &ValueInputs) -> Checked {
    if let Some(p) = v.validate().first() {
        let value = match p.field {
            "checkers_before" => v.checkers_before,
            "hours_before" => v.hours_before,
            "checkers_after" => v.checkers_after,
            "hours_after" => v.hours_after,
            "wage_yen_per_hour" => v.wage_yen_per_hour,
            "dev_cost_yen" => v.dev_cost_yen,
            "op_cost_yen_per_month" => v.op_cost_yen_per_month,
            _ => v.horizon_years,
        };
        let allowed = match p.field {
            "horizon_years" => HORIZON_YEARS,
            f if f.starts_with("hours") => closed(0.0, 24.0, false),
            _ => YEN,
        };
        return fail(
            format!("{field}.{}", p.field),
            FieldProblem::OutOfRange { value, allowed },
        );
    }
    Ok(())
}

/// Step 1's scenarios: none, or the lesson's three, each computable.
pub fn scenarios(field: &str, s: &[Scenario]) -> Checked {
    if !s.is_empty() && s.len() != Preset::ALL.len() {
        return fail(
            field,
            FieldProblem::WrongCount {
                expected: Preset::ALL.len(),
            },
        );
    }
    for (i, sc) in s.iter().enumerate() {
        text(&format!("{field}[{i}].name"), &sc.name, MAX_NAME)?;
        value_inputs(&format!("{field}[{i}].inputs"), &sc.inputs)?;
    }
    Ok(())
}

/// Step 1's formula: bounded text and nesting, finite values, the calculator's ranges.
pub fn formula(field: &str, fs: &FormulaState) -> Checked {
    let f = |name: &str| format!("{field}.{name}");
    text(&f("expression"), &fs.expression, MAX_TEXT)?;
    let mut depth = 0usize;
    for c in fs.expression.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > MAX_FORMULA_DEPTH {
                    return fail(
                        f("expression"),
                        FieldProblem::TooDeep {
                            max: MAX_FORMULA_DEPTH,
                        },
                    );
                }
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    count(&f("variables"), fs.variables.len(), MAX_VARIABLES)?;
    for (name, value) in &fs.variables {
        text(&f("variables"), name, MAX_NAME)?;
        number(&f("variables"), *value, FINITE)?;
    }
    number(&f("dev_cost_yen"), fs.dev_cost_yen, YEN)?;
    number(&f("op_cost_yen_per_month"), fs.op_cost_yen_per_month, YEN)?;
    number(&f("horizon_years"), fs.horizon_years, HORIZON_YEARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_within_the_controls() {
        assert!(analysis("analysis", &AnalysisConfig::new("y")).is_ok());
        assert!(prep("prep", &PrepSettings::default()).is_ok());
        assert!(formula("formula", &FormulaState::default()).is_ok());
        assert!(read("read", &ReadSettings::default()).is_ok());
        let lesson = super::super::BusinessState::lesson(crate::i18n::Lang::Ja);
        assert!(scenarios("scenarios", &lesson.scenarios).is_ok());
        for task in [
            crate::engine::Task::Regression,
            crate::engine::Task::Classification,
        ] {
            assert!(models("models", &super::super::model_choices(task)).is_ok());
        }
    }

    #[test]
    fn errors_name_the_field_and_the_range() {
        let mut c = AnalysisConfig::new("y");
        c.hist_bins = 4_294_967_295;
        let e = analysis("analysis", &c).unwrap_err();
        assert_eq!(e.field, "analysis.hist_bins");
        assert_eq!(
            e.to_string(),
            "analysis.hist_bins: must be a whole number from 5 to 100, not 4294967295"
        );
    }
}
