//! The one drawing function for every chart and backend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    BarChart, BoxChart, Chart, HeatmapChart, HistogramChart, LineChart, ScatterChart, PALETTE,
};

const FONT: &str = "sans-serif";
const INK: RGBColor = RGBColor(29, 35, 48);
const GRID: RGBColor = RGBColor(217, 221, 229);
const WARN: RGBColor = RGBColor(213, 94, 0);

fn color(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Draw `chart` on `area` (which is filled white first).
pub fn draw<DB: DrawingBackend>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    area.fill(&WHITE).map_err(err)?;
    match chart {
        Chart::Line(c) => line(c, area),
        Chart::Bars(c) => bars(c, area),
        Chart::Histogram(c) => histogram(c, area),
        Chart::Box(c) => boxplot(c, area),
        Chart::Heatmap(c) => heatmap(c, area),
        Chart::Scatter(c) => scatter(c, area),
    }?;
    area.present().map_err(err)
}

/// Draw `chart` as a standalone SVG document of `width` × `height` pixels.
pub fn to_svg(chart: &Chart, width: u32, height: u32) -> Result<String, String> {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(chart, &area)?;
    }
    Ok(out)
}

/// Short numbers for axes: 1.2M, 340k, 0.25.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn range_with_margin(lo: f64, hi: f64) -> (f64, f64) {
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if lo == hi {
        return drawable(lo - 1.0, hi + 1.0);
    }
    let m = (hi - lo) * 0.05;
    drawable(lo - m, hi + m)
}

/// An axis range plotters can draw: finite, and wide enough that its tick steps (about a tenth
/// of the width) move the numbers along — plotters loops forever on an axis narrower than the
/// rounding of its numbers (values near 1e20 one unit in the last place apart).
fn drawable(lo: f64, hi: f64) -> (f64, f64) {
    // Keeps the width finite.
    const LIMIT: f64 = f64::MAX / 4.0;
    if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
        return (0.0, 1.0);
    }
    let (lo, hi) = (lo.clamp(-LIMIT, LIMIT), hi.clamp(-LIMIT, LIMIT));
    let size = lo.abs().max(hi.abs());
    if hi - lo >= size * 1e-9 && hi > lo {
        return (lo, hi);
    }
    let mid = lo / 2.0 + hi / 2.0;
    let half = (size * 1e-6).max(1.0);
    (mid - half, mid + half)
}

fn line<DB: DrawingBackend>(c: &LineChart, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
    let pts = c.series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y0, mut y1) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if c.zero_line {
        y0 = y0.min(0.0);
        y1 = y1.max(0.0);
    }
    let (y0, y1) = range_with_margin(y0, y1);
    let (x0, x1) = if x0.is_finite() {
        drawable(x0, x1.max(x0 + 1.0))
    } else {
        (0.0, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(GRID.mix(0.4))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .y_label_formatter(&|v| short_number(*v))
        .label_style((FONT, 13))
        .draw()
        .map_err(err)?;
    if c.zero_line {
        chart
            .draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], INK.stroke_width(2)))
            .map_err(err)?;
    }
    for s in &c.series {
        let col = color(s.color);
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                col.stroke_width(3),
            ))
            .map_err(err)?
            .label(s.name.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], col.stroke_width(3)));
    }
    for m in &c.markers {
        let col = color(m.color);
        chart
            .draw_series([Circle::new((m.x, m.y), 6, col.filled())])
            .map_err(err)?;
        chart
            .draw_series([Text::new(
                m.label.clone(),
                (m.x, m.y),
                (FONT, 13).into_font().color(&col),
            )])
            .map_err(err)?;
    }
    if c.series.len() > 1 || c.series.iter().any(|s| !s.name.is_empty()) {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(GRID)
            .label_font((FONT, 13))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

fn bars<DB: DrawingBackend>(c: &BarChart, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
    let n = c.bars.len().max(1);
    let longest = c
        .bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(4);
    let (lo, hi) = if c.domain.0 < c.domain.1 {
        drawable(c.domain.0, c.domain.1)
    } else {
        (0.0, 1.0)
    };
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(36)
        .y_label_area_size((longest as u32 * 7 + 12).clamp(40, 220))
        .build_cartesian_2d(lo..hi, (0..n).into_segmented())
        .map_err(err)?;
    let labels: Vec<String> = c.bars.iter().map(|b| b.label.clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(GRID.mix(0.4))
        .x_desc(c.value_label.as_str())
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => n
                .checked_sub(1 + *i)
                .and_then(|k| labels.get(k))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| short_number(*v))
        .label_style((FONT, 11))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            c.bars
                .iter()
                .enumerate()
                .filter(|(_, b)| b.value.is_finite())
                .map(|(i, b)| {
                    let row = n - 1 - i;
                    let col = if b.highlight { WARN } else { color(0) };
                    let base = 0.0f64.clamp(lo, hi);
                    let mut r = Rectangle::new(
                        [
                            (base, SegmentValue::Exact(row)),
                            (b.value.clamp(lo, hi), SegmentValue::Exact(row + 1)),
                        ],
                        col.mix(0.85).filled(),
                    );
                    r.set_margin(1, 1, 0, 0);
                    r
                }),
        )
        .map_err(err)?;
    if let Some(t) = c.threshold {
        chart
            .draw_series(LineSeries::new(
                [(t, SegmentValue::Exact(0)), (t, SegmentValue::Exact(n))],
                WARN.stroke_width(2),
            ))
            .map_err(err)?;
    }
    Ok(())
}

