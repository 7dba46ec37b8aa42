//! The question asked before an action that cannot be undone: « Confirmer » takes the focus as
//! soon as the question is drawn (the keyboard is where the question is), « Annuler » or the
//! Escape key drops it and gives the focus back to the button that asked.

use leptos::prelude::*;

use crate::i18n;

#[component]
pub fn Confirmation(
    question: String,
    #[prop(into)] pending: Signal<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    // The button that asked the question, to give the focus back to when it is cancelled.
    let opener = StoredValue::new_local(
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()),
    );
    let cancel = move || {
        let opener = opener.with_value(Clone::clone);
        on_cancel.run(());
        if let Some(opener) = opener {
            request_animation_frame(move || {
                if opener.is_connected() {
                    let _ = opener.focus();
                }
            });
        }
    };
    let button = NodeRef::<leptos::html::Button>::new();
    button.on_load(|b| {
        // Once the question is in the page (a detached button takes no focus).
        request_animation_frame(move || {
            let _ = b.focus();
        });
    });
    view! {
        <div class="confirmation" role="group" aria-label=i18n::CONFIRM
            on:keydown=move |ev| if ev.key() == "Escape" { cancel() }>
            <p>{question}</p>
            <button type="button" node_ref=button disabled=move || pending.get()
                on:click=move |_| on_confirm.run(())>{i18n::CONFIRM}</button>
            <button type="button" on:click=move |_| cancel()>{i18n::CANCEL}</button>
        </div>
    }
}
