//! Association between two categorical columns: Cramér's V.

use crate::engine::data::table::MISSING_CODE;

/// Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))) without Yates' correction, over the rows
/// where both codes are present; categories absent from those rows are left out of the table.
/// Returns (V, n); V is NaN when a side has a single category.
pub fn cramers_v(a: &[u32], ka: usize, b: &[u32], kb: usize) -> (f64, usize) {
    let mut table = vec![0u32; ka * kb];
    let mut n = 0usize;
    for (&x, &y) in a.iter().zip(b) {
        if x == MISSING_CODE || y == MISSING_CODE {
            continue;
        }
        table[x as usize * kb + y as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return (f64::NAN, 0);
    }
    let mut row = vec![0.0f64; ka];
    let mut col = vec![0.0f64; kb];
    for i in 0..ka {
        for j in 0..kb {
            let o = table[i * kb + j] as f64;
            row[i] += o;
            col[j] += o;
        }
    }
    let r = row.iter().filter(|&&s| s > 0.0).count();
    let c = col.iter().filter(|&&s| s > 0.0).count();
    let k = r.min(c);
    if k < 2 {
        return (f64::NAN, n);
    }
    let nf = n as f64;
    let mut chi2 = 0.0;
    for i in 0..ka {
        if row[i] == 0.0 {
            continue;
        }
        for j in 0..kb {
            if col[j] == 0.0 {
                continue;
            }
            let e = row[i] * col[j] / nf;
            let d = table[i * kb + j] as f64 - e;
            chi2 += d * d / e;
        }
    }
    ((chi2 / (nf * (k - 1) as f64)).sqrt().min(1.0), n)
}
