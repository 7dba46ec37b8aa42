//! An operator downloads what fabrication produced for a line: the card (PKCS#12, protected by
//! its PIN) or the PIN letter. They stand for the physical card and letter, so each download is
//! audited (what and by whom, never the content), in the same transaction that reads it.

use serde_json::json;
use shared::api::AuditAction;
use shared::errors::ErrorCode;

use crate::audit::{self, Actor, Entry};
use crate::auth::access::{OperatorAccess, OrderId};
use crate::error::ApiResult;
use crate::issuing::store::find_deliverable;
use crate::orders::store::structure_of_order;
use crate::state::AppState;

/// Which file of a fabricated line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deliverable {
    Card,
    PinLetter,
}

pub async fn download(
    state: &AppState,
    operator: &OperatorAccess,
    actor: &Actor,
    order_id: &OrderId,
    line_no: i64,
    what: Deliverable,
) -> ApiResult<Vec<u8>> {
    let pin_letter = what == Deliverable::PinLetter;
    let bytes = find_deliverable(&state.db, operator, order_id.as_str(), line_no, pin_letter)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let structure = structure_of_order(&state.db, order_id).await?;
    let mut tx = state.db.begin().await?;
    audit::append(
        &mut tx,
        &Entry {
            at: state.clock.now(),
            actor,
            structure_id: structure.as_ref().map(|s| s.as_str()),
            action: if pin_letter {
                AuditAction::CourrierCodesTelecharge
            } else {
                AuditAction::CarteTelechargee
            },
            object: format!("ligne {order_id}/{line_no}"),
            before: None,
            after: Some(json!({ "octets": bytes.len() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(bytes)
}
