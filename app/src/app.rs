//! The one route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::pages::{
    check_file::CheckFilePage,
    deposit::DepositPage,
    diagnostic::DiagnosticPage,
    faq::FaqPage,
    home::HomePage,
    not_found::NotFoundPage,
    operator::OperatorPage,
    order_form::OrderFormPage,
    orders::{OrderPage, OrdersPage},
    space::SpacePage,
    structure::StructurePage,
};
use crate::session::SessionContext;

#[component]
pub fn App() -> impl IntoView {
    SessionContext::provide();
    view! {
        <Router>
            <a class="lien-evitement" href="#contenu">"Aller au contenu"</a>
            <Header/>
            <main id="contenu">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/espace") view=SpacePage/>
                    <Route path=path!("/espace/structures/:id") view=StructurePage/>
                    <Route path=path!("/espace/structures/:id/commander") view=OrderFormPage/>
                    <Route path=path!("/espace/structures/:id/deposer") view=DepositPage/>
                    <Route path=path!("/espace/structures/:id/commandes") view=OrdersPage/>
                    <Route path=path!("/espace/commandes/:order_id") view=OrderPage/>
                    <Route path=path!("/back-office") view=OperatorPage/>
                    <Route path=path!("/controle-du-poste") view=DiagnosticPage/>
                    <Route path=path!("/faq") view=FaqPage/>
                    <Route path=path!("/verifier-un-fichier") view=CheckFilePage/>
                </Routes>
            </main>
            <footer class="pied">
                <p>"TOM — téléservice de gestion des cartes CPx. Service de démonstration : les cartes et données sont fictives."</p>
            </footer>
        </Router>
    }
}
