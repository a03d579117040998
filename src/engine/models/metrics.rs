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

/// One class's precision, recall, F1 and support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassScores {
    pub class: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

/// Classification metrics; precision/recall of a class never predicted (or absent) are 0, as
/// scikit-learn's `zero_division=0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationMetrics {
    pub accuracy: f64,
    pub precision_macro: f64,
    pub recall_macro: f64,
    pub f1_macro: f64,
    pub per_class: Vec<ClassScores>,
    /// confusion[actual][predicted]
    pub confusion: Vec<Vec<usize>>,
    /// Area under the ROC curve, binary targets only.
    pub roc_auc: Option<f64>,
    /// ROC points (false positive rate, true positive rate), binary targets only.
    pub roc: Vec<(f64, f64)>,
}

/// Compute classification metrics. `score` is the positive class's probability per row
/// (class 1 of 2), used for the ROC curve.
pub fn classification(
    y: &[usize],
    pred: &[usize],
    labels: &[String],
    score: Option<&[f64]>,
) -> ClassificationMetrics {
    let k = labels.len();
    let mut confusion = vec![vec![0usize; k]; k];
    for (&a, &p) in y.iter().zip(pred) {
        confusion[a][p] += 1;
    }
    let n = y.len().max(1) as f64;
    let correct: usize = (0..k).map(|i| confusion[i][i]).sum();
    let per_class: Vec<ClassScores> = (0..k)
        .map(|c| {
            let tp = confusion[c][c] as f64;
            let predicted: usize = (0..k).map(|a| confusion[a][c]).sum();
            let support: usize = confusion[c].iter().sum();
            let precision = if predicted == 0 {
                0.0
            } else {
                tp / predicted as f64
            };
            let recall = if support == 0 {
                0.0
            } else {
                tp / support as f64
            };
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            ClassScores {
                class: labels[c].clone(),
                precision,
                recall,
                f1,
                support,
            }
        })
        .collect();
    let avg = |f: fn(&ClassScores) -> f64| per_class.iter().map(f).sum::<f64>() / k.max(1) as f64;
    let (roc, roc_auc) = match score {
        Some(s) if k == 2 => {
            let (pts, auc) = roc_curve(y, s);
            (pts, Some(auc))
        }
        _ => (Vec::new(), None),
    };
    ClassificationMetrics {
        accuracy: correct as f64 / n,
        precision_macro: avg(|c| c.precision),
        recall_macro: avg(|c| c.recall),
        f1_macro: avg(|c| c.f1),
        per_class,
        confusion,
        roc_auc,
        roc,
    }
}

/// ROC curve points over distinct score thresholds (high to low) and the trapezoidal AUC.
pub fn roc_curve(y: &[usize], score: &[f64]) -> (Vec<(f64, f64)>, f64) {
    let pos = y.iter().filter(|&&v| v == 1).count() as f64;
    let neg = y.len() as f64 - pos;
    let mut idx: Vec<usize> = (0..y.len()).collect();
    idx.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
    let mut pts = vec![(0.0, 0.0)];
    let (mut tp, mut fp) = (0.0, 0.0);
    let mut i = 0;
    while i < idx.len() {
        let s = score[idx[i]];
        // NaN equals nothing, not even itself: NaN scores tie with each other.
        let tie = |v: f64| v == s || (v.is_nan() && s.is_nan());
        while i < idx.len() && tie(score[idx[i]]) {
            if y[idx[i]] == 1 {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            i += 1;
        }
        pts.push((
            if neg > 0.0 { fp / neg } else { 0.0 },
            if pos > 0.0 { tp / pos } else { 0.0 },
        ));
    }
    let auc = pts
        .windows(2)
        .map(|w| (w[1].0 - w[0].0) * (w[1].1 + w[0].1) / 2.0)
        .sum();
    (pts, auc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roc_curve_of_nan_scores_ends() {
        // Found by the fuzz harness (pipeline seed 23013): naive Bayes on columns with no value
        // scored NaN, and NaN never equals itself, so the tie loop never advanced.
        let (pts, auc) = roc_curve(&[0, 1, 1], &[f64::NAN, 0.5, f64::NAN]);
        assert!(pts.len() <= 4, "{pts:?}");
        assert_eq!(pts.last(), Some(&(1.0, 1.0)));
        assert!(auc.is_finite());
    }

    #[test]
    fn classification_scores_and_confusion() {
        let labels = vec!["no".to_string(), "yes".to_string()];
        let y = [0, 0, 1, 1, 1];
        let p = [0, 1, 1, 1, 0];
        let m = classification(&y, &p, &labels, Some(&[0.1, 0.6, 0.9, 0.8, 0.3]));
        assert_eq!(m.confusion, vec![vec![1, 1], vec![1, 2]]);
        assert!((m.accuracy - 0.6).abs() < 1e-12);
        assert!((m.per_class[1].precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.per_class[1].recall - 2.0 / 3.0).abs() < 1e-12);
        // Scores rank positives 0.9, 0.8 above the negative 0.6; then 0.3 (pos) above 0.1 (neg).
        assert!((m.roc_auc.unwrap() - 5.0 / 6.0).abs() < 1e-12);
    }

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