fn histogram<DB: DrawingBackend>(
    c: &HistogramChart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let (x0, x1) = match (c.edges.first(), c.edges.last()) {
        (Some(&a), Some(&b)) if a < b => (a, b),
        _ => (0.0, 1.0),
    };
    let (x0, x1) = c
        .rules
        .iter()
        .fold((x0, x1), |(a, b), (r, _)| (a.min(*r), b.max(*r)));
    let (x0, x1) = drawable(x0, x1);
    let top = c
        .series
        .iter()
        .flat_map(|(_, s)| s.iter())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.1;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(x0..x1, 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(GRID.mix(0.4))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_label_formatter(&|v| short_number(*v))
        .y_label_formatter(&|v| short_number(*v))
        .label_style((FONT, 12))
        .draw()
        .map_err(err)?;
    let alpha = if c.series.len() > 1 { 0.5 } else { 0.85 };
    for (k, (name, counts)) in c.series.iter().enumerate() {
        let col = color(k);
        chart
            .draw_series(counts.iter().enumerate().map(|(i, &n)| {
                Rectangle::new(
                    [(c.edges[i], 0.0), (c.edges[i + 1], n as f64)],
                    col.mix(alpha).filled(),
                )
            }))
            .map_err(err)?
            .label(name.as_str())
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 12, y + 5)], col.mix(alpha).filled())
            });
    }
    for (x, label) in &c.rules {
        chart
            .draw_series(LineSeries::new(
                [(*x, 0.0), (*x, top)],
                WARN.stroke_width(2),
            ))
            .map_err(err)?;
        chart
            .draw_series([Text::new(
                label.clone(),
                (*x, top * 0.95),
                (FONT, 12).into_font().color(&WARN),
            )])
            .map_err(err)?;
    }
    if c.series.len() > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(GRID)
            .label_font((FONT, 13))
            .draw()
            .map_err(err)?;
    }
    Ok(())
}

fn boxplot<DB: DrawingBackend>(c: &BoxChart, area: &DrawingArea<DB, Shift>) -> Result<(), String> {
    let lo = c
        .outliers
        .iter()
        .copied()
        .fold(c.whisker_low.min(c.fence_low), f64::min);
    let hi = c
        .outliers
        .iter()
        .copied()
        .fold(c.whisker_high.max(c.fence_high), f64::max);
    let (lo, hi) = range_with_margin(lo, hi);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(10)
        .build_cartesian_2d(lo..hi, 0.0..1.0)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .light_line_style(GRID.mix(0.4))
        .x_desc(c.x_label.as_str())
        .x_label_formatter(&|v| short_number(*v))
        .label_style((FONT, 12))
        .draw()
        .map_err(err)?;
    let col = color(0);
    chart
        .draw_series([Rectangle::new(
            [(c.q1, 0.3), (c.q3, 0.7)],
            col.mix(0.25).filled(),
        )])
        .map_err(err)?;
    chart
        .draw_series([Rectangle::new(
            [(c.q1, 0.3), (c.q3, 0.7)],
            col.stroke_width(2),
        )])
        .map_err(err)?;
    let segs = [
        [(c.median, 0.3), (c.median, 0.7)],
        [(c.whisker_low, 0.5), (c.q1, 0.5)],
        [(c.q3, 0.5), (c.whisker_high, 0.5)],
        [(c.whisker_low, 0.4), (c.whisker_low, 0.6)],
        [(c.whisker_high, 0.4), (c.whisker_high, 0.6)],
    ];
    for s in segs {
        chart
            .draw_series(LineSeries::new(s, INK.stroke_width(2)))
            .map_err(err)?;
    }
    for f in [c.fence_low, c.fence_high] {
        chart
            .draw_series(LineSeries::new([(f, 0.1), (f, 0.9)], WARN.stroke_width(1)))
            .map_err(err)?;
    }
    // Thousands of outliers would only repaint the same pixels; every 5th beyond 2,000 is enough.
    let step = (c.outliers.len() / 2000).max(1);
    chart
        .draw_series(
            c.outliers
                .iter()
                .step_by(step)
                .map(|&x| Circle::new((x, 0.5), 3, WARN.mix(0.6).filled())),
        )
        .map_err(err)?;
    Ok(())
}

