//! « Parc de cartes »: every card of a structure, found by name or identifier as one types,
//! filtered (type, state, profession, month of expiry, expiry window), paged, charted, downloaded
//! with the same filters, and renewed in one order.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use shared::api::{FleetCard, FleetFilter};
use shared::fleet::{CardState, RENEWAL_DAYS};
use shared::nomenclature::PROFESSION;

use super::chart::{month_label, ExpiryChart, StateBreakdown};
use crate::api;
use crate::components::loaded::Loaded;
use crate::components::page::{focus_first, page_title};
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{self, event_target};

const PAGE: u32 = 50;

#[component]
pub fn FleetListPage() -> impl IntoView {
    page_title(|| i18n::FLEET_TITLE.to_string());
    let session = SessionContext::get();
    let params = use_params_map();
    let id = move || params.get().get("id").unwrap_or_default();
    let acts_for = move || crate::session::my_structure(&id()).is_some();
    // The filters live in the page's address, so that « back » from a card, a reload or a link
    // gives the same list.
    let query = use_query_map();
    let filter = RwSignal::new(query.with_untracked(|q| FleetFilter {
        recherche: q.get("recherche").unwrap_or_default(),
        card_type: q.get("type").unwrap_or_default(),
        statut: q.get("statut").unwrap_or_default(),
        profession: q.get("profession").unwrap_or_default(),
        mois: q.get("mois").unwrap_or_default(),
        expire_sous_jours: q.get("expire_sous_jours").and_then(|d| d.parse().ok()),
    }));
    let navigate = use_navigate();
    Effect::new(move |_| {
        let query = filter.with(FleetFilter::to_query);
        let path = format!("/espace/structures/{}/parc", id());
        let url = if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    // The `apres` cursor of each page after the first, up to the page shown.
    let pages = RwSignal::new(Vec::<String>::new());
    let selected = RwSignal::new(Vec::<String>::new());
    let outcome = RwSignal::new(None::<Result<(String, String), String>>);
    let set_filter = move |change: &dyn Fn(&mut FleetFilter)| {
        filter.update(|f| change(f));
        pages.set(Vec::new());
    };
    let page = LocalResource::new(move || {
        let (id, f) = (id(), filter.get());
        let after = pages.with(|p| p.last().cloned().unwrap_or_default());
        async move { api::get_fleet_page(&id, &f, &after, PAGE).await }
    });
    let summary = LocalResource::new(move || {
        let id = id();
        async move { api::get_fleet_summary(&id).await }
    });
    let month = Signal::derive(move || filter.with(|f| f.mois.clone()));
    let state = Signal::derive(move || filter.with(|f| f.statut.clone()));
    let pick_month = Callback::new(move |m: String| {
        set_filter(&|f| {
            f.mois = if f.mois == m {
                String::new()
            } else {
                m.clone()
            };
            if !f.mois.is_empty() {
                f.statut = CardState::Active.code().into();
            }
        })
    });
    let pick_state = Callback::new(move |s: String| {
        set_filter(&|f| {
            f.statut = if f.statut == s {
                String::new()
            } else {
                s.clone()
            }
        })
    });
    let renew = Action::new_local(move |serials: &Vec<String>| {
        let (serials, id) = (serials.clone(), id());
        async move {
            let csrf = session.current().map(|m| m.csrf_token).unwrap_or_default();
            let r = api::renew_cards(&id, serials, &csrf).await;
            outcome.set(Some(match r {
                Ok(done) => Ok((done.message, done.order_id)),
                Err(e) => Err(e.message),
            }));
            // The result is said where the eyes and the keyboard are.
            request_animation_frame(|| focus_first(".resultat-action .alerte"));
            selected.set(Vec::new());
            page.refetch();
        }
    });
    let select_input = move |label: &'static str,
                             field_id: &'static str,
                             options: Vec<(String, String)>,
                             get: fn(&FleetFilter) -> String,
                             set: fn(&mut FleetFilter, String)| {
        view! {
            <div class="champ">
                <label for=field_id>{label}</label>
                <select id=field_id prop:value=move || filter.with(get)
                    on:change=move |ev| {
                        let v = event_target::<web_sys::HtmlSelectElement>(&ev).value();
                        set_filter(&|f| set(f, v.clone()));
                    }>
                    <option value="">{i18n::FILTER_ALL}</option>
                    {options.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let row = move |c: FleetCard, acts: bool| {
        let serial = c.serial.clone();
        let checked = {
            let serial = serial.clone();
            move || selected.with(|s| s.contains(&serial))
        };
        let toggle = {
            let serial = serial.clone();
            move |_| {
                selected.update(|s| {
                    if let Some(i) = s.iter().position(|x| *x == serial) {
                        s.remove(i);
                    } else {
                        s.push(serial.clone());
                    }
                })
            }
        };
        let state = CardState::from_code(&c.state).unwrap_or(CardState::Active);
        let renewable = matches!(state, CardState::Active | CardState::Expiree)
            && c.replacement_order.is_none();
        let link = format!("/espace/structures/{}/cartes/{}", id(), c.serial);
        let name = format!("{} {}", c.family_name, c.given_name);
        view! {
            <tr>
                {acts.then(|| view! {
                    <td data-label=i18n::SELECT>
                        {renewable.then(|| view! {
                            <input type="checkbox" aria-label=format!("{} {name}", i18n::SELECT_FOR_RENEWAL) prop:checked=checked on:change=toggle/>
                        })}
                    </td>
                })}
                <td data-label=i18n::COL_NAME><A href=link>{c.family_name.clone()}</A></td>
                <td data-label=i18n::COL_FIRST_NAME>{c.given_name.clone()}</td>
                <td data-label=i18n::NATIONAL_ID>{c.national_id.clone()}</td>
                <td data-label=i18n::CARD_TYPE>{c.card_type.clone()}</td>
                <td data-label=i18n::COL_PROFESSION>{c.profession.as_deref().and_then(|p| PROFESSION.label(p)).unwrap_or("")}</td>
                <td data-label=i18n::COL_STATE><span class=format!("badge etat-{}", c.state)>{state.label()}</span>
                    {c.end_at.map(|e| view! { <br/><small>{format!("{} {}", i18n::END_SCHEDULED_ON, util::format_date(e))}</small> })}
                    {c.replacement_order.clone().map(|o| view! { <br/><small>{format!("{} {o}", i18n::REPLACEMENT_ORDERED)}</small> })}</td>
                <td data-label=i18n::COL_VALID_UNTIL>{c.not_after.map(util::format_date).unwrap_or_default()}</td>
            </tr>
        }
    };
    view! {
        <h1>{i18n::FLEET_TITLE}</h1>
        {move || summary.get().is_some_and(|r| r.is_ok()).then(|| view! {
        <div class="filtres" role="search">
            <div class="champ recherche">
                <label for="parc-recherche">{i18n::FLEET_SEARCH}</label>
                <input id="parc-recherche" type="search" autocomplete="off" prop:value=move || filter.with(|f| f.recherche.clone())
                    on:input=move |ev| {
                        let v = event_target::<web_sys::HtmlInputElement>(&ev).value();
                        set_filter(&|f| f.recherche = v.clone());
                    }/>
            </div>
            {select_input(i18n::CARD_TYPE, "parc-type",
                ["CPE", "CPA", "CPS", "CDE", "CDA"].iter().map(|t| (t.to_string(), t.to_string())).collect(),
                |f| f.card_type.clone(), |f, v| f.card_type = v)}
            {select_input(i18n::COL_STATE, "parc-statut",
                CardState::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())).collect(),
                |f| f.statut.clone(), |f, v| f.statut = v)}
            {select_input(i18n::COL_PROFESSION, "parc-profession",
                PROFESSION.schema_codes().map(|c| (c.to_string(), format!("{c} - {}", PROFESSION.label(c).unwrap_or("")))).collect(),
                |f| f.profession.clone(), |f, v| f.profession = v)}
            {select_input(i18n::FLEET_EXPIRING, "parc-echeance",
                [30u32, 60, 90, 180, 365].iter().map(|d| (d.to_string(), format!("{d} {}", i18n::DAYS))).collect(),
                |f| f.expire_sous_jours.map(|d| d.to_string()).unwrap_or_default(),
                |f, v| f.expire_sous_jours = v.parse().ok())}
        </div>
        {move || (!month.get().is_empty()).then(|| view! {
            <p class="filtre-actif">{format!("{} {}", i18n::FLEET_MONTH_FILTER, month_label(&month.get()))}
                " " <button type="button" class="lien" on:click=move |_| set_filter(&|f| f.mois.clear())>{i18n::CLEAR_FILTER}</button></p>
        })}
        <p class="telechargements">{i18n::FLEET_DOWNLOAD} " "
            {[("csv", i18n::FORMAT_CSV), ("xlsx", i18n::FORMAT_XLSX), ("xml", i18n::FORMAT_XML)].into_iter().map(|(format, label)| view! {
                <a href=move || api::fleet_export_url(&id(), &filter.get(), format) download="">{label}</a>" "
            }).collect_view()}
        </p>
        })}
        <Loaded resource=summary let:s>
            <p class="total-parc">{format!("{} {}", s.total, i18n::cards_word(s.total))}</p>
            <StateBreakdown summary=s.clone() selected=state on_pick=pick_state/>
            <ExpiryChart months=s.expiries.clone() selected=month on_pick=pick_month/>
        </Loaded>

        <div aria-live="polite" class="resultat-action">
            {move || outcome.get().map(|o| match o {
                Ok((message, order)) => view! {
                    <div class="alerte alerte-succes" role="status"><p>{message}</p>
                        <p><A href=format!("/espace/commandes/{order}")>{i18n::SEE_ORDER}</A></p></div>
                }.into_any(),
                Err(message) => view! { <div class="alerte alerte-erreur" role="alert"><p>{message}</p></div> }.into_any(),
            })}
        </div>
        {move || (acts_for() && !selected.with(Vec::is_empty)).then(|| {
            let n = selected.with(Vec::len);
            view! {
                <p class="renouvellement">
                    <button type="button" disabled=move || renew.pending().get()
                        on:click=move |_| { renew.dispatch(selected.get_untracked()); }>
                        {format!("{} ({n} {})", i18n::RENEW_SELECTED, i18n::cards_word(n as i64))}
                    </button>
                    " " <button type="button" class="lien" on:click=move |_| selected.set(Vec::new())>{i18n::UNSELECT_ALL}</button>
                </p>
            }
        })}
        <Loaded resource=page let:p>
            {
                let acts = acts_for();
                let serials: Vec<String> = p.cards.iter()
                    .filter(|c| matches!(CardState::from_code(&c.state), Some(CardState::Active | CardState::Expiree)) && c.replacement_order.is_none())
                    .map(|c| c.serial.clone()).collect();
                let next = p.next.clone();
                view! {
                    <p class="compte" aria-live="polite">{format!("{} {}", p.total, i18n::cards_found(p.total))}</p>
                    {acts.then(|| view! {
                        <p>
                            <button type="button" class="lien" on:click=move |_| set_filter(&|f| { f.expire_sous_jours = Some(RENEWAL_DAYS); f.statut.clear(); f.mois.clear(); })>
                                {i18n::SHOW_RENEWABLE}
                            </button>
                            " "
                            <button type="button" class="lien" on:click={ let serials = serials.clone(); move |_| selected.update(|s| {
                                for x in &serials { if !s.contains(x) { s.push(x.clone()); } }
                            }) }>{i18n::SELECT_PAGE}</button>
                        </p>
                    })}
                    {if p.cards.is_empty() {
                        view! { <p>{i18n::NO_CARDS}</p> }.into_any()
                    } else {
                        view! {
                            <table class="parc empilable">
                                <caption class="visuellement-cache">{i18n::FLEET_TITLE}</caption>
                                <thead><tr>
                                    {acts.then(|| view! { <th scope="col">{i18n::SELECT}</th> })}
                                    <th scope="col">{i18n::COL_NAME}</th>
                                    <th scope="col">{i18n::COL_FIRST_NAME}</th>
                                    <th scope="col">{i18n::NATIONAL_ID}</th>
                                    <th scope="col">{i18n::CARD_TYPE}</th>
                                    <th scope="col">{i18n::COL_PROFESSION}</th>
                                    <th scope="col">{i18n::COL_STATE}</th>
                                    <th scope="col">{i18n::COL_VALID_UNTIL}</th>
                                </tr></thead>
                                <tbody>{p.cards.into_iter().map(|c| row(c, acts)).collect_view()}</tbody>
                            </table>
                        }.into_any()
                    }}
                    <nav class="pagination" aria-label=i18n::PAGES>
                        {
                            let total = p.total.max(0) as u32;
                            let count = total.div_ceil(PAGE).max(1);
                            move || (count > 1).then(|| view! {
                                <span class="page-courante" aria-current="page">{format!("Page {} sur {count}", pages.with(Vec::len) + 1)}</span>
                                " "
                            })
                        }
                        {move || (!pages.with(Vec::is_empty)).then(|| view! {
                            <button type="button" on:click=move |_| pages.update(|p| { p.pop(); })>{i18n::PREVIOUS_PAGE}</button>
                        })}
                        {next.map(|n| view! {
                            <button type="button" on:click=move |_| pages.update(|p| p.push(n.clone()))>{i18n::NEXT_PAGE}</button>
                        })}
                    </nav>
                }
            }
        </Loaded>
        <p><A href=move || format!("/espace/structures/{}", id())>{i18n::BACK_TO_STRUCTURE}</A></p>
    }
}
