//! The issuing service's back-office: the queue across structures, searched by holder, structure
//! or order number, a page at a time; each action (accept, reject with a reason, fabricate, ship
//! the card and the codes, mark delivered) confirmed first and its result said afterwards.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::{OrderLine, Queue};
use shared::tracking::{LineAction, LineProgress, LineStatus};

use crate::api;
use crate::components::confirmation::Confirmation;
use crate::components::line_status::{status_cell, Steps};
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::session::SessionContext;
use crate::util::{event_target, format_date};

/// The actions the shared rules allow on this line now.
fn allowed(line: &OrderLine) -> Vec<LineAction> {
    let progress = LineProgress {
        kind: line.kind,
        needs_document: line.needs_document,
        times: line.times.clone(),
    };
    LineAction::OPERATOR
        .into_iter()
        .filter(|a| progress.check(*a).is_ok())
        .collect()
}

/// An action the operator asked for and has not confirmed yet.
#[derive(Clone, PartialEq)]
struct Pending {
    line: OrderLine,
    action: LineAction,
    reason: String,
}

impl Pending {
    fn is_for(&self, line: &OrderLine) -> bool {
        self.line.order_id == line.order_id && self.line.line_no == line.line_no
    }
}

#[component]
pub fn OperatorPage() -> impl IntoView {
    page_title(|| i18n::BACK_OFFICE.to_string());
    let session = SessionContext::get();
    let status = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    // The `apres` cursor of each page after the first one, up to the page shown.
    let pages = RwSignal::new(Vec::<String>::new());
    let queue = LocalResource::new(move || {
        let (status, search) = (status.get(), search.get());
        let after = pages.with(|p| p.last().cloned().unwrap_or_default());
        async move { api::get_queue(&status, &search, &after).await }
    });
    let pending = RwSignal::new(None::<Pending>);
    // The last action's result, kept when its row leaves the page: Ok(what was done) or the
    // server's message.
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let act = Action::new_local(move |p: &Pending| {
        let p = p.clone();
        async move {
            let csrf = session.current().map(|m| m.csrf_token).unwrap_or_default();
            let reason = (p.action == LineAction::Rejeter).then(|| p.reason.clone());
            let r =
                api::act_on_line(&p.line.order_id, p.line.line_no, p.action, reason, &csrf).await;
            outcome.set(Some(match &r {
                Ok(line) => Ok(i18n::action_done(p.action, line)),
                Err(e) => Err(e.message.clone()),
            }));
            pending.set(None);
            queue.refetch();
        }
    });
    let row = move |l: OrderLine| {
        let reason = RwSignal::new(String::new());
        let actions = allowed(&l);
        let base = format!("/api/operator/lines/{}/{}", l.order_id, l.line_no);
        let reason_id = format!("motif-{}-{}", l.order_id, l.line_no);
        let fabricated = l.times.fabricated_at.is_some();
        let has_document = l.times.document_at.is_some();
        let document = format!("/api/orders/{}/lines/{}/document", l.order_id, l.line_no);
        let holder = match l.civility.as_deref().map(i18n::civility) {
            Some(c) if !c.is_empty() => format!("{c} {}", l.holder),
            _ => l.holder.clone(),
        };
        let ask = {
            let l = l.clone();
            move |action: LineAction| {
                pending.set(Some(Pending {
                    line: l.clone(),
                    action,
                    reason: reason.get_untracked(),
                }));
            }
        };
        let buttons = {
            let ask = ask.clone();
            view! {
                {actions.iter().copied().filter(|a| *a != LineAction::Rejeter).map(|a| {
                    let ask = ask.clone();
                    view! {
                        <button type="button" disabled=move || act.pending().get()
                            on:click=move |_| ask(a)>
                            {a.label()}
                        </button>
                    }
                }).collect_view()}
                {actions.contains(&LineAction::Rejeter).then(|| {
                    let ask = ask.clone();
                    view! {
                        <div class="champ">
                            <label for=reason_id.clone()>{i18n::REJECT_REASON}</label>
                            <input id=reason_id type="text" prop:value=move || reason.get()
                                on:input=move |ev| reason.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
                            <button type="button" disabled=move || act.pending().get()
                                on:click=move |_| ask(LineAction::Rejeter)>
                                {LineAction::Rejeter.label()}
                            </button>
                        </div>
                    }
                })}
            }
        };
        let this = l.clone();
        let confirm = move || {
            pending.get().filter(|p| p.is_for(&this)).map(|p| {
                let question = i18n::confirm_action(p.action, &p.line, &p.reason);
                view! {
                    <Confirmation question=question pending=act.pending()
                        on_confirm=Callback::new(move |_| { act.dispatch(p.clone()); })
                        on_cancel=Callback::new(move |_| pending.set(None))/>
                }
            })
        };
        let order_link = format!("/espace/commandes/{}", l.order_id);
        let order_text = l.order_id.clone();
        let this = l.clone();
        let asking = move || pending.with(|p| p.as_ref().is_some_and(|p| p.is_for(&this)));
        view! {
            <tr class:en-retard=l.late>
                <td data-label=i18n::COL_ORDER>
                    <A href=order_link>{order_text}</A>
                    <br/><small>{format!("{} {}", i18n::COL_REFERENCE, l.issuer_reference)}</small>
                    <br/>{format!("{} {}", i18n::COL_LINE, l.line_no)}
                </td>
                <td data-label=i18n::COL_HOLDER>{holder}</td>
                <td data-label=i18n::COL_CARD>{l.kind.label()}{l.card_type.clone().map(|t| format!(" ({t})"))}</td>
                <td data-label=i18n::COL_STRUCTURE>{l.structure_name.clone()}<br/><small>{l.structure_id.clone()}</small></td>
                <td data-label=i18n::COL_SUBMITTED>{format_date(l.times.submitted_at)}</td>
                <td data-label=i18n::COL_STATUS>{status_cell(&l)}
                    <Steps line=l.clone()/>
                </td>
                <td data-label=i18n::COL_ACTIONS class="actions">
                    {confirm}
                    <div hidden=asking>{buttons}</div>
                    {fabricated.then(|| view! {
                        <p>
                            <a href=format!("{base}/carte.p12") download>{i18n::DOWNLOAD_CARD}</a><br/>
                            <a href=format!("{base}/courrier-codes.pdf") download>{i18n::DOWNLOAD_PIN_LETTER}</a>
                        </p>
                    })}
                    {has_document.then(|| view! { <p><a href=document target="_blank">{i18n::DOWNLOAD_DOCUMENT}</a></p> })}
                </td>
            </tr>
        }
    };
    let table = move |q: Queue| {
        let page = pages.with(Vec::len) + 1;
        let empty = if search.with(String::is_empty) {
            i18n::QUEUE_EMPTY
        } else {
            i18n::QUEUE_NOTHING_FOUND
        };
        let next = q.suivant.clone();
        view! {
            <p>{i18n::queue_count(q.total, page)}</p>
            {if q.lines.is_empty() {
                view! { <p>{empty}</p> }.into_any()
            } else { view! {
                <table class="file-attente empilable">
                    <caption class="visuellement-cache">{i18n::BACK_OFFICE_TITLE}</caption>
                    <thead><tr>
                        <th scope="col">{i18n::COL_ORDER}</th>
                        <th scope="col">{i18n::COL_HOLDER}</th>
                        <th scope="col">{i18n::COL_CARD}</th>
                        <th scope="col">{i18n::COL_STRUCTURE}</th>
                        <th scope="col">{i18n::COL_SUBMITTED}</th>
                        <th scope="col">{i18n::COL_STATUS}</th>
                        <th scope="col">{i18n::COL_ACTIONS}</th>
                    </tr></thead>
                    <tbody>{q.lines.into_iter().map(row).collect_view()}</tbody>
                </table>
            }.into_any() }}
            <p class="pagination">
                {(page > 1).then(|| view! {
                    <button type="button" on:click=move |_| pages.update(|p| { p.pop(); })>{i18n::QUEUE_PREVIOUS}</button>
                })}
                {next.map(|n| view! {
                    <button type="button" on:click=move |_| pages.update(|p| p.push(n.clone()))>{i18n::QUEUE_NEXT}</button>
                })}
            </p>
        }
    };
    view! {
        <h1>{i18n::BACK_OFFICE_TITLE}</h1>
        <p><A href="/back-office/journal">{i18n::AUDIT_SERVICE_LINK}</A></p>
        <p><A href="/back-office/crl">{i18n::CRL_TITLE}</A></p>
        <p><A href="/back-office/registre">{i18n::REGISTER_TITLE}</A></p>
        <p><A href="/back-office/delegations">{i18n::WAITING_DELEGATIONS}</A></p>
        <p><A href="/back-office/contrats">{i18n::CONTRACTS_TITLE}</A></p>
        <p>{i18n::BACK_OFFICE_INTRO}</p>
        <form role="search" class="filtres" on:submit=move |ev| {
            ev.prevent_default();
            search.set(typed.get_untracked().trim().to_string());
            pages.set(Vec::new());
        }>
            <div class="champ">
                <label for="recherche-file">{i18n::QUEUE_SEARCH}</label>
                <small id="recherche-file-aide">{i18n::QUEUE_SEARCH_HINT}</small>
                <input id="recherche-file" type="search" aria-describedby="recherche-file-aide"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target::<web_sys::HtmlInputElement>(&ev).value())/>
            </div>
            <button type="submit">{i18n::QUEUE_SEARCH_BUTTON}</button>
            {move || (!search.with(String::is_empty)).then(|| view! {
                <button type="button" on:click=move |_| {
                    typed.set(String::new());
                    search.set(String::new());
                    pages.set(Vec::new());
                }>{i18n::QUEUE_SEARCH_CLEAR}</button>
            })}
            <div class="champ">
                <label for="filtre-statut">{i18n::FILTER_STATUS}</label>
                <select id="filtre-statut" on:change=move |ev| {
                    status.set(event_target::<web_sys::HtmlSelectElement>(&ev).value());
                    pages.set(Vec::new());
                }>
                    <option value="">{i18n::OPEN_LINES}</option>
                    {LineStatus::ALL.into_iter().map(|s| view! { <option value=s.code()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
        </form>
        <div role="status" aria-live="polite" aria-label=i18n::QUEUE_RESULT>
            {move || outcome.get().map(|o| match o {
                Ok(done) => view! { <p class="alerte alerte-succes">{done}</p> }.into_any(),
                Err(message) => view! { <p class="alerte alerte-erreur">{message}</p> }.into_any(),
            })}
        </div>
        <Loaded resource=queue children=table/>
    }
}