fn scatter<DB: DrawingBackend>(
    c: &ScatterChart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let pts: Vec<(f64, f64)> = c
        .points
        .iter()
        .copied()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let bounds = |f: fn(&(f64, f64)) -> f64| {
        pts.iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            })
    };
    let (mut x0, mut x1) = bounds(|p| p.0);
    let (mut y0, mut y1) = bounds(|p| p.1);
    if c.diagonal {
        let (lo, hi) = (x0.min(y0), x1.max(y1));
        (x0, x1, y0, y1) = (lo, hi, lo, hi);
    }
    let (x0, x1) = range_with_margin(x0, x1);
    let (y0, y1) = range_with_margin(y0, y1);
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(GRID.mix(0.4))
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_label_formatter(&|v| short_number(*v))
        .y_label_formatter(&|v| short_number(*v))
        .label_style((FONT, 12))
        .draw()
        .map_err(err)?;
    if c.diagonal {
        chart
            .draw_series(LineSeries::new([(x0, x0), (x1, x1)], WARN.stroke_width(2)))
            .map_err(err)?;
    }
    let step = (pts.len() / 3000).max(1);
    chart
        .draw_series(
            pts.iter()
                .step_by(step)
                .map(|&p| Circle::new(p, 3, color(0).mix(0.45).filled())),
        )
        .map_err(err)?;
    Ok(())
}

fn heat_color(v: f64, (lo, hi): (f64, f64), diverging: bool) -> RGBColor {
    if !v.is_finite() {
        return RGBColor(235, 235, 235);
    }
    let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
    let mix = |a: (f64, f64, f64), b: (f64, f64, f64), t: f64| {
        RGBColor(
            (a.0 + (b.0 - a.0) * t) as u8,
            (a.1 + (b.1 - a.1) * t) as u8,
            (a.2 + (b.2 - a.2) * t) as u8,
        )
    };
    let white = (255.0, 255.0, 255.0);
    if diverging {
        if t < 0.5 {
            mix((33.0, 102.0, 172.0), white, t * 2.0)
        } else {
            mix(white, (178.0, 24.0, 43.0), (t - 0.5) * 2.0)
        }
    } else {
        mix(white, (84.0, 39.0, 143.0), t)
    }
}

