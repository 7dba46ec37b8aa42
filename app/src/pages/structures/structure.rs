//! A structure's page: its identifiers and the people with a role in it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::alert::Alert;
use crate::i18n;

#[component]
pub fn StructurePage() -> impl IntoView {
    let params = use_params_map();
    let detail = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        async move { api::get_structure(&id).await }
    });
    let fleet = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        async move { api::get_fleet(&id).await }
    });
    let acts_for = move || {
        let id = params.get().get("id").unwrap_or_default();
        crate::session::my_structure(&id).map(|s| s.id)
    };
    view! {
        {move || match detail.get() {
            None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
            Some(Err(e)) => view! {
                <h1>{i18n::COL_STRUCTURE}</h1>
                <Alert kind="erreur" title=e.message/>
            }.into_any(),
            Some(Ok(s)) => view! {
                <h1>{s.name.clone()}</h1>
                <dl>
                    <dt>{i18n::COL_FINESS}</dt><dd>{s.finess.clone().unwrap_or_default()}</dd>
                    <dt>{i18n::COL_SIRET}</dt><dd>{s.siret.clone().unwrap_or_default()}</dd>
                    <dt>{i18n::NATIONAL_ID}</dt><dd>{s.id.clone()}</dd>
                </dl>
                {move || acts_for().map(|id| view! {
                    <ul class="actions-structure">
                        <li><A href=format!("/espace/structures/{id}/commander")>{i18n::ORDER_CARD}</A></li>
                        <li><A href=format!("/espace/structures/{id}/deposer")>{i18n::DEPOSIT_TITLE}</A></li>
                        <li><A href=format!("/espace/structures/{id}/commandes")>{i18n::ORDERS_TITLE}</A></li>
                    </ul>
                })}
                <h2>{i18n::PEOPLE_TITLE}</h2>
                <table>
                    <caption class="visuellement-cache">{i18n::PEOPLE_TITLE}</caption>
                    <thead><tr>
                        <th scope="col">{i18n::COL_NAME}</th>
                        <th scope="col">{i18n::COL_FIRST_NAME}</th>
                        <th scope="col">{i18n::NATIONAL_ID}</th>
                        <th scope="col">{i18n::COL_ROLE}</th>
                    </tr></thead>
                    <tbody>
                        {s.people.clone().into_iter().map(|p| view! {
                            <tr>
                                <td>{p.family_name.clone()}</td>
                                <td>{p.given_name.clone()}</td>
                                <td>{p.national_id.clone()}</td>
                                <td>{p.role.label()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{i18n::FLEET_TITLE}</h2>
                {move || match fleet.get() {
                    None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
                    Some(Err(e)) => view! { <Alert kind="erreur" title=e.message/> }.into_any(),
                    Some(Ok(f)) if f.cards.is_empty() => view! { <p>{i18n::NO_CARDS}</p> }.into_any(),
                    Some(Ok(f)) => view! {
                        <table class="parc">
                            <caption class="visuellement-cache">{i18n::FLEET_TITLE}</caption>
                            <thead><tr>
                                <th scope="col">{i18n::COL_NAME}</th>
                                <th scope="col">{i18n::COL_FIRST_NAME}</th>
                                <th scope="col">{i18n::NATIONAL_ID}</th>
                                <th scope="col">{i18n::CARD_TYPE}</th>
                                <th scope="col">{i18n::COL_SERIAL}</th>
                                <th scope="col">{i18n::COL_VALID_UNTIL}</th>
                            </tr></thead>
                            <tbody>
                                {f.cards.into_iter().map(|c| view! {
                                    <tr>
                                        <td>{c.family_name}</td>
                                        <td>{c.given_name}</td>
                                        <td>{c.national_id}</td>
                                        <td>{c.card_type}</td>
                                        <td><code>{c.serial}</code></td>
                                        <td>{c.not_after.map(crate::util::format_date).unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                }}
            }.into_any(),
        }}
        <p><A href="/espace">{i18n::BACK_TO_SPACE}</A></p>
    }
}
