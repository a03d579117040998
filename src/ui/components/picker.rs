//! Choosing data: bundled datasets, a drop zone with a file button, and the reading options.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::datasets::{Task, BUNDLED};
use crate::i18n::{Lang, T};
use crate::session::{default_na_text, ReadSettings};

#[derive(Properties, PartialEq)]
pub struct DataPickerProps {
    pub lang: Lang,
    pub read: ReadSettings,
    pub busy: bool,
    pub can_reload: bool,
    pub on_bundled: Callback<String>,
    pub on_file: Callback<web_sys::File>,
    pub on_settings: Callback<ReadSettings>,
    pub on_reload: Callback<()>,
}

const ENCODINGS: &[(&str, &str)] = &[
    ("utf-8", "UTF-8"),
    ("shift_jis", "Shift_JIS / CP932"),
    ("euc-jp", "EUC-JP"),
    ("utf-16le", "UTF-16LE"),
    ("utf-16be", "UTF-16BE"),
    ("windows-1252", "Windows-1252"),
];

#[function_component(DataPicker)]
pub fn data_picker(p: &DataPickerProps) -> Html {
    let lang = p.lang;
    let dragging = use_state(|| false);

    let bundled = BUNDLED.iter().map(|b| {
        let id = b.id.to_string();
        let cb = p.on_bundled.reform(move |_: MouseEvent| id.clone());
        let title = if lang == Lang::Ja {
            b.title_ja
        } else {
            b.title_en
        };
        let task = match b.task {
            Task::Regression => T::Regression.get(lang),
            Task::Classification => T::Classification.get(lang),
        };
        html! {
            <li>
                <button type="button" class="dataset" id={format!("bundled-{}", b.id)}
                    disabled={p.busy} onclick={cb}>
                    <strong>{ title }</strong>
                    <span class="meta">
                        { format!("{} {} × {} {} · {}: {} · {}",
                            b.rows, T::Rows.get(lang), b.columns, T::Columns.get(lang),
                            T::Target.get(lang), b.target, task) }
                    </span>
                </button>
            </li>
        }
    });

    let on_input = {
        let cb = p.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                cb.emit(f);
            }
            // Choosing the same file again must fire another change event.
            input.set_value("");
        })
    };
    let on_drop = {
        let (cb, dragging) = (p.on_file.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(f) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|l| l.get(0))
            {
                cb.emit(f);
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };

    let read = p.read.clone();
    let on_na = {
        let (cb, read) = (p.on_settings.clone(), read.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(ReadSettings {
                na_text: input.value(),
                ..read.clone()
            });
        })
    };
    let on_na_reset = {
        let (cb, read) = (p.on_settings.clone(), read.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(ReadSettings {
                na_text: default_na_text(),
                ..read.clone()
            })
        })
    };
    let on_keep_text = {
        let (cb, read) = (p.on_settings.clone(), read.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(ReadSettings {
                keep_text: crate::session::parse_column_list(&input.value()),
                ..read.clone()
            });
        })
    };
    let on_encoding = {
        let (cb, read) = (p.on_settings.clone(), read.clone());
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            cb.emit(ReadSettings {
                encoding: (!v.is_empty()).then_some(v),
                ..read.clone()
            });
        })
    };
    let on_delimiter = {
        let (cb, read) = (p.on_settings.clone(), read.clone());
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            cb.emit(ReadSettings {
                delimiter: v.bytes().next(),
                ..read.clone()
            });
        })
    };
    let enc = read.encoding.clone().unwrap_or_default();
    let delim = read
        .delimiter
        .map(|d| (d as char).to_string())
        .unwrap_or_default();

    html! {
        <section class="card picker" aria-labelledby="choose-data">
            <h2 id="choose-data">{ T::ChooseData.get(lang) }</h2>
            <div class="picker-grid">
                <div>
                    <h3>{ T::BundledData.get(lang) }</h3>
                    <ul class="datasets">{ for bundled }</ul>
                </div>
                <div>
                    <h3>{ T::OwnFile.get(lang) }</h3>
                    <div class={classes!("dropzone", (*dragging).then_some("dragging"))}
                        ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                        <p>{ T::DropHint.get(lang) }</p>
                        <label class="file-button" for="file-input">{ T::ChooseFile.get(lang) }</label>
                        <input id="file-input" class="visually-hidden" type="file"
                            accept=".csv,.tsv,.txt,text/csv,text/plain" disabled={p.busy} onchange={on_input} />
                        <p class="hint">{ T::DropPrivacy.get(lang) }</p>
                        <p class="hint">{ T::Limits.get(lang) }</p>
                    </div>
                </div>
            </div>
            <details class="options">
                <summary>{ T::ReadOptions.get(lang) }</summary>
                <div class="option-grid">
                    <label for="na-tokens">{ T::MissingTokens.get(lang) }</label>
                    <div>
                        <input id="na-tokens" type="text" value={read.na_text.clone()} onchange={on_na}
                            aria-describedby="na-help" spellcheck="false" />
                        <button type="button" onclick={on_na_reset}>{ T::ResetDefaults.get(lang) }</button>
                        <p id="na-help" class="hint">{ T::MissingTokensHelp.get(lang) }</p>
                    </div>
                    <label for="keep-text">{ T::KeepText.get(lang) }</label>
                    <div>
                        <input id="keep-text" type="text" value={read.keep_text.join(", ")}
                            onchange={on_keep_text} aria-describedby="keep-text-help" spellcheck="false" />
                        <p id="keep-text-help" class="hint">{ T::KeepTextHelp.get(lang) }</p>
                    </div>
                    <label for="encoding">{ T::Encoding.get(lang) }</label>
                    <select id="encoding" onchange={on_encoding}>
                        <option value="" selected={enc.is_empty()}>{ T::EncodingAuto.get(lang) }</option>
                        { for ENCODINGS.iter().map(|(v, label)| html! {
                            <option value={*v} selected={enc == *v}>{ *label }</option>
                        }) }
                    </select>
                    <label for="delimiter">{ T::Delimiter.get(lang) }</label>
                    <select id="delimiter" onchange={on_delimiter}>
                        <option value="" selected={delim.is_empty()}>{ T::DelimiterAuto.get(lang) }</option>
                        <option value="," selected={delim == ","}>{ T::Comma.get(lang) }</option>
                        <option value=";" selected={delim == ";"}>{ T::Semicolon.get(lang) }</option>
                        <option value={"\t"} selected={delim == "\t"}>{ T::Tab.get(lang) }</option>
                    </select>
                </div>
                <button type="button" id="reload" disabled={!p.can_reload || p.busy}
                    onclick={p.on_reload.reform(|_| ())}>{ T::Reload.get(lang) }</button>
            </details>
        </section>
    }
}
