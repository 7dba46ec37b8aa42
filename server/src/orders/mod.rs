//! Ordering cards: submission (form, file, spreadsheet: the same XML, the same validator),
//! tracking, supporting documents; the order file's command line and spreadsheet template.

pub mod cli;
pub mod lines;
pub mod routes;
pub mod sheet_gen;
pub mod store;
pub mod submit;
pub mod template;
pub mod upload_document;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::submit_order, routes::list_orders))
        .routes(routes!(routes::get_order))
        .routes(routes!(routes::put_document, routes::get_document))
}

/// The configured target delivery time, in seconds.
pub fn target_seconds(state: &AppState) -> i64 {
    state.config.target_delivery_days * 86_400
}

/// Lines of orders submitted before this time and still open are late.
pub fn late_before(state: &AppState) -> i64 {
    state.clock.now() - target_seconds(state)
}
