//! Mon espace: the holder's identity and the structures they may act for.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::contact::ContactBlock;
use crate::components::loaded::SignedIn;
use crate::components::page::page_title;
use crate::i18n;

#[component]
pub fn SpacePage() -> impl IntoView {
    page_title(|| i18n::NAV_SPACE.to_string());
    view! {
        <h1>{i18n::NAV_SPACE}</h1>
        <SignedIn let:me>
            {
                let name = format!(
                    "{} {}",
                    me.holder.given_name.clone().unwrap_or_default(),
                    me.holder.family_name.clone().unwrap_or_default()
                );
                let ends = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(me.session_expires_at as f64 * 1000.0))
                    .to_locale_time_string("fr-FR");
                view! {
                    <section class="carte-identite" aria-label="Votre carte">
                        <p class="utilisateur-nom">{name}</p>
                        <dl>
                            <dt>{i18n::CARD_TYPE}</dt><dd>{me.holder.card_label.clone()}</dd>
                            <dt>{i18n::NATIONAL_ID}</dt><dd>{me.holder.national_id.clone()}</dd>
                            <dt>{i18n::SESSION_ENDS}</dt><dd>{String::from(ends)}</dd>
                        </dl>
                    </section>
                    {me.is_operator.then(|| view! { <p class="note">{i18n::OPERATOR_NOTE}</p> })}
                    <h2 id="titre-structures">{i18n::STRUCTURES_TITLE}</h2>
                    {(!me.ended_in.is_empty()).then(|| view! {
                        <p class="note">{format!("{} {}.", i18n::MANDATES_ENDED_IN, me.ended_in.join(", "))}</p>
                    })}
                    {if me.structures.is_empty() {
                        view! {
                            <p>{i18n::NO_STRUCTURE}</p>
                            <ContactBlock/>
                        }.into_any()
                    } else {
                        view! {
                            <table class="empilable" aria-labelledby="titre-structures">
                                <thead><tr>
                                    <th scope="col">{i18n::COL_STRUCTURE}</th>
                                    <th scope="col">{i18n::COL_FINESS}</th>
                                    <th scope="col">{i18n::COL_SIRET}</th>
                                    <th scope="col">{i18n::COL_ROLE}</th>
                                </tr></thead>
                                <tbody>
                                    {me.structures.clone().into_iter().map(|s| view! {
                                        <tr>
                                            <td data-label=i18n::COL_STRUCTURE><A href=format!("/espace/structures/{}", s.id)>{s.name.clone()}</A></td>
                                            <td data-label=i18n::COL_FINESS>{s.finess.clone().unwrap_or_default()}</td>
                                            <td data-label=i18n::COL_SIRET>{s.siret.clone().unwrap_or_default()}</td>
                                            <td data-label=i18n::COL_ROLE>{s.role.label()}{s.legal_entity_id.clone().map(|ej| format!(" ({} {})", i18n::VIA_LEGAL_ENTITY, ej.get(1..).unwrap_or_default()))}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                }
            }
        </SignedIn>
    }
}
