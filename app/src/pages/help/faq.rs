//! Questions fréquentes: the same topics as the workstation check, as questions.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n;

#[component]
pub fn FaqPage() -> impl IntoView {
    view! {
        <h1>{i18n::NAV_FAQ}</h1>
        {i18n::FAQ.iter().map(|(question, answer)| view! {
            <details class="faq">
                <summary>{*question}</summary>
                <p>{*answer}</p>
            </details>
        }).collect_view()}
        <p><A href="/controle-du-poste">{i18n::SEE_CHECK_PAGE}</A></p>
    }
}
