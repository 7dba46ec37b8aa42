//! An operator's decision on an order line (accept, reject with a reason, ship the card, ship
//! the codes, mark delivered; fabrication is `issuing::fabricate`): checked against the line's
//! lifecycle, applied only if nobody changed the line first, audited in the same transaction.

use serde_json::json;
use shared::api::{AuditAction, OrderLine};
use shared::errors::ErrorCode;
use shared::tracking::LineAction;

use crate::audit::{self, Actor, Entry};
use crate::auth::access::{OperatorAccess, OrderId, Scope};
use crate::error::{ApiError, ApiResult};
use crate::issuing;
use crate::orders::store;
use crate::orders::target_seconds;
use crate::state::AppState;

/// A rejection reason is between these many characters.
pub const REASON_CHARS: std::ops::RangeInclusive<usize> = 3..=500;

/// The audit action recording a line action.
pub fn audit_action(action: LineAction) -> AuditAction {
    match action {
        LineAction::Accepter => AuditAction::LigneAcceptee,
        LineAction::Rejeter => AuditAction::LigneRejetee,
        LineAction::Fabriquer => AuditAction::CarteFabriquee,
        LineAction::ExpedierCarte => AuditAction::CarteExpediee,
        LineAction::ExpedierCodes => AuditAction::CodesExpedies,
        LineAction::Livrer => AuditAction::LigneLivree,
        LineAction::DeposerJustificatif => AuditAction::JustificatifDepose,
    }
}

pub async fn decide(
    state: &AppState,
    operator: &OperatorAccess,
    actor: &Actor,
    order_id: &OrderId,
    line_no: i64,
    action: LineAction,
    reason: Option<String>,
) -> ApiResult<OrderLine> {
    let scope = Scope::Operator(operator);
    let row = store::find_line(&state.db, scope, order_id.as_str(), line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut progress = row.progress();
    progress.check(action).map_err(ApiError::refused)?;
    let reason = reason
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    if action == LineAction::Rejeter
        && !reason
            .as_deref()
            .is_some_and(|r| REASON_CHARS.contains(&r.chars().count()))
    {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            shared::message::Message::new("reason_required"),
        ));
    }
    let now = state.clock.now();
    let before = progress.status();
    progress.apply(action, now);
    let done = if action == LineAction::Fabriquer {
        issuing::fabricate::fabricate(state, operator, actor, &row, &progress, now).await?
    } else {
        let reason = if action == LineAction::Rejeter {
            reason.as_deref()
        } else {
            row.reason.as_deref()
        };
        let mut tx = state.db.begin().await?;
        let done = store::update_line(&mut tx, &row, &progress, reason).await?;
        if done {
            audit::append(
                &mut tx,
                &Entry {
                    at: now,
                    actor,
                    structure_id: Some(&row.structure_id),
                    action: audit_action(action),
                    object: format!("ligne {order_id}/{line_no}"),
                    before: Some(json!({ "statut": before.code() })),
                    after: Some(json!({ "statut": progress.status().code(), "motif": reason })),
                },
            )
            .await?;
            tx.commit().await?;
        }
        done
    };
    if !done {
        return Err(ApiError::message(
            ErrorCode::ActionRefused,
            shared::message::Message::new("line_changed_meanwhile"),
        ));
    }
    tracing::info!(order = %order_id, line = line_no, action = action.code(), "ligne traitée");
    let row = store::find_line(&state.db, scope, order_id.as_str(), line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(row.to_api(now, target_seconds(state)))
}
