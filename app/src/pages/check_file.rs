//! Vérifier un fichier: the order file is checked in the browser, in a Web Worker, with the same
//! validator as the server; nothing is sent. Errors come as a sortable table, downloadable as CSV.

use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::alert::Alert;
use crate::components::error_table::ErrorTable;
use crate::i18n;
use crate::worker::{Progress, ValidationWorker};

#[component]
pub fn CheckFilePage() -> impl IntoView {
    let progress = RwSignal::new(Progress::Idle);
    let file_name = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let worker = match ValidationWorker::start(progress) {
        Ok(w) => Some(Rc::new(w)),
        Err(message) => {
            progress.set(Progress::Failed(message));
            None
        }
    };
    let send = {
        let worker = worker.clone();
        move |file: web_sys::File| {
            if let Some(worker) = &worker {
                file_name.set(file.name());
                progress.set(Progress::Running {
                    done: 0.0,
                    total: file.size(),
                });
                worker.check(&file);
            }
        }
    };
    let send_input = send.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            send_input(file);
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
            send(file);
        }
    };
    let running = move || matches!(progress.get(), Progress::Running { .. });
    view! {
        <h1>{i18n::CHECK_FILE_TITLE}</h1>
        <p class="intro">{i18n::CHECK_FILE_INTRO}</p>
        <div
            class=move || if dragging.get() { "depot survol" } else { "depot" }
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>{i18n::DROP_HERE}</p>
            <label for="fichier-commande">{i18n::CHOOSE_FILE}</label>
            <input id="fichier-commande" type="file" accept=".xml,application/xml,text/xml"
                on:change=on_change disabled=running/>
        </div>
        <ul class="liens">
            <li><a href="/schemas/tom-commande-v1.xsd" download>{i18n::DOWNLOAD_XSD}</a></li>
            <li><a href="/schemas/modele-commande-cpe.xml" download>{i18n::DOWNLOAD_MODEL}</a></li>
        </ul>
        {move || match progress.get() {
            Progress::Idle => ().into_any(),
            Progress::Running { done, total } => {
                let percent = if total > 0.0 { (done / total * 100.0).round() } else { 0.0 };
                view! {
                    <label for="avancement">{format!("{} {} : {percent} %", i18n::CHECKING, file_name.get())}</label>
                    <progress id="avancement" max="100" value=percent.to_string()>{format!("{percent} %")}</progress>
                }.into_any()
            }
            Progress::Failed(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            Progress::Done { outcome, millis, total } => {
                let summary = format!(
                    "{} : {} opération(s), {} Mo vérifiés en {} s.",
                    file_name.get(),
                    outcome.operations,
                    format!("{:.1}", total / 1_000_000.0).replace('.', ","),
                    format!("{:.2}", millis / 1000.0).replace('.', ",")
                );
                let errors = outcome.errors.iter().filter(|e| e.severity == "error").count();
                let warnings = outcome.errors.len() - errors;
                if outcome.valid {
                    view! {
                        <Alert kind="succes" title=i18n::FILE_VALID.to_string() text=summary/>
                        {(warnings > 0).then(|| view! { <ErrorTable errors=outcome.errors.clone() file_name=file_name.get()/> })}
                    }.into_any()
                } else {
                    view! {
                        <Alert kind="erreur" title=format!("{} : {errors} erreur(s), {warnings} avertissement(s).", i18n::FILE_INVALID) text=summary/>
                        <ErrorTable errors=outcome.errors.clone() file_name=file_name.get()/>
                    }.into_any()
                }
            }
        }}
    }
}

/// The element an event fired on, typed.
fn event_target<T: JsCast>(ev: &leptos::ev::Event) -> T {
    ev.target()
        .expect("cible de l'évènement")
        .unchecked_into::<T>()
}
