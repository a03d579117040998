//! CART decision trees and random forests in the manner of scikit-learn: squared-error splits
//! for regression, Gini splits for classification, thresholds halfway between neighbouring
//! values, `max_depth`, `min_samples_leaf`, `max_features` as a fraction of the columns, and
//! bootstrap samples per tree. The random streams differ from scikit-learn's, so forests agree
//! with it statistically (the parity test compares score ranges over seeds), not tree by tree.

use serde::{Deserialize, Serialize};

use crate::engine::pipeline::rng::Mt19937;

/// Tree settings, under scikit-learn's names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    pub max_depth: Option<u32>,
    pub min_samples_leaf: u32,
    /// Fraction of the columns tried at each split (1.0 = all).
    pub max_features: f64,
}

/// One node: a split, or a leaf holding its prediction (mean, or class frequencies).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Node {
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
    },
    Leaf {
        value: Vec<f64>,
    },
}

/// A fitted tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// Total weighted impurity decrease per feature (unnormalised).
    pub importance: Vec<f64>,
}

/// What the tree predicts: a number, or one of `k` classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Regression,
    Classes(usize),
}

/// The rows of the fit, feature by feature, ready for the split search.
///
/// `cols[f][row]` is the column-major copy of the features (made once per forest). For each
/// tree, `order[f * n .. (f + 1) * n]` holds the bootstrap sample's rows (with repeats) stably
/// sorted by feature `f`; every node owns the same span `[start, start + len)` of every
/// feature's list, and a split partitions each span stably, so a node's rows stay sorted by
/// every feature without sorting again. Ties keep the sample's order, which is exactly the
/// order a stable sort of the node's own rows gives, so the sums (and so the splits) are the
/// same float for float as sorting at every node.
struct Builder<'a> {
    cols: &'a [Vec<f64>],
    y: &'a [f64],
    target: Target,
    params: &'a TreeParams,
    rng: Mt19937,
    nodes: Vec<Node>,
    importance: Vec<f64>,
    n_total: f64,
    /// Sample length: the stride between features in `order`.
    n: usize,
    order: Vec<u32>,
    /// Which side each row goes at the split being applied.
    goes_left: Vec<bool>,
    buf: Vec<u32>,
}

fn leaf_value(y: &[f64], target: Target, idx: &[usize]) -> Vec<f64> {
    match target {
        Target::Regression => {
            vec![idx.iter().map(|&i| y[i]).sum::<f64>() / idx.len() as f64]
        }
        Target::Classes(k) => {
            let mut c = vec![0.0; k];
            for &i in idx {
                c[y[i] as usize] += 1.0;
            }
            let n = idx.len() as f64;
            c.iter().map(|v| v / n).collect()
        }
    }
}

fn impurity(y: &[f64], target: Target, idx: &[usize]) -> f64 {
    match target {
        Target::Regression => {
            let n = idx.len() as f64;
            let m = idx.iter().map(|&i| y[i]).sum::<f64>() / n;
            idx.iter().map(|&i| (y[i] - m).powi(2)).sum::<f64>() / n
        }
        Target::Classes(_) => {
            1.0 - leaf_value(y, target, idx)
                .iter()
                .map(|p| p * p)
                .sum::<f64>()
        }
    }
}

/// The threshold between neighbouring sorted values `a < b`: halfway, except where rounding
/// lands the halfway point on `b` (values one ulp apart), which would send every row left and
/// grow the same node forever; then `a` itself, as scikit-learn does.
fn midpoint(a: f64, b: f64) -> f64 {
    let t = (a + b) / 2.0;
    if t == b {
        a
    } else {
        t
    }
}

/// The `m` features tried at a node: a partial Fisher–Yates draw without replacement.
fn draw_features(rng: &mut Mt19937, p: usize, max_features: f64) -> (Vec<usize>, usize) {
    let m = ((max_features * p as f64).round() as usize).clamp(1, p);
    let mut features: Vec<usize> = (0..p).collect();
    for i in 0..m {
        let j = i + rng.interval((p - 1 - i) as u64) as usize;
        features.swap(i, j);
    }
    (features, m)
}

/// A candidate split: feature, threshold, weighted child impurity (the score), and for
/// regression the score times the node's size as computed before the division.
type Best = (usize, f64, f64, f64);

