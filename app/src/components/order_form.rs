//! The form of one card request (« Commander une carte », and the card ordered with a
//! designation). It makes the same XML as a file order and the validation worker checks it as
//! the user types, so every rule (check keys, dates, CPS refused for RPPS professions,
//! addresses…) speaks with the file's messages.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::api::{OrderSource, StructureDetail};
use shared::order::errors::codes;
use shared::order::sheet::{self, Choices, Column, Group};

use crate::api::{self, SubmitError};
use crate::components::alert::Alert;
use crate::components::contact::ContactBlock;
use crate::components::file_checker::{structure_header_for, ISSUER_EMAIL_KEY};
use crate::components::page::focus_first;
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};
use crate::worker::{FileError, Progress, ValidationWorker};

/// The key of the issuer's e-mail field (errors of the order header land there).
const ISSUER_EMAIL_FIELD: &str = "emetteur_email";

fn initial_values(columns: &[Column]) -> Vec<String> {
    columns
        .iter()
        .map(|c| match c.key {
            "type_carte" => "CPE".to_string(),
            "nominative" => "oui".to_string(),
            _ => String::new(),
        })
        .collect()
}

/// The field an error of the generated XML belongs to.
fn field_of(path: &str) -> Option<String> {
    if path.starts_with("/commande/entete/emetteur/email") {
        return Some(ISSUER_EMAIL_FIELD.to_string());
    }
    sheet::locate(path).1.map(str::to_string)
}

/// A field's name as the form labels it (an address field with its group), for the summary.
fn field_label(columns: &[Column], key: &str) -> String {
    if key == ISSUER_EMAIL_FIELD {
        return i18n::ISSUER_EMAIL.to_string();
    }
    match columns.iter().find(|c| c.key == key) {
        Some(c) if matches!(c.group, Group::CardAddress | Group::PinAddress) => {
            format!("{} — {}", c.group.label(), c.header)
        }
        Some(c) => c.header.to_string(),
        None => key.to_string(),
    }
}

