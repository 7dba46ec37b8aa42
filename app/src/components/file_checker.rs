//! The order file checker of "Vérifier un fichier" and "Déposer une commande": the file is checked
//! in the browser, in a Web Worker, with the same validator as the server. A filled spreadsheet
//! template (CSV as French Excel writes it) is first converted to the XML order here. For a
//! structure, a file made out to another structure is flagged, and a valid file can be sent
//! with an idempotency key.

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::{OrderSource, StructureDetail};
use shared::errors::ErrorCode;
use shared::order::model::{StructureId, StructureKind};
use shared::order::sheet::{self, SheetHeader};

use crate::api::{self, SubmitError};
use crate::components::alert::Alert;
use crate::components::contact::ContactBlock;
use crate::components::error_table::ErrorTable;
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};
use crate::worker::{FileError, Progress, ValidationWorker};

/// Where the e-mail address of the person sending orders is remembered.
pub const ISSUER_EMAIL_KEY: &str = "tom.emetteur.courriel";

/// What will be sent once valid: the file itself, or the XML made from a spreadsheet.
#[derive(Clone)]
enum Content {
    File(web_sys::File),
    Converted(String),
}

/// A converted spreadsheet: where each row came from and what Excel probably did to its cells,
/// to report the validator's findings at the sheet's lines and column titles.
#[derive(Clone, Default)]
struct Conversion {
    converted: sheet::Converted,
}

impl Conversion {
    /// The validator's findings on the generated XML, placed in the sheet (shared rule: a cell's
    /// note on what Excel did replaces the findings of that cell).
    fn relocate(&self, errors: &[FileError]) -> Vec<FileError> {
        let findings = errors.iter().map(|e| sheet::XmlFinding {
            line: e.line as usize,
            path: &e.path,
            code: &e.code,
            message: &e.message,
            error: e.severity == "error",
        });
        self.converted
            .report(findings)
            .into_iter()
            .map(|f| FileError {
                line: f.line as u32,
                column: 0,
                path: f.column,
                code: f.code,
                message: f.message,
                severity: if f.error { "error" } else { "warning" }.into(),
            })
            .collect()
    }
}

/// The order header for a structure, issued by the logged-in holder.
pub fn structure_header_for(s: &StructureDetail, email: &str) -> SheetHeader {
    let me = SessionContext::get().current();
    let (kind, value) = match (&s.finess, &s.siret) {
        (Some(f), _) => (StructureKind::Finess, f.clone()),
        (None, Some(siret)) => (StructureKind::Siret, siret.clone()),
        (None, None) => (StructureKind::Finess, s.id[1..].to_string()),
    };
    SheetHeader {
        structure_kind: Some(kind),
        structure_value: value,
        issuer_national_id: me.as_ref().map(|m| m.holder.national_id.clone()),
        issuer_last_name: me
            .as_ref()
            .and_then(|m| m.holder.family_name.clone())
            .unwrap_or_default(),
        issuer_first_name: me
            .as_ref()
            .and_then(|m| m.holder.given_name.clone())
            .unwrap_or_default(),
        issuer_email: email.to_string(),
        reference: String::new(),
        created_at: util::now_iso(),
    }
}

/// How much of a file is read to find its header (`entete` comes first in the format).
const HEADER_BYTES: i32 = 64 * 1024;

/// The structure named in the header of an order file (`commande/entete/structure`), read from
/// the file's first bytes; `None` when it cannot be found there (the validator then says why).
async fn header_structure(file: &web_sys::File) -> Option<StructureId> {
    let head = file.slice_with_i32_and_i32(0, HEADER_BYTES).ok()?;
    let text = wasm_bindgen_futures::JsFuture::from(head.text())
        .await
        .ok()?
        .as_string()?;
    structure_in_header(&text)
}

