//! The one way a page shows what it reads: a loading line until the first answer (later reloads
//! keep the content in place), then the content, or the server's own message when it refuses.

use std::sync::Arc;

use leptos::prelude::*;
use shared::api::Me;

use crate::api::ApiError;
use crate::components::alert::Alert;
use crate::components::contact::ContactBlock;
use crate::i18n;
use crate::session::SessionContext;

/// Renders `children` with the resource's value, inside `<Transition>` and `<ErrorBoundary>`.
#[component]
pub fn Loaded<T, F, V>(resource: LocalResource<Result<T, ApiError>>, children: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let children = Arc::new(children);
    view! {
        <Transition fallback=|| view! { <p aria-busy="true">{i18n::LOADING}</p> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors=errors/> }>
                {
                    let children = children.clone();
                    move || {
                        let children = children.clone();
                        Suspend::new(async move { resource.await.map(|value| children(value).into_any()) })
                    }
                }
            </ErrorBoundary>
        </Transition>
    }
}

/// Each error as its own alert; the contact of the service when the message asks to call it.
#[component]
fn ErrorList(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        errors
            .get()
            .into_iter()
            .map(|(_, error)| {
                let api = error.downcast_ref::<ApiError>().cloned();
                let contact = api.as_ref().is_some_and(ApiError::asks_for_contact);
                let message = api.map(|e| e.message).unwrap_or_else(|| error.to_string());
                view! {
                    <Alert kind="erreur" title=message>
                        {contact.then(|| view! { <ContactBlock/> })}
                    </Alert>
                }
            })
            .collect_view()
    }
}

/// Renders `children` with the logged-in holder; asks to log in when nobody is.
#[component]
pub fn SignedIn<F, V>(children: F) -> impl IntoView
where
    F: Fn(Me) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = SessionContext::get();
    move || {
        match session.me.get() {
        None => view! { <p aria-busy="true">{i18n::LOADING}</p> }.into_any(),
        Some(None) => view! {
            <Alert kind="info" title=i18n::NOT_LOGGED_IN>
                <p><leptos_router::components::A href="/">{i18n::GO_HOME_TO_LOGIN}</leptos_router::components::A></p>
            </Alert>
        }
        .into_any(),
        Some(Some(me)) => children(me).into_any(),
    }
    }
}
