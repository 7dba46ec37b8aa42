//! Suivi des commandes: a structure's orders, filtered by line status and date; and one order
//! with each line's status, steps, waiting time and lateness, and the supporting document.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::OrderLine;
use shared::tracking::{format_duration, LineStatus};

use crate::api;
use crate::components::alert::Alert;
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};

#[component]
pub fn OrdersPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let status = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let orders = LocalResource::new(move || {
        let (id, status, from, to) = (id(), status.get(), from.get(), to.get());
        async move { api::list_orders(&id, &status, &from, &to).await }
    });
    let date_input = move |label: &'static str,
                           field_id: &'static str,
                           signal: RwSignal<String>| {
        view! {
            <div class="champ">
                <label for=field_id>{label}</label>
                <input id=field_id type="date" prop:value=move || signal.get()
                    on:change=move |ev| signal.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
            </div>
        }
    };
    view! {
        <h1>{i18n::ORDERS_TITLE}</h1>
        <div class="filtres" role="search">
            <div class="champ">
                <label for="filtre-statut">{i18n::FILTER_STATUS}</label>
                <select id="filtre-statut" on:change=move |ev| status.set(event_target::<web_sys::HtmlSelectElement>(&ev).value())>
                    <option value="">{i18n::FILTER_ALL}</option>
                    {LineStatus::ALL.into_iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            {date_input(i18n::FILTER_FROM, "filtre-du", from)}
            {date_input(i18n::FILTER_TO, "filtre-au", to)}
        </div>
        {move || match orders.get() {
            None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
            Some(Err(e)) => view! { <Alert kind="erreur" title=e.message/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p>{i18n::NO_ORDERS}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table>
                    <caption class="visuellement-cache">{i18n::ORDERS_TITLE}</caption>
                    <thead><tr>
                        <th scope="col">{i18n::COL_ORDER}</th>
                        <th scope="col">{i18n::COL_DATE}</th>
                        <th scope="col">{i18n::COL_SOURCE}</th>
                        <th scope="col">{i18n::COL_REFERENCE}</th>
                        <th scope="col">{i18n::COL_LINES}</th>
                        <th scope="col">{i18n::COL_OPEN}</th>
                        <th scope="col">{i18n::COL_LATE}</th>
                    </tr></thead>
                    <tbody>
                        {list.into_iter().map(|o| view! {
                            <tr>
                                <td><A href=format!("/espace/commandes/{}", o.id)>{o.id.clone()}</A></td>
                                <td>{util::format_time(o.submitted_at)}</td>
                                <td>{o.source.label()}</td>
                                <td>{o.issuer_reference.clone()}</td>
                                <td>{o.line_count}</td>
                                <td>{o.open_lines}</td>
                                <td>{(o.late_lines > 0).then(|| view! { <span class="badge retard">{format!("{} {}", o.late_lines, i18n::LATE.to_lowercase())}</span> })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
        <p><A href=move || format!("/espace/structures/{}", id())>{i18n::BACK_TO_STRUCTURE}</A></p>
    }
}

/// The steps a line went through, with their times.
pub fn steps(line: &OrderLine) -> Vec<(&'static str, String)> {
    let t = &line.times;
    [
        ("Soumise", Some(t.submitted_at)),
        ("Justificatif déposé", t.document_at),
        ("Acceptée", t.accepted_at),
        ("Rejetée", t.rejected_at),
        ("Fabriquée", t.fabricated_at),
        ("Carte expédiée", t.card_shipped_at),
        ("Codes expédiés", t.codes_shipped_at),
        ("Livrée", t.delivered_at),
    ]
    .into_iter()
    .filter_map(|(label, at)| at.map(|at| (label, util::format_time(at))))
    .collect()
}

/// The status cell: label, lateness and waiting time.
pub fn status_cell(line: &OrderLine) -> impl IntoView {
    let class = if line.late { "badge retard" } else { "badge" };
    view! {
        <span class=class>{line.status.label()}</span>
        {line.late.then(|| view! { " " <span class="badge retard">{i18n::LATE}</span> })}
        <br/><small>{format!("{} : {}", i18n::COL_AGE, format_duration(line.age_seconds))}</small>
        {line.reason.clone().map(|r| view! { <br/><small>{format!("Motif : {r}")}</small> })}
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("order_id").unwrap_or_default();
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
        {move || match detail.get() {
            None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
            Some(Err(e)) => view! { <h1>{i18n::ORDER_TITLE}</h1><Alert kind="erreur" title=e.message/> }.into_any(),
            Some(Ok(d)) => {
                let o = d.order.clone();
                let can_upload = session.current().is_some_and(|m| m.structures.iter().any(|s| s.id == o.structure_id));
                view! {
                    <h1>{format!("{} {}", i18n::ORDER_TITLE, o.id)}</h1>
                    <dl>
                        <dt>{i18n::COL_STRUCTURE}</dt><dd>{o.structure_name.clone()}</dd>
                        <dt>{i18n::COL_DATE}</dt><dd>{util::format_time(o.submitted_at)}</dd>
                        <dt>{i18n::COL_SOURCE}</dt><dd>{o.source.label()}</dd>
                        <dt>{i18n::COL_REFERENCE}</dt><dd>{o.issuer_reference.clone()}</dd>
                        <dt>{i18n::OPEN_LINES}</dt><dd>{format!("{} sur {}", o.open_lines, o.line_count)}</dd>
                        <dt>{i18n::TARGET_DELAY}</dt><dd>{format_duration(d.target_delivery_seconds)}</dd>
                    </dl>
                    <table class="lignes">
                        <caption class="visuellement-cache">{i18n::COL_LINES}</caption>
                        <thead><tr>
                            <th scope="col">"N°"</th>
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
                                        <td>{l.line_no}</td>
                                        <td>{l.kind.label()}{l.card_type.clone().map(|t| format!(" ({t})"))}</td>
                                        <td>{l.holder.clone()}<br/><small>{l.matricule.clone()}</small>
                                            {l.card.clone().map(|c| view! { <br/><small>{format!("Carte {} — {}", c.national_id, c.serial)}</small> })}
                                        </td>
                                        <td>{status_cell(&l)}
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
                                        <td><ul class="etapes">{steps(&l).into_iter().map(|(label, at)| view! { <li>{format!("{label} : {at}")}</li> }).collect_view()}</ul></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {move || upload.value().get().and_then(|r| r.err()).map(|e| view! { <Alert kind="erreur" title=e.message/> })}
                    <p><A href=format!("/espace/structures/{}/commandes", o.structure_id)>{i18n::ORDERS_TITLE}</A></p>
                }.into_any()
            }
        }}
    }
}
