//! Association between two categorical columns: Cramér's V from sparse counts.
//!
//! Only the category pairs that occur are counted, so memory grows with the number of distinct
//! observed pairs (at most the number of rows), never with the product of the two level counts.

use rustc_hash::FxHashMap;

use crate::engine::data::table::MISSING_CODE;

/// Cramér's V of two columns with what it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Association {
    /// Cramér's V; NaN when a side has a single category among the shared rows.
    pub v: f64,
    /// Rows where both codes are present (the support).
    pub n: usize,
    /// Categories of each side that occur in those rows.
    pub rows: usize,
    pub cols: usize,
    /// Share of the `rows × cols` cells whose expected count is under 5.
    pub low_expected: f64,
}

impl Association {
    /// Cochran's rule: a χ² based measure is trusted when the support reaches `min_support`
    /// and no more than a fifth of the expected counts are under 5.
    pub fn is_reliable(&self, min_support: usize) -> bool {
        self.v.is_finite() && self.n >= min_support && self.low_expected <= 0.2
    }
}

/// The observed cells of a two-way table, as sparse counts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SparseCounts {
    /// (row code, column code) → count, for every pair that occurs.
    pub cells: FxHashMap<(u32, u32), u32>,
    /// Row and column totals by code (0 for codes that never occur with a present partner).
    pub row_totals: Vec<u64>,
    pub col_totals: Vec<u64>,
    pub n: usize,
}

/// Count the rows where both codes are present, in one pass.
pub fn sparse_counts(a: &[u32], ka: usize, b: &[u32], kb: usize) -> SparseCounts {
    let mut cells: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut row_totals = vec![0u64; ka];
    let mut col_totals = vec![0u64; kb];
    let mut n = 0usize;
    for (&x, &y) in a.iter().zip(b) {
        if x == MISSING_CODE || y == MISSING_CODE {
            continue;
        }
        *cells.entry((x, y)).or_insert(0) += 1;
        row_totals[x as usize] += 1;
        col_totals[y as usize] += 1;
        n += 1;
    }
    SparseCounts {
        cells,
        row_totals,
        col_totals,
        n,
    }
}

/// Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))) without Yates' correction, over the rows
/// where both codes are present; categories absent from those rows are left out of the table
/// (as `pandas.crosstab` does).
pub fn cramers_v(a: &[u32], ka: usize, b: &[u32], kb: usize) -> Association {
    association_of(&sparse_counts(a, ka, b, kb))
}

