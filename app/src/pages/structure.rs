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
                <h2>{i18n::PEOPLE_TITLE}</h2>
                <table>
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
            }.into_any(),
        }}
        <p><A href="/espace">{i18n::BACK_TO_SPACE}</A></p>
    }
}
