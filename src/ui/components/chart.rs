//! A chart drawn with plotters on a canvas; redrawn whenever its spec changes.

use std::rc::Rc;

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use crate::chart::{draw, Chart};

#[derive(Properties, PartialEq)]
pub struct ChartCanvasProps {
    pub chart: Rc<Chart>,
    pub width: u32,
    pub height: u32,
    /// What the chart shows, for screen readers.
    pub label: String,
    #[prop_or_default]
    pub id: Option<String>,
}

#[function_component(ChartCanvas)]
pub fn chart_canvas(p: &ChartCanvasProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(p.chart.clone(), move |chart| {
            if let Some(el) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                if let Some(backend) = CanvasBackend::with_canvas_object(el) {
                    if let Err(e) = draw(chart, &backend.into_drawing_area()) {
                        web_sys::console::warn_1(&format!("mlplay: chart not drawn: {e}").into());
                    }
                }
            }
        });
    }
    html! {
        <canvas ref={canvas} class="chart" id={p.id.clone()} role="img" aria-label={p.label.clone()}
            width={p.width.to_string()} height={p.height.to_string()}></canvas>
    }
}
