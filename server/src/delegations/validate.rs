//! The operator validates a delegation: the mandate starts now (and, for a change, the replaced
//! mandataire's ends at the same moment), in one transaction with the audit entries.

use serde_json::json;
use shared::api::AuditAction;
use shared::delegation::DelegationAction;
use shared::message::Message;

use super::decide;
use super::store::{self, DelegationRow};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::OperatorAccess;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn validate(
    state: &AppState,
    _operator: &OperatorAccess,
    actor: &Actor,
    id: &str,
) -> ApiResult<DelegationRow> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let (row, next) = decide::waiting(&mut tx, id, None, DelegationAction::Valider).await?;
    // A designation by an existing card: that card must still be in force (one ordered with the
    // designation is on its way).
    if row.order_id.is_none()
        && store::live_cards_of(&mut tx, &row.person_id, now)
            .await?
            .is_empty()
    {
        return Err(ApiError::refused(
            Message::new("delegation_card_gone").arg("id", row.person_id.clone()),
        ));
    }
    store::insert_person_if_missing(&mut tx, &row.person_id, &row.family_name, &row.given_name)
        .await?;
    let role = shared::api::Role::Mandataire;
    store::start_mandate(&mut tx, &row.structure_id, &row.person_id, role, now).await?;
    if let Some(replaced) = &row.replaces_id {
        if store::end_mandataire_mandate(&mut tx, &row.structure_id, replaced, now).await? {
            audit::append(
                &mut tx,
                &Entry {
                    at: now,
                    actor,
                    structure_id: Some(&row.structure_id),
                    action: AuditAction::MandatTermine,
                    object: format!("mandat de {replaced}"),
                    before: Some(json!({ "role": "mandataire", "fin": null })),
                    after: Some(
                        json!({ "role": "mandataire", "fin": now, "remplace_par": row.person_id }),
                    ),
                },
            )
            .await?;
        }
    }
    let row = decide::close(
        &mut tx,
        state,
        actor,
        &row,
        next,
        None,
        AuditAction::DelegationValidee,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}
