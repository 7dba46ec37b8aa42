//! The question asked before an action that cannot be undone: « Confirmer » takes the focus as
//! soon as the question is drawn (the keyboard is where the question is), « Annuler » or the
//! Escape key drops it.

use leptos::prelude::*;

use crate::i18n;

#[component]
pub fn Confirmation(
    question: String,
    #[prop(into)] pending: Signal<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let button = NodeRef::<leptos::html::Button>::new();
    button.on_load(|b| {
        // Once the question is in the page (a detached button takes no focus).
        request_animation_frame(move || {
            let _ = b.focus();
        });
    });
    view! {
        <div class="confirmation" role="group" aria-label=i18n::CONFIRM
            on:keydown=move |ev| if ev.key() == "Escape" { on_cancel.run(()) }>
            <p>{question}</p>
            <button type="button" node_ref=button disabled=move || pending.get()
                on:click=move |_| on_confirm.run(())>{i18n::CONFIRM}</button>
            <button type="button" on:click=move |_| on_cancel.run(())>{i18n::CANCEL}</button>
        </div>
    }
}
