//! Linear models with scikit-learn's objectives, fitted with an intercept on centred data.
//!
//! ElasticNet minimises 1/(2n)·‖y − Xw − b‖² + α·ρ·‖w‖₁ + ½·α·(1 − ρ)·‖w‖² by cyclic coordinate
//! descent, stopping on scikit-learn's duality gap (tol · ‖y‖²); Lasso is ρ = 1. Ridge minimises
//! ‖y − Xw − b‖² + α·‖w‖² and linear regression ‖y − Xw − b‖², both by solving the normal
//! equations.

use serde::{Deserialize, Serialize};

/// A fitted linear model: ŷ = x·w + b.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    pub coef: Vec<f64>,
    pub intercept: f64,
    /// Coordinate-descent sweeps used (0 for closed-form fits).
    pub n_iter: usize,
}

impl LinearModel {
    /// Predict one row.
    pub fn predict_row(&self, x: &[f64]) -> f64 {
        self.intercept + x.iter().zip(&self.coef).map(|(a, b)| a * b).sum::<f64>()
    }

    /// Predict many rows.
    pub fn predict(&self, x: &[Vec<f64>]) -> Vec<f64> {
        x.iter().map(|r| self.predict_row(r)).collect()
    }
}

/// Column means of X and the mean of y, and the centred copies (column-major X).
fn centre(x: &[Vec<f64>], y: &[f64]) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>, f64) {
    let n = x.len();
    let p = x.first().map(Vec::len).unwrap_or(0);
    let mut cols = vec![vec![0.0; n]; p];
    let mut means = vec![0.0; p];
    for j in 0..p {
        let m = x.iter().map(|r| r[j]).sum::<f64>() / n as f64;
        means[j] = m;
        for (i, r) in x.iter().enumerate() {
            cols[j][i] = r[j] - m;
        }
    }
    let ym = y.iter().sum::<f64>() / n as f64;
    let yc = y.iter().map(|v| v - ym).collect();
    (cols, yc, means, ym)
}

/// x·y with four running sums: one sum waits for each addition before the next can start,
/// four keep the processor (and WebAssembly's SIMD lanes) busy. Coordinate descent spends most
/// of its time here, as scikit-learn's does in BLAS `ddot`.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[2]) + (acc[1] + acc[3]) + tail
}

/// ElasticNet as scikit-learn's (`max_iter` 1000 and `tol` 1e-4 are its defaults); progress is
/// called after every sweep with the sweep number.
pub fn elastic_net(
    x: &[Vec<f64>],
    y: &[f64],
    alpha: f64,
    l1_ratio: f64,
    max_iter: usize,
    tol: f64,
    progress: &mut dyn FnMut(usize),
) -> LinearModel {
    let n = x.len();
    let (cols, yc, means, ym) = centre(x, y);
    let p = cols.len();
    let l1 = alpha * l1_ratio * n as f64;
    let l2 = alpha * (1.0 - l1_ratio) * n as f64;
    let norms: Vec<f64> = cols.iter().map(|c| dot(c, c)).collect();
    let mut w = vec![0.0; p];
    let mut r = yc.clone();
    let gap_tol = tol * dot(&yc, &yc);
    let mut iters = 0;
    for it in 0..max_iter {
        iters = it + 1;
        let (mut w_max, mut dw_max) = (0.0f64, 0.0f64);
        for j in 0..p {
            if norms[j] == 0.0 {
                continue;
            }
            let old = w[j];
            // xⱼ·(r + old·xⱼ) without first adding old·xⱼ back into r: one pass instead of two.
            let t = dot(&cols[j], &r) + old * norms[j];
            let new = t.signum() * (t.abs() - l1).max(0.0) / (norms[j] + l2);
            w[j] = new;
            if new != old {
                let d = new - old;
                for (ri, xi) in r.iter_mut().zip(&cols[j]) {
                    *ri -= d * xi;
                }
            }
            dw_max = dw_max.max((new - old).abs());
            w_max = w_max.max(new.abs());
        }
        progress(iters);
        if w_max == 0.0 || dw_max / w_max < tol || it == max_iter - 1 {
            // The duality gap decides, as in scikit-learn's enet_coordinate_descent.
            let xta: Vec<f64> = (0..p).map(|j| dot(&cols[j], &r) - l2 * w[j]).collect();
            let dual_norm = xta.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let r_norm2 = dot(&r, &r);
            let w_norm2 = dot(&w, &w);
            let (konst, mut gap) = if dual_norm > l1 {
                let k = l1 / dual_norm;
                (k, 0.5 * (r_norm2 + r_norm2 * k * k))
            } else {
                (1.0, r_norm2)
            };
            let l1_norm: f64 = w.iter().map(|v| v.abs()).sum();
            gap += l1 * l1_norm - konst * dot(&r, &yc) + 0.5 * l2 * (1.0 + konst * konst) * w_norm2;
            if gap < gap_tol {
                break;
            }
        }
    }
    let intercept = ym - dot(&means, &w);
    LinearModel {
        coef: w,
        intercept,
        n_iter: iters,
    }
}

