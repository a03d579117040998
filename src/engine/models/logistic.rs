//! Logistic regression with scikit-learn's objective: C·Σ log-loss + ½‖W‖² (intercepts not
//! penalised), binary for two classes and multinomial (softmax) for more, solved to the
//! optimum by Newton's method with a backtracking line search (by L-BFGS when there are too
//! many coefficients for a dense Hessian). The objective is strictly convex, so the optimum is
//! the one scikit-learn's lbfgs converges to.

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
    if k * (p + 1) > NEWTON_MAX_COEFFICIENTS {
        return fit_lbfgs(x, y, classes, c, max_iter.max(1) * 10);
    }
    fit_newton(x, y, classes, c, max_iter)
}

/// Above this many coefficients (classes × (features + 1)) Newton's dense Hessian costs too much
/// memory and time (a wide one-hot table with many classes took minutes and hundreds of MB), so
/// the fit uses L-BFGS, scikit-learn's default solver, whose cost per step grows only linearly.
pub const NEWTON_MAX_COEFFICIENTS: usize = 512;

/// The penalised objective and its gradient at `w` (rows of `d` weights, intercept last).
fn objective_and_gradient(
    xa: &[Vec<f64>],
    y: &[usize],
    k: usize,
    c: f64,
    w: &[f64],
) -> (f64, Vec<f64>) {
    let d = w.len() / k;
    let p = d - 1;
    let mut loss = 0.0;
    let mut g = vec![0.0; w.len()];
    let mut zs = vec![0.0; k];
    for (xi, &yi) in xa.iter().zip(y) {
        for (a, z) in zs.iter_mut().enumerate() {
            *z = xi
                .iter()
                .zip(&w[a * d..(a + 1) * d])
                .map(|(u, v)| u * v)
                .sum();
        }
        if k == 1 {
            let z = zs[0];
            let t = (yi == 1) as u8 as f64;
            loss += z.max(0.0) + (-z.abs()).exp().ln_1p() - t * z;
            let r = sigmoid(z) - t;
            for (gj, xj) in g.iter_mut().zip(xi) {
                *gj += c * r * xj;
            }
        } else {
            let mx = zs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lse = mx + zs.iter().map(|z| (z - mx).exp()).sum::<f64>().ln();
            loss += lse - zs[yi];
            for a in 0..k {
                let r = (zs[a] - lse).exp() - (yi == a) as u8 as f64;
                for (gj, xj) in g[a * d..(a + 1) * d].iter_mut().zip(xi) {
                    *gj += c * r * xj;
                }
            }
        }
    }
    let mut pen = 0.0;
    for a in 0..k {
        for j in 0..p {
            let v = w[a * d + j];
            pen += v * v;
            g[a * d + j] += v;
        }
    }
    (c * loss + 0.5 * pen, g)
}

