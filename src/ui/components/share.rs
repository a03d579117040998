//! The top bar's session tools: a share link with the instructor's classroom options, and the
//! "start over" and "erase my data" buttons (each asks for confirmation first).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::l;
use crate::i18n::safety::S;
use crate::i18n::Lang;
use crate::route::{route_title, Route};
use crate::share::{Classroom, HIDEABLE};
use crate::ui::platform::dom;

#[derive(Properties, PartialEq)]
pub struct SessionToolsProps {
    pub lang: Lang,
    /// The step the learner is on (the link opens there unless another is chosen).
    pub route: Route,
    /// Make the link for these classroom options, opening at this step.
    pub make_link: Callback<(Classroom, Route), String>,
    pub on_start_over: Callback<()>,
    pub on_erase: Callback<()>,
    /// Classroom restrictions are in force (a link set them).
    pub classroom: bool,
    /// Leave them for good.
    pub on_leave_classroom: Callback<()>,
}

#[function_component(SessionTools)]
pub fn session_tools(p: &SessionToolsProps) -> Html {
    let lang = p.lang;
    let options = use_state(Classroom::default);
    // None: the step the learner is on when the link is made.
    let start = use_state(|| None::<Route>);
    let link = use_state(String::new);
    let copied = use_state(|| None::<bool>);
    let hide_boxes = HIDEABLE.iter().map(|(id, en, ja)| {
        let onchange = {
            let options = options.clone();
            let id = id.to_string();
            Callback::from(move |e: Event| {
                let mut o = (*options).clone();
                if e.target_unchecked_into::<HtmlInputElement>().checked() {
                    o.hide.insert(id.clone());
                } else {
                    o.hide.remove(&id);
                }
                options.set(o);
            })
        };
        let box_id = format!("share-hide-{id}");
        html! {
            <label for={box_id.clone()}>
                <input type="checkbox" id={box_id} checked={options.hide.contains(*id)} {onchange} />
                { l(lang, en, ja) }
            </label>
        }
    });
    let flag =
        |id: &str, label: &str, get: fn(&Classroom) -> bool, set: fn(&mut Classroom, bool)| {
            let options_c = options.clone();
            let onchange = Callback::from(move |e: Event| {
                let mut o = (*options_c).clone();
                set(
                    &mut o,
                    e.target_unchecked_into::<HtmlInputElement>().checked(),
                );
                options_c.set(o);
            });
            html! {
                <label for={id.to_string()}>
                    <input type="checkbox" id={id.to_string()} checked={get(&options)} {onchange} />
                    { label }
                </label>
            }
        };
    let on_make = {
        let (make, options, link, copied) = (
            p.make_link.clone(),
            options.clone(),
            link.clone(),
            copied.clone(),
        );
        let step = start.unwrap_or(p.route);
        Callback::from(move |_: MouseEvent| {
            link.set(make.emit(((*options).clone(), step)));
            copied.set(None);
        })
    };
    let on_start = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            start.set(Route::ALL.into_iter().find(|r| r.hash() == v));
        })
    };
    let chosen = start.unwrap_or(p.route);
    let steps = Route::ALL.into_iter().map(|r| {
        html! { <option value={r.hash()} selected={r == chosen}>{ route_title(r, lang) }</option> }
    });
    let on_copy = {
        let (link, copied) = (link.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, copied) = ((*link).clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(dom::copy_text(&text).await.is_ok()));
            });
        })
    };
    let confirmed = |cb: Callback<()>, question: &'static str| {
        Callback::from(move |_: MouseEvent| {
            if dom::confirm(question) {
                cb.emit(());
            }
        })
    };
    html! {
        <div class="session-tools">
            <details id="share-panel">
                <summary>{ l(lang, "Share link", "共有リンク") }</summary>
                <div class="share-body">
                    <p class="hint">{ l(lang, "The link holds your settings, formula and step, never your data: a bundled dataset is named, your own file is not included.", "リンクには設定・式・ステップが入り、データは入りません。同梱データは名前だけ、自分のファイルは含まれません。") }</p>
                    <fieldset>
                        <legend>{ l(lang, "For a class (instructor options)", "授業用（講師向けオプション）") }</legend>
                        <p class="hint">{ l(lang, "Hide these controls:", "次の操作を隠す:") }</p>
                        { for hide_boxes }
                        <label for="share-start">{ l(lang, "Start at", "開始するステップ") }</label>
                        <select id="share-start" onchange={on_start}>{ for steps }</select>
                        { flag("share-lock", l(lang, "Lock the settings", "設定を変更できないようにする"), |o| o.lock, |o, v| o.lock = v) }
                        { flag("share-hide-text", l(lang, "Hide the explanatory text", "説明文を隠す"), |o| o.hide_text, |o, v| o.hide_text = v) }
                    </fieldset>
                    <button type="button" id="make-share-link" onclick={on_make}>{ l(lang, "Make the link", "リンクを作る") }</button>
                    if !link.is_empty() {
                        <label for="share-link" class="visually-hidden">{ l(lang, "Share link", "共有リンク") }</label>
                        <input id="share-link" type="text" readonly=true value={(*link).clone()} />
                        <button type="button" id="copy-share-link" onclick={on_copy}>{ l(lang, "Copy", "コピー") }</button>
                        { match *copied {
                            Some(true) => html! { <span class="hint" role="status">{ l(lang, " Copied.", " コピーしました。") }</span> },
                            Some(false) => html! { <p class="error" role="alert">{ l(lang, "The browser refused the clipboard: select the link and copy it.", "ブラウザーがクリップボードを拒否しました。リンクを選択してコピーしてください。") }</p> },
                            None => html! {},
                        } }
                    }
                </div>
            </details>
            if p.classroom {
                <button type="button" id="leave-classroom" onclick={confirmed(p.on_leave_classroom.clone(), S::LeaveClassroomConfirm.get(lang))}>
                    { S::LeaveClassroom.get(lang) }
                </button>
            }
            <button type="button" id="start-over" onclick={confirmed(p.on_start_over.clone(), l(lang, "Start over? Your formula, decisions, notes and answers are cleared; the data stays.", "最初からやり直しますか？ 式・判断・メモ・解答は消えます（データは残ります）。"))}>
                { l(lang, "Start over", "最初から") }
            </button>
            <button type="button" id="erase-data" onclick={confirmed(p.on_erase.clone(), l(lang, "Erase everything mlplay saved in this browser, including your uploaded file?", "アップロードしたファイルを含め、mlplay がこのブラウザーに保存したものをすべて消去しますか？"))}>
                { l(lang, "Erase my data", "データを消去") }
            </button>
        </div>
    }
}
