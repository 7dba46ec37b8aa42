//! Commander une carte: one card request through a form. The form makes the same XML as a file
//! order and the validation worker checks it as the user types, so every rule (check keys,
//! dates, CPS refused for RPPS professions, addresses…) speaks with the file's messages.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::api::OrderSource;
use shared::order::sheet::{self, Choices, Column, Group};

use crate::api::{self, SubmitError};
use crate::components::alert::Alert;
use crate::i18n;
use crate::pages::check_file::ISSUER_EMAIL_KEY;
use crate::session::{my_structure, SessionContext};
use crate::util::{self, event_target};
use crate::worker::{Progress, ValidationWorker};

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

#[component]
pub fn OrderFormPage() -> impl IntoView {
    let params = use_params_map();
    let structure_id = move || params.get().get("id").unwrap_or_default();
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
        let structure = my_structure(&structure_id())?;
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
        let mut header = crate::pages::check_file::structure_header_for(&structure, &email.get());
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
    // Validator findings by field; the ones of no field are shown above the form.
    let findings = Memo::new(move |_| match progress.get() {
        Progress::Done { outcome, .. } => outcome
            .errors
            .iter()
            .filter(|e| e.severity == "error")
            .map(|e| (field_of(&e.path), e.message.clone()))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let valid =
        move || matches!(progress.get(), Progress::Done { ref outcome, .. } if outcome.valid);
    let cols = columns.clone();
    let error_for = move |key: &'static str| {
        let shown = show_all.get() || touched.with(|t| t.iter().any(|k| k == key));
        if !shown {
            return None;
        }
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
    let navigate = use_navigate();
    let submit = Action::new_local(move |xml: &String| {
        let xml = xml.clone();
        let key = key.clone();
        let id = structure_id();
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
                submit.dispatch(x);
            }
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
        let label = format!("{}{}", c.header, if c.required { " *" } else { "" });
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
    let general = move || {
        findings.with(|f| {
            f.iter()
                .filter(|(k, _)| k.is_none())
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{i18n::ORDER_CARD}</h1>
        {move || my_structure(&structure_id()).map(|s| view! { <p class="intro">{s.name}</p> })}
        <p>{i18n::ORDER_FORM_INTRO}</p>
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
            {move || {
                let g = general();
                (show_all.get() && !g.is_empty()).then(|| view! {
                    <Alert kind="erreur" title=i18n::FORM_HAS_ERRORS>
                        <ul>{g.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </Alert>
                })
            }}
            {move || (show_all.get() && !valid() && general().is_empty()).then(|| view! {
                <Alert kind="erreur" title=i18n::FORM_HAS_ERRORS/>
            })}
            {move || submit.value().get().and_then(|r| r.err()).map(|e| match e {
                SubmitError::Refused(r) => view! {
                    <Alert kind="erreur" title=r.message.clone()>
                        <ul>{r.errors.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                    </Alert>
                }.into_any(),
                SubmitError::Api(e) => view! { <Alert kind="erreur" title=e.message text=i18n::RETRY_SAFE/> }.into_any(),
            })}
            <p><button type="submit" class="principal" disabled=move || submit.pending().get()>{i18n::SEND_ORDER}</button></p>
        </form>
    }
}
