//! The operator registers a structure's contract: the contract row, the legal representative's
//! person record and legal representation, and the audit entry, in one transaction.

use serde_json::json;
use shared::api::{AuditAction, Contract, ContractRequest};
use shared::errors::ErrorCode;
use shared::message::Message;

use super::store;
use crate::audit::{self, Actor, Entry};
use crate::auth::access::{OperatorAccess, StructureId};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn register_contract(
    state: &AppState,
    operator: &OperatorAccess,
    actor: &Actor,
    request: ContractRequest,
) -> ApiResult<Contract> {
    let structure = StructureId::parse(request.structure_id.trim()).ok_or_else(|| {
        ApiError::message(
            ErrorCode::NotFound,
            Message::new("contract_structure_unknown"),
        )
    })?;
    let national_id = request.national_id.trim();
    let family_name = request.family_name.trim();
    let given_name = request.given_name.trim();
    let valid_id = (2..=64).contains(&national_id.len())
        && national_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'/');
    if !valid_id || family_name.is_empty() || given_name.is_empty() {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("contract_person_invalid"),
        ));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !store::structure_exists(&mut tx, structure.as_str()).await? {
        return Err(ApiError::message(
            ErrorCode::NotFound,
            Message::new("contract_structure_unknown"),
        ));
    }
    if store::has_legal_representative(&mut tx, structure.as_str(), now).await? {
        return Err(ApiError::message(
            ErrorCode::ContractExists,
            Message::new("contract_legal_representative_exists"),
        ));
    }
    // The legal representative logs in with their card: one in force, with these names.
    let card = crate::delegations::store::live_card_named(
        &mut tx,
        national_id,
        family_name,
        given_name,
        now,
    )
    .await?;
    if card.is_none() {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("contract_card_unknown").arg("id", national_id),
        ));
    }
    store::insert_person_if_missing(&mut tx, national_id, family_name, given_name).await?;
    if !store::insert_contract(
        &mut tx,
        structure.as_str(),
        national_id,
        now,
        operator.national_id(),
    )
    .await?
    {
        return Err(ErrorCode::ContractExists.into());
    }
    crate::delegations::store::start_mandate(
        &mut tx,
        structure.as_str(),
        national_id,
        shared::api::Role::RepresentantLegal,
        now,
    )
    .await?;
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(structure.as_str()),
            action: AuditAction::ContratEnregistre,
            object: format!("contrat de la structure {structure}"),
            before: None,
            // The identifier only: names are personal data the audit does not need.
            after: Some(json!({ "representant_legal": national_id })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Contract {
        structure_id: structure.as_str().to_string(),
        legal_representative_id: national_id.to_string(),
        registered_at: now,
    })
}
