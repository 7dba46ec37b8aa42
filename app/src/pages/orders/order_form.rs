//! Commander une carte: the page of the order form (components/order_form.rs), for a structure
//! the holder acts for.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::alert::Alert;
use crate::components::loaded::{Loaded, SignedIn};
use crate::components::order_form::OrderForm;
use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn OrderFormPage() -> impl IntoView {
    page_title(|| i18n::ORDER_CARD.to_string());
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_structure(&id).await }
    });
    view! {
        <h1>{i18n::ORDER_CARD}</h1>
        <SignedIn let:me>
            {if me.structures.iter().any(|s| s.id == id()) {
                view! {
                    <Loaded resource=detail let:s>
                        <OrderForm structure=s/>
                    </Loaded>
                }.into_any()
            } else {
                view! { <Alert kind="erreur" title=crate::session::no_mandate_message(&me, &id())/> }.into_any()
            }}
        </SignedIn>
    }
}
