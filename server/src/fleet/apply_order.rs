//! The operations of a file order on cards that exist — `modificationPorteur`, `finExercice`,
//! `declarationIncident` — applied in the submission's transaction, with the same use cases as
//! the card's page: each line is closed `traitee`, or `rejetee` with the reason (no live card of
//! that matricule, an identity the RPPS owns…). Every revocation of the order goes into one new
//! CRL, returned to be published after the commit.

use shared::errors::ErrorCode;
use shared::fleet::paris_date;
use shared::message::Message;
use shared::order::model::{CardRef, Operation};

use super::declare_incident::{declare_in, Incident};
use super::store::{self, CardRow};
use super::{change_holder, end_exercise};
use crate::audit::Actor;
use crate::auth::access::Access;
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::issuing::crl::CrlSigner;
use crate::orders::store as order_store;
use crate::state::AppState;

/// A refusal's French message, or the error itself when it is not a refusal (a database failure
/// aborts the whole submission).
fn refusal(e: ApiError) -> ApiResult<String> {
    match e {
        ApiError::Detailed(_, message) => Ok(message),
        ApiError::Code(code) => Ok(code.message().to_string()),
        other => Err(other),
    }
}

/// The hexadecimal form of a serial number written in decimal (as printed on cards), if it is one.
fn hex_of_decimal(text: &str) -> Option<String> {
    if text.is_empty() || text.len() > 60 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut bytes: Vec<u8> = vec![0];
    for d in text.bytes().map(|b| b - b'0') {
        let mut carry = d as u32;
        for byte in bytes.iter_mut().rev() {
            let v = *byte as u32 * 10 + carry;
            *byte = (v & 0xff) as u8;
            carry = v >> 8;
        }
        while carry > 0 {
            bytes.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let hex = hex::encode(&bytes);
    Some(hex.trim_start_matches('0').to_string())
}

/// The live cards a file operation names: by matricule, or by serial number (hexadecimal as TOM
/// shows it, or decimal).
async fn cards_named(tx: &mut Tx, structure: &str, card: &CardRef) -> ApiResult<Vec<CardRow>> {
    match card {
        CardRef::Matricule(m) => {
            let cards = store::live_cards_of_matricule(tx, structure, m).await?;
            if cards.is_empty() {
                return Err(ApiError::message(
                    ErrorCode::NotFound,
                    Message::new("no_card_for_matricule").arg("matricule", m.clone()),
                ));
            }
            Ok(cards)
        }
        CardRef::SerialNumber(s) => {
            let mut candidates = vec![s.trim().to_ascii_lowercase()];
            if let Some(hex) = hex_of_decimal(s.trim()) {
                candidates.push(format!("00{hex}"));
                candidates.push(hex);
            }
            for serial in candidates {
                if let Some(card) = store::find_card_tx(tx, structure, &serial).await? {
                    if card.state == "active" {
                        return Ok(vec![card]);
                    }
                }
            }
            Err(ApiError::message(
                ErrorCode::NotFound,
                Message::new("no_card_with_serial").arg("serial", s.clone()),
            ))
        }
    }
}

/// Applies the order's operations on existing cards (card requests are left to the back-office)
/// and closes their lines. Returns the CRL to publish, when the order revoked cards.
pub async fn apply_operations(
    tx: &mut Tx,
    state: &AppState,
    access: &Access,
    actor: &Actor,
    order_id: &str,
    operations: &[Operation],
    now: i64,
) -> ApiResult<Option<Vec<u8>>> {
    let signer = CrlSigner::from_config(&state.config);
    let structure = access.structure_id();
    let today = paris_date(now);
    let mut revoked = Vec::new();
    for (i, op) in operations.iter().enumerate() {
        let outcome: ApiResult<()> = async {
            match op {
                Operation::CardRequest(_) => Ok(()),
                Operation::HolderChange(change) => {
                    let reference = CardRef::Matricule(change.matricule.clone());
                    for card in cards_named(tx, structure, &reference).await? {
                        change_holder::apply(tx, actor, &card, change, now).await?;
                    }
                    Ok(())
                }
                Operation::EndOfExercise(end) => {
                    let reference = CardRef::Matricule(end.matricule.clone());
                    for card in cards_named(tx, structure, &reference).await? {
                        if end.date > today {
                            end_exercise::schedule(tx, &card, actor, end.date, now).await?;
                        } else {
                            let (entry, _) =
                                end_exercise::apply_marked(tx, &signer, &card, actor, now).await?;
                            revoked.push(entry);
                        }
                    }
                    Ok(())
                }
                Operation::IncidentDeclaration(d) => {
                    for card in cards_named(tx, structure, &d.card).await? {
                        let incident = Incident {
                            nature: d.nature,
                            date: d.date,
                            replacement: d.replacement,
                        };
                        let declared =
                            declare_in(tx, state, access, actor, &signer, &card, incident, now)
                                .await?;
                        revoked.extend(declared.revoked);
                    }
                    Ok(())
                }
            }
        }
        .await;
        if matches!(op, Operation::CardRequest(_)) {
            continue;
        }
        let refused = match outcome {
            Ok(()) => None,
            Err(e) => Some(refusal(e)?),
        };
        order_store::close_applied_line(tx, order_id, i as i64 + 1, refused.as_deref(), now)
            .await?;
    }
    if revoked.is_empty() {
        return Ok(None);
    }
    Ok(Some(signer.revoke_in(tx, &revoked, now).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_serials_read_as_hexadecimal() {
        assert_eq!(hex_of_decimal("255").as_deref(), Some("ff"));
        assert_eq!(hex_of_decimal("4096").as_deref(), Some("1000"));
        assert_eq!(
            hex_of_decimal("340282366920938463463374607431768211455").as_deref(),
            Some("ffffffffffffffffffffffffffffffff")
        );
        assert_eq!(hex_of_decimal("12a"), None);
    }
}
