//! « Registre FINESS » (operators): upload of the register's extract and the import's report
//! (counts, and each refused line with its number and reason).

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::RegisterImportReport;

use crate::api;
use crate::components::alert::Alert;
use crate::components::page::page_title;
use crate::i18n;
use crate::session::SessionContext;

#[component]
pub fn RegisterPage() -> impl IntoView {
    page_title(|| i18n::REGISTER_TITLE.to_string());
    let session = SessionContext::get();
    let csrf = move || session.current().map(|m| m.csrf_token).unwrap_or_default();
    let import = Action::new_local(move |file: &web_sys::File| {
        let file = file.clone();
        async move {
            api::import_register(&file, &csrf())
                .await
                .map_err(|e| e.message)
        }
    });
    view! {
        <h1>{i18n::REGISTER_TITLE}</h1>
        <p>{i18n::REGISTER_INTRO}</p>
        <div class="champ">
            <label for="extrait-finess">{i18n::REGISTER_FILE}</label>
            <input id="extrait-finess" type="file" accept=".csv,.txt,text/csv,text/plain"
                disabled=move || import.pending().get()
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    if let Some(f) = input.files().and_then(|f| f.get(0)) {
                        import.dispatch(f);
                    }
                }/>
        </div>
        <div role="status" aria-live="polite">
            {move || import.pending().get().then(|| view! { <p>{i18n::REGISTER_IMPORTING}</p> })}
            {move || import.value().get().map(|r| match r {
                Ok(report) => view! { <Report report=report/> }.into_any(),
                Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            })}
        </div>
        <p><A href="/back-office">{i18n::BACK_OFFICE_TITLE}</A></p>
    }
}

#[component]
fn Report(report: RegisterImportReport) -> impl IntoView {
    let summary = format!(
        "Registre du {} : {} créé(s), {} mis à jour, {} inchangé(s), {} refusé(s) ; {} entité(s) juridique(s) créée(s).",
        report.extract_date,
        report.created,
        report.updated,
        report.unchanged,
        report.refused,
        report.legal_entities_created
    );
    view! {
        <Alert kind=if report.refused == 0 { "succes" } else { "info" } title=i18n::REGISTER_DONE.to_string() text=summary/>
        {(!report.refusals.is_empty()).then(|| view! {
            <table class="empilable">
                <caption>{i18n::REGISTER_REFUSED_LINES}</caption>
                <thead><tr>
                    <th scope="col">{i18n::COL_LINE}</th>
                    <th scope="col">{i18n::COL_REASON}</th>
                </tr></thead>
                <tbody>
                    {report.refusals.iter().map(|r| view! {
                        <tr>
                            <td data-label=i18n::COL_LINE>{r.line}</td>
                            <td data-label=i18n::COL_REASON>{r.reason.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
