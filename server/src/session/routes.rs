//! `POST /api/session` ("Se connecter avec ma carte") and `DELETE /api/session` ("Se déconnecter").

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use shared::api::{Me, CSRF_HEADER};
use shared::errors::ErrorCode;

use super::{login, logout};
use crate::auth::identity::{Identity, PresentedCard};
use crate::auth::session as auth_session;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Opens a session bound to the presented card. The `X-CSRF-Token` header must be present (any
/// value): a cross-site form cannot send a custom header.
#[utoipa::path(post, path = "/api/session", tag = "session",
    params(("x-csrf-token" = String, Header, description = "Présence obligatoire (preuve anti-CSRF)")),
    responses(
        (status = 201, description = "Session ouverte", body = Me),
        (status = 401, description = "Pas de carte ou carte refusée", body = shared::errors::ErrorBody),
        (status = 403, description = "Origine étrangère ou preuve anti-CSRF absente", body = shared::errors::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    card: PresentedCard,
) -> ApiResult<impl IntoResponse> {
    if !headers.contains_key(CSRF_HEADER) {
        return Err(ErrorCode::CsrfMissing.into());
    }
    let (me, session) = login::login(&state, &card).await?;
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
