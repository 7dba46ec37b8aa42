//! Vérifier un fichier: an order file checked in the browser, nothing sent.

use leptos::prelude::*;

use crate::components::file_checker::OrderFileChecker;
use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn CheckFilePage() -> impl IntoView {
    page_title(|| i18n::NAV_CHECK_FILE.to_string());
    view! {
        <h1>{i18n::CHECK_FILE_TITLE}</h1>
        <p class="intro">{i18n::CHECK_FILE_INTRO}</p>
        <OrderFileChecker/>
    }
}
