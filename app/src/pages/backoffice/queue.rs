//! The issuing service's back-office: the queue across structures; accept, reject with a reason,
//! fabricate, ship the card and the codes, mark delivered; the card and PIN letter files.

use leptos::prelude::*;
use shared::api::OrderLine;
use shared::tracking::{LineAction, LineProgress, LineStatus};

use crate::api;
use crate::components::alert::Alert;
use crate::components::line_status::{status_cell, Steps};
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::session::SessionContext;
use crate::util::event_target;

/// The actions the shared rules allow on this line now.
fn allowed(line: &OrderLine) -> Vec<LineAction> {
    let progress = LineProgress {
        kind: line.kind,
        needs_document: line.needs_document,
        times: line.times.clone(),
    };
    LineAction::OPERATOR
        .into_iter()
        .filter(|a| progress.check(*a).is_ok())
        .collect()
}

#[component]
pub fn OperatorPage() -> impl IntoView {
    page_title(|| i18n::BACK_OFFICE.to_string());
    let session = SessionContext::get();
    let status = RwSignal::new(String::new());
    let queue = LocalResource::new(move || {
        let status = status.get();
        async move { api::get_queue(&status).await }
    });
    let act = Action::new_local(
        move |(order, line, action, reason): &(String, i64, LineAction, Option<String>)| {
            let (order, line, action, reason) = (order.clone(), *line, *action, reason.clone());
            async move {
                let csrf = session.current().map(|m| m.csrf_token).unwrap_or_default();
                let r = api::act_on_line(&order, line, action, reason, &csrf).await;
                queue.refetch();
                r
            }
        },
    );
    let row = move |l: OrderLine| {
        let reason = RwSignal::new(String::new());
        let actions = allowed(&l);
        let base = format!("/api/operator/lines/{}/{}", l.order_id, l.line_no);
        let reason_id = format!("motif-{}-{}", l.order_id, l.line_no);
        let fabricated = l.times.fabricated_at.is_some();
        let has_document = l.times.document_at.is_some();
        let document = format!("/api/orders/{}/lines/{}/document", l.order_id, l.line_no);
        let (order, line_no) = (l.order_id.clone(), l.line_no);
        view! {
            <tr class:en-retard=l.late>
                <td data-label=i18n::COL_STRUCTURE>{l.structure_name.clone()}<br/><small>{l.structure_id.clone()}</small></td>
                <td data-label=i18n::COL_ORDER>{format!("{} / {}", l.order_id, l.line_no)}</td>
                <td data-label=i18n::COL_KIND>{l.kind.label()}{l.card_type.clone().map(|t| format!(" ({t})"))}<br/>{l.holder.clone()}</td>
                <td data-label=i18n::COL_STATUS>{status_cell(&l)}
                    <Steps line=l.clone()/>
                </td>
                <td data-label=i18n::COL_ACTIONS class="actions">
                    {actions.iter().copied().filter(|a| *a != LineAction::Rejeter).map(|a| {
                        let order = order.clone();
                        view! {
                            <button type="button" disabled=move || act.pending().get()
                                on:click=move |_| { act.dispatch((order.clone(), line_no, a, None)); }>
                                {a.label()}
                            </button>
                        }
                    }).collect_view()}
                    {actions.contains(&LineAction::Rejeter).then(|| {
                        let order = order.clone();
                        view! {
                            <div class="champ">
                                <label for=reason_id.clone()>{i18n::REJECT_REASON}</label>
                                <input id=reason_id type="text" prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                                <button type="button" disabled=move || act.pending().get()
                                    on:click=move |_| { act.dispatch((order.clone(), line_no, LineAction::Rejeter, Some(reason.get_untracked()))); }>
                                    {LineAction::Rejeter.label()}
                                </button>
                            </div>
                        }
                    })}
                    {fabricated.then(|| view! {
                        <p>
                            <a href=format!("{base}/carte.p12") download>{i18n::DOWNLOAD_CARD}</a><br/>
                            <a href=format!("{base}/courrier-codes.pdf") download>{i18n::DOWNLOAD_PIN_LETTER}</a>
                        </p>
                    })}
                    {has_document.then(|| view! { <p><a href=document target="_blank">{i18n::DOWNLOAD_DOCUMENT}</a></p> })}
                </td>
            </tr>
        }
    };
    view! {
        <h1>{i18n::BACK_OFFICE_TITLE}</h1>
        <p><leptos_router::components::A href="/back-office/journal">{i18n::AUDIT_SERVICE_LINK}</leptos_router::components::A></p>
        <p><leptos_router::components::A href="/back-office/crl">{i18n::CRL_TITLE}</leptos_router::components::A></p>
        <p>{i18n::BACK_OFFICE_INTRO}</p>
        <div class="filtres">
            <div class="champ">
                <label for="filtre-statut">{i18n::FILTER_STATUS}</label>
                <select id="filtre-statut" on:change=move |ev| status.set(event_target::<web_sys::HtmlSelectElement>(&ev).value())>
                    <option value="">{i18n::OPEN_LINES}</option>
                    {LineStatus::ALL.into_iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
        </div>
        {move || act.value().get().and_then(|r| r.err()).map(|e| view! { <Alert kind="erreur" title=e.message/> })}
        <Loaded resource=queue let:q>
            {if q.lines.is_empty() {
                view! { <p>{i18n::QUEUE_EMPTY}</p> }.into_any()
            } else { view! {
                <table class="file-attente empilable">
                    <caption class="visuellement-cache">{i18n::BACK_OFFICE_TITLE}</caption>
                    <thead><tr>
                        <th scope="col">{i18n::COL_STRUCTURE}</th>
                        <th scope="col">{i18n::COL_ORDER}</th>
                        <th scope="col">{i18n::COL_KIND}</th>
                        <th scope="col">{i18n::COL_STATUS}</th>
                        <th scope="col">{i18n::COL_ACTIONS}</th>
                    </tr></thead>
                    <tbody>{q.lines.into_iter().map(row).collect_view()}</tbody>
                </table>
            }.into_any() }}
        </Loaded>
    }
}