fn structure_in_header(xml: &str) -> Option<StructureId> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut kind = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let name = e.local_name().into_inner().as_bytes().to_vec();
                if path.len() == 3 && path[1] == b"entete" && path[2] == b"structure" {
                    kind = match name.as_slice() {
                        b"finess" => Some(StructureKind::Finess),
                        b"siret" => Some(StructureKind::Siret),
                        _ => None,
                    };
                }
                path.push(name);
            }
            Event::Text(t) if path.len() == 4 => {
                if let Some(kind) = kind {
                    let raw: &str = &t;
                    let value = raw.trim().to_string();
                    return Some(StructureId { kind, value });
                }
            }
            Event::End(_) => {
                if path.len() == 2 && path[1] == b"entete" {
                    return None;
                }
                path.pop();
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// When the file is made out to another structure than the chosen one: what to tell the user.
fn mismatch(structure: &StructureDetail, found: &StructureId) -> Option<String> {
    let (label, expected) = match found.kind {
        StructureKind::Finess => (i18n::COL_FINESS, structure.finess.as_deref()),
        StructureKind::Siret => (i18n::COL_SIRET, structure.siret.as_deref()),
    };
    (expected != Some(found.value.as_str())).then(|| {
        format!(
            "En-tête du fichier : {label} {} ; {} : {label} {}.",
            found.value,
            structure.name,
            expected.unwrap_or(i18n::NONE)
        )
    })
}

/// The checker, and on a structure's page the submission.
#[component]
pub fn OrderFileChecker(#[prop(optional)] structure: Option<StructureDetail>) -> impl IntoView {
    let progress = RwSignal::new(Progress::Idle);
    let file_name = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let content = RwSignal::new_local(None::<Content>);
    let conversion = RwSignal::new(None::<Conversion>);
    let sheet_error = RwSignal::new(None::<String>);
    let key = RwSignal::new(String::new());
    // The structure named in the chosen file's header (XML files only).
    let file_structure = RwSignal::new(None::<StructureId>);
    let email = RwSignal::new(util::stored(ISSUER_EMAIL_KEY).unwrap_or_default());
    let worker = match ValidationWorker::start(progress) {
        Ok(w) => Some(Rc::new(w)),
        Err(message) => {
            progress.set(Progress::Failed(message));
            None
        }
    };
    // A spreadsheet converted by the worker: its XML is then checked like a file.
    let convert_worker = worker.clone();
    Effect::new(move |_| {
        let Progress::Table(json) = progress.get() else {
            return;
        };
        let Some(worker) = &convert_worker else {
            return;
        };
        let name = file_name.get_untracked();
        let answer: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        if let Some(e) = answer.get("error") {
            progress.set(Progress::Idle);
            sheet_error.set(Some(format!(
                "{name}, ligne {} : {}",
                e["line"],
                e["message"].as_str().unwrap_or_default()
            )));
            return;
        }
        let mut converted: sheet::Converted =
            serde_json::from_value(answer["converted"].clone()).unwrap_or_default();
        let xml = std::mem::take(&mut converted.xml);
        progress.set(Progress::Running {
            done: 0.0,
            total: xml.len() as f64,
        });
        worker.check_text(&xml);
        conversion.set(Some(Conversion { converted }));
        content.set(Some(Content::Converted(xml)));
    });
    let submit_structure = structure.clone();
    let submit = Action::new_local(move |_: &()| {
        let structure = submit_structure.clone();
        let body = content.get_untracked();
        let key = key.get_untracked();
        async move {
            let (Some(structure), Some(body)) = (structure, body) else {
                return Err(SubmitError::Api(ErrorCode::InvalidRequest.into()));
            };
            let csrf = SessionContext::get()
                .current()
                .map(|m| m.csrf_token)
                .unwrap_or_default();
            let body = match body {
                Content::File(f) => wasm_bindgen::JsValue::from(f),
                Content::Converted(xml) => wasm_bindgen::JsValue::from_str(&xml),
            };
            api::submit_order(&structure.id, body, &key, OrderSource::Fichier, &csrf).await
        }
    });
    let for_structure = structure.clone();
    let take = move |file: web_sys::File| {
        let Some(worker) = worker.clone() else { return };
        let name = file.name();
        file_name.set(name.clone());
        let this_key = util::random_uuid();
        key.set(this_key.clone());
        sheet_error.set(None);
        conversion.set(None);
        file_structure.set(None);
        // A new file: the previous one's receipt or refusal no longer applies.
        submit.value().set(None);
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") || lower.ends_with(".xlsx") {
            if for_structure.is_none() {
                sheet_error.set(Some(i18n::CSV_ONLY_ON_DEPOSIT.to_string()));
                progress.set(Progress::Idle);
                return;
            }
            progress.set(Progress::Running {
                done: 0.0,
                total: file.size(),
            });
            if let Some(structure) = &for_structure {
                // The same file makes the same order (same reference, same date: the file's
                // last saving), so that sending it again is recognised, not ordered twice.
                let mut header = structure_header_for(structure, &email.get_untracked());
                header.created_at = util::iso_of_millis(file.last_modified());
                worker.convert_sheet(&file, &header);
            }
        } else {
            progress.set(Progress::Running {
                done: 0.0,
                total: file.size(),
            });
            worker.check(&file);
            if for_structure.is_some() {
                let file = file.clone();
                leptos::task::spawn_local(async move {
                    let found = header_structure(&file).await;
                    // Only if no other file was chosen meanwhile.
                    if key.get_untracked() == this_key {
                        file_structure.set(found);
                    }
                });
            }
            content.set(Some(Content::File(file)));
        }
    };
    let take_input = take.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            take_input(file);
        }
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            take(file);
        }
    };
    let running = move || matches!(progress.get(), Progress::Running { .. });
    let accept = if structure.is_some() {
        ".xml,.csv,.xlsx,application/xml,text/xml,text/csv"
    } else {
        ".xml,application/xml,text/xml"
    };
    let has_structure = structure.is_some();
    let mismatch_structure = structure.clone();
    let wrong_structure = move || {
        let found = file_structure.get()?;
        mismatch(mismatch_structure.as_ref()?, &found)
    };
    let wrong_structure_send = wrong_structure.clone();
    view! {
        {has_structure.then(|| view! {
            <p>
                <label for="courriel-emetteur">{i18n::ISSUER_EMAIL}</label><br/>
                <input id="courriel-emetteur" type="email" autocomplete="email" size="40"
                    prop:value=move || email.get()
                    on:input=move |ev| {
                        let v = event_target::<web_sys::HtmlInputElement>(&ev).value();
                        util::store(ISSUER_EMAIL_KEY, &v);
                        email.set(v);
                    }/>
                <br/><small>{i18n::ISSUER_EMAIL_HINT}</small>
            </p>
        })}
        <div
            class=move || if dragging.get() { "depot survol" } else { "depot" }
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>{if has_structure { i18n::DROP_HERE_DEPOSIT } else { i18n::DROP_HERE }}</p>
            <label for="fichier-commande">{i18n::CHOOSE_FILE}</label>
            <input id="fichier-commande" type="file" accept=accept on:change=on_change disabled=running/>
        </div>
        <ul class="liens">
            <li><a href="/schemas/tom-commande-v1.xsd" download>{i18n::DOWNLOAD_XSD}</a></li>
            <li><a href="/schemas/modele-commande-cpe.xml" download>{i18n::DOWNLOAD_MODEL}</a></li>
            {has_structure.then(|| view! {
                <li><a href="/modeles/modele-commande.xlsx" download>{i18n::DOWNLOAD_XLSX}</a></li>
            })}
        </ul>
        {move || sheet_error.get().map(|e| view! { <Alert kind="erreur" title=i18n::SHEET_INVALID text=e/> })}
        {move || wrong_structure().map(|details| view! {
            <Alert kind="erreur" title=ErrorCode::StructureMismatch.message() text=details/>
        })}
        {move || match progress.get() {
            Progress::Idle | Progress::Table(_) => ().into_any(),
            Progress::Running { done, total } => {
                let percent = if total > 0.0 { (done / total * 100.0).round() } else { 0.0 };
                view! {
                    <label for="avancement">{format!("{} {} : {percent} %", i18n::CHECKING, file_name.get())}</label>
                    <progress id="avancement" max="100" value=percent.to_string()>{format!("{percent} %")}</progress>
                }.into_any()
            }
            Progress::Failed(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            Progress::Done { outcome, millis, total } => {
                let relocated: Vec<FileError> = match conversion.get() {
                    Some(c) => c.relocate(&outcome.errors),
                    None => outcome.errors.clone(),
                };
                let summary = format!(
                    "{} : {} opération(s), {} Mo vérifiés en {} s.",
                    file_name.get(),
                    outcome.operations,
                    format!("{:.1}", total / 1_000_000.0).replace('.', ","),
                    format!("{:.2}", millis / 1000.0).replace('.', ",")
                );
                let errors = relocated.iter().filter(|e| e.severity == "error").count();
                let warnings = relocated.len() - errors;
                let converted = content.with(|c| match c {
                    Some(Content::Converted(xml)) => Some(xml.clone()),
                    _ => None,
                });
                let download_xml = converted.map(|xml| {
                    let name = format!("{}.xml", file_name.get().trim_end_matches(".csv").trim_end_matches(".xlsx"));
                    view! {
                        <p><button type="button" on:click=move |_| util::download(&name, &xml, "application/xml")>
                            {i18n::DOWNLOAD_GENERATED_XML}
                        </button></p>
                    }
                });
                // A cell Excel changed is an error even where the XML made of it is valid.
                if outcome.valid && errors == 0 {
                    view! {
                        <Alert kind="succes" title=i18n::FILE_VALID.to_string() text=summary/>
                        {download_xml}
                        {(warnings > 0).then(|| view! { <ErrorTable errors=relocated.clone() file_name=file_name.get()/> })}
                        {(has_structure && wrong_structure_send().is_none()).then(|| view! {
                            <p><button type="button" class="principal"
                                disabled=move || submit.pending().get()
                                on:click=move |_| { submit.dispatch(()); }>
                                {i18n::SEND_ORDER}
                            </button></p>
                        })}
                    }.into_any()
                } else {
                    view! {
                        <Alert kind="erreur" title=format!("{} : {errors} erreur(s), {warnings} avertissement(s).", i18n::FILE_INVALID) text=summary/>
                        {download_xml}
                        <ErrorTable errors=relocated file_name=file_name.get()/>
                    }.into_any()
                }
            }
        }}
        {move || submit.value().get().map(|result| match result {
            Ok(receipt) => {
                let title = if receipt.already_received { i18n::ORDER_ALREADY_RECEIVED } else { i18n::ORDER_RECEIVED };
                let text = format!(
                    "Commande n° {} du {} : {} ligne(s).",
                    receipt.order.id,
                    util::format_time(receipt.order.submitted_at),
                    receipt.order.line_count
                );
                view! {
                    <Alert kind="succes" title=title text=text>
                        <p><A href=format!("/espace/commandes/{}", receipt.order.id)>{i18n::FOLLOW_ORDER}</A></p>
                    </Alert>
                }.into_any()
            }
            Err(SubmitError::Refused(refused)) => {
                let errors: Vec<FileError> = refused.errors.iter().map(|e| FileError {
                    line: e.line,
                    column: e.column,
                    path: e.path.clone(),
                    code: e.code.to_string(),
                    message: e.message.clone(),
                    severity: if e.is_error() { "error".into() } else { "warning".into() },
                }).collect();
                let errors = match conversion.get_untracked() {
                    Some(c) => c.relocate(&errors),
                    None => errors,
                };
                view! {
                    <Alert kind="erreur" title=refused.message.clone()/>
                    <ErrorTable errors=errors file_name=file_name.get_untracked()/>
                }.into_any()
            }
            Err(SubmitError::Api(e)) => {
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
    }
}
