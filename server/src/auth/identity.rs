//! Extractors: `PresentedCard` (a card the verifier accepted, no session needed) and `Identity`
//! (an accepted card with a live session bound to it; CSRF-checked on state-changing methods).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use shared::api::{Holder, StructureSummary, CSRF_HEADER};
use shared::card::CardType;
use shared::diagnostic::Verdict;
use shared::errors::ErrorCode;

use super::session::{self, SessionState};
use crate::db;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tls::acceptor::PeerCard;
use crate::tls::verifier::CertificateInfo;

/// A card that passed TOM's verifier.
#[derive(Debug, Clone)]
pub struct PresentedCard {
    pub info: CertificateInfo,
    pub national_id: String,
}

impl FromRequestParts<AppState> for PresentedCard {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<PeerCard>()
            .ok_or(ApiError::Code(ErrorCode::NoCertificate))?;
        match (peer.check.verdict, &peer.check.info) {
            (Verdict::Ok, Some(info)) => Ok(PresentedCard {
                national_id: info.common_name.clone().unwrap_or_default(),
                info: info.clone(),
            }),
            (Verdict::NoCertificate, _) => Err(ErrorCode::NoCertificate.into()),
            (verdict, _) => Err(ApiError::CardRefused(verdict)),
        }
    }
}

/// A logged-in card holder.
#[derive(Debug, Clone)]
pub struct Identity {
    pub holder: Holder,
    pub is_operator: bool,
    pub structures: Vec<StructureSummary>,
    pub session: SessionState,
}

/// What TOM knows of the card's holder: its own records first, the certificate otherwise.
pub async fn holder_of(state: &AppState, card: &PresentedCard) -> anyhow::Result<(Holder, bool)> {
    let info = &card.info;
    let recorded = db::people::find_card_type(&state.db, &info.issuer, &info.serial).await?;
    let card_type = recorded
        .as_deref()
        .and_then(CardType::parse)
        .or(info.guessed_card_type)
        .unwrap_or(CardType::Cpe);
    let person = db::people::find_person(&state.db, &card.national_id).await?;
    // Operators need both: the operator profile in the certificate and TOM's list.
    let is_operator = info.operator_policy
        && card_type == CardType::Operateur
        && db::people::is_operator(&state.db, &card.national_id).await?;
    let holder = Holder {
        national_id: card.national_id.clone(),
        family_name: person
            .as_ref()
            .map(|p| p.family_name.clone())
            .or_else(|| info.family_name.clone()),
        given_name: person
            .as_ref()
            .map(|p| p.given_name.clone())
            .or_else(|| info.given_name.clone()),
        card_type,
        card_label: card_type.label().to_string(),
    };
    Ok((holder, is_operator))
}

impl FromRequestParts<AppState> for Identity {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let card = PresentedCard::from_request_parts(parts, state).await?;
        let session = session::resume(state, &parts.headers, &card.info.fingerprint).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if !session::csrf_matches(&session, sent) {
                return Err(ErrorCode::CsrfMissing.into());
            }
        }
        let (holder, is_operator) = holder_of(state, &card).await?;
        let structures = db::structures::find_structures_for_person(
            &state.db,
            &holder.national_id,
            state.clock.now(),
        )
        .await?;
        Ok(Identity {
            holder,
            is_operator,
            structures,
            session,
        })
    }
}
