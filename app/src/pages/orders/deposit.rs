//! Déposer une commande: a file (XML, or the filled spreadsheet template) checked in the
//! browser, then sent once valid.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::alert::Alert;
use crate::i18n;
use crate::pages::check_file::OrderFileChecker;
use crate::session::{my_structure, SessionContext};

#[component]
pub fn DepositPage() -> impl IntoView {
    let params = use_params_map();
    let session = SessionContext::get();
    let id = move || params.get().get("id").unwrap_or_default();
    view! {
        <h1>{i18n::DEPOSIT_TITLE}</h1>
        {move || match (session.me.get(), my_structure(&id())) {
            (None, _) => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
            (Some(_), None) => view! {
                <Alert kind="erreur" title=shared::errors::ErrorCode::ForbiddenStructure.message()/>
            }.into_any(),
            (Some(_), Some(s)) => view! {
                <p class="intro">{s.name.clone()}</p>
                <p>{i18n::DEPOSIT_INTRO}</p>
                <OrderFileChecker structure=s.clone()/>
                <p><A href=format!("/espace/structures/{}/commandes", s.id)>{i18n::ORDERS_TITLE}</A></p>
            }.into_any(),
        }}
    }
}
