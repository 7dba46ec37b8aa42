//! A message block: what is wrong and what to do.

use leptos::prelude::*;

#[component]
pub fn Alert(
    #[prop(into)] kind: String,
    #[prop(into)] title: String,
    #[prop(into, optional)] text: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let role = if kind == "erreur" { "alert" } else { "status" };
    view! {
        <div class=format!("alerte alerte-{kind}") role=role>
            <p class="alerte-titre"><strong>{title}</strong></p>
            {(!text.is_empty()).then(|| view! { <p>{text}</p> })}
            {children.map(|c| c())}
        </div>
    }
}
