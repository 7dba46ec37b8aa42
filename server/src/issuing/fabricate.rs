//! Fabricating the card of an accepted line: the certificate from the issuing CA (config keys
//! `issuing_ca_cert`, `issuing_ca_key`), the PKCS#12 and the PIN letter, then the line, the card
//! in the fleet, the files and the audit entry in one transaction. The audit records the card's
//! serial and holder, never the PIN, the key or the PKCS#12.

use serde_json::json;
use shared::api::AuditAction;
use shared::errors::ErrorCode;
use shared::order::model::Operation;
use shared::tracking::LineProgress;

use super::certificate::{self, IssuingError, PinCodes};
use super::store::{self, Fabricated};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::{OperatorAccess, Scope, StructureId};
use crate::error::{ApiError, ApiResult};
use crate::fleet::store as fleet_store;
use crate::issuing::crl::CrlSigner;
use crate::orders::store::{line_payload, LineRow};
use crate::state::AppState;
use crate::structures::store::find_structure;
use shared::fleet::RevocationReason;

/// Returns false when someone else moved the line first (nothing is written then).
pub async fn fabricate(
    state: &AppState,
    operator: &OperatorAccess,
    actor: &Actor,
    row: &LineRow,
    progress: &LineProgress,
    now: i64,
) -> ApiResult<bool> {
    let payload = line_payload(&state.db, Scope::Operator(operator), row).await?;
    let Operation::CardRequest(request) =
        serde_json::from_str(&payload).map_err(anyhow::Error::from)?
    else {
        return Err(ErrorCode::ActionRefused.into());
    };
    let holder = shared::fleet::HolderRecord::from_request(&request);
    let structure_id = StructureId::parse(&row.structure_id).ok_or(ErrorCode::NotFound)?;
    let access = operator.on_structure(structure_id);
    let structure = find_structure(&state.db, &access)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let config = state.config.clone();
    let codes = PinCodes::from_random(|buf| state.random.fill(buf));
    let card = tokio::task::spawn_blocking(move || {
        certificate::fabricate(&config, &structure, &request, now, &codes)
    })
    .await
    .map_err(anyhow::Error::from)?
    .map_err(|e| match e {
        IssuingError::CaUnavailable(e) => {
            tracing::error!(error = %e, "AC d'émission indisponible");
            ApiError::Code(ErrorCode::IssuingUnavailable)
        }
        IssuingError::Other(e) => ApiError::Unexpected(e),
    })?;
    let mut tx = state.db.begin().await?;
    let done = store::record_fabrication(
        &mut tx,
        row,
        progress,
        &Fabricated {
            issuer: &card.issuer,
            serial: &card.serial,
            national_id: &card.national_id,
            card_type: card.card_type,
            family_name: &card.family_name,
            given_name: &card.given_name,
            not_after: card.not_after,
            pkcs12: &card.pkcs12,
            pin_letter: &card.pin_letter,
            holder: &holder,
        },
    )
    .await?;
    if !done {
        return Ok(false);
    }
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(&row.structure_id),
            action: AuditAction::CarteFabriquee,
            object: format!("ligne {}/{}", row.order_id, row.line_no),
            before: Some(json!({ "statut": row.status })),
            after: Some(json!({
                "statut": progress.status().code(),
                "carte": {
                    "numero_de_serie": card.serial,
                    "identifiant_national": card.national_id,
                    "type": card.card_type,
                    "fin_de_validite": card.not_after,
                },
            })),
        },
    )
    .await?;
    let crl = supersede_replaced(state, &mut tx, actor, row, &card.serial, now).await?;
    tx.commit().await?;
    if let Some(der) = crl {
        CrlSigner::from_config(&state.config).publish(&state.trust, &state.crls, &der);
    }
    Ok(true)
}

/// A card replacing a malfunctioning one: the old card is revoked (`superseded`) now that the
/// new one exists, with its audit entry. Returns the CRL to publish after the commit. An old
/// card that is no longer live (opposed meanwhile) is left as it is.
async fn supersede_replaced(
    state: &AppState,
    tx: &mut crate::db::Tx,
    actor: &Actor,
    row: &LineRow,
    new_serial: &str,
    now: i64,
) -> ApiResult<Option<Vec<u8>>> {
    let Some((old, why)) = fleet_store::replaced_by_line(tx, &row.order_id, row.line_no).await?
    else {
        return Ok(None);
    };
    let Some(card) = fleet_store::find_card_tx(tx, &row.structure_id, &old).await? else {
        return Ok(None);
    };
    // A person leaving on a set day leaves with the new card too.
    fleet_store::carry_end(tx, &card, new_serial).await?;
    if why != "dysfonctionnement" || card.state != "active" {
        return Ok(None);
    }
    let signer = CrlSigner::from_config(&state.config);
    let der = crate::fleet::revoke::revoke(
        tx,
        &signer,
        &card,
        RevocationReason::Superseded,
        "Remplacement",
        now,
    )
    .await?;
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(&row.structure_id),
            action: AuditAction::CarteRemplacee,
            object: format!("carte {old}"),
            before: Some(json!({ "statut": card.state })),
            after: Some(json!({
                "statut": "remplacee",
                "revocation": RevocationReason::Superseded.code(),
                "remplacee_par": new_serial,
            })),
        },
    )
    .await?;
    Ok(Some(der))
}
