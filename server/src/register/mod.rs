//! The FINESS register: its import by the operator (`tom register import`, the back-office
//! upload), read through one interface (`source::RegisterSource`) so that the daily JSON feed the
//! register is moving to can replace the CSV extract.

pub mod cli;
pub mod extract;
pub mod import;
pub mod routes;
pub mod source;
pub mod store;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(routes::post_register_import))
}
