//! The page for an address TOM does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    page_title(|| i18n::NOT_FOUND_TITLE.to_string());
    view! {
        <h1>{i18n::NOT_FOUND_TITLE}</h1>
        <p>{i18n::NOT_FOUND_TEXT}</p>
        <p><A href="/">{i18n::NAV_HOME}</A></p>
    }
}
