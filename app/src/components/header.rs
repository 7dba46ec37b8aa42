//! The banner: service name, navigation, the logged-in holder and "Se déconnecter".

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::i18n;
use crate::session::SessionContext;

#[component]
pub fn Header() -> impl IntoView {
    let session = SessionContext::get();
    let navigate = use_navigate();
    let logout = Action::new_local(move |token: &String| {
        let token = token.clone();
        async move { api::logout(&token).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            session.me.set(Some(None));
            navigate("/", Default::default());
        }
    });
    view! {
        <header class="bandeau">
            <div class="bandeau-marque">
                <A href="/"><span class="logo">{i18n::APP_NAME}</span></A>
                <span class="slogan">{i18n::APP_TAGLINE}</span>
            </div>
            <nav aria-label="Navigation principale">
                <ul>
                    <li><A href="/">{i18n::NAV_HOME}</A></li>
                    {move || session.current().map(|_| view! { <li><A href="/espace">{i18n::NAV_SPACE}</A></li> })}
                    {move || session.current().filter(|m| m.is_operator).map(|_| view! { <li><A href="/back-office">{i18n::BACK_OFFICE}</A></li> })}
                    <li><A href="/verifier-un-fichier">{i18n::NAV_CHECK_FILE}</A></li>
                    <li><A href="/controle-du-poste">{i18n::NAV_CHECK}</A></li>
                    <li><A href="/faq">{i18n::NAV_FAQ}</A></li>
                </ul>
            </nav>
            {move || session.current().map(|me| {
                let token = me.csrf_token.clone();
                let name = format!(
                    "{} {}",
                    me.holder.given_name.clone().unwrap_or_default(),
                    me.holder.family_name.clone().unwrap_or_default()
                );
                view! {
                    <div class="bandeau-utilisateur">
                        <span class="utilisateur">{name}</span>
                        <button type="button" on:click=move |_| { logout.dispatch(token.clone()); }>
                            {i18n::LOGOUT}
                        </button>
                    </div>
                }
            })}
            {move || logout.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="erreur" role="alert">{e.message}</p>
            })}
        </header>
    }
}