/// Solve (XᵀX + α·I) w = Xᵀy on centred data (Ridge; α = 0 is ordinary least squares).
pub fn ridge(x: &[Vec<f64>], y: &[f64], alpha: f64) -> LinearModel {
    let (cols, yc, means, ym) = centre(x, y);
    let p = cols.len();
    let mut a = vec![vec![0.0; p]; p];
    for i in 0..p {
        for j in i..p {
            let v = dot(&cols[i], &cols[j]);
            a[i][j] = v;
            a[j][i] = v;
        }
        a[i][i] += alpha;
    }
    let b: Vec<f64> = cols.iter().map(|c| dot(c, &yc)).collect();
    let w = solve_spd(a, b);
    let intercept = ym - dot(&means, &w);
    LinearModel {
        coef: w,
        intercept,
        n_iter: 0,
    }
}

/// Solve a symmetric positive semi-definite system by Cholesky, adding a tiny ridge when it
/// is singular (collinear columns), which picks a small-norm solution.
pub fn solve_spd(a: Vec<Vec<f64>>, b: Vec<f64>) -> Vec<f64> {
    let p = b.len();
    let scale = (0..p).map(|i| a[i][i]).fold(0.0f64, f64::max).max(1.0);
    for jitter in [0.0, 1e-12, 1e-9, 1e-6] {
        let mut l = vec![vec![0.0; p]; p];
        let mut ok = true;
        'outer: for i in 0..p {
            for j in 0..=i {
                let mut s = a[i][j] + if i == j { jitter * scale } else { 0.0 };
                s -= l[i][..j]
                    .iter()
                    .zip(&l[j][..j])
                    .map(|(a, b)| a * b)
                    .sum::<f64>();
                if i == j {
                    if s <= 0.0 {
                        ok = false;
                        break 'outer;
                    }
                    l[i][i] = s.sqrt();
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        if !ok {
            continue;
        }
        let mut z = vec![0.0; p];
        for i in 0..p {
            let s: f64 = (0..i).map(|k| l[i][k] * z[k]).sum();
            z[i] = (b[i] - s) / l[i][i];
        }
        let mut w = vec![0.0; p];
        for i in (0..p).rev() {
            let s: f64 = (i + 1..p).map(|k| l[k][i] * w[k]).sum();
            w[i] = (z[i] - s) / l[i][i];
        }
        return w;
    }
    vec![0.0; p]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (Vec<Vec<f64>>, Vec<f64>) {
        let x: Vec<Vec<f64>> = (0..50)
            .map(|i| vec![i as f64, ((i * 7) % 11) as f64])
            .collect();
        let y = x.iter().map(|r| 3.0 * r[0] - 2.0 * r[1] + 5.0).collect();
        (x, y)
    }

    #[test]
    fn least_squares_recovers_exact_coefficients() {
        let (x, y) = data();
        let m = ridge(&x, &y, 0.0);
        assert!((m.coef[0] - 3.0).abs() < 1e-9 && (m.coef[1] + 2.0).abs() < 1e-9);
        assert!((m.intercept - 5.0).abs() < 1e-8);
    }

    #[test]
    fn tiny_penalty_elastic_net_approaches_least_squares() {
        let (x, y) = data();
        let m = elastic_net(&x, &y, 1e-8, 0.5, 10_000, 1e-12, &mut |_| {});
        assert!((m.coef[0] - 3.0).abs() < 1e-4, "{:?}", m.coef);
        assert!((m.intercept - 5.0).abs() < 1e-3);
    }

    #[test]
    fn large_l1_penalty_zeroes_every_coefficient() {
        let (x, y) = data();
        let m = elastic_net(&x, &y, 1e6, 1.0, 1000, 1e-4, &mut |_| {});
        assert!(m.coef.iter().all(|w| *w == 0.0));
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        assert!((m.intercept - mean).abs() < 1e-9);
    }

    #[test]
    fn collinear_columns_still_solve() {
        let x: Vec<Vec<f64>> = (0..20).map(|i| vec![i as f64, 2.0 * i as f64]).collect();
        let y: Vec<f64> = (0..20).map(|i| i as f64).collect();
        let m = ridge(&x, &y, 0.0);
        let pred = m.predict(&x);
        assert!(pred.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-4));
    }
}
