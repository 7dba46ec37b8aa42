//! Card login: the diagnostic of the presented card, opening and closing a session, who is
//! logged in, and whom to contact.

pub mod diagnose;
pub mod login;
pub mod logout;
pub mod routes;
pub mod store;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_diagnostic))
        .routes(routes!(routes::get_me))
        .routes(routes!(routes::get_contact))
        .routes(routes!(routes::login, routes::logout))
}
