//! The audit trail: every state change appends a hash-chained entry in its own transaction
//! (`record`), a job anchors the chain's end outside the database (`anchor`), `tom audit verify`
//! walks it (`verify`), and the legal representative and operators read and download it.

pub mod anchor;
pub mod chain;
pub mod export;
pub mod record;
pub mod routes;
pub mod store;
pub mod verify;

pub use record::{append, Actor, Entry};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(routes::get_structure_audit))
        .routes(routes!(routes::get_audit))
}
