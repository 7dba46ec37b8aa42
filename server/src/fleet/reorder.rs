//! Card orders the fleet makes itself (a replacement after an incident, renewals): one order
//! whose lines are card requests pre-filled from the holders TOM knows, each naming the card it
//! replaces; the back-office processes them as any other order.

use serde_json::json;
use shared::api::OrderSource;
use shared::fleet::HolderRecord;
use shared::message::Message;
use shared::order::model::{CardType, Operation};
use shared::tracking::{needs_document, LineKind, LineStatus};

use super::store::{self, CardRow};
use crate::audit::Actor;
use crate::auth::access::{Access, OrderId};
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::orders::store::{self as order_store, NewLine, NewOrder};
use crate::state::AppState;

/// The order's card type for a card of the fleet: directors' cards (CDE, CDA) belong to the
/// CPE and CPA families (domain.md §2).
pub fn order_card_type(card_type: &str) -> Option<CardType> {
    match card_type {
        "CDE" => Some(CardType::Cpe),
        "CDA" => Some(CardType::Cpa),
        other => CardType::from_code(other),
    }
}

/// The holder record of a card, or the refusal saying TOM does not know it.
pub fn record_of(card: &CardRow, action: &'static str) -> ApiResult<(HolderRecord, CardType)> {
    let refused = || {
        ApiError::refused(
            Message::new("card_without_holder_record")
                .arg("action", action)
                .arg("serial", card.serial.clone()),
        )
    };
    let record = card.holder_record().ok_or_else(refused)?;
    let card_type = order_card_type(&card.card_type).ok_or_else(refused)?;
    Ok((record, card_type))
}

/// What a card's replacement or renewal is ordered from, or why it cannot be: TOM must know the
/// holder; a doctor's, pharmacist's, dental surgeon's or midwife's CPS comes from their order
/// through the RPPS (domain.md §2); a card already replaced or renewed by an order that is not
/// rejected is not ordered twice.
pub async fn replacement_of(
    tx: &mut Tx,
    card: &CardRow,
    action: &'static str,
) -> ApiResult<(HolderRecord, CardType)> {
    let (record, card_type) = record_of(card, action)?;
    if card_type == CardType::Cps && record.identity_locked() {
        return Err(ApiError::refused(
            Message::new("rpps_card_not_ordered")
                .arg("action", action)
                .arg("serial", card.serial.clone()),
        ));
    }
    if let Some(order) = store::pending_replacement(tx, &card.serial).await? {
        return Err(ApiError::refused(
            Message::new("replacement_already_ordered")
                .arg("action", action)
                .arg("serial", card.serial.clone())
                .arg("order", order),
        ));
    }
    Ok((record, card_type))
}

/// Creates one order of card requests replacing `cards` (why: `renouvellement`,
/// `dysfonctionnement`, `perte`, `vol`) in the transaction, with its audit entry; returns its
/// number.
pub async fn create_order(
    tx: &mut Tx,
    state: &AppState,
    access: &Access,
    actor: &Actor,
    cards: &[(&CardRow, HolderRecord, CardType)],
    why: &'static str,
    now: i64,
) -> ApiResult<String> {
    let mut random = [0u8; 10];
    state.random.fill(&mut random);
    let order_id = OrderId::from_random(random);
    let idempotency_key = crate::orders::submit::new_idempotency_key(state);
    let mut lines = Vec::with_capacity(cards.len());
    let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
    digest.update(idempotency_key.as_bytes());
    for (i, (card, record, card_type)) in cards.iter().enumerate() {
        let op = Operation::CardRequest(record.to_request(*card_type));
        let payload = serde_json::to_string(&op).map_err(anyhow::Error::from)?;
        digest.update(payload.as_bytes());
        let needs = needs_document(&op);
        let holder = format!("{} {}", record.family_name(), record.holder.first_names);
        lines.push(NewLine {
            line_no: i as i64 + 1,
            kind: LineKind::of(&op),
            card_type: Some(card_type.code()),
            civility: Some(record.holder.civility.code()),
            holder_key: shared::text::search_key(&holder),
            holder,
            matricule: record.holder.matricule.clone(),
            payload,
            status: if needs {
                LineStatus::EnAttenteJustificatif
            } else {
                LineStatus::Soumise
            },
            needs_document: needs,
            replaces: Some((card.serial.clone(), why)),
        });
    }
    let sha = hex::encode(digest.finish());
    let reference = format!("{}-{}", why.to_uppercase(), shared::fleet::paris_date(now));
    order_store::insert_order(
        tx,
        &NewOrder {
            id: order_id.as_str(),
            structure_id: access.structure_id(),
            source: OrderSource::Formulaire,
            issuer_reference: &reference,
            submitted_by: &actor.national_id,
            submitted_at: now,
            idempotency_key: &idempotency_key,
            content_sha256: &sha,
        },
        &lines,
    )
    .await
    .map_err(|e| anyhow::Error::from(e).context("commande de remplacement"))?;
    crate::orders::submit::audit_submitted(
        tx,
        now,
        actor,
        access,
        order_id.as_str(),
        json!({
            "commande": order_id.as_str(),
            "lignes": lines.len(),
            "source": why,
            "reference": reference,
            "remplace": cards.iter().map(|(c, _, _)| c.serial.as_str()).collect::<Vec<_>>(),
        }),
    )
    .await?;
    Ok(order_id.as_str().to_string())
}
