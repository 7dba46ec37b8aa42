//! A mandataire (or the legal representative) changes the structure's coordinates: checked, then
//! written with one history row per changed field and the audit entry, in one transaction.

use shared::api::{AuditAction, Coordinates};
use shared::errors::ErrorCode;
use shared::message::Message;

use super::store::{self, FieldChange};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub async fn change_coordinates(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    wanted: Coordinates,
) -> ApiResult<()> {
    let wanted = Coordinates {
        name: wanted.name.trim().to_string(),
        address_line: wanted.address_line.trim().to_string(),
        address_complement: wanted.address_complement.trim().to_string(),
        postal_line: wanted.postal_line.trim().to_string(),
        phone: wanted.phone.trim().to_string(),
        email: wanted.email.trim().to_string(),
    };
    let problems = wanted.problems();
    if !problems.is_empty() {
        let texts: Vec<String> = problems
            .iter()
            .map(|code| Message::new(code).to_french())
            .collect();
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("structure_coordinates_invalid").arg("errors", texts.join(" ")),
        ));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let before = store::find_coordinates(&mut tx, access)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let changes = FieldChange::between(before.fields(), wanted.fields());
    if changes.is_empty() {
        return Ok(());
    }
    store::update_coordinates(&mut tx, access, &wanted).await?;
    store::insert_history(
        &mut tx,
        access.structure_id(),
        now,
        "modification",
        None,
        Some(&actor.national_id),
        &changes,
    )
    .await?;
    let (old, new) = FieldChange::audit_values(&changes);
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::StructureModifiee,
            object: format!("structure {}", access.structure_id()),
            before: Some(old),
            after: Some(new),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
