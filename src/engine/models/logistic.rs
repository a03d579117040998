//! Logistic regression with scikit-learn's objective: C·Σ log-loss + ½‖W‖² (intercepts not
//! penalised), binary for two classes and multinomial (softmax) for more, solved to the
//! optimum by Newton's method with a backtracking line search. The objective is strictly
//! convex, so the optimum is the one scikit-learn's lbfgs converges to.

use serde::{Deserialize, Serialize};

/// A fitted classifier: one weight row (and intercept) per class, or one row for two classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    pub classes: usize,
    /// Rows of weights; the last entry of each row is the intercept.
    pub weights: Vec<Vec<f64>>,
    pub n_iter: usize,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

fn softmax(z: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    for v in z.iter_mut() {
        *v /= s;
    }
}

impl LogisticModel {
    fn scores(&self, x: &[f64]) -> Vec<f64> {
        self.weights
            .iter()
            .map(|w| {
                let p = w.len() - 1;
                w[p] + x.iter().zip(&w[..p]).map(|(a, b)| a * b).sum::<f64>()
            })
            .collect()
    }

    /// Class probabilities of one row.
    pub fn predict_proba_row(&self, x: &[f64]) -> Vec<f64> {
        let mut s = self.scores(x);
        if self.classes == 2 {
            let p = sigmoid(s[0]);
            vec![1.0 - p, p]
        } else {
            softmax(&mut s);
            s
        }
    }

    /// The most probable class of each row (ties: the lower class).
    pub fn predict(&self, x: &[Vec<f64>]) -> Vec<usize> {
        x.iter()
            .map(|r| {
                let p = self.predict_proba_row(r);
                (0..p.len()).fold(0, |best, k| if p[k] > p[best] { k } else { best })
            })
            .collect()
    }
}

