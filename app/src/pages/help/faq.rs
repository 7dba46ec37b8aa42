//! Questions fréquentes: the same topics as the workstation check, as questions, and whom to
//! contact when they do not help.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::contact::ContactBlock;
use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn FaqPage() -> impl IntoView {
    page_title(|| i18n::NAV_FAQ.to_string());
    view! {
        <h1>{i18n::NAV_FAQ}</h1>
        {i18n::FAQ.iter().map(|(question, answer)| view! {
            <details class="faq">
                <summary>{*question}</summary>
                <p>{*answer}</p>
            </details>
        }).collect_view()}
        <p><A href="/controle-du-poste">{i18n::SEE_CHECK_PAGE}</A></p>
        <section aria-labelledby="titre-contact">
            <h2 id="titre-contact">{i18n::CONTACT_TITLE}</h2>
            <p>{i18n::CONTACT_INTRO}</p>
            <ContactBlock/>
        </section>
    }
}
