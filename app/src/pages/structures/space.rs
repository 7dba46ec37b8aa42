//! Mon espace: the holder's identity and the structures they may act for.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::alert::Alert;
use crate::i18n;
use crate::session::SessionContext;

#[component]
pub fn SpacePage() -> impl IntoView {
    let session = SessionContext::get();
    view! {
        <h1>{i18n::NAV_SPACE}</h1>
        {move || match session.me.get() {
            None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
            Some(None) => view! {
                <Alert kind="info" title=i18n::NOT_LOGGED_IN>
                    <p><A href="/">{i18n::GO_HOME_TO_LOGIN}</A></p>
                </Alert>
            }.into_any(),
            Some(Some(me)) => {
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
                    <h2>{i18n::STRUCTURES_TITLE}</h2>
                    {if me.structures.is_empty() {
                        view! { <p>{i18n::NO_STRUCTURE}</p> }.into_any()
                    } else {
                        view! {
                            <table>
                                <caption class="visuellement-cache">{i18n::STRUCTURES_TITLE}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n::COL_STRUCTURE}</th>
                                    <th scope="col">{i18n::COL_FINESS}</th>
                                    <th scope="col">{i18n::COL_SIRET}</th>
                                    <th scope="col">{i18n::COL_ROLE}</th>
                                </tr></thead>
                                <tbody>
                                    {me.structures.clone().into_iter().map(|s| view! {
                                        <tr>
                                            <td><A href=format!("/espace/structures/{}", s.id)>{s.name.clone()}</A></td>
                                            <td>{s.finess.clone().unwrap_or_default()}</td>
                                            <td>{s.siret.clone().unwrap_or_default()}</td>
                                            <td>{s.role.label()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                }.into_any()
            }
        }}
    }
}
