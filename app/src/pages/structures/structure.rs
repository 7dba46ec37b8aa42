//! A structure's page: its identifiers and coordinates (edited by its mandataires), its legal
//! entity or establishments, what one can do for it, the people with a role in it, and its
//! history (local edits and the FINESS register's overrides).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::{
    structure_field_label, ChangeSource, Coordinates, Delegation, Role, StructureChange,
    StructureDetail, StructurePerson,
};
use shared::delegation::DelegationStatus;

use crate::api;
use crate::components::alert::Alert;
use crate::components::confirmation::Confirmation;
use crate::components::loaded::Loaded;
use crate::components::page::{focus_first, page_title};
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
    let asking = RwSignal::new(None::<StructurePerson>);
    // Whether the structure could be read, kept while it is read again.
    let readable = Memo::new(move |before: Option<&bool>| match detail.get() {
        Some(r) => r.is_ok(),
        None => before.copied().unwrap_or(false),
    });
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
            <People structure_id=s.id.clone() people=s.people.clone() represents=represents().is_some()
                asking=asking/>
        </Loaded>
        {move || represents().map(|id| view! {
            <EndMandate structure_id=id.clone() asking=asking on_done=Callback::new(move |_| detail.refetch())/>
            <Delegations structure_id=id/>
        })}
        // The history of a structure one may read (a refusal is said once, above).
        {move || readable.get().then(|| view! {
            <h2 id="titre-historique">{i18n::STRUCTURE_HISTORY}</h2>
            <Loaded resource=history let:changes>
                <History changes=changes/>
            </Loaded>
        })}
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

