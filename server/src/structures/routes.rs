//! `GET /api/structures/{id}`: a structure's details, for those with a mandate for it.

use axum::extract::State;
use axum::Json;
use shared::api::StructureDetail;
use shared::errors::ErrorCode;

use super::store;
use crate::auth::access::StructureId;
use crate::auth::identity::Identity;
use crate::error::ApiResult;
use crate::http::extract::Path;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/structures/{id}", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure, p. ex. 1940000011")),
    responses(
        (status = 200, description = "La structure et les personnes qui y ont un rôle", body = StructureDetail),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Structure inconnue", body = shared::errors::ErrorBody)))]
pub async fn get_structure(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
) -> ApiResult<Json<StructureDetail>> {
    let access = identity.require_mandate(&id)?;
    let detail = store::find_structure_detail(&state.db, &access, state.clock.now())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(detail))
}
