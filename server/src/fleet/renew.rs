//! Renewals: the cards chosen (usually those expiring within 90 days) become one renewal order,
//! pre-filled from their holders, processed by the back-office as usual. The old cards stay
//! valid until their end of validity.

use serde_json::json;
use shared::api::{AuditAction, RenewalCreated};
use shared::errors::ErrorCode;
use shared::message::Message;

use super::reorder::{create_order, replacement_of};
use super::revoke::require_live;
use super::store;
use crate::audit::{self, Actor, Entry};
use crate::auth::access::Access;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const ACTION: &str = "Renouvellement";
/// The most cards one renewal order takes.
pub const MAX_CARDS: usize = 5000;

pub async fn renew(
    state: &AppState,
    access: &Access,
    actor: &Actor,
    serials: &[String],
) -> ApiResult<RenewalCreated> {
    let mut serials: Vec<&str> = serials.iter().map(|s| s.trim()).collect();
    serials.sort_unstable();
    serials.dedup();
    if serials.is_empty() || serials == [""] {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("no_card_to_renew"),
        ));
    }
    if serials.len() > MAX_CARDS {
        return Err(ApiError::message(
            ErrorCode::InvalidRequest,
            Message::new("too_many_cards_to_renew").arg("n", serials.len().to_string()),
        ));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let mut cards = Vec::with_capacity(serials.len());
    for serial in &serials {
        let card = store::find_card_tx(&mut tx, access.structure_id(), serial)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        cards.push(card);
    }
    // Cards that cannot be renewed are left out and named; the others make the order.
    let mut items = Vec::with_capacity(cards.len());
    let mut skipped = Vec::new();
    for card in &cards {
        // An expired card can be renewed too; an opposed or ended one cannot.
        let usable = if card.state == "active" {
            Ok(())
        } else {
            require_live(card, ACTION, now)
        };
        let outcome = match usable {
            Ok(()) => replacement_of(&mut tx, card, ACTION).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok((record, card_type)) => items.push((card, record, card_type)),
            Err(ApiError::Detailed(_, why)) => skipped.push(why),
            Err(e) => return Err(e),
        }
    }
    if items.is_empty() {
        return Err(ApiError::Detailed(
            ErrorCode::ActionRefused,
            format!(
                "{} {}",
                Message::new("nothing_to_renew").to_french(),
                skipped.join(" ")
            ),
        ));
    }
    let order_id =
        create_order(&mut tx, state, access, actor, &items, "renouvellement", now).await?;
    audit::append(
        &mut tx,
        &Entry {
            at: now,
            actor,
            structure_id: Some(access.structure_id()),
            action: AuditAction::RenouvellementCommande,
            object: format!("commande {order_id}"),
            before: None,
            after: Some(json!({
                "commande": order_id,
                "cartes": items.iter().map(|(c, _, _)| c.serial.as_str()).collect::<Vec<_>>(),
                "non_renouvelees": skipped.len(),
            })),
        },
    )
    .await?;
    tx.commit().await?;
    let mut message = Message::new("done_renewal")
        .arg("order", order_id.clone())
        .arg("n", items.len().to_string())
        .to_french();
    if !skipped.is_empty() {
        message.push_str(
            &Message::new("done_renewal_skipped")
                .arg("n", skipped.len().to_string())
                .to_french(),
        );
        message.push(' ');
        message.push_str(&skipped.join(" "));
    }
    Ok(RenewalCreated {
        message,
        lines: items.len(),
        order_id,
    })
}
