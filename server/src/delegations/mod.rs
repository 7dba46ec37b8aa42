//! Delegations (formerly paper form 502): the legal representative ends a mandate, which stops
//! the mandataire's rights at once. (Designation and change, with the identity document and the
//! operator's validation, are still to come.)

pub mod end_mandate;
pub mod routes;
pub mod store;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::post_end_mandate))
}
