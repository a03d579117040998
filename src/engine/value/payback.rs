//! Step 1's business value: what ML saves per day, its costs, the cumulative net value over a
//! horizon and the break-even day. Units are explicit: yen, hours, calendar days.
//!
//! Convention: value accrues every calendar day; the monthly operation cost becomes a daily
//! cost as `monthly × 12 / 365`; the development cost is paid on day 0. (The workshop's
//! original notebook subtracted the whole monthly cost every day, which is the units bug
//! this module exists to avoid.)

use serde::{Deserialize, Serialize};

/// Days in a year for the horizon and for spreading the monthly cost.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// The inputs of the counterfeit-check example, with their units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueInputs {
    /// Checkers needed per day without ML (people). Owner: the checking team.
    pub checkers_before: f64,
    /// Checking hours per checker per day without ML (h). Owner: the checking team.
    pub hours_before: f64,
    /// Checkers needed per day with ML (people). Owner: the checking team.
    pub checkers_after: f64,
    /// Checking hours per checker per day with ML (h). Owner: the checking team.
    pub hours_after: f64,
    /// Hourly wage (yen/h). Owner: hiring.
    pub wage_yen_per_hour: f64,
    /// One-off development cost (yen). Owner: the ML project.
    pub dev_cost_yen: f64,
    /// Operation cost (yen/month). Owner: system operations.
    pub op_cost_yen_per_month: f64,
    /// How far to look ahead (years).
    pub horizon_years: f64,
}

/// A problem with one input, for the UI to show next to its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputProblem {
    pub field: &'static str,
    pub problem: Problem,
}

/// What is wrong with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    NotANumber,
    Negative,
    HoursOverADay,
    HorizonOutOfRange,
}

impl ValueInputs {
    /// Every field that is unusable; empty when the inputs can be computed.
    pub fn validate(&self) -> Vec<InputProblem> {
        let mut out = Vec::new();
        let fields = [
            ("checkers_before", self.checkers_before),
            ("hours_before", self.hours_before),
            ("checkers_after", self.checkers_after),
            ("hours_after", self.hours_after),
            ("wage_yen_per_hour", self.wage_yen_per_hour),
            ("dev_cost_yen", self.dev_cost_yen),
            ("op_cost_yen_per_month", self.op_cost_yen_per_month),
            ("horizon_years", self.horizon_years),
        ];
        for (field, v) in fields {
            let problem = if !v.is_finite() {
                Some(Problem::NotANumber)
            } else if v < 0.0 {
                Some(Problem::Negative)
            } else if field.starts_with("hours") && v > 24.0 {
                Some(Problem::HoursOverADay)
            } else if field == "horizon_years" && !(v > 0.0 && v <= 30.0) {
                Some(Problem::HorizonOutOfRange)
            } else {
                None
            };
            if let Some(problem) = problem {
                out.push(InputProblem { field, problem });
            }
        }
        out
    }

    /// Value per day = (checkers before × hours before − checkers after × hours after) × wage.
    pub fn saving_per_day(&self) -> f64 {
        (self.checkers_before * self.hours_before - self.checkers_after * self.hours_after)
            * self.wage_yen_per_hour
    }

    /// The business case these inputs stand for.
    pub fn case(&self) -> PaybackCase {
        PaybackCase {
            value_per_day: self.saving_per_day(),
            dev_cost_yen: self.dev_cost_yen,
            op_cost_yen_per_month: self.op_cost_yen_per_month,
            horizon_years: self.horizon_years,
        }
    }
}

/// Any value-per-day figure with the costs it must pay back (the formula editor uses this too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaybackCase {
    pub value_per_day: f64,
    pub dev_cost_yen: f64,
    pub op_cost_yen_per_month: f64,
    pub horizon_years: f64,
}

