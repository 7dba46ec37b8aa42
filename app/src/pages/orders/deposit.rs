//! Déposer une commande: a file (XML, or the filled spreadsheet template) checked in the
//! browser, then sent once valid.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::alert::Alert;
use crate::components::file_checker::OrderFileChecker;
use crate::components::loaded::{Loaded, SignedIn};
use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn DepositPage() -> impl IntoView {
    page_title(|| i18n::DEPOSIT_TITLE.to_string());
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    // The structure's identifiers, to flag a file made out to another structure.
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_structure(&id).await }
    });
    view! {
        <h1>{i18n::DEPOSIT_TITLE}</h1>
        <SignedIn let:me>
            {if me.structures.iter().any(|s| s.id == id()) {
                view! {
                    <Loaded resource=detail let:s>
                        <p class="intro">{s.name.clone()}</p>
                        <p>{i18n::DEPOSIT_INTRO}</p>
                        <OrderFileChecker structure=s.clone()/>
                        <p><A href=format!("/espace/structures/{}/commandes", s.id)>{i18n::ORDERS_TITLE}</A></p>
                    </Loaded>
                }.into_any()
            } else {
                view! { <Alert kind="erreur" title=crate::session::no_mandate_message(&me, &id())/> }.into_any()
            }}
        </SignedIn>
    }
}
