//! Extractors: `PresentedCard` (a card the verifier accepted, no session needed) and `Identity`
//! (an accepted card with a live session bound to it; CSRF-checked on state-changing methods).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use shared::api::{Holder, StructureSummary, CSRF_HEADER};
use shared::card::CardType;
use shared::diagnostic::Verdict;
use shared::errors::ErrorCode;

use super::access::{Access, Grant, OperatorAccess, StructureId};
use super::session::{self, SessionState};
use super::store;
use crate::audit::Actor;
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
    /// SHA-256 of the card's certificate: the session is bound to it, the audit names it.
    pub fingerprint: String,
    pub holder: Holder,
    pub is_operator: bool,
    pub structures: Vec<StructureSummary>,
    /// Structures where the holder's mandate has ended and no role is left: a call for them is
    /// refused with `mandate_ended`, so the page can say why.
    pub ended_in: Vec<String>,
    pub session: SessionState,
}

/// What TOM knows of the card's holder: its own records first, the certificate otherwise.
pub async fn holder_of(state: &AppState, card: &PresentedCard) -> anyhow::Result<(Holder, bool)> {
    let info = &card.info;
    let recorded = store::find_card_type(&state.db, &info.issuer, &info.serial).await?;
    let card_type = recorded
        .as_deref()
        .and_then(CardType::parse)
        .or(info.guessed_card_type)
        .unwrap_or(CardType::Cpe);
    let person = store::find_person(&state.db, &card.national_id).await?;
    // Operators need both: the operator profile in the certificate and TOM's list.
    let is_operator = info.operator_policy
        && card_type == CardType::Operateur
        && store::is_operator(&state.db, &card.national_id).await?;
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
        let structures =
            store::find_structures_for_person(&state.db, &holder.national_id, state.clock.now())
                .await?;
        let mut ended_in =
            store::find_ended_mandates(&state.db, &holder.national_id, state.clock.now()).await?;
        ended_in.retain(|id| !structures.iter().any(|s| &s.id == id));
        Ok(Identity {
            fingerprint: card.info.fingerprint.clone(),
            holder,
            is_operator,
            structures,
            ended_in,
            session,
        })
    }
}

impl Identity {
    /// This card at `address`, for the limits of [`super::attempts`].
    pub fn counted(&self, address: std::net::IpAddr) -> super::attempts::Counted<'_> {
        super::attempts::Counted::new(Some(&self.fingerprint), address)
    }

    fn role_in(&self, structure: &StructureId) -> Option<shared::api::Role> {
        self.structures
            .iter()
            .find(|s| s.id == structure.as_str())
            .map(|s| s.role)
    }

    /// The refusal for a structure one has no role in: why, when a mandate there has ended.
    fn no_role(&self, structure: &StructureId) -> ApiError {
        if self.ended_in.iter().any(|id| id == structure.as_str()) {
            ErrorCode::MandateEnded.into()
        } else {
            ErrorCode::ForbiddenStructure.into()
        }
    }

    /// Reads a structure's data: a current mandate (or legal representation) for it, or an
    /// operator of the issuing service.
    pub fn require_mandate(&self, structure: &StructureId) -> Result<Access, ApiError> {
        match (self.role_in(structure), self.is_operator) {
            (Some(role), _) => Ok(Access::granted(structure.clone(), Grant::Role(role))),
            (None, true) => Ok(Access::granted(structure.clone(), Grant::Operator)),
            (None, false) => Err(self.no_role(structure)),
        }
    }

    /// Acts for the structure (orders, uploads): a current mandate or legal representation;
    /// operators read every structure but act for none.
    pub fn require_own_mandate(&self, structure: &StructureId) -> Result<Access, ApiError> {
        self.role_in(structure)
            .map(|role| Access::granted(structure.clone(), Grant::Role(role)))
            .ok_or_else(|| self.no_role(structure))
    }

    /// What only the structure's legal representative (and operators) may see: its audit trail.
    pub fn require_legal_representative(
        &self,
        structure: &StructureId,
    ) -> Result<Access, ApiError> {
        match (self.role_in(structure), self.is_operator) {
            (Some(role @ shared::api::Role::RepresentantLegal), _) => {
                Ok(Access::granted(structure.clone(), Grant::Role(role)))
            }
            (_, true) => Ok(Access::granted(structure.clone(), Grant::Operator)),
            (Some(_), false) => Err(ErrorCode::LegalRepresentativeOnly.into()),
            (None, false) => Err(self.no_role(structure)),
        }
    }

    /// Designates and ends mandates: the structure's own legal representative only (operators
    /// validate, they do not act for a structure).
    pub fn require_own_legal_representative(
        &self,
        structure: &StructureId,
    ) -> Result<Access, ApiError> {
        match self.role_in(structure) {
            Some(role @ shared::api::Role::RepresentantLegal) => {
                Ok(Access::granted(structure.clone(), Grant::Role(role)))
            }
            Some(_) => Err(ErrorCode::LegalRepresentativeOnly.into()),
            None => Err(self.no_role(structure)),
        }
    }

    /// An operator of the issuing service.
    pub fn require_operator(&self) -> Result<OperatorAccess, ApiError> {
        if self.is_operator {
            Ok(OperatorAccess::granted(self.holder.national_id.clone()))
        } else {
            Err(ErrorCode::OperatorOnly.into())
        }
    }

    /// Who acts, for the audit trail, in the role the capability was granted for.
    pub fn actor(&self, grant: Grant) -> Actor {
        Actor {
            fingerprint: self.fingerprint.clone(),
            national_id: self.holder.national_id.clone(),
            role: match grant {
                Grant::Role(role) => role.code(),
                Grant::Operator => "operateur",
            },
        }
    }

    /// The actor of an operator's action (the capability proves the role).
    pub fn operator_actor(&self, operator: &OperatorAccess) -> Actor {
        debug_assert_eq!(operator.national_id(), self.holder.national_id);
        self.actor(Grant::Operator)
    }

    /// The actor of what a holder does for no structure (logout): an operator or a card holder.
    pub fn holder_actor(&self) -> Actor {
        let mut actor = self.actor(Grant::Operator);
        if !self.is_operator {
            actor.role = "titulaire";
        }
        actor
    }
}