/// Scans one feature's sorted rows for the best split, updating `best` only on a strictly
/// lower weighted child impurity (so the first feature and the lowest threshold win ties).
/// `key(i)` and `row(i)` give the i-th value and row in sorted order.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn scan_feature(
    f: usize,
    n: usize,
    leaf: usize,
    target: Target,
    y: &[f64],
    key: impl Fn(usize) -> f64,
    row: impl Fn(usize) -> usize,
    counts: &mut Vec<f64>,
    best: &mut Option<Best>,
) {
    match target {
        Target::Regression => {
            let total: f64 = (0..n).map(|i| y[row(i)]).sum();
            let total_sq: f64 = (0..n).map(|i| y[row(i)] * y[row(i)]).sum();
            let (mut s, mut sq) = (0.0, 0.0);
            let mut next = key(0);
            // Division by n is monotone, so a cut whose sse is not below the best one's cannot
            // have a lower score; only the others pay for the division and the comparison.
            let mut best_sse = best.map(|b| b.3);
            for i in 0..n - 1 {
                let yi = y[row(i)];
                s += yi;
                sq += yi * yi;
                let here = next;
                next = key(i + 1);
                if here == next || i + 1 < leaf || n - i - 1 < leaf {
                    continue;
                }
                let nl = (i + 1) as f64;
                let nr = (n - i - 1) as f64;
                // n · weighted child variance = Σl(y²) − (Σl y)²/nl + Σr(y²) − (Σr y)²/nr.
                let sse = sq - s * s / nl + (total_sq - sq) - (total - s).powi(2) / nr;
                if best_sse.is_some_and(|b| sse >= b || sse.is_nan() || b.is_nan()) {
                    continue;
                }
                let score = sse / n as f64;
                if best.is_none_or(|b| score < b.2) {
                    *best = Some((f, midpoint(here, next), score, sse));
                    best_sse = Some(sse);
                }
            }
        }
        Target::Classes(k) => {
            counts.clear();
            counts.resize(2 * k, 0.0);
            let (left, right) = counts.split_at_mut(k);
            for i in 0..n {
                right[y[row(i)] as usize] += 1.0;
            }
            let mut next = key(0);
            for i in 0..n - 1 {
                let c = y[row(i)] as usize;
                left[c] += 1.0;
                right[c] -= 1.0;
                let here = next;
                next = key(i + 1);
                if here == next || i + 1 < leaf || n - i - 1 < leaf {
                    continue;
                }
                let nl = (i + 1) as f64;
                let nr = (n - i - 1) as f64;
                let gl = 1.0 - left.iter().map(|v| (v / nl).powi(2)).sum::<f64>();
                let gr = 1.0 - right.iter().map(|v| (v / nr).powi(2)).sum::<f64>();
                let score = (nl * gl + nr * gr) / n as f64;
                if best.is_none_or(|b| score < b.2) {
                    *best = Some((f, midpoint(here, next), score, f64::NAN));
                }
            }
        }
    }
}

