//! A structure's card fleet: the cards TOM issued for it (a section of the structure's page).

use leptos::prelude::*;

use crate::api;
use crate::components::loaded::Loaded;
use crate::i18n;
use crate::util;

#[component]
pub fn FleetSection(structure_id: String) -> impl IntoView {
    let fleet = LocalResource::new(move || {
        let id = structure_id.clone();
        async move { api::get_fleet(&id).await }
    });
    view! {
        <h2>{i18n::FLEET_TITLE}</h2>
        <Loaded resource=fleet let:f>
            {if f.cards.is_empty() {
                view! { <p>{i18n::NO_CARDS}</p> }.into_any()
            } else {
                view! {
                    <table class="parc empilable">
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
                                    <td data-label=i18n::COL_NAME>{c.family_name}</td>
                                    <td data-label=i18n::COL_FIRST_NAME>{c.given_name}</td>
                                    <td data-label=i18n::NATIONAL_ID>{c.national_id}</td>
                                    <td data-label=i18n::CARD_TYPE>{c.card_type}</td>
                                    <td data-label=i18n::COL_SERIAL><code>{c.serial}</code></td>
                                    <td data-label=i18n::COL_VALID_UNTIL>{c.not_after.map(util::format_date).unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </Loaded>
    }
}
