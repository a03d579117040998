//! Charts as data: each spec is built from engine results (already binned, ranged and labelled
//! in the UI language) and drawn by one generic function on any plotters backend — a canvas in
//! the page, SVG in tests and exported reports, so both show the same picture.

mod draw;
pub mod specs;

pub use draw::{draw, to_svg};

use serde::{Deserialize, Serialize};

/// A series colour from the shared palette (colour-blind safe, Okabe–Ito).
pub const PALETTE: [(u8, u8, u8); 6] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
];

/// Any chart the app draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Chart {
    Line(LineChart),
    Bars(BarChart),
    Histogram(HistogramChart),
    Box(BoxChart),
    Heatmap(HeatmapChart),
    Scatter(ScatterChart),
}

/// Points on two numeric axes, optionally with the y = x line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScatterChart {
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<(f64, f64)>,
    pub diagonal: bool,
}

/// Lines over a numeric x axis, with optional zero line and labelled markers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineChart {
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<LineSeries>,
    pub markers: Vec<Marker>,
    pub zero_line: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineSeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub color: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
    pub color: usize,
}

/// Horizontal bars, one per label, in the order given (top first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    pub value_label: String,
    pub bars: Vec<Bar>,
    /// The value axis range.
    pub domain: (f64, f64),
    /// A vertical reference line (a threshold).
    pub threshold: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Drawn in the warning colour (above a threshold, say).
    pub highlight: bool,
}

/// Binned counts sharing one set of edges; several series overlay translucently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramChart {
    pub x_label: String,
    pub y_label: String,
    pub edges: Vec<f64>,
    pub series: Vec<(String, Vec<usize>)>,
    /// Vertical reference lines with labels (fences, thresholds).
    pub rules: Vec<(f64, String)>,
}

/// A horizontal box plot with Tukey whiskers, fences and outliers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoxChart {
    pub x_label: String,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub whisker_low: f64,
    pub whisker_high: f64,
    pub fence_low: f64,
    pub fence_high: f64,
    pub outliers: Vec<f64>,
}

/// A square matrix of values in `domain`, coloured on a diverging or sequential scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeatmapChart {
    pub labels: Vec<String>,
    pub values: Vec<Vec<f64>>,
    pub domain: (f64, f64),
    pub diverging: bool,
}
