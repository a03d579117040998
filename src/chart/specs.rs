//! Chart specs built from engine results; labels come in already translated.

use super::{Bar, BarChart, BoxChart, HeatmapChart, HistogramChart, LineChart, LineSeries, Marker};
use crate::engine::diagnose::{Analysis, Matrix, TargetSummary};
use crate::engine::value::payback::PaybackCase;

/// Cumulative net value of each scenario over its horizon, with break-even markers.
pub fn payback(
    cases: &[(String, PaybackCase)],
    x_label: &str,
    y_label: &str,
    break_even: &str,
) -> LineChart {
    let mut series = Vec::new();
    let mut markers = Vec::new();
    for (i, (name, case)) in cases.iter().enumerate() {
        series.push(LineSeries {
            name: name.clone(),
            points: case.curve(200),
            color: i,
        });
        if let Some(d) = case.evaluate().break_even_day {
            markers.push(Marker {
                x: d as f64,
                y: case.cumulative(d as f64),
                label: format!("{break_even} {d}"),
                color: i,
            });
        }
    }
    LineChart {
        x_label: x_label.into(),
        y_label: y_label.into(),
        series,
        markers,
        zero_line: true,
    }
}

/// Missing percentage per column (columns with any missing value), largest first.
pub fn missing(a: &Analysis, threshold: f64, value_label: &str) -> BarChart {
    let mut rows: Vec<&(String, f64)> =
        a.missing_percent.iter().filter(|(_, p)| *p > 0.0).collect();
    rows.sort_by(|x, y| y.1.total_cmp(&x.1));
    rows.truncate(MAX_BARS);
    BarChart {
        value_label: value_label.into(),
        bars: rows
            .iter()
            .map(|(c, p)| Bar {
                label: c.clone(),
                value: *p,
                highlight: *p > threshold,
            })
            .collect(),
        domain: (0.0, 100.0),
        threshold: Some(threshold),
    }
}

/// Heatmaps are drawn over at most this many columns (beyond, the labels cannot be read and
/// the cells would take the page's thread for long).
pub const MAX_HEATMAP: usize = 60;

/// Whether a matrix is drawn as a heatmap.
pub fn drawable(m: &crate::engine::diagnose::Matrix) -> bool {
    m.is_complete() && m.columns.len() <= MAX_HEATMAP
}

/// Bar charts draw at most this many bars (a wide file's 2,000 bars could not be read, and
/// drawing them would hold up the page).
pub const MAX_BARS: usize = 60;

/// Each feature's relation to the target, strongest positive first; of more than
/// [`MAX_BARS`], the strongest half at each end.
pub fn target_relations(a: &Analysis, value_label: &str) -> BarChart {
    let finite: Vec<&crate::engine::diagnose::TargetRelation> = a
        .correlation_with_target
        .iter()
        .filter(|r| r.value.is_finite())
        .collect();
    let shown: Vec<&&crate::engine::diagnose::TargetRelation> = if finite.len() > MAX_BARS {
        let half = MAX_BARS / 2;
        finite[..half]
            .iter()
            .chain(&finite[finite.len() - half..])
            .collect()
    } else {
        finite.iter().collect()
    };
    let bars: Vec<Bar> = shown
        .iter()
        .map(|r| Bar {
            label: r.column.clone(),
            value: r.value,
            highlight: false,
        })
        .collect();
    let lo = if bars.iter().any(|b| b.value < 0.0) {
        -1.0
    } else {
        0.0
    };
    BarChart {
        value_label: value_label.into(),
        bars,
        domain: (lo, 1.0),
        threshold: None,
    }
}

/// The target's histogram with its upper and lower fences marked where they fall in range.
pub fn target_histogram(
    t: &TargetSummary,
    x_label: &str,
    y_label: &str,
    fence: &str,
) -> HistogramChart {
    let rules = [t.iqr_lower, t.iqr_upper]
        .into_iter()
        .filter(|f| *f >= t.stats.min && *f <= t.stats.max)
        .map(|f| (f, format!("{fence} {}", super::draw::short_number(f))))
        .collect();
    HistogramChart {
        x_label: x_label.into(),
        y_label: y_label.into(),
        edges: t.histogram.edges.clone(),
        series: vec![(t.stats.name.clone(), t.histogram.counts.clone())],
        rules,
    }
}

/// The target's box plot; `values` are the column's values (for the outlier points).
pub fn target_box(t: &TargetSummary, values: &[f64], x_label: &str) -> BoxChart {
    BoxChart {
        x_label: x_label.into(),
        q1: t.stats.q1,
        median: t.stats.median,
        q3: t.stats.q3,
        whisker_low: t.whisker_low,
        whisker_high: t.whisker_high,
        fence_low: t.iqr_lower,
        fence_high: t.iqr_upper,
        outliers: values
            .iter()
            .copied()
            .filter(|v| *v < t.iqr_lower || *v > t.iqr_upper)
            .collect(),
    }
}

/// A correlation (diverging, −1…1) or association (sequential, 0…1) heatmap.
pub fn heatmap(m: &Matrix, diverging: bool) -> HeatmapChart {
    // A matrix too wide to keep has no values: an empty chart rather than a short one.
    let complete = m.values.len() == m.columns.len();
    HeatmapChart {
        labels: if complete {
            m.columns.clone()
        } else {
            Vec::new()
        },
        values: m.values.clone(),
        domain: if diverging { (-1.0, 1.0) } else { (0.0, 1.0) },
        diverging,
    }
}

/// Actual and predicted values of a regression's test rows as two histograms over the same 12
/// bins (the combined range), as the workshop drew them.
pub fn actual_predicted(
    actual: &[f64],
    predicted: &[f64],
    x_label: &str,
    y_label: &str,
    names: (&str, &str),
) -> HistogramChart {
    let both: Vec<f64> = actual.iter().chain(predicted).copied().collect();
    let edges = crate::engine::stats::histogram::histogram(&both, 12).edges;
    let count = |v: &[f64]| -> Vec<usize> {
        let mut c = vec![0usize; edges.len().saturating_sub(1).max(1)];
        let last = c.len() - 1;
        for &x in v.iter().filter(|x| x.is_finite()) {
            let k = edges
                .partition_point(|e| *e <= x)
                .saturating_sub(1)
                .min(last);
            c[k] += 1;
        }
        c
    };
    HistogramChart {
        x_label: x_label.into(),
        y_label: y_label.into(),
        edges: edges.clone(),
        series: vec![
            (names.0.into(), count(actual)),
            (names.1.into(), count(predicted)),
        ],
        rules: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::value::payback::Preset;

    #[test]
    fn payback_marks_only_cases_that_break_even() {
        let cases: Vec<(String, PaybackCase)> = Preset::ALL
            .iter()
            .map(|p| (format!("{p:?}"), p.inputs().case()))
            .collect();
        let c = payback(&cases, "day", "yen", "break-even");
        assert_eq!(c.series.len(), 3);
        assert_eq!(c.markers.len(), 2);
        assert_eq!(c.markers[0].x, 64.0);
        assert!(c.markers[0].y >= 0.0);
    }
}
