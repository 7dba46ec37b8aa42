//! The session's routes: the card's diagnostic, "Se connecter avec ma carte", "Se déconnecter",
//! who is logged in, and whom to contact.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Extension;
use axum::Json;
use shared::api::{Contact, Diagnostic, Me, CSRF_HEADER};
use shared::errors::ErrorCode;

use super::{diagnose, login, logout};
use crate::auth::attempts::{self, Address, Counted, Kind};
use crate::auth::identity::{Identity, PresentedCard};
use crate::auth::session as auth_session;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::tls::acceptor::PeerCard;

/// The verdict on the card this connection presented, with what to do about it.
#[utoipa::path(get, path = "/api/diagnostic", tag = "carte",
    responses((status = 200, description = "Diagnostic de la carte présentée", body = Diagnostic)))]
pub async fn get_diagnostic(
    State(state): State<AppState>,
    peer: Option<Extension<PeerCard>>,
) -> ApiResult<Json<Diagnostic>> {
    Ok(Json(
        diagnose::diagnose(&state, peer.as_ref().map(|Extension(p)| p)).await?,
    ))
}

/// Opens a session bound to the presented card. The `X-CSRF-Token` header must be present (any
/// value): a cross-site form cannot send a custom header.
#[utoipa::path(post, path = "/api/session", tag = "session",
    params(("x-csrf-token" = String, Header, description = "Présence obligatoire (preuve anti-CSRF)")),
    responses(
        (status = 201, description = "Session ouverte", body = Me),
        (status = 401, description = "Pas de carte ou carte refusée", body = shared::errors::ErrorBody),
        (status = 403, description = "Origine étrangère ou preuve anti-CSRF absente", body = shared::errors::ErrorBody),
        (status = 429, description = "Trop de connexions refusées pour cette carte ou cette adresse", body = shared::errors::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Option<Extension<PeerCard>>,
    Address(address): Address,
    card: Result<PresentedCard, ApiError>,
) -> ApiResult<impl IntoResponse> {
    if !headers.contains_key(CSRF_HEADER) {
        return Err(ErrorCode::CsrfMissing.into());
    }
    let fingerprint = peer
        .as_ref()
        .and_then(|Extension(p)| p.check.info.as_ref())
        .map(|info| info.fingerprint.clone());
    let who = Counted::new(fingerprint.as_deref(), address);
    // A card TOM accepts is held back only by its own failures: refused attempts from a shared
    // address (a hospital behind one NAT) never lock out the others' good cards. Refused cards
    // and attempts without a card count against their address too.
    let accepted = card.is_ok();
    let counted = if accepted {
        who.only_card()
    } else {
        who.clone()
    };
    attempts::check(&state, Kind::FailedLogin, &counted).await?;
    let opened = match card {
        Ok(card) => login::login(&state, &card).await,
        Err(refused) => Err(refused),
    };
    let (me, session) = match opened {
        Ok(opened) => opened,
        Err(ApiError::Unexpected(e)) => return Err(ApiError::Unexpected(e)),
        Err(refused) => {
            attempts::record(&state, Kind::FailedLogin, &counted).await?;
            return Err(refused);
        }
    };
    Ok((
        StatusCode::CREATED,
        auth_session::set_cookie_header(session.cookie),
        Json(me),
    ))
}

/// Ends the session.
#[utoipa::path(delete, path = "/api/session", tag = "session",
    params(("x-csrf-token" = String, Header, description = "Jeton anti-CSRF reçu avec /api/me")),
    responses(
        (status = 204, description = "Session fermée"),
        (status = 401, description = "Pas de session", body = shared::errors::ErrorBody),
        (status = 403, description = "Jeton anti-CSRF absent ou faux", body = shared::errors::ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    identity: Identity,
) -> Result<impl IntoResponse, ApiError> {
    logout::logout(&state, &identity).await?;
    Ok((
        StatusCode::NO_CONTENT,
        auth_session::set_cookie_header(auth_session::clearing_cookie()),
    ))
}

#[utoipa::path(get, path = "/api/me", tag = "session",
    responses(
        (status = 200, description = "Titulaire connecté", body = Me),
        (status = 401, description = "Pas de carte, carte refusée ou pas de session", body = shared::errors::ErrorBody)))]
pub async fn get_me(identity: Identity) -> Json<Me> {
    Json(Me {
        holder: identity.holder,
        is_operator: identity.is_operator,
        structures: identity.structures,
        ended_in: identity.ended_in,
        csrf_token: identity.session.csrf_token,
        session_expires_at: identity.session.expires_at,
    })
}

/// `GET /api/contact`: whom to contact at the issuing service. Public: a refused card must
/// still be told whom to call.
#[utoipa::path(get, path = "/api/contact", tag = "session",
    responses((status = 200, description = "Coordonnées du service d'émission", body = Contact)))]
pub async fn get_contact(State(state): State<AppState>) -> Json<Contact> {
    Json(state.config.contact())
}
