//! Correlation between two numeric columns (Pearson) and between a numeric and a categorical
//! one (the correlation ratio).

use crate::engine::data::table::MISSING_CODE;

/// Pearson's r over the rows where both values are present (pandas' `corr`, Welford updates
/// as in pandas' `nancorr`); NaN when fewer than two rows or a constant side.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
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
        return f64::NAN;
    }
    (sxy / d).clamp(-1.0, 1.0)
}

/// Correlation ratio η = sqrt(Σ n_k (ȳ_k − ȳ)² / Σ (y − ȳ)²) of numbers `y` across `groups`.
pub fn correlation_ratio(y: &[f64], groups: &[u32]) -> f64 {
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
    if count < 2.0 {
        return f64::NAN;
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
    if within_total == 0.0 {
        return f64::NAN;
    }
    (between / within_total).sqrt()
}
