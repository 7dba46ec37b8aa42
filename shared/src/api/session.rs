//! Who is logged in, and what the presented card is worth: `/api/me`, `/api/diagnostic`, the session.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

use super::structures::StructureSummary;
use crate::card::CardType;
use crate::diagnostic::Verdict;

/// What `/api/diagnostic` says about the presented card. Always answered, card or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Diagnostic {
    /// Whether the browser presented a certificate at all.
    pub certificate_presented: bool,
    pub subject: Option<String>,
    pub issuer: Option<String>,
    /// RFC 3339 dates.
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub serial: Option<String>,
    #[cfg_attr(feature = "server", schema(value_type = Option<String>))]
    pub card_type: Option<CardType>,
    pub card_label: Option<String>,
    pub national_id: Option<String>,
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub verdict: Verdict,
    pub message: String,
    pub advice: String,
    /// "TLSv1.3" or "TLSv1.2".
    pub tls_version: Option<String>,
}

/// The person behind the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Holder {
    pub national_id: String,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    #[cfg_attr(feature = "server", schema(value_type = String))]
    pub card_type: CardType,
    pub card_label: String,
}

/// `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Me {
    pub holder: Holder,
    pub is_operator: bool,
    pub structures: Vec<StructureSummary>,
    /// Structures where the holder's mandate has ended and no role is left: their pages say so.
    #[serde(default)]
    pub ended_in: Vec<String>,
    /// To send back as `X-CSRF-Token` on every state-changing request.
    pub csrf_token: String,
    /// Unix seconds when the session ends at the latest.
    pub session_expires_at: i64,
}

/// Header carrying the anti-CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "tom_session";
