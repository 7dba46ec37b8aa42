//! The issuing service's back-office: the queue of order lines across structures, the decisions
//! on them, and the fabricated card and PIN letter (operators only).

pub mod crl_report;
pub mod decide;
pub mod download_deliverable;
pub mod queue;
pub mod routes;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_queue))
        .routes(routes!(routes::post_action))
        .routes(routes!(routes::get_card_file))
        .routes(routes!(routes::get_pin_letter))
        .routes(routes!(routes::get_crls))
}