impl Builder<'_> {
    /// The best (feature, threshold, weighted child impurity) over a random subset of features,
    /// for the node owning span `start..start + n`. `live[f]` is false for features found
    /// constant at an ancestor: their spans are stale, and they are constant here too.
    fn best_split(&mut self, n: usize, start: usize, live: &[bool]) -> Option<(usize, f64, f64)> {
        let p = self.cols.len();
        let (features, m) = draw_features(&mut self.rng, p, self.params.max_features);
        let leaf = self.params.min_samples_leaf.max(1) as usize;
        let mut best: Option<Best> = None;
        let mut counts = Vec::new();
        for &f in &features[..m] {
            if !live[f] {
                continue;
            }
            let col = &self.cols[f];
            let span = &self.order[f * self.n + start..f * self.n + start + n];
            if col[span[0] as usize] == col[span[n - 1] as usize] {
                continue;
            }
            scan_feature(
                f,
                n,
                leaf,
                self.target,
                self.y,
                |i| col[span[i] as usize],
                |i| span[i] as usize,
                &mut counts,
                &mut best,
            );
        }
        best.map(|(f, t, s, _)| (f, t, s))
    }

    fn build(&mut self, idx: Vec<usize>, start: usize, live: Vec<bool>, depth: u32) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node::Leaf {
            value: leaf_value(self.y, self.target, &idx),
        });
        let leaf = self.params.min_samples_leaf.max(1) as usize;
        let impurity = impurity(self.y, self.target, &idx);
        if impurity <= 1e-12
            || idx.len() < 2 * leaf
            || self.params.max_depth.is_some_and(|d| depth >= d)
        {
            return id;
        }
        let n = idx.len();
        let Some((feature, threshold, child)) = self.best_split(n, start, &live) else {
            return id;
        };
        self.importance[feature] += n as f64 / self.n_total * (impurity - child);
        let split_col = &self.cols[feature];
        for &i in &idx {
            self.goes_left[i] = split_col[i] <= threshold;
        }
        let (l, r): (Vec<usize>, Vec<usize>) = idx.iter().partition(|&&i| self.goes_left[i]);
        // Partition every live feature's span stably; a feature constant here stays constant
        // below, so its span is left as it is and it is marked dead for the children.
        let mut child_live = live;
        for (f, alive) in child_live.iter_mut().enumerate() {
            if !*alive {
                continue;
            }
            let col = &self.cols[f];
            let span = &mut self.order[f * self.n + start..f * self.n + start + n];
            if col[span[0] as usize] == col[span[n - 1] as usize] {
                *alive = false;
                continue;
            }
            self.buf.clear();
            let mut w = 0;
            for i in 0..n {
                let r = span[i];
                if self.goes_left[r as usize] {
                    span[w] = r;
                    w += 1;
                } else {
                    self.buf.push(r);
                }
            }
            span[w..].copy_from_slice(&self.buf);
        }
        let nl = l.len();
        let left = self.build(l, start, child_live.clone(), depth + 1);
        let right = self.build(r, start + nl, child_live, depth + 1);
        self.nodes[id] = Node::Split {
            feature,
            threshold,
            left,
            right,
        };
        id
    }
}

/// The features of `x` column by column.
fn columns(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let p = x.first().map(Vec::len).unwrap_or(0);
    (0..p).map(|f| x.iter().map(|r| r[f]).collect()).collect()
}

impl Tree {
    /// Fit on the rows `idx` of `x` (with repeats for a bootstrap sample).
    pub fn fit(
        x: &[Vec<f64>],
        y: &[f64],
        idx: Vec<usize>,
        target: Target,
        params: &TreeParams,
        seed: u32,
    ) -> Tree {
        Tree::fit_columns(&columns(x), x.len(), y, idx, target, params, seed)
    }

    /// [`Tree::fit`] on features already laid out column by column (`cols[f][row]`).
    fn fit_columns(
        cols: &[Vec<f64>],
        rows: usize,
        y: &[f64],
        idx: Vec<usize>,
        target: Target,
        params: &TreeParams,
        seed: u32,
    ) -> Tree {
        let p = cols.len();
        let n = idx.len();
        let mut order = Vec::with_capacity(p * n);
        let mut sorted: Vec<u32> = Vec::with_capacity(n);
        for col in cols {
            sorted.clear();
            sorted.extend(idx.iter().map(|&i| i as u32));
            // Stable, so equal values keep the sample's order.
            sorted.sort_by(|&a, &b| col[a as usize].total_cmp(&col[b as usize]));
            order.extend_from_slice(&sorted);
        }
        let mut b = Builder {
            cols,
            y,
            target,
            params,
            rng: Mt19937::new(seed),
            nodes: Vec::new(),
            importance: vec![0.0; p],
            n_total: n as f64,
            n,
            order,
            goes_left: vec![false; rows],
            buf: Vec::with_capacity(n),
        };
        if p > 0 && n > 0 {
            b.build(idx, 0, vec![true; p], 0);
        } else {
            b.nodes.push(Node::Leaf {
                value: leaf_value(y, target, &idx),
            });
        }
        Tree {
            nodes: b.nodes,
            importance: b.importance,
        }
    }

    /// The leaf value for one row.
    pub fn predict_row(&self, x: &[f64]) -> &[f64] {
        let mut i = 0;
        loop {
            match &self.nodes[i] {
                Node::Leaf { value } => return value,
                Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    i = if x[*feature] <= *threshold {
                        *left
                    } else {
                        *right
                    };
                }
            }
        }
    }
}

