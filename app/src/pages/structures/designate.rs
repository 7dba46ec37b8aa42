//! Désigner (ou remplacer) un mandataire: form 502 online. The legal representative gives the
//! person's card (its identifiant national, or a card ordered in the same step with the order
//! form) and the copy of their identity document; the delegation then waits for the operator.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::api::{DesignatedCard, DesignationRequest, StructureDetail};
use shared::delegation::MAX_DOCUMENT_BYTES;
use shared::errors::ErrorCode;

use crate::api::{self, SubmitError};
use crate::components::alert::Alert;
use crate::components::loaded::{Loaded, SignedIn};
use crate::components::order_form::OrderForm;
use crate::components::page::{focus_first, page_title};
use crate::i18n;
use crate::session::SessionContext;
use crate::util::event_target;

#[component]
pub fn DesignationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let replaces = move || query.get().get("remplace").filter(|r| !r.is_empty());
    let title = move || {
        if replaces().is_some() {
            i18n::REPLACE_TITLE
        } else {
            i18n::DESIGNATE_TITLE
        }
    };
    page_title(move || title().to_string());
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_structure(&id).await }
    });
    view! {
        <h1>{title}</h1>
        <SignedIn let:me>
            {move || match crate::session::my_structure(&id()) {
                Some(s) if s.role == shared::api::Role::RepresentantLegal => view! {
                    <Loaded resource=detail let:s>
                        <DesignationForm structure=s replaces=replaces()/>
                    </Loaded>
                }.into_any(),
                Some(_) => view! { <Alert kind="erreur" title=ErrorCode::LegalRepresentativeOnly.message()/> }.into_any(),
                None => view! { <Alert kind="erreur" title=crate::session::no_mandate_message(&me, &id())/> }.into_any(),
            }}
        </SignedIn>
    }
}

