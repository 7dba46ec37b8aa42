//! `POST /api/backoffice/contracts`: an operator registers a structure's contract.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use shared::api::{Contract, ContractRequest};

use super::register_contract::register_contract;
use crate::auth::identity::Identity;
use crate::error::ApiResult;
use crate::state::AppState;

#[utoipa::path(post, path = "/api/backoffice/contracts", tag = "back-office",
    request_body = ContractRequest,
    responses(
        (status = 201, description = "Contrat enregistré ; le représentant légal peut se connecter et désigner des mandataires", body = Contract),
        (status = 400, description = "Représentant légal incomplet", body = shared::errors::ErrorBody),
        (status = 403, description = "Réservé aux opérateurs", body = shared::errors::ErrorBody),
        (status = 404, description = "Structure inconnue (importez le registre FINESS)", body = shared::errors::ErrorBody),
        (status = 409, description = "La structure a déjà un contrat", body = shared::errors::ErrorBody)))]
pub async fn post_contract(
    State(state): State<AppState>,
    identity: Identity,
    Json(request): Json<ContractRequest>,
) -> ApiResult<(StatusCode, Json<Contract>)> {
    let operator = identity.require_operator()?;
    let actor = identity.operator_actor(&operator);
    let contract = register_contract(&state, &operator, &actor, request).await?;
    Ok((StatusCode::CREATED, Json(contract)))
}