/// Cramér's V and its support from sparse counts. χ² is summed over the observed cells; every
/// unobserved cell adds its expected count, which together are n minus the observed cells'.
pub fn association_of(t: &SparseCounts) -> Association {
    let rows: Vec<f64> = t
        .row_totals
        .iter()
        .filter(|&&s| s > 0)
        .map(|&s| s as f64)
        .collect();
    let mut cols: Vec<f64> = t
        .col_totals
        .iter()
        .filter(|&&s| s > 0)
        .map(|&s| s as f64)
        .collect();
    let (r, c) = (rows.len(), cols.len());
    let n = t.n;
    let nf = n as f64;
    let low_expected = if r == 0 || c == 0 {
        0.0
    } else {
        // E = row · col / n < 5  ⇔  col < 5n / row: count with a sorted column side.
        cols.sort_by(f64::total_cmp);
        let low: usize = rows
            .iter()
            .map(|&ri| cols.partition_point(|&cj| ri * cj < 5.0 * nf))
            .sum();
        low as f64 / (r as f64 * c as f64)
    };
    let k = r.min(c);
    let v = if n == 0 || k < 2 {
        f64::NAN
    } else {
        let mut chi2 = 0.0;
        let mut expected_observed = 0.0;
        for (&(x, y), &o) in &t.cells {
            let e = t.row_totals[x as usize] as f64 * t.col_totals[y as usize] as f64 / nf;
            let d = o as f64 - e;
            chi2 += d * d / e;
            expected_observed += e;
        }
        chi2 += (nf - expected_observed).max(0.0);
        (chi2 / (nf * (k - 1) as f64)).sqrt().min(1.0)
    };
    Association {
        v,
        n,
        rows: r,
        cols: c,
        low_expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook computation over the full r × c table.
    fn dense_v(a: &[u32], ka: usize, b: &[u32], kb: usize) -> (f64, usize, f64) {
        let mut table = vec![0u32; ka * kb];
        let mut n = 0usize;
        for (&x, &y) in a.iter().zip(b) {
            if x != MISSING_CODE && y != MISSING_CODE {
                table[x as usize * kb + y as usize] += 1;
                n += 1;
            }
        }
        let mut row = vec![0.0f64; ka];
        let mut col = vec![0.0f64; kb];
        for i in 0..ka {
            for j in 0..kb {
                row[i] += table[i * kb + j] as f64;
                col[j] += table[i * kb + j] as f64;
            }
        }
        let (nf, mut chi2, mut low, mut cells) = (n as f64, 0.0, 0usize, 0usize);
        for i in (0..ka).filter(|&i| row[i] > 0.0) {
            for j in (0..kb).filter(|&j| col[j] > 0.0) {
                let e = row[i] * col[j] / nf;
                chi2 += (table[i * kb + j] as f64 - e).powi(2) / e;
                low += usize::from(e < 5.0);
                cells += 1;
            }
        }
        let r = row.iter().filter(|&&s| s > 0.0).count();
        let c = col.iter().filter(|&&s| s > 0.0).count();
        let k = r.min(c);
        let v = if k < 2 {
            f64::NAN
        } else {
            (chi2 / (nf * (k - 1) as f64)).sqrt()
        };
        (v, n, low as f64 / cells.max(1) as f64)
    }

    #[test]
    fn sparse_counts_equal_the_dense_table_on_small_tables() {
        // A small deterministic generator: many shapes, missing codes and empty levels.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        for case in 0..300 {
            let (ka, kb) = (1 + next(6) as usize, 1 + next(7) as usize);
            let len = 1 + next(120) as usize;
            let code = |next: &mut dyn FnMut(u64) -> u64, k: usize| {
                if next(10) == 0 {
                    MISSING_CODE
                } else {
                    next(k as u64) as u32
                }
            };
            let a: Vec<u32> = (0..len).map(|_| code(&mut next, ka)).collect();
            let b: Vec<u32> = (0..len)
                .map(|i| {
                    // Half the cases: b depends on a, so V spans the whole range.
                    if case % 2 == 0 && a[i] != MISSING_CODE && next(3) > 0 {
                        a[i] % kb as u32
                    } else {
                        code(&mut next, kb)
                    }
                })
                .collect();
            let sparse = cramers_v(&a, ka, &b, kb);
            let (v, n, low) = dense_v(&a, ka, &b, kb);
            assert_eq!(sparse.n, n, "case {case}");
            assert!((sparse.low_expected - low).abs() < 1e-12, "case {case}");
            if v.is_nan() {
                assert!(sparse.v.is_nan(), "case {case}: {}", sparse.v);
            } else {
                assert!(
                    (sparse.v - v).abs() < 1e-9,
                    "case {case}: {} vs {v}",
                    sparse.v
                );
            }
        }
    }

    #[test]
    fn memory_follows_the_observed_pairs_not_the_levels() {
        // 200,000 levels on one side: a dense table would hold 200,000 × 200,000 cells.
        let n = 200_000u32;
        let a: Vec<u32> = (0..n).collect();
        let t = sparse_counts(&a, n as usize, &a, n as usize);
        assert_eq!(t.cells.len(), n as usize);
        let assoc = association_of(&t);
        assert_eq!(assoc.n, n as usize);
        assert!((assoc.v - 1.0).abs() < 1e-9);
        // Every expected count is 1/200,000: far from trustworthy.
        assert!(!assoc.is_reliable(30));
    }

    #[test]
    fn reliability_needs_support_and_expected_counts() {
        let a: Vec<u32> = (0..200).map(|i| i % 2).collect();
        let b: Vec<u32> = (0..200).map(|i| (i / 2) % 2).collect();
        let good = cramers_v(&a, 2, &b, 2);
        assert!(good.is_reliable(30), "{good:?}");
        assert!(!good.is_reliable(201), "support under the minimum");
        // 40 rows over 20 × 2 cells: every expected count is 1.
        let a: Vec<u32> = (0..40).map(|i| i % 20).collect();
        let b: Vec<u32> = (0..40).map(|i| i % 2).collect();
        let thin = cramers_v(&a, 20, &b, 2);
        assert_eq!(thin.low_expected, 1.0);
        assert!(!thin.is_reliable(30));
    }
}
