//! Equal-width histograms as numpy's `histogram`.

use serde::{Deserialize, Serialize};

/// Equal-width bins as numpy's `histogram`: `edges` has one more entry than `counts`; the last
/// bin includes its right edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
}

/// The most bins a histogram has: a larger count (from a setting nobody checked) is read as
/// this many, so that no setting can make the engine allocate without bound.
pub const MAX_BINS: usize = 1000;

/// numpy's `histogram(values, bins)` over the present values.
pub fn histogram(values: &[f64], bins: usize) -> Histogram {
    let bins = bins.clamp(1, MAX_BINS);
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return Histogram {
            edges: vec![0.0, 1.0],
            counts: vec![0],
        };
    }
    let (mut lo, mut hi) = v
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if lo == hi {
        lo -= 0.5;
        hi += 0.5;
    }
    let width = hi - lo;
    let edges: Vec<f64> = (0..=bins)
        .map(|i| lo + width * i as f64 / bins as f64)
        .collect();
    let mut counts = vec![0usize; bins];
    for x in v {
        let mut i = (((x - lo) / width) * bins as f64) as usize;
        if i >= bins {
            i = bins - 1;
        }
        // Rounding can put a value one bin off its edges; numpy corrects the same way.
        if x < edges[i] && i > 0 {
            i -= 1;
        } else if i + 1 < bins && x >= edges[i + 1] {
            i += 1;
        }
        counts[i] += 1;
    }
    Histogram { edges, counts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchecked_bin_count_never_allocates_beyond_the_limit() {
        // A saved or linked setting of u32::MAX bins panicked with "capacity overflow".
        let h = histogram(&[1.0, 2.0, 3.0], usize::MAX);
        assert_eq!(h.counts.len(), MAX_BINS);
        assert_eq!(h.edges.len(), MAX_BINS + 1);
        assert_eq!(h.counts.iter().sum::<usize>(), 3);
        assert_eq!(histogram(&[1.0, 2.0], 0).counts.len(), 1);
    }
}
