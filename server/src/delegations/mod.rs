//! Delegations (formerly paper form 502): the legal representative designates a mandataire or
//! changes one, with a copy of the person's identity document; the operator validates (the
//! mandate starts) or rejects; the legal representative ends a mandate (rights stop at once).

pub mod decide;
pub mod designate;
pub mod end_mandate;
pub mod purge;
pub mod read_document;
pub mod reject;
pub mod routes;
pub mod store;
pub mod validate;
pub mod withdraw;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    let designation = OpenApiRouter::new()
        .routes(routes!(routes::post_designation, routes::get_delegations))
        // The document (5 MB) and the request: above axum's 2 MB default; each part is limited
        // again as it is read.
        .layer(DefaultBodyLimit::max(
            shared::delegation::MAX_DOCUMENT_BYTES + 512 * 1024,
        ));
    OpenApiRouter::new()
        .merge(designation)
        .routes(routes!(routes::post_withdraw))
        .routes(routes!(routes::get_document))
        .routes(routes!(routes::post_end_mandate))
        .routes(routes!(routes::get_backoffice_delegations))
        .routes(routes!(routes::post_validate))
        .routes(routes!(routes::post_reject))
}
