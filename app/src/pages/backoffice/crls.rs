//! « Listes de révocation » (operators): the CRLs this server applies, how fresh each is, and
//! the files or CRLs it refused.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::alert::Alert;
use crate::components::loaded::Loaded;
use crate::components::page::page_title;
use crate::i18n;
use crate::util;

fn state_label(state: &str) -> &'static str {
    match state {
        "a_jour" => "À jour",
        "bientot_perimee" => "Bientôt périmée (moins d'un jour)",
        "perimee" => "Périmée, dans le délai de grâce",
        "cartes_refusees" => "Périmée : les cartes de cette autorité sont refusées",
        _ => "Inconnu",
    }
}

#[component]
pub fn CrlPage() -> impl IntoView {
    page_title(|| i18n::CRL_TITLE.to_string());
    let report = LocalResource::new(api::get_crls);
    view! {
        <h1>{i18n::CRL_TITLE}</h1>
        <p>{i18n::CRL_INTRO}</p>
        <Loaded resource=report let:r>
            {(!r.problems.is_empty()).then(|| view! {
                <Alert kind="erreur" title=i18n::CRL_PROBLEMS.to_string()>
                    <ul>{r.problems.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
                </Alert>
            })}
            <p>{match r.grace_hours {
                Some(h) => format!("Politique : une CRL périmée depuis plus de {h} h fait refuser les cartes de son autorité (revocation_unknown)."),
                None => "Politique : une CRL périmée est signalée dans le journal, les cartes restent acceptées.".to_string(),
            }}</p>
            <table class="empilable">
                <caption class="visuellement-cache">{i18n::CRL_TITLE}</caption>
                <thead><tr>
                    <th scope="col">"Autorité"</th>
                    <th scope="col">"Numéro"</th>
                    <th scope="col">"Prochaine mise à jour"</th>
                    <th scope="col">"Cartes révoquées"</th>
                    <th scope="col">"État"</th>
                </tr></thead>
                <tbody>
                    {r.crls.into_iter().map(|c| view! {
                        <tr>
                            <td data-label="Autorité">{c.issuer.clone()}</td>
                            <td data-label="Numéro">{c.number}</td>
                            <td data-label="Prochaine mise à jour">{c.next_update.map(util::format_time).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Cartes révoquées">{c.revoked}</td>
                            <td data-label="État">{state_label(&c.state)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Loaded>
        <p><A href="/back-office">{i18n::BACK_OFFICE_TITLE}</A></p>
    }
}
