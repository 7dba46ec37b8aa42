//! One order: each line's status, steps, waiting time and lateness, and the supporting document.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::tracking::{format_duration, LineStatus};

use crate::api;
use crate::components::alert::Alert;
use crate::components::line_status::{status_cell, Steps};
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("order_id").unwrap_or_default();
    let heading = move || format!("{} {}", i18n::ORDER_TITLE, id());
    page_title(heading);
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_order(&id).await }
    });
    let session = SessionContext::get();
    let upload = Action::new_local(move |(line, file): &(i64, web_sys::File)| {
        let (line, file) = (*line, file.clone());
        let order = id();
        async move {
            let csrf = session.current().map(|m| m.csrf_token).unwrap_or_default();
            let r = api::put_document(&order, line, &file, &csrf).await;
            if r.is_ok() {
                detail.refetch();
            }
            r
        }
    });
    view! {
        <h1>{heading}</h1>
        <Loaded resource=detail let:d>
            {
                let o = d.order.clone();
                let can_upload = session.current().is_some_and(|m| m.structures.iter().any(|s| s.id == o.structure_id));
                view! {
                    <dl class="identifiants">
                        <dt>{i18n::COL_STRUCTURE}</dt><dd>{o.structure_name.clone()}</dd>
                        <dt>{i18n::COL_DATE}</dt><dd>{util::format_time(o.submitted_at)}</dd>
                        <dt>{i18n::COL_SOURCE}</dt><dd>{o.source.label()}</dd>
                        <dt>{i18n::COL_REFERENCE}</dt><dd>{o.issuer_reference.clone()}</dd>
                        <dt>{i18n::OPEN_LINES}</dt><dd>{format!("{} sur {}", o.open_lines, o.line_count)}</dd>
                        <dt>{i18n::TARGET_DELAY}</dt><dd>{format_duration(d.target_delivery_seconds)}</dd>
                    </dl>
                    <table class="lignes empilable">
                        <caption class="visuellement-cache">{i18n::COL_LINES}</caption>
                        <thead><tr>
                            <th scope="col">{i18n::COL_LINE_NO}</th>
                            <th scope="col">{i18n::COL_KIND}</th>
                            <th scope="col">{i18n::COL_HOLDER}</th>
                            <th scope="col">{i18n::COL_STATUS}</th>
                            <th scope="col">{i18n::COL_STEPS}</th>
                        </tr></thead>
                        <tbody>
                            {d.lines.into_iter().map(|l| {
                                let waiting = l.status == LineStatus::EnAttenteJustificatif && can_upload;
                                let line_no = l.line_no;
                                let input_id = format!("justificatif-{line_no}");
                                view! {
                                    <tr class:en-retard=l.late>
                                        <td data-label=i18n::COL_LINE_NO>{l.line_no}</td>
                                        <td data-label=i18n::COL_KIND>{l.kind.label()}{l.card_type.clone().map(|t| format!(" ({t})"))}</td>
                                        <td data-label=i18n::COL_HOLDER>{l.holder.clone()}<br/><small>{l.matricule.clone()}</small>
                                            {l.card.clone().map(|c| view! { <br/><small>{format!("Carte {} — {}", c.national_id, c.serial)}</small> })}
                                        </td>
                                        <td data-label=i18n::COL_STATUS>{status_cell(&l)}
                                            {waiting.then(|| view! {
                                                <div class="champ">
                                                    <label for=input_id.clone()>{i18n::DOCUMENT_NEEDED}</label>
                                                    <input id=input_id type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
                                                        on:change=move |ev| {
                                                            let input: web_sys::HtmlInputElement = event_target(&ev);
                                                            if let Some(f) = input.files().and_then(|f| f.get(0)) {
                                                                upload.dispatch((line_no, f));
                                                            }
                                                        }/>
                                                </div>
                                            })}
                                        </td>
                                        <td data-label=i18n::COL_STEPS><Steps line=l.clone()/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {move || upload.value().get().and_then(|r| r.err()).map(|e| view! { <Alert kind="erreur" title=e.message/> })}
                    <p><A href=format!("/espace/structures/{}/commandes", o.structure_id)>{i18n::ORDERS_TITLE}</A></p>
                }
            }
        </Loaded>
    }
}
