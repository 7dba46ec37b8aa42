//! A structure's details (`GET`), its coordinates changed by its mandataires (`PUT`) and its
//! history.

use axum::extract::State;
use axum::Json;
use shared::api::{Coordinates, StructureChange, StructureDetail};
use shared::errors::ErrorCode;

use super::change_coordinates::change_coordinates;
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

#[utoipa::path(put, path = "/api/structures/{id}", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    request_body = Coordinates,
    responses(
        (status = 200, description = "Coordonnées enregistrées ; la structure à jour", body = StructureDetail),
        (status = 400, description = "Coordonnées incorrectes : le message dit lesquelles", body = shared::errors::ErrorBody),
        (status = 403, description = "Pas de mandat pour cette structure (les opérateurs lisent sans modifier)", body = shared::errors::ErrorBody)))]
pub async fn put_structure(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Json(coordinates): Json<Coordinates>,
) -> ApiResult<Json<StructureDetail>> {
    let access = identity.require_own_mandate(&id)?;
    let actor = identity.actor(access.grant());
    change_coordinates(&state, &access, &actor, coordinates).await?;
    let detail = store::find_structure_detail(&state.db, &access, state.clock.now())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Json(detail))
}

#[utoipa::path(get, path = "/api/structures/{id}/history", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    responses(
        (status = 200, description = "Les changements de la structure, du plus récent au plus ancien (modifications et mises à jour par le registre FINESS)", body = Vec<StructureChange>),
        (status = 403, description = "Pas de mandat pour cette structure", body = shared::errors::ErrorBody)))]
pub async fn get_structure_history(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
) -> ApiResult<Json<Vec<StructureChange>>> {
    let access = identity.require_mandate(&id)?;
    Ok(Json(store::find_history(&state.db, &access, 200).await?))
}