fn heatmap<DB: DrawingBackend>(
    c: &HeatmapChart,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    let n = c.labels.len().max(1);
    let longest = c
        .labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4) as u32;
    let font = if n > 30 { 9 } else { 11 };
    let label_px = (longest * (font as u32 * 6 / 10) + 10).clamp(30, 160);
    let mut chart = ChartBuilder::on(area)
        .margin(8)
        .x_label_area_size(label_px)
        .y_label_area_size(label_px)
        .build_cartesian_2d((0..n).into_segmented(), (0..n).into_segmented())
        .map_err(err)?;
    let labels = &c.labels;
    let fmt_x = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let fmt_y = |v: &SegmentValue<usize>| match v {
        SegmentValue::CenterOf(i) => n
            .checked_sub(1 + *i)
            .and_then(|k| labels.get(k))
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(n)
        .y_labels(n)
        .x_label_formatter(&fmt_x)
        .y_label_formatter(&fmt_y)
        .x_label_style((FONT, font).into_font().transform(FontTransform::Rotate90))
        .y_label_style((FONT, font))
        .draw()
        .map_err(err)?;
    chart
        .draw_series((0..c.labels.len()).flat_map(|i| {
            (0..c.labels.len()).map(move |j| {
                let v = c.values[i][j];
                let row = n - 1 - i;
                Rectangle::new(
                    [
                        (SegmentValue::Exact(j), SegmentValue::Exact(row)),
                        (SegmentValue::Exact(j + 1), SegmentValue::Exact(row + 1)),
                    ],
                    heat_color(v, c.domain, c.diverging).filled(),
                )
            })
        }))
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Bar, LineSeries, Marker};

    /// Draw on a helper thread; plotters' tick loop never ends on an axis narrower than the
    /// rounding of its numbers, so a finished drawing within seconds is the assertion.
    fn draws_in_time(chart: Chart) {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(to_svg(&chart, 300, 200).is_ok());
        });
        let done = rx.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(done, Ok(true), "the chart was not drawn within 10 s");
    }

    #[test]
    fn axes_narrower_than_their_numbers_rounding_still_draw() {
        // Found by the fuzz harness (pipeline seed 1676): values around 1e20 that differ by one
        // unit in the last place made the report's chart loop forever.
        let line = |points: Vec<(f64, f64)>| {
            Chart::Line(LineChart {
                x_label: "x".into(),
                y_label: "y".into(),
                series: vec![LineSeries {
                    name: "s".into(),
                    points,
                    color: 0,
                }],
                markers: vec![],
                zero_line: false,
            })
        };
        draws_in_time(line(vec![(0.0, 1e20), (1.0, 1e20 + 16384.0)]));
        draws_in_time(line(vec![(1e20, 0.0), (1e20 + 16384.0, 1.0)]));
        draws_in_time(line(vec![(0.0, -1e300), (1.0, 1e300)]));
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(1_500_000.0), "1.5M");
        assert_eq!(short_number(-340_000.0), "-340k");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(12.0), "12");
    }

    #[test]
    fn bar_chart_svg_has_a_rect_per_bar_and_every_label() {
        let c = Chart::Bars(BarChart {
            value_label: "%".into(),
            bars: vec![
                Bar {
                    label: "PoolQC".into(),
                    value: 99.6,
                    highlight: true,
                },
                Bar {
                    label: "Alley".into(),
                    value: 93.2,
                    highlight: true,
                },
                Bar {
                    label: "LotFrontage".into(),
                    value: 16.7,
                    highlight: false,
                },
            ],
            domain: (0.0, 100.0),
            threshold: Some(50.0),
        });
        let svg = to_svg(&c, 600, 300).unwrap();
        for l in ["PoolQC", "Alley", "LotFrontage"] {
            assert!(svg.contains(l), "{l}");
        }
        // Highlighted bars use the warning colour.
        assert!(svg.matches("#D55E00").count() >= 2, "{svg}");
    }

    #[test]
    fn line_chart_draws_series_and_markers() {
        let c = Chart::Line(LineChart {
            x_label: "day".into(),
            y_label: "yen".into(),
            series: vec![LineSeries {
                name: "A".into(),
                points: vec![(0.0, -10.0), (10.0, 10.0)],
                color: 0,
            }],
            markers: vec![Marker {
                x: 5.0,
                y: 0.0,
                label: "break-even".into(),
                color: 0,
            }],
            zero_line: true,
        });
        let svg = to_svg(&c, 600, 300).unwrap();
        assert!(svg.contains("<polyline") && svg.contains("break-even") && svg.contains("<circle"));
    }

    #[test]
    fn heatmap_colours_every_cell() {
        let c = Chart::Heatmap(HeatmapChart {
            labels: vec!["a".into(), "b".into()],
            values: vec![vec![1.0, -0.5], vec![-0.5, f64::NAN]],
            domain: (-1.0, 1.0),
            diverging: true,
        });
        let svg = to_svg(&c, 300, 300).unwrap();
        assert!(svg.matches("<rect").count() >= 4);
        assert_eq!(heat_color(1.0, (-1.0, 1.0), true), RGBColor(178, 24, 43));
        assert_eq!(heat_color(0.0, (-1.0, 1.0), true), RGBColor(255, 255, 255));
    }

    #[test]
    fn degenerate_inputs_still_draw() {
        let empty = Chart::Histogram(HistogramChart {
            x_label: String::new(),
            y_label: String::new(),
            edges: vec![],
            series: vec![],
            rules: vec![],
        });
        assert!(to_svg(&empty, 200, 100).is_ok());
        let flat = Chart::Line(LineChart {
            x_label: String::new(),
            y_label: String::new(),
            series: vec![],
            markers: vec![],
            zero_line: false,
        });
        assert!(to_svg(&flat, 200, 100).is_ok());
    }
}
