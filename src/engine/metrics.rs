//! Evaluation metrics with scikit-learn's definitions.

use serde::{Deserialize, Serialize};

/// Regression metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionMetrics {
    /// RMSE = sqrt(mean((y − ŷ)²)).
    pub rmse: f64,
    /// MAE = mean(|y − ŷ|).
    pub mae: f64,
    /// R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)².
    pub r2: f64,
    /// MAPE = mean(|y − ŷ| / max(|y|, ε)), a fraction as scikit-learn returns it.
    pub mape: f64,
}

/// Compute the regression metrics of predictions `pred` against `y`.
pub fn regression(y: &[f64], pred: &[f64]) -> RegressionMetrics {
    let n = y.len().max(1) as f64;
    let mean = y.iter().sum::<f64>() / n;
    let (mut se, mut ae, mut ape, mut tot) = (0.0, 0.0, 0.0, 0.0);
    for (&a, &b) in y.iter().zip(pred) {
        se += (a - b) * (a - b);
        ae += (a - b).abs();
        ape += (a - b).abs() / a.abs().max(f64::EPSILON);
        tot += (a - mean) * (a - mean);
    }
    RegressionMetrics {
        rmse: (se / n).sqrt(),
        mae: ae / n,
        r2: if tot == 0.0 { f64::NAN } else { 1.0 - se / tot },
        mape: ape / n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_mean_predictions() {
        let y = [1.0, 2.0, 3.0, 4.0];
        let m = regression(&y, &y);
        assert_eq!((m.rmse, m.mae, m.r2, m.mape), (0.0, 0.0, 1.0, 0.0));
        let m = regression(&y, &[2.5; 4]);
        assert_eq!(m.r2, 0.0);
        assert_eq!(m.mae, 1.0);
        assert!((m.rmse - 1.25f64.sqrt()).abs() < 1e-15);
    }
}
