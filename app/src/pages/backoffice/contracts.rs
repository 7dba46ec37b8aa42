//! « Contrats » (operators): registering a structure's contract and its legal representative,
//! the first card holder of the structure, who then designates mandataires online.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::ContractRequest;

use crate::api;
use crate::components::alert::Alert;
use crate::components::page::{focus_first, page_title};
use crate::i18n;
use crate::session::SessionContext;
use crate::util::event_target;

#[component]
pub fn ContractsPage() -> impl IntoView {
    page_title(|| i18n::CONTRACTS_TITLE.to_string());
    let fields = [
        (
            "contrat-structure",
            i18n::STRUCTURE_ID_LABEL,
            Some(i18n::STRUCTURE_ID_HINT),
        ),
        (
            "contrat-identifiant",
            i18n::LEGAL_REP_ID,
            Some(i18n::NATIONAL_ID_HINT),
        ),
        ("contrat-nom", i18n::FAMILY_NAME_REQUIRED, None),
        ("contrat-prenom", i18n::GIVEN_NAME_REQUIRED, None),
    ]
    .map(|(id, label, hint)| (id, label, hint, RwSignal::new(String::new())));
    let values = fields.map(|(_, _, _, v)| v);
    let register = Action::new_local(move |request: &ContractRequest| {
        let request = request.clone();
        async move {
            let csrf = SessionContext::get()
                .current()
                .map(|m| m.csrf_token)
                .unwrap_or_default();
            api::post_contract(&request, &csrf)
                .await
                .map_err(|e| e.message)
        }
    });
    let shown = RwSignal::new(false);
    Effect::new(move |_| {
        if register.value().get().is_some() {
            request_animation_frame(|| focus_first("#resultat-contrat"));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        shown.set(true);
        if values.iter().any(|v| v.get_untracked().trim().is_empty()) {
            request_animation_frame(|| focus_first("[aria-invalid=true]"));
            return;
        }
        let [structure_id, national_id, family_name, given_name] =
            values.map(|v| v.get_untracked().trim().to_string());
        register.dispatch(ContractRequest {
            structure_id,
            national_id,
            family_name,
            given_name,
        });
    };
    view! {
        <h1>{i18n::CONTRACTS_TITLE}</h1>
        <p>{i18n::CONTRACTS_INTRO}</p>
        <form novalidate on:submit=submit>
            {fields.into_iter().map(|(id, label, hint, value)| {
                let missing = move || shown.get() && value.with(|v| v.trim().is_empty());
                let error_id = format!("{id}-erreur");
                view! {
                    <div class="champ">
                        <label for=id>{label}</label>
                        <input id=id type="text" autocomplete="off" aria-describedby=error_id.clone()
                            aria-invalid=move || if missing() { "true" } else { "false" }
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                        {hint.map(|h| view! { <small>{h}</small> })}
                        <p class="erreur-champ" id=error_id>{move || missing().then_some(i18n::REQUIRED_FIELD)}</p>
                    </div>
                }
            }).collect_view()}
            <p><button type="submit" class="principal" disabled=move || register.pending().get()>{i18n::REGISTER_CONTRACT}</button></p>
        </form>
        <div role="status" aria-live="polite" id="resultat-contrat" tabindex="-1">
            {move || register.value().get().map(|r| match r {
                Ok(c) => view! {
                    <Alert kind="succes" title=i18n::CONTRACT_REGISTERED.to_string()
                        text=format!("Structure {} ; représentant légal {}.", c.structure_id, c.legal_representative_id)/>
                }.into_any(),
                Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            })}
        </div>
        <p><A href="/back-office">{i18n::BACK_OFFICE_TITLE}</A></p>
    }
}
