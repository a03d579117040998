//! The train/test split, identical to scikit-learn's `train_test_split`: numpy's legacy
//! `RandomState(seed).permutation(n)` (MT19937 with masked rejection sampling), the first
//! ceil(test_size · n) positions for test, the rest for train, both in permutation order.

use serde::{Deserialize, Serialize};

use crate::engine::pipeline::rng::Mt19937;

/// How to split rows into train and test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitConfig {
    pub test_size: f64,
    #[serde(default = "yes")]
    pub shuffle: bool,
    #[serde(default)]
    pub random_state: u32,
    /// Keep each class's share equal in train and test (classification), as
    /// `train_test_split(..., stratify=y)`.
    #[serde(default)]
    pub stratify: bool,
}

fn yes() -> bool {
    true
}

impl Default for SplitConfig {
    fn default() -> Self {
        SplitConfig {
            test_size: 0.3,
            shuffle: true,
            random_state: 40,
            stratify: false,
        }
    }
}

/// Row indices of each side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Split `n` rows as `train_test_split(..., test_size, shuffle, random_state)` does. Returns
/// None when either side would be empty or `test_size` is not in (0, 1).
pub fn train_test_split(n: usize, cfg: &SplitConfig) -> Option<Split> {
    if !(cfg.test_size > 0.0 && cfg.test_size < 1.0) {
        return None;
    }
    let n_test = (cfg.test_size * n as f64).ceil() as usize;
    if n_test == 0 || n_test >= n {
        return None;
    }
    let order: Vec<usize> = if cfg.shuffle {
        Mt19937::new(cfg.random_state).permutation(n)
    } else {
        // Without shuffling scikit-learn keeps the file order: train first, test last.
        let n_train = n - n_test;
        return Some(Split {
            train: (0..n_train).collect(),
            test: (n_train..n).collect(),
        });
    };
    Some(Split {
        test: order[..n_test].to_vec(),
        train: order[n_test..].to_vec(),
    })
}

/// scikit-learn's `_approximate_mode`: split `n_draws` over classes in proportion to
/// `counts`, handing the remainder to the largest fractional parts (ties drawn at random).
fn approximate_mode(counts: &[usize], n_draws: usize, rng: &mut Mt19937) -> Vec<usize> {
    let total: usize = counts.iter().sum();
    let continuous: Vec<f64> = counts
        .iter()
        .map(|&c| c as f64 / total as f64 * n_draws as f64)
        .collect();
    let mut floored: Vec<usize> = continuous.iter().map(|v| v.floor() as usize).collect();
    let mut need = n_draws.saturating_sub(floored.iter().sum());
    if need > 0 {
        let remainder: Vec<f64> = continuous
            .iter()
            .zip(&floored)
            .map(|(c, f)| c - *f as f64)
            .collect();
        let mut values = remainder.clone();
        values.sort_by(|a, b| b.total_cmp(a));
        values.dedup();
        for value in values {
            let inds: Vec<usize> = (0..remainder.len())
                .filter(|&i| remainder[i] == value)
                .collect();
            let add = inds.len().min(need);
            // numpy's legacy choice without replacement: the first `add` of a permutation.
            let chosen = rng.permutation(inds.len());
            for &k in &chosen[..add] {
                floored[inds[k]] += 1;
            }
            need -= add;
            if need == 0 {
                break;
            }
        }
    }
    floored
}

/// `train_test_split(n, test_size, random_state, stratify=labels)`, row for row: labels are
/// class codes per row (their order must be the sorted order of the class values).
pub fn stratified_split(labels: &[usize], cfg: &SplitConfig) -> Option<Split> {
    let n = labels.len();
    if !(cfg.test_size > 0.0 && cfg.test_size < 1.0) {
        return None;
    }
    let n_test = (cfg.test_size * n as f64).ceil() as usize;
    if n_test == 0 || n_test >= n {
        return None;
    }
    let n_train = n - n_test;
    let k = labels.iter().copied().max()? + 1;
    let mut counts = vec![0usize; k];
    for &l in labels {
        counts[l] += 1;
    }
    // Rows of each class in file order (numpy's stable argsort of the codes).
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in labels.iter().enumerate() {
        by_class[l].push(i);
    }
    let present: Vec<usize> = (0..k).filter(|&c| counts[c] > 0).collect();
    let pc: Vec<usize> = present.iter().map(|&c| counts[c]).collect();
    if pc.len() < 2 || pc.iter().any(|&c| c < 2) || n_test < pc.len() || n_train < pc.len() {
        return None;
    }
    let mut rng = Mt19937::new(cfg.random_state);
    let n_i = approximate_mode(&pc, n_train, &mut rng);
    let remaining: Vec<usize> = pc.iter().zip(&n_i).map(|(c, t)| c - t).collect();
    let t_i = approximate_mode(&remaining, n_test, &mut rng);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (j, &c) in present.iter().enumerate() {
        let perm = rng.permutation(pc[j]);
        let rows: Vec<usize> = perm.iter().map(|&p| by_class[c][p]).collect();
        train.extend_from_slice(&rows[..n_i[j]]);
        test.extend_from_slice(&rows[n_i[j]..n_i[j] + t_i[j]]);
    }
    let tp = rng.permutation(train.len());
    let train = tp.iter().map(|&i| train[i]).collect();
    let sp = rng.permutation(test.len());
    let test = sp.iter().map(|&i| test[i]).collect();
    Some(Split { train, test })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_matches_the_reference_output() {
        // The reference implementation's first outputs for init_genrand(5489).
        let mut mt = Mt19937::new(5489);
        assert_eq!(mt.next_u32(), 3_499_211_612);
        assert_eq!(mt.next_u32(), 581_869_302);
        assert_eq!(mt.next_u32(), 3_890_346_734);
    }

    #[test]
    fn split_sizes_follow_scikit_learn() {
        let s = train_test_split(10, &SplitConfig::default()).unwrap();
        assert_eq!(s.test.len(), 3);
        assert_eq!(s.train.len(), 7);
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert!(train_test_split(1, &SplitConfig::default()).is_none());
        let bad = SplitConfig {
            test_size: 1.5,
            ..SplitConfig::default()
        };
        assert!(train_test_split(10, &bad).is_none());
    }

    #[test]
    fn stratified_split_keeps_class_shares() {
        let labels: Vec<usize> = (0..100).map(|i| (i % 4 == 0) as usize).collect();
        let cfg = SplitConfig {
            stratify: true,
            ..SplitConfig::default()
        };
        let s = stratified_split(&labels, &cfg).unwrap();
        assert_eq!(s.test.len(), 30);
        assert_eq!(s.train.len(), 70);
        let ones = s.test.iter().filter(|&&r| labels[r] == 1).count();
        assert!((7..=8).contains(&ones), "{ones}");
        // A class with one row cannot be stratified.
        assert!(stratified_split(&[0, 0, 0, 1], &cfg).is_none());
    }

    #[test]
    fn no_shuffle_keeps_file_order() {
        let cfg = SplitConfig {
            shuffle: false,
            ..SplitConfig::default()
        };
        let s = train_test_split(10, &cfg).unwrap();
        assert_eq!(s.train, (0..7).collect::<Vec<_>>());
        assert_eq!(s.test, vec![7, 8, 9]);
    }
}
