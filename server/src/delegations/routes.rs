//! `POST /api/structures/{id}/mandataires/fin`: the legal representative ends a mandate.

use axum::extract::State;
use axum::Json;
use shared::api::{EndMandateRequest, MandateEnded};

use super::end_mandate::end_mandate;
use crate::auth::access::StructureId;
use crate::auth::identity::Identity;
use crate::error::ApiResult;
use crate::http::extract::Path;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/structures/{id}/mandataires/fin", tag = "structures",
    params(("id" = String, Path, description = "Identifiant national de la structure")),
    request_body = EndMandateRequest,
    responses(
        (status = 200, description = "Mandat terminé : les droits du mandataire s'arrêtent aussitôt", body = MandateEnded),
        (status = 403, description = "Réservé au représentant légal de la structure", body = shared::errors::ErrorBody),
        (status = 404, description = "Pas de mandataire en cours de ce nom", body = shared::errors::ErrorBody)))]
pub async fn post_end_mandate(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<StructureId>,
    Json(request): Json<EndMandateRequest>,
) -> ApiResult<Json<MandateEnded>> {
    let access = identity.require_own_legal_representative(&id)?;
    let actor = identity.actor(access.grant());
    Ok(Json(
        end_mandate(&state, &access, &actor, request.national_id.trim()).await?,
    ))
}
