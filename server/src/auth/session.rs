//! Sessions: a random cookie whose hash is stored with the card's fingerprint, an idle and an
//! absolute timeout. A request on another certificate, or none, never uses the session.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use shared::api::SESSION_COOKIE;
use shared::errors::ErrorCode;

use crate::error::ApiError;
use crate::session::store;
use crate::state::AppState;
use crate::tls::verifier::sha256_hex;

#[derive(Debug, Clone)]
pub struct SessionState {
    pub id_hash: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// 32 random bytes from the state's generator, URL-safe base64.
pub fn random_token(state: &AppState) -> String {
    let mut bytes = [0u8; 32];
    state.random.fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new session's secrets: the cookie's value (never stored), its hash, the anti-CSRF token.
pub struct NewSession {
    pub id_hash: String,
    pub csrf_token: String,
    pub cookie: HeaderValue,
}

impl NewSession {
    pub fn generate(state: &AppState) -> Result<Self, ApiError> {
        let id = random_token(state);
        let cookie = format!("{SESSION_COOKIE}={id}; Path=/; Secure; HttpOnly; SameSite=Strict");
        Ok(Self {
            id_hash: sha256_hex(id.as_bytes()),
            csrf_token: random_token(state),
            cookie: HeaderValue::from_str(&cookie).map_err(anyhow::Error::from)?,
        })
    }
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

/// Compares the CSRF token without stopping at the first difference.
pub fn csrf_matches(session: &SessionState, sent: Option<&str>) -> bool {
    let Some(sent) = sent else { return false };
    let (a, b) = (sent.as_bytes(), session.csrf_token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The cookie that removes the session cookie.
pub fn clearing_cookie() -> HeaderValue {
    HeaderValue::from_static("tom_session=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
}

pub fn set_cookie_header(value: HeaderValue) -> [(axum::http::HeaderName, HeaderValue); 1] {
    [(SET_COOKIE, value)]
}

/// A session's recorded activity is rewritten only once it is this old: a write for every
/// request would queue all requests behind the database's single writer (SQLite) for no gain.
/// The idle limit counts from the recorded activity, so an idle session may end up to this
/// much earlier than `session_idle_minutes` after its very last request, never later.
pub const ACTIVITY_RECORDED_EVERY_SECONDS: i64 = 60;

/// Finds the live session this request's cookie names, for this very certificate.
pub async fn resume(
    state: &AppState,
    headers: &HeaderMap,
    fingerprint: &str,
) -> Result<SessionState, ApiError> {
    let id = cookie_value(headers).ok_or(ApiError::Code(ErrorCode::SessionRequired))?;
    let id_hash = sha256_hex(id.as_bytes());
    let row = store::find_session(&state.db, &id_hash)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionRequired))?;
    if row.fingerprint != fingerprint {
        // Another card's session: as if there were none.
        return Err(ErrorCode::SessionRequired.into());
    }
    let now = state.clock.now();
    let idle_limit = state.config.session_idle_minutes * 60;
    let max = state.config.session_max_hours * 3600;
    if now - row.last_seen_at > idle_limit || now - row.created_at > max {
        let mut tx = state.db.begin().await?;
        store::delete_session(&mut tx, &id_hash).await?;
        tx.commit().await?;
        return Err(ErrorCode::SessionExpired.into());
    }
    if now - row.last_seen_at >= ACTIVITY_RECORDED_EVERY_SECONDS {
        let mut tx = state.db.begin().await?;
        store::touch_session(&mut tx, &id_hash, now).await?;
        tx.commit().await?;
    }
    Ok(SessionState {
        id_hash,
        csrf_token: row.csrf_token,
        expires_at: row.created_at + max,
    })
}
