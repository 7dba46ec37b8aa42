//! The fleet's two charts, drawn as SVG: live cards expiring per month over 36 months (each bar
//! a button that filters the list to its month) and cards by state (each segment filters too).
//! Every figure is also in the bars' accessible names and in a table for screen readers.

use leptos::prelude::*;
use shared::api::{FleetSummary, MonthCount};
use shared::fleet::CardState;

use crate::i18n;

/// « mars 2027 » for `2027-03`.
pub fn month_label(month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or(("", ""));
    let name = m
        .parse::<usize>()
        .ok()
        .and_then(|m| i18n::MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("");
    format!("{name} {y}")
}

const W: f64 = 720.0;
const H: f64 = 160.0;

/// Bars of cards expiring per month; `on_pick` gets the month of a clicked bar.
#[component]
pub fn ExpiryChart(
    months: Vec<MonthCount>,
    selected: Signal<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let max = months.iter().map(|m| m.count).max().unwrap_or(0).max(1) as f64;
    let n = months.len().max(1) as f64;
    let step = W / n;
    let bar = step * 0.75;
    let bars = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let height = if m.count == 0 { 1.0 } else { (m.count as f64 / max) * (H - 20.0) };
            let x = i as f64 * step + (step - bar) / 2.0;
            let y = H - height;
            let month = m.month.clone();
            let label = format!("{} : {} {}", month_label(&m.month), m.count, i18n::cards_word(m.count));
            let pick = month.clone();
            let is_selected = {
                let month = month.clone();
                Signal::derive(move || selected.get() == month)
            };
            // The year under its January, and under the first bar unless a January follows soon.
            let first_of_year = m.month.ends_with("-01")
                || (i == 0 && !(m.month.ends_with("-11") || m.month.ends_with("-12")));
            view! {
                <g class="barre" role="button" tabindex="0" aria-label=label.clone()
                    aria-pressed=move || if is_selected.get() { "true" } else { "false" }
                    on:click={ let pick = pick.clone(); move |_| on_pick.run(pick.clone()) }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" || ev.key() == " " {
                            ev.prevent_default();
                            on_pick.run(pick.clone());
                        }
                    }>
                    <title>{label.clone()}</title>
                    <rect x=format!("{x:.1}") y="0" width=format!("{step:.1}") height=format!("{H}") class="zone"/>
                    <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{height:.1}")
                        class=move || if is_selected.get() { "valeur choisie" } else { "valeur" }/>
                    {(m.count > 0).then(|| view! {
                        <text x=format!("{:.1}", x + bar / 2.0) y=format!("{:.1}", y - 3.0) class="nombre">{m.count}</text>
                    })}
                    {first_of_year.then(|| view! {
                        <text x=format!("{x:.1}") y=format!("{:.1}", H + 14.0) class="annee">{m.month[..4].to_string()}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="graphique">
            <figcaption>{i18n::CHART_EXPIRIES}</figcaption>
            <svg viewBox=format!("0 0 {W} {}", H + 20.0) role="group" aria-label=i18n::CHART_EXPIRIES class="echeances">
                {bars}
            </svg>
        </figure>
    }
}

/// Cards by state, as a row of buttons with a proportional bar each.
#[component]
pub fn StateBreakdown(
    summary: FleetSummary,
    selected: Signal<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let total = summary.total.max(1) as f64;
    view! {
        <ul class="repartition" aria-label=i18n::CHART_STATES>
            {summary.states.into_iter().map(|s| {
                let label = CardState::from_code(&s.state).map(|c| c.label()).unwrap_or("");
                let width = (s.count as f64 / total * 100.0).max(if s.count > 0 { 1.0 } else { 0.0 });
                let code = s.state.clone();
                let pressed = {
                    let code = code.clone();
                    move || if selected.get() == code { "true" } else { "false" }
                };
                view! {
                    <li>
                        <button type="button" class=format!("etat etat-{}", s.state) aria-pressed=pressed
                            on:click=move |_| on_pick.run(code.clone())>
                            <span class="etat-nom">{label}</span>
                            <span class="etat-nombre">{s.count}</span>
                            <svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" class="etat-barre">
                                <rect x="0" y="0" width=format!("{width:.1}") height="6"/>
                            </svg>
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
