//! `GET /api/me`: the logged-in holder and the structures they may act for.

use axum::extract::State;
use axum::Json;
use shared::api::{Contact, Me};

use crate::state::AppState;

use crate::auth::identity::Identity;

#[utoipa::path(get, path = "/api/me", tag = "session",
    responses(
        (status = 200, description = "Titulaire connecté", body = Me),
        (status = 401, description = "Pas de carte, carte refusée ou pas de session", body = shared::errors::ErrorBody)))]
pub async fn get_me(identity: Identity) -> Json<Me> {
    Json(Me {
        holder: identity.holder,
        is_operator: identity.is_operator,
        structures: identity.structures,
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
