//! Contrôle du poste: the browser's capabilities, what the server sees of the card, and for each
//! failure the answer in French.

use leptos::prelude::*;
use shared::diagnostic::Verdict;

use crate::api;
use crate::components::alert::Alert;
use crate::components::contact::{verdict_asks_for_contact, ContactBlock};
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;

fn browser_checks() -> Vec<(&'static str, bool, &'static str)> {
    let window = web_sys::window();
    let cookies = window
        .as_ref()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"cookieEnabled".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let secure = window
        .as_ref()
        .map(|w| w.is_secure_context())
        .unwrap_or(false);
    vec![
        // This page runs as WebAssembly: reaching this line proves it works.
        (i18n::CHECK_WASM, true, i18n::CHECK_WASM_KO),
        (i18n::CHECK_COOKIES, cookies, i18n::CHECK_COOKIES_KO),
        (i18n::CHECK_SECURE, secure, i18n::CHECK_SECURE_KO),
    ]
}

#[component]
pub fn DiagnosticPage() -> impl IntoView {
    page_title(|| i18n::CHECK_TITLE.to_string());
    let diagnostic = LocalResource::new(api::get_diagnostic);
    view! {
        <h1>{i18n::CHECK_TITLE}</h1>
        <p class="intro">{i18n::CHECK_INTRO}</p>
        <section aria-labelledby="titre-navigateur">
            <h2 id="titre-navigateur">{i18n::CHECK_BROWSER}</h2>
            <ul class="controles">
                {browser_checks().into_iter().map(|(label, ok, advice)| view! {
                    <li class=if ok { "controle ok" } else { "controle ko" }>
                        <strong>{label}</strong>" : "{if ok { i18n::CHECK_OK } else { i18n::CHECK_KO }}
                        {(!ok).then(|| view! { <p>{advice}</p> })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="titre-carte">
            <h2 id="titre-carte">{i18n::CHECK_CARD}</h2>
            <Loaded resource=diagnostic let:d>
                {
                    let kind = if d.verdict == Verdict::Ok { "succes" } else { "erreur" };
                    let validity = match (&d.not_before, &d.not_after) {
                        (Some(a), Some(b)) => format!("{} {} {} {}", i18n::VALIDITY_FROM_TO.0, &a[..10.min(a.len())], i18n::VALIDITY_FROM_TO.1, &b[..10.min(b.len())]),
                        _ => "—".to_string(),
                    };
                    view! {
                        <Alert kind=kind title=d.message.clone()>
                            <p><strong>{i18n::WHAT_TO_DO}</strong>" "{d.advice.clone()}</p>
                            {verdict_asks_for_contact(d.verdict).then(|| view! { <ContactBlock/> })}
                        </Alert>
                        <table class="diagnostic">
                            <tbody>
                                <tr><th scope="row">{i18n::FIELD_PRESENTED}</th><td>{if d.certificate_presented { i18n::YES } else { i18n::NO }}</td></tr>
                                <tr><th scope="row">{i18n::FIELD_SUBJECT}</th><td>{d.subject.clone().unwrap_or_else(|| "—".into())}</td></tr>
                                <tr><th scope="row">{i18n::FIELD_ISSUER}</th><td>{d.issuer.clone().unwrap_or_else(|| "—".into())}</td></tr>
                                <tr><th scope="row">{i18n::FIELD_VALIDITY}</th><td>{validity}</td></tr>
                                <tr><th scope="row">{i18n::CARD_TYPE}</th><td>{d.card_label.clone().unwrap_or_else(|| "—".into())}</td></tr>
                                <tr><th scope="row">{i18n::NATIONAL_ID}</th><td>{d.national_id.clone().unwrap_or_else(|| "—".into())}</td></tr>
                                <tr><th scope="row">{i18n::FIELD_VERDICT}</th><td data-verdict=d.verdict.code()>{d.verdict.code()}</td></tr>
                                <tr><th scope="row">{i18n::FIELD_TLS}</th><td>{d.tls_version.clone().unwrap_or_else(|| "—".into())}</td></tr>
                            </tbody>
                        </table>
                    }
                }
            </Loaded>
            <button type="button" on:click=move |_| diagnostic.refetch()>{i18n::RECHECK}</button>
        </section>
        <section aria-labelledby="titre-causes">
            <h2 id="titre-causes">{i18n::ALL_CAUSES_TITLE}</h2>
            <dl class="causes">
                {Verdict::ALL.into_iter().filter(|v| *v != Verdict::Ok).map(|v| view! {
                    <dt>{v.message()}</dt>
                    <dd>{v.advice()}</dd>
                }).collect_view()}
                <dt>{i18n::PROXY_TITLE}</dt>
                <dd>{i18n::PROXY_ADVICE}</dd>
            </dl>
        </section>
        <section aria-labelledby="titre-contact">
            <h2 id="titre-contact">{i18n::CONTACT_TITLE}</h2>
            <p>{i18n::CONTACT_INTRO}</p>
            <ContactBlock/>
        </section>
    }
}
