//! Limits on failed logins and on uploads, per card and per address, so that one card or one
//! machine cannot wear the service down. Counted in the database (table `attempts`), so that
//! every instance behind a load balancer applies the same count.
//!
//! - Failed logins ("Se connecter avec ma carte" refused: a refused card, no session possible):
//!   at most `login_failures_per_card` per card in 15 minutes, and five times that per address.
//!   Beyond, every login attempt of that card, and every refused attempt from that address
//!   (a refused card, or none), gets 429 `too_many_attempts` until the window has passed, before
//!   any other work. A card TOM accepts is held back by its own failures only, so that refused
//!   attempts from a shared address (a hospital behind one NAT) never lock out good cards.
//! - Uploads (order files and documents): at most `uploads_per_card_hour` per card in an hour,
//!   and five times that per address.

use std::net::IpAddr;

use shared::errors::ErrorCode;

use super::store;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Window of the failed-login limit, in seconds.
pub const LOGIN_WINDOW: i64 = 15 * 60;
/// Window of the upload limit, in seconds.
pub const UPLOAD_WINDOW: i64 = 3600;
/// An address may hold several cards (a shared workstation, a proxy): its limit is this many
/// times a card's.
pub const ADDRESS_FACTOR: i64 = 5;

/// What is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    FailedLogin,
    Upload,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::FailedLogin => "connexion",
            Kind::Upload => "depot",
        }
    }

    fn window(self) -> i64 {
        match self {
            Kind::FailedLogin => LOGIN_WINDOW,
            Kind::Upload => UPLOAD_WINDOW,
        }
    }

    fn per_card(self, state: &AppState) -> i64 {
        match self {
            Kind::FailedLogin => state.config.login_failures_per_card as i64,
            Kind::Upload => state.config.uploads_per_card_hour as i64,
        }
    }
}

/// Who is counted: the card's fingerprint when there is one, and the address (unless only the
/// card is).
#[derive(Clone, Debug)]
pub struct Counted<'a> {
    pub card: Option<&'a str>,
    pub address: IpAddr,
    /// Whether the address's bucket is counted too.
    pub by_address: bool,
}

impl<'a> Counted<'a> {
    /// A card and the address it came from.
    pub fn new(card: Option<&'a str>, address: IpAddr) -> Self {
        Self {
            card,
            address,
            by_address: true,
        }
    }

    /// The same, counted against the card only.
    pub fn only_card(&self) -> Self {
        Self {
            by_address: false,
            ..self.clone()
        }
    }

    /// The buckets of `kind` with their limits.
    fn buckets(&self, kind: Kind, state: &AppState) -> Vec<(String, i64)> {
        let per_card = kind.per_card(state);
        let mut buckets = Vec::new();
        if self.by_address {
            buckets.push((
                format!("{}:adresse:{}", kind.name(), self.address),
                per_card * ADDRESS_FACTOR,
            ));
        }
        if let Some(card) = self.card {
            buckets.push((format!("{}:carte:{card}", kind.name()), per_card));
        }
        buckets
    }
}

/// `Err(429 too_many_attempts)` when `who` has reached the limit of `kind`.
pub async fn check(state: &AppState, kind: Kind, who: &Counted<'_>) -> ApiResult<()> {
    let since = state.clock.now() - kind.window();
    for (bucket, limit) in who.buckets(kind, state) {
        if store::count_attempts(&state.db, &bucket, since).await? >= limit {
            return Err(ApiError::Code(ErrorCode::TooManyAttempts));
        }
    }
    Ok(())
}

/// Records one attempt of `kind` by `who`.
pub async fn record(state: &AppState, kind: Kind, who: &Counted<'_>) -> ApiResult<()> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    for (bucket, _) in who.buckets(kind, state) {
        store::insert_attempt(&mut tx, &bucket, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An upload about to be read: refused when the card or the address has reached its limit,
/// counted otherwise.
pub async fn allow_upload(state: &AppState, who: &Counted<'_>) -> ApiResult<()> {
    check(state, Kind::Upload, who).await?;
    record(state, Kind::Upload, who).await
}

/// The client's address, from the TLS layer: the TCP peer, or behind a trusted proxy the address
/// it forwarded (`0.0.0.0` when the request did not come through it, as in unit tests).
pub struct Address(pub IpAddr);

impl axum::extract::FromRequestParts<AppState> for Address {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Address(
            parts
                .extensions
                .get::<crate::tls::acceptor::PeerCard>()
                .map_or(IpAddr::from([0, 0, 0, 0]), |p| p.remote),
        ))
    }
}
