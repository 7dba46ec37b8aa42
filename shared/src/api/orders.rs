//! Card orders: submission, tracking.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

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
    /// The structure's own reference for the order (`referenceEmetteur`).
    pub issuer_reference: String,
    /// The holder's civility as the order gives it (`M`, `MME`), when it does.
    pub civility: Option<String>,
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

/// Header carrying the idempotency key of an order submission.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Header saying whether the order comes from the form or a file.
pub const ORDER_SOURCE_HEADER: &str = "x-order-source";
