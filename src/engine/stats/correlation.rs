//! Correlation between two numeric columns (Pearson) and between a numeric and a categorical
//! one (the correlation ratio).

use crate::engine::data::table::MISSING_CODE;

/// Pearson's r over the rows where both values are present (pandas' `corr`, Welford updates
/// as in pandas' `nancorr`); NaN when fewer than two rows or a constant side.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    pearson_with_support(x, y).0
}

/// Pearson's r with the number of rows where both values are present.
pub fn pearson_with_support(x: &[f64], y: &[f64]) -> (f64, usize) {
    let (mut n, mut mx, mut my, mut sxx, mut syy, mut sxy) = (0.0f64, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        if a.is_nan() || b.is_nan() {
            continue;
        }
        n += 1.0;
        let dx = a - mx;
        let dy = b - my;
        mx += dx / n;
        my += dy / n;
        sxx += (a - mx) * dx;
        syy += (b - my) * dy;
        sxy += (a - mx) * dy;
    }
    let d = (sxx * syy).sqrt();
    if n < 2.0 || d == 0.0 {
        return (f64::NAN, n as usize);
    }
    ((sxy / d).clamp(-1.0, 1.0), n as usize)
}

/// A correlation ratio with what it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// η; NaN with fewer than two rows or no spread.
    pub eta: f64,
    /// Rows where both the number and the group are present.
    pub n: usize,
    /// Groups that occur in those rows.
    pub groups: usize,
    /// Share of those groups with fewer than 5 rows.
    pub small_groups: f64,
}

impl Ratio {
    /// The rule of Cramér's V ([`super::association::Association::is_reliable`]): enough
    /// shared rows, and no more than a fifth of the groups under 5 rows.
    pub fn is_reliable(&self, min_support: usize) -> bool {
        self.eta.is_finite() && self.n >= min_support && self.small_groups <= 0.2
    }
}

/// Correlation ratio η = sqrt(Σ n_k (ȳ_k − ȳ)² / Σ (y − ȳ)²) of numbers `y` across `groups`.
pub fn correlation_ratio(y: &[f64], groups: &[u32]) -> Ratio {
    let k = groups
        .iter()
        .filter(|&&g| g != MISSING_CODE)
        .map(|&g| g as usize + 1)
        .max()
        .unwrap_or(0);
    let mut sum = vec![0.0; k];
    let mut n = vec![0.0; k];
    let (mut total, mut count) = (0.0, 0.0);
    for (&v, &g) in y.iter().zip(groups) {
        if v.is_nan() || g == MISSING_CODE {
            continue;
        }
        sum[g as usize] += v;
        n[g as usize] += 1.0;
        total += v;
        count += 1.0;
    }
    let present = n.iter().filter(|&&c| c > 0.0).count();
    let small = n.iter().filter(|&&c| c > 0.0 && c < 5.0).count();
    let mut out = Ratio {
        eta: f64::NAN,
        n: count as usize,
        groups: present,
        small_groups: if present == 0 {
            0.0
        } else {
            small as f64 / present as f64
        },
    };
    if count < 2.0 {
        return out;
    }
    let mean = total / count;
    let between: f64 = (0..k)
        .filter(|&i| n[i] > 0.0)
        .map(|i| n[i] * (sum[i] / n[i] - mean).powi(2))
        .sum();
    let within_total: f64 = y
        .iter()
        .zip(groups)
        .filter(|(v, g)| !v.is_nan() && **g != MISSING_CODE)
        .map(|(v, _)| (v - mean).powi(2))
        .sum();
    if within_total != 0.0 {
        out.eta = (between / within_total).sqrt();
    }
    out
}
