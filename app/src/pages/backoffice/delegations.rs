//! « Délégations à valider » (operators): the designations sent by legal representatives, the
//! oldest first, each with its identity document; validate (the mandate starts) or reject with
//! the reason the legal representative will read, each confirmed first.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::Delegation;
use shared::delegation::DelegationStatus;

use crate::api;
use crate::components::alert::Alert;
use crate::components::confirmation::Confirmation;
use crate::components::loaded::Loaded;
use crate::components::page::{focus_first, page_title};
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};

/// A decision the operator asked for and has not confirmed yet: `None` validates.
#[derive(Clone)]
struct Asked {
    delegation: Delegation,
    reason: Option<String>,
}

#[component]
pub fn DelegationsPage() -> impl IntoView {
    page_title(|| i18n::WAITING_DELEGATIONS.to_string());
    // Waiting ones by default; past ones (validated, rejected, withdrawn) on demand.
    let status = RwSignal::new(DelegationStatus::EnAttente);
    let list = LocalResource::new(move || {
        let status = status.get();
        async move { api::get_delegations_in(status).await }
    });
    let asked = RwSignal::new(None::<Asked>);
    let decide = Action::new_local(move |a: &Asked| {
        let a = a.clone();
        async move {
            let csrf = SessionContext::get()
                .current()
                .map(|m| m.csrf_token)
                .unwrap_or_default();
            let validated = a.reason.is_none();
            let r = api::decide_delegation(&a.delegation.id, a.reason, &csrf).await;
            list.refetch();
            r.map(|_| validated).map_err(|e| e.message)
        }
    });
    let confirm = move || {
        asked.get().map(|a| {
            let d = &a.delegation;
            let question = i18n::confirm_delegation(
                a.reason.as_deref(),
                &format!("{} {}", d.given_name, d.family_name),
                &d.structure_name,
            );
            view! {
                <Confirmation question=question pending=decide.pending()
                    on_confirm=Callback::new(move |_| { decide.dispatch(a.clone()); asked.set(None); })
                    on_cancel=Callback::new(move |_| asked.set(None))/>
            }
        })
    };
    Effect::new(move |_| {
        if decide.value().get().is_some() {
            request_animation_frame(|| focus_first("#resultat-decision"));
        }
    });
    view! {
        <h1>{i18n::WAITING_DELEGATIONS}</h1>
        <p>{i18n::WAITING_DELEGATIONS_INTRO}</p>
        <div class="champ">
            <label for="statut-delegations">{i18n::SHOW_STATUS}</label>
            <select id="statut-delegations" on:change=move |ev| {
                let value = event_target::<web_sys::HtmlSelectElement>(&ev).value();
                if let Some(s) = DelegationStatus::parse(&value) {
                    asked.set(None);
                    status.set(s);
                }
            }>
                {DelegationStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.code() selected=s == DelegationStatus::EnAttente>{s.label()}</option>
                }).collect_view()}
            </select>
        </div>
        {confirm}
        <div role="status" aria-live="polite" id="resultat-decision" tabindex="-1">
            {move || decide.value().get().map(|r| match r {
                Ok(true) => view! { <Alert kind="succes" title=i18n::DELEGATION_VALIDATED.to_string()/> }.into_any(),
                Ok(false) => view! { <Alert kind="succes" title=i18n::DELEGATION_REJECTED.to_string()/> }.into_any(),
                Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            })}
        </div>
        <Loaded resource=list let:l>
            {if l.delegations.is_empty() {
                let none = if status.get_untracked() == DelegationStatus::EnAttente {
                    i18n::NO_WAITING_DELEGATION
                } else {
                    i18n::NO_DELEGATION
                };
                view! { <p>{none}</p> }.into_any()
            } else {
                view! {
                    <table class="empilable">
                        <caption class="visuellement-cache">{format!("{} : {}", i18n::DELEGATIONS_TITLE, status.get_untracked().label())}</caption>
                        <thead><tr>
                            <th scope="col">{i18n::COL_DATE}</th>
                            <th scope="col">{i18n::COL_STRUCTURE}</th>
                            <th scope="col">{i18n::COL_PERSON}</th>
                            <th scope="col">{i18n::COL_DOCUMENT}</th>
                            <th scope="col">{i18n::COL_ACTIONS}</th>
                        </tr></thead>
                        <tbody>
                            {l.delegations.into_iter().map(|d| view! { <Row d=d asked=asked/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </Loaded>
        <p><A href="/back-office">{i18n::BACK_OFFICE_TITLE}</A></p>
    }
}

#[component]
fn Row(d: Delegation, asked: RwSignal<Option<Asked>>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(false);
    let reason_id = format!("motif-{}", d.id);
    let error_id = format!("motif-{}-erreur", d.id);
    let person = format!("{} {}", d.given_name, d.family_name);
    let (for_validate, for_reject) = (d.clone(), d.clone());
    let waiting = d.status == DelegationStatus::EnAttente;
    let status = crate::util::delegation_status(&d, true);
    let focus_reason = format!("#{reason_id}");
    let ask_reject = move |_| {
        let text = reason.get_untracked().trim().to_string();
        if text.chars().count() < 3 {
            reason_error.set(true);
            let selector = focus_reason.clone();
            request_animation_frame(move || focus_first(&selector));
            return;
        }
        reason_error.set(false);
        asked.set(Some(Asked {
            delegation: for_reject.clone(),
            reason: Some(text),
        }));
    };
    view! {
        <tr>
            <td data-label=i18n::COL_DATE>{util::format_time(d.requested_at)}</td>
            <td data-label=i18n::COL_STRUCTURE>{d.structure_name.clone()}<br/><small>{d.structure_id.clone()}</small></td>
            <td data-label=i18n::COL_PERSON>{person.clone()}<br/><small>{d.national_id.clone()}</small>
                {i18n::replaces(&d).map(|r| view! { <br/><small>{r}</small> })}
                {d.order_id.clone().map(|o| view! { <br/><A href=format!("/espace/commandes/{o}")>{format!("{} {o}", i18n::COL_ORDER)}</A> })}
            </td>
            <td data-label=i18n::COL_DOCUMENT>
                {match d.document {
                    Some(_) => view! {
                        <a href=api::delegation_document_url(&d.structure_id, &d.id) target="_blank" rel="noopener"
                            aria-label=format!("{} {} ({})", i18n::SEE_DOCUMENT, i18n::de(&person), i18n::DOCUMENT_NEW_TAB)>{i18n::SEE_DOCUMENT}</a>
                    }.into_any(),
                    None => view! { {i18n::DOCUMENT_GONE} }.into_any(),
                }}
            </td>
            <td data-label=i18n::COL_ACTIONS class="actions">
                {if waiting {
                    let person2 = person.clone();
                    view! {
                        <button type="button" aria-label=format!("{} : {person}", i18n::VALIDATE)
                            on:click=move |_| asked.set(Some(Asked { delegation: for_validate.clone(), reason: None }))>{i18n::VALIDATE}</button>
                        <div class="champ">
                            <label for=reason_id.clone()>{format!("{} {}", i18n::REJECT_DELEGATION_REASON, i18n::de(&person2))}</label>
                            <textarea id=reason_id rows="2" aria-describedby=error_id.clone()
                                aria-invalid=move || if reason_error.get() { "true" } else { "false" }
                                prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target::<web_sys::HtmlTextAreaElement>(&ev).value())></textarea>
                            <p class="erreur-champ" id=error_id>{move || reason_error.get().then_some(i18n::REASON_REQUIRED)}</p>
                            <button type="button" aria-label=format!("{} : {person2}", i18n::REJECT) on:click=ask_reject>{i18n::REJECT}</button>
                        </div>
                    }.into_any()
                } else {
                    view! { {status} }.into_any()
                }}
            </td>
        </tr>
    }
}
