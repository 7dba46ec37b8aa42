//! A card's page: its holder and addresses, its history (the audit trail), and what a mandataire
//! does with it — change the holder's data and the addresses, declare an end of exercise, a loss,
//! a theft or a malfunction. Each action says what it did, in a live region.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::{AuditAction, CardDetail, IncidentRequest};
use shared::fleet::{CardState, HolderRecord};
use shared::nomenclature::PROFESSION;
use shared::order::model::{Civility, HolderChange, PostalAddress};

use crate::api;
use crate::components::loaded::Loaded;
use crate::components::page::{focus_first, page_title};
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};

/// Today in the browser's calendar (the user's, in France), `AAAA-MM-JJ`.
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

fn address_text(a: &PostalAddress) -> Vec<String> {
    let street = [a.street_number.as_deref(), a.street.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [
        Some(a.recipient.clone()),
        a.complement.clone(),
        (!street.is_empty()).then_some(street),
        a.locality.clone(),
        Some(format!("{} {}", a.postal_code, a.city)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn text_field(
    label: &'static str,
    field_id: String,
    value: RwSignal<String>,
    disabled: bool,
    kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="champ">
            <label for=field_id.clone()>{label}</label>
            <input id=field_id type=kind prop:value=move || value.get() disabled=disabled
                on:input=move |ev| value.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
        </div>
    }
}

fn opt(s: String) -> Option<String> {
    let t = s.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// The fields of one postal address, bound to signals.
struct AddressForm {
    recipient: RwSignal<String>,
    complement: RwSignal<String>,
    number: RwSignal<String>,
    street: RwSignal<String>,
    locality: RwSignal<String>,
    postal_code: RwSignal<String>,
    city: RwSignal<String>,
}

impl AddressForm {
    fn of(a: &PostalAddress) -> Self {
        Self {
            recipient: RwSignal::new(a.recipient.clone()),
            complement: RwSignal::new(a.complement.clone().unwrap_or_default()),
            number: RwSignal::new(a.street_number.clone().unwrap_or_default()),
            street: RwSignal::new(a.street.clone().unwrap_or_default()),
            locality: RwSignal::new(a.locality.clone().unwrap_or_default()),
            postal_code: RwSignal::new(a.postal_code.clone()),
            city: RwSignal::new(a.city.clone()),
        }
    }
    fn value(&self, country: &str) -> PostalAddress {
        PostalAddress {
            recipient: self.recipient.get_untracked().trim().to_string(),
            complement: opt(self.complement.get_untracked()),
            street_number: opt(self.number.get_untracked()),
            street: opt(self.street.get_untracked()),
            locality: opt(self.locality.get_untracked()),
            postal_code: self.postal_code.get_untracked().trim().to_string(),
            city: self.city.get_untracked().trim().to_string(),
            country: country.to_string(),
        }
    }
    fn view(&self, legend: &'static str, prefix: &'static str) -> impl IntoView {
        let f = |label, name: &str, signal| {
            text_field(label, format!("{prefix}-{name}"), signal, false, "text")
        };
        view! {
            <fieldset>
                <legend>{legend}</legend>
                {f(i18n::ADDR_RECIPIENT, "destinataire", self.recipient)}
                {f(i18n::ADDR_COMPLEMENT, "complement", self.complement)}
                {f(i18n::ADDR_NUMBER, "numero", self.number)}
                {f(i18n::ADDR_STREET, "voie", self.street)}
                {f(i18n::ADDR_LOCALITY, "lieu-dit", self.locality)}
                {f(i18n::ADDR_POSTAL_CODE, "code-postal", self.postal_code)}
                {f(i18n::ADDR_CITY, "commune", self.city)}
            </fieldset>
        }
    }
}

/// The holder fields of the form.
#[derive(Clone, Copy)]
struct HolderForm {
    civility: RwSignal<String>,
    birth_name: RwSignal<String>,
    usual_name: RwSignal<String>,
    first_names: RwSignal<String>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
}

impl HolderForm {
    fn of(record: &HolderRecord) -> Self {
        let h = &record.holder;
        Self {
            civility: RwSignal::new(h.civility.code().to_string()),
            birth_name: RwSignal::new(h.birth_name.clone()),
            usual_name: RwSignal::new(h.usual_name.clone().unwrap_or_default()),
            first_names: RwSignal::new(h.first_names.clone()),
            email: RwSignal::new(h.email.clone()),
            phone: RwSignal::new(h.phone.clone()),
        }
    }

    /// The change the form asks for: only what differs from the record.
    fn change(
        &self,
        record: &HolderRecord,
        card_address: PostalAddress,
        pin_address: PostalAddress,
    ) -> HolderChange {
        let h = &record.holder;
        let differs = |new: RwSignal<String>, old: &str| {
            let new = new.get_untracked().trim().to_string();
            (new != old).then_some(new)
        };
        HolderChange {
            matricule: h.matricule.clone(),
            civility: Civility::from_code(&self.civility.get_untracked())
                .filter(|c| *c != h.civility),
            birth_name: differs(self.birth_name, &h.birth_name),
            usual_name: differs(self.usual_name, h.usual_name.as_deref().unwrap_or("")),
            first_names: differs(self.first_names, &h.first_names),
            email: differs(self.email, &h.email),
            phone: differs(self.phone, &h.phone),
            activity: None,
            card_address: (card_address != record.card_address).then_some(card_address),
            pin_address: (pin_address != record.pin_address).then_some(pin_address),
        }
    }
}

/// What a history entry did, in a few words, from its `after` JSON.
fn history_detail(action: &str, after: Option<&str>) -> String {
    let Some(after) = after.and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok()) else {
        return String::new();
    };
    let text = |key: &str| after.get(key).and_then(|v| v.as_str()).map(str::to_string);
    match action {
        "porteur_modifie" => after
            .get("champs")
            .and_then(|c| c.as_array())
            .map(|fields| {
                let labels: Vec<&str> = fields
                    .iter()
                    .filter_map(|f| f.as_str())
                    .map(shared::fleet::field_label)
                    .collect();
                format!("{} {}", i18n::CHANGED, labels.join(", "))
            })
            .unwrap_or_default(),
        "incident_declare" => {
            let nature = match text("nature").as_deref() {
                Some("perte") => i18n::LOSS,
                Some("vol") => i18n::THEFT,
                Some("dysfonctionnement") => i18n::MALFUNCTION,
                _ => "",
            };
            let mut out = nature.to_string();
            if let Some(date) = text("date_incident") {
                out.push_str(&format!(" ({})", french_day(&date)));
            }
            if let Some(order) = text("commande_de_remplacement") {
                out.push_str(&format!(" ; {} {order}", i18n::REPLACEMENT_ORDER));
            }
            out
        }
        "fin_exercice_programmee" => text("fin_exercice_prevue")
            .map(|d| format!("{} {}", i18n::END_SCHEDULED_ON, french_day(&d)))
            .unwrap_or_default(),
        "carte_remplacee" => text("remplacee_par")
            .map(|s| format!("{} {s}", i18n::REPLACED_BY))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// `2026-12-20` → `20/12/2026`.
fn french_day(iso: &str) -> String {
    shared::date::Date::parse_iso(iso)
        .map(|d| format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year()))
        .unwrap_or_else(|| iso.to_string())
}

#[component]
pub fn CardPage() -> impl IntoView {
    let session = SessionContext::get();
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let serial = move || params.get().get("serial").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let (id, serial) = (id(), serial());
        async move { api::get_card(&id, &serial).await }
    });
    let title = move || {
        detail
            .get()
            .and_then(Result::ok)
            .map(|d| i18n::card_of(&d.card.family_name, &d.card.given_name))
            .unwrap_or_else(|| i18n::CARD_TITLE.to_string())
    };
    page_title(title);
    let acts_for = move || crate::session::my_structure(&id()).is_some();
    let outcome = RwSignal::new(None::<Result<(String, Option<String>), String>>);
    let done = move |r: Result<shared::api::CardActionDone, api::ApiError>| {
        outcome.set(Some(match r {
            Ok(d) => Ok((d.message, d.order_id)),
            Err(e) => Err(e.message),
        }));
        detail.refetch();
        // The result is said where the eyes and the keyboard are: at the top, focused.
        request_animation_frame(|| focus_first(".resultat-action .alerte"));
    };
    let csrf = move || session.current().map(|m| m.csrf_token).unwrap_or_default();
    let change = Action::new_local(move |c: &HolderChange| {
        let (c, id, serial) = (c.clone(), id(), serial());
        async move { done(api::change_holder(&id, &serial, &c, &csrf()).await) }
    });
    let end = Action::new_local(move |date: &String| {
        let (date, id, serial) = (date.clone(), id(), serial());
        async move { done(api::end_exercise(&id, &serial, &date, &csrf()).await) }
    });
    let incident = Action::new_local(move |r: &IncidentRequest| {
        let (r, id, serial) = (r.clone(), id(), serial());
        async move { done(api::declare_incident(&id, &serial, &r, &csrf()).await) }
    });
    let busy = move || change.pending().get() || end.pending().get() || incident.pending().get();

    let actions = move |d: &CardDetail| {
        let live = CardState::from_code(&d.card.state) == Some(CardState::Active);
        if !acts_for() || !live {
            return None;
        }
        let end_date = RwSignal::new(today());
        let nature = RwSignal::new("perte".to_string());
        let incident_date = RwSignal::new(today());
        let replacement = RwSignal::new(true);
        let holder_form = d.holder.clone().map(|record| {
            let locked = d.identity_locked;
            let form = HolderForm::of(&record);
            let HolderForm { civility, birth_name, usual_name, first_names, email, phone } = form;
            let card_address = AddressForm::of(&record.card_address);
            let pin_address = AddressForm::of(&record.pin_address);
            let card_view = card_address.view(i18n::CARD_ADDRESS, "adresse-carte");
            let pin_view = pin_address.view(i18n::PIN_ADDRESS, "adresse-pin");
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let c = form.change(
                    &record,
                    card_address.value(&record.card_address.country),
                    pin_address.value(&record.pin_address.country),
                );
                change.dispatch(c);
            };
            view! {
                <section aria-labelledby="titre-modifier">
                    <h2 id="titre-modifier">{i18n::CHANGE_HOLDER}</h2>
                    <form on:submit=submit novalidate>
                        {locked.then(|| view! { <p class="alerte">{i18n::IDENTITY_FROM_RPPS}</p> })}
                        <div class="champ">
                            <label for="porteur-civilite">{i18n::CIVILITY}</label>
                            <select id="porteur-civilite" disabled=locked prop:value=move || civility.get()
                                on:change=move |ev| civility.set(event_target::<web_sys::HtmlSelectElement>(&ev).value())>
                                <option value="MME">"Mme"</option>
                                <option value="M">"M."</option>
                            </select>
                        </div>
                        {text_field(i18n::BIRTH_NAME, "porteur-nom-naissance".into(), birth_name, locked, "text")}
                        {text_field(i18n::USUAL_NAME, "porteur-nom-usage".into(), usual_name, locked, "text")}
                        {text_field(i18n::FIRST_NAMES, "porteur-prenoms".into(), first_names, locked, "text")}
                        {text_field(i18n::EMAIL, "porteur-email".into(), email, false, "email")}
                        {text_field(i18n::PHONE, "porteur-telephone".into(), phone, false, "tel")}
                        {card_view}
                        {pin_view}
                        <button type="submit" disabled=busy>{i18n::SAVE_CHANGES}</button>
                    </form>
                </section>
            }
        });
        Some(view! {
            {holder_form}
            <section aria-labelledby="titre-fin">
                <h2 id="titre-fin">{i18n::END_OF_EXERCISE}</h2>
                <p>{i18n::END_OF_EXERCISE_HELP}</p>
                <form on:submit=move |ev| { ev.prevent_default(); end.dispatch(end_date.get_untracked()); }>
                    <div class="champ">
                        <label for="date-fin">{i18n::END_DATE}</label>
                        <input id="date-fin" type="date" min=today() prop:value=move || end_date.get()
                            on:change=move |ev| end_date.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                    </div>
                    <button type="submit" disabled=busy>{i18n::DECLARE_END}</button>
                </form>
            </section>
            <section aria-labelledby="titre-incident">
                <h2 id="titre-incident">{i18n::INCIDENT}</h2>
                <p>{i18n::INCIDENT_HELP}</p>
                <form on:submit=move |ev| {
                    ev.prevent_default();
                    incident.dispatch(IncidentRequest {
                        nature: nature.get_untracked(),
                        date: incident_date.get_untracked(),
                        replacement: replacement.get_untracked(),
                    });
                }>
                    <fieldset>
                        <legend>{i18n::INCIDENT_NATURE}</legend>
                        {[("perte", i18n::LOSS), ("vol", i18n::THEFT), ("dysfonctionnement", i18n::MALFUNCTION)].into_iter().map(|(code, label)| view! {
                            <label class="choix"><input type="radio" name="nature" value=code prop:checked=move || nature.get() == code
                                on:change=move |_| nature.set(code.to_string())/>" " {label}</label>
                        }).collect_view()}
                    </fieldset>
                    <div class="champ">
                        <label for="date-incident">{i18n::INCIDENT_DATE}</label>
                        <input id="date-incident" type="date" max=today() prop:value=move || incident_date.get()
                            on:change=move |ev| incident_date.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                    </div>
                    <label class="choix"><input type="checkbox" prop:checked=move || replacement.get() || nature.get() == "dysfonctionnement"
                        disabled=move || nature.get() == "dysfonctionnement"
                        on:change=move |ev| replacement.set(event_target::<web_sys::HtmlInputElement>(&ev).checked())/>" " {i18n::REPLACEMENT_WANTED}</label>
                    <p>{move || if nature.get() == "dysfonctionnement" { i18n::MALFUNCTION_EFFECT } else { i18n::OPPOSITION_EFFECT }}</p>
                    <button type="submit" disabled=busy>{i18n::DECLARE_INCIDENT}</button>
                </form>
            </section>
        })
    };

    view! {
        <h1>{title}</h1>
        <div aria-live="polite" class="resultat-action">
            {move || outcome.get().map(|o| match o {
                Ok((message, order)) => view! {
                    <div class="alerte alerte-succes" role="status"><p>{message}</p>
                        {order.map(|o| view! { <p><A href=format!("/espace/commandes/{o}")>{i18n::SEE_ORDER}</A></p> })}</div>
                }.into_any(),
                Err(message) => view! { <div class="alerte alerte-erreur" role="alert"><p>{message}</p></div> }.into_any(),
            })}
        </div>
        <Loaded resource=detail let:d>
            {
                let c = d.card.clone();
                let state = CardState::from_code(&c.state).unwrap_or(CardState::Active);
                view! {
                    <dl class="identifiants">
                        <dt>{i18n::COL_STATE}</dt><dd><span class=format!("badge etat-{}", c.state)>{state.label()}</span></dd>
                        <dt>{i18n::NATIONAL_ID}</dt><dd>{c.national_id.clone()}</dd>
                        <dt>{i18n::MATRICULE}</dt><dd>{c.matricule.clone().unwrap_or_default()}</dd>
                        <dt>{i18n::CARD_TYPE}</dt><dd>{c.card_type.clone()}</dd>
                        <dt>{i18n::COL_PROFESSION}</dt><dd>{c.profession.as_deref().map(|p| format!("{p} - {}", PROFESSION.label(p).unwrap_or(""))).unwrap_or_default()}</dd>
                        <dt>{i18n::COL_SERIAL}</dt><dd><code>{c.serial.clone()}</code></dd>
                        <dt>{i18n::ISSUED_ON}</dt><dd>{c.issued_at.map(util::format_date).unwrap_or_default()}</dd>
                        <dt>{i18n::COL_VALID_UNTIL}</dt><dd>{c.not_after.map(util::format_date).unwrap_or_default()}</dd>
                        {c.end_at.map(|e| view! { <dt>{i18n::END_SCHEDULED_ON}</dt><dd>{util::format_date(e)}</dd> })}
                        {c.revoked_at.map(|e| view! { <dt>{i18n::REVOKED_ON}</dt><dd>{util::format_time(e)}</dd> })}
                        {c.replacement_order.clone().map(|o| view! { <dt>{i18n::REPLACEMENT_ORDERED}</dt><dd><A href=format!("/espace/commandes/{o}")>{o.clone()}</A></dd> })}
                    </dl>
                    {d.holder.clone().map(|r| view! {
                        <h2>{i18n::HOLDER}</h2>
                        <dl class="identifiants">
                            <dt>{i18n::HOLDER}</dt><dd>{format!("{} {} {}", i18n::civility(r.holder.civility.code()), r.family_name(), r.holder.first_names)}</dd>
                            <dt>{i18n::EMAIL}</dt><dd>{r.holder.email.clone()}</dd>
                            <dt>{i18n::PHONE}</dt><dd>{r.holder.phone.clone()}</dd>
                            <dt>{i18n::CARD_ADDRESS}</dt><dd>{address_text(&r.card_address).into_iter().map(|l| view! { {l}<br/> }).collect_view()}</dd>
                            <dt>{i18n::PIN_ADDRESS}</dt><dd>{address_text(&r.pin_address).into_iter().map(|l| view! { {l}<br/> }).collect_view()}</dd>
                        </dl>
                    })}
                    {actions(&d)}
                    <h2>{i18n::HISTORY}</h2>
                    <table class="empilable historique">
                        <caption class="visuellement-cache">{i18n::HISTORY}</caption>
                        <thead><tr>
                            <th scope="col">{i18n::COL_DATE}</th>
                            <th scope="col">{i18n::COL_ACTION}</th>
                            <th scope="col">{i18n::COL_DETAIL}</th>
                            <th scope="col">{i18n::COL_BY}</th>
                        </tr></thead>
                        <tbody>
                            {d.history.clone().into_iter().rev().map(|e| view! {
                                <tr>
                                    <td data-label=i18n::COL_DATE>{util::format_time(e.at)}</td>
                                    <td data-label=i18n::COL_ACTION>{AuditAction::parse(&e.action).map(|a| a.label()).unwrap_or("")}</td>
                                    <td data-label=i18n::COL_DETAIL>{history_detail(&e.action, e.after.as_deref())}</td>
                                    <td data-label=i18n::COL_BY>{format!("{} ({})", e.actor_national_id, e.actor_role)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            }
        </Loaded>
        <p><A href=move || format!("/espace/structures/{}/parc", id())>{i18n::BACK_TO_FLEET}</A></p>
    }
}
