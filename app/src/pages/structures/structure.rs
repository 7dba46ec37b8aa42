//! A structure's page: its identifiers and coordinates (edited by its mandataires), its legal
//! entity or establishments, what one can do for it, the people with a role in it, and its
//! history (local edits and the FINESS register's overrides).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::{
    structure_field_label, ChangeSource, Coordinates, StructureChange, StructureDetail,
};

use crate::api;
use crate::components::alert::Alert;
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::session::SessionContext;
use crate::util;

#[component]
pub fn StructurePage() -> impl IntoView {
    let params = use_params_map();
    let session = SessionContext::get();
    let id = move || params.get().get("id").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_structure(&id).await }
    });
    let history = LocalResource::new(move || {
        let id = id();
        async move { api::get_structure_history(&id).await }
    });
    // The heading is there from the start (focus after navigation), named once the answer is in.
    let name = move || {
        detail
            .get()
            .and_then(Result::ok)
            .map(|s| s.name)
            .unwrap_or_else(|| i18n::COL_STRUCTURE.to_string())
    };
    page_title(name);
    let acts_for = move || crate::session::my_structure(&id()).map(|s| s.id);
    let represents = move || {
        crate::session::my_structure(&id())
            .filter(|s| s.role == shared::api::Role::RepresentantLegal)
            .map(|s| s.id)
    };
    let csrf = move || session.current().map(|m| m.csrf_token).unwrap_or_default();
    let save = Action::new_local(move |c: &Coordinates| {
        let (c, id) = (c.clone(), id());
        async move {
            let r = api::put_structure(&id, &c, &csrf()).await;
            detail.refetch();
            history.refetch();
            r.map(|_| ()).map_err(|e| e.message)
        }
    });
    view! {
        <h1>{name}</h1>
        <Loaded resource=detail let:s>
            <dl class="identifiants">
                <dt>{i18n::STRUCTURE_KIND}</dt><dd>{s.kind.label()}</dd>
                <dt>{i18n::COL_FINESS}</dt><dd>{s.finess.clone().unwrap_or_default()}</dd>
                <dt>{i18n::COL_SIRET}</dt><dd>{s.siret.clone().unwrap_or_default()}</dd>
                <dt>{i18n::NATIONAL_ID}</dt><dd>{s.id.clone()}</dd>
                {(!s.category.is_empty()).then(|| view! {
                    <dt>{i18n::STRUCTURE_CATEGORY}</dt><dd>{s.category.clone()}</dd>
                })}
                {s.legal_entity.clone().map(|ej| view! {
                    <dt>{i18n::LEGAL_ENTITY}</dt>
                    <dd><A href=format!("/espace/structures/{}", ej.id)>{format!("{} ({})", ej.name, ej.finess.unwrap_or_default())}</A></dd>
                })}
            </dl>
            <Coordinates detail=s.clone()/>
            {(!s.establishments.is_empty()).then(|| view! {
                <h2>{i18n::ESTABLISHMENTS}</h2>
                <ul class="etablissements">
                    {s.establishments.iter().map(|e| view! {
                        <li><A href=format!("/espace/structures/{}", e.id)>{format!("{} ({})", e.name, e.finess.clone().unwrap_or_default())}</A></li>
                    }).collect_view()}
                </ul>
            })}
            {move || acts_for().map(|id| view! {
                <ul class="actions-structure">
                    <li><A href=format!("/espace/structures/{id}/parc")>{i18n::FLEET_LINK}</A></li>
                    <li><A href=format!("/espace/structures/{id}/commander")>{i18n::ORDER_CARD}</A></li>
                    <li><A href=format!("/espace/structures/{id}/deposer")>{i18n::DEPOSIT_TITLE}</A></li>
                    <li><A href=format!("/espace/structures/{id}/commandes")>{i18n::ORDERS_TITLE}</A></li>
                    {represents().map(|id| view! {
                        <li><A href=format!("/espace/structures/{id}/journal")>{i18n::AUDIT_LINK}</A></li>
                    })}
                </ul>
            })}
            {
                let s = s.clone();
                move || acts_for().map(|_| view! { <CoordinatesForm detail=s.clone() save=save/> })
            }
            <h2>{i18n::PEOPLE_TITLE}</h2>
            <table class="empilable">
                <caption class="visuellement-cache">{i18n::PEOPLE_TITLE}</caption>
                <thead><tr>
                    <th scope="col">{i18n::COL_NAME}</th>
                    <th scope="col">{i18n::COL_FIRST_NAME}</th>
                    <th scope="col">{i18n::NATIONAL_ID}</th>
                    <th scope="col">{i18n::COL_ROLE}</th>
                </tr></thead>
                <tbody>
                    {s.people.clone().into_iter().map(|p| view! {
                        <tr>
                            <td data-label=i18n::COL_NAME>{p.family_name.clone()}</td>
                            <td data-label=i18n::COL_FIRST_NAME>{p.given_name.clone()}</td>
                            <td data-label=i18n::NATIONAL_ID>{p.national_id.clone()}</td>
                            <td data-label=i18n::COL_ROLE>{p.role.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Loaded>
        <h2 id="titre-historique">{i18n::STRUCTURE_HISTORY}</h2>
        <Loaded resource=history let:changes>
            <History changes=changes/>
        </Loaded>
        <p><A href="/espace">{i18n::BACK_TO_SPACE}</A></p>
    }
}

#[component]
fn Coordinates(detail: StructureDetail) -> impl IntoView {
    let c = detail.coordinates;
    let lines: Vec<String> = [c.address_line, c.address_complement, c.postal_line]
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect();
    view! {
        <h2>{i18n::COORDINATES}</h2>
        <address>
            {lines.into_iter().map(|l| view! { <span>{l}</span><br/> }).collect_view()}
        </address>
        <dl class="coordonnees">
            <dt>{i18n::PHONE}</dt><dd>{c.phone}</dd>
            <dt>{i18n::EMAIL}</dt><dd>{c.email}</dd>
        </dl>
    }
}

#[component]
fn CoordinatesForm(
    detail: StructureDetail,
    save: Action<Coordinates, Result<(), String>>,
) -> impl IntoView {
    let c = detail.coordinates;
    let fields = [
        ("structure-nom", i18n::STRUCTURE_NAME, RwSignal::new(c.name)),
        (
            "structure-adresse",
            i18n::ADDRESS_LINE,
            RwSignal::new(c.address_line),
        ),
        (
            "structure-complement",
            i18n::ADDRESS_COMPLEMENT,
            RwSignal::new(c.address_complement),
        ),
        (
            "structure-commune",
            i18n::POSTAL_LINE,
            RwSignal::new(c.postal_line),
        ),
        ("structure-telephone", i18n::PHONE, RwSignal::new(c.phone)),
        ("structure-courriel", i18n::EMAIL, RwSignal::new(c.email)),
    ];
    let values = fields.map(|(_, _, v)| v);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [name, address_line, address_complement, postal_line, phone, email] =
            values.map(|v| v.get_untracked());
        save.dispatch(Coordinates {
            name,
            address_line,
            address_complement,
            postal_line,
            phone,
            email,
        });
    };
    view! {
        <section aria-labelledby="titre-coordonnees">
            <h2 id="titre-coordonnees">{i18n::CHANGE_COORDINATES}</h2>
            <p>{i18n::REGISTER_WINS}</p>
            <form on:submit=submit novalidate>
                {fields.into_iter().map(|(input_id, label, value)| view! {
                    <div class="champ">
                        <label for=input_id>{label}</label>
                        <input id=input_id type="text" prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))/>
                    </div>
                }).collect_view()}
                <button type="submit" disabled=move || save.pending().get()>{i18n::SAVE_COORDINATES}</button>
            </form>
            <div role="status" aria-live="polite">
                {move || save.value().get().map(|r| match r {
                    Ok(()) => view! { <Alert kind="succes" title=i18n::COORDINATES_SAVED.to_string()/> }.into_any(),
                    Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn History(changes: Vec<StructureChange>) -> impl IntoView {
    if changes.is_empty() {
        return view! { <p>{i18n::NO_HISTORY}</p> }.into_any();
    }
    view! {
        <table class="empilable" aria-labelledby="titre-historique">
            <thead><tr>
                <th scope="col">{i18n::COL_DATE}</th>
                <th scope="col">{i18n::COL_SOURCE}</th>
                <th scope="col">{i18n::COL_FIELD}</th>
                <th scope="col">{i18n::COL_BEFORE}</th>
                <th scope="col">{i18n::COL_AFTER}</th>
            </tr></thead>
            <tbody>
                {changes.into_iter().map(|c| {
                    let source = match c.source {
                        ChangeSource::Registre => format!("Registre FINESS du {}", c.register_date.clone().unwrap_or_default()),
                        ChangeSource::Modification => format!("Modifié par {}", c.actor_national_id.clone().unwrap_or_default()),
                    };
                    view! {
                        <tr>
                            <td data-label=i18n::COL_DATE>{util::format_time(c.at)}</td>
                            <td data-label=i18n::COL_SOURCE>{source}</td>
                            <td data-label=i18n::COL_FIELD>{structure_field_label(&c.field)}</td>
                            <td data-label=i18n::COL_BEFORE>{c.before.clone()}</td>
                            <td data-label=i18n::COL_AFTER>{c.after.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