#[component]
fn DesignationForm(structure: StructureDetail, replaces: Option<String>) -> impl IntoView {
    let structure_id = structure.id.clone();
    let back = format!("/espace/structures/{structure_id}");
    // A change names one of the structure's current mandataires.
    let replaced = replaces.as_ref().map(|id| {
        structure
            .people
            .iter()
            .find(|p| &p.national_id == id && p.role == shared::api::Role::Mandataire)
            .map(|p| format!("{} {} ({id})", p.given_name, p.family_name))
    });
    if let Some(None) = replaced {
        return view! {
            <Alert kind="erreur" title=i18n::NOT_A_MANDATAIRE.to_string()/>
            <p><A href=back>{i18n::BACK_TO_STRUCTURE}</A></p>
        }
        .into_any();
    }
    let replaced = replaced.flatten();
    let new_card = RwSignal::new(false);
    let document = RwSignal::new_local(None::<web_sys::File>);
    let document_error = RwSignal::new(None::<&'static str>);
    let (national_id, family_name, given_name) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let shown = RwSignal::new(false);
    let retention = LocalResource::new({
        let id = structure_id.clone();
        move || {
            let id = id.clone();
            async move {
                api::get_delegations(&id)
                    .await
                    .map(|l| l.retention_days)
                    .unwrap_or(30)
            }
        }
    });
    let send = Action::new_local({
        let structure_id = structure_id.clone();
        move |(request, file): &(DesignationRequest, web_sys::File)| {
            let (request, file, id) = (request.clone(), file.clone(), structure_id.clone());
            async move {
                let csrf = SessionContext::get()
                    .current()
                    .map(|m| m.csrf_token)
                    .unwrap_or_default();
                api::designate(&id, &request, &file, &csrf).await
            }
        }
    });
    // The document is required and at most 5 MB; its kind is judged by TOM from its bytes.
    let checked_document = move || -> Option<web_sys::File> {
        let file = document.get_untracked();
        let error = match &file {
            None => Some(i18n::DOCUMENT_REQUIRED),
            Some(f) if f.size() == 0.0 => Some(i18n::DOCUMENT_EMPTY),
            Some(f) if f.size() > MAX_DOCUMENT_BYTES as f64 => Some(i18n::DOCUMENT_TOO_LARGE),
            Some(_) => None,
        };
        document_error.set(error);
        if error.is_some() {
            request_animation_frame(|| focus_first("#piece-identite"));
            return None;
        }
        file
    };
    let replaces_for_send = replaces.clone();
    let dispatch = move |card: DesignatedCard| {
        if let Some(file) = checked_document() {
            let request = DesignationRequest {
                replaces: replaces_for_send.clone(),
                card,
            };
            send.dispatch((request, file));
        }
    };
    let dispatch_new = dispatch.clone();
    let on_order =
        Callback::new(move |order_xml: String| dispatch_new(DesignatedCard::New { order_xml }));
    let field_error = move |value: RwSignal<String>| {
        move || (shown.get() && value.with(|v| v.trim().is_empty())).then_some(i18n::REQUIRED_FIELD)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        shown.set(true);
        let values =
            [national_id, family_name, given_name].map(|v| v.get_untracked().trim().to_string());
        if values.iter().any(String::is_empty) {
            request_animation_frame(|| focus_first("[aria-invalid=true]"));
            return;
        }
        let [national_id, family_name, given_name] = values;
        dispatch(DesignatedCard::Existing {
            national_id,
            family_name,
            given_name,
        });
    };
    let text_field = move |input_id: &'static str,
                           label: &'static str,
                           hint: Option<&'static str>,
                           value: RwSignal<String>| {
        let error = field_error(value);
        let error2 = field_error(value);
        let error_id = format!("{input_id}-erreur");
        view! {
            <div class="champ">
                <label for=input_id>{label}</label>
                <input id=input_id type="text" autocomplete="off" aria-describedby=error_id.clone()
                    aria-invalid=move || if error2().is_some() { "true" } else { "false" }
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                {hint.map(|h| view! { <small>{h}</small> })}
                <p class="erreur-champ" id=error_id>{error}</p>
            </div>
        }
    };
    let result = move || {
        send.value().get().map(|r| match r {
            Ok(d) => view! {
                <Alert kind="succes" title=i18n::DESIGNATION_SENT.to_string()
                    text=format!("Demande n° {} : {} {} ({}).", d.id, d.given_name, d.family_name, d.national_id)/>
            }
            .into_any(),
            Err(SubmitError::Refused(r)) => view! {
                <Alert kind="erreur" title=r.message.clone()>
                    <ul>{r.errors.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                </Alert>
            }
            .into_any(),
            Err(SubmitError::Api(e)) => view! { <Alert kind="erreur" title=e.message/> }.into_any(),
        })
    };
    let sent = move || matches!(send.value().get(), Some(Ok(_)));
    // The result is where the keyboard goes once the answer is in.
    Effect::new(move |_| {
        if send.value().get().is_some() {
            request_animation_frame(|| focus_first("#resultat-designation"));
        }
    });
    let structure_for_form = structure.clone();
    view! {
        <p class="intro">{structure.name.clone()}</p>
        <p>{i18n::DESIGNATE_INTRO}</p>
        {replaced.clone().map(|r| view! {
            <dl><dt>{i18n::REPLACES}</dt><dd>{r}</dd></dl>
        })}
        <div role="status" aria-live="polite" id="resultat-designation" tabindex="-1">{result}</div>
        <div hidden=sent>
            <div class="champ">
                <label for="piece-identite">{i18n::IDENTITY_DOCUMENT}</label>
                <input id="piece-identite" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                    aria-describedby="piece-identite-aide piece-identite-erreur"
                    aria-invalid=move || if document_error.get().is_some() { "true" } else { "false" }
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        document.set(input.files().and_then(|f| f.get(0)));
                        document_error.set(None);
                    }/>
                <small id="piece-identite-aide">{move || i18n::document_retention(retention.get().unwrap_or(30))}</small>
                <p class="erreur-champ" id="piece-identite-erreur">{move || document_error.get()}</p>
            </div>
            <fieldset>
                <legend>{i18n::CARD_CHOICE}</legend>
                <p>{i18n::HAS_CARD_NOTE}</p>
                <p><label>
                    <input type="radio" name="carte" prop:checked=move || !new_card.get()
                        on:change=move |_| new_card.set(false)/>
                    " " {i18n::HAS_CARD}
                </label></p>
                <p><label>
                    <input type="radio" name="carte" prop:checked=move || new_card.get()
                        on:change=move |_| new_card.set(true)/>
                    " " {i18n::NEEDS_CARD}
                </label></p>
            </fieldset>
            <form novalidate on:submit=on_submit hidden=move || new_card.get()>
                {text_field("designation-identifiant", i18n::NATIONAL_ID_REQUIRED, Some(i18n::NATIONAL_ID_HINT), national_id)}
                {text_field("designation-nom", i18n::FAMILY_NAME_REQUIRED, None, family_name)}
                {text_field("designation-prenom", i18n::GIVEN_NAME_REQUIRED, None, given_name)}
                <p><button type="submit" class="principal" disabled=move || send.pending().get()>{i18n::SEND_DESIGNATION}</button></p>
            </form>
            {move || new_card.get().then(|| view! {
                <OrderForm structure=structure_for_form.clone() on_order=on_order submit_label=i18n::SEND_DESIGNATION_AND_ORDER/>
            })}
        </div>
        <p><A href=back>{i18n::BACK_TO_STRUCTURE}</A></p>
    }
    .into_any()
}
