//! The legal representative withdraws a designation the operator has not decided yet (a card
//! ordered with it stays ordered: it is followed, or cancelled, like any order).

use shared::api::AuditAction;
use shared::delegation::DelegationAction;

use super::decide;
use super::store::DelegationRow;
use crate::audit::Actor;
use crate::auth::access::Access;
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn withdraw(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    id: &str,
) -> ApiResult<DelegationRow> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, next) = decide::waiting(
        &mut tx,
        id,
        Some(access.structure_id()),
        DelegationAction::Retirer,
    )
    .await?;
    let scope = crate::auth::access::Scope::Structure(access);
    let why = "Désignation du mandataire retirée par le représentant légal";
    decide::drop_card_request(&mut tx, state, scope, actor, &row, why, now).await?;
    let row = decide::close(
        &mut tx,
        state,
        actor,
        &row,
        next,
        None,
        AuditAction::DelegationRetiree,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
