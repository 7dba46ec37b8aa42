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

/// A card of the structure's fleet, as TOM issued it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct FleetCard {
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
    /// TRE_R87 code or CDE/CDA, e.g. `CPE`.
    pub card_type: String,
    /// Lower-case hex of the certificate's serial number.
    pub serial: String,
    /// Unix seconds.
    pub issued_at: Option<i64>,
    pub not_after: Option<i64>,
}

/// `GET /api/structures/{id}/cards`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Fleet {
    pub cards: Vec<FleetCard>,
}

/// How an order reached TOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderSource {
    Formulaire,
    Fichier,
}

impl OrderSource {
    pub fn code(self) -> &'static str {
        match self {
            OrderSource::Formulaire => "formulaire",
            OrderSource::Fichier => "fichier",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "formulaire" => Some(OrderSource::Formulaire),
            "fichier" => Some(OrderSource::Fichier),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OrderSource::Formulaire => "Formulaire",
            OrderSource::Fichier => "Fichier XML",
        }
    }
}

/// An order and the state of its lines, in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrderSummary {
    pub id: String,
    pub structure_id: String,
    pub structure_name: String,
    pub source: OrderSource,
    /// The issuer's own reference for the file (`referenceEmetteur`).
    pub issuer_reference: String,
    /// Identifiant national of the person who submitted it.
    pub submitted_by: String,
    pub submitted_at: i64,
    pub line_count: i64,
    /// Lines still waiting for something.
    pub open_lines: i64,
    /// Open lines older than the target delivery time.
    pub late_lines: i64,
}

/// `POST /api/structures/{id}/orders`: the order, and whether it had already been received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrderReceipt {
    pub order: OrderSummary,
    /// True when the same file (or the same idempotency key) had already been received: no new
    /// order was created.
    pub already_received: bool,
}

/// The body of a refused order file: every error, as the browser's check shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrderRefused {
    pub code: String,
    pub message: String,
    #[cfg_attr(feature = "server", schema(value_type = Vec<Object>))]
    pub errors: Vec<crate::order::ValidationError>,
}

/// The card fabricated for a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct IssuedCardInfo {
    pub national_id: String,
    pub serial: String,
}

/// One line of an order and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrderLine {
    pub order_id: String,
    /// 1-based position of the operation in the order.
    pub line_no: i64,
    pub structure_id: String,
    pub structure_name: String,
    pub kind: crate::tracking::LineKind,
    pub card_type: Option<String>,
    /// "NOM Prénoms" of the holder, or the matricule when the line does not name them.
    pub holder: String,
    pub matricule: String,
    pub status: crate::tracking::LineStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub needs_document: bool,
    pub times: crate::tracking::LineTimes,
    /// Seconds waited so far (until closing for a closed line).
    pub age_seconds: i64,
    pub late: bool,
    pub card: Option<IssuedCardInfo>,
}

/// `GET /api/orders/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct OrderDetail {
    pub order: OrderSummary,
    pub lines: Vec<OrderLine>,
    /// The configured target delivery time, in seconds.
    pub target_delivery_seconds: i64,
}

/// `GET /api/operator/lines`: the queue across structures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Queue {
    pub lines: Vec<OrderLine>,
    pub target_delivery_seconds: i64,
}

/// `POST /api/operator/lines/{order}/{line}/{action}`: a reason is required to reject.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct LineDecision {
    pub reason: Option<String>,
}

/// Header carrying the idempotency key of an order submission.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Header saying whether the order comes from the form or a file.
pub const ORDER_SOURCE_HEADER: &str = "x-order-source";
