//! A structure's contract with the issuing service, registered by an operator.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
use utoipa::ToSchema;

/// `POST /api/backoffice/contracts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct ContractRequest {
    /// Identifiant national of the structure (already in TOM, e.g. from the FINESS register).
    pub structure_id: String,
    /// Identifiant national of the legal representative, as on their card.
    pub national_id: String,
    pub family_name: String,
    pub given_name: String,
}

/// A registered contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(ToSchema))]
pub struct Contract {
    pub structure_id: String,
    pub legal_representative_id: String,
    /// Unix seconds.
    pub registered_at: i64,
}