/// What a case yields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payback {
    pub value_per_day: f64,
    /// Operation cost per day = monthly × 12 / 365.
    pub op_cost_per_day: f64,
    /// Net per day = value per day − operation cost per day.
    pub net_per_day: f64,
    pub horizon_days: u32,
    /// The first day on which the cumulative net value is ≥ 0, if within the horizon.
    pub break_even_day: Option<u32>,
    /// The day it would break even at this rate, even past the horizon (None if never).
    pub break_even_day_unbounded: Option<u32>,
    /// Cumulative net value at the end of the horizon.
    pub final_value: f64,
}

impl PaybackCase {
    /// Cumulative net value after `day` days: day × net per day − development cost.
    pub fn cumulative(&self, day: f64) -> f64 {
        day * self.net_per_day() - self.dev_cost_yen
    }

    /// Operation cost per calendar day.
    pub fn op_cost_per_day(&self) -> f64 {
        self.op_cost_yen_per_month * 12.0 / DAYS_PER_YEAR
    }

    /// Value minus operation cost, per day.
    pub fn net_per_day(&self) -> f64 {
        self.value_per_day - self.op_cost_per_day()
    }

    /// The horizon in whole days.
    pub fn horizon_days(&self) -> u32 {
        (self.horizon_years * DAYS_PER_YEAR)
            .round()
            .clamp(1.0, 30.0 * DAYS_PER_YEAR) as u32
    }

    /// Break-even and totals.
    pub fn evaluate(&self) -> Payback {
        let net = self.net_per_day();
        let horizon = self.horizon_days();
        let unbounded = if self.dev_cost_yen <= 0.0 {
            Some(0)
        } else if net > 0.0 {
            let d = (self.dev_cost_yen / net).ceil();
            (d <= u32::MAX as f64).then_some(d as u32)
        } else {
            None
        };
        Payback {
            value_per_day: self.value_per_day,
            op_cost_per_day: self.op_cost_per_day(),
            net_per_day: net,
            horizon_days: horizon,
            break_even_day: unbounded.filter(|&d| d <= horizon),
            break_even_day_unbounded: unbounded,
            final_value: self.cumulative(horizon as f64),
        }
    }

    /// The cumulative net value curve, one point per `step` days from 0 to the horizon.
    pub fn curve(&self, points: usize) -> Vec<(f64, f64)> {
        let h = self.horizon_days() as f64;
        let n = points.max(2);
        (0..n)
            .map(|i| {
                let d = h * i as f64 / (n - 1) as f64;
                (d, self.cumulative(d))
            })
            .collect()
    }
}

/// One named scenario of the lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub inputs: ValueInputs,
}

/// The workshop's before-ML figures: 20 checkers × 7.5 h at 1,200 yen/h; development
/// 10,000,000 yen; operation 100,000 yen/month; three years.
pub fn workshop_base() -> ValueInputs {
    ValueInputs {
        checkers_before: 20.0,
        hours_before: 7.5,
        checkers_after: 2.0,
        hours_after: 7.5,
        wage_yen_per_hour: 1200.0,
        dev_cost_yen: 10_000_000.0,
        op_cost_yen_per_month: 100_000.0,
        horizon_years: 3.0,
    }
}

/// Which preset a scenario started from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    /// The first estimate: the model leaves 2 checkers × 7.5 h. Pays back in weeks.
    Initial,
    /// After the first model: it catches too few fakes, so 19 checkers × 7.5 h are still
    /// needed. Does not pay back within three years.
    Revised,
    /// Agreed with the checking team: the model ranks listings so that the 19 checkers spend
    /// 5 h a day on checks instead of 7.5 h. Pays back within the first year.
    Negotiated,
}

impl Preset {
    /// All presets in the lesson's order.
    pub const ALL: [Preset; 3] = [Preset::Initial, Preset::Revised, Preset::Negotiated];

    /// The preset's inputs.
    pub fn inputs(self) -> ValueInputs {
        let base = workshop_base();
        match self {
            Preset::Initial => base,
            Preset::Revised => ValueInputs {
                checkers_after: 19.0,
                hours_after: 7.5,
                ..base
            },
            Preset::Negotiated => ValueInputs {
                checkers_after: 19.0,
                hours_after: 5.0,
                ..base
            },
        }
    }
}