/// A random forest: bootstrapped trees whose predictions are averaged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub trees: Vec<Tree>,
    pub classes: usize,
}

impl Forest {
    /// Fit `n_trees` trees; `progress` is called after each tree and may return false to stop.
    pub fn fit(
        x: &[Vec<f64>],
        y: &[f64],
        target: Target,
        n_trees: u32,
        params: &TreeParams,
        seed: u64,
        progress: &mut dyn FnMut(u32) -> bool,
    ) -> Forest {
        let n = x.len();
        let mut rng = Mt19937::new(seed as u32);
        let mut trees = Vec::new();
        let cols = columns(x);
        for t in 0..n_trees {
            let sample: Vec<usize> = (0..n)
                .map(|_| rng.interval((n - 1) as u64) as usize)
                .collect();
            trees.push(Tree::fit_columns(
                &cols,
                n,
                y,
                sample,
                target,
                params,
                rng.next_u32(),
            ));
            if !progress(t + 1) {
                break;
            }
        }
        let classes = match target {
            Target::Regression => 0,
            Target::Classes(k) => k,
        };
        Forest { trees, classes }
    }

    /// Averaged leaf values for one row (a mean, or class probabilities).
    pub fn predict_row(&self, x: &[f64]) -> Vec<f64> {
        let mut acc: Vec<f64> = Vec::new();
        for t in &self.trees {
            let v = t.predict_row(x);
            if acc.is_empty() {
                acc = vec![0.0; v.len()];
            }
            for (a, b) in acc.iter_mut().zip(v) {
                *a += b;
            }
        }
        let n = self.trees.len().max(1) as f64;
        acc.iter().map(|a| a / n).collect()
    }

    /// Feature importances: each tree's impurity decrease, normalised to sum 1, averaged.
    pub fn importances(&self) -> Vec<f64> {
        let p = self.trees.first().map(|t| t.importance.len()).unwrap_or(0);
        let mut out = vec![0.0; p];
        for t in &self.trees {
            let s: f64 = t.importance.iter().sum();
            if s > 0.0 {
                for (o, v) in out.iter_mut().zip(&t.importance) {
                    *o += v / s;
                }
            }
        }
        let total: f64 = out.iter().sum();
        if total > 0.0 {
            out.iter_mut().for_each(|v| *v /= total);
        }
        out
    }
}

/// The split search as it was before presorting: every candidate feature sorted at every
/// node. Kept as the reference the presorted search must match node for node, and (with the
/// `bench-reference` feature) as the "before" of `examples/fit_bench.rs`.
#[cfg(any(test, feature = "bench-reference"))]
#[doc(hidden)]
pub mod reference {
    use super::{Forest, Node, Target, Tree, TreeParams};
    use crate::engine::pipeline::rng::Mt19937;

