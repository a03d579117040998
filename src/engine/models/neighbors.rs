//! k-nearest neighbours (Euclidean, uniform weights) and Gaussian naive Bayes, as
//! scikit-learn's `KNeighbors*` and `GaussianNB` define them.

use serde::{Deserialize, Serialize};

/// A k-nearest-neighbours model keeps its training rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Knn {
    pub k: usize,
    pub x: Vec<Vec<f64>>,
    pub y: Vec<f64>,
    /// Number of classes, or 0 for regression.
    pub classes: usize,
}

impl Knn {
    /// Indices of the k nearest training rows (ties by training order).
    fn neighbours(&self, row: &[f64]) -> Vec<usize> {
        let mut d: Vec<(f64, usize)> = self
            .x
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    r.iter()
                        .zip(row)
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum::<f64>(),
                    i,
                )
            })
            .collect();
        let k = self.k.clamp(1, d.len());
        d.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut near: Vec<(f64, usize)> = d[..k].to_vec();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        near.into_iter().map(|(_, i)| i).collect()
    }

    /// The mean of the neighbours (regression) or their class frequencies (classification).
    pub fn predict_row(&self, row: &[f64]) -> Vec<f64> {
        let nb = self.neighbours(row);
        let n = nb.len() as f64;
        if self.classes == 0 {
            vec![nb.iter().map(|&i| self.y[i]).sum::<f64>() / n]
        } else {
            let mut p = vec![0.0; self.classes];
            for &i in &nb {
                p[self.y[i] as usize] += 1.0 / n;
            }
            p
        }
    }
}

/// Gaussian naive Bayes: per-class means and variances, class priors from frequencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianNb {
    pub means: Vec<Vec<f64>>,
    pub vars: Vec<Vec<f64>>,
    pub log_priors: Vec<f64>,
}

impl GaussianNb {
    /// Fit; variances get scikit-learn's smoothing, 1e-9 × the largest feature variance.
    pub fn fit(x: &[Vec<f64>], y: &[usize], classes: usize) -> GaussianNb {
        let p = x.first().map(Vec::len).unwrap_or(0);
        let n = x.len() as f64;
        let var_all = (0..p)
            .map(|j| {
                let m = x.iter().map(|r| r[j]).sum::<f64>() / n;
                x.iter().map(|r| (r[j] - m).powi(2)).sum::<f64>() / n
            })
            .fold(0.0f64, f64::max);
        let eps = 1e-9 * var_all;
        let mut means = vec![vec![0.0; p]; classes];
        let mut vars = vec![vec![0.0; p]; classes];
        let mut counts = vec![0.0f64; classes];
        for (r, &c) in x.iter().zip(y) {
            counts[c] += 1.0;
            for j in 0..p {
                means[c][j] += r[j];
            }
        }
        for c in 0..classes {
            for m in means[c].iter_mut() {
                *m /= counts[c].max(1.0);
            }
        }
        for (r, &c) in x.iter().zip(y) {
            for j in 0..p {
                vars[c][j] += (r[j] - means[c][j]).powi(2);
            }
        }
        for c in 0..classes {
            for v in vars[c].iter_mut() {
                *v = *v / counts[c].max(1.0) + eps;
            }
        }
        let log_priors = counts.iter().map(|k| (k / n).ln()).collect();
        GaussianNb {
            means,
            vars,
            log_priors,
        }
    }

    /// Class probabilities of one row.
    pub fn predict_proba_row(&self, row: &[f64]) -> Vec<f64> {
        let mut ll: Vec<f64> = (0..self.means.len())
            .map(|c| {
                self.log_priors[c]
                    + row
                        .iter()
                        .zip(&self.means[c])
                        .zip(&self.vars[c])
                        .map(|((x, m), v)| {
                            -0.5 * (2.0 * std::f64::consts::PI * v).ln()
                                - (x - m).powi(2) / (2.0 * v)
                        })
                        .sum::<f64>()
            })
            .collect();
        let mx = ll.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let s: f64 = ll.iter().map(|v| (v - mx).exp()).sum();
        ll.iter_mut().for_each(|v| *v = (*v - mx).exp() / s);
        ll
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knn_averages_the_nearest_rows() {
        let m = Knn {
            k: 2,
            x: vec![vec![0.0], vec![1.0], vec![10.0]],
            y: vec![1.0, 3.0, 100.0],
            classes: 0,
        };
        assert_eq!(m.predict_row(&[0.4]), vec![2.0]);
        let c = Knn {
            classes: 2,
            y: vec![0.0, 1.0, 1.0],
            ..m
        };
        assert_eq!(c.predict_row(&[9.0]), vec![0.0, 1.0]);
    }

    #[test]
    fn gaussian_nb_separates_two_clusters() {
        let x: Vec<Vec<f64>> = (0..40)
            .map(|i| vec![if i < 20 { 0.0 } else { 5.0 } + (i % 4) as f64 * 0.1])
            .collect();
        let y: Vec<usize> = (0..40).map(|i| (i >= 20) as usize).collect();
        let m = GaussianNb::fit(&x, &y, 2);
        assert!(m.predict_proba_row(&[0.1])[0] > 0.99);
        assert!(m.predict_proba_row(&[5.1])[1] > 0.99);
        assert!((m.log_priors[0] - 0.5f64.ln()).abs() < 1e-12);
    }
}