/// Limited-memory BFGS (10 pairs) with a backtracking line search, to the same optimum.
fn fit_lbfgs(
    x: &[Vec<f64>],
    y: &[usize],
    classes: usize,
    c: f64,
    max_iter: usize,
) -> LogisticModel {
    let p = x.first().map(Vec::len).unwrap_or(0);
    let k = if classes == 2 { 1 } else { classes };
    let d = p + 1;
    let xa: Vec<Vec<f64>> = x
        .iter()
        .map(|r| {
            let mut v = r.clone();
            v.push(1.0);
            v
        })
        .collect();
    let mut w = vec![0.0; k * d];
    let (mut f, mut g) = objective_and_gradient(&xa, y, k, c, &w);
    let mut pairs: std::collections::VecDeque<(Vec<f64>, Vec<f64>, f64)> = Default::default();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>();
    let mut iters = 0;
    for it in 0..max_iter {
        iters = it + 1;
        if g.iter().fold(0.0f64, |m, v| m.max(v.abs())) < 1e-9 {
            break;
        }
        // Two-loop recursion: the search direction −H·g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(pairs.len());
        for (s, yv, rho) in pairs.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(yv).for_each(|(qi, yi)| *qi -= a * yi);
            alphas.push(a);
        }
        if let Some((s, yv, _)) = pairs.back() {
            let gamma = dot(s, yv) / dot(yv, yv);
            q.iter_mut().for_each(|qi| *qi *= gamma);
        } else {
            let scale = 1.0 / g.iter().fold(0.0f64, |m, v| m.max(v.abs())).max(1.0);
            q.iter_mut().for_each(|qi| *qi *= scale);
        }
        for ((s, yv, rho), a) in pairs.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(yv, &q);
            q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a - b) * si);
        }
        let mut slope = dot(&g, &q);
        if slope <= 0.0 {
            // Not a descent direction (curvature lost): restart from the gradient.
            pairs.clear();
            q = g.clone();
            slope = dot(&g, &q);
        }
        let mut t = 1.0;
        let (w_new, f_new, g_new) = loop {
            let cand: Vec<f64> = w.iter().zip(&q).map(|(a, b)| a - t * b).collect();
            let (fc, gc) = objective_and_gradient(&xa, y, k, c, &cand);
            if fc <= f - 1e-4 * t * slope || t < 1e-12 {
                break (cand, fc, gc);
            }
            t *= 0.5;
        };
        let s: Vec<f64> = w_new.iter().zip(&w).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &yv);
        let change = (f - f_new).abs();
        w = w_new;
        g = g_new;
        let f_old = f;
        f = f_new;
        if sy > 1e-12 * dot(&yv, &yv).sqrt() * dot(&s, &s).sqrt() {
            pairs.push_back((s, yv, 1.0 / sy));
            if pairs.len() > 10 {
                pairs.pop_front();
            }
        }
        if change <= 1e-15 * f_old.abs().max(1.0) || t < 1e-12 {
            break;
        }
    }
    LogisticModel {
        classes,
        weights: (0..k).map(|a| w[a * d..(a + 1) * d].to_vec()).collect(),
        n_iter: iters,
    }
}

fn fit_newton(
    x: &[Vec<f64>],
    y: &[usize],
    classes: usize,
    c: f64,
    max_iter: usize,
) -> LogisticModel {
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
    fn lbfgs_reaches_newtons_optimum() {
        // Binary and three classes, on data that is not separable.
        for classes in [2usize, 3] {
            let x: Vec<Vec<f64>> = (0..90)
                .map(|i| {
                    vec![
                        (i % 7) as f64 * 0.5,
                        ((i * 13) % 11) as f64 * 0.2,
                        (i % 2) as f64,
                    ]
                })
                .collect();
            let y: Vec<usize> = (0..90).map(|i| (i * 7 + i / 5) % classes).collect();
            let newton = fit_newton(&x, &y, classes, 0.7, 100);
            let lbfgs = fit_lbfgs(&x, &y, classes, 0.7, 1000);
            // Probabilities, as the multinomial intercepts are defined only up to a shared shift.
            for r in &x {
                let (a, b) = (newton.predict_proba_row(r), lbfgs.predict_proba_row(r));
                for (pa, pb) in a.iter().zip(&b) {
                    assert!((pa - pb).abs() < 1e-7, "{classes} classes: {pa} vs {pb}");
                }
            }
        }
    }

    #[test]
    fn a_wide_many_class_problem_is_fitted_without_a_dense_hessian() {
        // 40 rows of 3,000 one-hot columns and 8 classes: 24,008 coefficients, whose Hessian
        // alone would take 4.6 GB.
        let x: Vec<Vec<f64>> = (0..40)
            .map(|i| {
                (0..3000)
                    .map(|j| ((j % 1500) == (i * 37) % 1500) as u8 as f64)
                    .collect()
            })
            .collect();
        let y: Vec<usize> = (0..40).map(|i| i % 8).collect();
        let m = fit(&x, &y, 8, 1e9, 100);
        assert_eq!(m.weights.len(), 8);
        assert!(m.weights.iter().flatten().all(|v| v.is_finite()));
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