    struct Builder<'a> {
        x: &'a [Vec<f64>],
        y: &'a [f64],
        target: Target,
        params: &'a TreeParams,
        rng: Mt19937,
        nodes: Vec<Node>,
        importance: Vec<f64>,
        n_total: f64,
    }

    impl Builder<'_> {
        fn leaf_value(&self, idx: &[usize]) -> Vec<f64> {
            match self.target {
                Target::Regression => {
                    vec![idx.iter().map(|&i| self.y[i]).sum::<f64>() / idx.len() as f64]
                }
                Target::Classes(k) => {
                    let mut c = vec![0.0; k];
                    for &i in idx {
                        c[self.y[i] as usize] += 1.0;
                    }
                    let n = idx.len() as f64;
                    c.iter().map(|v| v / n).collect()
                }
            }
        }

        fn impurity(&self, idx: &[usize]) -> f64 {
            match self.target {
                Target::Regression => {
                    let n = idx.len() as f64;
                    let m = idx.iter().map(|&i| self.y[i]).sum::<f64>() / n;
                    idx.iter().map(|&i| (self.y[i] - m).powi(2)).sum::<f64>() / n
                }
                Target::Classes(_) => 1.0 - self.leaf_value(idx).iter().map(|p| p * p).sum::<f64>(),
            }
        }

        /// The best (feature, threshold, weighted child impurity) over a random subset of features.
        fn best_split(&mut self, idx: &[usize]) -> Option<(usize, f64, f64)> {
            let p = self.x[0].len();
            let m = ((self.params.max_features * p as f64).round() as usize).clamp(1, p);
            let mut features: Vec<usize> = (0..p).collect();
            // A partial Fisher–Yates draw of m features without replacement.
            for i in 0..m {
                let j = i + self.rng.interval((p - 1 - i) as u64) as usize;
                features.swap(i, j);
            }
            let leaf = self.params.min_samples_leaf.max(1) as usize;
            let n = idx.len();
            let mut best: Option<(usize, f64, f64)> = None;
            let mut pairs: Vec<(f64, f64)> = Vec::with_capacity(n);
            for &f in &features[..m] {
                pairs.clear();
                pairs.extend(idx.iter().map(|&i| (self.x[i][f], self.y[i])));
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                if pairs[0].0 == pairs[n - 1].0 {
                    continue;
                }
                match self.target {
                    Target::Regression => {
                        let total: f64 = pairs.iter().map(|p| p.1).sum();
                        let total_sq: f64 = pairs.iter().map(|p| p.1 * p.1).sum();
                        let (mut s, mut sq) = (0.0, 0.0);
                        for i in 0..n - 1 {
                            s += pairs[i].1;
                            sq += pairs[i].1 * pairs[i].1;
                            let nl = (i + 1) as f64;
                            let nr = (n - i - 1) as f64;
                            if pairs[i].0 == pairs[i + 1].0 || i + 1 < leaf || n - i - 1 < leaf {
                                continue;
                            }
                            // n · weighted child variance = Σl(y²) − (Σl y)²/nl + Σr(y²) − (Σr y)²/nr.
                            let sse = sq - s * s / nl + (total_sq - sq) - (total - s).powi(2) / nr;
                            let score = sse / n as f64;
                            if best.is_none_or(|b| score < b.2) {
                                best =
                                    Some((f, super::midpoint(pairs[i].0, pairs[i + 1].0), score));
                            }
                        }
                    }
                    Target::Classes(k) => {
                        let mut right = vec![0.0; k];
                        for p in &pairs {
                            right[p.1 as usize] += 1.0;
                        }
                        let mut left = vec![0.0; k];
                        for i in 0..n - 1 {
                            let c = pairs[i].1 as usize;
                            left[c] += 1.0;
                            right[c] -= 1.0;
                            if pairs[i].0 == pairs[i + 1].0 || i + 1 < leaf || n - i - 1 < leaf {
                                continue;
                            }
                            let nl = (i + 1) as f64;
                            let nr = (n - i - 1) as f64;
                            let gl = 1.0 - left.iter().map(|v| (v / nl).powi(2)).sum::<f64>();
                            let gr = 1.0 - right.iter().map(|v| (v / nr).powi(2)).sum::<f64>();
                            let score = (nl * gl + nr * gr) / n as f64;
                            if best.is_none_or(|b| score < b.2) {
                                best =
                                    Some((f, super::midpoint(pairs[i].0, pairs[i + 1].0), score));
                            }
                        }
                    }
                }
            }
            best
        }

        fn build(&mut self, idx: Vec<usize>, depth: u32) -> usize {
            let id = self.nodes.len();
            self.nodes.push(Node::Leaf {
                value: self.leaf_value(&idx),
            });
            let leaf = self.params.min_samples_leaf.max(1) as usize;
            let impurity = self.impurity(&idx);
            if impurity <= 1e-12
                || idx.len() < 2 * leaf
                || self.params.max_depth.is_some_and(|d| depth >= d)
            {
                return id;
            }
            let Some((feature, threshold, child)) = self.best_split(&idx) else {
                return id;
            };
            self.importance[feature] += idx.len() as f64 / self.n_total * (impurity - child);
            let (l, r): (Vec<usize>, Vec<usize>) =
                idx.iter().partition(|&&i| self.x[i][feature] <= threshold);
            let left = self.build(l, depth + 1);
            let right = self.build(r, depth + 1);
            self.nodes[id] = Node::Split {
                feature,
                threshold,
                left,
                right,
            };
            id
        }
    }

    /// [`Forest::fit`] with the reference trees (same bootstrap samples and seeds).
    pub fn forest(
        x: &[Vec<f64>],
        y: &[f64],
        target: Target,
        n_trees: u32,
        params: &TreeParams,
        seed: u64,
    ) -> Forest {
        let n = x.len();
        let mut rng = Mt19937::new(seed as u32);
        let trees = (0..n_trees)
            .map(|_| {
                let sample: Vec<usize> = (0..n)
                    .map(|_| rng.interval((n - 1) as u64) as usize)
                    .collect();
                fit(x, y, sample, target, params, rng.next_u32())
            })
            .collect();
        let classes = match target {
            Target::Regression => 0,
            Target::Classes(k) => k,
        };
        Forest { trees, classes }
    }

    pub fn fit(
        x: &[Vec<f64>],
        y: &[f64],
        idx: Vec<usize>,
        target: Target,
        params: &TreeParams,
        seed: u32,
    ) -> Tree {
        let p = x.first().map(Vec::len).unwrap_or(0);
        let mut b = Builder {
            x,
            y,
            target,
            params,
            rng: Mt19937::new(seed),
            nodes: Vec::new(),
            importance: vec![0.0; p],
            n_total: idx.len() as f64,
        };
        b.build(idx, 0);
        Tree {
            nodes: b.nodes,
            importance: b.importance,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> TreeParams {
        TreeParams {
            max_depth: None,
            min_samples_leaf: 1,
            max_features: 1.0,
        }
    }

    #[test]
    fn a_deep_tree_fits_its_training_data() {
        let x: Vec<Vec<f64>> = (0..50).map(|i| vec![i as f64, (i % 7) as f64]).collect();
        let y: Vec<f64> = (0..50).map(|i| ((i * 13) % 17) as f64).collect();
        let t = Tree::fit(&x, &y, (0..50).collect(), Target::Regression, &full(), 1);
        for (r, v) in x.iter().zip(&y) {
            assert_eq!(t.predict_row(r)[0], *v);
        }
    }

    #[test]
    fn depth_and_leaf_size_limit_the_tree() {
        let x: Vec<Vec<f64>> = (0..64).map(|i| vec![i as f64]).collect();
        let y: Vec<f64> = (0..64).map(|i| i as f64).collect();
        let p = TreeParams {
            max_depth: Some(2),
            ..full()
        };
        let t = Tree::fit(&x, &y, (0..64).collect(), Target::Regression, &p, 1);
        assert_eq!(
            t.nodes
                .iter()
                .filter(|n| matches!(n, Node::Leaf { .. }))
                .count(),
            4
        );
        let p = TreeParams {
            min_samples_leaf: 20,
            ..full()
        };
        let t = Tree::fit(&x, &y, (0..64).collect(), Target::Regression, &p, 1);
        assert!(
            t.nodes
                .iter()
                .filter(|n| matches!(n, Node::Leaf { .. }))
                .count()
                <= 3
        );
    }

    #[test]
    fn forest_classifies_and_ranks_the_informative_feature() {
        let x: Vec<Vec<f64>> = (0..200)
            .map(|i| vec![(i % 10) as f64, ((i * 7) % 13) as f64])
            .collect();
        let y: Vec<f64> = x.iter().map(|r| (r[0] >= 5.0) as u8 as f64).collect();
        let mut seen = 0;
        let f = Forest::fit(&x, &y, Target::Classes(2), 20, &full(), 0, &mut |t| {
            seen = t;
            true
        });
        assert_eq!(seen, 20);
        let p = f.predict_row(&[7.0, 3.0]);
        assert!(p[1] > 0.9 && (p[0] + p[1] - 1.0).abs() < 1e-12);
        let imp = f.importances();
        assert!(imp[0] > 0.9, "{imp:?}");
    }

    #[test]
    fn progress_can_stop_training() {
        let x: Vec<Vec<f64>> = (0..30).map(|i| vec![i as f64]).collect();
        let y: Vec<f64> = (0..30).map(|i| i as f64).collect();
        let f = Forest::fit(&x, &y, Target::Regression, 50, &full(), 0, &mut |t| t < 3);
        assert_eq!(f.trees.len(), 3);
    }

    #[test]
    fn values_one_ulp_apart_split_into_two_leaves() {
        // (a + b) / 2 rounds to b here; splitting there sent both rows left, forever.
        let a = 1.0 + f64::EPSILON;
        let b = 1.0 + 2.0 * f64::EPSILON;
        let x = vec![vec![a], vec![b]];
        let t = Tree::fit(&x, &[0.0, 1.0], vec![0, 1], Target::Regression, &full(), 1);
        assert_eq!(t.nodes.len(), 3);
        assert_eq!(t.predict_row(&[a]), &[0.0]);
        assert_eq!(t.predict_row(&[b]), &[1.0]);
    }

    /// Random features with many ties, repeated rows, constant columns, signed zeros and
    /// values one ulp apart, so every tie rule of the split search is exercised.
    fn awkward_data(rng: &mut Mt19937, n: usize, p: usize) -> Vec<Vec<f64>> {
        (0..n)
            .map(|_| {
                (0..p)
                    .map(|f| match f % 6 {
                        0 => rng.interval(3) as f64,
                        1 => rng.interval(1000) as f64 / 7.0,
                        2 => 5.0,
                        3 => [0.0, -0.0, 1.0][rng.interval(2) as usize],
                        4 => 1.0 + rng.interval(2) as f64 * f64::EPSILON,
                        _ => rng.interval(20) as f64 * 0.1,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn presorted_search_grows_the_same_trees_as_sorting_at_every_node() {
        let mut rng = Mt19937::new(7);
        let settings = [
            (None, 1, 1.0),
            (None, 1, 0.4),
            (Some(4), 2, 0.7),
            (None, 5, 1.0),
            (Some(8), 3, 0.2),
        ];
        let mut compared = 0;
        for round in 0..12 {
            let n = 20 + rng.interval(180) as usize;
            let p = 1 + rng.interval(13) as usize;
            let mut x = awkward_data(&mut rng, n, p);
            // Duplicate some rows outright.
            for i in 0..n / 5 {
                let j = rng.interval((n - 1) as u64) as usize;
                x[i] = x[j].clone();
            }
            let classes = 2 + round % 3;
            let targets = [
                (
                    Target::Regression,
                    (0..n)
                        .map(|i| (x[i][0] * 3.0 + rng.interval(4) as f64) / 3.0)
                        .collect::<Vec<f64>>(),
                ),
                (
                    Target::Classes(classes),
                    (0..n)
                        .map(|_| rng.interval(classes as u64 - 1) as f64)
                        .collect(),
                ),
            ];
            for (target, y) in &targets {
                let (max_depth, min_samples_leaf, max_features) = settings[round % settings.len()];
                let params = TreeParams {
                    max_depth,
                    min_samples_leaf,
                    max_features,
                };
                let cols = columns(&x);
                for t in 0..5u32 {
                    let sample: Vec<usize> = if t == 0 {
                        (0..n).collect()
                    } else {
                        (0..n)
                            .map(|_| rng.interval((n - 1) as u64) as usize)
                            .collect()
                    };
                    let seed = rng.next_u32();
                    let new =
                        Tree::fit_columns(&cols, n, y, sample.clone(), *target, &params, seed);
                    let old = reference::fit(&x, y, sample, *target, &params, seed);
                    assert_eq!(new.nodes.len(), old.nodes.len(), "round {round} tree {t}");
                    for (k, (a, b)) in new.nodes.iter().zip(&old.nodes).enumerate() {
                        assert_eq!(a, b, "round {round} {target:?} tree {t} node {k}");
                    }
                    assert_eq!(new.importance, old.importance, "round {round} tree {t}");
                    compared += old.nodes.len();
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn a_forest_is_the_reference_trees_on_the_same_bootstrap_samples() {
        let mut rng = Mt19937::new(3);
        let x = awkward_data(&mut rng, 150, 9);
        let y: Vec<f64> = x
            .iter()
            .map(|r| r[1] + r[5] + (r[0] == 1.0) as u8 as f64)
            .collect();
        let params = TreeParams {
            max_depth: None,
            min_samples_leaf: 1,
            max_features: 0.6,
        };
        let f = Forest::fit(&x, &y, Target::Regression, 10, &params, 11, &mut |_| true);
        let mut rng = Mt19937::new(11);
        for tree in &f.trees {
            let sample: Vec<usize> = (0..150).map(|_| rng.interval(149) as usize).collect();
            let old = reference::fit(&x, &y, sample, Target::Regression, &params, rng.next_u32());
            assert_eq!(tree, &old);
        }
    }
}
