//! Declaring an incident on a card (formerly form 501 or a phone call): a loss or a theft opposes
//! the card at once (revoked, `keyCompromise`, TOM's CRL signed again); a malfunction orders a
//! replacement, and the old card is revoked (`superseded`) when the new one is fabricated;
//! "replacement wanted" creates the replacement order in the same step, pre-filled.

use serde_json::json;
use shared::api::{AuditAction, CardActionDone};
use shared::date::Date;
use shared::errors::ErrorCode;
use shared::fleet::{paris_date, RevocationReason};
use shared::message::Message;
use shared::order::model::IncidentNature;

use super::end_exercise::french_date;
use super::reorder::{create_order, replacement_of};
use super::revoke::{mark, require_live};
use super::store::{self, CardRow};
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::issuing::crl::{CrlSigner, Revoked};
use crate::state::AppState;

const ACTION: &str = "Déclaration d'incident";

/// `perte`, `vol`, `dysfonctionnement`.
pub fn nature_of(code: &str) -> Option<IncidentNature> {
    match code {
        "perte" => Some(IncidentNature::Loss),
        "vol" => Some(IncidentNature::Theft),
        "dysfonctionnement" => Some(IncidentNature::Malfunction),
        _ => None,
    }
}

pub fn nature_code(nature: IncidentNature) -> &'static str {
    match nature {
        IncidentNature::Loss => "perte",
        IncidentNature::Theft => "vol",
        IncidentNature::Malfunction => "dysfonctionnement",
    }
}

/// What is declared.
#[derive(Debug, Clone, Copy)]
pub struct Incident {
    pub nature: IncidentNature,
    pub date: Date,
    pub replacement: bool,
}

/// What a declaration did in the transaction: the CRL entry to sign (loss, theft) and the
/// replacement order (replacement wanted, malfunction).
pub struct Declared {
    pub revoked: Option<Revoked>,
    pub order_id: Option<String>,
}

/// Declares an incident on a card in the transaction, with its audit entry; the CRL is left to
/// the caller to sign (one CRL for every revocation of a file order).
#[allow(clippy::too_many_arguments)]
pub async fn declare_in(
    tx: &mut Tx,
    state: &AppState,
    access: &Access,
    actor: &Actor,
    signer: &CrlSigner,
    card: &CardRow,
    incident: Incident,
    now: i64,
) -> ApiResult<Declared> {
    let Incident {
        nature,
        date,
        replacement,
    } = incident;
    let replacement = replacement || nature == IncidentNature::Malfunction;
    require_live(card, ACTION, now)?;
    // A card cannot be lost, stolen or broken before it was issued.
    if let Some(issued) = card
        .issued_at
        .map(paris_date)
        .filter(|issued| date < *issued)
    {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("incident_before_issue")
                .arg("date", french_date(date))
                .arg("issued", french_date(issued)),
        ));
    }
    let mut order_id = None;
    if replacement {
        let (record, card_type) = replacement_of(tx, card, ACTION).await?;
        order_id = Some(
            create_order(
                tx,
                state,
                access,
                actor,
                &[(card, record, card_type)],
                nature_code(nature),
                now,
            )
            .await?,
        );
    }
    let opposed = nature != IncidentNature::Malfunction;
    let revoked = if opposed {
        Some(
            mark(
                tx,
                signer,
                card,
                RevocationReason::KeyCompromise,
                ACTION,
                now,
            )
            .await?,
        )
    } else {
        None
    };
    audit::append(
        tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::IncidentDeclare,
            object: format!("carte {}", card.serial),
            before: Some(json!({ "statut": card.state })),
            after: Some(json!({
                "nature": nature_code(nature),
                "date_incident": date.to_string(),
                "opposition": opposed,
                "revocation": opposed.then_some(RevocationReason::KeyCompromise.code()),
                "commande_de_remplacement": order_id,
            })),
        },
    )
    .await?;
    Ok(Declared { revoked, order_id })
}

/// Declares an incident on card `serial` of the structure.
pub async fn declare(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    serial: &str,
    nature: IncidentNature,
    date: Date,
    replacement: bool,
) -> ApiResult<CardActionDone> {
    let now = state.clock.now();
    if date > paris_date(now) {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("incident_date_future").arg("date", french_date(date)),
        ));
    }
    let signer = CrlSigner::from_config(&state.config);
    let mut tx = state.db.begin().await?;
    let card = store::find_card_tx(&mut tx, access.structure_id(), serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let declared = declare_in(
        &mut tx,
        state,
        access,
        actor,
        &signer,
        &card,
        Incident {
            nature,
            date,
            replacement,
        },
        now,
    )
    .await?;
    let der = match &declared.revoked {
        Some(entry) => Some(
            signer
                .revoke_in(&mut tx, std::slice::from_ref(entry), now)
                .await?,
        ),
        None => None,
    };
    let (opposed, order_id) = (declared.revoked.is_some(), declared.order_id);
    tx.commit().await?;
    if let Some(der) = &der {
        signer.publish(&state.trust, &state.crls, der);
    }
    let card = store::find_card(&state.db, access, serial)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let message = if opposed {
        let mut m = Message::new("done_opposed")
            .arg("serial", serial.to_string())
            .to_french();
        if let Some(order) = &order_id {
            m.push_str(
                &Message::new("done_replacement")
                    .arg("order", order.clone())
                    .to_french(),
            );
        }
        m
    } else {
        Message::new("done_malfunction")
            .arg("order", order_id.clone().unwrap_or_default())
            .arg("serial", serial.to_string())
            .to_french()
    };
    Ok(CardActionDone {
        message,
        card: card.to_api(now),
        order_id,
    })
}
