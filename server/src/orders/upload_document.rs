//! Uploading the supporting document a line waits for (PDF, JPEG or PNG, recognised from its
//! bytes): the document stored, the line moved on and the audit entry, in one transaction.

use serde_json::json;
use shared::api::{AuditAction, OrderLine};
use shared::errors::ErrorCode;
use shared::tracking::LineAction;

use super::store;
use crate::audit::{self, Actor, Entry};
use crate::auth::access::{Access, OrderId, Scope};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Supporting documents are at most this large.
pub use shared::delegation::MAX_DOCUMENT_BYTES;

pub async fn upload_document(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    order_id: &OrderId,
    line_no: i64,
    bytes: &[u8],
) -> ApiResult<OrderLine> {
    let media_type =
        shared::delegation::document_media_type(bytes).ok_or(ErrorCode::DocumentInvalid)?;
    let scope = Scope::Structure(access);
    let row = store::find_line(&state.db, scope, order_id.as_str(), line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mut progress = row.progress();
    progress
        .check(LineAction::DeposerJustificatif)
        .map_err(ApiError::refused)?;
    let now = state.clock.now();
    progress.apply(LineAction::DeposerJustificatif, now);
    let mut tx = state.db.begin().await?;
    if !store::mark_document_received(&mut tx, &row, &progress)
        .await
        .map_err(anyhow::Error::from)?
    {
        return Err(ErrorCode::ActionRefused.into());
    }
    store::insert_document(&mut tx, &row, media_type, bytes, &actor.national_id).await?;
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::JustificatifDepose,
            object: format!("ligne {order_id}/{line_no}"),
            before: Some(json!({ "statut": row.status })),
            after: Some(json!({
                "statut": progress.status().code(),
                "type": media_type,
                "octets": bytes.len(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    let row = store::find_line(&state.db, scope, order_id.as_str(), line_no)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(row.to_api(now, super::target_seconds(state)))
}
