//! Contracts: the operator registers a structure's contract and its legal representative, the
//! first card holder who can delegate (formerly the paper contract and form F101).

pub mod register_contract;
pub mod routes;
pub mod store;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::post_contract))
}
