//! The legal representative ends a mandataire's mandate: it stops at once (the mandataire's next
//! call for the structure is refused with `mandate_ended`), with its audit entry.

use serde_json::json;
use shared::api::{AuditAction, MandateEnded};
use shared::errors::ErrorCode;
use shared::message::Message;

use super::store;
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn end_mandate(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    national_id: &str,
) -> ApiResult<MandateEnded> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !store::end_mandataire_mandate(&mut tx, access.structure_id(), national_id, now).await? {
        return Err(ApiError::message(
            ErrorCode::NotFound,
            Message::new("mandataire_unknown"),
        ));
    }
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::MandatTermine,
            object: format!("mandat de {national_id}"),
            before: Some(json!({ "role": "mandataire", "fin": null })),
            after: Some(json!({ "role": "mandataire", "fin": now })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(MandateEnded {
        national_id: national_id.to_string(),
        ended_at: now,
    })
}
