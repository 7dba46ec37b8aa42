//! `GET /api/structures/{id}/cards`: the cards TOM issued for a structure.

use axum::extract::State;
use axum::Json;
use shared::api::Fleet;

use super::store;
use crate::auth::access::StructureId;
use crate::auth::identity::Identity;
use crate::error::ApiResult;
use crate::http::extract::Path;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/structures/{id}/cards", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    responses(
        (status = 200, description = "Les cartes émises par TOM pour la structure", body = Fleet),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn get_fleet(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
) -> ApiResult<Json<Fleet>> {
    let access = identity.require_mandate(&id)?;
    Ok(Json(Fleet {
        cards: store::list_fleet(&state.db, &access).await?,
    }))
}
