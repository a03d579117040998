//! The chart widgets shown alone when embedded (`?embed=missing` and others).

use std::rc::Rc;

use yew::prelude::*;

use super::components::ChartCanvas;
use crate::i18n::T;
use crate::session::Session;
use crate::share::Widget;

/// The chart widgets shown alone when embedded.
pub fn chart(session: &Session, w: Widget) -> Option<Html> {
    let lang = session.lang;
    let a = session.analyze.as_ref()?.result.as_ref().ok()?;
    let (chart, label, height) = match w {
        Widget::Missing => {
            let c = crate::chart::specs::missing(a, 50.0, "%");
            let h = (60 + 18 * c.bars.len()).clamp(200, 900) as u32;
            (crate::chart::Chart::Bars(c), T::MissingTitle, h)
        }
        Widget::Correlation => (
            crate::chart::Chart::Heatmap(crate::chart::specs::heatmap(&a.numeric_corr, true)),
            T::NumericPairsTitle,
            760,
        ),
        Widget::CramersV => (
            crate::chart::Chart::Heatmap(crate::chart::specs::heatmap(&a.cramers_v.matrix, false)),
            T::CategoricalPairsTitle,
            760,
        ),
        _ => return None,
    };
    Some(html! {
        <section class="card embed-chart" aria-label={label.get(lang)}>
            <h2>{ label.get(lang) }</h2>
            <ChartCanvas id={Some(format!("embed-{}-chart", w.id()))} chart={Rc::new(chart)} width={760} {height} label={label.get(lang).to_string()} />
        </section>
    })
}
