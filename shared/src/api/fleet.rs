//! The cards of a structure (its fleet).

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

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