/// The workshop's original "worse" estimate (10 checkers × 7.5 h after ML), for the note that
/// explains why the presets differ from the notebook.
pub fn notebook_worse_estimate() -> ValueInputs {
    ValueInputs {
        checkers_after: 10.0,
        hours_after: 7.5,
        ..workshop_base()
    }
}

/// What the original notebook computed for the same inputs: the whole monthly operation cost
/// subtracted every day. Kept only to show the difference on screen.
pub fn notebook_net_per_day(inputs: &ValueInputs) -> f64 {
    inputs.saving_per_day() - inputs.op_cost_yen_per_month
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_per_day_uses_person_hours() {
        let i = workshop_base();
        assert_eq!(i.saving_per_day(), (150.0 - 15.0) * 1200.0);
    }

    #[test]
    fn monthly_cost_is_spread_over_days() {
        let c = workshop_base().case();
        assert!((c.op_cost_per_day() - 100_000.0 * 12.0 / 365.0).abs() < 1e-9);
    }

    #[test]
    fn break_even_day_is_the_first_day_at_or_above_zero() {
        let c = PaybackCase {
            value_per_day: 1_000.0,
            dev_cost_yen: 10_000.0,
            op_cost_yen_per_month: 0.0,
            horizon_years: 1.0,
        };
        let p = c.evaluate();
        assert_eq!(p.break_even_day, Some(10));
        assert!(c.cumulative(9.0) < 0.0 && c.cumulative(10.0) >= 0.0);
        let c = PaybackCase {
            value_per_day: 1_000.0,
            dev_cost_yen: 10_001.0,
            ..c
        };
        assert_eq!(c.evaluate().break_even_day, Some(11));
    }

    #[test]
    fn never_pays_back_when_costs_exceed_value() {
        let c = PaybackCase {
            value_per_day: 3_000.0,
            dev_cost_yen: 1.0,
            op_cost_yen_per_month: 100_000.0,
            horizon_years: 3.0,
        };
        let p = c.evaluate();
        assert!(p.net_per_day < 0.0);
        assert_eq!(p.break_even_day, None);
        assert_eq!(p.break_even_day_unbounded, None);
    }

    #[test]
    fn lesson_presets_tell_the_workshop_story() {
        let initial = Preset::Initial.inputs().case().evaluate();
        let revised = Preset::Revised.inputs().case().evaluate();
        let negotiated = Preset::Negotiated.inputs().case().evaluate();
        assert_eq!(initial.break_even_day, Some(64));
        assert_eq!(revised.break_even_day, None, "{revised:?}");
        assert!(revised.break_even_day_unbounded.unwrap() > 3 * 365);
        let d = negotiated.break_even_day.unwrap();
        assert!(d < 365, "{d}");
    }

    #[test]
    fn notebook_bug_made_the_worse_estimate_look_hopeless() {
        let worse = notebook_worse_estimate();
        assert!(notebook_net_per_day(&worse) < 0.0);
        // Correctly computed it pays back within months.
        assert!(worse.case().evaluate().break_even_day.unwrap() < 200);
    }

    #[test]
    fn validation_names_the_field() {
        let mut i = workshop_base();
        i.hours_after = 30.0;
        i.wage_yen_per_hour = -1.0;
        i.dev_cost_yen = f64::NAN;
        let p = i.validate();
        assert_eq!(p.len(), 3);
        assert!(p.contains(&InputProblem {
            field: "hours_after",
            problem: Problem::HoursOverADay
        }));
        assert!(p.contains(&InputProblem {
            field: "wage_yen_per_hour",
            problem: Problem::Negative
        }));
        assert!(workshop_base().validate().is_empty());
    }

    #[test]
    fn curve_spans_the_horizon() {
        let c = workshop_base().case();
        let pts = c.curve(50);
        assert_eq!(pts.len(), 50);
        assert_eq!(pts[0], (0.0, -10_000_000.0));
        assert_eq!(pts[49].0, 1095.0);
    }
}
