//! "Journal d'audit": who did what and when, filtered by date and action, a page at a time,
//! downloadable as CSV for Excel. The structure's journal for its legal representative
//! (`/espace/structures/:id/journal`), the whole service's for operators (`/back-office/journal`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::{AuditAction, AuditEntry};

use crate::api::{self, AuditQuery};
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::util::{self, event_target};

/// The legal representative's view of their structure's journal.
#[component]
pub fn StructureJournalPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let back = move || format!("/espace/structures/{}", id());
    view! {
        <Journal structure=Signal::derive(move || Some(id()))/>
        <p><A href=back>{i18n::BACK_TO_STRUCTURE}</A></p>
    }
}

/// The operators' view of the whole service's journal.
#[component]
pub fn ServiceJournalPage() -> impl IntoView {
    view! {
        <Journal structure=Signal::derive(|| None)/>
        <p><A href="/back-office">{i18n::BACK_OFFICE_TITLE}</A></p>
    }
}

fn who(e: &AuditEntry) -> String {
    let role = match e.actor_role.as_str() {
        "mandataire" => "mandataire",
        "representant_legal" => "représentant légal",
        "operateur" => "opérateur",
        "systeme" => return "TOM (tâche automatique)".to_string(),
        _ => "titulaire",
    };
    format!("{} ({role})", e.actor_national_id)
}

#[component]
fn Journal(structure: Signal<Option<String>>) -> impl IntoView {
    page_title(|| i18n::AUDIT_TITLE.to_string());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // Keyset paging: the older pages start before the last position seen.
    let before = RwSignal::new(None::<i64>);
    let query = move || AuditQuery {
        structure: structure.get(),
        action: action.get(),
        from: from.get(),
        to: to.get(),
        before: before.get(),
    };
    let page = LocalResource::new(move || {
        let q = query();
        async move { api::get_audit(&q).await }
    });
    let reset = move || before.set(None);
    let date_input =
        move |label: &'static str, field_id: &'static str, signal: RwSignal<String>| {
            view! {
                <div class="champ">
                    <label for=field_id>{label}</label>
                    <input id=field_id type="date" prop:value=move || signal.get()
                        on:change=move |ev| {
                            signal.set(event_target::<web_sys::HtmlInputElement>(&ev).value());
                            reset();
                        }/>
                </div>
            }
        };
    let csv_href = move || {
        api::audit_csv_url(&AuditQuery {
            before: None,
            ..query()
        })
    };
    view! {
        <h1>{i18n::AUDIT_TITLE}</h1>
        <p>{i18n::AUDIT_INTRO}</p>
        <div class="filtres" role="search">
            <div class="champ">
                <label for="filtre-action">{i18n::COL_ACTION}</label>
                <select id="filtre-action" on:change=move |ev| {
                    action.set(event_target::<web_sys::HtmlSelectElement>(&ev).value());
                    reset();
                }>
                    <option value="">{i18n::FILTER_ALL}</option>
                    {AuditAction::ALL
                        .into_iter()
                        // Logins and logouts belong to no structure: only the service's journal has them.
                        .filter(move |a| structure.get_untracked().is_none() || !matches!(a, AuditAction::Connexion | AuditAction::Deconnexion))
                        .map(|a| view! { <option value=a.code()>{a.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            {date_input(i18n::AUDIT_FROM, "journal-du", from)}
            {date_input(i18n::AUDIT_TO, "journal-au", to)}
        </div>
        <p><a href=csv_href download>{i18n::AUDIT_DOWNLOAD}</a></p>
        <Loaded resource=page let:p>
            {if p.entries.is_empty() {
                view! { <p>{i18n::AUDIT_EMPTY}</p> }.into_any()
            } else {
                let next = p.next_before;
                view! {
                    <table class="empilable">
                        <caption class="visuellement-cache">{i18n::AUDIT_TITLE}</caption>
                        <thead><tr>
                            <th scope="col">{i18n::COL_AUDIT_SEQ}</th>
                            <th scope="col">{i18n::COL_DATE}</th>
                            <th scope="col">{i18n::COL_ACTION}</th>
                            <th scope="col">{i18n::COL_OBJECT}</th>
                            <th scope="col">{i18n::COL_WHO}</th>
                            <th scope="col">{i18n::COL_STRUCTURE}</th>
                        </tr></thead>
                        <tbody>
                            {p.entries.into_iter().map(|e| {
                                let action = AuditAction::parse(&e.action).map(|a| a.label().to_string()).unwrap_or_else(|| e.action.clone());
                                view! {
                                    <tr>
                                        <td data-label=i18n::COL_AUDIT_SEQ>{e.seq}</td>
                                        <td data-label=i18n::COL_DATE>{util::format_time(e.at)}</td>
                                        <td data-label=i18n::COL_ACTION>{action}</td>
                                        <td data-label=i18n::COL_OBJECT>{e.object.clone()}</td>
                                        <td data-label=i18n::COL_WHO>{who(&e)}</td>
                                        <td data-label=i18n::COL_STRUCTURE>{e.structure_id.clone().unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p class="pagination">
                        {move || before.get().is_some().then(|| view! {
                            <button type="button" on:click=move |_| before.set(None)>{i18n::AUDIT_NEWEST}</button>
                        })}
                        {next.map(|n| view! {
                            <button type="button" on:click=move |_| before.set(Some(n))>{i18n::AUDIT_OLDER}</button>
                        })}
                    </p>
                }.into_any()
            }}
        </Loaded>
    }
}
