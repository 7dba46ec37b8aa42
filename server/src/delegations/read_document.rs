//! Reading a delegation's identity document (the operator, the structure's legal
//! representative): each reading is audited, since the document is personal data.

use shared::api::AuditAction;
use shared::errors::ErrorCode;
use shared::message::Message;

use super::store;
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// `(media type, bytes)` of the document.
pub async fn read_document(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    id: &str,
) -> ApiResult<(String, Vec<u8>)> {
    let row = store::find(&state.db, access, id)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let Some(document) = store::find_document(&state.db, access, id).await? else {
        return Err(ApiError::message(
            ErrorCode::NotFound,
            Message::new("identity_document_deleted"),
        ));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(&row.structure_id),
            action: AuditAction::PieceIdentiteConsultee,
            object: format!("délégation {id}"),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(document)
}
