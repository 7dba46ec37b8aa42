//! End of exercise: the holder leaves the structure. Today: the card is revoked
//! (`cessationOfOperation`), TOM's CRL signed again at once, and the person's mandates in the
//! structure end. A later day: scheduled, and applied that day by the jobs ([`apply_due`]).

use serde_json::json;
use shared::api::{AuditAction, CardActionDone};
use shared::date::{paris_day_start, Date};
use shared::errors::ErrorCode;
use shared::fleet::{paris_date, RevocationReason};
use shared::message::Message;

use super::revoke::{mark, require_live};
use super::store::{self, CardRow};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::db::{Db, Tx};
use crate::error::{ApiError, ApiResult};
use crate::issuing::crl::{CrlSigner, Revoked};
use crate::state::AppState;
use crate::tls::crl::CrlStore;
use crate::tls::verifier::TrustStore;

const ACTION: &str = "Fin d'exercice";

/// Declares the end of exercise of the holder of card `serial` on `date` (today or later).
pub async fn end_exercise(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    serial: &str,
    date: Date,
) -> ApiResult<CardActionDone> {
    let now = state.clock.now();
    let today = paris_date(now);
    if date < today {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("end_date_past").arg("date", french_date(date)),
        ));
    }
    let signer = CrlSigner::from_config(&state.config);
    let mut tx = state.db.begin().await?;
    let card = store::find_card_tx(&mut tx, access.structure_id(), serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    require_live(&card, ACTION, now)?;
    if date > today {
        schedule(&mut tx, &card, actor, date, now).await?;
        tx.commit().await?;
        let card = store::find_card(&state.db, access, serial)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        return Ok(CardActionDone {
            message: Message::new("done_end_scheduled")
                .arg("date", french_date(date))
                .arg("serial", serial.to_string())
                .to_french(),
            card: card.to_api(now),
            order_id: None,
        });
    }
    let (der, mandates) = apply(&mut tx, &signer, &card, actor, now).await?;
    tx.commit().await?;
    signer.publish(&state.trust, &state.crls, &der);
    let card = store::find_card(&state.db, access, serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let mandates_text = if mandates.is_empty() {
        String::new()
    } else {
        Message::new("done_mandates_ended")
            .arg("n", mandates.len().to_string())
            .to_french()
    };
    Ok(CardActionDone {
        message: Message::new("done_end_now")
            .arg("serial", serial.to_string())
            .to_french()
            + &mandates_text,
        card: card.to_api(now),
        order_id: None,
    })
}

/// Revokes the card, ends the person's mandates in the structure and writes the audit entry,
/// in the transaction. Returns the CRL to publish and the mandates ended.
pub async fn apply(
    tx: &mut Tx,
    signer: &CrlSigner,
    card: &CardRow,
    actor: &Actor,
    now: i64,
) -> ApiResult<(Vec<u8>, Vec<String>)> {
    let (entry, mandates) = apply_marked(tx, signer, card, actor, now).await?;
    Ok((signer.revoke_in(tx, &[entry], now).await?, mandates))
}

/// [`apply`] without signing the CRL: the entry to add is returned (file orders sign once for
/// all their revocations).
pub async fn apply_marked(
    tx: &mut Tx,
    signer: &CrlSigner,
    card: &CardRow,
    actor: &Actor,
    now: i64,
) -> ApiResult<(Revoked, Vec<String>)> {
    let structure = card.structure_id.clone().ok_or(ErrorCode::NotFound)?;
    let entry = mark(
        tx,
        signer,
        card,
        RevocationReason::CessationOfOperation,
        ACTION,
        now,
    )
    .await?;
    let mandates =
        crate::structures::store::end_mandates_of(tx, &card.national_id, &structure, now).await?;
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(&structure),
            action: AuditAction::FinExercice,
            object: format!("carte {}", card.serial),
            before: Some(json!({ "statut": card.state })),
            after: Some(json!({
                "statut": "fin_exercice",
                "revocation": RevocationReason::CessationOfOperation.code(),
                "mandats_termines": mandates,
            })),
        },
    )
    .await?;
    Ok((entry, mandates))
}

/// Schedules the end of exercise of a live card on a later day, with its audit entry.
pub async fn schedule(
    tx: &mut Tx,
    card: &CardRow,
    actor: &Actor,
    date: Date,
    now: i64,
) -> ApiResult<()> {
    store::schedule_end(tx, card, paris_day_start(date)).await?;
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: card.structure_id.as_deref(),
            action: AuditAction::FinExerciceProgrammee,
            object: format!("carte {}", card.serial),
            before: card.end_at.map(|e| json!({ "fin_exercice_prevue": e })),
            after: Some(json!({ "fin_exercice_prevue": date.to_string() })),
        },
    )
    .await?;
    Ok(())
}

/// The scheduled ends of exercise whose day has come, applied one transaction each (the jobs
/// call it at every CRL poll). The actor is TOM itself, the entry says who scheduled it.
pub async fn apply_due(
    db: &Db,
    signer: &CrlSigner,
    trust: &TrustStore,
    crls: &CrlStore,
    now: i64,
) -> anyhow::Result<usize> {
    let actor = Actor {
        fingerprint: String::new(),
        national_id: "TOM".to_string(),
        role: "systeme",
    };
    let mut done = 0;
    for (structure, serial) in store::ends_due(db, now).await? {
        let mut tx = db.begin().await?;
        let Some(card) = store::find_card_tx(&mut tx, &structure, &serial).await? else {
            continue;
        };
        if card.end_at.is_none_or(|at| at > now) || card.state != "active" {
            continue;
        }
        match apply(&mut tx, signer, &card, &actor, now).await {
            Ok((der, _)) => {
                tx.commit().await?;
                signer.publish(trust, crls, &der);
                done += 1;
            }
            Err(e) => {
                tracing::warn!(error = %e, "fin d'exercice programmée non appliquée");
            }
        }
    }
    Ok(done)
}

/// JJ/MM/AAAA.
pub fn french_date(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}
