//! Structures (establishments) and the people with a role in them.

pub mod change_coordinates;
pub mod routes;
pub mod store;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_structure, routes::put_structure))
        .routes(routes!(routes::get_structure_history))
}
