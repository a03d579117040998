//! Linear models with scikit-learn's objectives, fitted with an intercept on centred data.
//!
//! ElasticNet minimises 1/(2n)·‖y − Xw − b‖² + α·ρ·‖w‖₁ + ½·α·(1 − ρ)·‖w‖² by cyclic coordinate
//! descent, stopping on scikit-learn's duality gap (tol · ‖y‖²); Lasso is ρ = 1. Ridge minimises
//! ‖y − Xw − b‖² + α·‖w‖² by solving the normal equations; linear regression minimises
//! ‖y − Xw − b‖² by Householder QR with column pivoting and returns the minimum-norm solution,
//! as scikit-learn's `lstsq` (SVD) does, also when columns are collinear (one-hot blocks).

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

/// Solve (XᵀX + α·I) w = Xᵀy on centred data (Ridge); α = 0 is ordinary least squares,
/// solved by [`least_squares`] rather than the normal equations (which square the condition
/// number and cannot tell collinear columns from nearly collinear ones).
pub fn ridge(x: &[Vec<f64>], y: &[f64], alpha: f64) -> LinearModel {
    let (cols, yc, means, ym) = centre(x, y);
    if alpha == 0.0 {
        let w = least_squares(cols, yc);
        let intercept = ym - dot(&means, &w);
        return LinearModel {
            coef: w,
            intercept,
            n_iter: 0,
        };
    }
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

/// A Householder QR factorisation of a column-major matrix, in place: R in the upper
/// triangle of the first `rank` columns, the reflectors to apply Qᵀ, and the column order.
struct Qr {
    cols: Vec<Vec<f64>>,
    reflectors: Vec<Vec<f64>>,
    perm: Vec<usize>,
    rank: usize,
}

fn squared_norm(v: &[f64]) -> f64 {
    dot(v, v)
}

/// Apply the Householder reflector `v` (acting on entries `k..`) to `b`.
fn reflect(v: &[f64], k: usize, b: &mut [f64]) {
    let vv = squared_norm(v);
    if vv > 0.0 {
        let f = 2.0 * dot(v, &b[k..]) / vv;
        for (x, vi) in b[k..].iter_mut().zip(v) {
            *x -= f * vi;
        }
    }
}

/// Householder QR of `a` (columns). With `pivot`, each step takes the column of largest
/// remaining norm and the factorisation stops at the numerical rank: a remaining norm at most
/// max(n, p)·ε times the largest column norm counts as zero, the cut-off scikit-learn's
/// `LinearRegression` passes to `lstsq`.
fn householder_qr(mut a: Vec<Vec<f64>>, pivot: bool) -> Qr {
    let p = a.len();
    let n = a.first().map(Vec::len).unwrap_or(0);
    let mut perm: Vec<usize> = (0..p).collect();
    let mut reflectors = Vec::new();
    let mut tol = 0.0;
    for k in 0..p.min(n) {
        if pivot {
            let norms: Vec<f64> = (k..p).map(|j| squared_norm(&a[j][k..])).collect();
            let best = (0..norms.len()).fold(0, |b, j| if norms[j] > norms[b] { j } else { b });
            a.swap(k, k + best);
            perm.swap(k, k + best);
        }
        let alpha = squared_norm(&a[k][k..]).sqrt();
        if k == 0 {
            tol = alpha * n.max(p) as f64 * f64::EPSILON;
        }
        if alpha == 0.0 || (pivot && alpha <= tol) {
            break;
        }
        let s = if a[k][k] >= 0.0 { -alpha } else { alpha };
        let mut v = a[k][k..].to_vec();
        v[0] -= s;
        for col in a.iter_mut().skip(k + 1) {
            reflect(&v, k, col);
        }
        a[k][k] = s;
        for x in &mut a[k][k + 1..] {
            *x = 0.0;
        }
        reflectors.push(v);
    }
    let rank = reflectors.len();
    Qr {
        cols: a,
        reflectors,
        perm,
        rank,
    }
}

/// The minimum-norm w minimising ‖y − Xw‖ (X as columns): a rank-revealing QR of X, then a
/// QR of the rows of R, so that w lies in X's row space (a complete orthogonal decomposition).
pub fn least_squares(cols: Vec<Vec<f64>>, mut y: Vec<f64>) -> Vec<f64> {
    let p = cols.len();
    let qr = householder_qr(cols, true);
    let r = qr.rank;
    for (k, v) in qr.reflectors.iter().enumerate() {
        reflect(v, k, &mut y);
    }
    // Rᵀ (p × r) as columns: column i is row i of R = [R₁₁ R₁₂].
    let rt: Vec<Vec<f64>> = (0..r)
        .map(|i| {
            (0..p)
                .map(|j| if j >= i { qr.cols[j][i] } else { 0.0 })
                .collect()
        })
        .collect();
    // Rᵀ = Z·T, so R·z = c reads Tᵀ·(Zᵀz) = c: solve the lower-triangular Tᵀ·v = c, z = Z·v.
    let t = householder_qr(rt, false);
    let mut z = vec![0.0; p];
    for i in 0..r {
        let s: f64 = (0..i).map(|k| t.cols[i][k] * z[k]).sum();
        z[i] = (y[i] - s) / t.cols[i][i];
    }
    for (k, v) in t.reflectors.iter().enumerate().rev() {
        reflect(v, k, &mut z);
    }
    let mut w = vec![0.0; p];
    for (j, &col) in qr.perm.iter().enumerate() {
        w[col] = z[j];
    }
    w
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
        assert!(pred.iter().zip(&y).all(|(a, b)| (a - b).abs() < 1e-12));
        // The minimum-norm solution of w₁ + 2·w₂ = 1: (0.2, 0.4), as numpy's lstsq gives.
        assert!((m.coef[0] - 0.2).abs() < 1e-14 && (m.coef[1] - 0.4).abs() < 1e-14);
        assert!(m.intercept.abs() < 1e-12);
    }

    #[test]
    fn least_squares_of_an_overdetermined_system_equals_the_normal_equations() {
        // Residuals remain (y is not in the column space); the answer solves XᵀX·w = Xᵀy.
        let cols = vec![vec![1.0, 1.0, 1.0, 1.0], vec![0.0, 1.0, 2.0, 3.0]];
        let w = least_squares(cols, vec![1.0, 2.0, 2.0, 5.0]);
        // numpy.linalg.lstsq([[1, 0], [1, 1], [1, 2], [1, 3]], [1, 2, 2, 5]) = (0.7, 1.2)
        assert!(
            (w[0] - 0.7).abs() < 1e-14 && (w[1] - 1.2).abs() < 1e-14,
            "{w:?}"
        );
    }
}