/// `AAAA-MM-JJ` dates written the French way, as the form asks for them.
fn french_dates(text: &str) -> String {
    let text = text.replace("AAAA-MM-JJ", "JJ/MM/AAAA");
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let iso = i + 10 <= b.len()
            && text.is_char_boundary(i)
            && text.is_char_boundary(i + 10)
            && b[i..i + 10].iter().enumerate().all(|(k, c)| {
                if k == 4 || k == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            })
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && (i + 10 == b.len() || !b[i + 10].is_ascii_digit());
        if iso {
            out.push_str(&format!(
                "{}/{}/{}",
                &text[i + 8..i + 10],
                &text[i + 5..i + 7],
                &text[i..i + 4]
            ));
            i += 10;
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

/// A validator finding said in the form's words: the field's label instead of the XML
/// element's name, and the format the field asks for.
fn form_message(columns: &[Column], key: Option<&str>, e: &FileError) -> String {
    let column = key.and_then(|k| columns.iter().find(|c| c.key == k));
    if e.code == codes::ELEMENT_MANQUANT && key.is_some() {
        return i18n::REQUIRED_FIELD.to_string();
    }
    if let Some(c) = column {
        if c.hint == i18n::DATE_FORMAT
            && (e.code == codes::DATE_INVALIDE || e.code == codes::FORMAT_INVALIDE)
        {
            return i18n::DATE_EXPECTED.to_string();
        }
    }
    let mut message = e.message.clone();
    for c in columns {
        message = message.replace(&format!("« {} »", c.element), &format!("« {} »", c.header));
    }
    let mut message = french_dates(&message);
    if let Some(first) = message.get(..1) {
        message = format!("{}{}", first.to_uppercase(), &message[1..]);
    }
    if !message.ends_with('.') {
        message.push('.');
    }
    message
}

/// The form for one card request, for `structure`. Embedded in another page (the designation of
/// a mandataire), `on_order` receives the checked order's XML instead of the form sending it, and
/// `submit_label` names the button.
#[component]
pub fn OrderForm(
    structure: StructureDetail,
    #[prop(optional)] on_order: Option<Callback<String>>,
    #[prop(optional)] submit_label: Option<&'static str>,
) -> impl IntoView {
    let structure_id = structure.id.clone();
    let structure_name = structure.name.clone();
    let columns = sheet::columns();
    let values = RwSignal::new(initial_values(&columns));
    let touched = RwSignal::new(Vec::<String>::new());
    let show_all = RwSignal::new(false);
    let same_address = RwSignal::new(true);
    let email = RwSignal::new(util::stored(ISSUER_EMAIL_KEY).unwrap_or_default());
    let key = util::random_uuid();
    let progress = RwSignal::new(Progress::Idle);
    let worker = ValidationWorker::start(progress).ok().map(Rc::new);
    let cols = columns.clone();
    // The XML of the request as it stands.
    let xml = move || {
        let mut row = values.get();
        if same_address.get() {
            for (i, c) in cols.iter().enumerate() {
                if c.group == Group::PinAddress {
                    let twin = c.key.replacen("pin_", "carte_", 1);
                    if let Some(j) = cols.iter().position(|d| d.key == twin) {
                        row[i] = row[j].clone();
                    }
                }
            }
        }
        let mut header = structure_header_for(&structure, &email.get());
        header.reference = format!("FORMULAIRE-{}", util::now_stamp());
        Some(sheet::order_xml(&header, &[row]))
    };
    let check_worker = worker.clone();
    let xml_for_check = xml.clone();
    Effect::new(move |_| {
        if let (Some(w), Some(x)) = (&check_worker, xml_for_check()) {
            w.check_text(&x);
        }
    });
    // Validator findings by field, in the form's words; the ones of no field are shown above
    // the form.
    let finding_columns = columns.clone();
    let findings = Memo::new(move |_| match progress.get() {
        Progress::Done { outcome, .. } => outcome
            .errors
            .iter()
            .filter(|e| e.severity == "error")
            .map(|e| {
                let key = field_of(&e.path);
                let message = form_message(&finding_columns, key.as_deref(), e);
                (key, message)
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let valid =
        move || matches!(progress.get(), Progress::Done { ref outcome, .. } if outcome.valid);
    // The last verdict, kept while the next check runs (so the summary does not flicker).
    let verdict = RwSignal::new(None::<bool>);
    Effect::new(move |_| {
        if let Progress::Done { outcome, .. } = progress.get() {
            verdict.set(Some(outcome.valid));
        }
    });
    let show_summary = Memo::new(move |_| show_all.get() && verdict.get() != Some(true));
    let cols = columns.clone();
    // The error of a field, whether shown yet or not.
    let error_of = move |key: &str| {
        let i = cols.iter().position(|c| c.key == key);
        let value = i.map(|i| values.with(|v| v[i].trim().is_empty()));
        let column = i.map(|i| cols[i]);
        if key == "fonction" {
            let both_empty = ["fonction", "profession"].iter().all(|k| {
                cols.iter()
                    .position(|c| c.key == *k)
                    .is_some_and(|i| values.with(|v| v[i].trim().is_empty()))
            });
            if both_empty {
                return Some("Indiquez la profession (CPS) ou la fonction (CPE, CPA).".to_string());
            }
        }
        if column.is_some_and(|c| c.required) && value == Some(true) {
            return Some(i18n::REQUIRED_FIELD.to_string());
        }
        findings.with(|f| {
            f.iter()
                .find(|(k, _)| k.as_deref() == Some(key))
                .map(|(_, m)| m.clone())
        })
    };
    let error_of_field = error_of.clone();
    // Under a field: once the user left it, or tried to send.
    let error_for = move |key: &'static str| {
        let shown = show_all.get() || touched.with(|t| t.iter().any(|k| k == key));
        if !shown {
            return None;
        }
        error_of_field(key)
    };
    // The summary above the form: each error once, named by the field's label. Codes address
    // fields copied from the card's are not repeated.
    let summary_columns = columns.clone();
    let summary = move || {
        let mut items: Vec<(Option<String>, String)> = Vec::new();
        let keys = std::iter::once(ISSUER_EMAIL_FIELD).chain(
            summary_columns
                .iter()
                .filter(|c| !(c.group == Group::PinAddress && same_address.get()))
                .map(|c| c.key),
        );
        for key in keys {
            if let Some(message) = error_of(key) {
                let item = (
                    Some(format!("champ-{key}")),
                    format!("{} : {message}", field_label(&summary_columns, key)),
                );
                if !items.contains(&item) {
                    items.push(item);
                }
            }
        }
        findings.with(|f| {
            for (key, message) in f {
                let item = (None, message.clone());
                if key.is_none() && !items.contains(&item) {
                    items.push(item);
                }
            }
        });
        items
    };
    let navigate = use_navigate();
    let submit = Action::new_local(move |xml: &String| {
        let xml = xml.clone();
        let key = key.clone();
        let id = structure_id.clone();
        async move {
            let csrf = SessionContext::get()
                .current()
                .map(|m| m.csrf_token)
                .unwrap_or_default();
            api::submit_order(
                &id,
                wasm_bindgen::JsValue::from_str(&xml),
                &key,
                OrderSource::Formulaire,
                &csrf,
            )
            .await
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(receipt)) = submit.value().get() {
            navigate(
                &format!("/espace/commandes/{}", receipt.order.id),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        show_all.set(true);
        if valid() {
            if let Some(x) = xml() {
                match on_order {
                    Some(callback) => callback.run(x),
                    None => {
                        submit.dispatch(x);
                    }
                }
            }
        } else {
            // The summary is drawn by then: it takes the focus, and is read out.
            request_animation_frame(|| focus_first("#resume-erreurs"));
        }
    };
    let email_error = error_for.clone();
    let field = move |c: Column, i: usize| {
        let key = c.key;
        let id = format!("champ-{key}");
        let error_id = format!("erreur-{key}");
        let error_for = error_for.clone();
        let error_for2 = error_for.clone();
        let mark = move || {
            touched.update(|t| {
                if !t.iter().any(|k| k == key) {
                    t.push(key.to_string())
                }
            })
        };
        let set = move |v: String| values.update(|vals| vals[i] = v);
        // The PIN-code address is optional as a whole (empty: the card's address); once it is
        // given, its lines are required as the card's are.
        let required = c.required
            || (c.group == Group::PinAddress
                && sheet::columns().iter().any(|d| {
                    d.group == Group::CardAddress && d.required && d.element == c.element
                }));
        let label = format!("{}{}", c.header, if required { " *" } else { "" });
        let input = match c.choices {
            Choices::Free => view! {
                <input id=id.clone() type=if key == "email" { "email" } else { "text" }
                    aria-describedby=error_id.clone()
                    aria-invalid=move || if error_for2(key).is_some() { "true" } else { "false" }
                    prop:value=move || values.with(|v| v[i].clone())
                    on:input=move |ev| set(event_target::<web_sys::HtmlInputElement>(&ev).value())
                    on:blur=move |_| mark()/>
            }
            .into_any(),
            choices => {
                let options = choices.options();
                view! {
                    <select id=id.clone() aria-describedby=error_id.clone()
                        aria-invalid=move || if error_for2(key).is_some() { "true" } else { "false" }
                        prop:value=move || values.with(|v| v[i].clone())
                        on:change=move |ev| { set(event_target::<web_sys::HtmlSelectElement>(&ev).value()); mark(); }>
                        <option value="">{i18n::CHOOSE}</option>
                        {options.into_iter().map(|(code, label)| {
                            let text = if code == label || key == "nominative" || key == "sexe" || key == "type_carte" {
                                label.to_string()
                            } else {
                                format!("{code} — {label}")
                            };
                            view! { <option value=code>{text}</option> }
                        }).collect_view()}
                    </select>
                }.into_any()
            }
        };
        view! {
            <div class="champ">
                <label for=id>{label}</label>
                {input}
                {(!c.hint.is_empty()).then(|| view! { <small>{c.hint}</small> })}
                <p class="erreur-champ" id=error_id>{move || error_for(key)}</p>
            </div>
        }
    };
    view! {
        <p class="intro">{structure_name}</p>
        <p>{i18n::ORDER_FORM_INTRO}</p>
        {move || show_summary.get().then(|| view! {
            <div id="resume-erreurs" class="alerte alerte-erreur" role="alert" tabindex="-1"
                aria-labelledby="titre-resume-erreurs">
                <h2 id="titre-resume-erreurs" class="alerte-titre">{i18n::FORM_HAS_ERRORS}</h2>
                <ul>
                    {let summary = summary.clone();
                    move || summary().into_iter().map(|(field, text)| match field {
                        Some(field) => {
                            let href = format!("#{field}");
                            view! {
                                <li><a href=href on:click=move |ev| {
                                    ev.prevent_default();
                                    focus_first(&format!("#{field}"));
                                }>{text}</a></li>
                            }.into_any()
                        }
                        None => view! { <li>{text}</li> }.into_any(),
                    }).collect_view()}
                </ul>
            </div>
        })}
        <form novalidate on:submit=on_submit>
            <div class="champ">
                <label for="champ-emetteur_email">{format!("{} *", i18n::ISSUER_EMAIL)}</label>
                <input id="champ-emetteur_email" type="email" autocomplete="email"
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target::<web_sys::HtmlInputElement>(&ev).value())
                    on:blur=move |_| {
                        util::store(ISSUER_EMAIL_KEY, &email.get_untracked());
                        touched.update(|t| t.push(ISSUER_EMAIL_FIELD.to_string()));
                    }/>
                <p class="erreur-champ">{move || email_error(ISSUER_EMAIL_FIELD)}</p>
            </div>
            {Group::ALL.into_iter().map(|g| {
                let in_group: Vec<(usize, Column)> = columns.iter().copied().enumerate().filter(|(_, c)| c.group == g).collect();
                let fields = in_group.into_iter().map(|(i, c)| field(c, i)).collect_view();
                if g == Group::PinAddress {
                    view! {
                        <fieldset>
                            <legend>{g.label()}</legend>
                            <p><label>
                                <input type="checkbox" prop:checked=move || same_address.get()
                                    on:change=move |ev| same_address.set(event_target::<web_sys::HtmlInputElement>(&ev).checked())/>
                                " " {i18n::SAME_ADDRESS}
                            </label></p>
                            <div class:cache=move || same_address.get()>{fields}</div>
                        </fieldset>
                    }.into_any()
                } else {
                    view! { <fieldset><legend>{g.label()}</legend>{fields}</fieldset> }.into_any()
                }
            }).collect_view()}
            {move || submit.value().get().and_then(|r| r.err()).map(|e| match e {
                SubmitError::Refused(r) => view! {
                    <Alert kind="erreur" title=r.message.clone()>
                        <ul>{r.errors.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                    </Alert>
                }.into_any(),
                SubmitError::Api(e) => {
                    // Only when nothing came back may the order have arrived unseen.
                    let network = e.code == api::ApiError::network().code;
                    let contact = e.asks_for_contact();
                    view! {
                        <Alert kind="erreur" title=e.message>
                            {network.then(|| view! { <p>{i18n::RETRY_SAFE}</p> })}
                            {contact.then(|| view! { <ContactBlock/> })}
                        </Alert>
                    }.into_any()
                }
            })}
            <p><button type="submit" class="principal" disabled=move || submit.pending().get()>{submit_label.unwrap_or(i18n::SEND_ORDER)}</button></p>
        </form>
    }
}
