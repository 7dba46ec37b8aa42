//! Accueil: who you are when logged in; otherwise whether your card lets you log in, and why not.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::Me;
use shared::diagnostic::Verdict;

use crate::api;
use crate::components::alert::Alert;
use crate::components::contact::{verdict_asks_for_contact, ContactBlock};
use crate::components::loaded::Loaded;
use crate::components::page::{focus_main_heading, page_title};
use crate::i18n;
use crate::session::SessionContext;

#[component]
pub fn HomePage() -> impl IntoView {
    page_title(|| i18n::NAV_HOME.to_string());
    let session = SessionContext::get();
    view! {
        <h1>{i18n::APP_TAGLINE}</h1>
        <p class="intro">{i18n::HOME_INTRO}</p>
        {move || match session.me.get() {
            None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
            Some(Some(me)) => view! { <Welcome me=me/> }.into_any(),
            Some(None) => view! { <LoginPanel/> }.into_any(),
        }}
    }
}

#[component]
fn Welcome(me: Me) -> impl IntoView {
    let name = format!(
        "{} {}",
        me.holder.given_name.clone().unwrap_or_default(),
        me.holder.family_name.clone().unwrap_or_default()
    );
    view! {
        <section aria-labelledby="titre-bienvenue" class="carte-identite">
            <h2 id="titre-bienvenue">{format!("{} {}", i18n::WELCOME, name)}</h2>
            <dl>
                <dt>{i18n::CARD_TYPE}</dt><dd>{me.holder.card_label.clone()}</dd>
                <dt>{i18n::NATIONAL_ID}</dt><dd>{me.holder.national_id.clone()}</dd>
            </dl>
            <p><A href="/espace">{i18n::NAV_SPACE}</A></p>
        </section>
    }
}

#[component]
fn LoginPanel() -> impl IntoView {
    let session = SessionContext::get();
    let diagnostic = LocalResource::new(api::get_diagnostic);
    let login = Action::new_local(|_: &()| api::login());
    Effect::new(move |_| {
        if let Some(Ok(me)) = login.value().get() {
            session.me.set(Some(Some(me)));
            focus_main_heading();
        }
    });
    view! {
        <section aria-labelledby="titre-connexion">
            <h2 id="titre-connexion">{i18n::LOGIN_TITLE}</h2>
            <Loaded resource=diagnostic let:d>
                {if d.verdict == Verdict::Ok {
                    view! {
                        <p>{i18n::HOME_CARD_READY}</p>
                        <button type="button" class="principal" on:click=move |_| { login.dispatch(()); }
                            disabled=move || login.pending().get()>
                            {i18n::LOGIN}
                        </button>
                        {move || login.value().get().and_then(|r| r.err()).map(|e| view! {
                            <Alert kind="erreur" title=e.message/>
                        })}
                    }.into_any()
                } else {
                    let contact = verdict_asks_for_contact(d.verdict);
                    view! {
                        <Alert kind="erreur" title=i18n::HOME_CARD_PROBLEM>
                            <p class="verdict" data-verdict=d.verdict.code()>{d.message.clone()}</p>
                            <p>{d.advice.clone()}</p>
                            {contact.then(|| view! { <ContactBlock/> })}
                            <p><A href="/controle-du-poste">{i18n::SEE_CHECK_PAGE}</A></p>
                        </Alert>
                    }.into_any()
                }}
            </Loaded>
        </section>
    }
}
