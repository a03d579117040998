//! Native fit timings for `scripts/bench`: a 100-tree random forest (presorted split search,
//! and with `--features bench-reference` the former sort-at-every-node search, run in turns
//! so both see the same machine load) and ElasticNet's fit and scoring, on a prepared matrix.
//!
//! Usage: fit_bench MATRIX.csv RUNS — MATRIX is comma-separated numbers without a header, the
//! target in the last column (scripts/bench.py writes scikit-learn's prepared Ames training set).
//! Prints one JSON object of median milliseconds.

use std::time::Instant;

use mlplay::engine::models::linear::elastic_net;
use mlplay::engine::models::tree::{Forest, Target, TreeParams};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(runs)) = (
        args.get(1),
        args.get(2).and_then(|r| r.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: fit_bench MATRIX.csv RUNS");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).expect("matrix file");
    let mut x: Vec<Vec<f64>> = Vec::new();
    let mut y = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let mut row: Vec<f64> = line
            .split(',')
            .map(|v| v.trim().parse().expect("number"))
            .collect();
        y.push(row.pop().expect("target"));
        x.push(row);
    }
    let params = TreeParams {
        max_depth: None,
        min_samples_leaf: 1,
        max_features: 1.0,
    };
    let (mut new, mut fit, mut score) = (vec![], vec![], vec![]);
    // The former search's timings and whether it grew the same forests (with the feature).
    #[allow(unused_mut)]
    let (mut old, mut same): (Vec<f64>, bool) = (vec![], true);
    for _ in 0..runs {
        let t = Instant::now();
        let f = Forest::fit(&x, &y, Target::Regression, 100, &params, 0, &mut |_| true);
        new.push(ms(t));
        #[cfg(feature = "bench-reference")]
        {
            let t = Instant::now();
            let r = mlplay::engine::models::tree::reference::forest(
                &x,
                &y,
                Target::Regression,
                100,
                &params,
                0,
            );
            old.push(ms(t));
            same &= r == f;
        }
        let t = Instant::now();
        let m = elastic_net(&x, &y, 1.0, 0.05, 1000, 1e-4, &mut |_| {});
        fit.push(ms(t));
        let t = Instant::now();
        let p = m.predict(&x);
        let _r2 = 1.0
            - p.iter().zip(&y).map(|(a, b)| (a - b).powi(2)).sum::<f64>()
                / y.iter()
                    .map(|v| (v - y.iter().sum::<f64>() / y.len() as f64).powi(2))
                    .sum::<f64>();
        score.push(ms(t));
        std::hint::black_box((&f, &m, _r2));
    }
    let old = if old.is_empty() {
        "null".to_string()
    } else {
        format!("{:.1}", median(old))
    };
    println!(
        "{{\"rows\": {}, \"features\": {}, \"forest_ms\": {:.1}, \"forest_reference_ms\": {old}, \
         \"forests_identical\": {same}, \"elastic_net_fit_ms\": {:.3}, \"elastic_net_score_ms\": {:.3}}}",
        x.len(),
        x.first().map(Vec::len).unwrap_or(0),
        median(new),
        median(fit),
        median(score)
    );
}
