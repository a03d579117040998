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
                            best = Some((f, (pairs[i].0 + pairs[i + 1].0) / 2.0, score));
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
                            best = Some((f, (pairs[i].0 + pairs[i + 1].0) / 2.0, score));
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
        for t in 0..n_trees {
            let sample: Vec<usize> = (0..n)
                .map(|_| rng.interval((n - 1) as u64) as usize)
                .collect();
            trees.push(Tree::fit(x, y, sample, target, params, rng.next_u32()));
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
}
