//! The steps that close a waiting delegation — the operator validates or rejects it, the legal
//! representative withdraws it — share one shape: the row locked by its status, the status
//! moved, the document's retention started, the audit entry; here is that shape.

use serde_json::json;
use shared::api::AuditAction;
use shared::delegation::{DelegationAction, DelegationStatus};
use shared::errors::ErrorCode;

use super::store::{self, DelegationRow};
use crate::audit::{self, Actor, Entry};
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The waiting delegation `id` (of `structure`, when given), checked for `action`.
pub async fn waiting(
    tx: &mut Tx,
    id: &str,
    structure: Option<&str>,
    action: DelegationAction,
) -> ApiResult<(DelegationRow, DelegationStatus)> {
    let row = store::find_tx(tx, id)
        .await?
        .filter(|r| structure.is_none_or(|s| s == r.structure_id))
        .ok_or(ErrorCode::NotFound)?;
    let next = row.status().after(action).map_err(ApiError::refused)?;
    Ok((row, next))
}

/// Moves the delegation to `next`, starts its document's retention and writes the audit entry;
/// the delegation as it now stands.
#[allow(clippy::too_many_arguments)]
pub async fn close(
    tx: &mut Tx,
    state: &AppState,
    actor: &Actor,
    row: &DelegationRow,
    next: DelegationStatus,
    reason: Option<&str>,
    action: AuditAction,
    now: i64,
) -> ApiResult<DelegationRow> {
    let delete_after = now + state.config.identity_document_days * 86_400;
    let moved = store::decide(
        tx,
        &row.id,
        next,
        now,
        &actor.national_id,
        reason,
        delete_after,
    )
    .await?;
    if !moved {
        // Decided by someone else between the read and the write.
        return Err(ErrorCode::ActionRefused.into());
    }
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(&row.structure_id),
            action,
            object: format!("délégation {}", row.id),
            before: Some(json!({ "statut": row.status })),
            after: Some(json!({
                "statut": next.code(),
                "personne": row.person_id,
                "remplace": row.replaces_id,
                "motif": reason,
                "piece_supprimee_apres": delete_after,
            })),
        },
    )
    .await?;
    Ok(store::find_tx(tx, &row.id)
        .await?
        .ok_or(ErrorCode::NotFound)?)
}

/// Rejects the card request ordered with a designation that will not be validated, if nobody
/// has acted on it yet (a card accepted or made stays: it is the person's card all the same).
pub async fn drop_card_request(
    tx: &mut Tx,
    state: &AppState,
    scope: crate::auth::access::Scope<'_>,
    actor: &Actor,
    row: &DelegationRow,
    why: &str,
    now: i64,
) -> ApiResult<()> {
    use crate::orders::store as order_store;
    use shared::tracking::{LineAction, LineStatus};
    let Some(order_id) = &row.order_id else {
        return Ok(());
    };
    let Some(line) = order_store::find_line(&state.db, scope, order_id, 1).await? else {
        return Ok(());
    };
    let mut progress = line.progress();
    let before = progress.status();
    if !matches!(
        before,
        LineStatus::Soumise | LineStatus::EnAttenteJustificatif
    ) || progress.check(LineAction::Rejeter).is_err()
    {
        return Ok(());
    }
    progress.apply(LineAction::Rejeter, now);
    if order_store::update_line(tx, &line, &progress, Some(why)).await? {
        audit::append(
            tx,
            &Entry {
                at: now,
                actor,
                structure_id: Some(&row.structure_id),
                action: AuditAction::LigneRejetee,
                object: format!("ligne {order_id}/1"),
                before: Some(json!({ "statut": before.code() })),
                after: Some(json!({ "statut": progress.status().code(), "motif": why })),
            },
        )
        .await?;
    }
    Ok(())
}
