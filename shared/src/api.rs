//! Request and response types of TOM's HTTP API, shared by the server and the SPA.

use serde::{Deserialize, Serialize};

use crate::card::CardType;
use crate::diagnostic::Verdict;

#[cfg(feature = "server")]
use utoipa::ToSchema;

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

/// The role a person holds in a structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    RepresentantLegal,
    Mandataire,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::RepresentantLegal => "representant_legal",
            Role::Mandataire => "mandataire",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "representant_legal" => Some(Role::RepresentantLegal),
            "mandataire" => Some(Role::Mandataire),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::RepresentantLegal => "Représentant légal",
            Role::Mandataire => "Mandataire",
        }
    }
}

/// A structure the holder may act for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureSummary {
    /// Identifiant national of the structure (TRE_G07), e.g. `1620100842`.
    pub id: String,
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub name: String,
    pub role: Role,
}

/// `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Me {
    pub holder: Holder,
    pub is_operator: bool,
    pub structures: Vec<StructureSummary>,
    /// To send back as `X-CSRF-Token` on every state-changing request.
    pub csrf_token: String,
    /// Unix seconds when the session ends at the latest.
    pub session_expires_at: i64,
}

/// `GET /api/structures/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructureDetail {
    pub id: String,
    pub finess: Option<String>,
    pub siret: Option<String>,
    pub name: String,
    pub people: Vec<StructurePerson>,
}

/// Someone with a role in a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct StructurePerson {
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
    pub role: Role,
}

/// Header carrying the anti-CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "tom_session";