/// The legal representative and the mandataires; the legal representative ends a mandate
/// (confirmed first) or replaces a mandataire from here. The question and the result are drawn
/// by the page, outside the reloaded structure, so that the result stays and takes the focus.
#[component]
fn People(
    structure_id: String,
    people: Vec<StructurePerson>,
    represents: bool,
    asking: RwSignal<Option<StructurePerson>>,
) -> impl IntoView {
    let designate = format!("/espace/structures/{structure_id}/mandataires/designer");
    view! {
        <h2>{i18n::PEOPLE_TITLE}</h2>
        {represents.then(|| view! { <p><A href=designate.clone()>{i18n::DESIGNATE_LINK}</A></p> })}
        <table class="empilable">
            <caption class="visuellement-cache">{i18n::PEOPLE_TITLE}</caption>
            <thead><tr>
                <th scope="col">{i18n::COL_NAME}</th>
                <th scope="col">{i18n::COL_FIRST_NAME}</th>
                <th scope="col">{i18n::NATIONAL_ID}</th>
                <th scope="col">{i18n::COL_ROLE}</th>
                {represents.then(|| view! { <th scope="col">{i18n::COL_ACTIONS}</th> })}
            </tr></thead>
            <tbody>
                {people.into_iter().map(|p| {
                    let actions = (represents && p.role == Role::Mandataire).then(|| {
                        let person = p.clone();
                        let replace = format!("{designate}?remplace={}", js_sys::encode_uri_component(&p.national_id));
                        let name = format!("{} {}", p.given_name, p.family_name);
                        view! {
                            <button type="button" aria-label=format!("{} : {name}", i18n::END_MANDATE)
                                on:click=move |_| asking.set(Some(person.clone()))>{i18n::END_MANDATE}</button>
                            " "
                            <A href=replace attr:aria-label=format!("{} {name}", i18n::REPLACE)>{i18n::REPLACE}</A>
                        }
                    });
                    view! {
                        <tr>
                            <td data-label=i18n::COL_NAME>{p.family_name.clone()}</td>
                            <td data-label=i18n::COL_FIRST_NAME>{p.given_name.clone()}</td>
                            <td data-label=i18n::NATIONAL_ID>{p.national_id.clone()}</td>
                            <td data-label=i18n::COL_ROLE>{p.role.label()}</td>
                            {represents.then(|| view! { <td data-label=i18n::COL_ACTIONS class="actions">{actions}</td> })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Ending a mandate: the question, then the result, which takes the focus.
#[component]
fn EndMandate(
    structure_id: String,
    asking: RwSignal<Option<StructurePerson>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let end = Action::new_local(move |p: &StructurePerson| {
        let (id, national_id) = (structure_id.clone(), p.national_id.clone());
        async move {
            let csrf = SessionContext::get()
                .current()
                .map(|m| m.csrf_token)
                .unwrap_or_default();
            let r = api::end_mandate(&id, &national_id, &csrf).await;
            if r.is_ok() {
                on_done.run(());
            }
            r.map(|_| ()).map_err(|e| e.message)
        }
    });
    Effect::new(move |_| {
        if end.value().get().is_some() {
            request_animation_frame(|| focus_first("#resultat-mandat"));
        }
    });
    let confirm = move || {
        asking.get().map(|p| {
            let question = i18n::confirm_end_mandate(&format!("{} {}", p.given_name, p.family_name));
            view! {
                <Confirmation question=question pending=end.pending()
                    on_confirm=Callback::new(move |_| { end.dispatch(p.clone()); asking.set(None); })
                    on_cancel=Callback::new(move |_| asking.set(None))/>
            }
        })
    };
    view! {
        {confirm}
        <div role="status" aria-live="polite" id="resultat-mandat" tabindex="-1">
            {move || end.value().get().map(|r| match r {
                Ok(()) => view! { <Alert kind="succes" title=i18n::MANDATE_ENDED_DONE.to_string()/> }.into_any(),
                Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            })}
        </div>
    }
}

/// The structure's delegations, for its legal representative: status, reason of a rejection,
/// the identity document while it is kept, and the withdrawal of a waiting one (confirmed).
#[component]
fn Delegations(structure_id: String) -> impl IntoView {
    let list = LocalResource::new({
        let id = structure_id.clone();
        move || {
            let id = id.clone();
            async move { api::get_delegations(&id).await }
        }
    });
    let asking = RwSignal::new(None::<Delegation>);
    let withdraw = Action::new_local({
        let structure_id = structure_id.clone();
        move |d: &String| {
            let (id, delegation) = (structure_id.clone(), d.clone());
            async move {
                let csrf = SessionContext::get()
                    .current()
                    .map(|m| m.csrf_token)
                    .unwrap_or_default();
                let r = api::withdraw_delegation(&id, &delegation, &csrf).await;
                list.refetch();
                r.map(|_| ()).map_err(|e| e.message)
            }
        }
    });
    Effect::new(move |_| {
        if withdraw.value().get().is_some() {
            request_animation_frame(|| focus_first("#resultat-delegation"));
        }
    });
    let confirm = move || {
        asking.get().map(|d| {
            let question = i18n::confirm_withdraw(&format!("{} {}", d.given_name, d.family_name));
            view! {
                <Confirmation question=question pending=withdraw.pending()
                    on_confirm=Callback::new(move |_| { withdraw.dispatch(d.id.clone()); asking.set(None); })
                    on_cancel=Callback::new(move |_| asking.set(None))/>
            }
        })
    };
    view! {
        <h2 id="titre-delegations">{i18n::DELEGATIONS_TITLE}</h2>
        {confirm}
        <div role="status" aria-live="polite" id="resultat-delegation" tabindex="-1">
            {move || withdraw.value().get().map(|r| match r {
                Ok(()) => view! { <Alert kind="succes" title=i18n::DELEGATION_WITHDRAWN.to_string()/> }.into_any(),
                Err(message) => view! { <Alert kind="erreur" title=message/> }.into_any(),
            })}
        </div>
        <Loaded resource=list let:l>
            {if l.delegations.is_empty() {
                view! { <p>{i18n::NO_DELEGATION}</p> }.into_any()
            } else {
                view! {
                    <table class="empilable" aria-labelledby="titre-delegations">
                        <thead><tr>
                            <th scope="col">{i18n::COL_DATE}</th>
                            <th scope="col">{i18n::COL_PERSON}</th>
                            <th scope="col">{i18n::COL_STATUS}</th>
                            <th scope="col">{i18n::COL_DOCUMENT}</th>
                            <th scope="col">{i18n::COL_ACTIONS}</th>
                        </tr></thead>
                        <tbody>
                            {l.delegations.into_iter().map(|d| view! { <DelegationRow d=d asking=asking/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </Loaded>
    }
}

#[component]
fn DelegationRow(d: Delegation, asking: RwSignal<Option<Delegation>>) -> impl IntoView {
    let person = format!("{} {}", d.given_name, d.family_name);
    let status = util::delegation_status(&d, false);
    let document = match &d.document {
        Some(_) => view! {
            <a href=api::delegation_document_url(&d.structure_id, &d.id) target="_blank" rel="noopener"
                aria-label=format!("{} {} ({})", i18n::SEE_DOCUMENT, i18n::de(&person), i18n::DOCUMENT_NEW_TAB)>{i18n::SEE_DOCUMENT}</a>
        }.into_any(),
        None => view! { {i18n::DOCUMENT_GONE} }.into_any(),
    };
    let waiting = (d.status == DelegationStatus::EnAttente).then(|| d.clone());
    view! {
        <tr>
            <td data-label=i18n::COL_DATE>{util::format_time(d.requested_at)}</td>
            <td data-label=i18n::COL_PERSON>{person.clone()}<br/><small>{d.national_id.clone()}</small>
                {i18n::replaces(&d).map(|r| view! { <br/><small>{r}</small> })}
                {d.order_id.clone().map(|o| view! { <br/><A href=format!("/espace/commandes/{o}")>{format!("{} {o}", i18n::COL_ORDER)}</A> })}
            </td>
            <td data-label=i18n::COL_STATUS>{status}</td>
            <td data-label=i18n::COL_DOCUMENT>{document}</td>
            <td data-label=i18n::COL_ACTIONS>
                {waiting.map(|w| view! {
                    <button type="button" aria-label=format!("{} : {person}", i18n::WITHDRAW)
                        on:click=move |_| asking.set(Some(w.clone()))>{i18n::WITHDRAW}</button>
                })}
            </td>
        </tr>
    }
}
