//! A line's status badge (label, lateness, waiting time, reason) and its dated steps: the same
//! on the order page and in the back-office.

use leptos::prelude::*;
use shared::api::OrderLine;
use shared::tracking::format_duration;

use crate::i18n;
use crate::util;

/// The steps a line went through, with their times.
pub fn steps(line: &OrderLine) -> Vec<(&'static str, String)> {
    let t = &line.times;
    [
        ("Soumise", Some(t.submitted_at)),
        ("Justificatif déposé", t.document_at),
        ("Acceptée", t.accepted_at),
        ("Rejetée", t.rejected_at),
        ("Fabriquée", t.fabricated_at),
        ("Carte expédiée", t.card_shipped_at),
        ("Codes expédiés", t.codes_shipped_at),
        ("Livrée", t.delivered_at),
    ]
    .into_iter()
    .filter_map(|(label, at)| at.map(|at| (label, util::format_time(at))))
    .collect()
}

/// The dated steps as a list.
#[component]
pub fn Steps(line: OrderLine) -> impl IntoView {
    view! {
        <ul class="etapes">
            {steps(&line).into_iter().map(|(label, at)| view! { <li>{format!("{label} : {at}")}</li> }).collect_view()}
        </ul>
    }
}

/// The status cell: label, lateness and waiting time.
pub fn status_cell(line: &OrderLine) -> impl IntoView {
    let class = if line.late { "badge retard" } else { "badge" };
    view! {
        <span class=class>{line.status.label()}</span>
        {line.late.then(|| view! { " " <span class="badge retard">{i18n::LATE}</span> })}
        <br/><small>{format!("{} : {}", i18n::COL_AGE, format_duration(line.age_seconds))}</small>
        {line.reason.clone().map(|r| view! { <br/><small>{format!("Motif : {r}")}</small> })}
    }
}
