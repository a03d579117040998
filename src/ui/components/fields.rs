//! Form fields shared by the steps: a labelled number input with unit, owner and error.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub id: String,
    pub label: String,
    pub unit: String,
    #[prop_or_default]
    pub owner: Option<String>,
    pub value: f64,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or(1.0)]
    pub step: f64,
    /// Called with the typed number, or NaN when the text is not a number.
    pub on_change: Callback<f64>,
}

#[function_component(NumberField)]
pub fn number_field(p: &NumberFieldProps) -> Html {
    let on_change = {
        let cb = p.on_change.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value().trim().parse::<f64>().unwrap_or(f64::NAN));
        })
    };
    let err_id = format!("{}-error", p.id);
    let value = if p.value.is_finite() {
        p.value.to_string()
    } else {
        String::new()
    };
    html! {
        <div class={classes!("field", p.error.is_some().then_some("invalid"))}>
            <label for={p.id.clone()}>{ &p.label }</label>
            <div class="field-input">
                <input id={p.id.clone()} type="number" inputmode="decimal" step={p.step.to_string()}
                    value={value} onchange={on_change}
                    aria-invalid={if p.error.is_some() { "true" } else { "false" }}
                    aria-describedby={err_id.clone()} />
                <span class="unit">{ &p.unit }</span>
            </div>
            if let Some(o) = &p.owner { <span class="owner">{ o }</span> }
            <span id={err_id} class="field-error" role="status">{ p.error.clone().unwrap_or_default() }</span>
        </div>
    }
}
