//! Suivi des commandes: a structure's orders, filtered by line status and date.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::tracking::LineStatus;

use crate::api;
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::util::{self, event_target};

#[component]
pub fn OrdersPage() -> impl IntoView {
    page_title(|| i18n::ORDERS_TITLE.to_string());
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
        <Loaded resource=orders let:list>
            {if list.is_empty() {
                view! { <p>{i18n::NO_ORDERS}</p> }.into_any()
            } else {
                view! {
                    <table class="empilable">
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
                                    <td data-label=i18n::COL_ORDER><A href=format!("/espace/commandes/{}", o.id)>{o.id.clone()}</A></td>
                                    <td data-label=i18n::COL_DATE>{util::format_time(o.submitted_at)}</td>
                                    <td data-label=i18n::COL_SOURCE>{o.source.label()}</td>
                                    <td data-label=i18n::COL_REFERENCE>{o.issuer_reference.clone()}</td>
                                    <td data-label=i18n::COL_LINES>{o.line_count}</td>
                                    <td data-label=i18n::COL_OPEN>{o.open_lines}</td>
                                    <td data-label=i18n::COL_LATE>{(o.late_lines > 0).then(|| view! { <span class="badge retard">{format!("{} {}", o.late_lines, i18n::LATE.to_lowercase())}</span> })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </Loaded>
        <p><A href=move || format!("/espace/structures/{}", id())>{i18n::BACK_TO_STRUCTURE}</A></p>
    }
}
