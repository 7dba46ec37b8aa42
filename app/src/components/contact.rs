//! The issuing service's contact (`GET /api/contact`, configured by the `contact_*` keys), shown
//! wherever a page tells the user to contact the service.

use leptos::prelude::*;
use shared::diagnostic::Verdict;

use crate::api;
use crate::i18n;

#[component]
pub fn ContactBlock() -> impl IntoView {
    let contact = LocalResource::new(api::get_contact);
    // No `Loaded` here: an error page that asks to contact the service shows this block, and a
    // contact that cannot be read is simply left out rather than reported twice.
    move || {
        contact.get().and_then(Result::ok).map(|c| {
            let mail = format!("mailto:{}", c.email);
            let tel = format!("tel:{}", c.phone.replace(' ', ""));
            view! {
                <address class="contact" role="group" aria-label=i18n::CONTACT_LABEL>
                    <strong>{c.name.clone()}</strong><br/>
                    {i18n::CONTACT_EMAIL}" : "<a href=mail>{c.email.clone()}</a><br/>
                    {i18n::CONTACT_PHONE}" : "<a href=tel>{c.phone.clone()}</a>" ("{c.hours.clone()}")"
                </address>
            }
        })
    }
}

/// Whether the advice for a refused card sends the user to the issuing service.
pub fn verdict_asks_for_contact(v: Verdict) -> bool {
    matches!(
        v,
        Verdict::NotYetValid | Verdict::UnknownCa | Verdict::Malformed
    )
}
