//! What every revoking use case shares: a live card of TOM's CA is marked revoked and TOM's CRL
//! signed again with it, in the use case's transaction (`issuing::crl`); the CRL is published
//! after the commit.

use shared::errors::ErrorCode;
use shared::fleet::{CardState, RevocationReason};
use shared::message::Message;

use super::store::{self, CardRow};
use crate::db::Tx;
use crate::error::{ApiError, ApiResult};
use crate::issuing::crl::{CrlSigner, Revoked};

/// Refuses an action on a card that is no longer live.
pub fn require_live(card: &CardRow, action: &'static str, now: i64) -> ApiResult<()> {
    let state = card.state_at(now);
    if state == CardState::Active {
        return Ok(());
    }
    Err(ApiError::refused(
        Message::new("card_not_live")
            .arg("action", action)
            .arg("serial", card.serial.clone())
            .arg("state", state.label()),
    ))
}

/// Marks `card` revoked for `reason` at `now` in the transaction and returns the CRL entry to add
/// (several revocations of one use case are signed in one CRL). Refused when the card is not
/// live or was not issued by TOM's CA.
pub async fn mark(
    tx: &mut Tx,
    signer: &CrlSigner,
    card: &CardRow,
    reason: RevocationReason,
    action: &'static str,
    now: i64,
) -> ApiResult<Revoked> {
    let (_, issuer) = signer.issuer()?;
    if card.issuer != issuer {
        return Err(ApiError::refused(
            Message::new("card_not_issued_by_tom")
                .arg("action", action)
                .arg("serial", card.serial.clone()),
        ));
    }
    if !store::mark_revoked(tx, card, reason.state(), reason.code(), now).await? {
        return Err(ApiError::refused(
            Message::new("card_not_live")
                .arg("action", action)
                .arg("serial", card.serial.clone())
                .arg("state", card.state_at(now).label()),
        ));
    }
    let serial = hex::decode(&card.serial).map_err(|_| ApiError::Code(ErrorCode::Internal))?;
    Ok(Revoked {
        serial,
        reason,
        at: now,
    })
}

/// Revokes `card` for `reason` at `now` in the transaction and returns the new CRL (DER) to
/// publish after the commit.
pub async fn revoke(
    tx: &mut Tx,
    signer: &CrlSigner,
    card: &CardRow,
    reason: RevocationReason,
    action: &'static str,
    now: i64,
) -> ApiResult<Vec<u8>> {
    let entry = mark(tx, signer, card, reason, action, now).await?;
    Ok(signer.revoke_in(tx, &[entry], now).await?)
}
