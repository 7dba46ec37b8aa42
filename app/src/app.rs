//! The one route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::header::Header;
use crate::components::page::{focus_first, focus_main_heading};
use crate::i18n;
use crate::pages::{
    audit::journal::{ServiceJournalPage, StructureJournalPage},
    backoffice::{
        contracts::ContractsPage, crls::CrlPage, delegations::DelegationsPage, queue::OperatorPage,
        register::RegisterPage,
    },
    fleet::card::CardPage,
    fleet::list::FleetListPage,
    help::faq::FaqPage,
    not_found::NotFoundPage,
    orders::{
        check_file::CheckFilePage, deposit::DepositPage, detail::OrderPage, list::OrdersPage,
        order_form::OrderFormPage,
    },
    session::{diagnostic::DiagnosticPage, home::HomePage},
    structures::{designate::DesignationPage, space::SpacePage, structure::StructurePage},
};
use crate::session::SessionContext;

#[component]
pub fn App() -> impl IntoView {
    SessionContext::provide();
    view! {
        <Router>
            <a class="lien-evitement" href="#contenu" on:click=|ev| {
                // The router would treat the link as a navigation: move the focus ourselves.
                ev.prevent_default();
                focus_first("#contenu");
            }>{i18n::SKIP_TO_CONTENT}</a>
            <FocusOnNavigation/>
            <Header/>
            <main id="contenu" tabindex="-1">
                <Routes fallback=|| view! { <NotFoundPage/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/espace") view=SpacePage/>
                    <Route path=path!("/espace/structures/:id") view=StructurePage/>
                    <Route path=path!("/espace/structures/:id/commander") view=OrderFormPage/>
                    <Route path=path!("/espace/structures/:id/mandataires/designer") view=DesignationPage/>
                    <Route path=path!("/espace/structures/:id/deposer") view=DepositPage/>
                    <Route path=path!("/espace/structures/:id/commandes") view=OrdersPage/>
                    <Route path=path!("/espace/structures/:id/parc") view=FleetListPage/>
                    <Route path=path!("/espace/structures/:id/cartes/:serial") view=CardPage/>
                    <Route path=path!("/espace/commandes/:order_id") view=OrderPage/>
                    <Route path=path!("/espace/structures/:id/journal") view=StructureJournalPage/>
                    <Route path=path!("/back-office") view=OperatorPage/>
                    <Route path=path!("/back-office/journal") view=ServiceJournalPage/>
                    <Route path=path!("/back-office/crl") view=CrlPage/>
                    <Route path=path!("/back-office/registre") view=RegisterPage/>
                    <Route path=path!("/back-office/delegations") view=DelegationsPage/>
                    <Route path=path!("/back-office/contrats") view=ContractsPage/>
                    <Route path=path!("/controle-du-poste") view=DiagnosticPage/>
                    <Route path=path!("/faq") view=FaqPage/>
                    <Route path=path!("/verifier-un-fichier") view=CheckFilePage/>
                </Routes>
            </main>
            <footer class="pied">
                <p>{i18n::FOOTER}</p>
            </footer>
        </Router>
    }
}

/// After each client-side navigation (not the first load, where the skip link comes first),
/// the focus goes to the new page's main heading.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_main_heading();
        }
        path
    });
}