/// Fit on rows `x` with class codes `y` in 0..classes.
pub fn fit(x: &[Vec<f64>], y: &[usize], classes: usize, c: f64, max_iter: usize) -> LogisticModel {
    let p = x.first().map(Vec::len).unwrap_or(0);
    let k = if classes == 2 { 1 } else { classes };
    let d = p + 1;
    let m = k * d;
    let mut w = vec![0.0; m];
    let aug = |r: &Vec<f64>| {
        let mut v = r.clone();
        v.push(1.0);
        v
    };
    let xa: Vec<Vec<f64>> = x.iter().map(aug).collect();
    let objective = |w: &[f64]| -> f64 {
        let mut loss = 0.0;
        for (xi, &yi) in xa.iter().zip(y) {
            if k == 1 {
                let z: f64 = xi.iter().zip(w).map(|(a, b)| a * b).sum();
                // log(1 + e^z) − y·z, computed stably.
                loss += z.max(0.0) + (-z.abs()).exp().ln_1p() - if yi == 1 { z } else { 0.0 };
            } else {
                let zs: Vec<f64> = (0..k)
                    .map(|c| {
                        xi.iter()
                            .zip(&w[c * d..(c + 1) * d])
                            .map(|(a, b)| a * b)
                            .sum()
                    })
                    .collect();
                let mx = zs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let lse = mx + zs.iter().map(|z| (z - mx).exp()).sum::<f64>().ln();
                loss += lse - zs[yi];
            }
        }
        let pen: f64 = (0..k)
            .map(|c| w[c * d..c * d + p].iter().map(|v| v * v).sum::<f64>())
            .sum();
        c * loss + 0.5 * pen
    };
    let mut iters = 0;
    for it in 0..max_iter {
        iters = it + 1;
        let mut g = vec![0.0; m];
        let mut h = vec![vec![0.0; m]; m];
        for (xi, &yi) in xa.iter().zip(y) {
            let probs: Vec<f64> = if k == 1 {
                vec![sigmoid(xi.iter().zip(&w).map(|(a, b)| a * b).sum())]
            } else {
                let mut zs: Vec<f64> = (0..k)
                    .map(|cc| {
                        xi.iter()
                            .zip(&w[cc * d..(cc + 1) * d])
                            .map(|(a, b)| a * b)
                            .sum()
                    })
                    .collect();
                softmax(&mut zs);
                zs
            };
            for a in 0..k {
                let target = if k == 1 {
                    (yi == 1) as u8 as f64
                } else {
                    (yi == a) as u8 as f64
                };
                let r = probs[a] - target;
                for j in 0..d {
                    g[a * d + j] += c * r * xi[j];
                }
                for b in 0..k {
                    let s = if k == 1 {
                        probs[0] * (1.0 - probs[0])
                    } else {
                        probs[a] * ((a == b) as u8 as f64 - probs[b])
                    };
                    if s == 0.0 {
                        continue;
                    }
                    for j in 0..d {
                        let v = c * s * xi[j];
                        let row = &mut h[a * d + j];
                        for l in 0..d {
                            row[b * d + l] += v * xi[l];
                        }
                    }
                }
            }
        }
        for a in 0..k {
            for j in 0..p {
                g[a * d + j] += w[a * d + j];
                h[a * d + j][a * d + j] += 1.0;
            }
        }
        let gnorm = g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        if gnorm < 1e-11 {
            break;
        }
        // The multinomial Hessian is singular along the intercepts; a tiny ridge fixes that.
        for (i, row) in h.iter_mut().enumerate() {
            row[i] += 1e-10;
        }
        let step = crate::engine::models::linear::solve_spd(h, g.clone());
        let f0 = objective(&w);
        let slope: f64 = g.iter().zip(&step).map(|(a, b)| a * b).sum();
        let mut t = 1.0;
        loop {
            let cand: Vec<f64> = w.iter().zip(&step).map(|(a, b)| a - t * b).collect();
            if objective(&cand) <= f0 - 1e-4 * t * slope || t < 1e-10 {
                w = cand;
                break;
            }
            t *= 0.5;
        }
        if t * step.iter().fold(0.0f64, |m, v| m.max(v.abs())) < 1e-12 {
            break;
        }
    }
    LogisticModel {
        classes,
        weights: (0..k).map(|a| w[a * d..(a + 1) * d].to_vec()).collect(),
        n_iter: iters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_binary_data_is_classified() {
        let x: Vec<Vec<f64>> = (0..40).map(|i| vec![i as f64 / 10.0]).collect();
        let y: Vec<usize> = (0..40).map(|i| (i >= 20) as usize).collect();
        let m = fit(&x, &y, 2, 1.0, 100);
        let pred = m.predict(&x);
        let acc = pred.iter().zip(&y).filter(|(a, b)| a == b).count();
        assert!(acc >= 38, "{acc}");
        let p = m.predict_proba_row(&x[39]);
        assert!((p[0] + p[1] - 1.0).abs() < 1e-12 && p[1] > 0.9);
    }

    #[test]
    fn gradient_vanishes_at_the_binary_optimum() {
        let x: Vec<Vec<f64>> = (0..30)
            .map(|i| vec![(i % 7) as f64, (i % 3) as f64])
            .collect();
        let y: Vec<usize> = (0..30).map(|i| ((i % 7) + (i % 2) > 4) as usize).collect();
        let m = fit(&x, &y, 2, 0.5, 100);
        // ∂/∂w = C·Σ (p − y)·x + w must be ~0.
        let w = &m.weights[0];
        for j in 0..2 {
            let g: f64 = x
                .iter()
                .zip(&y)
                .map(|(r, &t)| 0.5 * (m.predict_proba_row(r)[1] - t as f64) * r[j])
                .sum::<f64>()
                + w[j];
            assert!(g.abs() < 1e-6, "{g}");
        }
    }

    #[test]
    fn three_classes_use_softmax() {
        let x: Vec<Vec<f64>> = (0..60)
            .map(|i| vec![(i / 20) as f64 * 3.0 + (i % 5) as f64 * 0.1])
            .collect();
        let y: Vec<usize> = (0..60).map(|i| i / 20).collect();
        let m = fit(&x, &y, 3, 10.0, 100);
        assert_eq!(m.weights.len(), 3);
        let acc = m.predict(&x).iter().zip(&y).filter(|(a, b)| a == b).count();
        assert!(acc >= 58, "{acc}");
    }
}
