//! A structure's page: its identifiers, what one can do for it, and the people with a role in it.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn StructurePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_structure(&id).await }
    });
    // The heading is there from the start (focus after navigation), named once the answer is in.
    let name = move || {
        detail
            .get()
            .and_then(Result::ok)
            .map(|s| s.name)
            .unwrap_or_else(|| i18n::COL_STRUCTURE.to_string())
    };
    page_title(name);
    let acts_for = move || crate::session::my_structure(&id()).map(|s| s.id);
    let represents = move || {
        crate::session::my_structure(&id())
            .filter(|s| s.role == shared::api::Role::RepresentantLegal)
            .map(|s| s.id)
    };
    view! {
        <h1>{name}</h1>
        <Loaded resource=detail let:s>
            <dl class="identifiants">
                <dt>{i18n::COL_FINESS}</dt><dd>{s.finess.clone().unwrap_or_default()}</dd>
                <dt>{i18n::COL_SIRET}</dt><dd>{s.siret.clone().unwrap_or_default()}</dd>
                <dt>{i18n::NATIONAL_ID}</dt><dd>{s.id.clone()}</dd>
            </dl>
            {move || acts_for().map(|id| view! {
                <ul class="actions-structure">
                    <li><A href=format!("/espace/structures/{id}/parc")>{i18n::FLEET_LINK}</A></li>
                    <li><A href=format!("/espace/structures/{id}/commander")>{i18n::ORDER_CARD}</A></li>
                    <li><A href=format!("/espace/structures/{id}/deposer")>{i18n::DEPOSIT_TITLE}</A></li>
                    <li><A href=format!("/espace/structures/{id}/commandes")>{i18n::ORDERS_TITLE}</A></li>
                    {represents().map(|id| view! {
                        <li><A href=format!("/espace/structures/{id}/journal")>{i18n::AUDIT_LINK}</A></li>
                    })}
                </ul>
            })}
            <h2>{i18n::PEOPLE_TITLE}</h2>
            <table class="empilable">
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
                            <td data-label=i18n::COL_NAME>{p.family_name.clone()}</td>
                            <td data-label=i18n::COL_FIRST_NAME>{p.given_name.clone()}</td>
                            <td data-label=i18n::NATIONAL_ID>{p.national_id.clone()}</td>
                            <td data-label=i18n::COL_ROLE>{p.role.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Loaded>
        <p><A href="/espace">{i18n::BACK_TO_SPACE}</A></p>
    }
}
