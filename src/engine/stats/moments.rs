//! Mean, standard deviation and quantiles as pandas computes them.

/// Arithmetic mean; NaN for no values.
pub fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter().sum::<f64>() / v.len() as f64
}

/// Standard deviation with `ddof` degrees of freedom removed: sqrt(Σ(x − mean)² / (n − ddof)).
/// NaN when n ≤ ddof.
pub fn std_dev(v: &[f64], mean: f64, ddof: usize) -> f64 {
    if v.len() <= ddof {
        return f64::NAN;
    }
    let ss: f64 = v.iter().map(|x| (x - mean) * (x - mean)).sum();
    (ss / (v.len() - ddof) as f64).sqrt()
}

/// Quantile of sorted values by linear interpolation (numpy's default, pandas' `quantile`):
/// position h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    match v.len() {
        0 => f64::NAN,
        1 => v[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let frac = h - lo as f64;
            let (a, b) = (v[lo], v[hi]);
            // numpy's lerp: exact at both ends.
            if frac >= 0.5 {
                b - (b - a) * (1.0 - frac)
            } else {
                a + (b - a) * frac
            }
        }
    }
}
