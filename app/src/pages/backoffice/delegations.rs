//! « Délégations à valider » (operators): the designations sent by legal representatives, the
//! oldest first, each with its identity document; validate (the mandate starts) or reject with
//! the reason the legal representative will read, each confirmed first.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::Delegation;

use crate::api;
use crate::components::alert::Alert;
use crate::components::confirmation::Confirmation;
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
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
    let list = LocalResource::new(api::get_waiting_delegations);
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
                a.reason.is_none(),
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
    view! {
        <h1>{i18n::WAITING_DELEGATIONS}</h1>
        <p>{i18n::WAITING_DELEGATIONS_INTRO}</p>
        {confirm}
        <div role="status" aria-live="polite">
            {move || decide.value().get().map(|r| match r {
                Ok(true) => view! { <Alert kind="succes" title=i18n::DELEGATION_VALIDATED.to_string()/> }.into_any(),
                Ok(false) => view! { <Alert kind="succes" title=i18n::DELEGATION_REJECTED.to_string()/> }.into_any(),
                Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            })}
        </div>
        <Loaded resource=list let:l>
            {if l.delegations.is_empty() {
                view! { <p>{i18n::NO_WAITING_DELEGATION}</p> }.into_any()
            } else {
                view! {
                    <table class="empilable">
                        <caption class="visuellement-cache">{i18n::WAITING_DELEGATIONS}</caption>
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
    let reason_id = format!("motif-{}", d.id);
    let person = format!("{} {}", d.given_name, d.family_name);
    let (for_validate, for_reject) = (d.clone(), d.clone());
    view! {
        <tr>
            <td data-label=i18n::COL_DATE>{util::format_time(d.requested_at)}</td>
            <td data-label=i18n::COL_STRUCTURE>{d.structure_name.clone()}<br/><small>{d.structure_id.clone()}</small></td>
            <td data-label=i18n::COL_PERSON>{person.clone()}<br/><small>{d.national_id.clone()}</small>
                {d.replaces.clone().map(|r| view! { <br/><small>{format!("{} {r}", i18n::REPLACE)}</small> })}
                {d.order_id.clone().map(|o| view! { <br/><A href=format!("/espace/commandes/{o}")>{format!("{} {o}", i18n::COL_ORDER)}</A> })}
            </td>
            <td data-label=i18n::COL_DOCUMENT>
                <a href=api::delegation_document_url(&d.structure_id, &d.id) target="_blank" rel="noopener">{i18n::SEE_DOCUMENT}</a>
            </td>
            <td data-label=i18n::COL_ACTIONS class="actions">
                <button type="button" aria-label=format!("{} : {person}", i18n::VALIDATE)
                    on:click=move |_| asked.set(Some(Asked { delegation: for_validate.clone(), reason: None }))>{i18n::VALIDATE}</button>
                <div class="champ">
                    <label for=reason_id.clone()>{i18n::REJECT_DELEGATION_REASON}</label>
                    <input id=reason_id type="text" prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                    <button type="button" aria-label=format!("{} : {person}", i18n::REJECT)
                        on:click=move |_| asked.set(Some(Asked { delegation: for_reject.clone(), reason: Some(reason.get_untracked()) }))>{i18n::REJECT}</button>
                </div>
            </td>
        </tr>
    }
}
