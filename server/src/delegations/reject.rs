//! The operator rejects a delegation, with the reason the legal representative will read.

use shared::api::AuditAction;
use shared::delegation::{check_reason, DelegationAction};
use shared::errors::ErrorCode;

use super::decide;
use super::store::DelegationRow;
use crate::audit::Actor;
use crate::auth::access::OperatorAccess;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn reject(
    state: &AppState,
    operator: &OperatorAccess,
    actor: &Actor,
    id: &str,
    reason: &str,
) -> ApiResult<DelegationRow> {
    let reason =
        check_reason(reason).map_err(|m| ApiError::message(ErrorCode::InvalidRequest, m))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, next) = decide::waiting(&mut tx, id, None, DelegationAction::Rejeter).await?;
    let why = format!("Désignation du mandataire rejetée : {reason}");
    let scope = crate::auth::access::Scope::Operator(operator);
    decide::drop_card_request(&mut tx, state, scope, actor, &row, &why, now).await?;
    let row = decide::close(
        &mut tx,
        state,
        actor,
        &row,
        next,
        Some(reason),
        AuditAction::DelegationRejetee,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
