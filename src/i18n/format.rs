//! Numbers and units as people read them, shared by the page and the report so that both say
//! the same thing.

use super::{day_text, Lang, T};
use crate::engine::value::payback::PaybackCase;

/// A whole number with thousands separators ("1,234,567", "−2,500"); "—" when not finite.
/// Rounds half away from zero.
pub fn grouped(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let r = v.round();
    let digits = format!("{:.0}", r.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if r < 0.0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount of yen with its unit: "1,234 yen", "1,234 円".
pub fn yen(lang: Lang, v: f64) -> String {
    format!("{} {}", grouped(v), T::UnitYen.get(lang))
}

/// When a value scenario pays back: "day 64", "not within the horizon (would be day 1,200)",
/// or "never pays back".
pub fn break_even_text(lang: Lang, case: &PaybackCase) -> String {
    let p = case.evaluate();
    match (p.break_even_day, p.break_even_day_unbounded) {
        (Some(d), _) => day_text(lang, d),
        (None, Some(d)) => format!(
            "{} ({} {})",
            T::NotWithin.get(lang),
            T::WouldBe.get(lang),
            day_text(lang, d)
        ),
        (None, None) => T::NeverPays.get(lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::payback::Preset;

    #[test]
    fn grouped_separates_thousands_and_rounds_half_away_from_zero() {
        assert_eq!(grouped(0.0), "0");
        assert_eq!(grouped(999.4), "999");
        assert_eq!(grouped(1000.0), "1,000");
        assert_eq!(grouped(2.5), "3");
        assert_eq!(grouped(-2.5), "−3");
        assert_eq!(grouped(1_234_567.0), "1,234,567");
        assert_eq!(grouped(-1_234_567.49), "−1,234,567");
        assert_eq!(grouped(-0.2), "0");
        assert_eq!(grouped(f64::NAN), "—");
        assert_eq!(grouped(f64::INFINITY), "—");
    }

    #[test]
    fn yen_carries_its_unit_in_each_language() {
        assert_eq!(yen(Lang::En, 1234.0), "1,234 yen");
        assert_eq!(yen(Lang::Ja, 1234.0), "1,234 円");
    }

    #[test]
    fn break_even_text_names_the_day_or_why_not() {
        for preset in [Preset::Initial, Preset::Revised, Preset::Negotiated] {
            let case = preset.inputs().case();
            let p = case.evaluate();
            let en = break_even_text(Lang::En, &case);
            let ja = break_even_text(Lang::Ja, &case);
            match (p.break_even_day, p.break_even_day_unbounded) {
                (Some(d), _) => {
                    assert_eq!(en, format!("day {d}"));
                    assert_eq!(ja, format!("{d} 日目"));
                }
                (None, Some(d)) => {
                    assert!(
                        en.starts_with(T::NotWithin.get(Lang::En))
                            && en.contains(&format!("day {d}"))
                    );
                    assert!(
                        ja.starts_with(T::NotWithin.get(Lang::Ja))
                            && ja.contains(&format!("{d} 日目"))
                    );
                }
                (None, None) => assert_eq!(en, T::NeverPays.get(Lang::En)),
            }
        }
    }
}
