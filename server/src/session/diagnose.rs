//! The diagnostic of the presented card ("Contrôle du poste"): what the server sees of it and the
//! verdict, always answered, card or not.

use shared::api::Diagnostic;
use shared::diagnostic::Verdict;

use crate::auth::identity::{holder_of, PresentedCard};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::tls::acceptor::PeerCard;

fn rfc3339(ts: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
}

/// The verdict on the card this connection presented (none: no card), with what to do about it.
pub async fn diagnose(state: &AppState, peer: Option<&PeerCard>) -> ApiResult<Diagnostic> {
    let Some(peer) = peer else {
        let v = Verdict::NoCertificate;
        return Ok(Diagnostic {
            certificate_presented: false,
            subject: None,
            issuer: None,
            not_before: None,
            not_after: None,
            serial: None,
            card_type: None,
            card_label: None,
            national_id: None,
            verdict: v,
            message: v.message().to_string(),
            advice: v.advice().to_string(),
            tls_version: None,
        });
    };
    let check = &peer.check;
    let info = check.info.as_ref();
    let card_type = match (check.verdict, info) {
        (Verdict::Ok, Some(info)) => {
            let card = PresentedCard {
                national_id: info.common_name.clone().unwrap_or_default(),
                info: info.clone(),
            };
            Some(holder_of(state, &card).await?.0.card_type)
        }
        (_, Some(info)) => info.guessed_card_type,
        _ => None,
    };
    Ok(Diagnostic {
        certificate_presented: check.verdict != Verdict::NoCertificate,
        subject: info.map(|i| i.subject.clone()),
        issuer: info.map(|i| i.issuer.clone()),
        not_before: info.and_then(|i| rfc3339(i.not_before)),
        not_after: info.and_then(|i| rfc3339(i.not_after)),
        serial: info.map(|i| i.serial.clone()),
        card_label: card_type.map(|t| t.label().to_string()),
        card_type,
        national_id: info.and_then(|i| i.common_name.clone()),
        verdict: check.verdict,
        message: check.verdict.message().to_string(),
        advice: check.verdict.advice().to_string(),
        tls_version: Some(peer.tls_version.to_string()),
    })
}
