//! The language switch: two toggle buttons, the active one marked for assistive technology.

use yew::prelude::*;

use crate::i18n::{Lang, T};

#[derive(Properties, PartialEq)]
pub struct LangSwitchProps {
    pub lang: Lang,
    pub on_change: Callback<Lang>,
}

#[function_component(LangSwitch)]
pub fn lang_switch(p: &LangSwitchProps) -> Html {
    let button = |l: Lang, label: &'static str| {
        let cb = p.on_change.reform(move |_: MouseEvent| l);
        let pressed = if p.lang == l { "true" } else { "false" };
        html! {
            <button type="button" class="lang-btn" lang={l.code()} aria-pressed={pressed}
                id={format!("lang-{}", l.code())} onclick={cb}>{ label }</button>
        }
    };
    html! {
        <div class="lang" role="group" aria-label={T::Language.get(p.lang)}>
            { button(Lang::Ja, "日本語") }
            { button(Lang::En, "English") }
        </div>
    }
}
